"""A saved map and its edits: the map as stored, the changes a form or an import makes, and
its snapshots."""

from __future__ import annotations

import datetime as dt
import gettext
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from workbook.bidi import isolate
from workbook.models import (
    Stakeholder,
    StakeholderIn,
    Tie,
)
from workbook.stakeholders.graph import english_or

# --- a saved map, its edits and its snapshots -----------------------------------------------

DEFAULT_ENERGY_BUDGET: Final = 20.0  # hours a month, until the group sets its own
MAX_ENERGY_BUDGET: Final = 10_000.0  # more than a full-time team: a typing slip, not a budget


def choice_label(stakeholder: Stakeholder) -> str:
    """How a stakeholder is named where two may share a name: 'Name (#12)'."""
    return f"{isolate(stakeholder.name)} (#{stakeholder.id})"


@dataclass(frozen=True)
class StakeholderMap:
    """A group's map as stored: its stakeholders (by id), the ties between them, its budget."""

    stakeholders: tuple[Stakeholder, ...]
    ties: tuple[Tie, ...]
    energy_budget: float = DEFAULT_ENERGY_BUDGET

    @property
    def is_empty(self) -> bool:
        return not self.stakeholders

    def same_content(self, other: StakeholderMap) -> bool:
        """Whether two reads show the same stakeholders and ties (the budget aside)."""
        return set(self.stakeholders) == set(other.stakeholders) and set(self.ties) == set(
            other.ties
        )


@dataclass(frozen=True)
class StakeholderUpdate:
    """An edit of one stored stakeholder: only the fields the person changed, and the whole
    row as they left it (to add it back should someone else have deleted it meanwhile)."""

    stakeholder_id: int
    fields: Mapping[str, object]
    row: StakeholderIn


@dataclass(frozen=True)
class StakeholderChanges:
    added: tuple[StakeholderIn, ...] = ()
    updated: tuple[StakeholderUpdate, ...] = ()
    deleted_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.updated or self.deleted_ids)

    @property
    def sentence(self) -> str:
        """'Added 2, changed 1 and deleted 1 stakeholder.' (no names: safe anywhere)."""
        return self.sentence_in(None)

    def sentence_in(self, t: gettext.NullTranslations | None) -> str:
        """`sentence` in the language of `t` (English without)."""
        t = english_or(t)
        counts = (len(self.added), len(self.updated), len(self.deleted_ids))
        if not any(counts):
            return t.gettext("Nothing has changed since you last saved.")
        added, changed, deleted = counts
        total = added + changed + deleted
        parts = [
            words.format(n=n)
            for words, n in (
                (t.gettext("added {n}"), added),
                (t.gettext("changed {n}"), changed),
                (t.gettext("deleted {n}"), deleted),
            )
            if n
        ]
        listed = parts[0]
        if len(parts) > 1:
            listed = t.gettext("{first} and {last}").format(
                first=", ".join(parts[:-1]), last=parts[-1]
            )
        text = t.ngettext("{parts} stakeholder.", "{parts} stakeholders.", total).format(
            parts=listed
        )
        return text[0].upper() + text[1:]


@dataclass(frozen=True)
class TieChanges:
    """Ties to add or re-weigh (`upserted`) and pairs to remove, each pair (lower, higher id)."""

    upserted: tuple[Tie, ...] = ()
    removed: tuple[tuple[int, int], ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.upserted or self.removed)


@dataclass(frozen=True)
class SavedChanges:
    """What a save did. `restored`: rows someone edited here but another device had deleted
    meanwhile; they are added back (the edit is the later wish) under new ids."""

    added: int
    updated: int
    deleted: int
    restored: int
    ties_dropped: int = 0  # ties whose stakeholder was no longer on the map


@dataclass(frozen=True)
class MapSnapshotInfo:
    id: int
    label: str
    round: int
    taken_at: dt.datetime
    stakeholders: int


@dataclass(frozen=True)
class MapSnapshot:
    info: MapSnapshotInfo
    stakeholders: tuple[Stakeholder, ...]
    ties: tuple[Tie, ...]
