"""The Danish walk-through's findings (issue 18): file names that keep Æ, Ø and Å readable,
and the other fixes the tester asked for."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.test_facilitator_pages import signed_in
from tests.test_language_pages import APP, app_store, choose_language, danish_workshop, phone, words
from workbook import export
from workbook.config import PROJECT_ROOT
from workbook.i18n import gettext_for
from workbook.keys import slug
from workbook.lessons import LessonSet
from workbook.map_file import export_name
from workbook.models import WorkshopCreate
from workbook.plans.edit import slug_words
from workbook.plans.files import load_plans
from workbook.store import Store
from workbook.ui import funder_words, lesson_drafts


def test_file_names_spell_out_danish_letters_and_drop_accents() -> None:
    assert slug("Forårsmøde for Ådalens") == "foraarsmoede-for-aadalens"
    assert slug("Bord Æble") == "bord-aeble"
    assert slug("Café Øresund — Région") == "cafe-oeresund-region"
    assert slug("حقوق المياه") == ""
    # Every place a name becomes a file name says it the same way.
    assert export_name("Bord Æble", ".csv") == "bord-aeble-stakeholder-map.csv"
    assert slug_words("Bord Æble", 40) == "bord-aeble"
    assert funder_words.file_stem("x", {"region": "Ærø"}) == "x_aeroe"


def test_an_export_is_named_after_the_workshop_with_its_danish_letters(
    store: Store, lessons: LessonSet
) -> None:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Forårsmøde for Ådalens", cause="Bolig", region="Fyn")
    )
    data = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    assert data.file_stem == f"workshop-{workshop.join_code}-foraarsmoede-for-aadalens"


def test_a_phone_switched_to_english_says_its_draft_notice_in_english(app_db: Path) -> None:
    """The drafts script keeps the sentence of the form's newest drawing (lesson_drafts.py
    note()), so the notice a room move shows is said in the language chosen on the page."""
    store = app_store(app_db)
    workshop = danish_workshop(store)
    at = phone(store, workshop, "Bord 1")
    drafts = [str(h.proto.body) for h in at.get("html") if 'id="wb-drafts"' in h.proto.body]
    assert "blev beholdt som kladde" in drafts[0]
    choose_language(at, "en")
    drafts = [str(h.proto.body) for h in at.get("html") if 'id="wb-drafts"' in h.proto.body]
    [body] = drafts
    assert "Your unsaved answers to" in body and "Learning from other movements" in body
    assert "kladde" not in words(at)
    # The script takes the newest drawing's sentences for the same form, not only a new one's.
    assert "form.kept = m.kept;" in lesson_drafts._DRAFTS_JS


def test_our_tie_is_said_once_and_the_first_round_has_one_danish_name() -> None:
    from workbook.i18n import gettext_for
    from workbook.progress import round_label
    from workbook.stakeholders.words import our_tie

    da = gettext_for("da")
    assert our_tie("none", da) == "ingen forbindelse til os"
    assert our_tie("strong", da, capital=True) == "Vores forbindelse: stærk"
    assert our_tie("weak") == "our tie: weak" and our_tie("none") == "no tie to us"
    assert round_label(1, da) == "Første runde" and round_label(2, da) == "Opfølgningsrunde 1"


def test_the_consoles_line_above_the_questions_follows_each_reveal(
    app_db: Path, lessons: LessonSet
) -> None:
    at, _store, _workshop = signed_in(app_db)
    lesson = lessons.lessons[0]
    total = len(lesson.prompts) + len(lesson.ratings)
    captions = lambda: [c.value for c in at.caption]  # noqa: E731
    assert any(c.startswith("Answers are open and results hidden") for c in captions())
    at.button(key=f"facilitator_reveal_rating_{lesson.ratings[0].id}").click().run()
    assert not any(c.startswith("Answers are open and results hidden") for c in captions())
    assert f"The results of 1 of {total} questions here are shown; the others stay hidden " in (
        "\n".join(captions())
    )


def test_the_plan_editors_add_list_does_not_offer_the_step_just_taken_out(
    app_db: Path, lessons: LessonSet
) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.selectbox(key="plan_start_start_from").select_index(1).run()
    at.button(key="plan_start_edit").click().run()
    removed = "plan_start_remove_diverse-voices"
    at.button(key=removed).click().run()
    [add] = [s for s in at.selectbox if s.label == "Add a lesson"]
    assert add.value is None  # nothing chosen: "Add" cannot put it straight back
    # Still offered, for who wants it back on purpose.
    title = lessons.by_id("diverse-voices").title
    assert any(option.startswith(title) for option in add.options)


def test_the_results_chart_wraps_a_long_finding_name_and_keeps_its_axis_title_small() -> None:
    import pandas as pd

    from workbook.charts.ratings import LABEL_LINE, findings_chart
    from workbook.i18n import gettext_for
    from workbook.models import KeyFinding

    da = gettext_for("da")
    first = da(KeyFinding.learning.label)
    scores = pd.DataFrame(
        {"finding": [first], "mean": [3.0], "ratings": [3], "round": [1], "round_label": ["x"]}
    )
    fig = findings_chart(scores, findings=list(KeyFinding)[:3], _=da, code="da")
    names = [a.text for a in fig.layout.annotations if a.yanchor == "bottom"]
    assert "De rette mennesker, de rette<br>steder, det rette tidspunkt" in names
    assert all(len(line) <= LABEL_LINE for name in names for line in name.split("<br>"))
    assert fig.layout.xaxis.title.text == "Gennemsnitlig vurdering (1-5)"
    assert fig.layout.xaxis.title.font.size == 15


def test_a_danish_lesson_names_its_sources_by_danish_titles_never_by_file(
    app_db: Path,
) -> None:
    store = app_store(app_db)
    at = phone(store, danish_workshop(store), "Bord 1")
    shown = [t.value for t in at.text]
    assert any(value.startswith("Rapportresumé: hvad sociale bevægelser") for value in shown)
    assert not any(".txt" in value for value in shown)
    page = words(at)
    assert "Kilder: rapportresuméet om, hvad sociale bevægelser" in page
    assert "Report summary" not in page and "000_68edf5377af54e7d" not in page


def test_a_ready_plan_has_danish_words_and_refuses_an_unknown_language() -> None:
    import pytest
    from pydantic import ValidationError

    from workbook.plans import Plan

    plans = load_plans(PROJECT_ROOT / "lessons" / "plans").plans
    intro = next(plan for plan in plans if plan.id == "introduction-90")
    danish = intro.in_language("da")
    assert danish.title == "En introduktion på halvanden time"
    assert danish.description.startswith("Et første møde om at lære af andre bevægelser")
    assert danish.steps == intro.steps and danish.language == "da"
    # Said in English again, as its file says it.
    assert danish.in_language("en").title == intro.title == "A 90-minute introduction"
    assert intro.in_language("xx") is intro
    every = {plan.id for plan in plans}
    assert every == {p.id for p in plans if p.translations.get("da")}  # every ready plan
    with pytest.raises(ValidationError, match="does not have: xx"):
        Plan.model_validate({**intro.model_dump(), "translations": {"xx": {"title": "Titel"}}})


def test_a_danish_start_page_offers_and_stores_the_plans_danish_title(app_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    choose_language(at, "da")
    picker = at.selectbox(key="plan_start_start_from")
    assert "En introduktion på halvanden time" in picker.options
    assert "A 90-minute introduction" not in picker.options
    picker.select_index(1).run()
    assert any(
        c.value.startswith("Et første møde om at lære af andre bevægelser") for c in at.caption
    )
    # Created in Danish, the workshop keeps the Danish title: its console and exports say it.
    da = gettext_for("da")
    next(t for t in at.text_input if t.label == da("Workshop title")).input("Forårsmøde")
    next(t for t in at.text_input if t.label == da("Cause or movement")).input("Bolig")
    next(b for b in at.button if b.label == da("Create workshop")).click().run()
    assert not at.exception, at.exception
    store = app_store(app_db)
    workshop = store.find_workshop(at.session_state["start_created"]["code"])
    stored = store.workshop_plan(workshop.id).plan
    assert stored.title == "En introduktion på halvanden time"
    assert stored.translations["en"].title == "A 90-minute introduction"


def test_an_ended_room_lets_groups_start_a_follow_up_until_it_changes_again(
    app_db: Path,
) -> None:
    import datetime as dt

    from workbook.progress import follow_up_refusal

    at, store, workshop = signed_in(app_db)
    store.move_room(workshop_id=workshop.id, step=1)
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    changed = store.room_changed_at(workshop.id)
    assert follow_up_refusal(self_guided=False, room_changed_at=changed, now=now)
    assert not store.room_ended(workshop.id)
    # The console's "End the session", confirmed.
    at.button(key="room_end_confirm").click().run()
    assert not at.exception, at.exception
    assert store.room_ended(workshop.id)
    assert any("The session has ended" in s.value for s in at.success)
    changed = store.room_changed_at(workshop.id)
    assert (
        follow_up_refusal(self_guided=False, room_changed_at=changed, now=now, room_ended=True)
        is None
    )
    # A change after the end starts the session again: the wait is back.
    store.move_room(workshop_id=workshop.id, step=0)
    assert not store.room_ended(workshop.id)
