"""Presets and scenario files.

Metadata, headline regression, the story each preset tells, round trips, and bad files that are refused
with the file and the place named.
"""

import json
import os
from pathlib import Path

import numpy as np
import pytest

from model import Params, ScenarioFileError, simulate
from model.episodes import HISTORY, YEARS
from model.results import HARD_CURRENCY_CHANNELS
from model.scenarios import Scenario, from_params, load_preset, preset_names, save_scenario

REQUIRED = {
    "history",
    "baseline",
    "max-pressure",
    "russia-defects",
    "china-crackdown",
    "ukraine-ceasefire",
    "monitoring-restored",
}
SNAPSHOT = Path(__file__).with_name("data") / "preset_headlines.json"


def test_required_presets_ship():
    assert REQUIRED <= set(preset_names())


@pytest.mark.parametrize("name", sorted(REQUIRED))
def test_preset_has_title_description_and_provenance(name):
    scenario = load_preset(name)
    assert scenario.title and len(scenario.description) > 40
    assert scenario.provenance.get("sources") and scenario.provenance.get("reasoning")


def test_headlines_match_the_reviewed_snapshot():
    """Regression: headline outputs of every preset (regenerate with tests/regenerate_preset_headlines.py)."""
    from tests.regenerate_preset_headlines import headlines

    expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    actual = headlines()
    assert actual.keys() == expected.keys()
    for name, years in expected.items():
        for year, values in years.items():
            for key, value in values.items():
                assert actual[name][year][key] == pytest.approx(value, rel=1e-9, abs=1e-6), (name, year, key)


def _run(name):
    return simulate(load_preset(name).params)


def _after(results, array):
    return array[:, ~HISTORY]


def test_presets_share_the_same_history():
    base = _run("baseline")
    for name in REQUIRED:
        np.testing.assert_allclose(_run(name).lifeline_usd[:, HISTORY], base.lifeline_usd[:, HISTORY], rtol=1e-12)


def test_max_pressure_cuts_hard_currency_and_russias_role():
    base, pressure = _run("baseline"), _run("max-pressure")
    assert np.all(pressure.hard_currency_total_usd[:, ~HISTORY] < base.hard_currency_total_usd[:, ~HISTORY])
    assert np.all(pressure.lifeline_share[:, ~HISTORY, 1] < base.lifeline_share[:, ~HISTORY, 1])


def test_russia_defecting_raises_russias_share_of_flows():
    base, defects = _run("baseline"), _run("russia-defects")
    assert np.all(defects.lifeline_share[:, ~HISTORY, 1] >= base.lifeline_share[:, ~HISTORY, 1])
    # Net of oil purchases: paying more in oil moves Russia's payment from cash to barrels that cost nothing.
    assert np.all(defects.net_hard_currency_usd[:, ~HISTORY] >= base.net_hard_currency_usd[:, ~HISTORY])


def test_china_crackdown_shifts_flows_towards_russia():
    base, crackdown = _run("baseline"), _run("china-crackdown")
    china_flows = lambda r: r.lifeline_usd[:, ~HISTORY, :, 0].sum(axis=-1)  # noqa: E731
    assert np.all(china_flows(crackdown) < china_flows(base))
    assert np.all(crackdown.lifeline_share[:, ~HISTORY, 1] > base.lifeline_share[:, ~HISTORY, 1])


def test_ceasefire_ends_troop_pay_and_cuts_arms_after_its_year():
    base, ceasefire = _run("baseline"), _run("ukraine-ceasefire")
    arms = HARD_CURRENCY_CHANNELS.index("arms")
    year = load_preset("ukraine-ceasefire").overrides["ceasefire_year"]
    after = YEARS >= year
    assert np.all(ceasefire.troops_in_russia[:, after] == 0)
    assert np.all(ceasefire.hard_currency_usd[:, after, arms, 1] < base.hard_currency_usd[:, after, arms, 1])
    before = YEARS < year
    np.testing.assert_allclose(ceasefire.lifeline_usd[:, before], base.lifeline_usd[:, before], rtol=1e-12)


def test_restored_monitoring_lowers_covert_flows():
    base, monitored = _run("baseline"), _run("monitoring-restored")
    assert np.all(monitored.hard_currency_total_usd[:, ~HISTORY] < base.hard_currency_total_usd[:, ~HISTORY])


def test_history_preset_views_the_observed_years():
    scenario = load_preset("history")
    assert (scenario.first_year, scenario.last_year) == (2013, 2024)


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_saved_scenario_round_trips_exactly(tmp_path, suffix):
    params = Params.from_overrides(
        {
            "monitoring_regime": "none",
            "ceasefire_year": 2029,
            "include_cyber": False,
            "china_labour_enforcement": 0.123456789012345,
            "oil_need_bbl": 8.25e6,
        }
    )
    scenario = from_params(params, "mine", "My scenario", "A test", {"reasoning": "testing", "sources": []})
    path = save_scenario(scenario, tmp_path / f"mine{suffix}")
    loaded = load_preset(path)
    assert loaded.params == params
    assert loaded.to_data() == scenario.to_data()
    assert loaded.name == "mine"


def test_preset_round_trips_through_a_file(tmp_path):
    for name in preset_names():
        scenario = load_preset(name)
        loaded = load_preset(save_scenario(scenario, tmp_path / f"{name}.toml"))
        assert loaded.params == scenario.params and loaded.to_data() == scenario.to_data()


def _write(tmp_path, text, name="bad.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('title = "x"\n[overides]\nceasefire_year = 2027\n', r"unknown key 'overides'. Did you mean 'overrides'"),
        ('title = "x"\n[overrides]\nceasfire_year = 2027\n', r"\[overrides\]: unknown parameter 'ceasfire_year'"),
        (
            'title = "x"\n[overrides]\nceasefire_year = 2050\n',
            r"ceasefire_year = 2050 is out of range: allowed 2025 to 2036",
        ),
        ('title = "x"\n[overrides]\nstate_take = "half"\n', r"state_take = 'half' is not a number"),
        ('title = "x"\n[overrides\n', r"not valid TOML"),
        ("[overrides]\n", r"needs a title"),
        ('title = "x"\n[view]\nfirst_year = 2030\nlast_year = 2020\n', r"after last_year"),
        ('title = "x"\n[provenance]\nsources = ["nowhere"]\n', r"unknown source key 'nowhere'"),
    ],
)
def test_bad_scenario_files_name_file_and_place(tmp_path, text, expected):
    path = _write(tmp_path, text)
    with pytest.raises(ScenarioFileError, match=expected) as caught:
        load_preset(path)
    assert str(path) in str(caught.value)


def test_bad_json_and_unknown_names(tmp_path):
    with pytest.raises(ScenarioFileError, match="not valid JSON"):
        load_preset(_write(tmp_path, "{", "bad.json"))
    with pytest.raises(ScenarioFileError, match="neither a preset"):
        load_preset("maximum-pressure")
    with pytest.raises(ScenarioFileError, match="does not exist"):
        load_preset(tmp_path / "missing.toml")


def test_saving_never_damages_existing_files(tmp_path):
    target = tmp_path / "kept.toml"
    target.write_text("precious", encoding="utf-8")
    scenario = load_preset("baseline")
    with pytest.raises(ScenarioFileError, match="already exists"):
        save_scenario(scenario, target)
    assert target.read_text(encoding="utf-8") == "precious"
    broken = Scenario(name="b", title="Broken", description="", overrides={"state_take": 7})
    with pytest.raises(ScenarioFileError, match="state_take = 7 is out of range"):
        save_scenario(broken, target, overwrite=True)
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(os.listdir(tmp_path)) == ["kept.toml"]  # no temporary file left behind
    save_scenario(scenario, target, overwrite=True)
    assert load_preset(target).params == scenario.params
