"""Plot helpers: artists are created once and updated in place with the data given."""

import matplotlib
import numpy as np
import pytest

from dprk_figures import lifelines as lp
from dprk_figures import style
from dprk_figures.lab import LabFigure, lab_series
from model import Params, simulate
from model.observations import series

matplotlib.use("Agg")
import matplotlib.pyplot as plt

YEARS = np.arange(2013, 2036)


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


def test_gap_series_keeps_missing_years_as_gaps():
    out = lp.gap_series([2013, 2015], [1.0, 3.0], YEARS)
    assert out[0] == 1.0 and out[2] == 3.0
    assert np.isnan(out[1]) and np.isnan(out[3:]).all()
    with pytest.raises(ValueError, match="basis"):
        lp.gap_series([2013, 2013], [1.0, 2.0], YEARS)
    with pytest.raises(ValueError, match="within"):
        lp.gap_series([2050], [1.0], YEARS)


def test_observations_of_one_basis_leave_gaps(ax):
    years, values, rows = series("recorded_trade_usd", partner="total", flow="total", basis="KOTRA")
    line = lp.observation_line(ax, years, values, YEARS, marker=lp.BASIS_MARKERS["KOTRA"])
    y = np.asarray(line.get_ydata())
    assert np.isfinite(y).sum() == len(rows)
    assert np.isnan(y[YEARS > 2024]).all()  # no observations drawn into the projection


def test_lines_update_in_place(ax):
    lines = lp.series_lines(ax, YEARS, {"china": np.zeros(YEARS.size), "russia": np.ones(YEARS.size)})
    assert lines["china"].get_color() == style.PARTNER_COLOURS["china"]
    same = dict(lines)
    lp.update_lines(lines, YEARS, {"china": np.full(YEARS.size, 0.5)})
    assert lines["china"] is same["china"]
    assert np.allclose(lines["china"].get_ydata(), 0.5)
    assert np.allclose(lines["russia"].get_ydata(), 1.0)
    assert len(ax.get_lines()) == 2  # nothing new drawn


def test_band_updates_in_place(ax):
    band = lp.band(ax, YEARS, np.zeros(YEARS.size), np.ones(YEARS.size))
    before = band.get_paths()[0].vertices.copy()
    lp.update_band(band, YEARS, np.ones(YEARS.size), np.full(YEARS.size, 3.0))
    after = band.get_paths()[0].vertices
    assert after[:, 1].max() == pytest.approx(3.0) and before[:, 1].max() == pytest.approx(1.0)
    assert len(ax.collections) == 1


def test_bars_update_in_place(ax):
    base, scen = lp.paired_bars(ax, ["china", "russia"], [1.0, 2.0], [1.0, 2.0])
    lp.update_bars(scen, [0.5, -1.0])
    assert [r.get_height() for r in scen.patches] == [0.5, -1.0]
    assert [r.get_height() for r in base.patches] == [1.0, 2.0]
    with pytest.raises(ValueError):
        lp.update_bars(scen, [1.0])


def test_fit_ylim_covers_data(ax):
    style.fit_ylim(ax, [1.0, 5.0], [np.nan, -2.0])
    low, high = ax.get_ylim()
    assert low < -2.0 and high > 5.0


def test_usd_text():
    assert style.tick_usd(-1.5e9) == "−$1.5 bn"
    assert style.tick_usd(2.5e8) == "$250 m"


@pytest.fixture
def lab():
    fig = plt.figure(figsize=(10, 6))
    base = simulate(Params.defaults())
    yield LabFigure(fig, base.years, base, base, focus_year=2030), base
    plt.close(fig)


def test_lab_figure_follows_the_scenario(lab):
    figure, base = lab
    t = int(np.flatnonzero(base.years == 2030)[0])
    artists = {key: line for lines in figure.lines.values() for key, line in lines.items()}
    before = figure.scenario_data()
    assert np.allclose(before["bars.hc"], 0.0)  # scenario = baseline: no differences
    scenario = simulate(Params.from_overrides({"russia_arms_enforcement": 1.0}))
    figure.update(scenario)
    after = figure.scenario_data()
    # same artists, new data
    assert artists == {key: line for lines in figure.lines.values() for key, line in lines.items()}
    assert after["hc.russia"][t] < before["hc.russia"][t]
    assert after["hc.total"][t] < before["hc.total"][t]
    assert after["share.russia_all"][t] < before["share.russia_all"][t]
    assert after["share.china_all"][t] > before["share.china_all"][t]
    assert after["bars.hc"][1] < 0 and after["bars.leverage"][1] < 0
    assert np.array_equal(after["hc.russia_base"], before["hc.russia_base"])  # the baseline stays
    assert np.allclose(after["hc.russia"], lab_series(scenario)["hc_partner"][:, 1])
    figure.fig.canvas.draw()  # renders without error
    low, high = figure.axes["delta"].get_ylim()
    assert low <= after["bars.leverage"].min() and high >= after["bars.leverage"].max()


def test_lab_figure_set_baseline(lab):
    figure, _base = lab
    other = simulate(Params.from_overrides({"china_export_ban_enforcement": 0.0}))
    figure.set_baseline(other)
    assert np.allclose(figure.scenario_data()["hc.china_base"], lab_series(other)["hc_partner"][:, 0])


def test_sticky_limits_hold_while_data_fit_and_grow_when_not(ax):
    assert style.sticky_ylim(ax, [0.0, 10.0])  # first fit
    limits = ax.get_ylim()
    assert not style.sticky_ylim(ax, [0.0, 9.0])  # still fits and fills the axis: unchanged
    assert ax.get_ylim() == limits
    assert style.sticky_ylim(ax, [0.0, 30.0])  # overflow: grows
    assert ax.get_ylim()[1] >= 30.0
    assert style.sticky_ylim(ax, [0.0, 1.0])  # far too small a share of the axis: shrinks
    assert ax.get_ylim()[1] < 5.0


def test_cached_render_matches_a_full_draw():
    """The lab's fast render (cached background + data artists) gives the frame a full draw gives."""
    baseline = simulate(Params.defaults())
    fig = plt.figure(figsize=(10, 6))
    lab = LabFigure(fig, baseline.years, baseline, baseline)
    lab.render()
    for value in (0.3, 0.6, 1.0):
        lab.update(simulate(Params.from_overrides({"russia_arms_enforcement": value})))
        lab.render()
    cached = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig.canvas.draw()
    full = np.asarray(fig.canvas.buffer_rgba())
    differing = np.any(cached != full, axis=-1).mean()
    # Only the stacking of lines over legend text and antialiased edges may differ.
    assert differing < 0.01
    before = cached.copy()
    lab.update(simulate(Params.from_overrides({"war_demand_level": 2.0})))
    lab.render()
    assert np.any(np.asarray(fig.canvas.buffer_rgba()) != before)  # and a new frame does change
    plt.close(fig)


def test_each_partner_has_one_colour_in_every_chart():
    from matplotlib.colors import to_hex

    from dprk_figures import channels, views

    results = simulate(Params.defaults())
    russia = style.PARTNER_COLOURS["russia"].lower()
    fig = plt.figure(figsize=(10, 6))
    lab = LabFigure(fig, results.years, results, results)
    assert to_hex(lab.lines["hc"]["russia"].get_color()) == russia
    assert to_hex(lab.lines["share"]["russia_all"].get_color()) == russia
    fig2, ax = style.new_figure(show=False)
    labour = views.labour_series(results)
    chart = channels.WorkersChart(ax, labour.years, labour.workers, labour.it_workers)
    assert to_hex(chart.stack.bands[views.HOST_LABELS["russia"]].get_facecolor()[0]) == russia
    assert len(set(style.PARTNER_COLOURS.values())) == len(style.PARTNER_COLOURS)
    plt.close(fig)
    plt.close(fig2)


def test_small_texts_finds_text_below_the_minimum():
    fig, ax = style.new_figure(show=False)
    ax.set_title("readable")
    assert style.small_texts(fig) == []
    ax.text(0.5, 0.5, "tiny", fontsize=7)
    assert style.small_texts(fig) == ["'tiny' at 7.0 pt"]
    fig.set_figwidth(2 * style.DISPLAY_WIDTH_IN)  # shown at half size: 11 pt text shows as 5.5 pt
    assert any("'readable'" in text for text in style.small_texts(fig))
    plt.close(fig)
