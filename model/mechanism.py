"""The shared mechanism of every channel: enforcement, detection, diversion and capacity.

Per channel, partner p (China, Russia, other) and year::

    block[p]    = enforcement[p] x detection   (detection = 1 for a state's own overt choices:
                                                 trade at customs, hosting workers, buying arms, oil)
    own[p]      = potential[p] x (1 - block[p])
    blocked[p]  = potential[p] x block[p]
    into China  = diversion_share x blocked[Russia] x (1 - block[China])
    into Russia = min(diversion_share x (blocked[China] + blocked[other]) x (1 - block[Russia]),
                      spare capacity of the Russian route)
    flow[p]     = own[p] + what was diverted into p

:func:`route` applies it to one channel; :class:`World` holds what every channel shares (detection,
open borders, prices, North Korea's evasion effort). The channels themselves are in :mod:`model.flows`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from model.outcomes import PARTNERS
from model.timeline import HISTORY

CHINA, RUSSIA, OTHER = range(3)
#: Parameter values by name: ``(N, 1)`` columns, or ``(N, T)`` paths where history episodes set them.
Paths = Mapping[str, np.ndarray]


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


def by_partner(values) -> dict:
    """A dict of the three partners' values, in partner order."""
    return dict(zip(PARTNERS, values, strict=True))


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
    diversion: np.ndarray
    smuggling: np.ndarray


def world(p: Paths, series: dict) -> World:
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
