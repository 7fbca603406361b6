"""The "Join or start" page: join a workshop with its code, or start one (facilitated or
self-guided). Starting a facilitated workshop shows its join code and facilitator key once,
then opens its console, signed in, with a resume link made for this facilitator."""

from __future__ import annotations

import html
from typing import Any

import streamlit as st
from pydantic import ValidationError

from workbook import i18n
from workbook.keys import name_key
from workbook.lessons import LessonSet
from workbook.models import (
    MAX_CODE_CHARS,
    MAX_NAME_CHARS,
    MAX_TITLE_CHARS,
    JoinRequest,
    WorkshopCreate,
    plain_errors,
)
from workbook.records import Group, Seat
from workbook.store import Store, StoreError, WrongJoinCodeError
from workbook.ui import (
    context,
    facilitator,
    facilitator_resume,
    plan_editor,
    seat_link,
    session,
)
from workbook.ui.i18n import language, picker, translator
from workbook.ui.i18n import language as i18n_language
from workbook.ui.text import isolate, user_heading, user_text
from workbook.ui.widgets import show_errors, up_to

NEW_GROUP = i18n.N_("A new group…")
BOTH_GROUPS = i18n.N_(
    "You chose a group in the list and also typed a new group's name. To start the group you "
    "typed, choose “{new}” in the list; to join the one you chose, empty the box."
)
FACILITATED = i18n.N_("With a facilitator running the room")
SELF_GUIDED = i18n.N_(
    "Self-guided: our group works through it alone"
)  # plain text: an emoji showed as a box where no emoji font is
_SAME_GROUP = "start_same_group"  # (workshop, group, typed name's key) the person was asked about


def same_group_unconfirmed(store: Store, workshop_id: int, typed: str) -> Group | None:
    """The existing group a typed new-group name matches but is spelled differently from
    (case, spaces between words, invisible characters), unless the person was already told
    about exactly this match and pressed Join again (then None: they join it). A name typed
    exactly as the group's (outer spaces aside, which every name loses) joins it at once:
    in a room, everyone at "Table 1" types "Table 1"."""
    group = store.group_named(workshop_id=workshop_id, name=typed)
    if group is None or group.name == typed:
        st.session_state.pop(_SAME_GROUP, None)
        return None
    asked = (workshop_id, group.id, name_key(typed))
    if st.session_state.get(_SAME_GROUP) == asked:
        return None
    st.session_state[_SAME_GROUP] = asked
    return group


_CREATED = "start_created"


def render() -> None:
    ctx = context.load()
    store = ctx.store  # a join link's workshop language is already on (context.screen_language)
    _ = translator()

    st.title("Movement Workbook")
    picker()
    st.markdown(
        _(
            "Work through what movements can learn from each other (HIV/AIDS, global mental "
            "health, rare disease and disability rights), rate yourselves, map your "
            "relationships and make a plan."
        )
    )
    notice = session.take_notice()
    if notice:
        st.warning(notice, icon=":material/link_off:")

    created = st.session_state.get(_CREATED)
    if created:
        _created(store, ctx.seat, created)
    elif ctx.seat is not None:
        _seated(ctx.seat)
    join_tab, start_tab = st.tabs([_("Join a workshop"), _("Start a workshop")])
    with join_tab:
        _join(store, ctx.seat)
    with start_tab:
        _start(store, ctx.all_lessons)
    st.caption(_("Nobody needs an account or an e-mail address to take part."))


_SHOWN_CREATED = "start_created_shown"  # the join code whose panel was scrolled into view
# Our own constant script (no user text in it).
_SCROLL_TO_CREATED = """<script>
requestAnimationFrame(() => document.querySelector(".st-key-start_created_panel")
  ?.scrollIntoView({ block: "start", behavior: "instant" }));
</script>"""


def _created(store: Store, seat: Seat | None, created: dict[str, Any]) -> None:
    """The new workshop's join code and facilitator key, shown this once, and the way on:
    its console (this session is already signed in to it) or, self-guided, the workbook."""
    _ = translator()
    with st.container(border=True, key="start_created_panel"):
        st.success(_("Your workshop is ready."), icon=":material/check_circle:")
        if st.session_state.get(_SHOWN_CREATED) != created["code"]:
            # The first time: bring the panel's top into view (the page kept the scroll of the
            # form below, and the join code sat above the screen's top edge).
            st.session_state[_SHOWN_CREATED] = created["code"]
            st.html(_SCROLL_TO_CREATED, unsafe_allow_javascript=True, width="content")
        if created.get("console"):
            st.markdown(
                _("**Join code** (participants type this, or scan the QR code on the projector):")
            )
            st.html(f'<p class="wb-code">{html.escape(created["code"])}</p>')
            st.markdown(
                _(
                    "**Facilitator key.** Copy it now and keep it safe: it is shown only this "
                    "once and unlocks pacing, moderation and exports for this workshop."
                )
            )
            st.code(created["key"], language=None)
        else:
            _self_guided_created(created, seat)
        if created.get("console"):
            st.caption(
                _(
                    "The console shows the projector link and a resume link that reopens it "
                    "on another visit or device."
                )
            )
            if st.button(
                _("Open the console"),
                key="start_open_console",
                type="primary",
                icon=":material/co_present:",
            ):
                st.session_state.pop(_CREATED, None)
                session.switch_to("pages/facilitator.py")
            if seat is not None:
                _open_workbook()
        if st.button(_("I have saved the key"), key="start_key_saved"):
            st.session_state.pop(_CREATED, None)
            st.rerun()


def _open_workbook() -> None:
    _ = translator()
    if st.button(_("Open the workbook"), key="start_open_workbook", type="primary"):
        st.session_state.pop(_CREATED, None)
        session.switch_to("pages/workbook.py")


def _self_guided_created(created: dict[str, Any], seat: Seat | None) -> None:
    """What a self-guided group needs, first: its link to come back (the only way back to its
    answers from another browser or another day). Then the join code, for others of the
    group on a device of their own, and the facilitator key, which the group only needs for
    the console (the workshop's exports, who has joined, its plan)."""
    _ = translator()
    with st.container(key="start_created_link"):
        seat_link.panel(qr=True)
    if seat is not None:
        _open_workbook()
    st.markdown(
        _(
            "**Join code.** Others in your group can join on a device of their own: they type "
            "this code on the start page and choose your group."
        )
    )
    st.html(f'<p class="wb-code">{html.escape(created["code"])}</p>')
    st.markdown(
        _(
            "**Facilitator key** (your group does not need it to work through the workbook). "
            "It opens this workshop's facilitator console: exports of every answer (CSV, "
            "Excel, a summary to send), who has joined and the plan. It is shown only this "
            "once: keep it if you may want those."
        )
    )
    st.code(created["key"], language=None)


def _seated(seat: Seat) -> None:
    _ = translator()
    with st.container(border=True):
        st.markdown(_("**You are seated in this workshop on this device:**"))
        group = _("Group: {name}").format(name=isolate(seat.group.name))
        user_heading(seat.workshop.title, level=3, caption=group)
        # Before the way out: the way back. Once left, this device no longer knows the seat.
        with st.container(key="start_seated_link"):
            seat_link.panel(qr=True)
        st.caption(
            _(
                "Leaving takes this workshop off this device; your group's answers stay. Your "
                "link brings them back."
            )
        )
        if st.button(_("Leave this workshop on this device"), key="start_leave"):
            session.forget()
            st.rerun()


_LINK_TRIED = "start_link_code_tried"


def _join(store: Store, seat: Seat | None) -> None:
    _ = translator()
    found = st.session_state.get("start_found_workshop")
    from_link = session.code_from_url()
    if found is None and session.is_join_link() and st.session_state.get(_LINK_TRIED) != from_link:
        # A join link or QR code carries the code: find the workshop at once (once per code),
        # so the person sees where to join without another tap.
        st.session_state[_LINK_TRIED] = from_link
        try:
            found = store.find_workshop(from_link).id
            st.session_state["start_found_workshop"] = found
        except StoreError:
            found = None  # the form below says why when "Find workshop" is pressed
    with st.form("start_find", border=False):
        code = st.text_input(
            _("Workshop code"),
            value=session.code_from_url(),
            placeholder="ABC-234",
            max_chars=MAX_CODE_CHARS,
            help=_("Six letters and digits, shown on the facilitator's screen."),
        )
        if st.form_submit_button(
            _("Find workshop"), type="primary" if found is None else "secondary"
        ):
            try:
                found = store.find_workshop(code).id
                st.session_state["start_found_workshop"] = found
            except StoreError as error:
                st.session_state.pop("start_found_workshop", None)
                found = None
                st.error(error.shown(translator()), icon=":material/search_off:")
                if isinstance(error, WrongJoinCodeError) and error.typed.strip():
                    user_text(_("You typed: {text}").format(text=isolate(error.typed)))

    workshop = store.workshop_by_id(found) if found is not None else None
    if workshop is not None:
        with st.container(border=True):
            user_heading(
                workshop.title,
                level=3,
                caption=isolate(workshop.cause),
                unbroken=_("code {code}").format(code=workshop.display_code),
            )
            if workshop.shares_with_funders:
                st.info(
                    _(
                        "This workshop shares answers with its funders **in aggregate only**: "
                        "funders see figures over many groups, with random noise added so that "
                        "no group's answers can be worked out, and your words are quoted only if "
                        "you tick the box below, never with your name or group."
                    ),
                    icon=":material/visibility:",
                )
            else:
                st.caption(_("This workshop does not share anything with funders."))
            groups = store.groups(workshop.id)
            if seat is not None and seat.workshop.id == workshop.id:
                _already_here(seat)
            # Outside the form, so choosing a group says at once what joining it does.
            # By position: a group may be named anything, even like the new-group choice.
            # Selectbox options are plain text, so the names are shown as typed.
            options = [*range(len(groups)), NEW_GROUP]
            choice = st.selectbox(
                _("Your group (your table or team)"),
                options,
                index=len(options) - 1,
                format_func=lambda o: _(o) if o == NEW_GROUP else groups[o].name,
                key=f"start_join_group_{workshop.id}",
            )
            if choice != NEW_GROUP:
                _joining_adds_a_member()
            with st.form("start_join"):
                new_group = st.text_input(
                    _("New group's name"),
                    help=up_to(
                        MAX_NAME_CHARS,
                        _("Only if you chose a new group, e.g. Table 3 or your team's name."),
                    ),
                )
                display_name = st.text_input(
                    _("Your name (optional)"),
                    help=up_to(MAX_NAME_CHARS, _("Leave empty to take part anonymously.")),
                )
                consent = st.checkbox(
                    _("You may quote me anonymously"),
                    help=_(
                        "Lets your written answers appear, without any name, in reports across "
                        "many workshops. You can take part fully without it, and change it at "
                        "any time on “Our results”."
                    ),
                )
                if st.form_submit_button(_("Join"), type="primary"):
                    group_name = new_group if choice == NEW_GROUP else groups[choice].name
                    try:
                        request = JoinRequest(
                            group_name=group_name, display_name=display_name, quote_consent=consent
                        )
                    except ValidationError as error:
                        show_errors(plain_errors(error, JoinRequest, i18n_language()), kept=True)
                        request = None
                    else:
                        same = None
                        if (
                            choice != NEW_GROUP
                            and new_group.strip()
                            and name_key(new_group) != name_key(groups[choice].name)
                        ):
                            # A group chosen in the list and a new one typed: ask which,
                            # never drop what was typed.
                            st.warning(
                                _(BOTH_GROUPS).format(new=_(NEW_GROUP)), icon=":material/group:"
                            )
                            request = None
                        elif choice == NEW_GROUP:
                            same = same_group_unconfirmed(store, workshop.id, request.group_name)
                        if same is not None:
                            # A "new" group named like one already here (any case, spaces or
                            # invisible characters): ask, never join it silently.
                            st.warning(
                                _(
                                    "A group with this name is already in this workshop, "
                                    "spelled as below: press Join again to join it, or choose "
                                    "it in the list."
                                ),
                                icon=":material/group:",
                            )
                            user_text(same.name)
                            request = None
                    if request is not None:
                        try:
                            seat, token = store.join(workshop_id=workshop.id, request=request)
                        except StoreError as error:
                            st.error(error.shown(translator()))
                        else:
                            session.remember(seat, token)
                            st.session_state.pop("start_found_workshop", None)
                            st.session_state.pop(_SAME_GROUP, None)
                            session.go_after_rerun("workbook")


def _already_here(seat: Seat) -> None:
    """This device is seated in the workshop just found: carry on in that seat, rather than
    joining again as a second member of its own group."""
    _ = translator()
    with st.container(border=True, key="start_already_here"):
        st.markdown(_("**This device is already in this workshop.**"))
        user_text(_("Group: {name}").format(name=isolate(seat.group.name)))
        if st.button(
            _("Continue as before"),
            key="start_continue",
            type="primary",
            icon=":material/arrow_forward:",
        ):
            st.session_state.pop("start_found_workshop", None)
            session.switch_to("pages/workbook.py")


def _joining_adds_a_member() -> None:
    """Said before joining an existing group: a person coming back who joins again gets a
    new seat (step 1, empty boxes, a second rating in the group's mean). Joining is not
    blocked: several people join one group on purpose."""
    _ = translator()
    st.info(
        _(
            "**Joining adds you to this group as a new member.** The workbook opens at step 1 "
            "with empty boxes for you, and your ratings count alongside the others'."
        )
        + "\n\n"
        + _(
            "Coming back to carry on? Do not join again: open the link you kept (“Your link to "
            "come back”). On a device you used before, it is in the browser's history: this "
            "app's address with “t=” in it."
        ),
        icon=":material/person_add:",
    )


def _start(store: Store, lessons: LessonSet) -> None:
    _ = translator()
    with st.container(border=True, key="start_plan"):
        st.subheader(_("The session's plan"))
        plan = plan_editor.choose("start", store, lessons)  # None: every lesson
    with st.form("start_create"):
        title = st.text_input(
            _("Workshop title"),
            placeholder=_("Spring organisers' day"),
            help=up_to(MAX_TITLE_CHARS),
        )
        cause = st.text_input(
            _("Cause or movement"),
            placeholder=_("e.g. housing justice, rare disease"),
            help=up_to(MAX_TITLE_CHARS),
        )
        region = st.text_input(_("Region (optional)"), help=up_to(MAX_NAME_CHARS))
        language = workshop_language_choice()
        mode = st.radio(_("How will you work?"), [FACILITATED, SELF_GUIDED], format_func=_)
        own_group = st.text_input(
            _("Your group's name (required for self-guided)"),
            placeholder=_("e.g. Core team"),
            help=up_to(MAX_NAME_CHARS),
        )
        shares = st.checkbox(
            _("Share answers with funders, in aggregate only"),
            help=_("Off by default. Participants see this setting when they join."),
        )
        if st.form_submit_button(_("Create workshop"), type="primary"):
            self_guided = mode == SELF_GUIDED
            problems: list[str] = []
            request = join_request = None
            try:
                request = WorkshopCreate(
                    title=title,
                    cause=cause,
                    region=region,
                    self_guided=self_guided,
                    shares_with_funders=shares,
                )
            except ValidationError as error:
                problems += plain_errors(error, WorkshopCreate, i18n_language())
            if self_guided:
                try:
                    join_request = JoinRequest(group_name=own_group)
                except ValidationError as error:
                    problems += plain_errors(error, JoinRequest, i18n_language())
            if problems or request is None:
                show_errors(problems, kept=True)
            else:
                try:
                    workshop, key = store.create_workshop(workshop=request)
                    store.set_workshop_language(workshop_id=workshop.id, language=language)
                    if plan is not None:
                        # A ready plan's title and description in the workshop's language
                        # (its file's `translations:`), as the console and exports show it.
                        store.set_workshop_plan(
                            workshop_id=workshop.id, plan=plan.in_language(language)
                        )
                    plan_editor.discard("start")
                    st.session_state[_CREATED] = {
                        "code": workshop.display_code,
                        "key": key,
                        "console": join_request is None,
                    }
                    if join_request is not None:
                        seat, token = store.join(workshop_id=workshop.id, request=join_request)
                        session.remember(seat, token)
                    else:
                        # Whoever made it runs it: this session may open its console at once,
                        # and gets a resume link to come back by.
                        facilitator.sign_in_as(workshop.id)
                        facilitator_resume.remember(store.new_resume_link(workshop_id=workshop.id))
                    # The start page (not the workbook, now the default) shows the key once.
                    session.go_after_rerun("start")
                except StoreError as error:
                    st.error(error.shown(translator()))


def workshop_language_choice() -> str:
    """The workshop's language, on the create form: the projector speaks it, and phones start
    in it (each person may switch their own). This session's language comes first."""
    _ = translator()
    return st.selectbox(
        _("The workshop's language"),
        list(i18n.CODES),
        index=i18n.CODES.index(language()),
        format_func=i18n.name_of,
        help=_("The projector and the lessons use it; each participant may switch their phone."),
    )
