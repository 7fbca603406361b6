"""One row of a map (as a worksheet, a CSV or a JSON file gives it) read as a stakeholder, or
plain sentences saying which row is wrong and why; shared by the worksheet and the files.

Pure: nothing here touches the store, the screen or a file. Sentences never contain user text:
where a problem belongs to a named row, the name travels beside the sentence
(`RowProblem.name`), so a page can show it as text. Nothing a person typed is changed on the
way in (no apostrophe taken off, nothing cut): a value that does not fit is refused, naming
the row and the limit.
"""

from __future__ import annotations

import functools
import gettext
import math
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, TypeVar

from pydantic import ValidationError

from workbook import i18n
from workbook.i18n import N_
from workbook.keys import name_key
from workbook.models import (
    INFLUENCE_MAX,
    INFLUENCE_MIN,
    STAKEHOLDER_FIELDS,
    STAKEHOLDER_KINDS,
    SpectrumBand,
    StakeholderIn,
    TieStrength,
    plain_errors,
)
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import english_or

# The stakeholder fields, in worksheet and file order.
FIELDS: Final = STAKEHOLDER_FIELDS
_FLAGS: Final = ("not_our_battle", "must_invest")

# How much one map holds, from the worksheet or from files.
MAX_STAKEHOLDER_ROWS: Final = 500
MAX_TIE_ROWS: Final = 5_000


# --- problems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one row. `where` and `problems` are ours; `name` is as typed."""

    where: str  # "Row 3", or "Ties, row 2": as the person sees the table or the file
    name: str
    problems: tuple[str, ...]

    @property
    def sentence(self) -> str:
        return f"{self.where}: {' '.join(self.problems)}"


def count(number: int, one: str) -> str:
    """ "1 row", "3 rows"."""
    return f"{number:,} {one}{'' if number == 1 else 's'}"


# The fields as the worksheet and the files' sentences name them (models' titles, and the two
# ticks), marked for the catalog: a sentence names them in the session's language.
FIELD_TITLES: Final = {
    "name": N_("Name"),
    "kind": N_("Kind"),
    "influence": N_("Influence"),
    "band": N_("Position on the spectrum of allies"),
    "target_band": N_("Where we want them"),
    "tie": N_("Our tie with them"),
    "energy_hours": N_("Energy per month (hours)"),
    "note": N_("Note"),
    "not_our_battle": N_("Not our battle"),
    "must_invest": N_("Must invest"),
}


def field_title(name: str) -> str:
    return FIELD_TITLES.get(name) or StakeholderIn.model_fields[name].title or name


# --- reading one value ------------------------------------------------------------------------

E = TypeVar("E", bound=StrEnum)


def missing(value: object) -> bool:
    """Empty, as a cell can be: None, NaN, pandas' NA or NaT, or only spaces."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values, without pandas
        return True
    return isinstance(value, str) and not value.strip()


def _token(value: object) -> str:
    # "Passive ally", "passive-ally" and "PASSIVE_ALLY" all read as passive_ally.
    return re.sub(r"[\s_\-]+", "_", str(value).strip().casefold())


def choice(value: object, enum: type[E]) -> E | None:
    """The member a cell names, by value or label, ignoring case, spaces and dashes."""
    if not isinstance(value, str):
        return None
    wanted = _token(value)
    for member in enum:
        label = getattr(member, "label", member.value)
        if wanted in (_token(member.value), _token(label)):
            return member
    found = _spoken_words().get(wanted)
    return found if isinstance(found, enum) else None


@functools.cache
def _spoken_words() -> dict[str, StrEnum | str]:
    """Bands, tie strengths and kinds as each of the app's languages words them on screen, as
    tokens: a file typed by people in a Danish workshop ("Passiv allieret", "Lokal gruppe")
    imports anywhere, while the app's own files keep the English values."""
    found: dict[str, StrEnum | str] = {}
    for code in i18n.CODES:
        gettext = i18n.translations(code).gettext
        for table in (word.BAND_WORDS, word.BAND_WORDS_LOWER, word.TIE_WORDS, word.TIE_WORDS_LOWER):
            for member, text in table.items():
                found.setdefault(_token(gettext(text)), member)
        for kind, text in word.KIND_WORDS.items():
            found.setdefault(_token(gettext(text)), kind)
    return found


def _kind(value: object) -> str:
    """A kind as stored (its English name), from its name in any of the app's languages."""
    token = _token(value)
    if token in _KIND_TOKENS:
        return _KIND_TOKENS[token]
    spoken = _spoken_words().get(token)
    return spoken if isinstance(spoken, str) and not isinstance(spoken, StrEnum) else str(value)


_KIND_TOKENS: Final = {_token(kind): kind for kind in STAKEHOLDER_KINDS}
# Yes and no as people type them, in English and Danish.
_TRUE: Final = {"true", "yes", "y", "1", "x", "✓", "✔", "on", "ja", "j", "sand"}
_FALSE: Final = {"false", "no", "n", "0", "off", "nej", "falsk"}


def _flag(value: object) -> bool | None:
    if missing(value):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    if not isinstance(value, str):
        return None
    token = _token(value)
    if token in _TRUE:
        return True
    if token in _FALSE:
        return False
    return None


def _number(value: object) -> object:
    """A number typed with a decimal comma ("2,5") reads as 2.5; anything else is left as is."""
    if isinstance(value, bool):
        return str(value)  # yes/no is not a number: pydantic would read it as 1 or 0
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+,\d+", text):
            return text.replace(",", ".")
        return text
    return value


def as_text(value: object) -> str | None:
    """A cell as text: strings as they are, whole numbers without ".0"; None for a list, an
    object or yes/no (a file's structure where a text belongs)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    try:
        return str(operator.index(value))  # int, and numpy's integers
    except TypeError:
        return None


def row_id(value: object) -> int | None:
    """A stakeholder id or a file's numeric ref: a whole number, else None."""
    if missing(value) or isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 2**53 else None
    text = as_text(value)
    found = re.fullmatch(r"\s*(-?\d{1,18})(?:\.0*)?\s*", text or "")
    return int(found.group(1)) if found else None


def strength(raw: object) -> TieStrength | None:
    """A tie's strength: weak when left empty, None when it is not a strength."""
    return TieStrength.weak if missing(raw) else choice(raw, TieStrength)


# --- stakeholder rows -------------------------------------------------------------------------


def _options(enum: type[StrEnum], _: word.Translate) -> str:
    if enum is SpectrumBand:
        return ", ".join(word.band(member, _) for member in SpectrumBand)
    return ", ".join(word.tie(member, _, lower=True) for member in TieStrength)


# Stand-ins for fields already reported, so pydantic reports only the others.
_STAND_INS: Final[dict[str, Any]] = {
    "name": "?",
    "kind": STAKEHOLDER_KINDS[0],
    "influence": INFLUENCE_MIN,
    "band": SpectrumBand.neutral,
    "target_band": None,
    "tie": TieStrength.none,
    "energy_hours": 0,
    "note": "",
}


def parse_stakeholder_row(
    row: Mapping[str, object],
    *,
    energy_required: bool = False,
    t: gettext.NullTranslations | None = None,
    titles: Mapping[str, str] | None = None,
    brief: bool = False,
) -> tuple[StakeholderIn | None, list[str]]:
    """One row (a dict keyed by FIELDS) as a stakeholder, or the sentences saying what to fix.

    `energy_required`: an empty energy cell is refused (the worksheet, where every row has
    one) instead of read as 0 hours (a file, where the column is optional). The sentences are
    in the language of `t` (English without); `titles` names fields as a form labels them
    (already translated), and `brief` leaves out the list of options a form's control shows."""
    _ = english_or(t).gettext

    def title(key: str) -> str:
        return (titles or {}).get(key) or _(field_title(key))

    first: list[str] = []  # the name's problem leads, as the person reads the row
    problems: list[str] = []
    values: dict[str, Any] = {}
    placeholders: set[str] = set()

    for key in ("name", "note"):
        raw = row.get(key)
        if missing(raw):
            if key == "name":
                first.append(_("A stakeholder needs a name."))
                placeholders.add(key)
            continue
        text = as_text(raw)
        if text is None:
            problems.append(_("{field} must be text.").format(field=title(key)))
            placeholders.add(key)
        else:
            values[key] = text

    kind = row.get("kind")
    if missing(kind):
        if brief:
            problems.append(_("{field} is required.").format(field=title("kind")))
        else:
            kinds = ", ".join(word.kind(kind, _) for kind in STAKEHOLDER_KINDS)
            problems.append(_("Kind is required: choose one of {kinds}.").format(kinds=kinds))
        placeholders.add("kind")
    else:
        values["kind"] = _kind(kind)

    influence = row.get("influence")
    if missing(influence):
        if brief:
            problems.append(_("{field} is required.").format(field=title("influence")))
        else:
            problems.append(
                _("Influence is required: a whole number from {low} to {high}.").format(
                    low=INFLUENCE_MIN, high=INFLUENCE_MAX
                )
            )
        placeholders.add("influence")
    else:
        influence = _number(influence)
        if isinstance(influence, float) and influence.is_integer():
            influence = int(influence)
        values["influence"] = influence

    for key, required in (("band", True), ("target_band", False), ("tie", False)):
        raw = row.get(key)
        enum: type[StrEnum] = TieStrength if key == "tie" else SpectrumBand
        if missing(raw):
            if required:
                if brief:
                    problems.append(_("{field} is required.").format(field=title(key)))
                else:
                    problems.append(
                        _("{field} is required: {options}.").format(
                            field=title(key), options=_options(enum, _)
                        )
                    )
                placeholders.add(key)
            continue
        member = choice(raw, enum)
        if member is None:
            problems.append(
                _("{field} must be one of: {options}.").format(
                    field=title(key), options=_options(enum, _)
                )
            )
            placeholders.add(key)
        else:
            values[key] = member

    hours = row.get("energy_hours")
    if not missing(hours):
        values["energy_hours"] = _number(hours)
    elif energy_required:
        problems.append(
            _("{field} is empty: type 0 if they take none of your time.").format(
                field=title("energy_hours")
            )
        )
        placeholders.add("energy_hours")

    for key in _FLAGS:
        flag = _flag(row.get(key))
        if flag is None:
            problems.append(_("{field} must be yes or no.").format(field=title(key)))
        else:
            values[key] = flag

    for key in placeholders:
        values[key] = _STAND_INS[key]
    try:
        stakeholder = StakeholderIn(**values)
    except ValidationError as error:
        # pydantic's own checks in the same language (its catalog's header names it).
        said_in = i18n.supported(english_or(t).info().get("language"))
        return None, first + plain_errors(error, StakeholderIn, said_in) + problems
    if first or problems:
        return None, first + problems
    return stakeholder, []


@dataclass(frozen=True)
class ParsedRow:
    where: str
    stakeholder: StakeholderIn
    stakeholder_id: int | None = None  # the worksheet's "#" column: None for a new row
    ref: str | None = None  # a file's own reference for its ties


@dataclass(frozen=True)
class ParsedRows:
    rows: tuple[ParsedRow, ...]
    problems: tuple[RowProblem, ...]
    blank_rows: int = 0
    # Rows with no energy: the cell empty or the column missing, read as 0 hours (files
    # only; the worksheet refuses an empty cell).
    energy_left_empty: tuple[str, ...] = ()
    # Rows whose name or note had spaces, tabs or line breaks at its ends, which the text
    # policy (workbook/models.py) takes off: a file's import says so.
    trimmed_names: tuple[str, ...] = ()
    trimmed_notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


_MEANINGFUL: Final = ("name", "kind", "influence", "band", "target_band", "note")


def _is_blank(row: Mapping[str, object], defaults: Mapping[str, object]) -> bool:
    # A row someone added and left as it came (empty, or only the worksheet's defaults).
    keys = set(_MEANINGFUL) | set(defaults)
    return all(missing(row.get(key)) or row.get(key) == defaults.get(key) for key in keys)


def shown_name(row: Mapping[str, object]) -> str:
    """The row's name as typed, to show beside its problems ("" when it has none)."""
    name = row.get("name")
    return "" if missing(name) else (as_text(name) or "")


def parse_stakeholder_rows(
    rows: Iterable[Mapping[str, object]],
    *,
    where: str = "Row {n}",
    first: int = 1,
    id_key: str | None = None,
    ref_key: str | None = None,
    defaults: Mapping[str, object] | None = None,
    energy_required: bool = False,
    t: gettext.NullTranslations | None = None,
    titles: Mapping[str, str] | None = None,
    brief: bool = False,
) -> ParsedRows:
    """Check every row; blank rows are skipped (and counted), not reported.

    `where` names a row for the person ("Row {n}", n counting from `first`); `id_key` reads
    the worksheet's stakeholder id, `ref_key` a file's reference for its ties; a row holding
    only `defaults` (what a new worksheet row starts with) is blank.
    """
    parsed: list[ParsedRow] = []
    problems: list[RowProblem] = []
    left_empty: list[str] = []
    trimmed: dict[str, list[str]] = {"name": [], "note": []}
    blank = 0
    for number, row in enumerate(rows, start=first):
        known = id_key is not None and not missing(row.get(id_key))
        if not known and _is_blank(row, defaults or {}):  # a stored row is never blank
            blank += 1
            continue
        label = where.format(n=number)
        stakeholder, sentences = parse_stakeholder_row(
            row, energy_required=energy_required, t=t, titles=titles, brief=brief
        )
        if stakeholder is None:
            problems.append(RowProblem(label, shown_name(row), tuple(sentences)))
            continue
        if missing(row.get("energy_hours")):
            left_empty.append(label)
        for key, places in trimmed.items():
            raw = row.get(key)
            if isinstance(raw, str) and raw.strip() and raw != raw.strip():
                places.append(label)
        ref = None
        if ref_key is not None and not missing(row.get(ref_key)):
            ref = (as_text(row.get(ref_key)) or "").strip() or None
        sid = row_id(row.get(id_key)) if id_key is not None else None
        parsed.append(ParsedRow(label, stakeholder, sid, ref))
    return ParsedRows(
        tuple(parsed),
        tuple(problems),
        blank,
        tuple(left_empty),
        tuple(trimmed["name"]),
        tuple(trimmed["note"]),
    )


def repeated_names(rows: Sequence[ParsedRow]) -> list[list[str]]:
    """Groups of rows (by `where`) that share a name, compared as the diff does (`name_key`)."""
    seen: dict[str, list[str]] = {}
    for row in rows:
        key = name_key(row.stakeholder.name)
        seen.setdefault(key, []).append(row.where)
    return [wheres for wheres in seen.values() if len(wheres) > 1]
