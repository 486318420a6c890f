"""The inputs every entry point shares, checked in one place: the seed and the replication count.

The library, the command line, the widgets and the report all call these, so a bad value gets
the same one-line message and the same bounds wherever it is typed.
"""

from __future__ import annotations

import numpy as np

#: The seed used when none is given: the same in the library, the CLI, the widgets and reports.
DEFAULT_SEED = 1
#: The most replications one call may ask for.
MAX_REPLICATIONS = 10_000


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` if it is a whole number >= 0, else raise ValueError naming ``name``."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"{name}={seed!r} is not allowed; expected a whole number >= 0")
    return int(seed)


def check_currency(symbol: object, name: str = "currency") -> str:
    """Return ``symbol`` if it can stand before an amount: up to 4 letters or currency signs
    ("€", "$", "£", "CHF", "R$"), or "" for none; else a ValueError naming ``name``."""
    import unicodedata

    allowed = isinstance(symbol, str) and len(symbol) <= 4
    if allowed and all(c.isalpha() or unicodedata.category(c) == "Sc" for c in str(symbol)):
        return str(symbol)
    raise ValueError(
        f"{name}={symbol!r} is not allowed; expected up to 4 letters or currency signs "
        "such as €, $, £ or CHF (or nothing)"
    )


def check_replications(
    value: object, name: str = "replications", *, low: int = 1, high: int = MAX_REPLICATIONS
) -> int:
    """Return ``value`` if it is a whole number in [low, high], else raise ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(
            f"{name}={value!r} is not allowed; expected a whole number in [{low}, {high}]"
        )
    if not low <= value <= high:
        raise ValueError(
            f"{name}={value!r} is not allowed; expected a whole number in [{low}, {high}]"
        )
    return int(value)
