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

from workbook.i18n import N_
from workbook.messages import Message, say

# The way out, as the end of a refusal: "...; in your spreadsheet, use Save as ...".
SAVE_AS_CSV: Final = say(
    N_("in your spreadsheet, use Save as (or Download as) and choose CSV UTF-8")
)
FILE: Final = say(N_("file"))

# Longest first: UTF-32's little-endian mark starts with UTF-16's.
_BYTE_ORDER_MARKS: Final = (
    (codecs.BOM_UTF32_LE, None, "UTF-32"),
    (codecs.BOM_UTF32_BE, None, "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", N_("UTF-8 with a byte-order mark")),
    (codecs.BOM_UTF16_LE, "utf-16-le", N_("UTF-16 little-endian (a spreadsheet's Unicode text)")),
    (codecs.BOM_UTF16_BE, "utf-16-be", N_("UTF-16 big-endian")),
)
_SHORT_LABELS: Final = {"utf-16-le": N_("UTF-16 little-endian")}  # without its aside
# What a few kinds of file that are not text start with, in words a person knows.
_NOT_TEXT_STARTS: Final = (
    (b"PK\x03\x04", N_("a spreadsheet or another zipped file (XLSX, ODS, ZIP)")),
    (b"\xd0\xcf\x11\xe0", N_("an old Excel file (XLS)")),
    (b"\x89PNG", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"%PDF", N_("a PDF document")),
)


@dataclass(frozen=True)
class FileText:
    """A file's text and the encoding it was read in, in words (for the success message:
    N_-marked English, said in the session's language where shown)."""

    text: str
    encoding: str


def _size(count: int) -> Message:
    if count >= 1_000_000:
        megabytes = round(count / 1_000_000, 1)
        return say(N_("{n} MB"), n=int(megabytes) if megabytes.is_integer() else megabytes)
    if count >= 1_000:
        return say(N_("{n} kB"), n=round(count / 1_000))
    return say(N_("{n} bytes"), n=count)


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
    name: str,
    data: bytes,
    *,
    max_bytes: int,
    what: Message = FILE,
    hint: Message = SAVE_AS_CSV,
) -> FileText | Message:
    """The file's text, or one sentence naming the file and what is wrong (`what` names the
    kind of file, e.g. "map file"; `hint`, the way out, ends a sentence about the encoding)."""
    if len(data) > max_bytes:
        return say(
            N_("{name} is {size}; a {what} is at most {limit}."),
            name=name,
            size=_size(len(data)),
            what=what,
            limit=_size(max_bytes),
        )
    if not data.strip():
        return say(N_("{name} is empty."), name=name)
    for start, kind in _NOT_TEXT_STARTS:
        if data.startswith(start):
            return say(
                N_("{name} is not a text file but looks like {kind}; {hint}."),
                name=name,
                kind=say(kind),
                hint=hint,
            )
    for mark, codec, label in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            if codec is None:
                return say(
                    N_("{name} is {label} text, which the app does not read; {hint}."),
                    name=name,
                    label=label,
                    hint=hint,
                )
            try:
                return FileText(data[len(mark) :].decode(codec), label)
            except UnicodeDecodeError as error:
                return say(
                    N_(
                        "{name} starts as {label} but byte {byte} does not follow it, so the "
                        "file may be damaged; {hint}."
                    ),
                    name=name,
                    label=say(_SHORT_LABELS.get(codec, label)),
                    byte=error.start + len(mark),
                    hint=hint,
                )
    order = _looks_like_utf16(data)
    if order:
        return say(
            N_(
                "{name} looks like UTF-16 ({order}) without a byte-order mark, so the app "
                "cannot be sure how to read it; {hint}."
            ),
            name=name,
            order=order,
            hint=hint,
        )
    if b"\x00" in data:
        return say(
            N_("{name} is not a text file (it holds NUL bytes, which text never has); {hint}."),
            name=name,
            hint=hint,
        )
    try:
        return FileText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
    try:
        return FileText(data.decode("cp1252"), "Windows-1252")
    except UnicodeDecodeError:
        return say(
            N_(
                "{name} is neither UTF-8 nor Windows-1252 text, the encodings spreadsheets "
                "save in; {hint}."
            ),
            name=name,
            hint=hint,
        )
