"""Binder's environment: pinned, inside the package's own ranges, and installable as is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def pins() -> dict[str, str]:
    """Package name (canonical) -> pinned version, from binder/requirements.txt."""
    found: dict[str, str] = {}
    for line in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        specs = list(requirement.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"not pinned with ==: {line}"
        name = canonicalize_name(requirement.name)
        assert name not in found, f"{name} pinned twice"
        found[name] = specs[0].version
    return found


def test_every_requirement_is_pinned_and_numpy_fits_python_3_11() -> None:
    pinned = pins()
    assert pinned["numpy"].startswith("2.4."), "numpy 2.5 needs Python 3.12"
    assert pinned["ipywidgets"].startswith("8.")
    assert pinned["jupyterlab-widgets"].startswith("3."), (
        "the extension that goes with ipywidgets 8"
    )
    for needed in ("jupyterlab", "ipykernel", "simpy", "pandas", "scipy", "matplotlib", "nbval"):
        assert needed in pinned, f"{needed} is not pinned"


def test_pins_lie_inside_the_package_ranges() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["notebooks"]
    pinned = pins()
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{name} is a dependency of servicesim but Binder does not pin it"
        assert requirement.specifier.contains(pinned[name]), (
            f"Binder pins {name}=={pinned[name]}, "
            f"outside servicesim's range {requirement.specifier}"
        )


def test_runtime_is_the_python_ci_runs() -> None:
    runtime = (BINDER / "runtime.txt").read_text(encoding="utf-8").strip()
    assert runtime == f"python-{sys.version_info.major}.{sys.version_info.minor}"


def test_post_build_installs_the_package_without_moving_pins() -> None:
    post = BINDER / "postBuild"
    assert os.access(post, os.X_OK), "postBuild must be executable"
    text = post.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash") and "set -euo pipefail" in text
    assert re.search(r"pip install --no-deps \.\s*$", text, re.M)


@pytest.mark.slow
def test_pinned_environment_installs_and_enables_the_widgets(tmp_path: Path) -> None:
    """A fresh virtual environment, requirements.txt, then postBuild in a copy of the repo."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
    }
    env.pop("PYTHONPATH", None)

    def run(*args: str, cwd: Path = tmp_path) -> str:
        done = subprocess.run(
            args, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL
        )
        assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout + done.stderr

    run("python", "-m", "pip", "install", "--quiet", "-r", str(BINDER / "requirements.txt"))
    repo = tmp_path / "repo"
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    for name in files:
        source = ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    run("bash", str(repo / "binder" / "postBuild"), cwd=repo)

    version = run("python", "-c", "import servicesim; print(servicesim.__version__)").strip()
    assert version.splitlines()[-1] == project_version()
    run("python", "-m", "pip", "check")
    frozen = run("python", "-m", "pip", "freeze")
    for name, pinned in pins().items():
        assert re.search(
            rf"^{name}=={re.escape(pinned)}$", frozen.replace("_", "-").lower(), re.M
        ), f"{name} is not at its pinned {pinned} after postBuild"
    extensions = run("jupyter", "labextension", "list")
    line = next(
        (ln for ln in extensions.splitlines() if "@jupyter-widgets/jupyterlab-manager" in ln), ""
    )
    assert "enabled" in line and "OK" in line, f"widgets manager not enabled:\n{extensions}"


def project_version() -> str:
    """The version as written once, in src/servicesim/__init__.py (pyproject reads it there)."""
    text = (ROOT / "src" / "servicesim" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    assert match, "src/servicesim/__init__.py writes no __version__"
    return match.group(1)
