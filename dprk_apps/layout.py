"""Page layout of the apps: figures that fit their container, controls beside numbers and figure.

Matplotlib figures are drawn at a fixed size in pixels (an app's at :data:`dprk_figures.style.APP_DPI`),
and ipympl writes that size into the page. On a narrower page (an 800 px window, JupyterLab
with its file browser open) the figure used to be cut off. :data:`FIT_CSS` scales every ipympl figure
down to the width of its container (never up: a raster scaled up blurs), keeping its aspect ratio; the
canvas element is only shown smaller, so the kernel's drawing is unchanged.

:func:`app_layout` puts an app's controls in a left column and its numbers above its figure in a right
column; on a narrow page the columns stack. The controls column scrolls on its own when it is taller
than the screen, so the numbers and the figure stay in view while a student works down the levers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ipywidgets as widgets

from dprk_apps.keyboard import ControlKeys

#: Widest the controls column gets (px): one section of controls (370 px) and its margin.
CONTROLS_WIDTH_PX = 390
#: Narrowest the results column gets before the columns stack (px): an app figure's own width (10 in at
#: :data:`dprk_figures.style.APP_DPI`), so a narrow page (a laptop, JupyterLab with its file browser, browser
#: zoom) puts the controls above the figure instead of shrinking the figure and its text.
RESULTS_MIN_WIDTH_PX = 720
#: How much of the screen's height a figure in an app may take, so numbers and figure show together; never
#: less than :data:`dprk_figures.style.APP_MIN_SCALE` of the figure's own height (its text stays readable).
FIGURE_MAX_HEIGHT = "max(calc(100vh - 250px), 480px)"

#: The style sheet (``layout.css`` beside this module, read once): figures that fit their container (never
#: enlarged), an app figure at most :data:`FIGURE_MAX_HEIGHT` tall, the columns' spacing.
FIT_CSS_FILE = Path(__file__).with_name("layout.css")
FIT_CSS = FIT_CSS_FILE.read_text(encoding="utf-8")


def fit_style() -> widgets.HTML:
    """An invisible widget carrying :data:`FIT_CSS`; one on the page fits every figure on it.

    Returns
    -------
    ipywidgets.HTML
    """
    style = widgets.HTML(f"<style>{FIT_CSS}</style>", layout=widgets.Layout(height="0px", margin="0px"))
    style.add_class("fit-figures-style")
    return style


def app_layout(controls: Sequence[widgets.Widget], results: Sequence[widgets.Widget]) -> widgets.Box:
    """Controls on the left, numbers and figure on the right; stacked when the page is narrow.

    Parameters
    ----------
    controls : sequence of ipywidgets.Widget
        Presets, sliders and their messages, top to bottom.
    results : sequence of ipywidgets.Widget
        Readout (numbers), figure and exports, top to bottom.

    Returns
    -------
    ipywidgets.Box
        With the style of :func:`fit_style` inside, so the app's figure fits wherever it is shown, and a
        :class:`dprk_apps.keyboard.ControlKeys`, so its controls take their keys in every front end.
    """
    left = widgets.VBox(
        list(controls),
        layout=widgets.Layout(
            flex=f"0 1 {CONTROLS_WIDTH_PX}px",
            max_height="calc(100vh - 40px)",  # scrolls by itself: the figure beside it stays in view
            overflow="hidden auto",  # CSS: x hidden, y scrolls
            margin="0 12px 0 0",
        ),
    )
    left.add_class("app-controls")
    right = widgets.VBox(list(results), layout=widgets.Layout(flex=f"1 1 {RESULTS_MIN_WIDTH_PX}px"))
    right.add_class("app-results")
    wrap = widgets.Layout(display="flex", flex_flow="row wrap", width="100%", align_items="flex-start")
    columns = widgets.Box([left, right], layout=wrap)
    columns.add_class("app-columns")
    return widgets.VBox([fit_style(), ControlKeys(), columns], layout=widgets.Layout(width="100%"))


__all__ = ["FIT_CSS", "app_layout", "fit_style"]
