"""Ensembles, quantiles, probabilities and sampling: reproducibility and the relations they must obey."""

import itertools
import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from model import Params, registry, simulate
from model import uncertainty as u
from model.errors import ParameterError
from model.sampling import draw_matrix, ppf

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
UNCERTAINTIES = registry.names("uncertainty")
YEAR = 2028


@pytest.fixture(scope="module")
def baseline():
    return u.run_ensemble("baseline", 2000, np.random.default_rng(11))


# ---------------------------------------------------------------------------------------------- reproducibility
@SETTINGS
@given(seed=st.integers(0, 2**32 - 1))
def test_same_seed_same_ensemble_to_the_bit(seed):
    first = u.run_ensemble("max-pressure", 64, np.random.default_rng(seed))
    second = u.run_ensemble("max-pressure", 64, np.random.default_rng(seed))
    assert np.array_equal(first.draws, second.draws)
    for key in u.HEADLINES:
        assert np.array_equal(first.values(key), second.values(key))


@SETTINGS
@given(seeds=st.lists(st.integers(0, 2**32 - 1), min_size=2, max_size=2, unique=True))
def test_different_seeds_draw_different_worlds(seeds):
    first, second = (u.run_ensemble(None, 64, np.random.default_rng(s)) for s in seeds)
    varying = [i for i, n in enumerate(first.names) if registry.get(n).min < registry.get(n).max]
    # Every varying column differs: no draw is shared between the two seeds.
    assert np.all(np.any(first.draws[:, varying] != second.draws[:, varying], axis=0))
    assert not np.array_equal(first.values("hard_currency_total"), second.values("hard_currency_total"))


def test_ensemble_draws_are_the_sampling_module_draws():
    ensemble = u.run_ensemble(None, 100, np.random.default_rng(5))
    names, matrix = draw_matrix(100, np.random.default_rng(5))
    assert list(ensemble.names) == names
    assert np.array_equal(ensemble.draws, matrix)


def test_fixing_one_uncertainty_leaves_the_other_draws_unchanged():
    free = u.run_ensemble(None, 200, np.random.default_rng(9))
    held = u.run_ensemble(None, 200, np.random.default_rng(9), fixed=["oil_need_bbl"])
    column = free.names.index("oil_need_bbl")
    others = [i for i in range(len(free.names)) if i != column]
    assert np.array_equal(free.draws[:, others], held.draws[:, others])
    assert np.all(held.draws[:, column] == registry.get("oil_need_bbl").default)


def test_with_levers_reuses_the_worlds_and_matches_a_fresh_run():
    base = u.run_ensemble(None, 300, np.random.default_rng(3))
    moved = base.with_levers("china-crackdown")
    fresh = u.run_ensemble("china-crackdown", 300, np.random.default_rng(3))
    assert np.array_equal(moved.draws, base.draws)
    for key in u.HEADLINES:
        assert np.array_equal(moved.values(key), fresh.values(key))
    back = moved.with_levers(None)
    assert np.array_equal(back.values("lifeline_share_russia"), base.values("lifeline_share_russia"))


def test_scenario_values_of_uncertainties_are_held(tmp_path):
    ensemble = u.run_ensemble({"oil_need_bbl": 8_000_000}, 50, np.random.default_rng(1))
    assert "oil_need_bbl" in ensemble.fixed
    assert np.all(ensemble.params["oil_need_bbl"] == 8_000_000)


@pytest.mark.parametrize(
    ("fixed", "match"),
    [(["war_demand_level"], "lever, not an uncertainty"), (["oil_need"], "unknown parameter 'oil_need'")],
)
def test_only_uncertainties_can_be_held_fixed(fixed, match):
    with pytest.raises(ParameterError, match=match):
        u.run_ensemble(None, 10, np.random.default_rng(0), fixed=fixed)


def test_rng_must_be_a_generator():
    with pytest.raises(TypeError, match="Generator"):
        u.run_ensemble(None, 10, 42)


# ---------------------------------------------------------------------------------------------- quantiles and fans
@SETTINGS
@given(
    values=arrays(np.float64, st.tuples(st.integers(1, 300), st.integers(1, 4)), elements=st.floats(-1e9, 1e9)),
    levels=st.lists(st.floats(0, 1), min_size=1, max_size=6),
)
def test_quantiles_agree_with_numpy(values, levels):
    ours = u.quantiles(values, levels)
    assert ours.shape == (len(levels), values.shape[1])
    np.testing.assert_allclose(ours, np.quantile(values, levels, axis=0), rtol=1e-12, atol=1e-6)


@SETTINGS
@given(
    values=arrays(
        np.float32, st.tuples(st.integers(1, 500), st.integers(1, 3)), elements=st.floats(-1e6, 1e6, width=32)
    )
)
def test_quantiles_are_ordered(values):
    q = u.quantiles(values, u.QUANTILES)
    assert np.all(np.diff(q, axis=0) >= 0)


def test_fan_quantiles_are_ordered_for_every_headline(baseline):
    for key in u.HEADLINES:
        fan = u.fan(baseline, key)
        q05, q25, q50, q75, q95 = fan.values
        assert np.all(q05 <= q25) and np.all(q25 <= q50) and np.all(q50 <= q75) and np.all(q75 <= q95), key
        assert np.array_equal(fan.median, q50) and np.array_equal(fan.band(0.9)[1], q95)


def test_bands_collapse_to_the_deterministic_run_when_every_uncertainty_is_fixed():
    fixed = [*UNCERTAINTIES, u.PAYMENT_MIX]  # the payment mix is drawn too unless held (issue 27)
    ensemble = u.run_ensemble("russia-defects", 20, np.random.default_rng(2), fixed=fixed, dtype=np.float64)
    single = simulate(u.scenario_params("russia-defects")[0])
    for key, quantity in u.HEADLINES.items():
        fan = u.fan(ensemble, key)
        assert np.array_equal(fan.values[0], fan.values[-1]), key
        np.testing.assert_allclose(fan.median, quantity.values(single)[0], rtol=1e-12, err_msg=key)


def test_one_free_uncertainty_opens_the_band_only_where_it_acts(baseline):
    only_need = baseline.with_levers(None, fixed=[n for n in UNCERTAINTIES if n != "oil_need_bbl"])
    leakage = np.subtract(*u.fan(only_need, "oil_cap_leakage").band(0.9)[::-1])
    rounds = np.subtract(*u.fan(only_need, "munition_rounds").band(0.9)[::-1])
    assert leakage[baseline.results.year_index(YEAR)] > 0  # the oil need drives the oil imports
    assert np.all(rounds == 0)  # and has nothing to do with the shells sold to Russia


# ---------------------------------------------------------------------------------------------- probabilities
@SETTINGS
@given(thresholds=st.lists(st.floats(0, 12), min_size=2, max_size=8))
def test_probabilities_lie_in_0_1_and_fall_as_the_threshold_rises(baseline, thresholds):
    thresholds = sorted(thresholds)
    above = [u.probability(baseline, "oil_cap_leakage", YEAR, t) for t in thresholds]
    below = [u.probability(baseline, "oil_cap_leakage", YEAR, t, above=False) for t in thresholds]
    assert all(0.0 <= p <= 1.0 for p in above + below)
    assert all(a >= b for a, b in itertools.pairwise(above))
    assert all(a <= b for a, b in itertools.pairwise(below))
    assert all(a + b <= 1.0 + 1e-12 for a, b in zip(above, below, strict=True))


def test_probability_extremes(baseline):
    values = baseline.at("hard_currency_total", YEAR)
    assert u.probability(baseline, "hard_currency_total", YEAR, float(values.min()) - 1) == 1.0
    assert u.probability(baseline, "hard_currency_total", YEAR, float(values.max())) == 0.0
    median = float(np.median(values))
    assert u.probability(baseline, "hard_currency_total", YEAR, median) == pytest.approx(0.5, abs=0.01)


def test_comparison_probability_is_complementary(baseline):
    p = u.probability_greater(baseline, "hard_currency_russia", "hard_currency_china", YEAR)
    q = u.probability_greater(baseline, "hard_currency_china", "hard_currency_russia", YEAR)
    ties = np.mean(baseline.at("hard_currency_russia", YEAR) == baseline.at("hard_currency_china", YEAR))
    assert 0 <= p <= 1 and p + q + ties == pytest.approx(1.0)


def test_statements_quote_the_probability(baseline):
    p = u.probability_greater(baseline, "hard_currency_russia", "hard_currency_china", YEAR)
    text = u.statement_greater(baseline, "hard_currency_russia", "hard_currency_china", YEAR)
    assert "Russia supplies more of North Korea's hard-currency earnings than China in 2028" in text
    quoted = re.match(r"In ([0-9.]+)% of plausible worlds", text)
    if quoted:
        assert float(quoted.group(1)) == pytest.approx(100 * p, abs=0.5)
    else:
        assert (p == 1 and text.startswith("In all")) or (p == 0 and text.startswith("In none"))
    lowest = float(baseline.at("oil_cap_leakage", YEAR).min()) - 1
    assert u.statement(baseline, "oil_cap_leakage", YEAR, lowest).startswith("In all 2,000 sampled worlds")


# ---------------------------------------------------------------------------------------------- quantities
def test_quantity_partners_sum_to_the_total(baseline):
    total = baseline.values(u.Quantity("hard_currency_usd"))
    parts = sum(baseline.values(u.Quantity("hard_currency_usd", partner=p)) for p in ("china", "russia", "other"))
    np.testing.assert_allclose(parts, total, rtol=1e-5)
    np.testing.assert_allclose(baseline.values("hard_currency_total"), total, rtol=1e-5)


@pytest.mark.parametrize(
    "bad",
    [
        {"outcome": "gdp"},
        {"outcome": "lifeline_share"},
        {"outcome": "oil_need_bbl", "partner": "china"},
        {"outcome": "hard_currency_usd", "channel": "oil"},
    ],
)
def test_quantity_rejects_what_the_outcome_does_not_have(bad):
    with pytest.raises(ValueError):
        u.Quantity(**bad)


# ---------------------------------------------------------------------------------------------- sampling.ppf
def test_ppf_maps_the_unit_interval_onto_each_range_monotonically():
    grid = np.linspace(0, 1, 201)
    _, matrix = ppf(np.repeat(grid[:, None], len(UNCERTAINTIES), axis=1))
    lows = [registry.get(n).min for n in UNCERTAINTIES]
    highs = [registry.get(n).max for n in UNCERTAINTIES]
    np.testing.assert_allclose(matrix[0], lows, rtol=1e-9)
    np.testing.assert_allclose(matrix[-1], highs, rtol=1e-9)
    assert np.all(np.diff(matrix, axis=0) >= 0)
    assert np.all((matrix >= lows) & (matrix <= highs))


@pytest.mark.parametrize("name", [n for n in UNCERTAINTIES if registry.get(n).min < registry.get(n).max])
def test_ppf_follows_the_same_distribution_as_the_draws(name):
    drawn = draw_matrix(4000, np.random.default_rng(1), names=[name])[1][:, 0]
    mapped = ppf(np.random.default_rng(2).random((4000, 1)), [name])[1][:, 0]
    assert stats.ks_2samp(drawn, mapped).pvalue > 1e-4


def test_ppf_rejects_probabilities_outside_0_1():
    with pytest.raises(ValueError, match="probabilities"):
        ppf(np.full((2, 1), 1.5), ["oil_need_bbl"])


def test_single_scenario_params_round_trip():
    params, held = u.scenario_params(Params.from_overrides({"war_demand_level": 0.5}))
    assert params.scalar("war_demand_level") == 0.5 and held == frozenset()
