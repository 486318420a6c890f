"""`servicesim report`: a papermill-executed notebook rendered to HTML a manager can read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicesim import compare, kpi_table, presets, replicate
from servicesim.cli import main
from servicesim.reporting import REPORT_NOTEBOOK, headline_kpis, render_report

pytestmark = pytest.mark.slow


def test_report_shows_the_tables_and_figures_without_code(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    render_report("baseline", out, vs="bots-first", replications=3, seed=4)
    html = out.read_text(encoding="utf-8")
    assert "Service simulation report" in html
    table = kpi_table(replicate(presets.load("baseline"), replications=3, seed=4), headline_kpis())
    for kpi in ("nps", "service_level", "cost_per_contact"):
        assert re.search(rf">{kpi}</th>\s*<td>{re.escape(table.at[kpi, 'mean'])}</td>", html), kpi
    diff = kpi_table(
        compare(
            {"baseline": presets.load("baseline"), "bots-first (vs)": presets.load("bots-first")},
            replications=3,
            seed=4,
        ),
        ["nps"],
    )
    assert diff.loc[("nps", "bots-first (vs)"), "diff"] in html
    assert "agents: 30 → 16" in html
    assert "95 % confidence intervals from 3 simulated days" in html
    assert html.count("<img") >= 2, "the day's figure and the cause-change chart are embedded"
    assert "from servicesim" not in html and "papermill" not in html.lower(), "no code shown"


def test_report_refuses_to_overwrite_and_checks_inputs_first(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r.html"
    out.write_text("mine", encoding="utf-8")
    assert main(["report", "baseline", "--out", str(out), "--reps", "3"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "mine"
    assert main(["report", "baselin", "--out", str(tmp_path / "x.html")]) == 2
    assert "did you mean 'baseline'" in capsys.readouterr().err
    assert main(["report", "baseline", "--out", str(tmp_path / "x.txt")]) == 2
    assert "ending in .html" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_the_parameters_are_typed_and_documented() -> None:
    import papermill

    params = papermill.inspect_notebook(str(REPORT_NOTEBOOK))
    assert {name: p["inferred_type_name"] for name, p in params.items()} == {
        "scenario": "str",
        "vs": "str",
        "replications": "int",
        "seed": "int",
    }
    assert all(p["help"] for p in params.values())
