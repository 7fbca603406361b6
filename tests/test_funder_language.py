"""The funders' page in the reader's language (issue 18): a funder is in no workshop, so the
page starts in English and the phones' English / Dansk choice switches it, kept in the address
(`?lang=da`). Words, chart text, table headers and downloads follow; numbers are written as
the language writes them; the figures themselves are the same."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.test_funder_pages import (  # noqa: F401 (fixtures used by name)
    KEY,
    charts,
    downloads,
    funder_key,
    funder_page,
    released_db,
    released_file,
    rendered,
)
from workbook.config import PROJECT_ROOT
from workbook.lesson_languages import load_in
from workbook.models import STAKEHOLDER_KINDS
from workbook.release import tables
from workbook.release.view import Estimate, mean_text

ENGLISH = ["Key findings: how groups rate themselves", "In their words", "Participants"]
DANISH = ["Hovedfund: sådan vurderer grupperne sig selv", "Med deres ord", "Deltagere"]


def choose_language(at: AppTest, code: str) -> AppTest:
    [picker] = [g for g in at.get("button_group") if (g.key or "").startswith("i18n_pick_")]
    picker.set_value(code).run()
    assert not at.exception, at.exception
    return at


def sign_in_as(at: AppTest, label: str, button: str) -> AppTest:
    [box] = [t for t in at.text_input if t.label == label]
    box.input(KEY)
    [open_view] = [b for b in at.button if b.label == button]
    open_view.click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_funders_page_starts_in_english(released_db: Path, funder_key: str) -> None:  # noqa: F811
    at = funder_page()
    assert at.title[0].value == "For funders"
    assert [g for g in at.get("button_group") if (g.key or "").startswith("i18n_pick_en")]
    at = sign_in_as(at, "Funder key", "Open the funder view")
    page = rendered(at)
    for english in ENGLISH:
        assert english in page
    assert [t.label for t in at.tabs] == ["Ratings", "Change", "Maps", "In their words"]
    for danish in DANISH:
        assert danish not in page


def test_the_funders_page_in_danish_shows_danish_words_numbers_and_files(
    released_db: Path,  # noqa: F811
    funder_key: str,  # noqa: F811
    downloads: list[tuple[str, bytes]],  # noqa: F811
) -> None:
    at = choose_language(funder_page(), "da")
    assert at.query_params["lang"] == "da"
    assert at.title[0].value == "For bevillingsgivere"
    assert any("Denne visning er for bevillingsgivere" in m.value for m in at.markdown)
    at = sign_in_as(at, "Nøgle for bevillingsgivere", "Åbn visningen for bevillingsgivere")
    page = rendered(at)
    for danish in DANISH:
        assert danish in page
    for english in [*ENGLISH, "too few groups to say", "Table and downloads"]:
        assert english not in page
    assert [t.label for t in at.tabs] == ["Vurderinger", "Ændring", "Kort", "Med deres ord"]
    assert [m.label for m in at.metric[:4]] == [
        "Workshops",
        "Grupper",
        "Deltagere",
        "Interessentkort",
    ]
    assert "Alle tal her har tilfældig støj lagt til" in page
    assert "Det, der beskyttes, er én gruppe" in page  # the guarantee, under its expander
    assert at.expander[0].label == "Sådan beskytter tallene hver gruppe"
    assert [b.label for b in at.button if b.key == "funders_sign_out"] == ["Log ud"]
    assert at.selectbox(key="funders_period").label == "Periode"
    assert at.selectbox(key="funders_period").options[0] == "Alle år"

    # The lessons and statements in their Danish wording (lessons/da), the charts' words in
    # Danish and their numbers with a decimal comma.
    danish_lessons = load_in(PROJECT_ROOT / "lessons", "da")
    statements = {s.text for lesson in danish_lessons.lessons for s in lesson.ratings}
    titles = {lesson.title for lesson in danish_lessons.lessons if lesson.prompts}
    assert set(at.selectbox(key="funders_lesson").options) == titles
    for frame in at.dataframe:  # the statements' table, when one of its means is known
        if "Udsagn" in frame.value.columns:
            assert set(frame.value["Udsagn"]) <= statements
    figures = charts(at)
    chart_text = json.dumps(figures, ensure_ascii=False)
    assert "gennemsnit " in chart_text and "Gennemsnitlig vurdering (1-5)" in chart_text
    assert all(figure["layout"]["separators"] == ",." for figure in figures)
    means = [
        a["text"]
        for figure in figures
        for a in figure["layout"].get("annotations", [])
        if a["text"].startswith("gennemsnit ")
    ]
    assert means
    for mean in means:
        assert re.match(r"gennemsnit \d,\d{1,2} ± \d,\d{1,2}(<br>| · |$)", mean), mean

    # The table and the downloads under each chart, with Danish headers.
    headers = [list(frame.value.columns) for frame in at.dataframe]
    assert ["Hovedfund", "Gruppevurderinger", "Gruppevurderinger, margen"] in [
        h[:3] for h in headers
    ]
    files = dict(downloads)
    text = files["key-findings.csv"].decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:4] == ["Periode", "Sag eller bevægelse", "Region", "Hovedfund"]
    assert "Gennemsnit (1-5)" in header and "Bemærkning" in header


def test_numbers_and_kinds_in_danish() -> None:
    assert Estimate(1234.4, 22.6).text("count", "da") == "1.234 ± 23"
    assert Estimate(1234.4, 22.6).text("count") == "1,234 ± 23"
    assert Estimate(0.42, 0.031).text("share", "da") == "42\xa0% ± 3 procentpoint"
    assert mean_text(3.14, 0.21, signed=True, code="da") == "+3,1 ± 0,2"
    assert mean_text(3.14, 0.21) == "3.1 ± 0.2"
    # Every stakeholder kind the release measures has a word in the catalog.
    assert set(tables.KIND_WORDS) == set(STAKEHOLDER_KINDS)
