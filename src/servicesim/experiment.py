"""Run scenarios: one replication, many replications, and comparisons on common random numbers.

Replication ``i`` of seed ``s`` always draws from the same streams, whatever scenario, process
or machine runs it, so results do not depend on the executor and comparisons are paired.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from .model import run_model
from .results import KPI_INFO, Results, compute_kpis, kpi_frame
from .scenario import Scenario
from .streams import Streams, check_seed
from .tables import check_kpis, comparison_table, kpi_table

MAX_REPLICATIONS = 10_000


def simulate(scenario: Scenario, seed: int = 0, replication: int = 0) -> Results:
    """Run one replication of ``scenario``; the same (seed, replication) gives the same numbers."""
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    streams = Streams(seed, replication)
    return Results(scenario, streams.seed, replication, run_model(scenario, streams))


def run_kpis(scenario: Scenario, seed: int, replication: int) -> dict[str, float]:
    """KPIs of one replication only: what pools of workers send back."""
    return compute_kpis(scenario, run_model(scenario, Streams(seed, replication)))


def _check_n(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_REPLICATIONS:
        raise ValueError(
            f"n={n!r} is not allowed; expected a whole number in [1, {MAX_REPLICATIONS}]"
        )
    return n


def confidence_table(runs: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per column: mean, standard deviation, n and the t-based confidence interval of the mean.

    NaN runs (e.g. ASA when nobody was answered) are left out and the count says so.
    """
    rows = []
    for column in runs.columns:
        values = runs[column].to_numpy(dtype=float)
        values = values[~np.isnan(values)]
        n = len(values)
        mean = float(values.mean()) if n else math.nan
        sd = float(values.std(ddof=1)) if n > 1 else math.nan
        half = float(stats.t.ppf(0.5 + level / 2, n - 1) * sd / math.sqrt(n)) if n > 1 else math.nan
        rows.append(
            {
                "kpi": column,
                "mean": mean,
                "ci_low": mean - half,
                "ci_high": mean + half,
                "half_width": half,
                "sd": sd,
                "n": n,
            }
        )
    return pd.DataFrame(rows).set_index("kpi")


def _map(executor: Executor | None, fn: Callable, args: list[tuple]) -> list[dict[str, float]]:
    """Apply ``fn`` to every argument tuple, in order, on ``executor`` (or a process pool)."""
    if executor is None:
        workers = min(len(args), os.cpu_count() or 1)
        if workers <= 1:
            return [fn(*a) for a in args]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return _map(pool, fn, args)
    futures = [executor.submit(fn, *a) for a in args]
    return [f.result() for f in futures]


class SequentialExecutor(Executor):
    """Runs each task at once in this process: the reference the pools must agree with."""

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[override]
        from concurrent.futures import Future

        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as err:  # handed back to the caller through the future
            future.set_exception(err)
        return future


@dataclass
class Replications:
    """``runs``: one row of KPIs per replication; ``summary``: mean and CI per KPI."""

    scenario: Scenario
    seed: int
    runs: pd.DataFrame
    level: float = 0.95

    @property
    def summary(self) -> pd.DataFrame:
        return confidence_table(self.runs, self.level)

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Mean and CI of ``kpis`` (default all) rounded for reading, with their units."""
        summary = self.summary.loc[check_kpis(kpis)]
        return kpi_table(summary, ["mean", "ci_low", "ci_high"])


def replicate(
    scenario: Scenario, n: int = 30, seed: int = 0, executor: Executor | None = None
) -> Replications:
    """Run ``n`` independent replications; identical numbers whichever executor runs them."""
    seed = check_seed(seed)
    n = _check_n(n)
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    rows = _map(executor, run_kpis, [(scenario, seed, i) for i in range(n)])
    runs = kpi_frame(rows)
    runs.index.name = "replication"
    return Replications(scenario, seed, runs)


@dataclass
class Comparison:
    """Scenarios run on common random numbers, each KPI's paired difference to the first."""

    scenarios: dict[str, Scenario]
    seed: int
    runs: pd.DataFrame  # index (scenario, replication), one column per KPI
    level: float = 0.95

    @property
    def reference(self) -> str:
        return next(iter(self.scenarios))

    @property
    def summary(self) -> pd.DataFrame:
        """Mean and CI of each KPI per scenario (rows: scenario, kpi)."""
        return pd.concat(
            {name: confidence_table(self.runs.loc[name], self.level) for name in self.scenarios},
            names=["scenario"],
        )

    @property
    def differences(self) -> pd.DataFrame:
        """Per other scenario and KPI: mean paired difference to the reference, with its CI."""
        base = self.runs.loc[self.reference]
        tables = {
            name: confidence_table(self.runs.loc[name] - base, self.level)
            for name in list(self.scenarios)[1:]
        }
        frame = pd.concat(tables, names=["scenario"])
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        return frame

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Per KPI and scenario: mean, paired difference to the first with its CI (* = clear)."""
        return comparison_table(self, kpis)


def compare(
    scenarios: Mapping[str, Scenario] | Iterable[Scenario],
    n: int = 30,
    seed: int = 0,
    executor: Executor | None = None,
) -> Comparison:
    """Run every scenario on the same ``n`` replications (common random numbers) and pair them."""
    if not isinstance(scenarios, Mapping):
        scenarios = {s.name: s for s in scenarios}
    scenarios = dict(scenarios)
    if len(scenarios) < 2:
        raise ValueError(f"compare needs at least 2 scenarios, got {len(scenarios)}")
    for name, s in scenarios.items():
        if not isinstance(s, Scenario):
            raise ValueError(f"scenarios[{name!r}] must be a Scenario, got {type(s).__name__}")
    seed = check_seed(seed)
    n = _check_n(n)
    args = [(s, seed, i) for s in scenarios.values() for i in range(n)]
    rows = _map(executor, run_kpis, args)
    index = pd.MultiIndex.from_product(
        [list(scenarios), range(n)], names=["scenario", "replication"]
    )
    runs = kpi_frame(rows)
    runs.index = index
    return Comparison(scenarios, seed, runs)


__all__ = [
    "KPI_INFO",
    "Comparison",
    "Replications",
    "SequentialExecutor",
    "compare",
    "confidence_table",
    "replicate",
    "run_kpis",
    "simulate",
]
