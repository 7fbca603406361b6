"""Where the list view says that a card was removed: in the card's own place in the list.

The remove button sits at the foot of an opened card, often far down a long list. Said at the
top of the list, "Saved: 1 stakeholder deleted." was off a phone's screen, and the person was
left looking at whatever slid up under their thumb. As mature tools do (GOV.UK's notification
banner, a mail app's "Conversation deleted"), the sentence takes the place of the card that
went: it is scrolled to the middle of the screen and given the focus, so the next Tab starts
from there (the button that had the focus is gone), and a screen reader reads it out (the
message is a status, role="status"). A refusal shows in the same place, just above the card.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

import streamlit as st

from workbook.ui.widgets import focus_on_said

_GONE: Final = "map_cards_gone_{where}_{what}"  # where in its list the removed card was


def place(what: str) -> str:
    """The place (see map_cards.outcome) of what a removal of a `what` ("person", "tie") says."""
    return f"cards_gone_{what}"


def remember(where: str, what: str, position: int) -> None:
    """Before a removal is saved: the removed card's position in its list."""
    st.session_state[_GONE.format(where=where, what=what)] = position


def position(where: str, what: str) -> int | None:
    """Where the card removed on the last tap was (once), or None."""
    return st.session_state.pop(_GONE.format(where=where, what=what), None)


def notice(where: str, what: str, outcome: Callable[[str, str], None]) -> None:
    """What the removal said (through `outcome`), in the removed card's place, brought into
    view with the focus on it."""
    key = f"{where}_gone_{what}"
    with st.container(key=key):
        outcome(where, place(what))
        focus_on_said(key)
