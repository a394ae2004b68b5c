"""Headless runs of the channel notebooks (00, 02, 03, 04, 06) with their controls driven from code.

Each notebook is executed once per test session (:mod:`tests.notebook_runner`), warnings raised as errors
inside the kernel. A probe cell appended to it sets control values the way a slider would
(``control.input.value = ...``) and prints what the notebook then shows: the numbers in its table (read back
from the HTML) and the data of its figure artists. The tests assert directions and relations, never model
outputs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.notebook_runner import add_cell

pytestmark = pytest.mark.notebooks


# Shared by every probe: how to read the shown numbers and count the figures.
PROBE_HEAD = """\
import json as _json
import matplotlib.pyplot as _plt
from dprk_teaching import tables as _ch

_m = {}
_figures_before = len(_plt.get_fignums())
_figure = app.figure if hasattr(app, "figure") else None


def _shown(widget):
    return _ch.shown_values(widget.value)


def _set(name, value):
    app.panel.controls[name].input.value = value
"""

PROBE_TAIL = """
_m["new_figures"] = len(_plt.get_fignums()) - _figures_before
_m["same_figure"] = _figure is None or app.figure is _figure
_m["error"] = app.errors.message
print("MEASURED:" + _json.dumps(_m))
"""


def probe(name: str, code: str) -> str:
    """Append a probe cell to notebook ``name`` (run once per session); return its key."""
    return add_cell(name, "channel probe", PROBE_HEAD + code + PROBE_TAIL)


def run(executed_notebooks, name: str) -> dict:
    """The measurements the probe appended to notebook ``name`` printed."""
    return executed_notebooks.get(name).measured("channel probe")


def _drop(before: list[float], after: list[float]) -> tuple[bool, bool]:
    """(no value rose, some value fell) between two yearly series."""
    return all(a <= b + 1e-6 for a, b in zip(after, before, strict=True)), any(
        a < b - 1e-6 for a, b in zip(after, before, strict=True)
    )


# ---------------------------------------------------------------------------------------------- 02 oil

OIL_PROBE = """
_m["base"] = _shown(app.readout)
_m["band_china_before"] = app.cap_chart.stack.band_values("Ship-to-ship, Chinese waters").tolist()
_set("china_smuggling_enforcement", 1.0)
_m["strict_china"] = _shown(app.readout)
_m["band_china_after"] = app.cap_chart.stack.band_values("Ship-to-ship, Chinese waters").tolist()
app.panel.reset()
_m["reset"] = _shown(app.readout)
_set("russia_oil_cap_enforcement", 1.0)
_m["russia_respects"] = _shown(app.readout)
_m["band_russia"] = app.supply_chart.stack.band_values("Above the cap, via Russia").tolist()
app.panel.reset()
_m["band_russia_base"] = app.supply_chart.stack.band_values("Above the cap, via Russia").tolist()
_set("china_pipeline_cut", 0.5)
_m["pipeline_cut"] = _shown(app.readout)
_m["need_line"] = list(map(float, app.supply_chart.need_line.get_ydata()))
_m["need_series"] = app.series.need.tolist()
with __import__("tempfile").TemporaryDirectory() as _exports:
    app.exports.folder = __import__("pathlib").Path(_exports)
    _m["exported"] = [str(p) for p in app.exports.save_figure() if p.stat().st_size > 0]
"""
probe("02_oil", OIL_PROBE)


@pytest.fixture(scope="module")
def oil(executed_notebooks):
    return run(executed_notebooks, "02_oil")


def test_oil_china_smuggling_enforcement_lowers_smuggling_through_china(oil):
    assert oil["strict_china"]["illicit_china_bbl"] < oil["base"]["illicit_china_bbl"]
    no_rise, some_fall = _drop(oil["band_china_before"], oil["band_china_after"])
    assert no_rise and some_fall


def test_oil_blocked_smuggling_is_partly_rerouted(oil):
    rerouted = oil["strict_china"]["illicit_russia_bbl"] + oil["strict_china"]["illicit_other_bbl"]
    assert rerouted > oil["base"]["illicit_russia_bbl"] + oil["base"]["illicit_other_bbl"]  # actual diversion


def test_oil_russia_respecting_the_cap_lowers_russian_oil_and_leakage(oil):
    assert oil["reset"] == oil["base"]
    assert oil["russia_respects"]["illicit_russia_bbl"] < oil["base"]["illicit_russia_bbl"]
    assert oil["russia_respects"]["leakage_x_cap"] < oil["base"]["leakage_x_cap"]
    no_rise, some_fall = _drop(oil["band_russia_base"], oil["band_russia"])
    assert no_rise and some_fall


def test_oil_pipeline_cut_lowers_pipeline_and_supply(oil):
    cut, base = oil["pipeline_cut"], oil["base"]
    assert cut["pipeline_bbl"] < base["pipeline_bbl"]
    assert cut["supply_bbl"] < base["supply_bbl"]
    # Smuggling refills part of the gap, so supply falls by less than the pipeline.
    assert base["supply_bbl"] - cut["supply_bbl"] <= base["pipeline_bbl"] - cut["pipeline_bbl"] + 1e-6


def test_oil_figure_updated_in_place_and_exported(oil):
    assert oil["need_line"] == oil["need_series"]
    assert oil["new_figures"] == 0 and oil["same_figure"]
    assert oil["error"] == ""
    assert sorted(Path(p).suffix for p in oil["exported"]) == [".pdf", ".png"]


# ---------------------------------------------------------------------------------------------- 03 labour

LABOUR_PROBE = """
_m["base"] = _shown(app.readout)
_m["china_band_before"] = app.workers_chart.stack.band_values("In China").tolist()
_set("china_labour_enforcement", 1.0)
_m["china_strict"] = _shown(app.readout)
_m["china_band_after"] = app.workers_chart.stack.band_values("In China").tolist()
app.panel.reset()
_set("russia_labour_enforcement", 1.0)
_m["russia_strict"] = _shown(app.readout)
app.panel.reset()
_m["it_before"] = list(map(float, app.workers_chart.it_line.get_ydata()))
_set("worker_repatriation", 1.0)
_m["third_strict"] = _shown(app.readout)
_m["it_after"] = list(map(float, app.workers_chart.it_line.get_ydata()))
"""
probe("03_labour", LABOUR_PROBE)


@pytest.fixture(scope="module")
def labour(executed_notebooks):
    return run(executed_notebooks, "03_labour")


def test_labour_china_repatriation_lowers_workers_in_china_and_diverts_to_russia(labour):
    base, strict = labour["base"], labour["china_strict"]
    assert strict["workers_china"] < base["workers_china"]
    assert strict["revenue_china_usd"] < base["revenue_china_usd"]
    assert strict["workers_russia"] > base["workers_russia"]  # actual diversion to Russia
    no_rise, some_fall = _drop(labour["china_band_before"], labour["china_band_after"])
    assert no_rise and some_fall


def test_labour_russia_repatriation_lowers_workers_in_russia(labour):
    assert labour["russia_strict"]["workers_russia"] < labour["base"]["workers_russia"]
    assert labour["russia_strict"]["revenue_total_usd"] < labour["base"]["revenue_total_usd"]


def test_labour_third_country_repatriation_lowers_it_workers(labour):
    assert labour["third_strict"]["it_workers"] < labour["base"]["it_workers"]
    no_rise, some_fall = _drop(labour["it_before"], labour["it_after"])
    assert no_rise and some_fall
    assert labour["new_figures"] == 0 and labour["same_figure"] and labour["error"] == ""


# ---------------------------------------------------------------------------------------------- 04 arms

ARMS_PROBE = """
_years = app.series.years.tolist()
_m["years"] = _years
_m["base"] = _shown(app.readout)
_m["cash_before"] = app.payment_chart.stack.band_values("Cash").tolist()
_m["line_hidden"] = not app.payment_chart.ceasefire_line.get_visible()
_set("ceasefire_year", 2027)
_m["ceasefire"] = _shown(app.readout)
_m["cash_after"] = app.payment_chart.stack.band_values("Cash").tolist()
_m["rounds_after"] = list(map(float, app.quantities_chart.lines["rounds"].get_ydata()))
_m["line_x"] = float(app.payment_chart.ceasefire_line.get_xdata()[0])
_m["line_visible"] = bool(app.payment_chart.ceasefire_line.get_visible())
app.panel.reset()
_set("russia_arms_enforcement", 1.0)
_m["ban"] = _shown(app.readout)
app.panel.reset()
_set("russia_payment_cash_weight", 1.0)
_m["more_cash"] = _shown(app.readout)
app.panel.reset()
_before_error = app.readout.value
app.panel.set_values(dict.fromkeys(
    ["russia_payment_cash_weight", "russia_payment_oil_weight", "russia_payment_food_weight",
     "russia_payment_technology_weight"], 0.0))
_m["weights_error"] = app.errors.message
_m["readout_kept"] = app.readout.value == _before_error
app.panel.reset()
"""
probe("04_arms", ARMS_PROBE)


@pytest.fixture(scope="module")
def arms(executed_notebooks):
    return run(executed_notebooks, "04_arms")


def test_arms_ceasefire_lowers_russian_cash_after_the_ceasefire_year_only(arms):
    years = arms["years"]
    for year, before, after in zip(years, arms["cash_before"], arms["cash_after"], strict=True):
        if year >= 2027:
            assert after < before, year
        else:
            assert after == pytest.approx(before), year
    assert arms["ceasefire"]["payment_cash_usd"] < arms["base"]["payment_cash_usd"]
    assert arms["ceasefire"]["troops"] < arms["base"]["troops"]
    assert arms["rounds_after"][years.index(2030)] < arms["base"]["rounds"]


def test_arms_ceasefire_line_moves_to_the_ceasefire_year(arms):
    assert arms["line_hidden"]  # no ceasefire before 2036 at baseline
    assert arms["line_visible"] and 2026 < arms["line_x"] < 2027


def test_arms_ban_stops_purchases(arms):
    ban, base = arms["ban"], arms["base"]
    assert ban["rounds"] < base["rounds"] and ban["missiles"] < base["missiles"] and ban["troops"] < base["troops"]
    assert ban["payment_total_usd"] < base["payment_total_usd"]


def test_arms_payment_weights_change_the_form_not_the_total(arms):
    more, base = arms["more_cash"], arms["base"]
    assert more["payment_cash_usd"] > base["payment_cash_usd"]
    assert more["payment_total_usd"] == pytest.approx(base["payment_total_usd"])


def test_arms_invalid_weights_show_a_readable_error(arms):
    assert "payment weights" in arms["weights_error"]
    assert arms["readout_kept"]
    assert arms["error"] == ""  # cleared after reset
    assert arms["new_figures"] == 0 and arms["same_figure"]


# ---------------------------------------------------------------------------------------------- 06 and 00

EXERCISES_PROBE = """
import numpy as _np
_t = int(_np.flatnonzero(app.results.years == 2030)[0])
_m["base"] = _shown(app.table)
_m["line_before"] = float(app.lab.lines["hc"]["total"].get_ydata()[_t])
_set("russia_arms_enforcement", 1.0)
_m["ban"] = _shown(app.table)
_m["line_after"] = float(app.lab.lines["hc"]["total"].get_ydata()[_t])
app.presets.dropdown.value = "china-crackdown"
_m["crackdown"] = _shown(app.table)
_m["totals_war"] = _shown(app.totals)
_set("ceasefire_year", 2026)
_m["totals_ceasefire"] = _shown(app.totals)
app.table_year.value = 2024
_m["table_2024"] = _shown(app.table)
_m["table_header"] = app.table.value
"""
probe("06_exercises", EXERCISES_PROBE)


def test_exercises_controls_move_table_and_figure(executed_notebooks):
    m = run(executed_notebooks, "06_exercises")
    assert m["ban"]["hard_currency_russia_usd"] < m["base"]["hard_currency_russia_usd"]
    assert m["ban"]["hard_currency_total_usd"] < m["base"]["hard_currency_total_usd"]
    assert m["line_after"] < m["line_before"]
    assert m["crackdown"]["hard_currency_china_usd"] < m["base"]["hard_currency_china_usd"]
    war, peace = m["totals_war"], m["totals_ceasefire"]
    assert peace["war_cash_russia_projection_usd"] < war["war_cash_russia_projection_usd"]
    assert peace["hard_currency_russia_projection_usd"] < war["hard_currency_russia_projection_usd"]
    assert ">2024</th>" in m["table_header"] and m["table_2024"] != m["crackdown"]
    assert m["new_figures"] == 0 and m["same_figure"] and m["error"] == ""


START_PROBE = """
_m["base"] = _shown(app.table)
_set("russia_arms_enforcement", 1.0)
_m["ban"] = _shown(app.table)
"""
probe("00_start_here", START_PROBE)


def test_start_here_demo_responds_to_a_lever(executed_notebooks):
    m = run(executed_notebooks, "00_start_here")
    assert m["ban"]["hard_currency_russia_usd"] < m["base"]["hard_currency_russia_usd"]
    assert m["error"] == ""
