"""Keeping someone's text from turning the app's own text around it (bidi isolation).

A name may hold direction controls (U+202E RIGHT-TO-LEFT OVERRIDE and friends) that are never
closed. Shown next to the app's words, such a control reverses everything after it on the line:
"Table 3 · code VQF-HPQ" reads "QPH-FQV edoc · 3 elbaT". Stored text stays exactly as typed;
only what is shown is wrapped, at display time, in an isolate: FIRST STRONG ISOLATE (U+2068)
before and POP DIRECTIONAL ISOLATE (U+2069) after, which the Unicode Bidirectional Algorithm
ends every embedding, override and isolate opened inside with. HTML uses <bdi> for the same
(workbook/ui/text.py, workbook/export.py); plain-text places (st.text, option labels, chart
labels, table cells mixing a name with other words) use `isolate`.

A pop (U+2069) typed in the text itself with nothing to close would close our isolate early and
let what follows escape; `isolate` opens one more isolate for each such pop, so the text can
never reach past its own wrapping. Files and exports of data (CSV, XLSX, JSON) keep text as
typed and are not wrapped.
"""

from __future__ import annotations

import html
import unicodedata

FSI = "\u2068"  # FIRST STRONG ISOLATE: direction from the text's first strong letter
PDI = "\u2069"  # POP DIRECTIONAL ISOLATE
_ISOLATE_OPENERS = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
EMBEDDING_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Bidi classes that can move text around them: right-to-left letters and Arabic digits, and
# every explicit embedding, override and isolate control.
_TURNING = frozenset(
    {"R", "AL", "AN", "LRE", "LRO", "RLE", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)


def can_turn(text: str) -> bool:
    """Whether `text` holds anything that can change the order of text next to it: a
    right-to-left letter, an Arabic digit or a direction control."""
    return any(unicodedata.bidirectional(character) in _TURNING for character in text)


def isolate(text: str) -> str:
    """`text` wrapped so nothing in it reaches the text around it: FSI, the text exactly as
    given, PDI; one more FSI in front for each pop in the text that closes nothing of the
    text's own (it closes one of ours instead). Text that cannot turn anything (no
    right-to-left letter, no direction control: `can_turn`) comes back as it is, so a name
    copied from the screen carries no invisible characters it did not have."""
    if not can_turn(text):
        return text
    if not any(character in EMBEDDING_CONTROLS for character in text):
        return f"{FSI}{text}{PDI}"
    open_isolates = 0
    stray_pops = 0
    for character in text:
        if character in _ISOLATE_OPENERS:
            open_isolates += 1
        elif character == PDI:
            if open_isolates:
                open_isolates -= 1
            else:
                stray_pops += 1
    # Each PDI closes the innermost open isolate and every embedding or override opened
    # inside it, so closing all of ours and the text's own unclosed ones ends them all.
    return f"{FSI * (1 + stray_pops)}{text}{PDI * (1 + open_isolates)}"


def bdi(text: str) -> str:
    """User text for an HTML body: escaped (never read as markup) inside <bdi>, which isolates
    it. A pop (U+2069) in the text that closes nothing ends a <bdi>'s isolation early (seen in
    Chromium 14x), so text holding direction controls is also balanced (`isolate`) inside."""
    inner = isolate(text) if any(c in EMBEDDING_CONTROLS for c in text) else text
    return f"<bdi>{html.escape(inner, quote=True)}</bdi>"


_STRONG_RTL = frozenset({"R", "AL"})
_ENDS_RTL = frozenset({"R", "AL", "AN"})  # what a right-to-left stretch of a line ends with


def first_strong(text: str) -> str | None:
    """The direction of the first strong letter in `text` ("ltr" or "rtl"), as a browser's
    dir="auto" finds it; None when it holds no letter of either direction."""
    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind == "L":
            return "ltr"
        if kind in _STRONG_RTL:
            return "rtl"
    return None


def bdi_heading(text: str) -> str:
    """A heading's user text (a workshop title) for an HTML body: escaped and isolated as
    `bdi`, and a left-to-right title keeps the order it was typed in around its right-to-left
    words. By the Unicode Bidirectional Algorithm, digits and punctuation after a right-to-left
    word at the end of a left-to-right line join that word: "Spring day שלום - 2" is shown as
    "Spring day 2 - םולש" (seen in Chromium on the console, projector and participant pages).
    So each right-to-left stretch (from its first right-to-left letter to its last one before
    the next left-to-right letter, digits and spaces inside it kept with it) gets an isolate of
    its own, read right to left, and what follows it stays after it. A title that starts
    right-to-left (or holds no letter, or holds direction controls, which `bdi` balances) is
    shown as `bdi` shows it: it reads right to left as typed."""
    if not can_turn(text) or first_strong(text) != "ltr":
        return bdi(text)
    if any(character in EMBEDDING_CONTROLS for character in text):
        return bdi(text)
    kinds = [unicodedata.bidirectional(character) for character in text]
    pieces: list[str] = []
    at = 0
    while at < len(text):
        if kinds[at] in _STRONG_RTL:
            last = at
            end = at
            while end < len(text) and kinds[end] != "L":
                if kinds[end] in _ENDS_RTL:
                    last = end
                end += 1
            pieces.append(f'<bdi dir="rtl">{html.escape(text[at : last + 1], quote=True)}</bdi>')
            at = last + 1
        else:
            end = at
            while end < len(text) and kinds[end] not in _STRONG_RTL:
                end += 1
            pieces.append(html.escape(text[at:end], quote=True))
            at = end
    return f'<bdi dir="ltr">{"".join(pieces)}</bdi>'
