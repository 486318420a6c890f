"""Trust over several working days: the multi-day run, the per-day numbers, their chart.

``working_days`` turns a one-day scenario into consecutive days with closed nights;
``trust_by_day`` reports loyal customers' trust per day over replications on common random
numbers; ``plots.trust_over_days`` draws it. The per-day numbers are checked against the
issues table of the same run, grouped by hand.
"""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.container import ErrorbarContainer
from scipy import stats

from servicesim import Scenario, presets, simulate, trust_by_day, working_days
from servicesim.experiment import SequentialExecutor
from servicesim.plots import trust_over_days

DAY = 24 * 60.0  # minutes in one day of a multi-day run
# Few loyal customers, so each comes back several times a day and trust has room to move.
SMALL_BASE = presets.load("baseline").replace(customer_base=200)
SERIAL = SequentialExecutor()


def t_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """The t-based interval of the mean, computed here and not by the package."""
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * values.std(ddof=1)
    half /= math.sqrt(len(values))
    return values.mean() - half, values.mean() + half


@pytest.fixture(scope="module")
def accountability() -> object:
    """Five days of 'appointment' and 'heard' on the same replications."""
    return trust_by_day(
        {
            "appointment": SMALL_BASE.replace(accountability="appointment"),
            "heard": SMALL_BASE.replace(accountability="heard"),
        },
        days=5,
        replications=6,
        seed=1,
        executor=SERIAL,
    )


# --- the multi-day scenario ------------------------------------------------------------------


def test_working_days_repeat_the_day_with_closed_nights() -> None:
    day = presets.load("shift-plan")  # a different number of arrivals and agents every hour
    week = working_days(day, 3)
    assert week.horizon_hours == 72.0
    arrivals, agents = week.arrivals_by_hour(), week.agents_by_hour()
    for d in range(3):
        hours = slice(24 * d, 24 * d + 8)
        assert arrivals[hours] == day.arrivals_by_hour(), f"day {d + 1} has another profile"
        assert agents[hours] == day.agents_by_hour(), f"day {d + 1} has another shift plan"
        night = slice(24 * d + 8, 24 * (d + 1))
        assert set(arrivals[night]) == {0.0} and set(agents[night]) == {0}, "nights are closed"
    changed = {k for k, v in week.to_dict().items() if day.to_dict()[k] != v}
    assert changed == {"horizon_hours", "arrivals_per_hour", "agents"}


def test_issues_arrive_only_in_open_hours_and_customers_return_on_later_days() -> None:
    issues = simulate(working_days(SMALL_BASE, 3), seed=3).issues
    assert (issues.first_arrival_minutes % DAY < 8 * 60).all(), "an issue arrived at night"
    loyal = issues[issues.segment == "loyal"]
    days_per_customer = (loyal.first_arrival_minutes // DAY).groupby(loyal.customer).nunique()
    assert (days_per_customer == 3).mean() > 0.5, "few loyal customers came back on later days"


def test_a_day_longer_than_24_hours_or_a_part_hour_is_refused() -> None:
    for hours in (8.5, 48.0):
        with pytest.raises(ValueError, match=r"^horizon_hours=.* expected the whole hours of one"):
            working_days(SMALL_BASE.replace(horizon_hours=hours), 2)


def test_checkins_over_working_days_raise_trust_day_after_day() -> None:
    """Check-ins are made in open hours only, so over working days they follow their rate,
    and the loyal customers they call trust the company more by the last day."""
    checkins = SMALL_BASE.replace(checkins_per_hour=40.0)
    result = trust_by_day(
        {"no check-ins": SMALL_BASE, "check-ins": checkins},
        days=3,
        replications=4,
        seed=2,
        executor=SERIAL,
    )
    gain = (result.runs.loc["check-ins"][3] - result.runs.loc["no check-ins"][3]).to_numpy()
    low, _ = t_interval(gain)
    assert low > 0, gain
    record = simulate(working_days(checkins, 2), seed=2).record
    made = [c.arrival for c in record.contacts if c.channel == "checkin"]
    open_minutes = 2 * SMALL_BASE.horizon_hours * 60
    assert all(t % DAY < SMALL_BASE.horizon_hours * 60 for t in made), "a call at night"
    expected = 40.0 * open_minutes / 60
    assert abs(len(made) - expected) <= 4 * math.sqrt(expected)


@pytest.mark.parametrize("days", [0, -1, 1.5, 1000, 29, True, "5"])
def test_bad_days_are_one_line_errors_naming_days_and_the_range(days: object) -> None:
    with pytest.raises(ValueError) as error:
        trust_by_day(SMALL_BASE, days=days, replications=2)  # type: ignore[arg-type]
    message = str(error.value)
    assert message.startswith(f"days={days!r} is not allowed"), message
    assert message.endswith("expected a whole number in [1, 28]"), message
    assert "\n" not in message


def test_the_longest_run_is_28_days_or_fewer_when_issues_or_contacts_would_pass_the_limits():
    assert working_days(SMALL_BASE, 28).horizon_hours == 672.0
    # 40,000 issues a day, each one contact: 25 days reach the 1,000,000 new issues of a run.
    busy = SMALL_BASE.replace(arrivals_per_hour=5000.0, agents=600, max_attempts=1)
    assert working_days(busy, 25).expected_issues() == 1_000_000
    with pytest.raises(ValueError, match=r"^days=26 is not allowed; .* in \[1, 25\]$"):
        working_days(busy, 26)
    # Up to 3 contacts each: 16 days stay within the 2,000,000 contacts of a run, 17 do not.
    retrying = busy.replace(max_attempts=3)
    assert working_days(retrying, 16).contact_bound() == 1_920_000
    with pytest.raises(ValueError, match=r"^days=17 is not allowed; .* in \[1, 16\]$"):
        working_days(retrying, 17)


# --- the numbers -----------------------------------------------------------------------------


def test_each_day_is_the_mean_trust_of_loyal_issues_begun_that_day() -> None:
    result = trust_by_day(SMALL_BASE, days=3, replications=2, seed=7, executor=SERIAL)
    for replication in (0, 1):
        issues = simulate(working_days(SMALL_BASE, 3), seed=7, replication=replication).issues
        loyal = issues[issues.segment == "loyal"]
        by_hand = loyal.trust.groupby(loyal.first_arrival_minutes // DAY + 1).mean()
        assert list(by_hand.index) == [1, 2, 3]
        got = result.runs.loc[("baseline", replication)]
        assert got.to_numpy() == pytest.approx(by_hand.to_numpy(), rel=1e-12, abs=0)
    assert not result.runs.loc[("baseline", 0)].equals(result.runs.loc[("baseline", 1)])


def test_the_summary_is_the_mean_and_interval_of_the_runs(accountability) -> None:
    summary = accountability.summary
    assert list(summary.index) == [1, 2, 3, 4, 5]
    for name in ("appointment", "heard"):
        for day in (1, 5):
            values = accountability.runs.loc[name][day].to_numpy()
            low, high = t_interval(values)
            row = summary[name].loc[day]
            assert row["mean"] == pytest.approx(values.mean())
            assert (row["ci_low"], row["ci_high"]) == pytest.approx((low, high))
            assert row["n"] == 6


def test_kept_promises_raise_trust_and_broken_ones_lower_it_day_after_day(accountability) -> None:
    runs = accountability.runs
    appointment = runs.loc["appointment"][5] - runs.loc["appointment"][1]
    heard = runs.loc["heard"][5] - runs.loc["heard"][1]
    assert t_interval(appointment.to_numpy())[0] > 0, "appointment: trust does not rise"
    assert t_interval(heard.to_numpy())[1] < 0, "heard: trust does not fall"
    gap = (appointment - heard).to_numpy()  # paired: the same customers in both
    assert t_interval(gap)[0] > 0, "the two changes are not told apart"
    means = accountability.summary.xs("mean", axis=1, level="stat")
    assert means["appointment"].is_monotonic_increasing, means
    assert means["heard"].is_monotonic_decreasing, means
    changes = accountability.changes()
    assert changes.loc["appointment", "significant"] and changes.loc["heard", "significant"]
    assert changes.loc["heard", "mean"] == pytest.approx(heard.mean())


def test_differences_pair_each_day_with_the_reference(accountability) -> None:
    diff = accountability.differences.loc["heard"]
    runs = accountability.runs
    for day in (1, 5):
        paired = (runs.loc["heard"][day] - runs.loc["appointment"][day]).to_numpy()
        assert diff.loc[day, "mean"] == pytest.approx(paired.mean())
        assert (diff.loc[day, "ci_low"], diff.loc[day, "ci_high"]) == pytest.approx(
            t_interval(paired)
        )
    assert diff.loc[5, "mean"] < diff.loc[1, "mean"] < 0, "the gap does not widen"


def test_changes_refuse_a_day_outside_the_run(accountability) -> None:
    with pytest.raises(ValueError, match=r"^last=6 is not allowed; .* in \[1, 5\]$"):
        accountability.changes(last=6)


def test_the_same_seed_gives_the_same_frame_on_any_executor() -> None:
    scenarios = {"now": SMALL_BASE, "heard": SMALL_BASE.replace(accountability="heard")}
    first = trust_by_day(scenarios, days=2, replications=2, seed=11, executor=SERIAL)
    again = trust_by_day(scenarios, days=2, replications=2, seed=11)  # a process pool
    pd.testing.assert_frame_equal(first.runs, again.runs)
    other = trust_by_day(scenarios, days=2, replications=2, seed=12, executor=SERIAL)
    assert not first.runs.equals(other.runs)


def test_bad_scenarios_seed_and_replications_are_refused() -> None:
    with pytest.raises(ValueError, match=r"^scenarios\['x'\] must be a Scenario"):
        trust_by_day({"x": "baseline"}, days=2)  # type: ignore[dict-item]
    with pytest.raises(ValueError, match=r"^seed=-1 is not allowed"):
        trust_by_day(SMALL_BASE, days=2, seed=-1)
    with pytest.raises(ValueError, match=r"^replications=0 is not allowed"):
        trust_by_day(SMALL_BASE, days=2, replications=0)


# --- the chart -------------------------------------------------------------------------------


def test_the_chart_draws_one_line_and_interval_bars_per_scenario(accountability, tmp_path) -> None:
    for given in (accountability, accountability.summary):
        fig = trust_over_days(given)
        ax = fig.axes[0]
        lines = {line.get_label(): line for line in ax.get_lines() if line.get_label()[0] != "_"}
        assert set(lines) == {"appointment", "heard"}
        for name, line in lines.items():
            assert list(line.get_xdata()) == [1, 2, 3, 4, 5]
            means = accountability.runs.loc[name].mean().to_numpy()
            assert np.asarray(line.get_ydata()) == pytest.approx(means)
        bars = [c for c in ax.containers if isinstance(c, ErrorbarContainer)]
        assert len(bars) == 2, "one set of interval bars per scenario"
        bottom, top = ax.get_ylim()
        for name, container in zip(["appointment", "heard"], bars, strict=True):
            segments = container.lines[2][0].get_segments()
            ends = np.array([(seg[0][1], seg[1][1]) for seg in segments])
            summary = accountability.summary[name]
            assert ends[:, 0] == pytest.approx(summary["ci_low"].to_numpy())
            assert ends[:, 1] == pytest.approx(summary["ci_high"].to_numpy())
            assert bottom <= ends.min() and ends.max() <= top, "every interval fits on the axis"
            assert len(container.lines[1]) == 2, "capped, so a narrow interval still shows"
        assert ax.get_xlabel() == "Day"
        assert ax.get_ylabel() == "Loyal customers' trust in the company"
        assert ax.get_title()
        fig.savefig(tmp_path / "trust.png")
        plt.close(fig)
    assert (tmp_path / "trust.png").stat().st_size > 0


def test_one_scenario_is_named_by_its_own_name() -> None:
    result = trust_by_day(Scenario(customer_base=200), days=1, replications=2, executor=SERIAL)
    assert list(result.summary.columns.unique(level="scenario")) == ["baseline"]
    assert result.changes().loc["baseline", "mean"] == 0.0


def test_change_sentence_says_first_and_last_day_and_whether_it_is_clear(accountability) -> None:
    runs = accountability.runs.loc["heard"]
    change = (runs[5] - runs[1]).to_numpy()
    low, high = t_interval(change)
    verdict = "a clear change" if (low > 0 or high < 0) else "not a clear change"
    assert accountability.change_sentence("heard") == (
        f"Loyal customers' trust (heard): {runs[1].mean():.2f} on day 1 → "
        f"{runs[5].mean():.2f} on day 5 ({change.mean():+.2f}, {verdict})"
    )
    with pytest.raises(ValueError, match="'never' is not allowed"):
        accountability.change_sentence("never")


@pytest.mark.slow
def test_workbook_4s_five_days_of_promises() -> None:
    """Workbook 4: over five working days trust falls with sticky notes ('heard'), holds about
    level with Northbrook's logged callbacks ('committed') and climbs with the huddle
    ('appointment'), each day-5 minus day-1 change with its 95 % interval."""
    northbrook = presets.load("baseline")
    trust = trust_by_day(
        {
            "sticky note": northbrook.replace(accountability="heard"),
            "logged": northbrook,
            "huddle": northbrook.replace(accountability="appointment"),
        },
        days=5,
        replications=10,
        seed=1,
    )
    for name, (low_bound, high_bound) in {
        "sticky note": (-1.0, -0.03),
        "logged": (-0.01, 0.01),
        "huddle": (0.02, 1.0),
    }.items():
        runs = trust.runs.loc[name]
        low, high = t_interval((runs[5] - runs[1]).to_numpy())
        assert low_bound <= low and high <= high_bound, (name, low, high)
