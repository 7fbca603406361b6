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
