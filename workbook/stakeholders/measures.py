"""What a map says about a group's relationships: the influence x position grid, brokers,
single points of failure, who is out of reach, bridging and bonding ties, the diversity of
kinds, and the per-map figures the funder view adds up."""

from __future__ import annotations

import gettext
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import networkx as nx

from workbook.bidi import isolate
from workbook.i18n import N_, format_decimal, format_percent
from workbook.models import (
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieStrength,
)
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import (
    GROUP_NODE,
    Node,
    build_graph,
    english_or,
    join_names,
    language_of,
    node_name,
    stakeholder_ties,
    stakeholders_by_id,
    unique_stakeholders,
)

# --- the influence x position grid ----------------------------------------------------------


class Quadrant(StrEnum):
    """Our adaptation of Mendelow's power-interest grid: influence x position on the spectrum."""

    engage_closely = "Engage closely"
    keep_satisfied = "Keep satisfied"
    keep_informed = "Keep informed"
    monitor = "Monitor"

    @property
    def label(self) -> str:
        """Its name, marked for the catalog: translate where shown, `_(quadrant.label)`."""
        return QUADRANT_LABELS[self]


QUADRANT_LABELS: Final[Mapping[Quadrant, str]] = {
    Quadrant.engage_closely: N_("Engage closely"),
    Quadrant.keep_satisfied: N_("Keep satisfied"),
    Quadrant.keep_informed: N_("Keep informed"),
    Quadrant.monitor: N_("Monitor"),
}


# Influence 3, 4 or 5 (of 1-5) counts as high: the middle of the scale already matters.
HIGH_INFLUENCE: Final = 3
# Passive and active allies count as allies; neutral does not, since it has not taken a side.
ALLY_SCORE: Final = SpectrumBand.passive_ally.score

QUADRANT_ADVICE: Final[Mapping[Quadrant, str]] = {
    Quadrant.engage_closely: N_(
        "Influential allies: work with them closely and keep them involved."
    ),
    Quadrant.keep_satisfied: N_(
        "Influential, not (yet) on our side: keep them satisfied, and look for ways to move them."
    ),
    Quadrant.keep_informed: N_(
        "Allies with less influence: keep them informed and give them a role."
    ),
    Quadrant.monitor: N_("Less influential, not (yet) on our side: keep an eye on them."),
}
# The explanations are marked for the catalog and translated where shown.
GRID_EXPLANATION: Final = N_(
    "After Mendelow's power-interest grid: up is influence (3 or more counts as high), right is "
    "the spectrum of allies (passive and active allies count as on our side)."
)


def is_ally(band: SpectrumBand) -> bool:
    """Passive and active allies are on our side; neutral and opposition are not (yet)."""
    return band.score >= ALLY_SCORE


def grid_quadrant(stakeholder: StakeholderIn) -> Quadrant:
    """Which quadrant of the influence x position grid a stakeholder falls in."""
    high = stakeholder.influence >= HIGH_INFLUENCE
    if is_ally(stakeholder.band):
        return Quadrant.engage_closely if high else Quadrant.keep_informed
    return Quadrant.keep_satisfied if high else Quadrant.monitor


# --- brokers --------------------------------------------------------------------------------

BROKER_EXPLANATION: Final = N_(
    "A broker sits on many of the shortest routes between others on the map (a strong tie "
    "counts as a shorter route than a weak one), so news and requests tend to pass through them."
)
_NOISE: Final = 1e-12


@dataclass(frozen=True)
class Broker:
    stakeholder_id: int
    name: str
    betweenness: float  # normalised: the share of shortest routes between others, 0..1
    sentence: str


def _brokers(graph: nx.Graph, t: gettext.NullTranslations | None = None) -> list[Broker]:
    t = english_or(t)
    code = language_of(t)
    scores = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    ranked = sorted(
        (node for node, score in scores.items() if node != GROUP_NODE and score > _NOISE),
        key=lambda node: (-scores[node], node),
    )
    result = []
    for node in ranked:
        share = scores[node]
        if share < 0.005:
            percent = t.gettext("under {percent}").format(percent=format_percent(0.01, code))
        else:
            percent = format_percent(round(share, 2), code)
        name = node_name(graph, node)
        sentence = t.gettext(
            "{name} sits on {percent} of the shortest routes between others on the map."
        ).format(name=isolate(name), percent=percent)
        result.append(Broker(int(node), name, share, sentence))
    return result


def brokers(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> list[Broker]:
    """Stakeholders that lie on shortest routes between others, most central first.

    Betweenness centrality (normalised) on distance = 1 / strength, with the group as a node
    of the map. Stakeholders on no such route are left out; equal scores go by lower id.
    """
    return _brokers(build_graph(stakeholders, ties))


# --- single points of failure ---------------------------------------------------------------

SINGLE_POINT_EXPLANATION: Final = N_(
    "A single point of failure is one tie that is our only route to some stakeholders: if it "
    "breaks, we lose touch with all of them."
)
OUT_OF_REACH_EXPLANATION: Final = N_(
    "Out of reach: no chain of ties links us to these stakeholders at all."
)


@dataclass(frozen=True)
class SinglePointOfFailure:
    near: Node  # the end of the tie on the group's side (GROUP_NODE for our own tie)
    far: int
    near_name: str
    far_name: str
    dependent_ids: tuple[int, ...]  # everyone we reach only through this tie, by id
    dependent_names: tuple[str, ...]
    sentence: str

    @property
    def is_our_own_tie(self) -> bool:
        return self.near == GROUP_NODE


def _single_points_of_failure(
    graph: nx.Graph, t: gettext.NullTranslations | None = None
) -> list[SinglePointOfFailure]:
    t = english_or(t)
    _ = t.gettext
    component = graph.subgraph(nx.node_connected_component(graph, GROUP_NODE))
    # Every bridge is an edge of any depth-first tree rooted at the group, and what hangs below
    # its far end in that tree is exactly what the group would lose without it.
    tree = nx.dfs_tree(component, GROUP_NODE)
    parent = {child: above for above, child in tree.edges}
    found = []
    for u, v in nx.bridges(component, root=GROUP_NODE):
        near, far = (u, v) if parent.get(v) == u else (v, u)
        dependents = tuple(sorted({far} | nx.descendants(tree, far)))
        names = tuple(node_name(graph, node) for node in dependents)
        far_name = node_name(graph, far)
        if near == GROUP_NODE and dependents == (far,):
            sentence = _(
                "Our only route to {name} is our own tie with them: nobody else on the map links "
                "us."
            ).format(name=isolate(far_name))
        elif near == GROUP_NODE:
            others = [n for node, n in zip(dependents, names, strict=True) if node != far]
            sentence = _(
                "Our own tie with {name} is our only route to them and to {others}."
            ).format(name=isolate(far_name), others=join_names(others, t=t))
        else:
            sentence = _(
                "We reach {names} only through the tie between {near} and {far}: if it breaks, we "
                "lose them."
            ).format(
                names=join_names(names, t=t),
                near=isolate(node_name(graph, near)),
                far=isolate(far_name),
            )
        found.append(
            SinglePointOfFailure(
                near=near,
                far=int(far),
                near_name=node_name(graph, near),
                far_name=far_name,
                dependent_ids=tuple(int(node) for node in dependents),
                dependent_names=names,
                sentence=sentence,
            )
        )
    found.sort(key=lambda spof: (-len(spof.dependent_ids), spof.far))
    return found


def single_points_of_failure(
    stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]
) -> list[SinglePointOfFailure]:
    """Each bridge (nx.bridges) of the group's part of the map, with who depends on it.

    Largest dependence first. Stakeholders the group cannot reach at all are not here: see
    out_of_reach.
    """
    return _single_points_of_failure(build_graph(stakeholders, ties))


def _out_of_reach(graph: nx.Graph) -> list[Stakeholder]:
    reachable = nx.node_connected_component(graph, GROUP_NODE)
    return [
        graph.nodes[node]["stakeholder"]
        for node in graph.nodes
        if node != GROUP_NODE and node not in reachable
    ]


def out_of_reach(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> list[Stakeholder]:
    """Stakeholders that no chain of ties connects to the group, in map order."""
    return _out_of_reach(build_graph(stakeholders, ties))


# --- bridging and bonding -------------------------------------------------------------------

BRIDGING_BONDING_EXPLANATION: Final = N_(
    "A tie between two stakeholders of the same kind is bonding: it holds that kind together. "
    "A tie between different kinds is bridging: it carries ideas and support across. The "
    "group's own ties are not counted, because the group is not one of the kinds."
)


@dataclass(frozen=True)
class TiePair:
    source_id: int  # the lower id of the two
    target_id: int
    source_name: str
    target_name: str
    source_kind: str
    target_kind: str
    strength: TieStrength


@dataclass(frozen=True)
class TieMix:
    bonding: tuple[TiePair, ...]
    bridging: tuple[TiePair, ...]
    sentence: str

    @property
    def bonding_count(self) -> int:
        return len(self.bonding)

    @property
    def bridging_count(self) -> int:
        return len(self.bridging)


def bridging_vs_bonding(
    stakeholders: Iterable[Stakeholder],
    ties: Iterable[Tie],
    t: gettext.NullTranslations | None = None,
) -> TieMix:
    """Split the ties between stakeholders into bonding (same kind) and bridging (different)."""
    t = english_or(t)
    by_id = stakeholders_by_id(stakeholders)
    bonding: list[TiePair] = []
    bridging: list[TiePair] = []
    for (a, b), strength in sorted(stakeholder_ties(by_id, ties).items()):
        sa, sb = by_id[a], by_id[b]
        pair = TiePair(a, b, sa.name, sb.name, sa.kind, sb.kind, strength)
        (bonding if sa.kind == sb.kind else bridging).append(pair)
    total = len(bonding) + len(bridging)
    if total == 0:
        sentence = t.gettext(
            "There are no ties between stakeholders yet: add who knows whom to see bridging "
            "and bonding ties."
        )
    elif total == 1:
        sentence = (
            t.gettext("The one tie between stakeholders is bonding (same kind on both sides).")
            if bonding
            else t.gettext("The one tie between stakeholders is bridging (different kinds).")
        )
    else:
        sentence = t.ngettext(
            "Of the {total} ties between stakeholders, {bonding} is bonding (same kind on both "
            "sides) and {bridging} bridging (different kinds).",
            "Of the {total} ties between stakeholders, {bonding} are bonding (same kind on both "
            "sides) and {bridging} bridging (different kinds).",
            len(bonding),
        ).format(total=total, bonding=len(bonding), bridging=len(bridging))
    return TieMix(tuple(bonding), tuple(bridging), sentence)


# --- diversity of kinds ---------------------------------------------------------------------

DIVERSITY_EXPLANATION: Final = N_(
    "Evenness runs from 0 (the whole map is one kind) to 1 (every kind on the list equally "
    "present): the Shannon entropy of the kinds divided by its largest possible value, the "
    "natural log of the number of kinds on the list. Missing kinds pull it down."
)


@dataclass(frozen=True)
class KindDiversity:
    counts: Mapping[str, int]  # every kind on the list, in list order, zeros included
    missing: tuple[str, ...]
    evenness: float  # 0..1
    sentence: str


def kind_diversity(
    stakeholders: Iterable[Stakeholder], t: gettext.NullTranslations | None = None
) -> KindDiversity:
    """How many stakeholders of each kind, which kinds are missing, and how even the spread is.

    A kind that has since left STAKEHOLDER_KINDS still counts (after the listed ones), so an
    old map is never miscounted.
    """
    found = Counter(s.kind for s in stakeholders_by_id(stakeholders).values())
    kinds = list(STAKEHOLDER_KINDS) + sorted(k for k in found if k not in STAKEHOLDER_KINDS)
    counts = {kind: found.get(kind, 0) for kind in kinds}
    missing = tuple(kind for kind in STAKEHOLDER_KINDS if counts[kind] == 0)
    total = sum(counts.values())
    if total == 0:
        evenness = 0.0
    else:
        entropy = -sum((c / total) * math.log(c / total) for c in counts.values() if c)
        evenness = min(1.0, max(0.0, entropy / math.log(len(counts))))
    t = english_or(t)
    _ = t.gettext
    finding = _(
        'The report\'s "diverse voices" finding: movements gain from the experiences, skills '
        "and interests that different voices bring."
    )
    even = format_decimal(evenness, language_of(t), digits=2)
    if total == 0:
        sentence = _("No stakeholders yet, so every kind is missing.") + " " + finding
    elif not missing:
        sentence = _("The map has all {kinds} kinds of stakeholder (evenness {even} of 1).").format(
            kinds=len(STAKEHOLDER_KINDS), even=even
        )
        sentence += " " + finding
    else:
        present = len(STAKEHOLDER_KINDS) - len(missing)
        named = [word.kind(kind, _) for kind in missing]
        sentence = _(
            "The map has {present} of the {kinds} kinds of stakeholder (evenness {even} of 1); "
            "missing: {missing}."
        ).format(
            present=present,
            kinds=len(STAKEHOLDER_KINDS),
            even=even,
            missing=join_names(named, limit=len(named), t=t),
        )
        sentence += " " + finding + " " + _("Who could bring the missing ones in?")
    return KindDiversity(counts, missing, evenness, sentence)


# --- all the measures at once -----------------------------------------------------------------


@dataclass(frozen=True)
class MapMeasures:
    brokers: list[Broker]
    single_points_of_failure: list[SinglePointOfFailure]
    out_of_reach: list[Stakeholder]
    tie_mix: TieMix
    diversity: KindDiversity


def measure_map(
    stakeholders: Iterable[Stakeholder],
    ties: Iterable[Tie],
    t: gettext.NullTranslations | None = None,
) -> MapMeasures:
    """Every measure of the map, building the graph once; sentences in the language of `t`."""
    stakeholders, ties = list(stakeholders), list(ties)
    graph = build_graph(stakeholders, ties)
    return MapMeasures(
        brokers=_brokers(graph, t),
        single_points_of_failure=_single_points_of_failure(graph, t),
        out_of_reach=_out_of_reach(graph),
        tie_mix=bridging_vs_bonding(stakeholders, ties, t),
        diversity=kind_diversity(stakeholders, t),
    )


# --- the per-map figures the funder view aggregates -----------------------------------------


@dataclass(frozen=True)
class MapSummary:
    """One row of `map_measures`: the figures of a map that can be added up across groups."""

    stakeholders: int
    ties: int  # every usable tie: the group's own and those between stakeholders
    strong_tie_share: float | None  # strong ties / ties; None when there are no ties
    single_points_of_failure: int
    kinds_present: tuple[str, ...]  # in list order
    kinds_missing: tuple[str, ...]  # from STAKEHOLDER_KINDS, in list order


def summarise_map(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> MapSummary:
    """The figures `map_measures` keeps for a map, from the same graph the measures use."""
    stakeholders = unique_stakeholders(stakeholders)
    graph = build_graph(stakeholders, ties)
    strengths = [tie for _, _, tie in graph.edges(data="tie")]
    strong = sum(1 for tie in strengths if tie == TieStrength.strong)
    diversity = kind_diversity(stakeholders)
    return MapSummary(
        stakeholders=len(stakeholders),
        ties=len(strengths),
        strong_tie_share=strong / len(strengths) if strengths else None,
        single_points_of_failure=len(_single_points_of_failure(graph)),
        kinds_present=tuple(kind for kind, count in diversity.counts.items() if count),
        kinds_missing=diversity.missing,
    )
