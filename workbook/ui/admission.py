"""How many page and fragment runs draw at once, in this process.

Streamlit gives every browser tab's run its own thread, and all of them share one Python
interpreter. When 200 people press "Save answers" in the same second, 200 threads draw at
once, and the server's event loop, the one thread that reads their submits off the sockets
and sends the pages back, gets about one turn in 200: a submit waited over a second before
Streamlit even read it (bench/RESULTS.md, "Admission"). So the drawing waits for one of a few
slots, and the rest of the process keeps its turns.

What a slot does not hold back: widget callbacks, which Streamlit runs before the page or
fragment body, so a form's save (its submit button's callback) is written at once and only
its redraw waits; the database writer; the event loop. A run inside a run (a fragment drawn
by its page) uses the slot its thread already holds.

The interpreter also hands its lock between threads every 1 ms instead of Python's default
5 ms. For each request that arrives, the event loop starts a thread for its run and waits
until that thread has begun, which takes a turn of every thread already running: shorter
turns, shorter waits (with 4 slots: submit to written p95 0.72-0.83 s at 200 people, against
1.2-1.4 s with 5 ms turns; alone, without the slots, 1 ms turns did not help).

When a run has drawn to its end, it checks that Streamlit delivers what it drew
(`room_push.redraw_if_dropped`).
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import ParamSpec, TypeVar, overload

from workbook.config import get_settings
from workbook.ui.room_push import redraw_if_dropped

P = ParamSpec("P")
T = TypeVar("T")


class _Slots:
    """`size` slots, handed to waiting runs in the order they came, except that a run asked
    for with `first=True` (the projector's and the console's live views) goes ahead of every
    participant's run still waiting: the room's screen is not kept behind 200 redraws. A freed
    slot goes straight to the next waiter (one wake-up, not every waiting thread)."""

    def __init__(self, size: int) -> None:
        self._free = size
        self._lock = threading.Lock()
        self._first: deque[threading.Event] = deque()
        self._rest: deque[threading.Event] = deque()
        self._held = threading.local()
        self.waited = 0  # runs that found every slot taken
        self.waited_first = 0  # of those, runs that went ahead of the queue

    def _acquire(self, first: bool) -> None:
        with self._lock:
            if self._free > 0:
                self._free -= 1
                return
            self.waited += 1
            turn = threading.Event()
            if first:
                self.waited_first += 1
                self._first.append(turn)
            else:
                self._rest.append(turn)
        turn.wait()  # the slot is handed over by _release

    def _release(self) -> None:
        with self._lock:
            queue = self._first or self._rest
            if queue:
                queue.popleft().set()
            else:
                self._free += 1

    @contextmanager
    def slot(self, *, first: bool = False) -> Iterator[None]:
        if getattr(self._held, "depth", 0):
            self._held.depth += 1
            try:
                yield
            finally:
                self._held.depth -= 1
            return
        self._acquire(first)
        self._held.depth = 1
        try:
            yield
        finally:
            self._held.depth = 0
            self._release()
        # Drawn to the end (not cut short by a newer request): see that it reaches the page.
        redraw_if_dropped()


_SLOTS = _Slots(get_settings().concurrent_runs)
SWITCH_INTERVAL_SECONDS = 0.001
sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)


def run_slot() -> AbstractContextManager[None]:
    """`with run_slot():` holds one of the process's drawing slots for the block."""
    return _SLOTS.slot()


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
            with _SLOTS.slot(first=first):
                return body(*args, **kwargs)

        return wrapped

    return decorate if draw is None else decorate(draw)
