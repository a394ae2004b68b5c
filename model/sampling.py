"""Drawing the uncertainties from their registry distributions.

Each uncertainty declares ``uniform``, ``triangular`` (mode = default) or ``lognormal`` (median =
default, truncated to [min, max], with the range spanning about +/- 1.645 sigma). Levers are never
sampled: they stay at the scenario's values. Randomness comes only from the ``numpy.random.Generator``
passed in.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    matrix = np.empty((n_draws, len(names)))
    for column, name in enumerate(names):
        parameter = registry.get(name)
        if parameter.role != "uncertainty":
            raise ValueError(f"{name} is a {parameter.role}, not an uncertainty: it cannot be sampled")
        # Draw every column even when it is fixed, so that fixing one input leaves the others' draws unchanged.
        matrix[:, column] = _draw(parameter, n_draws, rng)
        if name in fixed:
            matrix[:, column] = parameter.default
    return names, matrix


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


def _draw(parameter: registry.Parameter, n_draws: int, rng: np.random.Generator) -> np.ndarray:
    low, high, mode = parameter.min, parameter.max, parameter.default
    if low == high:
        return np.full(n_draws, low)
    if parameter.distribution == "uniform":
        return rng.uniform(low, high, n_draws)
    if parameter.distribution == "triangular":
        return rng.triangular(low, mode, high, n_draws)
    if parameter.distribution == "lognormal":
        from scipy.special import ndtr, ndtri  # imported here: only sampling needs scipy

        mu = np.log(mode)
        sigma = (np.log(high) - np.log(low)) / (2 * LOGNORMAL_Z)
        lower, upper = ndtr((np.log(low) - mu) / sigma), ndtr((np.log(high) - mu) / sigma)
        values = np.exp(mu + sigma * ndtri(rng.uniform(lower, upper, n_draws)))
        return np.clip(values, low, high)  # guards the last ulp at the bounds
    raise ValueError(f"{parameter.name}: unknown distribution {parameter.distribution!r}")
