"""A group's results: means per finding and round, change since the first look, what is open."""

from __future__ import annotations

import datetime as dt

from workbook import results
from workbook.charts.ratings import findings_chart
from workbook.lessons import LessonSet
from workbook.models import KeyFinding
from workbook.progress import ROOM_QUIET_BEFORE_FOLLOW_UP, follow_up_refusal
from workbook.records import Rating, Reflection


def rating(value: int, *, finding: KeyFinding, round_: int = 1, statement: str = "s") -> Rating:
    return Rating(1, 1, "lesson", statement, finding, round_, value)


def test_means_per_finding_and_round_in_report_order() -> None:
    ratings = [
        rating(2, finding=KeyFinding.trade_offs),
        rating(4, finding=KeyFinding.trade_offs, statement="t"),
        rating(5, finding=KeyFinding.learning),
        rating(1, finding=KeyFinding.learning, round_=2),
    ]
    scores = results.finding_scores(ratings)
    assert list(zip(scores["key_finding"], scores["round"], scores["mean"], strict=True)) == [
        ("learning", 1, 5.0),
        ("trade_offs", 1, 3.0),
        ("learning", 2, 1.0),
    ]
    assert list(scores["round_label"]) == ["First look", "First look", "Follow-up 1"]


def test_change_since_first_look_only_where_both_rounds_exist() -> None:
    scores = results.finding_scores(
        [
            rating(2, finding=KeyFinding.learning),
            rating(4, finding=KeyFinding.learning, round_=2),
            rating(4, finding=KeyFinding.learning, round_=3),
            rating(3, finding=KeyFinding.diverse_voices),
        ]
    )
    changes = results.finding_changes(scores)
    assert changes.to_dict("records") == [
        {
            "finding": "Learning from other movements",
            "first_look": 2.0,
            "latest": 4.0,
            "change": 2.0,
        }
    ]
    assert results.finding_changes(results.finding_scores([])).empty


def test_unanswered_lists_what_nobody_in_the_group_answered(lessons: LessonSet) -> None:
    first = lessons.lessons[0]
    reflections = [
        Reflection(1, 1, 1, "", first.id, p.id, 1, "x", dt.datetime(2026, 1, 1))
        for p in first.prompts
    ]
    ratings = [Rating(1, 1, first.id, s.id, first.key_finding, 1, 3) for s in first.ratings]
    missing = results.unanswered(lessons, reflections, ratings, round_=1)
    assert first.title not in [m.lesson_title for m in missing]
    assert len(missing) == len(lessons) - 1
    # A new round starts with everything open again.
    assert len(results.unanswered(lessons, reflections, ratings, round_=2)) == len(lessons)


def test_statement_table_names_lessons_and_statements(lessons: LessonSet) -> None:
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    table = results.statement_table(
        [
            Rating(1, 1, lesson.id, statement.id, lesson.key_finding, 1, 3),
            Rating(1, 2, lesson.id, statement.id, lesson.key_finding, 1, 4),
        ],
        lessons,
    )
    assert table.to_dict("records") == [
        {"Lesson": lesson.title, "Statement": statement.text, "First look": 3.5}
    ]


def test_statement_table_keeps_each_lessons_own_order(lessons: LessonSet) -> None:
    """The statements were listed by id (alphabetically), not as the lesson asks them."""
    first, second = lessons.lessons[0], lessons.lessons[1]
    rated = [
        Rating(1, 1, lesson.id, statement.id, lesson.key_finding, 1, 3)
        for lesson in (second, first)
        for statement in reversed(lesson.ratings)
    ]
    assert [s.id for s in first.ratings] != sorted(s.id for s in first.ratings)
    table = results.statement_table(rated, lessons)
    assert table["Statement"].tolist() == [s.text for s in (*first.ratings, *second.ratings)]
    # A statement the lesson no longer has comes after the lesson's own.
    gone = Rating(1, 1, first.id, "a-retired-statement", first.key_finding, 1, 2)
    table = results.statement_table([gone, *rated], lessons)
    assert table["Statement"].tolist()[len(first.ratings)] == "a-retired-statement"


def test_chart_bars_start_at_the_lowest_rating_not_at_zero() -> None:
    """A mean of 2.5 drawn from 0 looked like half of a 1-5 scale."""
    fig = findings_chart(
        results.finding_scores(
            [rating(2, finding=KeyFinding.learning), rating(3, finding=KeyFinding.learning)]
        )
    )
    [bars] = fig.data
    finding = KeyFinding.learning.label
    [(length, text)] = [
        (x, t) for y, x, t in zip(bars.y, bars.x, bars.text, strict=True) if y == finding
    ]
    assert bars.base == 1 and length == 1.5 and text == "2.5"  # from 1 to 2.5
    assert fig.layout.xaxis.range[0] >= 0.9 and list(fig.layout.xaxis.tickvals) == [1, 2, 3, 4, 5]
    names = [
        a for a in fig.layout.annotations if a.text == "not rated yet" or a.yanchor == "bottom"
    ]
    assert names and all(a.x == 1 for a in names)  # inside the axis, where the bars start


def test_chart_has_one_bar_trace_per_round_and_an_empty_state() -> None:
    empty = findings_chart(results.finding_scores([]))
    assert not empty.data
    assert "No ratings yet" in empty.layout.annotations[0].text
    two_rounds = findings_chart(
        results.finding_scores(
            [
                rating(2, finding=KeyFinding.learning),
                rating(4, finding=KeyFinding.learning, round_=2),
            ]
        )
    )
    assert [trace.name for trace in two_rounds.data] == ["First look", "Follow-up 1"]
    labels = [a.text for a in two_rounds.layout.annotations]
    assert "Learning from other movements" in labels
    # An unrated finding keeps its name on one line and says so where its bars would be: on
    # a 390 px phone "Trade-offs in relationships · not rated yet" ran off the edge.
    assert "Early actions" in labels
    assert labels.count("not rated yet") == len(KeyFinding) - 1


def test_a_group_starts_a_follow_up_round_only_once_the_room_is_quiet() -> None:
    now = dt.datetime(2026, 12, 4, 15, 0)
    running = follow_up_refusal(
        self_guided=False, room_changed_at=now - dt.timedelta(minutes=5), now=now
    )
    assert running is not None and "still running with a facilitator" in running
    quiet = now - ROOM_QUIET_BEFORE_FOLLOW_UP
    assert follow_up_refusal(self_guided=False, room_changed_at=quiet, now=now) is None
    # A room never touched, or a group on its own, has nothing to disturb.
    assert follow_up_refusal(self_guided=False, room_changed_at=None, now=now) is None
    assert follow_up_refusal(self_guided=True, room_changed_at=now, now=now) is None
