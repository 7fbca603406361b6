"""A seated person's own link to come back: their seat's address (`/?w=CODE&t=TOKEN`), shown
as text with a copy button, a QR code where it helps, and one line saying to keep it.

The seat is a token in the link (no account, no personal data), so this link is the only
way back to a group's answers from another browser, or from this one once its session is
gone. It is shown where a group looks: the workshop-ready card of a self-guided group, the
start page while seated (where people go to leave), the foot of the workbook and map and the
results page's "Coming back later?". It is read from this session's own seat only
(session.seat_params), so a screen shows no link but its own seat's: never on the projector
or the funders' page, which never call `panel`.
"""

from __future__ import annotations

import functools
import html
from urllib.parse import urlsplit

import streamlit as st

from workbook.i18n import N_
from workbook.live import reachable_from_phones
from workbook.ui import resources, session
from workbook.ui.i18n import translator
from workbook.ui.text import escaped

KEEP = N_(
    "Keep this link: it brings this browser's answers back on any device. Anyone with it can "
    "add answers as you."
)
TITLE = N_("Your link to come back")
# Every page's url path (app.py): taken off the browser's address to find the app's own.
_PAGE_PATHS = ("start", "workbook", "results", "map", "facilitator", "projector", "funders")

_CSS = """<style>
.wb-seat-link { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 0.5rem 1.25rem; }
.wb-seat-link-main { flex: 1 1 16rem; min-width: 0; }
.wb-seat-link-url { font-family: "Source Code Pro", monospace; font-size: 0.95rem;
  overflow-wrap: anywhere; word-break: break-all; background: #f3f4f6; border-radius: 0.5rem;
  padding: 0.6rem 0.75rem; margin: 0 0 0.5rem 0; user-select: all; }
.wb-seat-link-row { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; }
.wb-seat-link-copy { min-height: 44px; min-width: 44px; padding: 0.4rem 1rem;
  border: 1px solid #8a8a8a; border-radius: 0.5rem; background: #ffffff; color: #1f2328;
  font: inherit; font-weight: 600; cursor: pointer; }
.wb-seat-link-copy:hover { border-color: #0b5cad; color: #0b5cad; }
.wb-seat-link-copy:focus-visible { outline: 3px solid #0b5cad; outline-offset: 2px; }
.wb-seat-link-said { font-weight: 600; color: #1b5e20; }
.wb-seat-link-said.wb-failed { color: #8a1c1c; }
.wb-seat-link-qr { flex: 0 0 auto; width: 148px; }
.wb-seat-link-qr img { width: 148px; height: 148px; image-rendering: pixelated; display: block; }
.wb-seat-link-qr p { margin: 0.25rem 0 0 0; font-size: 0.85rem; color: #4a4f57; }
/* A phone cannot scan its own screen: the QR code is for laptops and tablets. */
@media (max-width: 640px) { .wb-seat-link-qr { display: none; } }
</style>"""

# Our own constant script (no user text in it): one listener for every copy button, added
# once per page. The clipboard API needs a secure address (https or localhost); elsewhere the
# link's text is selected and copied the old way, and if even that fails the person is told
# to copy the selected link themselves.
_COPY_JS = """<script>
(() => {
  if (window.__wbSeatLinkCopy) return;
  window.__wbSeatLinkCopy = true;
  const selectText = (el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  };
  document.addEventListener("click", async (event) => {
    const button = event.target.closest && event.target.closest(".wb-seat-link-copy");
    if (!button) return;
    const box = button.closest(".wb-seat-link");
    const url = box.querySelector(".wb-seat-link-url");
    const said = box.querySelector(".wb-seat-link-said");
    let copied = false;
    try {
      await navigator.clipboard.writeText(url.textContent);
      copied = true;
    } catch (error) {
      selectText(url);
      try { copied = document.execCommand("copy"); } catch (error2) { copied = false; }
    }
    if (!copied) selectText(url);
    said.classList.toggle("wb-failed", !copied);
    said.textContent = copied ? button.dataset.copied : button.dataset.failed;
  });
})();
</script>"""


def app_address() -> str:
    """The app's own address: WORKBOOK_PUBLIC_URL if set, else this browser's, without the
    page's path (empty if unknown, as in a test without a browser)."""
    public = resources.settings().public_url.strip().rstrip("/")
    if public:
        return public
    url = (st.context.url or "").split("?", 1)[0].split("#", 1)[0].rstrip("/")
    for path in _PAGE_PATHS:
        if url.endswith("/" + path):
            return url.removesuffix("/" + path)
    return url


def own_link() -> str | None:
    """This session's own seat's link to come back (None when not seated here)."""
    params = session.seat_params()
    if params is None:
        return None
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return f"{app_address()}/?{query}"


@functools.lru_cache(maxsize=256)
def _qr_uri(url: str) -> str:
    """The link's QR code as an SVG data URI, made once per link (about 5 ms each: the foot
    of every full run of a group's pages draws it)."""
    import segno  # only when a QR code is shown

    code = segno.make(url, error="m")
    return code.svg_data_uri(scale=1, border=2, omitsize=True, dark="#000000", light="#ffffff")


def qr_image(url: str, alt: str) -> str:
    """The link as a QR code: an <img> of an SVG data URI, black on white."""
    uri = _qr_uri(url)
    return f'<img src="{html.escape(uri)}" alt="{escaped(alt)}" data-testid="wb-seat-link-qr">'


def panel(*, qr: bool = False, heading: bool = True) -> bool:
    """This seat's link to come back, with a copy button, the line saying to keep it and,
    with `qr`, a QR code to take it along on a phone. Draws nothing (and says False) when
    this session holds no seat."""
    link = own_link()
    if link is None:
        return False
    _ = translator()
    if heading:
        st.markdown(f"**{_(TITLE)}**")
    st.markdown(_(KEEP))
    code = ""
    if qr:
        scan = _("Scan it with a phone to take the link along.")
        alt = _("QR code of your link to come back")
        code = f'<div class="wb-seat-link-qr">{qr_image(link, alt)}<p>{escaped(scan)}</p></div>'
    copy, copied = _("Copy link"), _("Copied")
    failed = _("Could not copy: the link is selected, copy it yourself.")
    st.html(
        _CSS
        + '<div class="wb-seat-link" data-testid="wb-seat-link"><div class="wb-seat-link-main">'
        f'<p class="wb-seat-link-url" data-testid="wb-seat-link-url">{escaped(link)}</p>'
        '<div class="wb-seat-link-row">'
        f'<button type="button" class="wb-seat-link-copy" data-copied="{escaped(copied)}"'
        f' data-failed="{escaped(failed)}">{escaped(copy)}</button>'
        '<span class="wb-seat-link-said" role="status" aria-live="polite"></span></div></div>'
        f"{code}</div>" + _COPY_JS,
        unsafe_allow_javascript=True,
    )
    if urlsplit(link).hostname and not reachable_from_phones(link):
        # Said plainly, not hidden: "any device" is not true of a computer's own address.
        st.caption(
            _(
                "This address is this computer's own, so the link opens only here. Whoever "
                "runs the app can set its public address (WORKBOOK_PUBLIC_URL) for other "
                "devices."
            )
        )
    return True


def foot() -> None:
    """At the foot of a group's page, beside the way to leave: the link, folded away."""
    if session.seat_params() is None:
        return
    _ = translator()
    with st.expander(_(TITLE), icon=":material/link:"):
        panel(qr=True, heading=False)
