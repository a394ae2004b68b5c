"""The scenario lab as a Voilà web app, driven in headless Debian Chromium with Playwright.

Fails (never skips) when Chromium or Voilà is missing: the web app is a deliverable. Chromium comes
from Debian (``apt-get install chromium``); ``playwright install`` is never used.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from tests.servers import chromium, voila  # the one way to start Debian's Chromium and Voilà

ROOT = Path(__file__).resolve().parent.parent
LEVER = "russia_arms_enforcement"


@pytest.fixture(scope="module")
def voila_url():
    with voila(ROOT / "notebooks", cwd=ROOT) as base:
        yield base


@pytest.mark.browser
def test_scenario_lab_slider_moves_readout_and_figure(voila_url):
    with chromium() as browser:
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{voila_url}/voila/render/05_scenario_lab.ipynb", timeout=120_000)
            slider = page.locator(f".param-{LEVER}")
            handle = slider.locator(".noUi-handle")
            readout = page.locator(f".param-{LEVER}-text input")  # the value box beside the slider
            message = page.locator(f".param-{LEVER}-message")
            table = page.locator(".lab-headline")
            canvases = page.locator(".jupyter-matplotlib-canvas-div canvas")
            handle.wait_for(state="visible", timeout=120_000)
            table.wait_for(state="visible", timeout=60_000)
            # Code is hidden in the web app.
            assert page.locator(".jp-InputArea-editor:visible").count() == 0

            def pictures():
                return canvases.evaluate_all("cs => cs.map(c => c.toDataURL())")

            # Wait until the figures have been drawn once.
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')]"
                ".some(c => c.width > 100)",
                timeout=60_000,
            )
            time.sleep(1.0)
            readout_before, table_before, pictures_before = readout.input_value(), table.inner_text(), pictures()
            assert float(readout_before) == 0.0

            handle.focus()
            for _ in range(4):
                page.keyboard.press("ArrowRight")  # one step each

            page.wait_for_function(
                "([sel, old]) => document.querySelector(sel).value !== old",
                arg=[f".param-{LEVER}-text input", readout_before],
                timeout=30_000,
            )
            assert float(readout.input_value()) > float(readout_before)
            page.wait_for_function(
                "old => document.querySelector('.lab-headline').innerText !== old", arg=table_before, timeout=30_000
            )
            deadline = time.monotonic() + 30
            while pictures() == pictures_before:
                assert time.monotonic() < deadline, "the figure did not change after the slider moved"
                time.sleep(0.3)
            # Russia buys less: the scenario column shows less hard currency via Russia.
            row = table.locator("tr", has_text="Hard-currency earnings via Russia")
            assert "−$" in row.locator("td").nth(3).inner_text()

            # A typed bad value is refused next to its control; the value stays; the next good one works.
            page.wait_for_function(  # four steps of 0.05 from 0, every key press through to the box
                "([sel]) => document.querySelector(sel).value === '0.20'",
                arg=[f".param-{LEVER}-text input"],
                timeout=30_000,
            )
            moved = readout.input_value()
            readout.fill("abc")
            readout.press("Enter")
            message.wait_for(state="visible", timeout=30_000)
            assert "'abc'" in message.inner_text() and "0 to 1" in message.inner_text()
            assert readout.input_value() == moved
            readout.fill("60%")
            readout.press("Enter")
            message.wait_for(state="hidden", timeout=30_000)
            page.wait_for_function(
                "([sel]) => document.querySelector(sel).value === '0.60'",
                arg=[f".param-{LEVER}-text input"],
                timeout=30_000,
            )

            # The assumptions' rows are made when their section is first opened; they then move the numbers.
            assumption = page.locator(".param-monthly_pay_russia_usd .noUi-handle")
            assert assumption.count() == 0
            table_before = table.inner_text()
            page.get_by_text("Assumptions (uncertain facts").click()
            assumption.wait_for(state="visible", timeout=60_000)
            assumption.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "old => document.querySelector('.lab-headline').innerText !== old", arg=table_before, timeout=30_000
            )
        finally:
            browser.close()


# The lab figure's canvas: its pixels (drawn by the kernel) and its size on the page (CSS px).
LAB_CANVAS_JS = """() => { const c = document.querySelector('.app-results .jupyter-matplotlib-canvas-div canvas');
  return [c.width, c.height, c.clientWidth, c.clientHeight]; }"""


@pytest.mark.browser
def test_figure_drawn_at_shown_size(voila_url):
    """The page reports the room it gives the lab's figure, and the kernel draws the figure to fit it.

    At 1280 x 720 (the projector) the figure's pixels are the ones shown (72 dpi: 720 x 468, no scaling);
    a 1920 x 1080 window gets the full 1,000 px figure; an 800 px window the coarsest step, shrunk by
    the page to its column; back at 1280 x 720 the projector's figure again. A lever then still moves it.
    """

    def settles_at(page, pixels):
        page.wait_for_function(
            f"() => ({LAB_CANVAS_JS})().slice(0, 2).join() === '{pixels[0]},{pixels[1]}'", timeout=30_000
        )
        return page.evaluate(LAB_CANVAS_JS)

    with chromium() as browser:
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{voila_url}/voila/render/05_scenario_lab.ipynb", timeout=120_000)
            page.locator(".app-results .jupyter-matplotlib-canvas-div canvas").first.wait_for(timeout=120_000)
            _, _, shown_width, shown_height = settles_at(page, (720, 468))
            assert (shown_width, shown_height) == (720, 468), "at the projector's size the page does not scale it"
            page.set_viewport_size({"width": 1920, "height": 1080})
            assert settles_at(page, (1000, 650))[2] == 1000
            page.set_viewport_size({"width": 800, "height": 600})
            _, _, shown_width, _ = settles_at(page, (600, 390))
            column = page.evaluate("() => document.querySelector('.app-results').clientWidth")
            assert shown_width <= column, "the figure fits its column (shrunk, not clipped)"
            page.set_viewport_size({"width": 1280, "height": 720})
            settles_at(page, (720, 468))
            before = page.evaluate("() => document.querySelector('.app-results canvas').toDataURL()")
            handle = page.locator(f".param-{LEVER} .noUi-handle")
            handle.focus()
            page.keyboard.press("ArrowRight")
            page.wait_for_function(
                "old => document.querySelector('.app-results canvas').toDataURL() !== old", arg=before, timeout=30_000
            )
            assert page.evaluate(LAB_CANVAS_JS)[:2] == [720, 468]
            assert errors == []
        finally:
            browser.close()


LAB_PICTURE_JS = "() => document.querySelector('.app-results .jupyter-matplotlib-canvas-div canvas').toDataURL()"
PAINTING_JS = "() => (document.querySelector('.app-results [data-painting]') || {dataset: {}}).dataset.painting"


@pytest.mark.browser
@pytest.mark.parametrize("scale", [1, 2])
def test_painted_frames_add_up_to_the_figure(voila_url, scale, tmp_path):
    """The app's painter (dprk_apps.painting) paints the frames, and they add up to the figure's picture.

    Each lever move sends a diff frame (only the changed pixels), painted over what the canvas shows, so
    a lost, reordered, misplaced or wrongly cleared frame would leave a picture that differs from the
    figure's. After several moves the canvas must show exactly what a full frame of the same figure shows:
    the window is resized to 1920 x 1080 and back, and the kernel, having drawn the figure at another
    resolution and again at this one, sends a whole frame. On a normal and a high-density screen.
    """

    def settles_at(page, pixels):
        page.wait_for_function(
            f"() => ({LAB_CANVAS_JS})().slice(0, 2).join() === '{pixels[0]},{pixels[1]}'", timeout=30_000
        )

    def resting_picture(page):
        """The canvas's picture once it has not changed for a second (every frame on its way painted)."""
        deadline = time.monotonic() + 30
        picture = page.evaluate(LAB_PICTURE_JS)
        while True:
            time.sleep(1.0)
            now = page.evaluate(LAB_PICTURE_JS)
            if now == picture:
                return picture
            assert time.monotonic() < deadline, "the figure does not come to rest"
            picture = now

    with chromium() as browser:
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 720}, device_scale_factor=scale)
            page = context.new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{voila_url}/voila/render/05_scenario_lab.ipynb", timeout=120_000)
            page.locator(".app-results .jupyter-matplotlib-canvas-div canvas").first.wait_for(timeout=120_000)
            settles_at(page, (720 * scale, 468 * scale))
            page.wait_for_function(f"() => ({PAINTING_JS})() === 'fast'", timeout=30_000)
            first = resting_picture(page)
            handle = page.locator(f".param-{LEVER} .noUi-handle")
            handle.focus()
            for key in ("ArrowRight", "ArrowRight", "ArrowLeft", "ArrowRight", "ArrowRight", "End", "ArrowLeft"):
                page.keyboard.press(key)
                time.sleep(0.2)
            painted = resting_picture(page)
            assert painted != first, "the moves changed nothing: the test shows nothing"
            page.set_viewport_size({"width": 1920, "height": 1080})
            settles_at(page, (1000 * scale, 650 * scale))
            page.set_viewport_size({"width": 1280, "height": 720})
            settles_at(page, (720 * scale, 468 * scale))
            whole = resting_picture(page)
            if whole != painted:
                for name, picture in (("painted", painted), ("whole", whole)):
                    (tmp_path / f"{name}.png").write_bytes(base64.b64decode(picture.split(",", 1)[1]))
                pytest.fail(f"the frames painted do not add up to the figure's whole frame (both in {tmp_path})")
            assert errors == []
        finally:
            browser.close()


@pytest.mark.browser
def test_roleplay_app_plays_a_round_and_loads_a_saved_game(voila_url, tmp_path):
    from dprk_roleplay import game as rules

    saved = rules.play(rules.new_game(["china", "russia"], 3, 2, "Saved in class"), {}, ("war_escalates",))
    path = rules.save_game(saved, tmp_path / "week1.json")
    with chromium() as browser:
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{voila_url}/voila/render/08_roleplay.ipynb", timeout=120_000)
            play = page.locator(".roleplay-play")
            status = page.locator(".roleplay-status")
            board = page.locator(".widget-html.roleplay-scoreboard")
            play.wait_for(state="visible", timeout=120_000)
            assert page.locator(".jp-InputArea-editor:visible").count() == 0  # code hidden in the web app
            assert "Next: round 1 of 4" in status.inner_text()
            # The Russia team's tab: it stops buying arms, typed into the box beside the slider.
            page.locator(".lm-TabBar-tab", has_text="Russia").first.click()
            box = page.locator(".param-russia_arms_enforcement-text input")
            box.wait_for(state="visible", timeout=30_000)
            box.fill("100%")
            box.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('.param-russia_arms_enforcement-text input').value === '1.00'",
                timeout=30_000,
            )
            play.click()
            page.wait_for_function(
                "() => document.querySelector('.roleplay-status').innerText.includes('round 2 of 4')", timeout=60_000
            )
            # The scoreboard's change was sent before the status's, so it is on the page by now.
            assert "Round 1 of 4" in board.inner_text()
            russia_total = board.locator("td[data-key='total.russia']")
            assert float(russia_total.get_attribute("data-value")) < 0
            # Undo: back to round 1.
            page.locator(".roleplay-undo").click()
            page.wait_for_function(
                "() => document.querySelector('.roleplay-status').innerText.includes('round 1 of 4')", timeout=60_000
            )
            # Load last week's game from a file: the setup and the scoreboard follow.
            with page.expect_file_chooser() as chooser:  # the upload's file input is not in the page
                page.locator(".roleplay-load").click()
            chooser.value.set_files(str(path))
            page.wait_for_function(
                "() => document.querySelector('.roleplay-file-status').innerText.includes('1 of 3 rounds')",
                timeout=60_000,
            )
            assert "Next: round 2 of 3" in status.inner_text()
            assert page.locator(".roleplay-file-errors").inner_text().strip() == ""
            shown = float(board.locator("td[data-key='total.russia']").get_attribute("data-value"))
            assert shown == saved.totals()["russia"]
        finally:
            browser.close()
