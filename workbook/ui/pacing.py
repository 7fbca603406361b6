"""Following the facilitator on a participant's screen: a small fragment polls the room and
redraws the page only when the room moved, pacing changed or answers opened or closed.

The fragment holds no form: its one-second reruns redraw one line of text, so whatever a
participant is typing in the lesson's form is never touched. (Drafts that outlive a move to
another step are kept by the lesson form itself.)
"""

from __future__ import annotations

import time

import streamlit as st

from workbook.live import (
    FOLLOW,
    RoomSignal,
    must_redraw,
    step_to_show,
)
from workbook.progress import clamp_step
from workbook.records import Seat
from workbook.server.admission import admitted
from workbook.server.room_push import ROOM_PUSH
from workbook.store import Store
from workbook.ui import lesson_form, resources

# A watchdog in the participant's browser, for a Streamlit race we cannot fix from here: under
# load, a fragment's poll can arrive just as the full run that moved the page to the room's new
# step ends, and Streamlit then drops the rest of that run's messages (AppSession ignores
# events from a script runner it has replaced). The server believes the page shows the new
# step; the phone still shows the old one, or its polling timer is gone. bench/browser_room.py
# saw 5 of 20 phones stay behind this way. The page marks the step it drew and the polling
# fragment marks the step the server drew and a heartbeat; when they disagree for a few
# seconds, or the heartbeat stops while the tab is visible and connected, the watchdog
# reloads the page. The URL brings the person back to their seat and step, and half-typed
# answers come back from the lesson form's drafts. At most one reload every 30 s.
WATCHDOG_MISMATCH_MS = 5_000
_WATCHDOG = """
<div class="wb-page-step" data-step="%(step)d" hidden></div>
<style>
  /* The marks are for the watchdog only: take their element boxes out of the layout. */
  [data-testid="stElementContainer"]:has(.wb-page-step),
  [data-testid="stElementContainer"]:has(.wb-room-beat) { display: none; }
</style>
<script>
(() => {
  if (window.__wbWatchdog) return;
  window.__wbWatchdog = true;
  const MISMATCH_MS = %(mismatch)d, SILENCE_MS = %(silence)d, GAP_MS = 30000;
  let lastBeat = null, beatAt = performance.now(), mismatchAt = null;
  const reload = (why) => {
    const last = Number(sessionStorage.getItem("wb-watchdog-reload") || 0);
    if (Date.now() - last < GAP_MS) return;
    sessionStorage.setItem("wb-watchdog-reload", String(Date.now()));
    sessionStorage.setItem("wb-watchdog-why", why);
    location.reload();
  };
  document.addEventListener("visibilitychange", () => {
    beatAt = performance.now();
    mismatchAt = null;
  });
  setInterval(() => {
    const app = document.querySelector("[data-testid='stApp']");
    const beat = document.querySelector(".wb-room-beat");
    const page = document.querySelector(".wb-page-step");
    const now = performance.now();
    if (!app || !beat || !page || document.visibilityState !== "visible"
        || app.dataset.testConnectionState !== "CONNECTED") {
      beatAt = now;
      mismatchAt = null;
      return;
    }
    // While a run is drawing, the two marks may differ for a moment and the heartbeat may
    // pause: count a disagreement only between runs, and allow a running page four times
    // the silence (a run that never finishes is also a page left behind).
    const idle = app.dataset.testScriptState === "notRunning";
    if (beat.dataset.beat !== lastBeat) { lastBeat = beat.dataset.beat; beatAt = now; }
    if (idle && beat.dataset.step !== page.dataset.step) { mismatchAt = mismatchAt ?? now; }
    else { mismatchAt = null; }
    const silence = idle ? SILENCE_MS : 4 * SILENCE_MS;
    if (now - beatAt > silence) {
      reload(`silent ${Math.round((now - beatAt) / 1000)} s, ${app.dataset.testScriptState}`);
    } else if (mismatchAt !== null && now - mismatchAt > MISMATCH_MS) {
      reload(`page drew step ${page.dataset.step}, server drew ${beat.dataset.step}`);
    }
  }, 1000);
})();
</script>
"""


def poll_seconds() -> float:
    """The safety-net poll (the room's changes wake the screen; see workbook.server.room_push),
    read when a page first needs it, not on import (WORKBOOK_PARTICIPANT_POLL_SECONDS)."""
    return resources.settings().participant_poll_seconds


def watchdog_silence_ms() -> int:
    return max(15_000, round(3 * poll_seconds() * 1000))


def watchdog(step: int) -> None:
    """Mark the step this page drew, and start the browser's watchdog (see _WATCHDOG)."""
    st.html(
        _WATCHDOG
        % {"step": step, "mismatch": WATCHDOG_MISMATCH_MS, "silence": watchdog_silence_ms()},
        unsafe_allow_javascript=True,
        width="content",
    )


def _signal_key(workshop_id: int) -> str:
    return f"pacing_signal_{workshop_id}"


def follows_a_room(seat: Seat) -> bool:
    """Self-guided workshops have no facilitator, so nothing to follow and nothing to poll."""
    return not seat.workshop.self_guided


def step_now(store: Store, seat: Seat, total: int) -> int:
    """The step this participant sees on this run: the room's step right after the room
    moved (when following), else their own. The room step they last followed is stored, so
    a reload keeps someone who looked ahead where they were until the room moves again."""
    own = clamp_step(seat.participant.current_step, total)
    if not follows_a_room(seat):
        ROOM_PUSH.unfollow()
        return own
    # The facilitator's changes wake this screen (workbook.server.room_push); the fragment below
    # only polls, slowly, in case a wake-up was missed.
    ROOM_PUSH.follow(seat.workshop.id)
    signal = store.shared_room_signal(seat.workshop.id)
    if signal is None:
        return own
    participant_id = seat.participant.id
    seen = store.seen_room_step(participant_id)
    step = clamp_step(
        step_to_show(
            pacing=signal.pacing,
            room_step=signal.current_step,
            seen_room_step=seen,
            own_step=own,
        ),
        total,
    )
    st.session_state[_signal_key(seat.workshop.id)] = signal
    if step != own:
        store.set_participant_step(participant_id=participant_id, step=step)
    if signal.pacing != FOLLOW:
        # Self-paced: forget, so switching back to following brings everyone to the room.
        if seen is not None:
            store.forget_room_seen(participant_id=participant_id)
    elif seen != signal.current_step:
        store.mark_room_seen(participant_id=participant_id, room_step=signal.current_step)
    return step


def follow_the_room(store: Store, seat: Seat, step: int, total: int) -> None:
    """A slow poll, the safety net under the room's wake-ups (workbook.server.room_push): one
    shared read; the whole page reruns only when something it shows changed, or when a
    save's "Saved" was cut short by this very poll (lesson_form.confirmation_pending).
    The fragment is made here, not on import, so its interval is read when first used."""
    st.fragment(run_every=poll_seconds())(_follow_the_room)(store, seat, step, total)


@admitted
def _follow_the_room(store: Store, seat: Seat, step: int, total: int) -> None:
    workshop_id = seat.workshop.id
    signal = store.shared_room_signal(workshop_id)
    previous: RoomSignal | None = st.session_state.get(_signal_key(workshop_id))
    if must_redraw(previous, signal) or lesson_form.confirmation_pending():
        st.rerun(scope="app")
    # The step the server drew on this page, and a heartbeat, for the browser's watchdog.
    st.html(
        f'<div class="wb-room-beat" data-step="{step}" data-beat="{time.monotonic_ns()}" hidden>'
        "</div>",
        width="content",
    )
    if signal is None or signal.pacing != FOLLOW:
        return
    room_step = clamp_step(signal.current_step, total)
    with st.container(key="pacing_status"):
        if room_step == step:
            st.caption(
                ":material/sync: Following the facilitator: this screen moves with the room."
            )
        else:
            st.caption(
                f":material/sync: The room is on step {room_step + 1}. You are looking at "
                f"step {step + 1}; you will be brought back when the room moves."
            )
            if st.button(
                f"Back to the room's step ({room_step + 1})",
                key="pacing_back_to_room",
                icon=":material/undo:",
            ):
                store.set_participant_step(participant_id=seat.participant.id, step=room_step)
                st.rerun(scope="app")
