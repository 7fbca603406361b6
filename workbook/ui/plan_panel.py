"""The console's plan panel: the plan this workshop runs, and changing it (before the room
starts or during it: answers are stored by lesson and question, so none is ever lost)."""

from __future__ import annotations

import streamlit as st

from workbook.i18n import N_
from workbook.lessons import LessonSet
from workbook.plans import apply_plan, everything, minutes_line, step_moves
from workbook.records import Workshop
from workbook.store import Store
from workbook.ui import plan_editor, resources
from workbook.ui.i18n import ngettext, translations, translator
from workbook.ui.text import user_text

KEPT_ANSWERS = N_(
    "Changing the plan keeps every answer already given: answers are stored by lesson and "
    "question, so a step taken out and put back shows its answers again."
)


def render(store: Store, workshop: Workshop, lessons: LessonSet) -> None:
    """`lessons`: the workshop's lessons under its plan (what the room runs now), in its
    language; the plan's lessons are listed in that language too."""
    _ = translator()
    st.subheader(_("Plan"))
    stored = store.workshop_plan(workshop.id)
    files = resources.lessons(language=store.workshop_language(workshop.id))
    if stored is None:
        st.caption(
            _("Every lesson, in order.") + f" {minutes_line(everything(files), translations())}."
        )
    elif stored.plan is None:
        st.warning(
            _("This workshop's plan cannot be read: {problem}. Every lesson runs.").format(
                problem=stored.problem
            )
        )
    else:
        user_text(stored.plan.in_language(store.workshop_language(workshop.id)).title)
        steps = ngettext("{n} step.", "{n} steps.", len(lessons))
        st.caption(f"{steps} {minutes_line(stored.plan, translations())}.")
    # What the plan names that the lesson files no longer have: left out of the room, said.
    gone = [problem for problem in lessons.problems if problem not in files.problems]
    if gone:
        st.warning(
            _("Part of this plan is not in the lesson files now and is left out:"),
            icon=":material/warning:",
        )
        for problem in gone:
            st.text(problem.shown(_))
    if not st.toggle(_("Show and change the plan"), key=f"plan_panel_open_{workshop.id}"):
        return
    current = stored.plan if stored is not None else None
    st.caption(_(KEPT_ANSWERS))
    scope = f"console{workshop.id}"
    with st.container(border=True, key="plan_panel_change"):
        chosen = plan_editor.choose(
            scope, store, files, current, code=store.workshop_language(workshop.id)
        )
        if st.button(_("Use this plan for this workshop"), key="plan_panel_use", type="primary"):
            # The room and each phone stay on their lesson under the new plan (its new step),
            # or go to the nearest following step it keeps.
            new = files if chosen is None else apply_plan(files, chosen)
            moves = step_moves(
                [lesson.id for lesson in lessons.lessons], [lesson.id for lesson in new.lessons]
            )
            if chosen is None:
                store.clear_workshop_plan(workshop_id=workshop.id, moves=moves)
            else:
                store.set_workshop_plan(workshop_id=workshop.id, plan=chosen, moves=moves)
            plan_editor.discard(scope)
            st.toast(_("The room now follows the new plan."))
            st.rerun()
