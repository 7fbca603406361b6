"""Which map files were given: one JSON file, or a CSV of stakeholders with an optional CSV
of ties, each told by its content (so a file with the wrong ending still reads)."""

from __future__ import annotations

import gettext
import json
from collections.abc import Sequence
from typing import Final

from workbook.file_text import read_text
from workbook.i18n import N_
from workbook.map_csv import MAP_FILE, Table, map_from_tables, read_table
from workbook.map_file import MAX_FILE_BYTES, MapFile, refuse
from workbook.map_json import read_json_file
from workbook.messages import Message, say

_LONE_VALUE_BYTES: Final = 10_000  # a lone JSON value worth telling apart from a CSV


def _looks_like_json(name: str, data: bytes) -> bool:
    # After any byte-order mark, zero bytes (UTF-16) and spaces, JSON starts with { or [.
    if data.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n")[:1] in (b"{", b"["):
        return True
    # A .json file holding one string, number, true, false or null ("hello"): JSON too.
    if not name.casefold().endswith(".json") or len(data) > _LONE_VALUE_BYTES:
        return False
    try:
        json.loads(data.decode("utf-8-sig"))
    except ValueError:
        return False
    return True


def read_map_files(
    files: Sequence[tuple[str, bytes]], *, t: gettext.NullTranslations | None = None
) -> MapFile:
    """One JSON file, or a stakeholders CSV with an optional ties CSV, as (file name, bytes).

    JSON starts with { or [ (or is a file named .json holding a lone JSON value, which is then
    told what a map file holds); a CSV of ties has source and target columns and no name column.
    Every file is read within bounds (size, encoding, rows, cells, nesting, numbers); past one,
    the answer is one sentence naming the file and the limit. The file's sentences are
    Messages (said where shown); the row problems are in the language of `t` (English without).
    """
    if not files:
        return refuse(say(N_("Choose a file to import.")))
    json_files = [(name, data) for name, data in files if _looks_like_json(name, data)]
    if json_files:
        if len(files) > 1:
            return refuse(say(N_("Import one JSON file on its own (it holds the whole map).")))
        return read_json_file(*json_files[0], t=t)
    if len(files) > 2:
        return refuse(say(N_("Import at most two CSV files: one of stakeholders and one of ties.")))
    people: Table | None = None
    ties: Table | None = None
    for name, data in files:
        source = read_text(name, data, max_bytes=MAX_FILE_BYTES, what=MAP_FILE)
        if isinstance(source, Message):
            return refuse(source)
        table = read_table(name, source)
        if isinstance(table, Message):
            return refuse(table)
        if table.is_ties:
            if ties is not None:
                return refuse(say(N_("Both files are ties; add the CSV file of stakeholders.")))
            ties = table
        else:
            if people is not None:
                return refuse(say(N_("Both files are stakeholders; import them one at a time.")))
            people = table
    if people is None:
        return refuse(
            say(
                N_(
                    "This is a file of ties only. Import it together with the CSV file of "
                    "stakeholders."
                )
            )
        )
    return map_from_tables(people, ties, t=t)
