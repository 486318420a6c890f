"""Plan B: the whole workshop as static pages, for a room with neither Python nor Binder.

:func:`write_handouts` runs every workbook top to bottom (in a scratch copy, so nothing lands
beside the user's notebooks), exports each with its outputs to HTML, and writes the kit's
pages beside them with an index. Nothing in the folder refers to anything outside it: no
script, style, font or image is fetched (external links become plain text), so it opens
from a USB stick on a laptop without network. The panels show their static stand-ins
(:mod:`servicesim.widgets.static`): the numbers and charts at the workbook's settings.
"""

from __future__ import annotations

import html
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

from ..files import check_free
from .pages import PAGES, page, write_kit

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
EXTERNAL = ("http:", "https:", "//")
#: What the index says about each page of the kit.
KIT_PAGES = {
    "slides.html": "Slides for the 90-minute session (arrow keys; N shows the speaker notes)",
    "handout.html": "The participant handout: the brief, the levers, a scorecard to fill in",
    "assumptions.html": "What the model assumes (one card)",
    "assessment.html": "The short assessment, before and after",
    "answer-key.html": "The assessment's answer key",
    "debrief.html": "Debrief cards",
    "agendas.html": "Agendas with their scripts: 45 minutes, 90 minutes, half a day",
    "prework.html": "Pre-work for participants: workbooks 00 and 01, with a short check",
    "followup.html": "The follow-up exercise: your own centre, two changes, one report",
}


def notebooks(folder: str | Path) -> list[Path]:
    """The workbooks in ``folder``, in order."""
    found = sorted(Path(folder).glob("[0-9][0-9]-*.ipynb"))
    if not found:
        raise ValueError(f"no workbooks in {folder}: run this from a clone of the repository")
    return found


def planned_files(workbooks: str | Path) -> list[str]:
    """Every file :func:`write_handouts` writes."""
    return ["index.html", *PAGES, *(p.with_suffix(".html").name for p in notebooks(workbooks))]


def write_handouts(
    out: str | Path,
    workbooks: str | Path = "workbooks",
    *,
    brief: str = "northbrook",
    overwrite: bool = False,
    timeout: int = 1200,
) -> list[Path]:
    """Write the static workshop into ``out``; nothing is replaced unless ``overwrite``."""
    sources = notebooks(workbooks)
    out = check_free(out, planned_files(workbooks), overwrite)
    out.mkdir(parents=True, exist_ok=True)
    if overwrite:
        for name in planned_files(workbooks):
            (out / name).unlink(missing_ok=True)
    written = write_kit(out, workbooks, brief)
    with tempfile.TemporaryDirectory(prefix="servicesim-handouts-") as scratch:
        run = partial(_static_page, scratch=Path(scratch), timeout=timeout)
        workers = max(1, min(len(sources), os.cpu_count() or 1, 4))
        with ThreadPoolExecutor(max_workers=workers) as pool:  # one kernel per workbook
            pages = list(pool.map(run, sources))
    for path, text in zip(sources, pages, strict=True):
        target = out / path.with_suffix(".html").name
        with open(target, "x", encoding="utf-8") as handle:
            handle.write(text)
        written.append(target)
    index = out / "index.html"
    with open(index, "x", encoding="utf-8") as handle:
        handle.write(index_page(sources))
    return [index, *written]


def _static_page(path: Path, *, scratch: Path, timeout: int) -> str:
    """One workbook run top to bottom in ``scratch``, as an offline HTML page."""
    import nbformat
    from nbclient import NotebookClient
    from nbconvert import HTMLExporter

    copy = scratch / path.name
    shutil.copyfile(path, copy)
    notebook = nbformat.read(copy, as_version=4)
    resources = {"metadata": {"path": str(scratch)}}
    NotebookClient(notebook, timeout=timeout, kernel_name="python3", resources=resources).execute()
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)  # no kernel: the static stand-in shows
    exporter = HTMLExporter(template_name="lab", mathjax_url="", require_js_url="")
    body, _ = exporter.from_notebook_node(notebook)
    return offline(body)


def offline(document: str) -> str:
    """``document`` with every reference outside it removed: external scripts and styles
    dropped, external links turned into their text and address."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(document, "html.parser")
    for tag in soup.find_all(["script", "link", "img", "iframe"]):
        target = tag.get("src") or tag.get("href") or ""
        if not isinstance(target, str) or not target.startswith(EXTERNAL):
            continue
        if tag.name == "img":
            tag.replace_with(str(tag.get("alt") or ""))
        else:
            tag.decompose()
    for anchor in soup.find_all("a"):
        target = anchor.get("href") or ""
        if isinstance(target, str) and target.startswith(EXTERNAL):
            anchor.replace_with(f"{anchor.get_text()} ({target})")
    return str(soup)


def index_page(sources: list[Path]) -> str:
    """The folder's front page: the kit, then every workbook."""
    kit = "".join(
        f'<li><a href="{name}">{html.escape(text)}</a></li>' for name, text in KIT_PAGES.items()
    )
    books = "".join(
        f'<li><a href="{p.with_suffix(".html").name}">{html.escape(p.stem)}</a></li>'
        for p in sources
    )
    body = (
        "<h1>The workshop, offline</h1><p>Every page here opens without network or Python: the "
        "workbooks as they run at their own settings, and the facilitator's kit. To move the "
        "levers, use Binder or <code>servicesim lab</code> on one laptop.</p>"
        f"<h2>The facilitator's kit</h2><ul>{kit}</ul><h2>The workbooks</h2><ul>{books}</ul>"
    )
    return page("The workshop, offline", body)


__all__ = ["KIT_PAGES", "offline", "planned_files", "write_handouts"]
