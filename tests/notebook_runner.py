"""One way to execute a notebook in the tests: each notebook once per test session, every check appended.

Headless (nbclient), warnings as errors in the kernel. Starting a kernel and running a notebook is the
expensive part, so a test module does not execute a notebook itself: it *registers* the cells it wants
run after the notebook's own (:func:`add_cell`, at import, so during collection), and the session's
:class:`ExecutedNotebooks` (the ``executed_notebooks`` fixture of ``tests/conftest.py``) executes each
notebook the first time a test asks for it, with every cell registered for it, and keeps the result for
the other tests. Each test then reads its own cells' outputs (:meth:`Executed.errors`,
:meth:`Executed.text`, :meth:`Executed.measured`).

The appended cells run in three groups, in this order:

* :data:`FIRST`: checks that only read what the notebook shows (text sizes);
* :data:`PROBE`: one cell that drives the app from the state the notebook left it in and prints what it
  saw (at most one per notebook: a second would start from the first's moves);
* :data:`LAST`: checks that set every control themselves and reset the app after each move (the generic
  callback check), so that they do not depend on what ran before them.

A cell that raises does not stop the run (``allow_errors``): its error is in its outputs, where the test
that registered it finds it, and the other tests still read theirs.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where a notebook runs: nbclient and nbformat take seconds to import
    import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
MARK = "MEASURED:"
#: The groups of appended cells, in the order they run.
FIRST, PROBE, LAST = 0, 1, 2

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


@dataclass(frozen=True)
class Cell:
    """A cell a test module appends to a notebook: its key (unique per notebook), code and group."""

    key: str
    code: str
    group: int


@dataclass
class Executed:
    """A notebook executed once, with the appended cells (:func:`add_cell`) after its own.

    Attributes
    ----------
    name : str
        The notebook's stem.
    notebook : nbformat.NotebookNode
        The executed notebook: the strict-warnings cell, the notebook's own cells, the appended cells.
    cells : dict of str to int
        Where each appended cell is in ``notebook.cells``, by key.
    own : range
        Where the notebook's own cells are (the strict-warnings cell first).
    """

    name: str
    notebook: nbformat.NotebookNode
    cells: dict[str, int]
    own: range

    def outputs(self, key: str | None = None) -> list:
        """The outputs of the appended cell ``key``, or of the notebook's own cells (``None``)."""
        indexes = self.own if key is None else [self.cells[key]]
        return [output for i in indexes for output in self.notebook.cells[i].get("outputs", [])]

    def errors(self, *keys: str | None) -> list[str]:
        """The errors (name, value and the traceback's last line) raised by the given cells."""
        found = []
        for key in keys:
            for output in self.outputs(key):
                if output.output_type == "error":
                    where = "the notebook" if key is None else f"cell {key!r}"
                    found.append(f"{self.name}, {where}: {output.ename}: {output.evalue}")
        return found

    def text(self, key: str | None = None) -> str:
        """Everything the cell ``key`` (or the notebook's own cells) printed."""
        return "".join(o.text for o in self.outputs(key) if o.output_type == "stream")

    def measured(self, key: str) -> dict:
        """The JSON object the probe cell ``key`` printed after ``MEASURED:``; fails with its error if it raised."""
        assert not self.errors(None, key), self.errors(None, key)
        text = self.text(key)
        assert MARK in text, f"{self.name}: the probe {key!r} printed no measurements: {self.outputs(key)}"
        return json.loads(text.split(MARK, 1)[1])


#: The appended cells of every notebook, by notebook stem (filled at import by the test modules).
_CELLS: dict[str, list[Cell]] = {}


def add_cell(notebook: str, key: str, code: str, group: int = PROBE) -> str:
    """Append ``code`` to ``notebook`` in every execution of this test session; return ``key``.

    Parameters
    ----------
    notebook : str
        The notebook's stem (``"05_scenario_lab"``).
    key : str
        The cell's name, unique for the notebook; tests read its outputs by it.
    code : str
        The cell's source.
    group : int
        :data:`FIRST`, :data:`PROBE` (at most one per notebook) or :data:`LAST`.

    Raises
    ------
    ValueError
        For a notebook that does not exist or was executed already, a key used twice or a second probe.
    """
    if not (NOTEBOOK_DIR / f"{notebook}.ipynb").is_file():
        raise ValueError(f"no notebook {notebook}.ipynb in {NOTEBOOK_DIR}")
    if notebook in EXECUTED.done:
        raise ValueError(f"{notebook} was executed already: append cells at import, before any test runs")
    cells = _CELLS.setdefault(notebook, [])
    if any(cell.key == key for cell in cells):
        raise ValueError(f"{notebook}: a cell {key!r} is already appended")
    if group == PROBE and any(cell.group == PROBE for cell in cells):
        others = [cell.key for cell in cells if cell.group == PROBE]
        raise ValueError(f"{notebook}: {key!r} would be a second probe after {others}; it would start from their moves")
    cells.append(Cell(key, code, group))
    return key


def execute(path: Path, extra: tuple[str, ...] = (), timeout: int = 600) -> nbformat.NotebookNode:
    """Execute a notebook in its folder with strict warnings first and ``extra`` cells last (errors kept).

    Parameters
    ----------
    path : pathlib.Path
        The notebook.
    extra : tuple of str
        Cells appended after the notebook's own.
    timeout : int
        Seconds any one cell may take.

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook; a cell that raised has its error in its outputs.
    """
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(STRICT_WARNINGS))
    nb.cells.extend(nbformat.v4.new_code_cell(code) for code in extra)
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()
    return nb


@dataclass
class ExecutedNotebooks:
    """Each notebook executed at most once per test session, on first request, with all its appended cells."""

    done: dict[str, Executed | BaseException] = field(default_factory=dict)

    def get(self, name: str) -> Executed:
        """The executed notebook ``name``: run now on the first request, then kept.

        An execution that failed as a whole (a cell that timed out, a kernel that died) fails every test
        that asks for it, with the same exception.
        """
        if name not in self.done:
            cells = sorted(_CELLS.get(name, []), key=lambda cell: cell.group)
            path = NOTEBOOK_DIR / f"{name}.ipynb"
            try:
                nb = execute(path, tuple(cell.code for cell in cells))
            except Exception as error:  # kept, and raised again for every test that needs this notebook
                self.done[name] = error
            else:
                own = len(nb.cells) - len(cells)
                keys = {cell.key: own + i for i, cell in enumerate(cells)}
                self.done[name] = Executed(name, nb, keys, range(own))
        found = self.done[name]
        if isinstance(found, BaseException):
            raise AssertionError(f"{name}: the notebook's execution failed: {found}") from found
        return found


#: The session's executed notebooks (``tests/conftest.py`` hands it to tests as ``executed_notebooks``).
EXECUTED = ExecutedNotebooks()
