"""The app layer: the interactive parts of the notebooks, built from the parameter registry (ipywidgets).

Imported only by notebooks (``import model`` loads neither ipywidgets nor matplotlib). Its rooms:

* :mod:`dprk_apps.controls` - one control per registry parameter, panels grouped by role, presets.
* :mod:`dprk_apps.feedback` - the error box that shows what went wrong inside a callback.
* :mod:`dprk_apps.exports` - saving the scenario (TOML), the figure (PNG + PDF) and the results (CSV).
* :mod:`dprk_apps.base` - :class:`SliderApp`, the one skeleton: controls, readout, figure, exports, with an
  ``evaluate`` hook (one model run by default, an ensemble for the uncertainty app).
* :mod:`dprk_apps.lifelines`, :mod:`dprk_apps.lab`, :mod:`dprk_apps.channels`,
  :mod:`dprk_apps.uncertainty` - the notebooks' apps, each a :class:`SliderApp`.
* :mod:`dprk_apps.roleplay` - notebook 08's role-play (not a SliderApp: a round is played on a button, by the
  rules of :mod:`dprk_roleplay.game`).

Examples
--------
In a notebook, ``display(app.widget)`` shows the app; here its callback is driven from code:

>>> from dprk_apps.lab import LabApp
>>> app = LabApp(["russia_arms_enforcement"])
>>> before = app.baseline_headline["hard_currency_russia_usd"]
>>> app.panel.controls["russia_arms_enforcement"].input.value = 1.0
>>> from dprk_teaching.tables import shown_values
>>> shown = shown_values(app.readout.value)
>>> shown["hard_currency_russia_usd"] < before, app.errors.message
(True, '')
"""

from dprk_apps.base import SliderApp
from dprk_apps.controls import (
    ASSUMPTION_SECTIONS,
    LEVER_SECTIONS,
    ControlPanel,
    ParameterControl,
    PresetChooser,
    parameter_names,
)
from dprk_apps.exports import Downloads, ExportBar, export_folder, save_figure, save_results_csv, unique_path
from dprk_apps.feedback import ErrorBox

__all__ = [
    "ASSUMPTION_SECTIONS",
    "LEVER_SECTIONS",
    "ControlPanel",
    "Downloads",
    "ErrorBox",
    "ExportBar",
    "ParameterControl",
    "PresetChooser",
    "SliderApp",
    "export_folder",
    "parameter_names",
    "save_figure",
    "save_results_csv",
    "unique_path",
]
