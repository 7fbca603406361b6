"""The projector screen: join code and QR while people arrive, then the room's step, its
timer and (once revealed) live results. Built for 1920x1080 read from the back of a room.

Access: the projector window is a new browser session, so it cannot share the console's
sign-in. The console gives it a link with a random view-only token (stored hashed, valid 24
hours, revocable). The facilitator key is never typed in front of the room or put in a URL,
and a leaked projector link shows only what the room already sees.
"""

from __future__ import annotations

import gettext
import html
from collections.abc import Callable

import segno
import streamlit as st

from workbook import i18n
from workbook.bidi import bdi, bdi_heading
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
from workbook.ui import context, projector_bars, projector_css, resources
from workbook.ui.projector_bars import count_bars, mean_bars

TOKEN_PARAM = "p"
CARD_CHARS = 120
GROUP_CHARS = 40
TIMER_WARNING_SECONDS = 60


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
    st.html(projector_css.CSS)
    st.html(projector_bars.CSS)


def no_access(had_token: bool) -> None:
    _ = _room().gettext
    reason = (
        _("This projector link has expired or was stopped.")
        if had_token
        else _("The projector screen opens from the facilitator console.")
    )
    how = _("Sign in on the Facilitator console and press <b>Open the projector screen</b>.")
    st.html(
        '<div class="wbp wbp-centre">'
        f'<h1 class="wbp-title">{html.escape(reason)}</h1><p class="wbp-label">{how}</p></div>'
    )


_LANGUAGE = "projector_language"  # the room's language, set at each refresh (live_screen)


def _room() -> gettext.NullTranslations:
    """The catalog of the workshop's language: the projector speaks the room's language,
    whatever this browser chose for itself."""
    return i18n.translations(st.session_state.get(_LANGUAGE, i18n.DEFAULT))


@st.fragment(run_every=PROJECTOR_REFRESH_SECONDS)
@admitted(first=True)
def live_screen(store: Store, workshop_id: int, base_url: str, token: str) -> None:
    """Everything on the screen, redrawn in place every second from a few small reads.
    A stopped or expired link stops showing the room at the next refresh. The workshop's
    lessons are read at each refresh, in its language and under its plan, so a changed plan
    or language shows without a reload."""
    workshop = store.workshop_by_id(workshop_id)
    if workshop is None or (token and store.projector_workshop(token) != workshop_id):
        no_access(True)
        return
    st.session_state[_LANGUAGE] = store.workshop_language(workshop_id)
    lessons = context.lessons_for(store, workshop_id)  # in the room's language, its plan
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


def join_html(
    workshop: Workshop, address: str, joined: int, t: gettext.NullTranslations | None = None
) -> str:
    esc = html.escape
    t = t or gettext.NullTranslations()
    _ = t.gettext
    shown_address = address.split("://", 1)[-1].split("?", 1)[0].rstrip("/") if address else ""
    on_phone, with_code, join_with = (
        esc(_("Join on your phone at")),
        esc(_("with the code")),
        esc(_("Join with the code")),
    )
    where = (
        f'<p class="wbp-label">{on_phone}</p><p class="wbp-url">{esc(shown_address)}</p>'
        f'<p class="wbp-label">{with_code}</p>'
        if address
        else f'<p class="wbp-label">{join_with}</p>'
    )
    people = (
        _("nobody yet")
        if joined == 0
        else t.ngettext("{n} person", "{n} people", joined).format(n=joined)
    )
    scan, joined_word = esc(_("Scan to join")), _("Joined:")
    qr = f'<div class="wbp-qr">{qr_image(address)}<p>{scan}</p></div>' if address else ""
    return (
        '<div class="wbp wbp-join" data-testid="wbp-join">'
        '<div class="wbp-join-text">'
        f'<h1 class="wbp-title">{bdi_heading(workshop.title)}</h1>{where}'
        f'<p class="wbp-code" data-testid="wbp-code">{esc(workshop.display_code)}</p>'
        f'<p class="wbp-joined" data-testid="wbp-joined">{esc(joined_word)} '
        f"<b>{esc(people)}</b></p>"
        f"</div>{qr}</div>"
    )


def _join_screen(store: Store, workshop: Workshop, base_url: str) -> None:
    address = join_url(base_url, workshop.join_code)
    st.html(join_html(workshop, address, store.people_joined(workshop.id), _room()))


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
    t: gettext.NullTranslations | None = None,
) -> str:
    esc = html.escape
    t = t or gettext.NullTranslations()
    timer = (
        f'<span class="wbp-timer {timer_class}" data-testid="wbp-timer" role="timer">'
        f"{esc(timer_text)}</span>"
        if timer_text
        else ""
    )
    where = t.gettext("Step {number} of {total} · {title}").format(
        number=step + 1, total=total, title=lesson_title
    )
    people = t.ngettext("{n} person", "{n} people", joined).format(n=joined)
    join = t.gettext("Join:")
    return (
        '<div class="wbp wbp-bar">'
        f'<span class="wbp-step" title="{esc(where)}">{esc(where)}</span>{timer}'
        f'<span class="wbp-join-small">{esc(join)} '
        f"<b>{esc(format_join_code(join_code))}</b> · {esc(people)}</span></div>"
    )


def _supports(card: AnswerCard) -> str:
    if not card.supports:
        return ""
    supporters = _room().ngettext("{n} supporter", "{n} supporters", card.supports)
    supporters = supporters.format(n=card.supports)
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


def page_html(page: Page, noun: str, _: Callable[[str], str] = str) -> str:
    """Which part of a longer list is on the screen, and that the facilitator turns pages."""
    text = page_text(page, _(noun), _)
    if not text:
        return ""
    which = _("page {number} of {pages}").format(number=page.number + 1, pages=page.pages)
    return (
        f'<p class="wbp-page"><b data-testid="wbp-page">{html.escape(text)}</b>'
        f"<span>{html.escape(which)}</span></p>"
    )


def cards_html(cards: list[AnswerCard], page: Page | None = None) -> str:
    """One page of answer cards, and (when there are more) which answers these are."""
    items = "".join(_card_html(card) for card in cards)
    tail = page_html(page, ANSWERS, _room().gettext) if page is not None else ""
    size = " wbp-few" if len(cards) <= 4 and (page is None or page.pages == 1) else ""
    return f'<div class="wbp{size}"><div class="wbp-cards">{items}</div>{tail}</div>'


def terms_html(terms: list[Term]) -> str:
    if not terms:
        hint = _room().gettext("Words that several answers share appear here.")
        return f'<div class="wbp"><p class="wbp-hint">{html.escape(hint)}</p></div>'
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
    _ = _room().gettext
    left = room.timer.left(utc_now())
    if left is None:
        return "", ""
    if left == 0:
        return _("Time's up"), "wbp-low"
    if room.timer.is_paused:
        return _("{clock} paused").format(clock=clock(left)), "wbp-paused"
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
            t=_room(),
        )
    )
    focus = valid_focus(room.focus, [p.id for p in lesson.prompts], [s.id for s in lesson.ratings])
    if focus is None:
        hint = _room().gettext("Work on this step's exercise at your tables.")
        st.html(
            f'<div class="wbp"><p class="wbp-prompt">{html.escape(lesson.title)}</p>'
            f'<p class="wbp-status">{html.escape(lesson.summary)}</p>'
            f'<p class="wbp-hint">{html.escape(hint)}</p></div>'
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


def _status(
    given: int, groups: int, noun: str, state: ItemState, rounds: frozenset[int] = frozenset()
) -> str:
    t = _room()
    parts = [f"<b>{_count(t, given, noun)}</b>"]
    if given:
        parts.append(t.ngettext("from {n} group", "from {n} groups", groups).format(n=groups))
        parts.append(_rounds_note(t, rounds))
    parts.append(t.gettext("· answers open") if state.open else t.gettext("· answers closed"))
    if not state.revealed:
        parts.append(t.gettext("· results hidden for now"))
    return " ".join(parts)


ANSWERS, GROUPS = i18n.N_("Answers"), i18n.N_("Groups")


def _round_name(t: gettext.NullTranslations, round_: int) -> str:
    if round_ <= 1:
        return t.gettext("first look")
    return t.gettext("follow-up {n}").format(n=round_ - 1)


def _rounds_note(t: gettext.NullTranslations, rounds: frozenset[int]) -> str:
    """Which round the counts are of: each group's current round (the one its phones
    answer), named; when the groups are on different rounds, said so."""
    if not rounds:
        return ""
    if len(rounds) == 1:
        return "(" + _round_name(t, next(iter(rounds))) + ")"
    names = ", ".join(_round_name(t, r) for r in sorted(rounds))
    return "(" + t.gettext("each group's current round: {rounds}").format(rounds=names) + ")"


def _answering_rounds(store: Store, workshop: Workshop, counts: list[GroupCount]) -> frozenset[int]:
    """The current rounds of the groups that answered (those the counts count)."""
    gave = {c.group_id for c in counts if c.count}
    return frozenset(g.current_round for g in store.groups(workshop.id) if g.id in gave)


def _count(t: gettext.NullTranslations, n: int, noun: str) -> str:
    """ "3 answers" or "1 rating" in the room's language (noun: "answer" or "rating")."""
    if noun == "answer":
        return t.ngettext("{n} answer", "{n} answers", n).format(n=n)
    return t.ngettext("{n} rating", "{n} ratings", n).format(n=n)


def group_bars_html(heading: str, bars: list[projector_bars.Bar], page: Page) -> str:
    """A heading, one page of a group's bars, and which groups these are."""
    _ = _room().gettext
    return (
        f'<div class="wbp"><p class="wbp-h">{html.escape(_(heading))}</p>'
        f"{projector_bars.bars_html(bars[page.start : page.end], label=_(heading))}"
        f"{page_html(page, GROUPS, _)}</div>"
    )


def _waiting(counts: list[GroupCount], given: int, noun: str, pages: _Pages) -> None:
    """Before results are revealed: how many have answered and which tables, nothing more."""
    t = _room()
    so_far = (
        t.ngettext("answer so far", "answers so far", given)
        if noun == "answer"
        else t.ngettext("rating so far", "ratings so far", given)
    )
    hint = t.gettext("Results appear when the facilitator reveals them.")
    left, right = st.columns([2, 3], gap="large")
    left.html(
        f'<div class="wbp"><p class="wbp-count" data-testid="wbp-count">{given}</p>'
        f'<p class="wbp-count-label">{html.escape(so_far)}</p>'
        f'<p class="wbp-hint">{html.escape(hint)}</p></div>'
    )
    if counts:
        top = max(c.count for c in counts)
        bars = count_bars(
            [(c.group_name, c.count) for c in counts],
            top=top,
            code=st.session_state.get(_LANGUAGE, i18n.DEFAULT),
        )
        page = page_of(len(bars), pages.bars, pages.wanted)
        heading = i18n.N_("Answers per group") if noun == "answer" else i18n.N_("Ratings per group")
        right.html(group_bars_html(heading, bars, page))


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
    status = _status(given, groups, "answer", state, _answering_rounds(store, workshop, counts))
    if tally.waiting:
        status += f" · {tally.waiting_note(_room().ngettext)}"
    _item_header(prompt.text, status)
    if not state.revealed:
        _waiting(counts, given, "answer", pages)
        return
    if not cards:
        _ = _room().gettext
        hint = (
            _("No answers to show yet. They appear here once the facilitator approves them.")
            if state.approve_first
            else _("No answers to show yet. They appear here as they arrive.")
        )
        st.html(f'<div class="wbp"><p class="wbp-hint">{html.escape(hint)}</p></div>')
        return
    if state.by_support:
        cards = by_support(cards)
    visible, _more = cards_to_show(cards, len(cards))
    page = page_of(len(visible), pages.answers, pages.wanted)
    shown = visible[page.start : page.end]
    # As many shared words as bars fit beside the answers: one to a line at the room's size.
    terms = frequent_terms(
        [card.text for card in cards],
        limit=pages.bars,
        language=st.session_state.get(_LANGUAGE, i18n.DEFAULT),
    )
    if not terms:
        # Few answers share no words yet: the answers themselves, across the whole screen,
        # instead of an empty list of words.
        st.html(cards_html(shown, page))
        return
    left, right = st.columns([2, 1], gap="large")
    left.html(cards_html(shown, page))
    said = html.escape(_room().gettext("Said most often"))
    right.html(f'<div class="wbp"><p class="wbp-h">{said}</p></div>')
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
    status = _status(
        result.total, groups, "rating", state, _answering_rounds(store, workshop, counts)
    )
    t, code = _room(), st.session_state.get(_LANGUAGE, i18n.DEFAULT)
    mean = i18n.format_decimal(result.mean, code) if result.mean is not None else ""
    if state.revealed and result.mean is not None:
        status += " · " + t.gettext("average <b>{mean}</b> of 5").format(mean=mean)
    _item_header(statement.text, status)
    if not state.revealed:
        _waiting(counts, result.total, "rating", pages)
        return
    means = store.group_means(
        workshop_id=workshop.id, lesson_id=lesson.id, statement_id=statement.id
    )
    left, right = st.columns([3, 2], gap="large")
    if not result.total:
        none_yet = t.gettext("No ratings yet.")
        left.html(f'<div class="wbp"><p class="wbp-hint">{none_yet}</p></div>')
    else:
        left.html(
            projector_bars.distribution_html(
                result, low=statement.low, high=statement.high, code=code
            )
        )
    if len(means) >= 2:
        bars = mean_bars([(m.group_name, m.mean) for m in means], code=code)
        page = page_of(len(bars), pages.bars, pages.wanted)
        right.html(group_bars_html(i18n.N_("Average by group"), bars, page))
    elif result.mean is not None:
        of_five = t.gettext("of 5, from {ratings}").format(
            ratings=_count(t, result.total, "rating")
        )
        average = t.gettext("Average")
        right.html(
            f'<div class="wbp"><p class="wbp-h">{html.escape(average)}</p>'
            f'<p class="wbp-mean">{mean}</p>'
            f'<p class="wbp-status">{html.escape(of_five)}</p></div>'
        )
