"""Results on phones after reveal, support for open answers, and the projector's and console's
order by support (workbook/ui/room_results.py, facilitator.py, projector.py), as page flows
in AppTest on a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_facilitator_pages import (
    app_store,
    html_of,
    new_workshop,
    participant,
    projector_page,
    signed_in,
)
from workbook.lessons import LessonSet
from workbook.live import PROMPT, RATING, Focus
from workbook.models import JoinRequest, KeyFinding, RatingIn, ReflectionIn
from workbook.records import Seat, Workshop
from workbook.store import Store
from workbook.store import moderation as shared_store
from workbook.ui.pacing import RESULTS_REVEALED
from workbook.ui.room_results import ANCHOR, HIDDEN_OWN, WAITING_OWN
from workbook.ui.text import escaped

HIDDEN = "Hidden <b>unkind</b> words"


def join(store: Store, workshop: Workshop, group: str) -> Seat:
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
    return seat


def write(store: Store, seat: Seat, lesson_id: str, prompt_id: str, text: str) -> int:
    store.save_answers(
        seat=seat,
        lesson_id=lesson_id,
        round=seat.group.current_round,
        reflections=[ReflectionIn(lesson_id=lesson_id, prompt_id=prompt_id, text=text)],
    )
    cards = store.answer_cards(
        workshop_id=seat.workshop.id, lesson_id=lesson_id, prompt_id=prompt_id
    )
    return next(card.id for card in cards if card.text == text)


def cards_of(store: Store, workshop: Workshop, lesson_id: str, prompt_id: str) -> list:
    return store.answer_cards(workshop_id=workshop.id, lesson_id=lesson_id, prompt_id=prompt_id)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_phones_show_ratings_after_reveal_with_their_group_marked_unless_kept_off(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    phone, participant_id = participant(store, workshop, "Red table")
    other = join(store, workshop, "Blue table")
    for seat, value in ((other, 2), (other, 2)):
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            ratings=[
                RatingIn(
                    lesson_id=lesson.id,
                    statement_id=statement.id,
                    key_finding=KeyFinding.early_actions,
                    value=value,
                )
            ],
        )
    assert "Results from the room" not in [h.value for h in phone.subheader]

    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id,
        revealed=True,
    )  # fmt: skip
    phone.run()
    assert not phone.exception, phone.exception
    assert "Results from the room" in [h.value for h in phone.subheader]
    page = html_of(phone)
    assert "1 rating, average <b>2.0</b> of 5" in page
    # Both groups listed, only the person's own marked.
    own = page.split('class="wb-rr-group wb-rr-own"')
    assert len(own) == 2 and own[1].split("</p>")[0].count("Red table") == 1
    assert "your group" in own[1].split("</p>")[0] and "no ratings yet" in own[1]
    assert 'class="wb-rr-group"><span><bdi>Blue table</bdi></span><span>2.0 (1 rating)' in page

    store.set_item_view(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id,
        on_phones=False,
    )  # fmt: skip
    phone.run()
    assert "Results from the room" not in [h.value for h in phone.subheader]
    assert participant_id not in {other.participant.id}


def test_a_phone_supports_an_answer_once_and_takes_it_back_never_its_own_or_hidden_ones(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    phone, participant_id = participant(store, workshop, "Red table")
    other = join(store, workshop, "Blue table")
    theirs = write(store, other, lesson.id, prompt.id, "Knock on every door")
    hidden = write(store, join(store, workshop, "Blue table"), lesson.id, prompt.id, HIDDEN)
    store.hide_answer(workshop_id=workshop.id, reflection_id=hidden)
    phone.text_area[0].input("My own idea")
    next(b for b in phone.button if b.label == "Save answers").click()
    phone.run()
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        revealed=True,
    )  # fmt: skip
    phone.run()
    assert not phone.exception, phone.exception
    shown = texts(phone)
    assert "Knock on every door" in shown and "My own idea" in shown
    assert HIDDEN not in shown and HIDDEN not in html_of(phone)  # never reaches a phone
    assert phone.button(key=f"room_support_{theirs}").label == "Support · 0"
    own = next(
        c.id for c in cards_of(store, workshop, lesson.id, prompt.id) if c.text == "My own idea"
    )
    assert f"room_support_{own}" not in [b.key for b in phone.button]
    assert any(c.value == "Your answer · 0 supports" for c in phone.caption)

    phone.button(key=f"room_support_{theirs}").click().run()
    assert phone.button(key=f"room_support_{theirs}").label == "Supported · 1"
    card = next(c for c in cards_of(store, workshop, lesson.id, prompt.id) if c.id == theirs)
    assert card.supports == 1
    phone.button(key=f"room_support_{theirs}").click().run()  # undo
    assert phone.button(key=f"room_support_{theirs}").label == "Support · 0"
    assert store.supported_answers(participant_id=participant_id, reflection_ids=[theirs]) == set()


def test_the_console_keeps_results_off_phones_and_orders_answers_by_support(
    app_db: Path, lessons: LessonSet
) -> None:
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    ana, ben, cy = (join(store, workshop, g) for g in ("Red", "Blue", "Green"))
    write(store, ana, lesson.id, prompt.id, "Older, liked")
    write(store, ben, lesson.id, prompt.id, "Newest, not liked")
    liked = next(
        c.id for c in cards_of(store, workshop, lesson.id, prompt.id) if c.text == "Older, liked"
    )
    at.button(key=f"facilitator_reveal_prompt_{prompt.id}").click().run()
    for who in (ben, cy):
        store.support_answer(
            workshop_id=workshop.id, participant_id=who.participant.id, reflection_id=liked
        )
    at.run()
    answers = [t for t in texts(at) if t in ("Older, liked", "Newest, not liked")]
    assert answers == ["Newest, not liked", "Older, liked"]  # newest first by default

    at.segmented_control(key=f"facilitator_by_support_prompt_{prompt.id}_False").set_value(
        True
    ).run()
    assert not at.exception, at.exception
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id
    ).by_support
    answers = [t for t in texts(at) if t in ("Older, liked", "Newest, not liked")]
    assert answers == ["Older, liked", "Newest, not liked"]
    assert any("most supported first" in c.value for c in at.caption)

    at.segmented_control(key=f"facilitator_phones_prompt_{prompt.id}_True").set_value(False).run()
    state = store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id
    )
    assert state.revealed and not state.on_phones and not state.on_phones_now


def test_the_projector_orders_by_support_and_shows_few_answers_instead_of_no_words(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    token = store.new_projector_link(workshop_id=workshop.id)
    ana, ben = join(store, workshop, "Red"), join(store, workshop, "Blue")
    liked = write(store, ana, lesson.id, prompt.id, "Rent strike")
    write(store, ben, lesson.id, prompt.id, "Petition")
    store.move_room(workshop_id=workshop.id, step=0)
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, prompt.id))
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        revealed=True,
    )  # fmt: skip
    store.support_answer(
        workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=liked
    )
    page = html_of(projector_page(token))
    # Two answers share no words: the answers themselves, no empty "Said most often".
    assert "Said most often" not in page and "Words that several answers share" not in page
    assert page.index("Petition") < page.index("Rent strike")  # newest first
    assert 'data-testid="wbp-support">1 supporter<' in page

    store.set_item_view(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        by_support=True,
    )  # fmt: skip
    page = html_of(projector_page(token))
    assert page.index("Rent strike") < page.index("Petition")

    # Once answers share words, the words come back beside them.
    write(store, join(store, workshop, "Green"), lesson.id, prompt.id, "Rent strike now")
    page = html_of(projector_page(token))
    assert "Said most often" in page and 'data-testid="wbp-terms"' in page


def rate(store: Store, seat: Seat, lesson_id: str, statement_id: str, value: int) -> None:
    store.save_answers(
        seat=seat,
        lesson_id=lesson_id,
        round=seat.group.current_round,
        ratings=[
            RatingIn(
                lesson_id=lesson_id,
                statement_id=statement_id,
                key_finding=KeyFinding.early_actions,
                value=value,
            )
        ],
    )


def test_the_phone_that_saves_sees_its_own_save_in_the_results_on_that_redraw(
    app_db: Path, lessons: LessonSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The room's shared read never goes stale by itself in this test: only the saver's own
    # read can bring its save into the results.
    monkeypatch.setattr(shared_store, "ROOM_RESULTS_MAX_AGE", 3600.0)
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    phone, participant_id = participant(store, workshop, "Red table")
    rate(store, join(store, workshop, "Blue table"), lesson.id, statement.id, 3)
    rate(store, store.seat(participant_id), lesson.id, statement.id, 3)
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id,
        revealed=True,
    )  # fmt: skip
    other, _ = participant(store, workshop, "Green table")
    phone.run()
    assert "2 ratings, average <b>3.0</b> of 5" in html_of(phone)

    prefix = f"answer_{lesson.id}_1"
    phone.segmented_control(key=f"{prefix}_rating_{statement.id}").set_value(1)
    phone.button(key=f"{prefix}_save_answers").click().run()
    assert not phone.exception, phone.exception
    assert any(s.value.startswith("Saved 1 rating") for s in phone.success)
    page = html_of(phone)
    assert "2 ratings, average <b>2.0</b> of 5" in page, "the saver's own change is shown"
    assert "3.0 (2 ratings)" not in page
    # A save does not drop the room's shared read: it is replaced by the saver's newer one.
    other.run()
    assert "2 ratings, average <b>2.0</b> of 5" in html_of(other)


def test_a_reveal_is_announced_at_the_top_once_with_a_link_to_the_results(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    phone, _ = participant(store, workshop, "Red table")
    write(store, join(store, workshop, "Blue table"), lesson.id, prompt.id, "Door to door")
    phone.run()
    assert 'class="wb-results-shown"' not in html_of(phone)

    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        revealed=True,
    )  # fmt: skip
    phone.run()
    assert not phone.exception, phone.exception
    page = html_of(phone)
    top = page.index('class="wb-results-shown"')
    assert escaped(RESULTS_REVEALED) in page[top:]
    assert f'href="#{ANCHOR}"' in page[top:] and "See the results" in page[top:]
    assert f'id="{ANCHOR}"' in page  # where the link leads: the results block
    assert top < page.index(f'id="{ANCHOR}"')
    # A redraw right after keeps it (read out once only: the same mark).
    mark = page[top:].split('data-reveal="')[1].split('"')[0]
    phone.run()
    assert f'class="wb-results-shown" data-reveal="{mark}"' in html_of(phone)
    # Coming back to a step whose results are already shown is not news.
    phone.button(key="workbook_next_top").click().run()
    phone.button(key="workbook_prev_top").click().run()
    assert not phone.exception, phone.exception
    assert phone.title[0].value == lesson.title
    assert 'class="wb-results-shown"' not in html_of(phone)


def test_an_author_is_told_calmly_that_their_answer_was_kept_off_the_shared_screen(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    phone, participant_id = participant(store, workshop, "Red table")
    other, _ = participant(store, workshop, "Blue table")
    mine = write(store, store.seat(participant_id), lesson.id, prompt.id, "My blunt idea")
    write(store, join(store, workshop, "Green table"), lesson.id, prompt.id, "Door to door")
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        revealed=True,
    )  # fmt: skip
    store.hide_answer(workshop_id=workshop.id, reflection_id=mine)
    phone.run()
    other.run()
    assert not phone.exception, phone.exception
    told = [i.value for i in phone.info]
    assert HIDDEN_OWN in told
    assert phone.container(key=f"room_hidden_own_{prompt.id}") is not None
    assert "My blunt idea" not in [t.value for t in phone.text]  # off the results, still
    assert "Door to door" in texts(phone)
    # Nobody else sees anything of it.
    assert HIDDEN_OWN not in [i.value for i in other.info]
    assert "My blunt idea" not in texts(other)
    # Restored: the sentence goes, the answer is back.
    store.restore_answer(workshop_id=workshop.id, reflection_id=mine)
    phone.run()
    assert HIDDEN_OWN not in [i.value for i in phone.info]
    assert "My blunt idea" in texts(phone)


def test_an_author_is_told_their_answer_waits_for_approval(
    app_db: Path, lessons: LessonSet
) -> None:
    """With approval on, the author's phone said "1 answer" with no word of their own."""
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    phone, participant_id = participant(store, workshop, "Red table")
    other, _ = participant(store, workshop, "Blue table")
    mine = write(store, store.seat(participant_id), lesson.id, prompt.id, "My waiting idea")
    # Turned on before the reveal: every answer given so far waits.
    store.set_approve_first(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id, approve_first=True
    )
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id,
        revealed=True,
    )  # fmt: skip
    phone.run()
    other.run()
    assert not phone.exception, phone.exception
    assert WAITING_OWN in [i.value for i in phone.info]
    assert WAITING_OWN not in [i.value for i in other.info]
    assert "My waiting idea" not in texts(other)
    store.approve_answer(workshop_id=workshop.id, reflection_id=mine)
    phone.run()
    assert WAITING_OWN not in [i.value for i in phone.info]
    assert "My waiting idea" in texts(phone)
