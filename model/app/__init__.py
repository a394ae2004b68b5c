"""The app layer: the interactive parts of the notebooks, built from the parameter registry (ipywidgets).

Imported only by notebooks (``import model`` loads neither ipywidgets nor matplotlib). Its rooms:

* :mod:`model.app.controls` - one control per registry parameter, panels grouped by role, presets.
* :mod:`model.app.feedback` - the error box that shows what went wrong inside a callback.
* :mod:`model.app.readouts` - the one comparison table, citations, hidden worked solutions.
* :mod:`model.app.exports` - saving the scenario (TOML), the figure (PNG + PDF) and the results (CSV).
* :mod:`model.app.base` - :class:`SliderApp`, the one skeleton: controls, readout, figure, exports, with an
  ``evaluate`` hook (one model run by default, an ensemble for the uncertainty app).
* :mod:`model.app.lifelines`, :mod:`model.app.lab`, :mod:`model.app.channels`,
  :mod:`model.app.uncertainty` - the notebooks' apps, each a :class:`SliderApp`.
* :mod:`model.app.roleplay` - notebook 08's role-play (not a SliderApp: a round is played on a button, by the
  rules of :mod:`model.roleplay.game`).

Examples
--------
In a notebook, ``display(app.widget)`` shows the app; here its callback is driven from code:

>>> from model.app.lab import LabApp
>>> app = LabApp(["russia_arms_enforcement"])
>>> before = app.baseline_headline["hard_currency_russia_usd"]
>>> app.panel.controls["russia_arms_enforcement"].input.value = 1.0
>>> shown = shown_values(app.readout.value)
>>> shown["hard_currency_russia_usd"] < before, app.errors.message
(True, '')
"""

from model.app.base import SliderApp
from model.app.controls import (
    ASSUMPTION_SECTIONS,
    LEVER_SECTIONS,
    ControlPanel,
    ParameterControl,
    PresetChooser,
    parameter_names,
)
from model.app.exports import ExportBar, export_folder, save_figure, save_results_csv, unique_path
from model.app.feedback import ErrorBox
from model.app.readouts import (
    NO_MATH,
    citations_html,
    comparison_table,
    headline_rows,
    headline_table,
    shown_values,
    solution,
    solution_html,
    sources_for,
)
from model.formatting import format_quantity

__all__ = [
    "ASSUMPTION_SECTIONS",
    "LEVER_SECTIONS",
    "NO_MATH",
    "ControlPanel",
    "ErrorBox",
    "ExportBar",
    "ParameterControl",
    "PresetChooser",
    "SliderApp",
    "citations_html",
    "comparison_table",
    "export_folder",
    "format_quantity",
    "headline_rows",
    "headline_table",
    "parameter_names",
    "save_figure",
    "save_results_csv",
    "shown_values",
    "solution",
    "solution_html",
    "sources_for",
    "unique_path",
]
