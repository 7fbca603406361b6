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

Direction: a name may hold a right-to-left override it never closes, which would reverse
the app's own words after it ("code VQF-HPQ" read backwards). So every piece of user text is
isolated from the text around it at display time (workbook/bidi.py; what is stored stays as
typed): in HTML inside <bdi> (`user_html`, which `user_heading` and `user_caption` use), and
wherever user text shares a line with other words in plain text (st.text, an option label,
a table cell, a chart label) wrapped by `isolate`. A paragraph that is only the person's own
words (`user_text`), an option or a table cell that is only a name, and a text box's value
are blocks of their own, which a direction control cannot reach out of: they stay as typed.
"""

from __future__ import annotations

import html

import streamlit as st

from workbook.bidi import bdi, bdi_heading, isolate

__all__ = [
    "escaped",
    "heading_html",
    "isolate",
    "user_caption",
    "user_heading",
    "user_html",
    "user_text",
]


def user_text(text: str) -> None:
    """A paragraph of someone's own words, shown exactly as typed: a block of its own, so a
    direction control in it ends with it. A paragraph mixing the app's words with user text
    passes each piece of user text through `isolate` first."""
    st.text(text, width="stretch")


def user_heading(
    text: str, *, level: int = 1, caption: str | None = None, unbroken: str | None = None
) -> None:
    """A heading made of user text (a workshop or group name), escaped, never interpreted,
    in <bdi> (`heading_html`). `caption` is the app's line under it: any user text in it
    must come isolated (`isolate`). `unbroken` ends that line and is never split across two
    lines (a join code: "GGN-" / "B9P" on two lines reads as two codes)."""
    tag = f"h{max(1, min(level, 4))}"
    parts = [escaped(caption)] if caption else []
    if unbroken:
        parts.append(
            f'<span class="wb-nowrap" style="white-space:nowrap">{escaped(unbroken)}</span>'
        )
    line = " · ".join(parts)
    extra = f'<p class="wb-caption">{line}</p>' if line else ""
    st.html(f'<{tag} class="wb-heading">{heading_html(text)}</{tag}>{extra}')


def heading_html(text: str) -> str:
    """A title of user text for an HTML heading: escaped and isolated as `user_html`, and a
    left-to-right title keeps digits and punctuation after a right-to-left word after it
    (workbook/bidi.py `bdi_heading`). Every heading of a workshop title uses it."""
    return bdi_heading(text)


def user_caption(text: str) -> None:
    """A small grey line holding user text (who wrote an answer), escaped: st.caption would
    read it as Markdown. Several pieces of user text in one line each come isolated."""
    st.html(f'<p class="wb-caption">{user_html(text)}</p>')


def user_html(text: str) -> str:
    """User text for an HTML body: escaped, in <bdi> so its direction stays inside
    (workbook/bidi.py)."""
    return bdi(text)


def escaped(text: str) -> str:
    """Text for an HTML body or attribute: shown as typed, never read as markup. Not
    isolated: for user text in an HTML body use `user_html`."""
    return html.escape(text, quote=True)
