"""What one projector screen holds (workbook.projector_pages) and where the facilitator's
choices for it are kept (workbook.store.projector_view): plain data, a real DuckDB file."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.models import WorkshopCreate
from workbook.projector_pages import (
    ANSWERS_PER_PAGE,
    BARS_PER_PAGE,
    TEXT_SIZES,
    current_page,
    page_key,
    page_of,
    page_text,
    text_scale,
)
from workbook.store import Store


def test_a_screen_holds_at_most_ten_answers_and_eight_bars() -> None:
    assert 1 <= ANSWERS_PER_PAGE <= 10
    assert 1 <= BARS_PER_PAGE <= 8


def test_pages_split_a_list_and_say_which_part_is_on_the_screen() -> None:
    first = page_of(34, 6, 0)
    assert (first.start, first.end, first.pages) == (0, 6, 6)
    assert page_text(first, "Answers") == "Answers 1-6 of 34"
    assert not first.has_previous and first.has_next
    last = page_of(34, 6, 5)
    assert (last.start, last.end) == (30, 34)
    assert page_text(last, "Answers") == "Answers 31-34 of 34"
    assert last.has_previous and not last.has_next
    alone = page_of(31, 6, 5)
    assert page_text(alone, "Answers") == "Answers 31 of 31"


def test_everything_on_one_page_says_nothing_about_pages() -> None:
    assert page_text(page_of(6, 6, 0), "Answers") == ""
    assert page_text(page_of(0, 6, 0), "Groups") == ""
    empty = page_of(0, 8, 3)
    assert (empty.number, empty.pages, empty.start, empty.end) == (0, 1, 0, 0)


def test_a_page_past_the_end_shows_the_last_page_and_before_the_start_the_first() -> None:
    # Answers hidden after the page was turned: the screen stays full, not empty.
    assert page_of(13, 6, 9).number == 2
    assert page_of(13, 6, 9).start == 12
    assert page_of(13, 6, -2).number == 0


def test_a_turned_page_belongs_to_its_step_and_question() -> None:
    key = page_key(2, "prompt", "actions")
    assert current_page(3, key, key) == 3
    assert current_page(3, key, page_key(2, "prompt", "other")) == 0
    assert current_page(3, key, page_key(3, "prompt", "actions")) == 0
    assert current_page(3, None, key) == 0


def test_text_sizes_grow_from_smaller_to_largest_and_unknown_is_normal() -> None:
    factors = [text_scale(size) for size in ("smaller", "normal", "larger", "largest")]
    assert factors == sorted(factors) and factors[1] == 1.0
    assert text_scale("gigantic") == 1.0
    assert set(TEXT_SIZES) == {"smaller", "normal", "larger", "largest"}


def test_the_projector_view_is_kept_per_workshop(tmp_path: Path) -> None:
    store = Store(tmp_path / "workbook.duckdb")
    try:
        one, _ = store.create_workshop(workshop=WorkshopCreate(title="One", cause="Housing"))
        two, _ = store.create_workshop(workshop=WorkshopCreate(title="Two", cause="Housing"))
        assert store.projector_view(one.id).text_size == "normal"
        store.set_projector_text_size(workshop_id=one.id, size="largest")
        store.set_projector_page(workshop_id=one.id, page=2, page_of="1:prompt:a")
        view = store.projector_view(one.id)
        assert (view.text_size, view.page, view.page_of) == ("largest", 2, "1:prompt:a")
        assert store.projector_view(two.id).text_size == "normal"
        # The room's own row is created or kept as it was: the screen is untouched.
        assert store.room(one.id).screen == "join"
        store.set_screen(workshop_id=one.id, screen="step")
        store.set_projector_text_size(workshop_id=one.id, size="smaller")
        assert store.room(one.id).screen == "step"
        assert store.projector_view(one.id).page == 2
        with pytest.raises(ValueError):
            store.set_projector_text_size(workshop_id=one.id, size="huge")
    finally:
        store.close()
