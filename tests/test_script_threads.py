"""Kept threads for script runs (workbook/server/script_threads.py), with real threads."""

from __future__ import annotations

import contextvars
import threading
import time

from streamlit.runtime.scriptrunner import script_runner
from streamlit.runtime.scriptrunner_utils import script_run_context

from workbook.server import script_threads
from workbook.server.script_threads import ScriptThreads

RUN_VALUE: contextvars.ContextVar[str] = contextvars.ContextVar("run_value", default="fresh")


def _wait_until(check, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _run_and_wait(pool: ScriptThreads, task) -> threading.Thread:
    done = threading.Event()

    def wrapped() -> None:
        try:
            task()
        finally:
            done.set()

    thread = pool.run(wrapped)
    assert done.wait(5)
    return thread


def test_the_installed_streamlit_has_what_the_pool_relies_on() -> None:
    assert script_threads._supported(script_runner.ScriptRunner)
    assert script_run_context.SCRIPT_RUN_CONTEXT_ATTR_NAME in script_threads._run_attributes()


def test_spare_threads_are_kept_and_runs_reuse_them() -> None:
    pool = ScriptThreads(spare=3)
    _wait_until(lambda: pool.idle() == 3)
    seen: set[int] = set()
    for _ in range(10):
        _run_and_wait(pool, lambda: seen.add(threading.get_ident()))
        _wait_until(lambda: pool.idle() >= 3)
    assert len(seen) <= 4  # ten runs, on the few kept threads
    assert pool.started_by_caller == 0  # none had to be started by the caller
    assert all(
        t.name == "ScriptRunner.scriptThread" for t in threading.enumerate() if t.ident in seen
    )


def test_a_run_sees_none_of_the_last_run_s_context_or_attributes() -> None:
    # No spare threads: the first run starts one, which then waits and takes the second.
    pool = ScriptThreads(spare=0)
    name = script_run_context.SCRIPT_RUN_CONTEXT_ATTR_NAME

    def first() -> None:
        RUN_VALUE.set("from the first run")
        setattr(threading.current_thread(), name, "a run's context")

    seen: list[object] = []

    def second() -> None:
        seen.append(RUN_VALUE.get())
        seen.append(getattr(threading.current_thread(), name, None))

    one = _run_and_wait(pool, first)
    _wait_until(lambda: pool.idle() == 1)
    assert pool.started == 1
    two = _run_and_wait(pool, second)
    assert one is two  # the same kept thread ran both
    assert seen == ["fresh", None]


def test_a_run_that_raises_does_not_lose_the_thread() -> None:
    def boom() -> None:
        raise ValueError("a script's own error")

    pool = ScriptThreads(spare=0)
    thread = _run_and_wait(pool, boom)
    _wait_until(lambda: pool.idle() == 1)
    ran = []
    assert _run_and_wait(pool, lambda: ran.append(True)) is thread
    assert ran == [True] and pool.started == 1


def test_more_runs_at_once_than_spare_threads_all_run() -> None:
    pool = ScriptThreads(spare=2)
    release = threading.Event()
    started = []
    lock = threading.Lock()

    def hold() -> None:
        with lock:
            started.append(threading.get_ident())
        release.wait(5)

    for _ in range(12):
        pool.run(hold)
    _wait_until(lambda: len(started) == 12)
    assert len(set(started)) == 12  # each on its own thread, as Streamlit runs them
    release.set()
    _wait_until(lambda: pool.idle() >= 12)


def test_threads_beyond_the_spare_ones_end_after_a_quiet_while() -> None:
    pool = ScriptThreads(spare=2, idle_seconds=0.2)
    release = threading.Event()
    threads = [pool.run(lambda: release.wait(5)) for _ in range(6)]
    release.set()
    _wait_until(lambda: sum(t.is_alive() for t in threads) <= 2 and pool.idle() == 2)
    assert pool.idle() == 2


def test_only_streamlit_s_own_runner_is_changed() -> None:
    from streamlit.testing.v1.local_script_runner import LocalScriptRunner

    assert script_threads.install() is not None
    assert script_runner.ScriptRunner.start is script_threads._start
    # The test runner (a subclass) takes the original path inside _start.
    assert issubclass(LocalScriptRunner, script_runner.ScriptRunner)


def test_shutdown_ends_the_waiting_threads_and_a_busy_one_when_its_run_ends() -> None:
    pool = ScriptThreads(spare=3)
    _wait_until(lambda: pool.idle() == 3)
    release = threading.Event()
    busy = pool.run(lambda: release.wait(5))
    _wait_until(lambda: pool.idle() == 3)
    waiting = [worker.thread for worker in pool._idle]
    pool.shutdown()
    assert not any(thread.is_alive() for thread in waiting)
    assert busy.is_alive()  # still in its run
    release.set()
    busy.join(5)
    assert not busy.is_alive()
    assert pool.idle() == 0
