"""The map's list view (workbook/ui/map_cards.py) through the real app with AppTest: every
stakeholder field and every tie added, edited and removed one card at a time, with the
worksheets' own checks; an incomplete form says what is missing and keeps what was typed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.models import SpectrumBand, TieStrength
from workbook.stakeholders.saved import StakeholderChanges
from workbook.ui import resources

APP = str(PROJECT_ROOT / "app.py")
DECISION = "Institution or decision-maker"


def _button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def _run(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, at.exception
    return at


def _on_map(group: str = "Phone table") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    for label, value in (
        ("Workshop title", "Phone day"),
        ("Cause or movement", "Housing justice"),
        ("Your group's name (required for self-guided)", group),
    ):
        [box] = [t for t in at.text_input if t.label == label]
        box.input(value)
    at.radio[0].set_value("Self-guided: our group works through it alone")
    _button(at, "Create workshop").click()
    _run(at)
    at.switch_page("pages/map.py")
    return _run(at)


def _widget(at: AppTest, kind: str, prefix: str, field: str) -> Any:
    found = [w for w in getattr(at, kind) if w.key and w.key.startswith(prefix)]
    found = [w for w in found if w.key.endswith(f"_{field}")]
    assert found, f"no {kind} {prefix}..._{field}"
    return found[0]


def _fill_person(at: AppTest, prefix: str, **values: Any) -> None:
    kinds = {
        "name": "text_input",
        "kind": "selectbox",
        "influence": "segmented_control",
        "band": "selectbox",
        "target": "selectbox",
        "tie": "segmented_control",
        "hours": "number_input",
        "note": "text_area",
        "nob": "checkbox",
        "must": "checkbox",
    }
    for field, value in values.items():
        widget = _widget(at, kinds[field], prefix, field)
        if kinds[field] == "checkbox":
            widget.check() if value else widget.uncheck()
        elif kinds[field] in ("text_input", "text_area"):
            widget.input(value)
        else:
            widget.set_value(value)


def _errors(at: AppTest) -> str:
    return "\n".join(e.value for e in at.error)


def _group_map(at: AppTest, app_db: Path) -> Any:
    """The group's map as stored, read through the app's own store (this process holds the
    file)."""
    store = resources.store()
    assert store.path == app_db
    seat = store.seat(at.session_state["session_participant_id"])
    assert seat is not None
    return store.stakeholder_map(group_id=seat.group.id)


def test_the_map_opens_as_a_list_with_a_table_view_one_tap_away(app_db: Path) -> None:
    at = _on_map()
    [choice] = [s for s in at.segmented_control if s.key == "map_view"]
    assert choice.value == "List view"
    assert not at.data_editor  # no grid in the list view
    assert any(s.value == "Add a stakeholder" for s in at.subheader)
    labels = [t.label for t in at.text_input]
    assert "Name (required)" in labels
    choice.set_value("Table view")
    _run(at)
    assert at.data_editor, "the table view shows the worksheets"


def test_an_incomplete_stakeholder_is_refused_with_what_is_missing_and_kept(
    app_db: Path,
) -> None:
    at = _on_map()
    _fill_person(at, "map_new_", name="Council")
    _button(at, "Add this stakeholder").click()
    _run(at)
    errors = _errors(at)
    assert "Kind is required" in errors
    assert "Influence is required" in errors
    # Each field named as the form labels it (the worksheet's own titles differ).
    assert "• Where they stand is required." in errors.split("\n")  # no list of bands
    assert "spectrum of allies is required" not in errors
    assert _widget(at, "text_input", "map_new_", "name").value == "Council"  # kept
    assert _group_map(at, app_db).is_empty

    # Nothing at all filled in: said so, never dropped without a word.
    at2 = _on_map("Empty table")
    _fill_person(at2, "map_new_", name="")
    _button(at2, "Add this stakeholder").click()
    _run(at2)
    assert "Nothing was filled in" in _errors(at2)


def test_a_stakeholder_added_edited_in_every_field_and_removed(app_db: Path) -> None:
    at = _on_map()
    _fill_person(
        at,
        "map_new_",
        name="City council",
        kind=DECISION,
        influence=5,
        band=SpectrumBand.passive_opposition,
    )
    _button(at, "Add this stakeholder").click()
    _run(at)
    assert [s.value for s in at.success] == ["Saved: 1 stakeholder added."]
    [person] = _group_map(at, app_db).stakeholders
    assert (person.name, person.kind, person.influence, person.band, person.energy_hours) == (
        "City council",
        DECISION,
        5,
        SpectrumBand.passive_opposition,
        1.0,
    )
    assert any(t.value == f"City council (#{person.id})" for t in at.text)

    _button(at, f"Edit #{person.id}").click()
    _run(at)
    prefix = f"map_p{person.id}_"
    _fill_person(
        at,
        prefix,
        name="Mayor's office",
        kind="Media",
        influence=2,
        band=SpectrumBand.neutral,
        target=SpectrumBand.passive_ally,
        tie=TieStrength.strong,
        hours=2.5,
        note="Met in May",
        nob=True,
        must=True,
    )
    _button(at, "Save changes").click()
    _run(at)
    assert [s.value for s in at.success] == ["Saved: 1 stakeholder changed."]
    [edited] = _group_map(at, app_db).stakeholders
    assert edited.model_dump() == {
        "id": person.id,
        "name": "Mayor's office",
        "kind": "Media",
        "influence": 2,
        "band": SpectrumBand.neutral,
        "target_band": SpectrumBand.passive_ally,
        "tie": TieStrength.strong,
        "energy_hours": 2.5,
        "note": "Met in May",
        "not_our_battle": True,
        "must_invest": True,
    }

    # The card stays open after a save, showing what was saved (no jump on a phone).
    assert _widget(at, "text_input", f"map_p{person.id}_", "name").value == "Mayor's office"
    # A bad edit (hours past the limit, name emptied) is refused and changes nothing.
    _fill_person(at, f"map_p{person.id}_", name="", hours=900.0)
    _button(at, "Save changes").click()
    _run(at)
    assert "A stakeholder needs a name." in _errors(at)
    assert "too high" in _errors(at)
    assert _group_map(at, app_db).stakeholders == (edited,)

    _button(at, "Remove…").click()
    _run(at)
    assert any("Remove this stakeholder" in w.value for w in at.warning)
    _button(at, "Yes, remove").click()
    _run(at)
    assert [s.value for s in at.success] == ["Saved: 1 stakeholder removed."]
    # It names who went, as text (an apostrophe and all), in the removed card's place.
    [box] = [n for n in at.main if getattr(n, "key", None) == "map_gone_person"]
    [named] = [n.proto.body for n in box if n.type == "html" and "Removed from" in n.proto.body]
    assert "Removed from the map:" in named and "Mayor&#x27;s office" in named, named
    assert _group_map(at, app_db).is_empty


def test_ties_added_edited_refused_when_incomplete_or_twice_and_removed(app_db: Path) -> None:
    at = _on_map()
    for name in ("Ana", "Bo", "Cy"):
        _fill_person(
            at, "map_new_", name=name, kind="Media", influence=3, band=SpectrumBand.neutral
        )
        _button(at, "Add this stakeholder").click()
        _run(at)
    ana, bo, cy = _group_map(at, app_db).stakeholders
    assert [p.name for p in (ana, bo, cy)] == ["Ana", "Bo", "Cy"]

    _widget(at, "selectbox", "map_newtie_", "source").set_value(ana.id)
    _button(at, "Add this tie").click()
    _run(at)
    assert "Choose who the tie is to." in _errors(at)
    assert not _group_map(at, app_db).ties

    _widget(at, "selectbox", "map_newtie_", "target").set_value(ana.id)
    _button(at, "Add this tie").click()
    _run(at)
    assert "A tie needs two different stakeholders." in _errors(at)

    _widget(at, "selectbox", "map_newtie_", "target").set_value(bo.id)
    _button(at, "Add this tie").click()
    _run(at)
    assert "Added the tie." in [s.value for s in at.success]
    [tie] = _group_map(at, app_db).ties
    assert (tie.source_id, tie.target_id, tie.strength) == (ana.id, bo.id, TieStrength.weak)

    # The same two again: refused, naming why.
    _widget(at, "selectbox", "map_newtie_", "source").set_value(bo.id)
    _widget(at, "selectbox", "map_newtie_", "target").set_value(ana.id)
    _button(at, "Add this tie").click()
    _run(at)
    assert "already tied" in _errors(at)

    _button(at, f"Edit tie #{ana.id}–#{bo.id}").click()
    _run(at)
    prefix = f"map_t{ana.id}_{bo.id}_"
    _widget(at, "selectbox", prefix, "target").set_value(cy.id)
    _widget(at, "segmented_control", prefix, "strength").set_value(TieStrength.strong)
    _button(at, "Save changes").click()
    _run(at)
    assert "Saved the tie." in [s.value for s in at.success]
    [moved] = _group_map(at, app_db).ties
    assert (moved.source_id, moved.target_id, moved.strength) == (
        ana.id,
        cy.id,
        TieStrength.strong,
    )

    _button(at, f"Edit tie #{ana.id}–#{cy.id}").click()
    _run(at)
    _button(at, "Remove…").click()
    _run(at)
    _button(at, "Yes, remove").click()
    _run(at)
    assert "Removed the tie." in [s.value for s in at.success]
    # Said in the removed card's place (the last, so below the list), not above the list.
    [box] = [n for n in at.main if getattr(n, "key", None) == "map_gone_tie"]
    assert [n.value for n in box if n.type == "success"] == ["Removed the tie."]
    [named] = [n.proto.body for n in box if n.type == "html" and "Removed from" in n.proto.body]
    assert "Ana" in named and "Cy" in named and "Bo" not in named, named
    assert not _group_map(at, app_db).ties


def test_required_choices_cannot_be_tapped_empty_and_speak_of_the_form(app_db: Path) -> None:
    """A second tap on a chosen influence, our tie or a tie's strength keeps it chosen (the
    control is required), and a sentence about a choice names the form, never a table row."""
    at = _on_map()
    for field in ("influence", "tie"):
        assert _widget(at, "segmented_control", "map_new_", field).proto.required, field
    for name in ("Ana", "Bo"):
        _fill_person(
            at,
            "map_new_",
            name=name,
            kind="Media",
            influence=3,
            band=SpectrumBand.neutral,
            hours=900.0 if name == "Bo" else 1.0,
        )
        _button(at, "Add this stakeholder").click()
        _run(at)
    # Bo's hours were refused, in the form's words: "Hours a month", as it is labelled.
    assert "Hours a month is too high" in _errors(at)
    assert "Energy per month" not in _errors(at)
    _fill_person(at, "map_new_", hours=2.0)
    _button(at, "Add this stakeholder").click()
    _run(at)
    ana, bo = _group_map(at, app_db).stakeholders

    strength = _widget(at, "segmented_control", "map_newtie_", "strength")
    assert strength.proto.required
    assert strength.value == TieStrength.weak
    _widget(at, "selectbox", "map_newtie_", "source").set_value(ana.id)
    _widget(at, "selectbox", "map_newtie_", "target").set_value(bo.id)
    strength.set_value(None)  # what a browser no longer lets happen; said in the form's words
    _button(at, "Add this tie").click()
    _run(at)
    errors = _errors(at)
    assert "Choose a strength: weak or strong." in errors
    assert "row" not in errors.casefold()

    _button(at, f"Edit #{ana.id}").click()
    _run(at)
    for field in ("influence", "tie"):
        assert _widget(at, "segmented_control", f"map_p{ana.id}_", field).proto.required


def test_saving_another_card_keeps_the_add_forms_as_they_are(app_db: Path) -> None:
    """What is half typed in an add form lives in the browser until that form is sent (AppTest
    holds it back the same way), so it survives as long as the form's widgets keep their keys:
    a save in another card must not give them new ones (tests/test_phone_map_browser.py types
    and sees it kept)."""
    at = _on_map()
    for name in ("Ana", "Bo"):
        _fill_person(
            at, "map_new_", name=name, kind="Media", influence=3, band=SpectrumBand.neutral
        )
        _button(at, "Add this stakeholder").click()
        _run(at)
    ana, _ = _group_map(at, app_db).stakeholders
    person_keys = sorted(w.key for w in at.text_input if w.key.startswith("map_new_"))
    tie_keys = sorted(w.key for w in at.selectbox if w.key.startswith("map_newtie_"))
    assert person_keys and tie_keys

    _button(at, f"Edit #{ana.id}").click()
    _run(at)
    _fill_person(at, f"map_p{ana.id}_", influence=5)
    _button(at, "Save changes").click()
    _run(at)
    assert "Saved: 1 stakeholder changed." in [s.value for s in at.success]
    assert sorted(w.key for w in at.text_input if w.key.startswith("map_new_")) == person_keys
    assert sorted(w.key for w in at.selectbox if w.key.startswith("map_newtie_")) == tie_keys


def _forms_holding(node: Any, text: str, forms: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """For each element showing `text`, the forms it sits in (outermost first)."""
    found: list[tuple[str, ...]] = []
    proto = getattr(node, "proto", None)
    if type(node).__name__ == "Block" and proto is not None and proto.HasField("form"):
        forms = (*forms, proto.form.form_id)
    value = getattr(node, "value", None) if type(node).__name__ != "Block" else None
    if isinstance(value, str) and text in value:
        found.append(forms)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            found += _forms_holding(child, text, forms)
    return found


def test_what_a_tap_said_shows_inside_the_form_tapped(app_db: Path) -> None:
    """On a phone the top of the list is far away: a refusal and a save are said in the form
    whose button was tapped, just above it."""
    at = _on_map()
    _fill_person(at, "map_new_", name="Ana")
    _button(at, "Add this stakeholder").click()
    _run(at)
    assert _forms_holding(at.main, "Kind is required") == [("map_new_0_form",)]
    _fill_person(at, "map_new_", kind="Media", influence=3, band=SpectrumBand.neutral)
    _button(at, "Add this stakeholder").click()
    _run(at)
    # The form is a fresh, empty one (the next round): the message is in it.
    assert _forms_holding(at.main, "Saved: 1 stakeholder added.") == [("map_new_1_form",)]
    [ana] = _group_map(at, app_db).stakeholders
    _button(at, f"Edit #{ana.id}").click()
    _run(at)
    _fill_person(at, f"map_p{ana.id}_", influence=4)
    _button(at, "Save changes").click()
    _run(at)
    [where] = _forms_holding(at.main, "Saved: 1 stakeholder changed.")
    assert where[-1].startswith(f"map_person_form_{ana.id}_")


def _in_order(at: AppTest) -> list[str]:
    """What the page shows, in the order it shows it: each card by its key, each message by
    its text."""
    shown: list[str] = []
    for node in at.main:
        key = getattr(node, "key", None)
        if node.type == "flex_container" and key and "_person_" in key:
            shown.append(f"card {key}")
        elif node.type in ("success", "error", "info"):
            shown.append(f"{node.type}: {node.value}")
    return shown


def test_a_removal_is_said_in_the_removed_cards_place(app_db: Path) -> None:
    """Walk-through finding: "Saved: 1 stakeholder removed." showed at the top of the list, far
    above the remove button (off a phone's screen). It takes the removed card's place."""
    at = _on_map()
    for name in ("Ana", "Bo", "Cy"):
        _fill_person(
            at, "map_new_", name=name, kind="Media", influence=3, band=SpectrumBand.neutral
        )
        _button(at, "Add this stakeholder").click()
        _run(at)
    ana, bo, cy = _group_map(at, app_db).stakeholders
    _button(at, f"Edit #{bo.id}").click()
    _run(at)
    _button(at, "Remove…").click()
    _run(at)
    _button(at, "Yes, remove").click()
    _run(at)
    assert _in_order(at)[:3] == [
        f"card map_person_{ana.id}",
        "success: Saved: 1 stakeholder removed.",
        f"card map_person_{cy.id}",
    ]
    [box] = [n for n in at.main if getattr(n, "key", None) == "map_gone_person"]
    assert [n.value for n in box if n.type == "success"] == ["Saved: 1 stakeholder removed."]

    # The last card removed: said below the one left, before the form to add one.
    _button(at, f"Edit #{cy.id}").click()
    _run(at)
    _button(at, "Remove…").click()
    _run(at)
    _button(at, "Yes, remove").click()
    _run(at)
    assert _in_order(at)[:2] == [
        f"card map_person_{ana.id}",
        "success: Saved: 1 stakeholder removed.",
    ]
    assert [p.name for p in _group_map(at, app_db).stakeholders] == ["Ana"]
    _run(at)  # said once: the next run shows it no more
    assert "success: Saved: 1 stakeholder removed." not in _in_order(at)


def _draft_lines(at: AppTest) -> list[tuple[str, str, str]]:
    """The add form's draft lines (lesson_drafts.kept_note_html): (box key, draft key, round)."""
    found = re.findall(
        r'data-field="([^"]+)" data-kind="text" data-store="([^"]+)" data-round="(\d+)"',
        "\n".join(str(h.proto.body) for h in at.get("html")),
    )
    return [tuple(f) for f in found]


def test_the_add_forms_text_is_kept_as_a_draft_under_a_key_that_stays(app_db: Path) -> None:
    """The name and note of the add form are kept in the browser tab by the drafts script
    under a key of the seat and the form, which stays when the form's widget keys move on
    after an add; the round moving on tells the script the draft was added
    (tests/test_map_drafts_browser.py reloads a real page)."""
    at = _on_map()
    taken = resources.store().seat(at.session_state["session_participant_id"])
    assert taken is not None
    seat = f"w{taken.workshop.id}-p{taken.participant.id}:"
    before = _draft_lines(at)
    assert [(f, r) for f, _, r in before] == [("map_new_0_name", "0"), ("map_new_0_note", "0")]
    stores = [s for _, s, _ in before]
    assert stores[0].startswith(seat) and stores[0].endswith(":map:add_person:name")
    assert stores[1].endswith(":map:add_person:note")
    _fill_person(at, "map_new_", name="Ana", kind="Media", influence=3, band=SpectrumBand.neutral)
    _button(at, "Add this stakeholder").click()
    _run(at)
    after = _draft_lines(at)
    assert [(f, r) for f, _, r in after] == [("map_new_1_name", "1"), ("map_new_1_note", "1")]
    assert [s for _, s, _ in after] == stores


def test_an_edit_of_a_stakeholder_removed_on_another_device_brings_it_back_and_says_so(
    app_db: Path,
) -> None:
    """Walk-through 5: saving an edit of a stakeholder another tab had removed added it back,
    as a new one without its ties, in a clause of the green "Saved" box nobody read. It now
    comes as an amber warning of its own that says what to do."""
    at = _on_map()
    for name in ("Ana", "Bo"):
        _fill_person(
            at, "map_new_", name=name, kind="Media", influence=3, band=SpectrumBand.neutral
        )
        _button(at, "Add this stakeholder").click()
        _run(at)
    ana, bo = _group_map(at, app_db).stakeholders
    _button(at, f"Edit #{ana.id}").click()
    _run(at)
    # Another device removes Ana while her card is open here.
    store = resources.store()
    seat = store.seat(at.session_state["session_participant_id"])
    assert seat is not None
    store.save_stakeholder_changes(
        group_id=seat.group.id, changes=StakeholderChanges(deleted_ids=(ana.id,))
    )
    _fill_person(at, f"map_p{ana.id}_", influence=5)
    _button(at, "Save changes").click()
    _run(at)
    # Said where the card was (it went: its stakeholder is back as a new card).
    [box] = [n for n in at.main if getattr(n, "key", None) == "map_gone_person"]
    assert [n.value for n in box if n.type == "success"] == ["Saved: 1 stakeholder changed."]
    [warning] = [n.value for n in box if n.type == "warning"]
    assert "removed in another tab or on another device" in warning, warning
    assert "without its ties" in warning, warning
    back = {p.name: p for p in _group_map(at, app_db).stakeholders}
    assert set(back) == {"Ana", "Bo"} and back["Ana"].id != ana.id
    assert back["Ana"].influence == 5 and back["Bo"] == bo
