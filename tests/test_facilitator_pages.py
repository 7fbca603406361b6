"""The facilitator console, the projector page and following the facilitator, in AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet
from workbook.live import FOLLOW, PROMPT, RATING, SELF_PACED, AnswerCard, Focus, ItemState
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.records import Workshop
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.text_analysis import Term
from workbook.ui import facilitator, projector
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
TRICKY = "<script>alert(1)</script> **bold** שלום"


def app_store(app_db: Path) -> Store:
    """The store the in-process app uses (the same cached object, so no second open)."""
    return _open_store(str(app_db))


def new_workshop(store: Store) -> tuple[Workshop, str]:
    return store.create_workshop(workshop=WorkshopCreate(title="Live <day>", cause="Housing"))


def console() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/facilitator.py").run()
    assert not at.exception, at.exception
    return at


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def sign_in(at: AppTest, code: str, key: str) -> AppTest:
    at.text_input(key="facilitator_code").input(code)
    at.text_input(key="facilitator_key").input(key)
    next(b for b in at.button if b.label == "Sign in").click()
    at.run()
    assert not at.exception, at.exception
    return at


def participant(store: Store, workshop: Workshop, group: str = "Table 1") -> tuple[AppTest, int]:
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    assert not at.exception, at.exception
    return at, seat.participant.id


def signed_in(app_db: Path) -> tuple[AppTest, Store, Workshop]:
    store = app_store(app_db)
    workshop, key = new_workshop(store)
    at = sign_in(console(), workshop.join_code, key)
    assert "Sign out" in labels(at)
    return at, store, workshop


# --- signing in -----------------------------------------------------------------------------


def test_a_wrong_key_is_refused_in_one_plain_sentence(app_db: Path) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    at = sign_in(console(), workshop.display_code, "AAAA-BBBB-CCCC-DDDD")
    assert [e.value for e in at.error] == [
        "That key does not open this workshop. Check it and try again."
    ]
    assert "Sign out" not in labels(at)
    assert "facilitator_workshop_id" not in at.session_state


@pytest.mark.parametrize("typed", ["ZZZ-ZZZ", "../../", "**bold** <b>x</b>"])
def test_an_unknown_code_is_told_plainly_and_shown_as_typed(app_db: Path, typed: str) -> None:
    at = sign_in(console(), typed, "AAAA-BBBB-CCCC-DDDD")
    assert [e.value for e in at.error] == [
        "No workshop has the code you typed (shown below as typed): a code is 6 letters and "
        "digits, like ABC-234. Check it with your facilitator."
    ]
    assert f"You typed: {typed}" in [t.value for t in at.text]  # as text, never Markdown


def test_an_empty_code_is_told_nothing_was_typed(app_db: Path) -> None:
    at = sign_in(console(), "", "AAAA-BBBB-CCCC-DDDD")
    assert [e.value for e in at.error] == [
        "No workshop has the code you typed: nothing was typed, and a code is 6 letters and "
        "digits, like ABC-234."
    ]


def test_repeated_wrong_keys_slow_down_even_the_right_key(app_db: Path) -> None:
    store = app_store(app_db)
    workshop, key = new_workshop(store)
    at = console()
    for _ in range(3):
        sign_in(at, workshop.join_code, "wrong")
    assert "the next try waits 2 seconds" in at.error[0].value
    sign_in(at, workshop.join_code, key)  # right key, too soon: refused without checking
    assert at.error[0].value.startswith("Too many wrong keys for this workshop in a row. Wait")
    assert "Sign out" not in labels(at)
    # Time passes (moved on in the database rather than slept through).
    past = utc_now() - dt.timedelta(seconds=1)
    store._write(lambda cur: cur.execute("UPDATE sign_in_waits SET blocked_until = ?", [past]))
    sign_in(at, workshop.join_code, key.lower().replace("-", " "))  # typed any way
    assert "Sign out" in labels(at) and not at.error
    assert at.session_state["facilitator_workshop_id"] == workshop.id
    # The key is checked, never kept: once signed in, nothing in the session holds it.
    assert key.lower().replace("-", " ") not in str(at.session_state.to_dict())
    assert key not in str(at.session_state.to_dict())
    assert store.sign_in_wait(workshop_id=workshop.id) == 0  # a success clears the count
    at.button(key="facilitator_sign_out").click().run()
    assert "Sign in" in labels(at)


# --- the console's controls -----------------------------------------------------------------


def test_moving_the_room_moves_following_participants(app_db: Path, lessons: LessonSet) -> None:
    at, store, workshop = signed_in(app_db)
    phone, participant_id = participant(store, workshop)
    assert phone.title[0].value == lessons.lessons[0].title

    at.button(key="facilitator_next").click().run()
    assert store.room(workshop.id).current_step == 1
    assert f"Room is on Step 2 of {len(lessons)}" in " ".join(m.value for m in at.markdown)
    phone.run()  # what the participant's polling fragment triggers when the room moved
    assert phone.title[0].value == lessons.lessons[1].title
    assert store.seat(participant_id).participant.current_step == 1

    at.selectbox(key="facilitator_target").set_value(4)
    at.button(key="facilitator_move").click().run()
    assert store.room(workshop.id).current_step == 4
    phone.run()
    assert phone.title[0].value == lessons.lessons[4].title

    # Between moves a participant may look back; the next move brings them along again.
    phone.button(key="workbook_prev_top").click().run()
    assert phone.title[0].value == lessons.lessons[3].title
    phone.run()
    assert phone.title[0].value == lessons.lessons[3].title
    assert any(b.label.startswith("Back to the room's step (5)") for b in phone.button)

    # A reload (a new session on the same link) keeps them where they chose to be.
    reloaded = AppTest.from_file(APP, default_timeout=30)
    reloaded.query_params.update(dict(phone.query_params))
    reloaded.run()
    assert reloaded.title[0].value == lessons.lessons[3].title

    # Self-paced: the room's step no longer moves anybody.
    at.radio(key="facilitator_pacing").set_value(SELF_PACED).run()
    assert store.room(workshop.id).pacing == SELF_PACED
    at.button(key="facilitator_next").click().run()
    phone.run()
    assert phone.title[0].value == lessons.lessons[3].title
    # Following again: everyone is brought to the room's step.
    at.radio(key="facilitator_pacing").set_value(FOLLOW).run()
    phone.run()
    assert phone.title[0].value == lessons.lessons[5].title


def test_a_stale_second_console_cannot_move_the_room_backwards(
    app_db: Path, lessons: LessonSet
) -> None:
    """Tab A moves the room on three steps; tab B, still drawn on the old step, presses
    "Next step" (then "Reveal results", then "Start timer"): nothing changes, B is told why in
    one sentence and shows the room as it is now."""
    store = app_store(app_db)
    workshop, key = new_workshop(store)
    tab_a = sign_in(console(), workshop.join_code, key)
    tab_b = sign_in(console(), workshop.join_code, key)
    total = len(lessons)
    store.move_room(workshop_id=workshop.id, step=4)
    tab_a.run()
    tab_b.run()
    assert f"Room is on Step 5 of {total}" in " ".join(m.value for m in tab_b.markdown)
    drawn_by_b = tab_b.session_state["facilitator_drawn_room"]
    for _ in range(3):
        tab_a.button(key="facilitator_next").click().run()
    assert store.room(workshop.id).current_step == 7
    # B's refreshing panel sees that the room is no longer what B drew (and redraws B).
    assert drawn_by_b != facilitator.room_seen(store, store.room(workshop.id), lessons.lessons[4])

    tab_b.button(key="facilitator_next").click().run()
    assert not tab_b.exception, tab_b.exception
    assert store.room(workshop.id).current_step == 7  # not sent back to Step 6
    refusal = (
        "The room had already moved to Step 8 (from another tab or device); nothing was changed."
    )
    assert [w.value for w in tab_b.warning] == [refusal]
    assert f"Room is on Step 8 of {total}" in " ".join(m.value for m in tab_b.markdown)
    tab_b.run()  # said once: the next run of the console does not repeat it
    assert refusal not in [w.value for w in tab_b.warning]

    # A stale reveal and a stale timer are refused the same way.
    lesson = lessons.lessons[7]
    item = f"prompt_{lesson.prompts[0].id}" if lesson.prompts else f"rating_{lesson.ratings[0].id}"
    tab_a.button(key="facilitator_next").click().run()
    tab_b.button(key=f"facilitator_reveal_{item}").click().run()
    assert [w.value for w in tab_b.warning] == [refusal.replace("Step 8", "Step 9")]
    assert store.item_states(workshop_id=workshop.id, lesson_id=lesson.id) == {}
    tab_a.button(key="facilitator_previous").click().run()
    tab_b.button(key="facilitator_timer_start").click().run()
    assert store.room(workshop.id).timer.is_off
    assert [w.value for w in tab_b.warning] == [refusal]
    # Drawn again on the room's step, B's buttons act: this time B moves the room.
    tab_b.button(key="facilitator_next").click().run()
    assert store.room(workshop.id).current_step == 8
    assert not tab_b.warning


def test_open_close_reveal_and_hide_per_question(app_db: Path, lessons: LessonSet) -> None:
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    phone, _ = participant(store, workshop)
    assert not phone.text_area[0].disabled

    at.button(key=f"facilitator_open_prompt_{prompt.id}").click().run()
    state = store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id
    )
    assert state == ItemState(open=False, revealed=False)
    assert at.button(key=f"facilitator_open_prompt_{prompt.id}").label == "Open answers"
    phone.run()
    assert phone.text_area[0].disabled
    assert any("closed answers" in c.value for c in phone.caption)

    statement = lesson.ratings[0]
    at.button(key=f"facilitator_reveal_rating_{statement.id}").click().run()
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id
    ) == ItemState(open=True, revealed=True)
    room = store.room(workshop.id)
    assert room.focus == Focus(RATING, statement.id)  # revealing puts it on the projector
    assert room.screen == "step"
    assert at.button(key=f"facilitator_reveal_rating_{statement.id}").label == "Hide results"
    at.button(key=f"facilitator_reveal_rating_{statement.id}").click().run()
    assert not store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id
    ).revealed

    at.button(key=f"facilitator_open_prompt_{prompt.id}").click().run()
    phone.run()
    assert not phone.text_area[0].disabled


def test_a_save_after_answers_closed_keeps_what_was_stored(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    phone, _ = participant(store, workshop)
    lesson = lessons.lessons[0]
    phone.text_area[0].input("Typed while it was open")
    store.set_item_state(
        workshop_id=workshop.id,
        lesson_id=lesson.id,
        kind=PROMPT,
        item_id=lesson.prompts[0].id,
        open=False,
    )
    next(b for b in phone.button if b.label == "Save answers").click()
    phone.run()
    assert phone.info[0].value.startswith("The facilitator has closed some answers")
    assert store.export_reflections(workshop.id) == []


def test_hide_an_answer_then_restore_it(app_db: Path, lessons: LessonSet) -> None:
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=TRICKY)],
    )
    at.button(key=f"facilitator_show_prompt_{prompt.id}").click().run()
    assert TRICKY in [t.value for t in at.text]  # shown as text, exactly as typed
    card = store.answer_cards(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id)[0]

    at.button(key=f"facilitator_hide_{card.id}").click().run()
    assert (
        store.answer_cards(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id) == []
    )
    assert any(c.value.startswith("HIDDEN from the screen") for c in at.caption)
    assert TRICKY in [t.value for t in at.text]  # the facilitator still sees it, to restore

    at.button(key=f"facilitator_restore_{card.id}").click().run()
    shown = store.answer_cards(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id)
    assert [c.text for c in shown] == [TRICKY]


def test_the_step_timer_starts_pauses_gets_more_time_and_stops(app_db: Path) -> None:
    at, store, workshop = signed_in(app_db)
    at.number_input(key="facilitator_minutes_learning-from-movements").set_value(3)
    at.button(key="facilitator_timer_start").click().run()
    timer = store.room(workshop.id).timer
    assert timer.seconds == 180 and timer.started_at is not None and not timer.is_paused
    at.button(key="facilitator_timer_pause").click().run()
    paused = store.room(workshop.id).timer
    after = utc_now()
    assert paused.is_paused and paused.paused_left is not None and timer.started_at is not None
    # Paused at what was left when pressed, however slow the machine (no wall-clock margin);
    # and a paused timer does not run down.
    assert 180 - (after - timer.started_at).total_seconds() - 1 <= paused.paused_left <= 180
    later = after + dt.timedelta(minutes=10)
    assert paused.left(after) == paused.left(later) == paused.paused_left
    assert any(m.value.startswith("**Paused at") for m in at.markdown)
    at.button(key="facilitator_timer_more").click().run()
    assert store.room(workshop.id).timer.left(utc_now()) == paused.paused_left + 60
    at.button(key="facilitator_timer_resume").click().run()
    assert not store.room(workshop.id).timer.is_paused
    at.button(key="facilitator_timer_stop").click().run()
    assert store.room(workshop.id).timer.is_off


def test_the_console_offers_the_projector_link_and_exports(app_db: Path) -> None:
    at, store, workshop = signed_in(app_db)
    token = at.session_state["facilitator_projector_token"]
    assert store.projector_workshop(token) == workshop.id
    assert "Open the projector screen" in str(at.get("link_button")[0].proto)
    # Exports are made when asked for, from what is stored at that moment.
    assert at.get("download_button") == []
    at.button(key="facilitator_export_prepare").click().run()
    assert not at.exception, at.exception
    downloads = [d.proto.label for d in at.get("download_button")]
    assert downloads == ["CSV files (zip)", "Excel workbook (.xlsx)", "Summary to send (HTML)"]
    assert at.button(key="facilitator_export_prepare").label == "Prepare them again"
    assert any(c.value.startswith("Made at ") for c in at.caption)
    at.button(key="facilitator_revoke").click().run()
    assert store.projector_workshop(token) is None
    assert at.session_state["facilitator_projector_token"] != token  # a fresh link


# --- the projector page ---------------------------------------------------------------------


def projector_page(token: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    if token is not None:
        at.query_params[projector.TOKEN_PARAM] = token
    at.switch_page("pages/projector.py").run()
    assert not at.exception, at.exception
    return at


def html_of(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_the_projector_needs_its_link(app_db: Path) -> None:
    assert "opens from the facilitator console" in html_of(projector_page(None))
    assert "has expired or was stopped" in html_of(projector_page("not-a-token"))


def test_the_projector_shows_the_join_code_then_the_step(app_db: Path, lessons: LessonSet) -> None:
    store = app_store(app_db)
    workshop, _ = new_workshop(store)
    token = store.new_projector_link(workshop_id=workshop.id)
    page = html_of(projector_page(token))
    assert workshop.display_code in page and "Live &lt;day&gt;" in page
    assert "Joined: <b>nobody yet</b>" in page

    store.move_room(workshop_id=workshop.id, step=0)
    at = projector_page(token)
    page = html_of(at)
    assert lessons.lessons[0].prompts[0].text in page
    assert "results hidden for now" in page

    # Stopping the links blanks an open projector at its next refresh.
    store.revoke_projector_links(workshop_id=workshop.id)
    at.run()
    assert "has expired or was stopped" in html_of(at)
    assert lessons.lessons[0].prompts[0].text not in html_of(at)


# --- the projector's HTML pieces: always escaped, intentional at any size -------------------


def _card(i: int, text: str = TRICKY) -> AnswerCard:
    return AnswerCard(i, 1, "<i>Table</i>", "", text, utc_now())


def test_projector_html_escapes_everything_people_typed() -> None:
    workshop = Workshop(1, "ABC234", "<b>Day</b>", "c", "", False, False, "follow", 0, utc_now())
    page = projector.join_html(workshop, "https://example.org/?w=ABC234", 3)
    assert "<b>Day</b>" not in page and "&lt;b&gt;Day&lt;/b&gt;" in page
    assert "ABC-234" in page and "example.org" in page and "data:image/svg+xml" in page
    cards = projector.cards_html([_card(1)])
    assert "<script>" not in cards and "&lt;script&gt;" in cards and "&lt;i&gt;Table" in cards
    terms = projector.terms_html([Term("<img src=x>", 3)])
    assert "<img" not in terms and "&lt;img src=x&gt;" in terms


@pytest.mark.parametrize("count", [0, 1, 8, 300])
def test_cards_look_intentional_from_none_to_hundreds(count: int) -> None:
    from workbook.projector_pages import ANSWERS_PER_PAGE, page_of

    cards = [_card(i, "word " * 200) for i in range(count)]
    at = page_of(count, ANSWERS_PER_PAGE, 0)
    page = projector.cards_html(cards[at.start : at.end], at)
    assert page.count('data-testid="wbp-card"') == min(count, ANSWERS_PER_PAGE)
    if count > ANSWERS_PER_PAGE:
        assert f"Answers 1-{ANSWERS_PER_PAGE} of {count}</b>" in page
    else:
        assert "Answers 1-" not in page
    assert all(len(c) < 2000 for c in page.split("wbp-card"))  # long answers are clipped


def test_a_public_url_set_to_a_local_address_is_named_as_the_problem(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_PUBLIC_URL", "http://localhost:8501")
    get_settings.cache_clear()
    at, _, _ = signed_in(app_db)
    assert [w.value for w in at.warning] == [
        "Phones cannot open the local address WORKBOOK_PUBLIC_URL is set to, which the QR code "
        "would show. Set it to the address people use."
    ]


# --- approving answers before the room sees them --------------------------------------------


def _answers_sentence(at: AppTest) -> str:
    return next(m.value for m in at.markdown if " answer" in m.value and m.value.startswith("**"))


def test_with_approval_on_new_answers_wait_on_the_console_until_approved(
    app_db: Path, lessons: LessonSet
) -> None:
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    [choice] = [
        s
        for s in at.segmented_control
        if s.key.startswith(f"facilitator_approve_first_prompt_{prompt.id}")
    ]
    assert choice.label == "New answers" and choice.value is False  # as they come, by default
    choice.set_value(True).run()
    assert not at.exception, at.exception
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=PROMPT, item_id=prompt.id
    ).approve_first
    # The control is drawn again showing the stored choice.
    [choice] = [
        s
        for s in at.segmented_control
        if s.key.startswith(f"facilitator_approve_first_prompt_{prompt.id}")
    ]
    assert choice.value is True
    assert any("you approve answers first" in c.value for c in at.caption)

    texts = ["First answer", "Second answer", "Third answer"]
    for n, text in enumerate(texts):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=text)],
        )
    at.button(key=f"facilitator_reveal_prompt_{prompt.id}").click().run()
    assert (
        store.answer_cards(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id) == []
    )
    assert _answers_sentence(at) == "**3 answers: 0 shown, 3 waiting for you**"
    assert "**Waiting for you: 3** (newest first)" in [m.value for m in at.markdown]
    # The queue, newest first, each answer as text.
    waiting_texts = [t.value for t in at.text if t.value in texts]
    assert waiting_texts == ["Third answer", "Second answer", "First answer"]
    cards = store.answer_cards(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id, include_waiting=True
    )
    newest, middle = cards[0], cards[1]

    at.button(key=f"facilitator_approve_{newest.id}").click().run()
    assert [
        c.text
        for c in store.answer_cards(
            workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id
        )
    ] == ["Third answer"]
    assert _answers_sentence(at) == "**3 answers: 1 shown, 2 waiting for you**"

    at.button(key=f"facilitator_hide_{middle.id}").click().run()
    assert _answers_sentence(at) == "**3 answers: 1 shown, 1 waiting for you, 1 hidden**"

    at.button(key="facilitator_approve_all").click().run()
    assert _answers_sentence(at) == "**3 answers: 2 shown, 1 hidden**"
    assert "facilitator_approve_all" not in [b.key for b in at.button]

    at.button(key=f"facilitator_restore_{middle.id}").click().run()
    # Restored, never approved: it waits again.
    assert _answers_sentence(at) == "**3 answers: 2 shown, 1 waiting for you**"

    # The projector counts what it shows and says how many wait.
    token = store.new_projector_link(workshop_id=workshop.id)
    page = html_of(projector_page(token))
    assert "<b>2 answers</b>" in page and "1 more waiting for the facilitator" in page
    assert "Second answer" not in page and "Third answer" in page


def test_answers_waiting_on_a_question_off_the_projector_are_said_on_the_console(
    app_db: Path, lessons: LessonSet
) -> None:
    """A question not on the projector kept its waiting answers out of sight: the facilitator
    could not know they were there."""
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    assert len(lesson.prompts) >= 2
    other = lesson.prompts[1]  # the projector shows the first question
    [choice] = [
        s
        for s in at.segmented_control
        if s.key.startswith(f"facilitator_approve_first_prompt_{other.id}")
    ]
    choice.set_value(True).run()
    for n in range(2):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=other.id, text=f"A{n}")],
        )
    at.run()
    assert not at.exception, at.exception
    said = [w.value for w in at.warning if "waiting for you" in w.value]
    assert len(said) == 1 and "2 answers waiting for you" in said[0]
    assert "Choose that question under “Review answers to”" in said[0]


def test_waiting_answers_of_any_question_of_the_plan_are_reviewed_without_the_projector(
    app_db: Path, lessons: LessonSet
) -> None:
    """Waiting answers could only be reviewed once their question was on the projector: the
    panel offers every question of the plan, the one on the projector first chosen, and
    another step's question is reviewed there while the projector stays as it is."""
    at, store, workshop = signed_in(app_db)
    here, later = lessons.lessons[0], lessons.lessons[1]
    prompt = later.prompts[0]
    store.set_approve_first(
        workshop_id=workshop.id, lesson_id=later.id, prompt_id=prompt.id, approve_first=True
    )
    for n in range(2):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=later.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=later.id, prompt_id=prompt.id, text=f"A{n}")],
        )
    at.run()
    said = [w.value for w in at.warning if "waiting for you" in w.value]
    assert len(said) == 1 and "Step 2: “" in said[0] and "2 answers waiting for you" in said[0]
    [choice] = [s for s in at.selectbox if s.label == "Review answers to"]
    assert choice.value == (here.id, here.prompts[0].id)  # the question on the projector
    assert choice.options[0].startswith("On the projector · Step 1: ")
    assert [o for o in choice.options if o.startswith("On the projector")] == [choice.options[0]]
    assert len(choice.options) == sum(len(step.prompts) for step in lessons.lessons)
    focus_before = store.room(workshop.id).focus
    choice.set_value((later.id, prompt.id)).run()
    assert not at.exception, at.exception
    assert "This question is not on the projector now." in [c.value for c in at.caption]
    assert _answers_sentence(at) == "**2 answers: 0 shown, 2 waiting for you**"
    assert not [w for w in at.warning if "waiting for you" in w.value]
    at.button(key="facilitator_approve_all").click().run()
    assert not at.exception, at.exception
    assert _answers_sentence(at) == "**2 answers: 2 shown**"
    shown = store.answer_cards(workshop_id=workshop.id, lesson_id=later.id, prompt_id=prompt.id)
    assert sorted(c.text for c in shown) == ["A0", "A1"]
    assert store.room(workshop.id).focus == focus_before  # the projector was not moved


def _approve_first_choice(at: AppTest, prompt_id: str) -> Any:
    [choice] = [
        s
        for s in at.segmented_control
        if s.key.startswith(f"facilitator_approve_first_prompt_{prompt_id}")
    ]
    return choice


@pytest.mark.parametrize("given", [1, 3])
def test_turning_approval_on_says_the_answers_already_given_now_wait(
    app_db: Path, lessons: LessonSet, given: int
) -> None:
    """Turned on mid-question, "I approve answers first" took the answers already given off
    the projector without a word: the console says how many now wait, and where to approve."""
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    for n in range(given):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=f"A{n}")],
        )
    at.run()
    assert not [i for i in at.info if "already given" in i.value]
    _approve_first_choice(at, prompt.id).set_value(True).run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info if "already given" in i.value]
    expected = (
        "1 answer already given now waits for your approval: approve it under "
        "“Answers on the projector” to put it back on the screen."
        if given == 1
        else f"{given} answers already given now wait for your approval: approve them under "
        "“Answers on the projector” to put them back on the screen."
    )
    assert said == [expected]
    # Still said on the next run, until none of them waits any more.
    at.run()
    assert [i.value for i in at.info if "already given" in i.value] == [expected]
    store.approve_all(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id)
    at.run()
    assert not [i for i in at.info if "already given" in i.value]


def test_turning_approval_on_with_no_answers_yet_says_nothing_more(
    app_db: Path, lessons: LessonSet
) -> None:
    at, _store, _workshop = signed_in(app_db)
    prompt = lessons.lessons[0].prompts[0]
    _approve_first_choice(at, prompt.id).set_value(True).run()
    assert not at.exception, at.exception
    assert not [i for i in at.info if "already given" in i.value]


def test_the_note_on_answers_now_waiting_is_in_danish(app_db: Path, lessons: LessonSet) -> None:
    store = app_store(app_db)
    workshop, key = new_workshop(store)
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    at = sign_in(console(), workshop.join_code, key)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    for n in range(2):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=f"A{n}")],
        )
    at.run()
    _approve_first_choice(at, prompt.id).set_value(True).run()
    assert not at.exception, at.exception
    said = [i.value for i in at.info if i.value.startswith("2 ")]
    assert said == [DANISH_NOTE], [i.value for i in at.info]


DANISH_NOTE = (
    "2 svar, der allerede er givet, venter nu på din godkendelse: godkend dem under "
    "“Svar på projektoren” for at sætte dem på skærmen igen."
)


def test_approving_in_the_moderation_panel_updates_the_note_on_answers_now_waiting(
    app_db: Path, lessons: LessonSet
) -> None:
    """The note under "New answers" (how many answers already given now wait) is outside the
    refreshing moderation panel: approving there left it on screen, its count stale, until
    the whole console was drawn again. Each approval in the panel now updates it."""
    at, store, workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    for n in range(3):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"T{n}"))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=f"A{n}")],
        )
    at.run()
    _approve_first_choice(at, prompt.id).set_value(True).run()
    assert [i.value for i in at.info if "already given" in i.value] == [
        "3 answers already given now wait for your approval: approve them under "
        "“Answers on the projector” to put them back on the screen."
    ]
    cards = store.answer_cards(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id, include_waiting=True
    )
    at.button(key=f"facilitator_approve_{cards[0].id}").click().run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info if "already given" in i.value] == [
        "2 answers already given now wait for your approval: approve them under "
        "“Answers on the projector” to put them back on the screen."
    ]
    at.button(key="facilitator_approve_all").click().run()
    assert not at.exception, at.exception
    assert not [i for i in at.info if "already given" in i.value]
