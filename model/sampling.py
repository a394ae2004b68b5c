"""Drawing the uncertainties from their registry distributions.

Each uncertainty declares ``uniform``, ``triangular`` (mode = default) or ``lognormal`` (median =
default, truncated to [min, max], with the range spanning about +/- 1.645 sigma). Levers are never
sampled: they stay at the scenario's values. Randomness comes only from the ``numpy.random.Generator``
passed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from statistics import NormalDist

import numpy as np

from model import registry
from model.params import Params

LOGNORMAL_Z = 1.6448536269514722  # the range [min, max] spans the central 90% before truncation


def bounds(names: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
    """Names and ``(K, 2)`` [min, max] bounds of the uncertainties (all of them by default)."""
    names = list(names) if names is not None else registry.names("uncertainty")
    table = np.array([[registry.get(n).min, registry.get(n).max] for n in names], dtype=float)
    return names, table


def draw_matrix(
    n_draws: int, rng: np.random.Generator, names: Sequence[str] | None = None, fixed: Sequence[str] = ()
) -> tuple[list[str], np.ndarray]:
    """Draw an ``(n_draws, K)`` matrix of uncertainty values.

    Parameters
    ----------
    n_draws : int
        Number of draws (rows).
    rng : numpy.random.Generator
        The only source of randomness.
    names : sequence of str, optional
        Uncertainties to draw (default: all).
    fixed : sequence of str
        Uncertainties held at their default in every draw.

    Returns
    -------
    names, matrix
    """
    if not isinstance(rng, np.random.Generator):
        raise TypeError("rng must be a numpy.random.Generator (e.g. numpy.random.default_rng(seed))")
    if n_draws < 1:
        raise ValueError(f"n_draws = {n_draws} must be at least 1")
    names = list(names) if names is not None else registry.names("uncertainty")
    for name in names:
        parameter = registry.get(name)
        if parameter.role != "uncertainty":
            raise ValueError(f"{name} is a {parameter.role}, not an uncertainty: it cannot be sampled")
    # One uniform number per factor: members of a shared draw (registry.shared_draws) take the same one.
    # Every factor is drawn even when fixed, so that fixing one input leaves the others' draws unchanged.
    uniforms = {factor: rng.random(n_draws) for factor in registry.factors(names)}
    matrix = np.empty((n_draws, len(names)))
    for column, name in enumerate(names):
        parameter = registry.get(name)
        matrix[:, column] = parameter.default if name in fixed else _ppf(parameter, uniforms[registry.factor_of(name)])
    return names, matrix


def expand_factors(u: np.ndarray, factors: Sequence[str], names: Sequence[str]) -> np.ndarray:
    """Spread an ``(N, F)`` array of factor probabilities to the ``(N, K)`` columns of ``names``.

    Each uncertainty takes the column of its factor (its own, or its shared draw's).
    """
    u = np.asarray(u, dtype=float)
    position = {factor: index for index, factor in enumerate(factors)}
    return u[:, [position[registry.factor_of(name)] for name in names]]


def sample(
    n_draws: int,
    rng: np.random.Generator,
    base: Params | None = None,
    names: Sequence[str] | None = None,
    fixed: Sequence[str] = (),
) -> Params:
    """A batch of ``n_draws`` parameter sets: uncertainties drawn, everything else from ``base``."""
    names, matrix = draw_matrix(n_draws, rng, names, fixed)
    return Params.from_matrix(matrix, names, base=base)


def ppf(u: np.ndarray, names: Sequence[str] | None = None) -> tuple[list[str], np.ndarray]:
    """Map an ``(N, K)`` array of probabilities in [0, 1] to uncertainty values (inverse CDF).

    This is how quasi-random designs (SALib's Sobol' and Morris samples, built on the unit
    hypercube) get the registry distributions: column ``k`` follows the distribution of ``names[k]``,
    the same one :func:`draw_matrix` draws from.

    Parameters
    ----------
    u : numpy.ndarray
        Probabilities, shape ``(N, K)``, every value in [0, 1].
    names : sequence of str, optional
        Uncertainties of the K columns (default: all, in registry order).

    Returns
    -------
    names, matrix
        The names and an ``(N, K)`` matrix in each parameter's unit.
    """
    names = list(names) if names is not None else registry.names("uncertainty")
    u = np.asarray(u, dtype=float)
    if u.ndim != 2 or u.shape[1] != len(names):
        raise ValueError(f"u has shape {u.shape}; expected (N, {len(names)}) for {len(names)} names")
    if np.any((u < 0) | (u > 1)) or not np.all(np.isfinite(u)):
        raise ValueError("u must hold probabilities in [0, 1]")
    matrix = np.empty_like(u)
    for column, name in enumerate(names):
        parameter = registry.get(name)
        if parameter.role != "uncertainty":
            raise ValueError(f"{name} is a {parameter.role}, not an uncertainty: it has no distribution")
        matrix[:, column] = _ppf(parameter, u[:, column])
    return names, matrix


def _ppf(parameter: registry.Parameter, u: np.ndarray) -> np.ndarray:
    # Clipped because low + 1.0 * (high - low) can exceed high by one ulp.
    return np.clip(_inverse_cdf(parameter, u), parameter.min, parameter.max)


def _inverse_cdf(parameter: registry.Parameter, u: np.ndarray) -> np.ndarray:
    low, high, mode = parameter.min, parameter.max, parameter.default
    if low == high:
        return np.full(u.shape, low)
    if parameter.distribution == "uniform":
        return low + u * (high - low)
    if parameter.distribution == "triangular":
        split = (mode - low) / (high - low)  # CDF at the mode
        # Same operation order as numpy's Generator.triangular, so draws match it to the bit.
        left = low + np.sqrt(u * ((mode - low) * (high - low)))
        right = high - np.sqrt((1.0 - u) * ((high - mode) * (high - low)))
        return np.where(u <= split, left, right)
    if parameter.distribution == "lognormal":
        mu = np.log(mode)
        sigma = (np.log(high) - np.log(low)) / (2 * LOGNORMAL_Z)
        lower, upper = (
            _STANDARD_NORMAL.cdf((np.log(low) - mu) / sigma),
            _STANDARD_NORMAL.cdf((np.log(high) - mu) / sigma),
        )
        return np.exp(mu + sigma * _normal_quantile(lower + u * (upper - lower)))
    raise ValueError(f"{parameter.name}: unknown distribution {parameter.distribution!r}")


#: The standard normal distribution (the standard library's: scipy.special alone costs a kernel ~26 MB).
_STANDARD_NORMAL = NormalDist()
#: Its quantile function, element-wise (Wichura's AS 241, accurate to about 1e-16): fast enough for the
#: few log-normal columns of a design (about 1 microsecond a value).
_normal_quantile = np.vectorize(_STANDARD_NORMAL.inv_cdf, otypes=[float])
