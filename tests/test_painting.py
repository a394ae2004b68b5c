"""The page's painter of app figures (model.app.painting): which figure it paints, and where it is.

In process: the painter refers to the app's own ipympl canvas (the page finds that figure's model by it),
sits in the app's results column, and shows nothing; an app on Agg (no page) has none. Its page half is
exercised in Chromium by ``test_browser.py::test_painted_frames_add_up_to_the_figure`` (frames painted
by it, over moves, a resize and a high-density screen, give the figure's own picture) and by every
end-to-end visit (``test_e2e.py``), where figures must change with every control.
"""

import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest
import traitlets

from model.app.lab import LabApp
from model.app.painting import KEEP_PICTURE_AFTER_MS, FramePainter


@pytest.fixture
def ipympl_backend():
    """Pyplot on ipympl's backend (the notebooks' ``%matplotlib widget``) for one test."""
    backend = plt.get_backend()
    plt.switch_backend("module://ipympl.backend_nbagg")
    yield
    plt.close("all")
    plt.switch_backend(backend)


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
