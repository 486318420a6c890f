"""KPI tables rounded for people to read, shared by the command line, notebooks and widgets.

Values are rounded per unit (``DECIMALS``); files and DataFrames elsewhere keep full precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from .parameters import unknown_name_error
from .results import KPI_INFO

if TYPE_CHECKING:
    from .experiment import Comparison

#: The KPIs a manager reads first: reports, the lab's comparison, sweep summaries.
HEADLINE_KPIS = (
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

#: Decimals shown per KPI unit.
DECIMALS = {"contacts": 0, "share": 3, "seconds": 1, "currency": 2, "points": 1, "agents": 1}


def fmt(value: float, unit: str, signed: bool = False) -> str:
    """A KPI value rounded for its unit; missing values as 'n/a'."""
    if value is None or math.isnan(value):
        return "n/a"
    decimals = DECIMALS.get(unit, 2)
    text = f"{value:{'+' if signed else ''}.{decimals}f}"
    if float(text) == 0:  # no "-0.000"
        text = f"{0:.{decimals}f}"
    return text


def unit_of(kpi: str) -> str:
    """The unit of a KPI ('' if the library does not list it)."""
    return KPI_INFO.get(kpi, ("", ""))[0]


def kpi_table(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` of a KPI-indexed frame rounded for display, plus each KPI's unit."""
    table = pd.DataFrame(
        {col: [fmt(frame.at[k, col], unit_of(k)) for k in frame.index] for col in columns},
        index=frame.index,
    )
    return table.assign(unit=[unit_of(k) for k in frame.index])


def comparison_table(comparison: Comparison, kpis: Sequence[str] | None = None) -> pd.DataFrame:
    """Per KPI and scenario: mean, and the paired difference to the first with its CI."""
    summary, diffs = comparison.summary, comparison.differences
    rows = []
    for kpi in check_kpis(kpis):
        unit = unit_of(kpi)
        for name in comparison.scenarios:
            row = {"kpi": kpi, "scenario": name, "mean": fmt(summary.at[(name, kpi), "mean"], unit)}
            if name == comparison.reference:
                row.update(diff="", ci_low="", ci_high="", sig="")
            else:
                d = diffs.loc[(name, kpi)]
                row.update(
                    diff=fmt(d["mean"], unit, signed=True),
                    ci_low=fmt(d["ci_low"], unit, signed=True),
                    ci_high=fmt(d["ci_high"], unit, signed=True),
                    sig="*" if d["significant"] else "",
                )
            rows.append({**row, "unit": unit})
    return pd.DataFrame(rows).set_index(["kpi", "scenario"])


def check_kpis(kpis: Sequence[str] | None) -> list[str]:
    """``kpis`` (all of KPI_INFO when None), each checked to be a KPI the library reports."""
    if kpis is None:
        return list(KPI_INFO)
    if isinstance(kpis, str):
        kpis = [kpis]
    for kpi in kpis:
        if kpi not in KPI_INFO:
            raise unknown_name_error("KPI", kpi, list(KPI_INFO))
    return list(kpis)
