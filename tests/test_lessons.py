"""The coaching lessons, checked as statistical claims on common random numbers.

Each test runs scenarios on the same replications (``compare``) with a fixed seed and states a
lesson as a 95 % confidence interval of a paired difference: a claimed effect must have its
interval entirely on the claimed side of 0; a claimed "no effect" or a claimed value must lie
inside the interval, or for an equivalence, inside stated bounds. Every assertion reports the
numbers (read them with ``pytest -s``).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

from servicesim import Scenario, compare, presets, simulate
from servicesim.behaviour import ACCOUNTABILITY, ENGAGED_WITH_TRUST, ENGAGED_WITHOUT_TRUST
from servicesim.experiment import Comparison, confidence_table

pytestmark = pytest.mark.slow

BASELINE = presets.load("baseline")
CAUSES = ("process", "rules", "presentation", "product", "people")


# --- helpers --------------------------------------------------------------------------------


def paired(c: Comparison, a: str, b: str) -> pd.DataFrame:
    """Mean and 95 % CI, per KPI, of the paired difference ``a - b`` over the replications."""
    return confidence_table(c.runs.loc[a] - c.runs.loc[b])


def diff(c: Comparison, scenario: str, kpi: str) -> pd.Series:
    """Paired difference of ``kpi`` between ``scenario`` and the first scenario of ``c``."""
    return c.differences.loc[(scenario, kpi)]


def mean(c: Comparison, scenario: str, kpi: str) -> pd.Series:
    """Mean and CI of ``kpi`` in ``scenario``."""
    return c.summary.loc[(scenario, kpi)]


def fmt(row: pd.Series) -> str:
    return f"{row['mean']:.4g} [{row['ci_low']:.4g}, {row['ci_high']:.4g}]"


def note(text: str) -> None:
    """Numbers worth reading in the log (shown with ``pytest -s``)."""
    print(text)


def assert_positive(row: pd.Series, what: str) -> None:
    assert row["ci_low"] > 0, f"{what}: expected > 0, got {fmt(row)}"


def assert_negative(row: pd.Series, what: str) -> None:
    assert row["ci_high"] < 0, f"{what}: expected < 0, got {fmt(row)}"


def assert_contains(row: pd.Series, value: float, what: str) -> None:
    assert row["ci_low"] <= value <= row["ci_high"], (
        f"{what}: 95 % CI {fmt(row)} does not contain {value:.4g}"
    )


# --- 1. caring: quality up, and NPS up only if there is capacity for it -----------------------


def test_caring_raises_resolution_but_needs_staff_to_raise_nps() -> None:
    scenarios = {
        f"care{care:g}-{agents}": BASELINE.replace(care_minutes=care, agents=agents)
        for agents in (36, 26)
        for care in (1.0, 3.0)
    }
    c = compare(scenarios, replications=20, seed=101)
    enough = paired(c, "care3-36", "care1-36")
    few = paired(c, "care3-26", "care1-26")
    for label, d in (("36 agents", enough), ("26 agents", few)):
        note(
            f"care 1->3, {label}: fcr {fmt(d.loc['fcr'])}, repeat {fmt(d.loc['repeat_rate'])}, "
            f"nps {fmt(d.loc['nps'])}, asa_s {fmt(d.loc['asa_seconds'])}"
        )
        assert_positive(d.loc["fcr"], f"care 1->3 with {label}: change in FCR")
        assert_negative(d.loc["repeat_rate"], f"care 1->3 with {label}: change in repeat rate")
    assert_positive(enough.loc["nps"], "care 1->3 with 36 agents: change in NPS")
    # Too few staff: the queue eats the gain, and more.
    assert few.loc["nps", "ci_high"] <= 0, (
        f"care 1->3 with 26 agents: NPS gain should not be positive, got {fmt(few.loc['nps'])}"
    )
    assert few.loc["asa_seconds", "ci_low"] > 30, (
        f"care 1->3 with 26 agents: ASA should rise by more than 30 s, "
        f"got {fmt(few.loc['asa_seconds'])} s"
    )
    # Difference in differences: the same care gains more NPS with enough staff, and costs less
    # waiting.
    runs = c.runs
    did = confidence_table(
        (runs.loc["care3-36"] - runs.loc["care1-36"])
        - (runs.loc["care3-26"] - runs.loc["care1-26"])
    )
    note(f"care 1->3: NPS gain(36) - gain(26) {fmt(did.loc['nps'])}")
    assert_positive(did.loc["nps"], "care 1->3: NPS gain with 36 agents minus gain with 26")
    assert_negative(did.loc["asa_seconds"], "care 1->3: ASA rise with 36 agents minus rise with 26")


# --- 2. handle-time targets: shorter contacts, more repeats, and past a point more work -------

TARGETS = (4.5, 3.5, 2.5, 1.5)


def target_scenarios(base: Scenario, targets: tuple[float, ...] = TARGETS) -> dict[str, Scenario]:
    return {
        f"target{t:g}": base.replace(handle_target_minutes=t, pressure_sensitivity=1.0)
        for t in targets
    }


@pytest.fixture(scope="module")
def targets() -> Comparison:
    return compare(target_scenarios(BASELINE, (*TARGETS, 0.5)), replications=20, seed=102)


@pytest.fixture(scope="module")
def targets_no_bot() -> Comparison:
    return compare(target_scenarios(BASELINE.replace(bot_share=0.0)), replications=20, seed=102)


def test_tighter_target_shortens_contacts_and_adds_repeats(targets: Comparison) -> None:
    names = list(targets.scenarios)
    for looser, tighter in itertools.pairwise(names):
        d = paired(targets, tighter, looser)
        note(
            f"{looser}->{tighter}: aht {fmt(d.loc['mean_handle_minutes'])}, "
            f"repeat {fmt(d.loc['repeat_rate'])}, fcr {fmt(d.loc['fcr'])}, "
            f"work/res {fmt(d.loc['work_per_resolution_minutes'])}, nps {fmt(d.loc['nps'])}"
        )
        assert_negative(d.loc["mean_handle_minutes"], f"{looser}->{tighter}: change in AHT")
        assert_positive(d.loc["repeat_rate"], f"{looser}->{tighter}: change in repeat rate")
        assert_negative(d.loc["fcr"], f"{looser}->{tighter}: change in FCR")
    d = paired(targets, "target1.5", "target2.5")
    assert_negative(d.loc["nps"], "target 2.5->1.5: change in NPS")
    assert_positive(d.loc["contacts"], "target 2.5->1.5: change in contacts (load)")


def work_check(scenario, seed: int, replications: int) -> list[dict[str, float]]:
    """Per run: the KPI, AHT / p of agent contacts, and agent minutes / all resolutions."""
    rows = []
    for rep in range(replications):
        r = simulate(scenario, seed=seed, replication=rep)
        horizon = scenario.horizon_hours * 60.0
        # the open day, as the KPIs see it: the drain after the horizon is left out
        contacts = r.contacts[
            (r.contacts.channel != "checkin") & (r.contacts.arrival_minutes < horizon)
        ]
        started = contacts.queued_minutes + contacts.wait_minutes
        agent = contacts[contacts.answered & (started < horizon)]
        p_agent = (agent.resolved & (agent.end_minutes < horizon)).mean()
        rows.append(
            {
                "kpi": r.kpis["work_per_resolution_minutes"],
                "aht": r.kpis["mean_handle_minutes"],
                "p_agent": p_agent,
                "aht_over_p": r.kpis["mean_handle_minutes"] / p_agent,
                "per_all_resolutions": agent.handle_minutes.sum()
                / (contacts.resolved & (contacts.end_minutes < horizon)).sum(),
            }
        )
    return rows


def test_work_per_resolution_is_aht_over_p_without_bot() -> None:
    """With no bot every resolution is an agent's: the KPI is AHT / p (de Vericourt & Zhou)."""
    for name, scenario in target_scenarios(BASELINE.replace(bot_share=0.0)).items():
        for row in work_check(scenario, seed=102, replications=3):
            ratio = row["kpi"] / row["aht_over_p"]
            note(f"no bot, {name}: {row}")
            assert abs(ratio - 1) < 0.03, (
                f"no bot, {name}: work_per_resolution {row['kpi']:.3f} vs AHT/p = "
                f"{row['aht']:.3f}/{row['p_agent']:.3f} = {row['aht_over_p']:.3f} "
                f"(ratio {ratio:.3f})"
            )


def test_work_per_resolution_is_aht_over_p_on_baseline() -> None:
    for name, scenario in target_scenarios(BASELINE).items():
        for row in work_check(scenario, seed=102, replications=3):
            ratio = row["kpi"] / row["aht_over_p"]
            note(f"baseline bot share, {name}: {row}")
            assert abs(ratio - 1) < 0.03, (
                f"{name}: work_per_resolution {row['kpi']:.3f} vs AHT/p = "
                f"{row['aht']:.3f}/{row['p_agent']:.3f} = {row['aht_over_p']:.3f} "
                f"(ratio {ratio:.3f})"
            )


@pytest.mark.parametrize("bot", ["no bot", "baseline bot share"])
def test_every_tighter_target_adds_work_per_resolved_issue(
    bot: str, targets: Comparison, targets_no_bot: Comparison
) -> None:
    """With resolution as sensitive to time as the rework example (6 min 90 %, 4.5 min 65 %),
    the lost resolutions always cost more than the minutes saved: work per resolution = AHT/p
    rises with every cut, from the first one on."""
    c = targets_no_bot if bot == "no bot" else targets
    for looser, tighter in itertools.pairwise(TARGETS):
        d = paired(c, f"target{tighter:g}", f"target{looser:g}")
        note(f"{bot}, {looser}->{tighter}: work/res {fmt(d.loc['work_per_resolution_minutes'])}")
        assert_positive(
            d.loc["work_per_resolution_minutes"],
            f"{bot}, target {looser:g}->{tighter:g}: change in work per resolution",
        )
        assert_negative(d.loc["nps"], f"{bot}, target {looser:g}->{tighter:g}: change in NPS")


# --- 3. erosion of standards after a spike ---------------------------------------------------
#
# The erosion-spike preset runs three days, open 8 hours each, with a spike on the first morning;
# its KPIs are those of day 3. A spike-free variant keeps day 1 like days 2 and 3.


def without_spike(spike: Scenario) -> Scenario:
    """The same days with the first morning's spike flattened to the ordinary rate."""
    rates = spike.arrivals_by_hour()
    ordinary = rates[0]
    return spike.replace(arrivals_per_hour=tuple(min(r, ordinary) for r in rates))


@pytest.fixture(scope="module")
def erosion() -> Comparison:
    spike = presets.load("erosion-spike")
    assert max(spike.arrivals_by_hour()[24:]) == spike.arrivals_by_hour()[0], (
        "the erosion-spike preset is expected to spike on day 1 only"
    )
    scenarios = {
        "spike-free, no erosion": without_spike(spike).replace(standards_erode=False),
        "spike, no erosion": spike.replace(standards_erode=False),
        "spike-free, erosion": without_spike(spike),
        "spike, erosion": spike,
    }
    return compare(scenarios, replications=20, seed=103)


def test_erosion_after_a_spike_leaves_day_three_worse(erosion: Comparison) -> None:
    d = paired(erosion, "spike, erosion", "spike, no erosion")
    note(
        f"day 3, erosion - no erosion: nps {fmt(d.loc['nps'])}, fcr {fmt(d.loc['fcr'])}, "
        f"aht {fmt(d.loc['mean_handle_minutes'])}, asa_s {fmt(d.loc['asa_seconds'])}"
    )
    assert_negative(d.loc["mean_handle_minutes"], "day 3 handle time, erosion minus no erosion")
    assert_negative(d.loc["fcr"], "day 3 FCR, erosion minus no erosion")
    assert_negative(d.loc["nps"], "day 3 NPS, erosion minus no erosion")
    standard = mean(erosion, "spike, erosion", "standard_minutes")
    assert standard["ci_high"] < 4.5, f"standard at the end with erosion: {fmt(standard)}"
    kept = erosion.runs.loc["spike, no erosion", "standard_minutes"]
    assert np.allclose(kept, 4.5), f"standard without erosion must stay 4.5, got {kept.tolist()}"


def test_without_erosion_the_team_recovers_from_the_spike(erosion: Comparison) -> None:
    """Day 3 after a spike equals day 3 without one, within narrow bounds (an equivalence test)."""
    d = paired(erosion, "spike, no erosion", "spike-free, no erosion")
    note(f"day 3, spike - spike-free, no erosion: nps {fmt(d.loc['nps'])}, fcr {fmt(d.loc['fcr'])}")
    for kpi, bound in (("fcr", 0.01), ("nps", 2.5), ("mean_handle_minutes", 0.05)):
        row = d.loc[kpi]
        assert -bound < row["ci_low"] and row["ci_high"] < bound, (
            f"day 3 {kpi}, spike minus spike-free without erosion: {fmt(row)}; "
            f"expected a CI inside +-{bound}"
        )


def test_with_erosion_the_spike_leaves_a_lasting_mark(erosion: Comparison) -> None:
    """Hysteresis: with erosion on, day 3 still differs from a spike-free run with erosion on."""
    d = paired(erosion, "spike, erosion", "spike-free, erosion")
    note(
        f"day 3, spike - spike-free, erosion: fcr {fmt(d.loc['fcr'])}, "
        f"standard {fmt(d.loc['standard_minutes'])}, aht {fmt(d.loc['mean_handle_minutes'])}"
    )
    assert_negative(d.loc["standard_minutes"], "standard at the end, spike minus spike-free")
    assert_negative(d.loc["mean_handle_minutes"], "day 3 handle time, spike minus spike-free")
    assert_negative(d.loc["fcr"], "day 3 FCR, spike minus spike-free")


# --- 4. bots first ---------------------------------------------------------------------------


def test_bots_first_cuts_cost_and_offering_a_human_pays_only_with_staff_to_answer() -> None:
    """Bots-first cuts cost and NPS. Offering a human to those who want one ("answer the
    phone") needs agents to answer: with bots-first's 16 agents the queue it creates costs more
    than the choice gains; with 24 it recovers part of the NPS."""
    bots = presets.load("bots-first")
    c = compare(
        {
            "baseline": BASELINE,
            "bots-first": bots,
            "bots-first, human offered": bots.replace(always_offer_human=True),
            "bots-first, 24 agents": bots.replace(agents=24),
            "bots-first, 24 agents, human offered": bots.replace(
                agents=24, always_offer_human=True
            ),
        },
        replications=20,
        seed=104,
    )
    for name in ("bots-first", "bots-first, human offered"):
        note(
            f"{name} - baseline: cost/contact {fmt(diff(c, name, 'cost_per_contact'))}, "
            f"nps {fmt(diff(c, name, 'nps'))}"
        )
        assert_negative(diff(c, name, "cost_per_contact"), f"{name}: cost per contact")
        assert_negative(diff(c, name, "nps"), f"{name}: NPS against baseline")
    short = paired(c, "bots-first, human offered", "bots-first")
    staffed = paired(c, "bots-first, 24 agents, human offered", "bots-first, 24 agents")
    note(
        f"human offered, 16 agents: nps {fmt(short.loc['nps'])}, "
        f"asa {fmt(short.loc['asa_seconds'])}"
    )
    note(f"human offered, 24 agents: nps {fmt(staffed.loc['nps'])}")
    assert_negative(short.loc["nps"], "16 agents: NPS with a human offered minus without")
    assert_positive(short.loc["asa_seconds"], "16 agents: ASA with a human offered minus without")
    assert_positive(staffed.loc["nps"], "24 agents: NPS with a human offered minus without")


def issue_groups(scenario, seed: int, replications: int) -> pd.DataFrame:
    """Per replication: NPS of customers escalated by the bot and of human-only customers."""
    rows = []
    for rep in range(replications):
        r = simulate(scenario, seed=seed, replication=rep)
        escalated = set(r.contacts.loc[r.contacts.escalated, "issue_id"])
        issues = r.issues[r.issues.score >= 0]
        groups = {
            "escalated": issues[issues.issue_id.isin(escalated)],
            "human_only": issues[~issues.used_bot],
        }
        row = {}
        for name, group in groups.items():
            scores = group.score
            row[name] = (
                100.0 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)
                if len(scores)
                else math.nan
            )
        rows.append(row)
    return pd.DataFrame(rows)


def test_escalated_customers_score_below_human_only_customers() -> None:
    baseline = issue_groups(BASELINE, seed=104, replications=10)
    bots = issue_groups(presets.load("bots-first"), seed=104, replications=10)
    within = confidence_table((baseline.escalated - baseline.human_only).to_frame("d")).loc["d"]
    across = confidence_table((bots.escalated - baseline.human_only).to_frame("d")).loc["d"]
    note(
        f"baseline: escalated {baseline.escalated.mean():.1f}, human only "
        f"{baseline.human_only.mean():.1f}, paired {fmt(within)}; bots-first escalated "
        f"{bots.escalated.mean():.1f} - baseline human only: {fmt(across)}"
    )
    assert_negative(within, "baseline: NPS escalated minus human-only customers")
    assert_negative(across, "NPS of bots-first escalated minus baseline human-only customers")


# --- 5. trust in the manager and engagement ---------------------------------------------------


def test_team_trust_sets_engagement_and_raises_nps() -> None:
    big = BASELINE.replace(agents=200, horizon_hours=1.0, hostile_share=0.0)
    c = compare(
        {"low trust": big.replace(team_trust=0.0), "high trust": big.replace(team_trust=1.0)},
        replications=20,
        seed=105,
    )
    for name, target in (("low trust", ENGAGED_WITHOUT_TRUST), ("high trust", ENGAGED_WITH_TRUST)):
        row = mean(c, name, "engaged_share")
        note(f"{name}: engaged share {fmt(row)} (target {target:.4f})")
        assert_contains(row, target, f"{name}: engaged share")
        assert row["half_width"] < 0.04, f"{name}: engaged share CI too wide: {fmt(row)}"
    team = compare(
        {
            "low trust": BASELINE.replace(team_trust=0.0),
            "high trust": BASELINE.replace(team_trust=1.0),
        },
        replications=20,
        seed=105,
    )
    note(f"baseline team, high - low trust: nps {fmt(diff(team, 'high trust', 'nps'))}")
    assert_positive(diff(team, "high trust", "nps"), "baseline team: NPS, high minus low trust")


# --- 6. the accountability ladder --------------------------------------------------------------


def test_accountability_ladder_keeps_promises_and_raises_nps() -> None:
    levels = ("heard", "decided", "committed", "appointment")
    base = BASELINE.replace(promise_share=1.0)
    c = compare(
        {level: base.replace(accountability=level) for level in levels}, replications=15, seed=106
    )
    for level in levels:
        row = mean(c, level, "broken_promises")
        note(f"{level}: broken promises {fmt(row)}, nps {fmt(mean(c, level, 'nps'))}")
        assert_contains(row, 1.0 - ACCOUNTABILITY[level], f"{level}: share of broken promises")
        assert row["half_width"] < 0.02, f"{level}: broken-promise CI too wide: {fmt(row)}"
    for lower, higher in itertools.pairwise(levels):
        d = paired(c, higher, lower)
        note(f"{lower}->{higher}: nps {fmt(d.loc['nps'])}")
        assert_positive(d.loc["nps"], f"accountability {lower}->{higher}: change in NPS")


# --- 7. the best rep cannot fix a bad product -------------------------------------------------


def test_best_service_cannot_lift_a_bad_product_to_a_good_products_score() -> None:
    """A defect lowers satisfaction whatever the service: the best service wins back part of
    what a bad product costs, but not all of it: it stays below what the good product reaches
    with ordinary service."""
    bad = presets.load("bad-product")
    best = {"agents": 45, "care_minutes": 4.0}
    c = compare(
        {
            "baseline": BASELINE,
            "baseline, best service": BASELINE.replace(**best),
            "bad product": bad,
            "bad product, best service": bad.replace(**best),
        },
        replications=15,
        seed=107,
    )
    gain_bad = paired(c, "bad product, best service", "bad product").loc["nps"]
    below = diff(c, "bad product, best service", "nps")
    note(f"bad product with best service minus baseline: nps {fmt(below)}")
    assert_negative(below, "bad product, best service: NPS minus the baseline's")
    gain = diff(c, "baseline, best service", "nps")
    assert_positive(gain, "good product: NPS gain from 45 agents and 4 care minutes")
    assert_positive(gain_bad, "bad product: service still moves its score")


def test_new_customers_first_costs_loyal_nps() -> None:
    c = compare(
        {"baseline": BASELINE, "new first": presets.load("new-customers-first")},
        replications=20,
        seed=108,
    )
    loyal, new = diff(c, "new first", "nps_loyal"), diff(c, "new first", "nps_new")
    note(f"new first - baseline: nps_loyal {fmt(loyal)}, nps_new {fmt(new)}")
    assert_negative(loyal, "new customers first: loyal-segment NPS")
    assert new["ci_high"] >= 0, f"new customers first: new-segment NPS should not fall: {fmt(new)}"


# --- 9. detractor causes point at what was broken ---------------------------------------------

FORCED_BOT = BASELINE.replace(
    bot_share=1.0, human_preference=0.9, always_offer_human=False, agents=16
)
CAUSE_CASES = {
    "product": BASELINE.replace(defect_share=0.6),
    # A policy that fails customers: abusive contacts ended by rule (forcing everyone through
    # the bot touches most detractors with rules but never dominates: see
    # test_forced_bot_touches_most_detractors_with_rules).
    "rules": BASELINE.replace(hostile_share=0.3, abuse_policy="end_politely"),
    "process": BASELINE.replace(agents=24, defect_share=0.0),
}


@pytest.fixture(scope="module")
def causes() -> Comparison:
    presentation = BASELINE.replace(care_minutes=0.0, bot_share=0.0, defect_share=0.0)
    return compare(
        {"baseline": BASELINE, **CAUSE_CASES, "presentation": presentation},
        replications=10,
        seed=109,
    )


def cause_shares(c: Comparison, name: str) -> pd.DataFrame:
    return c.runs.loc[name, [f"detractors_{cause}" for cause in CAUSES]].set_axis(CAUSES, axis=1)


@pytest.mark.parametrize(
    "cause",
    [
        "product",
        "process",
        "rules",
    ],
)
def test_a_scenario_built_to_fail_on_a_cause_shows_it_as_largest(
    causes: Comparison, cause: str
) -> None:
    shares = cause_shares(causes, cause)
    others = shares.drop(columns=cause).max(axis=1)
    margin = confidence_table((shares[cause] - others).to_frame("margin")).loc["margin"]
    note(f"{cause} case: mean shares {shares.mean().round(3).to_dict()}, margin {fmt(margin)}")
    assert_positive(margin, f"{cause} case: its share minus the largest other cause's share")
    up = diff(causes, cause, f"detractors_{cause}")
    assert_positive(up, f"{cause} case: share of detractors with main cause {cause} vs baseline")


def test_no_care_makes_presentation_a_prominent_cause(causes: Comparison) -> None:
    """Care 0 (no bot, no defects): presentation is the second cause, after process.

    The model does not make it the largest, so that is not claimed: prominent here means
    second only to process, more than a fifth of detractors, and well above the baseline.
    """
    shares = cause_shares(causes, "presentation")
    summary = confidence_table(shares)
    ranking = shares.mean().sort_values(ascending=False)
    margin = confidence_table((shares["process"] - shares["presentation"]).to_frame("margin")).loc[
        "margin"
    ]
    note(
        f"care 0: shares {ranking.round(3).to_dict()}, "
        f"presentation {fmt(summary.loc['presentation'])}, process - presentation {fmt(margin)}"
    )
    assert list(ranking.index[:2]) == ["process", "presentation"], (
        f"care 0: expected process then presentation, got {ranking.round(3).to_dict()}"
    )
    assert summary.loc["presentation", "ci_low"] > 0.2, (
        f"care 0: presentation share {fmt(summary.loc['presentation'])} should exceed 0.2"
    )
    up = diff(causes, "presentation", "detractors_presentation")
    note(f"care 0: presentation share minus baseline {fmt(up)}")
    assert_positive(up, "care 0: presentation share of detractors vs baseline")


def test_forced_bot_touches_most_detractors_with_rules() -> None:
    """What the model does show for the rules case: rules is the cause touching most detractors."""
    rows = []
    for rep in range(5):
        r = simulate(FORCED_BOT, seed=109, replication=rep)
        detractors = ((r.issues.score >= 0) & (r.issues.score <= 6)).sum()
        touched = r.detractor_causes()["any_cause"] / detractors
        rows.append(touched.reindex(list(CAUSES)))
    touched = pd.DataFrame(rows)
    margin = confidence_table(
        (touched["rules"] - touched.drop(columns="rules").max(axis=1)).to_frame("margin")
    ).loc["margin"]
    note(f"rules case: share of detractors touched {touched.mean().round(3).to_dict()}")
    assert_positive(margin, "rules case: share touched by rules minus the largest other cause")


# --- 10. every preset moves its headline KPI the expected way ---------------------------------

#: preset -> (headline KPI, expected sign of preset minus baseline)
HEADLINES: dict[str, tuple[str, int]] = {
    "cut-corners": ("fcr", -1),
    "erosion-spike": ("fcr", -1),
    "bots-first": ("cost_per_contact", -1),
    "caring-culture": ("fcr", +1),
    "low-trust-team": ("engaged_share", -1),
    "broken-promises": ("broken_promises", +1),
    "bad-product": ("nps", -1),
    "new-customers-first": ("nps_loyal", -1),
    "internal-outages": ("agents_down", +1),
    "hostile-customers": ("enps", -1),
    "proactive-checkins": ("mean_trust", +1),
}
NOT_LESSONS = {"baseline", "erlang", "shift-plan"}


def test_every_preset_has_a_headline() -> None:
    expected = set(presets.names()) - NOT_LESSONS
    assert set(HEADLINES) == expected, (
        f"presets without a headline: {sorted(expected - set(HEADLINES))}; "
        f"headlines without a preset: {sorted(set(HEADLINES) - expected)}"
    )


@pytest.mark.parametrize("preset", sorted(HEADLINES))
def test_preset_moves_its_headline_kpi(preset: str) -> None:
    kpi, sign = HEADLINES[preset]
    c = compare({"baseline": BASELINE, preset: presets.load(preset)}, replications=10, seed=110)
    d = diff(c, preset, kpi)
    note(f"{preset}: {kpi} {fmt(d)} (expected sign {sign:+d})")
    if sign > 0:
        assert_positive(d, f"{preset} - baseline: {kpi}")
    else:
        assert_negative(d, f"{preset} - baseline: {kpi}")
