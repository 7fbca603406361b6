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
- `warm`: `gc.freeze()` after each page's first run (no upstream issue: a process setting);
- `profiling`: not a change but a diagnostic, off unless `WORKBOOK_PROFILE_RUNS` names a
  folder: a pyinstrument profile of every script run (`bench/run_cost.py --profile`).

Each change was checked against the Streamlit versions in `CHANGES` and names the parts of
Streamlit it reaches into (`needs`). `active(name)` says whether it is on: off for a Streamlit
outside that range, or one that no longer has a part it needs (one log line saying so, the app
then runs as stock Streamlit does: slower under load, phones following the room by polling),
and off for all of them with `WORKBOOK_STOCK_STREAMLIT=true`. `decide()`, called by app.py on
the process's first run, decides every change at start-up, one log line each. No module here
imports a private part of Streamlit when it is imported, only inside the functions the gate
lets run, so a Streamlit that moved one cannot stop the app from starting.

`WORKBOOK_STREAMLIT_CHECKED_AS=<version>` (a diagnostic) makes the gate check that version
instead of the installed one: with a version outside every range, the app runs with every
change off, as it would after an upgrade nobody has checked yet. The browser tests of the live
room run once in stock mode in CI, and one of them serves a room with every change off by
version, so the app is right either way.
"""

from __future__ import annotations

import functools
import importlib
import logging
import os
from dataclasses import dataclass

import streamlit
from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion, Version

_LOG = logging.getLogger(__name__)

STOCK_SETTING = "WORKBOOK_STOCK_STREAMLIT"
CHECKED_AS_SETTING = "WORKBOOK_STREAMLIT_CHECKED_AS"

_RUNNER = "streamlit.runtime.scriptrunner.script_runner:ScriptRunner"
_RUN_CONTEXT = "streamlit.runtime.scriptrunner_utils.script_run_context"


@dataclass(frozen=True)
class Change:
    name: str
    checked: str  # the Streamlit versions it was written and tested against (a specifier)
    what: str
    # The parts of Streamlit it uses beyond the documented API, as "module" or "module:attr".
    needs: tuple[str, ...] = ()


CHANGES: dict[str, Change] = {
    change.name: change
    for change in (
        Change("transport", ">=1.67,<1.68", "TCP_NODELAY on the server's sockets"),
        Change(
            "script_threads",
            ">=1.67,<1.68",
            "kept threads for script runs",
            (
                f"{_RUNNER}.start",
                f"{_RUNNER}._run_script_thread",
                f"{_RUN_CONTEXT}:SCRIPT_RUN_CONTEXT_ATTR_NAME",
            ),
        ),
        Change("admission", ">=1.67,<1.68", "a fixed number of runs drawing at once"),
        Change(
            "room_push",
            ">=1.67,<1.68",
            "room wake-ups and redraws of dropped output",
            (
                "streamlit.runtime:Runtime.exists",
                "streamlit.runtime:Runtime.instance",
                "streamlit.runtime.app_session:AppSession.request_rerun",
                "streamlit.runtime.app_session:AppSession.has_fragment",
                "streamlit.runtime.scriptrunner:get_script_run_ctx",
                f"{_RUN_CONTEXT}:ThreadState.get",
                "streamlit.proto.ClientState_pb2:ClientState",
            ),
        ),
        Change("warm", ">=1.67,<1.68", "gc.freeze() after each page's first run"),
    )
}


def stock() -> bool:
    """True when WORKBOOK_STOCK_STREAMLIT asks for Streamlit as it ships (read from the
    environment, not the settings: a wrong setting elsewhere must not change this)."""
    return os.environ.get(STOCK_SETTING, "").strip().casefold() in {"1", "true", "yes", "on"}


def streamlit_version() -> str:
    """The Streamlit version the gate checks: the installed one, unless the diagnostic setting
    WORKBOOK_STREAMLIT_CHECKED_AS names another (read from the environment, like stock mode)."""
    return os.environ.get(CHECKED_AS_SETTING, "").strip() or streamlit.__version__


def missing_part(change: Change) -> str | None:
    """The first part of Streamlit `change` needs that this Streamlit does not have, if any."""
    for need in change.needs:
        module_name, _, attributes = need.partition(":")
        try:
            found: object = importlib.import_module(module_name)
            for attribute in filter(None, attributes.split(".")):
                found = getattr(found, attribute)
        except (ImportError, AttributeError):
            return need
    return None


def _checked(change: Change, version: str) -> bool:
    try:
        return Version(version) in SpecifierSet(change.checked)
    except InvalidVersion:
        return False


@functools.cache
def active(name: str, version: str | None = None) -> bool:
    """Whether the change `name` is on in this process (decided once, logged once)."""
    change = CHANGES[name]
    version = version or streamlit_version()
    if stock():
        _LOG.warning("%s is off: %s=true (stock Streamlit)", change.what, STOCK_SETTING)
        return False
    if not _checked(change, version):
        _LOG.warning(
            "%s is off: it was checked against Streamlit %s, and this is Streamlit %s "
            "(see workbook/server/__init__.py)",
            change.what,
            change.checked,
            version,
        )
        return False
    missing = missing_part(change)
    if missing is not None:
        _LOG.warning(
            "%s is off: this Streamlit has no %s (see workbook/server/__init__.py)",
            change.what,
            missing,
        )
        return False
    _LOG.info("%s is on (checked against Streamlit %s)", change.what, change.checked)
    return True


def decide() -> dict[str, bool]:
    """At start-up (app.py, the process's first run): decide every change, one line each."""
    return {name: active(name) for name in CHANGES}
