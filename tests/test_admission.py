"""The drawing slots (workbook/server/admission.py): never more runs at once than slots, a run
inside a run does not wait for itself, and a run that fails gives its slot back."""

from __future__ import annotations

import threading
import time

import pytest

from workbook.server.admission import _Slots


class _Occupancy:
    """How many runs are inside at once, and the most there ever were."""

    def __init__(self) -> None:
        self.inside = 0
        self.most = 0
        self._lock = threading.Lock()

    def enter(self) -> None:
        with self._lock:
            self.inside += 1
            self.most = max(self.most, self.inside)

    def leave(self) -> None:
        with self._lock:
            self.inside -= 1


def test_no_more_runs_draw_at_once_than_there_are_slots() -> None:
    slots = _Slots(3)
    occupancy = _Occupancy()

    def run() -> None:
        with slots.slot():
            occupancy.enter()
            time.sleep(0.02)
            occupancy.leave()

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert occupancy.most == 3
    assert occupancy.inside == 0
    assert slots.waited >= 17 - 3  # most of the 20 found the slots taken


def test_a_fragment_drawn_by_its_page_uses_the_pages_slot() -> None:
    slots = _Slots(1)
    finished = threading.Event()

    def page() -> None:
        # Each nested slot would wait for ever if it needed a slot of its own.
        with slots.slot(), slots.slot(), slots.slot():
            pass
        finished.set()

    thread = threading.Thread(target=page, daemon=True)
    thread.start()
    assert finished.wait(5), "a nested run waited for the slot its own thread holds"
    assert slots.waited == 0


def test_a_failed_or_interrupted_run_gives_its_slot_back() -> None:
    slots = _Slots(1)

    class Interrupted(Exception):  # as Streamlit's RerunException ends a run early
        pass

    with pytest.raises(Interrupted), slots.slot(), slots.slot():
        raise Interrupted
    got = threading.Event()

    def next_run() -> None:
        with slots.slot():
            got.set()

    threading.Thread(target=next_run, daemon=True).start()
    assert got.wait(5), "the slot was not given back after an exception"


def test_the_room_s_live_views_go_ahead_of_waiting_runs_and_the_rest_keep_their_order() -> None:
    slots = _Slots(1)
    order: list[str] = []
    lock = threading.Lock()
    holder_in, release = threading.Event(), threading.Event()

    def holder() -> None:
        with slots.slot():
            holder_in.set()
            release.wait(5)

    def run(name: str, first: bool = False) -> None:
        with slots.slot(first=first), lock:
            order.append(name)

    threading.Thread(target=holder, daemon=True).start()
    assert holder_in.wait(5)
    threads = []
    for name, first in [("phone 1", False), ("phone 2", False), ("projector", True)]:
        thread = threading.Thread(target=run, args=(name, first), daemon=True)
        thread.start()
        threads.append(thread)
        deadline = time.monotonic() + 5
        while slots.waited < len(threads) and time.monotonic() < deadline:
            time.sleep(0.005)  # each waits before the next comes
    assert slots.waited == 3 and slots.waited_first == 1
    release.set()
    for thread in threads:
        thread.join(5)
    assert order == ["projector", "phone 1", "phone 2"]


def test_while_a_run_is_starting_the_others_draw_one_at_a_time_and_live_views_still_go() -> None:
    slots = _Slots(3)
    occupancy = _Occupancy()
    release = threading.Event()
    projector_drew = threading.Event()

    def draw() -> None:
        with slots.slot():
            occupancy.enter()
            release.wait(0.05)
            occupancy.leave()

    def projector() -> None:
        with slots.slot(first=True):
            projector_drew.set()

    saving = threading.Event()
    done_saving = threading.Event()

    def save() -> None:  # a run in its callbacks, not drawing yet
        with slots.starting():
            saving.set()
            done_saving.wait(5)

    threading.Thread(target=save, daemon=True).start()
    assert saving.wait(5)
    threads = [threading.Thread(target=draw, daemon=True) for _ in range(6)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    live = threading.Thread(target=projector, daemon=True)
    live.start()
    assert projector_drew.wait(5), "the projector's view waited behind the throttle"
    for thread in threads[:3]:
        thread.join(5)
    assert occupancy.most == 1  # one at a time while the save was starting
    done_saving.set()
    for thread in threads:
        thread.join(5)
    assert occupancy.inside == 0


def test_a_run_that_begins_drawing_stops_counting_as_starting() -> None:
    slots = _Slots(2)
    with slots.starting(), slots.slot():
        assert slots._starting == 0 and slots._drawing == 1
    assert slots._starting == 0 and slots._drawing == 0
