"""What an agent gives a contact: time under work pressure, care, resolution, and abuse.

The time given is the contact's need cut toward the manager's target as the queue grows, from
a team standard that may erode (Oliva & Sterman, 2001); care and the chance to resolve depend
on that time and on the agent. The equations are in :mod:`behaviour`.
"""

from __future__ import annotations

import simpy

from .. import behaviour as b
from ..scenario import Scenario
from .measure import Measure
from .records import Agent, Contact

ASSURE_MINUTES = 0.5  # the assure step: confirming the result before closing
ABUSE_ENDED_MINUTES = 2.0  # ending an abusive contact politely takes this long at most
ABUSE_DISENGAGE = 0.05  # chance that one tolerated abusive contact disengages an agent


class Handling:
    """The agents' handling of contacts, and the team's standard handle time it may erode."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, measure: Measure) -> None:
        self.env = env
        self.scenario = scenario
        self.measure = measure
        self.standard = scenario.need_minutes  # erodes only if standards_erode
        self.standard_updated = 0.0
        self.perceived = 0.0  # the team's perceived work pressure (an average over time)
        self.seen = (0, 0.0)  # contacts asked for and available agent minutes at the last update

    def handle_minutes(self, contact: Contact) -> float:
        """How long this contact takes: the need, cut under pressure, plus care and extras."""
        if contact.is_checkin:
            contact.time_ratio = 1.0
            return contact.need
        s = self.scenario
        m = self.measure
        pressure = b.work_pressure(m.waiting, m.on_duty - m.down)
        aimed = b.aimed_minutes(
            self.standard, s.handle_target_minutes, s.pressure_sensitivity, pressure
        )
        if s.standards_erode:
            now = self.env.now
            elapsed = now - self.standard_updated
            self.perceived = b.perceived_pressure(self.perceived, self._pressure_since(), elapsed)
            self.standard = b.eroded_standard(
                self.standard,
                aimed,
                elapsed,
                s.erosion_hours * 60.0,
                b.excess_pressure(self.perceived),
            )
            self.standard_updated = now
        contact.time_ratio = aimed / s.need_minutes
        minutes = contact.need * contact.time_ratio
        if contact.hostile and s.abuse_policy == "end_politely":
            return min(minutes, ABUSE_ENDED_MINUTES)
        minutes += s.care_minutes
        if s.assure_step:
            minutes += ASSURE_MINUTES
        if contact.escalated:
            minutes += s.bot_reexplain_minutes
        return minutes

    def _pressure_since(self) -> float:
        """Demand over capacity at the standard since the last update (see demand_pressure)."""
        m = self.measure
        m.integrate()
        asked, available = m.asked, m.area_on_duty - m.area_down
        seen_asked, seen_available = self.seen
        self.seen = (asked, available)
        s = self.scenario
        per_contact = self.standard + s.care_minutes + (ASSURE_MINUTES if s.assure_step else 0.0)
        return b.demand_pressure(asked - seen_asked, per_contact, available - seen_available)

    def ended_for_abuse(self, contact: Contact, agent: Agent) -> bool:
        """An abusive contact: ended politely (True), or tolerated at a cost to the agent."""
        s = self.scenario
        if s.abuse_policy == "end_politely":
            agent.fatigue = b.fatigue_after_abuse(agent.fatigue, b.ABUSE_ENDED_FATIGUE)
            contact.outcome = "ended_abusive"
            contact.issue.abuse_ended = True
            contact.issue.close("ended_abusive", self.env.now)
            return True
        agent.abuse_tolerated += 1
        agent.fatigue = b.fatigue_after_abuse(agent.fatigue, b.ABUSE_FATIGUE)
        # The part of the hostile draw below hostile_share is uniform again: reuse it.
        if agent.engaged and contact.hostile_draw < s.hostile_share * ABUSE_DISENGAGE:
            agent.engaged = False
        return False

    @staticmethod
    def tolerate_rudeness(agent: Agent) -> None:
        """A rude (not abusive) contact: tolerated, a small strain on the agent, nothing more."""
        agent.fatigue = b.fatigue_after_abuse(agent.fatigue, b.RUDE_FATIGUE)

    def resolve(self, contact: Contact, agent: Agent) -> bool:
        """Care felt and whether the contact resolved; if not, who failed: people or process.

        A failure is charged to people when more than half of its chance came from the
        agent's skill falling short of a typical agent's; otherwise to the process (the
        issue itself, the time given, fatigue).
        """
        s = self.scenario
        issue = contact.issue
        care = b.effective_care(s.care_minutes, agent.engaged, agent.skill, agent.fatigue)
        contact.care = b.felt_care(care, contact.time_ratio)
        issue.care += (contact.care,)
        p = b.resolution_probability(
            s.resolution_probability,
            contact.time_ratio,
            care,
            agent.skill,
            agent.engaged,
            agent.fatigue,
        )
        if contact.resolve_draw < p:
            contact.resolved = True
            contact.outcome = "resolved"
            return True
        contact.outcome = "unresolved"
        people = 0.0
        if agent.skill < 1.0:
            typical_care = b.effective_care(s.care_minutes, agent.engaged, 1.0, agent.fatigue)
            typical = b.resolution_probability(
                s.resolution_probability,
                contact.time_ratio,
                typical_care,
                1.0,
                agent.engaged,
                agent.fatigue,
            )
            people = (typical - p) / (1.0 - p)
        b.add_failure(issue, "people" if people > 0.5 else "process")
        return False
