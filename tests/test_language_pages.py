"""Languages in AppTest: a Danish workshop's phones and projector speak Danish; a participant
who switches to English sees English while another session in the same room stays Danish; the
facilitator sets the language when creating the workshop and changes it on the console."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.language_helpers import APP, app_store, create_danish_workshop, danish_workshop
from workbook.lessons import LessonSet
from workbook.live import RATING, SELF_PACED, Focus
from workbook.models import JoinRequest, RatingIn
from workbook.records import Workshop
from workbook.store import Store
from workbook.ui import projector


def phone(store: Store, workshop: Workshop, group: str) -> AppTest:
    _, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    assert not at.exception, at.exception
    return at


def words(at: AppTest) -> str:
    """Everything the page says, as one text: titles, captions, buttons, markdown, HTML."""
    parts = [
        e.value for kind in ("title", "caption", "markdown", "subheader") for e in at.get(kind)
    ]
    parts += [b.label for b in at.button] + [str(h.proto.body) for h in at.get("html")]
    parts += [str(p.proto) for p in at.get("progress")]
    return "\n".join(str(part) for part in parts)


def choose_language(at: AppTest, code: str) -> None:
    [picker] = [g for g in at.get("button_group") if (g.key or "").startswith("i18n_pick_")]
    picker.set_value(code).run()
    assert not at.exception, at.exception


def test_a_danish_workshop_shows_its_lesson_page_in_danish(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    at = phone(store, workshop, "Bord 1")
    page = words(at)
    assert at.title[0].value == "At lære af andre bevægelser"  # the lesson, from lessons/da/
    assert "Gem svar" in page and "Tal det igennem, og skriv det så ned" in page
    assert "Trin 1 af 9" in page
    # The join code under the workshop's name stays on one line ("GGN-" / "B9P" read as two).
    nowrap = '<span class="wb-nowrap" style="white-space:nowrap">'
    unbroken = f"{nowrap}workshopkode {workshop.display_code}"
    assert unbroken in page
    assert "Hovedfund: At lære af andre bevægelser · foreslået tid 10 minutter" in page
    assert "Save answers" not in page
    # Saving says so in Danish.
    at.text_area[0].input("Vi vil lære af hiv/aids-bevægelsen.")
    next(b for b in at.button if b.label == "Gem svar").click()
    at.run()
    assert not at.exception, at.exception
    assert at.success[-1].value.startswith("Gemt: 1 svar.")


def test_a_participant_switching_to_english_leaves_the_other_phone_in_danish(
    app_db: Path,
) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    first = phone(store, workshop, "Bord 1")
    second = phone(store, workshop, "Bord 2")
    choose_language(first, "en")
    assert first.title[0].value == "Learning from other movements"
    assert "Save answers" in words(first) and "Gem svar" not in words(first)
    # The other session, on the same server, is untouched.
    second.run()
    assert second.title[0].value == "At lære af andre bevægelser"
    assert "Gem svar" in words(second)
    second.switch_page("pages/results.py").run()
    assert not second.exception, second.exception
    assert second.title[0].value == "Vores resultater"
    assert "Ikke besvaret endnu" in words(second)
    second.switch_page("pages/workbook.py").run()
    # The choice stays with the session through reruns and moves between pages.
    first.switch_page("pages/results.py").run()
    first.switch_page("pages/workbook.py").run()
    assert not first.exception, first.exception
    assert first.title[0].value == "Learning from other movements"
    choose_language(first, "da")
    assert first.title[0].value == "At lære af andre bevægelser"


def projector_page(token: str, chosen: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if chosen is not None:  # this browser's own choice: the projector ignores it
        at.session_state["i18n_chosen_language"] = chosen
    at.run()
    at.query_params[projector.TOKEN_PARAM] = token
    at.switch_page("pages/projector.py").run()
    assert not at.exception, at.exception
    return at


def test_the_projector_follows_the_workshops_language(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    token = store.new_projector_link(workshop_id=workshop.id)
    page = words(projector_page(token, chosen="en"))
    assert "Deltagere: <b>ingen endnu</b>" in page and "Joined:" not in page

    store.move_room(workshop_id=workshop.id, step=0)
    page = words(projector_page(token, chosen="en"))
    assert "Hvilken af de fire bevægelser føles tættest på" in page  # the Danish lesson
    assert "Trin 1 af 9 · At lære af andre bevægelser" in page
    assert "resultater skjult indtil videre" in page

    store.set_workshop_language(workshop_id=workshop.id, language="en")
    page = words(projector_page(token))
    assert "Which of the four movements feels closest" in page and "Step 1 of 9" in page


def test_the_facilitator_sets_the_language_on_the_create_form_and_the_console(
    app_db: Path,
) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    # Its console, signed in by creating it, speaks the workshop's language...
    create_danish_workshop(at)
    store = app_store(app_db)
    [workshop_id] = [row[0] for row in store._all("SELECT id FROM workshops")]
    assert store.workshop_language(workshop_id) == "da"
    assert at.title[0].value == "Facilitatorkonsol"
    assert "Næste trin" in [b.label for b in at.button]
    assert any(m.value.startswith("**Rummet er på trin 1 af 9: ") for m in at.markdown)
    # ...and changes it: the store, the projector and the console follow.
    [choice] = [
        g for g in at.get("button_group") if (g.key or "").startswith("facilitator_language_")
    ]
    choice.set_value("en").run()
    assert not at.exception, at.exception
    assert store.workshop_language(workshop_id) == "en"
    assert "Next step" in [b.label for b in at.button]


def test_dates_on_the_action_plan_are_written_the_danish_way(app_db: Path) -> None:
    import datetime as dt

    store = app_store(app_db)
    workshop = danish_workshop(store)
    store.set_pacing(workshop_id=workshop.id, pacing=SELF_PACED)
    at = phone(store, workshop, "Bord 1")
    [jump] = [box for box in at.selectbox if box.label == "Gå til et trin"]
    jump.set_value(8).run()
    assert at.title[0].value == "Handlingsplan"
    next(t for t in at.text_area if t.label == "Hvad vil vi gøre?").input("Ring til kommunen")
    next(d for d in at.date_input if d.label == "Hvornår?").set_value(dt.date(2026, 12, 4))
    next(b for b in at.button if b.label == "Tilføj aftale").click()
    at.run()
    assert not at.exception, at.exception
    assert at.success[-1].value == "Aftalen er tilføjet."
    shown = [t.value for t in at.text]
    # No key finding chosen (it is optional): the date alone, written the Danish way.
    assert "Senest 4. dec. 2026" in shown, shown
    assert not [t for t in shown if t.startswith("Fund:")], shown


def test_the_projector_counts_ratings_per_group_under_a_ratings_heading(
    app_db: Path, lessons: LessonSet
) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        ratings=[
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=4,
            )
        ],
    )
    store.move_room(workshop_id=workshop.id, step=0)
    store.set_focus(workshop_id=workshop.id, focus=Focus(RATING, statement.id))
    page = words(projector_page(store.new_projector_link(workshop_id=workshop.id)))
    assert "Vurderinger pr. gruppe" in page and "Svar pr. gruppe" not in page


def test_a_phones_own_language_survives_a_reload_through_the_url(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    first = phone(store, workshop, "Bord 1")
    choose_language(first, "en")
    assert first.query_params["lang"] == "en"
    first.switch_page("pages/results.py").run()  # a page move keeps it in the address
    assert first.query_params["lang"] == "en"
    # A reload is a new session with the same address: still English.
    _, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    reloaded = AppTest.from_file(APP, default_timeout=30)
    reloaded.query_params.update({"w": workshop.join_code, "t": token, "lang": "en"})
    reloaded.run()
    assert not reloaded.exception, reloaded.exception
    assert reloaded.title[0].value == "Learning from other movements"
    # A forged language in the address is ignored: the workshop's language.
    forged = AppTest.from_file(APP, default_timeout=30)
    forged.query_params.update({"w": workshop.join_code, "t": token, "lang": "xx<script>"})
    forged.run()
    assert not forged.exception, forged.exception
    assert forged.title[0].value == "At lære af andre bevægelser"


def test_a_danish_results_page_has_danish_rounds_charts_numbers_and_refusal(
    app_db: Path, lessons: LessonSet
) -> None:
    import json

    store = app_store(app_db)
    workshop = danish_workshop(store)
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    for round_, value in ((1, 4), (2, 3)):
        if round_ == 2:
            store.start_follow_up(group_id=seat.group.id)
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=round_,
            ratings=[
                RatingIn(
                    lesson_id=lesson.id,
                    statement_id=statement.id,
                    key_finding=lesson.finding_of(statement),
                    value=value,
                )
            ],
        )
    store.move_room(workshop_id=workshop.id, step=0)  # the room is running
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    page = words(at)
    assert "første runde 4,0, seneste 3,0 (\u22121,0)" in page
    assert "Første runde 4 · Opfølgningsrunde 1 3" in page
    assert "Jeres workshop er stadig i gang med en facilitator" in at.info[-1].value
    assert "first look" not in page and "Follow-up" not in page
    [chart] = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    shown = json.dumps(chart, ensure_ascii=False)
    assert "Vores vurderinger pr. hovedfund" in shown and "Gennemsnitlig vurdering" in shown
    assert "ikke vurderet endnu" in shown and '"4,0"' in shown
    assert "Our ratings" not in shown and "not rated yet" not in shown


def test_a_danish_consoles_plan_panel_lists_the_danish_lessons(app_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    create_danish_workshop(at)
    assert "Plan" in [h.value for h in at.subheader]
    next(t for t in at.toggle if t.label == "Vis og ændr planen").set_value(True).run()
    assert not at.exception, at.exception
    # A ready plan: its steps are listed by their lessons' titles, in the workshop's language.
    next(s for s in at.selectbox if s.label == "Start fra").select_index(1).run()
    assert not at.exception, at.exception
    steps = [m.value for m in at.markdown if " min" in m.value]
    assert steps and any("At lære af andre bevægelser" in step for step in steps), steps
    assert not any("Learning from other movements" in step for step in steps), steps


def test_a_join_link_opens_the_join_page_in_the_workshops_language(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = workshop.join_code
    at.run()
    assert not at.exception, at.exception
    assert "Deltag i en workshop" in [t.label for t in at.tabs]
    # What is typed stays through the page's runs (its labels never change under it).
    name = next(t for t in at.text_input if t.label == "Den nye gruppes navn")
    name.input("Bord 7")
    next(b for b in at.button if b.label == "Deltag").click()
    at.run()
    assert not at.exception, at.exception
    assert store.group_named(workshop_id=workshop.id, name="Bord 7") is not None
    # A person who chose their own language keeps it.
    own = AppTest.from_file(APP, default_timeout=30)
    own.query_params.update({"w": workshop.join_code, "lang": "en"})
    own.run()
    assert not own.exception, own.exception
    assert "Join a workshop" in [t.label for t in own.tabs]
