"""User text in a real browser: a report and the lab opened in Chromium with names,
descriptions and file names that hold markup (tests/hostile.py); none of it runs or renders,
and each shows as written."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hostile import ALL, HOSTILE, assert_shown_as_text
from test_browser import CHROMIUM, need_chromium, serve

from servicesim import presets
from servicesim.cli import main

pytestmark = pytest.mark.slow

#: A short day, so a report or a comparison of it takes seconds.
SHORT = presets.load("baseline").replace(horizon_hours=2.0, warmup_hours=0.0)
OTHER = f"other {HOSTILE[0]} {HOSTILE[-1]}"

#: What the page says about the user's markup: did any of it run, or become an element?
PAGE_STATE = """() => ({
    pwned: window.__pwned ?? window.top.__pwned ?? null,
    scripts: [...document.scripts].filter(s => s.textContent.includes("__pwned")).length,
    frames: document.querySelectorAll("iframe").length,
    handlers: document.querySelectorAll("[onerror]").length,
    links: document.querySelectorAll('a[href^="javascript:"]').length,
    bold: [...document.querySelectorAll("strong, b, em")].filter(
        e => e.textContent === "bold").length,
    mathjax: [...document.scripts].filter(s => /mathjax/i.test(s.src)).length,
})"""
NOTHING_RAN = {"pwned": None, "scripts": 0, "frames": 0, "handlers": 0, "links": 0, "bold": 0}


def test_a_report_shows_markup_in_names_and_descriptions_as_text(tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    SHORT.replace(name=ALL, description=ALL).to_toml(tmp_path / "mine.toml")
    SHORT.replace(name=OTHER, description=ALL, agents=25).to_toml(tmp_path / "theirs.toml")
    out = tmp_path / "report.html"
    argv = ["report", str(tmp_path / "mine.toml"), "--vs", str(tmp_path / "theirs.toml")]
    assert main([*argv, "--reps", "2", "--out", str(out)]) == 0
    assert_shown_as_text(out.read_text(encoding="utf-8"), "the report's HTML", [ALL, OTHER])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_context(offline=True).new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(out.as_uri())
            expect(page.locator("h1")).to_contain_text(f"Service report: {ALL} against {OTHER}")
            assert page.title() == f"Service report: {ALL} against {OTHER}", "the browser tab"
            opening = page.locator("p", has_text="Scenario:")
            expect(opening).to_have_text(f"Scenario: {ALL}. {ALL}")
            compared = page.locator("p", has_text="Compared with:")
            expect(compared).to_contain_text(f"Compared with: {OTHER}. {ALL} Changes: agents")
            expect(page.locator("p", has_text="In short.")).to_contain_text(f"({ALL}) →")
            expect(page.locator("th", has_text=ALL).first).to_be_visible()  # the tables
            state = page.evaluate(PAGE_STATE)
            page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        finally:
            browser.close()
    assert {k: state[k] for k in NOTHING_RAN} == NOTHING_RAN, state
    assert state["mathjax"] == 0, "a report loads no MathJax: $...$ in a name stays as written"
    assert dialogs == [], dialogs


@pytest.fixture
def lab_url(tmp_path: Path):
    yield from serve([sys.executable, "-m", "servicesim.cli", "lab", "--port"], tmp_path)


def test_the_lab_shows_an_uploaded_scenarios_markup_as_text(lab_url: str, tmp_path: Path):
    """A manager uploads a scenario whose name and description hold markup, keeps it and a
    second set-up, and compares them; a broken file whose name holds markup is refused with
    that name shown as written."""
    from playwright.sync_api import expect, sync_playwright

    need_chromium()
    mine = tmp_path / "uploads" / "mine.toml"
    mine.parent.mkdir()
    SHORT.replace(name=ALL, description=ALL).to_toml(mine)
    broken_name = '<img src=x onerror="window.__pwned=4">.toml'  # a file name holds no "/"
    broken = tmp_path / "uploads" / broken_name
    broken.write_text("agents = = 3\n", encoding="utf-8")  # not TOML: the error names it
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1800})
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(lab_url, timeout=120_000)
            upload = page.locator(".widget-upload", has_text="Upload TOML")
            expect(upload).to_be_visible(timeout=120_000)
            with page.expect_file_chooser() as chooser:
                upload.click()
            chooser.value.set_files(str(broken))
            expect(page.get_by_text(broken_name).first).to_be_visible(timeout=60_000)
            with page.expect_file_chooser() as chooser:
                upload.click()
            chooser.value.set_files(str(mine))
            name = page.locator(".widget-text", has=page.get_by_text("Name", exact=True))
            expect(name.locator("input")).to_have_value(ALL, timeout=60_000)
            page.get_by_role("button", name="Add to comparison").click()
            expect(page.locator("li", has_text=ALL)).to_have_text(f"{ALL} (reference)")
            name.locator("input").fill(OTHER)
            name.locator("input").press("Enter")
            page.get_by_role("button", name="Add to comparison").click()
            expect(page.locator("li", has_text=OTHER)).to_have_text(OTHER)
            page.get_by_role("button", name="Compare").click()
            table = page.locator("table", has_text="change")
            expect(table.locator("th", has_text=f"{OTHER}: change")).to_be_visible(timeout=120_000)
            expect(table.locator("th", has_text=ALL).first).to_be_visible()
            state = page.evaluate(PAGE_STATE)
            page.screenshot(path=str(tmp_path / "lab.png"), full_page=True)
        finally:
            browser.close()
    assert {k: state[k] for k in NOTHING_RAN} == NOTHING_RAN, state
    assert dialogs == [], dialogs
