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
