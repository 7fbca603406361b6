"""JSON read within bounds: nesting depth, digits in a number, length of a text, no NaN or
Infinity, no half characters, no repeated keys; past a bound, one sentence with the line.

`json.loads` alone recurses once per level (a file nested a few thousand levels deep raises
RecursionError), hands a 5,000-digit number to int() (which refuses it with ValueError), turns
1e400 into infinity, accepts NaN and Infinity, makes a lone surrogate out of "\\ud800" and
keeps the last of two equal keys. So a small scanner walks the text first, at the speed of a
regular expression, and stops at the first thing past a bound.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Final

# A string (its closing quote optional, so an unclosed one swallows the rest and is left to
# json.loads to report), a bracket, a number, or a bare word.
_TOKEN: Final = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"?'
    r"|[\[\]{}]"
    r"|-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
    r"|[A-Za-z_]+"
)
_SURROGATE_ESCAPE: Final = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_WORDS: Final = frozenset({"true", "false", "null"})


@dataclass(frozen=True)
class Bounds:
    max_depth: int
    max_digits: int  # in one number, exponent included
    max_exponent: int  # so that no number becomes infinity, or zero by underflow
    max_text_chars: int  # in one string or key
    what: str = "JSON file"  # the kind of file, as sentences name it: "map file"


class JsonRefused(ValueError):
    """The text is not JSON within the bounds; `str()` is the sentence to show."""


def _string_problem(token: str, bounds: Bounds) -> str | None:
    if len(token) <= bounds.max_text_chars + 2 and not _SURROGATE_ESCAPE.search(token):
        return None
    try:
        value = json.loads(token)
    except ValueError:
        return None  # not a complete string: json.loads will say where
    if len(value) > bounds.max_text_chars:
        return (
            f"a text at line {{line}} is {len(value):,} characters long; a text in a "
            f"{bounds.what} is at most {bounds.max_text_chars:,} characters."
        )
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        return (
            "a text at line {line} holds an unpaired surrogate escape (\\ud800 to \\udfff), "
            "which is half of a character; the file is damaged or was made by a faulty program."
        )
    return None


def _number_problem(token: str, bounds: Bounds) -> str | None:
    mantissa, _, exponent = token.lower().partition("e")
    digits = sum(char.isdigit() for char in token)
    if digits > bounds.max_digits:
        return (
            f"a number at line {{line}} has {digits:,} digits; a number in a {bounds.what} "
            f"has at most {bounds.max_digits} digits."
        )
    if exponent and abs(int(exponent)) > bounds.max_exponent and float(mantissa) != 0:
        return (
            f"the number {token} at line {{line}} is too large or too small to read exactly; "
            f"a number in a {bounds.what} has an exponent of at most {bounds.max_exponent}."
        )
    return None


def scan(text: str, *, name: str, bounds: Bounds) -> None:
    """Raise JsonRefused at the first thing in `text` past `bounds`; silent when within."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        problem = None
        if first in "[{":
            depth += 1
            if depth > bounds.max_depth:
                problem = (
                    f"nested deeper than {bounds.max_depth} levels at line {{line}}; a "
                    f"{bounds.what} is at most {bounds.max_depth} deep."
                )
        elif first in "]}":
            depth -= 1
        elif first == '"':
            problem = _string_problem(token, bounds)
        elif first.isalpha() or first == "_":
            if token in ("NaN", "Infinity"):
                problem = (
                    f"{token} at line {{line}} is not a number JSON allows; write a number, "
                    "or leave the field out."
                )
        elif len(token) > 8 or "e" in token or "E" in token:  # short plain numbers always fit
            problem = _number_problem(token, bounds)
        if problem:
            line = text.count("\n", 0, match.start()) + 1
            raise JsonRefused(f"{name}: " + problem.format(line=f"{line:,}"))


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    content: dict[str, Any] = {}
    for key, value in pairs:
        if key in content:
            raise _RepeatedKey(key)
        content[key] = value
    return content


class _RepeatedKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_constant(word: str) -> Any:
    raise JsonRefused(word)  # scan() has named it with its line first; this is a backstop


def loads(text: str, *, name: str, bounds: Bounds) -> Any:
    """The JSON value in `text`, or JsonRefused with one sentence naming `name` and the line."""
    scan(text, name=name, bounds=bounds)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonRefused(
            f"{name} is not valid JSON: {error.msg} (line {error.lineno:,}, column "
            f"{error.colno:,})."
        ) from None
    except _RepeatedKey as repeated:
        shown = repeated.key if re.fullmatch(r"[\w ]{1,40}", repeated.key) else "a key"
        raise JsonRefused(
            f"{name}: one object holds {shown!r} twice; each key may appear once in an object."
        ) from None
    except RecursionError:  # cannot happen after scan(); kept so no traceback ever shows
        raise JsonRefused(f"{name}: nested too deep to read.") from None
