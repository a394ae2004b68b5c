"""Every lever does what its title says: property tests at random base points, not only at defaults.

The registry declares, for each pressure lever, which way tightens (``pressure``) and which flows more
pressure must never raise (``constrains``). Three properties:

* **no perverse lever**: moving a lever towards more pressure never raises a flow it constrains, in any
  projection year, at base points where *every* parameter (levers and uncertainties) is drawn across
  its registry range, ends included;
* **no inert lever**: every lever moves at least one headline series by at least 0.5% between its ends
  (uncertainties drawn across their ranges, the other levers at their defaults, since some levers
  legitimately switch others off: a ceasefire with no war demand ends nothing);
* **caps**: a higher refined-oil or crude-oil cap never lowers oil supply or the lifeline.

Hypothesis draws each parameter at its minimum, its maximum or anywhere between, so the ends come up
often; ``test_base_points_reach_every_parameters_ends`` checks that the examples of the active profile
(the fixed ``ci`` profile under CI=true) really reach both ends of every parameter.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from model import Params, registry, simulate
from model.episodes import HISTORY
from model.params import PAYMENT_WEIGHTS
from tests.strategies import VARIABLE, everything_random, uncertainties_random

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PRESSURE_LEVERS = [n for n in registry.names("lever") if registry.get(n).pressure]
ALL_LEVERS = registry.names("lever")
STEPS = 6  # positions along each lever's range, simulated as one batch
RELATIVE_TOLERANCE = 1e-9


def positions(name: str) -> np.ndarray:
    """The lever's values from least to most pressure (internal units)."""
    parameter = registry.get(name)
    if parameter.pressure_order:
        return np.array([float(parameter.choices.index(c)) for c in parameter.pressure_order])
    if parameter.kind in ("int", "bool"):
        values = np.unique(np.round(np.linspace(parameter.min, parameter.max, STEPS)))
    else:
        values = np.linspace(parameter.min, parameter.max, STEPS)
    return values[::-1] if parameter.pressure == "down" else values


def flow(results, spec: str) -> np.ndarray:
    """The ``(draw, year)`` array of ``"outcome:channel:partner"``, ``"outcome:partner"`` or ``"outcome"``."""
    outcome, *labels = spec.split(":")
    if not labels:
        return getattr(results, outcome)
    return results.by_label(outcome)[tuple(labels)]


def sweep(name: str, base: dict) -> tuple[np.ndarray, object]:
    values = positions(name)
    params = Params.from_overrides({**base, name: values})
    return values, simulate(params)


def test_every_pressure_lever_declares_what_it_constrains():
    assert PRESSURE_LEVERS, "no lever declares a pressure direction"
    for name in PRESSURE_LEVERS:
        parameter = registry.get(name)
        assert parameter.pressure in ("up", "down"), name
        assert parameter.constrains, f"{name} declares pressure but no flow it constrains"
        results = simulate(Params.defaults())
        for spec in parameter.constrains:
            assert flow(results, spec).shape == (1, results.years.size), (name, spec)


@pytest.mark.parametrize("name", PRESSURE_LEVERS)
@SETTINGS
@given(base=everything_random)
def test_more_pressure_never_raises_the_flows_a_lever_constrains(name, base):
    _, results = sweep(name, base)
    for spec in registry.get(name).constrains:
        series = flow(results, spec)[:, ~HISTORY]
        scale = max(float(np.abs(series).max()), 1.0)
        rises = np.diff(series, axis=0)
        assert np.all(rises <= RELATIVE_TOLERANCE * scale), (name, spec, rises.max(), base)


def _weight(results, spec: str) -> float:
    """Largest share, over projection years, that a constrained flow has of its outcome's total."""
    outcome, *labels = spec.split(":")
    if not labels:
        return 1.0
    part = flow(results, spec)[0, ~HISTORY]
    whole = getattr(results, outcome)[0, ~HISTORY]
    whole = whole.reshape(whole.shape[0], -1).sum(axis=1)
    return float(np.max(np.divide(part, whole, out=np.zeros_like(part), where=whole > 0)))


#: Levers that act only through another lever, judged where that lever binds: China's compliance with the
#: crude cap matters only when the cap is below the pipeline's flow (at the default cap it never is).
ACTS_THROUGH = {"china_crude_cap_compliance": {"crude_oil_cap_bbl": registry.get("crude_oil_cap_bbl").min}}


@pytest.mark.parametrize("name", ALL_LEVERS)
@SETTINGS
@given(base=uncertainties_random)
def test_every_lever_moves_a_headline_between_its_ends(name, base):
    """A lever moves a headline by at least 0.5% wherever what it acts on is at least 5% of its outcome.

    Where a pressure lever's target flows are all tiny (say, maritime interdiction with hardly any
    smuggling left to stop), no headline can move by 0.5%; those base points are set aside with
    ``assume``, and Hypothesis fails the test if that happens too often, so a lever that acts on
    nothing at all cannot pass.
    """
    parameter = registry.get(name)
    # A choice lever's ends are its least and most pressing choices (monitoring: none and the panel).
    ends = positions(name)[[0, -1]] if parameter.pressure_order else np.array([parameter.min, parameter.max])
    base = {**base, **ACTS_THROUGH.get(name, {})}
    results = simulate(Params.from_overrides({**base, name: ends}))
    largest = 0.0
    for series in results.headline_series().values():
        low, high = series
        change = np.abs(high - low) / np.maximum(np.abs(low), 1e-12)
        largest = max(largest, float(np.nanmax(np.where(np.abs(low) > 0, change, np.abs(high) > 0))))
    if largest < 0.005 and parameter.constrains:
        free = simulate(Params.from_overrides({**base, name: positions(name)[0]}))
        assume(max(_weight(free, spec) for spec in parameter.constrains) >= 0.05)
    assert largest >= 0.005, (name, largest, base)


@pytest.mark.parametrize("cap", ["refined_oil_cap_bbl", "crude_oil_cap_bbl"])
@SETTINGS
@given(base=everything_random)
def test_a_higher_cap_never_lowers_oil_supply_or_the_lifeline(cap, base):
    parameter = registry.get(cap)
    values = np.linspace(parameter.min, parameter.max, STEPS)
    results = simulate(Params.from_overrides({**base, cap: values}))
    headline = results.headline_series()
    for key in ("oil_supply_bbl", "lifeline_total_usd"):
        series = headline[key][:, ~HISTORY]
        assert np.all(np.diff(series, axis=0) >= -RELATIVE_TOLERANCE * np.abs(series).max()), (cap, key, base)


@pytest.mark.parametrize("name", PRESSURE_LEVERS)
@pytest.mark.parametrize("corner", ["min", "max"])
def test_lever_direction_with_every_other_parameter_at_one_end(name, corner):
    """Explicit all-minimum and all-maximum base points, whatever the random examples were."""
    # Every parameter at its minimum (or maximum): shared draws too, so their order holds.
    base = {n: getattr(registry.get(n), corner) for n in VARIABLE if n != name}
    if not any(base[w] > 0 for w in PAYMENT_WEIGHTS):  # all four at zero is refused: pay in cash
        base["russia_payment_cash_weight"] = 1.0
    _, results = sweep(name, base)
    for spec in registry.get(name).constrains:
        series = flow(results, spec)[:, ~HISTORY]
        assert np.all(np.diff(series, axis=0) <= RELATIVE_TOLERANCE * max(np.abs(series).max(), 1.0)), (name, spec)


def test_base_points_reach_every_parameters_ends():
    seen: dict[str, set] = {name: set() for name in VARIABLE}

    @SETTINGS
    @given(base=everything_random)
    def record(base):
        for name, value in base.items():
            parameter = registry.get(name)
            if np.isclose(value, parameter.min, rtol=1e-12, atol=0):
                seen[name].add("min")
            if np.isclose(value, parameter.max, rtol=1e-12, atol=0):
                seen[name].add("max")

    record()
    missing = {name: {"min", "max"} - ends for name, ends in seen.items() if ends != {"min", "max"}}
    assert not missing, f"the examples never reach these ends: {missing}"
