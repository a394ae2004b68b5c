"""One small function per channel: what passes through each partner, and what its loss would cost.

Each channel function takes the parameter paths ``p`` (see :data:`model.mechanism.Paths`), the shared
:class:`~model.mechanism.World` and what earlier channels computed, and returns a
:class:`~model.mechanism.Channel` of USD/yr by partner label: hard currency, lifeline and the loss if
that partner refused everything (leverage, first order). Oil is counted once, whatever its route:
customs data (the recorded-trade outcome) hold pipeline crude and reported refined deliveries at the
year's prices; smuggled and above-cap oil is off-book; in the lifeline every barrel is in the ``oil``
channel, valued alike (the refined price, up to need), and the ``recorded_trade`` channel is recorded
trade without its oil.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.mechanism import CHINA, OTHER, RUSSIA, Channel, Line, Paths, World, by_partner, route
from model.outcomes import PARTNERS, PAYMENT_FORMS
from model.timeline import HISTORY, YEARS

MONTHS = 12.0


@dataclass(frozen=True)
class ArmsDeal:
    """Russia's purchases of munitions, missiles and troops, and what it means to pay (USD/yr)."""

    containers: np.ndarray
    rounds: np.ndarray
    missiles: np.ndarray
    troops: np.ndarray
    munitions_usd: np.ndarray
    troops_usd: np.ndarray
    weights: dict

    @property
    def payment_usd(self) -> np.ndarray:
        """Russia's whole payment for munitions, missiles and troops (USD/yr)."""
        return self.munitions_usd + self.troops_usd


def arms_deal(p: Paths, series: dict) -> ArmsDeal:
    """Volumes Russia buys and the payment weights it intends (oil is settled in :func:`oil`)."""
    # A ceasefire (projection years only) drops munitions demand to restocking and sends troops home.
    at_peace = ~HISTORY[None, :] & (YEARS[None, :] >= p["ceasefire_year"])
    war = p["war_demand_level"] * np.where(at_peace, p["post_war_demand_share"], 1.0)
    # Russia buys what it does not forbid itself; North Korea ships the share of it that it offers.
    russia_buys = (1.0 - p["russia_arms_enforcement"]) * p["dprk_munitions_offered"]
    containers = war * p["munition_containers_per_year"] * russia_buys
    rounds = containers * p["rounds_per_container"]
    missiles = war * p["missiles_per_year"] * russia_buys
    munitions_usd = rounds * p["price_per_round_usd"] + missiles * p["missile_price_usd"]
    troops = (
        p["war_demand_level"] * series["troop_presence"] * (~at_peace) * p["troops_deployed"]
        * (1.0 - p["russia_arms_enforcement"])
    )  # fmt: skip
    weights = {form: p[f"russia_payment_{form}_weight"] for form in PAYMENT_FORMS}
    return ArmsDeal(
        containers, rounds, missiles, troops, munitions_usd, troops * (MONTHS * p["troop_monthly_pay_usd"]), weights
    )


def payment_shares(weights: dict, oil_delivered_share, makeup=1.0) -> dict:
    """Russia's payment by form as shares of the whole payment, after the oil it did not deliver.

    Parameters
    ----------
    weights : dict of str to array
        The four payment weights (cash, oil, food, technology), each 0-1, not all zero.
    oil_delivered_share : array
        Share (0-1) of the oil part that Russia actually delivers.
    makeup : float or array
        Share (0-1) of the undelivered oil's value that Russia pays in the other three forms instead, in
        proportion to their weights (in cash if those are all zero); the rest is not paid, so the shares
        sum to less than one when oil goes undelivered and ``makeup`` is below one.

    Returns
    -------
    dict of str to array
    """
    total = sum(weights.values())
    # Only history years can have all weights at zero (a scenario paying in oil alone, before the oil
    # began in 2024): count such payments as cash.
    paid = total > 0
    share = {k: np.where(paid, w / np.where(paid, total, 1.0), 1.0 if k == "cash" else 0.0) for k, w in weights.items()}
    undelivered = share["oil"] * (1.0 - oil_delivered_share)
    made_up = undelivered * makeup
    others = share["cash"] + share["food"] + share["technology"]
    has_others = others > 0
    result = {"oil": share["oil"] - undelivered}
    for form in ("cash", "food", "technology"):
        in_proportion = made_up * share[form] / np.where(has_others, others, 1.0)
        result[form] = share[form] + np.where(has_others, in_proportion, made_up if form == "cash" else 0.0)
    return result


# ---------------------------------------------------------------------------------------------- oil
@dataclass(frozen=True)
class Oil:
    """Oil barrels by route and partner (bbl/yr), their valuation and what North Korea pays for them."""

    pipeline: np.ndarray
    reported: tuple  # by partner
    off_book: Line  # smuggled (China waters, other, re-routed via Russia) and Russia's above-cap oil
    need: np.ndarray
    refined_cap: np.ndarray
    russia_oil_delivered_share: np.ndarray
    recorded_usd: tuple  # value in customs data, by partner
    value_per_bbl: np.ndarray  # in the lifeline, every barrel alike
    purchases_usd: dict  # (route, partner) -> USD/yr that North Korea pays; cells that cost nothing are absent

    @property
    def supply(self) -> np.ndarray:
        """Every barrel that arrives, by any route (bbl/yr)."""
        return self.pipeline + sum(self.reported) + sum(self.off_book.flows)


def oil(p: Paths, series: dict, w: World, deal: ArmsDeal) -> Oil:
    """Every barrel by route, each counted once (see the module docstring)."""
    cap_in_force = series["refined_cap_in_force"] > 0
    need = p["oil_need_bbl"]
    # The pipeline is Beijing's choice: a crude cap below it binds only as far as China applies it.
    sent = p["pipeline_crude_bbl"] * (1.0 - p["china_pipeline_cut"])
    over_cap = np.where(cap_in_force, np.maximum(sent - p["crude_oil_cap_bbl"], 0.0), 0.0)
    pipeline = sent - p["china_crude_cap_compliance"] * over_cap
    refined_gap = np.maximum(need - pipeline, 0.0)
    refined_cap = np.where(cap_in_force, p["refined_oil_cap_bbl"], np.inf)
    # Reported (legal) deliveries have their own level, set by what suppliers choose to sell openly and
    # declare; the cap limits them, it does not scale them.
    legal = np.where(
        cap_in_force,
        np.minimum(np.minimum(refined_gap, p["reported_refined_bbl"]), p["refined_oil_cap_bbl"]),
        refined_gap,
    )
    reported_china = legal * p["reported_refined_china_share"]
    rest = legal - reported_china
    # Under the cap the rest is Russia's (reported to the 1718 Committee); it stopped with the Russian
    # border. Before the cap, other suppliers sold the rest.
    reported_russia = np.where(cap_in_force, rest, 0.0) * w.open_border[RUSSIA]
    reported_other = np.where(cap_in_force, 0.0, rest)
    unmet = np.maximum(refined_gap - reported_china - reported_russia - reported_other, 0.0)

    # Russia pays in oil no more than North Korea can use and its route can carry.
    wanted = payment_shares(deal.weights, 1.0)["oil"] * deal.payment_usd / w.refined_price
    russia_offer = np.minimum(np.minimum(wanted, unmet), p["russia_route_oil_capacity_bbl"])
    russia_own = russia_offer * (1.0 - p["russia_oil_cap_enforcement"])
    # Ship-to-ship smuggling fills what is still missing, up to the network's capacity, and is bought
    # at the transfer. What China and other states block afterwards is partly re-routed through Russian
    # ports, within the route's spare capacity. Russia's own deliveries are its overt choice: when it
    # withholds them, smuggling fills the need instead (above), so they are not re-routed again.
    wanted_by_sea = np.maximum(unmet - russia_own, 0.0)
    sts = np.minimum(wanted_by_sea, p["sts_capacity_bbl"])
    china_waters = p["sts_china_share"]
    ordered = (sts * china_waters, 0.0 * sts, sts * (1.0 - china_waters))
    smuggled = route(
        ordered,
        (
            p["china_smuggling_enforcement"] * w.detection,
            p["russia_oil_cap_enforcement"],
            p["maritime_interdiction"] * w.detection,
        ),
        w.diversion,
        np.maximum(p["russia_route_oil_capacity_bbl"] - russia_own, 0.0),
    )
    off_book = Line(
        flows=(smuggled.flows[CHINA], smuggled.flows[RUSSIA] + russia_own, smuggled.flows[OTHER]),
        loss=(smuggled.loss[CHINA], smuggled.loss[RUSSIA] + russia_own, smuggled.loss[OTHER]),
        blocked=smuggled.blocked + russia_offer - russia_own,
        diverted=smuggled.diverted,
    )
    delivered_share = np.divide(russia_own, wanted, out=np.ones_like(russia_own * wanted), where=wanted > 0)
    supply = pipeline + legal + sum(off_book.flows)
    # In the lifeline every barrel is worth the same, whatever its route: the refined price, what North
    # Korea's marginal barrel costs (so a payment moved between oil and other forms keeps its value, and a
    # barrel moved between routes adds none), and only up to need: oil beyond need has no use.
    useful = np.minimum(1.0, need / np.maximum(supply, 1.0))
    # Customs value: KOTRA adds the pipeline crude (aid, which China's customs do not record) at its own
    # estimate, above Brent; reported refined products at the refined price.
    crude_customs = w.crude_price * p["pipeline_customs_value_ratio"]
    recorded = (
        pipeline * crude_customs + reported_china * w.refined_price,
        reported_russia * w.refined_price,
        reported_other * w.refined_price,
    )
    # What North Korea pays: reported deliveries at the refined price, smuggled barrels at the smuggled
    # price (by where they were bought; a seized cargo was paid for). When the ship-to-ship network is
    # full, buyers bid for its capacity: North Korea pays, on top, the refined value of the barrels the
    # network cannot carry (a scarcity price). Pipeline crude is China's aid and Russia's own oil is its
    # payment in kind: neither costs hard currency, so those (route, partner) cells are left out and stay
    # at zero in the results (their pages are never written, which keeps an ensemble's memory down).
    scarcity = (wanted_by_sea - sts) * w.refined_price
    smuggled_price = w.refined_price * p["smuggled_oil_premium"]
    purchases = {
        ("reported_refined", "china"): reported_china * w.refined_price,
        ("reported_refined", "russia"): reported_russia * w.refined_price,
        ("reported_refined", "other"): reported_other * w.refined_price,
        ("illicit_refined", "china"): ordered[CHINA] * smuggled_price + scarcity * china_waters,
        ("illicit_refined", "other"): ordered[OTHER] * smuggled_price + scarcity * (1.0 - china_waters),
    }
    return Oil(
        pipeline=pipeline,
        reported=(reported_china, reported_russia, reported_other),
        off_book=off_book,
        need=need,
        refined_cap=refined_cap,
        russia_oil_delivered_share=np.minimum(delivered_share, 1.0),
        recorded_usd=recorded,
        value_per_bbl=useful * w.refined_price,
        purchases_usd=purchases,
    )


def oil_channel(o: Oil) -> Channel:
    """The lifeline's ``oil`` channel: every barrel by partner (pipeline, reported, off-book), valued alike."""
    value = o.value_per_bbl
    on_book = (o.pipeline + o.reported[CHINA], o.reported[RUSSIA], o.reported[OTHER])
    return Channel(
        lifeline=by_partner((on_book[k] + o.off_book.flows[k]) * value for k in range(3)),
        loss=by_partner((on_book[k] + o.off_book.loss[k]) * value for k in range(3)),
    )


# ---------------------------------------------------------------------------------------------- trade
@dataclass(frozen=True)
class Trade:
    """Recorded (customs) trade, KOTRA basis, by partner (USD/yr).

    Attributes
    ----------
    exports : Line
    imports_non_oil : Line
        Imports other than oil, after bans and the closure.
    imports : tuple of three arrays
        All recorded imports: non-oil plus the oil customs data count (pipeline crude, reported refined).
    """

    exports: Line
    imports_non_oil: Line
    imports: tuple


def recorded_trade(p: Paths, series: dict, w: World, o: Oil) -> Trade:
    """Exports and imports at customs; blocked trade is partly smuggled instead (:func:`illicit_exports`).

    Declared at customs, so no detection factor. Recorded oil (pipeline crude, reported refined) is
    added to imports: it is under a cap, not a ban.
    """
    russia_total = p["russia_recorded_trade_usd"]
    russia_exports = russia_total * p["russia_export_share"]
    china_share = p["china_trade_share_potential"]
    open_china, open_russia, open_other = w.open_border
    lines = {}
    for flow, total, russia, bans_in_force, coverage, china_enforcement in (
        (
            "exports",
            p["exports_potential_usd"],
            russia_exports,
            series["export_bans_in_force"],
            p["export_ban_coverage"],
            p["china_export_ban_enforcement"],
        ),
        (
            "imports",
            p["imports_potential_usd"],
            russia_total - russia_exports,
            series["import_bans_in_force"],
            p["import_ban_coverage"],
            p["china_import_ban_enforcement"],
        ),
    ):
        rest = total - russia
        bans = coverage * bans_in_force
        lines[flow] = route(
            (rest * china_share * open_china, russia * open_russia, rest * (1.0 - china_share) * open_other),
            (china_enforcement * bans, p["russia_trade_enforcement"] * bans, p["other_trade_block"] * bans_in_force),
        )
    non_oil = lines["imports"]
    with_oil = tuple(non_oil.flows[k] + o.recorded_usd[k] for k in range(3))
    return Trade(exports=lines["exports"], imports_non_oil=non_oil, imports=with_oil)


def recorded_exports(t: Trade) -> Channel:
    """Exports earn hard currency; exports and non-oil imports are the recorded-trade lifeline.

    The oil in recorded imports is in the ``oil`` channel, with every other barrel.
    """
    return Channel(
        hard_currency=by_partner(t.exports.flows),
        lifeline=by_partner(t.exports.flows[k] + t.imports_non_oil.flows[k] for k in range(3)),
        loss=by_partner(t.exports.loss[k] + t.imports_non_oil.loss[k] for k in range(3)),
    )


def illicit_exports(p: Paths, w: World, t: Trade) -> tuple[Channel, Line]:
    """Exports China and other states block that are smuggled instead (coal and sand by ship-to-ship transfer).

    What Russia blocks at its own border is not counted: it has no sea route of its own in the model,
    and counting it would let Russian enforcement feed the smuggling it is meant to stop.
    """
    smuggled = w.smuggling * (t.exports.blocked_by[CHINA] + t.exports.blocked_by[OTHER])
    china_waters = p["sts_china_share"]
    line = route(
        (smuggled * china_waters, 0.0 * smuggled, smuggled * (1.0 - china_waters)),
        (
            p["china_smuggling_enforcement"] * w.detection,
            p["russia_trade_enforcement"] * w.detection,
            p["maritime_interdiction"] * w.detection,
        ),
        w.diversion,
    )
    flows = by_partner(line.flows)
    return Channel(hard_currency=flows, lifeline=dict(flows), loss=by_partner(line.loss)), line


# ---------------------------------------------------------------------------------------------- labour
def labour(p: Paths, w: World) -> tuple[Channel, Line, tuple]:
    """Workers abroad by host and the state's take of their pay.

    Hosting workers is an overt choice of China and Russia (no detection factor); third countries find
    disguised workers only when detected. A closed border year removes part of every host's workers.

    A worker pushed out of one host and re-routed to the other is marginal there: the host's demand at
    its average wage is already met by the workers it hosts, so a diverted worker earns the lower of the
    two hosts' wages. Sending workers home therefore never raises the labour channel's total.
    """
    take = MONTHS * p["state_take"]
    pay = (p["monthly_pay_china_usd"] * take, p["monthly_pay_russia_usd"] * take, p["monthly_pay_other_usd"] * take)
    attrition = p["closure_worker_attrition"]
    sent = p["dprk_workers_sent"]
    potential = tuple(
        p[f"workers_potential_{host}"] * sent * (1.0 - attrition * (1.0 - w.open_border[k]))
        for k, host in enumerate(PARTNERS)
    )
    block = (p["china_labour_enforcement"], p["russia_labour_enforcement"], p["worker_repatriation"] * w.detection)
    line = route(potential, block, w.diversion, p["russia_route_worker_capacity"], value=pay)
    keep = [1.0 - b for b in block]
    own = [potential[k] * keep[k] for k in range(3)]
    into_china = line.flows[CHINA] - own[CHINA]
    into_russia = line.flows[RUSSIA] - own[RUSSIA]
    # Who landed in Russia, by origin: in proportion to what each would have sent before the route filled.
    from_china, from_other = potential[CHINA] * block[CHINA], potential[OTHER] * block[OTHER]
    bound = from_china + from_other
    china_part = np.divide(from_china, bound, out=np.zeros_like(bound * into_russia), where=bound > 0)
    earned = by_partner(
        (
            own[CHINA] * pay[CHINA] + into_china * np.minimum(pay[CHINA], pay[RUSSIA]),
            own[RUSSIA] * pay[RUSSIA]
            + into_russia * china_part * np.minimum(pay[RUSSIA], pay[CHINA])
            + into_russia * (1.0 - china_part) * np.minimum(pay[RUSSIA], pay[OTHER]),
            own[OTHER] * pay[OTHER],
        )
    )
    return Channel(hard_currency=earned, lifeline=dict(earned), loss=by_partner(line.loss)), line, pay


def it_workers(p: Paths, w: World) -> tuple[Channel, np.ndarray]:
    """IT workers abroad under false identities (no host state chooses them: counted as ``other``)."""
    workers = p["it_workers"] * p["dprk_workers_sent"] * (1.0 - p["worker_repatriation"] * w.detection)
    usd = workers * (MONTHS * p["it_monthly_pay_usd"] * p["it_state_take"])
    return Channel(hard_currency={"other": usd}, lifeline={"other": usd}, loss={"other": usd}), workers


def arms(p: Paths, series: dict, w: World, deal: ArmsDeal, shares: dict) -> tuple[Channel, Channel]:
    """Munitions and troops for Russia (cash is hard currency; food and technology are lifeline in kind).

    The oil part of the payment is in the ``oil`` channel. Arms sales to other buyers continue after
    2017 (res. 2397 in force) only at a share of their earlier level, and only where not interdicted.
    """
    after_2017 = np.where(series["refined_cap_in_force"] > 0, p["other_arms_share_after_2017"], 1.0)
    other_usd = p["other_arms_usd"] * after_2017 * (1.0 - p["maritime_interdiction"] * w.detection)
    cash, non_oil = shares["cash"], shares["cash"] + shares["food"] + shares["technology"]
    munitions = Channel(
        hard_currency={"russia": deal.munitions_usd * cash, "other": other_usd},
        lifeline={"russia": deal.munitions_usd * non_oil, "other": other_usd},
        loss={"russia": deal.munitions_usd * non_oil, "other": other_usd},
    )
    troops = Channel(
        hard_currency={"russia": deal.troops_usd * cash},
        lifeline={"russia": deal.troops_usd * non_oil},
        loss={"russia": deal.troops_usd * non_oil},
    )
    return munitions, troops


def cyber(p: Paths) -> Channel:
    """Cyber theft: hard currency that passes through no partner (no lifeline, no leverage)."""
    return Channel(hard_currency={"other": p["cyber_haul_usd"] * p["dprk_cyber_intensity"] * p["include_cyber"]})
