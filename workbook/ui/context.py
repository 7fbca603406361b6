"""What every page needs in one run: the store, the lessons and who is at this browser."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from workbook.lessons import LessonSet
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import resources, session

_RUN_CONTEXT = "context_this_run"


@dataclass(frozen=True)
class Context:
    store: Store
    lessons: LessonSet
    seat: Seat | None


def load() -> Context:
    """Build the context for this run (app.py calls it once, before the page runs)."""
    store = resources.store()
    context = Context(store=store, lessons=resources.lessons(), seat=session.current_seat(store))
    st.session_state[_RUN_CONTEXT] = context
    return context


def get() -> Context:
    """The context app.py built for this run (or a fresh one, e.g. in a page-only test)."""
    context = st.session_state.get(_RUN_CONTEXT)
    return context if isinstance(context, Context) else load()


def refresh_seat() -> Context:
    """Re-read the seat after something about it changed (joined, new round, left)."""
    return load()
