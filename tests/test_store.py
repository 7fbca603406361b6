"""The DuckDB store on a real file: migrations, codes and keys, seats, answers, rounds,
commitments, concurrency, atomic writes, a locked file and backups."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import raw_rows
from workbook.keys import name_key
from workbook.models import (
    CommitmentIn,
    CommitmentStatus,
    JoinRequest,
    KeyFinding,
    RatingIn,
    ReflectionIn,
    WorkshopCreate,
)
from workbook.records import Seat
from workbook.store import (
    JOIN_CODE_ALPHABET,
    MIGRATIONS,
    Store,
    StoreLockedError,
    WriteFailedError,
    WrongJoinCodeError,
    hash_key,
    key_matches,
    normalise_join_code,
)


def seated(store: Store, group: str = "Table 1", name: str = "") -> Seat:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    seat, _ = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name=group, display_name=name)
    )
    return seat


def reflection(text: str, prompt: str = "p1", lesson: str = "l1") -> ReflectionIn:
    return ReflectionIn(lesson_id=lesson, prompt_id=prompt, text=text)


def rating(value: int, statement: str = "s1", lesson: str = "l1") -> RatingIn:
    return RatingIn(
        lesson_id=lesson, statement_id=statement, key_finding=KeyFinding.learning, value=value
    )


def test_migrations_are_applied_once_and_recorded(tmp_path: Path) -> None:
    first = Store(tmp_path / "w.duckdb")
    assert first.applied_migrations == [m.version for m in MIGRATIONS]
    assert first.schema_version == MIGRATIONS[-1].version
    first.close()
    again = Store(tmp_path / "w.duckdb")
    assert again.applied_migrations == []
    assert again.schema_version == MIGRATIONS[-1].version
    again.close()


def test_join_codes_are_easy_to_read_aloud(store: Store) -> None:
    assert not set("01OIL") & set(JOIN_CODE_ALPHABET)
    codes = {
        store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))[0].join_code
        for _ in range(20)
    }
    assert len(codes) == 20
    assert all(len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET) for code in codes)


def test_codes_are_found_however_they_are_typed(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    code = workshop.join_code
    for typed in (code, code.lower(), f" {code[:3]}-{code[3:]} ", f"{code[:3]} {code[3:]}"):
        assert store.find_workshop(typed).id == workshop.id
    assert normalise_join_code("ab c-2'3;4") == "ABC234"


@pytest.mark.parametrize("typed", ["", "ZZZZZZ", "' OR 1=1 --", "<b>abc</b>", "A" * 500])
def test_a_wrong_join_code_gets_a_plain_sentence(store: Store, typed: str) -> None:
    store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    with pytest.raises(WrongJoinCodeError) as caught:
        store.find_workshop(typed)
    assert str(caught.value).startswith("No workshop has the code")
    assert "<" not in str(caught.value)


def test_facilitator_key_is_stored_only_hashed_and_checked(store: Store, db_location: str) -> None:
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    assert store.facilitator_key_matches(workshop_id=workshop.id, key=key)
    assert store.facilitator_key_matches(workshop_id=workshop.id, key=key.lower().replace("-", " "))
    wrong = key[:-1] + ("Y" if key.endswith("X") else "X")  # a key can end in X (1 in 31)
    assert not store.facilitator_key_matches(workshop_id=workshop.id, key=wrong)
    assert not store.facilitator_key_matches(workshop_id=999, key=key)
    store.close()
    ((stored,),) = raw_rows(db_location, "SELECT facilitator_key_hash FROM workshops")
    assert isinstance(stored, str)
    assert key not in stored and stored.startswith("scrypt$")
    assert key_matches(key, stored) and not key_matches(key, "garbage")
    assert hash_key(key) != hash_key(key)  # salted


def test_join_creates_or_reuses_groups_case_insensitively(store: Store) -> None:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    first, token_a = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    second, token_b = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name="  table   1 ", display_name="Ana")
    )
    assert first.group.id == second.group.id
    assert token_a != token_b
    groups = store.groups(workshop.id)
    assert [(g.name, g.members) for g in groups] == [("Table 1", 2)]


@pytest.mark.parametrize(
    ("typed", "again"),
    [
        ("Table A", "\uff34\uff41\uff42\uff4c\uff45 A"),  # full-width letters
        ("Table A", "TABLE\u3000\uff21"),  # an ideographic space, a full-width capital
        ("Table 1", "Table \uff11"),  # a full-width digit
        ("Caf\u00e9", "CAFE\u0301"),  # an accent as a character of its own, any case
        ("Straße", "STRASSE"),  # case folded, not just lowered
    ],
)
def test_group_names_that_only_look_different_name_one_group(
    store: Store, typed: str, again: str
) -> None:
    """Names are compared as NFKC, case-folded (full-width forms as the letters they show),
    and each group keeps its name as first typed."""
    assert name_key(typed) == name_key(again)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    first, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=typed))
    second, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=again))
    assert second.group.id == first.group.id
    assert store.group_named(workshop_id=workshop.id, name=again) == store.groups(workshop.id)[0]
    assert [(g.name, g.members) for g in store.groups(workshop.id)] == [(typed, 2)]


def test_names_that_differ_stay_apart_and_full_width_ones_sort_with_the_rest(
    store: Store,
) -> None:
    """Accents, digits and letters still tell groups apart; a full-width name is listed where
    its letters put it, as typed."""
    for a, b in [("Table 1", "Table 2"), ("Caf\u00e9", "Cafe"), ("Table A", "Table \uff22")]:
        assert name_key(a) != name_key(b)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="t", cause="c"))
    for name in ("Table C", "\uff34\uff41\uff42\uff4c\uff45 B", "Table A"):
        store.join(workshop_id=workshop.id, request=JoinRequest(group_name=name))
    names = [g.name for g in store.groups(workshop.id)]
    assert names == ["Table A", "\uff34\uff41\uff42\uff4c\uff45 B", "Table C"]


def test_resume_needs_the_token_of_that_workshop(store: Store) -> None:
    seat = seated(store)
    other = seated(store, group="Elsewhere")
    token = store.join(workshop_id=seat.workshop.id, request=JoinRequest(group_name="Table 1"))[1]
    resumed = store.resume(join_code=seat.workshop.display_code, token=token)
    assert resumed is not None and resumed.workshop.id == seat.workshop.id
    assert store.resume(join_code=other.workshop.join_code, token=token) is None  # forged pair
    assert store.resume(join_code=seat.workshop.join_code, token="made-up-token") is None
    assert store.resume(join_code=seat.workshop.join_code, token="") is None
    assert store.resume(join_code=seat.workshop.join_code, token="x" * 10_000) is None


def test_answers_round_trip_and_updates_never_duplicate(store: Store, tmp_path: Path) -> None:
    seat = seated(store)
    for _ in range(3):  # a double (triple) click
        store.save_answers(
            seat=seat,
            lesson_id="l1",
            round=1,
            reflections=[reflection("first")],
            ratings=[rating(2)],
        )
    store.save_answers(
        seat=seat, lesson_id="l1", round=1, reflections=[reflection("edited")], ratings=[rating(4)]
    )
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert saved.reflections == {"p1": "edited"}
    assert saved.ratings == {"s1": 4}
    assert len(store.group_reflections(seat.group.id)) == 1
    assert len(store.group_ratings(seat.group.id)) == 1


def test_cleared_answers_are_removed(store: Store) -> None:
    seat = seated(store)
    store.save_answers(
        seat=seat, lesson_id="l1", round=1, reflections=[reflection("x")], ratings=[rating(3)]
    )
    store.save_answers(
        seat=seat, lesson_id="l1", round=1, cleared_prompts=["p1"], cleared_statements=["s1"]
    )
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert saved.reflections == {} and saved.ratings == {}


def test_tricky_text_is_stored_and_read_back_unchanged(store: Store) -> None:
    seat = seated(store, group="<i>Table</i> 'one'", name="Robert'); DROP TABLE participants;--")
    texts = ["<script>alert(1)</script>", "**not bold**", "مرحبا 👋🏽", "a\nb\tc", "x" * 5000]
    store.save_answers(
        seat=seat,
        lesson_id="l1",
        round=1,
        reflections=[reflection(t, prompt=f"p{i}") for i, t in enumerate(texts)],
    )
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert [saved.reflections[f"p{i}"] for i in range(len(texts))] == texts
    assert store.seat(seat.participant.id).group.name == "<i>Table</i> 'one'"
    assert store.seat(seat.participant.id).participant.display_name.startswith("Robert'")


def test_rounds_are_kept_side_by_side(store: Store) -> None:
    seat = seated(store)
    store.save_answers(seat=seat, lesson_id="l1", round=1, ratings=[rating(2)])
    assert store.start_follow_up(group_id=seat.group.id) == 2
    store.save_answers(seat=seat, lesson_id="l1", round=2, ratings=[rating(5)])
    values = {(r.round, r.value) for r in store.group_ratings(seat.group.id)}
    assert values == {(1, 2), (2, 5)}
    assert store.seat(seat.participant.id).group.current_round == 2


def test_participant_step_is_remembered(store: Store) -> None:
    seat = seated(store)
    store.set_participant_step(participant_id=seat.participant.id, step=4)
    store.set_participant_step(participant_id=seat.participant.id, step=5)
    assert store.seat(seat.participant.id).participant.current_step == 5


def test_commitments_once_per_submit_reviews_per_round(store: Store) -> None:
    seat = seated(store)
    plan = CommitmentIn(what="Call the mayor's office", who="Ana", key_finding="right_people")
    first = store.add_commitment(seat=seat, commitment=plan, round=1)
    assert store.add_commitment(seat=seat, commitment=plan, round=1) == first  # double click
    store.review_commitment(
        group_id=seat.group.id, commitment_id=first, round=2, status=CommitmentStatus.partly
    )
    store.review_commitment(
        group_id=seat.group.id, commitment_id=first, round=3, status=CommitmentStatus.kept
    )
    [listed] = store.commitments(seat.group.id)
    assert (listed.what, listed.status, listed.status_round) == (plan.what, "kept", 3)
    store.remove_commitment(group_id=seat.group.id, commitment_id=first)
    assert store.commitments(seat.group.id) == []
    other = seated(store, group="Other")
    with pytest.raises(Exception, match="not your group"):
        store.review_commitment(
            group_id=other.group.id, commitment_id=first, round=2, status=CommitmentStatus.kept
        )


def test_two_threads_writing_at_once_lose_nothing(store: Store) -> None:
    seats = [seated(store, group=f"T{i}") for i in range(2)]
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write_many(seat: Seat) -> None:
        try:
            barrier.wait()
            for i in range(100):
                store.save_answers(
                    seat=seat,
                    lesson_id="l1",
                    round=1,
                    reflections=[reflection(f"answer {i}", prompt=f"p{i}")],
                    ratings=[rating(1 + i % 5, statement=f"s{i}")],
                )
        except BaseException as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write_many, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for seat in seats:
        assert len(store.group_reflections(seat.group.id)) == 100
        assert len(store.group_ratings(seat.group.id)) == 100


def test_many_threads_on_the_same_answers_keep_one_row(store: Store) -> None:
    seat = seated(store)
    threads = [
        threading.Thread(
            target=store.save_answers,
            kwargs={
                "seat": seat,
                "lesson_id": "l1",
                "round": 1,
                "reflections": [reflection(f"v{i}")],
            },
        )
        for i in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.group_reflections(seat.group.id)) == 1


def test_a_failing_write_leaves_nothing_half_written(store: Store) -> None:
    seat = seated(store)
    bad = RatingIn.model_construct(
        lesson_id="l1", statement_id="s2", key_finding=KeyFinding.learning, value=9
    )  # bypasses the model
    with pytest.raises(WriteFailedError):
        store.save_answers(
            seat=seat,
            lesson_id="l1",
            round=1,
            reflections=[reflection("kept?")],
            ratings=[rating(3), bad],
        )
    saved = store.saved_answers(participant_id=seat.participant.id, lesson_id="l1", round=1)
    assert saved.reflections == {} and saved.ratings == {}
    store.save_answers(seat=seat, lesson_id="l1", round=1, reflections=[reflection("fine")])
    assert store.saved_answers(
        participant_id=seat.participant.id, lesson_id="l1", round=1
    ).reflections == {"p1": "fine"}


def test_a_failing_task_does_not_sink_its_batch_neighbours(store: Store) -> None:
    seat = seated(store)
    bad = RatingIn.model_construct(
        lesson_id="l1", statement_id="s2", key_finding=KeyFinding.learning, value=0
    )
    outcomes: dict[int, object] = {}

    def save(index: int) -> None:
        try:
            store.save_answers(
                seat=seat,
                lesson_id="l1",
                round=1,
                ratings=[bad] if index == 5 else [rating(3, statement=f"s{index}")],
            )
            outcomes[index] = "ok"
        except WriteFailedError as error:
            outcomes[index] = error

    threads = [threading.Thread(target=save, args=(i,)) for i in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert isinstance(outcomes[5], WriteFailedError)
    assert sum(1 for value in outcomes.values() if value == "ok") == 11
    assert len(store.group_ratings(seat.group.id)) == 11


def test_a_file_locked_by_another_process_gets_a_plain_sentence(tmp_path: Path) -> None:
    path = tmp_path / "locked.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLockedError) as caught:
            Store(path)
        message = str(caught.value)
        assert "already open in another copy of the app" in message
        assert "Traceback" not in message
    finally:
        holder.kill()
        holder.wait()
    Store(path).close()  # usable again once the other process is gone


@pytest.mark.duckdb_only
def test_backup_is_a_consistent_copy_while_writes_go_on(store: Store, tmp_path: Path) -> None:
    seat = seated(store)
    stop = threading.Event()

    def keep_writing() -> None:
        i = 0
        while not stop.is_set():
            store.save_answers(
                seat=seat, lesson_id="l1", round=1, reflections=[reflection("x", prompt=f"p{i}")]
            )
            i += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    time.sleep(0.2)
    copy = store.backup(tmp_path / "backup" / "copy.duckdb")
    stop.set()
    writer.join()
    restored = Store(copy)
    assert restored.schema_version == store.schema_version
    restored_seat = restored.seat(seat.participant.id)
    assert restored_seat is not None and restored_seat.group.name == "Table 1"
    assert (
        0
        < len(restored.group_reflections(seat.group.id))
        <= len(store.group_reflections(seat.group.id))
    )
    # The restored file keeps working: new seats and answers get fresh ids.
    new_seat, _ = restored.join(workshop_id=seat.workshop.id, request=JoinRequest(group_name="New"))
    restored.save_answers(seat=new_seat, lesson_id="l1", round=1, reflections=[reflection("y")])
    assert new_seat.participant.id > seat.participant.id
    restored.close()
    with pytest.raises(Exception, match="already exists"):
        store.backup(copy)


def test_a_burst_of_forms_is_committed_in_few_batches_and_resaving_keeps_the_time(
    store: Store,
) -> None:
    seats = [seated(store, group=f"T{i}") for i in range(40)]
    barrier = threading.Barrier(len(seats))
    errors: list[BaseException] = []

    def save(seat: Seat) -> None:
        try:
            barrier.wait()
            store.save_answers(
                seat=seat,
                lesson_id="l1",
                round=1,
                reflections=[reflection(f"{seat.group.name} p{i}", prompt=f"p{i}") for i in (1, 2)],
                ratings=[rating(4, statement="s1"), rating(2, statement="s2")],
            )
        except BaseException as error:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(error)

    batches_before = store._writer.batches
    threads = [threading.Thread(target=save, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store._writer.batches - batches_before < len(seats)  # merged, not one commit each
    for seat in seats:
        texts = {r.text for r in store.group_reflections(seat.group.id)}
        assert texts == {f"{seat.group.name} p1", f"{seat.group.name} p2"}
        assert {(r.statement_id, r.value) for r in store.group_ratings(seat.group.id)} == {
            ("s1", 4),
            ("s2", 2),
        }

    seat = seats[0]
    first = {r.prompt_id: r.updated_at for r in store.group_reflections(seat.group.id)}
    time.sleep(0.01)
    store.save_answers(
        seat=seat,
        lesson_id="l1",
        round=1,
        reflections=[reflection("T0 p1", prompt="p1"), reflection("changed", prompt="p2")],
    )
    again = {r.prompt_id: r for r in store.group_reflections(seat.group.id)}
    assert again["p1"].updated_at == first["p1"]  # the same text: untouched
    assert again["p2"].text == "changed" and again["p2"].updated_at > first["p2"]
