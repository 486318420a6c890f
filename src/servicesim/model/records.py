"""The records a run leaves behind: issues, contacts (check-ins among them), agents, the run.

Records hold data; the mechanisms move them. Each record sets every one of its slots when it
is created, so a half-made record cannot be read by accident. ``results.py`` turns them into
tables and KPIs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from .. import behaviour as b

SEGMENTS = ("new", "loyal")
NEW, LOYAL = 0, 1
NO_ISSUE = -1  # the issue id of a check-in: the customer has no problem to solve


class Issue(b.Experience):
    """One customer's reason to get in touch, followed over all its contacts.

    An issue is the customer's :class:`~servicesim.behaviour.Experience` of it (what their
    score is made of) plus where it stands. One object, not two: a run keeps every issue.
    """

    __slots__ = (
        "abusive",
        "attempts",
        "customer",
        "ended",
        "first_arrival",
        "id",
        "outcome",
        "score_lost",
        "score_noise",
        "score_value",
        "segment",
        "used_bot",
        "wants_human",
    )

    def __init__(self, issue_id: int, segment: int, now: float, score_noise: float) -> None:
        b.Experience.__init__(self)
        self.id = issue_id
        self.segment = segment
        self.customer = -1  # index in the loyal customer base; -1 for a new customer
        self.first_arrival = now
        self.attempts = 0
        self.ended = math.nan
        self.outcome = "open"
        self.score_value = -1  # the 0-10 score once the issue has ended
        self.score_lost: tuple[float, ...] = ()  # what each cause cost, as in b.Score
        self.score_noise = score_noise
        self.used_bot = False
        self.wants_human = False
        self.abusive = False  # abusive on at least one of the issue's contacts

    @property
    def total_wait(self) -> float:
        """Minutes this customer has waited for an agent over all the issue's contacts."""
        return self.wait_minutes

    def close(self, outcome: str, now: float) -> None:
        """End the issue with ``outcome`` and score the customer's experience of it."""
        self.ended = now
        self.outcome = outcome
        self.resolved = outcome == "resolved"
        self.score_value, self.score_lost = b.recommend(self, self.score_noise)

    @property
    def score(self) -> b.Score | None:
        """The customer's score of the issue, once it has ended (None before).

        Kept as plain numbers, which the garbage collector does not track.
        """
        return None if self.score_value < 0 else b.Score(self.score_value, self.score_lost)


class Contact:
    """One call or chat about an issue: its random inputs, where it went, how it ended.

    The ``*_draw`` slots are uniform draws kept for the moment they decide something (whether
    the contact resolves, how the bot ends, a retry, a promise); ``hostile_draw`` also decides
    ``hostile`` (below ``hostile_share``) and ``rude`` (in the ``rude_share`` above it).
    Drawing them all at creation keeps common random numbers (see ``draws``).
    """

    __slots__ = (
        "abandoned",
        "agent",
        "answered",
        "arrival",
        "attempt",
        "bot_draw",
        "bot_minutes",
        "care",
        "channel",
        "ended",
        "escalated",
        "handle",
        "hostile",
        "hostile_draw",
        "id",
        "is_checkin",
        "issue",
        "jumps_at_join",
        "need",
        "outcome",
        "patience",
        "promise",
        "promise_draw",
        "queued",
        "repeat_delay",
        "resolve_draw",
        "resolved",
        "retry_draw",
        "rude",
        "time_ratio",
    )

    def __init__(
        self,
        contact_id: int,
        issue: Issue,
        now: float,
        need: float,
        patience: float,
        resolve_draw: float,
        bot_draw: float,
        repeat_delay: float,
        retry_draw: float,
        hostile_draw: float,
        hostile: bool,
        rude: bool,
        promise_draw: float,
    ) -> None:
        # Positional on purpose: a keyword call costs about a microsecond more per contact.
        self.id = contact_id
        self.issue = issue
        self.attempt = issue.attempts
        self.arrival = now
        self.need = need
        self.patience = patience
        self.resolve_draw = resolve_draw
        self.bot_draw = bot_draw
        self.repeat_delay = repeat_delay
        self.retry_draw = retry_draw
        self.hostile_draw = hostile_draw
        self.hostile = hostile
        self.rude = rude
        self.promise_draw = promise_draw
        self.is_checkin = False  # True only for a CheckIn, and never changed
        self.channel = "human"
        self.escalated = False
        self.queued = math.nan
        self.jumps_at_join = 0
        self.answered = math.nan
        self.ended = math.nan
        self.handle = math.nan
        self.abandoned = False
        self.resolved = False
        self.agent = -1
        self.outcome = "open"
        self.bot_minutes = math.nan
        self.time_ratio = math.nan
        self.care = math.nan
        self.promise = ""


class CheckIn(Contact):
    """A proactive call to a loyal customer who has no problem: waits last, never gives up.

    In the tables it is a contact on channel ``"checkin"`` whose issue id is ``NO_ISSUE``; its
    issue only carries the customer, and is not one of the run's issues.
    """

    __slots__ = ()

    def __init__(self, contact_id: int, customer: int, now: float, minutes: float) -> None:
        issue = Issue(NO_ISSUE, LOYAL, now, 0.0)
        issue.customer = customer
        nan = math.nan  # a check-in draws nothing: it takes its minutes and never gives up
        super().__init__(
            contact_id, issue, now, minutes, math.inf, nan, nan, nan, nan, nan, False, False, nan
        )
        self.is_checkin = True
        self.channel = "checkin"


class Agent:
    """One agent and what the shift does to them."""

    __slots__ = (
        "abuse_tolerated",
        "busy",
        "down",
        "down_minutes",
        "engaged",
        "fatigue",
        "id",
        "idle_since",
        "leaving",
        "score_noise",
        "skill",
    )

    def __init__(self, agent_id: int, skill: float, engaged: bool, score_noise: float) -> None:
        self.id = agent_id
        self.skill = skill
        self.engaged = engaged
        self.score_noise = score_noise
        self.fatigue = 0.0
        self.abuse_tolerated = 0
        self.busy = False
        self.leaving = False
        self.down = False
        self.down_minutes = math.nan  # set while an incident waits for the contact in hand
        self.idle_since = 0.0


@dataclass
class RunRecord:
    """Everything one run produced, before it is turned into tables and KPIs."""

    contacts: list[Contact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    agents: list[Agent] = field(default_factory=list)
    # One row per 15-minute interval end: time, integrals (minutes x count) of waiting, busy,
    # on-duty and down agents, then the team's standard handle time at that moment.
    intervals: list[tuple[float, float, float, float, float, float]] = field(default_factory=list)
    trust: dict[int, float] = field(default_factory=dict)  # loyal customer -> trust at the end
    backlog: int = 0
    end: float = 0.0  # when the run ended: the horizon, or later if the drain went on


UNFINISHED = "unfinished"  # an issue still open when the run, drain included, ended


def open_outcome(contact: Contact) -> str:
    """The outcome of a contact still open when the run ends: in the bot, in service or waiting."""
    if contact.channel == "bot" and not contact.escalated:
        return "in_bot_at_end"
    if not math.isnan(contact.answered):
        return "in_service_at_end"
    return "waiting_at_end"
