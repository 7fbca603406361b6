"""Two app processes on one PostgreSQL database, in a real Chromium: the facilitator's console
is served by one process, a participant's phone by the other, and each move of the room
reaches the phone through PostgreSQL's LISTEN/NOTIFY (workbook/store/live.py). The phones'
own poll is set to ten minutes, so only a wake-up from the other process can move the phone
within the test's timeout."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from harness.browser import TIMEOUT, context, join_on_phone, sign_in, start_workshop
from harness.server import Server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT)


@pytest.fixture
def two_processes(postgres_url: str, tmp_path: Path) -> Iterator[tuple[Server, Server]]:
    quiet = {"WORKBOOK_PARTICIPANT_POLL_SECONDS": "600"}
    first = Server(postgres_url, env=quiet, log_folder=tmp_path)
    try:
        second = Server(postgres_url, env=quiet, log_folder=tmp_path)
    except BaseException:
        first.stop()
        raise
    yield first, second
    second.stop()
    first.stop()


def test_the_phone_follows_a_facilitator_served_by_another_process(
    browser: Browser, two_processes: tuple[Server, Server], lessons: LessonSet
) -> None:
    console_server, phone_server = two_processes
    console = context(browser, 1440, 900).new_page()
    code, key = start_workshop(console, console_server, "Two processes", "Housing")
    sign_in(console, console_server, code, key)
    phone = join_on_phone(browser, phone_server, code, "Table 2")

    notice = phone.locator(".st-key-room_notice .wb-room-moved")
    for step in (1, 2):
        console.get_by_role("button", name="Next step").click()
        title = lessons.lessons[step].title
        expect(notice).to_have_text(f"The facilitator moved to: {title}")
        expect(phone.get_by_role("heading", name=title)).to_be_visible()
    assert "Traceback" not in console_server.log() + phone_server.log()
