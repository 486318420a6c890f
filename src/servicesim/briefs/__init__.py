"""Briefs shipped with the package, one TOML file each in this folder.

``northbrook`` is the brief the workbooks follow: Northbrook Energy's head of customer
service asks the team (the ``baseline`` preset) to serve customers for less without losing
NPS. Each workbook ends with the centre's scorecard against it.
"""

from __future__ import annotations

from importlib import resources

from ..brief import Brief, loads_brief
from ..parameters import unknown_name_error

SUFFIX = ".toml"


def names() -> list[str]:
    """Names of the shipped briefs, sorted."""
    folder = resources.files(__package__)
    return sorted(p.name[: -len(SUFFIX)] for p in folder.iterdir() if p.name.endswith(SUFFIX))


def load(name: str) -> Brief:
    """The shipped brief called ``name`` (see :func:`names`)."""
    if name not in names():
        raise unknown_name_error("brief", name, names())
    text = resources.files(__package__).joinpath(name + SUFFIX).read_text(encoding="utf-8")
    return loads_brief(text, source=f"brief {name!r}")


__all__ = ["load", "names"]
