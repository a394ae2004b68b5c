"""The one plotting style of the suite: colours, sizes, the projection marker, axis formats, y limits.

Every figure of every notebook is made by :func:`new_figure` and takes its colours and text sizes from
here, so a partner has one colour everywhere and every text stays readable on a classroom projector.

* **Colours** (Okabe and Ito's colour-blind-safe palette): China vermillion, Russia blue, third parties
  grey. :data:`PARTNER_COLOURS` is the only partner palette; :data:`COLOURS` names the other roles.
* **Sizes**: no text smaller than :data:`MIN_TEXT_PT` at the size a figure is shown (figures wider than
  :data:`DISPLAY_WIDTH_IN` are scaled down by the page, so their text shrinks with them);
  :func:`small_texts` finds offenders, and a test runs it on every notebook figure.
* **Projection**: :func:`mark_projection` shades the projection years and labels history and projection.
* **Axes**: :func:`usd_axis`, :func:`bbl_axis`, :func:`count_axis` and :func:`share_axis` write ticks in
  one way; values inside the artists stay in base units (USD/yr, bbl/yr, persons, fractions).
* **Y limits**: :func:`fit_ylim` covers the data with a margin; :func:`sticky_ylim` keeps limits while the
  data still fit them well (steady axes while a slider moves).

Examples
--------
>>> from dprk_figures import style
>>> fig, ax = style.new_figure(show=False)
>>> style.usd_axis(ax)
>>> style.tick_usd(1.5e9), style.tick_usd(-2.5e8)
('$1.5 bn', '−$250 m')
>>> style.small_texts(fig)
[]
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, PercentFormatter

from model.outcomes import PARTNER_NAMES
from model.timeline import FIRST_PROJECTION_YEAR, LAST_YEAR, tick_years

#: One colour per partner (Okabe-Ito): the same in every figure of the suite.
PARTNER_COLOURS = {"china": "#D55E00", "russia": "#0072B2", "other": "#999999", "total": "#000000"}
#: Lighter tints of the partner colours, for a second layer of the same partner (e.g. reported oil).
PARTNER_TINTS = {"china": "#F2B48C", "russia": "#8FC3E6", "other": "#CCCCCC"}
#: Partner names on axes and in legends.
PARTNER_LABELS = {**{k: v[0].upper() + v[1:] for k, v in PARTNER_NAMES.items()}, "total": "Total"}
#: Colours of other roles, from the same palette.
COLOURS = {
    "need": "#000000",
    "cap": "#E69F00",
    "it_workers": "#CC79A7",
    "ceasefire": "#009E73",
    "deadline": "#000000",
    "observed": "#000000",
    "recorded": "#E69F00",
    "scenario": "#0072B2",
    "baseline": "#666666",
    "low": "#56B4E9",
    "high": "#E69F00",
    "hit": "#D55E00",
    "miss": "#BBBBBB",
}
#: Russia's payment by form.
PAYMENT_COLOURS = {"cash": "#009E73", "oil": "#8C6D31", "food": "#F0E442", "technology": "#CC79A7"}
#: One colour per role-play team (notebook 08): the partners' own colours for China and Russia.
TEAM_COLOURS = {"china": "#D55E00", "russia": "#0072B2", "allies": "#009E73", "un": "#56B4E9", "dprk": "#CC79A7"}
#: One marker per observed series, in order.
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

#: No text smaller than this (points) at the size a figure is shown.
MIN_TEXT_PT = 10.0
#: Figures are shown at most this wide (inches at 100 dpi: a notebook or Voilà page about 1,000 px wide).
DISPLAY_WIDTH_IN = 10.0
#: The resolution of the apps' figures (dots per inch; one CSS pixel per dot). A figure's frames cost in
#: proportion to its pixels at every slider move (render, encode, send, decode, paint), and an app's figure
#: shares its page with the controls: on the seminar's 1280 x 720 projector the scenario lab's figure has
#: about 850 x 470 CSS px, and at 72 dpi its 10 x 6.5 in are 720 x 468 px, shown at their own size. A
#: narrower page shrinks the figure to fit (``dprk_apps/layout.css``); a wider one shows it at this size,
#: never enlarged (a raster scaled up blurs). Fixed for the life of the figure, set when it is made.
APP_DPI = 72
#: The apps' figure text (tick labels, legends; titles one point larger), points. At :data:`APP_DPI` a point is
#: one CSS pixel while a figure is shown at its own size; the apps' layout (``dprk_apps/layout.css``) shrinks
#: a figure to fit the screen's height only down to :data:`APP_MIN_SCALE` of it, and JupyterLab with its file
#: browser open on a 1024 x 640 laptop leaves a figure about 590 of its 720 px: at least 12 CSS px there.
APP_TEXT_PT = 15.0
#: The apps' figure text in the projector view (fewer, larger panels), points: at least 16 CSS px at
#: 1280 x 720 even when the figure is shown at :data:`APP_MIN_SCALE` of its size.
PROJECTOR_TEXT_PT = 18.0
#: The smallest share of its own size at which the apps' layout shows an app figure (its height is bounded
#: by the screen's, but never below this share: ``dprk_apps/layout.css``).
APP_MIN_SCALE = 0.88  # 480 of 540 px, the tallest app figure (07)
#: The readability targets of the apps' figure text, CSS px: on a 1280 x 720 projector (projector view)
#: and on a 1024 x 640 laptop (normal view); ``tests/test_readability.py`` measures them in Chromium.
PROJECTOR_MIN_CSS_PX = 16.0
LAPTOP_MIN_CSS_PX = 12.0
RC = {
    "font.size": 11,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "figure.titlesize": 13,
    "figure.dpi": 100,
    "axes.grid": False,
}


def app_rc(projector: bool = False) -> dict[str, float]:
    """Text sizes of an app's figure (points), to build its artists under :func:`matplotlib.rc_context`.

    Parameters
    ----------
    projector : bool
        The projector view's larger text (:data:`PROJECTOR_TEXT_PT`) instead of :data:`APP_TEXT_PT`.

    Returns
    -------
    dict of str to float
        rcParams: every font size of the figure's texts, points.
    """
    size = PROJECTOR_TEXT_PT if projector else APP_TEXT_PT
    return {
        "font.size": size,
        "axes.titlesize": size + 1,
        "axes.labelsize": size,
        "xtick.labelsize": size,
        "ytick.labelsize": size,
        "legend.fontsize": size,
        "figure.titlesize": size + 1,
    }


def keep_text_sizes(fig: Figure) -> None:
    """Make the current tick label size stick to every axes of ``fig`` (call it inside :func:`app_rc`'s context).

    Matplotlib makes tick labels as they are needed, each with the tick size of the rcParams of that moment:
    a tick added later (new limits) would otherwise have the suite's default size, not the app's.
    """
    for ax in fig.axes:
        ax.tick_params(axis="x", which="both", labelsize=mpl.rcParams["xtick.labelsize"])
        ax.tick_params(axis="y", which="both", labelsize=mpl.rcParams["ytick.labelsize"])


def use() -> None:
    """Apply the suite's sizes to matplotlib (every :func:`new_figure` does this)."""
    mpl.rcParams.update(RC)


def new_figure(
    nrows: int = 1,
    ncols: int = 1,
    width: float = DISPLAY_WIDTH_IN,
    height: float = 4.0,
    show: bool = True,
    layout: str | None = "constrained",
    label: str | None = None,
    dpi: float | None = None,
    **subplot_kw,
) -> tuple[Figure, Axes | np.ndarray]:
    """Make a figure in the suite's style, with ipympl's toolbar hidden.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes (``0`` and ``0``: a figure without axes, for figures that place their own).
    width, height : float
        Size in inches; keep ``width`` at most :data:`DISPLAY_WIDTH_IN`, or the page shrinks the text.
    show : bool
        With ``False`` the figure is not displayed where it is made (interactive backends), so an app can
        place ``fig.canvas`` inside its own layout.
    layout : str or None
        Matplotlib layout engine.
    label : str, optional
        The figure's label; an open figure with the same label is closed first, so a re-run cell replaces
        its figure instead of keeping the old one (and what it shows) alive in pyplot's registry.
    dpi : float, optional
        Resolution (default: the style's, 100); apps pass :data:`APP_DPI`. Set here, when the figure is
        made, so that a high-density screen's factor multiplies this resolution.
    **subplot_kw
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``sharex=True``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : Axes, numpy array of Axes, or None (no axes asked for)
    """
    import matplotlib.pyplot as plt

    use()
    named = {}
    if label is not None:
        plt.close(label)  # no-op without such a figure
        named["num"] = label
    if dpi is not None:
        named["dpi"] = dpi
    with contextlib.nullcontext() if show else plt.ioff():
        if nrows == 0:
            fig, axes = plt.figure(figsize=(width, height), layout=layout, **named), None
        else:
            fig, axes = plt.subplots(nrows, ncols, figsize=(width, height), layout=layout, **named, **subplot_kw)
    return prepare_canvas(fig), axes


def prepare_canvas(fig: Figure) -> Figure:
    """Hide ipympl's toolbar, header and footer (the toolbar icons load from an unreachable CDN).

    The page gets a full frame after every burst of frames (:mod:`dprk_figures.keyframes`).

    An ipympl canvas also draws only when its figure changed and encodes its frames faster
    (:mod:`dprk_internals.matplotlib_frames`, :mod:`dprk_internals.ipympl_frames`), unless ``DPRK_PLAIN=1``
    (:func:`dprk_internals.enabled`). Harmless for other canvases.

    Parameters
    ----------
    fig : matplotlib.figure.Figure

    Returns
    -------
    matplotlib.figure.Figure
        The same figure.
    """
    for attribute in ("toolbar_visible", "header_visible", "footer_visible", "resizable"):
        if hasattr(fig.canvas, attribute):
            setattr(fig.canvas, attribute, False)
    from dprk_figures.keyframes import keep_in_step

    keep_in_step(fig)  # a full frame after each burst: the page's figure ends as the kernel drew it
    import dprk_internals

    if dprk_internals.enabled():
        from dprk_internals.ipympl_frames import keep_frame_on_display
        from dprk_internals.matplotlib_frames import use_fast_frames

        if use_fast_frames(fig.canvas):
            keep_frame_on_display(fig.canvas)
    return fig


def redraw(fig: Figure) -> None:
    """Ask the canvas to redraw once the kernel is idle (no new figure, no flicker)."""
    fig.canvas.draw_idle()


def legend(ax: Axes, outside: bool = False, **options) -> None:
    """A legend in the suite's style: to the right of the axes with ``outside``, else where it fits best.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    outside : bool
        Place it beside the axes (for charts with many layers).
    **options
        Passed to :meth:`matplotlib.axes.Axes.legend`.
    """
    if outside:
        options = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), **options}
    ax.legend(**options)


# ---------------------------------------------------------------------------------------------- time axis
#: The projection marker's label, set as the axes' right-hand title (outside the plotting area).
PROJECTION_LABEL = "projection"


def mark_projection(ax: Axes, first_projection_year: int = FIRST_PROJECTION_YEAR, last_year: int = LAST_YEAR) -> None:
    """Shade the projection years and label history and projection: the one projection marker.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    first_projection_year, last_year : int
        The shaded span (default: the timeline's projection).
    """
    ax.axvspan(first_projection_year - 0.5, last_year + 0.5, color="#EEEEEE", zorder=0, lw=0)
    # Above the axes, never over the data: any line may run along the top (China's 98% of recorded trade).
    size = mpl.rcParams["xtick.labelsize"]  # as large as the ticks (an app's figure has larger text)
    size = max(MIN_TEXT_PT, size) if isinstance(size, int | float) else MIN_TEXT_PT
    ax.set_title(PROJECTION_LABEL, loc="right", fontsize=size, color="#555555")


def year_axis(ax: Axes, years: Sequence[int]) -> None:
    """Round years as x ticks over the span of ``years``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : sequence of int
        The years drawn.
    """
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(FixedLocator(tick_years()))


# ---------------------------------------------------------------------------------------------- value axes
def tick_usd(value: float, _position: object = None) -> str:
    """Format a USD tick: ``$1.5 bn``, ``$250 m``, ``0``; negative values with a minus sign."""
    if value == 0:
        return "0"
    sign = "−" if value < 0 else ""
    size = abs(value)
    return f"{sign}${size / 1e9:g} bn" if size >= 1e9 else f"{sign}${size / 1e6:g} m"


def tick_bbl(value: float, _position: object = None) -> str:
    """Format a barrels tick in millions: ``4 m``, ``0``."""
    return "0" if value == 0 else f"{value / 1e6:g} m"


def tick_count(value: float, _position: object = None) -> str:
    """Format a count tick: ``1.5 m``, ``20k``, ``300``."""
    size = abs(value)
    if value == 0:
        return "0"
    if size >= 1e6:
        return f"{value / 1e6:g} m"
    return f"{value / 1e3:g}k" if size >= 1e3 else f"{value:g}"


AXIS_FORMATS = {"usd": tick_usd, "bbl": tick_bbl, "count": tick_count}


def display_scale(unit: str) -> tuple[float, str]:
    """Divisor and axis label for charts drawn in display units (fans, tornado, exceedance).

    USD in billions, barrels in millions, fractions in percent, rounds and persons in thousands.

    Parameters
    ----------
    unit : str
        A registry or outcome unit (``USD/yr``, ``bbl/yr``, ``fraction``, ...).

    Returns
    -------
    scale : float
        Values are divided by it.
    label : str
        The axis label, e.g. ``bn USD/yr``.
    """
    if unit.startswith("USD"):
        return 1e9, "bn " + unit
    if unit.startswith("bbl"):
        return 1e6, "m " + unit
    if unit == "fraction":
        return 0.01, "%"
    if unit.startswith(("rounds", "persons")):
        return 1e3, "thousand " + unit
    return 1.0, unit


def value_axis(ax: Axes, unit: str) -> None:
    """Format the y ticks for a unit kind: ``usd``, ``bbl``, ``count`` or ``share``.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    unit : {"usd", "bbl", "count", "share"}
    """
    if unit == "share":
        share_axis(ax)
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(AXIS_FORMATS[unit]))


def usd_axis(ax: Axes) -> None:
    """Format a USD axis as ``$1.5 bn`` / ``$250 m``."""
    value_axis(ax, "usd")


def bbl_axis(ax: Axes) -> None:
    """Format a barrels axis in millions of barrels."""
    value_axis(ax, "bbl")


def count_axis(ax: Axes) -> None:
    """Format a count axis (``20k``, ``1.5 m``)."""
    value_axis(ax, "count")


def share_axis(ax: Axes) -> None:
    """Format a 0-1 share axis as percentages from 0 to 100%."""
    ax.set_ylim(0, 1.02)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.yaxis.set_major_locator(FixedLocator([0, 0.25, 0.5, 0.75, 1.0]))


# ---------------------------------------------------------------------------------------------- y limits
def _target_ylim(arrays: Sequence, include_zero: bool, pad: float) -> tuple[float, float] | None:
    values = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays]) if arrays else np.array([])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return None
    low, high = float(values.min()), float(values.max())
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    span = (high - low) or max(abs(high), 1.0)
    return (low - pad * span if low < 0 else low, high + pad * span)


def fit_ylim(ax: Axes, *arrays: Sequence[float], include_zero: bool = True, pad: float = 0.12) -> None:
    """Set y limits to cover ``arrays`` (NaN and inf ignored) with a margin: the one y-limit rule.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    *arrays : array-like
        Values drawn, in the axis's unit.
    include_zero : bool
        Keep zero in view (amounts and counts).
    pad : float
        Margin as a share of the data's span, above (and below when the data go negative).
    """
    target = _target_ylim(arrays, include_zero, pad)
    if target is not None:
        ax.set_ylim(*target)


def sticky_ylim(
    ax: Axes,
    *arrays: Sequence[float],
    include_zero: bool = True,
    pad: float = 0.12,
    min_fill: float = 0.4,
    headroom: float = 0.25,
    ladder: Sequence[float] | None = None,
) -> bool:
    """Like :func:`fit_ylim`, but keep the current limits while the data fit and fill ``min_fill`` of them.

    Stable axes let a viewer see a line move as a slider moves, and let a figure reuse its rendered
    background. When the limits must change, ``headroom`` (a share of the data's span) is added on each
    side away from zero, so that the next moves fit too; with a ``ladder`` (say ``(1, 2, 5)``) instead each
    limit away from zero goes out to the next value of the form ``m * 10**k``, ``m`` in the ladder, so
    that data growing step by step change the limits only at those values.

    Returns
    -------
    bool
        Whether the limits changed.
    """
    target = _target_ylim(arrays, include_zero, pad)
    if target is None:
        return False
    low, high = ax.get_ylim()
    data_low, data_high = target
    fits = low <= data_low and data_high <= high
    if fits and (data_high - data_low) >= min_fill * (high - low):
        return False
    span = data_high - data_low
    if ladder is None:
        low = data_low - headroom * span if data_low < 0 else data_low
        high = data_high + headroom * span if data_high > 0 else data_high
    else:  # the ladder's next value is the headroom (more would leave the data filling too little)
        low, high = data_low, data_high
        low = -_up_the_ladder(-low, ladder) if low < 0 else low
        high = _up_the_ladder(high, ladder) if high > 0 else high
    ax.set_ylim(low, high)
    return True


def _up_the_ladder(value: float, ladder: Sequence[float]) -> float:
    """The smallest ``m * 10**k`` (``m`` in ``ladder``, ``k`` an integer) not below ``value`` > 0."""
    exponent = np.floor(np.log10(value))
    for power in (exponent - 1, exponent, exponent + 1):
        for multiple in sorted(ladder):
            candidate = float(multiple * 10.0**power)
            if candidate >= value * (1 - 1e-12):
                return candidate
    return float(value)


# ---------------------------------------------------------------------------------------------- readability
def displayed_scale(fig: Figure) -> float:
    """How much the page shrinks ``fig``: 1 up to :data:`DISPLAY_WIDTH_IN`, less for wider figures."""
    return min(1.0, DISPLAY_WIDTH_IN / fig.get_figwidth())


def small_texts(fig: Figure, minimum: float = MIN_TEXT_PT) -> list[str]:
    """Visible texts of ``fig`` smaller than ``minimum`` points at the size the figure is shown.

    The figure is drawn first, so that tick labels exist as they will be shown.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    minimum : float
        Smallest readable size, points.

    Returns
    -------
    list of str
        ``"text" at N pt`` for each offender; empty when every text is readable.
    """
    from matplotlib.text import Text

    fig.draw_without_rendering()
    scale = displayed_scale(fig)
    found = []
    for text in fig.findobj(Text):
        if not text.get_visible() or not text.get_text().strip():
            continue
        size = text.get_fontsize() * scale
        if size < minimum - 1e-9:
            found.append(f"{text.get_text()!r} at {size:.1f} pt")
    return found


__all__ = [
    "APP_DPI",
    "APP_MIN_SCALE",
    "APP_TEXT_PT",
    "AXIS_FORMATS",
    "COLOURS",
    "DISPLAY_WIDTH_IN",
    "LAPTOP_MIN_CSS_PX",
    "MARKERS",
    "MIN_TEXT_PT",
    "PARTNER_COLOURS",
    "PARTNER_LABELS",
    "PARTNER_TINTS",
    "PAYMENT_COLOURS",
    "PROJECTOR_MIN_CSS_PX",
    "PROJECTOR_TEXT_PT",
    "TEAM_COLOURS",
    "app_rc",
    "bbl_axis",
    "count_axis",
    "display_scale",
    "displayed_scale",
    "fit_ylim",
    "keep_text_sizes",
    "legend",
    "mark_projection",
    "new_figure",
    "prepare_canvas",
    "redraw",
    "share_axis",
    "small_texts",
    "sticky_ylim",
    "tick_bbl",
    "tick_count",
    "tick_usd",
    "usd_axis",
    "value_axis",
    "year_axis",
]
