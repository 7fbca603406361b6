"""An answer the store cannot take (too long) holds back nothing else of its step.

The rest of the step is saved without it, and it stays in its box (a draft in this browser,
not saved: workbook/ui/lesson_drafts.py). What is wrong is said twice: under the form's
buttons, naming the question, with what was saved (workbook/ui/lesson_form.py), and under the
box itself, which the page is brought to once per save (the Save button is at the form's foot,
the box may be far above). Found in an outside walk-through: a pasted 7,080-character answer
was refused below the button without naming its question, and none of the step's other
answers or ratings were saved.
"""

from __future__ import annotations

import streamlit as st

from workbook.answers import PreparedAnswers
from workbook.i18n import N_
from workbook.lessons import Lesson
from workbook.ui.author_text import literal
from workbook.ui.i18n import translator
from workbook.ui.text import escaped

REFUSED_ANSWER = N_("Your answer to “{question}” is not saved yet. {problem}")
REFUSED_RATING = N_("Your rating of “{statement}” is not saved yet. {problem}")
STILL_IN_ITS_BOX = N_("It is still in its box above.")
REFUSED_HERE = N_("This answer is not saved yet.")
CHANGE_AND_SAVE = N_("Change it and save again: until then it stays in this box.")
OTHERS_SAVED = N_("Your other changes are saved.")

# Our own constant script: brings the first refused answer's note into view, once per save
# (the person pressed Save at the foot of the form; the box may be far above).
_REFUSED_JS = """<script>
(() => {
  const note = document.querySelector(".wb-refused[data-stamp]");
  if (!note || window.__wbRefusedShown === note.dataset.stamp) return;
  window.__wbRefusedShown = note.dataset.stamp;
  requestAnimationFrame(() => requestAnimationFrame(() => {
    document.querySelector(".wb-refused")?.scrollIntoView({ block: "center", behavior: "instant" });
  }));
})();
</script>"""
_REFUSED_CSS = """<style>
  .wb-refused { margin: 0; padding: .55rem .75rem; border-radius: .5rem; font-size: 1rem;
    background: rgba(255, 43, 43, .09); border-left: 4px solid #b3261e; color: #7d1a14; }
  /* The refused note says it is not saved: the draft line under it would only repeat it
     (unless it counts a box still over the limit, lesson_drafts.py). */
  [data-testid="stElementContainer"]:has(.wb-refused)
    + [data-testid="stElementContainer"]:has(.wb-draft-note:not(.wb-draft-over)) {
    display: none; }
</style>"""


def note(
    refused: tuple[tuple[str, str], ...], prompt_id: str, stamp: int, others_saved: bool
) -> None:
    """Under an answer's box, if the last save refused it (`refused`: (prompt id, what is
    wrong) per refused answer): that it is not saved, why, and what to do. The first of a
    save's refused answers is scrolled into view, once per save (`stamp`, the save's mark).
    Read out when shown (role="alert")."""
    problems = dict(refused)
    if prompt_id not in problems:
        return
    _ = translator()
    problem = problems[prompt_id]
    first = refused[0][0] == prompt_id
    others = f" {_(OTHERS_SAVED)}" if others_saved else ""
    mark = f' data-stamp="{stamp}"' if first else ""
    st.html(
        f'<p class="wb-refused" role="alert"{mark}><strong>{escaped(_(REFUSED_HERE))}</strong> '
        f"{escaped(problem)} {escaped(_(CHANGE_AND_SAVE))}{escaped(others)}</p>"
        + _REFUSED_CSS
        + (_REFUSED_JS if first else ""),
        unsafe_allow_javascript=first,
    )


def said(
    lesson: Lesson, prepared: PreparedAnswers
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """What cannot be saved, said under the buttons naming each question (or statement), and
    per answer box: (prompt id, what is wrong)."""
    _ = translator()
    sentences: list[str] = []
    boxes: list[tuple[str, str]] = []
    for prompt in lesson.prompts:
        for problem in prepared.errors.get(prompt.id, []):
            sentences.append(
                _(REFUSED_ANSWER).format(question=literal(prompt.text), problem=problem)
                + " "
                + _(STILL_IN_ITS_BOX)
            )
            boxes.append((prompt.id, problem))
    for statement in lesson.ratings:
        for problem in prepared.errors.get(statement.id, []):
            sentences.append(
                _(REFUSED_RATING).format(statement=literal(statement.text), problem=problem)
            )
    return tuple(sentences), tuple(boxes)
