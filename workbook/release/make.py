"""Making one release: read one period's groups once, bound what each can add, measure every
table with OpenDP noise, reconcile, pick the quote sample, store it all with the budget spent.

What one group can add (its sensitivity), per measured family and in each of the four tables
(all; by cause; by region; by cause and region):
- causes / regions: 1 to the count of its own spelling (threshold: unknown spellings).
- groups: 1 to the groups, and 1 to the workshops if it is its workshop's first group.
- participants: its participants, capped (`participants_cap`).
- ratings: per rating statement, 1 to one of five bars (its members' mean at the first look,
  rounded). Means are computed from the bars, so they are means of rounded group ratings.
- change: per key finding, for a group rated both at the first look and at a follow-up: 1 to
  the returning groups and its change (latest follow-up minus first look, -4..4).
- maps: 1 to the maps, to each kind of stakeholder it includes, to the maps with a single
  point of failure and with any tie, and its share of strong ties (0..1).
- phrases: at most `phrases_per_lesson` phrases per lesson (its most used), 1 to each.

Only the lessons' rating statements and prompts are measured: a facilitator's own (ids
own-...) are one workshop's, never comparable, and never in a release. A statement's figures
come from the groups that rated it, so only from workshops whose plan asked it, in whatever
language (a translation keeps the statement's id).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook import text_analysis
from workbook.lessons import OWN_PREFIX, LessonSet
from workbook.models import STAKEHOLDER_KINDS
from workbook.release.budget import RATERS_SHARE, Budget, statement_rhos
from workbook.release.marginals import ALL, Marginals
from workbook.release.mechanisms import Noise, OpenDPNoise, Spent
from workbook.store.releases import ReleaseQueries

OTHER_KEY = " other"  # spellings are trimmed, so no cause or region has this key
OTHER_CAUSES = "Other causes"
OTHER_REGIONS = "Other regions"
NO_REGION = "Region not given"
QUOTE_LENGTH = (40, 400)


class ReleaseRefused(Exception):
    """A release that cannot be made, said plainly."""


@dataclass(frozen=True)
class MadeRelease:
    release_id: int
    period: int
    groups: int
    left_out: int  # groups whose lifetime budget would be exceeded
    spent: Spent


def statement_ids(lessons: LessonSet) -> list[tuple[str, str, str]]:
    """(lesson id, statement id, key finding) of every rating statement, in lesson order."""
    return [
        (lesson.id, statement.id, str(lesson.finding_of(statement)))
        for lesson in lessons.lessons
        for statement in lesson.ratings
    ]


def _categories(
    spellings: pd.Series, *, noise: Noise, rho: float, delta: float, other: str
) -> tuple[list[str], list[str], np.ndarray, Spent]:
    """Released keys (case-folded), their labels, each group's position, and the cost."""
    counts = Counter(str(s) for s in spellings)
    released, spent = noise.threshold_keys(counts, keys_per_group=1, rho=rho, delta=delta)
    best: dict[str, tuple[int, str]] = {}
    for spelling, noisy in released.items():
        key = spelling.casefold()
        if key not in best or noisy > best[key][0]:
            best[key] = (noisy, spelling)
    totals = Counter()
    for spelling, noisy in released.items():
        totals[spelling.casefold()] += noisy
    keys = sorted(best, key=lambda k: (-totals[k], k))
    labels = [best[k][1] or NO_REGION for k in keys]
    position = {k: i for i, k in enumerate(keys)}
    index = np.array(
        [position.get(str(s).casefold(), len(keys)) for s in spellings], dtype=np.int64
    )
    return [*keys, OTHER_KEY], [*labels, other], index, spent


def _fine(values: np.ndarray, cause: np.ndarray, region: np.ndarray, shape: tuple[int, int]):
    """Sum per-group rows (groups, ...) into fine cells (..., causes, regions)."""
    out = np.zeros((*values.shape[1:], *shape), dtype=values.dtype)
    moved = np.moveaxis(out, (-2, -1), (0, 1))
    np.add.at(moved, (cause, region), values)
    return out


class _Figures:
    """Collects reconciled figures as rows."""

    def __init__(self, marginals: Marginals) -> None:
        self.marginals = marginals
        self.frames: list[pd.DataFrame] = []
        self.scales: dict[str, float] = {}
        self.sensitivities: dict[str, float] = {}
        # Families measured one measure at a time: each measure's scale and L2 bound.
        self.measure_scales: dict[str, dict[str, float]] = {}
        self.measure_sensitivities: dict[str, float] = {}

    def measure(
        self,
        family: str,
        fine: np.ndarray,  # (measures, parts, causes, regions)
        *,
        measures: Sequence[str],
        parts: Sequence[str],
        sensitivity: float,
        rho: float | Sequence[float],
        noise: Noise,
        unit: Sequence[float] | None = None,
    ) -> Spent:
        """Measure every table of `fine` with Gaussian noise and keep the reconciled figures.
        One `rho`: one measurement of everything, `sensitivity` its L2 bound. One rho per
        measure: a measurement per measure with its own noise, `sensitivity` each one's bound
        (the costs add up: zCDP composes)."""
        exact = self.marginals.measure(fine)  # (measures, parts, cells)
        if isinstance(rho, (int, float)):
            noisy, scale, spent = noise.gaussian_vector(exact, sensitivity=sensitivity, rho=rho)
            scales = np.full(len(measures), scale)
        else:
            spent = Spent(0.0)
            noisy = np.empty_like(exact)
            scales = np.empty(len(measures))
            for m, rho_m in enumerate(rho):
                noisy[m], scales[m], one = noise.gaussian_vector(
                    exact[m], sensitivity=sensitivity, rho=float(rho_m)
                )
                spent += one
            scale = float(scales.max(initial=0.0))
            self.measure_scales[family] = dict(zip(measures, scales.tolist(), strict=True))
            self.measure_sensitivities[family] = sensitivity
            sensitivity = sensitivity * math.sqrt(len(measures))  # the whole family's bound
        estimate = self.marginals.reconcile(noisy.astype(np.float64))
        factor = np.ones(len(parts)) if unit is None else np.asarray(unit, dtype=np.float64)
        estimate = estimate * factor[None, :, None]
        variances = (
            (scales**2)[:, None, None]
            * self.marginals.variance_factor[None, None, :]
            * (factor**2)[None, :, None]
        )
        variances = np.broadcast_to(variances, estimate.shape)
        cells = self.marginals.cells
        m, p, c = estimate.shape
        self.frames.append(
            pd.DataFrame(
                {
                    "family": family,
                    "measure": np.repeat(np.asarray(measures, dtype=object), p * c),
                    "part": np.tile(np.repeat(np.asarray(parts, dtype=object), c), m),
                    "cause": np.tile([cell[0] for cell in cells], m * p),
                    "region": np.tile([cell[1] for cell in cells], m * p),
                    "value": estimate.ravel(),
                    "variance": variances.ravel(),
                }
            )
        )
        self.scales[family] = scale
        self.sensitivities[family] = sensitivity
        return spent

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.frames, ignore_index=True)


def _group_phrases(
    texts: Sequence[str], names: frozenset[str], keep: int, language: str = "en"
) -> list[str]:
    """A group's `keep` most used phrases in its answers to one lesson, written in its
    workshop's `language` (whose stop words are left out)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(text_analysis.phrases_of(text, extra_stop=names, language=language))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [phrase for phrase, _ in ranked[:keep]]


def _name_words(names: Sequence[str]) -> frozenset[str]:
    words: set[str] = set()
    for name in names:
        words.update(text_analysis.words_of(name))
    return frozenset(words)


def _vocabulary(lessons: LessonSet) -> frozenset[str]:
    """Words of the lessons themselves: never blanked as names when capitalised."""
    words: set[str] = set()
    for lesson in lessons.lessons:
        for text in (lesson.title, lesson.summary, lesson.body):
            words.update(text_analysis.words_of(text))
        for prompt in lesson.prompts:
            words.update(text_analysis.words_of(prompt.text))
        for statement in lesson.ratings:
            words.update(text_analysis.words_of(statement.text))
    return frozenset(words)


def make_release(
    store: ReleaseQueries,
    lessons: LessonSet,
    *,
    period: int,
    budget: Budget,
    noise: Noise | None = None,
) -> MadeRelease:
    """Measure the period's shared groups once and store the release. Refuses, with a
    sentence, when the period has no shared group or none with budget left."""
    noise = noise or OpenDPNoise()
    groups = store.release_groups(period=period)
    if groups.empty:
        raise ReleaseRefused(
            f"No workshop that shares with funders started in {period}, so there is "
            "nothing to release for it."
        )
    spent_before = store.privacy_spent([int(g) for g in groups["group_id"]])
    room = np.array(
        [
            spent_before.get(int(g), 0.0) + budget.rho <= budget.lifetime_rho + 1e-12
            for g in groups["group_id"]
        ]
    )
    left_out = int((~room).sum())
    groups = groups[room].reset_index(drop=True)
    if groups.empty:
        raise ReleaseRefused(
            f"Every group of {period} has already spent its privacy budget "
            f"(rho {budget.lifetime_rho:g} in all), so no further release of {period} "
            "can include them."
        )
    # A new release of a period replaces its last one in the funder view: never with one
    # that measures fewer groups (those whose budget is spent are left out), which would
    # swap a year's figures for a few groups' (outside walk-through: 190 groups for 2).
    earlier = [r for r in store.release_records() if r.period == period]
    if left_out and earlier and earlier[-1].groups_in > len(groups):
        raise ReleaseRefused(
            f"{left_out} of the {left_out + len(groups)} groups of {period} have spent their "
            f"privacy budget, so a new release would measure only {len(groups)} and replace "
            f"release {earlier[-1].id}, which measured {earlier[-1].groups_in}: not made. "
            f"The funder view keeps release {earlier[-1].id}."
        )
    row_of = {int(g): i for i, g in enumerate(groups["group_id"])}
    total = Spent(0.0)

    # Filters: the causes and regions held by enough groups, chosen with noise.
    cause_keys, cause_labels, cause, spent = _categories(
        groups["cause"],
        noise=noise,
        rho=budget.rho_of("causes"),
        delta=budget.threshold_delta,
        other=OTHER_CAUSES,
    )
    total += spent
    region_keys, region_labels, region, spent = _categories(
        groups["region"],
        noise=noise,
        rho=budget.rho_of("regions"),
        delta=budget.threshold_delta,
        other=OTHER_REGIONS,
    )
    total += spent
    shape = (len(cause_keys), len(region_keys))
    marginals = Marginals(*shape)
    figures = _Figures(marginals)
    tables = marginals.tables

    # Headline counts.
    counts = np.stack(
        [np.ones(len(groups), dtype=np.int64), groups["counts_workshop"].to_numpy(np.int64)],
        axis=1,
    )[:, None, :]
    total += figures.measure(
        "groups",
        _fine(counts, cause, region, shape),
        measures=["all"],
        parts=["groups", "workshops"],
        sensitivity=math.sqrt(2 * tables),
        rho=budget.rho_of("groups"),
        noise=noise,
    )
    people = np.clip(groups["participants"].to_numpy(np.int64), 0, budget.participants_cap)
    total += figures.measure(
        "participants",
        _fine(people[:, None, None], cause, region, shape),
        measures=["all"],
        parts=["participants"],
        sensitivity=budget.participants_cap * math.sqrt(tables),
        rho=budget.rho_of("participants"),
        noise=noise,
    )

    # Ratings at the first look: five bars per statement.
    statements = statement_ids(lessons)
    ratings = store.release_ratings(
        period=period, statements=[(lesson, statement) for lesson, statement, _ in statements]
    )
    ratings = ratings[ratings["group_id"].isin(row_of)]
    bars = np.zeros((len(groups), len(statements), 5), dtype=np.int64)
    first = ratings.dropna(subset=["first"])
    rows = first["group_id"].map(row_of).to_numpy(np.int64)
    bar = np.clip(np.floor(first["first"].to_numpy(np.float64) + 0.5), 1, 5).astype(np.int64) - 1
    bars[rows, first["measure"].to_numpy(np.int64), bar] = 1
    # Each statement its own noise: first a noisy count of its raters (with a small part of
    # the ratings' rho), then the rest split so statements rated by fewer groups get less
    # noise (budget.statement_rhos). The split depends only on that noisy count, and the
    # parts add up to the same rho whatever it is, so zCDP's composition bounds the total.
    rating_measures = [f"{lesson}/{statement}" for lesson, statement, _ in statements]
    raters_rho = budget.rho_of("ratings") * RATERS_SHARE
    raters, _, spent = noise.gaussian_vector(
        bars.sum(axis=(0, 2)).astype(np.float64),
        sensitivity=math.sqrt(max(len(statements), 1)),
        rho=raters_rho,
    )
    total += spent
    rhos = statement_rhos(
        raters,
        budget.rho_of("ratings") - raters_rho,
        sensitivity=math.sqrt(tables),
        # Planned under one filter: a cause or region holding an even share of the groups.
        variance=float(marginals.variance_factor[marginals.index(0, ALL)]),
        share=1.0 / max(shape),
    )
    total += figures.measure(
        "ratings",
        _fine(bars, cause, region, shape),
        measures=rating_measures,
        parts=["1", "2", "3", "4", "5"],
        sensitivity=math.sqrt(tables),
        rho=[float(r) for r in rhos],
        noise=noise,
    )

    # Change between the first look and the latest follow-up, per key finding.
    findings = sorted({finding for _, _, finding in statements})
    finding_of = np.array([findings.index(f) for _, _, f in statements], dtype=np.int64)
    paired = ratings.dropna(subset=["first", "latest"])
    change = np.zeros((len(groups), len(findings), 2), dtype=np.float64)
    if not paired.empty:
        frame = (
            pd.DataFrame(
                {
                    "row": paired["group_id"].map(row_of).to_numpy(np.int64),
                    "finding": finding_of[paired["measure"].to_numpy(np.int64)],
                    "diff": paired["latest"].to_numpy(np.float64)
                    - paired["first"].to_numpy(np.float64),
                }
            )
            .groupby(["row", "finding"], as_index=False)["diff"]
            .mean()
        )
        change[frame["row"], frame["finding"], 0] = 1.0
        # Half the change, bounded to -2..2 like the other parts' scale; doubled back after.
        change[frame["row"], frame["finding"], 1] = np.clip(frame["diff"], -4, 4) / 2
    total += figures.measure(
        "change",
        _fine(change, cause, region, shape),
        measures=findings,
        parts=["groups", "change"],
        sensitivity=math.sqrt(max(len(findings), 1) * 5 * tables),
        rho=budget.rho_of("change"),
        noise=noise,
        unit=[1.0, 2.0],
    )

    # Stakeholder maps.
    maps = store.release_maps(period=period)
    maps = maps[maps["group_id"].isin(row_of)]
    kinds = list(STAKEHOLDER_KINDS)
    map_parts = ["maps", "single_point", "tied", "strong_share", *(f"kind:{k}" for k in kinds)]
    map_rows = np.zeros((len(groups), len(map_parts)), dtype=np.float64)
    for group_id, present, spof, tied, share in maps.itertuples(index=False):
        row = row_of[int(group_id)]
        map_rows[row, 0] = 1.0
        map_rows[row, 1] = float(bool(spof))
        map_rows[row, 2] = float(bool(tied))
        map_rows[row, 3] = 0.0 if share is None or pd.isna(share) else min(max(share, 0.0), 1.0)
        for kind in [] if present is None else list(present):
            if kind in kinds:
                map_rows[row, 4 + kinds.index(kind)] = 1.0
    total += figures.measure(
        "maps",
        _fine(map_rows[:, None, :], cause, region, shape),
        measures=["all"],
        parts=map_parts,
        sensitivity=math.sqrt(len(map_parts) * tables),
        rho=budget.rho_of("maps"),
        noise=noise,
    )

    # Phrases and quotes, from consented answers no facilitator hid.
    names = store.known_names()
    name_words = _name_words(names)
    reflections = store.release_reflections(period=period)
    # Answers to a facilitator's own prompts (ids own-...) are one workshop's questions, not
    # the lesson's: they are neither counted in phrases nor quoted under the lesson.
    reflections = reflections[
        reflections["group_id"].isin(row_of) & ~reflections["prompt_id"].str.startswith(OWN_PREFIX)
    ]
    lesson_ids = [lesson.id for lesson in lessons.lessons if lesson.prompts]
    phrase_counts: Counter[str] = Counter()
    # A group is in one workshop, so its answers share that workshop's language, whose stop
    # words are left out. What a group may add to the counts is unchanged: at most
    # `phrases_per_lesson` phrases per lesson, each counted once.
    grouped = reflections.groupby(["group_id", "lesson_id"])
    for (_, lesson_id), answers in grouped[["text", "language"]]:
        if lesson_id in lesson_ids:
            language = str(answers["language"].iloc[0])
            texts = list(answers["text"])
            for phrase in _group_phrases(texts, name_words, budget.phrases_per_lesson, language):
                phrase_counts[f"{lesson_id}\x1f{phrase}"] += 1
    released, spent = noise.threshold_keys(
        phrase_counts,
        keys_per_group=budget.phrases_per_lesson * max(len(lesson_ids), 1),
        rho=budget.rho_of("phrases"),
        delta=budget.threshold_delta,
    )
    total += spent
    phrase_scale = math.sqrt(budget.phrases_per_lesson * max(len(lesson_ids), 1)) / math.sqrt(
        2 * budget.rho_of("phrases")
    )
    phrases = pd.DataFrame(
        [
            {
                "lesson_id": key.split("\x1f")[0],
                "phrase": key.split("\x1f")[1],
                "groups": float(value),
                "variance": phrase_scale**2,
            }
            for key, value in released.items()
        ],
        columns=["lesson_id", "phrase", "groups", "variance"],
    )

    quotes = _quote_sample(
        store,
        reflections,
        period=period,
        groups=groups,
        row_of=row_of,
        cause=cause,
        region=region,
        lesson_ids=lesson_ids,
        budget=budget,
        noise=noise,
        names=names,
        vocabulary=_vocabulary(lessons),
    )

    categories = pd.DataFrame(
        [
            {"axis": axis, "position": i, "key": key, "label": label}
            for axis, keys, labels in (
                ("cause", cause_keys, cause_labels),
                ("region", region_keys, region_labels),
            )
            for i, (key, label) in enumerate(zip(keys, labels, strict=True))
        ]
    )
    spent_rows = pd.DataFrame(
        {"group_id": groups["group_id"].astype("int64"), "rho": total.rho, "delta": total.delta}
    )
    parameters = {
        "budget": budget.model_dump(),
        "scales": figures.scales,
        "sensitivities": figures.sensitivities,
        "measure_scales": figures.measure_scales,
        "measure_sensitivities": figures.measure_sensitivities,
        "raters": dict(zip(rating_measures, [float(x) for x in raters], strict=True)),
        "raters_sensitivity": math.sqrt(max(len(statements), 1)),
        "phrase_scale": phrase_scale,
        "statements": rating_measures,
        "finding_of": {f"{lesson}/{statement}": f for lesson, statement, f in statements},
        "findings": findings,
    }
    release_id = store.save_release(
        period=period,
        rho=total.rho,
        delta=total.delta,
        parameters=parameters,
        categories=categories,
        figures=figures.frame(),
        phrases=phrases,
        quotes=quotes,
        spent=spent_rows,
    )
    return MadeRelease(release_id, period, len(groups), left_out, total)


# A quote as stored: its answer's id is kept to withdraw it (`withdrawn_quotes`), never shown.
QUOTE_COLUMNS = ["lesson_id", "position", "cause", "region", "text", "reflection_id"]


def _quote_sample(
    store: ReleaseQueries,
    reflections: pd.DataFrame,
    *,
    period: int,
    groups: pd.DataFrame,
    row_of: dict[int, int],
    cause: np.ndarray,
    region: np.ndarray,
    lesson_ids: Sequence[str],
    budget: Budget,
    noise: Noise,
    names: Sequence[str],
    vocabulary: frozenset[str],
) -> pd.DataFrame:
    """A fixed sample per lesson: the answers with the lowest random keys (drawn once per
    answer and kept, so a period released again shows the same quotes), one per group, only
    from groups whose own cause x region of this period (as typed, not as pooled into
    "other") holds at least K groups from at least `quote_workshops` workshops that could
    have written it: groups that answered the same lesson, in a workshop of the same
    language. A quote shows its lesson and its language
    as well as its cause, region and year, and who ran which lesson in which language is the
    kind of side fact a reader may know; counting the whole cell let a Danish quote of a
    lesson only one workshop there ran in Danish be pinned to that workshop (outside
    walk-through). Names blanked. Each quote is filed under its group's published cause and
    region."""
    low, high = QUOTE_LENGTH
    pool = reflections[
        reflections["lesson_id"].isin(lesson_ids) & reflections["text"].str.len().between(low, high)
    ]
    if pool.empty:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    ids = [int(i) for i in pool["id"]]
    keys = store.quote_keys(ids)
    missing = [i for i in ids if i not in keys]
    drawn = dict(zip(missing, noise.uniform_keys(len(missing)), strict=True))
    store.add_quote_keys(drawn)
    keys |= drawn
    true_cell = groups["cause"].str.casefold() + "\x1f" + groups["region"].str.casefold()
    # Who could have written a quote, as far as a reader can tell: per lesson, language and
    # cause x region, the groups that answered that lesson (whether they consented, or the
    # answer was shown, is not the reader's to know), and their workshops.
    authors = store.release_answerers(period=period)
    authors = authors[authors["group_id"].isin(row_of)]
    at = [row_of[int(g)] for g in authors["group_id"]]
    authors = authors.assign(
        cell=true_cell.iloc[at].to_numpy(), workshop=groups["workshop_id"].iloc[at].to_numpy()
    )
    could = authors.groupby(["lesson_id", "language", "cell"]).agg(
        groups=("group_id", "nunique"), workshops=("workshop", "nunique")
    )
    hidden_enough = {
        index
        for index, row in could.iterrows()
        if row["groups"] >= budget.min_groups and row["workshops"] >= budget.quote_workshops
    }
    language_of = dict(zip(authors["group_id"], authors["language"], strict=True))
    redactor = text_analysis.Redactor(names, vocabulary=vocabulary)
    ranked = pool.assign(key=[keys[i] for i in ids]).sort_values(["lesson_id", "key"])
    rows = []
    for lesson_id, answers in ranked.groupby("lesson_id", sort=True):
        taken: set[int] = set()
        for reflection_id, group_id, text in zip(
            answers["id"], answers["group_id"], answers["text"], strict=True
        ):
            row = row_of[int(group_id)]
            among = (lesson_id, language_of[group_id], true_cell.iat[row])
            if int(group_id) in taken or among not in hidden_enough:
                continue
            taken.add(int(group_id))
            rows.append(
                {
                    "lesson_id": lesson_id,
                    "position": len(taken) - 1,
                    "cause": int(cause[row]),
                    "region": int(region[row]),
                    "text": redactor(str(text)),
                    "reflection_id": int(reflection_id),
                }
            )
            if len(taken) == budget.quotes_per_lesson:
                break
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)


__all__ = ["ALL", "MadeRelease", "ReleaseRefused", "make_release", "statement_ids"]
