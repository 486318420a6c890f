"""The agents' queue: ranks, joining, abandonment and who saw others served first.

Contacts wait in one first-come-first-served line per rank: the favoured segment, then the
other, then proactive check-ins (which never give up). A free agent takes the head of the best
rank; an idle agent takes a joining contact at once.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from typing import cast

import simpy

from .. import behaviour as b
from ..scenario import Scenario
from .measure import Measure
from .records import Agent, Contact


class Queue:
    """Contacts waiting for an agent, and idle agents waiting for a contact."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        measure: Measure,
        abandoned: Callable[[Contact], None],
        answer: Callable[[Agent, Contact], None],
    ) -> None:
        self.env = env
        self.measure = measure
        self.abandoned = abandoned  # what follows an abandonment (retry or give up)
        self.answer = answer  # an idle agent takes a joining contact
        rank = {"none": (0, 0), "new": (0, 1), "loyal": (1, 0)}[scenario.priority]
        self.rank_of_segment = rank
        self.checkin_rank = max(rank) + 1
        self.lines: list[deque[Contact]] = [deque() for _ in range(self.checkin_rank + 1)]
        # Live waiting contacts per rank; per rank, how often a higher rank was served while it
        # waited, and when the latest contact served that way had joined the queue.
        self.live = [0] * len(self.lines)
        self.jumps = [0] * len(self.lines)
        self.jumper_queued = [-math.inf] * len(self.lines)
        self.idle: deque[Agent] = deque()  # idle agents, longest idle first

    def rank(self, contact: Contact) -> int:
        """The contact's line: check-ins last, customers by the segment priority."""
        if contact.is_checkin:
            return self.checkin_rank
        return self.rank_of_segment[contact.issue.segment]

    def join(self, contact: Contact) -> None:
        """A contact asks for an agent: straight to an idle one, else into its line."""
        now = self.env.now
        contact.queued = now
        if not contact.is_checkin:
            self.measure.asked += 1
        if self.idle:
            contact.answered = now
            self.answer(self.idle.popleft(), contact)
            return
        m = self.measure
        m.integrate()
        if not contact.is_checkin:
            m.waiting += 1
        rank = self.rank(contact)
        self.live[rank] += 1
        contact.jumps_at_join = self.jumps[rank]
        self.lines[rank].append(contact)
        if contact.patience != math.inf:
            self.env.timeout(contact.patience, value=contact).callbacks.append(self._patience_out)

    def next_waiting(self) -> Contact | None:
        """Answer the head of the best non-empty line (None if nobody waits)."""
        for rank, line in enumerate(self.lines):
            while line:
                contact = line.popleft()
                if not contact.abandoned:
                    m = self.measure
                    m.integrate()
                    now = self.env.now
                    if not contact.is_checkin:
                        m.waiting -= 1
                        contact.issue.wait_minutes += now - contact.queued
                    self._leave(contact)
                    for lower in range(rank + 1, self.checkin_rank):
                        if self.live[lower]:
                            self.jumps[lower] += 1
                            self.jumper_queued[lower] = contact.queued
                    contact.answered = now
                    return contact
        return None

    def _patience_out(self, event: simpy.Event) -> None:
        """A contact's patience ran out: it leaves its line unless an agent has it already."""
        contact = cast(Contact, event.value)
        if not math.isnan(contact.answered):
            return
        m = self.measure
        m.integrate()
        m.waiting -= 1
        self._leave(contact)
        now = self.env.now
        contact.abandoned = True
        contact.ended = now
        contact.outcome = "abandoned"
        issue = contact.issue
        issue.wait_minutes += now - contact.queued
        issue.abandonments += 1
        b.add_failure(issue, "rules" if issue.passed_over else "process")
        self.abandoned(contact)

    def _leave(self, contact: Contact) -> None:
        """Book a contact out of its rank; was a favoured customer who came later served first?

        Favoured contacts are served in the order they joined, so the latest one served while
        this rank waited is the one that joined last: comparing with it is enough.
        """
        rank = self.rank(contact)
        self.live[rank] -= 1
        if self.jumps[rank] > contact.jumps_at_join and self.jumper_queued[rank] > contact.queued:
            contact.issue.passed_over = True
