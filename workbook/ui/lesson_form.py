"""The answer form of one lesson: its prompts and rating statements, saved together.

In a facilitated workshop the facilitator may close answers to a prompt or statement: it is
then shown read-only, and a save that arrives after it closed keeps the stored answer (the
participant's typed text stays in their browser as a draft).
Two tabs or devices of one participant: a save carries what the form last showed for each
answer, and an answer stored as something else since is not overwritten (the store checks,
workbook/store/answers.py): the person is told in one sentence, sees the stored answer
beside theirs (still in the box) and chooses: save theirs anyway, or take the stored one.
Their other answers are saved.
Drafts: what a participant types is also kept in this browser tab (sessionStorage), keyed
by workshop, participant, lesson, round and prompt, so a half-typed answer survives the
room moving on, a reload or a phone waking from sleep, and comes back when they return.
A box or rating holding something other than what is saved (a draft brought back, or a
change not saved yet) is marked so, at the top of the form and under the answer itself:
the form carries what is saved for each (a rating's value; a short hash of an answer's
text, `saved_mark`) and the drafts script (workbook/ui/lesson_drafts.py) compares it
with what the box shows.
After a save while this step's results are shown on the phone, the whole page is drawn
again with the results read at once (room_results.read_fresh), so they hold this save.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from dataclasses import dataclass

import streamlit as st

from workbook.answers import prepare_answers
from workbook.i18n import N_, format_decimal
from workbook.lessons import Lesson
from workbook.live import PROMPT, RATING
from workbook.models import MAX_REFLECTION_CHARS, RATING_MAX, RATING_MIN
from workbook.records import SavedAnswers, Seat
from workbook.server.admission import admitted
from workbook.store import Store, StoreError
from workbook.ui import lesson_drafts, lesson_refusals, room_results
from workbook.ui.author_text import labelled, literal
from workbook.ui.i18n import language, translations, translator
from workbook.ui.lesson_drafts import DRAFT_FIELD as DRAFT_FIELD
from workbook.ui.lesson_drafts import draft_note_html, saved_mark
from workbook.ui.lesson_refusals import OTHERS_SAVED
from workbook.ui.text import escaped, user_html, user_text
from workbook.ui.widgets import show_errors

RATING_OPTIONS = list(range(RATING_MIN, RATING_MAX + 1))

CLOSED_NOTE = N_("The facilitator has closed answers to this one for now.")
NOTHING_TYPED = N_("Nothing to save yet: write an answer or choose a rating first.")
NOTHING_CHANGED = N_("Nothing has changed since you last saved.")
ONLY_BLANKS = N_("Nothing was saved: an answer made only of spaces or blank lines is empty.")
BLANK_NOTE = N_("A box holding only spaces or blank lines was left empty.")
CONFLICT = N_(
    "This answer was changed in another tab or on another device since you opened it, so "
    "yours is not saved yet: the stored one is shown beside yours, choose which to keep."
)
DRAFT_TOP = N_(
    "Not saved yet: the answers marked Draft below are only in this browser. "
    "Press Save answers to keep them."
)
SAVED_NOTE = N_("Your saved answers are shown above; change them and save again to update.")
SAVED_BUT_DRAFTS = N_(
    "The answers marked Draft are not saved yet; the others shown above are your saved answers."
)
NOT_SAVED_YET = N_("Nothing was saved yet. Your text is still in the boxes above.")
STILL_IN_BOXES = N_("Your text is still in the boxes above.")
TOOK_STORED = N_("The stored answer is in the box now; nothing else was changed.")


def page_assets(seat: Seat, lesson: Lesson, planned: Sequence[str] = (), step: int = 0) -> None:
    """The form's phone styles and drafts script, drawn once per page run, outside the form's
    fragment: a save then redraws the form only, not these. A full page run also draws the
    form, so no outcome is waiting for a redraw any more (see _UNSHOWN). The script also
    shows a step new to the page from its top (lesson_drafts)."""
    st.session_state.pop(_UNSHOWN, None)
    lesson_drafts.assets(seat, lesson, planned, step)


@dataclass(frozen=True)
class _Outcome:
    """What the last press of "Save answers" on this lesson and round came to: problems
    (nothing saved), or a message (saved, or nothing to save) after any notes."""

    message: str
    saved: bool = False
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    # What the form is drawn from right after the save: the answers as now stored and the
    # closed questions the save checked (None when nothing could be saved).
    drawn_from: tuple[SavedAnswers, set[tuple[str, str]]] | None = None
    # Answers not saved because they were stored as something else since the form was drawn:
    # (prompt id, the text stored now or None when it was removed), for the person to choose.
    conflicts: tuple[tuple[str, str | None], ...] = ()
    # Answers refused (too long): (prompt id, what is wrong), said under each one's box, and
    # a mark of the save, so the page is brought to the first one once per save.
    refused: tuple[tuple[str, str], ...] = ()
    stamp: int = 0


def _outcome_key(prefix: str) -> str:
    return f"{prefix}_outcome"


# The form whose last save has not been drawn yet. Its first redraw is drawn from what the
# save committed; and if that redraw never got to the end (Streamlit ended the run early for
# a newer request), the live room's poll sees this and redraws the page. (A redraw that ran
# to the end but that Streamlit then dropped is caught by room_push.redraw_if_dropped.)
_UNSHOWN = "lesson_form_outcome_unshown"


def confirmation_pending() -> bool:
    """Whether a save's outcome is waiting for a redraw of the form (see _UNSHOWN)."""
    return bool(st.session_state.get(_UNSHOWN))


def _unshown(prefix: str) -> bool:
    return st.session_state.get(_UNSHOWN) == prefix


# "Save and go to the next step": the step to go to once the save went through, and the line
# the next page shows about it.
_GO_TO = "lesson_form_go_to"
_CARRIED = "lesson_form_carried"
_REDRAW_PAGE = "lesson_form_redraw_page"  # a save went into a newer round: draw it (_save)
ROUND_MOVED_NOTE = N_(
    "Your group started its follow-up round while this page was open: what you changed is "
    "saved in the follow-up round, and the page now shows it."
)


def carried_note() -> None:
    """On the page after "Save and go to the next step" (or Next, which presses it when the
    form holds unsaved answers): what became of the answers left behind."""
    # A full page run draws the step it moved to: the form need not ask for one any more.
    st.session_state.pop(_GO_TO, None)
    carried = st.session_state.pop(_CARRIED, None)
    if carried:
        st.success(carried, icon=":material/check_circle:")


@st.fragment
@admitted
def render(store: Store, seat: Seat, lesson: Lesson, next_step: int | None = None) -> None:
    """The form, as a fragment: "Save answers" reruns the form alone, not the whole page, so
    a room of 200 pressing it in the same second costs 200 small runs (bench/RESULTS.md).
    The save itself is the submit button's callback (`_save`), which Streamlit runs before
    the form is drawn again: the answer is committed first, and what it came to is kept in
    the session, so a redraw interrupted by the room moving still shows it afterwards."""
    if not lesson.prompts and not lesson.ratings:
        return
    _ = translator()
    go_to = st.session_state.pop(_GO_TO, None)
    if go_to is not None or st.session_state.pop(_REDRAW_PAGE, None):
        # Saved: the whole page moves on (the step is stored already), or shows the round the
        # group is in now (_save).
        st.rerun(scope="app")
    round_ = seat.group.current_round
    prefix = f"answer_{lesson.id}_{round_}"
    outcome = st.session_state.get(_outcome_key(prefix))
    if not isinstance(outcome, _Outcome):
        outcome = None
    if outcome is not None and outcome.drawn_from is not None and _unshown(prefix):
        # Right after a save: draw what it committed (checked equal to reading it back in
        # tests/test_hypothesis.py) instead of reading the same rows again.
        saved, closed = outcome.drawn_from
    else:
        saved = store.saved_answers(
            participant_id=seat.participant.id, lesson_id=lesson.id, round=round_
        )
        closed = _closed(store, seat, lesson)
    earlier = (
        store.saved_answers(
            participant_id=seat.participant.id, lesson_id=lesson.id, round=round_ - 1
        )
        if round_ > 1
        else None
    )
    if outcome is not None and outcome.saved and _unshown(prefix) and room_results.fresh_pending():
        # This step's results are on the page below this form's fragment: draw the page
        # again, so they hold this save now, not a few seconds later.
        st.rerun(scope="app")
    with st.form(f"{prefix}_form", enter_to_submit=False):
        # Shown by the drafts script while any answer below is a draft (not saved yet).
        st.html(f'<p class="wb-draft-top" hidden>{escaped(_(DRAFT_TOP))}</p>')
        if lesson.prompts:
            st.subheader(_("Talk it through, then write it down"))
        for prompt in lesson.prompts:
            is_closed = (PROMPT, prompt.id) in closed
            key = f"{prefix}_prompt_{prompt.id}"
            stored = saved.reflections.get(prompt.id, "")
            # No help icon: a small target whose tip only repeated the placeholder. The
            # limit is in the placeholder, a lesson's hint for the question under the box.
            # A facilitator's own prompt is their text: shown and read out as written.
            where, label, visibility = labelled(prompt.text, disabled=is_closed)
            with where:
                st.text_area(
                    label,
                    value=stored,
                    key=key,
                    # The box itself 110 px high either way (Streamlit counts a shown
                    # label's 28 px in it).
                    height=140 if visibility == "visible" else 112,
                    placeholder=_(
                        "Your answer, in your own words (up to {limit} characters)"
                    ).format(limit=format_decimal(MAX_REFLECTION_CHARS, language(), digits=0)),
                    disabled=is_closed,
                    label_visibility=visibility,
                )
            if outcome is not None:  # a too-long answer: why it is not saved, under its box
                lesson_refusals.note(outcome.refused, prompt.id, outcome.stamp, outcome.saved)
            st.html(draft_note_html(key, "prompt", saved_mark(stored)))
            if prompt.help:
                st.caption(literal(prompt.help))
            if is_closed:
                st.caption(_(CLOSED_NOTE))
        if lesson.ratings:
            st.subheader(_("Rate yourselves"))
            st.caption(_("Tap a number from 1 to 5; tap it again to clear. Leave it if unsure."))
        for statement in lesson.ratings:
            is_closed = (RATING, statement.id) in closed
            where, label, visibility = labelled(statement.text, disabled=is_closed)
            with where:
                st.segmented_control(
                    label,
                    RATING_OPTIONS,
                    default=saved.ratings.get(statement.id),
                    key=f"{prefix}_rating_{statement.id}",
                    width="stretch",
                    disabled=is_closed,
                    label_visibility=visibility,
                )
            scale = f"1 = {statement.low} · 5 = {statement.high}"
            if earlier and statement.id in earlier.ratings:
                scale += " · " + _("in your first look: {rating}").format(
                    rating=earlier.ratings[statement.id]
                )
            if is_closed:
                scale += " · " + _(CLOSED_NOTE)
            value = saved.ratings.get(statement.id)
            # The scale and the rating's draft note as one element: each element costs the
            # server on every run of every phone (bench/RESULTS.md).
            st.html(
                f'<p class="wb-caption wb-scale">{user_html(scale)}</p>'
                + draft_note_html(
                    f"{prefix}_rating_{statement.id}",
                    "rating",
                    "" if value is None else str(value),
                )
            )
        st.form_submit_button(
            _("Save answers"),
            type="primary",
            icon=":material/save:",
            key=f"{prefix}_save_answers",
            on_click=_save,
            args=(store, seat, lesson, prefix, saved, closed),
        )
        if next_step is not None:
            st.form_submit_button(
                _("Save and go to the next step"),
                icon=":material/arrow_forward:",
                key=f"{prefix}_save_next",
                on_click=_save_and_go,
                args=(store, seat, lesson, prefix, saved, closed, next_step),
            )
    if saved.reflections or saved.ratings:
        # Never "saved" about a draft: the drafts script swaps the sentence while one shows.
        st.html(
            f'<p class="wb-saved-note"><span class="wb-saved-all">{escaped(_(SAVED_NOTE))}</span>'
            f'<span class="wb-saved-some" hidden>{escaped(_(SAVED_BUT_DRAFTS))}</span></p>'
        )
    if outcome is None:
        return
    for note in outcome.notes:
        st.info(note, icon=":material/lock:")
    if outcome.conflicts:
        _show_conflicts(store, seat, lesson, prefix, outcome)
        if outcome.message:
            st.success(outcome.message, icon=":material/check_circle:")
        show_errors(outcome.problems)
    elif outcome.problems:
        if outcome.saved:  # the rest of the step, saved without the refused answers
            st.success(outcome.message, icon=":material/check_circle:")
        show_errors(outcome.problems)
        if not outcome.saved:
            st.caption(outcome.message)
    elif outcome.saved:
        st.success(outcome.message, icon=":material/check_circle:")
    else:
        st.info(outcome.message, icon=":material/check:")
    # Only now: Streamlit may end a run at any element it draws (a newer request arrived),
    # and an outcome cut off before its message must stay pending for the poll to redraw.
    st.session_state.pop(_UNSHOWN, None)


def _save(
    store: Store,
    seat: Seat,
    lesson: Lesson,
    prefix: str,
    saved: SavedAnswers,
    closed: set[tuple[str, str]],
) -> None:
    """The submit button's callback: validate and commit what the form holds, against the
    answers and closed questions the form was drawn with, and leave what it came to in the
    session for `render` to show."""
    drawn_round = seat.group.current_round
    round_ = store.group_round(seat.group.id) or drawn_round
    # Streamlit ignores what arrives for a disabled box; answers may also close between
    # drawing and saving. Either way a closed question keeps its stored answer.
    now_closed = _closed(store, seat, lesson)
    closed = closed | now_closed
    state = st.session_state
    texts: dict[str, str | None] = {}
    ratings: dict[str, int | None] = {}
    for prompt in lesson.prompts:
        if (PROMPT, prompt.id) in closed:
            texts[prompt.id] = saved.reflections.get(prompt.id, "")
        else:
            texts[prompt.id] = state.get(f"{prefix}_prompt_{prompt.id}")
    for statement in lesson.ratings:
        if (RATING, statement.id) in closed:
            ratings[statement.id] = saved.ratings.get(statement.id)
        else:
            ratings[statement.id] = state.get(f"{prefix}_rating_{statement.id}")
    _ = translator()
    notes: tuple[str, ...] = ()
    if closed:
        notes = (
            _(
                "The facilitator has closed some answers, so those keep what was saved before. "
                "Your other answers are saved as usual."
            ),
        )
    if round_ != drawn_round:
        # Someone in the group started a follow-up round after this form was drawn: what this
        # person changed goes into the group's round now, over what is saved there (what
        # they left as it was belongs to the earlier round, and stays there).
        texts, ratings, saved = _onto_round(
            store, seat, lesson, round_, texts, ratings, drawn_from=saved
        )
        notes = (*notes, _(ROUND_MOVED_NOTE))
        prefix = f"answer_{lesson.id}_{round_}"
        state[_REDRAW_PAGE] = True  # the page then shows the group's round
    outcome = _commit(store, seat, lesson, round_, texts, ratings, saved, now_closed, notes)
    state[_outcome_key(prefix)] = outcome
    state[_UNSHOWN] = prefix
    if outcome.saved and room_results.shown_here(store, seat, lesson):
        room_results.read_fresh()


def _onto_round(
    store: Store,
    seat: Seat,
    lesson: Lesson,
    round_: int,
    texts: dict[str, str | None],
    ratings: dict[str, int | None],
    *,
    drawn_from: SavedAnswers,
) -> tuple[dict[str, str | None], dict[str, int | None], SavedAnswers]:
    """The form's answers moved onto `round_`: each one the person changed from what the
    form was drawn with, and for the rest what `round_` holds already."""
    there = store.saved_answers(
        participant_id=seat.participant.id, lesson_id=lesson.id, round=round_
    )
    moved_texts = {
        key: typed
        if (typed or "").strip() != drawn_from.reflections.get(key, "").strip()
        else there.reflections.get(key, "")
        for key, typed in texts.items()
    }
    moved_ratings = {
        key: value if value != drawn_from.ratings.get(key) else there.ratings.get(key)
        for key, value in ratings.items()
    }
    return moved_texts, moved_ratings, there


def _save_and_go(
    store: Store,
    seat: Seat,
    lesson: Lesson,
    prefix: str,
    saved: SavedAnswers,
    closed: set[tuple[str, str]],
    next_step: int,
) -> None:
    """Save, then go to the next step: only if nothing is left unsaved (a problem or a
    conflict keeps the person on this step, with their text in the boxes and the reason)."""
    _save(store, seat, lesson, prefix, saved, closed)
    outcome = st.session_state[_outcome_key(prefix)]
    if outcome.problems or outcome.conflicts:
        return
    store.set_participant_step(participant_id=seat.participant.id, step=next_step)
    st.session_state[_GO_TO] = next_step
    if outcome.saved:
        _ = translator()
        st.session_state[_CARRIED] = _("Your answers to {title} are saved.").format(
            title=literal(lesson.title)
        )


def _commit(
    store: Store,
    seat: Seat,
    lesson: Lesson,
    round_: int,
    texts: dict[str, str | None],
    ratings: dict[str, int | None],
    saved: SavedAnswers,
    closed: set[tuple[str, str]],
    notes: tuple[str, ...],
) -> _Outcome:
    _ = translator()
    prepared = prepare_answers(
        lesson=lesson, texts=texts, ratings=ratings, saved=saved, language=language()
    )
    # An answer that cannot be saved (too long) holds back nothing else: the rest is saved,
    # and it stays in its box, a draft, with the reason beside it.
    problems, refused = lesson_refusals.said(lesson, prepared)
    stamp = time.monotonic_ns()
    if not prepared.ok and prepared.changes == 0:
        return _Outcome(
            _(NOT_SAVED_YET), notes=notes, problems=problems, refused=refused, stamp=stamp
        )
    # Never "nothing has changed" for a form that holds nothing, or only blanks, as if
    # something had been kept: say what happened.
    blank = f" {_(BLANK_NOTE)}" if prepared.blank_prompts else ""
    if prepared.changes == 0:
        rated = any(value is not None for value in ratings.values())
        if not rated and not any(texts.values()):
            message = _(NOTHING_TYPED)
        elif not rated and not any((text or "").strip() for text in texts.values()):
            message = _(ONLY_BLANKS)
        else:
            message = _(NOTHING_CHANGED) + blank
        return _Outcome(message, notes=notes, drawn_from=(saved, closed))
    written = [r.prompt_id for r in prepared.reflections] + prepared.cleared_prompts
    try:
        result = store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=round_,
            reflections=prepared.reflections,
            cleared_prompts=prepared.cleared_prompts,
            ratings=prepared.ratings,
            cleared_statements=prepared.cleared_statements,
            seen={prompt_id: saved.reflections.get(prompt_id) for prompt_id in written},
        )
    except StoreError as error:
        return _Outcome(_(STILL_IN_BOXES), problems=(error.shown(translator()),))
    if result.conflicts:
        others = prepared.changes > len(result.conflicts)
        return _Outcome(
            _(OTHERS_SAVED) if others else "",
            saved=others,
            notes=notes,
            conflicts=tuple(result.conflicts.items()),
            problems=problems,
            refused=refused,
            stamp=stamp,
        )
    return _Outcome(
        f"{prepared.confirmation(translations())}{blank} ({dt.datetime.now():%H:%M})",
        saved=True,
        notes=notes,
        drawn_from=(prepared.applied_to(saved), closed),
        problems=problems,
        refused=refused,
        stamp=stamp,
    )


def _show_conflicts(
    store: Store, seat: Seat, lesson: Lesson, prefix: str, outcome: _Outcome
) -> None:
    """Each answer changed elsewhere: the stored one beside theirs, and the two choices."""
    _ = translator()
    st.warning(_(CONFLICT), icon=":material/sync_problem:")
    prompts = {prompt.id: prompt for prompt in lesson.prompts}
    for prompt_id, stored in outcome.conflicts:
        prompt = prompts.get(prompt_id)
        if prompt is None:
            continue
        with st.container(border=True, key=f"{prefix}_conflict_{prompt_id}"):
            st.text(prompt.text)
            left, right = st.columns(2)
            with left:
                st.caption(_("Stored now"))
                if stored is None:
                    st.text(_("(No answer: it was removed.)"))
                else:
                    user_text(stored)
            with right:
                st.caption(_("Yours, still in the box above"))
                user_text(st.session_state.get(f"{prefix}_prompt_{prompt_id}") or "")
            mine, theirs = st.columns(2)
            mine.button(
                _("Save mine anyway"),
                key=f"{prefix}_keep_mine_{prompt_id}",
                on_click=_keep_mine,
                args=(store, seat, lesson, prefix, prompt_id, stored),
            )
            theirs.button(
                _("Take the stored one"),
                key=f"{prefix}_take_stored_{prompt_id}",
                on_click=_take_stored,
                args=(prefix, prompt_id, stored),
            )


def _others(prefix: str, prompt_id: str) -> tuple[tuple[str, str | None], ...]:
    """The conflicts still waiting once this one is settled."""
    outcome = st.session_state.get(_outcome_key(prefix))
    if not isinstance(outcome, _Outcome):
        return ()
    return tuple(c for c in outcome.conflicts if c[0] != prompt_id)


def _keep_mine(
    store: Store, seat: Seat, lesson: Lesson, prefix: str, prompt_id: str, stored: str | None
) -> None:
    """Save what the box holds now over the stored answer the person has just seen (and
    only that one: if it changed yet again, they are asked again)."""
    state = st.session_state
    text = state.get(f"{prefix}_prompt_{prompt_id}") or ""
    seen = SavedAnswers({prompt_id: stored} if stored is not None else {}, {})
    prepared = prepare_answers(
        lesson=lesson, texts={prompt_id: text}, ratings={}, saved=seen, language=language()
    )
    others = _others(prefix, prompt_id)
    _ = translator()
    if not prepared.ok:
        problems, refused = lesson_refusals.said(lesson, prepared)
        outcome = _Outcome(
            _(NOT_SAVED_YET),
            problems=problems,
            conflicts=others,
            refused=refused,
            stamp=time.monotonic_ns(),
        )
    else:
        try:
            result = store.save_answers(
                seat=seat,
                lesson_id=lesson.id,
                round=seat.group.current_round,
                reflections=prepared.reflections,
                cleared_prompts=prepared.cleared_prompts,
                seen={prompt_id: stored},
            )
        except StoreError as error:
            outcome = _Outcome(_(STILL_IN_BOXES), problems=(error.shown(translator()),))
        else:
            if result.conflicts:
                outcome = _Outcome("", conflicts=(*result.conflicts.items(), *others))
            else:
                outcome = _Outcome(
                    f"{prepared.confirmation(translations())} ({dt.datetime.now():%H:%M})",
                    saved=True,
                    conflicts=others,
                )
                if room_results.shown_here(store, seat, lesson):
                    room_results.read_fresh()
    state[_outcome_key(prefix)] = outcome
    state[_UNSHOWN] = prefix


def _take_stored(prefix: str, prompt_id: str, stored: str | None) -> None:
    """Put the stored answer in the box (it is already saved: nothing is written)."""
    state = st.session_state
    state[f"{prefix}_prompt_{prompt_id}"] = stored or ""
    took = translator()(TOOK_STORED)
    state[_outcome_key(prefix)] = _Outcome(took, conflicts=_others(prefix, prompt_id))
    state[_UNSHOWN] = prefix


def _closed(store: Store, seat: Seat, lesson: Lesson) -> set[tuple[str, str]]:
    if seat.workshop.self_guided:
        return set()
    return store.closed_items(workshop_id=seat.workshop.id, lesson_id=lesson.id)
