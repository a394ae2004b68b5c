"""End to end on a local JupyterHub.

The hub (pip ``jupyterhub``) with configurable-http-proxy (npm,
installed into build/node_modules by ``./suite test``), a local-process spawner and a test
authenticator, all on 127.0.0.1 (``hub/jupyterhub_config.py``). Three users log in, follow the
nbgitpuller link that ``python -m classroom hub-link`` prints (it clones a git repository holding the
notebooks into their home), get the scenario lab as a Voilà app under their own server, and move a
slider; their pages request nothing from a host other than the hub's, and their consoles hold nothing but
the front end's harmless version warnings (``classroom.launch.HARMLESS_CONSOLE``). Fails, never skips,
when the proxy or Chromium is missing.
"""

from __future__ import annotations

import subprocess
import time
from urllib.parse import urlparse

import pytest

from classroom.cli import hub_link
from classroom.launch import FIRST_FIGURE_JS, ROOT, free_port, unexplained, watch_console
from tests.servers import chromium, executable, serve, with_environment

PROXY = ROOT / "build" / "node_modules" / ".bin" / "configurable-http-proxy"
PASSWORD = "hub-test-password"
LEVER = "russia_arms_enforcement"


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def notebook_repo(tmp_path_factory):
    """A git repository with the suite's notebooks, as the course's repository would hold them."""
    repo = tmp_path_factory.mktemp("repo") / "dprk-lifelines"
    (repo / "notebooks").mkdir(parents=True)
    for path in (ROOT / "notebooks").iterdir():
        if path.suffix in (".ipynb", ".py", ".toml"):
            (repo / "notebooks" / path.name).write_bytes(path.read_bytes())
    _git("init", "-q", "-b", "main", cwd=repo)
    _git("add", ".", cwd=repo)
    _git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "-q", "-m", "notebooks", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    assert PROXY.exists(), (
        f"configurable-http-proxy is missing at {PROXY}: `./suite test` installs it "
        "(npm install --prefix build configurable-http-proxy@5)"
    )
    state = tmp_path_factory.mktemp("hub")
    port = free_port()
    env = with_environment(
        HUB_STATE=str(state),
        HUB_PORT=str(port),
        HUB_API_PORT=str(free_port()),
        HUB_PROXY_API_PORT=str(free_port()),
        HUB_PASSWORD=PASSWORD,
        DPRK_TEST_HUB="1",  # the test hub refuses to start without it
    )
    base = f"http://127.0.0.1:{port}"
    argv = [executable("jupyterhub"), "-f", str(ROOT / "hub" / "jupyterhub_config.py")]
    # The hub stops the user servers and the proxy it started when it is stopped.
    with serve(argv, f"{base}/hub/api", "jupyterhub", cwd=state, env=env, log=state / "hub.log", stop_timeout=30):
        yield base, state


def _requests_to_other_hosts(page) -> list[str]:
    """The addresses ``page`` requests from hosts other than 127.0.0.1, collected as it makes them.

    Out of the box a hub's Voilà pages ask cdn.jsdelivr.net for Font Awesome and cdnjs for MathJax.
    """
    elsewhere: list[str] = []

    def record(request) -> None:
        address = urlparse(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname != "127.0.0.1":
            elsewhere.append(request.url)

    page.on("request", record)
    return elsewhere


@pytest.mark.browser
def test_three_users_open_the_lab_app_from_the_nbgitpuller_link_and_move_a_slider(hub, notebook_repo):
    """Each user's app works from the link, and its page asks nothing of hosts other than the hub."""
    base, state = hub
    link = hub_link(base, notebook_repo.as_uri(), "main", "05_scenario_lab")
    with chromium() as browser:
        try:
            for user in ("ada", "bao", "chidi"):
                context = browser.new_context(viewport={"width": 1300, "height": 900})
                page = context.new_page()
                elsewhere = _requests_to_other_hosts(page)
                console = watch_console(page)
                page.goto(link, timeout=120_000)
                page.locator("input[name=username]").fill(user)
                page.locator("input[name=password]").fill(PASSWORD)
                page.locator("input[name=password]").press("Enter")
                # Log in -> spawn the user's server -> nbgitpuller clones -> the lab as a Voilà app.
                page.wait_for_url(f"**/user/{user}/voila/render/**", timeout=180_000)
                try:
                    page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
                except Exception as error:
                    page.screenshot(path=str(state / f"{user}.png"))
                    text = page.locator("body").inner_text()[:3000]
                    raise AssertionError(f"{user}: no figure at {page.url}; the page shows:\n{text}") from error
                assert page.locator(".jp-InputArea-editor:visible").count() == 0, "code is hidden"
                readout = page.locator(f".param-{LEVER} .widget-readout")
                before = readout.inner_text()
                canvases = page.locator(".jupyter-matplotlib-canvas-div canvas")
                pictures = canvases.evaluate_all("cs => cs.map(c => c.toDataURL())")
                page.locator(f".param-{LEVER} .noUi-handle").focus()
                for _ in range(3):
                    page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "([sel, old]) => document.querySelector(sel).innerText !== old",
                    arg=[f".param-{LEVER} .widget-readout", before],
                    timeout=30_000,
                )
                assert float(readout.inner_text()) > float(before)
                deadline = time.monotonic() + 30
                while canvases.evaluate_all("cs => cs.map(c => c.toDataURL())") == pictures:
                    assert time.monotonic() < deadline, f"{user}: the figure did not change after the slider moved"
                    time.sleep(0.3)
                assert elsewhere == [], f"{user}'s page asked other hosts: {elsewhere}"
                assert unexplained(console) == [], f"{user}'s page console: {unexplained(console)}"
                pulled = state / "homes" / user / "dprk-lifelines" / "notebooks" / "05_scenario_lab.ipynb"
                assert pulled.exists(), "nbgitpuller cloned the notebooks into the user's home"
                context.close()
        finally:
            browser.close()
