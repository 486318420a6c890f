"""The repository stands alone and keeps its habits: no path outside it, every test module in a
tier, the version written once, and the package marked as typed."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from conftest import TIER_NAMES, TIERS

import servicesim

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("src", "tests", "benchmarks", ".ci")
SKIPPED_DIRS = {"__pycache__", ".hypothesis", ".pytest_cache", ".mypy_cache", ".ruff_cache"}
#: "../shared" or a folder called "shared/" (not "unshared/", "my_shared/").
OUTSIDE = re.compile(rb"\.\./shared|(?<![\w.-])shared[/\\]")


def scanned_files() -> list[Path]:
    found = []
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and not SKIPPED_DIRS & set(path.relative_to(ROOT).parts):
                found.append(path)
    return found


def test_the_pattern_finds_a_shared_folder_and_nothing_else() -> None:
    for text in (b"open('../shared/DESIGN.md')", b"/work/shared/seeds", b"Path('shared/x')"):
        assert OUTSIDE.search(text), text
    for text in (b"shared memory", b"a shared stream", b"unshared/x", b"my_shared/x"):
        assert not OUTSIDE.search(text), text


def test_nothing_refers_to_a_shared_folder_outside_the_repository() -> None:
    files = scanned_files()
    assert len(files) > 20, f"only {len(files)} files found under {SCANNED}: wrong root {ROOT}?"
    this = Path(__file__).resolve()
    offending = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in files
        if path.resolve() != this
        for line, text in enumerate(path.read_bytes().splitlines(), 1)
        if OUTSIDE.search(text)
    ]
    assert not offending, f"refers to a shared folder outside the repository: {offending}"


def test_every_test_module_has_a_tier_and_every_tier_entry_a_module() -> None:
    modules = {p.stem for p in (ROOT / "tests").glob("test_*.py")}
    assert not modules - TIERS.keys(), f"not in TIERS (tests/conftest.py): {modules - TIERS.keys()}"
    assert not TIERS.keys() - modules, f"TIERS lists missing modules: {TIERS.keys() - modules}"
    assert set(TIERS.values()) <= set(TIER_NAMES), set(TIERS.values()) - set(TIER_NAMES)


def test_every_tier_is_a_declared_marker() -> None:
    pytest_options = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "pytest"
    ]["ini_options"]
    declared = {line.split(":", 1)[0] for line in pytest_options["markers"]}
    assert set(TIER_NAMES) | {"slow"} == declared, f"pyproject.toml markers: {sorted(declared)}"


def test_version_is_written_once_in_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"], "pyproject.toml writes the version itself"
    assert "version" in pyproject["project"]["dynamic"], "the version is not dynamic"
    attr = pyproject["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "servicesim.__version__", f"version read from {attr}"
    init = (ROOT / "src" / "servicesim" / "__init__.py").read_text(encoding="utf-8")
    written = re.findall(r'^__version__ = "([^"]+)"$', init, re.M)
    assert written == [servicesim.__version__], f"__version__ lines in __init__.py: {written}"


def test_package_is_marked_typed_and_ships_the_marker() -> None:
    assert (ROOT / "src" / "servicesim" / "py.typed").is_file(), "src/servicesim/py.typed missing"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = pyproject["tool"]["setuptools"]["package-data"]["servicesim"]
    assert "py.typed" in data, f"py.typed is not package data: {data}"


def test_the_readmes_example_files_ship_and_load() -> None:
    """Every file the README names under examples/ exists, loads, and matches its code block."""

    from servicesim import load
    from servicesim.sweeps import load_sweep

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    named = set(re.findall(r"examples/[\w.-]+\.toml", readme))
    designs = sorted((root / "examples" / "designs").glob("*.toml"))
    assert len(designs) == 3 and "examples/designs/*.toml" in readme, "the challenge's designs"
    for design in designs:
        assert load(design).name == design.stem
    assert named == {"examples/my-team.toml", "examples/staffing.toml"}, named
    for name in named:
        assert (root / name).is_file(), f"README names {name}, which is not in the repository"
    blocks = re.findall(r"```toml\n(.*?)```", readme, re.S)
    for name in named:
        assert (root / name).read_text(encoding="utf-8") in blocks, f"{name} differs from README"
    assert load(root / "examples/my-team.toml").name == "my-team"
    assert load_sweep(root / "examples/staffing.toml").size == 12
