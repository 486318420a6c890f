"""Tables that still answer to renamed column names, with a DeprecationWarning.

Columns were renamed so that units read the same way everywhere (``_minutes``, as in the
scenario's fields and the KPIs). ``contacts["wait_min"]`` and ``contacts.wait_min`` keep
working until the release named in :mod:`servicesim.deprecation`; anything derived from a
table (a filter, a groupby) is a plain DataFrame with the new names only.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .deprecation import warn_renamed
from .kpis import REMOVED_KPIS

#: Old column name -> its name now.
RENAMED_COLUMNS: dict[str, str] = {
    **{
        f"{stem}_min": f"{stem}_minutes"
        for stem in (
            "arrival",
            "bot",
            "queued",
            "wait",
            "patience",
            "need",
            "handle",
            "end",
            "first_arrival",
            "total_wait",
            "start",
        )
    },
}


class Table(pd.DataFrame):
    """A DataFrame that maps an old column name to its new one, with a warning."""

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _renamed(self, key: Any) -> Any:
        if isinstance(key, str) and key in REMOVED_KPIS and key not in self.columns:
            raise KeyError(REMOVED_KPIS[key])
        if isinstance(key, str) and key in RENAMED_COLUMNS and key not in self.columns:
            new = RENAMED_COLUMNS[key]
            warn_renamed(f"column {key!r}", repr(new), stacklevel=4)
            return new
        return key

    def __getitem__(self, key: Any) -> Any:
        renamed = [self._renamed(k) for k in key] if isinstance(key, list) else self._renamed(key)
        return super().__getitem__(renamed)

    def __getattr__(self, name: str) -> Any:
        if (name in RENAMED_COLUMNS or name in REMOVED_KPIS) and name not in self.columns:
            return self[name]
        return super().__getattr__(name)


def table(frame: pd.DataFrame) -> Table:
    """``frame`` as a :class:`Table` (the same data, no copy of the values needed)."""
    return Table(frame)
