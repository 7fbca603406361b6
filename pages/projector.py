"""Projector screen: join code and QR while people join, then the live step (issue 4)."""

import streamlit as st

st.title("Projector")
st.info("The projector screen is being built.", icon=":material/construction:")
