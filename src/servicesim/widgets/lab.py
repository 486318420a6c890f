"""The what-if lab: load a preset or a scenario file, change levers, compare set-ups, export.

For managers (workbook 7, and the Voilà app): the scenario being edited is shown live in a
:class:`Dashboard`; "Add to comparison" keeps it under a name; "Compare" runs every kept
scenario on the same replications (common random numbers) and shows each KPI's paired
difference to the first with its confidence interval.
"""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display
from matplotlib.figure import Figure

from .. import plots
from ..checks import DEFAULT_SEED, check_replications, check_seed
from ..experiment import Comparison, compare
from ..files import LAB_FOLDER, check_file_free
from ..kpis import HEADLINE_KPIS, check_kpis
from ..loading import load, loads, preset_names
from ..scenario import Scenario
from ..tables import kpi_table, plain_table
from .challenge import ChallengeBoard
from .controls import button, scenario_from
from .dashboard import Dashboard
from .downloads import Download
from .static import LIVE_ONLY, display_with_static

#: Levers a manager meets first; any Scenario field may be listed instead.
LAB_LEVERS = (
    "arrivals_per_hour",
    "agents",
    "handle_target_minutes",
    "care_minutes",
    "bot_share",
    "always_offer_human",
    "accountability",
    "team_trust",
)


def lab_folder() -> Path:
    """Where the lab keeps what a room uploads: the folder ``servicesim lab`` was started
    in, or the current folder in a notebook."""
    return Path(os.environ.get(LAB_FOLDER) or ".")


#: KPIs in the comparison table.
LAB_KPIS = HEADLINE_KPIS
MAX_SCENARIOS = 8


class Lab:
    """A what-if lab panel; every button also has a method, for scripts and tests."""

    def __init__(
        self,
        start: str | Scenario = "baseline",
        levers: Sequence[str] = LAB_LEVERS,
        *,
        replications: int = 10,
        seed: int = DEFAULT_SEED,
        dashboard_replications: int = 4,
        kpis: Sequence[str] = LAB_KPIS,
        challenge_folder: str | Path | None = None,
    ) -> None:
        self.levers = tuple(levers)
        self.replications = check_replications(replications)
        self.seed = check_seed(seed)
        self.dashboard_replications = dashboard_replications
        self.kpis = check_kpis(kpis)
        self.candidates: dict[str, Scenario] = {}
        self.comparison: Comparison | None = None
        self.causes_chart: Figure | None = None  # the last "where to start fixing" change chart
        folder = (
            lab_folder() / "challenge-designs" if challenge_folder is None else challenge_folder
        )
        self.challenge = ChallengeBoard(
            folder=folder, replications=self.replications, seed=self.seed
        )
        self._build()
        self.load(start)

    # --- what the buttons do --------------------------------------------------------------

    def load(self, source: str | Scenario) -> Scenario:
        """Start editing a preset (by name), a scenario file (by path) or a Scenario."""
        scenario = source if isinstance(source, Scenario) else load(str(source))
        self.dashboard = Dashboard(
            scenario,
            list(self.levers),
            replications=self.dashboard_replications,
            seed=self.seed,
            plots=("queue", "causes"),
        )
        self.name.value = scenario.name
        if scenario.name in self.preset.options:
            self.preset.value = scenario.name
        self.editor.children = [self.dashboard.widget]
        self.dashboard.on_answer.append(self._offer_scenario)
        self._offer_scenario()
        return scenario

    def load_file(self, name: str) -> Scenario:
        """Start editing the scenario file typed in the *File* box. On a lab served to a room
        (``servicesim lab``) that is a file in the lab's folder only: the box reads on the
        serving machine, and the room should not read its other files by path."""
        if not os.environ.get(LAB_FOLDER):
            return self.load(name)
        folder = lab_folder().resolve()
        path = (folder / name.strip()).resolve()
        if not name.strip() or not path.is_relative_to(folder):
            raise ValueError(
                f"File {name!r} is not allowed here: the lab opens files in {folder} only "
                "(no folders above it, no absolute paths); upload your file instead"
            )
        return self.load(str(path))

    def load_text(self, text: str | bytes, filename: str = "scenario") -> Scenario:
        """Start editing a scenario given as TOML text or bytes (an uploaded file): read in
        memory with a file's limits; its ``base`` may only be a preset."""
        return self.load(loads(text, source=f"uploaded file {filename!r}"))

    @property
    def scenario(self) -> Scenario:
        """The scenario as the levers describe it now, even while the panel is still
        simulating it (a ValueError if the levers make a combination that is not allowed)."""
        return scenario_from(self.dashboard.base, self.dashboard.controls)

    def add(self, name: str | None = None) -> str:
        """Keep the scenario being edited for the comparison, under ``name``."""
        name = (name or self.name.value or self.scenario.name).strip()
        if not name:
            raise ValueError("give the scenario a name before adding it")
        if name in self.candidates:
            raise ValueError(f"a scenario called {name!r} is already in the comparison")
        if len(self.candidates) >= MAX_SCENARIOS:
            raise ValueError(f"at most {MAX_SCENARIOS} scenarios can be compared at once")
        self.candidates[name] = self.scenario.replace(name=name)
        self._show_candidates()
        return name

    def remove(self, name: str) -> None:
        if name not in self.candidates:
            raise ValueError(f"no scenario called {name!r}; kept: {', '.join(self.candidates)}")
        del self.candidates[name]
        self._show_candidates()

    def compare(self) -> Comparison:
        """Run the kept scenarios on common random numbers; the first is the reference."""
        if len(self.candidates) < 2:
            raise ValueError("add at least two scenarios to compare")
        self.comparison = compare(self.candidates, self.replications, seed=self.seed)
        self._show_comparison()
        self._offer_comparison()
        return self.comparison

    def table(self) -> pd.DataFrame:
        """The comparison as shown: mean per scenario, paired difference to the first, CI."""
        if self.comparison is None:
            raise ValueError("nothing compared yet")
        return kpi_table(self.comparison, self.kpis)

    def comparison_csv(self) -> str:
        """The comparison as CSV: every KPI's mean and CI per scenario, and its paired
        difference to the first with that CI (full precision)."""
        if self.comparison is None:
            raise ValueError("nothing compared yet: press Compare first")
        summary = self.comparison.summary[["mean", "ci_low", "ci_high"]]
        differences = self.comparison.differences[["mean", "ci_low", "ci_high", "significant"]]
        return summary.join(differences.add_prefix("difference_")).to_csv()

    def export(self, path: str | Path, overwrite: bool = False) -> Path:
        """Write the comparison to CSV (for scripts: the panel offers it as a download);
        never overwrite unasked."""
        text = self.comparison_csv()
        path = _free(path, overwrite)
        path.write_text(text, encoding="utf-8")
        return path

    def scenario_toml(self) -> str:
        """The scenario being edited, under the name given, as a TOML file others can load."""
        return self.scenario.replace(name=self.name.value or self.scenario.name).toml_text()

    def save_scenario(self, path: str | Path, overwrite: bool = False) -> Path:
        """Save the scenario being edited as a TOML file (for scripts: the panel offers it
        as a download)."""
        return self.scenario.replace(name=self.name.value or self.scenario.name).to_toml(
            path, overwrite=overwrite
        )

    # --- the panel ----------------------------------------------------------------------

    def _build(self) -> None:
        w = widgets
        self.preset = w.Dropdown(options=preset_names(), description="Preset")
        load_preset = button("Load preset", icon="folder-open")
        load_preset.on_click(lambda _: self._guarded(lambda: self.load(self.preset.value)))
        self.path = w.Text(placeholder="my-team.toml", description="File")
        load_file = button("Load file", icon="file")
        load_file.on_click(lambda _: self._guarded(lambda: self.load_file(self.path.value)))
        self.upload = w.FileUpload(
            accept=".toml", multiple=False, description="Upload TOML", layout={"width": "auto"}
        )
        self.upload.observe(self._uploaded, names="value")
        self.name = w.Text(description="Name")
        add = button("Add to comparison", button_style="info", icon="plus")
        add.on_click(lambda _: self._guarded(self.add))
        clear = button("Clear", icon="trash")
        clear.on_click(lambda _: self._guarded(self._clear))
        run = button("Compare", button_style="primary", icon="play")
        run.on_click(lambda _: self._guarded(self._compare_clicked))
        self.file_name = w.Text(value="comparison.csv", description="Table file")
        self.comparison_download = Download(
            "Download the comparison (CSV)", "Press Compare first, then download the table."
        )
        self.file_name.observe(lambda _: self._offer_comparison(), names="value")
        self.scenario_file = w.Text(value="my-scenario.toml", description="TOML file")
        self.scenario_download = Download("Download the scenario (TOML)", "Load a scenario.")
        self.scenario_file.observe(lambda _: self._offer_scenario(), names="value")
        self.name.observe(lambda _: self._offer_scenario(), names="value")
        self.message = w.HTML()
        self.candidates_html = w.HTML()
        self.results_html = w.HTML()
        self.causes_figure = w.Output()
        self.editor = w.Box()
        self.widget = w.VBox(
            [
                w.HTML("<h3>1. Start from a preset or your own file</h3>"),
                w.HBox([self.preset, load_preset]),
                w.HBox([self.path, load_file, self.upload]),
                w.HTML("<h3>2. Change levers and watch the numbers</h3>"),
                self.editor,
                w.HTML("<h3>3. Keep set-ups and compare them</h3>"),
                w.HBox([self.name, add, clear]),
                self.candidates_html,
                run,
                self.message,
                self.results_html,
                self.causes_figure,
                w.HTML("<h3>4. Take the numbers with you</h3>"),
                w.HBox([self.file_name, self.comparison_download.widget]),
                w.HBox([self.scenario_file, self.scenario_download.widget]),
                w.HTML("<h3>5. The table challenge (for the projector)</h3>"),
                self.challenge.widget,
            ]
        )
        self._show_candidates()

    def _guarded(self, action) -> None:
        """Run a button's action; a mistake becomes a message in the panel, not a traceback."""
        self.message.value = ""
        try:
            action()
        except (ValueError, FileExistsError, OSError) as err:
            self.message.value = f'<span style="color:#8a1c12">⚠ {html.escape(str(err))}</span>'

    def _uploaded(self, change: dict) -> None:
        for item in change["new"]:
            content = bytes(item["content"])
            self._guarded(lambda c=content, n=item["name"]: self.load_text(c, n))

    def _clear(self) -> None:
        self.candidates.clear()
        self.comparison = None
        self._offer_comparison()
        self.results_html.value = ""
        self.causes_figure.clear_output()
        self._show_candidates()

    def _compare_clicked(self) -> None:
        n = len(self.candidates)
        self.message.value = (
            f"<i>⏳ Running {n} scenarios × {self.replications} simulated days…</i>"
        )
        self.compare()
        self.message.value = ""

    def _offer_comparison(self) -> None:
        if self.comparison is None:
            self.comparison_download.withdraw("Press Compare first, then download the table.")
            return
        what = (
            f"{len(self.comparison.scenarios)} set-ups × {self.replications} simulated days, "
            "every KPI with its 95 % interval"
        )
        self.comparison_download.offer_named(
            "Table file", self.file_name.value, ".csv", self.comparison_csv, "text/csv", what
        )

    def _offer_scenario(self) -> None:
        if not hasattr(self, "dashboard"):
            return
        what = f"the scenario as the levers set it now, named {self.name.value!r}"
        self.scenario_download.offer_named(
            "TOML file", self.scenario_file.value, ".toml", self.scenario_toml, "text/plain", what
        )

    def _show_candidates(self) -> None:
        if not self.candidates:
            self.candidates_html.value = "<small>No scenarios kept yet.</small>"
            return
        items = "".join(
            f"<li><b>{html.escape(name)}</b>{' (reference)' if i == 0 else ''}</li>"
            for i, name in enumerate(self.candidates)
        )
        self.candidates_html.value = f"<ol>{items}</ol>"

    def _show_comparison(self) -> None:
        assert self.comparison is not None
        table = plain_table(self.comparison, self.kpis)  # the names and formats of the report
        self.results_html.value = (
            f"<b>{self.replications} simulated days each, seed {self.seed}, common random "
            "numbers.</b> <small>Each change is against the first set-up kept: <i>clear</i> when "
            "its 95 % interval excludes 0 (the intervals: <i>Export comparison</i>).</small>"
            + table.to_html(border=0, escape=True)  # the names as typed, never markup
        )
        self.causes_chart = plots.cause_change_figure(self.comparison)
        self.causes_figure.clear_output(wait=True)
        with self.causes_figure:
            display(self.causes_chart)
        plt.close(self.causes_chart)

    def _ipython_display_(self) -> None:
        display_with_static(self.widget, f"<p><b>The what-if lab.</b> <i>{LIVE_ONLY}</i></p>")


def _free(path: str | Path, overwrite: bool) -> Path:
    try:
        return check_file_free(path, overwrite)
    except FileExistsError:
        raise FileExistsError(
            f"{path} already exists; choose another name or tick 'overwrite'"
        ) from None
