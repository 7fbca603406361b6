"""What an imported map file holds (`MapFile`), built from the rows a CSV or JSON file gives:
its limits, its column names, the refs that tie its stakeholders together.

Sentences about the file as a whole (`MapFile.problems`) name the file, which is user text:
the page shows them as text, like the row problems' names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from workbook.bidi import isolate
from workbook.keys import name_key, slug
from workbook.map_rows import (
    FIELDS,
    MAX_STAKEHOLDER_ROWS,
    MAX_TIE_ROWS,
    ParsedRows,
    RowProblem,
    as_text,
    count,
    missing,
    parse_stakeholder_rows,
    strength,
)
from workbook.models import StakeholderIn, TieStrength

# Bounds on a file, checked before anything else reads it.
MAX_FILE_BYTES: Final = 1_000_000
MAX_COLUMNS: Final = 50  # columns of a CSV, fields of one stakeholder or tie in JSON
MAX_CELL_CHARS: Final = 5_000  # any one cell or text; a note is at most 500 of them
MAX_DEPTH: Final = 20  # JSON nesting; the app's own file is 3 deep
MAX_NUMBER_DIGITS: Final = 20
MAX_EXPONENT: Final = 99


@dataclass(frozen=True)
class FileTie:
    """A tie read from a file, between two of the file's stakeholders (by position)."""

    source: int
    target: int
    strength: TieStrength


@dataclass(frozen=True)
class MapFile:
    """What an uploaded file holds, or why it cannot be used."""

    stakeholders: tuple[StakeholderIn, ...] = ()
    ties: tuple[FileTie, ...] = ()
    energy_budget: float | None = None
    problems: tuple[str, ...] = ()  # about the file as a whole (may name the file)
    row_problems: tuple[RowProblem, ...] = ()
    notes: tuple[str, ...] = ()  # worth knowing, not in the way (may name a file or column)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.row_problems and bool(self.stakeholders)

    @property
    def sentence(self) -> str:
        """A one-line summary of what would be imported."""
        text = count(len(self.stakeholders), "stakeholder")
        return text + (f" and {count(len(self.ties), 'tie')}" if self.ties else "")


def refuse(*sentences: str) -> MapFile:
    return MapFile(problems=tuple(sentences))


# --- column names -----------------------------------------------------------------------------

_HEADER_ALIASES: Final = {
    "id": "ref",
    "#": "ref",
    "position": "band",
    "spectrum": "band",
    "position_on_the_spectrum_of_allies": "band",
    "target": "target_band",
    "where_we_want_them": "target_band",
    "our_tie": "tie",
    "our_tie_with_them": "tie",
    "energy": "energy_hours",
    "hours": "energy_hours",
    "energy_per_month_hours": "energy_hours",
    "energy_per_month": "energy_hours",
}
_TIE_ALIASES: Final = {"from": "source", "to": "target"}
STAKEHOLDER_COLUMNS: Final = ("ref", *FIELDS)


def header(name: str) -> str:
    """A column name as a token: "Energy (hours)" -> "energy_hours"."""
    return re.sub(r"[^0-9a-z#]+", "_", name.strip().casefold()).strip("_")


def stakeholder_column(name: str) -> str:
    token = header(name)
    return _HEADER_ALIASES.get(token, token)


def tie_column(name: str) -> str:
    token = header(name)
    return _TIE_ALIASES.get(token, token)


def repeated_column(names: Iterable[str]) -> str | None:
    """A sentence when two columns (or keys) mean the same field, which would lose one."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            return (
                f"columns {seen[name]} and {position} are both read as {name}; keep one of "
                "them, so that nothing is left out."
            )
        seen[name] = position
    return None


def is_ties_table(headers: Sequence[str]) -> bool:
    named = {tie_column(h) for h in headers}
    return {"source", "target"} <= named and "name" not in named


def unused_columns(
    headers: Iterable[tuple[str, str]], known: Iterable[str], *, word: str
) -> list[str]:
    """A note naming the columns (or keys) the app does not use, each by its header as typed
    in the file (pairs of the header's token and the header as typed)."""
    wanted = set(known)
    unused = [typed for token, typed in headers if token and token not in wanted]
    if not unused:
        return []
    listed = ", ".join(f'"{isolate(typed)}"' for typed in unused)
    return [f"{word} the app does not use were left out: {listed}."]


# --- a map from rows --------------------------------------------------------------------------


def _file_ties(
    rows: Sequence[Mapping[str, object]],
    parsed: ParsedRows,
    *,
    where: str,
    first: int,
) -> tuple[list[FileTie], list[RowProblem], int]:
    """Ties of a file, each end found by the file's ref, or else by a name used only once."""
    by_ref: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for position, row in enumerate(parsed.rows):
        if row.ref is not None:
            by_ref.setdefault(row.ref.casefold(), position)
        by_name.setdefault(name_key(row.stakeholder.name), []).append(position)

    def find(value: object) -> tuple[int | None, str | None]:
        key = (as_text(value) or "").strip()
        if key.casefold() in by_ref:
            return by_ref[key.casefold()], None
        found = by_name.get(name_key(key), [])
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, "names more than one stakeholder: use their ref instead."
        return None, "matches no stakeholder's ref or name in the file."

    ties: list[FileTie] = []
    problems: list[RowProblem] = []
    seen: dict[tuple[int, int], str] = {}
    blank = 0
    for number, raw_row in enumerate(rows, start=first):
        row = {tie_column(k): v for k, v in raw_row.items()}
        source_raw, target_raw = row.get("source"), row.get("target")
        if missing(source_raw) and missing(target_raw):
            blank += 1
            continue
        label = where.format(n=number)
        sentences: list[str] = []
        ends: list[int | None] = []
        for title, raw in (("From", source_raw), ("To", target_raw)):
            if missing(raw):
                sentences.append(f"{title} is required.")
                ends.append(None)
                continue
            position, problem = find(raw)
            if problem:
                sentences.append(f"{title} {problem}")
            ends.append(position)
        tie_strength = strength(row.get("strength"))
        if tie_strength is None or tie_strength == TieStrength.none:
            sentences.append("Strength must be weak or strong.")
        source, target = ends
        if source is not None and source == target:
            sentences.append("A tie needs two different stakeholders.")
        if not sentences and source is not None and target is not None and tie_strength:
            pair = (min(source, target), max(source, target))
            if pair in seen:
                sentences.append(f"The same two stakeholders are already tied in {seen[pair]}.")
            else:
                seen[pair] = label[0].lower() + label[1:]
                ties.append(FileTie(pair[0], pair[1], tie_strength))
        if sentences:
            shown = " → ".join(
                "" if missing(v) else (as_text(v) or "") for v in (source_raw, target_raw)
            )
            problems.append(RowProblem(label, shown, tuple(sentences)))
    return ties, problems, blank


def _trimmed_note(names: Sequence[str], notes: Sequence[str]) -> list[str]:
    """Which rows lost spaces, tabs or line breaks at the ends of a name or note."""
    parts = []
    for wheres, what in ((names, "name"), (notes, "note")):
        if wheres:
            listed = ", ".join(w[0].lower() + w[1:] for w in wheres[:5])
            more = " and more" if len(wheres) > 5 else ""
            parts.append(f"{count(len(wheres), what)} ({listed}{more})")
    if not parts:
        return []
    return [
        f"Trimmed spaces, tabs or line breaks at the ends of {' and of '.join(parts)}, as "
        "the app does with everything typed."
    ]


def _energy_note(wheres: Sequence[str]) -> list[str]:
    if not wheres:
        return []
    listed = ", ".join(wheres[:5]) + (" and more" if len(wheres) > 5 else "")
    return [f"No energy was given in {count(len(wheres), 'row')} ({listed}): read as 0 hours."]


def map_from_rows(
    rows: Sequence[Mapping[str, object]],
    tie_rows: Sequence[Mapping[str, object]] | None,
    *,
    name: str,
    csv_rows: bool,
    first: int = 1,
    tie_first: int = 1,
    energy_budget: float | None = None,
    notes: Sequence[str] = (),
) -> MapFile:
    """A map from a file's rows of stakeholders and of ties (keys already named as FIELDS);
    `first` and `tie_first` number the first row of each as the person sees it (a CSV's first
    row under its header is row 2)."""
    if len(rows) > MAX_STAKEHOLDER_ROWS:
        return refuse(
            f"{name} has {len(rows):,} stakeholder rows; a map holds at most "
            f"{MAX_STAKEHOLDER_ROWS} stakeholders."
        )
    if tie_rows is not None and len(tie_rows) > MAX_TIE_ROWS:
        return refuse(f"{name} has {len(tie_rows):,} ties; a map holds at most {MAX_TIE_ROWS:,}.")
    word = "Row {n}" if csv_rows else "Stakeholder {n}"
    parsed = parse_stakeholder_rows(rows, where=word, first=first, ref_key="ref")
    all_notes = list(notes)
    if parsed.blank_rows:
        all_notes.append(f"{count(parsed.blank_rows, 'empty row')} skipped.")
    all_notes += _energy_note(parsed.energy_left_empty)
    all_notes += _trimmed_note(parsed.trimmed_names, parsed.trimmed_notes)
    problems = list(parsed.problems)
    refs: dict[str, str] = {}
    for row in parsed.rows:
        if row.ref is None:
            continue
        if row.ref.casefold() in refs:
            problems.append(
                RowProblem(
                    row.where,
                    row.stakeholder.name,
                    (
                        f"Its ref is also used by {refs[row.ref.casefold()].lower()}: each ref "
                        "must be unique.",
                    ),
                )
            )
        else:
            refs[row.ref.casefold()] = row.where
    ties: list[FileTie] = []
    if tie_rows:
        tie_word = "Ties, row {n}" if csv_rows else "Tie {n}"
        ties, tie_problems, blank = _file_ties(tie_rows, parsed, where=tie_word, first=tie_first)
        problems += tie_problems
        if blank:
            all_notes.append(f"{count(blank, 'empty tie row')} skipped.")
    if not parsed.rows and not problems:
        return MapFile(problems=(f"{name} has no stakeholders in it.",), notes=tuple(all_notes))
    return MapFile(
        stakeholders=tuple(row.stakeholder for row in parsed.rows) if not problems else (),
        ties=tuple(ties) if not problems else (),
        energy_budget=energy_budget,
        row_problems=tuple(problems),
        notes=tuple(all_notes),
    )


def export_name(title: str, suffix: str) -> str:
    """A file name from a group's name: letters, digits and dashes only, never empty."""
    stem = slug(title) or "our"
    return f"{stem}-stakeholder-map{suffix}"
