"""Notebook 06's workbench: the scenario lab with a year chooser and the projection's totals.

The worked solutions it is used with are in :mod:`dprk_teaching.exercises`.
"""

from __future__ import annotations

from dprk_apps.lab import LabApp
from dprk_teaching.exercises import projection_table
from dprk_teaching.tables import headline_table
from model.timeline import FOCUS_YEAR


class ExerciseApp(LabApp):
    """Notebook 06's workbench: the scenario lab with a year chooser for its table and the projection's totals.

    Every exercise of 06 is answered from what it shows: the headline table in any year (the chooser),
    and hard currency via Russia summed over the projection (:func:`projection_totals`).

    Attributes
    ----------
    table_year : ipywidgets.IntSlider
        The year of the headline table (the figure's dotted line stays at the focus year).
    totals : ipywidgets.HTML
        Baseline, scenario and difference of :func:`projection_totals`.
    """

    def __init__(self, names=None, year: int = FOCUS_YEAR, title: str = "Exercise scenario"):
        import ipywidgets as widgets

        self.totals = widgets.HTML()
        self.totals.add_class("projection-totals")
        super().__init__(names, year=year, title=title)
        first, last = int(self.baseline.years[0]), int(self.baseline.years[-1])
        self.table_year = widgets.IntSlider(
            value=year, min=first, max=last, description="Table year", continuous_update=False
        )
        self.watch(self.table_year, self.show_year)
        # The table's year with the controls, the projection's totals under the figure: numbers and figure
        # stay on one projector screen together.
        self.add_to_controls(self.table_year, 2)
        self.add_to_results(self.totals, self.results_column.children.index(self.canvas) + 1)

    def show_year(self) -> None:
        """The headline table in the chosen year (no new model run)."""
        self.year = int(self.table_year.value)
        self.baseline_headline = self.baseline.headline(self.year)
        self.readout.value = headline_table(self.baseline_headline, self.results.headline(self.year), self.year)

    def redraw(self, results):
        """Move the figure and both tables to the new results."""
        super().redraw(results)
        self.totals.value = projection_table(self.baseline, results)


__all__ = ["ExerciseApp"]
