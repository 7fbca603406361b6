"""Following the room on a participant's phone: the rules in workbook/live.py, and the page
in AppTest (the move notice, the waiting card, the timer, Save and go to the next step).
What only a browser shows (scrolling, the drafts script, the countdown) is in
tests/test_phone_room_browser.py."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet
from workbook.live import (
    FOLLOW,
    JOIN_SCREEN,
    PROMPT,
    RATING,
    SELF_PACED,
    STEP_SCREEN,
    WAITING_FOR_NEXT,
    WAITING_TO_START,
    Room,
    Timer,
    kept_as_draft,
    moved_notice,
    phone_timer,
    room_moved,
    room_started,
    start_timer,
    waiting_for,
)
from workbook.models import JoinRequest, WorkshopCreate
from workbook.records import Workshop
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.ui import pacing
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
NOW = dt.datetime(2026, 5, 1, 10, 0, 0)


def room(**changes: object) -> Room:
    base = {"workshop_id": 1, "pacing": FOLLOW, "current_step": 0, "screen": JOIN_SCREEN}
    return Room(**{**base, **changes})  # type: ignore[arg-type]


# --- the rules --------------------------------------------------------------------------------


def test_a_room_has_started_once_the_projector_leaves_the_join_code() -> None:
    assert not room_started(room())
    assert room_started(room(screen=STEP_SCREEN))


def test_a_phone_waits_before_the_start_and_between_activities_only() -> None:
    assert waiting_for(room(), items=2, closed=0) == WAITING_TO_START
    started = room(screen=STEP_SCREEN)
    assert waiting_for(started, items=2, closed=0) is None
    assert waiting_for(started, items=2, closed=1) is None  # one question still open
    assert waiting_for(started, items=2, closed=2) == WAITING_FOR_NEXT
    # Reading or an exercise (no questions) is an activity of its own, not a wait.
    assert waiting_for(started, items=0, closed=0) is None
    # Self-paced rooms and self-guided workshops never wait.
    assert waiting_for(room(pacing=SELF_PACED), items=2, closed=0) is None
    assert waiting_for(room(), items=2, closed=0, follows=False) is None


def test_only_a_move_of_the_followed_room_is_announced() -> None:
    assert room_moved(pacing=FOLLOW, room_step=2, seen_room_step=1)
    assert not room_moved(pacing=FOLLOW, room_step=2, seen_room_step=2)
    assert not room_moved(pacing=FOLLOW, room_step=2, seen_room_step=None)  # just joined
    assert not room_moved(pacing=SELF_PACED, room_step=2, seen_room_step=1)
    assert moved_notice("Power mapping") == "The facilitator moved to: Power mapping"
    assert kept_as_draft("Power mapping") == (
        "Your unsaved answers to Power mapping were kept as a draft"
    )


def test_the_phone_timer_is_the_projector_timer() -> None:
    assert phone_timer(Timer(), NOW) is None
    running = start_timer(5, NOW)
    shown = phone_timer(running, NOW + dt.timedelta(seconds=61))
    assert shown is not None and shown.running and shown.left == 239
    assert shown.text == "3:59 left"
    paused = phone_timer(Timer(seconds=300, paused_left=75), NOW)
    assert paused is not None and not paused.running and paused.text == "1:15 left (paused)"
    done = phone_timer(running, NOW + dt.timedelta(minutes=9))
    assert done is not None and done.left == 0 and done.text == "Time is up"


# --- the page ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_rooms(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each run reads the room itself (the page shares one read a second between phones)."""
    monkeypatch.setattr(pacing, "ROOM_MAX_AGE", 0.0)


def setup(app_db: Path) -> tuple[Store, Workshop, AppTest, int]:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Tenants <b>union</b> day", cause="Housing")
    )
    seat, token = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name="Table *by* the window")
    )
    phone = AppTest.from_file(APP, default_timeout=30)
    phone.query_params.update({"w": workshop.join_code, "t": token})
    phone.run()
    assert not phone.exception, phone.exception
    return store, workshop, phone, seat.participant.id


def html_of(at: AppTest) -> str:
    """The page's HTML elements, tags (such as <bdi> around user text) taken out."""
    return re.sub(r"<[^>]+>", "", "\n".join(str(h.proto.body) for h in at.get("html")))


def test_the_phone_waits_for_the_start_with_workshop_and_group(
    app_db: Path, lessons: LessonSet
) -> None:
    store, workshop, phone, _ = setup(app_db)
    page = html_of(phone)
    assert WAITING_TO_START in page
    # The workshop's and group's names as text, escaped, never as markup.
    assert "Tenants &lt;b&gt;union&lt;/b&gt; day" in page
    assert "Your group: Table *by* the window" in page

    store.move_room(workshop_id=workshop.id, step=0)  # the facilitator starts the room
    phone.run()
    assert WAITING_TO_START not in html_of(phone)

    # Every question of the step closed: between activities.
    lesson = lessons.lessons[0]
    for prompt in lesson.prompts:
        store.set_item_state(
            workshop_id=workshop.id,
            lesson_id=lesson.id,
            kind=PROMPT,
            item_id=prompt.id,
            open=False,
        )
    for statement in lesson.ratings:
        store.set_item_state(
            workshop_id=workshop.id,
            lesson_id=lesson.id,
            kind=RATING,
            item_id=statement.id,
            open=False,
        )
    phone.run()
    assert WAITING_FOR_NEXT in html_of(phone)


def _moved_line(phone: AppTest) -> str | None:
    """The "moved" line the page shows, or None. (Without a move the line is drawn hidden,
    for the watchdog's reload to show: pacing.room_notice.)"""
    raw = "\n".join(str(h.proto.body) for h in phone.get("html"))
    shown = re.findall(r'<p class="wb-room-moved"[^>]*>(.*?)</p>', raw, re.DOTALL)
    assert len(shown) <= 1, shown
    return html.unescape(re.sub(r"<[^>]+>", "", shown[0])) if shown else None


def test_a_move_is_announced_once_at_the_top(app_db: Path, lessons: LessonSet) -> None:
    store, workshop, phone, _ = setup(app_db)
    assert _moved_line(phone) is None  # joining is not a move
    store.move_room(workshop_id=workshop.id, step=2)
    phone.run()
    assert phone.title[0].value == lessons.lessons[2].title
    assert _moved_line(phone) == f"The facilitator moved to: {lessons.lessons[2].title}"
    phone.run()  # the next redraw, without a move, says nothing more
    assert _moved_line(phone) is None
    # ... but holds the line hidden, for a page the watchdog reloads onto this step.
    raw = "\n".join(str(h.proto.body) for h in phone.get("html"))
    assert '<p class="wb-room-caught-up" data-move="caught-up" data-step="2" hidden>' in raw


def test_the_phone_shows_the_running_timer(app_db: Path) -> None:
    store, workshop, phone, _ = setup(app_db)
    store.move_room(workshop_id=workshop.id, step=0)
    phone.run()
    assert "wb-phone-timer" not in html_of(phone)
    store.set_timer(workshop_id=workshop.id, timer=start_timer(7, utc_now()))
    phone.run()
    page = html_of(phone)
    raw = "\n".join(str(h.proto.body) for h in phone.get("html"))
    assert 'data-running="1"' in raw and " left" in page
    left = int(raw.split('data-left="', 1)[1].split('"', 1)[0])
    assert 6 * 60 <= left <= 7 * 60


def test_save_and_go_to_the_next_step_keeps_the_answers(app_db: Path, lessons: LessonSet) -> None:
    store, workshop, phone, participant_id = setup(app_db)
    store.move_room(workshop_id=workshop.id, step=0)
    phone.run()
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    prefix = f"answer_{lesson.id}_1"
    phone.text_area(key=f"{prefix}_prompt_{prompt.id}").input("Rent strikes work together")
    phone.button(key=f"{prefix}_save_next").click().run()
    assert not phone.exception, phone.exception
    assert phone.title[0].value == lessons.lessons[1].title
    saved = store.saved_answers(participant_id=participant_id, lesson_id=lesson.id, round=1)
    assert saved.reflections[prompt.id] == "Rent strikes work together"
    assert any(f"Your answers to {lesson.title} are saved" in s.value for s in phone.success)


def test_save_and_go_stays_when_the_answer_cannot_be_saved(
    app_db: Path, lessons: LessonSet
) -> None:
    store, _workshop, phone, participant_id = setup(app_db)
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    prefix = f"answer_{lesson.id}_1"
    too_long = "x" * 20_000
    phone.text_area(key=f"{prefix}_prompt_{prompt.id}").input(too_long)
    phone.button(key=f"{prefix}_save_next").click().run()
    assert phone.title[0].value == lessons.lessons[0].title  # not moved on
    assert phone.text_area(key=f"{prefix}_prompt_{prompt.id}").value == too_long
    assert phone.error, "the reason is shown"
    assert store.seat(participant_id).participant.current_step == 0
