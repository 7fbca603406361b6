"""What one projector screen holds, read from 6 m: at most ANSWERS_PER_PAGE answer cards or
BARS_PER_PAGE bars at a time, the rest on further pages the facilitator turns from the
console (a page turning by itself would take an answer away while the room talks about it),
and the text size the facilitator chose for the room.

Pages belong to what is on the screen: a page number is stored with the step and question
it was turned on (`page_key`), so a new question or step always starts on its first page.
Plain data in, plain data out; the projector (workbook/ui/projector.py) draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from workbook.i18n import N_

# Cards of up to CARD_CHARS characters at 28 px or more: three rows of two fit under the
# question at 1920x1080 beside the shared words (and at 1280x720, which scales the same).
ANSWERS_PER_PAGE = 6
# One bar per group: eight rows of 28 px text stay apart under a heading.
BARS_PER_PAGE = 8

# The facilitator's text size for the room, as a factor on every size of the projector's
# text (a CSS variable). "normal" meets the 6 m minimums: 28 px text, 48 px headings at
# 1920x1080; "smaller" is for a small room close to the screen.
TEXT_SIZES: dict[str, float] = {"smaller": 0.85, "normal": 1.0, "larger": 1.2, "largest": 1.4}
TEXT_SIZE_LABELS: dict[str, str] = {
    "smaller": N_("Smaller"),
    "normal": N_("Normal"),
    "larger": N_("Larger"),
    "largest": N_("Largest"),
}
NORMAL = "normal"


def text_scale(size: str) -> float:
    """The factor for a stored text size; an unknown one (an older or newer app's) is normal."""
    return TEXT_SIZES.get(size, TEXT_SIZES[NORMAL])


@dataclass(frozen=True)
class Page:
    """One page of a list of `total` items: items [start, end) on page `number` (0-based)
    of `pages`."""

    number: int
    pages: int
    start: int
    end: int
    total: int

    @property
    def has_previous(self) -> bool:
        return self.number > 0

    @property
    def has_next(self) -> bool:
        return self.number < self.pages - 1


def page_of(total: int, per_page: int, wanted: int) -> Page:
    """Page `wanted` of `total` items, `per_page` to a page; a page past the end (answers
    hidden since it was turned) is the last page, one before the start the first."""
    total = max(0, total)
    per_page = max(1, per_page)
    pages = max(1, -(-total // per_page))
    number = min(max(0, wanted), pages - 1)
    start = number * per_page
    return Page(
        number=number, pages=pages, start=start, end=min(total, start + per_page), total=total
    )


def page_text(page: Page, noun: str, _: Callable[[str], str] = str) -> str:
    """What the screen says about its page, e.g. "Answers 1-6 of 34"; nothing when everything
    fits on one page. `noun`: the plural, capitalised ("Answers", "Groups")."""
    if page.pages <= 1:
        return ""
    first, last = page.start + 1, page.end
    shown = f"{first}" if first == last else f"{first}-{last}"
    return _("{noun} {shown} of {total}").format(noun=noun, shown=shown, total=page.total)


def page_key(step: int, kind: str, item_id: str) -> str:
    """What a turned page belongs to: the room's step and the question on the screen."""
    return f"{step}:{kind}:{item_id}"


def current_page(stored_page: int, stored_key: str | None, key: str) -> int:
    """The page to show: the stored one if it was turned on this screen, else the first."""
    return stored_page if stored_key == key else 0


# How many fit on one screen at each text size: bigger text, fewer to a page.
_ANSWERS = {"smaller": 8, "normal": ANSWERS_PER_PAGE, "larger": 4, "largest": 4}
_BARS = {"smaller": BARS_PER_PAGE, "normal": BARS_PER_PAGE, "larger": 6, "largest": 5}


def answers_per_page(size: str) -> int:
    return _ANSWERS.get(size, ANSWERS_PER_PAGE)


def bars_per_page(size: str) -> int:
    return _BARS.get(size, BARS_PER_PAGE)
