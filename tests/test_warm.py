"""Freezing long-lived objects after each page's first run (workbook/server/warm.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from workbook.server import warm


@pytest.fixture(autouse=True)
def collector_as_it_was() -> Iterator[None]:
    """Each test starts with nothing frozen and no page seen, and leaves the collector's
    thresholds as it found them (the first run sets the server's own)."""
    thresholds = gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    gc.unfreeze()
    warm._seen.clear()
    warm._thresholds_set = False


def test_the_first_run_makes_the_collector_look_less_often() -> None:
    gc.set_threshold(700, 10, 10)
    warm._thresholds_set = False
    warm.after_first_run("workbook")
    assert gc.get_threshold() == warm.THRESHOLDS
    assert warm.THRESHOLDS[0] > 700 and warm.THRESHOLDS[2] > 10


def test_each_page_freezes_once_and_frozen_objects_leave_the_collector_s_walks() -> None:
    gc.unfreeze()
    warm._seen.clear()
    try:
        long_lived = [object() for _ in range(1000)]
        assert warm.after_first_run("workbook") is True
        frozen = gc.get_freeze_count()
        assert frozen >= len(long_lived)
        assert warm.after_first_run("workbook") is False  # the same page again: nothing
        assert gc.get_freeze_count() <= frozen  # nothing more frozen (freed ones leave it)
        assert warm.after_first_run("projector") is True  # another page: once more
        # What is frozen is not among what a collection walks.
        walked = {id(o) for o in gc.get_objects()}
        assert id(long_lived) not in walked
    finally:
        gc.unfreeze()
        warm._seen.clear()


def test_what_is_frozen_is_still_freed_when_nothing_refers_to_it() -> None:
    import weakref

    class Thing:
        pass

    gc.unfreeze()
    warm._seen.clear()
    try:
        thing = Thing()
        gone = weakref.ref(thing)
        warm.after_first_run("map")
        del thing
        assert gone() is None  # freed by its reference count, frozen or not
    finally:
        gc.unfreeze()
        warm._seen.clear()
