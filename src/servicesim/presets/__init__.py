"""Named scenarios shipped with the package, one TOML file each in this folder.

A preset file may say ``base = "other-preset"`` and list only what it changes. Loading goes
through :mod:`servicesim.loading`, like every other scenario.
"""

from __future__ import annotations

from ..deprecation import warn_renamed
from ..loading import load as _load
from ..loading import load_preset, preset_names
from ..scenario import Scenario


def names() -> list[str]:
    """Names of the shipped presets, sorted."""
    return preset_names()


def load(name: str) -> Scenario:
    """The preset called ``name`` (see :func:`names`)."""
    return load_preset(name)


def describe() -> dict[str, str]:
    """Preset name -> one-line description."""
    return {name: load(name).description for name in names()}


def resolve(name_or_path: str, *, relative_to: str | None = None) -> Scenario:
    """Deprecated: use ``servicesim.load(name_or_path)``."""
    warn_renamed("presets.resolve(name_or_path)", "servicesim.load(name_or_path)")
    return _load(name_or_path, relative_to=relative_to)
