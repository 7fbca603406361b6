"""Our stakeholder map: worksheet, views, measures and the energy trade-off."""

import streamlit as st

st.title("Our stakeholder map")
st.info("The stakeholder map is being built.", icon=":material/construction:")
