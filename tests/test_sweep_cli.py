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
        (["--reps", "0"], "--reps=0"),
        (["--constraint", "nps=3"], "constraint 'nps=3'"),
        (["--workers", "2", "--dask", "tcp://127.0.0.1:9"], "--workers cannot be used with"),
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


def wait_for_rows(path: Path, rows: int, process, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text(encoding="utf-8").splitlines()) > rows:
            return
        assert process.poll() is None, "the sweep ended before it could be interrupted"
        time.sleep(0.05)
    pytest.fail(f"{path} never reached {rows} rows")


#: Enough runs (4 points x REPS) that the sweep is still running when the signal arrives,
#: even when the poll that sees the first rows is slow.
REPS = 30


@pytest.mark.slow
@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_a_real_interruption_resumes_to_the_same_table(sweep_file: Path, tmp_path: Path, how):
    import signal
    import subprocess
    import sys

    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "servicesim.cli",
        "sweep",
        str(sweep_file),
        "--out",
        str(out),
        "--reps",
        str(REPS),
        "--workers",
        "1",
        "--progress",
        "off",
    ]
    # A shell that runs the tests in the background ignores SIGINT, and children inherit
    # that; a user's terminal does not, so the sweep gets the default handler back.
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    wait_for_rows(out / "runs.csv", 3, process)
    process.send_signal(signal.SIGINT if how == "ctrl-c" else signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    if how == "ctrl-c":
        assert process.returncode == 130, err
        assert "sweep interrupted" in err and "resume" in err
    saved = len(pd.read_csv(out / "runs.csv"))
    assert 3 <= saved < 4 * REPS
    resumed = sweep(sweep_file, replications=REPS, out=out, resume=True, workers=1, progress=False)
    whole = sweep(sweep_file, replications=REPS, executor=SequentialExecutor(), progress=False)
    pd.testing.assert_frame_equal(resumed.runs, whole.runs)


def test_the_progress_bar_shows_only_when_asked_or_on_a_terminal(capsys) -> None:
    spec = Sweep(presets.load("baseline").replace(horizon_hours=0.5), {"agents": (8, 9)})
    sweep(spec, replications=1, executor=SequentialExecutor(), progress=True)
    assert "sweep" in capsys.readouterr().err
    sweep(spec, replications=1, executor=SequentialExecutor())  # pytest's stderr is no terminal
    assert capsys.readouterr().err == ""
