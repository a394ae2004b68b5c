"""Sensitivity and scenario discovery: known answers on test functions, hand-checked cases on the model."""

import itertools

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import registry
from model import uncertainty as u

SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------- Sobol' on Ishigami
def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def ishigami_indices(a=7.0, b=0.1):
    """Analytic first-order and total indices (Ishigami and Homma 1990; Sobol' and Levitan 1999)."""
    pi4 = np.pi**4
    v1 = 0.5 * (1 + b * pi4 / 5) ** 2
    v2 = a**2 / 8
    v13 = 8 * b**2 * np.pi**8 / 225
    total = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / total, np.array([v1 + v13, v2, v13]) / total


def to_pi(unit):
    return -np.pi + 2 * np.pi * unit


def test_sobol_matches_the_analytic_ishigami_indices():
    result = u.sobol_indices(ishigami, ["x1", "x2", "x3"], to_pi, 1024, np.random.default_rng(4))
    first, total = ishigami_indices()
    # A plain Monte Carlo design of 1,024 rows: errors up to about 0.11 over 30 seeds (0.05 at the median).
    np.testing.assert_allclose(result.first, first, atol=0.12)
    np.testing.assert_allclose(result.total, total, atol=0.12)
    assert np.all(result.first_conf > 0) and np.all(result.total_conf > 0)
    # The analytic values lie inside (a generous multiple of) the bootstrap intervals (all 30 seeds tried).
    assert np.all(np.abs(result.total - total) <= 3 * result.total_conf + 0.01)
    assert np.all(np.abs(result.first - first) <= 3 * result.first_conf + 0.01)
    assert result.ranked() == [0, 1, 2]


def test_sobol_is_reproducible_for_a_seed():
    first = u.sobol_indices(ishigami, ["x1", "x2", "x3"], to_pi, 256, np.random.default_rng(8))
    second = u.sobol_indices(ishigami, ["x1", "x2", "x3"], to_pi, 256, np.random.default_rng(8))
    assert np.array_equal(first.total, second.total) and np.array_equal(first.total_conf, second.total_conf)


def test_sobol_needs_at_least_two_base_samples():
    for n_base in (1, 2.5):
        with pytest.raises(ValueError, match="at least 2"):
            u.sobol_indices(ishigami, ["x1", "x2", "x3"], to_pi, n_base, np.random.default_rng(0))


def test_sobol_of_a_constant_is_zero():
    result = u.sobol_indices(lambda x: np.ones(len(x)), ["a", "b"], lambda z: z, 64, np.random.default_rng(0))
    assert np.all(result.first == 0) and np.all(result.total == 0) and result.variance == 0


def test_sobol_on_the_model_ranks_only_the_arms_inputs_for_shells():
    """Rounds shipped = demand x containers x rounds per container: nothing else may carry variance."""
    result = u.sobol("baseline", "munition_rounds", 2028, np.random.default_rng(1), n_base=256)
    top = {result.names[i] for i in result.ranked()[:2]}
    assert top == {"munition_containers_per_year", "rounds_per_container"}
    others = [i for i, n in enumerate(result.names) if n not in top]
    assert np.all(np.abs(result.total[others]) < 0.02)
    assert (
        result.total[list(result.names).index("munition_containers_per_year")]
        > result.total[list(result.names).index("rounds_per_container")]
    )


# ---------------------------------------------------------------------------------------------- tornado
@SETTINGS
@given(coefficients=st.lists(st.floats(-10, 10).filter(lambda c: abs(c) > 1e-3), min_size=2, max_size=6, unique=True))
def test_tornado_orders_a_linear_function_by_coefficient_times_range(coefficients):
    c = np.array(coefficients)
    k = c.size
    low, high = -np.arange(1, k + 1, dtype=float), np.arange(1, k + 1, dtype=float) * 2
    names = [f"x{i}" for i in range(k)]
    result = u.one_at_a_time(lambda x: x @ c, names, np.zeros(k), low, high)
    expected = np.abs(c) * (high - low)
    assert list(result.names) == [names[i] for i in np.argsort(-expected, kind="stable")]
    np.testing.assert_allclose(result.swing, np.sort(expected)[::-1])
    assert result.centre == 0.0


def test_tornado_of_shells_matches_the_hand_calculation():
    """munition_rounds = war_demand x containers x rounds/container x (1 - Russia's arms enforcement)."""
    result = u.tornado("baseline", "munition_rounds", 2028)
    containers, rounds = registry.get("munition_containers_per_year"), registry.get("rounds_per_container")
    assert result.names[:2] == ("munition_containers_per_year", "rounds_per_container")
    # At baseline war demand is 1 and Russia buys everything, so each swing is (its range) x (the other's default).
    np.testing.assert_allclose(result.swing[0], (containers.max - containers.min) * rounds.default, rtol=1e-9)
    np.testing.assert_allclose(result.swing[1], (rounds.max - rounds.min) * containers.default, rtol=1e-9)
    np.testing.assert_allclose(result.centre, containers.default * rounds.default, rtol=1e-9)
    assert np.all(result.swing[2:] == 0)
    assert result.unit == "rounds/yr" and "2028" in result.label


def test_tornado_bounds_are_the_registry_bounds():
    result = u.tornado(None, "oil_cap_leakage", 2030)
    for name, low, high in zip(result.names, result.low_input, result.high_input, strict=True):
        # A shared draw (registry.shared_draws) reports its first member's bounds.
        member = registry.shared_draws()[name].members[0] if name in registry.shared_draws() else name
        assert (low, high) == (registry.get(member).min, registry.get(member).max)
    # One bar per independent factor: the three detection levels move together as monitoring quality.
    assert list(result.names) != [] and sorted(result.names) == sorted(registry.factors())
    assert "monitoring_quality" in result.names and "detection_panel" not in result.names


# ---------------------------------------------------------------------------------------------- Morris
def test_morris_ranks_a_linear_function_by_effect_size():
    c = np.array([5.0, -2.0, 0.5, 0.0])
    result = u.morris_indices(lambda x: x @ c, ["a", "b", "c", "d"], lambda z: z, 20, np.random.default_rng(3))
    np.testing.assert_allclose(result.mu_star, np.abs(c), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(result.sigma, 0.0, atol=1e-9)  # linear: every effect the same
    assert result.ranked()[:3] == [0, 1, 2]


# ---------------------------------------------------------------------------------------------- PRIM
def test_prim_finds_a_planted_box():
    rng = np.random.default_rng(0)
    x = rng.random((6000, 4))
    bad = (x[:, 0] > 0.7) & (x[:, 2] < 0.4)
    names = list(registry.names("uncertainty")[:4])
    found = u.prim(x, bad, names, min_density=0.95)
    assert set(found.box.limits) == {names[0], names[2]}
    low0, high0 = found.box.limits[names[0]]
    low2, high2 = found.box.limits[names[2]]
    assert abs(low0 - 0.7) < 0.05 and high0 == np.inf
    assert abs(high2 - 0.4) < 0.05 and low2 == -np.inf
    assert found.box.density > 0.9 and found.box.coverage > 0.8
    assert found.base_rate == pytest.approx(bad.mean())
    inside = found.box.contains(x, names)
    assert found.box.support == pytest.approx(inside.mean()) and found.box.density == pytest.approx(bad[inside].mean())


def test_prim_trajectory_shrinks_and_respects_min_support():
    rng = np.random.default_rng(1)
    x = rng.random((3000, 3))
    bad = x[:, 1] + 0.3 * rng.random(3000) > 1.0
    found = u.prim(x, bad, ["a", "b", "c"], min_support=0.1)
    supports = [b.support for b in found.trajectory]
    assert supports[0] == 1.0 and all(a > b for a, b in itertools.pairwise(supports))
    assert supports[-1] >= 0.1 - 0.05
    assert 0 <= found.box.density <= 1 and 0 <= found.box.coverage <= 1


def test_discovery_on_the_model_names_the_oil_need():
    ensemble = u.run_ensemble("baseline", 4000, np.random.default_rng(6))
    threshold = float(np.quantile(ensemble.at("oil_cap_leakage", 2030), 0.85))
    found = u.discover(ensemble, "oil_cap_leakage", 2030, threshold)
    assert "oil_need_bbl" in found.box.limits
    assert found.box.limits["oil_need_bbl"][0] > registry.get("oil_need_bbl").default  # high needs leak more
    assert found.box.density > found.base_rate
    text = found.describe()
    assert "North Korea's oil need ≥" in text and "2030" in text


def test_the_sobol_table_never_shows_an_impossible_index_without_its_note():
    """At a small N the estimates can be negative or first order above total; the table clips and says so."""
    import re

    from dprk_apps.uncertainty import sobol_table
    from model import registry
    from model.uncertainty.sensitivity import sobol_indices

    names = registry.factors(registry.names("uncertainty"))[:4]
    indices = sobol_indices(
        lambda x: x[:, 0] + 0.3 * x[:, 1] * x[:, 2] + 0.01 * x[:, 3], names, lambda u: u, 8, np.random.default_rng(1)
    )
    assert np.any(indices.first > indices.total)  # the raw estimates are impossible: the case under test
    table = sobol_table(indices)
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| assumption")]
    assert len(rows) == len(names)
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        first, total = float(cells[1]), float(cells[2])
        assert 0 <= first <= total <= 1, row
        assert re.fullmatch(r"± \d\.\d\d, ± \d\.\d\d( \(clipped\*\))?", cells[4]), row  # every index, its interval
    assert "*" in table and "sampling error" in table and "N = 8 base samples" in table
    assert not re.search(r"\| [−-]\d", table)  # no negative index shown
