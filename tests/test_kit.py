"""The facilitator's kit: agendas that fit the workbooks' own timings, texts whose numbers come
from the lessons ledger, and pages that work offline.

A *hand-typed number* is any digit left in a kit text (the debrief notes, the assessment's
answer key, the assumptions card, the slides, the facilitator guide) once its ledger quotes
and placeholders are taken out and the few phrases below are set aside; each of those names
an input or a unit of time, never a result of the model.
"""

from __future__ import annotations

import json
import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from servicesim import briefs
from servicesim.kit.agendas import agenda_markdown, agendas, render_guide, workbook_times
from servicesim.kit.ledger import QUOTE, ledger, measured, quote
from servicesim.kit.pages import PAGES, PLACEHOLDER, entries, fill, source
from servicesim.tables import plain_value

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = ROOT / "workbooks"
GUIDE = ROOT / "docs" / "facilitator.md"
BRIEF = briefs.load("northbrook")

#: Phrases with digits that are not model results: scenario inputs, clock times and units of
#: time, workbook numbers, the NPS scale, the definitions the model uses.
NOT_RESULTS = [
    r"workbooks? \d\d?(( and | to |–|, )\d\d?)*",
    r"\b0\d\b",  # a workbook by its number: 02
    r"(from )?\d+ (to|or) \d+ agents",
    r"\d+ agents",
    r"a \d+(\.\d+)?- to a \d+(\.\d+)?-minute target",
    r"\d+- and \d+-minute",
    r"\d+-minute",
    r"\bA4\b",
    r"section \d+",
    r"\d:\d\d",
    r"\b(19|20)\d\d\b",  # a year, in a citation
    r"95 %",  # the confidence level
    r"20 seconds",  # the service level's definition
    r"\b\d+ (minutes|min) (before|ahead|early|of quiet)\b",
    r"1 to 10",  # the breakdown scores
    r"Shift \+ Enter",
    r"[Qq]uestions? \d+( to \d+)?(,? (and )?\d+( to \d+)?)*",
    r"^\s*\d+\. ",  # a numbered list
    r"CONCEPTS idea \d+",
    r"Python 3\.\d+",
    r"mechanism \d+",
]


def typed_numbers(text: str) -> list[str]:
    """The digits in ``text`` that are neither a quote nor a placeholder nor a phrase of
    NOT_RESULTS: each one is a hand-typed number."""
    text = QUOTE.sub(" ", PLACEHOLDER.sub(" ", text))
    for pattern in NOT_RESULTS:
        text = re.sub(pattern, " ", text, flags=re.M)
    return re.findall(r"[^\s]*\d[^\s]*", text)


def kit_texts() -> dict[str, str]:
    texts = {}
    for n, item in enumerate(entries("debrief.toml", "question"), start=1):
        texts[f"debrief {n}"] = " ".join((item["ask"], item["follow_up"], item["note"]))
    for n, item in enumerate(entries("assessment.toml", "question"), start=1):
        texts[f"answer key {n}"] = item["why"]
    for item in entries("assumptions.toml", "assumption"):
        texts[f"assumption {item['title']!r}"] = " ".join((item["says"], item["source"]))
    for n, part in enumerate(source("slides.md").split("\n---\n"), start=1):
        texts[f"slide {n}"] = part
    for name in ("prework.md", "followup.md"):
        texts[name] = source(name)
    texts["the facilitator guide"] = re.sub(
        r"<!-- agendas:begin.*?<!-- agendas:end -->", " ", GUIDE.read_text("utf-8"), flags=re.S
    )
    return texts


# --- timings and agendas ---------------------------------------------------------------------


@pytest.mark.parametrize("key", sorted(workbook_times(WORKBOOKS)))
def test_each_workbooks_sections_add_up_to_what_its_header_says(key: str) -> None:
    timing = workbook_times(WORKBOOKS)[key]
    assert timing.sections, key
    assert timing.total == timing.stated_total, (key, timing.sections)
    assert timing.core == timing.stated_core, (key, timing.sections)
    assert timing.core < timing.total or key == "00", "extensions mark what can be skipped"


def test_every_agenda_adds_up_and_gives_each_workbook_its_own_time() -> None:
    times = workbook_times(WORKBOOKS)
    found = agendas(WORKBOOKS)
    assert set(found) == {"45", "90", "half-day"}
    for agenda in found.values():
        assert sum(b.minutes for b in agenda.blocks) == agenda.minutes, agenda.key
        for block in agenda.blocks:
            if block.workbook:
                timing = times[block.workbook]
                stated = timing.stated_core if block.path == "core" else timing.stated_total
                assert block.minutes == stated, (agenda.key, block.workbook)
            assert block.say and block.move_on, (agenda.key, block.what)
    debrief = [b for b in found["90"].blocks if b.what.startswith("Debrief")]
    assert len(debrief) == 1 and debrief[0].minutes >= 25, "a real debrief in 90 minutes"
    assert found["90"].prework == ("00", "01")
    assert any(b.what.startswith("Debrief") for b in found["half-day"].blocks)


def test_an_agenda_refuses_a_workbook_without_timings(tmp_path: Path) -> None:
    (tmp_path / "09-untimed.ipynb").write_text(
        json.dumps({"cells": [{"cell_type": "markdown", "source": ["# 9. Untimed\n\n## A part"]}]}),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"09-untimed\.ipynb: its header"):
        workbook_times(tmp_path)


def test_the_guides_agendas_are_the_kits() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    assert text == render_guide(text, WORKBOOKS), (
        "docs/facilitator.md's agendas differ from the kit: run "
        "`python -m servicesim.kit.agendas docs/facilitator.md`"
    )
    times = workbook_times(WORKBOOKS)
    for agenda in agendas(WORKBOOKS).values():
        assert agenda_markdown(agenda, times) in text


# --- numbers from the ledger -----------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(kit_texts()))
def test_no_kit_text_types_a_number_about_the_model(name: str) -> None:
    typed = typed_numbers(kit_texts()[name])
    assert not typed, f"{name}: hand-typed numbers {typed}; quote the ledger instead"


def test_the_detector_finds_a_typed_result() -> None:
    assert typed_numbers("the NPS rises to 32.8 and 89 % are answered") == ["32.8", "89"]
    assert typed_numbers("{ledger:northbrook-today:Northbrook today:nps} with 30 agents") == []


def test_a_quote_is_the_ledgers_measured_value_in_plain_words() -> None:
    check = ledger()["northbrook-today"]["checks"]["Northbrook today:nps"]
    assert quote("{ledger:northbrook-today:Northbrook today:nps}") == plain_value(
        "nps", check["mean"]
    )
    diff = measured("every-cut-adds-work", "target 3.5-target 4.5", "work_per_resolution_minutes")
    assert diff["difference"] and diff["holds"]
    text = quote("{ledger:every-cut-adds-work:target 3.5-target 4.5:work_per_resolution_minutes}")
    assert text == plain_value("work_per_resolution_minutes", diff["mean"], signed=True)
    assert text.startswith("+")
    with pytest.raises(ValueError, match="no claim 'nope'"):
        quote("{ledger:nope:x:nps}")
    with pytest.raises(ValueError, match="has no check 'baseline:fcr'"):
        quote("{ledger:baseline-nps:baseline:fcr}")


def test_every_quote_in_the_kit_names_a_check_that_holds() -> None:
    texts = [
        source("slides.md"),
        *(
            resources.files("servicesim.kit").joinpath(n).read_text("utf-8")
            for n in ("debrief.toml", "assessment.toml", "assumptions.toml")
        ),
    ]
    quotes = [m for text in texts for m in QUOTE.finditer(text)]
    assert len(quotes) >= 30
    for match in quotes:
        claim, scenario, kpi, _ = match.groups()
        assert measured(claim, scenario, kpi)["holds"], match.group()


# --- the pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_is_self_contained(name: str) -> None:
    text = PAGES[name](BRIEF, WORKBOOKS)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), name
    assert "{ledger:" not in text and "{param:" not in text and "{brief:" not in text, name
    assert text.startswith("<!DOCTYPE html>") and "<title>" in text


def test_the_slides_open_with_the_brief_and_close_with_the_follow_up() -> None:
    text = PAGES["slides.html"](BRIEF, WORKBOOKS)
    slides = re.findall(r'<section class="slide".*?</section>', text, re.S)
    assert len(slides) == source("slides.md").count("\n---\n") + 1
    assert BRIEF.says.split(":")[0] in slides[1], "the brief opens the session"
    assert "Debrief" in slides[-3] and "After today" in slides[-1]
    assert all('<aside class="notes">' in s for s in slides), "every slide has speaker notes"


def test_the_handout_holds_the_brief_its_levers_and_a_scorecard() -> None:
    text = PAGES["handout.html"](BRIEF, WORKBOOKS)
    assert BRIEF.name.replace("'", "&#x27;") in text
    from servicesim.kit.pages import lever_label

    for lever in BRIEF.levers:
        assert lever_label(lever) in text
    assert text.count('<tr class="blank">') == 3
    today = quote("{ledger:northbrook-today:Northbrook today:cost_per_resolution}")
    assert f"<td>{today}</td>" in text


def test_the_answer_key_marks_one_answer_per_question() -> None:
    key = PAGES["answer-key.html"](BRIEF, WORKBOOKS)
    sheet = PAGES["assessment.html"](BRIEF, WORKBOOKS)
    questions = entries("assessment.toml", "question")
    assert 6 <= len(questions) <= 10
    assert key.count("<b>Answer ") == len(questions) and "<b>Answer" not in sheet
    for item in questions:
        assert 0 <= item["answer"] < len(item["choices"])


def test_fill_names_an_unknown_placeholder() -> None:
    with pytest.raises(ValueError, match="no scenario field 'agnets'"):
        fill("{param:agnets}", BRIEF, WORKBOOKS)


def test_the_kit_texts_parse() -> None:
    for name in ("agendas.toml", "debrief.toml", "assessment.toml", "assumptions.toml"):
        tomllib.loads(resources.files("servicesim.kit").joinpath(name).read_text("utf-8"))
