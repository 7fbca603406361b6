"""Approving answers before the room sees them (workbook.store.moderation), on a real DuckDB
file: what waits, what is shown, and what reaches the room's reads, the exports and the
funder release."""

from __future__ import annotations

import pytest

from workbook import export, summary_html
from workbook.lessons import LessonSet
from workbook.live import PROMPT, AnswerTally
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.records import Seat, Workshop
from workbook.store import NotFoundError, Store, SupportRefusedError

LESSON = "early-actions"


def make_workshop(store: Store, title: str = "Live day") -> Workshop:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title=title, cause="Housing", shares_with_funders=True)
    )
    return workshop


def seat(store: Store, workshop: Workshop, group: str) -> Seat:
    joined, _ = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name=group, quote_consent=True)
    )
    return joined


def answer(store: Store, who: Seat, text: str, prompt: str = "p1") -> None:
    store.save_answers(
        seat=who,
        lesson_id=LESSON,
        round=who.group.current_round,
        reflections=[ReflectionIn(lesson_id=LESSON, prompt_id=prompt, text=text)],
    )


def approve_first(store: Store, workshop: Workshop, on: bool = True) -> None:
    store.set_approve_first(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", approve_first=on
    )


def reveal(store: Store, workshop: Workshop) -> None:
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", revealed=True
    )


def room_texts(store: Store, workshop: Workshop) -> list[str]:
    return [
        c.text
        for c in store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    ]


def tally(store: Store, workshop: Workshop) -> AnswerTally:
    return store.answer_tally(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")


def console_cards(store: Store, workshop: Workshop) -> list[tuple[str, bool, bool]]:
    cards = store.answer_cards(
        workshop_id=workshop.id,
        lesson_id=LESSON,
        prompt_id="p1",
        include_hidden=True,
        include_waiting=True,
    )
    return [(c.text, c.waiting, c.hidden) for c in cards]


def test_with_approval_on_answers_wait_until_approved_one_by_one_or_all(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben, cy = (
        seat(store, workshop, "Red"),
        seat(store, workshop, "Blue"),
        seat(store, workshop, "Green"),
    )
    answer(store, ana, "Before approval was on")
    approve_first(store, workshop)
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1"
    ).approve_first
    # Not revealed yet when approval was turned on: the answer given before waits too.
    answer(store, ben, "Second")
    answer(store, cy, "Third")
    assert room_texts(store, workshop) == []
    assert tally(store, workshop) == AnswerTally(shown=0, waiting=3, hidden=0)
    # The console sees every answer, newest first, marked waiting.
    assert console_cards(store, workshop) == [
        ("Third", True, False),
        ("Second", True, False),
        ("Before approval was on", True, False),
    ]
    second = next(
        c
        for c in store.answer_cards(
            workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
        )
        if c.text == "Second"
    )
    store.approve_answer(workshop_id=workshop.id, reflection_id=second.id)
    assert room_texts(store, workshop) == ["Second"]
    assert tally(store, workshop).console_sentence() == "3 answers: 1 shown, 2 waiting for you"
    assert store.approve_all(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1") == 2
    assert room_texts(store, workshop) == ["Third", "Second", "Before approval was on"]
    assert tally(store, workshop) == AnswerTally(shown=3, waiting=0, hidden=0)
    # Nothing left to approve.
    assert store.approve_all(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1") == 0


def test_an_answer_changed_after_approval_waits_again(store: Store) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Red")
    approve_first(store, workshop)
    answer(store, ana, "Kind words")
    store.approve_all(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert room_texts(store, workshop) == ["Kind words"]
    answer(store, ana, "Kind words")  # saved again unchanged: still approved
    assert room_texts(store, workshop) == ["Kind words"]
    answer(store, ana, "Something unkind")
    assert room_texts(store, workshop) == []
    assert tally(store, workshop).waiting == 1


def test_hiding_a_waiting_answer_and_restoring_it_brings_it_back_waiting(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    approve_first(store, workshop)
    answer(store, ana, "Names a person")
    answer(store, ben, "Fine")
    waiting = {
        c.text: c.id
        for c in store.answer_cards(
            workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
        )
    }
    store.hide_answer(workshop_id=workshop.id, reflection_id=waiting["Names a person"])
    assert tally(store, workshop) == AnswerTally(shown=0, waiting=1, hidden=1)
    # Approve all leaves a hidden answer hidden.
    assert store.approve_all(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1") == 1
    assert room_texts(store, workshop) == ["Fine"]
    assert tally(store, workshop).console_sentence() == "2 answers: 1 shown, 1 hidden"
    store.restore_answer(workshop_id=workshop.id, reflection_id=waiting["Names a person"])
    assert tally(store, workshop) == AnswerTally(shown=1, waiting=1, hidden=0)
    assert room_texts(store, workshop) == ["Fine"]
    store.approve_answer(workshop_id=workshop.id, reflection_id=waiting["Names a person"])
    assert room_texts(store, workshop) == ["Fine", "Names a person"]


def test_approving_is_refused_for_another_workshops_answer(store: Store) -> None:
    mine, theirs = make_workshop(store), make_workshop(store, "Theirs")
    approve_first(store, theirs)
    someone = seat(store, theirs, "Table 9")
    answer(store, someone, "Their answer")
    card = store.answer_cards(
        workshop_id=theirs.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
    )[0]
    with pytest.raises(NotFoundError):
        store.approve_answer(workshop_id=mine.id, reflection_id=card.id)
    with pytest.raises(NotFoundError):
        store.hide_answer(workshop_id=mine.id, reflection_id=card.id)
    assert store.approve_all(workshop_id=mine.id, lesson_id=LESSON, prompt_id="p1") == 0
    assert tally(store, theirs) == AnswerTally(shown=0, waiting=1, hidden=0)


def test_turning_approval_on_after_the_reveal_keeps_shown_answers_shown(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    answer(store, ana, "Already on the wall")
    reveal(store, workshop)
    approve_first(store, workshop)
    answer(store, ben, "New one")
    assert room_texts(store, workshop) == ["Already on the wall"]
    assert tally(store, workshop) == AnswerTally(shown=1, waiting=1, hidden=0)
    # Turned off: everything waiting is shown as it comes again.
    approve_first(store, workshop, on=False)
    assert room_texts(store, workshop) == ["New one", "Already on the wall"]


def test_turning_approval_on_says_how_many_answers_given_so_far_now_wait(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    answer(store, ana, "First")
    answer(store, ben, "Second")
    moved = store.set_approve_first(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", approve_first=True
    )
    assert moved == 2 and tally(store, workshop).waiting == 2
    # Already on, or turned off: nothing more was taken off the screen.
    again = store.set_approve_first(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", approve_first=True
    )
    off = store.set_approve_first(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", approve_first=False
    )
    assert (again, off) == (0, 0)
    # After the reveal the answers seen stay shown: none waits.
    reveal(store, workshop)
    after_reveal = store.set_approve_first(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", approve_first=True
    )
    assert after_reveal == 0 and tally(store, workshop).waiting == 0


def test_phones_never_get_or_support_a_waiting_answer_until_approved(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    approve_first(store, workshop)
    reveal(store, workshop)
    answer(store, ana, "Waiting one")
    assert store.shared_results(PROMPT, workshop.id, LESSON, "p1", now=10.0) == []
    assert store.shared_tally(workshop.id, LESSON, "p1", now=10.0).waiting == 1
    card = store.answer_cards(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
    )[0]
    with pytest.raises(SupportRefusedError, match="no longer shown"):
        store.support_answer(
            workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=card.id
        )
    store.approve_answer(workshop_id=workshop.id, reflection_id=card.id)
    # The approval drops the phones' shared read at once (same `now`: no ageing involved).
    assert [c.text for c in store.shared_results(PROMPT, workshop.id, LESSON, "p1", now=10.0)] == [
        "Waiting one"
    ]
    assert store.shared_tally(workshop.id, LESSON, "p1", now=10.0).waiting == 0
    assert (
        store.support_answer(
            workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=card.id
        )
        == 1
    )


def test_projector_counts_per_group_count_shown_answers_only(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Table 1"), seat(store, workshop, "Table 2")
    approve_first(store, workshop)
    answer(store, ana, "One")
    answer(store, ben, "Two")
    store.approve_all(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    answer(store, ana, "One, changed")
    counts = store.shown_answer_counts(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert [(c.group_name, c.count) for c in counts] == [("Table 1", 0), ("Table 2", 1)]


def test_exports_say_shown_waiting_or_hidden_and_the_summary_leaves_out_the_rest(
    store: Store, lessons: LessonSet
) -> None:
    workshop = make_workshop(store)
    ana, ben, cy = (
        seat(store, workshop, "Red"),
        seat(store, workshop, "Blue"),
        seat(store, workshop, "Green"),
    )
    approve_first(store, workshop)
    answer(store, ana, "Approved answer")
    answer(store, ben, "Waiting answer")
    answer(store, cy, "Hidden answer")
    ids = {
        c.text: c.id
        for c in store.answer_cards(
            workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
        )
    }
    store.approve_answer(workshop_id=workshop.id, reflection_id=ids["Approved answer"])
    store.hide_answer(workshop_id=workshop.id, reflection_id=ids["Hidden answer"])
    collected = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    column = collected.reflections.columns.index("On screen")
    answer_column = collected.reflections.columns.index("Answer")
    assert {r[answer_column]: r[column] for r in collected.reflections.rows} == {
        "Approved answer": "shown",
        "Waiting answer": "waiting",
        "Hidden answer": "hidden",
    }
    summary = summary_html.html_summary(collected)
    assert "Approved answer" in summary
    assert "Waiting answer" not in summary and "Hidden answer" not in summary
    assert "1 answer waiting for the facilitator" in summary


def test_the_funder_release_reads_no_waiting_or_hidden_answer(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben, cy = (
        seat(store, workshop, "Red"),
        seat(store, workshop, "Blue"),
        seat(store, workshop, "Green"),
    )
    answer(store, ana, "Shown as it came", prompt="p2")
    approve_first(store, workshop)
    answer(store, ben, "Never approved")
    answer(store, cy, "Approved")
    ids = {
        c.text: c.id
        for c in store.answer_cards(
            workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_waiting=True
        )
    }
    store.approve_answer(workshop_id=workshop.id, reflection_id=ids["Approved"])
    period = workshop.created_at.year
    texts = set(store.release_reflections(period=period)["text"])
    assert texts == {"Shown as it came", "Approved"}
    store.hide_answer(workshop_id=workshop.id, reflection_id=ids["Approved"])
    assert set(store.release_reflections(period=period)["text"]) == {"Shown as it came"}
