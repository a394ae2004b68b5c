"""Hypothesis strategies for base points across the registry.

Each parameter is drawn at its minimum, its maximum or anywhere between (so the ends come up often);
shared draws (dependence.toml) are kept together.
"""

import numpy as np
from hypothesis import strategies as st

from model import registry
from model.params import PAYMENT_WEIGHTS
from model.sampling import ppf


def parameter_value(parameter: registry.Parameter):
    if parameter.kind == "choice":
        return st.sampled_from([float(i) for i in range(len(parameter.choices))])
    if parameter.kind == "bool":
        return st.sampled_from([0.0, 1.0])
    if parameter.kind == "int":
        return st.one_of(
            st.sampled_from([parameter.min, parameter.max]), st.integers(int(parameter.min), int(parameter.max))
        ).map(float)
    inside = st.floats(parameter.min, parameter.max, allow_nan=False, allow_infinity=False)
    return st.one_of(st.sampled_from([parameter.min, parameter.max]), inside)


def _shared(draw: registry.SharedDraw):
    """One probability for a shared draw's members, each mapped through its own distribution."""
    members = list(draw.members)
    probability = st.one_of(st.sampled_from([0.0, 1.0]), st.floats(0.0, 1.0))
    return probability.map(lambda u: dict(zip(members, ppf(np.full((1, len(members)), u), members)[1][0], strict=True)))


def base_points(names):
    shared = [d for d in registry.shared_draws().values() if set(d.members) <= set(names)]
    tied = {m for d in shared for m in d.members}
    drawn = st.fixed_dictionaries({name: parameter_value(registry.get(name)) for name in names if name not in tied})
    for draw in shared:  # dependent uncertainties keep their declared dependence (dependence.toml)
        drawn = st.builds(lambda values, members: {**values, **members}, drawn, _shared(draw))
    # The four payment weights may not all be zero (Params refuses it with a message).
    return drawn.filter(lambda values: any(values.get(w, registry.get(w).default) > 0 for w in PAYMENT_WEIGHTS))


VARIABLE = [n for n in registry.names() if registry.get(n).role != "constant"]
everything_random = base_points(VARIABLE)
uncertainties_random = base_points(registry.names("uncertainty"))


#: Probabilities of drawing a parameter at its minimum and at its maximum in :func:`base_point_batch`
#: (the rest of the time it is drawn anywhere in its range), as Hypothesis's strategies above favour the ends.
END_PROBABILITY = 0.2


def _batch_column(parameter: registry.Parameter, rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` values of one parameter: its minimum, its maximum or anywhere between (choices: any choice)."""
    if parameter.kind == "choice":
        return rng.integers(0, len(parameter.choices), n).astype(float)
    if parameter.kind == "bool":
        return rng.integers(0, 2, n).astype(float)
    if parameter.kind == "int":
        inside = rng.integers(int(parameter.min), int(parameter.max) + 1, n).astype(float)
    else:
        inside = rng.uniform(parameter.min, parameter.max, n)
    end = rng.uniform(size=n)
    return np.where(end < END_PROBABILITY, parameter.min, np.where(end > 1 - END_PROBABILITY, parameter.max, inside))


def _corner(names: list[str], end: str) -> dict[str, float]:
    """Every parameter of ``names`` at its minimum (``end="min"``) or maximum; shared draws too (their order holds)."""
    corner = {name: float(getattr(registry.get(name), end)) for name in names}
    if all(corner.get(w, registry.get(w).default) <= 0 for w in PAYMENT_WEIGHTS):  # all four at zero is refused
        corner["russia_payment_cash_weight"] = 1.0
    return corner


def base_point_batch(names: list[str], n: int, seed: int) -> dict[str, np.ndarray]:
    """``n`` base points of the parameters ``names`` as columns, for one vectorised model run.

    The same kind of base points as :func:`base_points` draws one at a time with Hypothesis: each parameter
    at its minimum, its maximum or anywhere between, shared draws (dependence.toml) kept together through one
    probability, never all four payment weights at zero. The first two rows are the corners: every parameter
    at its minimum, then every parameter at its maximum.

    Parameters
    ----------
    names : list of str
        The parameters that vary; the others stay at their defaults.
    n : int
        Base points (rows), the two corners included.
    seed : int
        Seed of the random generator: the batch is the same on every run.

    Returns
    -------
    dict of str to numpy.ndarray
        One ``(n,)`` column per parameter of ``names``, for :meth:`model.Params.from_overrides`.
    """
    rng = np.random.default_rng(seed)
    shared = [d for d in registry.shared_draws().values() if set(d.members) <= set(names)]
    tied = {m for d in shared for m in d.members}
    columns = {name: _batch_column(registry.get(name), rng, n) for name in names if name not in tied}
    for draw in shared:
        members = list(draw.members)
        ends = rng.uniform(size=n)
        probability = np.where(
            ends < END_PROBABILITY, 0.0, np.where(ends > 1 - END_PROBABILITY, 1.0, rng.uniform(size=n))
        )
        _, values = ppf(np.repeat(probability[:, None], len(members), axis=1), members)
        columns.update({name: values[:, k] for k, name in enumerate(members)})
    for row, end in enumerate(("min", "max")):
        for name, value in _corner(names, end).items():
            columns[name][row] = value
    weights = [w for w in PAYMENT_WEIGHTS if w in columns]
    if weights:  # Params refuses four zero payment weights: such a row pays in cash instead
        zero = np.all([columns.get(w, np.full(n, registry.get(w).default)) <= 0 for w in PAYMENT_WEIGHTS], axis=0)
        columns[weights[0]] = np.where(zero, 1.0, columns[weights[0]])
    return columns
