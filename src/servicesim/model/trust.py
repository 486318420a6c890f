"""Customers' trust: where each issue starts, and how promises, results and check-ins move it.

A loyal customer's trust carries over from one issue to the next (``RunRecord.trust``); a new
customer starts afresh. Each move changes both the customer's lasting trust and the trust the
customer ends the current issue with, which feeds the score. A loss is charged to the cause
that made it; a loyal customer who starts an issue below a loyal customer's first trust
brings that shortfall along, charged to the causes that took their trust on earlier issues.
"""

from __future__ import annotations

from .. import behaviour as b
from ..scenario import Scenario
from .records import LOYAL, Contact, Issue


class Trust:
    """The trust of every loyal customer, and the moves contacts make to it."""

    def __init__(self, scenario: Scenario, trust: dict[int, float]) -> None:
        self.scenario = scenario
        self.trust = trust  # loyal customer -> trust now (the run record's table)
        self.lost: dict[int, dict[str, float]] = {}  # loyal customer -> trust lost, by cause
        self.promise_kept = b.ACCOUNTABILITY[scenario.accountability]

    def start(self, issue: Issue) -> None:
        """Set a new issue's starting trust: the loyal customer's own, or a new customer's."""
        if issue.segment == LOYAL:
            issue.trust_at_start = self.trust.get(issue.customer, b.TRUST_LOYAL_CUSTOMER)
            shortfall = b.TRUST_LOYAL_CUSTOMER - issue.trust_at_start
            history = self.lost.get(issue.customer)
            if shortfall > 0.0 and history:
                total = sum(history.values())
                for cause, lost in history.items():
                    b.add_trust_lost(issue, cause, shortfall * lost / total)
        else:
            issue.trust_at_start = b.TRUST_NEW_CUSTOMER
        issue.trust_now = issue.trust_at_start

    def move(self, issue: Issue, change: float, cause: str = "process") -> None:
        """Move the customer's trust by ``change`` (see :func:`behaviour.trust_after`).

        A fall is charged to ``cause``, on this issue and in the customer's history.
        """
        if issue.customer >= 0:
            before = self.trust.get(issue.customer, b.TRUST_LOYAL_CUSTOMER)
            after = b.trust_after(before, change)
            self.trust[issue.customer] = after
            if after < before:
                history = self.lost.setdefault(issue.customer, {})
                history[cause] = history.get(cause, 0.0) + before - after
        before = issue.trust_now
        issue.trust_now = b.trust_after(before, change)
        b.add_trust_lost(issue, cause, before - issue.trust_now)

    def after_agent(self, contact: Contact) -> None:
        """An agent's contact ended: a promise if one was made, then the result's own move."""
        self.promise(contact)
        if contact.resolved:
            if self.scenario.assure_step:
                self.move(contact.issue, b.TRUST_ASSURED)
        else:
            self.move(contact.issue, b.TRUST_UNRESOLVED, self._unresolved_cause(contact))

    @staticmethod
    def _unresolved_cause(contact: Contact) -> str:
        """Who failed: the larger of people and process in the issue's failures so far."""
        failures = contact.issue.failures
        return "people" if failures.get("people", 0.0) > failures.get("process", 0.0) else "process"

    def promise(self, contact: Contact) -> None:
        """Some contacts end with a promise, kept as often as accountability makes it."""
        share = self.scenario.promise_share
        u = contact.promise_draw
        if u >= share:
            return
        # Reuse the part of the draw below promise_share: kept iff it lies in the lower share.
        kept = u < share * self.promise_kept
        contact.promise = "kept" if kept else "broken"
        if kept:
            self.move(contact.issue, b.TRUST_PROMISE_KEPT)
        else:
            contact.issue.promises_broken += 1
            self.move(contact.issue, b.TRUST_PROMISE_BROKEN, "people")

    def checked_in(self, contact: Contact) -> None:
        """A check-in call took place: the customer trusts the centre more."""
        contact.outcome = "checkin"
        self.move(contact.issue, b.TRUST_CHECKIN)
