"""The workbooks as one story: one centre and one brief, predict before you see, plain words.

Every workbook but the appendix follows Northbrook Energy's centre (the ``baseline`` preset)
and Dana's brief (``briefs.load("northbrook")``), ends with the centre's scorecard, asks for
a prediction before each checked result and an "in your team" question after each lesson,
and explains each glossary term where a reader first meets it.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from test_workbooks import CHECKED, EXPECTED, cells, text

from servicesim import presets

APPENDIX = "08-appendix-the-textbook-queue.ipynb"
STORY = tuple(name for name in EXPECTED if name != APPENDIX)
CENTRE = 'northbrook = presets.load("baseline")'
BRIEF = 'brief = briefs.load("northbrook")'
#: Headings, and a workbook's header ("What you will do: ..."), name terms before explaining them.
HEADER = re.compile(r"^(>|#).*$", re.M)
EMPHASIS = re.compile(r"\*\*[^*\n]+\*\*|\*[^*\n]+\*")


def code_cells(name: str) -> list[str]:
    return [text(c) for c in cells(name) if c["cell_type"] == "code"]


def glossary_terms() -> list[str]:
    path = Path(__file__).resolve().parents[1] / "docs" / "glossary.md"
    return re.findall(r"^\| \*\*([^*]+)\*\* \|", path.read_text(encoding="utf-8"), re.M)


def preset_base(name: str) -> str | None:
    folder = resources.files("servicesim").joinpath("presets")
    data = tomllib.loads(folder.joinpath(f"{name}.toml").read_text(encoding="utf-8"))
    return data.get("base")


@pytest.mark.parametrize("name", STORY)
def test_every_workbook_follows_the_same_centre_and_brief(name: str) -> None:
    first = code_cells(name)[0]
    assert CENTRE in first and BRIEF in first, f"{name}: the first code cell must load {CENTRE!r}"
    everything = "\n".join(code_cells(name))
    assert "Scenario(" not in everything, f"{name} builds a centre of its own"
    for preset in re.findall(r'presets\.load\("([^"]+)"\)', everything):
        assert preset in presets.names(), f"{name}: unknown preset {preset!r}"
        if preset != "baseline":
            assert preset_base(preset) == "baseline", f"{name}: {preset} is not Northbrook"
            assert preset != "erlang", f"{name}: the textbook queue belongs in the appendix"


@pytest.mark.parametrize("name", STORY)
def test_every_workbook_ends_with_the_scorecard(name: str) -> None:
    code = code_cells(name)
    assert "scorecard(" in code[-1] and "brief" in code[-1], f"{name}: last code is no scorecard"
    markdown = [text(c) for c in cells(name) if c["cell_type"] == "markdown"]
    assert any("## Northbrook's scorecard" in m for m in markdown), f"{name}: no scorecard heading"


@pytest.mark.parametrize("name", EXPECTED)
def test_a_prediction_comes_before_each_checked_result(name: str) -> None:
    since_last = False
    for i, source in enumerate(code_cells(name)):
        if source.lstrip().startswith(CHECKED):
            assert since_last, f"{name} code cell {i}: a checked result with no prediction before"
            since_last = False
        elif "Prediction(" in source:
            since_last = True


@pytest.mark.parametrize("name", STORY)
def test_each_lesson_asks_about_the_readers_own_team(name: str) -> None:
    """Each section that shows a checked result asks an "In your team" question."""
    sections: list[list[dict]] = [[]]
    for cell in cells(name):
        if cell["cell_type"] == "markdown" and text(cell).startswith("## "):
            sections.append([])
        sections[-1].append(cell)
    for section in sections:
        checked = any(
            c["cell_type"] == "code" and text(c).lstrip().startswith(CHECKED) for c in section
        )
        asks = any("**In your team:**" in text(c) for c in section if c["cell_type"] == "markdown")
        if checked:
            title = text(section[0]).splitlines()[0]
            assert asks, f"{name}, section {title!r}: no 'In your team' question"


def reading() -> str:
    """All the markdown a participant reads, workbook 0 to the appendix, headers left out."""
    parts = []
    for name in EXPECTED:
        for cell in cells(name):
            if cell["cell_type"] == "markdown":
                parts.append(HEADER.sub("", text(cell)))
    return "\n\n".join(parts)


def uses(term: str, words: str) -> list[re.Match[str]]:
    """Where ``term`` (or its plural) is used, leaving out where it is only part of a longer
    glossary term ("promoter" in "Net Promoter Score")."""
    pattern = re.compile(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", re.I)
    longer = [t for t in glossary_terms() if term.lower() in t.lower() and t != term]
    covered = [m.span() for t in longer for m in uses(t, words)]
    return [m for m in pattern.finditer(words) if not any(a <= m.start() < b for a, b in covered)]


@pytest.mark.parametrize("term", glossary_terms())
def test_each_term_is_explained_where_it_is_first_used(term: str) -> None:
    """The first use is the term itself in italics or bold (not inside a button's name or a
    longer phrase), so the sentence around it is where it is explained."""
    words = reading()
    found = uses(term, words)
    assert found, f"glossary term {term!r} is never used in the workbooks"
    first = found[0]
    marked = [m for m in EMPHASIS.finditer(words) if m.start() <= first.start() < m.end()]
    context = words[max(0, first.start() - 60) : first.end() + 60].replace("\n", " ")
    assert marked, f"{term!r} is first used without being explained: ...{context}..."
    inner = marked[0].group().strip("*").strip()
    assert re.fullmatch(rf"{re.escape(term)}s?", inner, re.I), (
        f"{term!r} is first met inside *{inner}*, not emphasised on its own: ...{context}..."
    )


def test_the_glossary_holds_every_term_once() -> None:
    terms = [t.lower() for t in glossary_terms()]
    assert len(terms) >= 20 and len(set(terms)) == len(terms)
