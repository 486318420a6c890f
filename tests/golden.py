"""Golden results: every preset at three seeds, stored so that any change to a number shows.

For each (preset, seed) the file ``tests/data/golden/<preset>-seed<seed>.json`` holds the full
KPI dict (floats written exactly, as ``repr`` does) and a SHA-256 of the contacts, issues,
agents and intervals tables (their values as CSV, without the header, so renaming a column
does not count as a change of numbers).

Refresh them only on purpose, when a change is meant to move numbers, and say why in
CHANGELOG.md::

    python tests/golden.py --refresh
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from servicesim import presets, simulate

FOLDER = Path(__file__).parent / "data" / "golden"
SEEDS = (0, 1, 2026)
TABLES = ("contacts", "issues", "agents", "intervals")


def path_for(preset: str, seed: int) -> Path:
    """Where the golden file of one preset and seed lives."""
    return FOLDER / f"{preset}-seed{seed}.json"


def table_digest(frame: Any) -> str:
    """SHA-256 of a table's values in row and column order (header and index left out)."""
    text = frame.to_csv(index=False, header=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def snapshot(preset: str, seed: int) -> dict[str, Any]:
    """What one replication of ``preset`` at ``seed`` produces, in the golden files' shape."""
    result = simulate(presets.load(preset), seed=seed, replication=0)
    tables = {name: getattr(result, name) for name in TABLES}
    return {
        "preset": preset,
        "seed": seed,
        "kpis": dict(result.kpis),
        "rows": {name: len(frame) for name, frame in tables.items()},
        "sha256": {name: table_digest(frame) for name, frame in tables.items()},
    }


def dumps(data: dict[str, Any]) -> str:
    """The file text: sorted keys, one value a line, floats exact (NaN as NaN)."""
    return json.dumps(data, indent=1, sort_keys=True, allow_nan=True) + "\n"


def cases() -> list[tuple[str, int]]:
    """Every (preset, seed) the golden tier checks."""
    return [(name, seed) for name in presets.names() for seed in SEEDS]


def refresh() -> list[Path]:
    """Write every golden file anew (and remove those of presets that no longer exist)."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    written = []
    for preset, seed in cases():
        path = path_for(preset, seed)
        path.write_text(dumps(snapshot(preset, seed)), encoding="utf-8")
        written.append(path)
    for stale in set(FOLDER.glob("*.json")) - set(written):
        stale.unlink()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--refresh", action="store_true", help="write the golden files from the current code"
    )
    args = parser.parse_args(argv)
    if not args.refresh:
        parser.print_help()
        return 2
    written = refresh()
    print(f"Wrote {len(written)} golden files to {FOLDER}; say why in CHANGELOG.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
