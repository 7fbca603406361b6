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
which answers the person supports is read per phone.
The page draws it with one call: `render(store, seat, lesson)`.
"""

from __future__ import annotations

import html

import streamlit as st

from workbook.lessons import Lesson, RatingStatement
from workbook.live import (
    PROMPT,
    RATING,
    AnswerCard,
    ItemState,
    by_support,
    plural,
)
from workbook.records import Seat
from workbook.server.admission import admitted
from workbook.store import Store, StoreError
from workbook.ui.text import user_html, user_text

REFRESH_SECONDS = 5.0
ANSWERS_SHOWN = 40

_CSS = """
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
</style>
"""


def render(store: Store, seat: Seat, lesson: Lesson) -> None:
    """Draw this step's revealed results, if any (nothing at all otherwise)."""
    if not _shown_items(store, seat, lesson):
        return
    st.html(_CSS)
    st.fragment(run_every=REFRESH_SECONDS)(_results)(store, seat, lesson)


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
    with st.container(key="room_results"):
        st.subheader("Results from the room", anchor=False)
        for kind, item_id, state in shown:
            with st.container(border=True, key=f"room_results_{kind}_{item_id}"):
                if kind == PROMPT:
                    prompt = lesson.prompt(item_id)
                    if prompt is not None:
                        st.text(prompt.text)
                        _answers(store, seat, lesson, item_id, state)
                else:
                    statement = lesson.statement(item_id)
                    if statement is not None:
                        st.text(statement.text)
                        _ratings(store, seat, lesson, statement)


# --- ratings --------------------------------------------------------------------------------


def _ratings(store: Store, seat: Seat, lesson: Lesson, statement: RatingStatement) -> None:
    workshop_id = seat.workshop.id
    result, means = store.shared_results(RATING, workshop_id, lesson.id, statement.id)
    if not result.total:
        st.caption("No ratings yet.")
        return
    top = max(result.counts) or 1
    rows = "".join(
        f'<li><span class="wb-rr-value">{value}</span>'
        f'<span class="wb-rr-track"><span class="wb-rr-bar" style="display:block;'
        f'width:{100 * count / top:.0f}%"></span></span>'
        f'<span class="wb-rr-n">{count}</span></li>'
        for value, count in enumerate(result.counts, start=1)
    )
    mean = f"{result.mean:.1f}" if result.mean is not None else "-"
    groups = "".join(_group_row(seat, g.group_id, g.group_name, g.mean, g.count) for g in means)
    st.html(
        '<div class="wb-rr">'
        f'<p class="wb-rr-scale">{plural(result.total, "rating")}, average <b>{mean}</b> of 5 '
        f"(1 = {html.escape(statement.low)} · 5 = {html.escape(statement.high)})</p>"
        f'<ul class="wb-rr-list" aria-label="How many gave each rating">{rows}</ul>'
        f'<p class="wb-rr-scale" style="margin-top:0.6rem"><b>Average by group</b></p>'
        f'<div data-testid="wb-rr-groups">{groups}</div></div>'
    )


def _group_row(seat: Seat, group_id: int, name: str, mean: float | None, count: int) -> str:
    own = group_id == seat.group.id
    value = f"{mean:.1f} ({plural(count, 'rating')})" if mean is not None else "no ratings yet"
    badge = '<span class="wb-rr-badge">your group</span>' if own else ""
    return (
        f'<p class="wb-rr-group{" wb-rr-own" if own else ""}">'
        f"<span>{user_html(name)}{badge}</span><span>{value}</span></p>"
    )


# --- open answers ---------------------------------------------------------------------------


def _answers(store: Store, seat: Seat, lesson: Lesson, prompt_id: str, state: ItemState) -> None:
    cards: list[AnswerCard] = store.shared_results(PROMPT, seat.workshop.id, lesson.id, prompt_id)
    waiting = ""
    if state.approve_first:  # how many wait for the facilitator, said with the count
        waiting = store.shared_tally(seat.workshop.id, lesson.id, prompt_id).waiting_note()
    if not cards:
        st.caption("No answers to show yet." + (f" {waiting}." if waiting else ""))
        return
    if state.by_support:
        cards = by_support(cards)
    shown = cards[:ANSWERS_SHOWN]
    mine = store.supported_answers(
        participant_id=seat.participant.id, reflection_ids=[card.id for card in shown]
    )
    st.caption(
        plural(len(cards), "answer")
        + (f" ({waiting})" if waiting else "")
        + (" · most supported first" if state.by_support else " · newest first")
        + ". Tap Support on the ones you agree with."
    )
    for card in shown:
        _answer(store, seat, card, card.id in mine)
    if len(cards) > len(shown):
        st.caption(f"and {plural(len(cards) - len(shown), 'more answer')} on the projector.")


def _answer(store: Store, seat: Seat, card: AnswerCard, supported: bool) -> None:
    own_group = card.group_id == seat.group.id
    own = card.participant_id == seat.participant.id
    with st.container(border=True, key=f"room_answer_{card.id}"):
        user_text(card.text)
        badge = '<span class="wb-rr-badge">your group</span>' if own_group else ""
        st.html(
            f'<p class="wb-rr-who{" wb-rr-mine-group" if own_group else ""}">'
            f"{user_html(card.group_name)}{badge}</p>"
        )
        count = plural(card.supports, "support")
        if own:
            st.caption(f"Your answer · {count}")
            return
        st.button(
            f"Supported · {card.supports}" if supported else f"Support · {card.supports}",
            key=f"room_support_{card.id}",
            icon=":material/thumb_up:",
            type="primary" if supported else "secondary",
            help="Tap again to take your support back." if supported else None,
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
        st.toast(str(error))
