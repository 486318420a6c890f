"""Writing results into folders: one overwrite rule for every file the package writes.

Nothing a user saved is replaced unless they ask (``overwrite=True``, ``--force`` on the
command line): a folder is checked for every file a save would write *before* anything is
written, so a refused save leaves the folder as it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

#: Set by ``servicesim lab`` to the folder it was started in: the lab app's kernel runs in the
#: package's own folder, and what the room uploads must land where the facilitator is.
LAB_FOLDER = "SERVICESIM_LAB_FOLDER"


def check_free(folder: str | Path, names: Iterable[str], overwrite: bool = False) -> Path:
    """Refuse (FileExistsError) if any of ``names`` is already in ``folder``, unless overwriting."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file, not a folder")
    taken = [name for name in names if (folder / name).exists()]
    if taken and not overwrite:
        raise FileExistsError(
            f"{folder} already contains {', '.join(taken)}; choose another folder or allow "
            "overwriting (overwrite=True, or --force on the command line)"
        )
    return folder


def check_file_free(path: str | Path, overwrite: bool = False) -> Path:
    """Refuse (FileExistsError) to replace the file ``path`` unless overwriting."""
    path = Path(path)
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a file")
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
