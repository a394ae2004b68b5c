"""The channel views and charts (dprk_figures/views.py, channels.py).

Views pick the right arrays, charts draw them, ``update`` changes the same artists in place, and the
payment split agrees with the model.
"""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dprk_figures import channels, style, views
from dprk_teaching import tables as readouts
from model import Params, formatting, simulate
from model.results import HARD_CURRENCY_CHANNELS


@pytest.fixture(scope="module")
def baseline():
    params = Params.defaults()
    return params, simulate(params)


@pytest.fixture
def ax():
    fig, ax = style.new_figure(show=False)
    yield ax
    plt.close(fig)


def test_import_model_does_not_import_matplotlib():
    code = "import sys, model, dprk_apps; assert 'matplotlib' not in sys.modules, 'matplotlib imported'"
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------------------------------------- generic


def test_stacked_area_shows_its_layers_and_updates_in_place(ax):
    x = np.arange(2013, 2020)
    layers = {"a": np.arange(7.0), "b": np.full(7, 2.0)}
    chart = channels.StackedAreaChart(ax, x, layers, ["red", "blue"], "bbl", "bbl/yr")
    np.testing.assert_allclose(chart.band_values("a"), layers["a"])
    np.testing.assert_allclose(chart.band_values("b"), layers["b"])
    artists = dict(chart.bands)
    chart.update({"a": np.ones(7), "b": np.full(7, 3.0)})
    assert chart.bands == artists  # same artists, new data
    np.testing.assert_allclose(chart.band_values("b"), 3.0)
    np.testing.assert_allclose(chart.total, 4.0)
    with pytest.raises(ValueError, match="expected layers"):
        chart.update({"b": np.ones(7), "a": np.ones(7)})


# ---------------------------------------------------------------------------------------------- oil


def test_oil_series_adds_up_to_the_model_supply(baseline):
    _, results = baseline
    oil = views.oil_series(results)
    np.testing.assert_allclose(oil.supply, results.oil_supply_bbl[0].sum(axis=(1, 2)))
    np.testing.assert_allclose(
        oil.reported + sum(oil.illicit.values()), results.oil_supply_bbl[0, :, 1:].sum(axis=(1, 2))
    )
    no_cap = ~np.isfinite(oil.refined_cap)
    assert no_cap.any() and np.all(oil.leakage[no_cap] == 0)


def test_oil_supply_chart_draws_series_and_updates(baseline, ax):
    _, results = baseline
    oil = views.oil_series(results)
    chart = channels.OilSupplyChart(ax, oil.years, oil.layers, oil.need)
    for label, values in oil.layers.items():
        np.testing.assert_allclose(chart.stack.band_values(label), values)
    np.testing.assert_allclose(chart.need_line.get_ydata(), oil.need)
    assert ax.get_ylim()[1] >= max(oil.supply.max(), oil.need.max())
    smaller = {k: v / 2 for k, v in oil.layers.items()}
    chart.update(smaller, oil.need * 0.9)
    np.testing.assert_allclose(chart.stack.total, oil.supply / 2)
    np.testing.assert_allclose(chart.need_line.get_ydata(), oil.need * 0.9)


def test_refined_cap_chart_hides_the_cap_before_it_applied_and_states_the_ratio(baseline, ax):
    _, results = baseline
    oil = views.oil_series(results)
    chart = channels.RefinedCapChart(ax, oil.years, oil.reported, oil.illicit, oil.refined_cap, label_year=2030)
    cap = np.asarray(chart.cap_line.get_ydata(), dtype=float)
    assert np.all(np.isnan(cap[~np.isfinite(oil.refined_cap)]))
    t = int(np.flatnonzero(oil.years == 2030)[0])
    assert f"{oil.leakage[t]:.1f} ×" in chart.ratio_text.get_text()
    doubled = {k: 2 * v for k, v in oil.illicit.items()}
    chart.update(oil.reported, doubled, oil.refined_cap)
    ratio = (oil.reported[t] + sum(v[t] for v in doubled.values())) / oil.refined_cap[t]
    assert f"{ratio:.1f} ×" in chart.ratio_text.get_text()


def test_more_china_smuggling_enforcement_lowers_the_chinese_waters_band(ax):
    low = views.oil_series(simulate(Params.from_overrides({"china_smuggling_enforcement": 0.0})))
    high = views.oil_series(simulate(Params.from_overrides({"china_smuggling_enforcement": 1.0})))
    chart = channels.RefinedCapChart(ax, low.years, low.reported, low.illicit, low.refined_cap)
    before = chart.stack.band_values("Ship-to-ship, Chinese waters")
    chart.update(high.reported, high.illicit, high.refined_cap)
    after = chart.stack.band_values("Ship-to-ship, Chinese waters")
    projection = low.years >= 2025
    assert np.all(after[projection] < before[projection])
    np.testing.assert_allclose(after[~projection], before[~projection])


# ---------------------------------------------------------------------------------------------- labour


def test_labour_series_matches_the_hard_currency_channels(baseline):
    _, results = baseline
    labour = views.labour_series(results)
    hc = results.hard_currency_usd[0]
    expected = hc[:, HARD_CURRENCY_CHANNELS.index("labour")].sum(axis=1) + hc[
        :, HARD_CURRENCY_CHANNELS.index("it_workers")
    ].sum(axis=1)
    np.testing.assert_allclose(sum(labour.revenue.values()), expected)
    np.testing.assert_allclose(sum(labour.workers.values()), results.workers_abroad[0].sum(axis=1))
    assert labour.at(2030)["revenue_total_usd"] == pytest.approx(expected[results.year_index(2030)])


def test_workers_chart_and_revenue_chart_update_in_place(baseline, ax):
    _, results = baseline
    labour = views.labour_series(results)
    chart = channels.WorkersChart(ax, labour.years, labour.workers, labour.it_workers)
    line = chart.it_line
    chart.update({k: v * 0.5 for k, v in labour.workers.items()}, labour.it_workers * 0.5)
    assert chart.it_line is line
    np.testing.assert_allclose(line.get_ydata(), labour.it_workers * 0.5)
    np.testing.assert_allclose(chart.stack.band_values("In Russia"), labour.workers["In Russia"] * 0.5)
    fig, other = style.new_figure(show=False)
    revenue = channels.labour_revenue_chart(other, labour.years, labour.revenue)
    np.testing.assert_allclose(revenue.stack.band_values("IT workers"), labour.revenue["IT workers"])
    assert revenue.ceasefire_line is None
    plt.close(fig)


# ---------------------------------------------------------------------------------------------- arms


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"russia_payment_cash_weight": 0.2, "russia_payment_oil_weight": 0.5, "price_per_round_usd": 800.0},
        {"ceasefire_year": 2027, "war_demand_level": 1.5, "russia_payment_food_weight": 0.0},
    ],
)
def test_russia_payment_adds_up_and_follows_the_weights(overrides):
    # With the undelivered oil made up in full, the payment is the whole value of what Russia buys; with
    # less made up (the uncertainty's default), it is never more.
    partial = simulate(Params.from_overrides(overrides))
    params = Params.from_overrides({"russia_oil_makeup_share": 1.0, **overrides})
    results = simulate(params)
    arms = views.arms_series(results)
    total = (
        results.munition_rounds[0] * params.scalar("price_per_round_usd")
        + results.missiles_sold[0] * params.scalar("missile_price_usd")
        + results.troops_in_russia[0] * 12 * params.scalar("troop_monthly_pay_usd")
    )
    np.testing.assert_allclose(sum(arms.payment.values()), total, rtol=1e-9, atol=1e-3)
    assert np.all(sum(views.arms_series(partial).payment.values()) <= total + 1e-3)
    assert all(np.all(v >= 0) for v in arms.payment.values())
    # In the scenario years the split follows the lever weights: oil up to what Russia can deliver (need,
    # route), and the other three forms in the proportions of their weights, sharing what oil could not pay.
    projection = results.years >= 2025
    shares = params.payment_shares()
    assert np.all(arms.payment["oil"][projection] <= total[projection] * shares["oil"][0] * (1 + 1e-9))
    rest = sum(arms.payment[form][projection] for form in ("cash", "food", "technology"))
    rest_weight = sum(shares[form][0] for form in ("cash", "food", "technology"))
    for form in ("cash", "food", "technology"):
        np.testing.assert_allclose(arms.payment[form][projection], rest * shares[form][0] / rest_weight, rtol=1e-9)
    if not overrides:  # at the defaults Russia delivers all the oil its weight asks for
        np.testing.assert_allclose(arms.payment["oil"][projection], total[projection] * shares["oil"][0], rtol=1e-9)
    np.testing.assert_allclose(arms.payment["cash"], arms.hard_currency_russia)


def test_russia_payment_per_draw_of_a_batch():
    params = Params.from_overrides(
        {"russia_payment_cash_weight": [0.1, 0.5, 0.9], "missile_price_usd": [1e6, 3e6, 9e6]}
    )
    results = simulate(params)
    t = results.year_index(2030)
    cash = [views.arms_series(results, draw=d).payment["cash"][t] for d in range(3)]
    shares = params.payment_shares()["cash"]
    totals = [sum(v[t] for v in views.arms_series(results, draw=d).payment.values()) for d in range(3)]
    np.testing.assert_allclose(cash, np.array(totals) * shares)
    assert totals[0] < totals[1] < totals[2]  # dearer missiles, larger payment


def test_arms_quantities_chart_moves_and_hides_the_ceasefire_line(baseline):
    _params, results = baseline
    arms = views.arms_series(results)
    fig, axes = style.new_figure(2, 2, show=False)
    chart = channels.ArmsQuantitiesChart(axes, arms.years, arms.quantities, ceasefire_year=2028)
    assert all(line.get_visible() and line.get_xdata()[0] == 2027.5 for line in chart.ceasefire_lines)
    chart.update(arms.quantities, ceasefire_year=2036)
    assert not any(line.get_visible() for line in chart.ceasefire_lines)
    np.testing.assert_allclose(chart.lines["rounds"].get_ydata(), arms.quantities["rounds"])
    with pytest.raises(ValueError, match="need 4 axes"):
        channels.ArmsQuantitiesChart(axes.ravel()[:3], arms.years, arms.quantities)
    plt.close(fig)


def test_payment_chart_layers_follow_the_payment(baseline, ax):
    _params, results = baseline
    arms = views.arms_series(results)
    chart = channels.payment_chart(ax, arms.years, arms.payment, ceasefire_year=2030)
    for form in views.PAYMENT_FORMS:
        np.testing.assert_allclose(chart.stack.band_values(form.capitalize()), arms.payment[form])
    np.testing.assert_allclose(chart.stack.total, sum(arms.payment.values()))


# ---------------------------------------------------------------------------------------------- text


def test_formatters():
    assert formatting.format_usd(1.36e9) == "$1.36 bn"
    assert formatting.format_usd(2.9e8) == "$290 m"
    assert formatting.format_bbl(4e6) == "4.00 m bbl"
    assert formatting.format_bbl(73_400) == "73,000 bbl"
    assert formatting.format_count(12000) == "12,000"


def test_readout_round_trip_and_solution_toggle():
    html = readouts.comparison_table([("x", "X", 1.0, 2.5, "{:.1f}".format), ("y", "Y", 3.0, 3.0, str)], 2030)
    assert readouts.shown_values(html) == {"x": 2.5, "y": 3.0}
    assert "+1.5" in html and "2030" in html
    solution = readouts.solution_html("<p>answer</p>", "Solution 1")
    assert solution.startswith("<details") and " open" not in solution and "Solution 1" in solution
    assert "tex2jax_ignore" in solution  # dollar amounts are not typeset as mathematics
