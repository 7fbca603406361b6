"""Times the stakeholder measures, the solver, the figures and the store's map saves on a
60-stakeholder, 300-tie map."""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/bench_stakeholders.py` puts bench/,
# not the repo root, on sys.path.
import networkx  # noqa: E402
import plotly  # noqa: E402

from workbook import map_json, map_worksheet  # noqa: E402
from workbook.charts.stakeholders.effort import effort_vs_influence  # noqa: E402
from workbook.charts.stakeholders.grid import influence_position_grid  # noqa: E402
from workbook.charts.stakeholders.look import Screen  # noqa: E402
from workbook.charts.stakeholders.network import _layout, network  # noqa: E402
from workbook.charts.stakeholders.spectrum import spectrum_of_allies  # noqa: E402
from workbook.models import (  # noqa: E402
    STAKEHOLDER_KINDS,
    JoinRequest,
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    WorkshopCreate,
)
from workbook.stakeholders.graph import build_graph  # noqa: E402
from workbook.stakeholders.measures import (  # noqa: E402
    bridging_vs_bonding,
    brokers,
    kind_diversity,
    measure_map,
    single_points_of_failure,
)
from workbook.stakeholders.portfolio import propose_investments  # noqa: E402
from workbook.stakeholders.saved import StakeholderChanges, StakeholderMap, StakeholderUpdate  # noqa: E402
from workbook.stakeholders.snapshots import diff_snapshots  # noqa: E402

SEED = 2024
STAKEHOLDERS = 60
TIES = 300
RUNS = 30
BUDGETS = (20, 60, 200)


def random_map(seed: int = SEED) -> tuple[list[Stakeholder], list[Tie]]:
    """A busy but plausible map: every kind, every band, hours from a few minutes to a day."""
    rng = random.Random(seed)
    people = [
        Stakeholder(
            id=i + 1,
            name=f"Stakeholder {i + 1}",
            kind=rng.choice(STAKEHOLDER_KINDS),
            influence=rng.randint(1, 5),
            band=rng.choice(list(SpectrumBand)),
            target_band=rng.choice([None, None, *SpectrumBand]),
            tie=rng.choice(["none", "weak", "strong"]),
            energy_hours=rng.choice([0.5, 1, 1.5, 2, 3, 4, 6, 8, 10, 12, 16, 20, 0.3, 2.7]),
            not_our_battle=rng.random() < 0.05,
            must_invest=rng.random() < 0.03,
        )
        for i in range(STAKEHOLDERS)
    ]
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < TIES:  # 300 distinct ties between stakeholders
        a, b = rng.sample(range(1, STAKEHOLDERS + 1), 2)
        pairs.add((min(a, b), max(a, b)))
    ties = [
        Tie(source_id=a, target_id=b, strength=rng.choice(["weak", "strong"]))
        for a, b in sorted(pairs)
    ]
    return people, ties


def timed(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """Median and 95th percentile of `runs` calls, in milliseconds (after one warm-up call)."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def new_layout_network(people: list[Stakeholder], ties: list[Tie]) -> object:
    _layout.cache_clear()  # as the first draw after the map changed
    return network(people, ties)


def main() -> None:
    people, ties = random_map()
    later = [
        s.model_copy(update={"band": SpectrumBand.from_score(s.band.score + 1)}) for s in people
    ]
    cases: list[tuple[str, Callable[[], object]]] = [
        ("build_graph", lambda: build_graph(people, ties)),
        ("brokers (betweenness)", lambda: brokers(people, ties)),
        ("single_points_of_failure", lambda: single_points_of_failure(people, ties)),
        ("bridging_vs_bonding", lambda: bridging_vs_bonding(people, ties)),
        ("kind_diversity", lambda: kind_diversity(people)),
        ("measure_map (all measures)", lambda: measure_map(people, ties)),
        ("diff_snapshots", lambda: diff_snapshots(people, later)),
    ]
    for budget in BUDGETS:
        cases.append(
            (
                f"propose_investments, {budget} h",
                lambda budget=budget: propose_investments(people, ties, energy_budget=budget),
            )
        )
    portfolio = propose_investments(people, ties, energy_budget=60)
    cases += [
        ("figure: influence_position_grid", lambda: influence_position_grid(people)),
        ("figure: spectrum_of_allies", lambda: spectrum_of_allies(people)),
        ("figure: network (new layout)", lambda: new_layout_network(people, ties)),
        ("figure: network (same map again)", lambda: network(people, ties)),
        ("figure: grid, phone", lambda: influence_position_grid(people, screen=Screen.phone)),
        (
            "figure: effort_vs_influence",
            lambda: effort_vs_influence(
                people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=60
            ),
        ),
    ]

    print(f"Stakeholder map benchmark: {STAKEHOLDERS} stakeholders, {TIES} ties, seed {SEED}")
    print(
        f"Machine: {platform.platform()}, {platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(f"networkx {networkx.__version__}, plotly {plotly.__version__}; {RUNS} runs each\n")
    width = max(len(name) for name, _ in cases)
    print(f"{'what':<{width}}  {'median ms':>10}  {'p95 ms':>10}")
    for name, action in cases:
        median, p95 = timed(action)
        print(f"{name:<{width}}  {median:>10.2f}  {p95:>10.2f}")
    store_cases(people, ties, width)
    for budget in BUDGETS:
        result = propose_investments(people, ties, energy_budget=budget)
        print(
            f"\nbudget {budget} h: {len(result.chosen_ids)} picked, "
            f"{result.total_energy:g} h used, gain {result.total_gain:g}"
        )


def store_cases(people: list[Stakeholder], ties: list[Tie], width: int) -> None:
    """The store on a real DuckDB file: each save is one transaction that also rewrites the
    map's measures row (so it includes summarise_map); the read is one consistent read."""
    from workbook.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        try:
            workshop, _ = store.create_workshop(
                workshop=WorkshopCreate(title="Bench", cause="Benchmarks")
            )
            seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="G"))
            group = seat.group.id
            rows = [StakeholderIn(**s.model_dump(exclude={"id"})) for s in people]
            position = {s.id: i for i, s in enumerate(people)}
            file_ties = [(position[t.source_id], position[t.target_id], t.strength) for t in ties]

            def replace_all() -> object:
                return store.import_map(
                    group_id=group, stakeholders=rows, ties=file_ties, replace=True
                )

            replace_all()
            stored = store.stakeholder_map(group_id=group)
            first = stored.stakeholders[0]
            flip = [first.influence % 5 + 1]

            def edit_one() -> object:
                flip[0] = flip[0] % 5 + 1
                update = StakeholderUpdate(
                    first.id,
                    {"influence": flip[0]},
                    StakeholderIn(**first.model_dump(exclude={"id"})),
                )
                return store.save_stakeholder_changes(
                    group_id=group, changes=StakeholderChanges(updated=(update,))
                )

            def parse_and_diff() -> object:
                frame_rows = [
                    {"id": s.id, **s.model_dump(exclude={"id"})} for s in stored.stakeholders
                ]
                parsed = map_worksheet.parse_worksheet(frame_rows, defaults={})
                return map_worksheet.stakeholder_changes(stored.stakeholders, parsed.rows)

            cases: list[tuple[str, Callable[[], object]]] = [
                ("store: read the map", lambda: store.stakeholder_map(group_id=group)),
                ("store: save one edit + measures", edit_one),
                ("store: replace 60 + 300 ties + measures", replace_all),
                ("worksheet: check 60 rows + diff", parse_and_diff),
                (
                    "export: JSON",
                    lambda: map_json.map_json(StakeholderMap(stored.stakeholders, stored.ties)),
                ),
            ]
            for name, action in cases:
                median, p95 = timed(action, runs=10)
                print(f"{name:<{width}}  {median:>10.2f}  {p95:>10.2f}")
        finally:
            store.close()


if __name__ == "__main__":
    main()
