"""The console's "End the session": the facilitator says the room is over, so groups may start
a follow-up round at once. Without it a phone waits until the room has been quiet for
ROOM_QUIET_BEFORE_FOLLOW_UP (workbook/progress.py): a round started while the room runs would
switch that table's answers to the new round halfway through the session. Any change to the
room after the end starts it again (Store.room_ended)."""

from __future__ import annotations

import streamlit as st

from workbook.progress import ROOM_QUIET_BEFORE_FOLLOW_UP
from workbook.records import Workshop
from workbook.store import Store
from workbook.ui.i18n import translator


def panel(store: Store, workshop: Workshop) -> None:
    _ = translator()
    if workshop.self_guided:
        return
    if store.room_ended(workshop.id):
        st.success(
            _(
                "The session has ended: groups can start a follow-up round on their results "
                "page. Any change to the room starts the session again."
            ),
            icon=":material/flag:",
        )
        return
    with st.popover(_("End the session"), icon=":material/flag:"):
        st.caption(
            _(
                "For when the workshop is over: groups can then start a follow-up round at "
                "once, instead of {hours} hours after your last change to the room. A round "
                "started while the room still runs takes that table's answers out of the "
                "room's results."
            ).format(hours=round(ROOM_QUIET_BEFORE_FOLLOW_UP.total_seconds() / 3600))
        )
        st.button(
            _("Yes, end the session"),
            key="room_end_confirm",
            type="primary",
            on_click=store.end_room,
            kwargs={"workshop_id": workshop.id},
        )
