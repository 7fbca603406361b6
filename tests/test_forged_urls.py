"""Forged, stale and garbage URL parameters: a plain message and access to nothing (AppTest)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.records import Seat
from workbook.store import Store

APP = str(PROJECT_ROOT / "app.py")
NOT_A_SEAT = "does not open a seat"
# Words that exist only inside the workshops below: seeing one on screen means a leak.
SECRET_TITLE = "Quiet strategy day 7f3a"
SECRET_GROUP = "Tenants table 9c1e"
SECRET_ANSWER = "We will call the councillor on Tuesday 4b2d"


def fresh(query: dict[str, Any] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query or {})
    return at


def shown(at: AppTest) -> str:
    """Everything the page put on screen, as text (every element's protobuf)."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None))


def seated_somewhere(db: Path) -> tuple[Seat, str, str]:
    """A workshop with a seated participant who has saved an answer; (seat, token, other code)."""
    store = Store(db)
    try:
        workshop, _ = store.create_workshop(
            workshop=WorkshopCreate(title=SECRET_TITLE, cause="Housing")
        )
        seat, token = store.join(
            workshop_id=workshop.id, request=JoinRequest(group_name=SECRET_GROUP)
        )
        store.save_answers(
            seat=seat,
            lesson_id="learning-from-movements",
            round=1,
            reflections=[
                ReflectionIn(
                    lesson_id="learning-from-movements", prompt_id="p1", text=SECRET_ANSWER
                )
            ],
        )
        other, _ = store.create_workshop(workshop=WorkshopCreate(title="Other day", cause="x"))
        return seat, token, other.join_code
    finally:
        store.close()


def assert_nothing_opened(at: AppTest) -> None:
    assert not at.exception, at.exception
    assert [tab.label for tab in at.tabs] == ["Join a workshop", "Start a workshop"]
    screen = shown(at)
    for secret in (SECRET_TITLE, SECRET_GROUP, SECRET_ANSWER):
        assert secret not in screen
    assert "Traceback" not in screen
    assert not [
        b for b in at.button if b.label in ("Save answers", "Leave this workshop on this device")
    ]


def test_the_real_link_opens_the_seat(app_db: Path) -> None:
    """The control: without it the tests below would pass on a page that opens nothing."""
    seat, token, _ = seated_somewhere(app_db)
    at = fresh({"w": seat.workshop.join_code, "t": token}).run()
    assert not at.exception
    assert SECRET_TITLE in shown(at)
    assert [b for b in at.button if b.label == "Save answers"]


def test_another_workshops_code_with_a_real_token_opens_nothing(app_db: Path) -> None:
    _, token, other_code = seated_somewhere(app_db)
    at = fresh({"w": other_code, "t": token}).run()
    assert_nothing_opened(at)
    assert at.warning and NOT_A_SEAT in at.warning[0].value
    assert "t" not in at.query_params


def test_another_workshops_code_with_a_made_up_token_opens_nothing(app_db: Path) -> None:
    seat, token, other_code = seated_somewhere(app_db)
    for code in (other_code, seat.workshop.join_code):
        made_up = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
        at = fresh({"w": code, "t": made_up}).run()
        assert_nothing_opened(at)
        assert at.warning and NOT_A_SEAT in at.warning[0].value


def test_a_token_from_a_deleted_workshop_opens_nothing(app_db: Path) -> None:
    seat, token, _ = seated_somewhere(app_db)
    store = Store(app_db)
    try:
        # No delete function exists yet: remove the workshop's rows as a clean-up job would.
        def delete(cur: Any) -> None:
            for table in ("reflections", "participants", "groups"):
                cur.execute(f"DELETE FROM {table} WHERE workshop_id = ?", [seat.workshop.id])
            cur.execute("DELETE FROM workshops WHERE id = ?", [seat.workshop.id])

        store._write(delete)
    finally:
        store.close()
    at = fresh({"w": seat.workshop.join_code, "t": token}).run()
    assert_nothing_opened(at)
    assert at.warning and NOT_A_SEAT in at.warning[0].value
    # Typing the dead code gets the plain "no workshop" sentence, not a page of nothing.
    [code_box] = [t for t in at.text_input if t.label == "Workshop code"]
    code_box.input(seat.workshop.join_code)
    [find] = [b for b in at.button if b.label == "Find workshop"]
    find.click()
    at.run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("No workshop has the code")


def test_a_seat_deleted_while_in_use_is_told_plainly(app_db: Path) -> None:
    seat, token, _ = seated_somewhere(app_db)
    at = fresh({"w": seat.workshop.join_code, "t": token}).run()
    assert [b for b in at.button if b.label == "Save answers"]
    store = Store(app_db)
    try:
        store._write(
            lambda cur: cur.execute("DELETE FROM participants WHERE id = ?", [seat.participant.id])
        )
    finally:
        store.close()
    at.run()
    if not at.tabs:  # the first run after the seat vanished lands on the start page
        at.run()
    assert_nothing_opened(at)
    assert "no longer exists" in shown(at)


GARBAGE = [
    pytest.param({"w": "A" * 100_000, "t": "B" * 100_000}, id="huge"),
    pytest.param({"w": "<script>alert(1)</script>", "t": "' OR 1=1 --"}, id="script-and-sql"),
    pytest.param({"w": "ABC234\x00", "t": "\x00\x01\x1b[31m"}, id="control-characters"),
    pytest.param({"w": "שלום", "t": "👋🏽" * 50}, id="rtl-and-emoji"),
    pytest.param({"w": ["ABC234", "XYZ789"], "t": ["a", "b"]}, id="repeated"),
    pytest.param({"w": "", "t": "x"}, id="empty-code"),
    pytest.param({"t": "only-a-token"}, id="token-alone"),
    pytest.param({"w": "%00%27%22", "t": "%3Cb%3E"}, id="percent-encoded"),
]


@pytest.mark.parametrize("query", GARBAGE)
def test_garbage_parameters_open_nothing_and_crash_nothing(
    app_db: Path, query: dict[str, Any]
) -> None:
    seated_somewhere(app_db)
    at = fresh(query).run()
    assert_nothing_opened(at)
    code_boxes = [t for t in at.text_input if t.label == "Workshop code"]
    assert code_boxes and len(code_boxes[0].value or "") <= 100
    if query.get("w") and query.get("t") and isinstance(query["w"], str):
        assert at.warning and NOT_A_SEAT in at.warning[0].value


@pytest.mark.parametrize("token", ["made-up", "", "x" * 5000, "<b>x</b>"])
def test_a_forged_projector_link_shows_no_workshop(app_db: Path, token: str) -> None:
    seated_somewhere(app_db)
    at = fresh().run()
    at.switch_page("pages/projector.py")
    at.query_params["p"] = token
    at.run()
    assert not at.exception, at.exception
    screen = shown(at)
    for secret in (SECRET_TITLE, SECRET_GROUP, SECRET_ANSWER):
        assert secret not in screen
    assert "projector" in screen.lower()  # a plain sentence about the link, not a blank page
