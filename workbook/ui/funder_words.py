"""The funder page's sentences: the guarantee in plain words and figures, and the short
sentences that say why a chart, a filter or a headline figure shows nothing. Markdown with no
user text (causes and regions, typed by people, are never passed in here)."""

from __future__ import annotations

import math
import re
import unicodedata
from statistics import NormalDist

from workbook.release.budget import Budget
from workbook.release.view import (
    MEAN_LIMIT,
    SHARE_LIMIT,
    TOO_FEW,
    Estimate,
    Guarantee,
    Selection,
)


def detection_power(rho: float, wrong_alarms: float = 0.05) -> float:
    """The most often someone can be right when testing, from everything published, whether
    a given group's answers are in the figures, if they accept being wrong `wrong_alarms` of
    the time when they are not (rho-zCDP Gaussian noise is sqrt(2 rho)-Gaussian DP)."""
    normal = NormalDist()
    return normal.cdf((2 * rho) ** 0.5 - normal.inv_cdf(1 - wrong_alarms))


def _equals(symbol: str, value: str) -> str:
    """'ρ = 0.5' that never breaks across lines."""
    return f"{symbol}\u00a0=\u00a0{value}"


def quote_rule(quote_minimum: int, quote_workshops: int = Budget().quote_workshops) -> str:
    """What protects a quote (it carries no noise): the cell rule."""
    return (
        f"a quote shows only where its group's cause, region and year together hold at least "
        f"{quote_minimum} groups from at least {quote_workshops} workshops"
    )


def summary_text(
    guarantee: Guarantee, quote_minimum: int, quote_workshops: int = Budget().quote_workshops
) -> str:
    """The page's first lines: what the noise does and does not promise, and the quotes."""
    power = detection_power(guarantee.lifetime_rho)
    return (
        "**Every figure here carries random noise, so no group can be singled out from the "
        "figures.** You see patterns across many groups, each with its 90% margin (±). No "
        "view, filter, export or release, alone or combined, lets anyone be sure what one "
        "group answered or whether it took part: someone testing that (and willing to be "
        f"wrong 5% of the time) is right at most {power:.0%} of the time. Quotes carry no "
        "noise: they are shown as written, from people who agreed to be quoted, and "
        f"{quote_rule(quote_minimum, quote_workshops)}."
    )


def guarantee_text(
    guarantee: Guarantee, quote_minimum: int, quote_workshops: int = Budget().quote_workshops
) -> str:
    """What the releases promise, in plain words and in figures (Markdown, no user text)."""
    power = detection_power(guarantee.lifetime_rho)
    per_release = _equals("ρ", f"{guarantee.rho_per_release:.2g}")
    lifetime = _equals("ρ", f"{guarantee.lifetime_rho:g}")
    spent = _equals("ρ", f"{guarantee.most_spent:.2g}")
    epsilon = _equals("ε", f"{guarantee.epsilon:.1f}")
    delta = _equals("δ", f"{guarantee.epsilon_delta:.0e}")
    return f"""
**What is protected: one group**, that is all its members' answers and ratings, in every
round. The figures come from *releases*: once per year, whoever runs the server measures
that year's workshops (only those whose facilitator chose to share with funders) once, with
random noise added by [OpenDP](https://opendp.org) (differential privacy). This page only
does arithmetic on those releases; it never reads anyone's answers. So no combination of
views, filters, exports or releases, saved and compared over time, lets anyone be sure of a
group's answers from the figures.

**What you can learn:** patterns across many groups — how groups rate themselves, what
changed, which stakeholders their maps include, the phrases many groups used — each with its
margin. **What you cannot learn from the figures:** for sure what any one group answered,
or whether a given group took part: someone testing that is right at most {power:.0%} of the
time (figures below). The quotes are not figures: see the last paragraph.

**Margins.** Each figure shows ± its 90% margin: without the noise, the figure would lie
within it 9 times out of 10. Where the margin is wider than ± {MEAN_LIMIT:g} on the 1-5
scale (means and changes) or ± {SHARE_LIMIT * 100:.0f} percentage points (shares), or a count
is smaller than its margin, the figure reads “{TOO_FEW}” instead: too few groups stand
behind it to say anything useful. Each rating statement gets its own noise, set from a noisy
count of the groups that rated it, so a statement fewer groups reached is measured more
precisely and every statement's mean has about the same margin for the same share of its
groups.

**The privacy budget, in figures.** Each release costs each of its groups zCDP
{per_release}; no group may spend more than {lifetime} over all releases (the most any group
has spent so far: {spent}). That is ({epsilon}, {delta})-differential privacy
per group over its whole life. In plain words: someone testing, from everything published,
whether one given group's answers are in the figures, and willing to be wrong 5% of the time
when they are not, is right at most {power:.0%} of the time.

**A larger or smaller ρ.** Margins shrink roughly in proportion to 1/√ρ: four times the ρ
halves every margin, so smaller selections get figures, but each group is less protected
(ε grows). A smaller ρ widens the margins and protects more. Whoever runs the server sets
it (`WORKBOOK_RELEASE_RHO`, `WORKBOOK_PRIVACY_LIFETIME_RHO`).

**Quotes** cannot be made noisy: they are shown as written, so the noise does not protect
them. What does: only people who ticked “you may quote me anonymously” are quoted; names
are blanked; the sample per lesson is fixed when the release is made (looking again shows
the same quotes); and {quote_rule(quote_minimum, quote_workshops)} that year. The page
shows quotes for all workshops or under one filter; whichever views you combine, a quote
can be placed at most in its cause, region and year, which holds that many groups.
"""


def _helps(selection: Selection) -> str:
    helps = ["fewer filters"] if selection.filters else []
    helps += ["more workshops", "a larger privacy budget (whoever runs the server sets it)"]
    text = ", ".join(helps[:-1]) + " or " + helps[-1]
    return text[0].upper() + text[1:]


def nothing_to_say(missing: str, selection: Selection) -> str:
    """One sentence instead of a chart whose every figure is unknown: what is missing, why,
    and what would help."""
    where = "this selection" if selection.filters else "the workshops released so far"
    return (
        f"{missing}: too few groups in {where} to tell these figures from the noise. "
        f"{_helps(selection)} would help."
    )


def _about(value: float) -> str:
    """A rough number, to two significant figures: 'about 140', 'about 2,300'."""
    digits = max(len(str(round(value))) - 2, 0)
    return f"{round(value, -digits):,.0f}"


def two_filters_note(needed: tuple[float, float] | None, groups: Estimate) -> str:
    """Why two filters or more give mostly "too few groups to say", from this selection's
    own noise: how many group ratings a mean needs here, against the groups it holds."""
    holds = (
        f"this selection holds {groups.text('count')} groups"
        if groups.known
        else "this selection holds fewer groups than the margin of its count"
    )
    need = (
        ""
        if needed is None
        else (
            f" Here a statement's mean needs roughly {_about(needed[0])} groups that rated it "
            f"before it can show, and a key finding's roughly {_about(needed[1])} group "
            f"ratings (its statements together); {holds}."
        )
    )
    return (
        "Two filters or more leave few groups in each figure, and each cell carries noise of "
        f"its own, so most figures here read “{TOO_FEW}”.{need} For figures, choose one "
        "filter: a year, a cause or a region."
    )


NOT_MEASURED = (
    "no release holds figures for this choice (the cause or region is not listed on its own "
    "in the chosen years: see above)."
)


def count_missing(estimate: Estimate) -> str:
    """Under a count too small for its margin: the same rule for every count, said."""
    if not math.isfinite(estimate.margin):
        return "not measured for this choice"
    return f"under its margin of ± {max(1, round(estimate.margin)):,}"


def headline_caption(headline: dict[str, Estimate]) -> str:
    """Under the headline counts: who is counted, and why one count may be missing."""
    missing = [
        name.lower()
        for name, estimate in headline.items()
        if not estimate.known and math.isfinite(estimate.margin)
    ]
    names = " and ".join([", ".join(missing[:-1]), *missing[-1:]] if len(missing) > 1 else missing)
    why = (
        ""
        if not missing
        else (
            f" Each count has noise of its own; here the {names} count"
            + (
                "s are smaller than their margins, so they could be noise alone and are not shown."
                if len(missing) > 1
                else " is smaller than its margin, so it could be noise alone and is not shown."
            )
        )
    )
    return (
        "Only workshops whose facilitator chose to share with funders are counted; other "
        f"workshops on this server are in no figure here.{why}"
    )


def slug(text: str, limit: int = 40) -> str:
    """Safe ASCII for a file name: 'Housing justice' -> 'housing-justice' (accents dropped,
    anything else a hyphen); '' when nothing is left (a name in another script)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def file_stem(base: str, filters: dict[str, str | None]) -> str:
    """A download's name without its extension: the chart's, then each filter chosen, e.g.
    key-findings_2024_housing-justice; a filter whose name leaves no ASCII is named by what
    it is ('cause', 'region')."""
    parts = [base]
    for what, label in filters.items():
        if label is not None:
            parts.append(slug(label) or what)
    return "_".join(parts)
