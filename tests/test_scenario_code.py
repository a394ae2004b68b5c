"""Scenario codes: exact round trips, the same results, short codes for presets, clear refusals, stable numbers."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dprk_cli import main
from model import registry, simulate
from model.errors import ParameterError
from model.scenario_code import (
    ALPHABET,
    VERSION,
    ScenarioCodeError,
    _tables,
    _zigzag,
    canonical,
    decode,
    encode,
    load_code,
    parameter_codes,
    preset_codes,
    scenario_code,
)
from model.scenarios import load_preset, preset_names, save_scenario
from model.timeline import FIRST_YEAR, LAST_YEAR
from tests.bad_codes import BAD_CODES
from tests.bad_codes import raw_code as _raw

KNOWN = Path(__file__).with_name("data") / "scenario_codes.json"


def _random_state(rng: np.random.Generator) -> dict:
    """Some parameters moved to a random value in range: on the slider grid, or anywhere (a typed value)."""
    names = registry.names()
    state = {}
    for name in rng.choice(names, size=int(rng.integers(0, 12)), replace=False):
        p = registry.get(str(name))
        if p.kind == "choice":
            state[p.name] = p.choices[int(rng.integers(len(p.choices)))]
        elif p.kind == "bool":
            state[p.name] = bool(rng.integers(2))
        elif p.kind == "int":
            state[p.name] = int(rng.integers(int(p.min), int(p.max) + 1))
        elif rng.random() < 0.5:
            steps = round((p.max - p.min) / p.step)
            state[p.name] = float(min(p.max, p.min + p.step * int(rng.integers(steps + 1))))
        else:
            state[p.name] = float(rng.uniform(p.min, p.max))
    return state


def _same_values(a: dict, b: dict) -> bool:
    from model.params import Params

    pa, pb = Params.from_overrides(a), Params.from_overrides(b)
    return all(np.array_equal(pa[n], pb[n]) for n in registry.names())


@pytest.mark.parametrize("name", preset_names())
def test_every_preset_has_a_short_code_that_opens_it_exactly(name):
    preset = load_preset(name)
    code = scenario_code(preset)
    assert 7 <= len(code) <= 55
    state = decode(code)
    assert (state.preset, state.first_year, state.last_year) == (name, preset.first_year, preset.last_year)
    assert _same_values(state.values(), preset.overrides)
    assert scenario_code(load_code(code)) == code


def test_two_hundred_random_states_round_trip_exactly_and_give_the_same_results():
    rng = np.random.default_rng(20240328)
    for _ in range(200):
        values = _random_state(rng)
        preset = str(rng.choice(preset_names()))
        first = int(rng.integers(FIRST_YEAR, LAST_YEAR + 1))
        last = int(rng.integers(first, LAST_YEAR + 1))
        code = encode(values, preset, first, last)
        state = decode(code)
        assert encode(state.values(), state.preset, state.first_year, state.last_year) == code
        assert (state.first_year, state.last_year) == (first, last)
        wanted = values  # a state is its values over the registry defaults, whichever preset the code starts from
        assert _same_values(state.values(), wanted), code
    # Same results: the model sees the same parameters, so every outcome is identical.
    opened = load_code(code).params
    from model.params import Params

    expected = simulate(Params.from_overrides(wanted))
    assert np.array_equal(simulate(opened).hard_currency_usd, expected.hard_currency_usd)
    assert np.array_equal(simulate(opened).oil_supply_bbl, expected.oil_supply_bbl)


@given(st.data())
def test_any_value_in_range_survives_the_code(data):
    name = data.draw(st.sampled_from([n for n in registry.names() if registry.get(n).kind == "float"]))
    p = registry.get(name)
    value = data.draw(st.floats(min_value=p.min, max_value=p.max, allow_nan=False))
    state = decode(encode({name: value}, "baseline"))
    assert state.values().get(name, p.default) == value


def test_the_shortest_code_is_chosen_and_canonical_form_is_forgiving():
    code = scenario_code(load_preset("max-pressure"))
    assert encode(load_preset("max-pressure").overrides) == code  # the preset itself: no changes listed
    sloppy = " " + code.lower().replace("-", " ").replace("1", "l").replace("0", "o") + " "
    assert canonical(sloppy) == code and decode(sloppy) == decode(code)


def test_a_state_equal_to_a_preset_default_is_written_as_a_change():
    # max-pressure raises China's smuggling enforcement; a state that puts it back to the default must say so.
    default = registry.get("china_smuggling_enforcement").default
    state = decode(encode({"china_smuggling_enforcement": default}, "max-pressure"))
    assert state.values()["china_smuggling_enforcement"] == default


@pytest.mark.parametrize(
    ("code", "message"),
    BAD_CODES,
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "long",
)
def test_malformed_codes_are_refused_with_a_clear_message(code, message):
    with pytest.raises(ScenarioCodeError, match=message):
        decode(code)


def test_a_value_out_of_range_names_the_parameter_value_and_range():
    number = parameter_codes()["china_smuggling_enforcement"]
    with pytest.raises(ParameterError, match=r"china_smuggling_enforcement = 7\.0.*allowed"):
        decode(_raw(VERSION, 1, 0, 1, number, _zigzag(7), _zigzag(0)))


def test_a_parameter_given_twice_is_refused():
    number = parameter_codes()["china_smuggling_enforcement"]
    with pytest.raises(ScenarioCodeError, match="twice"):
        decode(_raw(VERSION, 1, 0, 2, number, 2, 0, number, 2, 0))


def test_a_retired_parameter_gives_its_reason(monkeypatch):
    tables = {**_tables(), "retired": {"parameters": {"9000": "merged into china_smuggling_enforcement in 2027"}}}
    monkeypatch.setattr("model.scenario_code._tables", lambda: tables)
    with pytest.raises(ScenarioCodeError, match="no longer has: merged into"):
        decode(_raw(VERSION, 1, 0, 1, 9000, 2, 0))


def test_every_single_symbol_typo_is_caught():
    code = encode({"china_smuggling_enforcement": 0.9, "refined_oil_cap_bbl": 4_500_000}, "russia-defects")
    symbols = code.replace("-", "")
    for index, original in enumerate(symbols):
        for replacement in ALPHABET:
            if replacement == original:
                continue
            typo = symbols[:index] + replacement + symbols[index + 1 :]
            with pytest.raises(ScenarioCodeError):
                decode(typo)


def test_every_parameter_and_preset_has_one_fixed_number_never_reused():
    params, presets = parameter_codes(), preset_codes()
    assert set(params) == set(registry.names())
    assert set(presets) == set(preset_names())
    assert len(set(params.values())) == len(params) and len(set(presets.values())) == len(presets)
    retired = _tables().get("retired", {})
    assert not {int(n) for n in retired.get("parameters", {})} & set(params.values())
    assert not {int(n) for n in retired.get("presets", {})} & set(presets.values())


def test_codes_made_by_earlier_versions_still_open_the_same_state():
    known = json.loads(KNOWN.read_text(encoding="utf-8"))
    assert len(known) >= 8
    for entry in known:
        state = decode(entry["code"])
        assert state.preset == entry["preset"] and [state.first_year, state.last_year] == entry["view"]
        assert _same_values(state.overrides, entry["overrides"]) and set(state.overrides) == set(entry["overrides"])


def test_the_command_line_prints_a_code_and_runs_it(tmp_path, capsys):
    assert main(["scenario-code", "russia-defects"]) == 0
    code = capsys.readouterr().out.strip()
    assert code == scenario_code(load_preset("russia-defects"))
    assert main(["run", "--code", code, "--csv", str(tmp_path / "a.csv")]) == 0
    assert main(["run", "russia-defects", "--csv", str(tmp_path / "b.csv")]) == 0
    a, b = ((tmp_path / f).read_text(encoding="utf-8").splitlines() for f in ("a.csv", "b.csv"))
    assert len(a) == len(b) and a[1:] == b[1:]  # the same numbers (the scenario's name is not in the rows)


@pytest.mark.parametrize(
    "argv", [["run", "--code", "NOT-A-CODE!"], ["run", "baseline", "--code", "1100-0Z"], ["run"]], ids=str
)
def test_a_bad_code_on_the_command_line_is_one_message_and_nothing_written(argv, tmp_path, capsys):
    target = tmp_path / "out.csv"
    assert main([*argv, "--csv", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert not target.exists()


def test_a_saved_toml_scenario_carries_its_code(tmp_path):
    scenario = load_code(encode({"china_smuggling_enforcement": 0.9}, "baseline"))
    path = save_scenario(scenario, tmp_path / "mine.toml")
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("# Scenario code: ") and scenario_code(load_preset(str(path))) in first
