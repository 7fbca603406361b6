"""Funder figures with small-group suppression: the rules, and the figures built with them.

Only workshops whose facilitator chose to share with funders count. The unit of privacy is the
group: K (the setting WORKBOOK_MIN_GROUP_SIZE, at least 3) is a number of distinct groups.

Cells. A funder filters by cause, region and year (the year the workshop started), each one
value or "all". Every figure is computed for one cell of that three-way table. Causes and
regions are compared ignoring case and extra spaces. A cause, region or year with fewer than
K groups in all is not offered as a filter; its groups are pooled as "other" and still count
in every total.

Rule 1, small figures. A figure built from fewer than K distinct groups is suppressed and shown
as "fewer than K groups" (with K as its number). A figure from no group at all shows as none.
- Counts, means and changes: the groups behind the figure (for a change, the groups that
  rated themselves both at the first look and at a follow-up).
- Distributions of ratings: each group counts once per statement or key finding, with its
  members' mean rounded to the nearest whole number (2.5 counts as 3). A cell shows its five
  bars only if each bar holds no group or at least K; otherwise the bars of that cell are
  hidden together (its mean may still show, under the count rule). Bars, like phrases,
  are shown for all workshops or by one filter at a time (see rule 4).
- Stakeholder maps: for each kind, the maps that have it and the maps that lack it must each
  be none or at least K; likewise maps with and without a single point of failure.
- Themes: a phrase is listed only if at least K groups used it in consented answers, and
  no word of a participant's or group's name is ever part of one. Quotes come only from a
  cell where at least K groups gave consented answers to that lesson.

Rule 2, complementary cells. Any figure's cells form a table with totals: along each filter
(cause, region or year), the cells of a line add up to the line's "all" cell. If that total is
shown and some cells of the line are hidden, subtracting the shown cells from the total would
give the hidden ones. So in every such line the hidden cells must be at least two and together
hold at least K groups (for distributions and maps: for each bar, none or at least K);
otherwise the line's smallest shown cell (fewest groups; then first in order) is hidden too,
or, when none is left, the total itself. This repeats until no line changes: a hidden cell
can never be read off by subtracting shown ones along a filter.

Rule 3, exact check. Subtracting across several lines at once can still pin a hidden cell down
(cause x region: a row total, minus a column total, plus shown cells). So after rule 2 each
table is checked exactly: its hidden fine cells are unknowns and every shown total covering
them is a linear equation. A small hidden cell, or two small hidden cells that cover different
groups and hold fewer than K together, could be worked out when its indicator lies in the
span of the equations (numpy's SVD); then the shown total that the working-out leans on
(by its least-squares coefficients) with the fewest groups is hidden too. Rules 2 and 3
repeat until nothing small can be worked out. The tests hold this against a brute-force
oracle, written separately, on hundreds of random tables.

Rule 4, one filter at a time. Distributions split every count five ways and phrases are
many small counts, so under two or three filters most of them would be hidden anyway, and
checking them exactly (rule 3) for every cell of the three-way table is slow. They are shown
only for all workshops or one filter at a time: each filter's values and the grand total
then form a single line, where rule 2 alone is exact. Counts, means, changes and maps stay
available under any combination of filters.

Everything a funder sees or exports (tables, chart points, CSV and XLSX rows) comes from the
same suppressed cells, and hidden values never leave this module. Free text comes only from
participants who ticked "you may quote me anonymously", without a name, group or workshop,
and with the names the app knows of (group name, workshop title, participants' names in that
workshop) blanked out of the text.

Not covered, on purpose: bounds rather than exact values (knowing a hidden cell lies between 0
and the hidden total of its line); a mean beside hidden bars narrowing how those groups rated;
differences between two different figures (say, groups that rated one statement but not
another), which tell how many groups answered, never what they answered; and differences over
time: figures are recomputed every few minutes, so someone comparing a cell before and after a
single group's answers arrive could work out that group's contribution. Counting only
workshops that ended some weeks ago, or publishing monthly snapshots, would close that.
"""

from __future__ import annotations

import csv
import ctypes
import datetime as dt
import functools
import io
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from workbook.lessons import LessonSet
from workbook.models import STAKEHOLDER_KINDS, KeyFinding
from workbook.store.funders import CellKeys, CellRows, FunderQueries

BUCKETS = (1, 2, 3, 4, 5)
_BIG = np.iinfo(np.int64).max


def suppressed_text(k: int) -> str:
    """What a suppressed figure says instead of its value."""
    return f"fewer than {k} groups"


# --- the suppression rules on arrays -----------------------------------------------------------


def with_totals(fine: np.ndarray, axes: Iterable[int]) -> np.ndarray:
    """Append an "all" slice (the sum) at the end of each of `axes`."""
    out = np.asarray(fine, dtype=np.int64)
    for axis in axes:
        out = np.concatenate([out, out.sum(axis=axis, keepdims=True)], axis=axis)
    return out


@functools.cache
def _one_blas_thread() -> bool:
    """Ask numpy's OpenBLAS for one thread, once per process. Its threads spin while waiting,
    which on a shared 2-core server made the exact check 10-60x slower; the app's sessions
    already run in parallel threads. Returns False (and changes nothing) if not found."""
    folder = Path(np.__file__).resolve().parent.parent / "numpy.libs"
    for library in sorted(folder.glob("*openblas*")):
        try:
            handle = ctypes.CDLL(str(library))
        except OSError:
            continue
        for name in ("scipy_openblas_set_num_threads64_", "openblas_set_num_threads"):
            setter = getattr(handle, name, None)
            if setter is not None:
                setter(1)
                return True
    return False


def protect(counts: np.ndarray, k: int, *, start_hidden: np.ndarray | None = None) -> np.ndarray:
    """Which cells to hide (True) under rules 1 to 3.

    `counts` has shape (tables, *cells, parts): independent tables first; then the table's
    axes, each ending with its "all" slice (see `with_totals`); then the parts a cell's groups
    are split into (1 for a plain count, five bars for a distribution, with and without for a
    map feature). A cell is small when a part holds 1 to K-1 groups. `start_hidden` (tables,
    *cells) adds cells hidden for another reason (e.g. a distribution whose count is hidden).
    """
    _one_blas_thread()
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim < 3:
        raise ValueError("counts needs a tables axis, at least one cell axis and a parts axis")
    small = ((counts > 0) & (counts < k)).any(axis=-1)
    hidden = small.copy()
    if start_hidden is not None:
        hidden |= start_hidden
    totals = counts.sum(axis=-1)
    axes = tuple(range(1, counts.ndim - 1))
    cell_axes = tuple(range(1, hidden.ndim))
    to_check = np.ones(counts.shape[0], dtype=bool)
    while True:
        before = hidden.copy()
        _line_rule(counts, totals, hidden, k, axes)
        # Only tables that changed since their last exact check need another one.
        to_check |= (hidden != before).any(axis=cell_axes)
        to_check &= (hidden & small).any(axis=cell_axes)
        checked, to_check = to_check, np.zeros_like(to_check)
        for table in np.nonzero(checked)[0]:
            for cell in _exposed(hidden[table], small[table], counts[table], k):
                hidden[table][cell] = True
                to_check[table] = True
        if not to_check.any():
            return hidden


def protect_margins(
    counts: np.ndarray, k: int, *, start_hidden: np.ndarray | None = None
) -> np.ndarray:
    """Rules 1-3 for figures shown only for "all" or one filter at a time (distributions,
    phrases): every cell with two or more filters set is hidden, and each filter's values
    with the grand total form a one-line table, where rule 2 alone is exact (a hidden cell
    can only be read off as the total minus the rest of its one line). The three lines share
    the grand total, so hiding it in one hides it in all. Shapes as for `protect`, with
    exactly three cell axes."""
    counts = np.asarray(counts, dtype=np.int64)
    if counts.ndim != 5:
        raise ValueError("protect_margins needs (tables, cause, region, year, parts)")
    start = np.zeros(counts.shape[:-1], dtype=bool) if start_hidden is None else start_hidden
    lines = [
        (counts[:, :, -1, -1], start[:, :, -1, -1]),
        (counts[:, -1, :, -1], start[:, -1, :, -1]),
        (counts[:, -1, -1, :], start[:, -1, -1, :]),
    ]
    grand = np.zeros(counts.shape[0], dtype=bool)
    while True:
        found = []
        for line_counts, line_start in lines:
            begin = line_start.copy()
            begin[:, -1] |= grand
            found.append(protect(line_counts, k, start_hidden=begin))
        joined = grand | np.any([line[:, -1] for line in found], axis=0)
        if (joined == grand).all():
            break
        grand = joined
    hidden = np.ones(counts.shape[:-1], dtype=bool)
    hidden[:, :, -1, -1] = found[0]
    hidden[:, -1, :, -1] = found[1]
    hidden[:, -1, -1, :] = found[2]
    return hidden


def one_filter_at_most(cell: tuple[int, int, int], dims: Dimensions) -> bool:
    """Whether a cell sets at most one of the filters (the cells `protect_margins` may show)."""
    alls = (dims.cause.all, dims.region.all, dims.year.all)
    return sum(c != a for c, a in zip(cell, alls, strict=True)) <= 1


def _line_rule(
    counts: np.ndarray, totals: np.ndarray, hidden: np.ndarray, k: int, axes: Sequence[int]
) -> None:
    """Rule 2, in place, vectorised over every line of every table."""
    while True:
        changed = False
        for axis in axes:
            h = np.moveaxis(hidden, axis, -1)  # a view: writes go to `hidden`
            n = np.moveaxis(totals, axis, -1)
            parts = np.moveaxis(counts, axis, -2)  # (..., line, parts)
            cells_h, cells_n = h[..., :-1], n[..., :-1]
            hidden_count = cells_h.sum(axis=-1)
            hidden_parts = np.where(cells_h[..., None], parts[..., :-1, :], 0).sum(axis=-2)
            parts_ok = ((hidden_parts == 0) | (hidden_parts >= k)).all(axis=-1)
            need = ~h[..., -1] & (hidden_count > 0) & ((hidden_count < 2) | ~parts_ok)
            if not need.any():
                continue
            candidate = ~cells_h & (cells_n > 0)
            pick = np.where(candidate, cells_n, _BIG).argmin(axis=-1)
            has = candidate.any(axis=-1)
            where = np.nonzero(need & has)
            h[(*where, pick[where])] = True
            where = np.nonzero(need & ~has)
            h[(*where, np.full(len(where[0]), h.shape[-1] - 1))] = True
            changed = True
        if not changed:
            return


def _exposed(
    hidden: np.ndarray, small: np.ndarray, parts: np.ndarray, k: int
) -> list[tuple[int, ...]]:
    """Rule 3 for one table: which shown cells to hide next, so that no small hidden cell,
    and no two small hidden cells covering different groups and fewer than K together,
    can be worked out exactly from the shown cells. Empty when nothing can be.

    Unknowns are the hidden fine cells (no "all" coordinate); each shown total covering
    some of them is an equation. A figure is determined when its indicator over the unknowns
    lies in the span of the equations; the least-squares solution then says which totals
    the working-out uses, and the smallest of them is hidden."""
    shape = hidden.shape
    last = np.array(shape) - 1
    targets = np.argwhere(hidden & small)
    if len(targets) == 0:
        return []
    unknown = np.argwhere(hidden)
    unknown = unknown[(unknown < last).all(axis=1)]
    if len(unknown) == 0:
        return []
    # Each unknown lies under 2^D - 1 totals (any set of its coordinates replaced by "all");
    # every shown one is an equation over the unknowns it covers.
    covers, columns = [], []
    for mask in itertools.product((False, True), repeat=len(shape)):
        if not any(mask):
            continue
        covering = np.where(np.array(mask)[None, :], last[None, :], unknown)
        flat = np.ravel_multi_index(tuple(covering.T), shape)
        shown = ~hidden.ravel()[flat]
        covers.append(flat[shown])
        columns.append(np.nonzero(shown)[0])
    cover = np.concatenate(covers)
    if len(cover) == 0:  # no shown total touches a hidden cell: nothing can be worked out
        return []
    rows, row_of = np.unique(cover, return_inverse=True)
    # Unknowns no equation touches are free: any figure that includes one stays unknown.
    used, col_of = np.unique(np.concatenate(columns), return_inverse=True)
    free = np.ones(len(unknown), dtype=bool)
    free[used] = False
    equations = np.zeros((len(rows), len(used)))
    equations[row_of, col_of] = 1.0
    u, singular, vt = np.linalg.svd(equations, full_matrices=False)
    rank = int((singular > 1e-9 * max(1.0, float(singular.max()))).sum())
    u, singular, basis = u[:, :rank], singular[:rank], vt[:rank]
    # Which unknowns each target adds up (a fine target: itself; a total: those under it).
    inside = ((targets[:, None, :] == unknown[None, :, :]) | (targets[:, None, :] == last)).all(
        axis=2
    )
    vectors = inside[:, used].astype(float)
    residuals = vectors - (vectors @ basis.T) @ basis
    residuals[(inside & free).any(axis=1)] = np.nan  # touches a free unknown: undetermined
    norms = (residuals**2).sum(axis=1)
    problems = [vectors[i] for i in np.nonzero(norms < 1e-12)[0]]
    if not problems:
        # Pairs: |r_i + r_j|^2 = |r_i|^2 + |r_j|^2 + 2 r_i.r_j, for two cells covering
        # different groups whose parts add up to 1..K-1 groups in some part.
        sizes = parts[tuple(targets.T)]
        pick = np.nonzero((sizes < k - 1).any(axis=1))[0]
        if len(pick) >= 2:
            r = np.nan_to_num(residuals[pick], nan=1e3)
            n2 = (r**2).sum(axis=1)
            pair = n2[:, None] + n2[None, :] + 2 * (r @ r.T)
            cover_of = inside[pick].astype(np.float64)
            disjoint = (cover_of @ cover_of.T) < 0.5
            together = sizes[pick][:, None, :] + sizes[pick][None, :, :]
            small_sum = ((together > 0) & (together < k)).any(axis=2)
            bad = np.triu((pair < 1e-9) & disjoint & small_sum, 1)
            problems = [vectors[pick[i]] + vectors[pick[j]] for i, j in np.argwhere(bad)]
    weights = parts.sum(axis=-1).ravel()[rows]
    to_hide: set[int] = set()
    for vector in problems:
        # vector = y @ equations; y = U S^-1 V^T vector (the least-squares solution).
        y = u @ ((basis @ vector) / singular)
        used_rows = np.nonzero(np.abs(y) > 1e-7)[0]
        if len(used_rows) == 0:
            continue
        to_hide.add(int(rows[used_rows[np.argmin(weights[used_rows])]]))
    return [tuple(int(i) for i in np.unravel_index(flat, shape)) for flat in sorted(to_hide)]


# --- cells: the filters and what a funder picked -----------------------------------------------


@dataclass(frozen=True)
class Axis:
    """One filter: the values offered, then "other" (pooled, never offered), then "all"."""

    name: str
    keys: tuple[Any, ...]
    labels: tuple[str, ...]

    @property
    def other(self) -> int:
        return len(self.keys)

    @property
    def all(self) -> int:
        return len(self.keys) + 1

    @property
    def size(self) -> int:
        return len(self.keys) + 2


@dataclass(frozen=True)
class Dimensions:
    cause: Axis
    region: Axis
    year: Axis

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.cause.size, self.region.size, self.year.size)

    @property
    def cell_keys(self) -> CellKeys:
        return CellKeys(
            causes=list(self.cause.keys),
            regions=list(self.region.keys),
            years=[int(y) for y in self.year.keys],
        )


REGION_NOT_GIVEN = "Region not given"


def dimensions(values: Iterable[tuple[str, Any, str, int]], k: int) -> Dimensions:
    """The filters from (axis, key, label, groups) rows: values with at least K groups are
    offered, biggest first (years in order)."""
    by_axis: dict[str, list[tuple[Any, str, int]]] = {"cause": [], "region": [], "year": []}
    for axis, key, label, groups in values:
        if int(groups) >= k and axis in by_axis:
            by_axis[axis].append((key, label, int(groups)))

    def axis_of(name: str) -> Axis:
        rows = by_axis[name]
        if name == "year":
            rows.sort(key=lambda row: int(row[0]))
        else:
            rows.sort(key=lambda row: (-row[2], str(row[1]).casefold()))
        labels = []
        for _key, label, _ in rows:
            text = str(label).strip()
            labels.append(text if text else REGION_NOT_GIVEN)
        return Axis(name, tuple(row[0] for row in rows), tuple(labels))

    return Dimensions(axis_of("cause"), axis_of("region"), axis_of("year"))


@dataclass(frozen=True)
class Selection:
    """What a funder picked: an index into each axis's offered values, or None for all."""

    cause: int | None = None
    region: int | None = None
    year: int | None = None

    def cell(self, dims: Dimensions) -> tuple[int, int, int]:
        return (
            dims.cause.all if self.cause is None else self.cause,
            dims.region.all if self.region is None else self.region,
            dims.year.all if self.year is None else self.year,
        )

    def describe(self, dims: Dimensions) -> str:
        parts = [
            "all causes" if self.cause is None else dims.cause.labels[self.cause],
            "all regions" if self.region is None else dims.region.labels[self.region],
            "all years" if self.year is None else dims.year.labels[self.year],
        ]
        return " · ".join(parts)


def _dense(rows: CellRows, dims: Dimensions, measures: int, parts: int, value: str) -> np.ndarray:
    """Scatter store rows (measure, ci, ri, yi, part, value) into (measures, C, R, Y, parts)
    and add the "all" slices."""
    c, r, y = dims.shape
    out = np.zeros((measures, c - 1, r - 1, y - 1, parts), dtype=np.float64)
    if len(rows.measure):
        np.add.at(
            out,
            (rows.measure, rows.ci, rows.ri, rows.yi, rows.part),
            rows.values[value],
        )
    for axis in (1, 2, 3):
        out = np.concatenate([out, out.sum(axis=axis, keepdims=True)], axis=axis)
    return out


# --- figures ------------------------------------------------------------------------------------


ONE_FILTER_TEXT = "shown for one filter at a time"


@dataclass(frozen=True)
class Figure:
    """One shown-or-suppressed value. A suppressed figure keeps no value at all."""

    value: float | None
    suppressed: bool
    one_filter_only: bool = False  # hidden because two or more filters are set

    def text(self, k: int, fmt: str = "{:,.0f}") -> str:
        if self.one_filter_only:
            return ONE_FILTER_TEXT
        if self.suppressed:
            return suppressed_text(k)
        if self.value is None:
            return "none"
        return fmt.format(self.value)

    def export(self, k: int, digits: int | None = None) -> object:
        """The value for a CSV/XLSX cell: a number, or the words the screen shows."""
        if self.suppressed or self.value is None:
            return self.text(k) if self.suppressed else ""
        return round(self.value, digits) if digits is not None else self.value


def _figure(value: float, groups: float, hidden: bool, *, one_filter_only: bool = False) -> Figure:
    if one_filter_only:
        return Figure(None, True, one_filter_only=True)
    if hidden:
        return Figure(None, True)
    if groups <= 0:
        return Figure(None, False)
    return Figure(float(value), False)


@dataclass(frozen=True)
class Headline:
    workshops: Figure
    groups: Figure
    participants: Figure
    answers: Figure


@dataclass(frozen=True)
class HeadlineTable:
    counts: np.ndarray  # (C, R, Y, 4): workshops, groups, participants, answers
    hidden: np.ndarray  # (C, R, Y)

    def at(self, cell: tuple[int, int, int]) -> Headline:
        values = self.counts[cell]
        hidden = bool(self.hidden[cell])
        groups = float(values[1])
        return Headline(*(_figure(float(v), groups, hidden) for v in values))


def headline_table(rows: CellRows, dims: Dimensions, k: int) -> HeadlineTable:
    stack = np.stack(
        [
            _dense(rows, dims, 1, 1, name)[0, ..., 0]
            for name in ("workshops", "groups", "people", "answers")
        ],
        axis=-1,
    )
    groups = stack[..., 1].astype(np.int64)
    hidden = protect(groups[None, ..., None], k)[0]
    return HeadlineTable(stack, hidden)


@dataclass(frozen=True)
class Measure:
    """A statement or a key finding: what a row of the ratings tables is about."""

    key: str  # "statement:<lesson>/<statement>" or "finding:<finding>"
    finding: KeyFinding
    label: str  # the statement's text or the finding's label
    lesson_title: str = ""

    @property
    def is_finding(self) -> bool:
        return self.key.startswith("finding:")


def rating_measures(lessons: LessonSet) -> tuple[list[Measure], list[Measure]]:
    """Statements (in lesson order) and key findings (in report order)."""
    statements = [
        Measure(
            f"statement:{lesson.id}/{statement.id}",
            lesson.finding_of(statement),
            statement.text,
            lesson.title,
        )
        for lesson in lessons.lessons
        for statement in lesson.ratings
    ]
    findings = [Measure(f"finding:{f.value}", f, f.label) for f in KeyFinding]
    return statements, findings


def statement_keys(statements: Sequence[Measure]) -> list[tuple[str, str, str]]:
    """(lesson id, statement id, key finding) of each statement measure, for the store."""
    keys = []
    for measure in statements:
        lesson_id, statement_id = measure.key.split(":", 1)[1].split("/", 1)
        keys.append((lesson_id, statement_id, measure.finding.value))
    return keys


@dataclass(frozen=True)
class RatingRow:
    measure: Measure
    groups: Figure
    mean: Figure
    shares: tuple[Figure, ...]  # share of groups at 1..5 (0..1); suppressed together


@dataclass(frozen=True)
class RatingTable:
    measures: tuple[Measure, ...]
    counts: np.ndarray  # (M, C, R, Y, 5)
    sums: np.ndarray  # (M, C, R, Y)
    hidden_count: np.ndarray  # (M, C, R, Y)
    hidden_bars: np.ndarray  # (M, C, R, Y)

    def rows(self, cell: tuple[int, int, int]) -> list[RatingRow]:
        out = []
        combined = sum(c != n - 1 for c, n in zip(cell, self.counts.shape[1:4], strict=True)) > 1
        for m, measure in enumerate(self.measures):
            at = (m, *cell)
            bars = self.counts[at]
            groups = float(bars.sum())
            hidden = bool(self.hidden_count[at])
            mean = self.sums[at] / groups if groups else 0.0
            hide_bars = bool(self.hidden_bars[at])
            shares = tuple(
                _figure(
                    b / groups if groups else 0.0,
                    groups,
                    hide_bars,
                    one_filter_only=combined and not hidden and groups > 0,
                )
                for b in bars
            )
            out.append(
                RatingRow(
                    measure, _figure(groups, groups, hidden), _figure(mean, groups, hidden), shares
                )
            )
        return out


def rating_table(
    rows: CellRows, measures: Sequence[Measure], dims: Dimensions, k: int
) -> RatingTable:
    """Rows: measure index, cell, part = bar - 1, values groups and first (sums of scores)."""
    counts = _dense(rows, dims, len(measures), len(BUCKETS), "groups").astype(np.int64)
    sums = _dense(rows, dims, len(measures), len(BUCKETS), "first").sum(axis=-1)
    hidden_count = protect(counts.sum(axis=-1)[..., None], k)
    # Bars split each count five ways, so they are shown by one filter at a time.
    hidden_bars = protect_margins(counts, k, start_hidden=hidden_count)
    return RatingTable(tuple(measures), counts, sums, hidden_count, hidden_bars)


@dataclass(frozen=True)
class ChangeRow:
    measure: Measure
    groups: Figure
    first_look: Figure
    follow_up: Figure
    change: Figure


@dataclass(frozen=True)
class ChangeTable:
    measures: tuple[Measure, ...]
    values: np.ndarray  # (M, C, R, Y, 3): groups, sum first, sum latest
    hidden: np.ndarray

    def rows(self, cell: tuple[int, int, int]) -> list[ChangeRow]:
        out = []
        for m, measure in enumerate(self.measures):
            groups, first, latest = (float(v) for v in self.values[(m, *cell)])
            hidden = bool(self.hidden[(m, *cell)])
            first_mean = first / groups if groups else 0.0
            latest_mean = latest / groups if groups else 0.0
            out.append(
                ChangeRow(
                    measure,
                    _figure(groups, groups, hidden),
                    _figure(first_mean, groups, hidden),
                    _figure(latest_mean, groups, hidden),
                    _figure(latest_mean - first_mean, groups, hidden),
                )
            )
        return out


def change_table(
    rows: CellRows, measures: Sequence[Measure], dims: Dimensions, k: int
) -> ChangeTable:
    values = np.concatenate(
        [_dense(rows, dims, len(measures), 1, name) for name in ("groups", "first", "latest")],
        axis=-1,
    )
    hidden = protect(values[..., :1].astype(np.int64), k)
    return ChangeTable(tuple(measures), values, hidden)


@dataclass(frozen=True)
class KindRow:
    kind: str
    with_kind: Figure  # share of maps (0..1) that have this kind
    without_kind: Figure  # share of maps that lack it


@dataclass(frozen=True)
class MapFigures:
    maps: Figure
    kinds: list[KindRow]
    single_point_of_failure: Figure  # share of maps (0..1) with at least one
    maps_with_single_point: Figure  # how many maps that is
    strong_tie_share: Figure  # mean over maps with any tie (0..1)


@dataclass(frozen=True)
class MapTable:
    features: tuple[str, ...]  # the kinds, then "spof"
    counts: np.ndarray  # (F, C, R, Y, 2): maps with, maps without
    hidden: np.ndarray  # (F, C, R, Y)
    ties: np.ndarray  # (C, R, Y, 2): maps with ties, sum of strong shares
    hidden_ties: np.ndarray  # (C, R, Y)
    hidden_maps: np.ndarray  # (C, R, Y)

    def at(self, cell: tuple[int, int, int]) -> MapFigures:
        maps = float(self.counts[(0, *cell)].sum())
        kinds = []
        for f, feature in enumerate(self.features[:-1]):
            with_, without = (float(v) for v in self.counts[(f, *cell)])
            hidden = bool(self.hidden[(f, *cell)])
            kinds.append(
                KindRow(
                    feature,
                    _figure(with_ / maps if maps else 0.0, maps, hidden),
                    _figure(without / maps if maps else 0.0, maps, hidden),
                )
            )
        spof = len(self.features) - 1
        with_spof = float(self.counts[(spof, *cell)][0])
        tied, share_sum = (float(v) for v in self.ties[cell])
        return MapFigures(
            maps=_figure(maps, maps, bool(self.hidden_maps[cell])),
            kinds=kinds,
            single_point_of_failure=_figure(
                with_spof / maps if maps else 0.0, maps, bool(self.hidden[(spof, *cell)])
            ),
            maps_with_single_point=_figure(with_spof, maps, bool(self.hidden[(spof, *cell)])),
            strong_tie_share=_figure(
                share_sum / tied if tied else 0.0, tied, bool(self.hidden_ties[cell])
            ),
        )


def map_table(rows: CellRows, dims: Dimensions, k: int) -> MapTable:
    """Rows: measure = kind index (len(kinds) for "any map"), values maps, spof, tied, share.

    Every kind's two parts add up to the same count of maps, so the tables are protected
    together: a count of maps hidden in one is hidden in all (repeated until stable)."""
    kinds = len(STAKEHOLDER_KINDS)
    per_kind = _dense(rows, dims, kinds + 1, 1, "maps")[..., 0]  # maps with kind / all maps
    maps = per_kind[kinds]
    spof = _dense(rows, dims, kinds + 1, 1, "spof")[kinds, ..., 0]
    with_ = np.concatenate([per_kind[:kinds], spof[None]], axis=0)
    counts = np.stack([with_, maps[None].repeat(kinds + 1, axis=0) - with_], axis=-1)
    counts = counts.astype(np.int64)
    hidden_maps = protect(maps.astype(np.int64)[None, ..., None], k)[0]
    while True:
        hidden = protect(counts, k, start_hidden=np.broadcast_to(hidden_maps, counts.shape[:-1]))
        # A hidden count of maps anywhere is a hidden count of maps everywhere.
        joined = hidden_maps | hidden.any(axis=0)
        again = protect(maps.astype(np.int64)[None, ..., None], k, start_hidden=joined[None])[0]
        if (again == hidden_maps).all():
            break
        hidden_maps = again
    ties = np.concatenate(
        [
            _dense(rows, dims, kinds + 1, 1, "tied")[kinds],
            _dense(rows, dims, kinds + 1, 1, "share")[kinds],
        ],
        axis=-1,
    )
    hidden_ties = protect(ties[..., :1].astype(np.int64)[None], k)[0]
    return MapTable((*STAKEHOLDER_KINDS, "spof"), counts, hidden, ties, hidden_ties, hidden_maps)


@dataclass(frozen=True)
class PhraseTable:
    phrases: tuple[str, ...]
    counts: np.ndarray  # (P, C, R, Y)
    hidden: np.ndarray

    def at(self, cell: tuple[int, int, int], limit: int = 10) -> list[tuple[str, Figure]]:
        """The most used phrases in this cell that may be shown, most used first."""
        shown = []
        for p, phrase in enumerate(self.phrases):
            groups = float(self.counts[(p, *cell)])
            if self.hidden[(p, *cell)] or groups <= 0:
                continue
            shown.append((phrase, Figure(groups, False)))
        shown.sort(key=lambda item: (-(item[1].value or 0), len(item[0].split()), item[0]))
        return shown[:limit]


def phrase_table(rows: CellRows, phrases: Sequence[str], dims: Dimensions, k: int) -> PhraseTable:
    """Phrases are shown for all workshops or by one filter at a time."""
    counts = _dense(rows, dims, len(phrases), 1, "groups").astype(np.int64)
    hidden = protect_margins(counts, k)
    return PhraseTable(tuple(phrases), counts[..., 0], hidden)


@dataclass(frozen=True)
class FunderFigures:
    """Every suppressed table behind the funder page, for all cells at once."""

    k: int
    dims: Dimensions
    headline: HeadlineTable
    ratings: RatingTable  # statements, then key findings
    change: ChangeTable
    maps: MapTable
    computed_at: dt.datetime


def build_figures(store: FunderQueries, lessons: LessonSet, k: int) -> FunderFigures:
    """Run the funder queries and apply the suppression rules to every table."""
    dims = dimensions(store.funder_dimension_values(), k)
    keys = dims.cell_keys
    statements, findings = rating_measures(lessons)
    first_look, changed = store.funder_rating_cells(
        keys, statements=statement_keys(statements), findings=[m.finding.value for m in findings]
    )
    measures = [*statements, *findings]
    return FunderFigures(
        k=k,
        dims=dims,
        headline=headline_table(store.funder_headline_cells(keys), dims, k),
        ratings=rating_table(first_look, measures, dims, k),
        change=change_table(changed, measures, dims, k),
        maps=map_table(store.funder_map_cells(keys, kinds=STAKEHOLDER_KINDS), dims, k),
        computed_at=dt.datetime.now(),
    )


# --- free text -----------------------------------------------------------------------------------

# Words that make a phrase say nothing on their own ("of the", "we are").
STOPWORDS: tuple[str, ...] = (
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "always",
    "am",
    "an",
    "and",
    "any",
    "anyone",
    "anything",
    "are",
    "as",
    "at",
    "be",
    "because",
    "been",
    "being",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "each",
    "either",
    "even",
    "ever",
    "every",
    "everyone",
    "everything",
    "feel",
    "feels",
    "few",
    "find",
    "first",
    "for",
    "from",
    "get",
    "gets",
    "go",
    "going",
    "got",
    "had",
    "has",
    "have",
    "here",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "it's",
    "its",
    "just",
    "keep",
    "know",
    "least",
    "less",
    "let",
    "like",
    "little",
    "lot",
    "make",
    "makes",
    "made",
    "many",
    "me",
    "more",
    "most",
    "much",
    "my",
    "need",
    "needs",
    "never",
    "next",
    "no",
    "not",
    "now",
    "of",
    "off",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "others",
    "our",
    "ours",
    "out",
    "over",
    "own",
    "rarely",
    "really",
    "same",
    "say",
    "see",
    "should",
    "so",
    "some",
    "someone",
    "something",
    "still",
    "such",
    "take",
    "takes",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "thing",
    "things",
    "think",
    "this",
    "those",
    "to",
    "too",
    "up",
    "us",
    "use",
    "used",
    "using",
    "very",
    "want",
    "wants",
    "was",
    "way",
    "we",
    "we'd",
    "we're",
    "we've",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "would",
    "yet",
    "you",
    "your",
    "don't",
    "can't",
    "isn't",
)
PHRASE_CANDIDATES = 40


def redact(text: str, names: Iterable[str]) -> str:
    """Blank out names the app knows of (whole words, any case) from a quote."""
    out = text
    known = {n.strip() for n in names if n and len(n.strip()) >= 3}
    for name in sorted(known, key=len, reverse=True):
        pattern = r"(?<!\w)" + re.escape(name) + r"(?!\w)"
        out = re.sub(pattern, "[name]", out, flags=re.IGNORECASE)
    return out


def distinct_phrases(
    phrases: Sequence[tuple[str, Figure]], limit: int = 10
) -> list[tuple[str, Figure]]:
    """The most used phrases without near-repeats: a phrase inside a longer one used by as
    many groups is dropped, and so is one that continues a phrase already kept with the same
    count ("lived experience" after "people with lived": most likely one sentence)."""

    def value(figure: Figure) -> float:
        return figure.value or 0.0

    def inside(short: str, long: str) -> bool:
        return short != long and f" {short} " in f" {long} "

    def overlap(a: str, b: str) -> bool:
        x, y = a.split(), b.split()
        return any(x[-n:] == y[:n] or y[-n:] == x[:n] for n in range(1, min(len(x), len(y))))

    kept: list[tuple[str, Figure]] = []
    for phrase, figure in phrases:
        if any(inside(phrase, other) and value(f) >= value(figure) for other, f in phrases):
            continue
        if any(value(f) == value(figure) and overlap(phrase, other) for other, f in kept):
            continue
        kept.append((phrase, figure))
        if len(kept) == limit:
            break
    return kept


@dataclass(frozen=True)
class Quote:
    text: str


@dataclass(frozen=True)
class Themes:
    """A lesson's themes: the candidate phrases with suppression, and the pool of groups that
    gave consented answers (quotes come only from a cell where that pool is shown)."""

    lesson_id: str
    phrases: PhraseTable
    pool: np.ndarray  # (C, R, Y): groups with consented answers on the lesson
    pool_hidden: np.ndarray

    def phrases_at(self, cell: tuple[int, int, int], limit: int = 10) -> list[tuple[str, Figure]]:
        return distinct_phrases(self.phrases.at(cell, limit=PHRASE_CANDIDATES), limit)

    def quotes_allowed(self, cell: tuple[int, int, int], k: int) -> bool:
        return bool(not self.pool_hidden[cell] and self.pool[cell] >= k)


def build_themes(store: FunderQueries, dims: Dimensions, lesson_id: str, k: int) -> Themes:
    keys = dims.cell_keys
    phrases, rows = store.funder_phrase_cells(
        keys, lesson_id=lesson_id, stopwords=STOPWORDS, candidates=PHRASE_CANDIDATES
    )
    pool_rows = store.funder_reflection_pool(keys, lesson_id=lesson_id)
    pool = _dense(pool_rows, dims, 1, 1, "groups").astype(np.int64)
    pool_hidden = protect(pool, k)[0]
    return Themes(lesson_id, phrase_table(rows, phrases, dims, k), pool[0, ..., 0], pool_hidden)


def quotes_at(
    store: FunderQueries,
    dims: Dimensions,
    themes: Themes,
    selection: Selection,
    k: int,
    limit: int = 5,
) -> list[Quote]:
    """A handful of consented answers from the selected cell, with known names blanked;
    none when fewer than K groups answered there (or that count is hidden)."""
    if not themes.quotes_allowed(selection.cell(dims), k):
        return []
    candidates = store.funder_quote_candidates(
        dims.cell_keys,
        cell=(selection.cause, selection.region, selection.year),
        lesson_id=themes.lesson_id,
        limit=limit * 4,
    )
    chosen: list[Quote] = []
    seen: set[str] = set()
    for candidate in candidates:
        text = redact(candidate.text, candidate.names)
        if text.casefold() not in seen:
            seen.add(text.casefold())
            chosen.append(Quote(text))
        if len(chosen) == limit:
            break
    return chosen


# --- tables for screens and exports -------------------------------------------------------------


def _pct(figure: Figure, k: int) -> str:
    return figure.text(k, "{:.0%}")


def rating_frame(rows: Sequence[RatingRow], k: int, *, export: bool = False) -> pd.DataFrame:
    """One row per statement or finding: groups, mean, and the share of groups at 1..5."""
    records = []
    for row in rows:
        record: dict[str, object] = {}
        if not row.measure.is_finding:
            record["Lesson"] = row.measure.lesson_title
            record["Statement"] = row.measure.label
        record["Key finding"] = row.measure.finding.label
        if export:
            record["Groups"] = row.groups.export(k)
            record["Mean (1-5)"] = row.mean.export(k, 2)
            for bucket, share in zip(BUCKETS, row.shares, strict=True):
                record[f"Rated {bucket} (share of groups)"] = share.export(k, 3)
        else:
            record["Groups"] = row.groups.text(k)
            record["Mean (1-5)"] = row.mean.text(k, "{:.1f}")
            for bucket, share in zip(BUCKETS, row.shares, strict=True):
                record[f"Rated {bucket}"] = _pct(share, k)
        records.append(record)
    return pd.DataFrame.from_records(records)


def change_frame(rows: Sequence[ChangeRow], k: int, *, export: bool = False) -> pd.DataFrame:
    records = []
    for row in rows:
        record: dict[str, object] = {}
        if not row.measure.is_finding:
            record["Lesson"] = row.measure.lesson_title
            record["Statement"] = row.measure.label
        record["Key finding"] = row.measure.finding.label
        if export:
            record["Groups that rated twice"] = row.groups.export(k)
            record["First look (mean)"] = row.first_look.export(k, 2)
            record["Follow-up (mean)"] = row.follow_up.export(k, 2)
            record["Change"] = row.change.export(k, 2)
        else:
            record["Groups that rated twice"] = row.groups.text(k)
            record["First look (mean)"] = row.first_look.text(k, "{:.1f}")
            record["Follow-up (mean)"] = row.follow_up.text(k, "{:.1f}")
            record["Change"] = row.change.text(k, "{:+.1f}")
        records.append(record)
    return pd.DataFrame.from_records(records)


def kind_frame(figures: MapFigures, k: int, *, export: bool = False) -> pd.DataFrame:
    records = []
    for row in figures.kinds:
        if export:
            records.append(
                {
                    "Stakeholder kind": row.kind,
                    "Share of maps with it": row.with_kind.export(k, 3),
                    "Share of maps lacking it": row.without_kind.export(k, 3),
                }
            )
        else:
            records.append(
                {
                    "Stakeholder kind": row.kind,
                    "Maps with it": _pct(row.with_kind, k),
                    "Maps lacking it": _pct(row.without_kind, k),
                }
            )
    return pd.DataFrame.from_records(records)


def phrase_frame(
    phrases: Sequence[tuple[str, Figure]], k: int, *, export: bool = False
) -> pd.DataFrame:
    return pd.DataFrame.from_records(
        [
            {"Phrase": phrase, "Groups using it": figure.export(k) if export else figure.text(k)}
            for phrase, figure in phrases
        ],
        columns=["Phrase", "Groups using it"],
    )


def with_filters(frame: pd.DataFrame, selection: Selection, dims: Dimensions) -> pd.DataFrame:
    """An export's rows, each saying which cause, region and year it covers."""
    out = frame.copy()
    out.insert(
        0, "Year", "All years" if selection.year is None else dims.year.labels[selection.year]
    )
    out.insert(
        0,
        "Region",
        "All regions" if selection.region is None else dims.region.labels[selection.region],
    )
    out.insert(
        0, "Cause", "All causes" if selection.cause is None else dims.cause.labels[selection.cause]
    )
    return out


def _export_value(value: object) -> object:
    # A cell starting with = + - @ would run as a formula in a spreadsheet: keep it text.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> bytes:
    """CSV (UTF-8 with a byte-order mark, so spreadsheets read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(frame.columns)
    for row in frame.itertuples(index=False):
        writer.writerow([_export_value(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(frame: pd.DataFrame, *, sheet: str, note: str = "") -> bytes:
    """An XLSX workbook of one sheet; `note` goes in a second sheet, "About"."""
    from openpyxl import Workbook

    book = Workbook()
    page = book.active
    assert page is not None
    page.title = re.sub(r"[\[\]:*?/\\]", " ", sheet)[:31] or "Figures"
    page.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        page.append([_export_value(v) for v in row])
    for column in page.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        page.column_dimensions[column[0].column_letter].width = min(60, max(10, width + 2))
    if note:
        about = book.create_sheet("About")
        for line in note.splitlines():
            about.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export_note(k: int, selection_text: str) -> str:
    return (
        "Movement Workbook: funder figures, from workshops that chose to share with funders.\n"
        f"Filters: {selection_text}.\n"
        f"'{suppressed_text(k)}' marks a figure built from fewer than {k} groups, or one hidden "
        "so that such a figure cannot be worked out by subtraction.\n"
        "Shares are fractions of groups (0 to 1); ratings are group means on a 1-5 scale."
    )
