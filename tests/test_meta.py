"""The test run guards itself: an empty parameter set and, under CI=true, missing browser tests fail the run.

Marked ``slow`` (each test starts pytest in a subprocess): the full run checks the guards, the inner loop does not.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _pytest(tmp_path, body: str, *args: str, ci: bool = False) -> subprocess.CompletedProcess:
    test = tmp_path / "test_probe.py"
    test.write_text(body, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "PYTEST_ADDOPTS")}
    if ci:
        env["CI"] = "true"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(ROOT),
         "-c", str(ROOT / "pyproject.toml"), "--confcutdir", str(ROOT / "tests"), str(test), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_an_empty_parameter_set_fails_at_collection(tmp_path):
    body = "import pytest\n\n@pytest.mark.parametrize('x', [])\ndef test_nothing(x):\n    assert x\n"
    result = _pytest(tmp_path, body)
    assert result.returncode != 0, result.stdout
    assert "Empty parameter set" in result.stdout + result.stderr


def test_ci_fails_when_no_browser_test_ran(tmp_path):
    body = "def test_model_only():\n    assert 1 + 1 == 2\n"
    shutil_conftest = tmp_path / "conftest.py"
    shutil_conftest.write_text((ROOT / "tests" / "conftest.py").read_text(encoding="utf-8"), encoding="utf-8")
    on_ci = _pytest(tmp_path, body, ci=True)
    assert on_ci.returncode != 0 and "browser tests passed" in on_ci.stdout, on_ci.stdout
    off_ci = _pytest(tmp_path, body)
    assert off_ci.returncode == 0, off_ci.stdout
