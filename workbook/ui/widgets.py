"""Small pieces of screen shared by pages: error lists, the step header, confirmations."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbook import i18n
from workbook.records import Seat
from workbook.ui.i18n import language, translator
from workbook.ui.text import isolate, user_heading


def up_to(limit: int, help: str | None = None) -> str:
    """A text box's help naming its limit. Boxes for people's own words have no max_chars:
    with one, the browser drops a paste that is longer, silently and whole (Streamlit 1.67);
    without, the paste stays in the box and saving says how long it is and what the most is,
    keeping it there to shorten."""
    _ = translator()
    limit_text = _("Up to {limit} characters.").format(
        limit=i18n.format_decimal(limit, language(), digits=0)
    )
    return f"{help} {limit_text}" if help else limit_text


KEPT_NOTE = "Nothing has been lost: your text is still in the boxes. Change it and try again."


def show_errors(sentences: Sequence[str], *, kept: bool = False) -> None:
    """Plain sentences, one per problem, in one error box. Always text, never Markdown.
    `kept`: the form keeps what was typed, and says so under the box."""
    if sentences:
        st.error("\n".join(f"• {sentence}" for sentence in sentences), icon=":material/error:")
        if kept:
            st.caption(KEPT_NOTE)


def seat_header(seat: Seat) -> None:
    """Which workshop and group this screen belongs to (user text, shown as text)."""
    _ = translator()
    who = isolate(seat.group.name)
    if seat.participant.display_name:
        who = f"{who} · {isolate(seat.participant.display_name)}"
    round_note = (
        ""
        if seat.group.current_round == 1
        else " · " + _("follow-up round {n}").format(n=seat.group.current_round - 1)
    )
    code = _("code {code}").format(code=seat.workshop.display_code)
    user_heading(seat.workshop.title, level=2, caption=f"{who}{round_note}", unbroken=code)


# Our own constant script; the key in it is the app's own (never user text).
_FOCUS_JS = """<script>
(() => {
  const show = () => {
    const box = document.querySelector(
      ".st-key-%(key)s .wb-status, .st-key-%(key)s [data-testid='stAlertContainer']");
    if (!box) return false;
    box.setAttribute("tabindex", "-1");
    box.scrollIntoView({ block: "center", behavior: "instant" });
    box.focus({ preventScroll: true });
    return true;
  };
  requestAnimationFrame(() => requestAnimationFrame(() => { if (!show()) setTimeout(show, 200); }));
})();
</script>"""


def focus_on_said(key: str) -> None:
    """Bring what the container `key` says (its status line or notice) into view and give it
    the focus: for a tap whose button has gone (a removal, a closed form)."""
    st.html(_FOCUS_JS % {"key": key}, unsafe_allow_javascript=True, width="content")
