"""Same seed, same numbers: across calls, executors and processes; and common random numbers."""

from __future__ import annotations

import math
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from servicesim import compare, presets, replicate, simulate
from servicesim.experiment import SequentialExecutor

BASELINE = presets.load("baseline")
SMALL = BASELINE.replace(horizon_hours=2.0)


def test_same_seed_gives_identical_tables() -> None:
    a, b = simulate(BASELINE, seed=42), simulate(BASELINE, seed=42)
    pd.testing.assert_frame_equal(a.contacts, b.contacts, check_exact=True)
    pd.testing.assert_frame_equal(a.issues, b.issues, check_exact=True)
    pd.testing.assert_frame_equal(a.intervals, b.intervals, check_exact=True)
    assert a.kpis == b.kpis


def test_other_seed_or_replication_gives_other_numbers() -> None:
    base = simulate(SMALL, seed=42).contacts.arrival_minutes
    assert not base.equals(simulate(SMALL, seed=43).contacts.arrival_minutes)
    assert not base.equals(simulate(SMALL, seed=42, replication=1).contacts.arrival_minutes)


SCRIPT = """
import hashlib, sys
from servicesim import presets, simulate
c = simulate(presets.load("baseline"), seed=42).contacts
print(hashlib.sha256(c.to_csv(index=False).encode()).hexdigest())
"""


def test_same_numbers_in_a_fresh_process_with_another_hash_seed() -> None:
    digests = set()
    for hash_seed in ("0", "12345"):
        out = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": hash_seed, "PATH": "/usr/bin:/bin"},
        )
        digests.add(out.stdout.strip())
    import hashlib

    here = hashlib.sha256(
        simulate(BASELINE, seed=42).contacts.to_csv(index=False).encode()
    ).hexdigest()
    assert digests == {here}, "contacts must not depend on the process or its hash seed"


def test_replicate_is_identical_whatever_the_executor() -> None:
    sequential = replicate(SMALL, replications=6, seed=7, executor=SequentialExecutor()).runs
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = replicate(SMALL, replications=6, seed=7, executor=pool).runs
    with ThreadPoolExecutor(max_workers=3) as pool:
        threaded = replicate(SMALL, replications=6, seed=7, executor=pool).runs
    default = replicate(SMALL, replications=6, seed=7).runs
    for other in (pooled, threaded, default):
        pd.testing.assert_frame_equal(sequential, other, check_exact=True)


def test_replication_i_is_simulate_with_replication_i() -> None:
    runs = replicate(SMALL, replications=3, seed=5, executor=SequentialExecutor()).runs
    for i in range(3):
        kpis = simulate(SMALL, seed=5, replication=i).kpis
        row = runs.loc[i].to_dict()
        assert all(
            (math.isnan(v) and math.isnan(row[k])) or v == row[k] for k, v in kpis.items()
        ), f"replication {i} differs"


def test_compare_reuses_replications_of_each_scenario() -> None:
    other = SMALL.replace(agents=28, name="fewer")
    comparison = compare(
        {"now": SMALL, "fewer": other}, replications=4, seed=3, executor=SequentialExecutor()
    )
    solo = replicate(other, replications=4, seed=3, executor=SequentialExecutor()).runs
    pd.testing.assert_frame_equal(
        comparison.runs.loc["fewer"].reset_index(drop=True),
        solo.reset_index(drop=True),
        check_exact=True,
    )


def test_same_customers_meet_both_scenarios() -> None:
    """Common random numbers: staffing changes waits, not who arrives or what they need."""
    a = simulate(BASELINE, seed=9).contacts
    b = simulate(BASELINE.replace(agents=31), seed=9).contacts
    first_a = a[a.attempt == 1].set_index("issue_id")
    first_b = b[b.attempt == 1].set_index("issue_id")
    common = first_a.index.intersection(first_b.index)
    assert len(common) == len(first_a) == len(first_b)
    for column in ("arrival_minutes", "segment", "channel", "patience_minutes"):
        assert first_a.loc[common, column].equals(first_b.loc[common, column]), column


def paired_vs_independent_half_widths(now, more, n: int) -> tuple[float, float]:
    """CI half-widths of the ASA difference (one more agent): paired (CRN) and independent."""
    crn = compare({"now": now, "more": more}, replications=n, seed=2024)
    paired = crn.differences.loc[("more", "asa_seconds"), "half_width"]
    a = crn.runs.loc["now"].asa_seconds.to_numpy()
    b = replicate(more, replications=n, seed=7777).runs.asa_seconds.to_numpy()
    se = math.sqrt(a.var(ddof=1) / n + b.var(ddof=1) / n)
    independent = stats.t.ppf(0.975, n - 1) * se
    return float(paired), float(independent)


QUEUE_ONLY = presets.load("erlang").replace(
    arrivals_per_hour=250.0, horizon_hours=8.0, warmup_hours=0.0
)


@pytest.mark.parametrize(
    ("label", "now", "at_least"),
    [
        # The bare queue: only the extra agent differs between the paired runs.
        ("queue only, 14 vs 15 agents", QUEUE_ONLY, 3.0),
        # Every mechanism on: which agent (skill, engagement, fatigue) serves whom differs too,
        # so the pairs drift apart more, yet pairing must still pay off clearly.
        ("baseline, 30 vs 31 agents", BASELINE, 2.0),
    ],
)
def test_common_random_numbers_narrow_the_difference_ci(label, now, at_least, record_property):
    more = now.replace(agents=now.agents + 1)
    paired, independent = paired_vs_independent_half_widths(now, more, n=20)
    ratio = independent / paired
    record_property("crn_half_width_ratio", ratio)
    print(
        f"{label}: ASA difference half-width paired {paired:.3f} s, "
        f"independent {independent:.3f} s, ratio {ratio:.1f}"
    )
    assert ratio > at_least, f"CRN should narrow the CI at least {at_least}x, got {ratio:.2f}"


@pytest.mark.parametrize("bad", [-1, 1.5, "7", None, True])
def test_bad_seed_is_a_value_error(bad) -> None:
    with pytest.raises(ValueError, match="seed"):
        replicate(SMALL, replications=2, seed=bad)


@pytest.mark.parametrize("bad", [0, -3, 2.0, True])
def test_bad_replication_count_is_a_value_error(bad) -> None:
    with pytest.raises(ValueError, match="replications="):
        replicate(SMALL, replications=bad, seed=1)


def test_summary_ci_contains_the_mean_and_uses_t() -> None:
    runs = replicate(SMALL, replications=5, seed=1, executor=SequentialExecutor())
    s = runs.summary.loc["asa_seconds"]
    values = runs.runs.asa_seconds.to_numpy()
    expected = stats.t.ppf(0.975, 4) * values.std(ddof=1) / np.sqrt(5)
    assert s["half_width"] == pytest.approx(expected)
    assert s["ci_low"] < s["mean"] < s["ci_high"]
