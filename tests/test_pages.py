"""Page flows in Streamlit's AppTest: start, join, answer, rate, reload, results, bad input."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import first_rating, jump_box
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet
from workbook.models import MAX_REFLECTION_CHARS, CommitmentStatus, JoinRequest, WorkshopCreate
from workbook.ui.action_plan import ALREADY_LISTED
from workbook.ui.resources import _open_store
from workbook.ui.widgets import KEPT_NOTE

APP = str(PROJECT_ROOT / "app.py")
TRICKY = "<b>bold?</b> **stars** שלום 👋🏽 '); DROP TABLE reflections;--"


def fresh() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def text_input(at: AppTest, label: str):
    matches = [t for t in at.text_input if t.label == label]
    assert matches, f"no text input {label!r}; inputs: {[t.label for t in at.text_input]}"
    return matches[0]


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def create_workshop(at: AppTest, *, self_guided: bool, group: str = "Table 1") -> None:
    text_input(at, "Workshop title").input("Spring day")
    text_input(at, "Cause or movement").input("Housing justice")
    if self_guided:
        at.radio[0].set_value("Self-guided: our group works through it alone")
        text_input(at, "Your group's name (required for self-guided)").input(group)
    button(at, "Create workshop").click()
    at.run()
    assert not at.exception, at.exception


def join(at: AppTest, code: str, *, group: str = "Table 1", name: str = "") -> None:
    text_input(at, "Workshop code").input(code)
    button(at, "Find workshop").click()
    at.run()
    text_input(at, "New group's name").input(group)
    if name:
        text_input(at, "Your name (optional)").input(name)
    button(at, "Join").click()
    at.run()
    assert not at.exception, at.exception


def test_start_page_offers_join_and_start(app_db: Path) -> None:
    at = fresh().run()
    assert not at.exception
    assert at.title[0].value == "Movement Workbook"
    assert [tab.label for tab in at.tabs] == ["Join a workshop", "Start a workshop"]


@pytest.mark.parametrize("typed", ["ZZZ-ZZZ", "<script>x</script>", "' OR 1=1 --", ""])
def test_a_wrong_join_code_is_told_plainly(app_db: Path, typed: str) -> None:
    at = fresh().run()
    text_input(at, "Workshop code").input(typed)
    button(at, "Find workshop").click()
    at.run()
    assert not at.exception
    assert at.error and at.error[0].value.startswith("No workshop has the code")
    assert "<script>" not in at.error[0].value
    assert not [b for b in at.button if b.label == "Join"]
    if typed:  # what was typed, beside the sentence, as text
        assert f"You typed: {typed}" in texts(at)


def test_facilitated_workshop_shows_code_and_key_once_then_a_group_joins(app_db: Path) -> None:
    facilitator = fresh().run()
    create_workshop(facilitator, self_guided=False)
    key = facilitator.code[0].value
    assert len(key) == 19 and key.count("-") == 3
    code_html = [h for h in facilitator.get("html") if "wb-code" in str(h.proto)]
    assert code_html
    code = str(code_html[0].proto).split('class=\\"wb-code\\">')[1][:7]
    button(facilitator, "I have saved the key").click()
    facilitator.run()
    assert not facilitator.code  # shown once

    participant = fresh().run()
    join(participant, code, group="Table 4", name="Ana")
    assert participant.title[0].value == "Learning from other movements"
    assert participant.query_params["w"] == code.replace("-", "")
    assert len(participant.query_params["t"]) > 20
    assert "Step 1 of" in participant.get("progress")[0].proto.text


def test_answer_rate_reload_and_find_everything(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True, group="Kitchen table")
    button(at, "Open the workbook").click()
    at.run()
    prompt = at.text_area[0]
    prompt.input(TRICKY)
    first_rating(at).set_value(4)
    button(at, "Save answers").click()
    at.run()
    assert not at.exception
    assert at.success and at.success[0].value.startswith("Saved 1 answer and 1 rating")
    # The save was the button's callback: the answer is in the file before any redraw, and
    # the confirmation outlives a redraw of the page (as when the room moves mid-save).
    at.run()
    assert at.success and at.success[0].value.startswith("Saved 1 answer and 1 rating")
    params = dict(at.query_params)

    reloaded = fresh()  # a new browser session with the same URL: a reload
    reloaded.query_params.update(params)
    reloaded.run()
    assert not reloaded.exception
    assert reloaded.text_area[0].value == TRICKY
    assert first_rating(reloaded).value == 4

    # Saving again without changes writes nothing and says so.
    button(reloaded, "Save answers").click()
    reloaded.run()
    assert reloaded.info and "Nothing has changed" in reloaded.info[0].value


def test_next_and_previous_move_and_survive_a_reload(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    at.button(key="workbook_next_top").click()
    at.run()
    assert at.title[0].value == "Right people, right places, right time"
    params = dict(at.query_params)
    reloaded = fresh()
    reloaded.query_params.update(params)
    reloaded.run()
    assert reloaded.title[0].value == "Right people, right places, right time"
    reloaded.button(key="workbook_prev_top").click()
    reloaded.run()
    assert reloaded.title[0].value == "Learning from other movements"


def test_too_long_answer_is_refused_and_kept_in_the_box(app_db: Path, lessons: LessonSet) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    # The box names its limit in its placeholder (no help icon: a small target that only
    # repeated it) and has no max_chars: with one, the browser drops a longer paste whole
    # and silently. The paste stays; saving refuses it in one sentence.
    box = at.text_area[0]
    assert not box.max_chars and "(up to 5,000 characters)" in box.placeholder
    assert not box.help  # no "?" beside an answer box
    pasted = "x" * 5_200
    box.input(pasted)
    assert at.text_area[0].value == pasted
    button(at, "Save answers").click()
    at.run()
    # Named: which question, what is wrong, where the text is (the walk-through's finding).
    question = lessons.lessons[0].prompts[0].text
    assert [e.value for e in at.error] == [
        f"• Your answer to “{question}” is not saved yet. Answer is too long: 5,200 "
        "characters, the limit is 5,000. It is still in its box above."
    ]
    assert at.text_area[0].value == pasted
    assert any("Your text is still in the boxes above." in c.value for c in at.caption)
    assert not at.success
    store = _open_store(str(app_db))
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert seat is not None
    saved = store.saved_answers(
        participant_id=seat.participant.id, lesson_id=lessons.lessons[0].id, round=1
    )
    assert saved.reflections == {}  # nothing stored
    # Twice as long once written the one way (NFC): each U+0958 is two characters composed.
    long_text = "\u0958" * MAX_REFLECTION_CHARS
    at.text_area[0].input(long_text)
    button(at, "Save answers").click()
    at.run()
    assert at.error and "too long: 10,000 characters, the limit is 5,000" in at.error[0].value
    assert at.text_area[0].value == long_text


def test_an_answer_that_began_with_a_tab_is_saved_from_its_first_word_and_told_so(
    app_db: Path, lessons: LessonSet
) -> None:
    """Outer spaces, tabs and blank lines are taken off an answer (as everywhere in the app),
    nothing inside it: when its start lost any, the "Saved" line says so in one sentence;
    a line break at the end, which nobody sees, goes without a word."""
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    at.text_area[0].input("\n\tFirst point\n\tsecond point,  indented\n")
    button(at, "Save answers").click()
    at.run()
    [saved_line] = [s.value for s in at.success]
    assert saved_line.startswith(
        "Saved 1 answer. The spaces, tabs or blank lines at the start of 1 answer were taken off."
    ), saved_line
    store = _open_store(str(app_db))
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert seat is not None
    lesson_id = lessons.lessons[0].id
    stored = store.saved_answers(participant_id=seat.participant.id, lesson_id=lesson_id, round=1)
    assert list(stored.reflections.values()) == ["First point\n\tsecond point,  indented"]
    at.text_area[0].input("Plain answer\n\n")
    button(at, "Save answers").click()
    at.run()
    [saved_line] = [s.value for s in at.success]
    assert saved_line.startswith("Saved 1 answer. (") and "taken off" not in saved_line


def test_a_too_long_pasted_title_stays_in_the_box_and_is_refused_on_create(app_db: Path) -> None:
    at = fresh().run()
    title = "T" * 130
    text_input(at, "Workshop title").input(title)
    text_input(at, "Cause or movement").input("Housing justice")
    assert "Up to 120 characters." in text_input(at, "Workshop title").help
    button(at, "Create workshop").click()
    at.run()
    assert [e.value for e in at.error] == [
        "• Workshop title is too long: 130 characters, the limit is 120."
    ]
    assert text_input(at, "Workshop title").value == title
    assert KEPT_NOTE in [c.value for c in at.caption]
    assert "start_created" not in at.session_state  # nothing was made


def test_user_text_is_shown_as_text_not_markdown_or_html(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True, group="<i>Table</i> **one**")
    button(at, "Open the workbook").click()
    at.run()
    at.text_area[0].input(TRICKY)
    button(at, "Save answers").click()
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert TRICKY in texts(at)
    for markdown in at.markdown:
        assert TRICKY not in markdown.value and "**one**" not in markdown.value
    headings = [str(h.proto) for h in at.get("html") if "wb-heading" in str(h.proto)]
    assert headings and "&lt;i&gt;Table&lt;/i&gt; **one**" in headings[0]


def test_a_forged_link_opens_nothing(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    code = at.query_params["w"]
    forged = fresh()
    forged.query_params.update({"w": code, "t": "made-up-token"})
    forged.run()
    assert not forged.exception
    assert forged.warning and "does not open a seat" in forged.warning[0].value
    assert [tab.label for tab in forged.tabs] == ["Join a workshop", "Start a workshop"]
    assert "t" not in forged.query_params
    assert text_input(forged, "Workshop code").value == code  # ready to join properly


def test_action_plan_adds_once_and_follow_up_marks_it_kept(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    last = len(jump_box(at).options) - 1
    jump_box(at).set_value(last).run()
    assert at.title[0].value == "Action plan"
    at.text_area(key="action_plan_what").input("Meet the tenants' union")
    at.text_input(key="action_plan_who").input("Sam")
    button(at, "Add commitment").click()
    at.run()
    assert not at.exception
    assert at.success and at.success[-1].value == "Commitment added."
    assert "Meet the tenants' union" in texts(at)
    # The form is empty again, so a second press adds nothing and says why.
    assert at.text_area(key="action_plan_what").value == ""
    assert at.text_input(key="action_plan_who").value == ""
    button(at, "Add commitment").click()
    at.run()
    assert at.error and "What we will do cannot be empty" in at.error[0].value
    # The same commitment typed again (or a resent form) is not added twice, and is told so.
    at.text_area(key="action_plan_what").input("Meet the tenants' union")
    at.text_input(key="action_plan_who").input("Sam")
    button(at, "Add commitment").click()
    at.run()
    assert texts(at).count("Meet the tenants' union") == 1
    assert at.success[-1].value == ALREADY_LISTED

    at.switch_page("pages/results.py").run()
    at.checkbox(key="results_confirm_round").check().run()
    at.button(key="results_new_round").click().run()
    assert not at.exception
    assert at.title[0].value == "Learning from other movements"  # back to step 1
    at.switch_page("pages/workbook.py").run()  # AppTest keeps its own page choice; follow the app
    jump_box(at).set_value(last).run()
    [status] = [g for g in at.get("button_group") if g.label == "How did it go?"]
    status.set_value(CommitmentStatus.kept).run()
    assert not at.exception
    at.switch_page("pages/results.py").run()
    assert any("Kept" in t for t in texts(at))
    assert any("Follow-up 1" in t.value for t in at.subheader)


def test_results_page_shows_chart_and_unanswered(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    first_rating(at).set_value(2)
    button(at, "Save answers").click()
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    chart = at.get("plotly_chart")[0]
    assert "Learning from other movements" in chart.proto.spec
    assert any("Not answered yet" in s.value for s in at.subheader)


def test_results_list_statements_in_the_lessons_order_and_no_anonymous_label(
    app_db: Path, lessons: LessonSet
) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    ratings = [g for g in at.get("button_group") if "_rating_" in (g.key or "")]
    for value, group in enumerate(ratings, start=2):
        group.set_value(value)
    at.text_area[0].input("We learn from the disability rights movement.")
    button(at, "Save answers").click()
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception
    lesson = lessons.lessons[0]
    wanted = [s.text for s in lesson.ratings]
    assert [t for t in texts(at) if t in wanted] == wanted
    # The group's own page: an answer without a name is not labelled "Anonymous".
    shown = texts(at)
    assert "We learn from the disability rights movement." in shown
    assert "First look" in shown
    assert not [t for t in shown if "Anonymous" in t]


def test_broken_lesson_file_shows_a_warning_and_the_rest_still_work(
    app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", folder)
    (folder / "99-broken.md").write_text("---\nid: [unclosed\n---\nbody", encoding="utf-8")
    monkeypatch.setenv("WORKBOOK_LESSONS_DIR", str(folder))
    get_settings.cache_clear()
    at = fresh().run()
    assert not at.exception
    assert "1 problem(s) in the lesson files" in at.expander[0].label
    assert any("99-broken.md: front matter" in t for t in texts(at))
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    assert at.title[0].value == "Learning from other movements"


def test_a_locked_database_gets_one_plain_sentence(app_db: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
            " time.sleep(60)",
            str(app_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        at = fresh().run()
        assert not at.exception
        assert len(at.error) == 1
        assert "already open in another copy of the app" in at.error[0].value
    finally:
        holder.kill()
        holder.wait()


def test_joining_a_sharing_workshop_says_what_funders_see(app_db: Path) -> None:
    facilitator = fresh().run()
    text_input(facilitator, "Workshop title").input("Shared day")
    text_input(facilitator, "Cause or movement").input("Rare disease")
    next(box for box in facilitator.checkbox if "funders" in box.label).check()
    button(facilitator, "Create workshop").click()
    facilitator.run()
    code_html = [h for h in facilitator.get("html") if "wb-code" in str(h.proto)]
    code = str(code_html[0].proto).split('class=\\"wb-code\\">')[1][:7]

    participant = fresh().run()
    text_input(participant, "Workshop code").input(code)
    button(participant, "Find workshop").click()
    participant.run()
    notices = [info.value for info in participant.info]
    assert any(
        "in aggregate only" in notice and "no group's answers can be worked out" in notice
        for notice in notices
    ), notices


def test_a_new_group_named_like_an_existing_one_asks_before_joining_it(app_db: Path) -> None:
    """ "b group", "B  group", "B\u200bgroup" (zero-width space) and the full-width
    "\uff22 \uff47\uff52\uff4f\uff55\uff50" typed as a new group all name the existing
    "B group": the person is told once and joins it on a second press, or picks it in the
    list; no look-alike second group is made. Typed exactly as the group's name (outer spaces
    aside), it joins at once."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.join(workshop_id=workshop.id, request=JoinRequest(group_name="B group"))
    asked = (
        "A group with this name is already in this workshop, spelled as below: press Join "
        "again to join it, or choose it in the list."
    )
    full_width = "\uff22 \uff47\uff52\uff4f\uff55\uff50"
    for typed in ("b group", "B  group", "B\u200bgroup", "\u200fB \u2066group\u2069", full_width):
        at = fresh().run()
        join(at, workshop.join_code, group=typed)
        assert [w.value for w in at.warning] == [asked], typed
        assert "B group" in texts(at)  # the existing group's name, as text
        assert "t" not in at.query_params  # not seated yet
        button(at, "Join").click()
        at.run()
        assert not at.exception, at.exception
        assert at.query_params.get("t"), typed  # seated on the second press
    at = fresh().run()
    join(at, workshop.join_code, group=" B group ")  # the same name: no question
    assert not at.warning and at.query_params.get("t")
    groups = store.groups(workshop.id)
    assert [(g.name, g.members) for g in groups] == [("B group", 7)]

    # Changing the typed name after the question asks again for the new match, and a name
    # matching no group makes a new one at once.
    at = fresh().run()
    join(at, workshop.join_code, group="b group")
    assert at.warning
    text_input(at, "New group's name").input("C group")
    button(at, "Join").click()
    at.run()
    assert not at.warning and at.query_params.get("t")
    assert sorted(g.name for g in store.groups(workshop.id)) == ["B group", "C group"]


def test_a_participant_cannot_start_a_follow_up_while_the_room_runs(app_db: Path) -> None:
    """Two taps on one phone mid-session took a whole table's answers out of the room."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.move_room(workshop_id=workshop.id, step=0)  # the facilitator has started the room
    at = fresh().run()
    join(at, workshop.join_code, group="Table 2")
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any("still running with a facilitator" in info.value for info in at.info)
    assert not [b for b in at.button if b.label == "Start a follow-up round"]
    [group] = store.groups(workshop.id)
    assert group.current_round == 1


def test_a_join_link_finds_its_workshop_without_another_tap(app_db: Path) -> None:
    """The QR code and join link carry the code: the group form shows at once."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    at = fresh()
    at.query_params["w"] = workshop.join_code
    at.run()
    assert not at.exception
    text_input(at, "New group's name").input("Table 9")
    button(at, "Join").click()
    at.run()
    assert at.title[0].value == "Learning from other movements"
    # A wrong code in a link finds nothing and the page does not shout: the form says why
    # once "Find workshop" is pressed.
    wrong = fresh()
    wrong.query_params["w"] = "ZZZZZZ"
    wrong.run()
    assert not wrong.exception and not wrong.error
    assert not [t for t in wrong.text_input if t.label == "New group's name"]


def test_a_save_after_the_group_started_its_follow_up_round_goes_into_that_round(
    app_db: Path,
) -> None:
    """Bo's page was drawn in the first look; meanwhile someone at his table started the
    follow-up round. What he then typed and saved goes into the follow-up round (not into
    the first look, where his reload would never show it), what he left as it was stays in
    the first look, and his page says so and shows the follow-up round."""
    at = fresh().run()
    create_workshop(at, self_guided=True, group="Kitchen table")
    button(at, "Open the workbook").click()
    at.run()
    at.text_area[0].input("Amira's first look")
    button(at, "Save answers").click()
    at.run()
    store = _open_store(str(app_db))
    [(workshop_id, code)] = store._all("SELECT id, join_code FROM workshops")
    seat, token = store.join(
        workshop_id=workshop_id, request=JoinRequest(group_name="Kitchen table")
    )
    bo = fresh()
    bo.query_params.update({"w": code, "t": token})
    bo.run()
    assert not bo.exception, bo.exception
    bo.text_area[1].input("Bo's thought, written after the round moved")
    assert store.start_follow_up(group_id=seat.group.id) == 2  # Amira, on her phone

    button(bo, "Save answers").click()
    bo.run()
    assert not bo.exception, bo.exception
    rows = store._all(
        "SELECT round, prompt_id, text FROM reflections WHERE participant_id = ?",
        [seat.participant.id],
    )
    lesson_prompts = [area.key.rsplit("_prompt_", 1)[1] for area in bo.text_area]
    assert rows == [(2, lesson_prompts[1], "Bo's thought, written after the round moved")]
    assert any("started its follow-up round" in i.value for i in bo.info)
    assert bo.success and bo.success[0].value.startswith("Saved 1 answer")
    # The page shows the follow-up round now: Bo's answer is in its box.
    assert all("_2_prompt_" in area.key for area in bo.text_area)
    assert bo.text_area[1].value == "Bo's thought, written after the round moved"


def test_a_group_chosen_and_another_typed_is_asked_about_not_dropped(app_db: Path) -> None:
    """Choosing "Table 2" in the list and typing "Table 3" as a new group's name: the person
    is asked which they meant, nobody is seated, and what they typed stays in the box; typing
    the chosen group's own name is no contradiction."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 2"))
    at = fresh().run()
    text_input(at, "Workshop code").input(workshop.join_code)
    button(at, "Find workshop").click()
    at.run()
    [group_box] = [s for s in at.selectbox if s.label == "Your group (your table or team)"]
    group_box.set_value(0)  # Table 2
    text_input(at, "New group's name").input("Table 3")
    button(at, "Join").click()
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "You chose a group in the list and also typed a new group's name. To start the group "
        "you typed, choose “A new group…” in the list; to join the one you chose, empty the box."
    ]
    assert "t" not in at.query_params
    assert text_input(at, "New group's name").value == "Table 3"
    assert [g.name for g in store.groups(workshop.id)] == ["Table 2"]

    text_input(at, "New group's name").input(" table 2 ")
    button(at, "Join").click()
    at.run()
    assert not at.warning and at.query_params.get("t")
    assert [(g.name, g.members) for g in store.groups(workshop.id)] == [("Table 2", 2)]


def test_a_phone_on_our_results_is_told_when_the_room_moves_on(
    app_db: Path, lessons: LessonSet
) -> None:
    """A participant who looks at "Our results" while the facilitator moves the room sees a
    line saying so, with the step's title as text and a link back; before the move, none."""
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    _seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    at = fresh()
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()  # on the workbook: the room's step is the one this phone has followed
    assert not at.exception, at.exception
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert not any("moved the room on" in i.value for i in at.info)
    store.move_room(workshop_id=workshop.id, step=1)
    at.run()
    assert [i.value for i in at.info if "moved the room on" in i.value] == [
        "The facilitator has moved the room on, to step 2:"
    ]
    assert lessons.lessons[1].title in texts(at)
    assert "Back to the room's step" in [link.proto.label for link in at.get("page_link")]
