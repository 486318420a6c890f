"""Results of one run: per-contact, per-issue and per-agent tables, 15-minute series and KPIs.

KPIs count what arrives after the warm-up. Their definitions are in docs/model.md ("KPIs").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import behaviour
from .behaviour import CAUSES
from .files import prepare_folder, write_csv
from .folders import claim_folder
from .frames import Table, table
from .kpis import KPI_INFO, KPIs, with_units
from .model import LOYAL, NEW, SEGMENTS, RunRecord
from .scenario import INTERVAL_MINUTES, Scenario

#: The per-run tables a run folder holds, one CSV file each.
TABLE_FILES = ("contacts.csv", "issues.csv", "agents.csv", "intervals.csv")
#: Every file of a run folder (:meth:`Results.save`, :meth:`Replications.save`, ``servicesim run``).
RUN_FILES = ("kpis.csv", "runs.csv", *TABLE_FILES, "scenario.toml")


@dataclass
class Results:
    """One replication: ``contacts``, ``issues``, ``agents``, ``intervals`` and ``kpis``."""

    scenario: Scenario
    seed: int
    replication: int
    record: RunRecord

    @cached_property
    def contacts(self) -> pd.DataFrame:
        """One row per contact (times in minutes from the start of the run)."""
        rows = self.record.contacts
        end = self.record.end
        queued = np.array([c.queued for c in rows], dtype=float)
        answered = np.array([c.answered for c in rows], dtype=float)
        ended = np.array([c.ended for c in rows], dtype=float)
        abandoned = np.array([c.abandoned for c in rows], dtype=bool)
        wait = np.where(
            ~np.isnan(answered),
            answered - queued,
            np.where(abandoned, ended - queued, end - queued),
        )
        return Table(
            {
                "contact_id": np.array([c.id for c in rows], dtype=np.int64),
                "issue_id": np.array([c.issue.id for c in rows], dtype=np.int64),
                "segment": pd.Categorical(
                    [SEGMENTS[c.issue.segment] for c in rows], categories=SEGMENTS
                ),
                "channel": pd.Categorical(
                    [c.channel for c in rows], categories=("human", "bot", "checkin")
                ),
                "attempt": np.array([c.attempt for c in rows], dtype=np.int64),
                "arrival_minutes": np.array([c.arrival for c in rows], dtype=float),
                "bot_minutes": np.array([c.bot_minutes for c in rows], dtype=float),
                "escalated": np.array([c.escalated for c in rows], dtype=bool),
                "queued_minutes": queued,
                "wait_minutes": wait,
                "patience_minutes": np.array([c.patience for c in rows], dtype=float),
                "answered": ~np.isnan(answered),
                "abandoned": abandoned,
                "agent": np.array([c.agent for c in rows], dtype=np.int64),
                "need_minutes": np.array([c.need for c in rows], dtype=float),
                "time_ratio": np.array([c.time_ratio for c in rows], dtype=float),
                "handle_minutes": np.array([c.handle for c in rows], dtype=float),
                "care": np.array([c.care for c in rows], dtype=float),
                "hostile": np.array([c.hostile for c in rows], dtype=bool),
                "rude": np.array([c.rude for c in rows], dtype=bool),
                "promise": [c.promise for c in rows],
                "end_minutes": ended,
                "resolved": np.array([c.resolved for c in rows], dtype=bool),
                "outcome": [c.outcome for c in rows],
            }
        )

    @cached_property
    def issues(self) -> pd.DataFrame:
        """One row per issue: its contacts, how it ended, the customer's score and its causes."""
        rows = self.record.issues
        scores = [i.score for i in rows]
        return Table(
            {
                "issue_id": np.array([i.id for i in rows], dtype=np.int64),
                "segment": pd.Categorical([SEGMENTS[i.segment] for i in rows], categories=SEGMENTS),
                "customer": np.array([i.customer for i in rows], dtype=np.int64),
                "first_arrival_minutes": np.array([i.first_arrival for i in rows], dtype=float),
                "contacts": np.array([i.attempts for i in rows], dtype=np.int64),
                "used_bot": np.array([i.used_bot for i in rows], dtype=bool),
                "abusive": np.array([i.abusive for i in rows], dtype=bool),
                "defect": np.array([i.defect for i in rows], dtype=bool),
                "total_wait_minutes": np.array([i.total_wait for i in rows], dtype=float),
                "end_minutes": np.array([i.ended for i in rows], dtype=float),
                "outcome": [i.outcome for i in rows],
                "resolved": np.array([i.resolved for i in rows], dtype=bool),
                "trust": np.array([i.trust_now for i in rows], dtype=float),
                "score": np.array([-1 if s is None else s.value for s in scores], dtype=np.int64),
                "main_cause": ["" if s is None else s.primary_cause for s in scores],
                "causes": ["" if s is None else ",".join(s.causes()) for s in scores],
            }
        )

    @cached_property
    def agents(self) -> pd.DataFrame:
        """One row per agent who worked: skill, engagement, fatigue, abuse and their own score."""
        rows = self.record.agents
        return Table(
            {
                "agent": np.array([a.id for a in rows], dtype=np.int64),
                "skill": np.array([a.skill for a in rows], dtype=float),
                "engaged": np.array([a.engaged for a in rows], dtype=bool),
                "fatigue": np.array([a.fatigue for a in rows], dtype=float),
                "abuse_tolerated": np.array([a.abuse_tolerated for a in rows], dtype=np.int64),
                "score": np.array([_employee_score(a) for a in rows], dtype=np.int64),
            }
        )

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """15-minute series: arrivals, queue, agents busy / on shift / down, the standard."""
        marks = np.array(self.record.intervals, dtype=float)
        ends = marks[:, 0]
        starts = np.concatenate(([0.0], ends[:-1]))
        areas = np.diff(np.vstack([np.zeros((1, 4)), marks[:, 1:5]]), axis=0)
        customers = [c.arrival for c in self.record.contacts if c.channel != "checkin"]
        arrivals = np.histogram(customers, bins=np.concatenate(([0.0], ends)))[0]
        return Table(
            {
                "start_minutes": starts,
                "end_minutes": ends,
                "arrivals": arrivals.astype(np.int64),
                "queue_length": areas[:, 0] / INTERVAL_MINUTES,
                "agents_busy": areas[:, 1] / INTERVAL_MINUTES,
                "agents_on_shift": areas[:, 2] / INTERVAL_MINUTES,
                "agents_down": areas[:, 3] / INTERVAL_MINUTES,
                "standard_minutes": marks[:, 5],
            }
        )

    @cached_property
    def kpis(self) -> dict[str, float]:
        """Headline figures after the warm-up (see KPI_INFO for units and meanings)."""
        return compute_kpis(self.scenario, self.record)

    def save(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write the run folder: KPIs with units, the KPI row, the tables and the scenario.

        Nothing already in ``folder`` is replaced, and a folder holding files another command
        wrote is refused (:mod:`servicesim.folders`), unless ``overwrite``.
        """
        with claim_folder(folder, "run", RUN_FILES, overwrite=overwrite) as folder:
            folder = prepare_folder(folder, RUN_FILES, overwrite)
            values = pd.Series(self.kpis, name="value").rename_axis("kpi").to_frame()
            write_csv(with_units(values), folder / "kpis.csv", overwrite)
            runs = kpi_frame([self.kpis], index=[self.replication])
            write_csv(runs, folder / "runs.csv", overwrite)
            self.save_tables(folder, overwrite=overwrite)
            self.scenario.to_toml(folder / "scenario.toml", overwrite=overwrite)
            return folder

    def save_tables(self, folder: str | Path, *, overwrite: bool = False) -> Path:
        """Write the contacts, issues, agents and 15-minute interval tables as CSV files."""
        return save_tables([self], folder, overwrite=overwrite)

    def nps_by(self) -> pd.DataFrame:
        """NPS and the number of customers it rests on, per segment and per channel.

        One day gives no interval worth showing: NPS varies more from day to day than one
        day's sample suggests, so intervals come from replications (``replicate``)."""
        issues = self.issues
        ended = issues[
            (issues.score >= 0)
            & (issues.first_arrival_minutes >= self.scenario.warmup_hours * 60.0)
        ]
        groups = {
            ("segment", "new"): ended.segment == "new",
            ("segment", "loyal"): ended.segment == "loyal",
            ("channel", "bot"): ended.used_bot,
            ("channel", "human only"): ~ended.used_bot,
            ("customer", "abusive"): ended.abusive,
            ("customer", "everyone else"): ~ended.abusive,
            ("all", "all"): ended.score >= 0,
        }
        rows = []
        for (by, group), mask in groups.items():
            scores = ended.score[mask].tolist()
            rows.append(
                {
                    "by": by,
                    "group": group,
                    "customers": len(scores),
                    "nps": behaviour.net_promoter_score(scores),
                }
            )
        return table(pd.DataFrame(rows).set_index(["by", "group"]))

    def detractor_causes(self) -> pd.DataFrame:
        """Where to start fixing: detractors by main cause ("none" too), and how many each
        cause touched; the shares add up to 1."""
        issues = self.issues
        window = issues.first_arrival_minutes >= self.scenario.warmup_hours * 60.0
        detractors = issues[window & (issues.score >= 0) & (issues.score <= 6)]
        main = detractors.main_cause.value_counts()
        touched = {c: detractors.causes.str.contains(c).sum() for c in CAUSES}
        touched["none"] = int((detractors.causes == "").sum())
        rows = (*CAUSES, "none")
        frame = pd.DataFrame(
            {
                "main_cause": [int(main.get(c, 0)) for c in rows],
                "share": [
                    main.get(c, 0) / len(detractors) if len(detractors) else math.nan for c in rows
                ],
                "any_cause": [int(touched[c]) for c in rows],
            },
            index=pd.Index(rows, name="cause"),
        )
        return frame.sort_values("main_cause", ascending=False, kind="stable")


def _employee_score(agent: Any) -> int:
    return behaviour.employee_score(
        agent.engaged, agent.fatigue, agent.abuse_tolerated, agent.score_noise
    )


def _known(x: float) -> bool:
    return not math.isnan(x)


def compute_kpis(scenario: Scenario, record: RunRecord) -> dict[str, float]:
    """KPIs straight from the run record (no DataFrames: replications need only these).

    The operational KPIs describe the open period as it stood at the horizon, whatever the
    drain did afterwards; the customers' scores count every issue that arose after the
    warm-up, scored when it ended (in the drain, if need be). One pass over the contacts and
    one over the issues: every replication of every sweep pays for this.
    """
    warmup = scenario.warmup_hours * 60.0
    horizon = scenario.horizon_hours * 60.0
    threshold = scenario.service_level_seconds / 60.0
    # Comparisons with the horizon are False for NaN (not yet happened): "by the close".
    n_contacts = n_queued = n_bot = handled_by_bot = checkins = repeats = 0
    n_done = resolved = resolved_by_agents = n_first = first_resolved = 0
    answered_waits: list[float] = []
    abandoned_waits: list[float] = []
    still_waiting: list[float] = []
    handles: list[float] = []
    customer_minutes: list[float] = []
    promises: list[str] = []
    for c in record.contacts:
        if not warmup <= c.arrival < horizon:
            continue
        if c.channel == "checkin":
            checkins += c.ended < horizon
            continue
        n_contacts += 1
        repeats += c.attempt > 1
        answered = c.answered < horizon
        done = c.ended < horizon
        if c.channel == "bot":
            n_bot += 1
            handled_by_bot += not c.escalated and done
        if c.queued < horizon:
            n_queued += 1
            if answered:
                answered_waits.append(c.answered - c.queued)
                handles.append(c.handle)
                customer_minutes.append(min(c.answered + c.handle, horizon) - c.answered)
                resolved_by_agents += c.resolved and done
            elif c.abandoned and done:
                abandoned_waits.append(c.ended - c.queued)
            else:
                still_waiting.append(horizon - c.queued)
        if done:
            n_done += 1
            resolved += c.resolved
            if c.attempt == 1 and (answered or c.outcome.startswith("bot_")):
                n_first += 1
                first_resolved += c.resolved
            if c.promise:
                promises.append(c.promise)
    n_answered = len(answered_waits)
    n_abandoned = len(abandoned_waits)
    finished = n_answered + n_abandoned
    # A contact still waiting but for less than the threshold has no known service outcome yet.
    decided = n_queued - sum(1 for w in still_waiting if w <= threshold)

    areas = _window_areas(record, warmup)
    cost = (
        areas["on_duty"] / 60.0 * scenario.cost_per_agent_hour
        + n_bot * scenario.cost_per_bot_contact
    )
    scores: list[int] = []
    # Scores by segment (new, loyal), by channel (human only, bot) and by conduct.
    segments: tuple[list[int], list[int]] = ([], [])
    channels: tuple[list[int], list[int]] = ([], [])
    conduct: tuple[list[int], list[int]] = ([], [])  # everyone else, abusive
    trust: list[float] = []
    main_causes: list[str] = []
    for i in record.issues:
        value = i.score_value
        if value < 0 or i.first_arrival < warmup:  # still open, or arose in the warm-up
            continue
        scores.append(value)
        segments[i.segment].append(value)
        channels[i.used_bot].append(value)
        conduct[i.abusive].append(value)
        trust.append(i.trust_now)
        if value <= 6:
            main_causes.append(behaviour.primary_cause(i.score_lost))
    n_detractors = len(main_causes)
    agents = record.agents
    length = horizon - warmup

    def share(part: float, whole: float) -> float:
        return part / whole if whole else math.nan

    return KPIs(
        {
            "contacts": float(n_contacts),
            "queued": float(n_queued),
            "bot_contacts": float(n_bot),
            "service_level": share(sum(1 for w in answered_waits if w <= threshold), decided),
            "asa_seconds": 60.0 * share(sum(answered_waits), n_answered),
            "mean_wait_seconds": 60.0 * share(sum(answered_waits) + sum(abandoned_waits), finished),
            "p_wait": share(
                sum(1 for w in answered_waits if w > 0.0) + n_abandoned + len(still_waiting),
                n_queued,
            ),
            "abandonment_rate": share(n_abandoned, finished),
            "occupancy": _at_most_one(share(areas["busy"], areas["on_duty"])),
            "mean_handle_minutes": share(sum(handles), n_answered),
            "fcr": share(first_resolved, n_first),
            "repeat_rate": share(repeats, n_contacts),
            "work_per_resolution_minutes": share(sum(customer_minutes), resolved_by_agents),
            "cost_per_contact": share(cost, n_answered + handled_by_bot),
            "cost_per_resolution": share(cost, resolved),
            "nps": behaviour.net_promoter_score(scores),
            "promoters": share(sum(1 for s in scores if s >= 9), len(scores)),
            "passives": share(sum(1 for s in scores if 7 <= s <= 8), len(scores)),
            "detractors": share(n_detractors, len(scores)),
            "nps_new": behaviour.net_promoter_score(segments[NEW]),
            "nps_loyal": behaviour.net_promoter_score(segments[LOYAL]),
            "nps_bot": behaviour.net_promoter_score(channels[True]),
            "nps_human": behaviour.net_promoter_score(channels[False]),
            "nps_abusive": behaviour.net_promoter_score(conduct[True]),
            "nps_others": behaviour.net_promoter_score(conduct[False]),
            **{
                f"detractors_{cause}": share(main_causes.count(cause), n_detractors)
                for cause in (*CAUSES, "none")
            },
            "broken_promises": share(promises.count("broken"), len(promises)),
            "mean_trust": share(sum(trust), len(trust)),
            "enps": behaviour.net_promoter_score([_employee_score(a) for a in agents]),
            "engaged_share": share(sum(1 for a in agents if a.engaged), len(agents)),
            "mean_fatigue": share(sum(a.fatigue for a in agents), len(agents)),
            "agents_down": share(areas["down"], length),
            "standard_minutes": record.intervals[-1][5],
            "checkins": float(checkins),
            "agents_on_shift": share(areas["on_duty"], length),
            "backlog": float(record.backlog),
        }
    )


def _at_most_one(ratio: float) -> float:
    """Busy <= on shift at every instant; this absorbs only the rounding of the running sums."""
    return ratio if math.isnan(ratio) else min(1.0, ratio)


def _window_areas(record: RunRecord, warmup: float) -> dict[str, float]:
    """Time integrals (minutes x count) of queue, busy, on-shift and down agents after warm-up."""
    before: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)
    for end, *rest in record.intervals:
        if end <= warmup:
            before = tuple(rest[:4])
    last = record.intervals[-1][1:5]
    names = ("waiting", "busy", "on_duty", "down")
    return {name: last[k] - before[k] for k, name in enumerate(names)}


def kpi_frame(rows: list[dict[str, Any]], index: list[int] | None = None) -> pd.DataFrame:
    """KPI dicts (one per run) as a DataFrame with the columns in KPI_INFO order, indexed by
    replication."""
    frame = Table(rows, columns=list(KPI_INFO), index=index)
    frame.index.name = "replication"
    return frame


def loyal_trust_by_day(record: RunRecord, days: int, day_minutes: float) -> list[float]:
    """Mean trust loyal customers ended their issues with, per day of a multi-day run.

    An issue belongs to the day its first contact arrived in (day ``k`` covers
    ``[(k - 1) * day_minutes, k * day_minutes)``), and its trust is the one the customer ended
    it with, as in the ``trust`` column of :attr:`Results.issues`, even if it ended on a later
    day or in the drain. A day without a loyal customer's issue gives NaN.
    """
    totals = [0.0] * days
    counts = [0] * days
    for issue in record.issues:
        if issue.segment == LOYAL:
            day = int(issue.first_arrival // day_minutes)
            totals[day] += issue.trust_now
            counts[day] += 1
    return [total / n if n else math.nan for total, n in zip(totals, counts, strict=True)]


def save_tables(days: Sequence[Results], folder: str | Path, *, overwrite: bool = False) -> Path:
    """Write the contacts, issues, agents and 15-minute tables of every day in ``days``, one
    CSV each, with a ``replication`` column first so the days can be told apart."""
    folder = prepare_folder(folder, TABLE_FILES, overwrite)
    tables = {
        "contacts.csv": (lambda r: r.contacts, "contact_id"),
        "issues.csv": (lambda r: r.issues, "issue_id"),
        "agents.csv": (lambda r: r.agents, "agent"),
        "intervals.csv": (lambda r: r.intervals.rename_axis("interval").reset_index(), "interval"),
    }
    for name, (pick, key) in tables.items():
        frames = [pick(day).assign(replication=day.replication) for day in days]
        joined = pd.concat(frames, ignore_index=True).set_index(["replication", key])
        write_csv(joined, folder / name, overwrite)
    return folder
