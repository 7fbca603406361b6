"""The live room's rules (workbook.live): pacing, timers, sign-in slow-down, answer cards."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook import live
from workbook.live import (
    FOLLOW,
    PROMPT,
    RATING,
    SELF_PACED,
    AnswerCard,
    Focus,
    RoomSignal,
    Timer,
)

NOW = dt.datetime(2025, 3, 1, 10, 0, 0)


# --- pacing ---------------------------------------------------------------------------------


def test_following_participants_move_when_the_room_moves() -> None:
    assert live.step_to_show(pacing=FOLLOW, room_step=3, seen_room_step=None, own_step=0) == 3
    assert live.step_to_show(pacing=FOLLOW, room_step=4, seen_room_step=3, own_step=1) == 4


def test_between_moves_a_follower_may_look_back() -> None:
    assert live.step_to_show(pacing=FOLLOW, room_step=3, seen_room_step=3, own_step=1) == 1


def test_self_paced_participants_keep_their_own_step() -> None:
    assert live.step_to_show(pacing=SELF_PACED, room_step=5, seen_room_step=None, own_step=2) == 2


def test_only_a_room_move_pacing_change_or_opening_redraws_the_participant() -> None:
    base = RoomSignal(FOLLOW, 2, 0)
    assert not live.must_redraw(base, RoomSignal(FOLLOW, 2, 0))
    assert live.must_redraw(base, RoomSignal(FOLLOW, 3, 0))
    assert live.must_redraw(base, RoomSignal(SELF_PACED, 2, 0))
    assert live.must_redraw(base, RoomSignal(FOLLOW, 2, 1))
    # Self-paced: the facilitator's step does not move anybody.
    assert not live.must_redraw(RoomSignal(SELF_PACED, 2, 0), RoomSignal(SELF_PACED, 5, 0))
    assert live.must_redraw(base, None)


def test_focus_falls_back_to_the_lessons_first_item() -> None:
    prompts, statements = ["a", "b"], ["s1"]
    assert live.valid_focus(None, prompts, statements) == Focus(PROMPT, "a")
    assert live.valid_focus(Focus(RATING, "s1"), prompts, statements) == Focus(RATING, "s1")
    assert live.valid_focus(Focus(PROMPT, "gone"), prompts, statements) == Focus(PROMPT, "a")
    assert live.valid_focus(Focus(PROMPT, "a"), [], ["s1"]) == Focus(RATING, "s1")
    assert live.valid_focus(None, [], []) is None


# --- timer ----------------------------------------------------------------------------------


def test_a_timer_counts_down_and_stops_at_zero() -> None:
    timer = live.start_timer(10, NOW)
    assert timer.left(NOW) == 600
    assert timer.left(NOW + dt.timedelta(seconds=0.2)) == 600  # rounds up: never shows 9:59 early
    assert timer.left(NOW + dt.timedelta(seconds=61)) == 539
    assert timer.left(NOW + dt.timedelta(hours=1)) == 0
    assert Timer().left(NOW) is None and Timer().is_off


def test_pause_resume_and_add_time() -> None:
    timer = live.start_timer(5, NOW)
    paused = live.pause_timer(timer, NOW + dt.timedelta(seconds=100))
    assert paused.is_paused and paused.left(NOW + dt.timedelta(hours=2)) == 200
    resumed = live.resume_timer(paused, NOW + dt.timedelta(seconds=1000))
    assert resumed.left(NOW + dt.timedelta(seconds=1000)) == 200
    assert resumed.left(NOW + dt.timedelta(seconds=1050)) == 150
    longer = live.add_time(resumed, 60, NOW + dt.timedelta(seconds=1050))
    assert longer.left(NOW + dt.timedelta(seconds=1050)) == 210
    assert live.add_time(paused, 60, NOW).left(NOW) == 260
    # A finished timer given a minute starts a fresh minute.
    done = live.start_timer(1, NOW)
    later = NOW + dt.timedelta(minutes=5)
    assert live.add_time(done, 60, later).left(later) == 60
    assert live.add_time(Timer(), -60, NOW).is_off


def test_clock_reads_like_a_countdown() -> None:
    assert live.clock(0) == "0:00"
    assert live.clock(65) == "1:05"
    assert live.clock(600) == "10:00"
    assert live.clock(3723) == "1:02:03"
    assert live.clock(-5) == "0:00"


@given(st.floats(min_value=0, max_value=200), st.integers(min_value=0, max_value=20_000))
def test_a_timer_never_shows_negative_or_more_than_set(minutes: float, after: int) -> None:
    timer = live.start_timer(minutes, NOW)
    left = timer.left(NOW + dt.timedelta(seconds=after))
    assert left is not None and 0 <= left <= timer.seconds <= live.MAX_TIMER_SECONDS


# --- sign-in --------------------------------------------------------------------------------


def test_sign_in_slows_down_exponentially_after_three_free_tries_and_is_capped() -> None:
    delays = [live.sign_in_delay(n) for n in range(1, 12)]
    assert delays[:2] == [0, 0]
    assert delays[2:7] == [2, 4, 8, 16, 32]
    assert max(delays) == live.MAX_SIGN_IN_DELAY_SECONDS == delays[-1]
    assert live.sign_in_delay(10_000) == live.MAX_SIGN_IN_DELAY_SECONDS


# --- ratings and answers --------------------------------------------------------------------


def test_distribution_counts_each_rating_and_the_mean() -> None:
    result = live.distribution([(5, 2), (1, 1), (3, 1), (9, 4)])
    assert result.counts == (1, 0, 1, 0, 2)
    assert result.total == 4
    assert result.mean == pytest.approx(3.5)
    assert live.distribution([]).mean is None


def _card(i: int, *, hidden: bool = False) -> AnswerCard:
    return AnswerCard(i, 1, "Table", "", f"answer {i}", NOW, hidden=hidden)


def test_cards_never_include_hidden_ones_and_say_how_many_more() -> None:
    cards = [_card(i, hidden=i % 3 == 0) for i in range(1, 301)]
    shown, more = live.cards_to_show(cards, 12)
    assert len(shown) == 12 and not any(c.hidden for c in shown)
    assert more == 200 - 12
    assert live.cards_to_show([], 12) == ([], 0)
    assert live.cards_to_show([_card(1)], 12) == ([_card(1)], 0)


def test_clip_cuts_at_a_word_and_marks_it() -> None:
    assert live.clip("short  text\n", 50) == "short text"
    clipped = live.clip("word " * 100, 40)
    assert len(clipped) <= 40 and clipped.endswith("…") and "wor…" not in clipped


# --- joining --------------------------------------------------------------------------------


def test_join_url_and_whether_phones_can_reach_it() -> None:
    assert live.join_url("https://workbook.example.org/", "ABC234") == (
        "https://workbook.example.org/?w=ABC234"
    )
    assert live.join_url("", "ABC234") == ""
    assert not live.reachable_from_phones("http://localhost:8501/start?w=A")
    assert not live.reachable_from_phones("http://127.0.0.1:8501/start")
    assert live.reachable_from_phones("http://192.168.1.20:8501/start")


def test_groups_sort_the_way_people_count() -> None:
    names = ["Table 10", "table 2", "Kitchen", "Table 1"]
    assert sorted(names, key=live.natural_key) == ["Kitchen", "Table 1", "table 2", "Table 10"]
