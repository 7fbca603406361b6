"""Cold start of `streamlit run app.py` until the health endpoint answers, and until a real
browser shows the start page. Prints medians and p95 over several starts.

    python bench/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.server import CHROMIUM_ARGS, free_port  # noqa: E402


def one_start(browser: object | None) -> tuple[float, float | None]:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "WORKBOOK_DB": str(Path(folder) / "w.duckdb")}
        started = time.perf_counter()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            while True:
                try:
                    with urllib.request.urlopen(
                        f"http://127.0.0.1:{port}/_stcore/health", timeout=1
                    ) as reply:
                        if reply.status == 200:
                            break
                except OSError:
                    time.sleep(0.02)
            healthy = time.perf_counter() - started
            shown = None
            if browser is not None:
                page = browser.new_page()  # type: ignore[attr-defined]
                page.goto(f"http://127.0.0.1:{port}/")
                page.get_by_role("button", name="Find workshop").wait_for(timeout=60_000)
                shown = time.perf_counter() - started
                page.close()
            return healthy, shown
        finally:
            process.terminate()
            process.wait(timeout=10)


def describe(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:<44} median {statistics.median(values):6.2f} s   p95 {p95:6.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("WORKBOOK_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        results = [one_start(browser) for _ in range(args.runs)]
        browser.close()
    print(describe("streamlit run -> /_stcore/health answers", [r[0] for r in results]))
    print(describe("streamlit run -> start page usable in Chromium", [r[1] or 0 for r in results]))


if __name__ == "__main__":
    main()
