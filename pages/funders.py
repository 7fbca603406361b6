"""For funders: what many groups said, in aggregate, without exposing anyone. Behind the
deployment's funder key; only workshops that chose to share; small figures suppressed."""

import streamlit as st

from workbook import aggregate
from workbook.charts import funders as charts
from workbook.ui import context, funder_access
from workbook.ui.text import user_text

funder_access.wide_page()
ctx = context.load()
st.title("For funders")
if not funder_access.require_funder():
    st.stop()

k = funder_access.min_group_size()
figures = funder_access.figures(ctx.store, ctx.lessons, k)
dims = figures.dims
hidden_words = aggregate.suppressed_text(k)
st.markdown(
    "What groups said across the workshops whose facilitators chose to share with funders. "
    f"Every figure comes from at least {k} groups; a smaller one reads “{hidden_words}”, "
    "and so does any figure that would let a smaller one be worked out by subtraction. "
    "Quotes come only from people who agreed to be quoted, without names."
)

# --- filters ---
cause_col, region_col, year_col = st.columns(3)
cause = cause_col.selectbox(
    "Cause or movement",
    [None, *range(len(dims.cause.labels))],
    format_func=lambda i: "All causes" if i is None else dims.cause.labels[i],
    key="funders_cause",
)
region = region_col.selectbox(
    "Region",
    [None, *range(len(dims.region.labels))],
    format_func=lambda i: "All regions" if i is None else dims.region.labels[i],
    key="funders_region",
)
year = year_col.selectbox(
    "Year the workshop started",
    [None, *range(len(dims.year.labels))],
    format_func=lambda i: "All years" if i is None else dims.year.labels[i],
    key="funders_year",
)
selection = aggregate.Selection(cause, region, year)
cell = selection.cell(dims)
showing = selection.describe(dims)
note = aggregate.export_note(k, showing)

# --- headline numbers ---
headline = figures.headline.at(cell)
for column, label, figure in zip(
    st.columns(4),
    ("Workshops", "Groups", "Participants", "Answers"),
    (headline.workshops, headline.groups, headline.participants, headline.answers),
    strict=True,
):
    column.metric(label, figure.text(k), border=True)

ratings_tab, change_tab, maps_tab, words_tab = st.tabs(
    ["Ratings", "Change since the first look", "Stakeholder maps", "What groups said"]
)
rating_rows = figures.ratings.rows(cell)
finding_rows = [row for row in rating_rows if row.measure.is_finding]
statement_rows = [row for row in rating_rows if not row.measure.is_finding]

with ratings_tab:
    st.caption(
        "Each group counts once: its members' mean rating, rounded to a whole number. "
        "First look only; follow-ups are in the next tab. The bars are shown for all "
        "workshops or by one filter at a time; counts and means under any filters."
    )
    funder_access.chart_with_table(
        "Key findings: how groups rate themselves",
        charts.distribution_chart(finding_rows, k),
        aggregate.rating_frame(finding_rows, k),
        aggregate.with_filters(
            aggregate.rating_frame(finding_rows, k, export=True), selection, dims
        ),
        name="key-findings",
        note=note,
        key="funders_findings",
    )
    finding = st.selectbox(
        "Rating statements of the key finding",
        [row.measure.finding for row in finding_rows],
        format_func=lambda f: f.label,
        key="funders_statements_finding",
    )
    chosen = [row for row in statement_rows if row.measure.finding == finding]
    funder_access.chart_with_table(
        f"Statements: {finding.label}",
        charts.distribution_chart(chosen, k),
        aggregate.rating_frame(chosen, k),
        aggregate.with_filters(
            aggregate.rating_frame(statement_rows, k, export=True), selection, dims
        ),
        name="rating-statements",
        note=note,
        key="funders_statements",
    )
    st.caption("The download holds every statement of every key finding.")

with change_tab:
    change_rows = figures.change.rows(cell)
    finding_changes = [row for row in change_rows if row.measure.is_finding]
    st.caption(
        "Only groups that rated themselves at the first look and again at a follow-up; "
        "the follow-up is their latest."
    )
    funder_access.chart_with_table(
        "Key findings: first look and follow-up",
        charts.change_chart(finding_changes, k),
        aggregate.change_frame(finding_changes, k),
        aggregate.with_filters(
            aggregate.change_frame(change_rows, k, export=True), selection, dims
        ),
        name="change-since-first-look",
        note=note,
        key="funders_change",
    )
    with st.expander("Every rating statement", icon=":material/list:"):
        st.dataframe(
            aggregate.change_frame([r for r in change_rows if not r.measure.is_finding], k),
            hide_index=True,
            width="stretch",
            key="funders_change_statements",
        )

with maps_tab:
    maps = figures.maps.at(cell)
    maps_col, spof_col, ties_col = st.columns(3)
    maps_col.metric("Stakeholder maps", maps.maps.text(k), border=True)
    spof = maps.single_point_of_failure
    spof_col.metric(
        "Maps with a single point of failure",
        maps.maps_with_single_point.text(k)
        + ("" if spof.suppressed or spof.value is None else f" ({spof.value:.0%})"),
        help="A tie that, if it broke, would cut the group off from part of its map.",
        border=True,
    )
    ties_col.metric(
        "Average share of strong ties",
        maps.strong_tie_share.text(k, "{:.0%}"),
        help="Per map: strong ties out of all its ties; averaged over maps with any tie.",
        border=True,
    )
    funder_access.chart_with_table(
        "Which kinds of stakeholder the maps include",
        charts.kinds_chart(maps, k),
        aggregate.kind_frame(maps, k),
        aggregate.with_filters(aggregate.kind_frame(maps, k, export=True), selection, dims),
        name="stakeholder-kinds",
        note=note,
        key="funders_kinds",
    )
    st.caption("The kinds groups most often lack come first.")

with words_tab:
    lessons_with_prompts = [lesson for lesson in ctx.lessons.lessons if lesson.prompts]
    if not lessons_with_prompts:
        st.info("No lesson has written prompts.")
    else:
        titles = {lesson.id: lesson.title for lesson in lessons_with_prompts}
        lesson_id = st.selectbox(
            "Lesson", list(titles), format_func=titles.__getitem__, key="funders_lesson"
        )
        lesson = ctx.lessons.by_id(lesson_id) or lessons_with_prompts[0]
        themes = funder_access.themes(ctx.store, figures, lesson.id)
        phrases = themes.phrases_at(cell)
        st.caption(
            "Only answers from people who ticked “you may quote me anonymously”. A phrase is "
            f"listed when at least {k} groups used it."
        )
        if phrases:
            funder_access.chart_with_table(
                f"Most used phrases: {lesson.title}",
                charts.phrases_chart(phrases),
                aggregate.phrase_frame(phrases, k),
                aggregate.with_filters(
                    aggregate.phrase_frame(phrases, k, export=True), selection, dims
                ),
                name="phrases",
                note=note,
                key="funders_phrases",
            )
        elif not aggregate.one_filter_at_most(cell, dims):
            st.info("Phrases are shown for all workshops or by one filter at a time.")
        else:
            st.info(f"No phrase was used by at least {k} groups here yet.")
        st.subheader("In their words")
        quotes = funder_access.quotes(ctx.store, figures, themes, selection)
        if not quotes:
            st.caption(
                f"No quotes: fewer than {k} groups gave consented answers to this lesson here."
            )
        for quote in quotes:
            with st.container(border=True):
                user_text(quote.text)
        if quotes:
            st.caption(
                "Picked at random among consented answers, one per group at most; names the "
                "app knows of (groups, workshops, people) are replaced by [name]."
            )

st.divider()
st.text(f"Showing: {showing}")
st.caption(
    f"Figures as of {figures.computed_at:%H:%M}; they are recomputed every "
    f"{funder_access.REFRESH_SECONDS // 60} minutes. Years are the year a workshop started; "
    "causes and regions with fewer groups than the minimum are not offered as filters but "
    "count in every total."
)
refresh_col, sign_out_col, _ = st.columns([1, 1, 3])
if refresh_col.button("Refresh figures now", key="funders_refresh", icon=":material/refresh:"):
    funder_access.refresh()
    st.rerun()
if sign_out_col.button("Sign out", key="funders_sign_out", icon=":material/logout:"):
    funder_access.sign_out()
    st.rerun()
