"""An uploaded text file's bytes as text: size bounded, encoding found by its byte-order mark
(or by trying UTF-8, then Windows-1252) and named, or one sentence saying why it cannot be read.

Spreadsheets save text in a few ways: "CSV UTF-8" (UTF-8 with a byte-order mark), "CSV" on
Windows (Windows-1252), "Unicode text" (UTF-16 little-endian with a byte-order mark, tabs
between cells). All of them are read; a file whose encoding cannot be known for sure (UTF-16
without a byte-order mark) or that is not text at all is refused, saying what it looks like.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Final

# The way out, as the end of a refusal: "...; in your spreadsheet, use Save as ...".
SAVE_AS_CSV: Final = "in your spreadsheet, use Save as (or Download as) and choose CSV UTF-8"

# Longest first: UTF-32's little-endian mark starts with UTF-16's.
_BYTE_ORDER_MARKS: Final = (
    (codecs.BOM_UTF32_LE, None, "UTF-32"),
    (codecs.BOM_UTF32_BE, None, "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8 with a byte-order mark"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 little-endian (a spreadsheet's Unicode text)"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 big-endian"),
)
# What a few kinds of file that are not text start with, in words a person knows.
_NOT_TEXT_STARTS: Final = (
    (b"PK\x03\x04", "a spreadsheet or another zipped file (XLSX, ODS, ZIP)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel file (XLS)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
)


@dataclass(frozen=True)
class FileText:
    """A file's text and the encoding it was read in, in words (for the success message)."""

    text: str
    encoding: str


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:,.1f}".removesuffix(".0") + " MB"
    return f"{count / 1_000:,.0f} kB" if count >= 1_000 else f"{count} bytes"


def _looks_like_utf16(data: bytes) -> str | None:
    """'little-endian' or 'big-endian' when every other byte is zero, as in UTF-16 text."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.5 * len(even):
        return "little-endian"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.5 * len(odd):
        return "big-endian"
    return None


def read_text(
    name: str, data: bytes, *, max_bytes: int, what: str = "file", hint: str = SAVE_AS_CSV
) -> FileText | str:
    """The file's text, or one sentence naming the file and what is wrong (`what` names the
    kind of file, e.g. "map file"; `hint`, the way out, ends a sentence about the encoding)."""
    if len(data) > max_bytes:
        return f"{name} is {_size(len(data))}; a {what} is at most {_size(max_bytes)}."
    if not data.strip():
        return f"{name} is empty."
    for start, kind in _NOT_TEXT_STARTS:
        if data.startswith(start):
            return f"{name} is not a text file but looks like {kind}; {hint}."
    for mark, codec, label in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            if codec is None:
                return f"{name} is {label} text, which the app does not read; {hint}."
            try:
                return FileText(data[len(mark) :].decode(codec), label)
            except UnicodeDecodeError as error:
                return (
                    f"{name} starts as {label.split(' (')[0]} but byte "
                    f"{error.start + len(mark):,} does not follow it, so the file may be "
                    f"damaged; {hint}."
                )
    order = _looks_like_utf16(data)
    if order:
        return (
            f"{name} looks like UTF-16 ({order}) without a byte-order mark, so the app cannot "
            f"be sure how to read it; {hint}."
        )
    if b"\x00" in data:
        return f"{name} is not a text file (it holds NUL bytes, which text never has); {hint}."
    try:
        return FileText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return FileText(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return (
            f"{name} is neither UTF-8 nor Windows-1252 text, the encodings spreadsheets save "
            f"in; {hint}."
        )
