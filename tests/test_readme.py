"""The README as a newcomer meets it: every command in its code blocks, typed as written.

Each ``bash`` line (continuations joined, comments dropped, ``&&`` chains split) runs in a
shell in one temporary folder holding a copy of ``examples/``; each ``python`` block runs as
a script there. A command is set aside only for a reason named in SKIP (installs, the test
suite itself, a server, an address the reader fills in, a command another test runs as
typed). Every other command must exit 0 without a traceback.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
pytestmark = pytest.mark.slow

#: Commands not run here, and why.
SKIP = {
    r"^git clone": "fetches from the network: tests/test_fresh_clone.py clones HEAD instead",
    r"^cd servicesim$": "the folder the clone makes",
    r"^python -m pip install": "an install: .ci/run and tests/test_fresh_clone.py do it",
    r"^python -m pytest": "the test suite itself",
    r"^servicesim lab\b": "a server: tests/test_browser.py serves it and drives it",
    r"--dask tcp://": "a cluster address the reader fills in",
    r"^servicesim handouts\b": "tests/test_handouts.py runs it as typed",
}


def commands() -> list[str]:
    """Every shell command of the README's bash blocks, in order."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\s{2,}#.*$", "", line).strip()
            found += [part.strip() for part in line.split("&&") if part.strip()]
    return found


def skipped(command: str) -> str | None:
    return next((why for pattern, why in SKIP.items() if re.search(pattern, command)), None)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    here = tmp_path_factory.mktemp("readme")
    shutil.copytree(ROOT / "examples", here / "examples")
    return here


def test_the_readme_has_the_commands_it_should() -> None:
    found = commands()
    assert any(c.startswith("servicesim run baseline") for c in found)
    assert sum(skipped(c) is None for c in found) >= 12, found


@pytest.mark.parametrize("command", commands())
def test_each_command_runs_as_typed(command: str, folder: Path) -> None:
    why = skipped(command)
    if why:
        pytest.skip(why)
    done = subprocess.run(
        command, shell=True, cwd=folder, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-2000:]


@pytest.mark.parametrize("block", re.findall(r"```python\n(.*?)```", README, re.S))
def test_each_python_block_runs(block: str, folder: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", block], cwd=folder, capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-2000:]
