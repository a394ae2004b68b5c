"""App figures are drawn at the resolution that fits the room the page gives them (dprk_apps.resolution).

In-process, Agg backend: the page's report is played by setting the app's ``shown_size`` widget, as the
page's half of it does. The browser's half (the page measuring its column) is exercised by the
end-to-end tests, which check at 800, 1280 and 1920 px that no figure is clipped, and by
``test_browser.py::test_figure_drawn_at_shown_size``.
"""

import matplotlib
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dprk_apps.lab import LabApp
from dprk_apps.resolution import APP_DPI_STEPS, DESIGN_ROOM_PX, SHRINK_ALLOWED, dpi_for_room, set_resolution

sizes = st.tuples(st.floats(1.0, 20.0), st.floats(1.0, 20.0))
rooms = st.tuples(st.floats(1.0, 4000.0), st.floats(0.0, 4000.0))


def _fits(size_in, room_px, dpi):
    """Drawn at ``dpi``, the figure is at most SHRINK_ALLOWED larger than its room either way."""
    largest = 1 + SHRINK_ALLOWED
    return size_in[0] * dpi <= room_px[0] * largest and (room_px[1] <= 0 or size_in[1] * dpi <= room_px[1] * largest)


@given(sizes, rooms)
def test_finest_step_that_fits(size_in, room_px):
    dpi = dpi_for_room(size_in, room_px)
    assert dpi in APP_DPI_STEPS
    finer = [step for step in APP_DPI_STEPS if step > dpi]
    assert not any(_fits(size_in, room_px, step) for step in finer), "a finer step fits the room too"
    if dpi != min(APP_DPI_STEPS):
        assert _fits(size_in, room_px, dpi), "the figure is drawn larger than its room"


@given(sizes, rooms, st.floats(1.0, 3.0), st.floats(1.0, 3.0))
def test_more_room_never_coarser(size_in, room_px, wider, taller):
    larger = (room_px[0] * wider, room_px[1] * taller)
    assert dpi_for_room(size_in, larger) >= dpi_for_room(size_in, room_px)


def test_no_height_limit_and_the_coarsest_fallback():
    assert dpi_for_room((10, 6.5), (5000, 0)) == max(APP_DPI_STEPS)  # no largest height: the width decides
    assert dpi_for_room((10, 6.5), (100, 100)) == min(APP_DPI_STEPS)  # nothing fits: the page shrinks it
    assert dpi_for_room((10, 6.5), (848, 470)) == 72  # the lab on a 1280 x 720 projector (measured room)
    assert dpi_for_room((10, 6.5), (706, 470)) == 72  # Notebook 7's column: 720 px shrunk 2%, not a step lost
    assert dpi_for_room((10, 6.5), (699, 470)) == 66  # more than 3% short: the next step down


@pytest.mark.parametrize(
    ("size_in", "room_px", "steps", "message"),
    [
        ((0, 6.5), (800, 400), APP_DPI_STEPS, "figure size must be positive"),
        ((10, -1), (800, 400), APP_DPI_STEPS, "figure size must be positive"),
        ((10, 6.5), (0, 400), APP_DPI_STEPS, "room width must be positive CSS pixels, got 0"),
        ((10, 6.5), (float("nan"), 400), APP_DPI_STEPS, "room width must be positive CSS pixels, got nan"),
        ((10, 6.5), (800, 400), (), "steps must name at least one resolution"),
    ],
)
def test_bad_sizes_are_named(size_in, room_px, steps, message):
    with pytest.raises(ValueError, match=message):
        dpi_for_room(size_in, room_px, steps)


def test_set_resolution_keeps_inches_and_changes_pixels():
    figure = Figure(figsize=(10, 6.5), dpi=100)
    assert set_resolution(figure, 72)
    assert tuple(figure.get_size_inches()) == (10, 6.5)
    assert figure.dpi == 72
    figure.canvas.draw()
    assert figure.canvas.get_width_height() == (720, 468)
    assert not set_resolution(figure, 72), "the same resolution again is no change"


@pytest.fixture
def lab():
    app = LabApp()
    yield app
    plt.close(app.figure)


def _rendered_size(app):
    renderer = app.figure.canvas.get_renderer()
    return (int(renderer.width), int(renderer.height))


def test_app_drawn_for_a_projector_until_a_page_reports(lab):
    expected = dpi_for_room(tuple(lab.figure.get_size_inches()), DESIGN_ROOM_PX)
    assert lab.figure.dpi == expected == 72
    assert _rendered_size(lab) == (720, 468), "the first frame (prerendered) is drawn at the design resolution"


@pytest.mark.parametrize(
    ("room", "dpi", "pixels"),
    [((1530, 830), 100, (1000, 650)), ((770, 350), 60, (600, 390)), ((848, 470), 72, (720, 468))],
)
def test_app_follows_the_room_the_page_reports(lab, room, dpi, pixels):
    lab.draw()  # the first frame, at the design resolution (a page's first draw request)
    lab.shown_size.width, lab.shown_size.height = room
    assert lab.figure.dpi == dpi
    assert _rendered_size(lab) == pixels
    shown = np.asarray(lab.figure.canvas.buffer_rgba()).copy()
    assert _differs_from_full_render(lab, shown) < 0.01, "the app drew its frame at the new resolution"
    assert lab.errors.message == "", "no error shown"
    # The next lever move draws over a background of the new size, and equals a full render of it.
    lab.panel.controls["russia_arms_enforcement"].input.value = 0.9
    moved = np.asarray(lab.figure.canvas.buffer_rgba()).copy()
    assert moved.shape == (pixels[1], pixels[0], 4)
    assert _differs_from_full_render(lab, moved) < 0.01


def _differs_from_full_render(app, frame):
    """Share of pixels where ``frame`` differs from a full render of the app's figure now."""
    app.figure.canvas.draw()
    full = np.asarray(app.figure.canvas.buffer_rgba())
    return float(np.mean(np.any(frame != full, axis=2)))


def test_no_room_reported_changes_nothing(lab):
    lab.shown_size.height = 300  # a height without a width: no page measured the column
    assert lab.figure.dpi == 72


def test_constants_agree_with_the_style_and_layout_they_restate():
    """The finest step is the suite's figure resolution; the design room's height is the layout's rule at 720 px."""
    import re

    from dprk_apps.layout import FIGURE_MAX_HEIGHT
    from dprk_figures.style import RC

    assert max(APP_DPI_STEPS) == RC["figure.dpi"], "no app figure is drawn finer than every other figure"
    margin = int(re.fullmatch(r"calc\(100vh - (\d+)px\)", FIGURE_MAX_HEIGHT).group(1))
    assert DESIGN_ROOM_PX[1] == 720 - margin, "the design room's height is FIGURE_MAX_HEIGHT on a 720 px screen"
