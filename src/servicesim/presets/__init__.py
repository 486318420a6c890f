"""Named scenarios shipped with the package, one TOML file each in this folder.

A preset file may say ``base = "other-preset"`` and list only what it changes.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path

from ..parameters import unknown_name_error
from ..scenario import Scenario, check_no_cycle, from_mapping_with_base, load_file


def names() -> list[str]:
    """Names of the shipped presets, sorted."""
    folder = resources.files(__name__)
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load(name: str, *, chain: tuple[str, ...] = ()) -> Scenario:
    """The preset called ``name`` (see :func:`names`)."""
    available = names()
    if name not in available:
        raise unknown_name_error("preset", name, available)
    identity = f"preset {name!r}"
    check_no_cycle(identity, chain)
    text = resources.files(__name__).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return from_mapping_with_base(data, source=identity, chain=(*chain, identity))


def describe() -> dict[str, str]:
    """Preset name -> one-line description."""
    return {name: load(name).description for name in names()}


def resolve(
    name_or_path: str, *, relative_to: str | None = None, chain: tuple[str, ...] = ()
) -> Scenario:
    """A preset by name, or a scenario TOML file by path (relative to another file if given)."""
    if name_or_path in names():
        return load(name_or_path, chain=chain)
    path = Path(name_or_path)
    if relative_to and not path.is_absolute() and Path(relative_to).exists():
        path = Path(relative_to).parent / path
    if path.suffix == ".toml" or path.exists():
        check_no_cycle(str(path.resolve()), chain)
        return load_file(path, chain=chain)
    raise unknown_name_error("preset", name_or_path, names())
