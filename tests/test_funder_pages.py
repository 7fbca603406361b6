"""The funder page in Streamlit's AppTest, on a real DuckDB file with real releases made by
`make_release` (OpenDP noise): nothing but a sign-in box without the key, a plain refusal of a
wrong key, keys from secrets.toml or the environment (plain or sha256); without a release, the
command that makes one; with releases, the release's figures with their margins (never the
raw tables'), filters that change them, "too few groups to say" for a tiny selection, consent
in everything rendered and exported, and exports whose numbers are numbers."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import html
import io
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import streamlit
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from workbook.bidi import isolate
from workbook.config import PROJECT_ROOT, get_settings
from workbook.demo.generator import generate
from workbook.lessons import LessonSet
from workbook.live import FUNDER_DOOR
from workbook.models import JoinRequest, ReflectionIn, WorkshopCreate
from workbook.release.budget import Budget
from workbook.release.make import make_release
from workbook.release.view import TOO_FEW, FunderView, Selection, load_view
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.ui import funder_access, funder_words, funders_page
from workbook.ui.funders_page import statement_labels
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")
KEY = "correct horse battery staple"
PRIVATE = "zebracrossing"
CONSENTED = "we want long term allies beyond one grant, and our group agreed on it"
NEW_CAUSE = "Water rights"
NEW_GROUPS = 60  # enough for the release to list the cause (its noisy count clears the bar)
NEW_WORKSHOPS = 6
HEADLINE = ["Workshops", "Groups", "Participants", "Stakeholder maps"]


# --- a real database with real releases ---------------------------------------------------------


def fill(path: Path, lessons: LessonSet) -> None:
    """Demo workshops of 2023-2025, and one workshop of this year with a cause of its own:
    half its groups' people agreed to be quoted, half wrote a private word and did not."""
    store = Store(path)
    try:
        store.bulk_load(generate(180, seed=11, lessons=lessons).tables)
        lesson = next(lesson for lesson in lessons.lessons if lesson.prompts)
        # Several workshops of the new cause: a quote needs K workshops in its cell.
        wheres = [
            store.create_workshop(
                workshop=WorkshopCreate(
                    title=f"Shared day {n}", cause=NEW_CAUSE, shares_with_funders=True
                )
            )[0]
            for n in range(NEW_WORKSHOPS)
        ]
        for index in range(NEW_GROUPS):
            consent = index % 2 == 0
            seat, _ = store.join(
                workshop_id=wheres[index % NEW_WORKSHOPS].id,
                request=JoinRequest(group_name=f"Crew {index}", quote_consent=consent),
            )
            words = (
                f"{CONSENTED}, note {index}"
                if consent
                else f"{PRIVATE} {PRIVATE} is what we think, {index}"
            )
            store.save_answers(
                seat=seat,
                lesson_id=lesson.id,
                round=1,
                reflections=[
                    ReflectionIn(lesson_id=lesson.id, prompt_id=lesson.prompts[0].id, text=words)
                ],
            )
    finally:
        store.close()


def release_all(path: Path, lessons: LessonSet) -> None:
    store = Store(path)
    try:
        for period, _ in store.release_periods():
            make_release(store, lessons, period=period, budget=Budget())
    finally:
        store.close()


def read_view(path: Path, lessons: LessonSet) -> FunderView:
    store = Store(path)
    try:
        return load_view(store, statement_labels(lessons), Budget().lifetime_rho)
    finally:
        store.close()


@pytest.fixture(scope="module")
def released_file(tmp_path_factory: pytest.TempPathFactory, lessons: LessonSet) -> Iterator[Path]:
    """Made once per module (a few seconds of OpenDP); each test gets its own copy."""
    path = tmp_path_factory.mktemp("released") / "released.duckdb"
    fill(path, lessons)
    release_all(path, lessons)
    yield path


@pytest.fixture
def released_db(app_db: Path, released_file: Path) -> Path:
    shutil.copy(released_file, app_db)
    return app_db


@pytest.fixture
def unreleased_db(app_db: Path, lessons: LessonSet) -> Path:
    fill(app_db, lessons)
    return app_db


@pytest.fixture
def funder_key(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", KEY)
    get_settings.cache_clear()
    yield KEY
    get_settings.cache_clear()


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """(file name, bytes) of every CSV/XLSX the page offers. The files are built on click, so
    build them here the way Streamlit would, then hand the call on to Streamlit unchanged."""
    files: list[tuple[str, bytes]] = []
    original = streamlit.download_button

    def recording(label: str, data: Any, *args: Any, **kwargs: Any) -> bool:
        built = data() if callable(data) else data
        name = str(kwargs.get("file_name", args[0] if args else ""))
        files.append((name, built if isinstance(built, bytes) else str(built).encode()))
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return files


# --- driving the page ---------------------------------------------------------------------------


def funder_page(secrets: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
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


def choose(at: AppTest, key: str, value: object) -> AppTest:
    at.selectbox(key=key).set_value(value)
    at.run()
    assert not at.exception, at.exception
    return at


def charts(at: AppTest) -> list[dict[str, Any]]:
    """Every plotly figure on the page, as the JSON sent to the browser."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def rendered(at: AppTest) -> str:
    """Every piece of text on screen: titles, Markdown, captions, plain text, notices,
    metrics, option labels, table cells and chart text."""
    parts: list[str] = []
    for elements in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.text,
        at.code,
        at.info,
        at.warning,
        at.error,
        at.success,
    ):
        parts.extend(str(e.value) for e in elements)
    parts.extend(f"{m.label} {m.value} {m.delta}" for m in at.metric)
    parts.extend(str(option) for box in at.selectbox for option in box.options)
    parts.extend(frame.value.to_string() for frame in at.dataframe)
    parts.extend(json.dumps(figure) for figure in charts(at))
    return "\n".join(parts)


def html_bodies(at: AppTest) -> list[str]:
    """The text of every st.html element (user text in plain lines), unescaped."""
    return [html.unescape(str(h.proto.body)) for h in at.get("html")]


def shows_figures(at: AppTest) -> bool:
    return bool(at.metric or at.dataframe or at.get("plotly_chart") or at.tabs or at.selectbox)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric[: len(HEADLINE)]}


def table(at: AppTest, first_columns: list[str]) -> Any:
    """The one table on the page whose columns start so."""
    frames = [f.value for f in at.dataframe]
    [frame] = [f for f in frames if list(f.columns[: len(first_columns)]) == first_columns]
    return frame


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
    released_db: Path, funder_key: str
) -> None:
    at = funder_page()
    assert [t.label for t in at.text_input] == ["Funder key"]
    assert not shows_figures(at)
    assert not at.download_button
    screen = rendered(at)
    assert "[demo]" not in screen and "Workshops" not in screen and "±" not in screen


def test_a_wrong_key_is_refused_in_a_plain_sentence(released_db: Path, funder_key: str) -> None:
    at = sign_in(funder_page(), "correct horse battery")
    assert [e.value for e in at.error] == [
        "That key does not open the funder view. Check it with whoever runs this server."
    ]
    assert not shows_figures(at)


def test_repeated_wrong_funder_keys_slow_down_like_the_facilitator_key(
    app_db: Path, funder_key: str
) -> None:
    """The funder view's door shares the facilitator's slow-down (the store's sign-in waits):
    three free tries, then a wait that even the right key must sit out. Nothing is timed: the
    wait is read as required, and time is moved on in the database."""
    at = funder_page()
    for _ in range(2):
        sign_in(at, "wrong key")
        assert [e.value for e in at.error] == [
            "That key does not open the funder view. Check it with whoever runs this server."
        ]
    sign_in(at, "wrong key")
    assert [e.value for e in at.error] == [
        "That key does not open the funder view. Check it with whoever runs this server. "
        "After several wrong keys, the next try waits 2 seconds."
    ]
    store = _open_store(str(app_db))
    assert store.door_wait(FUNDER_DOOR) in (1, 2)
    # Another session (a script opening a new tab each try) meets the same wait.
    other = sign_in(funder_page(), funder_key)
    [refusal] = [e.value for e in other.error]
    assert refusal.startswith("Too many wrong keys in a row. Wait ")
    assert "Open the funder view" in [b.label for b in other.button]
    past = utc_now() - dt.timedelta(seconds=1)
    store._write(lambda cur: cur.execute("UPDATE sign_in_waits SET blocked_until = ?", [past]))
    sign_in(at, funder_key)
    assert not at.error and "Open the funder view" not in [b.label for b in at.button]
    assert store.door_wait(FUNDER_DOOR) == 0
    assert store.record_wrong_key(FUNDER_DOOR) == 0  # a success cleared the count


def test_a_sha256_key_in_the_environment_opens_with_the_key_itself(
    released_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    digest = hashlib.sha256(KEY.encode()).hexdigest()
    monkeypatch.setenv("WORKBOOK_FUNDER_KEY", f"sha256:{digest}")
    get_settings.cache_clear()
    at = sign_in(funder_page(), digest)
    assert at.error and not shows_figures(at)  # the digest is not the key
    at = sign_in(funder_page(), KEY)
    assert not at.error and at.metric


# --- no release yet -----------------------------------------------------------------------------


def test_before_any_release_the_page_says_how_to_make_one(
    unreleased_db: Path, funder_key: str
) -> None:
    at = sign_in(funder_page(), KEY)
    assert not at.exception and not at.error
    [notice] = at.info
    assert "appear once whoever runs this server makes a release" in notice.value
    assert "python -m workbook.release make" in notice.value
    assert [c.value for c in at.code] == [".venv/bin/python -m workbook.release make"]
    # Raw tables are full of workshops, but nothing is counted from them.
    assert not at.metric and not at.get("plotly_chart") and not at.dataframe
    assert not at.download_button
    assert [b.label for b in at.button] == ["Sign out"]


# --- the release's figures ----------------------------------------------------------------------


def test_the_page_shows_the_release_with_margins_and_never_the_raw_tables(
    released_db: Path, lessons: LessonSet
) -> None:
    published = read_view(released_db, lessons).headline(Selection())
    # After the release, many more workshops arrive in the raw tables: the page must not move.
    store = Store(released_db)
    try:
        store.bulk_load(generate(150, seed=99, lessons=lessons).tables)
        raw_workshops = store.workshop_count()
    finally:
        store.close()

    at = sign_in(funder_page(secrets={"funder_key": "from secrets.toml"}), "from secrets.toml")
    assert not at.error
    assert list(metrics(at)) == HEADLINE
    # Workshops, groups and maps always clear their margins here; participants (capped per
    # group, a small share of the budget) sometimes fall under theirs, and then say so.
    assert all(published[name].known for name in ("Workshops", "Groups", "Stakeholder maps"))
    for name, estimate in published.items():
        if not estimate.known:
            assert metrics(at)[name] == "—", name
            continue
        assert metrics(at)[name] == estimate.text("count")  # e.g. "414 ± 23"
        assert re.fullmatch(r"[\d,]+ ± [\d,]+", metrics(at)[name])
    assert metrics(at)["Workshops"].split(" ± ")[0] != f"{raw_workshops:,}"
    # Under the headline: who is counted (the raw tables hold more workshops than shown).
    assert any(
        c.value.startswith("Only workshops whose facilitator chose to share") for c in at.caption
    )
    # A missing count says why, by the same rule for every count.
    for m in at.metric[: len(HEADLINE)]:
        if m.value == "—":
            assert str(m.delta).startswith("under its margin of ± "), m.label
            assert any(m.label.lower() in c.value for c in at.caption)

    # The guarantee, in one visible line and in full one click away.
    [summary] = [m.value for m in at.markdown if "no group can be singled out" in m.value]
    # It promises what is true: a bound on being sure, and the cell rule for quotes.
    assert re.search(r"right at most \d+% of the time", summary)
    assert "from at least 3 workshops" in summary and "pin down" not in summary
    [about] = [e for e in at.expander if e.label == "How these figures protect each group"]
    words = " ".join(m.value for m in about.markdown).replace("\u00a0", " ")
    for phrase in ("one group", "OpenDP", "ρ = 0.5", "ε = ", "δ = ", "90% margin", TOO_FEW):
        assert phrase in words, phrase
    assert [t.label for t in at.tabs] == ["Ratings", "Change", "Maps", "In their words"]
    # Every chart draws its margins as error bars (a chart none of whose figures is known
    # is one sentence instead: see the next test).
    figures = charts(at)
    instead = [i.value for i in at.info if "would help" in i.value]
    assert figures and len(figures) + len(instead) >= 5
    for figure in figures:
        drawn = [t for t in figure["data"] if t.get("x") and any(v is not None for v in t["x"])]
        for trace in drawn:
            assert trace["error_x"]["array"], "a chart without its margins"
    screen = rendered(at)
    # No workshop title, group name or person's name anywhere on the page.
    for private in ("[demo]", "Demo person", "Crew", "Shared day", PRIVATE):
        assert private not in screen, private
    # Quotes: consented words only, shown as plain text (this year's sample holds them).
    assert at.selectbox(key="funders_lesson").value == next(
        lesson.id for lesson in lessons.lessons if lesson.prompts
    )
    choose(at, "funders_period", max(at.selectbox(key="funders_period").options[1:]))
    quotes = [t.value for t in at.text if t.value.startswith(CONSENTED)]
    assert quotes and PRIVATE not in rendered(at)
    # Signing out closes it again.
    [button] = [b for b in at.button if b.label == "Sign out"]
    button.click()
    at.run()
    assert [t.label for t in at.text_input] == ["Funder key"] and not shows_figures(at)


def test_filtering_by_cause_changes_the_figures_and_says_where_it_is_missing(
    released_db: Path, funder_key: str, lessons: LessonSet
) -> None:
    view = read_view(released_db, lessons)
    causes = dict(view.causes)
    [new_cause] = [key for key, label in causes.items() if label == NEW_CAUSE]
    expected = view.headline(Selection(cause=new_cause))
    at = sign_in(funder_page(), KEY)
    everyone = metrics(at)
    assert not any("not listed on its own" in h for h in html_bodies(at))

    choose(at, "funders_cause", new_cause)
    narrowed = metrics(at)
    assert narrowed["Groups"] == expected["Groups"].text("count")
    assert narrowed != everyone
    count = int(narrowed["Groups"].split(" ± ")[0])
    assert count < int(everyone["Groups"].split(" ± ")[0].replace(",", ""))
    # The cause only exists this year: the other years' releases do not list it, and every
    # label says which years the figures cover instead of "All years".
    left_out = view.missing_from(Selection(cause=new_cause))
    [covered] = view.years_in(Selection(cause=new_cause))
    assert 2023 in left_out and covered not in left_out
    [showing] = [t.value for t in at.text if t.value.startswith("Showing:")]
    assert showing.startswith(f"Showing: {covered} (") and "All years" not in showing
    assert showing.endswith(f"; {NEW_CAUSE}; All regions")
    [missing] = [h for h in html_bodies(at) if "not listed on its own" in h]
    for year in left_out:
        assert str(year) in missing and str(year) in showing
    # It names the value not listed, as plain (escaped, isolated) text.
    years = " and ".join([", ".join(str(y) for y in left_out[:-1]), str(left_out[-1])])
    assert f"{isolate(NEW_CAUSE)} is not listed on its own in the releases of {years}" in missing
    # The footer names only the release behind these figures, by number and time.
    [footer] = [c.value for c in at.caption if c.value.startswith("Figures from")]
    [release] = [r for r in view.releases if r.record.period == covered]
    assert f"release {release.record.id} of {covered}" in footer and " UTC" in footer
    assert "of 2023" not in footer


def test_a_tiny_selection_says_too_few_groups_to_say(
    released_db: Path, funder_key: str, lessons: LessonSet
) -> None:
    view = read_view(released_db, lessons)
    # A small selection (a year, a cause, or both) with some means known and some not (a
    # chart with none known is one sentence: see the next test).
    candidates = [
        *(Selection(period=period) for period in view.periods),
        *(Selection(cause=cause) for cause, _ in view.causes),
        *(Selection(period, cause) for period in view.periods for cause, _ in view.causes),
    ]
    tiny = next(
        selection
        for selection in candidates
        if not view.missing_from(selection)
        and 0
        < sum(r.mean.value is None for r in view.finding_ratings(selection))
        < len(view.findings)
    )
    findings = view.finding_ratings(tiny)
    hidden = [r.label for r in findings if r.mean.value is None]

    at = sign_in(funder_page(), KEY)
    choose(at, "funders_period", tiny.period)
    choose(at, "funders_cause", tiny.cause)
    frame = table(at, ["Key finding", "Group ratings"])
    assert list(frame["Key finding"]) == [r.label for r in findings]
    for _, row in frame.iterrows():
        if row["Key finding"] in hidden:
            assert row["Mean (1-5)"] != row["Mean (1-5)"]  # NaN: an empty cell, not a word
            assert str(row["Note"]).startswith(TOO_FEW) and "mean" in row["Note"]
    # The chart keeps every row, the hidden ones as a slot saying so.
    [findings_chart] = [
        json.loads(c.proto.spec)
        for c in at.get("plotly_chart")
        if c.key == "funders_findings_chart"
    ]
    slot_texts = [a["text"] for a in findings_chart["layout"]["annotations"]]
    assert slot_texts.count(TOO_FEW) == len(hidden)
    assert len(findings_chart["layout"]["shapes"]) == len(hidden)
    # Quotes are never narrowed by more than one filter.
    choose(at, "funders_period", view.periods[0])
    choose(at, "funders_region", view.regions[0][0])
    assert "Quotes are shown for all workshops or one filter at a time." in [
        i.value for i in at.info
    ]


def test_a_chart_with_no_known_figure_is_one_sentence_saying_why_and_what_helps(
    released_db: Path, funder_key: str, lessons: LessonSet
) -> None:
    view = read_view(released_db, lessons)
    tiny = next(
        Selection(period, cause, region)
        for period in view.periods
        for cause, _ in view.causes
        for region, _ in view.regions
        if not view.missing_from(Selection(period, cause, region))
    )
    assert not any(r.mean.known for r in view.finding_ratings(tiny))
    assert not any(share.known for _, share in view.maps(tiny).kinds)
    at = sign_in(funder_page(), KEY)
    for box, value in zip(("period", "cause", "region"), tiny.__dict__.values(), strict=True):
        choose(at, f"funders_{box}", value)
    shown = {c.key for c in at.get("plotly_chart")}
    assert "funders_findings_chart" not in shown and "funders_kinds_chart" not in shown
    sentences = [i.value for i in at.info if "would help" in i.value]
    findings = next(s for s in sentences if s.startswith("No key finding has a mean"))
    assert "too few groups in this selection" in findings and "Fewer filters" in findings
    assert any(s.startswith("Which kinds of stakeholder") for s in sentences)
    # No ordering caption under a chart that is not there.
    assert not any("most often lack" in c.value for c in at.caption)
    # Under two filters or more the page says why, with what a mean needs here (from this
    # selection's own published noise), and suggests one filter.
    needed = view.needed_here(tiny)
    assert needed is not None and needed[1] > needed[0] > 0
    [note] = [i.value for i in at.info if "Two filters or more" in i.value]
    assert f"roughly {funder_words._about(needed[0])} groups that rated it" in note
    assert "choose one filter" in note
    choose(at, "funders_region", None)
    choose(at, "funders_cause", None)
    assert not [i.value for i in at.info if "Two filters or more" in i.value]


def test_exports_hold_numbers_as_numbers_with_margins_in_their_own_columns(
    released_db: Path, funder_key: str, downloads: list[tuple[str, bytes]], lessons: LessonSet
) -> None:
    at = sign_in(funder_page(), KEY)
    drawn = {c.key.removesuffix("_chart") for c in at.get("plotly_chart")}
    # CSV and XLSX under every chart drawn (one with no known figure is a sentence, no files).
    assert {b.key.rsplit("_", 1)[0] for b in at.download_button} == drawn
    assert len(at.download_button) == 2 * len(drawn) and "funders_findings" in drawn
    files = dict(downloads)
    assert {"key-findings.csv", "key-findings.xlsx"} <= files.keys()

    text = files["key-findings.csv"].decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows
    header = list(rows[0])
    assert header[:3] == ["Period", "Cause or movement", "Region"]
    for column in ("Group ratings margin", "Mean margin", "Rated 1 margin (pts)"):
        assert column in header
    years = ", ".join(str(period) for period in read_view(released_db, lessons).periods)
    for row in rows:
        assert row["Period"] == f"All years ({years})" and row["Region"] == "All regions"
        for column in ("Group ratings", "Group ratings margin", "Rated 3 (% of group ratings)"):
            assert re.fullmatch(r"\d*", row[column]), (column, row[column])  # whole or empty
        assert re.fullmatch(r"(\d\.\d{1,2}|\d)?", row["Mean (1-5)"]), row["Mean (1-5)"]
        if row["Mean (1-5)"] == "":
            assert row["Note"].startswith(TOO_FEW)
        else:
            assert 1 <= float(row["Mean (1-5)"]) <= 5 and float(row["Mean margin"]) > 0

    book = load_workbook(io.BytesIO(files["key-findings.xlsx"]))
    sheet = book.worksheets[0]
    cells = list(sheet.iter_rows(values_only=True))
    columns = list(cells[0])
    assert columns == header
    for values in cells[1:]:
        record = dict(zip(columns, values, strict=True))
        for column in ("Group ratings", "Group ratings margin", "Rated 3 (% of group ratings)"):
            assert record[column] is None or type(record[column]) is int, column
        mean = record["Mean (1-5)"]  # a number (a mean of exactly 3 reads back as 3)
        assert mean is None or (isinstance(mean, int | float) and not isinstance(mean, bool))
        assert isinstance(record["Note"], str | None)
    about = " ".join(str(row[0]) for row in book["About"].iter_rows(values_only=True))
    assert "90% interval" in about and "rho 0.5" in about

    # No export holds words nobody agreed to share, or a name.
    for name, data in files.items():
        if name.endswith(".csv"):
            body = data.decode("utf-8-sig")
        else:
            book = load_workbook(io.BytesIO(data))
            body = "\n".join(
                str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r
            )
        assert PRIVATE not in body and "Crew" not in body and "[demo]" not in body, name


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


def test_under_a_cause_the_phrases_file_says_it_covers_every_cause(
    released_db: Path, lessons: LessonSet
) -> None:
    """Phrases are not measured per cause or region: their rows must not carry the filter."""
    from workbook.release.tables import phrase_frame
    from workbook.release.view import Estimate
    from workbook.ui.funders_page import Exports

    view = read_view(released_db, lessons)
    [new_cause] = [key for key, label in view.causes if label == NEW_CAUSE]
    selection = Selection(cause=new_cause)
    labels = {"period": "2026", "cause": NEW_CAUSE, "region": "All regions"}
    exports = Exports(view, selection, labels)
    frame = phrase_frame([("long term allies", Estimate(140.0, 30.0))])
    [row] = exports.rows(frame, every_place=True).to_dict("records")
    assert (row["Period"], row["Cause or movement"], row["Region"]) == (
        "2026",
        "All causes",
        "All regions",
    )
    [row] = exports.rows(frame).to_dict("records")
    assert row["Cause or movement"] == NEW_CAUSE
    # File names carry the filters that apply to them, as safe ASCII.
    assert exports.stem("key-findings") == "key-findings_water-rights"
    assert exports.stem("phrases", every_place=True) == "phrases"
    two = Exports(view, Selection(2024, new_cause), {**labels, "period": "2024"})
    assert two.stem("key-findings") == "key-findings_2024_water-rights"


def test_file_names_are_safe_ascii_slugs_of_the_filters() -> None:
    assert funder_words.slug("Housing justice") == "housing-justice"
    assert funder_words.slug("Région: Île-de-France / Nord") == "region-ile-de-france-nord"
    assert funder_words.slug("../../etc/passwd") == "etc-passwd"
    assert funder_words.slug("حقوق المياه") == ""
    stem = funder_words.file_stem("phrases", {"period": "2025", "cause": "حقوق", "region": None})
    assert stem == "phrases_2025_cause"
    assert re.fullmatch(r"[a-z0-9_-]+", funder_words.file_stem("x", {"r": "A\u202eB\n=1+2"}))


def test_a_release_made_again_says_which_it_replaces_on_the_page_and_in_exports(
    released_db: Path, funder_key: str, lessons: LessonSet
) -> None:
    before = read_view(released_db, lessons)
    period = before.periods[-1]
    [earlier] = [r.record for r in before.releases if r.record.period == period]
    assert not before.replaced
    release_again = Store(released_db)
    try:
        make_release(release_again, lessons, period=period, budget=Budget())
    finally:
        release_again.close()
    after = read_view(released_db, lessons)
    assert after.replaced[period].id == earlier.id
    [name] = [n for n in funders_page.release_names(after) if f" of {period}," in n]
    said = (
        f"(replaces release {earlier.id} of {period}, made "
        f"{earlier.made_at:%Y-%m-%d %H:%M} UTC; figures differ from it by their noise and "
        "by the groups that joined since)"
    )
    assert said in name
    at = sign_in(funder_page(), KEY)
    assert any(said in c.value for c in at.caption)
    labels = {"period": "p", "cause": "c", "region": "r"}
    note = funders_page.Exports(after, Selection(), labels).note
    assert said in note


def test_a_quote_whose_answer_is_hidden_or_unconsented_later_leaves_the_funder_view(
    released_db: Path, funder_key: str, lessons: LessonSet
) -> None:
    """Walk-through 4: a facilitator hid an answer after it was released, and funders kept
    reading it until the year was released again. It goes at once, with no new release."""
    at = sign_in(funder_page(), funder_key)
    period = max(at.selectbox(key="funders_period").options[1:])
    choose(at, "funders_period", period)
    quotes = [t.value for t in at.text if t.value.startswith(CONSENTED)]
    assert len(quotes) >= 2, quotes
    store = _open_store(str(released_db))

    def answer(quote: str) -> tuple[int, int, int]:
        """The answer a quote came from (each ends in its own number). Not "table N": the demo
        groups are called "Table N", so such a quote rightly reads "[name]" once released."""
        [(reflection, workshop, person)] = store._all(
            "SELECT id, workshop_id, participant_id FROM reflections WHERE text = ?",
            [f"{CONSENTED}, note {quote.rsplit(' ', 1)[1]}"],
        )
        return int(reflection), int(workshop), int(person)

    reflection, workshop, _ = answer(quotes[0])
    store.hide_answer(workshop_id=workshop, reflection_id=reflection)
    person = answer(quotes[1])[2]
    store._write(
        lambda cur: cur.execute(
            "UPDATE participants SET quote_consent = false WHERE id = ?", [person]
        )
    )
    at.run()
    assert not at.exception, at.exception
    now = [t.value for t in at.text if t.value.startswith(CONSENTED)]
    assert quotes[0] not in now and quotes[1] not in now
    assert set(quotes[2:]) <= set(now), now  # the others stay
    # Restoring the hidden answer brings its quote back.
    store.restore_answer(workshop_id=workshop, reflection_id=reflection)
    at.run()
    assert quotes[0] in [t.value for t in at.text if t.value.startswith(CONSENTED)]
