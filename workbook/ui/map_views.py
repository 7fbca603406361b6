"""What the map shows: the three views, the measures, the energy trade-off and the voices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import plotly.graph_objects as go
import streamlit as st

from workbook.charts.stakeholders.effort import effort_groups, effort_vs_influence
from workbook.charts.stakeholders.grid import influence_position_grid
from workbook.charts.stakeholders.kinds import kinds_of_stakeholder
from workbook.charts.stakeholders.look import Screen
from workbook.charts.stakeholders.network import network
from workbook.charts.stakeholders.spectrum import spectrum_of_allies
from workbook.i18n import N_
from workbook.models import SpectrumBand
from workbook.records import Seat
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import join_names, reading_numbers, reading_order, who_is_tied
from workbook.stakeholders.measures import (
    BRIDGING_BONDING_EXPLANATION,
    BROKER_EXPLANATION,
    DIVERSITY_EXPLANATION,
    GRID_EXPLANATION,
    OUT_OF_REACH_EXPLANATION,
    QUADRANT_ADVICE,
    SINGLE_POINT_EXPLANATION,
    Quadrant,
    grid_quadrant,
    kind_diversity,
    measure_map,
)
from workbook.stakeholders.portfolio import SCORE_EXPLANATION, Portfolio, propose_investments
from workbook.stakeholders.saved import MAX_ENERGY_BUDGET, StakeholderMap
from workbook.store import Store, StoreError
from workbook.ui import map_overrides
from workbook.ui.i18n import ngettext, translations, translator
from workbook.ui.text import isolate, user_text

# No plotly logo; keep the camera button, so a group can save a view for a report.
CHART_CONFIG: Final[dict[str, Any]] = {"displaylogo": False}
VIEW_NAMES: Final = (N_("Influence and position"), N_("Spectrum of allies"), N_("Network"))
TOP_BROKERS: Final = 5


# Each view is drawn for a projector, a laptop and a phone, and the browser shows the one
# that fits (Streamlit cannot tell the server how wide the window is). On the map page, names
# beside the points need a window about 1500 pixels wide, or 1000 with shorter lines;
# narrower (phones, tablets upright, a window beside another) gets the phone figure, with
# the names listed under it as text. Inside a lesson the column is never wider than about
# 730 pixels, so there it is the laptop figure, or the phone one below 640.
_RESPONSIVE_CSS: Final = """
<style>
@media (max-width: 999px) {
  [class*="st-key-vw_projector_"], [class*="st-key-vw_laptop_"] { display: none !important; }
}
@media (min-width: 1000px) { [class*="st-key-vw_phone_"] { display: none !important; } }
@media (min-width: 1000px) and (max-width: 1499px) {
  [class*="st-key-vw_projector_"] { display: none !important; }
}
@media (min-width: 1500px) { [class*="st-key-vw_laptop_"] { display: none !important; } }
@media (max-width: 640px) { [class*="st-key-vw_column_"] { display: none !important; } }
@media (min-width: 641px) { [class*="st-key-vw_columnphone_"] { display: none !important; } }
/* The score's formula (a code block) wraps at its spaces rather than run off a phone's
   screen behind a sideways scroll, its further lines indented under the first; on a wide
   screen it is one line, as before. */
[class*="st-key-score_formula_"] [data-testid="stCode"] :is(pre, code) {
  white-space: pre-wrap !important; overflow-wrap: anywhere; }
[class*="st-key-score_formula_"] [data-testid="stCode"] code { display: block;
  padding-left: 2ch; text-indent: -2ch; }
</style>
"""


def responsive_css() -> None:
    """Once per page run, before any `figure`: hides the versions that do not fit."""
    st.html(_RESPONSIVE_CSS)


def chart(fig: go.Figure, *, key: str, phone: bool = False) -> None:
    """A figure in the project's own template (Streamlit's theme would override it)."""
    # On a phone the tool bar would sit on the title; pinch-zoom and tap still work.
    config = {**CHART_CONFIG, "displayModeBar": False} if phone else CHART_CONFIG
    st.plotly_chart(fig, width="stretch", theme=None, config=config, key=key)


def figure(
    build: Callable[[Screen], go.Figure],
    *,
    key: str,
    in_column: bool = False,
    phone_notes: Callable[[], None] | None = None,
) -> None:
    """A view drawn by `build(screen)` for each screen; the browser shows the one that fits.

    `in_column`: the view sits in a lesson's narrow column (laptop and phone versions only).
    On a phone the names are not beside the points: `phone_notes` lists them as text.
    """
    if in_column:
        variants = [("column", Screen.laptop), ("columnphone", Screen.phone)]
    else:
        variants = [(screen.value, screen) for screen in Screen]
    for name, screen in variants:
        with st.container(key=f"vw_{name}_{key}"):
            phone = screen is Screen.phone
            chart(build(screen), key=f"{key}_{name}", phone=phone)
            if phone and phone_notes is not None:
                phone_notes()


def _bullets(sentences: list[str]) -> None:
    for sentence in sentences:
        user_text(f"• {sentence}")


# --- the views --------------------------------------------------------------------------------


def views(current: StakeholderMap, *, where: str) -> None:
    """The influence x position grid, the spectrum of allies and the network, one per tab."""
    _ = translator()
    people = current.stakeholders
    grid_tab, spectrum_tab, network_tab = st.tabs([_(name) for name in VIEW_NAMES])
    with grid_tab:
        figure(
            lambda screen: influence_position_grid(people, screen=screen, tr=_),
            key=f"{where}_grid",
            phone_notes=lambda: by_quadrant(current),
        )
        st.caption(_(GRID_EXPLANATION))
        for quadrant, advice in QUADRANT_ADVICE.items():
            st.markdown(f"**{_(quadrant.label)}.** {_(advice)}")
    with spectrum_tab:
        figure(
            lambda screen: spectrum_of_allies(people, screen=screen, tr=_),
            key=f"{where}_spectrum",
            phone_notes=lambda: by_band(current),
        )
        st.caption(
            _(
                "Each band lists who stands there today, most influential first. An arrow shows "
                "where you want someone to be (set it in the worksheet: Where we want them). "
                "Moving each one band closer is often more realistic than a leap."
            )
        )
    with network_tab:
        figure(
            lambda screen: network(people, current.ties, screen=screen, tr=_),
            key=f"{where}_network",
            phone_notes=lambda: by_tie(current),
        )
        st.caption(
            _(
                "The star is our group. Bigger circles have more influence; colour is where "
                "they stand (blue allies, orange opposition, grey neutral); thicker lines are "
                "stronger ties. Stakeholders with no line to anyone are out of reach."
            )
        )


def _numbered(number: int, name: str) -> str:
    """A name after the number its point carries on a phone's figure: "3. Ana", joined by a
    no-break space, so a line never ends with a number whose name is on the next."""
    return f"{number}.\u00a0{isolate(name)}"


def by_quadrant(current: StakeholderMap) -> None:
    """The grid as lines of text: each quadrant and who is in it, most influential first,
    each name after the number on its point."""
    _ = translator()
    people = reading_order(current.stakeholders)
    numbers = reading_numbers(people)
    for quadrant in Quadrant:
        names = [_numbered(numbers[s.id], s.name) for s in people if grid_quadrant(s) == quadrant]
        if names:
            user_text(f"{_(quadrant.label)}: {', '.join(names)}")


def by_tie(current: StakeholderMap) -> None:
    """The network as lines of text: who each stakeholder is tied to, strong and weak."""
    _ = translator()
    if current.is_empty:
        return
    st.markdown("**" + _("Who is tied to whom") + "**")
    for line in who_is_tied(current.stakeholders, current.ties, translations(), numbered=True):
        user_text(line)


def by_band(current: StakeholderMap) -> None:
    """The spectrum as lines of text: each band, who stands there (most influential first,
    each name after the number on its point) and where we want them."""
    _ = translator()
    people = reading_order(current.stakeholders)
    numbers = reading_numbers(people)
    for band in SpectrumBand:
        here = [s for s in people if s.band == band]
        if not here:
            continue
        names = [
            _numbered(numbers[s.id], s.name)
            + (
                f" (→ {word.band(s.target_band, _, lower=True)})"
                if s.target_band is not None and s.target_band != band
                else ""
            )
            for s in here
        ]
        user_text(f"{word.band(band, _)} ({len(here)}): {', '.join(names)}")


def by_proposal(current: StakeholderMap, portfolio: Portfolio) -> None:
    """The effort chart as lines of text: the proposed, the rest and those that are not our
    battle, each name after the number on its point (most influential first)."""
    _ = translator()
    people = reading_order(current.stakeholders)
    numbers = reading_numbers(people)
    for group, members in effort_groups(people, portfolio.chosen_ids):
        if members:
            names = [_numbered(numbers[s.id], s.name) for s in members]
            user_text(f"{_(group)} ({len(members)}): {', '.join(names)}")


# --- the measures -----------------------------------------------------------------------------


def measures(current: StakeholderMap, *, where: str) -> None:
    """Brokers, single points of failure, bridging and bonding, and diversity of kinds."""
    _ = translator()
    if current.is_empty:
        st.info(
            _(
                "Add stakeholders in the worksheet to see who brokers, which ties you depend on "
                "and whose voices are missing."
            ),
            icon=":material/info:",
        )
        return
    found = measure_map(current.stakeholders, current.ties, translations())
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader(_("Brokers"))
        st.caption(_(BROKER_EXPLANATION))
        if found.brokers:
            _bullets([b.sentence for b in found.brokers[:TOP_BROKERS]])
            if len(found.brokers) > TOP_BROKERS:
                more = len(found.brokers) - TOP_BROKERS
                st.caption(
                    ngettext(
                        "{n} more sits on fewer routes.", "{n} more sit on fewer routes.", more
                    )
                )
        else:
            st.text(_("Nobody sits between others yet: add ties to see who connects whom."))
    with right, st.container(border=True):
        st.subheader(_("Single points of failure"))
        st.caption(_(SINGLE_POINT_EXPLANATION))
        if found.single_points_of_failure:
            _bullets([p.sentence for p in found.single_points_of_failure])
        else:
            st.text(_("No single tie is our only route to anyone."))
        if found.out_of_reach:
            st.caption(_(OUT_OF_REACH_EXPLANATION))
            _bullets([isolate(s.name) for s in found.out_of_reach])
    left, right = st.columns(2, gap="large")
    with left, st.container(border=True):
        st.subheader(_("Bridging and bonding"))
        st.caption(_(BRIDGING_BONDING_EXPLANATION))
        st.text(found.tie_mix.sentence)
    with right, st.container(border=True):
        st.subheader(_("Diverse voices"))
        st.caption(_(DIVERSITY_EXPLANATION))
        st.text(found.diversity.sentence)
    counts = found.diversity.counts
    figure(lambda screen: kinds_of_stakeholder(counts, screen=screen, tr=_), key=f"{where}_kinds")


# --- the trade-off ----------------------------------------------------------------------------


def _save_budget(store: Store, group_id: int, key: str) -> None:
    hours = st.session_state.get(key)
    if hours is None:
        return
    try:
        store.set_energy_budget(group_id=group_id, hours=float(hours))
    except StoreError as error:
        st.session_state[f"map_budget_error_{group_id}"] = str(error)


def energy_budget(store: Store, seat: Seat, current: StakeholderMap, *, where: str) -> None:
    """The group's energy budget, saved as soon as it changes (on this device only)."""
    _ = translator()
    group_id = seat.group.id
    # The stored value is part of the key, so a budget changed on another device shows here
    # on the next run instead of being overwritten by this device's old number.
    key = f"{where}_budget_{group_id}_{current.energy_budget:g}"
    st.number_input(
        _("Our energy budget for relationships (hours a month)"),
        min_value=0.0,
        max_value=MAX_ENERGY_BUDGET,
        value=float(current.energy_budget),
        step=1.0,
        format="%g",
        key=key,
        width=420,
        on_change=_save_budget,
        args=(store, group_id, key),
        help=_("How many hours a month the group can really give to building relationships."),
    )
    problem = st.session_state.pop(f"map_budget_error_{group_id}", None)
    if problem:
        st.error(problem, icon=":material/error:")


def proposal(current: StakeholderMap) -> Portfolio:
    return propose_investments(
        current.stakeholders, current.ties, energy_budget=current.energy_budget, t=translations()
    )


def _free_note(current: StakeholderMap) -> None:
    """Who takes 0 hours a month, named so they are easy to find and set: the proposal counts
    them as free (a file without hours reads as 0; walk-through finding)."""
    free = [s.name for s in current.stakeholders if s.energy_hours == 0 and not s.not_our_battle]
    if not free:
        return
    st.info(
        ngettext(
            "{n} stakeholder takes 0 hours a month, so the proposal counts it as free. If it "
            "takes any of your time, set its hours on its card, in the Worksheet tab:",
            "{n} stakeholders take 0 hours a month, so the proposal counts them as free. If "
            "they take any of your time, set their hours on their cards, in the Worksheet tab:",
            len(free),
        ),
        icon=":material/schedule:",
    )
    user_text(join_names(free, limit=12, t=translations()))


def trade_off(
    store: Store, seat: Seat, current: StakeholderMap, *, where: str, in_column: bool = False
) -> None:
    """The energy budget, the proposed investments with their reasons, and the overrides."""
    _ = translator()
    energy_budget(store, seat, current, where=where)
    if current.is_empty:
        st.info(
            _(
                "Add stakeholders, with the hours each relationship would take, to see where "
                "your energy brings the most influence."
            ),
            icon=":material/info:",
        )
        return
    portfolio = proposal(current)
    st.markdown(f"**{portfolio.sentence}**")
    _free_note(current)
    figure(
        lambda screen: effort_vs_influence(
            current.stakeholders,
            portfolio.chosen_ids,
            gains=portfolio.gains,
            energy_budget=current.energy_budget,
            screen=screen,
            tr=_,
        ),
        key=f"{where}_effort",
        in_column=in_column,
        phone_notes=lambda: by_proposal(current, portfolio),
    )
    picks = sorted((d for d in portfolio.decisions if d.chosen), key=lambda d: -d.gain)
    if picks:
        st.subheader(_("Why these"))
        _bullets([d.sentence for d in picks])
    if portfolio.left_out:  # the count is of everyone left out, and all are named
        with st.expander(_("Why not the others ({n})").format(n=len(portfolio.left_out))):
            _bullets(portfolio.why_not)
    with (
        st.expander(_("How the score works (and how to disagree with it)")),
        st.container(key=f"score_formula_{where}"),
    ):
        st.markdown(_(SCORE_EXPLANATION))
    st.subheader(_("Change the hours, or overrule the proposal"))
    st.caption(
        _(
            'Tick "Must invest" for a relationship you will keep whatever the score, or "Not '
            'our battle" for one you choose to leave; the proposal respects both.'
        )
    )
    map_overrides.overrides(store, seat, portfolio, where=where)


# --- diverse voices ---------------------------------------------------------------------------


def voices(current: StakeholderMap, *, where: str, in_column: bool = False) -> None:
    """Which kinds of stakeholder are on the map and which are missing (diverse voices)."""
    _ = translator()
    diversity = kind_diversity(current.stakeholders, translations())
    figure(
        lambda screen: kinds_of_stakeholder(diversity.counts, screen=screen, tr=_),
        key=f"{where}_voices",
        in_column=in_column,
    )
    st.text(diversity.sentence)
    if diversity.missing:
        st.markdown("**" + _("Missing from our map:") + "**")
        for kind in diversity.missing:
            st.markdown(f"- {word.kind(kind, _)}")
