"""The stakeholder map in Streamlit's AppTest: add, edit and delete stakeholders (bad rows
too), ties, the trade-off, snapshots, import and export, and the lessons' exercises."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from tests.conftest import jump_box
from workbook import map_csv
from workbook.config import PROJECT_ROOT
from workbook.models import STAKEHOLDER_KINDS

APP = str(PROJECT_ROOT / "app.py")
DECISION = "Institution or decision-maker"
HTML_NAME = "<b>Mayor</b> <script>alert(1)</script> & co"
EMOJI_NAME = "Tenants 🏠👩🏽‍🦱 union"
RTL_NAME = "שלום עליכם مرحبا"


def fresh() -> AppTest:
    return AppTest.from_file(APP, default_timeout=30)


def button(at: AppTest, label: str) -> Any:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def seated_on_map(group: str = "Kitchen table") -> AppTest:
    at = fresh().run()
    [title] = [t for t in at.text_input if t.label == "Workshop title"]
    title.input("Spring day")
    [cause] = [t for t in at.text_input if t.label == "Cause or movement"]
    cause.input("Housing justice")
    at.radio[0].set_value("Self-guided: our group works through it alone")
    [name] = [t for t in at.text_input if t.label == "Your group's name (required for self-guided)"]
    name.input(group)
    button(at, "Create workshop").click()
    at.run()
    # These tests edit the worksheets (the grids), which wide screens choose with "Table
    # view"; the list view for phones is tested in tests/test_map_cards.py.
    at.session_state["map_view"] = "Table view"
    at.session_state["lesson_map_view"] = "Table view"
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return at


def editor(at: AppTest, prefix: str) -> Any:
    matches = [e for e in at.data_editor if e.key and e.key.startswith(prefix)]
    assert matches, f"no editor {prefix!r}: {[e.key for e in at.data_editor]}"
    return matches[0]


def edit(
    at: AppTest,
    prefix: str,
    *,
    added: list[dict[str, Any]] | None = None,
    edited: dict[int, dict[str, Any]] | None = None,
    deleted: list[int] | None = None,
    save: str = "Save the worksheet",
) -> AppTest:
    """Make edits in a table as a person would (the browser sends exactly this), then save."""
    at.session_state[editor(at, prefix).key] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    button(at, save).click()
    at.run()
    assert not at.exception, at.exception
    return at


def person(name: str, **changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "name": name,
        "kind": "Community group",
        "influence": 3,
        "band": "neutral",
        "tie": "weak",
        "energy_hours": 2.0,
    }
    values.update(changes)
    return values


def sheet(at: AppTest) -> list[dict[str, Any]]:
    """The stakeholders as the worksheet opens with them (what is stored)."""
    frame = editor(at, "map_sheet_").value
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def successes(at: AppTest) -> list[str]:
    return [s.value for s in at.success]


def test_the_map_opens_empty_with_its_sections(app_db: Path) -> None:
    at = seated_on_map()
    assert at.title[-1].value == "Our stakeholder map"
    labels = [tab.label for tab in at.tabs]
    for section in ("Worksheet", "Ties", "Views", "Measures", "Trade-off", "Over time", "Files"):
        assert section in labels
    assert sheet(at) == []
    # The three views show their empty state, each drawn for a projector, a laptop and a phone.
    assert len(at.get("plotly_chart")) == 9
    assert "No stakeholders yet" in at.get("plotly_chart")[0].proto.spec


def test_add_edit_and_delete_stakeholders(app_db: Path) -> None:
    at = seated_on_map()
    edit(
        at,
        "map_sheet_",
        added=[
            person("Mayor", kind=DECISION, influence=5, band="passive_opposition"),
            person("Tenants", band="passive_ally", target_band="active_ally"),
            person("Local paper", kind="Media", tie="none"),
        ],
    )
    assert successes(at) == ["Saved: 3 stakeholders added."]
    rows = sheet(at)
    assert [r["name"] for r in rows] == ["Mayor", "Tenants", "Local paper"]
    assert rows[1]["target_band"] == "active_ally" and rows[0]["influence"] == 5
    assert all(isinstance(r["id"], int) for r in rows)

    # Edit one cell of row 2 and delete row 3, at once.
    edit(at, "map_sheet_", edited={1: {"influence": 4, "note": "met in May"}}, deleted=[2])
    assert successes(at) == ["Saved: 1 stakeholder changed. 1 stakeholder removed."]
    rows = sheet(at)
    assert [(r["name"], r["influence"], r["note"]) for r in rows] == [
        ("Mayor", 5, ""),
        ("Tenants", 4, "met in May"),
    ]

    # Saving with no edits writes nothing and says so.
    edit(at, "map_sheet_")
    assert [i.value for i in at.info] == ["Nothing has changed since you last saved."]


def test_bad_rows_save_nothing_name_each_row_and_keep_the_edits(app_db: Path) -> None:
    at = seated_on_map()
    bad = [
        person("Good one"),
        person(""),
        person("Loud", influence=9),
        person("Odd", kind="Aliens"),
        person("x" * 81),
    ]
    edit(at, "map_sheet_", added=bad)
    assert not at.success
    assert [e.value for e in at.error] == [
        "4 rows need fixing, so nothing was saved. Your edits are still in the table: fix "
        "the rows listed below and save again."
    ]
    lines = [t for t in texts(at) if t.startswith("• Row")]
    assert lines[0] == "• Row 2: A stakeholder needs a name."
    assert lines[1] == "• Row 3 (Loud): Influence is too high (highest allowed: 5)."
    assert lines[2].startswith("• Row 4 (Odd): Kind is not one of the stakeholder kinds:")
    assert lines[3] == f"• Row 5 ({'x' * 81}): Name is too long: 81 characters, the limit is 80."
    assert sheet(at) == []  # nothing stored, not even the good row
    key = editor(at, "map_sheet_").key
    assert len(at.session_state[key]["added_rows"]) == 5  # every edit still in the table

    # Fix the rows in place and save again: all five go in.
    fixed = [person("Good one"), person("Named"), person("Loud"), person("Odd"), person("x" * 80)]
    edit(at, "map_sheet_", added=fixed)
    assert successes(at) == ["Saved: 5 stakeholders added."]
    assert len(sheet(at)) == 5


def test_names_in_any_script_or_markup_are_shown_verbatim(app_db: Path) -> None:
    at = seated_on_map()
    names = [HTML_NAME, EMOJI_NAME, RTL_NAME]
    edit(
        at,
        "map_sheet_",
        added=[
            person(HTML_NAME, kind=DECISION, influence=5, tie="strong"),
            person(EMOJI_NAME, tie="none"),
            person(RTL_NAME, note="**not bold** <i>x</i>"),
        ],
    )
    assert [r["name"] for r in sheet(at)] == names  # cells hold the exact text
    rows = sheet(at)
    edit(
        at,
        "map_ties_",
        added=[{"source": rows[0]["id"], "target": rows[1]["id"], "strength": "weak"}],
        save="Save the ties",
    )
    assert successes(at) == ["Saved the ties."]
    shown = "\n".join(texts(at))
    assert HTML_NAME in shown and EMOJI_NAME in shown  # measures and reasons, as text
    for block in list(at.markdown) + list(at.caption) + list(at.info) + list(at.error):
        for name in names:
            assert name not in block.value
    for fig in at.get("plotly_chart"):
        assert "<script>" not in fig.proto.spec and "<b>Mayor" not in fig.proto.spec
    assert any("&lt;b&gt;Mayor" in fig.proto.spec for fig in at.get("plotly_chart"))


def test_ties_tell_apart_same_names_and_drop_with_a_deleted_stakeholder(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Sam"), person("Sam"), person("Ria")])
    sam1, sam2, ria = (r["id"] for r in sheet(at))
    ties = editor(at, "map_ties_")
    spec = str(ties.proto)
    assert f"Sam (#{sam1})" in spec and f"Sam (#{sam2})" in spec
    edit(
        at,
        "map_ties_",
        added=[
            {"source": sam1, "target": ria, "strength": "strong"},
            {"source": ria, "target": sam1, "strength": "weak"},  # the same pair again
            {"source": sam2, "target": sam2, "strength": "weak"},
        ],
        save="Save the ties",
    )
    lines = [t for t in texts(at) if t.startswith("• Row")]
    assert lines == [
        f"• Row 2 (Ria (#{ria}) → Sam (#{sam1})): The same two stakeholders are already tied "
        "in row 1.",
        f"• Row 3 (Sam (#{sam2}) → Sam (#{sam2})): A tie needs two different stakeholders.",
    ]
    edit(
        at,
        "map_ties_",
        added=[
            {"source": sam1, "target": ria, "strength": "strong"},
            {"source": sam2, "target": ria, "strength": "weak"},
        ],
        save="Save the ties",
    )
    assert successes(at) == ["Saved the ties."]
    assert len(editor(at, "map_ties_").value) == 2
    edit(at, "map_sheet_", deleted=[2])  # Ria goes, and both her ties with her
    assert editor(at, "map_ties_").value.empty


def test_trade_off_budget_overrides_and_reasons(app_db: Path) -> None:
    at = seated_on_map()
    edit(
        at,
        "map_sheet_",
        added=[
            person("Council", kind=DECISION, influence=5, energy_hours=4),
            person("Church", influence=4, energy_hours=3),
            person("Union", influence=2, energy_hours=1),
        ],
    )
    budget = next(n for n in at.number_input if n.label.startswith("Our energy budget"))
    budget.set_value(4.0).run()
    assert not at.exception
    summary = [m.value for m in at.markdown if m.value.startswith("**Proposed")]
    assert summary == [
        "**Proposed: 2 relationships, taking 4 hours a month of your 4-hour "
        "budget, for a total gain of 9.**"
    ]
    assert any(t.startswith("• Invest in Church") for t in texts(at))
    # Overrule: Church is not our battle, Council must be in.
    edit(
        at,
        "map_overrides_",
        edited={0: {"must_invest": True}, 1: {"not_our_battle": True}},
        save="Save and update the proposal",
    )
    assert successes(at) == ["Saved: 2 stakeholders changed. The proposal is updated."]
    shown = texts(at)
    assert '• Church is left out: you marked them "not our battle".' in shown
    assert any(t.startswith("• Council is in because you chose to invest there") for t in shown)
    # A bad value in the overrides is refused with its row named.
    edit(
        at, "map_overrides_", edited={2: {"energy_hours": 900}}, save="Save and update the proposal"
    )
    assert any(
        t.startswith("• Row 3 (Union): Energy per month (hours) is too high") for t in texts(at)
    )


def test_on_a_narrow_screen_the_overrides_are_rows_of_checkboxes(app_db: Path) -> None:
    """The overrides grid is ~790 px wide; a phone gets one row per stakeholder instead, its
    name and the two ticks (the browser shows the one that fits: both are drawn)."""
    at = seated_on_map()
    edit(
        at,
        "map_sheet_",
        added=[
            person("Council", kind=DECISION, influence=5, energy_hours=4),
            person("Church", influence=4, energy_hours=3),
        ],
    )
    rows = [c for c in at.checkbox if c.key and c.key.startswith("map_overrides_row_")]
    assert [c.label for c in rows] == [
        "Must invest: always include in the proposal",
        "Not our battle: never propose investing here",
    ] * 2
    assert any(t.startswith("Council (#") for t in texts(at))
    rows[0].check()  # Council: must invest
    rows[3].check()  # Church: not our battle
    [save] = [
        b
        for b in at.button
        if b.label == "Save and update the proposal" and "overrides_rows" in b.form_id
    ]
    save.click()
    at.run()
    assert not at.exception, at.exception
    assert "Saved: 2 stakeholders changed. The proposal is updated." in successes(at)
    shown = texts(at)
    assert '• Church is left out: you marked them "not our battle".' in shown
    assert any(t.startswith("• Council is in because you chose to invest there") for t in shown)
    # The rows show what is stored now.
    rows = [c for c in at.checkbox if c.key and c.key.startswith("map_overrides_row_")]
    assert [c.value for c in rows] == [True, False, False, True]


def test_snapshots_show_what_changed(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Council", band="neutral"), person("Press")])
    at.text_input(key="map_snapshot_label").input("First workshop")
    button(at, "Save a snapshot of the map").click()
    at.run()
    assert successes(at) == ["Snapshot saved with 2 stakeholders."]
    # The name box is empty again: a second press saves a snapshot named by its date.
    assert at.text_input(key="map_snapshot_label").value == ""
    edit(at, "map_sheet_", edited={0: {"band": "passive_ally", "tie": "strong"}}, deleted=[1])
    edit(at, "map_sheet_", added=[person("Youth club")])
    shown = texts(at)
    assert "• New on the map: Youth club." in shown
    assert "• No longer on the map: Press." in shown
    assert "• Council moved from neutral to passive ally: 1 band closer to being an ally." in shown
    assert "• Our tie with Council grew: from weak to strong." in shown


def test_snapshots_list_ties_between_stakeholders_and_say_what_is_compared(
    app_db: Path,
) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Council"), person("Press"), person("Church")])
    council, press, church = (r["id"] for r in sheet(at))
    edit(
        at,
        "map_ties_",
        added=[{"source": council, "target": press, "strength": "weak"}],
        save="Save the ties",
    )
    at.text_input(key="map_snapshot_label").input("Before ties")
    button(at, "Save a snapshot of the map").click()
    at.run()
    # One snapshot, compared with the map now, and nothing changed: said as such.
    assert "• Nothing changed between the snapshot and the map now." in texts(at)
    edit(
        at,
        "map_ties_",
        edited={0: {"strength": "strong"}},
        added=[{"source": church, "target": council, "strength": "weak"}],
        save="Save the ties",
    )
    shown = [t for t in texts(at) if t.startswith("• ")]
    assert "• The tie between Council and Press grew: from weak to strong." in shown
    assert "• New tie between Council and Church: weak." in shown
    # The same snapshot on both sides is said, not compared.
    at.selectbox(key="map_compare_after").set_value(at.selectbox(key="map_compare_before").value)
    at.run()
    assert "That is the same snapshot twice: choose another one to compare it with." in [
        c.value for c in at.caption
    ]


def test_the_phone_lists_under_the_views_are_numbered_as_their_points(app_db: Path) -> None:
    """On a phone the points of the grid, the spectrum and the network carry numbers, not
    names: the lists under them say which number is whom, each stakeholder with the same
    number on every view."""
    at = seated_on_map()
    edit(
        at,
        "map_sheet_",
        added=[
            person("Council", influence=5),
            person("<b>Press</b>"),
            person("Ana", influence=1, band="active_ally"),
        ],
    )
    council, press, _ana = (r["id"] for r in sheet(at))
    edit(
        at,
        "map_ties_",
        added=[{"source": council, "target": press, "strength": "weak"}],
        save="Save the ties",
    )
    shown = texts(at)
    listed = [t for t in shown if t[:2] in ("1.", "2.", "3.")]
    assert listed == [
        "1. Council: weak tie with us and <b>Press</b>.",
        "2. <b>Press</b>: weak tie with us and Council.",
        "3. Ana: weak tie with us.",
    ]
    # The grid's and the spectrum's lists keep their groups, each name after its number.
    assert "Keep satisfied: 1.\u00a0Council, 2.\u00a0<b>Press</b>" in shown
    assert "Keep informed: 3.\u00a0Ana" in shown
    assert "Neutral (2): 1.\u00a0Council, 2.\u00a0<b>Press</b>" in shown
    assert "Active ally (1): 3.\u00a0Ana" in shown
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    numbered = [
        {row[0]: number for row, number in zip(trace["customdata"], trace["text"], strict=True)}
        for spec in specs
        for trace in spec["data"]
        if trace.get("name") == "Stakeholders" and trace.get("textposition") == "middle center"
    ]
    # The phone's grid, spectrum and network: the same number on each point as in the lists.
    same = {"Council": "1", "&lt;b&gt;Press&lt;/b&gt;": "2", "Ana": "3"}
    assert numbered == [same, same, same]
    # The trade-off's effort chart too: every point, proposed or not, carries the same
    # number, and the list under it names them by group.
    effort = [
        {row[0]: number for row, number in zip(trace["customdata"], trace["text"], strict=True)}
        for spec in specs
        for trace in spec["data"]
        if trace.get("name") in ("Proposed", "Not proposed", "Not our battle")
        and trace.get("textposition") == "middle center"
    ]
    assert {k: v for group in effort for k, v in group.items()} == same
    by_group = [t for t in shown if t.startswith(("Proposed (", "Not proposed ("))]
    assert by_group == [
        "Proposed (2): 1.\u00a0Council, 2.\u00a0<b>Press</b>",
        "Not proposed (1): 3.\u00a0Ana",
    ]


def test_import_refuses_a_bad_file_then_replaces_from_a_good_one(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Already here")])
    at.get("file_uploader")[0].set_value(("map.json", b"{not json", "application/json"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This file cannot be imported; nothing was changed."]
    assert (
        "map.json is not valid JSON: Expecting property name enclosed in double quotes "
        "(line 1, column 2)." in texts(at)
    )

    content = {
        "stakeholders": [
            {"ref": "a", "name": "Ana", "kind": "Media", "influence": 4, "band": "passive_ally"},
            {"ref": "b", "name": "Bo", "kind": DECISION, "influence": 5, "band": "neutral"},
        ],
        "ties": [{"source": "a", "target": "b", "strength": "strong"}],
        "energy_budget": 6,
    }
    at.get("file_uploader")[0].set_value(
        ("map.json", json.dumps(content).encode(), "application/json")
    )
    at.run()
    assert [i.value for i in at.info][-1] == "Ready to import 2 stakeholders and 1 tie."
    button(at, "Replace our map with them").click()
    at.run()
    assert not at.exception
    assert "Replaced the map with 2 stakeholders and 1 tie." in successes(at)
    assert [r["name"] for r in sheet(at)] == ["Ana", "Bo"]
    assert len(editor(at, "map_ties_").value) == 1
    # The map as it was is kept as a snapshot.
    snapshots = [d.value for d in at.dataframe if "Snapshot" in d.value.columns]
    assert snapshots and snapshots[0]["Stakeholders"].tolist() == [1]


def test_import_lists_bad_rows_of_a_csv(app_db: Path) -> None:
    at = seated_on_map()
    data = b"name,kind,influence,band\nGood,Media,3,neutral\nLoud,Media,9,neutral\n"
    at.get("file_uploader")[0].set_value(("people.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("1 row needs fixing in the file")
    assert "• Row 3 (Loud): Influence is too high (highest allowed: 5)." in texts(at)
    assert sheet(at) == []


def test_an_empty_map_offers_a_template_that_imports_as_its_examples(app_db: Path) -> None:
    """Walk-through 3: a newcomer starting their map in a spreadsheet had no file to learn
    the columns from (the downloads need a map first)."""
    at = seated_on_map()
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Template to fill in (CSV)"], labels
    # Imported as it is, its two example rows come in, every value read as written.
    at.get("file_uploader")[0].set_value(("template.csv", map_csv.template_csv(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info][-1] == "Ready to import 2 stakeholders."
    assert not at.error


def test_downloads_offer_csv_and_json(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Ana")])
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Stakeholders (CSV)", "Ties (CSV)", "Whole map (JSON)"]


def _open_lesson(at: AppTest, title: str) -> AppTest:
    at.switch_page("pages/workbook.py").run()
    box = jump_box(at)
    index = next(i for i, label in enumerate(box.options) if label.endswith(title))
    box.set_value(index).run()
    assert not at.exception, at.exception
    assert at.title[-1].value == title
    return at


def test_the_lessons_exercises_use_the_same_map(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Council", kind=DECISION, influence=5)])

    _open_lesson(at, "Diverse voices")
    assert any(s.value == "Exercise: whose voices are on our map?" for s in at.subheader)
    shown = "\n".join(texts(at))
    assert "The map has 1 of the 8 kinds" in shown
    missing = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert missing == [f"- {k}" for k in STAKEHOLDER_KINDS if k != DECISION]
    assert "Open our full stakeholder map" in [p.value for p in at.get("page_link")]

    _open_lesson(at, "Networks, coalitions and allies")
    edit(at, "lesson_map_sheet_", added=[person("Tenants")])
    assert successes(at) == ["Saved: 1 stakeholder added."]
    assert len(editor(at, "lesson_map_sheet_").value) == 2

    _open_lesson(at, "Relationship trade-offs")
    assert any(m.value.startswith("**Proposed:") for m in at.markdown)
    assert editor(at, "lesson_trade_offs_overrides_") is not None


def test_two_devices_editing_one_map_lose_nothing(app_db: Path) -> None:
    here = seated_on_map()
    edit(here, "map_sheet_", added=[person("Council")])
    there = fresh()  # the same group on a second phone: the same link
    there.query_params.update(dict(here.query_params))
    there.session_state["map_view"] = "Table view"
    there.run()
    there.switch_page("pages/map.py").run()
    edit(there, "map_sheet_", added=[person("Press")])
    assert [r["name"] for r in sheet(there)] == ["Council", "Press"]

    here.run()  # the first phone's table holds still, and says the map changed
    assert [r["name"] for r in sheet(here)] == ["Council"]
    assert any("changed the map on another device" in i.value for i in here.info)
    edit(here, "map_sheet_", edited={0: {"influence": 5}})
    assert successes(here) == ["Saved: 1 stakeholder changed."]
    assert [(r["name"], r["influence"]) for r in sheet(here)] == [("Council", 5), ("Press", 3)]
    assert not any("another device" in i.value for i in here.info)


# --- nothing a person types is cut, ignored or dropped without a word ---------------------------


def test_the_worksheet_leaves_every_check_to_the_save_so_nothing_is_cut_in_the_browser(
    app_db: Path,
) -> None:
    # In the browser, a column with max_chars cuts a longer paste to the limit; a required
    # column ignores an edit that empties it and drops a new row that leaves it empty; a
    # min/max pulls a number into range. None of these say a word, so none is set.
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Ana"), person("Bo")])
    for prefix in ("map_sheet_", "map_ties_", "map_overrides_"):
        columns = json.loads(editor(at, prefix).proto.columns)
        for name, config in columns.items():
            options = config.get("type_config", {})
            assert not config.get("required"), (prefix, name)
            assert "max_chars" not in options and "validate" not in options, (prefix, name)
            assert "min_value" not in options and "max_value" not in options, (prefix, name)
    # ... and the limits are still shown, from workbook.models.
    sheet_columns = json.loads(editor(at, "map_sheet_").proto.columns)
    assert "up to 80 characters" in sheet_columns["name"]["help"]
    assert "up to 500 characters" in sheet_columns["note"]["help"]


def test_a_long_name_or_note_is_refused_by_row_and_kept_in_the_table(app_db: Path) -> None:
    at = seated_on_map()
    long_note = "n" * 501
    rows = [person("Ana"), person("Bo", note=long_note), person("y" * 90)]
    edit(at, "map_sheet_", added=rows)
    lines = [t for t in texts(at) if t.startswith("• Row")]
    assert lines == [
        "• Row 2 (Bo): Note is too long: 501 characters, the limit is 500.",
        f"• Row 3 ({'y' * 90}): Name is too long: 90 characters, the limit is 80.",
    ]
    assert sheet(at) == []
    kept = at.session_state[editor(at, "map_sheet_").key]["added_rows"]
    assert kept[1]["note"] == long_note and kept[2]["name"] == "y" * 90  # not cut


def test_a_cleared_name_is_refused_on_its_row(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Ana"), person("Bo"), person("Cy")])
    edit(at, "map_sheet_", edited={2: {"name": None}})
    assert not at.success
    assert "• Row 3: A stakeholder needs a name." in texts(at)
    assert [r["name"] for r in sheet(at)] == ["Ana", "Bo", "Cy"]  # nothing saved or deleted


def test_a_half_filled_row_is_named_and_an_untouched_new_row_is_left_out(app_db: Path) -> None:
    at = seated_on_map()
    # What the browser sends for a row added and left as it came: the columns' defaults.
    untouched = {"influence": 3, "band": "neutral", "tie": "none", "energy_hours": 1.0}
    untouched |= {"not_our_battle": False, "must_invest": False}
    half = {**untouched, "name": "Ana"}  # a name typed, no kind chosen
    edit(at, "map_sheet_", added=[person("Bo"), half, untouched])
    assert [t for t in texts(at) if t.startswith("• Row")] == [
        "• Row 2 (Ana): Kind is required: choose one of " + ", ".join(STAKEHOLDER_KINDS) + "."
    ]
    assert sheet(at) == []
    edit(at, "map_sheet_", added=[person("Bo"), person("Ana"), untouched])
    assert successes(at) == ["Saved: 2 stakeholders added. 1 new row left empty was not added."]


def test_an_emptied_energy_cell_is_refused_not_read_as_zero(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Ana", energy_hours=3.0)])
    edit(at, "map_sheet_", edited={0: {"energy_hours": None}})
    assert (
        "• Row 1 (Ana): Energy per month (hours) is empty: type 0 if they take none of your time."
        in texts(at)
    )
    edit(
        at,
        "map_overrides_",
        edited={0: {"energy_hours": None}},
        save="Save and update the proposal",
    )
    assert "• Row 1 (Ana): Hours a month is empty: type 0 if they take none of your time." in (
        texts(at)
    )
    assert sheet(at)[0]["energy_hours"] == 3.0


def test_the_worksheet_keeps_an_apostrophe_and_refuses_a_non_character(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("'=cmd", note="'+1 is what we said")])
    assert successes(at) == ["Saved: 1 stakeholder added."]
    assert (sheet(at)[0]["name"], sheet(at)[0]["note"]) == ("'=cmd", "'+1 is what we said")
    edit(at, "map_sheet_", added=[person("Bad\uffffname"), person("Bell\x07")])
    assert [t for t in texts(at) if t.startswith("• Row")] == [
        "• Row 2 (Bad\uffffname): Name contains U+FFFF, which is not a character; please "
        "retype it.",
        "• Row 3 (Bell\x07): Name contains an invisible control character (U+0007); please "
        "retype it.",
    ]


def test_a_pasted_table_too_big_for_a_map_is_refused_in_one_sentence(app_db: Path) -> None:
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person(f"P{i}") for i in range(501)])
    assert [e.value for e in at.error] == [
        "The table has 501 rows; a map holds at most 500 stakeholders. Nothing was saved: "
        "delete some rows and save again."
    ]
    assert sheet(at) == []


def test_import_says_which_encoding_and_separator_it_read(app_db: Path) -> None:
    at = seated_on_map()
    data = "name;kind;influence;band;note\r\nRené;Media;3;neutral;5 €\r\n".encode("cp1252")
    at.get("file_uploader")[0].set_value(("people.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert [i.value for i in at.info][-1] == "Ready to import 1 stakeholder."
    shown = texts(at)
    assert "people.csv: read as Windows-1252, cells separated by semicolons." in shown
    assert any(
        t.startswith("people.csv is not UTF-8, so it was read as Windows-1252") for t in shown
    )
    button(at, "Add them to our map").click()
    at.run()
    assert [(r["name"], r["note"]) for r in sheet(at)] == [("René", "5 €")]


def test_a_file_with_many_bad_rows_lists_the_first_fifty(app_db: Path) -> None:
    at = seated_on_map()
    data = b"name,kind,influence,band\n" + b"".join(b"P%d,Media,9,neutral\n" % i for i in range(60))
    at.get("file_uploader")[0].set_value(("people.csv", data, "text/csv"))
    at.run()
    assert at.error[0].value.startswith("60 rows need fixing in the file")
    lines = [t for t in texts(at) if t.startswith("• Row")]
    assert (
        len(lines) == 50 and lines[0] == "• Row 2 (P0): Influence is too high (highest allowed: 5)."
    )
    assert "… and 10 more rows like these." in texts(at)


def test_an_import_without_hours_says_they_count_as_zero_until_set(app_db: Path) -> None:
    """Walk-through finding: a CSV without an hours column gave every stakeholder 0 hours
    without a word after the import, and the trade-off then proposed them as free."""
    at = seated_on_map()
    edit(at, "map_sheet_", added=[person("Ana")])
    data = (
        b"name,kind,influence,band\nBo,Media,3,neutral\nCy,Media,4,neutral\nAna,Media,2,neutral\n"
    )
    at.get("file_uploader")[0].set_value(("people.csv", data, "text/csv"))
    at.run()
    assert (
        "No hours were given for 3 stakeholders (Row 2, Row 3, Row 4): they count as 0 hours a "
        "month until you set their hours."
    ) in texts(at)
    # The names as read, as text, to check their letters before importing.
    assert "Names as read: Bo, Cy and Ana" in texts(at)
    button(at, "Add them to our map").click()  # Ana is on the map already: skipped
    at.run()
    assert not at.exception, at.exception
    assert "Added 2 stakeholders. Skipped 1 already on the map." in successes(at)
    assert [w.value for w in at.warning] == [
        "2 of them had no hours in the file, so they count as 0 hours a month: the energy "
        "trade-off sees them as free until you set their hours, on their cards in the "
        "Worksheet tab."
    ]
    # Nothing imported was lost: every field the file had is on the map.
    assert [(r["name"], r["kind"], r["influence"], r["energy_hours"]) for r in sheet(at)] == [
        ("Ana", "Community group", 3, 2.0),
        ("Bo", "Media", 3, 0.0),
        ("Cy", "Media", 4, 0.0),
    ]
    # The trade-off names who takes 0 hours, so they are easy to find and set.
    assert (
        "2 stakeholders take 0 hours a month, so the proposal counts them as free. If they "
        "take any of your time, set their hours on their cards, in the Worksheet tab:"
    ) in [i.value for i in at.info]
    assert "Bo and Cy" in texts(at)
    at.run()  # said once
    assert not [w.value for w in at.warning if "had no hours" in w.value]
