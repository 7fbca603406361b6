"""Times many session threads saving answers at once, three ways:

- `writer`: through the one writer thread (batched commits), one upsert statement per answer:
  `Store.save_answers` as it was before row changes;
- `rows`: `Store.save_answers` as it is: the answers as set-based row changes, which the writer
  merges across every form in a batch into one statement per table;
- `naive` (with --naive): each thread committing on its own cursor, the path before the writer.

Run: .venv/bin/python bench/bench_writes.py [--threads 1,10,50,200] [--saves 5] [--naive]
     [--postgres postgresql://postgres:workbook@127.0.0.1:PORT/postgres]

Each thread is one participant pressing "Save answers" on a lesson form (three reflections and
three ratings, one transaction) `--saves` times, all threads released at the same instant.
Prints, per thread count: p50/p95/p99 of the save call (it returns only once committed),
saves per second, commits made and saves per commit, and checks every save is in the file.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/bench_writes.py` puts bench/, not the
# repo root, on sys.path.
import duckdb  # noqa: E402

from bench.common import machine, percentile  # noqa: E402
from workbook.models import (  # noqa: E402
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.records import Seat  # noqa: E402
from workbook.store import Store  # noqa: E402
from workbook.store.database import utc_now  # noqa: E402

PROMPTS = ("what-we-learned", "who-is-missing", "next-step")
STATEMENTS = ("we-listen", "we-plan", "we-share")


def seats_for(store: Store, count: int) -> list[Seat]:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Bench", cause="Bench"))
    return [
        store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"Table {i % 12 + 1}"))[
            0
        ]
        for i in range(count)
    ]


def answers(thread: int, save: int) -> tuple[list[ReflectionIn], list[RatingIn]]:
    reflections = [
        ReflectionIn(
            lesson_id=f"lesson-{save}",
            prompt_id=prompt,
            text=f"Participant {thread} on {prompt}, save {save}: " + "words " * 40,
        )
        for prompt in PROMPTS
    ]
    ratings = [
        RatingIn(
            lesson_id=f"lesson-{save}",
            statement_id=statement,
            key_finding=KeyFinding.learning,
            value=(thread + save + i) % 5 + 1,
        )
        for i, statement in enumerate(STATEMENTS)
    ]
    return reflections, ratings


def upsert_statements(
    cur: duckdb.DuckDBPyConnection, seat: Seat, lesson_id: str, reflections: list, ratings: list
) -> None:
    """One upsert statement per answer: how `save_answers` wrote before row changes."""
    now = utc_now()
    base = [seat.workshop.id, seat.group.id, seat.participant.id]
    for r in reflections:
        cur.execute(
            "INSERT INTO reflections VALUES (nextval('answer_ids'), ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?) ON CONFLICT (participant_id, lesson_id, prompt_id, round)"
            " DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
            [*base, lesson_id, r.prompt_id, 1, r.text, now, now],
        )
    for r in ratings:
        cur.execute(
            "INSERT INTO ratings VALUES (nextval('answer_ids'), ?, ?, ?, ?, ?, ?, 1,"
            " ?, ?, ?) ON CONFLICT (participant_id, lesson_id, statement_id, round)"
            " DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [*base, lesson_id, r.statement_id, r.key_finding.value, r.value, now, now],
        )


def naive_save(con: duckdb.DuckDBPyConnection) -> Callable[[Seat, str, list, list], None]:
    """The write path before the single writer: each session thread commits on its own cursor.
    Concurrent upserts then conflict in DuckDB and are retried here until they commit."""

    def save(seat: Seat, lesson_id: str, reflections: list, ratings: list) -> None:
        for _attempt in range(1000):
            cur = con.cursor()
            try:
                cur.begin()
                upsert_statements(cur, seat, lesson_id, reflections, ratings)
                cur.commit()
                return
            except duckdb.TransactionException:
                cur.rollback()
            finally:
                cur.close()
        raise RuntimeError("a save never committed")

    return save


@contextlib.contextmanager
def fresh_location(postgres: str | None) -> Iterator[str]:
    """A new DuckDB file in a temporary folder, or (with a PostgreSQL admin address) a new
    database on that server, dropped after the run."""
    if not postgres:
        with tempfile.TemporaryDirectory() as folder:
            yield str(Path(folder) / "bench.duckdb")
        return
    import psycopg

    from harness.postgres import with_database

    name = f"bench_writes_{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(postgres, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")  # type: ignore[arg-type]
    try:
        yield with_database(postgres, name)
    finally:
        with psycopg.connect(postgres, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")  # type: ignore[arg-type]


def run(threads: int, saves: int, *, path: str, postgres: str | None = None) -> dict[str, float]:
    with fresh_location(postgres) as location:
        store = Store(location)
        seats = seats_for(store, threads)
        writer = store._writer
        batches_before, tasks_before = writer.batches, writer.tasks
        naive = path == "naive"
        if naive:
            direct = naive_save(store._con)

            def save(seat: Seat, lesson_id: str, reflections: list, ratings: list) -> None:
                direct(seat, lesson_id, reflections, ratings)

        elif path == "writer":

            def save(seat: Seat, lesson_id: str, reflections: list, ratings: list) -> None:
                store._write(
                    lambda cur: upsert_statements(cur, seat, lesson_id, reflections, ratings)
                )

        else:

            def save(seat: Seat, lesson_id: str, reflections: list, ratings: list) -> None:
                store.save_answers(
                    seat=seat,
                    lesson_id=lesson_id,
                    round=1,
                    reflections=reflections,
                    ratings=ratings,
                )

        latencies: list[float] = []
        lock = threading.Lock()
        barrier = threading.Barrier(threads)
        failures: list[BaseException] = []

        def participant(index: int) -> None:
            mine = []
            prepared = [answers(index, s) for s in range(saves)]
            barrier.wait()
            try:
                for s, (reflections, ratings) in enumerate(prepared):
                    started = time.perf_counter()
                    save(seats[index], f"lesson-{s}", reflections, ratings)
                    mine.append(time.perf_counter() - started)
            except BaseException as error:  # noqa: BLE001 - reported below
                failures.append(error)
            with lock:
                latencies.extend(mine)

        workers = [threading.Thread(target=participant, args=(i,)) for i in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        commits = writer.batches - batches_before
        tasks = writer.tasks - tasks_before
        stored = store._one("SELECT count(*) FROM reflections")[0]
        stored_ratings = store._one("SELECT count(*) FROM ratings")[0]
        store.close()
    expected = threads * saves * len(PROMPTS)
    if failures or stored != expected or stored_ratings != threads * saves * len(STATEMENTS):
        raise SystemExit(f"LOST WRITES: {failures[:3]} stored {stored} of {expected}")
    return {
        "p50": percentile(latencies, 0.50) * 1000,
        "p95": percentile(latencies, 0.95) * 1000,
        "p99": percentile(latencies, 0.99) * 1000,
        "max": max(latencies) * 1000,
        "rate": len(latencies) / elapsed,
        "commits": commits if not naive else len(latencies),
        "per_commit": (tasks / commits) if commits and not naive else 1.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,10,50,200")
    parser.add_argument("--saves", type=int, default=5, help="saves per thread")
    parser.add_argument("--naive", action="store_true", help="also time the old path")
    parser.add_argument(
        "--postgres",
        metavar="ADMIN_URL",
        help="run on PostgreSQL instead (a new database per run on this server; the writer "
        "and rows paths only)",
    )
    options = parser.parse_args()
    print(machine(duckdb))
    print(f"each save: {len(PROMPTS)} reflections + {len(STATEMENTS)} ratings, one transaction")
    modes = ["writer", "rows"] + (["naive"] if options.naive and not options.postgres else [])
    if options.postgres:
        print("on PostgreSQL:", options.postgres.split("@")[-1])
    header = "path    threads  saves  p50 ms  p95 ms  p99 ms  max ms  saves/s  commits  per commit"
    print(header)
    for name in modes:
        for threads in (int(t) for t in options.threads.split(",")):
            result = run(threads, options.saves, path=name, postgres=options.postgres)
            print(
                f"{name:7} {threads:7d} {threads * options.saves:6d} {result['p50']:7.1f} "
                f"{result['p95']:7.1f} {result['p99']:7.1f} {result['max']:7.1f} "
                f"{result['rate']:8.0f} {result['commits']:8.0f} {result['per_commit']:11.1f}"
            )
    print("0 lost: every save was read back from the file after each run")


if __name__ == "__main__":
    main()
