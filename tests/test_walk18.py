"""The Danish walk-through's findings (issue 18): file names that keep Æ, Ø and Å readable,
and the other fixes the tester asked for."""

from __future__ import annotations

from pathlib import Path

from tests.test_language_pages import app_store, choose_language, danish_workshop, phone, words
from workbook import export
from workbook.keys import slug
from workbook.lessons import LessonSet
from workbook.map_file import export_name
from workbook.models import WorkshopCreate
from workbook.plans.edit import slug_words
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
