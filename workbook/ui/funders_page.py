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

import streamlit as st

from workbook.lessons import LessonSet
from workbook.release.view import TOO_FEW, Estimate, FunderView, Selection, load_view
from workbook.store import Store
from workbook.ui import (
    context,
    funder_access,
    funder_tabs,
    funder_words,
    i18n,
    resources,
    style,
)
from workbook.ui.funder_exports import (
    ALL_CAUSES,
    ALL_REGIONS,
    ALL_YEARS,
    Exports,
    period_label,
    release_names,
)
from workbook.ui.text import isolate, user_caption

__all__ = ["Exports", "period_label", "release_names", "render", "statement_labels"]

COMMAND = "python -m workbook.release make"
VENV_COMMAND = ".venv/bin/python -m workbook.release make"


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
    withdrawn: frozenset[tuple[int, str, int]],
    _store: Store,
) -> FunderView:
    del db, release_ids  # cache keys only: a new release (or another file) reads afresh
    return load_view(_store, dict(labels), lifetime_rho, withdrawn)


def current_view(store: Store, lessons: LessonSet) -> FunderView:
    """The latest release of each period, read once for all sessions until a new one, or
    until a quote is withdrawn (its answer hidden, or its writer's consent taken back)."""
    release_ids = tuple(record.id for record in store.release_records())
    withdrawn = store.withdrawn_quotes()
    labels = tuple(sorted(statement_labels(lessons).items()))
    lifetime_rho = resources.settings().privacy_lifetime_rho
    _ = i18n.translator()
    with st.spinner(_("Reading the releases…")):
        return _view(str(store.path), release_ids, labels, lifetime_rho, withdrawn, store)


# --- the guarantee, in words --------------------------------------------------------------------


def _quote_minimum(view: FunderView) -> int:
    found = [
        int(release.record.parameters.get("budget", {}).get("min_groups", 0))
        for release in view.releases
    ]
    return max([*found, resources.settings().min_group_size])


# --- pieces of the screen -----------------------------------------------------------------------


def _no_release() -> None:
    _ = i18n.translator()
    st.info(
        _(
            "There are no figures yet. They appear once whoever runs this server makes a "
            "release, a privacy-protected measurement of each year's workshops: in the app's "
            "folder, `{command}` (with the app's virtual environment, as below)."
        ).format(command=COMMAND),
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
    code = i18n.language()
    if estimate.known:
        shown = estimate.text(style, code)
        column.metric(label, shown, help=help, border=True, height="stretch")
    else:
        column.metric(
            label,
            "—",
            # A count the noise could hide entirely says so, with the margin it fell under.
            delta=funder_words.count_missing(estimate, code)
            if style == "count"
            else i18n.translator()(TOO_FEW),
            delta_color="off",
            delta_arrow="off",
            help=help,
            border=True,
            height="stretch",
        )


def _filters(view: FunderView) -> tuple[Selection, dict[str, str]]:
    _ = i18n.translator()
    code = i18n.language()
    period_col, cause_col, region_col = st.columns(3)
    causes = dict(view.causes)
    regions = dict(view.regions)
    all_causes, all_regions = _(ALL_CAUSES), _(ALL_REGIONS)
    period = period_col.selectbox(
        _("Period"),
        [None, *view.periods],
        format_func=lambda p: _(ALL_YEARS) if p is None else str(p),
        help=_("The year a workshop started: each year has its own release."),
        key="funders_period",
    )
    cause = cause_col.selectbox(
        _("Cause or movement"),
        [None, *causes],
        format_func=lambda c: all_causes if c is None else causes[c],
        key="funders_cause",
    )
    region = region_col.selectbox(
        _("Region"),
        [None, *regions],
        format_func=lambda r: all_regions if r is None else regions[r],
        key="funders_region",
    )
    selection = Selection(period=period, cause=cause, region=region)
    labels = {
        "period": period_label(view, selection, code),
        "cause": all_causes if cause is None else causes.get(cause, cause),
        "region": all_regions if region is None else regions.get(region, region),
    }
    return selection, labels


def _missing_caption(view: FunderView, selection: Selection, labels: dict[str, str]) -> None:
    t = i18n.translations()
    _ = t.gettext
    missing = view.missing_from(selection)
    if not missing:
        return
    chosen = view.periods if selection.period is None else [selection.period]
    nothing = set(chosen) <= set(missing)
    named = []
    for axis, other in (("cause", _("Other causes")), ("region", _("Other regions"))):
        if getattr(selection, axis) is None:
            continue
        alone = Selection(period=selection.period, **{axis: getattr(selection, axis)})
        years = view.missing_from(alone)
        if years:
            named.append(
                t.ngettext(
                    "{name} is not listed on its own in the release of {years} (its groups "
                    "there count under “{other}”)",
                    "{name} is not listed on its own in the releases of {years} (its groups "
                    "there count under “{other}”)",
                    len(years),
                ).format(
                    name=isolate(labels[axis]),
                    years=funder_words.and_list([str(y) for y in years], i18n.language()),
                    other=other,
                )
            )
    ending = (
        _(
            ": too few of their groups took part for a release to name them, so those groups "
            "are not in the figures below, and there are no figures for this choice: try "
            "another year, cause or region."
        )
        if nothing
        else _(
            ": too few of their groups took part for a release to name them, so those groups "
            "are not in the figures below."
        )
    )
    # Causes and regions were typed by people: a plain-text line, never Markdown.
    user_caption("; ".join(named) + ending)


def _releases_caption(view: FunderView, selection: Selection) -> str:
    _ = i18n.translator()
    names = release_names(view, selection, i18n.language())
    if not names:
        return _("No release holds figures for this choice.")
    return _(
        "Figures from {releases}. Each year shows its latest release; a new one appears here "
        "on the next visit."
    ).format(releases="; ".join(names))


def _sign_out() -> None:
    _ = i18n.translator()
    if st.button(_("Sign out"), key="funders_sign_out", icon=":material/logout:"):
        funder_access.sign_out()
        st.rerun()


# --- the screen -----------------------------------------------------------------------------


def render() -> None:
    """The whole funder screen: sign-in, then the figures of the releases. A funder is in no
    workshop: the page starts in English, and the language choice the phones use (kept in
    the address, `?lang=da`) switches it."""
    style.wide_page()
    ctx = context.load()
    i18n.use_workshop_language(None)
    _ = i18n.translator()
    code = i18n.language()
    st.title(_("For funders"))
    i18n.picker()
    if not funder_access.require_funder(ctx.store):
        return
    lessons = resources.lessons(language=code)
    view = current_view(ctx.store, lessons)
    if view.empty:
        _no_release()
        _sign_out()
        return
    quote_minimum = _quote_minimum(view)
    st.markdown(funder_words.summary_text(view.guarantee, quote_minimum, code=code))
    with st.expander(_("How these figures protect each group"), icon=":material/shield:"):
        st.markdown(funder_words.guarantee_text(view.guarantee, quote_minimum, code=code))

    selection, labels = _filters(view)
    with st.container():  # always there, so what follows keeps its place (and its open tab)
        _missing_caption(view, selection, labels)
        if selection.filters >= 2 and view.years_in(selection):
            st.info(
                funder_words.two_filters_note(
                    view.needed_here(selection), view.headline(selection)["Groups"], code
                ),
                icon=":material/filter_alt:",
            )
    exports = Exports(view, selection, labels, code)
    headline = view.headline(selection)
    for column, (label, estimate) in zip(st.columns(4), headline.items(), strict=True):
        _metric(column, _(label), estimate)
    st.caption(funder_words.headline_caption(headline, code))

    # Short names, so all four fit across a phone; each tab's headings say the rest.
    ratings_tab, change_tab, maps_tab, words_tab = st.tabs(
        [_("Ratings"), _("Change"), _("Maps"), _("In their words")], key="funders_tab"
    )
    with ratings_tab:
        funder_tabs.ratings_tab(view, selection, lessons, exports)
    with change_tab:
        funder_tabs.change_tab(view, selection, exports)
    with maps_tab:
        funder_tabs.maps_tab(view, selection, exports, _metric)
    with words_tab:
        funder_tabs.words_tab(view, selection, lessons, exports)

    st.divider()
    st.text(
        _("Showing: {period}; {cause}; {region}").format(
            period=labels["period"], cause=labels["cause"], region=labels["region"]
        )
    )
    st.caption(_releases_caption(view, selection))
    _sign_out()
