"""Score your own service breakdowns, then see them beside the model's "where to start fixing".

Workbook 6's group activity. Each participant names their latest service breakdowns and scores
each 1-10 on the five causes of the model (0, where a slider starts, for a cause that played no
part, so only what is scored counts). *Show my totals* draws their points per cause, as shares
of all their points, beside the model's share of detractors by main cause for one simulated
day. The comparison is the conversation: do the breakdowns we remember come from where the
model's detractors come from? What a participant types is shown as text, never as markup.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from ..behaviour import CAUSE_MEANINGS, CAUSE_NAMES, CAUSES
from ..checks import check_replications
from ..plots import DETRACTOR, QUEUE
from ..results import Results
from .controls import button
from .static import LIVE_ONLY, display_with_static

CAUSE_HELP = {cause: CAUSE_MEANINGS[cause] for cause in CAUSES}
NO_PART, HIGH_SCORE = 0, 10
MAX_BREAKDOWNS = 5
NAME_LENGTH = 60
PLACEHOLDER = "e.g. the billing mix-up last Tuesday"


class BreakdownScores:
    """``breakdowns`` (1-5) named breakdowns, each scored 1-10 per cause, beside ``result``'s
    detractors by main cause (one simulated day; without it, the participant's scores alone).

    Every score starts at 0 (played no part), so an untouched slider adds nothing.
    """

    def __init__(self, result: Results | None = None, *, breakdowns: int = 3) -> None:
        if result is not None and not isinstance(result, Results):
            raise ValueError(
                f"result must be a servicesim Results (simulate(scenario, seed=1)) or None, "
                f"got {type(result).__name__}"
            )
        self.result = result
        self.breakdowns = check_replications(breakdowns, "breakdowns", high=MAX_BREAKDOWNS)
        self.figure: Figure | None = None
        self._build()

    # --- what a participant does --------------------------------------------------------

    def set_score(self, breakdown: int, cause: str, score: int) -> None:
        """Score one breakdown (numbered from 1) on one cause, 1-10 (0: it played no part), as a
        participant would."""
        control = self.sliders[self._index(breakdown)][self._cause(cause)]
        control.value = check_replications(score, "score", low=NO_PART, high=HIGH_SCORE)

    def name_breakdown(self, breakdown: int, text: str) -> None:
        """Give a breakdown (numbered from 1) a short name, at most 60 characters."""
        if not isinstance(text, str):
            raise ValueError(f"name must be text, got {type(text).__name__}")
        if len(text) > NAME_LENGTH:
            raise ValueError(
                f"name of {len(text)} characters is not allowed; expected at most {NAME_LENGTH}"
            )
        self.names[self._index(breakdown)].value = text

    def totals(self) -> pd.Series:
        """The participant's points per cause, summed over the breakdowns, in CAUSES order."""
        points = [sum(row[c].value for row in self.sliders) for c in CAUSES]
        return pd.Series(points, index=pd.Index(CAUSES, name="cause"), name="points")

    def shares(self) -> pd.Series:
        """Each cause's share of all the participant's points (they add up to 1; NaN while
        nothing is scored)."""
        totals = self.totals()
        if totals.sum() == 0:
            return (totals * np.nan).rename("share")
        return (totals / totals.sum()).rename("share")

    def model_shares(self) -> pd.Series | None:
        """The model's share of detractors by main cause, in CAUSES order (None without a
        result; NaN when the day had no detractors)."""
        if self.result is None:
            return None
        return self.result.detractor_causes().share.reindex(list(CAUSES)).rename("share")

    def show(self) -> None:
        """What *Show my totals* does: the participant's shares beside the model's, drawn into
        the panel (and kept as ``figure``), and each side's biggest cause in words."""
        figure = self._draw()
        self.output.clear_output(wait=True)
        with self.output:
            display(figure)
        plt.close(figure)
        self.figure = figure
        self.summary.value = self._summary()

    # --- the panel ----------------------------------------------------------------------

    def _index(self, breakdown: int) -> int:
        return check_replications(breakdown, "breakdown", high=self.breakdowns) - 1

    def _cause(self, cause: str) -> str:
        key = cause.strip().lower() if isinstance(cause, str) else cause
        if key not in CAUSES:
            raise ValueError(f"cause={cause!r} is not allowed; expected one of {', '.join(CAUSES)}")
        return key

    def _build(self) -> None:
        w = widgets
        self.names: list[widgets.Text] = []
        self.sliders: list[dict[str, widgets.IntSlider]] = []
        sections = []
        for number in range(1, self.breakdowns + 1):
            name = w.Text(
                placeholder=PLACEHOLDER,
                description=f"Breakdown {number}",
                style={"description_width": "initial"},
                layout={"width": "32em"},
            )
            name.observe(_shorten, names="value")
            row = {
                cause: w.IntSlider(
                    value=NO_PART,
                    min=NO_PART,
                    max=HIGH_SCORE,
                    step=1,
                    description=CAUSE_NAMES[cause],
                    tooltip=f"{CAUSE_NAMES[cause]}: {CAUSE_HELP[cause]}",
                    style={"description_width": "7em"},
                    layout={"width": "24em"},
                )
                for cause in CAUSES
            }
            self.names.append(name)
            self.sliders.append(row)
            lines = [w.HBox([row[c], w.Label(f"— {CAUSE_HELP[c]}")]) for c in CAUSES]
            sections.append(w.VBox([name, *lines], layout={"margin": "0 0 10px 0"}))
        self.show_button = button("Show my totals", icon="bar-chart")
        self.show_button.on_click(lambda _: self.show())
        self.output = w.Output()
        self.summary = w.HTML()
        intro = w.HTML(
            "<b>Your latest service breakdowns.</b> Name each one, then score how much each "
            f"cause played a part, from 1 (a little) to {HIGH_SCORE} (the whole story); leave it "
            f"at {NO_PART} where it played no part."
        )
        self.widget = w.VBox([intro, *sections, self.show_button, self.output, self.summary])

    def _draw(self) -> Figure:
        model = self.model_shares()
        panels = 1 if model is None else 2
        fig, axes = plt.subplots(
            1, panels, figsize=(4.6 * panels, 2.9), sharex=True, sharey=True, squeeze=False
        )
        mine, ax = self.shares(), axes[0][0]
        _bars(ax, mine, QUEUE)
        ax.set_title("Your breakdowns")
        ax.set_xlabel("share of your points")
        ax.invert_yaxis()
        top = mine.fillna(0.0).max()
        if mine.isna().all():
            ax.text(0.5, 0.5, "nothing scored yet", transform=ax.transAxes, ha="center")
        if model is not None and self.result is not None:
            ax = axes[0][1]
            _bars(ax, model, DETRACTOR)
            ax.set_title("The model: where to start fixing")
            none = self.result.detractor_causes().share.get("none", 0.0)
            ax.set_xlabel(
                f"share of detractors (main cause);\n{100 * none:.0f} % had no main cause"
                if none > 0
                else "share of detractors (main cause)"
            )
            if model.isna().all():
                ax.text(0.5, 0.5, "no detractors this day", transform=ax.transAxes, ha="center")
            top = max(top, model.fillna(0.0).max())
        limit = 1.2 * top + 0.06
        ax.set_xlim(0, limit)
        ax.set_xticks(np.arange(0, min(limit, 1.0) + 1e-9, 0.1 if limit <= 0.6 else 0.2))
        fig.tight_layout()
        return fig

    def _summary(self) -> str:
        named = [html.escape(n.value.strip()) for n in self.names if n.value.strip()]
        scored = f"<div>Your breakdowns: {'; '.join(named)}</div>" if named else ""
        mine = self.shares()
        if mine.isna().all():
            return (
                "<div>Nothing scored yet: move a slider above 0 for each cause that "
                f"played a part.</div>{scored}"
            )
        text = f"Your biggest cause: {_leaders(mine)} ({100 * mine.max():.0f} % of your points)"
        model = self.model_shares()
        if model is not None and model.notna().any():
            text += f"; the model's: {_leaders(model)} ({100 * model.max():.0f} % of detractors)"
        return f"<div>{text}.</div>{scored}"

    def _ipython_display_(self) -> None:
        display_with_static(
            self.widget,
            "<p><b>Score your latest service breakdowns</b> on Process, Rules, Presentation, "
            f"Product and People, 1 to 10 each. <i>{LIVE_ONLY}</i></p>",
        )


def _bars(ax: Axes, shares: pd.Series, colour: str) -> None:
    labels = [CAUSE_NAMES[c] for c in shares.index]
    bars = ax.barh(labels, shares.fillna(0.0).to_numpy(), color=colour)
    text = ["n/a" if np.isnan(s) else f"{100 * s:.0f} %" for s in shares]
    ax.bar_label(bars, labels=text, padding=3, fontsize=9)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0, symbol=" %"))
    ax.spines[["top", "right"]].set_visible(False)


def _shorten(change: dict[str, Any]) -> None:
    if len(change["new"]) > NAME_LENGTH:
        change["owner"].value = change["new"][:NAME_LENGTH]


def _leaders(shares: pd.Series) -> str:
    names = [f"<b>{CAUSE_NAMES[c]}</b>" for c in shares.index if shares[c] == shares.max()]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
