"""The one-file HTML summary (workbook/summary_html.py) of a 30-person workshop: small (under
1.5 MB), nothing fetched and no script, every lesson's ratings and answers in it, and a
hostile answer escaped."""

from __future__ import annotations

import html
import re

import pytest

from harness.workshop import HOSTILE, answer, filled_workshop
from workbook import export, summary_html
from workbook.lessons import LessonSet
from workbook.live import plural
from workbook.store import Store

LIMIT = 1_500_000  # bytes
GROUPS, PEOPLE = 6, 5


@pytest.fixture
def thirty(store: Store, lessons: LessonSet) -> export.WorkshopExport:
    """6 groups x 5 people, each answering every prompt and rating every statement of every
    lesson; one answer is hostile markup."""
    workshop = filled_workshop(store, lessons, groups=GROUPS, people=PEOPLE)
    return export.collect(store, workshop_id=workshop.id, lessons=lessons)


def test_a_thirty_person_summary_is_small_offline_complete_and_escaped(
    thirty: export.WorkshopExport, lessons: LessonSet
) -> None:
    page = summary_html.html_summary(thirty)
    size = len(page.encode("utf-8"))
    assert size < LIMIT, f"{size:,} bytes"
    # Offline: no script at all, nothing fetched (no src/href/url() to any address).
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"url\(|@import", page, re.I)
    # The hostile answer is text.
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "Thirty &lt;people&gt;" in page
    people = GROUPS * PEOPLE
    for n, lesson in enumerate(lessons.lessons):
        # Every statement: its heading, its average and a bar chart of all 30 ratings.
        for statement in lesson.ratings:
            heading = page.index(f"<h3>{_esc(statement.text)}</h3>")
            chart = page[heading : page.index("</figure>", heading)]
            assert f"{plural(people, 'rating')}" in chart
            counts = [int(c) for c in re.findall(r'class="count">(\d+) (?:person|people)', chart)]
            assert len(counts) == 5 and sum(counts) == people
        # Every answer to every prompt.
        for q, prompt in enumerate(lesson.prompts):
            assert f"<h3>{_esc(prompt.text)}</h3>" in page
            for g in range(GROUPS):
                for p in range(PEOPLE):
                    assert _esc(answer(g, p, n, q)) in page
    assert page.count('<figure class="bars">') == sum(len(x.ratings) for x in lessons.lessons)
    assert "Table 6 calls the council" in page


def _esc(text: str) -> str:
    return html.escape(text)


def test_a_multi_line_own_question_keeps_its_line_breaks_and_stays_escaped(
    store: Store, lessons: LessonSet
) -> None:
    """A facilitator's own question (and statement) typed on several lines is shown on those
    lines, each escaped: the line breaks are the only markup the summary adds."""
    from workbook.models import JoinRequest, RatingIn, ReflectionIn, WorkshopCreate
    from workbook.plans import Plan, PlanStep, apply_plan

    question = "What did we <b>learn</b>?\nWhat will we try next?\r\nWho asks Sam?"
    statement = "We trust each other\nacross <i>tables</i>"
    plan = Plan(
        id="lines",
        title="Lines",
        session_minutes=60,
        steps=[
            PlanStep(
                lesson="action-plan",
                minutes=20,
                own_prompts=[{"id": "own-lines", "text": question}],
                own_ratings=[{"id": "own-trust", "text": statement, "low": "No", "high": "Yes"}],
            )
        ],
    )
    made, _ = store.create_workshop(workshop=WorkshopCreate(title="Evening", cause="Housing"))
    store.set_workshop_plan(workshop_id=made.id, plan=plan)
    seat, _ = store.join(workshop_id=made.id, request=JoinRequest(group_name="Table 1"))
    store.save_answers(
        seat=seat,
        lesson_id="action-plan",
        round=1,
        reflections=[ReflectionIn(lesson_id="action-plan", prompt_id="own-lines", text="Yes")],
        ratings=[
            RatingIn(
                lesson_id="action-plan",
                statement_id="own-trust",
                key_finding="early_actions",
                value=4,
            )
        ],
    )
    applied = apply_plan(lessons, store.workshop_plan(made.id).plan)
    page = summary_html.html_summary(export.collect(store, workshop_id=made.id, lessons=applied))
    assert (
        "<h3>What did we &lt;b&gt;learn&lt;/b&gt;?<br>What will we try next?<br>Who asks Sam?</h3>"
    ) in page
    assert "<h3>We trust each other<br>across &lt;i&gt;tables&lt;/i&gt;</h3>" in page
    assert "<b>learn" not in page and "<i>tables" not in page and "\r" not in page
