"""Each result saves itself, and the command line leaves exactly the folder the library does.

Every pair below runs the same thing twice, once as ``servicesim ...  --out A`` and once in
Python with ``.save(B)`` (or ``sweep(out=B)``); the two folders must hold the same files with
the same bytes. Saving never replaces a file unless asked.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from servicesim import compare, presets, replicate, simulate
from servicesim.cli import main
from servicesim.experiment import SequentialExecutor
from servicesim.staffing import staffing_curve
from servicesim.sweeps import sweep

SHORT = presets.load("baseline").replace(horizon_hours=1.0)
SET = ["--set", "horizon_hours=1"]


def files(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (relative name -> bytes), SVG figures as their size only:
    matplotlib writes a fresh id into each SVG."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            data = path.read_bytes()
            found[name] = str(len(data) > 1000).encode() if name.endswith(".svg") else data
    return found


def cli(*args: str) -> None:
    assert main(list(args)) == 0, args


def same_folders(a: Path, b: Path) -> None:
    left, right = files(a), files(b)
    assert sorted(left) == sorted(right), "the two folders hold different files"
    differ = [name for name in left if left[name] != right[name]]
    assert not differ, f"files differ: {differ}"


def test_run_one_day(tmp_path: Path) -> None:
    cli("run", "baseline", *SET, "--seed", "4", "--out", str(tmp_path / "cli"))
    simulate(SHORT, seed=4).save(tmp_path / "lib")
    same_folders(tmp_path / "cli", tmp_path / "lib")
    assert "agents.csv" in files(tmp_path / "lib")


def test_run_replications(tmp_path: Path) -> None:
    cli("run", "baseline", *SET, "--reps", "3", "--seed", "4", "--out", str(tmp_path / "cli"))
    replicate(SHORT, 3, seed=4).save(tmp_path / "lib")
    same_folders(tmp_path / "cli", tmp_path / "lib")


def test_one_day_and_replications_write_the_same_files(tmp_path: Path) -> None:
    simulate(SHORT, seed=4).save(tmp_path / "one")
    replicate(SHORT, 2, seed=4, executor=SequentialExecutor()).save(tmp_path / "two")
    assert sorted(files(tmp_path / "one")) == sorted(files(tmp_path / "two"))
    one, two = files(tmp_path / "one"), files(tmp_path / "two")
    first = two["contacts.csv"].decode().splitlines()
    mine = [line for line in first[1:] if line.startswith("0,")]
    assert one["contacts.csv"].decode().splitlines() == [first[0], *mine], "day 0 is the same"
    assert len(mine) < len(first) - 1, "and the second day's contacts are there too"


def test_compare(tmp_path: Path) -> None:
    fewer = tmp_path / "fewer.toml"
    SHORT.replace(agents=24, name="fewer").to_toml(fewer)
    cli("compare", "baseline", str(fewer), *SET, "--reps", "3", "--out", str(tmp_path / "cli"))
    both = {"baseline": SHORT, "fewer": SHORT.replace(agents=24, name="fewer")}
    compare(both, 3).save(tmp_path / "lib")
    same_folders(tmp_path / "cli", tmp_path / "lib")


def test_staffing(tmp_path: Path) -> None:
    queue = ["--set", "arrivals_per_hour=[60, 120]", "--set", "horizon_hours=2"]
    cli("staffing", "erlang", *queue, "--set", "warmup_hours=0", "--reps", "2",
        "--workers", "1", "--out", str(tmp_path / "cli"))  # fmt: skip
    scenario = presets.load("erlang").replace(
        arrivals_per_hour=[60, 120], horizon_hours=2, warmup_hours=0
    )
    curve = staffing_curve(scenario, replications=2, executor=SequentialExecutor())
    curve.save(tmp_path / "lib")
    same_folders(tmp_path / "cli", tmp_path / "lib")
    assert {"staffing.csv", "staffing.png", "scenario.toml"} <= set(files(tmp_path / "lib"))


SWEEP = """base = "short.toml"
[vary]
agents = [20, 26]
"""


@pytest.fixture
def sweep_file(tmp_path: Path) -> Path:
    SHORT.replace(name="short").to_toml(tmp_path / "short.toml")
    path = tmp_path / "staff.toml"
    path.write_text(SWEEP, encoding="utf-8")
    return path


def test_sweep_out_and_the_command_leave_the_same_folder(sweep_file: Path, tmp_path: Path) -> None:
    cli("sweep", str(sweep_file), "--reps", "2", "--workers", "1", "--progress", "off",
        "--out", str(tmp_path / "cli"))  # fmt: skip
    sweep(sweep_file, replications=2, workers=1, out=tmp_path / "lib")
    same_folders(tmp_path / "cli", tmp_path / "lib")
    assert {"runs.csv", "sweep.json", "summary.csv", "figures/nps.png"} <= set(
        files(tmp_path / "lib")
    ), "a one-parameter sweep draws its figures too"


def test_sweep_result_saves_elsewhere_the_same_folder(sweep_file: Path, tmp_path: Path) -> None:
    result = sweep(sweep_file, replications=2, workers=1, out=tmp_path / "first")
    result.save(tmp_path / "copy")
    same_folders(tmp_path / "first", tmp_path / "copy")


@pytest.mark.parametrize(
    "save",
    [
        lambda out, force: simulate(SHORT).save(out, overwrite=force),
        lambda out, force: replicate(SHORT, 2, executor=SequentialExecutor()).save(
            out, overwrite=force
        ),
        lambda out, force: compare({"a": SHORT, "b": SHORT.replace(agents=20)}, 2).save(
            out, overwrite=force
        ),
    ],
    ids=["results", "replications", "comparison"],
)
def test_save_never_replaces_a_file_unasked(tmp_path: Path, save) -> None:
    save(tmp_path, False)
    before = files(tmp_path)
    victim = next(p for p in sorted(tmp_path.iterdir()) if p.suffix == ".csv")
    victim.write_text("mine\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"already contains .*overwrite=True"):
        save(tmp_path, False)
    assert victim.read_text(encoding="utf-8") == "mine\n", "a refused save changed a file"
    save(tmp_path, True)
    assert files(tmp_path) == before


def test_sweep_refuses_a_folder_holding_another_commands_summary(
    sweep_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.csv").write_text("someone else's\n", encoding="utf-8")
    with pytest.raises(FileExistsError, match=r"summary\.csv"):
        sweep(sweep_file, replications=2, workers=1, out=out)
    assert (out / "summary.csv").read_text(encoding="utf-8") == "someone else's\n"
    assert not (out / "runs.csv").exists(), "nothing is written when the folder is refused"
