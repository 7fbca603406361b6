"""The live room's queries (workbook.store.live) on a real DuckDB file."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest

from workbook.live import (
    FOLLOW,
    FUNDER_DOOR,
    JOIN_SCREEN,
    PROMPT,
    RATING,
    SELF_PACED,
    STEP_SCREEN,
    Focus,
    ItemState,
    by_support,
    start_timer,
)
from workbook.models import JoinRequest, KeyFinding, RatingIn, ReflectionIn, WorkshopCreate
from workbook.records import Seat, Workshop
from workbook.store import (
    MIGRATIONS,
    NotFoundError,
    RoomMovedError,
    Store,
    SupportRefusedError,
)
from workbook.store.database import utc_now
from workbook.store.live import ROOM_SIGNAL_MAX_AGE
from workbook.store.moderation import ROOM_RESULTS_MAX_AGE

LESSON = "early-actions"


def make_workshop(store: Store, title: str = "Live day") -> Workshop:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title=title, cause="Housing"))
    return workshop


def seat(store: Store, workshop: Workshop, group: str, name: str = "") -> Seat:
    joined, _ = store.join(
        workshop_id=workshop.id, request=JoinRequest(group_name=group, display_name=name)
    )
    return joined


def answer(store: Store, who: Seat, prompt: str, text: str, *, lesson: str = LESSON) -> None:
    store.save_answers(
        seat=who,
        lesson_id=lesson,
        round=who.group.current_round,
        reflections=[ReflectionIn(lesson_id=lesson, prompt_id=prompt, text=text)],
    )


def rate(store: Store, who: Seat, statement: str, value: int) -> None:
    store.save_answers(
        seat=who,
        lesson_id=LESSON,
        round=who.group.current_round,
        ratings=[
            RatingIn(
                lesson_id=LESSON,
                statement_id=statement,
                key_finding=KeyFinding.early_actions,
                value=value,
            )
        ],
    )


def test_a_new_room_waits_on_the_join_screen_with_nothing_set(store: Store) -> None:
    workshop = make_workshop(store)
    room = store.room(workshop.id)
    assert room.screen == JOIN_SCREEN and room.focus is None and room.timer.is_off
    assert room.pacing == FOLLOW and room.current_step == 0
    with pytest.raises(NotFoundError):
        store.room(9999)
    assert store.room_signal(9999) is None


def test_moving_the_room_shows_the_step_and_clears_timer_and_focus(store: Store) -> None:
    workshop = make_workshop(store)
    store.set_focus(workshop_id=workshop.id, focus=Focus(RATING, "s1"))
    started = utc_now()
    store.set_timer(workshop_id=workshop.id, timer=start_timer(5, started))
    timer = store.room(workshop.id).timer
    assert timer.left(started) == 300
    assert timer.left(started + dt.timedelta(seconds=61)) == 239
    store.move_room(workshop_id=workshop.id, step=4)
    room = store.room(workshop.id)
    assert (room.current_step, room.screen, room.focus) == (4, STEP_SCREEN, None)
    assert room.timer.is_off
    assert store.room_signal(workshop.id).current_step == 4
    store.set_screen(workshop_id=workshop.id, screen=JOIN_SCREEN)
    assert store.room(workshop.id).screen == JOIN_SCREEN
    with pytest.raises(NotFoundError):
        store.move_room(workshop_id=9999, step=1)


def test_pacing_switches_between_follow_and_self(store: Store) -> None:
    workshop = make_workshop(store)
    store.set_pacing(workshop_id=workshop.id, pacing=SELF_PACED)
    assert store.room_signal(workshop.id).pacing == SELF_PACED
    with pytest.raises(ValueError):
        store.set_pacing(workshop_id=workshop.id, pacing="anything")


def test_items_are_open_and_hidden_until_changed_and_every_change_bumps_the_version(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1"
    ) == ItemState(open=True, revealed=False)
    version = store.room_signal(workshop.id).answers_version
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", revealed=True
    )
    # Reveal: phones redraw, they show the results (workbook/ui/room_results.py).
    assert store.room_signal(workshop.id).answers_version == version + 1
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", revealed=True
    )
    assert store.room_signal(workshop.id).answers_version == version + 1  # no change: none
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", open=False
    )
    assert store.room_signal(workshop.id).answers_version == version + 2
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1"
    ) == ItemState(open=False, revealed=True)
    # A rating statement with the same id is a different item.
    assert (
        store.item_state(workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="p1")
        == ItemState()
    )
    assert store.closed_items(workshop_id=workshop.id, lesson_id=LESSON) == {(PROMPT, "p1")}
    other = make_workshop(store, "Another")
    assert store.closed_items(workshop_id=other.id, lesson_id=LESSON) == set()


def test_kept_question_states_never_outlive_a_change_however_many_read_at_once(
    store: Store,
) -> None:
    """Closed questions are kept in memory between changes (every save checks them); readers
    racing a change may see the old state, but once the change is committed every read
    after it sees the new one."""
    workshop = make_workshop(store)
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            store.closed_items(workshop_id=workshop.id, lesson_id=LESSON)

    readers = [threading.Thread(target=read) for _ in range(6)]
    for reader in readers:
        reader.start()
    try:
        for i in range(30):
            closing = i % 2 == 0
            store.set_item_state(
                workshop_id=workshop.id,
                lesson_id=LESSON,
                kind=PROMPT,
                item_id="p1",
                open=not closing,
            )
            expected = {(PROMPT, "p1")} if closing else set()
            assert store.closed_items(workshop_id=workshop.id, lesson_id=LESSON) == expected
    finally:
        stop.set()
        for reader in readers:
            reader.join(10)


def test_answers_come_as_cards_newest_first_and_hidden_ones_can_be_restored(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Table 1", "Ana")
    ben = seat(store, workshop, "Table 2")
    answer(store, ana, "p1", "More <b>people</b>")
    answer(store, ben, "p1", "Unkind words")
    answer(store, ben, "p2", "Another prompt")
    cards = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert [c.text for c in cards] == ["Unkind words", "More <b>people</b>"]
    assert cards[1].author == "Ana" and cards[1].group_name == "Table 1"

    unkind = cards[0].id
    store.hide_answer(workshop_id=workshop.id, reflection_id=unkind)
    store.hide_answer(workshop_id=workshop.id, reflection_id=unkind)  # twice: no error
    shown = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert [c.text for c in shown] == ["More <b>people</b>"]
    every = store.answer_cards(
        workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1", include_hidden=True
    )
    assert [(c.text, c.hidden) for c in every] == [
        ("Unkind words", True),
        ("More <b>people</b>", False),
    ]
    # Hidden from the screen, still stored and still counted as given.
    assert [r.text for r in store.group_reflections(ben.group.id)] == [
        "Unkind words",
        "Another prompt",
    ]
    counts = store.answer_counts(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1"
    )
    assert [(c.group_name, c.count) for c in counts] == [("Table 1", 1), ("Table 2", 1)]
    # Editing a hidden answer keeps it hidden.
    answer(store, ben, "p1", "Still unkind")
    assert len(store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")) == 1

    store.restore_answer(workshop_id=workshop.id, reflection_id=unkind)
    restored = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert [c.text for c in restored] == ["Still unkind", "More <b>people</b>"]


def test_moderation_is_limited_to_the_facilitators_workshop(store: Store) -> None:
    mine, theirs = make_workshop(store), make_workshop(store, "Theirs")
    someone = seat(store, theirs, "Table 9")
    answer(store, someone, "p1", "Their answer")
    their_card = store.answer_cards(workshop_id=theirs.id, lesson_id=LESSON, prompt_id="p1")[0]
    with pytest.raises(NotFoundError):
        store.hide_answer(workshop_id=mine.id, reflection_id=their_card.id)
    store.hide_answer(workshop_id=theirs.id, reflection_id=their_card.id)
    store.restore_answer(workshop_id=mine.id, reflection_id=their_card.id)  # not theirs: no-op
    assert store.answer_cards(workshop_id=theirs.id, lesson_id=LESSON, prompt_id="p1") == []


def test_the_live_room_shows_each_groups_current_round(store: Store) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Table 1")
    answer(store, ana, "p1", "First look")
    rate(store, ana, "s1", 2)
    store.start_follow_up(group_id=ana.group.id)
    assert store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1") == []
    ana = store.seat(ana.participant.id)
    rate(store, ana, "s1", 4)
    assert store.rating_distribution(
        workshop_id=workshop.id, lesson_id=LESSON, statement_id="s1"
    ).counts == (0, 0, 0, 1, 0)


def test_rating_distributions_means_and_group_bars(store: Store) -> None:
    workshop = make_workshop(store)
    people = [seat(store, workshop, f"Table {1 + i % 3}") for i in range(7)]
    for person, value in zip(people, [1, 2, 3, 4, 5, 5, 5], strict=True):
        rate(store, person, "s1", value)
    rate(store, people[0], "s2", 3)
    result = store.rating_distribution(workshop_id=workshop.id, lesson_id=LESSON, statement_id="s1")
    assert result.counts == (1, 1, 1, 1, 3) and result.total == 7
    assert result.mean == pytest.approx(25 / 7)
    every = store.rating_distributions(workshop_id=workshop.id, lesson_id=LESSON)
    assert set(every) == {"s1", "s2"} and every["s2"].counts == (0, 0, 1, 0, 0)
    means = store.group_means(workshop_id=workshop.id, lesson_id=LESSON, statement_id="s1")
    # Table 1: people 0, 3, 6 -> 1, 4, 5; Table 2: 2, 5; Table 3: 3, 5.
    assert [(m.group_name, m.count) for m in means] == [
        ("Table 1", 3),
        ("Table 2", 2),
        ("Table 3", 2),
    ]
    assert [m.mean for m in means] == pytest.approx([10 / 3, 3.5, 4.0])
    late = seat(store, workshop, "Table 4")
    assert late.group.name == "Table 4"
    means = store.group_means(workshop_id=workshop.id, lesson_id=LESSON, statement_id="s1")
    assert means[-1].mean is None and means[-1].count == 0
    counts = store.answer_counts(
        workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1"
    )
    assert [c.count for c in counts] == [3, 2, 2, 0]


def test_who_has_joined_per_group_and_who_is_on_the_rooms_step(store: Store) -> None:
    workshop = make_workshop(store)
    assert store.room_groups(workshop.id) == [] and store.people_joined(workshop.id) == 0
    ana = seat(store, workshop, "Table 1", "Ana")
    seat(store, workshop, "table 1")
    seat(store, workshop, "Table 2", "Bo <i>")
    store.move_room(workshop_id=workshop.id, step=2)
    store.set_participant_step(participant_id=ana.participant.id, step=2)
    groups = store.room_groups(workshop.id)
    assert [(g.name, g.members, g.names, g.on_room_step) for g in groups] == [
        ("Table 1", 2, ("Ana",), 1),
        ("Table 2", 1, ("Bo <i>",), 0),
    ]
    assert store.people_joined(workshop.id) == 3


def test_wrong_keys_slow_down_per_workshop_and_a_success_clears_them(store: Store) -> None:
    workshop, other = make_workshop(store), make_workshop(store, "Other")
    now = utc_now()
    assert store.sign_in_wait(workshop_id=workshop.id, now=now) == 0
    delays = [store.record_sign_in_failure(workshop_id=workshop.id, now=now) for _ in range(5)]
    assert delays == [0, 0, 2, 4, 8]
    assert store.sign_in_wait(workshop_id=workshop.id, now=now) == 8
    assert store.sign_in_wait(workshop_id=workshop.id, now=now + dt.timedelta(seconds=5)) == 3
    assert store.sign_in_wait(workshop_id=workshop.id, now=now + dt.timedelta(seconds=9)) == 0
    assert store.sign_in_wait(workshop_id=other.id, now=now) == 0  # other workshops unaffected
    # Failures long ago are forgotten.
    later = now + dt.timedelta(hours=1)
    assert store.record_sign_in_failure(workshop_id=workshop.id, now=later) == 0
    for _ in range(20):
        store.record_sign_in_failure(workshop_id=workshop.id, now=later)
    assert store.sign_in_wait(workshop_id=workshop.id, now=later) == 60  # capped
    store.clear_sign_in_failures(workshop_id=workshop.id)
    assert store.sign_in_wait(workshop_id=workshop.id, now=later) == 0


def test_the_funder_door_waits_on_its_own_and_old_facilitator_waits_carry_over(
    tmp_path: Path,
) -> None:
    """One mechanism for both keys: the funder view is a door of its own, next to each
    workshop's; a database made before doors keeps each workshop's wait."""

    class BeforeDoors(Store):
        migrations = tuple(m for m in MIGRATIONS if m.version < 7)

    path = tmp_path / "old.duckdb"
    old = BeforeDoors(path)
    workshop = make_workshop(old)  # type: ignore[arg-type]
    later = utc_now() + dt.timedelta(seconds=30)
    old._write(
        lambda cur: cur.execute(
            "INSERT INTO facilitator_sign_ins VALUES (?, 4, ?, ?)",
            [workshop.id, utc_now(), later],
        )
    )
    old.close()
    store = Store(path)
    try:
        assert 25 <= store.sign_in_wait(workshop_id=workshop.id) <= 30
        now = utc_now()
        assert [store.record_wrong_key(FUNDER_DOOR, now=now) for _ in range(4)] == [0, 0, 2, 4]
        assert store.door_wait(FUNDER_DOOR, now=now) == 4
        store.clear_sign_in_failures(workshop_id=workshop.id)
        assert store.door_wait(FUNDER_DOOR, now=now) == 4  # each door on its own
        store.clear_wrong_keys(FUNDER_DOOR)
        assert store.door_wait(FUNDER_DOOR, now=now) == 0
    finally:
        store.close()


def test_projector_links_are_stored_hashed_expire_and_can_be_revoked(store: Store) -> None:
    workshop = make_workshop(store)
    token = store.new_projector_link(workshop_id=workshop.id)
    second = store.new_projector_link(workshop_id=workshop.id)
    assert token != second and len(token) >= 20
    assert store.projector_workshop(token) == workshop.id
    assert store.projector_workshop(second) == workshop.id
    assert store._one("SELECT count(*) FROM projector_links WHERE token_hash = ?", [token])[0] == 0
    assert store.projector_workshop("") is None and store.projector_workshop("x" * 500) is None
    assert store.projector_workshop(token, now=utc_now() + dt.timedelta(hours=25)) is None
    store.revoke_projector_links(workshop_id=workshop.id)
    assert store.projector_workshop(token) is None and store.projector_workshop(second) is None


def test_the_shared_room_signal_sees_the_facilitator_at_once_and_reads_rarely(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    assert store.shared_room_signal(workshop.id) == store.room_signal(workshop.id)
    store.move_room(workshop_id=workshop.id, step=3)
    assert store.shared_room_signal(workshop.id).current_step == 3  # the move is seen at once
    store.set_pacing(workshop_id=workshop.id, pacing=SELF_PACED)
    assert store.shared_room_signal(workshop.id).pacing == SELF_PACED
    # A change that does not go through the store's room methods is read again only once the
    # shared signal is ROOM_SIGNAL_MAX_AGE old: that is what keeps 200 polling phones at about
    # one read a second.
    # (The clock is passed in: a slow machine neither waits nor races.)
    start = time.monotonic()
    store.move_room(workshop_id=workshop.id, step=3)
    assert store.shared_room_signal(workshop.id, now=start).current_step == 3
    store._write(
        lambda cur: cur.execute("UPDATE workshops SET current_step = 5 WHERE id = ?", [workshop.id])
    )
    assert store.room_signal(workshop.id).current_step == 5
    almost = start + ROOM_SIGNAL_MAX_AGE - 0.01
    assert store.shared_room_signal(workshop.id, now=almost).current_step == 3
    later = start + ROOM_SIGNAL_MAX_AGE + 0.01
    assert store.shared_room_signal(workshop.id, now=later).current_step == 5
    assert store.shared_room_signal(9999) is None


def test_every_change_a_room_must_redraw_for_is_announced_once_committed(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    heard: list[tuple[int, int]] = []
    store.on_room_change(lambda wid: heard.append((wid, store.room_signal(wid).current_step)))

    def broken(_: int) -> None:
        raise RuntimeError("a listener that fails")

    store.on_room_change(broken)
    store.move_room(workshop_id=workshop.id, step=2)
    # Listeners hear after the commit (they read the new step), and one that fails neither
    # undoes the change nor stops the others.
    assert heard == [(workshop.id, 2)]
    store.set_pacing(workshop_id=workshop.id, pacing=SELF_PACED)
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", open=False
    )
    assert [wid for wid, _ in heard] == [workshop.id] * 3
    # Revealing results: phones show them (workbook/ui/room_results.py).
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", revealed=True
    )
    assert len(heard) == 4
    # What no phone redraws for (the projector's focus) wakes nobody; the timer, which the
    # phones show, wakes the timers' listeners only.
    timers: list[int] = []
    store.on_room_change(lambda wid: None, timers.append)
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, "p1"))
    assert len(heard) == 4 and timers == []
    store.set_timer(workshop_id=workshop.id, timer=start_timer(1, utc_now()))
    assert len(heard) == 4 and timers == [workshop.id]
    assert store.room_signal(workshop.id).current_step == 2


def test_exports_read_the_whole_workshop(store: Store) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Table 1", "Ana")
    bo = seat(store, workshop, "Table 2")
    answer(store, ana, "p1", '=HYPERLINK("x")')
    rate(store, ana, "s1", 4)
    rate(store, bo, "s1", 2)
    reflections = store.export_reflections(workshop.id)
    assert reflections[0]["text"] == '=HYPERLINK("x")' and reflections[0]["author"] == "Ana"
    assert reflections[0]["hidden_on_screen"] is False and reflections[0]["supporters"] == 0
    ratings = store.export_ratings(workshop.id)
    assert [(r["group_name"], r["participant"], r["value"]) for r in ratings] == [
        ("Table 1", 1, 4),
        ("Table 2", 2, 2),
    ]
    assert "author" not in ratings[0] and "display_name" not in ratings[0]
    assert store.export_stakeholders(workshop.id) == []
    assert store.export_ties(workshop.id) == []


def test_the_room_step_a_participant_followed_is_kept(store: Store) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Table 1")
    assert store.seen_room_step(ana.participant.id) is None
    store.mark_room_seen(participant_id=ana.participant.id, room_step=3)
    store.mark_room_seen(participant_id=ana.participant.id, room_step=4)
    assert store.seen_room_step(ana.participant.id) == 4
    store.forget_room_seen(participant_id=ana.participant.id)
    assert store.seen_room_step(ana.participant.id) is None


def test_a_phone_brought_along_records_its_step_and_the_room_step_seen(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    ana = seat(store, workshop, "Table 1")
    store.follow_room_step(participant_id=ana.participant.id, step=3, room_step=3)
    assert store.seen_room_step(ana.participant.id) == 3
    assert store.seat(ana.participant.id).participant.current_step == 3
    # Only what changed: the room moved to a step this phone was already on.
    store.follow_room_step(participant_id=ana.participant.id, step=None, room_step=5)
    assert store.seen_room_step(ana.participant.id) == 5
    assert store.seat(ana.participant.id).participant.current_step == 3
    store.follow_room_step(participant_id=ana.participant.id, step=4, room_step=None)
    assert store.seat(ana.participant.id).participant.current_step == 4
    assert store.seen_room_step(ana.participant.id) == 5
    store.follow_room_step(participant_id=ana.participant.id, step=None, room_step=None)
    assert store.seen_room_step(ana.participant.id) == 5


def test_a_change_from_a_console_showing_an_older_step_is_refused(store: Store) -> None:
    """Two consoles: one moved the room on; the other, still showing the old step, must not
    move the room backwards or change a step nobody is on."""
    workshop = make_workshop(store)
    store.move_room(workshop_id=workshop.id, step=4, at_step=0)
    for step in (5, 6, 7):  # tab A presses "Next step" three times
        store.move_room(workshop_id=workshop.id, step=step, at_step=step - 1)
    started = start_timer(5, utc_now())

    stale: list[tuple[str, object]] = [
        ("next", lambda: store.move_room(workshop_id=workshop.id, step=5, at_step=4)),
        ("back", lambda: store.move_room(workshop_id=workshop.id, step=3, at_step=4)),
        ("jump", lambda: store.move_room(workshop_id=workshop.id, step=0, at_step=4)),
        (
            "reveal",
            lambda: store.set_item_state(
                workshop_id=workshop.id,
                lesson_id=LESSON,
                kind=PROMPT,
                item_id="p1",
                revealed=True,
                at_step=4,
            ),
        ),
        (
            "close",
            lambda: store.set_item_state(
                workshop_id=workshop.id,
                lesson_id=LESSON,
                kind=PROMPT,
                item_id="p1",
                open=False,
                at_step=4,
            ),
        ),
        ("timer", lambda: store.set_timer(workshop_id=workshop.id, timer=started, at_step=4)),
        (
            "focus",
            lambda: store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, "p1"), at_step=4),
        ),
    ]
    before = store.room(workshop.id)
    for name, change in stale:
        with pytest.raises(RoomMovedError) as refused:
            change()  # type: ignore[operator]
        assert refused.value.current_step == 7, name
        assert str(refused.value) == (
            "The room had already moved to Step 8 (from another tab or device); "
            "nothing was changed."
        )
    assert store.room(workshop.id) == before  # step, timer, focus: all as tab A left them
    assert store.item_states(workshop_id=workshop.id, lesson_id=LESSON) == {}
    assert store.room_signal(workshop.id).answers_version == before.answers_version

    # The same changes from a console showing the room's real step apply.
    store.set_item_state(
        workshop_id=workshop.id,
        lesson_id=LESSON,
        kind=PROMPT,
        item_id="p1",
        revealed=True,
        at_step=7,
    )
    store.set_timer(workshop_id=workshop.id, timer=started, at_step=7)
    store.move_room(workshop_id=workshop.id, step=8, at_step=7)
    assert store.room(workshop.id).current_step == 8
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1"
    ).revealed
    with pytest.raises(NotFoundError):
        store.move_room(workshop_id=9999, step=1, at_step=0)


# --- results on phones, support for answers -------------------------------------------------


def reveal(store: Store, workshop: Workshop, prompt: str = "p1") -> None:
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id=prompt, revealed=True
    )


def test_an_item_shows_on_phones_after_reveal_unless_kept_off_and_that_redraws_phones(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    state = store.item_state(workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1")
    assert state.on_phones and not state.by_support and not state.on_phones_now
    store.set_item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1", revealed=True
    )
    assert store.item_state(
        workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1"
    ).on_phones_now
    version = store.room_signal(workshop.id).answers_version
    kept_off = store.set_item_view(
        workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1", on_phones=False
    )
    assert kept_off == ItemState(open=True, revealed=True, on_phones=False)
    assert not kept_off.on_phones_now
    assert store.room_signal(workshop.id).answers_version == version + 1
    # The order of answers is the projector's and console's business: phones do not redraw.
    ordered = store.set_item_view(
        workshop_id=workshop.id, lesson_id=LESSON, kind=RATING, item_id="s1", by_support=True
    )
    assert ordered.by_support and not ordered.on_phones and ordered.revealed
    assert store.room_signal(workshop.id).answers_version == version + 1
    # A view set before any open/reveal change still reads as open and hidden.
    alone = store.set_item_view(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p9", on_phones=False
    )
    assert alone == ItemState(open=True, revealed=False, on_phones=False)
    with pytest.raises(ValueError):
        store.set_item_view(workshop_id=workshop.id, lesson_id=LESSON, kind="x", item_id="p1")


def test_support_is_once_per_person_can_be_undone_and_orders_the_answers(store: Store) -> None:
    workshop = make_workshop(store)
    ana, ben, cy = (seat(store, workshop, group) for group in ("Red", "Blue", "Blue"))
    answer(store, ana, "p1", "Knock on every door")
    answer(store, ben, "p1", "Start a tenants' newsletter")
    reveal(store, workshop)
    cards = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    newest, older = cards
    assert (newest.text, newest.supports, newest.participant_id) == (
        "Start a tenants' newsletter",
        0,
        ben.participant.id,
    )
    door = older.id
    assert (
        store.support_answer(
            workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=door
        )
        == 1
    )
    # Twice from the same person: still one.
    assert (
        store.support_answer(
            workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=door
        )
        == 1
    )
    assert (
        store.support_answer(
            workshop_id=workshop.id, participant_id=cy.participant.id, reflection_id=door
        )
        == 2
    )
    assert store.supported_answers(
        participant_id=cy.participant.id, reflection_ids=[door, newest.id]
    ) == {door}
    assert store.supported_answers(participant_id=cy.participant.id, reflection_ids=[]) == set()
    cards = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")
    assert [c.supports for c in cards] == [0, 2]
    assert [c.text for c in by_support(cards)] == [
        "Knock on every door",
        "Start a tenants' newsletter",
    ]
    # Undo.
    assert (
        store.support_answer(
            workshop_id=workshop.id,
            participant_id=cy.participant.id,
            reflection_id=door,
            support=False,
        )
        == 1
    )
    assert store.supported_answers(participant_id=cy.participant.id, reflection_ids=[door]) == set()
    # The exports count who supports each answer.
    exported = {r["text"]: r["supporters"] for r in store.export_reflections(workshop.id)}
    assert exported == {"Knock on every door": 1, "Start a tenants' newsletter": 0}


def test_support_is_refused_for_own_hidden_unrevealed_kept_off_or_foreign_answers(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    other = make_workshop(store, "Elsewhere")
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    answer(store, ana, "p1", "Knock on every door")
    card = store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1")[0]

    def support(who: Seat, *, workshop_id: int = workshop.id) -> int:
        return store.support_answer(
            workshop_id=workshop_id, participant_id=who.participant.id, reflection_id=card.id
        )

    with pytest.raises(SupportRefusedError, match="not shown this question"):
        support(ben)  # not revealed yet
    reveal(store, workshop)
    with pytest.raises(SupportRefusedError, match="own answer"):
        support(ana)
    with pytest.raises(SupportRefusedError, match="no longer shown"):
        support(ben, workshop_id=other.id)
    store.set_item_view(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", on_phones=False
    )
    with pytest.raises(SupportRefusedError, match="not shown this question"):
        support(ben)
    store.set_item_view(
        workshop_id=workshop.id, lesson_id=LESSON, kind=PROMPT, item_id="p1", on_phones=True
    )
    assert support(ben) == 1
    store.hide_answer(workshop_id=workshop.id, reflection_id=card.id)
    with pytest.raises(SupportRefusedError, match="no longer shown"):
        support(ben)
    # Hidden answers never reach phones: the cards phones read leave them out.
    assert store.answer_cards(workshop_id=workshop.id, lesson_id=LESSON, prompt_id="p1") == []
    assert store.supported_answers(participant_id=ben.participant.id, reflection_ids=[card.id]) == {
        card.id
    }


def test_phones_share_one_read_of_results_until_it_ages_or_a_support_or_hiding_drops_it(
    store: Store,
) -> None:
    workshop = make_workshop(store)
    ana, ben = seat(store, workshop, "Red"), seat(store, workshop, "Blue")
    answer(store, ana, "p1", "First")
    reveal(store, workshop)
    first = store.shared_results(PROMPT, workshop.id, LESSON, "p1", now=100.0)
    assert [c.text for c in first] == ["First"]
    answer(store, ben, "p1", "Second")
    # Within the age: the same read, for every phone.
    assert store.shared_results(PROMPT, workshop.id, LESSON, "p1", now=101.0) == first
    later = store.shared_results(
        PROMPT, workshop.id, LESSON, "p1", now=100.0 + ROOM_RESULTS_MAX_AGE
    )
    assert [c.text for c in later] == ["Second", "First"]
    # A support is seen at once by the one who gave it (and everyone's next refresh).
    store.support_answer(
        workshop_id=workshop.id, participant_id=ben.participant.id, reflection_id=first[0].id
    )
    supported = store.shared_results(
        PROMPT, workshop.id, LESSON, "p1", now=100.0 + ROOM_RESULTS_MAX_AGE
    )
    assert [c.supports for c in supported] == [0, 1]
    store.hide_answer(workshop_id=workshop.id, reflection_id=first[0].id)
    shown = store.shared_results(
        PROMPT, workshop.id, LESSON, "p1", now=100.0 + ROOM_RESULTS_MAX_AGE
    )
    assert [c.text for c in shown] == ["Second"]
    rate(store, ana, "s1", 4)
    distribution, means = store.shared_results(RATING, workshop.id, LESSON, "s1", now=0.0)
    assert distribution.total == 1 and [m.group_name for m in means] == ["Blue", "Red"]
    with pytest.raises(ValueError):
        store.shared_results("x", workshop.id, LESSON, "s1")
