"""A workshop on a custom plan, end to end in AppTest: built on the create form (a ready plan
cut to 3 lessons, reordered, with an own prompt), then the console, a phone, the projector,
the exports and a follow-up round all follow that plan."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from tests.conftest import jump_box
from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet
from workbook.live import PROMPT, Focus
from workbook.models import JoinRequest, KeyFinding, ReflectionIn, WorkshopCreate
from workbook.plans import Plan, PlanStep
from workbook.ui.author_text import literal
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
OWN = "What would our neighbours say we do best?"
ANSWER = "Throw street parties that end in a petition"


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def rev(at: AppTest) -> int:
    return at.session_state["plan_start_rev"]


def build_plan(at: AppTest) -> None:
    """On the create form: the 90-minute introduction, cut to 3 steps, reordered, minutes
    changed, an own prompt added (an empty one refused first)."""
    picker = at.selectbox(key="plan_start_start_from")
    picker.select_index(1).run()  # the first ready plan: the 90-minute introduction
    assert any("Total 80 of 90 minutes" in m.value for m in at.markdown)
    at.button(key="plan_start_edit").click().run()
    at.button(key="plan_start_remove_diverse-voices").click().run()
    at.button(key="plan_start_remove_right-people").click().run()
    at.button(key="plan_start_up_action-plan").click().run()  # action plan before early actions
    assert not at.exception, at.exception
    # An empty own prompt is refused with the reason; the plan is unchanged.
    at.button(key=f"plan_start_add_p_early-actions_{rev(at)}").click().run()
    assert any("The prompt is needed" in e.value for e in at.error)
    at.text_area(key=f"plan_start_own_p_early-actions_{rev(at)}").input(OWN)
    at.button(key=f"plan_start_add_p_early-actions_{rev(at)}").click().run()
    assert not at.error
    assert OWN in [t.value for t in at.text]  # shown as text
    # Minutes: the session shortened to 40 says the plan runs over, plainly, and is kept.
    at.number_input(key=f"plan_start_session_{rev(at)}").set_value(40)
    at.button(key=f"plan_start_save_details_{rev(at)}").click().run()
    assert any("Total 50 of 40 minutes: 10 minutes over" in w.value for w in at.warning)


def test_a_custom_plan_runs_end_to_end(app_db: Path, lessons: LessonSet) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    build_plan(at)
    next(t for t in at.text_input if t.label == "Workshop title").input("Evening on a plan")
    next(t for t in at.text_input if t.label == "Cause or movement").input("Housing")
    button(at, "Create workshop").click().run()
    assert not at.exception, at.exception
    store = _open_store(str(app_db))
    workshop = store.find_workshop(at.session_state["start_created"]["code"])
    plan = store.workshop_plan(workshop.id).plan
    order = ["learning-from-movements", "action-plan", "early-actions"]
    assert [step.lesson for step in plan.steps] == order
    own_id = plan.steps[2].own_prompts[0].id
    assert own_id.startswith("own-")

    # The console: 3 steps, in the plan's order.
    at.button(key="start_open_console").click().run()
    assert not at.exception, at.exception
    target = at.selectbox(key="facilitator_target")
    assert len(target.options) == 3
    assert target.options[2].endswith(lessons.by_id("early-actions").title)
    assert any("Room is on Step 1 of 3" in m.value for m in at.markdown)
    assert any("Total 50 of 40 minutes" in c.value for c in at.caption)  # the plan panel

    # A phone: the same 3 steps, in that order; on the room's third step, the own prompt.
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    phone = AppTest.from_file(APP, default_timeout=30)
    phone.query_params.update({"w": workshop.join_code, "t": token})
    phone.run()
    assert phone.title[0].value == lessons.by_id("learning-from-movements").title
    assert len(jump_box(phone).options) == 3
    at.selectbox(key="facilitator_target").set_value(2)
    at.button(key="facilitator_move").click().run()
    phone.run()
    assert phone.title[0].value == lessons.by_id("early-actions").title
    boxes = [box for box in phone.text_area if box.label == OWN]
    assert boxes, [box.label for box in phone.text_area]
    boxes[0].input(ANSWER)
    next(b for b in phone.button if b.label == "Save answers").click().run()
    assert not phone.exception, phone.exception
    saved = store.saved_answers(
        participant_id=seat.participant.id, lesson_id="early-actions", round=1
    )
    assert saved.reflections == {own_id: ANSWER}

    # The projector, on that step with the own prompt in focus, shows it.
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, own_id), at_step=2)
    projector = AppTest.from_file(APP, default_timeout=30).run()
    projector.query_params["p"] = store.new_projector_link(workshop_id=workshop.id)
    projector.switch_page("pages/projector.py").run()
    assert not projector.exception, projector.exception
    assert OWN in "\n".join(str(h.proto.body) for h in projector.get("html"))

    # The exports (CSV, Excel, HTML summary) hold the own prompt and its answer.
    at.button(key="facilitator_export_prepare").click().run()
    files = at.session_state["facilitator_exports_prepared"].files
    with zipfile.ZipFile(io.BytesIO(files["csv"])) as archive:
        csv_text = "\n".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert OWN in csv_text and ANSWER in csv_text
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    cells = {str(c) for sheet in book.worksheets for row in sheet.values for c in row}
    assert OWN in cells and ANSWER in cells
    assert OWN in files["html"] and ANSWER in files["html"]

    # A follow-up round on the plan, weeks later (the room quiet for over 12 hours): the
    # group starts it and answers the own prompt again.
    store._write(
        lambda cur: cur.execute(
            "UPDATE live_rooms SET updated_at = updated_at - INTERVAL 13 HOUR"
            " WHERE workshop_id = ?",
            [workshop.id],
        )
    )
    phone.switch_page("pages/results.py").run()
    phone.checkbox(key="results_confirm_round").check().run()
    phone.button(key="results_new_round").click().run()
    assert store.seat(seat.participant.id).group.current_round == 2
    phone.switch_page("pages/workbook.py").run()
    assert not phone.exception, phone.exception
    assert len(jump_box(phone).options) == 3
    if phone.title[0].value != lessons.by_id("early-actions").title:
        jump_box(phone).set_value(2).run()
    assert phone.title[0].value == lessons.by_id("early-actions").title
    again = [box for box in phone.text_area if box.label == OWN]
    again[0].input("Two petitions now")
    next(b for b in phone.button if b.label == "Save answers").click().run()
    second = store.saved_answers(
        participant_id=seat.participant.id, lesson_id="early-actions", round=2
    )
    assert second.reflections == {own_id: "Two petitions now"}


def test_the_console_says_which_part_of_its_plan_the_lessons_lack(app_db: Path) -> None:
    store = _open_store(str(app_db))
    workshop, key = store.create_workshop(
        workshop=WorkshopCreate(title="Old plan", cause="Housing")
    )
    store.set_workshop_plan(
        workshop_id=workshop.id,
        plan=Plan(
            id="old",
            title="An old plan",
            session_minutes=60,
            steps=[
                PlanStep(lesson="retired-lesson", minutes=10),
                PlanStep(lesson="early-actions", minutes=10, prompts=["the-ask", "gone"]),
            ],
        ),
    )
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/facilitator.py").run()
    at.text_input(key="facilitator_code").input(workshop.join_code)
    at.text_input(key="facilitator_key").input(key)
    button(at, "Sign in").click().run()
    assert not at.exception, at.exception
    assert len(at.selectbox(key="facilitator_target").options) == 1  # the one step left
    said = [t.value for t in at.text]
    assert any("retired-lesson" in s and "step left out" in s for s in said), said
    assert any("'gone' is no longer in the lesson 'early-actions'" in s for s in said), said


def test_the_console_switches_a_running_workshop_to_the_follow_up_plan(app_db: Path) -> None:
    store = _open_store(str(app_db))
    workshop, key = store.create_workshop(
        workshop=WorkshopCreate(title="Spring day", cause="Housing")
    )
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    answer = ReflectionIn(lesson_id="keeping-momentum", prompt_id="why-stay", text="Friends")
    store.save_answers(seat=seat, lesson_id="keeping-momentum", round=1, reflections=[answer])
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/facilitator.py").run()
    at.text_input(key="facilitator_code").input(workshop.join_code)
    at.text_input(key="facilitator_key").input(key)
    button(at, "Sign in").click().run()
    assert len(at.selectbox(key="facilitator_target").options) == 9  # no plan: every lesson
    at.toggle(key=f"plan_panel_open_{workshop.id}").set_value(True).run()
    picker = at.selectbox(key=f"plan_console{workshop.id}_start_from")
    follow_up = next(i for i, o in enumerate(picker.options) if o.startswith("A follow-up"))
    picker.select_index(follow_up).run()
    at.button(key="plan_panel_use").click().run()
    assert not at.exception, at.exception
    assert store.workshop_plan(workshop.id).plan.id == "follow-up"
    assert len(at.selectbox(key="facilitator_target").options) == 5
    # Changed on the console: the workshop's own plan is offered first, as it is.
    picker = at.selectbox(key=f"plan_console{workshop.id}_start_from")
    assert picker.value == "This workshop's plan, as it is now"
    at.button(key=f"plan_console{workshop.id}_edit").click().run()
    at.button(key=f"plan_console{workshop.id}_remove_right-people").click().run()
    at.button(key="plan_panel_use").click().run()
    assert not at.exception, at.exception
    changed = store.workshop_plan(workshop.id).plan
    assert changed.id == "follow-up" and len(changed.steps) == 4
    assert len(at.selectbox(key="facilitator_target").options) == 4
    # The answer given before the switch is still there.
    saved = store.saved_answers(
        participant_id=seat.participant.id, lesson_id="keeping-momentum", round=1
    )
    assert saved.reflections == {"why-stay": "Friends"}


def test_a_new_workshop_copies_a_past_workshops_plan(app_db: Path) -> None:
    store = _open_store(str(app_db))
    past, _ = store.create_workshop(workshop=WorkshopCreate(title="Last spring", cause="Housing"))
    plan = Plan(
        id="our-evening",
        title="Our evening",
        session_minutes=45,
        steps=[PlanStep(lesson="keeping-momentum", minutes=20)],
    )
    store.set_workshop_plan(workshop_id=past.id, plan=plan)
    at = AppTest.from_file(APP, default_timeout=30).run()
    picker = at.selectbox(key="plan_start_start_from")
    picker.set_value("A past workshop's plan").run()
    past_box = at.selectbox(key="plan_start_past")
    assert past_box.options[0].startswith("Our evening (last changed ")
    assert all("Last spring" not in o for o in past_box.options)  # never the workshop's title
    next(t for t in at.text_input if t.label == "Workshop title").input("This autumn")
    next(t for t in at.text_input if t.label == "Cause or movement").input("Housing")
    button(at, "Create workshop").click().run()
    assert not at.exception, at.exception
    made = store.find_workshop(at.session_state["start_created"]["code"])
    assert made.id != past.id and store.workshop_plan(made.id).plan == plan


def test_switching_the_plan_keeps_the_room_on_its_lesson(app_db: Path) -> None:
    """Every lesson, the room on early actions (step 3 of 9) with a following phone, another
    phone on its own on diverse voices: after the switch to the follow-up plan the room is on
    early actions there (step 2 of 5), the following phone is told it moved, and the other
    phone is on the nearest following lesson the new plan keeps (networks, step 3)."""
    from workbook.plans import step_moves

    store = _open_store(str(app_db))
    workshop, key = store.create_workshop(
        workshop=WorkshopCreate(title="Spring day", cause="Housing")
    )
    follower, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="One"))
    own_pace, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Two"))
    store.move_room(workshop_id=workshop.id, step=2)
    store.mark_room_seen(participant_id=follower.participant.id, room_step=2)
    store.set_participant_step(participant_id=follower.participant.id, step=2)
    store.set_participant_step(participant_id=own_pace.participant.id, step=3)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/facilitator.py").run()
    at.text_input(key="facilitator_code").input(workshop.join_code)
    at.text_input(key="facilitator_key").input(key)
    button(at, "Sign in").click().run()
    at.toggle(key=f"plan_panel_open_{workshop.id}").set_value(True).run()
    picker = at.selectbox(key=f"plan_console{workshop.id}_start_from")
    follow_up = next(i for i, o in enumerate(picker.options) if o.startswith("A follow-up"))
    picker.select_index(follow_up).run()
    at.button(key="plan_panel_use").click().run()
    assert not at.exception, at.exception
    assert store.room(workshop.id).current_step == 1  # early actions in the follow-up plan
    assert store.seen_room_step(follower.participant.id) == -1  # told it moved
    steps = dict(
        store._all(
            "SELECT participant_id, step FROM participant_steps WHERE participant_id IN (?, ?)",
            [follower.participant.id, own_pace.participant.id],
        )
    )
    assert steps == {follower.participant.id: 1, own_pace.participant.id: 2}
    target = at.selectbox(key="facilitator_target")
    assert target.value == 1 and "Early actions" in target.options[1]
    # Nothing kept after the last one: the first step.
    assert step_moves(["a", "b", "c"], ["c", "a"]) == {0: 1, 1: 0, 2: 0}
    assert step_moves(["a", "b", "c"], ["x"]) == {0: 0, 1: 0, 2: 0}


def test_the_phones_jump_box_follows_a_plan_switch(app_db: Path) -> None:
    """A self-paced phone on early actions (step 3 of every lesson); the plan changes to one
    where early actions is step 3 again but the other steps differ: the jump box shows the
    new plan's steps, on early actions."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Jumps", cause="Housing"))
    store.set_pacing(workshop_id=workshop.id, pacing="self")
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="One"))
    store.set_participant_step(participant_id=seat.participant.id, step=2)
    phone = AppTest.from_file(APP, default_timeout=30)
    phone.query_params.update({"w": workshop.join_code, "t": token})
    phone.run()
    assert not phone.exception, phone.exception
    box = jump_box(phone)
    assert len(box.options) == 9 and box.value == 2
    before = box.key
    plan = Plan(
        id="three",
        title="Three",
        session_minutes=60,
        steps=[
            PlanStep(lesson="diverse-voices", minutes=10),
            PlanStep(lesson="right-people", minutes=10),
            PlanStep(lesson="early-actions", minutes=10),
            PlanStep(lesson="action-plan", minutes=10),
        ],
    )
    store.set_workshop_plan(workshop_id=workshop.id, plan=plan, moves={2: 2})
    phone.run()
    assert not phone.exception, phone.exception
    box = jump_box(phone)
    assert len(box.options) == 4
    assert box.value == 2 and box.options[2].startswith("3. Early actions")
    assert box.options[0].startswith("1. Diverse voices")
    # A new widget for the new plan: a browser never keeps the old plan's choice shown.
    assert box.key != before


def _rate(store, seat, lesson_id: str, finding, round_: int, values: dict[str, int]) -> None:
    from workbook.models import RatingIn

    store.save_answers(
        seat=seat,
        lesson_id=lesson_id,
        round=round_,
        ratings=[
            RatingIn(lesson_id=lesson_id, statement_id=s, key_finding=finding, value=v)
            for s, v in values.items()
        ],
    )


def test_the_results_page_counts_own_statements_apart_and_lists_the_plans_findings(
    app_db: Path, lessons: LessonSet
) -> None:
    """A plan of early actions with an own statement: the own statement's ratings are in no
    finding's average nor its change (shown in a section of their own), and the chart lists
    only early actions' finding, not every finding as "not rated yet"."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Own", cause="Housing"))
    early = lessons.by_id("early-actions")
    own = {"id": "own-we-share", "text": "We share the work", "low": "No", "high": "Yes"}
    plan = Plan(
        id="p",
        title="P",
        session_minutes=60,
        steps=[PlanStep(lesson="early-actions", minutes=20, own_ratings=[own])],
    )
    store.set_workshop_plan(workshop_id=workshop.id, plan=plan)
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="One"))
    first = early.ratings[0].id
    finding = early.ratings[0].key_finding or early.key_finding
    _rate(store, seat, early.id, finding, 1, {first: 2, "own-we-share": 5})
    store.start_follow_up(group_id=seat.group.id)
    _rate(store, seat, early.id, finding, 2, {first: 4, "own-we-share": 1})
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    lines = [m.value for m in at.markdown]
    change = [line for line in lines if "first look" in line]
    assert change == [f"**{finding.label}**: first look 2.0, latest 4.0 (+2.0)"]
    assert "Your facilitator's own statements" in [s.value for s in at.subheader]
    assert "We share the work" in [t.value for t in at.text]
    [chart] = at.get("plotly_chart")
    import json

    figure = json.loads(chart.proto.spec)
    names = [a["text"] for a in figure["layout"]["annotations"]]
    assert finding.label in names
    assert KeyFinding.trade_offs.label not in names


def test_a_follow_up_round_is_not_offered_again_until_this_one_is_done(
    app_db: Path, lessons: LessonSet
) -> None:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Later", cause="Housing"))
    plan = Plan(
        id="one",
        title="One",
        session_minutes=30,
        steps=[PlanStep(lesson="early-actions", minutes=20)],
    )
    store.set_workshop_plan(workshop_id=workshop.id, plan=plan)
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="One"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    at.switch_page("pages/results.py").run()
    assert [b for b in at.button if b.label == "Start a follow-up round"]
    store.start_follow_up(group_id=seat.group.id)
    at.run()
    assert not at.exception, at.exception
    assert not [b for b in at.button if b.label == "Start a follow-up round"]
    early = lessons.by_id("early-actions")
    assert any(
        f"follow-up round 1 now, with {len(early.ratings)} rating statements" in i.value
        for i in at.info
    )
    finding = early.key_finding
    _rate(store, seat, early.id, finding, 2, {s.id: 3 for s in early.ratings})
    at.run()
    assert [b for b in at.button if b.label == "Start a follow-up round"]


def test_the_projector_says_which_round_its_counts_are_of() -> None:
    import gettext

    from workbook.ui import projector

    t = gettext.NullTranslations()
    assert projector._rounds_note(t, frozenset({1})) == "(first look)"
    assert projector._rounds_note(t, frozenset({2})) == "(follow-up 1)"
    assert (
        projector._rounds_note(t, frozenset({1, 2}))
        == "(each group's current round: first look, follow-up 1)"
    )


def phone_on_own_step(
    app_db: Path, *, prompt: str, rating: dict[str, str] | None = None, self_guided: bool = False
) -> AppTest:
    """A phone seated in a workshop whose one step has an own prompt (id own-main) and, if
    given, an own rating statement; drawn once."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Own", cause="Housing", self_guided=self_guided)
    )
    step = PlanStep(
        lesson="early-actions",
        minutes=20,
        own_prompts=[{"id": "own-main", "text": prompt}],
        own_ratings=[rating] if rating else [],
    )
    plan = Plan(id="p", title="P", session_minutes=30, steps=[step])
    store.set_workshop_plan(workshop_id=workshop.id, plan=plan)
    _seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="One"))
    phone = AppTest.from_file(APP, default_timeout=30)
    phone.query_params.update({"w": workshop.join_code, "t": token})
    phone.run()
    assert not phone.exception, phone.exception
    return phone


def test_an_own_question_with_markdown_characters_is_labelled_as_written(app_db: Path) -> None:
    """Its box's label (also its accessible name) is the text as written, not backslash-
    escaped Markdown; the label shown above it is the same text as escaped HTML."""
    text = "Our *main* aim <b>now</b>"
    statement = "We _share_ the work"
    phone = phone_on_own_step(
        app_db,
        prompt=text,
        rating={"id": "own-share", "text": statement, "low": "No", "high": "Yes"},
    )
    assert not phone.exception, phone.exception
    [box] = [box for box in phone.text_area if box.key.endswith("_prompt_own-main")]
    assert box.label == text and box.proto.label_visibility.value == 2  # collapsed
    [rating] = [g for g in phone.get("button_group") if g.key.endswith("_rating_own-share")]
    assert rating.proto.label == statement
    shown = [
        h.proto.body for h in phone.get("html") if h.proto.body.startswith('<p class="wb-widget')
    ]
    assert shown == [
        '<p class="wb-widget-label" aria-hidden="true">Our *main* aim &lt;b&gt;now&lt;/b&gt;</p>',
        '<p class="wb-widget-label" aria-hidden="true">We _share_ the work</p>',
    ]
    # A lesson's own question without Markdown's characters keeps its label as it was.
    assert any(b.proto.label_visibility.value == 0 for b in phone.text_area)


def test_our_results_shows_an_own_question_as_written_not_as_markdown(app_db: Path) -> None:
    """The question heads its answers on "Our results" as text: an image in it is not
    fetched, a link is not made, emphasis stays as the characters typed."""
    text = "Our *main* aim ![x](http://example.com/x.png) [click](http://example.com)"
    phone = phone_on_own_step(app_db, prompt=text, self_guided=True)
    [box] = [box for box in phone.text_area if box.key.endswith("_prompt_own-main")]
    box.input("Our answer")
    next(b for b in phone.button if b.label == "Save answers").click()
    phone.run()
    phone.switch_page("pages/results.py").run()
    assert not phone.exception, phone.exception
    [heading] = [m.value for m in phone.markdown if "main" in m.value]
    assert heading == f"**{literal(text)}**"
    assert "![x](" not in heading and "[click](" not in heading


def test_the_plan_editor_changes_the_plans_description_and_refuses_a_long_one(
    app_db: Path,
) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.selectbox(key="plan_start_start_from").select_index(1).run()
    at.button(key="plan_start_edit").click().run()
    box = at.text_area(key=f"plan_start_description_{rev(at)}")
    assert box.value.startswith("A first session")  # the ready plan's own description
    assert "line breaks become spaces" in box.help  # one paragraph, said before saving
    box.input("x" * 201)
    at.button(key=f"plan_start_save_details_{rev(at)}").click().run()
    assert [e.value for e in at.error] == ["The plan's description may be at most 200 characters."]
    # What was typed stays in the box to shorten.
    assert at.text_area(key=f"plan_start_description_{rev(at)}").value == "x" * 201

    mine = "For our *spring* meeting <b>at the hall</b>"
    at.text_area(key=f"plan_start_description_{rev(at)}").input(mine)
    at.button(key=f"plan_start_save_details_{rev(at)}").click().run()
    assert not at.error and not at.exception
    next(t for t in at.text_input if t.label == "Workshop title").input("Spring")
    next(t for t in at.text_input if t.label == "Cause or movement").input("Housing")
    button(at, "Create workshop").click().run()
    assert not at.exception, at.exception
    store = _open_store(str(app_db))
    workshop = store.find_workshop(at.session_state["start_created"]["code"])
    assert store.workshop_plan(workshop.id).plan.description == mine
