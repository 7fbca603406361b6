"""How many page and fragment runs draw at once, in this process, and which go first.

Streamlit gives every browser tab's run its own thread, and all of them share one Python
interpreter. When 200 people press "Save answers" in the same second, 200 threads draw at
once, and the server's event loop, the one thread that reads their submits off the sockets
and sends the pages back, gets about one turn in 200: a submit waited over a second before
Streamlit even read it (bench/RESULTS.md, "Admission"). So the drawing waits for one of a
few places, and the rest of the process keeps its turns.

What a place does not hold back: the start of a run, where Streamlit runs widget callbacks
before the page or fragment body, so a form's save (its submit button's callback) is written
at once and only its redraw waits; the database writer; the event loop. While any run is
still starting, the others draw one at a time, so saves come before redraws (with this, at
200 people, submit to written p95 0.24-0.80 s, against 0.64-1.21 s with four places always
open; bench/RESULTS.md, "Nagle, kept threads, saves before redraws", item 4). The room's
live views (projector, console) go ahead of every waiting run. A run inside a run (a
fragment drawn by its page) uses the place its thread already holds.

The interpreter also hands its lock between threads every 1 ms instead of Python's default 5
ms: with many threads waiting, each gets its turn sooner (with 4 places: submit to written
p95 0.72-0.83 s at 200 people, against 1.2-1.4 s with 5 ms turns).

When a run has drawn to its end, it checks that Streamlit delivers what it drew
(`room_push.redraw_if_dropped`).
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import ParamSpec, TypeVar, overload

from pydantic import ValidationError

from workbook.config import Settings, get_settings
from workbook.server import active
from workbook.server.room_push import redraw_if_dropped

P = ParamSpec("P")
T = TypeVar("T")


class _Slots:
    """Where a run may draw, and what goes first.

    A run starts (`starting()`: Streamlit's set-up and the widget callbacks, such as a
    form's save, up to the page or fragment body) without waiting, and then draws in one of
    `size` places (`slot()`). While any run is still starting, other runs draw one at a time:
    a burst of saves gets the interpreter before the redraws it causes, and the event loop
    competes with fewer threads. A run asked for with `first=True` (the projector's and the
    console's live views) goes ahead of every other waiting run and is never held to one at
    a time. A freed place goes straight to the next waiter, in the order they came (one
    wake-up, not every waiting thread).
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._drawing = 0
        self._starting = 0
        self._lock = threading.Lock()
        self._first: deque[threading.Event] = deque()
        self._rest: deque[threading.Event] = deque()
        self._held = threading.local()
        self.waited = 0  # runs that found every drawing place taken
        self.waited_first = 0  # of those, runs that went ahead of the queue

    def _grant_locked(self) -> None:
        while True:
            if self._first and self._drawing < self._size:
                queue = self._first
            elif self._rest and self._drawing < (1 if self._starting else self._size):
                queue = self._rest
            else:
                return
            queue.popleft().set()
            self._drawing += 1

    def _wait_turn(self, queue: deque[threading.Event]) -> None:
        """Queue for a place and wait until it is handed over."""
        turn = threading.Event()
        with self._lock:
            queue.append(turn)
            self._grant_locked()
            if turn.is_set():
                return
            self.waited += 1
            self.waited_first += queue is self._first
        turn.wait()  # set by _grant_locked when a place is handed over

    def _stop_starting(self) -> None:
        if getattr(self._held, "starting", False):
            self._held.starting = False
            with self._lock:
                self._starting -= 1
                self._grant_locked()

    @contextmanager
    def starting(self) -> Iterator[None]:
        """Count this thread's run as starting until it begins drawing or ends."""
        with self._lock:
            self._starting += 1
        self._held.starting = True
        try:
            yield
        finally:
            self._stop_starting()

    @contextmanager
    def slot(self, *, first: bool = False) -> Iterator[None]:
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._stop_starting()
        self._wait_turn(self._first if first else self._rest)
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            with self._lock:
                self._drawing -= 1
                self._grant_locked()
        # Drawn to the end (not cut short by a newer request): see that it reaches the page.
        redraw_if_dropped()


_slots_made: _Slots | None = None
_slots_lock = threading.Lock()
SWITCH_INTERVAL_SECONDS = 0.001


def _slots() -> _Slots:
    """The process's places, made on the first run (not on import: settings are read when
    first used). With WORKBOOK_CONCURRENT_RUNS set wrongly a run still needs a place to draw
    the page that says so (workbook.ui.resources.settings): it gets the default number."""
    global _slots_made
    with _slots_lock:
        if _slots_made is None:
            try:
                size = get_settings().concurrent_runs
            except ValidationError:
                size = Settings.model_fields["concurrent_runs"].default
            _slots_made = _Slots(size)
            sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
        return _slots_made


def run_starting() -> AbstractContextManager[None]:
    """`with run_starting():` around a whole script run (workbook/server/script_threads.py): the
    run counts as starting until its drawing begins."""
    return _slots().starting() if active("admission") else nullcontext()


def run_slot() -> AbstractContextManager[None]:
    """`with run_slot():` holds one of the process's drawing slots for the block."""
    return _slots().slot() if active("admission") else nullcontext()


@overload
def admitted(draw: Callable[P, T], /) -> Callable[P, T]: ...
@overload
def admitted(*, first: bool) -> Callable[[Callable[P, T]], Callable[P, T]]: ...


def admitted(draw=None, /, *, first: bool = False):  # type: ignore[no-untyped-def]
    """Decorate a fragment's body (under @st.fragment) so its own reruns take a slot;
    `@admitted(first=True)` for the room's live views, which go ahead of waiting runs."""

    def decorate(body: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(body)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> T:
            if not active("admission"):
                return body(*args, **kwargs)
            with _slots().slot(first=first):
                return body(*args, **kwargs)

        return wrapped

    return decorate if draw is None else decorate(draw)
