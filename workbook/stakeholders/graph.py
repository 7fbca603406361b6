"""A stakeholder map as a graph: the group and its stakeholders as nodes, ties as edges
(networkx), and the few words every measure uses to name them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Final

import networkx as nx

from workbook.bidi import isolate
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
GROUP_LABEL: Final = "Our group"

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


def join_names(names: Sequence[str], *, limit: int = 6) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C and 4 others' past the limit."""
    names = [isolate(name) for name in names]
    if len(names) > limit:
        rest = len(names) - (limit - 1)
        names = [*names[: limit - 1], f"{rest} others"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def short_number(value: float) -> str:
    """12, 7.5 or 3.25: no trailing zeros, no float noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def in_hours(value: float) -> str:
    return f"{short_number(value)} {'hour' if value == 1 else 'hours'}"


def who_is_tied(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> list[str]:
    """The network as sentences, one per stakeholder (most influential first): "Ana: strong
    tie with us and Bo; weak tie with Cy." or "Ed: no ties." Names are isolated (user text);
    every tie shows twice, once under each of its two stakeholders."""
    by_id = stakeholders_by_id(stakeholders)
    graph = build_graph(by_id.values(), ties)
    lines = []
    for person in sorted(by_id.values(), key=lambda s: (-s.influence, s.name.casefold(), s.id)):
        parts = []
        for strength in (TieStrength.strong, TieStrength.weak):
            others = [
                other
                for other in graph.neighbors(person.id)
                if graph.edges[person.id, other]["tie"] == strength
            ]
            names = ["us"] if GROUP_NODE in others else []
            names += [
                isolate(node_name(graph, other))
                for other in sorted(
                    (o for o in others if o != GROUP_NODE),
                    key=lambda o: (node_name(graph, o).casefold(), o),
                )
            ]
            if names:
                listed = (
                    names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
                )
                parts.append(f"{strength.value} tie with {listed}")
        lines.append(f"{isolate(person.name)}: {'; '.join(parts) if parts else 'no ties'}.")
    return lines
