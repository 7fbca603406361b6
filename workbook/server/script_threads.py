"""Script runs on threads that are already running, not a new thread per run.

Streamlit starts a new thread for every run of a page or fragment, from its event loop, and
`Thread.start` waits there until the new thread has had its first turn of the interpreter.
When 200 people press "Save answers" in the same second, the loop, the one thread that reads
their submits off the sockets, spent 28 % of its time in those waits (py-spy; bench/RESULTS.md,
"Nagle, kept threads, saves before redraws", item 2), and each submit it had not read yet
waited with it.

So Streamlit's `ScriptRunner.start` is replaced: a run goes to a thread that is waiting for
work (a queue put, no wait), and a helper thread keeps a few such threads spare, starting more
when the spare ones are taken, so the waiting happens there and not on the event loop. A run
sees what a new thread would: each runs in a fresh `contextvars.Context` (Streamlit keeps
per-run state in context variables), and the run's context is taken off the thread when the
run ends. A thread that has been spare for a while beyond the spare count ends.

Only Streamlit's own `ScriptRunner` is changed; subclasses (the test runner of
`streamlit.testing`) keep starting their own threads. This relies on `ScriptRunner` private
names (`_script_thread`, `_run_script_thread`), checked by tests/test_script_threads.py
against the installed Streamlit; if they change, runs fall back to Streamlit's own threads.
"""

from __future__ import annotations

import atexit
import contextvars
import functools
import logging
import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from workbook.server import active

_LOGGER = logging.getLogger(__name__)

SPARE = 8  # threads kept waiting for runs
IDLE_SECONDS = 60.0  # a thread beyond the spare ones ends after this long without a run
_THREAD_NAME = "ScriptRunner.scriptThread"  # as Streamlit names its script threads


@functools.cache
def _run_attributes() -> tuple[str, ...]:
    """Per-run attributes Streamlit sets on a script thread
    (script_run_context.add_script_run_ctx). Imported here, not when this module is: see
    workbook/server/__init__.py."""
    try:
        from streamlit.runtime.scriptrunner_utils import script_run_context
    except ImportError:
        return ()
    return tuple(
        getattr(script_run_context, name)
        for name in (
            "SCRIPT_RUN_CONTEXT_ATTR_NAME",
            "_FRAGMENT_THREAD_STATE_FIELDS_ATTR",
            "_FRAGMENT_THREAD_STATE_WRAP_INSTALLED_ATTR",
        )
        if hasattr(script_run_context, name)
    )


class _Worker:
    def __init__(self, pool: ScriptThreads) -> None:
        self._pool = pool
        self._tasks: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self.thread = threading.Thread(target=self._serve, name=_THREAD_NAME, daemon=True)

    def give(self, task: Callable[[], None] | None) -> None:
        """A run, or None: end the thread."""
        self._tasks.put(task)

    def _serve(self) -> None:
        while True:
            try:
                task = self._tasks.get(timeout=self._pool.idle_seconds)
            except queue.Empty:
                if self._pool._retire(self):
                    return
                continue
            if task is None:  # the process is exiting
                return
            try:
                # A fresh context, as a new thread has: Streamlit's per-run context
                # variables do not carry over from the last run.
                contextvars.Context().run(task)
            except BaseException:  # as a thread's uncaught exception: logged, not fatal
                _LOGGER.exception("A script run ended with an uncaught exception")
            finally:
                # Hold nothing of the run while waiting for the next (its session and
                # everything the session holds would stay alive until then).
                del task
                for name in _run_attributes():
                    if hasattr(self.thread, name):
                        delattr(self.thread, name)
                self._pool._back(self)


class ScriptThreads:
    """Threads waiting for script runs, and a helper that keeps `spare` of them."""

    def __init__(self, spare: int = SPARE, idle_seconds: float = IDLE_SECONDS) -> None:
        self.spare = spare
        self.idle_seconds = idle_seconds
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._closing = False
        self.started = 0  # threads started, for tests and the bench
        self.started_by_caller = 0  # of those, started by `run` itself (none spare)
        self._helper = threading.Thread(target=self._keep_spare, name="script-threads", daemon=True)
        self._helper.start()
        self._wanted.set()

    def run(self, task: Callable[[], None]) -> threading.Thread:
        """Run `task` on a waiting thread (one is started here only if none is spare);
        return that thread."""
        with self._lock:
            worker = self._idle.pop() if self._idle else None
            if len(self._idle) < self.spare:
                self._wanted.set()
        if worker is None:
            worker = self._new()
            self.started_by_caller += 1
        worker.give(task)
        return worker.thread

    def idle(self) -> int:
        with self._lock:
            return len(self._idle)

    def _new(self) -> _Worker:
        worker = _Worker(self)
        worker.thread.start()
        with self._lock:
            self.started += 1
        return worker

    def shutdown(self, timeout: float = 1.0) -> None:
        """End the waiting threads (at exit: a thread left waiting keeps what it last
        touched alive past the interpreter's clean-up, and DuckDB reports it as leaked)."""
        with self._lock:
            self._closing = True
            idle, self._idle = self._idle, []
        self._wanted.set()
        for worker in idle:
            worker.give(None)
        for worker in idle:
            worker.thread.join(timeout / max(1, len(idle)))

    def _keep_spare(self) -> None:
        while not self._closing:
            self._wanted.wait()
            self._wanted.clear()
            while not self._closing and self.idle() < self.spare:
                worker = self._new()
                self._back(worker)

    def _back(self, worker: _Worker) -> None:
        with self._lock:
            if not self._closing:
                self._idle.append(worker)
                return
        worker.give(None)  # a run that ended during shutdown: its thread ends too

    def _retire(self, worker: _Worker) -> bool:
        with self._lock:
            if len(self._idle) > self.spare and worker in self._idle:
                self._idle.remove(worker)
                return True
            return False


_runner: Any = None  # Streamlit's ScriptRunner class, once installed
_original_start: Callable[[Any], None] | None = None
_threads: ScriptThreads | None = None
_around: Callable[[], AbstractContextManager[object]] = nullcontext
_install_lock = threading.Lock()


def _supported(runner: Any) -> bool:
    return (
        hasattr(runner, "_run_script_thread")
        and "_script_thread" in runner.__init__.__code__.co_names
        and bool(_run_attributes())
    )


def _start(self: Any) -> None:
    assert _original_start is not None  # set by install() before _start replaces start
    if type(self) is not _runner or _threads is None:
        _original_start(self)
        return
    if self._script_thread is not None:
        raise RuntimeError("ScriptRunner was already started")
    # Set before the run can begin: the run checks it is on its own script thread.
    ready = threading.Event()
    runner = self

    def task() -> None:
        ready.wait()
        with _around():
            runner._run_script_thread()

    self._script_thread = _threads.run(task)
    ready.set()


def install(
    around: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> ScriptThreads | None:
    """Once per process (the first run): runs go to kept threads from now on, each inside
    `around()` (the app's starting places, workbook/server/admission.py). Returns the pool, or
    None where the installed Streamlit does not have what this relies on."""
    global _threads, _around, _runner, _original_start
    if not active("script_threads"):
        return None
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    with _install_lock:
        if _threads is None:
            if not _supported(ScriptRunner):
                _LOGGER.warning(
                    "kept threads for script runs is off: this Streamlit's ScriptRunner "
                    "starts its threads differently (see workbook/server/script_threads.py)"
                )
                return None
            _around = around
            _runner, _original_start = ScriptRunner, ScriptRunner.start
            _threads = ScriptThreads()
            atexit.register(_threads.shutdown)
            ScriptRunner.start = _start  # type: ignore[method-assign]
        return _threads
