"""The app's look: page set-up and the few style rules Streamlit's theme does not cover."""

from __future__ import annotations

import base64
import functools
from pathlib import Path

import streamlit as st

APP_TITLE = "Movement Workbook"

_CSS = """
<style>
/* User text in HTML (workbook/ui/text.py): every space kept as typed, long words wrap. */
.wb-heading, .wb-caption { white-space: pre-wrap; overflow-wrap: anywhere; }
.wb-heading { margin: 0 0 0.2rem 0; line-height: 1.2; }
h1.wb-heading { font-size: 2.1rem; }
h2.wb-heading { font-size: 1.6rem; }
.wb-caption { margin: 0; color: #444; font-size: 1rem; }
/* A widget's label drawn as text (workbook/ui/author_text.py `labelled`): as Streamlit's. */
.wb-widget-label { font-size: 0.875rem; margin: 0 0 0.25rem 0; min-height: 1.25rem;
  white-space: pre-wrap; overflow-wrap: anywhere; }
.wb-widget-label-disabled { color: rgba(49, 51, 63, 0.4); }
.wb-code { font-size: 3rem; font-weight: 800; letter-spacing: 0.12em; margin: 0.2rem 0; }
/* A new workshop's panel, scrolled into view below the header bar (start_page.py). */
.st-key-start_created_panel { scroll-margin-top: 4.5rem; }
/* Big, thumb-friendly targets on phones. */
/* A lesson's own headings stay below its title (the body's first "##" was as large). */
.st-key-lesson_body h2 { font-size: 1.6rem; }
.st-key-lesson_body h3 { font-size: 1.3rem; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] h1 { font-size: 2rem; }
  .st-key-lesson_body h2 { font-size: 1.35rem; }
  .st-key-lesson_body h3 { font-size: 1.15rem; }
  .stButton button, .stFormSubmitButton button { min-height: 3rem; width: 100%; }
  h1.wb-heading { font-size: 1.6rem; }
}
</style>
"""


ICON = Path(__file__).with_name("icon.png")


@functools.cache
def _icon_url() -> str:
    """The icon as a data URL, read once per process. Given as a file, Streamlit read the
    file, opened it twice as an image and registered it again on every run of every page
    (about 1 % of a phone's page run: bench/RESULTS.md, "Profiled"). 705 bytes."""
    return "data:image/png;base64," + base64.b64encode(ICON.read_bytes()).decode("ascii")


def set_up_page() -> None:
    st.set_page_config(
        page_title=APP_TITLE,
        # The icon itself, in the page (a Material icon name would make every browser fetch
        # the favicon from Google's font servers).
        page_icon=_icon_url(),
        layout="centered",
        initial_sidebar_state="auto",
        menu_items={"About": "Movement Workbook: a facilitation workbook for social movements."},
    )
    st.html(_page_css())


@functools.cache
def _page_css() -> str:
    """Every page's style rules, as one element drawn by app.py on every run: each screen's
    rules are scoped to its own keys, so the rest do nothing elsewhere. One element where
    there were five (the tabs', the language picker's, the phone form's, the room results'):
    each costs the server on every run of every phone (bench/RESULTS.md), and a page body
    rerun as a fragment keeps what app.py drew."""
    from workbook.ui import i18n, lesson_drafts, navigation, room_results

    return "".join(
        (_CSS, navigation.CSS, i18n.PICKER_CSS, lesson_drafts.PHONE_CSS, room_results.CSS)
    )


def wide_page(max_width: str = "1400px") -> None:
    """A page that needs the width of a desk screen (the console, the funders' charts). A
    style rule on this page only: a second st.set_page_config(layout=...) after app.py's
    raced with it in the browser, showing the page wide on one run and narrow on the next."""
    st.html(
        "<style>[data-testid='stMainBlockContainer']"
        f"{{max-width: min({max_width}, 100%) !important;}}</style>"
    )
