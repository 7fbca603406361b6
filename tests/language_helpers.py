"""What the language tests share: the app, its store, a Danish workshop made in the store or
on the start page, and the page names in each language."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.models import WorkshopCreate
from workbook.records import Workshop
from workbook.store import Store
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
DANISH_PAGES = {"Deltag eller start", "Facilitatorkonsol", "Projektorskærm", "For bevillingsgivere"}
ENGLISH_PAGES = {"Join or start", "Facilitator console", "Projector screen", "For funders"}


def app_store(app_db: Path) -> Store:
    """The store the app run by AppTest uses (the same open store, not a second one)."""
    return _open_store(str(app_db))


def danish_workshop(store: Store) -> Workshop:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Forårsdag", cause="Bolig"))
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    return workshop


def create_danish_workshop(at: AppTest) -> None:
    """On the start page: a Danish workshop, created, its console opened."""
    [language] = [s for s in at.selectbox if s.label == "The workshop's language"]
    language.set_value("da")
    next(t for t in at.text_input if t.label == "Workshop title").input("Forårsdag")
    next(t for t in at.text_input if t.label == "Cause or movement").input("Bolig")
    next(b for b in at.button if b.label == "Create workshop").click()
    at.run()
    assert not at.exception, at.exception
    # Signed in to a Danish workshop by creating it: the app speaks its language.
    next(b for b in at.button if b.label == "Åbn konsollen").click()
    at.run()
    assert not at.exception, at.exception
