"""The page's painter of app figures (dprk_apps.painting), and the numbers sent after the frame.

In process: the painter refers to the app's own ipympl canvas (the page finds that figure's model by it),
sits in the app's results column, and shows nothing; an app on Agg (no page) has none. Its page half is
exercised in Chromium by ``test_browser.py::test_painted_frames_add_up_to_the_figure`` (frames painted
by it, over moves, a resize and a high-density screen, give the figure's own picture) and by every
end-to-end visit (``test_e2e.py``), where figures must change with every control.

In a kernel an app sends its readout's numbers to the page a moment after the figure's frame
(:data:`~dprk_apps.painting.NUMBERS_AFTER_FRAME_S`); played here in an asyncio loop.
"""

import asyncio
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from dprk_apps.base import SliderApp
from dprk_apps.lab import LabApp
from dprk_apps.painting import KEEP_PICTURE_AFTER_MS, NUMBERS_AFTER_FRAME_S, FramePainter, paints_over
from dprk_figures.style import new_figure


# ipympl 0.10's toolbar, made outside a kernel, passes matplotlib's toolbar an argument traitlets warns about.
@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_an_app_on_ipympl_has_a_painter_of_its_own_figure(ipympl_backend):
    app = LabApp()
    assert isinstance(app.painter, FramePainter)
    assert app.painter.figure is app.figure.canvas
    assert app.painter in app.results_column.children
    state = app.painter.get_state()
    assert state["figure"] == f"IPY_MODEL_{app.figure.canvas.model_id}", "the page looks the figure up by this"
    assert app.painter.layout.height == "0px", "it shows nothing"


def test_an_app_on_agg_has_no_painter():
    backend = plt.get_backend()
    plt.switch_backend("Agg")
    try:
        app = LabApp()
        assert app.painter is None
        assert not any(isinstance(child, FramePainter) for child in app.results_column.children)
    finally:
        plt.close("all")
        plt.switch_backend(backend)


@pytest.mark.parametrize("figure", [None, "IPY_MODEL_abc", widgets.Widget()])
def test_the_painter_needs_a_figure_widget(figure):
    with pytest.raises(traitlets.TraitError, match="'figure'"):
        FramePainter(figure)


def test_the_page_keeps_the_picture_after_the_stated_rest():
    code = FramePainter._esm.default_value
    assert re.search(rf"KEEP_PICTURE_AFTER_MS = {KEEP_PICTURE_AFTER_MS};", code)
    assert KEEP_PICTURE_AFTER_MS >= 500, "longer than the pause between a held key's steps"


# --- The readout's numbers follow the frame (SliderApp.update) ------------------------------------------------


@pytest.fixture
def lab_on_agg():
    backend = plt.get_backend()
    plt.switch_backend("Agg")
    try:
        yield LabApp()
    finally:
        plt.close("all")
        plt.switch_backend(backend)


def record_readout_syncs(monkeypatch, app) -> list:
    """The readout's values as the page would get them, one item per message sent."""
    sent = []
    send_state = app.readout.send_state

    def recording(key=None):
        keys = [key] if isinstance(key, str) else list(key or [])
        if "value" in keys:
            sent.append(app.readout.value)
        return send_state(key)

    monkeypatch.setattr(app.readout, "send_state", recording)
    return sent


def move(app, value):
    app.panel.controls["russia_arms_enforcement"].input.value = value


def test_without_a_kernel_the_numbers_are_sent_with_the_move(lab_on_agg, monkeypatch):
    sent = record_readout_syncs(monkeypatch, lab_on_agg)
    before = lab_on_agg.readout.value
    move(lab_on_agg, 0.6)
    assert sent == [lab_on_agg.readout.value] and sent[0] != before


def test_in_a_kernel_the_numbers_follow_the_frame_and_moves_meanwhile_join_them(lab_on_agg, monkeypatch):
    """In a running event loop the table is sent NUMBERS_AFTER_FRAME_S after the move, once, with the latest numbers."""
    sent = record_readout_syncs(monkeypatch, lab_on_agg)

    async def session():
        move(lab_on_agg, 0.6)
        assert sent == [], "the numbers went out with the frame"
        after_first = lab_on_agg.readout.value  # Python's value changes at once
        move(lab_on_agg, 0.8)  # within the delay: joins the held numbers
        assert lab_on_agg.readout.value != after_first and sent == []
        await asyncio.sleep(NUMBERS_AFTER_FRAME_S * 3)
        assert sent == [lab_on_agg.readout.value], "held numbers sent once, the latest"
        move(lab_on_agg, 0.2)  # the next move waits again
        assert len(sent) == 1
        await asyncio.sleep(NUMBERS_AFTER_FRAME_S * 3)
        assert sent[-1] == lab_on_agg.readout.value and len(sent) == 2

    asyncio.run(session())


def test_a_failure_to_send_the_numbers_is_shown(lab_on_agg, monkeypatch):
    def broken(key=None):
        raise RuntimeError("the page is gone")

    async def session():
        move(lab_on_agg, 0.6)
        monkeypatch.setattr(lab_on_agg.readout, "send_state", broken)
        await asyncio.sleep(NUMBERS_AFTER_FRAME_S * 3)

    asyncio.run(session())
    assert "the page is gone" in lab_on_agg.errors.widget.value
    monkeypatch.undo()
    move(lab_on_agg, 0.4)  # the app goes on: the next numbers are sent


# --- Only opaque figures are painted over -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("facecolor", "alpha", "visible", "painted"),
    [
        ("white", None, True, True),
        ("#fdf6e3", None, True, True),
        ("white", 0.0, True, False),
        ("white", 0.5, True, False),
        ("white", None, False, False),
        ("none", None, True, False),
    ],
)
def test_only_a_figure_with_an_opaque_background_is_painted_over(facecolor, alpha, visible, painted):
    figure = Figure()
    figure.patch.set_facecolor(facecolor)
    if alpha is not None:
        figure.patch.set_alpha(alpha)
    figure.patch.set_visible(visible)
    assert paints_over(figure) is painted


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_an_app_with_a_see_through_figure_keeps_ipympls_painting(ipympl_backend):
    class Bare(SliderApp):
        def redraw(self, results):
            self.readout.value = f"{results.headline(2030)}"

    figure, _ = new_figure(width=4, height=3, show=False)
    figure.patch.set_alpha(0.0)
    app = Bare(["russia_arms_enforcement"], figure, title="see-through", presets=False, exports=False)
    assert app.painter is None and not any(isinstance(c, FramePainter) for c in app.results_column.children)
    opaque_figure, _ = new_figure(width=4, height=3, show=False)
    opaque = Bare(["russia_arms_enforcement"], opaque_figure, title="opaque", presets=False, exports=False)
    assert isinstance(opaque.painter, FramePainter)


def test_the_suites_figures_are_opaque():
    """Every app figure is made by new_figure; the painter relies on its background covering the canvas."""
    figure, _ = new_figure(show=False)
    assert paints_over(figure)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    assert np.asarray(canvas.buffer_rgba())[..., 3].min() == 255
    plt.close(figure)
