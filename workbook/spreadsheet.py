"""Text in spreadsheet cells: the one guard against formulas on export, and its exact inverse.

A spreadsheet opening a CSV guesses each cell's type, so a participant's `=HYPERLINK(...)`
would run as a formula. The rule, in both directions:

- export (`safe_cell`): a text whose first character after any leading apostrophes is one of
  = + - @ tab or carriage return gets one more apostrophe in front. Every other text, and
  every value that is not text, is written as it is.
- import (`cell_text`): a cell that starts with an apostrophe, and whose first character
  after its leading apostrophes is one of those, loses one apostrophe. Every other cell is
  read as it is.

So `cell_text(safe_cell(text)) == text` for every text: "=1+1" goes out as "'=1+1" and comes
back as "=1+1"; "'=1+1" (typed with its apostrophe) goes out as "''=1+1" and comes back with
its one apostrophe; "'tis" goes out and comes back unchanged. XLSX cells need no apostrophe:
`text_cell` stores text as a string cell, which a spreadsheet never runs.
"""

from __future__ import annotations

from typing import Any, Final, TypeVar

from openpyxl.cell.cell import Cell

# What makes a spreadsheet read a cell as a formula (OWASP's list for CSV injection).
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")

V = TypeVar("V")


def _needs_apostrophe(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_START)


def safe_cell(value: V) -> V | str:
    """A value for a CSV cell: text a spreadsheet would run gets one leading apostrophe."""
    if isinstance(value, str) and _needs_apostrophe(value):
        return "'" + value
    return value


def cell_text(cell: str) -> str:
    """The text a CSV cell holds: the exact inverse of `safe_cell` on text."""
    if cell.startswith("'") and _needs_apostrophe(cell):
        return cell[1:]
    return cell


def text_cell(cell: Cell, value: Any) -> None:
    """Put a value in an XLSX cell; text is stored as text (openpyxl would make "=..." a
    formula)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
