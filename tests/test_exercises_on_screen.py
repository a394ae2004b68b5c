"""Every exercise of notebooks 06 and 07 can be answered from what the screen shows.

For each question the controls are moved as a student would move them, the numbers are read back from
the widgets' readouts (tables via their ``data-value`` cells, sentences as written), and they must agree
with the hidden worked solution, which asks the model directly (``dprk_apps.exercises``). So a question
whose quantity no widget shows, or a readout that does not follow its control, fails here.
"""

import html
import re

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from dprk_apps import parameter_names
from dprk_apps import uncertainty as ua
from dprk_apps.exercises import ExerciseApp
from dprk_teaching import exercises as ex
from dprk_teaching.tables import shown_values
from model import registry
from model import uncertainty as u
from model.formatting import format_quantity
from model.timeline import FOCUS_YEAR, LAST_HISTORY_YEAR, NEAR_YEAR, PRESSURE_PEAK_YEAR

REL = 1e-6  # the readouts carry the model's numbers exactly; only float formatting differs


@pytest.fixture(scope="module")
def bench():
    return ExerciseApp(parameter_names("lever"))


@pytest.fixture
def app(bench):
    bench.presets.dropdown.value = "baseline"
    bench.panel.reset()
    bench.table_year.value = FOCUS_YEAR
    return bench


def _table(app) -> dict[str, float]:
    return shown_values(app.table.value)


def _totals(app) -> dict[str, float]:
    return shown_values(app.totals.value)


# ---------------------------------------------------------------------------------------------- 06
def test_the_table_year_chooser_moves_the_table(app):
    app.table_year.value = LAST_HISTORY_YEAR
    # The table's first header cell names its year (whatever its padding).
    assert re.search(rf"<th style='[^']*text-align:left[^']*'>{LAST_HISTORY_YEAR}</th>", app.table.value)
    at_history = _table(app)
    app.table_year.value = FOCUS_YEAR
    assert _table(app) != at_history


@pytest.mark.parametrize("answer", ex.china_makes_up_answer(), ids=["with cyber", "without cyber"])
def test_question_1_china_makes_up(app, answer):
    app.presets.dropdown.value = "russia-defects"
    app.panel.set_values({"include_cyber": answer["include_cyber"]})
    app.table_year.value = PRESSURE_PEAK_YEAR
    assert _table(app)["hard_currency_total_usd"] == pytest.approx(answer["target"], rel=REL)
    app.table_year.value = FOCUS_YEAR
    levels = registry.get("china_smuggling_enforcement").positions()
    china = dict.fromkeys(ex.CHINA_LEVERS)
    app.panel.set_values(dict.fromkeys(china, 0.0))
    assert _table(app)["hard_currency_total_usd"] == pytest.approx(answer["at_zero"], rel=REL)
    if answer["level"] is None:
        app.panel.set_values(dict.fromkeys(china, 1.0))
        assert _table(app)["hard_currency_total_usd"] > answer["target"]
        return
    app.panel.set_values(dict.fromkeys(china, answer["level"]))
    assert _table(app)["hard_currency_total_usd"] <= answer["target"]
    below = levels[levels < answer["level"] - 1e-9]
    if below.size:  # one slider step less is not enough: the answer is the first position that holds
        app.panel.set_values(dict.fromkeys(china, float(below[-1])))
        assert _table(app)["hard_currency_total_usd"] > answer["target"]


def test_question_2_single_lever(app):
    base_value, ranked = ex.single_lever_answer()
    assert _table(app)["hard_currency_total_usd"] == pytest.approx(base_value, rel=REL)
    for name, cut in ranked:
        app.panel.reset()
        app.panel.set_values({name: ex.STRICT[name]})
        shown = _table(app)["hard_currency_total_usd"]
        assert base_value - shown == pytest.approx(cut, rel=1e-6, abs=1.0), name


def test_question_3_who_is_the_lifeline(app):
    answer = ex.who_is_the_lifeline_answer()
    app.table_year.value = LAST_HISTORY_YEAR
    shown = _table(app)
    needed = [
        "recorded_trade_share_china",
        "lifeline_share_china",
        "lifeline_share_russia",
        "leverage_china_usd",
        "leverage_russia_usd",
    ]
    for key in needed:
        assert shown[key] == pytest.approx(answer[key], rel=REL), key


def test_question_4_year_of_war(app):
    answer = ex.year_of_war_answer()
    seen = set()
    for k, year in enumerate(answer["years"]):
        app.panel.set_values({"ceasefire_year": int(year)})
        shown = _totals(app)
        for key in ("hard_currency_russia_projection_usd", "war_cash_russia_projection_usd"):
            assert shown[key] == pytest.approx(answer[key][k], rel=REL), (year, key)
        seen.add(shown["war_cash_russia_projection_usd"])
    assert len(seen) > 1  # the readout follows the ceasefire slider


def test_question_5_monitoring(app):
    for preset, values in ex.monitoring_answer().items():
        app.presets.dropdown.value = preset
        for regime, value in values.items():
            app.panel.set_values({"monitoring_regime": regime})
            assert _table(app)["hard_currency_total_usd"] == pytest.approx(value, rel=REL), (preset, regime)


# ---------------------------------------------------------------------------------------------- 07
@pytest.fixture(scope="module")
def worlds():
    return u.run_ensemble("baseline", 1024, np.random.default_rng(5), keep="headlines")


@pytest.fixture(scope="module")
def lab07(worlds):
    return ua.UncertaintyApp(worlds)


def test_question_7_1_the_comparison_sentence_follows_year_and_preset(lab07, worlds):
    lab07.year.value = NEAR_YEAR
    answer = ex.uncertainty_answer(1, worlds)
    readouts = {}
    for preset in ("baseline", "max-pressure"):
        lab07.presets.dropdown.value = preset
        ensemble = worlds if preset == "baseline" else worlds.with_levers(preset)
        sentence = u.statement_greater(ensemble, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
        assert (
            u.probability_greater(ensemble, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
            == (answer[preset])
        )
        assert sentence in lab07.readout.value
        readouts[preset] = lab07.readout.value
    assert readouts["baseline"] != readouts["max-pressure"]
    lab07.presets.dropdown.value = "baseline"
    lab07.year.value = FOCUS_YEAR


def test_question_7_2_holding_the_arms_assumptions_narrows_the_band_shown(lab07, worlds):
    lab07.outcome.value = "hard_currency_russia"
    lab07.year.value = FOCUS_YEAR
    answer = ex.uncertainty_answer(2, worlds)
    assert "arms" in [group for _, group in lab07.hold.options]
    wide = lab07.readout.value
    assert f"width <b>{format_quantity(answer['all uncertain'], 'USD/yr')}</b>" in wide
    lab07.hold.value = ("arms",)
    assert sorted(lab07.held()) == sorted(answer["arms"])
    narrow = lab07.readout.value
    assert f"width <b>{format_quantity(answer['arms fixed'], 'USD/yr')}</b>" in narrow
    assert f"({format_quantity(answer['all uncertain'], 'USD/yr')})" in narrow
    assert f"{1 - answer['arms fixed'] / answer['all uncertain']:.0%} narrower" in narrow
    lab07.hold.value = ()
    assert lab07.readout.value == wide


def test_question_7_1_payment_mix_control_fixes_the_mix_and_the_page_says_which_is_in_effect(lab07, worlds):
    lab07.presets.dropdown.value = "baseline"
    lab07.year.value = NEAR_YEAR
    assert lab07.mix.value == "sampled"  # the default: the mix is drawn in every world
    assert u.PAYMENT_MIX not in lab07.scenario.fixed
    assert "is <b>sampled</b> in every world" in lab07.readout.value
    sampled = u.probability_greater(lab07.scenario, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
    assert sampled == ex.uncertainty_answer(1, worlds)["baseline"]
    lab07.mix.value = "fixed"
    assert u.PAYMENT_MIX in lab07.scenario.fixed
    assert "is <b>fixed</b> in every world" in lab07.readout.value and "as chosen under" in lab07.readout.value
    held = worlds.with_levers(None, fixed=[u.PAYMENT_MIX], keep=["hard_currency_russia", "hard_currency_china"])
    fixed = u.probability_greater(held, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
    assert u.probability_greater(lab07.scenario, "hard_currency_russia", "hard_currency_china", NEAR_YEAR) == fixed
    assert fixed != sampled  # the control changes the answer the page prints
    assert u.statement_greater(held, "hard_currency_russia", "hard_currency_china", NEAR_YEAR) in lab07.readout.value
    # the answer key states the mix it used, and the fixed-mix share beside it
    key = ex.uncertainty_html(1, worlds)
    assert "sampled in every world" in key
    assert "Held at the default mix" in key
    assert u.statement_greater(held, "hard_currency_russia", "hard_currency_china", NEAR_YEAR) in key
    lab07.mix.value = "sampled"
    assert "is <b>sampled</b> in every world" in lab07.readout.value
    lab07.year.value = FOCUS_YEAR


def test_question_7_3_the_sobol_table_shows_the_largest_gap(worlds):
    indices = u.sobol("baseline", "hard_currency_russia", FOCUS_YEAR, np.random.default_rng(3), n_base=64)
    answer = ex.uncertainty_answer(3, worlds, indices)
    table = ua.sobol_table(indices)
    rows = [row for row in table.splitlines()[2:] if row.startswith("| ")]  # the note under the table is not a row
    assert len(rows) == len(indices.names)  # every input, not only the figure's top six
    row = next(r for r in rows if r.startswith(f"| {registry.factor_title(answer['name'])} |"))
    assert f"| {answer['first']:.2f} | {answer['total']:.2f} |" in row


def test_question_7_4_the_discovery_panel_finds_the_solution_box(worlds):
    finder = ua.DiscoveryPanel(worlds)
    before = finder.readout.value
    finder.outcome.value = "lifeline_share_russia"
    finder.year.value = FOCUS_YEAR
    finder.threshold.value = ex.RUSSIA_MAJORITY * 100  # the panel shows fractions in percent
    finder.button.click()
    assert finder.errors.message == ""
    answer = ex.uncertainty_answer(4, worlds)["discovery"]
    assert html.escape(answer.describe()) in finder.readout.value
    assert finder.readout.value != before
