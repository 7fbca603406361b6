"""Synthetic demo workshops for trying the funder view: `python -m workbook.demo --workshops N`.

Everything it makes is labelled: workshop titles start with "[demo]", group names are
"Table 1", "Table 2"... and nobody's name is real. Reflections are assembled from short
templates written for this generator around each lesson's prompts; they state no facts and
quote nobody. Ratings vary by cause, region, group, person and statement, and groups that came
back for a follow-up mostly rate themselves a little higher. The same seed always gives the
same database. Rows are built as columns with numpy and appended in one bulk load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from workbook.config import PROJECT_ROOT
from workbook.keys import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, hash_key
from workbook.lessons import LessonSet, load_lessons
from workbook.models import STAKEHOLDER_KINDS, KeyFinding, SpectrumBand, Stakeholder, Tie
from workbook.stakeholders.measures import summarise_map
from workbook.store.bulk import BulkTable

if TYPE_CHECKING:
    from workbook.store import Store

DEMO_LABEL = "[demo]"
DEFAULT_DB = PROJECT_ROOT / "data" / "demo.duckdb"
DEMO_FUNDER_KEY = "demo"
START = dt.datetime(2023, 1, 9, 9, 0)
END = dt.datetime(2025, 10, 31, 17, 0)

# Causes and regions with rough weights. A few spellings differ on purpose (the funder view
# treats "HIV/AIDS" and "hiv/aids " as one cause), and a long tail of rare causes shows how
# causes with too few groups are pooled.
CAUSES: tuple[tuple[str, float], ...] = (
    ("HIV/AIDS", 14),
    ("hiv/aids ", 1),
    ("Global mental health", 13),
    ("Rare disease", 10),
    ("Disability rights", 13),
    ("Housing justice", 12),
    ("Climate action", 11),
    ("Migrant rights", 8),
    ("Food sovereignty", 6),
    ("Youth organising", 6),
    ("Community radio", 0.08),
    ("Sickle cell awareness", 0.06),
    ("Deaf culture and sign language", 0.05),
    ("Coastal fishing communities", 0.04),
    ("Renters in small towns", 0.03),
)
REGIONS: tuple[tuple[str, float], ...] = (
    ("East Africa", 12),
    ("West Africa", 10),
    ("Southern Africa", 9),
    ("South Asia", 11),
    ("South-East Asia", 8),
    ("Latin America", 11),
    ("Europe", 13),
    ("North America", 8),
    ("Middle East and North Africa", 6),
    ("", 8),
    ("Pacific islands", 0.05),
)
WORKSHOP_KINDS = ("coalition day", "spring gathering", "organisers' retreat", "evening session")

# Words that fill the templates' {slots}: everyday situations, no names, no claims.
SLOTS: dict[str, tuple[str, ...]] = {
    "movement": (
        "the HIV/AIDS movement",
        "the disability rights movement",
        "the rare disease movement",
        "the global mental health movement",
    ),
    "network": (
        "faith groups",
        "the trade union branch",
        "parents at the school gates",
        "the football club",
        "a neighbourhood chat group",
        "the market traders",
        "student societies",
    ),
    "ally": (
        "the local library",
        "a small business association",
        "nurses at the clinic",
        "a youth centre",
        "a community radio station",
        "the council's housing officer",
        "a sports club",
    ),
    "asset": (
        "the church hall",
        "a partner's meeting room",
        "text messages to our phone list",
        "our members' language skills",
        "a free community website",
        "a shared van",
    ),
    "action": (
        "sign a petition",
        "come to one meeting",
        "share their story",
        "write to the council",
        "bring a friend",
        "join a phone tree",
    ),
    "voice": (
        "younger members",
        "people with lived experience",
        "carers",
        "people who do not speak the main language",
        "people from rural areas",
        "older members",
    ),
    "moment": (
        "the budget consultation",
        "the spring anniversary",
        "the local elections",
        "the health fair",
        "the national awareness day",
    ),
    "skill": (
        "writing funding bids",
        "dealing with the press",
        "data and spreadsheets",
        "legal advice",
        "translation",
        "facilitating meetings",
    ),
    "time": ("a few weeks", "two months", "the summer", "the next meeting"),
    "leader": ("one person", "the chair", "our coordinator", "the founders"),
}

# Short first-person answers per lesson and prompt, written for this generator.
TEMPLATES: dict[tuple[str, str], tuple[str, ...]] = {
    ("learning-from-movements", "closest"): (
        "We feel closest to {movement}, because we also started with a few people who "
        "refused to stay quiet.",
        "{movement} feels closest to us: small groups, little money and a lot of stigma.",
    ),
    ("learning-from-movements", "applicable"): (
        "Peer support worked in {movement}. We would need to adapt it to our own context "
        "and find people with lived experience to lead it.",
        "We like how {movement} used personal stories, but we would have to translate the "
        "idea for {network}.",
    ),
    ("learning-from-movements", "hopes"): (
        "We want to learn how other movements keep people involved over years, not months.",
        "We hope to learn how to build coalitions without losing our own voice.",
    ),
    ("right-people", "existing-networks"): (
        "Our members already belong to {network} and {network}. We rarely ask people there "
        "to join us.",
        "Most of us are in {network}. That is where our peers already are.",
    ),
    ("right-people", "key-actors"): (
        "Someone at {ally} shares our values and has real influence, but we have not asked "
        "them to get involved yet.",
        "We know who the key people are, but we only talk to them when we need something.",
    ),
    ("right-people", "missing-places"): (
        "We have nobody in {network} and nobody who works with {ally}.",
        "We have nobody in the local council and nobody from {network}.",
    ),
    ("right-people", "timing"): (
        "{moment} is coming up in {time}. It is a good chance to meet new partners.",
        "We could use {moment} to meet people we do not know yet.",
    ),
    ("early-actions", "the-ask"): (
        "We will ask people in {network} to {action} within {time}.",
        "One clear ask: {action}. We will ask face to face, not by email.",
    ),
    ("early-actions", "experiment"): (
        "We could try a small experiment with {asset} and count how many people respond.",
        "We want to test a new tactic on a small scale for {time} and learn from what works.",
    ),
    ("early-actions", "hidden-assets"): (
        "We are not using {asset} yet, and {ally} has said we could borrow space.",
        "{asset} is an asset we keep forgetting about.",
    ),
    ("diverse-voices", "whose-voices"): (
        "The same few people speak at every meeting. We are missing {voice} and {voice}.",
        "We hear a lot from the core group and very little from {voice}.",
    ),
    ("diverse-voices", "messengers"): (
        "The most authentic messengers are {voice}, but they are rarely the ones who speak for us.",
        "People with lived experience are the most trusted messengers for our cause.",
    ),
    ("diverse-voices", "hard-core-and-negotiators"): (
        "We have a hard core and some negotiators. We keep both on board by agreeing the "
        "goal first and the tactics later.",
        "Our negotiators and our hard core members argue a lot, but we share the same goal.",
    ),
    ("diverse-voices", "sceptics"): (
        "Some people at {ally} are sceptical of us. We need to really listen before we argue.",
        "We want to listen to people who are sceptical instead of trying to win the argument.",
    ),
    ("networks-coalitions-allies", "unexpected-allies"): (
        "{ally} could bring us networks and spaces we do not have.",
        "An unexpected ally could be {ally}. They reach people we never meet.",
    ),
    ("networks-coalitions-allies", "skills-gap"): (
        "Nobody in our group is good at {skill}. {ally} might have the skills.",
        "We need help with {skill}, and we are not sure yet who to ask.",
    ),
    ("networks-coalitions-allies", "coalition-barriers"): (
        "We share the bigger aim with our partners, but we struggled to agree on specific "
        "outcomes.",
        "Our coalition got stuck on who gets the credit and who does the work.",
    ),
    ("relationship-trade-offs", "energy-drain"): (
        "Our relationship with {ally} takes the most time and energy, and we get little back.",
        "Meetings with the big partner take most of our energy. We are not sure it is worth it.",
    ),
    ("relationship-trade-offs", "strong-or-weak"): (
        "We need strong ties with {voice}, and looser ties with {ally} for information.",
        "We need trust and commitment at the core, and a wider circle of contacts for "
        "new information.",
    ),
    ("relationship-trade-offs", "not-our-battle"): (
        "We should say not our battle to some requests. We would gain time and lose a little "
        "goodwill.",
        "Saying not our battle is hard for us, because we do not want to let people down.",
    ),
    ("organising-leadership-narrative", "who-leads"): (
        "In practice {leader} leads, which is not the same as the formal roles.",
        "Too much depends on {leader}. We need to share leadership.",
    ),
    ("organising-leadership-narrative", "leadership-team"): (
        "A small leadership team of three or four people, including {voice}, would decide "
        "our priorities.",
        "A leadership team so that no single person holds everything, and new leaders can grow.",
    ),
    ("organising-leadership-narrative", "our-story"): (
        "People like us are left out of decisions. Together we can change that. Come and {action}.",
        "The challenge is real, but we have seen change before. We ask you to {action}.",
    ),
    ("keeping-momentum", "why-stay"): (
        "People stay when taking part feels good and they see that something has changed.",
        "Someone would stay for another year if they felt listened to and had a real role.",
    ),
    ("keeping-momentum", "informed"): (
        "Supporters outside this room mostly hear about us through {network}.",
        "We only contact supporters when we need something. We should keep them informed.",
    ),
    ("keeping-momentum", "after-funding"): (
        "If the funding ended tomorrow, the peer support would keep going because "
        "volunteers run it.",
        "Without the grant most of our work would stop. We need to plan beyond one source of "
        "funding.",
    ),
    ("keeping-momentum", "outside-support"): (
        "Help with {skill} would help us most. Support that tells us what to do would feel "
        "like co-option.",
        "Long-term support for the basics would help most, not one-off projects.",
    ),
    ("action-plan", "most-useful"): (
        "Diverse voices matters most right now. The first step is to invite {voice} to our "
        "next meeting.",
        "Early actions matter most for us. The first step is to ask people to {action}.",
    ),
    ("action-plan", "progress-sign"): (
        "In {time} we would see more people at meetings and new names on the contact list.",
        "Progress would be two new partners and {voice} taking part in decisions.",
    ),
}
GENERIC_TEMPLATES: tuple[str, ...] = (
    "We talked about this for a long time and agreed to come back to it in {time}.",
    "We are not sure yet. We want to ask {voice} what they think.",
)

# Stakeholder names per kind: roles, never people's names.
STAKEHOLDER_NAMES: dict[str, tuple[str, ...]] = {
    "People with lived experience": ("Peer supporters", "Members' families", "Service users"),
    "Community group": ("Tenants' association", "Parents' group", "Faith group"),
    "Ally organisation": ("Legal advice centre", "Partner charity", "Advocacy network"),
    "Non-traditional ally": ("Local business association", "Sports club", "Library"),
    "Institution or decision-maker": ("Local councillor", "Health authority", "Ministry"),
    "Funder": ("Community foundation", "Small grants fund", "Donor network"),
    "Media": ("Community radio", "Local newspaper", "Popular podcast"),
    "Dissenter or critic": ("Sceptical residents", "Rival campaign", "Critical blogger"),
}
KIND_WEIGHTS = (1.4, 1.5, 1.3, 0.45, 1.2, 0.7, 0.5, 0.3)
MAP_TEMPLATES = 400  # shapes of map; fewer for a small demo


@dataclass(frozen=True)
class DemoData:
    """The generated rows, ready for `Store.bulk_load`, and what they add up to."""

    tables: tuple[BulkTable, ...]
    facilitator_key: str

    def rows(self, table: str) -> int:
        return sum(len(t.frame) for t in self.tables if t.table == table)


def _weights(pairs: Sequence[tuple[str, float]]) -> tuple[list[str], np.ndarray]:
    names = [name for name, _ in pairs]
    weights = np.array([weight for _, weight in pairs], dtype=float)
    return names, weights / weights.sum()


def _join_codes(rng: np.random.Generator, count: int) -> list[str]:
    base = len(JOIN_CODE_ALPHABET)
    space = base**JOIN_CODE_LENGTH
    numbers = np.unique(rng.integers(0, space, size=count + count // 10 + 16))
    numbers = rng.permutation(numbers)[:count]
    codes = []
    for number in numbers.tolist():
        chars = []
        for _ in range(JOIN_CODE_LENGTH):
            number, digit = divmod(number, base)
            chars.append(JOIN_CODE_ALPHABET[digit])
        codes.append("".join(chars))
    return codes


def _fill(template: str, rng: random.Random) -> str:
    def pick(match: re.Match[str]) -> str:
        return rng.choice(SLOTS[match.group(1)])

    text = re.sub(r"\{(\w+)\}", pick, template)
    return text[0].upper() + text[1:]


def _template_maps(
    rng: np.random.Generator, count: int
) -> list[tuple[list[Stakeholder], list[Tie]]]:
    """Map shapes; each demo group's map is one of them, with its own ids. Measuring a few
    hundred shapes instead of every map keeps 10,000 workshops fast."""
    kinds = np.array(KIND_WEIGHTS) / sum(KIND_WEIGHTS)
    bands = list(SpectrumBand)
    shapes = []
    for _ in range(count):
        size = int(rng.integers(4, 15))
        people = []
        for index in range(size):
            kind = STAKEHOLDER_KINDS[int(rng.choice(len(STAKEHOLDER_KINDS), p=kinds))]
            names = STAKEHOLDER_NAMES[kind]
            people.append(
                Stakeholder(
                    id=index + 1,
                    name=f"{names[index % len(names)]} {index + 1}",
                    kind=kind,
                    influence=int(rng.integers(1, 6)),
                    band=bands[int(rng.choice(5, p=[0.08, 0.12, 0.3, 0.28, 0.22]))],
                    tie=("none", "weak", "strong")[int(rng.choice(3, p=[0.3, 0.45, 0.25]))],
                    energy_hours=float(rng.choice([0.5, 1, 2, 3, 4, 6, 8])),
                )
            )
        pairs: set[tuple[int, int]] = set()
        for _ in range(int(rng.integers(0, size + 3))):
            a, b = sorted(int(x) for x in rng.choice(size, size=2, replace=False) + 1)
            pairs.add((a, b))
        ties = [
            Tie(source_id=a, target_id=b, strength="strong" if rng.random() < 0.3 else "weak")
            for a, b in sorted(pairs)
        ]
        shapes.append((people, ties))
    return shapes


def generate(workshops: int, *, seed: int = 1, lessons: LessonSet | None = None) -> DemoData:
    """Build `workshops` demo workshops with everything in them. Deterministic per seed."""
    if workshops < 1:
        raise ValueError("--workshops must be at least 1")
    lessons = lessons if lessons is not None else load_lessons(PROJECT_ROOT / "lessons")
    if not lessons.lessons:
        raise ValueError("no lessons could be loaded, so there is nothing to answer")
    rng = np.random.default_rng(seed)
    words = random.Random(seed)  # filling templates: much faster per call than numpy
    findings = list(KeyFinding)

    # --- workshops ---
    cause_names, cause_p = _weights(CAUSES)
    region_names, region_p = _weights(REGIONS)
    cause_of = rng.choice(len(cause_names), size=workshops, p=cause_p)
    region_of = rng.choice(len(region_names), size=workshops, p=region_p)
    self_guided = rng.random(workshops) < 0.25
    shares = rng.random(workshops) < 0.85
    span = (END - START).total_seconds()
    offsets = np.sort(rng.random(workshops)) * span
    created = pd.to_datetime(START) + pd.to_timedelta(offsets.round(), unit="s")
    facilitator_key = "-".join(
        "".join(JOIN_CODE_ALPHABET[int(i)] for i in rng.integers(0, 31, size=4)) for _ in range(4)
    )
    key_hash = hash_key(facilitator_key, salt=hashlib.sha256(f"demo{seed}".encode()).digest()[:16])
    kinds = rng.integers(0, len(WORKSHOP_KINDS), size=workshops)
    titles = [
        f"{DEMO_LABEL} {cause_names[c].strip()} {WORKSHOP_KINDS[k]} {i + 1}"
        for i, (c, k) in enumerate(zip(cause_of.tolist(), kinds.tolist(), strict=True))
    ]
    workshop_frame = pd.DataFrame(
        {
            "id": np.arange(workshops, dtype=np.int64),
            "join_code": _join_codes(rng, workshops),
            "title": titles,
            "cause": [cause_names[c] for c in cause_of.tolist()],
            "region": [region_names[r] for r in region_of.tolist()],
            "facilitator_key_hash": key_hash,
            "self_guided": self_guided,
            "shares_with_funders": shares,
            "pacing": np.where(self_guided, "self", "follow"),
            "current_step": rng.integers(0, len(lessons), size=workshops),
            "created_at": created,
        }
    )

    # --- groups: one for a self-guided workshop, two to eight at a facilitated one ---
    group_counts = np.where(self_guided, 1, np.minimum(2 + rng.poisson(1.6, workshops), 8))
    group_workshop = np.repeat(np.arange(workshops), group_counts)
    groups = len(group_workshop)
    first_of = np.repeat(np.cumsum(group_counts) - group_counts, group_counts)
    table_number = np.arange(groups) - first_of + 1
    follow_up = rng.random(groups) < 0.25
    group_frame = pd.DataFrame(
        {
            "id": np.arange(groups, dtype=np.int64),
            "workshop_id": group_workshop,
            "name": [f"Table {n}" for n in table_number.tolist()],
            "name_key": [f"table {n}" for n in table_number.tolist()],
            "current_round": np.where(follow_up, 2, 1),
            "created_at": created[group_workshop],
        }
    )

    # --- participants: one at a shared laptop, up to eight on phones ---
    member_counts = np.minimum(1 + rng.poisson(1.8, groups), 8)
    member_group = np.repeat(np.arange(groups), member_counts)
    people = len(member_group)
    named = rng.random(people) < 0.3
    participant_frame = pd.DataFrame(
        {
            "id": np.arange(people, dtype=np.int64),
            "workshop_id": group_workshop[member_group],
            "group_id": member_group,
            "display_name": np.where(named, [f"Demo person {i + 1}" for i in range(people)], ""),
            "token_hash": [
                hashlib.sha256(f"demo-token:{seed}:{i}".encode()).hexdigest() for i in range(people)
            ],
            "quote_consent": rng.random(people) < 0.55,
            "created_at": created[group_workshop[member_group]],
        }
    )

    # --- which lessons each person answered: groups get through 1 to all of them ---
    lesson_list = list(lessons.lessons)
    n_lessons = len(lesson_list)
    reach_p = np.linspace(1, 3, n_lessons)
    reached = 1 + rng.choice(n_lessons, size=groups, p=reach_p / reach_p.sum())
    answers = (rng.random((people, n_lessons)) < 0.45) & (
        np.arange(n_lessons)[None, :] < reached[member_group][:, None]
    )
    pair_person, pair_lesson = np.nonzero(answers)
    pair_group = member_group[pair_person]
    pair_workshop = group_workshop[pair_group]

    # --- ratings: group level by cause, region and finding, plus person and statement noise ---
    cause_effect = rng.normal(0, 0.3, size=(len(cause_names), len(findings)))
    region_effect = rng.normal(0, 0.2, size=len(region_names))
    group_level = rng.normal(3.0, 0.55, size=(groups, len(findings)))
    group_level += (
        cause_effect[cause_of[group_workshop]] + region_effect[region_of[group_workshop]][:, None]
    )
    improvement = rng.normal(0.35, 0.3, size=groups)
    rating_parts = []
    for lesson_index, lesson in enumerate(lesson_list):
        mine = np.nonzero(pair_lesson == lesson_index)[0]
        for statement in lesson.ratings:
            finding = lesson.finding_of(statement)
            offset = rng.normal(0, 0.3)
            chosen = mine[rng.random(len(mine)) < 0.8]
            base = group_level[pair_group[chosen], findings.index(finding)] + offset
            for round_ in (1, 2):
                rows = chosen
                level = base
                if round_ == 2:
                    again = follow_up[pair_group[chosen]] & (rng.random(len(chosen)) < 0.8)
                    rows, level = (
                        chosen[again],
                        base[again] + improvement[pair_group[chosen[again]]],
                    )
                noise = rng.normal(0, 0.7, size=len(rows))
                value = np.clip(np.rint(level + noise), 1, 5).astype(np.int8)
                rating_parts.append(
                    pd.DataFrame(
                        {
                            "workshop_id": pair_workshop[rows],
                            "group_id": pair_group[rows],
                            "participant_id": pair_person[rows],
                            "lesson_id": lesson.id,
                            "statement_id": statement.id,
                            "key_finding": finding.value,
                            "round": round_,
                            "value": value,
                            "when": pair_workshop[rows],
                            "later": round_ == 2,
                        }
                    )
                )
    rating_frame = pd.concat(rating_parts, ignore_index=True)

    # --- reflections: a prompt or two per answered lesson, from the templates ---
    reflection_parts = []
    for lesson_index, lesson in enumerate(lesson_list):
        mine = np.nonzero(pair_lesson == lesson_index)[0]
        for prompt in lesson.prompts:
            for round_ in (1, 2):
                chance = 0.35 if round_ == 1 else 0.1
                rows = mine[rng.random(len(mine)) < chance]
                if round_ == 2:
                    rows = rows[follow_up[pair_group[rows]]]
                templates = TEMPLATES.get((lesson.id, prompt.id), GENERIC_TEMPLATES)
                texts = [_fill(words.choice(templates), words) for _ in rows]
                reflection_parts.append(
                    pd.DataFrame(
                        {
                            "workshop_id": pair_workshop[rows],
                            "group_id": pair_group[rows],
                            "participant_id": pair_person[rows],
                            "lesson_id": lesson.id,
                            "prompt_id": prompt.id,
                            "round": round_,
                            "text": texts,
                            "when": pair_workshop[rows],
                            "later": round_ == 2,
                        }
                    )
                )
    reflection_frame = pd.concat(reflection_parts, ignore_index=True)

    def answered_at(frame: pd.DataFrame) -> pd.Series:
        minutes = rng.integers(20, 240, size=len(frame))
        days = np.where(frame["later"], rng.integers(30, 120, size=len(frame)), 0)
        return pd.Series(
            created[frame["when"].to_numpy()]
            + pd.to_timedelta(minutes, unit="m")
            + pd.to_timedelta(days, unit="D")
        )

    for frame in (rating_frame, reflection_frame):
        frame["created_at"] = answered_at(frame).to_numpy()
        frame["updated_at"] = frame["created_at"]
        frame.insert(0, "id", np.arange(len(frame), dtype=np.int64))
    rating_frame = rating_frame.drop(columns=["when", "later"])
    reflection_frame = reflection_frame.drop(columns=["when", "later"])

    # --- stakeholder maps: most groups that reached the networks lesson drew one ---
    map_lesson = next(
        (i for i, lesson in enumerate(lesson_list) if lesson.exercise == "stakeholder_map"),
        n_lessons - 1,
    )
    has_map = (reached > map_lesson) & (rng.random(groups) < 0.7)
    map_groups = np.nonzero(has_map)[0]
    shapes = _template_maps(rng, min(MAP_TEMPLATES, 20 + workshops))
    summaries = [summarise_map(people_, ties_) for people_, ties_ in shapes]
    shape_of = rng.integers(0, len(shapes), size=len(map_groups))
    stakeholder_rows: dict[str, list[object]] = {
        c: []
        for c in (
            "group_id",
            "name",
            "kind",
            "influence",
            "band",
            "tie",
            "energy_hours",
        )
    }
    tie_rows: dict[str, list[object]] = {
        c: [] for c in ("group_id", "source_id", "target_id", "strength")
    }
    next_id = 0
    for group, shape in zip(map_groups.tolist(), shape_of.tolist(), strict=True):
        people_, ties_ = shapes[shape]
        first = next_id
        for person in people_:
            stakeholder_rows["group_id"].append(group)
            stakeholder_rows["name"].append(person.name)
            stakeholder_rows["kind"].append(person.kind)
            stakeholder_rows["influence"].append(person.influence)
            stakeholder_rows["band"].append(person.band.value)
            stakeholder_rows["tie"].append(person.tie.value)
            stakeholder_rows["energy_hours"].append(person.energy_hours)
            next_id += 1
        for tie in ties_:
            tie_rows["group_id"].append(group)
            tie_rows["source_id"].append(first + tie.source_id - 1)
            tie_rows["target_id"].append(first + tie.target_id - 1)
            tie_rows["strength"].append(tie.strength.value)
    stakeholder_frame = pd.DataFrame(stakeholder_rows)
    stakeholder_group = stakeholder_frame["group_id"].to_numpy(dtype=np.int64)
    map_time = created[group_workshop[stakeholder_group]] + pd.to_timedelta(90, unit="m")
    stakeholder_frame.insert(0, "id", np.arange(len(stakeholder_frame), dtype=np.int64))
    stakeholder_frame.insert(1, "workshop_id", group_workshop[stakeholder_group])
    stakeholder_frame["target_band"] = pd.Series([None] * len(stakeholder_frame), dtype=object)
    stakeholder_frame["note"] = ""
    stakeholder_frame["not_our_battle"] = False
    stakeholder_frame["must_invest"] = False
    stakeholder_frame["created_at"] = map_time
    stakeholder_frame["updated_at"] = map_time
    tie_frame = pd.DataFrame(tie_rows)
    tie_frame["created_at"] = created[
        group_workshop[tie_frame["group_id"].to_numpy(dtype=np.int64)]
    ]
    measure_frame = pd.DataFrame(
        {
            "group_id": map_groups,
            "workshop_id": group_workshop[map_groups],
            "stakeholders": [summaries[s].stakeholders for s in shape_of.tolist()],
            "ties": [summaries[s].ties for s in shape_of.tolist()],
            "strong_tie_share": [summaries[s].strong_tie_share for s in shape_of.tolist()],
            "single_points_of_failure": [
                summaries[s].single_points_of_failure for s in shape_of.tolist()
            ],
            "kinds_present": [list(summaries[s].kinds_present) for s in shape_of.tolist()],
            "kinds_missing": [list(summaries[s].kinds_missing) for s in shape_of.tolist()],
            "updated_at": created[group_workshop[map_groups]] + pd.to_timedelta(90, unit="m"),
        }
    )

    answer_refs = {
        "workshop_id": "workshops",
        "group_id": "groups",
        "participant_id": "participants",
    }
    tables = (
        BulkTable("workshops", workshop_frame),
        BulkTable("groups", group_frame, {"workshop_id": "workshops"}),
        BulkTable(
            "participants", participant_frame, {"workshop_id": "workshops", "group_id": "groups"}
        ),
        BulkTable("reflections", reflection_frame, answer_refs),
        BulkTable("ratings", rating_frame, answer_refs),
        BulkTable(
            "stakeholders", stakeholder_frame, {"workshop_id": "workshops", "group_id": "groups"}
        ),
        BulkTable(
            "stakeholder_ties",
            tie_frame,
            {"group_id": "groups", "source_id": "stakeholders", "target_id": "stakeholders"},
        ),
        BulkTable(
            "map_measures", measure_frame, {"group_id": "groups", "workshop_id": "workshops"}
        ),
    )
    return DemoData(tables=tables, facilitator_key=facilitator_key)


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def open_command(db: Path) -> str:
    """The one command that opens the funder view on a demo database."""
    return (
        f"WORKBOOK_DB={_shown_path(db)} WORKBOOK_FUNDER_KEY={DEMO_FUNDER_KEY} "
        "bash scripts/run_app.sh"
    )


def _release(store: Store) -> list[str]:
    """Make the funder releases of every demo year, as the server's operator would."""
    from workbook.config import get_settings
    from workbook.release.command import make_periods

    lessons = load_lessons(get_settings().lessons_dir)
    return list(make_periods(store, lessons, periods=None, rho=None).lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workbook.demo",
        description="Fill a database with labelled synthetic workshops for the funder view.",
    )
    parser.add_argument("--workshops", type=int, required=True, help="how many workshops")
    parser.add_argument(
        "--db",
        type=Path,
        default=DEFAULT_DB,
        help=f"DuckDB file (default {_shown_path(DEFAULT_DB)})",
    )
    parser.add_argument("--seed", type=int, default=1, help="same seed, same data (default 1)")
    parser.add_argument(
        "--replace", action="store_true", help="delete the file first if it already exists"
    )
    parser.add_argument(
        "--no-release",
        action="store_true",
        help="do not make the funder releases (python -m workbook.release make does it later)",
    )
    args = parser.parse_args(argv)
    if args.workshops < 1:
        parser.error("--workshops must be at least 1")

    from pydantic import ValidationError

    from workbook.config import get_settings, setting_problems
    from workbook.store import Store, StoreError

    try:
        get_settings()  # the releases read them; a wrong one is told before anything is written
    except ValidationError as error:
        print("\n".join(setting_problems(error)), file=sys.stderr)
        return 2

    db: Path = args.db
    if args.replace:
        for path in (db, db.with_name(db.name + ".wal")):
            path.unlink(missing_ok=True)
    started = time.perf_counter()
    try:
        store = Store(db)
    except StoreError as error:
        print(error, file=sys.stderr)
        return 1
    try:
        existing = store.workshop_count()
        if existing:
            print(
                f"{_shown_path(db)} already holds {existing:,} workshops. Add --replace to start "
                "it afresh, or choose another file with --db.",
                file=sys.stderr,
            )
            return 1
        data = generate(args.workshops, seed=args.seed)
        built = time.perf_counter()
        store.bulk_load(data.tables)
        loaded = time.perf_counter()
        released = [] if args.no_release else _release(store)
    finally:
        store.close()
    print(
        f"Wrote {data.rows('workshops'):,} demo workshops to {_shown_path(db)} "
        f"(seed {args.seed}): {data.rows('groups'):,} groups, "
        f"{data.rows('participants'):,} participants, {data.rows('ratings'):,} ratings, "
        f"{data.rows('reflections'):,} reflections, {data.rows('map_measures'):,}"
        f" stakeholder maps in {loaded - started:.1f} s (built {built - started:.1f} s, "
        f"stored {loaded - built:.1f} s)."
    )
    for line in released:
        print(line)
    print(f"The facilitator key of every demo workshop: {data.facilitator_key}")
    print("Open the funder view on it (funder key: demo) with:")
    print(f"  {open_command(db)}")
    print("then go to http://localhost:8501/funders")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
