"""The model: a pure, vectorised function of a :class:`~model.params.Params` batch.

:func:`simulate` runs every channel of :mod:`model.flows` (one small function each) over a block of
draws and all years, on the shared mechanism of :mod:`model.mechanism` (enforcement x detection,
diversion, the Russian route's capacity), and writes the results by label. Parameter values come as
``(N, 1)`` columns, or ``(N, T)`` paths where the history episodes set them; nothing loops over draws
or years.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import numpy as np

from model.episodes import history
from model.flows import (
    arms,
    arms_deal,
    cyber,
    illicit_exports,
    it_workers,
    labour,
    oil,
    oil_channel,
    payment_shares,
    recorded_exports,
    recorded_trade,
)
from model.mechanism import world
from model.outcomes import PARTNERS, PAYMENT_FORMS
from model.params import Params
from model.results import Results

# Two threads cut a 100,000-draw ensemble from about 0.55 s to 0.35 s on these 2-core machines
# (bench/model_bench.py measures both); a single scenario is one block and never uses a thread.
DEFAULT_THREADS = min(2, os.cpu_count() or 1)


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
    """Compute one block of draws and write it into the result views ``out``, by label."""
    p = _Paths(params, dtype)
    series = {name: values.astype(dtype)[None, :] for name, values in history().series.items()}
    w = world(p, series)

    deal = arms_deal(p, series)
    o = oil(p, series, w, deal)
    shares = payment_shares(deal.weights, o.russia_oil_delivered_share, p["russia_oil_makeup_share"])
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
    purchases = out.by_label("oil_purchases_usd")
    for (route_name, partner), value in o.purchases_usd.items():
        purchases[route_name, partner] = value
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


__all__ = ["DEFAULT_THREADS", "simulate"]
