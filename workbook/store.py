"""The DuckDB store: schema migrations, the single writer, and every read and write the app makes.

Shape (after datasette's database.py): the process opens ONE DuckDB connection. Reads take a
fresh cursor from it per call, so each Streamlit session thread reads on its own cursor and
never waits for writers. Writes are tasks handed to ONE writer thread that owns the only
write cursor; it drains its queue and commits tasks in batches, so a burst of saves costs a
few commits instead of hundreds of conflicting ones. A caller's write returns only after its
task is committed; if a batch fails, each task is retried alone so one bad task cannot sink
the others. All SQL lives in this module and is parameterised.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import queue
import re
import secrets
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from workbook.models import (
    FIRST_ROUND,
    CommitmentIn,
    CommitmentStatus,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.records import (
    Commitment,
    Group,
    Participant,
    Rating,
    Reflection,
    SavedAnswers,
    Seat,
    Workshop,
)

T = TypeVar("T")

# Join codes avoid characters that are confused when read aloud or typed: no 0/O, 1/I/L.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6
WRITE_BATCH_LIMIT = 128


# --- errors, with messages that say what to do next -----------------------------------------


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
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"The workbook cannot use its database file ({path}): {reason}. Ask whoever runs "
            "the server to check the data folder is writable and the disk is not full. "
            "Nothing you typed has been lost: it is still on this page."
        )


class WriteFailedError(StoreError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            "Your answer was not saved: the database refused the write "
            f"({reason}). Nothing you typed has been lost: it is still on this page. "
            "Try again in a moment."
        )


class WrongJoinCodeError(StoreError):
    def __init__(self, code: str) -> None:
        shown = code if code else "(empty)"
        super().__init__(
            f"No workshop has the code {shown}. Check it with your facilitator: a code is "
            f"{JOIN_CODE_LENGTH} letters and digits, like ABC-234."
        )


class NotFoundError(StoreError):
    pass


# --- keys and tokens ------------------------------------------------------------------------


def normalise_join_code(text: str) -> str:
    """Accept 'abc 234', 'ABC-234', ' abc234 ' alike; return 'ABC234' (or '' if unusable)."""
    return re.sub(r"[^A-Za-z0-9]", "", text or "").upper()[: JOIN_CODE_LENGTH + 4]


def new_join_code() -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def new_facilitator_key() -> str:
    """Four groups of four readable characters: about 79 bits, easy to copy from a screen."""
    chars = [secrets.choice(JOIN_CODE_ALPHABET) for _ in range(16)]
    return "-".join("".join(chars[i : i + 4]) for i in range(0, 16, 4))


def hash_key(key: str, *, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(_key_bytes(key), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def key_matches(key: str, stored: str) -> bool:
    """Constant-time comparison of a typed key with its stored scrypt hash."""
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_key(key, salt=salt).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def _key_bytes(key: str) -> bytes:
    # Keys are shown in upper case with dashes; accept them typed any way.
    return re.sub(r"[^A-Za-z0-9]", "", key).upper()[:64].encode()


def new_resume_token() -> str:
    return secrets.token_urlsafe(18)


def token_hash(token: str) -> str:
    # Resume tokens carry 144 random bits, so a plain SHA-256 is enough to keep them out of
    # the database file (a copied backup cannot be used to impersonate anyone).
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


# --- migrations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "workshops, groups, participants, answers, commitments",
        """
        CREATE SEQUENCE workshop_ids START 1;
        CREATE SEQUENCE group_ids START 1;
        CREATE SEQUENCE participant_ids START 1;
        CREATE SEQUENCE answer_ids START 1;
        CREATE SEQUENCE commitment_ids START 1;
        CREATE TABLE workshops (
            id INTEGER PRIMARY KEY,
            join_code VARCHAR NOT NULL UNIQUE,
            title VARCHAR NOT NULL,
            cause VARCHAR NOT NULL,
            region VARCHAR NOT NULL,
            facilitator_key_hash VARCHAR NOT NULL,
            self_guided BOOLEAN NOT NULL,
            shares_with_funders BOOLEAN NOT NULL,
            pacing VARCHAR NOT NULL,
            current_step INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            name VARCHAR NOT NULL,
            name_key VARCHAR NOT NULL,
            current_round INTEGER NOT NULL,
            created_at TIMESTAMP NOT NULL,
            UNIQUE (workshop_id, name_key)
        );
        CREATE TABLE participants (
            id INTEGER PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            display_name VARCHAR NOT NULL,
            token_hash VARCHAR NOT NULL UNIQUE,
            quote_consent BOOLEAN NOT NULL,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE participant_steps (
            participant_id INTEGER PRIMARY KEY,
            step INTEGER NOT NULL,
            updated_at TIMESTAMP NOT NULL
        );
        CREATE TABLE reflections (
            id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            prompt_id VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            text VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            UNIQUE (participant_id, lesson_id, prompt_id, round)
        );
        CREATE TABLE ratings (
            id BIGINT PRIMARY KEY,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            lesson_id VARCHAR NOT NULL,
            statement_id VARCHAR NOT NULL,
            key_finding VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            value TINYINT NOT NULL CHECK (value BETWEEN 1 AND 5),
            created_at TIMESTAMP NOT NULL,
            updated_at TIMESTAMP NOT NULL,
            UNIQUE (participant_id, lesson_id, statement_id, round)
        );
        CREATE TABLE commitments (
            id INTEGER PRIMARY KEY,
            request_id VARCHAR NOT NULL UNIQUE,
            workshop_id INTEGER NOT NULL,
            group_id INTEGER NOT NULL,
            participant_id INTEGER NOT NULL,
            what VARCHAR NOT NULL,
            who VARCHAR NOT NULL,
            by_when DATE,
            key_finding VARCHAR NOT NULL,
            round INTEGER NOT NULL,
            deleted BOOLEAN NOT NULL DEFAULT false,
            created_at TIMESTAMP NOT NULL
        );
        CREATE TABLE commitment_reviews (
            commitment_id INTEGER NOT NULL,
            round INTEGER NOT NULL,
            status VARCHAR NOT NULL,
            reviewed_at TIMESTAMP NOT NULL,
            PRIMARY KEY (commitment_id, round)
        );
        """,
    ),
)


def _apply_migrations(cur: duckdb.DuckDBPyConnection) -> list[int]:
    cur.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in cur.execute("SELECT version FROM schema_migrations").fetchall()}
    done = []
    for migration in MIGRATIONS:
        if migration.version in applied:
            continue
        cur.begin()
        try:
            cur.execute(migration.sql)
            cur.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?)",
                [migration.version, migration.name, _now()],
            )
            cur.commit()
        except Exception:
            cur.rollback()
            raise
        done.append(migration.version)
    return done


# --- the single writer ----------------------------------------------------------------------


@dataclass
class _Task:
    work: Callable[[duckdb.DuckDBPyConnection], Any]
    future: Future[Any]


class _Writer:
    """One thread owning the only write cursor; commits queued tasks in batches."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._cursor = con.cursor()
        self._queue: queue.Queue[_Task | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="workbook-writer", daemon=True)
        self.batches = 0
        self.tasks = 0
        self._thread.start()

    def submit(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        if not self._thread.is_alive():
            raise WriteFailedError("the database writer has stopped")
        task = _Task(work, Future())
        self._queue.put(task)
        return task.future.result()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self._cursor.close()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:
                return
            batch = [first]
            stopping = False
            while len(batch) < WRITE_BATCH_LIMIT:
                try:
                    task = self._queue.get_nowait()
                except queue.Empty:
                    break
                if task is None:
                    stopping = True
                    break
                batch.append(task)
            self._commit(batch)
            if stopping:
                return

    def _commit(self, batch: list[_Task]) -> None:
        cur = self._cursor
        results: list[Any] = []
        try:
            cur.begin()
            for task in batch:
                results.append(task.work(cur))
            cur.commit()
        except Exception:  # noqa: BLE001 - any failure: retry each task alone, below
            _rollback_quietly(cur)
            # Retry one by one, so one failing task cannot sink its neighbours.
            for task in batch:
                self._commit_alone(task)
            return
        self.batches += 1
        self.tasks += len(batch)
        for task, result in zip(batch, results, strict=True):
            task.future.set_result(result)

    def _commit_alone(self, task: _Task) -> None:
        cur = self._cursor
        try:
            cur.begin()
            result = task.work(cur)
            cur.commit()
        except Exception as error:  # noqa: BLE001 - every failure goes back to its caller
            _rollback_quietly(cur)
            task.future.set_exception(error)
            return
        self.batches += 1
        self.tasks += 1
        task.future.set_result(result)


def _rollback_quietly(cur: duckdb.DuckDBPyConnection) -> None:
    with contextlib.suppress(duckdb.Error):  # no transaction was open
        cur.rollback()


# --- the store ------------------------------------------------------------------------------


class Store:
    """One DuckDB file: open once per process, share between threads, close at exit."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreUnavailableError(self.path, error.strerror or str(error)) from error
        try:
            self._con = duckdb.connect(str(self.path))
        except duckdb.IOException as error:
            message = str(error)
            if "lock" in message.lower():
                raise StoreLockedError(self.path) from error
            raise StoreUnavailableError(self.path, _short_reason(message)) from error
        try:
            with self._cursor() as cur:
                self.applied_migrations = _apply_migrations(cur)
        except duckdb.Error as error:
            self._con.close()
            raise StoreUnavailableError(self.path, _short_reason(str(error))) from error
        self._writer = _Writer(self._con)
        self._closed = False

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._writer.stop()
            self._con.close()

    @property
    def schema_version(self) -> int:
        row = self._one("SELECT max(version) FROM schema_migrations")
        return int(row[0]) if row and row[0] is not None else 0

    # -- plumbing --

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self._con.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        with self._cursor() as cur:
            return cur.execute(sql, list(params)).fetchone()

    def _write(self, work: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        try:
            return self._writer.submit(work)
        except StoreError:
            raise
        except duckdb.IOException as error:
            raise StoreUnavailableError(self.path, _short_reason(str(error))) from error
        except duckdb.Error as error:
            raise WriteFailedError(_short_reason(str(error))) from error

    # -- workshops --

    def create_workshop(self, *, workshop: WorkshopCreate) -> tuple[Workshop, str]:
        """Create a workshop; return it and its facilitator key (shown once, stored hashed)."""
        key = new_facilitator_key()
        key_hash = hash_key(key)
        created = _now()
        pacing = "self" if workshop.self_guided else "follow"

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            for _ in range(20):
                code = new_join_code()
                taken = cur.execute(
                    "SELECT 1 FROM workshops WHERE join_code = ?", [code]
                ).fetchone()
                if not taken:
                    break
            else:  # pragma: no cover - 887 million codes; only reached if nearly all are used
                raise WriteFailedError("no free join code was found")
            row = cur.execute(
                "INSERT INTO workshops VALUES (nextval('workshop_ids'), ?, ?, ?, ?, ?, ?, ?, ?,"
                " 0, ?) RETURNING id",
                [
                    code,
                    workshop.title,
                    workshop.cause,
                    workshop.region,
                    key_hash,
                    workshop.self_guided,
                    workshop.shares_with_funders,
                    pacing,
                    created,
                ],
            ).fetchone()
            assert row is not None
            return int(row[0])

        workshop_id = self._write(work)
        found = self.workshop_by_id(workshop_id)
        assert found is not None
        return found, key

    _WORKSHOP_COLUMNS = (
        "id, join_code, title, cause, region, self_guided, shares_with_funders, pacing,"
        " current_step, created_at"
    )

    def workshop_by_id(self, workshop_id: int) -> Workshop | None:
        row = self._one(
            f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops WHERE id = ?", [workshop_id]
        )
        return Workshop(*row) if row else None

    def find_workshop(self, join_code: str) -> Workshop:
        """The workshop with this join code (typed any way), or WrongJoinCodeError."""
        code = normalise_join_code(join_code)
        row = None
        if len(code) == JOIN_CODE_LENGTH:
            row = self._one(
                f"SELECT {self._WORKSHOP_COLUMNS} FROM workshops WHERE join_code = ?", [code]
            )
        if row is None:
            raise WrongJoinCodeError(code[:12])
        return Workshop(*row)

    def facilitator_key_matches(self, *, workshop_id: int, key: str) -> bool:
        row = self._one("SELECT facilitator_key_hash FROM workshops WHERE id = ?", [workshop_id])
        if row is None:
            # Spend the same time as a real check so a missing workshop is not revealed.
            key_matches(key, hash_key("-"))
            return False
        return key_matches(key, row[0])

    def set_step(self, *, workshop_id: int, step: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "UPDATE workshops SET current_step = ? WHERE id = ?", [max(0, step), workshop_id]
            )
        )

    # -- groups and participants --

    def groups(self, workshop_id: int) -> list[Group]:
        rows = self._all(
            "SELECT g.id, g.workshop_id, g.name, g.current_round, count(p.id)"
            " FROM groups g LEFT JOIN participants p ON p.group_id = g.id"
            " WHERE g.workshop_id = ? GROUP BY g.id, g.workshop_id, g.name, g.current_round,"
            " g.name_key ORDER BY g.name_key",
            [workshop_id],
        )
        return [Group(*row) for row in rows]

    def group_by_id(self, group_id: int) -> Group | None:
        row = self._one(
            "SELECT g.id, g.workshop_id, g.name, g.current_round,"
            " (SELECT count(*) FROM participants p WHERE p.group_id = g.id)"
            " FROM groups g WHERE g.id = ?",
            [group_id],
        )
        return Group(*row) if row else None

    def join(self, *, workshop_id: int, request: JoinRequest) -> tuple[Seat, str]:
        """Seat a participant in a group (created if new; names match case-insensitively).

        Returns the seat and the participant's resume token (kept in the URL, stored hashed).
        """
        token = new_resume_token()
        hashed = token_hash(token)
        key = _name_key(request.group_name)
        created = _now()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            if (
                cur.execute("SELECT 1 FROM workshops WHERE id = ?", [workshop_id]).fetchone()
                is None
            ):
                raise NotFoundError("This workshop no longer exists.")
            row = cur.execute(
                "SELECT id FROM groups WHERE workshop_id = ? AND name_key = ?", [workshop_id, key]
            ).fetchone()
            if row is None:
                row = cur.execute(
                    "INSERT INTO groups VALUES (nextval('group_ids'), ?, ?, ?, ?, ?) RETURNING id",
                    [workshop_id, request.group_name, key, FIRST_ROUND, created],
                ).fetchone()
            assert row is not None
            group_id = int(row[0])
            participant = cur.execute(
                "INSERT INTO participants VALUES (nextval('participant_ids'), ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                [
                    workshop_id,
                    group_id,
                    request.display_name,
                    hashed,
                    request.quote_consent,
                    created,
                ],
            ).fetchone()
            assert participant is not None
            return int(participant[0])

        participant_id = self._write(work)
        seat = self._seat_where("p.id = ?", [participant_id])
        assert seat is not None
        return seat, token

    def resume(self, *, join_code: str, token: str) -> Seat | None:
        """The seat a resume token belongs to, if it belongs to this workshop; else None."""
        if not token or len(token) > 100:
            return None
        code = normalise_join_code(join_code)
        return self._seat_where("p.token_hash = ? AND w.join_code = ?", [token_hash(token), code])

    def seat(self, participant_id: int) -> Seat | None:
        return self._seat_where("p.id = ?", [participant_id])

    def _seat_where(self, condition: str, params: Sequence[Any]) -> Seat | None:
        row = self._one(
            f"SELECT {', '.join('w.' + c.strip() for c in self._WORKSHOP_COLUMNS.split(','))},"
            " g.id, g.workshop_id, g.name, g.current_round,"
            " (SELECT count(*) FROM participants x WHERE x.group_id = g.id),"
            " p.id, p.workshop_id, p.group_id, p.display_name, p.quote_consent,"
            " coalesce(s.step, 0)"
            " FROM participants p JOIN groups g ON g.id = p.group_id"
            " JOIN workshops w ON w.id = p.workshop_id"
            " LEFT JOIN participant_steps s ON s.participant_id = p.id"
            f" WHERE {condition}",
            params,
        )
        if row is None:
            return None
        return Seat(Workshop(*row[:10]), Group(*row[10:15]), Participant(*row[15:21]))

    def set_participant_step(self, *, participant_id: int, step: int) -> None:
        now = _now()
        self._write(
            lambda cur: cur.execute(
                "INSERT INTO participant_steps VALUES (?, ?, ?) ON CONFLICT (participant_id)"
                " DO UPDATE SET step = excluded.step, updated_at = excluded.updated_at",
                [participant_id, max(0, step), now],
            )
        )

    def start_follow_up(self, *, group_id: int) -> int:
        """Open the group's next round of self-assessment; earlier rounds are kept as they are."""

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            row = cur.execute(
                "UPDATE groups SET current_round = current_round + 1 WHERE id = ?"
                " RETURNING current_round",
                [group_id],
            ).fetchone()
            if row is None:
                raise NotFoundError("This group no longer exists.")
            return int(row[0])

        return self._write(work)

    # -- answers --

    def save_answers(
        self,
        *,
        seat: Seat,
        lesson_id: str,
        round: int,
        reflections: Sequence[ReflectionIn] = (),
        cleared_prompts: Sequence[str] = (),
        ratings: Sequence[RatingIn] = (),
        cleared_statements: Sequence[str] = (),
    ) -> None:
        """Save one form of a lesson in one transaction: upsert answers, remove cleared ones.

        Saving the same answers twice changes nothing (an upsert on participant, lesson, item
        and round), so a double click or a resent form cannot duplicate anything.
        """
        participant = seat.participant
        now = _now()
        base = [seat.workshop.id, seat.group.id, participant.id]

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            for reflection in reflections:
                cur.execute(
                    "INSERT INTO reflections VALUES (nextval('answer_ids'), ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?) ON CONFLICT (participant_id, lesson_id, prompt_id, round) DO UPDATE"
                    " SET text = excluded.text, updated_at = excluded.updated_at"
                    " WHERE reflections.text <> excluded.text",
                    [*base, lesson_id, reflection.prompt_id, round, reflection.text, now, now],
                )
            for rating in ratings:
                cur.execute(
                    "INSERT INTO ratings VALUES (nextval('answer_ids'), ?, ?, ?, ?, ?, ?, ?, ?,"
                    " ?, ?) ON CONFLICT (participant_id, lesson_id, statement_id, round) DO UPDATE"
                    " SET value = excluded.value, updated_at = excluded.updated_at"
                    " WHERE ratings.value <> excluded.value",
                    [
                        *base,
                        lesson_id,
                        rating.statement_id,
                        rating.key_finding.value,
                        round,
                        rating.value,
                        now,
                        now,
                    ],
                )
            for prompt_id in cleared_prompts:
                cur.execute(
                    "DELETE FROM reflections WHERE participant_id = ? AND lesson_id = ?"
                    " AND prompt_id = ? AND round = ?",
                    [participant.id, lesson_id, prompt_id, round],
                )
            for statement_id in cleared_statements:
                cur.execute(
                    "DELETE FROM ratings WHERE participant_id = ? AND lesson_id = ?"
                    " AND statement_id = ? AND round = ?",
                    [participant.id, lesson_id, statement_id, round],
                )

        self._write(work)

    def saved_answers(self, *, participant_id: int, lesson_id: str, round: int) -> SavedAnswers:
        reflections = self._all(
            "SELECT prompt_id, text FROM reflections"
            " WHERE participant_id = ? AND lesson_id = ? AND round = ?",
            [participant_id, lesson_id, round],
        )
        ratings = self._all(
            "SELECT statement_id, value FROM ratings"
            " WHERE participant_id = ? AND lesson_id = ? AND round = ?",
            [participant_id, lesson_id, round],
        )
        return SavedAnswers(dict(reflections), {key: int(value) for key, value in ratings})

    def answered_lessons(self, *, participant_id: int, round: int) -> set[str]:
        rows = self._all(
            "SELECT lesson_id FROM reflections WHERE participant_id = ? AND round = ?"
            " UNION SELECT lesson_id FROM ratings WHERE participant_id = ? AND round = ?",
            [participant_id, round, participant_id, round],
        )
        return {row[0] for row in rows}

    def group_reflections(self, group_id: int) -> list[Reflection]:
        rows = self._all(
            "SELECT r.id, r.group_id, r.participant_id, p.display_name, r.lesson_id, r.prompt_id,"
            " r.round, r.text, r.updated_at FROM reflections r"
            " JOIN participants p ON p.id = r.participant_id"
            " WHERE r.group_id = ? ORDER BY r.round, r.lesson_id, r.prompt_id, r.updated_at",
            [group_id],
        )
        return [Reflection(*row) for row in rows]

    def group_ratings(self, group_id: int) -> list[Rating]:
        rows = self._all(
            "SELECT group_id, participant_id, lesson_id, statement_id, key_finding, round, value"
            " FROM ratings WHERE group_id = ? ORDER BY round, lesson_id, statement_id",
            [group_id],
        )
        return [Rating(*row[:4], KeyFinding(row[4]), *row[5:]) for row in rows]

    # -- commitments --

    def add_commitment(self, *, seat: Seat, commitment: CommitmentIn, round: int) -> int:
        """Record a commitment for the seat's group. The same commitment (same words, who, date
        and finding, same round) is stored once, so a double submit cannot add it twice; adding
        back one that was removed brings it back."""
        now = _now()
        request_key = hashlib.sha256(
            "\x1f".join(
                [
                    str(seat.group.id),
                    str(round),
                    commitment.what,
                    commitment.who,
                    commitment.by_when.isoformat() if commitment.by_when else "",
                    commitment.key_finding.value,
                ]
            ).encode()
        ).hexdigest()

        def work(cur: duckdb.DuckDBPyConnection) -> int:
            existing = cur.execute(
                "UPDATE commitments SET deleted = false WHERE request_id = ? RETURNING id",
                [request_key],
            ).fetchone()
            if existing:
                return int(existing[0])
            row = cur.execute(
                "INSERT INTO commitments VALUES (nextval('commitment_ids'), ?, ?, ?, ?, ?, ?, ?,"
                " ?, ?, false, ?) RETURNING id",
                [
                    request_key,
                    seat.workshop.id,
                    seat.group.id,
                    seat.participant.id,
                    commitment.what,
                    commitment.who,
                    commitment.by_when,
                    commitment.key_finding.value,
                    round,
                    now,
                ],
            ).fetchone()
            assert row is not None
            return int(row[0])

        return self._write(work)

    def remove_commitment(self, *, group_id: int, commitment_id: int) -> None:
        self._write(
            lambda cur: cur.execute(
                "UPDATE commitments SET deleted = true WHERE id = ? AND group_id = ?",
                [commitment_id, group_id],
            )
        )

    def review_commitment(
        self, *, group_id: int, commitment_id: int, round: int, status: CommitmentStatus
    ) -> None:
        """Mark how a commitment went, as seen in `round`; each round's review is kept."""
        now = _now()

        def work(cur: duckdb.DuckDBPyConnection) -> None:
            owned = cur.execute(
                "SELECT 1 FROM commitments WHERE id = ? AND group_id = ?", [commitment_id, group_id]
            ).fetchone()
            if owned is None:
                raise NotFoundError("That commitment is not your group's.")
            cur.execute(
                "INSERT INTO commitment_reviews VALUES (?, ?, ?, ?) ON CONFLICT"
                " (commitment_id, round) DO UPDATE SET status = excluded.status,"
                " reviewed_at = excluded.reviewed_at",
                [commitment_id, round, status.value, now],
            )

        self._write(work)

    def commitments(self, group_id: int) -> list[Commitment]:
        rows = self._all(
            "SELECT c.id, c.group_id, c.what, c.who, c.by_when, c.key_finding, c.round,"
            " c.created_at, r.status, r.round FROM commitments c"
            " LEFT JOIN (SELECT * FROM commitment_reviews"
            "   QUALIFY row_number() OVER (PARTITION BY commitment_id ORDER BY round DESC) = 1) r"
            " ON r.commitment_id = c.id"
            " WHERE c.group_id = ? AND NOT c.deleted ORDER BY c.created_at, c.id",
            [group_id],
        )
        return [
            Commitment(
                *row[:5],
                KeyFinding(row[5]),
                *row[6:8],
                CommitmentStatus(row[8]) if row[8] else None,
                row[9],
            )
            for row in rows
        ]

    # -- maintenance --

    def backup(self, destination: Path) -> Path:
        """Copy a consistent snapshot of the whole database to a new DuckDB file.

        Runs on its own cursor while the app keeps serving: the copy is one statement, so it
        sees one committed state of every table.
        """
        destination = Path(destination).resolve()
        if destination.exists():
            raise StoreError(f"{destination} already exists; choose a new file name.")
        destination.parent.mkdir(parents=True, exist_ok=True)
        alias = "backup_" + secrets.token_hex(4)
        with self._cursor() as cur:
            source = _current_db(cur)
            cur.execute(f"ATTACH '{_sql_literal(str(destination))}' AS {alias}")
            try:
                cur.execute(f"COPY FROM DATABASE {source} TO {alias}")
            finally:
                cur.execute(f"DETACH {alias}")
        return destination


def _current_db(cur: duckdb.DuckDBPyConnection) -> str:
    row = cur.execute("SELECT current_database()").fetchone()
    assert row is not None
    return '"' + str(row[0]).replace('"', '""') + '"'


def _sql_literal(text: str) -> str:
    # ATTACH takes no parameters; the path is ours (not user input) but quote it anyway.
    return text.replace("'", "''")


def _short_reason(message: str) -> str:
    first = message.splitlines()[0] if message else "unknown error"
    return first[:200]
