"""The funder view's door: the sign-in box, the key check (from .streamlit/secrets.toml or the
environment, compared in constant time), and the chart-with-its-table piece and downloads
every funder chart uses."""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from workbook.live import FUNDER_DOOR
from workbook.models import MAX_KEY_CHARS
from workbook.release import tables
from workbook.store import Store
from workbook.ui import resources
from workbook.ui.i18n import ngettext, translator

SECRET_NAME = "funder_key"
_SIGNED_IN = "funders_signed_in"


# --- the key ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FunderKey:
    """The deployment's funder key as a SHA-256 digest; None when no key is set."""

    digest: bytes | None
    problem: str = ""  # set but unusable: a sentence for whoever runs the server


def parse_key(raw: str) -> FunderKey:
    """A plain key, or 'sha256:<64 hex digits>' of it (so the key itself need not be stored)."""
    raw = raw.strip()
    if not raw:
        return FunderKey(None)
    if raw.lower().startswith("sha256:"):
        try:
            digest = bytes.fromhex(raw[len("sha256:") :].strip())
        except ValueError:
            digest = b""
        if len(digest) != hashlib.sha256().digest_size:
            return FunderKey(None, "the funder key starts with 'sha256:' but is not 64 hex digits")
        return FunderKey(digest)
    return FunderKey(hashlib.sha256(raw.encode()).digest())


def key_matches(typed: str, key: FunderKey) -> bool:
    """Constant-time comparison of SHA-256 digests (the typed key is hashed the same way)."""
    candidate = hashlib.sha256(typed.strip().encode()).digest()
    expected = key.digest if key.digest is not None else bytes(len(candidate))
    same = hmac.compare_digest(candidate, expected)
    return same and key.digest is not None


def _from_secrets() -> str:
    try:
        value = st.secrets.get(SECRET_NAME)
    except FileNotFoundError:  # no secrets.toml (Streamlit's error subclasses it)
        return ""
    return str(value) if value else ""


def configured_key() -> FunderKey:
    """The key from .streamlit/secrets.toml (`funder_key = "..."`), else WORKBOOK_FUNDER_KEY."""
    return parse_key(_from_secrets() or resources.settings().funder_key.get_secret_value())


def _marker(key: FunderKey) -> str:
    # What the session keeps once signed in; a new key on the server signs everyone out.
    assert key.digest is not None
    return hashlib.sha256(b"funder-view-signed-in:" + key.digest).hexdigest()


def require_funder(store: Store) -> bool:
    """True when this session may see the funder view. Otherwise draws only the sign-in box
    (or says the view is closed) and returns False: the page then stops.

    Wrong keys are slowed down exactly as a workshop's facilitator key is (the store's
    sign-in waits, one door for the funder view shared by every session): three free tries,
    then 2, 4, 8 ... seconds, up to a minute, during which even the right key waits."""
    _ = translator()
    key = configured_key()
    if key.digest is None:
        # The problem is a sentence for whoever runs the server, from its settings: English.
        reason = f" ({key.problem})" if key.problem else ""
        st.info(
            _(
                "The funder view is closed on this server: whoever runs it has not set a "
                "funder key{reason}. The README explains how, under “For funders”."
            ).format(reason=reason),
            icon=":material/lock:",
        )
        return False
    if st.session_state.get(_SIGNED_IN) == _marker(key):
        return True
    st.markdown(
        _(
            "This view is for funders and programme leads. It needs the funder key of this "
            "server; ask whoever runs it."
        )
    )
    with st.form("funders_sign_in", enter_to_submit=True):
        typed = st.text_input(
            _("Funder key"), type="password", max_chars=MAX_KEY_CHARS, key="funders_key_typed"
        )
        submitted = st.form_submit_button(
            _("Open the funder view"), type="primary", icon=":material/lock_open:"
        )
    if submitted:
        wait = store.door_wait(FUNDER_DOOR)
        if wait:
            st.error(
                _("Too many wrong keys in a row.")
                + " "
                + ngettext(
                    "Wait {n} second, then try again.", "Wait {n} seconds, then try again.", wait
                ),
                icon=":material/hourglass_top:",
            )
        elif key_matches(typed, key):
            store.clear_wrong_keys(FUNDER_DOOR)
            st.session_state[_SIGNED_IN] = _marker(key)
            st.session_state.pop("funders_key_typed", None)
            st.rerun()
        else:
            wait = store.record_wrong_key(FUNDER_DOOR)
            wrong = _(
                "That key does not open the funder view. Check it with whoever runs this server."
            )
            if wait:
                wrong += " " + ngettext(
                    "After several wrong keys, the next try waits {n} second.",
                    "After several wrong keys, the next try waits {n} seconds.",
                    wait,
                )
            st.error(wrong, icon=":material/key_off:")
    return False


def sign_out() -> None:
    st.session_state.pop(_SIGNED_IN, None)


# --- a chart with its table a click away --------------------------------------------------------


def chart_with_table(
    title: str,
    figure: go.Figure,
    table: pd.DataFrame,
    export: pd.DataFrame,
    *,
    name: str,
    note: str,
    key: str,
    nothing: str | None = None,
    stem: str | None = None,
) -> bool:
    """A heading and the chart; under it, one click away, its table and CSV/XLSX downloads
    of the same figures (the files are built only when clicked), named `stem` (default:
    `name`, which also names the XLSX sheet). With `nothing` (a sentence:
    every figure of the chart is unknown), that sentence instead of the chart and its table,
    whose every cell would be empty. True when the chart was drawn."""
    _ = translator()
    st.subheader(title)
    if nothing is not None:
        st.info(nothing, icon=":material/hourglass_empty:")
        return False
    # No plotly toolbar: on a phone it lies over the first row's label, and the expander
    # below holds the figures and the files.
    st.plotly_chart(
        figure,
        width="stretch",
        theme=None,
        config={"displaylogo": False, "displayModeBar": False},
        key=f"{key}_chart",
    )
    with st.expander(_("Table and downloads"), icon=":material/table:"):
        show_table(table, key=f"{key}_table")
        download_buttons(export, name=name, note=note, key=key, stem=stem)
    return True


def show_table(table: pd.DataFrame, *, key: str) -> None:
    """A figures table: missing values as empty cells (the Note column says why)."""
    # Text columns kept narrow enough that a phone shows a figure beside its label (the
    # rest scrolls sideways); the full text is in the cell's tooltip and the downloads.
    text_columns = {
        column: st.column_config.TextColumn(width="medium")
        for column in table.columns
        if table[column].dtype == object
    }
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        placeholder="",
        column_config=text_columns,
        key=key,
    )


def download_buttons(
    export: pd.DataFrame, *, name: str, note: str, key: str, stem: str | None = None
) -> None:
    _ = translator()
    stem = stem or name
    csv_data: Callable[[], bytes] = functools.partial(tables.to_csv, export)
    xlsx_data: Callable[[], bytes] = functools.partial(
        tables.to_xlsx, export, sheet=name, note=note
    )
    left, right = st.columns(2)
    with left:
        st.download_button(
            _("Download CSV"),
            data=csv_data,
            file_name=f"{stem}.csv",
            mime="text/csv",
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_csv",
        )
    with right:
        st.download_button(
            _("Download XLSX"),
            data=xlsx_data,
            file_name=f"{stem}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
            icon=":material/download:",
            key=f"{key}_xlsx",
        )
