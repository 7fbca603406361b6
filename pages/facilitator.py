"""Facilitator console: sign in with the workshop's key; pace, moderate, time and export."""

import streamlit as st

from workbook.ui import context, facilitator, style

ctx = context.load()
style.wide_page("1600px")  # two columns of controls and the live panel
st.title("Facilitator console")
workshop = facilitator.signed_in_workshop(ctx.store)
if workshop is None:
    facilitator.sign_in_form(ctx.store)
else:
    facilitator.console(ctx.store, ctx.lessons, workshop)
