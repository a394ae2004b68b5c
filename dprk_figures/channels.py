"""Charts of the channel notebooks: oil (02), labour (03) and arms (04).

Every chart takes an ``ax`` (or several) and explicit arrays, as picked by :mod:`dprk_figures.views`,
creates its artists once and keeps the handles; ``chart.update(...)`` takes the same arrays again and
moves the artists in place, so one class draws the static figure, serves a slider callback and is
checked by tests. The stacked charts share one base, :class:`LayeredChart`: stacked bands, extra lines,
observed markers, the projection marker, a title, a legend and the suite's y-limit rule.

Values stay in base units inside the artists (USD/yr, bbl/yr, persons); only the tick labels are scaled
(:mod:`dprk_figures.style`), so tests compare artist data with model arrays directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes

from dprk_figures import style
from dprk_figures.views import ARMS_QUANTITIES, payment_layers
from model.formatting import format_bbl
from model.outcomes import PARTNERS, PAYMENT_FORMS
from model.timeline import FOCUS_YEAR, REPATRIATION_DEADLINE

#: Colours of the oil layers (bottom first): the partners' colours, tints for what is reported.
OIL_COLOURS = (
    "#8C3A00",
    style.PARTNER_TINTS["china"],
    style.PARTNER_TINTS["russia"],
    style.PARTNER_TINTS["other"],
    style.PARTNER_COLOURS["china"],
    style.PARTNER_COLOURS["russia"],
    style.PARTNER_COLOURS["other"],
)

Observed = Sequence[tuple[str, np.ndarray, np.ndarray]]


def draw_observed(ax: Axes, observed: Observed) -> None:
    """Draw observed points ``(label, years, values)`` as black markers, one marker shape per series."""
    for (label, x, y), marker in zip(observed, style.MARKERS, strict=False):
        ax.plot(x, y, linestyle="none", marker=marker, color=style.COLOURS["observed"], ms=6, label=label, zorder=5)


class StackedAreaChart:
    """Stacked bands (one per layer) that can be updated in place.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    x : array of shape (T,)
        Years.
    layers : mapping of str to array of shape (T,)
        Label and values of each band, bottom first, in the unit named by ``unit``.
    colours : sequence of str
        One colour per layer.
    unit : {"usd", "bbl", "count"}
        How the y tick labels are written.
    ylabel : str
        Label of the y axis, with its unit.

    Attributes
    ----------
    bands : dict of str to FillBetweenPolyCollection
        The band artists, by label.
    total : numpy.ndarray
        Top of the stack per year.
    """

    def __init__(self, ax: Axes, x, layers: Mapping[str, np.ndarray], colours, unit: str, ylabel: str):
        self.ax = ax
        self.x = np.asarray(x, dtype=float)
        self.labels = tuple(layers)
        zero = np.zeros_like(self.x)
        self.bands = {
            label: ax.fill_between(self.x, zero, zero, color=colour, alpha=0.9, linewidth=0, label=label)
            for label, colour in zip(self.labels, colours, strict=True)
        }
        style.year_axis(ax, self.x.astype(int))
        ax.set_ylabel(ylabel)
        style.value_axis(ax, unit)
        ax.grid(axis="y", alpha=0.3)
        self.update(layers)

    def update(self, layers: Mapping[str, np.ndarray]) -> None:
        """Redraw the bands with new values (same labels, same order)."""
        if tuple(layers) != self.labels:
            raise ValueError(f"expected layers {self.labels}, got {tuple(layers)}")
        bottom = np.zeros_like(self.x)
        for label in self.labels:
            top = bottom + np.asarray(layers[label], dtype=float)
            self.bands[label].set_data(self.x, bottom, top)
            bottom = top
        self.total = bottom

    def band_values(self, label: str) -> np.ndarray:
        """Thickness of one band per year (top minus bottom), read back from the artist."""
        vertices = self.bands[label].get_paths()[0].vertices
        n = self.x.size
        # fill_between's path runs along the bottom edge forwards, then the top edge backwards.
        bottom = vertices[1 : n + 1, 1]
        top = vertices[n + 2 : 2 * n + 2, 1][::-1]
        return top - bottom


class LayeredChart:
    """The shared base of the stacked channel charts: bands, extra lines, observations, marker, legend.

    Subclasses say what their layers and lines are; :meth:`update` moves bands and lines and refits the
    y axis with the one rule (:func:`dprk_figures.style.fit_ylim`).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    layers : mapping of str to array of shape (T,)
        Stacked bands, bottom first.
    colours : sequence of str
        One per layer.
    unit : {"usd", "bbl", "count"}
    ylabel, title : str
    lines : mapping of str to (array of shape (T,), dict)
        Extra lines by legend label: values and ``Line2D`` properties.
    observed : sequence of (label, years, values)
        Observed points (same unit); they do not change on update.

    Attributes
    ----------
    stack : StackedAreaChart
    lines : dict of str to matplotlib.lines.Line2D
    """

    def __init__(self, ax: Axes, years, layers, colours, unit, ylabel, title, lines=None, observed=()):
        self.ax = ax
        self.years = np.asarray(years)
        self.stack = StackedAreaChart(ax, years, layers, colours, unit, ylabel)
        self.lines = {}
        for label, (values, properties) in (lines or {}).items():
            (self.lines[label],) = ax.plot(years, values, label=label, **properties)
        draw_observed(ax, observed)
        self.decorate(ax)
        style.mark_projection(ax)
        ax.set_title(title)
        style.legend(ax, outside=True)
        self._rescale()

    def decorate(self, ax: Axes) -> None:
        """Add markers of a subclass (deadline, ceasefire); nothing by default."""

    def move(self, layers: Mapping[str, np.ndarray], lines: Mapping[str, np.ndarray] | None = None) -> None:
        """Move the bands and the extra lines to new values, then refit the y axis."""
        self.stack.update(layers)
        for label, values in (lines or {}).items():
            self.lines[label].set_ydata(values)
        self._rescale()

    def _rescale(self) -> None:
        style.fit_ylim(self.ax, self.stack.total, *(line.get_ydata() for line in self.lines.values()))


class OilSupplyChart(LayeredChart):
    """Oil supply by route and partner (stacked) against North Korea's need.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    layers : mapping of str to array of shape (T,)
        Supply by route, bottom first (bbl/yr), e.g. ``oil_series(results).layers``.
    need : array of shape (T,)
        Oil need (bbl/yr).
    observed : sequence of (label, years, values), optional
        Observed points (bbl/yr).
    """

    NEED = "Need"

    def __init__(self, ax: Axes, years, layers, need, observed=()):
        super().__init__(
            ax,
            years,
            layers,
            OIL_COLOURS,
            "bbl",
            "million barrels per year",
            "Oil reaching North Korea, by route, against its need",
            {self.NEED: (need, {"color": style.COLOURS["need"], "linestyle": "--", "linewidth": 2})},
            observed,
        )

    @property
    def need_line(self):
        """The need line (``Line2D``)."""
        return self.lines[self.NEED]

    def update(self, layers, need) -> None:
        """Redraw with new supply layers and need (bbl/yr)."""
        self.move(layers, {self.NEED: need})


class RefinedCapChart(LayeredChart):
    """Refined oil delivered (reported and illicit, stacked) against the UN refined-oil cap.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    reported : array of shape (T,)
        Reported (legal) refined deliveries, bbl/yr.
    illicit : mapping of partner to array of shape (T,)
        Illicit refined deliveries by partner (``china``, ``russia``, ``other``), bbl/yr.
    cap : array of shape (T,)
        Cap in force, bbl/yr (infinite or NaN where none applied; such years show no cap line).
    label_year : int
        Year whose leakage ratio (all refined / cap) is written on the chart.
    observed : sequence of (label, years, values), optional
        Observed points (bbl/yr).

    Attributes
    ----------
    ratio_text : matplotlib.text.Text
    """

    LABELS = (
        "Reported (legal)",
        "Ship-to-ship, Chinese waters",
        "Above the cap, via Russia",
        "Ship-to-ship, elsewhere",
    )
    CAP = "UN refined cap"

    def __init__(self, ax: Axes, years, reported, illicit, cap, label_year: int = FOCUS_YEAR, observed=()):
        self.label_year = label_year
        box = {"facecolor": "white", "alpha": 0.85, "linewidth": 0}
        self.ratio_text = ax.text(0.02, 0.9, "", transform=ax.transAxes, va="top", bbox=box, zorder=6)
        colours = ("#F5CBA7", *(style.PARTNER_COLOURS[p] for p in PARTNERS))
        cap_style = {"color": style.COLOURS["cap"], "linewidth": 2.5, "drawstyle": "steps-mid"}
        super().__init__(
            ax,
            years,
            self._layers(reported, illicit),
            colours,
            "bbl",
            "million barrels per year",
            "Refined oil delivered against the UN cap",
            {self.CAP: (self._cap(cap), cap_style)},
            observed,
        )
        self._label()

    @property
    def cap_line(self):
        """The cap line (``Line2D``)."""
        return self.lines[self.CAP]

    def _layers(self, reported, illicit):
        return dict(zip(self.LABELS, (reported, illicit["china"], illicit["russia"], illicit["other"]), strict=True))

    @staticmethod
    def _cap(cap):
        cap = np.asarray(cap, dtype=float)
        return np.where(np.isfinite(cap), cap, np.nan)

    def update(self, reported, illicit, cap) -> None:
        """Redraw with new deliveries and cap (bbl/yr)."""
        self.move(self._layers(reported, illicit), {self.CAP: self._cap(cap)})
        self._label()

    def _label(self) -> None:
        capped = np.asarray(self.cap_line.get_ydata(), dtype=float)
        t = int(np.flatnonzero(self.years == self.label_year)[0])
        if np.isfinite(capped[t]) and capped[t] > 0:
            ratio = self.stack.total[t] / capped[t]
            text = f"{self.label_year}: {format_bbl(self.stack.total[t])} of refined oil = {ratio:.1f} × the cap"
        else:
            text = f"{self.label_year}: no cap in force"
        self.ratio_text.set_text(text)


def _deadline_marker(ax: Axes) -> None:
    """The UN deadline for sending every worker home (resolution 2397)."""
    ax.axvline(REPATRIATION_DEADLINE, color=style.COLOURS["deadline"], linewidth=1.2, linestyle="-.")
    where = ax.get_xaxis_transform()
    box = {"facecolor": "white", "alpha": 0.85, "linewidth": 0, "pad": 2}
    ax.text(REPATRIATION_DEADLINE + 0.2, 0.03, "repatriation\ndeadline", transform=where, va="bottom", bbox=box)


class WorkersChart(LayeredChart):
    """Workers abroad by host country (stacked), IT workers as a line, and the repatriation deadline.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    workers : mapping of str to array of shape (T,)
        Workers by host (persons), bottom first, e.g. ``labour_series(results).workers``.
    it_workers : array of shape (T,)
        IT workers abroad (persons).
    observed : sequence of (label, years, values), optional
        Observed head counts (persons).
    """

    IT = "IT workers (all hosts)"

    def __init__(self, ax: Axes, years, workers, it_workers, observed=()):
        super().__init__(
            ax,
            years,
            workers,
            [style.PARTNER_COLOURS[p] for p in PARTNERS],
            "count",
            "workers abroad (persons)",
            "North Korean workers abroad, by host",
            {self.IT: (it_workers, {"color": style.COLOURS["it_workers"], "linewidth": 2.5})},
            observed,
        )

    @property
    def it_line(self):
        """The IT-workers line (``Line2D``)."""
        return self.lines[self.IT]

    def decorate(self, ax: Axes) -> None:
        """Mark the repatriation deadline."""
        _deadline_marker(ax)

    def update(self, workers, it_workers) -> None:
        """Redraw with new head counts (persons)."""
        self.move(workers, {self.IT: it_workers})


def _ceasefire_line(ax: Axes):
    return ax.axvline(np.nan, color=style.COLOURS["ceasefire"], linewidth=2, linestyle="--", label="Ceasefire")


def _move_ceasefire(line, ceasefire_year, years) -> None:
    """Put the ceasefire line at the start of the ceasefire year, or hide it beyond the horizon."""
    visible = ceasefire_year is not None and ceasefire_year <= years[-1]
    x = (ceasefire_year - 0.5) if visible else np.nan
    line.set_xdata([x, x])
    line.set_visible(visible)


class RevenueChart(LayeredChart):
    """Hard currency earned per year, stacked by source, optionally with a marker.

    Used for the state's labour earnings (by host, plus IT workers) and for Russia's payment for arms
    and troops (by form: cash, oil, food, technology).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    layers : mapping of str to array of shape (T,)
        USD/yr per source, bottom first.
    colours : sequence of str
    title : str
    marker : {"deadline", "ceasefire", None}
        Draw the repatriation deadline, or a ceasefire line that moves with :meth:`update`.
    ceasefire_year : int, optional
        First year of peace (with ``marker="ceasefire"``); a year after the last shown hides the line.

    Attributes
    ----------
    ceasefire_line : matplotlib.lines.Line2D or None
    """

    def __init__(self, ax: Axes, years, layers, colours, title: str, marker=None, ceasefire_year=None):
        self.marker, self.ceasefire_line = marker, None
        super().__init__(ax, years, layers, colours, "usd", "US dollars per year", title)
        self.update(layers, ceasefire_year)

    def decorate(self, ax: Axes) -> None:
        """Mark the deadline, or make the ceasefire line."""
        if self.marker == "deadline":
            _deadline_marker(ax)
        elif self.marker == "ceasefire":
            self.ceasefire_line = _ceasefire_line(ax)

    def update(self, layers, ceasefire_year=None) -> None:
        """Redraw with new values (USD/yr) and, for a ceasefire chart, a new ceasefire year."""
        self.move(layers)
        if self.ceasefire_line is not None:
            _move_ceasefire(self.ceasefire_line, ceasefire_year, self.years)


class ArmsQuantitiesChart:
    """Four small panels: containers, rounds, missiles and troops per year, with a ceasefire line.

    Parameters
    ----------
    axes : sequence of four matplotlib.axes.Axes
    years : array of shape (T,)
    quantities : mapping with keys ``containers``, ``rounds``, ``missiles``, ``troops``
        Arrays of shape (T,), in the units of :data:`dprk_figures.views.ARMS_QUANTITIES`.
    ceasefire_year : int, optional
        First year of peace; a year after the last shown hides the line.
    observed : mapping of quantity key to sequence of (label, years, values), optional
        Observed points per panel.

    Attributes
    ----------
    lines : dict of str to matplotlib.lines.Line2D
    ceasefire_lines : list of matplotlib.lines.Line2D
    """

    def __init__(self, axes, years, quantities, ceasefire_year=None, observed=None):
        axes = list(np.ravel(axes))
        if len(axes) != len(ARMS_QUANTITIES):
            raise ValueError(f"need {len(ARMS_QUANTITIES)} axes, got {len(axes)}")
        self.years = np.asarray(years)
        self.axes = dict(zip((k for k, _, _ in ARMS_QUANTITIES), axes, strict=True))
        self.lines = {}
        self.ceasefire_lines = []
        observed = observed or {}
        for key, title, unit in ARMS_QUANTITIES:
            ax = self.axes[key]
            (self.lines[key],) = ax.plot(years, quantities[key], color=style.PARTNER_COLOURS["russia"], linewidth=2.5)
            draw_observed(ax, observed.get(key, ()))
            self.ceasefire_lines.append(_ceasefire_line(ax))
            style.mark_projection(ax)
            ax.set_title(title)
            ax.set_ylabel(unit)
            style.year_axis(ax, self.years)
            style.count_axis(ax)
            ax.grid(axis="y", alpha=0.3)
            if observed.get(key):
                style.legend(ax, loc="upper left")
        self.update(quantities, ceasefire_year)

    def update(self, quantities, ceasefire_year=None) -> None:
        """Redraw with new quantities and ceasefire year."""
        for key, line in self.lines.items():
            values = np.asarray(quantities[key], dtype=float)
            line.set_ydata(values)
            style.fit_ylim(self.axes[key], values)
        for line in self.ceasefire_lines:
            _move_ceasefire(line, ceasefire_year, self.years)


def payment_chart(ax: Axes, years, payment, ceasefire_year=None) -> RevenueChart:
    """Russia's payment for munitions, missiles and troops, stacked by form (USD/yr).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    payment : mapping with keys ``cash``, ``oil``, ``food``, ``technology``
        USD/yr, e.g. ``arms_series(results).payment``.
    ceasefire_year : int, optional

    Returns
    -------
    RevenueChart
        Update it with ``chart.update(payment_layers(payment), ceasefire_year)``.
    """
    return RevenueChart(
        ax,
        years,
        payment_layers(payment),
        [style.PAYMENT_COLOURS[f] for f in PAYMENT_FORMS],
        "What Russia pays for arms and troops, by form",
        marker="ceasefire",
        ceasefire_year=ceasefire_year,
    )


def labour_revenue_chart(ax: Axes, years, revenue) -> RevenueChart:
    """What the state earns from workers abroad, stacked by host, plus IT workers (USD/yr).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    revenue : mapping of str to array of shape (T,)
        E.g. ``labour_series(results).revenue``.

    Returns
    -------
    RevenueChart
        Update it with ``chart.update(revenue)``.
    """
    colours = [style.PARTNER_COLOURS[p] for p in PARTNERS] + [style.COLOURS["it_workers"]]
    return RevenueChart(ax, years, revenue, colours, "What the state earns from its workers abroad", marker="deadline")


__all__ = [
    "OIL_COLOURS",
    "ArmsQuantitiesChart",
    "LayeredChart",
    "OilSupplyChart",
    "RefinedCapChart",
    "RevenueChart",
    "StackedAreaChart",
    "WorkersChart",
    "draw_observed",
    "labour_revenue_chart",
    "payment_chart",
]
