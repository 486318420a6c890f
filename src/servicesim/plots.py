"""Matplotlib figures from Results: the day's queue and waits, the scores, the detractor causes.

Every function takes the replications of one scenario (a list of Results), draws on the Axes
it is given (or a new one) and returns that Axes, so notebooks, widgets and reports share them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from .behaviour import CAUSE_NAMES, CAUSES
from .challenge import TODAY, Scoreboard
from .days import TrustByDay
from .escaping import as_label
from .experiment import Comparison
from .kpis import KPI_LABELS, unit_of
from .results import Results
from .scenario import INTERVAL_MINUTES, Scenario

#: Promoters, passives, detractors: Okabe-Ito blue, grey and vermillion, told apart under the
#: common colour-vision deficiencies too (tests/test_widgets.py simulates them).
PROMOTER, PASSIVE, DETRACTOR = "#0072B2", "#BBBBBB", "#D55E00"
QUEUE, WAIT = "#2f6db5", "#e08a1e"


def day_series(runs: Sequence[Results]) -> pd.DataFrame:
    """Per 15 minutes, mean over the runs: customers waiting and the mean wait of those who
    joined the queue then (seconds)."""
    frames = []
    for r in runs:
        series = r.intervals.set_index("end_minutes")[["queue_length"]]
        c = r.contacts
        queued = c[c.queued_minutes.notna() & (c.channel != "checkin")]
        slot = (np.floor(queued.queued_minutes / INTERVAL_MINUTES) + 1) * INTERVAL_MINUTES
        waits = (queued.wait_minutes * 60.0).groupby(slot.to_numpy()).mean()
        series["wait_seconds"] = waits.reindex(series.index)
        frames.append(series)
    mean = pd.concat(frames).groupby(level=0).mean()
    mean.index = mean.index / 60.0
    mean.index.name = "hour"
    return mean


def queue_and_waits(
    runs: Sequence[Results],
    pinned: Sequence[tuple[str, pd.DataFrame]] = (),
    ax: Axes | None = None,
) -> Axes:
    """Customers waiting (left axis) and their mean wait (right axis) over the day.

    ``pinned`` runs (label, :func:`day_series` frame) are drawn dashed for a before/after view.
    """
    ax = ax or _axes()
    right = ax.twinx()
    now = day_series(runs)
    ax.plot(now.index, now.queue_length, color=QUEUE, label="waiting now")
    right.plot(now.index, now.wait_seconds, color=WAIT, label="wait now")
    for label, series in pinned:
        shown = as_label(label)
        ax.plot(series.index, series.queue_length, color=QUEUE, ls="--", alpha=0.6, label=shown)
        right.plot(series.index, series.wait_seconds, color=WAIT, ls="--", alpha=0.6)
    ax.set_title("Queue and waits over the day")
    ax.set_xlabel("hour")
    ax.set_ylabel("customers waiting", color=QUEUE)
    right.set_ylabel("mean wait (s)", color=WAIT)
    ax.set_ylim(bottom=0)
    right.set_ylim(bottom=0)
    if pinned:
        ax.legend(loc="upper left", fontsize="small", frameon=False)
    return ax


def scores(runs: Sequence[Results]) -> np.ndarray:
    """Customers per score 0..10, over the runs, for issues that started after the warm-up."""
    counts = np.zeros(11, dtype=np.int64)
    for r in runs:
        issues = r.issues
        window = issues.first_arrival_minutes >= r.scenario.warmup_hours * 60.0
        scored = issues.score[window & (issues.score >= 0)].astype(int)
        counts += np.bincount(scored, minlength=11)
    return counts


def score_distribution(runs: Sequence[Results], ax: Axes | None = None) -> Axes:
    """The answers to the ultimate question, 0-10, coloured detractor / passive / promoter."""
    ax = ax or _axes()
    counts = scores(runs)
    share = counts / max(1, counts.sum())
    colours = [DETRACTOR] * 7 + [PASSIVE] * 2 + [PROMOTER] * 2
    ax.bar(range(11), share, color=colours)
    ax.set_xticks(range(11))
    ax.set_title("How likely to recommend us? (0-10)")
    ax.set_xlabel("score")
    ax.set_ylabel("share of customers")
    return ax


def detractor_causes(runs: Sequence[Results], ax: Axes | None = None) -> Axes:
    """Where to start fixing: detractors by main cause ("No cause" when nothing went wrong enough),
    as a share of all detractors."""
    ax = ax or _axes()
    counts = pd.Series(0, index=[*CAUSES, "none"], dtype=float)
    for r in runs:
        counts = counts.add(r.detractor_causes().main_cause, fill_value=0)
    share = (counts / counts.sum()) if counts.sum() else counts
    share = share.sort_values()
    ax.barh([CAUSE_NAMES[c] for c in share.index], share.to_numpy(), color=DETRACTOR)
    ax.set_title("Where to start fixing")
    ax.set_xlabel("share of detractors (main cause)")
    ax.set_xlim(0, 1)
    return ax


def cause_changes(comparison: Comparison, ax: Axes | None = None) -> Axes:
    """Where to start fixing, against the reference: each scenario's paired change in
    detractors per 100 customers by main cause, with 95 % interval whiskers."""
    ax = ax or _axes()
    changes = comparison.cause_changes()
    names = list(comparison.scenarios)[1:]
    rows = [*CAUSES, "none"]
    height = 0.8 / len(names)
    for k, name in enumerate(names):
        part = changes.loc[name].reindex(rows)
        y = np.arange(len(rows)) - 0.4 + height * (k + 0.5)
        errors = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
        ax.barh(y, part["mean"], height, xerr=errors, capsize=2, label=as_label(name))
    ax.set_yticks(range(len(rows)), [CAUSE_NAMES[c] for c in rows])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_title(as_label(f"Where to start fixing: change against {comparison.reference}"))
    ax.set_xlabel("change in detractors per 100 customers")
    ax.legend(fontsize="small", frameon=False)
    return ax


def cause_change_figure(comparison: Comparison) -> Figure:
    """:func:`cause_changes` on a figure of its own, sized to the number of scenarios."""
    fig, ax = plt.subplots(figsize=(6.5, 2.6 + 0.35 * len(comparison.scenarios)))
    cause_changes(comparison, ax=ax)
    fig.tight_layout()
    return fig


PANELS: dict[str, Callable[..., Axes]] = {
    "queue": queue_and_waits,
    "scores": score_distribution,
    "causes": detractor_causes,
}


def dashboard_figure(
    runs: Sequence[Results],
    panels: Sequence[str] = ("queue", "scores", "causes"),
    pinned: Sequence[tuple[str, pd.DataFrame]] = (),
) -> Figure:
    """The panels side by side in one figure (what the dashboard shows under its numbers).

    Made without pyplot, so a panel may draw it in its worker thread while a notebook cell
    runs: pyplot would hand the figure to that cell's output too.
    """
    fig = Figure(figsize=(4.3 * len(panels), 3.3))
    axes = fig.subplots(1, len(panels), squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=True):
        if panel == "queue":
            queue_and_waits(runs, pinned, ax=ax)
        else:
            PANELS[panel](runs, ax=ax)
    fig.tight_layout()
    return fig


def _axes() -> Axes:
    return plt.subplots(figsize=(5, 3.3))[1]


# --- sweeps --------------------------------------------------------------------------------


#: Panels a figure of a sweep over three or more parameters shows at most (one per value).
MAX_SWEEP_PANELS = 8
#: Cells per side up to which a heat map writes each cell's mean in it.
MAX_WRITTEN_CELLS = 12


def sweep_kpi(
    summary: pd.DataFrame, parameters: Sequence[str], kpi: str, *, paired: bool = False
) -> Figure:
    """A KPI over a sweep, in the shape a manager reads at a glance (shares as percentages):

    - one parameter, or ``paired`` lists: the mean at each point as a line, with its 95 %
      interval as a band;
    - two parameters: a heat map with the mean written in each cell;
    - three or more: heat maps of the two parameters that move the KPI most, one panel per
      value of the third (at most MAX_SWEEP_PANELS, evenly spread), any others held at their
      middle value; the title says which.

    ``summary`` is :meth:`SweepResult.summary`: one row per point, the parameters, each KPI's
    mean and its ``_ci_low`` / ``_ci_high`` columns.
    """
    if summary[kpi].isna().all():
        return _no_values(kpi)
    if paired or len(parameters) == 1:
        return _sweep_line(summary, list(parameters), kpi)
    if len(parameters) == 2:
        return _sweep_heatmaps(summary, parameters[0], parameters[1], kpi)
    rows, columns, panel, *others = _by_influence(summary, parameters, kpi)
    held = {name: _middle(_ordered_values(summary[name])) for name in others}
    part = summary
    for name, value in held.items():
        part = part[part[name] == value]
    return _sweep_heatmaps(part, rows, columns, kpi, panel=panel, held=held)


def param_label(name: str) -> str:
    """A swept parameter as an axis names it: its label, then its field name and unit."""
    spec = Scenario.specs()[name]
    unit = f", {spec.unit}" if spec.unit and spec.unit != name else ""
    return f"{spec.label or name} ({name}{unit})"


def _kpi_axis(kpi: str) -> tuple[str, float]:
    """A KPI's plain name with its unit, and the factor its values are shown at (shares: %)."""
    unit = unit_of(kpi)
    if unit == "share":
        return f"{KPI_LABELS[kpi]} (%)", 100.0
    shown = "" if unit in ("", "currency") else f" ({unit})"
    return KPI_LABELS[kpi] + shown, 1.0


def _value_text(value: object) -> str:
    """A parameter value as a person types it: 30, 1.5, true, new."""
    if isinstance(value, bool | np.bool_):
        return str(bool(value)).lower()
    if isinstance(value, float | np.floating):
        return f"{float(value):g}"
    return as_label(str(value))


def _is_numeric(values: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values)


def _ordered_values(values: pd.Series) -> list:
    """A parameter's values in the order an axis shows them: numbers ascending, else as swept."""
    unique = list(pd.unique(values))
    return sorted(unique) if _is_numeric(values) else unique


def _middle(values: list) -> object:
    return values[(len(values) - 1) // 2]


def _by_influence(summary: pd.DataFrame, parameters: Sequence[str], kpi: str) -> list[str]:
    """The parameters, the one that moves the KPI most first: each one's spread is the
    largest minus the smallest mean over its values (averaged over the other parameters);
    ties keep the sweep's order."""

    def spread(name: str) -> float:
        means = summary.groupby(name, sort=False)[kpi].mean()
        return float(means.max() - means.min()) if means.notna().any() else 0.0

    return sorted(parameters, key=lambda name: -spread(name))


def _title(kpi: str) -> str:
    return f"{KPI_LABELS[kpi]} over the sweep (mean of the replications)"


def _no_values(kpi: str) -> Figure:
    fig, ax = plt.subplots(figsize=(6, 2.5))
    ax.text(0.5, 0.5, f"No point of the sweep has a value for {KPI_LABELS[kpi]}", ha="center")
    ax.set_axis_off()
    ax.set_title(_title(kpi))
    return fig


def _sweep_line(summary: pd.DataFrame, parameters: list[str], kpi: str) -> Figure:
    """The mean at each point with its interval: against the parameter's values for one
    numeric parameter, else point by point with each point's values under it."""
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    label, scale = _kpi_axis(kpi)
    first = parameters[0]
    numeric = len(parameters) == 1 and _is_numeric(summary[first])
    ordered = summary.sort_values(first, kind="stable") if numeric else summary
    x = ordered[first].to_numpy(dtype=float) if numeric else np.arange(len(ordered))
    (line,) = ax.plot(x, ordered[kpi] * scale, marker="o", color=QUEUE, label="mean")
    line.set_gid("sweep-mean")
    band = ax.fill_between(
        x,
        ordered[f"{kpi}_ci_low"] * scale,
        ordered[f"{kpi}_ci_high"] * scale,
        color=QUEUE,
        alpha=0.2,
        label="95 % interval",
    )
    band.set_gid("sweep-interval")
    if not numeric:

        def tick(row: pd.Series) -> str:
            if len(parameters) == 1:
                return _value_text(row[first])
            return "\n".join(f"{name}={_value_text(row[name])}" for name in parameters)

        ticks = [tick(row) for _, row in ordered.iterrows()]
        ax.set_xticks(x, ticks, fontsize="small", rotation=90 if len(x) > 8 else 0)
    if len(parameters) == 1:
        ax.set_xlabel(param_label(first))
    else:
        ax.set_xlabel(f"point of the sweep ({', '.join(parameters)} change together)")
    ax.set_ylabel(label)
    ax.set_title(_title(kpi))
    ax.legend(frameon=False, fontsize="small")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _sweep_heatmaps(
    summary: pd.DataFrame,
    rows: str,
    columns: str,
    kpi: str,
    *,
    panel: str | None = None,
    held: dict[str, object] | None = None,
) -> Figure:
    """Heat maps of the KPI's mean over ``rows`` x ``columns``, one panel per value of
    ``panel`` (or one), on one colour scale; the mean is written in each cell."""
    label, scale = _kpi_axis(kpi)
    row_values, column_values = _ordered_values(summary[rows]), _ordered_values(summary[columns])
    panels: list[object] = [None]
    total = 1
    if panel is not None:
        every = _ordered_values(summary[panel])
        total = len(every)
        picks = np.unique(np.linspace(0, total - 1, min(total, MAX_SWEEP_PANELS)).round())
        panels = [every[int(i)] for i in picks]
    across = min(len(panels), 4)
    down = -(-len(panels) // across)
    fig, axes = plt.subplots(
        down,
        across,
        figsize=(6.5, 4.6) if panel is None else (1.0 + 3.4 * across, 1.4 + 3.0 * down),
        squeeze=False,
        layout="constrained",
    )
    shown = summary[kpi] * scale
    low, high = float(np.nanmin(shown)), float(np.nanmax(shown))
    if low == high:
        low, high = low - 1.0, high + 1.0
    cmap = plt.get_cmap("viridis").with_extremes(bad="#DDDDDD")
    images = []
    for k, (ax, value) in enumerate(zip(axes.flat, panels, strict=False)):
        part = summary if panel is None else summary[summary[panel] == value]
        grid = (
            part.set_index([rows, columns])[kpi]
            .unstack(columns)
            .reindex(index=row_values, columns=column_values)
            * scale
        )
        cells = grid.to_numpy(dtype=float)
        image = ax.imshow(cells, origin="lower", aspect="auto", cmap=cmap, vmin=low, vmax=high)
        images.append(image)
        ax.set_xticks(range(len(column_values)), [_value_text(v) for v in column_values])
        ax.set_yticks(range(len(row_values)), [_value_text(v) for v in row_values])
        if max(cells.shape) <= MAX_WRITTEN_CELLS:
            for (i, j), cell in np.ndenumerate(cells):
                if np.isnan(cell):
                    text, colour = "n/a", "black"
                else:  # viridis is light at the top of its scale
                    text = f"{cell:.3g}"
                    colour = "black" if (cell - low) / (high - low) > 0.55 else "white"
                written = ax.text(j, i, text, ha="center", va="center", fontsize=8, color=colour)
                written.set_gid(f"cell-{k}-{i}-{j}")
        if panel is not None:
            ax.set_title(f"{panel} = {_value_text(value)}", fontsize="medium")
    for ax in axes.flat[len(panels) :]:
        ax.set_axis_off()
    if panel is None:
        axes[0, 0].set_xlabel(param_label(columns))
        axes[0, 0].set_ylabel(param_label(rows))
        axes[0, 0].set_title(_title(kpi))
    else:
        fig.supxlabel(param_label(columns))
        fig.supylabel(param_label(rows))
        note = f"one panel per {panel}"
        if len(panels) < total:
            note += f" ({len(panels)} of its {total} values)"
        if held:
            values = ", ".join(f"{name} = {_value_text(v)}" for name, v in held.items())
            its = "its" if len(held) == 1 else "their"
            note += f"; held at {its} middle value: {values}"
        fig.suptitle(f"{_title(kpi)}\n{note}", fontsize="medium")
    fig.colorbar(images[0], ax=axes.ravel().tolist(), label=label)
    return fig


def frontier(
    summary: pd.DataFrame, cost: str = "cost_per_resolution", quality: str = "nps"
) -> Figure:
    """The productivity-quality frontier: every point's cost against its NPS, the best
    trade-offs (no other point both cheaper and better) joined by a line."""
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.scatter(summary[cost], summary[quality], color=PASSIVE, label="sweep points")
    edge = summary.loc[frontier_points(summary, cost, quality)]
    ax.plot(edge[cost], edge[quality], color=PROMOTER, marker="o", label="best trade-offs")
    ax.set_xlabel(cost.replace("_", " "))
    ax.set_ylabel("NPS" if quality == "nps" else quality)
    ax.set_title("Productivity-quality frontier")
    ax.legend(frameon=False, fontsize="small")
    fig.tight_layout()
    return fig


def frontier_points(summary: pd.DataFrame, cost: str, quality: str) -> list:
    """Index of the points on the frontier (no other point is both cheaper and better)."""
    ordered = summary.sort_values([cost, quality], ascending=[True, False])
    best, top = [], -np.inf
    for index, row in ordered.iterrows():
        if row[quality] > top:
            best.append(index)
            top = row[quality]
    return best


def staffing_curve(curve: pd.DataFrame, target: float) -> Figure:
    """Agents needed per hour: the Erlang A formula, the simulation, and the shift plan."""
    fig, ax = plt.subplots(figsize=(7, 3.8))
    hours = np.append(curve.index.to_numpy(), curve.index[-1] + 1)  # the last hour has an end

    def line(column: str) -> np.ndarray:
        values = curve[column].to_numpy(dtype=float)
        return np.append(values, values[-1])

    ax.step(hours, line("agents_erlang_a"), where="post", color=QUEUE, label="Erlang A formula")
    ax.step(hours, line("agents_simulated"), where="post", color=DETRACTOR, label="simulation")
    ax.step(hours, line("agents_planned"), where="post", color=PASSIVE, ls="--", label="planned")
    ax.set_xlabel("hour of the day")
    ax.set_ylabel("agents")
    ax.set_title(f"Agents needed to answer {100 * target:.0f} % of calls in time")
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, fontsize="small")
    fig.tight_layout()
    return fig


# --- trust over several days ---------------------------------------------------------------


def trust_over_days(trust: TrustByDay | pd.DataFrame) -> Figure:
    """Loyal customers' trust day by day: one line per scenario, each day's 95 % interval as a
    bar with caps (visible however narrow it is).

    ``trust`` is a :class:`TrustByDay` (from :func:`servicesim.trust_by_day`) or its
    ``summary`` frame (rows: day; columns: scenario, then mean / ci_low / ci_high).
    """
    summary = trust.summary if isinstance(trust, TrustByDay) else trust
    fig, ax = plt.subplots(figsize=(6.5, 4))
    days = summary.index.to_numpy()
    for name in summary.columns.unique(level="scenario"):
        part = summary[name]
        (line,) = ax.plot(days, part["mean"], marker="o", markersize=3, label=as_label(name))
        errors = [part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]]
        ax.errorbar(
            days,
            part["mean"],
            yerr=errors,
            fmt="none",
            ecolor=line.get_color(),
            capsize=5,
            elinewidth=1.5,
        )
    ax.set_xticks(days)
    ax.set_xlabel("Day")
    ax.set_ylabel("Loyal customers' trust in the company")
    ax.set_title("How loyal customers' trust moves from day to day")
    ax.legend(frameon=False, fontsize="small", title="bars: 95 % interval", title_fontsize="small")
    fig.tight_layout()
    return fig


# --- reports -------------------------------------------------------------------------------


def comparison_figure(comparison: Comparison, kpis: Sequence[str]) -> Figure:
    """A comparison at a glance: one panel per KPI, each scenario's mean as a bar with its
    95 % interval, shares as percentages, each panel titled with the KPI's plain name."""
    fig, axes = plt.subplots(1, len(kpis), figsize=(3.6 * len(kpis), 3.0), squeeze=False)
    names = list(comparison.scenarios)
    colours = [QUEUE, WAIT, PASSIVE, DETRACTOR][: len(names)] or [QUEUE]
    for ax, kpi in zip(axes[0], kpis, strict=True):
        rows = comparison.summary.xs(kpi, level="kpi").loc[names]
        scale = 100.0 if unit_of(kpi) == "share" else 1.0
        means = rows["mean"].to_numpy() * scale
        errors = [means - rows["ci_low"] * scale, rows["ci_high"] * scale - means]
        ax.bar(range(len(names)), means, yerr=errors, capsize=4, color=colours * len(names))
        ax.set_xticks(range(len(names)), [as_label(n) for n in names], rotation=15, ha="right")
        unit = "%" if scale == 100.0 else {"currency": "", "points": "points"}.get(unit_of(kpi), "")
        ax.set_title(KPI_LABELS[kpi] + (f" ({unit})" if unit else ""))
        ax.spines[["top", "right"]].set_visible(False)
    fig.suptitle("The comparison at a glance (bars: 95 % interval)", fontsize="medium")
    fig.tight_layout()
    return fig


# --- the table challenge -------------------------------------------------------------------


#: One colour per cause (Okabe-Ito: told apart under the common colour-vision deficiencies).
CAUSE_COLOURS = {
    "process": "#0072B2",
    "rules": "#E69F00",
    "presentation": "#CC79A7",
    "product": "#D55E00",
    "people": "#009E73",
    "none": "#BBBBBB",
}


def _short(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def scoreboard_figure(board: Scoreboard) -> Figure:
    """The challenge's scoreboard: each design's objective with its 95 % interval and rank
    (today's value as a dashed line), and beside it where its detractors come from."""
    table, brief = board.table, board.brief
    kpi = brief.objective_kpi
    names = list(table.index)
    fig, (score_ax, cause_ax) = plt.subplots(
        1, 2, figsize=(11, 2.4 + 0.45 * len(names)), sharey=True, width_ratios=[3, 2]
    )
    y = np.arange(len(names))
    means = table[kpi].to_numpy(dtype=float)
    errors = [means - table[f"{kpi}_ci_low"], table[f"{kpi}_ci_high"] - means]
    colours = [QUEUE if ok else PASSIVE for ok in table["valid"]]
    bars = score_ax.barh(y, means, xerr=errors, color=colours, capsize=3)
    for bar, ok in zip(bars, table["valid"], strict=True):
        if not ok:
            bar.set_hatch("//")
    labels = [
        f"rank {rank}{' (tie)' if tied else ''}" if ok else _short(f"out: {reason}")
        for rank, tied, ok, reason in zip(
            table["rank"], table["tied"], table["valid"], table["reason"], strict=True
        )
    ]
    score_ax.bar_label(bars, labels=[as_label(t) for t in labels], padding=6, fontsize=9)
    today = board.comparison.summary.at[(TODAY, kpi), "mean"]
    score_ax.axvline(today, color="black", ls="--", lw=1)
    top = blended_transform_factory(score_ax.transData, score_ax.transAxes)
    score_ax.text(today, 1.01, f"today {today:.3g}", transform=top, ha="center", fontsize=8)
    score_ax.set_yticks(y, [as_label(n) for n in names])
    score_ax.invert_yaxis()
    score_ax.set_xlim(0, 1.45 * max(float(np.nanmax(table[f"{kpi}_ci_high"])), today))
    better = "higher" if brief.maximize else "lower"
    score_ax.set_xlabel(f"{KPI_LABELS[kpi]} ({better} is better; bars: 95 % interval)")
    score_ax.set_title(as_label(f"Scoreboard: {brief.name}"), pad=16)
    left = np.zeros(len(names))
    for cause in (*CAUSES, "none"):
        per_100 = 100 * table["detractors"].to_numpy() * table[f"detractors_{cause}"].fillna(0.0)
        cause_ax.barh(y, per_100, left=left, label=CAUSE_NAMES[cause], color=CAUSE_COLOURS[cause])
        left += per_100.to_numpy()
    cause_ax.set_xlabel("detractors per 100 customers, by main cause")
    cause_ax.set_title("Where their detractors come from", pad=16)
    cause_ax.legend(
        frameon=False, fontsize="small", ncols=3, loc="upper center", bbox_to_anchor=(0.5, -0.22)
    )
    fig.tight_layout()
    return fig
