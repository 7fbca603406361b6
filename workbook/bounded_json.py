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

from workbook.i18n import N_
from workbook.messages import Message, english_number, say

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
JSON_FILE: Final = say(N_("JSON file"))


@dataclass(frozen=True)
class Bounds:
    max_depth: int
    max_digits: int  # in one number, exponent included
    max_exponent: int  # so that no number becomes infinity, or zero by underflow
    max_text_chars: int  # in one string or key
    what: Message = JSON_FILE  # the kind of file, as sentences name it: "map file"


class JsonRefused(ValueError):
    """The text is not JSON within the bounds: `message` is the sentence to show (in the
    session's language where shown), `str()` the same in English."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.text(number=english_number))


def _string_problem(token: str, bounds: Bounds) -> Message | None:
    if len(token) <= bounds.max_text_chars + 2 and not _SURROGATE_ESCAPE.search(token):
        return None
    try:
        value = json.loads(token)
    except ValueError:
        return None  # not a complete string: json.loads will say where
    if len(value) > bounds.max_text_chars:
        return say(
            N_(
                "a text at line {line} is {n} characters long; a text in a {what} is at most "
                "{limit} characters."
            ),
            n=len(value),
            what=bounds.what,
            limit=bounds.max_text_chars,
        )
    if any(0xD800 <= ord(char) <= 0xDFFF for char in value):
        return say(
            N_(
                "a text at line {line} holds an unpaired surrogate escape (\\ud800 to "
                "\\udfff), which is half of a character; the file is damaged or was made by a "
                "faulty program."
            )
        )
    return None


def _number_problem(token: str, bounds: Bounds) -> Message | None:
    mantissa, _, exponent = token.lower().partition("e")
    digits = sum(char.isdigit() for char in token)
    if digits > bounds.max_digits:
        return say(
            N_(
                "a number at line {line} has {n} digits; a number in a {what} has at most "
                "{limit} digits."
            ),
            n=digits,
            what=bounds.what,
            limit=bounds.max_digits,
        )
    if exponent and abs(int(exponent)) > bounds.max_exponent and float(mantissa) != 0:
        return say(
            N_(
                "the number {token} at line {line} is too large or too small to read exactly; "
                "a number in a {what} has an exponent of at most {limit}."
            ),
            token=token,
            what=bounds.what,
            limit=bounds.max_exponent,
        )
    return None


def scan(text: str, *, name: str, bounds: Bounds) -> None:
    """Raise JsonRefused at the first thing in `text` past `bounds`; silent when within."""
    depth = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        problem: Message | None = None
        if first in "[{":
            depth += 1
            if depth > bounds.max_depth:
                problem = say(
                    N_(
                        "nested deeper than {n} levels at line {line}; a {what} is at most {n} "
                        "deep."
                    ),
                    n=bounds.max_depth,
                    what=bounds.what,
                )
        elif first in "]}":
            depth -= 1
        elif first == '"':
            problem = _string_problem(token, bounds)
        elif first.isalpha() or first == "_":
            if token in ("NaN", "Infinity"):
                problem = say(
                    N_(
                        "{token} at line {line} is not a number JSON allows; write a number, "
                        "or leave the field out."
                    ),
                    token=token,
                )
        elif len(token) > 8 or "e" in token or "E" in token:  # short plain numbers always fit
            problem = _number_problem(token, bounds)
        if problem:
            line = text.count("\n", 0, match.start()) + 1
            found = say(problem.template, **problem.args, line=line)
            raise JsonRefused(say(N_("{name}: {problem}"), name=name, problem=found))


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
    # scan() has named it with its line first; this is a backstop
    raise JsonRefused(say(N_("{token} is not a number JSON allows."), token=word))


def loads(text: str, *, name: str, bounds: Bounds) -> Any:
    """The JSON value in `text`, or JsonRefused with one sentence naming `name` and the line."""
    scan(text, name=name, bounds=bounds)
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise JsonRefused(
            say(
                N_("{name} is not valid JSON: {problem} (line {line}, column {column})."),
                name=name,
                problem=error.msg,  # Python's own words, in English
                line=error.lineno,
                column=error.colno,
            )
        ) from None
    except _RepeatedKey as repeated:
        plain = re.fullmatch(r"[\w ]{1,40}", repeated.key)
        raise JsonRefused(
            say(
                N_("{name}: one object holds {key} twice; each key may appear once in an object."),
                name=name,
                key=repr(repeated.key) if plain else say(N_("a key")),
            )
        ) from None
    except RecursionError:  # cannot happen after scan(); kept so no traceback ever shows
        raise JsonRefused(say(N_("{name}: nested too deep to read."), name=name)) from None
