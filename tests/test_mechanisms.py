"""Small simulations: each mechanism of docs/model.md (6-15) does what the card says.

The ``erlang`` preset switches every behaviour off (no bot, no repeats, no segments, resolution
certain, no care, no pressure); each test switches one mechanism on. Checks are exact identities
on the sample path where the card gives one, otherwise binomial or Poisson bounds of four
standard errors on a fixed seed (a false alarm would need a 1-in-15,000 draw if a seed changed).
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict

import numpy as np
import pytest

from servicesim import behaviour as b
from servicesim import presets, simulate
from servicesim.experiment import SequentialExecutor, compare, replicate

ERLANG = presets.load("erlang")
BASELINE = presets.load("baseline")
Z = 4.0  # standard errors allowed by the statistical checks


def within_binomial(successes: int, n: int, p: float) -> bool:
    return abs(successes / n - p) <= Z * math.sqrt(p * (1 - p) / n)


def answered(res):
    """Customer contacts an agent took (check-ins left out)."""
    c = res.contacts
    return c[(c.channel != "checkin") & c.answered]


def finished_by_agent(res):
    """Agent contacts that reached the end of their handling before the horizon."""
    return [
        c
        for c in res.record.contacts
        if c.channel != "checkin"
        and not math.isnan(c.answered)
        and c.ended < res.scenario.horizon_hours * 60.0
    ]


def waiting_at(contacts, t: float, exclude=None) -> int:
    """How many customer contacts were in the agents' queue at time t (strictly)."""
    n = 0
    for c in contacts:
        if c is exclude or c.channel == "checkin" or math.isnan(c.queued):
            continue
        left = c.answered if not math.isnan(c.answered) else c.ended
        if math.isnan(left):
            left = math.inf
        if c.queued < t < left:
            n += 1
    return n


# --- 4 & 6: handle time = need x share given + care + assure + re-explain -----------------


@pytest.mark.parametrize("assure", [True, False])
def test_handle_time_is_need_plus_care_assure_and_reexplain(assure):
    s = ERLANG.replace(
        care_minutes=1.25,
        assure_step=assure,
        bot_share=0.5,
        bot_containment=0.5,
        bot_reexplain_minutes=1.5,
        horizon_hours=8.0,
        warmup_hours=0.0,
    )
    c = answered(simulate(s, seed=3))
    assert c.escalated.sum() > 100 and (~c.escalated).sum() > 100
    # pressure_sensitivity 0: agents give exactly the need
    assert (c.time_ratio == 1.0).all()
    expected = c.need_minutes * 1.0 + 1.25 + (0.5 if assure else 0.0) + 1.5 * c.escalated
    np.testing.assert_allclose(c.handle_minutes, expected, rtol=1e-12)


# --- 7: work pressure and cutting corners -------------------------------------------------

TARGET, HANDLE = 2.0, 3.0  # erlang: 3-minute need, 14 agents


def pressure_scenario(sensitivity: float, arrivals: float, **more):
    return ERLANG.replace(
        pressure_sensitivity=sensitivity,
        handle_target_minutes=TARGET,
        arrivals_per_hour=arrivals,
        horizon_hours=6.0,
        warmup_hours=0.0,
        **more,
    )


@pytest.mark.parametrize("sensitivity", [0.5, 1.0])
def test_time_given_follows_pressure_from_the_queue(sensitivity):
    gap = 1 - TARGET / HANDLE
    light = answered(simulate(pressure_scenario(sensitivity, 120.0), seed=4))
    heavy = answered(simulate(pressure_scenario(sensitivity, 600.0), seed=4))
    for c in (light, heavy):
        r = c.time_ratio.to_numpy()
        assert (r >= 1 - sensitivity * gap - 1e-12).all()
        assert (r <= 1 - 0.5 * sensitivity * gap + 1e-12).all()
        # The pressure implied by each ratio is min(1, k / (0.25 x 14)) for a whole queue k.
        w = ((1 - r) / (sensitivity * gap) - 0.5) / 0.5
        k = w * 14 * 0.25
        ok = np.isclose(w, 1.0) | np.isclose(k, np.round(k), atol=1e-9)
        assert ok.all()
    # Light load: mostly nobody waits, so agents give the zero-pressure share (half the pull).
    assert (np.isclose(light.time_ratio, 1 - 0.5 * sensitivity * gap)).mean() > 0.8
    # Overload: the queue is long, most contacts are cut all the way.
    assert (np.isclose(heavy.time_ratio, 1 - sensitivity * gap)).mean() > 0.5
    assert heavy.time_ratio.mean() < light.time_ratio.mean()


def test_a_longer_queue_never_means_more_time_given_within_a_run():
    res = simulate(pressure_scenario(1.0, 300.0), seed=5)
    records = [c for c in res.record.contacts if not math.isnan(c.answered)]
    sample = records[::7]
    everyone = res.record.contacts  # abandoners waited too
    queue = np.array([waiting_at(everyone, c.answered, exclude=c) for c in sample])
    ratio = np.array([c.time_ratio for c in sample])
    # exact: the ratio is the card's function of the queue left when the agent starts
    w = np.minimum(1.0, queue / (0.25 * 14))
    expected = 1 - (0.5 + 0.5 * w) * (1 - TARGET / HANDLE)
    np.testing.assert_allclose(ratio, expected, atol=1e-12)
    assert queue.max() >= 4 and (queue == 0).any()


# --- 7: erosion of standards --------------------------------------------------------------


def test_standard_stays_put_without_erosion():
    res = simulate(pressure_scenario(1.0, 420.0, standards_erode=False), seed=6)
    assert (res.intervals.standard_minutes == HANDLE).all()
    assert res.kpis["standard_minutes"] == HANDLE


def test_standard_erodes_under_overload_never_rises_and_never_passes_the_target():
    spike = [420.0] * 3 + [120.0] * 3
    eroding = simulate(
        pressure_scenario(1.0, 0.0, standards_erode=True, erosion_hours=1.0).replace(
            arrivals_per_hour=spike
        ),
        seed=6,
    )
    steady = simulate(pressure_scenario(1.0, 0.0).replace(arrivals_per_hour=spike), seed=6)
    series = eroding.intervals.standard_minutes.to_numpy()
    assert (np.diff(series) <= 0).all()
    assert series[-1] < HANDLE - 0.3
    assert series.min() >= TARGET  # a >= target, and S only moves toward a
    after_spike = eroding.intervals.set_index("end_minutes").standard_minutes[180.0]
    assert series[-1] <= after_spike < HANDLE
    # the time given also stays at or above the target
    assert (answered(eroding).time_ratio >= TARGET / HANDLE - 1e-12).all()

    # After the spike the eroded team gives less time than the team whose standard held.
    def late(res):
        return answered(res).query("queued_minutes >= 180").time_ratio.mean()

    assert late(eroding) < late(steady) - 0.05


# --- 5: opening hours ----------------------------------------------------------------------


def test_comebacks_due_in_a_closed_hour_wait_for_the_next_opening():
    day = [200.0] * 4 + [0.0] * 20
    staff = [14] * 4 + [0] * 20
    scenario = ERLANG.replace(
        arrivals_per_hour=day * 2 + [0.0] * 24,
        agents=staff * 2 + [0] * 24,
        horizon_hours=72.0,
        resolution_probability=0.5,
        max_attempts=3,
        repeat_delay_minutes=120.0,
        patience_minutes=5.0,
        retry_after_abandon=0.5,
        drain_hours=0.0,
    )
    res = simulate(scenario, seed=9)
    arrivals = np.array([c.arrival for c in res.record.contacts])
    hour_of_day = (arrivals // 60) % 24
    assert (hour_of_day < 4).all(), "a contact arrived while the centre was closed"
    # Comebacks deferred overnight come back their own delay after the day-2 opening: spread
    # over the morning, none at the opening minute itself.
    deferred = [
        c
        for c in res.record.contacts
        if c.attempt > 1 and 24 * 60.0 <= c.arrival < 28 * 60.0 and c.issue.first_arrival < 240.0
    ]
    assert len(deferred) >= 20, f"only {len(deferred)} comebacks waited for the day-2 opening"
    assert len({round(c.arrival, 6) for c in deferred}) == len(deferred), "not all at once"
    # ...and on day 3 nothing opens again, so without a drain nobody comes back after day 2.
    assert arrivals.max() < 28 * 60.0
    # With the drain, those left waiting for an opening that never came come back after the
    # horizon, and every issue is scored.
    drained = simulate(scenario.replace(drain_hours=24.0), seed=9)
    late = [c for c in drained.record.contacts if c.arrival >= 72 * 60.0]
    assert late and all(c.attempt > 1 for c in late)
    assert all(i.score is not None for i in drained.record.issues)
    # An hour with arrivals but no agents is not closed: comebacks still arrive then.
    unstaffed = scenario.replace(arrivals_per_hour=[200.0] * 24, agents=staff * 3)
    late = [c.arrival for c in simulate(unstaffed, seed=9).record.contacts if c.attempt > 1]
    assert any(240.0 < t < 24 * 60.0 for t in late)


# --- 5 & 6: resolution, blame, care -------------------------------------------------------


def test_a_failed_contact_is_people_only_when_the_agents_skill_made_it_likely():
    # base 0.9: a typical agent fails 10 %; a 0.5-skill agent (logit -1.25) fails 28 %, so
    # 64 % of that failure comes from the shortfall in skill: people. With typical agents,
    # or with the time cut by a target, failures are the process's.
    base = ERLANG.replace(
        resolution_probability=0.9, skill_spread=0.0, horizon_hours=4.0, warmup_hours=0.0
    )
    for s, cause in [
        (base.replace(skill_mean=0.5), "people"),
        (base, "process"),
        (base.replace(pressure_sensitivity=1.0, handle_target_minutes=1.0), "process"),
    ]:
        res = simulate(s, seed=7)
        failed = [i for i in res.record.issues if i.failures]
        assert len(failed) > 50
        for i in failed:
            assert set(i.failures) <= {cause, "process"}, i.failures
        charged = sum(i.failures.get(cause, 0.0) for i in failed)
        assert charged > 0.9 * sum(sum(i.failures.values()) for i in failed)


def test_care_raises_first_contact_resolution():
    base = ERLANG.replace(resolution_probability=0.5, patience_minutes=math.inf, agents=20)
    low = simulate(base.replace(care_minutes=0.0), seed=1).kpis
    high = simulate(base.replace(care_minutes=2.0), seed=1).kpis
    n = low["contacts"]
    se = math.sqrt(2 * 0.25 / n)
    assert low["fcr"] == pytest.approx(0.5, abs=Z * math.sqrt(0.25 / n))
    # +0.35 per minute of effective care (about 2 x skill x (1 + engaged/2)): logit +0.7 or more
    assert high["fcr"] - low["fcr"] > 0.1 > Z * se


def test_assured_resolution_adds_trust():
    res = simulate(ERLANG.replace(assure_step=True, horizon_hours=4.0, warmup_hours=0.0), seed=8)
    done = [i for i in res.record.issues if i.outcome == "resolved"]
    assert len(done) > 500
    for i in done:
        assert i.trust_now == pytest.approx(0.5 + 0.03 * 0.5, abs=1e-15)


# --- 8: bots and humans -------------------------------------------------------------------


def test_always_offer_human_keeps_everyone_who_prefers_a_person_off_the_bot():
    s = ERLANG.replace(bot_share=0.5, human_preference=1.0, horizon_hours=8.0, warmup_hours=0.0)
    offered = simulate(s.replace(always_offer_human=True), seed=9)
    assert (offered.contacts.channel == "bot").sum() == 0
    assert not offered.issues.used_bot.any()
    screened = simulate(s, seed=9)
    bot_issues = [i for i in screened.record.issues if i.used_bot]
    assert within_binomial(len(bot_issues), len(screened.record.issues), 0.5)
    for i in bot_issues:
        assert i.forced_bot
        if i.score is not None:
            assert i.score.losses["rules"] >= b.FORCED_BOT_LOSS
    # half of those who prefer a person: about half the bot users are forced
    half = simulate(s.replace(human_preference=0.5), seed=9)
    bot = [i for i in half.record.issues if i.used_bot]
    assert within_binomial(sum(i.forced_bot for i in bot), len(bot), 0.5)


def test_always_offer_human_also_on_repeat_contacts():
    s = BASELINE.replace(always_offer_human=True, human_preference=1.0)
    res = simulate(s, seed=1)
    assert (res.contacts.channel == "bot").sum() == 0


def test_screened_customers_who_prefer_a_person_always_lose_to_rules():
    res = simulate(BASELINE.replace(human_preference=1.0), seed=1)
    for i in res.record.issues:
        if i.used_bot and i.score is not None:
            assert i.score.losses["rules"] >= b.FORCED_BOT_LOSS


# --- 9: promises, accountability and trust -------------------------------------------------


def test_promises_are_made_at_promise_share_and_kept_at_the_accountability_level():
    kept_ids = {}
    made_ids = None
    for level, p_kept in b.ACCOUNTABILITY.items():
        s = ERLANG.replace(promise_share=0.3, accountability=level, horizon_hours=12.0)
        res = simulate(s, seed=10)
        done = [c for c in finished_by_agent(res) if c.outcome in ("resolved", "unresolved")]
        made = [c for c in done if c.promise]
        kept = [c for c in made if c.promise == "kept"]
        assert within_binomial(len(made), len(done), 0.3)
        assert within_binomial(len(kept), len(made), p_kept)
        ids = {c.id for c in made}
        assert made_ids is None or ids == made_ids  # same customers, same draws
        made_ids = ids
        kept_ids[level] = {c.id for c in kept}
        # new customers start at 0.5; one kept or broken promise moves trust by the card
        for c in made:
            x = c.issue
            change = b.TRUST_PROMISE_KEPT if c.promise == "kept" else b.TRUST_PROMISE_BROKEN
            assert x.trust_now == pytest.approx(b.trust_after(0.5, change), abs=1e-15)
            if c.promise == "broken" and c.issue.score is not None:
                # trust 0.5 -> 0.425, below a new customer's: 1.6 per unit lost
                assert c.issue.score.losses["people"] == pytest.approx(1.6 * 0.5 * 0.15)
    # common random numbers: a promise kept at a lower level is kept at every higher one
    levels = list(b.ACCOUNTABILITY)
    for lower, higher in itertools.pairwise(levels):
        assert kept_ids[lower] <= kept_ids[higher]


def test_loyal_customers_carry_trust_from_one_issue_to_the_next():
    s = BASELINE.replace(customer_base=40, promise_share=0.6, defect_share=0.0)
    res = simulate(s, seed=11)
    issues = [i for i in res.record.issues if i.customer >= 0]
    new = [i for i in res.record.issues if i.customer < 0]
    assert all(i.trust_at_start == b.TRUST_NEW_CUSTOMER for i in new)
    by_customer = defaultdict(list)
    for i in issues:
        by_customer[i.customer].append(i)
    chained = 0
    for history in by_customer.values():
        history.sort(key=lambda i: i.first_arrival)
        assert history[0].trust_at_start == b.TRUST_LOYAL_CUSTOMER
        for a, later in itertools.pairwise(history):
            end_a = a.ended if not math.isnan(a.ended) else math.inf
            others = [
                c
                for c in history
                if c is not a
                and c.first_arrival < later.first_arrival
                and (c.ended if not math.isnan(c.ended) else math.inf) > a.first_arrival
            ]
            if end_a < later.first_arrival and not others:
                # nothing else moved this customer's trust in between: it carries over exactly
                assert later.trust_at_start == a.trust_now
                chained += 1
    assert chained > 100
    starts = [i.trust_at_start for i in issues]
    assert sum(t != b.TRUST_LOYAL_CUSTOMER for t in starts) > 200


# --- 9: proactive check-ins ---------------------------------------------------------------


def test_checkins_arrive_at_their_rate_wait_behind_customers_and_raise_trust():
    rate = 10.0
    s = ERLANG.replace(checkins_per_hour=rate, customer_base=50, arrivals_per_hour=240.0)
    res = simulate(s, seed=12)
    without = simulate(s.replace(checkins_per_hour=0.0), seed=12)
    contacts = res.record.contacts
    checkins = [c for c in contacts if c.channel == "checkin"]
    expected = rate * s.horizon_hours
    assert abs(len(checkins) - expected) <= Z * math.sqrt(expected)
    assert not any(c.abandoned for c in checkins)
    # never counted as customer contacts (no repeats in erlang: the customers are the same)
    warm = s.warmup_hours * 60
    assert res.kpis["contacts"] == sum(
        1 for c in contacts if c.channel != "checkin" and c.arrival >= warm
    )
    assert res.kpis["contacts"] == without.kpis["contacts"]
    done = [c for c in checkins if c.outcome == "checkin"]
    horizon = s.horizon_hours * 60.0
    assert res.kpis["checkins"] == sum(1 for c in done if c.arrival >= warm and c.ended < horizon)
    assert all(c.handle == 3.0 for c in done)
    # they wait behind every customer: when an agent takes one, no customer is waiting
    customers = [c for c in contacts if c.channel != "checkin"]
    queued_long = [c for c in done if c.answered > c.queued]
    assert len(queued_long) > 10
    for c in queued_long:
        assert waiting_at(customers, c.answered) == 0
    # trust: loyal_share is 0, so only check-ins move it: 1 - 0.4 x 0.8^k after k calls
    calls = Counter(c.issue.customer for c in done)
    assert set(res.record.trust) == set(calls)
    for customer, k in calls.items():
        assert res.record.trust[customer] == pytest.approx(1 - 0.4 * 0.8**k, abs=1e-12)


def test_queued_checkins_do_not_put_pressure_on_customer_contacts():
    s = ERLANG.replace(
        agents=2,
        arrivals_per_hour=3.0,
        checkins_per_hour=100.0,
        pressure_sensitivity=1.0,
        handle_target_minutes=TARGET,
        horizon_hours=8.0,
        warmup_hours=0.0,
    )
    res = simulate(s, seed=1)
    customers = [c for c in res.record.contacts if c.channel != "checkin"]
    calm = [
        c for c in customers if not math.isnan(c.answered) and not waiting_at(customers, c.answered)
    ]
    assert len(calm) > 5
    for c in calm:
        assert c.time_ratio == pytest.approx(1 - 0.5 * (1 - TARGET / HANDLE))


# --- 10: the team -------------------------------------------------------------------------


def test_engaged_share_follows_team_trust():
    s = ERLANG.replace(agents=300, horizon_hours=1.0, warmup_hours=0.0)
    engaged = {}
    for trust in (0.0, 0.5, 1.0):
        res = simulate(s.replace(team_trust=trust), seed=13)
        agents = res.record.agents
        assert len(agents) == 300
        p = b.engaged_probability(trust)
        assert within_binomial(sum(a.engaged for a in agents), 300, p)
        engaged[trust] = {a.id for a in agents if a.engaged}
    # the same uniform draws: more trust only adds engaged agents
    assert engaged[0.0] <= engaged[0.5] <= engaged[1.0]


# --- 11: internal service -----------------------------------------------------------------


@pytest.mark.parametrize("sla", [10.0, math.inf])
def test_agents_down_matches_the_alternating_renewal_of_idle_agents(sla):
    # No customers: each agent alternates Exp(rate) up times (incidents cannot strike a down
    # agent) and min(Exp(45), SLA) repairs, so the long-run share down is r E[D] / (1 + r E[D]).
    s = ERLANG.replace(
        arrivals_per_hour=0.0,
        incidents_per_agent_day=20.0,
        repair_minutes=45.0,
        repair_sla_minutes=sla,
    )
    rate = 20.0 / 480.0
    mean_repair = 45.0 * (1 - math.exp(-sla / 45.0))
    expected = 14 * rate * mean_repair / (1 + rate * mean_repair)
    reps = replicate(s, replications=10, seed=14, executor=SequentialExecutor()).runs.agents_down
    se = reps.std(ddof=1) / math.sqrt(len(reps))
    assert abs(reps.mean() - expected) <= Z * se
    assert se < 0.05 * expected  # precise enough to mean something


def test_a_repair_sla_lowers_agents_down_under_load():
    s = ERLANG.replace(incidents_per_agent_day=4.0, horizon_hours=12.0)
    cmp = compare(
        {"none": s, "sla": s.replace(repair_sla_minutes=10.0)},
        replications=6,
        seed=15,
        executor=SequentialExecutor(),
    )
    diff = cmp.differences.loc[("sla", "agents_down")]
    assert diff.ci_high < 0
    assert cmp.runs.loc["sla"].agents_down.mean() < 0.5 * cmp.runs.loc["none"].agents_down.mean()


# --- 12: product defects ------------------------------------------------------------------


def test_defect_issues_and_only_they_lose_to_product_and_score_lower():
    res = simulate(BASELINE, seed=16)
    scored = [i for i in res.record.issues if i.score is not None]
    defects = [i for i in scored if i.defect]
    others = [i for i in scored if not i.defect]
    assert within_binomial(sum(i.defect for i in res.record.issues), len(res.record.issues), 0.1)
    assert defects and all(i.score.losses["product"] == b.DEFECT_LOSS for i in defects)
    assert all(i.score.losses["product"] == 0.0 for i in others)
    mean = {k: np.mean([i.score.value for i in v]) for k, v in (("d", defects), ("o", others))}
    assert mean["d"] < mean["o"] - 1.0


# --- 13: hostile customers ----------------------------------------------------------------


def test_end_politely_ends_the_contact_within_two_minutes_and_closes_the_issue():
    s = BASELINE.replace(hostile_share=0.15, abuse_policy="end_politely")
    res = simulate(s, seed=17)
    hostile = [c for c in finished_by_agent(res) if c.hostile]
    assert len(hostile) > 100
    last_attempt = {}
    for c in res.record.contacts:
        last_attempt[c.issue.id] = max(last_attempt.get(c.issue.id, 0), c.attempt)
    for c in hostile:
        assert c.outcome == "ended_abusive"
        assert c.handle <= 2.0
        assert c.handle == pytest.approx(min(c.need * c.time_ratio, 2.0))
        assert not c.promise
        assert c.issue.outcome == "ended_abusive" and not c.issue.resolved
        assert c.attempt == last_attempt[c.issue.id]
        assert c.issue.score.losses["rules"] >= b.ABUSE_ENDED_LOSS + b.UNRESOLVED_LOSS
    assert sum(a.abuse_tolerated for a in res.record.agents) == 0
    tolerated = simulate(s.replace(abuse_policy="tolerate"), seed=17)
    # the agent is spared most of the strain
    assert res.kpis["mean_fatigue"] < 0.5 * tolerated.kpis["mean_fatigue"]


def test_tolerated_abuse_is_counted_per_agent():
    res = simulate(presets.load("hostile-customers"), seed=18)
    finished = [c for c in finished_by_agent(res) if c.hostile]
    assert len(finished) > 100
    assert all(c.outcome in ("resolved", "unresolved") for c in finished)
    assert sum(a.abuse_tolerated for a in res.record.agents) == len(finished)


def test_rude_and_abusive_contacts_come_from_one_draw_and_rudeness_is_always_tolerated():
    s = BASELINE.replace(hostile_share=0.05, rude_share=0.2, abuse_policy="end_politely")
    res = simulate(s, seed=18)
    contacts = [c for c in res.record.contacts if not c.is_checkin]
    for c in contacts:
        assert c.hostile == (c.hostile_draw < 0.05)
        assert c.rude == (0.05 <= c.hostile_draw < 0.25)
    assert within_binomial(sum(c.rude for c in contacts), len(contacts), 0.2)
    rude = [c for c in finished_by_agent(res) if c.rude]
    assert len(rude) > 100 and all(c.outcome in ("resolved", "unresolved") for c in rude)
    for issue in res.record.issues:
        assert issue.abusive == any(c.hostile for c in contacts if c.issue is issue)
    # one draw: more rudeness moves no contact between abusive and not
    calmer = simulate(s.replace(rude_share=0.0), seed=18)
    first = {c.issue.id: c.hostile for c in contacts if c.attempt == 1}
    assert first == {c.issue.id: c.hostile for c in calmer.record.contacts if c.attempt == 1}


def test_rudeness_tires_agents_a_little_and_abuse_much_more():
    """Per contact: 2 % of the fatigue headroom for rudeness, 15 % for tolerated abuse."""
    calm = BASELINE.replace(hostile_share=0.0, rude_share=0.0)
    fatigue = {
        name: simulate(scenario, seed=18).kpis["mean_fatigue"]
        for name, scenario in {
            "calm": calm,
            "rude": calm.replace(rude_share=0.2),
            "abusive": calm.replace(hostile_share=0.2),
        }.items()
    }
    assert fatigue["calm"] < fatigue["rude"] < fatigue["abusive"]
    assert fatigue["rude"] - fatigue["calm"] < 0.5 * (fatigue["abusive"] - fatigue["calm"])


# --- 2 & 14: segments and priority --------------------------------------------------------


def test_priority_passes_over_only_the_other_segment():
    for priority, favoured, other in [("none", None, None), ("new", 0, 1), ("loyal", 1, 0)]:
        res = simulate(BASELINE.replace(priority=priority), seed=19)
        issues = res.record.issues
        passed = [i for i in issues if i.passed_over]
        if favoured is None:
            assert not passed
            continue
        assert not any(i.segment == favoured for i in passed)
        assert sum(i.segment == other for i in passed) > 20
        for i in passed:
            if i.score is not None:
                assert i.score.losses["rules"] >= b.PASSED_OVER_LOSS


def test_passed_over_only_by_favoured_customers_who_came_later():
    s = ERLANG.replace(
        loyal_share=0.5,
        priority="new",
        arrivals_per_hour=260.0,
        horizon_hours=4.0,
        warmup_hours=0.0,
    )
    res = simulate(s, seed=2)
    contacts = res.record.contacts  # one contact per issue (max_attempts 1)
    served_new = [c for c in contacts if c.issue.segment == 0 and not math.isnan(c.answered)]
    flagged = [c for c in contacts if c.issue.segment == 1 and c.issue.passed_over]
    assert len(flagged) > 50
    for c in flagged:
        left = c.answered if not math.isnan(c.answered) else c.ended
        assert any(d.queued > c.queued and c.queued < d.answered <= left for d in served_new)


# --- opening hours: nights rest the agents and make no check-in calls ----------------------


def two_days_and_an_hour(**changes: object):
    """An 8-hour day, a closed night, and one open hour of day 2 with no new issues (and
    no comebacks: one attempt per issue)."""
    return BASELINE.replace(
        max_attempts=1,
        arrivals_per_hour=tuple([265.0] * 8 + [0.0] * 16 + [0.0]),
        agents=tuple([30] * 8 + [0] * 16 + [30]),
        horizon_hours=25.0,
        drain_hours=0.0,
        **changes,
    )


def test_the_night_rests_the_agents_like_any_idle_time():
    """Every agent is off for at least the 16 closed hours, so by the end of day 2's first
    hour their fatigue is at most e^(-16 h / recovery time) of what it was (at most 1)."""
    res = simulate(two_days_and_an_hour(), seed=31)
    assert all(c.arrival < 8 * 60 for c in res.record.contacts), "day 2 has no contacts"
    day_one = simulate(BASELINE.replace(drain_hours=0.0), seed=31)
    assert day_one.kpis["mean_fatigue"] > 0.2, "a day on the phones tires the team"
    bound = math.exp(-16 * 60 / b.FATIGUE_RECOVERY_MINUTES)
    assert res.kpis["mean_fatigue"] <= bound


def test_no_check_in_calls_are_made_while_the_centre_is_closed():
    res = simulate(two_days_and_an_hour(checkins_per_hour=20.0), seed=32)
    made = [c.arrival / 60.0 for c in res.record.contacts if c.channel == "checkin"]
    assert len(made) > 8 * 20 / 2, "check-ins are made while open"
    assert all(h < 8.0 or h >= 24.0 for h in made), "a check-in call was made at night"
