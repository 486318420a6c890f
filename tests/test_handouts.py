"""Plan B as a facilitator makes it: ``servicesim handouts --out DIR`` typed in a clone.

Every workbook is run and written as a static page with its outputs (the checked tables as
stored in the notebook, and each panel's static stand-in), beside the kit's pages; nothing
in the folder points outside it, and a second run does not replace it without ``--force``.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from servicesim.folders import MANIFEST
from servicesim.kit.handouts import offline, planned_files

ROOT = Path(__file__).resolve().parents[1]
WORKBOOKS = sorted((ROOT / "workbooks").glob("[0-9][0-9]-*.ipynb"))
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("handouts") / "workshop"
    command = [sys.executable, "-m", "servicesim.cli", "handouts", "--out", str(out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr
    assert f"open {out / 'index.html'}" in done.stdout
    return out


def checked_lines(notebook: Path) -> list[str]:
    """The first table row of every checked cell's stored output."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    rows = []
    for cell in cells:
        if cell["cell_type"] == "code" and "".join(cell["source"]).startswith("# NBVAL_CHECK"):
            text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            rows.append(text.splitlines()[2])  # below the headings and their underline
    return rows


def test_every_workbook_is_there_with_its_outputs(folder: Path) -> None:
    pages = sorted(p.name for p in folder.iterdir() if p.name != MANIFEST)
    assert pages == sorted(planned_files(ROOT / "workbooks"))
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert sorted(manifest["files"]) == pages, "the manifest lists every page it wrote"
    assert len(WORKBOOKS) == 9
    for notebook in WORKBOOKS:
        page = (folder / notebook.with_suffix(".html").name).read_text(encoding="utf-8")
        rows = checked_lines(notebook)
        assert rows, notebook.name
        for row in rows:
            assert html.escape(row, quote=False) in page, (notebook.name, row)
        assert "data:image/png;base64," in page, f"{notebook.name}: no chart"
        assert "Traceback (most recent call last)" not in page, notebook.name
        if "Prediction(" in notebook.read_text(encoding="utf-8"):
            assert "Reveal the model&#x27;s answer" in page or "Reveal the model's answer" in page
        assert "Dashboard(" not in page and "VBox(children" not in page, notebook.name


def test_nothing_in_the_folder_points_outside_it(folder: Path) -> None:
    for path in folder.iterdir():
        if path.name == MANIFEST:
            continue
        text = path.read_text(encoding="utf-8")
        found = re.findall(r"""(?:src|href)\s*=\s*["']?((?:https?:)?//[^"'\s>]+)""", text)
        assert not found, (path.name, found[:3])
    index = (folder / "index.html").read_text(encoding="utf-8")
    for name in planned_files(ROOT / "workbooks"):
        if name != "index.html":
            assert f'href="{name}"' in index, name


def test_a_second_run_refuses_to_replace_the_folder(folder: Path) -> None:
    command = [sys.executable, "-m", "servicesim.cli", "handouts", "--out", str(folder)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "index.html" in done.stderr and "--force" in done.stderr


def test_outside_links_become_text_and_outside_files_are_dropped() -> None:
    page = (
        '<link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/'
        'y.js"></script><script>let a = 1</script><a href="https://example.org/paper">the '
        'paper</a> <a href="02-x.html">next</a> <img src="https://example.org/i.png" alt="pic">'
    )
    shown = offline(page)
    assert "cdn.example" not in shown and "<script>let a = 1</script>" in shown
    assert "the paper (https://example.org/paper)" in shown and 'href="02-x.html"' in shown
    assert "<img" not in shown and "pic" in shown
