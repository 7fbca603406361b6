"""The map's own words in the session's language: kinds, bands, tie strengths and quadrants.

What is stored and written to files stays the English value (a kind's name, a band's id), so
a map moves between workshops in any language; these turn it into words where it is shown,
with the session's `_` (English without one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from workbook.i18n import N_
from workbook.models import STAKEHOLDER_KINDS, SpectrumBand, TieStrength

Translate = Callable[[str], str]


def same(message: str) -> str:
    """English: the source text unchanged."""
    return message


# The kinds as stored (models.STAKEHOLDER_KINDS), marked for the catalog.
KIND_WORDS: Final = {
    "People with lived experience": N_("People with lived experience"),
    "Community group": N_("Community group"),
    "Ally organisation": N_("Ally organisation"),
    "Non-traditional ally": N_("Non-traditional ally"),
    "Institution or decision-maker": N_("Institution or decision-maker"),
    "Funder": N_("Funder"),
    "Media": N_("Media"),
    "Dissenter or critic": N_("Dissenter or critic"),
}
if set(KIND_WORDS) != set(STAKEHOLDER_KINDS):  # a kind added there must be worded here
    raise RuntimeError("stakeholders/words.py must list every models.STAKEHOLDER_KINDS")

BAND_WORDS: Final = {
    SpectrumBand.active_opposition: N_("Active opposition"),
    SpectrumBand.passive_opposition: N_("Passive opposition"),
    SpectrumBand.neutral: N_("Neutral"),
    SpectrumBand.passive_ally: N_("Passive ally"),
    SpectrumBand.active_ally: N_("Active ally"),
}
# In the middle of a sentence ("from passive opposition to active ally").
BAND_WORDS_LOWER: Final = {
    SpectrumBand.active_opposition: N_("active opposition"),
    SpectrumBand.passive_opposition: N_("passive opposition"),
    SpectrumBand.neutral: N_("neutral"),
    SpectrumBand.passive_ally: N_("passive ally"),
    SpectrumBand.active_ally: N_("active ally"),
}
TIE_WORDS: Final = {
    TieStrength.none: N_("No tie"),
    TieStrength.weak: N_("Weak"),
    TieStrength.strong: N_("Strong"),
}
TIE_WORDS_LOWER: Final = {
    TieStrength.none: N_("no tie"),
    TieStrength.weak: N_("weak"),
    TieStrength.strong: N_("strong"),
}


def kind(value: str, _: Translate = same) -> str:
    """A kind's name; a kind no longer on the list is shown as stored."""
    return _(KIND_WORDS[value]) if value in KIND_WORDS else value


def band(value: SpectrumBand | str, _: Translate = same, *, lower: bool = False) -> str:
    found = SpectrumBand(value)
    return _((BAND_WORDS_LOWER if lower else BAND_WORDS)[found])


def tie(value: TieStrength | str, _: Translate = same, *, lower: bool = False) -> str:
    found = TieStrength(value)
    return _((TIE_WORDS_LOWER if lower else TIE_WORDS)[found])


def our_tie(value: TieStrength | str, _: Translate = same, *, capital: bool = False) -> str:
    """The group's own tie with a stakeholder, said once: "our tie: weak", and "no tie to us"
    rather than "our tie: no tie" (which says the same thing twice)."""
    if TieStrength(value) == TieStrength.none:
        return _("No tie to us") if capital else _("no tie to us")
    template = _("Our tie: {tie}") if capital else _("our tie: {tie}")
    return template.format(tie=tie(value, _, lower=True))
