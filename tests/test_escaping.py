"""User text through the renderers that read markup: Markdown as the report renders it
(nbconvert's mistune), shown back exactly as written."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hostile import ALL, HOSTILE, assert_shown_as_text
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from servicesim.escaping import as_markdown

#: A description over several lines, each of which Markdown would make a block of its own.
LINES = ["# not a heading", "- not a list", "> not a quote", "    not code", "1. not numbered"]


#: mistune passes $...$ through as it is: only MathJax would typeset it, and the report loads
#: none (tests/test_injection.py), so here it could not fail alone.
MARKUP = [text for text in HOSTILE if not text.startswith("$")]


@pytest.mark.parametrize("text", [*MARKUP, ALL])
def test_markdown_shows_each_hostile_string_as_written(text: str) -> None:
    rendered = markdown2html_mistune(f"**Scenario:** {as_markdown(text)}.")
    assert_shown_as_text(rendered, "the rendered Markdown", [f"Scenario: {text}."])


def test_markdown_keeps_line_breaks_and_starts_no_block() -> None:
    rendered = markdown2html_mistune(f"**Scenario:** {as_markdown(chr(10).join(LINES))}")
    soup = BeautifulSoup(rendered, "html.parser")
    blocks = {tag.name for tag in soup.find_all(True)} - {"p", "strong", "br"}
    assert not blocks, f"the lines became {blocks}"
    assert len(soup.find_all("br")) == len(LINES) - 1, "one line break between lines"
    assert list(soup.p.strings) == ["Scenario:", f" {LINES[0]}", *LINES[1:]]
