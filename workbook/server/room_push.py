"""Waking the screens of a live room when the facilitator changes it, instead of every phone
asking the server every second and a half.

A participant's workbook page, while it follows a facilitated room, registers its Streamlit
session here with the workshop, the page it shows and the fragment that draws the room on it
(the page's walk-through, workbook/ui/workbook_page.py). When the room
moves, its pacing changes or answers open or close, the store tells this module
(`Store.on_room_change`), and each registered session that still shows that page is asked
for a fresh run of that fragment as soon as it has no run in progress, exactly as Streamlit
itself reruns a session when its source changes (`runOnSave`): the run keeps the session's
widget values and URL. The phone redraws as soon as the server gets to it; nothing polls.
Only the fragment, not the whole app: app.py's page set-up, navigation and links stay as
drawn, and a woken phone costs the server about a third less (bench/RESULTS.md, "Profiled").

With 200 phones polling every 1.5 s, the polls alone took 0.45 of the machine's two cores
and competed with the saves of a burst (bench/RESULTS.md); polling also met a Streamlit race
that left some phones behind. The participant page still polls, slowly
(`WORKBOOK_PARTICIPANT_POLL_SECONDS`), as a safety net for a wake-up that was missed.

This uses parts of Streamlit that are public but not in its documented API
(`Runtime.get_app_session`, `AppSession.request_rerun`, `AppSession.page_script_hash`,
`AppSession.has_fragment`), the fragment a run is in (`ThreadState`, private) and
three private attributes of a session: its event loop, on which Streamlit asks that session
methods be called; its current runner, to wait until no run is in progress (a rerun asked
for while the person's own press is queued would be merged with it and lose the press's
values); and its last client state, the widget values and URL that Streamlit itself reruns a
session with when its source changes (`runOnSave`). They are looked up defensively: if a
later Streamlit moves them, wake-ups stop (logged once) and the slow poll still brings every
phone along. `tests/test_projector_browser.py` checks it on a real server and a real browser
whose phones poll only every ten minutes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from typing import Any

from workbook.server import active

# Streamlit's parts are imported inside the functions, once the gate has let them run
# (workbook/server/__init__.py names them): a Streamlit that moved one turns this off, it
# cannot stop the app from importing.

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Follower:
    workshop_id: int
    page_script_hash: str
    # The fragment that drew the room on that page (its id, or "" when the page drew it
    # outside any fragment): a wake-up reruns that fragment, not the whole app.
    fragment_id: str = ""
    # The room's poll on that page, which draws the phone's timer: a timer change reruns
    # only that ("" until the poll has drawn: the timer then waits for the poll).
    poll_fragment_id: str = ""


def _current_fragment_id() -> str:
    """The id of the fragment this code runs in, in a page run or in the fragment's own run
    (Streamlit's ThreadState: a private part, looked up defensively); "" outside one."""
    try:
        from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

        return ThreadState.get().fragment_id or ""
    except (ImportError, AttributeError, RuntimeError):
        return ""


class RoomPush:
    """Which sessions follow which workshop, and waking them. Safe to call from any thread."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._followers: dict[str, _Follower] = {}  # session id -> what it follows
        self._broken = False

    def follow(self, workshop_id: int) -> None:
        """Called by the participant page on every run while it follows a room: this session
        shows that workshop's room on this page, with this URL."""
        if not active("room_push"):
            return
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is None:  # not in a script run (e.g. AppTest without a session)
            return
        with self._lock:
            known = self._followers.get(ctx.session_id)
            poll = (
                known.poll_fragment_id
                if known is not None and known.page_script_hash == ctx.page_script_hash
                else ""
            )
            self._followers[ctx.session_id] = _Follower(
                workshop_id, ctx.page_script_hash, _current_fragment_id(), poll
            )

    def polls_here(self, workshop_id: int) -> None:
        """Called by the room's poll fragment on every run: the fragment this session's timer
        is drawn in, for `wake(..., timer_only=True)`."""
        if not active("room_push"):
            return
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        fragment_id = _current_fragment_id()
        if ctx is None or not fragment_id:
            return
        with self._lock:
            known = self._followers.get(ctx.session_id)
            if known is not None and known.workshop_id == workshop_id:
                self._followers[ctx.session_id] = replace(known, poll_fragment_id=fragment_id)

    def unfollow(self) -> None:
        """This session no longer follows a room (self-guided, or the seat was left)."""
        if not active("room_push"):
            return
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        if ctx is not None:
            with self._lock:
                self._followers.pop(ctx.session_id, None)

    def followers(self, workshop_id: int) -> list[str]:
        with self._lock:
            return [sid for sid, f in self._followers.items() if f.workshop_id == workshop_id]

    def wake(self, workshop_id: int) -> int:
        """Ask every session following `workshop_id` for a fresh run; the number asked.
        Sessions that have gone (tab closed) are forgotten."""
        return self._wake(workshop_id, timer_only=False)

    def wake_timers(self, workshop_id: int) -> int:
        """The room's timer changed: ask every following session for a run of its poll
        alone, which draws the timer (about a sixth of what the walk-through's run costs:
        bench/RESULTS.md, "Profiled"); the number asked. A session whose poll has not drawn
        yet, or whose page no longer has it, is left to its poll."""
        return self._wake(workshop_id, timer_only=True)

    def _wake(self, workshop_id: int, *, timer_only: bool) -> int:
        if self._broken or not active("room_push"):
            return 0
        from streamlit.runtime import Runtime

        if not Runtime.exists():
            return 0
        runtime = Runtime.instance()
        with self._lock:
            targets = [
                (sid, f) for sid, f in self._followers.items() if f.workshop_id == workshop_id
            ]
        woken = 0
        for session_id, follower in targets:
            try:
                session = runtime.get_app_session(session_id)
                if session is None:
                    with self._lock:
                        self._followers.pop(session_id, None)
                    continue
                # Only a screen still on the workbook page: someone who went to "Our results"
                # is not following the room there.
                if session.page_script_hash != follower.page_script_hash:
                    continue
                if timer_only and not follower.poll_fragment_id:
                    continue
                loop = session._event_loop  # private: see the module docstring
                fragment = follower.poll_fragment_id if timer_only else follower.fragment_id
                loop.call_soon_threadsafe(_redraw_when_idle, session, 0, fragment, timer_only)
                woken += 1
            except (AttributeError, RuntimeError, TypeError) as error:
                # A Streamlit that moved these parts, or a loop that has closed.
                if isinstance(error, RuntimeError) and "closed" in str(error):
                    with self._lock:
                        self._followers.pop(session_id, None)
                    continue
                self._broken = True
                _LOGGER.warning(
                    "Live room wake-ups are off (%s); phones follow by polling instead.", error
                )
                return woken
        return woken


# One per server process, like the store.
ROOM_PUSH = RoomPush()


# --- redrawing a run whose output Streamlit dropped ------------------------------------------
#
# A Streamlit race, seen under load (bench/RESULTS.md, "Dropped redraws"): a run's elements
# travel from its thread to the server's event loop as callbacks. If the event loop is behind
# and a request from the browser (a poll, a press) arrives after the run's thread has ended but
# before those callbacks ran, Streamlit starts a new runner for the request and then ignores
# every event still queued from the old one ("event from non-current ScriptRunner"): the
# page never gets that run's elements. After a save, the form then never shows "Saved"; after
# a move, the screen stays on the old step while the server believes it moved.
#
# So at the end of each run, the run queues one more callback on the event loop, behind its
# own elements. When it runs, the session's current runner should still be the one that drew;
# if it is another, what was drawn was dropped, and the session is asked for a fresh run of
# its page (as a wake-up does). Uses the same undocumented parts as wake-ups, plus
# `AppSession._scriptrunner`; if they move, the check switches itself off (logged once).

_dropped_check_broken = False
_redraws_for_dropped = 0

# How long a session may stay busy before a redraw it is owed is given up (its own poll
# redraws a moved room anyway): 50 tries, 0.1 s apart.
_IDLE_TRIES = 50
_IDLE_RETRY_SECONDS = 0.1


def redraw_if_dropped() -> None:
    """Called by a run that finished drawing (workbook.server.admission does, for every page run
    and fragment run): make sure its output reaches the browser, else redraw the page."""
    global _dropped_check_broken
    if _dropped_check_broken or not active("room_push"):
        return
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if not Runtime.exists():
        return
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    try:
        session = Runtime.instance().get_app_session(ctx.session_id)
        if session is None:
            return
        runner = session._scriptrunner  # private: see above
        session._event_loop.call_soon_threadsafe(_check_delivered, session, runner)
    except (AttributeError, TypeError) as error:
        _dropped_check_broken = True
        _LOGGER.warning("Checking for dropped redraws is off (%s).", error)
    except RuntimeError:  # the session's loop has closed: the tab is gone
        return


def _check_delivered(session: Any, runner: object) -> None:
    """On the event loop, behind the run's own elements."""
    global _redraws_for_dropped
    if getattr(session, "_scriptrunner", runner) is runner:
        return
    _redraws_for_dropped += 1
    _LOGGER.warning(
        "Streamlit dropped a run's output (%d so far); drawing the page again.",
        _redraws_for_dropped,
    )
    _redraw_when_idle(session, 0)


def _redraw_when_idle(
    session: Any, tries: int, fragment_id: str = "", only_fragment: bool = False
) -> None:
    """On the event loop: a run of the page the session shows (of `fragment_id` on it, when
    given, else of the whole app), once no run of its is in progress or queued. A rerun
    asked for while the person's own press is queued would be merged with it, and Streamlit
    keeps only the newer request's widget values: the press's answers would give way to the
    ones the page last drew. When idle, the session's own last state (the widget values its
    last run ended with, its page and URL) is what Streamlit itself reruns a session with
    when its source changes. A fragment the page no longer has gets a run of the whole app,
    or none with `only_fragment` (a timer change is not worth a page run: the page's own
    poll draws the timer within its interval); such a run is asked for as the fragment's
    own timer asks."""
    try:
        if session._scriptrunner is not None:  # busy: try again shortly
            if tries < _IDLE_TRIES:
                session._event_loop.call_later(
                    _IDLE_RETRY_SECONDS,
                    _redraw_when_idle,
                    session,
                    tries + 1,
                    fragment_id,
                    only_fragment,
                )
            return
        from streamlit.proto.ClientState_pb2 import ClientState

        if fragment_id and not session.has_fragment(fragment_id):
            if only_fragment:
                return
            fragment_id = ""  # gone (a full run since did not draw it): the whole app
        state = ClientState()
        state.CopyFrom(session._client_state)
        state.fragment_id = fragment_id
        state.is_auto_rerun = only_fragment
        session.request_rerun(state)
    except (AttributeError, TypeError) as error:
        _LOGGER.warning("Could not redraw a page (%s).", error)
    except RuntimeError:  # the session's loop has closed: the tab is gone
        return
