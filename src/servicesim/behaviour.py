"""Pure functions of the human side: time spent, resolution, care, trust, engagement, the score.

The SimPy processes call these; each can be read and tested on its own. docs/model.md states
every equation with its source, or says it is a teaching assumption.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import NamedTuple

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


#: Time over which the team perceives its work pressure (an exponential average).
PERCEPTION_MINUTES = 30.0
#: Perceived pressure the team takes in its stride, and the one at which erosion runs full.
NORMAL_PRESSURE = 1.2
FULL_EROSION_PRESSURE = 1.6


def demand_pressure(contacts: int, standard: float, agent_minutes: float) -> float:
    """Work asked for over work the team can do at its standard (Oliva & Sterman's pressure).

    ``contacts`` asked for an agent while ``agent_minutes`` of agents were available; 1 means
    the demand exactly fills the team's capacity at the standard time per contact.
    """
    if agent_minutes <= 0.0:
        return 0.0
    return contacts * standard / agent_minutes


def perceived_pressure(perceived: float, pressure: float, elapsed: float) -> float:
    """The team's perceived pressure after ``elapsed`` minutes at ``pressure``.

    An exponential average with time constant ``PERCEPTION_MINUTES``: a burst of demand that
    comes and goes within minutes is hardly noticed; one that lasts an hour is.
    """
    if elapsed <= 0.0:
        return perceived
    return pressure + (perceived - pressure) * math.exp(-elapsed / PERCEPTION_MINUTES)


def excess_pressure(perceived: float) -> float:
    """How far perceived pressure exceeds normal, scaled to [0, 1]; 0 at or below normal."""
    span = FULL_EROSION_PRESSURE - NORMAL_PRESSURE
    return min(1.0, max(0.0, (perceived - NORMAL_PRESSURE) / span))


def eroded_standard(
    standard: float, aimed: float, elapsed: float, time_constant: float, excess: float
) -> float:
    """The team's standard after ``elapsed`` minutes of aiming at ``aimed`` under pressure.

    Erosion of standards (Oliva & Sterman, 2001): while work pressure stays above normal
    (``excess`` > 0), the standard drifts toward the time actually given, with a time
    constant; at normal pressure it holds, and nothing pulls it back up when pressure goes.
    """
    if aimed >= standard or elapsed <= 0.0 or excess <= 0.0:
        return standard
    return standard + (aimed - standard) * -math.expm1(-excess * elapsed / time_constant)


#: Effects on the log-odds of resolving an issue (teaching assumptions; see docs/model.md).
TIME_EFFECT = 5.5  # per unit of log(time given / time needed): the 4.5 vs 6 minute example
CARE_EFFECT = 0.35  # per minute of effective care
SKILL_EFFECT = 2.5  # per unit of skill above the average of 1
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
RUDE_FATIGUE = 0.02  # a rude contact tolerated: a small strain, no disengagement


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


#: The employee's latent answer to "would you recommend working here?" (log-odds units).
EMPLOYEE_BASE = 1.2  # a rested agent who is not engaged
EMPLOYEE_ENGAGED = 2.0  # engaged agents are mostly promoters (Gallup's engaged ~ promoters)
EMPLOYEE_FATIGUE = 1.0  # at full fatigue
EMPLOYEE_ABUSE = 0.05  # per abusive contact tolerated (on top of the fatigue it causes)
EMPLOYEE_SPREAD = 1.0  # agents' own disposition


def employee_score(engaged: bool, fatigue: float, abuse_tolerated: int, noise: float) -> int:
    """An agent's 0-10 answer to "would you recommend working here?" (for eNPS).

    The same bounded logistic mapping as the customer's score; the weights are calibrated so
    that the baseline team's eNPS sits below Hive HR's all-industry benchmark of +27 (2024)
    and the team-trust lever spans negative to positive values (docs/model.md).
    """
    latent = (
        EMPLOYEE_BASE
        + EMPLOYEE_ENGAGED * engaged
        - EMPLOYEE_FATIGUE * fatigue
        - EMPLOYEE_ABUSE * abuse_tolerated
        + EMPLOYEE_SPREAD * noise
    )
    return score_from_latent(latent)


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
#: What each cause covers, in the words a participant reads (tables, the breakdown form).
CAUSE_MEANINGS = {
    "process": "waits, hand-offs, calling again",
    "rules": "policies, forced through the bot",
    "presentation": "little care, rushed, script-like",
    "product": "a defect in what was sold",
    "people": "no skill for it, a broken promise",
    "none": "simply not impressed",
}
#: Each cause's short name, as charts and the breakdown form label it.
CAUSE_NAMES = {
    cause: "No cause" if cause == "none" else cause.capitalize() for cause in CAUSE_MEANINGS
}

#: The customer's latent satisfaction, in log-odds units (see docs/model.md, mechanism 15).
SATISFIED = 2.3  # an issue resolved at the first contact, no wait, average care, neutral trust
UNRESOLVED_LOSS = 2.5  # the issue never got solved (Feinberg et al., 2000: the strongest driver)
EXTRA_CONTACT_LOSS = 0.5  # each contact after the first (SQM: about 15 points of top box each)
ABANDON_LOSS = 0.4  # each time the customer hung up in the queue (Feinberg et al., 2000)
WAIT_LOSS = 0.3  # per patience reference waited, up to two (Garcia et al., 2012: small)
SLIGHTED = 1.5  # weight of a wait during which a policy served another segment first
HANDOFF_LOSS = 0.35  # each escalation from the bot, or return after a false containment
CARE_WEIGHT = 1.0  # per unit of felt care above or below the reference
CARE_REFERENCE = 0.5  # felt care that neither adds nor costs
FORCED_BOT_LOSS = 0.4  # pushed through a bot the customer did not want
PASSED_OVER_LOSS = 0.5  # saw others served first by policy
ABUSE_ENDED_LOSS = 1.5  # the agent ended the contact (the customer's own view of it)
TRUST_GAIN_WEIGHT = 0.8  # per unit of trust above a new customer's
TRUST_LOSS_WEIGHT = 1.6  # per unit below it: losses weigh double (Baumeister et al., 2001)
TRUST_NEUTRAL = 0.5  # a new customer's trust, which neither adds nor costs
DEFECT_LOSS = 1.6  # the issue comes from a defect in the product
SCORE_SPREAD = 1.3  # customers' own disposition: the sd of their latent satisfaction
CAUSE_THRESHOLD = 0.25  # a cause must cost at least this much to count as one


#: An empty, read-only mapping: what an experience starts with as its failures and trust lost
#: (most customers have none; each add makes a new mapping, so none is shared by two).
NOTHING: Mapping[str, float] = MappingProxyType({})


@dataclass(slots=True, eq=False)
class Experience:
    """What happened to one customer over one issue: the inputs of their score.

    ``failures`` holds, per cause, the failed attempts charged to it (an unresolved contact
    can be shared between people and process); ``trust_lost`` the trust each cause took from
    this customer, on this issue and, for a loyal customer, on earlier ones still unmended.
    """

    resolved: bool = False
    contacts: int = 0
    wait_minutes: float = 0.0
    passed_over: bool = False  # saw a favoured customer served first while waiting
    care: tuple[float, ...] = ()  # felt care of each contact (a tuple: cheap to keep)
    forced_bot: bool = False  # sent to a bot although they wanted a person, with none offered
    forced_bot_contacts: int = 0  # bot conversations the customer was pushed into
    escalations: int = 0
    false_containments: int = 0
    abandonments: int = 0
    failures: Mapping[str, float] = field(default_factory=lambda: NOTHING)
    abuse_ended: bool = False
    trust_at_start: float = TRUST_NEUTRAL
    trust_now: float = TRUST_NEUTRAL
    trust_lost: Mapping[str, float] = field(default_factory=lambda: NOTHING)
    promises_broken: int = 0
    defect: bool = False
    defect_recovery: float = 0.0  # share of a defect's loss excellent service wins back
    patience_reference: float = 5.0


class Score(NamedTuple):
    """A 0-10 likelihood to recommend and the satisfaction each cause cost, in ``CAUSES`` order.

    Numbers only, in a tuple: the garbage collector stops tracking it, which every issue of
    every run would otherwise pay for.
    """

    value: int
    lost: tuple[float, ...]

    @classmethod
    def of(cls, value: int, losses: Mapping[str, float]) -> Score:
        """A score from the satisfaction each cause (all of ``CAUSES``) cost."""
        return cls(value, tuple(float(losses[cause]) for cause in CAUSES))

    @property
    def losses(self) -> dict[str, float]:
        """The satisfaction each cause cost, by cause."""
        return dict(zip(CAUSES, self.lost, strict=True))

    @property
    def primary_cause(self) -> str:
        """The cause that cost the most ('none' when no cause cost ``CAUSE_THRESHOLD``)."""
        return primary_cause(self.lost)

    def causes(self, threshold: float = CAUSE_THRESHOLD) -> tuple[str, ...]:
        """Every cause that cost at least ``threshold``."""
        return tuple(c for c, lost in zip(CAUSES, self.lost, strict=True) if lost >= threshold)


def add_failure(x: Experience, cause: str, weight: float = 1.0) -> None:
    """Charge ``weight`` of one failed attempt on the customer's issue to ``cause``."""
    if weight > 0.0:
        x.failures = {**x.failures, cause: x.failures.get(cause, 0.0) + weight}


def add_trust_lost(x: Experience, cause: str, lost: float) -> None:
    """Record that ``cause`` took ``lost`` of the customer's trust."""
    if lost > 0.0:
        x.trust_lost = {**x.trust_lost, cause: x.trust_lost.get(cause, 0.0) + lost}


def _shares(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights scaled to sum to 1 (all to process when there are none)."""
    total = sum(weights.values())
    if total <= 0.0:
        return {"process": 1.0}
    return {cause: w / total for cause, w in weights.items() if w > 0.0}


_NO_LOSSES = dict.fromkeys(CAUSES, 0.0)  # every cause, in CAUSES order, at no loss yet


def satisfaction(x: Experience) -> tuple[float, dict[str, float]]:
    """The customer's latent satisfaction (log-odds units) and what each cause cost.

    Losses add up; care and trust above their references add back. Each loss is charged to
    the cause that produced it: failed attempts (and the repeat contacts they cause) as
    ``failures`` says, waits to process or, for a customer passed over, to rules; anything a
    bot the customer did not want brought about to rules.
    """
    # Zero losses are skipped (adding 0.0 changes nothing); the order of additions is fixed.
    losses = _NO_LOSSES.copy()
    repeats = x.contacts - 1
    if not x.resolved or repeats > 0:
        blame = _shares(x.failures)
        if not x.resolved:
            if x.abuse_ended:
                losses["rules"] += UNRESOLVED_LOSS
            else:
                for cause, share in blame.items():
                    losses[cause] += UNRESOLVED_LOSS * share
        if repeats > 0:
            amount = EXTRA_CONTACT_LOSS * repeats
            for cause, share in blame.items():
                losses[cause] += amount * share
    queue_cause = "rules" if x.passed_over else "process"
    if x.abandonments:
        losses[queue_cause] += ABANDON_LOSS * x.abandonments
    if x.wait_minutes > 0.0:
        waited = WAIT_LOSS * min(2.0, x.wait_minutes / x.patience_reference)
        losses[queue_cause] += waited * (SLIGHTED if x.passed_over else 1.0)
    handoffs = x.escalations + x.false_containments
    if handoffs:
        losses["rules" if x.forced_bot else "process"] += HANDOFF_LOSS * handoffs
    if x.forced_bot:
        losses["rules"] += FORCED_BOT_LOSS
    if x.passed_over:
        losses["rules"] += PASSED_OVER_LOSS
    if x.abuse_ended:
        losses["rules"] += ABUSE_ENDED_LOSS
    if x.defect:
        loss = DEFECT_LOSS
        if x.defect_recovery > 0.0:
            loss *= 1.0 - x.defect_recovery * recovery_quality(x)
        losses["product"] += loss
    latent = SATISFIED - sum(losses.values())

    care = sum(x.care) / len(x.care) if x.care else CARE_REFERENCE
    latent += CARE_WEIGHT * (care - CARE_REFERENCE)
    if care < CARE_REFERENCE:
        to_rules = 0.0
        if x.forced_bot:
            short = sum(max(0.0, CARE_REFERENCE - c) for c in x.care)
            forced = x.forced_bot_contacts * max(0.0, CARE_REFERENCE - BOT_FELT_CARE)
            to_rules = min(1.0, forced / short)
        missing = CARE_WEIGHT * (CARE_REFERENCE - care)
        losses["rules"] += missing * to_rules
        losses["presentation"] += missing * (1.0 - to_rules)

    latent += trust_effect(x.trust_now)
    if x.trust_lost:
        lost = sum(x.trust_lost.values())
        if lost > 0.0:
            cost = trust_effect(min(1.0, x.trust_now + lost)) - trust_effect(x.trust_now)
            for cause, share in _shares(x.trust_lost).items():
                losses[cause] += cost * share
    return latent, losses


def primary_cause(lost: tuple[float, ...]) -> str:
    """The cause that cost the most of ``lost`` (in ``CAUSES`` order; the first on a tie), or
    'none' when no cause cost ``CAUSE_THRESHOLD``."""
    k = max(range(len(CAUSES)), key=lost.__getitem__)
    return CAUSES[k] if lost[k] >= CAUSE_THRESHOLD else "none"


def recovery_quality(x: Experience) -> float:
    """How excellent the service of a defect was, in [0, 1]: the care the customer felt when
    the issue was resolved at the first contact, 0 when it took more contacts or failed."""
    if not (x.resolved and x.contacts == 1 and x.care):
        return 0.0
    return sum(x.care) / len(x.care)


def trust_effect(trust: float) -> float:
    """What trust adds to satisfaction: a gain above a new customer's, a larger loss below."""
    if trust >= TRUST_NEUTRAL:
        return TRUST_GAIN_WEIGHT * (trust - TRUST_NEUTRAL)
    return -TRUST_LOSS_WEIGHT * (TRUST_NEUTRAL - trust)


def score_from_latent(latent: float) -> int:
    """The 0-10 answer for a latent satisfaction: 10 / (1 + e^-latent), rounded.

    The logistic mapping is bounded and smooth, so a change in satisfaction moves the
    answer most in the middle of the scale and less and less toward 0 and 10.
    """
    if latent >= 0.0:
        share = 1.0 / (1.0 + math.exp(-latent))
    else:
        odds = math.exp(latent)
        share = odds / (1.0 + odds)
    return int(10.0 * share + 0.5)


def recommend(x: Experience, noise: float) -> tuple[int, tuple[float, ...]]:
    """Likelihood to recommend (0-10) from the customer's own experience, and what each cause
    (in ``CAUSES`` order) cost: a :class:`Score`'s numbers, as the model's records keep them.

    ``noise`` is the customer's standard-normal disposition, scaled by ``SCORE_SPREAD``.
    """
    latent, losses = satisfaction(x)
    return score_from_latent(latent + SCORE_SPREAD * noise), tuple(losses.values())


def recommend_score(x: Experience, noise: float) -> Score:
    """Likelihood to recommend (0-10) from the customer's own experience, with its causes."""
    return Score(*recommend(x, noise))


def net_promoter_score(scores: Iterable[int]) -> float:
    """NPS in points: % promoters (9-10) minus % detractors (0-6); NaN with no scores."""
    scores = list(scores)
    if not scores:
        return math.nan
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)
