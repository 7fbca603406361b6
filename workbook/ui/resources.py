"""Process-wide resources for the app: the one store, the cached lessons and ready plans."""

from __future__ import annotations

import atexit
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from pydantic import ValidationError

from workbook import backup
from workbook.config import Settings, get_settings, setting_problems
from workbook.lesson_languages import folder_of, load_in
from workbook.lessons import LessonSet
from workbook.plans.files import PlanSet, load_plans, plans_folder
from workbook.server.room_push import ROOM_PUSH
from workbook.store import Store, StoreError
from workbook.ui.i18n import translator

T = TypeVar("T")
Signature = tuple[tuple[str, float, int], ...]


@st.cache_resource(show_spinner=False)
def _open_store(path: str) -> Store:
    opened = Store(path)  # a DuckDB file's path or a postgresql:// address
    # When the facilitator changes the room, wake the phones that follow it; when only its
    # timer changes, wake their timers.
    opened.on_room_change(ROOM_PUSH.wake, ROOM_PUSH.wake_timers)
    # Serve `python -m workbook.backup create` and `python -m workbook.release make|list`
    # while this process holds the file.
    release = _release_handler(opened)
    watcher = backup.start_watcher(
        opened, settings().backup_dir, handlers={"release": release, "release_list": release}
    )
    # Stop the writer and close the file cleanly when the server exits.
    atexit.register(opened.close)
    atexit.register(watcher.stop)
    return opened


def _release_handler(opened: Store) -> backup.RequestHandler:
    def handle(request: dict[str, object]) -> dict[str, object]:
        # Imported on the first request: OpenDP is not needed to serve a room.
        from workbook.release.command import request_handlers

        return request_handlers(opened, settings().lessons_dir)[str(request["kind"])](request)

    return handle


def _code_span(text: str) -> str:
    """`text` as a Markdown code span: shown exactly, never read as Markdown, HTML, LaTeX or
    an emoji shortcode. The fence is longer than any run of backticks inside; a space pads
    each side when the text starts or ends with a backtick or a space (CommonMark strips
    one from each side again)."""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    edges = (text[:1], text[-1:])
    pad = " " if text.strip() and ("`" in edges or " " in edges) else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def settings() -> Settings:
    """The deployment's settings, or, when one is set wrongly, one plain sentence per wrong
    setting on screen and a stopped page (the server keeps running)."""
    try:
        return get_settings()
    except ValidationError as error:
        sentences = setting_problems(error, quote=_code_span)
        st.error(
            " ".join(sentences) + "\n\nSee the Configuration section of the README, set it "
            "right, then restart the app.",
            icon=":material/settings:",
        )
        st.stop()
        raise  # unreachable: st.stop() ends the run


def store() -> Store:
    """The shared store, or a plain sentence on screen and a stopped page if it cannot open."""
    try:
        return _open_store(str(settings().db))
    except StoreError as error:
        st.error(error.shown(translator()), icon=":material/database:")
        st.stop()
        raise  # unreachable: st.stop() ends the run


# How often the lessons folder is looked at for changed files (seconds). Every script run
# asks for the lessons; 200 phones in a room would otherwise list and stat the folder
# hundreds of times a second.
LESSONS_CHECK_SECONDS = 1.0


@dataclass(frozen=True)
class _Loaded:
    checked_at: float
    signature: Signature
    value: Any


# Lessons by folder and language, and the ready plans by folder, for the whole server process.
_loaded: dict[str, _Loaded] = {}
_loaded_lock = threading.Lock()


def _signature(pattern: str, *folders: Path) -> Signature:
    try:
        return tuple(
            sorted(
                (str(p), p.stat().st_mtime, p.stat().st_size)
                for folder in folders
                for p in folder.glob(pattern)
            )
        )
    except OSError:
        return ()


def _files_read(key: str, signature: Callable[[], Signature], read: Callable[[], T]) -> T:
    """What `read` makes of some files, read again when one is added, removed or changed
    (seen within LESSONS_CHECK_SECONDS): every script run asks, so the folders are looked at
    at most once a second and the files parsed only when they changed."""
    now = time.monotonic()
    with _loaded_lock:
        last = _loaded.get(key)
    if last is not None and now - last.checked_at < LESSONS_CHECK_SECONDS:
        return last.value
    seen = signature()
    found = last.value if last is not None and last.signature == seen else read()
    with _loaded_lock:
        _loaded[key] = _Loaded(now, seen, found)
    return found


def lessons(language: str = "en") -> LessonSet:
    """Lessons in `language` (English where a translation is missing), reloaded when a file
    in the folders is added, removed or changed (seen within LESSONS_CHECK_SECONDS)."""
    folder = settings().lessons_dir
    return _files_read(
        f"lessons|{folder}|{language}",
        lambda: _signature("*.md", folder, folder_of(folder, language)),
        lambda: load_in(folder, language),
    )


def ready_plans() -> PlanSet:
    """The ready plans beside the lessons (lessons/plans/*.yaml), read again when one changes."""
    folder = plans_folder(settings().lessons_dir)
    return _files_read(
        f"plans|{folder}", lambda: _signature("*.yaml", folder), lambda: load_plans(folder)
    )
