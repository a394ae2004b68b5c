"""A parameterised model of North Korea's external lifelines with China and Russia under sanctions.

Examples
--------
>>> from model import simulate
>>> from model.scenarios import load_preset
>>> results = simulate(load_preset("baseline").params)
>>> headline = results.headline(2030)
>>> 0 < headline["lifeline_share_russia"] < 1
True

The package does not import matplotlib; plotting helpers live in :mod:`dprk_figures`.
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
