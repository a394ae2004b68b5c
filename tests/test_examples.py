"""Every code example runs.

The doctests of every module in model/, the Python and CLI examples of the README and of docs/*.md, and
the scenario-file example in model/scenarios.py.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
import shlex
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

import model

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parent.parent
MODULES = sorted(m.name for m in pkgutil.walk_packages(model.__path__, "model.") if m.name != "model.__main__")
MODULES.insert(0, "model")
# Literal blocks that are not Python: the scenario file format (loaded by a test below) and the equations.
NOT_PYTHON = {"model.scenarios", "model.core", "model.mechanism"}


@pytest.mark.parametrize("name", MODULES)
def test_doctests_pass(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed"


def test_examples_exist_where_people_start():
    counted = {}
    for name in ("model", "dprk_apps", "model.uncertainty", "model.tidy", "model.timeline", "model.outcomes"):
        module = importlib.import_module(name)
        counted[name] = sum(len(t.examples) for t in doctest.DocTestFinder().find(module, name))
    assert all(counted.values()), counted


@pytest.mark.parametrize("name", MODULES)
def test_no_untested_code_blocks_in_docstrings(name):
    # Examples are doctests (run above); a "::" literal block would be code nobody runs.
    if name in NOT_PYTHON:
        return
    module = importlib.import_module(name)
    docs = [t.docstring or "" for t in doctest.DocTestFinder(exclude_empty=False).find(module, name)]
    assert not [d for d in docs if re.search(r"::\s*\n\s*\n\s{4}\S", d)], name


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _readme_blocks(language: str) -> list[str]:
    """Fenced blocks of the README and docs/*.md in one language ("" for unmarked blocks), fence by fence."""
    blocks = []
    for document in DOCUMENTS:
        current, inside = [], None
        for line in document.read_text(encoding="utf-8").splitlines():
            if line.startswith("```"):
                if inside is None:
                    inside, current = line[3:].strip(), []
                else:
                    if inside == language:
                        blocks.append("\n".join(current) + "\n")
                    inside = None
            elif inside is not None:
                current.append(line)
    return blocks


def test_readme_python_examples_run():
    blocks = _readme_blocks("python")
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_readme_command_lines_run(tmp_path):
    # Command lines without placeholders (NAME, PATH, [...]) run as written, in a scratch folder.
    commands = [
        line.strip()
        for block in _readme_blocks("")
        for line in block.splitlines()
        if line.strip().startswith("python -m model") and not re.search(r"[A-Z]{2,}|\[", line)
    ]
    assert commands
    for command in commands:
        argv = [sys.executable, *shlex.split(command)[1:]]
        result = subprocess.run(argv, capture_output=True, text=True, cwd=tmp_path, check=False)
        assert result.returncode == 0, (command, result.stderr)


def test_scenario_file_example_loads(tmp_path):
    from model import scenarios

    block = re.search(r"looks like::\n\n(.*?)\n\n(?=\S)", scenarios.__doc__, flags=re.S).group(1)
    path = tmp_path / "example.toml"
    path.write_text("\n".join(line[4:] for line in block.splitlines()) + "\n", encoding="utf-8")
    loaded = scenarios.load_preset(str(path))
    assert loaded.title == "Russia defects" and loaded.overrides == {"russia_arms_enforcement": 0.0}
