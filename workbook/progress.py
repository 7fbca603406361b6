"""Where a group is in the walk-through: step numbers, rounds, and how they read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

# A follow-up round is for weeks later. In a facilitated workshop whose room changed within
# this long, the room is taken to be running, and a group cannot start one from a phone: its
# answers in the room would switch to the new round halfway through the session.
ROOM_QUIET_BEFORE_FOLLOW_UP = dt.timedelta(hours=12)


def clamp_step(step: int, total: int) -> int:
    """A step index that exists (0-based), whatever was stored or asked for."""
    if total <= 0:
        return 0
    return max(0, min(int(step), total - 1))


def step_label(step: int, total: int, title: str, _: Callable[[str], str] = str) -> str:
    """ "Step 2 of 9: Title", in the language of `translate` (a session's `_`)."""
    return _("Step {number} of {total}: {title}").format(number=step + 1, total=total, title=title)


def round_label(round_: int, _: Callable[[str], str] = str) -> str:
    """ "First look" or "Follow-up 2", in the language of `_` (a session's; the exports keep
    the default, English)."""
    return _("First look") if round_ <= 1 else _("Follow-up {n}").format(n=round_ - 1)


def follow_up_refusal(
    *,
    self_guided: bool,
    room_changed_at: dt.datetime | None,
    now: dt.datetime,
    room_ended: bool = False,
    _: Callable[[str], str] = str,
) -> str | None:
    """Why a group may not start a follow-up round now, or None when it may (in the language
    of `_`). A room the facilitator ended (`room_ended`, the console's "End the session")
    is not running: the quiet hours only stand in for that word when nobody said it."""
    if self_guided or room_changed_at is None or room_ended:
        return None
    if now - room_changed_at >= ROOM_QUIET_BEFORE_FOLLOW_UP:
        return None
    return _(
        "Your workshop's room is still running with a facilitator. A follow-up round is for "
        "when your group comes back to it weeks from now: starting one during the session "
        "would take your table's answers out of the room's results. This opens when the "
        "facilitator ends the session, or {hours} hours after the room's last change."
    ).format(hours=round(ROOM_QUIET_BEFORE_FOLLOW_UP.total_seconds() / 3600))
