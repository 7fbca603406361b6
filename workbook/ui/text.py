"""Showing user text safely: always as text, never as HTML or Markdown."""

from __future__ import annotations

import html

import streamlit as st


def user_text(text: str) -> None:
    """A paragraph of someone's own words, shown exactly as typed."""
    st.text(text, width="stretch")


def user_heading(text: str, *, level: int = 1, caption: str | None = None) -> None:
    """A heading made of user text (a workshop or group name), escaped, never interpreted."""
    tag = f"h{max(1, min(level, 4))}"
    extra = f'<p class="wb-caption">{html.escape(caption)}</p>' if caption else ""
    st.html(f'<{tag} class="wb-heading">{html.escape(text)}</{tag}>{extra}')


def escaped(text: str) -> str:
    return html.escape(text, quote=True)
