"""Shared test configuration: warnings are errors (pyproject), matplotlib never opens a window."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
