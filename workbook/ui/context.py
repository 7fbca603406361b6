"""What every page needs in one run: the store, the lessons and who is at this browser."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.lessons import LessonSet
from workbook.records import Seat
from workbook.store import Store
from workbook.ui import resources, session


@dataclass(frozen=True)
class Context:
    store: Store
    lessons: LessonSet
    seat: Seat | None


def load() -> Context:
    """Read the context afresh. app.py and each page call it once per run: the seat is one
    small query, and reading it in the page too means a page is right even when Streamlit
    runs it without app.py (its old pages/ folder mode does so on a process's first run)."""
    store = resources.store()
    return Context(store=store, lessons=resources.lessons(), seat=session.current_seat(store))
