"""The layout's rules: layers as folders, imports point down only, internals live in one folder."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. A module may import its own layer and the layers below it, never one above.
LAYERS = [
    "model",
    "dprk_internals",
    "dprk_roleplay",
    "dprk_figures",
    "dprk_teaching",
    "dprk_apps",
    "dprk_cli",
    "classroom",
]
# The model is numpy (and friends) only: no drawing, no widgets, no server.
NOT_IN_MODEL = {"matplotlib", "ipywidgets", "ipympl", "anywidget", "voila", "IPython", "jupyter_server", "tornado"}
# `python -m model ...` is the command users type; its launcher may reach up to the command line.
LAUNCHERS = {Path("model/__main__.py")}


def _python_files(package: str, root: Path = ROOT) -> list[Path]:
    return sorted((root / package).rglob("*.py"))


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every imported top-level module name of a file, with its line (relative imports stay in the package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def _layer_violations(package: str, root: Path = ROOT) -> list[str]:
    rank = LAYERS.index(package)
    bad = []
    for path in _python_files(package, root):
        if path.relative_to(root) in LAUNCHERS:
            continue
        for line, name in _imports(path):
            if name in LAYERS and LAYERS.index(name) > rank:
                bad.append(f"{path.relative_to(root)}:{line} imports {name} (a layer above {package})")
    return bad


@pytest.mark.parametrize("package", LAYERS)
def test_every_layer_is_a_folder_with_code(package):
    assert (ROOT / package / "__init__.py").is_file()
    assert _python_files(package)


@pytest.mark.parametrize("package", LAYERS)
def test_imports_point_down_only(package):
    assert _layer_violations(package) == []


def test_the_model_imports_no_drawing_widget_or_server_library():
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in _python_files("model")
        for line, name in _imports(path)
        if name in NOT_IN_MODEL
    ]
    assert bad == []


def test_the_rule_bites_on_a_planted_upward_import(tmp_path):
    planted = tmp_path / "model"
    planted.mkdir()
    (planted / "__init__.py").write_text("")
    (planted / "bad.py").write_text("import numpy\nfrom dprk_apps import lab\n")
    assert _layer_violations("model", tmp_path) == ["model/bad.py:2 imports dprk_apps (a layer above model)"]


def test_no_top_level_package_has_a_generic_name():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")} - {"tests"}
    assert packages == set(LAYERS), "a new top-level package needs a place in LAYERS (and docs/architecture.md)"
