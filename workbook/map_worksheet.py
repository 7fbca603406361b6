"""The worksheet's tables as changes to a map: which stakeholders and ties were added, edited
or deleted against the map the tables were opened with, each bad row named.

Pure, like `map_rows`: rows come in as dicts (one per table row), changes go out for the store.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from workbook.bidi import isolate
from workbook.i18n import N_, format_decimal
from workbook.map_rows import (
    FIELDS,
    MAX_STAKEHOLDER_ROWS,
    MAX_TIE_ROWS,
    ParsedRow,
    ParsedRows,
    RowProblem,
    missing,
    parse_stakeholder_rows,
    row_id,
    strength,
)
from workbook.models import Stakeholder, StakeholderIn, Tie, TieStrength
from workbook.stakeholders.graph import english_or, language_of
from workbook.stakeholders.saved import StakeholderChanges, StakeholderUpdate, TieChanges


def too_many_rows(
    rows: int, *, ties: bool = False, t: gettext.NullTranslations | None = None
) -> str | None:
    """A sentence when a table holds more rows than a map takes (a paste can add thousands)."""
    limit = MAX_TIE_ROWS if ties else MAX_STAKEHOLDER_ROWS
    if rows <= limit:
        return None
    _ = english_or(t).gettext
    if ties:
        sentence = _(
            "The table has {rows} rows; a map holds at most {limit} ties. Nothing was saved: "
            "delete some rows and save again."
        )
    else:
        sentence = _(
            "The table has {rows} rows; a map holds at most {limit} stakeholders. Nothing was "
            "saved: delete some rows and save again."
        )
    code = language_of(t)
    return sentence.format(
        rows=format_decimal(rows, code, digits=0), limit=format_decimal(limit, code, digits=0)
    )


def parse_worksheet(
    rows: Iterable[Mapping[str, object]],
    *,
    defaults: Mapping[str, object],
    t: gettext.NullTranslations | None = None,
    titles: Mapping[str, str] | None = None,
    brief: bool = False,
) -> ParsedRows:
    """The stakeholder worksheet's rows (an "id" column holds each stored row's id); a new row
    left as it came (only `defaults`) is blank, and an emptied energy cell is refused.
    Sentences in the language of `t`; `titles` and `brief` as in parse_stakeholder_row."""
    return parse_stakeholder_rows(
        rows,
        where=english_or(t).gettext("Row {n}"),
        id_key="id",
        defaults=defaults,
        energy_required=True,
        t=t,
        titles=titles,
        brief=brief,
    )


def stakeholder_changes(
    base: Sequence[Stakeholder], rows: Sequence[ParsedRow]
) -> StakeholderChanges:
    """The edits a worksheet holds, as changes to the map it was opened with (`base`).

    A row with a known id is an update of only the fields that differ; a row without one (or
    with an id seen before in the table) is new; a stakeholder of `base` with no row left is
    deleted. Applying only what changed means two people editing different rows or fields of
    the same map on two devices do not undo each other's work.
    """
    by_id = {s.id: s for s in base}
    seen: set[int] = set()
    added: list[StakeholderIn] = []
    updated: list[StakeholderUpdate] = []
    for row in rows:
        sid = row.stakeholder_id
        if sid is None or sid not in by_id or sid in seen:
            added.append(row.stakeholder)
            continue
        seen.add(sid)
        before = by_id[sid]
        fields = {
            key: getattr(row.stakeholder, key)
            for key in FIELDS
            if getattr(row.stakeholder, key) != getattr(before, key)
        }
        if fields:
            updated.append(StakeholderUpdate(sid, fields, row.stakeholder))
    deleted = tuple(s.id for s in base if s.id not in seen)
    return StakeholderChanges(tuple(added), tuple(updated), deleted)


@dataclass(frozen=True)
class ParsedTies:
    ties: tuple[Tie, ...]  # each pair once, (lower id, higher id)
    problems: tuple[RowProblem, ...]
    blank_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_tie_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    names: Mapping[int, str],
    where: str = N_("Row {n}"),
    first: int = 1,
    no_strength: str = N_("Strength must be weak or strong (to remove a tie, delete its row)."),
    t: gettext.NullTranslations | None = None,
) -> ParsedTies:
    """The ties table: `source` and `target` are stakeholder ids among `names` (id -> name).

    `no_strength`: the sentence for a tie with no strength, in the words of the form it came
    from (the table's names its row; a card form has none)."""
    _ = english_or(t).gettext
    where, no_strength = _(where), _(no_strength)
    ties: list[Tie] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, int], str] = {}
    blank = 0
    for number, row in enumerate(rows, start=first):
        source, target = row_id(row.get("source")), row_id(row.get("target"))
        if source is None and target is None:
            blank += 1
            continue
        label = where.format(n=number)
        sentences = []
        if source is None:
            sentences.append(_("Choose who the tie is from."))
        elif source not in names:
            sentences.append(_("From: #{id} is no longer on the map.").format(id=source))
        if target is None:
            sentences.append(_("Choose who the tie is to."))
        elif target not in names:
            sentences.append(_("To: #{id} is no longer on the map.").format(id=target))
        # Unlike a file's, the table's strength is never left out: an emptied cell is asked for.
        raw_strength = row.get("strength")
        tie_strength = None if missing(raw_strength) else strength(raw_strength)
        if tie_strength is None or tie_strength == TieStrength.none:
            sentences.append(no_strength)
        if source is not None and source == target:
            sentences.append(_("A tie needs two different stakeholders."))
        shown = " → ".join(isolate(names[i]) if i in names else "?" for i in (source, target))
        if not sentences and source is not None and target is not None and tie_strength:
            pair = (min(source, target), max(source, target))
            if pair in seen:
                sentences.append(
                    _("The same two stakeholders are already tied in {row}.").format(row=seen[pair])
                )
            else:
                seen[pair] = label[:1].lower() + label[1:]
                ties.append(Tie(source_id=pair[0], target_id=pair[1], strength=tie_strength))
        if sentences:
            problems.append(RowProblem(label, shown, tuple(sentences)))
    return ParsedTies(tuple(ties), tuple(problems), blank)


def _pair(tie: Tie) -> tuple[int, int]:
    return min(tie.source_id, tie.target_id), max(tie.source_id, tie.target_id)


def tie_changes(base: Sequence[Tie], ties: Sequence[Tie]) -> TieChanges:
    """Ties to add or re-weigh, and pairs to remove, to turn `base` into `ties`."""
    before = {_pair(t): t.strength for t in base}
    after = {_pair(t): t.strength for t in ties}
    upserted = tuple(
        Tie(source_id=a, target_id=b, strength=tie_strength)
        for (a, b), tie_strength in after.items()
        if before.get((a, b)) != tie_strength
    )
    removed = tuple(pair for pair in before if pair not in after)
    return TieChanges(upserted, removed)
