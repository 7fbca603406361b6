"""What every page needs in one run: the store, the lessons and who is at this browser."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbook.lessons import LessonSet
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import resources, session


@dataclass(frozen=True)
class Context:
    store: Store
    lessons: LessonSet
    seat: Seat | None


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
    """The context for a page: the one app.py read in this run, or else read afresh. A page
    run without app.py (Streamlit's old pages/ folder mode does so on a process's first run)
    finds nothing left for it, and one left by a run that stopped early is replaced by app.py
    at the start of the next run, so a page never sees another run's context."""
    handed = st.session_state.pop(_HANDED_TO_PAGE, None)
    return handed if isinstance(handed, Context) else _read()


def _read() -> Context:
    store = resources.store()
    return Context(store=store, lessons=resources.lessons(), seat=session.current_seat(store))
