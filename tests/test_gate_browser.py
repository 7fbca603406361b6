"""The app on a Streamlit none of its changes were checked against (issue 20): a real
`streamlit run` told, through the diagnostic WORKBOOK_STREAMLIT_CHECKED_AS, that Streamlit is
a version outside every change's range. Every change to how Streamlit runs turns itself off
(one log line each, on the first run), and the room still works: the facilitator moves it and
a phone follows, by its poll, as on stock Streamlit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import context, join_on_phone, settle, sign_in, start_workshop
from harness.server import Server
from workbook import server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser

UNCHECKED = "1.99.0"


def test_on_an_unchecked_streamlit_every_change_is_off_and_the_room_still_moves_phones(
    browser: Browser, tmp_path: Path, lessons: LessonSet
) -> None:
    unchecked = Server(
        tmp_path / "workbook.duckdb",
        env={
            server.CHECKED_AS_SETTING: UNCHECKED,
            server.STOCK_SETTING: "",
            "WORKBOOK_PARTICIPANT_POLL_SECONDS": "1",
        },
    )
    try:
        console = context(browser, 1440, 900).new_page()
        code, key = start_workshop(console, unchecked, "Unchecked day", "Housing justice")
        sign_in(console, unchecked, code, key)
        phone = join_on_phone(browser, unchecked, code, "Table by the window")
        settle(phone)

        console.get_by_role("button", name="Next step").click()
        title = lessons.lessons[1].title
        expect(console.get_by_text(f"Room is on Step 2 of {len(lessons)}: {title}")).to_be_visible()
        expect(phone.get_by_text(re.compile(r"^Step 2 of"))).to_be_visible()
        expect(phone.get_by_role("heading", name=title)).to_be_visible()

        log = unchecked.log()
        assert "Traceback" not in log
        for change in server.CHANGES.values():
            said = [line for line in log.splitlines() if f"{change.what} is off" in line]
            assert len(said) == 1, (change.name, said)
            assert f"this is Streamlit {UNCHECKED}" in said[0]
    finally:
        unchecked.stop()
