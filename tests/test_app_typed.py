"""Typed values in the app's controls: read generously, refused with a message, never silently changed."""

import pytest

import dprk_apps as ui
from dprk_apps.typed import parse_typed, takes_percent, unit_words
from model import registry
from model.errors import ParameterError

OIL = "refined_oil_cap_bbl"  # 100,000 to 4,500,000 bbl/yr, step 25,000
EXPORT = "china_export_ban_enforcement"  # fraction 0 to 1, step 0.05
YEAR = "ceasefire_year"  # int 2025 to 2036
ROUND_PRICE = "price_per_round_usd"  # USD/round 300 to 1,000, step 10


def parsed(name, text):
    return parse_typed(registry.get(name), text)


# ---------------------------------------------------------------------------------------------- parse_typed
@pytest.mark.parametrize(
    ("name", "text", "value"),
    [
        (OIL, "1,000,000", 1_000_000),
        (OIL, "1 000 000", 1_000_000),
        (OIL, "1_000_000", 1_000_000),
        (OIL, "1\u00a0000\u00a0000", 1_000_000),
        (OIL, "1'000'000", 1_000_000),
        (OIL, "500,000 bbl", 500_000),
        (OIL, "500000 bbl/yr", 500_000),
        (OIL, "500,000 BBL", 500_000),
        (OIL, "  +750000  ", 750_000),
        (OIL, "2.5e6", 2_500_000),
        (OIL, "100000", 100_000),  # the minimum itself
        (OIL, "4,500,000", 4_500_000),  # the maximum itself
        (EXPORT, "95%", 0.95),
        (EXPORT, " 20 % ", 0.2),
        (EXPORT, "0.35", 0.35),
        (EXPORT, ".5", 0.5),
        (EXPORT, "+1", 1.0),
        (EXPORT, "0", 0.0),
        (YEAR, "2030", 2030),
        (YEAR, "2030.0", 2030),
        (YEAR, "2,030", 2030),
        (ROUND_PRICE, "$500", 500),
        (ROUND_PRICE, "500 USD", 500),
        ("war_demand_level", "150%", 1.5),  # a multiple takes a percent too
    ],
)
def test_accepted_texts(name, text, value):
    assert parsed(name, text) == (pytest.approx(value), "")


@pytest.mark.parametrize(
    ("name", "text", "problem"),
    [
        (OIL, "", "is empty"),
        (OIL, "   ", "is empty"),
        (OIL, "abc", "is not a number"),
        (OIL, "nan", "is not a finite number"),
        (OIL, "NaN", "is not a finite number"),
        (OIL, "inf", "is not a finite number"),
        (OIL, "-Infinity", "is not a finite number"),
        (OIL, "1e400", "is not a finite number"),
        (OIL, "-5", "is out of range"),
        (OIL, "1e9", "is out of range"),
        (OIL, "99,999", "is out of range"),
        (OIL, "4,500,001", "is out of range"),
        (OIL, "1,5", "thousands separators group three digits"),
        (OIL, "1,000 000", "thousands separators group three digits"),
        (OIL, "10,00,000", "thousands separators group three digits"),
        (OIL, "1,000,000 kg", "has the unit 'kg'"),
        (OIL, "50%", "percent sign"),
        (OIL, ".", "is not a number"),
        (OIL, "--5", "is not a number"),
        (OIL, "1e", "has the unit 'e'"),
        (EXPORT, "1e9", "is out of range"),
        (EXPORT, "-5", "is out of range"),
        (EXPORT, "101%", "is out of range"),
        (EXPORT, "1.01", "is out of range"),
        (YEAR, "1999", "is out of range"),
        (YEAR, "2037", "is out of range"),
        (YEAR, "2030.5", "is not a whole number"),
    ],
)
def test_refused_texts_name_parameter_text_and_range(name, text, problem):
    p = registry.get(name)
    with pytest.raises(ParameterError) as caught:
        parse_typed(p, text)
    message = str(caught.value)
    assert problem in message
    assert p.name in message and p.title in message
    assert repr(text) in message
    assert p.allowed() in message
    assert caught.value.parameter == p.name and caught.value.value == text


@pytest.mark.parametrize(
    ("name", "text", "value", "note"),
    [
        (EXPORT, "0.93", 0.95, "rounded to 0.95 (the slider's step is 0.05)"),
        (EXPORT, "0.92", 0.9, "rounded to 0.9 (the slider's step is 0.05)"),
        (EXPORT, "93%", 0.95, "rounded to 0.95 (the slider's step is 0.05)"),
        (OIL, "1,010,000", 1_000_000, "rounded to 1,000,000 (the slider's step is 25,000)"),
        (OIL, "4,499,999", 4_500_000, "rounded to 4,500,000 (the slider's step is 25,000)"),
        ("china_trade_share_potential", "0.9555", 0.955, "rounded to 0.955 (the slider's step is 0.005)"),
    ],
)
def test_values_between_steps_are_rounded_and_say_so(name, text, value, note):
    p = registry.get(name)
    got, said = parse_typed(p, text)
    assert got == pytest.approx(value)
    assert got in p.positions()
    assert note in said and p.title in said and repr(text) in said


SHOWN = ui.parameter_names("lever") + ui.parameter_names("uncertainty")
NUMERIC = [n for n in SHOWN if registry.get(n).kind in ("float", "int")]


@pytest.mark.parametrize("name", NUMERIC)
def test_every_slider_position_typed_as_shown_comes_back(name):
    p = registry.get(name)
    control = ui.ParameterControl(name)
    for position in p.positions()[:: max(1, len(p.positions()) // 7)]:
        assert parse_typed(p, control._shown(position)) == (pytest.approx(position), "")


def test_percent_and_units_per_parameter():
    assert takes_percent(registry.get(EXPORT)) and takes_percent(registry.get("russia_payment_oil_weight"))
    assert not takes_percent(registry.get(OIL)) and not takes_percent(registry.get(YEAR))
    assert {"bbl/yr", "bbl"} <= unit_words(registry.get(OIL))
    assert {"year", "years"} <= unit_words(registry.get(YEAR))


def test_choice_and_switch_take_no_typed_numbers():
    with pytest.raises(ValueError, match="only numbers"):
        parsed("monitoring_regime", "1")
    with pytest.raises(ValueError, match="only numbers"):
        parsed("include_cyber", "1")


# ---------------------------------------------------------------------------------------------- widgets
def _message(control):
    return control.message.value.replace("&#x27;", "'")


def test_typed_value_moves_slider_and_model():
    panel = ui.ControlPanel([OIL, YEAR, EXPORT])
    calls = []
    panel.observe(lambda p: calls.append(p.params()))
    oil = panel.controls[OIL]
    oil.text.value = "1,000,000"
    assert oil.input.value == 1_000_000
    assert oil.text.value == "1,000,000"
    assert oil.message.value == "" and oil.message.layout.display == "none"
    assert panel.params().scalar("refined_oil_cap_bbl") == 1_000_000
    assert len(calls) == 1


@pytest.mark.parametrize("text", ["abc", "-5", "NaN", "", "1e9", "1,5", "50%"])
def test_bad_value_is_refused_next_to_its_control(text):
    panel = ui.ControlPanel([OIL, EXPORT])
    calls = []
    panel.observe(lambda p: calls.append(p.params()))
    before = panel.params()
    oil = panel.controls[OIL]
    oil.type_value(text)
    assert oil.input.value == 500_000  # the previous valid value stays
    assert oil.text.value == "500,000"
    assert panel.params() == before and calls == []  # the model did not run
    shown = _message(oil)
    assert oil.message.layout.display != "none"
    assert oil.message in oil.widget.children  # in the control's own row
    assert repr(text) in shown and OIL in shown and "100,000 to 4,500,000 bbl/yr" in shown
    assert "stays 500,000" in shown
    assert panel.controls[EXPORT].message.value == ""  # other controls say nothing
    # The next valid value works and clears the message.
    oil.type_value("750 000")
    assert oil.input.value == 750_000 and panel.params().scalar("refined_oil_cap_bbl") == 750_000
    assert oil.message.value == "" and len(calls) == 1


def test_year_out_of_range_and_fraction_refused():
    panel = ui.ControlPanel([YEAR])
    year = panel.controls[YEAR]
    for text in ("1999", "2030.5"):
        year.type_value(text)
        assert year.input.value == 2036 and panel.params().scalar("ceasefire_year") == 2036
        assert repr(text) in _message(year) and "2025 to 2036 year" in _message(year)
    year.type_value("2030")
    assert year.input.value == 2030 and panel.params().scalar("ceasefire_year") == 2030
    assert year.message.value == ""


def test_rounded_value_says_so():
    panel = ui.ControlPanel([EXPORT])
    export = panel.controls[EXPORT]
    export.type_value("0.93")
    assert export.input.value == pytest.approx(0.95)
    assert export.text.value == "0.95"
    assert "rounded to 0.95 (the slider's step is 0.05)" in _message(export)
    export.type_value("0.93")  # the same text again still gets its note
    assert "rounded to 0.95" in _message(export)
    export.type_value("40%")
    assert export.input.value == pytest.approx(0.4) and panel.params().scalar("china_export_ban_enforcement") == 0.4
    assert export.message.value == ""


def test_moving_slider_updates_box_and_clears_message():
    panel = ui.ControlPanel([OIL])
    oil = panel.controls[OIL]
    oil.type_value("abc")
    assert oil.message.value
    oil.input.value = 1_250_000
    assert oil.text.value == "1,250,000"
    assert oil.message.value == ""
    panel.load("max-pressure")
    assert oil.text.value == oil._shown(oil.input.value)


def test_only_numeric_controls_get_a_box():
    assert ui.ParameterControl("monitoring_regime").text is None
    assert ui.ParameterControl("include_cyber").text is None
    with pytest.raises(ValueError, match="no value box"):
        ui.ParameterControl("include_cyber").type_value("1")
    slider = ui.ParameterControl(OIL).input
    assert slider.readout is False  # the slider's own readout would clamp typed values silently
