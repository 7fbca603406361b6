"""Sentences the domain says to people, kept untranslated until shown.

The domain has no session and so no language: a store error, a refused plan change or an
input check carries its sentence as a `Message` (an English template marked `N_` for the
catalog, and its arguments), and the screen that shows it renders it with the session's `_`
(`message.text(_)`). `str()` of an error is the English sentence, for logs and tests.
Arguments that are Messages themselves (a reason inside a sentence) are rendered in the same
language; numbers are written as the language writes them when the caller gives `number`.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

Translate = Callable[[str], str]
Number = Callable[[float], str]  # a number as the language writes it (1.234 or 1,234)


def english_number(value: float) -> str:
    """A number as English writes it: 1,234 and 1.5 (one decimal, none when whole)."""
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def _same(text: str) -> str:
    return text


@dataclass(frozen=True)
class Message:
    template: str  # English, marked N_ where it is written; {name} fields for the arguments
    args: Mapping[str, Any] = field(default_factory=dict)

    def text(self, _: Translate | None = None, number: Number | None = None) -> str:
        """The sentence in the language of `_` (English without)."""
        _ = _ or _same
        if not self.template:  # gettext("") is the catalog's header
            return ""
        if not self.args:  # a plain sentence: braces in it are text
            return _(self.template)
        return _fill(_(self.template), self.args, _, number)

    def __str__(self) -> str:
        return self.text()


def _fill(template: str, args: Mapping[str, Any], _: Translate, number: Number | None) -> str:
    def shown(value: Any) -> Any:
        if isinstance(value, Message):
            return value.text(_, number)
        if number is not None and isinstance(value, int | float) and not isinstance(value, bool):
            return number(value)
        return value

    return template.format(**{k: shown(v) for k, v in args.items()})


def say(template: str, **args: Any) -> Message:
    return Message(template, args)


@dataclass(frozen=True)
class Plural(Message):
    """A sentence about `n` things: `template` for one, `plural` for other counts, as the
    language of `_` chooses (its catalog's plural rule; Danish, like English, has two forms).
    `_` is a catalog's bound `gettext` (as `translator()` gives), whose catalog also holds the
    plural forms; `n` is an argument too."""

    plural: str = ""
    n: int = 0

    def text(self, _: Translate | None = None, number: Number | None = None) -> str:
        catalog = getattr(_, "__self__", None)
        if isinstance(catalog, gettext.NullTranslations):
            template = catalog.ngettext(self.template, self.plural, self.n)
        else:
            template = self.template if self.n == 1 else self.plural
        return _fill(template, {"n": self.n, **self.args}, _ or _same, number)


def ngettext(singular: str, plural: str, n: int, **args: Any) -> Plural:
    """A sentence about `n` things, said where it is shown: named like gettext's own so that
    pybabel extracts the two forms as one plural entry."""
    return Plural(singular, args, plural, n)


class Refusal(Exception):
    """An error whose sentence is a Message: shown in the session's language
    (`error.shown(_)`), English in `str(error)`."""

    def __init__(self, message: Message | str, **args: Any) -> None:
        self.message = message if isinstance(message, Message) else Message(message, args)
        super().__init__(self.message.text())

    def shown(self, _: Translate | None = None) -> str:
        return self.message.text(_)


class Invalid(ValueError):
    """A validator's refusal carrying its Message: pydantic keeps the exception in the error's
    context, so `plain_errors` can say it in the session's language."""

    def __init__(self, template: str, **args: Any) -> None:
        self.message = Message(template, args)
        super().__init__(self.message.text())


NOT_VALID = "is not valid"  # marked N_ where it is used (workbook/models.py)


@dataclass(frozen=True)
class Untranslated(Message):
    """A sentence only English has (a library's own words, such as pydantic's): shown as it
    is in English, and as "is not valid" in a language with a catalog."""

    def text(self, _: Translate | None = None, number: Number | None = None) -> str:
        said = (_ or _same)(NOT_VALID)
        return self.template if said == NOT_VALID else said
