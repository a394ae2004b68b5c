"""Figures readable from the back of the room: the apps' figure text measured in Chromium (05, 07, 08).

For each notebook, in Voilà and in JupyterLab (with its file browser open), the app's figure is shown

* on a 1280 x 720 projector at 100% zoom and at 150% zoom (a 853 x 480 CSS px window, 1.5 device pixels per
  CSS pixel: what Chromium's zoom gives), and on a 1024 x 640 laptop;
* in the normal view and in the projector view (Voilà: ``?projector=1`` in the address; JupyterLab: the
  *Projector view* button). JupyterLab at 150% is measured with its file browser closed
  (:func:`_close_file_browser`): it keeps its width in CSS px and would take a third of the zoomed window.

**What is measured.** The figure's texts that carry numbers and names (tick labels and legend entries of the
panels shown) are found in the kernel's own geometry: the app is built in this process as the notebook
builds it, the same view is chosen, and each text's box and font size are read off the figure. On the page,
the canvas's box in CSS px gives the scale at which the figure is shown, so each text's **font size in CSS
px** is its size in points x (the canvas's CSS width / the figure's width in points). The canvas's pixels as
Chromium paints them (``getImageData``: the figure at the screen's device pixel ratio) then give each text's
**ink height**, the rows of dark pixels inside its box, converted to CSS px by the canvas's CSS width; the
same texts rendered by the kernel at 4 px per point give their ink height per point, so the page also
**measures** the font size: ink on the page / ink per point. (The canvas's pixels, not a screenshot: a
figure taller than a zoomed window is only partly on the screen.) The two must agree (within
:data:`AGREEMENT`), so the geometry is what Chromium shows.

**Thresholds** (:mod:`dprk_figures.style`): at 1280 x 720 the projector view's smallest text is at least
:data:`~dprk_figures.style.PROJECTOR_MIN_CSS_PX` (16) CSS px; the normal view's is at least
:data:`~dprk_figures.style.LAPTOP_MIN_CSS_PX` (12) at 1280 x 720 and at 1024 x 640; 150% zoom makes the
figure and its text larger in device pixels, never smaller. Every measurement is printed (run with ``-s``)
and the screenshots go to ``build/screenshots/readability-<notebook>-<frontend>-<view>-<size>.png``.
"""

from __future__ import annotations

import base64
import io
import statistics
from dataclasses import dataclass

import numpy as np
import pytest
from PIL import Image

from dprk_figures import style
from tests import test_e2e as e2e
from tests.test_e2e import lab, voila, workdir  # noqa: F401  (the e2e module's servers, reused as fixtures)

#: The screens: name, CSS viewport, device pixels per CSS pixel.
SCREENS = {
    "1280x720": ({"width": 1280, "height": 720}, 1.0),
    "1280x720-zoom150": ({"width": 853, "height": 480}, 1.5),
    "1024x640": ({"width": 1024, "height": 640}, 1.0),
}
#: Measured and geometric font sizes may differ by this share (ink rows are whole device pixels).
AGREEMENT = 0.15
#: A pixel darker than this (0-255 grey) is ink.
INK_LEVEL = 140
#: At least this many texts measured per figure.
MIN_TEXTS = 4
CASES = {
    "05_scenario_lab": e2e.Case("05_scenario_lab", "russia_arms_enforcement"),
    "07_uncertainty": e2e.Case("07_uncertainty", "russia_arms_enforcement", exports=False),
    "08_roleplay": e2e.ROLEPLAY,
}
APP_CANVAS_JS = """() => {
  const board = document.querySelector('.widget-html.roleplay-scoreboard');
  const c = board ? board.parentElement.querySelector('.jupyter-matplotlib-canvas-div canvas')
                  : document.querySelector('.app-results .jupyter-matplotlib-canvas-div canvas');
  return c;
}"""
CANVAS_BOX_JS = f"""() => {{
  const c = ({APP_CANVAS_JS})();
  const r = c.getBoundingClientRect();
  return {{width: r.width, height: r.height, pixels: c.width, dpr: window.devicePixelRatio}};
}}"""
# The app figure's canvas as raw RGBA bytes (what Chromium paints, at the canvas's own resolution), base64.
CANVAS_PIXELS_JS = f"""() => {{
  const c = ({APP_CANVAS_JS})();
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let text = '';
  for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode.apply(null, data.subarray(i, i + 0x8000));
  return {{width: c.width, height: c.height, rgba: btoa(text)}};
}}"""
PROJECTOR_ON_JS = "() => [...document.querySelectorAll('.projector-switch')].some(e => e.dataset.on === 'true')"


@dataclass(frozen=True)
class Text:
    """One text of the kernel's figure: what it says, its size (pt), its box (fractions of the figure), ink per pt."""

    what: str
    points: float
    box: tuple[float, float, float, float]  # left, top, right, bottom; 0-1 from the figure's top left
    ink_per_point: float


def _ink_rows(grey: np.ndarray, box: tuple[float, float, float, float]) -> int:
    """Rows of dark pixels (first to last) inside ``box`` (fractions) of a grey image."""
    height, width = grey.shape
    left, top, right, bottom = box
    crop = grey[int(top * height) : int(np.ceil(bottom * height)), int(left * width) : int(np.ceil(right * width))]
    rows = np.flatnonzero((crop < INK_LEVEL).any(axis=1))
    return int(rows[-1] - rows[0] + 1) if rows.size else 0


def _grey(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("L"), dtype=np.uint8)


def kernel_texts(notebook: str, projector: bool, tmp_path) -> tuple[float, list[Text]]:
    """The app's figure as the kernel draws it in the view: its width (pt) and its tick and legend texts."""
    import matplotlib.pyplot as plt

    if notebook == "08_roleplay":
        from dprk_apps.roleplay import RoleplayApp

        app = RoleplayApp(folder=tmp_path / "exports", state_folder=tmp_path / "state")
    else:
        app = e2e.rebuilt_app(notebook)
    try:
        if projector:
            app.set_projector(True)
        figure = app.figure
        figure.canvas.draw()
        renderer = figure.canvas.get_renderer()
        width_px, height_px = figure.bbox.width, figure.bbox.height
        found = []
        for ax in figure.axes:
            if not ax.get_visible():
                continue
            labels = []
            for axis, ticks, limits in (
                (ax.get_xticklabels(), ax.get_xticks(), ax.get_xlim()),
                (ax.get_yticklabels(), ax.get_yticks(), ax.get_ylim()),
            ):
                low, high = min(limits), max(limits)
                labels += [label for label, tick in zip(axis, ticks, strict=False) if low <= tick <= high]
            legend = ax.get_legend()
            labels += list(legend.get_texts()) if legend is not None else []
            for label in labels:
                if not label.get_visible() or not label.get_text().strip():
                    continue
                extent = label.get_window_extent(renderer)
                box = (extent.x0 / width_px, 1 - extent.y1 / height_px, extent.x1 / width_px, 1 - extent.y0 / height_px)
                if box[0] < 0 or box[1] < 0 or box[2] > 1 or box[3] > 1:
                    continue
                found.append((label.get_text(), label.get_fontsize(), box))
        points_per_inch = 72.0
        reference_dpi = 4 * points_per_inch  # 4 px per point: ink measured to a quarter point
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=reference_dpi, facecolor="white")
        reference = _grey(buffer.getvalue())
        texts = [Text(what, size, box, _ink_rows(reference, box) / 4.0 / size) for what, size, box in found]
        return figure.get_figwidth() * points_per_inch, texts
    finally:
        if hasattr(app, "close"):
            app.close()
        plt.close(app.figure)


def measure(visit, texts: list[Text], width_pt: float, label: str) -> dict:
    """Font sizes (geometry and measured) and ink heights of ``texts`` as the page shows them, CSS px."""
    page = visit.page
    handle = page.evaluate_handle(APP_CANVAS_JS).as_element()
    assert handle is not None, f"{label}: no app figure"
    handle.scroll_into_view_if_needed()
    visit.settle(0.5)
    box = page.evaluate(CANVAS_BOX_JS)
    e2e.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(e2e.SCREENSHOTS / f"readability-{label}.png"))
    pixels = page.evaluate(CANVAS_PIXELS_JS)
    rgba = np.frombuffer(base64.b64decode(pixels["rgba"]), dtype=np.uint8).reshape(pixels["height"], pixels["width"], 4)
    Image.fromarray(rgba).save(e2e.SCREENSHOTS / f"readability-{label}-figure.png")
    # The canvas's pixels: alpha over white, as the page shows them; its pixels per CSS px.
    shot = (255 - (255 - rgba[..., :3].mean(axis=2)) * rgba[..., 3] / 255).astype(np.uint8)
    device_per_css = shot.shape[1] / box["width"]
    css_per_point = box["width"] / width_pt
    rows = []
    for text in texts:
        ink_css = _ink_rows(shot, text.box) / device_per_css
        if text.ink_per_point <= 0 or ink_css <= 0:
            continue
        rows.append((text.what, text.points * css_per_point, ink_css, ink_css / text.ink_per_point))
    assert len(rows) >= MIN_TEXTS, f"{label}: only {len(rows)} texts measured"
    geometry = min(r[1] for r in rows)
    measured = statistics.median(r[3] / r[1] * geometry for r in rows)  # the smallest size, as the pixels say
    result = {
        "label": label,
        "texts": len(rows),
        "font_css_px_min": geometry,
        "font_css_px_measured": measured,
        "ink_css_px_min": min(r[2] for r in rows),
        "ink_css_px_median": statistics.median(r[2] for r in rows),
        "figure_css_px": box["width"],
        "figure_device_px": box["width"] * box["dpr"],
        "font_device_px_min": geometry * box["dpr"],
    }
    print(
        f"[readability] {label}: {len(rows)} texts; font {geometry:.1f} CSS px (measured {measured:.1f}); "
        f"ink min {result['ink_css_px_min']:.1f} / median {result['ink_css_px_median']:.1f} CSS px; "
        f"figure {box['width']:.0f} CSS px = {result['figure_device_px']:.0f} device px"
    )
    assert abs(measured - geometry) <= AGREEMENT * geometry, (
        f"{label}: the screenshot's text ({measured:.1f} px) is not the geometry's ({geometry:.1f} px)"
    )
    return result


def _visit(browser, frontend, notebook: str, screen: str, query: str = ""):
    viewport, scale = SCREENS[screen]
    case = CASES[notebook]
    kind = e2e.RoleplayVisit if notebook == "08_roleplay" else e2e.Visit
    visit = kind(browser, frontend, case, viewport=viewport, scale=scale)
    visit.query = query
    visit.open()
    return visit


def _close_file_browser(visit) -> None:
    """Close JupyterLab's file browser, as a lecturer who zooms in does (Ctrl+B; its width is fixed in CSS px).

    At 150% zoom the file browser keeps its width in CSS px, about a third of the zoomed window, and leaves the
    notebook 417 CSS px: the figure is then shown smaller than at 100% however the suite lays it out.
    """
    panel = visit.page.locator(".jp-FileBrowser")
    if panel.is_visible():
        visit.page.locator("[data-id='filebrowser']").first.click()
    panel.wait_for(state="hidden", timeout=30_000)
    visit.settle(1.5)


def _switch(visit, on: bool) -> None:
    """Press the visible *Projector view* / *Normal view* button unless the view is already ``on``."""
    page = visit.page
    if page.evaluate(PROJECTOR_ON_JS) != on:
        button = page.locator(".projector-switch-button").first
        button.scroll_into_view_if_needed()
        button.click()
    page.wait_for_function(PROJECTOR_ON_JS if on else f"() => !({PROJECTOR_ON_JS})()", timeout=30_000)
    visit.settle(2.5)  # the new figure's frame


def run_readability(browser, frontend, notebook: str, tmp_path) -> dict:
    """Every screen and both views of one notebook's app in one front end; the thresholds asserted.

    At 100% the page opens in the normal view and the button turns the projector view on; at 150% Voilà's
    page opens with ``?projector=1`` and the button turns it off again (JupyterLab: as at 100%).
    """
    texts = {"normal": kernel_texts(notebook, False, tmp_path), "projector": kernel_texts(notebook, True, tmp_path)}
    results = {}

    def record(visit, view: str, screen: str) -> None:
        width_pt, shown = texts[view]
        results[(view, screen)] = measure(visit, shown, width_pt, f"{notebook}-{frontend.name}-{view}-{screen}")

    for screen in ("1280x720", "1280x720-zoom150"):
        by_address = screen != "1280x720" and frontend.name == "voila"
        visit = _visit(browser, frontend, notebook, screen, "?projector=1" if by_address else "")
        try:
            if frontend.name == "lab" and screen != "1280x720":
                _close_file_browser(visit)
            views = ("projector", "normal") if by_address else ("normal", "projector")
            for view in views:
                _switch(visit, view == "projector")
                record(visit, view, screen)
                if screen == "1280x720" and view == "normal":
                    visit.page.set_viewport_size(SCREENS["1024x640"][0])
                    visit.settle(1.5)
                    record(visit, view, "1024x640")
                    visit.page.set_viewport_size(SCREENS[screen][0])
                    visit.settle(1.5)
            visit.assert_no_errors(f"{screen}, both views")
        finally:
            visit.close()
    for view in ("normal", "projector"):
        plain, zoomed = results[(view, "1280x720")], results[(view, "1280x720-zoom150")]
        assert zoomed["figure_device_px"] >= plain["figure_device_px"] - 1, (view, plain, zoomed)
        assert zoomed["font_device_px_min"] >= plain["font_device_px_min"] - 0.1, (view, plain, zoomed)
    assert results[("projector", "1280x720")]["font_css_px_min"] >= style.PROJECTOR_MIN_CSS_PX, results
    for screen in ("1280x720", "1024x640"):
        assert results[("normal", screen)]["font_css_px_min"] >= style.LAPTOP_MIN_CSS_PX, results
    return results


@pytest.mark.browser
@pytest.mark.parametrize("notebook", list(CASES))
def test_figure_text_in_voila(browser, voila, notebook, tmp_path):  # noqa: F811
    run_readability(browser, voila, notebook, tmp_path)


@pytest.mark.browser
@pytest.mark.parametrize("notebook", list(CASES))
def test_figure_text_in_jupyterlab(browser, lab, notebook, tmp_path):  # noqa: F811
    run_readability(browser, lab, notebook, tmp_path)
