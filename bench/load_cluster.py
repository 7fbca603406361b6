"""Several rooms at once on N app processes behind nginx on PostgreSQL: bench/load_room.py's
room (facilitator, projector, participants over the websocket), R times, all through nginx.

    .venv/bin/python bench/load_cluster.py --processes 2 --rooms 5 --participants 100

It starts what scripts/run_cluster.sh starts (harness/cluster.py) on a fresh database in the
PostgreSQL the tests use (harness/postgres.py), makes the rooms (load_room.set_up_room), and
runs load_room.fill_room for every room at the same time against nginx's address. Every tab
(phone, facilitator, projector) carries a sticky cookie of its own, so each room's people
spread over the processes and its facilitator sits on one of them: a move reaches the phones
on the other processes through PostgreSQL's NOTIFY. Printed as load_room prints, over all
rooms: sessions held, answers sent, confirmed and stored (must be equal), submit to "Saved",
room move to screen, projector behind, and each process's peak RSS and busiest CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.common import machine, spread  # noqa: E402
from bench.load_room import (  # noqa: E402
    ProcessSampler,
    RoomResult,
    fill_room,
    set_up_room,
    stored_answers,
)
from harness.cluster import Cluster  # noqa: E402
from harness.postgres import fresh_database  # noqa: E402


def where_people_are(cluster: Cluster, result: RoomResult) -> tuple[int, int]:
    """(people on another process than their room's facilitator, people), by the sticky
    cookie each tab sent, asked of nginx."""
    value = result.facilitator_cookie.partition("=")[2]
    facilitator = cluster.nginx.process_for(value or None)
    processes = [
        cluster.nginx.process_for(c.partition("=")[2] or None) for c in result.participant_cookies
    ]
    return sum(1 for p in processes if p != facilitator), len(processes)


async def run(options: argparse.Namespace, url: str, folder: Path) -> int:
    began = time.perf_counter()
    rooms = [set_up_room(url) for _ in range(options.rooms)]  # type: ignore[arg-type]
    cluster = Cluster(url, options.processes, folder / "cluster")
    samplers = [ProcessSampler(server.pid) for server in cluster.servers]
    stop = asyncio.Event()
    sampling = [asyncio.create_task(s.run(stop)) for s in samplers]
    import psycopg
    import streamlit
    import websockets

    print(machine(streamlit, psycopg, websockets))
    print("load average before: {:.2f} {:.2f} {:.2f} (whole machine)".format(*os.getloadavg()))
    print(
        f"{options.processes} processes behind nginx at {cluster.url}; {options.rooms} rooms of "
        f"{options.participants} participants, {options.rounds} round(s), submits spread over "
        f"{options.spread:.1f} s"
    )
    try:
        results = await asyncio.gather(
            *(
                fill_room(
                    cluster.url,
                    room,
                    participants=options.participants,
                    rounds=options.rounds,
                    spread_seconds=options.spread,
                    tables=options.tables,
                    join_concurrency=options.join_concurrency,
                    join_budget=options.join_budget,
                    seed=number,
                )
                for number, room in enumerate(rooms)
            )
        )
        # Where nginx put each room's facilitator and people (asked while it still runs).
        split = [where_people_are(cluster, result) for result in results]
    finally:
        stop.set()
        await asyncio.gather(*sampling)
        cluster.stop()
    reflections, ratings = stored_answers(url)  # type: ignore[arg-type]
    submits = [s for r in results for s in r.submits]
    sent = sum(s.answers for s in submits)
    acknowledged = sum(s.answers for s in submits if s.saved_after is not None)
    errors = [e for r in results for e in r.errors]
    held = sum(r.held for r in results)
    print(f"sessions held:      {held} of {options.rooms * options.participants}")
    print(f"answers sent:       {sent} in {len(submits)} form submits")
    print(f"answers confirmed:  {acknowledged}")
    stored = reflections + ratings
    print(
        f"answers stored:     {stored} ({reflections} reflections, {ratings} ratings)"
        f"{'  OK: equal' if stored == sent else '  LOST'}"
    )
    saved = [s.saved_after for s in submits if s.saved_after is not None]
    print(f"submit to 'Saved':  {spread(saved)}")
    print(f"room move to screen:{spread([m for r in results for m in r.moves])}")
    print(f"projector behind:   {spread([lag for r in results for lag in r.projector_lags])}")
    away = sum(other for other, _ in split)
    print(
        f"facilitator apart:  {away} of {held} people on another process than their room's "
        f"facilitator ({', '.join(f'{other}/{total}' for other, total in split)} by room)"
    )
    for server, sampler in zip(cluster.servers, samplers, strict=True):
        peak = max((s.rss_mb for s in sampler.samples), default=0.0)
        print(
            f"process :{server.port}:    peak RSS {peak:.0f} MB; busiest 2 s of CPU "
            f"{sampler.busiest_cpu():.2f} cores"
        )
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"load client itself: {own.ru_utime + own.ru_stime:.0f} s of CPU in "
        f"{time.perf_counter() - began:.0f} s"
    )
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    if errors:
        print(f"{len(errors)} problem(s), first ones:")
        for line in errors[:10]:
            print("  ", line[:300])
    return 0 if stored == sent == acknowledged and not errors else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--participants", type=int, default=100, help="per room")
    parser.add_argument("--rounds", type=int, default=2, help="lesson forms each one submits")
    parser.add_argument("--spread", type=float, default=1.0, help="seconds the burst spans")
    parser.add_argument("--tables", type=int, default=20, help="per room")
    parser.add_argument("--join-concurrency", type=int, default=10, help="per room")
    parser.add_argument("--join-budget", type=float, default=600)
    options = parser.parse_args()
    with fresh_database("workbook_load_cluster") as url:
        folder = Path(tempfile.mkdtemp(prefix="workbook-load-cluster-"))
        code = asyncio.run(run(options, url, folder))
    raise SystemExit(code)


if __name__ == "__main__":
    main()
