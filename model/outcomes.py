"""The one outcome registry: what the model reports, in which unit, and which direction is better.

* :data:`OUTCOMES` - every outcome array of :class:`model.results.Results` with title, unit, dimensions,
  the direction that serves the sanctions' aims and a description.
* The labels of the dimensions: :data:`PARTNERS` (with :data:`PARTNER_NAMES`, the one map of partner
  names), :data:`HARD_CURRENCY_CHANNELS`, :data:`LIFELINE_CHANNELS`, :data:`OIL_ROUTES`,
  :data:`TRADE_FLOWS`, :data:`PAYMENT_FORMS`.
* :class:`Quantity` - one number per draw and year: an outcome, optionally for one partner and channel.
* :data:`HEADLINES` - the quantities a seminar argues about (readouts, fan charts, comparisons), and
  :data:`HEADLINE_TABLE`, the rows of every headline table.

Model, plots, apps, uncertainty analysis and the command line all read these; none repeats a label.

Examples
--------
>>> from model import simulate
>>> from model.outcomes import HEADLINES
>>> from model.params import Params
>>> results = simulate(Params.defaults())
>>> quantity = HEADLINES["hard_currency_russia"]
>>> quantity.label, quantity.unit
('Hard-currency earnings via Russia', 'USD/yr')
>>> quantity.values(results).shape == (1, results.years.size)
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PARTNERS = ("china", "russia", "other")
HARD_CURRENCY_CHANNELS = (
    "recorded_exports",
    "illicit_exports",
    "labour",
    "it_workers",
    "arms",
    "troops",
    "cyber",
)
LIFELINE_CHANNELS = ("recorded_trade", "illicit_exports", "oil", "labour", "it_workers", "arms", "troops")
OIL_ROUTES = ("pipeline_crude", "reported_refined", "illicit_refined")
TRADE_FLOWS = ("exports", "imports")
DIVERTING_CHANNELS = ("illicit_exports", "labour", "illicit_refined_oil")
PAYMENT_FORMS = ("cash", "oil", "food", "technology")


@dataclass(frozen=True)
class Outcome:
    """Metadata of one outcome."""

    name: str
    title: str
    unit: str
    dims: tuple[str, ...]
    better: str  # "lower", "higher" or "neither", for the sanctions' aims
    description: str


OUTCOMES: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome(
            "hard_currency_usd",
            "Hard-currency earnings",
            "USD/yr",
            ("draw", "year", "channel", "partner"),
            "lower",
            "Cash the state earns abroad, by channel and by the partner it passes through.",
        ),
        Outcome(
            "hard_currency_total_usd",
            "Hard-currency earnings, total",
            "USD/yr",
            ("draw", "year"),
            "lower",
            "All channels and partners.",
        ),
        Outcome(
            "oil_purchases_usd",
            "Oil purchases",
            "USD/yr",
            ("draw", "year", "route", "partner"),
            "neither",
            "Hard currency North Korea pays for oil, by route and partner: reported refined deliveries at the "
            "refined price and smuggled barrels at the smuggled price. Pipeline crude (China's aid) and the oil "
            "Russia delivers as payment cost nothing.",
        ),
        Outcome(
            "oil_purchases_total_usd",
            "Oil purchases, total",
            "USD/yr",
            ("draw", "year"),
            "neither",
            "All routes and partners.",
        ),
        Outcome(
            "net_hard_currency_usd",
            "Net hard currency",
            "USD/yr",
            ("draw", "year"),
            "lower",
            "Hard-currency earnings less what North Korea pays for oil: the cash left for everything else.",
        ),
        Outcome(
            "oil_supply_bbl",
            "Oil supply",
            "bbl/yr",
            ("draw", "year", "route", "partner"),
            "lower",
            "Oil reaching North Korea by route (pipeline crude, reported refined, illicit refined) and partner.",
        ),
        Outcome(
            "oil_need_bbl",
            "Oil need",
            "bbl/yr",
            ("draw", "year"),
            "neither",
            "Oil North Korea would use without shortages.",
        ),
        Outcome(
            "oil_supply_ratio",
            "Oil supply / need",
            "fraction",
            ("draw", "year"),
            "lower",
            "Supply as a share of need; above 1 the extra oil has no use.",
        ),
        Outcome(
            "recorded_trade_usd",
            "Recorded trade",
            "USD/yr",
            ("draw", "year", "flow", "partner"),
            "lower",
            "What customs statistics show: North Korea's exports and imports by partner.",
        ),
        Outcome(
            "recorded_oil_usd",
            "Oil in recorded imports",
            "USD/yr",
            ("draw", "year", "partner"),
            "neither",
            "Pipeline crude and reported refined products as customs data count them (inside recorded imports), "
            "at the year's price.",
        ),
        Outcome(
            "recorded_trade_share",
            "Share of recorded trade",
            "fraction",
            ("draw", "year", "partner"),
            "neither",
            "Each partner's share of recorded trade (the '>90% China' measure).",
        ),
        Outcome(
            "lifeline_usd",
            "All flows (lifeline)",
            "USD/yr",
            ("draw", "year", "channel", "partner"),
            "lower",
            "Recorded trade without its oil, plus every barrel of oil (pipeline, reported and off-book, "
            "each counted once and valued alike), labour, arms (cash and in kind), by partner. Cyber theft "
            "is not a partner flow and is left out.",
        ),
        Outcome(
            "lifeline_share",
            "Share of all flows",
            "fraction",
            ("draw", "year", "partner"),
            "neither",
            "Each partner's share of all flows: the measure on which Russia's rise shows.",
        ),
        Outcome(
            "lifeline_hhi",
            "Concentration of flows (HHI)",
            "index 1/3-1",
            ("draw", "year"),
            "neither",
            "Sum of squared lifeline shares: 1 = one partner carries everything.",
        ),
        Outcome(
            "leverage_usd",
            "Leverage",
            "USD/yr",
            ("draw", "year", "partner"),
            "higher",
            "What North Korea would lose in a year if that partner refused every flow, after diversion to "
            "the others (first order: each channel's own re-routing, other channels held as they are). "
            "Higher means more pressure is available to that partner.",
        ),
        Outcome(
            "oil_cap_leakage_ratio",
            "Oil-cap leakage ratio",
            "x cap",
            ("draw", "year"),
            "lower",
            "All refined oil delivered (reported and illicit) divided by the refined cap in force.",
        ),
        Outcome(
            "workers_abroad",
            "Workers abroad",
            "persons",
            ("draw", "year", "partner"),
            "lower",
            "North Korean workers abroad by host (IT workers not included).",
        ),
        Outcome(
            "munition_rounds",
            "Artillery rounds shipped",
            "rounds/yr",
            ("draw", "year"),
            "lower",
            "152 mm-equivalent rounds shipped to Russia.",
        ),
        Outcome(
            "troops_in_russia",
            "Troops in Russia",
            "persons (annual average)",
            ("draw", "year"),
            "lower",
            "North Korean soldiers with Russian forces.",
        ),
    )
}


#: The one map of partner names, as written in sentences ("via Russia", "other states").
PARTNER_NAMES = {"china": "China", "russia": "Russia", "other": "other states"}


#: Labels of an outcome's third dimension, when it has one besides the partner.
CHANNEL_LABELS = {
    "hard_currency_usd": HARD_CURRENCY_CHANNELS,
    "lifeline_usd": LIFELINE_CHANNELS,
    "oil_supply_bbl": OIL_ROUTES,
    "recorded_trade_usd": TRADE_FLOWS,
    "oil_purchases_usd": OIL_ROUTES,
}
SHARES = ("recorded_trade_share", "lifeline_share")


@dataclass(frozen=True)
class Quantity:
    """One series per draw over the years: an outcome, optionally for one partner and one channel.

    Parameters
    ----------
    outcome : str
        A key of :data:`model.results.OUTCOMES`.
    partner : str, optional
        One of :data:`model.results.PARTNERS`; ``None`` sums over partners (not allowed for shares).
    channel : str, optional
        A channel, route or flow label of the outcome; ``None`` sums over them.

    Raises
    ------
    ValueError
        For an unknown outcome, partner or channel, or a share without its partner.
    """

    outcome: str
    partner: str | None = None
    channel: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in OUTCOMES:
            raise ValueError(f"unknown outcome {self.outcome!r}; known: {', '.join(OUTCOMES)}")
        dims = OUTCOMES[self.outcome].dims
        if self.partner is not None:
            if "partner" not in dims:
                raise ValueError(f"{self.outcome} has no partner dimension; leave partner out")
            if self.partner not in PARTNERS:
                raise ValueError(f"unknown partner {self.partner!r}; known: {', '.join(PARTNERS)}")
        elif self.outcome in SHARES:
            raise ValueError(f"{self.outcome} is a share: name a partner ({', '.join(PARTNERS)})")
        if self.channel is not None:
            labels = CHANNEL_LABELS.get(self.outcome, ())
            if self.channel not in labels:
                known = ", ".join(labels) or "none"
                raise ValueError(f"{self.outcome}: unknown channel {self.channel!r}; known: {known}")

    @property
    def unit(self) -> str:
        """The outcome's unit (e.g. ``USD/yr``, ``fraction``, ``x cap``)."""
        return OUTCOMES[self.outcome].unit

    @property
    def better(self) -> str:
        """``lower``, ``higher`` or ``neither``: which direction serves the sanctions' aims."""
        return OUTCOMES[self.outcome].better

    @property
    def label(self) -> str:
        """A short human label, e.g. ``Hard-currency earnings via Russia (arms)``."""
        text = OUTCOMES[self.outcome].title
        if self.partner is not None and self.outcome in SHARES:
            owner = PARTNER_NAMES[self.partner]
            text = f"{owner}{chr(39) if owner.endswith('s') else chr(39) + 's'} {text[0].lower()}{text[1:]}"
        elif self.partner is not None:
            text += f" via {PARTNER_NAMES[self.partner]}"
        if self.channel is not None:
            text += f" ({self.channel.replace('_', ' ')})"
        return text

    def values(self, results: Any) -> np.ndarray:
        """The ``(draws, years)`` array of this quantity in ``results``."""
        array = results.outcome(self.outcome)
        dims = OUTCOMES[self.outcome].dims
        if "partner" in dims:
            array = array.sum(axis=-1) if self.partner is None else array[..., PARTNERS.index(self.partner)]
        if len(dims) == 4:  # (draw, year, channel, [partner already taken])
            labels = CHANNEL_LABELS[self.outcome]
            array = array.sum(axis=-1) if self.channel is None else array[..., labels.index(self.channel)]
        return array

    def at(self, results: Any, year: int) -> np.ndarray:
        """The ``(draws,)`` values in one calendar year."""
        return self.values(results)[:, results.year_index(year)]


#: The outcomes a seminar argues about, by short key: fan charts, choosers and comparison tables.
HEADLINES: dict[str, Quantity] = {
    "hard_currency_total": Quantity("hard_currency_total_usd"),
    "net_hard_currency": Quantity("net_hard_currency_usd"),
    "oil_purchases": Quantity("oil_purchases_usd"),
    "hard_currency_china": Quantity("hard_currency_usd", partner="china"),
    "hard_currency_russia": Quantity("hard_currency_usd", partner="russia"),
    "lifeline_share_china": Quantity("lifeline_share", partner="china"),
    "lifeline_share_russia": Quantity("lifeline_share", partner="russia"),
    "recorded_trade_share_china": Quantity("recorded_trade_share", partner="china"),
    "recorded_trade_share_russia": Quantity("recorded_trade_share", partner="russia"),
    "lifeline_total": Quantity("lifeline_usd"),
    "oil_supply_ratio": Quantity("oil_supply_ratio"),
    "oil_cap_leakage": Quantity("oil_cap_leakage_ratio"),
    "leverage_china": Quantity("leverage_usd", partner="china"),
    "leverage_russia": Quantity("leverage_usd", partner="russia"),
    "munition_rounds": Quantity("munition_rounds"),
    "workers_abroad": Quantity("workers_abroad"),
    "workers_abroad_russia": Quantity("workers_abroad", partner="russia"),
    "oil_supply": Quantity("oil_supply_bbl"),
}

#: The headline table of the apps and of :meth:`model.results.Results.headline`, in display order:
#: its key (as in ``Results.headline``) and the :data:`HEADLINES` key it reads.
HEADLINE_TABLE = {
    "hard_currency_total_usd": "hard_currency_total",
    "net_hard_currency_usd": "net_hard_currency",
    "hard_currency_china_usd": "hard_currency_china",
    "hard_currency_russia_usd": "hard_currency_russia",
    "recorded_trade_share_china": "recorded_trade_share_china",
    "lifeline_share_china": "lifeline_share_china",
    "lifeline_share_russia": "lifeline_share_russia",
    "oil_supply_bbl": "oil_supply",
    "oil_cap_leakage_ratio": "oil_cap_leakage",
    "leverage_china_usd": "leverage_china",
    "leverage_russia_usd": "leverage_russia",
}

#: Every headline number of :meth:`model.results.Results.headline` and ``headline_series``: the table's
#: rows and a few more that docs/levers.md and the presets' ``[[expected]]`` statements name.
HEADLINE_SERIES = {
    **HEADLINE_TABLE,
    "lifeline_total_usd": "lifeline_total",
    "oil_purchases_usd": "oil_purchases",
    "recorded_trade_share_russia": "recorded_trade_share_russia",
    "workers_abroad_total": "workers_abroad",
    "workers_abroad_russia": "workers_abroad_russia",
}


def headline(key_or_quantity: str | Quantity) -> Quantity:
    """A :class:`Quantity` from a :data:`HEADLINES` key (a Quantity passes through)."""
    if isinstance(key_or_quantity, Quantity):
        return key_or_quantity
    if key_or_quantity not in HEADLINES:
        raise ValueError(f"unknown headline {key_or_quantity!r}; known: {', '.join(HEADLINES)}")
    return HEADLINES[key_or_quantity]
