"""Hostile input, table-driven: each malformed command line, scenario file, sweep file or
upload is refused with exit code 2 and one line on stderr that names what was wrong, at once
(no traceback, no hang, no simulation first).

Each case runs ``main(argv)`` as the console script does, in a fresh folder that holds the
case's files, under an alarm: a case that hangs or starts simulating fails on time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from servicesim.cli import main

#: Seconds a refusal may take: parsing and checking, never a run.
LIMIT_SECONDS = 5


@dataclass(frozen=True)
class Case:
    """A command line as typed, the files it finds in its folder, and the words its one-line
    error must hold."""

    id: str
    argv: tuple[str, ...]
    names: tuple[str, ...]
    files: dict[str, bytes | Callable[[Path], None]] = field(default_factory=dict)


def case(id: str, command: str, *names: str, **files: bytes | Callable[[Path], None]) -> Case:
    """A case from a command line as a user types it (split on spaces; files by name, with
    ``__`` for ``.``)."""
    return Case(
        id, tuple(command.split()), names, {k.replace("__", "."): v for k, v in files.items()}
    )


WORKBOOKS = Path(__file__).parents[1] / "workbooks"
STORM = (
    "--set arrivals_per_hour=3000 --set agents=400 --set horizon_hours=100 --set max_attempts=20"
)

CASES = [
    # the command line itself
    case("no command", "", "COMMAND"),
    case("unknown command", "simulate baseline", "simulate"),
    case("unknown flag", "run baseline --fast", "--fast"),
    case("no scenario", "run", "PRESET_OR_FILE"),
    case("reps not a number", "run baseline --reps x", "--reps", "'x'"),
    case("reps zero", "run baseline --reps 0", "reps"),
    case("reps negative", "run baseline --reps -3", "reps"),
    case("reps huge", "run baseline --reps 10000000", "reps"),
    case("seed negative", "run baseline --seed -1", "seed"),
    case("seed not whole", "run baseline --seed 1.5", "--seed"),
    case("workers zero", "run baseline --workers 0", "workers"),
    case("unknown preset", "run basline", "basline", "baseline"),
    case("compare one scenario", "compare baseline", "compare"),
    case("compare unknown", "compare baseline nosuch", "nosuch"),
    case("params unknown group", "params --group nosuch", "nosuch"),
    case("staffing target above 1", "staffing baseline --target 1.5", "target"),
    case("staffing target nan", "staffing baseline --target nan", "target"),
    case("report one day", "report baseline --reps 1", "reps"),
    case("report markup currency", "report baseline --currency <b>", "currency"),
    case("lab port too big", "lab --port 99999", "port"),
    case("lab port negative", "lab --port -1", "port"),
    case("lab on no such address", "lab --host 999.1.1.1", "--host", "999.1.1.1"),
    case("lab on another machine's address", "lab --host 192.0.2.7", "--host", "192.0.2.7"),
    case("challenge unknown brief", "challenge nosuch design.toml", "nosuch"),
    # --set values
    case("set without value", "run baseline --set agents", "--set", "agents"),
    case("set unknown field", "run baseline --set agnets=3", "agnets", "agents"),
    case("set text for a number", "run baseline --set agents=many", "agents", "many"),
    case("set negative agents", "run baseline --set agents=-5", "agents"),
    case("set nan rate", "run baseline --set arrivals_per_hour=nan", "arrivals_per_hour"),
    case("set inf rate", "run baseline --set arrivals_per_hour=inf", "arrivals_per_hour"),
    case("set huge rate", "run baseline --set arrivals_per_hour=1e300", "arrivals_per_hour"),
    case("set tiny horizon", "run baseline --set horizon_hours=0.1", "horizon_hours"),
    case("set odd horizon", "run baseline --set horizon_hours=8.1", "horizon_hours"),
    case("warm-up past horizon", "run baseline --set warmup_hours=9", "warmup_hours"),
    case("unknown priority", "run baseline --set priority=vip", "priority", "vip"),
    case("share above 1", "run baseline --set loyal_share=1.5", "loyal_share"),
    case("attempts not whole", "run baseline --set max_attempts=2.5", "max_attempts"),
    case("yes-no not a bool", "run baseline --set standards_erode=maybe", "standards_erode"),
    case("hourly list too short", "run baseline --set agents=[1,2,3]", "agents"),
    case("nested list", "run baseline --set agents=[[1]]", "agents"),
    case("retry storm", f"run baseline {STORM}", "max_attempts=20"),
    case("set an unknown preset field twice", "run baseline --set a=1 --set a=2", "a"),
    # scenario files
    case("not TOML", "run s.toml", "s.toml", "line 1", s__toml=b"agents = = 3\n"),
    case("unknown field in a file", "run s.toml", "s.toml", "agnets", s__toml=b"agnets = 3\n"),
    case("bad value in a file", "run s.toml", "s.toml", "agents=-1", s__toml=b"agents = -1\n"),
    case(
        "field in the wrong table",
        "run s.toml",
        "s.toml",
        "[staffing]",
        s__toml=b"[bot]\nagents = 3\n",
    ),
    case(
        "field given twice",
        "run s.toml",
        "s.toml",
        "agents",
        s__toml=b"agents = 3\n[staffing]\nagents = 4\n",
    ),
    case("name not text", "run s.toml", "s.toml", "name", s__toml=b"name = 3\n"),
    case(
        "hourly list of a wrong length",
        "run s.toml",
        "s.toml",
        "agents",
        s__toml=b"agents = [1, 2, 3]\n",
    ),
    case("empty choice", "run s.toml", "s.toml", "priority", s__toml=b'priority = ""\n'),
    case("not UTF-8", "run s.toml", "s.toml", "UTF-8", s__toml=b'name = "\xff\xfe"\n'),
    case(
        "nested 100,000 deep", "run s.toml", "s.toml", "nesting", s__toml=b"x = " + b"[" * 100_000
    ),
    case("a 2 MB file", "run s.toml", "s.toml", "1 MB", s__toml=b"# " + b"x" * 2_000_000 + b"\n"),
    case(
        "a 5,000-digit number", "run s.toml", "s.toml", s__toml=b"agents = 1" + b"0" * 5000 + b"\n"
    ),
    case("a FIFO", "run s.toml", "s.toml", "FIFO", s__toml=os.mkfifo),
    case("a folder", "run s.toml", "s.toml", "folder", s__toml=os.mkdir),
    case(
        "a missing base", "run s.toml", "nothere.toml", "s.toml", s__toml=b'base = "nothere.toml"\n'
    ),
    case(
        "a base cycle",
        "run a.toml",
        "a.toml",
        "b.toml",
        a__toml=b'base = "b.toml"\n',
        b__toml=b'base = "a.toml"\n',
    ),
    case("a device as base", "run s.toml", "s.toml", "/dev/zero", s__toml=b'base = "/dev/zero"\n'),
    case(
        "any file as base", "run s.toml", "s.toml", "/etc/passwd", s__toml=b'base = "/etc/passwd"\n'
    ),
    # sweep files
    case("no [vary]", "sweep w.toml", "w.toml", "[vary]", w__toml=b'base = "baseline"\n'),
    case(
        "unknown parameter", "sweep w.toml", "w.toml", "agnets", w__toml=b"[vary]\nagnets = [1]\n"
    ),
    case("no values", "sweep w.toml", "w.toml", "agents", w__toml=b"[vary]\nagents = []\n"),
    case(
        "unknown mode",
        "sweep w.toml",
        "w.toml",
        "zip",
        w__toml=b'mode = "zip"\n[vary]\nagents = [1]\n',
    ),
    case(
        "paired lists of two lengths",
        "sweep w.toml",
        "w.toml",
        "equal length",
        w__toml=b'mode = "paired"\n[vary]\nagents = [1, 2]\ncare_minutes = [1.0]\n',
    ),
    case("a FIFO sweep", "sweep w.toml", "w.toml", "FIFO", w__toml=os.mkfifo),
    case(
        "a missing base of a sweep",
        "sweep w.toml",
        "nothere.toml",
        "w.toml",
        w__toml=b'base = "nothere.toml"\n[vary]\nagents = [1]\n',
    ),
    case(
        "unknown sweep setting",
        "sweep w.toml",
        "w.toml",
        "agents",
        w__toml=b"agents = 3\n[vary]\ncare_minutes = [1.0]\n",
    ),
    case(
        "endless range",
        "sweep w.toml",
        "w.toml",
        "inf",
        w__toml=b"[vary]\nagents = {start = 1, stop = inf, step = 1}\n",
    ),
    case("value twice", "sweep w.toml", "w.toml", "twice", w__toml=b"[vary]\nagents = [3, 3]\n"),
    # output folders holding someone else's files
    case(
        "run into a folder of notes",
        "run baseline --out mine",
        "mine",
        "notes.txt",
        **{"mine/notes.txt": b"x"},
    ),
    case(
        "handouts into a folder of notes",
        f"handouts --out mine --workbooks {WORKBOOKS}",
        "mine",
        "notes.txt",
        **{"mine/notes.txt": b"x"},
    ),
]


@pytest.mark.parametrize("item", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused_in_one_line(
    item: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str], alarm: Callable[[int], None]
) -> None:
    alarm(LIMIT_SECONDS)
    for name, content in item.files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        if callable(content):
            content(tmp_path / name)
        else:
            (tmp_path / name).write_bytes(content)
    before = sorted(p.name for p in tmp_path.iterdir())
    cwd = Path.cwd()
    os.chdir(tmp_path)
    start = time.perf_counter()
    try:
        code = main(list(item.argv))
    finally:
        os.chdir(cwd)
    seconds = time.perf_counter() - start
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert code == 2, f"exit {code}; stderr: {err!r}"
    assert len(lines) == 1, f"not one line: {err!r}"
    for name in item.names:
        assert name in lines[0], f"{name!r} not named in {lines[0]!r}"
    assert "Traceback" not in err
    assert out == "", f"it started before refusing: {out!r}"
    assert sorted(p.name for p in tmp_path.iterdir()) == before, "it wrote files"
    assert seconds < LIMIT_SECONDS
