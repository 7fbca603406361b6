"""The interface's languages: which there are, their gettext catalogs and Babel's formatting
of dates and numbers for each.

No language is ever installed process-wide (no `gettext.install`, no module-level `_`): the
screens ask for a translator for one language (`translations(code).gettext`) and bind it to a
local `_` in each render function, so two people on the same server, in two languages, each
see their own. Catalogs live in workbook/locale/<code>/LC_MESSAGES/messages.mo, compiled from
the .po files beside them (`pybabel compile`, see the README); English is the source text and
needs no catalog.
"""

from __future__ import annotations

import functools
import gettext
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal
from babel.numbers import format_percent as _babel_percent

DOMAIN = "messages"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"


@dataclass(frozen=True)
class Language:
    code: str  # ISO 639-1, also the lessons' folder name (lessons/<code>/) and Babel's locale
    name: str  # in the language itself: what a speaker looks for in a list
    reviewed: bool  # checked by a native speaker (the README says by whom and when)


# English first: the source language, the fallback for anything not translated.
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", reviewed=True),
    Language("da", "Dansk", reviewed=False),  # first version, awaiting a native speaker's review
)
CODES: tuple[str, ...] = tuple(language.code for language in LANGUAGES)


def supported(code: object) -> str:
    """`code` if it is a language the app has, else English (a stale setting, a forged URL)."""
    return code if isinstance(code, str) and code in CODES else DEFAULT


def name_of(code: str) -> str:
    """The language's own name ("Dansk"), for a list of languages."""
    return next(language.name for language in LANGUAGES if language.code == supported(code))


def mo_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.mo"


_catalogs: dict[str, gettext.NullTranslations] = {}
_catalogs_lock = threading.Lock()


def translations(code: str) -> gettext.NullTranslations:
    """The catalog of one language, read once per process and shared by every session in
    that language (a catalog is only read after loading). English, an unknown code or a
    missing .mo file give the source text unchanged."""
    code = supported(code)
    with _catalogs_lock:
        found = _catalogs.get(code)
        if found is None:
            found = gettext.NullTranslations()
            if code != DEFAULT and mo_path(code).is_file():
                with mo_path(code).open("rb") as file:
                    found = gettext.GNUTranslations(file)
            _catalogs[code] = found
        return found


def gettext_for(code: str) -> Callable[[str], str]:
    """The `_` of one language."""
    return translations(code).gettext


def N_(message: str) -> str:
    """Marks a string for the catalog where it is defined (a module constant); it is
    translated where it is shown, with the session's `_`."""
    return message


def _locale(code: str) -> Locale:
    return Locale.parse(supported(code))


def format_date(value: date | datetime, code: str, format: str = "medium") -> str:
    """A date as the language writes it: "Dec 4, 2026" in English, "4. dec. 2026" in Danish."""
    return _babel_date(value, format=format, locale=_locale(code))


def format_datetime(value: datetime, code: str, format: str = "short") -> str:
    return _babel_datetime(value, format=format, locale=_locale(code))


@functools.lru_cache(maxsize=4096)  # the same few numbers are formatted on every run
def format_decimal(value: float, code: str, digits: int = 1) -> str:
    """A number with the language's separators and `digits` decimals: 1,234.5 in English,
    1.234,5 in Danish."""
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _babel_decimal(value, format=pattern, locale=_locale(code))


def decimal_sign(code: str) -> str:
    """The language's decimal sign: "." in English, "," in Danish."""
    return str(_locale(code).number_symbols["latn"]["decimal"])


def format_percent(value: float, code: str) -> str:
    """A share (0.42) as a percentage: 42% in English, 42 % in Danish."""
    return _babel_percent(value, locale=_locale(code))
