"""Stakeholder maps in the real DuckDB store: save, edit, delete, ties, measures, snapshots,
imports, atomic saves and one group's map never touching another's."""

from __future__ import annotations

import pytest

from workbook.map_rows import ParsedRow
from workbook.map_worksheet import stakeholder_changes
from workbook.models import (
    STAKEHOLDER_KINDS,
    JoinRequest,
    SpectrumBand,
    StakeholderIn,
    Tie,
    TieStrength,
    WorkshopCreate,
)
from workbook.records import Seat
from workbook.stakeholders.graph import DECISION_MAKER_KIND
from workbook.stakeholders.measures import summarise_map
from workbook.stakeholders.saved import (
    DEFAULT_ENERGY_BUDGET,
    StakeholderChanges,
    StakeholderUpdate,
    TieChanges,
)
from workbook.store import NotFoundError, Store, StoreError, WriteFailedError
from workbook.store import maps as store_maps

COMMUNITY = "Community group"


def seated(store: Store, group: str = "Table 1") -> Seat:
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
    return seat


def someone(name: str, **changes: object) -> StakeholderIn:
    values: dict[str, object] = {
        "name": name,
        "kind": COMMUNITY,
        "influence": 3,
        "band": "neutral",
        "tie": "weak",
        "energy_hours": 2,
    }
    values.update(changes)
    return StakeholderIn(**values)


def add(store: Store, seat: Seat, *people: StakeholderIn) -> list[int]:
    before = {s.id for s in store.stakeholder_map(group_id=seat.group.id).stakeholders}
    store.save_stakeholder_changes(group_id=seat.group.id, changes=StakeholderChanges(added=people))
    after = store.stakeholder_map(group_id=seat.group.id).stakeholders
    return [s.id for s in after if s.id not in before]


def tie(a: int, b: int, strength: str = "weak") -> Tie:
    return Tie(source_id=a, target_id=b, strength=strength)


def test_a_new_group_has_an_empty_map_and_the_default_budget(store: Store) -> None:
    seat = seated(store)
    current = store.stakeholder_map(group_id=seat.group.id)
    assert current.stakeholders == () and current.ties == ()
    assert current.energy_budget == DEFAULT_ENERGY_BUDGET
    assert store.map_summary(group_id=seat.group.id) is None


def test_save_add_edit_and_delete_round_trip_every_field(store: Store) -> None:
    seat = seated(store)
    tricky = someone(
        "<b>Mayor</b> 👋🏽 שלום",
        kind=DECISION_MAKER_KIND,
        influence=5,
        band="passive_opposition",
        target_band="neutral",
        tie="strong",
        energy_hours=2.25,
        note="'); DROP TABLE stakeholders;--",
        not_our_battle=True,
        must_invest=True,
    )
    ids = add(store, seat, tricky, someone("Tenants"))
    stored = store.stakeholder_map(group_id=seat.group.id).stakeholders
    assert [s.id for s in stored] == sorted(ids)
    assert stored[0].model_dump(exclude={"id"}) == tricky.model_dump()

    result = store.save_stakeholder_changes(
        group_id=seat.group.id,
        changes=StakeholderChanges(
            updated=(StakeholderUpdate(ids[0], {"influence": 2}, tricky),),
            deleted_ids=(ids[1],),
        ),
    )
    assert (result.added, result.updated, result.deleted, result.restored) == (0, 1, 1, 0)
    [only] = store.stakeholder_map(group_id=seat.group.id).stakeholders
    assert only.id == ids[0] and only.influence == 2 and only.name == tricky.name


def test_an_update_writes_only_the_fields_it_changed(store: Store) -> None:
    """Two devices edit different fields of one stakeholder: both edits stay."""
    seat = seated(store)
    [sid] = add(store, seat, someone("Council"))
    base = store.stakeholder_map(group_id=seat.group.id).stakeholders
    edited_here = base[0].model_copy(update={"note": "met in May"})
    edited_there = base[0].model_copy(update={"influence": 5})
    for edited in (edited_there, edited_here):
        rows = [ParsedRow("Row 1", StakeholderIn(**edited.model_dump(exclude={"id"})), sid)]
        changes = stakeholder_changes(base, rows)
        store.save_stakeholder_changes(group_id=seat.group.id, changes=changes)
    [now] = store.stakeholder_map(group_id=seat.group.id).stakeholders
    assert (now.influence, now.note) == (5, "met in May")


def test_an_edit_of_a_stakeholder_deleted_elsewhere_adds_it_back(store: Store) -> None:
    seat = seated(store)
    [sid] = add(store, seat, someone("Council"))
    store.save_stakeholder_changes(
        group_id=seat.group.id, changes=StakeholderChanges(deleted_ids=(sid,))
    )
    edited = someone("Council", influence=5)
    result = store.save_stakeholder_changes(
        group_id=seat.group.id,
        changes=StakeholderChanges(updated=(StakeholderUpdate(sid, {"influence": 5}, edited),)),
    )
    assert result.restored == 1
    [back] = store.stakeholder_map(group_id=seat.group.id).stakeholders
    assert back.id != sid and back.influence == 5 and back.name == "Council"


def test_ties_are_saved_once_per_pair_and_dropped_with_their_stakeholder(store: Store) -> None:
    seat = seated(store)
    a, b, c = add(store, seat, someone("A"), someone("B"), someone("C"))
    store.save_tie_changes(
        group_id=seat.group.id,
        changes=TieChanges(upserted=(tie(b, a), tie(b, c, "strong"))),
    )
    ties = store.stakeholder_map(group_id=seat.group.id).ties
    assert ties == (tie(a, b), tie(b, c, "strong"))  # stored lower id first

    store.save_tie_changes(
        group_id=seat.group.id, changes=TieChanges(upserted=(tie(a, b, "strong"),))
    )
    assert store.stakeholder_map(group_id=seat.group.id).ties[0].strength == TieStrength.strong

    store.save_stakeholder_changes(
        group_id=seat.group.id, changes=StakeholderChanges(deleted_ids=(b,))
    )
    assert store.stakeholder_map(group_id=seat.group.id).ties == ()


def test_a_tie_to_a_stakeholder_deleted_meanwhile_is_dropped_not_saved(store: Store) -> None:
    seat = seated(store)
    a, b = add(store, seat, someone("A"), someone("B"))
    store.save_stakeholder_changes(
        group_id=seat.group.id, changes=StakeholderChanges(deleted_ids=(b,))
    )
    result = store.save_tie_changes(
        group_id=seat.group.id, changes=TieChanges(upserted=(tie(a, b), tie(a, 999)))
    )
    assert result.ties_dropped == 2
    assert store.stakeholder_map(group_id=seat.group.id).ties == ()


def test_every_save_rewrites_the_measures_row(store: Store) -> None:
    seat = seated(store)
    a, b = add(
        store,
        seat,
        someone("A", tie="strong"),
        someone("B", kind=DECISION_MAKER_KIND, tie="none"),
    )
    summary = store.map_summary(group_id=seat.group.id)
    assert summary is not None
    assert summary.stakeholders == 2 and summary.ties == 1 and summary.strong_tie_share == 1.0
    assert summary.kinds_present == (COMMUNITY, DECISION_MAKER_KIND)
    assert len(summary.kinds_missing) == len(STAKEHOLDER_KINDS) - 2
    assert summary.single_points_of_failure == 1  # our own tie to A is the only route to A

    store.save_tie_changes(group_id=seat.group.id, changes=TieChanges(upserted=(tie(a, b),)))
    summary = store.map_summary(group_id=seat.group.id)
    assert summary is not None and summary.ties == 2 and summary.strong_tie_share == 0.5
    current = store.stakeholder_map(group_id=seat.group.id)
    assert summary == summarise_map(current.stakeholders, current.ties)

    store.save_stakeholder_changes(
        group_id=seat.group.id, changes=StakeholderChanges(deleted_ids=(a, b))
    )
    summary = store.map_summary(group_id=seat.group.id)
    assert summary is not None
    assert (summary.stakeholders, summary.ties, summary.strong_tie_share) == (0, 0, None)
    assert summary.kinds_missing == STAKEHOLDER_KINDS


def test_the_measures_row_has_the_columns_the_funder_view_reads(store: Store) -> None:
    seat = seated(store)
    add(store, seat, someone("A"))
    row = store._one(
        "SELECT group_id, workshop_id, stakeholders, ties, strong_tie_share,"
        " single_points_of_failure, kinds_present, kinds_missing FROM map_measures"
    )
    assert row == (
        seat.group.id,
        seat.workshop.id,
        1,
        1,
        0.0,
        1,
        [COMMUNITY],
        [k for k in STAKEHOLDER_KINDS if k != COMMUNITY],
    )
    kind = store._one("SELECT kind FROM stakeholders")
    assert kind == (COMMUNITY,)


def test_a_failing_save_leaves_nothing_half_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seat = seated(store)
    a, b = add(store, seat, someone("A"), someone("B"))
    store.save_tie_changes(group_id=seat.group.id, changes=TieChanges(upserted=(tie(a, b),)))
    before = store.stakeholder_map(group_id=seat.group.id)
    measures_before = store.map_summary(group_id=seat.group.id)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the disk filled up halfway")

    # The measures are the last step of every save: failing there must undo the rest.
    monkeypatch.setattr(store_maps, "summarise_map", broken)
    with pytest.raises(RuntimeError):
        store.save_stakeholder_changes(
            group_id=seat.group.id,
            changes=StakeholderChanges(
                added=(someone("C"),),
                updated=(StakeholderUpdate(a, {"name": "A2"}, someone("A2")),),
                deleted_ids=(b,),
            ),
        )
    with pytest.raises(RuntimeError):
        store.import_map(
            group_id=seat.group.id,
            stakeholders=[someone("X")],
            ties=[],
            replace=True,
            snapshot_label="Before import",
        )
    assert store.stakeholder_map(group_id=seat.group.id) == before
    assert store.map_summary(group_id=seat.group.id) == measures_before
    assert store.map_snapshots(group_id=seat.group.id) == []


def test_a_database_error_mid_save_is_a_plain_write_failure(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seat = seated(store)
    add(store, seat, someone("A"))
    before = store.stakeholder_map(group_id=seat.group.id)
    original = store_maps._rewrite_measures

    def broken(cur, *args, **kwargs):  # type: ignore[no-untyped-def]
        original(cur, *args, **kwargs)
        cur.execute("SELECT * FROM no_such_table")

    monkeypatch.setattr(store_maps, "_rewrite_measures", broken)
    with pytest.raises(WriteFailedError) as raised:
        store.save_stakeholder_changes(
            group_id=seat.group.id, changes=StakeholderChanges(added=(someone("B"),))
        )
    assert "Nothing you typed has been lost" in str(raised.value)
    assert store.stakeholder_map(group_id=seat.group.id) == before


def test_another_groups_map_is_never_touched(store: Store) -> None:
    ours, theirs = seated(store, "Ours"), seated(store, "Theirs")
    [their_id] = add(store, theirs, someone("Their ally"))
    add(store, ours, someone("Our ally"))
    their_map = store.stakeholder_map(group_id=theirs.group.id)
    their_measures = store.map_summary(group_id=theirs.group.id)

    # Our saves name their stakeholder's id (a forged or stale table): nothing of theirs moves.
    store.save_stakeholder_changes(
        group_id=ours.group.id,
        changes=StakeholderChanges(
            updated=(StakeholderUpdate(their_id, {"name": "Hijacked"}, someone("Hijacked")),),
            deleted_ids=(their_id,),
        ),
    )
    store.save_tie_changes(
        group_id=ours.group.id, changes=TieChanges(upserted=(tie(their_id, their_id + 1),))
    )
    # The forged update became a stakeholder of ours, not an edit of theirs.
    ours_now = store.stakeholder_map(group_id=ours.group.id)
    assert [s.name for s in ours_now.stakeholders] == ["Our ally", "Hijacked"]
    assert ours_now.ties == ()
    store.import_map(group_id=ours.group.id, stakeholders=[someone("New")], ties=[], replace=True)
    store.set_energy_budget(group_id=ours.group.id, hours=3)
    assert store.stakeholder_map(group_id=theirs.group.id) == their_map
    assert store.map_summary(group_id=theirs.group.id) == their_measures


def test_saving_for_a_group_that_does_not_exist_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.save_stakeholder_changes(
            group_id=12345, changes=StakeholderChanges(added=(someone("A"),))
        )
    assert store._one("SELECT count(*) FROM stakeholders") == (0,)


def test_energy_budget_is_kept_and_checked(store: Store) -> None:
    seat = seated(store)
    store.set_energy_budget(group_id=seat.group.id, hours=12.5)
    store.set_energy_budget(group_id=seat.group.id, hours=7)
    assert store.stakeholder_map(group_id=seat.group.id).energy_budget == 7
    with pytest.raises(StoreError):
        store.set_energy_budget(group_id=seat.group.id, hours=-1)


def test_snapshots_are_kept_and_read_back_as_they_were(store: Store) -> None:
    seat = seated(store)
    a, b = add(store, seat, someone("A", band="neutral"), someone("B"))
    store.save_tie_changes(group_id=seat.group.id, changes=TieChanges(upserted=(tie(a, b),)))
    first = store.save_snapshot(group_id=seat.group.id, label="First workshop <i>")
    store.save_stakeholder_changes(
        group_id=seat.group.id,
        changes=StakeholderChanges(
            updated=(StakeholderUpdate(a, {"band": SpectrumBand.passive_ally}, someone("A")),),
            deleted_ids=(b,),
        ),
    )
    second = store.save_snapshot(group_id=seat.group.id, label="Follow-up")
    infos = store.map_snapshots(group_id=seat.group.id)
    assert [(i.id, i.label, i.stakeholders, i.round) for i in infos] == [
        (first, "First workshop <i>", 2, 1),
        (second, "Follow-up", 1, 1),
    ]
    old = store.map_snapshot(group_id=seat.group.id, snapshot_id=first)
    assert old is not None
    assert [s.name for s in old.stakeholders] == ["A", "B"]
    assert old.ties == (tie(a, b),)
    assert old.stakeholders[0].band == SpectrumBand.neutral
    other = seated(store, "Other")
    assert store.map_snapshot(group_id=other.group.id, snapshot_id=first) is None


def test_a_snapshot_with_a_kind_since_removed_still_reads(store: Store) -> None:
    seat = seated(store)
    add(store, seat, someone("A"))
    snapshot_id = store.save_snapshot(group_id=seat.group.id, label="Then")
    store._write(
        lambda cur: cur.execute(
            "UPDATE map_snapshots SET content = replace(content, ?, ?)", [COMMUNITY, "Guild"]
        )
    )
    store._write(lambda cur: cur.execute("UPDATE stakeholders SET kind = 'Guild'"))
    snapshot = store.map_snapshot(group_id=seat.group.id, snapshot_id=snapshot_id)
    assert snapshot is not None and snapshot.stakeholders[0].kind == "Guild"
    assert store.stakeholder_map(group_id=seat.group.id).stakeholders[0].kind == "Guild"


def test_import_adds_or_replaces_and_keeps_a_snapshot_of_what_was_there(store: Store) -> None:
    seat = seated(store)
    add(store, seat, someone("Old friend"))
    imported = store.import_map(
        group_id=seat.group.id,
        stakeholders=[someone("X"), someone("Y"), someone("Z")],
        ties=[(0, 1, TieStrength.strong), (2, 1, TieStrength.weak)],
        replace=False,
    )
    current = store.stakeholder_map(group_id=seat.group.id)
    assert [s.name for s in current.stakeholders] == ["Old friend", "X", "Y", "Z"]
    x, y, z = (s.id for s in imported)
    assert set(current.ties) == {tie(x, y, "strong"), tie(y, z)}

    store.import_map(
        group_id=seat.group.id,
        stakeholders=[someone("Only")],
        ties=[],
        replace=True,
        energy_budget=9,
        snapshot_label="Before import",
    )
    current = store.stakeholder_map(group_id=seat.group.id)
    assert [s.name for s in current.stakeholders] == ["Only"] and current.ties == ()
    assert current.energy_budget == 9
    [kept] = store.map_snapshots(group_id=seat.group.id)
    assert kept.label == "Before import" and kept.stakeholders == 4
    summary = store.map_summary(group_id=seat.group.id)
    assert summary is not None and summary.stakeholders == 1
