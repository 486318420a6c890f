"""Pure functions of the human side: time spent, resolution, care, trust, engagement, the score.

The SimPy processes call these; each can be read and tested on its own. docs/model.md states
every equation with its source, or says it is a teaching assumption.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

# --- time and resolution ------------------------------------------------------------------


def handle_time(mean: float, cv: float, exponential_draw: float, normal_draw: float) -> float:
    """Time an issue needs, with the given mean and coefficient of variation.

    cv = 0 gives the mean itself; cv = 1 an exponential time (the M/M/c assumption, using
    ``exponential_draw``); any other cv a lognormal time (``normal_draw``), the shape call-centre
    handle times are usually found to have (Brown et al., 2005).
    """
    if cv == 0.0:
        return mean
    if cv == 1.0:
        return mean * exponential_draw
    sigma2 = math.log1p(cv * cv)
    return mean * math.exp(math.sqrt(sigma2) * normal_draw - sigma2 / 2.0)


#: Waiting contacts per available agent at which work pressure is full.
FULL_PRESSURE_QUEUE_PER_AGENT = 0.25


def work_pressure(waiting: int, available_agents: int) -> float:
    """Work pressure in [0, 1]: the queue per available agent, full at one per four agents."""
    if waiting <= 0:
        return 0.0
    return min(1.0, waiting / (FULL_PRESSURE_QUEUE_PER_AGENT * max(1, available_agents)))


TARGET_PULL = 0.5  # share of full pressure a handle-time target exerts with no queue at all


def aimed_minutes(standard: float, target: float, sensitivity: float, pressure: float) -> float:
    """Time per contact agents aim for: their standard, cut toward the manager's target.

    Oliva & Sterman (2001): when work piles up, people cut the time they give each task. A
    target pulls with half its strength even with no queue; a long queue adds the other half.
    Agents close ``sensitivity`` times that pull of the gap between standard and target.
    """
    pull = TARGET_PULL + (1.0 - TARGET_PULL) * pressure
    return standard - sensitivity * pull * max(0.0, standard - target)


def eroded_standard(
    standard: float, aimed: float, elapsed: float, time_constant: float, pressure: float
) -> float:
    """The team's standard after ``elapsed`` minutes of aiming at ``aimed`` under ``pressure``.

    Erosion of standards (Oliva & Sterman, 2001): while work piles up, the standard drifts
    toward the time actually given, with a time constant; it only moves down, and nothing
    pulls it back up when the pressure goes.
    """
    if aimed >= standard or elapsed <= 0.0 or pressure <= 0.0:
        return standard
    return standard + (aimed - standard) * -math.expm1(-pressure * elapsed / time_constant)


#: Effects on the log-odds of resolving an issue (teaching assumptions; see docs/model.md).
TIME_EFFECT = 2.0  # per unit of log(time given / time needed)
CARE_EFFECT = 0.35  # per minute of effective care
SKILL_EFFECT = 1.2  # per unit of skill above the average of 1
ENGAGED_EFFECT = 0.4
FATIGUE_EFFECT = 1.0  # at full fatigue
MAX_TIME_RATIO = 1.5  # giving more than 1.5x what the issue needs helps no further


def resolution_probability(
    base: float,
    time_ratio: float,
    care_minutes: float,
    skill: float,
    engaged: bool,
    fatigue: float,
) -> float:
    """Probability an agent's contact resolves the issue.

    ``base`` is the probability for an average, not-engaged, rested agent who gives exactly
    the time the issue needs with no extra care. Time cut short, care, skill, engagement and
    fatigue shift its log-odds; ``base`` of 0 or 1 stays 0 or 1.
    """
    if base <= 0.0 or base >= 1.0:
        return base
    logit = math.log(base / (1.0 - base))
    logit += TIME_EFFECT * math.log(min(MAX_TIME_RATIO, max(time_ratio, 1e-6)))
    logit += CARE_EFFECT * care_minutes
    logit += SKILL_EFFECT * (skill - 1.0)
    logit += ENGAGED_EFFECT * engaged
    logit -= FATIGUE_EFFECT * fatigue
    if logit >= 0.0:
        return 1.0 / (1.0 + math.exp(-logit))
    odds = math.exp(logit)  # this side cannot overflow
    return odds / (1.0 + odds)


def effective_care(care_minutes: float, engaged: bool, skill: float, fatigue: float) -> float:
    """Minutes of care that land: engaged and skilled agents care more, tired ones less."""
    return care_minutes * (1.0 + 0.5 * engaged) * skill * (1.0 - 0.5 * fatigue)


#: Care a customer feels from a bot conversation (Luo et al., 2019: bots seen as less empathetic).
BOT_FELT_CARE = 0.2


def felt_care(care: float, time_ratio: float) -> float:
    """Care the customer feels, in [0, 1]: rises with effective care, falls when rushed."""
    base = 1.0 - math.exp(-(0.4 + care) / 1.5)
    return base * math.sqrt(min(1.0, max(time_ratio, 0.0)))


# --- the team -----------------------------------------------------------------------------

#: Gallup, quoted in seed 004: about 1 in 2 engaged when they trust their manager, 1 in 12 when not.
ENGAGED_WITH_TRUST = 1.0 / 2.0
ENGAGED_WITHOUT_TRUST = 1.0 / 12.0


def engaged_probability(team_trust: float) -> float:
    """Probability an agent is engaged, from 1/12 (no trust in the manager) to 1/2 (full trust)."""
    return ENGAGED_WITHOUT_TRUST + team_trust * (ENGAGED_WITH_TRUST - ENGAGED_WITHOUT_TRUST)


FATIGUE_RISE_MINUTES = 600.0  # busy time that takes a rested agent ~63 % of the way to exhausted
FATIGUE_RECOVERY_MINUTES = 20.0  # idle time that removes ~63 % of fatigue
ABUSE_FATIGUE = 0.15  # share of the remaining headroom one tolerated abusive contact uses up
ABUSE_ENDED_FATIGUE = 0.03


def fatigue_after(fatigue: float, busy_minutes: float, idle_minutes: float) -> float:
    """Fatigue after some idle time (recovery) followed by some busy time (strain)."""
    fatigue *= math.exp(-idle_minutes / FATIGUE_RECOVERY_MINUTES)
    return 1.0 - (1.0 - fatigue) * math.exp(-busy_minutes / FATIGUE_RISE_MINUTES)


def fatigue_after_abuse(fatigue: float, increment: float) -> float:
    """Fatigue after an abusive contact that uses up ``increment`` of the headroom left to 1.

    ``ABUSE_FATIGUE`` when the agent tolerates the abuse, ``ABUSE_ENDED_FATIGUE`` when they end
    the contact politely; the result stays in [0, 1].
    """
    return 1.0 - (1.0 - fatigue) * (1.0 - increment)


def employee_score(engaged: bool, fatigue: float, abuse_tolerated: int, noise: float) -> int:
    """An agent's 0-10 answer to "would you recommend working here?" (for eNPS)."""
    score = 7.5 + 2.5 * engaged - 4.0 * fatigue - 0.3 * abuse_tolerated + 1.2 * noise
    return max(0, min(10, round(score)))


# --- promises and trust -------------------------------------------------------------------

#: Follow-through by level of accountability (a training-society study quoted in seed 004).
ACCOUNTABILITY = {"heard": 0.10, "decided": 0.25, "committed": 0.65, "appointment": 0.95}

TRUST_NEW_CUSTOMER = 0.5
TRUST_LOYAL_CUSTOMER = 0.6
TRUST_PROMISE_KEPT = 0.08
TRUST_PROMISE_BROKEN = -0.15
TRUST_ASSURED = 0.03
TRUST_UNRESOLVED = -0.03
TRUST_CHECKIN = 0.2


def trust_after(trust: float, change: float) -> float:
    """Trust moved by ``change`` (a share of the room left toward 1, or toward 0 if negative).

    A change of +1 or more reaches 1, of -1 or less reaches 0; the result stays in [0, 1].
    """
    change = max(-1.0, min(1.0, change))
    if change >= 0.0:
        return trust + change * (1.0 - trust)
    return trust + change * trust


# --- bots ---------------------------------------------------------------------------------


def bot_outcome(containment: float, false_containment: float, draw: float) -> str:
    """How a bot conversation ends: 'resolved', 'false_resolved' or 'escalated'.

    A share ``containment`` of conversations end without an agent; of those, a share
    ``false_containment`` only seem solved and the customer comes back later.
    """
    if draw < containment * (1.0 - false_containment):
        return "resolved"
    if draw < containment:
        return "false_resolved"
    return "escalated"


# --- the customer's score -----------------------------------------------------------------

CAUSES = ("process", "rules", "presentation", "product", "people")
SLIGHTED = 1.5  # weight of a wait during which a policy served another segment first
PASSED_OVER = 1.0  # points lost by a customer who saw others served first by policy
DEFECT_SCORE_CAP = 6  # a product defect leaves the customer a detractor at best


@dataclass(slots=True)
class Experience:
    """What happened to one customer over one issue: the inputs of their score."""

    resolved: bool = False
    contacts: int = 0
    wait_minutes: float = 0.0
    passed_over: bool = False  # saw a favoured customer served first while waiting
    care: list[float] = field(default_factory=list)
    forced_bot: bool = False
    escalations: int = 0
    false_containments: int = 0
    cut_short: int = 0  # unresolved contacts where the agent gave less time than needed
    agent_errors: int = 0  # unresolved contacts despite enough time
    abuse_ended: bool = False
    trust_at_start: float = 0.5
    trust_now: float = 0.5
    promises_broken: int = 0
    defect: bool = False
    patience_reference: float = 5.0


@dataclass(frozen=True, slots=True)
class Score:
    """A 0-10 likelihood to recommend and, per cause, the points it lost."""

    value: int
    losses: dict[str, float]

    @property
    def primary_cause(self) -> str:
        """The cause that cost the most points ('none' when nothing cost a point)."""
        cause, lost = max(self.losses.items(), key=lambda kv: kv[1])
        return cause if lost >= 1.0 else "none"

    def causes(self, threshold: float = 1.0) -> tuple[str, ...]:
        """Every cause that cost at least ``threshold`` points."""
        return tuple(c for c in CAUSES if self.losses[c] >= threshold)


def recommend_score(x: Experience, noise: float) -> Score:
    """Likelihood to recommend (0-10) from the customer's own experience, with its causes.

    Resolution and abandonment move satisfaction most (Feinberg et al., 2000); waiting counts
    but less (Garcia et al., 2012); the other weights are teaching assumptions.
    """
    losses = dict.fromkeys(CAUSES, 0.0)
    score = 6.5 + (2.5 if x.resolved else -2.0)
    if not x.resolved:
        if x.abuse_ended:
            blame = "rules"
        else:
            blame = "people" if x.agent_errors > x.cut_short else "process"
        losses[blame] += 2.0
    repeats = 1.0 * max(0, x.contacts - 1)
    waiting = 1.5 * min(2.0, x.wait_minutes / x.patience_reference)
    if x.passed_over:
        waiting *= SLIGHTED
    handoffs = 1.0 * x.escalations + 1.0 * x.false_containments
    losses["rules" if x.passed_over else "process"] += waiting
    losses["process"] += repeats + handoffs
    score -= repeats + waiting + handoffs
    care = sum(x.care) / len(x.care) if x.care else 0.5
    score += 4.0 * (care - 0.5)
    losses["presentation"] += max(0.0, 4.0 * (0.5 - care))
    if x.passed_over:
        score -= PASSED_OVER
        losses["rules"] += PASSED_OVER
    if x.forced_bot:
        score -= 1.0
        losses["rules"] += 1.0
    if x.abuse_ended:
        score -= 2.5
        losses["rules"] += 2.5
    score += 4.0 * (x.trust_at_start - 0.5)
    trust_change = 4.0 * (x.trust_now - x.trust_at_start)
    score += trust_change
    if trust_change < 0.0:
        losses["people" if x.promises_broken else "process"] += -trust_change
    score += noise
    if x.defect and score > DEFECT_SCORE_CAP:
        losses["product"] += score - DEFECT_SCORE_CAP
        score = DEFECT_SCORE_CAP
    return Score(max(0, min(10, round(score))), losses)


def net_promoter_score(scores: Iterable[int]) -> float:
    """NPS in points: % promoters (9-10) minus % detractors (0-6); NaN with no scores."""
    scores = list(scores)
    if not scores:
        return math.nan
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)


def nps_half_width(scores: Iterable[int], z: float = 1.96) -> float:
    """Half-width of the normal-approximation CI of an NPS (multinomial variance), in points."""
    scores = list(scores)
    n = len(scores)
    if n < 2:
        return math.nan
    p = sum(1 for s in scores if s >= 9) / n
    d = sum(1 for s in scores if s <= 6) / n
    variance = (p + d - (p - d) ** 2) / n
    return 100.0 * z * math.sqrt(variance)
