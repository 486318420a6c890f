"""Measurement: the centre's live counts, their time integrals and the 15-minute snapshots.

Mechanisms change a count only right after calling :meth:`Measure.integrate`, so each integral
is exact: the count times how long it held.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from ..scenario import INTERVAL_MINUTES
from .records import RunRecord


class Measure:
    """Contacts waiting (check-ins left out), agents busy, on shift and down, integrated in time."""

    __slots__ = (
        "area_busy",
        "area_down",
        "area_on_duty",
        "area_waiting",
        "asked",
        "busy",
        "down",
        "env",
        "last_change",
        "on_duty",
        "record",
        "waiting",
    )

    def __init__(self, env: simpy.Environment, record: RunRecord) -> None:
        self.env = env
        self.record = record
        self.waiting = 0
        self.busy = 0
        self.on_duty = 0
        self.down = 0
        self.last_change = 0.0
        self.area_waiting = 0.0
        self.area_busy = 0.0
        self.area_on_duty = 0.0
        self.area_down = 0.0
        self.asked = 0  # customer contacts that have asked for an agent so far

    def integrate(self) -> None:
        """Add the counts held since the last change to their integrals (call before a change)."""
        now = self.env.now
        dt = now - self.last_change
        if dt > 0.0:
            self.area_waiting += self.waiting * dt
            self.area_busy += self.busy * dt
            self.area_on_duty += self.on_duty * dt
            self.area_down += self.down * dt
            self.last_change = now

    def snapshot(self, standard: float) -> None:
        """Append one interval row: now, the four integrals so far and the team's standard."""
        self.integrate()
        self.record.intervals.append(
            (
                self.env.now,
                self.area_waiting,
                self.area_busy,
                self.area_on_duty,
                self.area_down,
                standard,
            )
        )

    def monitor(
        self, horizon: float, standard: Callable[[], float]
    ) -> Generator[simpy.Event, Any, None]:
        """Process: a snapshot at the end of every interval before the horizon."""
        env = self.env
        intervals = round(horizon / INTERVAL_MINUTES)
        for k in range(1, intervals):
            yield env.timeout(k * INTERVAL_MINUTES - env.now)
            self.snapshot(standard())
