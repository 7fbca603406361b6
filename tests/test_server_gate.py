"""The gate around every change to how Streamlit runs (workbook/server/): on for the Streamlit
it was checked against, off with one log line for any other, all off in stock mode."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import nullcontext

import pytest
import streamlit

from workbook import server
from workbook.server import admission, room_push, script_threads, transport, warm


@pytest.fixture(autouse=True)
def decided_afresh() -> Iterator[None]:
    server.active.cache_clear()
    yield
    server.active.cache_clear()


def test_every_change_is_on_for_the_streamlit_it_was_checked_against(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(server.STOCK_SETTING, raising=False)
    assert streamlit.__version__ == "1.67.0"  # requirements.txt pins the checked version
    assert all(server.active(name) for name in server.CHANGES)


def test_another_streamlit_turns_each_change_off_with_one_line_saying_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(server.STOCK_SETTING, raising=False)
    with caplog.at_level(logging.WARNING, logger="workbook.server"):
        for _ in range(3):  # asked often, said once
            assert not server.active("script_threads", "1.68.0")
    [line] = [r.getMessage() for r in caplog.records]
    assert "kept threads for script runs is off" in line
    assert ">=1.67,<1.68" in line and "1.68.0" in line
    assert not server.active("room_push", "1.60.2")


@pytest.mark.parametrize("value", ["true", "1", "TRUE", " yes "])
def test_stock_mode_turns_every_change_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(server.STOCK_SETTING, value)
    assert not any(server.active(name) for name in server.CHANGES)
    # What each change does then: nothing.
    assert script_threads.install() is None
    assert isinstance(admission.run_slot(), nullcontext)
    assert isinstance(admission.run_starting(), nullcontext)
    assert admission.admitted(lambda: 42)() == 42
    assert not warm.after_first_run("a page never seen")
    assert room_push.RoomPush().wake(1) == 0


def test_stock_mode_is_only_asked_for_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    for value in ("", "false", "0", "no"):
        monkeypatch.setenv(server.STOCK_SETTING, value)
        server.active.cache_clear()
        assert server.active("transport")
    transport.no_delay_on_process_sockets()  # still callable directly in either mode
