"""Every change this app makes to how Streamlit runs, in one place, behind one gate.

Nothing outside this folder changes Streamlit's behaviour or touches its private parts (the
screens in `workbook/ui/` use its public API only). Each module here works around something
Streamlit does that a live room cannot live with, measured in `bench/RESULTS.md` and written
up for upstream in `bench/UPSTREAM.md`:

- `transport`: TCP_NODELAY on the server's sockets (UPSTREAM 1);
- `script_threads`: kept threads for script runs instead of a new thread per run, by
  replacing `ScriptRunner.start` (UPSTREAM 2);
- `admission`: a fixed number of runs drawing at once, and a shorter interpreter switch
  interval, so a room's burst of saves does not starve the event loop (no upstream issue:
  an app's own policy, see RESULTS "Admission");
- `room_push`: waking the phones that follow a room, and redrawing a run whose output was
  dropped, through `AppSession`'s private event loop and script runner (UPSTREAM 3, 5);
- `warm`: `gc.freeze()` after each page's first run (no upstream issue: a process setting).

Each change was checked against the Streamlit versions in `CHANGES`. `active(name)` says
whether it is on: off for a Streamlit outside that range (one log line saying so, the app
then runs as stock Streamlit does: slower under load, phones following the room by polling),
and off for all of them with `WORKBOOK_STOCK_STREAMLIT=true`. The browser tests of the live
room run once in stock mode in CI, so the app is right either way.
"""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import dataclass

import streamlit
from packaging.specifiers import SpecifierSet
from packaging.version import Version

_LOG = logging.getLogger(__name__)

STOCK_SETTING = "WORKBOOK_STOCK_STREAMLIT"


@dataclass(frozen=True)
class Change:
    name: str
    checked: str  # the Streamlit versions it was written and tested against (a specifier)
    what: str


CHANGES: dict[str, Change] = {
    change.name: change
    for change in (
        Change("transport", ">=1.67,<1.68", "TCP_NODELAY on the server's sockets"),
        Change("script_threads", ">=1.67,<1.68", "kept threads for script runs"),
        Change("admission", ">=1.67,<1.68", "a fixed number of runs drawing at once"),
        Change("room_push", ">=1.67,<1.68", "room wake-ups and redraws of dropped output"),
        Change("warm", ">=1.67,<1.68", "gc.freeze() after each page's first run"),
    )
}


def stock() -> bool:
    """True when WORKBOOK_STOCK_STREAMLIT asks for Streamlit as it ships (read from the
    environment, not the settings: a wrong setting elsewhere must not change this)."""
    return os.environ.get(STOCK_SETTING, "").strip().casefold() in {"1", "true", "yes", "on"}


@functools.cache
def active(name: str, version: str = streamlit.__version__) -> bool:
    """Whether the change `name` is on in this process (decided once, logged once)."""
    change = CHANGES[name]
    if stock():
        _LOG.info("%s is off: %s=true (stock Streamlit)", change.what, STOCK_SETTING)
        return False
    if Version(version) not in SpecifierSet(change.checked):
        _LOG.warning(
            "%s is off: it was checked against Streamlit %s, and this is Streamlit %s "
            "(see workbook/server/__init__.py)",
            change.what,
            change.checked,
            version,
        )
        return False
    return True
