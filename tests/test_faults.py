"""Faults a live room can meet: the server killed mid-burst, a second app on the same file, a
full disk, a read-only data folder, and backups made while answers are being saved."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from harness import room_client as load_room
from harness.room_client import run_async
from harness.server import Server
from workbook import backup
from workbook.config import PROJECT_ROOT
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.store import Store, StoreUnavailableError, WriteFailedError
from workbook.store.answers import (
    RATING_COLUMNS,
    RATING_KEY,
    REFLECTION_COLUMNS,
    REFLECTION_KEY,
)
from workbook.store.database import utc_now
from workbook.store.row_changes import RowDelete, RowUpsert

LESSON = "learning-from-movements"  # the first lesson: where a participant lands after joining


def stored_reflections(db: Path) -> dict[str, set[str]]:
    """{display name: texts} of every reflection in the file (opened after servers stopped)."""
    store = Store(db)
    try:
        rows = store._all(
            "SELECT p.display_name, r.text FROM reflections r"
            " JOIN participants p ON p.id = r.participant_id"
        )
    finally:
        store.close()
    found: dict[str, set[str]] = {}
    for name, text in rows:
        found.setdefault(name, set()).add(text)
    return found


async def seat_people(url: str, code: str, count: int) -> list:
    people = [load_room.Participant(url, i, code, f"Table {i % 5 + 1}") for i in range(count)]
    gate = asyncio.Semaphore(6)

    async def join(person: object) -> None:
        async with gate:
            await person.join()  # type: ignore[attr-defined]

    await asyncio.gather(*(join(p) for p in people))
    return people


# --- the server killed in the middle of a burst ---------------------------------------------


def test_sigkill_mid_burst_keeps_every_confirmed_answer(tmp_path: Path) -> None:
    db = tmp_path / "room.duckdb"
    code = load_room.create_workshop(db)

    async def burst_then_kill() -> tuple[list, list]:
        server = Server(db)
        try:
            people = await seat_people(server.url, code, 12)
            saving = [asyncio.create_task(p.submit_answers(0)) for p in people]
            deadline = time.monotonic() + 60
            # Kill at the first confirmation: the rest of the burst is still in flight.
            while time.monotonic() < deadline and not any(
                p.tab._run is not None and p.tab._run.first_alert for p in people
            ):
                await asyncio.sleep(0.005)
            server.kill()
            results = await asyncio.gather(*saving, return_exceptions=True)
        finally:
            server.stop()
        for person in people:
            await person.tab.close()
        return people, results

    people, results = run_async(burst_then_kill())
    submits = [r for r in results if isinstance(r, load_room.Submit)]
    confirmed = [s for s in submits if s.saved_after is not None]
    assert confirmed, "the server was killed before anything was confirmed"
    assert len(confirmed) < len(people), "the kill came after the burst: nothing was in flight"

    # Restart on the same file: it opens cleanly and serves a confirmed participant's answers.
    async def come_back(person: object) -> list[str]:
        server = Server(db)
        try:
            tab = load_room.Tab(server.url)
            tab.query_string = person.tab.query_string  # type: ignore[attr-defined]
            await tab.open()
            assert not tab.exceptions
            boxes = [e.text_area.default for e in tab.of_kind("text_area")]
            await tab.close()
            return boxes
        finally:
            server.stop()

    first = people[confirmed[0].participant]
    assert set(run_async(come_back(first))) == set(first.sent_texts[0])

    stored = stored_reflections(db)
    for submit in confirmed:
        person = people[submit.participant]
        assert set(person.sent_texts[0]) <= stored.get(f"P{person.index}", set()), (
            f"participant {person.index} was told 'Saved' but their answers are not in the file"
        )


# --- a second app on the same file ----------------------------------------------------------


def test_a_second_app_on_the_same_file_is_refused_plainly_and_the_first_goes_on(
    tmp_path: Path,
) -> None:
    db = tmp_path / "room.duckdb"
    code = load_room.create_workshop(db)

    async def two_apps() -> tuple[list[str], object]:
        first = Server(db)
        second = None
        try:
            [person] = await seat_people(first.url, code, 1)  # the first app holds the file now
            second = Server(db)
            visitor = load_room.Tab(second.url)
            await visitor.open()
            shown = visitor.alerts()
            assert not visitor.exceptions
            assert not visitor.of_kind("text_input"), "the second app must show nothing else"
            await visitor.close()
            assert second.process.poll() is None, "the second app must not crash"
            result = await person.submit_answers(0)
            await person.tab.close()
            return shown, result
        finally:
            if second is not None:
                second.stop()
            first.stop()

    shown, result = run_async(two_apps())
    assert len(shown) == 1 and "already open in another copy of the app" in shown[0]
    assert "Traceback" not in shown[0]
    assert result.saved_after is not None, "the first app must keep saving"
    assert len(stored_reflections(db)["P0"]) == 3


# --- a full disk ----------------------------------------------------------------------------

# Runs in its own process: a process-wide file size limit must not touch pytest's own files.
FILL_THE_DISK = textwrap.dedent(
    """
    import json, os, resource, signal, sys, threading
    from pathlib import Path
    from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
    from workbook.store import Store, StoreError

    db, mode, filler = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store = Store(db)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seats = [store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"g{i}"))[0]
             for i in range(6)]
    with store._cursor() as cur:
        cur.execute("CHECKPOINT")  # an empty log: what follows is all new writes
    if mode == "tmpfs":
        free = os.statvfs(db.parent).f_bavail * os.statvfs(db.parent).f_frsize
        filler.write_bytes(b"\\0" * max(0, free - 96 * 1024))
    else:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of a killed process
        hard = resource.getrlimit(resource.RLIMIT_FSIZE)[1]
        resource.setrlimit(resource.RLIMIT_FSIZE, (96 * 1024, hard))
    confirmed, refused = [], []
    lock = threading.Lock()

    def participant(n):
        failures = 0
        for i in range(2000):
            text = f"seat {n} answer {i} " + "words " * 120 + "end"
            try:
                store.save_answers(seat=seats[n], lesson_id="l1", round=1, reflections=[
                    ReflectionIn(lesson_id="l1", prompt_id=f"p{i}", text=text)])
            except StoreError as error:
                with lock:
                    refused.append([n, text, type(error).__name__, str(error)])
                failures += 1
                if failures >= 3:
                    return
            else:
                with lock:
                    confirmed.append([n, text])

    threads = [threading.Thread(target=participant, args=(n,)) for n in range(6)]
    for t in threads: t.start()
    for t in threads: t.join()
    # Space comes back: the same store saves again without a restart.
    if mode == "tmpfs":
        filler.unlink()
    else:
        resource.setrlimit(resource.RLIMIT_FSIZE, (hard, hard))
    store.save_answers(seat=seats[0], lesson_id="l1", round=1, reflections=[
        ReflectionIn(lesson_id="l1", prompt_id="after", text="after the disk was freed")])
    confirmed.append([0, "after the disk was freed"])
    store.close()
    print(json.dumps({"confirmed": confirmed, "refused": refused}))
    """
)


@contextlib.contextmanager
def small_disk(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A 4 MB tmpfs when this user may mount one (root, as in CI); else a file size limit."""
    mount_point = tmp_path / "small-disk"
    mount_point.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount_point)],
            capture_output=True,
        ).returncode
        == 0
    )
    try:
        yield mount_point, "tmpfs" if mounted else "rlimit"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_a_full_disk_is_told_plainly_and_no_confirmed_answer_is_lost(tmp_path: Path) -> None:
    with small_disk(tmp_path) as (folder, mode):
        db = folder / "full.duckdb"
        run = subprocess.run(
            [sys.executable, "-c", FILL_THE_DISK, str(db), mode, str(folder / "filler")],
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        result = json.loads(run.stdout.strip().splitlines()[-1])
        confirmed, refused = result["confirmed"], result["refused"]
        assert len(confirmed) > 6, f"too few saves before the disk filled ({mode})"
        assert refused, f"the disk never filled ({mode})"
        for _, _, kind, message in refused:
            assert kind == "StoreUnavailableError", message
            assert "Nothing you typed has been lost" in message
            assert "Traceback" not in message
            assert ("is full" in message) or ("largest file size" in message), message
        store = Store(db)  # opens cleanly after the failed writes
        try:
            texts = {row[0] for row in store._all("SELECT text FROM reflections")}
        finally:
            store.close()
    missing = [text[:40] for _, text in confirmed if text not in texts]
    assert not missing, f"confirmed but lost ({mode}): {missing[:3]}"
    stored_refusals = [text[:40] for _, text, _, _ in refused if text in texts]
    assert not stored_refusals, f"told 'not saved' but stored ({mode}): {stored_refusals[:3]}"


# --- a read-only data folder ----------------------------------------------------------------


@contextlib.contextmanager
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    """A data folder holding a database, made read-only: remounted read-only when this user
    may mount (root ignores file permissions), else by its permissions."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    mounted = os.geteuid() == 0 and (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    store = Store(folder / "workbook.duckdb")
    store.create_workshop(workshop=WorkshopCreate(title="Kept", cause="c"))
    store.close()
    try:
        if mounted:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        else:
            for path in folder.iterdir():
                path.chmod(0o444)
            folder.chmod(0o555)
        yield folder
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        else:
            folder.chmod(0o755)


def test_a_read_only_data_folder_is_told_plainly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbook.config import get_settings

    with read_only_folder(tmp_path) as folder:
        with pytest.raises(StoreUnavailableError) as caught:
            Store(folder / "workbook.duckdb")
        assert "cannot be written to" in str(caught.value)
        with pytest.raises(StoreUnavailableError):
            Store(folder / "new" / "workbook.duckdb")
        # The app shows that sentence and nothing else, not a traceback.
        monkeypatch.setenv("WORKBOOK_DB", str(folder / "workbook.duckdb"))
        get_settings.cache_clear()
        try:
            at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=30).run()
        finally:
            get_settings.cache_clear()
        assert not at.exception
        assert len(at.error) == 1 and "cannot be written to" in at.error[0].value
        assert "Nothing you typed has been lost" in at.error[0].value


def test_a_log_that_cannot_be_written_refuses_saves_and_recovers(tmp_path: Path) -> None:
    """The write-ahead log's place taken (as when the folder turns read-only under a running
    app): each save is refused plainly, none is half-stored, and saving resumes after."""
    db = tmp_path / "wal.duckdb"
    store = Store(db)
    try:
        workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))
        with store._cursor() as cur:
            cur.execute("CHECKPOINT")  # the log is closed and removed; the next write opens it
        blocker = db.with_name(db.name + ".wal")
        blocker.mkdir()
        for i in range(3):
            with pytest.raises(StoreUnavailableError) as caught:
                store.save_answers(
                    seat=seat,
                    lesson_id="l1",
                    round=1,
                    reflections=[ReflectionIn(lesson_id="l1", prompt_id=f"p{i}", text="lost?")],
                )
            assert "cannot be written to" in str(caught.value)
        blocker.rmdir()
        store.save_answers(
            seat=seat,
            lesson_id="l1",
            round=1,
            reflections=[ReflectionIn(lesson_id="l1", prompt_id="ok", text="kept")],
        )
    finally:
        store.close()
    reopened = Store(db)
    try:
        assert reopened._all("SELECT prompt_id, text FROM reflections") == [("ok", "kept")]
    finally:
        reopened.close()


# --- the writer under a burst: merged row changes --------------------------------------------


def reflection_rows(seat: object, texts: dict[str, str]) -> RowUpsert:
    now = utc_now()
    base = (seat.workshop.id, seat.group.id, seat.participant.id)  # type: ignore[attr-defined]
    return RowUpsert(
        table="reflections",
        key=REFLECTION_KEY,
        columns=REFLECTION_COLUMNS,
        rows=tuple((*base, "l1", prompt, 1, text, now, now) for prompt, text in texts.items()),
        update=("text", "updated_at"),
        changed_when=("text",),
        id_column="id",
        id_sequence="answer_ids",
    )


def test_merged_row_changes_from_many_threads_are_all_committed_in_few_batches(
    store: Store,
) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seats = [
        store.join(workshop_id=workshop.id, request=JoinRequest(group_name=f"g{i % 4}"))[0]
        for i in range(60)
    ]
    batches_before = store._writer.batches
    start = threading.Barrier(60)
    failures: list[BaseException] = []

    def save(n: int) -> None:
        start.wait()
        try:
            for round_ in range(3):
                store._write_rows(
                    reflection_rows(seats[n], {f"p{k}": f"{n}-{round_}-{k}" for k in range(3)})
                )
        except BaseException as error:  # noqa: BLE001 - reported by the assert below
            failures.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    rows = store._all("SELECT participant_id, prompt_id, text FROM reflections")
    assert len(rows) == 60 * 3  # upserts: the last of three rounds per answer
    by_participant = {(pid, prompt): text for pid, prompt, text in rows}
    for n, seat in enumerate(seats):
        for k in range(3):
            assert by_participant[(seat.participant.id, f"p{k}")] == f"{n}-2-{k}"
    assert store._writer.batches - batches_before < 60 * 3, "nothing was batched"


def test_in_one_batch_the_last_change_to_a_row_wins(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))
    store._write_rows(reflection_rows(seat, {"a": "first", "b": "first", "c": "first"}))
    # One task: upsert a, delete b, upsert b again, delete c; then check the result.
    store._write_rows(
        reflection_rows(seat, {"a": "second"}),
        RowDelete(
            table="reflections", key=REFLECTION_KEY, keys=((seat.participant.id, "l1", "b", 1),)
        ),
        reflection_rows(seat, {"b": "back"}),
        RowDelete(
            table="reflections", key=REFLECTION_KEY, keys=((seat.participant.id, "l1", "c", 1),)
        ),
    )
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert saved.reflections == {"a": "second", "b": "back"}
    # Saving the same text again leaves updated_at alone (nothing changed).
    before = store._all("SELECT prompt_id, updated_at FROM reflections ORDER BY 1")
    store._write_rows(reflection_rows(seat, {"a": "second", "b": "back"}))
    assert store._all("SELECT prompt_id, updated_at FROM reflections ORDER BY 1") == before


def test_one_bad_row_in_a_merged_batch_fails_only_its_own_save(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seats = [
        store.join(workshop_id=workshop.id, request=JoinRequest(group_name="g"))[0]
        for _ in range(12)
    ]
    now = utc_now()
    outcomes: dict[int, object] = {}
    start = threading.Barrier(12)

    def rate(n: int) -> None:
        seat = seats[n]
        value = 9 if n == 5 else 3  # the CHECK (value BETWEEN 1 AND 5) refuses 9
        change = RowUpsert(
            table="ratings",
            key=RATING_KEY,
            columns=RATING_COLUMNS,
            rows=(
                (
                    workshop.id,
                    seat.group.id,
                    seat.participant.id,
                    "l1",
                    "s1",
                    "learning",
                    1,
                    value,
                    now,
                    now,
                ),
            ),
            update=("value", "updated_at"),
            id_column="id",
            id_sequence="answer_ids",
        )
        start.wait()
        try:
            store._write_rows(change)
            outcomes[n] = "ok"
        except WriteFailedError as error:
            outcomes[n] = error

    threads = [threading.Thread(target=rate, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(outcomes[5], WriteFailedError)
    assert sum(1 for v in outcomes.values() if v == "ok") == 11
    assert store._one("SELECT count(*) FROM ratings") == (11,)


def test_row_changes_refuse_names_that_are_not_plain_identifiers() -> None:
    with pytest.raises(ValueError, match="identifier"):
        RowDelete(table="reflections; DROP TABLE x", key=("id",), keys=((1,),))
    with pytest.raises(ValueError, match="one value per column"):
        RowUpsert(table="t", key=("a",), columns=("a", "b"), rows=((1,),))


def test_a_writer_that_dies_leaves_nobody_waiting(store: Store) -> None:
    def fatal(cur: object) -> None:
        raise SystemExit("the writer thread is told to stop")

    with pytest.raises(BaseException):  # noqa: B017 - any error, as long as it returns
        store._write(fatal)
    with pytest.raises(WriteFailedError, match="writer has stopped"):
        store._write(lambda cur: cur.execute("SELECT 1"))


# --- backups while the app runs, and restore ------------------------------------------------


def run_backup(*args: str, db: Path, backup_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBOOK_DB": str(db), "WORKBOOK_BACKUP_DIR": str(backup_dir)}
    return subprocess.run(
        [sys.executable, "-m", "workbook.backup", *args],
        env=env,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def whole_forms_only(path: Path) -> dict[str, int]:
    """Counts in a backup, checking it holds every saved form whole (3 answers, 3 ratings)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        partial = con.execute(
            "SELECT count(*) FROM (SELECT participant_id, lesson_id, count(*) AS n"
            " FROM reflections GROUP BY ALL HAVING n <> 3)"
        ).fetchone()
        ratings = con.execute(
            "SELECT count(*) FROM (SELECT participant_id, lesson_id, count(*) AS n"
            " FROM ratings GROUP BY ALL HAVING n <> 3)"
        ).fetchone()
        assert partial == (0,) and ratings == (0,), "a form was copied half-saved"
        counts = con.execute(
            "SELECT (SELECT count(*) FROM reflections), (SELECT count(*) FROM ratings)"
        ).fetchone()
        assert counts is not None
        return {"reflections": counts[0], "ratings": counts[1]}
    finally:
        con.close()


def test_backup_while_the_app_saves_then_restore(tmp_path: Path) -> None:
    db = tmp_path / "room.duckdb"
    backups = tmp_path / "backups"
    code = load_room.create_workshop(db)

    async def save_while_backing_up() -> tuple[subprocess.CompletedProcess[str], ...]:
        server = Server(db, env={"WORKBOOK_BACKUP_DIR": str(backups)})
        try:
            people = await seat_people(server.url, code, 6)

            async def keep_saving(person: object) -> None:
                for step in range(4):  # four saves each of the first lesson's whole form
                    await person.submit_answers(step)  # type: ignore[attr-defined]

            saving = asyncio.gather(*(keep_saving(p) for p in people))
            await asyncio.sleep(0.3)
            made = await asyncio.to_thread(run_backup, "create", db=db, backup_dir=backups)
            refused = await asyncio.to_thread(
                run_backup,
                "restore",
                str(tmp_path / "x.duckdb"),
                "--yes",
                db=db,
                backup_dir=backups,
            )
            await saving
            copies = sorted(backups.glob("workbook-*.duckdb"))
            running = await asyncio.to_thread(
                run_backup, "restore", str(copies[0]), "--yes", db=db, backup_dir=backups
            )
            for person in people:
                await person.tab.close()
            return made, refused, running
        finally:
            server.stop()

    made, missing, while_running = run_async(save_while_backing_up())
    assert made.returncode == 0, made.stderr
    assert "by the running app" in made.stdout
    [copy] = sorted(backups.glob("workbook-*.duckdb"))
    assert not list((backups / "requests").glob("*.json")), "requests are cleaned up"
    in_copy = whole_forms_only(copy)
    assert missing.returncode == 1 and "There is no file" in missing.stderr
    assert while_running.returncode == 2
    assert (
        "The app is running" in while_running.stderr
        and "Nothing was changed" in while_running.stderr
    )

    # After the app stops: the file has everything saved; restore puts the copy back.
    after = whole_forms_only(db)
    assert after["reflections"] == 6 * 3  # each person's latest form (the saves are upserts)
    restored = run_backup("restore", str(copy), "--yes", db=db, backup_dir=backups)
    assert restored.returncode == 0, restored.stderr
    assert "kept as" in restored.stdout
    assert whole_forms_only(db) == in_copy
    [kept] = sorted(backups.glob("before-restore-*.duckdb"))
    assert whole_forms_only(kept) == after
    store = Store(db)  # the restored file is a working database
    try:
        assert store.find_workshop(code).join_code == code
    finally:
        store.close()


def test_backup_without_a_running_app_and_bad_restores(tmp_path: Path) -> None:
    db = tmp_path / "quiet.duckdb"
    backups = tmp_path / "backups"
    code = load_room.create_workshop(db)
    made = run_backup("create", "--to", str(tmp_path / "copy.duckdb"), db=db, backup_dir=backups)
    assert made.returncode == 0, made.stderr
    assert "no app was running" in made.stdout
    again = run_backup("create", "--to", str(tmp_path / "copy.duckdb"), db=db, backup_dir=backups)
    assert again.returncode == 1 and "already exists" in again.stderr
    assert backup.check_backup(tmp_path / "copy.duckdb")["workshops"] == 1

    not_ours = tmp_path / "other.duckdb"
    duckdb.connect(str(not_ours)).close()
    refused = run_backup("restore", str(not_ours), "--yes", db=db, backup_dir=backups)
    assert refused.returncode == 1 and "not a workbook database" in refused.stderr
    text_file = tmp_path / "notes.duckdb"
    text_file.write_text("just some notes")
    refused = run_backup("restore", str(text_file), "--yes", db=db, backup_dir=backups)
    assert refused.returncode == 1 and "not a DuckDB database" in refused.stderr
    unasked = run_backup("restore", str(tmp_path / "copy.duckdb"), db=db, backup_dir=backups)
    assert unasked.returncode == 2 and "--yes" in unasked.stderr
    store = Store(db)
    try:
        assert store.find_workshop(code).join_code == code  # nothing was changed
    finally:
        store.close()


def test_the_watcher_answers_only_for_its_own_file(tmp_path: Path) -> None:
    mine, other = Store(tmp_path / "mine.duckdb"), tmp_path / "other.duckdb"
    watcher = backup.BackupWatcher(mine, tmp_path / "b", every=3600)  # driven by hand below
    folder = backup.requests_folder(tmp_path / "b")
    folder.mkdir(parents=True)
    try:
        (folder / "1.json").write_text(
            json.dumps({"db": str(other), "destination": str(tmp_path / "x.duckdb")})
        )
        (folder / "2.json").write_text(
            json.dumps({"db": str(mine.path), "destination": str(tmp_path / "y.duckdb")})
        )
        (folder / "3.json").write_text("{not json")
        assert watcher.serve_pending() == 1
        answer = json.loads((folder / "2.answer.json").read_text())
        assert answer["ok"] and Path(answer["path"]).exists()
        assert (folder / "1.json").exists() and not (folder / "2.json").exists()
    finally:
        mine.close()
