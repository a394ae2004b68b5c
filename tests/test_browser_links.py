"""A scenario link in JupyterLab and in Notebook 7 (after Run All): the state is restored, Hand in gives a file.

The link is the notebook's address with ``?s=CODE`` (JupyterLab keeps the address it was opened with in the
page's navigation entry, which ``dprk_apps/sharing.js`` reads). Neither front end has a class server, so
*Hand in* downloads the hand-in file (``dprk_apps/handin.js``). The servers and the visit are those of
tests/test_e2e.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from classroom.handins import validate
from model.scenario_code import encode
from tests.test_e2e import NOTEBOOKS, Frontend, Visit, lab, notebook7, workdir  # noqa: F401 - fixtures

LEVER = "russia_arms_enforcement"
CODE = encode({LEVER: 0.6, "monitoring_regime": "none"}, "baseline")
CASE = next(case for case in NOTEBOOKS if case.notebook == "05_scenario_lab")


@dataclass
class LinkFrontend(Frontend):
    """A front end whose notebook addresses carry a scenario code (``…&s=CODE``)."""

    code: str = ""

    def url(self, notebook: str) -> str:
        address = super().url(notebook)
        return f"{address}{'&' if '?' in address else '?'}s={self.code}"


def run_link(browser, frontend: Frontend) -> None:
    visit = Visit(browser, LinkFrontend(**vars(frontend), code=CODE), CASE)
    page = visit.page
    try:
        visit.open()
        page.wait_for_function(
            "([sel]) => document.querySelector(sel) && document.querySelector(sel).value === '0.60'",
            arg=[f".param-{LEVER}-text input"],
            timeout=60_000,
        )
        page.wait_for_function(
            "code => [...document.querySelectorAll('.scenario-link-text')].some(f => f.value.endsWith('?s=' + code))",
            arg=CODE,
            timeout=30_000,
        )
        assert "token" not in page.locator(".scenario-link-text").first.input_value(), "no token in the link"
        box = page.locator(".scenario-handin").first
        box.scroll_into_view_if_needed()
        box.locator("input[type=text]").fill("Mina Park")
        box.locator("textarea").fill("The arms ban with no monitoring.")
        box.locator("textarea").press("Tab")
        visit.settle(0.5)
        with page.expect_download(timeout=60_000) as download:
            box.locator("button", has_text="Hand in").click()
        document = json.loads(download.value.path().read_text(encoding="utf-8"))
        assert validate(document)["code"] == CODE and document["name"] == "Mina Park"
        page.wait_for_function(
            "() => [...document.querySelectorAll('.handin-message')].some(m => m.innerText.includes('Saved as'))",
            timeout=30_000,
        )
        visit.assert_no_errors("after opening a link and handing in")
    finally:
        visit.close()


@pytest.mark.browser
def test_a_link_opens_in_jupyterlab_and_hand_in_gives_a_file(browser, lab):  # noqa: F811
    run_link(browser, lab)


@pytest.mark.browser
def test_a_link_opens_in_notebook7_and_hand_in_gives_a_file(browser, notebook7):  # noqa: F811
    run_link(browser, notebook7)
