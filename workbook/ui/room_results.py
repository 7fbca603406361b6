"""Results on the participant's phone, once the facilitator reveals them: for each question of
this step whose results are revealed and not kept off phones (the console's "On phones"
setting), the same results the projector shows: the ratings given (how many gave each value,
the average per group) and the open answers that are not hidden, with the person's own group
marked. Each answer can be supported with one tap, once per person, and the support taken
back with another.

Hidden answers, and answers waiting for the facilitator's approval, never reach this screen:
the store's answer cards leave them out (the count says how many wait). A person
cannot support their own answer (the store refuses it): a support says "others agree", and a
self-support would add one to every answer and say nothing.

The block is a fragment that refreshes itself every few seconds while anything is shown, so
the counts move as others support; a tap redraws the block alone, never the lesson's form.
The phones of a room share one read of each question's results (`Store.shared_results`); only
which answers the person supports, and which of their own answers the facilitator hid, is read
per phone. The phone that has just saved answers to this step (or started a round) reads the
results itself once (`read_fresh`), so its own save is in them on that same redraw; the others
see it within the shared read's age.

An author whose answer the facilitator hid is told so, calmly, where it would be; nobody else
sees anything of it. When the facilitator reveals a question of the step on the phone, the top
of the page says so with a link down to the results (`reveal_news`, pacing.room_notice).
The page draws the block with one call: `render(store, seat, lesson)`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import streamlit as st

from workbook.i18n import N_, format_decimal
from workbook.lessons import Lesson, RatingStatement
from workbook.live import (
    HIDDEN,
    PROMPT,
    RATING,
    WAITING,
    AnswerCard,
    ItemState,
    by_support,
)
from workbook.records import Seat
from workbook.server.admission import admitted
from workbook.store import Store, StoreError
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import user_html, user_text

REFRESH_SECONDS = 5.0
ANSWERS_SHOWN = 40
HIDDEN_OWN = N_(
    "The facilitator did not put your answer on the shared screen. "
    "It is still saved with your group's answers."
)
WAITING_OWN = N_(
    "Your answer waits for the facilitator's approval: the room sees it once it is approved."
)
ANCHOR = "wb-room-results"  # where the reveal notice at the top links to (pacing.room_notice)
_FRESH = "room_results_fresh"  # read the results themselves on the next draw (read_fresh)
_SEEN = "room_results_seen"  # what the phone showed of the step's results (_Seen)

# Drawn with every page's other rules by app.py (workbook/ui/style.py set_up_page).
CSS = """
<style>
.wb-rr p { margin: 0; }
.wb-rr-list { list-style: none; margin: 0.3rem 0 0; padding: 0; }
.wb-rr-list li { display: flex; align-items: center; gap: 0.5rem; margin: 0.25rem 0;
                 font-size: 1rem; color: #222; }
.wb-rr-value { flex: 0 0 2.2rem; font-weight: 700; }
.wb-rr-track { flex: 1 1 auto; background: #E6E9EE; border-radius: 4px; height: 1.1rem; }
.wb-rr-bar { background: #0059A3; border-radius: 4px; height: 100%; }
.wb-rr-n { flex: 0 0 2.5rem; text-align: right; font-variant-numeric: tabular-nums; }
.wb-rr-scale { font-size: 0.95rem; color: #333; }
.wb-rr-group { display: flex; justify-content: space-between; gap: 0.5rem; padding: 0.3rem 0.5rem;
               border-radius: 4px; font-size: 1rem; color: #222; overflow-wrap: anywhere; }
.wb-rr-own { background: #FFF3D6; border-left: 4px solid #A33B00; font-weight: 700; }
.wb-rr-badge { display: inline-block; background: #A33B00; color: #fff; border-radius: 4px;
               padding: 0 0.4rem; font-size: 0.9rem; font-weight: 700; margin-left: 0.3rem; }
.wb-rr-who { margin: 0; color: #333; font-size: 1rem; overflow-wrap: anywhere; }
[class*="st-key-room_answer_"]:has(.wb-rr-mine-group) { border-left: 4px solid #A33B00; }
[class*="st-key-room_support_"] button { min-height: 44px; }
.wb-rr-anchor { scroll-margin-top: 4.5rem; height: 0; }
</style>
"""


def render(store: Store, seat: Seat, lesson: Lesson) -> None:
    """Draw this step's revealed results, if any (nothing at all otherwise)."""
    if not shown_here(store, seat, lesson):
        st.session_state.pop(_FRESH, None)  # nothing to read: no fresh read left waiting
        return
    st.fragment(run_every=REFRESH_SECONDS)(_results)(store, seat, lesson)


def shown_here(store: Store, seat: Seat, lesson: Lesson) -> bool:
    """Whether this phone shows results for any question of this lesson now."""
    return bool(_shown_items(store, seat, lesson))


def read_fresh() -> None:
    """This person has just saved answers (or started a round): on the next draw, read the
    results rather than take the room's shared read, which may be older than their save."""
    st.session_state[_FRESH] = True


def fresh_pending() -> bool:
    """Whether the next draw of the results is to read them itself (see read_fresh)."""
    return bool(st.session_state.get(_FRESH))


def reveal_news(store: Store, seat: Seat, lesson: Lesson) -> int | None:
    """Whether results of this step appeared on the phone while it was on the step (the
    facilitator revealed a question, or put its results back on phones): then a number that
    grows with each such reveal (the page reads a new one out once), else None. Called once
    per page run, before the top of the page is drawn. The notice stays while the phone is
    on the step, so a redraw right after the reveal does not take it away; arriving on a
    step whose results are already shown is not news (the move notice speaks for that)."""
    shown = frozenset((kind, item_id) for kind, item_id, _ in _shown_items(store, seat, lesson))
    where = (lesson.id, seat.group.current_round)
    before = st.session_state.get(_SEEN)
    if not isinstance(before, _Seen) or before.where != where:
        # The mark carries on across steps, so a reveal on the next step is new to the page.
        mark = before.mark if isinstance(before, _Seen) else 0
        st.session_state[_SEEN] = _Seen(where, shown, shown, mark)
        return None
    mark = before.mark + 1 if shown - before.last else before.mark
    st.session_state[_SEEN] = _Seen(where, before.arrived, shown, mark)
    return mark if shown - before.arrived else None


@dataclass(frozen=True)
class _Seen:
    """What this phone showed of a step's results: on arrival, at the last draw, and how
    many reveals it has been told of in this session."""

    where: tuple[str, int]
    arrived: frozenset[tuple[str, str]]
    last: frozenset[tuple[str, str]]
    mark: int


def _shown_items(store: Store, seat: Seat, lesson: Lesson) -> list[tuple[str, str, ItemState]]:
    states = store.item_states(workshop_id=seat.workshop.id, lesson_id=lesson.id)
    items = [(PROMPT, p.id) for p in lesson.prompts] + [(RATING, s.id) for s in lesson.ratings]
    return [
        (kind, item_id, states[(kind, item_id)])
        for kind, item_id in items
        if (kind, item_id) in states and states[(kind, item_id)].on_phones_now
    ]


@admitted
def _results(store: Store, seat: Seat, lesson: Lesson) -> None:
    shown = _shown_items(store, seat, lesson)
    if not shown:  # hidden again since the page was drawn
        return
    fresh = bool(st.session_state.get(_FRESH))
    # The person's own answers the facilitator hid: one small read, only if answers are shown.
    own_statuses = (
        store.own_answer_statuses(participant_id=seat.participant.id, lesson_id=lesson.id)
        if any(kind == PROMPT for kind, _, _ in shown)
        else {}
    )
    _ = translator()
    with st.container(key="room_results"):
        # The target of the reveal notice's link: the block's top, clear of the header bar.
        st.html(f'<div id="{ANCHOR}" class="wb-rr-anchor"></div>')
        st.subheader(_("Results from the room"), anchor=False)
        for kind, item_id, state in shown:
            with st.container(border=True, key=f"room_results_{kind}_{item_id}"):
                if kind == PROMPT:
                    prompt = lesson.prompt(item_id)
                    if prompt is not None:
                        st.text(prompt.text)
                        own = own_statuses.get(item_id)
                        _answers(
                            store,
                            seat,
                            lesson,
                            item_id,
                            state,
                            fresh=fresh,
                            hidden_own=own == HIDDEN,
                            waiting_own=own == WAITING,
                        )
                else:
                    statement = lesson.statement(item_id)
                    if statement is not None:
                        st.text(statement.text)
                        _ratings(store, seat, lesson, statement, fresh=fresh)
    # Only now: a run Streamlit ended early leaves the fresh read for the next one.
    st.session_state.pop(_FRESH, None)


# --- ratings --------------------------------------------------------------------------------


def _ratings(
    store: Store, seat: Seat, lesson: Lesson, statement: RatingStatement, *, fresh: bool
) -> None:
    _ = translator()
    workshop_id = seat.workshop.id
    result, means = store.shared_results(RATING, workshop_id, lesson.id, statement.id, fresh=fresh)
    if not result.total:
        st.caption(_("No ratings yet."))
        return
    top = max(result.counts) or 1
    rows = "".join(
        f'<li><span class="wb-rr-value">{value}</span>'
        f'<span class="wb-rr-track"><span class="wb-rr-bar" style="display:block;'
        f'width:{100 * count / top:.0f}%"></span></span>'
        f'<span class="wb-rr-n">{count}</span></li>'
        for value, count in enumerate(result.counts, start=1)
    )
    mean = format_decimal(result.mean, language()) if result.mean is not None else "-"
    groups = "".join(_group_row(seat, g.group_id, g.group_name, g.mean, g.count) for g in means)
    summary = _("{ratings}, average <b>{mean}</b> of 5").format(
        ratings=html.escape(ngettext("{n} rating", "{n} ratings", result.total)), mean=mean
    )
    each, by_group = _("How many gave each rating"), _("Average by group")
    st.html(
        '<div class="wb-rr">'
        f'<p class="wb-rr-scale">{summary} '
        f"(1 = {html.escape(statement.low)} · 5 = {html.escape(statement.high)})</p>"
        f'<ul class="wb-rr-list" aria-label="{html.escape(each)}">{rows}</ul>'
        f'<p class="wb-rr-scale" style="margin-top:0.6rem"><b>{html.escape(by_group)}</b></p>'
        f'<div data-testid="wb-rr-groups">{groups}</div></div>'
    )


def _group_row(seat: Seat, group_id: int, name: str, mean: float | None, count: int) -> str:
    _ = translator()
    own = group_id == seat.group.id
    value = (
        f"{format_decimal(mean, language())} ({ngettext('{n} rating', '{n} ratings', count)})"
        if mean is not None
        else _("no ratings yet")
    )
    ours = html.escape(_("your group"))
    badge = f'<span class="wb-rr-badge">{ours}</span>' if own else ""
    return (
        f'<p class="wb-rr-group{" wb-rr-own" if own else ""}">'
        f"<span>{user_html(name)}{badge}</span><span>{value}</span></p>"
    )


# --- open answers ---------------------------------------------------------------------------


def _answers(
    store: Store,
    seat: Seat,
    lesson: Lesson,
    prompt_id: str,
    state: ItemState,
    *,
    fresh: bool,
    hidden_own: bool,
    waiting_own: bool = False,
) -> None:
    _ = translator()
    cards: list[AnswerCard] = store.shared_results(
        PROMPT, seat.workshop.id, lesson.id, prompt_id, fresh=fresh
    )
    waiting = ""
    if state.approve_first:  # how many wait for the facilitator, said with the count
        waiting = store.shared_tally(seat.workshop.id, lesson.id, prompt_id).waiting_note(
            translations().ngettext
        )
    if hidden_own:  # where their answer would be: the shared cards never hold a hidden one
        with st.container(key=f"room_hidden_own_{prompt_id}"):
            st.info(_(HIDDEN_OWN), icon=":material/visibility_off:")
    if waiting_own:  # nor a waiting one: the person is told it waits, not left guessing
        with st.container(key=f"room_waiting_own_{prompt_id}"):
            st.info(_(WAITING_OWN), icon=":material/pending:")
    if not cards:
        st.caption(_("No answers to show yet.") + (f" {waiting}." if waiting else ""))
        return
    if state.by_support:
        cards = by_support(cards)
    shown = cards[:ANSWERS_SHOWN]
    mine = store.supported_answers(
        participant_id=seat.participant.id, reflection_ids=[card.id for card in shown]
    )
    st.caption(
        ngettext("{n} answer", "{n} answers", len(cards))
        + (f" ({waiting})" if waiting else "")
        + " · "
        + (_("most supported first") if state.by_support else _("newest first"))
        + ". "
        + _("Tap Support on the ones you agree with.")
    )
    for card in shown:
        _answer(store, seat, card, card.id in mine)
    if len(cards) > len(shown):
        more = len(cards) - len(shown)
        st.caption(
            ngettext(
                "and {n} more answer on the projector.",
                "and {n} more answers on the projector.",
                more,
            )
        )


def _answer(store: Store, seat: Seat, card: AnswerCard, supported: bool) -> None:
    _ = translator()
    own_group = card.group_id == seat.group.id
    own = card.participant_id == seat.participant.id
    with st.container(border=True, key=f"room_answer_{card.id}"):
        user_text(card.text)
        ours = html.escape(_("your group"))
        badge = f'<span class="wb-rr-badge">{ours}</span>' if own_group else ""
        st.html(
            f'<p class="wb-rr-who{" wb-rr-mine-group" if own_group else ""}">'
            f"{user_html(card.group_name)}{badge}</p>"
        )
        count = ngettext("{n} support", "{n} supports", card.supports)
        if own:
            st.caption(_("Your answer · {count}").format(count=count))
            return
        st.button(
            (_("Supported · {n}") if supported else _("Support · {n}")).format(n=card.supports),
            key=f"room_support_{card.id}",
            icon=":material/thumb_up:",
            type="primary" if supported else "secondary",
            help=_("Tap again to take your support back.") if supported else None,
            on_click=_support,
            args=(store, seat, card.id, not supported),
        )


def _support(store: Store, seat: Seat, reflection_id: int, support: bool) -> None:
    try:
        store.support_answer(
            workshop_id=seat.workshop.id,
            participant_id=seat.participant.id,
            reflection_id=reflection_id,
            support=support,
        )
    except StoreError as error:  # the sentence says why (hidden, no longer shown, ...)
        st.toast(error.shown(translator()))
