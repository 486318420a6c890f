"""Worker processes that never outlive the command that started them, and SIGTERM as Ctrl-C.

A pool from :func:`worker_pool` is stopped at once when its block ends with an error or an
interrupt: queued runs are cancelled and the workers terminated (runs in flight are lost; a
sweep runs them again on resume). Each worker also watches its parent: if the parent is killed
outright (SIGKILL, a crash), the worker exits within about a second instead of running on.
On Linux the kernel does it (``prctl(PR_SET_PDEATHSIG)``); elsewhere, and as a backstop, a
thread in each worker notices that its parent has changed.

:func:`stop_on_sigterm` makes SIGTERM take the path Ctrl-C takes (raising
:class:`Terminated`, a KeyboardInterrupt), so ``kill`` saves what finished, like Ctrl-C.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

#: Seconds between a worker's looks at its parent (where the kernel cannot tell it).
WATCH_INTERVAL = 0.5
#: prctl option: the signal this process gets when its parent dies (linux/prctl.h).
PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: stop as after Ctrl-C, then exit with 143 (128 + SIGTERM)."""


def exit_code(interrupt: BaseException) -> int:
    """The exit code of a command stopped by ``interrupt``: 143 for SIGTERM, else 130."""
    return 128 + signal.SIGTERM if isinstance(interrupt, Terminated) else 128 + signal.SIGINT


@contextlib.contextmanager
def stop_on_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises :class:`Terminated` in the main thread; a second
    SIGTERM kills as usual. Outside the main thread (or without SIGTERM) this does nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM is not caught
        raise Terminated("stopped by SIGTERM")

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def worker_pool(max_workers: int | None = None) -> ProcessPoolExecutor:
    """A process pool whose workers exit when their parent dies and leave Ctrl-C to the
    parent; use it as ``with stopping(worker_pool(k)) as pool``."""
    method = multiprocessing.get_start_method()
    return ProcessPoolExecutor(
        max_workers=max_workers, initializer=_start_worker, initargs=(os.getpid(), method)
    )


@contextlib.contextmanager
def stopping(pool: ProcessPoolExecutor) -> Iterator[ProcessPoolExecutor]:
    """Use ``pool`` in the block; shut it down after, waiting for nothing if the block ends
    with an error or an interrupt (its workers are then terminated)."""
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and terminate the workers now, runs in flight included."""
    # ProcessPoolExecutor has no public way to stop a running task before Python 3.14, and
    # forgets its workers on shutdown: take them first.
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in workers:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join(timeout=5)


def _start_worker(parent: int, method: str) -> None:
    """Pool initializer: Ctrl-C is the parent's to handle, SIGTERM ends the worker, and the
    worker ends when its parent does (``parent`` started it by ``method``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    watched = os.getppid()
    if method in ("fork", "spawn") and watched != parent:
        os._exit(1)  # the parent died before the watch began
    # A forkserver's workers watch the server, which exits with the parent.
    threading.Thread(target=_watch, args=(watched,), daemon=True, name="parent-watch").start()


def dask_setup(worker: object) -> None:
    """Dask's preload hook (``servicesim dask local`` preloads this module): a local
    cluster's workers, like the pool's, leave Ctrl-C to the command, which closes them."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _watch(parent: int) -> None:
    """End this worker as soon as its parent process is no longer ``parent``."""
    while os.getppid() == parent:
        time.sleep(WATCH_INTERVAL)
    os._exit(1)
