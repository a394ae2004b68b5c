"""Data views of the channel notebooks: the arrays a figure or readout needs, picked from the results.

:func:`oil_series`, :func:`labour_series` and :func:`arms_series` select one draw's arrays out of
:class:`model.results.Results`, with labels; they do no modelling and draw nothing (no matplotlib), so the
same view feeds a chart (:mod:`dprk_figures.channels`), a readout table (:mod:`dprk_apps.channels`) and a test.

Examples
--------
>>> from model import simulate
>>> from model.params import Params
>>> oil = oil_series(simulate(Params.defaults()))
>>> bool((oil.supply >= 0).all())
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from model.outcomes import HARD_CURRENCY_CHANNELS, OIL_ROUTES, PARTNER_NAMES, PARTNERS, PAYMENT_FORMS
from model.results import Results

# ---------------------------------------------------------------------------------------------- oil

OIL_LAYERS = (
    ("pipeline_crude", "china", "Pipeline crude from China"),
    ("reported_refined", "china", "Reported refined, China"),
    ("reported_refined", "russia", "Reported refined, Russia"),
    ("reported_refined", "other", "Legal refined, other suppliers (before the cap)"),
    ("illicit_refined", "china", "Ship-to-ship, Chinese waters"),
    ("illicit_refined", "russia", "Above the cap, via Russia"),
    ("illicit_refined", "other", "Ship-to-ship, elsewhere"),
)


@dataclass(frozen=True)
class OilSeries:
    """Oil arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    layers : dict of str to array
        Supply by route and partner (bbl/yr), labelled as in :data:`OIL_LAYERS`, bottom first.
    need : array
        Oil need (bbl/yr).
    refined_cap : array
        The refined-oil cap in force (bbl/yr); infinite before the cap applied (2013-2017).
    reported : array
        Reported (legal) refined deliveries, all partners (bbl/yr).
    illicit : dict of str to array
        Illicit refined deliveries by partner (bbl/yr).
    leakage : array
        All refined deliveries divided by the cap (x cap); 0 where no cap applied.
    """

    years: np.ndarray
    layers: dict[str, np.ndarray]
    need: np.ndarray
    refined_cap: np.ndarray
    reported: np.ndarray
    illicit: dict[str, np.ndarray]
    leakage: np.ndarray

    @property
    def supply(self) -> np.ndarray:
        """All oil supplied (bbl/yr)."""
        return sum(self.layers.values())

    def at(self, year: int) -> dict[str, float]:
        """Headline oil numbers for one year (bbl/yr, and x cap for the leakage)."""
        t = int(np.flatnonzero(self.years == year)[0])
        return {
            "supply_bbl": float(self.supply[t]),
            "need_bbl": float(self.need[t]),
            "pipeline_bbl": float(self.layers[OIL_LAYERS[0][2]][t]),
            "reported_bbl": float(self.reported[t]),
            "illicit_china_bbl": float(self.illicit["china"][t]),
            "illicit_russia_bbl": float(self.illicit["russia"][t]),
            "illicit_other_bbl": float(self.illicit["other"][t]),
            "leakage_x_cap": float(self.leakage[t]),
        }


def oil_series(results: Results, draw: int = 0) -> OilSeries:
    """Pick the oil arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
        Output of :func:`model.simulate`.
    draw : int
        Which draw (0 for a single scenario).

    Returns
    -------
    OilSeries
    """
    supply = results.oil_supply_bbl[draw]  # (T, route, partner)
    layers = {
        label: np.array(supply[:, OIL_ROUTES.index(route), PARTNERS.index(partner)])
        for route, partner, label in OIL_LAYERS
    }
    illicit = {p: np.array(supply[:, OIL_ROUTES.index("illicit_refined"), k]) for k, p in enumerate(PARTNERS)}
    cap = np.array(results.refined_cap_bbl[draw])
    leakage = np.where(np.isfinite(cap), results.oil_cap_leakage_ratio[draw], 0.0)
    return OilSeries(
        years=np.asarray(results.years),
        layers=layers,
        need=np.array(results.oil_need_bbl[draw]),
        refined_cap=cap,
        reported=np.array(supply[:, OIL_ROUTES.index("reported_refined")].sum(axis=1)),
        illicit=illicit,
        leakage=np.array(leakage),
    )


# ---------------------------------------------------------------------------------------------- labour

#: Legend labels of worker hosts, from the one partner-name map.
#: Hosts of workers as phrases inside a label ("Workers in China") and as labels of their own ("In China"):
#: partner names keep their capitals, only a label's first letter is raised.
HOST_PHRASES = {p: f"in {PARTNER_NAMES[p]}" for p in PARTNERS}
HOST_LABELS = {p: phrase[0].upper() + phrase[1:] for p, phrase in HOST_PHRASES.items()}


@dataclass(frozen=True)
class LabourSeries:
    """Labour arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    workers : dict of str to array
        Workers abroad by host (persons), labelled as in :data:`HOST_LABELS`; IT workers not included.
    it_workers : array
        IT workers abroad under false identities (persons).
    revenue : dict of str to array
        What the state earns (USD/yr): workers by host, then IT workers (label ``IT workers``).
    """

    years: np.ndarray
    workers: dict[str, np.ndarray]
    it_workers: np.ndarray
    revenue: dict[str, np.ndarray]

    def at(self, year: int) -> dict[str, float]:
        """Headline labour numbers for one year (persons and USD/yr)."""
        t = int(np.flatnonzero(self.years == year)[0])
        out = {f"workers_{p}": float(self.workers[HOST_LABELS[p]][t]) for p in PARTNERS}
        out["it_workers"] = float(self.it_workers[t])
        out |= {f"revenue_{p}_usd": float(self.revenue[HOST_LABELS[p]][t]) for p in PARTNERS}
        out["revenue_it_usd"] = float(self.revenue["IT workers"][t])
        out["revenue_total_usd"] = float(sum(v[t] for v in self.revenue.values()))
        return out


def labour_series(results: Results, draw: int = 0) -> LabourSeries:
    """Pick the labour arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
    draw : int

    Returns
    -------
    LabourSeries
    """
    hc = results.hard_currency_usd[draw]  # (T, channel, partner)
    labour = HARD_CURRENCY_CHANNELS.index("labour")
    it = HARD_CURRENCY_CHANNELS.index("it_workers")
    workers = {HOST_LABELS[p]: np.array(results.workers_abroad[draw, :, k]) for k, p in enumerate(PARTNERS)}
    revenue = {HOST_LABELS[p]: np.array(hc[:, labour, k]) for k, p in enumerate(PARTNERS)}
    revenue["IT workers"] = np.array(hc[:, it].sum(axis=1))
    return LabourSeries(
        years=np.asarray(results.years),
        workers=workers,
        it_workers=np.array(results.it_workers_abroad[draw]),
        revenue=revenue,
    )


# ---------------------------------------------------------------------------------------------- arms

ARMS_QUANTITIES = (
    ("containers", "Munition containers", "containers per year"),
    ("rounds", "Artillery rounds (152 mm equivalent)", "rounds per year"),
    ("missiles", "Ballistic missiles", "missiles per year"),
    ("troops", "Troops with Russian forces", "persons (annual average)"),
)


@dataclass(frozen=True)
class ArmsSeries:
    """Arms arrays for one draw, all per year.

    Attributes
    ----------
    years : array of int
    quantities : dict of str to array
        ``containers``, ``rounds``, ``missiles`` (per year) and ``troops`` (persons).
    payment : dict of str to array
        What Russia pays for munitions, missiles and troops, by form (``cash``, ``oil``, ``food``,
        ``technology``), USD/yr.
    hard_currency_russia : array
        The cash part that counts as hard currency: arms plus troops through Russia (USD/yr).
    """

    years: np.ndarray
    quantities: dict[str, np.ndarray]
    payment: dict[str, np.ndarray]
    hard_currency_russia: np.ndarray

    def at(self, year: int) -> dict[str, float]:
        """Headline arms numbers for one year."""
        t = int(np.flatnonzero(self.years == year)[0])
        out = {k: float(v[t]) for k, v in self.quantities.items()}
        out |= {f"payment_{k}_usd": float(v[t]) for k, v in self.payment.items()}
        out["payment_total_usd"] = float(sum(v[t] for v in self.payment.values()))
        out["hard_currency_russia_usd"] = float(self.hard_currency_russia[t])
        return out


def russia_payment_usd(results: Results, draw: int = 0) -> dict[str, np.ndarray]:
    """What Russia pays for munitions, missiles and troops in one draw, split by form (USD/yr).

    Parameters
    ----------
    results : model.Results
    draw : int

    Returns
    -------
    dict of str to array of shape (T,)
        Keys ``cash``, ``oil``, ``food``, ``technology``.
    """
    return {form: results.russia_payment_usd[draw, :, f] for f, form in enumerate(PAYMENT_FORMS)}


def arms_series(results: Results, draw: int = 0) -> ArmsSeries:
    """Pick the arms arrays of one draw out of the model results.

    Parameters
    ----------
    results : model.Results
    draw : int

    Returns
    -------
    ArmsSeries
    """
    payment = russia_payment_usd(results, draw)
    return ArmsSeries(
        years=np.asarray(results.years),
        quantities={
            "containers": np.array(results.munition_containers[draw]),
            "rounds": np.array(results.munition_rounds[draw]),
            "missiles": np.array(results.missiles_sold[draw]),
            "troops": np.array(results.troops_in_russia[draw]),
        },
        payment=payment,
        hard_currency_russia=payment["cash"],
    )


def payment_layers(payment) -> dict[str, np.ndarray]:
    """Russia's payment as chart layers with readable labels (``Cash``, ``Oil``, ...), in a fixed order."""
    return {form.capitalize(): np.asarray(payment[form]) for form in PAYMENT_FORMS}


def observed_points(measure: str, partner: str, channel: str, flow: str | None = None, basis=None, label=None):
    """Observed figures as ``(label, years, values)`` for a chart's ``observed`` argument.

    Parameters
    ----------
    measure, partner, channel, flow, basis
        As in :func:`model.observations.series`.
    label : str, optional
        Legend label; default names the measure and partner.

    Returns
    -------
    tuple of (str, array, array)
    """
    from model.observations import series

    years, values, _rows = series(measure, partner=partner, flow=flow, channel=channel, basis=basis)
    return (label or f"observed: {measure} ({partner})", years, values)


__all__ = [
    "ARMS_QUANTITIES",
    "HOST_LABELS",
    "HOST_PHRASES",
    "OIL_LAYERS",
    "ArmsSeries",
    "LabourSeries",
    "OilSeries",
    "arms_series",
    "labour_series",
    "observed_points",
    "oil_series",
    "payment_layers",
    "russia_payment_usd",
]
