"""Ensembles: many plausible worlds for one policy setting, their quantiles and probabilities.

An ensemble draws every uncertainty from its registry distribution (see :mod:`model.sampling`) and holds
the levers at a scenario's values. :meth:`Ensemble.with_levers` re-runs the *same* worlds under another
policy (common random numbers), so differences between scenarios are policy, not sampling noise.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from model import registry
from model.core import simulate
from model.errors import ParameterError
from model.formatting import format_quantity
from model.params import Params
from model.results import Results
from model.sampling import draw_matrix
from model.scenarios import Scenario, load_preset
from model.timeline import YEARS
from model.uncertainty.quantities import HEADLINES, PARTNER_NAMES, Quantity, headline

#: Quantile levels of a fan chart: the median and the edges of the 50% and 90% bands.
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)

Levers = Params | Scenario | Mapping[str, Any] | str | None
#: What a compact ensemble keeps: ``"headlines"`` (every :data:`HEADLINES` key) or some headline keys.
Keep = Literal["headlines"] | Sequence[str] | None
#: The name that holds Russia's payment mix fixed (``fixed=[PAYMENT_MIX]``): the levers marked ``sampled`` in the
#: registry (cash, food and technology weights) are otherwise drawn in every ensemble, because nothing measures them.
PAYMENT_MIX = "payment_mix"
#: Draws simulated at once by a compact ensemble (two threads take half each): a block of 2,048 worlds
#: peaks at about 50 MB of full results and temporaries (float32), twice that in float64.
BLOCK = 2048


def scenario_params(levers: Levers = None) -> tuple[Params, frozenset[str]]:
    """A single-scenario :class:`Params` and the uncertainties that scenario sets itself.

    Parameters
    ----------
    levers : Params, Scenario, mapping, str or None
        A single scenario, a :class:`~model.scenarios.Scenario`, overrides ``{name: value}``, a preset
        name or scenario file, or ``None`` for the registry defaults (the baseline).

    Returns
    -------
    params, set_uncertainties
        Uncertainties named in a scenario's or mapping's overrides are held at that value in ensembles.
    """
    if levers is None:
        return Params.defaults(), frozenset()
    if isinstance(levers, Params):
        if levers.n_draws != 1:
            raise ValueError(f"levers must be a single scenario, not a batch of {levers.n_draws} draws")
        return levers, frozenset()
    if isinstance(levers, str):
        levers = load_preset(levers)
    overrides = levers.overrides if isinstance(levers, Scenario) else dict(levers)
    params = Params.from_overrides(overrides)
    held = {n for n in overrides if registry.get(n).is_uncertainty}
    if any(registry.get(n).sampled for n in overrides):
        held.add(PAYMENT_MIX)  # a scenario that sets the mix keeps it
    return params, frozenset(held)


@dataclass(frozen=True, eq=False)
class Ensemble:
    """N plausible worlds under one policy setting, and the model's results in each.

    Build it with :func:`run_ensemble` or :meth:`with_levers`.

    Attributes
    ----------
    levers : Params
        The single scenario whose levers every draw shares.
    names : tuple of str
        The uncertainties, in the column order of ``drawn`` and ``draws``.
    drawn : numpy.ndarray
        ``(N, K)`` values as drawn, before any were held fixed (kept so other settings reuse the worlds).
    requested : frozenset of str
        Uncertainties held fixed on request.
    fixed : frozenset of str
        All uncertainties held at the scenario's value: those requested and those the scenario sets.
    draws : numpy.ndarray
        ``(N, K)`` values the model ran with, in each parameter's unit.
    params : Params
        The whole batch.
    results : Results or None
        Every output in every world, or ``None`` for a compact ensemble (built with ``keep``).
    series : dict of Quantity to numpy.ndarray, optional
        A compact ensemble's ``(N, T)`` series of the kept quantities, the only outputs it holds: with
        16 headlines in float32 that is 16 x N x T x 4 bytes (29 MB for 20,000 worlds) instead of the
        ~150 MB of full results. Quantiles and probabilities are computed from all N worlds as before.
    dtype : numpy floating type
        Type of the outputs.
    """

    levers: Params
    names: tuple[str, ...]
    drawn: np.ndarray
    requested: frozenset[str]
    fixed: frozenset[str]
    draws: np.ndarray
    params: Params
    results: Results | None
    series: Mapping[Quantity, np.ndarray] | None = None
    dtype: type = np.float32
    mix: np.ndarray | None = None

    @property
    def n_draws(self) -> int:
        """Number of worlds N."""
        return self.params.n_draws

    @property
    def years(self) -> np.ndarray:
        """Calendar years of the year axis."""
        return YEARS

    @property
    def keep(self) -> tuple[Quantity, ...] | None:
        """The quantities a compact ensemble keeps (``None``: full results)."""
        return None if self.series is None else tuple(self.series)

    @property
    def nbytes(self) -> int:
        """Bytes of the arrays this ensemble holds: draws, parameters and outputs."""
        arrays = [self.drawn, self.draws]
        arrays += list(self.series.values()) if self.series is not None else []
        if self.results is not None:
            arrays += [v for v in self.results.__dict__.values() if isinstance(v, np.ndarray)]
        arrays += list(self.params.values.values())
        return sum(a.nbytes for a in {id(a): a for a in arrays}.values())  # an array held twice counts once

    def year_index(self, year: int) -> int:
        """Position of a calendar year on the year axis."""
        matches = np.flatnonzero(YEARS == year)
        if matches.size == 0:
            raise ValueError(f"year {year} is outside {YEARS[0]}-{YEARS[-1]}")
        return int(matches[0])

    def values(self, quantity: Quantity | str) -> np.ndarray:
        """``(N, years)`` values of a quantity (a :class:`Quantity` or a :data:`HEADLINES` key)."""
        quantity = headline(quantity)
        if self.results is not None:
            return quantity.values(self.results)
        if quantity not in self.series:
            kept = ", ".join(q.label for q in self.series)
            raise KeyError(f"this compact ensemble keeps only {kept}, not {quantity.label}")
        return self.series[quantity]

    def at(self, quantity: Quantity | str, year: int) -> np.ndarray:
        """``(N,)`` values of a quantity in one year."""
        return self.values(quantity)[:, self.year_index(year)]

    def with_levers(self, levers: Levers, fixed: Sequence[str] | None = None, keep: Keep = None) -> Ensemble:
        """The same worlds under another policy setting.

        Parameters
        ----------
        levers : Params, Scenario, mapping, str or None
            As for :func:`run_ensemble`.
        fixed : sequence of str, optional
            Uncertainties to hold fixed (default: the ones this ensemble holds on request).
        keep : "headlines" or sequence of str, optional
            For a compact ensemble, the quantities the new one keeps (default: the same as this one).

        Returns
        -------
        Ensemble
        """
        base, scenario_fixed = scenario_params(levers)
        requested = self.requested if fixed is None else check_fixed(fixed)
        kept = self.keep if keep is None or self.keep is None else _kept(keep)
        return _assemble(base, self.names, self.drawn, requested, scenario_fixed, self.dtype, kept, self, self.mix)


def run_ensemble(
    levers: Levers,
    n_draws: int,
    rng: np.random.Generator,
    fixed: Sequence[str] = (),
    dtype: type = np.float32,
    keep: Keep = None,
) -> Ensemble:
    """Sample the uncertainties and run the model once per draw, levers held at a scenario.

    Parameters
    ----------
    levers : Params, Scenario, mapping, str or None
        The policy setting (see :func:`scenario_params`); ``None`` = registry defaults (baseline).
    n_draws : int
        Number of worlds N (at least 1).
    rng : numpy.random.Generator
        The only source of randomness: the same seed gives the same ensemble to the bit.
    fixed : sequence of str
        Uncertainties held at the scenario's value in every draw; holding all of them collapses the bands.
    dtype : numpy floating type
        ``np.float32`` (default) halves memory and time for large ensembles.
    keep : "headlines", sequence of str or None
        ``None`` keeps every output (:class:`~model.results.Results`, about 7.6 kB per world in float32).
        Otherwise a compact ensemble: the model runs in blocks of :data:`BLOCK` worlds and only the
        ``(N, T)`` series of these quantities (``"headlines"``: every :data:`HEADLINES` key) are kept,
        about 1.5 kB per world for all 16 headlines. Same worlds, same N, same values to the bit; only
        outputs that are not kept cannot be asked for. :meth:`Ensemble.with_levers` keeps the same.

    Returns
    -------
    Ensemble

    Raises
    ------
    model.errors.ParameterError
        For a name in ``fixed`` that is not an uncertainty, or invalid lever values.
    """
    base, scenario_fixed = scenario_params(levers)
    requested = check_fixed(fixed)
    # Draw every column, even fixed ones, so that holding one input leaves the other draws unchanged.
    names, drawn = draw_matrix(n_draws, rng)
    drawn.setflags(write=False)
    # The payment mix is drawn after the uncertainties, so that their draws stay what they were.
    mix = rng.random((n_draws, len(sampled_levers())))
    mix.setflags(write=False)
    ensemble = _assemble(base, tuple(names), drawn, requested, scenario_fixed, dtype, _kept(keep), mix=mix)
    release_freed_memory()
    return ensemble


def release_freed_memory() -> None:
    """Hand memory freed by the model's temporaries back to the operating system (glibc only; else nothing).

    glibc keeps freed blocks of a few MB in its heap, so after a large run a kernel's resident memory stays
    tens of MB above what it uses. Called after one-off large runs, not on every slider move (a few ms).
    """
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def _kept(keep: Keep) -> tuple[Quantity, ...] | None:
    """The quantities of a ``keep`` argument, in order, without repeats."""
    if keep is None:
        return None
    keys = list(HEADLINES) if isinstance(keep, str) and keep == "headlines" else list(keep)
    return tuple(dict.fromkeys(headline(k) for k in keys))


def _headline_series(params: Params, keep: tuple[Quantity, ...], dtype: type) -> dict[Quantity, np.ndarray]:
    """Run the model in blocks of :data:`BLOCK` draws and keep only the ``(N, T)`` series of ``keep``."""
    n = params.n_draws
    series = {quantity: np.empty((n, YEARS.size), dtype=dtype) for quantity in keep}
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        block = simulate(params.rows(start, stop), dtype=dtype, chunk=BLOCK // 2)
        for quantity, out in series.items():
            out[start:stop] = quantity.values(block)
        del block  # one block's full results at a time
    for out in series.values():
        out.setflags(write=False)
    return series


def check_fixed(fixed: Sequence[str]) -> frozenset[str]:
    """Validate names of uncertainties to hold fixed.

    Parameters
    ----------
    fixed : str or sequence of str
        Registry names of uncertainties.

    Returns
    -------
    frozenset of str

    Raises
    ------
    model.errors.ParameterError
        For an unknown name (the nearest names suggested) or one that is not an uncertainty.
    """
    if isinstance(fixed, str):
        fixed = [fixed]
    for name in fixed:
        if name == PAYMENT_MIX:
            continue
        if name not in registry.registry():
            raise registry.unknown_name_error(name, "cannot hold fixed")
        if registry.get(name).role != "uncertainty":
            raise ParameterError(
                f"{name} is a {registry.get(name).role}, not an uncertainty: only uncertainties can be held fixed.",
                parameter=name,
                value=None,
            )
    return frozenset(fixed)


def _assemble(
    base: Params,
    names: tuple[str, ...],
    drawn: np.ndarray,
    requested: frozenset[str],
    scenario_fixed: frozenset[str],
    dtype: type,
    keep: tuple[Quantity, ...] | None = None,
    previous: Ensemble | None = None,
    mix: np.ndarray | None = None,
) -> Ensemble:
    fixed = requested | scenario_fixed
    held = [n for n in fixed if n != PAYMENT_MIX]
    if previous is not None and fixed == previous.fixed and all(previous.levers[n][0] == base[n][0] for n in held):
        # Same worlds, same held values: only the levers change, far cheaper than validating a new matrix.
        params = Params.from_overrides({n: base[n] for n in registry.names("lever")}, base=previous.params)
        draws = previous.draws
    elif not set(held) & set(names):
        draws = drawn  # nothing held: the values run are the values drawn (both read-only), one copy
        params = Params.from_matrix(draws, names, base=base)
    else:
        draws = drawn.copy()
        for column, name in enumerate(names):
            if name in fixed:
                draws[:, column] = base[name][0]
        draws.setflags(write=False)
        params = Params.from_matrix(draws, names, base=base)
    if mix is not None and PAYMENT_MIX not in fixed:
        params = Params.from_overrides(payment_mix(mix, base), base=params)
    compact = keep is not None
    return Ensemble(
        levers=base,
        names=names,
        drawn=drawn,
        requested=requested,
        fixed=fixed,
        draws=draws,
        params=params,
        results=None if compact else simulate(params, dtype=dtype),
        series=_headline_series(params, keep, dtype) if compact else None,
        dtype=dtype,
        mix=mix,
    )


def sampled_levers() -> list[str]:
    """The levers ensembles draw (registry ``sampled``): Russia's cash, food and technology weights."""
    return [n for n in registry.names("lever") if registry.get(n).sampled]


def payment_mix(u: np.ndarray, base: Params) -> dict[str, np.ndarray]:
    """The sampled levers' values in each world: ``u`` (N, K) in [0, 1] shares out the scenario's total weight.

    The weights of the sampled forms keep their sum from ``base``, so the oil part of the payment (a lever
    the scenario sets, derived from the observed deliveries) keeps its share; how the rest divides among
    cash, food and technology is drawn uniformly (each form's share of the rest is u_k / sum(u)).
    """
    names = sampled_levers()
    total = sum(float(base[n][0]) for n in names)
    spread = np.maximum(u, 1e-12) / np.maximum(u, 1e-12).sum(axis=1, keepdims=True)
    return {n: np.clip(total * spread[:, k], 0.0, registry.get(n).max) for k, n in enumerate(names)}


# ---------------------------------------------------------------------------------------------- quantiles
def quantiles(values: np.ndarray, levels: Sequence[float] = QUANTILES) -> np.ndarray:
    """Quantiles over the first axis, as ``np.quantile`` (linear interpolation) computes them, but faster.

    ``np.quantile`` sorts every column; a partial sort (``np.partition``) at the few ranks needed is
    several times faster on 100,000 draws, which keeps a slider responsive.

    Parameters
    ----------
    values : numpy.ndarray
        ``(N, ...)`` values; the first axis is the draws.
    levels : sequence of float
        Quantile levels in [0, 1], e.g. :data:`QUANTILES`.

    Returns
    -------
    numpy.ndarray
        ``(len(levels), ...)``, float64, in the unit of ``values``.
    """
    values = np.asarray(values)
    levels = np.asarray(levels, dtype=float)
    if values.shape[0] < 1:
        raise ValueError("quantiles of an empty ensemble are undefined")
    if np.any((levels < 0) | (levels > 1)):
        raise ValueError(f"quantile levels {levels.tolist()} must lie in [0, 1]")
    n = values.shape[0]
    position = levels * (n - 1)
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, n - 1)
    weight = (position - below)[(...,) + (None,) * (values.ndim - 1)]
    work = np.moveaxis(values, 0, -1).astype(np.float64)  # a contiguous copy: draws last
    work.partition(np.unique(np.concatenate([below, above])), axis=-1)
    low, high = np.moveaxis(work[..., below], -1, 0), np.moveaxis(work[..., above], -1, 0)
    return low + (high - low) * weight


@dataclass(frozen=True)
class Fan:
    """Quantiles of one quantity over the years: what a fan chart draws.

    Attributes
    ----------
    years : numpy.ndarray
        ``(T,)`` calendar years.
    levels : tuple of float
        Quantile levels, ascending (default :data:`QUANTILES`).
    values : numpy.ndarray
        ``(len(levels), T)`` quantiles in the quantity's unit.
    quantity : Quantity
    """

    years: np.ndarray
    levels: tuple[float, ...]
    values: np.ndarray
    quantity: Quantity

    def level(self, q: float) -> np.ndarray:
        """The ``(T,)`` series of quantile level ``q`` (one of :attr:`levels`)."""
        matches = [i for i, level in enumerate(self.levels) if abs(level - q) < 1e-12]
        if not matches:
            raise ValueError(f"level {q} not computed; levels are {self.levels}")
        return self.values[matches[0]]

    @property
    def median(self) -> np.ndarray:
        """The ``(T,)`` median."""
        return self.level(0.5)

    def band(self, width: float) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper edges of the central band holding ``width`` of the draws (0.5 or 0.9)."""
        return self.level((1 - width) / 2), self.level((1 + width) / 2)


def fan(ensemble: Ensemble, quantity: Quantity | str, levels: Sequence[float] = QUANTILES) -> Fan:
    """Quantiles of a quantity in every year (see :class:`Fan`)."""
    quantity = headline(quantity)
    return Fan(ensemble.years, tuple(levels), quantiles(ensemble.values(quantity), levels), quantity)


# ---------------------------------------------------------------------------------------------- probabilities
def probability(ensemble: Ensemble, quantity: Quantity | str, year: int, threshold: float, above: bool = True) -> float:
    """Share of the worlds in which a quantity is above (or below) a threshold in a year.

    Parameters
    ----------
    ensemble : Ensemble
    quantity : Quantity or str
    year : int
    threshold : float
        In the quantity's unit.
    above : bool
        ``True``: share with value > threshold; ``False``: share with value < threshold.

    Returns
    -------
    float
        In [0, 1]. It is a probability only under the registry's distributions, not a forecast.
    """
    # In float64: against a float32 array numpy would round the threshold to float32 first.
    values = ensemble.at(quantity, year).astype(np.float64)
    return float(np.mean(values > threshold) if above else np.mean(values < threshold))


def probability_greater(ensemble: Ensemble, first: Quantity | str, second: Quantity | str, year: int) -> float:
    """Share of the worlds in which ``first`` exceeds ``second`` in a year (same draws for both)."""
    return float(np.mean(ensemble.at(first, year) > ensemble.at(second, year)))


def _share_of_worlds(p: float, n: int) -> str:
    if p == 1.0:
        return f"In all {n:,} sampled worlds"
    if p == 0.0:
        return f"In none of the {n:,} sampled worlds"
    percent = 100 * p
    text = f"{percent:.0f}%" if 1 <= percent <= 99 else (f"{percent:.1f}%" if percent >= 0.1 else "fewer than 0.1%")
    return f"In {text} of plausible worlds"


def statement(
    ensemble: Ensemble,
    quantity: Quantity | str,
    year: int,
    threshold: float,
    above: bool = True,
    fmt: Callable[..., str] = format_quantity,
) -> str:
    """A plain-language probability, e.g. "In 80% of plausible worlds, the oil-cap leakage ratio is above 10 ...".

    ``fmt(value, unit)`` formats the threshold (default :func:`model.formatting.format_quantity`).
    """
    quantity = headline(quantity)
    p = probability(ensemble, quantity, year, threshold, above)
    relation = "above" if above else "below"
    return (
        f"{_share_of_worlds(p, ensemble.n_draws)}, {_in_sentence(quantity.label)} is {relation} "
        f"{fmt(threshold, quantity.unit)} in {year}."
    )


def statement_greater(ensemble: Ensemble, first: Quantity | str, second: Quantity | str, year: int) -> str:
    """A plain-language comparison of two quantities in one year.

    E.g. "In 80% of plausible worlds, Russia supplies more of North Korea's hard-currency earnings than
    China in 2027".
    """
    first, second = headline(first), headline(second)
    p = probability_greater(ensemble, first, second, year)
    start = _share_of_worlds(p, ensemble.n_draws)
    same = (first.outcome, first.channel) == (second.outcome, second.channel)
    if same and first.partner and second.partner:
        what = first.label.split(" via ")[0].split(" of ")[0].lower()
        return (
            f"{start}, {PARTNER_NAMES[first.partner]} supplies more of North Korea's {what} than "
            f"{PARTNER_NAMES[second.partner]} in {year}."
        )
    return f"{start}, {_in_sentence(first.label)} exceeds {_in_sentence(second.label)} in {year}."


def _in_sentence(label: str) -> str:
    """A label inside a sentence: lower-case first letter, except for names ("Russia's share ...")."""
    if label.split(" ")[0].removesuffix("'s").removesuffix("'") in {*PARTNER_NAMES.values(), "other"}:
        return label
    return label[0].lower() + label[1:]
