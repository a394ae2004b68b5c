"""Every lever does what its title says: property tests at many base points, not only at defaults.

The registry declares, for each pressure lever, which way tightens (``pressure``) and which flows more
pressure must never raise (``constrains``). Three properties:

* **no perverse lever**: moving a lever towards more pressure never raises a flow it constrains, in any
  projection year, at base points where *every* parameter (levers and uncertainties) is drawn across
  its registry range, ends included;
* **no inert lever**: every lever moves at least one headline series by at least 0.5% between its ends
  (uncertainties drawn across their ranges, the other levers at their defaults, since some levers
  legitimately switch others off: a ceasefire with no war demand ends nothing);
* **caps**: a higher refined-oil or crude-oil cap never lowers oil supply or the lifeline.

Each property is checked two ways:

* on **one batch** of :data:`BASE_POINTS` base points per lever (:func:`tests.strategies.base_point_batch`,
  a fixed seed): the model is vectorised over draws, so every base point times every position of the lever
  is one row of one :func:`model.simulate` call. The batch's first two rows are the corners (every other
  parameter at its minimum, then at its maximum), and ``test_base_points_reach_every_parameters_ends``
  checks that the batch reaches both ends of every parameter;
* with **Hypothesis** at :data:`HYPOTHESIS_EXAMPLES` base points per lever (one run each), so that a
  counterexample is shrunk to a small, readable one, and so that development runs keep trying new points
  (under ``CI=true`` the examples are fixed and derandomised).

The corners are also a test of their own, whatever the batch holds.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings

from model import Params, registry, simulate
from model.episodes import HISTORY
from model.params import PAYMENT_WEIGHTS
from tests.strategies import VARIABLE, base_point_batch, everything_random, uncertainties_random

#: Base points of the vectorised batch (the two corners included).
BASE_POINTS = 500
#: Examples per lever for Hypothesis, which shrinks a counterexample; the batch carries the breadth.
HYPOTHESIS_EXAMPLES = 5
SETTINGS = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PRESSURE_LEVERS = [n for n in registry.names("lever") if registry.get(n).pressure]
ALL_LEVERS = registry.names("lever")
UNCERTAINTIES = registry.names("uncertainty")
STEPS = 6  # positions along each lever's range
RELATIVE_TOLERANCE = 1e-9
#: Smallest move of a headline that counts (0.5%), and the share of its outcome a lever's target must have
#: at a base point for the lever to be expected to move a headline there (5%).
SMALLEST_MOVE = 0.005
SMALLEST_WEIGHT = 0.05
#: At most this share of the batch's base points may be set aside because what a lever acts on is tiny
#: there (Hypothesis's ``assume`` fails a test that discards too many examples in the same way).
MOST_SET_ASIDE = 0.25

EVERYTHING = base_point_batch(VARIABLE, BASE_POINTS, seed=20261)
UNCERTAIN = base_point_batch(UNCERTAINTIES, BASE_POINTS, seed=20262)


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
    """The ``(draw, year, ...)`` array of ``"outcome:channel:partner"``, ``"outcome:partner"`` or ``"outcome"``."""
    outcome, *labels = spec.split(":")
    if not labels:
        return getattr(results, outcome)
    return results.by_label(outcome)[tuple(labels)]


def sweep(name: str, base: dict, values: np.ndarray | None = None):
    """Run the model at every base point of ``base`` for every value of lever ``name``, in one batch.

    Parameters
    ----------
    name : str
        The lever moved.
    base : dict of str to float or numpy.ndarray
        The base points: scalars (one base point) or ``(n,)`` columns (n base points); ``name`` is ignored.
    values : numpy.ndarray, optional
        The lever's values (default: :func:`positions`).

    Returns
    -------
    n : int
        The number of base points.
    values : numpy.ndarray
        The lever's values, ``k`` of them.
    results : model.Results
        ``n * k`` draws: base point ``i`` with value ``j`` is draw ``i * k + j``.
    """
    values = positions(name) if values is None else values
    n = max((np.size(v) for v in base.values()), default=1)
    columns = {
        key: np.repeat(np.broadcast_to(column, (n,)), values.size) for key, column in base.items() if key != name
    }
    return n, values, simulate(Params.from_overrides({**columns, name: np.tile(values, n)}))


def by_base_point(array: np.ndarray, n: int) -> np.ndarray:
    """Split the draws of a :func:`sweep` into ``(base point, lever value, ...)``."""
    return array.reshape(n, -1, *array.shape[1:])


def base_point(batch: dict[str, np.ndarray], row: int) -> dict[str, float]:
    """Base point ``row`` of a batch, as the parameters' values (for failure messages and single runs)."""
    return {key: float(column[row]) for key, column in batch.items()}


def rising(name: str, base: dict) -> dict[str, np.ndarray]:
    """Per constrained flow of lever ``name``: whether it rises with more pressure at each base point."""
    n, _, results = sweep(name, base)
    found = {}
    for spec in registry.get(name).constrains:
        series = by_base_point(flow(results, spec)[:, ~HISTORY], n)
        scale = np.maximum(np.abs(series).reshape(n, -1).max(axis=1), 1.0)
        rises = np.diff(series, axis=1).reshape(n, -1).max(axis=1)
        found[spec] = rises > RELATIVE_TOLERANCE * scale
    return found


def test_every_pressure_lever_declares_what_it_constrains():
    assert PRESSURE_LEVERS, "no lever declares a pressure direction"
    for name in PRESSURE_LEVERS:
        parameter = registry.get(name)
        assert parameter.pressure in ("up", "down"), name
        assert parameter.constrains, f"{name} declares pressure but no flow it constrains"
        results = simulate(Params.defaults())
        for spec in parameter.constrains:
            assert flow(results, spec).shape == (1, results.years.size), (name, spec)


def test_a_batch_row_is_the_run_of_its_base_point():
    """The batched sweep gives each base point the same numbers as a run of that base point alone."""
    name = PRESSURE_LEVERS[0]
    n, values, results = sweep(name, EVERYTHING)
    for row in (0, 1, n - 1):
        _, _, alone = sweep(name, base_point(EVERYTHING, row))
        np.testing.assert_allclose(by_base_point(results.lifeline_usd, n)[row], alone.lifeline_usd, rtol=1e-12)
    assert n == BASE_POINTS and values.size >= 2


@pytest.mark.parametrize("name", PRESSURE_LEVERS)
def test_more_pressure_never_raises_the_flows_a_lever_constrains(name):
    for spec, rises in rising(name, EVERYTHING).items():
        rows = np.flatnonzero(rises)
        assert rows.size == 0, (
            f"{name}: more pressure raises {spec} at {rows.size} of {BASE_POINTS} base points, "
            f"e.g. {base_point(EVERYTHING, rows[0])}"
        )


@pytest.mark.parametrize("name", PRESSURE_LEVERS)
@SETTINGS
@given(base=everything_random)
def test_more_pressure_never_raises_the_flows_a_lever_constrains_shrunk(name, base):
    for spec, rises in rising(name, base).items():
        assert not rises.any(), (name, spec, base)


def weights(name: str, base: dict) -> np.ndarray:
    """Per base point, the largest share (over projection years and flows) that lever ``name``'s targets have.

    The share of a constrained flow in its outcome's total, with the lever at its least pressure.
    """
    n, _, results = sweep(name, base, positions(name)[:1])
    largest = np.zeros(n)
    for spec in registry.get(name).constrains:
        outcome, *labels = spec.split(":")
        if not labels:
            return np.ones(n)
        part = flow(results, spec)[:, ~HISTORY]
        whole = getattr(results, outcome)[:, ~HISTORY]
        whole = whole.reshape(*whole.shape[:2], -1).sum(axis=-1)
        share = np.divide(part, whole, out=np.zeros_like(part), where=whole > 0)
        largest = np.maximum(largest, share.max(axis=1))
    return largest


#: Levers that act only through another lever, judged where that lever binds: China's compliance with the
#: crude cap matters only when the cap is below the pipeline's flow (at the default cap it never is).
ACTS_THROUGH = {"china_crude_cap_compliance": {"crude_oil_cap_bbl": registry.get("crude_oil_cap_bbl").min}}


def headline_moves(name: str, base: dict) -> np.ndarray:
    """Per base point, the largest relative change of any headline series between the lever's two ends."""
    parameter = registry.get(name)
    # A choice lever's ends are its least and most pressing choices (monitoring: none and the panel).
    ends = positions(name)[[0, -1]] if parameter.pressure_order else np.array([parameter.min, parameter.max])
    n, _, results = sweep(name, {**base, **ACTS_THROUGH.get(name, {})}, ends)
    largest = np.zeros(n)
    for series in results.headline_series().values():
        pair = by_base_point(series, n)
        low, high = pair[:, 0], pair[:, 1]
        change = np.abs(high - low) / np.maximum(np.abs(low), 1e-12)
        moved = np.where(np.abs(low) > 0, change, np.abs(high) > 0)
        largest = np.maximum(largest, np.nanmax(moved, axis=1))
    return largest


@pytest.mark.parametrize("name", ALL_LEVERS)
def test_every_lever_moves_a_headline_between_its_ends(name):
    """A lever moves a headline by at least 0.5% wherever what it acts on is at least 5% of its outcome.

    Where a pressure lever's target flows are all tiny (say, maritime interdiction with hardly any
    smuggling left to stop), no headline can move by 0.5%; those base points are set aside, and at most
    :data:`MOST_SET_ASIDE` of the batch may be, so a lever that acts on nothing at all cannot pass.
    """
    largest = headline_moves(name, UNCERTAIN)
    still = largest < SMALLEST_MOVE
    if registry.get(name).constrains:
        set_aside = still & (weights(name, UNCERTAIN) < SMALLEST_WEIGHT)
        assert set_aside.mean() <= MOST_SET_ASIDE, (
            f"{name}: what it acts on is under {SMALLEST_WEIGHT:.0%} of its outcome at {set_aside.sum()} of "
            f"{BASE_POINTS} base points"
        )
        still &= ~set_aside
    rows = np.flatnonzero(still)
    assert rows.size == 0, (
        f"{name} moves no headline by {SMALLEST_MOVE:.1%} at {rows.size} of {BASE_POINTS} base points, e.g. "
        f"{base_point(UNCERTAIN, rows[0])} (largest move {largest[rows[0]]:.3%})"
    )


@pytest.mark.parametrize("name", ALL_LEVERS)
@SETTINGS
@given(base=uncertainties_random)
def test_every_lever_moves_a_headline_between_its_ends_shrunk(name, base):
    largest = float(headline_moves(name, base)[0])
    if largest < SMALLEST_MOVE and registry.get(name).constrains:
        assume(float(weights(name, base)[0]) >= SMALLEST_WEIGHT)
    assert largest >= SMALLEST_MOVE, (name, largest, base)


def cap_lowers(cap: str, base: dict) -> dict[str, np.ndarray]:
    """Per headline (oil supply, lifeline): whether a higher ``cap`` lowers it at each base point."""
    parameter = registry.get(cap)
    n, _, results = sweep(cap, base, np.linspace(parameter.min, parameter.max, STEPS))
    headline = results.headline_series()
    found = {}
    for key in ("oil_supply_bbl", "lifeline_total_usd"):
        series = by_base_point(headline[key][:, ~HISTORY], n)
        scale = np.abs(series).reshape(n, -1).max(axis=1)
        falls = np.diff(series, axis=1).reshape(n, -1).min(axis=1)
        found[key] = falls < -RELATIVE_TOLERANCE * scale
    return found


@pytest.mark.parametrize("cap", ["refined_oil_cap_bbl", "crude_oil_cap_bbl"])
def test_a_higher_cap_never_lowers_oil_supply_or_the_lifeline(cap):
    for key, lowers in cap_lowers(cap, EVERYTHING).items():
        rows = np.flatnonzero(lowers)
        assert rows.size == 0, (
            f"{cap}: a higher cap lowers {key} at {rows.size} base points, e.g. {base_point(EVERYTHING, rows[0])}"
        )


@pytest.mark.parametrize("cap", ["refined_oil_cap_bbl", "crude_oil_cap_bbl"])
@SETTINGS
@given(base=everything_random)
def test_a_higher_cap_never_lowers_oil_supply_or_the_lifeline_shrunk(cap, base):
    for key, lowers in cap_lowers(cap, base).items():
        assert not lowers.any(), (cap, key, base)


@pytest.mark.parametrize("name", PRESSURE_LEVERS)
@pytest.mark.parametrize("corner", ["min", "max"])
def test_lever_direction_with_every_other_parameter_at_one_end(name, corner):
    """Explicit all-minimum and all-maximum base points, whatever the batch and the random examples were."""
    # Every parameter at its minimum (or maximum): shared draws too, so their order holds.
    base = {n: getattr(registry.get(n), corner) for n in VARIABLE if n != name}
    if not any(base[w] > 0 for w in PAYMENT_WEIGHTS):  # all four at zero is refused: pay in cash
        base["russia_payment_cash_weight"] = 1.0
    for spec, rises in rising(name, base).items():
        assert not rises.any(), (name, spec)


@pytest.mark.parametrize(
    ("batch", "names"), [(EVERYTHING, VARIABLE), (UNCERTAIN, UNCERTAINTIES)], ids=["all", "uncertain"]
)
def test_base_points_reach_every_parameters_ends(batch, names):
    assert sorted(batch) == sorted(names)
    missing = {}
    for name in names:
        parameter, column = registry.get(name), batch[name]
        ends = {end for end in ("min", "max") if np.isclose(column, getattr(parameter, end), rtol=1e-12, atol=0).any()}
        # Choices and switches are drawn over every value; their ends are their first and last.
        if ends != {"min", "max"}:
            missing[name] = {"min", "max"} - ends
    assert not missing, f"the base points never reach these ends: {missing}"
    # The first two rows are the corners: every parameter at its minimum, then at its maximum (the payment
    # weights excepted where all four would be zero, which Params refuses: that row pays in cash).
    for row, end in enumerate(("min", "max")):
        away = [n for n in names if batch[n][row] != getattr(registry.get(n), end)]
        assert set(away) <= {"russia_payment_cash_weight"}, (end, away)
