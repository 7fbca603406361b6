"""Deployment settings, read once from the environment (prefix WORKBOOK_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting the app reads. Each is documented in the README (a test checks)."""

    model_config = SettingsConfigDict(env_prefix="WORKBOOK_", extra="ignore")

    db: Path = Field(
        default=PROJECT_ROOT / "data" / "workbook.duckdb",
        description="Path of the DuckDB file.",
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
        description="K: quotes reach funders only from a cause x region x year cell of at "
        "least K groups. Cannot be set below 3.",
    )
    release_rho: float = Field(
        default=0.5,
        gt=0,
        le=10,
        description="zCDP rho each group spends in one funder release (python -m "
        "workbook.release make); larger: narrower margins, weaker privacy.",
    )
    privacy_lifetime_rho: float = Field(
        default=1.0,
        gt=0,
        le=50,
        description="The most zCDP rho any one group may spend over all funder releases; a "
        "release leaves out groups that would pass it.",
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
        "(e.g. https://workbook.example.org). Empty: taken from the browser.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
