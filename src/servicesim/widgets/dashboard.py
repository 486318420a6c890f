"""The workshop dashboard: levers on the left, the NPS and KPIs on the right, plots beneath.

Each change of a lever runs the scenario once: ``replications`` simulated days with seeds
``(seed, 0..n-1)``, in this process (a pool's start-up costs more than the work). The numbers
shown are the means of ``simulate(scenario, seed, r).kpis`` over those days, and the NPS
interval is the t-interval over them, so anyone can reproduce them from the public API.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import pandas as pd

from .. import analytic, plots
from ..checks import DEFAULT_SEED, check_replications, check_seed
from ..experiment import confidence_table, simulate
from ..kpis import KPI_INFO, KPI_LABELS
from ..results import Results, kpi_frame
from ..scenario import Scenario
from ..tables import fmt
from .controls import button, row, scenario_from
from .controls import levers as make_levers
from .downloads import Download
from .latest import LatestOnly, Superseded
from .static import LIVE_ONLY, display_with_static, figure_html

#: Simulated days per change: about half a second for the baseline day on a laptop core.
DEFAULT_REPLICATIONS = 4
#: The most simulated days per change a live panel allows (more would not feel live).
MAX_REPLICATIONS = 50
#: The KPIs shown as tiles, in order, with the label a learner reads.
TILES = {
    kpi: KPI_LABELS[kpi]
    for kpi in (
        "service_level",
        "asa_seconds",
        "abandonment_rate",
        "fcr",
        "repeat_rate",
        "cost_per_resolution",
        "enps",
    )
}
#: Shares shown as percentages on the tiles.
PERCENT = {"service_level", "abandonment_rate", "fcr", "repeat_rate"}
PANELS = ("queue", "scores", "causes")
#: The charts' resolution in the panel: sharp on a projector, small enough to send quickly.
FIGURE_DPI = 80
TILE_STYLE = "border:1px solid #ddd;border-radius:4px;padding:2px 8px;min-width:9em"
#: Text that is not a number (labels, the interval): 7.5:1 on white.
MUTED = "#4a4a4a"
#: The NPS bar's parts: a shape as well as a colour (for colour-blind eyes and print), and the
#: text colour with at least 4.5:1 contrast on the part.
NPS_PARTS = {
    "detractors": ("▼", plots.DETRACTOR, "#000000"),
    "passives": ("●", plots.PASSIVE, "#000000"),
    "promoters": ("▲", plots.PROMOTER, "#ffffff"),
}


def tile_text(kpi: str, value: float) -> str:
    """A KPI as a learner reads it on a tile (shares as whole percentages)."""
    if value is None or math.isnan(value):
        return "n/a"
    if kpi in PERCENT:
        return f"{100 * value:.0f} %"
    unit = KPI_INFO[kpi][0]
    suffix = {"seconds": " s", "points": "", "currency": ""}.get(unit, f" {unit}")
    return fmt(value, unit) + suffix


def erlang_beside(scenario: Scenario, kpis: dict[str, float]) -> dict[str, Any] | None:
    """The textbook Erlang A (or C) figures for the same staffing, or None with a shift plan.

    For a pure queue (no bot, repeats, care, pressure, incidents or check-ins, exponential
    handle times: the ``erlang`` preset) the inputs are the scenario's own and the formula is
    exact. Otherwise it is applied to the load the agents actually saw in the simulation
    (contacts queued per hour and their mean handle time): an approximation.
    """
    s = scenario
    if isinstance(s.agents, tuple) or isinstance(s.arrivals_per_hour, tuple) or s.agents < 1:
        return None
    exact = (
        s.bot_share == 0
        and (s.resolution_probability == 1 or s.max_attempts == 1)
        and (s.retry_after_abandon == 0 or s.max_attempts == 1)
        and s.care_minutes == 0
        and not s.assure_step
        and s.pressure_sensitivity == 0
        and s.incidents_per_agent_day == 0
        and s.checkins_per_hour == 0
        and s.need_cv == 1
    )
    if exact:
        rate, handle = s.arrivals_per_hour, s.need_minutes
    else:
        hours = s.horizon_hours - s.warmup_hours
        rate, handle = kpis["queued"] / hours, kpis["mean_handle_minutes"]
        if not (rate > 0 and handle > 0):
            return None
    m = analytic.erlang_a_metrics(
        rate, handle, s.agents, s.patience_minutes, s.service_level_seconds
    )
    return {
        "exact": exact,
        "arrivals_per_hour": rate,
        "handle_minutes": handle,
        "service_level": m.service_level,
        "asa_seconds": m.asa_seconds,
        "abandonment_rate": m.p_abandon,
        "occupancy": m.occupancy,
        "formula": "Erlang C" if math.isinf(s.patience_minutes) else "Erlang A",
    }


@dataclass(frozen=True)
class PinnedRun:
    """A run kept for comparison: what changed, its KPIs and its day."""

    label: str
    scenario: Scenario
    kpis: dict[str, float]
    day: pd.DataFrame


class Dashboard:
    """Levers, headline numbers and plots for one scenario; pin runs to compare them."""

    def __init__(
        self,
        scenario: Scenario,
        levers: Sequence[str],
        *,
        replications: int = DEFAULT_REPLICATIONS,
        seed: int = DEFAULT_SEED,
        plots: Sequence[str] = PANELS,
        erlang: bool = True,
        run_button: bool = False,
    ) -> None:
        if not isinstance(scenario, Scenario):
            raise ValueError(f"scenario must be a Scenario, got {type(scenario).__name__}")
        replications = check_replications(replications, high=MAX_REPLICATIONS)
        unknown = [p for p in plots if p not in PANELS]
        if unknown:
            raise ValueError(f"plots={list(plots)!r} is not allowed; expected names from {PANELS}")
        self.base = scenario
        self.scenario = scenario
        self.replications = replications
        self.seed = check_seed(seed)
        self.panels = tuple(plots)
        self.erlang = erlang
        self.results: list[Results] = []
        self.kpis: dict[str, float] = {}
        self.nps_interval: tuple[float, float] = (math.nan, math.nan)
        self.runs = 0  # simulation batches run so far (one per change)
        self.pins: list[PinnedRun] = []
        #: Called (in the worker thread) each time the panel has shown a new answer.
        self.on_answer: list[Callable[[], None]] = []
        self.controls = make_levers(levers, scenario)
        self._latest = LatestOnly(self._work)
        self._build(run_button)
        if not run_button:
            for control in self.controls.values():
                control.observe(self._on_change, names="value")
        self.run()

    # --- running ----------------------------------------------------------------------

    def set_lever(self, name: str, value: Any) -> None:
        """Move a lever as a learner would; without a Run button this runs the scenario once
        and returns when its answer is shown."""
        if name not in self.controls:
            raise ValueError(
                f"{name!r} is not a lever of this dashboard; its levers: {', '.join(self.controls)}"
            )
        self.controls[name].value = value
        self.wait()

    def run(self) -> None:
        """Simulate the scenario the levers describe, show it, and return once it is shown."""
        self._latest.request()
        self.wait()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the panel shows the answer for the levers' values (False: timed out)."""
        return self._latest.wait(timeout)

    def _on_change(self, change: dict) -> None:
        self._latest.request()  # the kernel's thread returns at once for the next key press

    def _work(self, superseded: Superseded) -> None:
        """One answer in the worker thread: the first day's numbers, then all days, then the
        charts; it stops wherever a newer change is waiting, which runs next."""
        try:
            scenario = scenario_from(self.base, self.controls)
        except ValueError as err:
            self._show_error(f"That combination is not allowed: {err}")
            self._show_status()
            return
        self._show_numbers(self.kpis, (math.nan, math.nan), "stale")
        self.status.value = f"<i>⏳ Simulating {_days(self.replications)} for the new values…</i>"
        results: list[Results] = []
        try:
            for r in range(self.replications):
                if superseded():
                    return
                results.append(simulate(scenario, seed=self.seed, replication=r))
                if r == 0 and self.replications > 1:
                    self._show_numbers(dict(results[0].kpis), (math.nan, math.nan), "first")
            kpis = kpi_frame([r.kpis for r in results])
        except Exception as err:  # shown to the learner, not lost in the widget's log
            self._show_error(f"The simulation stopped: {type(err).__name__}: {err}")
            self._show_numbers(self.kpis, self.nps_interval, "settled")
            self._show_status()
            return
        nps = confidence_table(kpis[["nps"]]).loc["nps"]
        self.runs += 1
        self.scenario, self.results = scenario, results
        self.kpis = {k: float(v) for k, v in kpis.mean().items()}
        self.nps_interval = (float(nps["ci_low"]), float(nps["ci_high"]))
        self.error.value = ""
        self._show_numbers(self.kpis, self.nps_interval, "settled")
        self._show_erlang()
        if superseded():
            return
        self._show_plots()
        self._show_pins()
        self._show_status()
        for callback in self.on_answer:
            callback()

    # --- pins ---------------------------------------------------------------------------

    def pin(self) -> PinnedRun:
        """Keep the current run to compare later runs with it (once the levers' answer is in)."""
        self.wait()
        changed = [
            f"{name}={_short(getattr(self.scenario, name))}"
            for name in self.controls
            if getattr(self.scenario, name) != getattr(self.base, name)
        ]
        label = ", ".join(changed) or "start"
        label = f"#{len(self.pins) + 1} {label}"
        pinned = PinnedRun(label, self.scenario, dict(self.kpis), plots.day_series(self.results))
        self.pins.append(pinned)
        self._show_plots()
        self._show_pins()
        return pinned

    def clear_pins(self) -> None:
        self.pins.clear()
        self._show_plots()
        self._show_pins()

    def pinned_table(self) -> pd.DataFrame:
        """Pinned runs side by side: one column per run, one row per KPI (full precision)."""
        return pd.DataFrame({p.label: p.kpis for p in self.pins}, index=list(KPI_INFO))

    def pins_csv(self) -> str:
        """The pinned runs as CSV: one column per run, one row per KPI with its unit."""
        if not self.pins:
            raise ValueError("there are no pinned runs to export; pin a run first")
        table = self.pinned_table()
        table.insert(0, "unit", [KPI_INFO[k][0] for k in table.index])
        return table.rename_axis("kpi").to_csv()

    def export_pins(self, path: str | Path, overwrite: bool = False) -> Path:
        """Write the pinned runs to CSV (for scripts: the panel offers them as a download);
        an existing file is kept unless ``overwrite``."""
        text = self.pins_csv()
        path = Path(path)
        if path.exists() and not overwrite:
            raise FileExistsError(
                f"{path} already exists; choose another name or allow overwriting it"
            )
        path.write_text(text, encoding="utf-8")
        return path

    # --- the panel ----------------------------------------------------------------------

    def _build(self, run_button: bool) -> None:
        w = widgets
        lever_box = [row(c) for c in self.controls.values()]
        if run_button:
            run = button("Run", button_style="primary", icon="play")
            run.on_click(lambda _: self._latest.request())
            lever_box.append(run)
        self.status = w.HTML()
        pin = button("Pin this run", icon="thumb-tack")
        pin.on_click(lambda _: self.pin())
        clear = button("Clear pins", icon="trash")
        clear.on_click(lambda _: self.clear_pins())
        self.export_name = w.Text(
            value="pinned-runs.csv", description="File", layout={"width": "16em"}
        )
        self.export_name.observe(lambda _: self._offer_pins(), names="value")
        self.pins_download = Download("Download pins (CSV)", "Pin a run to download it.")
        left = w.VBox([w.HTML("<b>Levers</b>"), *lever_box, self.status])
        self.nps_html = w.HTML()
        self.tiles_html = w.HTML()
        self.erlang_html = w.HTML()
        self.error = w.HTML()
        right = w.VBox([self.error, self.nps_html, self.tiles_html], layout={"flex": "1 1 22em"})
        # A picture, not an Output: the worker thread may set an image, not display into one.
        self.figure = w.Image(format="png", layout={"max_width": "100%"})
        self.pinned_html = w.HTML()
        pins = w.HBox(
            [pin, clear, self.export_name, self.pins_download.widget],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.widget = w.VBox(
            [
                w.HBox([left, right], layout={"flex_flow": "row wrap"}),
                self.figure,
                self.erlang_html,
                pins,
                self.pinned_html,
            ]
        )

    def _show_status(self) -> None:
        self.status.value = f"<small>Mean of {_days(self.replications)}, seed {self.seed}</small>"

    def _show_error(self, message: str) -> None:
        self.error.value = (
            '<div style="background:#fdecea;color:#8a1c12;padding:6px 10px;border-radius:4px">'
            f"⚠ {html.escape(message)}<br><small>The numbers below are from the last run "
            "that worked.</small></div>"
        )

    def _show_numbers(self, k: dict[str, float], interval: tuple[float, float], state: str) -> None:
        """The NPS, its bar and the tiles; ``state`` says how far the answer is: "settled",
        "first" (one simulated day of several, more coming) or "stale" (from the values
        before the change, while the new ones run)."""
        if not k:
            return
        low, high = interval
        if state == "stale":
            ci = "⏳ updating: these numbers are from before the change"
        elif state == "first":
            ci = f"⏳ first simulated day of {self.replications}: the others are on their way"
        elif math.isfinite(low):
            ci = (
                f"95 % CI {fmt(low, 'points')} to {fmt(high, 'points')}, "
                f"from {_days(self.replications)}"
            )
        else:
            ci = "one simulated day: no interval"
        ink = "" if state == "settled" else f"color:{MUTED};font-style:italic;"
        bar = "".join(
            f'<div style="width:{100 * k[part]:.1f}%;background:{colour};color:{text};'
            f'padding:2px 4px;overflow:hidden;white-space:nowrap">{mark} {100 * k[part]:.0f} %'
            "</div>"
            for part, (mark, colour, text) in NPS_PARTS.items()
            if k[part] > 0
        )
        self.nps_html.value = (
            '<div style="font-size:15px">Net Promoter Score</div>'
            f'<div class="servicesim-nps" data-state="{state}" style="font-size:48px;'
            f'font-weight:bold;line-height:1.1;{ink}">{fmt(k["nps"], "points")}</div>'
            f'<div style="color:{MUTED}">{ci}</div>'
            f'<div style="display:flex;width:100%;max-width:28em;margin:6px 0">{bar}</div>'
            f'<div style="font-size:12px;color:{MUTED}">{NPS_PARTS["detractors"][0]} detractors '
            f"(0-6) · {NPS_PARTS['passives'][0]} passives (7-8) · {NPS_PARTS['promoters'][0]} "
            "promoters (9-10)</div>"
        )
        self.tiles_html.value = (
            '<div style="display:flex;flex-wrap:wrap;gap:6px">'
            + "".join(
                f'<div style="{TILE_STYLE}">'
                f'<div style="font-size:12px;color:{MUTED}">{label}</div>'
                f'<div style="font-size:19px;{ink}">{tile_text(kpi, k[kpi])}</div></div>'
                for kpi, label in TILES.items()
            )
            + "</div>"
        )

    def _show_erlang(self) -> None:
        if not self.erlang:
            self.erlang_html.value = ""
            return
        e = erlang_beside(self.scenario, self.kpis)
        if e is None:
            self.erlang_html.value = (
                "<small>Erlang formulas: not shown, they need one head count and one arrival "
                "rate for the whole day (this scenario has a shift plan).</small>"
            )
            return
        how = (
            "exact for this queue"
            if e["exact"]
            else f"approximation for the load the agents saw: {e['arrivals_per_hour']:.0f} "
            f"contacts/h of {e['handle_minutes']:.2f} min"
        )
        cell = 'style="padding:2px 14px 2px 0;text-align:left"'
        rows = "".join(
            f"<tr><td {cell}>{TILES[kpi]}</td><td {cell}>{tile_text(kpi, self.kpis[kpi])}</td>"
            f"<td {cell}>{tile_text(kpi, e[kpi])}</td></tr>"
            for kpi in ("service_level", "asa_seconds", "abandonment_rate")
        )
        self.erlang_html.value = (
            f'<table style="margin-top:6px"><tr><th {cell}></th><th {cell}>simulated</th>'
            f"<th {cell}>{e['formula']}</th></tr>{rows}</table><small>{e['formula']}: the "
            f"textbook formula for {self.scenario.agents} agents, {how}.</small>"
        )

    def _show_plots(self) -> None:
        pinned = [(p.label, p.day) for p in self.pins]
        figure = plots.dashboard_figure(self.results, self.panels, pinned)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=FIGURE_DPI)
        self.figure.value = buffer.getvalue()

    def _show_pins(self) -> None:
        self._offer_pins()
        if not self.pins:
            self.pinned_html.value = "<small>Pin a run to keep it here for comparison.</small>"
            return
        shown = [*TILES, "nps", "contacts", "cost_per_contact"]
        table = self.pinned_table().loc[shown]
        text = table.apply(lambda col: [tile_text(k, v) for k, v in col.items()])
        text["now"] = [tile_text(k, self.kpis[k]) for k in shown]
        text.index = [TILES.get(k, k.replace("_", " ")) for k in shown]
        self.pinned_html.value = "<b>Pinned runs</b>" + text.to_html(border=0, escape=True)

    def _offer_pins(self) -> None:
        if not self.pins:
            self.pins_download.withdraw("Pin a run to download it.")
            return
        runs = f"{len(self.pins)} pinned run{'s' * (len(self.pins) > 1)}, every KPI"
        self.pins_download.offer_named(
            "File", self.export_name.value, ".csv", self.pins_csv, "text/csv", runs
        )

    def _ipython_display_(self) -> None:
        display_with_static(self.widget, self.static_html())

    def static_html(self) -> str:
        """The panel as a static page shows it: the levers' values, the tiles and the charts."""
        levers = ", ".join(
            f"{html.escape(c.description)} = {html.escape(_short(c.value))}"
            for c in self.controls.values()
        )
        tiles = "".join(
            f"<tr><td>{html.escape(label)}</td><td>{html.escape(tile_text(kpi, self.kpis[kpi]))}"
            "</td></tr>"
            for kpi, label in {**TILES, "nps": KPI_LABELS["nps"]}.items()
        )
        pinned = [(p.label, p.day) for p in self.pins]
        chart = figure_html(plots.dashboard_figure(self.results, self.panels, pinned))
        return f"<p><b>Levers:</b> {levers}. <i>{LIVE_ONLY}</i></p><table>{tiles}</table>{chart}"


def _days(n: int) -> str:
    return f"{n} simulated day{'s' * (n > 1)}"


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple):
        return "plan"
    return str(value)
