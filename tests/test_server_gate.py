"""The gate around every change to how Streamlit runs (workbook/server/): on for the Streamlit
it was checked against, off with one log line for any other, all off in stock mode."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
import streamlit

from workbook import server
from workbook.server import admission, room_push, script_threads, transport, warm

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def decided_afresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv(server.CHECKED_AS_SETTING, raising=False)
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


@pytest.mark.parametrize("name", sorted(server.CHANGES))
@pytest.mark.parametrize("version", ["1.68.0", "1.66.9", "2.0.0", "not a version"])
def test_each_change_is_off_for_a_streamlit_outside_its_checked_range(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, name: str, version: str
) -> None:
    monkeypatch.delenv(server.STOCK_SETTING, raising=False)
    with caplog.at_level(logging.WARNING, logger="workbook.server"):
        assert not server.active(name, version)
    [line] = [r.getMessage() for r in caplog.records]
    assert f"{server.CHANGES[name].what} is off" in line and version in line


def test_the_checked_as_setting_turns_every_change_off_and_each_does_nothing(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The diagnostic the browser test uses: the gate checks the version it names."""
    monkeypatch.delenv(server.STOCK_SETTING, raising=False)
    monkeypatch.setenv(server.CHECKED_AS_SETTING, "1.99.0")
    with caplog.at_level(logging.WARNING, logger="workbook.server"):
        assert server.decide() == dict.fromkeys(server.CHANGES, False)
        server.decide()  # decided once: asked again, nothing more is said
    lines = [r.getMessage() for r in caplog.records]
    assert len(lines) == len(server.CHANGES)
    for change in server.CHANGES.values():
        assert any(f"{change.what} is off" in line and "1.99.0" in line for line in lines)
    assert script_threads.install() is None
    assert isinstance(admission.run_slot(), nullcontext)
    assert isinstance(admission.run_starting(), nullcontext)
    assert not warm.after_first_run("a page never seen")
    assert room_push.RoomPush().wake(1) == 0
    monkeypatch.setattr(transport, "_done", False)
    transport.send_at_once()
    assert not transport._done  # it did not run


def test_the_installed_streamlit_has_every_part_the_changes_reach_into() -> None:
    assert {name: server.missing_part(c) for name, c in server.CHANGES.items()} == dict.fromkeys(
        server.CHANGES
    )


_WITHOUT_RUNTIME = """
import json, logging
import streamlit.runtime
from streamlit.runtime.scriptrunner import script_runner
del streamlit.runtime.Runtime  # as if an upgrade had moved these
del script_runner.ScriptRunner._run_script_thread
from workbook.ui import facilitator, lesson_form, pacing, projector, resources, room_results
from workbook import server
from workbook.server import script_threads
logging.basicConfig(level=logging.WARNING, format="%(message)s")
print(json.dumps(server.decide()))
assert script_threads.install() is None
"""


@pytest.mark.parametrize("stock", ["", "true"])
def test_a_streamlit_that_moved_a_part_still_imports_the_app_and_turns_that_change_off(
    stock: str,
) -> None:
    """Reviewer's case (issue 20): once, a missing `streamlit.runtime.Runtime` stopped the
    app's screens from importing, before the gate could decide anything."""
    env = {**os.environ, server.STOCK_SETTING: stock, "PYTHONPATH": str(ROOT)}
    env.pop(server.CHECKED_AS_SETTING, None)
    done = subprocess.run(
        [sys.executable, "-c", _WITHOUT_RUNTIME],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    decided = json.loads(done.stdout.strip().splitlines()[-1])
    assert decided["room_push"] is False and decided["script_threads"] is False
    if stock:
        assert not any(decided.values())
        assert "stock Streamlit" in done.stderr
    else:
        assert decided["transport"] and decided["admission"] and decided["warm"]
        assert "room wake-ups and redraws of dropped output is off" in done.stderr
        assert "has no streamlit.runtime:Runtime" in done.stderr
        assert "kept threads for script runs is off" in done.stderr
