"""The what-if lab in a real browser: `servicesim lab` served by Voila, driven by Chromium.

Needs Debian's Chromium at /usr/bin/chromium (.ci/run installs it when missing) and the
Playwright package; Playwright's own browser download is not used.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest

from servicesim import presets, simulate
from servicesim.widgets.dashboard import tile_text

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow


def need_chromium() -> None:
    """Skip, naming the reason, where Debian's Chromium is missing; in CI it is required."""
    if CHROMIUM.exists():
        return
    message = f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI needs it (.ci/run installs it)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


#: The server process behind each URL ``serve`` yields, while it runs.
SERVERS: dict[str, subprocess.Popen] = {}


def serve(
    command: list[str], folder: Path, env: dict[str, str] | None = None, host: str = "127.0.0.1"
):
    """Start a server with ``command`` (port appended) in ``folder``; yield its URL on
    ``host`` (its process is ``SERVERS[url]`` meanwhile)."""
    port = free_port()
    server = subprocess.Popen(
        [*command, str(port)],
        cwd=folder,
        env={**os.environ, **(env or {})},
        stdout=open(folder / "voila.log", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://{host}:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                log = (folder / "voila.log").read_text()
                pytest.fail(f"{command[:4]} did not start at {url}:\n{log}")
            time.sleep(0.5)
    SERVERS[url] = server
    try:
        yield url
    finally:
        del SERVERS[url]
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.fixture
def lab_url(tmp_path: Path):
    yield from serve([sys.executable, "-m", "servicesim.cli", "lab", "--port"], tmp_path)


def expected(scenario, replications: int = 4, seed: int = 1) -> dict[str, float]:
    runs = [simulate(scenario, seed=seed, replication=r).kpis for r in range(replications)]
    return {k: float(np.mean([run[k] for run in runs])) for k in ("nps", "service_level")}


def test_moving_a_lever_in_the_page_shows_what_simulate_gives(lab_url: str, tmp_path: Path):
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    base = presets.load("baseline")
    before, after = expected(base), expected(base.replace(agents=26))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            page.goto(lab_url, timeout=120_000)
            nps = page.locator('div[style*="font-size:48px"]')
            expect(nps).to_have_text(f"{before['nps']:.1f}", timeout=120_000)
            tiles = page.get_by_text(tile_text("service_level", before["service_level"]))
            expect(tiles.first).to_be_visible()

            agents = page.locator(".widget-hbox", has=page.get_by_text("Agents", exact=True))
            box = agents.last.locator("input[type=number]")  # the number box beside it
            expect(box).to_have_value("30")
            box.click()
            page.keyboard.press("Control+A")
            page.keyboard.type("26")
            page.keyboard.press("Enter")
            handle = agents.last.locator(".noUi-handle")
            expect(handle).to_have_attribute("aria-valuenow", "26.0")  # the slider follows

            expect(nps).to_have_text(f"{after['nps']:.1f}", timeout=60_000)
            level = tile_text("service_level", after["service_level"])
            expect(page.get_by_text(level, exact=True).first).to_be_visible()
            page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "lab.png").stat().st_size > 10_000


PREDICTION_NOTEBOOK = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": (
                "from servicesim.widgets import Prediction\n"
                "Prediction('Cut the target: the NPS?', ['rises', 'about the same', 'falls'], "
                "answer='NPS falls by 9 points', conclusion='Shorter contacts solve fewer "
                "issues.', correct='falls')"
            ),
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture
def prediction_url(tmp_path: Path):
    import json

    (tmp_path / "predict.ipynb").write_text(json.dumps(PREDICTION_NOTEBOOK), encoding="utf-8")
    command = [sys.executable, "-m", "voila", "predict.ipynb", "--no-browser"]
    command += ["--Voila.ip=127.0.0.1", "--port"]
    yield from serve(command, tmp_path)


def test_a_prediction_is_made_revealed_and_shown_beside_the_model(
    prediction_url: str, tmp_path: Path
) -> None:
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.goto(prediction_url, timeout=120_000)
            reveal = page.get_by_role("button", name="Reveal")
            expect(reveal).to_be_disabled(timeout=120_000)
            page.get_by_role("button", name="rises").click()
            expect(reveal).to_be_enabled()
            reveal.click()
            expect(page.get_by_text("Your guess: rises")).to_be_visible()
            expect(page.get_by_text("The model: NPS falls by 9 points")).to_be_visible()
            expect(page.get_by_text("Shorter contacts solve fewer issues.")).to_be_visible()
            page.screenshot(path=str(tmp_path / "prediction.png"), full_page=True)

            # the same from the keyboard: Tab to a choice, Space picks it, Tab, Enter reveals
            page.reload()
            reveal = page.get_by_role("button", name="Reveal")
            expect(reveal).to_be_disabled(timeout=120_000)
            page.get_by_role("button", name="rises").focus()
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            page.keyboard.press("Space")
            expect(reveal).to_be_enabled()
            page.keyboard.press("Tab")
            page.keyboard.press("Enter")
            expect(page.get_by_text("Your guess: falls")).to_be_visible()
        finally:
            browser.close()


def one_cell_notebook(source: str) -> dict:
    """A notebook of one code cell, for Voila to serve."""
    cell = {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": []}
    return {**PREDICTION_NOTEBOOK, "cells": [{**cell, "source": source}]}


@pytest.fixture
def breakdowns_url(tmp_path: Path):
    import json

    source = "from servicesim.widgets import BreakdownScores\nBreakdownScores(breakdowns=1)"
    notebook = one_cell_notebook(source)
    (tmp_path / "breakdowns.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    command = [sys.executable, "-m", "voila", "breakdowns.ipynb", "--no-browser"]
    command += ["--Voila.ip=127.0.0.1", "--port"]
    yield from serve(command, tmp_path)


def test_the_breakdown_form_is_scored_from_the_keyboard_and_shows_names_as_text(
    breakdowns_url: str, tmp_path: Path
) -> None:
    """Workbook 6's form as a participant meets it: type a name, move a score with the arrow
    keys (each press counts), show the totals; the name is text, never markup."""
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.goto(breakdowns_url, timeout=120_000)
            name = page.get_by_placeholder("e.g. the billing mix-up last Tuesday")
            expect(name).to_be_visible(timeout=120_000)
            name.fill("<b>bold</b> bill")
            handle = page.locator(".noUi-handle").first  # the Process slider
            handle.focus()
            for _ in range(4):
                page.keyboard.press("ArrowRight")
            expect(handle).to_have_attribute("aria-valuenow", "4.0")
            second = page.locator(".noUi-handle").nth(2)  # Presentation
            second.focus()
            page.keyboard.press("ArrowRight")
            expect(second).to_have_attribute("aria-valuenow", "1.0")
            page.get_by_role("button", name="Show my totals").click()
            # Process 4 of 4 + 1 = 5 points (untouched sliders count 0): 80 %
            expect(page.get_by_text("Process (80 % of your points)")).to_be_visible(timeout=60_000)
            expect(page.get_by_text("<b>bold</b> bill")).to_be_visible()
            expect(page.locator("b", has_text="bold")).to_have_count(0)
            expect(page.locator("img").first).to_be_visible(timeout=60_000)
            page.screenshot(path=str(tmp_path / "breakdowns.png"), full_page=True)
        finally:
            browser.close()
    assert (tmp_path / "breakdowns.png").stat().st_size > 10_000


# --- the facilitator's kit, offline ------------------------------------------------------------


def pdf_pages(pdf: bytes) -> int:
    import re

    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_slides_and_printables_open_offline_and_print_at_their_size(tmp_path: Path) -> None:
    """The kit as a facilitator meets it on a laptop with no network: the deck moves with the
    arrow keys and shows its notes on N; the handout and the assumptions card print on one
    A4 or Letter page each, and nothing is fetched from anywhere."""
    from playwright.sync_api import expect, sync_playwright

    from servicesim.kit.pages import source, write_kit

    need_chromium()
    write_kit(tmp_path / "kit", Path(__file__).resolve().parents[1] / "workbooks")
    slides = source("slides.md").count("\n---\n") + 1
    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
            context.on(
                "request",
                lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else 0,
            )
            page = context.new_page()
            page.goto((tmp_path / "kit" / "slides.html").as_uri())
            current = page.locator(".slide.current")
            expect(current).to_have_count(1)
            expect(current.locator("h1")).to_contain_text("Running Northbrook")
            page.keyboard.press("ArrowRight")
            expect(current.locator("h1")).to_have_text("Dana's brief")
            assert page.evaluate("location.hash") == "#2"
            notes = current.locator(".notes")
            expect(notes).to_be_hidden()
            page.keyboard.press("n")
            expect(notes).to_be_visible()
            expect(notes).to_contain_text("Read the brief aloud")
            page.screenshot(path=str(tmp_path / "slide-2.png"))
            page.keyboard.press("End")
            expect(current.locator("h1")).to_have_text("After today")
            assert pdf_pages(page.pdf(width="254mm", height="142.9mm")) == slides
            for name in ("handout.html", "assumptions.html"):
                page.goto((tmp_path / "kit" / name).as_uri())
                page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
                for paper in ("A4", "Letter"):
                    assert pdf_pages(page.pdf(format=paper)) == 1, (name, paper)
        finally:
            browser.close()
    assert fetched == [], f"the kit fetched {fetched}"
    assert (tmp_path / "slide-2.png").stat().st_size > 10_000


def test_teams_upload_designs_in_the_lab_and_the_projector_scores_them(
    lab_url: str, tmp_path: Path
) -> None:
    """The table challenge as a room plays it on a lab served from the facilitator's laptop:
    two pages upload designs; a third presses Score and sees every design ranked as
    ``challenge.score`` ranks them, the uploads in the folder the lab was started in."""
    from playwright.sync_api import expect, sync_playwright

    from servicesim import briefs, load
    from servicesim.challenge import score

    need_chromium()
    offered = 'base = "baseline"\nagents = 26\nbot_share = 1.0\nalways_offer_human = true\n'
    designs = {
        "red.toml": offered,
        "blue.toml": offered,
        "rogue.toml": 'base = "baseline"\nagents = 26\nneed_minutes = 3.5\n',
    }
    for name, text in designs.items():
        (tmp_path / "teams" / name).parent.mkdir(exist_ok=True)
        (tmp_path / "teams" / name).write_text(text, encoding="utf-8")
    expected_board = score(
        briefs.load("northbrook"),
        {Path(n).stem: load(tmp_path / "teams" / n) for n in designs},
        replications=10,
        seed=1,
    ).table
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for files in (["red.toml"], ["blue.toml", "rogue.toml"]):  # two teams' pages
                team = browser.new_page()
                team.goto(lab_url, timeout=120_000)
                upload = team.locator(".widget-upload", has_text="Upload designs")
                expect(upload).to_be_visible(timeout=120_000)
                with team.expect_file_chooser() as chooser:  # as a team picks its files
                    upload.click()
                chooser.value.set_files([str(tmp_path / "teams" / f) for f in files])
                for f in files:
                    listed = team.get_by_text(Path(f).stem, exact=False).first
                    expect(listed).to_be_visible(timeout=30_000)
                team.close()
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(lab_url, timeout=120_000)
            button = page.get_by_role("button", name="Score the designs")
            expect(button).to_be_visible(timeout=120_000)
            button.click()
            table = page.locator("table", has_text="why it is out")
            expect(table).to_be_visible(timeout=120_000)
            for design, row in expected_board.iterrows():
                cells = table.locator("tr", has=page.locator("th", has_text=str(design)))
                rank = "out" if not row["valid"] else f"{row['rank']}{' (tie)' * row['tied']}"
                expect(cells.locator("td").first).to_have_text(rank)
            table.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "scoreboard.png"), full_page=True)
        finally:
            browser.close()
    assert sorted(p.name for p in (tmp_path / "challenge-designs").iterdir()) == sorted(designs)
    assert (tmp_path / "scoreboard.png").stat().st_size > 10_000


def test_without_chromium_the_browser_tests_skip_with_their_reason_except_in_ci(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys.modules[__name__], "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="chromium is not at"):
        need_chromium()
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI needs it"):
        need_chromium()
