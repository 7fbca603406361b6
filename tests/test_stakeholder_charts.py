"""Stakeholder figures: what each one draws, its empty state, and user names kept as plain text."""

from __future__ import annotations

import json
import math
import random

import plotly.graph_objects as go
import pytest

from workbook.charts.stakeholders.effort import effort_vs_influence
from workbook.charts.stakeholders.grid import influence_position_grid
from workbook.charts.stakeholders.kinds import kinds_of_stakeholder
from workbook.charts.stakeholders.labels import PLACES as _PLACES
from workbook.charts.stakeholders.labels import place_labels as _place_labels
from workbook.charts.stakeholders.look import (
    EFFORT_EMPTY_TEXT,
    EMPTY_STATE,
    GRID_EMPTY_TEXT,
    NETWORK_EMPTY_TEXT,
    NUMBER_POINT,
    SPECTRUM_EMPTY_TEXT,
    Screen,
)
from workbook.charts.stakeholders.look import wrapped as _wrapped
from workbook.charts.stakeholders.network import network
from workbook.charts.stakeholders.spectrum import spectrum_of_allies
from workbook.charts.theme import SPECTRUM_COLOURS, plain_text
from workbook.models import STAKEHOLDER_KINDS, SpectrumBand, Stakeholder, Tie
from workbook.stakeholders.graph import GROUP_LABEL, reading_numbers, who_is_tied
from workbook.stakeholders.portfolio import propose_investments

TRICKY = "<b>Mayor</b> & co"
ESCAPED = "&lt;b&gt;Mayor&lt;/b&gt; &amp; co"


def person(sid: int, name: str | None = None, **fields: object) -> Stakeholder:
    defaults: dict[str, object] = {
        "kind": "Community group",
        "influence": 3,
        "band": "neutral",
        "energy_hours": 2.0,
    }
    return Stakeholder(**{**defaults, **fields}, id=sid, name=name or f"S{sid}")


def big_map(count: int = 60, tie_count: int = 300) -> tuple[list[Stakeholder], list[Tie]]:
    rng = random.Random(11)
    people = [
        person(
            i,
            f"Stakeholder number {i}",
            kind=rng.choice(STAKEHOLDER_KINDS),
            influence=rng.randint(1, 5),
            band=rng.choice(list(SpectrumBand)),
            target_band=rng.choice([None, *SpectrumBand]),
            tie=rng.choice(["none", "weak", "strong"]),
            energy_hours=rng.choice([0, 1, 2, 4, 8, 16]),
        )
        for i in range(count)
    ]
    ties = [
        Tie(
            source_id=rng.randrange(count),
            target_id=rng.randrange(count),
            strength=rng.choice(["weak", "strong"]),
        )
        for _ in range(tie_count)
    ]
    return people, ties


def trace(fig: go.Figure, name: str) -> go.Scatter:
    matches = [t for t in fig.data if t.name == name]
    assert len(matches) == 1, [t.name for t in fig.data]
    return matches[0]


def empty_state_text(fig: go.Figure) -> str | None:
    texts = [a.text for a in fig.layout.annotations if a.name == EMPTY_STATE]
    return texts[0] if texts else None


def arrows(fig: go.Figure) -> list:
    return [a for a in fig.layout.annotations if a.showarrow]


def on_projector_template(fig: go.Figure) -> bool:
    return fig.layout.template.layout.font.size == 20


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_escapes_the_html_plotly_would_render() -> None:
    assert plain_text(TRICKY) == ESCAPED
    assert plain_text("Tom &amp; Jerry") == "Tom &amp;amp; Jerry"  # an entity stays literal
    assert plain_text("Café ü") == "Café ü"


FIGURES = {
    "grid": lambda people, ties: influence_position_grid(people),
    "spectrum": lambda people, ties: spectrum_of_allies(people),
    "network": network,
    "effort": lambda people, ties: effort_vs_influence(
        people, [people[0].id] if people else [], gains={s.id: 3.0 for s in people}
    ),
}


@pytest.mark.parametrize("which", list(FIGURES))
def test_names_reach_the_figure_escaped(which: str) -> None:
    people = [person(1, TRICKY, tie="weak", target_band="active_ally"), person(2, "Plain")]
    fig = FIGURES[which](people, [Tie(source_id=1, target_id=2)])
    drawn = json.dumps([t.to_plotly_json() for t in fig.data])
    assert ESCAPED in drawn
    assert "<b>Mayor" not in drawn
    assert TRICKY not in json.dumps(fig.to_plotly_json(), default=str)


def test_long_names_are_cut_before_escaping() -> None:
    name = "A" * 17 + "&" + "B" * 60  # longer than two lines of a band
    fig = spectrum_of_allies([person(1, name)])
    label = trace(fig, "Stakeholders").text[0]
    assert label.endswith("…") and label.count("<br>") == 1
    assert "&amp;" in label or "&" not in label  # never a half escape like "&am…"
    assert trace(fig, "Stakeholders").customdata[0][0] == plain_text(name)  # hover: full name


@pytest.mark.parametrize(
    ("name", "width", "lines", "expected"),
    [
        ("Tenants' union", 18, 2, "Tenants' union"),
        ("Renters with lived experience", 18, 2, "Renters with lived<br>experience"),
        ("Landlords' association of the city region", 18, 2, "Landlords'<br>association of…"),
        (
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            18,
            2,
            "AAAAAAAAAAAAAAAAAA<br>AAAAAAAAAAAAAAAAA…",
        ),
        ("<b>A</b> & <i>B</i>", 10, 2, "&lt;b&gt;A&lt;/b&gt; &amp;<br>&lt;i&gt;B&lt;/i&gt;"),
        ("Supercalifragilisticexpialidocious", 10, 1, "Supercali…"),
        # right-to-left lines are isolated, each line on its own (workbook/bidi.py)
        ("שלום עליכם חברים יקרים", 12, 2, "\u2068שלום עליכם\u2069<br>\u2068חברים יקרים\u2069"),
    ],
)
def test_names_wrap_over_two_lines_between_words(
    name: str, width: int, lines: int, expected: str
) -> None:
    assert _wrapped(name, width, lines=lines) == expected


def test_long_grid_names_wrap_instead_of_being_cut() -> None:
    fig = influence_position_grid([person(1, "Renters with lived experience")])
    assert trace(fig, "Stakeholders").text[0] == "Renters with<br>lived experience"


@pytest.mark.parametrize("which", list(FIGURES))
def test_every_figure_has_a_phone_version_without_names_beside_points(which: str) -> None:
    people, ties = big_map(30, 60)
    builders = {
        "grid": lambda: influence_position_grid(people, screen=Screen.phone),
        "spectrum": lambda: spectrum_of_allies(people, screen=Screen.phone),
        "network": lambda: network(people, ties, screen=Screen.phone),
        "effort": lambda: effort_vs_influence(people, [], screen=Screen.phone),
    }
    fig = builders[which]()
    assert fig.layout.height <= 700 and fig.layout.title.font.size < 20
    for data in fig.data:
        if data.name in ("Stakeholders", "Not proposed", "Not our battle"):
            # Numbers keyed to the numbered list under the figure, no names.
            assert all(text.isdigit() for text in data.text)
            assert data.textposition == "middle center"
    assert fig.layout.xaxis.fixedrange  # a phone scrolls the page, not the chart


def test_network_labels_face_away_from_the_group_and_avoid_each_other() -> None:
    people = [person(i, f"Neighbour {i}", tie="weak") for i in range(8)]
    fig = network(people, [])
    nodes = trace(fig, "Stakeholders")
    group = trace(fig, GROUP_LABEL)
    gx = group.x[0]
    for x, place in zip(nodes.x, nodes.textposition, strict=True):
        if place == "middle right":
            assert x >= gx - 0.3
        if place == "middle left":
            assert x <= gx + 0.3


def test_label_placement_moves_a_label_off_its_neighbour() -> None:
    # Two points side by side: the left one's label cannot go right, onto the other point.
    places = _place_labels(
        [(100, 100), (150, 100)],
        [10, 10],
        ["Left name", "Right"],
        [list(_PLACES), list(_PLACES)],
        font=16,
        bounds=(1000, 600),
    )
    assert places[0] != "middle right"
    assert places[1] == "middle right"


def test_effort_names_the_proposal_and_not_our_battle_only() -> None:
    people = [
        person(1, "Pick", influence=5, energy_hours=3),
        person(2, "Skip", influence=1, energy_hours=9),
        person(3, "Not ours", not_our_battle=True),
    ]
    portfolio = propose_investments(people, [], energy_budget=5)
    fig = effort_vs_influence(people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=5)
    modes = {t.name: t.mode for t in fig.data}
    assert modes == {
        "Proposed": "markers+text",
        "Not proposed": "markers",
        "Not our battle": "markers+text",
    }


def test_kinds_chart_marks_missing_kinds() -> None:
    counts = {kind: 0 for kind in STAKEHOLDER_KINDS}
    counts["Media"] = 3
    fig = kinds_of_stakeholder(counts)
    missing = [a.name for a in fig.layout.annotations if a.name.startswith("missing:")]
    assert len(missing) == len(STAKEHOLDER_KINDS) - 1 and "missing:Media" not in missing
    assert list(fig.data[0].x) == list(counts.values())
    assert on_projector_template(fig)


@pytest.mark.parametrize("which", list(FIGURES))
def test_every_figure_draws_sixty_stakeholders(which: str) -> None:
    people, ties = big_map()
    fig = FIGURES[which](people, ties)
    assert on_projector_template(fig)
    assert empty_state_text(fig) is None
    if which in ("grid", "spectrum", "network"):
        assert len(trace(fig, "Stakeholders").x) == 60
    else:
        assert sum(len(t.x) for t in fig.data) == 60


@pytest.mark.parametrize(
    ("which", "text"),
    [
        ("grid", GRID_EMPTY_TEXT),
        ("spectrum", SPECTRUM_EMPTY_TEXT),
        ("network", NETWORK_EMPTY_TEXT),
        ("effort", EFFORT_EMPTY_TEXT),
    ],
)
def test_an_empty_map_shows_a_sentence_not_a_blank_axis(which: str, text: str) -> None:
    fig = FIGURES[which]([], [])
    assert empty_state_text(fig) == text
    assert on_projector_template(fig)
    assert not any(t.name == "Stakeholders" for t in fig.data)


# --- influence x position grid --------------------------------------------------------------


def test_grid_has_four_labelled_quadrants_and_marks_the_group() -> None:
    fig = influence_position_grid([person(1, influence=5, band="active_ally")])
    quadrants = {a.name: a.text for a in fig.layout.annotations if a.name.startswith("quadrant:")}
    assert set(quadrants) == {
        "quadrant:Engage closely",
        "quadrant:Keep satisfied",
        "quadrant:Keep informed",
        "quadrant:Monitor",
    }
    rectangles = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rectangles) == 4
    group = trace(fig, GROUP_LABEL)
    assert group.marker.symbol == "star"
    assert GROUP_LABEL in group.text[0]
    assert [t.name for t in fig.data] == ["Stakeholders", GROUP_LABEL]
    assert list(fig.layout.xaxis.ticktext) == [b.label for b in SpectrumBand]


def test_grid_puts_a_stakeholder_in_its_cell_and_quadrant() -> None:
    fig = influence_position_grid(
        [person(1, influence=5, band="active_ally"), person(2, influence=1, band="neutral")]
    )
    points = trace(fig, "Stakeholders")
    by_name = {
        c[0]: (x, y, c[4]) for x, y, c in zip(points.x, points.y, points.customdata, strict=True)
    }
    x, y, quadrant = by_name["S1"]
    assert abs(x - 2) < 0.5 and abs(y - 5) < 0.5 and quadrant == "Engage closely"
    x, y, quadrant = by_name["S2"]
    assert abs(x - 0) < 0.5 and abs(y - 1) < 0.5 and quadrant == "Monitor"
    assert list(points.marker.color) == [SPECTRUM_COLOURS[2], SPECTRUM_COLOURS[4]]


@pytest.mark.parametrize("crowd", [2, 5, 9, 14])
def test_grid_spreads_stakeholders_that_share_a_cell(crowd: int) -> None:
    people = [person(i, f"Same cell {i}", influence=4, band="passive_ally") for i in range(crowd)]
    points = trace(influence_position_grid(people), "Stakeholders")
    positions = list(zip(points.x, points.y, strict=True))
    assert len(set(positions)) == crowd  # nobody hidden under someone else
    assert all(0.5 < x < 1.5 and 3.5 < y < 4.5 for x, y in positions)  # all in their cell


# --- spectrum of allies ---------------------------------------------------------------------


def test_spectrum_draws_an_arrow_only_where_a_target_is_set() -> None:
    people = [
        person(1, band="passive_opposition", target_band="neutral"),
        person(2, band="neutral", target_band="active_ally"),
        person(3, band="passive_ally"),  # no target
        person(4, band="active_ally", target_band="active_ally"),  # already there
    ]
    fig = spectrum_of_allies(people)
    drawn = {a.name: a for a in arrows(fig)}
    assert set(drawn) == {"move:1", "move:2"}
    # From the current band's column to the target's, pointing right (towards ally).
    assert drawn["move:1"].ax < drawn["move:1"].x
    assert round(drawn["move:1"].x - drawn["move:1"].ax) == 1
    assert round(drawn["move:2"].x - drawn["move:2"].ax) == 2
    assert arrows(spectrum_of_allies([person(9)])) == []


def test_spectrum_lists_each_band_with_its_count() -> None:
    people = [person(1, band="neutral"), person(2, band="neutral"), person(3, band="active_ally")]
    fig = spectrum_of_allies(people)
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[2] == "<b>Neutral</b> (2)"
    assert ticks[4] == "<b>Active ally</b> (1)"
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 5
    points = trace(fig, "Stakeholders")
    # The most influential first, top to bottom, within a band.
    assert len(points.x) == 3


def test_spectrum_grows_with_the_longest_band() -> None:
    short = spectrum_of_allies([person(1)]).layout.height
    tall = spectrum_of_allies([person(i) for i in range(30)]).layout.height
    assert tall > short


# --- network --------------------------------------------------------------------------------


def test_network_marks_the_group_and_sizes_colours_and_widths() -> None:
    people = [
        person(1, "A", influence=1, band="active_opposition", tie="strong"),
        person(2, "B", influence=5, band="active_ally"),
        person(3, "Loner"),
    ]
    fig = network(people, [Tie(source_id=1, target_id=2, strength="weak")])
    group = trace(fig, GROUP_LABEL)
    assert group.marker.symbol == "star"
    nodes = trace(fig, "Stakeholders")
    sizes = dict(zip(nodes.text, nodes.marker.size, strict=True))
    assert sizes["B"] > sizes["A"]
    colours = dict(zip(nodes.text, nodes.marker.color, strict=True))
    assert colours["A"] == SPECTRUM_COLOURS[0] and colours["B"] == SPECTRUM_COLOURS[4]
    assert trace(fig, "Strong tie").line.width > trace(fig, "Weak tie").line.width
    assert len([x for x in trace(fig, "Strong tie").x if x is None]) == 1  # the group-A tie
    legend = [t.name for t in fig.data if t.x == (None,)]
    assert legend == ["Active opposition", "Neutral", "Active ally"]


def test_network_layout_is_the_same_every_time() -> None:
    people, ties = big_map(20, 40)
    first, second = network(people, ties), network(people, ties)
    assert trace(first, "Stakeholders").x == trace(second, "Stakeholders").x
    assert trace(first, "Stakeholders").y == trace(second, "Stakeholders").y


def test_network_on_a_phone_fills_the_plot_with_the_connected_stakeholders() -> None:
    """Issue 16: eleven connected stakeholders and one out of reach drew a blob 60 px wide
    around the star. On a phone the group's part of the network spans the plot, those out of
    reach sit in a row below, and the points and lines are big enough to see and tap."""
    connected = [person(i, f"P{i}", tie="strong" if i < 4 else "none") for i in range(1, 12)]
    loner = person(12, "Loner")
    ties = [Tie(source_id=i, target_id=i + 3, strength="weak") for i in range(1, 9)]
    fig = network([*connected, loner], ties, screen=Screen.phone)
    nodes = trace(fig, "Stakeholders")
    names = [c[0] for c in nodes.customdata]
    spots = dict(zip(names, zip(nodes.x, nodes.y, strict=True), strict=True))
    xs = [x for name, (x, _) in spots.items() if name != "Loner"]
    ys = [y for name, (_, y) in spots.items() if name != "Loner"]
    assert max(xs) - min(xs) > 1.6 and max(ys) - min(ys) > 1.6  # of the plot's 2.6
    _, loner_y = spots["Loner"]
    assert loner_y < min(ys)
    assert fig.layout.yaxis.range[0] < loner_y
    assert min(nodes.marker.size) >= 14
    assert trace(fig, "Weak tie").line.width >= 2


def test_network_of_only_the_group_still_shows_the_group() -> None:
    fig = network([], [])
    assert [t.name for t in fig.data] == [GROUP_LABEL]
    assert empty_state_text(fig) == NETWORK_EMPTY_TEXT


def test_network_ignores_broken_ties() -> None:
    people = [person(1, tie="weak"), person(2)]
    ties = [Tie(source_id=1, target_id=99), Tie(source_id=2, target_id=2, strength="strong")]
    fig = network(people, ties)
    assert [t.name for t in fig.data if t.mode == "lines"] == ["Weak tie"]


# --- effort versus influence ----------------------------------------------------------------


def test_effort_highlights_the_proposal_and_marks_the_budget() -> None:
    people = [
        person(1, "Pick", influence=5, energy_hours=3),
        person(2, "Skip", influence=1, energy_hours=9),
        person(3, "Not ours", not_our_battle=True),
    ]
    portfolio = propose_investments(people, [], energy_budget=5)
    fig = effort_vs_influence(people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=5)
    assert [t.name for t in fig.data] == ["Proposed", "Not proposed", "Not our battle"]
    proposed = trace(fig, "Proposed")
    assert list(proposed.x) == [3] and list(proposed.y) == [5]
    assert proposed.marker.size > trace(fig, "Not proposed").marker.size
    budget_lines = [s for s in fig.layout.shapes if s.type == "line" and s.x0 == 5]
    assert len(budget_lines) == 1
    assert fig.layout.yaxis.title.text.startswith("Gain")


def test_effort_without_gains_plots_influence() -> None:
    fig = effort_vs_influence([person(1, influence=4)], [])
    assert list(trace(fig, "Not proposed").y) == [4]
    assert fig.layout.yaxis.title.text == "Influence"
    assert not fig.layout.shapes  # no budget given, no line


def test_effort_spreads_stakeholders_at_the_same_point() -> None:
    fig = effort_vs_influence([person(1), person(2), person(3)], [])
    ys = list(trace(fig, "Not proposed").y)
    assert len(set(ys)) == 3
    assert sum(ys) / 3 == pytest.approx(3)  # spread around the true value


def test_effort_on_a_phone_keeps_its_key_clear_of_the_axis_title() -> None:
    """At 390 px the key ("Proposed / Not proposed") sat on "Energy it takes"."""
    people = [person(1, "Pick", influence=5, energy_hours=3), person(2, "Skip", energy_hours=9)]
    portfolio = propose_investments(people, [], energy_budget=5)
    phone = effort_vs_influence(
        people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=5, screen=Screen.phone
    )
    wide = effort_vs_influence(people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=5)
    assert phone.layout.legend.y <= -0.25 < wide.layout.legend.y
    assert phone.layout.margin.b >= 120


def test_effort_on_a_phone_numbers_every_point_as_the_other_views() -> None:
    """At 390 px the names were cut ("Valley…" was two stakeholders), three of eight proposed
    points had none and the others never did: every point now carries its stakeholder's
    number (as on the grid, spectrum and network), each once, and no name."""
    people = [
        person(1, "Pharmacists' association", influence=5, energy_hours=2),
        person(2, "Valley tenants' union", influence=4, energy_hours=2),
        person(3, "Valley residents' forum", influence=4, energy_hours=2),
        person(4, TRICKY, influence=3, energy_hours=9),
        person(5, "Left out", influence=2, energy_hours=1, not_our_battle=True),
    ] + [person(10 + i, f"Neighbour {i}", influence=1 + i % 5, energy_hours=1) for i in range(6)]
    portfolio = propose_investments(people, [], energy_budget=10)
    fig = effort_vs_influence(
        people,
        portfolio.chosen_ids,
        gains=portfolio.gains,
        energy_budget=10,
        screen=Screen.phone,
    )
    numbers = reading_numbers(people)
    seen: dict[str, str] = {}
    for data in fig.data:
        assert data.mode == "markers+text" and data.textposition == "middle center"
        assert len(data.text) == len(data.x)
        seen.update({c[0]: text for c, text in zip(data.customdata, data.text, strict=True)})
    assert {t.name for t in fig.data} == {"Proposed", "Not proposed", "Not our battle"}
    assert seen == {plain_text(s.name): str(numbers[s.id]) for s in people}
    drawn = json.dumps([t.text for t in fig.data])
    assert "…" not in drawn and "Valley" not in drawn and "Pharma" not in drawn
    assert TRICKY not in json.dumps(fig.to_plotly_json(), default=str)
    # Two digits fit in every point; points at the same place sit a point's width apart.
    for data in fig.data:
        assert data.marker.size >= NUMBER_POINT - 2 and data.textfont.size >= 14
    # Points that would cover each other's numbers (three at 2 hours with the same gain,
    # five at 1 hour) are drawn a point's width apart, each near its own place.
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    per_x = 290 / (x1 - x0)  # the plot's pixels at 390 px
    per_y = (fig.layout.height - fig.layout.margin.t - fig.layout.margin.b - 20) / (y1 - y0)
    drawn = [
        (x * per_x, y * per_y, c[1] * per_x, c[2] * per_y)
        for data in fig.data
        for c, x, y in zip(data.customdata, data.x, data.y, strict=True)
    ]
    assert len(drawn) == len(people)
    for i, (x, y, home_x, home_y) in enumerate(drawn):
        assert math.hypot(x - home_x, y - home_y) <= 3 * NUMBER_POINT
        for ox, oy, _hx, _hy in drawn[i + 1 :]:
            assert math.hypot(x - ox, y - oy) >= NUMBER_POINT - 1


@pytest.mark.parametrize("screen", [Screen.projector, Screen.laptop])
def test_effort_off_a_phone_still_names_its_points(screen: Screen) -> None:
    people = [person(1, "Pick", influence=5, energy_hours=3), person(2, "Skip", energy_hours=9)]
    portfolio = propose_investments(people, [], energy_budget=5)
    fig = effort_vs_influence(
        people, portfolio.chosen_ids, gains=portfolio.gains, energy_budget=5, screen=screen
    )
    assert list(trace(fig, "Proposed").text) == ["Pick"]
    assert trace(fig, "Not proposed").mode == "markers"


# --- readable on a laptop and a phone (tester's findings) ----------------------------------


@pytest.mark.parametrize("screen", list(Screen))
@pytest.mark.parametrize("which", ["grid", "spectrum", "network"])
def test_titles_sit_top_left_clear_of_the_tool_bar_and_push_labels_down(
    which: str, screen: Screen
) -> None:
    people = [person(1, band="neutral", target_band="active_ally"), person(2)]
    builders = {
        "grid": lambda: influence_position_grid(people, screen=screen),
        "spectrum": lambda: spectrum_of_allies(people, screen=screen),
        "network": lambda: network(people, [], screen=screen),
    }
    title = builders[which]().layout.title
    # The tool bar is at the top right: a title centred there ran under it.
    assert title.xanchor == "left" and title.x < 0.05
    assert title.yref == "container" and title.yanchor == "top" and title.automargin


@pytest.mark.parametrize(("screen", "top"), [(Screen.laptop, 150), (Screen.projector, 120)])
def test_spectrum_keeps_room_for_its_title_above_the_band_names(screen: Screen, top: int) -> None:
    """The band names sit above the plot; the laptop's margin (56) used to replace the
    spectrum's own, and the title was printed over the band names."""
    fig = spectrum_of_allies([person(1)], screen=screen)
    assert fig.layout.xaxis.side == "top"
    assert fig.layout.margin.t == top


@pytest.mark.parametrize("screen", list(Screen))
def test_spectrum_arrows_start_from_their_stakeholder_and_say_whose_they_are(
    screen: Screen,
) -> None:
    people = [
        person(1, TRICKY, band="passive_opposition", target_band="neutral", influence=5),
        person(2, "Vicar", band="neutral", target_band="active_ally"),
        person(3, "Press", band="neutral", influence=5),
        person(4, "Back", band="passive_ally", target_band="neutral"),
    ]
    fig = spectrum_of_allies(people, screen=screen)
    points = trace(fig, "Stakeholders")
    where = {c[0]: (x, y) for c, x, y in zip(points.customdata, points.x, points.y, strict=True)}
    stubs = {s.name: s for s in fig.layout.shapes if s.name and s.name.startswith("stub:")}
    moves = {a.name: a for a in arrows(fig)}
    assert set(stubs) == {"stub:1", "stub:2", "stub:4"}
    for sid, name in ((1, ESCAPED), (2, "Vicar"), (4, "Back")):
        stub, move = stubs[f"stub:{sid}"], moves[f"move:{sid}"]
        x, y = where[name]
        # A line straight down from the point, to where its arrow starts.
        assert stub.x0 == stub.x1 == x == move.ax and stub.y0 == y and stub.y1 == move.ay < y
        assert stub.layer == "below" and points.marker.opacity == 1  # under a solid point
        assert move.hovertext.startswith(f"{name}: from ")
    assert moves["move:1"].hovertext == f"{ESCAPED}: from passive opposition to neutral"
    # The head stops at the target band's near edge, clear of that band's own lines.
    assert moves["move:2"].x == pytest.approx(2 - 0.45)
    assert moves["move:4"].x == pytest.approx(0 + 0.45)
    assert TRICKY not in json.dumps(fig.to_plotly_json(), default=str)


@pytest.mark.parametrize("screen", [Screen.laptop, Screen.phone])
def test_grid_names_fit_their_place_off_a_projector(screen: Screen) -> None:
    fig = influence_position_grid([person(1)], screen=screen)
    group = trace(fig, GROUP_LABEL)
    assert group.cliponaxis is False  # reaches into the margin rather than being cut
    quadrants = [a for a in fig.layout.annotations if a.name.startswith("quadrant:")]
    if screen is Screen.phone:
        assert group.text[0] == "<b>Us</b>"
        # Two lines each, aligned to their side: one line crossed the middle divider.
        assert [a.text for a in quadrants if " " in a.text] == []
        assert "<b>Engage<br>closely</b>" in [a.text for a in quadrants]
        assert all(a.align == a.xanchor for a in quadrants)
    else:
        assert group.text[0] == "<b>Our<br>group</b>"
    assert trace(influence_position_grid([person(1)]), GROUP_LABEL).text[0] == "<b>Our group</b>"


def test_network_on_a_phone_numbers_its_points_as_the_list_under_it() -> None:
    people = [
        person(1, "Ana", influence=3),
        person(2, TRICKY, influence=5),
        person(3, "Cy", influence=1),
    ]
    fig = network(people, [Tie(source_id=1, target_id=2)], screen=Screen.phone)
    points = trace(fig, "Stakeholders")
    numbered = {c[0]: text for c, text in zip(points.customdata, points.text, strict=True)}
    assert numbered == {ESCAPED: "1", "Ana": "2", "Cy": "3"}
    assert points.textposition == "middle center"
    lines = who_is_tied(people, [Tie(source_id=1, target_id=2)], numbered=True)
    assert [line.split(" ")[0] for line in lines] == ["1.", "2.", "3."]
    assert lines[1] == "2. Ana: weak tie with <b>Mayor</b> & co."


NUMBERED = [
    person(1, "Ana", influence=3, band="active_ally"),
    person(2, TRICKY, influence=5, band="passive_opposition"),
    person(3, "Cy", influence=1, band="neutral", target_band="passive_ally"),
    person(4, "Bo", influence=3, band="active_ally"),  # shares Ana's cell on the grid
    person(5, "Di", influence=3, band="active_ally"),
]


@pytest.mark.parametrize("build", [influence_position_grid, spectrum_of_allies])
def test_grid_and_spectrum_on_a_phone_number_their_points_as_the_network_does(build) -> None:
    """On a phone there is no room for names: each point carries the number its stakeholder
    has in the list under the figure (the network's numbering, most influential first), in
    the middle of a point big enough for two digits, in a colour that stands out on it."""
    fig = build(NUMBERED, screen=Screen.phone)
    points = trace(fig, "Stakeholders")
    numbered = {c[0]: text for c, text in zip(points.customdata, points.text, strict=True)}
    assert numbered == {ESCAPED: "1", "Ana": "2", "Bo": "3", "Di": "4", "Cy": "5"}
    numbers = reading_numbers(NUMBERED)
    assert numbered == {plain_text(s.name): str(numbers[s.id]) for s in NUMBERED}
    network_points = trace(network(NUMBERED, [], screen=Screen.phone), "Stakeholders")
    assert numbered == dict(
        zip((c[0] for c in network_points.customdata), network_points.text, strict=True)
    )
    assert min(network_points.marker.size) >= NUMBER_POINT  # its numbers fit too
    assert (network_points.textfont.size, network_points.textfont.weight) == (14, "bold")
    assert points.mode == "markers+text" and points.textposition == "middle center"
    sizes = points.marker.size
    assert min(sizes if isinstance(sizes, tuple) else [sizes]) >= NUMBER_POINT
    # Two digits (about 0.6 em each) fit inside, and no text on a phone is under 14 px.
    assert points.textfont.size >= 14 and 2 * 0.62 * points.textfont.size + 4 <= NUMBER_POINT
    assert points.textfont.weight == "bold"
    # White on the dark blue of active allies, near-black on the lighter colours.
    colour_of = dict(zip(points.text, points.textfont.color, strict=True))
    assert [colour_of[n] for n in ("2", "1", "5")] == ["#FFFFFF", "#111111", "#111111"]
    assert TRICKY not in json.dumps(fig.to_plotly_json(), default=str)


def test_the_phone_grid_keeps_numbered_points_sharing_a_cell_apart() -> None:
    """Three in one cell sit a point's width apart (a cell is about 50 px), all in it."""
    points = trace(influence_position_grid(NUMBERED, screen=Screen.phone), "Stakeholders")
    at = {t: (x, y) for t, x, y in zip(points.text, points.x, points.y, strict=True)}
    shared = [at[n] for n in ("2", "3", "4")]
    for i, (x, y) in enumerate(shared):
        assert abs(x - 2) < 0.5 and abs(y - 3) < 0.5
        for ox, oy in shared[i + 1 :]:
            assert math.hypot(x - ox, y - oy) >= 0.45


@pytest.mark.parametrize("build", [influence_position_grid, spectrum_of_allies])
@pytest.mark.parametrize("screen", [Screen.projector, Screen.laptop])
def test_off_a_phone_grid_and_spectrum_still_name_their_points(build, screen: Screen) -> None:
    points = trace(build(NUMBERED, screen=screen), "Stakeholders")
    assert points.textposition == "middle right"
    assert {"Ana", "Bo", "Cy", "Di"} < set(points.text)
    assert not any(text.isdigit() for text in points.text)
