"""A seated person's link to come back, in AppTest: shown where a group looks (the
self-guided workshop-ready card, the start page people go to when they leave, the foot of the
workbook, the results page's "Coming back later?"), opening the same seat in a new browser,
never on the projector or the funders' page; joining an existing group says before joining
that it adds a member, and a browser still seated in the workshop is offered to continue
(an outside tester's walk: coming back by code made a second, empty member of the group)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.test_pages import button, create_workshop, fresh, text_input
from workbook.config import get_settings
from workbook.models import JoinRequest, WorkshopCreate
from workbook.ui.resources import _open_store
from workbook.ui.seat_link import KEEP, TITLE

ADDS_A_MEMBER = "Joining adds you to this group as a new member."
GROUP_BOX = "Your group (your table or team)"


def shown(at: AppTest) -> str:
    """Everything the page put on screen, as text (every element's protobuf)."""
    return "\n".join(str(node.proto) for node in at._tree if getattr(node, "proto", None))


def links_shown(at: AppTest) -> list[str]:
    """The links to come back on the page (the text of each link box)."""
    found = re.findall(r'data-testid=\\"wb-seat-link-url\\">([^<]*)<', shown(at))
    return [html.unescape(link) for link in found]


def own_link(at: AppTest) -> str:
    return f"/?w={at.query_params['w']}&t={at.query_params['t']}"


def markdowns(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def test_a_self_guided_group_sees_its_link_and_what_it_needs_on_the_ready_card(
    app_db: Path,
) -> None:
    at = fresh().run()
    # The group's name is marked required on the form, before any error says so.
    assert text_input(at, "Your group's name (required for self-guided)")
    create_workshop(at, self_guided=True, group="Kitchen table three")
    token = at.query_params["t"]
    assert len(token) > 20
    # Its own link, as text, with the line saying to keep it and a QR code to take it along.
    assert links_shown(at) == [own_link(at)]
    assert f"**{TITLE}**" in markdowns(at)
    assert KEEP in markdowns(at)
    assert "wb-seat-link-qr" in shown(at) and "Copy link" in shown(at)
    # No projector in a self-guided workshop, and the key is said to be needed only for the
    # console's exports.
    said = " ".join(markdowns(at))
    assert "projector" not in said
    assert "your group does not need it to work through the workbook" in said
    assert "exports of every answer" in said
    # The link comes before the way into the workbook, the join code and the key.
    screen = shown(at)
    assert screen.index("wb-seat-link-url") < screen.index("Open the workbook")
    assert screen.index("Open the workbook") < screen.index("wb-code")

    # A new browser opening the link is back in the same seat, at the workbook.
    again = fresh()
    again.query_params.update({"w": at.query_params["w"], "t": token})
    again.run()
    assert not again.exception
    assert "Kitchen table three" in shown(again)
    assert again.query_params["t"] == token


def test_the_link_stays_within_reach_while_working_and_on_the_way_out(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True, group="Kitchen table three")
    link = own_link(at)
    button(at, "Open the workbook").click()
    at.run()
    assert at.title[0].value == "Learning from other movements"
    # The workbook's foot, folded away beside the way to leave.
    [foot] = [e for e in at.expander if e.label == TITLE]
    assert links_shown(at) == [link]
    assert KEEP in [m.value for m in foot.markdown]

    at.switch_page("pages/results.py").run()
    assert not at.exception
    assert links_shown(at) == [link]  # in "Coming back later?", no second one at the foot
    assert not [e for e in at.expander if e.label == TITLE]
    assert KEEP in markdowns(at)

    at.switch_page("pages/map.py").run()
    assert links_shown(at) == [link]

    # Where people go to leave: the link before the button that takes the seat off.
    at.switch_page("pages/start.py").run()
    assert links_shown(at) == [link]
    screen = shown(at)
    assert screen.index("wb-seat-link-url") < screen.index("Leave this workshop on this device")
    button(at, "Leave this workshop on this device").click()
    at.run()
    assert links_shown(at) == []  # left: this device no longer shows it


def test_the_link_is_never_shown_on_the_projector_or_to_funders(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True, group="Kitchen table three")
    token = at.query_params["t"]
    for page in ("pages/projector.py", "pages/funders.py", "pages/facilitator.py"):
        at.switch_page(page).run()
        assert not at.exception, page
        # Only the participant's own tabs carry the seat (in their links' addresses, as on
        # every page of a seated browser); no text, link box or QR code shows it.
        tabs = f'query_string: "w={at.query_params["w"]}&t={token}"'
        assert token not in shown(at).replace(tabs, ""), page
        assert links_shown(at) == [], page
        assert KEEP not in markdowns(at), page


def test_joining_an_existing_group_says_it_adds_a_member_and_still_joins(app_db: Path) -> None:
    store = _open_store(str(app_db))
    workshop, _ = store.create_workshop(
        workshop=WorkshopCreate(title="Eastside", cause="Housing", self_guided=True)
    )
    store.join(workshop_id=workshop.id, request=JoinRequest(group_name="Kitchen table three"))
    at = fresh().run()
    text_input(at, "Workshop code").input(workshop.join_code)
    button(at, "Find workshop").click()
    at.run()
    assert not [i for i in at.info if ADDS_A_MEMBER in i.value]  # a new group: nothing to say
    [group_box] = [s for s in at.selectbox if s.label == GROUP_BOX]
    group_box.set_value(0)  # Kitchen table three
    at.run()
    [said] = [i.value for i in at.info if ADDS_A_MEMBER in i.value]
    assert "open the link you kept" in said and "browser's history" in said
    assert "t" not in at.query_params  # said before joining, nothing done yet
    # Not blocked: several people join one group on purpose.
    button(at, "Join").click()
    at.run()
    assert not at.exception, at.exception
    assert at.query_params.get("t")
    assert [(g.name, g.members) for g in store.groups(workshop.id)] == [("Kitchen table three", 2)]


def test_a_browser_still_seated_is_offered_to_continue_as_before(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True, group="Kitchen table three")
    token = at.query_params["t"]
    store = _open_store(str(app_db))
    workshop = store.find_workshop(at.query_params["w"])
    button(at, "I have saved the key").click()
    at.run()
    [tab] = [t for t in at.tabs if t.label == "Join a workshop"]
    text_input(at, "Workshop code").input(workshop.display_code)
    button(at, "Find workshop").click()
    at.run()
    assert "This device is already in this workshop." in " ".join(markdowns(at))
    button(at, "Continue as before").click()
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Learning from other movements"
    assert at.query_params["t"] == token  # the same seat, no new member
    assert [(g.name, g.members) for g in store.groups(workshop.id)] == [("Kitchen table three", 1)]
    assert tab is not None


LOCAL_ONLY = "This address is this computer's own, so the link opens only here."


def test_the_link_uses_the_public_address_and_says_when_it_opens_only_here(
    app_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Behind WORKBOOK_PUBLIC_URL the link names the address other devices use; a computer's
    own address (localhost) is said to open only there, never promised for "any device"."""
    for public, local in (("https://workbook.example.org", False), ("http://localhost:8501", True)):
        monkeypatch.setenv("WORKBOOK_PUBLIC_URL", public)
        get_settings.cache_clear()
        at = fresh().run()
        create_workshop(at, self_guided=True, group="Kitchen table three")
        assert links_shown(at) == [public + own_link(at)], public
        said = [c.value for c in at.caption]
        assert any(c.startswith(LOCAL_ONLY) for c in said) == local, (public, said)
    get_settings.cache_clear()
