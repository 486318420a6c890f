"""`servicesim sweep` and sweeps on Dask: the same table everywhere, clear errors fast."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from servicesim import presets
from servicesim.cli import main
from servicesim.cluster import dask_executor
from servicesim.experiment import SequentialExecutor
from servicesim.sweeps import Sweep, sweep

SWEEP = """base = "short.toml"
[vary]
agents = [8, 12]
care_minutes = { start = 1.0, stop = 2.0, step = 1.0 }
"""


@pytest.fixture
def sweep_file(tmp_path: Path) -> Path:
    presets.load("baseline").replace(horizon_hours=1.0, name="short").to_toml(
        tmp_path / "short.toml"
    )
    path = tmp_path / "staffing.toml"
    path.write_text(SWEEP, encoding="utf-8")
    return path


def run(*args: str) -> int:
    return main(["sweep", *args, "--progress", "off"])


def test_sweep_writes_runs_summary_and_figures(sweep_file: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    code = run(
        str(sweep_file),
        "--out",
        str(out),
        "--reps",
        "3",
        "--workers",
        "1",
        "--constraint",
        "abandonment_rate<=1",
    )
    assert code == 0
    printed = capsys.readouterr().out
    assert "4 points x 3 replications" in printed and "Best point for highest nps" in printed
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 12
    summary = pd.read_csv(out / "summary.csv", index_col="point")
    direct = sweep(sweep_file, replications=3, executor=SequentialExecutor())
    assert summary["nps"].tolist() == pytest.approx(direct.summary(["nps"])["nps"].tolist())
    for name in ("nps.png", "nps.svg", "frontier.png", "frontier.svg"):
        assert (out / "figures" / name).stat().st_size > 1000, name
    assert run(str(sweep_file), "--out", str(out), "--reps", "3") == 2
    assert "--resume" in capsys.readouterr().err
    assert run(str(sweep_file), "--out", str(out), "--reps", "3", "--resume", "--workers", "1") == 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--reps", "0"], "--reps 0"),
        (["--constraint", "nps=3"], "constraint 'nps=3'"),
        (["--workers", "2", "--dask", "local"], "--workers and --dask"),
        (["--dask", "somewhere"], "expected 'local' or a scheduler address"),
    ],
)
def test_bad_options_exit_2(sweep_file: Path, tmp_path: Path, capsys, extra, message) -> None:
    assert run(str(sweep_file), "--out", str(tmp_path / "o"), *extra) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o" / "runs.csv").exists()


def test_too_many_points_need_yes(tmp_path: Path, capsys) -> None:
    path = tmp_path / "big.toml"
    path.write_text("[vary]\nagents = { start = 1, stop = 400, step = 1 }\n", encoding="utf-8")
    assert run(str(path), "--out", str(tmp_path / "o")) == 2
    assert "--yes" in capsys.readouterr().err


def test_an_unreachable_cluster_is_reported_within_seconds(sweep_file: Path, tmp_path, capsys):
    start = time.monotonic()
    code = run(str(sweep_file), "--out", str(tmp_path / "o"), "--dask", "tcp://127.0.0.1:9")
    assert code == 2
    assert time.monotonic() - start < 15
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_dask_local_cluster_gives_the_process_pool_table() -> None:
    spec = Sweep(presets.load("baseline").replace(horizon_hours=1.0), {"agents": (8, 12, 16)})
    pooled = sweep(spec, replications=3, seed=7, workers=2)
    with dask_executor("local", workers=2) as executor:
        on_dask = sweep(spec, replications=3, seed=7, executor=executor, workers=2)
    pd.testing.assert_frame_equal(on_dask.runs, pooled.runs)
