"""Following the facilitator on a participant's screen: a small fragment polls the room and
redraws the page only when the room moved, pacing changed or answers opened or closed.

The fragment holds no form: its one-second reruns redraw one line of text, so whatever a
participant is typing in the lesson's form is never touched. (Drafts that outlive a move to
another step are kept by the lesson form itself.)
"""

from __future__ import annotations

import time

import streamlit as st

from workbook.i18n import N_
from workbook.live import (
    FOLLOW,
    WAITING_TO_START,
    Room,
    RoomSignal,
    moved_notice,
    must_redraw,
    phone_timer,
    room_moved,
    room_started,
    step_to_show,
    waiting_for,
)
from workbook.progress import clamp_step
from workbook.records import Seat
from workbook.server.admission import admitted
from workbook.server.room_push import ROOM_PUSH
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.ui import lesson_form, resources
from workbook.ui.i18n import translator
from workbook.ui.room_results import ANCHOR as ROOM_RESULTS
from workbook.ui.text import escaped, heading_html, user_html, user_text

# A watchdog in the participant's browser, for a Streamlit race we cannot fix from here: under
# load, a fragment's poll can arrive just as the full run that moved the page to the room's new
# step ends, and Streamlit then drops the rest of that run's messages (AppSession ignores
# events from a script runner it has replaced). The server believes the page shows the new
# step; the phone still shows the old one, or its polling timer is gone. bench/browser_room.py
# saw 5 of 20 phones stay behind this way. The page marks the step it drew and the polling
# fragment marks the step the server drew and a heartbeat; when they disagree for a few
# seconds, or the heartbeat stops while the tab is visible and connected, the watchdog
# reloads the page. The URL brings the person back to their seat and step, and half-typed
# answers come back from the lesson form's drafts (and a stakeholder half typed in the map's
# add form, from the same script's: lesson_drafts.kept_note). At most one reload every 30 s.
WATCHDOG_MISMATCH_MS = 5_000
_WATCHDOG = """
<div class="wb-page-step" data-step="%(step)d" hidden></div>
<style>
  /* The marks are for the watchdog only: take their containers out of the layout, with the
     box Streamlit wraps each keyed container in (its gap would stay; a box that holds
     anything else is left alone). */
  .st-key-room_watchdog, .st-key-room_beat,
  :has(> .st-key-room_watchdog):not(:has(> :not(.st-key-room_watchdog))),
  :has(> .st-key-room_beat):not(:has(> :not(.st-key-room_beat))) { display: none; }
</style>
<script>
(() => {
  if (window.__wbWatchdog) return;
  window.__wbWatchdog = true;
  const MISMATCH_MS = %(mismatch)d, SILENCE_MS = %(silence)d, GAP_MS = 30000;
  let lastBeat = null, beatAt = performance.now(), mismatchAt = null;
  const reload = (why, movedTo) => {
    const last = Number(sessionStorage.getItem("wb-watchdog-reload") || 0);
    if (Date.now() - last < GAP_MS) return;
    sessionStorage.setItem("wb-watchdog-reload", String(Date.now()));
    sessionStorage.setItem("wb-watchdog-why", why);
    if (movedTo !== undefined) sessionStorage.setItem("wb-watchdog-moved", movedTo);
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
    // pause: judge the marks only between runs, and allow a running page four times the
    // silence (a run that never finishes is also a page left behind). A disagreement seen
    // between runs lasts until a later idle moment sees them agree: the safety-net poll runs
    // every few seconds, so clearing it on every run would, on a loaded server (where
    // redraws are dropped), keep it from ever reaching MISMATCH_MS.
    const idle = app.dataset.testScriptState === "notRunning";
    if (beat.dataset.beat !== lastBeat) { lastBeat = beat.dataset.beat; beatAt = now; }
    if (idle) {
      mismatchAt = beat.dataset.step !== page.dataset.step ? (mismatchAt ?? now) : null;
    }
    const silence = idle ? SILENCE_MS : 4 * SILENCE_MS;
    if (now - beatAt > silence) {
      reload(`silent ${Math.round((now - beatAt) / 1000)} s, ${app.dataset.testScriptState}`);
    } else if (idle && mismatchAt !== null && now - mismatchAt > MISMATCH_MS) {
      // The room moved and this page missed it: the reloaded page says so (_NOTICE_JS).
      reload(`page drew step ${page.dataset.step}, server drew ${beat.dataset.step}`,
             beat.dataset.step);
    }
  }, 1000);
})();
</script>
"""


# The move notice at the top of the page. Our own constant script: on the run that follows a
# move it scrolls every scrolling box around the notice back to the top (the new step starts
# at its beginning, not where the last one was left) and puts the notice in a live region of
# its own, made once per tab outside Streamlit's tree, so a screen reader reads it out.
_NOTICE_JS = """
<script>
(() => {
  let live = document.getElementById("wb-room-live");
  if (!live) {
    live = document.createElement("div");
    live.id = "wb-room-live";
    live.setAttribute("role", "status");
    live.setAttribute("aria-live", "polite");
    live.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;"
      + "clip:rect(0 0 0 0);white-space:nowrap;";
    document.body.appendChild(live);
  }
  // Results just revealed on this step: read out once (the link below it scrolls there).
  const shown = document.querySelector(".st-key-room_notice .wb-results-shown");
  if (shown && window.__wbRevealSaid !== shown.dataset.reveal) {
    window.__wbRevealSaid = shown.dataset.reveal;
    const said = shown.querySelector(".wb-results-said")?.textContent || "";
    setTimeout(() => { live.textContent = (live.textContent + " " + said).trim(); }, 300);
  }
  // Reloaded by the watchdog onto the step the room moved to (the run that would have said
  // so was lost): the page's own "moved" line, drawn hidden for this case, is shown once.
  const pending = sessionStorage.getItem("wb-watchdog-moved");
  const caughtUp = document.querySelector(".st-key-room_notice .wb-room-caught-up");
  if (pending !== null && caughtUp) {
    sessionStorage.removeItem("wb-watchdog-moved");
    if (caughtUp.dataset.step === pending
        && !document.querySelector(".st-key-room_notice .wb-room-moved")) {
      caughtUp.classList.add("wb-room-moved");
      caughtUp.hidden = false;
    }
  }
  const notice = document.querySelector(".st-key-room_notice .wb-room-moved");
  if (!notice || notice.dataset.done === notice.dataset.move) return;
  notice.dataset.done = notice.dataset.move;
  const top = () => {
    for (let box = notice.parentElement; box; box = box.parentElement) {
      if (box.scrollTop) box.scrollTop = 0;
    }
    window.scrollTo(0, 0);
  };
  top();
  requestAnimationFrame(() => requestAnimationFrame(top));
  setTimeout(top, 300);
  live.textContent = "";
  setTimeout(() => { live.textContent = notice.textContent; }, 150);
})();
</script>
"""
_MOVED = "pacing_moved"  # how many moves this session was brought along (a fresh mark each)
_MOVED_TO = "pacing_moved_to"
_NOTICE_CSS = """
<style>
  .st-key-room_notice .wb-room-moved { margin: 0; padding: .6rem .8rem; border-radius: .5rem;
    background: rgba(28, 131, 225, .1); color: inherit; font-weight: 600; }
  .st-key-room_notice .wb-draft-kept { margin: .4rem 0 0; padding: .6rem .8rem;
    border-radius: .5rem; background: rgba(255, 189, 69, .18); }
  .st-key-room_notice .wb-results-shown { margin: .4rem 0 0; padding: .6rem .8rem;
    border-radius: .5rem; background: rgba(33, 195, 84, .12); font-weight: 600; }
  .st-key-room_notice .wb-results-shown a { display: block; min-height: 44px;
    line-height: 44px; color: #0059A3; text-decoration: underline; }
  .st-key-room_notice:not(:has(.wb-room-moved, .wb-results-shown,
    .wb-draft-kept:not([hidden]))) { display: none; }
</style>
"""


def room_notice(titles: list[str], step: int, *, results_revealed: int | None = None) -> None:
    """The top of the workbook page: "The facilitator moved to: ..." on the run that followed a
    move (scrolled into view and read out, see _NOTICE_JS); once this step's results were
    revealed on phones while the phone was on it (`results_revealed`, a mark that grows with
    each reveal: room_results.reveal_news), a line saying so with a link down to them (read
    out once per reveal, not scrolled: the person may be writing); and the slot where the
    lesson form's drafts script says that unsaved answers were kept as a draft. Without a
    move, the "moved" line for `step` is drawn hidden: the script shows it when the
    watchdog reloaded the page onto that step (the run that moved it was lost)."""
    _ = translator()
    moved = st.session_state.pop(_MOVED_TO, None)
    with st.container(key="room_notice"):
        body = _NOTICE_CSS
        if moved is not None and 0 <= moved < len(titles):
            mark = st.session_state.get(_MOVED, 0)
            body += (
                f'<p class="wb-room-moved" data-move="{mark}">'
                f"{escaped(moved_notice('', _))}{user_html(titles[moved])}</p>"
            )
        elif 0 <= step < len(titles):
            body += (
                f'<p class="wb-room-caught-up" data-move="caught-up" data-step="{step}" hidden>'
                f"{escaped(moved_notice('', _))}{user_html(titles[step])}</p>"
            )
        if results_revealed is not None:
            see_results = _("See the results")
            body += (
                f'<p class="wb-results-shown" data-reveal="{results_revealed}">'
                f'<span class="wb-results-said">{escaped(_(RESULTS_REVEALED))}</span>'
                f'<a href="#{ROOM_RESULTS}">{escaped(see_results)}</a></p>'
            )
        body += '<p class="wb-draft-kept" hidden></p>' + _NOTICE_JS
        st.html(body, unsafe_allow_javascript=True)


RESULTS_REVEALED = N_("The facilitator shared the room's results for this step.")

# One read of a room's full state per workshop per second, however many phones show its
# timer or wait for it to start (the store's signal read has no timer nor screen).
ROOM_MAX_AGE = 1.0
_ROOMS: dict[tuple[int, int], tuple[float, Room, object]] = {}


def shared_room(store: Store, workshop_id: int) -> Room:
    """The room's full state, read at most once a second per workshop, and afresh after
    every change the store announces (it forgets its room signal then: a wake-up after the
    room started must not draw the "waiting to start" card from the second before)."""
    key = (id(store), workshop_id)
    now = time.monotonic()
    signal = store.shared_room_signal(workshop_id)
    cached = _ROOMS.get(key)
    if cached is not None and now - cached[0] < ROOM_MAX_AGE and cached[2] is signal:
        return cached[1]
    room = store.room(workshop_id)
    _ROOMS[key] = (now, room, signal)
    return room


_WAITING = "pacing_waiting_started"  # whether the room had started when the page was drawn


def waiting_card(
    store: Store, seat: Seat, step: int, lesson_items: int, lesson_id: str
) -> str | None:
    """The calm card a following phone shows while there is nothing to do: before the room
    starts, and between activities (every question of the room's step closed). Says which
    workshop and group this phone is in. Returns what it waits for, or None."""
    if not follows_a_room(seat):
        return None
    room = shared_room(store, seat.workshop.id)
    st.session_state[_WAITING] = room_started(room)
    # Between activities only on the room's own step: an earlier step whose answers are
    # closed, looked back at, is not a wait.
    on_room_step = room.current_step == step
    closed = (
        len(store.closed_items(workshop_id=seat.workshop.id, lesson_id=lesson_id))
        if lesson_items and on_room_step
        else 0
    )
    waiting = waiting_for(room, items=lesson_items, closed=closed)
    if waiting is None:
        return None
    _ = translator()
    your_group = _("Your group:")
    with st.container(key="room_waiting", border=True):
        # The workshop's and group's names: user text, escaped and isolated (text.user_html).
        st.html(
            f'<p class="wb-waiting" role="status">{escaped(_(waiting))}</p>'
            f'<p class="wb-waiting-who"><span class="wb-waiting-workshop">'
            f"{heading_html(seat.workshop.title)}</span><br>"
            f"{escaped(your_group)} {user_html(seat.group.name)}</p>"
            "<style>.st-key-room_waiting .wb-waiting { font-size: 1.35rem; font-weight: 600;"
            " margin: 0 0 .5rem; } .st-key-room_waiting .wb-waiting-who { margin: 0;"
            " font-size: 1.05rem; } .st-key-room_waiting .wb-waiting-workshop {"
            " font-weight: 600; }</style>"
        )
        st.caption(
            _(
                "This screen changes by itself when the facilitator starts. Meanwhile you may "
                "read the step below, and answer it if you like."
            )
            if waiting == WAITING_TO_START
            else _(
                "This step's questions are closed: this screen changes by itself when the "
                "facilitator opens the next activity. You may read the step again meanwhile."
            )
        )
    return waiting


# The running timer, counted down by the phone itself between the server's polls (our own
# constant script; the numbers come from the server, refreshed by every poll).
_TIMER_JS = """
<script>
(() => {
  if (window.__wbPhoneTimer) return;
  window.__wbPhoneTimer = true;
  const clock = (s) => {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  };
  setInterval(() => {
    document.querySelectorAll(".st-key-pacing_timer .wb-phone-timer").forEach((el) => {
      if (el.dataset.running !== "1") return;
      if (!el.dataset.seenAt) el.dataset.seenAt = String(performance.now());
      const gone = Math.floor((performance.now() - Number(el.dataset.seenAt)) / 1000);
      const left = Math.max(0, Number(el.dataset.left) - gone);
      const out = el.querySelector(".wb-clock");
      if (out) out.textContent = left ? el.dataset.leftText.replace("{clock}", clock(left))
        : el.dataset.upText;
    });
  }, 1000);
})();
</script>
"""


# The clock floats at the bottom of the screen, so it stays in sight while a person scrolls to
# the form or the results (at the top of the step it scrolled away); the page gets room below
# its last element so the clock never covers it.
_TIMER_STYLE = """<style>
.st-key-pacing_timer { position: fixed; bottom: 12px; left: 50%; transform: translateX(-50%);
  z-index: 999990; width: auto; background: #ffffff; border: 2px solid #1f2937;
  border-radius: 999px; padding: 6px 18px; box-shadow: 0 2px 10px rgba(0,0,0,.25); }
.st-key-pacing_timer .wb-phone-timer { font-size: 1.5rem; font-weight: 700;
  font-variant-numeric: tabular-nums; white-space: nowrap; }
.block-container, [data-testid="stMainBlockContainer"] { padding-bottom: 6rem; }
@media (max-width: 640px) {
  /* On a phone the clock is smaller and sits in the bottom right corner, over the ends of
     lines rather than the middle of an answer, and the page ends with room of its height
     (its text line, padding, border and the gap under it) so the last card scrolls clear. */
  .st-key-pacing_timer { left: auto; right: 10px; bottom: 10px; transform: none;
    padding: 3px 12px; }
  .st-key-pacing_timer .wb-phone-timer { font-size: 1.15rem; }
  .block-container, [data-testid="stMainBlockContainer"] {
    padding-bottom: calc(1.15rem * 1.6 + 6px + 4px + 10px + 1rem) !important; }
}
</style>"""


def _timer(store: Store, workshop_id: int) -> None:
    shown = phone_timer(shared_room(store, workshop_id).timer, utc_now())
    if shown is None:
        return
    _ = translator()
    words = (_("Time left for this step"), _("{clock} left"), _("Time is up"))
    with st.container(key="pacing_timer"):
        st.html(
            f'<div class="wb-phone-timer" role="timer" aria-label="{escaped(words[0])}"'
            f' data-left="{shown.left}" data-running="{1 if shown.running else 0}"'
            f' data-left-text="{escaped(words[1])}" data-up-text="{escaped(words[2])}">'
            f'<span class="wb-clock">{escaped(shown.label(_))}</span></div>'
            + _TIMER_STYLE
            + _TIMER_JS,
            unsafe_allow_javascript=True,
        )


def poll_seconds() -> float:
    """The safety-net poll (the room's changes wake the screen; see workbook.server.room_push),
    read when a page first needs it, not on import (WORKBOOK_PARTICIPANT_POLL_SECONDS)."""
    return resources.settings().participant_poll_seconds


def watchdog_silence_ms() -> int:
    return max(15_000, round(3 * poll_seconds() * 1000))


def watchdog(step: int) -> None:
    """Mark the step this page drew, and start the browser's watchdog (see _WATCHDOG)."""
    with st.container(key="room_watchdog"):
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
    if room_moved(pacing=signal.pacing, room_step=signal.current_step, seen_room_step=seen):
        # This run brings the phone to the room's new step: say so at the top (room_notice).
        st.session_state[_MOVED] = st.session_state.get(_MOVED, 0) + 1
        st.session_state[_MOVED_TO] = step
    if signal.pacing != FOLLOW:
        if step != own:
            store.set_participant_step(participant_id=participant_id, step=step)
        # Self-paced: forget, so switching back to following brings everyone to the room.
        if seen is not None:
            store.forget_room_seen(participant_id=participant_id)
    else:
        # Brought along by a move: the new step and the room step seen, in one write.
        store.follow_room_step(
            participant_id=participant_id,
            step=step if step != own else None,
            room_step=signal.current_step if seen != signal.current_step else None,
        )
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
    ROOM_PUSH.polls_here(workshop_id)  # a timer change wakes this poll to draw the timer
    signal = store.shared_room_signal(workshop_id)
    previous: RoomSignal | None = st.session_state.get(_signal_key(workshop_id))
    if must_redraw(previous, signal) or lesson_form.confirmation_pending():
        st.rerun(scope="app")
    # The room started (or went back to the join code) since the page was drawn: the store
    # wakes the phones for that, and this poll brings the waiting card in or out if a
    # wake-up was missed.
    drawn_started = st.session_state.get(_WAITING)
    if (
        drawn_started is not None
        and signal is not None
        and signal.pacing == FOLLOW
        and room_started(shared_room(store, workshop_id)) != drawn_started
    ):
        st.rerun(scope="app")
    # The step the server drew on this page, and a heartbeat, for the browser's watchdog.
    with st.container(key="room_beat"):
        st.html(
            f'<div class="wb-room-beat" data-step="{step}" data-beat="{time.monotonic_ns()}"'
            " hidden></div>",
            width="content",
        )
    if signal is None or signal.pacing != FOLLOW:
        return
    room_step = clamp_step(signal.current_step, total)
    if room_step == step:
        _timer(store, workshop_id)
    _ = translator()
    with st.container(key="pacing_status"):
        if room_step == step:
            st.caption(
                ":material/sync: "
                + _("Following the facilitator: this screen moves with the room.")
            )
        else:
            st.caption(
                ":material/sync: "
                + _(
                    "The room is on step {room}. You are looking at step {here}; you will be "
                    "brought back when the room moves."
                ).format(room=room_step + 1, here=step + 1)
            )
            if st.button(
                _("Back to the room's step ({room})").format(room=room_step + 1),
                key="pacing_back_to_room",
                icon=":material/undo:",
            ):
                store.set_participant_step(participant_id=seat.participant.id, step=room_step)
                st.rerun(scope="app")


def moved_while_away(store: Store, seat: Seat, titles: list[str]) -> None:
    """On a page other than the workbook ("Our results"): a line when the facilitator has
    moved the room since this person last followed it there, with a link back to it. Polls
    slowly (the room's wake-ups reach only the workbook page)."""
    if follows_a_room(seat):
        st.fragment(run_every=poll_seconds())(_moved_while_away)(store, seat, titles)


@admitted
def _moved_while_away(store: Store, seat: Seat, titles: list[str]) -> None:
    signal = store.shared_room_signal(seat.workshop.id)
    if signal is None or signal.pacing != FOLLOW or not titles:
        return
    seen = store.seen_room_step(seat.participant.id)
    if seen is None or seen == signal.current_step:
        return
    step = clamp_step(signal.current_step, len(titles))
    _ = translator()
    with st.container(key="pacing_moved_away"):
        st.info(
            _("The facilitator has moved the room on, to step {step}:").format(step=step + 1),
            icon=":material/sync:",
        )
        user_text(titles[step])  # a lesson's title, as text
        st.page_link(
            "pages/workbook.py",
            label=_("Back to the room's step"),
            icon=":material/menu_book:",
        )
