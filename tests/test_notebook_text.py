"""Notebook prose renders as written: no dollar amounts that MathJax would typeset as mathematics."""

import re

import jupytext
import pytest

from tests.notebook_runner import NOTEBOOK_DIR

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
MONEY = re.compile(r"\$\s?\d")  # "$7.34 bn": two of these in one cell become a formula


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_cells_write_money_without_dollar_signs(path):
    notebook = jupytext.read(path)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not MONEY.search(cell.source), (
                f"{path.name}: write 'USD 7.34 bn', not '$7.34 bn': {cell.source[:80]}"
            )


# Notes for developers (names of objects, attributes, callbacks) belong in code comments, not in the prose.
DEVELOPER_TEXT = re.compile(r"names for tests|for tests and reuse|lives? in the object|`app\.\w+`|`refresh`", re.I)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_holds_no_developer_notes(path):
    notebook = jupytext.read(path)
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            assert not DEVELOPER_TEXT.search(cell.source), f"{path.name}: {cell.source[:120]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_are_calls_not_logic(path):
    # The logic lives in dprk_apps: no function or class definitions, no loops in a notebook.
    notebook = jupytext.read(path)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not re.search(r"^\s*(def|class|for|while)\s", cell.source, flags=re.M), (
                f"{path.name}: {cell.source[:120]}"
            )
