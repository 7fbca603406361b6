"""The console's exports: the workshop's answers, ratings and maps as CSV files, an Excel
workbook and a one-file HTML summary to send to the group, made when the facilitator asks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import streamlit as st

from workbook import export, summary_html
from workbook.i18n import N_
from workbook.lessons import LessonSet
from workbook.records import Workshop
from workbook.store import Store, StoreError
from workbook.ui.i18n import translator

# --- exports --------------------------------------------------------------------------------


# Export files are made when the facilitator presses "Prepare the exports", then offered as
# ordinary downloads. (Not Streamlit's deferred downloads, made at the click: Streamlit keeps
# such a file unreferenced, and the clean-up at the end of any two runs in the process, by
# any session, deletes it; in a live room that often happened before the browser fetched
# it, and the download was cancelled. Seen in tests/test_projector_browser.py.)
_PREPARED = "facilitator_exports_prepared"
_DOWNLOADS = (
    # label, builder, file name suffix, MIME type, key, icon
    (
        N_("CSV files (zip)"),
        export.csv_zip,
        "-csv.zip",
        "application/zip",
        "csv",
        ":material/folder_zip:",
    ),
    (
        N_("Excel workbook (.xlsx)"),
        export.xlsx,
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        ":material/table:",
    ),
    (
        N_("Summary to send (HTML)"),
        summary_html.html_summary,
        "-summary.html",
        "text/html",
        "html",
        ":material/summarize:",
    ),
)


@dataclass(frozen=True)
class _Prepared:
    workshop_id: int
    made_at: dt.datetime
    files: dict[str, bytes | str]


def _prepare(store: Store, lessons: LessonSet, workshop: Workshop) -> None:
    try:
        stored = store.workshop_plan(workshop.id)
        plan_title = stored.plan.title if stored is not None and stored.plan is not None else ""
        language = store.workshop_language(workshop.id)
        # The files go to the group: in the workshop's language, headings and all.
        collected = export.collect(
            store,
            workshop_id=workshop.id,
            lessons=lessons,
            plan_title=plan_title,
            language=language,
        )
    except StoreError as error:
        st.toast(error.shown(translator()))
        return
    files = {key: build(collected) for _label, build, _s, _m, key, _i in _DOWNLOADS}
    files["html"] = summary_html.html_summary(collected, language=language)
    st.session_state[_PREPARED] = _Prepared(workshop.id, dt.datetime.now(), files)


def panel(store: Store, lessons: LessonSet, workshop: Workshop) -> None:
    _ = translator()
    st.subheader(_("Exports"))
    st.caption(
        _(
            "Everything this workshop's groups gave so far: reflections, ratings, stakeholder "
            "maps and commitments. The summary is one web page with the charts, to send to "
            "the group (answers you hid are left out of it)."
        )
    )
    prepared = st.session_state.get(_PREPARED)
    if not isinstance(prepared, _Prepared) or prepared.workshop_id != workshop.id:
        prepared = None
    st.button(
        _("Prepare the exports") if prepared is None else _("Prepare them again"),
        key="facilitator_export_prepare",
        icon=":material/sync:",
        on_click=_prepare,
        args=(store, lessons, workshop),
    )
    if prepared is None:
        st.caption(_("They are made from what the groups have given up to when you press it."))
        return
    st.caption(
        _("Made at {time}; prepare them again for answers given since.").format(
            time=f"{prepared.made_at:%H:%M}"
        )
    )
    stem = f"workshop-{workshop.join_code}"
    for column, (label, _build, suffix, mime, key, icon) in zip(
        st.columns(len(_DOWNLOADS)), _DOWNLOADS, strict=True
    ):
        column.download_button(
            _(label),
            data=prepared.files[key],
            file_name=stem + suffix,
            mime=mime,
            key=f"facilitator_export_{key}",
            on_click="ignore",
            icon=icon,
            width="stretch",
        )
