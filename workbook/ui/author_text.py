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

Text people typed does not come here: it goes through workbook/ui/text.py, never into a
Markdown element at all."""

from __future__ import annotations

import re

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
