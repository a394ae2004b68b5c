"""The page shows what the kernel drew: the scenario lab in Voilà and Chromium, with and without ``DPRK_PLAIN=1``.

A Voilà server on 127.0.0.1 runs with ``DPRK_PLAIN=1`` in its environment (every app on public APIs only),
another without it (the workarounds of ``dprk_internals`` on). In each, notebook 05 is opened, no page error
may occur, and one lever is moved with the keyboard. The figure's canvas pixels (``getImageData``) must
change, and equal the kernel's render of the same state, before and after the move.

The kernel's render is made here, in the test's own process: the same app (``LabApp``, as notebook 05 builds
it) with the same switch, the lever at the value the page shows, rendered with Agg at the same size and
resolution (the app's fixed :data:`dprk_figures.style.APP_DPI`). matplotlib renders the same state to the same
pixels in both processes (same fonts, same library), and a frame drawn over cached backgrounds equals one
drawn from scratch (``tests/test_frames.py``), so what the kernel sent and what this process renders can be
compared pixel for pixel. Only anti-aliasing noise is allowed: at most :data:`MAX_DIFFERING_SHARE` of the
pixels may differ by more than :data:`LEVELS` in a channel. Frames painted over each other (the old frame
painter's bug: titles, ticks and legends lost or darkened) differ far more.

Each visit runs twice: on an idle machine and beside two busy processes (a CPU hog, bounded in time and
stopped when the test ends), since pages behave differently on a loaded machine.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import time
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pytest
from PIL import Image

from classroom.launch import CHROMIUM, CHROMIUM_ARGS, free_port, wait_until_served

ROOT = Path(__file__).resolve().parent.parent
LEVER = "russia_arms_enforcement"
#: A channel differing by more than this many levels counts as a differing pixel.
LEVELS = 16
#: The largest share of differing pixels allowed (anti-aliasing noise).
MAX_DIFFERING_SHARE = 0.005
#: The longest a visit may take (s); the CPU hog stops by itself after it.
VISIT_S = 240
#: The main canvas of the lab's figure (ipympl draws the figure on it; the second canvas is its top layer).
CANVAS = ".app-results .jupyter-matplotlib-canvas-div canvas"
# The canvas's pixels as the page holds them: width, height and the RGBA bytes (base64).
PIXELS_JS = f"""() => {{
  const c = document.querySelector({CANVAS!r});
  if (!c || c.width < 100) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let s = '';
  for (let i = 0; i < d.length; i += 0x8000) s += String.fromCharCode.apply(null, d.subarray(i, i + 0x8000));
  return [c.width, c.height, btoa(s)];
}}"""


def _voila() -> str:
    found = Path(sys.executable).with_name("voila")
    assert found.exists(), "voila is not installed in this environment"
    return str(found)


@pytest.fixture(scope="module", params=["plain", "internals"])
def served(request, tmp_path_factory):
    """A Voilà server for the notebooks: ``(mode, base URL)``; ``DPRK_PLAIN=1`` in its environment for "plain"."""
    mode = request.param
    environment = {key: value for key, value in os.environ.items() if key != "DPRK_PLAIN"}
    if mode == "plain":
        environment["DPRK_PLAIN"] = "1"
    port = free_port()
    log = tmp_path_factory.mktemp(f"voila-{mode}") / "voila.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                _voila(),
                str(ROOT / "notebooks"),
                "--no-browser",
                f"--port={port}",
                "--Voila.ip=127.0.0.1",
                "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
            ],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # voila.js is static: probing it does not start a kernel, unlike a notebook page.
        wait_until_served(f"{base}/voila/static/voila.js", process, 60, "voila", lambda: log.read_text()[-2000:])
        yield mode, base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


@pytest.fixture(params=["idle", "cpu-hog"])
def load(request):
    """Nothing, or two busy processes beside the browser for the test's duration (each stops by itself too)."""
    hogs = []
    if request.param == "cpu-hog":
        busy = f"import time\nend = time.monotonic() + {VISIT_S}\nwhile time.monotonic() < end: pass\n"
        hogs = [subprocess.Popen([sys.executable, "-c", busy]) for _ in range(2)]
    try:
        yield request.param
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait(timeout=10)


def page_pixels(page) -> np.ndarray | None:
    found = page.evaluate(PIXELS_JS)
    if found is None:
        return None
    width, height, data = found
    return np.frombuffer(base64.b64decode(data), dtype=np.uint8).reshape(height, width, 4)


def resting_pixels(page, different_from: np.ndarray | None = None, rest_s: float = 1.0) -> np.ndarray:
    """The canvas's pixels once they have not changed for ``rest_s`` (and differ from ``different_from``)."""
    deadline = time.monotonic() + 90
    last, since = None, time.monotonic()
    while True:
        now = page_pixels(page)
        changed = now is None or last is None or now.shape != last.shape or not np.array_equal(now, last)
        if changed:
            last, since = now, time.monotonic()
        moved = different_from is None or (
            last is not None and (last.shape != different_from.shape or not np.array_equal(last, different_from))
        )
        if last is not None and moved and time.monotonic() - since >= rest_s:
            return last
        assert time.monotonic() < deadline, "the figure did not come to rest (or did not change)"
        time.sleep(0.2)


def kernel_render(mode: str, lever_value: float | None, monkeypatch) -> np.ndarray:
    """What the kernel renders for the lab with the lever at ``lever_value`` (``None``: as built), made here."""
    if mode == "plain":
        monkeypatch.setenv("DPRK_PLAIN", "1")
    else:
        monkeypatch.delenv("DPRK_PLAIN", raising=False)
    from dprk_apps.lab import LabApp

    app = LabApp()
    try:
        if lever_value is not None:
            app.panel.controls[LEVER].input.value = lever_value
        app.draw()  # what the kernel's canvas shows: a frame over cached backgrounds, or (plain) a whole draw
        return app.last_frame()
    finally:
        plt.close(app.figure)


def differing_share(page: np.ndarray, kernel: np.ndarray) -> float:
    assert page.shape == kernel.shape, f"page canvas {page.shape[:2]}, kernel's render {kernel.shape[:2]}"
    gap = np.abs(page.astype(np.int16) - kernel.astype(np.int16)).max(axis=-1)
    return float(np.mean(gap > LEVELS))


def assert_shows_kernel_render(page: np.ndarray, kernel: np.ndarray, where: Path, name: str) -> None:
    share = differing_share(page, kernel)
    if share > MAX_DIFFERING_SHARE:
        Image.fromarray(page).save(where / f"{name}-page.png")
        Image.fromarray(kernel).save(where / f"{name}-kernel.png")
    assert share <= MAX_DIFFERING_SHARE, (
        f"{name}: {share:.2%} of the page's pixels differ from the kernel's render by more than {LEVELS} levels "
        f"(at most {MAX_DIFFERING_SHARE:.1%} allowed; both pictures in {where})"
    )


@pytest.mark.browser
def test_the_lab_page_shows_the_kernels_render_before_and_after_a_keyboard_move(served, load, tmp_path, monkeypatch):
    mode, base = served
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y --no-install-recommends chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{base}/voila/render/05_scenario_lab.ipynb", timeout=180_000)
            handle = page.locator(f".param-{LEVER} .noUi-handle")
            box = page.locator(f".param-{LEVER}-text input")
            table = page.locator(".lab-headline")
            handle.wait_for(state="visible", timeout=180_000)
            table.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(f"() => ({PIXELS_JS})() !== null", timeout=60_000)

            first = resting_pixels(page)
            assert float(box.input_value()) == 0.0
            assert_shows_kernel_render(first, kernel_render(mode, None, monkeypatch), tmp_path, f"{mode}-{load}-first")

            numbers, shown = table.inner_text(), box.input_value()
            handle.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "([sel, old]) => document.querySelector(sel).value !== old",
                arg=[f".param-{LEVER}-text input", shown],
                timeout=60_000,
            )
            page.wait_for_function(
                "old => document.querySelector('.lab-headline').innerText !== old", arg=numbers, timeout=60_000
            )
            moved = resting_pixels(page, different_from=first)
            value = float(box.input_value())
            assert value > 0.0
            assert differing_share(moved, first) > 0, "the move did not change the figure"
            kernel = kernel_render(mode, value, monkeypatch)
            assert_shows_kernel_render(moved, kernel, tmp_path, f"{mode}-{load}-moved")
            assert errors == [], f"page errors: {errors}"
        finally:
            browser.close()
