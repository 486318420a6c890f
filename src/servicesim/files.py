"""Writing results into folders: one overwrite rule for every file the package writes.

Nothing a user saved is replaced unless they ask (``overwrite=True``, ``--force`` on the
command line): a folder is checked for every file a save would write *before* anything is
written, so a refused save leaves the folder as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: Set by ``servicesim lab`` to the folder it was started in: the lab app's kernel runs in the
#: package's own folder, and what the room uploads must land where the facilitator is.
LAB_FOLDER = "SERVICESIM_LAB_FOLDER"


def check_writable(path: str | Path, *, folder: bool = True) -> Path:
    """Refuse (ValueError) a place nothing could be saved in: a ``folder`` that is a file (or a
    file that is a folder), a parent that is a file, or a place the system refuses to write.

    Asked before any work, so a long run never ends unable to save. Whether the system lets
    us write is found by creating a nameless temporary file in the nearest folder that exists
    (permissions alone do not say it: root passes them on a read-only disk).
    """
    path = Path(path)
    if folder and path.exists() and not path.is_dir():
        raise ValueError(f"{path} is a file, not a folder")
    if not folder and path.is_dir():
        raise ValueError(f"{path} is a folder, not a file")
    nearest = path if folder else path.parent
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise ValueError(f"{path} cannot be written: {nearest} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=nearest):
            pass
    except OSError as err:
        raise ValueError(
            f"{path} cannot be written: {nearest} does not accept new files ({err.strerror})"
        ) from None
    return path


def check_free(folder: str | Path, names: Iterable[str], overwrite: bool = False) -> Path:
    """Refuse (FileExistsError) if any of ``names`` is already in ``folder``, unless overwriting;
    refuse (ValueError) a folder that cannot be written (:func:`check_writable`)."""
    folder = check_writable(folder)
    taken = [name for name in names if (folder / name).exists()]
    if taken and not overwrite:
        raise FileExistsError(
            f"{folder} already contains {', '.join(taken)}; choose another folder or allow "
            "overwriting (overwrite=True, or --force on the command line)"
        )
    return folder


def check_file_free(path: str | Path, overwrite: bool = False) -> Path:
    """Refuse (FileExistsError) to replace the file ``path`` unless overwriting; refuse
    (ValueError) a file that cannot be written (:func:`check_writable`)."""
    path = check_writable(path, folder=False)
    if path.exists() and not overwrite:
        raise FileExistsError(
            f"{path} already exists; choose another name or allow overwriting "
            "(overwrite=True, or --force on the command line)"
        )
    return path


def prepare_folder(folder: str | Path, names: Iterable[str], overwrite: bool = False) -> Path:
    """Check that ``names`` may be written into ``folder``, then create the folder."""
    folder = check_free(folder, list(names), overwrite)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def write_csv(frame: pd.DataFrame, path: Path, overwrite: bool = False) -> Path:
    """Write ``frame`` with its index; without ``overwrite`` the file must not exist yet."""
    frame.to_csv(path, mode="w" if overwrite else "x")
    return path


def safe_file_name(name: str) -> str:
    """A name reduced to letters, digits, '-' and '_' for use in a file name."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) or "scenario"
