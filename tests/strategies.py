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
