"""The facilitator console: sign in with the key, then pace, moderate, time and export."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbook.i18n import CODES as LANGUAGE_CODES
from workbook.i18n import name_of
from workbook.lessons import Lesson, LessonSet
from workbook.live import (
    FOLLOW,
    JOIN_SCREEN,
    PACING_LABELS,
    PACINGS,
    STEP_SCREEN,
    Room,
    RoomGroup,
    join_url,
    people_count,
    reachable_from_phones,
)
from workbook.models import MAX_CODE_CHARS, MAX_KEY_CHARS
from workbook.progress import clamp_step
from workbook.projector_pages import TEXT_SIZES
from workbook.records import Workshop
from workbook.server.admission import admitted
from workbook.store import RoomMovedError, Store
from workbook.ui import (
    console_exports,
    console_items,
    console_timer,
    context,
    facilitator_resume,
    i18n,
    moderation,
    plan_panel,
    projector_console,
    resources,
    room_end,
    style,
)
from workbook.ui import projector as links
from workbook.ui.author_text import literal
from workbook.ui.text import escaped, isolate, user_heading, user_html, user_text

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
    opened, token, refused = facilitator_resume.workshop_from_link(store)
    if opened is not None:
        sign_in_as(opened)
        facilitator_resume.remember(token)
    workshop = signed_in_workshop(store)
    if workshop is not None:  # the console speaks the workshop's language unless one was chosen
        i18n.use_workshop_language(store.workshop_language(workshop.id))
        lessons = context.lessons_for(store, workshop.id)  # under its plan
    _ = i18n.translator()
    st.title(_("Facilitator console"))
    if workshop is None:
        if refused:
            st.error(refused, icon=":material/link_off:")
        sign_in_form(store)
    else:
        facilitator_resume.keep_in_url(store, workshop.id)
        console(store, lessons, workshop)  # in the workshop's language, under its plan


def sign_in_form(store: Store) -> None:
    _ = i18n.translator()
    i18n.picker()
    st.markdown(
        _(
            "Sign in with your workshop's code and the **facilitator key** you were shown when "
            "you created it. The key stays on this device's session only: it is checked, "
            "never kept."
        )
    )
    with st.form("facilitator_sign_in", enter_to_submit=True):
        code = st.text_input(
            _("Workshop code"),
            placeholder="ABC-234",
            max_chars=MAX_CODE_CHARS,
            key="facilitator_code",
        )
        key = st.text_input(
            _("Facilitator key"),
            type="password",
            placeholder="XXXX-XXXX-XXXX-XXXX",
            max_chars=MAX_KEY_CHARS,
            key="facilitator_key",
        )
        submitted = st.form_submit_button(_("Sign in"), type="primary", icon=":material/key:")
    if not submitted:
        st.caption(
            _(
                "Have the console's resume link? Open it to come back without the key. Lost "
                "both? The key cannot be recovered (it is stored only as a hash): start a new "
                "workshop from the Join or start page."
            )
        )
        return
    outcome = store.facilitator_sign_in(join_code=code, key=key)
    if outcome.workshop_id is None:
        st.error(outcome.problem, icon=":material/lock:")
        if outcome.typed_code and outcome.typed_code.strip():
            user_text(_("You typed: {text}").format(text=isolate(outcome.typed_code)))
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

    _ = i18n.translator()
    top, out = st.columns([5, 1], vertical_alignment="center")
    with top:
        code = _("join code {code}").format(code=workshop.display_code)
        user_heading(workshop.title, level=2, caption=isolate(workshop.cause), unbroken=code)
    out.button(_("Sign out"), key="facilitator_sign_out", on_click=sign_out, width="stretch")

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
            console_items.render(store, workshop, room, lesson, on_refused=_refused)
    with live:
        live_panel(store, workshop.id, lesson, lessons)
    st.divider()
    room_end.panel(store, workshop)
    console_exports.panel(store, lessons, workshop)


def _projector(store: Store, workshop: Workshop, room: Room) -> None:
    _ = i18n.translator()
    st.subheader(_("Projector"))
    token = st.session_state.get(_PROJECTOR_TOKEN)
    if token is None:
        token = store.new_projector_link(workshop_id=workshop.id)
        st.session_state[_PROJECTOR_TOKEN] = token
    left, right = st.columns([1, 1], vertical_alignment="center")
    left.link_button(
        _("Open the projector screen"),
        links.projector_link(token),
        type="primary",
        icon=":material/tv:",
        width="stretch",
    )
    console_items.stored_choice(
        right,
        _("The projector shows"),
        [JOIN_SCREEN, STEP_SCREEN],
        room.screen,
        name=_SCREEN,
        format_func={JOIN_SCREEN: _("Join code"), STEP_SCREEN: _("The step")}.get,
        on_change=lambda screen: store.set_screen(workshop_id=workshop.id, screen=screen),
    )
    console_items.stored_choice(
        st.container(),
        _("Text size on the projector"),
        list(TEXT_SIZES),
        projector_console.text_size(store, workshop.id),
        name="facilitator_text_size",
        format_func=projector_console.text_size_label,
        on_change=lambda size: store.set_projector_text_size(workshop_id=workshop.id, size=size),
        help=_(projector_console.TEXT_SIZE_HELP),
    )
    console_items.stored_choice(
        st.container(),
        _("The workshop's language"),
        list(LANGUAGE_CODES),
        store.workshop_language(workshop.id),
        name="facilitator_language",
        format_func=name_of,
        on_change=lambda code: store.set_workshop_language(workshop_id=workshop.id, language=code),
        help=_("The projector and the lessons use it; each participant may switch their phone."),
    )
    st.caption(
        _(
            "Drag the projector window to the big screen and press F11 for full screen. The "
            "link shows only what the room sees (no controls), works for 24 hours, and is not "
            "your key."
        )
    )
    address = join_url(links.public_base_url(links.CONSOLE_PATH), workshop.join_code)
    if address and not reachable_from_phones(address):
        st.warning(
            _(
                "Phones cannot open the local address WORKBOOK_PUBLIC_URL is set to, which the "
                "QR code would show. Set it to the address people use."
            )
            if resources.settings().public_url.strip()
            else _(
                "Phones cannot open this computer's local address, which the QR code would "
                "show. Set WORKBOOK_PUBLIC_URL to the address people use, or open the app by "
                "this computer's network address."
            ),
            icon=":material/wifi_off:",
        )
    st.button(
        _("Stop every projector link"),
        key="facilitator_revoke",
        on_click=_revoke,
        args=(store, workshop.id),
        help=_("Any open projector window stops showing the room. A new link appears here."),
    )


def _revoke(store: Store, workshop_id: int) -> None:
    store.revoke_projector_links(workshop_id=workshop_id)
    st.session_state.pop(_PROJECTOR_TOKEN, None)
    _ = i18n.translator()
    st.toast(_("Projector links stopped. Open the new one to show the room again."))


def _room(store: Store, lessons: LessonSet, workshop: Workshop, room: Room, step: int) -> None:
    _ = i18n.translator()
    st.subheader(_("The room"))
    st.session_state[_PACING] = room.pacing if room.pacing in PACINGS else PACINGS[0]
    st.radio(
        _("Pacing"),
        PACINGS,
        format_func=lambda pacing: _(PACING_LABELS[pacing]),
        horizontal=True,
        key=_PACING,
        on_change=_set_pacing,
        args=(store, workshop.id),
        help=_(
            "Follow: every participant's screen moves to the room's step within seconds. "
            "Self-paced: everyone moves through the lessons on their own."
        ),
    )
    total = len(lessons)
    if not total:
        st.error(_("No lessons could be loaded, so there are no steps to move through."))
        return
    lesson = lessons.lessons[step]
    refused = st.session_state.pop(_REFUSED, None)
    if refused:
        st.warning(refused, icon=":material/sync_problem:")
    # One whole sentence for the catalog: "trin" is lower case mid-sentence in Danish.
    where = _("Room is on Step {number} of {total}: {title}").format(
        number=step + 1, total=total, title=literal(lesson.title)
    )
    st.markdown("**" + where + "**")
    back, forward = st.columns(2)
    back.button(
        _("Previous step"),
        key="facilitator_previous",
        icon=":material/arrow_back:",
        disabled=step == 0,
        on_click=_move,
        args=(store, workshop.id, step, step - 1, lessons),
        width="stretch",
    )
    forward.button(
        _("Next step"),
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
        _("Move the room to any step"),
        range(total),
        format_func=lambda i: f"{i + 1}. {lessons.lessons[i].title}",
        key=_TARGET,
    )
    go.button(
        _("Move"),
        key="facilitator_move",
        on_click=_move_to_chosen,
        args=(store, workshop.id, step, _TARGET, lessons),
        width="stretch",
    )


def _set_pacing(store: Store, workshop_id: int) -> None:
    pacing = st.session_state[_PACING]
    store.set_pacing(workshop_id=workshop_id, pacing=pacing)
    _ = i18n.translator()
    st.toast(_("Pacing: {pacing}.").format(pacing=_(PACING_LABELS[pacing])))


def _refused(error: RoomMovedError) -> None:
    """Another tab or device moved the room after this console was drawn: say so once, above
    the room's step; the run that follows draws the console as the room is now."""
    st.session_state[_REFUSED] = error.shown(i18n.translator())


def _move(store: Store, workshop_id: int, shown: int, step: int, lessons: LessonSet) -> None:
    step = clamp_step(step, len(lessons))
    try:
        store.move_room(workshop_id=workshop_id, step=step, at_step=shown)
    except RoomMovedError as error:
        _refused(error)
        return
    _ = i18n.translator()
    moved = _("The room moved to step {number}: {title}.")
    st.toast(moved.format(number=step + 1, title=literal(lessons.lessons[step].title)))


def _move_to_chosen(
    store: Store, workshop_id: int, shown: int, key: str, lessons: LessonSet
) -> None:
    # Read the box now, not when the button was drawn: a just-chosen step counts.
    _move(store, workshop_id, shown, st.session_state[key], lessons)


# --- what refreshes by itself: who joined, answers to moderate ------------------------------


@st.fragment(run_every=CONSOLE_REFRESH_SECONDS)
@admitted(first=True)
def live_panel(store: Store, workshop_id: int, lesson: Lesson | None, lessons: LessonSet) -> None:
    groups = store.room_groups(workshop_id)
    room = store.room(workshop_id)
    drawn = st.session_state.get(_DRAWN)
    if drawn is not None and drawn != room_seen(store, room, lesson):
        # Another tab or device changed the room: draw the whole console as it is now, so
        # its buttons act on the room's real step (a stale one would be refused anyway).
        st.rerun(scope="app")
    _ = i18n.translator()
    st.subheader(_("Who has joined"))
    people = people_count(groups)
    on_step = sum(g.on_room_step for g in groups)
    if not groups:
        st.caption(_("Nobody yet. Show the join code on the projector."))
    else:
        who = _("{people} in {groups}").format(
            people=i18n.ngettext("{n} person", "{n} people", people),
            groups=i18n.ngettext("{n} group", "{n} groups", len(groups)),
        )
        on_room = " · " + _("{n} on the room's step").format(n=on_step)
        st.markdown(f"**{who}**" + (on_room if room.pacing == FOLLOW else ""))
        _who_table(groups)
    if lesson is None:
        return
    moderation.panel(store, workshop_id, lesson, room, lessons.lessons)


def room_seen(store: Store, room: Room, lesson: Lesson | None) -> tuple[object, ...]:
    """Everything of the room the console's controls show: the room itself (step, pacing,
    projector screen, focus, timer) and its step's questions' states (kept in memory by the
    store, so reading them every refresh costs nothing)."""
    states = ()
    if lesson is not None:
        found = store.item_states(workshop_id=room.workshop_id, lesson_id=lesson.id)
        states = tuple(sorted(found.items()))
    return (room, states)


# A plain table that wraps: a grid of fixed columns cut "Bord Øresu…" and the names given in
# the console's narrow column at 1440 px. Names are escaped and isolated (workbook/ui/text.py).
_WHO_CSS = """<style>
.wb-who { border-collapse: collapse; width: 100%; font-size: .95rem; }
.wb-who th, .wb-who td { padding: .3rem .5rem; border-bottom: 1px solid rgba(49,51,63,.15);
  text-align: left; vertical-align: top; }
.wb-who td { overflow-wrap: anywhere; }
.wb-who th { font-weight: 600; color: rgba(49,51,63,.8); vertical-align: bottom; }
.wb-who .wb-n { text-align: right; }
.wb-who td.wb-n { white-space: nowrap; }
</style>"""


def _who_table(groups: Sequence[RoomGroup]) -> None:
    _ = i18n.translator()
    heads = (_("Group"), _("People"), _("On the room's step"), _("Names given"))
    head = "".join(
        f'<th scope="col"{" class=wb-n" if i in (1, 2) else ""}>{escaped(h)}</th>'
        for i, h in enumerate(heads)
    )
    rows = "".join(
        f"<tr><td>{user_html(g.name)}</td><td class=wb-n>{g.members}</td>"
        f"<td class=wb-n>{g.on_room_step}</td>"
        f"<td>{', '.join(user_html(name) for name in g.names)}</td></tr>"
        for g in groups
    )
    st.html(
        f'{_WHO_CSS}<table class="wb-who"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
