"""The map uploader and the app agree on the size of a file: the box says 1 MB (Streamlit's
server.maxUploadSize in .streamlit/config.toml) and the app's own bound, 1,000,000 bytes, is
within it, so every file the box takes either imports or is refused in the app's sentence."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from workbook.config import PROJECT_ROOT
from workbook.map_file import MAX_FILE_BYTES

APP = str(PROJECT_ROOT / "app.py")
MEBIBYTE = 1024 * 1024  # what Streamlit's box counts as its "MB"


def configured_megabytes() -> int:
    with (PROJECT_ROOT / ".streamlit" / "config.toml").open("rb") as file:
        return int(tomllib.load(file)["server"]["maxUploadSize"])


def test_the_box_limit_is_the_apps_limit_rounded_up_to_whole_megabytes() -> None:
    megabytes = configured_megabytes()
    assert megabytes == 1
    assert megabytes * MEBIBYTE >= MAX_FILE_BYTES  # nothing the app takes is refused by the box
    assert megabytes * 1_000_000 <= MAX_FILE_BYTES  # and the box says no more than the app takes


def map_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    [title] = [t for t in at.text_input if t.label == "Workshop title"]
    title.input("Spring day")
    [cause] = [t for t in at.text_input if t.label == "Cause or movement"]
    cause.input("Housing justice")
    at.radio[0].set_value("Self-guided: our group works through it alone")
    [name] = [t for t in at.text_input if t.label == "Your group's name (required for self-guided)"]
    name.input("Kitchen table")
    [create] = [b for b in at.button if b.label == "Create workshop"]
    create.click()
    at.run()
    at.switch_page("pages/map.py").run()
    assert not at.exception, at.exception
    return at


def test_the_uploader_says_one_megabyte_and_a_file_just_over_the_apps_bound_is_told(
    app_db: Path,
) -> None:
    at = map_page()
    [uploader] = at.get("file_uploader")
    assert uploader.proto.max_upload_size_mb == 1  # the box reads "Limit 1MB per file"
    # Taken by the box (under 1 MiB), over the app's 1,000,000 bytes: one sentence, by name.
    data = b"name,kind,influence,band\n" + b"x" * (MAX_FILE_BYTES + 10)
    assert len(data) < MEBIBYTE
    uploader.set_value(("big.csv", data, "text/csv"))
    at.run()
    assert not at.exception
    assert [e.value for e in at.error] == ["This file cannot be imported; nothing was changed."]
    shown = " ".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.text]
    )
    assert "big.csv" in shown and "1 MB" in shown, shown
