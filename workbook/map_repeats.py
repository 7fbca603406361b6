"""Stakeholders in a file to import whose name is already on the map.

Importing the same CSV twice doubled every stakeholder without a word. Before adding, the
import names those whose name is already on the map, compared as group names are
(`workbook.keys.name_key`: case, spaces and invisible characters aside), and the person
skips them or adds them anyway. Replacing the map needs no such check.
"""

from __future__ import annotations

import dataclasses
import gettext
from collections.abc import Collection, Iterable, Sequence

from workbook.keys import name_key
from workbook.map_file import MapFile
from workbook.models import StakeholderIn
from workbook.stakeholders.graph import english_or, join_names

_SHOWN: int = 12  # names listed before "and N others"


def already_on_map(incoming: Sequence[StakeholderIn], names_on_map: Iterable[str]) -> list[int]:
    """Positions in `incoming` of stakeholders whose name is already on the map."""
    known = {name_key(name) for name in names_on_map}
    return [i for i, person in enumerate(incoming) if name_key(person.name) in known]


def sentence(
    incoming: Sequence[StakeholderIn],
    repeats: Sequence[int],
    t: gettext.NullTranslations | None = None,
) -> str:
    """'4 of these have the same name as stakeholders already on the map: A, B, C and D.'
    (names isolated: user text), in the language of `t` (English without)."""
    t = english_or(t)
    count = len(repeats)
    names = join_names([incoming[i].name for i in repeats], limit=_SHOWN, t=t)
    return t.ngettext(
        "{n} of these has the same name as a stakeholder already on the map: {names}.",
        "{n} of these have the same name as stakeholders already on the map: {names}.",
        count,
    ).format(n=count, names=names)


def without(result: MapFile, skipped: Collection[int]) -> tuple[MapFile, int]:
    """The file's map without the stakeholders at `skipped`, and how many of its ties went
    with them (a tie needs both its ends in the file)."""
    skip = set(skipped)
    kept = [i for i in range(len(result.stakeholders)) if i not in skip]
    new_position = {old: new for new, old in enumerate(kept)}
    ties = tuple(
        dataclasses.replace(t, source=new_position[t.source], target=new_position[t.target])
        for t in result.ties
        if t.source in new_position and t.target in new_position
    )
    trimmed = dataclasses.replace(
        result,
        stakeholders=tuple(result.stakeholders[i] for i in kept),
        ties=ties,
        no_hours=tuple(new_position[i] for i in result.no_hours if i in new_position),
    )
    return trimmed, len(result.ties) - len(ties)
