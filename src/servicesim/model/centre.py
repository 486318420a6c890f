"""The SimPy model of a contact centre: arrivals, bot, queue, agents on a shift plan, repeats,
and the human side (care, corner cutting, trust, engagement, incidents, abuse).

Time is in minutes. Customers are light records moved by events rather than processes of their
own; agents and the generators of arrivals, staffing, incidents, check-ins and measurement are
SimPy processes. Every random input is drawn when the thing it belongs to is created, from a
stream named after its purpose, so two scenarios run on one seed meet the same customers with
the same needs (common random numbers). Behavioural equations live in :mod:`behaviour`.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

import simpy

from .. import behaviour as b
from ..scenario import INTERVAL_MINUTES, Scenario
from ..streams import Streams

SEGMENTS = ("new", "loyal")
NEW, LOYAL = 0, 1
CHECKIN_MINUTES = 3.0  # a proactive check-in call (teaching assumption)
ASSURE_MINUTES = 0.5  # the assure step: confirming the result before closing
ABUSE_ENDED_MINUTES = 2.0  # ending an abusive contact politely takes this long at most
ABUSE_DISENGAGE = 0.05  # chance that one tolerated abusive contact disengages an agent
CUT_SHORT = 0.9  # an unresolved contact given less than 90 % of its need was rushed (Process)
_DOWN = object()  # wakes an idle agent who has an internal incident


class Issue:
    """One customer's reason to get in touch, followed over all its contacts."""

    __slots__ = (
        "attempts",
        "customer",
        "ended",
        "experience",
        "first_arrival",
        "id",
        "outcome",
        "resolved",
        "score",
        "score_noise",
        "segment",
        "used_bot",
        "wants_human",
    )

    def __init__(self, issue_id: int, segment: int, now: float, score_noise: float) -> None:
        self.id = issue_id
        self.segment = segment
        self.customer = -1  # index in the loyal customer base; -1 for a new customer
        self.first_arrival = now
        self.attempts = 0
        self.resolved = False
        self.ended = math.nan
        self.outcome = "open"
        self.score: b.Score | None = None
        self.score_noise = score_noise
        self.used_bot = False
        self.wants_human = False
        self.experience = b.Experience()

    @property
    def total_wait(self) -> float:
        return self.experience.wait_minutes


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
        "care",
        "channel",
        "ended",
        "escalated",
        "handle",
        "hostile",
        "hostile_draw",
        "id",
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
        "time_ratio",
    )

    def __init__(self, contact_id: int, issue: Issue, now: float) -> None:
        self.id = contact_id
        self.issue = issue
        self.attempt = issue.attempts
        self.arrival = now
        self.channel = "human"
        self.escalated = False
        self.hostile = False
        self.queued = math.nan
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
        "wakeup",
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
    hostile: Callable[[], float]
    promise: Callable[[], float]

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
            hostile=streams.uniform(f"{prefix}.hostile"),
            promise=streams.uniform(f"{prefix}.promise"),
        )


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


class ContactCentre:
    """One simulated run of a :class:`Scenario` with one set of random streams."""

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        s = scenario
        self.scenario = s
        self.env = simpy.Environment()
        self.horizon = s.horizon_hours * 60.0
        self.record = RunRecord()

        self._arrival_gap = streams.exponential("arrivals")
        self._segment_draw = streams.uniform("segment")
        self._customer_draw = streams.uniform("customer")
        self._defect_draw = streams.uniform("defect")
        self._wants_human_draw = streams.uniform("wants_human")
        self._score_noise = streams.normal("score_noise")
        self._first = _Draws.named(streams, "first")
        self._repeat = _Draws.named(streams, "repeat")
        self._agent_skill = streams.normal("agent.skill")
        self._agent_engaged = streams.uniform("agent.engaged")
        self._agent_noise = streams.normal("agent.score_noise")
        self._incident_gap = streams.exponential("incident.gap")
        self._incident_pick = streams.uniform("incident.agent")
        self._incident_repair = streams.exponential("incident.repair")
        self._checkin_gap = streams.exponential("checkin.gap")
        self._checkin_customer = streams.uniform("checkin.customer")

        # Queue ranks: the favoured segment first, then the other, then proactive check-ins.
        rank = {"none": (0, 0), "new": (0, 1), "loyal": (1, 0)}[s.priority]
        self._rank_of_segment = rank
        self._checkin_rank = max(rank) + 1
        self._queues: list[deque[Contact]] = [deque() for _ in range(self._checkin_rank + 1)]
        # Live waiting contacts per rank; per rank, how often a higher rank was served while it
        # waited, and when the latest contact served that way had joined the queue.
        self._live = [0] * len(self._queues)
        self._jumps = [0] * len(self._queues)
        self._jumper_queued = [-math.inf] * len(self._queues)
        self._idle: deque[Agent] = deque()
        self._on_duty: dict[int, Agent] = {}
        self._off_duty: list[Agent] = []
        self._engaged_probability = b.engaged_probability(s.team_trust)
        self._promise_kept = b.ACCOUNTABILITY[s.accountability]
        self._patience_reference = s.patience_minutes if math.isfinite(s.patience_minutes) else 5.0

        # Closed hours (no arrivals and no agents): customers who would come back then wait
        # for the next open hour. For each hour, when the centre next opens (inf: not again).
        arrivals, agents = s.arrivals_by_hour(), s.agents_by_hour()
        self._opens_at = [math.inf] * s.hours
        next_open = math.inf
        for hour in reversed(range(s.hours)):
            if arrivals[hour] > 0 or agents[hour] > 0:
                next_open = hour * 60.0
            self._opens_at[hour] = next_open

        # The team's standard handle time (erodes only if standards_erode).
        self._standard = s.handle_minutes
        self._standard_updated = 0.0

        # Time-weighted state, integrated whenever it changes.
        self._waiting = 0
        self._busy = 0
        self._down = 0
        self._last_change = 0.0
        self._area_waiting = 0.0
        self._area_busy = 0.0
        self._area_on_duty = 0.0
        self._area_down = 0.0

    # --- running ------------------------------------------------------------------------

    def run(self) -> RunRecord:
        """Simulate the horizon and return the record."""
        env = self.env
        s = self.scenario
        env.process(self._arrivals())
        env.process(self._staffing())
        env.process(self._monitor())
        if s.incidents_per_agent_day > 0:
            env.process(self._incidents())
        if s.checkins_per_hour > 0:
            env.process(self._checkins())
        env.run(until=self.horizon)
        self._snapshot()
        self.record.backlog = self._waiting
        for contact in self.record.contacts:
            if contact.outcome == "open":
                contact.outcome = _open_outcome(contact)
        for agent in self._idle:
            agent.fatigue = b.fatigue_after(agent.fatigue, 0.0, self.horizon - agent.idle_since)
        return self.record

    def _integrate(self) -> None:
        now = self.env.now
        dt = now - self._last_change
        if dt > 0.0:
            self._area_waiting += self._waiting * dt
            self._area_busy += self._busy * dt
            self._area_on_duty += len(self._on_duty) * dt
            self._area_down += self._down * dt
            self._last_change = now

    def _snapshot(self) -> None:
        self._integrate()
        self.record.intervals.append(
            (
                self.env.now,
                self._area_waiting,
                self._area_busy,
                self._area_on_duty,
                self._area_down,
                self._standard,
            )
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
        s = self.scenario
        segment = LOYAL if self._segment_draw() < s.loyal_share else NEW
        issue = Issue(len(self.record.issues), segment, self.env.now, self._score_noise())
        customer_u = self._customer_draw()
        x = issue.experience
        x.defect = self._defect_draw() < s.defect_share
        x.patience_reference = self._patience_reference
        issue.wants_human = self._wants_human_draw() < s.human_preference
        if segment == LOYAL:
            issue.customer = min(int(customer_u * s.customer_base), s.customer_base - 1)
            x.trust_at_start = self.record.trust.get(issue.customer, b.TRUST_LOYAL_CUSTOMER)
        else:
            x.trust_at_start = b.TRUST_NEW_CUSTOMER
        x.trust_now = x.trust_at_start
        self.record.issues.append(issue)
        self._new_contact(issue, self._first)

    def _new_contact(self, issue: Issue, draws: _Draws) -> None:
        s = self.scenario
        issue.attempts += 1
        issue.experience.contacts = issue.attempts
        contact = Contact(len(self.record.contacts), issue, self.env.now)
        self.record.contacts.append(contact)
        to_bot = draws.channel() < s.bot_share
        contact.patience = s.patience_minutes * draws.patience()
        contact.need = b.handle_time(
            s.handle_minutes, s.handle_cv, draws.handle_exp(), draws.handle_norm()
        )
        contact.resolve_draw = draws.resolve()
        contact.bot_draw = draws.bot_outcome()
        bot_minutes = s.bot_handle_minutes * draws.bot_time()
        contact.repeat_delay = s.repeat_delay_minutes * draws.repeat_delay()
        contact.retry_draw = draws.retry()
        contact.hostile_draw = draws.hostile()
        contact.hostile = contact.hostile_draw < s.hostile_share
        contact.promise_draw = draws.promise()
        if to_bot and issue.wants_human and s.always_offer_human:
            to_bot = False
        if to_bot:
            issue.used_bot = True
            if issue.wants_human:
                issue.experience.forced_bot = True
            contact.channel = "bot"
            contact.bot_minutes = bot_minutes
            self.env.timeout(bot_minutes, value=contact).callbacks.append(self._bot_done)
        else:
            self._join_queue(contact)

    def _bot_done(self, event: simpy.Event) -> None:
        contact: Contact = event.value
        s = self.scenario
        x = contact.issue.experience
        x.care.append(b.BOT_FELT_CARE)
        result = b.bot_outcome(s.bot_containment, s.bot_false_containment, contact.bot_draw)
        if result == "escalated":
            contact.escalated = True
            x.escalations += 1
            self._join_queue(contact)
            return
        contact.ended = self.env.now
        contact.outcome = "bot_" + result
        if result == "resolved":
            contact.resolved = True
            self._close_issue(contact.issue, "resolved")
        else:
            x.false_containments += 1
            self._come_back_or_give_up(contact)

    def _checkins(self) -> Generator[simpy.Event, Any, None]:
        """Proactive calls to loyal customers who have no problem, at a steady rate."""
        s = self.scenario
        rate = s.checkins_per_hour / 60.0
        env = self.env
        while rate > 0.0:
            yield env.timeout(self._checkin_gap() / rate)
            issue = Issue(-1, LOYAL, env.now, 0.0)
            issue.customer = min(
                int(self._checkin_customer() * s.customer_base), s.customer_base - 1
            )
            contact = Contact(len(self.record.contacts), issue, env.now)
            contact.channel = "checkin"
            contact.need = CHECKIN_MINUTES
            contact.patience = math.inf
            self.record.contacts.append(contact)
            self._join_queue(contact)

    # --- queue and agents ---------------------------------------------------------------

    def _rank(self, contact: Contact) -> int:
        if contact.channel == "checkin":
            return self._checkin_rank
        return self._rank_of_segment[contact.issue.segment]

    def _join_queue(self, contact: Contact) -> None:
        now = self.env.now
        contact.queued = now
        if self._idle:
            contact.answered = now
            agent = self._idle.popleft()
            agent.busy = True
            agent.wakeup.succeed(contact)
            return
        self._integrate()
        if contact.channel != "checkin":
            self._waiting += 1
        rank = self._rank(contact)
        self._live[rank] += 1
        contact.jumps_at_join = self._jumps[rank]
        self._queues[rank].append(contact)
        if contact.patience != math.inf:
            self.env.timeout(contact.patience, value=contact).callbacks.append(self._patience_out)

    def _patience_out(self, event: simpy.Event) -> None:
        contact: Contact = event.value
        if not math.isnan(contact.answered):  # already with an agent
            return
        self._integrate()
        self._waiting -= 1
        self._leave_queue(contact)
        now = self.env.now
        contact.abandoned = True
        contact.ended = now
        contact.outcome = "abandoned"
        self._add_wait(contact, now - contact.queued)
        if contact.retry_draw < self.scenario.retry_after_abandon:
            self._come_back_or_give_up(contact)
        else:
            self._close_issue(contact.issue, "abandoned")

    def _add_wait(self, contact: Contact, wait: float) -> None:
        contact.issue.experience.wait_minutes += wait

    def _leave_queue(self, contact: Contact) -> None:
        """Book a contact out of its rank; was a favoured customer who came later served first?

        Favoured contacts are served in the order they joined, so the latest one served while
        this rank waited is the one that joined last: comparing with it is enough.
        """
        rank = self._rank(contact)
        self._live[rank] -= 1
        if self._jumps[rank] > contact.jumps_at_join and self._jumper_queued[rank] > contact.queued:
            contact.issue.experience.passed_over = True

    def _next_waiting(self) -> Contact | None:
        for rank, queue in enumerate(self._queues):
            while queue:
                contact = queue.popleft()
                if not contact.abandoned:
                    self._integrate()
                    if contact.channel != "checkin":
                        self._waiting -= 1
                    self._leave_queue(contact)
                    for lower in range(rank + 1, self._checkin_rank):
                        if self._live[lower]:
                            self._jumps[lower] += 1
                            self._jumper_queued[lower] = contact.queued
                    contact.answered = self.env.now
                    return contact
        return None

    def _agent_shift(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """An agent's shift: take the next waiting contact, or wait idle until one arrives."""
        env = self.env
        while not agent.leaving:
            if not math.isnan(agent.down_minutes):
                yield from self._be_down(agent)
                continue
            contact = self._next_waiting()
            if contact is None:
                agent.wakeup = env.event()
                agent.busy = False
                self._idle.append(agent)
                contact = yield agent.wakeup
                agent.wakeup = None
                if contact is None:  # sent home while idle
                    break
                if contact is _DOWN:
                    continue
            self._integrate()
            self._busy += 1
            agent.busy = True
            contact.agent = agent.id
            if contact.channel != "checkin":
                self._add_wait(contact, contact.answered - contact.queued)
            agent.fatigue = b.fatigue_after(agent.fatigue, 0.0, env.now - agent.idle_since)
            contact.handle = self._plan_contact(contact, agent)
            yield env.timeout(contact.handle)
            self._integrate()
            self._busy -= 1
            agent.fatigue = b.fatigue_after(agent.fatigue, contact.handle, 0.0)
            agent.idle_since = env.now
            self._finish(contact, agent)
        self._integrate()
        agent.busy = False
        agent.leaving = False
        del self._on_duty[agent.id]
        self._off_duty.append(agent)

    def _plan_contact(self, contact: Contact, agent: Agent) -> float:
        """How long this contact takes: the need, cut under pressure, plus care and extras."""
        s = self.scenario
        if contact.channel == "checkin":
            contact.time_ratio = 1.0
            return contact.need
        pressure = b.work_pressure(self._waiting, len(self._on_duty) - self._down)
        aimed = b.aimed_minutes(
            self._standard, s.handle_target_minutes, s.pressure_sensitivity, pressure
        )
        if s.standards_erode:
            now = self.env.now
            self._standard = b.eroded_standard(
                self._standard,
                aimed,
                now - self._standard_updated,
                s.erosion_hours * 60.0,
                pressure,
            )
            self._standard_updated = now
        contact.time_ratio = aimed / s.handle_minutes
        minutes = contact.need * contact.time_ratio
        if contact.hostile and s.abuse_policy == "end_politely":
            return min(minutes, ABUSE_ENDED_MINUTES)
        minutes += s.care_minutes
        if s.assure_step:
            minutes += ASSURE_MINUTES
        if contact.escalated:
            minutes += s.bot_reexplain_minutes
        return minutes

    def _finish(self, contact: Contact, agent: Agent) -> None:
        s = self.scenario
        contact.ended = self.env.now
        issue = contact.issue
        if contact.channel == "checkin":
            contact.outcome = "checkin"
            self._move_trust(issue, b.TRUST_CHECKIN)
            return
        x = issue.experience
        if contact.hostile:
            if s.abuse_policy == "end_politely":
                agent.fatigue = 1.0 - (1.0 - agent.fatigue) * (1.0 - b.ABUSE_ENDED_FATIGUE)
                contact.outcome = "ended_abusive"
                x.abuse_ended = True
                self._close_issue(issue, "ended_abusive")
                return
            agent.abuse_tolerated += 1
            agent.fatigue = 1.0 - (1.0 - agent.fatigue) * (1.0 - b.ABUSE_FATIGUE)
            # The part of the hostile draw below hostile_share is uniform again: reuse it.
            if agent.engaged and contact.hostile_draw < s.hostile_share * ABUSE_DISENGAGE:
                agent.engaged = False
        care = b.effective_care(s.care_minutes, agent.engaged, agent.skill, agent.fatigue)
        contact.care = b.felt_care(care, contact.time_ratio)
        x.care.append(contact.care)
        p = b.resolution_probability(
            s.resolution_probability,
            contact.time_ratio,
            care,
            agent.skill,
            agent.engaged,
            agent.fatigue,
        )
        self._maybe_promise(contact)
        if contact.resolve_draw < p:
            contact.resolved = True
            contact.outcome = "resolved"
            if s.assure_step:
                self._move_trust(issue, b.TRUST_ASSURED)
            self._close_issue(issue, "resolved")
        else:
            contact.outcome = "unresolved"
            if contact.time_ratio < CUT_SHORT:
                x.cut_short += 1
            else:
                x.agent_errors += 1
            self._move_trust(issue, b.TRUST_UNRESOLVED)
            self._come_back_or_give_up(contact)

    def _maybe_promise(self, contact: Contact) -> None:
        """Some contacts end with a promise, kept as often as accountability makes it."""
        s = self.scenario
        u = contact.promise_draw
        if u >= s.promise_share:
            return
        # Reuse the part of the draw below promise_share: kept iff it lies in the lower share.
        kept = u < s.promise_share * self._promise_kept
        contact.promise = "kept" if kept else "broken"
        if kept:
            self._move_trust(contact.issue, b.TRUST_PROMISE_KEPT)
        else:
            contact.issue.experience.promises_broken += 1
            self._move_trust(contact.issue, b.TRUST_PROMISE_BROKEN)

    def _move_trust(self, issue: Issue, change: float) -> None:
        x = issue.experience
        if issue.customer >= 0:
            before = self.record.trust.get(issue.customer, b.TRUST_LOYAL_CUSTOMER)
            self.record.trust[issue.customer] = b.trust_after(before, change)
        x.trust_now = b.trust_after(x.trust_now, change)

    def _be_down(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """An internal incident: off the floor (on shift, not available) until repaired."""
        self._integrate()
        self._down += 1
        agent.down = True
        minutes, agent.down_minutes = agent.down_minutes, math.nan
        yield self.env.timeout(minutes)
        self._integrate()
        self._down -= 1
        agent.down = False
        agent.idle_since = self.env.now

    def _incidents(self) -> Generator[simpy.Event, Any, None]:
        """Internal-support incidents, each striking one agent on shift (by thinning)."""
        s = self.scenario
        most = max(s.agents_by_hour())
        rate = s.incidents_per_agent_day / 480.0 * most
        env = self.env
        while rate > 0.0:  # a rate so small it rounds to zero means no incidents
            yield env.timeout(self._incident_gap() / rate)
            slot = int(self._incident_pick() * most)
            repair = min(s.repair_minutes * self._incident_repair(), s.repair_sla_minutes)
            agents = list(self._on_duty.values())
            if slot >= len(agents):
                continue
            agent = agents[slot]
            if agent.down or not math.isnan(agent.down_minutes) or agent.leaving:
                continue
            agent.down_minutes = repair
            if agent.wakeup is not None and not agent.wakeup.triggered:  # idle: off at once
                self._idle.remove(agent)
                agent.wakeup.succeed(_DOWN)

    def _staffing(self) -> Generator[simpy.Event, Any, None]:
        """Follow the shift plan: at each hour, bring agents in or send them home.

        Idle agents leave at once; busy or repairing ones as soon as they are done.
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
                agent.idle_since = self.env.now
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
                if agent.busy or agent.down:
                    agent.leaving = True
                    excess -= 1

    def _hire(self) -> Agent:
        s = self.scenario
        skill = max(0.3, s.skill_mean + s.skill_spread * self._agent_skill())
        engaged = self._agent_engaged() < self._engaged_probability
        agent = Agent(len(self.record.agents), skill, engaged, self._agent_noise())
        self.record.agents.append(agent)
        return agent

    # --- repeats and endings ------------------------------------------------------------

    def _come_back_or_give_up(self, contact: Contact) -> None:
        issue = contact.issue
        if issue.attempts >= self.scenario.max_attempts:
            self._close_issue(issue, "gave_up")
            return
        due = self.env.now + contact.repeat_delay
        hour = int(due // 60.0)
        if hour < len(self._opens_at):
            due = max(due, self._opens_at[hour])
        if due < self.horizon:
            self.env.timeout(due - self.env.now, value=issue).callbacks.append(self._come_back)

    def _come_back(self, event: simpy.Event) -> None:
        self._new_contact(event.value, self._repeat)

    def _close_issue(self, issue: Issue, outcome: str) -> None:
        issue.ended = self.env.now
        issue.outcome = outcome
        issue.resolved = outcome == "resolved"
        issue.experience.resolved = issue.resolved
        issue.score = b.recommend_score(issue.experience, issue.score_noise)


def _open_outcome(contact: Contact) -> str:
    if contact.channel == "bot" and not contact.escalated:
        return "in_bot_at_end"
    if not math.isnan(contact.answered):
        return "in_service_at_end"
    return "waiting_at_end"


def run_model(scenario: Scenario, streams: Streams) -> RunRecord:
    """Run one replication of ``scenario`` drawing from ``streams``."""
    return ContactCentre(scenario, streams).run()
