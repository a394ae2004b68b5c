"""What an uncertainty analysis looks at: one number per draw and year, read from :class:`~model.Results`.

A :class:`Quantity` names an outcome of :data:`model.results.OUTCOMES` and, where the outcome has them,
a partner and a channel; dimensions left unnamed are summed. Shares cannot be summed over partners,
so a share needs its partner.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.results import (
    HARD_CURRENCY_CHANNELS,
    LIFELINE_CHANNELS,
    OIL_ROUTES,
    OUTCOMES,
    PARTNERS,
    TRADE_FLOWS,
    Results,
)

#: Labels of an outcome's third dimension, when it has one besides the partner.
CHANNEL_LABELS = {
    "hard_currency_usd": HARD_CURRENCY_CHANNELS,
    "lifeline_usd": LIFELINE_CHANNELS,
    "oil_supply_bbl": OIL_ROUTES,
    "recorded_trade_usd": TRADE_FLOWS,
}
SHARES = ("recorded_trade_share", "lifeline_share")
PARTNER_NAMES = {"china": "China", "russia": "Russia", "other": "other states"}


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

    def values(self, results: Results) -> np.ndarray:
        """The ``(draws, years)`` array of this quantity in ``results``."""
        array = results.outcome(self.outcome)
        dims = OUTCOMES[self.outcome].dims
        if "partner" in dims:
            array = array.sum(axis=-1) if self.partner is None else array[..., PARTNERS.index(self.partner)]
        if len(dims) == 4:  # (draw, year, channel, [partner already taken])
            labels = CHANNEL_LABELS[self.outcome]
            array = array.sum(axis=-1) if self.channel is None else array[..., labels.index(self.channel)]
        return array

    def at(self, results: Results, year: int) -> np.ndarray:
        """The ``(draws,)`` values in one calendar year."""
        return self.values(results)[:, results.year_index(year)]


#: The outcomes a seminar argues about, by short key: fan charts, choosers and comparison tables.
HEADLINES: dict[str, Quantity] = {
    "hard_currency_total": Quantity("hard_currency_total_usd"),
    "hard_currency_china": Quantity("hard_currency_usd", partner="china"),
    "hard_currency_russia": Quantity("hard_currency_usd", partner="russia"),
    "lifeline_share_china": Quantity("lifeline_share", partner="china"),
    "lifeline_share_russia": Quantity("lifeline_share", partner="russia"),
    "recorded_trade_share_china": Quantity("recorded_trade_share", partner="china"),
    "oil_supply_ratio": Quantity("oil_supply_ratio"),
    "oil_cap_leakage": Quantity("oil_cap_leakage_ratio"),
    "leverage_china": Quantity("leverage_usd", partner="china"),
    "leverage_russia": Quantity("leverage_usd", partner="russia"),
    "munition_rounds": Quantity("munition_rounds"),
    "workers_abroad": Quantity("workers_abroad"),
}


def headline(key_or_quantity: str | Quantity) -> Quantity:
    """A :class:`Quantity` from a :data:`HEADLINES` key (a Quantity passes through)."""
    if isinstance(key_or_quantity, Quantity):
        return key_or_quantity
    if key_or_quantity not in HEADLINES:
        raise ValueError(f"unknown headline {key_or_quantity!r}; known: {', '.join(HEADLINES)}")
    return HEADLINES[key_or_quantity]
