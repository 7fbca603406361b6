"""What one script run of each kind costs the server: CPU seconds and wall time per run.

One participant joins a facilitated workshop on a real `streamlit run` server (fresh database
in a temp folder) through the protocol client of `bench/load_room.py`; timers are off, so
every run is one we asked for. Then, `--runs` times each, with the server otherwise idle:

- a full run of the workbook page (what every phone does after the room moves);
- "Save answers" on the lesson form (what every phone does in a burst);
- one poll of the live-room fragment (what every phone does every few seconds).

CPU is the server process's user + system time from /proc, read before and after each run.
In a room of N people each kind is paid N times on one interpreter, so N x the CPU median is
roughly how long the last person waits.

    .venv/bin/python bench/run_cost.py --runs 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load_room  # noqa: E402
from bench.common import machine, percentile  # noqa: E402
from bench.load_room import Participant, ProcessSampler, start_room_server  # noqa: E402

# Timers off: record the fragments that would poll, and rerun them only when asked.
POLLING: dict[str, float] = {}


async def _no_timer(self: load_room.Tab, fragment_id: str, interval: float) -> None:
    POLLING[fragment_id] = interval


load_room.Tab._auto_rerun = _no_timer  # type: ignore[method-assign]


def cpu_seconds(sampler: ProcessSampler) -> float:
    sample = sampler.sample()
    assert sample is not None, "the server has gone"
    return sample.cpu_seconds


async def measure(sampler: ProcessSampler, runs: int, do) -> tuple[float, list[float]]:
    """(server CPU seconds per run, wall seconds of each run). /proc counts CPU in clock
    ticks (10 ms), so CPU is the total over all runs divided by their number."""
    wall = []
    await asyncio.sleep(0.3)
    before = cpu_seconds(sampler)
    for _ in range(runs):
        started = time.perf_counter()
        await do()
        wall.append(time.perf_counter() - started)
    await asyncio.sleep(0.1)  # the last run's messages leave the server
    return (cpu_seconds(sampler) - before) / runs, wall


def row(name: str, cpu: float, wall: list[float]) -> str:
    p95 = percentile(wall, 0.95)
    return (
        f"| {name} | {1000 * cpu:.1f} | {1000 * statistics.median(wall):.1f} | {1000 * p95:.1f} |"
    )


async def main_async(options: argparse.Namespace) -> None:
    started = start_room_server("run-cost-", options.flag)
    room, server, sampler = started.room, started.server, started.sampler
    print(f"server pid {server.pid}", flush=True)
    try:
        person = Participant(server.url, 0, room.code, "Table 1")
        await person.join()
        tab = person.tab
        rows = []

        if options.only in ("", "page"):
            cpu, wall = await measure(sampler, options.runs, lambda: tab.rerun())
            rows.append(row("workbook page, full run", cpu, wall))

        async def save() -> None:
            values, _ = person.answer_form(0)
            await tab.submit("Save answers", values)

        if options.only in ("", "save"):
            cpu, wall = await measure(sampler, options.runs, save)
            rows.append(row('"Save answers" (lesson form fragment)', cpu, wall))

        for fragment_id, interval in POLLING.items() if options.only in ("", "poll") else ():

            async def poll(fragment_id: str = fragment_id) -> None:
                await tab.rerun(fragment_id=fragment_id)

            cpu, wall = await measure(sampler, options.runs, poll)
            rows.append(row(f"poll fragment (every {interval:g} s)", cpu, wall))
        await tab.close()
    finally:
        server.stop()
    import duckdb
    import streamlit

    print(machine(streamlit, duckdb))
    print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"{options.runs} runs each, one participant, server otherwise idle\n")
    print("| run | server CPU per run, ms | wall median ms | wall p95 ms |")
    print("| --- | ---: | ---: | ---: |")
    print("\n".join(rows))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=("page", "save", "poll"), default="")
    parser.add_argument("--flag", action="append", default=[], metavar="OPTION=VALUE")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
