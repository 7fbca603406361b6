"""The models refuse bad input at the edge with plain sentences, and keep good text unchanged."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from workbook.models import (
    MAX_NAME_CHARS,
    MAX_REFLECTION_CHARS,
    CommitmentIn,
    JoinRequest,
    RatingIn,
    ReflectionIn,
    SpectrumBand,
    StakeholderIn,
    WorkshopCreate,
    plain_errors,
)

TRICKY = [
    "<script>alert('x')</script>",
    "**bold** _it_ [link](http://x) # heading",
    "Robert'); DROP TABLE reflections;--",
    "شكرا لكم، نحن فريق واحد",  # Arabic, right to left
    "שלום עולם",  # Hebrew
    "We 💪🏽 together 🏳️‍🌈",
    "mixed עברית and English",
    "line one\nline two\ttabbed",
]


@pytest.mark.parametrize("text", TRICKY)
def test_reflection_keeps_tricky_text_exactly(text: str) -> None:
    assert ReflectionIn(lesson_id="l", prompt_id="p", text=text).text == text


def test_reflection_limit_is_5000_characters_with_a_plain_message() -> None:
    ReflectionIn(lesson_id="l", prompt_id="p", text="x" * MAX_REFLECTION_CHARS)
    with pytest.raises(ValidationError) as caught:
        ReflectionIn(lesson_id="l", prompt_id="p", text="x" * (MAX_REFLECTION_CHARS + 1))
    assert plain_errors(caught.value, ReflectionIn) == [
        "Answer is too long: 5,001 characters, the limit is 5,000."
    ]


def test_empty_or_blank_answer_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        ReflectionIn(lesson_id="l", prompt_id="p", text="   \n ")
    assert plain_errors(caught.value, ReflectionIn) == ["Answer cannot be empty."]


def test_control_characters_are_refused_not_silently_dropped() -> None:
    with pytest.raises(ValidationError) as caught:
        ReflectionIn(lesson_id="l", prompt_id="p", text="bad\x00byte")
    assert plain_errors(caught.value, ReflectionIn) == [
        "Answer contains an invisible control character (U+0000); please retype it."
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("A\uffff", "U+FFFF"),  # an XLSX holding it does not open
        ("A\ufffe", "U+FFFE"),
        ("A\ufdd0", "U+FDD0"),
        ("A\U0010ffff", "U+10FFFF"),
        ("A\ud800", "U+D800"),  # half of a character, as a JSON escape can make
    ],
)
def test_non_characters_are_refused_naming_them(text: str, code: str) -> None:
    for model, field, title in (
        (ReflectionIn, "text", "Answer"),
        (JoinRequest, "group_name", "Group name"),
    ):
        values = {"lesson_id": "l", "prompt_id": "p"} if model is ReflectionIn else {}
        with pytest.raises(ValidationError) as caught:
            model(**values, **{field: text})
        assert plain_errors(caught.value, model) == [
            f"{title} contains {code}, which is not a character; please retype it."
        ]


def test_names_are_limited_to_80_characters_and_one_line() -> None:
    assert JoinRequest(group_name="  Table 3  ").group_name == "Table 3"
    with pytest.raises(ValidationError) as caught:
        JoinRequest(group_name="g" * (MAX_NAME_CHARS + 1))
    assert plain_errors(caught.value, JoinRequest) == [
        "Group name is too long: 81 characters, the limit is 80."
    ]
    with pytest.raises(ValidationError):
        JoinRequest(group_name="two\nlines")
    assert JoinRequest(group_name="x", display_name=None).display_name == ""


@pytest.mark.parametrize("value", [0, 6, -1, 3.5, "4"])
def test_ratings_are_whole_numbers_from_1_to_5(value: object) -> None:
    with pytest.raises(ValidationError):
        RatingIn(lesson_id="l", statement_id="s", key_finding="learning", value=value)


def test_rating_message_names_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        RatingIn(lesson_id="l", statement_id="s", key_finding="learning", value=9)
    assert plain_errors(caught.value, RatingIn) == ["Rating is too high (highest allowed: 5)."]


def test_workshop_needs_title_and_cause() -> None:
    with pytest.raises(ValidationError) as caught:
        WorkshopCreate(title="", cause=" ")
    assert plain_errors(caught.value, WorkshopCreate) == [
        "Workshop title cannot be empty.",
        "Cause or movement cannot be empty.",
    ]


def test_commitment_needs_what_and_finding() -> None:
    with pytest.raises(ValidationError) as caught:
        CommitmentIn(what="", key_finding="nonsense")
    messages = plain_errors(caught.value, CommitmentIn)
    assert messages[0] == "What we will do cannot be empty."
    assert messages[1].startswith("Key finding must be one of")


def test_stakeholder_kinds_and_bands() -> None:
    with pytest.raises(ValidationError) as caught:
        StakeholderIn(name="Mayor", kind="Aliens", influence=3, band="neutral")
    assert "is not one of the stakeholder kinds" in plain_errors(caught.value, StakeholderIn)[0]
    assert [band.score for band in SpectrumBand] == [-2, -1, 0, 1, 2]
    assert SpectrumBand.from_score(5) is SpectrumBand.active_ally
