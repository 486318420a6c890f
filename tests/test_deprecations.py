"""Every renamed name still works for a while, with a DeprecationWarning naming the new one.

Each test checks three things: the warning, that it names the new spelling, and that the old
spelling gives exactly what the new one gives.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pandas as pd
import pytest

from servicesim import (
    DEFAULT_SEED,
    Scenario,
    compare,
    kpi_table,
    load,
    presets,
    replicate,
    simulate,
    sweeps,
)
from servicesim.cli import build_parser
from servicesim.experiment import SequentialExecutor
from servicesim.reporting import render_report
from servicesim.staffing import staffing_curve
from servicesim.widgets import Dashboard, Lab

TINY = presets.load("baseline").replace(horizon_hours=0.5)
OTHER = TINY.replace(agents=20, name="fewer")


def test_replicate_n_is_now_replications() -> None:
    with pytest.warns(DeprecationWarning, match="'n' in replicate.*use 'replications'"):
        old = replicate(TINY, n=2, seed=3, executor=SequentialExecutor())
    new = replicate(TINY, replications=2, seed=3, executor=SequentialExecutor())
    pd.testing.assert_frame_equal(old.runs, new.runs)


def test_compare_n_is_now_replications() -> None:
    pair = {"now": TINY, "fewer": OTHER}
    with pytest.warns(DeprecationWarning, match="'n' in compare.*use 'replications'"):
        old = compare(pair, n=2, seed=3, executor=SequentialExecutor())
    new = compare(pair, replications=2, seed=3, executor=SequentialExecutor())
    pd.testing.assert_frame_equal(old.runs, new.runs)


def test_old_and_new_name_together_is_an_error() -> None:
    with pytest.raises(ValueError, match="give replications only"):
        replicate(TINY, n=2, replications=2)


def test_render_report_reps_is_now_replications(tmp_path: Path) -> None:
    # replications=1 is refused after the rename, so the old name reaches the new check.
    with (
        pytest.warns(DeprecationWarning, match="'reps' in render_report.*'replications'"),
        pytest.raises(ValueError, match=r"replications=1 is not allowed.*\[2, "),
    ):
        render_report("baseline", tmp_path / "r.html", reps=1)


def test_replications_table_is_now_kpi_table() -> None:
    days = replicate(TINY, 2, seed=3, executor=SequentialExecutor())
    with pytest.warns(DeprecationWarning, match=r"servicesim.kpi_table\(replications, kpis\)"):
        old = days.table(["nps", "fcr"])
    pd.testing.assert_frame_equal(old, kpi_table(days, ["nps", "fcr"]))


def test_comparison_table_is_now_kpi_table() -> None:
    pair = compare({"now": TINY, "fewer": OTHER}, 2, seed=3, executor=SequentialExecutor())
    with pytest.warns(DeprecationWarning, match=r"servicesim.kpi_table\(comparison, kpis\)"):
        old = pair.table(["nps"])
    pd.testing.assert_frame_equal(old, kpi_table(pair, ["nps"]))


def test_scenario_from_toml_is_now_load(tmp_path: Path) -> None:
    path = OTHER.to_toml(tmp_path / "fewer.toml")
    with pytest.warns(DeprecationWarning, match=r"use servicesim.load\(path\)"):
        old = Scenario.from_toml(path)
    assert old == load(path) == OTHER


def test_presets_resolve_is_now_load() -> None:
    with pytest.warns(DeprecationWarning, match=r"use servicesim.load\(name_or_path\)"):
        old = presets.resolve("erlang")
    assert old == load("erlang")


def test_sweeps_staffing_curve_is_now_staffing() -> None:
    queue = presets.load("erlang").replace(
        arrivals_per_hour=60.0, horizon_hours=1.0, warmup_hours=0.0
    )
    options = {"target": 0.8, "replications": 1, "seed": 2, "executor": SequentialExecutor()}
    with pytest.warns(DeprecationWarning, match=r"servicesim.staffing.staffing_curve"):
        old = sweeps.staffing_curve(queue, **options)
    pd.testing.assert_frame_equal(old, staffing_curve(queue, **options).table)


def default_of(fn, name: str):
    return inspect.signature(inspect.unwrap(fn)).parameters[name].default


def test_one_default_seed_everywhere() -> None:
    defaults = {
        "simulate": default_of(simulate, "seed"),
        "replicate": default_of(replicate, "seed"),
        "compare": default_of(compare, "seed"),
        "sweep": default_of(sweeps.sweep, "seed"),
        "staffing_curve": default_of(staffing_curve, "seed"),
        "render_report": default_of(render_report, "seed"),
        "Dashboard": default_of(Dashboard.__init__, "seed"),
        "Lab": default_of(Lab.__init__, "seed"),
    }
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for command in ("run", "compare", "sweep", "staffing", "report"):
        defaults[f"servicesim {command}"] = commands[command].get_default("seed")
    assert set(defaults.values()) == {DEFAULT_SEED}, defaults
    report = Path(inspect.getfile(render_report)).parent / "app" / "report.ipynb"
    assert f"seed: int = {DEFAULT_SEED}" in report.read_text(encoding="utf-8")


def test_one_replication_check_everywhere() -> None:
    """The same wording for a bad count, whichever entry point gets it."""
    with pytest.raises(ValueError, match=r"^replications=0 is not allowed; expected a whole"):
        replicate(TINY, 0)
    with pytest.raises(ValueError, match=r"^replications=0 is not allowed; expected a whole"):
        sweeps.sweep(sweeps.Sweep(TINY, {"agents": (20,)}), replications=0)
    with pytest.raises(ValueError, match=r"^replications=0 is not allowed; expected a whole"):
        staffing_curve(TINY, replications=0)
    with pytest.raises(ValueError, match=r"^replications=60 is not allowed; expected a whole"):
        Dashboard(TINY, ["agents"], replications=60)
