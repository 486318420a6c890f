"""Several working days in one run: loyal customers keep their trust from day to day.

One KPI (``mean_trust``) gives one day's figure; trust is built and lost over repeated
contacts. :func:`working_days` repeats a one-day scenario with closed nights in between (the
model card's "Opening hours"), and :func:`trust_by_day` follows loyal customers' trust day by
day, on common random numbers, as :func:`~servicesim.compare` does for KPIs.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Executor
from dataclasses import dataclass

import pandas as pd

from .checks import DEFAULT_SEED, check_replications, check_seed
from .experiment import confidence_table, map_runs
from .model import run_model
from .results import loyal_trust_by_day
from .scenario import MAX_CONTACTS_PER_RUN, MAX_ISSUES_PER_RUN, Scenario
from .streams import Streams

#: Hours in one day of a multi-day run: the scenario's open hours, then closed until the next day.
DAY_HOURS = 24


def max_working_days(scenario: Scenario) -> int:
    """The most days :func:`working_days` can make of ``scenario``'s day: as many 24-hour days
    as the longest horizon holds, fewer if their new issues or contacts would pass the per-run
    limits."""
    highest = Scenario.spec("horizon_hours").high
    assert highest is not None, "horizon_hours has an upper bound"
    longest = int(highest // DAY_HOURS)
    per_day = scenario.expected_issues()
    if per_day > 0:
        longest = min(longest, int(MAX_ISSUES_PER_RUN // per_day))
    contacts = scenario.contact_bound()
    if contacts > 0:
        longest = min(longest, int(MAX_CONTACTS_PER_RUN // contacts))
    return max(1, longest)


def working_days(scenario: Scenario, days: int) -> Scenario:
    """``scenario``'s day ``days`` times over, closed (no arrivals, no agents) in between.

    ``scenario`` describes one working day: its ``horizon_hours`` (whole hours, at most 24)
    are the open hours, with its hourly ``arrivals_per_hour`` and ``agents``; the rest of each
    24-hour day is closed, a night as the model card describes it ("Opening hours": customers
    who would come back at night come back in the morning), the way the ``erosion-spike``
    preset runs three days. One run holds every day, so loyal customers keep their trust from
    day to day. Every other field is kept; the drain follows the last night.

    """
    if not isinstance(scenario, Scenario):
        raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
    hours = scenario.horizon_hours
    if not (hours.is_integer() and hours <= DAY_HOURS):
        raise ValueError(
            f"horizon_hours={hours!r} is not allowed for working days; expected the whole "
            f"hours of one day, in [1, {DAY_HOURS}]"
        )
    days = check_replications(days, "days", high=max_working_days(scenario))
    closed = DAY_HOURS - int(hours)
    arrivals = scenario.arrivals_by_hour() + (0.0,) * closed
    agents = scenario.agents_by_hour() + (0,) * closed
    return scenario.replace(
        horizon_hours=float(DAY_HOURS * days), arrivals_per_hour=arrivals, agents=agents
    )


def run_trust_by_day(scenario: Scenario, seed: int, replication: int, days: int) -> list[float]:
    """One replication of a :func:`working_days` scenario: loyal customers' trust per day."""
    record = run_model(scenario, Streams(seed, replication))
    return loyal_trust_by_day(record, days, DAY_HOURS * 60.0)


@dataclass
class TrustByDay:
    """Loyal customers' trust after their issues, day by day, per scenario (common random
    numbers: replication ``i`` of every scenario meets the same customers)."""

    scenarios: dict[str, Scenario]  # each one working day, as given
    days: int
    seed: int
    runs: pd.DataFrame  # index (scenario, replication), one column per day 1..days
    level: float = 0.95

    @property
    def reference(self) -> str:
        return next(iter(self.scenarios))

    @property
    def replications(self) -> int:
        """How many replications each scenario was run for."""
        return len(self.runs.loc[self.reference])

    @property
    def summary(self) -> pd.DataFrame:
        """Rows: day 1..days; columns (scenario, mean / ci_low / ci_high / half_width / n)."""
        columns = ["mean", "ci_low", "ci_high", "half_width", "n"]
        tables = {
            name: confidence_table(self.runs.loc[name], self.level)[columns].rename_axis("day")
            for name in self.scenarios
        }
        return pd.concat(tables, axis=1, names=["scenario", "stat"])

    def changes(self, first: int = 1, last: int | None = None) -> pd.DataFrame:
        """Per scenario: the paired change in trust from day ``first`` to day ``last`` (the
        last day if None), mean over replications with its CI."""
        last = self.days if last is None else last
        for name, day in (("first", first), ("last", last)):
            check_replications(day, name, high=self.days)
        change = self.runs[last] - self.runs[first]
        per_run = pd.DataFrame({name: change.loc[name].to_numpy() for name in self.scenarios})
        frame = confidence_table(per_run, self.level).rename_axis("scenario")
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        return frame

    def change_sentence(self, scenario: str) -> str:
        """How ``scenario``'s trust moved from the first day to the last, in one plain
        sentence (what a :class:`~servicesim.widgets.Prediction` reveals)."""
        if scenario not in self.scenarios:
            raise ValueError(
                f"scenario {scenario!r} is not allowed; expected one of {list(self.scenarios)}"
            )
        first, last = self.summary[(scenario, "mean")].iloc[[0, -1]]
        change = self.changes().loc[scenario]
        verdict = "a clear change" if change["significant"] else "not a clear change"
        return (
            f"Loyal customers' trust ({scenario}): {first:.2f} on day 1 → {last:.2f} on day "
            f"{self.days} ({change['mean']:+.2f}, {verdict})"
        )

    @property
    def differences(self) -> pd.DataFrame:
        """Per other scenario and day: mean paired difference to the reference, with its CI."""
        base = self.runs.loc[self.reference]
        tables = {
            name: confidence_table(self.runs.loc[name] - base, self.level).rename_axis("day")
            for name in list(self.scenarios)[1:]
        }
        frame = pd.concat(tables, names=["scenario"])
        frame["significant"] = (frame["ci_low"] > 0) | (frame["ci_high"] < 0)
        return frame


def trust_by_day(
    scenarios: Scenario | Mapping[str, Scenario],
    days: int = 5,
    replications: int = 30,
    seed: int = DEFAULT_SEED,
    executor: Executor | None = None,
) -> TrustByDay:
    """How loyal customers' trust moves over ``days`` working days, per scenario.

    One KPI (``mean_trust``) gives a single day's figure; trust is built and lost over
    repeated contacts, so this runs each one-day scenario as :func:`working_days` (closed
    nights in between; loyal customers keep their trust) and reports, per day, the mean trust
    loyal customers ended their issues with (issues counted on the day they began), over
    ``replications`` replications on common random numbers. Give one scenario, or a mapping
    of names to scenarios (the first is the reference of :attr:`TrustByDay.differences`).
    """
    if isinstance(scenarios, Scenario):
        scenarios = {scenarios.name: scenarios}
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ValueError("scenarios must be a Scenario or a non-empty mapping of names to them")
    seed = check_seed(seed)
    n = check_replications(replications)
    runs_of = {}
    for name, s in scenarios.items():
        if not isinstance(s, Scenario):
            raise ValueError(f"scenarios[{name!r}] must be a Scenario, got {type(s).__name__}")
        runs_of[name] = working_days(s, days)
    args = [(s, seed, i, days) for s in runs_of.values() for i in range(n)]
    rows = map_runs(executor, run_trust_by_day, args)
    index = pd.MultiIndex.from_product(
        [list(scenarios), range(n)], names=["scenario", "replication"]
    )
    columns = pd.Index(range(1, days + 1), name="day")
    runs = pd.DataFrame(rows, index=index, columns=columns, dtype=float)
    return TrustByDay(dict(scenarios), days, seed, runs)


__all__ = ["DAY_HOURS", "TrustByDay", "max_working_days", "trust_by_day", "working_days"]
