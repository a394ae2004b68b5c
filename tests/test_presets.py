"""Every preset does what its title says.

Each file states the change it is meant to show against the baseline (``[[expected]]``), and these
tests hold it to that statement.
"""

import numpy as np
import pytest

from model import Params, registry, simulate
from model.scenarios import load_preset, preset_names

PROJECTION_PRESETS = [n for n in preset_names() if n not in ("history", "baseline")]


@pytest.fixture(scope="module")
def baseline():
    return simulate(load_preset("baseline").params)


def test_every_projection_preset_states_its_expected_change():
    for name in PROJECTION_PRESETS:
        assert load_preset(name).expected, f"preset {name} states no [[expected]] change"


@pytest.mark.parametrize("name", PROJECTION_PRESETS)
def test_preset_meets_its_stated_change(baseline, name):
    preset = load_preset(name)
    results = simulate(preset.params)
    for claim in preset.expected:
        base = baseline.headline(claim["year"])[claim["outcome"]]
        value = results.headline(claim["year"])[claim["outcome"]]
        change = (value - base) / abs(base)
        if claim["change"] == "higher":
            assert change >= claim["at_least"], (name, claim, change)
        else:
            assert -change >= claim["at_least"], (name, claim, change)


def test_max_pressure_holds_every_enforcement_lever_at_least_at_its_baseline():
    preset = load_preset("max-pressure").params
    base = Params.defaults()
    for name in registry.names("lever"):
        parameter = registry.get(name)
        if not parameter.pressure:
            continue
        if parameter.pressure_order:
            order = [parameter.choices.index(c) for c in parameter.pressure_order]
            assert order.index(int(preset.scalar(name))) >= order.index(int(base.scalar(name))), name
        elif parameter.pressure == "up":
            assert preset.scalar(name) >= base.scalar(name), name
        else:
            assert preset.scalar(name) <= base.scalar(name), name


def test_russia_defects_goes_further_than_the_baseline():
    """At least two of its overrides differ from the baseline, each in Russia's favour, and all are Russia's own."""
    preset = load_preset("russia-defects")
    base = Params.defaults()
    changed = {k: v for k, v in preset.params.changed().items() if preset.params.scalar(k) != base.scalar(k)}
    assert len(changed) >= 2, changed
    for name in changed:
        parameter = registry.get(name)
        assert parameter.group == "russia", f"{name} is not Russia's lever"
        if parameter.pressure == "up" and not parameter.pressure_order:
            assert preset.params.scalar(name) < base.scalar(name), name


def test_the_war_escalating_is_its_own_preset():
    """The escalation left russia-defects (issue 27): war-escalates changes the war's demand and nothing else."""
    assert load_preset("war-escalates").params.changed() == {"war_demand_level": 1.5}
    assert "war_demand_level" not in load_preset("russia-defects").overrides


def test_a_claim_that_is_not_met_fails(baseline):
    """The claim check itself can fail: the baseline does not raise hard currency against itself."""
    results = simulate(load_preset("baseline").params)
    change = (
        results.headline(2027)["hard_currency_total_usd"] - baseline.headline(2027)["hard_currency_total_usd"]
    ) / (baseline.headline(2027)["hard_currency_total_usd"])
    assert not change >= 0.01
    assert np.isfinite(change)
