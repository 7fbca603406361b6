"""The rest of a Danish workshop in Danish: the plan editor (create form and console), the
console's exports and moderation, the exports' column headings, and the sentences the store
and the input checks say (a refused join code, a too-long answer) in the language of the
phone that reads them."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from tests.language_helpers import APP, app_store, create_danish_workshop
from workbook import export, summary_html
from workbook.i18n import translations
from workbook.lessons import LessonSet
from workbook.live import PROMPT, Focus
from workbook.models import MAX_REFLECTION_CHARS, JoinRequest, ReflectionIn, plain_errors
from workbook.plans import edit as plan_edit
from workbook.plans import everything, minutes_line
from workbook.store import Store, WrongJoinCodeError


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("caption", "markdown", "subheader") for e in at.get(kind)]
    parts += [e.value for kind in ("warning", "error", "text") for e in at.get(kind)]
    parts += [b.label for b in at.button] + [w.label for w in at.get("download_button")]
    parts += [w.label for kind in ("selectbox", "toggle", "number_input") for w in at.get(kind)]
    parts += [w.label for kind in ("text_input", "text_area", "expander") for w in at.get(kind)]
    return "\n".join(str(part) for part in parts)


# --- the plan editor --------------------------------------------------------------------------


def test_the_create_forms_plan_editor_speaks_danish_to_a_danish_visitor(app_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = "da"
    at.run()
    assert not at.exception, at.exception
    picker = at.selectbox(key="plan_start_start_from")
    assert picker.label == "Start fra"
    assert "Alle lektioner i rækkefølge (arbejdsbogens sædvanlige forløb)" in picker.options
    # The 90-minute introduction: its steps and its total, in Danish.
    picker.select_index(1).run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "**I alt 80 af 90 minutter**" in page
    assert "Total 80 of 90 minutes" not in page
    assert any(" · 10 min." in m.value for m in at.markdown)
    at.button(key="plan_start_edit").click().run()
    page = texts(at)
    for danish in (
        "Op",
        "Ned",
        "Fjern",
        "Planens titel",
        "Planens beskrivelse",
        "Sessionens længde (minutter)",
    ):
        assert danish in page, danish
    assert "Dele og minutter" in page and "Tilføj dit eget spørgsmål eller udsagn" in page
    assert "Hent planen som fil" in page and "Gem titel, længde og beskrivelse" in page
    assert "Take out" not in page and "Save title, length and description" not in page
    # A step's parts line, and a refused own prompt with its reason, in Danish.
    assert any(c.value.startswith("3 af 3 spørgsmål · ") for c in at.caption), [
        c.value for c in at.caption
    ]
    rev = at.session_state["plan_start_rev"]
    at.button(key=f"plan_start_add_p_early-actions_{rev}").click().run()
    assert [e.value for e in at.error] == ["Spørgsmålet skal udfyldes."]
    # Over the session's length: said in Danish.
    rev = at.session_state["plan_start_rev"]
    at.number_input(key=f"plan_start_session_{rev}").set_value(60)
    at.button(key=f"plan_start_save_details_{rev}").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "I alt 80 af 60 minutter: 20 minutter mere end sessionens længde."
    ]


def test_the_consoles_plan_panel_of_a_danish_workshop_is_danish(app_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    create_danish_workshop(at)
    page = texts(at)
    # No plan: every lesson, and the minutes they take, in Danish.
    assert "Alle lektioner i rækkefølge. I alt 100 af 0 minutter." not in page
    assert any(c.value.startswith("Alle lektioner i rækkefølge. I alt ") for c in at.caption)
    next(t for t in at.toggle if t.label == "Vis og ændr planen").set_value(True).run()
    [picker] = [s for s in at.selectbox if (s.key or "").endswith("_start_from")]
    assert picker.label == "Start fra"
    picker.select_index(1).run()
    assert not at.exception, at.exception
    assert any(m.value == "**I alt 80 af 90 minutter**" for m in at.markdown)
    edit = next(b for b in at.button if (b.key or "").endswith("_edit"))
    assert edit.label == "Ret planen: lektioner, dele, rækkefølge, minutter, dine egne spørgsmål"
    edit.click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "Start forfra fra en færdig plan" in page and "Tilføj en lektion" in page
    assert "Use this plan for this workshop" not in page


# --- the console's exports and moderation ------------------------------------------------------


def test_the_consoles_exports_and_moderation_of_a_danish_workshop_are_danish(
    app_db: Path, lessons: LessonSet
) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    create_danish_workshop(at)
    store = app_store(app_db)
    [workshop_id] = [row[0] for row in store._all("SELECT id FROM workshops")]
    workshop = store.workshop_by_id(workshop_id)
    assert workshop is not None
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text="Lær af andre")],
    )
    store.set_focus(workshop_id=workshop.id, focus=Focus(PROMPT, prompt.id), at_step=0)
    at.run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "Svar på projektoren" in page and "Eksport" in page
    assert "**1 svar: 1 vist**" in page
    assert "Rækkefølge: nyeste først." in page
    assert "Answers on the projector" not in page and "Exports" not in page
    assert "Lav eksportfilerne" in page
    assert "De laves ud fra det, grupperne har givet, indtil du trykker." in page
    # Hiding it: the card says so and offers Gendan; the count follows.
    next(b for b in at.button if b.label == "Skjul").click().run()
    assert not at.exception, at.exception
    page = texts(at)
    assert "**1 svar: 0 vist, 1 skjult**" in page and "Gendan" in page
    # The exports, prepared: Danish labels, Danish files.
    at.button(key="facilitator_export_prepare").click().run()
    assert not at.exception, at.exception
    labels = [w.label for w in at.get("download_button")]
    assert labels == [
        "CSV-filer (zip)",
        "Excel-projektmappe (.xlsx)",
        "Opsummering til gruppen (HTML)",
    ]
    assert any(c.value.startswith("Lavet kl. ") for c in at.caption)
    files = at.session_state["facilitator_exports_prepared"].files
    with zipfile.ZipFile(io.BytesIO(files["csv"])) as archive:
        [name] = [n for n in archive.namelist() if n.endswith("/reflections.csv")]
        rows = list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert rows[0][:7] == ["Gruppe", "Navn", "Trin", "Lektion", "Spørgsmål", "Runde", "Svar"]
    assert rows[1][5] == "Første runde"
    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    assert book.sheetnames[:3] == ["Om", "Refleksioner", "Vurderinger"]
    first_row = next(book["Refleksioner"].values)
    assert first_row[:3] == ("Gruppe", "Navn", "Trin")


# --- the exports' headings, outside the page ---------------------------------------------------


def test_a_danish_workshops_exports_have_danish_headings_and_the_summary_still_finds_them(
    store: Store, lessons: LessonSet
) -> None:
    from workbook.models import RatingIn, WorkshopCreate

    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Forår", cause="Bolig"))
    lesson = lessons.lessons[0]
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    statement = lesson.ratings[0]
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[
            ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text="Lær af andre")
        ],
        ratings=[
            RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=4,
            )
        ],
    )
    danish = export.collect(store, workshop_id=workshop.id, lessons=lessons, language="da")
    english = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    assert danish.ratings.columns[:3] == ("Gruppe", "Deltager", "Trin")
    assert danish.ratings.rows[0][5] == "At lære af andre bevægelser"  # the key finding
    assert english.ratings.columns[:3] == ("Group", "Participant", "Step")
    assert danish.ratings.keys == english.ratings.columns  # found by the same keys
    with zipfile.ZipFile(io.BytesIO(export.csv_zip(danish))) as archive:
        names = sorted(n.rsplit("/", 1)[1] for n in archive.namelist())
        about = archive.read(next(n for n in archive.namelist() if n.endswith("/about.csv")))
    # The files keep their names in every language; their headings are Danish.
    tables = ("about", "reflections", "ratings", "stakeholders", "ties", "commitments")
    assert names == sorted(f"{table}.csv" for table in tables)
    assert about.decode("utf-8-sig").startswith("Om,Værdi\r\nWorkshop,Forår\r\n")
    book = openpyxl.load_workbook(io.BytesIO(export.xlsx(danish)), read_only=True)
    assert book.sheetnames == [
        "Om",
        "Refleksioner",
        "Vurderinger",
        "Interessenter",
        "Forbindelser",
        "Aftaler",
    ]
    assert next(book["Interessenter"].values)[:4] == (
        "Gruppe",
        "Interessent",
        "Type",
        "Indflydelse (1-5)",
    )
    # The summary reads the Danish tables by their keys: the answer and the rating are in it.
    page = summary_html.html_summary(danish, language="da")
    assert "Lær af andre" in page and "Gennemsnit" in page


# --- sentences from the store and the input checks ---------------------------------------------


def find_code(code: str, lang: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    field = next(t for t in at.text_input if t.label in ("Workshop code", "Workshopkode"))
    field.input(code)
    next(b for b in at.button if b.label in ("Find workshop", "Find workshoppen", "Find")).click()
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("da", "Ingen workshop har den kode, du skrev (vist nedenfor, som du skrev den)"),
        (None, "No workshop has the code you typed (shown below as typed)"),
    ],
)
def test_a_refused_join_code_is_said_in_the_phones_language(
    app_db: Path, lang: str | None, said: str
) -> None:
    at = find_code("ZZZ-999", lang)
    assert [e.value for e in at.error if e.value.startswith(said)], [e.value for e in at.error]


def test_a_too_long_answer_is_refused_in_the_phones_language(app_db: Path) -> None:
    store = app_store(app_db)
    from workbook.models import WorkshopCreate

    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Forår", cause="Bolig"))
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    too_long = "a" * (MAX_REFLECTION_CHARS + 1)
    said = {}
    for group, lang in (("Bord 1", None), ("Table 2", "en")):
        _, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
        at = AppTest.from_file(APP, default_timeout=30)
        at.query_params.update({"w": workshop.join_code, "t": token})
        if lang:
            at.query_params["lang"] = lang
        at.run()
        at.text_area[0].input(too_long)
        next(b for b in at.button if b.label in ("Gem svar", "Save answers")).click()
        at.run()
        assert not at.exception, at.exception
        said[group] = "\n".join(e.value for e in at.error)
    assert "Svar: 5.001 tegn er for mange; grænsen er 5.000." in said["Bord 1"], said
    assert "Answer is too long: 5,001 characters, the limit is 5,000." in said["Table 2"], said


def test_input_checks_and_store_errors_say_their_sentence_in_the_language_asked() -> None:
    with pytest.raises(ValidationError) as caught:
        JoinRequest(group_name="Bord\x07 1")
    assert plain_errors(caught.value, JoinRequest) == [
        "Group name contains an invisible control character (U+0007); please retype it."
    ]
    assert plain_errors(caught.value, JoinRequest, "da") == [
        "Gruppens navn: indeholder et usynligt styretegn (U+0007); skriv det venligst igen."
    ]
    refused = WrongJoinCodeError("")
    assert str(refused).startswith("No workshop has the code you typed: nothing was typed")
    danish = translations("da").gettext
    assert refused.shown(danish).startswith("Ingen workshop har den kode, du skrev: der blev")
    # A plan change refused, in both languages.
    with pytest.raises(plan_edit.PlanEditError) as plan_refused:
        plan_edit.remove_step(_one_step_plan(), 0)
    assert str(plan_refused.value) == "A plan needs at least one step."
    assert plan_refused.value.shown(danish) == "En plan skal have mindst ét trin."


def _one_step_plan():
    from workbook.plans import Plan

    return Plan.model_validate(
        {
            "id": "one",
            "title": "One",
            "session_minutes": 30,
            "steps": [{"lesson": "a", "minutes": 1}],
        }
    )


def test_the_minutes_line_in_both_languages() -> None:
    plan = _one_step_plan()
    assert minutes_line(plan) == "Total 1 of 30 minutes"
    assert minutes_line(plan, translations("da")) == "I alt 1 af 30 minutter"


# --- the start page without a join link --------------------------------------------------------


def start_page(locale: str | None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["locale"] = locale
    if lang:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_start_page_starts_in_the_browsers_language_and_the_choice_wins(
    app_db: Path,
) -> None:
    tabs = [t.label for t in start_page("da-DK").tabs]
    assert "Deltag i en workshop" in tabs
    assert "Join a workshop" in [t.label for t in start_page("en-GB").tabs]
    assert "Join a workshop" in [t.label for t in start_page("fr-FR").tabs]  # not one we have
    assert "Join a workshop" in [t.label for t in start_page(None).tabs]
    # ?lang wins over the browser, and so does the picker.
    assert "Join a workshop" in [t.label for t in start_page("da-DK", lang="en").tabs]
    at = start_page("da-DK")
    [picker] = [g for g in at.get("button_group") if (g.key or "").startswith("i18n_pick_")]
    picker.set_value("en").run()
    assert not at.exception, at.exception
    assert "Join a workshop" in [t.label for t in at.tabs]
    assert at.query_params["lang"] == "en"


def test_a_join_link_keeps_the_workshops_language_whatever_the_browser(app_db: Path) -> None:
    store = app_store(app_db)
    from workbook.models import WorkshopCreate

    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.context["locale"] = "da-DK"
    at.query_params["w"] = workshop.join_code
    at.run()
    assert not at.exception, at.exception
    assert "Join a workshop" in [t.label for t in at.tabs]


def test_a_refused_plan_title_names_the_field_in_both_languages(lessons: LessonSet) -> None:
    with pytest.raises(plan_edit.PlanEditError) as refused:
        plan_edit.set_details(everything(lessons), title="  ", session_minutes=90)
    assert str(refused.value) == "The plan's title is needed."
    assert refused.value.shown(translations("da").gettext) == "Planens titel skal udfyldes."
