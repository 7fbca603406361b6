"""Commitments (the action plan): an optional key finding stored as none, Undo of a removal,
editing every field with the add form's checks, and a past date said. The store on a real
file, the page in AppTest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import jump_box, raw_rows
from tests.test_language_pages import choose_language
from tests.test_pages import button, create_workshop, fresh, texts
from tests.test_store import seated
from workbook.models import CommitmentIn, CommitmentStatus, KeyFinding
from workbook.store import MIGRATIONS, NotFoundError, Store
from workbook.store.commitments import SameCommitmentError
from workbook.store.database import _apply_migrations
from workbook.ui.resources import _open_store
from workbook.ui.widgets import KEPT_NOTE

# --- the store ---------------------------------------------------------------------------------


def test_a_commitment_without_a_key_finding_is_stored_as_none(
    store: Store, db_location: str
) -> None:
    seat = seated(store)
    first = store.add_commitment(
        seat=seat, commitment=CommitmentIn(what="Phone the households"), round=1
    )
    # Naming a finding afterwards is a change of its own, not the same commitment.
    named = CommitmentIn(what="Phone the households", key_finding=KeyFinding.early_actions)
    second = store.add_commitment(seat=seat, commitment=named, round=1)
    assert second != first
    assert [c.key_finding for c in store.commitments(seat.group.id)] == [
        None,
        KeyFinding.early_actions,
    ]
    store.close()
    assert raw_rows(db_location, "SELECT key_finding FROM commitments ORDER BY id") == [
        (None,),
        ("early_actions",),
    ]


def test_an_older_database_keeps_its_commitments_findings(tmp_path: Path) -> None:
    """A file made before a finding could be left out: migrated, its commitments keep theirs."""
    path = tmp_path / "old.duckdb"
    with duckdb.connect(str(path)) as con:
        _apply_migrations(con, [m for m in MIGRATIONS if m.version < 16])
        con.execute(
            "INSERT INTO commitments VALUES (1, 'k', 1, 1, 1, 'Call the mayor', 'Ana', NULL,"
            " 'right_people', 1, false, now())"
        )
    store = Store(path)
    try:
        assert 16 in store.applied_migrations
        [old] = store.commitments(1)
        assert (old.what, old.key_finding) == ("Call the mayor", KeyFinding.right_people)
    finally:
        store.close()


def test_undo_brings_a_removed_commitment_back_exactly(store: Store) -> None:
    seat = seated(store)
    first = store.add_commitment(
        seat=seat,
        commitment=CommitmentIn(
            what="Call the mayor", who="Ana", by_when=dt.date(2027, 1, 20), key_finding="learning"
        ),
        round=1,
    )
    store.add_commitment(seat=seat, commitment=CommitmentIn(what="Write to the council"), round=1)
    store.review_commitment(
        group_id=seat.group.id, commitment_id=first, round=2, status=CommitmentStatus.partly
    )
    before = store.commitments(seat.group.id)
    store.remove_commitment(group_id=seat.group.id, commitment_id=first)
    assert [c.what for c in store.commitments(seat.group.id)] == ["Write to the council"]
    other = seated(store, group="Other")
    with pytest.raises(NotFoundError):
        store.restore_commitment(group_id=other.group.id, commitment_id=first)
    store.restore_commitment(group_id=seat.group.id, commitment_id=first)
    assert store.commitments(seat.group.id) == before  # id, place, date, finding, review


def test_editing_a_commitment_changes_its_fields_and_keeps_the_rest(store: Store) -> None:
    seat = seated(store)
    plan = CommitmentIn(what="Call the mayor", who="Ana", key_finding="learning")
    first = store.add_commitment(seat=seat, commitment=plan, round=1)
    second = store.add_commitment(seat=seat, commitment=CommitmentIn(what="Leaflets"), round=1)
    [before, _] = store.commitments(seat.group.id)
    edited = CommitmentIn(
        what="Call the mayor's office", who="Sam", by_when=dt.date(2027, 2, 1), key_finding=None
    )
    assert store.edit_commitment(group_id=seat.group.id, commitment_id=first, commitment=edited)
    [after, _] = store.commitments(seat.group.id)
    assert (after.what, after.who, after.by_when, after.key_finding) == (
        "Call the mayor's office",
        "Sam",
        dt.date(2027, 2, 1),
        None,
    )
    assert (after.id, after.round, after.created_at) == (before.id, before.round, before.created_at)
    # Saved twice (a double click): nothing more changes.
    assert not store.edit_commitment(group_id=seat.group.id, commitment_id=first, commitment=edited)
    # What it said before is a new commitment now; what it says now is the edited one.
    assert store.add_commitment(seat=seat, commitment=plan, round=1) not in (first, second)
    assert store.add_commitment(seat=seat, commitment=edited, round=1) == first
    # Made the same as another listed one: refused, nothing changed.
    with pytest.raises(SameCommitmentError):
        store.edit_commitment(group_id=seat.group.id, commitment_id=second, commitment=plan)
    assert [c.what for c in store.commitments(seat.group.id)] == [
        "Call the mayor's office",
        "Leaflets",
        "Call the mayor",
    ]
    other = seated(store, group="Other")
    with pytest.raises(NotFoundError):
        store.edit_commitment(group_id=other.group.id, commitment_id=first, commitment=plan)


def test_editing_into_a_removed_commitment_keeps_both(store: Store) -> None:
    """A removed commitment with the very fields an edit gives: the edit is saved, and the
    removed one's Undo still brings it back."""
    seat = seated(store)
    gone = store.add_commitment(seat=seat, commitment=CommitmentIn(what="Leaflets"), round=1)
    kept = store.add_commitment(seat=seat, commitment=CommitmentIn(what="Posters"), round=1)
    store.remove_commitment(group_id=seat.group.id, commitment_id=gone)
    assert store.edit_commitment(
        group_id=seat.group.id, commitment_id=kept, commitment=CommitmentIn(what="Leaflets")
    )
    store.restore_commitment(group_id=seat.group.id, commitment_id=gone)
    assert [(c.id, c.what) for c in store.commitments(seat.group.id)] == [
        (gone, "Leaflets"),
        (kept, "Leaflets"),
    ]


# --- the page ----------------------------------------------------------------------------------


def on_action_plan() -> AppTest:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    jump_box(at).set_value(len(jump_box(at).options) - 1).run()
    assert at.title[0].value == "Action plan"
    return at


def add(at: AppTest, what: str, who: str = "", when: dt.date | None = None) -> None:
    at.text_area(key="action_plan_what").input(what)
    if who:
        at.text_input(key="action_plan_who").input(who)
    if when:
        at.date_input(key="action_plan_when").set_value(when)
    button(at, "Add commitment").click()
    at.run()
    assert not at.exception, at.exception


def htmls(at: AppTest) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def stored(at: AppTest, app_db: Path) -> list[tuple[object, ...]]:
    """The group's listed commitments, as the store reads them: (what, who, date, finding)."""
    store = _open_store(str(app_db))  # the app's own (DuckDB allows one writer per file)
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    assert seat is not None
    return [(c.what, c.who, c.by_when, c.key_finding) for c in store.commitments(seat.group.id)]


def test_a_key_finding_left_alone_is_stored_as_none(app_db: Path) -> None:
    at = on_action_plan()
    finding = at.selectbox(key="action_plan_finding")
    assert finding.label == "Which key finding does it act on? (optional)"
    assert finding.value == "" and finding.options[0] == "None in particular"
    add(at, "Phone the three Block C households", who="Amira")
    assert stored(at, app_db) == [("Phone the three Block C households", "Amira", None, None)]
    assert "Who: Amira" in texts(at)  # no "Finding: ..." made up
    assert not any("Finding:" in t for t in texts(at))
    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert any(t.startswith("Amira · Not reviewed yet") for t in texts(at))


def test_removing_says_so_in_place_and_undo_brings_it_back(app_db: Path) -> None:
    at = on_action_plan()
    add(at, "Phone the households")
    add(at, "Start the repairs petition")
    add(at, "Ask the Law Centre")
    button_keys = [b.key for b in at.button if b.label == "Remove"]
    at.button(key=button_keys[1]).click().run()
    assert not at.exception
    assert [row[0] for row in stored(at, app_db)] == ["Phone the households", "Ask the Law Centre"]
    assert texts(at).count("Start the repairs petition") == 0
    # The page has other status regions (the lesson form's); this one says the removal.
    [notice] = [h for h in htmls(at) if 'role="status"' in h and "Removed" in h]
    assert "Removed “<bdi>Start the repairs petition</bdi>”." in notice
    # In the removed card's place: after the first card, before the third.
    order = [
        "removed" if e.type == "html" else e.value
        for e in at.main
        if e.type == "text" or (e.type == "html" and "Removed “" in e.proto.body)
    ]
    assert order.index("removed") == order.index("Phone the households") + 1
    assert order.index("Ask the Law Centre") == order.index("removed") + 1

    at.button(key="action_plan_undo").click().run()
    assert not at.exception
    assert [row[0] for row in stored(at, app_db)] == [
        "Phone the households",
        "Start the repairs petition",
        "Ask the Law Centre",
    ]
    assert [t for t in texts(at) if t in {"Start the repairs petition"}] == [
        "Start the repairs petition"
    ]
    assert [s.value for s in at.success] == ["Brought back."]
    assert not [h for h in htmls(at) if 'role="status"' in h and "Removed" in h]


def test_a_past_date_is_kept_and_said(app_db: Path) -> None:
    at = on_action_plan()
    add(at, "Ask the Law Centre", who="Jo", when=dt.date(2025, 1, 10))
    assert stored(at, app_db) == [("Ask the Law Centre", "Jo", dt.date(2025, 1, 10), None)]
    assert [w.value for w in at.warning] == [
        "The date, Jan 10, 2025, has already passed. It was saved as you gave it: change it if "
        "you meant a later one."
    ]
    assert [s.value for s in at.success] == ["Commitment added."]
    add(at, "Meet the union", when=dt.date.today() + dt.timedelta(days=30))
    assert not at.warning


def test_editing_a_commitment_keeps_what_was_typed_on_a_bad_input(app_db: Path) -> None:
    at = on_action_plan()
    add(at, "Ask the Law Centre", who="Jo")
    [edit] = [b for b in at.button if b.label == "Edit"]
    edit.click().run()
    assert not at.exception
    [box] = [t for t in at.text_area if t.key and t.key.startswith("action_plan_edit_")]
    prefix = box.key.removesuffix("_what")
    assert box.value == "Ask the Law Centre"
    assert at.text_input(key=f"{prefix}_who").value == "Jo"
    # A bad input: refused with the add form's sentence, everything typed kept.
    box.input("")
    at.text_input(key=f"{prefix}_who").input("Dev")
    at.date_input(key=f"{prefix}_when").set_value(dt.date(2025, 1, 10))
    at.selectbox(key=f"{prefix}_finding").set_value(KeyFinding.right_people)
    button(at, "Save changes").click()
    at.run()
    assert not at.exception
    assert at.error and "What we will do cannot be empty" in at.error[0].value
    assert KEPT_NOTE in [c.value for c in at.caption]
    assert at.text_input(key=f"{prefix}_who").value == "Dev"
    assert at.date_input(key=f"{prefix}_when").value == dt.date(2025, 1, 10)
    assert at.selectbox(key=f"{prefix}_finding").value == KeyFinding.right_people
    assert stored(at, app_db) == [("Ask the Law Centre", "Jo", None, None)]
    # Fixed and saved: every field changed, the past date said.
    at.text_area(key=f"{prefix}_what").input("Ask the Law Centre for one hour")
    button(at, "Save changes").click()
    at.run()
    assert not at.exception
    assert stored(at, app_db) == [
        ("Ask the Law Centre for one hour", "Dev", dt.date(2025, 1, 10), "right_people")
    ]
    assert [s.value for s in at.success] == ["Changes saved."]
    assert at.warning and "has already passed" in at.warning[0].value
    assert not [t for t in at.text_area if t.key and t.key.startswith("action_plan_edit_")]
    assert "Who: Dev · Finding: Right people, right places, right time · By Jan 10, 2025" in texts(
        at
    )
    # Cancel closes the form and changes nothing.
    [edit] = [b for b in at.button if b.label == "Edit"]
    edit.click().run()
    at.text_area(key=f"{prefix}_what").input("Something else")
    button(at, "Cancel").click()
    at.run()
    assert stored(at, app_db)[0][0] == "Ask the Law Centre for one hour"
    assert "Ask the Law Centre for one hour" in texts(at)


def test_an_edit_that_repeats_another_commitment_is_refused_in_place(app_db: Path) -> None:
    at = on_action_plan()
    add(at, "Leaflets")
    add(at, "Posters")
    edit_keys = [b.key for b in at.button if b.label == "Edit"]
    at.button(key=edit_keys[1]).click().run()
    prefix = edit_keys[1]
    at.text_area(key=f"{prefix}_what").input("Leaflets")
    button(at, "Save changes").click()
    at.run()
    assert at.error and "already says exactly this" in at.error[0].value
    assert at.text_area(key=f"{prefix}_what").value == "Leaflets"  # kept, to change again
    assert [row[0] for row in stored(at, app_db)] == ["Leaflets", "Posters"]


def test_the_action_plan_speaks_danish(app_db: Path) -> None:
    at = on_action_plan()
    choose_language(at, "da")
    finding = at.selectbox(key="action_plan_finding")
    assert finding.label == "Hvilket hovedfund handler den om? (valgfrit)"
    assert finding.options[0] == "Intet bestemt"
    at.text_area(key="action_plan_what").input("Ring til Lovcentret")
    at.date_input(key="action_plan_when").set_value(dt.date(2025, 1, 10))
    button(at, "Tilføj aftale").click()
    at.run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [
        "Datoen, 10. jan. 2025, er allerede passeret. Den blev gemt, som du angav den: ret den, "
        "hvis du mente en senere dato."
    ]
    [remove] = [b for b in at.button if b.label == "Fjern"]
    remove.click().run()
    assert any("“<bdi>Ring til Lovcentret</bdi>” er fjernet." in h for h in htmls(at))
    button(at, "Fortryd").click()
    at.run()
    assert [s.value for s in at.success] == ["Hentet tilbage."]
    assert [b.label for b in at.button if b.label in {"Redigér", "Fjern"}] == ["Redigér", "Fjern"]


def test_an_edit_to_a_commitment_removed_elsewhere_moves_to_the_add_form(app_db: Path) -> None:
    """Walk-through 5: with Edit open in one tab and the commitment removed in another,
    Save changes lost the typed words without a word. They now go to the add form, with why."""
    at = on_action_plan()
    add(at, "Ask the Law Centre", who="Jo")
    [edit] = [b for b in at.button if b.label == "Edit"]
    edit.click().run()
    [box] = [t for t in at.text_area if t.key and t.key.startswith("action_plan_edit_")]
    prefix = box.key.removesuffix("_what")
    box.input("Ask the Law Centre about repairs")
    at.text_input(key=f"{prefix}_who").input("Dev")
    at.selectbox(key=f"{prefix}_finding").set_value(KeyFinding.right_people)
    # Another tab removes it.
    store = _open_store(str(app_db))
    seat = store.resume(join_code=at.query_params["w"], token=at.query_params["t"])
    [listed] = store.commitments(seat.group.id)
    store.remove_commitment(group_id=seat.group.id, commitment_id=listed.id)
    button(at, "Save changes").click()
    at.run()
    assert not at.exception, at.exception
    assert at.error and at.error[0].value.startswith("• That commitment was removed")
    assert at.text_area(key="action_plan_what").value == "Ask the Law Centre about repairs"
    assert at.text_input(key="action_plan_who").value == "Dev"
    assert at.selectbox(key="action_plan_finding").value == KeyFinding.right_people
    assert store.commitments(seat.group.id) == []  # nothing brought back silently
