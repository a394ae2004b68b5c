"""Dependence between uncertainties (model/dependence.toml).

Shared draws keep their members' order, and the sensitivity methods treat a shared draw as one input.
"""

import numpy as np
import pytest

from model import Params, registry, simulate
from model.sampling import draw_matrix, sample
from model.scenarios import load_preset
from model.uncertainty import sobol


def test_every_shared_draw_names_uncertainties_and_gives_its_reasoning():
    draws = registry.shared_draws()
    assert "monitoring_quality" in draws
    for draw in draws.values():
        assert len(draw.members) >= 2 and draw.reasoning.startswith("assumption:")
        assert all(registry.get(m).role == "uncertainty" for m in draw.members)


@pytest.mark.parametrize("seed", [0, 1, 2024])
def test_detection_levels_are_ordered_in_every_draw(seed):
    names, matrix = draw_matrix(50_000, np.random.default_rng(seed))
    none, msmt, panel = (matrix[:, names.index(n)] for n in ("detection_none", "detection_msmt", "detection_panel"))
    assert np.all(none < msmt) and np.all(msmt < panel)
    # and each still follows its own registry range end to end
    for name in ("detection_none", "detection_msmt", "detection_panel"):
        column = matrix[:, names.index(name)]
        parameter = registry.get(name)
        assert column.min() == pytest.approx(parameter.min, abs=1e-3)
        assert column.max() == pytest.approx(parameter.max, abs=1e-3)


def test_independent_draws_would_break_the_order():
    """The check above can fail: three independent uniform draws over the same ranges are often out of order."""
    rng = np.random.default_rng(0)
    none = rng.uniform(0.1, 0.5, 10_000)
    panel = rng.uniform(0.4, 0.8, 10_000)
    assert np.mean(none > panel) > 0.01


def test_restoring_the_panel_never_raises_hard_currency_in_a_paired_draw():
    draws = sample(5_000, np.random.default_rng(7), base=load_preset("baseline").params)
    restored = Params.from_overrides({"monitoring_regime": "panel_of_experts"}, base=draws)
    base, better = simulate(draws), simulate(restored)
    t = base.year_index(2027)
    rise = better.hard_currency_total_usd[:, t] - base.hard_currency_total_usd[:, t]
    assert np.all(rise <= 1e-6 * base.hard_currency_total_usd[:, t])


def test_no_monitoring_never_beats_the_panel_in_a_paired_draw():
    draws = sample(5_000, np.random.default_rng(8), base=load_preset("baseline").params)
    none = simulate(Params.from_overrides({"monitoring_regime": "none"}, base=draws))
    panel = simulate(Params.from_overrides({"monitoring_regime": "panel_of_experts"}, base=draws))
    t = none.year_index(2030)
    assert np.all(panel.hard_currency_total_usd[:, t] <= none.hard_currency_total_usd[:, t] * (1 + 1e-9))


def test_sobol_treats_the_shared_draw_as_one_input():
    indices = sobol(None, "hard_currency_total", 2027, np.random.default_rng(3), n_base=64)
    assert "monitoring_quality" in indices.names
    assert not {"detection_none", "detection_msmt", "detection_panel"} & set(indices.names)
    assert len(indices.names) == len(registry.factors())
