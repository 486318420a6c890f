"""Golden tier: every preset at three seeds gives exactly the stored numbers.

A failure means a change moved simulated numbers. If that was the intent, refresh the files
with ``python tests/golden.py --refresh`` and say why in CHANGELOG.md; otherwise it is a bug.
"""

from __future__ import annotations

import json
import math

import pytest
from golden import FOLDER, SEEDS, cases, path_for, snapshot

from servicesim import presets

pytestmark = pytest.mark.golden


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


@pytest.mark.parametrize(("preset", "seed"), cases(), ids=[f"{p}-{s}" for p, s in cases()])
def test_preset_gives_its_golden_numbers(preset: str, seed: int) -> None:
    stored = json.loads(path_for(preset, seed).read_text(encoding="utf-8"))
    now = snapshot(preset, seed)
    moved = {
        k: (stored["kpis"].get(k), v)
        for k, v in now["kpis"].items()
        if not same(stored["kpis"].get(k), v)
    }
    assert not moved, f"{preset} seed {seed}: KPIs moved (stored, now): {moved}"
    assert set(now["kpis"]) == set(stored["kpis"]), f"{preset} seed {seed}: KPI names differ"
    assert now["rows"] == stored["rows"], f"{preset} seed {seed}: table sizes moved"
    assert now["sha256"] == stored["sha256"], f"{preset} seed {seed}: table values moved"


def test_every_preset_and_seed_has_a_golden_file() -> None:
    stored = {p.name for p in FOLDER.glob("*.json")}
    expected = {path_for(p, s).name for p in presets.names() for s in SEEDS}
    assert stored == expected, "run python tests/golden.py --refresh after adding a preset"
