"""The suite's slider apps by notebook number, built in process for tests that visit each one."""

from collections.abc import Callable

import numpy as np

from dprk_apps import uncertainty as ua
from dprk_apps.channels import ArmsApp, LabourApp, OilApp
from dprk_apps.lab import DemoApp, LabApp
from dprk_apps.lifelines import LifelinesApp
from model import uncertainty as u


def slider_apps(uncertainty_draws: int) -> dict[str, Callable[[], object]]:
    """Return a builder per slider app (notebooks 00-05 and 07), keyed by notebook number.

    Parameters
    ----------
    uncertainty_draws : int
        Ensemble size (draws) behind 07's app; a test that only looks at its controls wants a small one.
    """
    return {
        "00": DemoApp,
        "01": LifelinesApp,
        "02": OilApp,
        "03": LabourApp,
        "04": ArmsApp,
        "05": LabApp,
        "07": lambda: ua.UncertaintyApp(
            u.run_ensemble("baseline", uncertainty_draws, np.random.default_rng(3), keep="headlines")
        ),
    }
