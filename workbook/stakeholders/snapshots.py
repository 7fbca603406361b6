"""What changed between two snapshots of a map: who joined, left, was renamed, moved along
the spectrum, changed influence, how the group's own ties changed, and which ties between
stakeholders were added, removed or changed."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbook.bidi import isolate
from workbook.keys import name_key
from workbook.models import (
    StakeholderIn,
    Tie,
    TieStrength,
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
class LinkChange:
    """A tie between two stakeholders added (`before` None), removed (`after` None) or made
    stronger or weaker. The two are named as in the later version where they are still on
    the map, else as in the earlier one."""

    first: StakeholderIn
    second: StakeholderIn
    before: TieStrength | None
    after: TieStrength | None
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
    links: tuple[LinkChange, ...] = ()
    # Whether the later version is the map as it is now (not a second snapshot).
    against_now: bool = False
    # The language its sentences are in (English: None).
    translations: gettext.NullTranslations | None = field(default=None, compare=False, repr=False)

    @property
    def unchanged(self) -> bool:
        return not (
            self.new
            or self.gone
            or self.renamed
            or self.moved
            or self.ties
            or self.influence
            or self.links
        )

    @property
    def sentences(self) -> list[str]:
        """What changed, one plain sentence each: new, gone, renamed, moved, our ties,
        influence, then the ties between stakeholders."""
        t = english_or(self.translations)
        if self.unchanged:
            if self.against_now:
                return [t.gettext("Nothing changed between the snapshot and the map now.")]
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
        lines += [link.sentence for link in self.links]
        return lines


def _match(
    before: Sequence[StakeholderIn], after: Sequence[StakeholderIn]
) -> tuple[dict[int, int], list[int], list[int]]:
    """Pairs {position in before: position in after}, then the unmatched positions in before
    and in after."""
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
    gone = [i for i in range(len(before)) if i not in pairs]
    new = [j for j in range(len(after)) if j not in taken]
    return dict(sorted(pairs.items())), gone, new


def _strengths(
    people: Sequence[StakeholderIn], ties: Sequence[Tie], place: dict[int, tuple[str, int]]
) -> dict[tuple[tuple[str, int], tuple[str, int]], TieStrength]:
    """The ties of one version by the pair of places of their two stakeholders (in the order
    of the ties), leaving out "no tie" and ties to a stakeholder not on that version."""
    by_id = {sid: i for i, s in enumerate(people) if (sid := getattr(s, "id", None)) is not None}
    found: dict[tuple[tuple[str, int], tuple[str, int]], TieStrength] = {}
    for tie in ties:
        a, b = by_id.get(tie.source_id), by_id.get(tie.target_id)
        if a is None or b is None or a == b or tie.strength == TieStrength.none:
            continue
        ends = (place[a], place[b])
        found.setdefault((min(ends), max(ends)), tie.strength)
    return found


def _link_changes(
    before: Sequence[StakeholderIn],
    after: Sequence[StakeholderIn],
    before_ties: Sequence[Tie],
    after_ties: Sequence[Tie],
    pairs: dict[int, int],
    t: gettext.NullTranslations,
) -> list[LinkChange]:
    """Ties between stakeholders removed or re-weighed (in the earlier version's order), then
    those added (in the later version's order)."""
    _ = t.gettext
    # Where each stakeholder stands: ("after", j) once matched or new, ("before", i) if gone.
    place_before = {
        i: ("after", pairs[i]) if i in pairs else ("before", i) for i in range(len(before))
    }
    place_after = {j: ("after", j) for j in range(len(after))}
    old = _strengths(before, before_ties, place_before)
    now = _strengths(after, after_ties, place_after)

    def who(where: tuple[str, int]) -> StakeholderIn:
        return after[where[1]] if where[0] == "after" else before[where[1]]

    changes = []
    for key, strength in [*old.items(), *((k, s) for k, s in now.items() if k not in old)]:
        was, is_now = old.get(key), now.get(key)
        if was == is_now:
            continue
        first, second = who(key[0]), who(key[1])
        names = {"first": isolate(first.name), "second": isolate(second.name)}
        if was is None:
            sentence = _("New tie between {first} and {second}: {new}.").format(
                **names, new=word.tie(strength, _, lower=True)
            )
        elif is_now is None:
            sentence = _("The tie between {first} and {second} is gone (it was {old}).").format(
                **names, old=word.tie(was, _, lower=True)
            )
        else:
            sentence = (
                _("The tie between {first} and {second} grew: from {old} to {new}.")
                if is_now.weight > was.weight
                else _("The tie between {first} and {second} weakened: from {old} to {new}.")
            ).format(**names, old=word.tie(was, _, lower=True), new=word.tie(is_now, _, lower=True))
        changes.append(LinkChange(first, second, was, is_now, sentence))
    return changes


def diff_snapshots(
    before: Sequence[StakeholderIn],
    after: Sequence[StakeholderIn],
    t: gettext.NullTranslations | None = None,
    *,
    before_ties: Sequence[Tie] = (),
    after_ties: Sequence[Tie] = (),
    against_now: bool = False,
) -> MapChanges:
    """What changed between two versions of a map: who is new or gone, who moved, and which
    ties between stakeholders (`before_ties`, `after_ties`, by stakeholder id) changed.

    Stakeholders are matched by id where both versions carry one, then, among the rest, by
    name compared case-insensitively with runs of spaces squeezed. Changes are listed in the
    order of the earlier version. `against_now`: the later version is the map as it is now
    (said when nothing changed).
    """
    translations = t
    t = english_or(t)
    _ = t.gettext
    pairs, gone, new = _match(before, after)
    renamed, moved, tie_changes, influence = [], [], [], []
    for old, now in ((before[i], after[j]) for i, j in pairs.items()):
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
        links=tuple(_link_changes(before, after, before_ties, after_ties, pairs, t)),
        against_now=against_now,
        translations=translations,
    )
