"""The funder page in Streamlit's AppTest: nothing but a sign-in box without the key, a plain
refusal of a wrong key, keys from secrets.toml or the environment (plain or sha256), the page
on demo data, consent checked in everything rendered and every export, and K below 3."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from workbook import demo
from workbook.config import PROJECT_ROOT, get_settings
from workbook.lessons import LessonSet
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.store import Store
from workbook.ui import funder_access

APP = str(PROJECT_ROOT / "app.py")
KEY = "correct horse battery staple"
PRIVATE = "zebracrossing"


def funder_page(secrets: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if secrets:
        at.secrets.update(secrets)
    at.run()
    at.switch_page("pages/funders.py").run()
    assert not at.exception, at.exception
    return at


def sign_in(at: AppTest, key: str) -> AppTest:
    [box] = [t for t in at.text_input if t.label == "Funder key"]
    box.input(key)
    [button] = [b for b in at.button if b.label == "Open the funder view"]
    button.click()
    at.run()
    assert not at.exception, at.exception
    return at


def rendered(at: AppTest) -> str:
    """Everything on screen as text: every element's message, and every table's cells."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    parts.extend(frame.value.to_string() for frame in at.dataframe)
    return "\n".join(parts)


def shows_figures(at: AppTest) -> bool:
    return bool(at.metric or at.dataframe or at.get("plotly_chart") or at.tabs or at.selectbox)


@pytest.fixture
def funder_key(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", KEY)
    get_settings.cache_clear()
    yield KEY
    get_settings.cache_clear()


@pytest.fixture
def demo_db(app_db: Path, lessons: LessonSet) -> Path:
    filled = Store(app_db)
    try:
        filled.bulk_load(demo.generate(80, seed=11, lessons=lessons).tables)
    finally:
        filled.close()
    return app_db


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[bytes]:
    """The bytes of every CSV/XLSX the page offers (the files are built on click, so build
    them here the way Streamlit would)."""
    files: list[bytes] = []
    original = streamlit.download_button

    def recording(label: str, data: Any, *args: Any, **kwargs: Any) -> bool:
        built = data() if callable(data) else data
        files.append(built if isinstance(built, bytes) else str(built).encode())
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return files


# --- the key ------------------------------------------------------------------------------------


def test_keys_are_compared_as_sha256_digests() -> None:
    plain = funder_access.parse_key("  s3cret  ")
    assert funder_access.key_matches("s3cret", plain)
    assert not funder_access.key_matches("s3cret!", plain)
    hashed = funder_access.parse_key("sha256:" + hashlib.sha256(b"s3cret").hexdigest())
    assert funder_access.key_matches("s3cret", hashed)
    assert not funder_access.key_matches(hashlib.sha256(b"s3cret").hexdigest(), hashed)
    closed = funder_access.parse_key("")
    assert closed.digest is None and not funder_access.key_matches("", closed)
    broken = funder_access.parse_key("sha256:abc")
    assert broken.digest is None and "64 hex digits" in broken.problem


def test_without_a_funder_key_on_the_server_the_view_is_closed(app_db: Path) -> None:
    at = funder_page()
    assert any("funder view is closed" in i.value for i in at.info)
    assert not [t for t in at.text_input if t.label == "Funder key"]
    assert not shows_figures(at)


def test_without_the_key_the_page_shows_nothing_but_the_sign_in_box(
    demo_db: Path, funder_key: str
) -> None:
    at = funder_page()
    assert [t.label for t in at.text_input] == ["Funder key"]
    assert not shows_figures(at)
    assert not at.download_button
    assert "[demo]" not in rendered(at) and "Workshops" not in rendered(at)


def test_a_wrong_key_is_refused_in_a_plain_sentence(demo_db: Path, funder_key: str) -> None:
    at = sign_in(funder_page(), "correct horse battery")
    assert [e.value for e in at.error] == [
        "That key does not open the funder view. Check it with whoever runs this server."
    ]
    assert not shows_figures(at)


def test_a_sha256_key_in_the_environment_opens_with_the_key_itself(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = hashlib.sha256(KEY.encode()).hexdigest()
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", f"sha256:{digest}")
    get_settings.cache_clear()
    at = sign_in(funder_page(), digest)
    assert at.error and not shows_figures(at)  # the digest is not the key
    at = sign_in(funder_page(), KEY)
    assert not at.error and at.metric


def test_the_key_from_secrets_opens_the_page_on_demo_data(demo_db: Path) -> None:
    at = sign_in(funder_page(secrets={"funder_key": "from secrets.toml"}), "from secrets.toml")
    assert not at.error
    metrics = {m.label: m.value for m in at.metric}
    assert {"Workshops", "Groups", "Participants", "Answers"} <= metrics.keys()
    assert int(metrics["Groups"].replace(",", "")) >= 5
    assert [t.label for t in at.tabs] == [
        "Ratings",
        "Change since the first look",
        "Stakeholder maps",
        "What groups said",
    ]
    assert len(at.get("plotly_chart")) >= 4
    assert len(at.download_button) >= 8  # CSV and XLSX under every chart
    screen = rendered(at)
    # No workshop title, group name or person's name anywhere on the page.
    assert "[demo]" not in screen and "Demo person" not in screen and "Table 1" not in screen
    # Narrow the filters: small cells say so in words.
    at.selectbox(key="funders_cause").set_value(len(at.selectbox(key="funders_cause").options) - 2)
    at.selectbox(key="funders_region").set_value(0)
    at.selectbox(key="funders_year").set_value(0)
    at.run()
    assert not at.exception
    assert "fewer than 5 groups" in rendered(at)
    # Signing out closes it again.
    [button] = [b for b in at.button if b.label == "Sign out"]
    button.click()
    at.run()
    assert [t.label for t in at.text_input] == ["Funder key"] and not shows_figures(at)


def test_unconsented_words_never_reach_the_page_or_an_export(
    app_db: Path, funder_key: str, lessons: LessonSet, downloads: list[bytes]
) -> None:
    lesson = lessons.lessons[0]
    filled = Store(app_db)
    try:
        where, _ = filled.create_workshop(
            workshop=WorkshopCreate(title="Shared day", cause="Housing", shares_with_funders=True)
        )
        for index in range(7):
            for consent, words in (
                (True, f"we want long term allies beyond one grant, group {index} agreed"),
                (False, f"{PRIVATE} {PRIVATE} is what we really think, honestly {index}"),
            ):
                seat, _ = filled.join(
                    workshop_id=where.id,
                    request=JoinRequest(group_name=f"Crew {index}", quote_consent=consent),
                )
                filled.save_answers(
                    seat=seat,
                    lesson_id=lesson.id,
                    round=1,
                    reflections=[
                        ReflectionIn(
                            lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text=words
                        )
                    ],
                )
    finally:
        filled.close()
    at = sign_in(funder_page(), KEY)
    screen = rendered(at)
    assert "long term allies beyond one grant" in screen  # consented words show, as a quote
    assert "allies beyond" in at.dataframe[-1].value.to_string()  # ...and as a phrase
    assert PRIVATE not in screen
    assert "Crew" not in screen  # group names are blanked from quotes
    assert downloads, "the page offered no downloads"
    assert any(b"allies beyond" in data for data in downloads if not data.startswith(b"PK"))
    for data in downloads:
        assert PRIVATE.encode() not in data
        if data.startswith(b"PK"):  # XLSX: a zip; its sheets are compressed, so open it
            assert PRIVATE not in xlsx_text(data)


def xlsx_text(data: bytes) -> str:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return "\n".join(
        str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
    )


def test_k_below_three_is_refused_with_a_plain_sentence(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_MIN_GROUP_SIZE", "2")
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", KEY)
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert any("WORKBOOK_MIN_GROUP_SIZE" in e.value for e in at.error)
    assert not shows_figures(at)
    assert not [t for t in at.text_input if t.label == "Funder key"]
