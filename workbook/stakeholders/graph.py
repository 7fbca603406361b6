"""A stakeholder map as a graph: the group and its stakeholders as nodes, ties as edges
(networkx), and the few words every measure uses to name them."""

from __future__ import annotations

import gettext
from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import networkx as nx

from workbook.bidi import isolate
from workbook.i18n import N_
from workbook.models import (
    STAKEHOLDER_KINDS,
    Stakeholder,
    Tie,
    TieStrength,
)

# --- the graph ------------------------------------------------------------------------------

# The group itself is a node too. Stakeholder nodes are keyed by their integer id, so a string
# key can never collide with one, whatever ids the store hands out.
GROUP_NODE: Final = "group"
GROUP_LABEL: Final = N_("Our group")  # translated where shown

DECISION_MAKER_KIND: Final = "Institution or decision-maker"
if DECISION_MAKER_KIND not in STAKEHOLDER_KINDS:  # the score's "access" term reads this kind
    raise RuntimeError(f"{DECISION_MAKER_KIND!r} must stay in models.STAKEHOLDER_KINDS")

Node = int | str  # a stakeholder id, or GROUP_NODE


def stakeholders_by_id(stakeholders: Iterable[Stakeholder]) -> dict[int, Stakeholder]:
    # Identity is the id, never the name. Should a list ever repeat an id, the first row wins,
    # so every function here sees the same map.
    by_id: dict[int, Stakeholder] = {}
    for stakeholder in stakeholders:
        by_id.setdefault(stakeholder.id, stakeholder)
    return by_id


def unique_stakeholders(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    """The stakeholders in map order, one per id (the first wins), as every measure sees them."""
    return list(stakeholders_by_id(stakeholders).values())


def stakeholder_ties(
    by_id: Mapping[int, Stakeholder], ties: Iterable[Tie]
) -> dict[tuple[int, int], TieStrength]:
    """Usable ties between stakeholders, keyed (lower id, higher id), the strongest of repeats.

    A tie to an id that is not on the map (e.g. a deleted stakeholder), a tie from a
    stakeholder to itself and a tie of strength "none" are not ties, so they are left out.
    """
    strongest: dict[tuple[int, int], TieStrength] = {}
    for tie in ties:
        a, b = tie.source_id, tie.target_id
        if a == b or a not in by_id or b not in by_id or tie.strength.weight <= 0:
            continue
        key = (min(a, b), max(a, b))
        known = strongest.get(key)
        if known is None or tie.strength.weight > known.weight:
            strongest[key] = tie.strength
    return strongest


def _add_tie(graph: nx.Graph, a: Node, b: Node, strength: TieStrength) -> None:
    graph.add_edge(a, b, strength=strength.weight, distance=1 / strength.weight, tie=strength)


def build_graph(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> nx.Graph:
    """The map as an undirected graph: the group, every stakeholder, and the usable ties.

    Nodes: GROUP_NODE, and each stakeholder's id with attributes name, kind, influence, band
    and stakeholder (the model). Edges: the group's own tie to each stakeholder (none means no
    edge) and the ties between stakeholders, each with `strength` (weak 1, strong 2),
    `distance` (1 / strength: a strong tie is a shorter route) and `tie` (the TieStrength).
    """
    by_id = stakeholders_by_id(stakeholders)
    graph = nx.Graph()
    graph.add_node(GROUP_NODE, name=GROUP_LABEL, kind=None, is_group=True)
    for s in by_id.values():
        graph.add_node(
            s.id,
            name=s.name,
            kind=s.kind,
            influence=s.influence,
            band=s.band,
            is_group=False,
            stakeholder=s,
        )
    for s in by_id.values():
        if s.tie.weight > 0:
            _add_tie(graph, GROUP_NODE, s.id, s.tie)
    for (a, b), strength in stakeholder_ties(by_id, ties).items():
        _add_tie(graph, a, b, strength)
    return graph


def node_name(graph: nx.Graph, node: Node) -> str:
    return str(graph.nodes[node]["name"])


def english_or(t: gettext.NullTranslations | None) -> gettext.NullTranslations:
    """The translations a sentence is written with: English (the source text) without."""
    return t if t is not None else gettext.NullTranslations()


def join_names(
    names: Sequence[str], *, limit: int = 6, t: gettext.NullTranslations | None = None
) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C and 4 others' past the limit."""
    t = english_or(t)
    names = [isolate(name) for name in names]
    if len(names) > limit:
        rest = len(names) - (limit - 1)
        names = [*names[: limit - 1], t.ngettext("{n} other", "{n} others", rest).format(n=rest)]
    if len(names) <= 1:
        return "".join(names)
    return t.gettext("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def short_number(value: float, code: str = "en") -> str:
    """12, 7.5 or 3.25 (7,5 in Danish): no trailing zeros, no float noise."""
    plain = f"{value:.2f}".rstrip("0").rstrip(".")
    return plain.replace(".", ",") if code == "da" else plain


def language_of(t: gettext.NullTranslations | None) -> str:
    """The language a catalog is for ("en" for the source text), to write its numbers."""
    info = t.info() if isinstance(t, gettext.GNUTranslations) else {}
    return str(info.get("language", "en")).split("_")[0] or "en"


def in_hours(value: float, t: gettext.NullTranslations | None = None) -> str:
    t = english_or(t)
    number = short_number(value, language_of(t))
    return t.ngettext("{n} hour", "{n} hours", 1 if value == 1 else 2).format(n=number)


def reading_order(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    """The stakeholders one per id, most influential first, then by name: the order of the
    network's list, whose numbers the phone's network puts on its points."""
    return sorted(
        stakeholders_by_id(stakeholders).values(),
        key=lambda s: (-s.influence, s.name.casefold(), s.id),
    )


def reading_numbers(stakeholders: Iterable[Stakeholder]) -> dict[int, int]:
    """Each stakeholder's number (by id), counted from 1 in `reading_order`: the number a
    phone's figures (grid, spectrum and network) put on its point, and the lists under them
    put before its name, so a point and its name say the same number on every view."""
    return {s.id: n for n, s in enumerate(reading_order(stakeholders), start=1)}


def who_is_tied(
    stakeholders: Iterable[Stakeholder],
    ties: Iterable[Tie],
    t: gettext.NullTranslations | None = None,
    *,
    numbered: bool = False,
) -> list[str]:
    """The network as sentences, one per stakeholder (most influential first): "Ana: strong
    tie with us and Bo; weak tie with Cy." or "Ed: no ties." Names are isolated (user text);
    every tie shows twice, once under each of its two stakeholders. `numbered`: each line
    starts with its number ("1. Ana: ..."), the number on that stakeholder's point."""
    t = english_or(t)
    _ = t.gettext
    by_id = stakeholders_by_id(stakeholders)
    graph = build_graph(by_id.values(), ties)
    lines = []
    for number, person in enumerate(reading_order(by_id.values()), start=1):
        parts = []
        for strength in (TieStrength.strong, TieStrength.weak):
            others = [
                other
                for other in graph.neighbors(person.id)
                if graph.edges[person.id, other]["tie"] == strength
            ]
            names = [_("us")] if GROUP_NODE in others else []
            names += [
                isolate(node_name(graph, other))
                for other in sorted(
                    (o for o in others if o != GROUP_NODE),
                    key=lambda o: (node_name(graph, o).casefold(), o),
                )
            ]
            if names:
                listed = names[0]
                if len(names) > 1:
                    listed = _("{first} and {last}").format(
                        first=", ".join(names[:-1]), last=names[-1]
                    )
                if strength == TieStrength.strong:
                    parts.append(_("strong tie with {names}").format(names=listed))
                else:
                    parts.append(_("weak tie with {names}").format(names=listed))
        said = "; ".join(parts) if parts else _("no ties")
        line = _("{name}: {ties}.").format(name=isolate(person.name), ties=said)
        lines.append(f"{number}. {line}" if numbered else line)
    return lines
