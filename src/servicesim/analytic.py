"""Exact queueing formulas: the reference the simulation is checked against.

Erlang B and C (M/M/c), Erlang A (M/M/c+M, exponential patience) from its birth–death chain,
staffing to a service-level target, and the extra load that repeat contacts bring.

Units: arrival rates per hour, handle time and patience in minutes; an output's unit is in its
name (``asa_seconds``) or it is a probability, a ratio or a load in Erlangs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from scipy.special import betainc, gammaln

__all__ = [
    "ErlangA",
    "ErlangC",
    "agents_needed",
    "contacts_per_issue",
    "erlang_a_metrics",
    "erlang_b",
    "erlang_c",
    "erlang_c_metrics",
    "offered_load_with_repeats",
    "work_per_resolved_issue_minutes",
]

TAIL_TOLERANCE = 1e-14
"""Erlang A truncation: the neglected tail mass, and its first moment, relative to the total."""

MAX_QUEUE_STATES = 2**22
"""Erlang A refuses chains longer than this rather than exhaust memory (patience near infinite)."""


@dataclass(frozen=True)
class ErlangC:
    """Steady state of an M/M/c queue in which nobody abandons."""

    offered_load: float
    """λ·AHT in Erlangs."""
    p_wait: float
    """P(an arriving customer waits at all)."""
    asa_seconds: float
    """Mean wait in queue; everyone is answered, so it is also the ASA."""
    service_level: float
    """P(wait <= service_level_seconds)."""
    occupancy: float
    """Share of agent time busy: offered load / agents."""
    stable: bool
    """False when offered load >= agents: the queue grows without bound."""


@dataclass(frozen=True)
class ErlangA:
    """Steady state of an M/M/c+M queue: customers abandon after an exponential patience."""

    offered_load: float
    """λ·AHT in Erlangs."""
    p_wait: float
    """P(an arriving customer finds every agent busy)."""
    p_abandon: float
    """P(an arriving customer leaves before being answered)."""
    mean_wait_seconds: float
    """Mean time in queue over all arrivals, abandoners counted until they leave."""
    asa_seconds: float
    """Mean time in queue of answered customers only."""
    service_level: float
    """P(answered within service_level_seconds); abandoners count as missing it."""
    occupancy: float
    """Share of agent time busy: answered load / agents."""
    stable: bool
    """Always True with finite patience; from Erlang C when patience is infinite."""

    def sentence(self) -> str:
        """The results in one plain sentence, as a workbook prints them."""
        if not self.stable:
            return (
                f"{self.offered_load:.1f} agents' worth of calls is as much as the agents can "
                "answer or more: with nobody hanging up the queue grows without end."
            )
        return (
            f"{self.offered_load:.1f} agents' worth of calls: {100 * self.p_wait:.0f} % of "
            f"callers wait, {100 * self.p_abandon:.0f} % hang up, those answered wait "
            f"{self.asa_seconds:.1f} s on average, {100 * self.service_level:.0f} % are "
            f"answered within the target, and agents are busy {100 * self.occupancy:.0f} % "
            "of the time."
        )


def erlang_b(agents: int, offered_load: float) -> float:
    """Blocking probability of M/M/c/c (Erlang loss), by the stable recursion on agents.

    The recursion B(k) = A·B(k−1) / (k + A·B(k−1)) never overflows, so thousands of agents are fine.
    """
    agents = _whole("agents", agents, low=1)
    load = _number("offered_load", offered_load, low=0.0)
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def erlang_c(agents: int, offered_load: float) -> float:
    """P(wait > 0) in M/M/c; 1.0 when offered load >= agents, where every arrival waits."""
    agents = _whole("agents", agents, low=1)
    load = _number("offered_load", offered_load, low=0.0)
    if load >= agents:
        return 1.0
    blocking = erlang_b(agents, load)
    return agents * blocking / (agents - load * (1.0 - blocking))


def erlang_c_metrics(
    arrivals_per_hour: float,
    handle_minutes: float,
    agents: int,
    service_level_seconds: float = 20.0,
) -> ErlangC:
    """Erlang C wait, ASA, service level and occupancy for one staffing level.

    ASA = P(wait>0)/(cμ − λ) and SL(t) = 1 − P(wait>0)·exp(−(cμ − λ)t). An unstable system
    (load >= agents) reports p_wait 1, infinite ASA, service level 0 and occupancy 1.
    """
    lam = _number("arrivals_per_hour", arrivals_per_hour, low=0.0) / 60.0
    handle = _number("handle_minutes", handle_minutes, low=0.0, low_open=True)
    agents = _whole("agents", agents, low=1)
    t = _number("service_level_seconds", service_level_seconds, low=0.0) / 60.0
    load = lam * handle
    if load >= agents:
        return ErlangC(load, 1.0, math.inf, 0.0, 1.0, stable=False)
    p_wait = erlang_c(agents, load)
    drain = agents / handle - lam  # per minute
    return ErlangC(
        offered_load=load,
        p_wait=p_wait,
        asa_seconds=60.0 * p_wait / drain,
        service_level=1.0 - p_wait * math.exp(-drain * t),
        occupancy=load / agents,
        stable=True,
    )


def erlang_a_metrics(
    arrivals_per_hour: float,
    handle_minutes: float,
    agents: int,
    patience_minutes: float,
    service_level_seconds: float = 20.0,
) -> ErlangA:
    """Erlang A (M/M/c+M) metrics, exact from the birth–death chain; patience inf gives Erlang C.

    The chain has birth rate λ and death rate kμ for k <= c, cμ + (k−c)θ above c. Its queue
    part is lengthened (doubling) until the neglected tail and its first moment are below
    1e-14 of the total, so the result is exact to rounding, also when λ > cμ.

    Per customer, by PASTA: an arrival that finds j customers waiting passes through positions
    j, j−1, …, 0; at position i the next event comes at rate cμ + (i+1)θ (the one ahead leaves
    at cμ + iθ, the customer abandons at θ) and its timing is independent of which event it is.
    Hence P(answered | j) = cμ/(cμ + (j+1)θ), and given answered the wait is a sum of
    exponentials with rates cμ + θ, …, cμ + (j+1)θ, which is distributed as −ln(U)/θ with
    U ~ Beta(cμ/θ + 1, j + 1) (equal Laplace transforms). So the service level is
    P(k < c) + Σ_j π_{c+j}·P(answered | j)·I_{1−exp(−θt)}(j + 1, cμ/θ + 1), and
    ASA = Σ_j π_{c+j}·P(answered | j)·Σ_{i=1}^{j+1} 1/(cμ + iθ) / (1 − p_abandon).
    """
    lam = _number("arrivals_per_hour", arrivals_per_hour, low=0.0) / 60.0
    handle = _number("handle_minutes", handle_minutes, low=0.0, low_open=True)
    agents = _whole("agents", agents, low=1)
    patience = _number("patience_minutes", patience_minutes, low=0.0, low_open=True, finite=False)
    t = _number("service_level_seconds", service_level_seconds, low=0.0) / 60.0
    if math.isinf(patience):
        c = erlang_c_metrics(arrivals_per_hour, handle_minutes, agents, service_level_seconds)
        return ErlangA(
            offered_load=c.offered_load,
            p_wait=c.p_wait,
            p_abandon=0.0,
            mean_wait_seconds=c.asa_seconds,
            asa_seconds=c.asa_seconds,
            service_level=c.service_level,
            occupancy=c.occupancy,
            stable=c.stable,
        )
    if lam == 0.0:
        return ErlangA(0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, stable=True)

    mu, theta = 1.0 / handle, 1.0 / patience
    serve = agents * mu
    p_free, p_queue = _erlang_a_distribution(lam, mu, theta, agents)
    ahead = np.arange(p_queue.size)  # customers waiting ahead of an arrival in state c + j

    p_wait = min(1.0, float(p_queue.sum()))
    queue_length = float(ahead @ p_queue)
    p_abandon = min(1.0, theta * queue_length / lam)
    p_answered_given = serve / (serve + (ahead + 1) * theta)
    reach_by_t = betainc(ahead + 1.0, serve / theta + 1.0, -math.expm1(-theta * t))
    mean_wait_given_answered = np.cumsum(1.0 / (serve + (ahead + 1) * theta))
    answered_wait = float(p_queue @ (p_answered_given * mean_wait_given_answered))
    return ErlangA(
        offered_load=lam * handle,
        p_wait=p_wait,
        p_abandon=p_abandon,
        mean_wait_seconds=60.0 * queue_length / lam,
        asa_seconds=60.0 * answered_wait / (1.0 - p_abandon),
        service_level=min(1.0, p_free + float(p_queue @ (p_answered_given * reach_by_t))),
        occupancy=min(1.0, lam * (1.0 - p_abandon) / mu / agents),
        stable=True,
    )


def _erlang_a_distribution(
    lam: float, mu: float, theta: float, agents: int
) -> tuple[float, np.ndarray]:
    """Stationary P(fewer than c in system) and π_{c+j}, j = 0…J, of the M/M/c+M chain.

    Weights are built in logs so that large c or long queues neither overflow nor underflow.
    """
    k = np.arange(agents + 1)
    log_low = k * math.log(lam / mu) - gammaln(k + 1.0)  # π_k / π_0 for k <= c
    log_low -= log_low.max()
    serve = agents * mu
    extra = max(64, 2 * math.ceil((lam - serve) / theta))
    while extra <= MAX_QUEUE_STATES:
        n = np.arange(1, extra + 1)
        log_queue = log_low[-1] + np.concatenate(
            ([0.0], np.cumsum(np.log(lam / (serve + n * theta))))
        )
        shift = max(0.0, log_queue.max())
        low = np.exp(log_low - shift)
        queue = np.exp(log_queue - shift)
        total = low[:-1].sum() + queue.sum()
        ratio = lam / (serve + (extra + 1) * theta)
        if ratio < 1.0:
            # Beyond J the terms fall at least geometrically with this ratio.
            tail = queue[-1] * (extra * ratio / (1.0 - ratio) + ratio / (1.0 - ratio) ** 2)
            if tail < TAIL_TOLERANCE * total:
                return float(low[:-1].sum() / total), queue / total
        extra *= 2
    raise ValueError(
        f"patience_minutes={1.0 / theta:g} is too long for this overload: the queue would need "
        f"more than {MAX_QUEUE_STATES} states; use a shorter patience"
    )


def agents_needed(
    arrivals_per_hour: float,
    handle_minutes: float,
    target_service_level: float,
    service_level_seconds: float = 20.0,
    patience_minutes: float = math.inf,
    max_agents: int = 10000,
) -> int:
    """Smallest number of agents whose service level meets the target (Erlang C, or A if patient).

    The service level rises with agents, so a bisection finds the answer. With abandonment,
    SL <= answered share <= c/A, so c >= target·A bounds the search from below.
    """
    _number("arrivals_per_hour", arrivals_per_hour, low=0.0)
    _number("handle_minutes", handle_minutes, low=0.0, low_open=True)
    target = _probability("target_service_level", target_service_level, high_open=True)
    _number("service_level_seconds", service_level_seconds, low=0.0)
    _number("patience_minutes", patience_minutes, low=0.0, low_open=True, finite=False)
    max_agents = _whole("max_agents", max_agents, low=1)

    def level(c: int) -> float:
        return erlang_a_metrics(
            arrivals_per_hour, handle_minutes, c, patience_minutes, service_level_seconds
        ).service_level

    load = arrivals_per_hour / 60.0 * handle_minutes
    # Erlang C: the first stable staffing; Erlang A: the bound c >= target·A.
    low = math.floor(load) + 1 if math.isinf(patience_minutes) else max(1, math.ceil(target * load))
    if low > max_agents or level(max_agents) < target:
        raise ValueError(
            f"target_service_level={target} needs more than max_agents={max_agents} agents; "
            "raise max_agents"
        )
    high = max_agents
    while low < high:
        middle = (low + high) // 2
        if level(middle) >= target:
            high = middle
        else:
            low = middle + 1
    return low


def contacts_per_issue(resolution_probability: float, max_attempts: int | None = None) -> float:
    """Expected contacts an issue causes when each contact resolves it with probability p.

    Unresolved customers call again (de Véricourt & Zhou 2005): 1/p contacts with no cap, and
    (1 − (1−p)^m)/p when customers give up after m attempts.
    """
    p = _probability("resolution_probability", resolution_probability)
    if max_attempts is None:
        return 1.0 / p
    m = _whole("max_attempts", max_attempts, low=1)
    return -math.expm1(m * math.log1p(-p)) / p if p < 1.0 else 1.0


def work_per_resolved_issue_minutes(handle_minutes: float, resolution_probability: float) -> float:
    """Agent minutes spent per resolved issue, AHT/p: why a shorter contact can cost more."""
    handle = _number("handle_minutes", handle_minutes, low=0.0, low_open=True)
    p = _probability("resolution_probability", resolution_probability)
    return handle / p


def offered_load_with_repeats(
    arrivals_per_hour: float,
    handle_minutes: float,
    resolution_probability: float,
    max_attempts: int | None = None,
) -> float:
    """Erlangs offered to the agents when new issues arrive at arrivals_per_hour and repeat.

    Load = λ·(contacts per issue)·AHT: the pool sees every repeat contact, not just new issues.
    """
    lam = _number("arrivals_per_hour", arrivals_per_hour, low=0.0) / 60.0
    handle = _number("handle_minutes", handle_minutes, low=0.0, low_open=True)
    return lam * contacts_per_issue(resolution_probability, max_attempts) * handle


def _number(
    name: str, value: float, *, low: float, low_open: bool = False, finite: bool = True
) -> float:
    """Value as a float, or ValueError naming the parameter, the value and the allowed range."""
    bound = f"> {low:g}" if low_open else f">= {low:g}"
    kind = "a finite number" if finite else "a number (inf allowed)"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be {kind} {bound}, got {value!r}")
    x = float(value)
    if math.isnan(x) or (finite and math.isinf(x)) or x < low or (low_open and x == low):
        raise ValueError(f"{name} must be {kind} {bound}, got {value!r}")
    return x


def _whole(name: str, value: float, *, low: int) -> int:
    """Value as an int (whole floats such as 14.0 accepted), or ValueError naming it."""
    ok = isinstance(value, Integral) or (isinstance(value, float) and value.is_integer())
    if isinstance(value, bool) or not ok or value < low:
        raise ValueError(f"{name} must be a whole number >= {low}, got {value!r}")
    return int(value)


def _probability(name: str, value: float, *, high_open: bool = False) -> float:
    """Probability in (0, 1], or (0, 1) with high_open, or ValueError naming it."""
    span = "(0, 1)" if high_open else "(0, 1]"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise ValueError(f"{name} must be a number in {span}, got {value!r}")
    x = float(value)
    if not (0.0 < x < 1.0 or (x == 1.0 and not high_open)):
        raise ValueError(f"{name} must be a number in {span}, got {value!r}")
    return x
