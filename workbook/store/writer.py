"""The one writer thread: it owns the only write cursor, drains its queue and commits tasks
in batches, so a burst of saves costs a few commits instead of hundreds of conflicting ones. A
caller's write returns only after its task is committed (DuckDB syncs its write-ahead log at
each commit, so an acknowledged write survives the process being killed); if a batch fails,
each task is retried alone so one bad task cannot sink the others."""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

import duckdb

from workbook.i18n import N_
from workbook.messages import say
from workbook.store.errors import WriteFailedError
from workbook.store.row_changes import RowChange, apply_row_changes, as_arrow_table

T = TypeVar("T")

WRITE_BATCH_LIMIT = 256
_LOG = logging.getLogger(__name__)


@dataclass
class Task:
    work: Callable[[duckdb.DuckDBPyConnection], Any] | None
    future: Future[Any]
    changes: tuple[RowChange, ...] = field(default=())

    def run(self, cur: duckdb.DuckDBPyConnection) -> Any:
        if self.work is not None:
            return self.work(cur)
        apply_row_changes(cur, self.changes)
        return None


class Writer:
    """One thread owning the only write cursor; commits queued tasks in batches.

    A batch runs its tasks' work in queue order, then all their row changes merged, in one
    transaction. Any order of the tasks in one batch is a valid order: each caller waits for
    its own task, so no task in a batch can depend on another one of the same batch."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._queue: queue.Queue[Task | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="workbook-writer", daemon=True)
        self.batches = 0
        self.tasks = 0
        self._thread.start()

    def submit(
        self,
        work: Callable[[duckdb.DuckDBPyConnection], T] | None,
        changes: tuple[RowChange, ...] = (),
    ) -> T:
        if not self._thread.is_alive():
            raise WriteFailedError(say(N_("the database writer has stopped")))
        task = Task(work, Future(), changes)
        self._queue.put(task)
        return task.future.result()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._cursor.close()

    def _run(self) -> None:
        # Pay pyarrow's first-use cost (~0.3 s, once per process) now, not in the first burst.
        as_arrow_table(("warm",), [(1,)])
        batch: list[Task] = []
        try:
            while True:
                first = self._queue.get()
                if first is None:
                    return
                batch = [first]
                stopping = False
                while len(batch) < WRITE_BATCH_LIMIT:
                    try:
                        task = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if task is None:
                        stopping = True
                        break
                    batch.append(task)
                self._commit(batch)
                batch = []
                if stopping:
                    return
        except BaseException as error:  # noqa: BLE001 - never leave a caller waiting forever
            _LOG.exception("the database writer stopped")
            self._fail_waiting(batch, error)
        finally:
            self._fail_waiting([], WriteFailedError(say(N_("the database writer has stopped"))))

    def _fail_waiting(self, batch: list[Task], error: BaseException) -> None:
        waiting = list(batch)
        while True:
            try:
                task = self._queue.get_nowait()
            except queue.Empty:
                break
            if task is not None:
                waiting.append(task)
        for task in waiting:
            if not task.future.done():
                task.future.set_exception(
                    error if isinstance(error, Exception) else WriteFailedError(str(error))
                )

    def _commit(self, batch: list[Task]) -> None:
        cur = self._cursor
        results: list[Any] = []
        try:
            cur.begin()
            for task in batch:
                results.append(task.work(cur) if task.work is not None else None)
            merged = [change for task in batch for change in task.changes]
            if merged:
                apply_row_changes(cur, merged)
            cur.commit()
        except Exception:  # noqa: BLE001 - any failure: retry each task alone, below
            rollback_quietly(cur)
            # Retry one by one, so one failing task cannot sink its neighbours.
            for task in batch:
                self._commit_alone(task)
            return
        self.batches += 1
        self.tasks += len(batch)
        for task, result in zip(batch, results, strict=True):
            task.future.set_result(result)

    def _commit_alone(self, task: Task) -> None:
        cur = self._cursor
        try:
            cur.begin()
            result = task.run(cur)
            cur.commit()
        except Exception as error:  # noqa: BLE001 - every failure goes back to its caller
            rollback_quietly(cur)
            task.future.set_exception(error)
            return
        self.batches += 1
        self.tasks += 1
        task.future.set_result(result)


def rollback_quietly(cur: Any) -> None:
    # No transaction was open, or (PostgreSQL) the connection went and took it with it.
    with contextlib.suppress(duckdb.Error, *_other_errors()):
        cur.rollback()


def _other_errors() -> tuple[type[Exception], ...]:
    psycopg = sys.modules.get("psycopg")  # loaded only when the store is on PostgreSQL
    return (psycopg.Error,) if psycopg is not None else ()
