"""One loader for scenarios: a preset name or a TOML file, with ``base =`` chains.

``load("baseline")`` reads a shipped preset; ``load("my-team.toml")`` a file, which may start
from a preset or another file (``base = "baseline"``, a path relative to the file) and list only
what it changes. ``loads(text)`` reads TOML text, such as an uploaded file. The presets, the
command line, sweeps, the lab and reports all load through here, so every entry gives the same
errors: one line naming the file and the field.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .parameters import unknown_name_error
from .scenario import Scenario, flatten_groups

PRESET_SUFFIX = ".toml"


def preset_names() -> list[str]:
    """Names of the shipped presets, sorted."""
    folder = resources.files(__package__).joinpath("presets")
    return sorted(
        p.name[: -len(PRESET_SUFFIX)] for p in folder.iterdir() if p.name.endswith(PRESET_SUFFIX)
    )


def load(source: str | Path, *, relative_to: str | Path | None = None) -> Scenario:
    """A preset by name, or a scenario TOML file by path (relative to another file if given)."""
    return _load(str(source), relative_to=relative_to, chain=())


def load_preset(name: str) -> Scenario:
    """The shipped preset called ``name`` (see :func:`preset_names`)."""
    return _load_preset(name, chain=())


def loads(text: str, source: str = "scenario text") -> Scenario:
    """A scenario from TOML text (an uploaded file); ``source`` names it in error messages.

    A ``base`` may name a preset or a file path (relative to the current folder).
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{source} is not valid TOML: {err}") from None
    return from_mapping(data, source=source, chain=(source,))


def from_mapping(data: Mapping[str, Any], *, source: str, chain: tuple[str, ...] = ()) -> Scenario:
    """Scenario from parsed TOML, honouring an optional ``base`` preset or file to start from.

    ``chain`` holds what has been read on the way here, so a base that leads back to itself
    is reported instead of followed forever.
    """
    data = dict(data)
    base_name = data.pop("base", None)
    flat = flatten_groups(data)
    if base_name is None:
        return Scenario.from_dict(flat)
    if not isinstance(base_name, str):
        raise ValueError(f"{source}: base={base_name!r} must be a preset name or a file path")
    return _load(base_name, relative_to=source, chain=chain).replace(**flat)


def check_no_cycle(identity: str, chain: tuple[str, ...]) -> None:
    """Raise ValueError when ``identity`` was already read on the way to it."""
    if identity in chain:
        loop = " -> ".join((*chain[chain.index(identity) :], identity))
        raise ValueError(f"base leads back to itself: {loop}")


def _load(source: str, *, relative_to: str | Path | None, chain: tuple[str, ...]) -> Scenario:
    available = preset_names()
    if source in available:
        return _load_preset(source, chain=chain)
    path = Path(source)
    if relative_to and not path.is_absolute() and Path(relative_to).exists():
        path = Path(relative_to).parent / path
    if path.suffix == PRESET_SUFFIX or path.exists():
        check_no_cycle(str(path.resolve()), chain)
        return _load_file(path, chain=chain)
    raise unknown_name_error("preset", source, available)


def _load_preset(name: str, *, chain: tuple[str, ...]) -> Scenario:
    available = preset_names()
    if name not in available:
        raise unknown_name_error("preset", name, available)
    identity = f"preset {name!r}"
    check_no_cycle(identity, chain)
    folder = resources.files(__package__).joinpath("presets")
    text = folder.joinpath(name + PRESET_SUFFIX).read_text(encoding="utf-8")
    return from_mapping(tomllib.loads(text), source=identity, chain=(*chain, identity))


def _load_file(path: Path, *, chain: tuple[str, ...]) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ValueError(f"scenario file {str(path)!r} does not exist") from None
    except UnicodeDecodeError:
        raise ValueError(f"scenario file {str(path)!r} is not UTF-8 text") from None
    except OSError as err:
        raise ValueError(f"scenario file {str(path)!r} cannot be read: {err.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML ({err})") from None
    return from_mapping(data, source=str(path), chain=(*chain, str(path.resolve())))
