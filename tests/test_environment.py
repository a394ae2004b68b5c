"""Set-up files agree with each other.

environment.yml mirrors pyproject.toml (the runtime dependencies and the ``serve`` extra: Binder's
environment holds no test tools), no exact pins, CI runs the README's test command, and importing the model
stays light (no matplotlib, no widgets).
"""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
# PyPI names whose conda-forge package is named differently.
CONDA_NAMES = {"salib": "salib", "tomli-w": "tomli-w", "jupyterlab-widgets": "jupyterlab_widgets"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pip_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["serve"]
    parsed = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", requirement)
        parsed[_normalise(match.group(1))] = match.group(2).replace(" ", "")
    return parsed, project["requires-python"]


def _conda_requirements():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert environment["channels"] == ["conda-forge"]
    parsed, pip_section = {}, None
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip_section = entry["pip"]
            continue
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*(.*)", entry)
        parsed[_normalise(match.group(1))] = match.group(2).replace(" ", "")
    return parsed, pip_section


def _conda_spec(pip_spec: str) -> str:
    """Translate a pip specifier to the conda form used in environment.yml (==8.1.* -> =8.1)."""
    wildcard = re.fullmatch(r"==(\d+(?:\.\d+)*)\.\*", pip_spec)
    return f"={wildcard.group(1)}" if wildcard else pip_spec


def test_environment_yml_mirrors_pyproject():
    pip, requires_python = _pip_requirements()
    conda, pip_section = _conda_requirements()
    # Binder reads only "python=X.Y": the lowest version the package supports.
    assert "=" + conda.pop("python") == requires_python.replace(">=", "==")
    assert "pip" in conda and conda.pop("pip") == ""
    expected = {_normalise(CONDA_NAMES.get(name, name)): _conda_spec(spec) for name, spec in pip.items()}
    assert conda == expected
    assert pip_section == ["--no-deps", "-e ."], "the package itself is installed from the checkout"


def _all_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["dependencies"] + [r for extra in project["optional-dependencies"].values() for r in extra]


def test_no_exact_pins_that_a_shared_hub_could_not_install():
    pinned = [r for r in _all_requirements() if "==" in r or "~=" in r]
    assert pinned == []


def test_servers_and_classroom_tools_are_an_extra_that_the_suite_installs():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    runtime = {_normalise(re.match(r"[A-Za-z0-9_.-]+", r).group(0)) for r in project["dependencies"]}
    serve = {_normalise(re.match(r"[A-Za-z0-9_.-]+", r).group(0)) for r in project["optional-dependencies"]["serve"]}
    assert {"voila", "jupyterlab", "segno", "nbgitpuller", "psutil"} <= serve
    assert not runtime & {"voila", "jupyterlab", "segno", "nbgitpuller", "psutil", "pytest", "playwright"}


def test_the_licence_is_declared_the_current_way_and_shipped():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def _readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"^\s*(\./suite \w+)\s*$", text, flags=re.M)


def test_readme_names_two_setup_commands_and_ci_runs_the_test_one():
    commands = _readme_commands()
    assert "./suite lab" in commands and "./suite test" in commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^\./suite test\s*$", ci, flags=re.M)


def test_suite_script_sets_up_everything_it_needs():
    script = (ROOT / "suite").read_text(encoding="utf-8")
    assert "python3 -m venv" in script and '-e ".[$extras]"' in script and "setup serve,test" in script
    assert "apt-get install" in script and "chromium" in script
    assert "playwright install" not in script  # browsers come from Debian, never downloaded


def test_importing_the_model_stays_light():
    code = "import sys, model; print(sorted(m for m in ('matplotlib', 'ipywidgets', 'scipy') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
