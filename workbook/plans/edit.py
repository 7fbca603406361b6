"""The changes the plan editor makes, each a new Plan (plans are frozen) or a PlanEditError
saying plainly why not. No Streamlit here: workbook/ui/plan_editor.py draws them."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from workbook.i18n import N_
from workbook.keys import slug
from workbook.lessons import OWN_PREFIX, Lesson, PromptSpec, RatingStatement
from workbook.messages import Invalid, Message, Refusal, Translate, Untranslated, say
from workbook.models import KeyFinding
from workbook.plans.model import MAX_ITEMS_PER_STEP, MAX_STEPS, Plan, PlanStep


class PlanEditError(Refusal):
    """A change the plan cannot take, in plain sentences: `error.shown(_)` in the session's
    language, `str(error)` in English."""


_TOO_SHORT = N_("{what} is needed")
_TOO_LONG = N_("{what} may be at most {n} characters")
_OTHER = N_("{what} {problem}")
_AT_LEAST = N_("{what} must be at least {n}")
_AT_MOST = N_("{what} may be at most {n}")
_PLAN_FIELDS = {
    "steps": N_("The plan"),
    "title": N_("The plan's title"),
    "description": N_("The plan's description"),
    "session_minutes": N_("The session's length in minutes"),
}


def _sentences(error: ValidationError, names: dict[str, str]) -> Message:
    """The validation error as a Message: each problem named by the part of the form it is
    in (`names`, N_-marked), pydantic's own English only where no sentence of ours fits."""
    parts: list[Message] = []
    for item in error.errors():
        field = str(item["loc"][0]) if item["loc"] else ""
        what = say(names.get(field, field))
        ctx = item.get("ctx") or {}
        found = ctx.get("error")
        if item["type"] == "string_too_short":
            parts.append(say(_TOO_SHORT, what=what))
        elif item["type"] == "string_too_long":
            parts.append(say(_TOO_LONG, what=what, n=int(ctx["max_length"])))
        elif item["type"] in ("greater_than_equal", "less_than_equal"):
            at_least = item["type"] == "greater_than_equal"
            limit = ctx["ge"] if at_least else ctx["le"]
            parts.append(say(_AT_LEAST if at_least else _AT_MOST, what=what, n=int(limit)))
        elif isinstance(found, Invalid):
            parts.append(say(_OTHER, what=what, problem=found.message))
        else:
            problem = item["msg"].removeprefix("Value error, ")
            parts.append(say(_OTHER, what=what, problem=Untranslated(problem)))
    return Sentences(tuple(parts))


@dataclass(frozen=True)
class Sentences(Message):
    """Several problems, '; ' between them, ending with a full stop."""

    template: str = ""
    parts: tuple[Message, ...] = ()

    def __init__(self, parts: tuple[Message, ...]) -> None:
        object.__setattr__(self, "template", "")
        object.__setattr__(self, "args", {})
        object.__setattr__(self, "parts", parts)

    def text(self, _: Translate | None = None, number: Callable[[int], str] | None = None) -> str:
        return "; ".join(part.text(_, number) for part in self.parts).strip() + "."


def _with(plan: Plan, **changes: Any) -> Plan:
    try:
        return Plan.model_validate({**plan.model_dump(), **changes})
    except ValidationError as error:
        raise PlanEditError(_sentences(error, _PLAN_FIELDS)) from None


def _steps(plan: Plan) -> list[dict[str, Any]]:
    return [step.model_dump() for step in plan.steps]


def set_details(
    plan: Plan, *, title: str, session_minutes: int, description: str | None = None
) -> Plan:
    """The plan with a new title, length and description (None: the description as it is); a
    new title gives it a new id (the file it downloads as is named after the title the
    facilitator gave it)."""
    if description is None:
        description = plan.description
    changed = _with(plan, title=title, session_minutes=session_minutes, description=description)
    if changed.title != plan.title:
        # Its other languages' titles named the old title: a renamed plan has its own only.
        return as_own_copy(_with(changed, translations={}))
    if changed.description != plan.description and changed.translations:
        # Its other languages described the plan as it was: they keep their titles and lose
        # the old description, rather than show it in place of the new one.
        words = {
            code: {"title": other.title, "description": ""}
            for code, other in changed.translations.items()
        }
        return _with(changed, translations=words)
    return changed


def slug_words(text: str, limit: int) -> str:
    """A few of the words of `text` as an id part (workbook/keys.py `slug`)."""
    return slug(text, limit)


def add_step(plan: Plan, lesson: Lesson) -> Plan:
    if plan.step_for(lesson.id) is not None:
        raise PlanEditError(N_("'{title}' is already in the plan."), title=lesson.title)
    if len(plan.steps) >= MAX_STEPS:
        raise PlanEditError(N_("A plan may have at most {n} steps."), n=MAX_STEPS)
    return _with(
        plan, steps=[*_steps(plan), {"lesson": lesson.id, "minutes": lesson.timer_minutes}]
    )


def remove_step(plan: Plan, index: int) -> Plan:
    steps = _steps(plan)
    if len(steps) <= 1:
        raise PlanEditError(N_("A plan needs at least one step."))
    del steps[index]
    return _with(plan, steps=steps)


def move_step(plan: Plan, index: int, by: int) -> Plan:
    """Move a step up (by=-1) or down (by=1); at either end nothing changes."""
    steps = _steps(plan)
    to = index + by
    if not 0 <= to < len(steps):
        return plan
    steps[index], steps[to] = steps[to], steps[index]
    return _with(plan, steps=steps)


def set_step(
    plan: Plan,
    index: int,
    *,
    minutes: int,
    prompts: list[str],
    ratings: list[str],
    exercise: bool,
) -> Plan:
    """A step's minutes and the lesson's parts it keeps (ids of the lesson's own items)."""
    steps = _steps(plan)
    step = steps[index]
    step.update(minutes=minutes, prompts=list(prompts), ratings=list(ratings), exercise=exercise)
    if len(prompts) + len(step["own_prompts"]) > MAX_ITEMS_PER_STEP:
        raise PlanEditError(N_("A step may show at most {n} prompts."), n=MAX_ITEMS_PER_STEP)
    if len(ratings) + len(step["own_ratings"]) > MAX_ITEMS_PER_STEP:
        raise PlanEditError(
            N_("A step may show at most {n} rating statements."), n=MAX_ITEMS_PER_STEP
        )
    return _with(plan, steps=steps)


def own_id(text: str) -> str:
    """An own item's id from its words: `own-` and a few of them, and a short fingerprint so
    two items never share one; never a lesson's id (those never start with `own-`)."""
    words = slug_words(text, 30) or "item"
    digest = hashlib.sha256(text.encode()).hexdigest()[:6]
    return f"{OWN_PREFIX}{words}-{digest}"


def _count(step: PlanStep, lesson: Lesson, kind: str) -> int:
    if kind == "prompts":
        chosen = step.prompts if step.prompts is not None else [p.id for p in lesson.prompts]
        return len(chosen) + len(step.own_prompts)
    chosen = step.ratings if step.ratings is not None else [s.id for s in lesson.ratings]
    return len(chosen) + len(step.own_ratings)


def add_own_prompt(plan: Plan, index: int, lesson: Lesson, *, text: str, help: str = "") -> Plan:
    """Add the facilitator's own prompt to a step, checked as a lesson file's prompt is."""
    step = plan.steps[index]
    if _count(step, lesson, "prompts") >= MAX_ITEMS_PER_STEP:
        raise PlanEditError(
            N_(
                "This step already shows {n} prompts, the most a lesson may have: leave one "
                "of the lesson's out first."
            ),
            n=MAX_ITEMS_PER_STEP,
        )
    try:
        prompt = PromptSpec(id=own_id(text.strip()), text=text.strip(), help=help.strip())
    except ValidationError as error:
        raise PlanEditError(
            _sentences(error, {"text": N_("The prompt"), "help": N_("The hint")})
        ) from None
    if prompt.id in step.own_prompt_ids():
        raise PlanEditError(N_("This step already has that prompt."))
    steps = _steps(plan)
    steps[index]["own_prompts"] = [*steps[index]["own_prompts"], prompt.model_dump()]
    return _with(plan, steps=steps)


def add_own_rating(
    plan: Plan,
    index: int,
    lesson: Lesson,
    *,
    text: str,
    low: str,
    high: str,
    key_finding: KeyFinding | None = None,
) -> Plan:
    """Add the facilitator's own rating statement to a step, checked as a lesson file's is."""
    step = plan.steps[index]
    if _count(step, lesson, "ratings") >= MAX_ITEMS_PER_STEP:
        raise PlanEditError(
            N_(
                "This step already shows {n} rating statements, the most a lesson may have: "
                "leave one of the lesson's out first."
            ),
            n=MAX_ITEMS_PER_STEP,
        )
    try:
        statement = RatingStatement(
            id=own_id(text.strip()),
            text=text.strip(),
            low=low.strip(),
            high=high.strip(),
            key_finding=key_finding,
        )
    except ValidationError as error:
        names = {
            "text": N_("The statement"),
            "low": N_("The low end"),
            "high": N_("The high end"),
        }
        raise PlanEditError(_sentences(error, names)) from None
    if statement.id in step.own_rating_ids():
        raise PlanEditError(N_("This step already has that statement."))
    steps = _steps(plan)
    steps[index]["own_ratings"] = [*steps[index]["own_ratings"], statement.model_dump()]
    return _with(plan, steps=steps)


def remove_own(plan: Plan, index: int, item_id: str) -> Plan:
    steps = _steps(plan)
    step = steps[index]
    step["own_prompts"] = [p for p in step["own_prompts"] if p["id"] != item_id]
    step["own_ratings"] = [s for s in step["own_ratings"] if s["id"] != item_id]
    return _with(plan, steps=steps)


def as_own_copy(plan: Plan, *, title: str | None = None) -> Plan:
    """A plan to change and keep as one's own: a new id (a file of it joins the folder
    without clashing with the plan it came from)."""
    new_title = title or plan.title
    base = slug_words(new_title, 40) or "plan"
    digest = hashlib.sha256(plan.model_dump_json().encode()).hexdigest()[:6]
    return _with(plan, id=f"{base}-{digest}", title=new_title)
