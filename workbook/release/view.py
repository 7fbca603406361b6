"""The funder view's figures: arithmetic on published releases, never on the raw tables.

A selection is a period (a release) or all periods, a cause or all, a region or all. A figure
is the sum, over the selected periods' latest releases, of that release's published value at
the selected cause and region; its variance is the sum of theirs (releases of different
periods are independent). Means are noisy sum over noisy count, with a 90% margin from both;
a figure whose margin is wider than its limit reads "too few groups to say".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from workbook import i18n
from workbook.i18n import N_
from workbook.models import STAKEHOLDER_KINDS, KeyFinding
from workbook.release.budget import EPSILON_DELTA, MEAN_LIMIT, Z90
from workbook.release.make import OTHER_KEY
from workbook.release.marginals import ALL
from workbook.release.mechanisms import epsilon_at
from workbook.store.releases import PublishedRelease, ReleaseQueries, ReleaseRecord
from workbook.text_analysis import distinct_phrases

SHARE_LIMIT = 0.2  # a share (0-1) whose margin is wider says "too few"
TOO_FEW = N_("too few groups to say")  # English here; shown with the reader's `_`
BARS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Estimate:
    """A published figure: its value (None: too few groups to say) and 90% margin."""

    value: float | None
    margin: float

    @property
    def known(self) -> bool:
        return self.value is not None

    def text(self, style: str = "count", code: str = i18n.DEFAULT) -> str:
        """The figure and its margin as the language `code` writes them ("1,234 ± 23" in
        English, "1.234 ± 23" in Danish)."""
        _ = i18n.gettext_for(code)
        if self.value is None:
            return _(TOO_FEW)
        if style == "count":
            return count_text(self.value, self.margin, code)
        if style == "share":
            return _("{share} ± {points} pts").format(
                share=i18n.format_percent(round(self.value, 2), code),
                points=max(1, round(self.margin * 100)),
            )
        return mean_text(self.value, self.margin, signed=style == "change", code=code)


def count_text(value: float, margin: float, code: str = i18n.DEFAULT) -> str:
    """A count and its margin, whole numbers (the margin at least 1): "1,234 ± 23"."""
    count = i18n.format_decimal(round(value), code, digits=0)
    return f"{count} ± {i18n.format_decimal(max(1, round(margin)), code, digits=0)}"


def mean_text(
    value: float, margin: float, *, signed: bool = False, code: str = i18n.DEFAULT
) -> str:
    """A mean or change on the 1-5 scale with its margin: one decimal, or two when the margin
    is under 0.05 (so it never reads "± 0.0"); a margin under 0.01 shows as 0.01. Written as
    the language `code` writes numbers (3,1 ± 0,2 in Danish)."""
    digits = 2 if margin < 0.05 else 1
    sign = "+" if signed else ""
    shown = f"{value:{sign}.{digits}f} ± {max(margin, 10**-digits):.{digits}f}"
    # The same digits in every language (values on the 1-5 scale need no thousands
    # separator), with the language's decimal sign: 3,1 ± 0,2 in Danish.
    decimal = i18n.decimal_sign(code)
    return shown if decimal == "." else shown.replace(".", decimal)


def _count(value: float, variance: float) -> Estimate:
    margin = Z90 * math.sqrt(max(variance, 0.0))
    if value < margin:
        return Estimate(None, margin)
    return Estimate(float(value), margin)


def _ratio(top: float, top_var: float, bottom: float, bottom_var: float, limit: float) -> Estimate:
    """top / bottom with the delta method's margin; None when the margin passes `limit`."""
    if bottom <= 0 or not math.isfinite(top_var + bottom_var):
        return Estimate(None, math.inf)
    value = top / bottom
    margin = Z90 * math.sqrt(max(top_var + value**2 * bottom_var, 0.0)) / _low(bottom, bottom_var)
    return Estimate(value if margin <= limit else None, margin)


def _low(count: float, variance: float) -> float:
    """A noisy count at the low end of its margin: the denominator of a ratio's margin, so a
    count that noise happened to inflate does not make a mean look more precise than it is
    (shown means then keep their 90% coverage)."""
    return max(count - Z90 * math.sqrt(max(variance, 0.0)), count / 4, 1e-9)


@dataclass(frozen=True)
class Selection:
    """What a funder filtered by: None means all."""

    period: int | None = None
    cause: str | None = None  # a category key
    region: str | None = None

    @property
    def filters(self) -> int:
        return sum(x is not None for x in (self.period, self.cause, self.region))


@dataclass(frozen=True)
class Rating:
    """One statement or key finding under a selection."""

    measure: str  # "lesson/statement" or the key finding's value
    label: str
    is_finding: bool
    finding: KeyFinding
    groups: Estimate  # group-ratings behind it (for a finding: over its statements)
    mean: Estimate
    bars: tuple[Estimate, ...]  # share of groups at 1..5


@dataclass(frozen=True)
class Change:
    finding: KeyFinding
    groups: Estimate  # returning groups
    change: Estimate  # mean of (latest follow-up - first look)


@dataclass(frozen=True)
class Maps:
    maps: Estimate
    single_point: Estimate  # share of maps
    strong_share: Estimate  # mean share of strong ties over maps with a tie
    kinds: tuple[tuple[str, Estimate], ...]  # share of maps that include each kind


@dataclass(frozen=True)
class Guarantee:
    """What the releases promise, in figures."""

    rho_per_release: float
    lifetime_rho: float
    delta: float
    most_spent: float

    @property
    def epsilon(self) -> float:
        return epsilon_at(self.lifetime_rho, EPSILON_DELTA)

    @property
    def epsilon_delta(self) -> float:
        return EPSILON_DELTA + self.delta


@dataclass
class FunderView:
    """Everything the funder page may show: built from the latest release of each period."""

    releases: list[PublishedRelease]
    statement_labels: dict[str, str]  # "lesson/statement" -> its text
    lifetime_rho: float = 1.0
    most_spent: tuple[float, float] = (0.0, 0.0)
    # Per period, the release the shown one replaced (the one made just before it), if any.
    replaced: dict[int, ReleaseRecord] = field(default_factory=dict)
    _sums: dict[Selection, pd.DataFrame] = field(default_factory=dict)

    # -- what can be chosen -------------------------------------------------------------------

    @property
    def empty(self) -> bool:
        return not self.releases

    @cached_property
    def periods(self) -> list[int]:
        return sorted(r.record.period for r in self.releases)

    def _options(self, axis: str) -> list[tuple[str, str]]:
        labels: dict[str, str] = {}
        for release in self.releases:
            rows = release.categories[release.categories["axis"] == axis]
            for key, label in zip(rows["key"], rows["label"], strict=True):
                if key != OTHER_KEY:
                    labels.setdefault(str(key), str(label))
        return sorted(labels.items(), key=lambda item: item[1].casefold())

    @cached_property
    def causes(self) -> list[tuple[str, str]]:
        """(key, label) of every cause listed in some release."""
        return self._options("cause")

    @cached_property
    def regions(self) -> list[tuple[str, str]]:
        return self._options("region")

    def missing_from(self, selection: Selection) -> list[int]:
        """Periods whose release does not list the selected cause or region on its own
        (its groups are counted under "other" there, so they are not in this figure)."""
        out = []
        for release in self._chosen(selection):
            if self._position(release, "cause", selection.cause) is None or (
                self._position(release, "region", selection.region) is None
            ):
                out.append(release.record.period)
        return out

    def years_in(self, selection: Selection) -> list[int]:
        """The periods whose figures are in this selection's figures (a period whose release
        does not list the chosen cause or region on its own adds nothing to them)."""
        missing = set(self.missing_from(selection))
        return sorted(
            r.record.period for r in self._chosen(selection) if r.record.period not in missing
        )

    @cached_property
    def guarantee(self) -> Guarantee:
        rhos = [r.record.rho for r in self.releases] or [0.0]
        return Guarantee(
            rho_per_release=max(rhos),
            lifetime_rho=self.lifetime_rho,
            delta=max(self.most_spent[1], max((r.record.delta for r in self.releases), default=0)),
            most_spent=self.most_spent[0],
        )

    # -- sums over releases -------------------------------------------------------------------

    def _chosen(self, selection: Selection) -> list[PublishedRelease]:
        return [
            r
            for r in self.releases
            if selection.period is None or r.record.period == selection.period
        ]

    @staticmethod
    def _position(release: PublishedRelease, axis: str, key: str | None) -> int | None:
        if key is None:
            return ALL
        rows = release.categories
        hit = rows[(rows["axis"] == axis) & (rows["key"] == key)]
        return None if hit.empty else int(hit["position"].iat[0])

    def _sum(self, selection: Selection) -> pd.DataFrame:
        """value and variance per (family, measure, part), summed over the chosen releases."""
        if selection in self._sums:
            return self._sums[selection]
        parts = []
        for release in self._chosen(selection):
            cause = self._position(release, "cause", selection.cause)
            region = self._position(release, "region", selection.region)
            if cause is None or region is None:
                continue
            figures = release.figures
            parts.append(figures[(figures["cause"] == cause) & (figures["region"] == region)])
        if parts:
            summed = (
                pd.concat(parts)
                .groupby(["family", "measure", "part"], as_index=True)[["value", "variance"]]
                .sum()
            )
        else:
            summed = pd.DataFrame(
                {"value": [], "variance": []},
                index=pd.MultiIndex.from_tuples([], names=["family", "measure", "part"]),
            )
        self._sums[selection] = summed
        return summed

    def _get(
        self, selection: Selection, family: str, measure: str, part: str
    ) -> tuple[float, float]:
        summed = self._sum(selection)
        try:
            row = summed.loc[(family, measure, part)]
        except KeyError:
            return 0.0, math.inf
        return float(row["value"]), float(row["variance"])

    # -- figures ------------------------------------------------------------------------------

    def headline(self, selection: Selection) -> dict[str, Estimate]:
        out = {}
        for name, family, part in (
            ("Workshops", "groups", "workshops"),
            ("Groups", "groups", "groups"),
            ("Participants", "participants", "participants"),
            ("Stakeholder maps", "maps", "maps"),
        ):
            out[name] = _count(*self._get(selection, family, "all", part))
        return out

    def _rating(
        self,
        selection: Selection,
        measures: Sequence[str],
        *,
        key: str,
        label: str,
        finding: KeyFinding,
        is_finding: bool,
    ) -> Rating:
        bars = [0.0] * 5
        variances = [0.0] * 5
        for measure in measures:
            for b in BARS:
                value, variance = self._get(selection, "ratings", measure, str(b))
                bars[b - 1] += value
                variances[b - 1] += variance
        total = sum(bars)
        total_var = sum(variances)
        if total > 0 and all(math.isfinite(v) for v in variances):
            mean = sum(b * h for b, h in zip(BARS, bars, strict=True)) / total
            spread = sum((b - mean) ** 2 * v for b, v in zip(BARS, variances, strict=True))
            margin = Z90 * math.sqrt(spread) / _low(total, total_var)
            mean_estimate = Estimate(mean if margin <= MEAN_LIMIT else None, margin)
        else:
            mean_estimate = Estimate(None, math.inf)
        clipped = [max(h, 0.0) for h in bars]
        shown = sum(clipped)
        shares = []
        for h, v in zip(clipped, variances, strict=True):
            # With too few groups for a mean, its bars are not shown either: one rating's
            # figures are all there or all "too few", never a distribution without its mean.
            if shown <= 0 or not math.isfinite(v) or mean_estimate.value is None:
                shares.append(Estimate(None, math.inf))
                continue
            margin = Z90 * math.sqrt(v) / _low(shown, total_var)
            shares.append(Estimate(h / shown if margin <= SHARE_LIMIT else None, margin))
        return Rating(
            measure=key,
            label=label,
            is_finding=is_finding,
            finding=finding,
            groups=_count(total, total_var),
            mean=mean_estimate,
            bars=tuple(shares),
        )

    def groups_needed(self, selection: Selection, measures: Sequence[str]) -> float | None:
        """Roughly how many group ratings a mean over `measures` needs, under this selection,
        for its margin to fit within MEAN_LIMIT: from the published variances of its bars
        (this selection's own noise, with ratings spread evenly around 3), the same arithmetic
        as `_rating`'s margin. None when the release has no figures here."""
        spread = 0.0
        total_var = 0.0
        for measure in measures:
            for b in BARS:
                _, variance = self._get(selection, "ratings", measure, str(b))
                if not math.isfinite(variance):
                    return None
                spread += (b - 3) ** 2 * variance
                total_var += variance
        if total_var <= 0:
            return None
        # margin = Z90 sqrt(spread) / (n - Z90 sd(n)) <= MEAN_LIMIT
        return Z90 * math.sqrt(spread) / MEAN_LIMIT + Z90 * math.sqrt(total_var)

    def needed_here(self, selection: Selection) -> tuple[float, float] | None:
        """(a statement's, a key finding's) group ratings needed for a mean to show under this
        selection: the median over statements and over key findings."""
        statements = [
            self.groups_needed(selection, [m])
            for f in self.findings
            for m in self._statements_by_finding[f]
        ]
        findings = [
            self.groups_needed(selection, self._statements_by_finding[f]) for f in self.findings
        ]
        if any(n is None for n in statements + findings) or not statements:
            return None
        return _median(statements), _median(findings)  # type: ignore[arg-type]

    @cached_property
    def _statements_by_finding(self) -> dict[KeyFinding, list[str]]:
        out: dict[KeyFinding, list[str]] = {}
        for release in self.releases:
            finding_of = release.record.parameters.get("finding_of", {})
            for measure, finding in finding_of.items():
                bucket = out.setdefault(KeyFinding(finding), [])
                if measure not in bucket:
                    bucket.append(measure)
        return out

    @property
    def findings(self) -> list[KeyFinding]:
        return [f for f in KeyFinding if f in self._statements_by_finding]

    def finding_ratings(self, selection: Selection) -> list[Rating]:
        return [
            self._rating(
                selection,
                self._statements_by_finding[f],
                key=str(f),
                label=f.label,
                finding=f,
                is_finding=True,
            )
            for f in self.findings
        ]

    def statement_ratings(
        self, selection: Selection, finding: KeyFinding | None = None
    ) -> list[Rating]:
        out = []
        for f in self.findings:
            if finding is not None and f != finding:
                continue
            for measure in self._statements_by_finding[f]:
                out.append(
                    self._rating(
                        selection,
                        [measure],
                        key=measure,
                        label=self.statement_labels.get(measure, measure),
                        finding=f,
                        is_finding=False,
                    )
                )
        return out

    def changes(self, selection: Selection) -> list[Change]:
        out = []
        for f in self.findings:
            n, n_var = self._get(selection, "change", str(f), "groups")
            d, d_var = self._get(selection, "change", str(f), "change")
            out.append(Change(f, _count(n, n_var), _ratio(d, d_var, n, n_var, MEAN_LIMIT)))
        return out

    def maps(self, selection: Selection) -> Maps:
        maps, maps_var = self._get(selection, "maps", "all", "maps")
        tied, tied_var = self._get(selection, "maps", "all", "tied")

        def share(part: str, of: tuple[float, float] = (maps, maps_var)) -> Estimate:
            value, variance = self._get(selection, "maps", "all", part)
            return _ratio(value, variance, of[0], of[1], SHARE_LIMIT)

        return Maps(
            maps=_count(maps, maps_var),
            single_point=share("single_point"),
            strong_share=share("strong_share", (tied, tied_var)),
            kinds=tuple((kind, share(f"kind:{kind}")) for kind in STAKEHOLDER_KINDS),
        )

    def phrases(
        self, selection: Selection, lesson_id: str, limit: int = 10
    ) -> list[tuple[str, Estimate]]:
        """The lesson's most used phrases over the selected periods (all causes and regions:
        phrases are not measured per cause or region), without near-repeats: a phrase inside a
        longer one used at least as much, or one continuing a phrase kept with the same count,
        is dropped (`distinct_phrases`; only ever drops published phrases)."""
        totals: dict[str, list[float]] = {}
        for release in self._chosen(Selection(period=selection.period)):
            rows = release.phrases[release.phrases["lesson_id"] == lesson_id]
            for phrase, groups, variance in zip(
                rows["phrase"], rows["groups"], rows["variance"], strict=True
            ):
                entry = totals.setdefault(str(phrase), [0.0, 0.0])
                entry[0] += float(groups)
                entry[1] += float(variance)
        ranked = sorted(totals.items(), key=lambda item: (-item[1][0], item[0]))
        out = [(phrase, _count(v, var)) for phrase, (v, var) in ranked]
        known = [(p, e) for p, e in out if e.known]
        kept = {p for p, _ in distinct_phrases([(p, e.value or 0.0) for p, e in known], limit)}
        return [(p, e) for p, e in known if p in kept]

    def quotes(self, selection: Selection, lesson_id: str, limit: int = 6) -> list[str] | None:
        """The fixed sample's quotes under at most one filter; None when more filters are on.
        What protects a quote is the sample's cell rule (its cause x region x year holds at
        least K groups from at least 3 workshops): intersecting these lists places it at most
        in that cell."""
        if selection.filters > 1:
            return None
        per_year: list[list[str]] = []
        newest_first = sorted(self._chosen(selection), key=lambda r: -r.record.period)
        for release in newest_first:
            rows = release.quotes[release.quotes["lesson_id"] == lesson_id]
            cause = self._position(release, "cause", selection.cause)
            region = self._position(release, "region", selection.region)
            if cause is None or region is None:
                continue
            if cause != ALL:
                rows = rows[rows["cause"] == cause]
            if region != ALL:
                rows = rows[rows["region"] == region]
            per_year.append([str(t) for t in rows.sort_values("position")["text"]])
        # Years in turn (newest first), each in its sample's order, so "all years" shows
        # every year's voices, not only the first release's.
        out = [
            quotes[i]
            for i in range(max((len(q) for q in per_year), default=0))
            for quotes in per_year
            if i < len(quotes)
        ]
        return out[:limit]


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def load_view(
    store: ReleaseQueries,
    statement_labels: dict[str, str],
    lifetime_rho: float,
    withdrawn: frozenset[tuple[int, str, int]] | None = None,
) -> FunderView:
    """The latest release of each period, as the funder page reads them, without the quotes
    `withdrawn` since (`ReleaseQueries.withdrawn_quotes`, read here when not given): an
    answer a facilitator hid, or whose writer no longer consents, is quoted no more."""
    records = store.release_records()  # by id: a period's later release replaces its earlier
    latest = {record.period: record for record in records}
    replaced = {}
    for record in records:
        if record.id != latest[record.period].id:
            replaced[record.period] = record
    if withdrawn is None:
        withdrawn = store.withdrawn_quotes()
    releases = [
        _without(store.published_release(record.id, record=record), withdrawn)
        for record in sorted(latest.values(), key=lambda r: r.id)
    ]
    return FunderView(
        releases=releases,
        statement_labels=statement_labels,
        lifetime_rho=lifetime_rho,
        most_spent=store.most_spent(),
        replaced=replaced,
    )


def _without(
    release: PublishedRelease, withdrawn: frozenset[tuple[int, str, int]]
) -> PublishedRelease:
    """The release without its withdrawn quotes."""
    quotes = release.quotes
    gone = [
        (release.record.id, str(lesson), int(position)) in withdrawn
        for lesson, position in zip(quotes["lesson_id"], quotes["position"], strict=True)
    ]
    if not any(gone):
        return release
    return replace(release, quotes=quotes[[not g for g in gone]].reset_index(drop=True))
