"""A parameterised model of North Korea's external lifelines with China and Russia under sanctions.

Typical use::

    from model import Params, simulate, load_preset
    results = simulate(load_preset("baseline").params)

The package does not import matplotlib; plotting helpers live in :mod:`model.plots`.
"""

from model.core import simulate
from model.errors import ModelInputError, ParameterError, ScenarioFileError
from model.params import Params
from model.results import OUTCOMES, PARTNERS, Results

__all__ = [
    "OUTCOMES",
    "PARTNERS",
    "ModelInputError",
    "ParameterError",
    "Params",
    "Results",
    "ScenarioFileError",
    "simulate",
]
