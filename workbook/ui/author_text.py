"""Lesson titles are plain text, wherever they are shown.

Lesson authors are trusted, but only a lesson's body is Markdown (README, "Lessons"); its
title is plain text. Where a title must go into an element Streamlit reads as Markdown (a
page title, a progress bar's text, an expander's label, a subheader, a toast), `literal`
makes Streamlit show it character for character: Markdown's characters are
backslash-escaped (bold, links, :red[...] colours, $...$ formulas, and at the start a
heading, list or quote), and an invisible word joiner (U+2060) follows each colon and each
"www" before a full stop, because Streamlit's emoji and icon shortcodes (:smile:,
:material/home:) and its automatic links (http://..., www....) are found after the escapes
are read (seen in Chromium with Streamlit 1.67). A title without any of these characters
is passed unchanged.

A widget labelled with author text (a lesson's or a facilitator's own question or rating
statement) is drawn with `labelled`: Streamlit gives a widget's label, unchanged, to screen
readers as the widget's accessible name (aria-label), so a `literal` label would be read
with its backslashes ("Our \\*main\\* aim").

Text people typed does not come here: it goes through workbook/ui/text.py, never into a
Markdown element at all."""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from typing import Literal

import streamlit as st

from workbook.ui.text import escaped

# Markdown's inline syntax (emphasis, code, links and images, HTML and autolinks in <...>,
# formulas, strikethrough, character references), escaped wherever it is.
_INLINE = re.compile(r"([\\`*_\[\]<>$~&])")
# Block syntax only counts at the start of a line (a title is one line): a heading, a quote,
# a list item ("- ", "+ ", "1. ", "1) ").
_BLOCK_START = re.compile(r"^(\s*)([#>+-])")
_ORDERED_START = re.compile(r"^(\s*\d{1,9})([.)])")
_WWW = re.compile(r"(?i)\bwww(?=\.)")
_WORD_JOINER = "\u2060"


def literal(text: str) -> str:
    """`text` for a Markdown element, shown exactly as written. A title without Markdown's
    characters comes back unchanged."""
    escaped = _INLINE.sub(r"\\\1", text)
    escaped = _BLOCK_START.sub(r"\1\\\2", escaped)
    escaped = _ORDERED_START.sub(r"\1\\\2", escaped)
    escaped = escaped.replace(":", ":" + _WORD_JOINER)
    return _WWW.sub("www" + _WORD_JOINER, escaped)


# Markdown's image syntax: the one thing a label kept out of sight still does (its image is
# loaded, from anywhere).
_IMAGE = re.compile(r"!(?=\[)")


def labelled(
    text: str, *, disabled: bool = False
) -> tuple[AbstractContextManager[object], str, Literal["visible", "collapsed"]]:
    """Where to draw a widget labelled `text`, the label to give it and the label's
    visibility, so that the label seen and the name a screen reader reads are both `text`
    exactly as written:

        where, label, visibility = labelled(prompt.text)
        with where:
            st.text_area(label, label_visibility=visibility, ...)

    Text without Markdown's characters is the widget's own label, unchanged. Any other text
    is the widget's label as written, kept out of sight (Streamlit 1.67 reads a label as
    Markdown, aria-label takes it as given), and shown above it as escaped HTML, in a
    container without a gap, so it sits where the widget's own label would. The hidden label
    is never shown; the one Markdown in it that would still act, an image (loaded even out of
    sight), is broken by a word joiner after its "!", which no screen reader reads."""
    if literal(text) == text:
        return nullcontext(), text, "visible"
    where = st.container(gap=None)
    state = " wb-widget-label-disabled" if disabled else ""
    # Hidden from screen readers as Streamlit's own label is: they read it as the name.
    where.html(f'<p class="wb-widget-label{state}" aria-hidden="true">{escaped(text)}</p>')
    return where, _IMAGE.sub("!" + _WORD_JOINER, text), "collapsed"
