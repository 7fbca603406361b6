"""The plan editor: pick a ready plan, copy a past workshop's, upload a plan file, or build
one (lessons, their parts, order, minutes, own prompts and rating statements), and download
it as a file. Used by the start page's create form and the console's plan panel; the changes
themselves are workbook/plans/edit.py.

The plan being changed is kept in the session as data (`_draft`), never in a widget's key:
each form's boxes are drawn from it with a revision number in their keys, so a change to the
plan draws fresh boxes and nothing is assigned to a widget's state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from workbook.i18n import N_, format_date
from workbook.lessons import Lesson, LessonSet
from workbook.models import KeyFinding
from workbook.plans import Plan, everything, minutes_line, plan_problems, plan_yaml, read_plan
from workbook.plans import edit as plan_edit
from workbook.plans.files import plan_file_name
from workbook.plans.model import (
    MAX_PLAN_DESCRIPTION_CHARS,
    MAX_PLAN_TITLE_CHARS,
    MAX_SESSION_MINUTES,
    MAX_STEP_MINUTES,
    MIN_SESSION_MINUTES,
)
from workbook.store import Store
from workbook.ui import resources
from workbook.ui.author_text import literal
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import user_text
from workbook.ui.widgets import up_to

CURRENT = N_("This workshop's plan, as it is now")
EVERY_LESSON = N_("Every lesson, in order (the workbook's usual session)")
PAST = N_("A past workshop's plan")
UPLOAD = N_("A plan file (upload)")
EVERY_LESSON_TITLE = N_("Every lesson")  # the title of a plan built from every lesson
EXERCISE_NAMES = {
    "stakeholder_map": N_("the stakeholder map"),
    "trade_offs": N_("the trade-offs"),
    "voices": N_("the voices"),
    "action_plan": N_("the action plan"),
}


def _key(scope: str, name: str) -> str:
    return f"plan_{scope}_{name}"


def _draft(scope: str) -> Plan | None:
    data = st.session_state.get(_key(scope, "draft"))
    return Plan.model_validate(data) if data is not None else None


def _keep(scope: str, plan: Plan | None) -> None:
    """Keep the draft and draw its forms afresh (a new revision in their keys)."""
    st.session_state[_key(scope, "draft")] = plan.model_dump() if plan is not None else None
    st.session_state[_key(scope, "rev")] = st.session_state.get(_key(scope, "rev"), 0) + 1


def _rev(scope: str) -> int:
    return int(st.session_state.get(_key(scope, "rev"), 0))


def _refuse(scope: str, where: str, error: plan_edit.PlanEditError) -> None:
    st.session_state[_key(scope, "refused")] = (where, error.shown(translator()))


def _refusal(scope: str, where: str) -> None:
    """The reason a change was refused, shown where it was asked for, once."""
    refused = st.session_state.get(_key(scope, "refused"))
    if refused and refused[0] == where:
        st.session_state.pop(_key(scope, "refused"), None)
        st.error(refused[1], icon=":material/block:")


def _change(scope: str, where: str, change: Callable[[Plan], Plan]) -> Callable[[], None]:
    """A button's callback: apply the change to the draft, or keep why it was refused."""

    def run() -> None:
        plan = _draft(scope)
        if plan is None:
            return
        try:
            _keep(scope, change(plan))
        except plan_edit.PlanEditError as error:
            _refuse(scope, where, error)

    return run


def ready_plans(lessons: LessonSet) -> list[Plan]:
    """The ready plans beside the lessons that apply whole to these lessons."""
    return [plan for plan in resources.ready_plans().plans if not plan_problems(lessons, plan)]


def discard(scope: str) -> None:
    for name in ("draft", "refused", "start_from", "past"):  # the picker back to its start
        st.session_state.pop(_key(scope, name), None)


def choose(
    scope: str,
    store: Store,
    lessons: LessonSet,
    current: Plan | None = None,
    *,
    code: str | None = None,
) -> Plan | None:
    """The plan picker with its editor; returns the plan chosen (None: every lesson).
    `current`: a workshop's own plan, offered first (the console changes it). Ready plans
    are offered, and chosen, with their title and description in the language `code` (the
    workshop's; on the start page the person's), so a Danish workshop keeps Danish words."""
    _ = translator()
    code = code or language()
    draft = _draft(scope)
    if draft is not None:
        st.button(
            _("Start again from a ready plan"),
            key=_key(scope, "discard"),
            on_click=discard,
            args=(scope,),
            icon=":material/undo:",
        )
        editor(scope, draft, lessons)
        return _draft(scope)
    ready = [plan.in_language(code) for plan in ready_plans(lessons)]
    past = store.past_plans()
    options: list[Any] = [
        *([CURRENT] if current is not None else []),
        EVERY_LESSON,
        *ready,
        *([PAST] if past else []),
        UPLOAD,
    ]
    picked = st.selectbox(
        _("Start from"),
        options,
        format_func=lambda o: _(o) if isinstance(o, str) else o.title,  # options: plain text
        key=_key(scope, "start_from"),
    )
    if isinstance(picked, Plan) and picked.description:
        st.caption(literal(picked.description))
    plan: Plan | None = None
    if picked == CURRENT:
        plan = current
    elif picked == EVERY_LESSON:
        plan = None
        every = ngettext("{n} lesson, each in full.", "{n} lessons, each in full.", len(lessons))
        st.caption(f"{every} {minutes_line(everything(lessons), translations())}.")
    elif picked == PAST:
        chosen = st.selectbox(
            _("Plans used before on this server"),
            range(len(past)),
            format_func=lambda i: _("{title} (last changed {date})").format(
                title=past[i].plan.title, date=format_date(past[i].updated_at, language())
            ),
            key=_key(scope, "past"),
        )
        plan = past[chosen].plan if chosen is not None else None
    elif picked == UPLOAD:
        plan = _upload(scope, lessons)
    else:
        plan = picked
    if plan is not None:
        summary(plan, lessons)
    if lessons.lessons:
        st.button(
            _("Change this plan: lessons, parts, order, minutes, your own questions"),
            key=_key(scope, "edit"),
            on_click=lambda: _keep(scope, _to_change(plan, current, lessons)),
            icon=":material/edit:",
        )
    return plan


def _to_change(plan: Plan | None, current: Plan | None, lessons: LessonSet) -> Plan:
    """The draft the editor opens on: the workshop's own plan as it is, else a copy of the
    plan picked (every lesson, titled in the session's language, when none was)."""
    _ = translator()
    if plan is not None and plan is current:
        return plan
    if plan is not None:
        return plan_edit.as_own_copy(plan)
    return plan_edit.as_own_copy(everything(lessons), title=_(EVERY_LESSON_TITLE))


def _upload(scope: str, lessons: LessonSet) -> Plan | None:
    _ = translator()
    uploaded = st.file_uploader(
        _("A plan file (.yaml), downloaded from this editor or taken from lessons/plans/"),
        type=None,  # any file: a wrong one gets our sentence, not a bare refusal
        key=_key(scope, "upload"),
    )
    if uploaded is None:
        return None
    plan, problems = read_plan(uploaded.getvalue(), uploaded.name)
    if plan is not None:
        problems = plan_problems(lessons, plan)
    if problems:
        st.error(_("This plan file cannot be used:"), icon=":material/error:")
        for problem in problems:
            st.text(problem.shown(_))
        return None
    return plan


def summary(plan: Plan, lessons: LessonSet) -> None:
    """The plan's steps, one line each, and its total against the session's length."""
    _ = translator()
    with st.container(border=True):
        for number, step in enumerate(plan.steps, start=1):
            lesson = lessons.by_id(step.lesson)
            title = (
                literal(lesson.title)
                if lesson
                else _("{id} (not in the lessons)").format(id=step.lesson)
            )
            minutes = _("{n} min").format(n=step.minutes)
            st.markdown(f"{number}. **{title}** · {minutes}")
        _minutes(plan)


def _minutes(plan: Plan) -> None:
    line = minutes_line(plan, translations())
    if plan.over_by:
        st.warning(line + ".", icon=":material/timer:")
    else:
        st.markdown(f"**{line}**")


def editor(scope: str, plan: Plan, lessons: LessonSet) -> None:
    """The whole editor on the draft."""
    _ = translator()
    rev = _rev(scope)
    with st.form(_key(scope, f"details_{rev}"), border=False):
        left, right = st.columns([3, 1])
        title = left.text_input(_("Plan title"), value=plan.title, help=up_to(MAX_PLAN_TITLE_CHARS))
        minutes = right.number_input(
            _("Session length (minutes)"),
            min_value=MIN_SESSION_MINUTES,
            max_value=MAX_SESSION_MINUTES,
            value=plan.session_minutes,
            step=5,
            key=_key(scope, f"session_{rev}"),
        )
        description = st.text_area(
            _("Plan description"),
            value=plan.description,
            height=112,
            help=up_to(
                MAX_PLAN_DESCRIPTION_CHARS,
                _("One paragraph, shown when choosing a plan: line breaks become spaces."),
            ),
            key=_key(scope, f"description_{rev}"),
        )
        if st.form_submit_button(
            _("Save title, length and description"), key=_key(scope, f"save_details_{rev}")
        ):
            try:
                _keep(
                    scope,
                    plan_edit.set_details(
                        plan,
                        title=title,
                        session_minutes=int(minutes),
                        description=description,
                    ),
                )
                st.rerun()
            except plan_edit.PlanEditError as error:
                st.error(error.shown(_), icon=":material/block:")
    _minutes(plan)
    for index, step in enumerate(plan.steps):
        _step(scope, plan, index, lessons.by_id(step.lesson), rev)
    _add_lesson(scope, plan, lessons)
    problems = plan_problems(lessons, plan)
    for problem in problems:
        st.text(problem.shown(_))
    st.download_button(
        _("Download this plan as a file"),
        data=plan_yaml(plan),
        file_name=plan_file_name(plan),
        mime="application/yaml",
        key=_key(scope, "download"),
        icon=":material/download:",
        on_click="ignore",
        help=_(
            "A YAML file: another deployment can upload it here, or it can join the "
            "lessons/plans/ folder as a ready plan."
        ),
    )


def _parts_line(step: Any, lesson: Lesson) -> str:
    _ = translator()
    t = translations()
    prompts = len(step.prompts) if step.prompts is not None else len(lesson.prompts)
    ratings = len(step.ratings) if step.ratings is not None else len(lesson.ratings)
    parts = [
        t.ngettext("{n} of {all} prompt", "{n} of {all} prompts", len(lesson.prompts)).format(
            n=prompts, all=len(lesson.prompts)
        ),
        t.ngettext("{n} of {all} rating", "{n} of {all} ratings", len(lesson.ratings)).format(
            n=ratings, all=len(lesson.ratings)
        ),
    ]
    if lesson.exercise is not None:
        name = _(EXERCISE_NAMES.get(lesson.exercise.value, lesson.exercise.value))
        parts.append(_("exercise: {name}").format(name=name) if step.exercise else _("no exercise"))
    own = len(step.own_prompts) + len(step.own_ratings)
    if own:
        parts.append(_("{n} of your own").format(n=own))
    return " · ".join(parts)


def _step(scope: str, plan: Plan, index: int, lesson: Lesson | None, rev: int) -> None:
    _ = translator()
    step = plan.steps[index]
    last = len(plan.steps) - 1
    with st.container(border=True, key=_key(scope, f"step_{index}")):
        title = (
            literal(lesson.title)
            if lesson
            else _("{id} (not in the lesson files)").format(id=step.lesson)
        )
        minutes = _("{n} min").format(n=step.minutes)
        st.markdown(f"**{index + 1}. {title}** · {minutes}")
        # Side by side, wrapping on a phone, so no label is ever cut short.
        buttons = st.container(horizontal=True, key=_key(scope, f"buttons_{index}"))
        buttons.button(
            _("Up"),
            icon=":material/arrow_upward:",
            key=_key(scope, f"up_{step.lesson}"),
            disabled=index == 0,
            on_click=_change(scope, f"step{index}", lambda p: plan_edit.move_step(p, index, -1)),
            width="content",
        )
        buttons.button(
            _("Down"),
            icon=":material/arrow_downward:",
            key=_key(scope, f"down_{step.lesson}"),
            disabled=index == last,
            on_click=_change(scope, f"step{index}", lambda p: plan_edit.move_step(p, index, 1)),
            width="content",
        )
        buttons.button(
            _("Take out"),
            icon=":material/delete:",
            key=_key(scope, f"remove_{step.lesson}"),
            on_click=_change(scope, f"step{index}", lambda p: plan_edit.remove_step(p, index)),
            width="content",
        )
        _refusal(scope, f"step{index}")
        if lesson is None:
            return
        st.caption(_parts_line(step, lesson))
        for item in [*step.own_prompts, *step.own_ratings]:
            kind = _("Your prompt") if item in step.own_prompts else _("Your rating statement")
            st.caption(kind)
            user_text(item.text)
            st.button(
                _("Take it out"),
                icon=":material/close:",
                key=_key(scope, f"own_out_{step.lesson}_{item.id}"),
                on_click=_change(
                    scope, f"step{index}", lambda p, i=item.id: plan_edit.remove_own(p, index, i)
                ),
            )
        # Keyed by its lesson and the draft's revision: after Up or Down (a new revision) it
        # is drawn closed, never left open at its old place over another lesson.
        with st.expander(
            _("Parts and minutes"), key=_key(scope, f"parts_open_{step.lesson}_{rev}")
        ):
            _parts_form(scope, plan, index, lesson, rev)
        with st.expander(_("Add your own prompt or rating statement")):
            _own_forms(scope, plan, index, lesson, rev)


def _parts_form(scope: str, plan: Plan, index: int, lesson: Lesson, rev: int) -> None:
    _ = translator()
    step = plan.steps[index]
    with st.form(_key(scope, f"parts_{step.lesson}_{rev}"), border=False):
        minutes = st.number_input(
            _("Minutes"),
            min_value=1,
            max_value=MAX_STEP_MINUTES,
            value=step.minutes,
            key=_key(scope, f"minutes_{step.lesson}_{rev}"),
        )
        # Chips cut a long prompt short: each is numbered, and the numbered list under them
        # gives every one in full.
        prompts_text = {p.id: f"{n}. {p.text}" for n, p in enumerate(lesson.prompts, start=1)}
        prompts = st.multiselect(
            _("The lesson's prompts"),
            list(prompts_text),
            default=step.prompts if step.prompts is not None else list(prompts_text),
            format_func=prompts_text.get,
        )
        _in_full(list(prompts_text.values()))
        ratings_text = {s.id: f"{n}. {s.text}" for n, s in enumerate(lesson.ratings, start=1)}
        ratings = st.multiselect(
            _("The lesson's rating statements"),
            list(ratings_text),
            default=step.ratings if step.ratings is not None else list(ratings_text),
            format_func=ratings_text.get,
        )
        _in_full(list(ratings_text.values()))
        exercise = step.exercise
        if lesson.exercise is not None:
            name = _(EXERCISE_NAMES.get(lesson.exercise.value, lesson.exercise.value))
            exercise = st.checkbox(
                _("Include the exercise ({name})").format(name=name), value=step.exercise
            )
        if st.form_submit_button(_("Save this step"), key=_key(scope, f"save_{step.lesson}_{rev}")):
            try:
                changed = plan_edit.set_step(
                    plan,
                    index,
                    minutes=int(minutes),
                    prompts=prompts,
                    ratings=ratings,
                    exercise=exercise,
                )
                _keep(scope, changed)
                st.rerun()
            except plan_edit.PlanEditError as error:
                st.error(error.shown(_), icon=":material/block:")


def _in_full(lines: list[str]) -> None:
    """The numbered items a multiselect offers, each in full (lesson text: literal)."""
    _ = translator()
    if lines:
        st.caption(_("In full:"))
        st.markdown("  \n".join(literal(line) for line in lines))


def _own_forms(scope: str, plan: Plan, index: int, lesson: Lesson, rev: int) -> None:
    _ = translator()
    step = plan.steps[index]
    st.caption(
        _(
            "Checked by the same rules as the lesson files' questions (a prompt up to 300 "
            "characters; a statement up to 200, its ends up to 40 each). Your own items are "
            "counted apart from the lessons' in every figure."
        )
    )
    with st.form(_key(scope, f"own_prompt_{step.lesson}_{rev}")):
        text = st.text_area(
            _("Your prompt"),
            height=80,
            help=up_to(300),
            key=_key(scope, f"own_p_{step.lesson}_{rev}"),
        )
        hint = st.text_input(_("A hint under the box (optional)"), help=up_to(200))
        if st.form_submit_button(
            _("Add this prompt"), key=_key(scope, f"add_p_{step.lesson}_{rev}")
        ):
            try:
                _keep(scope, plan_edit.add_own_prompt(plan, index, lesson, text=text, help=hint))
                st.rerun()
            except plan_edit.PlanEditError as error:
                st.error(error.shown(_), icon=":material/block:")
    with st.form(_key(scope, f"own_rating_{step.lesson}_{rev}")):
        text = st.text_input(
            _("Your rating statement"),
            help=up_to(200),
            key=_key(scope, f"own_r_{step.lesson}_{rev}"),
        )
        low_box, high_box = st.columns(2)
        low = low_box.text_input(_("1 means"), placeholder=_("Not at all"), help=up_to(40))
        high = high_box.text_input(_("5 means"), placeholder=_("Completely"), help=up_to(40))
        finding = st.selectbox(
            _("Key finding"),
            [None, *KeyFinding],
            format_func=lambda f: _("the lesson's") if f is None else _(f.label),
        )
        if st.form_submit_button(
            _("Add this statement"), key=_key(scope, f"add_r_{step.lesson}_{rev}")
        ):
            try:
                changed = plan_edit.add_own_rating(
                    plan, index, lesson, text=text, low=low, high=high, key_finding=finding
                )
                _keep(scope, changed)
                st.rerun()
            except plan_edit.PlanEditError as error:
                st.error(error.shown(_), icon=":material/block:")


def _add_lesson(scope: str, plan: Plan, lessons: LessonSet) -> None:
    _ = translator()
    missing = [lesson for lesson in lessons.lessons if plan.step_for(lesson.id) is None]
    if not missing:
        return
    with st.form(_key(scope, f"add_{_rev(scope)}"), border=False):
        pick, add = st.columns([4, 1], vertical_alignment="bottom")
        chosen = pick.selectbox(
            _("Add a lesson"),
            range(len(missing)),
            # Nothing chosen at first: a step just taken out would otherwise be the first
            # lesson offered, and "Add" would put it straight back.
            index=None,
            placeholder=_("Choose a lesson to add"),
            format_func=lambda i: _("{title} ({n} min)").format(
                title=missing[i].title, n=missing[i].timer_minutes
            ),
        )
        if add.form_submit_button(_("Add"), icon=":material/add:") and chosen is not None:
            try:
                _keep(scope, plan_edit.add_step(plan, missing[chosen]))
                st.rerun()
            except plan_edit.PlanEditError as error:
                st.error(error.shown(_), icon=":material/block:")
