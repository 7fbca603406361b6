"""What an imported map file holds (`MapFile`), built from the rows a CSV or JSON file gives:
its limits, its column names, the refs that tie its stakeholders together.

Sentences about the file as a whole (`MapFile.refusals`, `MapFile.remarks`) are Messages
(workbook/messages.py): the page says them in the session's language, and `problems` and
`notes` are the same in English, for logs and tests. They name the file, which is user text:
the page shows them as text, like the row problems' names. The row problems are written in the
language of the translations the reader is given (`t`, English without), as the worksheet's.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from workbook.bidi import isolate
from workbook.i18n import N_
from workbook.keys import name_key, slug
from workbook.map_rows import (
    FIELDS,
    MAX_STAKEHOLDER_ROWS,
    MAX_TIE_ROWS,
    ParsedRows,
    RowProblem,
    as_text,
    missing,
    parse_stakeholder_rows,
    strength,
)
from workbook.messages import Message, Number, english_number, ngettext, say
from workbook.models import StakeholderIn, TieStrength
from workbook.stakeholders.graph import english_or

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
    refusals: tuple[Message, ...] = ()  # about the file as a whole (may name the file)
    row_problems: tuple[RowProblem, ...] = ()
    remarks: tuple[Message, ...] = ()  # worth knowing, not in the way (may name a file or column)
    # Positions in `stakeholders` of those the file gave no hours (read as 0 hours a month:
    # the import says so after adding them, as they would look free in the trade-off).
    no_hours: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.refusals and not self.row_problems and bool(self.stakeholders)

    @property
    def summary(self) -> Message:
        """A one-line summary of what would be imported: "3 stakeholders and 2 ties"."""
        people = ngettext("{n} stakeholder", "{n} stakeholders", len(self.stakeholders))
        if not self.ties:
            return people
        ties = ngettext("{n} tie", "{n} ties", len(self.ties))
        return say(N_("{stakeholders} and {ties}"), stakeholders=people, ties=ties)

    @property
    def problems(self) -> tuple[str, ...]:
        """The refusals in English."""
        return tuple(english(message) for message in self.refusals)

    @property
    def notes(self) -> tuple[str, ...]:
        """The remarks in English."""
        return tuple(english(message) for message in self.remarks)

    @property
    def sentence(self) -> str:
        return english(self.summary)


def english(message: Message) -> str:
    """A sentence in English, numbers as English writes them (1,234)."""
    return message.text(number=english_number)


def said(message: Message, t: gettext.NullTranslations, number: Number) -> str:
    """A sentence in the language of `t`, numbers written by `number`."""
    return message.text(t.gettext, number)


def refuse(*sentences: Message) -> MapFile:
    return MapFile(refusals=tuple(sentences))


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


def repeated_column(names: Iterable[str], *, fields: bool = False) -> Message | None:
    """A sentence when two columns (or a JSON object's keys: `fields`) mean the same field,
    which would lose one."""
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if not name:
            continue
        if name in seen:
            template = (
                N_(
                    "fields {first} and {second} are both read as {name}; keep one of them, "
                    "so that nothing is left out."
                )
                if fields
                else N_(
                    "columns {first} and {second} are both read as {name}; keep one of them, "
                    "so that nothing is left out."
                )
            )
            return say(template, first=seen[name], second=position, name=name)
        seen[name] = position
    return None


def is_ties_table(headers: Sequence[str]) -> bool:
    named = {tie_column(h) for h in headers}
    return {"source", "target"} <= named and "name" not in named


def unused_columns(
    headers: Iterable[tuple[str, str]], known: Iterable[str], *, fields: bool = False
) -> list[Message]:
    """A note naming the columns (or a JSON file's fields: `fields`) the app does not use,
    each by its header as typed in the file (pairs of the header's token and the header as
    typed)."""
    wanted = set(known)
    unused = [typed for token, typed in headers if token and token not in wanted]
    if not unused:
        return []
    listed = ", ".join(f'"{isolate(typed)}"' for typed in unused)
    if fields:
        return [say(N_("Fields the app does not use were left out: {listed}."), listed=listed)]
    return [say(N_("Columns the app does not use were left out: {listed}."), listed=listed)]


# --- a map from rows --------------------------------------------------------------------------


def _file_ties(
    rows: Sequence[Mapping[str, object]],
    parsed: ParsedRows,
    *,
    where: str,
    first: int,
    t: gettext.NullTranslations,
) -> tuple[list[FileTie], list[RowProblem], int]:
    """Ties of a file, each end found by the file's ref, or else by a name used only once;
    the problems in the language of `t`."""
    _ = t.gettext
    by_ref: dict[str, int] = {}
    by_name: dict[str, list[int]] = {}
    for position, row in enumerate(parsed.rows):
        if row.ref is not None:
            by_ref.setdefault(row.ref.casefold(), position)
        by_name.setdefault(name_key(row.stakeholder.name), []).append(position)

    def find(value: object, end: str) -> tuple[int | None, str | None]:
        key = (as_text(value) or "").strip()
        if key.casefold() in by_ref:
            return by_ref[key.casefold()], None
        found = by_name.get(name_key(key), [])
        if len(found) == 1:
            return found[0], None
        if len(found) > 1:
            return None, _("{end} names more than one stakeholder: use their ref instead.").format(
                end=end
            )
        return None, _("{end} matches no stakeholder's ref or name in the file.").format(end=end)

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
        for title, raw in ((_("From"), source_raw), (_("To"), target_raw)):
            if missing(raw):
                sentences.append(_("{field} is required.").format(field=title))
                ends.append(None)
                continue
            position, problem = find(raw, title)
            if problem:
                sentences.append(problem)
            ends.append(position)
        tie_strength = strength(row.get("strength"))
        if tie_strength is None or tie_strength == TieStrength.none:
            sentences.append(_("Strength must be weak or strong."))
        source, target = ends
        if source is not None and source == target:
            sentences.append(_("A tie needs two different stakeholders."))
        if not sentences and source is not None and target is not None and tie_strength:
            pair = (min(source, target), max(source, target))
            if pair in seen:
                sentences.append(
                    _("The same two stakeholders are already tied in {where}.").format(
                        where=seen[pair]
                    )
                )
            else:
                seen[pair] = label[0].lower() + label[1:]
                ties.append(FileTie(pair[0], pair[1], tie_strength))
        if sentences:
            shown = " → ".join(
                "" if missing(v) else (as_text(v) or "") for v in (source_raw, target_raw)
            )
            problems.append(RowProblem(label, shown, tuple(sentences)))
    return ties, problems, blank


def _listed(wheres: Sequence[str], *, lower: bool = False) -> Message:
    """The first five places ("row 2, row 5"), and "and more" past them."""
    shown = ", ".join(w[0].lower() + w[1:] if lower else w for w in wheres[:5])
    if len(wheres) > 5:
        return say(N_("{listed} and more"), listed=shown)
    return say("{listed}", listed=shown)


def _trimmed_note(names: Sequence[str], notes: Sequence[str]) -> list[Message]:
    """Which rows lost spaces, tabs or line breaks at the ends of a name or note."""
    parts: list[Message] = []
    if names:
        parts.append(
            ngettext(
                "{n} name ({where})",
                "{n} names ({where})",
                len(names),
                where=_listed(names, lower=True),
            )
        )
    if notes:
        parts.append(
            ngettext(
                "{n} note ({where})",
                "{n} notes ({where})",
                len(notes),
                where=_listed(notes, lower=True),
            )
        )
    if not parts:
        return []
    what = (
        parts[0]
        if len(parts) == 1
        else say(N_("{first} and of {second}"), first=parts[0], second=parts[1])
    )
    return [
        say(
            N_(
                "Trimmed spaces, tabs or line breaks at the ends of {what}, as the app does "
                "with everything typed."
            ),
            what=what,
        )
    ]


def _energy_note(wheres: Sequence[str]) -> list[Message]:
    """Which rows gave no hours (an empty cell, or no such column at all)."""
    if not wheres:
        return []
    return [
        ngettext(
            "No hours were given for {n} stakeholder ({where}): it counts as 0 hours a month "
            "until you set its hours.",
            "No hours were given for {n} stakeholders ({where}): they count as 0 hours a month "
            "until you set their hours.",
            len(wheres),
            where=_listed(wheres),
        )
    ]


def map_from_rows(
    rows: Sequence[Mapping[str, object]],
    tie_rows: Sequence[Mapping[str, object]] | None,
    *,
    name: str,
    csv_rows: bool,
    first: int = 1,
    tie_first: int = 1,
    energy_budget: float | None = None,
    notes: Sequence[Message] = (),
    t: gettext.NullTranslations | None = None,
) -> MapFile:
    """A map from a file's rows of stakeholders and of ties (keys already named as FIELDS);
    `first` and `tie_first` number the first row of each as the person sees it (a CSV's first
    row under its header is row 2). Row problems are in the language of `t`."""
    t = english_or(t)
    _ = t.gettext
    if len(rows) > MAX_STAKEHOLDER_ROWS:
        return refuse(
            say(
                N_("{name} has {n} stakeholder rows; a map holds at most {limit} stakeholders."),
                name=name,
                n=len(rows),
                limit=MAX_STAKEHOLDER_ROWS,
            )
        )
    if tie_rows is not None and len(tie_rows) > MAX_TIE_ROWS:
        return refuse(
            say(
                N_("{name} has {n} ties; a map holds at most {limit}."),
                name=name,
                n=len(tie_rows),
                limit=MAX_TIE_ROWS,
            )
        )
    word = _("Row {n}") if csv_rows else _("Stakeholder {n}")
    parsed = parse_stakeholder_rows(rows, where=word, first=first, ref_key="ref", t=t)
    all_notes = list(notes)
    if parsed.blank_rows:
        all_notes.append(
            ngettext("{n} empty row skipped.", "{n} empty rows skipped.", parsed.blank_rows)
        )
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
                        _("Its ref is also used by {where}: each ref must be unique.").format(
                            where=refs[row.ref.casefold()].lower()
                        ),
                    ),
                )
            )
        else:
            refs[row.ref.casefold()] = row.where
    ties: list[FileTie] = []
    if tie_rows:
        tie_word = _("Ties, row {n}") if csv_rows else _("Tie {n}")
        ties, tie_problems, blank = _file_ties(
            tie_rows, parsed, where=tie_word, first=tie_first, t=t
        )
        problems += tie_problems
        if blank:
            all_notes.append(
                ngettext("{n} empty tie row skipped.", "{n} empty tie rows skipped.", blank)
            )
    if not parsed.rows and not problems:
        return MapFile(
            refusals=(say(N_("{name} has no stakeholders in it."), name=name),),
            remarks=tuple(all_notes),
        )
    no_hours = set(parsed.energy_left_empty)
    return MapFile(
        stakeholders=tuple(row.stakeholder for row in parsed.rows) if not problems else (),
        ties=tuple(ties) if not problems else (),
        energy_budget=energy_budget,
        row_problems=tuple(problems),
        remarks=tuple(all_notes),
        no_hours=tuple(i for i, row in enumerate(parsed.rows) if row.where in no_hours)
        if not problems
        else (),
    )


def export_name(title: str, suffix: str) -> str:
    """A file name from a group's name: letters, digits and dashes only, never empty."""
    stem = slug(title) or "our"
    return f"{stem}-stakeholder-map{suffix}"
