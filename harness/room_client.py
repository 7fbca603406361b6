"""A browser tab at the protocol level: what a tab speaks on a real server's /_stcore/stream
(Streamlit's own BackMsg / ForwardMsg protobufs). It sends `rerun_script` with a ClientState
(query string, current page hash, widget values), reads the deltas of every run to learn the
widgets' ids from their labels, and submits a form the way the frontend does: the form's
widget values and its submit button's trigger in one rerun. One asyncio process holds
hundreds of them: bench/load_room.py fills a room with them, and the fault tests use a few.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import secrets
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from harness.cluster import COOKIE

T = TypeVar("T")


def run_async(coroutine: Coroutine[Any, Any, T]) -> T:
    """asyncio.run on a thread of its own: Playwright's sync API, used by browser tests
    earlier in the same pytest process, leaves an event loop running in the main thread."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


FINISHED = (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR)
SAVED_PREFIX = "Saved "
LATE_CONFIRMATION_SECONDS = 15.0

# --- one browser tab, at the protocol level -------------------------------------------------


@dataclasses.dataclass
class Run:
    """What one interaction cost: from the BackMsg leaving to its run chain finishing."""

    started: float
    finished: float = 0.0
    first_alert: float = 0.0

    @property
    def seconds(self) -> float:
        return self.finished - self.started


class ProtocolError(RuntimeError):
    pass


class Tab:
    """One browser tab on the app: a WebSocket session and what its last run showed."""

    def __init__(
        self,
        base_url: str,
        *,
        query: dict[str, str] | None = None,
        page: str = "",
        on_element: Callable[[Element], None] | None = None,
        cookie: str = "",
    ) -> None:
        # A Cookie header. By default a sticky cookie of its own, as nginx's first answer gives
        # each browser (harness/cluster.py), so tabs through nginx spread over its processes
        # as phones do; a lone app process ignores it.
        self.cookie = cookie or f"{COOKIE}={secrets.token_hex(8)}"
        self.ws_url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.query_string = urlencode(query or {})
        self.page_name = page  # the URL path a browser opened, e.g. "projector"
        self.page_script_hash = ""
        self.on_element = on_element
        self.elements: dict[tuple[int, ...], Element] = {}
        self.fragment_of: dict[tuple[int, ...], str] = {}  # element path -> its st.fragment
        self.widgets: dict[str, WidgetState] = {}
        self.exceptions: list[str] = []
        self._ws: websockets.ClientConnection | None = None
        self._reader: asyncio.Task[None] | None = None
        self._run: Run | None = None
        self._done = asyncio.Event()
        self._watch: Callable[[Element], bool] | None = None
        self._auto: dict[str, asyncio.Task[None]] = {}
        self.closed = False
        self._waiting_fragment = ""
        self._fragment_redrawn = False
        # What the current run drew, to forget what a fragment's run no longer draws.
        self._drawn_now: set[tuple[int, ...]] = set()
        self._fragments_now: set[str] = set()
        self.trace: list[str] = []  # the last messages, for a run that never finishes

    # -- connection --

    async def open(self) -> Run:
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None,
            open_timeout=60,
            ping_interval=None,
            additional_headers={"Cookie": self.cookie} if self.cookie else None,
        )
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        self.closed = True
        for task in self._auto.values():
            task.cancel()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader

    # -- sending --

    async def rerun(
        self,
        values: Iterable[WidgetState] = (),
        *,
        watch: Callable[[Element], bool] | None = None,
        timeout: float = 120,
        fragment_id: str = "",
    ) -> Run:
        """Send one rerun with the kept widget values plus `values` (triggers are sent once),
        and wait for the run chain it starts to finish (st.rerun and page switches included).
        `watch`: note when the first element it accepts arrives (e.g. a confirmation)."""
        if self._ws is None:
            raise ProtocolError("not connected")
        sent = {state.id: state for state in values}
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query_string
        client.page_script_hash = self.page_script_hash
        if not self.page_script_hash:
            client.page_name = self.page_name
        # A widget drawn inside an st.fragment reruns only that fragment, as in the browser.
        client.fragment_id = fragment_id
        self._waiting_fragment = fragment_id
        self._fragment_redrawn = False
        for state in {**self.widgets, **sent}.values():
            client.widget_states.widgets.append(state)
        for state in sent.values():
            if not state.HasField("trigger_value"):
                self.widgets[state.id] = state
        self._done.clear()
        self._watch = watch
        run = self._run = Run(started=time.perf_counter())
        await self._ws.send(msg.SerializeToString())
        try:
            await asyncio.wait_for(self._done.wait(), timeout)
        except TimeoutError as error:
            raise ProtocolError(
                f"no finished run within {timeout:.0f} s (sent at {run.started:.3f}); last "
                "messages: "
                + " | ".join(self.trace[-12:])
                + ("\nTRACE " + " | ".join(self.trace) if os.environ.get("LOAD_ROOM_TRACE") else "")
            ) from error
        self._watch = None
        return run

    async def submit(self, button_label: str, values: dict[str, WidgetState], **kw: object) -> Run:
        """Press a form's submit button with the form's values, as the frontend does."""
        button = self.widget("button", button_label)
        trigger = WidgetState(id=button.button.id, trigger_value=True)
        return await self.rerun(
            [*values.values(), trigger],
            fragment_id=self._fragment_of(button),
            **kw,  # type: ignore[arg-type]
        )

    async def click(self, button_label: str) -> Run:
        button = self.widget("button", button_label)
        return await self.rerun(
            [WidgetState(id=button.button.id, trigger_value=True)],
            fragment_id=self._fragment_of(button),
        )

    async def choose(self, label: str, option: str) -> Run:
        """Pick `option` in the button group (a segmented control) labelled `label`."""
        group = self.widget("button_group", label)
        return await self.rerun([choice_value(group, option)], fragment_id=self._fragment_of(group))

    def _fragment_of(self, element: Element) -> str:
        for path, candidate in self.elements.items():
            if candidate is element:
                return self.fragment_of.get(path, "")
        return ""

    async def wait_for(self, check: Callable[[Tab], bool], timeout: float = 60) -> float:
        """Wait until `check(self)` holds (the page is redrawn by the server on its own, e.g.
        when the room moves); return the seconds it took."""
        started = time.perf_counter()
        while not check(self):
            if self.closed or time.perf_counter() - started > timeout:
                raise ProtocolError(f"the page did not change as expected within {timeout:.0f} s")
            await asyncio.sleep(0.02)
        return time.perf_counter() - started

    def headings(self) -> list[str]:
        return [element.heading.body for element in self.of_kind("heading")]

    # -- reading --

    def of_kind(self, kind: str) -> list[Element]:
        return [
            element
            for _, element in sorted(self.elements.items())
            if element.WhichOneof("type") == kind
        ]

    def widget(self, kind: str, label: str) -> Element:
        for element in self.of_kind(kind):
            if getattr(element, kind).label == label:
                return element
        shown = [getattr(e, kind).label for e in self.of_kind(kind)]
        raise ProtocolError(f"no {kind} labelled {label!r} on the page; there are {shown}")

    def has(self, kind: str, label: str) -> bool:
        return any(getattr(e, kind).label == label for e in self.of_kind(kind))

    def alerts(self) -> list[str]:
        return [element.alert.body for element in self.of_kind("alert")]

    def texts(self) -> list[str]:
        """Every piece of text the page shows (markdown, text, alerts, html)."""
        found = []
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            if kind in ("markdown", "text", "alert", "html", "heading", "code"):
                found.append(getattr(element, kind).body)
        return found

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for frame in self._ws:
                if isinstance(frame, str):
                    continue
                msg = ForwardMsg()
                msg.ParseFromString(frame)
                self._handle(msg)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.closed = True
            self._done.set()

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        fragment_run = bool(msg.metadata.run.fragment_ids)
        detail = ""
        if kind == "script_finished":
            detail = f" status={msg.script_finished}"
        elif kind == "new_session":
            detail = " runs=" + ",".join(f[:8] for f in msg.metadata.run.fragment_ids)
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            detail = f" {element.WhichOneof('type')} in={msg.delta.fragment_id[:8]}"
            if element.WhichOneof("type") == "alert":
                detail += f" {element.alert.body[:20]!r}"
        self.trace.append(f"{time.perf_counter():.3f} {kind} frag={fragment_run}{detail}")
        del self.trace[:-400]
        if kind == "new_session":
            self._drawn_now = set()
            self._fragments_now = set(msg.metadata.run.fragment_ids)
            if not fragment_run:
                # A full run re-renders the page: forget the previous run's elements.
                self.elements = {}
                self.fragment_of = {}
                self.page_script_hash = msg.new_session.page_script_hash
                for task in self._auto.values():
                    task.cancel()
                self._auto = {}
        elif kind == "navigation":
            # With st.navigation the page being shown is named here (new_session names the
            # entry script); the browser sends this hash back with every rerun.
            if msg.navigation.page_script_hash:
                self.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "delta":
            delta = msg.delta
            if delta.WhichOneof("type") == "new_element":
                element = delta.new_element
                path = tuple(msg.metadata.delta_path)
                self.elements[path] = element
                self.fragment_of[path] = delta.fragment_id
                self._drawn_now.add(path)
                if delta.fragment_id:
                    self._fragments_now.add(delta.fragment_id)
                if self._waiting_fragment and delta.fragment_id == self._waiting_fragment:
                    self._fragment_redrawn = True
                if self.on_element is not None:
                    self.on_element(element)
                if element.WhichOneof("type") == "exception":
                    self.exceptions.append(element.exception.message)
                run = self._run
                watch = self._watch
                if run is not None and not run.first_alert and watch and watch(element):
                    run.first_alert = time.perf_counter()
        elif kind == "auto_rerun":
            # A fragment with run_every: the frontend reruns it on a timer, so do we.
            fragment, interval = msg.auto_rerun.fragment_id, msg.auto_rerun.interval
            if fragment not in self._auto:
                self._auto[fragment] = asyncio.create_task(self._auto_rerun(fragment, interval))
        elif kind == "stop_auto_rerun":
            for fragment in msg.stop_auto_rerun.fragment_ids:
                task = self._auto.pop(fragment, None)
                if task is not None:
                    task.cancel()
        if (
            kind == "script_finished"
            and msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
        ):
            # As the frontend does: what a fragment's run did not draw again is gone.
            self.elements = {
                path: element
                for path, element in self.elements.items()
                if path in self._drawn_now or self.fragment_of.get(path) not in self._fragments_now
            }
        if kind == "script_finished" and (
            (msg.script_finished in FINISHED and not fragment_run)
            or (
                msg.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY
                and self._waiting_fragment
                # Coalesced with a polling fragment's rerun, the run may name only that one.
                and (
                    self._waiting_fragment in msg.metadata.run.fragment_ids
                    or self._fragment_redrawn
                )
            )
        ):
            if self._run is not None and not self._run.finished:
                self._run.finished = time.perf_counter()
            self._prune_widgets()
            self._done.set()

    def _prune_widgets(self) -> None:
        # The frontend forgets the values of widgets that the last run did not draw.
        present = set()
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            widget_id = getattr(getattr(element, kind), "id", "") if kind else ""
            if widget_id:
                present.add(widget_id)
        self.widgets = {k: v for k, v in self.widgets.items() if k in present}

    async def _auto_rerun(self, fragment_id: str, interval: float) -> None:
        while not self.closed and self._ws is not None:
            await asyncio.sleep(max(0.2, interval))
            msg = BackMsg()
            msg.rerun_script.query_string = self.query_string
            msg.rerun_script.page_script_hash = self.page_script_hash
            if not self.page_script_hash:
                msg.rerun_script.page_name = self.page_name
            msg.rerun_script.fragment_id = fragment_id
            msg.rerun_script.is_auto_rerun = True
            for state in self.widgets.values():
                msg.rerun_script.widget_states.widgets.append(state)
            self.trace.append(f"{time.perf_counter():.3f} sent auto rerun {fragment_id[:8]}")
            with contextlib.suppress(websockets.ConnectionClosed):
                await self._ws.send(msg.SerializeToString())


def text_value(element: Element, text: str) -> WidgetState:
    kind = element.WhichOneof("type")
    return WidgetState(id=getattr(element, kind).id, string_value=text)


def in_a_form(elements: Iterable[Element]) -> list[Element]:
    """The widgets among `elements` that belong to an `st.form`."""
    return [e for e in elements if getattr(e, e.WhichOneof("type")).form_id]


def choice_value(element: Element, option: str) -> WidgetState:
    state = WidgetState(id=element.button_group.id)
    state.string_array_value.data.append(option)
    return state


# --- a participant --------------------------------------------------------------------------


@dataclasses.dataclass
class Submit:
    participant: int
    step: int
    answers: int
    sent_at: float
    saved_after: float | None  # seconds to the "Saved" confirmation; None: never confirmed
    rerun: float
    message: str = ""
    sent_wall: float = 0.0  # time.time() when it left, to compare with the row's timestamp
    late: bool = False  # "Saved" came only in a later redraw, after the run had finished


class Participant:
    """Someone at a table with a phone: joins by code, answers, moves on."""

    def __init__(
        self, base_url: str, index: int, code: str, table: str, *, cookie: str = ""
    ) -> None:
        self.index = index
        self.code = code
        self.table = table
        self.tab = Tab(base_url, cookie=cookie)
        self.reruns: list[float] = []
        self.sent_texts: dict[int, list[str]] = {}  # step -> the reflections sent

    async def join(self) -> None:
        tab = self.tab
        self.reruns.append((await tab.open()).seconds)
        code_box = tab.widget("text_input", "Workshop code")
        run = await tab.submit("Find workshop", {"code": text_value(code_box, self.code)})
        self.reruns.append(run.seconds)
        group_box = tab.widget("text_input", "New group's name")
        name_box = tab.widget("text_input", "Your name (optional)")
        run = await tab.submit(
            "Join",
            {
                "group": text_value(group_box, self.table),
                "name": text_value(name_box, f"P{self.index}"),
            },
        )
        self.reruns.append(run.seconds)
        if not tab.has("button", "Save answers"):
            raise ProtocolError(f"participant {self.index} did not reach the workbook")

    def answer_form(self, step: int) -> tuple[dict[str, WidgetState], int]:
        """Fill every box and rating of the lesson form on screen (widgets in a form only: the
        language picker is a button group too, and choosing for it would switch the page)."""
        values: dict[str, WidgetState] = {}
        for n, element in enumerate(in_a_form(self.tab.of_kind("text_area"))):
            text = (
                f"Table {self.table}, person {self.index}, step {step}, prompt {n}: "
                "we would ask who is missing from the room and call them this week. "
                "שלום · 👋🏽 · <b>not bold</b>"
            )
            values[element.text_area.id] = text_value(element, text)
        for n, element in enumerate(in_a_form(self.tab.of_kind("button_group"))):
            options = [option.content for option in element.button_group.options]
            values[element.button_group.id] = choice_value(
                element, options[(self.index + n + step) % len(options)]
            )
        return values, len(values)

    async def submit_answers(self, step: int) -> Submit:
        values, count = self.answer_form(step)
        self.sent_texts[step] = [v.string_value for v in values.values() if v.string_value]
        sent, sent_wall = time.perf_counter(), time.time()
        problem = ""
        try:
            run = await self.tab.submit(
                "Save answers",
                values,
                watch=lambda e: (
                    e.WhichOneof("type") == "alert" and e.alert.body.startswith(SAVED_PREFIX)
                ),
            )
        except ProtocolError as error:  # counted as sent; "Saved" may still have arrived
            run = self.tab._run or Run(started=sent)
            problem = str(error)[:300]
            if "TRACE" in str(error):
                print(f"participant {self.index}: {error}", flush=True)
        finished = run.finished or time.perf_counter()
        self.reruns.append(finished - run.started)
        saved = run.first_alert - sent if run.first_alert else None
        late = False
        if saved is None and not problem:
            # The run that ended the wait did not show "Saved"; a person would keep looking
            # at the screen, where a later redraw (the server redraws a page whose output
            # Streamlit dropped) may still bring it.
            with contextlib.suppress(ProtocolError):
                await self.tab.wait_for(
                    lambda tab: any(a.startswith(SAVED_PREFIX) for a in tab.alerts()),
                    timeout=LATE_CONFIRMATION_SECONDS,
                )
                saved, late = time.perf_counter() - sent, True
            if saved is None and os.environ.get("LOAD_ROOM_TRACE"):
                since = [line for line in self.tab.trace if float(line.split()[0]) >= sent - 1]
                print(f"participant {self.index} never saw 'Saved': " + " | ".join(since))
        shown = [a for a in self.tab.alerts() if not a.startswith(SAVED_PREFIX)]
        message = problem or "; ".join(shown)[:200]
        return Submit(
            self.index,
            step,
            count,
            sent,
            saved,
            finished - run.started,
            message,
            sent_wall,
            late,
        )

    async def next_step(self) -> None:
        run = await self.tab.click("Next")
        self.reruns.append(run.seconds)


# --- a room to join ---------------------------------------------------------------------------


def create_workshop(db: Path) -> str:
    """A facilitated workshop in a fresh file, before the server opens it; its join code.
    (The fault tests use this; bench/load_room.py uses its own `set_up_room`.)"""
    from workbook.models import WorkshopCreate
    from workbook.store import Store

    store = Store(db)
    try:
        workshop, _ = store.create_workshop(
            workshop=WorkshopCreate(title="Load test room", cause="Bench")
        )
        return workshop.join_code
    finally:
        store.close()
