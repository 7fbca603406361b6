"""The stakeholder-map screen, and the compact parts of it that lessons' exercises show."""

from __future__ import annotations

from typing import Final

import streamlit as st

from workbook.charts.stakeholders.grid import influence_position_grid
from workbook.charts.stakeholders.look import Screen
from workbook.i18n import N_
from workbook.records import Seat
from workbook.stakeholders.graph import short_number
from workbook.stakeholders.measures import kind_diversity
from workbook.stakeholders.saved import StakeholderMap
from workbook.store import Store
from workbook.ui import (
    map_cards,
    map_editor,
    map_files,
    map_snapshots,
    map_tie_cards,
    map_views,
)
from workbook.ui.i18n import language, translations, translator

MAP_PAGE: Final = "pages/map.py"
SECTIONS: Final = (
    N_("Worksheet"),
    N_("Ties"),
    N_("Views"),
    N_("Measures"),
    N_("Trade-off"),
    N_("Over time"),
    N_("Files"),
)


def summary(current: StakeholderMap) -> str:
    """'12 stakeholders, 8 ties between them; energy budget 20 hours a month.'"""
    t = translations()
    people = len(current.stakeholders)
    ties = len(current.ties)
    budget = current.energy_budget
    hours = short_number(budget, language())
    return "{people}, {ties}; {budget}".format(
        people=t.ngettext("{n} stakeholder", "{n} stakeholders", people).format(n=people),
        ties=t.ngettext("{n} tie between them", "{n} ties between them", ties).format(n=ties),
        budget=t.gettext("energy budget {hours} hours a month.").format(hours=hours),
    )


# The map needs the whole window. pages/map.py asks for Streamlit's wide layout, but app.py
# asks for the centred one first on every run, and Streamlit's browser side (1.67) keeps the
# first of two different layouts asked for in one rerun; so the width is also set here.
#
# On a phone (or any touch screen) every control of the map's own is at least 44 px each way
# (WCAG 2.5.5; walk-through finding): the arrows that scroll its row of tabs, the tabs
# themselves ("Ties" was 27 px wide), the file uploader's buttons (remove a file, 16 px; add
# files, 23 px) and the help icons beside labels (18 px). The tabs keep their labels' width
# (Streamlit shrank them below it, so "Measures" ran into "Trade-off") and the row scrolls.
# Scoped to this page's container.
_PAGE_CSS: Final = """
<style>
@media (min-width: 641px) {
  [data-testid="stMainBlockContainer"] { max-width: none; padding-left: 3rem;
    padding-right: 3rem; }
}
@media (max-width: 640px), (pointer: coarse) {
  .st-key-map_page [data-testid="stTabsScrollLeft"],
  .st-key-map_page [data-testid="stTabsScrollRight"] { min-width: 44px; min-height: 44px; }
  .st-key-map_page [data-testid="stTab"] { flex: 0 0 auto; min-width: 44px;
    justify-content: center; padding-inline: 0.25rem; }
  .st-key-map_page [data-testid="stFileUploader"] button { min-width: 44px; min-height: 44px; }
  .st-key-map_page [data-testid="stTooltipIcon"] button { min-width: 44px; min-height: 44px;
    display: inline-flex; align-items: center; justify-content: center; }
}
</style>
"""


def render(store: Store, seat: Seat) -> None:
    """The whole map under its title: worksheets, views, measures, trade-off, snapshots and
    files, in tabs."""
    with st.container(key="map_page"):
        _page(store, seat)


def _page(store: Store, seat: Seat) -> None:
    _ = translator()
    st.title(_("Our stakeholder map"))
    where = "map"
    st.html(_PAGE_CSS)
    map_views.responsive_css()
    current = store.stakeholder_map(group_id=seat.group.id)
    st.caption(summary(current))
    map_editor.stale_notice(store, seat, current, where=where)
    as_list = map_cards.list_view_chosen(where=where)
    sheet, ties, views, measures, trade_off, over_time, files = st.tabs([_(s) for s in SECTIONS])
    with sheet:
        st.markdown(
            _(
                "One entry per person or organisation that matters to your cause: who they are, "
                "how much influence they have, where they stand and how close you are."
            )
        )
        if as_list:
            map_cards.stakeholder_list(store, seat, where=where)
        else:
            map_editor.stakeholder_sheet(store, seat, where=where)
    with ties:
        if as_list:
            map_tie_cards.tie_list(store, seat, where=where)
        else:
            map_editor.ties_sheet(store, seat, where=where)
    with views:
        map_views.views(current, where=where)
    with measures:
        map_views.measures(current, where=where)
    with trade_off:
        map_views.trade_off(store, seat, current, where=where)
    with over_time:
        map_snapshots.snapshots(store, seat, current, where=where)
    with files:
        st.subheader(_("Download"))
        map_files.export(current, seat, where=where)
        st.subheader(_("Import"))
        map_files.import_files(store, seat, current, where=where)


def link_to_map(label: str | None = None) -> None:
    _ = translator()
    shown = label if label is not None else _("Open our full stakeholder map")
    st.page_link(MAP_PAGE, label=shown, icon=":material/hub:")


# --- inside a lesson --------------------------------------------------------------------------


def stakeholder_map_exercise(store: Store, seat: Seat) -> None:
    """Lesson exercise: fill in the worksheet and see where everyone sits on the grid."""
    _ = translator()
    where = "lesson_map"
    map_views.responsive_css()
    st.subheader(_("Exercise: map your stakeholders"))
    st.markdown(
        _(
            "List the people and organisations that matter to your cause, then look at where "
            "they sit. The full map adds ties, the network, measures and snapshots."
        )
    )
    current = store.stakeholder_map(group_id=seat.group.id)
    map_editor.stale_notice(store, seat, current, where=where)
    if map_cards.list_view_chosen(where=where):
        map_cards.stakeholder_list(store, seat, where=where)
    else:
        map_editor.stakeholder_sheet(store, seat, where=where, compact=True)
    if not current.is_empty:
        people = current.stakeholders
        map_views.figure(
            lambda screen: influence_position_grid(
                people, height=None if screen is Screen.phone else 620, screen=screen, tr=_
            ),
            key=f"{where}_grid",
            in_column=True,
            phone_notes=lambda: map_views.by_quadrant(current),
        )
    link_to_map()


def trade_offs_exercise(store: Store, seat: Seat) -> None:
    """Lesson exercise: set the energy budget and weigh the proposed investments."""
    _ = translator()
    where = "lesson_trade_offs"
    map_views.responsive_css()
    st.subheader(_("Exercise: where should our energy go?"))
    current = store.stakeholder_map(group_id=seat.group.id)
    if current.is_empty:
        st.info(
            _(
                "This exercise weighs the relationships on your stakeholder map. Add "
                "stakeholders first (in the networks lesson or on the map), with the hours each "
                "would take."
            ),
            icon=":material/info:",
        )
        link_to_map(_("Open the stakeholder map"))
        return
    map_editor.stale_notice(store, seat, current, where=where)
    map_views.trade_off(store, seat, current, where=where, in_column=True)
    link_to_map()


def voices_exercise(store: Store, seat: Seat) -> None:
    """Lesson exercise: which kinds of voices are on the map, and which are missing."""
    _ = translator()
    where = "lesson_voices"
    map_views.responsive_css()
    st.subheader(_("Exercise: whose voices are on our map?"))
    current = store.stakeholder_map(group_id=seat.group.id)
    map_views.voices(current, where=where, in_column=True)
    if kind_diversity(current.stakeholders).missing:
        st.markdown(
            _(
                "Talk it through: who could bring each missing voice in? Add them on the "
                "stakeholder map, and see the gap close here."
            )
        )
    else:
        st.markdown(
            _(
                "Every kind is on your map. Talk it through: whose voices among them are heard "
                "least, and who speaks for the people most affected?"
            )
        )
    link_to_map()
