"""What changed between two snapshots of a map: who joined, left, was renamed, moved along
the spectrum, changed influence, and which ties changed."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbook.bidi import isolate
from workbook.keys import name_key
from workbook.models import (
    StakeholderIn,
)
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import english_or, join_names

# --- snapshots over time --------------------------------------------------------------------


@dataclass(frozen=True)
class BandMove:
    before: StakeholderIn
    after: StakeholderIn
    towards_allies: bool
    sentence: str


@dataclass(frozen=True)
class TieChange:
    before: StakeholderIn
    after: StakeholderIn
    grew: bool
    sentence: str


@dataclass(frozen=True)
class InfluenceChange:
    before: StakeholderIn
    after: StakeholderIn
    rose: bool
    sentence: str


@dataclass(frozen=True)
class Rename:
    before: StakeholderIn
    after: StakeholderIn
    sentence: str


@dataclass(frozen=True)
class MapChanges:
    new: tuple[StakeholderIn, ...]
    gone: tuple[StakeholderIn, ...]
    renamed: tuple[Rename, ...]
    moved: tuple[BandMove, ...]
    ties: tuple[TieChange, ...]
    influence: tuple[InfluenceChange, ...]
    # The language its sentences are in (English: None).
    translations: gettext.NullTranslations | None = field(default=None, compare=False, repr=False)

    @property
    def unchanged(self) -> bool:
        return not (
            self.new or self.gone or self.renamed or self.moved or self.ties or self.influence
        )

    @property
    def sentences(self) -> list[str]:
        """What changed, one plain sentence each: new, gone, renamed, moved, ties, influence."""
        t = english_or(self.translations)
        if self.unchanged:
            return [t.gettext("Nothing changed between the two snapshots.")]
        lines = []
        if self.new:
            names = join_names([s.name for s in self.new], limit=12, t=t)
            lines.append(t.gettext("New on the map: {names}.").format(names=names))
        if self.gone:
            names = join_names([s.name for s in self.gone], limit=12, t=t)
            lines.append(t.gettext("No longer on the map: {names}.").format(names=names))
        lines += [r.sentence for r in self.renamed]
        lines += [m.sentence for m in self.moved]
        lines += [t.sentence for t in self.ties]
        lines += [i.sentence for i in self.influence]
        return lines


def _match(
    before: Sequence[StakeholderIn], after: Sequence[StakeholderIn]
) -> tuple[list[tuple[StakeholderIn, StakeholderIn]], list[int], list[int]]:
    """Pairs (before, after), then the unmatched positions in before and in after."""
    pairs: dict[int, int] = {}  # position in before -> position in after
    after_by_id: dict[int, int] = {}
    for j, s in enumerate(after):
        sid = getattr(s, "id", None)
        if sid is not None:
            after_by_id.setdefault(sid, j)
    taken: set[int] = set()
    for i, s in enumerate(before):
        sid = getattr(s, "id", None)
        j = after_by_id.get(sid) if sid is not None else None
        if j is not None and j not in taken:
            pairs[i] = j
            taken.add(j)
    # Whatever the ids could not pair (an export without ids, or a stakeholder deleted and
    # added again) pairs by name, first with first when a name repeats.
    waiting: dict[str, list[int]] = {}
    for j, s in enumerate(after):
        if j not in taken:
            waiting.setdefault(name_key(s.name), []).append(j)
    for i, s in enumerate(before):
        if i in pairs:
            continue
        queue = waiting.get(name_key(s.name))
        if queue:
            j = queue.pop(0)
            pairs[i] = j
            taken.add(j)
    matched = [(before[i], after[j]) for i, j in sorted(pairs.items())]
    gone = [i for i in range(len(before)) if i not in pairs]
    new = [j for j in range(len(after)) if j not in taken]
    return matched, gone, new


def diff_snapshots(
    before: Sequence[StakeholderIn],
    after: Sequence[StakeholderIn],
    t: gettext.NullTranslations | None = None,
) -> MapChanges:
    """What changed between two versions of a map: who is new or gone, and who moved.

    Stakeholders are matched by id where both versions carry one, then, among the rest, by
    name compared case-insensitively with runs of spaces squeezed. Changes are listed in the
    order of the earlier version.
    """
    translations = t
    t = english_or(t)
    _ = t.gettext
    matched, gone, new = _match(before, after)
    renamed, moved, tie_changes, influence = [], [], [], []
    for old, now in matched:
        name = now.name
        if old.name != now.name:
            renamed.append(
                Rename(
                    old,
                    now,
                    _("{old} is now called {new}.").format(
                        old=isolate(old.name), new=isolate(now.name)
                    ),
                )
            )
        if old.band != now.band:
            steps = now.band.score - old.band.score
            towards = steps > 0
            if towards:
                sentence = t.ngettext(
                    "{name} moved from {old} to {new}: {n} band closer to being an ally.",
                    "{name} moved from {old} to {new}: {n} bands closer to being an ally.",
                    abs(steps),
                )
            else:
                sentence = t.ngettext(
                    "{name} moved from {old} to {new}: {n} band further from being an ally.",
                    "{name} moved from {old} to {new}: {n} bands further from being an ally.",
                    abs(steps),
                )
            sentence = sentence.format(
                name=isolate(name),
                old=word.band(old.band, _, lower=True),
                new=word.band(now.band, _, lower=True),
                n=abs(steps),
            )
            moved.append(BandMove(old, now, towards, sentence))
        if old.tie != now.tie:
            grew = now.tie.weight > old.tie.weight
            sentence = (
                _("Our tie with {name} grew: from {old} to {new}.")
                if grew
                else _("Our tie with {name} weakened: from {old} to {new}.")
            ).format(
                name=isolate(name),
                old=word.tie(old.tie, _, lower=True),
                new=word.tie(now.tie, _, lower=True),
            )
            tie_changes.append(TieChange(old, now, grew, sentence))
        if old.influence != now.influence:
            rose = now.influence > old.influence
            influence.append(
                InfluenceChange(
                    old,
                    now,
                    rose,
                    (
                        _("{name}'s influence rose from {old} to {new}.")
                        if rose
                        else _("{name}'s influence fell from {old} to {new}.")
                    ).format(name=isolate(name), old=old.influence, new=now.influence),
                )
            )
    return MapChanges(
        new=tuple(after[j] for j in new),
        gone=tuple(before[i] for i in gone),
        renamed=tuple(renamed),
        moved=tuple(moved),
        ties=tuple(tie_changes),
        influence=tuple(influence),
        translations=translations,
    )
