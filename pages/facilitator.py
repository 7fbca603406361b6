"""Facilitator console: sign in with the key; pace, moderate, time and export (issue 4)."""

import streamlit as st

st.title("Facilitator console")
st.info("The facilitator console is being built.", icon=":material/construction:")
