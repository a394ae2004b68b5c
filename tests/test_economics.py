"""The equations checked directly, by hand-computed cases: a wrong equation fails here, not only in the snapshot.

Each channel function of ``model.flows`` and the mechanism of ``model.mechanism`` is called with small
inputs whose results can be worked out on paper (the working is in the comments), so that each test
names the economics it guards.
"""

import numpy as np
import pytest

from model import Params, simulate
from model.episodes import HISTORY, YEARS, history
from model.flows import (
    MONTHS,
    ArmsDeal,
    Trade,
    arms,
    illicit_exports,
    labour,
    oil,
    oil_channel,
    payment_shares,
)
from model.mechanism import Line, World, route, world
from model.results import HARD_CURRENCY_CHANNELS, OIL_ROUTES, PARTNERS

A = np.array  # short for the scalars below


# ---------------------------------------------------------------------------------------------- route
def test_route_enforcement_and_diversion_by_hand():
    # potential (100, 50, 20); blocked shares (0.5, 0.2, 0.1); half of what is blocked is re-routed.
    line = route((A(100.0), A(50.0), A(20.0)), (A(0.5), A(0.2), A(0.1)), 0.5)
    # own = (50, 40, 18); blocked = (50, 10, 2)
    # into China  = 0.5 x 10 (Russia's blocked) x 0.5 (China keeps half)            = 2.5
    # into Russia = 0.5 x (50 + 2) (China's and other's blocked) x 0.8 (Russia keeps) = 20.8
    np.testing.assert_allclose([f for f in line.flows], [52.5, 60.8, 18.0])
    np.testing.assert_allclose(line.blocked, 62.0)
    np.testing.assert_allclose(line.diverted, 23.3)
    np.testing.assert_allclose([b for b in line.blocked_by], [50.0, 10.0, 2.0])
    # Loss if China refuses all: its 52.5 go, but 0.5 x (100 + 2) x 0.8 = 40.8 would reach Russia
    # (20.8 already does): 52.5 - 20 = 32.5. Russia: 60.8 less what China would take of Russia's own
    # 40 (0.5 x 40 x 0.5 = 10) = 50.8. Other: 18 less 0.5 x (50 + 20) x 0.8 - 20.8 = 7.2, so 10.8.
    np.testing.assert_allclose([loss for loss in line.loss], [32.5, 50.8, 10.8])


def test_route_fills_only_the_russian_routes_spare_capacity():
    line = route((A(100.0), A(50.0), A(20.0)), (A(0.5), A(0.2), A(0.1)), 0.5, russia_capacity=A(50.0))
    # Russia's own 40 leave room for 10 of the 20.8 that would be diverted.
    np.testing.assert_allclose([f for f in line.flows], [52.5, 50.0, 18.0])
    full = route((A(100.0), A(50.0), A(20.0)), (A(0.5), A(0.2), A(0.1)), 0.5, russia_capacity=A(30.0))
    np.testing.assert_allclose(full.flows[1], 40.0)  # no room at all: only Russia's own flow


def test_route_without_diversion_is_potential_times_what_is_kept():
    line = route((A(10.0), A(20.0), A(30.0)), (A(0.1), A(0.25), A(1.0)))
    np.testing.assert_allclose([f for f in line.flows], [9.0, 15.0, 0.0])
    np.testing.assert_allclose(line.diverted, 0.0)


# ---------------------------------------------------------------------------------------------- detection
def _world_inputs(regime: float):
    p = {
        "detection_none": A([[0.2]]),
        "detection_panel": A([[0.6]]),
        "detection_msmt": A([[0.4]]),
        "monitoring_regime": A([[regime]]),
        "border_closure": A([[1.0]]),
        "crude_price_usd_per_bbl": A([[80.0]]),
        "refined_premium": A([[1.25]]),
        "dprk_evasion_effort": A([[0.5]]),
        "diversion_share": A([[0.3]]),
        "smuggling_share": A([[0.2]]),
    }
    return p, {k: v[None, :] for k, v in history().series.items()}


@pytest.mark.parametrize(("regime", "expected"), [(0.0, 0.2), (1.0, 0.6), (2.0, 0.4)])
def test_detection_follows_the_chosen_regime_from_the_first_projection_year(regime, expected):
    p, series = _world_inputs(regime)
    w = world(p, series)
    np.testing.assert_allclose(w.detection[0, ~HISTORY], expected)
    # In history each regime counts for its share of the year: 2024 = 4 months panel, 3 months MSMT.
    t = int(np.flatnonzero(YEARS == 2024)[0])
    panel, msmt = series["panel_share_of_year"][0, t], series["msmt_share_of_year"][0, t]
    np.testing.assert_allclose(w.detection[0, t], 0.2 + panel * (0.6 - 0.2) + msmt * (0.4 - 0.2))
    np.testing.assert_allclose(w.detection[0, YEARS == 2019], 0.6)  # the panel all year
    np.testing.assert_allclose(w.refined_price, 100.0)
    # Today's evasion effort (0.5) leaves the registry's shares as they are.
    np.testing.assert_allclose([w.diversion.item(), w.smuggling.item()], [0.3, 0.2])


def test_evasion_effort_scales_smuggling_and_diversion_up_to_one():
    p, series = _world_inputs(2.0)
    p["dprk_evasion_effort"] = A([[1.0]])
    p["diversion_share"] = A([[0.8]])
    w = world(p, series)
    np.testing.assert_allclose([w.diversion.item(), w.smuggling.item()], [1.0, 0.4])  # 0.8 x 2 is capped at 1
    p["dprk_evasion_effort"] = A([[0.0]])
    np.testing.assert_allclose(world(p, series).diversion, 0.0)


def _trade_with_blocked(china: float, other: float) -> Trade:
    zero = A(0.0)
    exports = Line(flows=(zero, zero, zero), loss=(zero, zero, zero), blocked=A(china + other), diverted=zero,
                   blocked_by=(A(china), A(5.0), A(other)))  # fmt: skip
    return Trade(exports=exports, imports_non_oil=exports, imports=(zero, zero, zero))


@pytest.mark.parametrize("detection", [0.2, 0.45, 0.6])
def test_smuggling_enforcement_acts_only_on_what_is_detected(detection):
    p = {
        "sts_china_share": A(0.5),
        "china_smuggling_enforcement": A(0.5),
        "russia_trade_enforcement": A(0.0),
        "maritime_interdiction": A(0.25),
        "diversion_share": A(0.0),
    }
    w = World(
        detection=A(detection), open_border=(A(1.0),) * 3, crude_price=A(80.0), refined_price=A(100.0),
        diversion=A(0.0), smuggling=A(0.2),
    )  # fmt: skip
    channel, _ = illicit_exports(p, w, _trade_with_blocked(china=800.0, other=200.0))
    # Smuggled: 0.2 x (800 + 200) = 200 (what Russia blocked, 5, is not smuggled); half in Chinese waters.
    np.testing.assert_allclose(channel.hard_currency["china"], 100.0 * (1 - 0.5 * detection))
    np.testing.assert_allclose(channel.hard_currency["other"], 100.0 * (1 - 0.25 * detection))
    np.testing.assert_allclose(channel.hard_currency["russia"], 0.0)


# ---------------------------------------------------------------------------------------------- labour
def test_labour_value_is_workers_times_pay_times_months_times_the_states_take():
    p = {
        "state_take": A(0.7),
        "monthly_pay_china_usd": A(300.0),
        "monthly_pay_russia_usd": A(900.0),
        "monthly_pay_other_usd": A(500.0),
        "closure_worker_attrition": A(0.5),
        "workers_potential_china": A(1000.0),
        "workers_potential_russia": A(100.0),
        "workers_potential_other": A(10.0),
        "dprk_workers_sent": A(1.0),
        "china_labour_enforcement": A(0.4),
        "russia_labour_enforcement": A(0.0),
        "worker_repatriation": A(1.0),
        "diversion_share": A(0.0),
        "russia_route_worker_capacity": A(1e9),
    }
    w = World(A(0.5), (A(1.0), A(0.5), A(1.0)), A(80.0), A(100.0), diversion=A(0.0), smuggling=A(0.0))
    channel, line, _ = labour(p, w)
    # China: hosting is overt, so no detection: 1000 x (1 - 0.4) = 600 workers at 300 x 12 x 0.7.
    np.testing.assert_allclose(line.flows[0], 600.0)
    np.testing.assert_allclose(channel.hard_currency["china"], 600 * 300 * MONTHS * 0.7)
    # Russia: a half-closed border removes half the attrition share: 100 x (1 - 0.5 x 0.5) = 75.
    np.testing.assert_allclose(line.flows[1], 75.0)
    np.testing.assert_allclose(channel.hard_currency["russia"], 75 * 900 * MONTHS * 0.7)
    # Third countries find disguised workers only when detected: 10 x (1 - 1.0 x 0.5) = 5.
    np.testing.assert_allclose(line.flows[2], 5.0)


def test_labour_earnings_in_the_model_match_workers_and_pay():
    """Without diversion every worker earns its host's wage: earnings are workers x pay x 12 x take."""
    params = Params.from_overrides({"diversion_share": 0.0})
    results = simulate(params)
    c = HARD_CURRENCY_CHANNELS.index("labour")
    for k, host in enumerate(PARTNERS):
        expected = (
            results.workers_abroad[0, :, k]
            * params.scalar(f"monthly_pay_{host}_usd")
            * 12
            * params.scalar("state_take")
        )
        np.testing.assert_allclose(results.hard_currency_usd[0, :, c, k], expected, rtol=1e-12)


def test_a_diverted_worker_earns_the_lower_of_the_two_wages():
    # China sends 1000 x 0.5 = 500 home; half of them (250) are re-routed to Russia, whose demand at its own
    # wage is already met: they earn China's wage there (300 < 900), not Russia's.
    p = {
        "state_take": A(1.0),
        "monthly_pay_china_usd": A(300.0),
        "monthly_pay_russia_usd": A(900.0),
        "monthly_pay_other_usd": A(500.0),
        "closure_worker_attrition": A(0.0),
        "workers_potential_china": A(1000.0),
        "workers_potential_russia": A(100.0),
        "workers_potential_other": A(0.0),
        "dprk_workers_sent": A(1.0),
        "china_labour_enforcement": A(0.5),
        "russia_labour_enforcement": A(0.0),
        "worker_repatriation": A(0.0),
        "russia_route_worker_capacity": A(1e9),
    }
    w = World(A(0.5), (A(1.0),) * 3, A(80.0), A(100.0), diversion=A(0.5), smuggling=A(0.0))
    channel, line, _ = labour(p, w)
    np.testing.assert_allclose(line.flows[1], 100.0 + 250.0)
    np.testing.assert_allclose(channel.hard_currency["russia"], (100 * 900 + 250 * 300) * MONTHS)
    np.testing.assert_allclose(channel.hard_currency["china"], 500 * 300 * MONTHS)
    # So China's crackdown lowers the channel's total: 250 workers lost at 300, 250 moved at 300.
    total = sum(channel.hard_currency.values())
    assert total < (1000 * 300 + 100 * 900) * MONTHS


# ---------------------------------------------------------------------------------------------- arms
def _deal(rounds=1000.0, missiles=2.0, troops=10.0, weights=(0.5, 0.2, 0.2, 0.1)):
    munitions = A(rounds * 500.0 + missiles * 1e6)
    forms = dict(zip(("cash", "oil", "food", "technology"), (A(w) for w in weights), strict=True))
    return ArmsDeal(A(rounds / 500), A(rounds), A(missiles), A(troops), munitions, A(troops * 2000.0 * 12), forms)


def test_arms_value_is_rounds_times_price_plus_missiles_times_price():
    deal = _deal()
    np.testing.assert_allclose(deal.munitions_usd, 1000 * 500 + 2 * 1e6)
    np.testing.assert_allclose(deal.payment_usd, 1000 * 500 + 2 * 1e6 + 10 * 2000 * 12)
    shares = payment_shares(deal.weights, A(1.0))
    p = {"other_arms_usd": A(100.0), "other_arms_share_after_2017": A(0.5), "maritime_interdiction": A(0.0)}
    w = World(A(0.5), (A(1.0),) * 3, A(80.0), A(100.0), diversion=A(0.0), smuggling=A(0.0))
    munitions, troops = arms(p, {"refined_cap_in_force": A(1.0)}, w, deal, shares)
    np.testing.assert_allclose(munitions.hard_currency["russia"], deal.munitions_usd * 0.5)  # cash share
    np.testing.assert_allclose(munitions.lifeline["russia"], deal.munitions_usd * 0.8)  # all but the oil
    np.testing.assert_allclose(troops.hard_currency["russia"], 240_000 * 0.5)
    np.testing.assert_allclose(munitions.hard_currency["other"], 50.0)  # after 2017: half the earlier level


def test_undelivered_oil_is_paid_in_the_other_forms_in_proportion():
    shares = payment_shares({"cash": A(0.5), "oil": A(0.2), "food": A(0.2), "technology": A(0.1)}, A(0.25))
    # Oil delivers a quarter of its 0.2 share: 0.05. The other 0.15 goes 5 : 2 : 1 to cash, food, technology.
    np.testing.assert_allclose(shares["oil"], 0.05)
    np.testing.assert_allclose(shares["cash"], 0.5 + 0.15 * 0.5 / 0.8)
    np.testing.assert_allclose(shares["food"], 0.2 + 0.15 * 0.2 / 0.8)
    np.testing.assert_allclose(shares["technology"], 0.1 + 0.15 * 0.1 / 0.8)
    np.testing.assert_allclose(sum(shares.values()), 1.0)


# ---------------------------------------------------------------------------------------------- oil
def _oil_inputs(**changes):
    p = {
        "oil_need_bbl": A(7e6),
        "pipeline_crude_bbl": A(4e6),
        "china_pipeline_cut": A(0.0),
        "crude_oil_cap_bbl": A(4e6),
        "refined_oil_cap_bbl": A(5e5),
        "reported_refined_bbl": A(200_000.0),
        "reported_refined_china_share": A(0.25),
        "china_crude_cap_compliance": A(1.0),
        "pipeline_customs_value_ratio": A(1.3),
        "smuggled_oil_premium": A(1.5),
        "russia_route_oil_capacity_bbl": A(3e6),
        "russia_oil_cap_enforcement": A(0.0),
        "sts_capacity_bbl": A(2e6),
        "sts_china_share": A(0.5),
        "china_smuggling_enforcement": A(0.0),
        "maritime_interdiction": A(0.0),
        "diversion_share": A(0.0),
    }
    p.update({k: A(v) for k, v in changes.items()})
    return p


def _oil(p, cap_in_force=1.0, payment_oil_usd=50e6, open_russia=1.0):
    w = World(A(0.5), (A(1.0), A(open_russia), A(1.0)), A(80.0), A(100.0), diversion=A(0.0), smuggling=A(0.0))
    deal = _deal(weights=(0.0, 1.0, 0.0, 0.0))
    deal = ArmsDeal(deal.containers, deal.rounds, deal.missiles, A(0.0), A(payment_oil_usd), A(0.0), deal.weights)
    return oil(p, {"refined_cap_in_force": A(cap_in_force)}, w, deal)


def test_reported_refined_oil_by_partner():
    o = _oil(_oil_inputs())
    # Within the cap: the reported level, 200,000 bbl, a quarter from China, the rest from Russia.
    np.testing.assert_allclose([r for r in o.reported], [50_000.0, 150_000.0, 0.0])
    # The Russian border closed: Russia's reported part stops.
    closed = _oil(_oil_inputs(), open_russia=0.0)
    np.testing.assert_allclose(closed.reported[1], 0.0)
    # Before the cap, the refined gap (3 m bbl) is all legal; China's share, the rest from other suppliers.
    before = _oil(_oil_inputs(), cap_in_force=0.0)
    np.testing.assert_allclose([r for r in before.reported], [750_000.0, 0.0, 2_250_000.0])
    # Customs value: pipeline crude as KOTRA values it (1.3 x Brent), reported refined at the refined price.
    np.testing.assert_allclose(o.recorded_usd[0], 4e6 * 80.0 * 1.3 + 50_000 * 100.0)
    np.testing.assert_allclose(o.recorded_usd[1], 150_000 * 100.0)


def test_reported_deliveries_are_capped_by_the_cap_not_proportional_to_it():
    ninefold = _oil(_oil_inputs(refined_oil_cap_bbl=4.5e6))
    np.testing.assert_allclose(sum(ninefold.reported), 200_000.0)  # the cap does not bind: its own level
    tight = _oil(_oil_inputs(refined_oil_cap_bbl=1e5))
    np.testing.assert_allclose(sum(tight.reported), 100_000.0)  # a cap below the level binds


def test_a_lower_crude_cap_binds_the_pipeline_only_as_far_as_china_complies():
    np.testing.assert_allclose(_oil(_oil_inputs(crude_oil_cap_bbl=3e6, china_crude_cap_compliance=0.0)).pipeline, 4e6)
    np.testing.assert_allclose(_oil(_oil_inputs(crude_oil_cap_bbl=3e6, china_crude_cap_compliance=1.0)).pipeline, 3e6)
    np.testing.assert_allclose(_oil(_oil_inputs(crude_oil_cap_bbl=3e6, china_crude_cap_compliance=0.5)).pipeline, 3.5e6)


def test_smuggled_barrels_are_bought_and_a_full_network_charges_a_scarcity_price():
    o = _oil(_oil_inputs(), payment_oil_usd=50e6)
    # Unmet 2.8 m bbl, Russia's payment 0.5 m, 2.3 m wanted by sea of which the network carries 2 m.
    smuggled_price = 100.0 * 1.5
    scarcity = 0.3e6 * 100.0
    np.testing.assert_allclose(o.purchases_usd["illicit_refined", "china"], 1e6 * smuggled_price + scarcity / 2)
    np.testing.assert_allclose(o.purchases_usd["illicit_refined", "other"], 1e6 * smuggled_price + scarcity / 2)
    np.testing.assert_allclose(o.purchases_usd["reported_refined", "china"], 50_000 * 100.0)
    # China's aid and Russia's payment in kind cost nothing: they are no purchase at all.
    assert o.pipeline.max() > 0 and o.off_book.flows[1].max() > 0
    free = [("pipeline_crude", partner) for partner in ("china", "russia", "other")] + [("illicit_refined", "russia")]
    assert not set(free) & set(o.purchases_usd)
    results = simulate(Params.defaults())
    for cell in free:
        assert np.all(results.by_label("oil_purchases_usd")[cell] == 0.0)


def test_undelivered_oil_is_made_up_only_in_part():
    shares = payment_shares({"cash": A(0.5), "oil": A(0.2), "food": A(0.2), "technology": A(0.1)}, A(0.0), A(0.5))
    # None of the 0.2 oil share is delivered; half its value (0.1) is paid 5 : 2 : 1 in the other forms.
    np.testing.assert_allclose(shares["oil"], 0.0)
    np.testing.assert_allclose(shares["cash"], 0.5 + 0.1 * 0.5 / 0.8)
    np.testing.assert_allclose(sum(shares.values()), 0.9)


def test_russian_oil_is_limited_by_need_and_route_and_smuggling_fills_the_rest():
    o = _oil(_oil_inputs(), payment_oil_usd=50e6)
    # Unmet need: 7 m - 4 m pipeline - 0.2 m reported = 2.8 m bbl; Russia's payment buys 0.5 m bbl.
    np.testing.assert_allclose(o.off_book.flows[1], 500_000.0)
    # Ship-to-ship fills the remaining 2.3 m bbl up to its 2 m capacity, half in Chinese waters.
    np.testing.assert_allclose([o.off_book.flows[0], o.off_book.flows[2]], [1e6, 1e6])
    flooded = _oil(_oil_inputs(), payment_oil_usd=1e9)  # wants 10 m bbl
    np.testing.assert_allclose(flooded.off_book.flows[1], 2.8e6)  # no more than the unmet need
    np.testing.assert_allclose(flooded.russia_oil_delivered_share, 0.28)
    narrow = _oil(_oil_inputs(russia_route_oil_capacity_bbl=1e6), payment_oil_usd=1e9)
    np.testing.assert_allclose(narrow.off_book.flows[1], 1e6)  # no more than the route carries


def test_oil_is_valued_up_to_need_and_not_beyond():
    # A need below the pipeline alone (outside the registry's range, to reach the case): 4 m bbl arrive,
    # 2 m are needed, so each barrel is worth half the refined price in the lifeline.
    o = _oil(_oil_inputs(oil_need_bbl=2e6), payment_oil_usd=0.0)
    np.testing.assert_allclose(o.supply, 4e6)
    np.testing.assert_allclose(o.value_per_bbl, 100.0 * 2e6 / 4e6)
    channel = oil_channel(o)
    total = sum(channel.lifeline.values())
    np.testing.assert_allclose(total, 2e6 * 100.0)  # the value of the need, not of the supply
    within = _oil(_oil_inputs(), payment_oil_usd=0.0)
    np.testing.assert_allclose(within.value_per_bbl, 100.0)  # supply below need: full value


def test_every_barrel_in_the_lifeline_once():
    results = simulate(Params.defaults())
    lifeline_oil = results.by_label("lifeline_usd")
    supply = results.oil_supply_bbl[0].sum(axis=-1).sum(axis=-1)  # (T,)
    # With supply at or below need each barrel is worth the refined price: the oil channel's value / price
    # is the supply, whatever the route.
    params = Params.defaults()
    price = params.scalar("crude_price_usd_per_bbl") * params.scalar("refined_premium")
    projection = ~HISTORY
    value = sum(lifeline_oil["oil", p][0] for p in PARTNERS)
    np.testing.assert_allclose(value[projection] / price, supply[projection], rtol=1e-9)
    assert np.all(results.oil_supply_bbl[0, projection, OIL_ROUTES.index("reported_refined"), 0] > 0)
