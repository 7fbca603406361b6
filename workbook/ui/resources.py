"""Process-wide resources for the app: the one store and the cached lessons."""

from __future__ import annotations

import atexit
import threading
import time
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from workbook import backup
from workbook.config import Settings, get_settings
from workbook.lessons import LessonSet, load_lessons
from workbook.store import Store, StoreError
from workbook.ui.room_push import ROOM_PUSH


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    opened = Store(Path(path))
    # When the facilitator changes the room, wake the phones that follow it.
    opened.on_room_change(ROOM_PUSH.wake)
    # Serve `python -m workbook.backup create` while this process holds the file.
    watcher = backup.start_watcher(opened, settings().backup_dir)
    # Stop the writer and close the file cleanly when the server exits.
    atexit.register(opened.close)
    atexit.register(watcher.stop)
    return opened


def settings() -> Settings:
    """The deployment's settings, or a plain sentence on screen if one is set wrongly."""
    try:
        return get_settings()
    except ValidationError as error:
        names = ", ".join(f"WORKBOOK_{str(e['loc'][0]).upper()}" for e in error.errors())
        st.error(
            f"The app is not configured correctly: check {names} (see the README's "
            "Configuration section), then restart it.",
            icon=":material/settings:",
        )
        st.stop()
        raise  # unreachable: st.stop() ends the run


def store() -> Store:
    """The shared store, or a plain sentence on screen and a stopped page if it cannot open."""
    try:
        return _open_store(str(settings().db))
    except StoreError as error:
        st.error(str(error), icon=":material/database:")
        st.stop()
        raise  # unreachable: st.stop() ends the run


@st.cache_resource(show_spinner=False, max_entries=4)
def _lessons_for(folder: str, signature: tuple[tuple[str, float, int], ...]) -> LessonSet:
    del signature  # part of the cache key only: a changed file means a new entry
    return load_lessons(Path(folder))


# How often the lessons folder is looked at for changed files (seconds). Every script run
# asks for the lessons; 200 phones in a room would otherwise list and stat the folder
# hundreds of times a second.
LESSONS_CHECK_SECONDS = 1.0
_checked: dict[str, tuple[float, LessonSet]] = {}
_checked_lock = threading.Lock()


def lessons() -> LessonSet:
    """Lessons, reloaded when a file in the folder is added, removed or changed (seen within
    LESSONS_CHECK_SECONDS)."""
    folder = settings().lessons_dir
    key = str(folder)
    now = time.monotonic()
    with _checked_lock:
        last = _checked.get(key)
    if last is not None and now - last[0] < LESSONS_CHECK_SECONDS:
        return last[1]
    try:
        signature = tuple(
            sorted((p.name, p.stat().st_mtime, p.stat().st_size) for p in folder.glob("*.md"))
        )
    except OSError:
        signature = ()
    found = _lessons_for(key, signature)
    with _checked_lock:
        _checked[key] = (now, found)
    return found
