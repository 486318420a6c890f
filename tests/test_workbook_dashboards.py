"""Every dashboard a workbook shows, built headlessly from the workbook's own code.

The code cells of each workbook run here, in order, in one namespace (as a kernel would run
them). Each Dashboard they build (a Lab holds one) then gets a lever moved programmatically,
and its displayed NPS and KPIs must become what ``simulate`` gives for that scenario.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from pathlib import Path

import ipywidgets as widgets
import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from servicesim import simulate
from servicesim.widgets import Dashboard, Lab
from servicesim.widgets.dashboard import tile_text

WORKBOOKS = Path(__file__).resolve().parent.parent / "workbooks"
NOTEBOOKS = sorted(WORKBOOKS.glob("*.ipynb"))

pytestmark = pytest.mark.slow


def run_workbook(path: Path, folder: Path) -> dict:
    """Execute the workbook's code cells in order, in ``folder``, up to the last one that
    builds a panel; return their namespace.

    The checked cells (``# NBVAL_CHECK_OUTPUT``) are left out: they print tables that nbval
    already compares, and no dashboard may depend on them (the test fails if one does). The
    cells after the last panel cannot change it (nbval runs them all).
    """
    namespace: dict = {"__name__": "__workbook__"}
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    code = [s for s in code if not s.startswith("# NBVAL_CHECK_OUTPUT")]
    builds = [i for i, s in enumerate(code) if "Dashboard(" in s or "Lab(" in s]
    with contextlib.chdir(folder), contextlib.redirect_stdout(io.StringIO()):
        for source in code[: builds[-1] + 1 if builds else len(code)]:
            exec(source, namespace)
    plt.close("all")
    return namespace


def dashboards_in(namespace: dict) -> list[tuple[str, Dashboard]]:
    found = []
    for name, value in namespace.items():
        if isinstance(value, Dashboard):
            found.append((name, value))
        elif isinstance(value, Lab):
            found.append((f"{name}.dashboard", value.dashboard))
    return found


def another_value(control: widgets.Widget):
    """A different value the learner could choose with this control."""
    if isinstance(control, widgets.Checkbox):
        return not control.value
    if isinstance(control, widgets.SelectionSlider | widgets.Dropdown):
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        i = values.index(control.value)
        return values[i - 1] if i > 0 else values[i + 1]
    step = control.step
    up = control.value + 2 * step
    value = up if up <= control.max else control.value - 2 * step
    return round(value, 10) if isinstance(control, widgets.FloatSlider) else value


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_each_dashboard_shows_what_simulate_gives(path: Path, tmp_path: Path) -> None:
    namespace = run_workbook(path, tmp_path)
    found = dashboards_in(namespace)
    assert found, f"{path.name} builds no dashboard"
    for name, dash in found:
        assert dash.error.value == "", f"{path.name} {name}: {dash.error.value}"
        lever = next(iter(dash.controls))
        control = dash.controls[lever]
        value = another_value(control)
        assert dash.scenario == dash.base, f"{path.name} {name}: levers moved before the test"
        dash.set_lever(lever, value)
        assert dash.error.value == "", f"{path.name} {name}: {dash.error.value}"
        scenario = dash.base.replace(**{lever: value})
        runs = [
            simulate(scenario, seed=dash.seed, replication=r).kpis for r in range(dash.replications)
        ]
        for kpi in ("nps", "service_level", "asa_seconds", "fcr", "enps"):
            want = float(np.nanmean([run[kpi] for run in runs]))
            got = dash.kpis[kpi]
            same = (math.isnan(want) and math.isnan(got)) or got == pytest.approx(want, rel=1e-12)
            assert same, f"{path.name} {name}: {lever}={value!r}: {kpi} {got} != {want}"
        nps = float(np.mean([run["nps"] for run in runs]))
        assert f">{nps:.1f}<" in dash.nps_html.value, f"{path.name} {name}: NPS not displayed"
        shown = tile_text("service_level", float(np.mean([r["service_level"] for r in runs])))
        assert shown in dash.tiles_html.value
        plt.close("all")
