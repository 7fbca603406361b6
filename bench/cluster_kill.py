"""Several rooms on two app processes behind nginx on PostgreSQL; one process SIGKILLed in the
middle of a burst of saves. Do its people get back through the balancer, and is every answer
that showed "Saved" in the database?

    .venv/bin/python bench/cluster_kill.py --rooms 5 --participants 100

It starts what scripts/run_cluster.sh starts (harness/cluster.py: 2 processes, nginx with its
sticky cookie) on a fresh database in the PostgreSQL the tests use (WORKBOOK_TEST_POSTGRES, a
local server, or a throwaway one: harness/postgres.py), makes the rooms, and joins the
participants through nginx as protocol-level tabs (harness/room_client.py), each with a sticky
cookie of its own, so each process holds about half of each room. Then everyone saves their
first step's answers within `--spread` seconds and, `--kill-after` seconds into the burst, the
process holding the second half is killed (SIGKILL: no clean close). Printed: answers sent,
confirmed ("Saved" shown), confirmed and found in PostgreSQL (must be all), sent on the killed
process and not confirmed; then the killed process's people reconnect through nginx with
their address (as their pages do), and: how many are back on their workbook, after how long,
and whether their answers saved again are stored; the surviving process's peak RSS.
`CLUSTER_KILL_DEBUG=1` lists every save that was not confirmed and why.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from websockets.exceptions import ConnectionClosed  # noqa: E402

from harness.cluster import COOKIE, Cluster  # noqa: E402
from harness.postgres import fresh_database  # noqa: E402
from harness.room_client import Participant, ProtocolError, Submit, Tab  # noqa: E402


def make_rooms(url: str, count: int) -> list[str]:
    """`count` workshops in the database; their join codes."""
    from workbook.models import WorkshopCreate
    from workbook.store import Store

    store = Store(url)
    try:
        return [
            store.create_workshop(
                workshop=WorkshopCreate(title=f"Cluster room {n + 1}", cause="Bench")
            )[0].join_code
            for n in range(count)
        ]
    finally:
        store.close()


def stored_texts(url: str) -> dict[str, set[str]]:
    """Every reflection in the database, by the person's name."""
    import psycopg

    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT p.display_name, r.text FROM reflections r"
            " JOIN participants p ON p.id = r.participant_id"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for name, text in rows:
        found.setdefault(str(name), set()).add(str(text))
    return found


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=20)[-1]


async def gather_limited(coroutines: list, limit: int) -> list:
    gate = asyncio.Semaphore(limit)

    async def one(coroutine: object) -> object:
        async with gate:
            return await coroutine  # type: ignore[misc]

    return await asyncio.gather(*(one(c) for c in coroutines), return_exceptions=True)


async def run(options: argparse.Namespace, url: str, folder: Path) -> int:
    codes = make_rooms(url, options.rooms)
    cluster = Cluster(url, 2, folder / "cluster")
    try:
        victim = cluster.servers[1]
        victim_address = victim.url.removeprefix("http://")
        people: list[Participant] = []
        on_victim: set[int] = set()
        for n in range(options.rooms * options.participants):
            cookie = f"p{n}-{secrets.token_hex(3)}"
            person = Participant(
                cluster.url,
                n,
                codes[n % options.rooms],
                f"T{n // options.rooms % options.tables}",
                cookie=f"{COOKIE}={cookie}",
            )
            if cluster.nginx.process_for(cookie) == victim_address:
                on_victim.add(n)
            people.append(person)
        started = time.perf_counter()
        joined = await gather_limited([p.join() for p in people], options.join_concurrency)
        failed = [r for r in joined if isinstance(r, BaseException)]
        print(
            f"{len(people)} people in {options.rooms} rooms joined through nginx in "
            f"{time.perf_counter() - started:.1f} s ({len(failed)} failed); "
            f"{len(on_victim)} on the process to be killed",
            flush=True,
        )
        seated = [p for p, r in zip(people, joined, strict=True) if r is None]
        await asyncio.sleep(options.idle)

        async def save(position: int, person: Participant) -> Submit | BaseException:
            await asyncio.sleep(position / len(seated) * options.spread)
            try:
                return await person.submit_answers(1)
            except (ProtocolError, OSError, ConnectionClosed) as error:
                return error

        async def kill_later() -> None:
            await asyncio.sleep(options.kill_after)
            victim.kill()
            print(f"SIGKILL sent to the process on {victim_address}", flush=True)

        results = await asyncio.gather(*(save(n, p) for n, p in enumerate(seated)), kill_later())
        submits = [r for r in results[:-1] if isinstance(r, Submit)]
        confirmed = [s for s in submits if s.saved_after is not None]
        stored = stored_texts(url)
        by_index = {p.index: p for p in seated}
        confirmed_stored = [
            s
            for s in confirmed
            if set(by_index[s.participant].sent_texts[1]) <= stored.get(f"P{s.participant}", set())
        ]
        victims = [p for p in seated if p.index in on_victim]
        confirmed_ids = {s.participant for s in confirmed}
        unconfirmed = [p.index for p in seated if p.index not in confirmed_ids]
        on_killed = sum(1 for n in unconfirmed if n in on_victim)
        print(f"forms saved by {len(seated)} people, confirmed ('Saved'): {len(confirmed)}")
        print(f"confirmed and in PostgreSQL: {len(confirmed_stored)} of {len(confirmed)}")
        print(
            f"not confirmed: {on_killed} on the killed process, "
            f"{len(unconfirmed) - on_killed} on the other"
        )
        if os.environ.get("CLUSTER_KILL_DEBUG"):
            for s in submits:
                if s.saved_after is None:
                    print(" unconfirmed", s.participant, s.participant in on_victim, s.message)
            for r in results[:-1]:
                if not isinstance(r, Submit):
                    print(" error", repr(r)[:200])
        saved = [s.saved_after for s in confirmed if s.saved_after is not None]
        print(f"Saved p95 over the burst: {p95(saved):.2f} s")

        # The killed process's people reconnect through nginx with their address, as their
        # pages do: a new session on the other process, the seat from the address.
        async def come_back(person: Participant) -> float:
            old = person.tab
            began = time.perf_counter()
            await old.close()
            person.tab = Tab(
                cluster.url, query=dict(parse_qsl(old.query_string)), cookie=old.cookie
            )
            person.tab.page_script_hash = old.page_script_hash
            for attempt in range(10):
                try:
                    await person.tab.open()
                    break
                except (ProtocolError, OSError):
                    await asyncio.sleep(0.5 * (attempt + 1))
            if not person.tab.has("button", "Save answers"):
                raise ProtocolError(f"participant {person.index} is not back on the workbook")
            return time.perf_counter() - began

        back = await gather_limited([come_back(p) for p in victims], options.join_concurrency)
        back_times = [t for t in back if isinstance(t, float)]
        if os.environ.get("CLUSTER_KILL_DEBUG"):
            for t in back:
                if not isinstance(t, float):
                    print(" not back", repr(t)[:300])
        print(
            f"back on their workbook through nginx: {len(back_times)} of {len(victims)}, "
            f"p95 {p95(back_times):.2f} s after reconnecting"
        )
        returned = [p for p, t in zip(victims, back, strict=True) if isinstance(t, float)]
        again = await asyncio.gather(*(p.submit_answers(2) for p in returned))  # new texts
        again_confirmed = [s for s in again if s.saved_after is not None]
        if os.environ.get("CLUSTER_KILL_DEBUG"):
            for s in again:
                print(" again", s.participant, s.saved_after, s.message, s.answers)
        stored = stored_texts(url)
        again_stored = [
            s
            for s in again_confirmed
            if set(by_index[s.participant].sent_texts[2]) <= stored.get(f"P{s.participant}", set())
        ]
        print(
            f"saved again after coming back: {len(again_confirmed)} of {len(returned)} "
            f"confirmed, {len(again_stored)} of those in PostgreSQL"
        )
        survivor = cluster.servers[0]
        print(f"peak RSS of the surviving process: {peak_rss_mb(survivor.pid):.0f} MB")
        for person in seated:
            await person.tab.close()
        lost = len(confirmed) - len(confirmed_stored) + len(again_confirmed) - len(again_stored)
        return 0 if lost == 0 and len(back_times) == len(victims) else 1
    finally:
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rooms", type=int, default=5)
    parser.add_argument("--participants", type=int, default=100, help="per room")
    parser.add_argument("--tables", type=int, default=20, help="per room")
    parser.add_argument("--spread", type=float, default=2.0, help="seconds the burst spans")
    parser.add_argument("--kill-after", type=float, default=1.0, help="seconds into the burst")
    parser.add_argument("--idle", type=float, default=3.0, help="seconds before the burst")
    parser.add_argument("--join-concurrency", type=int, default=20)
    options = parser.parse_args()
    with fresh_database("workbook_cluster_bench") as url:
        folder = Path(tempfile.mkdtemp(prefix="workbook-cluster-bench-"))
        code = asyncio.run(run(options, url, folder))
    raise SystemExit(code)


if __name__ == "__main__":
    main()
