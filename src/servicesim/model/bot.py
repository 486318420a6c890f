"""The bot channel: a conversation with no capacity limit that resolves, seems to, or escalates.

Which customers meet the bot is decided in :mod:`demand` (``bot_share``, ``always_offer_human``);
this module runs the conversation and its ending.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import simpy

from .. import behaviour as b
from ..scenario import Scenario
from .queue import Queue
from .records import Contact


class Bot:
    """Bot conversations: each ends after its own time, then resolved, falsely or escalated."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        queue: Queue,
        unresolved: Callable[[Contact], None],
    ) -> None:
        self.env = env
        self.scenario = scenario
        self.queue = queue
        self.unresolved = unresolved  # what follows a false containment (come back or give up)

    def start(self, contact: Contact, minutes: float) -> None:
        """Send ``contact`` to the bot for a conversation of ``minutes``."""
        issue = contact.issue
        issue.used_bot = True
        if issue.wants_human:
            issue.forced_bot = True
        contact.channel = "bot"
        contact.bot_minutes = minutes
        self.env.timeout(minutes, value=contact).callbacks.append(self._done)

    def _done(self, event: simpy.Event) -> None:
        """The conversation ends: escalated to the agents' queue, resolved, or only seemingly."""
        contact = cast(Contact, event.value)
        s = self.scenario
        issue = contact.issue
        issue.care += (b.BOT_FELT_CARE,)
        if issue.forced_bot:
            issue.forced_bot_contacts += 1
        result = b.bot_outcome(s.bot_containment, s.bot_false_containment, contact.bot_draw)
        if result == "escalated":
            contact.escalated = True
            issue.escalations += 1
            self.queue.join(contact)
            return
        now = self.env.now
        contact.ended = now
        contact.outcome = "bot_" + result
        if result == "resolved":
            contact.resolved = True
            contact.issue.close("resolved", now)
        else:
            issue.false_containments += 1
            b.add_failure(issue, "rules" if issue.forced_bot else "process")
            self.unresolved(contact)
