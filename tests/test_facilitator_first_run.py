"""The facilitator's first run, in AppTest: creating a facilitated workshop leads to its
console, signed in, with the join code, the projector link and a resume link; the resume link
opens the console on a fresh session; a replaced, stopped or forged one is refused in one
sentence and the key's sign-in form stays."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.models import WorkshopCreate
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.store.resume import RESUME_LINK_LIFETIME
from workbook.ui import facilitator, facilitator_resume
from workbook.ui.resources import _open_store

APP = str(PROJECT_ROOT / "app.py")


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def resume_links(at: AppTest) -> list[str]:
    return [c.value for c in at.code if f"?{facilitator_resume.RESUME_PARAM}=" in c.value]


def create_facilitated(title: str = "Spring day") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    next(t for t in at.text_input if t.label == "Workshop title").input(title)
    next(t for t in at.text_input if t.label == "Cause or movement").input("Housing justice")
    next(b for b in at.button if b.label == "Create workshop").click()
    at.run()
    assert not at.exception, at.exception
    return at


def open_by_link(token: str) -> AppTest:
    """A fresh browser session (another visit, another device) opening a resume link."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.query_params[facilitator_resume.RESUME_PARAM] = token
    at.switch_page("pages/facilitator.py").run()
    assert not at.exception, at.exception
    return at


def token_of(link: str) -> str:
    return link.split(f"?{facilitator_resume.RESUME_PARAM}=", 1)[1]


def test_creating_a_workshop_opens_its_console_with_code_projector_and_resume_link(
    app_db: Path,
) -> None:
    at = create_facilitated()
    key = at.code[0].value
    code = at.session_state["start_created"]["code"]
    assert "Open the console" in labels(at)
    at.button(key="start_open_console").click().run()
    assert not at.exception, at.exception
    # The console, signed in, without typing the code or the key.
    assert at.title[0].value == "Facilitator console"
    assert "Sign out" in labels(at)
    assert "Sign in" not in labels(at)
    assert any(f"join code {code}" in str(h.proto.body) for h in at.get("html"))
    assert "Open the projector screen" in str(at.get("link_button")[0].proto)
    [link] = resume_links(at)
    assert link.startswith("facilitator?r=") or "/facilitator?r=" in link
    assert key not in link and key.replace("-", "") not in link
    assert [w.value for w in at.warning] == [facilitator_resume.WARNING]
    assert not at.code or key not in [c.value for c in at.code]  # the key is not shown again


def test_the_resume_link_signs_in_on_a_fresh_session_and_a_reload_stays_signed_in(
    app_db: Path,
) -> None:
    at = create_facilitated()
    workshop = _open_store(str(app_db)).find_workshop(at.session_state["start_created"]["code"])
    at.button(key="start_open_console").click().run()
    token = token_of(resume_links(at)[0])
    again = open_by_link(token)
    assert "Sign out" in labels(again)
    assert again.session_state[facilitator.SIGNED_IN] == workshop.id
    assert resume_links(again) and token_of(resume_links(again)[0]) == token  # shown again
    assert not again.error
    # The console that made it keeps it in its address bar: a reload (a new session with the
    # same address) comes back signed in, where it used to show the sign-in form.
    assert at.query_params[facilitator_resume.RESUME_PARAM] == token
    reloaded = open_by_link(at.query_params[facilitator_resume.RESUME_PARAM])
    assert "Sign out" in labels(reloaded) and not reloaded.error
    # Signing out takes it out of the address bar.
    at.button(key="facilitator_sign_out").click().run()
    assert facilitator_resume.RESUME_PARAM not in at.query_params


def test_a_replaced_stopped_or_forged_resume_link_is_refused_plainly(app_db: Path) -> None:
    at = create_facilitated()
    at.button(key="start_open_console").click().run()
    first = token_of(resume_links(at)[0])
    at.button(key="facilitator_resume_replace").click().run()
    second = token_of(resume_links(at)[0])
    assert second != first
    for refused in (first, "forged-token", "x" * 500, ""):
        page = open_by_link(refused)
        assert [e.value for e in page.error] == [facilitator_resume.REFUSED], refused
        assert "Sign in" in labels(page) and "Sign out" not in labels(page)
    assert "Sign out" in labels(open_by_link(second))
    at.button(key="facilitator_resume_stop").click().run()
    assert not resume_links(at)
    assert "Make a resume link" in labels(at)
    stopped = open_by_link(second)
    assert [e.value for e in stopped.error] == [facilitator_resume.REFUSED]
    # A new one can be made, and opens the console again.
    at.button(key="facilitator_resume_make").click().run()
    assert "Sign out" in labels(open_by_link(token_of(resume_links(at)[0])))


def test_a_resume_link_lasts_its_lifetime_and_survives_a_store_reopen(tmp_path: Path) -> None:
    store = Store(tmp_path / "resume.duckdb")
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="A", cause="B"))
    made = utc_now()
    token = store.new_resume_link(workshop_id=workshop.id, now=made)
    assert key not in token
    assert store.resume_workshop(token, now=made + RESUME_LINK_LIFETIME / 2) == workshop.id
    assert store.resume_workshop(token, now=made + RESUME_LINK_LIFETIME + dt.timedelta(1)) is None
    store.close()
    reopened = Store(tmp_path / "resume.duckdb")
    try:
        assert reopened.resume_workshop(token, now=made) == workshop.id
        # Only the token's hash is stored.
        stored = reopened._all("SELECT token_hash FROM resume_links")
        assert stored and token not in str(stored)
    finally:
        reopened.close()


def test_signing_out_forgets_the_resume_link_on_this_session(app_db: Path) -> None:
    at = create_facilitated()
    at.button(key="start_open_console").click().run()
    token = token_of(resume_links(at)[0])
    at.button(key="facilitator_sign_out").click().run()
    assert "Sign in" in labels(at) and not resume_links(at)
    store: Store = _open_store(str(app_db))
    assert store.resume_workshop(token) is not None  # still works elsewhere until stopped
