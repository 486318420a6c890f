"""Work that only the newest request matters for, done off the widget thread.

A lever pressed three times in a second asks for three answers, but a learner only wants
the last. Each request replaces any request still waiting, one worker thread runs the newest,
and the work can ask between its steps whether a newer request has arrived, to stop early.
The kernel's own thread stays free to take the next key press while the worker simulates.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

#: How the work learns that a newer request is waiting: it should stop and let that run.
Superseded = Callable[[], bool]


class LatestOnly:
    """Run ``work`` in a worker thread for the newest request; requests in between merge."""

    def __init__(self, work: Callable[[Superseded], None]) -> None:
        self._work = work
        self._lock = threading.Lock()
        self._waiting = False
        self._worker: threading.Thread | None = None
        self._idle = threading.Event()
        self._idle.set()
        self.started = 0  # how many times the work began (requests merged do not count)

    def request(self) -> None:
        """Ask for the work to run again (it reads the newest state when it starts)."""
        with self._lock:
            self._waiting = True
            self._idle.clear()
            if self._worker is None:
                self._worker = threading.Thread(target=self._loop, daemon=True)
                self._worker.start()

    def superseded(self) -> bool:
        """True when a newer request waits: the work running now is out of date."""
        return self._waiting

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no request is waiting or running; False if ``timeout`` ran out first."""
        return self._idle.wait(timeout)

    @property
    def busy(self) -> bool:
        return not self._idle.is_set()

    def _loop(self) -> None:
        try:
            while True:
                with self._lock:
                    if not self._waiting:
                        return
                    self._waiting = False
                    self.started += 1
                self._work(self.superseded)
        finally:  # also after an error in the work: a request that came meanwhile still runs
            with self._lock:
                self._worker = None
                if self._waiting:
                    self._worker = threading.Thread(target=self._loop, daemon=True)
                    self._worker.start()
                else:
                    self._idle.set()


__all__ = ["LatestOnly", "Superseded"]
