"""Statistical validation: the simulation against exact Erlang C / Erlang A values.

Targets come from tests/data/erlang_points.csv (exact steady-state values of the birth-death
chain), not from our own analytic module. Each check runs replications of a long
day after a warm-up, with a fixed seed, and asks that the reference lies inside the 95 %
confidence interval of the mean, and that the interval is narrow enough to mean something.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from servicesim import analytic, presets, replicate, simulate
from servicesim.experiment import confidence_table

pytestmark = pytest.mark.slow

REFERENCE = Path(__file__).parent / "data" / "erlang_points.csv"
SEED = 2026


def reference_rows() -> list[dict[str, float]]:
    with REFERENCE.open() as f:
        return [
            {k: float(v) if v else math.nan for k, v in row.items()} for row in csv.DictReader(f)
        ]


def point_id(row: dict[str, float]) -> str:
    return (
        f"{row['arrivals_per_hour']:g}/h-{row['handle_minutes']:g}min-"
        f"{row['agents']:g}agents-patience{row['patience_minutes']:g}"
    )


def run_point(row: dict[str, float], n: int):
    """Replications of the erlang preset set to one reference point, with warm-up."""
    rate, aht = row["arrivals_per_hour"], row["handle_minutes"]
    load = row["offered_load_erlangs"]
    occupancy = min(load / row["agents"], 1.0)
    # Heavier traffic relaxes more slowly: a longer warm-up and day near saturation.
    warmup, horizon = (4.0, 28.0) if occupancy > 0.9 or row["patience_minutes"] < 3 else (2.0, 22.0)
    scenario = presets.load("erlang").replace(
        arrivals_per_hour=rate,
        need_minutes=aht,
        agents=int(row["agents"]),
        patience_minutes=row["patience_minutes"],
        horizon_hours=horizon,
        warmup_hours=warmup,
    )
    return replicate(scenario, replications=n, seed=SEED)


def assert_inside(summary, kpi: str, target: float, *, max_half_width: float) -> None:
    """The reference lies in the CI, and the CI is narrow enough to have been able to miss it."""
    s = summary.loc[kpi]
    low, high = s["ci_low"], s["ci_high"]
    assert low <= target <= high, (
        f"{kpi}: reference {target:.5g} outside the 95 % CI [{low:.5g}, {high:.5g}]"
    )
    assert s["half_width"] <= max_half_width, (
        f"{kpi}: CI half-width {s['half_width']:.4g} is too wide (> {max_half_width:.4g})"
    )


def assert_outside(summary, kpi: str, wrong: float, what: str) -> None:
    """Power: the same interval rejects the value of a neighbouring, wrong system."""
    s = summary.loc[kpi]
    assert not s["ci_low"] <= wrong <= s["ci_high"], (
        f"{kpi}: the CI [{s['ci_low']:.5g}, {s['ci_high']:.5g}] cannot tell this system from "
        f"{what} ({wrong:.5g})"
    )


ERLANG_C = [r for r in reference_rows() if math.isinf(r["patience_minutes"])]
ERLANG_A = [r for r in reference_rows() if not math.isinf(r["patience_minutes"])]


@pytest.mark.parametrize("row", ERLANG_C, ids=point_id)
def test_simulation_matches_erlang_c(row: dict[str, float]) -> None:
    summary = run_point(row, n=30).summary
    assert_inside(summary, "p_wait", row["p_wait"], max_half_width=0.04)
    assert_inside(
        summary,
        "asa_seconds",
        row["asa_answered_seconds"],
        max_half_width=0.25 * row["asa_answered_seconds"],
    )
    assert_inside(summary, "service_level", row["service_level_20s"], max_half_width=0.04)
    occupancy = row["offered_load_erlangs"] / row["agents"]
    assert_inside(summary, "occupancy", occupancy, max_half_width=0.01)
    one_more = analytic.erlang_c_metrics(
        row["arrivals_per_hour"], row["handle_minutes"], int(row["agents"]) + 1
    )
    assert_outside(summary, "p_wait", one_more.p_wait, "the same queue with one more agent")
    assert_outside(summary, "asa_seconds", one_more.asa_seconds, "one more agent")


def test_erlang_c_points_include_one_above_90_percent_occupancy() -> None:
    assert max(r["offered_load_erlangs"] / r["agents"] for r in ERLANG_C) > 0.9


@pytest.mark.parametrize("row", ERLANG_A, ids=point_id)
def test_simulation_matches_erlang_a(row: dict[str, float]) -> None:
    reps = run_point(row, n=30)
    summary = reps.summary
    assert_inside(summary, "p_wait", row["p_wait"], max_half_width=0.04)
    assert_inside(
        summary, "abandonment_rate", row["p_abandon"], max_half_width=0.25 * row["p_abandon"]
    )
    assert_inside(
        summary,
        "mean_wait_seconds",
        row["mean_wait_all_arrivals_seconds"],
        max_half_width=0.25 * row["mean_wait_all_arrivals_seconds"],
    )
    one_more = analytic.erlang_a_metrics(
        row["arrivals_per_hour"],
        row["handle_minutes"],
        int(row["agents"]) + 1,
        row["patience_minutes"],
    )
    assert_outside(summary, "abandonment_rate", one_more.p_abandon, "one more agent")
    # Identity P(abandon) = theta * E[wait], paired within each replication.
    theta = 1.0 / row["patience_minutes"]
    runs = reps.runs
    gap = (runs["abandonment_rate"] - theta * runs["mean_wait_seconds"] / 60.0).to_frame("gap")
    g = confidence_table(gap).loc["gap"]
    assert g["ci_low"] <= 0.0 <= g["ci_high"], (
        f"P(abandon) - theta E[W] has CI [{g['ci_low']:.5f}, {g['ci_high']:.5f}], not around 0"
    )
    assert g["half_width"] < 0.1 * row["p_abandon"], "identity CI too wide to test"


def test_erlang_a_points_include_arrivals_above_capacity() -> None:
    assert any(r["offered_load_erlangs"] >= r["agents"] for r in ERLANG_A)


@pytest.mark.parametrize(("p", "cap"), [(0.6, 20), (0.6, 3), (0.85, 2)])
def test_repeat_contacts_multiply_volume_by_one_over_p(p: float, cap: int) -> None:
    """de Véricourt & Zhou (2005): with resolution probability p each issue costs ~1/p contacts.

    With a cap of m attempts the expected count is (1 - (1 - p)^m) / p. Agents differ (skill,
    engagement, fatigue), so p is the resolution rate the agents achieved on *first* contacts in
    each replication; the law then predicts the repeats, and the paired gap between contacts per
    issue and the law must be 0 within its CI. (Estimating p from all contacts would make the
    uncapped case true by construction.)
    Only issues that first arrive 6 hours before the end are counted, so their chains of
    10-minute repeats are complete.
    """
    scenario = presets.load("erlang").replace(
        agents=40,
        patience_minutes=math.inf,
        resolution_probability=p,
        max_attempts=cap,
        repeat_delay_minutes=10.0,
        horizon_hours=12.0,
        warmup_hours=0.0,
    )
    gaps, achieved = [], []
    for replication in range(20):
        c = simulate(scenario, seed=SEED, replication=replication).contacts
        first = c[(c.attempt == 1) & (c.arrival_minutes < 6 * 60.0)]
        chains = c[c.issue_id.isin(first.issue_id)]
        assert chains.groupby("issue_id").size().max() <= cap
        p_hat = first[first.outcome.isin(["resolved", "unresolved"])].resolved.mean()
        achieved.append(p_hat)
        gaps.append(len(chains) / len(first) - analytic.contacts_per_issue(p_hat, cap))
    ci = confidence_table(pd.DataFrame({"gap": gaps})).loc["gap"]
    law = analytic.contacts_per_issue(float(np.mean(achieved)), cap)
    assert ci["ci_low"] <= 0.0 <= ci["ci_high"], (
        f"contacts per issue minus the law: CI [{ci['ci_low']:.4f}, {ci['ci_high']:.4f}]"
    )
    assert ci["half_width"] < 0.02 * law, "CI too wide to test the 1/p law"
    assert abs(np.mean(achieved) - p) < 0.1, "the agents' resolution rate should be near p"


def test_nps_varies_between_days_more_than_one_days_sample_suggests() -> None:
    """Why a single run shows no NPS interval: the variance of NPS over 30 baseline days is
    larger than the multinomial variance within a day (chi-square test of the ratio, 5 %)."""
    scenario = presets.load("baseline")
    nps, within = [], []
    for replication in range(30):
        run = simulate(scenario, seed=1, replication=replication)
        issues = run.issues
        scored = issues[
            (issues.score >= 0) & (issues.first_arrival_minutes >= scenario.warmup_hours * 60)
        ].score
        promoters, detractors = (scored >= 9).mean(), (scored <= 6).mean()
        within.append(1e4 * (promoters + detractors - (promoters - detractors) ** 2) / len(scored))
        nps.append(run.kpis["nps"])
    n = len(nps)
    statistic = (n - 1) * np.var(nps, ddof=1) / np.mean(within)
    assert statistic > stats.chi2.ppf(0.975, n - 1), (
        f"between-day variance {np.var(nps, ddof=1):.2f} is not above the within-day "
        f"{np.mean(within):.2f} (statistic {statistic:.1f})"
    )
