"""The facilitator console: sign in with the key, then pace, moderate, time and export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from workbook.lessons import Lesson, LessonSet
from workbook.live import (
    FOLLOW,
    JOIN_SCREEN,
    PACING_LABELS,
    PACINGS,
    PROMPT,
    RATING,
    STEP_SCREEN,
    Focus,
    ItemKind,
    ItemState,
    Room,
    join_url,
    people_count,
    plural,
    reachable_from_phones,
    valid_focus,
)
from workbook.models import MAX_CODE_CHARS, MAX_KEY_CHARS
from workbook.progress import clamp_step, step_label
from workbook.projector_pages import TEXT_SIZES
from workbook.records import Workshop
from workbook.server.admission import admitted
from workbook.store import RoomMovedError, Store, StoreError
from workbook.ui import (
    console_exports,
    console_timer,
    facilitator_resume,
    moderation,
    plan_panel,
    projector_console,
    resources,
    style,
    workshop_lessons,
)
from workbook.ui import projector as links
from workbook.ui.author_text import literal
from workbook.ui.text import isolate, user_heading, user_text

SIGNED_IN = "facilitator_workshop_id"
_PROJECTOR_TOKEN = "facilitator_projector_token"
_SCREEN = "facilitator_screen"
_PACING = "facilitator_pacing"
_TARGET = "facilitator_target"
_TARGET_FOR = "facilitator_target_for_step"
_REFUSED = "facilitator_refused_change"
_DRAWN = "facilitator_drawn_room"
CONSOLE_REFRESH_SECONDS = 2.0


# --- signing in -----------------------------------------------------------------------------


def signed_in_workshop(store: Store) -> Workshop | None:
    """The workshop this browser session signed in to (its id only is kept, never the key)."""
    workshop_id = st.session_state.get(SIGNED_IN)
    if workshop_id is None:
        return None
    workshop = store.workshop_by_id(workshop_id)
    if workshop is None:
        sign_out()
    return workshop


def sign_out() -> None:
    for key in (SIGNED_IN, _PROJECTOR_TOKEN):
        st.session_state.pop(key, None)
    facilitator_resume.forget()


def sign_in_as(workshop_id: int) -> None:
    """Sign this browser session in to a workshop's console (its key or resume link checked)."""
    if st.session_state.get(SIGNED_IN) != workshop_id:
        sign_out()
    st.session_state[SIGNED_IN] = workshop_id


def page(store: Store, lessons: LessonSet) -> None:
    """The facilitator page: opened by a resume link, signed in, or the sign-in form."""
    style.wide_page("1600px")  # two columns of controls and the live panel
    st.title("Facilitator console")
    opened, token, refused = facilitator_resume.workshop_from_link(store)
    if opened is not None:
        sign_in_as(opened)
        facilitator_resume.remember(token)
    workshop = signed_in_workshop(store)
    if workshop is None:
        if refused:
            st.error(refused, icon=":material/link_off:")
        sign_in_form(store)
    else:
        facilitator_resume.keep_in_url(store, workshop.id)
        console(store, workshop_lessons.workshop_lessons(store, workshop.id, lessons), workshop)


def sign_in_form(store: Store) -> None:
    st.markdown(
        "Sign in with your workshop's code and the **facilitator key** you were shown when "
        "you created it. The key stays on this device's session only: it is checked, never kept."
    )
    with st.form("facilitator_sign_in", enter_to_submit=True):
        code = st.text_input(
            "Workshop code",
            placeholder="ABC-234",
            max_chars=MAX_CODE_CHARS,
            key="facilitator_code",
        )
        key = st.text_input(
            "Facilitator key",
            type="password",
            placeholder="XXXX-XXXX-XXXX-XXXX",
            max_chars=MAX_KEY_CHARS,
            key="facilitator_key",
        )
        submitted = st.form_submit_button("Sign in", type="primary", icon=":material/key:")
    if not submitted:
        st.caption(
            "Have the console's resume link? Open it to come back without the key. Lost both? "
            "The key cannot be recovered (it is stored only as a hash): start a new workshop "
            "from the Join or start page."
        )
        return
    outcome = store.facilitator_sign_in(join_code=code, key=key)
    if outcome.workshop_id is None:
        st.error(outcome.problem, icon=":material/lock:")
        if outcome.typed_code and outcome.typed_code.strip():
            user_text(f"You typed: {isolate(outcome.typed_code)}")
        return
    sign_in_as(outcome.workshop_id)
    st.rerun()


# --- the console ----------------------------------------------------------------------------


def console(store: Store, lessons: LessonSet, workshop: Workshop) -> None:
    room = store.room(workshop.id)
    total = len(lessons)
    step = clamp_step(room.current_step, total)
    lesson = lessons.lessons[step] if total else None
    # What this console shows of the room, so its refreshing panel can tell when another tab
    # or device changed the room and draw the whole console again (see live_panel).
    st.session_state[_DRAWN] = room_seen(store, room, lesson)

    top, out = st.columns([5, 1], vertical_alignment="center")
    with top:
        user_heading(
            workshop.title,
            level=2,
            caption=f"{isolate(workshop.cause)} · join code {workshop.display_code}",
        )
    out.button("Sign out", key="facilitator_sign_out", on_click=sign_out, width="stretch")

    controls, live = st.columns([3, 2], gap="large")
    with controls:
        _projector(store, workshop, room)
        if lesson is not None:
            projector_console.pages(store, workshop.id, room, step, lesson)
        facilitator_resume.panel(store, workshop.id)
        plan_panel.render(store, workshop, lessons)
        _room(store, lessons, workshop, room, step)
        if lesson is not None:
            console_timer.render(store, workshop, room, lesson, on_refused=_refused)
            _items(store, workshop, room, lesson)
    with live:
        live_panel(store, workshop.id, lesson)
    st.divider()
    console_exports.panel(store, lessons, workshop)


def _projector(store: Store, workshop: Workshop, room: Room) -> None:
    st.subheader("Projector")
    token = st.session_state.get(_PROJECTOR_TOKEN)
    if token is None:
        token = store.new_projector_link(workshop_id=workshop.id)
        st.session_state[_PROJECTOR_TOKEN] = token
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.link_button(
        "Open the projector screen",
        links.projector_link(token),
        type="primary",
        icon=":material/tv:",
        width="stretch",
    )
    _stored_choice(
        right,
        "The projector shows",
        [JOIN_SCREEN, STEP_SCREEN],
        room.screen,
        name=_SCREEN,
        format_func={JOIN_SCREEN: "Join code", STEP_SCREEN: "The step"}.get,
        on_change=lambda screen: store.set_screen(workshop_id=workshop.id, screen=screen),
    )
    _stored_choice(
        st.container(),
        "Text size on the projector",
        list(TEXT_SIZES),
        projector_console.text_size(store, workshop.id),
        name="facilitator_text_size",
        format_func=projector_console.text_size_label,
        on_change=lambda size: store.set_projector_text_size(workshop_id=workshop.id, size=size),
        help=projector_console.TEXT_SIZE_HELP,
    )
    st.caption(
        "Drag the projector window to the big screen and press F11 for full screen. The link "
        "shows only what the room sees (no controls), works for 24 hours, and is not your key."
    )
    address = join_url(links.public_base_url(links.CONSOLE_PATH), workshop.join_code)
    if address and not reachable_from_phones(address):
        st.warning(
            (
                "Phones cannot open the local address WORKBOOK_PUBLIC_URL is set to, which the "
                "QR code would show. Set it to the address people use."
            )
            if resources.settings().public_url.strip()
            else (
                "Phones cannot open this computer's local address, which the QR code would "
                "show. Set WORKBOOK_PUBLIC_URL to the address people use, or open the app by "
                "this computer's network address."
            ),
            icon=":material/wifi_off:",
        )
    st.button(
        "Stop every projector link",
        key="facilitator_revoke",
        on_click=_revoke,
        args=(store, workshop.id),
        help="Any open projector window stops showing the room. A new link appears here.",
    )


def _revoke(store: Store, workshop_id: int) -> None:
    store.revoke_projector_links(workshop_id=workshop_id)
    st.session_state.pop(_PROJECTOR_TOKEN, None)
    st.toast("Projector links stopped. Open the new one to show the room again.")


def _room(store: Store, lessons: LessonSet, workshop: Workshop, room: Room, step: int) -> None:
    st.subheader("The room")
    st.session_state[_PACING] = room.pacing if room.pacing in PACINGS else PACINGS[0]
    st.radio(
        "Pacing",
        PACINGS,
        format_func=PACING_LABELS.get,
        horizontal=True,
        key=_PACING,
        on_change=_set_pacing,
        args=(store, workshop.id),
        help="Follow: every participant's screen moves to the room's step within seconds. "
        "Self-paced: everyone moves through the lessons on their own.",
    )
    total = len(lessons)
    if not total:
        st.error("No lessons could be loaded, so there are no steps to move through.")
        return
    lesson = lessons.lessons[step]
    refused = st.session_state.pop(_REFUSED, None)
    if refused:
        st.warning(refused, icon=":material/sync_problem:")
    st.markdown(f"**Room is on {step_label(step, total, literal(lesson.title))}**")
    back, forward = st.columns(2)
    back.button(
        "Previous step",
        key="facilitator_previous",
        icon=":material/arrow_back:",
        disabled=step == 0,
        on_click=_move,
        args=(store, workshop.id, step, step - 1, lessons),
        width="stretch",
    )
    forward.button(
        "Next step",
        key="facilitator_next",
        icon=":material/arrow_forward:",
        type="primary",
        disabled=step >= total - 1,
        on_click=_move,
        args=(store, workshop.id, step, step + 1, lessons),
        width="stretch",
    )
    choose, go = st.columns([3, 1], vertical_alignment="bottom")
    if st.session_state.get(_TARGET_FOR) != step:  # the room moved: offer its step again
        st.session_state[_TARGET] = step
        st.session_state[_TARGET_FOR] = step
    choose.selectbox(
        "Move the room to any step",
        range(total),
        format_func=lambda i: f"{i + 1}. {lessons.lessons[i].title}",
        key=_TARGET,
    )
    go.button(
        "Move",
        key="facilitator_move",
        on_click=_move_to_chosen,
        args=(store, workshop.id, step, _TARGET, lessons),
        width="stretch",
    )


def _set_pacing(store: Store, workshop_id: int) -> None:
    pacing = st.session_state[_PACING]
    store.set_pacing(workshop_id=workshop_id, pacing=pacing)
    st.toast(f"Pacing: {PACING_LABELS[pacing]}.")


def _refused(error: RoomMovedError) -> None:
    """Another tab or device moved the room after this console was drawn: say so once, above
    the room's step; the run that follows draws the console as the room is now."""
    st.session_state[_REFUSED] = str(error)


def _move(store: Store, workshop_id: int, shown: int, step: int, lessons: LessonSet) -> None:
    step = clamp_step(step, len(lessons))
    try:
        store.move_room(workshop_id=workshop_id, step=step, at_step=shown)
    except RoomMovedError as error:
        _refused(error)
        return
    st.toast(f"The room moved to step {step + 1}: {literal(lessons.lessons[step].title)}.")


def _move_to_chosen(
    store: Store, workshop_id: int, shown: int, key: str, lessons: LessonSet
) -> None:
    # Read the box now, not when the button was drawn: a just-chosen step counts.
    _move(store, workshop_id, shown, st.session_state[key], lessons)


def _items(store: Store, workshop: Workshop, room: Room, lesson: Lesson) -> None:
    st.subheader("This step's questions")
    prompt_ids = [p.id for p in lesson.prompts]
    statement_ids = [s.id for s in lesson.ratings]
    focus = valid_focus(room.focus, prompt_ids, statement_ids)
    if focus is None:
        st.caption("This step has an exercise only: nothing to collect on the projector.")
        return
    st.caption(
        "Answers are open and results hidden until you change them, so early answers do not "
        "steer the rest. Reveal when the room is ready."
    )
    states = store.item_states(workshop_id=workshop.id, lesson_id=lesson.id)
    items: list[tuple[ItemKind, str, str]] = [(PROMPT, p.id, p.text) for p in lesson.prompts]
    items += [(RATING, s.id, s.text) for s in lesson.ratings]
    for kind, item_id, text in items:
        state = states.get((kind, item_id))
        is_open = state.open if state else True
        revealed = state.revealed if state else False
        on_screen = focus == Focus(kind, item_id) and room.screen == STEP_SCREEN
        key = f"{kind}_{item_id}"
        with st.container(border=True, key=f"facilitator_item_{key}"):
            label = "Question" if kind == PROMPT else "Rating statement"
            badges = [label, "answers open" if is_open else "answers closed"]
            badges.append("results shown" if revealed else "results hidden")
            if state is not None and state.approve_first:
                badges.append("you approve answers first")
            if on_screen:
                badges.insert(0, "ON THE PROJECTOR")
            st.caption(" · ".join(badges))
            st.text(text)
            # Side by side, wrapping on a narrower window, so no label is ever cut short.
            buttons = st.container(horizontal=True, key=f"facilitator_item_buttons_{key}")
            buttons.button(
                "On the projector" if on_screen else "Show on projector",
                key=f"facilitator_show_{key}",
                icon=":material/tv:",
                disabled=on_screen,
                on_click=_show,
                args=(store, workshop.id, room.current_step, Focus(kind, item_id)),
                width="content",
            )
            buttons.button(
                "Close answers" if is_open else "Open answers",
                key=f"facilitator_open_{key}",
                icon=":material/lock:" if is_open else ":material/lock_open:",
                on_click=_set_item,
                args=(store, workshop.id, room.current_step, lesson.id, kind, item_id),
                kwargs={"open": not is_open},
                width="content",
            )
            buttons.button(
                "Hide results" if revealed else "Reveal results",
                key=f"facilitator_reveal_{key}",
                icon=":material/visibility_off:" if revealed else ":material/visibility:",
                type="secondary" if revealed else "primary",
                on_click=_set_item,
                args=(store, workshop.id, room.current_step, lesson.id, kind, item_id),
                kwargs={"revealed": not revealed},
                width="content",
            )
            _item_view(store, workshop.id, lesson.id, kind, item_id, state or ItemState())


_ON_PHONES = {True: "After reveal", False: "Never"}
_ORDER = {False: "Newest first", True: "Most supported"}
_APPROVE_FIRST = {False: "Show answers as they come", True: "I approve answers first"}


def _item_view(
    store: Store, workshop_id: int, lesson_id: str, kind: ItemKind, item_id: str, state: ItemState
) -> None:
    """Per question: whether phones show its results once revealed, and (for a question with
    open answers) whether its answers wait for approval and their order on the projector and
    here."""
    key = f"{kind}_{item_id}"
    # Side by side, wrapping on a narrower window (in columns their labels were cut).
    row = st.container(horizontal=True, key=f"facilitator_item_view_{kind}_{item_id}")
    view = (store, workshop_id, lesson_id, kind, item_id)
    _stored_choice(
        row,
        "Results on phones",
        [True, False],
        state.on_phones,
        name=f"facilitator_phones_{key}",
        format_func=_ON_PHONES.get,
        on_change=lambda chosen: _set_view(*view, "on_phones", chosen),
        help="After reveal: once you reveal the results, phones show them too (hidden answers "
        "never). Never: they stay on the projector.",
    )
    if kind != PROMPT:
        return
    _stored_choice(
        st.container(),
        "New answers",
        [False, True],
        state.approve_first,
        name=f"facilitator_approve_first_{key}",
        format_func=_APPROVE_FIRST.get,
        on_change=lambda chosen: _set_approve_first(store, workshop_id, lesson_id, item_id, chosen),
        help="Show answers as they come: the room sees each answer once results are revealed. "
        "I approve answers first: new answers wait on this console until you approve them; "
        "the room sees none before.",
    )
    _stored_choice(
        row,
        "Order of answers",
        [False, True],
        state.by_support,
        name=f"facilitator_by_support_{key}",
        format_func=_ORDER.get,
        on_change=lambda chosen: _set_view(*view, "by_support", chosen),
        help="On the projector and in the answers here. People support answers on their "
        "phones once the results are revealed.",
    )


def _stored_choice(
    where: DeltaGenerator,
    label: str,
    options: list[Any],
    stored: Any,
    *,
    name: str,
    format_func: Callable[[Any], str | None],
    on_change: Callable[[Any], None],
    help: str | None = None,
) -> None:
    """A segmented control showing a value kept in the store. Its key names the stored value,
    so a change in the store (a move, another console) draws a fresh control; a control set
    through session state on every run instead sent stale choices back on a full redraw and
    disturbed the console's other widgets (the projector left the step; typed minutes reset)."""
    key = f"{name}_{stored}"
    where.segmented_control(
        label,
        options,
        default=stored,
        required=True,
        format_func=format_func,
        key=key,
        on_change=lambda: on_change(st.session_state[key]),
        help=help,
    )


def _set_view(
    store: Store,
    workshop_id: int,
    lesson_id: str,
    kind: ItemKind,
    item_id: str,
    what: str,
    value: object,
) -> None:
    try:
        store.set_item_view(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            kind=kind,
            item_id=item_id,
            **{what: bool(value)},
        )
    except StoreError as error:
        st.toast(str(error))


def _set_approve_first(
    store: Store, workshop_id: int, lesson_id: str, prompt_id: str, value: object
) -> None:
    try:
        store.set_approve_first(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            prompt_id=prompt_id,
            approve_first=bool(value),
        )
    except StoreError as error:
        st.toast(str(error))


def _show(store: Store, workshop_id: int, shown: int, focus: Focus) -> None:
    try:
        store.set_focus(workshop_id=workshop_id, focus=focus, at_step=shown)
    except RoomMovedError as error:
        _refused(error)


def _set_item(
    store: Store,
    workshop_id: int,
    shown: int,
    lesson_id: str,
    kind: ItemKind,
    item_id: str,
    **change: bool,
) -> None:
    try:
        store.set_item_state(
            workshop_id=workshop_id,
            lesson_id=lesson_id,
            kind=kind,
            item_id=item_id,
            at_step=shown,
            **change,
        )
        # Revealing a question also puts it on the projector: that is what was meant.
        if change.get("revealed"):
            store.set_focus(workshop_id=workshop_id, focus=Focus(kind, item_id), at_step=shown)
    except RoomMovedError as error:
        _refused(error)


# --- what refreshes by itself: who joined, answers to moderate ------------------------------


@st.fragment(run_every=CONSOLE_REFRESH_SECONDS)
@admitted(first=True)
def live_panel(store: Store, workshop_id: int, lesson: Lesson | None) -> None:
    groups = store.room_groups(workshop_id)
    room = store.room(workshop_id)
    drawn = st.session_state.get(_DRAWN)
    if drawn is not None and drawn != room_seen(store, room, lesson):
        # Another tab or device changed the room: draw the whole console as it is now, so
        # its buttons act on the room's real step (a stale one would be refused anyway).
        st.rerun(scope="app")
    st.subheader("Who has joined")
    people = people_count(groups)
    on_step = sum(g.on_room_step for g in groups)
    if not groups:
        st.caption("Nobody yet. Show the join code on the projector.")
    else:
        st.markdown(
            f"**{plural(people, 'person', 'people')} in {plural(len(groups), 'group')}**"
            + (f" · {on_step} on the room's step" if room.pacing == FOLLOW else "")
        )
        st.dataframe(
            {
                "Group": [g.name for g in groups],
                "People": [g.members for g in groups],
                "On the room's step": [g.on_room_step for g in groups],
                "Names given": [", ".join(isolate(name) for name in g.names) for g in groups],
            },
            hide_index=True,
            width="stretch",
        )
    if lesson is None:
        return
    moderation.panel(store, workshop_id, lesson, room)


def room_seen(store: Store, room: Room, lesson: Lesson | None) -> tuple[object, ...]:
    """Everything of the room the console's controls show: the room itself (step, pacing,
    projector screen, focus, timer) and its step's questions' states (kept in memory by the
    store, so reading them every refresh costs nothing)."""
    states = ()
    if lesson is not None:
        found = store.item_states(workshop_id=room.workshop_id, lesson_id=lesson.id)
        states = tuple(sorted(found.items()))
    return (room, states)
