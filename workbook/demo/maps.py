"""The demo's stakeholder maps: a few hundred map shapes, each demo group that reached its
plan's map exercise mostly drawing one of them, with the measures the funder view reads."""

from __future__ import annotations

import numpy as np
import pandas as pd

from workbook.demo.words import KIND_WEIGHTS, STAKEHOLDER_NAMES
from workbook.models import STAKEHOLDER_KINDS, SpectrumBand, Stakeholder, Tie
from workbook.stakeholders.measures import summarise_map

MAP_TEMPLATES = 400  # shapes of map; fewer for a small demo


def _template_maps(
    rng: np.random.Generator, count: int
) -> list[tuple[list[Stakeholder], list[Tie]]]:
    """Map shapes; each demo group's map is one of them, with its own ids. Measuring a few
    hundred shapes instead of every map keeps 10,000 workshops fast."""
    kinds = np.array(KIND_WEIGHTS) / sum(KIND_WEIGHTS)
    bands = list(SpectrumBand)
    shapes = []
    for _ in range(count):
        size = int(rng.integers(4, 15))
        people = []
        for index in range(size):
            kind = STAKEHOLDER_KINDS[int(rng.choice(len(STAKEHOLDER_KINDS), p=kinds))]
            names = STAKEHOLDER_NAMES[kind]
            people.append(
                Stakeholder(
                    id=index + 1,
                    name=f"{names[index % len(names)]} {index + 1}",
                    kind=kind,
                    influence=int(rng.integers(1, 6)),
                    band=bands[int(rng.choice(5, p=[0.08, 0.12, 0.3, 0.28, 0.22]))],
                    tie=("none", "weak", "strong")[int(rng.choice(3, p=[0.3, 0.45, 0.25]))],
                    energy_hours=float(rng.choice([0.5, 1, 2, 3, 4, 6, 8])),
                )
            )
        pairs: set[tuple[int, int]] = set()
        for _ in range(int(rng.integers(0, size + 3))):
            a, b = sorted(int(x) for x in rng.choice(size, size=2, replace=False) + 1)
            pairs.add((a, b))
        ties = [
            Tie(source_id=a, target_id=b, strength="strong" if rng.random() < 0.3 else "weak")
            for a, b in sorted(pairs)
        ]
        shapes.append((people, ties))
    return shapes


def map_frames(
    rng: np.random.Generator,
    *,
    drew: np.ndarray,
    group_workshop: np.ndarray,
    created: pd.DatetimeIndex,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Rows of stakeholders, ties and map measures (local ids from 0). `drew[g]`: group g
    reached its plan's stakeholder-map exercise; `group_workshop[g]`: its workshop;
    `created[w]`: when workshop w took place."""
    workshops = len(created)
    groups = len(group_workshop)
    # --- stakeholder maps: most groups that reached the exercise drew one ---
    has_map = drew & (rng.random(groups) < 0.85)
    map_groups = np.nonzero(has_map)[0]
    shapes = _template_maps(rng, min(MAP_TEMPLATES, 20 + workshops))
    summaries = [summarise_map(people_, ties_) for people_, ties_ in shapes]
    shape_of = rng.integers(0, len(shapes), size=len(map_groups))
    stakeholder_rows: dict[str, list[object]] = {
        c: []
        for c in (
            "group_id",
            "name",
            "kind",
            "influence",
            "band",
            "tie",
            "energy_hours",
        )
    }
    tie_rows: dict[str, list[object]] = {
        c: [] for c in ("group_id", "source_id", "target_id", "strength")
    }
    next_id = 0
    for group, shape in zip(map_groups.tolist(), shape_of.tolist(), strict=True):
        people_, ties_ = shapes[shape]
        first = next_id
        for person in people_:
            stakeholder_rows["group_id"].append(group)
            stakeholder_rows["name"].append(person.name)
            stakeholder_rows["kind"].append(person.kind)
            stakeholder_rows["influence"].append(person.influence)
            stakeholder_rows["band"].append(person.band.value)
            stakeholder_rows["tie"].append(person.tie.value)
            stakeholder_rows["energy_hours"].append(person.energy_hours)
            next_id += 1
        for tie in ties_:
            tie_rows["group_id"].append(group)
            tie_rows["source_id"].append(first + tie.source_id - 1)
            tie_rows["target_id"].append(first + tie.target_id - 1)
            tie_rows["strength"].append(tie.strength.value)
    stakeholder_frame = pd.DataFrame(stakeholder_rows)
    stakeholder_group = stakeholder_frame["group_id"].to_numpy(dtype=np.int64)
    map_time = created[group_workshop[stakeholder_group]] + pd.to_timedelta(90, unit="m")
    stakeholder_frame.insert(0, "id", np.arange(len(stakeholder_frame), dtype=np.int64))
    stakeholder_frame.insert(1, "workshop_id", group_workshop[stakeholder_group])
    stakeholder_frame["target_band"] = pd.Series([None] * len(stakeholder_frame), dtype=object)
    stakeholder_frame["note"] = ""
    stakeholder_frame["not_our_battle"] = False
    stakeholder_frame["must_invest"] = False
    stakeholder_frame["created_at"] = map_time
    stakeholder_frame["updated_at"] = map_time
    tie_frame = pd.DataFrame(tie_rows)
    tie_frame["created_at"] = created[
        group_workshop[tie_frame["group_id"].to_numpy(dtype=np.int64)]
    ]
    measure_frame = pd.DataFrame(
        {
            "group_id": map_groups,
            "workshop_id": group_workshop[map_groups],
            "stakeholders": [summaries[s].stakeholders for s in shape_of.tolist()],
            "ties": [summaries[s].ties for s in shape_of.tolist()],
            "strong_tie_share": [summaries[s].strong_tie_share for s in shape_of.tolist()],
            "single_points_of_failure": [
                summaries[s].single_points_of_failure for s in shape_of.tolist()
            ],
            "kinds_present": [list(summaries[s].kinds_present) for s in shape_of.tolist()],
            "kinds_missing": [list(summaries[s].kinds_missing) for s in shape_of.tolist()],
            "updated_at": created[group_workshop[map_groups]] + pd.to_timedelta(90, unit="m"),
        }
    )
    return stakeholder_frame, tie_frame, measure_frame
