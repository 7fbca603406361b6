"""The store's errors: each says plainly what happened and what to do next, because the page
shows it to the person at the screen as it is. Also the plain reasons a DuckDB error is
turned into (`storage_problem`, `short_reason`)."""

from __future__ import annotations

from pathlib import Path

from workbook.i18n import N_
from workbook.keys import JOIN_CODE_LENGTH
from workbook.messages import Message, Refusal, say


class StoreError(Refusal):
    """Something about the database that the person at the screen should be told plainly:
    `error.shown(_)` in their language, `str(error)` in English."""


class StoreLockedError(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            N_(
                "The workbook's database file ({name}) is already open in another copy of the "
                "app. Close that copy, or start this one with WORKBOOK_DB set to another file, "
                "then reload this page."
            ),
            name=path.name,
        )


class StoreUnavailableError(StoreError):
    """The database cannot be used: its file (DuckDB), or its server (PostgreSQL, `server`:
    `where` is then the address without its password)."""

    def __init__(self, where: Path | str, reason: Message | str, *, server: bool = False) -> None:
        if server:
            super().__init__(
                N_(
                    "The workbook cannot use its database server ({path}): {reason}. Ask "
                    "whoever runs the app to check the PostgreSQL server and WORKBOOK_DB. "
                    "Nothing you typed has been lost: it is still on this page."
                ),
                path=str(where),
                reason=reason,
            )
            return
        super().__init__(
            N_(
                "The workbook cannot use its database file ({path}): {reason}. Ask whoever "
                "runs the server to check the data folder is writable and the disk is not "
                "full. Nothing you typed has been lost: it is still on this page."
            ),
            path=str(where),
            reason=reason,
        )


class WriteFailedError(StoreError):
    def __init__(self, reason: Message | str) -> None:
        super().__init__(
            N_(
                "Your answer was not saved: the database refused the write ({reason}). "
                "Nothing you typed has been lost: it is still on this page. Try again in a "
                "moment."
            ),
            reason=reason,
        )


class WrongJoinCodeError(StoreError):
    """No workshop has the code. The sentence never holds what was typed (it is user text and
    the page's message boxes read Markdown): the page shows `typed` beside it, as text."""

    def __init__(self, typed: str) -> None:
        self.typed = typed
        if not typed.strip():
            template = N_(
                "No workshop has the code you typed: nothing was typed, and a code is {n} "
                "letters and digits, like ABC-234."
            )
        else:
            template = N_(
                "No workshop has the code you typed (shown below as typed): a code is {n} "
                "letters and digits, like ABC-234. Check it with your facilitator."
            )
        super().__init__(template, n=JOIN_CODE_LENGTH)


class NotFoundError(StoreError):
    pass


def storage_problem(message: str) -> Message | str:
    """A plain reason when a write failed because of the disk, not the data; else ''."""
    lowered = message.lower()
    if "no space left" in lowered or "disk is full" in lowered:
        return say(N_("the disk it is on is full"))
    if "file too large" in lowered:
        return say(N_("it has reached the largest file size this server allows"))
    if any(
        sign in lowered
        for sign in ("read-only file system", "permission denied", "cannot open file")
    ):
        return say(N_("its folder cannot be written to"))
    if "database has been invalidated" in lowered:
        return say(N_("an earlier disk error stopped it; restart the app once the disk is fixed"))
    return ""


def short_reason(message: str) -> str:
    first = message.splitlines()[0] if message else "unknown error"
    return first[:200]
