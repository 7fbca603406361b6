"""Shared fixtures: a real DuckDB file in a temp folder, the repo's lessons, a real server
(harness/server.py) and a real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server import CHROMIUM_ARGS, Server, chromium_executable, free_port
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet, load_lessons
from workbook.store import Store

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "workbook.duckdb")
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def lessons() -> LessonSet:
    return load_lessons(PROJECT_ROOT / "lessons")


@pytest.fixture
def app_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the app (run in-process by AppTest) at a fresh database file."""
    path = tmp_path / "app.duckdb"
    monkeypatch.setenv("WORKBOOK_DB", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("server") / "workbook.duckdb", free_port())
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium. Never skipped: without one the browser tests fail loudly."""
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
        if executable:
            options["executable_path"] = executable
        launched = playwright.chromium.launch(**options)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run AppTest as a long-running server does: app.py's st.navigation on every run.

    Streamlit treats an app with a pages/ folder as an old-style multipage app until the first
    st.navigation call in the process flips `PagesManager.uses_pages_directory` to False for
    good. AppTest resets the flag before every run, so without this each run after the first
    would execute the page file alone, skipping app.py.
    """
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self: PagesManager, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


def jump_box(at: object) -> object:
    """The workbook page's "Jump to a step" box, in an AppTest run."""
    from workbook.ui.workbook_page import JUMP_LABEL

    found = [box for box in at.selectbox if box.label == JUMP_LABEL]  # type: ignore[attr-defined]
    assert found, "no 'Jump to a step' box on this page"
    return found[0]


def first_rating(at: object) -> object:
    """The first rating statement's buttons on the workbook page, in an AppTest run (the
    language choice at the top is a button group too)."""
    found = [g for g in at.get("button_group") if "_rating_" in (g.key or "")]  # type: ignore[attr-defined]
    assert found, "no rating on this page"
    return found[0]
