"""The suite's JupyterLab settings (``./suite lab`` loads ``lab/jupyter_server_config.py``).

* :func:`strip_outputs`: a notebook of the suite (under ``notebooks/``) is saved without outputs or
  execution counts, so that running it in JupyterLab and saving leaves ``git status`` clean (the notebooks
  are kept without outputs; the paired scripts carry no jupytext version: ``notebooks/jupytext.toml``).
* :data:`SETTINGS_DIR`: ``lab/settings/overrides.json`` turns off the "official Jupyter news" prompt, which
  ``--LabApp.news_url=None`` does not stop and which covers the apps' export buttons.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: The JupyterLab application settings folder of the suite (its ``overrides.json``).
SETTINGS_DIR = ROOT / "lab" / "settings"
#: Notebooks under this folder (relative to the server's root) are saved without outputs.
NOTEBOOKS_FOLDER = "notebooks"


def strip_outputs(model: dict[str, Any], path: str = "", **_kwargs: Any) -> None:
    """A Jupyter contents manager's ``pre_save_hook``: a suite notebook's outputs are dropped before saving.

    Parameters
    ----------
    model : dict
        The contents model being saved (changed in place).
    path : str
        Its path relative to the server's root; only notebooks under :data:`NOTEBOOKS_FOLDER` are changed.
    """
    if model.get("type") != "notebook" or not path.replace("\\", "/").startswith(NOTEBOOKS_FOLDER + "/"):
        return
    for cell in model.get("content", {}).get("cells", []):
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("execution", None)


__all__ = ["SETTINGS_DIR", "strip_outputs"]
