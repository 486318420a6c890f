"""The KPIs the package reports: each one's unit and meaning, declared once, and the headline few.

Every table, file, widget and report takes its KPI names, order and units from here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from .behaviour import CAUSES
from .deprecation import warn_renamed
from .parameters import unknown_name_error

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
    "mean_handle_minutes": ("minutes", "Mean agent time per customer contact answered"),
    "fcr": ("share", "First contacts handled that resolved the issue (first-contact resolution)"),
    "repeat_rate": ("share", "Contacts that were a second or later attempt about one issue"),
    "work_per_resolution_minutes": (
        "minutes",
        "Agent minutes on customers per issue an agent resolved",
    ),
    "cost_per_contact": ("currency", "Agent and bot cost per contact handled"),
    "cost_per_resolution": ("currency", "Agent and bot cost per issue resolved"),
    "nps": ("points", "Net Promoter Score of issues that ended: % promoters - % detractors"),
    "promoters": ("share", "Customers scoring 9-10"),
    "passives": ("share", "Customers scoring 7-8"),
    "detractors": ("share", "Customers scoring 0-6"),
    "nps_new": ("points", "NPS of new customers"),
    "nps_loyal": ("points", "NPS of loyal customers"),
    "nps_bot": ("points", "NPS of customers who met the bot"),
    "nps_human": ("points", "NPS of customers who only dealt with agents"),
    "nps_abusive": ("points", "NPS of customers who were abusive on at least one contact"),
    "nps_others": ("points", "NPS of every customer who was never abusive"),
    **{
        f"detractors_{cause}": ("share", f"Detractors whose main cause is {cause}")
        for cause in CAUSES
    },
    "detractors_none": (
        "share",
        "Detractors with no main cause: nothing went wrong enough, their own mood did the rest",
    ),
    "broken_promises": ("share", "Promises made to customers that were not kept"),
    "mean_trust": ("share", "Mean trust (0-1) of customers whose issue ended"),
    "enps": ("points", "Employee NPS of the agents who worked"),
    "engaged_share": ("share", "Agents engaged at the end of the run"),
    "mean_fatigue": ("share", "Mean fatigue (0-1) of the agents at the end of the run"),
    "agents_down": ("agents", "Mean number of agents off the floor with an internal incident"),
    "standard_minutes": ("minutes", "The team's standard handle time at the end of the run"),
    "checkins": ("contacts", "Proactive check-in calls completed"),
    "agents_on_shift": ("agents", "Mean number of agents on shift"),
    "backlog": ("contacts", "Contacts still waiting when the run ended"),
}

#: KPI name -> what a participant reads: the dashboard's tiles, plain tables, workbooks.
KPI_LABELS: dict[str, str] = {
    "contacts": "Contacts",
    "queued": "Contacts waiting for an agent",
    "bot_contacts": "Contacts with the bot",
    "service_level": "Service level",
    "asa_seconds": "Average wait to answer",
    "mean_wait_seconds": "Average wait (hang-ups included)",
    "p_wait": "Had to wait",
    "abandonment_rate": "Hung up waiting",
    "occupancy": "Agents busy",
    "mean_handle_minutes": "Average call length",
    "fcr": "Resolved first time",
    "repeat_rate": "Repeat contacts",
    "work_per_resolution_minutes": "Agent minutes per resolved issue",
    "cost_per_contact": "Cost per contact",
    "cost_per_resolution": "Cost per resolved issue",
    "nps": "NPS",
    "promoters": "Promoters (9-10)",
    "passives": "Passives (7-8)",
    "detractors": "Detractors (0-6)",
    "nps_new": "NPS of new customers",
    "nps_loyal": "NPS of loyal customers",
    "nps_bot": "NPS of customers who met the bot",
    "nps_human": "NPS of customers who only met agents",
    "nps_abusive": "NPS of abusive customers",
    "nps_others": "NPS of everyone else",
    **{f"detractors_{cause}": f"Detractors mainly about {cause}" for cause in CAUSES},
    "detractors_none": "Detractors with no main cause",
    "broken_promises": "Promises broken",
    "mean_trust": "Customers' trust (0-1)",
    "enps": "Employee NPS",
    "engaged_share": "Agents engaged",
    "mean_fatigue": "Agents' tiredness (0-1)",
    "agents_down": "Agents with broken tools",
    "standard_minutes": "The team's standard call length",
    "checkins": "Check-in calls",
    "agents_on_shift": "Agents on shift",
    "backlog": "Still waiting at closing",
}

#: The KPIs a manager reads first: reports, the lab's comparison, sweep summaries.
HEADLINE_KPIS: tuple[str, ...] = (
    "nps",
    "service_level",
    "asa_seconds",
    "abandonment_rate",
    "fcr",
    "repeat_rate",
    "cost_per_contact",
    "cost_per_resolution",
    "enps",
)


#: Old KPI name -> its name now (the old one still works as a key, with a warning).
RENAMED_KPIS: dict[str, str] = {}

#: KPIs no run reports any more -> why, and what to use instead.
REMOVED_KPIS: dict[str, str] = {
    name: (
        f"KPI {name!r} was removed in servicesim 0.2: one day's interval is narrower than "
        "NPS varies from day to day; run several days (replicate, or --reps N) and read "
        "the confidence interval of their NPS"
    )
    for name in ("nps_half_width", "nps_ci")
}


class KPIs(dict[str, float]):
    """One run's KPIs by name; an old name still answers, with a DeprecationWarning."""

    def __missing__(self, key: str) -> float:
        if key in RENAMED_KPIS:
            warn_renamed(f"KPI {key!r}", repr(RENAMED_KPIS[key]))
            return self[RENAMED_KPIS[key]]
        if key in REMOVED_KPIS:
            raise KeyError(REMOVED_KPIS[key])
        raise KeyError(key)


#: The comparisons a constraint may use, applied to KPI means (a number or a Series of them).
OPERATORS: dict[str, Callable[[Any, float], Any]] = {
    "<=": lambda s, b: s <= b,
    ">=": lambda s, b: s >= b,
    "<": lambda s, b: s < b,
    ">": lambda s, b: s > b,
}
_CONSTRAINT = re.compile(r"^\s*([a-z_]+)\s*(<=|>=|<|>)\s*(-?[0-9.eE+-]+)\s*$")


def parse_constraint(text: str) -> tuple[str, str, float]:
    """``"kpi <= number"`` -> (kpi, operator, number), with a clear error otherwise.

    Shared by sweeps (``--constraint``) and briefs (``constraints = [...]``).
    """
    match = _CONSTRAINT.match(text)
    if not match:
        raise ValueError(
            f"constraint {text!r} is not allowed; expected 'kpi <= number' or 'kpi >= number'"
        )
    kpi, op, number = match.groups()
    if kpi not in KPI_INFO:
        raise unknown_name_error("KPI", kpi, list(KPI_INFO))
    try:
        bound = float(number)
    except ValueError:
        raise ValueError(f"constraint {text!r}: {number!r} is not a number") from None
    if not math.isfinite(bound):
        raise ValueError(f"constraint {text!r}: the bound must be a finite number, got {number}")
    return kpi, op, bound


def unit_of(kpi: str) -> str:
    """The unit of a KPI ('' if the library does not list it)."""
    return KPI_INFO.get(kpi, ("", ""))[0]


def check_kpis(kpis: Sequence[str] | str | None) -> list[str]:
    """``kpis`` (all of KPI_INFO when None), each checked to be a KPI the library reports."""
    if kpis is None:
        return list(KPI_INFO)
    if isinstance(kpis, str):
        kpis = [kpis]
    for kpi in kpis:
        if kpi not in KPI_INFO:
            raise unknown_name_error("KPI", kpi, list(KPI_INFO))
    return list(kpis)


def with_units(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (indexed by KPI, or with a 'kpi' index level) plus each row's unit, for files."""
    kpis = frame.index.get_level_values("kpi")
    return frame.assign(unit=[unit_of(k) for k in kpis])
