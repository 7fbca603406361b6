"""The stakeholder map in the session's language (AppTest): a Danish workshop's map page and
its lessons' map exercises speak Danish, words, figures and sentences alike, while a phone in
the same workshop switched to English sees English; the map's files stay the same in both."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.map_csv import stakeholders_csv
from workbook.map_import import read_map_files
from workbook.map_json import map_json
from workbook.models import (
    JoinRequest,
    SpectrumBand,
    StakeholderIn,
    TieStrength,
    WorkshopCreate,
)
from workbook.records import Workshop
from workbook.store import Store
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")

# What the English map page says that a Danish one must not (labels this branch translated).
ENGLISH_LABELS = (
    "Our stakeholder map",
    "Show the map as",
    "List view",
    "Add a stakeholder",
    "Add this stakeholder",
    "Save changes",
    "Worksheet",
    "Influence and position",
    "Spectrum of allies",
    "Brokers",
    "Single points of failure",
    "Bridging and bonding",
    "Why these",
    "Change the hours, or overrule the proposal",
    "Name this snapshot",
    "Whole map (JSON)",
    "stakeholders,",
    "energy budget",
    "Institution or decision-maker",
    "Passive ally",
    "our tie:",
    "Proposed:",
)


def _store(app_db: Path) -> Store:
    return _open_store(str(app_db))


def _danish_room_with_a_map(store: Store) -> tuple[Workshop, list[str]]:
    """A Danish workshop whose group has three stakeholders and a tie; two phones' tokens."""
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Forårsdag", cause="Bolig"))
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    seat, first = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Bord 1"))
    store.import_map(
        group_id=seat.group.id,
        stakeholders=[
            StakeholderIn(
                name="Byrådet",
                kind="Institution or decision-maker",
                influence=5,
                band=SpectrumBand.neutral,
                target_band=SpectrumBand.passive_ally,
                energy_hours=4.5,
            ),
            StakeholderIn(
                name="Lejerforeningen",
                kind="Community group",
                influence=3,
                band=SpectrumBand.active_ally,
                tie=TieStrength.strong,
                energy_hours=2,
            ),
            StakeholderIn(
                name="Lokalavisen", kind="Media", influence=2, band=SpectrumBand.passive_ally
            ),
        ],
        ties=[(0, 1, TieStrength.weak)],
        replace=True,
    )
    # The same group's link opened on a second phone.
    return workshop, [first, first]


def _phone(workshop: Workshop, token: str, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update({"w": workshop.join_code, "t": token})
    if lang is not None:
        at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _words(at: AppTest) -> str:
    """Everything the page says: titles, text, captions, markdown, buttons, tabs, labels,
    choices, alerts and the figures (titles, axes, legends, hover text)."""
    parts: list[Any] = []
    for kind in ("title", "subheader", "caption", "markdown", "text", "info", "warning"):
        parts += [e.value for e in at.get(kind)]
    parts += [b.label for b in at.button] + [t.label for t in at.tabs]
    parts += [p.value for p in at.get("page_link")]
    for kind in ("text_input", "text_area", "number_input", "checkbox", "selectbox"):
        parts += [w.label for w in at.get(kind)]
    for group in at.get("button_group"):
        parts += [str(group.proto)]
    parts += [str(s.options) for s in at.selectbox]
    for chart in at.get("plotly_chart"):
        # An annotation's `name` is the tests' handle on it ("missing:Media"), never shown.
        parts.append(re.sub(r"'name': '\w+:[^']*'", "", str(json.loads(chart.proto.spec))))
    parts += [str(b.proto.label) for b in at.get("download_button")]
    return "\n".join(str(part) for part in parts)


def _open_map(at: AppTest) -> str:
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return _words(at)


def _open_lesson(at: AppTest, title: str) -> str:
    at.switch_page("pages/workbook.py").run()
    [jump] = [b for b in at.selectbox if any(str(o).endswith(title) for o in b.options)]
    jump.set_value(next(i for i, o in enumerate(jump.options) if str(o).endswith(title))).run()
    assert not at.exception, at.exception
    assert at.title[-1].value == title
    return _words(at)


def test_a_danish_workshops_map_page_speaks_danish(app_db: Path) -> None:
    store = _store(app_db)
    workshop, (token, _) = _danish_room_with_a_map(store)
    page = _open_map(_phone(workshop, token))
    for danish in (
        "Vores interessentkort",  # the title
        "3 interessenter, 1 forbindelse mellem dem; energibudget 20 timer om måneden.",
        "Arbejdsark",  # the tabs
        "Forbindelser",
        "Visninger",
        "Målinger",
        "Afvejning",
        "Over tid",
        "Vis kortet som",  # the list of cards a phone opens on
        "Liste",
        "Tilføj en interessent",
        "Tilføj denne interessent",
        "Navn (påkrævet)",
        # a card: the kind, the bands and the hours as Danish writes them
        "Institution eller beslutningstager · indflydelse 5 · Neutral · mål: passiv allieret · "
        "ingen forbindelse til os · 4,5 t om måneden",
        "Indflydelse og placering",  # the views and their figures
        "Placering på spektret af allierede",
        "Hvem betyder noget, og hvor står de",
        "Inddrag tæt",
        "Mellemled",  # the measures, with the domain's sentences
        "Sårbare punkter",
        "Brobyggende og samlende",
        "Kortet har 3 af de 8 typer af interessenter (jævnhed 0,53 af 1); mangler:",
        "Mennesker med egne erfaringer",
        "Vores energibudget til relationer (timer om måneden)",  # the trade-off
        "Forslag: 3 relationer",
        "Hvorfor disse",
        "Investér i",
        "Navngiv dette øjebliksbillede",  # over time
        "Hele kortet (JSON)",  # files
    ):
        assert danish in page, danish
    for english in ENGLISH_LABELS:
        assert english not in page, english


def test_a_danish_workshops_map_exercises_speak_danish(app_db: Path) -> None:
    store = _store(app_db)
    workshop, (token, _) = _danish_room_with_a_map(store)
    at = _phone(workshop, token)
    page = _open_lesson(at, "Netværk, koalitioner og allierede")
    assert "Øvelse: kortlæg jeres interessenter" in page
    assert "Åbn hele vores interessentkort" in page
    assert "Hvem betyder noget, og hvor står de" in page  # the grid's title
    assert "Exercise:" not in page and "Add a stakeholder" not in page

    page = _open_lesson(at, "Forskellige stemmer")
    assert "Øvelse: hvis stemmer er på vores kort?" in page
    assert "- Mennesker med egne erfaringer" in page  # a missing kind, in Danish
    assert "Hvilke stemmer er på vores kort" in page  # the figure
    assert "People with lived experience" not in page and "Talk it through" not in page

    page = _open_lesson(at, "Afvejninger i relationer")
    assert "Øvelse: hvor skal vores energi gå hen?" in page
    assert "Forslag: 3 relationer" in page
    assert "Indsats og gevinst: de foreslåede investeringer" in page
    assert "Why these" not in page and "Proposed:" not in page


def test_an_english_phone_in_the_danish_workshop_sees_the_map_in_english(app_db: Path) -> None:
    store = _store(app_db)
    workshop, (first, second) = _danish_room_with_a_map(store)
    english = _phone(workshop, first, lang="en")
    danish = _phone(workshop, second)
    page = _open_map(english)
    for label in (
        "Our stakeholder map",
        "3 stakeholders, 1 tie between them; energy budget 20 hours a month.",
        "Worksheet",
        "Add a stakeholder",
        "Institution or decision-maker · influence 5 · Neutral · aim: passive ally",
        "Position on the spectrum of allies",
        "Brokers",
        "Proposed: 3 relationships",
    ):
        assert label in page, label
    for word in ("interessent", "Arbejdsark", "Forslag", "Mellemled"):
        assert word not in page, word
    # The other phone of the same group, on the same server, still reads Danish.
    assert "Vores interessentkort" in _open_map(danish)


def test_the_maps_files_are_the_same_in_every_language(app_db: Path) -> None:
    """A Danish workshop's export re-imports into an English one: the files keep the stored,
    English values and column names; only what people read is translated. A file typed by
    people in Danish ("Passiv allieret", "Lokal gruppe", "ja") imports too."""
    store = _store(app_db)
    _danish_room_with_a_map(store)
    [group_id] = [
        g for g in range(1, 5) if store.stakeholder_map(group_id=g).stakeholders
    ]  # the one group with a map
    current = store.stakeholder_map(group_id=group_id)
    rows = list(csv.DictReader(io.StringIO(stakeholders_csv(current).decode("utf-8-sig"))))
    assert list(rows[0])[:5] == ["ref", "name", "kind", "influence", "band"]
    assert (rows[0]["kind"], rows[0]["band"]) == ("Institution or decision-maker", "Neutral")
    back = read_map_files([("kort.json", map_json(current))])
    assert back.ok
    assert [s.kind for s in back.stakeholders] == [s.kind for s in current.stakeholders]

    typed = (
        "name,kind,influence,band,target_band,tie,energy_hours,must_invest\n"
        'Naboerne,Lokal gruppe,2,Passiv allieret,aktiv allieret,Stærk,"1,5",ja\n'
        "Kommunen,Institution eller beslutningstager,5,Passiv modstand,,ingen forbindelse,2,nej\n"
    ).encode()
    danish = read_map_files([("interessenter.csv", typed)])
    assert danish.ok, (danish.problems, danish.row_problems)
    first, second = danish.stakeholders
    assert (first.kind, first.band, first.target_band, first.tie) == (
        "Community group",
        SpectrumBand.passive_ally,
        SpectrumBand.active_ally,
        TieStrength.strong,
    )
    assert (first.energy_hours, first.must_invest) == (1.5, True)
    assert (second.kind, second.band, second.tie) == (
        "Institution or decision-maker",
        SpectrumBand.passive_opposition,
        TieStrength.none,
    )


def test_a_danish_card_form_says_what_is_missing_in_danish(app_db: Path) -> None:
    store = _store(app_db)
    workshop, (token, _) = _danish_room_with_a_map(store)
    at = _phone(workshop, token)
    _open_map(at)
    [name] = [t for t in at.text_input if t.label == "Navn (påkrævet)"]
    name.input("Naboerne")
    [add] = [b for b in at.button if b.label == "Tilføj denne interessent"]
    add.click().run()
    assert not at.exception, at.exception
    said = _words(at) + "\n".join(str(e.value) for e in at.error)
    assert "Type skal udfyldes." in said
    assert "Indflydelse skal udfyldes." in said
    assert "Hvor de står skal udfyldes." in said
    assert "is required" not in said
