"""One way to execute a notebook in the tests.

Headless (nbclient), warnings as errors in the kernel, extra cells appended, and measurements printed by a
probe cell read back as JSON.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
MARK = "MEASURED:"

# Warnings are errors inside the kernel too. One exception: ipympl 0.10 creates its toolbar and canvas
# with a call traitlets deprecates (matplotlib/ipympl#611, open); it fires on every ipympl figure.
STRICT_WARNINGS = textwrap.dedent(
    r"""
    import warnings
    warnings.simplefilter("error")
    warnings.filterwarnings(
        "ignore", message=r"Passing unrecognized arguments to super\((Toolbar|Canvas)\)", category=DeprecationWarning
    )
    """
)


def execute(path: Path, extra: tuple[str, ...] = (), timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a notebook in its folder with strict warnings first and ``extra`` cells last."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_WARNINGS))
    nb.cells.extend(nbformat.v4.new_code_cell(code) for code in extra)
    NotebookClient(
        nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    return nb


def measure(path: Path, probe: str) -> dict:
    """Execute a notebook plus a probe cell that prints ``MEASURED:`` and a JSON object; return it."""
    nb = execute(path, (probe,))
    for output in nb.cells[-1].outputs:
        if output.get("name") == "stdout" and MARK in output.text:
            return json.loads(output.text.split(MARK, 1)[1])
    raise AssertionError(f"{path.name}: the probe printed no measurements: {nb.cells[-1].outputs}")
