"""The contact centre: the mechanisms wired together, and one run of a scenario.

The mechanisms live below it, each in its own module; this one builds them, closes the loop
where an unserved or unresolved customer becomes demand again, and says in :meth:`_finish` in
which order each mechanism takes its part when an agent is done with a contact.
"""

from __future__ import annotations

import simpy

from ..scenario import Scenario
from ..streams import Streams
from .bot import Bot
from .demand import Demand
from .draws import Draws
from .floor import Floor
from .handling import Handling
from .incidents import Incidents
from .measure import Measure
from .queue import Queue
from .records import UNFINISHED, Agent, Contact, RunRecord, open_outcome
from .trust import Trust


class ContactCentre:
    """One simulated run of a :class:`Scenario` with one set of random streams."""

    def __init__(self, scenario: Scenario, streams: Streams) -> None:
        s = scenario
        self.scenario = s
        self.env = env = simpy.Environment()
        self.horizon = s.horizon_hours * 60.0
        self.record = record = RunRecord()
        draws = Draws.named(streams)
        self.measure = measure = Measure(env, record)
        self.trust = trust = Trust(s, record.trust)
        self.queue = queue = Queue(env, s, measure, self._abandoned, self._answer)
        self.bot = bot = Bot(env, s, queue, unresolved=self._unresolved)
        self.demand = Demand(env, s, draws, record, trust, queue, bot)
        self.handling = handling = Handling(env, s, measure)
        self.floor = floor = Floor(
            env, s, draws.agent, record, measure, queue, handling, self._finish
        )
        self.incidents = Incidents(env, s, draws.incident, floor)

    def run(self) -> RunRecord:
        """Simulate the horizon and return the record."""
        env = self.env
        s = self.scenario
        self.demand.start_arrivals()
        env.process(self.floor.staffing())
        env.process(self.measure.monitor(self.horizon, self._standard))
        if s.incidents_per_agent_day > 0:
            env.process(self.incidents.run())
        if s.checkins_per_hour > 0:
            env.process(self.demand.checkins())
        env.run(until=self.horizon)
        self.measure.snapshot(self.handling.standard)
        self.record.backlog = self.measure.waiting
        self.floor.rest_idle(self.horizon)
        if s.drain_hours > 0.0:
            self._drain(self.horizon + s.drain_hours * 60.0)
        for contact in self.record.contacts:
            if contact.outcome == "open":
                contact.outcome = open_outcome(contact)
        for issue in self.record.issues:
            if issue.score_value < 0:  # still open
                issue.close(UNFINISHED, env.now)
        self.record.end = env.now
        return self.record

    def _drain(self, until: float) -> None:
        """After closing: no new issues; the last open hour's agents finish the open ones.

        Repeat contacts still come back, the bot still answers and customers may still hang
        up; nothing else happens. The agents' fatigue, engagement and abuse count stay as
        they were at closing (the team's eNPS is the day's).
        """
        env = self.env
        agents = self.record.agents
        closing = [(a.fatigue, a.engaged, a.abuse_tolerated) for a in agents]
        staff = [n for n in self.scenario.agents_by_hour() if n > 0]
        if staff:
            self.floor.set_staff(staff[-1])
        while env.peek() < until:
            env.step()
        for agent, (fatigue, engaged, abused) in zip(agents, closing, strict=False):
            agent.fatigue, agent.engaged, agent.abuse_tolerated = fatigue, engaged, abused

    def _standard(self) -> float:
        """The team's standard handle time now, for the interval snapshots."""
        return self.handling.standard

    # --- where the mechanisms meet ------------------------------------------------------

    def _abandoned(self, contact: Contact) -> None:
        """A customer hung up in the queue: demand decides whether they try again."""
        self.demand.abandoned(contact)

    def _answer(self, agent: Agent, contact: Contact) -> None:
        """A contact found an agent idle: the agent takes it at once."""
        self.floor.serve(agent, contact)

    def _unresolved(self, contact: Contact) -> None:
        """The bot only seemed to solve the issue: the customer comes back, or gives up."""
        self.demand.come_back_or_give_up(contact)

    def _finish(self, contact: Contact, agent: Agent) -> None:
        """An agent is done with a contact: abuse, resolution, trust, then close or come back."""
        contact.ended = now = self.env.now
        if contact.is_checkin:
            self.trust.checked_in(contact)
            return
        if contact.hostile and self.handling.ended_for_abuse(contact, agent):
            return
        if contact.rude:
            self.handling.tolerate_rudeness(agent)
        resolved = self.handling.resolve(contact, agent)
        self.trust.after_agent(contact)
        if resolved:
            contact.issue.close("resolved", now)
        else:
            self.demand.come_back_or_give_up(contact)


def run_model(scenario: Scenario, streams: Streams) -> RunRecord:
    """Run one replication of ``scenario`` drawing from ``streams``."""
    return ContactCentre(scenario, streams).run()
