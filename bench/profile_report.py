"""Where a kind of script run spends its CPU: pyinstrument profiles of many runs, combined.

The server writes one profile per run when `WORKBOOK_PROFILE_RUNS` names a folder
(workbook/server/profiling.py, sampled by each run's thread CPU time); `bench/run_cost.py
--profile` hands each kind's files here. Printed: the runs' thread CPU (median), then the
functions that hold the largest share of all sampled CPU, counted once per stack (inclusive:
the function and what it calls), in this app's code and in the libraries, and the share of
self time by package.

    .venv/bin/python bench/profile_report.py FOLDER/*.json   # any profiles, combined
"""

from __future__ import annotations

import re
import statistics
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_CPU = re.compile(r"thread CPU ([0-9.]+) s")
# Frames every run passes through (Streamlit's run loop and the kept thread around it): their
# inclusive share is ~100 % and says nothing.
_PLUMBING = (
    "/threading.py",
    "/contextlib.py",
    "workbook/server/script_threads.py",
    "workbook/server/profiling.py",
    "scriptrunner/script_runner.py",
    "scriptrunner/exec_code.py",
)


def _split(identifier: str) -> tuple[str, str, str]:
    function, _, rest = identifier.partition("\x00")
    path, _, line = rest.partition("\x00")
    return function, path, line


def _where(path: str) -> str:
    """A short place: the path inside site-packages or this repository."""
    if "site-packages/" in path:
        return path.split("site-packages/", 1)[1]
    if "/lib/python3" in path:
        return "stdlib/" + path.rsplit("/", 1)[-1]
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return path


def _package(path: str) -> str:
    place = _where(path)
    if place.startswith("stdlib/"):
        return "stdlib"
    if "site-packages/" in path:
        return place.split("/", 1)[0]
    if place.startswith(("workbook/", "pages/", "app.py")):
        return "app: " + "/".join(place.split("/")[:2]) if "/" in place else "app: " + place
    return place.split("/", 1)[0]


def _is_app(path: str) -> bool:
    return "site-packages/" not in path and "/lib/python3" not in path and str(ROOT) in path


def report(files: Sequence[Path], *, top: int = 25, title: str = "") -> str:
    """The combined profile of `files` as text."""
    from pyinstrument.frame_info import frame_info_get_identifier
    from pyinstrument.session import Session

    inclusive: Counter[str] = Counter()
    self_time: Counter[str] = Counter()
    total = 0.0
    cpus: list[float] = []
    for file in files:
        session = Session.load(file)
        found = _CPU.search(session.target_description or "")
        if found:
            cpus.append(float(found.group(1)))
        for stack, seconds in session.frame_records:
            identifiers = [frame_info_get_identifier(info) for info in stack]
            total += seconds
            for identifier in set(identifiers):
                inclusive[identifier] += seconds
            self_time[identifiers[-1]] += seconds
    lines = [f"### {title}" if title else "### profile"]
    if not total:
        return "\n".join([*lines, "(no samples)"])
    cpu = f"{1000 * statistics.median(cpus):.1f} ms" if cpus else "?"
    lines.append(
        f"{len(files)} runs; thread CPU per run, median {cpu}; {1000 * total:.0f} ms sampled"
    )

    def table(heading: str, rows: Iterable[tuple[str, float]]) -> None:
        lines.extend(["", f"| {heading} | share |", "| --- | ---: |"])
        for identifier, seconds in rows:
            function, path, line = _split(identifier)
            share = 100 * seconds / total
            lines.append(f"| `{function}` ({_where(path)}:{line}) | {share:.1f} % |")

    def ranked(keep) -> list[tuple[str, float]]:  # type: ignore[no-untyped-def]
        rows = [
            (identifier, seconds)
            for identifier, seconds in inclusive.most_common()
            if keep(_split(identifier)[1]) and not _split(identifier)[1].endswith(_PLUMBING)
        ]
        return rows[:top]

    table("this app's code, inclusive", ranked(_is_app))
    table("libraries, inclusive", ranked(lambda path: not _is_app(path)))
    table("self time, top functions", self_time.most_common(top))
    packages: Counter[str] = Counter()
    for identifier, seconds in self_time.items():
        packages[_package(_split(identifier)[1])] += seconds
    lines.extend(["", "| self time by package | share |", "| --- | ---: |"])
    for name, seconds in packages.most_common(top):
        lines.append(f"| {name} | {100 * seconds / total:.1f} % |")
    return "\n".join(lines)


def main() -> None:
    print(report([Path(arg) for arg in sys.argv[1:]]))


if __name__ == "__main__":
    main()
