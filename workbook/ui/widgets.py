"""Small pieces of screen shared by pages: error lists, the step header, confirmations."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbook.records import Seat
from workbook.ui.text import user_heading


def show_errors(sentences: Sequence[str]) -> None:
    """Plain sentences, one per problem, in one error box. Always text, never Markdown."""
    if sentences:
        st.error("\n".join(f"• {sentence}" for sentence in sentences), icon=":material/error:")


def seat_header(seat: Seat) -> None:
    """Which workshop and group this screen belongs to (user text, shown as text)."""
    who = seat.group.name
    if seat.participant.display_name:
        who = f"{who} · {seat.participant.display_name}"
    round_note = (
        ""
        if seat.group.current_round == 1
        else f" · follow-up round {seat.group.current_round - 1}"
    )
    user_heading(
        seat.workshop.title,
        level=2,
        caption=f"{who}{round_note} · code {seat.workshop.display_code}",
    )
