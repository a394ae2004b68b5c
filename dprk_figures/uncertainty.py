"""Plots of uncertainty: fan charts, tornado, Sobol' bars, scenario-discovery boxes, small multiples.

Each helper draws on an ``ax`` (or a figure) from explicit results of :mod:`model.uncertainty`.
:class:`FanChart` and :class:`TornadoChart` create their artists once and update them in place, so a
slider callback only moves data and asks for one redraw.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.patches import Rectangle

from dprk_figures import style
from model import registry
from model.timeline import FIRST_PROJECTION_YEAR

BAND_ALPHA = {0.9: 0.18, 0.5: 0.38}


class FanChart:
    """Median line with 50% and 90% bands over the years, optionally over a baseline's fan.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    fan : model.uncertainty.Fan
        The scenario's quantiles (levels 0.05, 0.25, 0.5, 0.75, 0.95).
    baseline : model.uncertainty.Fan, optional
        Drawn as a dashed median and dotted 90% edges, so both fans stay readable on the same axes.
    color : str
    label, baseline_label : str
        Legend texts.
    legend : bool, "outside" or "below"
        Draw a legend, inside the axes (``True``), beside them (``"outside"``) or under them (``"below"``).

    Attributes
    ----------
    bands : dict of float to FillBetweenPolyCollection
        The 90% and 50% bands; ``set_data`` moves them.
    median, base_median, base_low, base_high : matplotlib.lines.Line2D
    """

    def __init__(
        self,
        ax,
        fan,
        baseline=None,
        color: str = style.COLOURS["scenario"],
        label: str = "scenario",
        baseline_label: str = "baseline",
        legend: bool | str = True,
    ) -> None:
        self.ax = ax
        self.scale, unit_label = style.display_scale(fan.quantity.unit)
        years = fan.years
        style.mark_projection(ax, FIRST_PROJECTION_YEAR, int(years[-1]))
        self.bands = {
            width: ax.fill_between(
                years,
                *self._edges(fan, width),
                color=color,
                alpha=alpha,
                lw=0,
                label=f"{label}: middle {width:.0%} of worlds",
            )
            for width, alpha in BAND_ALPHA.items()
        }
        (self.median,) = ax.plot(years, fan.median / self.scale, color=color, lw=2, label=f"{label}: median")
        self.base_median = self.base_low = self.base_high = None
        if baseline is not None:
            line_style = {"color": "0.25", "lw": 1.2}
            (self.base_median,) = ax.plot(
                years, baseline.median / self.scale, ls="--", label=f"{baseline_label}: median", **line_style
            )
            low, high = self._edges(baseline, 0.9)
            (self.base_low,) = ax.plot(years, low, ls=":", label=f"{baseline_label}: middle 90%", **line_style)
            (self.base_high,) = ax.plot(years, high, ls=":", **line_style)
        self.year_line = ax.axvline(years[-1], color="0.5", lw=0.8, visible=False)
        ax.set_ylabel(unit_label)
        ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        self.title = ax.set_title(fan.quantity.label, loc="left")  # the projection's label is on the right
        if legend == "below":  # under the axes, in two columns (a wide figure with large text)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2)
        elif legend:  # beside the axes, where it hides no band
            style.legend(ax, outside=legend == "outside", loc="upper left")
        self._rescale(fan, baseline)

    def _edges(self, fan, width: float) -> tuple[np.ndarray, np.ndarray]:
        low, high = fan.band(width)
        return low / self.scale, high / self.scale

    def update(self, fan, baseline=None) -> None:
        """Move the artists to new quantiles (same years; any quantity); the baseline's too if given."""
        years = fan.years
        self.scale, unit_label = style.display_scale(fan.quantity.unit)
        self.ax.yaxis.label.set_text(unit_label)  # the texts keep the sizes they were made with
        for width, band in self.bands.items():
            band.set_data(years, *self._edges(fan, width))
        self.median.set_data(years, fan.median / self.scale)
        if baseline is not None and self.base_median is not None:
            self.base_median.set_data(years, baseline.median / self.scale)
            low, high = self._edges(baseline, 0.9)
            self.base_low.set_data(years, low)
            self.base_high.set_data(years, high)
        self.title.set_text(fan.quantity.label)
        self._rescale(fan, baseline)

    def set_year(self, year: int | None) -> None:
        """Mark a year with a vertical line (``None`` hides it)."""
        if year is None:
            self.year_line.set_visible(False)
        else:
            self.year_line.set_xdata([year, year])
            self.year_line.set_visible(True)

    def _rescale(self, fan, baseline) -> None:
        # Sticky: the axis stays while the fans fit and fill 40% of it, so a lever move rarely re-renders text.
        values = [fan.values] + ([baseline.values] if baseline is not None else [])
        style.sticky_ylim(self.ax, *(v / self.scale for v in values), pad=0.06)


class TornadoChart:
    """Horizontal bars: the outcome's change when each uncertainty alone goes to its low or high bound.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    tornado : model.uncertainty.Tornado
        Its ``unit`` sets the axis scale.
    bars : int
        Number of uncertainties shown (largest swings).
    """

    def __init__(self, ax, tornado, bars: int = 10) -> None:
        self.ax, self.bars = ax, bars
        positions = np.arange(bars)[::-1]
        zeros = np.zeros(bars)
        self.low_bars = ax.barh(positions, zeros, color=style.COLOURS["low"], label="assumption at its low end")
        self.high_bars = ax.barh(positions, zeros, color=style.COLOURS["high"], label="at its high end")
        self.centre_line = ax.axvline(0, color="0.2", lw=1)
        ax.set_yticks(positions)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, frameon=False)
        self.update(tornado)

    def update(self, tornado) -> None:
        """Show another tornado (any outcome)."""
        self.scale, unit_label = style.display_scale(tornado.unit)
        self.ax.xaxis.label.set_text(f"{tornado.label} ({unit_label})" if tornado.label else unit_label)
        shown = tornado.top(self.bars)
        count = len(shown.names)
        centre = shown.centre / self.scale
        for i in range(self.bars):
            for bars, values in ((self.low_bars, shown.low), (self.high_bars, shown.high)):
                value = values[i] / self.scale if i < count else centre
                bars[i].set_x(min(centre, value))
                bars[i].set_width(abs(value - centre))
        labels = tuple(_shorten(registry.factor_title(n)) for n in shown.names) + ("",) * (self.bars - count)
        if labels != getattr(self, "labels", None):  # new tick texts only when the ranking changes
            self.ax.set_yticklabels(labels)
        self.labels = labels
        self.centre_line.set_xdata([centre, centre])
        edges = np.concatenate([shown.low, shown.high, [shown.centre]]) / self.scale
        span = float(edges.max() - edges.min()) or max(abs(centre), 1.0) * 0.1
        low, high = edges.min() - 0.05 * span, edges.max() + 0.05 * span
        # Sticky like the fan's axis: kept while the bars fit and fill half of it (new limits add 10% room).
        current_low, current_high = self.ax.get_xlim()
        fits = current_low <= low and high <= current_high
        if self.ax.get_autoscalex_on() or not fits or (high - low) < 0.5 * (current_high - current_low):
            self.ax.set_xlim(low - 0.1 * span, high + 0.1 * span)


def _shorten(text: str, width: int = 36) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def sobol_bars(ax, indices, top: int = 10) -> None:
    """First-order and total Sobol' indices with their confidence intervals, largest total first."""
    order = indices.ranked()[:top]
    positions = np.arange(len(order))[::-1]
    bars = (
        (0.2, indices.total, indices.total_conf, "high", "total (with interactions)"),
        (-0.2, indices.first, indices.first_conf, "low", "first order (alone)"),
    )
    for offset, values, conf, colour, label in bars:
        ax.barh(
            positions + offset,
            values[order],
            height=0.4,
            xerr=conf[order],
            color=style.COLOURS[colour],
            label=label,
            error_kw={"lw": 0.8},
        )
    ax.set_yticks(positions, [_shorten(registry.factor_title(indices.names[i])) for i in order])
    ax.set_xlim(0, 1.05)
    ax.set_xlabel(f"share of the outcome's variance ({indices.conf_level:.0%} intervals, N = {indices.n_base})")
    ax.legend(loc="lower right", frameon=False)


def discovery_scatter(
    ax, draws: np.ndarray, names: Sequence[str], bad: np.ndarray, box, max_points: int = 4000
) -> None:
    """The two inputs of a PRIM box that matter most, each world a dot (bad ones in red), the box drawn.

    Uses the box's first two restricted inputs (the first input twice if it has only one).
    """
    chosen = list(box.limits)[:2] or list(names)[:2]
    if len(chosen) == 1:
        others = [n for n in names if n != chosen[0]]
        chosen.append(others[0])
    columns = [list(names).index(n) for n in chosen]
    step = max(1, draws.shape[0] // max_points)  # thin the cloud: enough dots to see the pattern
    scales = [style.display_scale(registry.get(n).unit) for n in chosen]
    x, y = (draws[::step, c] / s for c, (s, _) in zip(columns, scales, strict=True))
    flag = bad[::step]
    ax.scatter(x[~flag], y[~flag], s=4, color="0.7", label="other worlds", rasterized=True)
    ax.scatter(x[flag], y[flag], s=6, color=style.COLOURS["hit"], label="outcome happens", rasterized=True)
    lows, highs = [], []
    for name, column, (scale, _) in zip(chosen, (x, y), scales, strict=True):
        low, high = box.limits.get(name, (-np.inf, np.inf))
        lows.append(max(low / scale, float(column.min())))
        highs.append(min(high / scale, float(column.max())))
    ax.add_patch(
        Rectangle(
            (lows[0], lows[1]), highs[0] - lows[0], highs[1] - lows[1], fill=False, lw=1.5, ec="k", label="PRIM box"
        )
    )
    for setter, name, (_, unit_label) in zip((ax.set_xlabel, ax.set_ylabel), chosen, scales, strict=True):
        setter(f"{_shorten(registry.get(name).title, 36)} ({unit_label})")
    ax.legend(loc="best", frameon=True)


def small_multiples(fig, fans: Mapping[str, object], titles: Mapping[str, str], baseline: str, columns: int = 3):
    """One fan chart per scenario, the baseline's median and 90% edges in each, shared axes.

    Returns
    -------
    list of FanChart
        In the order of ``fans``.
    """
    names = list(fans)
    rows = -(-len(names) // columns)
    axes = fig.subplots(rows, columns, sharex=True, sharey=True, squeeze=False).ravel()
    charts = []
    for i, (ax, name) in enumerate(zip(axes, names, strict=False)):
        reference = None if name == baseline else fans[baseline]
        charts.append(FanChart(ax, fans[name], reference, label=name, legend=i == 0))
        ax.set_title(_shorten(titles[name].split(":")[0], 30))  # the preset's name, short enough for a panel
    for ax in axes[len(names) :]:
        ax.set_visible(False)
    return charts


def exceedance(ax, values: np.ndarray, threshold: float, unit: str, label: str = "") -> None:
    """Share of worlds above each level (a falling curve), with the chosen threshold marked."""
    scale, unit_label = style.display_scale(unit)
    levels = np.sort(np.asarray(values, dtype=float)) / scale
    share = 1.0 - np.arange(1, levels.size + 1) / levels.size
    ax.step(levels, share, where="post", color=style.COLOURS["scenario"], label=label or None)
    p = float(np.mean(np.asarray(values) > threshold))
    ax.axvline(threshold / scale, color=style.COLOURS["hit"], lw=1)
    ax.plot([threshold / scale], [p], "o", color=style.COLOURS["hit"])
    ax.annotate(f"{p:.0%} of worlds above", (threshold / scale, p), xytext=(6, 6), textcoords="offset points")
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(unit_label)
    ax.set_ylabel("share of worlds above")
