"""The last English in Danish workshops, gone: the stakeholder words in the exports' cells,
the pages' names in the sidebar and on the tabs, a map file's import result."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from tests.language_helpers import APP, DANISH_PAGES, ENGLISH_PAGES, app_store, danish_workshop
from workbook.models import JoinRequest, StakeholderIn, TieStrength


def page_names(at: AppTest) -> set[str]:
    """The pages' names as app.py gave them to st.navigation in the last run (the sidebar's
    entries, and the browser tab's title). AppTest draws no sidebar menu, so they are read
    from the pages it registered (a private attribute of AppTest, read-only, tests only)."""
    return {str(page["page_name"]) for page in at._registered_pages.values()}


def stakeholder(name: str, band: str, tie: str) -> StakeholderIn:
    return StakeholderIn(
        name=name, kind="Community group", influence=3, band=band, tie=tie, energy_hours=2
    )


# --- the sidebar's page names ------------------------------------------------------------------


def test_a_resume_link_to_a_danish_console_names_the_pages_in_danish_from_the_first_draw(
    app_db: Path,
) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    token = store.new_resume_link(workshop_id=workshop.id)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert page_names(at) >= ENGLISH_PAGES  # no workshop yet: the browser's language, English
    at.switch_page("pages/facilitator.py")
    at.query_params["r"] = token
    at.run()  # the run that opens the link: the sidebar is drawn before the console signs in
    assert not at.exception, at.exception
    assert at.title[0].value == "Facilitatorkonsol"
    assert page_names(at) >= DANISH_PAGES
    assert not ENGLISH_PAGES & page_names(at)


def test_a_join_link_to_a_danish_workshop_names_the_pages_in_danish(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = workshop.join_code
    at.run()
    assert not at.exception, at.exception
    assert page_names(at) >= DANISH_PAGES


def test_a_participant_in_a_danish_workshop_sees_danish_page_names_and_english_after_choosing(
    app_db: Path,
) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    _, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    assert not at.exception, at.exception
    assert {"Arbejdsbog", "Vores resultater", "Interessentkort"} <= page_names(at)
    assert [p.label for p in at.get("page_link")][:3] == ["Arbejdsbog", "Resultater", "Kort"]

    # An English phone in the same workshop (its own choice, kept in the address).
    english = AppTest.from_file(APP, default_timeout=30)
    english.query_params.update({"w": workshop.join_code, "t": token, "lang": "en"})
    english.run()
    assert not english.exception, english.exception
    assert {"Workbook", "Our results", "Stakeholder map"} <= page_names(english)
    assert "Arbejdsbog" not in page_names(english)
    assert [p.label for p in english.get("page_link")][:3] == ["Workbook", "Results", "Map"]


# --- the exports' stakeholder words ------------------------------------------------------------


def test_a_danish_workshops_exports_word_bands_and_ties_in_danish(app_db: Path) -> None:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    store.import_map(
        group_id=seat.group.id,
        stakeholders=[
            stakeholder("Lejerforeningen", "passive_ally", "strong"),
            stakeholder("Kommunen", "neutral", "none"),
        ],
        ties=[(0, 1, TieStrength.weak)],
        replace=True,
    )
    token = store.new_resume_link(workshop_id=workshop.id)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("pages/facilitator.py")
    at.query_params["r"] = token
    at.run()
    at.button(key="facilitator_export_prepare").click().run()
    assert not at.exception, at.exception
    files = at.session_state["facilitator_exports_prepared"].files

    with zipfile.ZipFile(io.BytesIO(files["csv"])) as archive:
        [people] = [n for n in archive.namelist() if n.endswith("/stakeholders.csv")]
        [ties] = [n for n in archive.namelist() if n.endswith("/ties.csv")]
        rows = list(csv.reader(io.StringIO(archive.read(people).decode("utf-8-sig"))))
        tie_rows = list(csv.reader(io.StringIO(archive.read(ties).decode("utf-8-sig"))))
    by_name = {row[1]: row for row in rows[1:]}
    assert by_name["Lejerforeningen"][2:7] == ["Lokal gruppe", "3", "Passiv allieret", "", "Stærk"]
    assert by_name["Kommunen"][4] == "Neutral" and by_name["Kommunen"][6] == "Ingen forbindelse"
    assert tie_rows[1][3] == "Svag"

    book = openpyxl.load_workbook(io.BytesIO(files["xlsx"]), read_only=True)
    sheet = next(name for name in book.sheetnames if name.startswith("Interessent"))
    cells = [value for row in book[sheet].values for value in row]
    assert {"Passiv allieret", "Stærk", "Lokal gruppe"} <= set(cells)
    assert not {"Passive ally", "Strong", "Community group"} & set(cells)


# --- a map file's import, on a Danish phone ----------------------------------------------------


def danish_phone_on_map(app_db: Path) -> AppTest:
    store = app_store(app_db)
    workshop = danish_workshop(store)
    _, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, name: str, data: bytes) -> list[str]:
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return [t.value for t in at.text]


def test_a_refused_map_file_is_refused_in_danish(app_db: Path) -> None:
    at = danish_phone_on_map(app_db)
    shown = upload(at, "folk.csv", b"name,kind,influence,band\nAna,Media,3,neutral,ekstra\n")
    assert [e.value for e in at.error] == ["Denne fil kan ikke importeres; intet blev ændret."]
    assert (
        "folk.csv: række 2 har 5 celler, men første række navngiver 4 kolonner; sæt "
        "anførselstegn om en celle, der indeholder et komma, eller giv den ekstra kolonne et "
        "navn."
    ) in shown

    # A file that is no text at all: what it looks like, and the way out, in Danish.
    shown = upload(at, "kort.xlsx", b"PK\x03\x04" + b"\x00" * 64)
    assert (
        "kort.xlsx er ikke en tekstfil, men ligner et regneark eller en anden zippet fil "
        "(XLSX, ODS, ZIP); brug Gem som (eller Download som) i dit regneark, og vælg CSV UTF-8."
    ) in shown

    # A bad row: its place and its problem in Danish, beside the name as typed.
    shown = upload(
        at,
        "folk.csv",
        "name,kind,influence,band\nGod,Media,3,neutral\nHøj,Media,9,neutral\n".encode(),
    )
    assert at.error[0].value.startswith("1 række i filen skal rettes")
    assert any(line.startswith("• Række 3 (Høj): Indflydelse") for line in shown), shown


def test_a_map_files_notes_and_summary_are_in_danish(app_db: Path) -> None:
    at = danish_phone_on_map(app_db)
    data = (
        "name;kind;influence;band;tie;energy_hours;Farve\n"
        "Lejerforeningen ;Community group;3;passive_ally;strong;2;grøn\n"
        ";;;;;;\n"
        "Kommunen;Media;4;neutral;weak;;blå\n"
    ).encode("cp1252")
    shown = upload(at, "folk.csv", data)
    assert [i.value for i in at.info][-1] == "Klar til at importere 2 interessenter."
    assert "folk.csv: læst som Windows-1252, celler adskilt af semikoloner." in shown
    assert any(line.startswith("folk.csv er ikke UTF-8, så den blev læst som") for line in shown)
    assert 'Kolonner, som appen ikke bruger, blev udeladt: "Farve".' in shown
    assert "1 tom række sprunget over." in shown
    assert (
        "Der var ikke angivet timer for 1 interessent (Række 4): den tæller som 0 timer om "
        "måneden, indtil I angiver dens timer."
    ) in shown
    assert (
        "Fjernede mellemrum, tabulatorer eller linjeskift i enderne af 1 navn (række 2), som "
        "appen gør med alt, der skrives."
    ) in shown
    assert not any("read as" in line or "skipped" in line for line in shown), shown
    [add] = [b for b in at.button if b.label == "Tilføj dem til vores kort"]
    add.click()
    at.run()
    assert [w.value for w in at.warning] == [
        "1 af dem havde ingen timer i filen, så den tæller som 0 timer om måneden: "
        "energiafvejningen ser den som gratis, indtil I angiver dens timer, på dens kort under "
        "fanen Arbejdsark."
    ]


def test_numbers_in_a_map_files_sentences_are_written_the_danish_way() -> None:
    import json

    from workbook.i18n import format_decimal, gettext_for
    from workbook.map_import import read_map_files

    def danish(message: object) -> str:
        def number(value: float) -> str:
            return format_decimal(value, "da", digits=0 if float(value).is_integer() else 1)

        return message.text(gettext_for("da"), number)  # type: ignore[attr-defined]

    big = read_map_files([("stor.csv", b"name\n" + b"x" * 1_200_000)])
    assert big.problems == ("stor.csv is 1.2 MB; a map file is at most 1 MB.",)
    assert danish(big.refusals[0]) == "stor.csv fylder 1,2 MB; en kortfil må højst fylde 1 MB."

    many = [{"name": "P", "kind": "Media", "influence": 3, "band": "neutral"}] * 1234
    crowded = read_map_files([("kort.json", json.dumps(many).encode())])
    assert danish(crowded.refusals[0]) == (
        'kort.json: "stakeholders" indeholder 1.234; et kort kan højst have 500.'
    )
    assert crowded.problems[0].startswith('kort.json: "stakeholders" holds 1,234 of them')


# --- an uploaded plan file's problems ----------------------------------------------------------


def test_an_uploaded_plan_files_problems_are_framed_in_danish_naming_the_files_fields(
    lessons: object,
) -> None:
    from workbook.i18n import gettext_for
    from workbook.plans import plan_problems, read_plan

    _ = gettext_for("da")
    [broken] = read_plan(b"id: x\ntitle: [unclosed\n", "plan.yaml")[1]
    assert broken.shown(_).startswith("plan.yaml: er ikke gyldig YAML (linje 3)")
    assert str(broken).startswith("plan.yaml: is not valid YAML (line 3)")
    [not_text] = read_plan(b"\x00\x01\x02" * 10, "plan.yaml")[1]
    assert not_text.shown(_) == (
        "plan.yaml: filen ligner UTF-16 uden byte-order mark; gem den som UTF-8"
    )
    plan, found = read_plan(
        b"id: aften\ntitle: Aften\nsession_minutes: 60\nsteps:\n  - lesson: ikke-her\n"
        b"    minutes: 10\n",
        "aften.yaml",
    )
    assert plan is not None and not found
    [missing] = plan_problems(lessons, plan)  # type: ignore[arg-type]
    assert missing.shown(_) == (
        "plan 'aften': steps.1.lesson: lektionen 'ikke-her' findes ikke i lektionsfilerne; "
        "trinnet er udeladt"
    )
    assert str(missing).endswith("the lesson 'ikke-her' is not in the lesson files; step left out")
