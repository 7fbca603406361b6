"""The workbook's vocabulary as pydantic models: what may come in, with plain-language limits."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, Final

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
)

from workbook import i18n
from workbook.i18n import N_
from workbook.messages import Invalid, Message, say

# Limits users see in messages, so they live in one place.
MAX_REFLECTION_CHARS = 5_000
MAX_NAME_CHARS = 80
MAX_NOTE_CHARS = 500
MAX_TITLE_CHARS = 120
RATING_MIN, RATING_MAX = 1, 5
INFLUENCE_MIN, INFLUENCE_MAX = 1, 5
MAX_ENERGY_HOURS = 500  # a stakeholder's energy, hours a month
# Typed to sign in or join, checked and never stored: room for spaces and dashes typed any way.
MAX_CODE_CHARS = 20  # a workshop's join code: "abc 234", "ABC-234"
MAX_KEY_CHARS = 256  # a facilitator key (19 characters) or the deployment's funder key


class KeyFinding(StrEnum):
    """The report's four key findings, plus its framing (learning from other movements)."""

    learning = "learning"
    right_people = "right_people"
    early_actions = "early_actions"
    diverse_voices = "diverse_voices"
    trade_offs = "trade_offs"

    @property
    def label(self) -> str:
        return KEY_FINDING_LABELS[self]


KEY_FINDING_LABELS: dict[KeyFinding, str] = {
    KeyFinding.learning: N_("Learning from other movements"),
    KeyFinding.right_people: N_("Right people, right places, right time"),
    KeyFinding.early_actions: N_("Early actions"),
    KeyFinding.diverse_voices: N_("Diverse voices"),
    KeyFinding.trade_offs: N_("Trade-offs in relationships"),
}


class ExerciseKind(StrEnum):
    stakeholder_map = "stakeholder_map"
    trade_offs = "trade_offs"
    voices = "voices"
    action_plan = "action_plan"


# Rounds of self-assessment: 1 is the first look, 2 and later are follow-ups.
FIRST_ROUND = 1


# --- text rules -----------------------------------------------------------------------------

# Never typed by a person, and they break exports (an XLSX holding U+FFFF does not open):
# control characters other than tab and line breaks (C0, DEL, C1), surrogates (half of a
# character; only a faulty file or an escape like "\\ud800" makes one) and the non-characters
# (U+FDD0 to U+FDEF, and the last two code points of every plane, U+FFFE and U+FFFF among them).
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17))
    + "]"
)


def refused_message(value: str) -> Message | None:
    """What is wrong with the first character a text may not hold, or None when it has none."""
    found = _NOT_TEXT.search(value)
    if found is None:
        return None
    code = f"U+{ord(found.group()):04X}"
    if unicodedata.category(found.group()) == "Cc":
        return say(
            N_("contains an invisible control character ({code}); please retype it"), code=code
        )
    return say(N_("contains {code}, which is not a character; please retype it"), code=code)


def refused_character(value: str) -> str | None:
    """refused_message in English."""
    problem = refused_message(value)
    return None if problem is None else problem.text()


def _no_control_chars(value: str) -> str:
    # Tabs and line breaks are fine in a reflection; the rest are refused, never removed.
    problem = refused_message(value)
    if problem:
        raise Invalid(problem.template, **problem.args)
    return value


def _single_line(value: str) -> str:
    if "\n" in value or "\r" in value or "\t" in value:
        raise Invalid(N_("must fit on one line"))
    return value


def _normalise(value: Any) -> Any:
    # NFC so the same word typed on two keyboards compares equal; strip outer spaces.
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value).strip()
    return value


Name = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(min_length=1, max_length=MAX_NAME_CHARS),
    AfterValidator(_no_control_chars),
    AfterValidator(_single_line),
]
OptionalName = Annotated[
    str,
    BeforeValidator(lambda v: "" if v is None else v),
    BeforeValidator(_normalise),
    Field(max_length=MAX_NAME_CHARS),
    AfterValidator(_no_control_chars),
    AfterValidator(_single_line),
]
Title = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(min_length=1, max_length=MAX_TITLE_CHARS),
    AfterValidator(_no_control_chars),
    AfterValidator(_single_line),
]
LongText = Annotated[
    str,
    BeforeValidator(_normalise),
    Field(min_length=1, max_length=MAX_REFLECTION_CHARS),
    AfterValidator(_no_control_chars),
]
Note = Annotated[
    str,
    BeforeValidator(lambda v: "" if v is None else v),
    BeforeValidator(_normalise),
    Field(max_length=MAX_NOTE_CHARS),
    AfterValidator(_no_control_chars),
]
RatingValue = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX, strict=True)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,59}$")]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# --- workshops and people -------------------------------------------------------------------


class WorkshopCreate(_In):
    title: Title = Field(title=N_("Workshop title"))
    cause: Title = Field(title=N_("Cause or movement"))
    region: OptionalName = Field(default="", title=N_("Region"))
    self_guided: bool = False
    shares_with_funders: bool = False


class JoinRequest(_In):
    group_name: Name = Field(title=N_("Group name"))
    display_name: OptionalName = Field(default="", title=N_("Your name"))
    quote_consent: bool = False


class ReflectionIn(_In):
    lesson_id: Slug
    prompt_id: Slug
    text: LongText = Field(title=N_("Answer"))


class RatingIn(_In):
    lesson_id: Slug
    statement_id: Slug
    key_finding: KeyFinding
    value: RatingValue = Field(title=N_("Rating"))


class CommitmentIn(_In):
    what: Annotated[
        str,
        BeforeValidator(_normalise),
        Field(min_length=1, max_length=MAX_NOTE_CHARS),
        AfterValidator(_no_control_chars),
    ] = Field(title=N_("What we will do"))
    who: OptionalName = Field(default="", title=N_("Who"))
    by_when: dt.date | None = Field(default=None, title=N_("By when"))
    # Optional: a commitment may act on none of the findings in particular (None, stored so).
    key_finding: KeyFinding | None = Field(default=None, title=N_("Key finding"))


class CommitmentStatus(StrEnum):
    kept = "kept"
    partly = "partly"
    not_yet = "not_yet"
    dropped = "dropped"

    @property
    def label(self) -> str:
        return {
            "kept": N_("Kept"),
            "partly": N_("Partly kept"),
            "not_yet": N_("Not yet"),
            "dropped": N_("Dropped on purpose"),
        }[self.value]


# --- stakeholder maps -----------------------------------------------------------------------

# The one list of stakeholder kinds. Extend it here; everything else reads it.
STAKEHOLDER_KINDS: tuple[str, ...] = (
    "People with lived experience",
    "Community group",
    "Ally organisation",
    "Non-traditional ally",
    "Institution or decision-maker",
    "Funder",
    "Media",
    "Dissenter or critic",
)


class SpectrumBand(StrEnum):
    """The spectrum of allies, from active opposition (-2) to active ally (+2)."""

    active_opposition = "active_opposition"
    passive_opposition = "passive_opposition"
    neutral = "neutral"
    passive_ally = "passive_ally"
    active_ally = "active_ally"

    @property
    def score(self) -> int:
        return list(SpectrumBand).index(self) - 2

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @classmethod
    def from_score(cls, score: int) -> SpectrumBand:
        return list(cls)[max(-2, min(2, score)) + 2]


class TieStrength(StrEnum):
    none = "none"
    weak = "weak"
    strong = "strong"

    @property
    def weight(self) -> float:
        return {"none": 0.0, "weak": 1.0, "strong": 2.0}[self.value]


def _known_kind(value: str) -> str:
    if value not in STAKEHOLDER_KINDS:
        raise Invalid(
            N_("is not one of the stakeholder kinds: {kinds}"), kinds=", ".join(STAKEHOLDER_KINDS)
        )
    return value


class StakeholderIn(_In):
    name: Name = Field(title=N_("Name"))
    kind: Annotated[str, AfterValidator(_known_kind)] = Field(title=N_("Kind"))
    influence: Annotated[int, Field(ge=INFLUENCE_MIN, le=INFLUENCE_MAX)] = Field(
        title=N_("Influence")
    )
    band: SpectrumBand = Field(title=N_("Position on the spectrum of allies"))
    target_band: SpectrumBand | None = Field(default=None, title=N_("Where we want them"))
    tie: TieStrength = Field(default=TieStrength.none, title=N_("Our tie with them"))
    energy_hours: Annotated[float, Field(ge=0, le=MAX_ENERGY_HOURS, allow_inf_nan=False)] = Field(
        default=0, title="Energy per month (hours)"
    )
    note: Note = Field(default="", title=N_("Note"))
    not_our_battle: bool = False
    must_invest: bool = False


# A stakeholder's fields in order: the worksheet's and the files' columns, and the table's.
STAKEHOLDER_FIELDS: Final = tuple(StakeholderIn.model_fields)


class TieIn(_In):
    """A tie between two stakeholders on a group's map, named by stakeholder name."""

    source: Name = Field(title=N_("From"))
    target: Name = Field(title=N_("To"))
    strength: TieStrength = Field(default=TieStrength.weak, title=N_("Strength"))


# --- turning validation errors into sentences ----------------------------------------------

_PLAIN = {
    "string_too_short": N_("cannot be empty"),
    "missing": N_("is required"),
    "greater_than_equal": N_("is too low (lowest allowed: {ge})"),
    "less_than_equal": N_("is too high (highest allowed: {le})"),
    "int_type": N_("must be a whole number"),
    "int_parsing": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "finite_number": N_("must be a number (not NaN or infinity)"),
    "enum": N_("must be one of: {expected}"),
    "date_from_datetime_parsing": N_("must be a date"),
    "date_parsing": N_("must be a date"),
}


def _plain_number(value: Any) -> Any:
    # A limit of 500.0 hours reads as 500.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def plain_errors(
    error: ValidationError, model: type[BaseModel] | None = None, language: str = i18n.DEFAULT
) -> list[str]:
    """One plain sentence per problem, naming the field as the user sees it, in `language`
    (the session's: pydantic's own English never reaches a person in another language)."""
    _ = i18n.gettext_for(language)

    def number(value: Any) -> Any:
        value = _plain_number(value)
        if isinstance(value, int) and not isinstance(value, bool):
            return i18n.format_decimal(value, language, digits=0)
        return value

    sentences = []
    for item in error.errors():
        field_name = str(item["loc"][0]) if item["loc"] else ""
        label = field_name.replace("_", " ").capitalize() or N_("Value")
        if model is not None and field_name in model.model_fields:
            label = model.model_fields[field_name].title or label
        kind = item["type"]
        ctx = item.get("ctx") or {}
        if kind in ("string_too_long", "too_long"):
            # The length the limit was checked on: after NFC and the outer spaces, as stored
            # (pydantic reports the input as typed, which NFC may lengthen).
            value = item.get("input")
            length = len(_normalise(value)) if isinstance(value, str) else 0
            text = _("is too long: {length} characters, the limit is {limit}").format(
                length=number(length), limit=number(ctx["max_length"])
            )
        elif kind == "too_short":
            text = _("cannot be empty")
        elif kind == "value_error":
            found = ctx.get("error")
            if isinstance(found, Invalid):
                text = found.message.text(_, lambda n: number(n))
            elif language == i18n.DEFAULT:
                text = str(found or item["msg"])
            else:
                text = _("is not valid")
        elif kind in _PLAIN:
            text = _(_PLAIN[kind]).format(**{k: number(v) for k, v in ctx.items()})
        elif language == i18n.DEFAULT:
            text = item["msg"].lower()
        else:
            text = _("is not valid")
        sentences.append(_("{label} {problem}.").format(label=_(label), problem=text))
    return sentences


class Stakeholder(StakeholderIn):
    """A stakeholder as stored on a group's map."""

    id: int


class Tie(_In):
    """A stored tie between two stakeholders of one map (the group's own tie: `Stakeholder.tie`)."""

    source_id: int
    target_id: int
    strength: TieStrength = TieStrength.weak
