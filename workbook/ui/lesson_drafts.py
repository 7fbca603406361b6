"""The lesson form's phone side: its one-thumb styles, and the script that keeps what a
participant types as a draft in the browser tab (sessionStorage) and marks the answers that
are not saved yet (workbook/ui/lesson_form.py describes what the form does with them). The
same script keeps the text boxes of other forms (the map's "Add a stakeholder") over a
reload: `kept_note`."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

import streamlit as st

from workbook.i18n import N_
from workbook.lessons import Lesson
from workbook.live import kept_as_draft, kept_but_not_in_plan
from workbook.models import MAX_REFLECTION_CHARS
from workbook.records import Seat
from workbook.ui.i18n import language, translator
from workbook.ui.text import escaped, isolate

DRAFT_FIELD = N_("Draft, not saved yet: press Save answers to keep it.")
OVER_LIMIT = N_("Too long to save: {count} characters, {over} more than the limit of {limit}.")

# Answer boxes follow the direction of what is typed in them (any screen).
# One-thumb use on a phone: rating buttons and the save buttons at least 48 px tall, and the
# save buttons the full width (their element and its wrappers too: a button is only as wide as
# its wrapper, which fits its label), so they are easy to hit while holding the phone. Found by the
# form's own widget keys (lesson_form.py: answer_<lesson>_<round>_rating_<id>, ..._save_answers,
# ..._save_next), which Streamlit gives their elements as st-key-<key> classes.
# Drawn with every page's other rules by app.py (workbook/ui/style.py set_up_page).
PHONE_CSS = """
<style>
/* People's own words run in their own direction: each paragraph of an answer box takes the
   direction of its first letter (an Arabic answer from the right, its full stop at its end;
   English with Arabic words in it from the left), aligned to where it starts. */
[class*="st-key-answer_"][class*="_prompt_"] textarea {
  unicode-bidi: plaintext; text-align: start;
}
/* A question or rating statement is the form's main line, at the body's size (Streamlit draws
   a widget's label at .875rem), and a rating's scale the smaller note under it. Also when the
   label is drawn as text above the widget (author_text.labelled). */
[class*="st-key-answer_"][class*="_prompt_"] [data-testid="stWidgetLabel"] p,
[class*="st-key-answer_"][class*="_rating_"] [data-testid="stWidgetLabel"] p,
[data-testid="stVerticalBlock"]:has(> [class*="st-key-answer_"]) > * .wb-widget-label {
  font-size: 1rem;
}
/* Pulled up to the buttons it explains. */
.wb-caption.wb-scale { font-size: .875rem; color: #555; margin-top: -.4rem; }
@media (max-width: 640px) {
  [class*="st-key-answer_"][class*="_rating_"] button { min-height: 3rem; }
  [class*="st-key-answer_"][class*="_save_answers"],
  [class*="st-key-answer_"][class*="_save_answers"] div,
  [class*="st-key-answer_"][class*="_save_next"],
  [class*="st-key-answer_"][class*="_save_next"] div { width: 100%; }
  [class*="st-key-answer_"][class*="_save_answers"] button,
  [class*="st-key-answer_"][class*="_save_next"] button {
    width: 100%; min-height: 3.2rem;
  }
}
</style>
"""
# Our own constant script (no user text in it). It mirrors each answer box and rating of the
# lesson form into sessionStorage as it is typed or tapped, and fills an emptied-by-redraw box
# (or rating) back in from there. A draft equal to what the server shows is dropped: it was
# saved. It also knows whether the form holds anything not saved yet: then Next saves first
# (it presses the form's "Save and go to the next step"), and when the page moves to another
# lesson anyway (the facilitator moved the room, or Previous), it says the answers were kept
# as a draft, in the slot the page keeps at its top (workbook/ui/pacing.py room_notice).
# And a step shown for the first time since this page opened (Next, Previous, "Save and go to
# the next step", "Jump to a step", the room moving) is shown from its top: Streamlit keeps the
# scroll position across reruns, so a step reached from the foot of the last one opened at its
# own foot. A save or anything else that stays on the step never moves the page.
#
# Other forms' text boxes (the map's add forms) are kept the same way, each named by the line
# under it (`kept_note_html`): the box's key of this run, and a key of its own in sessionStorage
# that stays the same when the box's key moves on, with the form's round. A round higher than
# the last one this page showed means the form's text was added: its draft goes.
_MARKS = """
<div id="wb-drafts" data-scope="%(scope)s" data-lesson="%(lesson)s" data-kept="%(kept)s"
  data-step="%(step)s"
  data-lesson-id="%(lesson_id)s" data-planned="%(planned)s" data-kept-gone="%(kept_gone)s"
  hidden></div>"""
_DRAFTS_JS = """
<div class="wb-drafts-script" hidden></div>
<style>
  [data-testid="stElementContainer"]:has(#wb-drafts),
  [data-testid="stElementContainer"]:has(.wb-drafts-script),
  [data-testid="stElementContainer"]:has(.wb-draft-note[hidden]):not(:has(.wb-scale)),
  [data-testid="stElementContainer"]:has(.wb-draft-top[hidden]) { display: none; }
  .wb-draft-note, .wb-draft-top { margin: 0; padding: .45rem .7rem; border-radius: .5rem;
    background: rgba(255, 189, 69, .22); border-left: 4px solid #8a5300; color: #3d2a00;
    font-size: 1rem; }
  .wb-draft-top { font-weight: 600; }
  .wb-saved-note { margin: 0; font-size: .875rem; color: rgba(49, 51, 63, .75); }
</style>
<script>
(() => {
  const PREFIX = "st-key-answer_";
  const marks = () => document.getElementById("wb-drafts")?.dataset || {};
  const scope = () => marks().scope || "";
  const STORED = ".wb-draft-note[data-store]";
  const boxOf = (note) => document.querySelector(".st-key-" + note.dataset.field);
  // A lesson answer's key, or another form's box's own (named by the line under it).
  const keyFor = (element) => {
    const box = element.closest("[class*='" + PREFIX + "']");
    if (box && scope()) {
      const name = Array.from(box.classList).find((c) => c.startsWith(PREFIX));
      return name ? "wb-draft:" + scope() + ":" + name.slice(7) : null;
    }
    for (const note of document.querySelectorAll(STORED)) {
      if (boxOf(note)?.contains(element)) return "wb-draft:" + note.dataset.store;
    }
    return null;
  };
  const inLesson = (element) => !!element.closest("[class*='" + PREFIX + "']");
  const RATINGS = "[class*='" + PREFIX + "'][class*='_rating_']";
  const CHOSEN = "button[aria-checked='true']";
  const active = (box) => box.querySelector(CHOSEN)?.textContent.trim() || "";
  // Ratings first: tapping one makes the form draw its boxes again, which would empty a box
  // filled back in just before; the boxes follow a moment later.
  const restore = () => {
    let tapped = false;
    document.querySelectorAll(RATINGS).forEach((box) => {
      const key = keyFor(box);
      if (!key || box.dataset.wbDraftKey === key || !box.querySelector("button")) return;
      box.dataset.wbDraftKey = key;
      const draft = sessionStorage.getItem(key);
      if (draft === null) return;
      if (draft === active(box)) { sessionStorage.removeItem(key); return; }
      if (box.querySelector("button:disabled")) return;
      const buttons = Array.from(box.querySelectorAll("button"));
      const target = draft === "" ? box.querySelector(CHOSEN)
        : buttons.find((b) => b.textContent.trim() === draft);
      if (target) { target.click(); tapped = true; }
    });
    if (tapped) { setTimeout(restore, 150); return; }
    document.querySelectorAll("[class*='" + PREFIX + "'] textarea").forEach(bringBack);
    const rounds = window.__wbRounds || (window.__wbRounds = {});
    document.querySelectorAll(STORED).forEach((note) => {
      const key = "wb-draft:" + note.dataset.store;
      const round = Number(note.dataset.round || 0);
      if (key in rounds && round > rounds[key]) sessionStorage.removeItem(key);  // added
      rounds[key] = round;
      const area = boxOf(note)?.querySelector("input, textarea");
      if (area) bringBack(area);
    });
  };
  const bringBack = (area) => {
    const key = keyFor(area);
    if (!key || area.dataset.wbDraftKey === key) return;
    area.dataset.wbDraftKey = key;
    const draft = sessionStorage.getItem(key);
    if (draft === null) return;
    if (draft === area.value) { sessionStorage.removeItem(key); return; }
    if (area.disabled) return;
    fill(area, draft);
    // A box reused from the last step may still be given its new (empty) value after
    // this: look again, and fill it back in unless the person typed meanwhile.
    [300, 1200].forEach((ms) => setTimeout(() => {
      if (area.isConnected && keyFor(area) === key && area.value !== draft
          && sessionStorage.getItem(key) === draft && !area.disabled) fill(area, draft);
    }, ms));
  };
  // Whether each answer shows something other than what is saved: a draft, marked as one.
  // The form carries a rating's saved value, and a hash of an answer's saved text made the
  // way the server makes it (lesson_form.saved_mark: NFC, outer spaces off, FNV-1a of UTF-8).
  const mark = (text) => {
    let h = 0x811c9dc5;
    for (const byte of new TextEncoder().encode(text.normalize("NFC").trim())) {
      h = Math.imul(h ^ byte, 0x01000193);
    }
    return (h >>> 0).toString(16).padStart(8, "0");
  };
  const markDrafts = () => {
    let any = false;
    document.querySelectorAll(".wb-draft-note").forEach((note) => {
      const box = document.querySelector(".st-key-" + note.dataset.field);
      let draft = false;
      if (box && note.dataset.kind === "rating") {
        draft = !box.querySelector("button:disabled") && !!box.querySelector("button")
          && active(box) !== note.dataset.saved;
      } else if (box) {
        const area = box.querySelector("textarea, input");
        draft = !!area && !area.disabled && mark(area.value) !== note.dataset.saved;
        // Over the limit: said while typing, counted as saving counts (NFC, outer spaces off).
        const limit = Number(note.dataset.limit || 0);
        const count = draft && limit ? [...area.value.normalize("NFC").trim()].length : 0;
        const over = count > limit;
        let said = note.dataset.draft;
        if (over) {
          const number = new Intl.NumberFormat(note.dataset.lang || "en");
          said = note.dataset.over.replace("{count}", number.format(count))
            .replace("{over}", number.format(count - limit))
            .replace("{limit}", number.format(limit));
        }
        if (said && note.textContent !== said) note.textContent = said;
        if (note.classList.contains("wb-draft-over") !== over) {
          note.classList.toggle("wb-draft-over", over);
        }
      }
      if (note.hidden === draft) note.hidden = !draft;
      any = any || (draft && !note.dataset.store);  // the lesson form's own answers
    });
    document.querySelectorAll(".wb-draft-top, .wb-saved-some").forEach((el) => {
      if (el.hidden === any) el.hidden = !any;
    });
    document.querySelectorAll(".wb-saved-all").forEach((el) => {
      if (el.hidden !== any) el.hidden = any;
    });
  };
  const fill = (area, text) => {
    const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(area), "value").set;
    setter.call(area, text);
    area.dispatchEvent(new Event("input", { bubbles: true }));
  };
  // Which lesson the form on the page belongs to, and whether it holds unsaved answers.
  const note = () => {
    const m = marks();
    const form = window.__wbForm;
    if (m.lesson && (!form || form.lesson !== m.lesson)) {
      if (form && form.dirty) window.__wbKept = form;
      window.__wbForm = {
        lesson: m.lesson, lessonId: m.lessonId, kept: m.kept, keptGone: m.keptGone, dirty: false,
      };
    } else if (m.lesson && form) {
      // The same form drawn again (maybe in another language, switched on the page): its
      // sentences follow the newest drawing, so a notice is said in the language shown now.
      form.kept = m.kept;
      form.keptGone = m.keptGone;
    }
    const slot = document.querySelector(".st-key-room_notice .wb-draft-kept");
    if (window.__wbKept && slot) {
      // A lesson the plan no longer has cannot be reached from here: said plainly.
      const planned = (m.planned || "").split(" ");
      const left = window.__wbKept;
      slot.textContent = planned.includes(left.lessonId) ? left.kept : left.keptGone;
      slot.hidden = false;
      const live = document.getElementById("wb-room-live");
      if (live) {
        setTimeout(() => { live.textContent = (live.textContent + " " + slot.textContent).trim(); },
          400);
      }
      window.__wbKept = null;
    }
  };
  // A new step (or this page again after another one): its top in view, at once and once
  // more when the rest of the step has been drawn in place of the last one's.
  const arrive = () => {
    const here = document.getElementById("wb-drafts");
    if (!here) { window.__wbStepShown = null; return; }
    const step = (here.dataset.scope || "") + ":" + (here.dataset.step || "");
    if (window.__wbStepShown === step) return;
    window.__wbStepShown = step;
    const top = () => {
      for (let box = here.parentElement; box; box = box.parentElement) {
        if (box.scrollTop) box.scrollTop = 0;
      }
      window.scrollTo(0, 0);
    };
    top();
    requestAnimationFrame(() => requestAnimationFrame(top));
    setTimeout(top, 300);
  };
  const dirty = () => { if (window.__wbForm) window.__wbForm.dirty = true; };
  if (!window.__wbDrafts) {
    window.__wbDrafts = true;
    document.addEventListener("input", (event) => {
      const area = event.target;
      if (!(area instanceof HTMLTextAreaElement || area instanceof HTMLInputElement)) return;
      const key = keyFor(area);
      if (!key) return;
      area.dataset.wbDraftKey = key;
      if (inLesson(area)) dirty();
      try { sessionStorage.setItem(key, area.value); } catch (error) { /* storage full */ }
      markDrafts();
    }, true);
    document.addEventListener("click", (event) => {
      const button = event.target instanceof Element ? event.target.closest("button") : null;
      if (!button) return;
      const box = button.closest(RATINGS);
      if (box) {
        const key = keyFor(box);
        dirty();
        requestAnimationFrame(() => {
          try { if (key) sessionStorage.setItem(key, active(box)); } catch (error) { /* full */ }
          markDrafts();
        });
        return;
      }
      if (button.closest("[class*='_save_next'], [class*='_save_answers']")) {
        if (window.__wbForm) window.__wbForm.dirty = false;
        return;
      }
      const next = document.querySelector("[class*='" + PREFIX + "'][class*='_save_next'] button");
      if (button.closest(".st-key-workbook_next_top, .st-key-workbook_next_bottom")
          && window.__wbForm?.dirty && next && !next.disabled) {
        // Next with unsaved answers: save them first, then go on (never drop them).
        event.preventDefault();
        event.stopImmediatePropagation();
        window.__wbForm.dirty = false;
        next.click();
      }
    }, true);
    new MutationObserver(() => requestAnimationFrame(() => {
      arrive(); note(); restore(); markDrafts();
    })).observe(document.body, { childList: true, subtree: true, attributes: true,
      attributeFilter: ["data-step"] });
  }
  arrive();
  note();
  restore();
  markDrafts();
})();
</script>
"""


def assets(seat: Seat, lesson: Lesson, planned: Sequence[str] = (), step: int = 0) -> None:
    """The phone styles and the drafts script, for one lesson of one participant; `planned`:
    the lesson ids of the workshop's steps (a draft left on another lesson is said to be
    out of reach when the plan no longer has it); `step`: the step shown (a new one is shown
    from its top)."""
    _ = translator()
    title = isolate(lesson.title)
    st.html(
        _MARKS
        % {
            "scope": f"w{seat.workshop.id}-p{seat.participant.id}",
            "lesson": escaped(f"{lesson.id}_{seat.group.current_round}"),
            "kept": escaped(kept_as_draft(title, _) + "."),
            "kept_gone": escaped(kept_but_not_in_plan(title, _) + "."),
            "lesson_id": escaped(lesson.id),
            "planned": escaped(" ".join(planned or [lesson.id])),
            "step": escaped(f"{step}:{lesson.id}"),
        }
        + _DRAFTS_JS,
        unsafe_allow_javascript=True,
        width="content",
    )


def script() -> None:
    """The drafts script alone, for a page that keeps drafts of forms other than a lesson's
    (drawn twice on a lesson page that also shows such a form: it runs once)."""
    st.html(_DRAFTS_JS, unsafe_allow_javascript=True, width="content")


def kept_note(field: str, store: str, form_round: int, said: str) -> None:
    """`kept_note_html`, drawn."""
    st.html(kept_note_html(field, store, form_round, said))


def kept_note_html(field: str, store: str, form_round: int, said: str) -> str:
    """The line under a text box of a form other than the lesson's (`field`: its widget key
    this run), shown by the drafts script while the box holds a draft: it keeps what is typed
    in sessionStorage under `store` (unique to the seat and the form's box), and drops it when
    `form_round` moves on (the form's text was added). `said`: the line, translated. The form
    starts empty: anything in the box is not saved yet."""
    return (
        f'<p class="wb-draft-note" data-field="{escaped(field)}" data-kind="text"'
        f' data-store="{escaped(store)}" data-round="{form_round}"'
        f' data-saved="{saved_mark("")}" hidden>{escaped(said)}</p>'
    )


def draft_note_html(field: str, kind: str, saved: str) -> str:
    """The line under one answer (`kind` "prompt") or rating, shown by the drafts script while
    it holds a draft; an answer's also says, while typing, when the box holds more than can
    be saved. `saved`: what is saved (a rating's value, an answer's `saved_mark`)."""
    _ = translator()
    draft = escaped(_(DRAFT_FIELD))
    over = (
        f' data-limit="{MAX_REFLECTION_CHARS}" data-lang="{escaped(language())}"'
        f' data-draft="{draft}" data-over="{escaped(_(OVER_LIMIT))}"'
        if kind == "prompt"
        else ""
    )
    return (
        f'<p class="wb-draft-note" data-field="{escaped(field)}" data-kind="{kind}"'
        f' data-saved="{escaped(saved)}"{over} hidden>{draft}</p>'
    )


def saved_mark(text: str) -> str:
    """What the form carries of an answer's saved text, for the drafts script to tell whether
    the box shows something else: FNV-1a (32 bits) of its UTF-8, NFC, outer spaces off, as
    saving stores it (models.LongText). Not a secret: it only saves sending the text twice."""
    h = 0x811C9DC5
    for byte in unicodedata.normalize("NFC", text).strip().encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"
