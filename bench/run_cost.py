"""What one script run of each kind costs the server: CPU seconds and wall time per run.

One participant joins a facilitated workshop on a real `streamlit run` server (fresh database
in a temp folder) through the protocol client of `bench/load_room.py`; timers are off, so
every run is one we asked for. Then, `--runs` times each, with the server otherwise idle:

- a full run of the workbook page (what every phone does after the room moves);
- "Save answers" on the lesson form (what every phone does in a burst);
- one poll of the live-room fragment (what every phone does every few seconds);
- what a move of the room costs per phone it wakes (`--move-phones N`): the facilitator
  presses "Next step" (and "Previous step", in turn) until every phone shows the new step,
  first with one phone in the room, then with N; the difference, divided by N - 1, is one
  phone's share (the console's own run cancels out).

CPU is the server process's user + system time from /proc, read before and after each run.
In a room of N people each kind is paid N times on one interpreter, so N x the CPU median is
roughly how long the last person waits.

`--profile` also profiles every run on the server with pyinstrument (a development
dependency; workbook/server/profiling.py) and prints, for each kind, where its CPU goes
(bench/profile_report.py). Sampling slows the runs: read the CPU per run from a run without it.

    .venv/bin/python bench/run_cost.py --runs 30
    .venv/bin/python bench/run_cost.py --runs 30 --profile
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import load_room  # noqa: E402
from bench.common import machine, percentile  # noqa: E402
from bench.load_room import (  # noqa: E402
    Facilitator,
    Participant,
    ProcessSampler,
    start_room_server,
)
from bench.profile_report import report  # noqa: E402
from workbook.server.profiling import SETTING as PROFILE_SETTING  # noqa: E402

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


class Profiles:
    """The server's per-run profiles (`--profile`), taken phase by phase."""

    def __init__(self, on: bool) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="run-cost-profiles-")) if on else None
        self.seen: set[Path] = set()
        self.reports: list[str] = []
        if self.folder is not None:
            os.environ[PROFILE_SETTING] = str(self.folder)

    def skip(self) -> None:
        """Runs so far (joining) are not part of any phase."""
        if self.folder is not None:
            self.seen = set(self.folder.glob("*.json"))

    def phase(self, title: str) -> None:
        if self.folder is None:
            return
        files = sorted(set(self.folder.glob("*.json")) - self.seen)
        self.seen.update(files)
        self.reports.append(report(files, title=title))


async def moves(
    url: str,
    room: load_room.RoomSetup,
    sampler: ProcessSampler,
    first: Participant,
    options: argparse.Namespace,
    profiles: Profiles,
) -> list[str]:
    """Server CPU per phone woken by a move (see the module docstring)."""
    facilitator = Facilitator(url, room.code, room.facilitator_key)
    await facilitator.sign_in()
    phones = [first]
    step = [0]

    async def move() -> None:
        step[0] = 1 - step[0]
        await facilitator.tab.click("Next step" if step[0] else "Previous step")
        title = room.titles[step[0]]
        await asyncio.gather(*(p.tab.wait_for(lambda tab: title in tab.headings()) for p in phones))

    runs = max(4, options.runs // 2)
    one, one_wall = await measure(sampler, runs, move)
    profiles.phase("a move, one phone")
    for index in range(1, options.move_phones):
        phone = Participant(url, index, room.code, f"Table {1 + index % 5}")
        await phone.join()
        phones.append(phone)
    await asyncio.sleep(0.5)
    profiles.skip()
    many, many_wall = await measure(sampler, runs, move)
    profiles.phase(f"a move, {len(phones)} phones")
    for phone in phones[1:]:
        await phone.tab.close()
    await facilitator.tab.close()
    share = (many - one) / (len(phones) - 1)
    return [
        row("a move, one phone following (console run included)", one, one_wall),
        row(f"a move, {len(phones)} phones following", many, many_wall),
        f"| a move: each phone woken (difference / {len(phones) - 1}) | {1000 * share:.1f} | | |",
    ]


async def main_async(options: argparse.Namespace) -> None:
    profiles = Profiles(options.profile)
    started = start_room_server("run-cost-", options.flag)
    room, server, sampler = started.room, started.server, started.sampler
    print(f"server pid {server.pid}", flush=True)
    try:
        person = Participant(server.url, 0, room.code, "Table 1")
        await person.join()
        tab = person.tab
        rows = []
        await asyncio.sleep(0.5)
        profiles.skip()

        if options.only in ("", "page"):
            cpu, wall = await measure(sampler, options.runs, lambda: tab.rerun())
            rows.append(row("workbook page, full run", cpu, wall))
            profiles.phase("workbook page, full run")

        async def save() -> None:
            values, _ = person.answer_form(0)
            await tab.submit("Save answers", values)

        if options.only in ("", "save"):
            cpu, wall = await measure(sampler, options.runs, save)
            rows.append(row('"Save answers" (lesson form fragment)', cpu, wall))
            profiles.phase('"Save answers" (lesson form fragment)')

        for fragment_id, interval in POLLING.items() if options.only in ("", "poll") else ():

            async def poll(fragment_id: str = fragment_id) -> None:
                await tab.rerun(fragment_id=fragment_id)

            cpu, wall = await measure(sampler, options.runs, poll)
            rows.append(row(f"poll fragment (every {interval:g} s)", cpu, wall))
            profiles.phase(f"poll fragment (every {interval:g} s)")
        if options.only in ("", "move") and options.move_phones > 1:
            rows.extend(await moves(server.url, room, sampler, person, options, profiles))
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
    if profiles.reports:
        print("\n(profiled: every run sampled, so the CPU above is inflated; shares below)\n")
        print("\n\n".join(profiles.reports))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--only", choices=("page", "save", "poll", "move"), default="")
    parser.add_argument("--move-phones", type=int, default=11, metavar="N")
    parser.add_argument("--flag", action="append", default=[], metavar="OPTION=VALUE")
    parser.add_argument("--profile", action="store_true", help="profile the runs (pyinstrument)")
    asyncio.run(main_async(parser.parse_args()))


if __name__ == "__main__":
    main()
