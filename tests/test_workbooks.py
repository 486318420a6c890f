"""The workbooks: all nine present, stripped, shaped like a lesson, and holding no logic.

nbval runs them top to bottom (``--nbval-lax``, see pyproject.toml); these checks read the
files. tests/test_workbook_dashboards.py runs their code to check every dashboard they show.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
EXPECTED = (
    "00-start-here.ipynb",
    "01-the-queue.ipynb",
    "02-productivity-vs-quality.ipynb",
    "03-bots-and-humans.ipynb",
    "04-caring-and-trust.ipynb",
    "05-service-from-the-inside-out.ipynb",
    "06-where-to-start-fixing.ipynb",
    "07-what-if-lab.ipynb",
    "08-appendix-the-textbook-queue.ipynb",
)
CHECKED = "# NBVAL_CHECK_OUTPUT"
MAX_CODE_LINES = 10
#: Python that would be logic, not a call into the package.
LOGIC = re.compile(
    r"^\s*(def|class|for|while|if|elif|else|try|except|with)\b.*:\s*$|\blambda\b", re.M
)


def cells(name: str) -> list[dict]:
    return json.loads((WORKBOOKS / name).read_text(encoding="utf-8"))["cells"]


def text(cell: dict) -> str:
    source = cell["source"]
    return source if isinstance(source, str) else "".join(source)


def markdown(name: str) -> str:
    return "\n".join(text(c) for c in cells(name) if c["cell_type"] == "markdown")


def test_all_nine_workbooks_and_nothing_else() -> None:
    present = sorted(p.name for p in WORKBOOKS.glob("*.ipynb"))
    assert present == sorted(EXPECTED)


@pytest.mark.parametrize("name", EXPECTED)
def test_outputs_are_stripped_except_checked_cells(name: str) -> None:
    for i, cell in enumerate(cells(name)):
        if cell["cell_type"] != "code":
            continue
        if text(cell).lstrip().startswith(CHECKED):
            assert cell["outputs"], f"{name} cell {i}: a checked cell needs its expected output"
            continue
        assert cell["outputs"] == [], f"{name} cell {i} has outputs committed"
        assert cell["execution_count"] is None, f"{name} cell {i} has an execution count"


@pytest.mark.parametrize("name", EXPECTED)
def test_lesson_shape(name: str) -> None:
    all_cells = cells(name)
    first = text(all_cells[0])
    assert all_cells[0]["cell_type"] == "markdown" and first.startswith("# "), "no title"
    md = markdown(name)
    for part in ("What you will do", "What you will learn", "What you need"):
        assert part in md, f"{name}: no '{part}'"
    assert re.search(r"\d+ minutes", md), f"{name}: no time in minutes"
    assert "<details>" in md and "</details>" in md, f"{name}: no collapsed solution"
    assert re.search(r"^#+ .*Exercise", md, re.M | re.I), f"{name}: no exercise heading"
    assert re.search(r"^#+ Summary", md, re.M), f"{name}: no summary"
    assert re.search(r"^#+ What's next", md, re.M), f"{name}: no 'What's next'"


def wrapped_import_lines(source: str) -> int:
    """Lines an import statement takes beyond its first (ruff wraps a long one a name a line)."""
    imports = [n for n in ast.parse(source).body if isinstance(n, ast.Import | ast.ImportFrom)]
    return sum((n.end_lineno or n.lineno) - n.lineno for n in imports)


@pytest.mark.parametrize("name", EXPECTED)
def test_code_cells_are_short_and_hold_no_logic(name: str) -> None:
    code = [c for c in cells(name) if c["cell_type"] == "code"]
    assert code, f"{name} has no code"
    assert "import" in text(code[0]), f"{name}: the first code cell should import"
    for i, cell in enumerate(code):
        source = text(cell)
        lines = [ln for ln in source.splitlines() if ln.strip() and not ln.strip().startswith("#")]
        count = len(lines) - wrapped_import_lines(source)
        assert count <= MAX_CODE_LINES, f"{name} code cell {i}: {count} lines"
        assert not LOGIC.search(source), f"{name} code cell {i} holds logic:\n{source}"


@pytest.mark.parametrize("name", EXPECTED)
def test_each_workbook_checks_a_seeded_kpi_cell(name: str) -> None:
    """Each checked cell's numbers are fixed by a seed: its own, or one in the code cells that
    lead up to it since the previous checked cell (the result is computed first, a prediction
    asks about it, and the checked cell prints it)."""
    code = [text(c) for c in cells(name) if c["cell_type"] == "code"]
    checked = [i for i, c in enumerate(code) if c.lstrip().startswith(CHECKED)]
    assert checked, f"{name}: no {CHECKED} cell"
    for previous, i in zip([-1, *checked], checked, strict=False):
        seeded = any("seed=" in c for c in code[previous + 1 : i + 1])
        assert seeded, f"{name}: checked cell {i} has no fixed seed, nor have the cells before it"
