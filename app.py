"""Movement Workbook: entry point. Sets up the page and builds navigation from who is visiting."""

import streamlit as st

from workbook import server
from workbook.server import admission, profiling, script_threads, transport, warm
from workbook.ui import context, navigation, seat_link, session, style

# Once per process: decide which changes to Streamlit are on, one log line each
# (workbook/server/__init__.py).
server.decide()
# Once per process: screen updates leave without waiting for the browser's acknowledgements,
# and later runs go to threads kept waiting instead of a new thread each (see the modules).
transport.send_at_once()
# (WORKBOOK_PROFILE_RUNS, a diagnostic: each run profiled, workbook/server/profiling.py.)
script_threads.install(around=profiling.wrap(admission.run_starting))

# The whole run draws in one of the process's slots (workbook/server/admission.py); widget
# callbacks, such as a form's save, have already run by now and did not wait.
with admission.run_slot():
    style.set_up_page()
    ctx = context.load_for_run()

    seated = ctx.seat is not None
    start = st.Page(
        "pages/start.py",
        title=navigation.title("Join or start"),
        icon=":material/login:",
        url_path="start",
        default=not seated,
    )
    workbook = st.Page(
        "pages/workbook.py",
        title=navigation.title("Workbook"),
        icon=":material/menu_book:",
        url_path="workbook",
        default=seated,
    )
    results = st.Page(
        "pages/results.py",
        title=navigation.title("Our results"),
        icon=":material/insights:",
        url_path="results",
    )
    stakeholder_map = st.Page(
        "pages/map.py",
        title=navigation.title("Stakeholder map"),
        icon=":material/hub:",
        url_path="map",
    )
    facilitator = st.Page(
        "pages/facilitator.py",
        title=navigation.title("Facilitator console"),
        icon=":material/co_present:",
        url_path="facilitator",
    )
    projector = st.Page(
        "pages/projector.py",
        title=navigation.title("Projector screen"),
        icon=":material/tv:",
        url_path="projector",
    )
    funders = st.Page(
        "pages/funders.py",
        title=navigation.title("For funders"),
        icon=":material/monitoring:",
        url_path="funders",
    )

    # Pages by name (for session.go_after_rerun) and by section (for the sidebar).
    group_pages = {"workbook": workbook, "results": results, "map": stakeholder_map}
    pages = {
        **(group_pages if seated else {}),
        "start": start,
        "facilitator": facilitator,
        "projector": projector,
        "funders": funders,
    }
    if seated:
        # A participant: their own pages as big tabs at the top (workbook/ui/navigation.py);
        # every page stays registered, so the others open by their address.
        current = st.navigation(list(pages.values()), position="hidden")
        if current.url_path != "projector":  # the projector is the room's screen
            navigation.participant_tabs(pages)
    else:
        sections = {
            navigation.title("Our group"): [start],
            navigation.title("Facilitators"): [facilitator, projector],
            navigation.title("Funders"): [funders],
        }
        current = st.navigation(sections, position="sidebar")
    if ctx.lessons.problems:
        # Each broken file by name, as plain text: open on the facilitator's console, folded
        # away elsewhere. The other lessons run as usual.
        with st.expander(
            f":material/warning: {len(ctx.lessons.problems)} problem(s) in the lesson files: "
            "those lessons are left out until fixed",
            expanded=current.url_path == "facilitator",
        ):
            for problem in ctx.lessons.problems:
                st.text(str(problem))
            st.caption("Check the folder with: python -m workbook.lessons check")
    wanted = pages.get(session.pending_page() or "")
    if wanted is not None and wanted.title != current.title:
        session.switch_to(wanted)
    current.run()
    # (By title: the default page's url_path is "".)
    if seated and current.title in {page.title for page in group_pages.values()}:
        if current.title != results.title:  # the results page shows it in "Coming back later?"
            seat_link.foot()
        navigation.leave_link(pages)
    # The first time each page has run here, what it imports is loaded: freeze it out of
    # the garbage collector's walks (workbook/server/warm.py).
    warm.after_first_run(current.url_path)
