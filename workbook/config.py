"""Deployment settings, read from the environment (prefix WORKBOOK_) when first used.

Nothing reads them on import: a wrong value must reach a person as one plain sentence
(`setting_problems`) on every page and from every command, not stop a module from loading.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
MAX_MIN_GROUP_SIZE = 1000

# Errors raised by the checks below, turned into sentences by `setting_problems`: one whose
# value breaks a rule ("it must be " + ctx["allowed"]), and a database path whose folder is
# missing.
_NOT_ALLOWED = "workbook_not_allowed"
_NO_FOLDER = "workbook_no_folder"


def _not_allowed(allowed: str) -> PydanticCustomError:
    return PydanticCustomError(_NOT_ALLOWED, "it must be {allowed}", {"allowed": allowed})


class Settings(BaseSettings):
    """Every setting the app reads. Each is documented in the README (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="WORKBOOK_", extra="ignore")

    db: str = Field(
        default=str(DATA_DIR / "workbook.duckdb"),
        description="Path of the DuckDB file (its folder must exist; only the default data "
        "folder is made when missing), or a PostgreSQL address: "
        "postgresql://user:password@host:5432/database.",
    )
    lessons_dir: Path = Field(
        default=PROJECT_ROOT / "lessons",
        description="Folder of lesson Markdown files.",
    )
    funder_key: SecretStr = Field(
        default=SecretStr(""),
        description="The deployment's funder key (or its SHA-256 as 'sha256:<hex>'). Empty: "
        "the funder view stays closed. Also read from .streamlit/secrets.toml.",
    )
    min_group_size: int = Field(
        default=5,
        ge=3,
        le=MAX_MIN_GROUP_SIZE,
        description="K: quotes reach funders only from a cause x region x year cell of at "
        f"least K groups. From 3 to {MAX_MIN_GROUP_SIZE}.",
    )
    # Before release_rho, which is checked against it.
    privacy_lifetime_rho: float = Field(
        default=1.0,
        gt=0,
        le=50,
        description="The most zCDP rho any one group may spend over all funder releases; a "
        "release leaves out groups that would pass it.",
    )
    release_rho: float = Field(
        default=0.5,
        gt=0,
        le=10,
        validate_default=True,
        description="zCDP rho each group spends in one funder release (python -m "
        "workbook.release make); larger: narrower margins, weaker privacy. At most "
        "WORKBOOK_PRIVACY_LIFETIME_RHO.",
    )
    backup_dir: Path = Field(
        default=PROJECT_ROOT / "data" / "backups",
        description="Folder where backups of the database are written.",
    )
    participant_poll_seconds: float = Field(
        default=5.0,
        ge=1,
        le=3600,
        description="How often a participant's screen checks the live room itself. The "
        "facilitator's changes wake the screens at once; this poll only catches a missed "
        "wake-up.",
    )
    concurrent_runs: int = Field(
        default=4,
        ge=1,
        le=256,
        description="How many page and fragment runs draw at once (one at a time while saves "
        "are being written); the others wait their turn, so the server keeps reading what "
        "arrives while a room saves at once.",
    )
    public_url: str = Field(
        default="",
        description="Address participants use to reach the app, for join links and QR codes "
        "(e.g. https://workbook.example.org): an http:// or https:// address with a host "
        "name. Empty: taken from the browser.",
    )

    @field_validator("db")
    @classmethod
    def _db_folder_exists(cls, value: str) -> str:
        """A database path set by hand must be in a folder that exists: a typo must not make
        folders anywhere on the machine. Only the default data folder is made when missing.
        A postgresql:// address must be one psycopg reads."""
        if is_database_url(value):
            from psycopg import ProgrammingError
            from psycopg.conninfo import conninfo_to_dict

            try:
                conninfo_to_dict(value.strip())
                urlsplit(value.strip()).port  # noqa: B018 - raises on a port that is no number
            except (ProgrammingError, ValueError):
                raise _not_allowed(
                    "a DuckDB file's path or an address like "
                    "postgresql://user:password@host:5432/workbook"
                ) from None
            return value.strip()
        if not value.strip():
            raise _not_allowed("a DuckDB file's path or a postgresql:// address")
        folder = Path(value).expanduser().parent
        if folder.resolve() != DATA_DIR.resolve() and not folder.is_dir():
            raise PydanticCustomError(
                _NO_FOLDER, "the folder {folder} does not exist", {"folder": str(folder)}
            )
        return value

    @field_validator("release_rho")
    @classmethod
    def _release_within_lifetime(cls, value: float, info: ValidationInfo) -> float:
        lifetime = info.data.get("privacy_lifetime_rho")  # absent when itself set wrongly
        if lifetime is not None and value > lifetime:
            raise _not_allowed(
                f"at most WORKBOOK_PRIVACY_LIFETIME_RHO ({_number(lifetime)}), the most one "
                "group may spend over all releases"
            )
        return value

    @field_validator("public_url")
    @classmethod
    def _web_address(cls, value: str) -> str:
        """Empty, or an address a phone's browser opens (it becomes the QR code)."""
        text = value.strip()
        if not text:
            return value
        try:
            parts = urlsplit(text)
            host = parts.hostname
        except ValueError:
            host = None
            parts = None
        if (
            parts is None
            or parts.scheme.lower() not in ("http", "https")
            or not host
            or any(c.isspace() or not c.isprintable() for c in text)
        ):
            raise _not_allowed(
                "an http:// or https:// address with a host name, like https://workbook.example.org"
            )
        return value


def is_database_url(value: object) -> bool:
    """A PostgreSQL address (WORKBOOK_DB), not a DuckDB file's path."""
    return isinstance(value, str) and value.strip().lower().startswith(
        ("postgresql://", "postgres://")
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read on the first call. Raises pydantic's ValidationError when one is set
    wrongly (nothing is cached then): callers show `setting_problems(error)`."""
    return Settings()


# What a value must be, by the type of the setting.
_KINDS: dict[object, str] = {
    int: "a whole number",
    float: "a number",
    Path: "a path",
    str: "text",
    SecretStr: "text",
}
# Errors that say the value is out of range (the rest say it is not of the right kind).
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
SHOWN_VALUE_CHARS = 60  # a longer value is shown cut, with its length
SHOWN_PATH_CHARS = 300  # a folder's path, likewise


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _range(name: str) -> str:
    """The field's bounds in words: "at least 3", "from 1 to 256", "more than 0 and at most
    10"; "" when it has none."""
    low = high = ""
    for bound in Settings.model_fields[name].metadata:  # Field(ge=...) -> annotated_types.Ge
        for attribute, words in (("ge", "at least"), ("gt", "more than")):
            if getattr(bound, attribute, None) is not None:
                low = f"{words} {_number(getattr(bound, attribute))}"
        for attribute, words in (("le", "at most"), ("lt", "less than")):
            if getattr(bound, attribute, None) is not None:
                high = f"{words} {_number(getattr(bound, attribute))}"
    if low.startswith("at least") and high.startswith("at most"):
        return f"from {low.removeprefix('at least ')} to {high.removeprefix('at most ')}"
    return " and ".join(part for part in (low, high) if part)


def _shown(value: object, quote: Callable[[str], str], *, limit: int = SHOWN_VALUE_CHARS) -> str:
    """The value as given, with invisible characters written as escapes; a long one is cut,
    saying so."""
    text = value if isinstance(value, str) else str(value)
    if not text:
        return "empty"
    shown = quote("".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit]))
    if len(text) > limit:
        shown += f"… ({len(text):,} characters)"
    return shown


def setting_problems(
    error: ValidationError, *, quote: Callable[[str], str] = lambda value: value
) -> list[str]:
    """One plain sentence per wrongly set setting, naming it, the value given and what is
    allowed: "WORKBOOK_MIN_GROUP_SIZE is 2; it must be from 3 to 1000." `quote` wraps the value
    as given (a page puts it in a code span, so it is never read as Markdown)."""
    prefix = Settings.model_config.get("env_prefix", "")
    sentences: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else ""
        if name in sentences:
            continue  # one sentence per setting
        if name not in Settings.model_fields:
            sentences[name] = f"A setting is wrong: {item['msg']}."
            continue
        variable = f"{prefix}{name}".upper()
        context = item.get("ctx") or {}
        if item["type"] == _NO_FOLDER:
            folder = _shown(context["folder"], quote, limit=SHOWN_PATH_CHARS)
            sentences[name] = (
                f"The folder {folder} does not exist; create it or set {variable} to a file in "
                "a folder that does."
            )
            continue
        value = _shown(item.get("input", ""), quote)
        bounds = _range(name)
        if item["type"] == _NOT_ALLOWED:
            allowed = context["allowed"]
        elif item["type"] in _RANGE_ERRORS and bounds:
            allowed = bounds
        else:
            kind = _KINDS.get(Settings.model_fields[name].annotation, "a valid value")
            joiner = ", " if bounds.startswith("at ") else " "
            allowed = f"{kind}{joiner}{bounds}" if bounds else kind
        sentences[name] = f"{variable} is {value}; it must be {allowed}."
    return list(sentences.values())
