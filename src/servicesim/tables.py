"""KPI tables rounded for people to read, shared by the command line, notebooks and widgets.

Formatting sits above the results: it imports them, they never import it. Values are rounded
per unit (``DECIMALS``); files and DataFrames elsewhere keep full precision.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import partial

import pandas as pd

from .behaviour import CAUSE_MEANINGS, CAUSE_NAMES
from .brief import Brief
from .challenge import TODAY, Scoreboard
from .checks import check_currency
from .escaping import as_terminal
from .experiment import Comparison, Replications
from .kpis import HEADLINE_KPIS, KPI_INFO, KPI_LABELS, check_kpis, parse_constraint, unit_of
from .results import Results

#: Decimals shown per KPI unit.
DECIMALS = {"contacts": 0, "share": 3, "seconds": 1, "currency": 2, "points": 1, "agents": 1}


def fmt(value: float | None, unit: str, signed: bool = False) -> str:
    """A KPI value rounded for its unit; missing values as 'n/a'."""
    if value is None or math.isnan(value):
        return "n/a"
    decimals = DECIMALS.get(unit, 2)
    text = f"{value:{'+' if signed else ''}.{decimals}f}"
    if float(text) == 0:  # no "-0.000"
        text = f"{0:.{decimals}f}"
    return text


def interval_note(days: int, paired: bool = False) -> str:
    """What a table's intervals rest on: how many simulated days (none from a single day)."""
    if days < 2:
        return "one simulated day: no confidence interval (intervals need two days or more)"
    kind = "paired " if paired else ""
    return f"95 % confidence intervals from {days} {kind}simulated days"


def rounded(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """``columns`` of a KPI-indexed frame rounded for display, plus each KPI's unit."""
    table = pd.DataFrame(
        {col: [fmt(frame.at[k, col], unit_of(k)) for k in frame.index] for col in columns},
        index=frame.index,
    )
    return table.assign(unit=[unit_of(k) for k in frame.index])


def kpi_table(
    result: Results | Replications | Comparison, kpis: Sequence[str] | str | None = None
) -> pd.DataFrame:
    """``kpis`` (default all) of a run, of replications or of a comparison, rounded to read.

    One run: its value per KPI. Replications: the mean and its 95 % CI. A comparison: each
    scenario's mean and its paired difference to the first with the CI (see
    :func:`comparison_table`).
    """
    if isinstance(result, Comparison):
        return comparison_table(result, kpis)
    names = check_kpis(kpis)
    if isinstance(result, Replications):
        return rounded(result.summary.loc[names], ["mean", "ci_low", "ci_high"])
    if isinstance(result, Results):
        values = pd.Series(result.kpis, name="value").rename_axis("kpi").to_frame()
        return rounded(values.loc[names], ["value"])
    raise ValueError(
        f"kpi_table needs Results, Replications or a Comparison, got {type(result).__name__}"
    )


def comparison_table(
    comparison: Comparison, kpis: Sequence[str] | str | None = None
) -> pd.DataFrame:
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
                low, high = (
                    fmt(d["ci_low"], unit, signed=True),
                    fmt(d["ci_high"], unit, signed=True),
                )
                row.update(
                    diff=fmt(d["mean"], unit, signed=True),
                    ci_low=low,
                    ci_high=high,
                    sig="*" if _excludes_zero(low, high) else "",  # as printed, not as stored
                )
            rows.append({**row, "unit": unit})
    return pd.DataFrame(rows).set_index(["kpi", "scenario"])


def _excludes_zero(low: str, high: str) -> bool:
    if "n/a" in (low, high):
        return False
    return float(low) > 0 or float(high) < 0


#: Units shown after a plain value ("" for none); shares are shown as percentages.
PLAIN_SUFFIX = {"seconds": " s", "minutes": " min", "agents": " agents"}


def plain_value(kpi: str, value: float, signed: bool = False, *, currency: str = "") -> str:
    """A KPI as a participant reads it: shares as whole percentages, seconds as "13 s", money
    after ``currency`` ("€6.15", "CHF 6.15"; no symbol by default)."""
    if value is None or math.isnan(value):
        return "n/a"
    unit = unit_of(kpi)
    if unit == "currency" and currency:
        text = fmt(value, unit, signed)
        symbol = f"{currency} " if currency[-1].isalpha() else currency
        return text[0] + symbol + text[1:] if text[0] in "+-" else symbol + text
    if unit == "share" and kpi not in ("mean_trust", "mean_fatigue"):
        text = f"{100 * value:{'+' if signed else ''}.0f}"
        text = "0" if float(text) == 0 else text
        return f"{text} points" if signed else f"{text} %"  # a change in a share: points
    if unit == "seconds" and abs(value) >= 120:  # long waits read better in minutes
        return f"{value / 60:{'+' if signed else ''}.0f} min"
    return fmt(value, unit, signed) + PLAIN_SUFFIX.get(unit, "")


def plain_table(
    result: Replications | Comparison,
    kpis: Sequence[str] | str | None = None,
    *,
    changes: bool = True,
    currency: str = "",
) -> pd.DataFrame:
    """``kpis`` in plain words: one row per KPI under its label, shares as percentages.

    Replications: the mean and the range the mean most likely lies in. A comparison: each
    scenario's mean, then (unless ``changes`` is False) each change against the first
    scenario, marked "clear" when its 95 % interval excludes 0 and "not clear" otherwise
    (:func:`kpi_table` has the intervals). ``currency`` is the symbol shown before money.
    """
    currency = check_currency(currency)
    money = partial(plain_value, currency=currency)
    names = check_kpis(kpis if kpis is not None else list(HEADLINE_KPIS))
    labels = [KPI_LABELS[k] for k in names]
    if isinstance(result, Replications):
        summary = result.summary
        return pd.DataFrame(
            {
                "average": [money(k, summary.at[k, "mean"]) for k in names],
                "likely between": [
                    f"{money(k, summary.at[k, 'ci_low'])} and {money(k, summary.at[k, 'ci_high'])}"
                    for k in names
                ],
            },
            index=pd.Index(labels, name=""),
        )
    if not isinstance(result, Comparison):
        raise ValueError(
            f"plain_table needs Replications or a Comparison, got {type(result).__name__}"
        )
    summary, diffs = result.summary, result.differences
    columns = {
        name: [money(k, summary.at[(name, k), "mean"]) for k in names] for name in result.scenarios
    }
    for name in list(result.scenarios)[1:] if changes else []:
        columns[f"{name}: change"] = [
            f"{money(k, diffs.at[(name, k), 'mean'], signed=True)} "
            f"({'clear' if diffs.at[(name, k), 'significant'] else 'not clear'})"
            if not math.isnan(diffs.at[(name, k), "mean"])
            else "n/a"
            for k in names
        ]
    return pd.DataFrame(columns, index=pd.Index(labels, name=""))


#: The widest printed table that fits a notebook's output beside JupyterLab's file browser.
TEXT_WIDTH = 100


def _shown_as_written(value: object) -> object:
    return as_terminal(value) if isinstance(value, str) else value


def as_text(table: pd.DataFrame, width: int = TEXT_WIDTH) -> str:
    """A plain table as text with each column under its own underlined heading, so that
    headings of several words never run into each other (how the workbooks print tables).

    A table wider than ``width`` characters gets its long headings wrapped over several
    lines, down to the width of the column's values; values are never wrapped.
    """
    # Names come from users' files: a terminal must show them, not act on them.
    shown = _shown_as_written
    table = table.rename(index=shown, columns=shown).map(shown)
    options: dict[str, object] = {
        "tablefmt": "simple",
        "colalign": ["left"] + ["right"] * len(table.columns),
        "disable_numparse": True,  # keep "4.10" as written, not re-read as the number 4.1
    }
    text = table.to_markdown(**options)
    if max(len(line) for line in text.splitlines()) <= width:
        return text
    values = [max([len(str(v)) for v in table[c]] + [10]) for c in table.columns]
    return table.to_markdown(**options, maxheadercolwidths=[None, *values], break_long_words=False)


def mean_sentence(result: Replications, kpi: str, *, currency: str = "") -> str:
    """One KPI's mean over the simulated days and its likely range, in one plain sentence."""
    (kpi,) = check_kpis(kpi)
    money = partial(plain_value, currency=check_currency(currency))
    if not isinstance(result, Replications):
        raise ValueError(f"mean_sentence needs Replications, got {type(result).__name__}")
    row = result.summary.loc[kpi]
    return (
        f"{KPI_LABELS[kpi]}: {money(kpi, row['mean'])} on average over "
        f"{result.replications} simulated days (likely between "
        f"{money(kpi, row['ci_low'])} and {money(kpi, row['ci_high'])})"
    )


def change_sentence(
    comparison: Comparison,
    scenario: str,
    kpi: str,
    against: str | None = None,
    *,
    currency: str = "",
) -> str:
    """One KPI's change from ``against`` (the reference if None) to ``scenario``, in one plain
    sentence (what a :class:`~servicesim.widgets.Prediction` reveals)."""
    (kpi,) = check_kpis(kpi)
    money = partial(plain_value, currency=check_currency(currency))
    against = comparison.reference if against is None else against
    if scenario not in comparison.scenarios or scenario == against:
        others = [s for s in comparison.scenarios if s != against]
        raise ValueError(f"scenario {scenario!r} is not allowed; expected one of {others}")
    before = comparison.summary.at[(against, kpi), "mean"]
    after = comparison.summary.at[(scenario, kpi), "mean"]
    d = comparison.difference(scenario, against).loc[kpi]
    verdict = "a clear difference" if d["significant"] else "not a clear difference"
    return (
        f"{KPI_LABELS[kpi]}: {money(kpi, before)} ({against}) → "
        f"{money(kpi, after)} ({scenario}); {money(kpi, d['mean'], signed=True)}, "
        f"{verdict}"
    )


#: The causes of a detractor as a participant reads them (workbook 6).
CAUSE_LABELS = {
    cause: f"{'No cause' if cause == 'none' else cause.capitalize()} ({meaning})"
    for cause, meaning in CAUSE_MEANINGS.items()
}


def cause_table(result: Results) -> pd.DataFrame:
    """One day's detractors by cause in plain words: how many it is the main cause of, that
    as a share of all detractors, and how many it played a part for."""
    if not isinstance(result, Results):
        raise ValueError(f"cause_table needs one day's Results, got {type(result).__name__}")
    causes = result.detractor_causes()
    return pd.DataFrame(
        {
            "main cause for": [_detractors(n) for n in causes["main_cause"]],
            "share of detractors": [plain_value("detractors", v) for v in causes["share"]],
            "played a part for": [_detractors(n) for n in causes["any_cause"]],
        },
        index=pd.Index([CAUSE_LABELS[c] for c in causes.index], name=""),
    )


def _detractors(n: int) -> str:
    return f"{n} detractor" if n == 1 else f"{n} detractors"


def cause_sentence(result: Results, cause: str) -> str:
    """How many of one day's detractors ``cause`` is the main cause of, in one sentence."""
    if not isinstance(result, Results):
        raise ValueError(f"cause_sentence needs one day's Results, got {type(result).__name__}")
    if cause not in CAUSE_LABELS:
        raise ValueError(f"cause {cause!r} is not allowed; expected one of {list(CAUSE_LABELS)}")
    causes = result.detractor_causes()
    total = int(causes["main_cause"].sum())
    share = plain_value("detractors", causes.at[cause, "share"])
    return (
        f"{CAUSE_LABELS[cause]}: the main cause for {causes.at[cause, 'main_cause']} of "
        f"{total} detractors ({share})"
    )


def scorecard(result: Replications | Comparison, brief: Brief) -> pd.DataFrame:
    """The brief's few KPIs in plain words, for one set-up or for each of a comparison's.

    One row per KPI (the objective first), one column per set-up with its mean, and what the
    brief asks; a constraint's cell says whether the mean meets it, and a last row whether
    every constraint is met.
    """
    kpis = brief.kpis()
    if isinstance(result, Replications):
        means = {result.scenario.name: result.summary["mean"]}
    elif isinstance(result, Comparison):
        summary = result.summary["mean"]
        means = {name: summary.loc[name] for name in result.scenarios}
    else:
        raise ValueError(
            f"scorecard needs Replications or a Comparison, got {type(result).__name__}"
        )
    asks: dict[str, list[str]] = {k: [] for k in kpis}
    asks[brief.objective_kpi].append(
        "as high as possible" if brief.maximize else "as low as possible"
    )
    for text in brief.constraints:
        kpi, op, bound = parse_constraint(text)
        asks[kpi].append(f"{PLAIN_OPERATORS[op]} {plain_value(kpi, bound)}")
    columns: dict[str, list[str]] = {}
    for name, mean in means.items():
        met = brief.met(mean)
        cells = []
        for kpi in kpis:
            checks = [ok for text, ok in met.items() if parse_constraint(text)[0] == kpi]
            mark = "" if not checks else (" (meets it)" if all(checks) else " (misses it)")
            cells.append(plain_value(kpi, mean[kpi]) + mark)
        cells.append("yes" if all(met.values()) else "no")
        columns[name] = cells
    columns["the brief asks"] = [" and ".join(asks[k]) for k in kpis] + ["every limit met"]
    labels = [KPI_LABELS[k] for k in kpis] + ["Meets the brief"]
    return pd.DataFrame(columns, index=pd.Index(labels, name=""))


def scoreboard_table(board: Scoreboard, *, today: bool = True) -> pd.DataFrame:
    """The challenge's scoreboard in plain words: one row per design in rank order, its rank
    ("1 (tie)"; "out" when not valid), the brief's KPIs and why a design is out; then, unless
    ``today`` is False, the brief's base as it is today."""
    table, brief = board.table, board.brief
    columns: dict[str, list[str]] = {
        "rank": [
            f"{rank}{' (tie)' if tied else ''}" if ok else "out"
            for rank, tied, ok in zip(table["rank"], table["tied"], table["valid"], strict=True)
        ]
    }
    for kpi in brief.kpis():
        columns[KPI_LABELS[kpi]] = [plain_value(kpi, v) for v in table[kpi]]
    columns["detractors mostly about"] = [_top_cause(row) for _, row in table.iterrows()]
    columns["why it is out"] = [reason or "" for reason in table["reason"]]
    names = list(table.index)
    if today:
        means = board.comparison.summary.loc[TODAY]["mean"]
        columns["rank"].append("")
        for kpi in brief.kpis():
            columns[KPI_LABELS[kpi]].append(plain_value(kpi, means[kpi]))
        columns["detractors mostly about"].append(_top_cause(means))
        columns["why it is out"].append("(the brief's base, for reference)")
        names.append(TODAY)
    return pd.DataFrame(columns, index=pd.Index(names, name="design"))


def _top_cause(means: pd.Series) -> str:
    """The largest main cause of detractors and its share of them: 'Process (51 %)'."""
    shares = {c: means[f"detractors_{c}"] for c in CAUSE_NAMES}
    top = max(shares, key=lambda c: -1.0 if math.isnan(shares[c]) else shares[c])
    if math.isnan(shares[top]):
        return "no detractors"
    return f"{CAUSE_NAMES[top]} ({plain_value('detractors', shares[top])})"


#: Constraint operators as a participant reads them.
PLAIN_OPERATORS = {"<=": "at most", ">=": "at least", "<": "below", ">": "above"}


def kpi_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """KPI columns rounded for their units, other columns as they are."""
    return frame.apply(
        lambda col: [fmt(v, unit_of(col.name)) for v in col] if col.name in KPI_INFO else col
    )


__all__ = [
    "CAUSE_LABELS",
    "DECIMALS",
    "HEADLINE_KPIS",
    "as_text",
    "cause_sentence",
    "cause_table",
    "change_sentence",
    "check_kpis",
    "comparison_table",
    "fmt",
    "interval_note",
    "kpi_columns",
    "kpi_table",
    "mean_sentence",
    "plain_table",
    "plain_value",
    "rounded",
    "scoreboard_table",
    "scorecard",
    "unit_of",
]
