"""A name's direction controls stay inside it: the app's own words after user text are never
inside an embedding, override or isolate the user text opened (workbook/bidi.py), on every
screen and in the HTML summary; what is stored stays as typed."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbook import export, summary_html
from workbook.bidi import FSI, PDI, bdi, bdi_heading, isolate
from workbook.charts.theme import plain_text
from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet
from workbook.models import (
    STAKEHOLDER_KINDS,
    JoinRequest,
    ReflectionIn,
    SpectrumBand,
    StakeholderIn,
    WorkshopCreate,
)
from workbook.stakeholders.snapshots import diff_snapshots
from workbook.store import Store
from workbook.ui.resources import _open_store

from .hostile_strings import CORPUS, bidi_entries, by_text, open_direction

WALK_GROUP = by_text("<img src=x onerror=alert(1)> **G** =1+1 \u202eRTL").text
STRAY_POP = by_text("pop\u2069\u202eRTL").text
RLO = by_text("\u202eRTL").text


def test_the_corpus_holds_every_unclosed_direction_control() -> None:
    texts = {entry.text for entry in bidi_entries()}
    for control in "\u202e\u202d\u202b\u2066\u2067\u2068":
        assert any(control in t and "\u2069" not in t.split(control, 1)[1] for t in texts)
    assert STRAY_POP in texts


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.probes[:40])
def test_isolated_text_leaves_nothing_open_and_keeps_every_character(entry: object) -> None:
    text = entry.text  # type: ignore[attr-defined]
    shown = isolate(text)
    assert text in shown and set(shown.replace(text, "", 1)) <= {FSI, PDI}
    line = f"{isolate(text)} · {isolate(text)} · code VQF-HPQ"
    assert open_direction(line, line.index(" · code")) == [], text
    assert open_direction(line, line.index(" · ")) == [], text


def test_text_with_nothing_to_turn_comes_back_as_it_is() -> None:
    assert isolate("Table 3 <b>") == "Table 3 <b>"
    assert isolate("שלום") == f"{FSI}שלום{PDI}"
    assert isolate(STRAY_POP) == f"{FSI}{FSI}{STRAY_POP}{PDI}"


@pytest.mark.parametrize("entry", bidi_entries(), ids=lambda e: e.probes[:40])
def test_user_html_is_escaped_inside_bdi_and_closes_what_it_opens(entry: object) -> None:
    text = entry.text  # type: ignore[attr-defined]
    body = bdi(text)
    inner = re.fullmatch(r"<bdi>(.*)</bdi>", body, re.S)
    assert inner, body
    shown = html.unescape(inner.group(1))
    assert shown in (text, isolate(text))
    assert "<" not in inner.group(1)
    assert open_direction(shown + " code", len(shown)) == []


def test_a_left_to_right_title_keeps_what_follows_a_right_to_left_word_after_it() -> None:
    # By the bidirectional algorithm alone, " - 2" after שלום joins it and is shown before it
    # ("Spring day 2 - םולש"): the word gets an isolate of its own, read right to left.
    assert bdi_heading("Spring day שלום - 2") == (
        '<bdi dir="ltr">Spring day <bdi dir="rtl">שלום</bdi> - 2</bdi>'
    )
    # digits and spaces between right-to-left words stay with them; markup stays text
    assert bdi_heading("Plan: יום 2 של הכנס! <b>") == (
        '<bdi dir="ltr">Plan: <bdi dir="rtl">יום 2 של הכנס</bdi>! &lt;b&gt;</bdi>'
    )
    assert bdi_heading("Planning يوم ٢") == (
        '<bdi dir="ltr">Planning <bdi dir="rtl">يوم ٢</bdi></bdi>'
    )
    # A title starting right to left, one without right-to-left letters and one with
    # direction controls are shown as `bdi` shows them.
    for title in ("שלום Spring day - 2", "Spring day", "2026", RLO + " שלום 2", STRAY_POP):
        assert bdi_heading(title) == bdi(title), title


def test_the_html_summary_heads_with_the_title_in_its_typed_order(
    store: Store, lessons: LessonSet
) -> None:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Spring day שלום - 2", cause="Housing")
    )
    page = summary_html.html_summary(
        export.collect(store, workshop_id=workshop.id, lessons=lessons)
    )
    assert '<h1><bdi dir="ltr">Spring day <bdi dir="rtl">שלום</bdi> - 2</bdi></h1>' in page


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e.probes[:40])
def test_a_heading_shows_every_title_as_typed_and_escaped(entry: object) -> None:
    text = entry.text  # type: ignore[attr-defined]
    body = bdi_heading(text)
    inner = re.fullmatch(r"<bdi(?: dir=\"ltr\")?>(.*)</bdi>", body, re.S)
    assert inner, body
    parts = re.sub(r'<bdi dir="rtl">|</bdi>', "", inner.group(1))
    assert "<" not in parts
    assert html.unescape(parts) in (text, isolate(text))


def test_chart_labels_are_isolated_and_escaped() -> None:
    label = plain_text(WALK_GROUP)
    assert "<img" not in label and "&lt;img" in label
    shown = html.unescape(label) + " (influence 4)"
    assert open_direction(shown, shown.index(" (influence")) == []


def test_map_sentences_close_each_name_before_the_app_goes_on() -> None:
    kind = STAKEHOLDER_KINDS[0]
    before = [StakeholderIn(name=RLO, kind=kind, influence=2, band=SpectrumBand.neutral)]
    after = [
        StakeholderIn(name=RLO, kind=kind, influence=4, band=SpectrumBand.passive_ally),
        StakeholderIn(name=STRAY_POP, kind=kind, influence=1, band=SpectrumBand.neutral),
    ]
    for sentence in diff_snapshots(before, after).sentences:
        assert "RTL" in sentence
        # the app's own words after the name (up to the full stop) read in order
        assert open_direction(sentence, len(sentence) - 1) == [], sentence


def test_the_html_summary_isolates_every_who_line_and_title(
    store: Store, lessons: LessonSet
) -> None:
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title=RLO + " day", cause=STRAY_POP, region=RLO)
    )
    lesson = lessons.lessons[0]
    prompt = lesson.prompts[0]
    seat, _ = store.join(
        workshop_id=workshop.id,
        request=JoinRequest(group_name=WALK_GROUP, display_name=STRAY_POP),
    )
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=RLO)],
    )
    page = summary_html.html_summary(
        export.collect(store, workshop_id=workshop.id, lessons=lessons)
    )
    assert f'<span class="who">{bdi(WALK_GROUP)} · {bdi(STRAY_POP)}</span>' in page
    assert f"<li>{bdi(RLO)}<span" in page
    assert f"<h1>{bdi(RLO + ' day')}</h1>" in page
    meta = re.search(r'<p class="meta">(.*?)<br>', page)
    assert meta and meta.group(1).endswith(f"code {workshop.display_code}")
    text = html.unescape(re.sub(r"</?bdi>", "", meta.group(1)))
    # each <bdi> is closed by its own tag; the text inside it leaves nothing open either
    for part in re.findall(r"<bdi>(.*?)</bdi>", meta.group(1)):
        shown = html.unescape(part)
        assert open_direction(shown + "x", len(shown)) == []
    assert text.endswith(workshop.display_code)
    title = re.search(r"<title>(.*?)</title>", page)
    assert title
    shown = html.unescape(title.group(1))
    assert open_direction(shown, shown.index(": workshop summary")) == []


def _caption_after_join(at: AppTest) -> str:
    bodies = [h.value for h in at.get("html") if "wb-caption" in h.value]
    assert bodies, "no caption"
    return bodies[0]


def test_the_participant_caption_reads_the_join_code_in_order(
    app_db: Path, lessons: LessonSet
) -> None:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Spring day", cause="Housing")
    )
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    at.run()
    [code_box] = [t for t in at.text_input if t.label == "Workshop code"]
    code_box.input(workshop.display_code)
    [find] = [b for b in at.button if b.label == "Find workshop"]
    find.click()
    at.run()
    [group_box] = [t for t in at.text_input if t.label == "New group's name"]
    group_box.input(WALK_GROUP)
    [name_box] = [t for t in at.text_input if t.label == "Your name (optional)"]
    name_box.input(STRAY_POP)
    [join] = [b for b in at.button if b.label == "Join"]
    join.click()
    at.run()
    assert not at.exception
    assert at.query_params.get("t"), [e.value for e in at.error]
    body = _caption_after_join(at)
    assert "<img" not in body
    caption = html.unescape(re.search(r'<p class="wb-caption">(.*?)</p>', body, re.S).group(1))
    shown = re.sub(r"</?bdi>", "", caption)
    code_at = shown.index(f"code {workshop.display_code}")
    assert open_direction(shown, code_at) == [], repr(shown)
    assert open_direction(shown, shown.index(" · ")) == []
    assert WALK_GROUP in shown and STRAY_POP in shown
    # stored as typed
    [group] = store.groups(workshop.id)
    assert group.name == WALK_GROUP
