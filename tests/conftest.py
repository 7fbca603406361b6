"""Shared fixtures: a real DuckDB file in a temp folder, the repo's lessons, a real server
(harness/server.py) and a real Chromium."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.server import CHROMIUM_ARGS, Server, chromium_executable, free_port
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet, load_lessons
from workbook.store import Store

SEEDS = PROJECT_ROOT.parent / "shared" / "seeds"


BACKENDS = ("duckdb", "postgres")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The address of a real PostgreSQL (harness/postgres.py: WORKBOOK_TEST_POSTGRES, a local
    server, or a throwaway cluster started for this run). Never skipped."""
    from harness.postgres import server

    with server() as url:
        yield url


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> Iterator[str]:
    """A database migrated once per run; each test's database is a copy of it."""
    import psycopg

    from harness.postgres import with_database

    name = f"workbook_template_{os.getpid()}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    Store(with_database(postgres_server, name)).close()
    yield name
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def postgres_url(postgres_server: str, postgres_template: str) -> Iterator[str]:
    """A new database of its own for one test, dropped after it."""
    import psycopg

    from harness.postgres import with_database

    name = f"workbook_test_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        # Without fsync (the throwaway cluster) copying the files is ~3x faster than
        # PostgreSQL 15's default of copying through its log; with fsync, the log is.
        row = admin.execute("SHOW fsync").fetchone()
        cheap = row and row[0] == "off" and admin.info.server_version >= 150000
        strategy = " STRATEGY FILE_COPY" if cheap else ""
        admin.execute(f"CREATE DATABASE {name} TEMPLATE {postgres_template}{strategy}")
    yield with_database(postgres_server, name)
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def in_browser_file(nodeid: str) -> bool:
    """Whether a test lives in a browser test file: tests/test_browser.py or
    tests/test_*_browser.py. Every browser test does (checked at collection)."""
    return nodeid.split("::", 1)[0].endswith("browser.py")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> Iterator[None]:
    """Tests marked duckdb_only keep only their DuckDB case of `db_location`; browser tests
    come first (after pytest-randomly's shuffle: this wrapper is registered after its one),
    for the two-process run (`pytest_xdist_make_scheduler`)."""
    kept = []
    for item in items:
        callspec = getattr(item, "callspec", None)
        backend = callspec.params.get("db_location") if callspec else None
        if backend == "postgres" and item.get_closest_marker("duckdb_only"):
            continue
        if item.get_closest_marker("browser") and not in_browser_file(item.nodeid):
            raise pytest.UsageError(
                f"{item.nodeid} is a browser test: move it to a file named test_*_browser.py"
            )
        kept.append(item)
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
    yield
    items.sort(key=lambda item: not in_browser_file(item.nodeid))


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """Run in two processes (pytest-xdist, as scripts/test.sh does), the browser test files
    are one unit of work, run one after another in one process and handed out first (they
    are the longer half): two live rooms at once on two cores would make their waits for the
    room a test of the machine. Every other file is a unit of its own, so its module
    fixtures are made once. (xdist's own `--dist loadgroup` cannot do it under pytest 9,
    which no longer reads the group xdist 3.8 writes into a test's id.)"""
    from xdist.scheduler import LoadScopeScheduling

    class BrowserFilesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return "browser tests" if in_browser_file(nodeid) else nodeid.split("::", 1)[0]

    return BrowserFilesTogether(config, log)


@pytest.fixture(params=BACKENDS)
def db_location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's store keeps its data, once per backend: a DuckDB file in tmp_path, or a
    PostgreSQL database of its own. Open it as often as the test needs with Store(...)."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "workbook.duckdb")


def raw_rows(location: str, sql: str) -> list[tuple[object, ...]]:
    """Rows read straight from a store's database, around the store (its file or server)."""
    if location.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(location) as conn:
            return conn.execute(sql).fetchall()  # type: ignore[arg-type]
    import duckdb

    with duckdb.connect(location, read_only=True) as con:
        return con.execute(sql).fetchall()


@pytest.fixture
def store(db_location: str) -> Iterator[Store]:
    """A fresh store on each backend (tests that need a DuckDB file itself, e.g. to copy or
    lock it, open `Store(tmp_path / ...)` themselves)."""
    opened = Store(db_location)
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
def close_pages(request: pytest.FixtureRequest) -> Iterator[None]:
    """After a browser test, every tab it opened is closed. Left open, each one goes on
    polling its server, or trying to reach it again once stopped, for the rest of the run:
    140 tabs were open by two thirds of a run, and the machine's load grew to 8 on 2 cores."""
    yield
    if "browser" in request.fixturenames:
        for opened in list(request.getfixturevalue("browser").contexts):
            opened.close()


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
