"""Test tiers: every test module belongs to exactly one tier, named in TIERS below.

The tier is added as a marker at collection, so ``python -m pytest -m unit`` (or any marker
expression) runs a tier; the default ``python -m pytest`` runs them all. The workbooks that
nbval collects (``workbooks/*.ipynb``) are tier ``notebooks``. A test module missing from
TIERS stops the run before any test starts: give a new file its tier here. ``slow`` is set in
the modules themselves and cuts across tiers.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: Fast to slow; the markers are declared in pyproject.toml.
TIER_NAMES = ("unit", "process", "integration", "statistical", "golden", "notebooks", "browser")

#: Test module (file name without .py) -> its tier.
TIERS: dict[str, str] = {
    # unit: pure functions, validation, declarations and files; at most a tiny simulation
    "test_analytic": "unit",
    "test_behaviour": "unit",
    "test_brief": "unit",
    "test_deprecations": "unit",
    "test_escaping": "unit",
    "test_layers": "unit",
    "test_modelcard": "unit",
    "test_repository": "unit",
    "test_scenario": "unit",
    "test_hostile_inputs": "unit",
    # process: the model against exact oracles and sample-path identities; same seed, same
    # numbers; common random numbers
    "test_bounded_work": "process",
    "test_mechanisms": "process",
    "test_model": "process",
    "test_reproducibility": "process",
    "test_validation_properties": "process",
    # integration: the layers over the model, each checked against what the library computes;
    # and the repository as a fresh clone
    "test_challenge": "integration",
    "test_cli": "integration",
    "test_folders": "integration",
    "test_handouts": "integration",
    "test_hostile_files": "integration",
    "test_kit": "integration",
    "test_readme": "integration",
    "test_fresh_clone": "integration",
    "test_lab": "integration",
    "test_plots": "integration",
    "test_report": "integration",
    "test_saving": "integration",
    "test_sweep": "integration",
    "test_sweep_cli": "integration",
    "test_hostile_properties": "integration",
    "test_tables": "integration",
    "test_breakdowns": "integration",
    "test_widgets": "integration",
    # statistical: against Erlang C/A, and the lessons as confidence intervals
    "test_calibration": "statistical",
    "test_ledger": "statistical",
    "test_statistical": "statistical",
    "test_trust_days": "statistical",
    # golden: stored numbers in tests/data/golden
    "test_golden": "golden",
    # notebooks: the workbooks' files and dashboards, and Binder's environment they run in
    "test_binder": "notebooks",
    "test_workbook_dashboards": "notebooks",
    "test_workbook_story": "notebooks",
    "test_workbooks": "notebooks",
    # browser: the lab in Chromium
    "test_browser": "browser",
    "test_injection": "browser",
    "test_browser_levers": "browser",
    "test_browser_room": "browser",
}

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"


def tier_of(item: pytest.Item) -> str | None:
    """The tier TIERS gives the item's file, ``notebooks`` for a workbook, else None."""
    path = Path(item.path)
    if path.suffix == ".ipynb" and path.resolve().parent == WORKBOOKS:
        return "notebooks"
    if path.suffix == ".py":
        return TIERS.get(path.stem)
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    unknown = [tier for tier in TIERS.values() if tier not in TIER_NAMES]
    if unknown:
        raise pytest.UsageError(f"tests/conftest.py: TIERS names unknown tiers {sorted(unknown)}")
    missing: set[str] = set()
    for item in items:
        tier = tier_of(item)
        if tier is None:
            missing.add(str(Path(item.path).name))
            continue
        others = {m.name for m in item.iter_markers() if m.name in TIER_NAMES} - {tier}
        if others:
            raise pytest.UsageError(
                f"{item.nodeid} is marked {sorted(others)} but TIERS in tests/conftest.py "
                f"puts it in {tier!r}: a test has exactly one tier"
            )
        item.add_marker(getattr(pytest.mark, tier))
    if missing:
        raise pytest.UsageError(
            f"no test tier for {', '.join(sorted(missing))}: add each to TIERS in "
            f"tests/conftest.py (one of {', '.join(TIER_NAMES)})"
        )


class TookTooLong(Exception):
    """The alarm went off: the call hung, or did work before refusing its input."""


@pytest.fixture
def alarm() -> Iterator[Callable[[int], None]]:
    """``alarm(seconds)``: from now on the test fails if it is still running after
    ``seconds`` (SIGALRM in the main thread), so an input that hangs fails on time instead of
    stopping the run; the alarm is cleared when the test ends."""

    def ring(signum: int, frame: object) -> None:
        raise TookTooLong("no answer in time: the input hung or was refused only after work")

    previous = signal.signal(signal.SIGALRM, ring)
    yield signal.alarm
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
