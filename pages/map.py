"""Our stakeholder map: worksheet, ties, views, measures, the energy trade-off and snapshots."""

import streamlit as st

from workbook.ui import context, map_page
from workbook.ui.widgets import seat_header

# The views and tables need room: this screen uses the full width of the window.
st.set_page_config(layout="wide")
ctx = context.load()
if ctx.seat is None:  # navigation only offers this page to seated visitors; a stale tab lands here
    st.switch_page("pages/start.py")

seat_header(ctx.seat)
map_page.render(ctx.store, ctx.seat)
