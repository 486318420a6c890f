"""The figures: what each panel draws, checked against the Results it is drawn from."""

from __future__ import annotations

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
