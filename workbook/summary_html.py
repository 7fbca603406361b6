"""The one-file HTML summary of a workshop, to send to the group afterwards: every lesson's
ratings (as bar charts drawn in HTML and CSS, each a table a screen reader reads as one) and
answers, then the stakeholder maps and commitments.

No JavaScript and nothing fetched: it opens offline, prints as it shows, and a 30-person
workshop's summary is a few hundred kilobytes (with plotly.js inlined it was 4.8 MB; see
bench/RESULTS.md). Everything people typed is escaped (and isolated for mixed-direction
text, workbook/bidi.py); answers the facilitator hid from the screen are left out and counted.
"""

from __future__ import annotations

import gettext
import html
from collections.abc import Sequence
from typing import Any

from workbook import i18n
from workbook.bidi import bdi, bdi_heading, isolate
from workbook.export import Table, WorkshopExport, on_screen_status, plain, plan_name
from workbook.lessons import RatingStatement
from workbook.live import HIDDEN, SHOWN, WAITING, Distribution, distribution
from workbook.models import RATING_MIN
from workbook.progress import round_label
from workbook.results import missing_lesson_sentence, missing_lessons

_STYLE = """
body { font-family: Inter, 'Segoe UI', 'DejaVu Sans', Arial, sans-serif; color: #111;
       background: #fff; margin: 0; line-height: 1.5; font-size: 17px; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .5rem; border-bottom: 2px solid #0059A3; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.meta, .note { color: #444; }
th[scope="col"] { overflow-wrap: normal; }
ul.answers { list-style: none; padding: 0; }
ul.answers li { border-left: 4px solid #0059A3; background: #F1F3F6; margin: .5rem 0;
                padding: .5rem .75rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.who { display: block; color: #444; font-size: .9rem; white-space: normal; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: left; border-bottom: 1px solid #ccc; padding: .3rem .5rem;
         vertical-align: top; overflow-wrap: anywhere; }
.scroll { overflow-x: auto; }
.scroll table.data td { overflow-wrap: break-word; min-width: 4rem; }
figure.bars { margin: .25rem 0 1.25rem; max-width: 48rem; }
figure.bars table { margin: 0; }
figure.bars caption { text-align: left; color: #444; font-size: .95rem; padding-bottom: .25rem; }
figure.bars th, figure.bars td { padding: .15rem .5rem; border-bottom-color: #e3e3e3; }
figure.bars th[scope="row"] { width: 35%; font-weight: normal; }
figure.bars th[scope="row"] b { display: inline-block; min-width: 1.2em; }
.barline { display: flex; align-items: center; gap: .5rem; }
.bar { flex: 0 0 auto; height: 1.05rem; background: #0059A3; }
.bar.mean-row { background: #A33B00; }
.count { font-variant-numeric: tabular-nums; white-space: nowrap; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
@media print {
  body { font-size: 12pt; }
  main { max-width: none; padding: 0; }
  figure.bars, ul.answers li, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
}
"""


def _lines(text: str) -> str:
    """Author or facilitator text for a heading: escaped, the line breaks its author typed
    kept as <br> (a heading would run them onto one line), the only markup added."""
    return "<br>".join(html.escape(line) for line in text.splitlines())


def _n(t: gettext.NullTranslations, singular: str, plural: str, n: int, code: str) -> str:
    """ "1 rating" or "1.234 ratings", in the language of `t`, the number as `code` writes it."""
    return t.ngettext(singular, plural, n).format(n=i18n.format_decimal(n, code, 0))


_ROUNDS_NAMED = 100  # rounds are a few a year: more than any workshop has


def _round_number(label: str, written_in: str) -> int | None:
    """The round a label of the exports names ("Follow-up 2" in English, as the export in
    `written_in` wrote it)."""
    _ = i18n.gettext_for(written_in)
    return next((n for n in range(1, _ROUNDS_NAMED) if round_label(n, _) == label), None)


def _round_words(label: str, written_in: str, _: Any) -> str:
    """A round's name as the exports write it, in the language of `_`."""
    number = _round_number(label, written_in)
    return label if number is None else round_label(number, _)


def html_summary(export: WorkshopExport, language: str = i18n.DEFAULT) -> str:
    """A single self-contained HTML page, without scripts: open it anywhere, offline. Its
    frame (headings, notes, numbers) is in the workshop's `language`; the lessons' words come
    from `export.lessons`.

    Everything people typed is escaped. Answers the facilitator hid from the screen are left
    out and counted."""
    code = i18n.supported(language)
    t = i18n.translations(code)
    _ = t.gettext
    w = export.workshop
    esc = html.escape
    parts: list[str] = []
    people = sum(g.members for g in export.groups)
    parts.append(f"<h1>{bdi_heading(w.title)}</h1>")
    plan_line = esc(_("Plan: {plan}")).format(plan=bdi(plan_name(export)))
    parts.append(f'<p class="meta">{plan_line}</p>')
    meta = " · ".join(
        [
            *(bdi(x) for x in (w.cause, w.region) if x),
            esc(_("code {code}").format(code=w.display_code)),
        ]
    )
    who = _("{people} in {groups}").format(
        people=_n(t, "{n} person", "{n} people", people, code),
        groups=_n(t, "{n} group", "{n} groups", len(export.groups), code),
    )
    made = _("summary made {when} UTC").format(
        when=f"{i18n.format_date(export.made_at, code)} {export.made_at:%H:%M}"
        if export.made_at
        else ""
    )
    parts.append(f'<p class="meta">{meta}<br>{esc(who)} · {esc(made)}</p>')
    reflections = export.reflections
    ratings = export.ratings
    col = reflections.index()  # by the columns' English keys, whatever the headings' language
    rcol = ratings.index()
    first_round = round_label(1, i18n.gettext_for(export.language))
    answer_keys = export.reflection_keys or tuple(
        (r[col["Lesson"]], r[col["Question"]]) for r in reflections.rows
    )
    rating_keys = export.rating_keys or tuple(
        (r[rcol["Lesson"]], r[rcol["Statement"]]) for r in ratings.rows
    )
    left_out = {HIDDEN: 0, WAITING: 0}

    def answer_list(given: Sequence[tuple[Any, ...]]) -> None:
        # Only what the room was shown: hidden and waiting answers are counted, not listed.
        written = i18n.gettext_for(export.language)  # the cells' language
        status = [on_screen_status(r[col["On screen"]], written) for r in given]
        shown = [r for r, s in zip(given, status, strict=True) if s == SHOWN]
        for s in status:
            if s in left_out:
                left_out[s] += 1
        parts.append('<ul class="answers">')
        for row in shown:
            who = bdi(row[col["Group"]])
            if row[col["Name"]]:
                who = f"{who} · {bdi(row[col['Name']])}"
            if row[col["Round"]] != first_round:
                who = f"{who} · {esc(_round_words(row[col['Round']], export.language, _))}"
            parts.append(f'<li>{bdi(row[col["Answer"]])}<span class="who">{who}</span></li>')
        parts.append("</ul>")

    def answers_to(lesson_id: str, prompt_id: str) -> list[tuple[Any, ...]]:
        return [
            row
            for row, key in zip(reflections.rows, answer_keys, strict=True)
            if key == (lesson_id, prompt_id)
        ]

    def unknown_prompts(lesson_id: str, known: set[str]) -> list[str]:
        """Prompt ids answered in a lesson that the lesson (as loaded now) does not have."""
        found = {p for lid, p in answer_keys if lid == lesson_id and p not in known}
        return sorted(found)

    # The steps, then lessons the workshop's plan has since left out (their answers kept).
    headed = [
        *(
            (_("Step {number}: {title}").format(number=n, title=esc(lesson.title)), lesson)
            for n, lesson in enumerate(export.lessons.lessons, start=1)
        ),
        *(
            (_("Not in the plan now: {title}").format(title=esc(lesson.title)), lesson)
            for lesson in export.lessons.outside()
        ),
    ]
    for heading, lesson in headed:
        answered = any(key[0] == lesson.id for key in answer_keys)
        rated = [r for r, key in zip(ratings.rows, rating_keys, strict=True) if key[0] == lesson.id]
        if not answered and not rated:
            continue
        parts.append(f"<section><h2>{heading}</h2>")
        statements = export.lessons.statements_of(lesson.id)
        parts.extend(_statement_sections(statements, rated, rcol, code, export.language))
        prompt_ids = [p.id for p in export.lessons.prompts_of(lesson.id)]
        for prompt_id in prompt_ids + unknown_prompts(lesson.id, set(prompt_ids)):
            given = answers_to(lesson.id, prompt_id)
            if not given:
                continue
            parts.append(f"<h3>{_lines(export.lessons.prompt_text(lesson.id, prompt_id))}</h3>")
            answer_list(given)
        parts.append("</section>")
    # Answers kept for a lesson that is not loaded now (its file missing or broken): still
    # here, under the lesson's id, its questions by their ids.
    for lesson_id in missing_lessons(export.lessons, [*answer_keys, *rating_keys]):
        lesson_heading = _("Lesson {id}").format(id=lesson_id)
        parts.append(f"<section><h2>{esc(lesson_heading)}</h2>")
        parts.append(f'<p class="note">{esc(missing_lesson_sentence(lesson_id, _))}</p>')
        statement_ids = sorted({s for lid, s in rating_keys if lid == lesson_id})
        for statement_id in statement_ids:
            values = [
                (int(r[rcol["Rating (1-5)"]]), r[rcol["Round"]])
                for r, key in zip(ratings.rows, rating_keys, strict=True)
                if key == (lesson_id, statement_id)
            ]
            for label in sorted(
                {v[1] for v in values},
                key=lambda x: (_round_number(x, export.language) or 0, x),
            ):
                result = distribution((v, 1) for v, r in values if r == label)
                parts.append(
                    f"<h3>{esc(statement_id)} ({esc(_round_words(label, export.language, _))})</h3>"
                )
                note = _("Average {mean} from {ratings} (1 to 5).").format(
                    mean=i18n.format_decimal(result.mean or 0, code),
                    ratings=_n(t, "{n} rating", "{n} ratings", result.total, code),
                )
                parts.append(f'<p class="note">{esc(note)}</p>')
                parts.append(rating_bars(result, low="", high="", language=code))
        for prompt_id in unknown_prompts(lesson_id, set()):
            parts.append(f"<h3>{esc(prompt_id)}</h3>")
            answer_list(answers_to(lesson_id, prompt_id))
        parts.append("</section>")
    if not reflections.rows and not ratings.rows:
        none = _("No answers or ratings were given in this workshop yet.")
        parts.append(f'<p class="note">{esc(none)}</p>')
    if left_out[HIDDEN]:
        hidden = t.ngettext(
            "{n} answer hidden from the screen by the facilitator is not included here (the "
            "full exports have them).",
            "{n} answers hidden from the screen by the facilitator are not included here (the "
            "full exports have them).",
            left_out[HIDDEN],
        ).format(n=left_out[HIDDEN])
        parts.append(f'<p class="note">{esc(hidden)}</p>')
    if left_out[WAITING]:
        waiting = t.ngettext(
            "{n} answer waiting for the facilitator's approval is not included here (the full "
            "exports have them).",
            "{n} answers waiting for the facilitator's approval are not included here (the "
            "full exports have them).",
            left_out[WAITING],
        ).format(n=left_out[WAITING])
        parts.append(f'<p class="note">{esc(waiting)}</p>')
    # The tables as the exports have them, headings and cells in the workshop's language.
    parts.extend(_table_section(_("Stakeholder maps"), export.stakeholders, code=code))
    parts.extend(_table_section(_("Ties between stakeholders"), export.ties, code=code))
    parts.extend(_table_section(_("Commitments"), export.commitments, code=code))
    body = "\n".join(parts)
    title = _("{title}: workshop summary").format(title=isolate(w.title))
    return (
        f'<!DOCTYPE html>\n<html lang="{code}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head>"
        f"<body><main>\n{body}\n</main></body></html>\n"
    )


def _statement_sections(
    statements: Sequence[RatingStatement],
    rated: Sequence[tuple[Any, ...]],
    rcol: dict[str, int],
    code: str,
    written_in: str = i18n.DEFAULT,
) -> list[str]:
    """`written_in`: the language the export wrote its rounds in."""
    t = i18n.translations(code)
    _ = t.gettext
    parts: list[str] = []
    for statement in statements:
        rows = [r for r in rated if r[rcol["Statement"]] == statement.text]
        rounds = sorted(
            {r[rcol["Round"]] for r in rows},
            key=lambda label: (_round_number(label, written_in) or 0, label),
        )
        for label in rounds:
            values = [int(r[rcol["Rating (1-5)"]]) for r in rows if r[rcol["Round"]] == label]
            result = distribution((v, 1) for v in values)
            heading = statement.text + (
                f" ({_round_words(label, written_in, _)})" if len(rounds) > 1 else ""
            )
            parts.append(f"<h3>{_lines(heading)}</h3>")
            note = _("Average {mean} from {ratings} (1 = {low}, 5 = {high}).").format(
                mean=i18n.format_decimal(result.mean or 0, code),
                ratings=_n(t, "{n} rating", "{n} ratings", result.total, code),
                low=statement.low,
                high=statement.high,
            )
            parts.append(f'<p class="note">{html.escape(note)}</p>')
            parts.append(rating_bars(result, low=statement.low, high=statement.high, language=code))
    return parts


def rating_bars(result: Distribution, *, low: str, high: str, language: str = i18n.DEFAULT) -> str:
    """How many gave 1, 2, 3, 4 and 5, as a table with a bar in each row: readable with any
    screen reader (it is a table), printable, drawn without any script. The row of the
    rounded average is marked. Words and numbers in `language`."""
    code = i18n.supported(language)
    t = i18n.translations(code)
    _ = t.gettext
    esc = html.escape
    top = max(result.counts, default=0) or 1
    mean = result.mean
    mean_row = round(mean) if mean is not None else None
    rows = []
    for offset, count in enumerate(result.counts):
        value = RATING_MIN + offset
        end = low if offset == 0 else high if offset == len(result.counts) - 1 else ""
        label = f"<b>{value}</b>" + (f" {esc(end)}" if end else "")
        share = i18n.format_percent(count / result.total if result.total else 0, code)
        marked = value == mean_row
        bar_class = "bar mean-row" if marked else "bar"
        rows.append(
            f'<tr><th scope="row">{label}</th><td><span class="barline">'
            f'<span class="{bar_class}" style="width:{60 * count / top:.1f}%"></span>'
            f'<span class="count">{esc(_n(t, "{n} person", "{n} people", count, code))} '
            f"({esc(share)})"
            + (esc(" · " + _("nearest the average")) if marked else "")
            + "</span></span></td></tr>"
        )
    average = (
        _("average {mean}").format(mean=i18n.format_decimal(mean, code))
        if mean is not None
        else _("no ratings yet")
    )
    caption = _("How many gave each rating, 1 to 5 ({ratings}, {average})").format(
        ratings=_n(t, "{n} rating", "{n} ratings", result.total, code), average=average
    )
    rating, how_many = _("Rating"), _("How many")
    return (
        f'<figure class="bars"><table><caption>{esc(caption)}</caption>'
        f'<thead><tr><th scope="col">{esc(rating)}</th>'
        f'<th scope="col">{esc(how_many)}</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></figure>"
    )


def _cell(value: object, code: str) -> str:
    """A table cell as the summary's language writes it: numbers with its separators (2,5 in
    Danish; 3 rather than 3.0), dates as the CSV writes them, text isolated as written."""
    value = plain(value)
    if isinstance(value, float):
        digits = 0 if value.is_integer() else 2 if round(value, 1) != value else 1
        return html.escape(i18n.format_decimal(value, code, digits))
    if isinstance(value, int) and not isinstance(value, bool):
        return html.escape(i18n.format_decimal(value, code, 0))
    return bdi(str(value))


def _table_section(
    title: str, table: Table, *, drop: Sequence[str] = (), code: str = i18n.DEFAULT
) -> list[str]:
    if not table.rows:
        return []
    keep = [i for i, name in enumerate(table.columns) if name not in drop]
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(table.columns[i])}</th>' for i in keep)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(row[i], code)}</td>" for i in keep) + "</tr>"
        for row in table.rows
    )
    # A wide table scrolls inside its own box on a phone instead of widening the page or
    # breaking its words letter by letter.
    return [
        f'<section><h2>{esc(title)}</h2><div class="scroll"><table class="data"><thead>'
        f"<tr>{head}</tr></thead><tbody>{rows}</tbody></table></div></section>"
    ]
