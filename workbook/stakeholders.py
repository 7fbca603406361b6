"""Stakeholder-map maths: graph, grid, measures, energy portfolio and snapshot diffs."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import networkx as nx
import numpy as np

from workbook.bidi import isolate
from workbook.models import (
    STAKEHOLDER_KINDS,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
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


def _by_id(stakeholders: Iterable[Stakeholder]) -> dict[int, Stakeholder]:
    # Identity is the id, never the name. Should a list ever repeat an id, the first row wins,
    # so every function here sees the same map.
    by_id: dict[int, Stakeholder] = {}
    for stakeholder in stakeholders:
        by_id.setdefault(stakeholder.id, stakeholder)
    return by_id


def unique_stakeholders(stakeholders: Iterable[Stakeholder]) -> list[Stakeholder]:
    """The stakeholders in map order, one per id (the first wins), as every measure sees them."""
    return list(_by_id(stakeholders).values())


def _stakeholder_ties(
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
    by_id = _by_id(stakeholders)
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
    for (a, b), strength in _stakeholder_ties(by_id, ties).items():
        _add_tie(graph, a, b, strength)
    return graph


def _name(graph: nx.Graph, node: Node) -> str:
    return str(graph.nodes[node]["name"])


def _join(names: Sequence[str], *, limit: int = 6) -> str:
    """'A', 'A and B', 'A, B and C', or 'A, B, C and 4 others' past the limit."""
    names = [isolate(name) for name in names]
    if len(names) > limit:
        rest = len(names) - (limit - 1)
        names = [*names[: limit - 1], f"{rest} others"]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _number(value: float) -> str:
    """12, 7.5 or 3.25: no trailing zeros, no float noise."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _hours(value: float) -> str:
    return f"{_number(value)} {'hour' if value == 1 else 'hours'}"


# --- the influence x position grid ----------------------------------------------------------


class Quadrant(StrEnum):
    """Our adaptation of Mendelow's power-interest grid: influence x position on the spectrum."""

    engage_closely = "Engage closely"
    keep_satisfied = "Keep satisfied"
    keep_informed = "Keep informed"
    monitor = "Monitor"


# Influence 3, 4 or 5 (of 1-5) counts as high: the middle of the scale already matters.
HIGH_INFLUENCE: Final = 3
# Passive and active allies count as allies; neutral does not, since it has not taken a side.
ALLY_SCORE: Final = SpectrumBand.passive_ally.score

QUADRANT_ADVICE: Final[Mapping[Quadrant, str]] = {
    Quadrant.engage_closely: "Influential allies: work with them closely and keep them involved.",
    Quadrant.keep_satisfied: (
        "Influential, not (yet) on our side: keep them satisfied, and look for ways to move them."
    ),
    Quadrant.keep_informed: "Allies with less influence: keep them informed and give them a role.",
    Quadrant.monitor: "Less influential, not (yet) on our side: keep an eye on them.",
}
GRID_EXPLANATION: Final = (
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

BROKER_EXPLANATION: Final = (
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


def _brokers(graph: nx.Graph) -> list[Broker]:
    scores = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    ranked = sorted(
        (node for node, score in scores.items() if node != GROUP_NODE and score > _NOISE),
        key=lambda node: (-scores[node], node),
    )
    result = []
    for node in ranked:
        share = scores[node]
        percent = "under 1%" if share < 0.005 else f"{share:.0%}"
        name = _name(graph, node)
        sentence = (
            f"{isolate(name)} sits on {percent} of the shortest routes between others on the map."
        )
        result.append(Broker(int(node), name, share, sentence))
    return result


def brokers(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> list[Broker]:
    """Stakeholders that lie on shortest routes between others, most central first.

    Betweenness centrality (normalised) on distance = 1 / strength, with the group as a node
    of the map. Stakeholders on no such route are left out; equal scores go by lower id.
    """
    return _brokers(build_graph(stakeholders, ties))


# --- single points of failure ---------------------------------------------------------------

SINGLE_POINT_EXPLANATION: Final = (
    "A single point of failure is one tie that is our only route to some stakeholders: if it "
    "breaks, we lose touch with all of them."
)
OUT_OF_REACH_EXPLANATION: Final = (
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


def _single_points_of_failure(graph: nx.Graph) -> list[SinglePointOfFailure]:
    component = graph.subgraph(nx.node_connected_component(graph, GROUP_NODE))
    # Every bridge is an edge of any depth-first tree rooted at the group, and what hangs below
    # its far end in that tree is exactly what the group would lose without it.
    tree = nx.dfs_tree(component, GROUP_NODE)
    parent = {child: above for above, child in tree.edges}
    found = []
    for u, v in nx.bridges(component, root=GROUP_NODE):
        near, far = (u, v) if parent.get(v) == u else (v, u)
        dependents = tuple(sorted({far} | nx.descendants(tree, far)))
        names = tuple(_name(graph, node) for node in dependents)
        far_name = _name(graph, far)
        if near == GROUP_NODE and dependents == (far,):
            sentence = (
                f"Our only route to {isolate(far_name)} is our own tie with them: nobody else "
                "on the map links us."
            )
        elif near == GROUP_NODE:
            others = [n for node, n in zip(dependents, names, strict=True) if node != far]
            sentence = (
                f"Our own tie with {isolate(far_name)} is our only route to them and to "
                f"{_join(others)}."
            )
        else:
            sentence = (
                f"We reach {_join(names)} only through the tie between "
                f"{isolate(_name(graph, near))} and {isolate(far_name)}: if it breaks, we lose "
                "them."
            )
        found.append(
            SinglePointOfFailure(
                near=near,
                far=int(far),
                near_name=_name(graph, near),
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

BRIDGING_BONDING_EXPLANATION: Final = (
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


def bridging_vs_bonding(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> TieMix:
    """Split the ties between stakeholders into bonding (same kind) and bridging (different)."""
    by_id = _by_id(stakeholders)
    bonding: list[TiePair] = []
    bridging: list[TiePair] = []
    for (a, b), strength in sorted(_stakeholder_ties(by_id, ties).items()):
        sa, sb = by_id[a], by_id[b]
        pair = TiePair(a, b, sa.name, sb.name, sa.kind, sb.kind, strength)
        (bonding if sa.kind == sb.kind else bridging).append(pair)
    total = len(bonding) + len(bridging)
    if total == 0:
        sentence = (
            "There are no ties between stakeholders yet: add who knows whom to see bridging "
            "and bonding ties."
        )
    else:
        sentence = (
            f"Of the {total} ties between stakeholders, {len(bonding)} "
            f"{'is' if len(bonding) == 1 else 'are'} bonding (same kind on both sides) and "
            f"{len(bridging)} bridging (different kinds)."
        )
        if total == 1:
            kind = "bonding (same kind on both sides)" if bonding else "bridging (different kinds)"
            sentence = f"The one tie between stakeholders is {kind}."
    return TieMix(tuple(bonding), tuple(bridging), sentence)


# --- diversity of kinds ---------------------------------------------------------------------

DIVERSITY_EXPLANATION: Final = (
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


def kind_diversity(stakeholders: Iterable[Stakeholder]) -> KindDiversity:
    """How many stakeholders of each kind, which kinds are missing, and how even the spread is.

    A kind that has since left STAKEHOLDER_KINDS still counts (after the listed ones), so an
    old map is never miscounted.
    """
    found = Counter(s.kind for s in _by_id(stakeholders).values())
    kinds = list(STAKEHOLDER_KINDS) + sorted(k for k in found if k not in STAKEHOLDER_KINDS)
    counts = {kind: found.get(kind, 0) for kind in kinds}
    missing = tuple(kind for kind in STAKEHOLDER_KINDS if counts[kind] == 0)
    total = sum(counts.values())
    if total == 0:
        evenness = 0.0
    else:
        entropy = -sum((c / total) * math.log(c / total) for c in counts.values() if c)
        evenness = min(1.0, max(0.0, entropy / math.log(len(counts))))
    finding = (
        'The report\'s "diverse voices" finding: movements gain from the experiences, skills '
        "and interests that different voices bring."
    )
    if total == 0:
        sentence = f"No stakeholders yet, so every kind is missing. {finding}"
    elif not missing:
        sentence = (
            f"The map has all {len(STAKEHOLDER_KINDS)} kinds of stakeholder (evenness "
            f"{evenness:.2f} of 1). {finding}"
        )
    else:
        present = len(STAKEHOLDER_KINDS) - len(missing)
        sentence = (
            f"The map has {present} of the {len(STAKEHOLDER_KINDS)} kinds of stakeholder "
            f"(evenness {evenness:.2f} of 1); missing: {_join(missing, limit=len(missing))}. "
            f"{finding} Who could bring the missing ones in?"
        )
    return KindDiversity(counts, missing, evenness, sentence)


# --- all the measures at once -----------------------------------------------------------------


@dataclass(frozen=True)
class MapMeasures:
    brokers: list[Broker]
    single_points_of_failure: list[SinglePointOfFailure]
    out_of_reach: list[Stakeholder]
    tie_mix: TieMix
    diversity: KindDiversity


def measure_map(stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]) -> MapMeasures:
    """Every measure of the map, building the graph once."""
    stakeholders, ties = list(stakeholders), list(ties)
    graph = build_graph(stakeholders, ties)
    return MapMeasures(
        brokers=_brokers(graph),
        single_points_of_failure=_single_points_of_failure(graph),
        out_of_reach=_out_of_reach(graph),
        tie_mix=bridging_vs_bonding(stakeholders, ties),
        diversity=kind_diversity(stakeholders),
    )


# --- the energy portfolio -------------------------------------------------------------------

SCORE_EXPLANATION: Final = """\
How the app scores investing energy in a relationship (higher is better):

    gain = tie factor x (influence x bands to move + access)

- influence: 1 to 5, as the group rated it.
- bands to move: how many bands of the spectrum of allies the group wants to move them, from
  where they are to the target the group set (never below 0). With no target: one band
  towards active ally, or 0 for someone who already is an active ally.
- access: for each "Institution or decision-maker" this stakeholder has a tie with, that
  decision-maker's influence; a weak tie counts half.
- tie factor: 1 with no tie to us, 1.5 with a weak tie, 2 with a strong tie. An existing tie
  makes an investment more likely to work.

For example, a neutral councillor (influence 4, no target set) whom we know a little (weak
tie) and who knows the mayor (influence 5) well: 1.5 x (4 x 1 + 5) = 13.5.

The cost is the energy it takes, in hours per month, counted in quarter-hours rounded up
(10 minutes counts as 15); the budget is counted in whole quarter-hours too (rounded down).
The app then finds the set of relationships with the largest total gain that fits the
budget. It solves this exactly (a 0/1 knapsack, by dynamic programming over quarter-hours),
so no other choice within the budget gains more. Between sets with equal gain it prefers
the one that takes less energy, then the one with the earliest-added stakeholders. A
stakeholder with nothing to gain is never proposed. "Not our battle" is never picked, "must
invest" is always picked and its hours come out of the budget first; a stakeholder marked
both counts as not our battle."""

QUARTERS_PER_HOUR: Final = 4


def quarter_hours(hours: float) -> int:
    """Energy in whole quarter-hours, rounded up (the solver's unit of cost)."""
    # round() first so float noise (0.1 + 0.15 = 0.25000000000000006) does not add a quarter.
    return math.ceil(round(hours * QUARTERS_PER_HOUR, 9))


def budget_quarter_hours(hours: float) -> int:
    """A budget in whole quarter-hours, rounded down, so a proposal never exceeds it."""
    return math.floor(round(hours * QUARTERS_PER_HOUR, 9))


def bands_to_move(stakeholder: StakeholderIn) -> int:
    """How many bands the group wants to move a stakeholder towards active ally (0 to 4)."""
    if stakeholder.target_band is None:
        return 0 if stakeholder.band == SpectrumBand.active_ally else 1
    return max(0, stakeholder.target_band.score - stakeholder.band.score)


@dataclass(frozen=True)
class InvestmentScore:
    stakeholder_id: int
    influence: int
    bands_to_move: int
    access: float
    decision_makers: tuple[str, ...]  # names of the decision-makers they give access to
    tie: TieStrength
    tie_factor: float
    quarter_points: int  # 4 x gain: the score formula only ever produces quarter points

    @property
    def gain(self) -> float:
        return self.quarter_points / 4


def score_investments(
    stakeholders: Iterable[Stakeholder], ties: Iterable[Tie]
) -> dict[int, InvestmentScore]:
    """The gain of investing in each stakeholder, by id, as SCORE_EXPLANATION describes."""
    by_id = _by_id(stakeholders)
    access_halves: Counter[int] = Counter()  # 2 x access: weak counts 1 x influence, strong 2 x
    decision_makers: dict[int, list[str]] = {sid: [] for sid in by_id}
    for (a, b), strength in _stakeholder_ties(by_id, ties).items():
        for here, there in ((a, b), (b, a)):
            if by_id[there].kind == DECISION_MAKER_KIND:
                access_halves[here] += by_id[there].influence * int(strength.weight)
                decision_makers[here].append(by_id[there].name)
    scores = {}
    for sid, s in by_id.items():
        bands = bands_to_move(s)
        tie = int(s.tie.weight)  # 0, 1 or 2
        # gain = (2 + tie) / 2 * (influence * bands + access_halves / 2), kept in integers.
        quarter_points = (2 + tie) * (2 * s.influence * bands + access_halves[sid])
        scores[sid] = InvestmentScore(
            stakeholder_id=sid,
            influence=s.influence,
            bands_to_move=bands,
            access=access_halves[sid] / 2,
            decision_makers=tuple(decision_makers[sid]),
            tie=s.tie,
            tie_factor=(2 + tie) / 2,
            quarter_points=quarter_points,
        )
    return scores


def _knapsack(items: Sequence[tuple[int, int, int]], capacity: int) -> tuple[int, ...]:
    """Exact 0/1 knapsack over (id, weight, value) with positive values; returns chosen ids.

    Among sets of the largest total value it returns the one of least total weight, then the
    one whose ids, sorted, come first (so the lowest id is in whenever it can be).
    """
    fitting = sorted(item for item in items if item[1] <= capacity)
    total_weight = sum(weight for _, weight, _ in fitting)
    if total_weight <= capacity:
        return tuple(item_id for item_id, _, _ in fitting)  # values are positive: take all
    cap = capacity
    # One number orders (value, then less weight): any weight difference is smaller than one
    # unit of value once value is scaled past the total weight.
    scale = total_weight + 1
    # int64 is exact far beyond any real map; Python integers take over past that.
    exact_int64 = sum(value for _, _, value in fitting) * scale < 2**62
    dtype = np.int64 if exact_int64 else object
    best = np.zeros(cap + 1, dtype=dtype)  # best[c]: best over the items so far, weight <= c
    take = np.zeros((len(fitting), cap + 1), dtype=bool)
    # Items go in highest id first, so reading the choices back starts at the lowest id; a tie
    # between taking and leaving an item is settled by taking it.
    order = fitting[::-1]
    for k, (_, weight, value) in enumerate(order):
        with_item = best[: cap + 1 - weight] + (value * scale - weight)
        better = with_item >= best[weight:]
        take[k, weight:] = better
        best = best.copy()
        best[weight:] = np.where(better, with_item, best[weight:])
    chosen = []
    room = cap
    for k in range(len(order) - 1, -1, -1):
        item_id, weight, _ = order[k]
        if take[k, room]:
            chosen.append(item_id)
            room -= weight
    return tuple(sorted(chosen))


class Reason(StrEnum):
    """Why a stakeholder is in or out of the proposal."""

    must_invest = "must_invest"
    picked = "picked"
    not_our_battle = "not_our_battle"
    nothing_to_gain = "nothing_to_gain"
    too_costly = "too_costly"
    outscored = "outscored"


@dataclass(frozen=True)
class InvestmentDecision:
    stakeholder_id: int
    name: str
    chosen: bool
    reason: Reason
    gain: float
    energy_hours: float
    notable: bool  # worth a sentence on screen: every pick and every omission worth explaining
    sentence: str


@dataclass(frozen=True)
class Portfolio:
    energy_budget: float
    chosen_ids: tuple[int, ...]  # by id
    total_gain: float
    total_energy: float  # hours per month, as entered (not rounded)
    must_invest_energy: float
    over_budget: bool  # the must-invest stakeholders alone need more than the budget
    decisions: tuple[InvestmentDecision, ...]  # one per stakeholder, in map order
    sentence: str
    gains: Mapping[int, float] = field(default_factory=dict)  # every stakeholder's gain, by id

    @property
    def explanations(self) -> list[str]:
        """One sentence per pick (largest gain first), then per notable omission."""
        picks = sorted((d for d in self.decisions if d.chosen), key=lambda d: -d.gain)
        omissions = [d for d in self.decisions if not d.chosen and d.notable]
        return [d.sentence for d in picks + omissions]


def _why(score: InvestmentScore, s: Stakeholder) -> str:
    parts = [f"influence {s.influence}"]
    if score.bands_to_move:
        target = SpectrumBand.from_score(s.band.score + score.bands_to_move)
        parts.append(f"from {s.band.label.lower()} to {target.label.lower()}")
    if score.decision_makers:
        parts.append(f"access to {_join(score.decision_makers, limit=3)}")
    if s.tie.weight:
        parts.append(f"an existing {s.tie.value} tie")
    return ", ".join(parts)


def _nothing_to_gain(s: Stakeholder) -> str:
    if s.band == SpectrumBand.active_ally and s.tie == TieStrength.strong:
        return (
            f"{isolate(s.name)} is already an active ally with a strong tie to us and links us "
            "to no decision-makers: more energy here adds nothing to the score."
        )
    if s.band == SpectrumBand.active_ally:
        return (
            f"{isolate(s.name)} is already an active ally and links us to no decision-makers: "
            "more energy here adds nothing to the score."
        )
    return (
        f"{isolate(s.name)} is already where you want them ({s.band.label.lower()}) and links "
        "us to no decision-makers: more energy here adds nothing to the score."
    )


def propose_investments(
    stakeholders: Iterable[Stakeholder], ties: Iterable[Tie], *, energy_budget: float
) -> Portfolio:
    """Which relationships to invest in for the most gain within the energy budget (exact).

    See SCORE_EXPLANATION for the gain and the rules. A stakeholder marked both "not our
    battle" and "must invest" is treated as not our battle, and its sentence says so.
    """
    if math.isnan(energy_budget) or energy_budget < 0:
        raise ValueError("The energy budget must be zero or more hours a month.")
    by_id = _by_id(stakeholders)
    scores = score_investments(by_id.values(), ties)

    forced = [s for s in by_id.values() if s.must_invest and not s.not_our_battle]
    forced_units = sum(quarter_hours(s.energy_hours) for s in forced)
    forced_hours = sum(s.energy_hours for s in forced)
    optional = [
        s
        for s in by_id.values()
        if not s.not_our_battle and not s.must_invest and scores[s.id].quarter_points > 0
    ]
    optional_units = sum(quarter_hours(s.energy_hours) for s in optional)
    if energy_budget * QUARTERS_PER_HOUR >= forced_units + optional_units:
        budget_units = forced_units + optional_units  # room for everything (even an inf budget)
    else:
        budget_units = budget_quarter_hours(energy_budget)
    over_budget = forced_units > budget_units
    room = max(0, budget_units - forced_units)
    picked = set(
        _knapsack(
            [(s.id, quarter_hours(s.energy_hours), scores[s.id].quarter_points) for s in optional],
            room,
        )
    )
    chosen_ids = tuple(sorted(picked | {s.id for s in forced}))
    smallest_pick = min((scores[i].quarter_points for i in picked), default=None)

    room_words = f"the {_hours(room / QUARTERS_PER_HOUR)} " + (
        "left after the ones you chose to invest in" if forced else "the budget allows"
    )
    decisions = []
    for s in by_id.values():
        score = scores[s.id]
        gain, hours = score.gain, s.energy_hours
        cost = f"{_hours(hours)} a month" if hours else "no time at all"
        notable = True
        if s.not_our_battle:
            reason, chosen = Reason.not_our_battle, False
            sentence = f'{isolate(s.name)} is left out: you marked them "not our battle".'
            if s.must_invest:
                sentence = (
                    f'{isolate(s.name)} is left out: marked both "not our battle" and "must '
                    'invest", and "not our battle" wins. Untick one to decide.'
                )
        elif s.must_invest:
            reason, chosen = Reason.must_invest, True
            sentence = (
                f"{isolate(s.name)} is in because you chose to invest there: {cost}, gain "
                f"{_number(gain)}."
            )
        elif s.id in picked:
            reason, chosen = Reason.picked, True
            sentence = (
                f"Invest in {isolate(s.name)}: gain {_number(gain)} for {cost} ({_why(score, s)})."
            )
        elif score.quarter_points == 0:
            reason, chosen = Reason.nothing_to_gain, False
            sentence = _nothing_to_gain(s)
        elif quarter_hours(hours) > room:
            reason, chosen = Reason.too_costly, False
            sentence = (
                f"{isolate(s.name)} is left out: {cost} is more than {room_words}, although the "
                f"gain would be {_number(gain)}."
            )
        else:
            reason, chosen = Reason.outscored, False
            notable = smallest_pick is None or score.quarter_points >= smallest_pick
            sentence = (
                f"{isolate(s.name)} is left out (gain {_number(gain)} for {cost}): the picks "
                "gain more "
                "from the same hours."
            )
        decisions.append(
            InvestmentDecision(s.id, s.name, chosen, reason, gain, hours, notable, sentence)
        )

    total_gain = sum(scores[i].quarter_points for i in chosen_ids) / 4
    total_energy = sum(by_id[i].energy_hours for i in chosen_ids)
    budget = "an unlimited" if math.isinf(energy_budget) else f"your {_number(energy_budget)}-hour"
    if over_budget:
        extra = (
            "Only relationships that take no time were added." if picked else "Nothing else fits."
        )
        summary = (
            f"The relationships you chose to invest in need {_hours(forced_hours)} a month, "
            f"more than {budget} budget. {extra}"
        )
    elif not chosen_ids:
        summary = (
            f"Nothing to propose for {budget} budget: no relationship with something to gain "
            "fits in it."
        )
    else:
        summary = (
            f"Proposed: {_plural(len(chosen_ids), 'relationship')}, taking "
            f"{_hours(total_energy)} a month of {budget} budget, for a total gain of "
            f"{_number(total_gain)}."
        )
    return Portfolio(
        energy_budget=energy_budget,
        chosen_ids=chosen_ids,
        total_gain=total_gain,
        total_energy=total_energy,
        must_invest_energy=forced_hours,
        over_budget=over_budget,
        decisions=tuple(decisions),
        sentence=summary,
        gains={sid: score.gain for sid, score in scores.items()},
    )


# --- snapshots over time --------------------------------------------------------------------


def _name_key(name: str) -> str:
    # Case-insensitive and whitespace-normalised, so "City  council" matches "city council".
    return " ".join(name.casefold().split())


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

    @property
    def unchanged(self) -> bool:
        return not (
            self.new or self.gone or self.renamed or self.moved or self.ties or self.influence
        )

    @property
    def sentences(self) -> list[str]:
        """What changed, one plain sentence each: new, gone, renamed, moved, ties, influence."""
        if self.unchanged:
            return ["Nothing changed between the two snapshots."]
        lines = []
        if self.new:
            lines.append(f"New on the map: {_join([s.name for s in self.new], limit=12)}.")
        if self.gone:
            lines.append(f"No longer on the map: {_join([s.name for s in self.gone], limit=12)}.")
        lines += [r.sentence for r in self.renamed]
        lines += [m.sentence for m in self.moved]
        lines += [t.sentence for t in self.ties]
        lines += [i.sentence for i in self.influence]
        return lines


_TIE_WORDS: Final = {
    TieStrength.none: "no tie",
    TieStrength.weak: "weak",
    TieStrength.strong: "strong",
}


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
            waiting.setdefault(_name_key(s.name), []).append(j)
    for i, s in enumerate(before):
        if i in pairs:
            continue
        queue = waiting.get(_name_key(s.name))
        if queue:
            j = queue.pop(0)
            pairs[i] = j
            taken.add(j)
    matched = [(before[i], after[j]) for i, j in sorted(pairs.items())]
    gone = [i for i in range(len(before)) if i not in pairs]
    new = [j for j in range(len(after)) if j not in taken]
    return matched, gone, new


def diff_snapshots(before: Sequence[StakeholderIn], after: Sequence[StakeholderIn]) -> MapChanges:
    """What changed between two versions of a map: who is new or gone, and who moved.

    Stakeholders are matched by id where both versions carry one, then, among the rest, by
    name compared case-insensitively with runs of spaces squeezed. Changes are listed in the
    order of the earlier version.
    """
    matched, gone, new = _match(before, after)
    renamed, moved, tie_changes, influence = [], [], [], []
    for old, now in matched:
        name = now.name
        if old.name != now.name:
            renamed.append(
                Rename(old, now, f"{isolate(old.name)} is now called {isolate(now.name)}.")
            )
        if old.band != now.band:
            steps = now.band.score - old.band.score
            towards = steps > 0
            direction = "closer to being an ally" if towards else "further from being an ally"
            moved.append(
                BandMove(
                    old,
                    now,
                    towards,
                    f"{isolate(name)} moved from {old.band.label.lower()} to "
                    f"{now.band.label.lower()}: "
                    f"{_plural(abs(steps), 'band')} {direction}.",
                )
            )
        if old.tie != now.tie:
            grew = now.tie.weight > old.tie.weight
            verb = "grew" if grew else "weakened"
            tie_changes.append(
                TieChange(
                    old,
                    now,
                    grew,
                    f"Our tie with {isolate(name)} {verb}: from {_TIE_WORDS[old.tie]} to "
                    f"{_TIE_WORDS[now.tie]}.",
                )
            )
        if old.influence != now.influence:
            rose = now.influence > old.influence
            influence.append(
                InfluenceChange(
                    old,
                    now,
                    rose,
                    f"{isolate(name)}'s influence {'rose' if rose else 'fell'} from "
                    f"{old.influence} to "
                    f"{now.influence}.",
                )
            )
    return MapChanges(
        new=tuple(after[j] for j in new),
        gone=tuple(before[i] for i in gone),
        renamed=tuple(renamed),
        moved=tuple(moved),
        ties=tuple(tie_changes),
        influence=tuple(influence),
    )


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
        parts = [
            f"{verb} {len(items)}"
            for verb, items in (
                ("added", self.added),
                ("changed", self.updated),
                ("deleted", self.deleted_ids),
            )
            if items
        ]
        if not parts:
            return "Nothing has changed since you last saved."
        total = len(self.added) + len(self.updated) + len(self.deleted_ids)
        text = _join(parts) + (" stakeholder." if total == 1 else " stakeholders.")
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
