"""Run sweeps on a Dask cluster through its concurrent.futures executor.

``dask_executor("tcp://host:8786")`` connects to a running scheduler; ``"local"`` starts a
LocalCluster of worker processes on this machine (loopback only). Results do not depend on
where runs execute: every run draws from its own (seed, replication) streams.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

#: Seconds to wait for a scheduler before saying it cannot be reached.
CONNECT_TIMEOUT = 5.0
#: A local cluster shares this machine's cores with the runs: no statistical profiler, and
#: the housekeeping loops wake less often (about 8 % faster on 2 cores, bench_sweep.py).
LOCAL_CLUSTER_CONFIG = {
    "distributed.worker.profile.enabled": False,
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "5s",
}


def check_address(address: str) -> str:
    """``address`` if it is 'local' or looks like a scheduler's address, else a ValueError
    (checked before any work; whether it answers is known only when connecting)."""
    if address != "local" and "://" not in address:
        raise ValueError(
            f"dask address {address!r} is not allowed; expected 'local' or a scheduler "
            "address such as tcp://10.0.0.5:8786"
        )
    return address


@contextlib.contextmanager
def dask_executor(
    address: str, *, workers: int = 2, timeout: float = CONNECT_TIMEOUT
) -> Iterator[Executor]:
    """An executor backed by the Dask scheduler at ``address`` (or a new local cluster)."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ValueError(
            "running on Dask needs dask.distributed: python -m pip install 'servicesim[cluster]'"
        ) from None
    cluster = None
    if address == "local":
        import dask

        with dask.config.set(LOCAL_CLUSTER_CONFIG):
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # import the model once, at start-up; leave Ctrl-C to the command
                preload=["servicesim.experiment", "servicesim.processes"],
            )
            client = Client(cluster)
    else:
        check_address(address)
        try:
            client = Client(address, timeout=f"{timeout}s")
        except (OSError, TimeoutError) as err:
            raise ConnectionError(
                f"cannot reach the Dask scheduler at {address} within {timeout:g} s ({err})"
            ) from None
    try:
        yield client.get_executor()
    finally:
        if cluster is not None:
            _quiet_shutdown(client)
        client.close()
        if cluster is not None:
            cluster.close()


def _quiet_shutdown(client: Any) -> None:
    """Silence a local cluster's logs before it is closed: after Ctrl-C or SIGTERM its workers
    would otherwise report every cancelled run and lost heartbeat on stderr, after the
    command's one line. Errors during the runs reach the caller through the futures."""
    import logging

    def quiet() -> None:
        logging.getLogger("distributed").setLevel(logging.CRITICAL)

    with contextlib.suppress(Exception):
        client.run(quiet)
    quiet()
