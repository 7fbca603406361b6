"""Text analysis of participants' answers: words, stop words, phrases and names blanked out.

One way of reading free text for the whole app: the live room's most frequent terms on the
projector and the funder release's phrases and quotes use the same tokeniser, the same stop
words and the same clause breaks. Pure functions; no Streamlit, no SQL.

- Words are runs of letters (with their combining marks, so Devanagari or pointed Hebrew stay
  whole), joined inside by an apostrophe or hyphen ("don't", "well-being"). Text is read in
  NFC, case-folded, with ’ read as '. Numbers are tokens of their own: never a word.
- Clauses: phrases never span punctuation ("allies, answer" is not a phrase anyone wrote), a
  line break, a spaced hyphen or any non-ASCII punctuation mark (。 ، — …). Apostrophes are
  part of words, not breaks.
- Stop words (STOP_WORDS) carry no meaning on their own. Anything else is kept, so a group's
  own vocabulary and any language still show.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# --- stop words -----------------------------------------------------------------------------

# A string split once at import: easier to read and extend than a list of quoted words. The
# union of the live room's list and the funder themes' list; ’ forms are added below.
_STOP_WORDS_TEXT = """
    a about above after again against all also always am an and any anyone anything are
    aren't as at be because been before being below between both but by can can't cannot
    could couldn't did didn't do does doesn't doing don't down during each either even ever
    every everyone everything feel feels few find first for from further get gets go going
    got had hadn't has hasn't have haven't having he her here hers herself him himself his
    how i i'm if in into is isn't it it's its itself just keep know least less let let's
    like little lot lots made make makes many may me might more most much must my myself
    need needs never next no nor not now of off often on once one only or other others
    ought our ours ourselves out over own rarely really same say see she should shouldn't
    so some someone something still such take takes than that that's the their theirs them
    themselves then there there's these they they're thing things think this those through
    to too under until up upon us use used using very want wants was wasn't way ways we
    we'd we're we've well were weren't what when where which while who whom whose why will
    with won't would wouldn't yes yet you your yours yourself yourselves
"""
_PLAIN_STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
# Both apostrophe forms, so a caller checking a word as typed ("don’t") finds it too.
STOP_WORDS: frozenset[str] = _PLAIN_STOP_WORDS | {w.replace("'", "’") for w in _PLAIN_STOP_WORDS}

# Danish: the Snowball stemmer project's Danish stop words (snowballstem.org,
# algorithms/danish/stop.txt, BSD licence), copied as published. Applied only to Danish
# workshops, on top of the English list (a Danish room writes some English too): applied to
# every language, "man", "end", "dog" and "sin" would vanish from English answers.
_DANISH_STOP_WORDS_TEXT = """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har
    om vi min havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal
    selv her alle vil blev kunne ind når være dog noget ville jo deres efter ned skulle denne
    end dette mit også under have dig anden hende mine alt meget sit sine vor mod disse hvis
    din nogle hos blive mange ad bliver hendes været thi jer sådan
"""
DANISH_STOP_WORDS: frozenset[str] = frozenset(_DANISH_STOP_WORDS_TEXT.split())
# Each language's stop words (its own and the English ones); a language without a list of
# its own uses the English one.
_STOP_WORDS_BY_LANGUAGE: dict[str, frozenset[str]] = {
    "en": STOP_WORDS,
    "da": STOP_WORDS | DANISH_STOP_WORDS,
}


def stop_words(language: str = "en") -> frozenset[str]:
    """The stop words for answers written in a workshop of `language` (an ISO code)."""
    return _STOP_WORDS_BY_LANGUAGE.get(language, STOP_WORDS)


# Shortest word the live room counts as a term (fewer letters say little on a projector).
MIN_WORD_LENGTH = 3
# Fewest letters in a word of a phrase.
MIN_PHRASE_WORD_LETTERS = 2

# --- the tokeniser --------------------------------------------------------------------------


_APOSTROPHES = "'’‘ʼ"
# The ASCII characters that end a clause; the rest of ASCII punctuation does not.
_ASCII_BREAKS = '.,;:!?()[]{}"\\|'
_SENTENCE_ENDS = frozenset(".!?…‼⁇⁈⁉。！？｡؟۔।॥።\n\r\v\f\x85\u2028\u2029")


def _ranges(codes: Iterable[int]) -> str:
    """Code points (ascending) as the inside of a regex character class: a-b ranges."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][1] == code - 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    return "".join(rf"\U{a:08x}-\U{b:08x}" for a, b in runs)


def _one_of(codes: Sequence[int]) -> tuple[str, str]:
    """Two regexes that together match one of these code points: the ones below U+10000, and
    the rest. A class reaching past U+FFFF makes `re` test each range in turn, about three
    times slower on every character, so the rare rest is tested only on such a character."""
    low = f"[{_ranges(c for c in codes if c <= 0xFFFF)}]"
    high = rf"[\U00010000-\U0010ffff](?<=[{_ranges(c for c in codes if c > 0xFFFF)}])"
    return low, high


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The token pattern (a word or a number) and the clause-break pattern.

    Python's `\\w` leaves combining marks out, which would cut "हिन्दी" into single letters,
    and `re` has no Unicode categories, so the marks (category M) and the punctuation (P) are
    listed from a scan: both lie below U+20000, marks also at U+E0100 (variation selectors).
    Built on first use, as the scan takes a few tens of milliseconds.
    """
    codes = [*range(0x20000), *range(0xE0100, 0xE01F0)]
    categories = list(map(unicodedata.category, map(chr, codes)))
    marks = _one_of([c for c, cat in zip(codes, categories, strict=True) if cat[0] == "M"])
    # A word: letters and their marks, joined inside by ' ’ - or / ("don't", "well-being",
    # "HIV/AIDS").
    # Possessive (never backtracking): the runs of letters and of marks cannot overlap.
    body = rf"(?:[^\W\d_]++(?:{marks[0]}|{marks[1]})*+)++"
    token = re.compile(rf"{body}(?:['’\-/]{body})*+|\d+")
    breaks = _one_of(
        [
            c
            for c, cat in zip(codes, categories, strict=True)
            if chr(c) in _ASCII_BREAKS
            or cat in ("Cc", "Zl", "Zp")  # line breaks, tabs and other control characters
            or (c > 0x7F and cat[0] == "P" and chr(c) not in _APOSTROPHES)
        ]
    )
    # Any punctuation but apostrophes, a line break, a hyphen with spaces around it, or a
    # slash that is not between two letters ("HIV/AIDS" is one word, "yes / no" two clauses).
    slash = r"(?<![^\W\d_])/|/(?![^\W\d_])"
    return token, re.compile(rf"{breaks[0]}+|\s-+\s|{slash}|{breaks[1]}")


def _key(word: str) -> str:
    """How a word is compared: case-folded, ’ read as '."""
    return word.casefold().replace("’", "'")


def _clauses(text: str) -> list[list[str]]:
    """The tokens of a text, case-folded, clause by clause (empty clauses left out)."""
    token, breaks = _patterns()
    folded = _key(unicodedata.normalize("NFC", text))
    return [tokens for clause in breaks.split(folded) if (tokens := token.findall(clause))]


def _is_number(token: str) -> bool:
    return token.isdecimal()


def _letters(word: str) -> int:
    return sum(char.isalpha() for char in word)


def words_of(text: str) -> list[str]:
    """The words of an answer, case-folded, apostrophes unified; numbers and symbols dropped."""
    return [token for clause in _clauses(text) for token in clause if not _is_number(token)]


# --- the live room's most frequent words and phrases ----------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or a two-word phrase, and in how many answers it appears."""

    text: str
    count: int


def frequent_terms(
    texts: Iterable[str], *, limit: int = 12, min_count: int = 2, language: str = "en"
) -> list[Term]:
    """The words and two-word phrases that most answers share, most shared first.

    Each answer counts a term once, so one long answer cannot dominate. A phrase replaces its
    words when it accounts for all their uses. Terms in fewer than `min_count` answers are
    left out: a single answer has no "most frequent" words. Stop words are those of the
    workshop's `language` (`stop_words`).
    """
    stop = stop_words(language)

    def _is_content(word: str) -> bool:
        return len(word) >= MIN_WORD_LENGTH and word not in stop

    words: Counter[str] = Counter()
    phrases: Counter[str] = Counter()
    for text in texts:
        clauses = [[t for t in clause if not _is_number(t)] for clause in _clauses(text)]
        words.update({w for tokens in clauses for w in tokens if _is_content(w)})
        phrases.update(
            {
                f"{a} {b}"
                for tokens in clauses
                for a, b in itertools.pairwise(tokens)
                if _is_content(a) and _is_content(b) and a != b
            }
        )
    chosen_phrases = {p: n for p, n in phrases.items() if n >= min_count}
    covered: set[str] = set()
    for phrase, count in chosen_phrases.items():
        for word in phrase.split():
            if words[word] <= count:
                covered.add(word)
    terms = [Term(p, n) for p, n in chosen_phrases.items()]
    terms += [Term(w, n) for w, n in words.items() if n >= min_count and w not in covered]
    terms.sort(key=lambda t: (-t.count, -len(t.text.split()), t.text))
    return terms[: max(0, limit)]


# --- phrases (themes) -----------------------------------------------------------------------

_CONTENT, _STOP, _OTHER = 0, 1, 2
_WORD_PARTS = re.compile(r"['\-]")


@functools.lru_cache(maxsize=256)
def _excluded_words(extra_stop: frozenset[str]) -> frozenset[str]:
    """The caller's extra stop words read as words_of reads text, with the parts of joined
    words ("jean-luc": also "jean" and "luc") of at least two letters."""
    words: set[str] = set()
    for entry in extra_stop:
        if not isinstance(entry, str):
            continue
        for word in words_of(entry):
            words.add(word)
            words.update(p for p in _WORD_PARTS.split(word) if _letters(p) >= 2)
    return frozenset(words)


def _kind(token: str, excluded: frozenset[str], stop: frozenset[str]) -> int:
    if _is_number(token):
        return _OTHER
    # A name never shows in a phrase, not even as "maria's" or "maria-led".
    if excluded and (token in excluded or any(p in excluded for p in _WORD_PARTS.split(token))):
        return _OTHER
    if token in stop:
        return _STOP
    return _CONTENT if _letters(token) >= MIN_PHRASE_WORD_LETTERS else _OTHER


def phrases_of(
    text: str, *, extra_stop: frozenset[str] = frozenset(), language: str = "en"
) -> list[str]:
    """The distinct phrases of one answer, in order of first appearance.

    A phrase is two consecutive content words ("lived experience") or two content words
    joined by one stop word ("trust and commitment"), within one clause, lower-cased
    (case-folded, as words_of). A content word has at least two letters and is not a number,
    a stop word or a word of `extra_stop` (the caller's words of people's and groups' names,
    compared as words_of reads them); a word of `extra_stop` is not a joining word either, so
    a name is never part of a phrase. The same word twice ("bla bla") is not a phrase.
    Stop words are those of the answer's `language` (`stop_words`: a Danish answer's "og det"
    is no phrase, and "tillid og fællesskab" is one, joined by its "og").
    """
    excluded = _excluded_words(extra_stop) if extra_stop else frozenset()
    stop = stop_words(language)
    found: dict[str, None] = {}
    for clause in _clauses(text):
        kinds = [_kind(token, excluded, stop) for token in clause]
        for i in range(len(clause) - 1):
            if kinds[i] != _CONTENT:
                continue
            if kinds[i + 1] == _CONTENT:
                if clause[i] != clause[i + 1]:
                    found.setdefault(f"{clause[i]} {clause[i + 1]}")
            elif kinds[i + 1] == _STOP and i + 2 < len(clause) and kinds[i + 2] == _CONTENT:
                found.setdefault(f"{clause[i]} {clause[i + 1]} {clause[i + 2]}")
    return list(found)


def distinct_phrases(
    phrases: Sequence[tuple[str, float]], limit: int = 10
) -> list[tuple[str, float]]:
    """The most used phrases without near-repeats, at most `limit`, in the order given.

    A phrase inside a longer one used at least as much is dropped, and so is one that
    continues a phrase already kept with the same value ("lived experience" after "people
    with lived": most likely one sentence). A value that is not a number (NaN) counts as 0.
    """
    if limit <= 0:
        return []

    def value(number: float) -> float:
        return number if number == number else 0.0

    def inside(short: str, long: str) -> bool:
        return short != long and f" {short} " in f" {long} "

    def overlap(a: str, b: str) -> bool:
        x, y = a.split(), b.split()
        return any(x[-n:] == y[:n] or y[-n:] == x[:n] for n in range(1, min(len(x), len(y))))

    kept: list[tuple[str, float]] = []
    for phrase, number in phrases:
        if any(inside(phrase, other) and value(v) >= value(number) for other, v in phrases):
            continue
        if any(value(v) == value(number) and overlap(phrase, other) for other, v in kept):
            continue
        kept.append((phrase, number))
        if len(kept) == limit:
            break
    return kept


# --- names blanked out of quotes ------------------------------------------------------------

NAME_PLACEHOLDER = "[name]"
# Words often capitalised mid-sentence that are not names.
BUILT_IN_VOCABULARY = frozenset({"i", "i'm", "i've", "i'd", "i'll", "ok", "okay"})
_PLACEHOLDERS = re.compile(r"\[name\](?:\s*\[name\])+")
_MASKED_RUN = re.compile(rb"\x01+")


@functools.lru_cache(maxsize=64)
def _vocabulary_keys(vocabulary: frozenset[str]) -> frozenset[str]:
    return BUILT_IN_VOCABULARY | {_key(w) for w in vocabulary if isinstance(w, str)}


def _name_regex(name: str) -> str:
    """A name as a pattern: any run of spaces for its spaces, any apostrophe for its own."""
    parts: list[str] = []
    for piece in re.split(r"(\s+)", name):
        if not piece:
            continue
        if piece.isspace():
            parts.append(r"\s+")
        else:
            parts.extend("['’‘ʼ]" if c in _APOSTROPHES else re.escape(c) for c in piece)
    return "".join(parts)


def _known_names_pattern(
    names: Iterable[str], vocabulary: frozenset[str]
) -> re.Pattern[str] | None:
    """One pattern for every known name and the single words of multi-word ones, longest
    first, whole words, any case."""
    forms: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            continue
        for form in (name, unicodedata.normalize("NFC", name)):
            form = form.strip()
            if form:
                forms.add(form)
        tokens = [
            part
            for match in _patterns()[0].finditer(unicodedata.normalize("NFC", name))
            for part in match.group().split("-")
            if part
        ]
        if len(tokens) < 2:
            continue
        for token in tokens:
            key = _key(token)
            if _letters(token) >= 3 and key not in STOP_WORDS and key not in vocabulary:
                forms.add(token)
    if not forms:
        return None
    alternatives = sorted({_name_regex(f) for f in forms}, key=lambda p: (-len(p), p))
    pattern = r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"
    return re.compile(pattern, re.IGNORECASE)


def _mark_matches(pattern: re.Pattern[str], text: str, masked: bytearray) -> bool:
    """Mask every match of `pattern` in `text`; whether any of them was not masked yet."""
    new = False
    for match in pattern.finditer(text):
        start, end = match.span()
        if 0 in masked[start:end]:
            masked[start:end] = b"\x01" * (end - start)
            new = True
    return new


def _mark_capitalised(text: str, masked: bytearray, vocabulary: frozenset[str]) -> None:
    """Mask capitalised words that do not start a sentence and are no common word."""
    end = 0
    for match in _patterns()[0].finditer(text):
        word, start = match.group(), match.start()
        sentence_start = end == 0 or any(c in _SENTENCE_ENDS for c in text[end:start])
        end = match.end()
        if sentence_start or not (word[0].isupper() or unicodedata.category(word[0]) == "Lt"):
            continue
        key = _key(word)
        if key not in vocabulary and key not in STOP_WORDS:
            masked[start:end] = b"\x01" * (end - start)


class Redactor:
    """Blanks names out of quotes; the known names are read once, so a release with tens of
    thousands of names cleans each quote in milliseconds (see `redact` for the rules)."""

    def __init__(self, names: Iterable[str], *, vocabulary: frozenset[str] = frozenset()) -> None:
        self._vocabulary = _vocabulary_keys(frozenset(vocabulary))
        self._pattern = _known_names_pattern(names, self._vocabulary)

    def __call__(self, text: str) -> str:
        pattern = self._pattern
        text = unicodedata.normalize("NFC", text)
        masked = bytearray(len(text))
        if pattern is not None:
            _mark_matches(pattern, text, masked)
        _mark_capitalised(text, masked, self._vocabulary)
        # Blanking a word can make a known name whole where it touched that word ("1Bob"
        # with the name "1"): look again, blanked text read as spaces, until nothing new.
        while pattern is not None and 1 in masked:
            view = "".join(" " if m else c for c, m in zip(text, masked, strict=True))
            if not _mark_matches(pattern, view, masked):
                break
        if 1 not in masked:
            return text
        pieces: list[str] = []
        end = 0
        for run in _MASKED_RUN.finditer(masked):
            pieces += [text[end : run.start()], NAME_PLACEHOLDER]
            end = run.end()
        pieces.append(text[end:])
        return _PLACEHOLDERS.sub(NAME_PLACEHOLDER, "".join(pieces))


def redact(text: str, names: Iterable[str], *, vocabulary: frozenset[str] = frozenset()) -> str:
    """A quote with names replaced by "[name]"; consecutive ones merge into one.

    Blanked: (a) every known name in `names` (whole words, any case, longest first; spaces and
    apostrophes in a name match any), and each single word of a multi-word name that has at
    least three letters and is neither a stop word nor in `vocabulary` ("Maria Lopez" blanks a
    lone "Maria" too); (b) any capitalised word, in any script with case, that does not start
    a sentence and is neither a stop word nor in `vocabulary` (compared as words_of reads
    them) nor a word like "I'm" or "OK". The text comes back in NFC. Never raises on any str.
    """
    return Redactor(names, vocabulary=vocabulary)(text)
