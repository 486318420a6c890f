"""Parameter sweeps: every point of a grid (or of zipped lists) on common random numbers.

A sweep file is TOML::

    base = "baseline"            # a preset, or a scenario file relative to this one
    mode = "grid"                # or "paired": zip equal-length lists
    [vary]
    agents = [26, 28, 30]
    care_minutes = { start = 0.5, stop = 3.0, step = 0.5 }

Replication ``r`` of every point uses the same random streams (seed, r), so points differ only
by their parameters. Rows are written to ``runs.csv`` as they arrive, so an interrupted sweep
loses at most the runs in flight and ``resume`` finishes only what is missing; the final table
is sorted and identical to an uninterrupted run's. Resume checks every saved row and refuses
a file with a repeated or foreign row, naming the line.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import json
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import staffing as _staffing
from .checks import DEFAULT_SEED, check_replications, check_seed
from .deprecation import rename_keys, warn_renamed
from .experiment import confidence_table, run_kpis
from .files import check_free
from .folders import claim_folder
from .kpis import KPI_INFO, OPERATORS, check_kpis, parse_constraint
from .loading import load_base
from .parameters import check_value, short_repr, unknown_name_error
from .processes import stopping, worker_pool
from .reading import excerpt, read_json, read_text, read_toml
from .scenario import RENAMED_FIELDS, Scenario

#: Points a sweep may have unless the caller confirms (``yes=True``, ``--yes``).
MAX_POINTS = 200
#: Points a sweep may never exceed.
HARD_MAX_POINTS = 100_000
MODES = ("grid", "paired")
RUNS_FILE = "runs.csv"
MANIFEST_FILE = "sweep.json"
SUMMARY_FILE = "summary.csv"
FIGURES_FOLDER = "figures"


@dataclass(frozen=True)
class Sweep:
    """A base scenario and the values each varied parameter takes."""

    base: Scenario
    vary: dict[str, tuple[Any, ...]]
    mode: str = "grid"
    name: str = "sweep"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode={self.mode!r} is not allowed; expected one of {MODES}")
        if not self.vary:
            raise ValueError("vary is empty; name at least one parameter to vary")
        specs = Scenario.specs()
        if RENAMED_FIELDS.keys() & self.vary.keys():
            vary = rename_keys(self.vary, RENAMED_FIELDS, where="vary", stacklevel=5)
            object.__setattr__(self, "vary", vary)
        for name, values in self.vary.items():
            if name not in specs:
                raise unknown_name_error("parameter", name, list(specs))
            if not values:
                raise ValueError(f"[vary] {name} has no values; give a list or a non-empty range")
            for value in values:  # each value alone; combinations are checked by scenarios()
                check_value(name, specs[name], value)
        if self.mode == "paired":
            lengths = {name: len(values) for name, values in self.vary.items()}
            if len(set(lengths.values())) > 1:
                raise ValueError(f"mode='paired' needs lists of equal length; got {lengths}")
            seen: set[tuple[Any, ...]] = set()
            for point in zip(*self.vary.values(), strict=True):
                if point in seen:
                    shown = ", ".join(f"{n}={v!r}" for n, v in zip(self.vary, point, strict=True))
                    raise ValueError(f"the paired lists give the point {shown} twice")
                seen.add(point)
        else:
            for name, values in self.vary.items():
                twice = [v for k, v in enumerate(values) if v in values[:k]]
                if twice:
                    raise ValueError(
                        f"[vary] {name} lists {twice[0]!r} twice; give each value once"
                    )
        count = self.size
        if count > HARD_MAX_POINTS:
            raise ValueError(f"the sweep has {count:,} points; at most {HARD_MAX_POINTS:,} allowed")

    @property
    def size(self) -> int:
        """Number of points."""
        lengths = [len(v) for v in self.vary.values()]
        return lengths[0] if self.mode == "paired" else math.prod(lengths)

    def points(self) -> list[dict[str, Any]]:
        """Each point's parameter values, in a fixed order (the last parameter varies fastest)."""
        names = list(self.vary)
        combos: Iterable[tuple] = (
            zip(*self.vary.values(), strict=True)
            if self.mode == "paired"
            else itertools.product(*self.vary.values())
        )
        return [dict(zip(names, combo, strict=True)) for combo in combos]

    def scenarios(self) -> list[Scenario]:
        """Each point as a validated Scenario (a bad value is reported before anything runs)."""
        return [self.base.replace(**point) for point in self.points()]


def expand_values(name: str, value: Any, source: str = "") -> tuple[Any, ...]:
    """A list of values, or a {start, stop, step} range including stop when it is on the grid.

    A range must be finite, have at most HARD_MAX_POINTS points and a step large enough that
    its points differ; errors name the file (``source``) and the field.
    """
    where = f"{source + ': ' if source else ''}[vary] {name}"
    if isinstance(value, list):
        return tuple(value)
    if not isinstance(value, Mapping) or set(value) != {"start", "stop", "step"}:
        shown = dict(value) if isinstance(value, Mapping) else value
        raise ValueError(
            f"{where} = {shown!r} is not allowed; expected a list of values or "
            "{start = .., stop = .., step = ..}"
        )
    for key in ("start", "stop", "step"):
        number = value[key]
        if isinstance(number, bool) or not isinstance(number, int | float):
            raise ValueError(f"{where}: {key} must be a number, got {number!r}")
        if not math.isfinite(number):
            raise ValueError(f"{where}: {key} must be a finite number, got {number!r}")
    start, stop, step = value["start"], value["stop"], value["step"]
    if step <= 0:
        raise ValueError(f"{where}: step must be a number > 0, got {step!r}")
    if stop < start:
        raise ValueError(f"{where} is an empty range: stop={stop!r} is below start={start!r}")
    steps = (stop - start) / step  # a float: inf or huge for a tiny step, never an error
    if not steps + 1 <= HARD_MAX_POINTS:
        raise ValueError(
            f"{where}: the range from {start!r} to {stop!r} in steps of {step!r} has more than "
            f"{HARD_MAX_POINTS:,} points, the most a sweep may have; use a larger step"
        )
    count = math.floor(steps + 1e-9) + 1
    whole = all(isinstance(value[k], int) for k in ("start", "stop", "step"))
    values = tuple(start + i * step if whole else round(start + i * step, 12) for i in range(count))
    if len(set(values)) < count:
        raise ValueError(
            f"{where}: step={step!r} is too small for values near {start!r}: the range's "
            "points would repeat; use a larger step"
        )
    return values


def sweep_from_mapping(
    data: Mapping[str, Any], source: str = "sweep", relative_to: str | Path | None = None
) -> Sweep:
    """A Sweep from parsed TOML (see the module docstring for the shape); ``source`` names it
    in errors, and a base file is found relative to the file ``relative_to`` (if given)."""
    data = dict(data)
    allowed = {"base", "mode", "name", "vary"}
    unknown = set(data) - allowed
    if unknown:
        error = unknown_name_error("sweep setting", sorted(unknown)[0], sorted(allowed))
        raise ValueError(f"{source}: {error}")
    base_name = data.get("base", "baseline")
    if not isinstance(base_name, str):
        raise ValueError(
            f"{source}: base={short_repr(base_name)} must be a preset name or a file path"
        )
    base = load_base(base_name, named_in=source, relative_to=relative_to)
    vary = data.get("vary")
    if not isinstance(vary, Mapping) or not vary:
        raise ValueError(f"{source}: a [vary] table with at least one parameter is needed")
    values = {name: expand_values(name, value, source) for name, value in vary.items()}
    try:
        return Sweep(
            base=base,
            vary=values,
            mode=data.get("mode", "grid"),
            name=str(data.get("name", Path(relative_to).stem if relative_to else source)),
        )
    except ValueError as err:
        raise ValueError(f"{source}: {err}") from None


def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep file (a regular file of at most 1 MB, see :mod:`servicesim.reading`);
    errors name the file and the setting."""
    where = f"sweep file {str(path)!r}"
    return sweep_from_mapping(read_toml(path, where), source=where, relative_to=path)


# --- running -------------------------------------------------------------------------------


@dataclass
class SweepResult:
    """One row per point x replication (``runs``), and what managers read from it."""

    sweep: Sweep
    seed: int
    replications: int
    runs: pd.DataFrame
    out: Path | None = None
    interrupted: bool = False
    parameters: list[str] = field(default_factory=list)

    def summary(self, kpis: Sequence[str] | None = None, level: float = 0.95) -> pd.DataFrame:
        """Per point: the parameters, then each KPI's mean and CI over the replications."""
        kpis = list(kpis or KPI_INFO)
        rows = []
        for point, group in self.runs.groupby("point", sort=True):
            table = confidence_table(group[kpis], level)
            row: dict[str, Any] = {"point": point}
            row.update({name: group[name].iloc[0] for name in self.parameters})
            for kpi in kpis:
                row[kpi] = table.at[kpi, "mean"]
                row[f"{kpi}_ci_low"] = table.at[kpi, "ci_low"]
                row[f"{kpi}_ci_high"] = table.at[kpi, "ci_high"]
            rows.append(row)
        return pd.DataFrame(rows).set_index("point")

    def save(
        self, folder: str | Path, *, figures: Sequence[str] = ("nps",), overwrite: bool = False
    ) -> Path:
        """Write the sweep folder: runs.csv, sweep.json, summary.csv and ``figures/`` (each KPI
        in ``figures`` over the sweep, and the cost-NPS frontier, as PNG and SVG; figures need
        matplotlib). :func:`sweep` with ``out`` ends by calling this, so the library and
        ``servicesim sweep`` leave the same folder.

        Into the folder the sweep itself is writing, nothing is refused; elsewhere nothing is
        replaced, and a folder holding files no sweep wrote is refused, unless ``overwrite``.
        """
        folder = Path(folder)
        names = check_kpis(list(figures))
        own = self.out is not None and folder.resolve() == Path(self.out).resolve()
        files = sweep_files(names)
        with claim_folder(folder, "sweep", files, overwrite=overwrite, resume=own):
            if not own:
                check_free(folder, files, overwrite)
                manifest = _manifest(self.sweep, self.seed, self.replications)
                (folder / MANIFEST_FILE).write_text(
                    json.dumps(manifest, indent=1, default=_json_default), encoding="utf-8"
                )
                with open(folder / RUNS_FILE, "w", newline="", encoding="utf-8") as handle:
                    writer = csv.writer(handle)
                    writer.writerow(self.runs.columns)
                    rows = self.runs.itertuples(False)
                    writer.writerows([[_text(v) for v in row] for row in rows])
            summary = self.summary()
            summary.to_csv(folder / SUMMARY_FILE)
            paired = self.sweep.mode == "paired"
            _save_figures(summary, self.parameters, folder / FIGURES_FOLDER, names, paired=paired)
        return folder

    def best(
        self, objective: str = "nps", *, maximize: bool = True, constraints: Sequence[str] = ()
    ) -> pd.Series | None:
        """The point with the best mean ``objective`` among those meeting every constraint.

        Constraints read like ``"cost_per_contact <= 4.5"`` or ``"service_level >= 0.8"`` and
        apply to the means; None when no point meets them all.
        """
        check = [parse_constraint(c) for c in constraints]
        if objective not in KPI_INFO:
            raise unknown_name_error("KPI", objective, list(KPI_INFO))
        kpis = dict.fromkeys([objective, *(kpi for kpi, _, _ in check)])  # a KPI once
        summary = self.summary(list(kpis))
        keep = pd.Series(True, index=summary.index)
        for kpi, op, bound in check:
            keep &= OPERATORS[op](summary[kpi], bound)
        candidates = summary[keep]
        if candidates.empty:
            return None
        index = candidates[objective].idxmax() if maximize else candidates[objective].idxmin()
        return candidates.loc[index]


def sweep_files(figures: Sequence[str] = ("nps",)) -> list[str]:
    """Every file a sweep folder holds (figures need matplotlib)."""
    drawn = [*figures, "frontier"]
    return [
        RUNS_FILE,
        MANIFEST_FILE,
        SUMMARY_FILE,
        *(f"{FIGURES_FOLDER}/{name}.{suffix}" for name in drawn for suffix in ("png", "svg")),
    ]


def sweep(
    spec: Sweep | str | Path,
    *,
    replications: int = 10,
    seed: int = DEFAULT_SEED,
    out: str | Path | None = None,
    executor: Executor | None = None,
    workers: int | None = None,
    resume: bool = False,
    force: bool = False,
    yes: bool = False,
    progress: bool | None = None,
    figures: Sequence[str] = ("nps",),
) -> SweepResult:
    """Run every point of ``spec`` ``replications`` times on common random numbers.

    With ``out``, rows go to ``out/runs.csv`` as they arrive, and the finished sweep is saved
    there (:meth:`SweepResult.save`: summary and ``figures``); an existing output is refused
    unless ``resume`` (finish what is missing) or ``force`` (start again), and so is a folder
    another command is writing or one holding files no sweep wrote (:mod:`.folders`; ``force``
    writes beside such files). ``progress`` None shows a bar only on a terminal or in a
    notebook.
    """
    spec = spec if isinstance(spec, Sweep) else load_sweep(spec)
    replications = check_replications(replications)
    seed = check_seed(seed)
    figures = check_kpis(list(figures))
    if resume and force:
        raise ValueError("resume and force cannot be used together")
    scenarios = check_plan(spec, replications, yes=yes)
    points = spec.points()
    parameters = list(spec.vary)
    columns = ["point", "replication", *parameters, *KPI_INFO]
    manifest = _manifest(spec, seed, replications)
    done: dict[tuple[int, int], list[str]] = {}
    with contextlib.ExitStack() as held:
        if out is not None:
            out = Path(out)
            held.enter_context(_claim_output(out, figures, force=force))
            cells = [[_text(_cell(point[name])) for name in parameters] for point in points]
            done = _prepare_output(
                out, manifest, columns, figures, resume=resume, force=force, points=cells
            )
        return _run_sweep(
            spec, scenarios, points, parameters, columns, replications, seed, out, done,
            executor, workers, progress, figures,
        )  # fmt: skip


def _run_sweep(
    spec: Sweep,
    scenarios: list[Scenario],
    points: list[dict[str, Any]],
    parameters: list[str],
    columns: list[str],
    replications: int,
    seed: int,
    out: Path | None,
    done: dict[tuple[int, int], list[str]],
    executor: Executor | None,
    workers: int | None,
    progress: bool | None,
    figures: Sequence[str],
) -> SweepResult:
    """Run what is not ``done`` yet, writing each row to ``out`` as it arrives."""
    writer = None
    todo = [(p, r) for p in range(len(points)) for r in range(replications) if (p, r) not in done]
    interrupted: KeyboardInterrupt | None = None
    handle = open(out / RUNS_FILE, "a", newline="", encoding="utf-8") if out else None  # noqa: SIM115
    rows: dict[tuple[int, int], list[Any]] = {}
    try:
        if handle is not None:
            writer = csv.writer(handle)
        bar = _progress_bar(len(points) * replications, len(done), progress)

        def record(key: tuple[int, int], kpis: dict[str, float]) -> None:
            p, r = key
            values = (_cell(points[p][name]) for name in parameters)
            row = [p, r, *values, *(kpis[k] for k in KPI_INFO)]
            rows[key] = row
            if writer is not None and handle is not None:
                writer.writerow([_text(v) for v in row])
                handle.flush()
            bar.update(1)

        tasks = [(key, (scenarios[key[0]], seed, key[1])) for key in todo]
        try:
            _run_all(tasks, record, executor, workers)
        except KeyboardInterrupt as stopped:  # Ctrl-C, or SIGTERM in servicesim sweep
            interrupted = stopped
        finally:
            bar.close()
    finally:
        if handle is not None:
            handle.close()
    table = _table(done, rows, columns, parameters)
    result = SweepResult(spec, seed, replications, table, out, bool(interrupted), parameters)
    if interrupted:
        raise SweepInterrupted(result) from interrupted
    if out is not None:
        result.save(out, figures=figures)
    return result


def check_plan(spec: Sweep, replications: int, *, yes: bool = False) -> list[Scenario]:
    """Every point's scenario, once the sweep is known to be fine to run: more than MAX_POINTS
    points needs ``yes``, and every combination of values must be a valid scenario.

    :func:`sweep` calls this before anything runs; the command line calls it before it
    announces the sweep.
    """
    if spec.size > MAX_POINTS and not yes:
        raise ValueError(
            f"the sweep has {spec.size:,} points x {replications} replications = "
            f"{spec.size * replications:,} runs; more than {MAX_POINTS} points needs "
            "confirmation (yes=True, or --yes on the command line)"
        )
    return spec.scenarios()


class SweepInterrupted(KeyboardInterrupt):
    """Raised after Ctrl-C: what finished is saved (and in ``result``); resume finishes it."""

    def __init__(self, result: SweepResult) -> None:
        total = result.sweep.size * result.replications
        super().__init__(
            f"sweep interrupted: {len(result.runs)} of {total} runs saved"
            + (f" in {result.out}; run again with resume to finish" if result.out else "")
        )
        self.result = result


def run_point(scenario: Scenario, seed: int, replications: Sequence[int]) -> list[dict[str, float]]:
    """KPIs of several replications of one point: one task, so a cluster's per-task cost is
    paid once per chunk instead of once per run."""
    return [run_kpis(scenario, seed, r) for r in replications]


def _chunks(
    tasks: list[tuple[tuple[int, int], tuple]], workers: int
) -> list[tuple[list[tuple[int, int]], tuple]]:
    """Runs of the same point grouped into chunks, small enough to keep every worker busy."""
    size = max(1, math.ceil(len(tasks) / (8 * workers)))
    chunks: list[tuple[list[tuple[int, int]], tuple]] = []
    for _, same_point in itertools.groupby(tasks, key=lambda task: task[0][0]):
        group = list(same_point)
        for start in range(0, len(group), size):
            part = group[start : start + size]
            scenario, seed, _ = part[0][1]
            keys = [key for key, _ in part]
            chunks.append((keys, (scenario, seed, [key[1] for key in keys])))
    return chunks


def _run_all(
    tasks: list[tuple[tuple[int, int], tuple]],
    record: Callable[[tuple[int, int], dict[str, float]], None],
    executor: Executor | None,
    workers: int | None,
) -> None:
    """Submit a bounded window of chunks of runs and record each run as its chunk completes."""
    if not tasks:
        return
    if executor is None:
        count = workers or os.cpu_count() or 1
        if count <= 1:
            for key, args in tasks:
                record(key, run_kpis(*args))
            return
        with stopping(worker_pool(count)) as pool:  # an interrupt stops the workers at once
            _run_all(tasks, record, pool, count)
        return
    count = workers or os.cpu_count() or 2
    window = 2 * count
    pending: dict[Future, list[tuple[int, int]]] = {}
    queue = iter(_chunks(tasks, count))

    def harvest(future: Future) -> None:
        for key, kpis in zip(pending.pop(future), future.result(), strict=True):
            record(key, kpis)

    try:
        while True:
            while len(pending) < window:
                item = next(queue, None)
                if item is None:
                    break
                keys, args = item
                pending[executor.submit(run_point, *args)] = keys
            if not pending:
                return
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                harvest(future)
    except KeyboardInterrupt:
        for future in list(pending):  # keep what finished before the interrupt
            if future.done() and not future.cancelled() and future.exception() is None:
                harvest(future)
        raise
    finally:
        for future in pending:
            future.cancel()


def _save_figures(
    summary: pd.DataFrame,
    parameters: list[str],
    folder: Path,
    kpis: Sequence[str],
    *,
    paired: bool = False,
) -> list[Path]:
    """Each KPI over the sweep and the frontier, as PNG and SVG (its words kept as text, so
    they can be searched and read aloud); none without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from . import plots
    except ImportError:
        return []
    folder.mkdir(exist_ok=True)
    drawn = {kpi: plots.sweep_kpi(summary, parameters, kpi, paired=paired) for kpi in kpis}
    drawn["frontier"] = plots.frontier(summary)
    written = []
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        for name, figure in drawn.items():
            for suffix in ("png", "svg"):
                figure.savefig(folder / f"{name}.{suffix}", dpi=120)
                written.append(folder / f"{name}.{suffix}")
            plt.close(figure)
    return written


def _progress_bar(total: int, initial: int, progress: bool | None):
    from tqdm.auto import tqdm

    disable = None if progress is None else not progress
    return tqdm(total=total, initial=initial, disable=disable, unit="run", desc="sweep")


def _cell(value: Any) -> Any:
    """A parameter value as the table holds it (a list, such as a shift plan, as JSON text)."""
    return json.dumps(list(value)) if isinstance(value, list | tuple) else value


def _text(value: Any) -> str:
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _manifest(spec: Sweep, seed: int, replications: int) -> dict[str, Any]:
    return {
        "seed": seed,
        "replications": replications,
        "mode": spec.mode,
        "vary": {name: list(values) for name, values in spec.vary.items()},
        "base": json.loads(json.dumps(spec.base.to_dict(), default=_json_default)),
    }


def _json_default(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(type(value).__name__)


def _claim_output(out: Path, figures: Sequence[str], *, force: bool):
    """Hold ``out`` for this sweep (:func:`servicesim.folders.claim_folder`): refused if
    another command is writing there or it holds files no sweep wrote; a sweep folder from
    before manifests existed is recognised by its sweep.json."""
    legacy = sweep_files(list(KPI_INFO)) if (out / MANIFEST_FILE).is_file() else []
    return claim_folder(
        out, "sweep", sweep_files(figures), overwrite=force, resume=True, legacy=legacy
    )


def _prepare_output(
    out: Path,
    manifest: dict[str, Any],
    columns: list[str],
    figures: Sequence[str],
    *,
    resume: bool,
    force: bool,
    points: list[list[str]],
) -> dict[tuple[int, int], list[str]]:
    """Make ``out`` ready; with resume, return the runs already saved there (``points``: each
    point's parameter values as runs.csv writes them, to check the saved rows against).

    Without resume or force, every file the sweep would write must be free (another
    command's summary.csv or figures are never replaced unasked)."""
    runs, saved = out / RUNS_FILE, out / MANIFEST_FILE
    exists = runs.exists() or saved.exists()
    if out.exists() and not out.is_dir():
        raise ValueError(f"{out} exists and is not a folder")
    if exists and not (resume or force):
        raise FileExistsError(
            f"{out} already holds a sweep; use resume (--resume) to finish it or force (--force) "
            "to start again"
        )
    if not (resume or force):
        check_free(out, sweep_files(figures))
    if resume and exists:
        previous = read_json(saved, f"{saved}") if saved.exists() else None
        if previous != json.loads(json.dumps(manifest, default=_json_default)):
            raise ValueError(
                f"{out} holds a different sweep (base, values, seed or replications differ); "
                "resume needs the same settings, or use force to start again"
            )
        return _read_saved(runs, columns, points, manifest["replications"])
    out.mkdir(parents=True, exist_ok=True)
    saved.write_text(json.dumps(manifest, indent=1, default=_json_default), encoding="utf-8")
    with open(runs, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(columns)
    return {}


def _read_saved(
    path: Path, columns: list[str], points: list[list[str]], replications: int
) -> dict[tuple[int, int], list[str]]:
    """The rows already on disk, each checked (:func:`_check_row`); only a last line cut off
    by a killed process is dropped, and run again."""
    if not path.exists():
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerow(columns)
        return {}
    text = read_text(path, str(path), limit=None)
    lines = text.splitlines(keepends=True)
    cut = bool(lines) and not lines[-1].endswith("\n")
    good = lines[:-1] if cut else lines
    reader = csv.reader(good)
    try:
        rows = list(reader)
    except csv.Error as err:
        raise ValueError(f"{path} line {reader.line_num}: {err}; use force") from None
    if not rows or rows[0] != columns:
        raise ValueError(f"{path} does not have the columns this sweep writes; use force")
    kept: dict[tuple[int, int], list[str]] = {}
    first: dict[tuple[int, int], int] = {}
    for number, row in enumerate(rows[1:], start=2):
        key = _check_row(path, number, row, columns, points, replications)
        if key in kept:
            same = "the same values" if kept[key] == row else "other values"
            raise ValueError(
                f"{path} line {number}: point {key[0]} replication {key[1]} is already on line "
                f"{first[key]} (with {same}); a sweep writes each run once, so this file was "
                "changed or written by two sweeps: remove the line, or start again with force"
            )
        kept[key], first[key] = row, number
    if cut:
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerows(kept.values())
    return kept


def _check_row(
    path: Path,
    number: int,
    row: list[str],
    columns: list[str],
    points: list[list[str]],
    replications: int,
) -> tuple[int, int]:
    """The (point, replication) of a saved row, or a ValueError naming the file and the line
    if the row is not one this sweep could have written."""
    where = f"{path} line {number}"
    if len(row) != len(columns):
        raise ValueError(f"{where} has {len(row)} values; this sweep writes {len(columns)}")
    try:
        point, replication = int(row[0]), int(row[1])
    except ValueError:
        raise ValueError(
            f"{where}: point={excerpt(row[0])}, replication={excerpt(row[1])} are not whole numbers"
        ) from None
    if not 0 <= point < len(points) or not 0 <= replication < replications:
        raise ValueError(
            f"{where}: point {point} replication {replication} is not in this sweep (points "
            f"0 to {len(points) - 1}, replications 0 to {replications - 1})"
        )
    values = row[2 : 2 + len(points[point])]
    if values != points[point]:
        raise ValueError(
            f"{where}: the parameters {values} are not those of point {point} ({points[point]})"
        )
    for name, text in zip(columns[2 + len(values) :], row[2 + len(values) :], strict=True):
        try:
            float(text)
        except ValueError:
            raise ValueError(f"{where}: {name}={excerpt(text)} is not a number") from None
    return point, replication


def _table(
    saved: dict[tuple[int, int], list[str]],
    fresh: dict[tuple[int, int], list[Any]],
    columns: list[str],
    parameters: list[str],
) -> pd.DataFrame:
    """All rows, sorted by point and replication, with the types a fresh run would have."""
    records = [[_parse(v) for v in row] for row in saved.values()] + list(fresh.values())
    table = pd.DataFrame(records, columns=columns)
    table = table.sort_values(["point", "replication"], kind="stable").reset_index(drop=True)
    table["point"] = table["point"].astype("int64")
    table["replication"] = table["replication"].astype("int64")
    for kpi in KPI_INFO:
        table[kpi] = table[kpi].astype(float)
    return table


def _parse(text: Any) -> Any:
    """A value written by :func:`_text`, back to the Python value it was."""
    if not isinstance(text, str):
        return text
    if text in ("True", "False"):
        return text == "True"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def staffing_curve(scenario: Scenario, **options: Any) -> pd.DataFrame:
    """Deprecated: use ``servicesim.staffing.staffing_curve(...)``, whose ``.table`` this is."""
    warn_renamed(
        "servicesim.sweeps.staffing_curve", "servicesim.staffing.staffing_curve(...).table"
    )
    return _staffing.staffing_curve(scenario, **options).table
