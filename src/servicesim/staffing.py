"""The staffing curve: agents needed in each hour for a service-level target.

Two answers per hour: the Erlang A formula (the planner's textbook answer for that hour's
arrivals, handle time and patience) and the simulation with every mechanism of the scenario on
(bot, repeats, care, pressure...). Where they differ, the formula misses something the team
lives with.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import analytic
from .checks import DEFAULT_SEED, check_replications, check_seed
from .experiment import replicate
from .files import prepare_folder, write_csv
from .folders import claim_folder
from .processes import stopping, worker_pool
from .scenario import Scenario

#: Length and warm-up of the steady run that stands for one hour of the day.
STEADY_HOURS, STEADY_WARMUP = 3.0, 1.0
MAX_AGENT_SEARCH = 60
#: What :meth:`StaffingCurve.save` writes (the figures only where matplotlib is installed).
STAFFING_FILES = ("staffing.csv", "staffing.png", "staffing.svg", "scenario.toml")


@dataclass
class StaffingCurve:
    """Per hour (``table``): arrivals, agents by Erlang A, by the simulation, and planned."""

    scenario: Scenario
    target: float
    replications: int
    seed: int
    table: pd.DataFrame

    def figure(self):  # -> matplotlib Figure (matplotlib is optional)
        """The curve as a step chart: formula, simulation and the shift plan."""
        from . import plots

        return plots.staffing_curve(self.table, self.target)

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write staffing.csv, the scenario, and the figure as PNG and SVG (with matplotlib).

        Nothing is replaced unless ``overwrite``.
        """
        with claim_folder(folder, "staffing", STAFFING_FILES, overwrite=overwrite) as folder:
            folder = prepare_folder(folder, STAFFING_FILES, overwrite)
            write_csv(self.table, folder / "staffing.csv", overwrite)
            self.scenario.to_toml(folder / "scenario.toml", overwrite=overwrite)
            try:
                import matplotlib

                matplotlib.use("Agg")
                import matplotlib.pyplot as plt
            except ImportError:
                return folder
            figure = self.figure()
            for suffix in ("png", "svg"):
                figure.savefig(folder / f"staffing.{suffix}", dpi=120)
            plt.close(figure)
            return folder


def staffing_curve(
    scenario: Scenario,
    *,
    target: float = 0.8,
    replications: int = 10,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> StaffingCurve:
    """Agents needed in each hour of the day to answer ``target`` within the threshold.

    The simulated answer is the fewest agents whose mean service level over ``replications``
    steady runs at that hour's rate (3 hours, the first left out) meets the target.
    """
    if isinstance(target, bool) or not isinstance(target, int | float) or not 0 < target < 1:
        raise ValueError(f"target={target!r} is not allowed; expected a share in (0, 1)")
    replications = check_replications(replications)
    seed = check_seed(seed)
    if executor is None and (os.cpu_count() or 1) > 1:
        with stopping(worker_pool()) as pool:  # one pool for every step of the search
            return staffing_curve(
                scenario, target=target, replications=replications, seed=seed, executor=pool
            )
    needs: dict[float, tuple[int, int | None, float]] = {}
    rows = []
    for hour, rate in enumerate(scenario.arrivals_by_hour()):
        if rate not in needs:
            needs[rate] = _needs_for_rate(scenario, rate, target, replications, seed, executor)
        formula, simulated, level = needs[rate]
        rows.append(
            {
                "hour": hour,
                "arrivals_per_hour": rate,
                "agents_erlang_a": formula,
                "agents_simulated": simulated,
                "service_level_simulated": level,
                "agents_planned": scenario.agents_by_hour()[hour],
            }
        )
    table = pd.DataFrame(rows).set_index("hour")
    return StaffingCurve(scenario, target, replications, seed, table)


def _needs_for_rate(
    scenario: Scenario,
    rate: float,
    target: float,
    replications: int,
    seed: int,
    executor: Executor | None,
) -> tuple[int, int | None, float]:
    if rate == 0:
        return 0, 0, math.nan
    s = scenario
    formula = analytic.agents_needed(
        rate, s.need_minutes, target, s.service_level_seconds, s.patience_minutes
    )
    steady = s.replace(
        arrivals_per_hour=rate,
        agents=formula,
        horizon_hours=STEADY_HOURS,
        warmup_hours=STEADY_WARMUP,
    )
    levels: dict[int, float] = {}

    def level(agents: int) -> float:
        if agents not in levels:
            runs = replicate(steady.replace(agents=agents), replications, seed, executor).runs
            levels[agents] = float(runs["service_level"].mean())
        return levels[agents]

    agents = formula
    if level(agents) >= target:
        while agents > 1 and level(agents - 1) >= target:
            agents -= 1
    else:
        while level(agents) < target:
            agents += 1
            if agents > formula + MAX_AGENT_SEARCH:
                return formula, None, math.nan
    return formula, agents, level(agents)
