"""The figures: what each panel draws, checked against the Results it is drawn from."""

from __future__ import annotations

import itertools

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from hostile import ALL, HOSTILE, assert_drawn_as_written

from servicesim import compare, plots, presets, simulate
from servicesim.experiment import SequentialExecutor

SHORT = presets.load("baseline").replace(horizon_hours=2.0)


@pytest.fixture(scope="module")
def runs():
    return [simulate(SHORT, seed=5, replication=r) for r in range(2)]


def test_day_series_is_the_mean_queue_over_runs(runs) -> None:
    day = plots.day_series(runs)
    assert len(day) == 8 and day.index[-1] == 2.0
    by_hand = (runs[0].intervals.queue_length + runs[1].intervals.queue_length).to_numpy() / 2
    assert np.allclose(day.queue_length.to_numpy(), by_hand)
    assert (day.wait_seconds.dropna() >= 0).all()


def test_pinned_runs_add_dashed_lines(runs) -> None:
    pinned = [("a", plots.day_series(runs[:1])), ("b", plots.day_series(runs[1:]))]
    ax = plots.queue_and_waits(runs, pinned)
    assert len(ax.get_lines()) == 3, "now + 2 pinned queue lines"
    assert [line.get_linestyle() for line in ax.get_lines()] == ["-", "--", "--"]
    assert ax.get_title() and ax.get_xlabel() == "hour"


def test_score_bars_are_shares_of_the_scored_customers(runs) -> None:
    ax = plots.score_distribution(runs)
    heights = [bar.get_height() for bar in ax.patches]
    assert len(heights) == 11 and sum(heights) == pytest.approx(1.0)
    counts = plots.scores(runs)
    total = sum(int((r.issues.score >= 0).sum()) for r in runs)  # warm-up is 0 here
    assert counts.sum() == total


def test_cause_bars_add_up_to_all_detractors(runs, tmp_path) -> None:
    ax = plots.detractor_causes(runs)
    widths = {
        t.get_text(): bar.get_width()
        for t, bar in zip(ax.get_yticklabels(), ax.patches, strict=True)
    }
    assert set(widths) == {"Process", "Rules", "Presentation", "Product", "People", "No cause"}
    assert sum(widths.values()) == pytest.approx(1.0)
    assert ax.get_title() == "Where to start fixing"
    fig = plots.dashboard_figure(runs)
    assert len(fig.axes) == 4  # three panels and the queue panel's wait axis
    fig.savefig(tmp_path / "dashboard.png")
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000


def per_customer_causes(run) -> dict[str, float]:
    """Detractors per 100 scored customers by main cause, counted from the run's issues."""
    issues = run.issues[run.issues.score >= 0]  # no warm-up in SHORT
    detractors = issues[issues.score <= 6]
    counts = detractors.main_cause.replace("", "none").value_counts()
    return {c: 100 * counts.get(c, 0) / len(issues) for c in (*plots.CAUSES, "none")}


def test_cause_change_chart_shows_each_cause_against_the_reference(tmp_path) -> None:
    forced = SHORT.replace(bot_share=0.8, always_offer_human=False)
    comparison = compare(
        {"now": SHORT, "forced bot": forced}, 3, seed=5, executor=SequentialExecutor()
    )
    by_hand = {c: 0.0 for c in (*plots.CAUSES, "none")}
    for r in range(3):
        now = per_customer_causes(simulate(SHORT, seed=5, replication=r))
        then = per_customer_causes(simulate(forced, seed=5, replication=r))
        for cause in by_hand:
            by_hand[cause] += (then[cause] - now[cause]) / 3
    ax = plots.cause_changes(comparison)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    widths = dict(zip(labels, [bar.get_width() for bar in ax.patches], strict=True))
    names = {"none": "No cause"}
    assert widths == pytest.approx({names.get(c, c.capitalize()): v for c, v in by_hand.items()})
    assert max(widths, key=widths.get) == "Rules", "a forced bot brings Rules detractors"
    diff = comparison.differences.loc[("forced bot", "detractors"), "mean"]
    assert sum(widths.values()) == pytest.approx(100 * diff), "changes add up to all detractors"
    assert "against now" in ax.get_title()
    ax.figure.savefig(tmp_path / "changes.png")


def test_names_in_the_charts_are_drawn_as_written(runs) -> None:
    """Scenario names holding markup and $...$ math show literally in every chart that names
    scenarios, never as a formula."""
    other = f"other {HOSTILE[-1]}"
    comparison = compare(
        {ALL: SHORT, other: SHORT.replace(agents=25)}, 2, seed=5, executor=SequentialExecutor()
    )
    changes = plots.cause_change_figure(comparison)
    title = f"Where to start fixing: change against {ALL}"
    assert_drawn_as_written(changes, [title, other], "the change in causes")
    glance = plots.comparison_figure(comparison, ["nps", "service_level"])
    assert_drawn_as_written(glance, [ALL, other], "the comparison at a glance")
    pinned = plots.dashboard_figure(runs, pinned=[(ALL, plots.day_series(runs))])
    assert_drawn_as_written(pinned, [ALL], "the dashboard's pinned run")
    columns = pd.MultiIndex.from_product(
        [[ALL, other], ["mean", "ci_low", "ci_high"]], names=["scenario", None]
    )
    trust = pd.DataFrame(0.5, index=pd.Index([1, 2], name="day"), columns=columns)
    days = plots.trust_over_days(trust)
    assert_drawn_as_written(days, [ALL, other], "trust over days")
    for figure in (changes, glance, days):
        plt.close(figure)


# --- sweeps: a summary made by hand, so what each figure must show is known -----------------


def hand_summary(values: dict[str, list], kpi_of) -> pd.DataFrame:
    """A sweep summary over the grid of ``values``: ``nps`` = kpi_of(point), CI +- 1."""
    rows = [dict(zip(values, combo, strict=True)) for combo in itertools.product(*values.values())]
    for row in rows:
        row["nps"] = float(kpi_of(row))
        row["nps_ci_low"], row["nps_ci_high"] = row["nps"] - 1, row["nps"] + 1
    return pd.DataFrame(rows)


def cell_means(fig) -> dict[str, list[float]]:
    """Each heat map panel's title -> the means written in its cells."""
    return {ax.get_title(): [float(t.get_text()) for t in ax.texts] for ax in fig.axes if ax.images}


def test_a_line_for_one_parameter_with_its_interval() -> None:
    summary = hand_summary({"agents": [30, 26, 28]}, lambda p: p["agents"] - 20)
    fig = plots.sweep_kpi(summary, ["agents"], "nps")
    ax = fig.axes[0]
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [26, 28, 30] and list(line.get_ydata()) == [6, 8, 10]
    assert ax.get_xlabel() == "Agents (agents)" and ax.get_ylabel() == "NPS (points)"
    assert len(ax.collections) == 1, "the 95 % band"


def test_shares_are_drawn_as_percentages() -> None:
    summary = hand_summary({"bot_share": [0.0, 0.5]}, lambda p: 0.5)
    summary = summary.rename(columns=lambda c: c.replace("nps", "service_level"))
    ax = plots.sweep_kpi(summary, ["bot_share"], "service_level").axes[0]
    assert list(ax.get_lines()[0].get_ydata()) == [50.0, 50.0]
    assert ax.get_ylabel() == "Service level (%)"


def test_three_parameters_put_the_two_that_matter_most_on_the_axes() -> None:
    values = {"agents": [26, 28], "care_minutes": [1.0, 2.0, 3.0], "bot_share": [0.0, 0.3]}
    summary = hand_summary(
        values, lambda p: 100 * p["bot_share"] + 5 * p["care_minutes"] + 0.01 * p["agents"]
    )
    fig = plots.sweep_kpi(summary, list(values), "nps")
    means = cell_means(fig)
    assert list(means) == ["agents = 26", "agents = 28"], "one panel per least moving value"
    assert fig.get_supylabel() == "Sent to the bot first (bot_share, share)"
    assert fig.get_supxlabel() == "Caring (care_minutes, minutes)"
    written = sorted(100 * b + 5 * c + 0.26 for b in (0.0, 0.3) for c in (1.0, 2.0, 3.0))
    assert sorted(means["agents = 26"]) == pytest.approx(written, abs=0.05), "3 digits shown"


def test_a_fourth_parameter_is_held_at_its_middle_value_and_panels_are_capped() -> None:
    values = {
        "need_minutes": [5.0, 6.0, 7.0],
        "agents": list(range(20, 30)),
        "care_minutes": [1.0, 2.0],
        "bot_share": [0.0, 0.5],
    }
    summary = hand_summary(
        values,
        lambda p: (
            10 * p["bot_share"]
            + 5 * p["care_minutes"]
            + p["agents"] / 100
            + p["need_minutes"] / 1000
        ),
    )
    fig = plots.sweep_kpi(summary, list(values), "nps")
    title = fig.get_suptitle()
    assert "held at its middle value: need_minutes = 6" in title, title
    assert f"one panel per agents ({plots.MAX_SWEEP_PANELS} of its 10 values)" in title, title
    means = cell_means(fig)
    assert len(means) == plots.MAX_SWEEP_PANELS
    assert "agents = 20" in means and "agents = 29" in means, "the first and last value shown"
    assert max(means["agents = 20"]) == pytest.approx(10 * 0.5 + 5 * 2 + 0.2 + 0.006, abs=0.05)


def test_paired_points_are_one_line_labelled_with_their_values() -> None:
    summary = pd.DataFrame(
        {"agents": [26, 28, 30], "care_minutes": [3.0, 2.0, 1.0], "nps": [1.0, 2.0, 3.0]}
    ).assign(nps_ci_low=0.0, nps_ci_high=4.0)
    ax = plots.sweep_kpi(summary, ["agents", "care_minutes"], "nps", paired=True).axes[0]
    assert list(ax.get_lines()[0].get_ydata()) == [1.0, 2.0, 3.0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert ticks == [
        "agents=26\ncare_minutes=3",
        "agents=28\ncare_minutes=2",
        "agents=30\ncare_minutes=1",
    ]


def test_a_kpi_no_point_has_says_so() -> None:
    summary = hand_summary({"agents": [26, 28]}, lambda p: np.nan)
    fig = plots.sweep_kpi(summary, ["agents"], "nps")
    assert "No point of the sweep has a value for NPS" in fig.axes[0].texts[0].get_text()
