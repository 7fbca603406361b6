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
        """'2 stakeholders added. 1 stakeholder changed.' (no names: safe anywhere)."""
        return self.sentence_in(None)

    def sentence_in(self, t: gettext.NullTranslations | None) -> str:
        """`sentence` in the language of `t` (English without)."""
        return self._said(english_or(t), saved=False)

    def saved_sentence_in(self, t: gettext.NullTranslations | None) -> str:
        """What a save of these changes says, in the language of `t`: "Saved: 2 stakeholders
        added. 1 stakeholder changed." ("Gemt: 2 interessenter tilføjet. 1 interessent
        ændret.")."""
        return self._said(english_or(t), saved=True)

    def _said(self, t: gettext.NullTranslations, *, saved: bool) -> str:
        """One whole sentence per outcome (added, changed, deleted), each with its count's
        plural, so that every language orders its own words; with `saved`, the first sentence
        also says that the changes were saved."""
        if self.empty:
            return t.gettext("Nothing has changed since you last saved.")
        added, changed, deleted = len(self.added), len(self.updated), len(self.deleted_ids)
        # (count, its sentence saying the save, its sentence after another)
        outcomes = (
            (
                added,
                t.ngettext(
                    "Saved: {n} stakeholder added.", "Saved: {n} stakeholders added.", added
                ),
                t.ngettext("{n} stakeholder added.", "{n} stakeholders added.", added),
            ),
            (
                changed,
                t.ngettext(
                    "Saved: {n} stakeholder changed.", "Saved: {n} stakeholders changed.", changed
                ),
                t.ngettext("{n} stakeholder changed.", "{n} stakeholders changed.", changed),
            ),
            (
                deleted,
                t.ngettext(
                    "Saved: {n} stakeholder removed.", "Saved: {n} stakeholders removed.", deleted
                ),
                t.ngettext("{n} stakeholder removed.", "{n} stakeholders removed.", deleted),
            ),
        )
        sentences: list[str] = []
        for n, first, then in outcomes:
            if n:
                sentences.append((first if saved and not sentences else then).format(n=n))
        return " ".join(sentences)


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
