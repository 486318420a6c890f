"""The table challenge on the projector: teams' designs collected in one folder, scored at once.

Each team uploads its design (a scenario TOML file) from its own browser page of the lab; the
designs land in one folder on the machine that serves the lab, so the facilitator's page sees
them all. *Score the designs* runs :func:`servicesim.challenge.score` on every design in the
folder and shows the scoreboard (the table in plain words and the figure). What a team typed
(file names, scenario names) is shown as text, never as markup.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display
from matplotlib.figure import Figure

from .. import briefs
from ..brief import Brief
from ..challenge import TODAY, Scoreboard, score
from ..checks import DEFAULT_SEED, check_replications, check_seed
from ..files import safe_file_name
from ..loading import load, loads
from ..plots import scoreboard_figure
from ..scenario import Scenario, field_label
from ..tables import scoreboard_table
from .controls import button
from .static import LIVE_ONLY, display_with_static

#: The largest design file accepted (a design is a few lines of TOML).
MAX_DESIGN_BYTES = 64 * 1024
#: The scoreboard table as the projector shows it: large, ruled, one design a row.
BOARD_CSS = (
    ".scoreboard{border-collapse:collapse;font-size:16px;margin:8px 0}"
    ".scoreboard th,.scoreboard td{padding:6px 14px;text-align:left;"
    "border-bottom:1px solid #c9d2dc}"
    ".scoreboard thead th{background:#eef2f6}"
)
#: At most this many designs are scored at once (a room of tables).
MAX_DESIGNS = 30


class ChallengeBoard:
    """Collect designs into ``folder`` and score them against ``brief`` (a shipped brief's
    name or a :class:`~servicesim.brief.Brief`); every button also has a method."""

    def __init__(
        self,
        brief: str | Brief = "northbrook",
        folder: str | Path = "challenge-designs",
        *,
        replications: int = 10,
        seed: int = DEFAULT_SEED,
    ) -> None:
        self.brief = briefs.load(brief) if isinstance(brief, str) else brief
        if not isinstance(self.brief, Brief):
            raise ValueError(f"brief must be a shipped brief's name or a Brief, got {brief!r}")
        self.folder = Path(folder)
        self.replications = check_replications(replications)
        self.seed = check_seed(seed)
        self.board: Scoreboard | None = None
        self.figure: Figure | None = None
        self._build()

    # --- what the buttons do --------------------------------------------------------------

    def add_design(self, text: str, filename: str, overwrite: bool = False) -> Path:
        """Check an uploaded design and save it into the folder as ``<name>.toml``, where the
        name is the file's stem reduced to letters, digits, '-' and '_'."""
        if len(text.encode("utf-8")) > MAX_DESIGN_BYTES:
            raise ValueError(
                f"design {filename} is larger than {MAX_DESIGN_BYTES // 1024} KB; a design "
                "is a few lines of TOML"
            )
        name = safe_file_name(Path(filename).stem)
        if name == TODAY:
            raise ValueError(
                f"design {filename}: the name {TODAY!r} is the brief's base; rename it"
            )
        loads(text, source=f"design {filename}")  # a broken design is refused before saving
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{name}.toml"
        if path.exists() and not overwrite:
            raise FileExistsError(
                f"a design called {name!r} is already in; tick 'replace' to replace it"
            )
        path.write_text(text, encoding="utf-8")
        self._show_designs()
        return path

    def designs(self) -> dict[str, Scenario]:
        """Every design in the folder, by file stem, in name order."""
        files = sorted(self.folder.glob("*.toml")) if self.folder.is_dir() else []
        if len(files) > MAX_DESIGNS:
            raise ValueError(f"{len(files)} designs are in {self.folder}; at most {MAX_DESIGNS}")
        return {path.stem: load(path) for path in files}

    def score(self) -> Scoreboard:
        """Score every design in the folder and show the scoreboard."""
        designs = self.designs()
        if not designs:
            raise ValueError(f"no designs yet: upload them, or put .toml files in {self.folder}")
        self.board = score(self.brief, designs, self.replications, self.seed)
        self._show_board()
        return self.board

    # --- the panel ----------------------------------------------------------------------

    def _build(self) -> None:
        w = widgets
        self.upload = w.FileUpload(
            accept=".toml", multiple=True, description="Upload designs", layout={"width": "auto"}
        )
        self.upload.observe(self._uploaded, names="value")
        self.replace = w.Checkbox(value=False, description="replace", indent=False)
        self.score_button = button("Score the designs", button_style="primary", icon="trophy")
        self.score_button.on_click(lambda _: self._guarded(self._score_clicked))
        self.message = w.HTML()
        self.designs_html = w.HTML()
        self.table_html = w.HTML()
        self.output = w.Output()
        brief = self.brief
        intro = w.HTML(
            f"<b>{html.escape(brief.name)}</b>: {html.escape(brief.says)}<br><small>Each team "
            f"uploads its design (a scenario file). Designs may change only: "
            f"{html.escape(', '.join(field_label(lever) for lever in brief.levers))}. Scored on "
            f"the same {self.replications} "
            "simulated days each.</small>"
        )
        self.widget = w.VBox(
            [
                intro,
                w.HBox([self.upload, self.replace]),
                self.designs_html,
                self.score_button,
                self.message,
                self.table_html,
                self.output,
            ]
        )
        self._show_designs()

    def _guarded(self, action) -> None:
        self.message.value = ""
        try:
            action()
        except (ValueError, OSError) as err:
            self.message.value = f'<span style="color:#8a1c12">⚠ {html.escape(str(err))}</span>'

    def _uploaded(self, change: dict) -> None:
        for item in change["new"]:
            content = bytes(item["content"])
            self._guarded(lambda c=content, n=item["name"]: self._add_bytes(c, n))

    def _add_bytes(self, content: bytes, filename: str) -> None:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"design {filename} is not UTF-8 text") from None
        self.add_design(text, filename, overwrite=self.replace.value)

    def _score_clicked(self) -> None:
        self.message.value = "<i>Scoring the designs…</i>"
        self.score()
        self.message.value = ""

    def _show_designs(self) -> None:
        names = sorted(p.stem for p in self.folder.glob("*.toml")) if self.folder.is_dir() else []
        listed = ", ".join(html.escape(n) for n in names) or "none yet"
        self.designs_html.value = f"<small>Designs in: {listed}</small>"

    def _show_board(self) -> None:
        assert self.board is not None
        table = scoreboard_table(self.board).to_html(border=0, escape=True, classes="scoreboard")
        self.table_html.value = f"<style>{BOARD_CSS}</style>{table}"
        self.figure = scoreboard_figure(self.board)
        self.output.clear_output(wait=True)
        with self.output:
            display(self.figure)
        plt.close(self.figure)

    def _ipython_display_(self) -> None:
        display_with_static(
            self.widget,
            f"<p><b>The table challenge.</b> <i>{LIVE_ONLY}</i> Or score the designs with "
            "<code>servicesim challenge</code>.</p>",
        )


__all__ = ["MAX_DESIGNS", "MAX_DESIGN_BYTES", "ChallengeBoard"]
