"""Model results: labelled arrays, derived outcomes and a tidy-table export.

Arrays are indexed ``[draw, year, channel, partner]`` (or the subset of those dimensions an outcome
has). :data:`OUTCOMES` says for each outcome its unit, its dimensions and which direction is better
for the sanctions' aims.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np

# The outcome metadata lives in model.outcomes (the one outcome registry); re-exported here.
from model.outcomes import (
    DIVERTING_CHANNELS,
    HARD_CURRENCY_CHANNELS,
    HEADLINE_SERIES,
    HEADLINES,
    LIFELINE_CHANNELS,
    OIL_ROUTES,
    OUTCOMES,
    PARTNERS,
    PAYMENT_FORMS,
    TRADE_FLOWS,
)
from model.timeline import YEARS

# Headline numbers (Results.headline): what a seminar quotes, and what presets' [[expected]] statements name.
HEADLINE_KEYS = tuple(HEADLINE_SERIES)

# Storage of the labelled outcomes: attribute of the (label..., draw, year) array and its label axes.
LABELLED = {
    "hard_currency_usd": ("hard_currency_usd_cpnt", (HARD_CURRENCY_CHANNELS, PARTNERS)),
    "lifeline_usd": ("lifeline_usd_cpnt", (LIFELINE_CHANNELS, PARTNERS)),
    "oil_supply_bbl": ("oil_supply_bbl_cpnt", (OIL_ROUTES, PARTNERS)),
    "recorded_trade_usd": ("recorded_trade_usd_cpnt", (TRADE_FLOWS, PARTNERS)),
    "recorded_oil_usd": ("recorded_oil_usd_pnt", (PARTNERS,)),
    "workers_abroad": ("workers_abroad_pnt", (PARTNERS,)),
    "leverage_usd": ("leverage_usd_pnt", (PARTNERS,)),
    "russia_payment_usd": ("russia_payment_usd_fnt", (PAYMENT_FORMS,)),
    "oil_purchases_usd": ("oil_purchases_usd_cpnt", (OIL_ROUTES, PARTNERS)),
}


class ByLabel:
    """An outcome array addressed by labels: ``table["arms", "russia"]`` is that cell's (draw, year) array.

    Parameters
    ----------
    array : numpy.ndarray
        Storage with the label axes first and (draw, year) last.
    axes : tuple of tuple of str
        The labels of each leading axis.
    """

    def __init__(self, array: np.ndarray, axes: tuple[tuple[str, ...], ...]) -> None:
        self._array, self._axes = array, axes

    def _index(self, key) -> tuple[int, ...]:
        key = key if isinstance(key, tuple) else (key,)
        if len(key) != len(self._axes):
            raise KeyError(
                f"{key!r}: expected {len(self._axes)} labels ({' x '.join('/'.join(a) for a in self._axes)})"
            )
        index = []
        for label, axis in zip(key, self._axes, strict=True):
            if label not in axis:
                raise KeyError(f"unknown label {label!r}; known: {', '.join(axis)}")
            index.append(axis.index(label))
        return tuple(index)

    def __getitem__(self, key) -> np.ndarray:
        return self._array[self._index(key)]

    def __setitem__(self, key, value) -> None:
        self._array[self._index(key)] = value


class _Rows(SimpleNamespace):
    """Writable views of one block of draws, with :meth:`by_label` for the labelled outcomes."""

    def by_label(self, outcome: str) -> ByLabel:
        attribute, axes = LABELLED[outcome]
        return ByLabel(getattr(self, attribute), axes)


@dataclass(frozen=True)
class Results:
    """Outputs of :func:`model.simulate` for N draws over the years of :mod:`model.timeline`.

    Each outcome in :data:`OUTCOMES` is an attribute with the dimensions listed there, e.g.
    ``hard_currency_usd[draw, year, channel, partner]``. Labels: ``years``, :data:`PARTNERS`,
    :data:`HARD_CURRENCY_CHANNELS`, :data:`LIFELINE_CHANNELS`, :data:`OIL_ROUTES`, :data:`TRADE_FLOWS`.
    Storage is channel- and partner-major (``*_cpnt``) so the model writes contiguous blocks; the
    public attributes are views in (draw, year, channel, partner) order.
    """

    years: np.ndarray
    hard_currency_usd_cpnt: np.ndarray
    lifeline_usd_cpnt: np.ndarray
    oil_supply_bbl_cpnt: np.ndarray
    recorded_trade_usd_cpnt: np.ndarray
    recorded_oil_usd_pnt: np.ndarray
    workers_abroad_pnt: np.ndarray
    leverage_usd_pnt: np.ndarray
    oil_need_bbl: np.ndarray
    refined_cap_bbl: np.ndarray
    munition_rounds: np.ndarray
    troops_in_russia: np.ndarray
    munition_containers: np.ndarray
    missiles_sold: np.ndarray
    it_workers_abroad: np.ndarray
    blocked_cnt: np.ndarray
    diverted_cnt: np.ndarray
    russia_payment_usd_fnt: np.ndarray
    oil_purchases_usd_cpnt: np.ndarray

    @classmethod
    def allocate(cls, n_draws: int, dtype=np.float64) -> Results:
        """Empty result arrays for ``n_draws`` draws, to be filled by the model."""
        t = YEARS.size

        def empty(*shape):
            # Zeroed pages cost nothing until written, and many channel-partner cells stay zero.
            return np.zeros((*shape, n_draws, t), dtype=dtype)

        return cls(
            years=YEARS,
            hard_currency_usd_cpnt=empty(len(HARD_CURRENCY_CHANNELS), len(PARTNERS)),
            lifeline_usd_cpnt=empty(len(LIFELINE_CHANNELS), len(PARTNERS)),
            oil_supply_bbl_cpnt=empty(len(OIL_ROUTES), len(PARTNERS)),
            recorded_trade_usd_cpnt=empty(len(TRADE_FLOWS), len(PARTNERS)),
            recorded_oil_usd_pnt=empty(len(PARTNERS)),
            workers_abroad_pnt=empty(len(PARTNERS)),
            leverage_usd_pnt=empty(len(PARTNERS)),
            oil_need_bbl=empty(),
            refined_cap_bbl=empty(),
            munition_rounds=empty(),
            troops_in_russia=empty(),
            munition_containers=empty(),
            missiles_sold=empty(),
            it_workers_abroad=empty(),
            blocked_cnt=empty(len(DIVERTING_CHANNELS)),
            diverted_cnt=empty(len(DIVERTING_CHANNELS)),
            russia_payment_usd_fnt=empty(len(PAYMENT_FORMS)),
            oil_purchases_usd_cpnt=empty(len(OIL_ROUTES), len(PARTNERS)),
        )

    def rows(self, start: int, stop: int) -> _Rows:
        """Writable views of every result array for draws ``start:stop`` (used while filling)."""
        return _Rows(
            **{k: v[..., start:stop, :] for k, v in self.__dict__.items() if isinstance(v, np.ndarray) and v.ndim >= 2}
        )

    def frozen(self) -> Results:
        """Mark every result array read-only and return self."""
        for value in self.__dict__.values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
        return self

    # ------------------------------------------------------------------ labelled views
    def by_label(self, outcome: str) -> ByLabel:
        """A labelled outcome: ``results.by_label("hard_currency_usd")["arms", "russia"]`` is (draw, year)."""
        attribute, axes = LABELLED[outcome]
        return ByLabel(getattr(self, attribute), axes)

    @property
    def recorded_oil_usd(self) -> np.ndarray:
        """Oil inside recorded imports (pipeline crude, reported refined) by partner, USD/yr."""
        return np.moveaxis(self.recorded_oil_usd_pnt, 0, -1)

    @property
    def hard_currency_usd(self) -> np.ndarray:
        return _to_draw_year(self.hard_currency_usd_cpnt)

    @property
    def lifeline_usd(self) -> np.ndarray:
        return _to_draw_year(self.lifeline_usd_cpnt)

    @property
    def oil_supply_bbl(self) -> np.ndarray:
        return _to_draw_year(self.oil_supply_bbl_cpnt)

    @property
    def recorded_trade_usd(self) -> np.ndarray:
        return _to_draw_year(self.recorded_trade_usd_cpnt)

    @property
    def oil_purchases_usd(self) -> np.ndarray:
        return _to_draw_year(self.oil_purchases_usd_cpnt)

    @property
    def workers_abroad(self) -> np.ndarray:
        return np.moveaxis(self.workers_abroad_pnt, 0, -1)

    @property
    def leverage_usd(self) -> np.ndarray:
        return np.moveaxis(self.leverage_usd_pnt, 0, -1)

    @property
    def russia_payment_usd(self) -> np.ndarray:
        return np.moveaxis(self.russia_payment_usd_fnt, 0, -1)

    # ------------------------------------------------------------------ derived outcomes
    @property
    def n_draws(self) -> int:
        return self.hard_currency_usd.shape[0]

    @property
    def hard_currency_total_usd(self) -> np.ndarray:
        return self.hard_currency_usd_cpnt.sum(axis=(0, 1))

    @property
    def oil_purchases_total_usd(self) -> np.ndarray:
        return self.oil_purchases_usd_cpnt.sum(axis=(0, 1))

    @property
    def net_hard_currency_usd(self) -> np.ndarray:
        return self.hard_currency_total_usd - self.oil_purchases_total_usd

    @property
    def recorded_trade_share(self) -> np.ndarray:
        return np.moveaxis(_shares(self.recorded_trade_usd_cpnt.sum(axis=0)), 0, -1)

    @property
    def lifeline_share(self) -> np.ndarray:
        return np.moveaxis(_shares(self.lifeline_usd_cpnt.sum(axis=0)), 0, -1)

    @property
    def lifeline_hhi(self) -> np.ndarray:
        return (_shares(self.lifeline_usd_cpnt.sum(axis=0)) ** 2).sum(axis=0)

    @property
    def oil_supply_ratio(self) -> np.ndarray:
        return self.oil_supply_bbl_cpnt.sum(axis=(0, 1)) / self.oil_need_bbl

    @property
    def oil_cap_leakage_ratio(self) -> np.ndarray:
        return self.oil_supply_bbl_cpnt[1:].sum(axis=(0, 1)) / self.refined_cap_bbl

    def outcome(self, name: str) -> np.ndarray:
        """The array of a named outcome (see :data:`OUTCOMES`)."""
        if name not in OUTCOMES:
            raise KeyError(f"unknown outcome {name!r}; known: {', '.join(OUTCOMES)}")
        return getattr(self, name)

    def year_index(self, year: int) -> int:
        """Position of a calendar year on the year axis."""
        matches = np.flatnonzero(self.years == year)
        if matches.size == 0:
            raise ValueError(f"year {year} is outside {self.years[0]}-{self.years[-1]}")
        return int(matches[0])

    # ------------------------------------------------------------------ tidy export
    def tidy(self, quantiles: tuple[float, ...] = (0.05, 0.5, 0.95)) -> list[dict]:
        """Long-format rows: year, channel, partner, measure, unit, value.

        For one draw ``value`` is the result; for a batch it is the median, and columns ``q05``,
        ``q50``, ``q95`` (for the default quantiles) and ``mean`` are added. Totals use ``total``
        as their channel or partner.
        """
        rows: list[dict] = []
        for measure, unit, array, channel_labels in self._tidy_arrays():
            # array is (N, T, C, P) with C or P possibly of length 1 ("total")
            if self.n_draws == 1:
                stats = {"value": array[0]}
            else:
                qs = np.quantile(array, quantiles, axis=0)
                stats = {f"q{round(q * 100):02d}": qs[i] for i, q in enumerate(quantiles)}
                stats["value"] = np.median(array, axis=0)
                stats["mean"] = array.mean(axis=0)
            for t, year in enumerate(self.years):
                for c, channel in enumerate(channel_labels[0]):
                    for k, partner in enumerate(channel_labels[1]):
                        row = {
                            "year": int(year),
                            "channel": channel,
                            "partner": partner,
                            "measure": measure,
                            "unit": unit,
                        }
                        for key, values in stats.items():
                            row[key] = float(values[t, c, k])
                        rows.append(row)
        return rows

    def _tidy_arrays(self):
        total = ("total",)

        def with_totals(array, channels):
            channel_total = array.sum(axis=2, keepdims=True)
            full = np.concatenate([array, channel_total], axis=2)
            partner_total = full.sum(axis=3, keepdims=True)
            return np.concatenate([full, partner_total], axis=3), (channels + total, PARTNERS + total)

        def single(array, channel, partners=total):
            a = array[:, :, None, :] if array.ndim == 3 else array[:, :, None, None]
            return a, ((channel,), partners)

        hc, hc_labels = with_totals(self.hard_currency_usd, HARD_CURRENCY_CHANNELS)
        ll, ll_labels = with_totals(self.lifeline_usd, LIFELINE_CHANNELS)
        oil, oil_labels = with_totals(self.oil_supply_bbl, OIL_ROUTES)
        trade, trade_labels = with_totals(self.recorded_trade_usd, TRADE_FLOWS)
        bought, bought_labels = with_totals(self.oil_purchases_usd, OIL_ROUTES)
        yield "hard_currency_usd", "USD/yr", hc, hc_labels
        yield "lifeline_usd", "USD/yr", ll, ll_labels
        yield "oil_supply_bbl", "bbl/yr", oil, oil_labels
        yield "recorded_trade_usd", "USD/yr", trade, trade_labels
        yield "oil_purchases_usd", "USD/yr", bought, bought_labels
        yield ("net_hard_currency_usd", "USD/yr", *single(self.net_hard_currency_usd, "all_flows"))
        yield ("recorded_trade_share", "fraction", *single(self.recorded_trade_share, "recorded_trade", PARTNERS))
        yield ("lifeline_share", "fraction", *single(self.lifeline_share, "all_flows", PARTNERS))
        yield ("leverage_usd", "USD/yr", *single(self.leverage_usd, "all_flows", PARTNERS))
        yield ("workers_abroad", "persons", *single(self.workers_abroad, "labour", PARTNERS))
        yield ("recorded_oil_usd", "USD/yr", *single(self.recorded_oil_usd, "recorded_trade", PARTNERS))
        yield ("oil_need_bbl", "bbl/yr", *single(self.oil_need_bbl, "oil"))
        yield ("oil_cap_leakage_ratio", "x cap", *single(self.oil_cap_leakage_ratio, "oil"))
        yield ("lifeline_hhi", "index", *single(self.lifeline_hhi, "all_flows"))
        yield ("munition_rounds", "rounds/yr", *single(self.munition_rounds, "arms"))
        yield ("troops_in_russia", "persons", *single(self.troops_in_russia, "troops"))

    def headline_series(self) -> dict[str, np.ndarray]:
        """Every headline number (:data:`model.outcomes.HEADLINE_SERIES`) as a ``(draw, year)`` array."""
        return {key: HEADLINES[name].values(self) for key, name in HEADLINE_SERIES.items()}

    def headline(self, year: int) -> dict[str, float]:
        """The headline numbers of :data:`model.outcomes.HEADLINE_SERIES` for one year (medians across draws)."""
        t = self.year_index(year)
        return {key: float(np.median(series[:, t])) for key, series in self.headline_series().items()}


def _to_draw_year(array: np.ndarray) -> np.ndarray:
    """(channel, partner, draw, year) -> (draw, year, channel, partner), as a view."""
    return array.transpose(2, 3, 0, 1)


def _shares(by_partner: np.ndarray) -> np.ndarray:
    """Shares along the first (partner) axis; where all partners are zero every share is zero."""
    total = by_partner.sum(axis=0, keepdims=True)
    return np.divide(by_partner, total, out=np.zeros_like(by_partner), where=total > 0)
