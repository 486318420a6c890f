"""Sweep speed: a 50-point x 10-replication sweep of `baseline`, sequential vs 2 processes vs
a Dask LocalCluster with 2 workers, printed as speed-ups over sequential (measured in the same
run). Usage: ``python benchmarks/bench_sweep.py [--points N] [--reps N]``. Always exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

import servicesim
from servicesim import presets
from servicesim.cluster import dask_executor
from servicesim.experiment import SequentialExecutor
from servicesim.sweeps import Sweep, sweep

TARGET = 1.7  # speed-up on 2 cores for both parallel runs


def the_sweep(points: int) -> Sweep:
    """``points`` values of caring minutes on the baseline (a realistic manager's sweep)."""
    values = tuple(round(0.1 * i, 1) for i in range(points))
    return Sweep(presets.load("baseline"), {"care_minutes": values})


def timed(label: str, run) -> tuple[float, pd.DataFrame]:
    start = time.perf_counter()
    table = run()
    seconds = time.perf_counter() - start
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return seconds, table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=50)
    parser.add_argument("--reps", type=int, default=10)
    args = parser.parse_args()
    spec = the_sweep(args.points)
    runs = args.points * args.reps
    print(
        f"servicesim sweep benchmark: {args.points} points x {args.reps} replications = {runs} runs"
    )
    print(
        f"Python {platform.python_version()} | servicesim {servicesim.__version__} | "
        f"os.cpu_count() = {os.cpu_count()} | load before: {os.getloadavg()[0]:.2f}"
    )

    def run_on(executor, workers):
        return sweep(
            spec, replications=args.reps, seed=1, executor=executor, workers=workers, progress=False
        ).runs

    base, reference = timed("sequential (in this process)", lambda: run_on(SequentialExecutor(), 1))

    def pool():
        with ProcessPoolExecutor(max_workers=2) as executor:
            return run_on(executor, 2)

    pooled_s, pooled = timed("process pool, 2 workers (start-up included)", pool)

    startup = {}

    def dask():
        start = time.perf_counter()
        with dask_executor("local", workers=2) as executor:
            startup["seconds"] = time.perf_counter() - start
            return run_on(executor, 2)

    dask_s, on_dask = timed("Dask LocalCluster, 2 workers (start-up included)", dask)
    print(f"  {'  of which cluster start-up':<44} {startup['seconds']:8.2f} s")
    same = reference.equals(pooled) and reference.equals(on_dask)
    print()
    print(f"{'measure':<44} {'speed-up':>9}  target")
    rows = (
        ("process pool, 2 workers", pooled_s),
        ("Dask LocalCluster, 2 workers", dask_s),
        ("Dask LocalCluster, 2, once started", dask_s - startup["seconds"]),
    )
    for label, seconds in rows:
        ratio = base / seconds
        verdict = "met" if ratio >= TARGET else "MISSED"
        print(f"{label:<44} {ratio:8.2f}x  >= {TARGET}x {verdict}")
    print(f"\nsame table on all three: {same}; sequential {runs / base:.1f} runs/s")


if __name__ == "__main__":
    main()
