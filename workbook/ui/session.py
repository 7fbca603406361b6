"""Who is at this browser: the seat kept in session state and in the URL (workshop code, token).

The URL carries `w` (the workshop's join code) and `t` (this person's resume token), so a reload,
a phone waking from sleep or a bookmarked link brings the person back to their seat. A link
whose token does not belong to that workshop opens nothing and says so.
"""

from __future__ import annotations

import streamlit as st

from workbook.records import Seat
from workbook.store import Store

CODE_PARAM = "w"
TOKEN_PARAM = "t"
_SEAT = "session_participant_id"
_TOKEN = "session_token"
_CODE = "session_join_code"
_NOTICE = "session_notice"
_GO_TO = "session_go_to"
# Set once this session's seat or resume link has failed or been left: its code in the URL
# is then no invitation to show the workshop again.
_LEFT = "session_left_a_seat"


def current_seat(store: Store) -> Seat | None:
    """The seat of this visitor, from session state or else from the URL; None if not seated."""
    participant_id = st.session_state.get(_SEAT)
    if participant_id is not None:
        seat = store.seat(participant_id)
        if seat is not None:
            _keep_in_url()
            return seat
        forget("Your seat in this workshop no longer exists. Join again with the code.")
        return None
    code = _param(CODE_PARAM)
    token = _param(TOKEN_PARAM)
    if code and token:
        seat = store.resume(join_code=code, token=token)
        if seat is None:
            _drop_params(TOKEN_PARAM)
            st.session_state[_LEFT] = True
            st.session_state[_NOTICE] = (
                "This link does not open a seat in that workshop: it may be out of date or "
                "mistyped. Join with the workshop code instead."
            )
            return None
        remember(seat, token)
        return seat
    return None


def remember(seat: Seat, token: str) -> None:
    st.session_state[_SEAT] = seat.participant.id
    st.session_state[_TOKEN] = token
    st.session_state[_CODE] = seat.workshop.join_code
    _keep_in_url()


def forget(notice: str | None = None) -> None:
    for key in (_SEAT, _TOKEN, _CODE):
        st.session_state.pop(key, None)
    _drop_params(TOKEN_PARAM)
    st.session_state[_LEFT] = True
    if notice:
        st.session_state[_NOTICE] = notice


def take_notice() -> str | None:
    """A message for the start page (e.g. why a link did not work), shown once."""
    return st.session_state.pop(_NOTICE, None)


def code_from_url() -> str:
    return _param(CODE_PARAM)


def is_join_link() -> bool:
    """A join link or QR code: a workshop code and no resume token (a link with a token that
    did not resume, or a seat just left, is no invitation)."""
    return bool(_param(CODE_PARAM)) and not _param(TOKEN_PARAM) and _LEFT not in st.session_state


def _keep_in_url() -> None:
    # Page switches clear query parameters, so put them back on every run.
    code, token = st.session_state.get(_CODE), st.session_state.get(_TOKEN)
    if code and token and (_param(CODE_PARAM) != code or _param(TOKEN_PARAM) != token):
        st.query_params[CODE_PARAM] = code
        st.query_params[TOKEN_PARAM] = token


def _param(name: str) -> str:
    value = st.query_params.get(name, "")
    return value[:100] if isinstance(value, str) else ""


def _drop_params(*names: str) -> None:
    for name in names:
        if name in st.query_params:
            del st.query_params[name]


def go_after_rerun(url_path: str) -> None:
    """Ask app.py to open a page on the next run: for pages this run's navigation does not
    list yet (the workbook, just after joining)."""
    st.session_state[_GO_TO] = url_path
    st.rerun()


def pending_page() -> str | None:
    return st.session_state.pop(_GO_TO, None)


def seat_params() -> dict[str, str] | None:
    """This visitor's workshop code and token as URL parameters (None when not seated)."""
    code, token = st.session_state.get(_CODE), st.session_state.get(_TOKEN)
    return {CODE_PARAM: code, TOKEN_PARAM: token} if code and token else None


def switch_to(page: object) -> None:
    """Go to another page, keeping this visitor's workshop code and token in the URL."""
    st.switch_page(page, query_params=seat_params())  # type: ignore[arg-type]
