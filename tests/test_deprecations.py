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


# --- renamed fields, columns and KPIs ----------------------------------------------------------

RENAMED = pytest.warns(DeprecationWarning, match="'handle_minutes'.*use 'need_minutes'")


def test_field_handle_minutes_is_now_need_minutes_as_a_keyword() -> None:
    with pytest.warns(DeprecationWarning) as caught:
        old = Scenario(handle_minutes=6.0, handle_cv=0.5)
    said = " ".join(str(w.message) for w in caught)
    assert "'handle_minutes' in Scenario(...)" in said and "use 'need_minutes'" in said
    assert "'handle_cv' in Scenario(...)" in said and "use 'need_cv'" in said
    assert old == Scenario(need_minutes=6.0, need_cv=0.5)


def test_field_handle_minutes_is_now_need_minutes_in_replace_and_as_an_attribute() -> None:
    with pytest.warns(DeprecationWarning, match="'handle_minutes' in replace.*'need_minutes'"):
        old = TINY.replace(handle_minutes=6.0)
    assert old == TINY.replace(need_minutes=6.0)
    with pytest.warns(DeprecationWarning, match=r"Scenario.handle_minutes.*Scenario.need_minutes"):
        assert old.handle_minutes == 6.0


def test_field_handle_minutes_is_now_need_minutes_in_toml(tmp_path: Path) -> None:
    path = tmp_path / "old.toml"
    path.write_text('base = "baseline"\n[staffing]\nhandle_minutes = 6.0\n', encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="'handle_minutes'.*'need_minutes'"):
        old = load(path)
    assert old == presets.load("baseline").replace(need_minutes=6.0)


def test_field_handle_minutes_is_now_need_minutes_on_the_command_line(capsys) -> None:
    from servicesim.cli import main

    with pytest.warns(DeprecationWarning, match="'handle_minutes'.*'need_minutes'"):
        code = main(["run", "erlang", "--set", "horizon_hours=3", "--set", "handle_minutes=2"])
    assert code == 0
    old = capsys.readouterr().out
    assert main(["run", "erlang", "--set", "horizon_hours=3", "--set", "need_minutes=2"]) == 0
    assert capsys.readouterr().out == old


def test_field_handle_minutes_is_now_need_minutes_in_sweeps_and_levers() -> None:
    with pytest.warns(DeprecationWarning, match="'handle_minutes' in vary.*'need_minutes'"):
        spec = sweeps.Sweep(TINY, {"handle_minutes": (4.0, 5.0)})
    assert spec.points() == [{"need_minutes": 4.0}, {"need_minutes": 5.0}]
    from servicesim.widgets.controls import lever

    with pytest.warns(DeprecationWarning, match="lever 'handle_minutes'.*'need_minutes'"):
        control = lever("handle_minutes")
    assert control.lever_name == "need_minutes"


def test_a_single_runs_nps_interval_is_gone_with_a_message_saying_what_to_use() -> None:
    result = simulate(TINY, seed=3)
    for name in ("nps_ci", "nps_half_width"):
        assert name not in result.kpis
        with pytest.raises(KeyError, match=f"{name}.*removed.*replicate"):
            result.kpis[name]
    days = replicate(TINY, 2, seed=3, executor=SequentialExecutor())
    with pytest.raises(KeyError, match=r"nps_half_width.*removed.*--reps"):
        days.runs["nps_half_width"]
    assert "nps_half_width" not in result.nps_by().columns
    with pytest.raises(KeyError):
        result.kpis["no_such_kpi"]


@pytest.mark.parametrize(
    ("table", "old", "new"),
    [
        ("contacts", "wait_min", "wait_minutes"),
        ("contacts", "arrival_min", "arrival_minutes"),
        ("contacts", "handle_min", "handle_minutes"),
        ("issues", "total_wait_min", "total_wait_minutes"),
        ("intervals", "end_min", "end_minutes"),
    ],
)
def test_columns_in_minutes_are_now_named_minutes(table: str, old: str, new: str) -> None:
    frame = getattr(simulate(TINY, seed=3), table)
    assert new in frame.columns and old not in frame.columns
    with pytest.warns(DeprecationWarning, match=f"column '{old}'.*'{new}'"):
        by_key = frame[old]
    with pytest.warns(DeprecationWarning, match=f"column '{old}'.*'{new}'"):
        by_attribute = getattr(frame, old)
    pd.testing.assert_series_equal(by_key, frame[new])
    pd.testing.assert_series_equal(by_attribute, frame[new])
