"""Output folders: a command writes only what it owns, one writer at a time; resume refuses bad
rows; no worker outlives its command.

Every case is typed as a user types it (``main([...])`` or ``python -m servicesim`` in a
subprocess). The hostile inputs are module-level tables (FOREIGN_FILES, COMMANDS,
BROKEN_ROWS, SIGNALS) so that they can be collected with the other hostile cases.
"""

from __future__ import annotations

import csv
import json
import math
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from servicesim import presets
from servicesim.cli import main
from servicesim.folders import LOCK, MANIFEST, claim_file, claim_folder

#: Files someone else left in a folder: (relative name, bytes).
FOREIGN_FILES = [
    ("summary.csv", b"another command's summary\n"),
    ("figures/nps.png", b"\x89PNG someone's own figure"),
    ("notes.txt", b"my notes\n"),
]


def sweep_file(folder: Path, points: str = "[8, 12]", hours: float = 0.5) -> Path:
    presets.load("baseline").replace(horizon_hours=hours, name="short").to_toml(
        folder / "short.toml"
    )
    path = folder / "staff.toml"
    path.write_text(f'base = "short.toml"\n[vary]\nagents = {points}\n', encoding="utf-8")
    return path


#: Every command with --out, as a user types it (``{spec}``: a small sweep file), less --out.
COMMANDS = {
    "run": "run baseline --set horizon_hours=0.5",
    "compare": "compare baseline baseline --set horizon_hours=0.5 --reps 2 --workers 1",
    "sweep": "sweep {spec} --reps 2 --workers 1 --progress off",
    "sweep --resume": "sweep {spec} --reps 2 --workers 1 --progress off --resume",
    "staffing": "staffing erlang --set arrivals_per_hour=[60] --set horizon_hours=2 "
    "--set warmup_hours=0 --reps 2 --workers 1",
}


def typed(command: str, spec: Path, out: Path, *more: str) -> list[str]:
    """The argv of ``COMMANDS[command]`` writing into ``out``, with ``more`` options."""
    return [*shlex.split(COMMANDS[command].format(spec=spec)), "--out", str(out), *more]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder``, hidden ones included: relative name -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def one_line_error(err: str) -> str:
    assert err.count("\n") == 1 and err.startswith("servicesim: "), f"not one line: {err!r}"
    return err


# --- a command writes only what it owns -------------------------------------------------------


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("name", "data"), FOREIGN_FILES, ids=[n for n, _ in FOREIGN_FILES])
def test_a_folder_holding_someone_elses_file_is_refused(
    tmp_path: Path, capsys, command: str, name: str, data: bytes
) -> None:
    out = tmp_path / "out"
    (out / name).parent.mkdir(parents=True)
    (out / name).write_bytes(data)
    before = snapshot(out)
    argv = typed(command, sweep_file(tmp_path), out)
    assert main(argv) == 2
    captured = capsys.readouterr()
    err = one_line_error(captured.err)
    assert str(out) in err and name in err and "--force" in err, err
    assert "Wrote" not in captured.out, "the refused command wrote nothing"
    assert snapshot(out) == before, "a refused command changed the folder"


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_force_writes_beside_foreign_files_and_leaves_them(
    tmp_path: Path, capsys, command: str
) -> None:
    out = tmp_path / "out"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "mine.png").write_bytes(b"mine")
    (out / "notes.txt").write_bytes(b"my notes\n")
    argv = typed(command, sweep_file(tmp_path), out)
    assert main([*argv, "--force"]) == 0
    capsys.readouterr()
    assert (out / "figures" / "mine.png").read_bytes() == b"mine"
    assert (out / "notes.txt").read_bytes() == b"my notes\n"
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["command"] == command
    assert "notes.txt" not in manifest["files"] and "figures/mine.png" not in manifest["files"]
    assert all((out / name).is_file() for name in manifest["files"]), manifest
    assert main(argv) == 2, "the files it did not write are still not its own"
    assert "notes.txt" in capsys.readouterr().err


def test_a_linked_folder_inside_is_refused_not_written_through(tmp_path: Path, capsys) -> None:
    theirs = tmp_path / "their-figures"
    theirs.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "figures").symlink_to(theirs, target_is_directory=True)
    assert main(typed("sweep", sweep_file(tmp_path), out)) == 2
    assert "did not write: figures;" in one_line_error(capsys.readouterr().err)
    assert list(theirs.iterdir()) == [], "nothing was written through the link"


def test_another_commands_folder_is_refused_naming_its_files(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(typed("compare", tmp_path, out)) == 0
    capsys.readouterr()
    before = snapshot(out)
    assert main(typed("sweep", sweep_file(tmp_path), out, "--resume")) == 2
    err = one_line_error(capsys.readouterr().err)
    assert "servicesim sweep did not write" in err and "differences.csv" in err, err
    assert snapshot(out) == before


def test_a_sweep_resumes_in_its_own_folder(tmp_path: Path, capsys) -> None:
    spec, out = sweep_file(tmp_path), tmp_path / "out"
    assert main(typed("sweep", spec, out)) == 0
    assert main(typed("sweep", spec, out, "--resume", "--objective", "asa_seconds")) == 0
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    assert {"runs.csv", "figures/nps.png", "figures/asa_seconds.png"} <= set(manifest["files"])
    assert not (out / LOCK).exists(), "the lock is gone once the command ends"


def test_a_refused_or_failed_command_leaves_no_folder_behind(tmp_path: Path) -> None:
    out = tmp_path / "new"
    with pytest.raises(RuntimeError), claim_folder(out, "run", ["kpis.csv"]):
        assert (out / MANIFEST).exists() and (out / LOCK).exists()
        raise RuntimeError("the run failed before writing")
    assert not out.exists(), "a claim that wrote nothing leaves no trace"


# --- one writer at a time -----------------------------------------------------------------


def servicesim(log: Path, *args: str, **options) -> subprocess.Popen:
    """``python -m servicesim.cli ARGS`` in the background with the worktree's package; what
    it prints on stderr goes to the file ``log`` (not a pipe, which a worker left behind would
    hold open)."""
    environment = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    with open(log, "w", encoding="utf-8") as handle:
        return subprocess.Popen(
            [sys.executable, "-m", "servicesim.cli", *args],
            stdout=subprocess.DEVNULL,
            stderr=handle,
            env=environment,
            **options,
        )


def finish(processes: list[subprocess.Popen], limit: float = 180) -> list[float]:
    """Wait for every process; the seconds each took to end, from now."""
    started, ended = time.monotonic(), [math.inf] * len(processes)
    while math.inf in ended:
        assert time.monotonic() - started < limit, "a command did not end"
        for k, process in enumerate(processes):
            if ended[k] == math.inf and process.poll() is not None:
                ended[k] = time.monotonic() - started
        time.sleep(0.02)
    return ended


@pytest.mark.slow
def test_two_sweeps_on_one_folder_at_once_one_is_refused(tmp_path: Path) -> None:
    spec, out = sweep_file(tmp_path, "[26, 28, 30, 32]", hours=4.0), tmp_path / "out"
    argv = ["sweep", str(spec), "--reps", "6", "--workers", "1", "--progress", "off"]
    logs = [tmp_path / "first.err", tmp_path / "second.err"]
    both = [servicesim(log, *argv, "--out", str(out)) for log in logs]
    took = finish(both)
    errs = [log.read_text(encoding="utf-8") for log in logs]
    codes = [process.returncode for process in both]
    assert sorted(codes) == [0, 2], list(zip(codes, errs, strict=True))
    refused, done = codes.index(2), codes.index(0)
    assert "is in use by another servicesim command" in one_line_error(errs[refused])
    assert took[refused] < took[done], "the second is refused at once, not after the first"
    with open(out / "runs.csv", newline="", encoding="utf-8") as handle:
        keys = [(row["point"], row["replication"]) for row in csv.DictReader(handle)]
    assert len(keys) == 4 * 6 and len(set(keys)) == len(keys), "every run exactly once"


def test_a_report_being_written_is_refused_at_once(tmp_path: Path, capsys) -> None:
    pytest.importorskip("papermill")
    out = tmp_path / "report.html"
    with claim_file(out, "report"):  # as another servicesim report would hold it
        started = time.monotonic()
        assert main(["report", "baseline", "--reps", "2", "--out", str(out)]) == 2
    assert time.monotonic() - started < 10, "refused before the report is simulated"
    err = one_line_error(capsys.readouterr().err)
    assert "report.html is in use by another servicesim command" in err, err
    assert not out.exists() and list(tmp_path.iterdir()) == []


# --- resume refuses rows it did not write ---------------------------------------------------


def changed(line: int, column: str, value: str) -> Callable[[list[list[str]]], None]:
    """Set ``column`` on ``line`` of the file (the header is line 1) to ``value``."""

    def edit(rows: list[list[str]]) -> None:
        rows[line - 1][rows[0].index(column)] = value

    return edit


def appended(row: Callable[[list[list[str]]], list[str]]) -> Callable[[list[list[str]]], None]:
    return lambda rows: rows.append(row(rows))


def other_nps(rows: list[list[str]]) -> list[str]:
    copy = list(rows[1])
    copy[rows[0].index("nps")] = "99.0"
    return copy


#: A runs.csv edited by hand or by a second writer -> what the refusal must say (line: its
#: line in the file, the header is line 1; the sweep has 2 points x 2 replications).
BROKEN_ROWS = [
    (
        "duplicate, other values",
        appended(other_nps),
        "line 6: point 0 replication 0 is already on line 2 (with other values)",
    ),
    (
        "duplicate, same values",
        appended(lambda rows: list(rows[1])),
        "line 6: point 0 replication 0 is already on line 2 (with the same values)",
    ),
    (
        "point not in the sweep",
        changed(3, "point", "7"),
        "line 3: point 7 replication 1 is not in this sweep",
    ),
    (
        "replication not a number",
        changed(4, "replication", "one"),
        "line 4: point='1', replication='one' are not whole numbers",
    ),
    (
        "parameters of another point",
        changed(2, "agents", "13"),
        "line 2: the parameters ['13'] are not those of point 0",
    ),
    ("a KPI that is no number", changed(5, "nps", "lots"), "line 5: nps='lots' is not a number"),
    ("a value missing", lambda rows: rows[2].pop(), "line 3 has"),
]


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a sweep file and its finished sweep in ``out`` (copied by each test)."""
    folder = tmp_path_factory.mktemp("finished")
    assert main(typed("sweep", sweep_file(folder), folder / "out")) == 0
    return folder


@pytest.mark.parametrize(
    ("edit", "message"), [c[1:] for c in BROKEN_ROWS], ids=[c[0] for c in BROKEN_ROWS]
)
def test_resume_refuses_a_runs_file_it_did_not_write(
    finished_sweep: Path, tmp_path: Path, capsys, edit, message: str
) -> None:
    shutil.copytree(finished_sweep, tmp_path, dirs_exist_ok=True)
    spec, out = tmp_path / "staff.toml", tmp_path / "out"
    path = out / "runs.csv"
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    edit(rows)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    before = snapshot(out)
    capsys.readouterr()
    assert main(typed("sweep", spec, out, "--resume")) == 2
    err = one_line_error(capsys.readouterr().err)
    assert str(path) in err and message in err, err
    assert snapshot(out) == before, "a refused resume changed the folder"


# --- no worker outlives its command ---------------------------------------------------------


def children(pid: int) -> list[int]:
    """The processes ``pid`` started (Linux: /proc/PID/task/*/children)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with open(task / "children", encoding="ascii") as handle:
            found += [int(child) for child in handle.read().split()]
    return found


def running(pid: int) -> bool:
    """Whether ``pid`` is alive (a zombie waiting to be reaped is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rpartition(")")[2].split()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state[0] not in ("Z", "X")


def rows(path: Path) -> int:
    """Complete data rows in a runs.csv (0 if it is not there yet)."""
    return max(0, path.read_text(encoding="utf-8").count("\n") - 1) if path.is_file() else 0


#: How the sweep runs and is stopped -> its options, how the signal is sent (to the group, as
#: a terminal sends Ctrl-C, or to the command) and the exit code it must end with.
SIGNALS = [
    ("pool, ctrl-c", "--workers 2", signal.SIGINT, True, 130),
    ("pool, sigterm", "--workers 2", signal.SIGTERM, False, 143),
    ("pool, sigkill", "--workers 2", signal.SIGKILL, False, -signal.SIGKILL),
    ("dask local, ctrl-c", "--dask local --workers 2", signal.SIGINT, True, 130),
]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize(
    ("runner", "sig", "group", "code"), [s[1:] for s in SIGNALS], ids=[s[0] for s in SIGNALS]
)
def test_no_worker_outlives_a_stopped_sweep(tmp_path: Path, runner, sig, group, code) -> None:
    if "--dask" in runner:
        pytest.importorskip("distributed")
    spec, out = sweep_file(tmp_path, "[26, 28, 30, 32]", hours=4.0), tmp_path / "out"
    argv = ["sweep", str(spec), "--reps", "40", *runner.split(), "--progress", "off"]
    log = tmp_path / "sweep.err"
    process = servicesim(
        log,
        *argv,
        "--out",
        str(out),
        start_new_session=True,  # its own process group, as a command in a terminal has
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while len(workers) < 2 or rows(out / "runs.csv") < 1:  # the workers are running
        assert process.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
        workers = children(process.pid)
    if group:
        os.killpg(process.pid, sig)
    else:
        os.kill(process.pid, sig)
    process.wait(timeout=30)
    err = log.read_text(encoding="utf-8")
    assert process.returncode == code, err
    if code > 0:
        assert "sweep interrupted" in one_line_error(err) and "resume" in err, err
    deadline = time.monotonic() + 5
    while any(running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    alive = [pid for pid in workers if running(pid)]
    for pid in alive:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers {alive} still run 5 s after the sweep ({runner}) was stopped"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
def test_a_stopped_run_leaves_no_worker_and_no_folder(tmp_path: Path) -> None:
    out, log = tmp_path / "out", tmp_path / "run.err"
    argv = ["run", "baseline", "--reps", "200", "--workers", "2", "--out", str(out)]
    process = servicesim(log, *argv, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(workers := children(process.pid)) < 2:
        assert process.poll() is None, log.read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the workers never started"
        time.sleep(0.05)
    time.sleep(0.5)  # the runs are under way
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    err = log.read_text(encoding="utf-8")
    assert process.returncode == 143, err
    assert "stopped by SIGTERM before run finished" in one_line_error(err), err
    time.sleep(1)
    alive = [pid for pid in workers if running(pid)]
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
    assert not alive, f"workers {alive} still run after the run was stopped"
    assert not out.exists(), "a run stopped before it wrote anything leaves no folder"
