"""The Danish walk-through's findings (issue 18): file names that keep Æ, Ø and Å readable,
and the other fixes the tester asked for."""

from __future__ import annotations

from workbook import export
from workbook.keys import slug
from workbook.lessons import LessonSet
from workbook.map_file import export_name
from workbook.models import WorkshopCreate
from workbook.plans.edit import slug_words
from workbook.store import Store
from workbook.ui import funder_words


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
