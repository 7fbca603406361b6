"""Projector screen: join code and QR while people join, then the room's step and results."""

import streamlit as st

from workbook.ui import context, facilitator, projector

ctx = context.load()
projector.set_up()
signed_in = st.session_state.get(facilitator.SIGNED_IN)
workshop_id = projector.projector_workshop(ctx.store, signed_in)
if workshop_id is None:
    projector.no_access(had_token=bool(projector.projector_token()))
    st.stop()
projector.live_screen(
    ctx.store,
    ctx.all_lessons,  # the workshop's plan is applied at each refresh
    workshop_id,
    projector.public_base_url(projector.PROJECTOR_PATH),
    # Opened by its link: checked again at every refresh, so stopping the links blanks it.
    projector.projector_token() if workshop_id != signed_in else "",
)
