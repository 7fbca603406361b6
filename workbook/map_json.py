"""A map as the app's JSON file, out and in: the whole map (stakeholders, ties, energy
budget) in one file, read within bounds (`workbook.bounded_json`) before any row is checked.

JSON holds typed values, so nothing is guarded against spreadsheet formulas here: text goes
out and comes back exactly as it is.
"""

from __future__ import annotations

import datetime as dt
import gettext
import json
from typing import Any, Final

from workbook import bounded_json
from workbook.file_text import read_text
from workbook.i18n import N_
from workbook.map_file import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_FILE_BYTES,
    MAX_NUMBER_DIGITS,
    STAKEHOLDER_COLUMNS,
    MapFile,
    map_from_rows,
    refuse,
    repeated_column,
    stakeholder_column,
    tie_column,
    unused_columns,
)
from workbook.map_rows import MAX_STAKEHOLDER_ROWS, MAX_TIE_ROWS
from workbook.messages import Message, say
from workbook.stakeholders.saved import MAX_ENERGY_BUDGET, StakeholderMap

_HINT: Final = say(N_("download the map from the app again (Files, Whole map (JSON))"))
FILE_FORMAT: Final = "movement-workbook/stakeholder-map"
FILE_VERSION: Final = 1
BOUNDS: Final = bounded_json.Bounds(
    max_depth=MAX_DEPTH,
    max_digits=MAX_NUMBER_DIGITS,
    max_exponent=MAX_EXPONENT,
    max_text_chars=MAX_CELL_CHARS,
    what=say(N_("map file")),
)


# The two lists of a map file (their keys are the file's words, never translated): what one
# of their objects is, in a sentence.
_ONE_OF: Final = {
    "stakeholders": (
        N_('"{key}" must be a list of objects, one per stakeholder.'),
        N_("stakeholder {number} has {n} fields; one has at most {limit}."),
    ),
    "ties": (
        N_('"{key}" must be a list of objects, one per tie.'),
        N_("tie {number} has {n} fields; one has at most {limit}."),
    ),
}


def _list_of_objects(content: dict[str, Any], key: str, limit: int) -> list[Any] | Message:
    not_a_list, too_wide = _ONE_OF[key]
    value = content.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return say(not_a_list, key=key)
    if len(value) > limit:
        return say(
            N_('"{key}" holds {n} of them; a map holds at most {limit}.'),
            key=key,
            n=len(value),
            limit=limit,
        )
    for number, item in enumerate(value, start=1):
        if len(item) > MAX_COLUMNS:
            return say(too_wide, number=number, n=len(item), limit=MAX_COLUMNS)
    return value


def _budget(value: object) -> float | Message | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return say(N_('"energy_budget" must be a number of hours a month.'))
    if not 0 <= value <= MAX_ENERGY_BUDGET:
        return say(
            N_('"energy_budget" must be from 0 to {limit} hours.'), limit=int(MAX_ENERGY_BUDGET)
        )
    return float(value)


def _json_kind(value: object) -> Message:
    if value is None:
        return say("null")
    if isinstance(value, bool):
        return say("true" if value else "false")
    if isinstance(value, str):
        return say(N_("a string"))
    return say(N_("a number"))


def _named(name: str, problem: Message) -> Message:
    return say(N_("{name}: {problem}"), name=name, problem=problem)


def read_json_file(name: str, data: bytes, *, t: gettext.NullTranslations | None = None) -> MapFile:
    """A map from the app's JSON export (or a plain list of stakeholders); row problems in
    the language of `t`."""
    source = read_text(name, data, max_bytes=MAX_FILE_BYTES, what=BOUNDS.what, hint=_HINT)
    if isinstance(source, Message):
        return refuse(source)
    try:
        content = bounded_json.loads(source.text, name=name, bounds=BOUNDS)
    except bounded_json.JsonRefused as refused:
        return refuse(refused.message)
    if isinstance(content, list):
        content = {"stakeholders": content}
    if not isinstance(content, dict):
        return refuse(
            say(
                N_(
                    "{name} holds {kind} at the top level; a map file holds an object with "
                    '"stakeholders" (a list of objects, one per stakeholder), or just that list.'
                ),
                name=name,
                kind=_json_kind(content),
            )
        )
    if content.get("format", FILE_FORMAT) != FILE_FORMAT:
        return refuse(say(N_("{name} is not a stakeholder map from Movement Workbook."), name=name))
    version = content.get("version", FILE_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version > FILE_VERSION:
        return refuse(
            say(
                N_("{name} was saved by a newer version of the app; update the app to import it."),
                name=name,
            )
        )
    if "stakeholders" not in content:
        return refuse(
            say(
                N_('{name} needs "stakeholders": a list of objects, one per stakeholder.'),
                name=name,
            )
        )
    stakeholders = _list_of_objects(content, "stakeholders", MAX_STAKEHOLDER_ROWS)
    ties = _list_of_objects(content, "ties", MAX_TIE_ROWS)
    budget = _budget(content.get("energy_budget"))
    for problem in (stakeholders, ties, budget):
        if isinstance(problem, Message):
            return refuse(_named(name, problem))
    assert isinstance(stakeholders, list) and isinstance(ties, list)
    rows = []
    for number, item in enumerate(stakeholders, start=1):
        keys = [stakeholder_column(str(key)) for key in item]
        repeated = repeated_column(keys, fields=True)
        if repeated:
            return refuse(
                say(
                    N_("{name}: in stakeholder {number}, {problem}"),
                    name=name,
                    number=number,
                    problem=repeated,
                )
            )
        rows.append(dict(zip(keys, item.values(), strict=True)))
    for number, item in enumerate(ties, start=1):
        repeated = repeated_column((tie_column(str(key)) for key in item), fields=True)
        if repeated:
            return refuse(
                say(
                    N_("{name}: in tie {number}, {problem}"),
                    name=name,
                    number=number,
                    problem=repeated,
                )
            )
    typed_keys: dict[str, str] = {}
    for item in stakeholders:
        for key in item:
            typed_keys.setdefault(stakeholder_column(str(key)), str(key))
    headers = sorted(typed_keys.items())
    notes = (
        []
        if source.encoding == "UTF-8"
        else [say(N_("{name}: read as {encoding}."), name=name, encoding=say(source.encoding))]
    )
    return map_from_rows(
        rows,
        ties,
        name=name,
        csv_rows=False,
        energy_budget=budget if isinstance(budget, float) else None,
        notes=notes + unused_columns(headers, STAKEHOLDER_COLUMNS, fields=True),
        t=t,
    )


def map_json(stakeholder_map: StakeholderMap, *, exported_at: dt.datetime | None = None) -> bytes:
    """The whole map (stakeholders, ties, energy budget) as the app's JSON file."""
    ids = {s.id for s in stakeholder_map.stakeholders}
    content: dict[str, Any] = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "exported_at": (exported_at or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "energy_budget": stakeholder_map.energy_budget,
        "stakeholders": [
            {"ref": s.id, **s.model_dump(mode="json", exclude={"id"})}
            for s in stakeholder_map.stakeholders
        ],
        "ties": [
            {"source": t.source_id, "target": t.target_id, "strength": t.strength.value}
            for t in stakeholder_map.ties
            if t.source_id in ids and t.target_id in ids
        ],
    }
    return json.dumps(content, ensure_ascii=False, indent=2).encode("utf-8")
