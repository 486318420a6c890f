"""Unit tests of the pure functions of the human side (servicesim.behaviour), no simulation.

Each test checks a promise of docs/model.md (mechanisms 6-15). Where the card gives a closed
form, the expected value is computed here from the card's equation, not by calling the function
again; statistical checks state their tolerance from a standard error.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from servicesim import behaviour as b
from servicesim.behaviour import Experience, Score

# Forty examples per property keep the whole file under five seconds.
fast = settings(max_examples=40, deadline=None)

finite = {"allow_nan": False, "allow_infinity": False}
unit = st.floats(0.0, 1.0, **finite)
share_open = st.floats(1e-9, 1.0 - 1e-9, **finite)


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


# --- handle_time --------------------------------------------------------------------------


@fast
@given(mean=st.floats(0.1, 240.0), e=st.floats(0.0, 50.0), z=st.floats(-8.0, 8.0))
def test_handle_time_cv0_is_the_mean_and_cv1_scales_the_exponential_draw(mean, e, z):
    assert b.handle_time(mean, 0.0, e, z) == mean
    assert b.handle_time(mean, 1.0, e, z) == pytest.approx(mean * e, rel=1e-12, abs=0.0)


@pytest.mark.parametrize("cv", [0.3, 0.5, 2.0])
def test_lognormal_handle_time_median_is_mean_over_sqrt_one_plus_cv2(cv):
    # Lognormal with sigma^2 = ln(1 + v^2), mu = ln m - sigma^2/2: the median e^mu is m/sqrt(1+v^2).
    assert b.handle_time(4.5, cv, 1.0, 0.0) == pytest.approx(4.5 / math.sqrt(1 + cv * cv))


@fast
@given(cv=st.floats(0.01, 4.0).filter(lambda v: v != 1.0), z1=st.floats(-6, 6), z2=st.floats(-6, 6))
def test_lognormal_handle_time_is_positive_and_increasing_in_the_normal_draw(cv, z1, z2):
    lo, hi = sorted((z1, z2))
    assert 0.0 < b.handle_time(3.0, cv, 1.0, lo) <= b.handle_time(3.0, cv, 1.0, hi)


@pytest.mark.parametrize("cv", [0.5, 1.5])
def test_lognormal_handle_time_keeps_mean_and_cv_over_a_large_sample(cv):
    n = 200_000
    mean = 4.5
    z = np.random.default_rng(1).standard_normal(n)
    times = np.array([b.handle_time(mean, cv, 1.0, float(x)) for x in z])
    # Standard error of the sample mean is mean*cv/sqrt(n): allow 5 of them.
    se = mean * cv / math.sqrt(n)
    assert abs(times.mean() - mean) < 5 * se
    # Sample cv: the relative SE of a sample sd is about sqrt((2 + excess kurtosis) / n) / 2.
    # Lognormal excess kurtosis is ~5 at cv 0.5 (SE ~0.3 %) and ~206 at cv 1.5 (SE ~1.6 %):
    # 2 % and 10 % are both about six standard errors.
    tolerance = 0.02 if cv < 1 else 0.10
    assert times.std(ddof=1) / times.mean() == pytest.approx(cv, rel=tolerance)


# --- work pressure, aimed time, erosion ---------------------------------------------------


@fast
@given(waiting=st.integers(-5, 10_000), agents=st.integers(0, 2_000))
def test_work_pressure_is_in_unit_interval(waiting, agents):
    assert 0.0 <= b.work_pressure(waiting, agents) <= 1.0


@pytest.mark.parametrize("agents", [0, 1, 4, 14, 30])
def test_work_pressure_zero_without_queue_and_full_at_one_per_four_agents(agents):
    assert b.work_pressure(0, agents) == 0.0
    assert b.work_pressure(-1, agents) == 0.0
    full = max(1, math.ceil(0.25 * agents))
    assert b.work_pressure(full, agents) == 1.0
    assert b.work_pressure(full + 100, agents) == 1.0


def test_work_pressure_values():
    assert b.FULL_PRESSURE_QUEUE_PER_AGENT == 0.25
    assert b.work_pressure(1, 8) == pytest.approx(0.5)  # 1 / (0.25 * 8)
    assert b.work_pressure(2, 8) == 1.0
    assert b.work_pressure(3, 40) == pytest.approx(0.3)


@fast
@given(
    w1=st.integers(0, 500), w2=st.integers(0, 500), a1=st.integers(0, 500), a2=st.integers(0, 500)
)
def test_work_pressure_rises_with_the_queue_and_falls_with_agents(w1, w2, a1, a2):
    wl, wh = sorted((w1, w2))
    al, ah = sorted((a1, a2))
    assert b.work_pressure(wl, a1) <= b.work_pressure(wh, a1)
    assert b.work_pressure(w1, ah) <= b.work_pressure(w1, al)


@fast
@given(standard=st.floats(0.5, 100), extra=st.floats(0, 50), s=unit, w=unit)
def test_aimed_minutes_no_cut_when_target_at_or_above_standard(standard, extra, s, w):
    assert b.aimed_minutes(standard, standard + extra, s, w) == standard


@fast
@given(standard=st.floats(1.0, 100), frac=st.floats(0.01, 0.99), s=unit, w=unit)
def test_aimed_minutes_card_equation(standard, frac, s, w):
    target = standard * frac
    gap = standard - target
    assert b.aimed_minutes(standard, target, s, 0.0) == pytest.approx(standard - s * 0.5 * gap)
    assert b.aimed_minutes(standard, target, s, 1.0) == pytest.approx(standard - s * gap)
    aimed = b.aimed_minutes(standard, target, s, w)
    assert aimed == pytest.approx(standard - s * (0.5 + 0.5 * w) * gap)
    # With a sensitivity in [0, 1] agents never aim below the target nor above the standard.
    assert target - 1e-9 <= aimed <= standard


@fast
@given(w1=unit, w2=unit, s=unit)
def test_aimed_minutes_falls_with_pressure(w1, w2, s):
    lo, hi = sorted((w1, w2))
    assert b.aimed_minutes(4.5, 3.5, s, hi) <= b.aimed_minutes(4.5, 3.5, s, lo)


@fast
@given(
    standard=st.floats(0.5, 100),
    aimed=st.floats(0.1, 150),
    elapsed=st.floats(0, 1e5),
    tau=st.floats(6, 12_000),
    w=unit,
)
def test_eroded_standard_never_rises_and_stays_between_aimed_and_standard(
    standard, aimed, elapsed, tau, w
):
    new = b.eroded_standard(standard, aimed, elapsed, tau, w)
    assert new <= standard
    assert new >= min(standard, aimed) - 1e-9


@fast
@given(standard=st.floats(0.5, 100), frac=st.floats(0.01, 0.99), t=st.floats(0, 1e4), w=unit)
def test_eroded_standard_unchanged_without_pressure_or_time(standard, frac, t, w):
    aimed = standard * frac
    assert b.eroded_standard(standard, aimed, t, 120.0, 0.0) == standard
    assert b.eroded_standard(standard, aimed, 0.0, 120.0, w) == standard


def test_eroded_standard_one_step_closed_form_and_limit():
    standard, aimed, tau = 4.5, 3.0, 120.0
    for w, dt in [(1.0, 10.0), (0.5, 30.0), (0.2, 240.0)]:
        expected = standard - (standard - aimed) * (1.0 - math.exp(-w * dt / tau))
        assert b.eroded_standard(standard, aimed, dt, tau, w) == pytest.approx(expected, rel=1e-12)
    # After one time constant at full pressure the standard has moved 1 - 1/e of the way.
    assert b.eroded_standard(4.5, 3.0, tau, tau, 1.0) == pytest.approx(4.5 - 1.5 * (1 - math.e**-1))
    # As elapsed -> infinity the standard reaches the aimed time.
    assert b.eroded_standard(standard, aimed, 1e9, tau, 0.3) == pytest.approx(aimed, abs=1e-12)


@fast
@given(t1=st.floats(0.01, 500), t2=st.floats(0.01, 500), w=st.floats(0.01, 1.0))
def test_eroded_standard_two_steps_compose_into_one(t1, t2, w):
    # Exponential approach: two steps at one pressure toward one aim equal a single step.
    once = b.eroded_standard(4.5, 3.0, t1 + t2, 120.0, w)
    twice = b.eroded_standard(b.eroded_standard(4.5, 3.0, t1, 120.0, w), 3.0, t2, 120.0, w)
    assert twice == pytest.approx(once, rel=1e-9)


# --- resolution ---------------------------------------------------------------------------


@fast
@given(r=st.floats(0, 10), c=st.floats(0, 15), s=st.floats(0.3, 2), e=st.booleans(), f=unit)
def test_resolution_probability_zero_and_one_stay(r, c, s, e, f):
    assert b.resolution_probability(0.0, r, c, s, e, f) == 0.0
    assert b.resolution_probability(1.0, r, c, s, e, f) == 1.0


@fast
@given(base=share_open)
def test_resolution_probability_equals_base_at_the_reference_point(base):
    assert b.resolution_probability(base, 1.0, 0.0, 1.0, False, 0.0) == pytest.approx(
        base, rel=1e-9
    )


@pytest.mark.parametrize(
    ("change", "shift"),
    [
        ({"care_minutes": 1.0}, 0.35),
        ({"care_minutes": 3.0}, 3 * 0.35),
        ({"skill": 2.0}, 2.5),
        ({"skill": 0.5}, -1.25),
        ({"engaged": True}, 0.4),
        ({"fatigue": 1.0}, -1.0),
        ({"fatigue": 0.5}, -0.5),
        ({"time_ratio": 0.7}, 5.5 * math.log(0.7)),
        ({"time_ratio": 1.2}, 5.5 * math.log(1.2)),
        ({"time_ratio": 1.5}, 5.5 * math.log(1.5)),
        ({"time_ratio": 4.0}, 5.5 * math.log(1.5)),  # no help beyond 1.5 x the need
    ],
)
@pytest.mark.parametrize("base", [0.05, 0.5, 0.75, 0.98])
def test_resolution_probability_logit_shift_equals_the_card_coefficient(change, shift, base):
    inputs = {
        "time_ratio": 1.0,
        "care_minutes": 0.0,
        "skill": 1.0,
        "engaged": False,
        "fatigue": 0.0,
    }
    p = b.resolution_probability(base, **{**inputs, **change})
    assert logit(p) - logit(base) == pytest.approx(shift, abs=1e-9)


def test_the_time_effect_reproduces_the_rework_example():
    # de Vericourt & Zhou's illustration: a 6-minute contact resolving 90 % against a
    # 4.5-minute one resolving 65 %. Cutting the time to 4.5/6 of the need at base 0.9:
    p = b.resolution_probability(0.9, 4.5 / 6.0, 0.0, 1.0, False, 0.0)
    assert p == pytest.approx(0.65, abs=0.005)
    # and with that elasticity the shorter contact costs more work per resolved issue
    assert 4.5 / p > 6.0 / 0.9


args_strategy = {
    "base": share_open,
    "r": st.floats(0.0, 5.0),
    "c": st.floats(0.0, 15.0),
    "s": st.floats(0.3, 2.0),
    "e": st.booleans(),
    "f": unit,
}


@fast
@given(**args_strategy, r2=st.floats(0.0, 5.0))
def test_resolution_probability_rises_with_time_until_one_and_a_half(base, r, c, s, e, f, r2):
    lo, hi = sorted((r, r2))
    assert b.resolution_probability(base, lo, c, s, e, f) <= b.resolution_probability(
        base, hi, c, s, e, f
    )
    if lo >= 1.5:
        assert b.resolution_probability(base, lo, c, s, e, f) == b.resolution_probability(
            base, hi, c, s, e, f
        )


def test_resolution_probability_strictly_rises_below_one_and_a_half():
    ps = [b.resolution_probability(0.5, r, 0.0, 1.0, False, 0.0) for r in (0.3, 0.7, 1.0, 1.4)]
    assert ps == sorted(ps) and len(set(ps)) == 4
    flat = {b.resolution_probability(0.5, r, 0.0, 1.0, False, 0.0) for r in (1.5, 2.0, 10.0)}
    assert len(flat) == 1


@fast
@given(**args_strategy, c2=st.floats(0.0, 15.0), s2=st.floats(0.3, 2.0), f2=unit)
def test_resolution_probability_monotone_in_care_skill_engagement_fatigue(
    base, r, c, s, e, f, c2, s2, f2
):
    p = b.resolution_probability
    cl, ch = sorted((c, c2))
    sl, sh = sorted((s, s2))
    fl, fh = sorted((f, f2))
    assert p(base, r, cl, s, e, f) <= p(base, r, ch, s, e, f)
    assert p(base, r, c, sl, e, f) <= p(base, r, c, sh, e, f)
    assert p(base, r, c, s, False, f) <= p(base, r, c, s, True, f)
    assert p(base, r, c, s, e, fh) <= p(base, r, c, s, e, fl)


wide = st.floats(-1e300, 1e300, **finite)


@fast
@given(base=st.floats(-1.0, 2.0, **finite), r=wide, c=wide, s=wide, e=st.booleans(), f=wide)
def test_resolution_probability_is_numerically_safe_at_extreme_inputs(base, r, c, s, e, f):
    p = b.resolution_probability(base, r, c, s, e, f)
    if 0.0 <= base <= 1.0:
        assert 0.0 <= p <= 1.0
    assert not math.isnan(p)


@pytest.mark.parametrize("base", [5e-324, 1e-300, 0.5, 1.0 - 1e-16])
def test_resolution_probability_extremes_do_not_overflow(base):
    for big in (1e6, 1e300, -1e300):
        for p in (
            b.resolution_probability(base, 1.0, big, 1.0, False, 0.0),
            b.resolution_probability(base, 1.0, 0.0, big, True, 0.0),
            b.resolution_probability(base, 1.0, 0.0, 1.0, False, big),
            b.resolution_probability(base, big, 0.0, 1.0, False, 0.0),
        ):
            assert 0.0 <= p <= 1.0
    assert b.resolution_probability(0.5, 1.0, 1e6, 1.0, False, 0.0) == 1.0
    assert b.resolution_probability(0.5, 1.0, -1e6, 1.0, False, 0.0) == 0.0


# --- care ---------------------------------------------------------------------------------


@fast
@given(c=st.floats(0, 15), e=st.booleans(), s=st.floats(0.3, 2), f=unit)
def test_effective_care_card_equation_and_bounds(c, e, s, f):
    got = b.effective_care(c, e, s, f)
    assert got == pytest.approx(c * (1.5 if e else 1.0) * s * (1 - 0.5 * f))
    assert 0.5 * c * s - 1e-12 <= got <= 1.5 * c * s + 1e-12


@fast
@given(
    c1=st.floats(0, 15),
    c2=st.floats(0, 15),
    s1=st.floats(0.3, 2),
    s2=st.floats(0.3, 2),
    f1=unit,
    f2=unit,
)
def test_effective_care_monotone(c1, c2, s1, s2, f1, f2):
    cl, ch = sorted((c1, c2))
    sl, sh = sorted((s1, s2))
    fl, fh = sorted((f1, f2))
    ec = b.effective_care
    assert ec(cl, False, 1.0, 0.0) <= ec(ch, False, 1.0, 0.0)
    assert ec(1.0, False, sl, 0.0) <= ec(1.0, False, sh, 0.0)
    assert ec(1.0, False, 1.0, fh) <= ec(1.0, False, 1.0, fl)
    assert ec(c1, False, s1, f1) <= ec(c1, True, s1, f1)


@fast
@given(c=st.floats(0, 1e3), r=st.floats(-5, 50))
def test_felt_care_is_in_unit_interval_and_follows_the_card(c, r):
    got = b.felt_care(c, r)
    assert 0.0 <= got <= 1.0
    expected = (1 - math.exp(-(0.4 + c) / 1.5)) * math.sqrt(min(1.0, max(r, 0.0)))
    assert got == pytest.approx(expected, abs=1e-12)


@fast
@given(c1=st.floats(0, 20), c2=st.floats(0, 20), r1=st.floats(0, 3), r2=st.floats(0, 3))
def test_felt_care_rises_with_care_and_with_time_given_up_to_the_need(c1, c2, r1, r2):
    cl, ch = sorted((c1, c2))
    rl, rh = sorted((r1, r2))
    assert b.felt_care(cl, 1.0) <= b.felt_care(ch, 1.0)
    assert b.felt_care(1.0, rl) <= b.felt_care(1.0, rh)
    if rl >= 1.0:
        assert b.felt_care(1.0, rl) == b.felt_care(1.0, rh)


def test_felt_care_values():
    assert b.felt_care(0.0, 1.0) == pytest.approx(1 - math.exp(-0.4 / 1.5))
    assert b.felt_care(1.1, 1.0) == pytest.approx(1 - math.exp(-1.0))
    assert b.felt_care(5.0, 0.0) == 0.0
    assert b.felt_care(1.1, 0.25) == pytest.approx(0.5 * (1 - math.exp(-1.0)))
    assert b.BOT_FELT_CARE == 0.2
    assert b.felt_care(0.0, 1.0) > b.BOT_FELT_CARE, "an agent with no extra care still beats a bot"


# --- the team -----------------------------------------------------------------------------


def test_engaged_probability_endpoints_and_linearity():
    assert b.engaged_probability(0.0) == pytest.approx(1 / 12)
    assert b.engaged_probability(1.0) == pytest.approx(1 / 2)
    for t in np.linspace(0, 1, 11):
        assert b.engaged_probability(t) == pytest.approx(1 / 12 + t * (1 / 2 - 1 / 12))


@fast
@given(f=unit, busy=st.floats(0, 1e5), idle=st.floats(0, 1e5))
def test_fatigue_after_stays_in_unit_interval_and_follows_the_card(f, busy, idle):
    got = b.fatigue_after(f, busy, idle)
    assert 0.0 <= got <= 1.0
    recovered = f * math.exp(-idle / 20.0)
    assert got == pytest.approx(1 - (1 - recovered) * math.exp(-busy / 600.0), abs=1e-12)


def test_fatigue_after_values_and_ordering():
    assert b.fatigue_after(0.3, 0.0, 0.0) == pytest.approx(0.3, abs=1e-15)
    assert b.fatigue_after(0.0, 600.0, 0.0) == pytest.approx(1 - math.exp(-1))  # ~63 %
    assert b.fatigue_after(0.5, 0.0, 20.0) == pytest.approx(0.5 * math.exp(-1))
    # Recovery first, then strain: differs from strain first, then recovery.
    f, busy, idle = 0.5, 60.0, 20.0
    recover_then_strain = 1 - (1 - f * math.exp(-idle / 20)) * math.exp(-busy / 600)
    strain_then_recover = (1 - (1 - f) * math.exp(-busy / 600)) * math.exp(-idle / 20)
    got = b.fatigue_after(f, busy, idle)
    assert got == pytest.approx(recover_then_strain)
    assert abs(got - strain_then_recover) > 0.05


@fast
@given(f=unit, increment=unit)
def test_fatigue_after_abuse_uses_up_a_share_of_the_headroom(f, increment):
    got = b.fatigue_after_abuse(f, increment)
    assert 0.0 <= got <= 1.0
    assert got >= f - 1e-15  # never less tired (up to rounding of 1 - (1 - f))
    assert 1.0 - got == pytest.approx((1.0 - f) * (1.0 - increment), abs=1e-15)


def test_fatigue_after_abuse_values():
    assert b.fatigue_after_abuse(0.0, b.ABUSE_FATIGUE) == pytest.approx(0.15)
    assert b.fatigue_after_abuse(0.5, b.ABUSE_FATIGUE) == pytest.approx(0.575)  # 0.5 + 0.15 * 0.5
    assert b.fatigue_after_abuse(0.0, b.ABUSE_ENDED_FATIGUE) == pytest.approx(0.03)
    assert b.fatigue_after_abuse(1.0, b.ABUSE_FATIGUE) == 1.0
    assert b.fatigue_after_abuse(0.4, 0.0) == 0.4
    # Ending abuse politely costs the agent less than tolerating it.
    assert b.fatigue_after_abuse(0.3, b.ABUSE_ENDED_FATIGUE) < b.fatigue_after_abuse(
        0.3, b.ABUSE_FATIGUE
    )


@fast
@given(
    f=unit, b1=st.floats(0, 1e3), b2=st.floats(0, 1e3), i1=st.floats(0, 1e3), i2=st.floats(0, 1e3)
)
def test_fatigue_rises_with_busy_time_and_falls_with_idle_time(f, b1, b2, i1, i2):
    bl, bh = sorted((b1, b2))
    il, ih = sorted((i1, i2))
    assert b.fatigue_after(f, bl, 10.0) <= b.fatigue_after(f, bh, 10.0)
    assert b.fatigue_after(f, 10.0, ih) <= b.fatigue_after(f, 10.0, il)


def card_answer(latent: float) -> int:
    """The card's mapping from a latent satisfaction to 0-10: round(10 / (1 + e^-L))."""
    return math.floor(10.0 / (1.0 + math.exp(-latent)) + 0.5)


@fast
@given(e=st.booleans(), f=unit, a=st.integers(0, 100), z=st.floats(-10, 10))
def test_employee_score_card_equation_and_bounds(e, f, a, z):
    got = b.employee_score(e, f, a, z)
    assert isinstance(got, int)
    assert 0 <= got <= 10
    latent = 1.2 + 2.0 * e - 1.0 * f - 0.05 * a + 1.0 * z
    share = 10.0 / (1.0 + math.exp(-latent))
    if abs(share - math.floor(share) - 0.5) > 1e-9:  # away from a rounding tie
        assert got == card_answer(latent)


@fast
@given(f1=unit, f2=unit, a1=st.integers(0, 60), a2=st.integers(0, 60), z=st.floats(-5, 5))
def test_employee_score_monotone(f1, f2, a1, a2, z):
    fl, fh = sorted((f1, f2))
    al, ah = sorted((a1, a2))
    es = b.employee_score
    assert es(False, f1, a1, z) <= es(True, f1, a1, z)
    assert es(True, fh, a1, z) <= es(True, fl, a1, z)
    assert es(True, f1, ah, z) <= es(True, f1, al, z)


# --- promises and trust -------------------------------------------------------------------


def test_accountability_ladder_values():
    assert b.ACCOUNTABILITY == {
        "heard": 0.10,
        "decided": 0.25,
        "committed": 0.65,
        "appointment": 0.95,
    }


def test_trust_constants_match_the_card():
    assert (b.TRUST_NEW_CUSTOMER, b.TRUST_LOYAL_CUSTOMER) == (0.5, 0.6)
    assert b.TRUST_PROMISE_KEPT == 0.08
    assert b.TRUST_PROMISE_BROKEN == -0.15
    assert b.TRUST_ASSURED == 0.03
    assert b.TRUST_UNRESOLVED == -0.03
    assert b.TRUST_CHECKIN == 0.2


@fast
@given(t=unit, change=st.floats(-1.0, 1.0))
def test_trust_after_stays_in_unit_interval_and_moves_toward_the_bound(t, change):
    new = b.trust_after(t, change)
    assert 0.0 <= new <= 1.0
    if change >= 0:
        assert t - 1e-15 <= new
        assert 1 - new == pytest.approx((1 - t) * (1 - change), abs=1e-12)
    else:
        assert new <= t + 1e-15
        assert new == pytest.approx(t * (1 + change), abs=1e-12)


def test_trust_after_values():
    assert b.trust_after(0.6, 0.2) == pytest.approx(0.68)
    assert b.trust_after(0.5, -0.15) == pytest.approx(0.425)
    assert b.trust_after(1.0, 0.08) == 1.0
    assert b.trust_after(0.0, -0.15) == 0.0


def test_trust_after_kept_in_unit_interval_for_any_change():
    assert 0.0 <= b.trust_after(0.5, 2.0) <= 1.0
    assert 0.0 <= b.trust_after(0.5, -2.0) <= 1.0


# --- bot outcome --------------------------------------------------------------------------


def test_bot_outcome_thresholds():
    c, f = 0.7, 0.25
    assert b.bot_outcome(c, f, 0.0) == "resolved"
    assert b.bot_outcome(c, f, c * (1 - f) - 1e-12) == "resolved"
    assert b.bot_outcome(c, f, c * (1 - f)) == "false_resolved"
    assert b.bot_outcome(c, f, c - 1e-12) == "false_resolved"
    assert b.bot_outcome(c, f, c) == "escalated"
    u = np.random.default_rng(3).random(100_000)
    shares = {k: 0 for k in ("resolved", "false_resolved", "escalated")}
    for x in u:
        shares[b.bot_outcome(c, f, float(x))] += 1
    for k, p in [("resolved", 0.525), ("false_resolved", 0.175), ("escalated", 0.3)]:
        assert abs(shares[k] / len(u) - p) < 4 * math.sqrt(p * (1 - p) / len(u))


# --- the customer's score -----------------------------------------------------------------

CAUSE_LOSS = 0.25  # the card's threshold for a cause to count


def card_latent(x: Experience) -> tuple[float, dict[str, float]]:
    """L and the losses per cause, written from mechanism 15 of docs/model.md."""
    losses = dict.fromkeys(b.CAUSES, 0.0)
    total = sum(x.failures.values())
    blame = {c: w / total for c, w in x.failures.items() if w > 0} if total else {"process": 1}
    queue = "rules" if x.passed_over else "process"
    bot = "rules" if x.forced_bot else "process"
    if not x.resolved:
        for c, w in ({"rules": 1.0} if x.abuse_ended else blame).items():
            losses[c] += 2.5 * w
    for c, w in blame.items():
        losses[c] += 0.5 * (x.contacts - 1) * w
    losses[queue] += 0.4 * x.abandonments
    losses[queue] += (
        0.3 * min(2.0, x.wait_minutes / x.patience_reference) * (1.5 if x.passed_over else 1.0)
    )
    losses[bot] += 0.35 * (x.escalations + x.false_containments)
    losses["rules"] += 0.4 * x.forced_bot + 0.5 * x.passed_over + 1.5 * x.abuse_ended
    losses["product"] += 1.6 * x.defect
    big_l = 2.3 - sum(losses.values())
    care = float(np.mean(x.care)) if x.care else 0.5
    big_l += 1.0 * (care - 0.5)
    if care < 0.5:
        short = sum(max(0.0, 0.5 - c) for c in x.care)
        to_rules = min(1.0, x.forced_bot_contacts * 0.3 / short) if x.forced_bot else 0.0
        losses["rules"] += (0.5 - care) * to_rules
        losses["presentation"] += (0.5 - care) * (1 - to_rules)

    def effect(t: float) -> float:
        return 0.8 * (t - 0.5) if t >= 0.5 else -1.6 * (0.5 - t)

    big_l += effect(x.trust_now)
    lost = sum(x.trust_lost.values())
    if lost > 0:
        cost = effect(min(1.0, x.trust_now + lost)) - effect(x.trust_now)
        for c, v in x.trust_lost.items():
            losses[c] += cost * v / lost
    return big_l, losses


cause_weights = st.dictionaries(
    st.sampled_from(b.CAUSES), st.floats(0.0, 5.0, **finite), max_size=3
)

experiences = st.builds(
    Experience,
    resolved=st.booleans(),
    contacts=st.integers(1, 20),
    wait_minutes=st.floats(0, 1e4),
    passed_over=st.booleans(),
    care=st.lists(unit, max_size=6),
    forced_bot=st.booleans(),
    forced_bot_contacts=st.integers(0, 3),
    escalations=st.integers(0, 10),
    false_containments=st.integers(0, 10),
    abandonments=st.integers(0, 5),
    failures=cause_weights,
    abuse_ended=st.booleans(),
    trust_at_start=unit,
    trust_now=unit,
    trust_lost=st.dictionaries(st.sampled_from(b.CAUSES), unit, max_size=3),
    promises_broken=st.integers(0, 5),
    defect=st.booleans(),
    patience_reference=st.floats(0.1, 1e3),
)


@fast
@given(x=experiences, noise=st.floats(-1e3, 1e3))
def test_recommend_score_is_an_int_in_0_to_10(x, noise):
    score = b.recommend_score(x, noise)
    assert isinstance(score.value, int)
    assert 0 <= score.value <= 10
    assert set(score.losses) == set(b.CAUSES)
    assert all(v >= 0.0 for v in score.losses.values())


@fast
@given(x=experiences, noise=st.floats(-4, 4))
def test_recommend_score_matches_the_card_formula(x, noise):
    x.forced_bot_contacts = min(x.forced_bot_contacts, sum(1 for c in x.care if c == 0.2))
    score = b.recommend_score(x, noise)
    big_l, losses = card_latent(x)
    latent = big_l + 1.3 * noise
    share = 10.0 / (1.0 + math.exp(-latent))
    if abs(share - math.floor(share) - 0.5) > 1e-9:  # away from a rounding tie
        assert score.value == card_answer(latent)
    for cause in b.CAUSES:
        assert score.losses[cause] == pytest.approx(losses[cause], abs=1e-9), cause


@pytest.mark.parametrize("latent", [-50.0, -3.0, -0.62, 0.0, 0.62, 1.73, 2.94, 50.0])
def test_the_mapping_to_0_10_is_the_rounded_logistic(latent):
    assert b.score_from_latent(latent) == card_answer(latent)


@fast
@given(a=st.floats(-30, 30), step=st.floats(0.01, 5))
def test_the_mapping_is_monotone_and_its_steps_shrink_toward_the_ends(a, step):
    assert b.score_from_latent(a) <= b.score_from_latent(a + step)
    # the slope of 10 / (1 + e^-L) is largest at L = 0: a step moves the answer less far out
    share = [10.0 / (1.0 + math.exp(-v)) for v in (a, a + step)]
    mid = [10.0 / (1.0 + math.exp(-v)) for v in (-step / 2, step / 2)]
    assert share[1] - share[0] <= mid[1] - mid[0] + 1e-12


def promoter_share(x: Experience) -> float:
    """P(score >= 9) over the customer's own noise, from the card: L + 1.3 z >= logit(0.85)."""
    latent, _ = b.satisfaction(x)
    z = (math.log(0.85 / 0.15) - latent) / 1.3
    return 0.5 * math.erfc(z / math.sqrt(2.0))


@pytest.mark.parametrize("care", [0.3, 0.5, 0.7])
@pytest.mark.parametrize("trust", [0.5, 0.6])
def test_each_extra_contact_costs_about_fifteen_points_of_promoters(care, trust):
    # SQM Group: each additional contact about one issue lowers top-box satisfaction ~15 %.
    shares = [
        promoter_share(
            Experience(
                resolved=True, contacts=k, care=[care], trust_at_start=trust, trust_now=trust
            )
        )
        for k in (1, 2, 3)
    ]
    for first, second in itertools.pairwise(shares):
        assert 0.12 <= first - second <= 0.18, shares


def test_resolution_is_the_strongest_driver_and_waiting_a_small_one():
    # Feinberg et al. (2000): resolution and abandonment first; Garcia et al. (2012): waiting
    # counts, but less.
    good = Experience(resolved=True, contacts=1, care=[0.5])
    base = promoter_share(good)
    unresolved = base - promoter_share(Experience(resolved=False, contacts=1, care=[0.5]))
    abandoned = base - promoter_share(
        Experience(resolved=True, contacts=2, care=[0.5], abandonments=1)
    )
    waited = base - promoter_share(
        Experience(resolved=True, contacts=1, care=[0.5], wait_minutes=5.0)
    )
    assert unresolved > abandoned > waited > 0.0
    assert waited < 0.1


def test_defect_is_charged_to_product_and_lowers_the_ceiling():
    best = Experience(resolved=True, contacts=1, care=[1.0], trust_now=1.0)
    defect = Experience(resolved=True, contacts=1, care=[1.0], trust_now=1.0, defect=True)
    s = b.recommend_score(defect, 0.0)
    assert s.losses["product"] == pytest.approx(1.6)
    assert s.primary_cause == "product"
    assert b.recommend_score(best, 0.0).losses["product"] == 0.0
    assert promoter_share(defect) < promoter_share(best) - 0.3


def test_defect_recovery_wins_back_the_defects_cost_with_the_care_of_a_first_time_fix():
    def product_loss(**changes) -> float:
        x = Experience(resolved=True, contacts=1, care=[0.8], defect=True, **changes)
        return b.recommend_score(x, 0.0).losses["product"]

    assert product_loss() == pytest.approx(1.6), "no recovery by default"
    assert product_loss(defect_recovery=1.0) == pytest.approx(1.6 * (1 - 0.8))
    assert product_loss(defect_recovery=0.5) == pytest.approx(1.6 * (1 - 0.5 * 0.8))
    # only a first-contact resolution recovers: a second contact or a failure wins nothing back
    again = Experience(resolved=True, contacts=2, care=[0.8, 0.8], defect=True, defect_recovery=1)
    assert b.recommend_score(again, 0.0).losses["product"] == pytest.approx(1.6)
    failed = Experience(resolved=False, contacts=1, care=[0.8], defect=True, defect_recovery=1)
    assert b.recommend_score(failed, 0.0).losses["product"] == pytest.approx(1.6)
    assert b.recovery_quality(Experience(resolved=True, contacts=1, care=[0.3, 0.5])) == 0.4


def test_failures_share_the_unresolved_loss_and_the_repeats():
    x = Experience(resolved=False, contacts=3, care=[0.5], failures={"people": 2.0, "process": 1.0})
    s = b.recommend_score(x, 0.0)
    lost = 2.5 + 2 * 0.5
    assert s.losses["people"] == pytest.approx(lost * 2 / 3)
    assert s.losses["process"] == pytest.approx(lost / 3)
    # with no failure on record, the process carries them
    s = b.recommend_score(Experience(resolved=False, contacts=2, care=[0.5]), 0.0)
    assert s.losses["process"] == pytest.approx(2.5 + 0.5)
    assert s.losses["people"] == 0.0


def test_forced_bot_and_abuse_ended_charge_rules():
    neutral = {"resolved": True, "contacts": 1, "care": [0.5]}
    assert b.recommend_score(Experience(**neutral), 0.0).losses["rules"] == 0.0
    s = b.recommend_score(Experience(**neutral, forced_bot=True), 0.0)
    assert s.losses["rules"] == pytest.approx(0.4)
    s = b.recommend_score(Experience(**neutral, abuse_ended=True), 0.0)
    assert s.losses["rules"] == pytest.approx(1.5)
    s = b.recommend_score(Experience(**neutral, forced_bot=True, abuse_ended=True), 0.0)
    assert s.losses["rules"] == pytest.approx(1.9)


def test_what_an_unwanted_bot_brought_about_goes_to_rules():
    bot_care = [b.BOT_FELT_CARE, 0.5]
    wanted = Experience(resolved=True, contacts=1, care=bot_care, escalations=1)
    s = b.recommend_score(wanted, 0.0)
    assert s.losses["process"] == pytest.approx(0.35)
    assert s.losses["presentation"] == pytest.approx(0.5 - 0.35)
    assert s.losses["rules"] == 0.0
    forced = Experience(
        resolved=True,
        contacts=1,
        care=bot_care,
        escalations=1,
        forced_bot=True,
        forced_bot_contacts=1,
    )
    s = b.recommend_score(forced, 0.0)
    assert s.losses["process"] == 0.0
    assert s.losses["presentation"] == 0.0
    assert s.losses["rules"] == pytest.approx(0.4 + 0.35 + (0.5 - 0.35))
    assert s.primary_cause == "rules"


def test_passed_over_waiting_goes_to_rules():
    x = Experience(resolved=True, contacts=1, care=[0.5], wait_minutes=5.0, patience_reference=5.0)
    s = b.recommend_score(x, 0.0)
    assert s.losses["process"] == pytest.approx(0.3)
    assert s.losses["rules"] == 0.0
    x.passed_over = True
    s = b.recommend_score(x, 0.0)
    assert s.losses["process"] == 0.0
    assert s.losses["rules"] == pytest.approx(0.3 * 1.5 + 0.5)
    # the wait term is capped at two patience references
    x.wait_minutes = 500.0
    assert b.recommend_score(x, 0.0).losses["rules"] == pytest.approx(0.3 * 1.5 * 2 + 0.5)


def test_low_care_charges_presentation():
    s = b.recommend_score(Experience(resolved=True, contacts=1, care=[0.0, 0.0]), 0.0)
    assert s.losses["presentation"] == pytest.approx(0.5)
    assert s.primary_cause == "presentation"
    s = b.recommend_score(Experience(resolved=True, contacts=1, care=[0.9]), 0.0)
    assert s.losses["presentation"] == 0.0
    # no contact with felt care recorded counts as the reference (0.5)
    assert (
        b.recommend_score(Experience(resolved=True, contacts=1), 0.0).losses["presentation"] == 0.0
    )


def test_lost_trust_is_charged_to_the_causes_that_took_it():
    x = Experience(
        resolved=True,
        contacts=1,
        care=[0.5],
        trust_at_start=0.3,
        trust_now=0.3,
        trust_lost={"people": 0.2, "process": 0.1},
    )
    s = b.recommend_score(x, 0.0)
    # trust 0.3 + 0.3 lost = 0.6: the cost is the effect at 0.6 minus the effect at 0.3
    cost = 0.8 * 0.1 + 1.6 * 0.2
    assert s.losses["people"] == pytest.approx(cost * 2 / 3)
    assert s.losses["process"] == pytest.approx(cost / 3)
    # a rise in trust costs nothing; losses below a new customer's trust weigh double
    up = Experience(resolved=True, contacts=1, care=[0.5], trust_now=0.7)
    down = Experience(resolved=True, contacts=1, care=[0.5], trust_now=0.3)
    assert sum(b.recommend_score(up, 0.0).losses.values()) == 0.0
    latent_up = b.satisfaction(up)[0] - 2.3
    latent_down = b.satisfaction(down)[0] - 2.3
    assert latent_up == pytest.approx(0.8 * 0.2)
    assert latent_down == pytest.approx(-1.6 * 0.2)


def test_the_best_experience_has_a_ceiling_below_85_nps():
    best = Experience(resolved=True, contacts=1, care=[1.0], trust_at_start=1.0, trust_now=1.0)
    latent, losses = b.satisfaction(best)
    assert sum(losses.values()) == 0.0
    z = 1.3
    promoters = 0.5 * math.erfc((math.log(0.85 / 0.15) - latent) / z / math.sqrt(2))
    detractors = 0.5 * math.erfc((latent - math.log(0.65 / 0.35)) / z / math.sqrt(2))
    assert 100 * (promoters - detractors) < 85


def test_primary_cause_and_causes():
    losses = {"process": 0.3, "rules": 1.0, "presentation": 0.24, "product": 0.25, "people": 0}
    s = Score.of(3, losses)
    assert s.primary_cause == "rules"
    assert s.causes() == ("process", "rules", "product")
    assert s.causes(0.5) == ("rules",)
    assert s.causes(0.0) == b.CAUSES
    assert Score.of(6, dict.fromkeys(b.CAUSES, 0.24)).primary_cause == "none"
    assert Score.of(6, {**dict.fromkeys(b.CAUSES, 0.0), "people": 0.25}).primary_cause == "people"


@fast
@given(x=experiences, noise=st.floats(-4, 4), threshold=st.floats(0, 5))
def test_primary_cause_is_the_largest_loss_and_causes_lists_all_above_threshold(
    x, noise, threshold
):
    s = b.recommend_score(x, noise)
    biggest = max(s.losses.values())
    if biggest < CAUSE_LOSS:
        assert s.primary_cause == "none"
    else:
        assert s.losses[s.primary_cause] == biggest
    assert set(s.causes(threshold)) == {c for c, v in s.losses.items() if v >= threshold}


# --- NPS ----------------------------------------------------------------------------------


def test_net_promoter_score_on_hand_made_lists():
    assert b.net_promoter_score([10, 9, 9, 8, 7, 6, 5, 0, 10, 3]) == pytest.approx(0.0)
    assert b.net_promoter_score([9, 9, 9, 7]) == pytest.approx(75.0)
    assert b.net_promoter_score([6, 7, 8]) == pytest.approx(-100 / 3)
    assert b.net_promoter_score([0] * 3 + [10]) == pytest.approx(-50.0)
    assert b.net_promoter_score(iter([8, 7])) == 0.0
    assert math.isnan(b.net_promoter_score([]))
