"""Loading a saved scenario file in the scenario lab's web app (Voilà), in headless Chromium.

The file is chosen in the file dialogue that the button opens, as a person would choose it; a good file must set the
slider and the headline table, a bad one must be explained beside the button and change nothing.
"""

from __future__ import annotations

import pytest

from tests.servers import chromium
from tests.test_browser import voila_url  # noqa: F401 - the same Voilà server fixture

LEVER = "russia_arms_enforcement"
GOOD = b'title = "Arms ban from a file"\n[overrides]\nrussia_arms_enforcement = 0.6\n'
BAD = b'title = "Bad"\n[overrides]\nrussia_arms_enforcement = 1.6\n'


@pytest.mark.browser
def test_a_scenario_file_loads_into_the_lab_from_the_page(voila_url):  # noqa: F811
    with chromium() as browser:
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{voila_url}/voila/render/05_scenario_lab.ipynb", timeout=120_000)
            value_box = page.locator(f".param-{LEVER}-text input")
            table = page.locator(".lab-headline")
            message = page.locator(".scenario-upload")
            button = page.locator(".file-picker-button")  # its file input is hidden: it opens the dialogue
            table.wait_for(state="visible", timeout=120_000)
            assert button.count() == 1
            assert button.inner_text().strip() == "Load scenario"  # its label only: no count of files

            def choose(name: str, content: bytes) -> None:
                with page.expect_file_chooser() as chooser:
                    button.click()
                chooser.value.set_files(files=[{"name": name, "mimeType": "text/plain", "buffer": content}])

            assert float(value_box.input_value()) == 0.0
            table_before = table.inner_text()

            choose("bad.toml", BAD)
            page.wait_for_function(
                "() => document.querySelector('.scenario-upload').innerText.includes('bad.toml')", timeout=30_000
            )
            text = message.inner_text()
            assert LEVER in text and "1.6" in text
            assert float(value_box.input_value()) == 0.0 and table.inner_text() == table_before

            choose("mine.toml", GOOD)
            page.wait_for_function(
                "() => document.querySelector('.scenario-upload').innerText.includes('Arms ban from a file')",
                timeout=30_000,
            )
            page.wait_for_function(
                "([sel]) => document.querySelector(sel).value === '0.60'",
                arg=[f".param-{LEVER}-text input"],
                timeout=30_000,
            )
            page.wait_for_function(
                "old => document.querySelector('.lab-headline').innerText !== old", arg=table_before, timeout=30_000
            )
        finally:
            browser.close()
