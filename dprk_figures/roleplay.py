"""The role-play's figures (notebook 08): the history of rounds, drawn on an ``ax`` from explicit arrays.

* :func:`round_scores` - every team's score in each round (bars, -10 to +10);
* :func:`total_scores` - every team's running total after each round (lines);
* :func:`measures_against_baseline` - one team's objective measures against the baseline in each
  round, in units of each term's scale (the change that earns the full points), so that terms in
  dollars, shares and ratios share one axis.

:func:`rounds_figure` lays the three out for the projector and :func:`draw_rounds` redraws them from a
game's arrays (:func:`dprk_roleplay.game.history`); a round is played only when the facilitator presses
a button, so redrawing the axes costs nothing a slider would notice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FixedLocator

from dprk_figures import style

#: Line styles of a team's objective terms (first, second, third).
TERM_STYLES = ("-", "--", ":")


def _round_axis(ax: Axes, labels: Sequence[str]) -> None:
    """Rounds 1..N on the x axis, each with its years."""
    ax.set_xlim(0.4, len(labels) + 0.6)
    ax.xaxis.set_major_locator(FixedLocator(np.arange(1, len(labels) + 1)))
    ax.set_xticklabels(labels)
    ax.set_xlabel("round (model years)")


def _nothing_yet(ax: Axes, played: int) -> None:
    if not played:
        ax.text(0.5, 0.5, "no round played yet", transform=ax.transAxes, ha="center", va="center", color="#555")


def round_scores(
    ax: Axes,
    labels: Sequence[str],
    scores: Mapping[str, Sequence[float]],
    names: Mapping[str, str] | None = None,
) -> None:
    """Bars of every team's score in each round played.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    labels : sequence of str
        One label per round of the game (played or not), e.g. "1" over "2025–26".
    scores : mapping of str to sequence of float
        Per team key, its score in each round played (points, -10 to +10).
    names : mapping of str to str, optional
        Team names for the legend (default: the keys).
    """
    names = names or {}
    width = 0.8 / max(1, len(scores))
    for k, (team, values) in enumerate(scores.items()):
        values = np.asarray(values, dtype=float)
        x = np.arange(1, values.size + 1) - 0.4 + width * (k + 0.5)
        ax.bar(x, values, width=width, color=style.TEAM_COLOURS.get(team, "#999999"), label=names.get(team, team))
    ax.axhline(0, color="#333", lw=0.8)
    ax.set_ylim(-10.5, 10.5)
    ax.yaxis.set_major_locator(FixedLocator([-10, -5, 0, 5, 10]))
    ax.set_ylabel("points")
    ax.set_title("Score of each round")
    _round_axis(ax, labels)
    _nothing_yet(ax, max((len(v) for v in scores.values()), default=0))


def total_scores(
    ax: Axes,
    labels: Sequence[str],
    totals: Mapping[str, Sequence[float]],
    names: Mapping[str, str] | None = None,
) -> None:
    """Lines of every team's running total after each round played.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    labels : sequence of str
        One label per round of the game.
    totals : mapping of str to sequence of float
        Per team key, its total after each round played (points).
    names : mapping of str to str, optional
        Team names for the legend.
    """
    names = names or {}
    for team, values in totals.items():
        values = np.asarray(values, dtype=float)
        ax.plot(
            np.arange(1, values.size + 1),
            values,
            marker="o",
            color=style.TEAM_COLOURS.get(team, "#999999"),
            label=names.get(team, team),
        )
    ax.axhline(0, color="#333", lw=0.8)
    reach = 10.0 * len(labels)
    highest = max((float(np.max(np.abs(v))) for v in totals.values() if len(v)), default=0.0)
    limit = min(reach, max(10.0, highest * 1.15))
    ax.set_ylim(-limit, limit)
    ax.set_ylabel("points")
    ax.set_title("Total so far")
    _round_axis(ax, labels)
    _nothing_yet(ax, max((len(v) for v in totals.values()), default=0))


def measures_against_baseline(
    ax: Axes,
    labels: Sequence[str],
    changes: Mapping[str, Sequence[float]],
    better: Mapping[str, str],
    colour: str = "#333333",
    title: str = "Objective measures against the baseline",
) -> None:
    """One team's measures in each round, as (value - baseline) / scale.

    The band from -1 to +1 is where points grow with the measure; beyond it a term earns its full
    points (or loses them). A dotted line at 0 is the baseline.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    labels : sequence of str
        One label per round of the game.
    changes : mapping of str to sequence of float
        Per term label, ``(value - baseline) / scale`` in each round played (dimensionless).
    better : mapping of str to str
        Per term label, ``"higher"`` or ``"lower"`` (written into the legend).
    colour : str
        The team's colour.
    title : str
    """
    ax.axhspan(-1, 1, color="#EEEEEE", lw=0, zorder=0)
    ax.axhline(0, color="#333", lw=0.8, ls=":")
    highest = 1.0
    for k, (label, values) in enumerate(changes.items()):
        values = np.asarray(values, dtype=float)
        if values.size:
            highest = max(highest, float(np.max(np.abs(values))))
        ax.plot(
            np.arange(1, values.size + 1),
            values,
            marker="o",
            ls=TERM_STYLES[k % len(TERM_STYLES)],
            color=colour,
            label=f"{label} ({better.get(label, '?')} is better)",
        )
    ax.set_ylim(-1.15 * highest, 1.15 * highest)
    ax.set_ylabel("change / scale")
    ax.set_title(title)
    _round_axis(ax, labels)
    _nothing_yet(ax, max((len(v) for v in changes.values()), default=0))


def rounds_figure(height: float = 7.5, dpi: float | None = None):
    """The projector's figure: round scores and totals side by side, one team's measures below.

    Parameters
    ----------
    height : float
        Inches.
    dpi : float, optional
        Resolution (the app passes :data:`dprk_figures.style.APP_DPI`: one point per CSS pixel).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : dict of str to Axes
        ``"scores"``, ``"totals"`` and ``"measures"`` (see :func:`layout_rounds`).
    """
    fig = style.new_figure(0, 0, height=height, show=False, layout=None, dpi=dpi)[0]
    return fig, layout_rounds(fig)


def layout_rounds(fig, projector: bool = False) -> dict[str, Axes]:
    """The panels of the rounds figure on ``fig`` (cleared first).

    Normal: round scores and totals side by side, one team's measures below. Projector view: the
    totals above the round scores, wide (fewer, larger panels); the measures' panel exists but is hidden.

    Returns
    -------
    dict of str to Axes
        ``"scores"``, ``"totals"`` and ``"measures"``.
    """
    # Fixed margins rather than a layout engine: the constrained layout makes every redraw markedly slower
    # (bench/roleplay_bench.py times the app's redraw).
    fig.clear()
    if projector:
        grid = fig.add_gridspec(2, 1, left=0.1, right=0.68, top=0.95, bottom=0.13, hspace=0.75)
        axes = {"totals": fig.add_subplot(grid[0]), "scores": fig.add_subplot(grid[1])}
        axes["measures"] = fig.add_subplot(grid[1])
        axes["measures"].set_visible(False)
        return axes
    grid = fig.add_gridspec(2, 2, left=0.1, right=0.74, top=0.95, bottom=0.14, hspace=0.6, wspace=0.3)
    return {
        "scores": fig.add_subplot(grid[0, 0]),
        "totals": fig.add_subplot(grid[0, 1]),
        "measures": fig.add_subplot(grid[1, :]),
    }


def draw_rounds(axes: Mapping[str, Axes], series: Mapping, team: str) -> None:
    """Redraw the projector's three panels from a game's arrays.

    Parameters
    ----------
    axes : mapping of str to Axes
        As :func:`rounds_figure` returns them.
    series : mapping
        :func:`dprk_roleplay.game.history` of the game: ``labels``, ``names``, ``scores``, ``totals``,
        ``changes`` and ``better`` (the last two per team).
    team : str
        Whose measures the lower panel shows.
    """
    for ax in axes.values():
        ax.clear()  # a hidden panel (projector view) stays hidden: clear keeps visibility
    round_scores(axes["scores"], series["labels"], series["scores"], series["names"])
    total_scores(axes["totals"], series["labels"], series["totals"], series["names"])
    style.legend(axes["totals"], outside=True)
    measures_against_baseline(
        axes["measures"],
        series["labels"],
        series["changes"][team],
        series["better"][team],
        colour=style.TEAM_COLOURS.get(team, "#333333"),
        title=f"{series['names'][team]}: objective measures against the baseline",
    )
    style.legend(axes["measures"], loc="best")
    if axes["measures"].get_visible():  # the narrow panels above it: round numbers only (years below)
        for name in ("scores", "totals"):
            axes[name].set_xticklabels([label.split("\n")[0] for label in series["labels"]])
            axes[name].set_xlabel("round")
    style.keep_text_sizes(axes["totals"].figure)


__all__ = [
    "TERM_STYLES",
    "draw_rounds",
    "layout_rounds",
    "measures_against_baseline",
    "round_scores",
    "rounds_figure",
    "total_scores",
]
