"""Property tests: any text a person can type (and a lot they cannot) goes through every model
and through the store either unchanged or refused with a plain sentence; never a crash."""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from workbook.answers import prepare_answers
from workbook.config import PROJECT_ROOT
from workbook.lessons import load_lessons
from workbook.models import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_TITLE_CHARS,
    STAKEHOLDER_KINDS,
    CommitmentIn,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieIn,
    TieStrength,
    WorkshopCreate,
    plain_errors,
)
from workbook.store import Store
from workbook.ui.text import escaped

# Texts people paste: scripts, SQL, right-to-left with marks, emoji sequences, odd spaces.
TRICKY = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "**bold** _it_ [link](javascript:alert(1)) `code` # heading",
    "'); DROP TABLE reflections;--",
    "1' OR '1'='1",
    "Robert'); DELETE FROM ratings WHERE ('1'='1",
    "שלום עולם \u200f(ימין לשמאל)\u200e",
    "مرحبا بالعالم",
    "English مع عربي and עברית mixed",
    "👩🏽‍🤝‍👩🏿 🏳️‍🌈 👋🏽",
    "e\u0301 vs é",  # combining accent: NFC makes them one
    "zero\u200bwidth",
    "\ufeffbyte order mark",
    "tab\there",
    "line\nbreak",
    "carriage\rreturn",
    "nul\x00char",
    "bell\x07",
    "escape\x1b[31mred",
    "  padded  ",
    "",
    " ",
    "\u00a0",
    "%s %d {0} {name} $1 \\N",
    "${jndi:ldap://x}",
    "../../etc/passwd",
    "Ω≈ç√∫˜µ≤≥÷ 田中さんにあげて下さい 𝕳𝖊𝖑𝖑𝖔",
]

# Everything hypothesis can generate (surrogates excluded: they cannot be typed or encoded),
# tricky strings, and strings around and far over each limit.
any_text = st.one_of(
    st.text(max_size=120),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40),
    st.sampled_from(TRICKY),
    st.builds(
        lambda s, n: s * n, st.sampled_from(["a", "é", "👋🏽", "<b>", " "]), st.integers(0, 6000)
    ),
    st.builds(lambda a, b: a + b, st.sampled_from(TRICKY), st.text(max_size=30)),
)

SLOW = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def expected(value: str) -> str:
    """What a model keeps of a text: NFC, outer spaces stripped (see models._normalise)."""
    return unicodedata.normalize("NFC", value).strip()


def accepted_or_plainly_refused(model: type[BaseModel], **fields: Any) -> BaseModel | None:
    """Build the model; on refusal check the sentences are plain and name what is wrong."""
    try:
        return model(**fields)
    except ValidationError as error:
        sentences = plain_errors(error, model)
        assert sentences, "a refusal must say why"
        for sentence in sentences:
            assert isinstance(sentence, str) and sentence.endswith(".")
            assert len(sentence) < 400, "a message must stay readable"
            assert "Traceback" not in sentence and "pydantic" not in sentence.lower()
            assert "\x00" not in sentence
        return None


def assert_kept(value: str, stored: str, limit: int, *, min_length: int = 1) -> None:
    assert stored == expected(value)
    assert min_length <= len(stored) <= limit


# --- models ---------------------------------------------------------------------------------


@SLOW
@given(title=any_text, cause=any_text, region=any_text)
def test_workshop_create_keeps_or_refuses(title: str, cause: str, region: str) -> None:
    made = accepted_or_plainly_refused(WorkshopCreate, title=title, cause=cause, region=region)
    if made is not None:
        assert isinstance(made, WorkshopCreate)
        assert_kept(title, made.title, MAX_TITLE_CHARS)
        assert_kept(cause, made.cause, MAX_TITLE_CHARS)
        assert_kept(region, made.region, MAX_NAME_CHARS, min_length=0)
        for text in (made.title, made.cause, made.region):
            assert "\n" not in text and "\x00" not in text


@SLOW
@given(group=any_text, name=any_text)
def test_join_request_keeps_or_refuses(group: str, name: str) -> None:
    made = accepted_or_plainly_refused(JoinRequest, group_name=group, display_name=name)
    if made is not None:
        assert isinstance(made, JoinRequest)
        assert_kept(group, made.group_name, MAX_NAME_CHARS)
        assert_kept(name, made.display_name, MAX_NAME_CHARS, min_length=0)


@SLOW
@given(text=any_text, lesson=any_text, prompt=any_text)
def test_reflection_keeps_text_or_refuses(text: str, lesson: str, prompt: str) -> None:
    made = accepted_or_plainly_refused(ReflectionIn, lesson_id="l1", prompt_id="p1", text=text)
    if made is not None:
        assert isinstance(made, ReflectionIn)
        assert_kept(text, made.text, MAX_REFLECTION_CHARS)
    # Ids come from lesson files, never from people: anything but a plain slug is refused.
    odd = accepted_or_plainly_refused(ReflectionIn, lesson_id=lesson, prompt_id=prompt, text="x")
    if odd is not None:
        assert isinstance(odd, ReflectionIn)
        assert odd.lesson_id.replace("-", "").isalnum() and odd.lesson_id.isascii()


@SLOW
@given(
    value=st.one_of(st.integers(-10, 10), st.floats(allow_nan=True), any_text, st.none()),
    finding=st.one_of(st.sampled_from([k.value for k in KeyFinding]), any_text),
)
def test_rating_is_a_whole_number_from_1_to_5(value: Any, finding: str) -> None:
    made = accepted_or_plainly_refused(
        RatingIn, lesson_id="l1", statement_id="s1", key_finding=finding, value=value
    )
    if made is not None:
        assert isinstance(made, RatingIn)
        assert isinstance(made.value, int) and 1 <= made.value <= 5
        assert made.key_finding.value == finding


@SLOW
@given(what=any_text, who=any_text, by_when=st.one_of(st.none(), st.dates(), any_text))
def test_commitment_keeps_or_refuses(what: str, who: str, by_when: Any) -> None:
    made = accepted_or_plainly_refused(
        CommitmentIn, what=what, who=who, by_when=by_when, key_finding="learning"
    )
    if made is not None:
        assert isinstance(made, CommitmentIn)
        assert_kept(what, made.what, MAX_NOTE_CHARS)
        assert_kept(who, made.who, MAX_NAME_CHARS, min_length=0)
        assert made.by_when is None or isinstance(made.by_when, dt.date)


@SLOW
@given(
    name=any_text,
    note=any_text,
    kind=st.one_of(st.sampled_from(STAKEHOLDER_KINDS), any_text),
    influence=st.one_of(st.integers(-3, 9), any_text),
    hours=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-5, 900)),
)
def test_stakeholder_keeps_or_refuses(
    name: str, note: str, kind: str, influence: Any, hours: Any
) -> None:
    fields = {
        "name": name,
        "kind": kind,
        "influence": influence,
        "band": SpectrumBand.neutral,
        "energy_hours": hours,
        "note": note,
    }
    made = accepted_or_plainly_refused(StakeholderIn, **fields)
    if made is not None:
        assert isinstance(made, StakeholderIn)
        assert_kept(name, made.name, MAX_NAME_CHARS)
        assert_kept(note, made.note, MAX_NOTE_CHARS, min_length=0)
        assert made.kind in STAKEHOLDER_KINDS
        assert 0 <= made.energy_hours <= 500
        stored = accepted_or_plainly_refused(Stakeholder, id=1, **fields)
        assert stored is not None


@SLOW
@given(
    source=any_text,
    target=any_text,
    strength=st.one_of(st.sampled_from(["weak", "strong", "none"]), any_text),
)
def test_ties_keep_or_refuse(source: str, target: str, strength: str) -> None:
    made = accepted_or_plainly_refused(TieIn, source=source, target=target, strength=strength)
    if made is not None:
        assert isinstance(made, TieIn)
        assert_kept(source, made.source, MAX_NAME_CHARS)
        assert made.strength in TieStrength
    stored = accepted_or_plainly_refused(Tie, source_id=1, target_id=2, strength=strength)
    assert (stored is None) == (strength not in ("weak", "strong", "none"))


@given(text=any_text)
@settings(max_examples=200, deadline=None)
def test_user_text_is_escaped_before_any_html(text: str) -> None:
    """Names shown in headings go through `escaped`: no tag survives, nothing is lost."""
    shown = escaped(text)
    assert "<" not in shown and ">" not in shown and '"' not in shown
    assert html.unescape(shown) == text


# --- through the store ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = Store(Path(tmp_path_factory.mktemp("hypothesis")) / "props.duckdb")
    yield opened
    opened.close()


@SLOW
@given(title=any_text, cause=any_text, region=any_text, group=any_text, name=any_text)
def test_workshop_and_seat_round_trip(
    shared_store: Store, title: str, cause: str, region: str, group: str, name: str
) -> None:
    workshop_in = accepted_or_plainly_refused(
        WorkshopCreate, title=title, cause=cause, region=region
    )
    join_in = accepted_or_plainly_refused(JoinRequest, group_name=group, display_name=name)
    if not isinstance(workshop_in, WorkshopCreate) or not isinstance(join_in, JoinRequest):
        return
    workshop, _ = shared_store.create_workshop(workshop=workshop_in)
    again = shared_store.workshop_by_id(workshop.id)
    assert again is not None
    assert (again.title, again.cause, again.region) == (
        workshop_in.title,
        workshop_in.cause,
        workshop_in.region,
    )
    seat, token = shared_store.join(workshop_id=workshop.id, request=join_in)
    resumed = shared_store.resume(join_code=workshop.join_code, token=token)
    assert resumed is not None and resumed.participant.id == seat.participant.id
    assert resumed.group.name == join_in.group_name
    assert resumed.participant.display_name == join_in.display_name


@SLOW
@given(texts=st.lists(any_text, min_size=1, max_size=4), what=any_text, who=any_text)
def test_answers_and_commitments_round_trip(
    shared_store: Store, texts: list[str], what: str, who: str
) -> None:
    workshop, _ = shared_store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = shared_store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))
    kept = {}
    for i, text in enumerate(texts):
        made = accepted_or_plainly_refused(
            ReflectionIn, lesson_id="l1", prompt_id=f"p{i}", text=text
        )
        if isinstance(made, ReflectionIn):
            kept[made.prompt_id] = made
    shared_store.save_answers(seat=seat, lesson_id="l1", round=1, reflections=list(kept.values()))
    # Twice: a double submit changes nothing.
    shared_store.save_answers(seat=seat, lesson_id="l1", round=1, reflections=list(kept.values()))
    saved = shared_store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert saved.reflections == {key: made.text for key, made in kept.items()}
    commitment = accepted_or_plainly_refused(
        CommitmentIn, what=what, who=who, key_finding=KeyFinding.early_actions
    )
    if isinstance(commitment, CommitmentIn):
        first = shared_store.add_commitment(seat=seat, commitment=commitment, round=1)
        second = shared_store.add_commitment(seat=seat, commitment=commitment, round=1)
        assert first == second
        [stored] = shared_store.commitments(seat.group.id)
        assert (stored.what, stored.who) == (commitment.what, commitment.who)


# A lesson with prompts and rating statements, as the form draws it.
FORM_LESSON = next(
    lesson
    for lesson in load_lessons(PROJECT_ROOT / "lessons").lessons
    if len(lesson.prompts) >= 2 and len(lesson.ratings) >= 2
)
form_input = st.fixed_dictionaries(
    {
        "texts": st.fixed_dictionaries(
            {p.id: st.one_of(st.none(), st.just(""), any_text) for p in FORM_LESSON.prompts}
        ),
        "ratings": st.fixed_dictionaries(
            {s.id: st.one_of(st.none(), st.integers(1, 5)) for s in FORM_LESSON.ratings}
        ),
    }
)


@SLOW
@given(forms=st.lists(form_input, min_size=1, max_size=4))
def test_a_saved_form_is_redrawn_from_what_was_stored(
    shared_store: Store, forms: list[dict[str, dict[str, Any]]]
) -> None:
    """The form redrawn right after a save is drawn from `applied_to`, not read back; it must
    be exactly what the store then holds, save after save (clearing, changing, keeping)."""
    workshop, _ = shared_store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = shared_store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))
    key = {"participant_id": seat.participant.id, "lesson_id": FORM_LESSON.id, "round": 1}
    shown = shared_store.saved_answers(**key)
    for form in forms:
        prepared = prepare_answers(lesson=FORM_LESSON, saved=shown, **form)
        if not prepared.ok:
            continue  # nothing is saved; the form keeps what it showed
        shared_store.save_answers(
            seat=seat,
            lesson_id=FORM_LESSON.id,
            round=1,
            reflections=prepared.reflections,
            cleared_prompts=prepared.cleared_prompts,
            ratings=prepared.ratings,
            cleared_statements=prepared.cleared_statements,
        )
        shown = prepared.applied_to(shown)
        assert shown == shared_store.saved_answers(**key)


@SLOW
@given(names=st.lists(any_text, min_size=1, max_size=4), note=any_text)
def test_stakeholder_map_round_trip(shared_store: Store, names: list[str], note: str) -> None:
    workshop, _ = shared_store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = shared_store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))
    people = []
    for name in names:
        made = accepted_or_plainly_refused(
            StakeholderIn,
            name=name,
            kind=STAKEHOLDER_KINDS[0],
            influence=3,
            band=SpectrumBand.passive_ally,
            note=note,
        )
        if isinstance(made, StakeholderIn):
            people.append(made)
    if not people:
        return
    shared_store.import_map(group_id=seat.group.id, stakeholders=people, ties=[], replace=True)
    stored = shared_store.stakeholder_map(group_id=seat.group.id)
    assert sorted((s.name, s.note) for s in stored.stakeholders) == sorted(
        (p.name, p.note) for p in people
    )
