"""One blit manager for the figures that respond to sliders: frames drawn over cached backgrounds.

Text (ticks, titles, labels, legends) is most of a full render's cost. :class:`BlitManager` renders a
figure's static parts once into a background, and each frame restores that background and draws only the
data artists on top: the scenario lab (:class:`dprk_figures.lab.LabFigure`) and notebook 07's uncertainty
app (:class:`dprk_apps.uncertainty.UncertaintyApp`) both draw this way. When a panel's static parts change
(its limits, title, labels: its *key*), only that panel's part of the background is rendered again, as
long as its text stays clear of every other panel and of the figure's own texts; otherwise the whole
background is. Backgrounds already rendered are kept by figure size and every panel's key, so coming back
to earlier scales costs a copy, not a render.

Everything here is matplotlib's public API: ``canvas.copy_from_bbox``, ``canvas.restore_region``,
``figure.draw_artist``, ``canvas.blit``, ``Axes.get_tightbbox`` and ``Axes.draw``. The frame is what a full
draw gives, except that the data artists lie over the static parts (lines over legend text), as in every
blitted frame. Whether a frame shown this way is left alone by pyplot's redraw hook is a workaround of
:mod:`dprk_internals.matplotlib_frames` (consulted only when :func:`dprk_internals.enabled`).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

import dprk_internals
from dprk_figures import keyframes

#: Pixels added around a panel's extent when only that panel's background is rendered again.
PANEL_MARGIN_PX = 3
#: Backgrounds kept for static states seen before (each is one copy of the figure's pixels).
BACKGROUNDS_KEPT = 8


def limits_key(ax: Axes) -> tuple:
    """A panel's static state in the usual case: its limits, title and axis labels."""
    return (ax.get_xlim(), ax.get_ylim(), ax.get_title(), ax.get_xlabel(), ax.get_ylabel())


@dataclass
class Background:
    """A rendered background: its pixels, the size and panel keys it was rendered for, each panel's extent."""

    pixels: Any
    size: tuple[int, int]
    keys: dict[str, Hashable]
    extents: dict[str, Bbox] = field(default_factory=dict)


@contextlib.contextmanager
def _hidden(artists: Sequence[Artist]) -> Iterator[None]:
    """Hide ``artists`` for the block (a background is rendered without the data drawn over it)."""
    shown = [artist.get_visible() for artist in artists]
    for artist in artists:
        artist.set_visible(False)
    try:
        yield
    finally:
        for artist, visible in zip(artists, shown, strict=True):
            artist.set_visible(visible)


class BlitManager:
    """Frames of a figure drawn over cached backgrounds of its static parts.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        On an Agg-based canvas (Agg itself, or ipympl's).
    panels : mapping of str to Axes
        The figure's panels, by name; panels must not overlap (each is re-rendered in its own extent).
    artists : callable
        Returns the data artists drawn over the background in every frame (hidden in the background).
    key : callable, optional
        ``key(name, ax)``: what a panel's static parts depend on; a change renders that panel's background
        again. Default: :func:`limits_key`.
    rc : mapping, optional
        rcParams under which panels are measured and rendered again (e.g. the figure's own text settings).
    margin_px : float
        Pixels added around a panel's extent.
    kept : int
        Backgrounds kept (:data:`BACKGROUNDS_KEPT`); the oldest is dropped beyond.

    Attributes
    ----------
    counts : collections.Counter
        How each frame's background was had: ``"whole"`` (rendered whole), ``"panels"`` (only changed
        panels rendered), ``"cached"`` (an earlier background restored), ``"current"`` (unchanged).
    panel_renders : list of list of str
        The panels rendered again, one list per ``"panels"`` frame.
    """

    def __init__(
        self,
        figure: Figure,
        panels: Mapping[str, Axes],
        artists: Callable[[], Sequence[Artist]],
        key: Callable[[str, Axes], Hashable] | None = None,
        rc: Mapping[str, Any] | None = None,
        margin_px: float = PANEL_MARGIN_PX,
        kept: int = BACKGROUNDS_KEPT,
    ) -> None:
        self.figure = figure
        self.panels = dict(panels)
        self._artists = artists
        self._key = key or (lambda _name, ax: limits_key(ax))
        self.rc = dict(rc or {})
        self.margin_px = margin_px
        self.kept = kept
        self.current: Background | None = None
        self.backgrounds: dict[tuple, Background] = {}
        self.counts: Counter[str] = Counter()
        self.panel_renders: list[list[str]] = []

    # ------------------------------------------------------------------ state
    def keys(self) -> dict[str, Hashable]:
        """Every panel's key now."""
        return {name: self._key(name, ax) for name, ax in self.panels.items()}

    def invalidate(self) -> None:
        """The static parts changed in a way no key shows (a new layout): render the whole background next."""
        self.current = None
        self.backgrounds.clear()

    def stale_panels(self) -> list[str]:
        """Panels whose key changed since the current background was rendered (all of them without one)."""
        if self.current is None:
            return list(self.panels)
        keys = self.keys()
        return [name for name, value in keys.items() if self.current.keys.get(name) != value]

    def artists(self) -> list[Artist]:
        """The data artists of a frame."""
        return [artist for artist in self._artists() if artist is not None]

    # ------------------------------------------------------------------ frames
    def render(self, show: bool = True) -> np.ndarray:
        """Render a complete frame into the canvas's buffer, and show it with a blit.

        Parameters
        ----------
        show : bool
            Blit the frame to the canvas's display (``False``: only render it, e.g. before a page is there).

        Returns
        -------
        ndarray of uint8, shape (height, width, 4)
            The canvas's buffer (a view: copy it to keep it).
        """
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        size = (renderer.width, renderer.height)
        keys = self.keys()
        artists = self.artists()
        state = self._state(size, keys)
        if self.current is None or self.current.size != size:
            self._render_whole(artists, keys)
            self.counts["whole"] += 1
        elif self.current.keys == keys:
            canvas.restore_region(self.current.pixels)
            self.counts["current"] += 1
        elif state in self.backgrounds:
            self.current = self.backgrounds[state]
            canvas.restore_region(self.current.pixels)
            self.counts["cached"] += 1
        else:
            changed = [name for name in keys if keys[name] != self.current.keys.get(name)]
            if self._render_panels(changed, artists, keys):
                self.counts["panels"] += 1
                self.panel_renders.append(sorted(changed))
            else:
                self._render_whole(artists, keys)
                self.counts["whole"] += 1
        self._remember()
        for artist in artists:
            if artist.get_visible():
                self.figure.draw_artist(artist)
        if show:
            canvas.blit(self.figure.bbox)
            keyframes.after_frame(self.figure)  # a blit fires no draw_event
        if dprk_internals.enabled():  # the seam: without it pyplot's hook draws this frame again, in full
            from dprk_internals.matplotlib_frames import mark_drawn

            mark_drawn(self.figure)
        return np.asarray(canvas.buffer_rgba())

    def _state(self, size, keys) -> tuple:
        return (size, *keys.items())

    def _remember(self) -> None:
        """Keep the current background for its state; the oldest beyond :attr:`kept` is dropped."""
        assert self.current is not None
        state = self._state(self.current.size, self.current.keys)
        self.backgrounds.pop(state, None)
        self.backgrounds[state] = self.current
        while len(self.backgrounds) > self.kept:
            self.backgrounds.pop(next(iter(self.backgrounds)))

    def _extent(self, ax: Axes, renderer) -> Bbox:
        """The pixels a panel's static parts cover (axes, ticks, labels, title, legend), with the margin."""
        with mpl.rc_context(self.rc):
            return ax.get_tightbbox(renderer).padded(self.margin_px)

    def _others(self, renderer) -> list[Bbox]:
        """Extents of the figure's own texts and legends (a panel's region must stay clear of them)."""
        own = [*self.figure.texts, *self.figure.legends]
        with mpl.rc_context(self.rc):
            return [artist.get_window_extent(renderer) for artist in own if artist.get_visible()]

    def _render_whole(self, artists, keys) -> None:
        canvas = self.figure.canvas
        with _hidden(artists):
            FigureCanvasAgg.draw(canvas)  # Agg only: no half-finished frame is sent to a page
        renderer = canvas.get_renderer()
        extents = {name: self._extent(ax, renderer) for name, ax in self.panels.items()}
        pixels = canvas.copy_from_bbox(self.figure.bbox)
        self.current = Background(pixels, (renderer.width, renderer.height), dict(keys), extents)

    def _render_panels(self, changed: Sequence[str], artists, keys) -> bool:
        """Render again only the background of the ``changed`` panels; ``False`` if it cannot be done.

        Each changed panel's old and new extents are painted with the figure's colour and the panel is drawn
        there again (data artists hidden), over the current background. Panels do not overlap, so the other
        panels' pixels stay as a whole render leaves them (a test compares the two). If a changed panel's
        region would reach another panel or one of the figure's own texts, the caller renders the whole.
        """
        assert self.current is not None
        canvas = self.figure.canvas
        renderer = canvas.get_renderer()
        height, width = renderer.height, renderer.width
        extents = dict(self.current.extents)
        regions = {}
        for name in changed:
            new = self._extent(self.panels[name], renderer)
            regions[name] = (Bbox.union([new, extents[name]]), new)
        boxes = [regions[name][0] if name in regions else box for name, box in extents.items()]
        if any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]):
            return False
        others = self._others(renderer)
        if any(region.overlaps(other) for region, _ in regions.values() for other in others):
            return False
        canvas.restore_region(self.current.pixels)
        pixels = np.asarray(renderer.buffer_rgba())
        paper = np.round(np.asarray(to_rgba(self.figure.get_facecolor())) * 255).astype(np.uint8)
        for name, (region, new) in regions.items():
            # Display y runs up from the bottom; buffer rows run down from the top. Whole pixels, outwards.
            left, right = max(0, int(np.floor(region.x0))), min(width, int(np.ceil(region.x1)))
            top, bottom = max(0, int(np.floor(height - region.y1))), min(height, int(np.ceil(height - region.y0)))
            pixels[top:bottom, left:right] = paper
            with _hidden(artists), mpl.rc_context(self.rc):
                self.panels[name].draw(renderer)
            extents[name] = new
        self.current = Background(canvas.copy_from_bbox(self.figure.bbox), (width, height), dict(keys), extents)
        return True


__all__ = ["BACKGROUNDS_KEPT", "PANEL_MARGIN_PX", "Background", "BlitManager", "limits_key"]
