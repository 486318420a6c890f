"""The SimPy model of a contact centre: arrivals, bot, queue, agents on a shift plan, repeats.

Time is in minutes. Customers are light records moved by events rather than processes of their
own; agents and the generators of arrivals, staffing and measurement are SimPy processes. Every
random input is drawn when a contact is created, from a stream named after its purpose, so two
scenarios run on one seed meet the same customers (common random numbers).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from . import behaviour
from .scenario import INTERVAL_MINUTES, Scenario
from .streams import Streams

SEGMENTS = ("new", "loyal")


class Issue:
    """One customer's reason to get in touch, followed over all its contacts."""

    __slots__ = (
        "attempts",
        "ended",
        "first_arrival",
        "id",
        "outcome",
        "resolved",
        "score",
        "score_noise",
        "segment",
        "total_wait",
    )

    def __init__(self, issue_id: int, segment: int, now: float, score_noise: float) -> None:
        self.id = issue_id
        self.segment = segment
        self.first_arrival = now
        self.attempts = 0
        self.total_wait = 0.0
        self.resolved = False
        self.ended = math.nan
        self.outcome = "open"
        self.score = -1  # 0-10 once the issue has ended
        self.score_noise = score_noise


class Contact:
    """One call or chat: where it went, how long it waited, how it ended."""

    __slots__ = (
        "abandoned",
        "agent",
        "answered",
        "arrival",
        "attempt",
        "bot_draw",
        "bot_minutes",
        "channel",
        "ended",
        "escalated",
        "handle",
        "id",
        "issue",
        "outcome",
        "patience",
        "queued",
        "repeat_delay",
        "resolve_draw",
        "resolved",
        "retry_draw",
    )

    def __init__(self, contact_id: int, issue: Issue, now: float) -> None:
        self.id = contact_id
        self.issue = issue
        self.attempt = issue.attempts
        self.arrival = now
        self.channel = "human"
        self.escalated = False
        self.queued = math.nan
        self.answered = math.nan
        self.ended = math.nan
        self.abandoned = False
        self.resolved = False
        self.agent = -1
        self.outcome = "open"
        self.bot_minutes = math.nan


class Agent:
    """One agent; ``wakeup`` is the event an idle agent waits on."""

    __slots__ = ("busy", "id", "leaving", "wakeup")

    def __init__(self, agent_id: int) -> None:
        self.id = agent_id
        self.busy = False
        self.leaving = False
        self.wakeup: simpy.Event | None = None


@dataclass
class _Draws:
    """The per-contact random inputs of one kind of contact (first or repeat)."""

    channel: Callable[[], float]
    patience: Callable[[], float]
    handle_exp: Callable[[], float]
    handle_norm: Callable[[], float]
    resolve: Callable[[], float]
    bot_outcome: Callable[[], float]
    bot_time: Callable[[], float]
    repeat_delay: Callable[[], float]
    retry: Callable[[], float]

    @classmethod
    def named(cls, streams: Streams, prefix: str) -> _Draws:
        return cls(
            channel=streams.uniform(f"{prefix}.channel"),
            patience=streams.exponential(f"{prefix}.patience"),
            handle_exp=streams.exponential(f"{prefix}.handle"),
            handle_norm=streams.normal(f"{prefix}.handle_shape"),
            resolve=streams.uniform(f"{prefix}.resolve"),
            bot_outcome=streams.uniform(f"{prefix}.bot_outcome"),
            bot_time=streams.exponential(f"{prefix}.bot_time"),
            repeat_delay=streams.exponential(f"{prefix}.repeat_delay"),
            retry=streams.uniform(f"{prefix}.retry"),
        )


@dataclass
class RunRecord:
    """Everything one run produced, before it is turned into tables and KPIs."""

    contacts: list[Contact] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # One row per 15-minute interval: integrals (minutes x count) and counts.
    intervals: list[tuple[float, float, float, float]] = field(default_factory=list)
    backlog: int = 0


class ContactCentre:
    """One simulated run of a :class:`Scenario` with one set of random streams."""

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        self.scenario = scenario
        self.env = simpy.Environment()
        self.horizon = scenario.horizon_hours * 60.0
        self.record = RunRecord()

        self._arrival_gap = streams.exponential("arrivals")
        self._segment_draw = streams.uniform("segment")
        self._score_noise = streams.normal("score_noise")
        self._first = _Draws.named(streams, "first")
        self._repeat = _Draws.named(streams, "repeat")

        # Queue: one deque per priority rank; abandoned contacts are skipped when popped.
        rank = {"none": (0, 0), "new": (0, 1), "loyal": (1, 0)}[scenario.priority]
        self._rank_of_segment = rank
        self._queues: list[deque[Contact]] = [deque() for _ in range(max(rank) + 1)]
        self._idle: deque[Agent] = deque()
        self._on_duty: dict[int, Agent] = {}
        self._off_duty: list[Agent] = []
        self._next_agent_id = 0

        # Time-weighted state, integrated whenever it changes.
        self._waiting = 0
        self._busy = 0
        self._last_change = 0.0
        self._area_waiting = 0.0
        self._area_busy = 0.0
        self._area_on_duty = 0.0

    # --- running ------------------------------------------------------------------------

    def run(self) -> RunRecord:
        """Simulate the horizon and return the record."""
        env = self.env
        env.process(self._arrivals())
        env.process(self._staffing())
        env.process(self._monitor())
        env.run(until=self.horizon)
        self._snapshot()
        self.record.backlog = self._waiting
        for contact in self.record.contacts:
            if contact.outcome == "open":
                contact.outcome = _open_outcome(contact)
        return self.record

    def _integrate(self) -> None:
        now = self.env.now
        dt = now - self._last_change
        if dt > 0.0:
            self._area_waiting += self._waiting * dt
            self._area_busy += self._busy * dt
            self._area_on_duty += len(self._on_duty) * dt
            self._last_change = now

    def _snapshot(self) -> None:
        self._integrate()
        self.record.intervals.append(
            (self.env.now, self._area_waiting, self._area_busy, self._area_on_duty)
        )

    def _monitor(self) -> Generator[simpy.Event, Any, None]:
        intervals = round(self.horizon / INTERVAL_MINUTES)
        for k in range(1, intervals):
            yield self.env.timeout(k * INTERVAL_MINUTES - self.env.now)
            self._snapshot()

    # --- demand -------------------------------------------------------------------------

    def _arrivals(self) -> Generator[simpy.Event, Any, None]:
        """Non-homogeneous Poisson arrivals, exact for a rate that is constant within each hour.

        A unit exponential draw is spent against the cumulative arrival intensity, so a higher
        rate moves the same customers earlier instead of drawing new ones.
        """
        rates = [r / 60.0 for r in self.scenario.arrivals_by_hour()]
        horizon = self.horizon
        env = self.env
        t = 0.0
        hour = 0
        while True:
            need = self._arrival_gap()
            while hour < len(rates):
                end = min((hour + 1) * 60.0, horizon)
                room = rates[hour] * (end - t)
                if need < room:
                    t += need / rates[hour]
                    break
                need -= room
                t = end
                hour += 1
            else:
                return
            yield env.timeout(t - env.now)
            self._new_issue()

    def _new_issue(self) -> None:
        segment = 1 if self._segment_draw() < self.scenario.loyal_share else 0
        issue = Issue(len(self.record.issues), segment, self.env.now, self._score_noise())
        self.record.issues.append(issue)
        self._new_contact(issue, self._first)

    def _new_contact(self, issue: Issue, draws: _Draws) -> None:
        s = self.scenario
        issue.attempts += 1
        contact = Contact(len(self.record.contacts), issue, self.env.now)
        self.record.contacts.append(contact)
        to_bot = draws.channel() < s.bot_share
        contact.patience = s.patience_minutes * draws.patience()
        contact.handle = behaviour.handle_time(
            s.handle_minutes, s.handle_cv, draws.handle_exp(), draws.handle_norm()
        )
        contact.resolve_draw = draws.resolve()
        contact.bot_draw = draws.bot_outcome()
        bot_minutes = s.bot_handle_minutes * draws.bot_time()
        contact.repeat_delay = s.repeat_delay_minutes * draws.repeat_delay()
        contact.retry_draw = draws.retry()
        if to_bot:
            contact.channel = "bot"
            contact.bot_minutes = bot_minutes
            self.env.timeout(bot_minutes, value=contact).callbacks.append(self._bot_done)
        else:
            self._join_queue(contact)

    def _bot_done(self, event: simpy.Event) -> None:
        contact: Contact = event.value
        s = self.scenario
        result = behaviour.bot_outcome(s.bot_containment, s.bot_false_containment, contact.bot_draw)
        if result == "escalated":
            contact.escalated = True
            contact.handle += s.bot_reexplain_minutes
            self._join_queue(contact)
            return
        contact.ended = self.env.now
        contact.outcome = "bot_" + result
        if result == "resolved":
            contact.resolved = True
            self._close_issue(contact.issue, "resolved")
        else:
            self._come_back_or_give_up(contact)

    # --- queue and agents ---------------------------------------------------------------

    def _join_queue(self, contact: Contact) -> None:
        now = self.env.now
        contact.queued = now
        if self._idle:
            contact.answered = now
            agent = self._idle.popleft()
            agent.wakeup.succeed(contact)
            return
        self._integrate()
        self._waiting += 1
        self._queues[self._rank_of_segment[contact.issue.segment]].append(contact)
        if contact.patience != math.inf:
            self.env.timeout(contact.patience, value=contact).callbacks.append(self._patience_out)

    def _patience_out(self, event: simpy.Event) -> None:
        contact: Contact = event.value
        if not math.isnan(contact.answered):  # already with an agent
            return
        self._integrate()
        self._waiting -= 1
        now = self.env.now
        contact.abandoned = True
        contact.ended = now
        contact.outcome = "abandoned"
        contact.issue.total_wait += now - contact.queued
        if contact.retry_draw < self.scenario.retry_after_abandon:
            self._come_back_or_give_up(contact)
        else:
            self._close_issue(contact.issue, "abandoned")

    def _next_waiting(self) -> Contact | None:
        for queue in self._queues:
            while queue:
                contact = queue.popleft()
                if not contact.abandoned:
                    self._integrate()
                    self._waiting -= 1
                    contact.answered = self.env.now
                    return contact
        return None

    def _agent_shift(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """An agent's shift: take the next waiting contact, or wait idle until one arrives."""
        env = self.env
        while not agent.leaving:
            contact = self._next_waiting()
            if contact is None:
                agent.wakeup = env.event()
                self._idle.append(agent)
                contact = yield agent.wakeup
                agent.wakeup = None
                if contact is None:  # sent home while idle
                    break
            self._integrate()
            self._busy += 1
            agent.busy = True
            contact.agent = agent.id
            contact.issue.total_wait += contact.answered - contact.queued
            yield env.timeout(contact.handle)
            self._integrate()
            self._busy -= 1
            agent.busy = False
            self._finish(contact)
        self._integrate()
        agent.leaving = False
        del self._on_duty[agent.id]
        self._off_duty.append(agent)

    def _finish(self, contact: Contact) -> None:
        contact.ended = self.env.now
        if contact.resolve_draw < self.scenario.resolution_probability:
            contact.resolved = True
            contact.outcome = "resolved"
            self._close_issue(contact.issue, "resolved")
        else:
            contact.outcome = "unresolved"
            self._come_back_or_give_up(contact)

    def _staffing(self) -> Generator[simpy.Event, Any, None]:
        """Follow the shift plan: at each hour, bring agents in or send them home.

        Idle agents leave at once; busy ones finish the contact in hand first.
        """
        for hour, target in enumerate(self.scenario.agents_by_hour()):
            if hour:
                yield self.env.timeout(hour * 60.0 - self.env.now)
            self._set_staff(target)

    def _set_staff(self, target: int) -> None:
        self._integrate()
        staying = [a for a in self._on_duty.values() if not a.leaving]
        change = target - len(staying)
        if change > 0:
            for agent in self._on_duty.values():
                if change and agent.leaving:
                    agent.leaving = False
                    change -= 1
            for _ in range(change):
                agent = self._off_duty.pop() if self._off_duty else self._hire()
                self._on_duty[agent.id] = agent
                self.env.process(self._agent_shift(agent))
        elif change < 0:
            excess = -change
            while excess and self._idle:
                self._idle.pop().wakeup.succeed(None)
                excess -= 1
            for agent in reversed(staying):
                if not excess:
                    break
                if agent.busy:
                    agent.leaving = True
                    excess -= 1

    def _hire(self) -> Agent:
        agent = Agent(self._next_agent_id)
        self._next_agent_id += 1
        return agent

    # --- repeats and endings ------------------------------------------------------------

    def _come_back_or_give_up(self, contact: Contact) -> None:
        issue = contact.issue
        if issue.attempts >= self.scenario.max_attempts:
            self._close_issue(issue, "gave_up")
            return
        self.env.timeout(contact.repeat_delay, value=issue).callbacks.append(self._come_back)

    def _come_back(self, event: simpy.Event) -> None:
        self._new_contact(event.value, self._repeat)

    def _close_issue(self, issue: Issue, outcome: str) -> None:
        issue.ended = self.env.now
        issue.outcome = outcome
        issue.resolved = outcome == "resolved"
        issue.score = behaviour.interim_recommend_score(
            issue.resolved, issue.attempts, issue.total_wait, issue.score_noise
        )


def _open_outcome(contact: Contact) -> str:
    if contact.channel == "bot" and not contact.escalated:
        return "in_bot_at_end"
    if not math.isnan(contact.answered):
        return "in_service_at_end"
    return "waiting_at_end"


def run_model(scenario: Scenario, streams: Streams) -> RunRecord:
    """Run one replication of ``scenario`` drawing from ``streams``."""
    return ContactCentre(scenario, streams).run()
