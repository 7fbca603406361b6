"""Stakeholder-map maths on maps small enough to check by hand; the solver against brute force."""

from __future__ import annotations

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.bidi import isolate
from workbook.models import STAKEHOLDER_KINDS, SpectrumBand, Stakeholder, StakeholderIn, Tie
from workbook.stakeholders.graph import (
    DECISION_MAKER_KIND,
    GROUP_NODE,
    build_graph,
    who_is_tied,
)
from workbook.stakeholders.measures import (
    Quadrant,
    bridging_vs_bonding,
    brokers,
    grid_quadrant,
    kind_diversity,
    measure_map,
    out_of_reach,
    single_points_of_failure,
    summarise_map,
)
from workbook.stakeholders.portfolio import (
    SCORE_EXPLANATION,
    Reason,
    bands_to_move,
    budget_quarter_hours,
    propose_investments,
    quarter_hours,
    score_investments,
)
from workbook.stakeholders.portfolio import _knapsack as knapsack
from workbook.stakeholders.snapshots import diff_snapshots

COMMUNITY = "Community group"
MEDIA = "Media"


def person(
    sid: int,
    name: str | None = None,
    *,
    kind: str = COMMUNITY,
    influence: int = 3,
    band: str = "neutral",
    target: str | None = None,
    tie: str = "none",
    hours: float = 1.0,
    not_our_battle: bool = False,
    must_invest: bool = False,
) -> Stakeholder:
    return Stakeholder(
        id=sid,
        name=name or f"S{sid}",
        kind=kind,
        influence=influence,
        band=band,
        target_band=target,
        tie=tie,
        energy_hours=hours,
        not_our_battle=not_our_battle,
        must_invest=must_invest,
    )


def tie(a: int, b: int, strength: str = "weak") -> Tie:
    return Tie(source_id=a, target_id=b, strength=strength)


def path_map() -> tuple[list[Stakeholder], list[Tie]]:
    """group - A - B: A is the broker, and everything hangs on single ties."""
    return [person(1, "A", tie="weak"), person(2, "B")], [tie(1, 2)]


# --- the graph ------------------------------------------------------------------------------


def test_graph_of_a_map_with_only_the_group() -> None:
    graph = build_graph([], [])
    assert list(graph.nodes) == [GROUP_NODE]
    assert graph.number_of_edges() == 0


def test_graph_has_group_ties_with_strength_and_distance() -> None:
    people = [person(1, tie="weak"), person(2, tie="strong"), person(3, tie="none")]
    graph = build_graph(people, [tie(1, 3, "strong")])
    assert graph.edges[GROUP_NODE, 1]["strength"] == 1
    assert graph.edges[GROUP_NODE, 1]["distance"] == 1
    assert graph.edges[GROUP_NODE, 2]["strength"] == 2
    assert graph.edges[GROUP_NODE, 2]["distance"] == 0.5
    assert not graph.has_edge(GROUP_NODE, 3)  # "none" is no tie
    assert graph.edges[1, 3]["distance"] == 0.5
    assert graph.nodes[3]["name"] == "S3"
    assert graph.nodes[3]["influence"] == 3


def test_graph_ignores_ties_to_missing_stakeholders_self_ties_and_none() -> None:
    people = [person(1), person(2)]
    ties = [tie(1, 99), tie(99, 2), tie(1, 1, "strong"), tie(1, 2, "none")]
    graph = build_graph(people, ties)
    assert set(graph.nodes) == {GROUP_NODE, 1, 2}
    assert graph.number_of_edges() == 0


def test_graph_keeps_the_strongest_of_duplicate_ties_in_either_direction() -> None:
    people = [person(1), person(2)]
    graph = build_graph(people, [tie(1, 2, "weak"), tie(2, 1, "strong"), tie(1, 2, "weak")])
    assert graph.number_of_edges() == 1
    assert graph.edges[1, 2]["strength"] == 2


def test_who_is_tied_lists_each_stakeholders_ties_by_strength() -> None:
    """The network's text list on a phone: every stakeholder once, most influential first,
    its strong ties then its weak ones ("us" for the group), and those with none said so."""
    people = [
        person(1, "Ana", influence=3, tie="strong"),
        person(2, "Bo", influence=5),
        person(3, "Cy", influence=1),
        person(4, "مجموعة", influence=2),
    ]
    lines = who_is_tied(people, [tie(1, 2, "strong"), tie(3, 1), tie(4, 4, "strong")])
    bo, ana, other, cy = (isolate(n) for n in ("Bo", "Ana", "مجموعة", "Cy"))
    assert lines == [
        f"{bo}: strong tie with {ana}.",
        f"{ana}: strong tie with us and {bo}; weak tie with {cy}.",
        f"{other}: no ties.",  # a tie to oneself is no tie
        f"{cy}: weak tie with {ana}.",
    ]


def test_duplicate_names_are_different_stakeholders() -> None:
    graph = build_graph([person(1, "Mayor"), person(2, "Mayor")], [tie(1, 2)])
    assert graph.has_edge(1, 2)
    assert graph.nodes[1]["name"] == graph.nodes[2]["name"] == "Mayor"


def test_a_repeated_id_keeps_the_first_row() -> None:
    graph = build_graph([person(1, "First"), person(1, "Second")], [])
    assert graph.nodes[1]["name"] == "First"
    assert graph.number_of_nodes() == 2


# --- grid -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("influence", "band", "quadrant"),
    [
        (5, "active_ally", Quadrant.engage_closely),
        (3, "passive_ally", Quadrant.engage_closely),
        (2, "passive_ally", Quadrant.keep_informed),
        (1, "active_ally", Quadrant.keep_informed),
        (3, "neutral", Quadrant.keep_satisfied),
        (5, "active_opposition", Quadrant.keep_satisfied),
        (2, "neutral", Quadrant.monitor),
        (1, "passive_opposition", Quadrant.monitor),
    ],
)
def test_grid_quadrant(influence: int, band: str, quadrant: Quadrant) -> None:
    assert grid_quadrant(person(1, influence=influence, band=band)) == quadrant


def test_quadrants_are_the_four_names_pages_show() -> None:
    assert {q.value for q in Quadrant} == {
        "Engage closely",
        "Keep satisfied",
        "Keep informed",
        "Monitor",
    }
    assert grid_quadrant(person(1, influence=4, band="active_ally")) == "Engage closely"


# --- brokers --------------------------------------------------------------------------------


def test_on_a_path_the_middle_stakeholder_is_the_broker() -> None:
    found = brokers(*path_map())
    assert [b.stakeholder_id for b in found] == [1]
    assert found[0].betweenness == pytest.approx(1.0)
    assert found[0].sentence.startswith("A sits on 100% of the shortest routes")


def test_a_triangle_has_no_brokers() -> None:
    people = [person(1, tie="weak"), person(2, tie="weak")]
    assert brokers(people, [tie(1, 2)]) == []


def test_brokers_count_a_strong_tie_as_a_shorter_route() -> None:
    # group =strong= A =strong= C and group -weak- B -weak- C: the route through A is shorter.
    people = [person(1, "A", tie="strong"), person(2, "B", tie="weak"), person(3, "C")]
    found = brokers(people, [tie(1, 3, "strong"), tie(2, 3, "weak")])
    by_id = {b.stakeholder_id: b.betweenness for b in found}
    # A carries group-C (1 of the 3 pairs without A); C carries half of A-B (A-G-B ties A-C-B).
    assert by_id == pytest.approx({1: 1 / 3, 3: 1 / 6})
    assert [b.stakeholder_id for b in found] == [1, 3]


def test_brokers_of_an_empty_or_disconnected_map() -> None:
    assert brokers([], []) == []
    assert brokers([person(1), person(2)], []) == []


def test_brokers_with_duplicate_names_report_the_right_id() -> None:
    people = [person(1, "Mayor", tie="weak"), person(2, "Mayor")]
    assert [b.stakeholder_id for b in brokers(people, [tie(1, 2)])] == [1]


def test_brokers_ignore_ties_to_a_deleted_stakeholder() -> None:
    people, ties = path_map()
    assert brokers(people, [*ties, tie(2, 42), tie(42, 1, "strong")]) == brokers(people, ties)


# --- single points of failure ---------------------------------------------------------------


def test_on_a_path_each_tie_is_a_single_point_of_failure() -> None:
    found = single_points_of_failure(*path_map())
    assert [(s.near, s.far, s.dependent_ids) for s in found] == [
        (GROUP_NODE, 1, (1, 2)),
        (1, 2, (2,)),
    ]
    assert found[0].is_our_own_tie
    assert found[0].sentence == "Our own tie with A is our only route to them and to B."
    assert found[1].sentence == (
        "We reach B only through the tie between A and B: if it breaks, we lose them."
    )


def test_a_triangle_has_no_single_point_of_failure() -> None:
    people = [person(1, tie="weak"), person(2, tie="strong")]
    assert single_points_of_failure(people, [tie(1, 2)]) == []


def test_a_bridge_into_a_cluster_lists_the_whole_cluster() -> None:
    # group, A, B form a triangle; B - C is the only way to the triangle C, D, E.
    people = [person(1, "A", tie="strong"), person(2, "B", tie="weak")]
    people += [person(3, "C"), person(4, "D"), person(5, "E")]
    ties = [tie(1, 2), tie(2, 3), tie(3, 4), tie(4, 5), tie(3, 5)]
    found = single_points_of_failure(people, ties)
    assert len(found) == 1
    assert (found[0].near, found[0].far) == (2, 3)
    assert found[0].dependent_ids == (3, 4, 5)
    assert found[0].dependent_names == ("C", "D", "E")
    assert "C, D and E" in found[0].sentence


def test_our_own_tie_to_a_loner_is_a_single_point_of_failure() -> None:
    found = single_points_of_failure([person(1, "Solo", tie="weak")], [])
    assert len(found) == 1
    assert found[0].dependent_ids == (1,)
    assert found[0].sentence.startswith("Our only route to Solo is our own tie")


def test_stakeholders_out_of_reach_are_not_single_points_of_failure() -> None:
    people, ties = path_map()
    people += [person(3, "D"), person(4, "E"), person(5, "F")]
    ties += [tie(4, 5)]  # E - F are tied to each other, not to us
    assert [s.far for s in single_points_of_failure(people, ties)] == [1, 2]
    assert [s.id for s in out_of_reach(people, ties)] == [3, 4, 5]


def test_only_the_group_has_nothing_to_fail_or_reach() -> None:
    assert single_points_of_failure([], []) == []
    assert out_of_reach([], []) == []


def test_a_tie_to_a_deleted_stakeholder_does_not_rescue_a_single_tie() -> None:
    people, ties = path_map()
    assert len(single_points_of_failure(people, [*ties, tie(2, 77, "strong")])) == 2


# --- bridging and bonding -------------------------------------------------------------------


def test_bonding_is_same_kind_and_bridging_is_different_kinds() -> None:
    people = [
        person(1, "A", kind=COMMUNITY, tie="strong"),
        person(2, "B", kind=COMMUNITY),
        person(3, "C", kind=MEDIA, tie="weak"),
    ]
    ties = [tie(1, 2), tie(2, 1, "strong"), tie(3, 1), tie(3, 3), tie(3, 404)]
    mix = bridging_vs_bonding(people, ties)
    assert [(p.source_id, p.target_id) for p in mix.bonding] == [(1, 2)]
    assert mix.bonding[0].strength == "strong"  # the stronger of the repeated tie
    assert [(p.source_id, p.target_id) for p in mix.bridging] == [(1, 3)]
    assert (mix.bonding_count, mix.bridging_count) == (1, 1)
    assert mix.sentence == (
        "Of the 2 ties between stakeholders, 1 is bonding (same kind on both sides) and "
        "1 bridging (different kinds)."
    )


def test_the_groups_own_ties_are_neither_bridging_nor_bonding() -> None:
    mix = bridging_vs_bonding([person(1, tie="strong"), person(2, kind=MEDIA, tie="weak")], [])
    assert mix.bonding == mix.bridging == ()
    assert "no ties between stakeholders" in mix.sentence


def test_one_tie_reads_naturally() -> None:
    mix = bridging_vs_bonding([person(1), person(2, kind=MEDIA)], [tie(1, 2)])
    assert mix.sentence == "The one tie between stakeholders is bridging (different kinds)."


# --- diversity of kinds ---------------------------------------------------------------------


def test_diversity_of_an_empty_map() -> None:
    result = kind_diversity([])
    assert list(result.counts) == list(STAKEHOLDER_KINDS)
    assert set(result.counts.values()) == {0}
    assert result.missing == STAKEHOLDER_KINDS
    assert result.evenness == 0
    assert "diverse voices" in result.sentence


def test_diversity_one_of_every_kind_is_perfectly_even() -> None:
    people = [person(i, kind=kind) for i, kind in enumerate(STAKEHOLDER_KINDS)]
    result = kind_diversity(people)
    assert result.missing == ()
    assert result.evenness == pytest.approx(1.0)
    assert f"all {len(STAKEHOLDER_KINDS)} kinds" in result.sentence


def test_diversity_of_a_single_kind_is_zero() -> None:
    result = kind_diversity([person(1), person(2), person(3)])
    assert result.counts[COMMUNITY] == 3
    assert result.counts[MEDIA] == 0
    assert result.evenness == 0
    assert len(result.missing) == len(STAKEHOLDER_KINDS) - 1


def test_diversity_two_kinds_equally() -> None:
    result = kind_diversity([person(1), person(2, kind=MEDIA)])
    assert result.evenness == pytest.approx(math.log(2) / math.log(len(STAKEHOLDER_KINDS)))
    assert MEDIA not in result.missing
    assert "Funder" in result.sentence  # the missing kinds are named
    assert "diverse voices" in result.sentence


def test_diversity_counts_a_repeated_id_once_and_duplicate_names_twice() -> None:
    result = kind_diversity([person(1, "Same"), person(1, "Same"), person(2, "Same")])
    assert result.counts[COMMUNITY] == 2


def test_measure_map_agrees_with_each_measure() -> None:
    people, ties = path_map()
    people.append(person(3, "Loner", kind=MEDIA))
    measures = measure_map(people, ties)
    assert measures.brokers == brokers(people, ties)
    assert measures.single_points_of_failure == single_points_of_failure(people, ties)
    assert measures.out_of_reach == out_of_reach(people, ties)
    assert measures.tie_mix == bridging_vs_bonding(people, ties)
    assert measures.diversity == kind_diversity(people)


# --- the score ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("band", "target", "bands"),
    [
        ("neutral", None, 1),
        ("active_opposition", None, 1),
        ("active_ally", None, 0),
        ("passive_opposition", "active_ally", 3),
        ("passive_ally", "passive_ally", 0),
        ("passive_ally", "neutral", 0),  # a target behind them is no movement to invest in
    ],
)
def test_bands_to_move(band: str, target: str | None, bands: int) -> None:
    assert bands_to_move(person(1, band=band, target=target)) == bands


def test_gain_by_hand() -> None:
    people = [
        person(1, influence=4),  # 4 x 1 band, no tie: 4
        person(2, influence=4, band="passive_opposition", target="active_ally", tie="weak"),
        person(3, band="active_ally", tie="strong"),  # nothing to move, no access: 0
        person(4, "A", influence=2),  # 2 x 1 + access 5 (strong) + 1.5 (weak): 8.5
        person(5, "Mayor", kind=DECISION_MAKER_KIND, influence=5, band="passive_opposition"),
        person(6, "Council", kind=DECISION_MAKER_KIND, influence=3, tie="strong"),
    ]
    ties = [tie(4, 5, "weak"), tie(5, 4, "strong"), tie(6, 4), tie(4, 404, "strong")]
    scores = score_investments(people, ties)
    assert scores[1].gain == 4
    assert scores[2].gain == 1.5 * 4 * 3
    assert scores[3].gain == 0
    assert scores[4].access == 6.5
    assert scores[4].decision_makers == ("Mayor", "Council")
    assert scores[4].gain == 8.5
    assert scores[5].gain == 5  # a decision-maker gets no access from ties to A
    assert scores[6].tie_factor == 2
    assert scores[6].gain == 2 * 3
    assert "tie factor" in SCORE_EXPLANATION and "access" in SCORE_EXPLANATION


def test_the_worked_example_in_the_score_explanation_holds() -> None:
    assert "1.5 x (4 x 1 + 5) = 13.5" in SCORE_EXPLANATION
    councillor = person(1, "Councillor", influence=4, tie="weak")
    mayor = person(2, "Mayor", kind=DECISION_MAKER_KIND, influence=5, band="passive_opposition")
    assert score_investments([councillor, mayor], [tie(1, 2, "strong")])[1].gain == 13.5


def test_access_between_decision_makers_counts_both_ways() -> None:
    people = [
        person(1, kind=DECISION_MAKER_KIND, influence=4),
        person(2, kind=DECISION_MAKER_KIND, influence=2),
    ]
    scores = score_investments(people, [tie(1, 2, "strong")])
    assert scores[1].gain == 4 + 2
    assert scores[2].gain == 2 + 4


@pytest.mark.parametrize(
    ("hours", "quarters"),
    [(0, 0), (0.1, 1), (0.25, 1), (0.26, 2), (1, 4), (0.1 + 0.15, 1), (2.75, 11), (500, 2000)],
)
def test_energy_counts_in_quarter_hours_rounded_up(hours: float, quarters: int) -> None:
    assert quarter_hours(hours) == quarters


@pytest.mark.parametrize(("hours", "quarters"), [(0, 0), (0.2, 0), (0.3, 1), (20, 80), (0.75, 3)])
def test_budget_counts_in_quarter_hours_rounded_down(hours: float, quarters: int) -> None:
    assert budget_quarter_hours(hours) == quarters


# --- the solver -----------------------------------------------------------------------------


def brute_force(people: list[Stakeholder], ties: list[Tie], budget: float) -> tuple[int, ...]:
    """Every subset, ranked by the documented rule: most gain, least energy, earliest ids."""
    gains = {sid: s.quarter_points for sid, s in score_investments(people, ties).items()}
    forced = [s for s in people if s.must_invest and not s.not_our_battle]
    room = max(0, budget_quarter_hours(budget) - sum(quarter_hours(s.energy_hours) for s in forced))
    optional = [s for s in people if not s.not_our_battle and not s.must_invest and gains[s.id] > 0]
    best_key, best = None, ()
    for size in range(len(optional) + 1):
        for subset in itertools.combinations(optional, size):
            energy = sum(quarter_hours(s.energy_hours) for s in subset)
            if energy > room:
                continue
            ids = tuple(sorted(s.id for s in subset))
            key = (-sum(gains[i] for i in ids), energy, ids)
            if best_key is None or key < best_key:
                best_key, best = key, ids
    return tuple(sorted(set(best) | {s.id for s in forced}))


def random_instance(rng: random.Random) -> tuple[list[Stakeholder], list[Tie], float]:
    count = rng.randint(0, 12) if rng.random() < 0.25 else rng.randint(7, 12)
    ids = rng.sample(range(1, 40), count)
    people = [
        person(
            sid,
            rng.choice(["A", "B", "Mayor", "mayor "]),  # names repeat on purpose
            kind=rng.choice([DECISION_MAKER_KIND, DECISION_MAKER_KIND, COMMUNITY, MEDIA]),
            influence=rng.randint(1, 5),
            band=rng.choice(list(SpectrumBand)),
            target=rng.choice([None, None, *SpectrumBand]),
            tie=rng.choice(["none", "weak", "strong"]),
            hours=rng.choice([0, 0.25, 0.5, 1, 1.5, 2, 3, 5, 8, 0.1, 1.3, 2.7]),
            not_our_battle=rng.random() < 0.12,
            must_invest=rng.random() < 0.12,
        )
        for sid in ids
    ]
    ties = [
        tie(rng.choice([*ids, 999]), rng.choice([*ids, 999]), rng.choice(["weak", "strong"]))
        for _ in range(rng.randint(0, 2 * count))
        if ids
    ]
    # Mostly a budget that fits some but not all of the map, so the choice is a real one.
    total = sum(s.energy_hours for s in people)
    budget = rng.choice([0, 0.5, 2.3, 20, round(total * rng.uniform(0.15, 0.7), 2)])
    if rng.random() < 0.6:
        budget = round(total * rng.uniform(0.15, 0.7), 2)
    return people, ties, budget


def test_solver_matches_brute_force_on_random_small_maps() -> None:
    rng = random.Random(20240601)
    for _ in range(400):
        people, ties, budget = random_instance(rng)
        result = propose_investments(people, ties, energy_budget=budget)
        expected = brute_force(people, ties, budget)
        assert result.chosen_ids == expected, (people, ties, budget)
        scores = score_investments(people, ties)
        assert result.total_gain == sum(scores[i].gain for i in expected)
        assert result.total_energy == pytest.approx(
            sum(s.energy_hours for s in people if s.id in expected)
        )


def test_solver_beats_the_best_ratio_first_guess() -> None:
    # By gain per hour A comes first (7.5 for 6 hours), and then neither B nor C fits;
    # B and C together gain 10 in the same 10 hours.
    people = [
        person(1, "A", influence=5, tie="weak", hours=6),
        person(2, "B", influence=5, hours=5),
        person(3, "C", influence=5, hours=5),
    ]
    result = propose_investments(people, [], energy_budget=10)
    assert result.chosen_ids == (2, 3)
    assert result.total_gain == 10
    assert result.total_energy == 10


def test_solver_prefers_less_energy_then_lower_id() -> None:
    people = [person(5, hours=3), person(4, hours=2), person(9, hours=2)]  # all gain 3
    assert propose_investments(people, [], energy_budget=2).chosen_ids == (4,)
    assert propose_investments(people, [], energy_budget=3).chosen_ids == (4,)
    assert propose_investments(people, [], energy_budget=4).chosen_ids == (4, 9)


def test_not_our_battle_is_never_picked_and_must_invest_always_is() -> None:
    people = [
        person(1, "Best", influence=5, hours=1, not_our_battle=True),
        person(2, "Insisted", influence=1, band="active_ally", hours=4, must_invest=True),
        person(3, "Other", influence=2, hours=1),
    ]
    result = propose_investments(people, [], energy_budget=5)
    assert result.chosen_ids == (2, 3)
    assert not result.over_budget
    decisions = {d.stakeholder_id: d for d in result.decisions}
    assert decisions[1].reason == Reason.not_our_battle
    assert "not our battle" in decisions[1].sentence
    assert decisions[2].reason == Reason.must_invest
    assert decisions[2].chosen


def test_must_invest_beyond_the_budget_is_reported_not_refused() -> None:
    people = [
        person(1, "Big", hours=30, must_invest=True),
        person(2, "Cheap", hours=1),
        person(3, "Free", hours=0),
    ]
    result = propose_investments(people, [], energy_budget=20)
    assert result.over_budget
    assert result.chosen_ids == (1, 3)  # only what takes no time joins it
    assert result.must_invest_energy == 30
    assert "more than your 20-hour budget" in result.sentence
    cheap = next(d for d in result.decisions if d.stakeholder_id == 2)
    assert cheap.reason == Reason.too_costly


def test_both_flags_not_our_battle_wins_and_says_so() -> None:
    result = propose_investments(
        [person(1, hours=1, not_our_battle=True, must_invest=True)], [], energy_budget=10
    )
    assert result.chosen_ids == ()
    assert "not our battle" in result.decisions[0].sentence
    assert "must invest" in result.decisions[0].sentence


def test_every_pick_and_notable_omission_is_explained() -> None:
    people = [
        person(1, "Councillor", influence=4, band="passive_opposition", tie="weak", hours=3),
        person(2, "Old friend", band="active_ally", tie="strong", hours=2),
        person(3, "Minister", influence=5, hours=40),
        person(4, "Critic", not_our_battle=True),
        person(5, "Neighbour", influence=1, hours=3),
        person(6, "Paper", influence=2, hours=3),
    ]
    result = propose_investments(people, [], energy_budget=6)
    reasons = {d.name: d.reason for d in result.decisions}
    assert reasons == {
        "Councillor": Reason.picked,
        "Old friend": Reason.nothing_to_gain,
        "Minister": Reason.too_costly,
        "Critic": Reason.not_our_battle,
        "Neighbour": Reason.outscored,
        "Paper": Reason.picked,
    }
    sentences = result.explanations
    assert sentences[0].startswith("Invest in Councillor: gain 6 for 3 hours a month")
    assert "passive opposition to neutral" in sentences[0]
    assert any("already an active ally with a strong tie" in s for s in sentences)
    assert any(s.startswith("Minister is left out: 40 hours a month is more") for s in sentences)
    assert not any("Neighbour" in s for s in sentences)  # outscored by everything picked
    # Why not the others: all four left out are named, the less notable in one line.
    assert [d.name for d in result.left_out] == ["Old friend", "Minister", "Critic", "Neighbour"]
    why_not = result.why_not
    assert len(why_not) == 4
    assert why_not[-1] == (
        "Also left out, gaining less than the smallest pick for the hours: Neighbour."
    )
    assert all(any(d.name in line for line in why_not) for d in result.left_out)
    assert result.sentence.startswith("Proposed: 2 relationships, taking 6 hours a month")


def test_solver_on_an_empty_map_and_a_zero_budget() -> None:
    empty = propose_investments([], [], energy_budget=10)
    assert empty.chosen_ids == () and empty.total_gain == 0 and empty.decisions == ()
    assert "Nothing to propose" in empty.sentence
    free = propose_investments([person(1, hours=0), person(2, hours=1)], [], energy_budget=0)
    assert free.chosen_ids == (1,)


def test_an_unlimited_budget_takes_everything_with_a_gain() -> None:
    people = [person(1, hours=400), person(2, band="active_ally", hours=1), person(3, hours=9)]
    assert propose_investments(people, [], energy_budget=math.inf).chosen_ids == (1, 3)


@pytest.mark.parametrize("budget", [-1, math.nan])
def test_a_negative_budget_is_refused_plainly(budget: float) -> None:
    with pytest.raises(ValueError, match="zero or more hours"):
        propose_investments([person(1)], [], energy_budget=budget)


def test_the_solver_handles_sixty_stakeholders_and_large_hours() -> None:
    rng = random.Random(3)
    people = [
        person(i, influence=rng.randint(1, 5), hours=rng.choice([0.1, 7.3, 120, 499.9]))
        for i in range(60)
    ]
    result = propose_investments(people, [], energy_budget=1500)
    assert sum(quarter_hours(s.energy_hours) for s in people if s.id in result.chosen_ids) <= 6000
    assert result.total_energy <= 1500


def test_knapsack_stays_exact_past_64_bit_numbers() -> None:
    rng = random.Random(9)
    for _ in range(50):
        items = [(i, rng.randint(0, 6), rng.randint(1, 3) * 10**17) for i in range(8)]
        capacity = rng.randint(0, 20)
        best = max(
            (
                (sum(v for _, _, v in subset), -sum(w for _, w, _ in subset), subset)
                for size in range(9)
                for subset in itertools.combinations(items, size)
                if sum(w for _, w, _ in subset) <= capacity
            ),
            key=lambda found: (found[0], found[1], [-i for i, _, _ in found[2]]),
        )
        assert knapsack(items, capacity) == tuple(i for i, _, _ in best[2])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.sampled_from(list(SpectrumBand)),
            st.sampled_from(["none", "weak", "strong"]),
            st.floats(0, 30, allow_nan=False),
            st.booleans(),
            st.booleans(),
        ),
        max_size=15,
    ),
    st.lists(st.tuples(st.integers(-1, 16), st.integers(-1, 16)), max_size=30),
    st.floats(0, 60, allow_nan=False),
)
def test_any_map_measures_and_solves_within_the_rules(
    rows: list[tuple[int, SpectrumBand, str, float, bool, bool]],
    pairs: list[tuple[int, int]],
    budget: float,
) -> None:
    people = [
        person(i, influence=inf, band=band, tie=t, hours=h, not_our_battle=nob, must_invest=mi)
        for i, (inf, band, t, h, nob, mi) in enumerate(rows)
    ]
    ties = [tie(a, b) for a, b in pairs]
    measure_map(people, ties)
    result = propose_investments(people, ties, energy_budget=budget)
    by_id = {s.id: s for s in people}
    assert all(not by_id[i].not_our_battle for i in result.chosen_ids)
    forced = {s.id for s in people if s.must_invest and not s.not_our_battle}
    assert forced <= set(result.chosen_ids)
    if not result.over_budget:
        assert result.total_energy <= budget + 1e-9
    assert len(result.decisions) == len(people)


# --- snapshots ------------------------------------------------------------------------------


def test_diff_by_id_finds_every_kind_of_change() -> None:
    before = [
        person(1, "Mayor", band="neutral", tie="weak", influence=5),
        person(2, "Paper", band="passive_ally", tie="strong"),
        person(3, "Gone"),
        person(4, "Old name"),
    ]
    after = [
        person(1, "Mayor", band="active_ally", tie="strong", influence=4),
        person(2, "Paper", band="neutral", tie="none"),
        person(4, "New name"),
        person(5, "Newcomer"),
    ]
    changes = diff_snapshots(before, after)
    assert [s.name for s in changes.new] == ["Newcomer"]
    assert [s.name for s in changes.gone] == ["Gone"]
    assert [(r.before.name, r.after.name) for r in changes.renamed] == [("Old name", "New name")]
    assert [(m.after.name, m.towards_allies) for m in changes.moved] == [
        ("Mayor", True),
        ("Paper", False),
    ]
    assert [(t.after.name, t.grew) for t in changes.ties] == [("Mayor", True), ("Paper", False)]
    assert [(i.after.name, i.rose) for i in changes.influence] == [("Mayor", False)]
    assert changes.sentences == [
        "New on the map: Newcomer.",
        "No longer on the map: Gone.",
        "Old name is now called New name.",
        "Mayor moved from neutral to active ally: 2 bands closer to being an ally.",
        "Paper moved from passive ally to neutral: 1 band further from being an ally.",
        "Our tie with Mayor grew: from weak to strong.",
        "Our tie with Paper weakened: from strong to no tie.",
        "Mayor's influence fell from 5 to 4.",
    ]


def make_in(name: str, **fields: object) -> StakeholderIn:
    return StakeholderIn(
        **{"kind": COMMUNITY, "influence": 3, "band": "neutral", **fields}, name=name
    )


def test_diff_without_ids_matches_names_ignoring_case_and_spaces() -> None:
    before = [make_in("City  Council"), make_in("Mayor")]
    after = [make_in("city council", band="passive_ally"), make_in("MAYOR")]
    changes = diff_snapshots(before, after)
    assert changes.new == changes.gone == ()
    assert [m.after.name for m in changes.moved] == ["city council"]


def test_diff_pairs_repeated_names_in_order() -> None:
    before = [make_in("Mayor", influence=1), make_in("Mayor", influence=2)]
    after = [make_in("Mayor", influence=1), make_in("Mayor", influence=3)]
    changes = diff_snapshots(before, after)
    assert [(i.before.influence, i.after.influence) for i in changes.influence] == [(2, 3)]


def test_diff_ids_beat_names_and_names_catch_a_re_added_stakeholder() -> None:
    before = [person(1, "Alex"), person(2, "Sam", band="neutral")]
    after = [person(1, "Sam"), person(7, "alex", band="passive_ally")]
    changes = diff_snapshots(before, after)
    # Id 1 is one stakeholder, renamed. That leaves id 2 "Sam" and id 7 "alex", whose names
    # differ, so one is gone and one is new.
    assert [(r.before.name, r.after.name) for r in changes.renamed] == [("Alex", "Sam")]
    assert [s.id for s in changes.gone] == [2]
    assert [s.id for s in changes.new] == [7]

    readded = diff_snapshots([person(3, "Food bank")], [person(8, "Food bank", tie="weak")])
    assert readded.new == readded.gone == ()
    assert [t.grew for t in readded.ties] == [True]


def test_diff_lists_every_tie_between_stakeholders_added_removed_or_changed() -> None:
    before = [person(1, "Mayor"), person(2, "Paper"), person(3, "Church"), person(4, "Gone")]
    after = [
        person(1, "Mayor"),
        person(2, "Paper"),
        person(3, "Church"),
        person(5, "Union"),
        person(6, "<b>Club</b>"),
    ]
    before_ties = [
        Tie(source_id=1, target_id=2, strength="weak"),
        Tie(source_id=2, target_id=3, strength="strong"),
        Tie(source_id=3, target_id=4, strength="weak"),  # goes with Gone
        Tie(source_id=1, target_id=3, strength="strong"),
    ]
    after_ties = [
        Tie(source_id=2, target_id=1, strength="strong"),  # the same pair, other way round
        Tie(source_id=2, target_id=3, strength="weak"),
        Tie(source_id=1, target_id=3, strength="strong"),  # unchanged: not listed
        Tie(source_id=5, target_id=1, strength="weak"),
        Tie(source_id=6, target_id=3, strength="strong"),
    ]
    changes = diff_snapshots(before, after, before_ties=before_ties, after_ties=after_ties)
    assert [(c.first.name, c.second.name, c.before, c.after) for c in changes.links] == [
        ("Mayor", "Paper", "weak", "strong"),
        ("Paper", "Church", "strong", "weak"),
        ("Church", "Gone", "weak", None),
        ("Mayor", "Union", None, "weak"),
        ("Church", "<b>Club</b>", None, "strong"),
    ]
    assert changes.sentences[-5:] == [
        "The tie between Mayor and Paper grew: from weak to strong.",
        "The tie between Paper and Church weakened: from strong to weak.",
        "The tie between Church and Gone is gone (it was weak).",
        "New tie between Mayor and Union: weak.",
        "New tie between Church and <b>Club</b>: strong.",
    ]
    # Ties alone are a change; a stakeholder re-added under a new id keeps its ties.
    only_ties = diff_snapshots(before[:2], before[:2], before_ties=[], after_ties=before_ties)
    assert not only_ties.unchanged
    assert only_ties.sentences == ["New tie between Mayor and Paper: weak."]
    readded = diff_snapshots(
        [person(1, "Mayor"), person(3, "Food bank")],
        [person(1, "Mayor"), person(8, "Food bank")],
        before_ties=[Tie(source_id=1, target_id=3)],
        after_ties=[Tie(source_id=8, target_id=1)],
    )
    assert readded.unchanged


def test_nothing_changed_says_what_was_compared() -> None:
    people, _ = path_map()
    assert diff_snapshots(people, people, against_now=True).sentences == [
        "Nothing changed between the snapshot and the map now."
    ]


def test_diff_of_identical_and_of_empty_maps() -> None:
    people, _ = path_map()
    assert diff_snapshots(people, people).unchanged
    assert diff_snapshots(people, people).sentences == [
        "Nothing changed between the two snapshots."
    ]
    assert diff_snapshots([], []).unchanged
    assert [s.name for s in diff_snapshots([], people).new] == ["A", "B"]


# --- the per-map figures for the funder view -------------------------------------------------


def test_summary_of_a_map_with_only_the_group() -> None:
    summary = summarise_map([], [])
    assert (summary.stakeholders, summary.ties, summary.strong_tie_share) == (0, 0, None)
    assert summary.single_points_of_failure == 0
    assert summary.kinds_present == () and summary.kinds_missing == STAKEHOLDER_KINDS


def test_summary_counts_every_usable_tie_and_each_single_point() -> None:
    people = [
        person(1, tie="strong"),  # our only route to 1 and, through 1, to 2
        person(2, kind=MEDIA),
        person(3),  # out of reach: no tie at all
        person(3, "Repeated id"),  # the first row of an id wins
    ]
    ties = [
        Tie(source_id=1, target_id=2, strength="weak"),
        Tie(source_id=2, target_id=99),  # to a deleted stakeholder: not a tie
    ]
    summary = summarise_map(people, ties)
    assert summary.stakeholders == 3
    assert summary.ties == 2 and summary.strong_tie_share == 0.5
    assert summary.single_points_of_failure == 2  # group-1 and 1-2
    assert summary.kinds_present == (COMMUNITY, MEDIA)
    assert len(summary.kinds_missing) == len(STAKEHOLDER_KINDS) - 2


@pytest.mark.parametrize(
    ("typed", "again"),
    [
        ("Caf\u00e9 owners", "Cafe\u0301 owners"),
        ("Ana Silva", "Ana\u200bSilva"),
        ("City council", "\uff23\uff49\uff54\uff59 council"),  # full-width letters
    ],
)
def test_diff_without_ids_matches_names_with_invisible_differences(typed: str, again: str) -> None:
    changes = diff_snapshots([make_in(typed)], [make_in(again, band="passive_ally")])
    assert changes.new == changes.gone == ()
    assert len(changes.moved) == 1  # the same stakeholder, moved
