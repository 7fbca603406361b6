"""Shared fixtures: a real DuckDB file in a temp folder, the repo's lessons, a real server."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`streamlit run app.py` on a free port and a given database file, as a newcomer runs it;
    used by the browser tests, the fault tests and the benchmarks in bench/."""

    def __init__(
        self,
        db: Path,
        port: int | None = None,
        *,
        env: dict[str, str] | None = None,
        flags: Iterable[str] = (),
    ) -> None:
        self.db = db
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: nobody reads the pipe while tests run, and a full pipe would
        # block the server.
        self.log_path = db.with_name(f"{db.stem}-{self.port}.log")
        self._log = self.log_path.open("wb")
        # Streamlit options as OPTION=VALUE, e.g. runner.postScriptGC=false.
        options = [part for flag in flags for part in f"--{flag}".split("=", 1)]
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(PROJECT_ROOT / "app.py"),
                "--server.port",
                str(self.port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                *options,
            ],
            cwd=PROJECT_ROOT,
            env={**os.environ, "WORKBOOK_DB": str(db), **(env or {})},
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.pid = self.process.pid
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("streamlit did not answer its health check within 60 s")

    def log(self) -> str:
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def kill(self) -> None:
        """SIGKILL: no atexit, no clean close, as when the laptop's power cord is pulled."""
        self.process.kill()
        self.process.wait()
        self._log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("server") / "workbook.duckdb", free_port())
    yield running
    running.stop()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """A real headless Chromium. Never skipped: without one the browser tests fail loudly."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("WORKBOOK_CHROMIUM", "")
    if not executable:
        for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
            if Path(candidate).exists():
                executable = candidate
                break
    with sync_playwright() as playwright:
        options: dict[str, object] = {"headless": True, "args": CHROMIUM_ARGS}
        if executable and executable != "playwright":
            options["executable_path"] = executable
        launched = playwright.chromium.launch(**options)
        yield launched
        launched.close()


SCREENSHOTS = PROJECT_ROOT / "screenshots"


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


def settle(page: object) -> None:
    """Wait until the page's script run has finished and no element of the last run is still
    shown (stale), as a person waits for the screen to stop changing before typing. Filling a
    box while the previous step's form is still on screen types into the wrong form."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    finished = page.locator("[data-testid='stApp'][data-test-script-state='notRunning']")
    expect(finished).to_be_attached()
    expect(page.locator("[data-stale='true']")).to_have_count(0)


def load_room_client() -> ModuleType:
    """The protocol-level client of bench/load_room.py (bench/ is not a package), loaded once."""
    if "load_room" in sys.modules:
        return sys.modules["load_room"]
    spec = importlib.util.spec_from_file_location(
        "load_room", PROJECT_ROOT / "bench" / "load_room.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["load_room"] = module
    spec.loader.exec_module(module)
    return module
