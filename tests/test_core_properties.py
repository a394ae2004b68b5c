"""Economic properties of the model, checked over the whole registry ranges.

Each property of a whole run is checked two ways: on one batch of :data:`BASE_POINTS` base points
(:func:`tests.strategies.base_point_batch`: every parameter at its minimum, its maximum or anywhere between,
the all-minimum and all-maximum corners first), run as one vectorised :func:`model.simulate` call; and with
Hypothesis at :data:`HYPOTHESIS_EXAMPLES` base points, one run each, so that a counterexample is shrunk.
"""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import Params, registry, simulate
from model.episodes import HISTORY
from model.mechanism import route
from model.results import HARD_CURRENCY_CHANNELS, LIFELINE_CHANNELS, OIL_ROUTES, PAYMENT_FORMS, TRADE_FLOWS
from tests.strategies import VARIABLE as VARIABLE_NAMES
from tests.strategies import base_point_batch, everything_random

#: Base points of the vectorised batch (the two corners included).
BASE_POINTS = 2000
#: Examples per property for Hypothesis, which shrinks a counterexample; the batch carries the breadth.
HYPOTHESIS_EXAMPLES = 5
SETTINGS = settings(max_examples=HYPOTHESIS_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VARIABLE = [p for p in registry.registry().values() if p.role != "constant"]
RTOL = 1e-9
BATCH = base_point_batch(VARIABLE_NAMES, BASE_POINTS, seed=20263)


@pytest.fixture(scope="module")
def batch():
    """The batch's base points and the model's run of all of them at once."""
    return BATCH, simulate(Params.from_overrides(BATCH))


def scenarios():
    """Any combination of lever and uncertainty values inside the registry ranges, ends included."""
    return everything_random


def hc(channel, partner):
    c, p = HARD_CURRENCY_CHANNELS.index(channel), ("china", "russia", "other").index(partner)
    return lambda r: r.hard_currency_usd[:, :, c, p]


def oil(route_name, partner):
    c, p = OIL_ROUTES.index(route_name), ("china", "russia", "other").index(partner)
    return lambda r: r.oil_supply_bbl[:, :, c, p]


def trade(flow, partner):
    c, p = TRADE_FLOWS.index(flow), ("china", "russia", "other").index(partner)
    return lambda r: r.recorded_trade_usd[:, :, c, p]


def workers(partner):
    p = ("china", "russia", "other").index(partner)
    return lambda r: r.workers_abroad[:, :, p]


def _check_finite_non_negative(results):
    for name in (
        "hard_currency_usd",
        "lifeline_usd",
        "oil_supply_bbl",
        "recorded_trade_usd",
        "workers_abroad",
        "oil_need_bbl",
        "munition_rounds",
        "troops_in_russia",
        "oil_cap_leakage_ratio",
    ):
        array = results.outcome(name)
        assert np.all(np.isfinite(array)), name
        assert np.all(array >= 0), f"{name} has negative values"
    assert np.all(np.isfinite(results.leverage_usd))


def test_flows_are_finite_and_non_negative(batch):
    _check_finite_non_negative(batch[1])


@SETTINGS
@given(scenarios())
def test_flows_are_finite_and_non_negative_shrunk(overrides):
    _check_finite_non_negative(simulate(Params.from_overrides(overrides)))


def _check_shares(results):
    for shares, totals in (
        (results.recorded_trade_share, results.recorded_trade_usd.sum(axis=(2, 3))),
        (results.lifeline_share, results.lifeline_usd.sum(axis=(2, 3))),
    ):
        assert np.all((shares >= 0) & (shares <= 1))
        positive = totals > 0
        np.testing.assert_allclose(shares.sum(axis=-1)[positive], 1.0, rtol=1e-12)
    hhi = results.lifeline_hhi
    assert np.all((hhi >= 1 / 3 - 1e-12) & (hhi <= 1 + 1e-12))


def test_shares_are_fractions_summing_to_one(batch):
    _check_shares(batch[1])


@SETTINGS
@given(scenarios())
def test_shares_are_fractions_summing_to_one_shrunk(overrides):
    _check_shares(simulate(Params.from_overrides(overrides)))


def _check_diversion(results, values):
    """No more is diverted than the diversion share of what was blocked, per draw (``values``: its columns)."""
    share = np.asarray(values["diversion_share"], dtype=float)
    # North Korea's evasion effort scales the share from the first projection year (0.5 = as registered).
    effort = np.asarray(values["dprk_evasion_effort"], dtype=float) / 0.5
    share = np.minimum(1.0, share * np.maximum(effort, 1.0)).reshape(1, -1, 1)  # diverted_cnt: (channel, draw, year)
    assert np.all(results.diverted_cnt <= share * results.blocked_cnt * (1 + RTOL) + 1e-6)


def test_diversion_never_exceeds_what_was_blocked(batch):
    _check_diversion(batch[1], batch[0])


@SETTINGS
@given(scenarios())
def test_diversion_never_exceeds_what_was_blocked_shrunk(overrides):
    _check_diversion(simulate(Params.from_overrides(overrides)), overrides)


#: Levers that may change history: they are switches of what is counted, or weights of the payment mix.
HISTORY_LEVERS_EXCEPTED = (
    "border_closure",
    "include_cyber",
    "russia_payment_cash_weight",
    "russia_payment_food_weight",
    "russia_payment_technology_weight",
)


def _check_history(values):
    levers = {k: v for k, v in values.items() if registry.get(k).is_lever and k not in HISTORY_LEVERS_EXCEPTED}
    base = simulate(Params.defaults())
    moved = simulate(Params.from_overrides(levers))
    history = np.broadcast_to(base.lifeline_usd[:, HISTORY], moved.lifeline_usd[:, HISTORY].shape)
    np.testing.assert_allclose(moved.lifeline_usd[:, HISTORY], history, rtol=1e-12)


def test_history_does_not_depend_on_projection_levers():
    _check_history(BATCH)


@SETTINGS
@given(scenarios())
def test_history_does_not_depend_on_projection_levers_shrunk(overrides):
    _check_history(overrides)


def test_russian_potential_zero_gives_russia_zero_shares():
    # A closed Russia is outside the registry's plausible ranges, so the values are set directly here
    # (the model itself must still behave): no Russian trade, workers, arms demand, legal oil or route.
    values = dict(Params.defaults().values)
    for name, value in {
        "russia_recorded_trade_usd": 0.0,
        "workers_potential_russia": 0.0,
        "war_demand_level": 0.0,
        "reported_refined_china_share": 1.0,
        "russia_route_oil_capacity_bbl": 0.0,
        "russia_route_worker_capacity": 0.0,
        # Smuggled goods have no Russian route capacity of their own (it never bound at plausible
        # values), so a closed Russia also means nothing is re-routed there.
        "diversion_share": 0.0,
    }.items():
        values[name] = np.array([value])
    closed = Params(values=values, n_draws=1)
    results = simulate(closed)
    assert np.all(results.lifeline_share[:, ~HISTORY, 1] == 0)
    assert np.all(results.recorded_trade_share[:, ~HISTORY, 1] == 0)
    assert np.all(results.hard_currency_usd[:, ~HISTORY, :, 1] == 0)
    assert np.all(results.leverage_usd[:, ~HISTORY, 1] == 0)


arrays = st.lists(st.floats(0, 1e9), min_size=3, max_size=3)
fractions = st.lists(st.floats(0, 1), min_size=3, max_size=3)


@settings(max_examples=300, deadline=None)
@given(arrays, fractions, st.floats(0, 1), st.one_of(st.none(), st.floats(0, 1e9)), st.booleans())
def test_route_conserves_flows(potential, block, share, capacity, divert_other):
    potential = [np.array([x]) for x in potential]
    block = [np.array([x]) for x in block]
    line = route(potential, block, share, None if capacity is None else np.array([capacity]), divert_other)
    flows = np.array([f[0] for f in line.flows])
    assert np.all(flows >= 0)
    assert line.diverted[0] <= share * line.blocked[0] * (1 + RTOL) + 1e-6
    total_potential = sum(p[0] for p in potential)
    np.testing.assert_allclose(flows.sum(), total_potential - line.blocked[0] + line.diverted[0], rtol=1e-9, atol=1e-3)
    own_russia = potential[1][0] * (1 - block[1][0])
    if capacity is not None:
        assert flows[1] <= max(capacity, own_russia) * (1 + RTOL) + 1e-6
    # Losing a partner can never cost more than what passed through it.
    for k in range(3):
        assert line.loss[k][0] <= flows[k] * (1 + RTOL) + 1e-6


def test_payment_in_oil_alone_stays_finite_in_history():
    only_oil = {f"russia_payment_{k}_weight": 0.0 for k in ("cash", "food", "technology")}
    results = simulate(Params.from_overrides({**only_oil, "russia_payment_oil_weight": 1.0}))
    _check_finite_non_negative(results)
    # Russia cannot deliver all of it (North Korea's need and the Russian route limit the oil), so the
    # rest of the payment is made in cash rather than vanishing.
    payment = results.russia_payment_usd[0, ~HISTORY]
    delivered = results.oil_supply_bbl[0, ~HISTORY, OIL_ROUTES.index("illicit_refined"), 1]
    assert np.all(delivered <= Params.defaults().scalar("russia_route_oil_capacity_bbl") + 1e-6)
    assert np.all(payment[:, PAYMENT_FORMS.index("cash")] > 0)
    np.testing.assert_allclose(payment.sum(axis=1), payment[:, :2].sum(axis=1))  # only cash and oil


def test_single_and_batch_runs_agree():
    names = ["oil_need_bbl", "price_per_round_usd", "diversion_share"]
    matrix = np.array([[6e6, 400, 0.1], [8e6, 900, 0.7], [7e6, 500, 0.3]])
    batch = simulate(Params.from_matrix(matrix, names))
    for row in range(3):
        single = simulate(Params.from_overrides(dict(zip(names, matrix[row], strict=True))))
        np.testing.assert_allclose(batch.lifeline_usd[row], single.lifeline_usd[0], rtol=1e-12)
        np.testing.assert_allclose(batch.leverage_usd[row], single.leverage_usd[0], rtol=1e-12)


def test_chunking_does_not_change_results():
    rng = np.random.default_rng(5)
    from model.sampling import sample

    params = sample(300, rng)
    whole = simulate(params, chunk=1000)
    pieces = simulate(params, chunk=7)
    threaded = simulate(params, chunk=7, threads=2)
    np.testing.assert_array_equal(whole.hard_currency_usd, pieces.hard_currency_usd)
    np.testing.assert_array_equal(whole.leverage_usd, threaded.leverage_usd)
    np.testing.assert_array_equal(whole.oil_supply_bbl, threaded.oil_supply_bbl)


def test_results_are_read_only():
    results = simulate(Params.defaults())
    assert not results.hard_currency_usd.flags.writeable


def test_russian_payment_forms_add_up(batch):
    _check_payment_forms(batch[1])


@SETTINGS
@given(scenarios())
def test_russian_payment_forms_add_up_shrunk(overrides):
    _check_payment_forms(simulate(Params.from_overrides(overrides)))


def _check_payment_forms(results):
    payment = results.russia_payment_usd
    assert np.all(payment >= 0)
    russia = 1
    cash = results.hard_currency_usd[
        :, :, [HARD_CURRENCY_CHANNELS.index("arms"), HARD_CURRENCY_CHANNELS.index("troops")], russia
    ].sum(axis=-1)
    np.testing.assert_allclose(payment[..., 0], cash, rtol=1e-9, atol=1e-3)
    # Non-oil forms are what the lifeline counts as arms and troops through Russia.
    kinds = [LIFELINE_CHANNELS.index("arms"), LIFELINE_CHANNELS.index("troops")]
    lifeline_arms = results.lifeline_usd[:, :, kinds, russia].sum(axis=-1)
    np.testing.assert_allclose(payment[..., [0, 2, 3]].sum(axis=-1), lifeline_arms, rtol=1e-9, atol=1e-3)
