"""Shared test configuration: warnings are errors (pyproject), matplotlib never opens a window.

Under ``CI=true`` (as in ``.ci/run``):

* Hypothesis runs its fixed, derandomised example set (profile ``project-ci``); the base-point strategies
  reach every parameter's ends there too (``tests/test_levers.py`` checks it);
* the run fails unless the browser tests actually ran and passed: deselecting them (``-m``, ``-k``,
  ``PYTEST_ADDOPTS``) or a browser that cannot start is a failure, never a silent skip.
"""

import os

import pytest
from hypothesis import settings

os.environ.setdefault("MPLBACKEND", "Agg")

settings.register_profile("project-ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("project-dev", deadline=None)
ON_CI = os.environ.get("CI", "").lower() == "true"
settings.load_profile("project-ci" if ON_CI else "project-dev")


@pytest.fixture
def ipympl_backend():
    """Pyplot on ipympl's backend (the notebooks' ``%matplotlib widget``) for one test."""
    import matplotlib.pyplot as plt

    backend = plt.get_backend()
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.close("all")
    plt.switch_backend(backend)


# The browser tests of test_browser, test_browser_upload, test_classroom and test_jupyterhub (13), three per notebook
# in test_e2e's table (Voila, JupyterLab and Notebook 7; 8 notebooks) and test_e2e's three role-play visits
# (notebook 08): fewer passed means some were deselected or skipped.
MIN_BROWSER_TESTS = 13 + 3 * 8 + 3
_browser_passed: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_passed.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if not ON_CI or session.config.option.collectonly:
        return
    if len(_browser_passed) < MIN_BROWSER_TESTS:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = (
            f"CI=true: {len(_browser_passed)} browser tests passed (at least {MIN_BROWSER_TESTS} required); "
            "the browser tests must run in CI, not be deselected or skipped."
        )
        if reporter is not None:
            reporter.write_line(message, red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
