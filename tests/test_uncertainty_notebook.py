"""Headless run of notebook 07 with its controls driven from code (the way a slider sets a value).

The notebook is executed once per test session (:mod:`tests.notebook_runner`), this probe appended to it.

Warnings are errors inside the kernel (except ipympl's own toolbar deprecation). The probe records the
fan chart's artists before and after a lever change, an outcome change and a threshold change; the tests
assert that the same artists moved in the expected direction, never model outputs.
"""

from __future__ import annotations

import pytest

from tests.notebook_runner import add_cell

pytestmark = pytest.mark.notebooks

PROBE = """\
import json as _json
import matplotlib.pyplot as _plt

_m = {}
_figures = len(_plt.get_fignums())
_figure, _median, _band = app.figure, app.fan_chart.median, app.fan_chart.bands[0.9]
_t = list(app.base.years).index(app.year.value)
_m["median_before"] = float(app.fan_chart.median.get_ydata()[_t])
_m["readout_before"] = app.readout.value
app.panel.controls["russia_arms_enforcement"].input.value = 1.0
_m["median_after"] = float(app.fan_chart.median.get_ydata()[_t])
_m["base_median"] = float(app.fan_chart.base_median.get_ydata()[_t])
_m["readout_after"] = app.readout.value
_m["same_artists"] = app.fan_chart.median is _median and app.fan_chart.bands[0.9] is _band
app.outcome.value = "oil_cap_leakage"
_m["ylabel"] = app.fan_chart.ax.get_ylabel()
_m["tornado_label"] = app.tornado_chart.ax.get_xlabel()
app.threshold.value = "0"
_m["readout_zero"] = app.readout.value
app.threshold.value = str(app.threshold_parameter().max)
_m["readout_high"] = app.readout.value
for _typed in ("-5", "1e9"):
    app.threshold.value = _typed
    _m["refused_" + _typed] = app.threshold_message.value
_m["readout_after_refusals"] = app.readout.value
app.panel.reset()
app.outcome.value = "hard_currency_russia"
_m["band_all"] = app.band_sentence()
app.hold.value = ("arms",)
_m["band_arms"] = app.band_sentence()
finder.outcome.value = "lifeline_share_russia"
finder.threshold.value = 50.0
finder.button.click()
_m["rule"] = finder.readout.value
_m["finder_error"] = finder.errors.message
_m["new_figures"] = len(_plt.get_fignums()) - _figures
_m["same_figure"] = app.figure is _figure
_m["error"] = app.errors.message
print("MEASURED:" + _json.dumps(_m))
"""


add_cell("07_uncertainty", "uncertainty probe", PROBE)


@pytest.fixture(scope="module")
def measured(executed_notebooks):
    return executed_notebooks.get("07_uncertainty").measured("uncertainty probe")


def test_a_lever_moves_the_fan_in_place(measured):
    # Russia stops buying arms: hard currency via Russia falls in the chosen year, below the baseline.
    assert measured["median_after"] < measured["median_before"]
    assert measured["median_after"] < measured["base_median"]
    assert measured["same_artists"] and measured["same_figure"] and measured["new_figures"] == 0
    assert measured["readout_after"] != measured["readout_before"]
    assert measured["error"] == ""


def test_outcome_and_threshold_choosers_update_the_view(measured):
    assert measured["ylabel"] == "x cap" and "Oil-cap leakage ratio" in measured["tornado_label"]
    assert "In all" in measured["readout_zero"] and "above" in measured["readout_zero"]
    assert "In none" in measured["readout_high"]


def test_the_threshold_box_refuses_values_out_of_range(measured):
    for typed in ("-5", "1e9"):
        message = measured["refused_" + typed]
        assert f"'{typed}' is out of range" in message and "allowed 0 to" in message and "stays" in message
    assert measured["readout_after_refusals"] == measured["readout_high"]  # nothing changed


def test_hold_fixed_and_the_discovery_panel_answer_the_exercises(measured):
    assert "0% narrower" in measured["band_all"] and "held fixed" not in measured["band_all"]
    assert "Arms held fixed" in measured["band_arms"] and "narrower" in measured["band_arms"]
    assert " 0% narrower" not in measured["band_arms"]
    assert "Russia&#x27;s share of all flows above 50.0% in 2030" in measured["rule"]
    assert measured["finder_error"] == ""
