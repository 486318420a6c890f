"""Command line: list presets and parameters, run one scenario, compare several.

    servicesim presets
    servicesim params [--group G]
    servicesim run PRESET_OR_FILE [--set name=value ...] [--reps N] [--seed S] [--out DIR]
    servicesim compare A B [C ...] [--set name=value ...] [--reps N] [--seed S] [--out DIR]
    servicesim sweep SWEEP.toml [--out DIR] [--reps N] [--seed S] [--workers K | --dask ADDR]
    servicesim staffing PRESET_OR_FILE [--target 0.8] [--reps N] [--seed S] [--out DIR]
    servicesim report PRESET_OR_FILE [--vs OTHER] [--out report.html] [--reps N] [--seed S]
                      [--currency SYMBOL]
    servicesim challenge BRIEF DESIGN... [--reps N] [--seed S] [--out DIR]
    servicesim handouts [--out DIR] [--workbooks DIR]
    servicesim lab [--port P] [--host H] [--max-sessions N] [--idle-minutes M]

Every mistake in the input ends with one line ``servicesim: error: ...`` and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import textwrap
import tomllib
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from pathlib import Path
from typing import Any, NoReturn

from . import __version__, briefs, compare, presets, replicate, simulate
from .brief import Brief, load_brief
from .challenge import SCOREBOARD_FILES, TODAY, score
from .checks import DEFAULT_SEED, check_replications, check_seed
from .escaping import as_terminal
from .experiment import SequentialExecutor, comparison_files
from .files import LAB_FOLDER, check_free, check_writable
from .folders import claim_folder
from .kpis import HEADLINE_KPIS, KPI_LABELS, check_kpis, parse_constraint, unit_of
from .labserver import (
    DEFAULT_HOST,
    DEFAULT_IDLE_MINUTES,
    DEFAULT_MAX_SESSIONS,
    check_listenable,
    voila_command,
)
from .loading import load
from .processes import Terminated, exit_code, stop_on_sigterm, stopping, worker_pool
from .results import RUN_FILES
from .scenario import GROUPS, RENAMED_FIELDS, Scenario
from .tables import as_text, fmt, interval_note, kpi_columns, kpi_table, scoreboard_table

WIDTH = 100


# --- input ---------------------------------------------------------------------------------


def parse_set(item: str) -> tuple[str, Any]:
    """``name=value`` -> (name, value); the value is read as TOML, else kept as plain text."""
    name, sep, text = item.partition("=")
    name = name.strip()
    if not sep or not name:
        raise ValueError(f"--set {item!r} is not allowed; expected name=value, e.g. agents=28")
    try:
        parsed = tomllib.loads(f"v = {text}")
    except tomllib.TOMLDecodeError:
        return name, text
    return name, parsed["v"] if len(parsed) == 1 else text


def load_scenario(source: str, sets: Sequence[str]) -> Scenario:
    """The preset or TOML file ``source`` with every ``--set`` applied."""
    changes = dict(parse_set(item) for item in sets)
    return load(source).replace(**changes)


def check_options(args: argparse.Namespace) -> None:
    """Reject a bad --reps, --seed or --workers before any work is done."""
    check_replications(args.reps, "--reps")
    check_seed(args.seed, "--seed")
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers={args.workers} is not allowed; expected a whole number >= 1")


@contextlib.contextmanager
def make_executor(workers: int | None) -> Iterator[Executor | None]:
    """None (the library chooses), in-process for 1 worker, else a process pool."""
    if workers is None:
        yield None
    elif workers == 1:
        yield SequentialExecutor()
    else:
        with stopping(worker_pool(workers)) as pool:
            yield pool


def hold(args: argparse.Namespace, command: str, files: Sequence[str]) -> None:
    """Hold the --out folder until the command ends: refused if another command is writing
    there or it holds files this command did not write (unless --force); see folders.py."""
    args.held.enter_context(claim_folder(args.out, command, files, overwrite=args.force))


# --- output --------------------------------------------------------------------------------


def wrap(text: str, indent: str) -> str:
    """``text`` wrapped to the terminal width with every line indented."""
    return textwrap.fill(text, WIDTH, initial_indent=indent, subsequent_indent=indent)


def toml_value(value: Any) -> str:
    """A default value as one would type it after ``--set name=``."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- commands ------------------------------------------------------------------------------


def cmd_presets(args: argparse.Namespace) -> int:
    """List the shipped presets with their descriptions."""
    descriptions = presets.describe()
    width = max(map(len, descriptions)) + 2
    for name, text in descriptions.items():
        lines = textwrap.wrap(text, WIDTH - width) or [""]
        print(f"{name:<{width}}{lines[0]}")
        for line in lines[1:]:
            print(" " * width + line)
    return 0


def cmd_params(args: argparse.Namespace) -> int:
    """List every scenario parameter, by group: default, unit, allowed values and help."""
    defaults = Scenario().to_dict()
    for group, title in GROUPS.items():
        if args.group not in (None, group):
            continue
        print(f"{title} [{group}]")
        for name, spec in Scenario.specs().items():
            if spec.group != group:
                continue
            unit = f"  ({spec.unit})" if spec.unit else ""
            print(f"  {name} = {toml_value(defaults[name])}{unit}")
            print(wrap(f"allowed: {spec.allowed()}", " " * 6))
            print(wrap(spec.help, " " * 6))
        print()
    return 0


def shown_kpis(args: argparse.Namespace) -> list[str] | None:
    """The KPIs to print: the headline ones, or every KPI with ``--all``."""
    return None if args.all else list(HEADLINE_KPIS)


def kpi_note(args: argparse.Namespace) -> str:
    return "" if args.all else f" (the {len(HEADLINE_KPIS)} headline KPIs; --all for every KPI)"


def set_note(sets: Sequence[str]) -> str:
    """What ``--set`` changed, for the header (the preset's name alone would hide it), each
    field under its current name."""
    if not sets:
        return ""
    changes = []
    for item in sets:
        name, _, text = item.partition("=")
        changes.append(f"{RENAMED_FIELDS.get(name.strip(), name.strip())}={text.strip()}")
    return f", changed by --set {', '.join(changes)}"


def cmd_run(args: argparse.Namespace) -> int:
    """Run one scenario once or many times; print the KPIs and optionally save the run folder."""
    check_options(args)
    scenario = load_scenario(args.source, args.set)
    if args.out:
        hold(args, "run", RUN_FILES)
    header = f"Scenario {scenario.name!r}{set_note(args.set)}: {args.reps} "
    header += f"replication{'s' * (args.reps > 1)}, seed {args.seed}"
    kpis = shown_kpis(args)
    if args.reps == 1:
        result: Any = simulate(scenario, args.seed, replication=0)
        print(f"{header}; {interval_note(1)}")
        if note := kpi_note(args):
            print(note.strip())
        print(as_terminal(kpi_table(result, kpis).to_string()))
    else:
        with make_executor(args.workers) as executor:
            result = replicate(scenario, args.reps, args.seed, executor)
        print(f"{header}: means with {interval_note(args.reps)}")
        if note := kpi_note(args):
            print(note.strip())
        print(as_terminal(kpi_table(result, kpis).to_string()))
        for kpi, n in result.summary["n"].items():
            if n < args.reps and (kpis is None or kpi in kpis):
                print(f"note: {kpi} has a value in only {n} of {args.reps} replications")
    if args.out:
        result.save(args.out, overwrite=args.force)
        print(f"\nWrote {', '.join(RUN_FILES)} to {args.out}")
        print(
            "(kpis.csv: every KPI; runs.csv: every replication's KPIs; the contacts, issues, "
            "agents and intervals tables: every replication's, told apart by their "
            "replication column)"
        )
    return 0


def unique_names(scenarios: Sequence[Scenario]) -> list[str]:
    """Scenario names, with '#2', '#3'... appended to repeats."""
    names: list[str] = []
    for scenario in scenarios:
        name, k = scenario.name, 1
        while name in names:
            k += 1
            name = f"{scenario.name}#{k}"
        names.append(name)
    return names


def cmd_compare(args: argparse.Namespace) -> int:
    """Run scenarios on common random numbers; print means and paired differences."""
    check_options(args)
    if len(args.sources) < 2:
        raise ValueError(f"compare needs at least 2 scenarios, got {len(args.sources)}")
    scenarios = [load_scenario(source, args.set) for source in args.sources]
    names = unique_names(scenarios)
    files = comparison_files(names)
    if args.out:
        hold(args, "compare", files)
    with make_executor(args.workers) as executor:
        comparison = compare(
            dict(zip(names, scenarios, strict=True)),
            args.reps,
            args.seed,
            executor,
        )
    print(
        f"Comparison of {len(scenarios)} scenarios{set_note(args.set)}: {args.reps} "
        f"replications each, seed {args.seed}, common random numbers"
    )
    if note := kpi_note(args):
        print(note.strip())
    print(
        f"diff = scenario minus {comparison.reference!r}, with "
        f"{interval_note(args.reps, paired=True)}; * = the interval shown excludes 0"
    )
    print(as_terminal(kpi_table(comparison, shown_kpis(args)).to_string()))
    if args.out:
        comparison.save(args.out, overwrite=args.force)
        print(f"\nWrote {', '.join(files)} to {args.out}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run a sweep file; write runs, summary and figures into --out; print the best point."""
    from .sweeps import SweepInterrupted, check_plan, load_sweep, sweep, sweep_files

    check_options(args)
    if args.workers is not None and args.dask not in (None, "local"):
        raise ValueError(
            "--workers cannot be used with --dask ADDRESS: the cluster has its own workers "
            "(--workers only sets the size of --dask local)"
        )
    if args.dask:
        from .cluster import check_address

        check_address(args.dask)
    # Everything the end of the sweep needs is checked before the first run.
    figures = sweep_figures(args.objective, args.constraint)
    spec = load_sweep(args.source)
    out = args.out or Path(f"{Path(args.source).stem}-sweep")
    check_writable(out)
    check_plan(spec, args.reps, yes=args.yes)
    print(
        f"Sweep {spec.name!r}: {spec.size} points x {args.reps} replications, seed {args.seed}, "
        f"common random numbers; writing to {out}"
    )
    progress = None if args.progress == "auto" else args.progress == "on"
    with contextlib.ExitStack() as stack:
        executor = None
        if args.dask:
            from .cluster import dask_executor

            executor = stack.enter_context(dask_executor(args.dask, workers=args.workers or 2))
        try:
            result = sweep(
                spec,
                replications=args.reps,
                seed=args.seed,
                out=out,
                executor=executor,
                workers=args.workers,
                resume=args.resume,
                force=args.force,
                yes=args.yes,
                progress=progress,
                figures=figures,
            )
        except SweepInterrupted as stopped:
            cause = stopped.__cause__ or stopped
            by = f"{cause}: " if isinstance(cause, Terminated) else ""
            print(f"servicesim: {by}{stopped}", file=sys.stderr)
            return exit_code(cause)
    summary = result.summary()
    shown = summary[[*result.parameters, *HEADLINE_KPIS]]
    print(as_terminal(kpi_columns(shown).to_string()))
    constraints = list(args.constraint)
    best = result.best(args.objective, maximize=not args.minimize, constraints=constraints)
    goal = f"{'lowest' if args.minimize else 'highest'} {args.objective}"
    if constraints:
        goal += " with " + " and ".join(constraints)
    if best is None:
        print(f"\nNo point meets {' and '.join(constraints)}.")
    else:
        values = ", ".join(f"{p}={plain(best[p])}" for p in result.parameters)
        print(
            f"\nBest point for {goal}: point {best.name} ({values}), {args.objective} "
            f"{fmt(best[args.objective], unit_of(args.objective))} "
            f"[{fmt(best[args.objective + '_ci_low'], unit_of(args.objective))}, "
            f"{fmt(best[args.objective + '_ci_high'], unit_of(args.objective))}]"
        )
    written = [name for name in sweep_files(figures) if (out / name).exists()]
    print(f"\nWrote {', '.join(written)} to {out}")
    return 0


def sweep_figures(objective: str, constraints: Sequence[str]) -> list[str]:
    """The KPIs a sweep draws: the objective, then each KPI a constraint names (each once);
    a bad KPI or constraint is a ValueError."""
    names = [*check_kpis(objective), *(parse_constraint(text)[0] for text in constraints)]
    return list(dict.fromkeys(names))


def plain(value: Any) -> str:
    """A parameter value as a person types it: 30, 1.5, true, new."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return f"{float(value):g}"
    return str(value)


def cmd_staffing(args: argparse.Namespace) -> int:
    """Agents needed per hour for a service-level target: Erlang A vs the simulation."""
    from .staffing import STAFFING_FILES, staffing_curve

    check_options(args)
    scenario = load_scenario(args.source, args.set)
    if args.out:
        hold(args, "staffing", STAFFING_FILES)
    with make_executor(args.workers) as executor:
        curve = staffing_curve(
            scenario, target=args.target, replications=args.reps, seed=args.seed, executor=executor
        )
    print(
        f"Agents needed per hour for {100 * args.target:g} % answered within "
        f"{scenario.service_level_seconds:g} s ({scenario.name!r}, {args.reps} replications "
        f"per step, seed {args.seed})"
    )
    print(as_terminal(curve.table.to_string(float_format=lambda v: f"{v:.3f}")))
    if args.out:
        curve.save(args.out, overwrite=args.force)
        written = [name for name in STAFFING_FILES if (args.out / name).exists()]
        print(f"\nWrote {', '.join(written)} to {args.out}")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Execute the report notebook for a scenario (and a comparison) and write HTML."""
    import importlib.util

    if importlib.util.find_spec("papermill") is None:
        raise ValueError("reports need papermill: python -m pip install 'servicesim[reports]'")
    from .reporting import MIN_REPORT_REPLICATIONS, check_report, render_report

    check_options(args)
    check_replications(args.reps, "--reps", low=MIN_REPORT_REPLICATIONS)
    options: dict[str, Any] = {
        "vs": args.vs or "",
        "replications": args.reps,
        "seed": args.seed,
        "currency": args.currency,
        "overwrite": args.force,
    }
    check_report(args.source, args.out, **options)  # before saying anything
    print(f"Simulating {args.reps} days per scenario (seed {args.seed}) for the report...")
    path = render_report(args.source, args.out, **options)
    print(f"Wrote {path}")
    return 0


def challenge_brief(source: str) -> Brief:
    """A brief file, or a shipped brief by name."""
    if Path(source).exists() or source.endswith(".toml"):
        return load_brief(source)
    if source in briefs.names():
        return briefs.load(source)
    raise ValueError(
        f"brief {source!r} is neither a brief file nor a shipped brief "
        f"(shipped: {', '.join(briefs.names())})"
    )


def challenge_designs(sources: Sequence[str]) -> dict[str, Scenario]:
    """Each design file (or preset) under its file stem; two designs may not share a name."""
    designs: dict[str, Scenario] = {}
    seen: dict[str, str] = {}
    for source in sources:
        name = Path(source).stem if source.endswith(".toml") else source
        if name in seen:
            raise ValueError(
                f"two designs are called {name!r} ({seen[name]} and {source}); rename one file"
            )
        if name == TODAY:
            raise ValueError(f"design {source}: the name {TODAY!r} is the brief's base; rename it")
        seen[name] = source
        designs[name] = load(source)
    return designs


def cmd_challenge(args: argparse.Namespace) -> int:
    """Score every team's design against a brief on common random numbers; rank them."""
    check_options(args)
    brief = challenge_brief(args.brief)
    designs = challenge_designs(args.designs)
    if args.out:
        hold(args, "challenge", SCOREBOARD_FILES)
    with make_executor(args.workers) as executor:
        board = score(brief, designs, args.reps, args.seed, executor)
    goal = "highest" if brief.maximize else "lowest"
    label = KPI_LABELS[brief.objective_kpi]
    label = label if label[:2].isupper() else label[0].lower() + label[1:]
    print(
        f"{as_terminal(brief.name)}: {len(designs)} designs, each on the same {args.reps} "
        "simulated days "
        f"(seed {args.seed}, common random numbers)"
    )
    print(
        wrap(
            f"Ranked by {goal} {label} among the designs "
            "that keep to the brief (its levers and limits); a tie: the 95 % interval of the "
            "paired difference includes 0.",
            "",
        )
    )
    print(as_text(scoreboard_table(board)))
    if args.out:
        from .plots import scoreboard_figure

        board.save(args.out, overwrite=args.force)
        figure = scoreboard_figure(board)
        with open(args.out / "scoreboard.png", "wb" if args.force else "xb") as handle:
            figure.savefig(handle, format="png", dpi=120)
        print(f"\nWrote {', '.join(SCOREBOARD_FILES)} to {args.out}")
    return 0


def cmd_handouts(args: argparse.Namespace) -> int:
    """Write the workshop as static pages (every workbook run, and the kit) into one folder."""
    import importlib.util

    if any(importlib.util.find_spec(m) is None for m in ("nbclient", "nbconvert", "mistune")):
        raise ValueError(
            "the handouts need the report tools: python -m pip install 'servicesim[reports]'"
        )
    from .kit.handouts import planned_files, write_handouts

    planned = planned_files(args.workbooks)
    check_free(args.out, planned, args.force)
    hold(args, "handouts", planned)
    print(f"Running every workbook in {args.workbooks} and writing the kit to {args.out} ...")
    written = write_handouts(args.out, args.workbooks, brief=args.brief, overwrite=args.force)
    print(f"Wrote {len(written)} pages to {args.out}; open {args.out / 'index.html'}")
    return 0


def cmd_lab(args: argparse.Namespace) -> int:
    """Serve the what-if lab as a Voila app until Ctrl-C (this machine only unless --host)."""
    import importlib.util
    import subprocess

    command = voila_command(
        args.port,
        host=args.host,
        max_sessions=args.max_sessions,
        idle_minutes=args.idle_minutes,
        browser=args.browser,
    )
    check_listenable(args.host)
    if importlib.util.find_spec("voila") is None:
        raise ValueError("the lab app needs Voila: python -m pip install 'servicesim[app]'")
    local = args.host in ("127.0.0.1", "localhost", "::1")
    where = "this-machine's-address" if args.host in ("0.0.0.0", "::") else args.host
    print(f"The what-if lab: http://{where}:{args.port}/  (Ctrl-C to stop)", flush=True)
    if not local:
        print(
            wrap(
                f"Served on {args.host}: anyone who can reach this machine on port {args.port} "
                "can use the lab (no password): move levers, run simulations, upload "
                f"designs into {Path.cwd() / 'challenge-designs'} and open scenario files "
                f"in {Path.cwd()}. Serve only on a network you trust.",
                "",
            ),
            flush=True,
        )
    print(
        f"At most {args.max_sessions} pages at once; a page's kernel is freed when it closes, "
        f"or {args.idle_minutes:g} minutes after its page is gone.",
        flush=True,
    )
    try:
        # The lab's kernel runs in the app's own folder; what it collects goes where you are.
        env = {**os.environ, LAB_FOLDER: str(Path.cwd())}
        done = subprocess.run(command, check=False, env=env)
    except KeyboardInterrupt:
        return 0
    if done.returncode not in (0, -2, 130):
        raise OSError(f"Voila stopped with exit code {done.returncode} (is port {args.port} free?)")
    return 0


# --- entry point ---------------------------------------------------------------------------


def add_run_options(parser: argparse.ArgumentParser, reps: int, kpis: bool = False) -> None:
    """Options shared by ``run`` and ``compare``."""
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="change a parameter (repeatable); VALUE is read as TOML: 28, 0.5, inf, "
        "[20,25,30], new (see 'servicesim params')",
    )
    parser.add_argument("--reps", type=int, default=reps, help=f"replications (default {reps})")
    parser.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed >= 0 (default {DEFAULT_SEED})"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes: 1 = in this process, K > 1 = a pool of K (default: the library chooses)",
    )
    parser.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="also write CSV files into DIR"
    )
    parser.add_argument("--force", action="store_true", help="overwrite files already in --out DIR")
    if kpis:
        parser.add_argument(
            "--all", action="store_true", help="print every KPI (default: the headline KPIs)"
        )


class Parser(argparse.ArgumentParser):
    """argparse with usage errors on one line, as every other bad input gets (the usage is
    one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with its four sub-commands."""
    parser = Parser(prog="servicesim", description="Simulate a customer-service queue.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser("presets", help="list the shipped scenarios")
    p.set_defaults(func=cmd_presets)

    p = commands.add_parser("params", help="list every scenario parameter")
    p.add_argument("--group", choices=list(GROUPS), help="only this group")
    p.set_defaults(func=cmd_params)

    p = commands.add_parser("run", help="run one scenario and print its KPIs")
    p.add_argument("source", metavar="PRESET_OR_FILE", help="preset name or scenario .toml file")
    add_run_options(p, reps=1, kpis=True)
    p.set_defaults(func=cmd_run)

    p = commands.add_parser("compare", help="compare scenarios on common random numbers")
    p.add_argument(
        "sources", nargs="+", metavar="PRESET_OR_FILE", help="two or more presets or files"
    )
    add_run_options(p, reps=30, kpis=True)
    p.set_defaults(func=cmd_compare)

    p = commands.add_parser("sweep", help="run every point of a sweep file")
    p.add_argument("source", metavar="SWEEP.toml", help="sweep file: base and [vary] table")
    p.add_argument(
        "--out",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder for runs.csv, summary.csv, figures (default: NAME-sweep)",
    )
    p.add_argument("--reps", type=int, default=10, help="replications per point (default 10)")
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed >= 0 (default {DEFAULT_SEED})"
    )
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes (or Dask local workers); default: one per core",
    )
    p.add_argument(
        "--dask",
        default=None,
        metavar="ADDRESS",
        help="run on a Dask cluster: tcp://host:8786, or 'local' for a LocalCluster",
    )
    p.add_argument("--resume", action="store_true", help="finish an interrupted sweep in --out")
    p.add_argument("--force", action="store_true", help="start again, replacing --out's sweep")
    p.add_argument("--yes", action="store_true", help="confirm a sweep with very many points")
    p.add_argument("--objective", default="nps", help="KPI the best point maximises (default nps)")
    p.add_argument("--minimize", action="store_true", help="the best point minimises instead")
    p.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="'KPI<=X'",
        help="a condition on the means the best point must meet (repeatable)",
    )
    p.add_argument(
        "--progress",
        choices=["auto", "on", "off"],
        default="auto",
        help="progress bar (auto: only on a terminal)",
    )
    p.set_defaults(func=cmd_sweep)

    p = commands.add_parser("staffing", help="agents needed per hour: Erlang A vs simulation")
    p.add_argument("source", metavar="PRESET_OR_FILE", help="preset name or scenario .toml file")
    p.add_argument("--target", type=float, default=0.8, help="service level to reach (0.8)")
    add_run_options(p, reps=10)
    p.set_defaults(func=cmd_staffing)

    p = commands.add_parser("report", help="write an HTML report of a scenario (and a comparison)")
    p.add_argument("source", metavar="PRESET_OR_FILE", help="the scenario to report on")
    p.add_argument("--vs", default=None, metavar="PRESET_OR_FILE", help="compare with this one")
    p.add_argument("--out", type=Path, default=Path("report.html"), help="HTML file (report.html)")
    p.add_argument("--reps", type=int, default=20, help="simulated days per scenario (default 20)")
    p.add_argument(
        "--seed", type=int, default=DEFAULT_SEED, help=f"random seed >= 0 (default {DEFAULT_SEED})"
    )
    p.add_argument(
        "--currency",
        default="",
        metavar="SYMBOL",
        help="shown before money, e.g. € or CHF (default: none)",
    )
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.set_defaults(func=cmd_report, workers=None)

    p = commands.add_parser("challenge", help="score teams' designs against a brief and rank them")
    p.add_argument("brief", metavar="BRIEF", help="brief .toml file, or a shipped brief's name")
    p.add_argument("designs", nargs="+", metavar="DESIGN", help="each team's scenario .toml file")
    add_run_options(p, reps=10)
    p.set_defaults(func=cmd_challenge)

    p = commands.add_parser(
        "handouts", help="the workshop as static pages for a room without Python"
    )
    p.add_argument(
        "--out", type=Path, default=Path("workshop-handouts"), help="folder (workshop-handouts)"
    )
    p.add_argument(
        "--workbooks", type=Path, default=Path("workbooks"), help="the workbooks (workbooks)"
    )
    p.add_argument("--brief", default="northbrook", help="the brief of the kit (northbrook)")
    p.add_argument("--force", action="store_true", help="replace the pages already in --out")
    p.set_defaults(func=cmd_handouts)

    p = commands.add_parser("lab", help="serve the what-if lab as a web app on this machine")
    p.add_argument("--port", type=int, default=8866, help="port to serve on (default 8866)")
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to serve on (default {DEFAULT_HOST}: this machine only; 0.0.0.0: every "
        "network this machine is on, for a room)",
    )
    p.add_argument(
        "--max-sessions",
        type=int,
        default=DEFAULT_MAX_SESSIONS,
        metavar="N",
        help=f"pages open at once, each a kernel of ~230 MB (default {DEFAULT_MAX_SESSIONS})",
    )
    p.add_argument(
        "--idle-minutes",
        type=float,
        default=DEFAULT_IDLE_MINUTES,
        metavar="M",
        help=f"free a kernel this long after its page is gone (default {DEFAULT_IDLE_MINUTES:g})",
    )
    p.add_argument("--browser", action="store_true", help="also open it in a browser")
    p.set_defaults(func=cmd_lab)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Console entry point; returns the exit code (2 for any bad input)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, usage errors
        return int(exit_.code or 0)
    try:
        with stop_on_sigterm(), contextlib.ExitStack() as held:
            args.held = held  # what the command holds until it ends: its --out folder
            return args.func(args)
    except KeyboardInterrupt as stopped:  # Ctrl-C, or SIGTERM (processes.Terminated)
        how = stopped if isinstance(stopped, Terminated) else "stopped by Ctrl-C"
        print(f"servicesim: {how} before {args.command} finished", file=sys.stderr)
        return exit_code(stopped)
    except BrokenPipeError:  # e.g. `servicesim params | head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ValueError, OSError) as err:  # OSError covers FileExistsError
        print(f"servicesim: error: {as_terminal(' '.join(str(err).split()))}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
