"""Internal service: incidents that take an agent on shift off the floor until repaired.

Incidents come at ``incidents_per_agent_day`` per 8 hours per agent on the largest shift; each
picks one slot of that shift (by thinning: a slot nobody fills, or an agent already down or
leaving, means no incident). The repair time is capped by the internal service agreement.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import Any

import simpy

from ..scenario import Scenario
from .draws import IncidentDraws
from .floor import Floor


class Incidents:
    """The incident process, striking agents on the floor."""

    def __init__(
        self, env: simpy.Environment, scenario: Scenario, draws: IncidentDraws, floor: Floor
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.draws = draws
        self.floor = floor

    def run(self) -> Generator[simpy.Event, Any, None]:
        """Process: internal-support incidents, each striking one agent on shift."""
        s = self.scenario
        d = self.draws
        most = max(s.agents_by_hour())
        rate = s.incidents_per_agent_day / 480.0 * most
        env = self.env
        horizon = s.horizon_hours * 60.0
        while rate > 0.0:  # a rate so small it rounds to zero means no incidents
            yield env.timeout(d.gap() / rate)
            if env.now >= horizon:
                return
            slot = int(d.agent() * most)
            repair = min(s.repair_minutes * d.repair(), s.repair_sla_minutes)
            agents = list(self.floor.on_duty.values())
            if slot >= len(agents):
                continue
            agent = agents[slot]
            if agent.down or not math.isnan(agent.down_minutes) or agent.leaving:
                continue
            self.floor.strike(agent, repair)
