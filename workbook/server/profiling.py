"""A diagnostic: profile every script run of this process with pyinstrument, one file per run.

Off unless `WORKBOOK_PROFILE_RUNS=<folder>` is set in the server's environment and pyinstrument
(a development dependency) is installed. Then every page or fragment run that goes through the
kept script threads (`script_threads.install(around=...)`) is sampled on its own thread, by the
thread's CPU time (`time.thread_time`: what the run itself used, not the turns it waited for
the interpreter, the database writer or a drawing place), and saved as
`<folder>/<sequence>-<kind>.json` (pyinstrument's session format; `kind` is "page" or
"fragment"), with the run's thread CPU seconds in the session's description.
`bench/run_cost.py --profile` sets it, combines the runs of each kind and prints where the CPU
goes. Sampling costs time of its own (every call and return asks the clock): compare shares
within a profile, and CPU per run from `bench/run_cost.py` without `--profile`.

No Streamlit internals: the run's kind comes from its public run context
(`get_script_run_ctx`), read defensively; pyinstrument is imported only when switched on.
"""

from __future__ import annotations

import functools
import itertools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

_LOGGER = logging.getLogger(__name__)

SETTING = "WORKBOOK_PROFILE_RUNS"
_sequence = itertools.count(1)
_lock = threading.Lock()


def folder() -> Path | None:
    """Where profiles go, or None when profiling is off (read from the environment: a
    diagnostic, like the gate's stock mode, not an app setting)."""
    value = os.environ.get(SETTING, "").strip()
    return Path(value) if value else None


def _run_kind() -> str:
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        fragments = getattr(ctx, "fragment_ids_this_run", None) if ctx is not None else None
    except ImportError:  # pragma: no cover - a Streamlit without it: every run is a "run"
        return "run"
    return "fragment" if fragments else "page"


@contextmanager
def _profiled(where: Path, inner: Callable[[], AbstractContextManager[object]]) -> Iterator[None]:
    from pyinstrument import Profiler
    from pyinstrument.stack_sampler import get_stack_sampler

    sampler = get_stack_sampler()  # this thread's
    sampler.timer_func = time.thread_time
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    cpu_before = time.thread_time()
    profiler.start()
    try:
        with inner():
            yield
    finally:
        session = profiler.stop()
        cpu = time.thread_time() - cpu_before
        kind = _run_kind()
        session.target_description = f"{kind} run, thread CPU {cpu:.6f} s"
        with _lock:
            number = next(_sequence)
        where.mkdir(parents=True, exist_ok=True)
        session.save(where / f"{number:06d}-{kind}.json")


@functools.cache
def _usable(where: Path) -> bool:
    """Whether pyinstrument is there (said once per process)."""
    try:
        import pyinstrument  # noqa: F401
    except ImportError:
        _LOGGER.warning("%s is set but pyinstrument is not installed: no profiles.", SETTING)
        return False
    _LOGGER.warning("Profiling every script run into %s (%s).", where, SETTING)
    return True


def wrap(
    inner: Callable[[], AbstractContextManager[object]],
) -> Callable[[], AbstractContextManager[object]]:
    """`inner` (what each script run is wrapped in) with profiling around it when switched on;
    `inner` itself otherwise."""
    where = folder()
    if where is None or not _usable(where):
        return inner
    return lambda: _profiled(where, inner)
