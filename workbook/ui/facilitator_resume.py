"""The facilitator's resume link: reopens one workshop's console, signed in, on another visit
or device, without the facilitator key.

The link carries a random token of its own (workbook/store/resume.py: stored hashed, one per
workshop, replaced or stopped from the console, 30 days at most), never the key. The console
shows it only in the browser session that made it or opened it: the store keeps no copy it
could show again. While the console is signed in and holds a link, the link stays in its
address bar, so a reload or a crashed browser comes back signed in (as a participant's seat
link does); the projector has its own link and never shows this one. Signing out takes it
out of the address bar.
"""

from __future__ import annotations

import streamlit as st

from workbook.i18n import N_
from workbook.store import Store
from workbook.store.resume import MAX_TOKEN_CHARS, RESUME_LINK_LIFETIME
from workbook.ui import context
from workbook.ui import projector as links
from workbook.ui.i18n import translator

RESUME_PARAM = context.RESUME_PARAM  # the context reads it too, before the sidebar
_TOKEN = "facilitator_resume_token"
WARNING = N_("Keep this link private: anyone with it can run this workshop.")
REFUSED = (
    "This resume link does not open a console: it was replaced or stopped from the console, "
    f"is older than {RESUME_LINK_LIFETIME.days} days, or was not made here. Sign in with the "
    "workshop's code and facilitator key below."
)


def resume_link(token: str) -> str:
    base = links.app_base_url(links.CONSOLE_PATH)
    path = f"{links.CONSOLE_PATH}?{RESUME_PARAM}={token}"
    return f"{base}/{path}" if base else path


def workshop_from_link(store: Store) -> tuple[int | None, str, str]:
    """The workshop this visit's resume link opens and its token (for the console to show
    again), or why it opens none ("" when the address had no resume link)."""
    if RESUME_PARAM not in st.query_params:
        return None, "", ""
    token = st.query_params.get(RESUME_PARAM, "")
    token = token if isinstance(token, str) and len(token) <= MAX_TOKEN_CHARS else ""
    workshop_id = store.resume_workshop(token) if token else None
    if workshop_id is None:
        del st.query_params[RESUME_PARAM]  # a dead link is not kept in the address bar
        return None, "", REFUSED
    return workshop_id, token, ""


def keep_in_url(store: Store, workshop_id: int) -> None:
    """Keep this console's resume link in its address bar, so a reload stays signed in."""
    token = st.session_state.get(_TOKEN)
    if token is None or store.resume_workshop(token) != workshop_id:
        if RESUME_PARAM in st.query_params:
            del st.query_params[RESUME_PARAM]
        return
    if st.query_params.get(RESUME_PARAM) != token:
        st.query_params[RESUME_PARAM] = token


def remember(token: str) -> None:
    st.session_state[_TOKEN] = token


def forget() -> None:
    st.session_state.pop(_TOKEN, None)
    if RESUME_PARAM in st.query_params:
        del st.query_params[RESUME_PARAM]


def panel(store: Store, workshop_id: int) -> None:
    """The console's resume link, with its warning and its controls."""
    _ = translator()
    st.subheader(_("Resume link"))
    token = st.session_state.get(_TOKEN)
    if token is not None and store.resume_workshop(token) != workshop_id:
        forget()  # stopped or replaced from another console
        token = None
    if token is None:
        st.caption(
            _(
                "A link that reopens this console, signed in, on another visit or device. It "
                "is shown only where it is made; making one stops any earlier one."
            )
        )
    else:
        st.caption(_("Opens this console, signed in, on another visit or device:"))
        st.code(resume_link(token), language=None, wrap_lines=True)
        st.warning(_(WARNING), icon=":material/lock:")
    with st.container(horizontal=True):
        if token is None:
            st.button(
                _("Make a resume link"),
                key="facilitator_resume_make",
                icon=":material/link:",
                on_click=_replace,
                args=(store, workshop_id),
            )
        else:
            st.button(
                _("Replace the resume link"),
                key="facilitator_resume_replace",
                icon=":material/autorenew:",
                on_click=_replace,
                args=(store, workshop_id),
                help=_("The link above stops working; a new one appears here."),
            )
        st.button(
            _("Stop the resume link"),
            key="facilitator_resume_stop",
            icon=":material/link_off:",
            on_click=_stop,
            args=(store, workshop_id),
            help=_("Nobody can open this console by a link any more; the key still works."),
        )


def _replace(store: Store, workshop_id: int) -> None:
    had_one = st.session_state.get(_TOKEN) is not None
    remember(store.new_resume_link(workshop_id=workshop_id))
    if had_one:
        _ = translator()
        st.toast(_("A new resume link is made; the old one no longer opens this console."))


def _stop(store: Store, workshop_id: int) -> None:
    store.revoke_resume_links(workshop_id=workshop_id)
    forget()
    _ = translator()
    st.toast(_("The resume link is stopped. The facilitator key still opens the console."))
