"""The README is tested like code: every setting, lesson file and page is described in it."""

from __future__ import annotations

import re

from workbook.config import PROJECT_ROOT, Settings
from workbook.lessons import LessonSet

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented() -> None:
    prefix = Settings.model_config["env_prefix"]
    for name in Settings.model_fields:
        assert f"`{prefix}{name.upper()}`" in README, f"{prefix}{name.upper()} not in README"


def test_every_lesson_file_is_listed(lessons: LessonSet) -> None:
    for lesson in lessons.lessons:
        assert f"`{lesson.file_name}`" in README, f"{lesson.file_name} not in README"
        assert lesson.title in README


def test_every_page_is_described() -> None:
    app = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    # A title is written as is or translated by navigation.title("...") (the README names the
    # pages in English).
    titles = re.findall(
        r'st\.Page\(\s*"pages/[a-z_]+\.py",\s*title=(?:navigation\.title\()?"([^"]+)"', app
    )
    assert len(titles) == len(list((PROJECT_ROOT / "pages").glob("*.py")))
    for title in titles:
        assert f"**{title}**" in README, f"page {title!r} is not described in the README"


def test_the_two_commands_are_the_ones_ci_runs() -> None:
    ci = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "bash scripts/test.sh" in ci
    assert "bash scripts/test.sh" in README and "bash scripts/run_app.sh" in README
