"""Workshops' plans in the store (workbook/store/plans.py), on a real DuckDB file: migration
12, a plan saved and read back (checked as it is read), copied from past workshops, and a
plan changed after answers exist losing none of them."""

from __future__ import annotations

from workbook import export, results, summary_html
from workbook.lessons import LessonSet
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.plans import Plan, PlanStep, apply_plan
from workbook.store import MIGRATIONS, Store


def plan(title: str = "Our evening", minutes: int = 15) -> Plan:
    return Plan(
        id="our-evening",
        title=title,
        session_minutes=60,
        steps=[
            PlanStep(lesson="early-actions", minutes=minutes),
            PlanStep(
                lesson="action-plan",
                minutes=20,
                own_prompts=[{"id": "own-first-step", "text": "Our first step?"}],
            ),
        ],
    )


def workshop(store: Store, title: str = "Evening") -> int:
    made, _ = store.create_workshop(workshop=WorkshopCreate(title=title, cause="Housing"))
    return made.id


def test_migration_12_makes_the_plans_table(store: Store) -> None:
    assert 12 in [m.version for m in MIGRATIONS]
    assert store.schema_version >= 12
    assert store._one("SELECT count(*) FROM workshop_plans") == (0,)


def test_a_plan_is_saved_read_back_and_replaced(store: Store) -> None:
    first = workshop(store)
    other = workshop(store, "Other")
    assert store.workshop_plan(first) is None  # no plan: every lesson runs
    store.set_workshop_plan(workshop_id=first, plan=plan())
    read = store.workshop_plan(first)
    assert read is not None and read.plan == plan() and read.problem == ""
    assert store.workshop_plan(other) is None
    store.set_workshop_plan(workshop_id=first, plan=plan(minutes=30))
    assert store.workshop_plan(first).plan.steps[0].minutes == 30
    store.clear_workshop_plan(workshop_id=first)
    assert store.workshop_plan(first) is None


def test_a_stored_plan_that_no_longer_reads_is_said_not_crashed(store: Store) -> None:
    first = workshop(store)
    store.set_workshop_plan(workshop_id=first, plan=plan())
    store._write(
        lambda cur: cur.execute(
            "UPDATE workshop_plans SET plan_json = ? WHERE workshop_id = ?",
            ['{"id": "x", "steps": []}', first],
        )
    )
    store._forget_plan(first)  # as a restart would
    read = store.workshop_plan(first)
    assert read is not None and read.plan is None
    assert "cannot be read" in read.problem


def test_past_plans_are_offered_once_each_newest_first(store: Store) -> None:
    a, b, c = workshop(store, "A"), workshop(store, "B"), workshop(store, "C")
    store.set_workshop_plan(workshop_id=a, plan=plan("Shared"))
    store.set_workshop_plan(workshop_id=b, plan=plan("Shared"))
    store.set_workshop_plan(workshop_id=c, plan=plan("Newest", minutes=25))
    past = store.past_plans()
    assert [p.plan.title for p in past] == ["Newest", "Shared"]
    # Copying one into a new workshop: the same plan, its own row.
    d = workshop(store, "D")
    store.set_workshop_plan(workshop_id=d, plan=past[1].plan)
    assert store.workshop_plan(d).plan == plan("Shared")


def test_changing_the_plan_after_answers_keeps_every_answer(
    store: Store, lessons: LessonSet
) -> None:
    first = workshop(store)
    store.set_workshop_plan(workshop_id=first, plan=plan())
    seat, _ = store.join(workshop_id=first, request=JoinRequest(group_name="Table 1"))
    answer = ReflectionIn(lesson_id="action-plan", prompt_id="own-first-step", text="Call Sam")
    store.save_answers(seat=seat, lesson_id="action-plan", round=1, reflections=[answer])
    # The step is taken out, then put back: its answer is there again.
    store.set_workshop_plan(
        workshop_id=first,
        plan=Plan(id="x", title="X", session_minutes=60, steps=[plan().steps[0]]),
    )
    applied = apply_plan(lessons, store.workshop_plan(first).plan)
    assert [lesson.id for lesson in applied.lessons] == ["early-actions"]
    store.set_workshop_plan(workshop_id=first, plan=plan())
    saved = store.saved_answers(
        participant_id=seat.participant.id, lesson_id="action-plan", round=1
    )
    assert saved.reflections == {"own-first-step": "Call Sam"}


def test_answers_to_a_lesson_the_plan_left_out_are_exported_with_their_words(
    store: Store, lessons: LessonSet
) -> None:
    first = workshop(store)
    seat, _ = store.join(workshop_id=first, request=JoinRequest(group_name="Table 1"))
    voices = lessons.by_id("diverse-voices")
    answer = ReflectionIn(lesson_id=voices.id, prompt_id=voices.prompts[0].id, text="Elders")
    store.save_answers(seat=seat, lesson_id=voices.id, round=1, reflections=[answer])
    store.set_workshop_plan(workshop_id=first, plan=plan())  # diverse voices is not in it
    applied = apply_plan(lessons, store.workshop_plan(first).plan)
    assert voices.id not in [lesson.id for lesson in applied.lessons]
    collected = export.collect(store, workshop_id=first, lessons=applied)
    [row] = collected.reflections.rows
    assert voices.title in row and voices.prompts[0].text in row and "Elders" in row
    page = summary_html.html_summary(collected)
    assert f"Not in the plan now: {voices.title}" in page and "missing or broken" not in page
    assert results.missing_lessons(applied, [(voices.id, voices.prompts[0].id)]) == []


def test_a_changed_plan_wakes_the_room_so_phones_redraw(store: Store) -> None:
    first = workshop(store)
    woken: list[int] = []
    store.on_room_change(woken.append)
    store.move_room(workshop_id=first, step=0)
    before = store.room_signal(first).answers_version
    woken.clear()
    store.set_workshop_plan(workshop_id=first, plan=plan())
    assert woken == [first]
    assert store.room_signal(first).answers_version == before + 1
    store.clear_workshop_plan(workshop_id=first)
    assert woken == [first, first]
    assert store.room_signal(first).answers_version == before + 2


def test_own_items_of_an_earlier_plan_keep_their_words_after_the_plan_changes(
    store: Store, lessons: LessonSet
) -> None:
    """The room answers an own prompt and rates an own statement, then the console switches
    to a plan without them (the lesson stays in it): exports, the summary and the results
    still show their words, not their ids."""
    from workbook.models import KeyFinding, RatingIn
    from workbook.ui.workshop_lessons import workshop_lessons

    first = workshop(store)
    own_statement = {
        "id": "own-we-share",
        "text": "We share the work fairly",
        "low": "Not at all",
        "high": "Fully",
    }
    own_plan = Plan(
        id="own",
        title="Own",
        session_minutes=60,
        steps=[
            PlanStep(
                lesson="action-plan",
                minutes=20,
                own_prompts=[{"id": "own-first-step", "text": "Our first step?"}],
                own_ratings=[own_statement],
            )
        ],
    )
    store.set_workshop_plan(workshop_id=first, plan=own_plan)
    seat, _ = store.join(workshop_id=first, request=JoinRequest(group_name="Table 1"))
    store.save_answers(
        seat=seat,
        lesson_id="action-plan",
        round=1,
        reflections=[
            ReflectionIn(lesson_id="action-plan", prompt_id="own-first-step", text="Call Sam")
        ],
        ratings=[
            RatingIn(
                lesson_id="action-plan",
                statement_id="own-we-share",
                key_finding=KeyFinding(lessons.by_id("action-plan").key_finding),
                value=4,
            )
        ],
    )
    store.set_workshop_plan(
        workshop_id=first,
        plan=Plan(
            id="later",
            title="Later",
            session_minutes=60,
            steps=[PlanStep(lesson="action-plan", minutes=20)],
        ),
    )
    now = workshop_lessons(store, first, lessons)
    assert "own-we-share" not in [s.id for s in now.by_id("action-plan").ratings]
    collected = export.collect(store, workshop_id=first, lessons=now)
    [reflection] = collected.reflections.rows
    assert "Our first step?" in reflection and "own-first-step" not in reflection
    [rating] = collected.ratings.rows
    assert "We share the work fairly" in rating and "own-we-share" not in rating
    page = summary_html.html_summary(collected)
    assert "Our first step?" in page and "own-first-step" not in page
    assert "We share the work fairly" in page
    # Cleared plan: still the words.
    store.clear_workshop_plan(workshop_id=first)
    cleared = export.collect(
        store, workshop_id=first, lessons=workshop_lessons(store, first, lessons)
    )
    assert "We share the work fairly" in cleared.ratings.rows[0]


def test_exports_name_the_plan_and_follow_its_step_order(store: Store, lessons: LessonSet) -> None:
    """Exports carry the plan's title and each row's step number, rows in the plan's order
    (then the lesson's order of statements), and the About sheet's counts as numbers."""
    import io
    import zipfile

    import openpyxl

    from workbook.models import KeyFinding, RatingIn

    first = workshop(store)
    ordered = Plan(
        id="two",
        title="Forår i foreningen",
        session_minutes=60,
        steps=[
            PlanStep(lesson="action-plan", minutes=20),
            PlanStep(lesson="early-actions", minutes=20),
        ],
    )
    store.set_workshop_plan(workshop_id=first, plan=ordered)
    applied = apply_plan(lessons, ordered)
    early, action = applied.lessons[1], applied.lessons[0]
    seat, _ = store.join(workshop_id=first, request=JoinRequest(group_name="Table 1"))
    for lesson in (early, action):
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            ratings=[
                RatingIn(
                    lesson_id=lesson.id,
                    statement_id=s.id,
                    key_finding=KeyFinding(s.key_finding or lesson.key_finding),
                    value=3,
                )
                for s in reversed(lesson.ratings)
            ],
        )
    collected = export.collect(store, workshop_id=first, lessons=applied, plan_title=ordered.title)
    col = {name: i for i, name in enumerate(collected.ratings.columns)}
    shown = [(r[col["Step"]], r[col["Statement"]]) for r in collected.ratings.rows]
    assert shown == [
        *((1, s.text) for s in action.ratings),
        *((2, s.text) for s in early.ratings),
    ]
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx(collected)))
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert about["Plan"] == "Forår i foreningen"
    assert about["Groups"] == 1 and about["People who joined"] == 1
    assert "Forår i foreningen" in summary_html.html_summary(collected)
    with zipfile.ZipFile(io.BytesIO(export.csv_zip(collected))) as archive:
        about_csv = next(n for n in archive.namelist() if n.endswith("about.csv"))
        assert "Plan,Forår i foreningen" in archive.read(about_csv).decode("utf-8-sig")
