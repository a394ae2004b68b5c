"""Validation of parameter values: one clear message naming parameter, value, unit and range."""

import math

import numpy as np
import pytest

from model import ParameterError, Params, registry


def test_defaults_match_registry():
    params = Params.defaults()
    for name, value in registry.defaults().items():
        assert params.scalar(name) == value


def test_values_are_frozen():
    params = Params.defaults()
    with pytest.raises(ValueError):
        params["oil_need_bbl"][0] = 1.0
    with pytest.raises(AttributeError):
        params.n_draws = 3


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("china_export_ban_enforcement", 1.5, "out of range"),
        ("china_export_ban_enforcement", -0.1, "out of range"),
        ("china_export_ban_enforcement", math.nan, "not a finite number"),
        ("oil_need_bbl", math.inf, "not a finite number"),
        ("oil_need_bbl", "lots", "not a number"),
        ("oil_need_bbl", [1, 2], "out of range"),
        ("ceasefire_year", 2027.5, "not a whole number"),
        ("include_cyber", "maybe", "not true or false"),
        ("monitoring_regime", "interpol", "not a known choice"),
        ("china_pipeline_cut", None, "wrong type"),
    ],
)
def test_bad_values_name_parameter_value_and_range(name, value, expected):
    parameter = registry.get(name)
    with pytest.raises(ParameterError) as caught:
        Params.from_overrides({name: value})
    message = str(caught.value)
    assert name in message
    assert expected in message
    assert caught.value.parameter == name
    assert parameter.allowed() in message  # the allowed range, with its unit


def test_range_message_carries_unit():
    with pytest.raises(ParameterError, match=r"5,500,000 to 9,000,000 bbl/yr"):
        Params.from_overrides({"oil_need_bbl": 1})


def test_unknown_name_suggests_nearest():
    with pytest.raises(ParameterError, match="Did you mean 'russia_oil_cap_enforcement'"):
        Params.from_overrides({"russia_oil_cap_enforcment": 0.5})


def test_constants_cannot_be_changed():
    with pytest.raises(ParameterError, match="constant"):
        Params.from_overrides({"first_projection_year": 2030})
    assert Params.from_overrides({"first_projection_year": 2025}) == Params.defaults()


def test_user_forms_are_accepted():
    params = Params.from_overrides(
        {"monitoring_regime": "none", "include_cyber": "false", "ceasefire_year": "2027", "oil_need_bbl": "8_000_000"}
    )
    assert params.display("monitoring_regime") == "none"
    assert params.display("include_cyber") is False
    assert params.display("ceasefire_year") == 2027
    assert params.scalar("oil_need_bbl") == 8_000_000
    assert params.changed() == {
        "monitoring_regime": "none",
        "include_cyber": False,
        "ceasefire_year": 2027,
        "oil_need_bbl": 8_000_000.0,
    }


def test_batch_overrides_broadcast_and_validate():
    batch = Params.from_overrides({"oil_need_bbl": np.linspace(5.5e6, 9e6, 5)})
    assert batch.n_draws == 5
    assert np.all(batch["state_take"] == registry.get("state_take").default)
    with pytest.raises(ParameterError, match=r"oil_need_bbl = 1\.0 is out of range"):
        Params.from_overrides({"oil_need_bbl": np.array([6e6, 1.0])})
    with pytest.raises(ParameterError, match="3 values but the batch has 5"):
        Params.from_overrides({"state_take": [0.6, 0.7, 0.8]}, base=batch)


def test_matrix_contract_validates_every_column():
    names = ["oil_need_bbl", "state_take"]
    params = Params.from_matrix(np.array([[6e6, 0.6], [7e6, 0.8]]), names)
    assert params.n_draws == 2
    with pytest.raises(ParameterError, match="state_take"):
        Params.from_matrix(np.array([[6e6, 0.6], [7e6, 1.8]]), names)
    with pytest.raises(ParameterError, match="does not match"):
        Params.from_matrix(np.ones((2, 3)), names)


def test_payment_weights_need_one_positive():
    zero = {f"russia_payment_{k}_weight": 0.0 for k in ("cash", "oil", "food", "technology")}
    with pytest.raises(ParameterError, match="all 0"):
        Params.from_overrides(zero)
    shares = Params.from_overrides({**zero, "russia_payment_food_weight": 0.3}).payment_shares()
    assert shares["food"][0] == 1.0 and shares["cash"][0] == 0.0


def test_rows_slice_a_batch():
    batch = Params.from_overrides({"oil_need_bbl": np.linspace(5.5e6, 9e6, 6)})
    part = batch.rows(2, 4)
    assert part.n_draws == 2
    assert np.array_equal(part["oil_need_bbl"], batch["oil_need_bbl"][2:4])
