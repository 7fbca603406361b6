"""Lessons in several languages: parallel files with the same ids.

English is the original, at the lessons folder's root (lessons/*.md); a translation is a
folder named by its language's code (lessons/da/*.md) holding files of the same names, with
the same ids for the lesson, its prompts and rating statements, the same sources, the same
timer and exercise, and the same numbers in its text. `compare` lists every way a translation
departs from its original, by file and id; `load_in` gives the lessons of one language, an
English lesson standing in (and named in `untranslated`) for each one missing or broken.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from workbook.i18n import CODES, DEFAULT
from workbook.lessons import Lesson, LessonProblem, LessonSet, load_lessons

_DIGITS = re.compile(r"\d+")


def folder_of(root: Path, language: str) -> Path:
    """Where the lessons of `language` are: the root for English, root/<code> otherwise."""
    return root if language == DEFAULT else root / language


def translated_languages(root: Path) -> list[str]:
    """The languages other than English that have a folder under `root`."""
    return [code for code in CODES if code != DEFAULT and (root / code).is_dir()]


def _numbers(text: str) -> Counter[str]:
    """The runs of digits in a text (1,000 and 1.000 both read as 1 and 000)."""
    return Counter(_DIGITS.findall(text))


def _number_problem(file_name: str, where: str, original: str, translated: str) -> list[str]:
    mine, theirs = _numbers(translated), _numbers(original)
    if mine == theirs:
        return []
    missing = sorted((theirs - mine).elements())
    extra = sorted((mine - theirs).elements())
    parts = []
    if missing:
        parts.append(f"lacks the number(s) {', '.join(missing)}")
    if extra:
        parts.append(f"has the number(s) {', '.join(extra)} the original does not")
    return [f"{where}: {' and '.join(parts)}"]


def compare(original: Lesson, translation: Lesson) -> list[LessonProblem]:
    """Every way `translation` departs from `original` (empty: a faithful parallel file)."""
    name = translation.file_name
    found: list[tuple[str, str]] = []
    if translation.id != original.id:
        found.append(("id", f"is '{translation.id}'; the original's is '{original.id}'"))
    for label, mine, theirs in (
        ("prompts", translation.prompts, original.prompts),
        ("ratings", translation.ratings, original.ratings),
    ):
        my_ids = [item.id for item in mine]
        their_ids = [item.id for item in theirs]
        for missing in [i for i in their_ids if i not in my_ids]:
            found.append((f"{label}.{missing}", "is in the original but not translated"))
        for extra in [i for i in my_ids if i not in their_ids]:
            found.append((f"{label}.{extra}", "is not in the original (an id it lacks)"))
        if not set(my_ids) ^ set(their_ids) and my_ids != their_ids:
            found.append((label, "are in another order than the original's"))
    their_sources = {source.file for source in original.sources}
    my_sources = {source.file for source in translation.sources}
    for source in sorted(their_sources - my_sources):
        found.append(("sources", f"drops the source {source}"))
    for source in sorted(my_sources - their_sources):
        found.append(("sources", f"adds the source {source}, which the original lacks"))
    for what in ("order", "timer_minutes", "exercise", "key_finding"):
        if getattr(translation, what) != getattr(original, what):
            found.append((what, f"differs from the original's ({getattr(original, what)})"))
    texts: list[tuple[str, str, str]] = [
        ("title", original.title, translation.title),
        ("summary", original.summary, translation.summary),
        ("body", original.body, translation.body),
    ]
    for prompt in translation.prompts:
        source = original.prompt(prompt.id)
        if source is not None:
            theirs_text = f"{source.text} {source.help}"
            texts.append((f"prompts.{prompt.id}", theirs_text, f"{prompt.text} {prompt.help}"))
    for statement in translation.ratings:
        theirs = original.statement(statement.id)
        if theirs is not None:
            texts.append(
                (
                    f"ratings.{statement.id}",
                    f"{theirs.text} {theirs.low} {theirs.high}",
                    f"{statement.text} {statement.low} {statement.high}",
                )
            )
    for where, theirs_text, mine_text in texts:
        for message in _number_problem(name, where, theirs_text, mine_text):
            field, _, rest = message.partition(": ")
            found.append((field, rest))
    return [LessonProblem(name, field, message) for field, message in found]


def check_language(root: Path, language: str) -> tuple[LessonSet, list[LessonProblem]]:
    """The translated lessons that loaded, and every problem: broken files, files without an
    original, and departures from the original (`compare`)."""
    originals = load_lessons(root)
    translated = load_lessons(folder_of(root, language))
    problems = [
        LessonProblem(f"{language}/{p.file_name}", p.field, p.message) for p in translated.problems
    ]
    by_file = {lesson.file_name: lesson for lesson in originals.lessons}
    for lesson in translated.lessons:
        original = by_file.get(lesson.file_name)
        if original is None:
            problems.append(
                LessonProblem(f"{language}/{lesson.file_name}", "", "has no original of that name")
            )
            continue
        for problem in compare(original, lesson):
            problems.append(
                LessonProblem(f"{language}/{problem.file_name}", problem.field, problem.message)
            )
    return translated, problems


def load_in(root: Path, language: str) -> LessonSet:
    """The lessons in `language`, in the original's order: each translated file that is a
    faithful parallel of its original, else the English lesson (its id in `untranslated`).
    English, or a language without a folder, is the originals as they are."""
    originals = load_lessons(root)
    folder = folder_of(root, language)
    if language == DEFAULT or not folder.is_dir():
        return originals
    translated = load_lessons(folder)
    by_file = {lesson.file_name: lesson for lesson in translated.lessons}
    lessons: list[Lesson] = []
    untranslated: list[str] = []
    for original in originals.lessons:
        mine = by_file.get(original.file_name)
        if mine is not None and not compare(original, mine):
            lessons.append(mine)
        else:
            lessons.append(original)
            untranslated.append(original.id)
    return LessonSet(
        tuple(lessons),
        originals.problems,
        language=language,
        untranslated=tuple(untranslated),
    )
