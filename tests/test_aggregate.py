"""The funder view's rules: small groups suppressed at K-1 / K / K+1, complementary cells under
combined filters (checked against an independent linear-algebra oracle), consent, sharing,
the K setting, exports and quotes."""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from pydantic import ValidationError

from workbook import aggregate
from workbook.aggregate import (
    Selection,
    protect,
    protect_margins,
    suppressed_text,
    with_totals,
)
from workbook.config import Settings
from workbook.lessons import LessonSet
from workbook.models import JoinRequest, RatingIn, ReflectionIn, WorkshopCreate
from workbook.records import Seat, Workshop
from workbook.store import Store

K = 5


# --- building small databases through the app's own writes ------------------------------------


def workshop(
    store: Store, *, cause: str = "Housing", region: str = "North", shares: bool = True
) -> Workshop:
    created, _ = store.create_workshop(
        workshop=WorkshopCreate(
            title=f"Day for {cause}", cause=cause, region=region, shares_with_funders=shares
        )
    )
    return created


def seat(
    store: Store, where: Workshop, group: str, *, consent: bool = True, name: str = ""
) -> Seat:
    joined, _ = store.join(
        workshop_id=where.id,
        request=JoinRequest(group_name=group, display_name=name, quote_consent=consent),
    )
    return joined


def answer(
    store: Store,
    lessons: LessonSet,
    who: Seat,
    *,
    value: int | None = 4,
    text: str | None = None,
    round_: int = 1,
) -> None:
    """Rate the first statement of the first lesson, and/or answer its first prompt."""
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    ratings = []
    if value is not None:
        ratings = [
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=value,
            )
        ]
    reflections = []
    if text is not None:
        reflections = [ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text=text)]
    store.save_answers(
        seat=who, lesson_id=lesson.id, round=round_, ratings=ratings, reflections=reflections
    )


def groups_rating(
    store: Store,
    lessons: LessonSet,
    count: int,
    *,
    cause: str = "Housing",
    region: str = "North",
    shares: bool = True,
    value: int = 4,
) -> Workshop:
    where = workshop(store, cause=cause, region=region, shares=shares)
    for index in range(count):
        answer(store, lessons, seat(store, where, f"Table {index + 1}"), value=value)
    return where


def first_statement(figures: aggregate.FunderFigures, cell: tuple[int, int, int]):
    return figures.ratings.rows(cell)[0]


def label_index(axis: aggregate.Axis, label: str) -> int:
    return axis.labels.index(label)


# --- rule 1: small figures ---------------------------------------------------------------------


@pytest.mark.parametrize("groups", [K - 1, K, K + 1])
def test_a_figure_from_fewer_than_k_groups_is_suppressed(
    store: Store, lessons: LessonSet, groups: int
) -> None:
    groups_rating(store, lessons, groups, value=4)
    figures = aggregate.build_figures(store, lessons, K)
    everything = Selection().cell(figures.dims)
    row = first_statement(figures, everything)
    headline = figures.headline.at(everything)
    if groups < K:
        assert row.groups.suppressed and row.mean.suppressed
        assert row.groups.text(K) == "fewer than 5 groups"
        assert all(share.suppressed for share in row.shares)
        assert headline.groups.suppressed and headline.workshops.suppressed
        assert headline.groups.value is None  # the hidden value never leaves aggregate
        assert figures.dims.cause.labels == ()  # a cause with too few groups is not offered
    else:
        assert not row.groups.suppressed
        assert row.groups.value == groups
        assert row.mean.value == pytest.approx(4.0)
        assert [s.value for s in row.shares] == [0.0, 0.0, 0.0, 1.0, 0.0]
        assert headline.groups.value == groups
        assert figures.dims.cause.labels == ("Housing",)


def test_a_bar_under_k_hides_that_cells_bars_but_not_its_mean(
    store: Store, lessons: LessonSet
) -> None:
    where = groups_rating(store, lessons, K, value=4)
    answer(store, lessons, seat(store, where, "Lone critic"), value=1)  # bar 1 holds one group
    figures = aggregate.build_figures(store, lessons, K)
    row = first_statement(figures, Selection().cell(figures.dims))
    assert row.groups.value == K + 1
    assert row.mean.value == pytest.approx((4 * K + 1) / (K + 1))
    assert all(share.suppressed for share in row.shares)
    frame = aggregate.rating_frame([row], K)
    assert (frame[[f"Rated {b}" for b in aggregate.BUCKETS]] == suppressed_text(K)).all(axis=None)


def test_k_below_three_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(min_group_size=2)
    assert Settings(min_group_size=3).min_group_size == 3
    assert Settings().min_group_size == 5


# --- rule 2 and 3: complementary cells under combined filters -----------------------------------


def test_a_small_cell_cannot_be_read_by_subtracting_combined_filters(
    store: Store, lessons: LessonSet
) -> None:
    # Housing x North holds 2 groups; every other cause x region combination is large.
    groups_rating(store, lessons, 2, cause="Housing", region="North")
    groups_rating(store, lessons, 6, cause="Housing", region="South")
    groups_rating(store, lessons, 6, cause="Climate", region="North")
    groups_rating(store, lessons, 6, cause="Climate", region="South")
    figures = aggregate.build_figures(store, lessons, K)
    dims = figures.dims
    housing, climate = label_index(dims.cause, "Housing"), label_index(dims.cause, "Climate")
    north, south = label_index(dims.region, "North"), label_index(dims.region, "South")

    def groups(cause: int | None, region: int | None) -> aggregate.Figure:
        return first_statement(figures, Selection(cause, region).cell(dims)).groups

    assert groups(housing, north).suppressed
    # The totals a funder wants stay shown...
    assert groups(housing, None).value == 8
    assert groups(None, north).value == 8
    assert groups(None, None).value == 20
    # ...so what they could be subtracted from is hidden too: Housing minus Housing x South,
    # and North minus Climate x North, would otherwise give Housing x North.
    assert groups(housing, south).suppressed
    assert groups(climate, north).suppressed
    # And with the rows hidden, the columns are too (else Climate minus Climate x North).
    assert groups(climate, south).suppressed
    # The headline numbers obey the same rules under the same filters.
    assert figures.headline.at(Selection(housing, north).cell(dims)).groups.suppressed
    assert figures.headline.at(Selection(housing, south).cell(dims)).groups.suppressed
    # No small cell of the whole table (all years, all filters) can be worked out.
    counts = figures.ratings.counts[0].sum(axis=-1)
    assert not determined_small_cells(counts, figures.ratings.hidden_count[0], K)


def determined_small_cells(
    counts: np.ndarray, hidden: np.ndarray, k: int
) -> list[tuple[tuple[int, ...], ...]]:
    """An oracle written separately from aggregate: every shown cell (fine or total) is an
    equation over ALL fine cells; a small hidden cell, or two small hidden cells under K
    together, is determined when its indicator is in the span (equal matrix ranks)."""
    fine_shape = tuple(size - 1 for size in counts.shape)
    fine = list(itertools.product(*(range(size) for size in fine_shape)))

    def indicator(cell: tuple[int, ...]) -> np.ndarray:
        return np.array(
            [
                all(c in (f, size) for c, f, size in zip(cell, x, fine_shape, strict=True))
                for x in fine
            ],
            dtype=float,
        )

    cells = list(itertools.product(*(range(size) for size in counts.shape)))
    shown = np.array([indicator(c) for c in cells if not hidden[c]]).reshape(-1, len(fine))
    rank = np.linalg.matrix_rank(shown) if len(shown) else 0

    def determined(vector: np.ndarray) -> bool:
        return np.linalg.matrix_rank(np.vstack([shown, vector])) == rank

    small = [c for c in cells if 0 < counts[c] < k]
    found: list[tuple[tuple[int, ...], ...]] = [(c,) for c in small if determined(indicator(c))]
    for a, b in itertools.combinations(small, 2):
        va, vb = indicator(a), indicator(b)
        if counts[a] + counts[b] < k and not (va * vb).any() and determined(va + vb):
            found.append((a, b))
    return found


def test_no_small_cell_can_be_worked_out_in_random_tables() -> None:
    rng = np.random.default_rng(2024)
    checked = 0
    for _ in range(150):
        dims = int(rng.integers(1, 4))
        shape = tuple(int(size) for size in rng.integers(2, 5, size=dims))
        mean = float(rng.choice([0.7, 2.0, 4.0, 9.0]))
        fine = rng.poisson(mean, size=shape) * (rng.random(shape) < 0.8)
        counts = with_totals(fine, range(dims))
        hidden = protect(counts[None, ..., None], K)[0]
        assert hidden[(counts > 0) & (counts < K)].all(), "rule 1"
        assert not determined_small_cells(counts, hidden, K), (shape, fine.tolist())
        checked += int(((counts > 0) & (counts < K)).any())
    assert checked > 100  # most tables had something to protect


def test_figures_shown_one_filter_at_a_time_cannot_be_worked_out_either() -> None:
    """Distributions and phrases: only "all" and one filter at a time are shown."""
    rng = np.random.default_rng(11)
    for trial in range(30):
        shape = tuple(int(size) for size in rng.integers(2, 4, size=3))
        parts = (1, 2, 5)[trial % 3]
        fine = rng.poisson(float(rng.choice([0.7, 2.0, 6.0, 15.0])), size=(*shape, parts))
        counts = with_totals(fine, range(3))
        hidden = protect_margins(counts[None], K)[0]
        for cell in np.ndindex(hidden.shape):
            filters = sum(c != size - 1 for c, size in zip(cell, hidden.shape, strict=True))
            if filters >= 2:
                assert hidden[cell]
        for part in range(parts):
            assert not determined_small_cells(counts[..., part], hidden, K)


def test_bars_under_two_filters_say_they_are_shown_one_filter_at_a_time(
    store: Store, lessons: LessonSet
) -> None:
    groups_rating(store, lessons, 2 * K, cause="Housing", region="North")
    figures = aggregate.build_figures(store, lessons, K)
    dims = figures.dims
    one = first_statement(figures, Selection(cause=0).cell(dims))
    two = first_statement(figures, Selection(cause=0, region=0).cell(dims))
    assert [s.value for s in one.shares] == [0.0, 0.0, 0.0, 1.0, 0.0]
    assert two.groups.value == 2 * K and two.mean.value == pytest.approx(4.0)
    assert all(s.one_filter_only for s in two.shares)
    frame = aggregate.rating_frame([two], K)
    assert (frame["Rated 4"] == "shown for one filter at a time").all()
    themes = aggregate.build_themes(store, dims, lessons.lessons[0].id, K)
    assert themes.phrases.hidden[:, 0, 0, -1].all()  # phrases too: one filter at a time


def test_every_line_with_a_hidden_cell_hides_two_holding_at_least_k() -> None:
    rng = np.random.default_rng(7)
    for _ in range(100):
        shape = tuple(int(size) for size in rng.integers(2, 5, size=3))
        parts = int(rng.choice([1, 2, 5]))
        fine = rng.poisson(2.5, size=(*shape, parts))
        counts = with_totals(fine, range(3))
        hidden = protect(counts[None], K)[0]
        for axis in range(3):
            lines_hidden = np.moveaxis(hidden, axis, -1)
            lines_counts = np.moveaxis(counts, axis, -2)
            for index in np.ndindex(lines_hidden.shape[:-1]):
                line = lines_hidden[index]
                if line[-1] or not line[:-1].any():
                    continue
                together = lines_counts[index][:-1][line[:-1]].sum(axis=0)
                assert line[:-1].sum() >= 2
                assert ((together == 0) | (together >= K)).all()


# --- who counts, and whose words ---------------------------------------------------------------

SECRET = "zebracrossing quietplans"
SHARED_WORDS = "peer mentoring circles keep us going through hard winters together"


def test_a_workshop_that_does_not_share_never_counts(store: Store, lessons: LessonSet) -> None:
    groups_rating(store, lessons, K + 1, cause="Housing", region="North", value=4)
    private = workshop(store, cause="Secret cause", region="Hidden valley", shares=False)
    for index in range(3 * K):
        answer(
            store,
            lessons,
            seat(store, private, f"Table {index}"),
            value=1,
            text=f"{SECRET} {SHARED_WORDS}",
        )
    figures = aggregate.build_figures(store, lessons, K)
    dims = figures.dims
    everything = Selection().cell(dims)
    assert figures.headline.at(everything).groups.value == K + 1
    assert figures.headline.at(everything).workshops.value == 1
    row = first_statement(figures, everything)
    assert row.groups.value == K + 1 and row.mean.value == pytest.approx(4.0)
    assert "Secret cause" not in dims.cause.labels
    assert "Hidden valley" not in dims.region.labels
    themes = aggregate.build_themes(store, dims, lessons.lessons[0].id, K)
    assert themes.phrases.phrases == ()
    assert aggregate.quotes_at(store, dims, themes, Selection(), K) == []


def test_only_consented_words_reach_phrases_quotes_and_exports(
    store: Store, lessons: LessonSet
) -> None:
    where = workshop(store)
    for index in range(K + 1):
        yes = seat(store, where, f"Table {index}", consent=True, name=f"Ama {index}")
        banner = ("red", "green", "blue", "gold", "grey", "pink")[index]
        said = f"{SHARED_WORDS}, said Ama {index} of Table {index} by the {banner} banner"
        answer(store, lessons, yes, text=said)
        no = seat(store, where, f"Table {index}", consent=False)
        answer(store, lessons, no, text=f"{SECRET} {SECRET} and more private words here")
    figures = aggregate.build_figures(store, lessons, K)
    dims = figures.dims
    lesson_id = lessons.lessons[0].id
    themes = aggregate.build_themes(store, dims, lesson_id, K)
    everything = Selection().cell(dims)
    phrases = themes.phrases_at(everything)
    listed = " | ".join(phrase for phrase, _ in phrases)
    assert "mentoring" in listed and "hard winters" in listed
    candidates = " ".join(themes.phrases.phrases)
    assert "zebracrossing" not in candidates
    assert "ama" not in candidates.split() and "table" not in candidates.split()  # names
    quotes = aggregate.quotes_at(store, dims, themes, Selection(), K)
    assert len(quotes) == K  # one per group at most, up to five
    for quote in quotes:
        assert "zebracrossing" not in quote.text
        assert "Ama" not in quote.text and "Table" not in quote.text  # names blanked
        assert "[name]" in quote.text
    exported = aggregate.with_filters(
        aggregate.phrase_frame(phrases, K, export=True), Selection(), dims
    )
    for data in (aggregate.to_csv(exported), aggregate.to_xlsx(exported, sheet="phrases")):
        assert b"zebracrossing" not in data
    assert "hard winters" in aggregate.to_csv(exported).decode("utf-8-sig")


def test_quotes_need_k_groups_with_consented_answers(store: Store, lessons: LessonSet) -> None:
    where = workshop(store)
    for index in range(K + 2):
        consent = index < K - 1  # only K-1 groups agreed to be quoted
        answer(
            store,
            lessons,
            seat(store, where, f"Table {index}", consent=consent),
            text=SHARED_WORDS,
        )
    figures = aggregate.build_figures(store, lessons, K)
    themes = aggregate.build_themes(store, figures.dims, lessons.lessons[0].id, K)
    assert aggregate.quotes_at(store, figures.dims, themes, Selection(), K) == []
    assert themes.phrases_at(Selection().cell(figures.dims)) == []


# --- exports, text helpers --------------------------------------------------------------------


def test_exports_carry_the_same_suppression_as_the_table(store: Store, lessons: LessonSet) -> None:
    groups_rating(store, lessons, K - 1)
    figures = aggregate.build_figures(store, lessons, K)
    rows = figures.ratings.rows(Selection().cell(figures.dims))
    shown = aggregate.rating_frame(rows, K)
    exported = aggregate.with_filters(
        aggregate.rating_frame(rows, K, export=True), Selection(), figures.dims
    )
    assert len(shown) == len(exported)
    parsed = list(csv.reader(io.StringIO(aggregate.to_csv(exported).decode("utf-8-sig"))))
    assert parsed[0][:3] == ["Cause", "Region", "Year"]
    groups_column = parsed[0].index("Groups")
    assert parsed[1][groups_column] == "fewer than 5 groups"
    book = load_workbook(io.BytesIO(aggregate.to_xlsx(exported, sheet="ratings", note="x")))
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(row=2, column=header.index("Groups") + 1).value == "fewer than 5 groups"
    assert book.sheetnames == ["ratings", "About"]


def test_a_cell_that_looks_like_a_formula_stays_text() -> None:
    frame = pd.DataFrame({"Phrase": ["=HYPERLINK(1)", "+1", "plain"]})
    text = aggregate.to_csv(frame).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'+1" in text and "\nplain" in text.replace("\r", "")


def test_redact_blanks_known_names_as_whole_words() -> None:
    text = "Ama from Table 3 told Amanda and the TABLE 3 crew"
    assert aggregate.redact(text, ["Ama", "Table 3", "x"]) == (
        "[name] from [name] told Amanda and the [name] crew"
    )


def test_near_repeated_phrases_are_listed_once() -> None:
    def figure(groups: float) -> aggregate.Figure:
        return aggregate.Figure(groups, False)

    phrases: Sequence[tuple[str, aggregate.Figure]] = [
        ("lived experience", figure(9)),
        ("people with lived", figure(9)),
        ("hard core", figure(8)),
        ("hard core members", figure(8)),
        ("peer support", figure(7)),
    ]
    kept = [phrase for phrase, _ in aggregate.distinct_phrases(phrases)]
    assert kept == ["lived experience", "hard core members", "peer support"]


def test_charts_never_plot_a_suppressed_figure(store: Store, lessons: LessonSet) -> None:
    from workbook.charts import funders as charts

    groups_rating(store, lessons, K - 1)
    figures = aggregate.build_figures(store, lessons, K)
    rows = figures.ratings.rows(Selection().cell(figures.dims))
    fig = charts.distribution_chart(rows[:3], K)
    assert all(x is None for trace in fig.data for x in trace.x)
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert "fewer than 5 groups" in notes
    empty = charts.kinds_chart(figures.maps.at(Selection().cell(figures.dims)), K)
    assert all(x is None for x in empty.data[0].x)  # no maps: no bar, not 0%
    assert "no stakeholder maps yet" in " ".join(a.text for a in empty.layout.annotations)
    hidden = aggregate.MapFigures(
        maps=aggregate.Figure(None, True),
        kinds=[
            aggregate.KindRow("Media", aggregate.Figure(None, True), aggregate.Figure(None, True))
        ],
        single_point_of_failure=aggregate.Figure(None, True),
        maps_with_single_point=aggregate.Figure(None, True),
        strong_tie_share=aggregate.Figure(None, True),
    )
    drawn = charts.kinds_chart(hidden, K)
    assert drawn.data[0].x == (None,)
    assert "fewer than 5 groups" in drawn.layout.annotations[0].text
