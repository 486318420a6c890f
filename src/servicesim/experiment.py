"""Run scenarios: one replication, many replications, and comparisons on common random numbers.

Replication ``i`` of seed ``s`` always draws from the same streams, whatever scenario, process
or machine runs it, so results do not depend on the executor and comparisons are paired.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .behaviour import CAUSES
from .checks import DEFAULT_SEED, MAX_REPLICATIONS, check_replications, check_seed
from .deprecation import renamed_keywords, warn_renamed
from .files import prepare_folder, safe_file_name, write_csv
from .folders import claim_folder
from .kpis import KPI_INFO, with_units
from .model import run_model
from .processes import stopping, worker_pool
from .results import RUN_FILES, Results, compute_kpis, kpi_frame, save_tables
from .scenario import Scenario
from .streams import Streams


def simulate(scenario: Scenario, seed: int = DEFAULT_SEED, replication: int = 0) -> Results:
    """Run one replication of ``scenario``; the same (seed, replication) gives the same numbers."""
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    streams = Streams(seed, replication)
    return Results(scenario, streams.seed, replication, run_model(scenario, streams))


def run_kpis(scenario: Scenario, seed: int, replication: int) -> dict[str, float]:
    """KPIs of one replication only: what pools of workers send back."""
    return compute_kpis(scenario, run_model(scenario, Streams(seed, replication)))


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


def map_runs(executor: Executor | None, fn: Callable, args: list[tuple]) -> list[dict[str, float]]:
    """Apply ``fn`` to every argument tuple, in order, on ``executor`` (or a process pool)."""
    if executor is None:
        workers = min(len(args), os.cpu_count() or 1)
        if workers <= 1:
            return [fn(*a) for a in args]
        with stopping(worker_pool(workers)) as pool:
            return map_runs(pool, fn, args)
    futures = [executor.submit(fn, *a) for a in args]
    return [f.result() for f in futures]


class SequentialExecutor(Executor):
    """Runs each task at once in this process: the reference the pools must agree with."""

    def submit(self, fn, /, *args, **kwargs):
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

    @property
    def replications(self) -> int:
        """How many replications were run."""
        return len(self.runs)

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write the run folder: KPI means with CIs, every replication's KPIs, the scenario,
        and every replication's contacts, issues, agents and 15-minute tables (each with a
        ``replication`` column; the days are simulated again here, with the same seeds).

        The same files as :meth:`Results.save`; nothing is replaced unless ``overwrite``.
        """
        with claim_folder(folder, "run", RUN_FILES, overwrite=overwrite) as folder:
            folder = prepare_folder(folder, RUN_FILES, overwrite)
            summary = self.summary[["mean", "ci_low", "ci_high", "half_width", "n"]]
            write_csv(with_units(summary), folder / "kpis.csv", overwrite)
            write_csv(self.runs, folder / "runs.csv", overwrite)
            days = [simulate(self.scenario, self.seed, r) for r in self.runs.index]
            save_tables(days, folder, overwrite=overwrite)
            self.scenario.to_toml(folder / "scenario.toml", overwrite=overwrite)
            return folder

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Deprecated: use ``servicesim.kpi_table(replications, kpis)``."""
        warn_renamed("Replications.table(kpis)", "servicesim.kpi_table(replications, kpis)")
        from .tables import kpi_table  # the deprecated shim only: formatting sits above

        return kpi_table(self, kpis)


@renamed_keywords(n="replications")
def replicate(
    scenario: Scenario,
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> Replications:
    """Run ``replications`` independent days; identical numbers whichever executor runs them."""
    seed = check_seed(seed)
    n = check_replications(replications)
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    rows = map_runs(executor, run_kpis, [(scenario, seed, i) for i in range(n)])
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

    def difference(self, scenario: str, against: str | None = None) -> pd.DataFrame:
        """Per KPI: the mean paired difference of ``scenario`` to ``against`` (the reference
        if None), with its CI; any two of the compared scenarios may be paired."""
        against = self.reference if against is None else against
        for name in (scenario, against):
            if name not in self.scenarios:
                raise ValueError(
                    f"scenario {name!r} is not allowed; expected one of {list(self.scenarios)}"
                )
        frame = confidence_table(self.runs.loc[scenario] - self.runs.loc[against], self.level)
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        return frame

    @property
    def replications(self) -> int:
        """How many replications each scenario was run for."""
        return len(self.runs.loc[self.reference])

    def cause_changes(self) -> pd.DataFrame:
        """Where to start fixing, against the reference: per other scenario and main cause,
        the paired change in detractors per 100 customers with its CI.

        Counted per customer, not as a share of detractors, so a cause that shrinks shows as
        a fall and the changes add up to the change in the share of detractors (x 100).
        """
        per_customer = pd.DataFrame(
            {
                cause: 100.0
                * self.runs["detractors"]
                * self.runs[f"detractors_{cause}"].fillna(0.0)
                for cause in (*CAUSES, "none")
            }
        )
        base = per_customer.loc[self.reference]
        tables = {
            name: confidence_table(per_customer.loc[name] - base, self.level)
            for name in list(self.scenarios)[1:]
        }
        frame = pd.concat(tables, names=["scenario"]).rename_axis(index=["scenario", "cause"])
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        return frame

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write means with CIs, paired differences, every run's KPIs and each scenario's TOML
        (:func:`comparison_files`). Nothing is replaced unless ``overwrite``.
        """
        files = dict(zip(self.scenarios, scenario_files(list(self.scenarios)), strict=True))
        names = comparison_files(list(self.scenarios))
        with claim_folder(folder, "compare", names, overwrite=overwrite) as folder:
            folder = prepare_folder(folder, names, overwrite)
            write_csv(with_units(self.summary), folder / "summary.csv", overwrite)
            write_csv(with_units(self.differences), folder / "differences.csv", overwrite)
            write_csv(self.runs, folder / "runs.csv", overwrite)
            for name, file_name in files.items():
                self.scenarios[name].to_toml(folder / file_name, overwrite=overwrite)
            return folder

    def table(self, kpis: Sequence[str] | None = None) -> pd.DataFrame:
        """Deprecated: use ``servicesim.kpi_table(comparison, kpis)``."""
        warn_renamed("Comparison.table(kpis)", "servicesim.kpi_table(comparison, kpis)")
        from .tables import comparison_table  # the deprecated shim only: formatting sits above

        return comparison_table(self, kpis)


#: What :meth:`Comparison.save` writes besides one TOML file per scenario.
COMPARE_FILES = ("summary.csv", "differences.csv", "runs.csv")


def scenario_files(names: Sequence[str]) -> list[str]:
    """The TOML file each compared scenario is saved to, in order."""
    return [f"scenario-{k + 1}-{safe_file_name(name)}.toml" for k, name in enumerate(names)]


def comparison_files(names: Sequence[str]) -> list[str]:
    """Every file :meth:`Comparison.save` writes for scenarios called ``names``."""
    return [*COMPARE_FILES, *scenario_files(names)]


@renamed_keywords(n="replications")
def compare(
    scenarios: Mapping[str, Scenario] | Iterable[Scenario],
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> Comparison:
    """Run every scenario on the same replications (common random numbers) and pair them."""
    if not isinstance(scenarios, Mapping):
        scenarios = {s.name: s for s in scenarios}
    scenarios = dict(scenarios)
    if len(scenarios) < 2:
        raise ValueError(f"compare needs at least 2 scenarios, got {len(scenarios)}")
    for name, s in scenarios.items():
        if not isinstance(s, Scenario):
            raise ValueError(f"scenarios[{name!r}] must be a Scenario, got {type(s).__name__}")
    seed = check_seed(seed)
    n = check_replications(replications)
    args = [(s, seed, i) for s in scenarios.values() for i in range(n)]
    rows = map_runs(executor, run_kpis, args)
    index = pd.MultiIndex.from_product(
        [list(scenarios), range(n)], names=["scenario", "replication"]
    )
    runs = kpi_frame(rows)
    runs.index = index
    return Comparison(scenarios, seed, runs)


__all__ = [
    "COMPARE_FILES",
    "KPI_INFO",
    "MAX_REPLICATIONS",
    "Comparison",
    "Replications",
    "SequentialExecutor",
    "compare",
    "confidence_table",
    "replicate",
    "run_kpis",
    "simulate",
]
