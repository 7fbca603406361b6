"""Languages without a browser: the catalogs (complete, compiled, matching the source), Babel's
formatting per language, the workshop's language in the store, and lessons in parallel files
checked against their originals by `python -m workbook.lessons check`."""

from __future__ import annotations

import ast
import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from workbook import i18n
from workbook.answers import PreparedAnswers
from workbook.config import PROJECT_ROOT
from workbook.lesson_languages import check_language, load_in
from workbook.lessons import main as lessons_main
from workbook.models import WorkshopCreate
from workbook.store import Store

LOCALE = PROJECT_ROOT / "workbook" / "locale"
# Interface strings allowed to stay in English in a language for now, by language. Empty: the
# Danish catalog translates every string; a new string without Danish fails the test below
# until it is translated or listed here.
PENDING: dict[str, set[str]] = {"da": set()}


def _catalog(code: str):
    with (LOCALE / code / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=code)


def _template():
    with (LOCALE / "messages.pot").open("rb") as file:
        return read_po(file)


def test_each_language_has_its_own_name_and_an_unknown_code_is_english() -> None:
    assert [(lang.code, lang.name) for lang in i18n.LANGUAGES] == [
        ("en", "English"),
        ("da", "Dansk"),
    ]
    assert i18n.supported("da") == "da"
    assert i18n.supported("xx") == i18n.supported(None) == "en"
    assert i18n.name_of("da") == "Dansk"


def test_the_danish_catalog_loads_once_and_english_is_the_source() -> None:
    danish = i18n.translations("da")
    assert type(danish).__name__ == "GNUTranslations"
    assert danish is i18n.translations("da")  # read once per process
    assert danish.gettext("Save answers") == "Gem svar"
    assert danish.ngettext("{n} answer", "{n} answers", 3) == "{n} svar"
    assert i18n.gettext_for("en")("Save answers") == "Save answers"
    assert i18n.gettext_for("xx")("Save answers") == "Save answers"


def test_the_template_holds_every_string_the_source_marks() -> None:
    """pybabel extract (babel.cfg) finds exactly the template's strings: a string wrapped in
    _() since the last extract fails here until `pybabel extract` and `update` are run."""
    found = {
        message[2] if isinstance(message[2], str) else message[2][0]
        for folder, pattern in ((PROJECT_ROOT / "workbook", "**.py"), (PROJECT_ROOT, "app.py"))
        for message in extract_from_dir(str(folder), [(pattern, "python")])
    }
    template = {m.id if isinstance(m.id, str) else m.id[0] for m in _template() if m.id}
    assert found - template == set(), "run pybabel extract (README, Languages)"
    assert template - found == set(), "run pybabel extract (README, Languages)"


@pytest.mark.parametrize("code", [c for c in i18n.CODES if c != i18n.DEFAULT])
def test_every_template_string_is_translated_or_listed_as_pending(code: str) -> None:
    catalog = _catalog(code)
    untranslated = []
    for message in _template():
        if not message.id:
            continue
        translated = catalog.get(message.id)
        strings = [] if translated is None else translated.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if not strings or not all(strings) or (translated and translated.fuzzy):
            untranslated.append(message.id if isinstance(message.id, str) else message.id[0])
    assert set(untranslated) - PENDING[code] == set()


@pytest.mark.parametrize("code", [c for c in i18n.CODES if c != i18n.DEFAULT])
def test_translations_keep_every_placeholder(code: str) -> None:
    """{n}, {title}, <b> ...: a translation that lost or renamed one would fail at .format()
    or show markup as text."""
    for message in _catalog(code):
        if not message.id or not message.string:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = sorted(re.findall(r"\{\w+\}|</?b>", ids[-1]))
        for string in strings:
            assert sorted(re.findall(r"\{\w+\}|</?b>", string)) == wanted, message.id


@pytest.mark.parametrize("code", [c for c in i18n.CODES if c != i18n.DEFAULT])
def test_the_committed_mo_is_compiled_from_the_po(code: str) -> None:
    """The app reads the .mo; a .po changed without `pybabel compile` fails here."""
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(code))
    assert i18n.mo_path(code).read_bytes() == compiled.getvalue(), (
        "run: pybabel compile -d workbook/locale -D messages"
    )


def test_dates_and_numbers_are_written_as_each_language_writes_them() -> None:
    day = dt.date(2026, 12, 4)
    assert i18n.format_date(day, "en") == "Dec 4, 2026"
    assert i18n.format_date(day, "da") == "4. dec. 2026"
    assert i18n.format_decimal(1234.5, "en") == "1,234.5"
    assert i18n.format_decimal(1234.5, "da") == "1.234,5"
    assert i18n.format_decimal(3, "da") == "3,0"
    assert i18n.format_decimal(2000, "da", digits=0) == "2.000"
    assert i18n.format_percent(0.42, "en") == "42%"
    assert i18n.format_percent(0.42, "da") == "42\xa0%"


def test_a_save_is_confirmed_in_the_language_asked_for() -> None:
    prepared = PreparedAnswers(reflections=[object(), object()], ratings=[object()])  # type: ignore[list-item]
    assert prepared.confirmation() == "Saved 2 answers and 1 rating."
    assert prepared.confirmation(i18n.translations("da")) == "Gemt: 2 svar og 1 vurdering."
    trimmed = PreparedAnswers(reflections=[object()], trimmed_prompts=["p1"])  # type: ignore[list-item]
    assert trimmed.confirmation(i18n.translations("da")) == (
        "Gemt: 1 svar. Mellemrum, tabulatorer eller tomme linjer i starten af 1 svar blev fjernet."
    )


# --- the workshop's language in the store -----------------------------------------------------


def test_a_workshop_speaks_english_until_its_language_is_set_and_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "workbook.duckdb"
    store = Store(path)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Dag", cause="Bolig"))
    other, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    assert store.workshop_language(workshop.id) == "en"
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    assert store.workshop_language(workshop.id) == "da"
    assert store.workshop_language(other.id) == "en"
    with pytest.raises(ValueError, match="unknown language"):
        store.set_workshop_language(workshop_id=workshop.id, language="xx")
    store.close()
    reopened = Store(path)  # read from the file, not the first store's memory
    assert reopened.workshop_language(workshop.id) == "da"
    reopened.set_workshop_language(workshop_id=workshop.id, language="en")
    assert reopened.workshop_language(workshop.id) == "en"
    reopened.close()


# --- lessons in parallel files ---------------------------------------------------------------


@pytest.fixture
def lesson_copy(tmp_path: Path) -> Path:
    """The repo's lessons, English and Danish, copied to be broken on purpose."""
    folder = tmp_path / "lessons"
    shutil.copytree(PROJECT_ROOT / "lessons", folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _check(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = lessons_main(["check", str(folder)])
    return code, capsys.readouterr().err


def test_the_shipped_translations_match_their_originals(capsys: pytest.CaptureFixture[str]) -> None:
    code, errors = _check(PROJECT_ROOT / "lessons", capsys)
    assert (code, errors) == (0, "")
    translated, problems = check_language(PROJECT_ROOT / "lessons", "da")
    assert problems == [] and len(translated) == 9


def test_a_missing_prompt_fails_the_check_by_file_and_id(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        lesson_copy / "da" / "90-action-plan.md",
        "  - id: progress-sign\n"
        "    text: Når vi vender tilbage til det her om nogle uger, hvad ville så vise os, at vi "
        "er kommet videre?\n"
        "    help: Nævn noget, I kan se eller tælle, ikke kun en følelse.\n",
        "",
    )
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert (
        "da/90-action-plan.md: prompts.progress-sign: is in the original but not translated"
        in errors
    )


def test_an_id_the_original_lacks_fails_the_check(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(lesson_copy / "da" / "10-learning-from-other-movements.md", "id: hopes", "id: wishes")
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert (
        "da/10-learning-from-other-movements.md: prompts.wishes: is not in the original" in errors
    )
    assert "da/10-learning-from-other-movements.md: prompts.hopes: is in the original" in errors


def test_a_dropped_statement_fails_the_check(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = lesson_copy / "da" / "90-action-plan.md"
    text = path.read_text(encoding="utf-8")
    start = text.index("ratings:\n")
    path.write_text(text[:start] + text[text.index("exercise:") :], encoding="utf-8")
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert "da/90-action-plan.md: ratings.confidence-to-act: is in the original" in errors


def test_a_dropped_source_fails_the_check(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        lesson_copy / "da" / "90-action-plan.md",
        "  - file: 001_cc4992ae29a4c5bc.txt\n"
        '    title: "Hvordan bygger vi en bevægelse? Erfaringer fra to patientsikkerhedskampagner'
        ' (på engelsk: How do we build a movement?)"\n',
        "",
    )
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert "da/90-action-plan.md: sources: drops the source 001_cc4992ae29a4c5bc.txt" in errors


def test_a_number_that_differs_from_the_original_fails_the_check(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(lesson_copy / "da" / "30-early-actions.md", "520 nye medlemmer", "250 nye medlemmer")
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert "da/30-early-actions.md: body: lacks the number(s) 520" in errors
    assert "has the number(s) 250 the original does not" in errors


def test_a_number_in_a_statement_is_checked_under_its_id(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(
        lesson_copy / "da" / "10-learning-from-other-movements.md",
        "Vi tager os tid til at tilpasse",
        "Vi tager os 2 timer til at tilpasse",
    )
    code, errors = _check(lesson_copy, capsys)
    assert code == 1
    assert "ratings.adapt-to-context: has the number(s) 2 the original does not" in errors


def test_a_lesson_missing_in_a_language_is_shown_in_english_with_a_note(
    lesson_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (lesson_copy / "da" / "40-diverse-voices.md").unlink()
    _edit(lesson_copy / "da" / "30-early-actions.md", "520 nye", "52 nye")  # unfaithful
    danish = load_in(lesson_copy, "da")
    assert [lesson.id for lesson in danish.lessons] == [
        lesson.id for lesson in load_in(lesson_copy, "en").lessons
    ]
    assert set(danish.untranslated) == {"diverse-voices", "early-actions"}
    assert danish.by_id("diverse-voices").title == "Diverse voices"  # type: ignore[union-attr]
    assert danish.by_id("right-people").title.startswith("De rette")  # type: ignore[union-attr]
    # A missing translation is no error of the check: the English lesson stands in.
    code, errors = _check(lesson_copy, capsys)
    assert "40-diverse-voices" not in errors and "30-early-actions.md: body" in errors
    assert code == 1


def _modules() -> list[tuple[str, ast.Module]]:
    paths = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "workbook").rglob("*.py"))]
    return [
        (str(p.relative_to(PROJECT_ROOT)), ast.parse(p.read_text(encoding="utf-8"))) for p in paths
    ]


def test_no_language_is_ever_process_wide() -> None:
    """One translator per session: no module binds `_` at its top level (import, assignment)
    and nothing installs gettext into builtins; screens bind `_ = translator()` locally."""
    found = []
    for path, tree in _modules():
        for node in tree.body:
            targets = []
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                targets = [ast.Name(alias.asname or alias.name) for alias in node.names]
            found += [path for t in targets if isinstance(t, ast.Name) and t.id == "_"]
        for node in ast.walk(tree):
            installs = isinstance(node, ast.Attribute) and node.attr == "install"
            if installs and isinstance(node.value, ast.Name) and node.value.id == "gettext":
                found.append(path)
    assert found == []


def test_every_translated_call_is_one_pybabel_can_see() -> None:
    """pybabel extracts `_("...")`, never `translator()("...")` nor text inside an f-string's
    braces: such a string would silently stay in English."""
    found = []
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Call):
                inner = node.func.func
                name = inner.attr if isinstance(inner, ast.Attribute) else getattr(inner, "id", "")
                if name == "translator" and node.args and isinstance(node.args[0], ast.Constant):
                    found.append((path, node.lineno))
            if isinstance(node, ast.JoinedStr):
                for value in ast.walk(node):
                    if (
                        isinstance(value, ast.Call)
                        and getattr(value.func, "id", getattr(value.func, "attr", ""))
                        in {"_", "gettext"}
                        and value.args
                        and isinstance(value.args[0], ast.Constant)
                    ):
                        found.append((path, value.lineno))
    assert found == []
