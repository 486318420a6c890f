"""Process tests: the model's queue against exact oracles, and its bookkeeping identities.

These need no statistical tolerance: they replay the same random inputs through an independent
calculation, or check identities that hold on every sample path.
"""

from __future__ import annotations

import heapq
import math

import numpy as np
import pandas as pd
import pytest

from servicesim import Scenario, presets, simulate
from servicesim.streams import Streams

ERLANG = presets.load("erlang")


def replay_inputs(scenario: Scenario, seed: int, n: int) -> tuple[np.ndarray, ...]:
    """Arrival times, patience and handle times of the first n contacts, drawn independently.

    Constant arrival rate, no bot and no repeats: contact k is the k-th arrival and takes the
    k-th draw of each attribute stream.
    """
    streams = Streams(seed, 0)
    gap = streams.exponential("arrivals")
    patience = streams.exponential("first.patience")
    handle = streams.exponential("first.handle")
    rate = scenario.arrivals_per_hour / 60.0
    arrivals = np.cumsum([gap() / rate for _ in range(n)])
    patiences = np.array([scenario.patience_minutes * patience() for _ in range(n)])
    handles = np.array([scenario.need_minutes * handle() for _ in range(n)])
    return arrivals, patiences, handles


def earliest_free_agent(
    arrivals: np.ndarray, patience: np.ndarray, handle: np.ndarray, agents: int
) -> tuple[np.ndarray, np.ndarray]:
    """FCFS M/M/c+M by the earliest-free-agent recursion: (waits, abandoned).

    A customer is served at max(arrival, earliest time an agent frees up) unless that wait
    exceeds its patience, in which case it leaves and the agent stays free for the next one.
    """
    free = [0.0] * agents
    waits = np.empty(len(arrivals))
    abandoned = np.zeros(len(arrivals), dtype=bool)
    for k, (a, p, s) in enumerate(zip(arrivals, patience, handle, strict=True)):
        start = max(a, free[0])
        if start - a > p:
            waits[k] = p
            abandoned[k] = True
            continue
        waits[k] = start - a
        heapq.heapreplace(free, start + s)
    return waits, abandoned


@pytest.mark.parametrize(("agents", "patience"), [(14, 5.0), (10, 5.0), (8, 2.0), (12, math.inf)])
def test_queue_matches_earliest_free_agent_oracle(agents: int, patience: float) -> None:
    scenario = ERLANG.replace(
        agents=agents, patience_minutes=patience, horizon_hours=6.0, warmup_hours=0.0
    )
    res = simulate(scenario, seed=11)
    c = res.contacts
    # Only customers whose fate is decided before the end are comparable.
    done = c[c.outcome.isin(["resolved", "abandoned", "in_service_at_end"])]
    arrivals, patiences, handles = replay_inputs(scenario, 11, len(c))
    np.testing.assert_allclose(
        c.arrival_minutes,
        arrivals,
        rtol=1e-12,
        err_msg="arrival times differ from the arrival stream",
    )
    waits, abandoned = earliest_free_agent(arrivals, patiences, handles, agents)
    ids = done.contact_id.to_numpy()
    np.testing.assert_allclose(
        done.wait_minutes.to_numpy(),
        waits[ids],
        rtol=0,
        atol=1e-9,
        err_msg="waits differ from the earliest-free-agent recursion",
    )
    assert (done.abandoned.to_numpy() == abandoned[ids]).all(), "abandonment differs"
    assert abandoned[ids].sum() > 0 or math.isinf(patience), "the case must exercise reneging"


def test_single_agent_fixed_handle_follows_lindley() -> None:
    scenario = ERLANG.replace(
        agents=1,
        arrivals_per_hour=5.0,
        need_minutes=10.0,
        need_cv=0.0,
        patience_minutes=math.inf,
        horizon_hours=8.0,
        warmup_hours=0.0,
    )
    c = simulate(scenario, seed=3).contacts
    start_prev_end = 0.0
    assert (c.arrival_minutes < 480.0).all(), "no contact arrives after closing"
    for row in c.itertuples():  # the drain serves those still waiting at 480 in the same order
        start = max(row.arrival_minutes, start_prev_end)
        assert row.wait_minutes == pytest.approx(start - row.arrival_minutes, abs=1e-9), row
        assert row.handle_minutes == 10.0, "cv = 0 must give exactly the mean handle time"
        start_prev_end = start + 10.0


def test_shift_plan_sends_agents_home_after_their_contact() -> None:
    scenario = ERLANG.replace(
        agents=[3, 0],
        arrivals_per_hour=120.0,
        need_minutes=4.0,
        need_cv=0.0,
        patience_minutes=math.inf,
        horizon_hours=2.0,
        warmup_hours=0.0,
        drain_hours=0.0,  # the run ends at the horizon: nobody comes back to finish
    )
    res = simulate(scenario, seed=5)
    c = res.contacts
    answered = c[c.answered]
    start = answered.queued_minutes + answered.wait_minutes
    assert (start <= 60.0 + 1e-9).all(), "no contact may be answered when nobody is on shift"
    assert (answered.end_minutes <= 64.0 + 1e-9).all(), "contacts in hand at 60 finish by 64"
    assert (c[c.arrival_minutes > 60.0].outcome == "waiting_at_end").all()
    on_shift = res.intervals.agents_on_shift.to_numpy()
    assert on_shift[:4] == pytest.approx([3, 3, 3, 3]), "three agents in the first hour"
    assert 0.0 < on_shift[4] <= 3.0 * 4.0 / 15.0 + 1e-9, "overtime only to finish contacts"
    assert on_shift[5:] == pytest.approx([0, 0, 0]), "nobody on shift afterwards"


def test_shift_plan_brings_agents_in() -> None:
    scenario = ERLANG.replace(agents=[2, 6, 4], horizon_hours=3.0, warmup_hours=0.0)
    iv = simulate(scenario, seed=8).intervals
    hourly = iv.groupby(iv.start_minutes // 60).agents_on_shift.agg(["min", "max"])
    assert hourly.loc[0].tolist() == pytest.approx([2, 2])
    assert hourly.loc[1].tolist() == pytest.approx([6, 6])
    assert hourly.loc[2, "min"] >= 4.0 and hourly.loc[2, "max"] <= 6.0


@pytest.mark.parametrize("first", ["new", "loyal"])
def test_priority_serves_the_favoured_segment_whenever_one_waits(first: str) -> None:
    scenario = ERLANG.replace(
        agents=8,
        loyal_share=0.5,
        priority=first,
        patience_minutes=math.inf,
        horizon_hours=4.0,
        warmup_hours=0.0,
    )
    c = simulate(scenario, seed=2).contacts
    answered = c[c.answered]
    starts = (answered.queued_minutes + answered.wait_minutes).to_numpy()
    other = answered[answered.segment != first]
    favoured = c[c.segment == first]
    f_queued = favoured.queued_minutes.to_numpy()
    f_start = np.where(favoured.answered, favoured.queued_minutes + favoured.wait_minutes, np.inf)
    for row in other.itertuples():
        t = row.queued_minutes + row.wait_minutes
        waiting = ((f_queued < t) & (f_start > t + 1e-12)).sum()
        assert waiting == 0, f"a {first} customer was waiting when {row.segment} got an agent"
    assert (answered.wait_minutes > 0).sum() > 50, "the case must build a queue"
    assert len(starts) > 0


def test_priority_none_is_first_come_first_served() -> None:
    scenario = ERLANG.replace(
        agents=8, loyal_share=0.5, patience_minutes=math.inf, horizon_hours=4.0, warmup_hours=0.0
    )
    c = simulate(scenario, seed=2).contacts
    answered = c[c.answered].sort_values("queued_minutes")
    starts = (answered.queued_minutes + answered.wait_minutes).to_numpy()
    assert (np.diff(starts) >= -1e-12).all(), "answer order must follow queue order"


# The bookkeeping of the open period: without a drain the tables end at the horizon, where the
# interval integrals end too. The drain's own tests follow these.
SCENARIOS = {
    "baseline": presets.load("baseline"),
    "shift-plan": presets.load("shift-plan"),
    "overloaded": presets.load("baseline").replace(arrivals_per_hour=900.0, patience_minutes=30.0),
    "priority": presets.load("new-customers-first").replace(agents=26),
}
SCENARIOS = {name: s.replace(drain_hours=0.0) for name, s in SCENARIOS.items()}


@pytest.fixture(params=list(SCENARIOS), scope="module")
def run(request: pytest.FixtureRequest):
    return simulate(SCENARIOS[request.param], seed=4)


def test_conservation_every_queued_contact_is_answered_abandoned_or_waiting(run) -> None:
    c = run.contacts
    queued = c[c.queued_minutes.notna()]
    states = (
        queued.answered.astype(int)
        + queued.abandoned.astype(int)
        + (queued.outcome == "waiting_at_end").astype(int)
    )
    assert (states == 1).all(), "each queued contact must be in exactly one state"
    assert run.kpis["backlog"] == (queued.outcome == "waiting_at_end").sum()
    bot_only = c[(c.channel == "bot") & ~c.escalated]
    assert bot_only.queued_minutes.isna().all(), "contained bot contacts never queue"
    assert (c.wait_minutes.dropna() >= 0).all(), "waits are never negative"


def test_littles_law_holds_on_the_sample_path(run) -> None:
    horizon = run.scenario.horizon_hours * 60.0
    c = run.contacts
    queued = c[c.queued_minutes.notna()]
    area_from_contacts = np.minimum(queued.wait_minutes, horizon - queued.queued_minutes).sum()
    area_from_series = (run.intervals.queue_length * 15.0).sum()
    assert area_from_series == pytest.approx(area_from_contacts, rel=1e-9), (
        "time-integral of the queue length must equal the sum of waits"
    )


def test_busy_time_equals_handle_time_and_occupancy_in_range(run) -> None:
    horizon = run.scenario.horizon_hours * 60.0
    c = run.contacts
    answered = c[c.answered]
    start = answered.queued_minutes + answered.wait_minutes
    busy_from_contacts = (np.minimum(start + answered.handle_minutes, horizon) - start).sum()
    iv = run.intervals
    assert (iv.agents_busy * 15.0).sum() == pytest.approx(busy_from_contacts, rel=1e-9)
    assert (iv.agents_busy <= iv.agents_on_shift + 1e-9).all()
    assert 0.0 <= run.kpis["occupancy"] <= 1.0


def test_every_contact_of_an_issue_is_numbered_in_order(run) -> None:
    c = run.contacts.sort_values("arrival_minutes")
    attempts = c.groupby("issue_id").attempt.apply(list)
    assert all(a == list(range(1, len(a) + 1)) for a in attempts)
    issues = run.issues
    assert (issues.contacts <= run.scenario.max_attempts).all()
    per_issue = c.groupby("issue_id").size().reindex(issues.issue_id)
    assert (per_issue.to_numpy() == issues.contacts.to_numpy()).all()


def test_intervals_count_every_arrival(run) -> None:
    assert run.intervals.arrivals.sum() == len(run.contacts)
    assert len(run.intervals) == round(run.scenario.horizon_hours * 4)


def test_overload_finishes_and_reports_backlog() -> None:
    scenario = ERLANG.replace(
        arrivals_per_hour=3000.0,
        agents=5,
        patience_minutes=math.inf,
        horizon_hours=4.0,
        warmup_hours=0.0,
        drain_hours=0.0,
    )
    res = simulate(scenario, seed=1)
    capacity = 5 * 4 * 60 / 3.0
    assert res.kpis["backlog"] > 0.8 * (12000 - capacity), "the queue must grow without bound"
    assert res.kpis["occupancy"] == pytest.approx(1.0, abs=1e-3)


SCORE_KPIS = {
    "nps",
    "promoters",
    "passives",
    "detractors",
    "nps_new",
    "nps_loyal",
    "nps_bot",
    "nps_human",
    "nps_abusive",
    "nps_others",
    "mean_trust",
    *(f"detractors_{cause}" for cause in ("process", "rules", "presentation", "product")),
    "detractors_people",
    "detractors_none",
}


@pytest.mark.parametrize(
    "name", ["baseline", "erosion-spike", "shift-plan", "proactive-checkins", "internal-outages"]
)
def test_the_drain_never_changes_what_the_open_period_measured(name: str) -> None:
    scenario = presets.load(name)
    closed = simulate(scenario.replace(drain_hours=0.0), seed=6).kpis
    drained = simulate(scenario, seed=6).kpis
    assert drained.keys() == closed.keys()
    for kpi in closed.keys() - SCORE_KPIS:
        a, b = closed[kpi], drained[kpi]
        assert a == b or (math.isnan(a) and math.isnan(b)), f"{name}: {kpi} {a} -> {b}"
    assert drained["nps"] != closed["nps"], f"{name}: the drain must score the open issues"


@pytest.mark.parametrize("name", ["baseline", "erosion-spike", "cut-corners", "shift-plan"])
def test_after_the_drain_every_issue_is_scored_and_nothing_new_arrived(name: str) -> None:
    res = simulate(presets.load(name), seed=7)
    horizon = res.scenario.horizon_hours * 60.0
    issues = res.issues
    assert (issues.score >= 0).all(), "every issue must be scored"
    assert not issues.outcome.isin(["open", "unfinished"]).any(), "the drain must end them all"
    assert (issues.first_arrival_minutes < horizon).all(), "no new issue after the horizon"
    late = res.contacts[res.contacts.arrival_minutes >= horizon]
    assert len(late) > 0, f"{name}: the case must have customers coming back in the drain"
    assert (late.attempt > 1).all() and (late.channel != "checkin").all()


def test_a_drain_too_short_scores_the_rest_as_they_stand() -> None:
    scenario = ERLANG.replace(
        agents=2, arrivals_per_hour=60.0, patience_minutes=math.inf, drain_hours=1.0
    )
    res = simulate(scenario, seed=1)
    issues = res.issues
    unfinished = issues[issues.outcome == "unfinished"]
    assert len(unfinished) > 0, "the case must leave issues open after the drain"
    assert (unfinished.score >= 0).all() and not unfinished.resolved.any()


def test_bot_routes_its_share_and_escalations_pay_the_reexplain_time() -> None:
    # Behaviour off (the erlang preset), so an agent's time is exactly the need: 3 minutes.
    scenario = ERLANG.replace(bot_share=0.5, need_cv=0.0, horizon_hours=8.0, warmup_hours=0.0)
    c = simulate(scenario, seed=9).contacts
    share = (c.channel == "bot").mean()
    n = len(c)
    assert abs(share - 0.5) < 3 * math.sqrt(0.25 / n), f"bot share {share:.3f} of {n}"
    escalated = c[c.escalated & c.answered]
    direct = c[(c.channel == "human") & c.answered]
    assert len(escalated) > 50, "the case must exercise escalations"
    assert (escalated.handle_minutes == 3.0 + 1.5).all(), "escalations add the re-explain time"
    assert (direct.handle_minutes == 3.0).all()
    assert (escalated.queued_minutes == escalated.arrival_minutes + escalated.bot_minutes).all()
    outcomes = set(c[(c.channel == "bot") & ~c.escalated].outcome)
    assert outcomes <= {"bot_resolved", "bot_false_resolved", "in_bot_at_end"}


def test_warmup_excludes_early_contacts_from_kpis() -> None:
    res = simulate(ERLANG.replace(horizon_hours=4.0, warmup_hours=1.0), seed=2)
    c = res.contacts
    assert res.kpis["contacts"] == (c.arrival_minutes >= 60.0).sum()
    assert res.kpis["contacts"] < len(c)


def test_tables_have_the_documented_columns() -> None:
    res = simulate(presets.load("baseline").replace(horizon_hours=1.0), seed=1)
    for column in (
        "segment",
        "channel",
        "arrival_minutes",
        "wait_minutes",
        "abandoned",
        "answered",
        "handle_minutes",
        "resolved",
        "attempt",
    ):
        assert column in res.contacts.columns, column
    assert list(res.intervals.columns) == [
        "start_minutes",
        "end_minutes",
        "arrivals",
        "queue_length",
        "agents_busy",
        "agents_on_shift",
        "agents_down",
        "standard_minutes",
    ]
    assert isinstance(res.issues, pd.DataFrame) and "score" in res.issues.columns
