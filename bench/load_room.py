"""Fills one workshop room on a real `streamlit run` server with participants, over its WebSocket.

Each participant is a protocol-level client speaking what a browser tab speaks on
/_stcore/stream: Streamlit's own BackMsg / ForwardMsg protobufs (`streamlit.proto`). It sends
`rerun_script` with a ClientState (query string, current page hash, widget values), reads the
deltas of every run to learn the widgets' ids from their labels, and submits a form the way
the frontend does: the form's widget values and its submit button's trigger in one rerun.
One asyncio process holds hundreds of them.

`LOAD_ROOM_TRACE=1` prints, for a session whose run never finished, the last 400 messages
it saw (the short report keeps 12).

Run (it starts its own server on a free port, with a fresh database in a temp folder):

    .venv/bin/python bench/load_room.py --participants 200 --rounds 2
    .venv/bin/python bench/load_room.py --participants 200 --flag runner.postScriptGC=false

The room: one facilitated workshop that follows the facilitator, a facilitator tab signed in on
the console, a projector tab on the first step, and the participants. Each participant finds
the workshop by its code and joins a table (`--join-concurrency` at a time); all sit idle for
10 s; then, for every round, everyone submits their lesson form within the same `--spread`
seconds and the facilitator presses "Next step", and every screen must follow
(`--self-paced`: everyone presses Next instead). Fragments with `run_every` are rerun on a
timer, as the browser does. Printed: sessions held, answers sent, confirmed ("Saved" shown,
by the run the submit started or, within 15 s, by a later redraw, counted apart) and
stored (rows counted in the file after the server stops; they must be equal),
p50/p95/p99 of submit to written (the submit leaving the client to the timestamp the save
stamps on its rows as it hands them to the writer; the commit follows within the writer's
batch) and of submit to "Saved" (the confirmation arriving: the page shows it only after the
commit), of rerun time, the time from "Next
step" to each screen on the new step, how far the projector's answer count is behind the
confirmations, the server's CPU, peak RSS and threads sampled from /proc, and how busy the
whole machine was during the run, with the share the hypervisor took ("steal").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import datetime as dt
import os
import random
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/load_room.py` puts bench/, not the repo
# root, on sys.path.
import websockets  # noqa: E402
from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402
from streamlit.proto.WidgetStates_pb2 import WidgetState  # noqa: E402

from bench.common import cpu_times, machine, spread, steal_share  # noqa: E402
from harness.server import Server  # noqa: E402

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
    ) -> None:
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
        self.trace: list[str] = []  # the last messages, for a run that never finishes

    # -- connection --

    async def open(self) -> Run:
        self._ws = await websockets.connect(
            self.ws_url,
            subprotocols=[websockets.Subprotocol("streamlit")],
            max_size=None,
            open_timeout=60,
            ping_interval=None,
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
        elif kind == "script_finished" and (
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

    def __init__(self, base_url: str, index: int, code: str, table: str) -> None:
        self.index = index
        self.code = code
        self.table = table
        self.tab = Tab(base_url)
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
        """Fill every box and rating of the lesson form on screen."""
        values: dict[str, WidgetState] = {}
        for n, element in enumerate(self.tab.of_kind("text_area")):
            text = (
                f"Table {self.table}, person {self.index}, step {step}, prompt {n}: "
                "we would ask who is missing from the room and call them this week. "
                "שלום · 👋🏽 · <b>not bold</b>"
            )
            values[element.text_area.id] = text_value(element, text)
        for n, element in enumerate(self.tab.of_kind("button_group")):
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


# --- the server -----------------------------------------------------------------------------


@dataclasses.dataclass
class Sample:
    at: float
    cpu_seconds: float
    rss_mb: float
    threads: int


class ProcessSampler:
    """Samples a process's CPU time, RSS and thread count from /proc every `every` seconds."""

    def __init__(self, pid: int, every: float = 0.5) -> None:
        self.pid = pid
        self.every = every
        self.samples: list[Sample] = []
        self._tick = os.sysconf("SC_CLK_TCK")

    def sample(self) -> Sample | None:
        try:
            stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return None
        cpu = (int(stat[11]) + int(stat[12])) / self._tick
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        rss = int(fields["VmRSS"].split()[0]) / 1024
        found = Sample(time.perf_counter(), cpu, rss, int(fields["Threads"]))
        self.samples.append(found)
        return found

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.sample()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.every)

    def cpu_between(self, start: float, end: float) -> float:
        """Average CPU use between two moments, in cores."""
        inside = [s for s in self.samples if start <= s.at <= end]
        if len(inside) < 2:
            return float("nan")
        first, last = inside[0], inside[-1]
        return (last.cpu_seconds - first.cpu_seconds) / (last.at - first.at)

    def busiest_cpu(self, window: float = 2.0) -> float:
        """Highest CPU use over any `window` seconds, in cores (2.0 = both cores busy)."""
        best = 0.0
        for i, first in enumerate(self.samples):
            for later in self.samples[i + 1 :]:
                if later.at - first.at >= window:
                    best = max(
                        best, (later.cpu_seconds - first.cpu_seconds) / (later.at - first.at)
                    )
                    break
        return best


# --- the room -------------------------------------------------------------------------------


def create_workshop(db: Path) -> str:
    """A facilitated workshop in a fresh file, before the server opens it; its join code.
    (The fault tests use this; the bench uses `set_up_room`.)"""
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


def stored_times(db: Path) -> dict[tuple[str, str], float]:
    """When each participant's answers to each lesson were written, as Unix time: the
    `updated_at` that `save_answers` stamps on the rows as it hands them to the writer (the
    commit follows within the writer's batch, p95 58 ms for 200 forms at once in
    bench_writes.py). Keyed by (display name, lesson id); opened after the server stopped."""
    from workbook.store import Store

    store = Store(db)
    try:
        rows = store._all(
            "SELECT p.display_name, a.lesson_id, max(a.updated_at) FROM ("
            " SELECT participant_id, lesson_id, updated_at FROM reflections UNION ALL"
            " SELECT participant_id, lesson_id, updated_at FROM ratings) a"
            " JOIN participants p ON p.id = a.participant_id GROUP BY ALL"
        )
        return {
            (str(name), str(lesson)): at.replace(tzinfo=dt.UTC).timestamp()
            for name, lesson, at in rows
        }
    finally:
        store.close()


def stored_answers(db: Path) -> tuple[int, int]:
    """(reflections, ratings) in the file; opened after the server has stopped."""
    from workbook.store import Store

    store = Store(db)
    try:
        reflections = store._one("SELECT count(*) FROM reflections")
        ratings = store._one("SELECT count(*) FROM ratings")
        assert reflections is not None and ratings is not None
        return int(reflections[0]), int(ratings[0])
    finally:
        store.close()


@dataclasses.dataclass
class RoomSetup:
    """What the harness prepares in the file before the server opens it."""

    code: str
    facilitator_key: str
    projector_token: str  # "" when the app has no projector links (yet)
    titles: list[str]  # lesson titles, in step order
    lesson_ids: list[str]  # lesson ids, in step order


@dataclasses.dataclass
class RoomServer:
    """A fresh database with one room in a temp folder, its server, and a sampler of it."""

    folder: Path
    db: Path
    room: RoomSetup
    server: Server
    sampler: ProcessSampler


def start_room_server(prefix: str, flags: Iterable[str] = ()) -> RoomServer:
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    db = folder / "room.duckdb"
    room = set_up_room(db)
    server = Server(db, flags=flags)
    return RoomServer(folder, db, room, server, ProcessSampler(server.pid))


def set_up_room(db: Path) -> RoomSetup:
    """A facilitated workshop following the facilitator, its projector on the first step."""
    from workbook.lessons import load_lessons
    from workbook.models import WorkshopCreate
    from workbook.store import Store

    lessons = load_lessons(ROOT / "lessons").lessons
    store = Store(db)
    try:
        workshop, key = store.create_workshop(
            workshop=WorkshopCreate(title="Load test room", cause="Bench")
        )
        token = ""
        with contextlib.suppress(AttributeError, ImportError, TypeError):
            from workbook.live import STEP_SCREEN, default_focus

            first = lessons[0]
            store.set_screen(workshop_id=workshop.id, screen=STEP_SCREEN)  # type: ignore[attr-defined]
            focus = default_focus([p.id for p in first.prompts], [s.id for s in first.ratings])
            if focus is not None:
                store.set_focus(workshop_id=workshop.id, focus=focus)  # type: ignore[attr-defined]
            token = store.new_projector_link(workshop_id=workshop.id)  # type: ignore[attr-defined]
        return RoomSetup(
            workshop.join_code,
            key,
            token,
            [lesson.title for lesson in lessons],
            [lesson.id for lesson in lessons],
        )
    finally:
        store.close()


_COUNT = re.compile(r'data-testid="wbp-(?:count|status)">(?:<b>)?(\d+)')


class ProjectorWatch:
    """A projector window: records when the answer count it shows goes up."""

    def __init__(self, base_url: str, token: str) -> None:
        self.updates: list[tuple[float, int]] = []
        self.tab = Tab(base_url, query={"p": token}, page="projector", on_element=self._seen)

    def _seen(self, element: Element) -> None:
        if element.WhichOneof("type") != "html":
            return
        found = _COUNT.search(element.html.body)
        if found:
            count = int(found.group(1))
            if not self.updates or count != self.updates[-1][1]:
                self.updates.append((time.perf_counter(), count))

    def lags(self, confirmed_at: list[float], since: float) -> list[float]:
        """For the k-th confirmation after `since`: seconds until the projector showed k
        answers or more (0 when it showed them first: the commit comes before the reply)."""
        shown = [(t, n) for t, n in self.updates if t >= since]
        lags = []
        for k, confirmed in enumerate(sorted(confirmed_at), start=1):
            first = next((t for t, n in shown if n >= k), None)
            if first is None:
                lags.append(float("inf"))
            else:
                lags.append(max(0.0, first - confirmed))
        return lags


class Facilitator:
    """The facilitator's laptop: signs in on the console and moves the room."""

    def __init__(self, base_url: str, code: str, key: str) -> None:
        self.code, self.key = code, key
        self.tab = Tab(base_url, page="facilitator")

    async def sign_in(self) -> None:
        tab = self.tab
        await tab.open()
        await tab.submit(
            "Sign in",
            {
                "code": text_value(tab.widget("text_input", "Workshop code"), self.code),
                "key": text_value(tab.widget("text_input", "Facilitator key"), self.key),
            },
        )
        if not tab.has("button", "Next step"):
            raise ProtocolError(f"the facilitator could not sign in: {tab.alerts()}")

    async def next_step(self) -> None:
        await self.tab.click("Next step")


@dataclasses.dataclass
class RoomResult:
    held: int
    joined: int
    submits: list[Submit]
    reruns: list[float]
    join_seconds: float
    errors: list[str]
    projector_lags: list[float]
    moves: list[float]  # seconds from "Next step" to each participant's screen on that step
    mode: str
    idle: tuple[float, float] = (0.0, 0.0)  # a quiet window with everyone seated


async def fill_room(
    base_url: str,
    room: RoomSetup,
    *,
    participants: int,
    rounds: int,
    spread_seconds: float,
    tables: int,
    join_concurrency: int,
    follow: bool = True,
    join_budget: float = 300,
    idle_seconds: float = 10,
    seed: int = 7,
) -> RoomResult:
    """Join everyone (a few at a time, as people arrive), then `rounds` bursts in which all
    submit within `spread_seconds`; between bursts the facilitator moves the room (or, when
    not `follow`ing, everyone presses Next)."""
    rng = random.Random(seed)
    people = [
        Participant(base_url, i, room.code, f"Table {i % tables + 1}") for i in range(participants)
    ]
    errors: list[str] = []
    gate = asyncio.Semaphore(join_concurrency)
    facilitator = Facilitator(base_url, room.code, room.facilitator_key) if follow else None
    projector = ProjectorWatch(base_url, room.projector_token) if room.projector_token else None
    if facilitator is not None:
        await facilitator.sign_in()
    if projector is not None:
        await projector.tab.open()

    async def join(person: Participant) -> bool:
        async with gate:
            try:
                await person.join()
                return True
            except (ProtocolError, OSError, websockets.WebSocketException) as error:
                errors.append(f"join {person.index}: {error}")
                return False

    started = time.perf_counter()
    joining = [asyncio.create_task(join(p)) for p in people]
    done, late = await asyncio.wait(joining, timeout=join_budget)
    for task in late:
        task.cancel()
    if late:
        errors.append(f"{len(late)} participant(s) not seated within {join_budget:.0f} s")
        await asyncio.gather(*late, return_exceptions=True)
    join_seconds = time.perf_counter() - started
    seated = [
        p
        for p, task in zip(people, joining, strict=True)
        if task in done and not task.cancelled() and task.result()
    ]
    submits: list[Submit] = []
    lags: list[float] = []
    moves: list[float] = []
    # Everyone seated, nobody typing: what the room costs while it only waits (live screens
    # polling the database).
    idle_started = time.perf_counter()
    await asyncio.sleep(idle_seconds)
    idle = (idle_started, time.perf_counter())

    async def burst(person: Participant, step: int) -> None:
        await asyncio.sleep(rng.uniform(0, spread_seconds))
        try:
            submit = await person.submit_answers(step)
            submits.append(submit)
            if submit.message.startswith("no finished run"):
                errors.append(f"submit {person.index} step {step}: {submit.message}")
            if step < rounds - 1 and not follow:
                await person.next_step()
        except (ProtocolError, OSError, websockets.WebSocketException) as error:
            errors.append(f"submit {person.index} step {step}: {error}")

    def on_step(step: int) -> Callable[[Tab], bool]:
        title = room.titles[step]
        return lambda tab: title in tab.headings() and tab.has("button", "Save answers")

    for step in range(rounds):
        round_started = time.perf_counter()
        await asyncio.gather(*(burst(p, step) for p in seated))
        if projector is not None:
            await asyncio.sleep(3)  # let the projector catch up before it is read
            confirmed = [
                s.sent_at + s.saved_after
                for s in submits
                if s.step == step and s.saved_after is not None
            ]
            lags.extend(projector.lags(confirmed, round_started))
        if facilitator is not None and step < rounds - 1:
            moved_at = time.perf_counter()
            try:
                await facilitator.next_step()
            except ProtocolError as error:  # the room may still move once the server catches up
                errors.append(f"facilitator's Next step: {error}"[:300])

            async def follow_room(
                person: Participant, step: int = step, moved_at: float = moved_at
            ) -> None:
                try:
                    await person.tab.wait_for(on_step(step + 1), timeout=120)
                    moves.append(time.perf_counter() - moved_at)
                except ProtocolError as error:
                    elements = person.tab.elements.values()
                    shown = sorted({e.WhichOneof("type") or "" for e in elements})
                    errors.append(
                        f"move {person.index} to step {step + 1}: {error}; shown: {shown};"
                        " last messages: " + " | ".join(person.tab.trace[-10:])
                    )

            await asyncio.gather(*(follow_room(p) for p in seated))
    held = sum(1 for p in people if not p.tab.closed)
    for person in people:
        errors.extend(f"exception on page {person.index}: {e}" for e in person.tab.exceptions)
    await asyncio.gather(*(p.tab.close() for p in people))
    for extra in (facilitator, projector):
        if extra is not None:
            await extra.tab.close()
    reruns = [r for p in people for r in p.reruns]
    return RoomResult(
        held,
        len(seated),
        submits,
        reruns,
        join_seconds,
        errors,
        lags,
        moves,
        "follow the facilitator" if follow else "self-paced (everyone presses Next)",
        idle,
    )


def projector_note() -> str:
    page = (ROOT / "pages" / "projector.py").read_text(encoding="utf-8")
    if "being built" in page:
        return "projector lag: not measured yet (pages/projector.py is still a placeholder)"
    return "projector lag: not measured yet (the harness does not drive the projector page yet)"


async def main_async(options: argparse.Namespace) -> int:
    started = start_room_server("load-room-", options.flag)
    folder, db, room, server, sampler = (
        started.folder,
        started.db,
        started.room,
        started.server,
        started.sampler,
    )
    stop = asyncio.Event()
    sampling = asyncio.create_task(sampler.run(stop))
    import duckdb
    import streamlit

    print(machine(streamlit, duckdb, websockets))
    print("load average before: {:.2f} {:.2f} {:.2f} (whole machine)".format(*os.getloadavg()))
    if options.flag:
        print("server options:", " ".join(options.flag))
    print(
        f"server pid {server.pid} at {server.url}; {options.participants} participants at "
        f"{options.tables} tables, {options.rounds} round(s), submits spread over "
        f"{options.spread:.1f} s"
    )
    cpu_before = cpu_times()
    try:
        result = await fill_room(
            server.url,
            room,
            participants=options.participants,
            rounds=options.rounds,
            spread_seconds=options.spread,
            tables=options.tables,
            join_concurrency=options.join_concurrency,
            follow=not options.self_paced,
            join_budget=options.join_budget,
        )
    finally:
        cpu_after = cpu_times()
        stop.set()
        await sampling
        server.stop()
    reflections, ratings = stored_answers(db)
    sent = sum(s.answers for s in result.submits)
    acknowledged = sum(s.answers for s in result.submits if s.saved_after is not None)
    saved = [s.saved_after for s in result.submits if s.saved_after is not None]
    written_at = stored_times(db)
    written = [
        written_at[(f"P{s.participant}", room.lesson_ids[s.step])] - s.sent_wall
        for s in result.submits
        if (f"P{s.participant}", room.lesson_ids[s.step]) in written_at
    ]
    burst_reruns = [s.rerun for s in result.submits]
    peak = max((s.rss_mb for s in sampler.samples), default=0.0)
    threads = max((s.threads for s in sampler.samples), default=0)
    print(
        f"sessions held:      {result.held} of {options.participants} "
        f"(joined {result.joined} in {result.join_seconds:.1f} s)"
    )
    unfinished = sum(1 for s in result.submits if s.message.startswith("no finished run"))
    print(
        f"answers sent:       {sent} in {len(result.submits)} form submits"
        f" ({unfinished} whose page never finished redrawing)"
    )
    late = sum(1 for s in result.submits if s.late)
    print(
        f"answers confirmed:  {acknowledged} (the page showed 'Saved'; for {late} form(s) "
        "only in a later redraw)"
    )
    print(
        f"answers stored:     {reflections + ratings} ({reflections} reflections, "
        f"{ratings} ratings){'  OK: equal' if reflections + ratings == sent else '  LOST'}"
    )
    print(f"submit to written:  {spread(written)}  (the rows' timestamp, see stored_times)")
    print(f"submit to 'Saved':  {spread(saved)}  (the confirmation on screen, after the commit)")
    print(f"submit rerun:       {spread(burst_reruns)}")
    print(f"every rerun:        {spread(result.reruns)}")
    print(
        f"server peak RSS:    {peak:.0f} MB; peak threads {threads}; busiest 2 s of CPU "
        f"{sampler.busiest_cpu():.2f} cores"
    )
    print(
        f"seated, waiting:    server CPU {sampler.cpu_between(*result.idle):.2f} cores with "
        f"{result.joined} participants' screens (and the projector) polling"
    )
    print("load average after:  {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"machine during run: {steal_share(cpu_before, cpu_after)}")
    print(f"room:               {result.mode}")
    if result.moves:
        print(f"room move to screen:{spread(result.moves)}")
    if result.projector_lags:
        print(f"projector behind:   {spread(result.projector_lags)}")
    else:
        print(projector_note())
    if result.errors:
        print(f"{len(result.errors)} problem(s), first ones:")
        for line in result.errors[:10]:
            print("  ", line)
    unconfirmed = [s for s in result.submits if s.saved_after is None and not s.message]
    if unconfirmed:
        print(
            "never showed 'Saved' (and no message): "
            + ", ".join(f"participant {s.participant} step {s.step}" for s in unconfirmed[:10])
        )
    problems = [s for s in result.submits if s.message]
    if problems:
        print(f"{len(problems)} submit(s) showed a message: {problems[0].message}")
    ok = reflections + ratings == sent == acknowledged and not result.errors
    if options.keep:
        print(f"kept: {folder}")
    return 0 if ok else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="lesson forms each one submits")
    parser.add_argument("--spread", type=float, default=1.0, help="seconds the burst spans")
    parser.add_argument("--tables", type=int, default=25)
    parser.add_argument("--join-concurrency", type=int, default=20)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder")
    parser.add_argument(
        "--join-budget", type=float, default=300, help="seconds allowed for everyone to join"
    )
    parser.add_argument(
        "--self-paced",
        action="store_true",
        help="everyone presses Next between rounds (default: the facilitator moves the room)",
    )
    parser.add_argument(
        "--flag",
        action="append",
        default=[],
        metavar="OPTION=VALUE",
        help="a Streamlit option for the server, e.g. runner.postScriptGC=false (repeatable)",
    )
    raise SystemExit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
