"""Reports for managers: a parameterised notebook executed by papermill, rendered to HTML.

``render_report`` runs ``app/report.ipynb`` with the scenario, an optional comparison, the
number of simulated days and the seed, and writes one self-contained HTML file without code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from . import plots
from .checks import DEFAULT_SEED, check_currency, check_replications, check_seed
from .deprecation import renamed_keywords
from .escaping import as_markdown
from .experiment import compare, replicate
from .files import check_file_free
from .folders import claim_file
from .kpis import HEADLINE_KPIS
from .loading import load, preset_names
from .scenario import Scenario
from .tables import change_sentence, mean_sentence, plain_table

#: Fewest simulated days a report accepts: confidence intervals need two.
MIN_REPORT_REPLICATIONS = 2

REPORT_NOTEBOOK = Path(__file__).parent / "app" / "report.ipynb"
#: nbconvert's page without MathJax: a report has no formulas, and a name or description
#: holding ``$...$`` (in a heading or a table) must show as written, not as a formula.
WITHOUT_MATH = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
)


def headline_kpis() -> list[str]:
    """The KPIs a report shows."""
    return list(HEADLINE_KPIS)


#: The numbers a report's headline speaks of: what a manager is asked about first.
HEADLINE = ("nps", "service_level", "cost_per_resolution")


def title(main: Scenario, other: Scenario | None) -> str:
    """The report's title as plain text (the browser tab's): the scenario, and what it is
    compared with."""
    return f"Service report: {main.name}" + (f" against {other.name}" if other else "")


def heading(main: Scenario, other: Scenario | None) -> str:
    """The report's title as its first Markdown heading, the names shown as written."""
    return f"# {as_markdown(title(main, other))}"


def headline(
    main: Scenario, other: Scenario | None, replications: int, seed: int, currency: str = ""
) -> str:
    """The report's headline in words: what the change does to NPS, service level and cost
    per resolved issue (paired, with whether the difference is clear); or, with nothing to
    compare, the three numbers with their likely ranges. In Markdown, names shown as written."""
    if other is None:
        days = replicate(main, replications, seed=seed)
        lines = [mean_sentence(days, kpi, currency=currency) for kpi in HEADLINE]
    else:
        comparison = compare(comparison_names(main, other), replications, seed=seed)
        changed = list(comparison.scenarios)[1]
        lines = [change_sentence(comparison, changed, kpi, currency=currency) for kpi in HEADLINE]
    return "**In short.** " + " ".join(f"{as_markdown(line)}." for line in lines)


def comparison_names(main: Scenario, other: Scenario) -> dict[str, Scenario]:
    """The two scenarios under the names the report shows (told apart when they clash)."""
    second = other.name if other.name != main.name else f"{other.name} (vs)"
    return {main.name: main, second: other}


def describe(main: Scenario, other: Scenario | None, replications: int, seed: int) -> str:
    """The report's opening paragraph in Markdown: what was simulated, how often, and what
    differs; names and descriptions shown as written."""
    text = [
        f"**Scenario:** {as_markdown(main.name)}. {as_markdown(main.description)}",
        f"**Simulated:** {replications} days of {main.horizon_hours:g} hours"
        + (f" (after a {main.warmup_hours:g}-hour warm-up)" if main.warmup_hours else "")
        + f", seed {seed}.",
    ]
    if other is not None:
        changes = differences(main, other)
        listed = ", ".join(f"{k}: {a} → {b}" for k, (a, b) in changes.items()) or "nothing"
        text.append(
            f"**Compared with:** {as_markdown(other.name)}. {as_markdown(other.description)} "
            f"Changes: {as_markdown(listed)}."
        )
    return "\n\n".join(text)


def differences(a: Scenario, b: Scenario) -> dict[str, tuple[Any, Any]]:
    """Fields (other than name and description) whose values differ between two scenarios."""
    left, right = a.to_dict(), b.to_dict()
    return {
        k: (left[k], right[k])
        for k in left
        if k not in ("name", "description") and left[k] != right[k]
    }


def comparison_section(
    main: Scenario, other: Scenario | None, replications: int, seed: int, currency: str = ""
) -> tuple[Any, ...]:
    """The comparison table and its "where to start fixing" change chart, or a sentence
    saying there is nothing to compare."""
    if other is None:
        from IPython.display import Markdown

        return (Markdown("No comparison scenario was given (`--vs`)."),)
    comparison = compare(comparison_names(main, other), replications, seed=seed)
    table = plain_table(comparison, headline_kpis(), currency=currency)
    return (
        table,
        plots.comparison_figure(comparison, HEADLINE),
        plots.cause_change_figure(comparison),
    )


def check_report(
    scenario: str,
    out: str | Path,
    *,
    vs: str = "",
    replications: int = 20,
    seed: int = DEFAULT_SEED,
    currency: str = "",
    overwrite: bool = False,
) -> tuple[Path, int, int, str]:
    """:func:`render_report`'s inputs checked before any work (the report tools take seconds
    to load, the simulation longer): ``out`` must be a writable .html file name, free unless
    ``overwrite``; returns (out, replications, seed, currency) as the report uses them."""
    out = check_file_free(out, overwrite)
    if out.suffix.lower() not in (".html", ".htm"):
        raise ValueError(f"--out {out} is not allowed; expected a file name ending in .html")
    load(scenario)
    if vs:
        load(vs)
    replications = check_replications(replications, low=MIN_REPORT_REPLICATIONS)
    return out, replications, check_seed(seed), check_currency(currency, "--currency")


@renamed_keywords(reps="replications")
def render_report(
    scenario: str,
    out: str | Path,
    *,
    vs: str = "",
    replications: int = 20,
    seed: int = DEFAULT_SEED,
    currency: str = "",
    overwrite: bool = False,
) -> Path:
    """Execute the report notebook and write it as HTML without code to ``out``; money is
    shown after ``currency`` (a symbol such as "€", or none)."""
    import jinja2

    out, replications, seed, currency = check_report(
        scenario,
        out,
        vs=vs,
        replications=replications,
        seed=seed,
        currency=currency,
        overwrite=overwrite,
    )
    import nbformat
    import papermill
    from nbconvert import HTMLExporter

    parameters = {
        "currency": currency,
        "scenario": _absolute(scenario),
        "vs": _absolute(vs) if vs else "",
        "replications": replications,
        "seed": seed,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    with claim_file(out, "report", overwrite=overwrite):  # one report writer at a time
        with tempfile.TemporaryDirectory() as folder:
            executed = Path(folder) / "report.ipynb"
            papermill.execute_notebook(
                str(REPORT_NOTEBOOK),
                str(executed),
                parameters=parameters,
                progress_bar=False,
                cwd=folder,
                **quiet_kernel(),
            )
            notebook = nbformat.read(executed, as_version=4)
        exporter = HTMLExporter(
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            extra_loaders=[jinja2.DictLoader({"report.html.j2": WITHOUT_MATH})],
            template_file="report.html.j2",
        )
        named = title(load(scenario), load(vs) if vs else None)
        html, _ = exporter.from_notebook_node(notebook, resources={"metadata": {"name": named}})
        check_file_free(out, overwrite)  # nothing else wrote it meanwhile
        out.write_text(html, encoding="utf-8")
    return out


def quiet_kernel() -> dict[str, Any]:
    """On POSIX, talk to the report's kernel over local sockets (IPC) instead of TCP: nothing
    leaves the machine, and the kernel has no TCP warning to print on every run."""
    import os

    if os.name != "posix":
        return {}
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum

    class LocalKernelManager(AsyncKernelManager):
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    return {"kernel_manager_class": LocalKernelManager}


def _absolute(source: str) -> str:
    """A scenario file as an absolute path (the notebook runs elsewhere); presets unchanged."""
    if source in preset_names():
        return source
    return str(Path(source).resolve())
