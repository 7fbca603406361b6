"""Danish workshops speak Danish all through: the room's waiting note, the projector's
rating numbers, the results page, summaries and word lists (found by a walk-through of a
Danish workshop)."""

from __future__ import annotations

from workbook import i18n
from workbook.live import AnswerTally


def test_the_waiting_note_is_in_the_screens_language() -> None:
    tally = AnswerTally(shown=1, waiting=1)
    assert tally.waiting_note(i18n.translations("da").ngettext) == (
        "1 venter stadig på facilitatoren"
    )
    assert tally.waiting_note(i18n.translations("en").ngettext) == (
        "1 more waiting for the facilitator"
    )
    assert AnswerTally(shown=2).waiting_note(i18n.translations("da").ngettext) == ""


def test_the_projectors_rating_charts_speak_the_rooms_language() -> None:
    from workbook.live import Distribution
    from workbook.ui import projector_bars as bars

    page = bars.distribution_html(Distribution((0, 1, 2, 1, 0)), low="Nej", high="Ja", code="da")
    assert "gennemsnit 3,0" in page and "average 3" not in page
    assert 'aria-label="Vurderinger fra 1 til 5: 0, 1, 2, 1, 0"' in page
    means = bars.bars_html(
        bars.mean_bars([("Bord 1", 3.5), ("Bord 2", None)], code="da"), label="x"
    )
    assert ">3,5</span>" in means and ">ikke endnu</span>" in means and "3.5" not in means
    counts = bars.bars_html(bars.count_bars([("Bord 1", 1234)], top=1234, code="da"), label="x")
    assert ">1.234</span>" in counts


def test_a_danish_rooms_shared_words_leave_out_danish_filler_words() -> None:
    from workbook.text_analysis import frequent_terms

    answers = ["Beboerhuset kunne samle os", "Vi kunne bruge beboerhuset", "Og det er godt"]
    danish = [term.text for term in frequent_terms(answers, language="da")]
    assert danish == ["beboerhuset"]
    # English rooms keep their words: "man", "end" are no filler words in English.
    english = [t.text for t in frequent_terms(["the end of it", "an end"], language="en")]
    assert english == ["end"]


def test_the_summary_sent_to_a_danish_group_is_framed_in_danish(store, lessons) -> None:
    from workbook import export, summary_html
    from workbook.models import JoinRequest, RatingIn, WorkshopCreate

    workshop, _ = store.create_workshop(workshop=WorkshopCreate(title="Forårsdag", cause="Bolig"))
    store.set_workshop_language(workshop_id=workshop.id, language="da")
    lesson = lessons.lessons[0]
    statement = lesson.ratings[0]
    for group, value in (("Bord 1", 3), ("Bord 2", 4)):
        seat, _ = store.join(workshop_id=workshop.id, request=JoinRequest(group_name=group))
        store.save_answers(
            seat=seat,
            lesson_id=lesson.id,
            round=1,
            ratings=[
                RatingIn(
                    lesson_id=lesson.id,
                    statement_id=statement.id,
                    key_finding=lesson.finding_of(statement),
                    value=value,
                )
            ],
        )
    collected = export.collect(store, workshop_id=workshop.id, lessons=lessons)
    page = summary_html.html_summary(collected, language="da")
    assert '<html lang="da">' in page and "opsummering af workshoppen" in page
    assert "Gennemsnit 3,5 ud fra 2 vurderinger" in page
    assert "· nærmest gennemsnittet" in page
    assert "1 person (50\u00a0%)" in page and "2 personer i 2 grupper" in page
    for english in ("workshop summary", "Average", "nearest the average", "people"):
        assert english not in page, english
    assert '<html lang="en">' in summary_html.html_summary(collected)
