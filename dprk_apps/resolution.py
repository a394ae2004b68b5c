"""App figures drawn at about the size the page shows them, not drawn large and shrunk by the page.

A figure's frames cost in proportion to its pixels at every step of a slider move: the kernel renders
and encodes them, and the page (ipympl's front end) decodes each frame, copies its whole canvas to a
PNG data URL and paints it. Drawn at 100 dpi, the scenario lab's figure is 1,000 × 650 px, but on a
1280 × 720 projector the page shows it at 723 × 470 (:data:`dprk_apps.layout.FIT_CSS` shrinks it to fit
beside the controls): half of every frame's pixels were never seen. Drawn at 72 dpi instead, key press
to changed figure in Chromium fell from 67 to 54 ms (median; ``bench/browser_bench.py``'s moves, the two
resolutions in turns on one machine, 2026-12-07), and the figure is sharper, since the page no longer
scales it.

An app's figure keeps its size in inches (so its layout and text are unchanged, only finer or coarser) and
takes one of a few resolutions, :data:`APP_DPI_STEPS`. :class:`ShownSize`, a small widget in the app's results
column, tells the kernel the room the page gives the figure (the column's width and the figure's largest
height, in CSS pixels); the app then takes the finest step that fits (:func:`dpi_for_room`; a figure at most
:data:`SHRINK_ALLOWED` larger than the room counts as fitting) and draws its figure again when the step
changes. Without a page (tests, headless runs) the figure stays at the step that fits :data:`DESIGN_ROOM_PX`,
the room of a 1280 × 720 projector, so a classroom's warm kernel has already drawn what most students' pages
show. A page narrower than the smallest step still shrinks the figure (never clips it); no page enlarges it (a
raster scaled up blurs).
"""

from __future__ import annotations

from collections.abc import Sequence

import anywidget
import traitlets

#: The resolutions an app's figure is drawn at (dots per inch of the figure's size in inches; a CSS pixel
#: per dot). An assumption: steps about 10% apart, so that a window resized by a few pixels, or a
#: student's laptop a little larger than the projector, does not cost a full render of the figure, and a
#: figure is at most about 10% smaller than its room; 100 is the suite's resolution for every figure
#: (``dprk_figures.style.RC``), so no app figure is drawn larger than before.
APP_DPI_STEPS: tuple[int, ...] = (60, 66, 72, 79, 86, 93, 100)
#: How much larger than its room a figure may be drawn and still count as fitting (the page shrinks it by
#: that much). An assumption: a 3% shrink does not show, and it keeps a room a few pixels short of a step
#: (Notebook 7's column is 706 px wide for the lab's 720 px at 72 dpi) from losing a whole step.
SHRINK_ALLOWED = 0.03
#: The room (CSS px, width and height) the scenario lab's page gives its figure on a 1280 × 720 screen,
#: the seminar's projector (the issue's design point). Measured in Chromium in Voilà (2026-12-07): the
#: results column is 848 px wide there and the figure at most 470 px tall (``calc(100vh - 250px)``, see
#: :data:`dprk_apps.layout.FIGURE_MAX_HEIGHT`).
DESIGN_ROOM_PX: tuple[float, float] = (848.0, 470.0)

# The page's half: measures the results column (the figure's container) and the largest height the page
# gives the figure, and reports them when they change (debounced: a window being dragged reports once
# it rests). Sizes are CSS pixels; the kernel turns them into a resolution.
_MEASURE_JS = """
function measure(el) {
  const column = el.closest('.app-results') || el.parentElement;
  if (!column) return null;
  const style = getComputedStyle(column);
  const width = column.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const canvas = column.querySelector('.jupyter-matplotlib-canvas-div canvas');
  if (!canvas) return null;  // the figure is not shown yet: the column's next resize reports
  const tallest = parseFloat(getComputedStyle(canvas).maxHeight);
  return {width: Math.floor(width), height: Number.isFinite(tallest) ? Math.floor(tallest) : 0};
}
function render({ model, el }) {
  let timer = null;
  const report = () => {
    timer = null;
    const room = measure(el);
    if (room === null || room.width <= 0) return;  // hidden (a closed tab): nothing to fit
    if (room.width === model.get('width') && room.height === model.get('height')) return;
    model.set(room);
    model.save_changes();
  };
  const later = () => { clearTimeout(timer); timer = setTimeout(report, 150); };
  const column = el.closest('.app-results') || el.parentElement;
  const observer = new ResizeObserver(later);
  if (column) observer.observe(column);
  window.addEventListener('resize', later);
  later();
  return () => { observer.disconnect(); window.removeEventListener('resize', later); clearTimeout(timer); };
}
export default { render };
"""


class ShownSize(anywidget.AnyWidget):
    """The room the page gives an app's figure: the results column's width and the figure's largest height.

    Shows nothing (it has no height); put it in the app's results column. Both values are CSS pixels,
    ``0`` until a page has measured them (``height`` stays ``0`` when the page sets no largest height).
    """

    _esm = traitlets.Unicode(_MEASURE_JS).tag(sync=True)
    width = traitlets.Int(0).tag(sync=True)
    height = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.layout.height = "0px"
        self.layout.margin = "0px"
        self.add_class("shown-size")


def dpi_for_room(
    size_in: tuple[float, float],
    room_px: tuple[float, float],
    steps: Sequence[int] = APP_DPI_STEPS,
    shrink_allowed: float = SHRINK_ALLOWED,
) -> int:
    """The finest resolution at which a figure fits the room the page gives it, else the coarsest.

    Parameters
    ----------
    size_in : (float, float)
        The figure's width and height (inches).
    room_px : (float, float)
        Width and largest height the page gives the figure (CSS px); a height of ``0`` or less sets no
        limit.
    steps : sequence of int
        Allowed resolutions (dots per inch, ascending or not).
    shrink_allowed : float
        A figure at most this fraction wider or taller than the room still fits (the page shrinks it).

    Returns
    -------
    int
        One of ``steps``: the largest whose figure (``size_in`` × dpi pixels) is no wider and no taller
        than the room enlarged by ``shrink_allowed``; the smallest of ``steps`` when none fits (the page
        then shrinks the figure).

    Raises
    ------
    ValueError
        If the figure's size or the room's width is not positive, or ``steps`` is empty.
    """
    width_in, height_in = size_in
    room_width, room_height = room_px
    if not (width_in > 0 and height_in > 0):
        raise ValueError(f"figure size must be positive inches, got {size_in!r}")
    if not room_width > 0:
        raise ValueError(f"room width must be positive CSS pixels, got {room_width!r}")
    if not steps:
        raise ValueError("steps must name at least one resolution")
    largest = 1.0 + shrink_allowed
    fitting = [
        dpi
        for dpi in steps
        if width_in * dpi <= room_width * largest and (room_height <= 0 or height_in * dpi <= room_height * largest)
    ]
    return max(fitting) if fitting else min(steps)


def set_resolution(figure, dpi: float) -> bool:
    """Draw ``figure`` at ``dpi`` CSS pixels per inch from now on (its size in inches unchanged).

    A high-density screen's factor (ipympl's device pixel ratio) still applies on top. The page is told
    the figure's new size (``resize``), and the figure is marked stale; the caller draws the next frame.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
    dpi : float

    Returns
    -------
    bool
        Whether the resolution changed.
    """
    if getattr(figure, "_original_dpi", figure.dpi) == dpi and figure.dpi == dpi * _pixel_ratio(figure):
        return False
    figure._original_dpi = dpi  # what matplotlib scales by the device pixel ratio (backend_bases)
    figure._set_dpi(dpi * _pixel_ratio(figure), forward=True)  # forward: the page gets the new size
    figure.stale = True
    return True


def _pixel_ratio(figure) -> float:
    return float(getattr(figure.canvas, "device_pixel_ratio", 1.0) or 1.0)


__all__ = ["APP_DPI_STEPS", "DESIGN_ROOM_PX", "SHRINK_ALLOWED", "ShownSize", "dpi_for_room", "set_resolution"]
