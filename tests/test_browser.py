"""The scenario lab as a Voilà web app, driven in headless Debian Chromium with Playwright.

Fails (never skips) when Chromium or Voilà is missing: the web app is a deliverable. Chromium comes
from Debian (``apt-get install chromium``); ``playwright install`` is never used.
"""

from __future__ import annotations

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


@pytest.mark.browser
def test_roleplay_app_plays_a_round_and_loads_a_saved_game(voila_url, tmp_path):
    from dprk_roleplay import game as rules
    from dprk_teaching.texts import default_plan

    n = default_plan().rounds  # the app's first game; the saved one has one round more, to tell them apart
    saved = rules.play(rules.new_game(["china", "russia"], n + 1, 2, "Saved in class"), {}, ("war_escalates",))
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
            assert f"Next: round 1 of {n}" in status.inner_text()
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
                f"() => document.querySelector('.roleplay-status').innerText.includes('round 2 of {n}')", timeout=60_000
            )
            # The scoreboard's change was sent before the status's, so it is on the page by now.
            assert f"Round 1 of {n}" in board.inner_text()
            russia_total = board.locator("td[data-key='total.russia']")
            assert float(russia_total.get_attribute("data-value")) < 0
            # Undo: back to round 1.
            page.locator(".roleplay-undo").click()
            page.wait_for_function(
                f"() => document.querySelector('.roleplay-status').innerText.includes('round 1 of {n}')", timeout=60_000
            )
            # Load last week's game from a file: the setup and the scoreboard follow.
            with page.expect_file_chooser() as chooser:  # the upload's file input is not in the page
                page.locator(".roleplay-load").click()
            chooser.value.set_files(str(path))
            page.wait_for_function(
                f"() => document.querySelector('.roleplay-file-status').innerText.includes('1 of {n + 1} rounds')",
                timeout=60_000,
            )
            assert f"Next: round 2 of {n + 1}" in status.inner_text()
            assert page.locator(".roleplay-file-errors").inner_text().strip() == ""
            shown = float(board.locator("td[data-key='total.russia']").get_attribute("data-value"))
            assert shown == saved.totals()["russia"]
        finally:
            browser.close()
