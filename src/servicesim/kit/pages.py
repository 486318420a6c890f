"""The kit's pages as self-contained HTML: slides, handout, assumptions card, assessment and
its answer key, debrief cards and agendas. Every page works offline (no external file, font
or script) and prints on one A4 or Letter page per card or slide.

Texts come from the TOML and markdown files beside this module. A text may quote the ledger
(``{ledger:...}``, :mod:`.ledger`), a scenario default (``{param:NAME}``), the brief
(``{brief:says}``, ``{brief:name}``, ``{brief:levers}``), an agenda (``{agenda:90}``), a
debrief question (``{debrief:N}``) or a workbook's minutes (``{time:02}``); nothing else in
them is a number about the model.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Callable
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import mistune

from .. import briefs
from ..brief import Brief
from ..kpis import KPI_LABELS
from ..scenario import Scenario, field_label
from .agendas import Agenda, agendas, clock, workbook_times
from .ledger import quote

PLACEHOLDER = re.compile(r"\{(param|brief|agenda|debrief|time):([^{}]+)\}")
#: Units shown as percentages.
SHARES = ("probability", "share")


def source(name: str) -> str:
    """One of the kit's text files (beside this module)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@cache
def entries(name: str, table: str) -> list[dict[str, Any]]:
    """The ``[[table]]`` entries of the kit's TOML file ``name``."""
    found: list[dict[str, Any]] = tomllib.loads(source(name))[table]
    return found


def param_value(name: str) -> str:
    """A scenario field's default as a participant reads it: '75 %', '60 minutes', '45'."""
    specs = Scenario.specs()
    if name not in specs:
        raise ValueError(f"no scenario field {name!r} to quote")
    value = getattr(Scenario(), name)
    unit = specs[name].unit
    if unit in SHARES:
        return f"{100 * value:.0f} %"
    number = f"{value:g}"
    if unit.startswith("currency"):
        return f"{value:.2f}" if value < 1 else number
    return f"{number} {unit}" if unit in ("minutes", "contacts") else number


def fill(text: str, brief: Brief, times_folder: str | Path = "workbooks") -> str:
    """``text`` with its ledger quotes and placeholders filled in (plain text, not HTML)."""

    def one(match: re.Match[str]) -> str:
        kind, key = match.groups()
        if kind == "param":
            return param_value(key)
        if kind == "brief":
            return {
                "says": brief.says,
                "name": brief.name,
                "levers": ", ".join(lever_label(lever) for lever in brief.levers),
            }[key]
        if kind == "agenda":  # a markdown list, one block a line
            agenda = agendas(times_folder)[key]
            return "\n".join(
                f"- {clock(start)} {short_block(block.what)}"
                for start, block in zip(agenda.starts(), agenda.blocks, strict=True)
            )
        if kind == "time":
            return f"about {workbook_times(times_folder)[key].total} minutes"
        return entries("debrief.toml", "question")[int(key) - 1]["ask"]

    return quote(PLACEHOLDER.sub(one, text))


def short_block(what: str) -> str:
    """An agenda block's name, short enough for a slide: 'Workbook 02: Productivity vs
    quality' for a workbook, the first part of the name otherwise."""
    parts = what.split(": ")
    return ": ".join(parts[:2]) if what.startswith("Workbook") else parts[0]


def lever_label(name: str) -> str:
    return field_label(name)


# --- pages -----------------------------------------------------------------------------------

CSS = """
:root { --ink: #1d2733; --muted: #5b6875; --accent: #2f6db5; --rule: #c9d2dc; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: var(--ink);
       margin: 0 auto; max-width: 46rem; padding: 1.2rem; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .4rem; color: var(--accent); }
h2 { font-size: 1.1rem; margin: 1rem 0 .3rem; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid var(--rule); padding: .25rem .4rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; }
.muted, small { color: var(--muted); }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: .6rem .8rem;
        margin: .6rem 0; break-inside: avoid; }
.blank td { height: 1.8rem; }
@page { margin: 12mm; }
@media print { body { max-width: none; padding: 0; font-size: 10pt; }
               .two-columns { columns: 2; column-gap: 6mm; font-size: 8.5pt; }
               .two-columns .card { margin: 0 0 3mm; padding: 2mm 3mm; }
               .page-break { break-after: page; } a { color: inherit; } }
"""


def page(title: str, body: str) -> str:
    """A complete, self-contained HTML page (its styles inline; nothing fetched)."""
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{body}</body></html>\n"
    )


def e(text: str) -> str:
    return html.escape(text)


def handout(brief: Brief, folder: str | Path = "workbooks") -> str:
    """The one-page participant handout: the brief, today's numbers, the levers and a
    scorecard to fill in."""
    base, specs = brief.base, Scenario.specs()
    rows = "".join(
        f"<tr><td>{e(lever_label(lever))}</td><td>{e(plain_default(base, lever))}</td>"
        f"<td>{e(specs[lever].allowed())}</td></tr>"
        for lever in brief.levers
    )
    kpis = brief.kpis()
    head = "".join(f"<th>{e(KPI_LABELS[k])}</th>" for k in kpis)
    today = "".join(
        f"<td>{e(fill('{ledger:northbrook-today:Northbrook today:' + k + '}', brief, folder))}</td>"
        if k in ("nps", "cost_per_resolution", "service_level", "cost_per_contact")
        else "<td></td>"
        for k in kpis
    )
    blank = "".join("<td></td>" for _ in kpis)
    limits = "; ".join(brief.constraints)
    body = (
        f"<h1>{e(brief.name)}</h1><p>{e(brief.says)}</p>"
        f'<p class="muted">The limits, as the lab checks them: {e(limits)}.</p>'
        "<h2>The levers you may move</h2><table><tr><th>lever</th><th>today</th>"
        f"<th>allowed</th></tr>{rows}</table>"
        "<h2>Your scorecard</h2><table><tr><th>design</th>"
        f"{head}<th>meets the brief?</th></tr><tr><td>today</td>{today}<td>no</td></tr>"
        + "".join(f'<tr class="blank"><td></td>{blank}<td></td></tr>' for _ in range(3))
        + "</table>"
        "<h2>Before you leave</h2><p>Download what you saved: in JupyterLab's file list, "
        "right-click a file → <i>Download</i>. Binder deletes your session when you close it "
        "or leave it idle.</p>"
        "<h2>Follow-up</h2><p>Bring your own centre to the lab (workbook 07): your demand, your "
        "team, your costs. Compare two changes you might make, export the report "
        "(<code>servicesim report</code>) and share it with your team.</p>"
    )
    return page(f"Handout: {brief.name}", body)


def plain_default(base: Scenario, name: str) -> str:
    value = getattr(base, name)
    unit = Scenario.specs()[name].unit
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return f"a plan per hour (mean {sum(value) / len(value):g})"
    if unit in SHARES and isinstance(value, float):
        return f"{100 * value:.0f} %"
    number = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{number} {unit}" if unit == "minutes" else number


def assumptions(brief: Brief, folder: str | Path = "workbooks") -> str:
    """The one-page "what the model assumes" card."""
    from .ledger import ledger

    items = []
    for item in entries("assumptions.toml", "assumption"):
        said = " ".join(ledger()[c]["where"] for c in item["claims"])
        books = sorted(set(re.findall(r"\b0\d\b", said)))
        shown = f" Workbook{'s' if len(books) > 1 else ''} {', '.join(books)}." if books else ""
        items.append(
            f'<div class="card"><b>{e(item["title"])}.</b> {e(fill(item["says"], brief, folder))}'
            f"<br><small>Source: {e(item['source'])}.{shown} Ledger: "
            f"{e(', '.join(item['claims']))}.</small></div>"
        )
    body = (
        '<h1>What the model assumes</h1><p class="muted">The assumptions behind the '
        "workshop's headline results. Each default can be changed with a lever; docs/model.md "
        "gives the source of every number.</p>"
        f'<div class="two-columns">{"".join(items)}</div>'
    )
    return page("What the model assumes", body)


def assessment(brief: Brief, folder: str | Path = "workbooks", *, key: bool = False) -> str:
    """The pre/post assessment (``key``: with the answers and why)."""
    letters = "abcdefgh"
    items = []
    for n, item in enumerate(entries("assessment.toml", "question"), start=1):
        choices = "".join(
            f"<li>{'<b>' if key and k == item['answer'] else ''}{letters[k]}) {e(c)}"
            f"{'</b>' if key and k == item['answer'] else ''}</li>"
            for k, c in enumerate(item["choices"])
        )
        why = (
            f"<p><b>Answer {letters[item['answer']]}.</b> {e(fill(item['why'], brief, folder))}</p>"
            if key
            else ""
        )
        items.append(
            f'<div class="card"><b>{n}. {e(item["ask"])}</b><ul style="list-style:none;'
            f'padding-left:.5rem;margin:.3rem 0">{choices}</ul>{why}</div>'
        )
    title = "Assessment: answer key" if key else "Assessment: before and after the workshop"
    intro = (
        "The answers, with what the model shows (numbers from the lessons ledger)."
        if key
        else "Circle one answer per question. Your name is not needed."
    )
    return page(title, f'<h1>{e(title)}</h1><p class="muted">{intro}</p>' + "".join(items))


def debrief(brief: Brief, folder: str | Path = "workbooks") -> str:
    """The debrief cards: question, follow-up, and the model's numbers as a note."""
    cards = []
    for n, item in enumerate(entries("debrief.toml", "question"), start=1):
        cards.append(
            f'<div class="card"><b>{n}. {e(item["ask"])}</b><br><i>Then:</i> '
            f"{e(item['follow_up'])}<br><small>What the model shows: "
            f"{e(fill(item['note'], brief, folder))} (workbook "
            f"{e(', '.join(item['workbooks']))}; ledger: {e(', '.join(item['claims']))})"
            "</small></div>"
        )
    return page("Debrief cards", "<h1>Debrief cards</h1>" + "".join(cards))


def agenda_page(folder: str | Path = "workbooks") -> str:
    """Every agenda with its script, one per printed page."""
    parts = []
    for agenda in agendas(folder).values():
        parts.append(agenda_table(agenda))
    return page("Agendas", "<h1>Agendas</h1>" + '<div class="page-break"></div>'.join(parts))


def agenda_table(agenda: Agenda) -> str:
    rows = "".join(
        f"<tr><td>{clock(start)}–{clock(start + b.minutes)}</td><td><b>{e(b.what)}</b>"
        f"<br><small>{b.minutes} min</small></td><td>{e(b.say)}</td><td>{e(b.ask)}</td>"
        f"<td>{e(b.move_on)}</td></tr>"
        for start, b in zip(agenda.starts(), agenda.blocks, strict=True)
    )
    prework = (
        f"<p>Pre-work: workbooks {e(' and '.join(agenda.prework))}.</p>" if agenda.prework else ""
    )
    return (
        f"<h2>{e(agenda.name)}</h2>{prework}<table><tr><th>time</th><th>what</th><th>say</th>"
        f"<th>ask</th><th>move on</th></tr>{rows}</table>"
    )


# --- slides ----------------------------------------------------------------------------------

SLIDE_CSS = """
html, body { margin: 0; height: 100%; background: #1d2733; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; }
.slide { display: none; position: absolute; inset: 0; margin: auto; width: 960px;
         height: 540px; background: #fff; color: #1d2733; padding: 48px 64px;
         box-sizing: border-box; font-size: 26px; line-height: 1.35; overflow: hidden; }
.slide.current { display: block; }
.slide h1 { color: #2f6db5; font-size: 40px; margin: 0 0 24px; }
.slide li { margin: 10px 0; }
.notes { display: none; position: fixed; left: 0; right: 0; bottom: 0; background: #fffbe6;
         color: #333; font-size: 16px; padding: 10px 20px; border-top: 2px solid #e0c200; }
body.show-notes .slide.current .notes { display: block; }
.counter { position: absolute; right: 24px; bottom: 16px; font-size: 14px; color: #888; }
@page { size: 254mm 142.9mm; margin: 0; }
@media print {
  html, body { background: #fff; height: auto; }
  .slide { display: block; position: relative; page-break-after: always; break-after: page;
           width: 254mm; height: 142.9mm; }
  .notes { display: none !important; }
}
"""

SLIDE_SCRIPT = """
const slides = Array.from(document.querySelectorAll('.slide'));
let at = Math.max(0, Math.min(slides.length - 1, parseInt(location.hash.slice(1) || '1') - 1));
function show(k) {
  at = Math.max(0, Math.min(slides.length - 1, k));
  slides.forEach((s, i) => s.classList.toggle('current', i === at));
  history.replaceState(null, '', '#' + (at + 1));
}
document.addEventListener('keydown', (event) => {
  if (['ArrowRight', 'PageDown', ' '].includes(event.key)) { show(at + 1); event.preventDefault(); }
  else if (['ArrowLeft', 'PageUp'].includes(event.key)) { show(at - 1); event.preventDefault(); }
  else if (event.key === 'Home') show(0);
  else if (event.key === 'End') show(slides.length - 1);
  else if (event.key === 'n' || event.key === 'N') document.body.classList.toggle('show-notes');
});
document.addEventListener('click', (event) => {
  if (!event.target.closest('a')) show(at + (event.clientX > innerWidth / 3 ? 1 : -1));
});
show(at);
"""


def slides(brief: Brief, folder: str | Path = "workbooks") -> str:
    """The 90-minute session's deck: one page of HTML, arrow keys to move, N for the speaker
    notes, and printing gives one slide per page."""
    render: Callable[[str], str] = mistune.create_markdown(escape=True)  # type: ignore[assignment]
    parts = [part.strip() for part in source("slides.md").split("\n---\n")]
    sections = []
    for number, part in enumerate(parts, start=1):
        text, _, note = part.partition("\nNote:")
        body = render(fill(text, brief, folder))
        notes = (
            f'<aside class="notes">{e(fill(note.strip(), brief, folder))}</aside>' if note else ""
        )
        sections.append(
            f'<section class="slide" aria-label="slide {number}">{body}{notes}'
            f'<div class="counter">{number} / {len(parts)}</div></section>'
        )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{e(brief.name)}: the workshop</title><style>{SLIDE_CSS}</style></head><body>"
        + "".join(sections)
        + f"<script>{SLIDE_SCRIPT}</script></body></html>\n"
    )


def markdown_page(name: str, brief: Brief, folder: str | Path = "workbooks") -> str:
    """One of the kit's markdown texts (``prework.md``, ``followup.md``) as a page."""
    render: Callable[[str], str] = mistune.create_markdown(escape=True)  # type: ignore[assignment]
    text = fill(source(name), brief, folder)
    title = text.splitlines()[0].lstrip("# ").strip()
    return page(title, render(text))


#: Every page of the kit: file name -> how to build it.
PAGES: dict[str, Callable[[Brief, str | Path], str]] = {
    "slides.html": slides,
    "handout.html": handout,
    "assumptions.html": assumptions,
    "assessment.html": assessment,
    "answer-key.html": lambda brief, folder: assessment(brief, folder, key=True),
    "debrief.html": debrief,
    "agendas.html": lambda brief, folder: agenda_page(folder),
    "prework.html": lambda brief, folder: markdown_page("prework.md", brief, folder),
    "followup.html": lambda brief, folder: markdown_page("followup.md", brief, folder),
}


def write_kit(
    out: str | Path, workbooks: str | Path = "workbooks", brief: str = "northbrook"
) -> list[Path]:
    """Write every page of the kit into ``out`` (which must not hold them yet)."""
    chosen = briefs.load(brief)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in PAGES.items():
        path = out / name
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(build(chosen, workbooks))
        written.append(path)
    return written


__all__ = [
    "PAGES",
    "assessment",
    "assumptions",
    "debrief",
    "fill",
    "handout",
    "slides",
    "write_kit",
]
