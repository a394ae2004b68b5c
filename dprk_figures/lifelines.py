"""Plot helpers for lifelines over time: lines, observation markers, bands and bars.

Every ``draw_*``/``*_lines`` helper takes an ``ax`` and explicit arrays, creates its artists once and
returns the handles; the matching ``update_*`` helper changes those handles in place (``set_data``,
``FillBetweenPolyCollection.set_data``, bar heights). No helper runs the model, so one helper serves
the static figure, the slider callback and a test.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import FillBetweenPolyCollection
from matplotlib.container import BarContainer
from matplotlib.lines import Line2D

from dprk_figures import style

#: One marker per statistical basis of the observations, so bases are never joined into one line.
BASIS_MARKERS = {"KOTRA": "o", "KITA": "s", "ITC": "^", "BOK": "D", "GACC": "v", "KOTRA_Beijing": "P", "TASS": "X"}


def gap_series(obs_years: Sequence[int], obs_values: Sequence[float], years: Sequence[int]) -> np.ndarray:
    """Place observations on a full year axis, NaN where a year has no observation.

    A line drawn through the result breaks at the NaN years, so missing years stay visible gaps.

    Parameters
    ----------
    obs_years : sequence of int
        Years with an observation (each at most once: one statistical basis per call).
    obs_values : sequence of float
        Observed values (any unit).
    years : sequence of int
        The full year axis.

    Returns
    -------
    ndarray of float, shape ``(len(years),)``

    Raises
    ------
    ValueError
        If a year occurs twice (two bases mixed) or lies outside ``years``.
    """
    years = np.asarray(years)
    obs_years = np.asarray(obs_years, dtype=int)
    if np.unique(obs_years).size != obs_years.size:
        raise ValueError("a year occurs twice: select one statistical basis per series")
    out = np.full(years.shape, np.nan)
    index = np.searchsorted(years, obs_years)
    if np.any(index >= years.size) or np.any(years[np.minimum(index, years.size - 1)] != obs_years):
        raise ValueError(f"observation years {obs_years.tolist()} are not all within {years[0]}-{years[-1]}")
    out[index] = np.asarray(obs_values, dtype=float)
    return out


def series_lines(
    ax: Axes,
    years: Sequence[int],
    series: Mapping[str, Sequence[float]],
    styles: Mapping[str, Mapping] | None = None,
    label_suffix: str = "",
    **common,
) -> dict[str, Line2D]:
    """Draw one line per named series over ``years``.

    Parameters
    ----------
    ax : matplotlib Axes
    years : sequence of int
        x values (calendar years).
    series : mapping of str to array
        y values per key (e.g. per partner); keys of :data:`dprk_figures.style.PARTNER_COLOURS` get that colour.
    styles : mapping of str to dict, optional
        Extra ``Line2D`` properties per key.
    label_suffix : str
        Appended to each legend label (e.g. ``" (baseline)"``).
    **common
        ``Line2D`` properties for every line.

    Returns
    -------
    dict of str to Line2D
        Handles for :func:`update_lines`.
    """
    lines = {}
    for key, values in series.items():
        properties = {
            "color": style.PARTNER_COLOURS.get(key),
            "label": style.PARTNER_LABELS.get(key, key) + label_suffix,
            "lw": 2.2,
        }
        properties.update(common)
        properties.update((styles or {}).get(key, {}))
        (lines[key],) = ax.plot(years, values, **properties)
    return lines


def update_lines(lines: Mapping[str, Line2D], years: Sequence[int], series: Mapping[str, Sequence[float]]) -> None:
    """Replace the data of lines made by :func:`series_lines` (keys must match)."""
    for key, values in series.items():
        lines[key].set_data(years, values)


def observation_line(
    ax: Axes,
    obs_years: Sequence[int],
    obs_values: Sequence[float],
    years: Sequence[int],
    color: str = "#222222",
    label: str = "",
    marker: str = "o",
    **style,
) -> Line2D:
    """Draw observations of one statistical basis as markers joined only across consecutive years.

    Parameters
    ----------
    ax : matplotlib Axes
    obs_years, obs_values : sequence
        The observations (see :func:`model.observations.series`), one basis.
    years : sequence of int
        The full year axis: years without an observation stay gaps.
    color, label, marker : str
    **style
        Further ``Line2D`` properties.

    Returns
    -------
    Line2D
    """
    values = gap_series(obs_years, obs_values, years)
    options = {"ls": ":", "lw": 1.0, "ms": 6, "mfc": "white", "mew": 1.5, "zorder": 5}
    options.update(style)
    (line,) = ax.plot(years, values, marker=marker, color=color, label=label, **options)
    return line


def band(
    ax: Axes, x: Sequence[float], low: Sequence[float], high: Sequence[float], **style
) -> FillBetweenPolyCollection:
    """Shade between ``low`` and ``high``; update with :func:`update_band`."""
    options = {"alpha": 0.18, "lw": 0}
    options.update(style)
    return ax.fill_between(x, low, high, **options)


def update_band(
    handle: FillBetweenPolyCollection, x: Sequence[float], low: Sequence[float], high: Sequence[float]
) -> None:
    """Move a band made by :func:`band` (matplotlib >= 3.10)."""
    handle.set_data(x, low, high)


def paired_bars(
    ax: Axes,
    labels: Sequence[str],
    baseline: Sequence[float],
    scenario: Sequence[float],
    colors: Sequence[str] | None = None,
) -> tuple[BarContainer, BarContainer]:
    """Baseline (hatched, pale) and scenario (solid) bars side by side per label.

    Returns
    -------
    tuple of BarContainer
        ``(baseline_bars, scenario_bars)`` for :func:`update_bars`.
    """
    x = np.arange(len(labels))
    colors = list(colors) if colors is not None else [style.PARTNER_COLOURS.get(k, "#555555") for k in labels]
    base = ax.bar(x - 0.2, baseline, 0.4, color=colors, alpha=0.35, hatch="//", edgecolor="white", label="baseline")
    scen = ax.bar(x + 0.2, scenario, 0.4, color=colors, label="scenario")
    ax.set_xticks(x, [style.PARTNER_LABELS.get(k, k) for k in labels])
    return base, scen


def update_bars(bars: BarContainer, values: Sequence[float]) -> None:
    """Set new bar heights (negative heights draw downwards)."""
    for rect, value in zip(bars.patches, values, strict=True):
        rect.set_height(value)


__all__ = [
    "BASIS_MARKERS",
    "band",
    "gap_series",
    "observation_line",
    "paired_bars",
    "series_lines",
    "update_band",
    "update_bars",
    "update_lines",
]
