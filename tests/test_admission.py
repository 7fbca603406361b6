"""The drawing slots (workbook/ui/admission.py): never more runs at once than slots, a run
inside a run does not wait for itself, and a run that fails gives its slot back."""

from __future__ import annotations

import threading
import time

import pytest

from workbook.ui.admission import _Slots


def test_no_more_runs_draw_at_once_than_there_are_slots() -> None:
    slots = _Slots(3)
    inside = 0
    most = 0
    lock = threading.Lock()

    def run() -> None:
        nonlocal inside, most
        with slots.slot():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.02)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=run) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most == 3
    assert inside == 0
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
