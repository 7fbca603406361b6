"""A workshop's plan: which lessons the room works through, in which order, with which of
each lesson's prompts, rating statements and exercise, for how many minutes; and the
facilitator's own prompts and rating statements.

Own items are checked by the same rules as a lesson file's (`PromptSpec`, `RatingStatement`)
and their ids start with `own-`, which no lesson file may use: figures that compare a rating
statement by its id across workshops never mix a facilitator's statement with a lesson's.
"""

from __future__ import annotations

import gettext
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from workbook.i18n import CODES, DEFAULT, N_
from workbook.lessons import OWN_PREFIX, PromptSpec, RatingStatement
from workbook.messages import Invalid, say
from workbook.models import Slug

# Bounds on a plan: a two-day event of every lesson fits with room to spare.
MAX_STEPS = 30
MAX_STEP_MINUTES = 120  # as a lesson's own timer
MIN_SESSION_MINUTES = 10
MAX_SESSION_MINUTES = 3 * 24 * 60
MAX_ITEMS_PER_STEP = 6  # prompts (or rating statements) a step shows, as a lesson may hold
MAX_PLAN_TITLE_CHARS = 80
MAX_PLAN_DESCRIPTION_CHARS = 200


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _own(kind: str, items: list[PromptSpec] | list[RatingStatement]) -> None:
    for item in items:
        if not item.id.startswith(OWN_PREFIX):
            raise Invalid(
                N_(
                    "your own item's id '{id}' must start with '{prefix}' "
                    "(lesson ids never do, so the two are never mixed up)"
                ),
                id=item.id,
                prefix=OWN_PREFIX,
            )


def _repeated(label: str, ids: list[str]) -> None:
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise Invalid(
            N_("{label} has a repeated id: {ids}"), label=say(label), ids=", ".join(duplicates)
        )


class PlanStep(_Strict):
    """One step of the plan: a lesson and the parts of it the room does.

    `prompts` and `ratings` list the lesson's ids chosen, in the lesson's order when applied;
    left out (None) they mean all of the lesson's, so a ready plan may name a lesson and its
    minutes only. The own items follow the lesson's chosen ones."""

    lesson: Slug
    minutes: Annotated[int, Field(ge=1, le=MAX_STEP_MINUTES)]
    prompts: list[Slug] | None = None
    ratings: list[Slug] | None = None
    exercise: bool = True
    own_prompts: Annotated[list[PromptSpec], Field(max_length=MAX_ITEMS_PER_STEP)] = []
    own_ratings: Annotated[list[RatingStatement], Field(max_length=MAX_ITEMS_PER_STEP)] = []

    @model_validator(mode="after")
    def _own_items(self) -> PlanStep:
        _own("prompt", self.own_prompts)
        _own("rating statement", self.own_ratings)
        _repeated(N_("prompts"), [*(self.prompts or []), *(p.id for p in self.own_prompts)])
        _repeated(N_("ratings"), [*(self.ratings or []), *(s.id for s in self.own_ratings)])
        return self

    def own_prompt_ids(self) -> list[str]:
        return [p.id for p in self.own_prompts]

    def own_rating_ids(self) -> list[str]:
        return [s.id for s in self.own_ratings]


class PlanWords(_Strict):
    """A plan's title and description in one more language (a plan file's `translations:`,
    e.g. `da: {title: ..., description: ...}`); its steps name lessons, which have their own
    translations (lessons/da/)."""

    title: Annotated[str, Field(min_length=1, max_length=MAX_PLAN_TITLE_CHARS)]
    description: Annotated[str, Field(max_length=MAX_PLAN_DESCRIPTION_CHARS)] = ""

    @field_validator("title", "description")
    @classmethod
    def _one_line(cls, value: str) -> str:
        return " ".join(value.split())


class Plan(_Strict):
    id: Slug
    title: Annotated[str, Field(min_length=1, max_length=MAX_PLAN_TITLE_CHARS)]
    description: Annotated[str, Field(max_length=MAX_PLAN_DESCRIPTION_CHARS)] = ""
    session_minutes: Annotated[int, Field(ge=MIN_SESSION_MINUTES, le=MAX_SESSION_MINUTES)]
    steps: Annotated[list[PlanStep], Field(min_length=1, max_length=MAX_STEPS)]
    # The language of the title and description above (a ready plan's file: English), and
    # both in other languages, by language code.
    language: str = DEFAULT
    translations: dict[str, PlanWords] = Field(default_factory=dict)

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in CODES:
            raise Invalid(
                N_("the plan's language '{code}' is not one the app has ({known})"),
                code=value,
                known=", ".join(CODES),
            )
        return value

    @field_validator("translations")
    @classmethod
    def _known_languages(cls, value: dict[str, PlanWords]) -> dict[str, PlanWords]:
        unknown = sorted(code for code in value if code not in CODES)
        if unknown:
            raise Invalid(
                N_("translations name a language the app does not have: {codes} (it has {known})"),
                codes=", ".join(unknown),
                known=", ".join(CODES),
            )
        return value

    def in_language(self, code: str) -> Plan:
        """The plan with its title and description in the language `code` where its file
        gives them (else as it is). Its present words are kept among the translations, so
        it can be said in their language again."""
        words = self.translations.get(code)
        if words is None or code == self.language:
            return self
        others = {k: v for k, v in self.translations.items() if k != code}
        others[self.language] = PlanWords(title=self.title, description=self.description)
        return self.model_copy(
            update={
                "title": words.title,
                "description": words.description,
                "language": code,
                "translations": others,
            }
        )

    @field_validator("title", "description")
    @classmethod
    def _one_line(cls, value: str) -> str:
        value = " ".join(value.split())
        return value

    @model_validator(mode="after")
    def _each_lesson_once(self) -> Plan:
        # Answers are stored by lesson and prompt id: a lesson twice would share its answers.
        lessons = [step.lesson for step in self.steps]
        duplicates = sorted({i for i in lessons if lessons.count(i) > 1})
        if duplicates:
            raise Invalid(
                N_("a lesson may be in a plan once; repeated: {ids}"), ids=", ".join(duplicates)
            )
        return self

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)

    @property
    def over_by(self) -> int:
        """Minutes the steps take beyond the session's length (0 when they fit)."""
        return max(0, self.total_minutes - self.session_minutes)

    def step_for(self, lesson_id: str) -> PlanStep | None:
        return next((step for step in self.steps if step.lesson == lesson_id), None)


def minutes_line(plan: Plan, t: gettext.NullTranslations | None = None) -> str:
    """'Total 85 of 90 minutes', saying plainly when the steps take longer than the session,
    in the language of `t` (English without)."""
    t = t or gettext.NullTranslations()
    line = t.ngettext(
        "Total {total} of {n} minute", "Total {total} of {n} minutes", plan.session_minutes
    ).format(total=plan.total_minutes, n=plan.session_minutes)
    if plan.over_by:
        over = t.ngettext(
            "{line}: {n} minute over the session's length",
            "{line}: {n} minutes over the session's length",
            plan.over_by,
        )
        return over.format(line=line, n=plan.over_by)
    return line
