"""What the funder page's downloads and footer say about the figures: the period chosen (with
the years it covers), the releases behind them, and the filter columns and "About" note every
download shares. Words and dates in the reader's language (`code`)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from workbook import i18n
from workbook.i18n import N_
from workbook.release import tables
from workbook.release.view import FunderView, Selection
from workbook.ui import funder_words

ALL_YEARS = N_("All years")
ALL_CAUSES = N_("All causes")
ALL_REGIONS = N_("All regions")


def _when(made_at: datetime, code: str) -> str:
    """A release's time (UTC): ISO in English, as before ("2026-12-04 23:05", sortable in
    files), and as the language writes it otherwise (Babel: "04.12.2026 23.05" in Danish)."""
    if i18n.supported(code) == i18n.DEFAULT:
        return f"{made_at:%Y-%m-%d %H:%M}"
    return i18n.format_datetime(made_at, code)


def period_label(view: FunderView, selection: Selection, code: str = i18n.DEFAULT) -> str:
    """The period as every label and export names it: with all years chosen, the years whose
    figures are in it (a year whose release does not list the chosen cause or region adds
    nothing, and is named as left out)."""
    _ = i18n.gettext_for(code)
    if selection.period is not None:
        return str(selection.period)
    covered = view.years_in(selection)
    if not covered:
        return _("{all_years}: none lists this cause or region on its own").format(
            all_years=_(ALL_YEARS)
        )
    left_out = [year for year in view.periods if year not in covered]
    years = ", ".join(str(year) for year in covered)
    if not left_out:
        return f"{_(ALL_YEARS)} ({years})"
    missing = ", ".join(str(year) for year in left_out)
    return _("{years} ({missing} left out: not listed on its own there)").format(
        years=years, missing=missing
    )


def release_names(
    view: FunderView, selection: Selection | None = None, code: str = i18n.DEFAULT
) -> list[str]:
    """Each release behind the figures, by number, year and when it was made (UTC)."""
    _ = i18n.gettext_for(code)
    chosen = view.periods if selection is None else view.years_in(selection)
    names = []
    for release in sorted(view.releases, key=lambda r: r.record.period):
        record = release.record
        if record.period not in chosen:
            continue
        name = _("release {id} of {period}, made {when} UTC").format(
            id=record.id, period=record.period, when=_when(record.made_at, code)
        )
        earlier = view.replaced.get(record.period)
        if earlier is not None:
            name += " " + _(
                "(replaces release {id} of {period}, made {when} UTC; figures differ from it "
                "by their noise and by the groups that joined since)"
            ).format(id=earlier.id, period=earlier.period, when=_when(earlier.made_at, code))
        names.append(name)
    return names


class Exports:
    """What every download of this run shares: the filter columns and the "About" note."""

    def __init__(
        self,
        view: FunderView,
        selection: Selection,
        labels: dict[str, str],
        code: str = i18n.DEFAULT,
    ) -> None:
        _ = i18n.gettext_for(code)
        self.code = code
        self.labels = labels
        self.selection = selection
        self.measured = bool(view.years_in(selection))  # some release holds figures for it
        self.period = labels["period"]
        showing = f"{labels['period']}; {labels['cause']}; {labels['region']}"
        self.note = tables.export_note(
            view.guarantee, showing, release_names(view, selection, code), code
        )
        self.all_causes, self.all_regions = _(ALL_CAUSES), _(ALL_REGIONS)

    def stem(self, base: str, *, every_place: bool = False) -> str:
        """The download's file name without extension: the chart's, then the filters."""
        chosen = self.selection
        return funder_words.file_stem(
            base,
            {
                "period": None if chosen.period is None else str(chosen.period),
                "cause": None if every_place or chosen.cause is None else self.labels["cause"],
                "region": None if every_place or chosen.region is None else self.labels["region"],
            },
        )

    def unless_known(self, known: bool, missing: str) -> str | None:
        """None when some figure of a chart is known; else the sentence shown instead."""
        if known:
            return None
        if not self.measured:
            not_measured = i18n.gettext_for(self.code)(funder_words.NOT_MEASURED)
            return f"{missing}: {not_measured}"
        return funder_words.nothing_to_say(missing, self.selection, self.code)

    def rows(
        self, frame: pd.DataFrame, *, finding: str | None = None, every_place: bool = False
    ) -> pd.DataFrame:
        """The frame with the filters (and the key finding it is about) in front; with
        `every_place`, figures not measured per cause or region say they cover all of them."""
        if finding is not None:
            frame = frame.copy()
            _ = i18n.gettext_for(self.code)
            frame.insert(0, _("Key finding"), finding)
        return tables.with_filters(
            frame,
            period=self.period,
            cause=self.all_causes if every_place else self.labels["cause"],
            region=self.all_regions if every_place else self.labels["region"],
            code=self.code,
        )
