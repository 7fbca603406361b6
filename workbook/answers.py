"""Turning what a group typed into a lesson's form into answers to save, or plain messages."""

from __future__ import annotations

import gettext
from collections.abc import Mapping
from dataclasses import dataclass, field

from pydantic import ValidationError

from workbook.i18n import DEFAULT
from workbook.lessons import Lesson
from workbook.models import RatingIn, ReflectionIn, plain_errors
from workbook.records import SavedAnswers


@dataclass(frozen=True)
class PreparedAnswers:
    reflections: list[ReflectionIn] = field(default_factory=list)
    cleared_prompts: list[str] = field(default_factory=list)
    ratings: list[RatingIn] = field(default_factory=list)
    cleared_statements: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)
    # Boxes that held only spaces or blank lines: no answer, and the person is told so.
    blank_prompts: list[str] = field(default_factory=list)
    # Answers saved without the spaces, tabs or blank lines they began with: the person is
    # told, as the box still shows them. (The end's, which nobody sees, go without a word.)
    trimmed_prompts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def changes(self) -> int:
        return (
            len(self.reflections)
            + len(self.cleared_prompts)
            + len(self.ratings)
            + len(self.cleared_statements)
        )

    def applied_to(self, saved: SavedAnswers) -> SavedAnswers:
        """What is stored once these answers are saved over `saved`: the form can be drawn
        again from this without reading it back."""
        cleared = set(self.cleared_prompts)
        reflections = {k: v for k, v in saved.reflections.items() if k not in cleared}
        reflections.update((r.prompt_id, r.text) for r in self.reflections)
        cleared = set(self.cleared_statements)
        ratings = {k: v for k, v in saved.ratings.items() if k not in cleared}
        ratings.update((r.statement_id, r.value) for r in self.ratings)
        return SavedAnswers(reflections, ratings)

    def confirmation(self, t: gettext.NullTranslations | None = None) -> str:
        """ "Saved 2 answers and 1 rating.", in the language of `t` (English without)."""
        t = t or gettext.NullTranslations()
        parts = []
        if self.reflections:
            n = len(self.reflections)
            parts.append(t.ngettext("{n} answer", "{n} answers", n).format(n=n))
        if self.ratings:
            n = len(self.ratings)
            parts.append(t.ngettext("{n} rating", "{n} ratings", n).format(n=n))
        if len(parts) == 2:
            saved = t.gettext("{first} and {second}").format(first=parts[0], second=parts[1])
        else:
            saved = parts[0] if parts else t.gettext("nothing new")
        removed = len(self.cleared_prompts) + len(self.cleared_statements)
        if removed:
            cleared = t.ngettext("{n} cleared answer", "{n} cleared answers", removed)
            said = t.gettext("Saved {saved}; removed {removed}.").format(
                saved=saved, removed=cleared.format(n=removed)
            )
        else:
            said = t.gettext("Saved {saved}.").format(saved=saved)
        if self.trimmed_prompts:
            n = len(self.trimmed_prompts)
            trimmed = t.ngettext(
                "The spaces, tabs or blank lines at the start of {n} answer were taken off.",
                "The spaces, tabs or blank lines at the start of {n} answers were taken off.",
                n,
            )
            said = f"{said} {trimmed.format(n=n)}"
        return said


def prepare_answers(
    *,
    lesson: Lesson,
    texts: Mapping[str, str | None],
    ratings: Mapping[str, int | None],
    saved: SavedAnswers,
    language: str = DEFAULT,
) -> PreparedAnswers:
    """Validate a lesson form. Empty boxes are not answers: one that held a saved answer
    before is a removal, and one holding only spaces or blank lines is listed in
    `blank_prompts` so the form can say so. Unchanged answers are skipped so a resubmit
    writes nothing. Spaces, tabs and blank lines around an answer are taken off (never
    inside it); a saved answer that began with some is listed in `trimmed_prompts`.
    Problems are said in `language`, the session's."""
    prepared = PreparedAnswers()
    for prompt in lesson.prompts:
        typed = texts.get(prompt.id) or ""
        text = typed.strip()
        if not text:
            if typed:
                prepared.blank_prompts.append(prompt.id)
            if prompt.id in saved.reflections:
                prepared.cleared_prompts.append(prompt.id)
            continue
        try:
            reflection = ReflectionIn(lesson_id=lesson.id, prompt_id=prompt.id, text=text)
        except ValidationError as error:
            prepared.errors[prompt.id] = plain_errors(error, ReflectionIn, language)
            continue
        if saved.reflections.get(prompt.id) != reflection.text:
            prepared.reflections.append(reflection)
            if typed[:1].isspace():
                prepared.trimmed_prompts.append(prompt.id)
    for statement in lesson.ratings:
        value = ratings.get(statement.id)
        if value is None:
            if statement.id in saved.ratings:
                prepared.cleared_statements.append(statement.id)
            continue
        try:
            rating = RatingIn(
                lesson_id=lesson.id,
                statement_id=statement.id,
                key_finding=lesson.finding_of(statement),
                value=value,
            )
        except ValidationError as error:
            prepared.errors[statement.id] = plain_errors(error, RatingIn, language)
            continue
        if saved.ratings.get(statement.id) != rating.value:
            prepared.ratings.append(rating)
    return prepared
