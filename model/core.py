"""The model: a pure, vectorised function of a :class:`~model.params.Params` batch.

Each channel has one small function below that returns what passes through each partner (China,
Russia, other) by label, and what North Korea would lose in that channel if the partner refused
everything (its contribution to *leverage*). The shared mechanism, per channel, partner p and year::

    block[p]    = enforcement[p] x detection   (detection = 1 for a state's own overt choices:
                                                 trade at customs, hosting workers, buying arms, oil)
    own[p]      = potential[p] x (1 - block[p])
    blocked[p]  = potential[p] x block[p]
    into China  = diversion_share x blocked[Russia] x (1 - block[China])
    into Russia = min(diversion_share x (blocked[China] + blocked[other]) x (1 - block[Russia]),
                      spare capacity of the Russian route)
    flow[p]     = own[p] + what was diverted into p

Oil is counted once, whatever its route. Customs data (the recorded-trade outcome) hold pipeline crude
and reported refined deliveries at the year's prices; smuggled and above-cap oil is off-book. In the
lifeline every barrel is in the ``oil`` channel, valued alike (the refined price, up to need), so that
moving a barrel from one route to another never adds value; the lifeline's ``recorded_trade`` channel
is recorded trade without its oil. Every array is ``(N draws, T years)`` or broadcasts to it; nothing loops over draws
or years.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache

import numpy as np

from model.episodes import history
from model.params import Params
from model.results import (
    HARD_CURRENCY_CHANNELS,
    LIFELINE_CHANNELS,
    OIL_ROUTES,
    PARTNERS,
    PAYMENT_FORMS,
    TRADE_FLOWS,
    Results,
)
from model.timeline import HISTORY, YEARS

MONTHS = 12.0
# Two threads cut a 100,000-draw ensemble from about 0.55 s to 0.35 s on these 2-core machines
# (bench/model_bench.py measures both); a single scenario is one block and never uses a thread.
DEFAULT_THREADS = min(2, os.cpu_count() or 1)
CHINA, RUSSIA, OTHER = range(3)


@dataclass(frozen=True)
class Line:
    """One channel after enforcement and diversion.

    Attributes
    ----------
    flows : tuple of three arrays
        What passes through China, Russia and other (the channel's unit).
    loss : tuple of three arrays
        Value North Korea loses in this channel if that partner refuses everything, after the
        blocked flow is re-routed (valued with the ``value`` per unit given to :func:`route`).
    blocked, diverted : array
        Total blocked before diversion, and total re-routed.
    blocked_by : tuple of three arrays
        What each partner blocked, before diversion.
    """

    flows: tuple
    loss: tuple
    blocked: np.ndarray
    diverted: np.ndarray
    blocked_by: tuple = ()


def route(potential, block, diversion_share=0.0, russia_capacity=None, divert_other=True, value=(1.0, 1.0, 1.0)):
    """Apply enforcement and diversion to one channel.

    Parameters
    ----------
    potential, block : sequence of three arrays
        Potential flow (any unit) and blocked fraction (0-1) for China, Russia and other.
    diversion_share : float or array
        Share of a blocked flow re-routed through the other partner (0 = no diversion).
    russia_capacity : array, optional
        Most the Russian route carries; diverted flow fills only its spare capacity.
    divert_other : bool
        Whether flows blocked by third states are re-routed through Russia.
    value : sequence of three floats or arrays
        Value of one unit of flow through each partner, used for ``Line.loss``.

    Returns
    -------
    Line
    """
    keep = [1.0 - b for b in block]
    own = [potential[k] * keep[k] for k in range(3)]
    blocked = [potential[k] * block[k] for k in range(3)]
    into_china = diversion_share * blocked[RUSSIA] * keep[CHINA]
    russia_bound = blocked[CHINA] + blocked[OTHER] if divert_other else blocked[CHINA]
    room = None if russia_capacity is None else np.maximum(russia_capacity - own[RUSSIA], 0.0)

    def into_russia_from(amount):
        raw = diversion_share * amount * keep[RUSSIA]
        return raw if room is None else np.minimum(raw, room)

    into_russia = into_russia_from(russia_bound)
    flows = (own[CHINA] + into_china, own[RUSSIA] + into_russia, own[OTHER])
    # First-order loss if one partner refuses everything in this channel: its flows go, and what it
    # would have carried is partly re-routed through the others.
    gain_if_china_cut = into_russia_from(potential[CHINA] + (blocked[OTHER] if divert_other else 0.0)) - into_russia
    gain_if_other_cut = into_russia_from(blocked[CHINA] + potential[OTHER]) - into_russia if divert_other else 0.0
    loss = (
        value[CHINA] * flows[CHINA] - value[RUSSIA] * gain_if_china_cut,
        value[RUSSIA] * flows[RUSSIA] - value[CHINA] * diversion_share * own[RUSSIA] * keep[CHINA],
        value[OTHER] * flows[OTHER] - value[RUSSIA] * gain_if_other_cut,
    )
    return Line(
        flows=flows, loss=loss, blocked=sum(blocked), diverted=into_china + into_russia, blocked_by=tuple(blocked)
    )


@dataclass
class Channel:
    """What one channel contributes to the outcomes, by partner label.

    Attributes
    ----------
    hard_currency, lifeline, loss : dict of str to array
        USD/yr by partner (``"china"``, ``"russia"``, ``"other"``): cash earned, all value received,
        and the loss if that partner refused everything in this channel (leverage, first order).
    """

    hard_currency: dict = field(default_factory=dict)
    lifeline: dict = field(default_factory=dict)
    loss: dict = field(default_factory=dict)


def _by_partner(values) -> dict:
    return dict(zip(PARTNERS, values, strict=True))


@cache
def _history_rows(dtype) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per parameter an episode sets: (where the scenario applies, history values) as ``(1, T)`` rows."""
    return {
        name: (np.isnan(values)[None, :], np.nan_to_num(values).astype(dtype)[None, :])
        for name, values in history().overrides.items()
    }


class _Paths:
    """Parameter values as ``(N, 1)`` columns, or ``(N, T)`` where history episodes set them."""

    def __init__(self, params: Params, dtype) -> None:
        self._params, self._dtype, self._cache = params, dtype, {}
        self._history = _history_rows(np.dtype(dtype))

    def __getitem__(self, name: str) -> np.ndarray:
        column = self._cache.get(name)
        if column is None:
            column = self._params[name].astype(self._dtype)[:, None]
            rows = self._history.get(name)
            if rows is not None:
                column = np.where(rows[0], column, rows[1])
            self._cache[name] = column
        return column


def simulate(params: Params, dtype=np.float64, chunk: int = 2048, threads: int | None = None) -> Results:
    """Run the model for every draw in ``params`` over 2013-2035.

    Parameters
    ----------
    params : Params
        One scenario (N = 1) or a batch of N draws.
    dtype : numpy floating type
        Type used for computation and results; ``np.float32`` halves memory for large ensembles.
    chunk : int
        Draws computed together. Every operation is vectorised over a block of draws and all
        years; blocks of about 2,000 draws keep the intermediate arrays in the processor cache,
        which is several times faster than one pass over 100,000 draws.
    threads : int, optional
        Blocks computed at once in threads (default ``DEFAULT_THREADS``). Results do not depend on it.

    Returns
    -------
    Results
        Labelled arrays (draw, year, channel, partner): flows in USD/yr, bbl/yr and persons, and the
        outcomes derived from them (shares, concentration, leverage, oil-cap leakage).
    """
    results = Results.allocate(params.n_draws, dtype)
    blocks = [(start, min(start + chunk, params.n_draws)) for start in range(0, params.n_draws, chunk)]

    def fill(block):
        _fill(params.rows(*block), dtype, results.rows(*block))

    if threads is None:
        threads = DEFAULT_THREADS
    if threads > 1 and len(blocks) > 1:
        # numpy releases the GIL inside array operations, and blocks write disjoint slices.
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(fill, blocks))
    else:
        for block in blocks:
            fill(block)
    return results.frozen()


# ---------------------------------------------------------------------------------------------- context
@dataclass(frozen=True)
class World:
    """Conditions every channel shares in a block of draws: detection, open borders, prices.

    Attributes
    ----------
    detection : array
        Share of covert flows detected (0-1): the scenario's monitoring regime from the first
        projection year; in history, each regime weighted by its share of the year.
    open_border : tuple of three arrays
        1 - border_closure x closure series, per partner (China, Russia, other).
    crude_price, refined_price : array
        USD/bbl.
    diversion, smuggling : array
        Shares of blocked flows re-routed and of blocked exports smuggled (0-1), after North Korea's
        evasion effort (0.5 = the registry's values).
    """

    detection: np.ndarray
    open_border: tuple
    crude_price: np.ndarray
    refined_price: np.ndarray
    diversion: np.ndarray = 0.0
    smuggling: np.ndarray = 0.0


def world(p: _Paths, series: dict) -> World:
    """Shared conditions of one block (see :class:`World`)."""
    none, panel, msmt = p["detection_none"], p["detection_panel"], p["detection_msmt"]
    regime = p["monitoring_regime"]
    chosen = np.where(regime == 0, none, np.where(regime == 1, panel, msmt))
    panel_share, msmt_share = series["panel_share_of_year"], series["msmt_share_of_year"]
    in_history = none + panel_share * (panel - none) + msmt_share * (msmt - none)
    detection = np.where(HISTORY[None, :], in_history, chosen)
    open_border = tuple(1.0 - p["border_closure"] * series[f"closure_{k}"] for k in PARTNERS)
    crude = p["crude_price_usd_per_bbl"]
    effort = p["dprk_evasion_effort"] / 0.5  # 1 at today's effort
    diversion = np.minimum(p["diversion_share"] * effort, 1.0)
    smuggling = np.minimum(p["smuggling_share"] * effort, 1.0)
    return World(detection, open_border, crude, crude * p["refined_premium"], diversion, smuggling)


# ---------------------------------------------------------------------------------------------- arms
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
        return self.munitions_usd + self.troops_usd


def arms_deal(p: _Paths, series: dict) -> ArmsDeal:
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


def payment_shares(weights: dict, oil_delivered_share) -> dict:
    """Russia's payment by form as shares summing to one, after the oil it could not deliver.

    Parameters
    ----------
    weights : dict of str to array
        The four payment weights (cash, oil, food, technology), each 0-1, not all zero.
    oil_delivered_share : array
        Share (0-1) of the oil part that Russia actually delivers; the rest of the oil part is paid in
        the other three forms, in proportion to their weights (in cash if those are all zero).

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
    others = share["cash"] + share["food"] + share["technology"]
    has_others = others > 0
    result = {"oil": share["oil"] - undelivered}
    for form in ("cash", "food", "technology"):
        if form == "cash":
            extra = np.where(has_others, undelivered * share[form] / np.where(has_others, others, 1.0), undelivered)
        else:
            extra = np.where(has_others, undelivered * share[form] / np.where(has_others, others, 1.0), 0.0)
        result[form] = share[form] + extra
    return result


# ---------------------------------------------------------------------------------------------- oil
@dataclass(frozen=True)
class Oil:
    """Oil barrels by route and partner (bbl/yr) and their valuation."""

    pipeline: np.ndarray
    reported: tuple  # by partner
    off_book: Line  # smuggled (China waters, other, re-routed via Russia) and Russia's above-cap oil
    need: np.ndarray
    refined_cap: np.ndarray
    russia_oil_delivered_share: np.ndarray
    recorded_usd: tuple  # value in customs data, by partner
    value_per_bbl: np.ndarray  # in the lifeline, every barrel alike

    @property
    def supply(self) -> np.ndarray:
        return self.pipeline + sum(self.reported) + sum(self.off_book.flows)


def oil(p: _Paths, series: dict, w: World, deal: ArmsDeal) -> Oil:
    """Every barrel by route, each counted once (see the module docstring)."""
    cap_in_force = series["refined_cap_in_force"] > 0
    need = p["oil_need_bbl"]
    pipeline = np.minimum(
        p["pipeline_crude_bbl"] * (1.0 - p["china_pipeline_cut"]),
        np.where(cap_in_force, p["crude_oil_cap_bbl"], np.inf),
    )
    refined_gap = np.maximum(need - pipeline, 0.0)
    refined_cap = np.where(cap_in_force, p["refined_oil_cap_bbl"], np.inf)
    legal = np.where(
        cap_in_force, np.minimum(refined_gap, p["refined_oil_cap_bbl"] * p["reported_cap_fill"]), refined_gap
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
    # Ship-to-ship smuggling fills what is still missing, up to the network's capacity. What China and
    # other states block is partly re-routed through Russian ports, within the route's spare capacity.
    # Russia's own deliveries are its overt choice: when it withholds them, smuggling fills the need
    # instead (above), so they are not re-routed again.
    sts = np.minimum(np.maximum(unmet - russia_own, 0.0), p["sts_capacity_bbl"])
    china_waters = p["sts_china_share"]
    smuggled = route(
        (sts * china_waters, 0.0 * sts, sts * (1.0 - china_waters)),
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
    recorded = (
        pipeline * w.crude_price + reported_china * w.refined_price,
        reported_russia * w.refined_price,
        reported_other * w.refined_price,
    )
    return Oil(
        pipeline=pipeline,
        reported=(reported_china, reported_russia, reported_other),
        off_book=off_book,
        need=need,
        refined_cap=refined_cap,
        russia_oil_delivered_share=np.minimum(delivered_share, 1.0),
        recorded_usd=recorded,
        value_per_bbl=useful * w.refined_price,
    )


def oil_channel(o: Oil) -> Channel:
    """The lifeline's ``oil`` channel: every barrel by partner (pipeline, reported, off-book), valued alike."""
    value = o.value_per_bbl
    on_book = (o.pipeline + o.reported[CHINA], o.reported[RUSSIA], o.reported[OTHER])
    return Channel(
        lifeline=_by_partner((on_book[k] + o.off_book.flows[k]) * value for k in range(3)),
        loss=_by_partner((on_book[k] + o.off_book.loss[k]) * value for k in range(3)),
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


def recorded_trade(p: _Paths, series: dict, w: World, o: Oil) -> Trade:
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
        hard_currency=_by_partner(t.exports.flows),
        lifeline=_by_partner(t.exports.flows[k] + t.imports_non_oil.flows[k] for k in range(3)),
        loss=_by_partner(t.exports.loss[k] + t.imports_non_oil.loss[k] for k in range(3)),
    )


def illicit_exports(p: _Paths, w: World, t: Trade) -> tuple[Channel, Line]:
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
    flows = _by_partner(line.flows)
    return Channel(hard_currency=flows, lifeline=dict(flows), loss=_by_partner(line.loss)), line


# ---------------------------------------------------------------------------------------------- labour
def labour(p: _Paths, w: World) -> tuple[Channel, Line, tuple]:
    """Workers abroad by host and the state's take of their pay.

    Hosting workers is an overt choice of China and Russia (no detection factor); third countries find
    disguised workers only when detected. A closed border year removes part of every host's workers.
    """
    take = MONTHS * p["state_take"]
    pay = (p["monthly_pay_china_usd"] * take, p["monthly_pay_russia_usd"] * take, p["monthly_pay_other_usd"] * take)
    attrition = p["closure_worker_attrition"]
    sent = p["dprk_workers_sent"]
    potential = tuple(
        p[f"workers_potential_{host}"] * sent * (1.0 - attrition * (1.0 - w.open_border[k]))
        for k, host in enumerate(PARTNERS)
    )
    line = route(
        potential,
        (p["china_labour_enforcement"], p["russia_labour_enforcement"], p["worker_repatriation"] * w.detection),
        w.diversion,
        p["russia_route_worker_capacity"],
        value=pay,
    )
    earned = _by_partner(line.flows[k] * pay[k] for k in range(3))
    return Channel(hard_currency=earned, lifeline=dict(earned), loss=_by_partner(line.loss)), line, pay


def it_workers(p: _Paths, w: World) -> tuple[Channel, np.ndarray]:
    """IT workers abroad under false identities (no host state chooses them: counted as ``other``)."""
    workers = p["it_workers"] * p["dprk_workers_sent"] * (1.0 - p["worker_repatriation"] * w.detection)
    usd = workers * (MONTHS * p["it_monthly_pay_usd"] * p["it_state_take"])
    return Channel(hard_currency={"other": usd}, lifeline={"other": usd}, loss={"other": usd}), workers


def arms(p: _Paths, series: dict, w: World, deal: ArmsDeal, shares: dict) -> tuple[Channel, Channel]:
    """Munitions and troops for Russia (cash is hard currency; food and technology are lifeline in kind).

    The oil part of the payment is in the ``oil`` channel. Arms sales to other buyers continue after
    2017 (res. 2397 in force) only at a share of their earlier level, and only where not interdicted.
    """
    after_2017 = np.where(series["refined_cap_in_force"] > 0, p["other_arms_share_after_2017"], 1.0)
    other_usd = p["other_arms_usd"] * after_2017 * (1.0 - p["maritime_interdiction"] * w.detection)
    cash, non_oil = shares["cash"], 1.0 - shares["oil"]
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


def cyber(p: _Paths) -> Channel:
    """Cyber theft: hard currency that passes through no partner (no lifeline, no leverage)."""
    return Channel(hard_currency={"other": p["cyber_haul_usd"] * p["dprk_cyber_intensity"] * p["include_cyber"]})


# ---------------------------------------------------------------------------------------------- assembly
def _fill(params: Params, dtype, out) -> None:
    """Compute one block of draws and write it into the result views ``out``, by label."""
    p = _Paths(params, dtype)
    series = {name: values.astype(dtype)[None, :] for name, values in history().series.items()}
    w = world(p, series)

    deal = arms_deal(p, series)
    o = oil(p, series, w, deal)
    shares = payment_shares(deal.weights, o.russia_oil_delivered_share)
    trade = recorded_trade(p, series, w, o)
    smuggling, smuggling_line = illicit_exports(p, w, trade)
    workers, workers_line, _ = labour(p, w)
    it, it_abroad = it_workers(p, w)
    munitions, troops = arms(p, series, w, deal, shares)

    channels = {
        "recorded_exports": recorded_exports(trade),
        "illicit_exports": smuggling,
        "oil": oil_channel(o),
        "labour": workers,
        "it_workers": it,
        "arms": munitions,
        "troops": troops,
        "cyber": cyber(p),
    }
    hard_currency = out.by_label("hard_currency_usd")
    lifeline = out.by_label("lifeline_usd")
    leverage = out.by_label("leverage_usd")
    for name, channel in channels.items():
        lifeline_name = "recorded_trade" if name == "recorded_exports" else name
        for partner, value in channel.hard_currency.items():
            hard_currency[name, partner] = value
        for partner, value in channel.lifeline.items():
            lifeline[lifeline_name, partner] = value
        # Leverage is computed the same way for every channel: the sum of its first-order losses.
        for partner, value in channel.loss.items():
            leverage[partner] += value

    oil_supply = out.by_label("oil_supply_bbl")
    oil_supply["pipeline_crude", "china"] = o.pipeline
    for k, partner in enumerate(PARTNERS):
        oil_supply["reported_refined", partner] = o.reported[k]
        oil_supply["illicit_refined", partner] = o.off_book.flows[k]
    trade_out = out.by_label("recorded_trade_usd")
    recorded_oil = out.by_label("recorded_oil_usd")
    abroad = out.by_label("workers_abroad")
    for k, partner in enumerate(PARTNERS):
        trade_out["exports", partner] = trade.exports.flows[k]
        trade_out["imports", partner] = trade.imports[k]
        recorded_oil[partner] = o.recorded_usd[k]
        abroad[partner] = workers_line.flows[k]

    out.oil_need_bbl[:] = o.need
    out.refined_cap_bbl[:] = o.refined_cap
    out.munition_rounds[:] = deal.rounds
    out.troops_in_russia[:] = deal.troops
    out.munition_containers[:] = deal.containers
    out.missiles_sold[:] = deal.missiles
    out.it_workers_abroad[:] = it_abroad
    for f, form in enumerate(PAYMENT_FORMS):
        out.russia_payment_usd_fnt[f] = deal.payment_usd * shares[form]
    for c, line in enumerate((smuggling_line, workers_line, o.off_book)):
        out.blocked_cnt[c] = line.blocked
        out.diverted_cnt[c] = line.diverted


__all__ = [
    "HARD_CURRENCY_CHANNELS",
    "LIFELINE_CHANNELS",
    "OIL_ROUTES",
    "PARTNERS",
    "TRADE_FLOWS",
    "Channel",
    "payment_shares",
    "route",
    "simulate",
]
