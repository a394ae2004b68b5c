"""A scenario link and a hand-in in headless Chromium: in the pooled class server and in plain Voilà.

In ``./suite class`` a student who joined opens a shared link (``…?s=CODE``, no class code in it) in a warm
kernel of the pool: the lab shows the code's state; *Hand in* reaches the lecturer's board through the
page (the student's session), never through the kernel. In plain Voilà the same link restores the state
and *Hand in* downloads the hand-in as a file that the class server would accept.
"""

from __future__ import annotations

import json

import pytest

from classroom.handins import validate
from classroom.launch import ClassServer
from model.scenario_code import encode
from tests.test_browser import voila_url  # noqa: F401 - the same Voilà server fixture

LAB = "/voila/render/05_scenario_lab.ipynb"
LEVER = "russia_arms_enforcement"
CODE = encode({LEVER: 0.6}, "baseline")


def _open_link(page, address: str) -> None:
    """Open a scenario link and wait until the lab shows the code's state and the link is the code's."""
    page.goto(address, timeout=120_000)
    page.locator(".lab-headline").wait_for(state="visible", timeout=120_000)
    page.wait_for_function(
        "([sel]) => document.querySelector(sel) && document.querySelector(sel).value === '0.60'",
        arg=[f".param-{LEVER}-text input"],
        timeout=60_000,
    )
    page.wait_for_function(
        "code => (document.querySelector('.scenario-link-text') || {}).value?.endsWith('?s=' + code)",
        arg=CODE,
        timeout=30_000,
    )
    page.wait_for_function(
        "() => (document.querySelector('.scenario-code-message') || {}).innerText?.includes('Opened scenario')",
        timeout=30_000,
    )


def _hand_in(page, name: str, sentence: str) -> None:
    box = page.locator(".scenario-handin")
    box.locator("input[type=text]").fill(name)
    box.locator("textarea").fill(sentence)
    box.locator("textarea").press("Tab")
    page.wait_for_timeout(300)  # the typed values reach the kernel before the click
    box.locator("button", has_text="Hand in").click()


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("board-browser")
    with ClassServer(students=1, log=folder / "server.log", state=folder / "state", plain=False) as running:
        yield running


@pytest.mark.browser
def test_a_link_opens_in_the_pooled_class_and_the_hand_in_reaches_the_board(class_server, browser):
    server = class_server
    warm = {k["id"] for k in server.kernels("pool")}
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(f"{server.base}/?token={server.code}", timeout=60_000)  # the student joins
        _open_link(page, f"{server.base}{LAB}?s={CODE}")  # then opens a link a classmate shared
        assert warm & {k["id"] for k in server.kernels("student")}, "the link opened in a warm kernel of the pool"
        _hand_in(page, "Mina <b>Park</b>", "Russia's arms ban halves <script>x</script> the earnings.")
        page.wait_for_function(
            "() => document.querySelector('.handin-message').innerText.includes('on the class board')",
            timeout=30_000,
        )
        status, body = server.get("/classroom/api/board", token="lecturer")
        handins = json.loads(body)["handins"]
        assert status == 200 and len(handins) == 1
        assert handins[0]["code"] == CODE and handins[0]["name"] == "Mina <b>Park</b>"
    finally:
        context.close()
    # The lecturer's board in the browser: the chart, the escaped texts, sorting, the link into the lab.
    lecturer = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = lecturer.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"{server.base}/classroom/board?token={server.lecturer_code}", timeout=60_000)
        page.wait_for_function("() => document.getElementById('board').dataset.ready === 'true'", timeout=30_000)
        assert page.locator(".chart svg").is_visible()
        assert page.locator("#board tbody tr:not(.preset) td").nth(1).inner_text() == "Mina <b>Park</b>"
        page.locator("button.sort").nth(3).click()
        assert page.locator("#board").get_attribute("data-sorted") == "3:desc"
        href = page.locator("a.open-code").first.get_attribute("href")
        assert href == f"{LAB}?s={CODE}" and not errors, errors
    finally:
        lecturer.close()


@pytest.mark.browser
def test_a_link_opens_in_plain_voila_and_the_hand_in_is_a_file(voila_url, browser):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        _open_link(page, f"{voila_url}{LAB}?s={CODE}")
        with page.expect_download(timeout=30_000) as download:
            _hand_in(page, "Mina Park", "One sentence.")
        path = download.value.path()
        document = json.loads(path.read_text(encoding="utf-8"))
        assert download.value.suggested_filename == f"handin-Mina-Park-{CODE}.json"
        assert validate(document)["code"] == CODE, "the file is a hand-in the class server accepts"
        page.wait_for_function(
            "() => document.querySelector('.handin-message').innerText.includes('Saved as')", timeout=30_000
        )
    finally:
        context.close()


@pytest.mark.browser
def test_every_app_opens_a_link_in_the_pooled_class(class_server, browser):
    """Each slider app of the class, opened from a scenario link by a student who joined, shows the link's state."""
    from tests.test_e2e import LINK_TEXT, NOTEBOOKS, link_code

    server = class_server
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        joined = context.new_page()
        joined.goto(f"{server.base}/?token={server.code}", timeout=60_000)
        for case in NOTEBOOKS:
            code = link_code(case)
            page = context.new_page()
            page.goto(f"{server.base}/voila/render/{case.notebook}.ipynb?s={code}", timeout=120_000)
            page.wait_for_function(
                "([sel, want]) => { const box = document.querySelector(sel); return !!box && box.value === want; }",
                arg=[f".param-{case.slider}-text input", LINK_TEXT],
                timeout=120_000,
            )
            page.wait_for_function(
                "code => [...document.querySelectorAll('.scenario-link-text')]"
                ".some(f => f.value.endsWith('?s=' + code))",
                arg=code,
                timeout=30_000,
            )
            page.close(run_before_unload=True)
            # A student holds a few apps at once (classroom/security.py): the closed page's kernel goes first.
            server.wait_for(lambda: len(server.kernels("student")) < 2, 60, f"the kernel of {case.notebook} to close")
    finally:
        context.close()
