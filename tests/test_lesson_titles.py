"""Lesson titles are plain text everywhere: where Streamlit reads Markdown (the page title,
the progress line, the console's "Room is on ...", the results' expanders) the title goes
through workbook/ui/author_text.literal; elsewhere (the sidebar's list, the projector) it was
already shown as text. A lesson file with a title full of Markdown, in a tmp lessons folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import jump_box
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import load_lessons
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.ui.author_text import literal
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
TITLE = "**T** :red[x] $x$ :material/home: [l](http://e.x) <b>b</b> ~~s~~ www.e.x"
LESSON_FILE = "10-learning-from-other-movements.md"


def test_plain_titles_pass_unchanged_and_markdown_is_escaped() -> None:
    for lesson in load_lessons(PROJECT_ROOT / "lessons").lessons:
        assert literal(lesson.title) == lesson.title
    shown = literal(TITLE)
    for syntax in ("**", "[x]", "$x$", ":material/home:", "[l](", "<b>", "~~", "http://", "www."):
        assert syntax not in shown, syntax
    assert literal("1. First") == "1\\. First" and literal("- item") == "\\- item"
    assert literal("# Heading") == "\\# Heading"
    # Only escapes and invisible word joiners were added: the reader sees the title.
    assert shown.replace("\u2060", "").replace("\\", "") == TITLE.replace("\\", "")


@pytest.fixture
def markdown_title(app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", folder)
    path = folder / LESSON_FILE
    text = path.read_text(encoding="utf-8")
    quoted = TITLE.replace('"', '\\"')
    path.write_text(
        text.replace("title: Learning from other movements", f'title: "{quoted}"', 1),
        encoding="utf-8",
    )
    assert load_lessons(folder).lessons[0].title == TITLE
    monkeypatch.setenv("WORKBOOK_LESSONS_DIR", str(folder))
    get_settings.cache_clear()
    return app_db


def test_a_lesson_title_is_shown_as_written_on_every_page(markdown_title: Path) -> None:
    store = _open_store(str(markdown_title))
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    seat, token = store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Table 1"))
    lesson = load_lessons(Path(str(get_settings().lessons_dir))).lessons[0]
    store.save_answers(
        seat=seat,
        lesson_id=lesson.id,
        round=1,
        reflections=[ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text="A")],
    )
    total = len(load_lessons(Path(str(get_settings().lessons_dir))))

    phone = AppTest.from_file(APP, default_timeout=30)
    phone.query_params.update({"w": workshop.join_code, "t": token})
    phone.run()
    assert not phone.exception, phone.exception
    assert phone.title[0].value == literal(TITLE)
    assert phone.get("progress")[0].proto.text == f"Step 1 of {total}: {literal(TITLE)}"
    jump = jump_box(phone)
    assert jump.options[0] == f"1. {TITLE}"  # a selectbox shows its options as text

    phone.switch_page("pages/results.py").run()
    assert not phone.exception, phone.exception
    assert f"{literal(TITLE)} (1)" in [e.label for e in phone.expander]
    assert any(m.value.startswith(f"**{literal(TITLE)}**:") for m in phone.markdown)

    console = AppTest.from_file(APP, default_timeout=30).run()
    console.switch_page("pages/facilitator.py").run()
    console.text_input(key="facilitator_code").input(workshop.join_code)
    console.text_input(key="facilitator_key").input(key)
    next(b for b in console.button if b.label == "Sign in").click()
    console.run()
    assert not console.exception, console.exception
    assert f"**Room is on Step 1 of {total}: {literal(TITLE)}**" in [
        m.value for m in console.markdown
    ]
