"""Plot helpers for the channel notebooks: oil (02), labour (03) and arms (04).

Two kinds of function live here:

* *series* functions (:func:`oil_series`, :func:`labour_series`, :func:`arms_series`) pick the arrays a
  figure needs out of :class:`model.Results` for one draw, with labels. They do no modelling.
* *chart* classes take an ``ax`` (or several) and explicit arrays, create their artists once and keep
  the handles. ``chart.update(...)`` takes the same arrays again and changes the artists in place,
  so one helper draws the static figure, serves a slider callback and is checked by tests.

Values stay in base units inside the artists (USD/yr, bbl/yr, persons); only the tick labels are
scaled, so tests can compare artist data with model arrays directly.

This module imports matplotlib; ``import model`` does not import it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from model.episodes import FIRST_PROJECTION_YEAR
from model.formatting import format_bbl, format_count, format_usd
from model.params import Params
from model.results import HARD_CURRENCY_CHANNELS, OIL_ROUTES, PARTNERS, PAYMENT_FORMS, Results

# Colours: China red, Russia blue, third parties grey, as in the rest of the suite.
PARTNER_COLOURS = {"china": "#c0392b", "russia": "#2c5aa0", "other": "#8c8c8c"}
PAYMENT_COLOURS = {"cash": "#2e7d32", "oil": "#5d4037", "food": "#f9a825", "technology": "#6a1b9a"}
NEED_COLOUR = "black"
CAP_COLOUR = "#e67e22"

# The UN deadline for sending all workers home (resolution 2397): 22 December 2019, as a decimal year.
REPATRIATION_DEADLINE = 2019 + 356 / 365

# ---------------------------------------------------------------------------------------------- numbers


def _usd_axis(value, _position=None) -> str:
    if value == 0:
        return "0"
    return f"${value / 1e9:g} bn" if abs(value) >= 1e9 else f"${value / 1e6:g} m"


def _bbl_axis(value, _position=None) -> str:
    return "0" if value == 0 else f"{value / 1e6:g} m"


def _count_axis(value, _position=None) -> str:
    if value == 0:
        return "0"
    return f"{value / 1e6:g} m" if abs(value) >= 1e6 else f"{value / 1e3:g}k" if abs(value) >= 1e3 else f"{value:g}"


AXIS_FORMATS: dict[str, Callable] = {"usd": _usd_axis, "bbl": _bbl_axis, "count": _count_axis}

# ---------------------------------------------------------------------------------------------- figures


def new_figure(
    nrows: int = 1, ncols: int = 1, width: float = 9.0, height: float = 4.0, show: bool = True, **subplot_kw
):
    """A figure with a constrained layout for the notebooks.

    Notebooks pass it to :func:`model.ui.prepare_figure`, which hides ipympl's toolbar.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes.
    width, height : float
        Figure size in inches.
    show : bool
        With ``False`` the figure is not displayed where it is made (interactive backends), so a
        notebook can place ``fig.canvas`` inside its own layout of controls.
    **subplot_kw
        Passed to :func:`matplotlib.pyplot.subplots` (e.g. ``sharex=True``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : Axes or numpy array of Axes
    """
    import contextlib

    import matplotlib.pyplot as plt

    with contextlib.nullcontext() if show else plt.ioff():
        return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **subplot_kw)


def redraw(fig: Figure) -> None:
    """Ask the canvas to redraw once the kernel is idle (no new figure, no flicker)."""
    fig.canvas.draw_idle()


def _mark_projection(ax: Axes, first_projection_year: int = FIRST_PROJECTION_YEAR) -> None:
    """Shade nothing, but draw a thin line where history ends and the scenario begins."""
    ax.axvline(first_projection_year - 0.5, color="0.6", linewidth=0.8, linestyle=":", zorder=0)
    ax.text(
        first_projection_year - 0.4,
        1.0,
        "scenario →",
        transform=ax.get_xaxis_transform(),
        fontsize=8,
        color="0.4",
        va="top",
        ha="left",
    )
    ax.text(
        first_projection_year - 0.6,
        1.0,
        "← history",
        transform=ax.get_xaxis_transform(),
        fontsize=8,
        color="0.4",
        va="top",
        ha="right",
    )


def _nice_top(values: Sequence[np.ndarray], floor: float = 1.0) -> float:
    """Upper y limit: the largest finite value plus headroom for the labels."""
    finite = [np.max(v[np.isfinite(v)]) for v in values if np.any(np.isfinite(v))]
    top = max(finite) if finite else 0.0
    return max(top * 1.12, floor)


# ---------------------------------------------------------------------------------------------- generic


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
        How the y tick labels are written (USD, millions of barrels, or a count).
    ylabel : str
        Label of the y axis, with its unit.

    Attributes
    ----------
    bands : dict of str to FillBetweenPolyCollection
        The band artists, by label.
    """

    def __init__(self, ax: Axes, x, layers: Mapping[str, np.ndarray], colours, unit: str, ylabel: str):
        self.ax = ax
        self.x = np.asarray(x, dtype=float)
        self.labels = tuple(layers)
        zero = np.zeros_like(self.x)
        self.bands = {
            label: ax.fill_between(self.x, zero, zero, color=colour, alpha=0.85, linewidth=0, label=label)
            for label, colour in zip(self.labels, colours, strict=True)
        }
        ax.set_xlim(self.x[0], self.x[-1])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylabel(ylabel)
        ax.yaxis.set_major_formatter(FuncFormatter(AXIS_FORMATS[unit]))
        ax.grid(axis="y", alpha=0.3)
        self.update(layers)

    def update(self, layers: Mapping[str, np.ndarray]) -> None:
        """Redraw the bands with new values (same labels, same order).

        Parameters
        ----------
        layers : mapping of str to array of shape (T,)
            New values, in the chart's unit.
        """
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


# ---------------------------------------------------------------------------------------------- oil

OIL_LAYERS = (
    ("pipeline_crude", "china", "Pipeline crude from China"),
    ("reported_refined", "china", "Reported refined, China"),
    ("reported_refined", "russia", "Reported refined, Russia"),
    ("reported_refined", "other", "Legal refined, other suppliers (before the cap)"),
    ("illicit_refined", "china", "Ship-to-ship, Chinese waters"),
    ("illicit_refined", "russia", "Above the cap, via Russia"),
    ("illicit_refined", "other", "Ship-to-ship, elsewhere"),
)
OIL_COLOURS = ("#7b241c", "#e6b0aa", "#aec6e8", "#d9d9d9", "#c0392b", "#2c5aa0", "#8c8c8c")


@dataclass(frozen=True)
class OilSeries:
    """Oil arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    layers : dict of str to array
        Supply by route and partner (bbl/yr), labelled as in :data:`OIL_LAYERS`, bottom first.
    need : array
        Oil need (bbl/yr).
    refined_cap : array
        The refined-oil cap in force (bbl/yr); infinite before the cap applied (2013-2017).
    reported : array
        Reported (legal) refined deliveries, all partners (bbl/yr).
    illicit : dict of str to array
        Illicit refined deliveries by partner (bbl/yr).
    leakage : array
        All refined deliveries divided by the cap (x cap); 0 where no cap applied.
    """

    years: np.ndarray
    layers: dict[str, np.ndarray]
    need: np.ndarray
    refined_cap: np.ndarray
    reported: np.ndarray
    illicit: dict[str, np.ndarray]
    leakage: np.ndarray

    @property
    def supply(self) -> np.ndarray:
        """All oil supplied (bbl/yr)."""
        return sum(self.layers.values())

    def at(self, year: int) -> dict[str, float]:
        """Headline oil numbers for one year (bbl/yr, and x cap for the leakage)."""
        t = int(np.flatnonzero(self.years == year)[0])
        return {
            "supply_bbl": float(self.supply[t]),
            "need_bbl": float(self.need[t]),
            "pipeline_bbl": float(self.layers[OIL_LAYERS[0][2]][t]),
            "reported_bbl": float(self.reported[t]),
            "illicit_china_bbl": float(self.illicit["china"][t]),
            "illicit_russia_bbl": float(self.illicit["russia"][t]),
            "illicit_other_bbl": float(self.illicit["other"][t]),
            "leakage_x_cap": float(self.leakage[t]),
        }


def oil_series(results: Results, draw: int = 0) -> OilSeries:
    """Pick the oil arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
        Output of :func:`model.simulate`.
    draw : int
        Which draw (0 for a single scenario).

    Returns
    -------
    OilSeries
    """
    supply = results.oil_supply_bbl[draw]  # (T, route, partner)
    layers = {
        label: np.array(supply[:, OIL_ROUTES.index(route), PARTNERS.index(partner)])
        for route, partner, label in OIL_LAYERS
    }
    illicit = {p: np.array(supply[:, OIL_ROUTES.index("illicit_refined"), k]) for k, p in enumerate(PARTNERS)}
    cap = np.array(results.refined_cap_bbl[draw])
    leakage = np.where(np.isfinite(cap), results.oil_cap_leakage_ratio[draw], 0.0)
    return OilSeries(
        years=np.asarray(results.years),
        layers=layers,
        need=np.array(results.oil_need_bbl[draw]),
        refined_cap=cap,
        reported=np.array(supply[:, OIL_ROUTES.index("reported_refined")].sum(axis=1)),
        illicit=illicit,
        leakage=np.array(leakage),
    )


class OilSupplyChart:
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
        Observed points (bbl/yr) drawn as markers; they do not change on update.

    Attributes
    ----------
    stack : StackedAreaChart
    need_line : matplotlib.lines.Line2D
    """

    def __init__(self, ax: Axes, years, layers, need, observed=()):
        self.ax = ax
        self.stack = StackedAreaChart(ax, years, layers, OIL_COLOURS, "bbl", "million barrels per year")
        (self.need_line,) = ax.plot(years, need, color=NEED_COLOUR, linestyle="--", linewidth=1.6, label="Need")
        for (label, x, y), marker in zip(observed, ("o", "s", "^", "D"), strict=False):
            ax.plot(x, y, linestyle="none", marker=marker, color="black", markersize=5, label=label, zorder=5)
        _mark_projection(ax)
        ax.set_title("Oil reaching North Korea, by route, against its need")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        self.update(layers, need)

    def update(self, layers, need) -> None:
        """Redraw with new supply layers and need (bbl/yr)."""
        self.stack.update(layers)
        self.need_line.set_ydata(need)
        self.ax.set_ylim(0, _nice_top([self.stack.total, np.asarray(need, dtype=float)]))


class RefinedCapChart:
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
    stack : StackedAreaChart
    cap_line : matplotlib.lines.Line2D
    ratio_text : matplotlib.text.Text
    """

    LABELS = (
        "Reported (legal)",
        "Ship-to-ship, Chinese waters",
        "Above the cap, via Russia",
        "Ship-to-ship, elsewhere",
    )

    def __init__(self, ax: Axes, years, reported, illicit, cap, label_year: int = 2030, observed=()):
        self.ax = ax
        self.years = np.asarray(years)
        self.label_year = label_year
        colours = ("#f5cba7", PARTNER_COLOURS["china"], PARTNER_COLOURS["russia"], PARTNER_COLOURS["other"])
        self.stack = StackedAreaChart(
            ax, years, self._layers(reported, illicit), colours, "bbl", "million barrels per year"
        )
        (self.cap_line,) = ax.plot(
            years, self._cap(cap), color=CAP_COLOUR, linewidth=2.2, drawstyle="steps-mid", label="UN refined cap"
        )
        for (label, x, y), marker in zip(observed, ("o", "s", "^", "D"), strict=False):
            ax.plot(x, y, linestyle="none", marker=marker, color="black", markersize=5, label=label, zorder=5)
        self.ratio_text = ax.text(0.02, 0.95, "", transform=ax.transAxes, va="top", fontsize=9)
        _mark_projection(ax)
        ax.set_title("Refined oil delivered against the UN cap")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        self.update(reported, illicit, cap)

    def _layers(self, reported, illicit):
        return dict(zip(self.LABELS, (reported, illicit["china"], illicit["russia"], illicit["other"]), strict=True))

    @staticmethod
    def _cap(cap):
        cap = np.asarray(cap, dtype=float)
        return np.where(np.isfinite(cap), cap, np.nan)

    def update(self, reported, illicit, cap) -> None:
        """Redraw with new deliveries and cap (bbl/yr)."""
        self.stack.update(self._layers(reported, illicit))
        capped = self._cap(cap)
        self.cap_line.set_ydata(capped)
        t = int(np.flatnonzero(self.years == self.label_year)[0])
        if np.isfinite(capped[t]) and capped[t] > 0:
            ratio = self.stack.total[t] / capped[t]
            self.ratio_text.set_text(
                f"{self.label_year}: {format_bbl(self.stack.total[t])} of refined oil = {ratio:.1f} × the cap"
            )
        else:
            self.ratio_text.set_text(f"{self.label_year}: no cap in force")
        self.ax.set_ylim(0, _nice_top([self.stack.total, capped]))


# ---------------------------------------------------------------------------------------------- labour

HOST_LABELS = {"china": "In China", "russia": "In Russia", "other": "Elsewhere"}


@dataclass(frozen=True)
class LabourSeries:
    """Labour arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    workers : dict of str to array
        Workers abroad by host (persons), labelled as in :data:`HOST_LABELS`; IT workers not included.
    it_workers : array
        IT workers abroad under false identities (persons).
    revenue : dict of str to array
        What the state earns (USD/yr): workers by host, then IT workers (label ``IT workers``).
    """

    years: np.ndarray
    workers: dict[str, np.ndarray]
    it_workers: np.ndarray
    revenue: dict[str, np.ndarray]

    def at(self, year: int) -> dict[str, float]:
        """Headline labour numbers for one year (persons and USD/yr)."""
        t = int(np.flatnonzero(self.years == year)[0])
        out = {f"workers_{p}": float(self.workers[HOST_LABELS[p]][t]) for p in PARTNERS}
        out["it_workers"] = float(self.it_workers[t])
        out |= {f"revenue_{p}_usd": float(self.revenue[HOST_LABELS[p]][t]) for p in PARTNERS}
        out["revenue_it_usd"] = float(self.revenue["IT workers"][t])
        out["revenue_total_usd"] = float(sum(v[t] for v in self.revenue.values()))
        return out


def labour_series(results: Results, draw: int = 0) -> LabourSeries:
    """Pick the labour arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
    draw : int

    Returns
    -------
    LabourSeries
    """
    hc = results.hard_currency_usd[draw]  # (T, channel, partner)
    labour = HARD_CURRENCY_CHANNELS.index("labour")
    it = HARD_CURRENCY_CHANNELS.index("it_workers")
    workers = {HOST_LABELS[p]: np.array(results.workers_abroad[draw, :, k]) for k, p in enumerate(PARTNERS)}
    revenue = {HOST_LABELS[p]: np.array(hc[:, labour, k]) for k, p in enumerate(PARTNERS)}
    revenue["IT workers"] = np.array(hc[:, it].sum(axis=1))
    return LabourSeries(
        years=np.asarray(results.years),
        workers=workers,
        it_workers=np.array(results.it_workers_abroad[draw]),
        revenue=revenue,
    )


def _deadline_marker(ax: Axes) -> None:
    ax.axvline(REPATRIATION_DEADLINE, color="black", linewidth=1.0, linestyle="-.")
    ax.text(
        REPATRIATION_DEADLINE,
        0.02,
        " repatriation deadline\n 22 Dec 2019",
        transform=ax.get_xaxis_transform(),
        fontsize=8,
        va="bottom",
    )


class WorkersChart:
    """Workers abroad by host country (stacked), IT workers as a line, and the 2019 deadline.

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

    Attributes
    ----------
    stack : StackedAreaChart
    it_line : matplotlib.lines.Line2D
    """

    def __init__(self, ax: Axes, years, workers, it_workers, observed=()):
        self.ax = ax
        colours = [PARTNER_COLOURS[p] for p in PARTNERS]
        self.stack = StackedAreaChart(ax, years, workers, colours, "count", "workers abroad (persons)")
        (self.it_line,) = ax.plot(years, it_workers, color="#16a085", linewidth=2, label="IT workers (all hosts)")
        for (label, x, y), marker in zip(observed, ("o", "s", "^", "D", "v"), strict=False):
            ax.plot(x, y, linestyle="none", marker=marker, color="black", markersize=5, label=label, zorder=5)
        _deadline_marker(ax)
        _mark_projection(ax)
        ax.set_title("North Korean workers abroad, by host")
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        self.update(workers, it_workers)

    def update(self, workers, it_workers) -> None:
        """Redraw with new head counts (persons)."""
        self.stack.update(workers)
        self.it_line.set_ydata(it_workers)
        self.ax.set_ylim(0, _nice_top([self.stack.total, np.asarray(it_workers, dtype=float)]))


class RevenueChart:
    """Hard currency earned per year, stacked by source, optionally with a marker year.

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
        Draw the 2019 repatriation deadline, or a ceasefire line that moves with :meth:`update`.
    ceasefire_year : int, optional
        First year of peace (with ``marker="ceasefire"``); a year after the last shown hides the line.

    Attributes
    ----------
    stack : StackedAreaChart
    ceasefire_line : matplotlib.lines.Line2D or None
    """

    def __init__(self, ax: Axes, years, layers, colours, title: str, marker=None, ceasefire_year=None):
        self.ax = ax
        self.years = np.asarray(years)
        self.stack = StackedAreaChart(ax, years, layers, colours, "usd", "US dollars per year")
        self.ceasefire_line = None
        if marker == "deadline":
            _deadline_marker(ax)
        elif marker == "ceasefire":
            self.ceasefire_line = _ceasefire_line(ax)
        _mark_projection(ax)
        ax.set_title(title)
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
        self.update(layers, ceasefire_year)

    def update(self, layers, ceasefire_year=None) -> None:
        """Redraw with new values (USD/yr) and, for a ceasefire chart, a new ceasefire year."""
        self.stack.update(layers)
        if self.ceasefire_line is not None:
            _move_ceasefire(self.ceasefire_line, ceasefire_year, self.years)
        self.ax.set_ylim(0, _nice_top([self.stack.total]))


# ---------------------------------------------------------------------------------------------- arms

ARMS_QUANTITIES = (
    ("containers", "Munition containers", "containers per year"),
    ("rounds", "Artillery rounds (152 mm equivalent)", "rounds per year"),
    ("missiles", "Ballistic missiles", "missiles per year"),
    ("troops", "Troops with Russian forces", "persons (annual average)"),
)


@dataclass(frozen=True)
class ArmsSeries:
    """Arms arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    quantities : dict of str to array
        ``containers``, ``rounds``, ``missiles`` (per year) and ``troops`` (persons).
    payment : dict of str to array
        What Russia pays for munitions, missiles and troops, by form (``cash``, ``oil``, ``food``,
        ``technology``), USD/yr.
    hard_currency_russia : array
        The cash part that counts as hard currency: arms plus troops through Russia (USD/yr).
    """

    years: np.ndarray
    quantities: dict[str, np.ndarray]
    payment: dict[str, np.ndarray]
    hard_currency_russia: np.ndarray

    def at(self, year: int) -> dict[str, float]:
        """Headline arms numbers for one year."""
        t = int(np.flatnonzero(self.years == year)[0])
        out = {k: float(v[t]) for k, v in self.quantities.items()}
        out |= {f"payment_{k}_usd": float(v[t]) for k, v in self.payment.items()}
        out["payment_total_usd"] = float(sum(v[t] for v in self.payment.values()))
        out["hard_currency_russia_usd"] = float(self.hard_currency_russia[t])
        return out


def russia_payment_usd(results: Results, params: Params | None = None, draw: int = 0) -> dict[str, np.ndarray]:
    """What Russia pays for munitions, missiles and troops in one draw, split by form (USD/yr).

    Parameters
    ----------
    results : model.Results
    params : model.Params, optional
        Not needed (kept for callers that pass it); the split comes from ``results.russia_payment_usd``.
    draw : int

    Returns
    -------
    dict of str to array of shape (T,)
        Keys ``cash``, ``oil``, ``food``, ``technology``.
    """
    return {form: results.russia_payment_usd[draw, :, f] for f, form in enumerate(PAYMENT_FORMS)}


def arms_series(results: Results, params: Params, draw: int = 0) -> ArmsSeries:
    """Pick the arms arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
    params : model.Params
        The parameters ``results`` were simulated with (for the payment split).
    draw : int

    Returns
    -------
    ArmsSeries
    """
    payment = russia_payment_usd(results, params, draw)
    return ArmsSeries(
        years=np.asarray(results.years),
        quantities={
            "containers": np.array(results.munition_containers[draw]),
            "rounds": np.array(results.munition_rounds[draw]),
            "missiles": np.array(results.missiles_sold[draw]),
            "troops": np.array(results.troops_in_russia[draw]),
        },
        payment=payment,
        hard_currency_russia=payment["cash"],
    )


def _ceasefire_line(ax: Axes):
    line = ax.axvline(np.nan, color="#27ae60", linewidth=1.5, linestyle="--", label="Ceasefire")
    return line


def _move_ceasefire(line, ceasefire_year, years) -> None:
    """Put the ceasefire line at the start of the ceasefire year, or hide it beyond the horizon."""
    visible = ceasefire_year is not None and ceasefire_year <= years[-1]
    x = (ceasefire_year - 0.5) if visible else np.nan
    line.set_xdata([x, x])
    line.set_visible(visible)


class ArmsQuantitiesChart:
    """Four small panels: containers, rounds, missiles and troops per year, with a ceasefire line.

    Parameters
    ----------
    axes : sequence of four matplotlib.axes.Axes
    years : array of shape (T,)
    quantities : mapping with keys ``containers``, ``rounds``, ``missiles``, ``troops``
        Arrays of shape (T,), in the units of :data:`ARMS_QUANTITIES`.
    ceasefire_year : int, optional
        First year of peace; a year after the last shown (e.g. 2036) hides the line.
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
            (self.lines[key],) = ax.plot(years, quantities[key], color=PARTNER_COLOURS["russia"], linewidth=2)
            for (label, x, y), marker in zip(observed.get(key, ()), ("o", "s", "^"), strict=False):
                ax.plot(x, y, linestyle="none", marker=marker, color="black", markersize=5, label=label)
            self.ceasefire_lines.append(_ceasefire_line(ax))
            ax.set_title(title, fontsize=10)
            ax.set_ylabel(unit, fontsize=8)
            ax.set_xlim(self.years[0], self.years[-1])
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.yaxis.set_major_formatter(FuncFormatter(_count_axis))
            ax.grid(axis="y", alpha=0.3)
            if observed.get(key):
                ax.legend(fontsize=7, frameon=False, loc="upper left")
        self.update(quantities, ceasefire_year)

    def update(self, quantities, ceasefire_year=None) -> None:
        """Redraw with new quantities and ceasefire year."""
        for key, line in self.lines.items():
            values = np.asarray(quantities[key], dtype=float)
            line.set_ydata(values)
            self.axes[key].set_ylim(0, _nice_top([values]))
        for line in self.ceasefire_lines:
            _move_ceasefire(line, ceasefire_year, self.years)


def payment_chart(ax: Axes, years, payment, ceasefire_year=None) -> RevenueChart:
    """Russia's payment for munitions, missiles and troops, stacked by form (USD/yr).

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    years : array of shape (T,)
    payment : mapping with keys ``cash``, ``oil``, ``food``, ``technology``
        USD/yr, e.g. ``arms_series(results, params).payment``.
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
        [PAYMENT_COLOURS[f] for f in PAYMENT_FORMS],
        "What Russia pays for munitions, missiles and troops, by form",
        marker="ceasefire",
        ceasefire_year=ceasefire_year,
    )


def payment_layers(payment) -> dict[str, np.ndarray]:
    """Russia's payment as chart layers with readable labels (``Cash``, ``Oil``, ...), in a fixed order."""
    return {form.capitalize(): np.asarray(payment[form]) for form in PAYMENT_FORMS}


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
    colours = [PARTNER_COLOURS[p] for p in PARTNERS] + ["#16a085"]
    return RevenueChart(ax, years, revenue, colours, "What the state earns from its workers abroad", marker="deadline")


def observed_points(measure: str, partner: str, channel: str, flow: str | None = None, basis=None, label=None):
    """Observed figures as ``(label, years, values)`` for a chart's ``observed`` argument.

    Parameters
    ----------
    measure, partner, channel, flow, basis
        As in :func:`model.observations.series`.
    label : str, optional
        Legend label; default names the measure and partner.

    Returns
    -------
    tuple of (str, array, array)
    """
    from model.observations import series

    years, values, _rows = series(measure, partner=partner, flow=flow, channel=channel, basis=basis)
    return (label or f"observed: {measure} ({partner})", years, values)


# ---------------------------------------------------------------------------------------------- text


def readout_html(rows, year: int) -> str:
    """An HTML table of numbers for one year: baseline, scenario and difference.

    Parameters
    ----------
    rows : iterable of (key, label, baseline, scenario, formatter)
        ``formatter`` turns a number into text (e.g. :func:`format_bbl`).
    year : int
        Shown in the header.

    Returns
    -------
    str
        HTML; each scenario cell carries ``data-key`` and ``data-value`` (the raw number) so that tests
        can read what is shown.
    """
    body = []
    for key, label, base, value, formatter in rows:
        delta = value - base
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        colour = "#0b5394" if abs(delta) > 1e-9 * max(1.0, abs(base)) else "#555"
        body.append(
            f"<tr><td style='text-align:left'>{html.escape(label)}</td><td>{formatter(base)}</td>"
            f"<td data-key='{key}' data-value='{float(value)!r}'><b>{formatter(value)}</b></td>"
            f"<td style='color:{colour}'>{sign}{formatter(abs(delta))}</td></tr>"
        )
    return (
        "<table class='channel-readout' style='border-collapse:collapse;font-size:95%'>"
        f"<thead><tr><th style='text-align:left'>{year}</th><th>Baseline</th><th>Scenario</th>"
        "<th>Difference</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
    )


def shown_values(readout: str) -> dict[str, float]:
    """Read the scenario numbers back out of :func:`readout_html` (for tests and exercises)."""
    return {key: float(value) for key, value in re.findall(r"data-key='([^']+)' data-value='([^']+)'", readout)}


def solution_html(body: str, summary: str = "Show the solution") -> str:
    """Wrap a worked solution in a collapsed ``<details>`` block: hidden until the reader opens it.

    Parameters
    ----------
    body : str
        HTML of the solution (computed by the notebook from the model).
    summary : str
        Text of the toggle.

    Returns
    -------
    str
    """
    toggle = f"<summary><b>{html.escape(summary)}</b></summary>"
    # Solutions quote dollar amounts; the class keeps MathJax from reading "$...$" as mathematics.
    body = f"<div style='margin:6px 0 0 12px'>{body}</div>"
    return f"<details class='tex2jax_ignore mathjax_ignore'>{toggle}{body}</details>"


__all__ = [
    "ARMS_QUANTITIES",
    "OIL_LAYERS",
    "PAYMENT_FORMS",
    "ArmsQuantitiesChart",
    "ArmsSeries",
    "LabourSeries",
    "OilSeries",
    "OilSupplyChart",
    "RefinedCapChart",
    "RevenueChart",
    "StackedAreaChart",
    "WorkersChart",
    "arms_series",
    "format_bbl",
    "format_count",
    "format_usd",
    "labour_revenue_chart",
    "labour_series",
    "new_figure",
    "observed_points",
    "oil_series",
    "payment_chart",
    "payment_layers",
    "readout_html",
    "redraw",
    "russia_payment_usd",
    "shown_values",
    "solution_html",
]
