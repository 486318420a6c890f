"""The floor: agents on the shift plan, hired as needed, taking contacts one after another.

At each hour the head count follows the plan: idle agents go home at once, busy or repairing
ones as soon as they are done; agents who left come back first, new ones are hired after. An
agent takes the next waiting contact or waits idle for one, and tires while busy.

An agent's shift is a chain of events rather than a SimPy process: the end of a contact or a
repair calls :meth:`Floor._next`, and a contact that finds an agent idle is served at once
(:meth:`Floor.serve`). Nothing waits on an agent, so there is nothing to resume; a process
costs an event and a generator step more per contact, which is most of a bare queue's time.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator
from typing import Any, cast

import simpy

from .. import behaviour as b
from ..scenario import Scenario
from .draws import AgentDraws
from .handling import Handling
from .measure import Measure
from .queue import Queue
from .records import Agent, Contact, RunRecord


class Floor:
    """The agents: staffing to the plan, hiring, the shift loop and time off the floor."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        draws: AgentDraws,
        record: RunRecord,
        measure: Measure,
        queue: Queue,
        handling: Handling,
        finish: Callable[[Contact, Agent], None],
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.draws = draws
        self.record = record
        self.measure = measure
        self.queue = queue
        self.handling = handling
        self.finish = finish  # what follows an agent's contact (its outcome, by mechanism)
        self.engaged_probability = b.engaged_probability(scenario.team_trust)
        self.on_duty: dict[int, Agent] = {}
        self.off_duty: list[Agent] = []

    # --- staffing -----------------------------------------------------------------------

    def staffing(self) -> Generator[simpy.Event, Any, None]:
        """Process: follow the shift plan, bringing agents in or sending them home each hour."""
        env = self.env
        for hour, target in enumerate(self.scenario.agents_by_hour()):
            if hour:
                yield env.timeout(hour * 60.0 - env.now)
            self.set_staff(target)

    def set_staff(self, target: int) -> None:
        """Make ``target`` agents stay on shift: recall leavers, rehire, hire, or send home."""
        self.measure.integrate()
        staying = [a for a in self.on_duty.values() if not a.leaving]
        change = target - len(staying)
        if change > 0:
            for agent in self.on_duty.values():
                if change and agent.leaving:
                    agent.leaving = False
                    change -= 1
            for _ in range(change):
                agent = self.off_duty.pop() if self.off_duty else self._hire()
                agent.fatigue = b.fatigue_after(agent.fatigue, 0.0, self.env.now - agent.idle_since)
                agent.idle_since = self.env.now  # the time off shift rested them, as idle time does
                self.on_duty[agent.id] = agent
                self.measure.on_duty += 1
                self.env.process(self._report_for_duty(agent))
        elif change < 0:
            excess = -change
            idle = self.queue.idle
            while excess and idle:
                self._go_home(idle.pop())
                excess -= 1
            for agent in reversed(staying):
                if not excess:
                    break
                if agent.busy or agent.down:
                    agent.leaving = True
                    excess -= 1

    def _hire(self) -> Agent:
        """A new agent: skill from the hiring profile, engaged as team trust makes likely."""
        s = self.scenario
        d = self.draws
        skill = max(0.3, s.skill_mean + s.skill_spread * d.skill())
        engaged = d.engaged() < self.engaged_probability
        agent = Agent(len(self.record.agents), skill, engaged, d.score_noise())
        self.record.agents.append(agent)
        return agent

    # --- the shift ---------------------------------------------------------------------

    def _report_for_duty(self, agent: Agent) -> Generator[simpy.Event, Any, None]:
        """Process: a hired or recalled agent starts work at once (a new process starts before
        anything else due at the same moment, as the hour's other changes expect)."""
        self._next(agent)
        yield from ()

    def _next(self, agent: Agent) -> None:
        """An agent free for work: go home if sent, be repaired if struck, else take the next
        waiting contact or wait idle for one."""
        if agent.leaving:
            self._go_home(agent)
        elif not math.isnan(agent.down_minutes):
            self._be_down(agent)
        else:
            contact = self.queue.next_waiting()
            if contact is None:
                agent.busy = False
                self.queue.idle.append(agent)
            else:
                self.serve(agent, contact)

    def serve(self, agent: Agent, contact: Contact) -> None:
        """``agent`` takes ``contact`` now, for the time the handling gives it."""
        env = self.env
        m = self.measure
        m.integrate()
        m.busy += 1
        agent.busy = True
        contact.agent = agent.id
        agent.fatigue = b.fatigue_after(agent.fatigue, 0.0, env.now - agent.idle_since)
        contact.handle = self.handling.handle_minutes(contact)
        env.timeout(contact.handle, value=contact).callbacks.append(self._served)

    def _served(self, event: simpy.Event) -> None:
        """The agent is done with the contact: tired by it, then free for the next."""
        contact = cast(Contact, event.value)
        agent = self.record.agents[contact.agent]
        m = self.measure
        m.integrate()
        m.busy -= 1
        agent.fatigue = b.fatigue_after(agent.fatigue, contact.handle, 0.0)
        agent.idle_since = self.env.now
        self.finish(contact, agent)
        self._next(agent)

    def _go_home(self, agent: Agent) -> None:
        """The agent leaves the floor until recalled."""
        m = self.measure
        m.integrate()
        agent.busy = False
        agent.leaving = False
        del self.on_duty[agent.id]
        m.on_duty -= 1
        self.off_duty.append(agent)

    def strike(self, agent: Agent, minutes: float) -> None:
        """An incident takes ``agent`` off the floor for ``minutes``: now if idle, else next."""
        agent.down_minutes = minutes
        if agent in self.queue.idle:
            self.queue.idle.remove(agent)
            self._be_down(agent)

    def _be_down(self, agent: Agent) -> None:
        """An internal incident: on shift but not available until repaired."""
        m = self.measure
        m.integrate()
        m.down += 1
        agent.down = True
        minutes, agent.down_minutes = agent.down_minutes, math.nan
        self.env.timeout(minutes, value=agent).callbacks.append(self._repaired)

    def _repaired(self, event: simpy.Event) -> None:
        """The repair is done: the agent is free for work again."""
        agent = cast(Agent, event.value)
        m = self.measure
        m.integrate()
        m.down -= 1
        agent.down = False
        agent.idle_since = self.env.now
        self._next(agent)

    def rest_idle(self, until: float) -> None:
        """Let agents idle at the end recover for the idle time up to ``until``."""
        for agent in self.queue.idle:
            agent.fatigue = b.fatigue_after(agent.fatigue, 0.0, until - agent.idle_since)
