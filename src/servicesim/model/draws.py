"""Every random stream the model draws from, by name: the common-random-numbers contract.

A stream's numbers depend only on (seed, replication, stream name) (see :mod:`servicesim.streams`).
Each random input has a stream of its own named after its purpose, and each record draws all
its inputs when it is created, whether the scenario uses them or not. So two scenarios run on
one seed meet the same customers with the same needs, patience and luck, and their difference
is the effect of the change alone, not of reshuffled randomness.

This file is the whole contract. Renaming a stream, drawing from it more or fewer times, in a
different order, or under a condition that depends on the scenario changes results (the golden
tests in ``tests/test_golden.py`` say so). Do it only on purpose. The order in which streams are
*created* does not matter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..streams import Streams

Draw = Callable[[], float]


@dataclass(frozen=True, slots=True)
class ContactDraws:
    """One draw of each per contact: ``first.*`` for a first contact, ``repeat.*`` for a repeat."""

    channel: Draw  # uniform: bot or agent
    patience: Draw  # unit exponential, times the mean patience
    handle_exp: Draw  # unit exponential: the need when need_cv is 1
    handle_norm: Draw  # standard normal: the need's lognormal shape otherwise
    resolve: Draw  # uniform: does the agent's contact resolve the issue
    bot_outcome: Draw  # uniform: resolved, falsely resolved or escalated
    bot_time: Draw  # unit exponential, times the mean bot conversation
    repeat_delay: Draw  # unit exponential, times the mean delay before coming back
    retry: Draw  # uniform: does an abandoner come back
    hostile: Draw  # uniform: is the contact abusive (and does it disengage the agent)
    promise: Draw  # uniform: is a promise made, and is it kept

    @classmethod
    def named(cls, streams: Streams, prefix: str) -> ContactDraws:
        """The streams ``<prefix>.channel``, ``<prefix>.patience`` and so on."""
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


@dataclass(frozen=True, slots=True)
class IssueDraws:
    """The arrival process and one draw of each per new issue."""

    gap: Draw  # "arrivals": unit exponential, spent against the cumulative arrival rate
    segment: Draw  # uniform: loyal or new
    customer: Draw  # uniform: which loyal customer (drawn for new customers too)
    defect: Draw  # uniform: is the issue a product defect
    wants_human: Draw  # uniform: would the customer rather talk to a person
    score_noise: Draw  # standard normal: the customer's own noise in the score

    @classmethod
    def named(cls, streams: Streams) -> IssueDraws:
        """The streams ``arrivals``, ``segment``, ``customer`` and so on."""
        return cls(
            gap=streams.exponential("arrivals"),
            segment=streams.uniform("segment"),
            customer=streams.uniform("customer"),
            defect=streams.uniform("defect"),
            wants_human=streams.uniform("wants_human"),
            score_noise=streams.normal("score_noise"),
        )


@dataclass(frozen=True, slots=True)
class AgentDraws:
    """One draw of each per agent, in the order agents are hired."""

    skill: Draw  # standard normal, scaled by the hiring profile
    engaged: Draw  # uniform: engaged or not
    score_noise: Draw  # standard normal: the agent's own noise in the employee score

    @classmethod
    def named(cls, streams: Streams) -> AgentDraws:
        """The streams ``agent.skill``, ``agent.engaged`` and ``agent.score_noise``."""
        return cls(
            skill=streams.normal("agent.skill"),
            engaged=streams.uniform("agent.engaged"),
            score_noise=streams.normal("agent.score_noise"),
        )


@dataclass(frozen=True, slots=True)
class IncidentDraws:
    """One draw of each per candidate incident (also those that strike nobody)."""

    gap: Draw  # unit exponential, divided by the incident rate
    agent: Draw  # uniform: which slot on the floor it strikes
    repair: Draw  # unit exponential, times the mean repair time

    @classmethod
    def named(cls, streams: Streams) -> IncidentDraws:
        """The streams ``incident.gap``, ``incident.agent`` and ``incident.repair``."""
        return cls(
            gap=streams.exponential("incident.gap"),
            agent=streams.uniform("incident.agent"),
            repair=streams.exponential("incident.repair"),
        )


@dataclass(frozen=True, slots=True)
class CheckinDraws:
    """One draw of each per proactive check-in."""

    gap: Draw  # unit exponential, divided by the check-in rate
    customer: Draw  # uniform: which loyal customer is called

    @classmethod
    def named(cls, streams: Streams) -> CheckinDraws:
        """The streams ``checkin.gap`` and ``checkin.customer``."""
        return cls(
            gap=streams.exponential("checkin.gap"),
            customer=streams.uniform("checkin.customer"),
        )


@dataclass(frozen=True, slots=True)
class Draws:
    """All the model's streams for one replication, grouped by what draws from them."""

    issue: IssueDraws
    first: ContactDraws
    repeat: ContactDraws
    agent: AgentDraws
    incident: IncidentDraws
    checkin: CheckinDraws

    @classmethod
    def named(cls, streams: Streams) -> Draws:
        """Claim every stream of the model from ``streams``."""
        return cls(
            issue=IssueDraws.named(streams),
            first=ContactDraws.named(streams, "first"),
            repeat=ContactDraws.named(streams, "repeat"),
            agent=AgentDraws.named(streams),
            incident=IncidentDraws.named(streams),
            checkin=CheckinDraws.named(streams),
        )
