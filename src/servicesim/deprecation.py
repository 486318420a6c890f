"""Old names that still work for a while, each with a DeprecationWarning naming the new one."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

#: The release in which the old names stop working.
REMOVED_IN = "0.3"


def warn_renamed(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that ``old`` is now called ``new``."""
    warnings.warn(
        f"{old} is deprecated and will be removed in servicesim {REMOVED_IN}; use {new} instead",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def renamed_keywords(**renames: str) -> Callable[[F], F]:
    """Accept old keyword names (``old="new"``) with a DeprecationWarning."""

    def decorate(fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return fn(*args, **rename_keys(kwargs, renames, where=f"{fn.__name__}(...)"))

        return wrapper  # type: ignore[return-value]

    return decorate


def rename_keys(
    data: Mapping[str, Any], renames: Mapping[str, str], *, where: str, stacklevel: int = 4
) -> dict[str, Any]:
    """``data`` with old keys replaced by their new names (a warning each; both is an error)."""
    out = dict(data)
    for old, new in renames.items():
        if old not in out:
            continue
        if new in out:
            raise ValueError(f"{where}: give {new} only ({old} is its old name)")
        warn_renamed(f"{old!r} in {where}", repr(new), stacklevel=stacklevel)
        out[new] = out.pop(old)
    return out
