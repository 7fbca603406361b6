"""Reading answers (workbook.text_analysis): words, stop words, phrases, names blanked out."""

from __future__ import annotations

import math
import re
import sys
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.text_analysis import (
    STOP_WORDS,
    Term,
    distinct_phrases,
    frequent_terms,
    phrases_of,
    redact,
    words_of,
)

# --- words and stop words -------------------------------------------------------------------


def test_words_are_case_folded_with_one_apostrophe_and_no_numbers() -> None:
    text = "Don’t STOP: well-being for 500 people, covid-19 and İstanbul"
    assert words_of(text) == [
        "don't",
        "stop",
        "well-being",
        "for",
        "people",
        "covid",
        "and",
        "i\u0307stanbul",
    ]


def test_words_keep_their_combining_marks() -> None:
    assert words_of("हिन्दी भाषा") == ["हिन्दी", "भाषा"]
    assert words_of("שָׁלוֹם עולם") == ["שָׁלוֹם", "עולם"]
    assert words_of("e\u0301te\u0301") == ["été"]  # read in NFC


def test_the_tokeniser_knows_every_combining_mark() -> None:
    marks = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c))[0] == "M"]
    assert len(marks) > 2000
    assert [c for c in marks if len(words_of(f"a{chr(c)}b")) != 1] == []


def test_one_stop_word_list_from_both_old_ones_in_both_apostrophes() -> None:
    assert {"above", "ought", "yourselves", "thing", "ways"} <= STOP_WORDS  # the live room's
    assert {"feel", "someone", "we'd", "rarely", "using", "whose"} <= STOP_WORDS  # the funders'
    assert {"don't", "don’t", "we're", "we’re", "can't", "can’t"} <= STOP_WORDS
    assert all(word == word.lower() for word in STOP_WORDS)
    assert not {"experience", "trust", "funding", "money"} & STOP_WORDS


# --- the live room's frequent terms ---------------------------------------------------------


def test_frequent_terms_prefer_shared_phrases_and_drop_stop_words() -> None:
    texts = [
        "We need more lived experience in the room",
        "Lived experience leaders, and funding",
        "The funding is short; lived experience matters",
        "I think the the the the",
    ]
    terms = frequent_terms(texts)
    assert terms[0] == Term("lived experience", 3)
    assert Term("funding", 2) in terms
    texts_of = [t.text for t in terms]
    assert "lived" not in texts_of and "experience" not in texts_of  # the phrase covers them
    assert "the" not in texts_of and "think" not in texts_of


def test_one_long_answer_cannot_dominate() -> None:
    terms = frequent_terms(["money " * 50, "money and time", "time"])
    assert Term("money", 2) in terms and Term("time", 2) in terms


def test_frequent_terms_of_nothing_or_one_answer_is_empty() -> None:
    assert frequent_terms([]) == []
    assert frequent_terms(["Only one answer about organising"]) == []


def test_frequent_terms_keep_other_languages_and_ignore_markup() -> None:
    terms = frequent_terms(["Solidarität überall <b>", "solidarität", "שלום עולם", "שלום"])
    assert Term("solidarität", 2) in terms and Term("שלום", 2) in terms
    assert all("<" not in t.text for t in terms)


def test_hundreds_of_answers_still_give_a_short_list() -> None:
    texts = [f"answer number {i} about housing and rent" for i in range(500)]
    terms = frequent_terms(texts, limit=10)
    assert len(terms) <= 10 and terms[0].count == 500


def test_terms_never_span_punctuation() -> None:
    terms = frequent_terms(["allies, answer one", "allies; answer two", "allies answer"])
    assert Term("allies", 3) in terms and Term("answer", 3) in terms
    assert all(t.text != "allies answer" for t in terms)


def test_frequent_terms_use_the_merged_stop_words_and_numbers_are_no_terms() -> None:
    texts = ["I feel someone should fund 2025", "We feel someone must fund 2025"]
    assert frequent_terms(texts) == [Term("fund", 2)]


# --- phrases --------------------------------------------------------------------------------


def test_phrases_are_two_content_words_or_two_joined_by_one_stop_word() -> None:
    text = "Lived experience builds trust and commitment; trust and commitment matters"
    assert phrases_of(text) == [
        "lived experience",
        "experience builds",
        "builds trust",
        "trust and commitment",
        "commitment matters",
    ]


def test_two_stop_words_a_number_or_a_single_letter_join_nothing() -> None:
    assert phrases_of("trust and the commitment") == []
    assert phrases_of("raised 500 pounds") == []
    assert phrases_of("plan b works") == []
    assert phrases_of("covid19 response") == []  # "covid", then the number: not adjacent
    assert phrases_of("step by step, bla bla") == ["step by step"]


def test_a_danish_answer_loses_its_filler_words_and_keeps_its_content() -> None:
    text = "Vi talte om det og om tillid og fællesskab med naboerne"
    # Read as English, Danish filler words are content words and make phrases of their own.
    assert "om det" in phrases_of(text) and "det og" in phrases_of(text)
    assert phrases_of(text, language="da") == ["tillid og fællesskab", "fællesskab med naboerne"]


def test_phrases_never_cross_a_clause_break() -> None:
    for joint in [", ", "; ", ". ", "\n", " - ", "—", " / ", " (", "، ", "。", "…", "\t"]:
        assert phrases_of(f"allies{joint}answer") == [], repr(joint)
        assert phrases_of(f"trust and{joint}commitment") == [], repr(joint)
    assert phrases_of("self-care matters") == ["self-care matters"]
    assert phrases_of("people’s power") == ["people's power"]


def test_a_slash_between_letters_joins_one_word() -> None:
    # The report's movements are named "HIV/AIDS": one word in the room's word list.
    assert words_of("HIV/AIDS activists") == ["hiv/aids", "activists"]
    terms = frequent_terms(["HIV/AIDS taught us", "what HIV/AIDS did"])
    assert [t.text for t in terms] == ["hiv/aids"]
    for loose in ["hiv/ aids", "hiv /aids", "hiv / aids", "hiv/", "/aids"]:
        assert "hiv/aids" not in words_of(loose), loose


def test_every_punctuation_mark_beyond_ascii_breaks_a_clause() -> None:
    marks = [
        chr(c)
        for c in range(0x80, sys.maxunicode + 1)
        if unicodedata.category(chr(c))[0] == "P" and chr(c) not in "‘’"
    ]
    assert len(marks) > 500
    assert [m for m in marks if phrases_of(f"lived {m} experience")] == []
    assert phrases_of("lived ‘experience’") == ["lived experience"]  # quotes like apostrophes


def test_phrases_of_other_languages_are_lower_cased() -> None:
    assert phrases_of("Gelebte ERFAHRUNG zählt") == ["gelebte erfahrung", "erfahrung zählt"]
    assert phrases_of("Живой опыт") == ["живой опыт"]


def test_extra_stop_words_keep_names_out_of_every_phrase() -> None:
    names = frozenset(words_of("Maria Lopez")) | frozenset(words_of("Will"))
    text = "Maria Lopez leads; Maria's idea rocks; maria-led group; trust will commitment"
    phrases = phrases_of(text, extra_stop=names)
    assert phrases == ["idea rocks"]
    # Raw names work too: they are read as words_of reads them.
    assert phrases_of("thanks STRAUSS team", extra_stop=frozenset({"Strauß"})) == []
    assert phrases_of("thanks Lopez team", extra_stop=frozenset({"Maria Lopez"})) == []
    assert phrases_of("thanks Lopez team") == ["thanks lopez", "lopez team"]


# --- names blanked out ----------------------------------------------------------------------


def test_known_names_are_blanked_as_whole_words_in_any_case_longest_first() -> None:
    text = "ann lee met ANN, annabel and the table 3 crew at table 30"
    assert redact(text, ["Ann", "Ann Lee", "Table 3"], vocabulary=frozenset({"table"})) == (
        "[name] met [name], annabel and the [name] crew at table 30"
    )


def test_single_words_of_a_multi_word_name_are_blanked_unless_common() -> None:
    names = ["Maria Lopez", "The Tuesday Group"]
    text = "maria came, then lopez; the group met on tuesday with the tuesday group"
    assert redact(text, names, vocabulary=frozenset({"group"})) == (
        "[name] came, then [name]; the group met on [name] with [name]"
    )
    # The parts of a joined name count as its words.
    assert redact("josé and maria-josé or maria", ["Maria-José"]) == "[name] and [name] or [name]"
    assert redact("the tuesday and maria", ["Tuesday", "Maria"]) == "the [name] and [name]"


def test_spaces_and_apostrophes_in_a_name_match_any() -> None:
    vocabulary = frozenset({"peer", "circle"})
    assert redact("thanks to peer \n circle", ["Peer Circle"], vocabulary=vocabulary) == (
        "thanks to [name]"
    )
    assert redact("thanks to o’brien", ["O'Brien"]) == "thanks to [name]"


def test_capitalised_words_inside_a_sentence_are_blanked() -> None:
    text = "Yesterday we asked Kofi and I think OK. Amara agreed!\nJo too, and I'm with Jo"
    assert redact(text, []) == (
        "Yesterday we asked [name] and I think OK. Amara agreed!\nJo too, and I'm with [name]"
    )
    assert redact("мы видели Ивана вчера", []) == "мы видели [name] вчера"
    assert redact("we met Νίκος there", []) == "we met [name] there"
    assert redact("We met Ana Ben Cole, and Dee", []) == "We met [name], and [name]"


def test_common_words_are_not_blanked_when_capitalised() -> None:
    vocabulary = frozenset(words_of("Solidarity and the Straße"))
    text = "Our value is Solidarity on the STRASSE, and The plan"
    assert redact(text, [], vocabulary=vocabulary) == text


def test_names_at_the_start_of_a_sentence_are_blanked_when_known() -> None:
    assert redact("Maria said so. Lopez too", ["Maria Lopez"]) == "[name] said so. [name] too"


def test_blanking_a_word_never_leaves_a_known_name_whole() -> None:
    assert redact("see 1Bob", ["1"]) == "see [name]"


def test_redact_never_raises_on_odd_text() -> None:
    assert redact("", ["Ann"]) == ""
    assert redact("\x00\ud800 👋🏽 مرحبا بالعالم", ["مرحبا"]) == "\x00\ud800 👋🏽 [name] بالعالم"
    assert redact("plain text", ["", "   ", None]) == "plain text"  # type: ignore[list-item]
    assert phrases_of("\ud800\x00 👋🏽") == []


# --- distinct phrases -----------------------------------------------------------------------


def test_near_repeated_phrases_are_listed_once() -> None:
    phrases = [
        ("lived experience", 9.0),
        ("people with lived", 9.0),
        ("hard core", 8.0),
        ("hard core members", 8.0),
        ("peer support", 7.0),
        ("peer support groups", 6.0),
    ]
    assert distinct_phrases(phrases) == [
        ("lived experience", 9.0),
        ("hard core members", 8.0),
        ("peer support", 7.0),
        ("peer support groups", 6.0),
    ]
    top_two = [("lived experience", 9.0), ("hard core members", 8.0)]
    assert distinct_phrases(phrases, limit=2) == top_two
    assert distinct_phrases(phrases, limit=0) == []


def test_a_missing_value_counts_as_none() -> None:
    phrases = [("hard core", math.nan), ("hard core members", 0.0)]
    assert distinct_phrases(phrases) == [("hard core members", 0.0)]


# --- properties -----------------------------------------------------------------------------

name_text = st.text(
    alphabet=st.one_of(
        st.characters(categories=["L", "M", "Nd"]), st.sampled_from([" ", "'", "’", "-"])
    ),
    min_size=1,
    max_size=12,
)


@st.composite
def texts_with_names(draw: st.DrawFn) -> tuple[str, list[str]]:
    names = draw(st.lists(name_text, min_size=1, max_size=4))
    pieces = draw(
        st.lists(
            st.one_of(
                st.text(max_size=15),
                st.sampled_from(names).map(str.upper),
                st.sampled_from(names).map(str.lower),
                st.sampled_from(names),
            ),
            max_size=8,
        )
    )
    return "".join(pieces), names


def present(name: str, text: str) -> bool:
    pattern = r"(?<!\w)" + re.escape(name) + r"(?!\w)"
    return re.search(pattern, text, re.IGNORECASE) is not None


@settings(max_examples=400, deadline=None)
@given(texts_with_names(), st.frozensets(st.text(max_size=8), max_size=3))
def test_redact_never_leaves_a_known_name(
    case: tuple[str, list[str]], vocabulary: frozenset[str]
) -> None:
    text, names = case
    out = redact(text, names, vocabulary=vocabulary).replace("[name]", " ")
    assert not [n for n in names if n.strip() and present(n.strip(), out)]


@settings(max_examples=300, deadline=None)
@given(st.text(), st.lists(st.text(max_size=10), max_size=3), st.frozensets(st.text(max_size=8)))
def test_any_text_is_read_without_error(
    text: str, names: list[str], vocabulary: frozenset[str]
) -> None:
    assert isinstance(redact(text, names, vocabulary=vocabulary), str)
    name_words = frozenset(w for name in names for w in words_of(name))
    for phrase in phrases_of(text, extra_stop=name_words):
        words = phrase.split(" ")
        assert len(words) in (2, 3) and not set(words) & name_words
        assert phrase == phrase.casefold()
