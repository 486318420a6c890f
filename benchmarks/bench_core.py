"""Speed of servicesim as ratios to a bare SimPy M/M/c+M model timed in the same run.

Usage: ``python benchmarks/bench_core.py [--quick] [--json PATH]`` (see benchmarks/README.md).
Targets are printed for reading, never enforced: the script always exits 0.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Generator
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import partial
from typing import Any

import numpy as np
import simpy

import servicesim
from servicesim import presets
from servicesim.experiment import SequentialExecutor, run_kpis

# The ``erlang`` preset's queue, in minutes: 200 calls/h, 3-min handle, 14 agents, 5-min patience.
RATE = 200.0 / 60.0
HANDLE = 3.0
AGENTS = 14
PATIENCE = 5.0
HORIZON = 24 * 60.0
SEED = 1
N_REPLICATIONS = 30
N_BARE = 10  # bare runs for the scaling ceiling: about the same work as 30 replications
TARGETS = (
    "ratio >= 0.6: servicesim keeps >= 60% of a bare SimPy queue's customers/s (its overhead)",
    "with the garbage collector on, as users run it: erlang >= 0.9 of the bare model, also"
    " with 50 agents and 425 calls an hour",
    "a lever: first numbers (one day) < 0.25 s, the full answer < 0.6 s (in process here)",
    "< 150 ms per baseline replication: 30 replications of a workshop day in a few seconds",
    "every mechanism on: >= 0.4 of the bare model's customers/s and < 250 ms per replication",
    "speed-up ~0.85 x workers (1.7x on 2 cores): replications scale with cores;"
    " 'ceiling' is the bare model's own speed-up on this machine",
)


#: A large queue as well: 425 calls an hour, 50 agents (the size of a real contact centre).
LARGE = {"rate": 425.0 / 60.0, "agents": 50}


def bare_mmcm(
    seed: int, rate: float = RATE, agents_n: int = AGENTS, horizon: float = HORIZON
) -> int:
    """Bare SimPy M/M/c+M (the erlang preset's parameters unless given); returns customers
    generated."""
    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=agents_n)
    generated = 0

    def customer() -> Generator[simpy.Event, Any, None]:
        req = agents.request()
        result = yield req | env.timeout(rng.exponential(PATIENCE))
        if req in result:
            yield env.timeout(rng.exponential(HANDLE))
            agents.release(req)
        else:
            req.cancel()  # abandoned

    def source() -> Generator[simpy.Event, Any, None]:
        nonlocal generated
        while True:
            yield env.timeout(rng.exponential(1.0 / rate))
            generated += 1
            env.process(customer())

    env.process(source())
    env.run(until=horizon)
    return generated


def times(
    fns: dict[str, Callable[[], object]], repeats: int, collector: bool = True
) -> dict[str, list[float]]:
    """Wall seconds of ``repeats`` calls of each function, taken in turn so drifts hit all alike.

    Each call starts after a full garbage collection, so no contender pays for the garbage
    another one left behind. With ``collector`` the cyclic collector runs during the call, as
    it does for every user; without it (as timeit does) it is off.
    """
    out: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            gc.collect()
            if not collector:
                gc.disable()
            try:
                start = time.perf_counter()
                fn()
                out[name].append(time.perf_counter() - start)
            finally:
                gc.enable()
    return out


def sim_contacts(scenario: servicesim.Scenario) -> None:
    """simulate() plus building the per-contact DataFrame."""
    _ = servicesim.simulate(scenario, SEED, 0).contacts


def replicate_with(
    scenario: servicesim.Scenario, make: Callable[[], Executor] | None
) -> Callable[[], None]:
    """One replicate(..., replications=30) on a fresh executor from ``make`` (None: a pool)."""

    def run() -> None:
        if make is None:
            servicesim.replicate(scenario, N_REPLICATIONS, SEED)
            return
        with make() as executor:
            servicesim.replicate(scenario, N_REPLICATIONS, SEED, executor=executor)

    return run


def every_mechanism_on(baseline: servicesim.Scenario) -> servicesim.Scenario:
    """Baseline with the mechanisms it leaves off switched on too (erosion, check-ins, ...)."""
    return baseline.replace(
        name="baseline, every mechanism on",
        standards_erode=True,
        checkins_per_hour=30.0,
        repair_sla_minutes=60.0,
        priority="new",
        always_offer_human=True,
        abuse_policy="end_politely",
    )


def bare_batch(make: Callable[[], Executor]) -> Callable[[], None]:
    """N_BARE runs of the bare model on a fresh executor: the machine's own scaling."""

    def run() -> None:
        with make() as executor:
            list(executor.map(bare_mmcm, range(N_BARE)))

    return run


def per_replication(customers: int, seconds: list[float], bare_rate: float) -> dict[str, Any]:
    """Best and median time of one replication, its customers/s and the ratio to the bare model."""
    best = min(seconds)
    return {
        "customers": customers,
        "ms_best": 1000 * best,
        "ms_median": 1000 * statistics.median(seconds),
        "customers_per_s": customers / best,
        "ratio": customers / best / bare_rate,
    }


def measure(repeats: int) -> dict[str, Any]:
    """Run every measurement and return the figures."""
    cpus = os.cpu_count() or 1
    erlang, baseline = presets.load("erlang"), presets.load("baseline")
    full = every_mechanism_on(baseline)
    n_erlang = len(servicesim.simulate(erlang, SEED, 0).record.contacts)
    n_base = len(servicesim.simulate(baseline, SEED, 0).record.contacts)
    n_full = len(servicesim.simulate(full, SEED, 0).record.contacts)
    run_kpis(baseline, SEED, 0)  # warm caches before timing

    bare_customers = bare_mmcm(SEED)
    large = erlang.replace(name="erlang, 50 agents", arrivals_per_hour=425.0, agents=50)
    n_large = len(servicesim.simulate(large, SEED, 0).record.contacts)
    bare_large = bare_mmcm(SEED, LARGE["rate"], LARGE["agents"])
    queues = {}
    for collector in (True, False):
        q = times(
            {
                "bare": lambda: bare_mmcm(SEED),
                "erlang": lambda: run_kpis(erlang, SEED, 0),
                "bare large": lambda: bare_mmcm(SEED, LARGE["rate"], LARGE["agents"]),
                "large": lambda: run_kpis(large, SEED, 0),
            },
            repeats,
            collector,
        )
        queues["gc on" if collector else "gc off"] = {
            "erlang_ratio": n_erlang / min(q["erlang"]) / (bare_customers / min(q["bare"])),
            "large_ratio": n_large / min(q["large"]) / (bare_large / min(q["bare large"])),
        }
    t = times(
        {
            "bare": lambda: bare_mmcm(SEED),
            "kpis": lambda: run_kpis(erlang, SEED, 0),
            "frame": lambda: sim_contacts(erlang),
            "base": lambda: run_kpis(baseline, SEED, 0),
            "full": lambda: run_kpis(full, SEED, 0),
        },
        repeats,
    )
    latency = lever_latency(baseline, repeats)
    bare, kpis_t, frame_t = min(t["bare"]), min(t["kpis"]), min(t["frame"])
    base_ts, full_ts = t["base"], t["full"]
    bare_rate = bare_customers / bare

    pool2 = partial(ProcessPoolExecutor, max_workers=2)
    makers: dict[str, Callable[[], Executor] | None] = {
        "sequential": SequentialExecutor,
        f"default ({min(N_REPLICATIONS, cpus)} procs)": None,
        "ProcessPool(2)": pool2,
    }
    workers = [1, min(N_REPLICATIONS, cpus), 2]
    runs = {name: replicate_with(baseline, m) for name, m in makers.items()}
    runs |= {"bare seq": bare_batch(SequentialExecutor), "bare pool": bare_batch(pool2)}
    walls = {name: min(ts) for name, ts in times(runs, repeats).items()}
    seq = walls["sequential"]
    ceiling = walls["bare seq"] / walls["bare pool"]
    return {
        "bare": {"customers": bare_customers, "seconds": bare, "customers_per_s": bare_rate},
        "erlang": {
            "customers": n_erlang,
            "run_kpis_customers_per_s": n_erlang / kpis_t,
            "run_kpis_ratio": n_erlang / kpis_t / bare_rate,
            "simulate_contacts_customers_per_s": n_erlang / frame_t,
            "simulate_contacts_ratio": n_erlang / frame_t / bare_rate,
        },
        "baseline": per_replication(n_base, base_ts, bare_rate),
        "full": per_replication(n_full, full_ts, bare_rate),
        "replicate": [
            {
                "executor": name,
                "workers": w,
                "seconds": walls[name],
                "speedup": seq / walls[name],
                "of_ceiling": seq / walls[name] / ceiling if w > 1 else None,
                "target_speedup": 0.85 * min(w, cpus),
            }
            for name, w in zip(makers, workers, strict=True)
        ],
        "ceiling": {"bare_runs": N_BARE, "workers": 2, "speedup": ceiling},
        "collector": queues,
        "large": {"customers": n_large, "bare_customers": bare_large},
        "latency": latency,
    }


def lever_latency(baseline: servicesim.Scenario, repeats: int) -> dict[str, float]:
    """In process, as a workbook's panel answers: a lever moved to the next agent count, until
    the panel shows the first numbers (one simulated day) and until the full answer (all its
    days, with the interval, the charts redrawn)."""
    import matplotlib

    matplotlib.use("Agg")
    from servicesim.widgets import Dashboard
    from servicesim.widgets.dashboard import DEFAULT_REPLICATIONS

    dash = Dashboard(baseline, ["agents"])
    dash.wait()
    slider = dash.controls["agents"]
    shown: dict[str, float] = {}

    def seen(change: dict[str, Any]) -> None:
        if 'data-state="first"' in change["new"] and "first" not in shown:
            shown["first"] = time.perf_counter()

    dash.nps_html.observe(seen, "value")
    first, full = [], []
    for k in range(repeats):
        shown.clear()
        start = time.perf_counter()
        slider.value = baseline.agents - 1 - k % 2  # the panel answers in its worker thread
        dash.wait()
        full.append(time.perf_counter() - start)
        if "first" in shown:
            first.append(shown["first"] - start)
    return {
        "first_s": min(first, default=math.nan),
        "full_s": min(full),
        "days": DEFAULT_REPLICATIONS,
    }


def report(fig: dict[str, Any], meta: dict[str, Any]) -> None:
    """Print the header and the table."""
    print(f"servicesim core benchmark — {meta['mode']}, best of {meta['repeats']}")
    print(
        f"Python {meta['python']} | simpy {meta['simpy']} | numpy {meta['numpy']} | "
        f"servicesim {meta['servicesim']} | os.cpu_count() = {meta['cpu_count']} | "
        f"{meta['machine']}"
    )
    load = meta["load_before"]
    if load is not None:
        busy = load > 0.25 * (meta["cpu_count"] or 1)
        warn = "  (machine busy: figures, above all speed-ups, are unreliable)" if busy else ""
        print(f"1-min load average before the run: {load:.2f}{warn}")
    print("Targets (read, not enforced):")
    for line in TARGETS:
        print(f"  - {line}")
    print()

    def row(label: str, value: str, ratio: str = "", target: str = "", ok: bool | None = None,
            note: str = "") -> None:  # fmt: skip
        mark = "" if ok is None else ("met" if ok else "MISSED")
        print(f"{label:<46}{value:>16}{ratio:>10}  {target:<10}{mark:<7}{note}".rstrip())

    bare, erl, base = fig["bare"], fig["erlang"], fig["baseline"]
    row("measure", "value", "ratio", "target", None)
    print("-" * 92)
    row(
        f"1 bare SimPy M/M/c+M (24 h, {bare['customers']} customers)",
        f"{bare['customers_per_s']:,.0f} cust/s",
        "1.00",
    )
    for key, label in (("run_kpis", "run_kpis"), ("simulate_contacts", "simulate + .contacts")):
        ratio = erl[f"{key}_ratio"]
        row(
            f"2 erlang: {label}",
            f"{erl[f'{key}_customers_per_s']:,.0f} cust/s",
            f"{ratio:.2f}",
            ">= 0.6",
            ratio >= 0.6,
        )
    row(
        f"3 baseline run_kpis ({base['customers']} contacts)",
        f"{base['ms_best']:.1f} ms",
        "",
        "< 150 ms",
        base["ms_best"] < 150,
    )
    row("  median of repeats", f"{base['ms_median']:.1f} ms")
    row("  customers/s", f"{base['customers_per_s']:,.0f} cust/s", f"{base['ratio']:.2f}")
    full = fig["full"]
    row(
        f"3 baseline, every mechanism on ({full['customers']})",
        f"{full['ms_best']:.1f} ms",
        f"{full['ratio']:.2f}",
        "< 250 ms",
        full["ms_best"] < 250,
    )
    row(
        "  customers/s vs bare (target >= 0.4)",
        f"{full['customers_per_s']:,.0f} cust/s",
        f"{full['ratio']:.2f}",
        ">= 0.4",
        full["ratio"] >= 0.4,
    )
    for mode, q in fig["collector"].items():
        users = mode == "gc on"  # the target is for the collector on, as users run it
        for key, label in (("erlang_ratio", "erlang"), ("large_ratio", "erlang, 50 agents, 425/h")):
            ratio = q[key]
            target, ok = (">= 0.9", ratio >= 0.9) if users else ("", None)
            row(f"2 {label}, collector {mode.split()[1]}", "", f"{ratio:.2f}", target, ok)
    lat = fig["latency"]
    row("5 lever -> first numbers (one day)", f"{lat['first_s']:.3f} s", "", "< 0.25 s",
        lat["first_s"] < 0.25)  # fmt: skip
    row(f"5 lever -> full answer ({lat['days']} days, redrawn)", f"{lat['full_s']:.3f} s", "",
        "< 0.6 s", lat["full_s"] < 0.6)  # fmt: skip
    ceil = fig["ceiling"]["speedup"]
    row(f"4 ceiling: bare model x{N_BARE}, ProcessPool(2)", "", f"{ceil:.2f}x")
    for r in fig["replicate"]:
        target = f">= {r['target_speedup']:.2f}x" if r["workers"] > 1 else ""
        ok = r["speedup"] >= r["target_speedup"] if r["workers"] > 1 else None
        row(
            f"4 replicate(baseline, 30) {r['executor']}",
            f"{r['seconds']:.2f} s",
            f"{r['speedup']:.2f}x",
            target,
            ok,
            f"({r['of_ceiling']:.2f} of ceiling)" if r["workers"] > 1 else "",
        )


def main(argv: list[str] | None = None) -> None:
    """Parse options, measure, print, and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 repeats instead of 5")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    repeats = 2 if args.quick else 5
    meta = {
        "mode": "quick" if args.quick else "full",
        "repeats": repeats,
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "numpy": np.__version__,
        "servicesim": servicesim.__version__,
        "cpu_count": os.cpu_count(),
        "machine": f"{platform.system()} {platform.machine()}",
        "seed": SEED,
        "load_before": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }
    start = time.perf_counter()
    figures = measure(repeats)
    meta["total_seconds"] = time.perf_counter() - start
    report(figures, meta)
    print(f"\n(total {meta['total_seconds']:.1f} s)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, **figures}, fh, indent=2)
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    sys.exit(main())
