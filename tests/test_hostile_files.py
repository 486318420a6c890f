"""Hostile files: named pipes, devices, folders, huge or deeply nested files, bytes that are not
UTF-8, base chains that loop or run too deep, a sweep's damaged output.

Each case is typed at the command line as a user would (``main(argv)`` as the console script
runs it, under an alarm, so a hang fails instead of stopping the run; one chain of bases is
typed in a real subprocess) or uploaded into the lab through its upload widget,
and must end with exactly one line naming the file, within seconds. The cases are tables at
module level (``HOSTILE_COMMANDS``, ``HOSTILE_UPLOADS``) so that other suites can collect them.
"""

from __future__ import annotations

import contextlib
import datetime
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from servicesim import load, presets
from servicesim.cli import main
from servicesim.loading import MAX_BASE_CHAIN
from servicesim.reading import (
    EXCERPT_CHARS,
    MAX_FILE_BYTES,
    MAX_KEY_PARTS,
    MAX_NESTING,
    parse_toml,
)

#: Longest error line accepted, whatever the file holds: the message names the file and may
#: list the valid names, but never carries the file.
LONGEST_LINE = 1200
TIMEOUT = 20


@dataclass(frozen=True)
class Special:
    """A file that is not a regular file: a named pipe, a folder, or a link to ``target``."""

    kind: str
    target: str = ""


FIFO = Special("fifo")
FOLDER = Special("folder")
LATIN1 = 'name = "caf\xe9"\n'.encode("latin-1")
TINY = 'base = "baseline"\nhorizon_hours = 0.25\n'
TINY_SWEEP = 'base = "tiny.toml"\n[vary]\nagents = [30]\n'
SWEEP = ("sweep", "tiny-sweep.toml", "--out", "out", "--reps", "1", "--workers", "1")
RESUME = (*SWEEP, "--resume", "--progress", "off")


def chain(count: int) -> dict[str, str]:
    """``count`` files, each the base of the one before: c0.toml <- c1.toml <- ..."""
    files = {f"c{i}.toml": f'base = "c{i + 1}.toml"\n' for i in range(count - 1)}
    files[f"c{count - 1}.toml"] = TINY
    return files


def damage_row(text: bytes) -> bytes:
    """runs.csv with its first saved row's point replaced by text."""
    header, row, *rest = text.split(b"\n")
    return b"\n".join([header, b"x" + row[row.index(b",") :], *rest])


@dataclass(frozen=True)
class Hostile:
    """A command typed with hostile files around it, and the words its one error line holds.

    ``files`` are made first (text, bytes or a :class:`Special`); with ``finished_sweep``
    the folder ``out`` holds a finished tiny sweep (``SWEEP``), which ``damage`` then changes.
    """

    case: str
    argv: tuple[str, ...]
    words: tuple[str, ...]
    files: Mapping[str, str | bytes | Special] = field(default_factory=dict)
    finished_sweep: bool = False
    damage: Mapping[str, Callable[[bytes], bytes] | Special] = field(default_factory=dict)


HOSTILE_COMMANDS = [
    Hostile(
        "a FIFO as the scenario",
        ("run", "pipe.toml"),
        ("'pipe.toml'", "named pipe"),
        {"pipe.toml": FIFO},
    ),
    Hostile(
        "a FIFO as the base",
        ("run", "a.toml"),
        ("'pipe.toml'", "the base named in scenario file 'a.toml'", "named pipe"),
        {"a.toml": 'base = "pipe.toml"\n', "pipe.toml": FIFO},
    ),
    Hostile("/dev/zero as the scenario", ("run", "/dev/zero"), ("'/dev/zero'", "is a device")),
    Hostile(
        "/dev/zero as the base",
        ("run", "a.toml"),
        ("'a.toml'", "'/dev/zero'", "a path ending in .toml"),
        {"a.toml": 'base = "/dev/zero"\n'},
    ),
    Hostile(
        "/dev/zero behind a .toml name as the base",
        ("run", "a.toml"),
        ("'zero.toml'", "the base named in scenario file 'a.toml'", "is a device"),
        {"a.toml": 'base = "zero.toml"\n', "zero.toml": Special("link", "/dev/zero")},
    ),
    Hostile(
        "a folder as the scenario",
        ("run", "folder.toml"),
        ("'folder.toml'", "is a folder"),
        {"folder.toml": FOLDER},
    ),
    Hostile(
        "/etc/passwd as the base",
        ("run", "a.toml"),
        ("'a.toml'", "'/etc/passwd'", "a path ending in .toml"),
        {"a.toml": 'base = "/etc/passwd"\n'},
    ),
    Hostile(
        "a 2 MB scenario file",
        ("run", "big.toml"),
        ("'big.toml'", f"{2 * MAX_FILE_BYTES:,} bytes", f"at most {MAX_FILE_BYTES:,} bytes"),
        {"big.toml": b"#" * (2 * MAX_FILE_BYTES)},
    ),
    Hostile(
        "a base cycle a -> b -> a",
        ("run", "a.toml"),
        ("'a.toml'", "leads back to itself", "a.toml -> ", "b.toml -> "),
        {"a.toml": 'base = "b.toml"\n', "b.toml": 'base = "a.toml"\n'},
    ),
    Hostile(
        "a chain of bases one file too long",
        ("run", "c0.toml"),
        (f"'c{MAX_BASE_CHAIN}.toml'", f"longer than {MAX_BASE_CHAIN} files"),
        chain(MAX_BASE_CHAIN + 1),
    ),
    Hostile(
        "a missing base",
        ("run", "a.toml"),
        ("'gone.toml'", "the base named in scenario file 'a.toml'", "does not exist"),
        {"a.toml": 'base = "gone.toml"\n'},
    ),
    Hostile(
        "arrays nested 100,000 deep",
        ("run", "deep.toml"),
        ("'deep.toml'", f"nesting deeper than {MAX_NESTING} levels"),
        {"deep.toml": "x = " + "[" * 100_000},
    ),
    Hostile(
        "a key of 100,000 dotted parts",
        ("run", "keys.toml"),
        ("'keys.toml'", f"more than {MAX_KEY_PARTS} dotted parts"),
        {"keys.toml": "a" + ".a" * 100_000 + " = 1\n"},
    ),
    Hostile(
        "a scenario file in Latin-1",
        ("run", "latin.toml"),
        ("'latin.toml'", f"not UTF-8 text (byte 0xe9 at offset {LATIN1.index(0xE9)})"),
        {"latin.toml": LATIN1},
    ),
    Hostile(
        "a base whose name holds a NUL",
        ("run", "a.toml"),
        ("the base named in scenario file 'a.toml'", "NUL character"),
        {"a.toml": 'base = "a\\u0000.toml"\n'},
    ),
    Hostile(
        "a base that is a link to itself",
        ("run", "a.toml"),
        ("'loop.toml'", "the base named in scenario file 'a.toml'", "cannot be read"),
        {"a.toml": 'base = "loop.toml"\n', "loop.toml": Special("link", "loop.toml")},
    ),
    Hostile(
        "a field name of 500,000 characters",
        ("run", "long.toml"),
        ("'long.toml'", "unknown scenario field 'aaa"),
        {"long.toml": "a" * 500_000 + " = 1\n"},
    ),
    Hostile(
        "a number of 5,000 digits",
        ("run", "digits.toml"),
        ("'digits.toml'", "not valid TOML", f"({sys.get_int_max_str_digits()} digits)"),
        {"digits.toml": "agents = 1" + "0" * 5000 + "\n"},
    ),
    Hostile(
        "a FIFO as the sweep file",
        ("sweep", "pipe.toml"),
        ("sweep file 'pipe.toml'", "named pipe"),
        {"pipe.toml": FIFO},
    ),
    Hostile(
        "a FIFO as the sweep's base",
        ("sweep", "s.toml"),
        ("'pipe.toml'", "the base named in sweep file 's.toml'", "named pipe"),
        {"s.toml": 'base = "pipe.toml"\n[vary]\nagents = [30]\n', "pipe.toml": FIFO},
    ),
    Hostile(
        "a damaged row in runs.csv on resume",
        RESUME,
        ("runs.csv", "line 2", "point='x'"),
        finished_sweep=True,
        damage={"out/runs.csv": damage_row},
    ),
    Hostile(
        "bytes that are not UTF-8 in runs.csv on resume",
        RESUME,
        ("runs.csv", "not UTF-8 text (byte 0xff"),
        finished_sweep=True,
        damage={"out/runs.csv": lambda text: text + b"\xff\n"},
    ),
    Hostile(
        "runs.csv replaced by a FIFO",
        RESUME,
        ("runs.csv", "named pipe"),
        finished_sweep=True,
        damage={"out/runs.csv": FIFO},
    ),
    Hostile(
        "a cut-off sweep.json on resume",
        RESUME,
        ("sweep.json", "not valid JSON", "line "),
        finished_sweep=True,
        damage={"out/sweep.json": lambda text: text[: len(text) // 2]},
    ),
]


def make(path: Path, content: str | bytes | Special) -> None:
    """Write ``content`` at ``path`` (replacing what is there), or make the special file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() or path.is_symlink():
        path.unlink()
    if isinstance(content, Special):
        {
            "fifo": lambda: os.mkfifo(path),
            "folder": path.mkdir,
            "link": lambda: path.symlink_to(content.target),
        }[content.kind]()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the scenario, the sweep file and ``out``, the finished tiny sweep."""
    folder = tmp_path_factory.mktemp("finished")
    make(folder / "tiny.toml", TINY)
    make(folder / "tiny-sweep.toml", TINY_SWEEP)
    done = subprocess.run(
        [sys.executable, "-m", "servicesim.cli", *SWEEP, "--progress", "off"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"the tiny sweep failed: {done.stderr}"
    return folder


def one_error_line(stderr: str, words: tuple[str, ...], case: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, f"{case}: expected one line on stderr, got {stderr!r}"
    line = lines[0]
    assert line.startswith("servicesim: error: "), f"{case}: {line!r}"
    missing = [word for word in words if word not in line]
    assert not missing, f"{case}: {missing} not in {line!r}"
    assert len(line) <= LONGEST_LINE, f"{case}: the message is {len(line)} characters long"


@pytest.mark.parametrize("hostile", HOSTILE_COMMANDS, ids=lambda h: h.case)
def test_a_hostile_file_is_one_line_and_exit_2(
    hostile: Hostile,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    alarm: Callable[[int], None],
) -> None:
    """``main(argv)`` as the console script runs it, in the case's folder, under an alarm."""
    if hostile.finished_sweep:
        shutil.copytree(request.getfixturevalue("finished_sweep"), tmp_path, dirs_exist_ok=True)
    for name, content in hostile.files.items():
        make(tmp_path / name, content)
    for name, change in hostile.damage.items():
        path = tmp_path / name
        make(path, change if isinstance(change, Special) else change(path.read_bytes()))
    monkeypatch.chdir(tmp_path)
    alarm(TIMEOUT)
    code = main(list(hostile.argv))
    err = capsys.readouterr().err
    assert code == 2, f"{hostile.case}: exit {code}, {err[-500:]}"
    one_error_line(err, hostile.words, hostile.case)


def test_a_relative_base_chain_works_from_another_folder(tmp_path: Path) -> None:
    """Each base is found next to the file naming it, wherever the command is typed."""
    teams = tmp_path / "teams"
    make(teams / "mine.toml", 'base = "common/tuesday.toml"\nname = "mine"\n')
    make(teams / "common" / "tuesday.toml", 'base = "../short.toml"\nagents = 23\n')
    make(teams / "short.toml", 'base = "baseline"\nhorizon_hours = 0.5\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "servicesim.cli", "run", "../teams/mine.toml"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith("Scenario 'mine'"), done.stdout
    chained = load(teams / "mine.toml")
    expected = presets.load("baseline").replace(name="mine", agents=23, horizon_hours=0.5)
    assert chained == expected, (
        "the chain mine -> common/tuesday -> short -> baseline was not followed"
    )


# --- uploads into the lab --------------------------------------------------------------------

#: Uploaded files: (case, file name, content, words the one message holds).
HOSTILE_UPLOADS = [
    (
        "a 2 MB upload",
        "big.toml",
        b"#" * (2 * MAX_FILE_BYTES),
        ("'big.toml'", f"{2 * MAX_FILE_BYTES:,} bytes"),
    ),
    (
        "arrays nested 100,000 deep",
        "deep.toml",
        b"x = " + b"[" * 100_000,
        ("'deep.toml'", f"nesting deeper than {MAX_NESTING}"),
    ),
    (
        "a key of 100,000 dotted parts",
        "keys.toml",
        b"a" + b".a" * 100_000 + b" = 1\n",
        ("'keys.toml'", "dotted parts"),
    ),
    (
        "Latin-1 bytes",
        "latin.toml",
        LATIN1,
        ("'latin.toml'", f"byte 0xe9 at offset {LATIN1.index(0xE9)}"),
    ),
    (
        "a value of 500,000 characters",
        "long.toml",
        b'agents = "' + b"A" * 500_000 + b'"\n',
        ("'long.toml'", "agents='AAA", "is not allowed"),
    ),
    (
        "/dev/zero as the base",
        "zero.toml",
        b'base = "/dev/zero"\n',
        ("'zero.toml'", "can only be a preset"),
    ),
    (
        "/etc/passwd as the base",
        "pw.toml",
        b'base = "/etc/passwd"\n',
        ("'pw.toml'", "can only be a preset"),
    ),
    (
        "a FIFO beside the lab as the base",
        "a.toml",
        b'base = "pipe.toml"\n',
        ("'a.toml'", "'pipe.toml'", "can only be a preset"),
    ),
    (
        "a file as the base",
        "a.toml",
        b'base = "tiny.toml"\n',
        ("'tiny.toml'", "can only be a preset"),
    ),
    (
        "not TOML at all",
        "notes.toml",
        b"root:x:0:0:root:/root:/bin/bash\n" * 50,
        ("'notes.toml'", "not valid TOML", "line 1"),
    ),
]


@pytest.fixture(scope="module")
def lab():
    from servicesim.widgets import Lab

    short = presets.load("baseline").replace(horizon_hours=0.5)
    return Lab(short, ["agents"], replications=2, seed=3, dashboard_replications=1)


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (TimeoutError) instead of hanging when the block takes longer than ``seconds``."""

    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def upload(lab, name: str, content: bytes) -> None:
    """What the browser does: the upload widget's value becomes the file, as ipywidgets
    holds it."""
    lab.upload.value = (
        {
            "name": name,
            "type": "application/toml",
            "size": len(content),
            "content": memoryview(content),
            "last_modified": datetime.datetime.now(datetime.UTC),
        },
    )


@pytest.mark.parametrize(
    ("case", "name", "content", "words"), HOSTILE_UPLOADS, ids=[u[0] for u in HOSTILE_UPLOADS]
)
def test_a_hostile_upload_is_one_message_in_the_lab(
    lab, case: str, name: str, content: bytes, words: tuple[str, ...], tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # what a base might try to reach: a FIFO and a file beside it
    make(tmp_path / "pipe.toml", FIFO)
    make(tmp_path / "tiny.toml", TINY)
    before = lab.scenario
    with deadline(TIMEOUT):
        upload(lab, name, content)
    shown = html.unescape(re.sub("<[^>]+>", "", lab.message.value))
    assert len(shown.splitlines()) == 1, f"{case}: {shown!r}"
    missing = [word for word in words if word not in shown]
    assert not missing, f"{case}: {missing} not in {shown!r}"
    assert len(shown) <= LONGEST_LINE, f"{case}: the message is {len(shown)} characters long"
    assert lab.scenario == before, f"{case}: a refused upload changed the scenario being edited"


def test_a_good_upload_still_loads(lab) -> None:
    """The limits refuse only what is hostile: an upload starting from a preset loads."""
    text = b'base = "baseline"\nname = "mine"\nhorizon_hours = 0.5\n[staffing]\nagents = 21\n'
    upload(lab, "mine.toml", text)
    assert lab.message.value == "", lab.message.value
    expected = presets.load("baseline").replace(name="mine", horizon_hours=0.5, agents=21)
    assert lab.scenario == expected


# --- what the checks let through -------------------------------------------------------------

FRIENDLY_TOML = [
    "[vary]\nagents = [[20, 25, 30], [22, 27, 32]]\n"
    "care_minutes = { start = 0.5, stop = 3.0, step = 0.5 }\n",
    'description = "' + "[" * 100 + '"\n# a comment with [[[[ and ' + "." * 100 + "\n",
    "text = '''\n" + "{" * 100 + "\n'''\nrates = [" + ", ".join(["1.5"] * 200) + "]\n",
    'when = 1979-05-27T07:32:00.999\n"a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v" = 1\n',
    'escaped = """ \\""" ' + "[" * 100 + ' """\n',
    "x = "
    + "[" * MAX_NESTING
    + "]" * MAX_NESTING
    + "\n"
    + ".".join(["k"] * MAX_KEY_PARTS)
    + " = 1\n",
]


@pytest.mark.parametrize("text", FRIENDLY_TOML)
def test_the_checks_let_ordinary_toml_through(text: str) -> None:
    assert parse_toml(text, "a file") == tomllib.loads(text)


def test_one_level_more_is_refused() -> None:
    with pytest.raises(ValueError, match=f"nesting deeper than {MAX_NESTING} levels at line 2"):
        parse_toml("\nx = " + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "a file")
    with pytest.raises(ValueError, match=f"line 1 has a key of more than {MAX_KEY_PARTS}"):
        parse_toml(".".join(["k"] * (MAX_KEY_PARTS + 1)) + " = 1\n", "a file")


def test_every_preset_and_example_reads_as_tomllib_reads_it() -> None:
    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("examples/**/*.toml"), *root.glob("src/servicesim/presets/*.toml")]
    assert len(files) > 10, f"only {len(files)} files found"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert parse_toml(text, str(path)) == tomllib.loads(text), path
    shift_plan = presets.load("shift-plan").toml_text()
    assert parse_toml(shift_plan, "shift plan") == tomllib.loads(shift_plan)


def test_a_file_that_is_not_toml_is_quoted_only_in_a_short_escaped_excerpt() -> None:
    text = "root:x:0:0:root:/root:/bin/bash\n\x1b[31mdaemon:x:1:1\n"
    with pytest.raises(ValueError) as refused:
        parse_toml(text, "scenario file 'passwd'")
    message = str(refused.value)
    near = message.split("near ", 1)[1].rstrip(")")
    assert len(near) <= EXCERPT_CHARS + 3, f"an excerpt of {len(near)} characters: {message}"
    assert "/bin/bash" not in message and "\x1b" not in message, message
    with pytest.raises(ValueError) as refused:
        parse_toml("x = 1\n\x1b]0;title\x07 = 2\n", "a file")
    assert "\x1b" not in str(refused.value) and "\\x1b" in str(refused.value), refused.value
