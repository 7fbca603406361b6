"""The action-plan exercise: commitments (what, who, by when, which finding) and how they went."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from workbook import i18n
from workbook.i18n import N_
from workbook.models import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    CommitmentIn,
    CommitmentStatus,
    KeyFinding,
    plain_errors,
)
from workbook.records import Seat
from workbook.store import Store, StoreError
from workbook.ui.i18n import language, translator
from workbook.ui.text import isolate, user_text
from workbook.ui.widgets import show_errors, up_to

_FIELDS = ("action_plan_what", "action_plan_who", "action_plan_when", "action_plan_finding")
_FLASH = "action_plan_flash"
ALREADY_LISTED = N_("This commitment is already in the list above, so it was not added again.")
# Set once a commitment is added: the next run empties the form before drawing it. Popping the
# boxes' keys is not enough: the browser keeps showing (and sends back) what was typed.
_CLEAR = "action_plan_clear"


def render(store: Store, seat: Seat) -> None:
    _ = translator()
    round_ = seat.group.current_round
    st.subheader(_("Our commitments"))
    flash = st.session_state.pop(_FLASH, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    commitments = store.commitments(seat.group.id)
    if not commitments:
        st.caption(_("No commitments yet. Add your first one below."))
    for commitment in commitments:
        with st.container(border=True, key=f"action_plan_item_{commitment.id}"):
            user_text(commitment.what)
            details = [_("Finding: {finding}").format(finding=_(commitment.key_finding.label))]
            if commitment.who:
                details.insert(0, _("Who: {who}").format(who=isolate(commitment.who)))
            if commitment.by_when:
                by = i18n.format_date(commitment.by_when, language())
                details.append(_("By {date}").format(date=by))
            st.text(" · ".join(details))
            if round_ > commitment.round:
                statuses = list(CommitmentStatus)
                current = commitment.status if commitment.status_round == round_ else None
                status = st.segmented_control(
                    _("How did it go?"),
                    statuses,
                    default=current,
                    format_func=lambda s: _(CommitmentStatus(s).label),
                    key=f"action_plan_status_{commitment.id}_{round_}",
                )
                if status is not None and status != current:
                    try:
                        store.review_commitment(
                            group_id=seat.group.id,
                            commitment_id=commitment.id,
                            round=round_,
                            status=status,
                        )
                    except StoreError as error:
                        st.error(error.shown(translator()))
                    else:
                        st.caption(_("Marked: {status}.").format(status=_(status.label)))
            elif st.button(_("Remove"), key=f"action_plan_remove_{commitment.id}"):
                store.remove_commitment(group_id=seat.group.id, commitment_id=commitment.id)
                st.rerun()

    if st.session_state.pop(_CLEAR, False):
        for key, empty in zip(_FIELDS, ("", "", None, next(iter(KeyFinding))), strict=True):
            st.session_state[key] = empty
    with st.form("action_plan_add", enter_to_submit=False):
        st.markdown("**" + _("Add a commitment") + "**")
        what = st.text_area(
            _("What will we do?"), key=_FIELDS[0], height=100, help=up_to(MAX_NOTE_CHARS)
        )
        left, middle, right = st.columns(3)
        who = left.text_input(_("Who will do it?"), key=_FIELDS[1], help=up_to(MAX_NAME_CHARS))
        by_when = middle.date_input(_("By when?"), value=None, key=_FIELDS[2], format="DD/MM/YYYY")
        finding = right.selectbox(
            _("Which key finding does it act on?"),
            list(KeyFinding),
            format_func=lambda f: _(f.label),
            key=_FIELDS[3],
        )
        if st.form_submit_button(_("Add commitment"), type="primary", icon=":material/add:"):
            try:
                commitment = CommitmentIn(what=what, who=who, by_when=by_when, key_finding=finding)
            except ValidationError as error:
                show_errors(plain_errors(error, CommitmentIn, language()), kept=True)
            else:
                listed = {c.id for c in store.commitments(seat.group.id)}
                try:
                    added = store.add_commitment(seat=seat, commitment=commitment, round=round_)
                except StoreError as error:
                    st.error(error.shown(translator()))
                else:
                    st.session_state[_CLEAR] = True
                    st.session_state[_FLASH] = (
                        _(ALREADY_LISTED) if added in listed else _("Commitment added.")
                    )
                    st.rerun()
