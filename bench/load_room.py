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

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

# Imports after the path line on purpose: `python bench/load_room.py` puts bench/, not the repo
# root, on sys.path.
import websockets  # noqa: E402
from streamlit.proto.Element_pb2 import Element  # noqa: E402

from bench.common import cpu_times, machine, spread, steal_share  # noqa: E402
from harness.room_client import (  # noqa: E402
    Participant,
    ProtocolError,
    Submit,
    Tab,
    text_value,
)
from harness.server import Server  # noqa: E402

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

    def cpu_seconds_between(self, start: float, end: float) -> float:
        """CPU seconds used from the last sample before `start` to the first after `end`."""
        before = [s for s in self.samples if s.at <= start]
        after = [s for s in self.samples if s.at >= end]
        if not before or not after:
            return float("nan")
        return after[0].cpu_seconds - before[-1].cpu_seconds

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
    move_windows: list[tuple[float, float]] = dataclasses.field(default_factory=list)
    # The Cookie headers the tabs sent (behind nginx, the sticky cookie names the process).
    facilitator_cookie: str = ""
    participant_cookies: list[str] = dataclasses.field(default_factory=list)


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
    move_windows: list[tuple[float, float]] = []
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
            move_windows.append((moved_at, time.perf_counter()))
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
        move_windows,
        facilitator.tab.cookie if facilitator is not None else "",
        [p.tab.cookie for p in people],
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
    for start, end in result.move_windows:  # what a move cost, whatever the machine gave
        used, per = sampler.cpu_seconds_between(start, end), 1000 / max(1, result.joined)
        took = end - start
        print(f"room move CPU:      {used:.2f} CPU-s in {took:.1f} s ({used * per:.0f} ms each)")
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
