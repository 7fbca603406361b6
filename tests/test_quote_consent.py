"""A participant takes back (or gives) consent to be quoted to funders, on "Our results", at
any time (walk-through 4 found no way to); quotes already released then leave the funder view
(tests/test_funder_pages.py checks that side)."""

from __future__ import annotations

from pathlib import Path

from tests.test_pages import button, fresh, text_input
from workbook.models import WorkshopCreate
from workbook.ui.resources import _open_store


def test_a_participant_takes_back_and_gives_again_consent_to_be_quoted(app_db: Path) -> None:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Spring", cause="Housing", shares_with_funders=True)
    )
    at = fresh().run()
    text_input(at, "Workshop code").input(workshop.join_code)
    button(at, "Find workshop").click()
    at.run()
    text_input(at, "New group's name").input("Table 1")
    next(c for c in at.checkbox if c.label == "You may quote me anonymously").check()
    button(at, "Join").click()
    at.run()
    person = at.session_state["session_participant_id"]
    assert store.seat(person).participant.quote_consent

    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert "Your words and funders" in [h.value for h in at.subheader]
    button(at, "Stop quoting me").click()
    at.run()
    assert not store.seat(person).participant.quote_consent
    assert [s.value for s in at.success] == ["Your answers are no longer quoted to funders."]
    # Given again, from now on.
    button(at, "You may quote me anonymously").click()
    at.run()
    assert store.seat(person).participant.quote_consent
    assert [s.value for s in at.success] == ["Your answers may be quoted anonymously from now on."]


def test_a_workshop_that_shares_nothing_asks_nothing_about_quotes(app_db: Path) -> None:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    at = fresh().run()
    text_input(at, "Workshop code").input(workshop.join_code)
    button(at, "Find workshop").click()
    at.run()
    text_input(at, "New group's name").input("Table 1")
    button(at, "Join").click()
    at.run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    assert "Your words and funders" not in [h.value for h in at.subheader]
    assert not [b for b in at.button if b.label == "Stop quoting me"]
