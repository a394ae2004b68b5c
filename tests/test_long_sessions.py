"""Long sessions stay bounded: 1,000 slider moves in each slider app (00-05, 07) leak neither memory nor figures.

Marked ``slow``: the full run (``./suite test``) has it, the inner loop (``./suite test --fast``) does not.

In-process (Agg), no kernel: each move sets one slider's value as the browser does, so the app's own
callback runs (validation, model run, artist updates, readout). A frame is rendered every
:data:`RENDER_EVERY` moves, not every move, to keep the test fast; rendering is where figures and
artists could pile up, so those frames are checked too. Memory is the process's resident set (psutil)
after a warm-up of :data:`WARM_UP` moves, so caches and allocator pools have settled before measuring.

The apps that draw over cached backgrounds (the scenario lab and 07, :class:`dprk_figures.blit.BlitManager`)
keep the backgrounds of scales they have rendered (at most :data:`dprk_figures.lab.BACKGROUNDS_KEPT`, one copy
of the figure's pixels each); that cache fills as new scales are met, so its bytes are measured, bounded by its
own assertion and subtracted: what is left is what a leak would show.
"""

import gc

import matplotlib
import numpy as np
import psutil
import pytest

matplotlib.use("Agg")

import ipywidgets as widgets
import matplotlib.pyplot as plt

from dprk_figures.lab import BACKGROUNDS_KEPT
from model.uncertainty.ensemble import release_freed_memory
from tests.apps import slider_apps

pytestmark = pytest.mark.slow

MOVES = 1000
WARM_UP = 60
RENDER_EVERY = 100
#: Growth of the resident set allowed over the 1,000 moves ("a few MB").
GROWTH_MB = 4.0

APPS = slider_apps(uncertainty_draws=256)


def rss_mb() -> float:
    """Resident set after a collection, with the allocator's free pages handed back (a leak stays)."""
    gc.collect()
    release_freed_memory()  # glibc's arenas otherwise swing the resident set by 0-5 MB between samples
    return psutil.Process().memory_info().rss / 2**20


def cached_backgrounds(app) -> tuple[int, float]:
    """An app's cached backgrounds (its blit manager's): how many, and their pixels in MB (0, 0.0 without)."""
    cache = app.blit.backgrounds if app.blit is not None else {}
    buffers = {id(background.pixels): background.pixels for background in cache.values()}
    return len(cache), sum(memoryview(b).nbytes for b in buffers.values()) / 2**20


def artist_count(figure) -> int:
    """The figure's drawn artists: lines, patches, collections, texts and images.

    Ticks, whose number follows the axis limits, are not counted. A leak of lines, bands or texts shows here.
    """
    count = len(figure.texts) + len(figure.legends) + len(figure.axes)
    for ax in figure.axes:
        count += sum(len(group) for group in (ax.lines, ax.patches, ax.collections, ax.texts, ax.images, ax.artists))
    return count


def moves(app, count: int, rng: np.random.Generator):
    """``count`` slider moves, each to another position of a randomly chosen slider."""
    sliders = [c for c in app.panel.controls.values() if isinstance(c.input, widgets.FloatSlider | widgets.IntSlider)]
    for move in range(count):
        control = sliders[int(rng.integers(len(sliders)))]
        positions = control.parameter.positions()
        value = float(positions[int(rng.integers(len(positions)))])
        if np.isclose(value, control.input.value):
            value = float(positions[0] if not np.isclose(positions[0], value) else positions[-1])
        control.input.value = int(value) if isinstance(control.input, widgets.IntSlider) else value
        yield move


@pytest.mark.parametrize("key", list(APPS))
def test_a_thousand_moves_grow_memory_by_a_few_mb_and_open_no_figure(key):
    app = APPS[key]()
    rendered = app.draw
    app.draw = lambda: None  # frames only every RENDER_EVERY moves (below); Agg's draw_idle draws at once
    app.figure.canvas.draw_idle = lambda *args, **kwargs: None
    rng = np.random.default_rng(int(key))
    try:
        for _ in moves(app, WARM_UP, rng):
            pass
        for _ in range(2):  # both kinds of frame once, so that renderer and text caches exist before measuring
            rendered()
            app.figure.canvas.draw()
        figures, artists, before = plt.get_fignums(), artist_count(app.figure), rss_mb()
        _, cached_before = cached_backgrounds(app)
        for move in moves(app, MOVES, rng):
            assert app.errors.message == "", app.errors.message
            if move % RENDER_EVERY == 0:
                rendered()
                if move % (4 * RENDER_EVERY) == 0:
                    app.figure.canvas.draw()  # a full draw too, as a resize or a browser reconnect does
                assert plt.get_fignums() == figures
                assert artist_count(app.figure) == artists
        kept, cached_after = cached_backgrounds(app)
        assert kept <= BACKGROUNDS_KEPT, f"{key}: {kept} backgrounds cached, at most {BACKGROUNDS_KEPT} allowed"
        growth = rss_mb() - before - (cached_after - cached_before)
        assert growth <= GROWTH_MB, (
            f"{key}: resident set grew by {growth:.1f} MB over {MOVES} moves "
            f"(besides {cached_after - cached_before:.1f} MB of cached backgrounds)"
        )
        assert plt.get_fignums() == figures and artist_count(app.figure) == artists
    finally:
        if hasattr(app, "close"):
            app.close()
        plt.close(app.figure)
