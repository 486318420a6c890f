"""`servicesim report`: a papermill-executed notebook rendered to HTML a manager can read."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from servicesim import compare, presets, replicate
from servicesim.cli import main
from servicesim.reporting import REPORT_NOTEBOOK, headline_kpis
from servicesim.tables import change_sentence, plain_table

pytestmark = pytest.mark.slow


def test_report_reads_as_a_manager_reads_and_shows_no_code(tmp_path: Path, capfd) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "baseline", "--vs", "bots-first", "--reps", "3", "--seed", "4",
                 "--currency", "€", "--out", str(out)]) == 0  # fmt: skip
    err = capfd.readouterr().err
    assert "Warning" not in err and "WARNING" not in err, err
    html = out.read_text(encoding="utf-8")
    assert "<title>Service report: baseline against bots-first</title>" in html
    base, bots = presets.load("baseline"), presets.load("bots-first")
    comparison = compare({"baseline": base, "bots-first": bots}, replications=3, seed=4)
    for kpi in ("nps", "service_level", "cost_per_resolution"):  # the headline, in words
        assert change_sentence(comparison, "bots-first", kpi, currency="€") in html, kpi
    table = plain_table(replicate(base, replications=3, seed=4), headline_kpis(), currency="€")
    assert table.at["Cost per resolved issue", "average"].startswith("€"), "the currency setting"
    for label in ("NPS", "Service level", "Cost per resolved issue", "Resolved first time"):
        assert re.search(rf">{label}</th>\s*<td>{re.escape(table.at[label, 'average'])}</td>", html)
    assert table.at["Service level", "average"].endswith(" %"), "shares as percentages"
    assert ">service_level<" not in html and ">fcr<" not in html, "no code names"
    changes = plain_table(comparison, headline_kpis(), currency="€")
    assert changes.at["NPS", "bots-first: change"] in html
    assert "agents: 30 → 16" in html and "3 days of 8 hours, seed 4" in html
    assert "95 % confidence intervals from 3 simulated days" in html
    assert html.count("<img") >= 3, "the comparison, the cause-change chart and the day"
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
    assert main(["report", "baseline", "--currency", "<b>", "--out", str(tmp_path / "x.html")]) == 2
    assert "--currency='<b>' is not allowed" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_the_parameters_are_typed_and_documented() -> None:
    import papermill

    params = papermill.inspect_notebook(str(REPORT_NOTEBOOK))
    assert {name: p["inferred_type_name"] for name, p in params.items()} == {
        "scenario": "str",
        "vs": "str",
        "replications": "int",
        "seed": "int",
        "currency": "str",
    }
    assert all(p["help"] for p in params.values())
