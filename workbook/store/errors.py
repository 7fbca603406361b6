"""The store's errors: each says plainly what happened and what to do next, because the page
shows it to the person at the screen as it is. Also the plain reasons a DuckDB error is
turned into (`storage_problem`, `short_reason`)."""

from __future__ import annotations

from pathlib import Path

from workbook.keys import JOIN_CODE_LENGTH


class StoreError(Exception):
    """Something about the database that the person at the screen should be told plainly."""


class StoreLockedError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The workbook's database file ({path.name}) is already open in another copy of the "
            "app. Close that copy, or start this one with WORKBOOK_DB set to another file, "
            "then reload this page."
        )


class StoreUnavailableError(StoreError):
    """The database cannot be used: its file (DuckDB), or its server (PostgreSQL, `server`:
    `where` is then the address without its password)."""

    def __init__(self, where: Path | str, reason: str, *, server: bool = False) -> None:
        if server:
            sentence = (
                f"The workbook cannot use its database server ({where}): {reason}. Ask whoever "
                "runs the app to check the PostgreSQL server and WORKBOOK_DB."
            )
        else:
            sentence = (
                f"The workbook cannot use its database file ({where}): {reason}. Ask whoever "
                "runs the server to check the data folder is writable and the disk is not full."
            )
        super().__init__(f"{sentence} Nothing you typed has been lost: it is still on this page.")


class WriteFailedError(StoreError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            "Your answer was not saved: the database refused the write "
            f"({reason}). Nothing you typed has been lost: it is still on this page. "
            "Try again in a moment."
        )


class WrongJoinCodeError(StoreError):
    """No workshop has the code. The sentence never holds what was typed (it is user text and
    the page's message boxes read Markdown): the page shows `typed` beside it, as text."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        looks = f"a code is {JOIN_CODE_LENGTH} letters and digits, like ABC-234"
        if not typed.strip():
            sentence = f"No workshop has the code you typed: nothing was typed, and {looks}."
        else:
            sentence = (
                f"No workshop has the code you typed (shown below as typed): {looks}. "
                "Check it with your facilitator."
            )
        super().__init__(sentence)


class NotFoundError(StoreError):
    pass


def storage_problem(message: str) -> str:
    """A plain reason when a write failed because of the disk, not the data; else ''."""
    lowered = message.lower()
    if "no space left" in lowered or "disk is full" in lowered:
        return "the disk it is on is full"
    if "file too large" in lowered:
        return "it has reached the largest file size this server allows"
    if any(
        sign in lowered
        for sign in ("read-only file system", "permission denied", "cannot open file")
    ):
        return "its folder cannot be written to"
    if "database has been invalidated" in lowered:
        return "an earlier disk error stopped it; restart the app once the disk is fixed"
    return ""


def short_reason(message: str) -> str:
    first = message.splitlines()[0] if message else "unknown error"
    return first[:200]
