"""`servicesim sweep` and sweeps on Dask: the same table everywhere, clear errors fast."""

from __future__ import annotations

import importlib.util
import os
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest

from servicesim import presets
from servicesim.cli import main
from servicesim.cluster import dask_executor
from servicesim.experiment import SequentialExecutor
from servicesim.model.centre import ContactCentre
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


# --- every shape end to end, with its figures ------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def svg_texts(path: Path) -> list[str]:
    """Every piece of text drawn in a sweep figure (saved with its words kept as text)."""
    return [node.text or "" for node in ET.parse(path).iter(f"{SVG}text")]


def svg_group(path: Path, gid: str) -> ET.Element:
    groups = [g for g in ET.parse(path).iter(f"{SVG}g") if g.get("id") == gid]
    assert len(groups) == 1, f"{path.name} should have one {gid!r} group, has {len(groups)}"
    return groups[0]


def sweep_as_typed(tmp_path: Path, vary: str, *extra: str, out: str = "out") -> tuple[int, Path]:
    """`servicesim sweep` of a sweep file on a 1-hour day, 2 replications, in this process:
    (exit code, the --out folder)."""
    presets.load("baseline").replace(horizon_hours=1.0, name="short").to_toml(
        tmp_path / "short.toml", overwrite=True
    )
    path = tmp_path / "mine.toml"
    path.write_text(f'base = "short.toml"\n{vary}', encoding="utf-8")
    folder = tmp_path / out
    code = run(str(path), "--out", str(folder), "--reps", "2", "--workers", "1", *extra)
    return code, folder


def test_a_one_parameter_range_draws_a_line_per_kpi_asked_for(tmp_path: Path, capsys) -> None:
    vary = "[vary]\nagents = { start = 8, stop = 12, step = 2 }\n"
    code, out = sweep_as_typed(tmp_path, vary, "--constraint", "service_level>=0")
    printed = capsys.readouterr()
    assert code == 0, printed.err
    figures = out / "figures"
    for name in ("nps", "service_level", "frontier"):  # the objective, the constrained KPI
        for suffix in ("png", "svg"):
            assert (figures / f"{name}.{suffix}").stat().st_size > 1000, f"{name}.{suffix}"
    mean = svg_group(figures / "nps.svg", "sweep-mean")
    assert len(list(mean.iter(f"{SVG}use"))) == 3, "one marker per point: agents 8, 10, 12"
    svg_group(figures / "nps.svg", "sweep-interval")
    texts = svg_texts(figures / "nps.svg")
    assert "Agents (agents)" in texts and "NPS (points)" in texts, texts
    assert "Service level (%)" in svg_texts(figures / "service_level.svg")
    assert "figures/service_level.svg" in printed.out


def test_a_three_parameter_grid_draws_one_heat_map_panel_per_value(tmp_path: Path) -> None:
    lengths = {"agents": 2, "care_minutes": 3, "bot_share": 2}
    vary = "[vary]\nagents = [8, 12]\ncare_minutes = [1.0, 2.0, 3.0]\nbot_share = [0.0, 0.3]\n"
    code, out = sweep_as_typed(tmp_path, vary)
    assert code == 0
    assert len(pd.read_csv(out / "summary.csv")) == 12
    path = out / "figures" / "nps.svg"
    texts = svg_texts(path)
    titles = [t for t in texts if " = " in t]
    panel = titles[0].split(" = ")[0]
    assert panel in lengths and len(titles) == lengths[panel], titles
    assert f"one panel per {panel}" in texts, texts
    axes = [name for name in lengths if name != panel]
    labels = [t for t in texts if any(f"({name}" in t for name in axes)]
    assert len(labels) == 2, f"the two other parameters name the axes: {labels}"
    cells = [g.get("id") for g in ET.parse(path).iter(f"{SVG}g") if "cell-" in g.get("id", "")]
    per_panel = lengths[axes[0]] * lengths[axes[1]]
    assert len(cells) == lengths[panel] * per_panel, f"{per_panel} means written in each panel"


def test_paired_lists_draw_one_line_through_the_points_named_by_their_values(tmp_path) -> None:
    vary = 'mode = "paired"\n[vary]\nagents = [8, 12, 16]\ncare_minutes = [1.0, 2.0, 3.0]\n'
    code, out = sweep_as_typed(tmp_path, vary)
    assert code == 0
    path = out / "figures" / "nps.svg"
    assert len(list(svg_group(path, "sweep-mean").iter(f"{SVG}use"))) == 3
    texts = svg_texts(path)
    assert "agents=12" in texts and "care_minutes=2" in texts, texts


def test_a_constraint_may_name_the_objective(tmp_path: Path, capsys) -> None:
    vary = "[vary]\nagents = [6, 9, 12]\n"
    code, out = sweep_as_typed(tmp_path, vary, "--constraint", "nps<=1000", "--minimize")
    printed = capsys.readouterr()
    assert code == 0, printed.err
    summary = pd.read_csv(out / "summary.csv", index_col="point")
    lowest = summary["nps"].idxmin()
    assert f"Best point for lowest nps with nps<=1000: point {lowest} " in printed.out
    bound = float(summary["nps"].sort_values().iloc[1])  # the lowest is out, the 2nd in
    code, _ = sweep_as_typed(
        tmp_path, vary, "--minimize", "--constraint", f"nps>={bound!r}", out="again"
    )
    assert code == 0
    second = summary["nps"].sort_values().index[1]
    assert f"with nps>={bound!r}: point {second} " in capsys.readouterr().out


# --- hostile input: one line, exit 2, before any simulation -----------------------------------

#: Sweep files (the [vary] part) that must be refused, with the words the one line must hold.
HOSTILE_SWEEP_FILES = [
    (
        "agents = { start = 1, stop = inf, step = 1 }",
        "sweep file 'sweep.toml': [vary] agents: stop must be a finite number, got inf",
    ),
    (
        "agents = { start = -inf, stop = 30, step = 1 }",
        "[vary] agents: start must be a finite number, got -inf",
    ),
    (
        "care_minutes = { start = 0.5, stop = 3.0, step = nan }",
        "[vary] care_minutes: step must be a finite number, got nan",
    ),
    ("agents = { start = 1, stop = 1e300, step = 1 }", "more than 100,000 points"),
    ("care_minutes = { start = 0.5, stop = 3.0, step = 1e-300 }", "more than 100,000 points"),
    ("care_minutes = { start = 0.5, stop = 0.5000000000001, step = 1e-14 }", "points would repeat"),
    ("agents = [27, nan]", "sweep file 'sweep.toml': agents=nan is not allowed"),
    ("care_minutes = [1.0, inf]", "sweep file 'sweep.toml': care_minutes=inf is not allowed"),
    (
        "agents = { start = 1, stop = 2000, step = 1 }\n"
        "care_minutes = { start = 0, stop = 15, step = 0.01 }",
        "at most 100,000",
    ),
    ("agents = { start = 1, stop = 300, step = 1 }", "--yes"),
    ("bot_share = [0.0, 0.2, 0.0]", "sweep file 'sweep.toml': [vary] bot_share lists 0.0 twice"),
]

#: Command lines that must be refused: {sweep} is a good sweep file, taken.txt a file, reports
#: a folder, read-only a folder no one but root may write into.
HOSTILE_ARGV = [
    (["sweep", "{sweep}", "--objective", "npss"], "unknown KPI 'npss'; did you mean 'nps'"),
    (["sweep", "{sweep}", "--constraint", "npss<=3"], "unknown KPI 'npss'"),
    (["sweep", "{sweep}", "--constraint", "nps<=1e999"], "the bound must be a finite number"),
    (["sweep", "{sweep}", "--constraint", "nps=3"], "constraint 'nps=3' is not allowed"),
    (["sweep", "{sweep}", "--dask", "somewhere"], "expected 'local' or a scheduler address"),
    (["sweep", "{sweep}", "--out", "taken.txt"], "taken.txt is a file, not a folder"),
    (["sweep", "{sweep}", "--out", "taken.txt/sub"], "taken.txt is a file, not a folder"),
    (["sweep", "{sweep}", "--out", "/sys/servicesim-out"], "does not accept new files"),
    (["sweep", "{sweep}", "--out", "read-only/out"], "does not accept new files"),
    (["run", "baseline", "--out", "taken.txt"], "taken.txt is a file, not a folder"),
    (["run", "baseline", "--out", "taken.txt/sub"], "taken.txt is a file, not a folder"),
    (["run", "baseline", "--out", "/sys/servicesim-out"], "does not accept new files"),
    (["compare", "baseline", "bots-first", "--out", "taken.txt/sub"], "is a file, not a folder"),
    (["compare", "baseline", "bots-first", "--out", "read-only/out"], "does not accept new files"),
    (["staffing", "baseline", "--out", "taken.txt/sub"], "taken.txt is a file, not a folder"),
    (["staffing", "baseline", "--out", "/sys/servicesim-out"], "does not accept new files"),
    (["report", "baseline", "--out", "taken.txt/report.html"], "taken.txt is a file"),
    (["report", "baseline", "--out", "reports"], "reports is a folder, not a file"),
    (["report", "baseline", "--out", "/sys/report.html"], "does not accept new files"),
]


def simulation_started(self: ContactCentre) -> None:
    raise AssertionError("a simulation started before the input was checked")


def refused_at_once(tmp_path: Path, monkeypatch, capsys, argv: list[str], words: str) -> None:
    """``argv`` ends in one line naming the problem, exit 2, within seconds, having written
    nothing and simulated nothing (a simulation in this process, or in a pool forked from it,
    would stop the test at once with a traceback)."""
    if "/sys/" in " ".join(argv) and not Path("/sys").is_dir():
        pytest.skip("needs Linux's /sys, where no one may create files")
    if "read-only" in " ".join(argv) and os.geteuid() == 0:
        pytest.skip("root writes into a read-only folder")
    if argv[0] == "report" and importlib.util.find_spec("papermill") is None:
        pytest.skip("the report needs papermill")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(ContactCentre, "run", simulation_started)
    presets.load("baseline").replace(horizon_hours=1.0, name="short").to_toml("short.toml")
    Path("good.toml").write_text('base = "short.toml"\n[vary]\nagents = [8, 9]\n', "utf-8")
    Path("taken.txt").write_text("my notes\n", encoding="utf-8")
    Path("reports").mkdir()
    Path("read-only").mkdir()
    Path("read-only").chmod(0o555)
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    argv = [arg.replace("{sweep}", "good.toml") for arg in argv]
    start = time.monotonic()
    code = main([*argv, "--reps", "2"])
    took = time.monotonic() - start
    printed = capsys.readouterr()
    assert code == 2, printed
    lines = printed.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("servicesim: error: "), printed.err
    assert words in lines[0], lines[0]
    assert printed.out == "", "nothing is announced before the input is checked"
    assert took < 3, f"refused after {took:.1f} s: something ran first"
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert Path("taken.txt").read_text(encoding="utf-8") == "my notes\n"


@pytest.mark.parametrize(("vary", "words"), HOSTILE_SWEEP_FILES)
def test_a_hostile_sweep_file_is_one_line_before_anything_runs(
    tmp_path: Path, monkeypatch, capsys, vary: str, words: str
) -> None:
    (tmp_path / "sweep.toml").write_text(f'base = "short.toml"\n[vary]\n{vary}\n', "utf-8")
    refused_at_once(tmp_path, monkeypatch, capsys, ["sweep", "sweep.toml"], words)


@pytest.mark.parametrize(
    ("argv", "words"), HOSTILE_ARGV, ids=[" ".join(a) for a, _ in HOSTILE_ARGV]
)
def test_a_hostile_option_is_one_line_before_anything_runs(
    tmp_path: Path, monkeypatch, capsys, argv: list[str], words: str
) -> None:
    refused_at_once(tmp_path, monkeypatch, capsys, argv, words)


def test_a_hostile_range_on_the_real_command_line_is_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    vary, words = HOSTILE_SWEEP_FILES[0]
    (tmp_path / "sweep.toml").write_text(f"[vary]\n{vary}\n", encoding="utf-8")
    command = [sys.executable, "-m", "servicesim.cli", "sweep", "sweep.toml", "--reps", "2"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.splitlines() == [f"servicesim: error: {words}"], done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sweep.toml"], "nothing written"
