"""Keep what every run shares out of the garbage collector's way.

A full collection walks every object the process holds, and the server holds a great many
that live as long as it does: Streamlit, plotly, pandas, the lessons, each page's modules.
In a 200-person burst the collector paused every thread 2-4 times for 0.12-0.25 s each
(bench/RESULTS.md, "Nagle, kept threads, saves before redraws", item 5). So after a page's
first run in this process, when what it imports is loaded, the process collects once and
then freezes what is left (`gc.freeze()`): those objects are no longer walked, and later
collections only look at what runs have made since. Objects frozen are still freed when
nothing refers to them; only reference cycles among them wait until exit, where the process
unfreezes them so its last collection can free them (DuckDB's bindings otherwise report them
as leaked).

At most once per page, so a handful of times, all early in the process's life.
"""

from __future__ import annotations

import atexit
import gc
import threading

from workbook.server import active

_seen: set[str] = set()
_lock = threading.Lock()
_unfreeze_at_exit = False


# How often the collector looks (CPython's defaults: 700, 10, 10). Every run of every phone
# allocates thousands of objects (elements, messages, widget records), so with the defaults a
# 200-person room made about 40 young collections a second and a full one every few seconds,
# each full one pausing every thread for 0.1-0.3 s (bench/RESULTS.md, "Garbage collection
# again"). Fewer, with the same rules: the youngest generation is looked at after 20,000
# new objects instead of 700, a full collection comes after 50 middle ones instead of 10.
THRESHOLDS = (20_000, 20, 50)
_thresholds_set = False


def after_first_run(page: str) -> bool:
    """Call when a run of `page` has ended; freezes on the first call per page. Returns
    whether it froze now."""
    global _unfreeze_at_exit
    if page in _seen or not active("warm"):
        return False
    with _lock:
        if page in _seen:
            return False
        _seen.add(page)
        global _thresholds_set
        if not _thresholds_set:
            gc.set_threshold(*THRESHOLDS)
            _thresholds_set = True
        gc.collect()
        gc.freeze()
        if not _unfreeze_at_exit:
            atexit.register(gc.unfreeze)
            _unfreeze_at_exit = True
    return True
