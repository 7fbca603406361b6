"""The results page: the group's ratings by key finding (and change since the first look),
reflections, commitments, what is still unanswered, and starting a follow-up round."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbook import i18n, results
from workbook.charts.ratings import findings_chart
from workbook.lessons import LessonSet
from workbook.progress import follow_up_refusal, round_label
from workbook.records import Commitment, Rating, Reflection, Seat
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.ui import context, pacing, room_results, seat_link, session
from workbook.ui.author_text import literal
from workbook.ui.i18n import language, ngettext, translations, translator
from workbook.ui.text import isolate, user_text
from workbook.ui.widgets import seat_header


def render() -> None:
    """The whole page, for the group seated at this browser."""
    ctx = context.load()
    seat = ctx.seat
    if seat is None:
        st.switch_page("pages/start.py")
        return
    store, lessons = ctx.store, ctx.lessons
    ratings = store.group_ratings(seat.group.id)
    reflections = store.group_reflections(seat.group.id)

    seat_header(seat)
    pacing.moved_while_away(store, seat, [lesson.title for lesson in lessons.lessons])
    _ = translator()
    st.title(_("Our results"))
    _findings(ratings, lessons)
    _reflections(reflections, ratings, lessons)
    _commitments(store.commitments(seat.group.id))
    _unanswered(lessons, reflections, ratings, seat.group.current_round)
    _follow_up(store, seat, lessons, ratings)
    if seat.workshop.shares_with_funders:
        _quote_consent(store, seat)


def _quote_consent(store: Store, seat: Seat) -> None:
    """This person's choice on being quoted to funders, to change at any time."""
    _ = translator()
    st.divider()
    st.subheader(_("Your words and funders"))
    consent = seat.participant.quote_consent
    if consent:
        st.markdown(
            _(
                "You agreed that your written answers may appear, without any name, in reports "
                "across many workshops. Taking it back removes them from what funders read, "
                "at once, including quotes already published."
            )
        )
        label = _("Stop quoting me")
    else:
        st.markdown(
            _(
                "Your written answers are not quoted to funders. Funders see only figures over "
                "many groups, with random noise added."
            )
        )
        label = _("You may quote me anonymously")
    if st.button(label, key="results_quote_consent"):
        store.set_quote_consent(participant_id=seat.participant.id, consent=not consent)
        st.session_state["results_consent_said"] = not consent
        st.rerun()
    said = st.session_state.pop("results_consent_said", None)
    if said is not None:
        st.success(
            _("Your answers may be quoted anonymously from now on.")
            if said
            else _("Your answers are no longer quoted to funders."),
            icon=":material/check:",
        )


def _findings(all_ratings: list[Rating], lessons: LessonSet) -> None:
    _ = translator()
    # The facilitator's own statements are counted apart: never in a finding's average.
    ratings, own = results.split_own(all_ratings)
    code = language()
    scores = results.finding_scores(ratings, _)
    # No tool bar: on a phone it sat on the title (the chart is still in the exports).
    st.plotly_chart(
        findings_chart(scores, findings=results.planned_findings(lessons), _=_, code=code),
        width="stretch",
        theme=None,
        config={"displaylogo": False, "displayModeBar": False},
    )
    changes = results.finding_changes(scores)
    if not changes.empty:
        st.subheader(_("Change since the first look"))
        # One line per finding, not a table: on a phone a table's last column, the change
        # itself, was cut off.
        for row in changes.itertuples(index=False):
            said = _("first look {first}, latest {latest}").format(
                first=i18n.format_decimal(row.first_look, code),
                latest=i18n.format_decimal(row.latest, code),
            )
            st.markdown(f"**{row.finding}**: {said} ({_signed(row.change, code)})")
    if ratings:
        with st.expander(_("Every rating statement")):
            _statements(results.statement_table(ratings, lessons, _), code)
    if own:
        st.subheader(_("Your facilitator's own statements"))
        st.caption(_("Counted apart from the lessons' statements: in no key finding above."))
        _statements(results.statement_table(own, lessons, _), code)


def _statements(table: pd.DataFrame, code: str) -> None:
    """Each rated statement under its lesson, with the group's mean per round on a line of its
    own: as a table, the statements and the ratings ran off a phone's screen."""
    rounds = [column for column in table.columns if column not in ("Lesson", "Statement")]
    for lesson_title, rows in table.groupby("Lesson", sort=False):
        st.markdown(f"**{literal(str(lesson_title))}**")
        for _, row in rows.iterrows():
            st.text(str(row["Statement"]))
            st.caption(
                " · ".join(
                    f"{name} {_mean(row[name], code)}" for name in rounds if pd.notna(row[name])
                )
            )


def _mean(value: float, code: str) -> str:
    """4 or 3.5 (3,5 in Danish): no ".0" on a whole number."""
    whole = round(value, 1) == round(value)
    return i18n.format_decimal(value, code, 0 if whole else 1)


def _signed(change: float, code: str) -> str:
    _ = translator()
    if round(change, 1) == 0:
        return _("no change")
    sign = "+" if change > 0 else "\u2212"
    return sign + i18n.format_decimal(abs(change), code)


def _reflections(reflections: list[Reflection], ratings: list[Rating], lessons: LessonSet) -> None:
    _ = translator()
    st.subheader(_("Our reflections"))
    if not reflections:
        st.caption(_("No written answers yet."))
    # The steps, then lessons the workshop's plan has since left out (answers are kept).
    for lesson in [*lessons.lessons, *lessons.outside()]:
        answers = [r for r in reflections if r.lesson_id == lesson.id]
        if not answers:
            continue
        with st.expander(f"{literal(lesson.title)} ({len(answers)})", expanded=False):
            _answers(answers, [(p.id, p.text) for p in lesson.prompts])
    # Answers kept for a lesson that is not loaded now (its file missing or broken).
    missing_ids = results.missing_lessons(
        lessons,
        [(r.lesson_id, r.prompt_id) for r in reflections]
        + [(r.lesson_id, r.statement_id) for r in ratings],
    )
    for lesson_id in missing_ids:
        answers = [r for r in reflections if r.lesson_id == lesson_id]
        if not answers:
            continue  # ratings only: they are in "Every rating statement" above, by id
        with st.expander(
            _("Lesson {id}").format(id=lesson_id) + f" ({len(answers)})", expanded=False
        ):
            _answers(answers, [])
    if missing_ids:
        st.caption(
            " ".join(results.missing_lesson_sentence(lesson_id, _) for lesson_id in missing_ids),
        )


def _answers(answers: list[Reflection], prompts: list[tuple[str, str]]) -> None:
    """Answers under each prompt (id, text); prompts answered but not listed, by their ids.

    Over each answer, its round and the name its writer gave when joining, if any. This page
    is the group's own, seen only by its members: an answer without a name is not labelled
    "Anonymous" ("First look · Anonymous" over every answer of a group sharing one device
    told them nothing)."""
    _ = translator()
    listed = {prompt_id for prompt_id, _text in prompts}
    extra = sorted({r.prompt_id for r in answers if r.prompt_id not in listed})
    for prompt_id, text in [*prompts, *((p, p) for p in extra)]:
        mine = [r for r in answers if r.prompt_id == prompt_id]
        if not mine:
            continue
        st.markdown(f"**{literal(text)}**")  # a question, as written
        for reflection in mine:
            said = round_label(reflection.round, _)
            if reflection.author:
                said = f"{said} · {isolate(reflection.author)}"  # a name is user text
            st.text(said)
            user_text(reflection.text)


def _commitments(commitments: list[Commitment]) -> None:
    _ = translator()
    st.subheader(_("Our commitments"))
    if not commitments:
        st.caption(_("No commitments yet: add them in the action plan, the last lesson."))
    for commitment in commitments:
        with st.container(border=True):
            user_text(commitment.what)
            status = _(commitment.status.label) if commitment.status else _("Not reviewed yet")
            who = f"{isolate(commitment.who)} · " if commitment.who else ""
            by = i18n.format_date(commitment.by_when, language()) if commitment.by_when else ""
            when = _("by {date}").format(date=by) + " · " if commitment.by_when else ""
            finding = _(commitment.key_finding.label) + " · " if commitment.key_finding else ""
            st.text(f"{who}{when}{finding}{status}")


def _unanswered(
    lessons: LessonSet, reflections: list[Reflection], ratings: list[Rating], round_: int
) -> None:
    _ = translator()
    missing = results.unanswered(lessons, reflections, ratings, round_=round_)
    st.subheader(_("Not answered yet") + ("" if round_ == 1 else f" ({round_label(round_, _)})"))
    if not missing:
        st.success(_("Your group has answered every prompt and statement in this round."))
    for item in missing:
        open_items = []
        if item.prompts:
            open_items.append(ngettext("{n} question", "{n} questions", len(item.prompts)))
        if item.statements:
            open_items.append(ngettext("{n} rating", "{n} ratings", len(item.statements)))
        what = (
            _("{first} and {second}").format(first=open_items[0], second=open_items[1])
            if len(open_items) == 2
            else open_items[0]
        )
        st.markdown(f"**{literal(item.lesson_title)}**: " + _("{items} open").format(items=what))


def _follow_up(store: Store, seat: Seat, lessons: LessonSet, ratings: list[Rating]) -> None:
    _ = translator()
    st.divider()
    st.subheader(_("Coming back later?"))
    st.markdown(
        _(
            "A few weeks on, start a follow-up round: rate yourselves again and mark which "
            "commitments you kept. Your first-look answers are kept and compared, never "
            "overwritten."
        )
    )
    with st.container(border=True, key="results_seat_link"):
        seat_link.panel(qr=True)  # the way back, weeks on, on any device
    refusal = follow_up_refusal(
        self_guided=seat.workshop.self_guided,
        room_changed_at=store.room_changed_at(seat.workshop.id),
        now=utc_now(),
        room_ended=store.room_ended(seat.workshop.id),
        _=_,
    )
    if refusal:
        st.info(refusal, icon=":material/schedule:")
        return
    round_ = seat.group.current_round
    unrated = results.follow_up_unrated(lessons, ratings, round_=round_)
    if unrated:
        # Right after a follow-up round started: finish it first, not start another.
        st.info(
            translations()
            .ngettext(
                "Your group is in follow-up round {number} now, with {n} rating statement "
                "still to rate in the workbook. Another follow-up round can start once this "
                "one is done.",
                "Your group is in follow-up round {number} now, with {n} rating statements "
                "still to rate in the workbook. Another follow-up round can start once this "
                "one is done.",
                unrated,
            )
            .format(number=round_ - 1, n=unrated),
            icon=":material/pending:",
        )
        return
    confirm = st.checkbox(
        _("Yes, our group is ready for a follow-up round"), key="results_confirm_round"
    )
    if st.button(_("Start a follow-up round"), disabled=not confirm, key="results_new_round"):
        store.start_follow_up(group_id=seat.group.id)
        store.set_participant_step(participant_id=seat.participant.id, step=0)
        room_results.read_fresh()  # the room's results, if shown, of the new round at once
        session.switch_to("pages/workbook.py")
