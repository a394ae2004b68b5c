"""The apps' JavaScript and CSS live in files beside their modules, are shipped, and agree with Python's constants."""

from __future__ import annotations

import tomllib
from pathlib import Path

from dprk_apps import exports, keyboard, layout

ROOT = Path(__file__).resolve().parent.parent
APPS = ROOT / "dprk_apps"


def test_every_script_and_style_sheet_is_package_data():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["dprk_apps"]
    files = sorted(path.name for suffix in ("js", "css") for path in APPS.glob(f"*.{suffix}"))
    assert files == [
        "download_click.js",
        "file_picker.js",
        "handin.js",
        "keyboard.js",
        "layout.css",
        "page_views.js",
        "projector.js",
        "sharing.js",
    ]
    assert all(any(Path(name).match(pattern) for pattern in patterns) for name in files), patterns


def test_no_python_module_of_the_apps_holds_javascript_or_css_in_a_string():
    for path in APPS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for marker in ("export default", "addEventListener", "!important", "querySelectorAll"):
            assert marker not in text, f"{path.name} holds {marker!r}: move it into a .js or .css file"


def test_the_keyboard_script_uses_the_selectors_python_documents():
    script = keyboard.KEYS_JS.read_text(encoding="utf-8")
    for value in (keyboard.SUPPRESS_ATTRIBUTE, keyboard.TAKES_KEYS, keyboard.APP_SCOPE):
        assert f"'{value}'" in script, value
    assert keyboard.ControlKeys()._esm.startswith("// ControlKeys")  # anywidget read the file


def test_the_style_sheet_limits_an_app_figure_to_the_documented_height():
    assert f"max-height: {layout.FIGURE_MAX_HEIGHT};" in layout.FIT_CSS
    assert f"<style>{layout.FIT_CSS}</style>" == layout.fit_style().value


def test_the_download_handler_is_one_line_without_comments():
    assert "\n" not in exports._CLICK_JS and "//" not in exports._CLICK_JS
    assert exports._CLICK_JS.startswith("var box = this.parentNode") and exports._CLICK_JS.endswith("});")
    html = exports.download_links_html([APPS / "layout.css"], batch="b")
    assert "onerror=" in html and "a.click()" in html
