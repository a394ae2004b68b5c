"""Uncertainty, sensitivity and scenario comparison on top of the model (no plotting here).

* :mod:`~model.uncertainty.quantities` - :class:`Quantity`, one number per draw and year; :data:`HEADLINES`.
* :mod:`~model.uncertainty.ensemble` - :func:`run_ensemble`, :func:`fan`, :func:`quantiles`,
  :func:`probability`, :func:`statement`.
* :mod:`~model.uncertainty.sensitivity` - :func:`tornado`, :func:`sobol`, :func:`morris`.
* :mod:`~model.uncertainty.discovery` - :func:`discover` (PRIM boxes as readable rules).
* :mod:`~model.uncertainty.compare` - :func:`compare` (scenarios side by side on the same worlds).

Examples
--------
>>> import numpy as np
>>> from model import uncertainty as u
>>> ensemble = u.run_ensemble("baseline", 2_000, np.random.default_rng(1))
>>> sentence = u.statement_greater(ensemble, "hard_currency_russia", "hard_currency_china", 2027)
>>> sentence.startswith("In ") and "Russia" in sentence
True
"""

from model.uncertainty.compare import TABLE_QUANTITIES, Comparison, compare
from model.uncertainty.discovery import Box, Discovery, discover, prim
from model.uncertainty.ensemble import (
    PAYMENT_MIX,
    QUANTILES,
    Ensemble,
    Fan,
    fan,
    probability,
    probability_greater,
    quantiles,
    run_ensemble,
    scenario_params,
    statement,
    statement_greater,
)
from model.uncertainty.quantities import HEADLINES, Quantity, headline
from model.uncertainty.sensitivity import (
    MorrisScreening,
    SobolIndices,
    Tornado,
    model_function,
    morris,
    morris_indices,
    one_at_a_time,
    sobol,
    sobol_indices,
    tornado,
)

__all__ = [
    "HEADLINES",
    "PAYMENT_MIX",
    "QUANTILES",
    "TABLE_QUANTITIES",
    "Box",
    "Comparison",
    "Discovery",
    "Ensemble",
    "Fan",
    "MorrisScreening",
    "Quantity",
    "SobolIndices",
    "Tornado",
    "compare",
    "discover",
    "fan",
    "headline",
    "model_function",
    "morris",
    "morris_indices",
    "one_at_a_time",
    "prim",
    "probability",
    "probability_greater",
    "quantiles",
    "run_ensemble",
    "scenario_params",
    "sobol",
    "sobol_indices",
    "statement",
    "statement_greater",
    "tornado",
]
