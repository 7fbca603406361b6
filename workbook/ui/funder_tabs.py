"""The funder page's four tabs: ratings, change since the first look, stakeholder maps and the
groups' own words. Each draws charts of published figures (workbook.charts.funders) with their
tables and downloads, in the reader's language (`_ = translator()`, numbers by `language()`).
Quotes and phrases were written by people: plain text, never Markdown."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from workbook.charts import funders as charts
from workbook.charts.funders import Bar
from workbook.lessons import LessonSet
from workbook.models import KeyFinding
from workbook.release import tables
from workbook.release.view import FunderView, Rating, Selection
from workbook.ui import funder_access
from workbook.ui.author_text import literal
from workbook.ui.funder_exports import Exports
from workbook.ui.i18n import language, translator
from workbook.ui.text import user_text


def _rating_bars(ratings: Sequence[Rating]) -> list[Bar]:
    return [
        Bar(r.label, r.mean.value, r.mean.margin, groups=(r.groups.value, r.groups.margin))
        for r in ratings
    ]


def _finding_bars(ratings: Sequence[Rating]) -> list[Bar]:
    """Key findings' rows, named in the reader's language."""
    _ = translator()
    return [
        Bar(_(r.label), r.mean.value, r.mean.margin, groups=(r.groups.value, r.groups.margin))
        for r in ratings
    ]


def ratings_tab(
    view: FunderView, selection: Selection, lessons: LessonSet, exports: Exports
) -> None:
    _ = translator()
    code = language()
    st.caption(
        _(
            "Each group counts once per rating statement: its members' mean at the first look, "
            "rounded to a whole number (follow-ups are in the next tab). A key finding pools "
            "the group ratings of its statements. Dots are means; the line through each is its "
            "90% margin."
        )
    )
    findings = view.finding_ratings(selection)
    if not findings:
        st.info(_("The releases hold no ratings yet."))
        return
    titles = {lesson.id: lesson.title for lesson in lessons.lessons}
    funder_access.chart_with_table(
        _("Key findings: how groups rate themselves"),
        charts.means_chart(_finding_bars(findings), code=code),
        tables.rating_frame(findings, code=code),
        exports.rows(tables.rating_frame(findings, code=code)),
        name="key-findings",
        stem=exports.stem("key-findings"),
        note=exports.note,
        key="funders_findings",
        nothing=exports.unless_known(
            any(r.mean.known for r in findings), _("No key finding has a mean to show yet")
        ),
    )
    finding: KeyFinding = st.selectbox(
        _("Rating statements of the key finding"),
        [r.finding for r in findings],
        format_func=lambda f: _(f.label),
        key="funders_finding",
    )
    statements = view.statement_ratings(selection, finding)
    all_statements = view.statement_ratings(selection)
    shown = funder_access.chart_with_table(
        _("Statements: {finding}").format(finding=_(finding.label)),
        charts.means_chart(_rating_bars(statements), groups_word=_("groups"), code=code),
        tables.rating_frame(statements, titles, code),
        exports.rows(tables.rating_frame(all_statements, titles, code)),
        name="rating-statements",
        stem=exports.stem("rating-statements"),
        note=exports.note,
        key="funders_statements",
        nothing=exports.unless_known(
            any(r.mean.known for r in statements),
            _("No statement of this key finding has a mean to show yet"),
        ),
    )
    if shown:
        st.caption(_("The download holds every statement of every key finding."))
    rating = next(r for r in findings if r.finding == finding)
    funder_access.chart_with_table(
        _("How groups rated: {finding}").format(finding=_(finding.label)),
        charts.distribution_chart(
            [None if b.value is None else b.value * 100 for b in rating.bars],
            [b.margin * 100 for b in rating.bars],
            code,
        ),
        tables.distribution_frame(rating, code),
        exports.rows(tables.distribution_frame(rating, code), finding=_(finding.label)),
        name="rating-distribution",
        stem=exports.stem("rating-distribution"),
        note=exports.note,
        key="funders_distribution",
        nothing=exports.unless_known(
            any(b.known for b in rating.bars),
            _("How groups spread over the ratings is not known yet"),
        ),
    )


def change_tab(view: FunderView, selection: Selection, exports: Exports) -> None:
    _ = translator()
    code = language()
    st.caption(
        _(
            "Only groups that rated themselves at the first look and again at a follow-up "
            "(their latest): the change is follow-up minus first look, on the 1-5 scale. Bars "
            "to the right are rises; the line across each bar is its 90% margin. A key finding "
            "whose lessons a follow-up plan leaves out is not rated again, so more workshops "
            "alone do not tell its change."
        )
    )
    changes = view.changes(selection)
    funder_access.chart_with_table(
        _("Change since the first look, per key finding"),
        charts.change_chart(
            [
                Bar(
                    _(c.finding.label),
                    c.change.value,
                    c.change.margin,
                    groups=(c.groups.value, c.groups.margin),
                )
                for c in changes
            ],
            code,
        ),
        tables.change_frame(changes, code),
        exports.rows(tables.change_frame(changes, code)),
        name="change-since-first-look",
        stem=exports.stem("change-since-first-look"),
        note=exports.note,
        key="funders_change",
        nothing=exports.unless_known(
            any(c.change.known for c in changes),
            _("No key finding's change since the first look can be told yet"),
        ),
    )


def maps_tab(
    view: FunderView, selection: Selection, exports: Exports, metric: Callable[..., None]
) -> None:
    """`metric(column, label, estimate, style, help)`: the page's headline figure."""
    _ = translator()
    code = language()
    st.subheader(_("Stakeholder maps"))
    maps = view.maps(selection)
    maps_col, spof_col, ties_col = st.columns(3)
    metric(maps_col, _("Stakeholder maps"), maps.maps)
    metric(
        spof_col,
        _("Maps with a single point of failure"),
        maps.single_point,
        "share",
        help=_("A tie that, if it broke, would cut the group off from part of its map."),
    )
    metric(
        ties_col,
        _("Average share of strong ties"),
        maps.strong_share,
        "share",
        help=_("Per map: strong ties out of all its ties; averaged over maps with any tie."),
    )
    shown = funder_access.chart_with_table(
        _("Which kinds of stakeholder the maps include"),
        charts.shares_chart(
            [
                Bar(_(kind), None if share.value is None else share.value * 100, share.margin * 100)
                for kind, share in tables.kinds_in_order(maps)
            ],
            axis_title=_("Share of maps that include it"),
            code=code,
        ),
        tables.kinds_frame(maps, code),
        exports.rows(tables.kinds_frame(maps, code)),
        name="stakeholder-kinds",
        stem=exports.stem("stakeholder-kinds"),
        note=exports.note,
        key="funders_kinds",
        nothing=exports.unless_known(
            any(share.known for _kind, share in maps.kinds),
            _("Which kinds of stakeholder the maps include cannot be told yet"),
        ),
    )
    if shown:
        st.caption(_("The kinds groups most often lack come first."))


def words_tab(view: FunderView, selection: Selection, lessons: LessonSet, exports: Exports) -> None:
    _ = translator()
    code = language()
    with_prompts = [lesson for lesson in lessons.lessons if lesson.prompts]
    if not with_prompts:
        st.info(_("No lesson has written prompts."))
        return
    titles = {lesson.id: lesson.title for lesson in with_prompts}
    lesson_id = st.selectbox(
        _("Lesson"), list(titles), format_func=titles.__getitem__, key="funders_lesson"
    )
    phrases = view.phrases(selection, lesson_id)
    if phrases:
        funder_access.chart_with_table(
            _("Most used phrases: {lesson}").format(lesson=literal(titles[lesson_id])),
            charts.counts_chart(
                [Bar(p, e.value, e.margin) for p, e in phrases],
                axis_title=_("Groups using it"),
                code=code,
            ),
            tables.phrase_frame(phrases, code),
            exports.rows(tables.phrase_frame(phrases, code), every_place=True),
            name="phrases",
            stem=exports.stem("phrases", every_place=True),
            note=exports.note,
            key="funders_phrases",
        )
    else:
        st.info(_("No phrase of this lesson was used by enough groups to be released."))
    if selection.period is None:
        counted = _(
            "Phrases are counted over all causes and regions of all years: they are not "
            "measured per cause or region, so those two filters do not change them."
        )
    else:
        counted = _(
            "Phrases are counted over all causes and regions of {year}: they are not measured "
            "per cause or region, so those two filters do not change them."
        ).format(year=selection.period)
    st.caption(
        counted
        + " "
        + _(
            "Only answers from people who ticked “you may quote me anonymously” count, and a "
            "phrase is listed only when a noisy count of the groups using it clears a "
            "threshold. Each phrase is counted in its workshop's language, without that "
            "language's filler words."
        )
    )
    st.subheader(_("In their words"))
    quotes = view.quotes(selection, lesson_id)
    if quotes is None:
        st.info(_("Quotes are shown for all workshops or one filter at a time."))
    elif not quotes:
        st.caption(_("No quotes in this selection."))
    else:
        for quote in distinct(quotes):
            with st.container(border=True):
                user_text(quote)
        st.caption(
            _(
                "A fixed sample drawn when the release was made, one answer per group at most, "
                "from people who agreed to be quoted; names are replaced by [name]."
            )
        )


def distinct(quotes: Sequence[str]) -> list[str]:
    """The sample's quotes in order, each wording once (groups often write the same line)."""
    seen: set[str] = set()
    out = []
    for quote in quotes:
        if quote.casefold() not in seen:
            seen.add(quote.casefold())
            out.append(quote)
    return out
