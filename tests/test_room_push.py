"""Waking a room's phones (workbook.server.room_push) outside a server: nothing to wake, nothing
breaks. On a real server and browser it is tested in test_projector_browser.py
(test_phones_are_woken_by_the_facilitator_not_by_polling); on a real server at the protocol
level, which run a wake-up makes, here."""

from __future__ import annotations

import asyncio
from pathlib import Path

from harness.room_client import Participant, Tab, run_async, text_value
from harness.server import Server
from workbook.lessons import LessonSet
from workbook.live import STEP_SCREEN
from workbook.models import WorkshopCreate
from workbook.server.room_push import RoomPush
from workbook.store import Store


def test_without_a_server_nobody_follows_and_a_room_change_still_commits(store: Store) -> None:
    push = RoomPush()
    push.follow(1)  # not in a script run: nothing to register
    assert push.followers(1) == []
    assert push.wake(1) == 0
    store.on_room_change(push.wake)
    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.move_room(workshop_id=workshop.id, step=4)
    assert store.room_signal(workshop.id).current_step == 4


async def signed_in_console(url: str, code: str, key: str) -> Tab:
    """A facilitator's console tab, signed in to the workshop."""
    console = Tab(url, page="facilitator")
    await console.open()
    code_box = console.widget("text_input", "Workshop code")
    key_box = console.widget("text_input", "Facilitator key")
    await console.submit(
        "Sign in", {"code": text_value(code_box, code), "key": text_value(key_box, key)}
    )
    return console


def test_a_move_reruns_each_phones_walkthrough_not_its_whole_page(
    tmp_path: Path, lessons: LessonSet
) -> None:
    """On a real server, at the protocol level: the facilitator's move wakes the phone, and
    the phone's screen follows by a run of the page's walk-through fragment, with no run of
    the whole app (app.py's navigation and links are not drawn again)."""
    db = tmp_path / "room.duckdb"
    store = Store(db)
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.set_screen(workshop_id=workshop.id, screen=STEP_SCREEN)
    store.close()
    titles = [lesson.title for lesson in lessons.lessons]
    server = Server(db, env={"WORKBOOK_PARTICIPANT_POLL_SECONDS": "600"})

    async def scenario() -> list[str]:
        phone = Participant(server.url, 0, workshop.join_code, "Table 1")
        await phone.join()
        assert titles[0] in phone.tab.headings()
        console = await signed_in_console(server.url, workshop.join_code, key)
        phone.tab.trace.clear()
        await console.click("Next step")
        await phone.tab.wait_for(lambda tab: titles[1] in tab.headings(), timeout=60)
        await asyncio.sleep(0.5)  # the rest of that run's messages
        trace = list(phone.tab.trace)
        await console.close()
        await phone.tab.close()
        return trace

    try:
        trace = run_async(scenario())
    finally:
        server.stop()
    runs = [line for line in trace if " new_session " in line]
    assert runs, trace
    assert all("frag=True" in line for line in runs), runs
    assert titles[0] not in " ".join(trace)


RESULTS_HEADING = "Results from the room"


def test_the_room_results_keep_their_place_in_a_wake_up_and_in_a_page_run(
    tmp_path: Path, lessons: LessonSet
) -> None:
    """Streamlit names a fragment by its place on the page. The results a wake-up draws (the
    facilitator revealed them: a run of the walk-through fragment, the "waiting to start" card
    above them) and the results a later whole-page run draws (the room has started: no card)
    must be in one place: else the browser keeps both blocks, one of them stale
    (tests/test_moderation_browser.py saw two). The same for the form's fragment."""
    db = tmp_path / "room.duckdb"
    store = Store(db)
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.close()  # the room is on its join code: phones show a "waiting to start" card
    server = Server(db, env={"WORKBOOK_PARTICIPANT_POLL_SECONDS": "600"})

    def place(tab: Tab, kind: str, text: str) -> tuple[int, ...]:
        found = [
            path
            for path, element in tab.elements.items()
            if element.WhichOneof("type") == kind and text in str(getattr(element, kind))
        ]
        assert len(found) == 1, (text, found)
        return found[0]

    async def scenario() -> tuple[list[str], list[tuple[int, ...]], list[tuple[int, ...]]]:
        phone = Participant(server.url, 0, workshop.join_code, "Table 1")
        await phone.join()
        form = [place(phone.tab, "button", "Save answers")]
        console = await signed_in_console(server.url, workshop.join_code, key)
        phone.tab.trace.clear()
        await console.click("Reveal results")
        await phone.tab.wait_for(lambda tab: RESULTS_HEADING in tab.headings(), timeout=60)
        await asyncio.sleep(0.5)  # the rest of that run's messages
        trace = list(phone.tab.trace)
        results = [place(phone.tab, "heading", RESULTS_HEADING)]
        form.append(place(phone.tab, "button", "Save answers"))
        # The room starts (no wake-up: the slow poll would bring the card out), then a
        # whole-page run, as a reload or a language change makes: the card is gone.
        await console.choose("The projector shows", "The step")
        await asyncio.sleep(0.5)
        await phone.tab.rerun()
        assert not any("wb-waiting" in text for text in phone.tab.texts())
        results.append(place(phone.tab, "heading", RESULTS_HEADING))
        form.append(place(phone.tab, "button", "Save answers"))
        await console.close()
        await phone.tab.close()
        return trace, results, form

    try:
        trace, results, form = run_async(scenario())
    finally:
        server.stop()
    runs = [line for line in trace if " new_session " in line]
    assert runs and all("frag=True" in line for line in runs), runs  # the wake-up's own run
    assert results[0] == results[1]
    assert form[0] == form[1] == form[2]


def test_starting_the_room_wakes_the_phones_waiting_for_it(tmp_path: Path) -> None:
    """The facilitator puts the step on the projector: the phones' "waiting to start" card
    goes at once, by a wake-up (the phone's own poll is every ten minutes here)."""
    db = tmp_path / "room.duckdb"
    store = Store(db)
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.close()  # on its join code: the phone waits
    server = Server(db, env={"WORKBOOK_PARTICIPANT_POLL_SECONDS": "600"})

    def waiting(tab: Tab) -> bool:
        return any("wb-waiting" in text for text in tab.texts())

    async def scenario() -> float:
        phone = Participant(server.url, 0, workshop.join_code, "Table 1")
        await phone.join()
        assert waiting(phone.tab)
        console = await signed_in_console(server.url, workshop.join_code, key)
        await console.choose("The projector shows", "The step")
        took = await phone.tab.wait_for(lambda tab: not waiting(tab), timeout=30)
        await console.close()
        await phone.tab.close()
        return took

    try:
        assert run_async(scenario()) < 30
    finally:
        server.stop()


def test_a_timer_started_on_the_console_wakes_only_the_phones_timer(
    tmp_path: Path, lessons: LessonSet
) -> None:
    """The facilitator starts the timer: the phone shows it at once (its own poll is every ten
    minutes here), by a run of the room's poll alone, not of its walk-through or its page."""
    db = tmp_path / "room.duckdb"
    store = Store(db)
    workshop, key = store.create_workshop(workshop=WorkshopCreate(title="Day", cause="Housing"))
    store.set_screen(workshop_id=workshop.id, screen=STEP_SCREEN)
    store.close()
    title = lessons.lessons[0].title
    server = Server(db, env={"WORKBOOK_PARTICIPANT_POLL_SECONDS": "600"})

    def timer_shown(tab: Tab) -> bool:
        return any("wb-phone-timer" in text for text in tab.texts())

    async def scenario() -> tuple[float, list[str]]:
        phone = Participant(server.url, 0, workshop.join_code, "Table 1")
        await phone.join()
        assert title in phone.tab.headings() and not timer_shown(phone.tab)
        console = await signed_in_console(server.url, workshop.join_code, key)
        phone.tab.trace.clear()
        await console.click("Start timer")
        took = await phone.tab.wait_for(timer_shown, timeout=30)
        await asyncio.sleep(0.5)  # the rest of that run's messages
        trace = list(phone.tab.trace)
        await console.close()
        await phone.tab.close()
        return took, trace

    try:
        took, trace = run_async(scenario())
    finally:
        server.stop()
    assert took < 30
    runs = [line for line in trace if " new_session " in line]
    assert runs and all("frag=True" in line for line in runs), runs
    assert title not in " ".join(trace)  # the walk-through was not drawn again
