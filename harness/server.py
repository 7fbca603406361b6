"""`streamlit run app.py` on a free port and a given database file, as a newcomer runs it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable
from pathlib import Path

from workbook.config import PROJECT_ROOT

# How the tests and benchmarks launch Chromium: headless, no sandbox (containers), nothing
# fetched from the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def chromium_executable() -> str:
    """The installed Chromium to drive: WORKBOOK_CHROMIUM, else Debian's, else "" (then
    Playwright's own download, where one was possible)."""
    executable = os.environ.get("WORKBOOK_CHROMIUM", "")
    if executable:
        return "" if executable == "playwright" else executable
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if Path(candidate).exists():
            return candidate
    return ""


class Server:
    """`streamlit run app.py` on a free port and a given database file; used by the browser
    tests, the fault tests and the benchmarks in bench/."""

    def __init__(
        self,
        db: Path | str,
        port: int | None = None,
        *,
        env: dict[str, str] | None = None,
        flags: Iterable[str] = (),
        log_folder: Path | None = None,
        wait: bool = True,
    ) -> None:
        """`db`: a DuckDB file, or a postgresql:// address (then `log_folder` is needed).
        `wait=False` returns at once; call `wait_ready()` before using it."""
        self.db = db
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: nobody reads the pipe while tests run, and a full pipe would
        # block the server.
        if log_folder is not None:
            self.log_path = log_folder / f"server-{self.port}.log"
        else:
            assert isinstance(db, Path), "a server on PostgreSQL needs a log_folder"
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
        if wait:
            self.wait_ready()

    def healthy(self) -> bool:
        """Streamlit's own health check answers 200."""
        try:
            with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as reply:
                return reply.status == 200
        except OSError:
            return False

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"streamlit exited early:\n{self.log()}")
            if self.healthy():
                return
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
