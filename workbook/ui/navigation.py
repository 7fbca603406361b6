"""Who sees which pages: participants get their own pages as big tabs at the top, everyone
else the sidebar menu (join or start, facilitators, funders).

A seated visitor (someone who joined a group on this browser) is a participant: on a phone a
sidebar menu hides the pages they use, and offers ones they do not (the console, the funders'
page). So app.py registers every page with the navigation hidden, and this module draws a row
of three large labelled links at the top: the workbook, the group's results, the group's map.
The other pages stay registered, so a participant who is also a facilitator opens
/facilitator (or /projector, /funders) by its address as before; once this browser is signed in
to a workshop's console, a fourth tab, "Console", leads back to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

import streamlit as st

from workbook.i18n import N_
from workbook.ui import session
from workbook.ui.i18n import translator

NAV_KEY: Final = "role_nav"
# The facilitator console's session key (workbook/ui/facilitator.py SIGNED_IN), read only to
# offer its tab: importing that module here would load the whole console on every run.
_SIGNED_IN: Final = "facilitator_workshop_id"

_TABS: Final = (
    ("workbook", N_("Workbook"), ":material/menu_book:"),
    ("results", N_("Results"), ":material/insights:"),
    ("map", N_("Map"), ":material/hub:"),
)

# Tabs at least 48 px tall, side by side even on a 390 px phone (Streamlit's columns would
# stack); the page being shown is marked by Streamlit's own active-link style, made bolder.
# Drawn with every page's other rules by app.py (workbook/ui/style.py set_up_page).
CSS: Final = """
<style>
.st-key-role_nav { gap: 0.4rem; flex-wrap: nowrap; }
.st-key-role_nav > div { flex: 1 1 0; min-width: 0; }
.st-key-role_nav a { min-height: 3rem; justify-content: center; border: 1px solid #8a8a8a;
  border-radius: 0.6rem; padding: 0.25rem 0.4rem; }
.st-key-role_nav a p { font-size: 1rem; font-weight: 600; }
.st-key-role_nav_leave a { min-height: 2.75rem; }
.st-key-pacing_moved_away a { min-height: 2.75rem; }
/* On a phone the icon sits above the label, so "Workbook" is never cut. */
@media (max-width: 640px) {
  .st-key-role_nav a { flex-direction: column; gap: 0.1rem; padding: 0.3rem 0.2rem; }
  .st-key-role_nav a p { font-size: 0.95rem; }
}
</style>
"""


# The pages' names and the sidebar's sections (app.py), in this session's language.
_PAGE_NAMES: Final = (
    N_("Join or start"),
    N_("Workbook"),
    N_("Our results"),
    N_("Stakeholder map"),
    N_("Facilitator console"),
    N_("Projector screen"),
    N_("For funders"),
    N_("Our group"),
    N_("Facilitators"),
    N_("Funders"),
)


def title(name: str) -> str:
    """A page's or section's name (one of _PAGE_NAMES) in this session's language."""
    return translator()(name)


def participant_tabs(pages: Mapping[str, st.Page]) -> None:
    """The participant's pages as a row of big labelled tabs (`pages` by name, from app.py)."""
    _ = translator()
    with st.container(key=NAV_KEY, horizontal=True, gap=None):
        for name, label, icon in _TABS:
            st.page_link(
                pages[name],
                label=_(label),
                icon=icon,
                width="stretch",
                query_params=session.seat_params(),
            )
        if st.session_state.get(_SIGNED_IN) is not None and "facilitator" in pages:
            st.page_link(
                pages["facilitator"],
                label=_("Console"),
                icon=":material/co_present:",
                width="stretch",
            )


def leave_link(pages: Mapping[str, st.Page]) -> None:
    """At the foot of a participant's page: the way to leave, or to join another workshop."""
    _ = translator()
    with st.container(key="role_nav_leave"):
        st.page_link(
            pages["start"],
            label=_("Leave this workshop or join another"),
            icon=":material/logout:",
        )
