"""The worksheets' columns: headers, help and choices in this session's language, while the
cells keep the stored values (a kind's English name, a band's id), so a map reads the same in
any language and its files re-import anywhere."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import streamlit as st

from workbook.models import (
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    MAX_ENERGY_HOURS,
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    STAKEHOLDER_KINDS,
    SpectrumBand,
    TieStrength,
)
from workbook.stakeholders import words as word
from workbook.ui.i18n import translator

_BAND_VALUES: Final = [band.value for band in SpectrumBand]
_TIE_VALUES: Final = [tie.value for tie in TieStrength]


def hours_column(default: float | None = None) -> Any:
    _ = translator()
    return st.column_config.NumberColumn(
        _("Hours a month"),
        step=0.25,
        default=default,
        help=_("The energy this relationship would take: 0 to {hours} hours a month.").format(
            hours=MAX_ENERGY_HOURS
        ),
    )


def stakeholder_columns(new_row: Mapping[str, Any]) -> dict[str, Any]:
    """The worksheet's columns: their headers, help and choices in this session's language
    (the cells keep the stored values: a kind's English name, a band's id)."""
    _ = translator()

    def band_label(value: object) -> str:
        return word.band(str(value), _)

    band_help = _("The spectrum of allies: from active opposition to active ally.")
    return {
        "id": st.column_config.NumberColumn(
            "#",
            disabled=True,
            format="%d",
            width=50,
            help=_("Set by the app when you save: tells apart stakeholders with the same name."),
        ),
        "name": st.column_config.TextColumn(
            _("Name"),
            help=_("Who they are, up to {n} characters.").format(n=MAX_NAME_CHARS),
        ),
        "kind": st.column_config.SelectboxColumn(
            _("Kind"),
            width=250,  # the longest kind in full, in Danish too
            options=list(STAKEHOLDER_KINDS),
            format_func=lambda value: word.kind(str(value), _),
        ),
        "influence": st.column_config.NumberColumn(
            _("Influence {low}-{high}").format(low=INFLUENCE_MIN, high=INFLUENCE_MAX),
            step=1,
            default=new_row["influence"],
            help=_(
                "How much they can move the outcome: {low} a little, {high} a great deal."
            ).format(low=INFLUENCE_MIN, high=INFLUENCE_MAX),
        ),
        "band": st.column_config.SelectboxColumn(
            _("Where they stand"),
            options=_BAND_VALUES,
            format_func=band_label,
            default=new_row["band"],
            help=band_help,
        ),
        "target_band": st.column_config.SelectboxColumn(
            _("Where we want them"),
            options=_BAND_VALUES,
            format_func=band_label,
            help=_("Optional: the band you aim to move them to."),
        ),
        "tie": st.column_config.SelectboxColumn(
            _("Our tie"),
            options=_TIE_VALUES,
            format_func=lambda value: word.tie(str(value), _, lower=True),
            default=new_row["tie"],
            help=_("Our group's own relationship with them today."),
        ),
        "energy_hours": hours_column(default=new_row["energy_hours"]),
        "note": st.column_config.TextColumn(
            _("Note"),
            width="medium",
            help=_("Anything to remember, up to {n} characters.").format(n=MAX_NOTE_CHARS),
        ),
        "not_our_battle": st.column_config.CheckboxColumn(
            _("Not our battle"),
            default=new_row["not_our_battle"],
            help=_("Never propose investing here."),
        ),
        "must_invest": st.column_config.CheckboxColumn(
            _("Must invest"),
            default=new_row["must_invest"],
            help=_("Always include in the proposal."),
        ),
    }
