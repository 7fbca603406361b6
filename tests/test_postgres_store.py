"""The store on PostgreSQL (WORKBOOK_DB=postgresql://...): what differs from a DuckDB file.

Everything the store does is tested on both backends through the `store` fixture; these are
the PostgreSQL-only parts: placeholders, its errors as one sentence, migrations from several
processes at once, a lost connection, backups through pg_dump, room wake-ups across processes,
the releases' copy into DuckDB; and, on both backends, store calls no other store test makes.
A real server every time (tests/conftest.py: `postgres_server`)."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from harness.postgres import with_database
from harness.server import free_port
from tests.conftest import raw_rows
from workbook.config import get_settings, setting_problems
from workbook.lessons import LessonSet
from workbook.live import start_timer
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.plans import Plan, PlanStep
from workbook.store import MIGRATIONS, Store, StoreUnavailableError
from workbook.store.database import utc_now
from workbook.store.postgres import (
    connection_reason,
    pg_dump_program,
    postgres_ddl,
    postgres_sql,
    shown_url,
)


def test_placeholders_become_psycopgs_outside_quotes_and_a_percent_is_doubled() -> None:
    sql = "SELECT '?', \"a?\", x LIKE '5%' -- why?\nFROM t WHERE a = ? AND b = $name"
    assert postgres_sql(sql, False) == (
        "SELECT '?', \"a?\", x LIKE '5%%' -- why?\nFROM t WHERE a = %s AND b = $name"
    )
    assert postgres_sql("SELECT $id::INTEGER, 'it''s ?'", True) == (
        "SELECT %(id)s::INTEGER, 'it''s ?'"
    )


def test_migrations_name_postgresql_types_and_every_one_runs(store: Store) -> None:
    assert postgres_ddl("a TINYINT, b DOUBLE, c DOUBLE PRECISION") == (
        "a SMALLINT, b DOUBLE PRECISION, c DOUBLE PRECISION"
    )
    assert store.schema_version == max(m.version for m in MIGRATIONS)


@pytest.fixture
def pg_store(postgres_url: str) -> Iterator[Store]:
    opened = Store(postgres_url)
    yield opened
    opened.close()


def _workshop_with_answer(store: Store, text: str = "hello") -> int:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    store.save_answers(
        seat=seat,
        lesson_id="l1",
        round=1,
        reflections=[ReflectionIn(lesson_id="l1", prompt_id="p1", text=text)],
    )
    return workshop.id


def test_processes_starting_together_migrate_once_and_share_the_data(postgres_url: str) -> None:
    # A database nobody migrated yet: several stores open it at once (as app processes
    # behind a balancer do); the migration lock lets one migrate, the others find it done.
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        for (table,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall():
            conn.execute(f"DROP TABLE {table}")  # type: ignore[arg-type]
        for (sequence,) in conn.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            conn.execute(f"DROP SEQUENCE {sequence}")  # type: ignore[arg-type]
    opened: list[Store] = []
    errors: list[BaseException] = []

    def open_one() -> None:
        try:
            opened.append(Store(postgres_url))
        except BaseException as error:  # noqa: BLE001 - surfaced below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        assert sorted(len(s.applied_migrations) for s in opened) == [0, 0, len(MIGRATIONS)]
        versions = raw_rows(postgres_url, "SELECT version FROM schema_migrations ORDER BY 1")
        assert [v for (v,) in versions] == sorted(m.version for m in MIGRATIONS)
        workshop_id = _workshop_with_answer(opened[0])
        assert opened[1].workshop_by_id(workshop_id) is not None  # the other "process" sees it
    finally:
        for store in opened:
            store.close()


def _refused(location: str) -> str:
    with pytest.raises(StoreUnavailableError) as caught:
        Store(location)
    message = str(caught.value)
    assert "Traceback" not in message and "\n" not in message
    return message


def test_a_server_that_is_not_there_is_one_sentence() -> None:
    message = _refused(f"postgresql://workbook:secret@127.0.0.1:{free_port()}/workbook")
    assert "cannot use its database server (postgresql://workbook:***@127.0.0.1:" in message
    assert "is the PostgreSQL server running?" in message
    assert "secret" not in message
    assert "Nothing you typed has been lost" in message


def test_a_database_that_does_not_exist_is_named(postgres_server: str) -> None:
    message = _refused(with_database(postgres_server, "no_such_workbook"))
    assert "the server has no database named no_such_workbook" in message


def test_a_wrong_password_is_one_sentence_without_the_password(postgres_server: str) -> None:
    parts = urlsplit(postgres_server)
    host = parts.hostname or "127.0.0.1"
    if parts.password is None or host.startswith("/"):
        # A server that asks no password (a local socket): psycopg's own words, as given.
        reason = connection_reason(
            psycopg.OperationalError(
                'connection failed: FATAL:  password authentication failed for user "x"'
            )
        )
        assert reason == "the server refused the user name or password"
        return
    wrong = urlunsplit(
        (
            parts.scheme,
            f"{parts.username}:not-the-password@{host}:{parts.port}",
            parts.path,
            parts.query,
            "",
        )
    )
    message = _refused(wrong)
    assert "the server refused the user name or password" in message
    assert "not-the-password" not in message


def test_a_malformed_address_is_named_by_the_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WORKBOOK_DB", "postgresql://host:notaport/db")
    get_settings.cache_clear()
    try:
        with pytest.raises(Exception) as caught:
            get_settings()
        problems = setting_problems(caught.value)  # type: ignore[arg-type]
    finally:
        get_settings.cache_clear()
    assert len(problems) == 1 and problems[0].startswith("WORKBOOK_DB is postgresql://host:")
    assert "postgresql://user:password@host:5432/workbook" in problems[0]
    assert shown_url("postgresql://a:b@h:1/d") == "postgresql://a:***@h:1/d"


def test_a_lost_connection_fails_one_write_plainly_then_the_store_reconnects(
    pg_store: Store, postgres_url: str
) -> None:
    store = pg_store
    workshop_id = _workshop_with_answer(store)
    database = urlsplit(postgres_url).path.lstrip("/")
    with psycopg.connect(with_database(postgres_url, "postgres"), autocommit=True) as admin:
        ended = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [database],
        ).fetchall()
    assert ended  # the store's connections were cut
    outcomes = []
    for _ in range(3):
        try:
            _workshop_with_answer(store, "after")
            outcomes.append("saved")
        except StoreUnavailableError as error:
            assert "connection to the server was lost" in str(error)
            outcomes.append("refused")
    assert outcomes[-1] == "saved"
    assert store.workshop_by_id(workshop_id) is not None


def test_a_backup_is_a_pg_dump_that_restores_into_a_working_store(
    pg_store: Store, postgres_server: str, tmp_path: Path
) -> None:
    workshop_id = _workshop_with_answer(pg_store, "kept in the backup")
    stop = threading.Event()

    def keep_writing() -> None:
        while not stop.is_set():
            _workshop_with_answer(pg_store, "written meanwhile")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        dump = pg_store.backup(tmp_path / "backups" / "workbook.dump")
    finally:
        stop.set()
        writer.join()
    assert dump.is_file() and dump.read_bytes().startswith(b"PGDMP")
    with pytest.raises(Exception, match="already exists"):
        pg_store.backup(dump)
    program = pg_dump_program()
    assert program is not None
    restored_name = f"{urlsplit(pg_store.url or '').path.lstrip('/')}_restored"
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {restored_name}")  # type: ignore[arg-type]
    restored_url = with_database(postgres_server, restored_name)
    try:
        pg_restore = str(Path(program).with_name("pg_restore"))
        assert shutil.which(pg_restore) or Path(pg_restore).exists()
        subprocess.run(
            [pg_restore, "--no-owner", f"--dbname={restored_url}", str(dump)],
            check=True,
            capture_output=True,
        )
        restored = Store(restored_url)
        try:
            assert restored.applied_migrations == []  # the schema came with the dump
            texts = {r[0] for r in raw_rows(restored_url, "SELECT text FROM reflections")}
            assert "kept in the backup" in texts
            assert restored.workshop_by_id(workshop_id) is not None
            # Sequences came along too: new rows get fresh ids.
            newer = _workshop_with_answer(restored, "after the restore")
            assert newer > workshop_id
        finally:
            restored.close()
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {restored_name} WITH (FORCE)")  # type: ignore[arg-type]


def test_the_backup_command_runs_pg_dump_and_tells_how_to_restore(
    pg_store: Store, tmp_path: Path
) -> None:
    import os
    import sys

    _workshop_with_answer(pg_store)
    env = {
        **os.environ,
        "WORKBOOK_DB": pg_store.url or "",
        "WORKBOOK_BACKUP_DIR": str(tmp_path / "backups"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "workbook.backup", *args],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    made = run("create")
    assert made.returncode == 0, made.stderr
    assert "by pg_dump" in made.stdout
    (dump,) = (tmp_path / "backups").glob("workbook-*.dump")
    assert dump.read_bytes().startswith(b"PGDMP")
    assert str(dump) in run("list").stdout
    refused = run("restore", str(dump), "--yes")
    assert refused.returncode == 2
    assert "pg_restore --no-owner" in refused.stderr and "Nothing was changed" in refused.stderr
    assert "Traceback" not in made.stderr + refused.stderr


def test_the_app_runs_on_postgresql_and_a_dead_server_is_one_sentence_on_the_page(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_pages import create_workshop, fresh, join

    monkeypatch.setenv("WORKBOOK_DB", postgres_url)
    get_settings.cache_clear()
    try:
        facilitator = fresh().run()
        create_workshop(facilitator, self_guided=True, group="Table 9")
        assert not facilitator.exception
        ((code,),) = raw_rows(postgres_url, "SELECT join_code FROM workshops")
        participant = fresh().run()
        join(participant, str(code), group="Table 4", name="Ana")
        assert participant.query_params["w"] == str(code).replace("-", "")
        groups = raw_rows(postgres_url, "SELECT name FROM groups ORDER BY name")
        assert groups == [("Table 4",), ("Table 9",)]

        monkeypatch.setenv("WORKBOOK_DB", f"postgresql://u:pw@127.0.0.1:{free_port()}/none")
        get_settings.cache_clear()
        down = fresh().run()
        shown = " ".join(str(e.value) for e in down.error)
        assert "cannot use its database server" in shown and "pw" not in shown.split(":***@")[1]
        assert not down.exception
    finally:
        get_settings.cache_clear()


def test_a_room_change_wakes_the_listeners_of_another_process(pg_store: Store) -> None:
    # Two stores on one database stand for two app processes (each has its own pool,
    # listener thread and mark): a move made through one wakes the other's screens.
    other = Store(pg_store.url or "")
    try:
        woken: list[int] = []
        arrived = threading.Event()

        def wake(workshop_id: int) -> None:
            woken.append(workshop_id)
            arrived.set()

        mine: list[int] = []
        timers: list[int] = []
        timer_arrived = threading.Event()

        def wake_timer(workshop_id: int) -> None:
            timers.append(workshop_id)
            timer_arrived.set()

        other.on_room_change(wake, wake_timer)
        pg_store.on_room_change(mine.append)
        assert other._room_listener.listening.wait(30)
        assert pg_store._room_listener.listening.wait(30)
        workshop, _ = pg_store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
        other.shared_room_signal(workshop.id, now=0.0)  # cached in the other process
        pg_store.move_room(workshop_id=workshop.id, step=3)
        assert arrived.wait(30)
        assert woken == [workshop.id]
        assert mine == [workshop.id]  # its own change wakes it once, not twice
        # A timer started in one process wakes the other's timers, not its screens.
        pg_store.set_timer(workshop_id=workshop.id, timer=start_timer(1, utc_now()))
        assert timer_arrived.wait(30)
        assert timers == [workshop.id] and woken == [workshop.id]
        # The wake-up dropped the other process's cached signal: it reads the move.
        signal = other.shared_room_signal(workshop.id, now=0.5)
        assert signal is not None and signal.current_step == 3
        # Questions closed in one process are closed in the other, which had kept their
        # states in memory.
        assert other.closed_items(workshop_id=workshop.id, lesson_id="l1") == set()
        arrived.clear()
        pg_store.set_item_state(
            workshop_id=workshop.id, lesson_id="l1", kind="prompt", item_id="p1", open=False
        )
        assert arrived.wait(30)
        assert other.closed_items(workshop_id=workshop.id, lesson_id="l1") == {("prompt", "p1")}
        # A plan set in one process is the plan the other runs from then on.
        assert other.workshop_plan(workshop.id) is None  # and kept so in memory
        evening = Plan(
            id="our-evening",
            title="Our evening",
            session_minutes=60,
            steps=[PlanStep(lesson="early-actions", minutes=15)],
        )
        arrived.clear()
        pg_store.set_workshop_plan(workshop_id=workshop.id, plan=evening)
        assert arrived.wait(30)
        stored = other.workshop_plan(workshop.id)
        assert stored is not None and stored.plan == evening
        # A language set in one process is the language the other speaks from then on.
        assert other.workshop_language(workshop.id) == "en"  # and kept so in memory
        arrived.clear()
        pg_store.set_workshop_language(workshop_id=workshop.id, language="da")
        assert arrived.wait(30)
        assert other.workshop_language(workshop.id) == "da"
    finally:
        other.close()


def test_release_reads_run_in_duckdb_on_a_copy_pulled_through_copy_and_arrow(
    pg_store: Store,
) -> None:
    workshop_id = _workshop_with_answer(pg_store, "copied")
    with pg_store._analytics(("workshops", "reflections", "map_measures")) as local:
        kinds = dict(
            local.execute("SELECT column_name, column_type FROM (DESCRIBE workshops)").fetchall()
        )
        assert kinds["id"] == "INTEGER" and kinds["created_at"] == "TIMESTAMP"
        assert kinds["shares_with_funders"] == "BOOLEAN" and kinds["title"] == "VARCHAR"
        lists = dict(
            local.execute("SELECT column_name, column_type FROM (DESCRIBE map_measures)").fetchall()
        )
        assert lists["kinds_present"] == "VARCHAR[]"
        assert local.execute("SELECT id FROM workshops").fetchall() == [(workshop_id,)]
        assert local.execute("SELECT text FROM reflections").fetchall() == [("copied",)]


# --- the rest of the store, on both backends (the `store` fixture) ----------------------------


def test_sign_in_waits_resume_links_and_the_projector_view_read_back_alike(store: Store) -> None:
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    for _ in range(4):
        store.record_wrong_key("funders")
    assert store.door_wait("funders") > 0
    store.clear_wrong_keys("funders")
    assert store.door_wait("funders") == 0
    signed = store.facilitator_sign_in(join_code=workshop.join_code, key=key)
    assert signed.workshop_id == workshop.id and not signed.problem

    token = store.new_resume_link(workshop_id=workshop.id)
    assert store.resume_workshop(token) == workshop.id
    store.revoke_resume_links(workshop_id=workshop.id)
    assert store.resume_workshop(token) is None

    store.set_projector_text_size(workshop_id=workshop.id, size="larger")
    store.set_projector_page(workshop_id=workshop.id, page=2, page_of="1:prompt:p1")
    view = store.projector_view(workshop.id)
    assert (view.text_size, view.page, view.page_of) == ("larger", 2, "1:prompt:p1")


def test_cleared_answers_are_deleted_and_past_plans_listed_once_alike(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="G"))
    texts = [ReflectionIn(lesson_id="l1", prompt_id=p, text=p) for p in ("p1", "p2")]
    store.save_answers(seat=seat, lesson_id="l1", round=1, reflections=texts)
    store.save_answers(seat=seat, lesson_id="l1", round=1, cleared_prompts=["p1"])
    assert [r.prompt_id for r in store.group_reflections(seat.group.id)] == ["p2"]
    assert store.own_answer_statuses(participant_id=seat.participant.id, lesson_id="l1") == {
        "p2": "shown"
    }

    evening = Plan(
        id="our-evening",
        title="Our evening",
        session_minutes=60,
        steps=[PlanStep(lesson="early-actions", minutes=15)],
    )
    other, _ = store.create_workshop(workshop=WorkshopCreate(title="u", cause="c"))
    for workshop_id in (workshop.id, other.id):
        store.set_workshop_plan(workshop_id=workshop_id, plan=evening)
    past = store.past_plans()
    assert [p.plan for p in past] == [evening]  # the same plan twice is offered once


def test_a_new_plan_moves_the_room_and_its_people_alike(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    store.move_room(workshop_id=workshop.id, step=1)
    evening = Plan(
        id="our-evening",
        title="Our evening",
        session_minutes=60,
        steps=[
            PlanStep(lesson="early-actions", minutes=15),
            PlanStep(lesson="action-plan", minutes=15),
            PlanStep(lesson="follow-up", minutes=15),
        ],
    )
    store.set_workshop_plan(workshop_id=workshop.id, plan=evening, moves={1: 2, 0: 0})
    assert store.room(workshop.id).current_step == 2
    assert store.room_changed_at(workshop.id) is not None


def test_a_release_quotes_and_withdraws_alike(store: Store, lessons: LessonSet) -> None:
    """The quote rule's reads (who answered which lesson) and a withdrawn quote (its answer
    hidden after the release), on both backends."""
    from tests.test_release import QUOTED, _room_answers
    from workbook.release.budget import Budget
    from workbook.release.make import make_release

    _room_answers(store, lessons, rooms=[("en", 2, True)] * 3, text=QUOTED)
    [(period, _)] = store.release_periods()
    answerers = store.release_answerers(period=period)
    assert len(answerers) == 6 and set(answerers["language"]) == {"en"}
    made = make_release(store, lessons, period=period, budget=Budget())
    quotes = store.published_release(made.release_id).quotes
    assert len(quotes) > 0 and store.withdrawn_quotes() == frozenset()
    first = quotes.iloc[0]
    [(reflection, workshop)] = store._all(
        "SELECT q.reflection_id, r.workshop_id FROM release_quotes q"
        " JOIN reflections r ON r.id = q.reflection_id"
        " WHERE q.release_id = ? AND q.lesson_id = ? AND q.position = ?",
        [made.release_id, str(first["lesson_id"]), int(first["position"])],
    )
    store.hide_answer(workshop_id=int(workshop), reflection_id=int(reflection))
    assert store.withdrawn_quotes() == {
        (made.release_id, str(first["lesson_id"]), int(first["position"]))
    }
