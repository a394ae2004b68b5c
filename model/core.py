"""The model: a pure, vectorised function of a :class:`~model.params.Params` batch.

The mechanism, per channel, partner p (China, Russia, other) and year::

    block[p]    = enforcement[p] x detection        (detection = 1 for a partner state's own decisions)
    own[p]      = potential[p] x (1 - block[p])
    blocked[p]  = potential[p] x block[p]
    into China  = diversion_share x blocked[Russia] x (1 - block[China])
    into Russia = min(diversion_share x (blocked[China] + blocked[other]) x (1 - block[Russia]),
                      spare capacity of the Russian route)
    flow[p]     = own[p] + what was diverted into p

Oil has no use beyond need, so off-book oil is valued at ``min(1, need / supply)``. Every array is
``(N draws, T years)`` or broadcasts to it; nothing loops over draws or years.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import numpy as np

from model.episodes import HISTORY, YEARS, history
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
    """

    flows: tuple
    loss: tuple
    blocked: np.ndarray
    diverted: np.ndarray


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
    return Line(flows=flows, loss=loss, blocked=sum(blocked), diverted=into_china + into_russia)


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


def _fill(params: Params, dtype, out) -> None:
    """Compute one block of draws and write it into the result views ``out``."""
    p = _Paths(params, dtype)

    series = {name: values.astype(dtype)[None, :] for name, values in history().series.items()}

    regime = p["monitoring_regime"]
    detection = np.where(
        regime == 0, p["detection_none"], np.where(regime == 1, p["detection_panel"], p["detection_msmt"])
    )
    divert = p["diversion_share"]

    # ---------------------------------------------------------------- recorded trade (USD/yr)
    # Declared at customs, so no detection factor; blocked trade is partly smuggled instead (below).
    open_border = 1.0 - p["border_closure"] * series["closure_intensity"]
    russia_exports = p["russia_recorded_trade_usd"] * p["russia_export_share"]
    russia_imports = p["russia_recorded_trade_usd"] - russia_exports
    china_share = p["china_trade_share_potential"]
    trade = {}
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
            russia_imports,
            series["import_bans_in_force"],
            p["import_ban_coverage"],
            p["china_import_ban_enforcement"],
        ),
    ):
        rest = (total - russia) * open_border
        bans = coverage * bans_in_force
        trade[flow] = route(
            (rest * china_share, russia * open_border, rest * (1.0 - china_share)),
            (china_enforcement * bans, p["russia_trade_enforcement"] * bans, p["other_trade_block"] * bans_in_force),
        )
    exports, imports = trade["exports"], trade["imports"]

    # ---------------------------------------------------------------- illicit exports (USD/yr)
    smuggled = p["smuggling_share"] * exports.blocked
    china_waters = p["sts_china_share"]
    illicit = route(
        (smuggled * china_waters, 0.0 * smuggled, smuggled * (1.0 - china_waters)),
        (
            p["china_smuggling_enforcement"] * detection,
            p["russia_trade_enforcement"] * detection,
            p["maritime_interdiction"] * detection,
        ),
        divert,
        p["russia_route_goods_capacity_usd"],
    )

    # ---------------------------------------------------------------- labour (persons -> USD/yr)
    take = MONTHS * p["state_take"]
    pay = (p["monthly_pay_china_usd"] * take, p["monthly_pay_russia_usd"] * take, p["monthly_pay_other_usd"] * take)
    workers = route(
        (p["workers_potential_china"], p["workers_potential_russia"], p["workers_potential_other"]),
        (
            p["china_labour_enforcement"] * detection,
            p["russia_labour_enforcement"],
            p["worker_repatriation"] * detection,
        ),
        divert,
        p["russia_route_worker_capacity"],
        value=pay,
    )
    it_workers = p["it_workers"] * (1.0 - p["worker_repatriation"] * detection)
    it_usd = it_workers * (MONTHS * p["it_monthly_pay_usd"] * p["it_state_take"])

    # ---------------------------------------------------------------- arms (USD/yr)
    # A ceasefire (projection years only) drops munitions demand to restocking and sends troops home.
    at_peace = ~HISTORY[None, :] & (YEARS[None, :] >= p["ceasefire_year"])
    war = p["war_demand_level"] * np.where(at_peace, p["post_war_demand_share"], 1.0)
    russia_buys = 1.0 - p["russia_arms_enforcement"]
    containers = war * p["munition_containers_per_year"] * russia_buys
    rounds = containers * p["rounds_per_container"]
    missiles = war * p["missiles_per_year"] * russia_buys
    munitions_usd = rounds * p["price_per_round_usd"] + missiles * p["missile_price_usd"]
    troops = p["war_demand_level"] * series["troop_presence"] * (~at_peace) * p["troops_deployed"] * russia_buys
    troops_usd = troops * (MONTHS * p["troop_monthly_pay_usd"])
    other_arms_usd = p["other_arms_usd"] * (1.0 - p["maritime_interdiction"] * detection)
    # Payment mix as shares; the oil weight has history values (no oil before March 2024).
    weights = {k: p[f"russia_payment_{k}_weight"] for k in ("cash", "oil", "food", "technology")}
    weight_total = weights["cash"] + weights["oil"] + weights["food"] + weights["technology"]
    # Only history years can have all weights at zero (a scenario paying in oil alone, before the oil
    # began in 2024): count such payments as cash.
    paid = weight_total > 0
    shares = {
        k: np.where(paid, w / np.where(paid, weight_total, 1.0), 1.0 if k == "cash" else 0.0)
        for k, w in weights.items()
    }

    # ---------------------------------------------------------------- oil (bbl/yr)
    cap_in_force = series["refined_cap_in_force"] > 0
    pipeline = np.minimum(
        p["pipeline_crude_bbl"] * (1.0 - p["china_pipeline_cut"]),
        np.where(cap_in_force, p["crude_oil_cap_bbl"], np.inf),
    )
    refined_gap = np.maximum(p["oil_need_bbl"] - pipeline, 0.0)
    refined_cap = np.where(cap_in_force, p["refined_oil_cap_bbl"], np.inf)
    reported = np.minimum(refined_gap, p["refined_oil_cap_bbl"] * p["reported_cap_fill"])
    reported = np.where(cap_in_force, reported, refined_gap)
    illicit_demand = np.where(cap_in_force, refined_gap - reported, 0.0)
    refined_price = p["crude_price_usd_per_bbl"] * p["refined_premium"]
    russia_oil = shares["oil"] * (munitions_usd + troops_usd) / refined_price
    sts = np.minimum(np.maximum(illicit_demand - russia_oil, 0.0), p["sts_capacity_bbl"])
    illicit_oil = route(
        (sts * china_waters, russia_oil, sts * (1.0 - china_waters)),
        (
            p["china_smuggling_enforcement"] * detection,
            p["russia_oil_cap_enforcement"],
            p["maritime_interdiction"] * detection,
        ),
        divert,
        p["russia_route_oil_capacity_bbl"],
    )
    reported_china = reported * p["reported_refined_china_share"]
    reported_russia = reported - reported_china
    supply = pipeline + reported + illicit_oil.flows[CHINA] + illicit_oil.flows[RUSSIA] + illicit_oil.flows[OTHER]
    useful = np.minimum(1.0, p["oil_need_bbl"] / np.maximum(supply, 1.0))
    refined_value = useful * refined_price
    pipeline_value = useful * pipeline * p["crude_price_usd_per_bbl"]

    # ---------------------------------------------------------------- outputs
    cash, non_oil = shares["cash"], 1.0 - shares["oil"]
    hc = out.hard_currency_usd_cpnt
    for k in range(3):
        hc[0, k] = exports.flows[k]
        hc[1, k] = illicit.flows[k]
        hc[2, k] = workers.flows[k] * pay[k]
    hc[3, OTHER] = it_usd
    hc[4, RUSSIA] = munitions_usd * cash
    hc[4, OTHER] = other_arms_usd
    hc[5, RUSSIA] = troops_usd * cash
    hc[6, OTHER] = p["cyber_haul_usd"] * p["include_cyber"]

    ll = out.lifeline_usd_cpnt
    for k in range(3):
        ll[0, k] = exports.flows[k] + imports.flows[k]
        ll[1, k] = illicit.flows[k]
        ll[2, k] = illicit_oil.flows[k] * refined_value
    ll[2, CHINA] += pipeline_value
    ll[3] = hc[2]
    ll[4, OTHER] = it_usd
    ll[5, RUSSIA] = munitions_usd * non_oil
    ll[5, OTHER] = other_arms_usd
    ll[6, RUSSIA] = troops_usd * non_oil

    oil = out.oil_supply_bbl_cpnt
    # Result arrays start at zero: only the channel-partner cells that carry flows are written.
    oil[0, CHINA] = pipeline
    oil[1, CHINA], oil[1, RUSSIA] = reported_china, reported_russia
    for k in range(3):
        oil[2, k] = illicit_oil.flows[k]
        out.recorded_trade_usd_cpnt[0, k] = exports.flows[k]
        out.recorded_trade_usd_cpnt[1, k] = imports.flows[k]
        out.workers_abroad_pnt[k] = workers.flows[k]

    # Leverage: channel by channel, what North Korea loses if a partner refuses every flow, after
    # re-routing (first order: each channel's diversion only, other channels held as they are).
    oil_loss = [illicit_oil.loss[k] * refined_value for k in range(3)]
    leverage = out.leverage_usd_pnt
    leverage[CHINA] = (
        exports.loss[CHINA]
        + imports.loss[CHINA]
        + illicit.loss[CHINA]
        + oil_loss[CHINA]
        + pipeline_value
        + workers.loss[CHINA]
    )
    leverage[RUSSIA] = (
        exports.loss[RUSSIA]
        + imports.loss[RUSSIA]
        + illicit.loss[RUSSIA]
        + oil_loss[RUSSIA]
        + workers.loss[RUSSIA]
        + (munitions_usd + troops_usd) * non_oil
    )
    leverage[OTHER] = (
        exports.loss[OTHER]
        + imports.loss[OTHER]
        + illicit.loss[OTHER]
        + oil_loss[OTHER]
        + workers.loss[OTHER]
        + it_usd
        + other_arms_usd
    )

    out.oil_need_bbl[:] = p["oil_need_bbl"]
    out.refined_cap_bbl[:] = refined_cap
    out.munition_rounds[:] = rounds
    out.troops_in_russia[:] = troops
    out.munition_containers[:] = containers
    out.missiles_sold[:] = missiles
    out.it_workers_abroad[:] = it_workers
    payment = munitions_usd + troops_usd
    for f, form in enumerate(PAYMENT_FORMS):
        out.russia_payment_usd_fnt[f] = payment * shares[form]
    for c, line in enumerate((illicit, workers, illicit_oil)):
        out.blocked_cnt[c] = line.blocked
        out.diverted_cnt[c] = line.diverted


__all__ = ["HARD_CURRENCY_CHANNELS", "LIFELINE_CHANNELS", "OIL_ROUTES", "PARTNERS", "TRADE_FLOWS", "route", "simulate"]
