"""A map's rows in and out: per-row checks, worksheet changes, CSV and JSON round trips and
bad files refused with a sentence."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook import i18n, map_csv, map_json, map_rows, map_worksheet
from workbook.bidi import isolate
from workbook.map_file import FileTie, MapFile, export_name
from workbook.map_import import read_map_files
from workbook.map_repeats import already_on_map, sentence, without
from workbook.models import (
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieStrength,
    refused_character,
)
from workbook.stakeholders.saved import StakeholderChanges, StakeholderMap

COMMUNITY = "Community group"
TRICKY = "<b>Mayor</b> **x** 👋🏽 שלום"


def row(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "name": "Tenants' union",
        "kind": COMMUNITY,
        "influence": 3,
        "band": "neutral",
        "target_band": None,
        "tie": "weak",
        "energy_hours": 2.0,
        "note": "",
        "not_our_battle": False,
        "must_invest": False,
    }
    values.update(changes)
    return values


def stakeholder(sid: int, name: str, **changes: object) -> Stakeholder:
    values = row(name=name, **changes)
    return Stakeholder(id=sid, **values)


def sample_map() -> StakeholderMap:
    return StakeholderMap(
        stakeholders=(
            stakeholder(
                3,
                TRICKY,
                kind="Institution or decision-maker",
                influence=5,
                band="passive_opposition",
                target_band="passive_ally",
                tie="strong",
                energy_hours=2.25,
                note="=SUM(A1:A9) line\nbreak",
                must_invest=True,
            ),
            stakeholder(7, "Same name", not_our_battle=True, energy_hours=0),
            stakeholder(9, "Same name", kind="Media", band="active_ally", tie="none"),
            stakeholder(12, "-minus @at +plus", note="@handle"),
        ),
        ties=(
            Tie(source_id=3, target_id=7, strength="strong"),
            Tie(source_id=7, target_id=9, strength="weak"),
        ),
        energy_budget=12.5,
    )


# --- one row --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": ""}, "A stakeholder needs a name."),
        ({"name": None}, "A stakeholder needs a name."),
        ({"name": "   "}, "A stakeholder needs a name."),
        ({"name": ["A"]}, "Name must be text."),
        ({"name": "A\uffff"}, "Name contains U+FFFF, which is not a character; please retype it."),
        ({"note": "bell\x07"}, "Note contains an invisible control character (U+0007)"),
        ({"note": "\ud800"}, "Note contains U+D800, which is not a character"),
        ({"name": "x" * 81}, "Name is too long: 81 characters, the limit is 80."),
        ({"influence": 9}, "Influence is too high (highest allowed: 5)."),
        ({"influence": 0}, "Influence is too low (lowest allowed: 1)."),
        ({"influence": "three"}, "Influence must be a whole number."),
        ({"influence": None}, "Influence is required: a whole number from 1 to 5."),
        ({"kind": "Aliens"}, "Kind is not one of the stakeholder kinds: "),
        ({"kind": None}, "Kind is required: choose one of People with lived experience"),
        ({"band": "friendly"}, "Position on the spectrum of allies must be one of: Active"),
        ({"band": None}, "Position on the spectrum of allies is required"),
        ({"tie": "medium"}, "Our tie with them must be one of: no tie, weak, strong."),
        ({"energy_hours": -1}, "Energy per month (hours) is too low (lowest allowed: 0"),
        ({"energy_hours": "lots"}, "Energy per month (hours) must be a number."),
        ({"energy_hours": "NaN"}, "Energy per month (hours) must be a number (not NaN"),
        ({"energy_hours": "inf"}, "Energy per month (hours) must be a number (not NaN"),
        ({"influence": True}, "Influence must be a whole number."),
        ({"must_invest": "maybe"}, "Must invest must be yes or no."),
        ({"note": "n" * 501}, "Note is too long: 501 characters, the limit is 500."),
        ({"name": "two\nlines"}, "Name must fit on one line."),
    ],
)
def test_a_bad_row_says_what_to_fix(changes: dict[str, object], expected: str) -> None:
    parsed, problems = map_rows.parse_stakeholder_row(row(**changes))
    assert parsed is None
    assert any(p.startswith(expected) for p in problems), problems


def test_every_problem_of_a_row_is_listed_at_once() -> None:
    _, problems = map_rows.parse_stakeholder_row(row(name="", influence=9, kind="Aliens"))
    assert len(problems) == 3


@pytest.mark.parametrize(
    ("changes", "field", "value"),
    [
        ({"band": "Passive ally"}, "band", SpectrumBand.passive_ally),
        ({"band": "ACTIVE-OPPOSITION"}, "band", SpectrumBand.active_opposition),
        ({"target_band": ""}, "target_band", None),
        ({"tie": "Strong"}, "tie", TieStrength.strong),
        ({"tie": None}, "tie", TieStrength.none),
        ({"kind": "community GROUP"}, "kind", COMMUNITY),
        ({"influence": "4"}, "influence", 4),
        ({"influence": 4.0}, "influence", 4),
        ({"energy_hours": "2,5"}, "energy_hours", 2.5),
        ({"energy_hours": None}, "energy_hours", 0),
        ({"must_invest": "yes"}, "must_invest", True),
        ({"must_invest": "x"}, "must_invest", True),
        ({"not_our_battle": "No"}, "not_our_battle", False),
        ({"name": "  Spaced  "}, "name", "Spaced"),
        ({"name": "'=cmd"}, "name", "'=cmd"),  # a row keeps what was typed; only CSV unguards
        ({"name": 1984}, "name", "1984"),
        ({"name": TRICKY}, "name", TRICKY),
    ],
)
def test_friendly_spellings_are_read(changes: dict[str, object], field: str, value: object) -> None:
    parsed, problems = map_rows.parse_stakeholder_row(row(**changes))
    assert problems == [] and parsed is not None
    assert getattr(parsed, field) == value


def test_rows_are_named_blank_rows_skipped_and_ids_kept() -> None:
    parsed = map_rows.parse_stakeholder_rows(
        [row(id=4), {"name": None, "kind": None}, row(name="", id=None), row(name="New")],
        id_key="id",
    )
    assert [r.where for r in parsed.rows] == ["Row 1", "Row 4"]
    assert [r.stakeholder_id for r in parsed.rows] == [4, None]
    assert parsed.blank_rows == 1
    [problem] = parsed.problems
    assert problem.where == "Row 3" and problem.sentence == "Row 3: A stakeholder needs a name."


def test_repeated_names_are_found_ignoring_case_and_spaces() -> None:
    parsed = map_rows.parse_stakeholder_rows(
        [row(name="Ana  Silva"), row(name="Bo"), row(name="ana silva")]
    )
    assert map_rows.repeated_names(parsed.rows) == [["Row 1", "Row 3"]]


# --- worksheet changes ----------------------------------------------------------------------


def test_changes_name_only_what_changed() -> None:
    base = [stakeholder(1, "A"), stakeholder(2, "B"), stakeholder(3, "C")]
    parsed = map_rows.parse_stakeholder_rows(
        [
            {**row(name="A"), "id": 1},  # unchanged
            {**row(name="B", influence=5, note="new"), "id": 2},
            {**row(name="D"), "id": None},
        ],
        id_key="id",
    )
    changes = map_worksheet.stakeholder_changes(base, parsed.rows)
    assert [s.name for s in changes.added] == ["D"]
    [update] = changes.updated
    assert update.stakeholder_id == 2 and dict(update.fields) == {"influence": 5, "note": "new"}
    assert changes.deleted_ids == (3,)
    assert changes.sentence == "1 stakeholder added. 1 stakeholder changed. 1 stakeholder removed."


def test_a_save_says_each_outcome_as_a_whole_sentence_in_its_language() -> None:
    """Each outcome is one sentence with its own plural, so Danish orders its words ("Gemt:
    1 interessent tilføjet.", not "Gemt. Interessenter: 1 tilføjet.")."""
    [added] = map_rows.parse_stakeholder_rows([row(name="D")]).rows
    one = StakeholderChanges(added=(added.stakeholder,))
    many = StakeholderChanges(added=one.added * 2, deleted_ids=(1,))
    danish = i18n.translations("da")
    assert one.saved_sentence_in(None) == "Saved: 1 stakeholder added."
    assert one.saved_sentence_in(danish) == "Gemt: 1 interessent tilføjet."
    assert many.saved_sentence_in(None) == "Saved: 2 stakeholders added. 1 stakeholder removed."
    assert (
        many.saved_sentence_in(danish) == "Gemt: 2 interessenter tilføjet. 1 interessent fjernet."
    )
    assert StakeholderChanges(deleted_ids=(1, 2)).saved_sentence_in(danish) == (
        "Gemt: 2 interessenter fjernet."
    )


def test_no_edits_is_no_change() -> None:
    base = [stakeholder(1, "A")]
    parsed = map_rows.parse_stakeholder_rows([{**row(name="A"), "id": 1}], id_key="id")
    changes = map_worksheet.stakeholder_changes(base, parsed.rows)
    assert changes.empty and changes.sentence == "Nothing has changed since you last saved."


def test_a_repeated_id_in_the_table_is_a_new_row() -> None:
    base = [stakeholder(1, "A")]
    parsed = map_rows.parse_stakeholder_rows(
        [{**row(name="A"), "id": 1}, {**row(name="A copy"), "id": 1}], id_key="id"
    )
    changes = map_worksheet.stakeholder_changes(base, parsed.rows)
    assert [s.name for s in changes.added] == ["A copy"] and not changes.updated


def test_ties_table_checks_each_row() -> None:
    names = {1: "A", 2: "B", 3: "A"}
    parsed = map_worksheet.parse_tie_rows(
        [
            {"source": 1, "target": 2, "strength": "strong"},
            {"source": 2.0, "target": 1.0, "strength": "weak"},  # the same pair again
            {"source": 1, "target": 1, "strength": "weak"},
            {"source": 1, "target": None, "strength": "weak"},
            {"source": 1, "target": 9, "strength": "weak"},
            {"source": None, "target": None, "strength": "weak"},  # blank
            {"source": 3, "target": 2, "strength": "Weak"},
            {"source": 3, "target": 1, "strength": "none"},
            {"source": 2, "target": 1, "strength": None},  # an emptied cell is not "weak"
        ],
        names=names,
    )
    assert parsed.ties == (
        Tie(source_id=1, target_id=2, strength="strong"),
        Tie(source_id=2, target_id=3, strength="weak"),
    )
    assert parsed.blank_rows == 1
    sentences = [p.sentence for p in parsed.problems]
    assert sentences == [
        "Row 2: The same two stakeholders are already tied in row 1.",
        "Row 3: A tie needs two different stakeholders.",
        "Row 4: Choose who the tie is to.",
        "Row 5: To: #9 is no longer on the map.",
        "Row 8: Strength must be weak or strong (to remove a tie, delete its row).",
        "Row 9: Strength must be weak or strong (to remove a tie, delete its row).",
    ]
    assert parsed.problems[0].name == "B → A"


def test_tie_changes() -> None:
    base = [Tie(source_id=1, target_id=2), Tie(source_id=2, target_id=3, strength="strong")]
    now = [Tie(source_id=2, target_id=1, strength="strong"), Tie(source_id=3, target_id=4)]
    changes = map_worksheet.tie_changes(base, now)
    assert set(changes.upserted) == {
        Tie(source_id=1, target_id=2, strength="strong"),
        Tie(source_id=3, target_id=4),
    }
    assert changes.removed == ((2, 3),)
    assert map_worksheet.tie_changes(base, base).empty


# --- files round trip -----------------------------------------------------------------------


def _same_map(imported: MapFile, original: StakeholderMap) -> None:
    assert imported.ok, (imported.problems, imported.row_problems)
    assert [s.model_dump() for s in imported.stakeholders] == [
        s.model_dump(exclude={"id"}) for s in original.stakeholders
    ]
    position = {s.id: i for i, s in enumerate(original.stakeholders)}
    assert {(t.source, t.target, t.strength) for t in imported.ties} == {
        (position[t.source_id], position[t.target_id], t.strength) for t in original.ties
    }


def test_json_round_trip_keeps_everything() -> None:
    original = sample_map()
    data = map_json.map_json(original)
    imported = read_map_files([("map.json", data)])
    _same_map(imported, original)
    assert imported.energy_budget == 12.5


def test_csv_round_trip_keeps_everything_and_defuses_formulas() -> None:
    original = sample_map()
    people, ties = map_csv.stakeholders_csv(original), map_csv.ties_csv(original)
    text = people.decode("utf-8-sig")
    assert "'=SUM(A1:A9)" in text and "'-minus @at +plus" in text and "'@handle" in text
    assert "Passive opposition" in text  # labels, as the worksheet shows them
    imported = read_map_files([("ties.csv", ties), ("people.csv", people)])
    _same_map(imported, original)
    assert imported.energy_budget is None


def test_csv_from_a_spreadsheet_with_semicolons_labels_and_no_refs() -> None:
    people = (
        "Name;Kind;Influence;Position;Our tie;Energy (hours);Must invest;Colour\r\n"
        "Ana;community group;4;Passive ally;Weak;1,5;yes;red\r\n"
        ";;;;;;;\r\n"
        "Bo;Media;2;neutral;;0;;blue\r\n"
    ).encode("cp1252")
    ties = b"from,to,strength\nAna,Bo,strong\n"
    imported = read_map_files([("a.csv", people), ("b.csv", ties)])
    assert imported.ok, imported.row_problems
    assert [s.name for s in imported.stakeholders] == ["Ana", "Bo"]
    assert imported.stakeholders[0].energy_hours == 1.5
    assert imported.stakeholders[0].must_invest is True
    assert imported.ties == (FileTie(0, 1, TieStrength.strong),)
    assert 'Columns the app does not use were left out: "Colour".' in imported.notes
    assert any("1 empty row skipped" in note for note in imported.notes)


def test_csv_bad_rows_are_all_listed_and_nothing_imported() -> None:
    people = (
        b"name,kind,influence,band\n"
        b"Good,Media,3,neutral\n"
        b",Media,3,neutral\n"
        b"Loud,Media,9,neutral\n"
        b"Odd,Aliens,3,neutral\n"
    )
    imported = read_map_files([("p.csv", people)])
    assert not imported.ok and imported.stakeholders == ()
    assert [p.where for p in imported.row_problems] == ["Row 3", "Row 4", "Row 5"]
    assert imported.row_problems[1].name == "Loud"


def test_ties_by_a_repeated_name_need_a_ref() -> None:
    people = b"ref,name,kind,influence,band\nr1,Sam,Media,3,neutral\nr2,Sam,Media,3,neutral\n"
    ties = b"source,target\nSam,r2\nr1,Nobody\n"
    imported = read_map_files([("p.csv", people), ("t.csv", ties)])
    assert [p.sentence for p in imported.row_problems] == [
        "Ties, row 2: From names more than one stakeholder: use their ref instead.",
        "Ties, row 3: To matches no stakeholder's ref or name in the file.",
    ]


def test_a_repeated_ref_is_refused() -> None:
    data = json.dumps(
        {"stakeholders": [row(ref=1, name="A"), row(ref=1, name="B")], "ties": []}
    ).encode()
    imported = read_map_files([("m.json", data)])
    [problem] = imported.row_problems
    assert problem.sentence.startswith("Stakeholder 2: Its ref is also used by stakeholder 1")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([], "Choose a file to import."),
        (
            [("m.json", b"{nope")],
            "m.json is not valid JSON: Expecting property name enclosed in double quotes "
            "(line 1, column 2).",
        ),
        (
            [("m.json", b'{"stakeholders": 3}')],
            'm.json: "stakeholders" must be a list of objects, one per stakeholder.',
        ),
        (
            [("m.json", b"[1, 2]")],
            'm.json: "stakeholders" must be a list of objects, one per stakeholder.',
        ),
        ([("m.json", b'{"ties": []}')], 'm.json needs "stakeholders"'),
        (
            [("m.json", b'{"format": "other"}')],
            "m.json is not a stakeholder map from Movement Workbook.",
        ),
        ([("m.json", b'{"version": 99, "stakeholders": []}')], "saved by a newer version"),
        (
            [("m.json", b'{"stakeholders": [], "energy_budget": -4}')],
            'm.json: "energy_budget" must be from 0 to',
        ),
        ([("m.json", b'{"stakeholders": []}')], "m.json has no stakeholders in it."),
        (
            [("x.xlsx", b"PK\x03\x04rest-of-a-zip")],
            "x.xlsx is not a text file but looks like a spreadsheet",
        ),
        ([("x.csv", b"\x00\x01\x02")], "x.csv is not a text file (it holds NUL bytes"),
        ([("x.csv", b"")], "x.csv is empty."),
        ([("x.csv", b"colour,size\nred,2\n")], "x.csv: the first row should name the columns"),
        ([("t.csv", b"source,target\nA,B\n")], "This is a file of ties only"),
        ([("a.csv", b"name\nA\n"), ("b.csv", b"name\nB\n")], "Both files are stakeholders"),
        ([("a.json", b"{}"), ("b.csv", b"name\nB\n")], "Import one JSON file on its own"),
        (
            [("big.csv", b"name\n" + b"x\n" * 600_000)],
            "big.csv is 1.2 MB; a map file is at most 1 MB.",
        ),
        (
            [("many.csv", b"name\n" + b"x\n" * 501)],
            "many.csv has 501 stakeholder rows; a map holds at most 500 stakeholders.",
        ),
        ([("x.csv", b"\x81\x8d\x8f\x90\x9d")], "x.csv is neither UTF-8 nor Windows-1252 text"),
    ],
)
def test_a_bad_file_is_refused_with_a_sentence(
    files: list[tuple[str, bytes]], expected: str
) -> None:
    imported = read_map_files(files)
    assert not imported.ok
    sentences = list(imported.problems) + [p.sentence for p in imported.row_problems]
    assert any(expected in s for s in sentences), sentences


def test_trimmed_names_and_notes_are_named_in_the_import_result() -> None:
    people = (
        b"name,kind,influence,position,note\n"
        b'"  padded  ",Media,3,neutral,"\tTab-led"\nPlain,Media,2,neutral,plain\n'
    )
    imported = read_map_files([("m.csv", people)])
    assert imported.ok, imported.row_problems
    assert [(s.name, s.note) for s in imported.stakeholders] == [
        ("padded", "Tab-led"),
        ("Plain", "plain"),
    ]
    assert (
        "Trimmed spaces, tabs or line breaks at the ends of 1 name (row 2) and of 1 note "
        "(row 2), as the app does with everything typed." in imported.notes
    )
    data = json.dumps({"stakeholders": [row(name=" A"), row(name="B", note="note\n")]})
    imported = read_map_files([("m.json", data.encode())])
    assert any(
        "1 name (stakeholder 1) and of 1 note (stakeholder 2)" in note for note in imported.notes
    ), imported.notes
    # nothing trimmed, nothing said
    imported = read_map_files([("m.csv", b"name,kind,influence,position\nA,Media,3,neutral\n")])
    assert not any("Trimmed" in note for note in imported.notes)


def test_sixty_columns_without_a_name_are_refused_for_the_column_limit_first() -> None:
    header = ",".join(f"c{i}" for i in range(60)).encode()
    imported = read_map_files([("wide.csv", header + b"\n" + b"x," * 59 + b"x\n")])
    assert imported.problems == ("wide.csv has 60 columns; a map file has at most 50.",)


@pytest.mark.parametrize(
    ("content", "kind"),
    [(b'"hello"', "a string"), (b"42", "a number"), (b"null", "null"), (b"true", "true")],
)
def test_a_json_file_of_one_value_is_told_what_the_top_level_must_be(
    content: bytes, kind: str
) -> None:
    imported = read_map_files([("m.json", content)])
    assert imported.problems == (
        f"m.json holds {kind} at the top level; a map file holds an object with "
        '"stakeholders" (a list of objects, one per stakeholder), or just that list.',
    )


def test_unknown_columns_and_fields_are_named_as_typed() -> None:
    imported = read_map_files(
        [
            (
                "m.csv",
                b"Name,Kind,Influence,Position,Favourite Colour!,size\nA,Media,3,neutral,red,2\n",
            )
        ]
    )
    assert imported.ok
    assert (
        'Columns the app does not use were left out: "Favourite Colour!", "size".' in imported.notes
    )
    data = json.dumps([{**row(name="A"), "Shoe Size": 9}])
    imported = read_map_files([("m.json", data.encode())])
    assert 'Fields the app does not use were left out: "Shoe Size".' in imported.notes


def test_a_json_list_of_stakeholders_is_enough() -> None:
    imported = read_map_files([("m.json", json.dumps([row(name="A")]).encode())])
    assert imported.ok and imported.sentence == "1 stakeholder"


def test_file_names_for_downloads_are_safe() -> None:
    assert export_name("Table <7> 🌱", ".csv") == "table-7-stakeholder-map.csv"
    assert export_name("שלום", ".json") == "our-stakeholder-map.json"


names = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=80
).filter(lambda s: s.strip() == s and s and not set("\n\r\t") & set(s) and not refused_character(s))


@settings(max_examples=60, deadline=None)
@given(
    people=st.lists(
        st.builds(
            lambda name, kind, influence, band, tie, quarters, note: (
                name,
                kind,
                influence,
                band,
                tie,
                quarters / 4,
                note,
            ),
            names,
            st.sampled_from(STAKEHOLDER_KINDS),
            st.integers(1, 5),
            st.sampled_from(list(SpectrumBand)),
            st.sampled_from(list(TieStrength)),
            st.integers(0, 400),
            st.one_of(st.just(""), names),
        ),
        min_size=1,
        max_size=8,
    ),
    data=st.data(),
)
def test_any_map_survives_both_formats(people: list[tuple], data: st.DataObject) -> None:
    import unicodedata

    stakeholders = []
    for i, (name, kind, influence, band, tie, hours, note) in enumerate(people):
        name = unicodedata.normalize("NFC", name)
        note = unicodedata.normalize("NFC", note)
        if name.strip() != name or not name or (note and note.strip() != note):
            continue
        stakeholders.append(
            Stakeholder(
                id=i + 1,
                name=name,
                kind=kind,
                influence=influence,
                band=band,
                tie=tie,
                energy_hours=hours,
                note=note,
            )
        )
    if not stakeholders:
        return
    ids = [s.id for s in stakeholders]
    pairs = data.draw(st.sets(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6))
    ties = tuple(
        Tie(source_id=min(a, b), target_id=max(a, b))
        for a, b in {(min(a, b), max(a, b)) for a, b in pairs if a != b}
    )
    original = StakeholderMap(tuple(stakeholders), ties, 5.0)
    _same_map(read_map_files([("m.json", map_json.map_json(original))]), original)
    _same_map(
        read_map_files(
            [("p.csv", map_csv.stakeholders_csv(original)), ("t.csv", map_csv.ties_csv(original))]
        ),
        original,
    )


# --- the same names again -----------------------------------------------------------------------


def test_an_import_finds_names_already_on_the_map_as_group_names_are_compared() -> None:
    def new(name: str) -> StakeholderIn:
        return StakeholderIn(name=name, kind="Media", influence=3, band="neutral")

    incoming = [new("City  Council"), new("Press"), new("tenants' union"), new("Ana")]
    on_map = ["city council", "Tenants' Union\u200b", "Bo"]
    repeats = already_on_map(incoming, on_map)
    assert repeats == [0, 2]
    assert sentence(incoming, repeats) == (
        "2 of these have the same name as stakeholders already on the map: "
        + isolate("City  Council")
        + " and "
        + isolate("tenants' union")
        + "."
    )
    assert sentence(incoming, [1]).startswith("1 of these has the same name")

    ties = (
        FileTie(0, 1, TieStrength.weak),
        FileTie(1, 3, TieStrength.strong),
        FileTie(2, 3, TieStrength.weak),
    )
    trimmed, dropped = without(MapFile(stakeholders=tuple(incoming), ties=ties), repeats)
    assert [s.name for s in trimmed.stakeholders] == ["Press", "Ana"]
    assert trimmed.ties == (FileTie(0, 1, TieStrength.strong),)  # positions follow the kept
    assert dropped == 2


# The same name typed twice can differ invisibly: "é" as one character or as "e" and an accent
# (NFC), a zero-width space for a space, or full-width letters (NFKC). Every place that
# compares names folds these as workbook.keys.name_key does.
SAME_NAMES = [
    ("Caf\u00e9 owners", "Cafe\u0301 owners"),
    ("Ana Silva", "Ana\u200bSilva"),
    ("Press", "\uff30\uff52\uff45\uff53\uff53"),  # full-width letters (NFKC)
]


@pytest.mark.parametrize(("typed", "again"), SAME_NAMES)
def test_repeated_names_fold_invisible_differences(typed: str, again: str) -> None:
    parsed = map_rows.parse_stakeholder_rows([row(name=typed), row(name="Bo"), row(name=again)])
    assert map_rows.repeated_names(parsed.rows) == [["Row 1", "Row 3"]]


@pytest.mark.parametrize(("typed", "again"), SAME_NAMES)
def test_ties_find_a_name_typed_with_invisible_differences(typed: str, again: str) -> None:
    people = f"name,kind,influence,band\n{typed},Media,3,neutral\nBo,Media,3,neutral\n"
    ties = f"source,target,strength\n{again},Bo,strong\n"
    imported = read_map_files([("p.csv", people.encode()), ("t.csv", ties.encode())])
    assert imported.row_problems == ()
    assert imported.ties == (FileTie(0, 1, TieStrength.strong),)


def test_the_template_reads_back_as_its_two_examples_with_every_column() -> None:
    result = read_map_files([("stakeholders-template.csv", map_csv.template_csv())])
    assert result.ok and not result.row_problems, result
    first, second = result.stakeholders
    assert (first.kind, first.influence, first.band, first.target_band) == (
        "Institution or decision-maker",
        4,
        SpectrumBand.neutral,
        SpectrumBand.passive_ally,
    )
    assert (first.tie, first.energy_hours, first.note, first.must_invest) == (
        TieStrength.weak,
        2.0,
        "Met them in May",
        True,
    )
    assert (second.kind, second.band, second.target_band) == (
        "Community group",
        SpectrumBand.active_ally,
        None,
    )
    assert all(s.name.startswith("Example: ") for s in result.stakeholders)
