"""Named random streams: one independent generator per purpose, derived from (seed, replication).

Each stream's seed depends only on the user's seed, the replication number and the stream's
name, never on the order streams are created or on which process runs them. Two scenarios run
with the same seed therefore draw the same arrivals, patience and handle times (common random
numbers), and a replication gives the same numbers in a process pool as in a plain loop.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Iterator

import numpy as np

from .checks import check_seed

_BLOCK = 1024
#: The numpy Generator method behind each kind of standard draw.
_METHODS = {"uniform": "random", "exponential": "standard_exponential", "normal": "standard_normal"}


def stream_key(name: str) -> int:
    """Stable 32-bit number for a stream name (the same on every machine and Python)."""
    return zlib.crc32(name.encode("utf-8"))


def generator(seed: int, replication: int, name: str) -> np.random.Generator:
    """The numpy generator for stream ``name`` of replication ``replication`` of ``seed``."""
    sequence = np.random.SeedSequence(
        entropy=check_seed(seed), spawn_key=(replication, stream_key(name))
    )
    return np.random.Generator(np.random.PCG64(sequence))


def _blocks(seed: int, replication: int, name: str, method: str) -> Iterator[float]:
    """The draws of one stream, made a block at a time; its generator only when first drawn
    from (many scenarios never touch some streams)."""
    draws: list[Callable[[int], np.ndarray]] = []

    def block() -> list[float]:
        if not draws:
            draws.append(getattr(generator(seed, replication, name), method))
        return draws[0](_BLOCK).tolist()

    return itertools.chain.from_iterable(iter(block, None))


class Streams:
    """Buffered standard draws for one replication: ``streams.uniform("patience")()`` etc.

    Each named stream hands out one kind of standard variate (uniform on [0, 1), unit
    exponential or standard normal); callers scale them. Drawing in blocks keeps a draw at
    the cost of a Python function call.
    """

    def __init__(self, seed: int, replication: int = 0) -> None:
        self.seed = check_seed(seed)
        self.replication = check_seed(replication, "replication")
        self._made: dict[str, str] = {}

    def _claim(self, name: str, kind: str) -> Callable[[], float]:
        if self._made.setdefault(name, kind) != kind:
            raise ValueError(f"stream {name!r} already hands out {self._made[name]} draws")
        return _blocks(self.seed, self.replication, name, _METHODS[kind]).__next__

    def uniform(self, name: str) -> Callable[[], float]:
        """A function returning the next U[0, 1) draw of stream ``name``."""
        return self._claim(name, "uniform")

    def exponential(self, name: str) -> Callable[[], float]:
        """A function returning the next unit-mean exponential draw of stream ``name``."""
        return self._claim(name, "exponential")

    def normal(self, name: str) -> Callable[[], float]:
        """A function returning the next standard normal draw of stream ``name``."""
        return self._claim(name, "normal")
