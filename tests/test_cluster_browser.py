"""Two app processes behind a real nginx on one real PostgreSQL, in a real Chromium
(harness/cluster.py renders scripts/nginx-cluster.conf, as scripts/run_cluster.sh does).

Proves: the facilitator's console and a participant's phone, held by their sticky cookies on
different processes (nginx's access log names the process that served each request), the
facilitator moves the room and the phone follows, woken across processes by PostgreSQL's
NOTIFY (the phones' own poll is set to 10 minutes); when the phone's process is killed, the
phone reconnects through nginx to the other process, is still its group, and follows the next
move. Skipped, with the reason, where nginx is not installed (scripts/test.sh installs it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, expect

from harness.browser import TIMEOUT, context, join, mobile, sign_in, start_workshop
from harness.cluster import COOKIE, PROCESS_HEADER, Cluster, nginx_executable
from workbook import server
from workbook.lessons import LessonSet

pytestmark = pytest.mark.browser
expect.set_options(timeout=TIMEOUT)


@pytest.fixture
def cluster(postgres_url: str, tmp_path: Path) -> Iterator[Cluster]:
    if nginx_executable() is None:
        pytest.skip("nginx is not installed (Debian: apt-get install nginx; scripts/test.sh does)")
    # Phones that poll only every 10 minutes: a move that reaches them within seconds was
    # pushed, across processes, by PostgreSQL's NOTIFY (stock Streamlit has no push: poll).
    poll = "1" if server.stock() else "600"
    running = Cluster(
        postgres_url, 2, tmp_path / "cluster", env={"WORKBOOK_PARTICIPANT_POLL_SECONDS": poll}
    )
    yield running
    running.stop()


def cookie_per_process(cluster: Cluster) -> dict[str, str]:
    """The sticky cookie's value that pins a browser to each process: "127.0.0.1:PORT" ->
    the value nginx sends there (nginx checks that it is a process of this cluster)."""
    found = {}
    for process in cluster.servers:
        address = process.url.removeprefix("http://")
        found[address] = address
        assert cluster.nginx.process_for(address) == address
    return found


def held_by(made: BrowserContext, cluster: Cluster, value: str) -> BrowserContext:
    made.add_cookies([{"name": COOKIE, "value": value, "url": cluster.url}])
    return made


def served_by(cluster: Cluster, value: str, *, streams: bool = True) -> list[str]:
    """The processes nginx sent this cookie's requests to, in order: only the websockets
    (nginx writes a websocket's line when it closes), or every request."""
    found = []
    for line in cluster.nginx.access_log().splitlines():
        if f" node={value} " in line and (not streams or '"GET /_stcore/stream ' in line):
            found.append(re.search(r" process=(.*) node=", line).group(1))  # type: ignore[union-attr]
    return found


def logged(cluster: Cluster, value: str) -> list[str]:
    """served_by (websockets), once nginx has written a line for this cookie (within 10 s)."""
    deadline = time.monotonic() + 10
    while not (found := served_by(cluster, value)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def test_a_phone_on_another_process_follows_the_facilitator_and_survives_its_process(
    browser: Browser, cluster: Cluster, lessons: LessonSet
) -> None:
    first, second = (server.url.removeprefix("http://") for server in cluster.servers)
    cookies = cookie_per_process(cluster)
    console = held_by(context(browser, 1440, 900), cluster, cookies[first]).new_page()
    code, key = start_workshop(console, cluster, "Two processes", "Housing")  # type: ignore[arg-type]
    sign_in(console, cluster, code, key)  # type: ignore[arg-type]
    phone = join(
        held_by(mobile(browser), cluster, cookies[second]).new_page(),
        cluster,  # type: ignore[arg-type]
        code,
        "Table by the door",
        touch=True,
    )

    # The facilitator, on the first process, moves the room: the phone on the second follows.
    console.get_by_role("button", name="Next step").click()
    notice = phone.locator(".st-key-room_notice .wb-room-moved")
    title = lessons.lessons[1].title
    expect(notice).to_have_text(f"The facilitator moved to: {title}")
    expect(phone.get_by_role("heading", name=title)).to_be_visible()

    # The phone's process dies: its websocket closes (nginx logs where it was: the second
    # process), the page reconnects through nginx to the first, in its group at step 2.
    cluster.server_at(second).kill()
    assert logged(cluster, cookies[second])[0] == second
    expect(phone.get_by_role("heading", name=title)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Step 2 of"))).to_be_visible()
    console.get_by_role("button", name="Next step").click()
    title = lessons.lessons[2].title
    expect(notice).to_have_text(f"The facilitator moved to: {title}")
    expect(phone.get_by_role("heading", name=title)).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Table by the door · code"))).to_be_visible()

    # The phone's cookie moved with its page: it now names the first process, so once the
    # second is back its plain requests (an upload, a download) still reach the page's
    # session on the first, not the restarted process that knows nothing of it.
    pinned = [c["value"] for c in phone.context.cookies() if c["name"] == COOKIE]
    assert pinned == [first]
    assert cluster.restart_dead() == [int(second.rsplit(":", 1)[1])]
    cluster.server_at(second).wait_ready()
    reply = phone.context.request.get(cluster.url + "/_stcore/health")
    assert reply.ok and reply.headers[PROCESS_HEADER.lower()] == first

    # Where each page was, from nginx's log once the pages close: every request of the
    # console on the first process; the phone's websocket on the second until the kill.
    console.context.close()
    phone.context.close()
    assert set(logged(cluster, cookies[first])) == {first}
    assert set(served_by(cluster, cookies[first], streams=False)) == {first}
    assert served_by(cluster, cookies[second])[0] == second
