"""Funder view: what many groups said, in aggregate, without exposing anyone (issue 5)."""

import streamlit as st

st.title("For funders")
st.info("The funder view is being built.", icon=":material/construction:")
