"""Notebook 07's app stays compact: it holds headline series, not full results, and no extra figures.

Not timed. The bound on what the app holds, per world: a compact ensemble keeps 16 headline series of
23 years in float32 (1,472 B), the drawn and the used values of 45 uncertainties in float64 (720 B) and
72 parameters in float64 (576 B), about 2.8 kB; the app holds two (baseline and scenario), so at most
2 x 3,000 B per world. One ensemble's full :class:`~model.results.Results` alone is about 7.6 kB per
world, so an app that kept full results of even one ensemble would fail the bound.
"""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dprk_apps import uncertainty as ua
from model import uncertainty as u

DRAWS = 2048
PER_WORLD_BOUND = 2 * 3000  # bytes: two compact ensembles (see the module docstring)
FULL_RESULTS_PER_WORLD = 7000  # bytes, a lower bound on one ensemble's full Results


@pytest.fixture(scope="module")
def baseline():
    return u.run_ensemble("baseline", DRAWS, np.random.default_rng(7), keep="headlines")


def test_compact_ensemble_keeps_the_headlines_to_the_bit():
    full = u.run_ensemble("baseline", 3000, np.random.default_rng(3))
    compact = u.run_ensemble("baseline", 3000, np.random.default_rng(3), keep="headlines")
    moved_full, moved = full.with_levers("max-pressure"), compact.with_levers("max-pressure")
    assert compact.results is None and moved.results is None and moved.keep == compact.keep
    for key in u.HEADLINES:
        assert np.array_equal(compact.values(key), full.values(key))
        assert np.array_equal(moved.values(key), moved_full.values(key))
    assert u.statement(moved, "oil_cap_leakage", 2030, 8.0) == u.statement(moved_full, "oil_cap_leakage", 2030, 8.0)
    assert compact.nbytes < full.nbytes / 2
    with pytest.raises(KeyError, match="keeps only"):
        compact.values(u.Quantity("troops_in_russia"))


def test_the_app_holds_only_compact_arrays_and_no_extra_figures(baseline):
    app = ua.UncertaintyApp(baseline)
    figures = len(plt.get_fignums())
    control = app.panel.controls["russia_arms_enforcement"].input
    for value in (0.2, 0.5, 0.9, 0.4):
        control.value = value
        assert app.errors.message == ""
        assert app.nbytes() <= PER_WORLD_BOUND * DRAWS + 1_000_000  # fans and small arrays: well below 1 MB
        assert len(plt.get_fignums()) == figures
    # The scenario keeps only the shown headlines; a new outcome re-runs it keeping that one.
    assert len(app.scenario.keep) == 2 and app.scenario.nbytes < app.base.nbytes
    app.outcome.value = "oil_cap_leakage"
    app.year.value = 2027
    assert app.errors.message == "" and u.headline("oil_cap_leakage") in app.scenario.keep
    assert "oil-cap leakage" in app.readout.value.lower()
    assert app.nbytes() < FULL_RESULTS_PER_WORLD * DRAWS
    assert len(plt.get_fignums()) == figures


def test_building_the_app_again_lets_the_old_one_go(baseline):
    first = ua.UncertaintyApp(baseline)
    figures = len(plt.get_fignums())
    second = ua.UncertaintyApp(baseline)
    assert len(plt.get_fignums()) == figures  # the first app's figure was closed
    assert first.base is None and first.scenario is None and first.results is None
    second.panel.controls["russia_arms_enforcement"].input.value = 0.3
    assert second.errors.message == "" and second.scenario is not baseline


def test_rerun_figures_replace_their_predecessors(baseline):
    ua.fans(baseline)
    figures = len(plt.get_fignums())
    ua.fans(baseline)
    ua.discovery(baseline)
    ua.discovery(baseline)
    assert len(plt.get_fignums()) == figures + 1
