"""Output folders a command owns: a manifest of what it wrote, and one writer at a time.

Every folder servicesim writes results into holds ``.servicesim.json``: which command wrote
it, with which version, and the files it wrote. A command refuses a folder holding any file it
did not write itself (another command's ``summary.csv``, someone's own notes) unless asked to
write there anyway (``overwrite=True``, ``--force``); foreign files are never removed.

While a command writes, it holds an exclusive lock on ``.servicesim.lock`` in the folder
(``fcntl.flock``: the system frees it when the process ends, even if it is killed), so a second
command on the same folder is refused at once instead of mixing its rows into the first's.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .files import check_file_free, check_writable

try:
    import fcntl
except ImportError:  # not on Windows: folders are then not locked
    fcntl = None  # type: ignore[assignment]

#: What each output folder holds besides the results: the manifest and the lock.
MANIFEST = ".servicesim.json"
LOCK = ".servicesim.lock"
#: How many file names a refusal lists before it says "and N more".
LISTED = 5


class FolderInUse(OSError):
    """Another servicesim command (or another part of this program) is writing the folder."""


@dataclass
class _Claim:
    """What this process knows of a folder it holds: the command and the files it owns."""

    command: str
    files: set[str]


_held: dict[Path, _Claim] = {}
_held_guard = threading.Lock()


def read_manifest(folder: str | Path) -> dict | None:
    """The folder's manifest (command, version, files), or None if it has none or it is
    unreadable (then every file in the folder counts as foreign)."""
    try:
        data = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("files"), list):
        return None
    return data


def owned_files(folder: Path, command: str, legacy: Iterable[str] = ()) -> set[str]:
    """The files ``command`` owns in ``folder``: those its manifest names (none if the manifest
    is another command's), or ``legacy`` in a folder without a manifest."""
    manifest = read_manifest(folder)
    if manifest is None:
        return set(legacy)
    if manifest.get("command") != command:
        return set()
    return {str(name) for name in manifest["files"]}


def foreign_files(folder: Path, owned: set[str], limit: int = LISTED + 1) -> list[str]:
    """Up to ``limit`` files below ``folder`` (relative POSIX paths) that are not in ``owned``,
    the manifest and the lock left out; stops early, so a large folder is not walked whole."""
    found: list[str] = []
    for root, dirs, names in os.walk(folder):
        links = [name for name in dirs if Path(root, name).is_symlink()]  # not walked
        dirs[:] = sorted(set(dirs) - set(links))
        for name in sorted([*names, *links]):
            relative = Path(root, name).relative_to(folder).as_posix()
            if relative not in owned and relative not in (MANIFEST, LOCK):
                found.append(relative)
                if len(found) >= limit:
                    return found
    return found


def listed(names: list[str]) -> str:
    """``a, b, c``, or the first few names and "and more" when there are more than LISTED."""
    shown = ", ".join(names[:LISTED])
    return shown if len(names) <= LISTED else f"{shown} and more"


def check_owned(
    folder: str | Path,
    command: str,
    files: Iterable[str],
    *,
    overwrite: bool = False,
    resume: bool = False,
    legacy: Iterable[str] = (),
) -> Path:
    """Refuse (FileExistsError) a folder holding files ``command`` does not own, or holding
    any of ``files`` already (its own results are replaced only when asked), unless
    ``overwrite``. With ``resume`` the command may continue its own files; ``legacy`` are
    files it owns in a folder written before manifests existed."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file, not a folder")
    if overwrite or not folder.exists():
        return folder
    foreign = foreign_files(folder, owned_files(folder, command, legacy))
    if foreign:
        raise FileExistsError(
            f"{folder} holds files servicesim {command} did not write: {listed(foreign)}; "
            "choose another folder, or write there anyway (overwrite=True, or --force on the "
            "command line; the files it does not write are left alone)"
        )
    taken = [] if resume else [name for name in files if (folder / name).exists()]
    if taken:
        raise FileExistsError(
            f"{folder} already contains {', '.join(taken)}; choose another folder or allow "
            "overwriting (overwrite=True, or --force on the command line)"
        )
    return folder


@contextlib.contextmanager
def claim_folder(
    folder: str | Path,
    command: str,
    files: Iterable[str],
    *,
    overwrite: bool = False,
    resume: bool = False,
    legacy: Iterable[str] = (),
) -> Iterator[Path]:
    """Hold ``folder`` for ``command`` while the block writes ``files`` into it.

    Checks the folder (:func:`check_owned`), locks it (a second holder is refused with
    :class:`FolderInUse`) and records in the manifest the files the command owns there. In a
    folder this process already holds, the files are only added to the manifest. If the
    block writes nothing, the folder is left as it was found.
    """
    folder = Path(folder)
    key = folder.resolve()
    files = list(files)
    with _held_guard:
        claim = _held.get(key)
        if claim is not None:
            claim.files.update(files)
    if claim is not None:
        yield folder
        return
    check_writable(folder)
    check_owned(folder, command, files, overwrite=overwrite, resume=resume, legacy=legacy)
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    lock = _lock(folder / LOCK, folder, command)
    try:
        # Checked again under the lock: another command may have written in between.
        check_owned(folder, command, files, overwrite=overwrite, resume=resume, legacy=legacy)
        claim = _Claim(command, set(files) | owned_files(folder, command, legacy))
        manifest = folder / MANIFEST
        found = manifest.read_bytes() if manifest.exists() else None
        _write_manifest(folder, command, sorted(claim.files))
        with _held_guard:
            _held[key] = claim
        try:
            yield folder
        finally:
            with _held_guard:
                del _held[key]
            written = [name for name in sorted(claim.files) if (folder / name).exists()]
            if written:
                _write_manifest(folder, command, written)
            elif found is not None:
                manifest.write_bytes(found)
            else:
                manifest.unlink(missing_ok=True)
                if created:
                    _unlock(folder / LOCK, lock)
                    lock = None
                    with contextlib.suppress(OSError):
                        folder.rmdir()
    finally:
        _unlock(folder / LOCK, lock)


def _write_manifest(folder: Path, command: str, files: list[str]) -> None:
    # Read, not imported: the package imports this module, and is loaded by now.
    version = getattr(sys.modules.get(__package__ or "servicesim"), "__version__", "unknown")
    manifest = {"command": command, "version": version, "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


@contextlib.contextmanager
def claim_file(path: str | Path, command: str, *, overwrite: bool = False) -> Iterator[Path]:
    """Hold the one file ``path`` (a report) while the block makes it: refused if it exists,
    unless ``overwrite``, and refused at once if another command is making it. The lock is
    ``.NAME.servicesim.lock`` beside it, removed when the block ends."""
    path = check_file_free(path, overwrite)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = path.parent / f".{path.name}{LOCK}"
    lock = _lock(lock_path, path, command)
    try:
        yield path
    finally:
        _unlock(lock_path, lock)


def _lock(path: Path, target: Path, command: str) -> int | None:
    """Take the lock file ``path`` of ``target`` without waiting; FolderInUse if another
    process holds it."""
    if fcntl is None:
        return None
    while True:
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            kind = "folder" if target.is_dir() else "file"
            raise FolderInUse(
                f"{target} is in use by another servicesim command (it holds {path.name}); "
                f"wait for it to finish, or choose another {kind} for servicesim {command}"
            ) from None
        except OSError:  # a file system without locks: write unlocked, as without fcntl
            os.close(handle)
            path.unlink(missing_ok=True)
            return None
        try:
            same = os.stat(path).st_ino == os.fstat(handle).st_ino
        except FileNotFoundError:
            same = False
        if same:  # not a lock file that its last holder removed while this one opened it
            return handle
        os.close(handle)


def _unlock(path: Path, handle: int | None) -> None:
    """Remove the lock file ``path``, then release the lock (in that order: see _lock)."""
    if handle is None:
        return
    with contextlib.suppress(OSError):
        path.unlink()
    os.close(handle)
