"""Sweeps: grids and paired lists, common random numbers, writing as runs arrive, resume."""

from __future__ import annotations

import csv
from concurrent.futures import Future
from pathlib import Path

import pandas as pd
import pytest

from servicesim import presets
from servicesim.experiment import SequentialExecutor, run_kpis
from servicesim.sweeps import (
    MAX_POINTS,
    RUNS_FILE,
    Sweep,
    SweepInterrupted,
    expand_values,
    load_sweep,
    sweep,
)

SHORT = presets.load("baseline").replace(horizon_hours=1.0)


def small(**vary) -> Sweep:
    return Sweep(SHORT, {k: tuple(v) for k, v in vary.items()})


def write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the sweep file ---------------------------------------------------------------------------


def test_grid_ranges_and_paired_lists(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'base = "baseline"\n[vary]\nagents = [28, 30]\n'
        "care_minutes = { start = 0.5, stop = 1.5, step = 0.5 }\n",
    )
    spec = load_sweep(path)
    assert spec.base == presets.load("baseline")
    assert spec.vary == {"agents": (28, 30), "care_minutes": (0.5, 1.0, 1.5)}
    assert spec.size == 6
    assert spec.points()[1] == {"agents": 28, "care_minutes": 1.0}
    paired = write(
        tmp_path,
        'base = "baseline"\nmode = "paired"\n[vary]\nagents = [28, 30]\nbot_share = [0.1, 0.2]\n',
        "paired.toml",
    )
    assert load_sweep(paired).points() == [
        {"agents": 28, "bot_share": 0.1},
        {"agents": 30, "bot_share": 0.2},
    ]


def test_a_base_file_is_read_relative_to_the_sweep(tmp_path: Path) -> None:
    SHORT.replace(name="mine", agents=27).to_toml(tmp_path / "mine.toml")
    spec = load_sweep(write(tmp_path, 'base = "mine.toml"\n[vary]\ncare_minutes = [1, 2]\n'))
    assert spec.base.agents == 27


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[vary]\nagnets = [1, 2]\n", "did you mean 'agents'"),
        ("[vary]\nagents = []\n", r"\[vary\] agents has no values"),
        ("[vary]\nagents = { start = 30, stop = 20, step = 1 }\n", "empty range"),
        ("[vary]\nagents = { start = 20, stop = 30, step = 0 }\n", "step must be a number > 0"),
        ("[vary]\nagents = { start = 20, stop = 30 }\n", "expected a list of values"),
        ("[vary]\nagents = [20, -1]\n", "agents=-1 is not allowed"),
        ('mode = "paired"\n[vary]\nagents = [1, 2]\ncare_minutes = [1.0]\n', "equal length"),
        ('mode = "zip"\n[vary]\nagents = [1]\n', "mode='zip'"),
        ("[vary]\nagents = [28, 30, 28]\n", r"\[vary\] agents lists 28 twice"),
        (
            'mode = "paired"\n[vary]\nagents = [28, 30, 28]\ncare_minutes = [1.0, 2.0, 1.0]\n',
            "the paired lists give the point agents=28, care_minutes=1.0 twice",
        ),
        ("[vary]\n", "at least one parameter"),
        ("agents = 3\n[vary]\ncare_minutes = [1.0]\n", "unknown sweep setting 'agents'"),
        ("[vary\n", "not valid TOML"),
    ],
)
def test_bad_sweep_files_are_refused_before_anything_runs(
    tmp_path: Path, text: str, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("servicesim.sweeps.run_kpis", lambda *a: pytest.fail("a run started"))
    with pytest.raises(ValueError, match=message):
        sweep(write(tmp_path, text), replications=2, executor=SequentialExecutor())


def test_too_many_points_need_confirmation() -> None:
    big = small(agents=range(1, MAX_POINTS + 2))
    with pytest.raises(ValueError, match=f"more than {MAX_POINTS} points needs confirmation"):
        sweep(big, replications=1, executor=SequentialExecutor())


def test_range_values_land_on_the_grid() -> None:
    assert expand_values("x", {"start": 0.1, "stop": 0.3, "step": 0.1}) == (0.1, 0.2, 0.3)
    assert expand_values("x", {"start": 2, "stop": 9, "step": 3}) == (2, 5, 8)


# --- running ----------------------------------------------------------------------------------


def test_each_point_is_its_scenario_on_common_random_numbers() -> None:
    spec = small(agents=[8, 12], care_minutes=[1.0, 2.0])
    result = sweep(spec, replications=2, seed=5, executor=SequentialExecutor())
    assert list(result.runs.point) == [0, 0, 1, 1, 2, 2, 3, 3]
    for _, row in result.runs.iterrows():
        scenario = SHORT.replace(agents=int(row.agents), care_minutes=row.care_minutes)
        expected = run_kpis(scenario, 5, int(row.replication))
        assert row.nps == expected["nps"] and row.asa_seconds == expected["asa_seconds"]


def test_the_process_pool_gives_the_same_table(tmp_path: Path) -> None:
    spec = small(agents=[8, 12, 16])
    sequential = sweep(spec, replications=3, seed=2, executor=SequentialExecutor())
    pooled = sweep(spec, replications=3, seed=2, workers=2, out=tmp_path / "out")
    pd.testing.assert_frame_equal(sequential.runs, pooled.runs)


def test_rows_are_written_as_they_arrive_and_never_overwritten(tmp_path: Path) -> None:
    spec = small(agents=[8, 12])
    out = tmp_path / "out"
    result = sweep(spec, replications=2, seed=1, out=out, executor=SequentialExecutor())
    on_disk = pd.read_csv(out / RUNS_FILE).sort_values(["point", "replication"])
    assert len(on_disk) == 4
    assert on_disk["nps"].tolist() == result.runs["nps"].tolist()
    with pytest.raises(FileExistsError, match=r"use resume \(--resume\) to finish it"):
        sweep(spec, replications=2, seed=1, out=out, executor=SequentialExecutor())
    other = small(agents=[8, 13])
    with pytest.raises(ValueError, match="different sweep"):
        sweep(other, replications=2, seed=1, out=out, resume=True, executor=SequentialExecutor())


class InterruptAfter(SequentialExecutor):
    """Runs ``n`` tasks, then behaves as if Ctrl-C was pressed."""

    def __init__(self, n: int) -> None:
        self.left = n

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().submit(fn, *args, **kwargs)


def test_an_interrupted_sweep_resumes_to_the_same_table(tmp_path: Path) -> None:
    spec = small(agents=[8, 12, 16], care_minutes=[1.0, 2.0])
    whole = sweep(spec, replications=2, seed=4, executor=SequentialExecutor())
    out = tmp_path / "out"
    with pytest.raises(SweepInterrupted, match="5 of 12 runs saved") as stopped:
        sweep(spec, replications=2, seed=4, out=out, executor=InterruptAfter(5))
    assert len(stopped.value.result.runs) == 5
    assert len(pd.read_csv(out / RUNS_FILE)) == 5
    calls = []
    real = run_kpis

    def counting(*args):
        calls.append(args)
        return real(*args)

    import servicesim.sweeps as sweep_module

    sweep_module.run_kpis = counting
    try:
        resumed = sweep(
            spec, replications=2, seed=4, out=out, resume=True, executor=SequentialExecutor()
        )
    finally:
        sweep_module.run_kpis = real
    assert len(calls) == 7, "resume runs only what is missing"
    pd.testing.assert_frame_equal(resumed.runs, whole.runs)


def test_a_line_cut_off_by_a_killed_process_is_run_again(tmp_path: Path) -> None:
    spec = small(agents=[8, 12])
    whole = sweep(spec, replications=2, seed=6, executor=SequentialExecutor())
    out = tmp_path / "out"
    sweep(spec, replications=2, seed=6, out=out, executor=SequentialExecutor())
    path = out / RUNS_FILE
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:3]) + lines[3][:20], encoding="utf-8")  # killed mid-write
    resumed = sweep(
        spec, replications=2, seed=6, out=out, resume=True, executor=SequentialExecutor()
    )
    pd.testing.assert_frame_equal(resumed.runs, whole.runs)
    with open(path, newline="", encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 5  # header + 4 complete rows


def test_best_point_under_constraints() -> None:
    result = sweep(small(agents=[6, 9, 12]), replications=3, seed=1, executor=SequentialExecutor())
    summary = result.summary(["nps", "service_level", "cost_per_contact"])
    bound = summary["cost_per_contact"].median()
    best = result.best("nps", constraints=[f"cost_per_contact <= {bound}"])
    allowed = summary[summary.cost_per_contact <= bound]
    assert best["nps"] == allowed["nps"].max()
    assert result.best("nps", constraints=["service_level >= 2"]) is None
    middle = float(summary["nps"].median())
    capped = result.best("nps", constraints=[f"nps <= {middle!r}"])  # on the objective itself
    assert capped is not None and capped["nps"] == summary.nps[summary.nps <= middle].max()
    with pytest.raises(ValueError, match="constraint 'nps = 3'"):
        result.best("nps", constraints=["nps = 3"])
    with pytest.raises(ValueError, match="did you mean 'nps'"):
        result.best("npss")


# --- staffing curve ---------------------------------------------------------------------------


def test_staffing_curve_matches_erlang_a_for_the_textbook_queue() -> None:
    from servicesim.staffing import staffing_curve

    queue = presets.load("erlang").replace(
        arrivals_per_hour=[100.0, 200.0, 0.0], horizon_hours=3.0, warmup_hours=0.0
    )
    curve = staffing_curve(queue, target=0.8, replications=8, seed=1).table
    assert curve.loc[2, "agents_erlang_a"] == 0 and curve.loc[2, "agents_simulated"] == 0
    for hour in (0, 1):
        row = curve.loc[hour]
        assert abs(row.agents_simulated - row.agents_erlang_a) <= 1, row.to_dict()
        assert row.service_level_simulated >= 0.8


def test_staffing_curve_finds_the_fewest_agents_with_behaviour_on() -> None:
    from servicesim.experiment import replicate
    from servicesim.staffing import STEADY_HOURS, STEADY_WARMUP, staffing_curve

    base = presets.load("baseline").replace(arrivals_per_hour=200.0)
    curve = staffing_curve(base, target=0.8, replications=4, seed=2).table
    row = curve.loc[0]
    assert row.agents_simulated > row.agents_erlang_a, (
        "repeats and care add work the formula misses"
    )
    steady = base.replace(horizon_hours=STEADY_HOURS, warmup_hours=STEADY_WARMUP)

    def level(agents: int) -> float:
        runs = replicate(steady.replace(agents=agents), 4, 2, SequentialExecutor()).runs
        return runs["service_level"].mean()

    assert level(int(row.agents_simulated)) >= 0.8 > level(int(row.agents_simulated) - 1)
