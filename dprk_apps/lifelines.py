"""Notebook 01's app: China's and Russia's shares of recorded trade and of all flows, scenario against baseline."""

from __future__ import annotations

from dprk_apps.base import SliderApp
from dprk_figures import lifelines as lp
from dprk_figures import style
from dprk_teaching.tables import headline_table
from model.core import simulate
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR

LEVERS = [
    "china_export_ban_enforcement",
    "china_labour_enforcement",
    "china_smuggling_enforcement",
    "russia_arms_enforcement",
    "russia_oil_cap_enforcement",
    "war_demand_level",
    "ceasefire_year",
]
#: Rows of the readout (keys of :data:`model.outcomes.HEADLINE_TABLE`).
SHARE_KEYS = ("recorded_trade_share_china", "lifeline_share_china", "lifeline_share_russia")
MEASURES = {
    "recorded": ("recorded_trade_share", "Share of recorded trade"),
    "all": ("lifeline_share", "Share of all flows"),
}
PARTNERS = ("china", "russia")
#: Statistical bases of the observed totals and shares, drawn as separate marker series.
BASES = ("KOTRA", "KITA", "ITC", "BOK")
SHARE_BASES = ("KOTRA", "KITA", "ITC")


def shares(results, measure: str) -> dict:
    """China's and Russia's shares (first draw) on one measure: ``recorded`` trade or ``all`` flows."""
    array = getattr(results, MEASURES[measure][0])[0]
    return {p: array[:, k] for k, p in enumerate(PARTNERS)}


class SharesFigure:
    """Partner shares over time, one panel per measure: baseline dashed, scenario solid.

    Parameters
    ----------
    baseline : model.results.Results
    measures : sequence of {"recorded", "all"}
    height : float
        Figure height, inches.
    dpi : float
        Resolution (an app's figure: :data:`dprk_figures.style.APP_DPI`).

    Attributes
    ----------
    figure : matplotlib.figure.Figure
    lines : dict of str to dict of str to Line2D
        Scenario lines by measure and partner, e.g. ``lines["all"]["russia"]``.
    """

    def __init__(self, baseline, measures=("recorded", "all"), height: float = 3.8, dpi: float = style.APP_DPI):
        self.years = baseline.years
        self.figure, axes = style.new_figure(1, len(measures), height=height, show=False, squeeze=False, dpi=dpi)
        self.lines = {}
        for ax, measure in zip(axes[0], measures, strict=True):
            style.mark_projection(ax)
            lp.series_lines(ax, self.years, shares(baseline, measure), label_suffix=", baseline", ls="--", alpha=0.7)
            self.lines[measure] = lp.series_lines(ax, self.years, shares(baseline, measure), label_suffix=", scenario")
            style.share_axis(ax)
            ax.set_title(MEASURES[measure][1])
            style.legend(ax, loc="center left")

    def update(self, results) -> None:
        """Move the scenario lines to ``results``."""
        for measure, lines in self.lines.items():
            lp.update_lines(lines, self.years, shares(results, measure))


def draw_observed(ax, years, measure: str, partner: str, color: str, bases, cited: list) -> None:
    """Draw each statistical basis of one observed measure as its own marker series; collect the citations."""
    from model import observations

    for basis in bases:
        obs_years, values, rows = observations.series(measure, partner=partner, flow="total", basis=basis)
        if len(rows):
            lp.observation_line(
                ax,
                obs_years,
                values,
                years,
                color=color,
                marker=lp.BASIS_MARKERS.get(basis, "o"),
                label=f"{style.PARTNER_LABELS[partner]}, observed ({basis})",
            )
            cited.extend(f"{r.publisher} ({r.source_date}): {r.source_title}, {r.url}" for r in rows)


def history_figure(results=None):
    """Two measures of dependence over the timeline, the model beside the observations.

    Top: recorded trade with all partners; middle: China's and Russia's shares of recorded trade;
    bottom: their shares of all flows (no observed series exists for those).

    Parameters
    ----------
    results : model.results.Results, optional
        Default: the baseline.

    Returns
    -------
    figure : matplotlib.figure.Figure
    cited : list of str
        Citations of the observations drawn.
    """
    results = baseline_results(results)
    years, cited = results.years, []
    figure, (ax_total, ax_recorded, ax_all) = style.new_figure(3, 1, height=9.5, sharex=True, show=False)
    for ax in (ax_total, ax_recorded, ax_all):
        style.mark_projection(ax)
    total = {"total": results.recorded_trade_usd[0].sum(axis=(1, 2))}
    lp.series_lines(ax_total, years, total, label_suffix=", model")
    draw_observed(ax_total, years, "recorded_trade_usd", "total", style.PARTNER_COLOURS["total"], BASES, cited)
    style.usd_axis(ax_total)
    ax_total.set_ylim(bottom=0)
    ax_total.set_title("Recorded trade (USD/yr)")
    lp.series_lines(ax_recorded, years, shares(results, "recorded"), label_suffix=", model")
    for partner in PARTNERS:
        colour = style.PARTNER_COLOURS[partner]
        draw_observed(ax_recorded, years, "recorded_trade_share", partner, colour, SHARE_BASES, cited)
    style.share_axis(ax_recorded)
    ax_recorded.set_title("Share of recorded trade (fraction)")
    lp.series_lines(ax_all, years, shares(results, "all"), label_suffix=", model")
    style.share_axis(ax_all)
    ax_all.set_title("Share of all flows (fraction)")
    style.year_axis(ax_all, years)
    for ax in (ax_total, ax_recorded, ax_all):
        style.legend(ax, outside=True)
    return figure, cited


def episodes_html() -> str:
    """The history's episodes as an HTML list: years, title, description and sources."""
    import html

    from dprk_teaching.tables import NO_MATH, linked
    from model.episodes import history

    items = []
    for e in history().episodes:
        cited = "; ".join(s.citation() for s in e.sources) or "see episodes.toml"
        items.append(
            f"<li><b>{e.first_year}–{e.last_year}: {html.escape(e.title)}.</b> "
            f"{html.escape(e.description)} <i>Sources: {linked(cited)}.</i></li>"
        )
    return f'<ul class="{NO_MATH}">' + "".join(items) + "</ul>"


def baseline_results(results=None):
    """``results`` if given, else one run of the baseline preset."""
    return simulate(load_preset(BASELINE).params) if results is None else results


def draw_both_measures(ax, results, recorded_style: str = ":") -> None:
    """On one axes: each partner's share of all flows, and China's share of recorded trade alone.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
    results : model.results.Results
    recorded_style : str
        Line style of the recorded-trade line.
    """
    style.mark_projection(ax)
    lp.series_lines(ax, results.years, shares(results, "all"), label_suffix=", all flows")
    recorded = {"china": shares(results, "recorded")["china"]}
    lp.series_lines(ax, results.years, recorded, label_suffix=", recorded trade", ls=recorded_style)
    style.share_axis(ax)
    style.legend(ax, loc="center left")


def dependence_figure(results=None):
    """Who carries North Korea's flows: each partner's share of all flows, China's of recorded trade dotted.

    ``results`` (a :class:`~model.results.Results`) replaces the baseline's; returns the figure, not shown.
    """
    figure, ax = style.new_figure(height=3.6, show=False)
    draw_both_measures(ax, baseline_results(results))
    ax.set_title("Shares of North Korea's flows, by partner (baseline)")
    return figure


class LifelinesApp(SliderApp):
    """Levers that move the two measures of dependence; the shares figure and their values in the focus year."""

    def __init__(self, year: int = FOCUS_YEAR):
        self.year = year
        self.baseline = simulate(load_preset(BASELINE).params)
        self.baseline_headline = {k: self.baseline.headline(year)[k] for k in SHARE_KEYS}
        self.shares = SharesFigure(self.baseline)
        self.lines = self.shares.lines
        title = "Who is North Korea's lifeline? Recorded trade vs all flows"
        super().__init__(LEVERS, self.shares.figure, title, panel_title="Levers")

    def redraw(self, results):
        """Move the scenario lines and the readout."""
        self.shares.update(results)
        headline = results.headline(self.year)
        scenario = {k: headline[k] for k in SHARE_KEYS}
        self.readout.value = headline_table(self.baseline_headline, scenario, self.year)


__all__ = [
    "LEVERS",
    "LifelinesApp",
    "SharesFigure",
    "baseline_results",
    "dependence_figure",
    "draw_both_measures",
    "episodes_html",
    "history_figure",
    "shares",
]
