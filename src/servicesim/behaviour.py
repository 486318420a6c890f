"""Pure functions of the customer's side of a contact: how long it takes, how it ends, the score.

Kept apart from the SimPy processes so each can be read, tested and cited on its own; the
model card (docs/model.md) states each equation and its source.
"""

from __future__ import annotations

import math


def handle_time(mean: float, cv: float, exponential_draw: float, normal_draw: float) -> float:
    """Handle time with the given mean and coefficient of variation.

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


def interim_recommend_score(
    resolved: bool, contacts: int, total_wait_minutes: float, noise: float
) -> int:
    """A 0-10 likelihood-to-recommend from resolution, effort (contacts) and waiting.

    A teaching assumption until the full satisfaction model lands: 9 for a resolved issue,
    4 for an unresolved one; minus 1.5 per extra contact; minus 1 per 3 minutes of waiting
    (at most 3); plus the customer's own noise (standard normal); rounded and kept in 0-10.
    """
    base = 9.0 if resolved else 4.0
    effort = 1.5 * (contacts - 1)
    waiting = min(3.0, total_wait_minutes / 3.0)
    score = round(base - effort - waiting + noise)
    return max(0, min(10, score))


def net_promoter_score(scores: list[int] | tuple[int, ...]) -> float:
    """NPS in points: % promoters (9-10) minus % detractors (0-6); NaN with no scores."""
    if not scores:
        return math.nan
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)
