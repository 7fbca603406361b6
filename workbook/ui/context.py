"""What every page needs in one run: the store, the lessons and who is at this browser."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbook.config import PROJECT_ROOT
from workbook.lessons import LessonSet
from workbook.records import Seat
from workbook.store import Store, StoreError
from workbook.store.resume import MAX_TOKEN_CHARS
from workbook.ui import i18n, resources, session, workshop_lessons
from workbook.ui.style import APP_TITLE


@dataclass(frozen=True)
class Context:
    store: Store
    lessons: LessonSet  # the seated workshop's, under its plan (all lessons when not seated)
    seat: Seat | None
    # Every lesson file, whatever any plan says: for screens of another workshop than the
    # seat's (console, projector: see workshop_lessons) and for funders.
    file_lessons: LessonSet | None = None

    @property
    def all_lessons(self) -> LessonSet:
        return self.file_lessons if self.file_lessons is not None else self.lessons


# app.py reads the context and leaves it here for the page it runs in the same script run.
_HANDED_TO_PAGE = "context_handed_to_page"


def load_for_run() -> Context:
    """Read the context afresh for this script run (app.py) and leave it for the page: under
    load the seat query was the largest single cost of a run, and read twice per run."""
    st.session_state.pop(_HANDED_TO_PAGE, None)
    context = _read()
    st.session_state[_HANDED_TO_PAGE] = context
    return context


def load() -> Context:
    """The context for a page: the one app.py read in this run. One left by a run that
    stopped early is replaced by app.py at the start of the next run, so a page never sees
    another run's context. A page run without app.py around it finds none: see
    `_run_through_app`."""
    handed = st.session_state.pop(_HANDED_TO_PAGE, None)
    if isinstance(handed, Context):
        return handed
    _run_through_app()
    return _read()


def handed_to_page() -> bool:
    """Whether app.py read the context for this run (False: a page run without app.py around
    it, see `_run_through_app`, or a fragment's own run)."""
    return isinstance(st.session_state.get(_HANDED_TO_PAGE), Context)


def load_in_fragment() -> Context:
    """The context for a fragment that holds a whole page's body: the one app.py read when
    the fragment runs inside a page run, else read afresh for the fragment's own run (a
    room's wake-up: workbook_page)."""
    handed = st.session_state.pop(_HANDED_TO_PAGE, None)
    return handed if isinstance(handed, Context) else _read()


def _run_through_app() -> None:
    """Streamlit treats an app with a `pages/` folder as an old-style multipage app, running
    a page file alone, with a sidebar of raw file names, until the first `st.navigation` call
    in the process. So until someone opened the root URL, every visit straight to /funders or
    /facilitator ran without app.py: no navigation by role, no page titles, no run slots. Such
    a run calls `st.navigation` (public API; it switches the process to app.py's navigation
    for good) and runs again, now through app.py, on the same page: the stand-in pages carry
    the url paths of the page files, so the page being visited keeps its identity."""
    stand_ins = [st.Page(_nothing, title=APP_TITLE, default=True)] + [
        # Titled like the app, never by file name: the browser tab shows this title until
        # the run through app.py (which follows at once) sets the page's own.
        st.Page(_nothing, title=APP_TITLE, url_path=page.stem)
        for page in sorted((PROJECT_ROOT / "pages").glob("*.py"))
    ]
    st.navigation(stand_ins, position="hidden")
    st.rerun()


def _nothing() -> None:
    return None


def lessons_for(store: Store, workshop_id: int) -> LessonSet:
    """The lessons of one workshop in its own language, under its plan: the projector speaks
    the room's language, whatever the browser it runs in chose for itself."""
    in_its_language = resources.lessons(language=store.workshop_language(workshop_id))
    return workshop_lessons.workshop_lessons(store, workshop_id, in_its_language)


# Read (never written) here to know the workshop on screen before the sidebar is drawn:
# the facilitator console's session key (workbook/ui/facilitator.py SIGNED_IN) and its resume
# link's parameter (workbook/ui/facilitator_resume.py); importing those modules would load the
# whole console on every run.
_SIGNED_IN = "facilitator_workshop_id"
RESUME_PARAM = "r"
_LINK_LANGUAGE = "start_link_language"  # (code, language) of the workshop a join link names


def _join_link_language(store: Store) -> str | None:
    """The language of the workshop a join link (`/?w=CODE`) names, looked up once and kept
    for the session while the address names the same code."""
    code = session.code_from_url()
    if not code:
        return None
    kept = st.session_state.get(_LINK_LANGUAGE)
    if not (isinstance(kept, tuple) and kept[0] == code):
        if not session.is_join_link():
            return None
        try:
            workshop_id = store.find_workshop(code).id
        except StoreError:
            return None  # the form says why when the person presses "Find workshop"
        kept = (code, store.workshop_language(workshop_id))
        st.session_state[_LINK_LANGUAGE] = kept
    return str(kept[1])


def _console_language(store: Store) -> str | None:
    """The language of the workshop this browser's console is signed in to, or that the
    address's resume link opens (the console signs in with it later in this run)."""
    workshop_id = st.session_state.get(_SIGNED_IN)
    if workshop_id is None:
        token = st.query_params.get(RESUME_PARAM)
        if isinstance(token, str) and 0 < len(token) <= MAX_TOKEN_CHARS:
            workshop_id = store.resume_workshop(token)
    return store.workshop_language(workshop_id) if isinstance(workshop_id, int) else None


def screen_language(store: Store, seat: Seat | None) -> str | None:
    """The language of the workshop on this screen, known before the sidebar is drawn, so
    the pages' names speak it from the first draw: the seat's workshop, else the one the
    console is signed in to (or opened by its resume link), else the one a join link names;
    None for none (the browser's language, or English, then)."""
    if seat is not None:
        return store.workshop_language(seat.workshop.id)
    return _console_language(store) or _join_link_language(store)


def _read() -> Context:
    store = resources.store()
    seat = session.current_seat(store)
    # The workshop's language, unless this person chose their own (workbook/ui/i18n.py).
    i18n.use_workshop_language(screen_language(store, seat))
    lessons = resources.lessons(language=i18n.language())
    planned = workshop_lessons.seat_lessons(store, seat, lessons)  # the seat's plan
    return Context(store=store, lessons=planned, seat=seat, file_lessons=lessons)
