"""Plot helpers: artists are created once and move in place."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dprk_figures import uncertainty as pu
from model import uncertainty as u


@pytest.fixture(scope="module")
def ensembles():
    base = u.run_ensemble("baseline", 300, np.random.default_rng(1))
    return base, base.with_levers("max-pressure")


def band_top(collection, from_year=2025):
    """The band's highest point in the projection (history is the same in every scenario)."""
    vertices = collection.get_paths()[0].vertices
    return vertices[vertices[:, 0] >= from_year, 1].max()


def test_fan_chart_updates_its_artists_in_place(ensembles):
    base, scenario = ensembles
    fig, ax = plt.subplots()
    chart = pu.FanChart(ax, u.fan(base, "hard_currency_russia"), u.fan(base, "hard_currency_russia"))
    artists = (list(ax.collections), list(ax.lines))
    before = band_top(chart.bands[0.9]), chart.median.get_ydata().copy()
    fan = u.fan(scenario, "hard_currency_russia")
    chart.update(fan)
    assert (list(ax.collections), list(ax.lines)) == artists  # nothing added, nothing rebuilt
    assert band_top(chart.bands[0.9]) < before[0]
    np.testing.assert_allclose(chart.median.get_ydata(), fan.median / 1e9)
    assert not np.allclose(chart.median.get_ydata(), before[1])
    low, high = chart.bands[0.5].get_paths()[0].vertices[:, 1].min(), band_top(chart.bands[0.5])
    assert low >= fan.band(0.9)[0].min() / 1e9 - 1e-9 and high <= fan.band(0.9)[1].max() / 1e9 + 1e-9
    chart.set_year(2030)
    assert chart.year_line.get_visible() and chart.year_line.get_xdata()[0] == 2030
    fig.canvas.draw()
    plt.close(fig)


def test_tornado_chart_updates_bars_and_units():
    fig, ax = plt.subplots()
    chart = pu.TornadoChart(ax, u.tornado(None, "munition_rounds", 2028), bars=5)
    patches = list(ax.patches)
    assert ax.get_yticklabels()[0].get_text().startswith("Munition containers")
    chart.update(u.tornado(None, "lifeline_share_russia", 2028))
    assert list(ax.patches) == patches
    assert "%" in ax.get_xlabel()
    widths = [p.get_width() for p in chart.low_bars] + [p.get_width() for p in chart.high_bars]
    assert all(w >= 0 for w in widths) and max(widths) > 0
    fig.canvas.draw()
    plt.close(fig)


def test_static_helpers_draw(ensembles):
    base, _ = ensembles
    fig, axes = plt.subplots(1, 3)
    indices = u.sobol_indices(
        lambda x: x @ np.array([1.0, 2.0]),
        ["oil_need_bbl", "crude_price_usd_per_bbl"],
        lambda z: z,
        64,
        np.random.default_rng(0),
    )
    pu.sobol_bars(axes[0], indices)
    values = base.at("oil_cap_leakage", 2030)
    threshold = float(np.median(values))
    found = u.discover(base, "oil_cap_leakage", 2030, threshold)
    pu.discovery_scatter(axes[1], base.draws, base.names, values > threshold, found.box)
    pu.exceedance(axes[2], values, threshold, "x cap")
    assert len(axes[0].patches) == 4 and len(axes[1].patches) == 1
    fig.canvas.draw()
    plt.close(fig)
    grid = plt.figure()
    comparison = u.compare(["max-pressure", "russia-defects"], 100, np.random.default_rng(2))
    charts = pu.small_multiples(
        grid,
        comparison.fans("oil_cap_leakage"),
        dict(zip(comparison.names, comparison.titles, strict=True)),
        "baseline",
        columns=2,
    )
    assert len(charts) == 3 and charts[0].base_median is None and charts[1].base_median is not None
    plt.close(grid)
