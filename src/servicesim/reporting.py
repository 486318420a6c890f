"""Reports for managers: a parameterised notebook executed by papermill, rendered to HTML.

``render_report`` runs ``app/report.ipynb`` with the scenario, an optional comparison, the
number of simulated days and the seed, and writes one self-contained HTML file without code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from .experiment import compare
from .scenario import Scenario
from .tables import HEADLINE_KPIS

REPORT_NOTEBOOK = Path(__file__).parent / "app" / "report.ipynb"


def headline_kpis() -> list[str]:
    """The KPIs a report shows."""
    return list(HEADLINE_KPIS)


def describe(main: Scenario, other: Scenario | None, reps: int, seed: int) -> str:
    """The report's opening paragraph: what was simulated, how often, and what differs."""
    text = [
        f"**Scenario:** {main.name}. {main.description}",
        f"**Simulated:** {reps} days of {main.horizon_hours:g} hours"
        + (f" (after a {main.warmup_hours:g}-hour warm-up)" if main.warmup_hours else "")
        + f", seed {seed}.",
    ]
    if other is not None:
        changes = differences(main, other)
        listed = ", ".join(f"{k}: {a} → {b}" for k, (a, b) in changes.items()) or "nothing"
        text.append(f"**Compared with:** {other.name}. {other.description} Changes: {listed}.")
    return "\n\n".join(text)


def differences(a: Scenario, b: Scenario) -> dict[str, tuple[Any, Any]]:
    """Fields (other than name and description) whose values differ between two scenarios."""
    left, right = a.to_dict(), b.to_dict()
    return {
        k: (left[k], right[k])
        for k in left
        if k not in ("name", "description") and left[k] != right[k]
    }


def comparison_section(main: Scenario, other: Scenario | None, reps: int, seed: int) -> Any:
    """The comparison table, or a sentence saying there is nothing to compare."""
    if other is None:
        from IPython.display import Markdown

        return Markdown("No comparison scenario was given (`--vs`).")
    names = {main.name: main, f"{other.name} (vs)": other}
    return compare(names, n=reps, seed=seed).table(headline_kpis())


def render_report(
    scenario: str,
    out: str | Path,
    *,
    vs: str = "",
    reps: int = 20,
    seed: int = 0,
    overwrite: bool = False,
) -> Path:
    """Execute the report notebook and write it as HTML without code to ``out``."""
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    from . import presets

    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} already exists; choose another --out or pass --force")
    if out.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"--out {out} is not allowed; expected a file name ending in .html")
    # Check the inputs here, so a mistake is one clear line and not a failed notebook.
    presets.resolve(scenario)
    if vs:
        presets.resolve(vs)
    if isinstance(reps, bool) or not isinstance(reps, int) or not 2 <= reps <= 1000:
        raise ValueError(f"reps={reps!r} is not allowed; expected a whole number in [2, 1000]")
    parameters = {
        "scenario": _absolute(scenario),
        "vs": _absolute(vs) if vs else "",
        "reps": reps,
        "seed": seed,
    }
    with tempfile.TemporaryDirectory() as folder:
        executed = Path(folder) / "report.ipynb"
        papermill.execute_notebook(
            str(REPORT_NOTEBOOK),
            str(executed),
            parameters=parameters,
            progress_bar=False,
            cwd=folder,
        )
        notebook = nbformat.read(executed, as_version=4)
    exporter = HTMLExporter(
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True
    )
    html, _ = exporter.from_notebook_node(notebook)
    out.write_text(html, encoding="utf-8")
    return out


def _absolute(source: str) -> str:
    """A scenario file as an absolute path (the notebook runs elsewhere); presets unchanged."""
    from . import presets

    if source in presets.names():
        return source
    return str(Path(source).resolve())
