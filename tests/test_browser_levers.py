"""A lever moved from the keyboard in a real browser, in JupyterLab and in the Voila lab.

What a room does: click a slider, press an arrow key a few times at human speed. Each press
must count, focus must stay on the slider (nothing reaches JupyterLab's shortcuts, which
would collapse headings), and the NPS shown at the end must be ``simulate``'s for the final
value. How long the first numbers and the full answer take is printed (speed is measured in
the benchmark, not asserted here).
"""

from __future__ import annotations

import re
import shutil
import sys
import time
from pathlib import Path

import pytest
from test_browser import CHROMIUM, expected, need_chromium, serve

from servicesim import presets
from servicesim.widgets.dashboard import DEFAULT_REPLICATIONS

pytestmark = pytest.mark.slow
WORKBOOK = Path(__file__).resolve().parents[1] / "workbooks" / "00-start-here.ipynb"
PRESSES, APART = 3, 0.35  # seconds between presses: a person's pace, not a machine's

#: Records, in the page, when a key went down and when the NPS changed state.
WATCH = """() => {
  window.servicesimLog = [];
  const log = (what) => window.servicesimLog.push([what, performance.now()]);
  document.addEventListener('keydown', (e) => log('key ' + e.key), true);
  const now = () => {
    const nps = document.querySelector('.servicesim-nps');
    return nps ? nps.dataset.state + ' ' + nps.textContent : '';
  };
  let last = now();
  new MutationObserver(() => {
    const state = now();
    if (state !== last) { last = state; log(state); }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


#: Every widget label or button whose words do not fit in it (shown with an ellipsis).
CUT_OFF = """() => [...document.querySelectorAll(
    '.widget-label, .widget-button, .jupyter-button, .widget-upload')]
  .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map((e) => e.textContent.trim()).filter((t) => t)"""


@pytest.fixture
def jupyterlab_url(tmp_path: Path):
    shutil.copy(WORKBOOK, tmp_path / WORKBOOK.name)
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root"]
    command += ["--IdentityProvider.token=", "--ServerApp.ip=127.0.0.1", "--port"]
    yield from serve(command, tmp_path, {"JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "ws")})


@pytest.fixture
def lab_url(tmp_path: Path):
    yield from serve([sys.executable, "-m", "servicesim.cli", "lab", "--port"], tmp_path)


def latencies(log: list[tuple[str, float]]) -> tuple[float, float]:
    """Seconds from the first key press to the first day's numbers and to the full answer."""
    pressed = next(t for what, t in log if what.startswith("key Arrow"))
    after = [(what, t) for what, t in log if t > pressed]
    first = next(t for what, t in after if what.startswith(("first", "settled")))
    full = next(t for what, t in after if what.startswith("settled"))
    return (first - pressed) / 1000, (full - pressed) / 1000


def press_and_check(page, where: str, tmp_path: Path) -> None:
    """Click the Agents slider, press ArrowRight three times, and check what the page shows."""
    from playwright.sync_api import expect

    base = presets.load("baseline")
    start = base.agents
    nps = page.locator(".servicesim-nps")
    want = expected(base, DEFAULT_REPLICATIONS)["nps"]
    expect(nps).to_have_text(f"{want:.1f}", timeout=180_000)
    expect(nps).to_have_attribute("data-state", "settled")
    slider = page.locator(".widget-slider", has=page.get_by_text("Agents", exact=True)).first
    handle = slider.locator(".noUi-handle")
    page.get_by_text("Levers", exact=True).evaluate("e => e.scrollIntoView({block: 'start'})")
    handle.click()  # a click on the handle itself moves nothing
    expect(handle).to_have_attribute("aria-valuenow", f"{start:.1f}")
    page.evaluate(WATCH)
    for _ in range(PRESSES):
        page.keyboard.press("ArrowRight")
        time.sleep(APART)
    expect(handle).to_be_focused()
    expect(handle).to_have_attribute("aria-valuenow", f"{start + PRESSES:.1f}")
    final = expected(base.replace(agents=start + PRESSES), DEFAULT_REPLICATIONS)["nps"]
    expect(nps).to_have_text(f"{final:.1f}", timeout=60_000)
    expect(nps).to_have_attribute("data-state", "settled")
    log = page.evaluate("window.servicesimLog")
    keys = [what for what, _ in log if what.startswith("key")]
    assert keys == ["key ArrowRight"] * PRESSES, keys
    first, full = latencies(log)
    print(f"\n{where}: lever -> first numbers {first:.2f} s, -> full answer {full:.2f} s")
    assert page.locator(".jp-showHiddenCellsButton, .jp-mod-collapsed").count() == 0
    assert page.evaluate(CUT_OFF) == [], "labels or buttons cut off at 1280 x 800"
    done = page.get_by_text(f"Mean of {DEFAULT_REPLICATIONS} simulated days", exact=False)
    expect(done.first).to_be_visible(timeout=30_000)  # the charts are redrawn too
    page.screenshot(path=str(tmp_path / f"{where}.png"))


def test_arrow_presses_each_count_in_a_jupyterlab_workbook(
    jupyterlab_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
            page.goto(f"{jupyterlab_url}lab/tree/{WORKBOOK.name}", timeout=120_000)
            expect(page.locator(".jp-Notebook")).to_be_visible(timeout=120_000)
            # the kernel has started (the status bar says so) before Run All is chosen
            idle = page.get_by_text("Python 3 (ipykernel) | Idle")
            expect(idle).to_be_visible(timeout=180_000)
            page.get_by_role("menuitem", name="Run", exact=True).click()
            page.locator("#jp-mainmenu-run").get_by_text("Run All Cells", exact=True).click()
            last = page.locator(
                ".jp-CodeCell .jp-InputArea-prompt"
            ).last  # every cell has run: idle kernel
            expect(last).to_have_text(re.compile(r"\[\d+\]"), timeout=180_000)
            press_and_check(page, "jupyterlab", tmp_path)
            cells = page.locator(".jp-Cell").count()
            assert cells >= 8, f"only {cells} cells are shown"
            # a pinned run leaves JupyterLab as a browser download, not a file beside the kernel
            page.get_by_role("button", name=re.compile(r"^\W*Pin this run$")).click()
            link = page.locator("a.servicesim-download", has_text="Download pins")
            expect(link).to_be_visible(timeout=30_000)
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == "pinned-runs.csv"
            pinned = download.value.path().read_text(encoding="utf-8")
            base = presets.load("baseline").replace(agents=33)
            nps = expected(base, DEFAULT_REPLICATIONS)["nps"]
            assert "#1 agents=33" in pinned and f"nps,points,{nps!r}" in pinned, pinned[:300]
        finally:
            browser.close()
    assert not list(tmp_path.glob("*.csv"))


def test_arrow_presses_each_count_in_the_voila_lab(lab_url: str, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(lab_url, timeout=120_000)
            press_and_check(page, "voila-lab", tmp_path)
        finally:
            browser.close()


def test_the_labs_comparison_arrives_as_a_browser_download(lab_url: str, tmp_path: Path) -> None:
    """Section 4 of the lab as a manager uses it: keep two set-ups, compare, download. The
    file comes through the browser and holds what ``compare`` gives on the same days."""
    import pandas as pd
    from playwright.sync_api import expect, sync_playwright

    from servicesim import compare

    need_chromium()
    base = presets.load("baseline")
    want = compare(
        {"baseline": base, "26 agents": base.replace(agents=26, name="26 agents")},
        replications=10,
        seed=1,
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)
            page.goto(lab_url, timeout=120_000)
            expect(page.locator(".servicesim-nps")).to_have_attribute(
                "data-state", "settled", timeout=180_000
            )
            add = page.get_by_role("button", name="Add to comparison")
            add.click()
            expect(page.locator("li", has_text="baseline")).to_be_visible(timeout=30_000)
            agents = page.locator(".widget-hbox", has=page.get_by_text("Agents", exact=True))
            box = agents.last.locator("input[type=number]")
            box.fill("26")
            box.press("Enter")
            handle = agents.last.locator(".noUi-handle")
            expect(handle).to_have_attribute("aria-valuenow", "26.0")  # added while it runs
            name = page.locator(".widget-text", has=page.get_by_text("Name", exact=True))
            name.locator("input").fill("26 agents")
            name.locator("input").press("Enter")
            add.click()
            expect(page.locator("li", has_text="26 agents")).to_be_visible(timeout=30_000)
            page.get_by_role("button", name=re.compile(r"^\W*Compare$")).click()
            link = page.locator("a.servicesim-download", has_text="Download the comparison")
            expect(link).to_be_visible(timeout=180_000)
            beside = page.get_by_text("2 set-ups × 10 simulated days", exact=False)
            expect(beside).to_be_visible()
            with page.expect_download() as download:
                link.click()
            assert download.value.suggested_filename == "comparison.csv"
            got = pd.read_csv(download.value.path(), index_col=["scenario", "kpi"])
            page.screenshot(path=str(tmp_path / "download.png"), full_page=True)
        finally:
            browser.close()
    for kpi in ("nps", "service_level", "cost_per_resolution"):
        assert got.at[("26 agents", kpi), "mean"] == want.summary.at[("26 agents", kpi), "mean"]
        difference = want.differences.at[("26 agents", kpi), "ci_low"]
        assert got.at[("26 agents", kpi), "difference_ci_low"] == difference
    assert not list(tmp_path.glob("*.csv")), "nothing written in the lab's folder"
