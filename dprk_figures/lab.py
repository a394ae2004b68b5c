"""The scenario lab's main figure: baseline against scenario, levels over time and one year in detail.

:class:`LabFigure` builds its artists once from two :class:`~model.results.Results` (data only: it never
runs the model) and :meth:`LabFigure.update` moves them in place, so a slider callback costs a model
run, a few ``set_data`` calls and one render.

Panels (scenario solid, baseline dashed; numbers for the focus year are in the notebook's table):

* hard-currency earnings, total and via China and Russia (USD/yr);
* shares: China and Russia in all flows, China in recorded trade (fraction);
* oil supply against need and the UN refined cap (bbl/yr);
* differences scenario - baseline in the focus year, by partner: hard currency and leverage (USD/yr).

Text is the costly part of a render (each tick label is laid out on every draw), so the panels keep
few ticks; that keeps a full redraw within a slider's budget.
"""

from __future__ import annotations

import weakref

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from dprk_figures import lifelines as lp
from dprk_figures import style
from dprk_figures.blit import BlitManager
from model.results import PARTNERS, Results
from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR

#: Keys of the arrays :func:`lab_series` returns.
SERIES_KEYS = (
    "hc_total",
    "hc_partner",
    "share_all",
    "share_recorded",
    "oil_supply",
    "oil_need",
    "refined_cap",
    "leverage",
)


def lab_series(results: Results) -> dict[str, np.ndarray]:
    """The arrays the lab figure draws, from the first draw of ``results``.

    Returns
    -------
    dict of str to ndarray
        ``hc_total`` (T,) USD/yr; ``hc_partner`` (T, 3) USD/yr; ``share_all`` and ``share_recorded``
        (T, 3) fractions; ``oil_supply``, ``oil_need`` and ``refined_cap`` (T,) bbl/yr (the cap is
        inf in years before it); ``leverage`` (T, 3) USD/yr. Partners in :data:`model.results.PARTNERS`
        order.
    """
    return {
        "hc_total": results.hard_currency_total_usd[0],
        "hc_partner": results.hard_currency_usd[0].sum(axis=1),
        "share_all": results.lifeline_share[0],
        "share_recorded": results.recorded_trade_share[0],
        "oil_supply": results.oil_supply_bbl[0].sum(axis=(1, 2)),
        "oil_need": results.oil_need_bbl[0],
        "refined_cap": results.refined_cap_bbl[0],
        "leverage": results.leverage_usd[0],
    }


def _hc(d):
    return {"total": d["hc_total"], "china": d["hc_partner"][:, 0], "russia": d["hc_partner"][:, 1]}


def _shares(d):
    return {
        "china_all": d["share_all"][:, 0],
        "russia_all": d["share_all"][:, 1],
        "china_recorded": d["share_recorded"][:, 0],
    }


def _oil(d):
    cap = np.where(np.isfinite(d["refined_cap"]), d["refined_cap"], np.nan)
    return {"supply": d["oil_supply"], "need": d["oil_need"], "cap": cap}


SHARE_STYLES = {
    "china_all": {"color": style.PARTNER_COLOURS["china"], "label": "China, all flows"},
    "russia_all": {"color": style.PARTNER_COLOURS["russia"], "label": "Russia, all flows"},
    "china_recorded": {"color": style.COLOURS["recorded"], "label": "China, recorded trade"},
}
OIL_STYLES = {
    "supply": {"color": style.PARTNER_COLOURS["total"], "label": "supply"},
    "need": {"color": style.COLOURS["need"], "label": "need", "ls": ":"},
    "cap": {"color": style.COLOURS["cap"], "label": "UN refined cap", "lw": 1.5},
}
PANELS = {"hc": (_hc, {}), "share": (_shares, SHARE_STYLES), "oil": (_oil, OIL_STYLES)}
#: The difference bars' span (largest bar, both signs) fills at least this share of their axis.
DELTA_MIN_FILL = 0.3
#: The difference bars' limits are m x 10^k USD/yr, m in this ladder (a scale changes only at these values).
DELTA_LADDER = (1, 2, 5)
#: The largest difference scale rendered ahead (see :meth:`LabFigure.prerender_scales`), USD/yr each side.
DELTA_PRERENDER_MAX = 1e10
#: The difference bars' smallest scale, USD/yr each side of zero (a visible axis when nothing differs).
DELTA_FLOOR = 1e8
#: Settings under which the figure's text is rendered (see :func:`_draw_text_unhinted`).
UNHINTED = {"text.hinting": "none"}
#: Backgrounds kept for scales seen before (each is one copy of the figure's pixels, about 2.6 MB).
BACKGROUNDS_KEPT = 8


#: The panels of the projector view, side by side (the other two are hidden): fewer, larger panels.
PROJECTOR_PANELS = ("hc", "delta")
#: The difference bars' partner names in the projector view (shorter: its text is larger).
PROJECTOR_PARTNER_LABELS = {**style.PARTNER_LABELS, "other": "Others"}


#: Figures whose text is already drawn unhinted (a figure laid out again keeps its one wrapper).
_UNHINTED_FIGURES: weakref.WeakSet = weakref.WeakSet()


def _draw_text_unhinted(fig: Figure) -> None:
    """Render this figure's text without glyph hinting.

    Text is most of a redraw's cost, and glyph hinting a large part of that; at 10-12 pt the difference
    is hardly visible. Only this figure is affected (once: a figure laid out again keeps one wrapper).
    """
    if fig in _UNHINTED_FIGURES:
        return
    _UNHINTED_FIGURES.add(fig)
    draw = fig.draw

    def draw_unhinted(renderer):
        with mpl.rc_context(UNHINTED):
            return draw(renderer)

    fig.draw = draw_unhinted


class LabFigure:
    """Four panels comparing a scenario with the baseline; artists made once, updated in place.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure (ipympl or Agg); about 10 x 6 inches suits it.
    years : ndarray of int
        Year axis of the results.
    baseline, scenario : Results
        Initial data (single-scenario results); the model is never run here.
    focus_year : int
        Year of the difference bars (marked in the time panels).
    first_projection_year : int
        Start of the shaded projection.
    projector : bool
        The projector view: only :data:`PROJECTOR_PANELS`, side by side (the others exist, hidden, and
        follow the data), with the larger text of :func:`dprk_figures.style.app_rc`.
    text : dict, optional
        Font sizes (rcParams) to build the figure under; default: the current ones, or the projector's.

    Attributes
    ----------
    axes : dict of str to Axes
        ``"hc"``, ``"share"``, ``"oil"``, ``"delta"``.
    lines : dict of str to dict of str to Line2D
        Scenario lines, e.g. ``lines["hc"]["total"]``, ``lines["share"]["russia_all"]``,
        ``lines["oil"]["supply"]``; baseline twins under the same key plus ``"_base"``.
    bars : dict of str to BarContainer
        ``"hc"`` and ``"leverage"``: scenario minus baseline in the focus year, by partner.
    blit : dprk_figures.blit.BlitManager
        Renders the frames over cached backgrounds (:meth:`render`).
    changed_limits : list of str
        The panels whose limits the last update changed.
    """

    def __init__(
        self,
        fig: Figure,
        years: np.ndarray,
        baseline: Results,
        scenario: Results,
        focus_year: int = FOCUS_YEAR,
        first_projection_year: int = FIRST_PROJECTION_YEAR,
        projector: bool = False,
        text: dict | None = None,
    ) -> None:
        text = style.app_rc(True) if projector and text is None else (text or {})
        with mpl.rc_context(text):
            self._build(fig, years, baseline, scenario, focus_year, first_projection_year, projector)
            style.keep_text_sizes(fig)

    def _build(self, fig, years, baseline, scenario, focus_year, first_projection_year, projector) -> None:
        self.fig, self.years, self.focus_year, self.projector = fig, np.asarray(years), focus_year, projector
        _draw_text_unhinted(fig)
        self.t = int(np.flatnonzero(self.years == focus_year)[0])
        if projector:
            grid = fig.add_gridspec(
                1, 2, width_ratios=(1.6, 1), wspace=0.42, left=0.12, right=0.99, top=0.9, bottom=0.09
            )
            cells = {"hc": grid[0, 0], "share": grid[0, 0], "oil": grid[0, 0], "delta": grid[0, 1]}
        else:
            grid = fig.add_gridspec(2, 2, hspace=0.3, wspace=0.38, left=0.1, right=0.98, top=0.93, bottom=0.08)
            cells = {"hc": grid[0, 0], "share": grid[0, 1], "oil": grid[1, 0], "delta": grid[1, 1]}
        ax = self.axes = {name: fig.add_subplot(cell) for name, cell in cells.items()}
        shown = PROJECTOR_PANELS if projector else tuple(ax)
        for name, a in ax.items():
            a.set_visible(name in shown)
        #: The panels drawn (the projector view hides the others).
        self.shown = shown
        b, s = lab_series(baseline), lab_series(scenario)
        self._baseline = b
        last = int(self.years[-1])
        dashed = {"ls": "--", "lw": 1.2, "alpha": 0.75}
        self.lines = {}
        for panel, (extract, styles) in PANELS.items():
            a = ax[panel]
            style.mark_projection(a, first_projection_year, last)
            a.axvline(focus_year, color="#999", lw=0.8, ls=":", zorder=1)
            style.year_axis(a, self.years)
            a.yaxis.set_major_locator(MaxNLocator(4, steps=[1, 2, 5, 10]))
            base = lp.series_lines(a, self.years, extract(b), styles=styles, **dashed)
            scen = lp.series_lines(a, self.years, extract(s), styles=styles)
            for line in base.values():
                line.set_label("_" + line.get_label())  # kept out of the legend
            self.lines[panel] = {**scen, **{f"{k}_base": line for k, line in base.items()}}
            # Legends where the lines are not: shares low on the left, oil between the cap and the supply.
            where = {
                "hc": {"loc": "upper left"},
                "share": {"loc": "lower left", "bbox_to_anchor": (0, 0.08)},
                "oil": {"loc": "lower left", "bbox_to_anchor": (0, 0.1)},
            }
            a.legend(handlelength=1.5, **where[panel])
        if not projector:
            for panel in ("hc", "share"):
                ax[panel].tick_params(labelbottom=False)  # years are read off the oil panel below
        else:  # two panels: fewer year ticks, so that the larger labels keep apart
            ax["hc"].xaxis.set_major_locator(MaxNLocator(3, steps=[1, 2, 5, 10]))
        ax["hc"].set_title("Hard currency (USD/yr)", y=1.0, pad=4, loc="left")
        ax["share"].set_title("Shares (fraction)", y=1.0, pad=4, loc="left")
        ax["oil"].set_title("Oil supply (bbl/yr)", y=1.0, pad=4, loc="left")
        style.usd_axis(ax["hc"])
        style.share_axis(ax["share"])
        style.bbl_axis(ax["oil"])

        x = np.arange(len(PARTNERS))
        hc_delta, leverage_delta = self._deltas(b, s)
        self.bars = {
            "hc": ax["delta"].bar(
                x - 0.2, hc_delta, 0.4, color=[style.PARTNER_COLOURS[p] for p in PARTNERS], label="hard currency"
            ),
            "leverage": ax["delta"].bar(
                x + 0.2,
                leverage_delta,
                0.4,
                color=[style.PARTNER_COLOURS[p] for p in PARTNERS],
                alpha=0.45,
                hatch="//",
                edgecolor="white",
            ),
        }
        partner_labels = PROJECTOR_PARTNER_LABELS if projector else style.PARTNER_LABELS
        ax["delta"].set_xticks(x, [partner_labels[p] for p in PARTNERS])
        ax["delta"].axhline(0, color="#333", lw=0.8)
        ax["delta"].yaxis.set_major_locator(MaxNLocator(4))
        delta_title = f"Change in {focus_year}" + ("" if projector else " (USD/yr)")  # scenario − baseline
        ax["delta"].set_title(delta_title, y=1.0, pad=4)
        # Each legend entry shows the partners' colours, as its bars do (one patch per partner).
        colours = [style.PARTNER_COLOURS[p] for p in PARTNERS]
        ax["delta"].legend(
            handles=[
                tuple(Patch(facecolor=c) for c in colours),
                tuple(Patch(facecolor=c, alpha=0.45, hatch="//", edgecolor="white") for c in colours),
            ],
            labels=["hard currency", "leverage"],
            handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
            handlelength=3.0,
            loc="upper right",
        )
        style.usd_axis(ax["delta"])
        self._rescale(b, s)
        # Frames over cached backgrounds: a panel's background depends only on its limits (its ticks follow).
        self.blit = BlitManager(
            fig,
            {name: self.axes[name] for name in shown},
            self._data_artists,
            key=lambda _name, a: a.get_ylim(),
            rc=UNHINTED,
            kept=BACKGROUNDS_KEPT,
        )

    # ------------------------------------------------------------------ updating
    def _deltas(self, b, s):
        return s["hc_partner"][self.t] - b["hc_partner"][self.t], s["leverage"][self.t] - b["leverage"][self.t]

    def set_baseline(self, baseline: Results) -> None:
        """Replace the baseline drawn (dashed); the bars follow at the next :meth:`update`."""
        b = self._baseline = lab_series(baseline)
        for panel, (extract, _styles) in PANELS.items():
            data = extract(b)
            lp.update_lines({k: self.lines[panel][f"{k}_base"] for k in data}, self.years, data)

    def update(self, scenario: Results) -> None:
        """Move every scenario artist to ``scenario``'s values (no drawing: call :meth:`render`)."""
        b, s = self._baseline, lab_series(scenario)
        for panel, (extract, _styles) in PANELS.items():
            lp.update_lines(self.lines[panel], self.years, extract(s))
        hc_delta, leverage_delta = self._deltas(b, s)
        lp.update_bars(self.bars["hc"], hc_delta)
        lp.update_bars(self.bars["leverage"], leverage_delta)
        self._rescale(b, s)

    def _rescale(self, b, s) -> None:
        ax = self.axes
        changed = {
            "hc": style.sticky_ylim(ax["hc"], b["hc_total"], s["hc_total"], pad=0.3),  # room for the legend
            "oil": style.sticky_ylim(
                ax["oil"], b["oil_supply"], s["oil_supply"], b["oil_need"], _oil(s)["cap"], pad=0.3
            ),
        }
        # A visible scale (+-100 m USD) even when nothing differs.
        # Symmetric about zero, so that a difference changing sign does not move the axis; sticky while the
        # bars fill at least DELTA_MIN_FILL of it, so small moves keep the scale but the first change after
        # a large one (max pressure: +-USD 4,000 m, then a reset) shrinks it to the bars again. When nothing
        # differs (the baseline, a reset) every scale shows that, so the scale is kept: shrinking it there
        # and growing it back on the next step made every other move near the baseline re-render the
        # figure's background (half the moves of the browser bench's lever).
        deltas = np.concatenate(self._deltas(b, s))
        low, high = ax["delta"].get_ylim()
        if np.any(deltas != 0) or not (low <= -DELTA_FLOOR and DELTA_FLOOR <= high):
            changed["delta"] = style.sticky_ylim(
                ax["delta"],
                deltas,
                -deltas,
                [-DELTA_FLOOR, DELTA_FLOOR],
                pad=0.25,
                min_fill=DELTA_MIN_FILL,
                ladder=DELTA_LADDER,
            )
        self.changed_limits = sorted(panel for panel, moved in changed.items() if moved)  # for tests and benches

    # ------------------------------------------------------------------ rendering
    def _data_artists(self) -> list:
        artists = [line for panel in self.shown if panel in self.lines for line in self.lines[panel].values()]
        bars = [patch for bars in self.bars.values() for patch in bars.patches] if "delta" in self.shown else []
        return artists + bars

    def render(self, show: bool = True) -> None:
        """Render a complete frame over the cached background of the static parts and show it.

        The static parts (axes, ticks, titles, legends) are rendered once into a background; a frame
        restores it and draws only the lines and bars on top (:class:`dprk_figures.blit.BlitManager`). When a
        panel's axis limits change (they are sticky: see :func:`dprk_figures.style.sticky_ylim`) only that
        panel's part of the background is rendered again. A normal ``canvas.draw()`` still draws everything.

        Parameters
        ----------
        show : bool
            Hand the frame to the canvas's display (``False``: render into the buffer only, e.g. before a
            page is connected).
        """
        self.blit.render(show=show)

    def prerender_scales(self) -> None:
        """Render the backgrounds of the difference panel's larger scales before anyone moves a lever.

        Its limits are ``-m * 10**k`` to ``m * 10**k`` USD/yr (``m`` in :data:`DELTA_LADDER`); the scales
        above the current one up to :data:`DELTA_PRERENDER_MAX` are rendered once (in a classroom's warm
        kernel, before the students come), so that a move to one of them restores its background instead
        of rendering the panel. The figure is left as it was: same limits, same frame.
        """
        delta = self.axes["delta"]
        self.render(show=False)
        kept = delta.get_ylim()
        current = max(abs(kept[0]), abs(kept[1]))
        ladder = sorted(float(m * 10.0**k) for m in DELTA_LADDER for k in range(6, 12))
        for half in (value for value in ladder if current < value <= DELTA_PRERENDER_MAX):
            delta.set_ylim(-half, half)
            self.render(show=False)
        delta.set_ylim(*kept)
        self.render(show=False)  # the current scale's background again, from the cache

    def scenario_data(self) -> dict[str, np.ndarray]:
        """What the scenario artists show now (for tests): ``"panel.key"`` line y data, ``"bars.key"`` heights."""
        data = {
            f"{panel}.{key}": np.asarray(line.get_ydata(), dtype=float)
            for panel, lines in self.lines.items()
            for key, line in lines.items()
        }
        for key, bars in self.bars.items():
            data[f"bars.{key}"] = np.array([r.get_height() for r in bars.patches])
        return data
