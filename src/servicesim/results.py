"""Results of one run: per-contact and per-issue tables, 15-minute series and the KPIs.

KPIs count what arrives after the warm-up. Their definitions are in docs/model.md ("KPIs").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from . import behaviour
from .model import SEGMENTS, RunRecord
from .scenario import INTERVAL_MINUTES, Scenario

#: KPI name -> (unit, one-line meaning). The order is the order of every KPI table.
KPI_INFO: dict[str, tuple[str, str]] = {
    "contacts": ("contacts", "Contacts that arrived (bot and human, first and repeat)"),
    "queued": ("contacts", "Contacts that joined the queue for an agent"),
    "bot_contacts": ("contacts", "Contacts that started with the bot"),
    "service_level": ("share", "Queued contacts answered within the service-level threshold"),
    "asa_seconds": ("seconds", "Average speed of answer: mean wait of answered contacts"),
    "mean_wait_seconds": ("seconds", "Mean wait of all queued contacts, abandoners included"),
    "p_wait": ("share", "Queued contacts that were not answered at once"),
    "abandonment_rate": ("share", "Queued contacts that hung up before being answered"),
    "occupancy": ("share", "Share of agents' time on shift spent handling contacts"),
    "fcr": ("share", "First contacts handled that resolved the issue (first-contact resolution)"),
    "repeat_rate": ("share", "Contacts that were a second or later attempt about one issue"),
    "cost_per_contact": ("currency", "Agent and bot cost per contact handled"),
    "cost_per_resolution": ("currency", "Agent and bot cost per issue resolved"),
    "nps": ("points", "Net Promoter Score of issues that ended: % promoters - % detractors"),
    "agents_on_shift": ("agents", "Mean number of agents on shift"),
    "backlog": ("contacts", "Contacts still waiting when the run ended"),
}


@dataclass
class Results:
    """One replication: ``contacts``, ``issues`` and ``intervals`` tables and the ``kpis`` dict."""

    scenario: Scenario
    seed: int
    replication: int
    record: RunRecord

    @cached_property
    def contacts(self) -> pd.DataFrame:
        """One row per contact (times in minutes from the start of the run)."""
        rows = self.record.contacts
        issue_segment = [SEGMENTS[c.issue.segment] for c in rows]
        horizon = self.scenario.horizon_hours * 60.0
        queued = np.array([c.queued for c in rows], dtype=float)
        answered = np.array([c.answered for c in rows], dtype=float)
        ended = np.array([c.ended for c in rows], dtype=float)
        abandoned = np.array([c.abandoned for c in rows], dtype=bool)
        wait = np.where(
            ~np.isnan(answered),
            answered - queued,
            np.where(abandoned, ended - queued, horizon - queued),
        )
        handle = np.where(~np.isnan(answered), [c.handle for c in rows], np.nan)
        frame = pd.DataFrame(
            {
                "contact_id": np.array([c.id for c in rows], dtype=np.int64),
                "issue_id": np.array([c.issue.id for c in rows], dtype=np.int64),
                "segment": pd.Categorical(issue_segment, categories=SEGMENTS),
                "channel": pd.Categorical([c.channel for c in rows], categories=("human", "bot")),
                "attempt": np.array([c.attempt for c in rows], dtype=np.int64),
                "arrival_min": np.array([c.arrival for c in rows], dtype=float),
                "bot_min": np.array([c.bot_minutes for c in rows], dtype=float),
                "escalated": np.array([c.escalated for c in rows], dtype=bool),
                "queued_min": queued,
                "wait_min": wait,
                "patience_min": np.array([c.patience for c in rows], dtype=float),
                "answered": ~np.isnan(answered),
                "abandoned": abandoned,
                "agent": np.array([c.agent for c in rows], dtype=np.int64),
                "handle_min": handle,
                "end_min": ended,
                "resolved": np.array([c.resolved for c in rows], dtype=bool),
                "outcome": [c.outcome for c in rows],
            }
        )
        return frame

    @cached_property
    def issues(self) -> pd.DataFrame:
        """One row per issue: how many contacts it took, how it ended and the customer's score."""
        rows = self.record.issues
        frame = pd.DataFrame(
            {
                "issue_id": np.array([i.id for i in rows], dtype=np.int64),
                "segment": pd.Categorical([SEGMENTS[i.segment] for i in rows], categories=SEGMENTS),
                "first_arrival_min": np.array([i.first_arrival for i in rows], dtype=float),
                "contacts": np.array([i.attempts for i in rows], dtype=np.int64),
                "total_wait_min": np.array([i.total_wait for i in rows], dtype=float),
                "end_min": np.array([i.ended for i in rows], dtype=float),
                "outcome": [i.outcome for i in rows],
                "resolved": np.array([i.resolved for i in rows], dtype=bool),
            }
        )
        frame["score"] = np.array([i.score for i in rows], dtype=np.int64)
        return frame

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """15-minute series: arrivals, mean queue length, agents busy, agents on shift."""
        marks = np.array(self.record.intervals, dtype=float)
        ends = marks[:, 0]
        starts = np.concatenate(([0.0], ends[:-1]))
        areas = np.diff(np.vstack([np.zeros((1, 3)), marks[:, 1:]]), axis=0)
        arrivals = np.histogram(
            [c.arrival for c in self.record.contacts],
            bins=np.concatenate(([0.0], ends)),
        )[0]
        return pd.DataFrame(
            {
                "start_min": starts,
                "end_min": ends,
                "arrivals": arrivals.astype(np.int64),
                "queue_length": areas[:, 0] / INTERVAL_MINUTES,
                "agents_busy": areas[:, 1] / INTERVAL_MINUTES,
                "agents_on_shift": areas[:, 2] / INTERVAL_MINUTES,
            }
        )

    @cached_property
    def kpis(self) -> dict[str, float]:
        """Headline figures after the warm-up (see KPI_INFO for units and meanings)."""
        return compute_kpis(self.scenario, self.record)


def _known(x: float) -> bool:
    return not math.isnan(x)


def compute_kpis(scenario: Scenario, record: RunRecord) -> dict[str, float]:
    """KPIs straight from the run record (no DataFrames: replications need only these)."""
    warmup = scenario.warmup_hours * 60.0
    horizon = scenario.horizon_hours * 60.0
    threshold = scenario.service_level_seconds / 60.0
    contacts = [c for c in record.contacts if c.arrival >= warmup]

    queued = [c for c in contacts if _known(c.queued)]
    answered_waits = [c.answered - c.queued for c in queued if _known(c.answered)]
    abandoned_waits = [c.ended - c.queued for c in queued if c.abandoned]
    still_waiting = [horizon - c.queued for c in queued if c.outcome == "waiting_at_end"]
    n_queued = len(queued)
    # A contact still waiting but for less than the threshold has no known service outcome yet.
    decided = n_queued - sum(1 for w in still_waiting if w <= threshold)
    n_answered = len(answered_waits)
    n_abandoned = len(abandoned_waits)
    finished = n_answered + n_abandoned

    bot = [c for c in contacts if c.channel == "bot"]
    handled = n_answered + sum(1 for c in bot if not c.escalated and _known(c.ended))
    first_handled = [
        c
        for c in contacts
        if c.attempt == 1
        and (_known(c.answered) or c.outcome.startswith("bot_"))
        and _known(c.ended)
    ]
    resolved = sum(1 for c in contacts if c.resolved)

    areas = _window_areas(record, warmup)
    cost = (
        areas["on_duty"] / 60.0 * scenario.cost_per_agent_hour
        + len(bot) * scenario.cost_per_bot_contact
    )
    ended_issues = [i for i in record.issues if i.first_arrival >= warmup and i.outcome != "open"]
    scores = [i.score for i in ended_issues]

    def share(part: float, whole: float) -> float:
        return part / whole if whole else math.nan

    return {
        "contacts": float(len(contacts)),
        "queued": float(n_queued),
        "bot_contacts": float(len(bot)),
        "service_level": share(sum(1 for w in answered_waits if w <= threshold), decided),
        "asa_seconds": 60.0 * share(sum(answered_waits), n_answered),
        "mean_wait_seconds": 60.0 * share(sum(answered_waits) + sum(abandoned_waits), finished),
        "p_wait": share(
            sum(1 for w in answered_waits if w > 0.0) + n_abandoned + len(still_waiting),
            n_queued,
        ),
        "abandonment_rate": share(n_abandoned, finished),
        "occupancy": _at_most_one(share(areas["busy"], areas["on_duty"])),
        "fcr": share(sum(1 for c in first_handled if c.resolved), len(first_handled)),
        "repeat_rate": share(sum(1 for c in contacts if c.attempt > 1), len(contacts)),
        "cost_per_contact": share(cost, handled),
        "cost_per_resolution": share(cost, resolved),
        "nps": behaviour.net_promoter_score(scores),
        "agents_on_shift": share(areas["on_duty"], horizon - warmup),
        "backlog": float(record.backlog),
    }


def _at_most_one(ratio: float) -> float:
    """Busy <= on shift at every instant; this absorbs only the rounding of the running sums."""
    return ratio if math.isnan(ratio) else min(1.0, ratio)


def _window_areas(record: RunRecord, warmup: float) -> dict[str, float]:
    """Time integrals (minutes x count) of queue, busy and on-shift agents after the warm-up."""
    before = (0.0, 0.0, 0.0)
    for end, *areas in record.intervals:
        if end <= warmup:
            before = tuple(areas)
    last = record.intervals[-1][1:]
    return {
        "waiting": last[0] - before[0],
        "busy": last[1] - before[1],
        "on_duty": last[2] - before[2],
    }


def kpi_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """KPI dicts (one per run) as a DataFrame with the columns in KPI_INFO order."""
    return pd.DataFrame(rows, columns=list(KPI_INFO))
