"""The analytic queueing reference against exact values and independent calculations.

Reference rows come from tests/data/erlang_points.csv; the other oracles are computed here
by different routes (direct sums, Poisson tails, a matrix exponential of the waiting customer's
chain) so that a shared mistake is unlikely.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm
from scipy.stats import poisson

from servicesim.analytic import (
    ErlangA,
    agents_needed,
    contacts_per_issue,
    erlang_a_metrics,
    erlang_b,
    erlang_c,
    erlang_c_metrics,
    offered_load_with_repeats,
    work_per_resolved_issue_minutes,
)

REFERENCE = Path(__file__).parent / "data" / "erlang_points.csv"
POINTS = pd.read_csv(REFERENCE)
C_ROWS = POINTS[np.isinf(POINTS["patience_minutes"])]
A_ROWS = POINTS[np.isfinite(POINTS["patience_minutes"])]
REL = 1e-4


def row_id(row: pd.Series) -> str:
    return (
        f"{row.arrivals_per_hour:g}/h-{row.handle_minutes:g}min-"
        f"{int(row.agents)}ag-patience{row.patience_minutes:g}"
    )


def rows(frame: pd.DataFrame) -> list:
    return [pytest.param(row, id=row_id(row)) for _, row in frame.iterrows()]


def test_reference_file_has_both_kinds_of_row() -> None:
    assert len(C_ROWS) >= 1
    assert len(A_ROWS) >= 1


@pytest.mark.parametrize("row", rows(C_ROWS))
def test_erlang_c_matches_reference(row: pd.Series) -> None:
    m = erlang_c_metrics(row.arrivals_per_hour, row.handle_minutes, int(row.agents), 20.0)
    assert m.stable
    assert m.offered_load == pytest.approx(row.offered_load_erlangs, rel=REL)
    assert m.p_wait == pytest.approx(row.p_wait, rel=REL)
    assert m.asa_seconds == pytest.approx(row.asa_answered_seconds, rel=REL)
    assert m.asa_seconds == pytest.approx(row.mean_wait_all_arrivals_seconds, rel=REL)
    assert m.service_level == pytest.approx(row.service_level_20s, rel=REL)
    assert m.occupancy == pytest.approx(row.offered_load_erlangs / row.agents, rel=REL)


@pytest.mark.parametrize("row", rows(C_ROWS))
def test_erlang_a_with_infinite_patience_is_erlang_c(row: pd.Series) -> None:
    a = erlang_a_metrics(row.arrivals_per_hour, row.handle_minutes, int(row.agents), math.inf)
    c = erlang_c_metrics(row.arrivals_per_hour, row.handle_minutes, int(row.agents))
    assert a.p_abandon == 0.0
    assert (a.p_wait, a.asa_seconds, a.service_level, a.occupancy, a.stable) == (
        c.p_wait,
        c.asa_seconds,
        c.service_level,
        c.occupancy,
        c.stable,
    )
    assert a.mean_wait_seconds == c.asa_seconds


@pytest.mark.parametrize("row", rows(A_ROWS))
def test_erlang_a_matches_reference(row: pd.Series) -> None:
    m = erlang_a_metrics(
        row.arrivals_per_hour, row.handle_minutes, int(row.agents), row.patience_minutes
    )
    assert m.stable
    assert m.offered_load == pytest.approx(row.offered_load_erlangs, rel=REL)
    assert m.p_wait == pytest.approx(row.p_wait, rel=REL)
    assert m.p_abandon == pytest.approx(row.p_abandon, rel=REL)
    assert m.mean_wait_seconds == pytest.approx(row.mean_wait_all_arrivals_seconds, rel=REL)
    answered_load = row.offered_load_erlangs * (1.0 - row.p_abandon)
    assert m.occupancy == pytest.approx(answered_load / row.agents, rel=REL)


def test_concepts_worked_example() -> None:
    """100 calls per 30 minutes, AHT 3 minutes, 14 agents (CONCEPTS.md)."""
    c = erlang_c_metrics(200.0, 3.0, 14, service_level_seconds=20.0)
    assert c.p_wait == pytest.approx(0.174, abs=5e-4)
    assert c.service_level == pytest.approx(0.888, abs=5e-4)
    assert c.asa_seconds == pytest.approx(7.8, abs=0.05)
    assert c.occupancy == pytest.approx(0.714, abs=5e-4)
    a = erlang_a_metrics(200.0, 3.0, 14, patience_minutes=5.0)
    assert a.p_wait == pytest.approx(0.145, abs=5e-4)
    assert a.p_abandon == pytest.approx(0.0140, abs=5e-5)
    assert a.mean_wait_seconds / 60.0 == pytest.approx(0.0699, abs=5e-5)


def direct_erlang_b(c: int, load: float) -> float:
    terms = [load**k / math.factorial(k) for k in range(c + 1)]
    return terms[-1] / sum(terms)


def direct_erlang_c(c: int, load: float) -> float:
    top = load**c / math.factorial(c) * c / (c - load)
    return top / (sum(load**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(("c", "load"), [(1, 0.5), (2, 1.0), (5, 3.0), (10, 5.0), (20, 15.0)])
def test_erlang_b_and_c_match_direct_formulas(c: int, load: float) -> None:
    assert erlang_b(c, load) == pytest.approx(direct_erlang_b(c, load), rel=1e-12)
    assert erlang_c(c, load) == pytest.approx(direct_erlang_c(c, load), rel=1e-12)


def test_erlang_b_textbook_value() -> None:
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=5e-7)


@pytest.mark.parametrize(("c", "load"), [(2000, 1950.0), (5000, 4900.0), (5000, 5200.0)])
def test_erlang_b_and_c_stay_exact_for_thousands_of_agents(c: int, load: float) -> None:
    """Independent route: B = Poisson pmf(c)/cdf(c); C weights the top state by c/(c − A)."""
    assert erlang_b(c, load) == pytest.approx(poisson.pmf(c, load) / poisson.cdf(c, load), rel=1e-9)
    if load < c:
        top = poisson.pmf(c, load) * c / (c - load)
        expected = top / (poisson.cdf(c - 1, load) + top)
        assert erlang_c(c, load) == pytest.approx(expected, rel=1e-9)
    else:
        assert erlang_c(c, load) == 1.0


def test_erlang_c_unstable_system() -> None:
    m = erlang_c_metrics(200.0, 3.0, 10)
    assert erlang_c(10, 10.0) == 1.0
    assert (m.p_wait, m.asa_seconds, m.service_level, m.occupancy, m.stable) == (
        1.0,
        math.inf,
        0.0,
        1.0,
        False,
    )
    assert not erlang_a_metrics(200.0, 3.0, 10, math.inf).stable


def test_no_arrivals_means_no_waiting() -> None:
    for m in (erlang_c_metrics(0.0, 3.0, 2), erlang_a_metrics(0.0, 3.0, 2, 5.0)):
        assert (m.p_wait, m.asa_seconds, m.service_level, m.occupancy) == (0.0, 0.0, 1.0, 0.0)


@pytest.mark.parametrize("row", rows(A_ROWS))
def test_abandonment_identity(row: pd.Series) -> None:
    m = erlang_a_metrics(
        row.arrivals_per_hour, row.handle_minutes, int(row.agents), row.patience_minutes
    )
    theta_per_second = 1.0 / (60.0 * row.patience_minutes)
    assert m.p_abandon == pytest.approx(theta_per_second * m.mean_wait_seconds, rel=1e-12)


def test_erlang_a_converges_to_erlang_c_as_patience_grows() -> None:
    a = erlang_a_metrics(200.0, 3.0, 14, patience_minutes=1e6)
    c = erlang_c_metrics(200.0, 3.0, 14)
    assert a.p_abandon < 1e-5
    assert a.p_wait == pytest.approx(c.p_wait, rel=REL)
    assert a.mean_wait_seconds == pytest.approx(c.asa_seconds, rel=REL)
    assert a.asa_seconds == pytest.approx(c.asa_seconds, rel=REL)
    assert a.service_level == pytest.approx(c.service_level, rel=REL)
    assert a.occupancy == pytest.approx(c.occupancy, rel=REL)


@pytest.mark.parametrize("row", rows(A_ROWS))
def test_erlang_a_service_level_in_t(row: pd.Series) -> None:
    """SL(0) = 1 − p_wait, SL rises with t, and tends to the answered share 1 − p_abandon."""
    args = (row.arrivals_per_hour, row.handle_minutes, int(row.agents), row.patience_minutes)
    first = erlang_a_metrics(*args, service_level_seconds=0.0)
    assert first.service_level == pytest.approx(1.0 - first.p_wait, rel=1e-12)
    early = [
        erlang_a_metrics(*args, service_level_seconds=t).service_level for t in range(0, 121, 10)
    ]
    assert np.all(np.diff(early) > 0.0)
    later = [
        erlang_a_metrics(*args, service_level_seconds=t).service_level for t in range(0, 3601, 60)
    ]
    assert np.all(np.diff(later) >= 0.0)
    late = erlang_a_metrics(*args, service_level_seconds=1e7).service_level
    assert late == pytest.approx(1.0 - first.p_abandon, rel=1e-12)


def waiting_customer_oracle(
    arrivals_per_hour: float,
    handle_minutes: float,
    agents: int,
    patience_minutes: float,
    times_seconds: tuple[float, ...],
) -> dict[str, float | list[float]]:
    """Erlang A answers by brute force: a truncated chain and the waiting customer's generator.

    π from products of the birth–death ratios; for an arrival with j ahead, P(answered by t) from
    expm of the transient generator augmented with the service exit, and the expected waits of
    answered and abandoning customers from the fundamental matrix N = (−T)⁻¹.
    """
    lam, mu, theta = arrivals_per_hour / 60.0, 1.0 / handle_minutes, 1.0 / patience_minutes
    serve, ahead = agents * mu, 150
    deaths = [
        min(k, agents) * mu + max(k - agents, 0) * theta for k in range(1, agents + ahead + 1)
    ]
    weights = np.concatenate(([1.0], np.cumprod([lam / d for d in deaths])))
    pi = weights / weights.sum()
    queue = pi[agents:]

    size = queue.size
    positions = np.arange(size)
    generator = np.diag(-(serve + (positions + 1) * theta))
    generator[positions[1:], positions[:-1]] = serve + positions[1:] * theta
    to_service = np.zeros(size)
    to_service[0] = serve
    to_abandon = np.full(size, theta)

    augmented = np.zeros((size + 1, size + 1))
    augmented[:size, :size] = generator
    augmented[:size, size] = to_service
    answered_by = [expm(augmented * t / 60.0)[:size, size] for t in times_seconds]

    fundamental = np.linalg.inv(-generator)
    answered = fundamental @ to_service
    abandoned = fundamental @ to_abandon
    wait_answered = fundamental @ answered  # E[W·1{answered} | j], minutes
    wait_abandoned = fundamental @ abandoned
    p_abandon = float(queue @ abandoned)
    return {
        "p_wait": float(queue.sum()),
        "p_abandon": p_abandon,
        "mean_wait_seconds": 60.0 * float(queue @ fundamental.sum(axis=1)),
        "service_levels": [float(pi[:agents].sum() + queue @ a) for a in answered_by],
        "asa_seconds": 60.0 * float(queue @ wait_answered) / (1.0 - p_abandon),
        "abandon_wait_seconds": 60.0 * float(queue @ wait_abandoned) / p_abandon,
    }


@pytest.mark.parametrize("row", rows(A_ROWS))
def test_erlang_a_against_waiting_customer_oracle(row: pd.Series) -> None:
    args = (row.arrivals_per_hour, row.handle_minutes, int(row.agents), row.patience_minutes)
    times = (5.0, 20.0, 60.0)
    oracle = waiting_customer_oracle(*args, times)
    for t, expected in zip(times, oracle["service_levels"], strict=True):
        assert erlang_a_metrics(*args, t).service_level == pytest.approx(expected, rel=1e-9)
    m = erlang_a_metrics(*args)
    for name in ("p_wait", "p_abandon", "mean_wait_seconds", "asa_seconds"):
        assert getattr(m, name) == pytest.approx(oracle[name], rel=1e-9), name

    answered = 1.0 - m.p_abandon
    assert 0.0 < m.asa_seconds <= m.mean_wait_seconds / answered
    mixed = answered * m.asa_seconds + m.p_abandon * oracle["abandon_wait_seconds"]
    assert mixed == pytest.approx(m.mean_wait_seconds, rel=1e-9)


@pytest.mark.parametrize(
    ("arrivals", "handle", "target", "patience"),
    [
        (200.0, 3.0, 0.8, math.inf),
        (200.0, 3.0, 0.95, math.inf),
        (300.0, 5.0, 0.8, 3.0),
        (200.0, 3.0, 0.9, 5.0),
        (60.0, 10.0, 0.5, 2.0),
    ],
)
def test_agents_needed_is_the_smallest_meeting_the_target(
    arrivals: float, handle: float, target: float, patience: float
) -> None:
    c = agents_needed(arrivals, handle, target, 20.0, patience_minutes=patience)

    def level(agents: int) -> float:
        return erlang_a_metrics(arrivals, handle, agents, patience, 20.0).service_level

    assert level(c) >= target
    assert c == 1 or level(c - 1) < target


def test_agents_needed_reports_when_max_agents_is_too_few() -> None:
    with pytest.raises(ValueError, match="max_agents"):
        agents_needed(200.0, 3.0, 0.8, max_agents=5)


@pytest.mark.parametrize("p", [0.1, 0.35, 0.65, 0.9, 1.0])
@pytest.mark.parametrize("cap", [1, 2, 5, 30])
def test_contacts_per_issue_with_a_cap_is_the_geometric_sum(p: float, cap: int) -> None:
    direct = sum((1.0 - p) ** (k - 1) for k in range(1, cap + 1))
    assert contacts_per_issue(p, cap) == pytest.approx(direct, rel=1e-12)
    assert contacts_per_issue(p) == pytest.approx(1.0 / p, rel=1e-12)


def test_rework_makes_a_short_contact_cost_more() -> None:
    """CONCEPTS.md: 4.5 minutes resolving 65 % costs more than 6 minutes resolving 90 %."""
    assert work_per_resolved_issue_minutes(4.5, 0.65) > work_per_resolved_issue_minutes(6.0, 0.9)
    assert offered_load_with_repeats(200.0, 3.0, 0.8) == pytest.approx(12.5, rel=1e-12)
    capped = offered_load_with_repeats(200.0, 3.0, 0.5, max_attempts=2)
    assert capped == pytest.approx(10.0 * 1.5, rel=1e-12)


BAD_INPUTS = [
    (erlang_b, (0, 5.0), "agents"),
    (erlang_b, (2.5, 5.0), "agents"),
    (erlang_b, (True, 5.0), "agents"),
    (erlang_b, (-3, 5.0), "agents"),
    (erlang_b, (5, -1.0), "offered_load"),
    (erlang_c, (5, math.nan), "offered_load"),
    (erlang_c, (0, 1.0), "agents"),
    (erlang_c_metrics, (-1.0, 3.0, 5), "arrivals_per_hour"),
    (erlang_c_metrics, (200.0, 0.0, 5), "handle_minutes"),
    (erlang_c_metrics, (200.0, 3.0, 5.5), "agents"),
    (erlang_c_metrics, (200.0, 3.0, 14, -20.0), "service_level_seconds"),
    (erlang_a_metrics, (200.0, 3.0, 14, 0.0), "patience_minutes"),
    (erlang_a_metrics, (200.0, 3.0, 14, -5.0), "patience_minutes"),
    (erlang_a_metrics, (200.0, 3.0, 0, 5.0), "agents"),
    (erlang_a_metrics, (200.0, -3.0, 14, 5.0), "handle_minutes"),
    (agents_needed, (200.0, 3.0, 0.0), "target_service_level"),
    (agents_needed, (200.0, 3.0, 1.0), "target_service_level"),
    (agents_needed, (200.0, 3.0, 1.2), "target_service_level"),
    (agents_needed, (200.0, 3.0, -0.5), "target_service_level"),
    (agents_needed, (200.0, 3.0, 0.8, 20.0, math.inf, 0), "max_agents"),
    (contacts_per_issue, (0.0,), "resolution_probability"),
    (contacts_per_issue, (1.5,), "resolution_probability"),
    (contacts_per_issue, (-0.2,), "resolution_probability"),
    (contacts_per_issue, (0.5, 0), "max_attempts"),
    (contacts_per_issue, (0.5, 2.5), "max_attempts"),
    (work_per_resolved_issue_minutes, (-4.5, 0.65), "handle_minutes"),
    (work_per_resolved_issue_minutes, (4.5, 0.0), "resolution_probability"),
    (offered_load_with_repeats, (-1.0, 3.0, 0.8), "arrivals_per_hour"),
    (offered_load_with_repeats, (200.0, 3.0, 1.01), "resolution_probability"),
]


@pytest.mark.parametrize(
    ("function", "args", "name"),
    [pytest.param(f, a, n, id=f"{f.__name__}-{n}-{a!r}") for f, a, n in BAD_INPUTS],
)
def test_bad_inputs_raise_value_error_naming_the_parameter(function, args, name: str) -> None:
    with pytest.raises(ValueError, match=name) as caught:
        function(*args)
    assert "got" in str(caught.value)


def test_whole_float_agents_are_accepted() -> None:
    assert erlang_c(14.0, 10.0) == erlang_c(14, 10.0)
    assert erlang_c_metrics(200.0, 3.0, np.int64(14)) == erlang_c_metrics(200.0, 3.0, 14)


@settings(max_examples=150, deadline=None)
@given(
    arrivals=st.floats(1.0, 600.0),
    handle=st.floats(0.5, 20.0),
    agents=st.integers(1, 60),
    patience=st.floats(0.2, 60.0),
    t=st.floats(0.0, 300.0),
)
def test_erlang_a_properties(
    arrivals: float, handle: float, agents: int, patience: float, t: float
) -> None:
    m: ErlangA = erlang_a_metrics(arrivals, handle, agents, patience, service_level_seconds=t)
    for value in (m.p_wait, m.p_abandon, m.service_level, m.occupancy):
        assert 0.0 <= value <= 1.0
    theta_per_second = 1.0 / (60.0 * patience)
    assert m.p_abandon == pytest.approx(theta_per_second * m.mean_wait_seconds, rel=1e-9)
    assert m.service_level <= 1.0 - m.p_abandon + 1e-12
    answered = 1.0 - m.p_abandon
    assert 0.0 <= m.asa_seconds <= m.mean_wait_seconds / answered * (1 + 1e-12)
    c = erlang_c_metrics(arrivals, handle, agents, service_level_seconds=t)
    if c.stable:
        assert m.p_wait <= c.p_wait + 1e-12


def test_the_formula_results_read_as_one_sentence() -> None:
    """What the appendix workbook prints in place of the raw result object."""
    from servicesim import analytic

    m = analytic.erlang_a_metrics(200, 3, 11, 5)
    sentence = m.sentence()
    assert sentence.startswith("10.0 agents' worth of calls: ")
    for value in (m.p_wait, m.p_abandon, m.service_level, m.occupancy):
        assert f"{100 * value:.0f} %" in sentence
    assert f"{m.asa_seconds:.1f} s" in sentence
    assert "without end" in analytic.erlang_a_metrics(200, 3, 10, float("inf")).sentence()
