"""The live room's rules: pacing, prompt states, timers, sign-in slow-down and answer summaries.

Pure logic and the read-only records the live queries hand back; no Streamlit, no SQL, so
every rule here is testable on its own.
"""

from __future__ import annotations

import datetime as dt
import gettext
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import urlsplit

from workbook.i18n import N_
from workbook.models import RATING_MAX, RATING_MIN

# --- pacing ---------------------------------------------------------------------------------

FOLLOW = "follow"
SELF_PACED = "self"
PACINGS = (FOLLOW, SELF_PACED)
PACING_LABELS = {FOLLOW: N_("Follow the facilitator"), SELF_PACED: N_("Self-paced")}

# How often the projector asks the database what changed: at most 2 s behind the answers.
# (Participants' screens are woken when the room changes, see workbook.server.room_push; their
# own slow poll is the setting WORKBOOK_PARTICIPANT_POLL_SECONDS.)
PROJECTOR_REFRESH_SECONDS = 1.0

# What the projector shows: the join screen while people arrive, or the room's step.
JOIN_SCREEN = "join"
STEP_SCREEN = "step"

ItemKind = Literal["prompt", "rating"]
PROMPT: ItemKind = "prompt"
RATING: ItemKind = "rating"


@dataclass(frozen=True)
class RoomSignal:
    """The few values a participant's screen polls: enough to know when to redraw."""

    pacing: str
    current_step: int
    answers_version: int


def step_to_show(*, pacing: str, room_step: int, seen_room_step: int | None, own_step: int) -> int:
    """The step a participant should be on.

    Following the facilitator: whenever the room moves (or this screen has not synced yet),
    the participant moves with it; between moves they may look back at other lessons.
    Self-paced: always their own step.
    """
    if pacing != FOLLOW:
        return own_step
    if seen_room_step is None or room_step != seen_room_step:
        return room_step
    return own_step


def must_redraw(previous: RoomSignal | None, current: RoomSignal | None) -> bool:
    """Whether a participant's whole screen must be redrawn after a poll: the room moved while
    following, pacing changed, or answers were opened or closed. Nothing else reruns the form."""
    if previous is None or current is None:
        return previous != current
    if previous.pacing != current.pacing or previous.answers_version != current.answers_version:
        return True
    return current.pacing == FOLLOW and previous.current_step != current.current_step


# --- prompt and statement states ------------------------------------------------------------


@dataclass(frozen=True)
class ItemState:
    """Per prompt or rating statement of a lesson in one workshop. Answers are open and
    results hidden until the facilitator says otherwise (so early answers anchor nobody)."""

    open: bool = True
    revealed: bool = False
    # Whether phones show the results once revealed ("show after reveal", the default) or
    # never, and whether the projector and console order answers by support, not newest first.
    on_phones: bool = True
    by_support: bool = False
    # For an open-answer prompt: answers reach the room as they come (the default) or only
    # once the facilitator approves each (workbook/store/moderation.py).
    approve_first: bool = False

    @property
    def on_phones_now(self) -> bool:
        """Phones show this item's results: revealed, and not kept off phones."""
        return self.revealed and self.on_phones


@dataclass(frozen=True)
class Focus:
    """The prompt or rating statement on the projector."""

    kind: ItemKind
    item_id: str


def default_focus(prompt_ids: Sequence[str], statement_ids: Sequence[str]) -> Focus | None:
    if prompt_ids:
        return Focus(PROMPT, prompt_ids[0])
    if statement_ids:
        return Focus(RATING, statement_ids[0])
    return None


def valid_focus(
    focus: Focus | None, prompt_ids: Sequence[str], statement_ids: Sequence[str]
) -> Focus | None:
    """The stored focus if it names an item of this lesson, else the lesson's first item."""
    if focus is not None:
        ids = prompt_ids if focus.kind == PROMPT else statement_ids
        if focus.item_id in ids:
            return focus
    return default_focus(prompt_ids, statement_ids)


# --- the room -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timer:
    """A step's countdown. Running: `started_at` set. Paused: `paused_left` set. Off: neither."""

    seconds: int = 0
    started_at: dt.datetime | None = None
    paused_left: int | None = None

    @property
    def is_off(self) -> bool:
        return self.started_at is None and self.paused_left is None

    @property
    def is_paused(self) -> bool:
        return self.paused_left is not None

    def left(self, now: dt.datetime) -> int | None:
        """Whole seconds left (rounded up, never negative), or None when no timer is set."""
        if self.paused_left is not None:
            return max(0, self.paused_left)
        if self.started_at is None:
            return None
        elapsed = (now - self.started_at).total_seconds()
        return max(0, math.ceil(self.seconds - elapsed - 1e-9))


MAX_TIMER_SECONDS = 120 * 60


def start_timer(minutes: float, now: dt.datetime) -> Timer:
    seconds = round(max(0.0, minutes) * 60)
    return Timer(seconds=min(max(seconds, 1), MAX_TIMER_SECONDS), started_at=now)


def pause_timer(timer: Timer, now: dt.datetime) -> Timer:
    left = timer.left(now)
    if left is None or timer.is_paused:
        return timer
    return Timer(seconds=timer.seconds, paused_left=left)


def resume_timer(timer: Timer, now: dt.datetime) -> Timer:
    if timer.paused_left is None:
        return timer
    # Started as long ago as had already run, so `left` carries on from where it stopped.
    ran = timer.seconds - timer.paused_left
    return Timer(seconds=timer.seconds, started_at=now - dt.timedelta(seconds=ran))


def add_time(timer: Timer, seconds: int, now: dt.datetime) -> Timer:
    """More (or, negative, less) time. A finished or unset timer starts again with `seconds`."""
    left = timer.left(now)
    if left is None or (left == 0 and not timer.is_paused):
        return Timer(seconds=max(1, seconds), started_at=now) if seconds > 0 else timer
    total = min(MAX_TIMER_SECONDS, max(0, timer.seconds + seconds))
    if timer.paused_left is not None:
        return replace(timer, seconds=total, paused_left=max(0, min(total, left + seconds)))
    return replace(timer, seconds=total)


def clock(seconds: int) -> str:
    """'9:05' or '1:02:03': how a countdown reads."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Room:
    """A workshop's live state: pacing, the room's step, the projector's screen and timer."""

    workshop_id: int
    pacing: str
    current_step: int
    screen: str = JOIN_SCREEN
    focus: Focus | None = None
    timer: Timer = field(default_factory=Timer)
    answers_version: int = 0


@dataclass(frozen=True)
class RoomGroup:
    """One group (table) in the room: who has joined, and how many are on the room's step."""

    group_id: int
    name: str
    members: int
    names: tuple[str, ...]
    on_room_step: int


# --- answers and ratings --------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerCard:
    id: int
    group_id: int
    group_name: str
    author: str
    text: str
    updated_at: dt.datetime
    hidden: bool = False
    supports: int = 0  # how many others support it (workbook.store.moderation.support_answer)
    participant_id: int = 0
    # Waiting for the facilitator's approval (approval on for its prompt): not shown yet.
    waiting: bool = False

    @property
    def shown(self) -> bool:
        """The room may see it: neither hidden nor waiting for approval."""
        return not (self.hidden or self.waiting)


# How the room sees one answer (the exports' column says it in these words).
SHOWN, WAITING, HIDDEN = "shown", "waiting", "hidden"


@dataclass(frozen=True)
class AnswerTally:
    """Answers to one prompt in the current rounds: shown to the room, waiting for the
    facilitator's approval, hidden by the facilitator."""

    shown: int = 0
    waiting: int = 0
    hidden: int = 0

    @property
    def given(self) -> int:
        return self.shown + self.waiting + self.hidden

    def console_sentence(self, t: gettext.NullTranslations | None = None) -> str:
        """For the facilitator, e.g. "12 answers: 9 shown, 2 waiting for you, 1 hidden", in
        the language of `t` (English without)."""
        t = t or gettext.NullTranslations()
        parts = [t.gettext("{n} shown").format(n=self.shown)]
        if self.waiting:
            parts.append(t.gettext("{n} waiting for you").format(n=self.waiting))
        if self.hidden:
            parts.append(t.gettext("{n} hidden").format(n=self.hidden))
        answers = t.ngettext("{n} answer", "{n} answers", self.given).format(n=self.given)
        return f"{answers}: " + ", ".join(parts)

    def waiting_note(self, ngettext: Callable[[str, str, int], str]) -> str:
        """For the room's screens: how many answers wait, or nothing, in the language of
        `ngettext` (the screen's catalog: `translations(code).ngettext`)."""
        if not self.waiting:
            return ""
        return ngettext(
            "{n} more waiting for the facilitator",
            "{n} more waiting for the facilitator",
            self.waiting,
        ).format(n=self.waiting)


@dataclass(frozen=True)
class GroupCount:
    group_id: int
    group_name: str
    count: int


@dataclass(frozen=True)
class GroupMean:
    group_id: int
    group_name: str
    mean: float | None
    count: int


@dataclass(frozen=True)
class Distribution:
    """How many gave each rating, 1 to 5, and the mean."""

    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float | None:
        if not self.total:
            return None
        return sum((RATING_MIN + i) * n for i, n in enumerate(self.counts)) / self.total


RATING_VALUES = tuple(range(RATING_MIN, RATING_MAX + 1))


def distribution(value_counts: Iterable[tuple[int, int]]) -> Distribution:
    """From (rating, how many) pairs, in any order, with gaps; values outside 1-5 are ignored."""
    counts = dict.fromkeys(RATING_VALUES, 0)
    for value, count in value_counts:
        if int(value) in counts:
            counts[int(value)] += int(count)
    return Distribution(tuple(counts[v] for v in RATING_VALUES))


def cards_to_show(cards: Sequence[AnswerCard], limit: int) -> tuple[list[AnswerCard], int]:
    """The visible cards (hidden or waiting ones never), at most `limit`, and how many more."""
    visible = [card for card in cards if card.shown]
    shown = visible[: max(0, limit)]
    return shown, len(visible) - len(shown)


def by_support(cards: Sequence[AnswerCard]) -> list[AnswerCard]:
    """Most supported first; equal support keeps the given (newest first) order."""
    return sorted(cards, key=lambda card: -card.supports)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary, marked with an ellipsis when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


# --- signing in with a key: the facilitator's and the funders' ---------------------------------

FREE_SIGN_IN_ATTEMPTS = 3
MAX_SIGN_IN_DELAY_SECONDS = 60
SIGN_IN_FAILURE_WINDOW = dt.timedelta(minutes=15)
# What a wrong key was tried on (the store counts wrong keys in a row per door): one door per
# workshop (its facilitator key) and one for the deployment's funder key.
FUNDER_DOOR = "funders"


def workshop_door(workshop_id: int) -> str:
    return f"workshop:{workshop_id}"


def sign_in_delay(failures: int) -> int:
    """Seconds to wait after `failures` wrong keys in a row at one door.

    Three tries are free (typos happen), then the wait doubles: 2, 4, 8 ... capped at a
    minute. The keys carry about 79 bits, so this is not what keeps them safe; it makes a
    guessing script pointless and noisy, while a facilitator who mistypes loses seconds.
    """
    if failures < FREE_SIGN_IN_ATTEMPTS:
        return 0
    exponent = min(failures - FREE_SIGN_IN_ATTEMPTS + 1, 16)
    return min(MAX_SIGN_IN_DELAY_SECONDS, 2**exponent)


@dataclass(frozen=True)
class SignIn:
    """The outcome of a facilitator's sign-in: the workshop, or one plain sentence why not."""

    workshop_id: int | None
    problem: str = ""
    wait_seconds: int = 0
    typed_code: str | None = None  # a code no workshop has, as typed: shown beside, as text


def wrong_key_sentence(wait_seconds: int, *, opens: str = "this workshop", ask: str = "") -> str:
    """A wrong key, and the wait it brings. `opens`: what the key opens; `ask`: whom to
    check it with (empty: just try again)."""
    check = f"Check it with {ask}." if ask else "Check it and try again."
    sentence = f"That key does not open {opens}. {check}"
    if wait_seconds:
        sentence += (
            f" After several wrong keys, the next try waits {plural(wait_seconds, 'second')}."
        )
    return sentence


def waiting_sentence(wait_seconds: int, *, door: str = "for this workshop ") -> str:
    return (
        f"Too many wrong keys {door}in a row. "
        f"Wait {plural(wait_seconds, 'second')}, then try again."
    )


# --- joining --------------------------------------------------------------------------------


def join_url(base_url: str, join_code: str) -> str:
    """The address a phone opens to join: the app's front page (Join or start, for anyone not
    yet seated) with the code filled in. (`/start` only exists once someone is seated.)"""
    base = (base_url or "").strip().rstrip("/")
    if not base:
        return ""
    return f"{base}/?w={join_code}"


_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}


def reachable_from_phones(url: str) -> bool:
    """False for addresses only this computer can open (localhost, 127.x)."""
    host = (urlsplit(url).hostname or "").lower()
    return bool(host) and host not in _LOCAL_HOSTS and not host.startswith("127.")


def natural_key(text: str) -> tuple[str | int, ...]:
    """Sort 'Table 2' before 'Table 10', ignoring case."""
    parts = re.split(r"(\d+)", text.casefold())
    return tuple(int(part) if i % 2 else part for i, part in enumerate(parts))


def people_count(groups: Sequence[RoomGroup]) -> int:
    return sum(group.members for group in groups)


def plural(n: int, noun: str, many: str | None = None) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {many or noun + 's'}"


# --- the room on a participant's phone --------------------------------------------------------

# What a phone says while there is nothing to do (workbook/ui/pacing.py shows it).
WAITING_TO_START = N_("Waiting for the facilitator to start")
WAITING_FOR_NEXT = N_("The facilitator will open the next activity")


def room_started(room: Room) -> bool:
    """Whether the facilitator has started the room. The store keeps no "started" flag: a room
    starts when the projector first leaves the join code for a step (the facilitator moved
    the room, put a question on the projector or switched the projector to "The step"), and
    the projector's screen is exactly that (`Room.screen`). Back to the join code (late
    arrivals) reads as not started, which is what the projector shows the room too."""
    return room.screen != JOIN_SCREEN


def waiting_for(room: Room, *, items: int, closed: int, follows: bool = True) -> str | None:
    """What a following phone waits for, or None when there is something to do.

    Before the room starts: WAITING_TO_START. Between activities: the room's step has
    questions (`items`, prompts and rating statements) and the facilitator has closed every
    one (`closed`), so nothing is open to answer: WAITING_FOR_NEXT. A step with nothing to
    answer (reading, an exercise) is an activity of its own, not a wait. Self-paced rooms
    never wait."""
    if not follows or room.pacing != FOLLOW:
        return None
    if not room_started(room):
        return WAITING_TO_START
    if items and closed >= items:
        return WAITING_FOR_NEXT
    return None


def moved_notice(room_step_title: str, _: Callable[[str], str] = str) -> str:
    """The line a phone shows (and reads out) after the room moved it."""
    return _("The facilitator moved to: {title}").format(title=room_step_title)


def kept_as_draft(step_title: str, _: Callable[[str], str] = str) -> str:
    """The line a phone shows when the room moved while answers were not saved yet."""
    return _("Your unsaved answers to {title} were kept as a draft").format(title=step_title)


def kept_but_not_in_plan(step_title: str, _: Callable[[str], str] = str) -> str:
    """The line a phone shows when the room moved off a lesson the workshop's plan no longer
    has while answers to it were not saved yet: they cannot be saved from here now."""
    return _(
        "Your unsaved answers to {title} are kept in this browser, but {title} is not in the "
        "workshop's plan now, so they cannot be saved unless the facilitator puts it back"
    ).format(title=step_title)


def room_moved(*, pacing: str, room_step: int, seen_room_step: int | None) -> bool:
    """Whether this run is the one that brings a following phone to a new room step (the
    phone then scrolls to the top and says so). A phone that has not followed the room yet
    (just joined) is brought there without a notice: nothing moved under it."""
    return pacing == FOLLOW and seen_room_step is not None and room_step != seen_room_step


@dataclass(frozen=True)
class PhoneTimer:
    """The room's timer as a phone shows it: seconds left now, and whether it runs (the
    phone's own clock then counts down from `left` until the next poll)."""

    left: int
    running: bool

    @property
    def text(self) -> str:
        return self.label()

    def label(self, _: Callable[[str], str] = str) -> str:
        """ "4:59 left", "Time is up", "4:59 left (paused)", in the language of `_`."""
        if self.left == 0 and self.running:
            return _("Time is up")
        if self.running:
            return _("{clock} left").format(clock=clock(self.left))
        return _("{clock} left (paused)").format(clock=clock(self.left))


def phone_timer(timer: Timer, now: dt.datetime) -> PhoneTimer | None:
    """None when no timer is set; else what the phone shows, from the same Timer the
    projector counts down."""
    left = timer.left(now)
    if left is None:
        return None
    return PhoneTimer(left=left, running=not timer.is_paused)
