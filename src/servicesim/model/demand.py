"""Demand: new issues arriving, their first and repeat contacts, and proactive check-ins.

Arrivals are a non-homogeneous Poisson process; each new issue makes a first contact, and an
issue that ends a contact unresolved (or abandoned, if the customer retries) comes back after a
delay as a repeat contact, while the centre is open and attempts remain. Each contact draws
all its inputs when it is made (see :mod:`draws`) and goes to the bot or the agents' queue.
"""

from __future__ import annotations

import math
from collections.abc import Generator, Iterator
from typing import Any, cast

import simpy

from .. import behaviour as b
from ..scenario import Scenario
from .bot import Bot
from .draws import CheckinDraws, ContactDraws, Draws
from .queue import Queue
from .records import LOYAL, NEW, CheckIn, Contact, Issue, RunRecord
from .trust import Trust

CHECKIN_MINUTES = 3.0  # a proactive check-in call (teaching assumption)


class Demand:
    """Customers getting in touch: the arrival process, contacts, repeats and check-ins."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        draws: Draws,
        record: RunRecord,
        trust: Trust,
        queue: Queue,
        bot: Bot,
    ) -> None:
        s = scenario
        self.env = env
        self.scenario = s
        self.draws = draws
        self.record = record
        self.trust = trust
        self.queue = queue
        self.bot = bot
        self.horizon = s.horizon_hours * 60.0
        # Repeat contacts come back only before this: the horizon, or the drain's end.
        self.last_return = self.horizon + s.drain_hours * 60.0
        self.patience_reference = s.patience_minutes if math.isfinite(s.patience_minutes) else 5.0
        self._arrival_times: Iterator[float] = iter(())  # the arrivals still to come
        # Closed hours (no arrivals and no agents): customers who would come back then wait
        # for the next open hour. For each hour, when the centre next opens (inf: not again).
        arrivals, agents = s.arrivals_by_hour(), s.agents_by_hour()
        self.opens_at = [math.inf] * s.hours
        next_open = math.inf
        for hour in reversed(range(s.hours)):
            if arrivals[hour] > 0 or agents[hour] > 0:
                next_open = hour * 60.0
            self.opens_at[hour] = next_open
        if s.drain_hours > 0.0:  # after the last opening, the drain opens at the horizon
            self.opens_at = [self.horizon if math.isinf(t) else t for t in self.opens_at]

    # --- new issues ---------------------------------------------------------------------

    def start_arrivals(self) -> None:
        """Schedule the first new issue; each arrival schedules the next."""
        self._arrival_times = self.arrival_times()
        self._schedule_arrival()

    def arrival_times(self) -> Iterator[float]:
        """When new issues arrive: non-homogeneous Poisson, exact for a rate constant within
        each hour.

        A unit exponential draw is spent against the cumulative arrival intensity, so a higher
        rate moves the same customers earlier instead of drawing new ones.
        """
        rates = [r / 60.0 for r in self.scenario.arrivals_by_hour()]
        ends = [min((hour + 1) * 60.0, self.horizon) for hour in range(len(rates))]
        gap = self.draws.issue.gap
        t = 0.0
        hour = 0
        while True:
            need = gap()
            while hour < len(rates):
                room = rates[hour] * (ends[hour] - t)
                if need < room:
                    t += need / rates[hour]
                    break
                need -= room
                t = ends[hour]
                hour += 1
            else:
                return
            yield t

    def _schedule_arrival(self) -> None:
        t = next(self._arrival_times, None)
        if t is not None:
            self.env.timeout(t - self.env.now).callbacks.append(self._arrive)

    def _arrive(self, _: simpy.Event) -> None:
        self._new_issue()
        self._schedule_arrival()

    def _new_issue(self) -> None:
        """A customer with a new issue: segment, customer, defect, preference, first contact."""
        s = self.scenario
        d = self.draws.issue
        segment = LOYAL if d.segment() < s.loyal_share else NEW
        issue = Issue(len(self.record.issues), segment, self.env.now, d.score_noise())
        customer_u = d.customer()
        issue.defect = d.defect() < s.defect_share
        issue.defect_recovery = s.defect_recovery
        issue.patience_reference = self.patience_reference
        issue.wants_human = d.wants_human() < s.human_preference
        if segment == LOYAL:
            issue.customer = min(int(customer_u * s.customer_base), s.customer_base - 1)
        self.trust.start(issue)
        self.record.issues.append(issue)
        self._new_contact(issue, self.draws.first)

    # --- contacts -----------------------------------------------------------------------

    def _new_contact(self, issue: Issue, draws: ContactDraws) -> None:
        """A contact about ``issue``, with all its draws, sent to the bot or the agents' queue."""
        s = self.scenario
        issue.attempts += 1
        issue.contacts = issue.attempts
        contacts = self.record.contacts
        need = b.handle_time(s.need_minutes, s.need_cv, draws.handle_exp(), draws.handle_norm())
        patience = s.patience_minutes * draws.patience()
        repeat_delay = s.repeat_delay_minutes * draws.repeat_delay()
        hostile_draw = draws.hostile()
        contact = Contact(
            len(contacts),
            issue,
            self.env.now,
            need,
            patience,
            draws.resolve(),
            draws.bot_outcome(),
            repeat_delay,
            draws.retry(),
            hostile_draw,
            hostile_draw < s.hostile_share,
            s.hostile_share <= hostile_draw < s.hostile_share + s.rude_share,
            draws.promise(),
        )
        contacts.append(contact)
        if contact.hostile:
            issue.abusive = True
        to_bot = draws.channel() < s.bot_share
        bot_minutes = s.bot_handle_minutes * draws.bot_time()  # drawn whether the bot is used
        if to_bot and not (issue.wants_human and s.always_offer_human):
            self.bot.start(contact, bot_minutes)
        else:
            self.queue.join(contact)

    # --- repeats ------------------------------------------------------------------------

    def abandoned(self, contact: Contact) -> None:
        """After hanging up in the queue, some customers try again; the others give up."""
        if contact.retry_draw < self.scenario.retry_after_abandon:
            self.come_back_or_give_up(contact)
        else:
            contact.issue.close("abandoned", self.env.now)

    def come_back_or_give_up(self, contact: Contact) -> None:
        """The issue is still open: come back after the contact's delay, or give up.

        A customer who has used every attempt gives up; one who would come back while the
        centre is closed waits for it to open and comes back the same delay after the
        opening (so that the night's returns spread over the morning instead of all arriving
        at the opening minute, again if that falls in a closed hour); after the horizon and
        the drain, not at all.
        """
        issue = contact.issue
        if issue.attempts >= self.scenario.max_attempts:
            issue.close("gave_up", self.env.now)
            return
        now = self.env.now
        due = now + contact.repeat_delay
        hour = int(due // 60.0)
        while hour < len(self.opens_at) and self.opens_at[hour] > due:
            due = self.opens_at[hour] + contact.repeat_delay  # may land in the next closure
            hour = int(due // 60.0) if math.isfinite(due) else len(self.opens_at)
        if due < self.last_return:
            self.env.timeout(due - now, value=issue).callbacks.append(self._come_back)

    def _come_back(self, event: simpy.Event) -> None:
        """The customer is back about the same issue: a repeat contact."""
        self._new_contact(cast(Issue, event.value), self.draws.repeat)

    # --- check-ins ----------------------------------------------------------------------

    def checkins(self) -> Generator[simpy.Event, Any, None]:
        """Process: proactive calls to loyal customers who have no problem, at a steady rate,
        while the centre is open (none in a closed hour: nobody is there to make them)."""
        s = self.scenario
        rate = s.checkins_per_hour / 60.0
        env = self.env
        d: CheckinDraws = self.draws.checkin
        contacts = self.record.contacts
        while rate > 0.0:
            yield env.timeout(d.gap() / rate)
            if env.now >= self.horizon:
                return
            customer = min(int(d.customer() * s.customer_base), s.customer_base - 1)
            if self.opens_at[int(env.now // 60.0)] > env.now:
                continue
            contact = CheckIn(len(contacts), customer, env.now, CHECKIN_MINUTES)
            contacts.append(contact)
            self.queue.join(contact)
