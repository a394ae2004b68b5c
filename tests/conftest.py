"""Shared test configuration: warnings are errors (pyproject), matplotlib never opens a window.

The tiers (markers, strict; see docs/testing.md):

* ``notebooks``: executes notebooks headless (each notebook once per session: ``executed_notebooks``);
* ``browser``: drives Debian's Chromium against a local server;
* ``slow``: starts a server or works through many moves; not a notebook or a browser, but too slow for the
  inner loop. Tests that use one of the running servers of :data:`SERVER_FIXTURES` are marked ``slow``
  here, in whatever module they are.

``./suite test --fast`` deselects all three (``-m "not notebooks and not browser and not slow"``);
``./suite test`` runs everything.

Under ``CI=true`` (as in ``.ci/run``):

* Hypothesis runs its fixed, derandomised example set (profile ``project-ci``);
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

#: Fixtures that start a server for their module: a test that uses one is ``slow`` (out of the inner loop).
SERVER_FIXTURES = frozenset({"leave_server", "cull_server", "bounded_server", "hub", "voila", "lab", "notebook7"})


#: Fixtures that start a front end for the end-to-end visits: their tests run in one process per front end.
FRONTEND_FIXTURES = ("voila", "lab", "notebook7")


def pytest_collection_modifyitems(config, items):
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if SERVER_FIXTURES & fixtures:
            item.add_marker(pytest.mark.slow)
        item.add_marker(pytest.mark.xdist_group(_process_group(item, fixtures)))


def _process_group(item, fixtures: set[str]) -> str:
    """The test process (``pytest-xdist``'s ``--dist loadgroup``) an item shares with others.

    A module's tests stay together, so that its module-scoped fixtures (a server, a browser, generated
    documents) are made once; the notebooks run in one process, so that each is executed once per run
    (``executed_notebooks``); a module that visits several front ends is split by front end, so that its
    visits run in both processes.
    """
    module = item.nodeid.split("::", 1)[0]
    if "executed_notebooks" in fixtures:
        return "notebooks"
    for frontend in FRONTEND_FIXTURES:
        if frontend in fixtures:
            return f"{module}:{frontend}"
    return module


@pytest.fixture
def ipympl_backend():
    """Pyplot on ipympl's backend (the notebooks' ``%matplotlib widget``) for one test."""
    import matplotlib.pyplot as plt

    backend = plt.get_backend()
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.close("all")
    plt.switch_backend(backend)


@pytest.fixture(scope="session")
def executed_notebooks():
    """Each notebook executed once per session with every cell the test modules appended (tests.notebook_runner)."""
    from tests.notebook_runner import EXECUTED

    return EXECUTED


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium (tests.servers.chromium), one per test module."""
    from tests.servers import chromium

    with chromium() as started:
        yield started


# Browser tests that must pass under CI=true, counted by hand so that a deselected or skipped one is noticed
# (`pytest --collect-only -q -m browser` lists them):
# test_browser (2: the lab's slider and the role-play), test_browser_upload (1), test_browser_roleplay_resume (1:
# a game through a reload and a class-server restart, one entry undone, the end state in 07), test_classroom (10:
# among them the app with the internals on and with DPRK_PLAIN=1, the load-bench smoke, a restart with a page
# open and the front page), test_jupyterhub (1), test_plain_switch (4: plain and internals, idle and beside a
# CPU hog), test_browser_board (3: a scenario link and a hand-in in the pooled class server and in plain Voila,
# every app's link in the pooled class): 22; test_e2e, per notebook of its table (8): the whole visit in Voila
# (ending with the page opened again from a scenario link), a smoke visit in JupyterLab and one in Notebook 7,
# each opened from a link (3 x 8; the scenario lab's visits end with the CPU-hog check and, in JupyterLab and
# Notebook 7, hand in a file); the role-play's whole visit in Voila and its smoke visits in JupyterLab and
# Notebook 7 (3); test_readability, the figures' text measured (05, 07 and 08 in Voila and in JupyterLab: 3 x 2).
MIN_BROWSER_TESTS = 22 + 3 * 8 + 3 + 3 * 2
_browser_passed: list[str] = []


def pytest_runtest_logreport(report):
    if report.when == "call" and report.passed and "browser" in report.keywords:
        _browser_passed.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    # A pytest-xdist worker sees only its share; the controller receives every worker's reports and judges.
    if not ON_CI or session.config.option.collectonly or hasattr(session.config, "workerinput"):
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
