"""Issue 19's comparison in one run: (a) one app process on DuckDB with one room of 200, then
(b) two app processes behind nginx on PostgreSQL with 5 rooms of 100 (500 people) answering
at once, facilitators on one process and some of their people on the other.

    .venv/bin/python bench/side_by_side.py
    .venv/bin/python bench/side_by_side.py --participants 200 --rooms 5 --per-room 100

It runs `bench/load_room.py` and then `bench/load_cluster.py` (the same load harness: the
protocol-level participants, facilitator and projector of `load_room.fill_room`), one after
the other on this machine, each on a fresh database, and prints both reports and a table of
the figures side by side: sent / confirmed / stored, "Saved" and move-to-screen p50 / p95,
how far the projector is behind, and peak RSS per process. Run it on a quiet machine: both
halves share its cores with nothing else only then (the load average before each is printed).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

ROWS = (
    ("answers sent", r"answers sent:\s+(\d+)"),
    ('confirmed ("Saved" shown)', r"answers confirmed:\s+(\d+)"),
    ("stored", r"answers stored:\s+(\d+)"),
    ('submit to "Saved" p50 / p95', r"submit to 'Saved':\s+(p50.*)"),
    ("room move to every screen p50 / p95", r"room move to screen:\s*(p50.*)"),
    ("projector behind the confirmations p50 / p95", r"projector behind:\s+(p50.*)"),
    ("people on another process than their facilitator", r"facilitator apart:\s+(\d+ of \d+)"),
)


def run(script: str, arguments: list[str]) -> str:
    command = [sys.executable, str(ROOT / "bench" / script), *arguments]
    print("$", " ".join(command[1:]), flush=True)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    print(done.stdout, flush=True)
    if done.returncode != 0:
        print(f"({script} exited with {done.returncode})\n{done.stderr[-2000:]}", flush=True)
    return done.stdout


def figure(report: str, pattern: str) -> str:
    found = re.search(pattern, report)
    if found is None:
        return "n/a"
    text = next(group for group in found.groups() if group)
    quantiles = dict(re.findall(r"(p50|p95)\s+(\d+)\s*ms", text))
    if quantiles:
        return " / ".join(f"{int(quantiles[q]) / 1000:.2f} s" for q in ("p50", "p95"))
    return text.strip()


def rss(report: str) -> str:
    single = re.search(r"server peak RSS:\s+(\d+) MB", report)
    if single:
        return f"{single.group(1)} MB"
    each = re.findall(r"process :\d+:\s+peak RSS (\d+) MB", report)
    return ", ".join(f"{mb} MB" for mb in each) or "?"


def load(report: str) -> str:
    found = re.search(r"load average before: ([\d.]+)", report)
    return found.group(1) if found else "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200, help="(a): one room of")
    parser.add_argument("--rooms", type=int, default=5, help="(b): rooms")
    parser.add_argument("--per-room", type=int, default=100, help="(b): people per room")
    parser.add_argument("--processes", type=int, default=2, help="(b): app processes")
    parser.add_argument("--rounds", type=int, default=2)
    options = parser.parse_args()
    rounds = ["--rounds", str(options.rounds)]
    one = run("load_room.py", ["--participants", str(options.participants), *rounds])
    many = run(
        "load_cluster.py",
        [
            "--processes",
            str(options.processes),
            "--rooms",
            str(options.rooms),
            "--participants",
            str(options.per_room),
            *rounds,
        ],
    )
    a = f"(a) 1 process, DuckDB, 1 room x {options.participants}"
    b = (
        f"(b) {options.processes} processes + nginx, PostgreSQL, "
        f"{options.rooms} rooms x {options.per_room}"
    )
    print(f"| | {a} | {b} |")
    print("| --- | ---: | ---: |")
    print(f"| load average before | {load(one)} | {load(many)} |")
    for name, pattern in ROWS:
        print(f"| {name} | {figure(one, pattern)} | {figure(many, pattern)} |")
    print(f"| peak RSS per process | {rss(one)} | {rss(many)} |")


if __name__ == "__main__":
    main()
