"""Properties of the command line under random input: any valid sweep file finishes with its
summary and figures; any random bytes given as a scenario file are refused in one line (or,
when they happen to be a TOML file with nothing in it, run as the defaults)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import tomli_w
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from servicesim import presets
from servicesim.cli import main

pytestmark = pytest.mark.slow

#: One quiet hour: a point of a sweep takes milliseconds.
SHORT = presets.load("baseline").replace(
    name="short", horizon_hours=1.0, warmup_hours=0.0, arrivals_per_hour=30.0, agents=4
)

#: Parameters a sweep may vary, each with the values it may take.
VALUES: dict[str, list[Any]] = {
    "agents": list(range(2, 9)),
    "care_minutes": [0.0, 0.5, 1.25, 2.0],
    "bot_share": [0.0, 0.2, 0.5],
    "priority": ["none", "new", "loyal"],
    "standards_erode": [False, True],
    "max_attempts": [1, 2, 3, 4],
    "need_cv": [0.0, 0.5, 1.0],
}
RANGES = {
    "agents": st.tuples(st.integers(2, 5), st.integers(0, 3), st.integers(1, 2)),
    "care_minutes": st.tuples(
        st.sampled_from([0.0, 0.5]), st.sampled_from([0, 1, 2]), st.just(0.5)
    ),
}


@st.composite
def sweep_files(draw: st.DrawFn) -> dict[str, Any]:
    """A valid sweep: one to three parameters as lists or ranges, a grid or paired lists."""
    names = draw(st.lists(st.sampled_from(sorted(VALUES)), min_size=1, max_size=3, unique=True))
    paired = len(names) > 1 and draw(st.booleans())
    length = draw(st.integers(1, 3))
    vary: dict[str, Any] = {}
    for name in names:
        if not paired and name in RANGES and draw(st.booleans()):
            start, more, step = draw(RANGES[name])
            vary[name] = {"start": start, "stop": start + more * step, "step": step}
        else:  # a grid lists each value once; paired lists may repeat a value, not a point
            options = VALUES[name]
            size = length if paired else draw(st.integers(1, min(3, len(options))))
            chosen = st.lists(
                st.sampled_from(options), min_size=size, max_size=size, unique=not paired
            )
            vary[name] = draw(chosen)
    if paired:
        rows = list(zip(*vary.values(), strict=True))
        assume(len(set(rows)) == len(rows))
    return {"base": "short.toml", "mode": "paired" if paired else "grid", "vary": vary}


def points(sweep: dict[str, Any]) -> int:
    sizes = [
        len(v) if isinstance(v, list) else round((v["stop"] - v["start"]) / v["step"]) + 1
        for v in sweep["vary"].values()
    ]
    if sweep["mode"] == "paired":
        return sizes[0]
    total = 1
    for size in sizes:
        total *= size
    return total


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sweep=sweep_files())
def test_any_valid_sweep_file_finishes_with_its_summary_and_figures(
    sweep: dict[str, Any], tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> None:
    folder = tmp_path_factory.mktemp("sweep")
    monkeypatch.chdir(folder)
    SHORT.to_toml("short.toml")
    Path("sweep.toml").write_text(tomli_w.dumps(sweep), encoding="utf-8")
    argv = ["sweep", "sweep.toml", "--reps", "2", "--workers", "1", "--out", "out"]
    assert main([*argv, "--progress", "off"]) == 0, sweep
    summary = pd.read_csv("out/summary.csv")
    assert len(summary) == points(sweep), sweep
    assert list(Path("out/figures").glob("*")), "no figure drawn"


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(content=st.binary(min_size=0, max_size=300))
def test_random_bytes_as_a_scenario_file_are_refused_in_one_line(
    content: bytes, tmp_path_factory: pytest.TempPathFactory, capsys
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "scenario.toml"
    path.write_bytes(content)
    code = main(["run", str(path), "--reps", "1", "--set", "horizon_hours=0.25"])
    err = capsys.readouterr().err
    if code == 0:  # only a TOML file that sets nothing (blank, comments) is a valid scenario
        assert tomllib.loads(content.decode("utf-8")) == {}, content
        return
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0], err
