"""Settings are read when first used; a wrong one is one plain sentence on every page and from
every command, and the server still starts. Each test sets its own environment and empties the
settings cache before and after, so none depends on the order tests run in."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import ValidationError
from streamlit.testing.v1 import AppTest

from harness import room_client as load_room
from harness.room_client import run_async
from harness.server import Server
from workbook.config import PROJECT_ROOT, Settings, get_settings, setting_problems

APP = str(PROJECT_ROOT / "app.py")

# (variable, value, the sentence a person reads)
WRONG = [
    ("WORKBOOK_MIN_GROUP_SIZE", "2", "WORKBOOK_MIN_GROUP_SIZE is 2; it must be from 3 to 1000."),
    (
        "WORKBOOK_PARTICIPANT_POLL_SECONDS",
        "0",
        "WORKBOOK_PARTICIPANT_POLL_SECONDS is 0; it must be from 1 to 3600.",
    ),
    (
        "WORKBOOK_CONCURRENT_RUNS",
        "abc",
        "WORKBOOK_CONCURRENT_RUNS is abc; it must be a whole number from 1 to 256.",
    ),
    (
        "WORKBOOK_RELEASE_RHO",
        "-1",
        "WORKBOOK_RELEASE_RHO is -1; it must be more than 0 and at most 10.",
    ),
]
IDS = [variable for variable, _, _ in WRONG]


@pytest.fixture
def clean_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """No WORKBOOK_ setting but those a test sets, and no settings cached from another test,
    before or after."""
    for name in list(os.environ):
        if name.startswith("WORKBOOK_") and name != "WORKBOOK_DB":
            monkeypatch.delenv(name)
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def problems_with(monkeypatch: pytest.MonkeyPatch, **values: str) -> list[str]:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    with pytest.raises(ValidationError) as caught:
        get_settings()
    return setting_problems(caught.value)


@pytest.mark.parametrize(("variable", "value", "sentence"), WRONG, ids=IDS)
def test_a_wrong_setting_is_one_sentence_naming_it_its_value_and_what_is_allowed(
    clean_settings: pytest.MonkeyPatch, variable: str, value: str, sentence: str
) -> None:
    assert problems_with(clean_settings, **{variable: value}) == [sentence]


@pytest.mark.parametrize(
    ("variable", "value", "sentence"),
    [
        (
            "WORKBOOK_RELEASE_RHO",
            "",
            "WORKBOOK_RELEASE_RHO is empty; it must be a number more than 0 and at most 10.",
        ),
        (
            "WORKBOOK_PRIVACY_LIFETIME_RHO",
            "nan",
            "WORKBOOK_PRIVACY_LIFETIME_RHO is nan; it must be more than 0 and at most 50.",
        ),
        (
            "WORKBOOK_CONCURRENT_RUNS",
            "2.5",
            "WORKBOOK_CONCURRENT_RUNS is 2.5; it must be a whole number from 1 to 256.",
        ),
        (
            "WORKBOOK_MIN_GROUP_SIZE",
            "9" * 5000,
            f"WORKBOOK_MIN_GROUP_SIZE is {'9' * 60}… (5,000 characters); it must be a whole "
            "number from 3 to 1000.",
        ),
        (
            "WORKBOOK_CONCURRENT_RUNS",
            "4\x1b[2J\n",
            "WORKBOOK_CONCURRENT_RUNS is 4\\x1b[2J\\n; it must be a whole number from 1 to 256.",
        ),
    ],
    ids=["empty", "nan", "fraction", "5000 digits", "control characters"],
)
def test_odd_values_are_shown_as_given_and_never_too_long(
    clean_settings: pytest.MonkeyPatch, variable: str, value: str, sentence: str
) -> None:
    assert problems_with(clean_settings, **{variable: value}) == [sentence]


@pytest.mark.parametrize(
    ("values", "sentence"),
    [
        (
            {"WORKBOOK_PUBLIC_URL": "javascript:alert(1)"},
            "WORKBOOK_PUBLIC_URL is javascript:alert(1); it must be an http:// or https:// "
            "address with a host name, like https://workbook.example.org.",
        ),
        (
            {"WORKBOOK_PUBLIC_URL": "https://"},
            "WORKBOOK_PUBLIC_URL is https://; it must be an http:// or https:// address with a "
            "host name, like https://workbook.example.org.",
        ),
        (
            {"WORKBOOK_PUBLIC_URL": "workbook.example.org"},
            "WORKBOOK_PUBLIC_URL is workbook.example.org; it must be an http:// or https:// "
            "address with a host name, like https://workbook.example.org.",
        ),
        (
            {"WORKBOOK_RELEASE_RHO": "2", "WORKBOOK_PRIVACY_LIFETIME_RHO": "1"},
            "WORKBOOK_RELEASE_RHO is 2; it must be at most WORKBOOK_PRIVACY_LIFETIME_RHO (1), "
            "the most one group may spend over all releases.",
        ),
        (
            {"WORKBOOK_PRIVACY_LIFETIME_RHO": "0.25"},  # below the default release rho 0.5
            "WORKBOOK_RELEASE_RHO is 0.5; it must be at most WORKBOOK_PRIVACY_LIFETIME_RHO "
            "(0.25), the most one group may spend over all releases.",
        ),
        (
            {"WORKBOOK_MIN_GROUP_SIZE": "99999999999999999999999"},
            "WORKBOOK_MIN_GROUP_SIZE is 99999999999999999999999; it must be from 3 to 1000.",
        ),
    ],
    ids=[
        "javascript url",
        "no host",
        "no scheme",
        "release over lifetime",
        "lifetime under default release",
        "huge K",
    ],
)
def test_settings_that_cannot_work_together_or_at_all_are_refused(
    clean_settings: pytest.MonkeyPatch, values: dict[str, str], sentence: str
) -> None:
    assert problems_with(clean_settings, **values) == [sentence]


def test_right_web_addresses_and_rho_within_the_lifetime_are_accepted(
    clean_settings: pytest.MonkeyPatch,
) -> None:
    for url in ("https://workbook.example.org", "http://192.168.1.20:8501/", ""):
        clean_settings.setenv("WORKBOOK_PUBLIC_URL", url)
        clean_settings.setenv("WORKBOOK_RELEASE_RHO", "1")
        clean_settings.setenv("WORKBOOK_PRIVACY_LIFETIME_RHO", "1")
        get_settings.cache_clear()
        assert get_settings().public_url == url
        assert get_settings().release_rho == 1


def test_a_database_in_a_missing_folder_is_refused_and_no_folder_is_made(
    clean_settings: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    missing = tmp_path / "nonexistent" / "dir"
    assert problems_with(clean_settings, WORKBOOK_DB=str(missing / "x.duckdb")) == [
        f"The folder {missing} does not exist; create it or set WORKBOOK_DB to a file in a "
        "folder that does."
    ]
    assert not missing.parent.exists()
    clean_settings.setenv("WORKBOOK_DB", str(tmp_path / "x.duckdb"))  # a folder that exists
    get_settings.cache_clear()
    assert Path(get_settings().db) == tmp_path / "x.duckdb"


def test_the_release_command_refuses_a_release_rho_over_the_lifetime_in_one_sentence(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    done = subprocess.run(
        [sys.executable, "-m", "workbook.release", "make"],
        cwd=PROJECT_ROOT,
        env={
            **env,
            "WORKBOOK_DB": str(tmp_path / "x.duckdb"),
            "WORKBOOK_RELEASE_RHO": "2",
            "WORKBOOK_PRIVACY_LIFETIME_RHO": "1",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "WORKBOOK_RELEASE_RHO is 2; it must be at most WORKBOOK_PRIVACY_LIFETIME_RHO (1), the "
        "most one group may spend over all releases."
    ]
    assert not (tmp_path / "x.duckdb").exists()


def test_several_wrong_settings_give_one_sentence_each(
    clean_settings: pytest.MonkeyPatch,
) -> None:
    found = problems_with(clean_settings, **{variable: value for variable, value, _ in WRONG})
    assert sorted(found) == sorted(sentence for _, _, sentence in WRONG)


def test_every_bounded_setting_says_what_is_allowed() -> None:
    for name, field in Settings.model_fields.items():
        if field.metadata:  # a bounded number: the sentence must say its bounds
            with pytest.raises(ValidationError) as caught:
                Settings(**{name: "x"})
            [sentence] = setting_problems(caught.value)
            assert sentence.startswith(f"WORKBOOK_{name.upper()} is x; it must be a ")
            assert any(word in sentence for word in ("from", "at least", "more than"))


# --- nothing reads settings on import -------------------------------------------------------

IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys
import workbook
names = [m.name for m in pkgutil.walk_packages(workbook.__path__, "workbook.")
         if not m.name.endswith("__main__")]
for name in names:
    importlib.import_module(name)
print(len(names), "modules imported")
"""


def bad_environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WORKBOOK_")}
    return {**env, "WORKBOOK_DB": str(tmp_path / "x.duckdb"), **{v: x for v, x, _ in WRONG}}


def test_no_module_reads_the_settings_when_imported(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE],
        cwd=PROJECT_ROOT,
        env=bad_environment(tmp_path),
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "modules imported" in done.stdout


# --- every command --------------------------------------------------------------------------

COMMANDS = {
    "lessons": ["workbook.lessons", "check"],
    "backup": ["workbook.backup", "list"],
    "demo": ["workbook.demo", "--workshops", "1"],
    "release": ["workbook.release", "list"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_with_a_wrong_setting_says_so_in_one_sentence(
    tmp_path: Path, command: str
) -> None:
    args = COMMANDS[command]
    if command == "demo":
        args = [*args, "--db", str(tmp_path / "demo.duckdb")]
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=PROJECT_ROOT,
        env={**bad_environment(tmp_path), "WORKBOOK_CONCURRENT_RUNS": "4"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert sorted(done.stderr.splitlines()) == sorted(
        sentence for variable, _, sentence in WRONG if variable != "WORKBOOK_CONCURRENT_RUNS"
    )
    assert done.stdout == ""
    assert not (tmp_path / "demo.duckdb").exists()  # nothing written before the refusal
    assert not (tmp_path / "x.duckdb").exists()


# --- every page, in AppTest -----------------------------------------------------------------

PAGES = [
    "pages/start.py",
    "pages/facilitator.py",
    "pages/projector.py",
    "pages/funders.py",
    "pages/workbook.py",
]


def shown(markdown: str) -> str:
    """What a person reads of an alert with a value in a code span (values without `)."""
    return markdown.replace("`", "")


@pytest.mark.parametrize(("variable", "value", "sentence"), WRONG, ids=IDS)
def test_every_page_shows_the_sentence_and_nothing_else(
    app_db: Path, clean_settings: pytest.MonkeyPatch, variable: str, value: str, sentence: str
) -> None:
    clean_settings.setenv(variable, value)
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, page
        [error] = at.error
        assert sentence in shown(error.value), page
        assert f"is `{value}`;" in error.value  # the value as given, never read as Markdown
        assert not at.text_input and not at.button and not at.tabs, page
    assert not app_db.exists()  # the page stopped before opening anything


def test_a_value_with_markup_is_shown_as_typed(
    app_db: Path, clean_settings: pytest.MonkeyPatch
) -> None:
    value = "<img src=x> **b** `c` :smile: $x^2$ [l](http://x)"
    clean_settings.setenv("WORKBOOK_CONCURRENT_RUNS", value)
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    [error] = at.error
    # In a code span whose fence is longer than any backtick run inside: shown character for
    # character, no image, bold, emoji, formula or link.
    assert f"WORKBOOK_CONCURRENT_RUNS is ``{value}``; it must be a whole number" in error.value


# --- a real server --------------------------------------------------------------------------


def test_the_server_starts_and_every_page_shows_the_sentence(tmp_path: Path) -> None:
    server = Server(
        tmp_path / "workbook.duckdb",
        env={variable: value for variable, value, _ in WRONG},
    )
    try:

        async def visit(page: str) -> tuple[list[str], list[str], list[str]]:
            tab = load_room.Tab(server.url, page=page)
            await tab.open()
            try:
                return tab.alerts(), tab.exceptions, tab.texts()
            finally:
                await tab.close()

        for page in ("", "facilitator", "projector", "funders"):
            alerts, exceptions, texts = run_async(visit(page))
            assert not exceptions, page
            [alert] = alerts
            for _, _, sentence in WRONG:
                assert sentence in shown(alert), page
            assert not any("Traceback" in text for text in texts)
        assert server.process.poll() is None, "the server must keep running"
        assert "Traceback" not in server.log()
    finally:
        server.stop()
    assert not (tmp_path / "workbook.duckdb").exists()
