"""The table challenge: every team's design scored against one brief on the same simulated days.

Each team saves a *design*: a scenario file, ``base = "baseline"`` plus the levers it moved.
:func:`score` runs the brief's base (``today``) and every design on the same replications
(common random numbers) and builds the scoreboard:

- a design is **valid** when it changes nothing but the brief's levers and its means meet
  every constraint; otherwise ``reason`` says why, and it gets no rank;
- valid designs are ranked on the objective. Designs are taken best mean first; a design
  *ties* with the best design of the group above it unless the paired 95 % interval of their
  difference excludes 0, in which case it starts a new group, ranked by its place (1, 1, 3).

Each design's numbers depend only on the design, the seed and the replications, and the rows
are sorted by what they show, so the scoreboard does not depend on the order of the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .behaviour import CAUSES
from .brief import Brief
from .checks import DEFAULT_SEED, check_replications, check_seed
from .experiment import Comparison, compare
from .files import prepare_folder, write_csv
from .folders import claim_folder
from .kpis import parse_constraint
from .scenario import Scenario

#: The brief's base as the scoreboard names it; no design may take the name.
TODAY = "today"
#: What ``servicesim challenge --out`` writes: the table and its figure.
SCOREBOARD_FILES = ("scoreboard.csv", "scoreboard.png")
#: The detractor columns: the share of all customers who are detractors, then the share of
#: detractors whose main cause is each cause.
CAUSE_COLUMNS = ("detractors", *(f"detractors_{c}" for c in (*CAUSES, "none")))


@dataclass(frozen=True)
class Scoreboard:
    """The challenge's result: the comparison it was scored on and one row per design."""

    brief: Brief
    comparison: Comparison
    table: pd.DataFrame  # index: design; rank, valid, reason, tied, then KPI columns

    @property
    def designs(self) -> list[str]:
        """The designs in scoreboard order: ranked ones first, best first."""
        return list(self.table.index)

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write ``scoreboard.csv`` into ``folder`` (the figure is drawn by
        :func:`servicesim.plots.scoreboard_figure`); nothing is replaced unless ``overwrite``."""
        with claim_folder(folder, "challenge", SCOREBOARD_FILES, overwrite=overwrite) as folder:
            folder = prepare_folder(folder, ["scoreboard.csv"], overwrite)
            write_csv(self.table, folder / "scoreboard.csv", overwrite)
            return folder


def score(
    brief: Brief,
    designs: Mapping[str, Scenario],
    replications: int = 10,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> Scoreboard:
    """Score every design against ``brief`` on common random numbers (see the module)."""
    if not isinstance(brief, Brief):
        raise ValueError(f"brief must be a servicesim Brief, got {type(brief).__name__}")
    if not designs:
        raise ValueError("the challenge needs at least one design")
    for name, design in designs.items():
        if not isinstance(design, Scenario):
            raise ValueError(f"design {name!r} must be a Scenario, got {type(design).__name__}")
        if name == TODAY:
            raise ValueError(f"a design may not be called {TODAY!r} (the brief's base); rename it")
    n, seed = check_replications(replications), check_seed(seed)
    names = sorted(designs)
    comparison = compare(
        {TODAY: brief.base, **{name: designs[name] for name in names}}, n, seed, executor
    )
    return Scoreboard(brief, comparison, _table(brief, comparison, names))


def _table(brief: Brief, comparison: Comparison, names: list[str]) -> pd.DataFrame:
    summary = comparison.summary
    kpi = brief.objective_kpi
    rows = {}
    for name in names:
        means = summary.loc[name]["mean"]
        reasons = brief.rule_breaks(comparison.scenarios[name])
        for text, ok in brief.met(means).items():
            if not ok:
                reasons.append(f"misses {text} ({means[parse_constraint(text)[0]]:.4g})")
        row: dict[str, object] = {"valid": not reasons, "reason": "; ".join(reasons)}
        for k in brief.kpis():
            row[k] = means[k]
            row[f"{k}_ci_low"] = summary.at[(name, k), "ci_low"]
            row[f"{k}_ci_high"] = summary.at[(name, k), "ci_high"]
        for column in CAUSE_COLUMNS:
            row[column] = means[column]
        rows[name] = row
    table = pd.DataFrame.from_dict(rows, orient="index")
    better_first = 1 if brief.maximize else -1
    order = sorted(names, key=lambda name: (-better_first * table.at[name, kpi], name))
    ranks: dict[str, int] = {}
    leader = None
    valid = [name for name in order if table.at[name, "valid"]]
    for place, name in enumerate(valid, start=1):
        if leader is not None and not _clearly_apart(comparison, leader, name, kpi):
            ranks[name] = ranks[leader]
        else:
            leader, ranks[name] = name, place
    table["rank"] = pd.array([ranks.get(name) for name in table.index], dtype="Int64")
    counts = pd.Series(ranks).value_counts()
    table["tied"] = [name in ranks and counts[ranks[name]] > 1 for name in table.index]
    table = table.loc[valid + [name for name in order if name not in ranks]]
    first = ["rank", "valid", "reason", "tied"]
    table = table[first + [c for c in table.columns if c not in first]]
    table.index.name = "design"
    return table


def _clearly_apart(comparison: Comparison, better: str, other: str, kpi: str) -> bool:
    return bool(comparison.difference(better, other).at[kpi, "significant"])


__all__ = ["CAUSE_COLUMNS", "SCOREBOARD_FILES", "TODAY", "Scoreboard", "score"]
