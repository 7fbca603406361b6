"""The lesson form's notes about drafts say what is true on any device: a laptop's browser is
not "this phone" (outside walk-through, screenshot 07), and a laptop's button is pressed,
not tapped."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_pages import button, create_workshop, fresh


def test_the_draft_notes_name_no_device(app_db: Path) -> None:
    at = fresh().run()
    create_workshop(at, self_guided=True)
    button(at, "Open the workbook").click()
    at.run()
    html = "\n".join(str(h.proto.body) for h in at.get("html"))
    top = re.search(r'<p class="wb-draft-top" hidden>([^<]*)</p>', html)
    field = re.search(r'<p class="wb-draft-note"[^>]*>([^<]*)</p>', html)
    assert top and field, html
    for said in (top.group(1), field.group(1)):
        assert "phone" not in said and "tap " not in said.lower(), said
    assert "only in this browser" in top.group(1)
