"""The console's controls for how the projector shows the room: the text size for the room
(the choice itself is a `_stored_choice` in workbook/ui/facilitator.py, labelled from here)
and the pages of a list longer than one screen holds (workbook/projector_pages.py).

The facilitator turns the pages: a page that turned by itself would take an answer off the
wall while the room is talking about it. The projector says which part is on it
("Answers 1-6 of 34").
"""

from __future__ import annotations

import streamlit as st

from workbook.i18n import N_
from workbook.lessons import Lesson
from workbook.live import STEP_SCREEN, Room, valid_focus
from workbook.projector_pages import (
    NORMAL,
    TEXT_SIZE_LABELS,
    TEXT_SIZES,
    current_page,
    page_key,
    page_of,
    page_text,
)
from workbook.store import Store, StoreError
from workbook.ui import projector
from workbook.ui.i18n import translator

TEXT_SIZE_HELP = N_(
    "How big the projector's text is. Normal is readable from about 6 m on a 1920x1080 "
    "screen; Smaller is below that (for a small room, or to fit more on a page); larger "
    "sizes show fewer answers or groups to a page."
)


def text_size_label(size: str) -> str:
    return translator()(TEXT_SIZE_LABELS.get(size, size))


def text_size(store: Store, workshop_id: int) -> str:
    """The stored text size, as one of the console's choices (an unknown one is normal)."""
    size = store.projector_view(workshop_id).text_size
    return size if size in TEXT_SIZES else NORMAL


def _screen(store: Store, workshop_id: int, room: Room, step: int, lesson: Lesson):
    """The list on the projector now: its key, name, length and page size (None: no list)."""
    focus = valid_focus(room.focus, [p.id for p in lesson.prompts], [s.id for s in lesson.ratings])
    if focus is None or room.screen != STEP_SCREEN:
        return None
    state = store.item_state(
        workshop_id=workshop_id, lesson_id=lesson.id, kind=focus.kind, item_id=focus.item_id
    )
    view = store.projector_view(workshop_id)
    noun, total, per_page = projector.screen_list(
        store, workshop_id, lesson, focus, state, view.text_size
    )
    key = page_key(step, focus.kind, focus.item_id)
    return key, noun, page_of(total, per_page, current_page(view.page, view.page_of, key))


def pages(store: Store, workshop_id: int, room: Room, step: int, lesson: Lesson) -> None:
    """Previous and next page of the projector's list, when it is longer than one screen."""
    screen = _screen(store, workshop_id, room, step, lesson)
    if screen is None:
        return
    _, noun, page = screen
    if page.pages <= 1:
        return
    _ = translator()
    back, where, forward = st.columns([2, 3, 2], vertical_alignment="center")
    back.button(
        _("Previous page"),
        key="facilitator_projector_previous",
        icon=":material/chevron_left:",
        disabled=not page.has_previous,
        on_click=_turn,
        args=(store, workshop_id, step, lesson, -1),
        width="stretch",
    )
    where.markdown(
        _("On the projector: **{which}** (page {number} of {pages})").format(
            which=page_text(page, _(noun), _), number=page.number + 1, pages=page.pages
        )
    )
    forward.button(
        _("Next page"),
        key="facilitator_projector_next",
        icon=":material/chevron_right:",
        disabled=not page.has_next,
        on_click=_turn,
        args=(store, workshop_id, step, lesson, 1),
        width="stretch",
    )


def _turn(store: Store, workshop_id: int, step: int, lesson: Lesson, by: int) -> None:
    # Counted again at the press: answers may have arrived or been hidden since the drawing,
    # and the room may have moved on (then the press turns nothing).
    room = store.room(workshop_id)
    screen = _screen(store, workshop_id, room, step, lesson) if room.current_step == step else None
    if screen is None:
        return
    key, _, page = screen
    try:
        store.set_projector_page(
            workshop_id=workshop_id,
            page=max(0, min(page.pages - 1, page.number + by)),
            page_of=key,
        )
    except StoreError as error:
        st.error(f"The page did not turn: {error}", icon=":material/error:")
