"""Refresh the checked outputs of the workbooks after a change that moves numbers on purpose.

The workbooks are committed with outputs stripped, except the cells marked
``# NBVAL_CHECK_OUTPUT``, whose printed tables nbval compares with a fresh run. This script
runs each workbook top to bottom in the current environment (as nbval does), keeps the
outputs of the checked cells only, and writes the workbook back::

    python tests/workbook_outputs.py                 # every workbook
    python tests/workbook_outputs.py 02 06           # the workbooks whose names start so

Reread the prose around every table that moved: the words must still say what it shows.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

WORKBOOKS = Path(__file__).resolve().parents[1] / "workbooks"
CHECKED = "# NBVAL_CHECK_OUTPUT"


def refresh(path: Path) -> int:
    """Run one workbook and write it back with only its checked cells' outputs; their count."""
    notebook = nbformat.read(path, as_version=4)
    metadata = copy.deepcopy(notebook.metadata)  # running fills in kernel details: keep ours
    resources = {"metadata": {"path": str(path.parent)}}
    NotebookClient(notebook, timeout=1200, kernel_name="python3", resources=resources).execute()
    checked = 0
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith(CHECKED):  # nbval needs its count and outputs
            checked += 1
            cell.outputs = [o for o in cell.outputs if o.get("output_type") == "stream"]
            for output in cell.outputs:
                output.pop("metadata", None)
        else:
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    notebook.metadata = metadata
    path.write_text(nbformat.writes(notebook) + "\n", encoding="utf-8")
    return checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="workbook name prefixes (default: all)")
    args = parser.parse_args(argv)
    paths = sorted(WORKBOOKS.glob("*.ipynb"))
    if args.prefixes:
        paths = [p for p in paths if p.name.startswith(tuple(args.prefixes))]
    for path in paths:
        print(f"{path.name}: {refresh(path)} checked cell(s) refreshed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
