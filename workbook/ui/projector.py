"""The projector screen: join code and QR while people arrive, then the room's step, its
timer and (once revealed) live results. Built for 1920x1080 read from the back of a room.

Access: the projector window is a new browser session, so it cannot share the console's
sign-in. The console gives it a link with a random view-only token (stored hashed, valid 24
hours, revocable). The facilitator key is never typed in front of the room or put in a URL,
and a leaked projector link shows only what the room already sees.
"""

from __future__ import annotations

import html

import segno
import streamlit as st

from workbook.bidi import bdi
from workbook.lessons import Lesson, LessonSet
from workbook.live import (
    JOIN_SCREEN,
    PROJECTOR_REFRESH_SECONDS,
    PROMPT,
    RATING,
    AnswerCard,
    Distribution,
    Focus,
    GroupCount,
    ItemState,
    Room,
    by_support,
    cards_to_show,
    clip,
    clock,
    join_url,
    plural,
    valid_focus,
)
from workbook.progress import clamp_step
from workbook.projector_pages import (
    Page,
    answers_per_page,
    bars_per_page,
    current_page,
    page_key,
    page_of,
    page_text,
    text_scale,
)
from workbook.records import Workshop, format_join_code
from workbook.server.admission import admitted
from workbook.store import Store
from workbook.store.database import utc_now
from workbook.store.projector_view import ProjectorView
from workbook.text_analysis import Term, frequent_terms
from workbook.ui import projector_bars, resources, workshop_lessons
from workbook.ui.projector_bars import count_bars, mean_bars

TOKEN_PARAM = "p"
CARD_CHARS = 120
GROUP_CHARS = 40
TIMER_WARNING_SECONDS = 60

_CSS = """
<style>
/* Projector page only: no Streamlit chrome, no sidebar, the whole screen for the room. */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], [data-testid="stBottom"] {
  display: none !important;
}
[data-testid="stMainBlockContainer"] {
  max-width: none !important; padding: 1.2vw 2.5vw 0.5vw !important;
}
/* A refresh must not dim or flash anything. */
[data-stale="true"], [data-stale="true"] * { opacity: 1 !important; transition: none !important; }
.wbp { color: #111; line-height: 1.25; }
.wbp p, .wbp h1 { margin: 0; padding: 0; }
.wbp-bar { display: flex; justify-content: space-between; align-items: center; gap: 2vw;
           border-bottom: 0.25vw solid #0059A3; padding-bottom: 0.6vw; }
.wbp-step { font-weight: 700; color: #222;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.9vw, 44px));
            min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.wbp-join-small { color: #222; white-space: nowrap;
                  font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.9vw, 44px)); }
.wbp-join-small b { letter-spacing: 0.08em; color: #111; }
.wbp-timer { font-weight: 800; white-space: nowrap;
             font-size: calc(var(--wbp-scale, 1) * clamp(40px, 4.6vw, 110px));
             font-variant-numeric: tabular-nums; color: #111; }
.wbp-timer.wbp-low { color: #A33B00; }
.wbp-timer.wbp-paused { color: #444; }
.wbp-prompt { font-weight: 800; margin: 1vw 0 0.4vw !important; line-height: 1.2;
              font-size: calc(var(--wbp-scale, 1) * clamp(30px, 3vw, 72px));
              overflow-wrap: anywhere; }
.wbp-status { font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.9vw, 44px)); color: #222; }
.wbp-status b { color: #111; }
.wbp-count { font-weight: 900; line-height: 1;
             font-size: calc(var(--wbp-scale, 1) * clamp(90px, 11vw, 260px));
             font-variant-numeric: tabular-nums; }
.wbp-count-label { font-weight: 700;
                   font-size: calc(var(--wbp-scale, 1) * clamp(26px, 2.5vw, 60px)); }
.wbp-hint { color: #333; margin-top: 1.5vw !important;
            font-size: calc(var(--wbp-scale, 1) * clamp(20px, 1.7vw, 40px)); }
.wbp-h { font-weight: 800; margin: 0.6vw 0 !important;
         font-size: calc(var(--wbp-scale, 1) * clamp(16px, 2.6vw, 100px)); }
.wbp-cards { display: grid; grid-template-columns: 1fr 1fr; gap: 1vw; }
.wbp-card { background: #F1F3F6; border-left: 0.55vw solid #0059A3; border-radius: 0.5vw;
            padding: 0.6vw 1vw; line-height: 1.2; overflow-wrap: anywhere;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.6vw, 64px)); }
.wbp-card .wbp-who { display: flex; gap: 0.8em; margin-top: 0.3vw; color: #333; font-weight: 700;
                     font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.5vw, 60px)); }
.wbp-who .wbp-group { min-width: 0; white-space: nowrap; overflow: hidden;
                      text-overflow: ellipsis; }
/* Few answers: bigger cards, so one answer on its own still fills the screen with purpose. */
.wbp-few .wbp-card { font-size: calc(var(--wbp-scale, 1) * clamp(16px, 2.3vw, 90px));
                      padding: 1vw 1.3vw; }
.wbp-few .wbp-card .wbp-who { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.7vw, 66px)); }
.wbp-support { font-weight: 800; color: #00467F; white-space: nowrap; }
.wbp-page { display: flex; gap: 1.2em; align-items: baseline; margin-top: 0.8vw !important;
            font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.6vw, 64px)); color: #222; }
.wbp-page b { font-weight: 800; color: #111; }
.wbp-terms { display: flex; flex-wrap: wrap; gap: 0.6vw 1.4vw; align-items: baseline; }
.wbp-term { font-weight: 800; color: #00467F; overflow-wrap: anywhere; }
.wbp-term small { font-size: calc(var(--wbp-scale, 1) * clamp(14px, 1.5vw, 60px)); color: #333;
                  font-weight: 700; margin-left: 0.3em; }
.wbp-mean { font-weight: 900; line-height: 1; color: #A33B00;
            font-size: calc(var(--wbp-scale, 1) * clamp(60px, 7vw, 170px)); }
.wbp-join { display: flex; gap: 3vw; align-items: center; justify-content: space-between;
            min-height: 88vh; }
.wbp-title { font-weight: 800; overflow-wrap: anywhere;
             font-size: calc(var(--wbp-scale, 1) * clamp(30px, 3.2vw, 76px));
              white-space: pre-wrap; }
.wbp-label { color: #222; margin-top: 1.4vw !important;
             font-size: calc(var(--wbp-scale, 1) * clamp(24px, 2.4vw, 56px)); }
.wbp-url { font-weight: 800; overflow-wrap: anywhere;
           font-size: calc(var(--wbp-scale, 1) * clamp(28px, 3vw, 70px)); }
.wbp-code { font-weight: 900; letter-spacing: 0.04em;
            font-size: calc(var(--wbp-scale, 1) * clamp(80px, 9.6vw, 240px));
            line-height: 1.05; white-space: nowrap; font-variant-numeric: tabular-nums; }
.wbp-join-text { flex: 1 1 auto; min-width: 0; }
.wbp-joined { margin-top: 1.6vw !important;
              font-size: calc(var(--wbp-scale, 1) * clamp(28px, 3vw, 70px)); }
.wbp-joined b { font-size: 1.3em; }
.wbp-qr { flex: 0 0 auto; width: min(40vw, 76vh); text-align: center; }
.wbp-qr img { width: 100%; height: auto; display: block; image-rendering: pixelated; }
.wbp-qr p { font-size: calc(var(--wbp-scale, 1) * clamp(22px, 2vw, 48px)); font-weight: 700; }
.wbp-centre { text-align: center; margin-top: 12vh !important; }
</style>
"""


# --- addresses ------------------------------------------------------------------------------


PROJECTOR_PATH = "projector"
CONSOLE_PATH = "facilitator"


def app_base_url(page_path: str) -> str:
    """This app's address as the browser sees it, without the page's own path (empty if
    unknown). Streamlit leaves the page path on `st.context.url` under st.navigation."""
    url = (st.context.url or "").split("?", 1)[0].rstrip("/")
    return url.removesuffix("/" + page_path)


def public_base_url(page_path: str) -> str:
    """The address participants use: WORKBOOK_PUBLIC_URL if set, else this browser's."""
    return resources.settings().public_url.strip().rstrip("/") or app_base_url(page_path)


def projector_link(token: str) -> str:
    base = app_base_url(CONSOLE_PATH)
    return f"{base}/projector?{TOKEN_PARAM}={token}" if base else f"projector?{TOKEN_PARAM}={token}"


def projector_token() -> str:
    token = st.query_params.get(TOKEN_PARAM, "")
    return token[:100] if isinstance(token, str) else ""


def projector_workshop(store: Store, signed_in: int | None) -> int | None:
    """The workshop this projector window may show: its link's token, or else the console's
    sign-in when the projector is opened in the same browser session."""
    token = projector_token()
    if token:
        workshop_id = store.projector_workshop(token)
        if workshop_id is not None:
            return workshop_id
    return signed_in


# --- the page -------------------------------------------------------------------------------


def set_up() -> None:
    st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
    st.html(_CSS)
    st.html(projector_bars.CSS)


def no_access(had_token: bool) -> None:
    reason = (
        "This projector link has expired or was stopped."
        if had_token
        else "The projector screen opens from the facilitator console."
    )
    st.html(
        '<div class="wbp wbp-centre">'
        f'<h1 class="wbp-title">{html.escape(reason)}</h1>'
        '<p class="wbp-label">Sign in on the Facilitator console and press '
        "<b>Open the projector screen</b>.</p></div>"
    )


@st.fragment(run_every=PROJECTOR_REFRESH_SECONDS)
@admitted(first=True)
def live_screen(
    store: Store, lessons: LessonSet, workshop_id: int, base_url: str, token: str
) -> None:
    """Everything on the screen, redrawn in place every second from a few small reads.
    A stopped or expired link stops showing the room at the next refresh. `lessons`: every
    lesson file's; the workshop's plan is applied at each refresh, so a changed plan shows."""
    lessons = workshop_lessons.workshop_lessons(store, workshop_id, lessons)
    workshop = store.workshop_by_id(workshop_id)
    if workshop is None or (token and store.projector_workshop(token) != workshop_id):
        no_access(True)
        return
    room = store.room(workshop_id)
    view = store.projector_view(workshop_id)
    # The facilitator's text size for the room: every size on the screen is multiplied by it.
    st.html(f"<style>:root {{ --wbp-scale: {text_scale(view.text_size):.2f}; }}</style>")
    if room.screen == JOIN_SCREEN or not len(lessons):
        _join_screen(store, workshop, base_url)
    else:
        _step_screen(store, lessons, workshop, room, view)


# --- joining --------------------------------------------------------------------------------


def qr_image(url: str) -> str:
    """The join address as a QR code: an <img> of an SVG data URI (st.html keeps <img> with
    data URIs but drops inline <svg>). Black on white, scales to any size."""
    code = segno.make(url, error="m")
    uri = code.svg_data_uri(scale=1, border=2, omitsize=True, dark="#000000", light="#ffffff")
    return (
        f'<img src="{html.escape(uri)}" alt="QR code: scan it to open the join page" '
        'data-testid="wbp-qr">'
    )


def join_html(workshop: Workshop, address: str, joined: int) -> str:
    esc = html.escape
    shown_address = address.split("://", 1)[-1].split("?", 1)[0].rstrip("/") if address else ""
    where = (
        f'<p class="wbp-label">Join on your phone at</p><p class="wbp-url">{esc(shown_address)}</p>'
        '<p class="wbp-label">with the code</p>'
        if address
        else '<p class="wbp-label">Join with the code</p>'
    )
    people = "nobody yet" if joined == 0 else plural(joined, "person", "people")
    qr = f'<div class="wbp-qr">{qr_image(address)}<p>Scan to join</p></div>' if address else ""
    return (
        '<div class="wbp wbp-join" data-testid="wbp-join">'
        '<div class="wbp-join-text">'
        f'<h1 class="wbp-title">{bdi(workshop.title)}</h1>{where}'
        f'<p class="wbp-code" data-testid="wbp-code">{esc(workshop.display_code)}</p>'
        f'<p class="wbp-joined" data-testid="wbp-joined">Joined: <b>{esc(people)}</b></p>'
        f"</div>{qr}</div>"
    )


def _join_screen(store: Store, workshop: Workshop, base_url: str) -> None:
    address = join_url(base_url, workshop.join_code)
    st.html(join_html(workshop, address, store.people_joined(workshop.id)))


# --- a step ---------------------------------------------------------------------------------


def bar_html(
    *,
    step: int,
    total: int,
    lesson_title: str,
    timer_text: str,
    timer_class: str,
    join_code: str,
    joined: int,
) -> str:
    esc = html.escape
    timer = (
        f'<span class="wbp-timer {timer_class}" data-testid="wbp-timer" role="timer">'
        f"{esc(timer_text)}</span>"
        if timer_text
        else ""
    )
    where = f"Step {step + 1} of {total} · {lesson_title}"
    return (
        '<div class="wbp wbp-bar">'
        f'<span class="wbp-step" title="{esc(where)}">{esc(where)}</span>{timer}'
        f'<span class="wbp-join-small">Join: <b>{esc(format_join_code(join_code))}</b>'
        f" · {plural(joined, 'person', 'people')}</span></div>"
    )


def _supports(card: AnswerCard) -> str:
    if not card.supports:
        return ""
    supporters = plural(card.supports, "supporter")
    return f'<span class="wbp-support" data-testid="wbp-support">{supporters}</span>'


def _card_html(card: AnswerCard) -> str:
    text = clip(card.text, CARD_CHARS)
    # A clipped answer or name keeps its whole text in a title: the console shows it in full.
    whole = f' title="{html.escape(card.text, quote=True)}"' if text != card.text else ""
    return (
        f'<div class="wbp-card" data-testid="wbp-card"{whole}>{bdi(text)}'
        f'<span class="wbp-who"><span class="wbp-group" title="{html.escape(card.group_name)}">'
        f"{bdi(clip(card.group_name, GROUP_CHARS))}</span>{_supports(card)}</span></div>"
    )


def page_html(page: Page, noun: str) -> str:
    """Which part of a longer list is on the screen, and that the facilitator turns pages."""
    text = page_text(page, noun)
    if not text:
        return ""
    return (
        f'<p class="wbp-page"><b data-testid="wbp-page">{html.escape(text)}</b>'
        f"<span>page {page.number + 1} of {page.pages}</span></p>"
    )


def cards_html(cards: list[AnswerCard], page: Page | None = None) -> str:
    """One page of answer cards, and (when there are more) which answers these are."""
    items = "".join(_card_html(card) for card in cards)
    tail = page_html(page, "Answers") if page is not None else ""
    size = " wbp-few" if len(cards) <= 4 and (page is None or page.pages == 1) else ""
    return f'<div class="wbp{size}"><div class="wbp-cards">{items}</div>{tail}</div>'


def terms_html(terms: list[Term]) -> str:
    if not terms:
        return (
            '<div class="wbp"><p class="wbp-hint">Words that several answers share '
            "appear here.</p></div>"
        )
    top = terms[0].count
    chips = []
    for term in terms:
        # 1.6vw for the rarest up to 3.6vw for the most shared: readable at every size.
        size = 1.6 + 2.0 * (term.count / top)
        chips.append(
            f'<span class="wbp-term" style="font-size: calc(var(--wbp-scale, 1) * {size:.2f}vw)">'
            f"{bdi(term.text)}"
            f"<small>×{term.count}</small></span>"
        )
    joined = "".join(chips)
    return f'<div class="wbp"><div class="wbp-terms" data-testid="wbp-terms">{joined}</div></div>'


def _timer_text(room: Room) -> tuple[str, str]:
    left = room.timer.left(utc_now())
    if left is None:
        return "", ""
    if left == 0:
        return "Time's up", "wbp-low"
    if room.timer.is_paused:
        return f"{clock(left)} paused", "wbp-paused"
    return clock(left), "wbp-low" if left <= TIMER_WARNING_SECONDS else ""


def _step_screen(
    store: Store, lessons: LessonSet, workshop: Workshop, room: Room, view: ProjectorView
) -> None:
    total = len(lessons)
    step = clamp_step(room.current_step, total)
    lesson = lessons.lessons[step]
    timer_text, timer_class = _timer_text(room)
    st.html(
        bar_html(
            step=step,
            total=total,
            lesson_title=lesson.title,
            timer_text=timer_text,
            timer_class=timer_class,
            join_code=workshop.join_code,
            joined=store.people_joined(workshop.id),
        )
    )
    focus = valid_focus(room.focus, [p.id for p in lesson.prompts], [s.id for s in lesson.ratings])
    if focus is None:
        st.html(
            f'<div class="wbp"><p class="wbp-prompt">{html.escape(lesson.title)}</p>'
            f'<p class="wbp-status">{html.escape(lesson.summary)}</p>'
            '<p class="wbp-hint">Work on this step\'s exercise at your tables.</p></div>'
        )
        return
    state = store.item_state(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=focus.kind, item_id=focus.item_id
    )
    pages = _Pages(
        current_page(view.page, view.page_of, page_key(step, focus.kind, focus.item_id)),
        view.text_size,
    )
    if focus.kind == PROMPT:
        _prompt(store, workshop, lesson, focus, state, pages)
    else:
        _statement(store, workshop, lesson, focus, state, pages)


class _Pages:
    """The page the facilitator turned to, and how many answers or bars fit at the room's
    text size (workbook/projector_pages.py)."""

    def __init__(self, wanted: int, text_size: str) -> None:
        self.wanted = wanted
        self.answers = answers_per_page(text_size)
        self.bars = bars_per_page(text_size)


def screen_list(
    store: Store, workshop_id: int, lesson: Lesson, focus: Focus, state: ItemState, text_size: str
) -> tuple[str, int, int]:
    """The list the projector pages through for a question, as it shows it: its name ("Answers"
    or "Groups"), its length and how many go on one page. The console's page buttons use it."""
    if focus.kind == PROMPT and state.revealed:
        cards = store.answer_cards(
            workshop_id=workshop_id, lesson_id=lesson.id, prompt_id=focus.item_id
        )
        return "Answers", sum(1 for card in cards if not card.hidden), answers_per_page(text_size)
    if state.revealed:
        means = store.group_means(
            workshop_id=workshop_id, lesson_id=lesson.id, statement_id=focus.item_id
        )
        return "Groups", len(means) if len(means) >= 2 else 0, bars_per_page(text_size)
    counts = store.answer_counts(
        workshop_id=workshop_id, lesson_id=lesson.id, kind=focus.kind, item_id=focus.item_id
    )
    return "Groups", len(counts), bars_per_page(text_size)


def _item_header(text: str, status: str) -> None:
    st.html(
        f'<div class="wbp"><p class="wbp-prompt" data-testid="wbp-prompt">{html.escape(text)}</p>'
        f'<p class="wbp-status" data-testid="wbp-status">{status}</p></div>'
    )


def _status(given: int, groups: int, noun: str, state: ItemState) -> str:
    parts = [f"<b>{plural(given, noun)}</b>"]
    if given:
        parts.append(f"from {plural(groups, 'group')}")
    parts.append("· answers open" if state.open else "· answers closed")
    if not state.revealed:
        parts.append("· results hidden for now")
    return " ".join(parts)


def group_bars_html(heading: str, bars: list[projector_bars.Bar], page: Page) -> str:
    """A heading, one page of a group's bars, and which groups these are."""
    return (
        f'<div class="wbp"><p class="wbp-h">{html.escape(heading)}</p>'
        f"{projector_bars.bars_html(bars[page.start : page.end], label=heading)}"
        f"{page_html(page, 'Groups')}</div>"
    )


def _waiting(counts: list[GroupCount], given: int, noun: str, pages: _Pages) -> None:
    """Before results are revealed: how many have answered and which tables, nothing more."""
    left, right = st.columns([2, 3], gap="large")
    left.html(
        f'<div class="wbp"><p class="wbp-count" data-testid="wbp-count">{given}</p>'
        f'<p class="wbp-count-label">{noun if given == 1 else noun + "s"} so far</p>'
        '<p class="wbp-hint">Results appear when the facilitator reveals them.</p>'
        "</div>"
    )
    if counts:
        top = max(c.count for c in counts)
        bars = count_bars([(c.group_name, c.count) for c in counts], top=top)
        page = page_of(len(bars), pages.bars, pages.wanted)
        right.html(group_bars_html("Answers per group", bars, page))


def _prompt(
    store: Store,
    workshop: Workshop,
    lesson: Lesson,
    focus: Focus,
    state: ItemState,
    pages: _Pages,
) -> None:
    prompt = lesson.prompt(focus.item_id)
    assert prompt is not None
    # Counts count what the room sees (no hidden answer, none waiting for approval), and
    # say how many wait.
    cards = store.answer_cards(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id)
    counts = store.shown_answer_counts(
        workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id
    )
    tally = store.answer_tally(workshop_id=workshop.id, lesson_id=lesson.id, prompt_id=prompt.id)
    given = sum(c.count for c in counts)
    groups = sum(1 for c in counts if c.count)
    status = _status(given, groups, "answer", state)
    if tally.waiting:
        status += f" · {tally.waiting_note()}"
    _item_header(prompt.text, status)
    if not state.revealed:
        _waiting(counts, given, "answer", pages)
        return
    if not cards:
        st.html(
            '<div class="wbp"><p class="wbp-hint">No answers to show yet. They appear here '
            + ("once the facilitator approves them." if state.approve_first else "as they arrive.")
            + "</p></div>"
        )
        return
    if state.by_support:
        cards = by_support(cards)
    visible, _ = cards_to_show(cards, len(cards))
    page = page_of(len(visible), pages.answers, pages.wanted)
    shown = visible[page.start : page.end]
    # As many shared words as bars fit beside the answers: one to a line at the room's size.
    terms = frequent_terms([card.text for card in cards], limit=pages.bars)
    if not terms:
        # Few answers share no words yet: the answers themselves, across the whole screen,
        # instead of an empty list of words.
        st.html(cards_html(shown, page))
        return
    left, right = st.columns([2, 1], gap="large")
    left.html(cards_html(shown, page))
    right.html('<div class="wbp"><p class="wbp-h">Said most often</p></div>')
    right.html(terms_html(terms))


def _statement(
    store: Store,
    workshop: Workshop,
    lesson: Lesson,
    focus: Focus,
    state: ItemState,
    pages: _Pages,
) -> None:
    statement = lesson.statement(focus.item_id)
    assert statement is not None
    result: Distribution = store.rating_distribution(
        workshop_id=workshop.id, lesson_id=lesson.id, statement_id=statement.id
    )
    counts = store.answer_counts(
        workshop_id=workshop.id, lesson_id=lesson.id, kind=RATING, item_id=statement.id
    )
    groups = sum(1 for c in counts if c.count)
    status = _status(result.total, groups, "rating", state)
    if state.revealed and result.mean is not None:
        status += f" · average <b>{result.mean:.1f}</b> of 5"
    _item_header(statement.text, status)
    if not state.revealed:
        _waiting(counts, result.total, "rating", pages)
        return
    means = store.group_means(
        workshop_id=workshop.id, lesson_id=lesson.id, statement_id=statement.id
    )
    left, right = st.columns([3, 2], gap="large")
    if not result.total:
        left.html('<div class="wbp"><p class="wbp-hint">No ratings yet.</p></div>')
    else:
        left.html(projector_bars.distribution_html(result, low=statement.low, high=statement.high))
    if len(means) >= 2:
        bars = mean_bars([(m.group_name, m.mean) for m in means])
        page = page_of(len(bars), pages.bars, pages.wanted)
        right.html(group_bars_html("Average by group", bars, page))
    elif result.mean is not None:
        right.html(
            '<div class="wbp"><p class="wbp-h">Average</p>'
            f'<p class="wbp-mean">{result.mean:.1f}</p>'
            f'<p class="wbp-status">of 5, from {plural(result.total, "rating")}</p></div>'
        )
