"""Every notebook end to end in Chromium: the whole visit as a Voilà app, smoke visits in JupyterLab and Notebook 7.

One table (:data:`NOTEBOOKS`) drives it: a notebook is one :class:`Case` (adding one is one line). The
**whole visit** (:func:`run_case`, in Voilà) checks, in one page visit (page loads are the expensive part):

* no page error and no error text on the page (tracebacks, "Error displaying widget", error boxes);
* each kind of control in the app (slider, whole-number slider, choice, switch), moved by keyboard and
  by mouse, changes the figure (canvas pixels) and the numbers (the readout's text);
* the figure then is the kernel's render of the states the page showed (:func:`figure_is_kernel_render`);
* a preset changes them and the reset button brings the baseline's numbers back;
* every export button delivers its files to the browser as downloads (Playwright's download events),
  byte for byte the server copies, of the right kind (TOML that loads as a scenario, PNG, PDF, CSV);
* a typed bad value shows its message right under its control, and a good value afterwards is used;
* at 800, 1280 and 1920 px no figure is wider than its output area or reaches past it, and at
  1280 x 720 the first control, the numbers and the figure are on the screen together.

A **smoke visit** (:func:`run_smoke`, in JupyterLab and in Notebook 7 after Run All) checks that the page
loads without errors, that its figures fit at 1280 px, that one keyboard move changes the figure and the
numbers, and that the figure is then the kernel's render. The scenario lab's visits, in each front end,
end with the same comparison after repeated key presses with a CPU hog beside the browser
(:func:`under_cpu_hog`).

**The kernel's render**: the app is built again in the test process by the notebook's own lines
(:data:`APP_LINES`), taken through the control values the page showed after each move (its axes keep their
limits while the data fit them, so earlier states matter), and rendered whole with Agg at the canvas's pixel
size; the page's canvas (``getImageData``) may differ from it by anti-aliasing noise only
(:data:`PIXELS_DIFFERENT`, :data:`PIXEL_LEVELS`).

The role-play (notebook 08) has another layout and its own visits (:func:`run_roleplay` in Voilà, as a
facilitator plays it: no errors, figures that fit; a Russia lever moved by keyboard and an event card, then
*Play round*, change the scoreboard and the figure; a typed bad value's message under its box; *Undo* gives
back the exact scoreboard; *Save game* and *Handout* download byte for byte the server copies (the game
file reads back); *Load game* after a new game brings the saved scoreboard back; the projector view), and
:func:`run_roleplay_smoke` in JupyterLab and Notebook 7.

Screenshots of each state go to ``build/screenshots/<notebook>-<frontend>-<state>-<width>.png``.
One Voilà, one JupyterLab and one Notebook 7 server serve every test (module fixtures, started by
:mod:`tests.servers`); the notebooks are copied to temporary folders first, so autosave never writes
outputs into the repository, and the exports' server copies go to a temporary folder too. Fails, never
skips, when Chromium cannot start.
"""

from __future__ import annotations

import base64
import csv
import functools
import io
import json
import secrets
import shutil
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from classroom.handins import validate
from classroom.launch import FIRST_FIGURE_JS
from dprk_apps.exports import EXPORT_FOLDER_VARIABLE
from dprk_teaching.texts import default_plan
from model.scenario_code import encode
from model.scenarios import BASELINE
from tests import servers

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "build" / "screenshots"
WIDTHS = (800, 1280, 1920)
PROJECTOR = {"width": 1280, "height": 720}
#: Export buttons and the file suffixes each one delivers.
EXPORTS = {
    "Save scenario (TOML)": (".toml",),
    "Save figure (PNG + PDF)": (".png", ".pdf"),
    "Save results (CSV)": (".csv",),
}


@dataclass(frozen=True)
class Case:
    """One notebook and the controls of its app that the test moves.

    Attributes
    ----------
    notebook : str
        File stem in ``notebooks/``.
    slider : str
        A float lever (moved by keyboard and by mouse, then typed into).
    others : tuple of str
        One control of each further kind the app has (whole-number slider, choice, switch).
    exports : bool
        The app has the export buttons.
    """

    notebook: str
    slider: str
    others: tuple[str, ...] = field(default=())
    exports: bool = True


NOTEBOOKS = [
    Case("00_start_here", "russia_arms_enforcement", exports=False),
    Case("01_lifelines", "china_export_ban_enforcement", ("ceasefire_year",)),
    Case("02_oil", "china_pipeline_cut", ("monitoring_regime",)),
    Case("03_labour", "china_labour_enforcement", ("monitoring_regime",)),
    Case("04_arms", "russia_arms_enforcement", ("ceasefire_year",)),
    Case("05_scenario_lab", "russia_arms_enforcement", ("ceasefire_year", "monitoring_regime", "include_cyber")),
    Case("06_exercises", "russia_arms_enforcement", ("ceasefire_year", "monitoring_regime", "include_cyber")),
    Case("07_uncertainty", "russia_arms_enforcement", ("ceasefire_year", "monitoring_regime"), exports=False),
]

# Texts that mean something broke, wherever they appear on the page.
ERROR_TEXTS = ("Traceback", "Error displaying widget", "Something went wrong", "model not found")

# Every canvas of an ipympl figure with its output area: the figure's box on screen and the area's.
FIGURE_BOXES_JS = """() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas:first-child')]
  .filter(c => c.offsetParent !== null)
  .map(c => {
    const area = c.closest('.jp-OutputArea-output') || c.closest('.jp-Cell') || document.body;
    const a = area.getBoundingClientRect(), b = c.getBoundingClientRect();
    return {left: b.left, right: b.right, width: b.width, height: b.height,
            area_left: a.left, area_right: a.right, area_width: a.width};
  })"""
EVERY_FIGURE_JS = """() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas:first-child')]
  .filter(c => c.offsetParent !== null).every(c => c.width > 100)"""
APP_PICTURE_JS = "() => [...document.querySelectorAll('.app-results canvas:first-child')].map(c => c.toDataURL())"
# How many pixels of the app figures' canvases are not opaque (the figures are: a frame painted over a
# cleared canvas, or a diff frame painted where its whole frame is missing, leaves see-through pixels).
APP_HOLES_JS = """() => [...document.querySelectorAll('.app-results canvas:first-child')].map(c => {
  const alpha = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let holes = 0;
  for (let i = 3; i < alpha.length; i += 4) if (alpha[i] < 255) holes += 1;
  return holes; })"""


@dataclass
class Frontend:
    """A running server and how to open a notebook in it."""

    name: str
    base: str
    exports: Path
    token: str = ""

    #: Page errors the front end raises on a page of its own (a notebook without widgets), not ours.
    own_page_errors: tuple[str, ...] = ()

    def url(self, notebook: str) -> str:
        if self.name == "voila":
            return f"{self.base}/voila/render/{notebook}.ipynb"
        if self.name == "notebook7":
            return f"{self.base}/notebooks/{notebook}.ipynb?token={self.token}"
        # ``reset``: a fresh workspace, so notebooks opened by earlier visits are not opened again.
        return f"{self.base}/lab/tree/{notebook}.ipynb?reset&token={self.token}"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """A copy of the notebooks (JupyterLab saves what it opens) and a folder for the exports' server copies."""
    base = tmp_path_factory.mktemp("e2e")
    notebooks = base / "notebooks"
    notebooks.mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, notebooks / path.name)
    return base


@pytest.fixture(scope="module")
def voila(workdir):
    exports = workdir / "exports-voila"
    env = servers.with_environment(**{EXPORT_FOLDER_VARIABLE: str(exports)})
    with servers.voila(workdir / "notebooks", cwd=workdir, env=env) as base:
        yield Frontend("voila", base, exports)


def _jupyter_server(command: str, workdir: Path, root: Path, exports: Path, *options: str):
    """``jupyter <command>`` (lab or notebook) on ``root``, its exports and settings in ``workdir``."""
    env = servers.with_environment(
        **{EXPORT_FOLDER_VARIABLE: str(exports), "JUPYTER_CONFIG_DIR": str(workdir / "config")}
    )
    return servers.jupyter(command, root, *options, cwd=workdir, env=env)


@pytest.fixture(scope="module")
def lab(workdir):
    exports = workdir / "exports-lab"
    options = (
        # The configuration ./suite lab loads (no news prompt, notebooks saved without outputs): the visits
        # and their screenshots show the Lab a lecturer gets.
        f"--config={ROOT / 'lab' / 'jupyter_server_config.py'}",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        f"--LabApp.user_settings_dir={workdir / 'lab-settings'}",
        f"--LabApp.workspaces_dir={workdir / 'workspaces'}",
    )
    with _jupyter_server("lab", workdir, workdir / "notebooks", exports, *options) as (base, token):
        yield Frontend("lab", base, exports, token)


@pytest.fixture(scope="module")
def notebook7(tmp_path_factory, browser):
    """Jupyter Notebook 7 on its own copy of the notebooks (the JupyterLab visits save theirs)."""
    base_dir = tmp_path_factory.mktemp("e2e-notebook7")
    notebooks = base_dir / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    python3 = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    import nbformat  # here, not at the top: it takes a second to import

    plain = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")], metadata={"kernelspec": python3})
    nbformat.write(plain, notebooks / "plain.ipynb")
    exports = base_dir / "exports"
    with _jupyter_server("notebook", base_dir, notebooks, exports) as (base, token):
        frontend = Frontend("notebook7", base, exports, token)
        frontend.own_page_errors = _own_page_errors(browser, frontend)
        yield frontend


def _own_page_errors(browser, frontend: Frontend) -> tuple[str, ...]:
    """The page errors of ``frontend`` on a notebook without widgets: the front end's, not the apps'.

    Notebook 7 raises one on every notebook page ("Cannot read properties of undefined (reading 'schema')",
    with or without this suite's extensions; docs/testing.md); its visits ignore those, and only those.
    """
    context = browser.new_context(viewport=PROJECTOR)
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(frontend.url("plain"), timeout=180_000)
        page.locator(".jp-Notebook").wait_for(state="visible", timeout=180_000)
        _kernels_idle(frontend, timeout=90)
        time.sleep(3.0)
        return tuple(errors)
    finally:
        context.close()
        _shutdown_kernels(frontend)


def _kernels_idle(frontend: Frontend, timeout: float = 240) -> None:
    """Wait until the server has a kernel and every kernel is idle (asked of the server, not the page).

    The kernels' list may answer 500 for a moment while a kernel is being shut down: asked again.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{frontend.base}/api/kernels?token={frontend.token}", timeout=10) as response:
                kernels = json.load(response)
        except urllib.error.HTTPError as error:
            assert error.code >= 500 and time.monotonic() < deadline, f"{frontend.name}: the kernels' list: {error}"
            kernels = None
        if kernels and all(k["execution_state"] == "idle" for k in kernels):
            return
        assert time.monotonic() < deadline, f"{frontend.name}: kernels not idle after {timeout} s: {kernels}"
        time.sleep(0.5)


def _shutdown_kernels(frontend: Frontend) -> None:
    base, token = frontend.base, frontend.token
    with urllib.request.urlopen(f"{base}/api/kernels?token={token}", timeout=10) as response:
        kernels = json.load(response)
    for kernel in kernels:
        request = urllib.request.Request(f"{base}/api/kernels/{kernel['id']}?token={token}", method="DELETE")
        urllib.request.urlopen(request, timeout=30).close()


class Visit:
    """One page of one notebook in one front end, with the helpers the checks share."""

    def __init__(
        self,
        browser,
        frontend: Frontend,
        case: Case,
        code: str = "",
        viewport: dict | None = None,
        scale: float = 1.0,
    ):
        self.frontend, self.case = frontend, case
        #: A scenario code the page is opened with (``?s=CODE``, a scenario link), or "" for none.
        self.code = code
        self.context = browser.new_context(
            viewport=viewport or PROJECTOR, device_scale_factor=scale, accept_downloads=True
        )
        if frontend.name == "voila":
            # Voilà 0.5 never sets the _xsrf cookie its page-close beacon sends back; without it every
            # visit would leave its kernel running (see classroom/server.py).
            self.context.add_cookies([{"name": "_xsrf", "value": secrets.token_hex(16), "url": frontend.base}])
        self.page = self.context.new_page()
        self.page_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.page_errors.append(str(error)))
        self.downloads: list = []
        self.page.on("download", lambda download: self.downloads.append(download))
        #: The control values the page showed after each change it made, in order (:meth:`record`).
        self.history: list[dict] = []

    def record(self) -> None:
        """Note the values the page's controls show now, if they differ from the last noted ones.

        The kernel's render of a state depends on the states before it (axis limits are kept while the data
        fit them), so :func:`kernel_render` replays this history.
        """
        shown = self.page.evaluate(CONTROL_VALUES_JS)
        if not self.history or shown != self.history[-1]:
            self.history.append(shown)

    # ----------------------------------------------------------------------------- opening
    #: Added to the page's address (e.g. ``?projector=1``).
    query = ""

    def address(self) -> str:
        """The page's address, with :attr:`query` and the scenario code when the visit opens a link."""
        address = self.frontend.url(self.case.notebook) + self.query
        return f"{address}{'&' if '?' in address else '?'}s={self.code}" if self.code else address

    def open(self) -> None:
        page = self.page
        page.goto(self.address(), timeout=180_000)
        if self.frontend.name == "notebook7":
            page.locator(".jp-Notebook").wait_for(state="visible", timeout=180_000)
            _kernels_idle(self.frontend)
            self.settle(0.5)
            page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
            page.locator(".lm-Menu .lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
            self.wait_ready()
            _kernels_idle(self.frontend)
            self.settle()
            return
        if self.frontend.name == "lab":
            page.locator(".jp-Notebook").wait_for(state="visible", timeout=180_000)
            self._lab_kernel_idle()
            self._file_browser_open()
            page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").get_by_text("Run", exact=True).click()
            page.locator(".lm-Menu .lm-Menu-itemLabel").get_by_text("Run All Cells", exact=True).click()
        self.wait_ready()
        if self.frontend.name == "lab":
            self._lab_kernel_idle()
        self.settle()

    def wait_ready(self) -> None:
        """Wait until the app and every figure shown on the page have their first frame.

        In JupyterLab after *Run All* a figure's first frame is drawn when the kernel reaches the page's
        request for it, behind every cell still queued (07's app figure comes after four exercise cells).
        """
        self.page.locator(".app-results").first.wait_for(state="visible", timeout=240_000)
        self.page.wait_for_function(FIRST_FIGURE_JS, timeout=120_000)
        self.page.wait_for_function(EVERY_FIGURE_JS, timeout=120_000)

    def _lab_kernel_idle(self) -> None:
        # The status bar names the kernel and its state ("Python 3 (ipykernel) | Idle") once it is ready.
        self.page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-StatusBar-TextItem')]"
            ".some(e => /\\| Idle$/.test(e.textContent.trim()))",
            timeout=240_000,
        )
        self.settle(0.5)

    def _file_browser_open(self) -> None:
        browser_panel = self.page.locator(".jp-FileBrowser")
        if not browser_panel.is_visible():
            self.page.locator("[data-id='filebrowser']").first.click()
        browser_panel.wait_for(state="visible", timeout=30_000)

    def settle(self, seconds: float = 0.8) -> None:
        """Let the last frame and widget messages arrive."""
        time.sleep(seconds)

    def close(self) -> None:
        if self.frontend.name in ("lab", "notebook7"):
            _shutdown_kernels(self.frontend)
        self.context.close()

    # ----------------------------------------------------------------------------- observing
    def shot(self, state: str, width: int | None = None) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        width = width or self.page.viewport_size["width"]
        name = f"{self.case.notebook}-{self.frontend.name}-{state}-{width}.png"
        self.page.screenshot(path=str(SCREENSHOTS / name))

    def numbers(self) -> str:
        return self.page.locator(".app-readout .widget-html-content").first.inner_text()

    def picture(self) -> list[str]:
        return self.page.evaluate(APP_PICTURE_JS)

    def state(self) -> tuple[str, list[str]]:
        return self.numbers(), self.picture()

    def wait_opaque(self, what: str, timeout: float = 10) -> None:
        """Wait until every app figure's canvas is opaque again (a resize may leave a margin for a moment)."""
        deadline = time.monotonic() + timeout
        while any(self.page.evaluate(APP_HOLES_JS)):
            assert time.monotonic() < deadline, (
                f"{self.case.notebook} ({self.frontend.name}): after {what} the figure has see-through pixels "
                f"{self.page.evaluate(APP_HOLES_JS)}: frames painted without the picture under them"
            )
            time.sleep(0.2)

    def wait_changed(self, before: tuple[str, list[str]], what: str, timeout: float = 60) -> None:
        """Wait until both the numbers and the figure differ from ``before``."""
        deadline = time.monotonic() + timeout
        numbers_before, picture_before = before
        while True:
            numbers, picture = self.state()
            if numbers != numbers_before and picture != picture_before:
                self.settle(0.3)
                self.wait_opaque(what)
                self.record()
                return
            assert time.monotonic() < deadline, (
                f"{self.case.notebook} ({self.frontend.name}): {what} did not change "
                f"{'the numbers' if numbers == numbers_before else 'the figure'}"
            )
            time.sleep(0.2)

    def assert_no_errors(self, when: str) -> None:
        errors = [e for e in self.page_errors if e not in self.frontend.own_page_errors]
        assert not errors, f"{self.case.notebook} ({self.frontend.name}) {when}: {errors}"
        text = self.page.locator("body").inner_text()
        found = [t for t in ERROR_TEXTS if t in text]
        assert not found, f"{self.case.notebook} ({self.frontend.name}) {when}: error text on the page: {found}"
        shown = self.page.locator(".model-error .widget-html-content").all_inner_texts()
        assert not any(s.strip() for s in shown), f"{self.case.notebook} {when}: error box shows {shown}"

    def control(self, name: str):
        return self.page.locator(f".param-{name}").first

    def scroll_to_app(self) -> None:
        self.page.locator(".app-columns").first.evaluate("el => el.scrollIntoView({block: 'start'})")
        self.settle(0.3)


# ------------------------------------------------------------------------------------- the checks
def move_slider(visit: Visit, name: str, label: str) -> None:
    """Keyboard (two steps), then mouse (a click on the track), each changing numbers and figure."""
    slider = visit.control(name)
    handle = slider.locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    before = visit.state()
    handle.focus()
    at_max = float(handle.get_attribute("aria-valuenow")) >= float(handle.get_attribute("aria-valuemax"))
    # Two steps up; from the top end (e.g. "no ceasefire before 2036") Home jumps to the other end.
    for key in ("Home",) if at_max else ("ArrowRight", "ArrowRight"):
        visit.page.keyboard.press(key)
    visit.wait_changed(before, f"{label} {name} by keyboard")
    visit.shot(f"{name}-keyboard")
    before = visit.state()
    track = slider.locator(".noUi-base")
    # A person scrolls the control into the middle of its column before clicking (at an edge of the
    # controls' own scroll area the track can be cut off: the click would land beside it).
    track.evaluate("el => el.scrollIntoView({block: 'center'})")
    visit.settle(0.3)
    box = track.bounding_box()
    current = handle.bounding_box()
    # Click on the track far from the handle: a quarter from whichever end the handle is not near.
    centre = current["x"] + current["width"] / 2
    x = box["x"] + box["width"] * (0.25 if centre > box["x"] + box["width"] / 2 else 0.75)
    visit.page.mouse.click(x, box["y"] + box["height"] / 2)
    visit.wait_changed(before, f"{label} {name} by mouse")
    visit.shot(f"{name}-mouse")


def move_choice(visit: Visit, name: str) -> None:
    select = visit.control(name).locator("select")
    select.scroll_into_view_if_needed()
    before = visit.state()
    select.focus()
    first = select.input_value()
    # Space opens the list, the arrow moves in it, Enter picks: the list has the keys, so JupyterLab's
    # command-mode shortcuts (ArrowDown selects the next cell) do not take them.
    for key in ("Space", "ArrowDown", "Enter"):
        visit.page.keyboard.press(key)
    visit.settle(0.3)
    if select.input_value() == first:  # the last option: go up instead
        for key in ("Space", "ArrowUp", "Enter"):
            visit.page.keyboard.press(key)
    visit.wait_changed(before, f"choice {name} by keyboard")
    visit.shot(f"{name}-keyboard")
    before = visit.state()
    options = select.locator("option").evaluate_all("os => os.map(o => o.value)")
    select.click()  # the mouse opens the list; the option is then chosen as a person picks it
    select.select_option(next(o for o in options if o != select.input_value()))
    visit.wait_changed(before, f"choice {name} by mouse")
    visit.shot(f"{name}-mouse")


def move_switch(visit: Visit, name: str) -> None:
    box = visit.control(name).locator("input[type=checkbox]")
    box.scroll_into_view_if_needed()
    before = visit.state()
    box.focus()
    visit.page.keyboard.press("Space")
    visit.wait_changed(before, f"switch {name} by keyboard")
    visit.shot(f"{name}-keyboard")
    before = visit.state()
    box.click()
    visit.wait_changed(before, f"switch {name} by mouse")
    visit.shot(f"{name}-mouse")


def move_control(visit: Visit, name: str) -> None:
    from model import registry

    kind = registry.get(name).kind
    if kind in ("float", "int"):
        move_slider(visit, name, "whole-number slider" if kind == "int" else "slider")
    elif kind == "choice":
        move_choice(visit, name)
    else:
        move_switch(visit, name)


def presets_and_reset(visit: Visit, baseline_numbers: str) -> None:
    chooser = visit.page.locator(".app-controls .widget-dropdown", has_text="Preset").locator("select").first
    chooser.scroll_into_view_if_needed()
    before = visit.state()
    from model.scenarios import load_preset

    chooser.select_option(label=load_preset("max-pressure").title)
    visit.wait_changed(before, "the max-pressure preset")
    visit.shot("preset")
    visit.page.locator(".app-controls button", has_text="Reset to baseline").first.click()
    deadline = time.monotonic() + 60
    while visit.numbers() != baseline_numbers:
        assert time.monotonic() < deadline, f"{visit.case.notebook}: reset did not bring the baseline numbers back"
        time.sleep(0.2)
    shown = chooser.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")
    assert shown == load_preset(BASELINE).title
    visit.record()
    visit.shot("reset")


def check_content(path: Path, data: bytes) -> None:
    """The downloaded file is what its suffix says."""
    if path.suffix == ".toml":
        from model.scenarios import load_preset

        assert tomllib.loads(data.decode())["title"]
        load_preset(str(path))  # a scenario file the suite reads back
    elif path.suffix == ".png":
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    elif path.suffix == ".pdf":
        assert data[:5] == b"%PDF-"
    elif path.suffix == ".csv":
        rows = list(csv.reader(io.StringIO(data.decode())))
        assert rows[0][:6] == ["year", "channel", "partner", "measure", "unit", "value"] and len(rows) > 10
    else:
        raise AssertionError(f"unexpected download {path.name}")


def exports_download(visit: Visit, tmp_path: Path) -> None:
    for label, suffixes in EXPORTS.items():
        button = visit.page.locator(".export-bar button", has_text=label).first
        button.scroll_into_view_if_needed()
        start = len(visit.downloads)
        button.click()
        deadline = time.monotonic() + 90
        while len(visit.downloads) < start + len(suffixes):
            assert time.monotonic() < deadline, (
                f"{visit.case.notebook} ({visit.frontend.name}): {label} gave "
                f"{len(visit.downloads) - start} downloads, expected {len(suffixes)}"
            )
            visit.page.wait_for_timeout(200)
        got = visit.downloads[start:]
        assert sorted(Path(d.suggested_filename).suffix for d in got) == sorted(suffixes)
        status = visit.page.locator(".export-status").first.inner_text()
        for download in got:
            name = download.suggested_filename
            saved = tmp_path / name
            download.save_as(saved)
            server_copy = visit.frontend.exports / name
            assert server_copy.is_file(), f"no server copy of {name} in {visit.frontend.exports}"
            assert saved.read_bytes() == server_copy.read_bytes(), f"{name}: download differs from the server copy"
            check_content(saved, saved.read_bytes())
            assert name in status, f"the status line does not name {name}: {status!r}"
        visit.shot("export-" + suffixes[0].lstrip("."))


def typed_bad_value(visit: Visit, name: str):
    """Type 'abc' into ``name``'s box: its message, naming the value, right under the box; the box keeps its value.

    Returns the box, the message and the value kept.
    """
    box = visit.page.locator(f".param-{name}-text input").first
    message = visit.page.locator(f".param-{name}-message").first
    box.scroll_into_view_if_needed()
    kept = box.input_value()
    box.fill("abc")
    box.press("Enter")
    message.wait_for(state="visible", timeout=30_000)
    assert "'abc'" in message.inner_text(), message.inner_text()
    assert box.input_value() == kept
    below, above = message.bounding_box(), box.bounding_box()
    gap = below["y"] - (above["y"] + above["height"])
    assert -2 <= gap <= 40 and abs(below["x"] - above["x"]) < 400, (
        f"{visit.case.notebook}: the message is not next to its box (gap {gap:.0f} px)"
    )
    visit.shot("typed-error")
    return box, message, kept


def good_value(name: str, kept: str) -> float:
    """A valid value of ``name`` other than ``kept``: the middle of its range, or its minimum."""
    from model import registry

    parameter = registry.get(name)
    good = parameter.min + round((parameter.max - parameter.min) / 2 / parameter.step) * parameter.step
    return parameter.min if abs(good - float(kept)) < parameter.step / 2 else good


def typed_value(visit: Visit, name: str) -> None:
    box, message, kept = typed_bad_value(visit, name)
    before = visit.state()
    good = good_value(name, kept)
    box.fill(f"{good:g}")
    box.press("Enter")
    message.wait_for(state="hidden", timeout=30_000)
    visit.wait_changed(before, f"the typed value {good:g} in {name}")
    visit.shot("typed-recovered")


def figures_fit(visit: Visit, widths: tuple[int, ...] = WIDTHS) -> None:
    for width in widths:
        visit.page.set_viewport_size({"width": width, "height": PROJECTOR["height"]})
        visit.settle(0.6)
        boxes = visit.page.evaluate(FIGURE_BOXES_JS)
        assert boxes, f"{visit.case.notebook}: no figure found at {width} px"
        for index, box in enumerate(boxes):
            assert box["width"] <= box["area_width"] + 1 and box["right"] <= box["area_right"] + 1, (
                f"{visit.case.notebook} ({visit.frontend.name}) at {width} px: figure {index} is "
                f"{box['width']:.0f} px wide, its area {box['area_width']:.0f} px (clipped)"
            )
            assert box["left"] >= box["area_left"] - 1 and box["width"] > 0.3 * min(box["area_width"], 1000)
        visit.scroll_to_app()
        visit.shot("fit", width)
    visit.page.set_viewport_size(PROJECTOR)
    visit.settle(0.6)


def together_on_projector(visit: Visit) -> dict:
    """At 1280 x 720, with the app's top at the screen's top: first control, numbers and figure in view."""
    visit.scroll_to_app()
    found = visit.page.evaluate(
        """() => {
      const seen = el => { const r = el.getBoundingClientRect();
        const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
        const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
        return r.width * r.height ? (h * w) / (r.width * r.height) : 0; };
      const app = document.querySelector('.app-columns');
      return {control: seen(app.querySelector('.app-controls .widget-slider, .app-controls .widget-dropdown')),
              numbers: seen(app.querySelector('.app-readout .widget-html-content')),
              figure: seen(app.querySelector('.app-results canvas'))};
    }"""
    )
    visit.shot("projector")
    assert found["control"] == 1 and found["numbers"] == 1, f"{visit.case.notebook}: {found}"
    assert found["figure"] >= 0.6, f"{visit.case.notebook}: only {found['figure']:.0%} of the figure in view"
    return found


# ------------------------------------------------------------------------------------- the figure's pixels
#: How each notebook builds its app: its own lines (each must be in the notebook's script, comments aside),
#: run again in the test process to render the state the page shows (:func:`kernel_render`).
APP_LINES = {
    "00_start_here": ("from dprk_apps.lab import DemoApp", "app = DemoApp()"),
    "01_lifelines": (
        "from dprk_apps.lifelines import LEVERS, LifelinesApp, episodes_html, history_figure",
        "app = LifelinesApp()",
    ),
    "02_oil": ("from dprk_apps.channels import OIL_ASSUMPTIONS, OIL_LEVERS, OilApp, oil_figure", "app = OilApp()"),
    "03_labour": (
        "from dprk_apps.channels import LABOUR_ASSUMPTIONS, LABOUR_LEVERS, LabourApp, labour_figure",
        "app = LabourApp()",
    ),
    "04_arms": (
        "from dprk_apps.channels import ARMS_ASSUMPTIONS, ARMS_LEVERS, ArmsApp, arms_figure",
        "app = ArmsApp()",
    ),
    "05_scenario_lab": ("from dprk_apps.lab import LabApp, baseline_figure", "app = LabApp()"),
    "06_exercises": (
        "from dprk_apps import parameter_names",
        "from dprk_apps.exercises import ExerciseApp",
        'app = ExerciseApp(parameter_names("lever"))',
    ),
    "07_uncertainty": (
        "import numpy as np",
        "from dprk_apps import uncertainty as ua",
        "from dprk_teaching import exercises",
        "from model import uncertainty as u",
        "SEED = exercises.UNCERTAINTY_SEED",
        "DRAWS = exercises.UNCERTAINTY_DRAWS",
        'baseline = u.run_ensemble("baseline", DRAWS, np.random.default_rng(SEED), keep="headlines")',
        "app = ua.UncertaintyApp(baseline)",
    ),
}
#: Where a page's figure and its kernel's render may differ: anti-aliasing noise only. A pixel counts as
#: different when one of its channels differs by more than :data:`PIXEL_LEVELS` (of 255), and at most
#: :data:`PIXELS_DIFFERENT` of the figure's pixels may.
PIXEL_LEVELS = 16
PIXELS_DIFFERENT = 0.005
#: The notebook whose page is also checked with a CPU hog beside the browser (two busy processes).
HOG_CASE = "05_scenario_lab"
#: The notebook whose smoke visits (JupyterLab, Notebook 7: no class server) also hand in, as a file.
HANDIN_CASE = "05_scenario_lab"
HOG_PROCESSES = 2
# The app figure's canvas as raw RGBA bytes (getImageData), base64-encoded in slices.
APP_PIXELS_JS = """() => {
  const c = document.querySelector('.app-results .jupyter-matplotlib-canvas-div canvas');
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let text = '';
  for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
  return {width: c.width, height: c.height, rgba: btoa(text)};
}"""
# What every control of the page shows: its value box, its chosen option, its switch.
CONTROL_VALUES_JS = """() => {
  const found = {};
  for (const el of document.querySelectorAll('[class*="param-"]')) {
    for (const name of el.classList) {
      const match = /^param-(\\w+)$/.exec(name);
      if (!match || match[1] in found) continue;
      const box = document.querySelector(`.param-${match[1]}-text input`);
      const select = el.querySelector('select');
      const check = el.querySelector('input[type=checkbox]');
      found[match[1]] = {box: box ? box.value : null, checked: check ? check.checked : null,
                         option: select ? select.options[select.selectedIndex].text : null};
    }
  }
  return found;
}"""


def notebook_lines(notebook: str) -> set[str]:
    """The notebook's script's lines, stripped, without trailing comments."""
    script = (ROOT / "notebooks" / f"{notebook}.py").read_text(encoding="utf-8")
    return {line.split("  #")[0].strip() for line in script.splitlines()}


@functools.cache
def _before_app(notebook: str) -> dict:
    """The namespace the notebook's lines before its app line make (an ensemble, for 07), kept for the session."""
    lines = APP_LINES[notebook]
    missing = [line for line in lines if line not in notebook_lines(notebook)]
    assert not missing, f"{notebook} no longer builds its app with these lines; update APP_LINES: {missing}"
    namespace: dict = {}
    exec("\n".join(lines[:-1]), namespace)  # the notebook's own code, checked above
    return namespace


def rebuilt_app(notebook: str):
    """A new app of the notebook, built in this process (Agg) by the notebook's own lines (:data:`APP_LINES`)."""
    namespace = dict(_before_app(notebook))
    exec(APP_LINES[notebook][-1], namespace)  # the notebook's app line, checked by _before_app
    return namespace["app"]


def shown_values(app, shown: dict) -> dict:
    """The internal values of the app's controls that the page shows (controls not on the page are omitted)."""
    from dprk_apps.typed import parse_typed

    values = {}
    for name, control in app.panel.controls.items():
        if name not in shown:
            continue
        seen, parameter = shown[name], control.parameter
        if parameter.kind == "choice":
            labels = {label.replace("\xa0", " "): value for label, value in control.input.options}
            values[name] = labels[seen["option"].replace("\xa0", " ")]
        elif parameter.kind == "bool":
            values[name] = bool(seen["checked"])
        else:
            values[name] = parse_typed(parameter, seen["box"])[0]
    return values


def kernel_render(notebook: str, history: list[dict], size: tuple[int, int]) -> np.ndarray:
    """The notebook's figure rendered in this process after the page's states, at ``size`` pixels.

    A new app, built as the notebook builds it, is taken through the states the page showed one after
    another (its axis limits depend on them), and its figure is rendered whole with Agg. The figure's size
    in inches is the app's own; its resolution is the one that gives the page's canvas size. So the render
    is the kernel's render of the same states: same code, same matplotlib, same renderer.
    """
    app = rebuilt_app(notebook)
    try:
        for shown in history:
            app.panel.set_values(shown_values(app, shown))
            assert app.errors.message == "", app.errors.message
        figure = app.figure
        width_in, height_in = figure.get_size_inches()
        dpi = size[0] / width_in
        assert abs(round(height_in * dpi) - size[1]) <= 1, f"the page's canvas {size} is not the figure's shape"
        figure.set_dpi(dpi)
        figure.canvas.draw()
        rgba = np.asarray(figure.canvas.buffer_rgba())
        assert rgba.shape[:2] == (size[1], size[0]), (
            f"rendered {rgba.shape[1]} x {rgba.shape[0]} px, the page shows {size}"
        )
        return rgba.copy()
    finally:
        if hasattr(app, "close"):
            app.close()
        import matplotlib.pyplot as plt

        plt.close(app.figure)


def resting_figure(visit: Visit, rest: float = 1.5, timeout: float = 90) -> None:
    """Wait until the app's figure and numbers have not changed for ``rest`` seconds (every frame painted)."""
    deadline = time.monotonic() + timeout
    seen, since = visit.state(), time.monotonic()
    while time.monotonic() - since < rest:
        assert time.monotonic() < deadline, f"{visit.case.notebook} ({visit.frontend.name}): the figure does not rest"
        time.sleep(0.3)
        now = visit.state()
        if now != seen:
            seen, since = now, time.monotonic()
    if visit.frontend.name in ("lab", "notebook7"):
        _kernels_idle(visit.frontend, timeout=60)


def figure_is_kernel_render(visit: Visit, when: str) -> float:
    """The app's figure on the page equals the kernel's render of the states the page showed, pixel for pixel.

    Returns the share of pixels that differ (anti-aliasing noise, at most :data:`PIXELS_DIFFERENT`). On a
    failure the page's picture, the render and their difference go to the screenshots folder.
    """
    resting_figure(visit)
    canvas = visit.page.evaluate(APP_PIXELS_JS)
    size = (canvas["width"], canvas["height"])
    page = np.frombuffer(base64.b64decode(canvas["rgba"]), dtype=np.uint8).reshape(size[1], size[0], 4)
    visit.record()
    render = kernel_render(visit.case.notebook, visit.history, size)
    different = np.abs(page.astype(int) - render.astype(int)).max(axis=2) > PIXEL_LEVELS
    share = float(different.mean())
    if share > PIXELS_DIFFERENT:
        import matplotlib.image

        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = SCREENSHOTS / f"{visit.case.notebook}-{visit.frontend.name}-pixels-{when.replace(' ', '-')}"
        matplotlib.image.imsave(f"{stem}-page.png", page)
        matplotlib.image.imsave(f"{stem}-kernel.png", render)
        matplotlib.image.imsave(f"{stem}-difference.png", different, cmap="gray_r")
        rows, columns = np.nonzero(different)
        pytest.fail(
            f"{visit.case.notebook} ({visit.frontend.name}) {when}: the page's figure is not the kernel's render of "
            f"the state it shows: {share:.2%} of its {size[0]} x {size[1]} pixels differ by more than {PIXEL_LEVELS} "
            f"levels (at most {PIXELS_DIFFERENT:.1%} allowed), in x {columns.min()}-{columns.max()}, y "
            f"{rows.min()}-{rows.max()}; pictures in {stem}-*.png"
        )
    return share


def keyboard_moves(visit: Visit, name: str, keys: tuple[str, ...]) -> None:
    """Press ``keys`` on the slider ``name``'s handle, one after another as a person would (no waiting)."""
    handle = visit.control(name).locator(".noUi-handle")
    handle.scroll_into_view_if_needed()
    handle.focus()
    for key in keys:
        visit.page.keyboard.press(key)
        time.sleep(0.15)


def under_cpu_hog(visit: Visit) -> None:
    """With two busy processes beside the browser: repeated moves, then the figure equals the kernel's render."""
    with servers.cpu_hog(HOG_PROCESSES, seconds=120):
        before = visit.state()
        keyboard_moves(
            visit, visit.case.slider, ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight", "End", "ArrowLeft")
        )
        visit.wait_changed(before, "repeated key presses with a CPU hog beside the browser", timeout=120)
        figure_is_kernel_render(visit, "with a CPU hog")
        visit.shot("cpu-hog")
    visit.assert_no_errors("with a CPU hog")


def open_and_check(visit: Visit) -> None:
    """Open the page, photograph it, and check it loaded without errors (code hidden in the Voilà app)."""
    visit.open()
    visit.scroll_to_app()
    visit.shot("loaded")
    visit.assert_no_errors("after loading")
    # Code is hidden in the app; the notebook in JupyterLab shows it.
    if visit.frontend.name == "voila":
        assert visit.page.locator(".jp-InputArea-editor:visible").count() == 0


# ------------------------------------------------------------------------------------- scenario links
#: The value a scenario link gives the visited slider (every visited slider is a share from 0 to 1 whose
#: baseline is elsewhere), as the slider's text box shows it.
LINK_VALUE, LINK_TEXT = 0.6, "0.60"


#: An open bug, not a choice: 07 opened from a scenario link in JupyterLab paints a diff frame over a fan panel
#: its page never drew (title, legend and axes missing; the kernel's figure is right). A key frame
#: (dprk_figures.keyframes) repairs it only when the renderer still holds the frame last sent, which 07's
#: renders ahead of other scales break; docs/testing.md, "Known bugs". JupyterLab's 07 visit opens without a link.
LINK_BUG = {("lab", "07_uncertainty")}


def link_code(case: Case) -> str:
    """The scenario code of the baseline with ``case.slider`` at :data:`LINK_VALUE`."""
    return encode({case.slider: LINK_VALUE}, BASELINE)


def link_restored(visit: Visit) -> None:
    """The page opened from a link shows the link's state, and its own *Copy link* field holds that code."""
    visit.page.wait_for_function(
        "([sel, want]) => { const box = document.querySelector(sel); return !!box && box.value === want; }",
        arg=[f".param-{visit.case.slider}-text input", LINK_TEXT],
        timeout=60_000,
    )
    visit.page.wait_for_function(
        "code => [...document.querySelectorAll('.scenario-link-text')].some(f => f.value.endsWith('?s=' + code))",
        arg=visit.code,
        timeout=30_000,
    )
    assert "token" not in visit.page.locator(".scenario-link-text").first.input_value(), "no token in a link"
    visit.shot("link")


def hand_in_file(visit: Visit) -> None:
    """Outside the class server *Hand in* downloads the hand-in file, holding the page's scenario code."""
    page = visit.page
    box = page.locator(".scenario-handin").first
    box.scroll_into_view_if_needed()
    box.locator("input[type=text]").fill("Mina Park")
    box.locator("textarea").fill("The arms ban alone.")
    box.locator("textarea").press("Tab")
    visit.settle(0.5)
    with page.expect_download(timeout=60_000) as download:
        box.locator("button", has_text="Hand in").click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert validate(document)["code"] == visit.code and document["name"] == "Mina Park"
    page.wait_for_function(
        "() => [...document.querySelectorAll('.handin-message')].some(m => m.innerText.includes('Saved as'))",
        timeout=30_000,
    )


def reopen_from_link(visit: Visit) -> None:
    """The same page opened again from a scenario link (a new kernel) shows the link's state."""
    visit.code = link_code(visit.case)
    visit.page.goto(visit.address(), timeout=180_000)
    visit.wait_ready()
    visit.scroll_to_app()
    link_restored(visit)


def run_case(browser, frontend: Frontend, case: Case, tmp_path: Path) -> None:
    visit = Visit(browser, frontend, case)
    try:
        open_and_check(visit)
        baseline_numbers = visit.numbers()
        figures_fit(visit)
        together_on_projector(visit)
        move_slider(visit, case.slider, "slider")
        for name in case.others:
            move_control(visit, name)
        visit.assert_no_errors("after moving the controls")
        figure_is_kernel_render(visit, "after the moves")
        presets_and_reset(visit, baseline_numbers)
        typed_value(visit, case.slider)
        if case.exports:
            exports_download(visit, tmp_path)
        if case.notebook == HOG_CASE:
            under_cpu_hog(visit)
        reopen_from_link(visit)
        visit.assert_no_errors("at the end")
    except BaseException:
        visit.shot("failure")
        raise
    finally:
        visit.close()


def run_smoke(browser, frontend: Frontend, case: Case) -> None:
    """A smoke visit of a notebook's app in ``frontend``.

    The page is opened from a scenario link and shows its state; it loads without errors, its figures fit at
    1280 px, one keyboard move changes the figure and the numbers, and the figure is then the kernel's render
    (also with a CPU hog, for :data:`HOG_CASE`). In the scenario lab *Hand in* gives the hand-in file.
    """
    link = (frontend.name, case.notebook) not in LINK_BUG
    visit = Visit(browser, frontend, case, code=link_code(case) if link else "")
    try:
        open_and_check(visit)
        if link:
            link_restored(visit)
        if case.notebook == HANDIN_CASE:
            hand_in_file(visit)
        figures_fit(visit, (PROJECTOR["width"],))
        before = visit.state()
        keyboard_moves(visit, case.slider, ("ArrowRight", "ArrowRight"))
        visit.wait_changed(before, f"slider {case.slider} by keyboard")
        visit.shot(f"{case.slider}-keyboard")
        figure_is_kernel_render(visit, "after a keyboard move")
        if case.notebook == HOG_CASE:
            under_cpu_hog(visit)
        visit.assert_no_errors("at the end")
    except BaseException:
        visit.shot("failure")
        raise
    finally:
        visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("case", NOTEBOOKS, ids=[c.notebook for c in NOTEBOOKS])
def test_notebook_as_voila_app(browser, voila, case, tmp_path):
    run_case(browser, voila, case, tmp_path)


@pytest.mark.browser
@pytest.mark.parametrize("case", NOTEBOOKS, ids=[c.notebook for c in NOTEBOOKS])
def test_notebook_in_jupyterlab_after_run_all(browser, lab, case):
    run_smoke(browser, lab, case)


@pytest.mark.browser
@pytest.mark.parametrize("case", NOTEBOOKS, ids=[c.notebook for c in NOTEBOOKS])
def test_notebook_in_notebook7_after_run_all(browser, notebook7, case):
    """A smoke visit in Jupyter Notebook 7 (arrows reach a focused slider only through the keyboard widget)."""
    run_smoke(browser, notebook7, case)


# ------------------------------------------------------------------------------------- the role-play
#: Notebook 08 has its own layout (setup, a tab per team, play and undo, projector, files), checked by
#: :func:`run_roleplay` instead of :func:`run_case`: the Russia team's float lever is moved, another of
#: its levers is typed into, and one event card is played.
ROLEPLAY = Case("08_roleplay", "russia_arms_enforcement", ("russia_oil_cap_enforcement",), exports=False)
ROLEPLAY_TEAM = "russia"
ROLEPLAY_EVENT = "crypto_heist"

# The app's figure: the ipympl canvas in the same box as the scoreboard (the notebook shows another
# figure, the baseline, above the app).
ROLEPLAY_CANVAS_JS = """() => {
  const board = document.querySelector('.widget-html.roleplay-scoreboard');
  return board && board.parentElement.querySelector('.jupyter-matplotlib-canvas-div canvas');
}"""
ROLEPLAY_PICTURE_JS = f"() => {{ const c = ({ROLEPLAY_CANVAS_JS})(); return c ? [c.toDataURL()] : []; }}"
ROLEPLAY_READY_JS = f"() => {{ const c = ({ROLEPLAY_CANVAS_JS})(); return !!c && c.width > 100; }}"


class RoleplayVisit(Visit):
    """A visit of the role-play: its numbers are the scoreboard, its picture the figure of rounds."""

    def wait_ready(self) -> None:
        self.page.locator(".widget-html.roleplay-scoreboard").first.wait_for(state="visible", timeout=240_000)
        self.page.wait_for_function(ROLEPLAY_READY_JS, timeout=120_000)

    def numbers(self) -> str:
        return self.page.locator(".widget-html.roleplay-scoreboard .widget-html-content").first.inner_text()

    def picture(self) -> list[str]:
        return self.page.evaluate(ROLEPLAY_PICTURE_JS)

    def text(self, name: str) -> str:
        """The text of the app's part ``.roleplay-<name>`` (status, file-status, file-errors, history)."""
        return self.page.locator(f".roleplay-{name}").first.inner_text()

    def scroll_to_app(self) -> None:
        # The projector view: the scoreboard at the screen's top, the figure under it.
        self.page.locator(".widget-html.roleplay-scoreboard").first.evaluate(
            "el => el.scrollIntoView({block: 'start'})"
        )
        self.settle(0.3)

    def wait_until(self, check, what: str, timeout: float = 60):
        """Poll ``check()`` until it returns something true (and return it); fail naming ``what``."""
        deadline = time.monotonic() + timeout
        while True:
            seen = check()
            if seen:
                return seen
            if time.monotonic() > deadline:
                pytest.fail(f"{self.case.notebook} ({self.frontend.name}): {what}")
            self.page.wait_for_timeout(200)  # not time.sleep: Playwright delivers its events (downloads) meanwhile

    def status_says(self, text: str, when: str) -> None:
        self.wait_until(lambda: text in self.text("status"), f"{when}: the status does not say {text!r}")

    def open_tab(self, title: str) -> None:
        tab = self.page.locator(".widget-tab .lm-TabBar-tab", has_text=title).first
        tab.scroll_into_view_if_needed()
        tab.click()
        self.wait_until(
            lambda: "lm-mod-current" in (tab.get_attribute("class") or ""), f"the tab {title!r} did not open"
        )

    def download(self, label: str, suffix: str, tmp_path: Path) -> tuple[Path, bytes]:
        """Press the file button ``label``: one download of ``suffix``, byte for byte the server copy."""
        start = len(self.downloads)
        self.page.locator(f".roleplay-{label}").first.click()
        self.wait_until(lambda: len(self.downloads) > start, f"{label}: no download arrived", timeout=90)
        self.settle(0.3)
        got = self.downloads[start:]
        assert len(got) == 1, f"{label}: {len(got)} downloads, expected one"
        name = got[0].suggested_filename
        assert name.endswith(suffix), f"{label}: downloaded {name}, expected a {suffix} file"
        saved = tmp_path / name
        got[0].save_as(saved)
        server_copy = self.frontend.exports / name
        assert server_copy.is_file(), f"no server copy of {name} in {self.frontend.exports}"
        data = saved.read_bytes()
        assert data == server_copy.read_bytes(), f"{name}: download differs from the server copy"
        assert name in self.text("file-status"), f"the file status does not name {name}"
        assert not self.text("file-errors").strip(), self.text("file-errors")
        return saved, data


def roleplay_play(visit: RoleplayVisit, when: str) -> tuple[str, list[str]]:
    """Press Play round; the scoreboard and the figure change. Returns the state before."""
    before = visit.state()
    visit.page.locator(".roleplay-play").first.click()
    visit.wait_changed(before, f"Play round ({when})")
    return before


def roleplay_first_round(visit: RoleplayVisit) -> None:
    """Russia's tab: a float lever moved by keyboard; the facilitator's tab: one event card; Play round."""
    from dprk_roleplay import events, teams
    from dprk_teaching.roleplay_text import move_text

    name = visit.case.slider
    visit.open_tab(teams()[ROLEPLAY_TEAM].short)
    box = visit.page.locator(f".param-{name}-text input").first
    handle = visit.control(name).locator(".noUi-handle")
    handle.wait_for(state="visible", timeout=30_000)
    handle.scroll_into_view_if_needed()
    kept = box.input_value()
    handle.focus()
    for key in ("ArrowRight", "ArrowRight"):
        visit.page.keyboard.press(key)
    from model import registry

    moved = float(kept) + 2 * registry.get(name).step  # two steps up (the lever starts at its bottom end)
    visit.wait_until(
        lambda: abs(float(box.input_value()) - moved) < 1e-9,
        f"two key presses did not move {name} from {kept} to {moved:g} (box {box.input_value()!r})",
    )
    visit.shot("russia-lever")
    card = events()[ROLEPLAY_EVENT]
    visit.open_tab("Facilitator")
    chooser = visit.page.locator(".widget-select-multiple select").first
    chooser.scroll_into_view_if_needed()
    chooser.select_option(label=card.title)
    # The card's description appears under the list once the kernel has the choice.
    visit.page.locator(".widget-html-content", has_text=card.description[:40]).first.wait_for(timeout=30_000)
    visit.shot("event-chosen")
    roleplay_play(visit, f"{name} moved, {ROLEPLAY_EVENT} played")
    visit.status_says("Next: round 2 of", "after round 1")
    assert "Round 1 of" in visit.numbers(), visit.numbers()
    history = visit.text("history")
    move = move_text(name, moved)  # the lever's title and value with its unit, never the parameter's name
    assert move in history and card.title in history and name not in history, (
        f"the history does not show the move ({move}) and the card: {history!r}"
    )
    assert chooser.evaluate("s => [...s.selectedOptions].length") == 0, "the played card is still chosen"
    visit.scroll_to_app()
    visit.shot("round-1")


def roleplay_typed(visit: RoleplayVisit) -> None:
    """In Russia's tab: a bad value's message under its box, naming it; then a good value is taken."""
    from dprk_roleplay import teams

    name = visit.case.others[0]
    visit.open_tab(teams()[ROLEPLAY_TEAM].short)
    box, message, kept = typed_bad_value(visit, name)
    good = good_value(name, kept)
    box.fill(f"{good:g}")
    box.press("Enter")
    message.wait_for(state="hidden", timeout=30_000)
    visit.wait_until(
        lambda: box.input_value() != kept and abs(float(box.input_value()) - good) < 1e-9,
        f"the typed value {good:g} in {name} was not taken (box {box.input_value()!r})",
    )
    visit.shot("typed-recovered")


def roleplay_undo(visit: RoleplayVisit, board: str) -> None:
    """Undo last round: the scoreboard exactly as before the round, the levers back to the baseline."""
    from model import registry

    visit.page.locator(".roleplay-undo").first.click()
    visit.wait_until(lambda: visit.numbers() == board, "Undo did not bring back the scoreboard before the round")
    visit.status_says("Next: round 1 of", "after Undo")
    for name in (visit.case.slider, *visit.case.others):
        box = visit.page.locator(f".param-{name}-text input").first
        default = registry.get(name).default
        visit.wait_until(
            lambda box=box, default=default: abs(float(box.input_value()) - default) < 1e-9,
            f"after Undo {name} does not show the baseline {default:g}",
        )
    visit.scroll_to_app()
    visit.shot("undone")


def roleplay_save_and_handout(visit: RoleplayVisit, tmp_path: Path) -> tuple[Path, str]:
    """Play a round with a typed move, save the game (JSON) and the handout (PDF). Returns the file, the board."""
    from dprk_roleplay import game as rules
    from dprk_roleplay import teams

    name = visit.case.slider
    visit.open_tab(teams()[ROLEPLAY_TEAM].short)
    box = visit.page.locator(f".param-{name}-text input").first
    box.fill("0.5")
    box.press("Enter")
    visit.wait_until(lambda: box.input_value() == "0.50", f"the typed 0.5 in {name} was not taken")
    roleplay_play(visit, f"{name} typed as 0.5")
    visit.status_says("Next: round 2 of", "after playing again")
    board = visit.numbers()
    path, data = visit.download("save", ".json", tmp_path)
    game = rules.loads(data, path.name)
    assert game.played == 1, f"{path.name} holds {game.played} rounds, the page played 1"
    assert game.rounds[0].moves.get(ROLEPLAY_TEAM, {}).get(name) == 0.5, game.rounds[0].moves
    shown = {
        cell.get_attribute("data-key").split(".", 1)[1]: float(cell.get_attribute("data-value"))
        for cell in visit.page.locator(".widget-html.roleplay-scoreboard td[data-key^='total.']").all()
    }
    assert shown == game.totals(), f"the scoreboard's totals {shown} are not the saved game's {game.totals()}"
    visit.shot("saved")
    _, pdf = visit.download("handout", ".pdf", tmp_path)
    assert pdf[:5] == b"%PDF-", "the handout is not a PDF"
    visit.shot("handout")
    return path, board


def roleplay_load(visit: RoleplayVisit, path: Path, board: str, empty_board: str) -> None:
    """Start a new game (an empty scoreboard), then Load game with the saved file: its scoreboard is back."""
    visit.page.locator("button", has_text="Start a new game").first.click()
    visit.wait_until(lambda: visit.numbers() == empty_board, "Start a new game did not clear the scoreboard")
    visit.status_says("Next: round 1 of", "after Start a new game")
    visit.shot("new-game")
    # The file input is hidden: pressing the button opens the file chooser.
    assert visit.page.locator(".roleplay-load button").first.inner_text().strip() == "Load game"  # no "(0)"
    with visit.page.expect_file_chooser(timeout=30_000) as chooser:
        visit.page.locator(".roleplay-load").first.click()
    chooser.value.set_files(str(path))
    visit.wait_until(
        lambda: "Loaded" in visit.text("file-status") and path.name in visit.text("file-status"),
        f"Load game did not report {path.name}: {visit.text('file-status')!r}",
    )
    assert f"1 of {default_plan().rounds} rounds" in visit.text("file-status"), visit.text("file-status")
    assert not visit.text("file-errors").strip(), visit.text("file-errors")
    visit.wait_until(lambda: visit.numbers() == board, "Load game did not bring the saved game's scoreboard back")
    visit.status_says("Next: round 2 of", "after Load game")
    visit.scroll_to_app()
    visit.shot("loaded-game")


def roleplay_projector(visit: RoleplayVisit) -> dict:
    """At 1280 x 720: the scoreboard from its top, whole in width; then the figure of rounds, whole in width.

    Five teams' scoreboard (eleven terms) is about as tall as the screen, so the figure under it is a
    scroll away: the view is checked, and photographed, twice.
    """
    visit.page.set_viewport_size(PROJECTOR)
    visit.settle(0.6)
    seen_js = f"""() => {{
      const seen = el => {{ const r = el.getBoundingClientRect();
        const h = Math.max(0, Math.min(r.bottom, innerHeight) - Math.max(r.top, 0));
        const w = Math.max(0, Math.min(r.right, innerWidth) - Math.max(r.left, 0));
        return {{height: r.height ? h / r.height : 0, width: r.width ? w / r.width : 0, top: r.top}}; }};
      const board = document.querySelector('.widget-html.roleplay-scoreboard');
      const table = board.querySelector('table');
      return {{board: seen(board), figure: seen(({ROLEPLAY_CANVAS_JS})()),
              table_overflow: table.getBoundingClientRect().width - board.getBoundingClientRect().width}};
    }}"""
    visit.scroll_to_app()
    board = visit.page.evaluate(seen_js)
    visit.shot("projector")
    assert board["board"]["width"] == 1 and board["table_overflow"] <= 1, f"the scoreboard is cut off: {board}"
    assert board["board"]["top"] >= -1 and board["board"]["height"] >= 0.5, f"the scoreboard is not in view: {board}"
    visit.page.evaluate(f"() => ({ROLEPLAY_CANVAS_JS})().scrollIntoView({{block: 'center'}})")
    visit.settle(0.3)
    figure = visit.page.evaluate(seen_js)
    visit.shot("projector-figure")
    assert figure["figure"]["width"] == 1 and figure["figure"]["height"] >= 0.6, f"the figure is not in view: {figure}"
    found = {"board": board["board"]["height"], "figure_under_board": board["figure"]["height"]}
    print(f"{visit.case.notebook} ({visit.frontend.name}) projector at 1280 x 720: {found}")
    return found


def run_roleplay(browser, frontend: Frontend, tmp_path: Path) -> None:
    """The role-play as a facilitator uses it, in one page visit."""
    visit = RoleplayVisit(browser, frontend, ROLEPLAY)
    try:
        open_and_check(visit)
        empty_board = visit.numbers()
        assert "No round played yet" in empty_board, empty_board
        visit.status_says(f"Next: round 1 of {default_plan().rounds}", "after loading")
        figures_fit(visit)
        roleplay_first_round(visit)
        roleplay_typed(visit)
        visit.assert_no_errors("after a round")
        roleplay_undo(visit, empty_board)
        path, board = roleplay_save_and_handout(visit, tmp_path)
        roleplay_load(visit, path, board, empty_board)
        roleplay_projector(visit)
        visit.assert_no_errors("at the end")
    except BaseException:
        visit.shot("failure")
        raise
    finally:
        visit.close()


@pytest.mark.browser
def test_roleplay_as_voila_app(browser, voila, tmp_path):
    run_roleplay(browser, voila, tmp_path)


def run_roleplay_smoke(browser, frontend: Frontend) -> None:
    """A smoke visit of the role-play in ``frontend``.

    It loads without errors, fits at 1280 px, and a round played after a keyboard move changes the scoreboard
    and the figure.
    """
    visit = RoleplayVisit(browser, frontend, ROLEPLAY)
    try:
        open_and_check(visit)
        assert "No round played yet" in visit.numbers(), visit.numbers()
        figures_fit(visit, (PROJECTOR["width"],))
        roleplay_first_round(visit)
        visit.assert_no_errors("at the end")
    except BaseException:
        visit.shot("failure")
        raise
    finally:
        visit.close()


@pytest.mark.browser
def test_roleplay_in_jupyterlab_after_run_all(browser, lab):
    run_roleplay_smoke(browser, lab)


@pytest.mark.browser
def test_roleplay_in_notebook7_after_run_all(browser, notebook7):
    run_roleplay_smoke(browser, notebook7)


def test_every_app_notebook_is_rebuilt_by_its_own_lines():
    """The pixel check renders each app from the notebook's own lines: they are still in the notebook."""
    assert sorted(APP_LINES) == sorted(c.notebook for c in NOTEBOOKS)
    for notebook, lines in APP_LINES.items():
        missing = [line for line in lines if line not in notebook_lines(notebook)]
        assert not missing, f"{notebook}: {missing}"
        assert lines[-1].startswith("app = ")


def test_every_notebook_has_a_case():
    """A new notebook needs its line in the table (the role-play, with its own layout, has its own test)."""
    shipped = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    covered = [c.notebook for c in NOTEBOOKS] + [ROLEPLAY.notebook]
    assert len(set(covered)) == len(covered), f"a notebook has two cases: {covered}"
    assert shipped == sorted(covered)
