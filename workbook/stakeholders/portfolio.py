"""The energy portfolio: which relationships to invest the group's hours in, scored and
chosen exactly within its budget (a 0/1 knapsack)."""

from __future__ import annotations

import gettext
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import numpy as np

from workbook.bidi import isolate
from workbook.i18n import N_
from workbook.models import (
    SpectrumBand,
    Stakeholder,
    StakeholderIn,
    Tie,
    TieStrength,
)
from workbook.stakeholders import words as word
from workbook.stakeholders.graph import (
    DECISION_MAKER_KIND,
    english_or,
    in_hours,
    join_names,
    language_of,
    short_number,
    stakeholder_ties,
    stakeholders_by_id,
)

# --- the energy portfolio -------------------------------------------------------------------

# Marked for the catalog; translated where shown.
SCORE_EXPLANATION: Final = N_("""\
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
both counts as not our battle.""")

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
    by_id = stakeholders_by_id(stakeholders)
    access_halves: Counter[int] = Counter()  # 2 x access: weak counts 1 x influence, strong 2 x
    decision_makers: dict[int, list[str]] = {sid: [] for sid in by_id}
    for (a, b), strength in stakeholder_ties(by_id, ties).items():
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
    # The language its sentences are in (English: None), for `why_not`.
    translations: gettext.NullTranslations | None = field(default=None, compare=False, repr=False)

    @property
    def explanations(self) -> list[str]:
        """One sentence per pick (largest gain first), then per notable omission."""
        picks = sorted((d for d in self.decisions if d.chosen), key=lambda d: -d.gain)
        omissions = [d for d in self.decisions if not d.chosen and d.notable]
        return [d.sentence for d in picks + omissions]

    @property
    def left_out(self) -> tuple[InvestmentDecision, ...]:
        """Every stakeholder not in the proposal, in map order."""
        return tuple(d for d in self.decisions if not d.chosen)

    @property
    def why_not(self) -> list[str]:
        """Why each left-out stakeholder is out: a sentence per notable one, then one line for
        the rest (each gains less than the smallest pick), so every one of `left_out` is
        named and a count of them matches what is listed."""
        t = english_or(self.translations)
        left_out = self.left_out
        sentences = [d.sentence for d in left_out if d.notable]
        rest = [d.name for d in left_out if not d.notable]
        if rest:
            names = join_names(rest, limit=len(rest), t=t)
            if len(rest) > 1:
                line = t.gettext(
                    "Also left out, each gaining less than the smallest pick for the hours: "
                    "{names}."
                )
            else:
                line = t.gettext(
                    "Also left out, gaining less than the smallest pick for the hours: {names}."
                )
            sentences.append(line.format(names=names))
        return sentences


def _why(score: InvestmentScore, s: Stakeholder, t: gettext.NullTranslations) -> str:
    _ = t.gettext
    parts = [_("influence {n}").format(n=s.influence)]
    if score.bands_to_move:
        target = SpectrumBand.from_score(s.band.score + score.bands_to_move)
        parts.append(
            _("from {band} to {target}").format(
                band=word.band(s.band, _, lower=True), target=word.band(target, _, lower=True)
            )
        )
    if score.decision_makers:
        parts.append(
            _("access to {names}").format(names=join_names(score.decision_makers, limit=3, t=t))
        )
    if s.tie == TieStrength.strong:
        parts.append(_("an existing strong tie"))
    elif s.tie == TieStrength.weak:
        parts.append(_("an existing weak tie"))
    return ", ".join(parts)


def _nothing_to_gain(s: Stakeholder, t: gettext.NullTranslations) -> str:
    _ = t.gettext
    if s.band == SpectrumBand.active_ally and s.tie == TieStrength.strong:
        sentence = _(
            "{name} is already an active ally with a strong tie to us and links us to no "
            "decision-makers: more energy here adds nothing to the score."
        )
    elif s.band == SpectrumBand.active_ally:
        sentence = _(
            "{name} is already an active ally and links us to no decision-makers: more energy "
            "here adds nothing to the score."
        )
    else:
        sentence = _(
            "{name} is already where you want them ({band}) and links us to no "
            "decision-makers: more energy here adds nothing to the score."
        )
    return sentence.format(name=isolate(s.name), band=word.band(s.band, _, lower=True))


def propose_investments(
    stakeholders: Iterable[Stakeholder],
    ties: Iterable[Tie],
    *,
    energy_budget: float,
    t: gettext.NullTranslations | None = None,
) -> Portfolio:
    """Which relationships to invest in for the most gain within the energy budget (exact).

    See SCORE_EXPLANATION for the gain and the rules. A stakeholder marked both "not our
    battle" and "must invest" is treated as not our battle, and its sentence says so.
    Sentences are in the language of `t` (English without).
    """
    if math.isnan(energy_budget) or energy_budget < 0:
        raise ValueError("The energy budget must be zero or more hours a month.")
    translations = t
    t = english_or(t)
    _ = t.gettext
    code = language_of(t)
    by_id = stakeholders_by_id(stakeholders)
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

    room_hours = in_hours(room / QUARTERS_PER_HOUR, t)
    if forced:
        room_words = _("the {hours} left after the ones you chose to invest in").format(
            hours=room_hours
        )
    else:
        room_words = _("the {hours} the budget allows").format(hours=room_hours)
    decisions = []
    for s in by_id.values():
        score = scores[s.id]
        gain, hours = score.gain, s.energy_hours
        cost = (
            _("{hours} a month").format(hours=in_hours(hours, t)) if hours else _("no time at all")
        )
        said = {"name": isolate(s.name), "cost": cost, "gain": short_number(gain, code)}
        notable = True
        if s.not_our_battle:
            reason, chosen = Reason.not_our_battle, False
            sentence = _('{name} is left out: you marked them "not our battle".')
            if s.must_invest:
                sentence = _(
                    '{name} is left out: marked both "not our battle" and "must invest", and '
                    '"not our battle" wins. Untick one to decide.'
                )
        elif s.must_invest:
            reason, chosen = Reason.must_invest, True
            sentence = _("{name} is in because you chose to invest there: {cost}, gain {gain}.")
        elif s.id in picked:
            reason, chosen = Reason.picked, True
            sentence = _("Invest in {name}: gain {gain} for {cost} ({why}).")
            said["why"] = _why(score, s, t)
        elif score.quarter_points == 0:
            reason, chosen = Reason.nothing_to_gain, False
            sentence = _nothing_to_gain(s, t)
        elif quarter_hours(hours) > room:
            reason, chosen = Reason.too_costly, False
            sentence = _(
                "{name} is left out: {cost} is more than {room}, although the gain would be {gain}."
            )
            said["room"] = room_words
        else:
            reason, chosen = Reason.outscored, False
            notable = smallest_pick is None or score.quarter_points >= smallest_pick
            sentence = _(
                "{name} is left out (gain {gain} for {cost}): the picks gain more from the same "
                "hours."
            )
        decisions.append(
            InvestmentDecision(
                s.id, s.name, chosen, reason, gain, hours, notable, sentence.format(**said)
            )
        )

    total_gain = sum(scores[i].quarter_points for i in chosen_ids) / 4
    total_energy = sum(by_id[i].energy_hours for i in chosen_ids)
    if math.isinf(energy_budget):
        budget = _("an unlimited budget")
    else:
        budget = _("your {hours}-hour budget").format(hours=short_number(energy_budget, code))
    if over_budget:
        extra = (
            _("Only relationships that take no time were added.")
            if picked
            else _("Nothing else fits.")
        )
        summary = _(
            "The relationships you chose to invest in need {hours} a month, more than {budget}. "
            "{extra}"
        ).format(hours=in_hours(forced_hours, t), budget=budget, extra=extra)
    elif not chosen_ids:
        summary = _(
            "Nothing to propose for {budget}: no relationship with something to gain fits in it."
        ).format(budget=budget)
    else:
        n = len(chosen_ids)
        summary = t.ngettext(
            "Proposed: {n} relationship, taking {hours} a month of {budget}, for a total gain "
            "of {gain}.",
            "Proposed: {n} relationships, taking {hours} a month of {budget}, for a total gain "
            "of {gain}.",
            n,
        ).format(
            n=n,
            hours=in_hours(total_energy, t),
            budget=budget,
            gain=short_number(total_gain, code),
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
        translations=translations,
    )
