"""The suite's JupyterLab configuration (``lab/``, ``dprk_cli/lab_config.py``): quiet and git-clean.

* a notebook of the suite saved from JupyterLab has no outputs and no execution counts, and its paired
  script no jupytext version (saving with another jupytext release changes nothing);
* the "official Jupyter news" prompt is off in the settings JupyterLab serves (``fetchNews``).
"""

from __future__ import annotations

import json
import shutil
import urllib.request
from pathlib import Path

import nbformat
import pytest

from dprk_cli.lab_config import strip_outputs
from tests import servers

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "lab" / "jupyter_server_config.py"


def _notebook_with_outputs() -> dict:
    cell = nbformat.v4.new_code_cell("1 + 1", execution_count=3)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=3)]
    return nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_markdown_cell("text")])


def test_a_suite_notebook_is_saved_without_outputs_and_others_are_left_alone():
    mine = {"type": "notebook", "content": _notebook_with_outputs()}
    strip_outputs(mine, path="notebooks/05_scenario_lab.ipynb")
    code = mine["content"]["cells"][0]
    assert code["outputs"] == [] and code["execution_count"] is None
    other = {"type": "notebook", "content": _notebook_with_outputs()}
    strip_outputs(other, path="scratch/mine.ipynb")
    assert other["content"]["cells"][0]["outputs"], "a notebook outside notebooks/ keeps its outputs"


def test_the_paired_scripts_carry_no_jupytext_version():
    for script in (ROOT / "notebooks").glob("*.py"):
        assert "#       jupytext_version:" not in script.read_text(encoding="utf-8"), script.name
    assert "-jupytext.text_representation.jupytext_version" in (ROOT / "notebooks" / "jupytext.toml").read_text()


@pytest.mark.slow  # starts JupyterLab
def test_jupyterlab_with_the_suites_config_saves_clean_notebooks_and_has_no_news_prompt(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("05_scenario_lab.ipynb", "05_scenario_lab.py", "jupytext.toml"):
        shutil.copy(ROOT / "notebooks" / name, notebooks / name)
    env = servers.with_environment(JUPYTER_CONFIG_DIR=str(tmp_path / "config"))
    options = (f"--config={CONFIG}", f"--LabApp.user_settings_dir={tmp_path / 'user-settings'}")
    with servers.jupyter("lab", tmp_path, *options, cwd=ROOT, env=env) as (base, token):
        headers = {"Authorization": f"token {token}", "Content-Type": "application/json"}
        url = f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as response:
            settings = json.load(response)
        # overrides.json becomes the schema's default (JupyterLab's own default is "none": ask).
        assert settings["schema"]["properties"]["fetchNews"]["default"] == "false", settings["schema"]
        saved = nbformat.read(notebooks / "05_scenario_lab.ipynb", as_version=4)
        cell = next(c for c in saved.cells if c.cell_type == "code")
        cell.outputs = [nbformat.v4.new_output("stream", text="printed\n")]
        cell.execution_count = 7
        body = json.dumps({"type": "notebook", "format": "json", "content": saved}).encode()
        request = urllib.request.Request(
            f"{base}/api/contents/notebooks/05_scenario_lab.ipynb", data=body, headers=headers, method="PUT"
        )
        urllib.request.urlopen(request, timeout=60).close()
    written = nbformat.read(notebooks / "05_scenario_lab.ipynb", as_version=4)
    assert all(c.outputs == [] and c.execution_count is None for c in written.cells if c.cell_type == "code")
    script = (notebooks / "05_scenario_lab.py").read_text(encoding="utf-8")
    assert script == (ROOT / "notebooks" / "05_scenario_lab.py").read_text(encoding="utf-8"), "the script changed"
