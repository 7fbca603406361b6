"""A map as the app's JSON file, out and in: the whole map (stakeholders, ties, energy
budget) in one file, read within bounds (`workbook.bounded_json`) before any row is checked.

JSON holds typed values, so nothing is guarded against spreadsheet formulas here: text goes
out and comes back exactly as it is.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Final

from workbook import bounded_json
from workbook.file_text import read_text
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
from workbook.stakeholders.saved import MAX_ENERGY_BUDGET, StakeholderMap

_HINT: Final = "download the map from the app again (Files, Whole map (JSON))"
FILE_FORMAT: Final = "movement-workbook/stakeholder-map"
FILE_VERSION: Final = 1
BOUNDS: Final = bounded_json.Bounds(
    max_depth=MAX_DEPTH,
    max_digits=MAX_NUMBER_DIGITS,
    max_exponent=MAX_EXPONENT,
    max_text_chars=MAX_CELL_CHARS,
    what="map file",
)


def _list_of_objects(content: dict[str, Any], key: str, limit: int) -> list[Any] | str:
    value = content.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return f'"{key}" must be a list of objects, one per {key[:-1]}.'
    if len(value) > limit:
        return f'"{key}" holds {len(value):,} of them; a map holds at most {limit:,}.'
    for number, item in enumerate(value, start=1):
        if len(item) > MAX_COLUMNS:
            return f"{key[:-1]} {number} has {len(item):,} fields; one has at most {MAX_COLUMNS}."
    return value


def _budget(value: object) -> float | str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return '"energy_budget" must be a number of hours a month.'
    if not 0 <= value <= MAX_ENERGY_BUDGET:
        return f'"energy_budget" must be from 0 to {MAX_ENERGY_BUDGET:,.0f} hours.'
    return float(value)


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return "a string"
    return "a number"


def read_json_file(name: str, data: bytes) -> MapFile:
    """A map from the app's JSON export (or a plain list of stakeholders)."""
    source = read_text(name, data, max_bytes=MAX_FILE_BYTES, what="map file", hint=_HINT)
    if isinstance(source, str):
        return refuse(source)
    try:
        content = bounded_json.loads(source.text, name=name, bounds=BOUNDS)
    except bounded_json.JsonRefused as refused:
        return refuse(str(refused))
    if isinstance(content, list):
        content = {"stakeholders": content}
    if not isinstance(content, dict):
        return refuse(
            f"{name} holds {_json_kind(content)} at the top level; a map file holds an object "
            'with "stakeholders" (a list of objects, one per stakeholder), or just that list.'
        )
    if content.get("format", FILE_FORMAT) != FILE_FORMAT:
        return refuse(f"{name} is not a stakeholder map from Movement Workbook.")
    version = content.get("version", FILE_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version > FILE_VERSION:
        return refuse(
            f"{name} was saved by a newer version of the app; update the app to import it."
        )
    if "stakeholders" not in content:
        return refuse(f'{name} needs "stakeholders": a list of objects, one per stakeholder.')
    stakeholders = _list_of_objects(content, "stakeholders", MAX_STAKEHOLDER_ROWS)
    ties = _list_of_objects(content, "ties", MAX_TIE_ROWS)
    budget = _budget(content.get("energy_budget"))
    for problem in (stakeholders, ties, budget):
        if isinstance(problem, str):
            return refuse(f"{name}: {problem}")
    assert isinstance(stakeholders, list) and isinstance(ties, list)
    rows = []
    for number, item in enumerate(stakeholders, start=1):
        keys = [stakeholder_column(str(key)) for key in item]
        repeated = repeated_column(keys)
        if repeated:
            return refuse(
                f"{name}: in stakeholder {number}, {repeated.replace('columns', 'fields')}"
            )
        rows.append(dict(zip(keys, item.values(), strict=True)))
    for number, item in enumerate(ties, start=1):
        repeated = repeated_column(tie_column(str(key)) for key in item)
        if repeated:
            return refuse(f"{name}: in tie {number}, {repeated.replace('columns', 'fields')}")
    typed_keys: dict[str, str] = {}
    for item in stakeholders:
        for key in item:
            typed_keys.setdefault(stakeholder_column(str(key)), str(key))
    headers = sorted(typed_keys.items())
    notes = [] if source.encoding == "UTF-8" else [f"{name}: read as {source.encoding}."]
    return map_from_rows(
        rows,
        ties,
        name=name,
        csv_rows=False,
        energy_budget=budget if isinstance(budget, float) else None,
        notes=notes + unused_columns(headers, STAKEHOLDER_COLUMNS, word="Fields"),
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
