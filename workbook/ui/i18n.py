"""This session's language and its translator.

One translator per session, never a process-wide `_`: each render function binds its own,
`_ = translator()`, which reads this session's language at that moment: the participant's
own choice if they made one on this device, else the language of the workshop on this
screen, else the browser's language if the app has it, else English. Two people on the same
server in two languages each see their own.
"""

from __future__ import annotations

import gettext
from collections.abc import Callable

import streamlit as st

from workbook import i18n

_CHOSEN = "i18n_chosen_language"  # this person's own choice, kept for the session
_WORKSHOP = "i18n_workshop_language"  # the language of the workshop on screen, set each run
# The language those two and the URL come to, worked out again whenever one of them is set
# (every page run sets the workshop's): `translator()` is called dozens of times a run, and
# each lookup of a key the session does not hold, or of the URL, raised and caught an
# exception inside Streamlit's session state (about a tenth of a phone's run, profiled:
# bench/RESULTS.md, "Profiled").
_RESOLVED = "i18n_language"
_PICK = "i18n_pick"

# Drawn with every page's other rules by app.py (workbook/ui/style.py set_up_page).
PICKER_CSS = """
<style>
.st-key-i18n_picker button { min-height: 44px; min-width: 44px; }
</style>
"""


def use_workshop_language(code: str | None) -> None:
    """The language of the workshop this screen shows (None: no workshop)."""
    if code is None:
        st.session_state.pop(_WORKSHOP, None)
    else:
        st.session_state[_WORKSHOP] = i18n.supported(code)
    st.session_state[_RESOLVED] = _resolve()


# The person's own choice is also kept in the address (`?lang=en`): a plain reload, or a phone
# waking from sleep, starts a new session and would otherwise fall back to the workshop's
# language. The URL, rather than a cookie or the seat in the database: it survives a reload
# and a wake-up like the seat's own `w`/`t` parameters do, it is per person and per device
# (two people on one seat's link may read two languages), a bookmark keeps it, and it needs
# no storage. A new tab opened from the same address keeps it too; one opened from a bare
# join link starts in the workshop's language, which is that link's promise. Only a language
# the app has is taken from the URL: a forged value is ignored.
LANG_PARAM = "lang"


def _from_url() -> str | None:
    value = st.query_params.get(LANG_PARAM)
    return value if isinstance(value, str) and value in i18n.CODES else None


def _from_browser() -> str | None:
    """The browser's own language when the app has it ("da-DK" -> "da"): Streamlit's public
    `st.context.locale` (the browser's navigator.language; None when a client sends none)."""
    tag = st.context.locale
    if not isinstance(tag, str):
        return None
    code = tag.replace("_", "-").split("-")[0].casefold()
    return code if code in i18n.CODES else None


def language() -> str:
    """This session's language: its own choice (this session's, or kept in the URL from an
    earlier one), else the workshop's, else the browser's (a screen with no workshop, such as
    the start page opened without a join link), else English."""
    resolved = st.session_state.get(_RESOLVED)
    if resolved is None:
        resolved = st.session_state[_RESOLVED] = _resolve()
    return resolved


def _resolve() -> str:
    """Work out `language()` from the session's choice, the URL, the workshop and the browser
    (and keep a choice in the URL)."""
    chosen = st.session_state.get(_CHOSEN)
    if chosen is None:
        chosen = _from_url()
        if chosen is not None:
            st.session_state[_CHOSEN] = chosen
    if chosen is not None:
        chosen = i18n.supported(chosen)
        if st.query_params.get(LANG_PARAM) != chosen:  # page switches clear the URL's params
            st.query_params[LANG_PARAM] = chosen
        return chosen
    workshop = st.session_state.get(_WORKSHOP)
    if workshop is not None:
        return i18n.supported(workshop)
    return _from_browser() or i18n.DEFAULT


def translator(code: str | None = None) -> Callable[[str], str]:
    """The `_` of this session (or of `code`: the projector speaks the workshop's language
    whatever the browser it runs in chose)."""
    return i18n.gettext_for(code if code is not None else language())


def translations() -> gettext.NullTranslations:
    """This session's catalog, for plurals (`translations().ngettext`)."""
    return i18n.translations(language())


def ngettext(singular: str, plural: str, n: int) -> str:
    """ "{n} answer" or "{n} answers" in this session's language, with n filled in."""
    return translations().ngettext(singular, plural, n).format(n=n)


def choose(code: str) -> None:
    st.session_state[_CHOSEN] = i18n.supported(code)
    st.query_params[LANG_PARAM] = i18n.supported(code)
    st.session_state[_RESOLVED] = _resolve()


def picker(where: object | None = None) -> None:
    """A compact language choice (44 px targets) for a phone. The choice stays in the session
    (through reruns and page moves); its key names the language shown, so a change draws a
    fresh control and session state is never written into a live widget."""
    _ = translator()
    current = language()
    key = f"{_PICK}_{current}"
    target = where if where is not None else st
    with target.container(key="i18n_picker"):  # type: ignore[attr-defined]
        st.segmented_control(
            _("Language"),
            list(i18n.CODES),
            default=current,
            required=True,
            format_func=i18n.name_of,
            key=key,
            on_change=lambda: choose(st.session_state[key]),
            label_visibility="collapsed",
        )
