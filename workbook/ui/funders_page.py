"""The "For funders" screen: what many groups said, as published in the differentially private
releases (workbook.release), never read from the raw tables.

Behind the funder key (workbook.ui.funder_access). The releases are read once per page run
through a cache keyed by the ids of the releases made so far, so a new release shows on the
next run and nothing else is read. Everything on screen is arithmetic on them
(workbook.release.view); every figure carries its 90% margin, and one whose margin is too
wide says "too few groups to say". Causes and regions were typed by people: they appear only
as option labels, table cells and plain text, never in Markdown or chart markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import streamlit as st

from workbook.charts import funders as charts
from workbook.charts.funders import Bar
from workbook.lessons import LessonSet
from workbook.models import KeyFinding
from workbook.release import tables
from workbook.release.view import (
    TOO_FEW,
    Estimate,
    FunderView,
    Rating,
    Selection,
    load_view,
)
from workbook.store import Store
from workbook.ui import context, funder_access, funder_words, resources, style
from workbook.ui.author_text import literal
from workbook.ui.text import isolate, user_caption, user_text

COMMAND = "python -m workbook.release make"
VENV_COMMAND = ".venv/bin/python -m workbook.release make"
ALL_YEARS = "All years"
ALL_CAUSES = "All causes"
ALL_REGIONS = "All regions"


# --- the releases, read once per run -----------------------------------------------------------


def statement_labels(lessons: LessonSet) -> dict[str, str]:
    """Each statement key, "lesson_id/statement_id", mapped to its text."""
    return {
        f"{lesson.id}/{statement.id}": statement.text
        for lesson in lessons.lessons
        for statement in lesson.ratings
    }


@st.cache_resource(show_spinner=False, max_entries=4)
def _view(
    db: str,
    release_ids: tuple[int, ...],
    labels: tuple[tuple[str, str], ...],
    lifetime_rho: float,
    _store: Store,
) -> FunderView:
    del db, release_ids  # cache keys only: a new release (or another file) reads afresh
    return load_view(_store, dict(labels), lifetime_rho)


def current_view(store: Store, lessons: LessonSet) -> FunderView:
    """The latest release of each period, read once for all sessions until a new one."""
    release_ids = tuple(record.id for record in store.release_records())
    labels = tuple(sorted(statement_labels(lessons).items()))
    lifetime_rho = resources.settings().privacy_lifetime_rho
    with st.spinner("Reading the releases…"):
        return _view(str(store.path), release_ids, labels, lifetime_rho, store)


# --- the guarantee, in words --------------------------------------------------------------------


def _quote_minimum(view: FunderView) -> int:
    found = [
        int(release.record.parameters.get("budget", {}).get("min_groups", 0))
        for release in view.releases
    ]
    return max([*found, resources.settings().min_group_size])


# --- pieces of the screen -----------------------------------------------------------------------


def _no_release() -> None:
    st.info(
        "There are no figures yet. They appear once whoever runs this server makes a release, "
        "a privacy-protected measurement of each year's workshops: in the app's folder, "
        f"`{COMMAND}` (with the app's virtual environment, as below).",
        icon=":material/hourglass_empty:",
    )
    st.code(VENV_COMMAND, language="bash")


def _metric(
    column: st.delta_generator.DeltaGenerator,
    label: str,
    estimate: Estimate,
    style: str = "count",
    help: str | None = None,
) -> None:
    if estimate.known:
        column.metric(label, estimate.text(style), help=help, border=True, height="stretch")
    else:
        column.metric(
            label,
            "—",
            # A count the noise could hide entirely says so, with the margin it fell under.
            delta=funder_words.count_missing(estimate) if style == "count" else TOO_FEW,
            delta_color="off",
            delta_arrow="off",
            help=help,
            border=True,
            height="stretch",
        )


def _filters(view: FunderView) -> tuple[Selection, dict[str, str]]:
    period_col, cause_col, region_col = st.columns(3)
    causes = dict(view.causes)
    regions = dict(view.regions)
    period = period_col.selectbox(
        "Period",
        [None, *view.periods],
        format_func=lambda p: ALL_YEARS if p is None else str(p),
        help="The year a workshop started: each year has its own release.",
        key="funders_period",
    )
    cause = cause_col.selectbox(
        "Cause or movement",
        [None, *causes],
        format_func=lambda c: ALL_CAUSES if c is None else causes[c],
        key="funders_cause",
    )
    region = region_col.selectbox(
        "Region",
        [None, *regions],
        format_func=lambda r: ALL_REGIONS if r is None else regions[r],
        key="funders_region",
    )
    selection = Selection(period=period, cause=cause, region=region)
    labels = {
        "period": period_label(view, selection),
        "cause": ALL_CAUSES if cause is None else causes.get(cause, cause),
        "region": ALL_REGIONS if region is None else regions.get(region, region),
    }
    return selection, labels


def period_label(view: FunderView, selection: Selection) -> str:
    """The period as every label and export names it: with all years chosen, the years whose
    figures are in it (a year whose release does not list the chosen cause or region adds
    nothing, and is named as left out)."""
    if selection.period is not None:
        return str(selection.period)
    covered = view.years_in(selection)
    if not covered:
        return f"{ALL_YEARS}: none lists this cause or region on its own"
    left_out = [year for year in view.periods if year not in covered]
    years = ", ".join(str(year) for year in covered)
    if not left_out:
        return f"{ALL_YEARS} ({years})"
    missing = ", ".join(str(year) for year in left_out)
    return f"{years} ({missing} left out: not listed on its own there)"


def _missing_caption(view: FunderView, selection: Selection, labels: dict[str, str]) -> None:
    missing = view.missing_from(selection)
    if not missing:
        return
    chosen = view.periods if selection.period is None else [selection.period]
    nothing = set(chosen) <= set(missing)
    named = []
    for axis, other in (("cause", "Other causes"), ("region", "Other regions")):
        if getattr(selection, axis) is None:
            continue
        alone = Selection(period=selection.period, **{axis: getattr(selection, axis)})
        years = view.missing_from(alone)
        if years:
            release = "release" if len(years) == 1 else "releases"
            named.append(
                f"{isolate(labels[axis])} is not listed on its own in the {release} of "
                f"{_and(str(year) for year in years)} (its groups there count under "
                f"“{other}”)"
            )
    # Causes and regions were typed by people: a plain-text line, never Markdown.
    user_caption(
        "; ".join(named) + ": too few of their groups took part for a release to name them, "
        "so those groups are not in the figures below"
        + (
            ", and there are no figures for this choice: try another year, cause or region."
            if nothing
            else "."
        )
    )


def _and(items: Iterable[str]) -> str:
    """'2024', '2024 and 2025', '2023, 2024 and 2025'."""
    listed = list(items)
    return " and ".join([", ".join(listed[:-1]), listed[-1]] if len(listed) > 1 else listed)


def _rating_bars(ratings: Sequence[Rating]) -> list[Bar]:
    return [
        Bar(r.label, r.mean.value, r.mean.margin, groups=(r.groups.value, r.groups.margin))
        for r in ratings
    ]


class Exports:
    """What every download of this run shares: the filter columns and the "About" note."""

    def __init__(self, view: FunderView, selection: Selection, labels: dict[str, str]) -> None:
        self.labels = labels
        self.selection = selection
        self.measured = bool(view.years_in(selection))  # some release holds figures for it
        self.period = labels["period"]
        showing = f"{labels['period']}; {labels['cause']}; {labels['region']}"
        self.note = tables.export_note(view.guarantee, showing, release_names(view, selection))

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
            return f"{missing}: {funder_words.NOT_MEASURED}"
        return funder_words.nothing_to_say(missing, self.selection)

    def rows(
        self, frame: pd.DataFrame, *, finding: str | None = None, every_place: bool = False
    ) -> pd.DataFrame:
        """The frame with the filters (and the key finding it is about) in front; with
        `every_place`, figures not measured per cause or region say they cover all of them."""
        if finding is not None:
            frame = frame.copy()
            frame.insert(0, "Key finding", finding)
        return tables.with_filters(
            frame,
            period=self.period,
            cause=ALL_CAUSES if every_place else self.labels["cause"],
            region=ALL_REGIONS if every_place else self.labels["region"],
        )


def _ratings_tab(
    view: FunderView, selection: Selection, lessons: LessonSet, exports: Exports
) -> None:
    st.caption(
        "Each group counts once per rating statement: its members' mean at the first look, "
        "rounded to a whole number (follow-ups are in the next tab). A key finding pools the "
        "group ratings of its statements. Dots are means; the line through each is its 90% "
        "margin."
    )
    findings = view.finding_ratings(selection)
    if not findings:
        st.info("The releases hold no ratings yet.")
        return
    titles = {lesson.id: lesson.title for lesson in lessons.lessons}
    funder_access.chart_with_table(
        "Key findings: how groups rate themselves",
        charts.means_chart(_rating_bars(findings)),
        tables.rating_frame(findings),
        exports.rows(tables.rating_frame(findings)),
        name="key-findings",
        stem=exports.stem("key-findings"),
        note=exports.note,
        key="funders_findings",
        nothing=exports.unless_known(
            any(r.mean.known for r in findings), "No key finding has a mean to show yet"
        ),
    )
    finding: KeyFinding = st.selectbox(
        "Rating statements of the key finding",
        [r.finding for r in findings],
        format_func=lambda f: f.label,
        key="funders_finding",
    )
    statements = view.statement_ratings(selection, finding)
    shown = funder_access.chart_with_table(
        f"Statements: {finding.label}",
        charts.means_chart(_rating_bars(statements), groups_word="groups"),
        tables.rating_frame(statements, titles),
        exports.rows(tables.rating_frame(view.statement_ratings(selection), titles)),
        name="rating-statements",
        stem=exports.stem("rating-statements"),
        note=exports.note,
        key="funders_statements",
        nothing=exports.unless_known(
            any(r.mean.known for r in statements),
            "No statement of this key finding has a mean to show yet",
        ),
    )
    if shown:
        st.caption("The download holds every statement of every key finding.")
    rating = next(r for r in findings if r.finding == finding)
    funder_access.chart_with_table(
        f"How groups rated: {finding.label}",
        charts.distribution_chart(
            [None if b.value is None else b.value * 100 for b in rating.bars],
            [b.margin * 100 for b in rating.bars],
        ),
        tables.distribution_frame(rating),
        exports.rows(tables.distribution_frame(rating), finding=finding.label),
        name="rating-distribution",
        stem=exports.stem("rating-distribution"),
        note=exports.note,
        key="funders_distribution",
        nothing=exports.unless_known(
            any(b.known for b in rating.bars), "How groups spread over the ratings is not known yet"
        ),
    )


def _change_tab(view: FunderView, selection: Selection, exports: Exports) -> None:
    st.caption(
        "Only groups that rated themselves at the first look and again at a follow-up (their "
        "latest): the change is follow-up minus first look, on the 1-5 scale. Bars to the "
        "right are rises; the line across each bar is its 90% margin."
    )
    changes = view.changes(selection)
    funder_access.chart_with_table(
        "Change since the first look, per key finding",
        charts.change_chart(
            [
                Bar(
                    c.finding.label,
                    c.change.value,
                    c.change.margin,
                    groups=(c.groups.value, c.groups.margin),
                )
                for c in changes
            ]
        ),
        tables.change_frame(changes),
        exports.rows(tables.change_frame(changes)),
        name="change-since-first-look",
        stem=exports.stem("change-since-first-look"),
        note=exports.note,
        key="funders_change",
        nothing=exports.unless_known(
            any(c.change.known for c in changes),
            "No key finding's change since the first look can be told yet",
        ),
    )


def _maps_tab(view: FunderView, selection: Selection, exports: Exports) -> None:
    st.subheader("Stakeholder maps")
    maps = view.maps(selection)
    maps_col, spof_col, ties_col = st.columns(3)
    _metric(maps_col, "Stakeholder maps", maps.maps)
    _metric(
        spof_col,
        "Maps with a single point of failure",
        maps.single_point,
        "share",
        help="A tie that, if it broke, would cut the group off from part of its map.",
    )
    _metric(
        ties_col,
        "Average share of strong ties",
        maps.strong_share,
        "share",
        help="Per map: strong ties out of all its ties; averaged over maps with any tie.",
    )
    shown = funder_access.chart_with_table(
        "Which kinds of stakeholder the maps include",
        charts.shares_chart(
            [
                Bar(kind, None if share.value is None else share.value * 100, share.margin * 100)
                for kind, share in tables.kinds_in_order(maps)
            ],
            axis_title="Share of maps that include it",
        ),
        tables.kinds_frame(maps),
        exports.rows(tables.kinds_frame(maps)),
        name="stakeholder-kinds",
        stem=exports.stem("stakeholder-kinds"),
        note=exports.note,
        key="funders_kinds",
        nothing=exports.unless_known(
            any(share.known for _, share in maps.kinds),
            "Which kinds of stakeholder the maps include cannot be told yet",
        ),
    )
    if shown:
        st.caption("The kinds groups most often lack come first.")


def _words_tab(
    view: FunderView, selection: Selection, lessons: LessonSet, exports: Exports
) -> None:
    with_prompts = [lesson for lesson in lessons.lessons if lesson.prompts]
    if not with_prompts:
        st.info("No lesson has written prompts.")
        return
    titles = {lesson.id: lesson.title for lesson in with_prompts}
    lesson_id = st.selectbox(
        "Lesson", list(titles), format_func=titles.__getitem__, key="funders_lesson"
    )
    years = "all years" if selection.period is None else str(selection.period)
    phrases = view.phrases(selection, lesson_id)
    if phrases:
        funder_access.chart_with_table(
            f"Most used phrases: {literal(titles[lesson_id])}",
            charts.counts_chart(
                [Bar(p, e.value, e.margin) for p, e in phrases], axis_title="Groups using it"
            ),
            tables.phrase_frame(phrases),
            exports.rows(tables.phrase_frame(phrases), every_place=True),
            name="phrases",
            stem=exports.stem("phrases", every_place=True),
            note=exports.note,
            key="funders_phrases",
        )
    else:
        st.info("No phrase of this lesson was used by enough groups to be released.")
    st.caption(
        f"Phrases are counted over all causes and regions of {years}: they are not measured "
        "per cause or region, so those two filters do not change them. Only answers from "
        "people who ticked “you may quote me anonymously” count, and a phrase is listed only "
        "when a noisy count of the groups using it clears a threshold."
    )
    st.subheader("In their words")
    quotes = view.quotes(selection, lesson_id)
    if quotes is None:
        st.info("Quotes are shown for all workshops or one filter at a time.")
    elif not quotes:
        st.caption("No quotes in this selection.")
    else:
        for quote in _distinct(quotes):
            with st.container(border=True):
                user_text(quote)
        st.caption(
            "A fixed sample drawn when the release was made, one answer per group at most, "
            "from people who agreed to be quoted; names are replaced by [name]."
        )


def _distinct(quotes: Sequence[str]) -> list[str]:
    """The sample's quotes in order, each wording once (groups often write the same line)."""
    seen: set[str] = set()
    out = []
    for quote in quotes:
        if quote.casefold() not in seen:
            seen.add(quote.casefold())
            out.append(quote)
    return out


def release_names(view: FunderView, selection: Selection | None = None) -> list[str]:
    """Each release behind the figures, by number, year and when it was made (UTC)."""
    chosen = view.periods if selection is None else view.years_in(selection)
    names = []
    for release in sorted(view.releases, key=lambda r: r.record.period):
        record = release.record
        if record.period not in chosen:
            continue
        name = f"release {record.id} of {record.period}, made {record.made_at:%Y-%m-%d %H:%M} UTC"
        earlier = view.replaced.get(record.period)
        if earlier is not None:
            name += (
                f" (replaces release {earlier.id} of {earlier.period}, made "
                f"{earlier.made_at:%Y-%m-%d %H:%M} UTC; figures differ from it by their noise)"
            )
        names.append(name)
    return names


def _releases_caption(view: FunderView, selection: Selection) -> str:
    names = release_names(view, selection)
    if not names:
        return "No release holds figures for this choice."
    return (
        "Figures from " + "; ".join(names) + ". Each year shows its latest release; a new "
        "one appears here on the next visit."
    )


def _sign_out() -> None:
    if st.button("Sign out", key="funders_sign_out", icon=":material/logout:"):
        funder_access.sign_out()
        st.rerun()


# --- the screen -----------------------------------------------------------------------------


def render() -> None:
    """The whole funder screen: sign-in, then the figures of the releases."""
    style.wide_page()
    ctx = context.load()
    st.title("For funders")
    if not funder_access.require_funder(ctx.store):
        return
    view = current_view(ctx.store, ctx.all_lessons)
    if view.empty:
        _no_release()
        _sign_out()
        return
    quote_minimum = _quote_minimum(view)
    st.markdown(funder_words.summary_text(view.guarantee, quote_minimum))
    with st.expander("How these figures protect each group", icon=":material/shield:"):
        st.markdown(funder_words.guarantee_text(view.guarantee, quote_minimum))

    selection, labels = _filters(view)
    with st.container():  # always there, so what follows keeps its place (and its open tab)
        _missing_caption(view, selection, labels)
        if selection.filters >= 2 and view.years_in(selection):
            st.info(
                funder_words.two_filters_note(
                    view.needed_here(selection), view.headline(selection)["Groups"]
                ),
                icon=":material/filter_alt:",
            )
    exports = Exports(view, selection, labels)
    headline = view.headline(selection)
    for column, (label, estimate) in zip(st.columns(4), headline.items(), strict=True):
        _metric(column, label, estimate)
    st.caption(funder_words.headline_caption(headline))

    # Short names, so all four fit across a phone; each tab's headings say the rest.
    ratings_tab, change_tab, maps_tab, words_tab = st.tabs(
        ["Ratings", "Change", "Maps", "In their words"], key="funders_tab"
    )
    with ratings_tab:
        _ratings_tab(view, selection, ctx.all_lessons, exports)
    with change_tab:
        _change_tab(view, selection, exports)
    with maps_tab:
        _maps_tab(view, selection, exports)
    with words_tab:
        _words_tab(view, selection, ctx.all_lessons, exports)

    st.divider()
    st.text(f"Showing: {labels['period']}; {labels['cause']}; {labels['region']}")
    st.caption(_releases_caption(view, selection))
    _sign_out()
