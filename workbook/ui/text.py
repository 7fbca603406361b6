"""Showing user text safely: always as text, never as HTML, Markdown, LaTeX or a link.

Every name, title, answer, note and quote a person typed reaches the screen through this
module, or as a value Streamlit itself shows as plain text. What Streamlit 1.67 does with a
string (seen in a real Chromium; tests/test_hostile_input.py checks the app keeps to it):

- Markdown, with links, images, emoji and icon shortcodes (:smile:, :material/home:),
  colours (:red[x]) and LaTeX ($x$), and URLs made into links: st.markdown, st.caption,
  st.title/header/subheader, st.info/success/warning/error, st.toast, every widget's label
  and help, the options of st.radio, st.segmented_control and st.pills, button, tab and
  expander labels, and st.metric's label. None of these is ever given user text.
- Plain text: st.text (`user_text`), st.code, the options of st.selectbox and
  st.multiselect, the value of a text box, and the cells of st.dataframe and st.data_editor.
- HTML: st.html, so user text there is escaped (`user_heading`, `user_caption`, `escaped`).
- Plotly reads a few HTML tags in labels and hover text (<b>, <a href>, <br>): user text
  going into a figure is escaped by the chart builders (workbook/charts).
"""

from __future__ import annotations

import html

import streamlit as st


def user_text(text: str) -> None:
    """A paragraph of someone's own words, shown exactly as typed."""
    st.text(text, width="stretch")


def user_heading(text: str, *, level: int = 1, caption: str | None = None) -> None:
    """A heading made of user text (a workshop or group name), escaped, never interpreted."""
    tag = f"h{max(1, min(level, 4))}"
    extra = f'<p class="wb-caption">{escaped(caption)}</p>' if caption else ""
    st.html(f'<{tag} class="wb-heading">{escaped(text)}</{tag}>{extra}')


def user_caption(text: str) -> None:
    """A small grey line holding user text (who wrote an answer), escaped: st.caption would
    read it as Markdown."""
    st.html(f'<p class="wb-caption">{escaped(text)}</p>')


def escaped(text: str) -> str:
    """User text for an HTML body or attribute: shown as typed, never read as markup."""
    return html.escape(text, quote=True)
