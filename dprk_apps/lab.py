"""The apps around the scenario lab's figure and headline table: 00 (demo), 05 (lab) and 06 (exercises)."""

from __future__ import annotations

import ipywidgets as widgets

from dprk_apps.base import SliderApp
from dprk_apps.controls import parameter_names
from dprk_apps.upload import ScenarioUpload
from dprk_figures.lab import LabFigure
from dprk_figures.style import APP_DPI, app_rc, new_figure
from dprk_teaching.tables import headline_table
from model.core import simulate
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR


def baseline_figure(results=None):
    """The baseline at a glance: hard currency by partner (left), partner shares on both measures (right).

    ``results`` (a :class:`~model.results.Results`) replaces the baseline's; returns the figure, not shown.
    """
    from dprk_apps.lifelines import baseline_results, draw_both_measures
    from dprk_figures import lifelines as lp
    from dprk_figures import style

    results = baseline_results(results)
    figure, (ax_hc, ax_share) = new_figure(1, 2, height=3.8, show=False)
    earnings = {"total": results.hard_currency_total_usd[0]}
    earnings |= {p: results.hard_currency_usd[0, :, :, k].sum(axis=1) for k, p in enumerate(("china", "russia"))}
    style.mark_projection(ax_hc)
    lp.series_lines(ax_hc, results.years, earnings)
    style.usd_axis(ax_hc)
    ax_hc.set_title("Hard currency by partner (USD/yr)")
    style.legend(ax_hc)
    draw_both_measures(ax_share, results, recorded_style="--")
    ax_share.set_title("Partner shares (fraction)")
    return figure


class LabApp(SliderApp):
    """Every lever (and, optionally, every assumption), presets, the headline table and the lab figure.

    Parameters
    ----------
    names : sequence of str, optional
        Controls shown (default: every lever and every uncertainty).
    year : int
        Focus year of the table and the difference bars.
    title : str
        Title of exported figures.

    Attributes
    ----------
    lab : dprk_figures.lab.LabFigure
        The figure's artists.
    baseline, baseline_headline
        The baseline's results and headline numbers in the focus year.
    table : ipywidgets.HTML
        The headline table (the app's readout).
    upload : dprk_apps.upload.ScenarioUpload
        Loads a saved scenario file into the controls.
    """

    def __init__(self, names=None, year: int = FOCUS_YEAR, title: str = "Scenario lab: baseline against scenario"):
        names = [*parameter_names("lever"), *parameter_names("uncertainty")] if names is None else list(names)
        self.year = year
        self.baseline = simulate(load_preset(BASELINE).params)
        self.baseline_headline = self.baseline.headline(year)
        figure = new_figure(0, 0, height=6.5, show=False, layout=None, dpi=APP_DPI)[0]
        self.lab = LabFigure(
            figure, self.baseline.years, self.baseline, self.baseline, focus_year=year, text=app_rc(False)
        )
        self.blit = self.lab.blit  # frames over cached backgrounds (SliderApp.draw)
        super().__init__(names, figure, title=title, panel_title="Levers")
        self.exports.add_button("Handout (PDF)", "file-pdf-o", self.exports.save_handout)
        self.readout.add_class("lab-headline")
        self.upload = ScenarioUpload(self.panel)  # a saved scenario file sets the controls
        self.add_to_controls(self.upload.widget)

    @property
    def table(self) -> widgets.HTML:
        """The headline table (the app's readout)."""
        return self.readout

    def redraw(self, results):
        """Move the lab figure and the headline table to the new results."""
        self.lab.update(results)
        self.readout.value = headline_table(self.baseline_headline, results.headline(self.year), self.year)

    def layout_figure(self, projector: bool) -> None:
        """The lab figure anew: two panels with larger text (projector view) or all four."""
        self.figure.clear()
        years, base = self.baseline.years, self.baseline
        self.lab = LabFigure(
            self.figure, years, base, base, focus_year=self.year, projector=projector, text=app_rc(projector)
        )
        self.blit = self.lab.blit

    def prerender(self):
        """The first frame, its cached background and those of larger difference scales, not yet sent.

        See :meth:`SliderApp.prerender` and :meth:`LabFigure.prerender_scales`.
        """
        self.lab.prerender_scales()  # renders the first frame, then the larger scales


class DemoApp(SliderApp):
    """Two levers, presets and the headline table: the smallest app of the suite (notebook 00).

    A small figure of the two partners' shares of all flows moves with the levers.
    """

    LEVERS = ("russia_arms_enforcement", "china_export_ban_enforcement")

    def __init__(self, year: int = FOCUS_YEAR):
        from dprk_apps.lifelines import SharesFigure

        self.year = year
        self.baseline = simulate(load_preset(BASELINE).params)
        self.baseline_headline = self.baseline.headline(year)
        self.shares = SharesFigure(self.baseline, measures=("all",), height=3.2)
        super().__init__(self.LEVERS, self.shares.figure, "Who carries North Korea's flows", exports=False)

    @property
    def table(self) -> widgets.HTML:
        """The headline table (the app's readout)."""
        return self.readout

    def redraw(self, results):
        """Move the shares and refresh the table."""
        self.shares.update(results)
        self.readout.value = headline_table(self.baseline_headline, results.headline(self.year), self.year)


__all__ = ["DemoApp", "LabApp", "baseline_figure"]
