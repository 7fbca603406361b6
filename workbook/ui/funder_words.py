"""The funder page's sentences: the guarantee in plain words and figures, and the short
sentences that say why a chart, a filter or a headline figure shows nothing. Markdown with no
user text (causes and regions, typed by people, are never passed in here)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import NormalDist

from workbook.i18n import (
    DEFAULT,
    N_,
    decimal_sign,
    format_decimal,
    format_percent,
    gettext_for,
    translations,
)
from workbook.keys import slug
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


def _number(value: float, code: str, spec: str) -> str:
    """A number formatted by `spec` (".2g", "g", ".1f"), with the language's decimal sign."""
    text = format(value, spec)
    return text if decimal_sign(code) == "." else text.replace(".", decimal_sign(code))


def quote_rule(
    quote_minimum: int, quote_workshops: int = Budget().quote_workshops, code: str = DEFAULT
) -> str:
    """What protects a quote (it carries no noise): the cell rule."""
    _ = gettext_for(code)
    return _(
        "a quote shows only where its group's cause, region and year together hold at least "
        "{groups} groups from at least {workshops} workshops"
    ).format(groups=quote_minimum, workshops=quote_workshops)


def summary_text(
    guarantee: Guarantee,
    quote_minimum: int,
    quote_workshops: int = Budget().quote_workshops,
    code: str = DEFAULT,
) -> str:
    """The page's first lines: what the noise does and does not promise, and the quotes."""
    _ = gettext_for(code)
    power = detection_power(guarantee.lifetime_rho)
    return _(
        "**Every figure here carries random noise, so no group can be singled out from the "
        "figures.** You see patterns across many groups, each with its 90% margin (±). No "
        "view, filter, export or release, alone or combined, lets anyone be sure what one "
        "group answered or whether it took part: someone testing that (and willing to be "
        "wrong {wrong} of the time) is right at most {power} of the time. Quotes carry no "
        "noise: they are shown as written, from people who agreed to be quoted, and "
        "{quote_rule}."
    ).format(
        power=format_percent(power, code),
        wrong=format_percent(0.05, code),
        quote_rule=quote_rule(quote_minimum, quote_workshops, code),
    )


def guarantee_text(
    guarantee: Guarantee,
    quote_minimum: int,
    quote_workshops: int = Budget().quote_workshops,
    code: str = DEFAULT,
) -> str:
    """What the releases promise, in plain words and in figures (Markdown, no user text)."""
    _ = gettext_for(code)
    power = format_percent(detection_power(guarantee.lifetime_rho), code)
    per_release = _equals("ρ", _number(guarantee.rho_per_release, code, ".2g"))
    lifetime = _equals("ρ", _number(guarantee.lifetime_rho, code, "g"))
    spent = _equals("ρ", _number(guarantee.most_spent, code, ".2g"))
    epsilon = _equals("ε", _number(guarantee.epsilon, code, ".1f"))
    delta = _equals("δ", f"{guarantee.epsilon_delta:.0e}")
    paragraphs = [
        _(
            "**What is protected: one group**, that is all its members' answers and ratings, "
            "in every round. The figures come from *releases*: once per year, whoever runs the "
            "server measures that year's workshops (only those whose facilitator chose to share "
            "with funders) once, with random noise added by [OpenDP](https://opendp.org) "
            "(differential privacy). This page only does arithmetic on those releases; it never "
            "reads anyone's answers. So no combination of views, filters, exports or releases, "
            "saved and compared over time, lets anyone be sure of a group's answers from the "
            "figures."
        ),
        _(
            "**What you can learn:** patterns across many groups — how groups rate themselves, "
            "what changed, which stakeholders their maps include, the phrases many groups used — "
            "each with its margin. **What you cannot learn from the figures:** for sure what any "
            "one group answered, or whether a given group took part: someone testing that is "
            "right at most {power} of the time (figures below). The quotes are not figures: see "
            "the last paragraph."
        ).format(power=power),
        _(
            "**Margins.** Each figure shows ± its 90% margin: without the noise, the figure "
            "would lie within it 9 times out of 10. Where the margin is wider than ± {mean_limit} "
            "on the 1-5 scale (means and changes) or ± {share_limit} percentage points (shares), "
            "or a count is smaller than its margin, the figure reads “{too_few}” instead: too "
            "few groups stand behind it to say anything useful. Each rating statement gets its "
            "own noise, set from a noisy count of the groups that rated it, so a statement fewer "
            "groups reached is measured more precisely and every statement's mean has about the "
            "same margin for the same share of its groups."
        ).format(
            mean_limit=_number(MEAN_LIMIT, code, "g"),
            share_limit=f"{SHARE_LIMIT * 100:.0f}",
            too_few=_(TOO_FEW),
        ),
        _(
            "**The privacy budget, in figures.** Each release costs each of its groups zCDP "
            "{per_release}; no group may spend more than {lifetime} over all releases (the most "
            "any group has spent so far: {spent}). That is ({epsilon}, {delta})-differential "
            "privacy per group over its whole life. In plain words: someone testing, from "
            "everything published, whether one given group's answers are in the figures, and "
            "willing to be wrong {wrong} of the time when they are not, is right at most "
            "{power} of the time."
        ).format(
            per_release=per_release,
            lifetime=lifetime,
            spent=spent,
            epsilon=epsilon,
            delta=delta,
            power=power,
            wrong=format_percent(0.05, code),
        ),
        _(
            "**A larger or smaller ρ.** Margins shrink roughly in proportion to 1/√ρ: four "
            "times the ρ halves every margin, so smaller selections get figures, but each group "
            "is less protected (ε grows). A smaller ρ widens the margins and protects more. "
            "Whoever runs the server sets it (`WORKBOOK_RELEASE_RHO`, "
            "`WORKBOOK_PRIVACY_LIFETIME_RHO`)."
        ),
        _(
            "**Quotes** cannot be made noisy: they are shown as written, so the noise does not "
            "protect them. What does: only people who ticked “you may quote me anonymously” are "
            "quoted; names are blanked; the sample per lesson is fixed when the release is made "
            "(looking again shows the same quotes); and {quote_rule} that year. The page shows "
            "quotes for all workshops or under one filter; whichever views you combine, a quote "
            "can be placed at most in its cause, region and year, which holds that many groups."
        ).format(quote_rule=quote_rule(quote_minimum, quote_workshops, code)),
    ]
    return "\n\n".join(paragraphs)


def _helps(selection: Selection, code: str = DEFAULT) -> str:
    _ = gettext_for(code)
    if selection.filters:
        return _(
            "Fewer filters, more workshops or a larger privacy budget (whoever runs the server "
            "sets it)"
        )
    return _("More workshops or a larger privacy budget (whoever runs the server sets it)")


def nothing_to_say(missing: str, selection: Selection, code: str = DEFAULT) -> str:
    """One sentence instead of a chart whose every figure is unknown: what is missing, why,
    and what would help."""
    _ = gettext_for(code)
    if selection.filters:
        why = _("{missing}: too few groups in this selection to tell these figures from the noise.")
    else:
        why = _(
            "{missing}: too few groups in the workshops released so far to tell these figures "
            "from the noise."
        )
    return (
        why.format(missing=missing)
        + " "
        + _("{helps} would help.").format(helps=_helps(selection, code))
    )


def _about(value: float, code: str = DEFAULT) -> str:
    """A rough number, to two significant figures: 'about 140', 'about 2,300'."""
    digits = max(len(str(round(value))) - 2, 0)
    return format_decimal(round(value, -digits), code, digits=0)


def two_filters_note(
    needed: tuple[float, float] | None, groups: Estimate, code: str = DEFAULT
) -> str:
    """Why two filters or more give mostly "too few groups to say", from this selection's
    own noise: how many group ratings a mean needs here, against the groups it holds."""
    _ = gettext_for(code)
    holds = (
        _("this selection holds {groups} groups").format(groups=groups.text("count", code))
        if groups.known
        else _("this selection holds fewer groups than the margin of its count")
    )
    need = (
        ""
        if needed is None
        else " "
        + _(
            "Here a statement's mean needs roughly {statement} groups that rated it before it "
            "can show, and a key finding's roughly {finding} group ratings (its statements "
            "together); {holds}."
        ).format(statement=_about(needed[0], code), finding=_about(needed[1], code), holds=holds)
    )
    return (
        _(
            "Two filters or more leave few groups in each figure, and each cell carries noise "
            "of its own, so most figures here read “{too_few}”."
        ).format(too_few=_(TOO_FEW))
        + need
        + " "
        + _("For figures, choose one filter: a year, a cause or a region.")
    )


NOT_MEASURED = N_(
    "no release holds figures for this choice (the cause or region is not listed on its own "
    "in the chosen years: see above)."
)


def count_missing(estimate: Estimate, code: str = DEFAULT) -> str:
    """Under a count too small for its margin: the same rule for every count, said."""
    _ = gettext_for(code)
    if not math.isfinite(estimate.margin):
        return _("not measured for this choice")
    return _("under its margin of ± {margin}").format(
        margin=format_decimal(max(1, round(estimate.margin)), code, digits=0)
    )


# The headline counts, as workbook.release.view names them, for the catalog.
HEADLINE_NAMES = (N_("Workshops"), N_("Groups"), N_("Participants"), N_("Stakeholder maps"))


def headline_caption(headline: dict[str, Estimate], code: str = DEFAULT) -> str:
    """Under the headline counts: who is counted, and why one count may be missing."""
    t = translations(code)
    _ = t.gettext
    missing = [
        _(name).lower()
        for name, estimate in headline.items()
        if not estimate.known and math.isfinite(estimate.margin)
    ]
    names = and_list(missing, code)
    why = (
        ""
        if not missing
        else " "
        + t.ngettext(
            "Each count has noise of its own; here the {names} count is smaller than its "
            "margin, so it could be noise alone and is not shown.",
            "Each count has noise of its own; here the {names} counts are smaller than their "
            "margins, so they could be noise alone and are not shown.",
            len(missing),
        ).format(names=names)
    )
    return (
        _(
            "Only workshops whose facilitator chose to share with funders are counted; other "
            "workshops on this server are in no figure here."
        )
        + why
    )


def and_list(items: Sequence[str], code: str = DEFAULT) -> str:
    """'a', 'a and b', 'a, b and c' in the language `code`."""
    listed = list(items)
    if len(listed) <= 1:
        return "".join(listed)
    _ = gettext_for(code)
    return _("{first} and {last}").format(first=", ".join(listed[:-1]), last=listed[-1])


def file_stem(base: str, filters: dict[str, str | None]) -> str:
    """A download's name without its extension: the chart's, then each filter chosen, e.g.
    key-findings_2024_housing-justice; a filter whose name leaves no ASCII is named by what
    it is ('cause', 'region')."""
    parts = [base]
    for what, label in filters.items():
        if label is not None:
            parts.append(slug(label) or what)
    return "_".join(parts)
