"""Tests of the command line: listings, run and compare output, files, and one-line errors.

Most tests call ``main([...])`` directly; one runs ``python -m servicesim.cli`` in a subprocess
to prove the module entry point works. Runs are kept short where the numbers do not matter.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import servicesim
from servicesim import DEFAULT_SEED, Scenario, load, presets, replicate, simulate
from servicesim.cli import main, parse_set
from servicesim.results import KPI_INFO

SHORT = ["--set", "horizon_hours=1"]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of ``servicesim argv...``."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def table_rows(out: str) -> dict[str, list[str]]:
    """KPI name -> the other cells of its row in a printed KPI table."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if cells and cells[0] in KPI_INFO:
            rows[cells[0]] = cells[1:]
    return rows


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --- listings -------------------------------------------------------------------------------


def test_presets_lists_names_and_descriptions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "presets")
    assert code == 0
    for name in ("baseline", "erlang"):
        assert f"\n{name} " in f"\n{out}", f"preset {name!r} missing from:\n{out}"
    assert "Textbook queue" in out, "erlang's description is missing"


def test_params_lists_every_field_with_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "params")
    assert code == 0
    assert "agents = 30  (agents)" in out, out
    assert Scenario.spec("agents").allowed() in out
    for name in Scenario.specs():
        assert f"  {name} = " in out, f"parameter {name!r} missing"


def test_params_group_lists_only_that_group(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "params", "--group", "bot")
    assert code == 0
    assert "bot_share" in out
    assert "agents =" not in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0
    assert servicesim.__version__ in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("agents=28", ("agents", 28)),
        ("patience_minutes=inf", ("patience_minutes", math.inf)),
        ("agents=[20,25,30]", ("agents", [20, 25, 30])),
        ("priority=new", ("priority", "new")),
        ('name="a b"', ("name", "a b")),
        ("description=x = y", ("description", "x = y")),
    ],
)
def test_set_values_are_read_as_toml(text: str, expected: tuple) -> None:
    assert parse_set(text) == expected


# --- run -----------------------------------------------------------------------------------


def test_run_prints_the_headline_kpis_and_every_kpi_with_all(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from servicesim.kpis import HEADLINE_KPIS

    code, out, err = run_cli(capsys, "run", "baseline")
    assert code == 0, err
    assert "'baseline'" in out.splitlines()[0] and "--set" not in out.splitlines()[0]
    assert list(table_rows(out)) == list(HEADLINE_KPIS), out
    assert "--all for every KPI" in out
    code, out, err = run_cli(capsys, "run", "baseline", "--all")
    assert code == 0, err
    rows = table_rows(out)
    assert list(rows) == list(KPI_INFO), out
    assert all(cells[-1] == KPI_INFO[k][0] for k, cells in rows.items()), "unit column wrong"
    assert "--all for every KPI" not in out


def test_the_header_names_what_set_changed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "run", "baseline", *SHORT, "--set", "agents=28")
    assert code == 0
    assert out.splitlines()[0].startswith(
        "Scenario 'baseline', changed by --set horizon_hours=1, agents=28: 1 replication"
    )


def test_a_star_marks_only_a_change_whose_printed_interval_excludes_0() -> None:
    from servicesim.tables import kpi_table

    base = presets.load("baseline").replace(horizon_hours=1.0)
    tiny = base.replace(cost_per_bot_contact=base.cost_per_bot_contact + 1e-5)
    comparison = servicesim.compare(
        {"now": base, "tiny": tiny, "more": base.replace(agents=33)}, 3, seed=2
    )
    stored = comparison.differences.loc[("tiny", "cost_per_contact")]
    assert stored["significant"] and stored["ci_low"] > 0, "a real, tiny rise in cost"
    table = kpi_table(comparison, ["cost_per_contact", "occupancy"])
    row = table.loc[("cost_per_contact", "tiny")]
    assert (row["ci_low"], row["ci_high"], row["sig"]) == ("0.00", "0.00", ""), row.to_dict()
    occupancy = table.loc[("occupancy", "more")]
    assert occupancy["sig"] == "*" and float(occupancy["ci_high"]) < 0, "33 agents are less busy"


def test_run_reps_prints_means_of_replicate(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "run", "baseline", "--reps", "3", "--seed", "1", "--all")
    assert code == 0, err
    assert "3 replications, seed 1" in out
    assert "ci_low" in out and "ci_high" in out
    expected = replicate(presets.load("baseline"), replications=3, seed=1).summary["mean"]
    rows = table_rows(out)
    assert list(rows) == list(expected.index)
    for kpi, cells in rows.items():
        shown = cells[0]
        decimals = len(shown.partition(".")[2])
        assert abs(float(shown) - expected[kpi]) <= 0.5 * 10**-decimals + 1e-9, (
            f"{kpi}: printed {shown}, replicate gives {expected[kpi]}"
        )


def test_run_out_writes_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_dir = tmp_path / "new" / "folder"
    code, out, err = run_cli(
        capsys, "run", "baseline", *SHORT, "--reps", "2", "--seed", "5", "--out", str(out_dir)
    )
    assert code == 0, err
    assert str(out_dir) in out
    names = {"kpis.csv", "runs.csv", "contacts.csv", "issues.csv", "agents.csv", "intervals.csv"}
    assert set(snapshot(out_dir)) == names | {"scenario.toml", ".servicesim.json"}
    manifest = json.loads((out_dir / ".servicesim.json").read_text(encoding="utf-8"))
    assert manifest["command"] == "run", "the folder says which command wrote it"
    assert sorted(manifest["files"]) == sorted(names | {"scenario.toml"}), "and what it wrote"
    scenario = load(out_dir / "scenario.toml")
    assert scenario == presets.load("baseline").replace(horizon_hours=1)
    days = [simulate(scenario, 5, replication=r) for r in (0, 1)]
    contacts = pd.read_csv(out_dir / "contacts.csv")
    assert list(contacts.columns[:2]) == ["replication", "contact_id"]
    for r, day in enumerate(days):  # every replication's contacts, told apart
        mine = contacts[contacts.replication == r]
        assert len(mine) == len(day.contacts)
        assert mine.wait_minutes.sum() == pytest.approx(day.contacts.wait_minutes.sum())
    issues = pd.read_csv(out_dir / "issues.csv")
    assert issues.groupby("replication").size().tolist() == [len(d.issues) for d in days]
    intervals = pd.read_csv(out_dir / "intervals.csv")
    assert intervals.groupby("replication").size().tolist() == [len(d.intervals) for d in days]
    assert "every replication's" in out
    assert len(pd.read_csv(out_dir / "runs.csv")) == 2
    kpis = pd.read_csv(out_dir / "kpis.csv")
    assert list(kpis.columns) == ["kpi", "mean", "ci_low", "ci_high", "half_width", "n", "unit"]


def test_run_out_single_rep_writes_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run_cli(capsys, "run", "baseline", *SHORT, "--out", str(tmp_path))
    assert code == 0, err
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert len(runs) == 1, "a single run still writes runs.csv, with one row"
    kpis = pd.read_csv(tmp_path / "kpis.csv", index_col="kpi")
    assert list(kpis.columns) == ["value", "unit"]
    expected = simulate(presets.load("baseline").replace(horizon_hours=1), DEFAULT_SEED).kpis
    assert kpis["value"].to_dict() == pytest.approx(expected, nan_ok=True)


def test_run_out_never_overwrites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run_cli(capsys, "run", "baseline", *SHORT, "--out", str(tmp_path))[0] == 0
    before = snapshot(tmp_path)
    code, out, err = run_cli(
        capsys, "run", "baseline", *SHORT, "--seed", "3", "--out", str(tmp_path)
    )
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("servicesim: error: ")
    assert "kpis.csv" in err and "scenario.toml" in err and "--force" in err
    assert out == "", "nothing should run when the output folder is taken"
    assert snapshot(tmp_path) == before, "files changed although --force was not given"


def test_run_force_overwrites(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run_cli(capsys, "run", "baseline", *SHORT, "--out", str(tmp_path))[0] == 0
    code, _, err = run_cli(
        capsys,
        "run",
        "baseline",
        *SHORT,
        "--set",
        "agents=12",
        "--out",
        str(tmp_path),
        "--force",
    )
    assert code == 0, err
    assert load(tmp_path / "scenario.toml").agents == 12


def test_set_changes_the_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run_cli(
        capsys,
        "run",
        "baseline",
        *SHORT,
        "--set",
        "agents=28",
        "--set",
        "patience_minutes=inf",
        "--set",
        "priority=new",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    scenario = load(tmp_path / "scenario.toml")
    assert (scenario.agents, scenario.patience_minutes, scenario.priority) == (28, math.inf, "new")


def test_workers_do_not_change_the_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["run", "baseline", *SHORT, "--reps", "3"]
    outputs = [run_cli(capsys, *args, "--workers", k)[1] for k in ("1", "2")]
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["run", "no-such-preset"], "no-such-preset"),
        (["run", "missing.toml"], "missing.toml"),
        (["run", "baseline", "--set", "agnets=3"], "'agents'"),
        (["run", "baseline", "--set", "agents=-1"], "agents"),
        (["run", "baseline", "--set", "agents"], "agents"),
        (["run", "baseline", "--set", "priority=urgent"], "priority"),
        (["run", "baseline", "--reps", "0"], "reps"),
        (["run", "baseline", "--seed", "-1"], "seed"),
        (["run", "baseline", "--workers", "0"], "workers"),
        (["compare", "baseline"], "2 scenarios"),
        (["lab", "--port", "0"], "--port=0"),
        (["lab", "--max-sessions", "0"], "--max-sessions=0"),
        (["lab", "--idle-minutes", "0"], "--idle-minutes=0.0"),
        (["lab", "--idle-minutes", "nan"], "--idle-minutes=nan"),
        (["lab", "--host", "my laptop"], "--host='my laptop'"),
    ],
)
def test_bad_input_gives_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], needle: str
) -> None:
    code, _, err = run_cli(capsys, *argv)
    assert code == 2
    assert err.startswith("servicesim: error: ") and err.count("\n") == 1, err
    assert needle in err
    assert "Traceback" not in err


def test_usage_errors_still_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "run", "baseline", "--reps", "many")
    assert code == 2
    assert "--reps" in err and "Traceback" not in err


# --- compare -------------------------------------------------------------------------------


def test_compare_prints_paired_differences(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    variant = tmp_path / "fewer.toml"
    variant.write_text('base = "baseline"\n[staffing]\nagents = 22\n', encoding="utf-8")
    out_dir = tmp_path / "out"
    code, out, err = run_cli(
        capsys,
        "compare",
        "baseline",
        str(variant),
        *SHORT,
        "--reps",
        "5",
        "--out",
        str(out_dir),
        "--all",
    )
    assert code == 0, err
    assert "baseline#2" in out, "the second 'baseline' should be told apart"
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("occupancy "))
    reference, variant_row = lines[at].split(), lines[at + 1].split()
    assert reference[1] == "baseline" and variant_row[0] == "baseline#2", out
    assert variant_row[-2] == "*", f"fewer agents should raise occupancy: {lines[at + 1]}"
    differences = pd.read_csv(out_dir / "differences.csv", index_col=["scenario", "kpi"])
    assert differences.loc[("baseline#2", "agents_on_shift"), "mean"] == pytest.approx(-8)
    assert set(snapshot(out_dir)) == {
        "summary.csv",
        "differences.csv",
        "runs.csv",
        "scenario-1-baseline.toml",
        "scenario-2-baseline_2.toml",
        ".servicesim.json",
    }
    saved = load(out_dir / "scenario-2-baseline_2.toml")
    assert saved.agents == 22, "each compared scenario is saved exactly as it ran"
    again = run_cli(capsys, "compare", "baseline", str(variant), *SHORT, "--out", str(out_dir))
    assert again[0] == 2 and "summary.csv" in again[2]


# --- the module entry point ------------------------------------------------------------------


def test_module_entry_point_runs() -> None:
    command = [sys.executable, "-m", "servicesim.cli", "run", "baseline", *SHORT]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "service_level" in done.stdout
    bad = subprocess.run([*command, "--set", "agnets=3"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "servicesim: error: unknown scenario field 'agnets'; did you mean 'agents'?"
    ]


#: What a name may carry that a terminal would act on: clear the screen, move the cursor home,
#: turn the text red, and a C1 control sequence introducer.
TERMINAL_TRICKS = "\x1b[2J\x1b[H\x1b[31mred\x9b0m"


def test_names_reach_the_terminal_shown_not_obeyed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    short = presets.load("baseline").replace(horizon_hours=1.0, warmup_hours=0.0)
    short.replace(name=f"ours {TERMINAL_TRICKS}").to_toml(tmp_path / "a.toml")
    short.replace(name=f"theirs {TERMINAL_TRICKS}", agents=25).to_toml(tmp_path / "b.toml")
    code, out, err = run_cli(
        capsys, "compare", str(tmp_path / "a.toml"), str(tmp_path / "b.toml"), "--reps", "2"
    )
    assert code == 0, err
    assert "ours \\x1b[2J\\x1b[H\\x1b[31mred\\x9b0m" in out, out
    assert not any(c in out for c in "\x1b\x9b"), "a control character reached the terminal"
    code, _, err = run_cli(capsys, "run", str(tmp_path / f"missing {TERMINAL_TRICKS}.toml"))
    assert code == 2 and "missing" in err, err
    assert not any(c in err for c in "\x1b\x9b"), "a control character reached the terminal"
