"""The repository stands alone: a fresh clone, with nothing beside it, passes the quick tiers.

The committed HEAD is cloned into an empty temporary folder and the README's quick command
(``-m "unit or golden"``) runs inside the clone, importing the clone's own code. A test that
read a file from outside the repository (a folder beside it, the working tree's data) fails
there.
Needs git; no network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
QUICK = "unit or golden"

pytestmark = pytest.mark.slow


def git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_a_fresh_clone_passes_the_quick_tiers_on_its_own(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.fail("git is not on PATH: the fresh-clone test needs it to clone the repository")
    inside = git("rev-parse", "--show-toplevel", cwd=ROOT)
    assert inside.returncode == 0, f"{ROOT} is not a git repository: {inside.stderr.strip()}"

    clone = tmp_path / "clone"
    cloned = git("clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone), cwd=tmp_path)
    assert cloned.returncode == 0, f"git clone failed: {cloned.stderr.strip()}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clone"], "something beside the clone"

    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = str(clone / "src")
    where = subprocess.run(
        [sys.executable, "-c", "import servicesim; print(servicesim.__file__)"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert where.returncode == 0, f"the clone's servicesim does not import: {where.stderr}"
    imported = Path(where.stdout.strip()).resolve()
    assert imported.is_relative_to(clone.resolve()), f"imported {imported}, not the clone's code"

    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-m", QUICK, "-q", "-p", "no:cacheprovider"],
        cwd=clone,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    tail = "\n".join((run.stdout + run.stderr).splitlines()[-15:])
    assert run.returncode == 0, f"the quick tiers fail in a fresh clone:\n{tail}"
    passed = re.search(r"(\d+) passed", run.stdout)
    assert passed and int(passed.group(1)) > 0, f"no test passed in the fresh clone:\n{tail}"
    assert not re.search(r"\d+ (failed|errors?|skipped|xfailed)", run.stdout), tail
