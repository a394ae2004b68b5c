"""Which assumption matters most: one-at-a-time tornado, Sobol' indices and Morris screening.

Every method works on a function ``f(X) -> y`` of an ``(M, K)`` matrix of uncertainty values, so the same
code is tested on functions with known answers (Ishigami, linear) and run on the model
(:func:`model_function`). Sobol' designs are drawn here, Morris designs come from SALib; both live on the
unit hypercube and are mapped
to the registry distributions with :func:`model.sampling.ppf`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from statistics import NormalDist

import numpy as np

from model import registry
from model.core import simulate
from model.params import Params
from model.sampling import expand_factors, ppf
from model.uncertainty.ensemble import BLOCK, Levers, release_freed_memory, scenario_params
from model.uncertainty.quantities import Quantity, headline

Function = Callable[[np.ndarray], np.ndarray]


def model_function(
    levers: Levers, quantity: Quantity | str, year: int, names: Sequence[str] | None = None, dtype: type = np.float64
) -> Function:
    """The model as ``f(X) -> y``: rows of uncertainty values in, one outcome in one year out.

    Parameters
    ----------
    levers : Params, Scenario, mapping, str or None
        Policy setting; parameters not in ``names`` keep its values.
    quantity : Quantity or str
    year : int
    names : sequence of str, optional
        The K uncertainties that are the columns of X (default: all).
    dtype : numpy floating type

    Returns
    -------
    callable
        ``f(X)`` with X of shape ``(M, K)`` in the parameters' units, returning ``(M,)`` float64 values.
    """
    base, _ = scenario_params(levers)
    quantity = headline(quantity)
    names = list(names) if names is not None else registry.names("uncertainty")

    def f(x: np.ndarray) -> np.ndarray:
        # In blocks: a Saltelli design of 1,024 x (K + 2) rows would hold ~400 MB of results at once.
        out = np.empty(len(x))
        for start in range(0, len(x), BLOCK):
            block = x[start : start + BLOCK]
            results = simulate(Params.from_matrix(block, names, base=base), dtype=dtype, chunk=BLOCK // 2)
            out[start : start + len(block)] = quantity.at(results, year)
        if len(x) > BLOCK:
            release_freed_memory()
        return out

    return f


# ---------------------------------------------------------------------------------------------- tornado
@dataclass(frozen=True)
class Tornado:
    """One-at-a-time sensitivities, largest swing first.

    Attributes
    ----------
    names : tuple of str
        Uncertainties, sorted by :attr:`swing`, descending (ties keep registry order).
    centre : float
        Outcome with every uncertainty at its central value.
    low, high : numpy.ndarray
        Outcome with that one uncertainty at its lower / upper bound, others central (outcome unit).
    low_input, high_input : numpy.ndarray
        The bounds used (each parameter's unit).
    label, unit : str
        What the outcome is, and its unit (empty for a plain function).
    """

    names: tuple[str, ...]
    centre: float
    low: np.ndarray
    high: np.ndarray
    low_input: np.ndarray
    high_input: np.ndarray
    label: str = ""
    unit: str = ""

    @property
    def swing(self) -> np.ndarray:
        """``|high - low|`` per uncertainty (outcome unit)."""
        return np.abs(self.high - self.low)

    def top(self, k: int) -> Tornado:
        """The ``k`` largest swings."""
        return replace(
            self,
            names=self.names[:k],
            low=self.low[:k],
            high=self.high[:k],
            low_input=self.low_input[:k],
            high_input=self.high_input[:k],
        )


def one_at_a_time(f: Function, names: Sequence[str], centre: np.ndarray, low: np.ndarray, high: np.ndarray) -> Tornado:
    """Evaluate ``f`` at the centre and with each input alone at its low and high value.

    Parameters
    ----------
    f : callable
        ``f(X) -> y`` for X of shape ``(M, K)``.
    names : sequence of str
        The K input names.
    centre, low, high : numpy.ndarray
        ``(K,)`` central, lower and upper input values.

    Returns
    -------
    Tornado
        One batch of ``2K + 1`` evaluations, sorted by swing.
    """
    centre, low, high = (np.asarray(a, dtype=float) for a in (centre, low, high))
    k = len(names)
    x = np.tile(centre, (2 * k + 1, 1))
    x[1 + np.arange(k), np.arange(k)] = low
    x[1 + k + np.arange(k), np.arange(k)] = high
    y = np.asarray(f(x), dtype=float)
    y_low, y_high = y[1 : 1 + k], y[1 + k :]
    order = np.argsort(-np.abs(y_high - y_low), kind="stable")
    return Tornado(tuple(names[i] for i in order), float(y[0]), y_low[order], y_high[order], low[order], high[order])


def tornado(levers: Levers, quantity: Quantity | str, year: int, names: Sequence[str] | None = None) -> Tornado:
    """Tornado of a model outcome: each uncertainty at its registry min and max, the others at the scenario value.

    Parameters
    ----------
    levers : Params, Scenario, mapping, str or None
    quantity : Quantity or str
    year : int
    names : sequence of str, optional
        Uncertainties to vary (default: all).

    Returns
    -------
    Tornado
    """
    base, _ = scenario_params(levers)
    names = list(names) if names is not None else registry.names("uncertainty")
    factors = registry.factors(names)
    columns = [[k for k, n in enumerate(names) if registry.factor_of(n) == factor] for factor in factors]
    centre = np.array([base[n][0] for n in names])
    low = np.array([registry.get(n).min for n in names])
    high = np.array([registry.get(n).max for n in names])
    quantity = headline(quantity)
    run = model_function(base, quantity, year, names)

    def by_factor(x: np.ndarray) -> np.ndarray:
        # A shared draw moves as one: every member of the factor at its own low (or high) end.
        full = np.tile(centre, (x.shape[0], 1))
        for f, members in enumerate(columns):
            moved = x[:, f] != 0.5
            for k in members:
                full[moved, k] = np.where(x[moved, f] < 0.5, low[k], high[k])
        return run(full)

    f_centre, f_low, f_high = np.full(len(factors), 0.5), np.zeros(len(factors)), np.ones(len(factors))
    result = one_at_a_time(by_factor, factors, f_centre, f_low, f_high)
    # Report input bounds in the parameters' units (a shared draw shows its first member's).
    first = {factor: members[0] for factor, members in zip(factors, columns, strict=True)}
    low_input = np.array([low[first[n]] for n in result.names])
    high_input = np.array([high[first[n]] for n in result.names])
    return replace(
        result, low_input=low_input, high_input=high_input, label=f"{quantity.label}, {year}", unit=quantity.unit
    )


# ---------------------------------------------------------------------------------------------- Sobol'
@dataclass(frozen=True)
class SobolIndices:
    """First-order and total Sobol' indices with bootstrap confidence intervals.

    Attributes
    ----------
    names : tuple of str
    first, total : numpy.ndarray
        ``S1`` (share of the outcome's variance due to the input alone) and ``ST`` (including all its
        interactions), dimensionless, per input.
    first_conf, total_conf : numpy.ndarray
        Half-widths of the ``conf_level`` bootstrap intervals.
    n_base : int
        Base samples N; the model ran ``N (K + 2)`` times.
    conf_level : float
    variance : float
        Variance of the outcome over the design (outcome unit squared); 0 means nothing varies.
    """

    names: tuple[str, ...]
    first: np.ndarray
    first_conf: np.ndarray
    total: np.ndarray
    total_conf: np.ndarray
    n_base: int
    conf_level: float
    variance: float

    def ranked(self) -> list[int]:
        """Input positions by total index, largest first."""
        return list(np.argsort(-self.total, kind="stable"))


def sobol_indices(
    f: Function,
    names: Sequence[str],
    transform: Callable[[np.ndarray], np.ndarray],
    n_base: int,
    rng: np.random.Generator,
    num_resamples: int = 100,
    conf_level: float = 0.95,
) -> SobolIndices:
    """Sobol' first-order and total indices of ``f`` (Saltelli's design, Saltelli 2010 and Jansen estimators).

    Two independent random matrices A and B of ``n_base`` rows on the unit hypercube, and for each input
    k the matrix A with column k taken from B: ``n_base (K + 2)`` evaluations of ``f``, one matrix at a
    time (a few MB however large K is). ``S1_k = mean(f(B) (f(AB_k) - f(A))) / V`` and
    ``ST_k = mean((f(A) - f(AB_k))^2) / (2 V)``, V the variance of f over A and B together; the intervals
    are bootstrap intervals over the rows (normal approximation). The design is plain Monte Carlo, not
    a quasi-random sequence: no SciPy or SALib is loaded (together about 90 MB in a kernel), at the cost of
    a slightly larger error for the same ``n_base``, which the intervals report.

    Parameters
    ----------
    f : callable
        ``f(X) -> y`` for X of shape ``(M, K)``.
    names : sequence of str
        The K inputs.
    transform : callable
        Maps ``(M, K)`` probabilities in [0, 1] to input values (the inputs' inverse CDFs).
    n_base : int
        Base samples N (at least 2).
    rng : numpy.random.Generator
        Draws the design and drives the bootstrap: same seed, same indices.
    num_resamples : int
        Bootstrap resamples for the confidence intervals.
    conf_level : float

    Returns
    -------
    SobolIndices
    """
    if int(n_base) != n_base or n_base < 2:
        raise ValueError(f"n_base = {n_base} must be a whole number of base samples, at least 2 (e.g. 1024)")
    n_base, k = int(n_base), len(names)
    a, b = rng.random((n_base, k)), rng.random((n_base, k))
    y_a, y_b = _evaluate(f, transform, a), _evaluate(f, transform, b)
    y_ab = np.empty((k, n_base))
    for column in range(k):
        mixed = a.copy()
        mixed[:, column] = b[:, column]
        y_ab[column] = _evaluate(f, transform, mixed)
    variance = float(np.var(np.concatenate([y_a, y_b])))
    if variance <= 1e-24 * max(1.0, float(np.mean(y_a)) ** 2):
        zero = np.zeros(k)  # nothing varies: no input explains any variance
        return SobolIndices(tuple(names), zero, zero, zero, zero, n_base, conf_level, 0.0)
    first, total = _saltelli_jansen(y_a, y_b, y_ab)
    rows = rng.integers(n_base, size=(num_resamples, n_base))
    first_spread, total_spread = np.empty(k), np.empty(k)
    for column in range(k):  # one input at a time: all at once would hold K x resamples x N values
        first_boot, total_boot = _saltelli_jansen(y_a[rows], y_b[rows], y_ab[column, rows])
        first_spread[column], total_spread[column] = first_boot.std(ddof=1), total_boot.std(ddof=1)
    z = NormalDist().inv_cdf(0.5 + conf_level / 2)
    return SobolIndices(
        tuple(names),
        first,
        z * first_spread,
        total,
        z * total_spread,
        n_base,
        conf_level,
        variance,
    )


def _evaluate(f: Function, transform: Callable[[np.ndarray], np.ndarray], unit: np.ndarray) -> np.ndarray:
    y = np.asarray(f(transform(unit)), dtype=float)
    if not np.all(np.isfinite(y)):
        raise ValueError("the function returned values that are not finite")
    return y


def _saltelli_jansen(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First-order and total indices from f(A), f(B) ``(..., N)`` and f(AB_k) ``(K, ..., N)`` or ``(..., N)``."""
    variance = np.var(np.concatenate([y_a, y_b], axis=-1), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):  # a resample without variance gives nan, not a warning
        first = np.mean(y_b * (y_ab - y_a), axis=-1) / variance
        total = 0.5 * np.mean((y_a - y_ab) ** 2, axis=-1) / variance
    return first, total


def _unit_problem(names: Sequence[str]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def sobol(
    levers: Levers,
    quantity: Quantity | str,
    year: int,
    rng: np.random.Generator,
    n_base: int = 1024,
    names: Sequence[str] | None = None,
) -> SobolIndices:
    """Sobol' indices of a model outcome over the registry distributions of the uncertainties.

    With 1,024 base samples and K uncertainties the model runs ``1024 (K + 2)`` times (about 46,000).
    """
    names = list(names) if names is not None else registry.names("uncertainty")
    factors = registry.factors(names)  # shared draws are one input each (registry.shared_draws)
    return sobol_indices(
        model_function(levers, quantity, year, names), factors, _factor_transform(factors, names), n_base, rng
    )


def _factor_transform(factors: Sequence[str], names: Sequence[str]) -> Callable[[np.ndarray], np.ndarray]:
    """Map a design over independent factors to the uncertainties' values (the dependence respected)."""
    return lambda u: ppf(expand_factors(u, factors, names), names)[1]


# ---------------------------------------------------------------------------------------------- Morris
@dataclass(frozen=True)
class MorrisScreening:
    """Morris elementary effects: a cheap first pass before Sobol'.

    Attributes
    ----------
    names : tuple of str
    mu_star : numpy.ndarray
        Mean absolute change of the outcome when the input moves across its whole range (in probability
        terms: from its 0th to its 100th percentile), outcome unit.
    mu_star_conf : numpy.ndarray
        Bootstrap half-width of ``mu_star``.
    sigma : numpy.ndarray
        Spread of the effects: large when the input interacts with others or acts non-linearly.
    n_runs : int
    """

    names: tuple[str, ...]
    mu_star: np.ndarray
    mu_star_conf: np.ndarray
    sigma: np.ndarray
    n_runs: int

    def ranked(self) -> list[int]:
        """Input positions by ``mu_star``, largest first."""
        return list(np.argsort(-self.mu_star, kind="stable"))


def morris_indices(
    f: Function,
    names: Sequence[str],
    transform: Callable[[np.ndarray], np.ndarray],
    trajectories: int,
    rng: np.random.Generator,
    num_levels: int = 4,
) -> MorrisScreening:
    """Morris screening of ``f`` with SALib: ``trajectories (K + 1)`` evaluations."""
    from SALib.analyze import morris as morris_analyze
    from SALib.sample import morris as morris_sample

    problem = _unit_problem(names)
    u = morris_sample.sample(problem, trajectories, num_levels=num_levels, seed=rng)
    y = np.asarray(f(transform(u)), dtype=float)
    out = morris_analyze.analyze(problem, u, y, num_levels=num_levels, seed=rng)
    return MorrisScreening(
        tuple(names), np.asarray(out["mu_star"]), np.asarray(out["mu_star_conf"]), np.asarray(out["sigma"]), len(y)
    )


def morris(
    levers: Levers,
    quantity: Quantity | str,
    year: int,
    rng: np.random.Generator,
    trajectories: int = 50,
    names: Sequence[str] | None = None,
) -> MorrisScreening:
    """Morris screening of a model outcome over the registry distributions of the uncertainties."""
    names = list(names) if names is not None else registry.names("uncertainty")
    factors = registry.factors(names)
    return morris_indices(
        model_function(levers, quantity, year, names), factors, _factor_transform(factors, names), trajectories, rng
    )
