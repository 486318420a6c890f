"""One loader for scenarios: a preset name or a TOML file, with ``base =`` chains.

``load("baseline")`` reads a shipped preset; ``load("my-team.toml")`` a file, which may start
from a preset or another file and list only what it changes. A ``base`` is a preset's name or
a path ending in ``.toml``, relative to the folder of the file that names it; a chain of bases
holds at most :data:`MAX_BASE_CHAIN` files and never comes back to one. ``loads(text)`` reads
TOML given in memory, such as an uploaded file, whose ``base`` may only be a preset. Files are
read by :mod:`servicesim.reading` (regular files up to 1 MB, UTF-8, bounded nesting). The
presets, the command line, sweeps, the lab and reports all load through here, so every entry
gives the same errors: one line naming the file (and the file that named it) and the field.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from .parameters import nearest_name, short_repr, unknown_name_error
from .reading import excerpt, parse_toml, read_toml, toml_from_upload
from .scenario import Scenario, flatten_groups

PRESET_SUFFIX = ".toml"
#: Most files a chain of ``base =`` may pass through, the first one included.
MAX_BASE_CHAIN = 10
#: Longest ``base`` value (a preset's name or a path).
MAX_BASE_CHARS = 1000


def preset_names() -> list[str]:
    """Names of the shipped presets, sorted."""
    folder = resources.files(__package__).joinpath("presets")
    return sorted(
        p.name[: -len(PRESET_SUFFIX)] for p in folder.iterdir() if p.name.endswith(PRESET_SUFFIX)
    )


def load(source: str | Path, *, relative_to: str | Path | None = None) -> Scenario:
    """A preset by name, or a scenario TOML file by path.

    With ``relative_to`` (a file), ``source`` is a base that file names: a preset, or a path
    ending in .toml relative to that file's folder.
    """
    if relative_to is None:
        return _load(str(source), named_in=None, folder=None, chain=())
    return load_base(str(source), named_in=f"file {str(relative_to)!r}", relative_to=relative_to)


def load_base(name: str, *, named_in: str, relative_to: str | Path | None = None) -> Scenario:
    """The base ``name`` given in ``named_in`` (as errors call it, e.g. "sweep file 'x.toml'"):
    a preset, or a path ending in .toml relative to the folder of the file ``relative_to``
    (the current folder if None)."""
    folder = None if relative_to is None else Path(relative_to).parent
    return _load(name, named_in=named_in, folder=folder, chain=())


def load_preset(name: str) -> Scenario:
    """The shipped preset called ``name`` (see :func:`preset_names`)."""
    return _load_preset(name, chain=())


def loads(text: str | bytes, source: str = "scenario text") -> Scenario:
    """A scenario from TOML text or bytes (an uploaded file); ``source`` names it in errors.

    The same limits as for a file apply (size, UTF-8, nesting). Its ``base`` may only name a
    preset: text in memory has no folder, and an upload may not read the machine's files.
    """
    data = toml_from_upload(text, source)
    return from_mapping(data, source=source, presets_only=True)


def from_mapping(
    data: Mapping[str, Any],
    *,
    source: str,
    chain: tuple[str, ...] = (),
    relative_to: str | Path | None = None,
    presets_only: bool = False,
) -> Scenario:
    """Scenario from parsed TOML, honouring an optional ``base`` preset or file to start from.

    ``source`` names the data in errors; a base file is found relative to the folder of the
    file ``relative_to`` (the current folder if None); ``presets_only`` refuses base files.
    ``chain`` holds what has been read on the way here, so a base that leads back to itself
    is reported instead of followed forever.
    """
    return _from_mapping(
        data, source, source, chain=chain, relative_to=relative_to, presets_only=presets_only
    )


def _from_mapping(
    data: Mapping[str, Any],
    where: str,
    label: str,
    *,
    chain: tuple[str, ...],
    relative_to: str | Path | None,
    presets_only: bool,
) -> Scenario:
    """:func:`from_mapping`, with ``where`` prefixing its errors and ``label`` the short name
    its base's errors give it ("the base named in <label>")."""
    data = dict(data)
    base_name = data.pop("base", None)
    try:
        flat = flatten_groups(data)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    if base_name is not None and not isinstance(base_name, str):
        raise ValueError(
            f"{where}: base={short_repr(base_name)} must be a preset name or a file path"
        )
    base = None
    if base_name is not None:
        folder = None if relative_to is None else Path(relative_to).parent
        base = _load(
            base_name, named_in=label, folder=folder, chain=chain, presets_only=presets_only
        )
    try:
        return Scenario.from_dict(flat) if base is None else base.replace(**flat)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None


def check_no_cycle(identity: str, chain: tuple[str, ...], where: str = "base") -> None:
    """Raise ValueError when ``identity`` was already read on the way to it."""
    if identity in chain:
        loop = " -> ".join(_shown(i) for i in (*chain[chain.index(identity) :], identity))
        raise ValueError(f"{where}: leads back to itself: {loop}")


def _shown(identity: str) -> str:
    """A file's identity (its absolute path) as short as it can be said from here."""
    if not os.path.isabs(identity):
        return identity  # a preset
    try:
        return min(identity, os.path.relpath(identity), key=len)
    except ValueError:  # another drive
        return identity


def _load(
    source: str,
    *,
    named_in: str | None,
    folder: Path | None,
    chain: tuple[str, ...],
    presets_only: bool = False,
) -> Scenario:
    """A preset or file; ``named_in`` is the file naming it as its base (None: typed by the
    user, who may name any file), ``folder`` where a relative base path starts."""
    available = preset_names()
    if source in available:
        return _load_preset(source, chain=chain)
    path = Path(source)
    if named_in is None:
        if path.suffix != PRESET_SUFFIX and not (path.exists() or path.is_symlink()):
            raise unknown_name_error("preset", source, available)
        label = where = f"scenario file {source!r}"
    else:
        if len(source) > MAX_BASE_CHARS:
            raise ValueError(
                f"{named_in}: base {excerpt(source)} is longer than {MAX_BASE_CHARS} characters"
            )
        if presets_only:
            raise ValueError(
                f"{named_in}: base {source!r} is not allowed; the base of an uploaded file "
                f"can only be a preset{_nearest_preset(source)}"
            )
        if path.suffix != PRESET_SUFFIX:
            raise ValueError(
                f"{named_in}: base {source!r} is neither a preset{_nearest_preset(source)} "
                "nor a path ending in .toml"
            )
        if folder is not None and not path.is_absolute():
            path = folder / path
        label = f"scenario file {str(path)!r}"
        where = f"{label} (the base named in {named_in})"
    if len(chain) >= MAX_BASE_CHAIN:
        raise ValueError(
            f"{where}: the chain of bases is longer than {MAX_BASE_CHAIN} files; "
            "start one of them from a preset"
        )
    try:
        identity = str(path.resolve())
    except (OSError, RuntimeError, ValueError):  # a loop of links, a NUL: reading says so
        identity = os.path.abspath(path)
    check_no_cycle(identity, chain, where)
    data = read_toml(path, where)
    chain = (*chain, identity)
    return _from_mapping(data, where, label, chain=chain, relative_to=path, presets_only=False)


def _nearest_preset(name: str) -> str:
    """A hint such as " (did you mean 'erlang'?)" when a preset's name is close, else ""."""
    hint = nearest_name(name, preset_names()) if len(name) <= MAX_BASE_CHARS else None
    return f" (did you mean {hint!r}?)" if hint else ""


def _load_preset(name: str, *, chain: tuple[str, ...]) -> Scenario:
    available = preset_names()
    if name not in available:
        raise unknown_name_error("preset", name, available)
    identity = f"preset {name!r}"
    check_no_cycle(identity, chain)
    folder = resources.files(__package__).joinpath("presets")
    text = folder.joinpath(name + PRESET_SUFFIX).read_text(encoding="utf-8")
    data = parse_toml(text, identity)
    return from_mapping(data, source=identity, chain=(*chain, identity), presets_only=True)
