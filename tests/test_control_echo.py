"""A lever's echo: sent once a page-set value is handled, with the kernel's value (dprk_apps.controls)."""

import ipywidgets as widgets
import pytest
from ipywidgets.widgets import widget as ipywidgets_widget

from dprk_apps.controls import ControlPanel, LeverFloatSlider, LeverIntSlider, LeverText

FLOAT = "russia_arms_enforcement"  # fraction 0 to 1
INT = "ceasefire_year"  # 2025 to 2036
OIL = "refined_oil_cap_bbl"  # 100,000 to 4,500,000 bbl/yr


class Wire:
    """What the kernel sends to the page, in order: (widget name, method, state)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, dict]] = []

    def tap(self, widget: widgets.Widget, name: str) -> None:
        widget._send = lambda msg, buffers=None: self.messages.append((name, msg["method"], dict(msg["state"])))

    def methods(self, name: str) -> list[str]:
        return [method for who, method, _ in self.messages if who == name]


@pytest.fixture
def wire():
    return Wire()


def panel_with(wire: Wire, name: str):
    panel = ControlPanel([name])
    control = panel.controls[name]
    control.build()
    wire.tap(control.input, "slider")
    wire.tap(control.text, "text")
    return panel, control


def test_lever_widgets_are_the_echo_after_kind():
    panel = ControlPanel([FLOAT, INT])
    for name in (FLOAT, INT):
        panel.controls[name].build()
    assert isinstance(panel.controls[FLOAT].input, LeverFloatSlider)
    assert isinstance(panel.controls[INT].input, LeverIntSlider)
    assert all(isinstance(panel.controls[name].text, LeverText) for name in (FLOAT, INT))


def test_a_plain_slider_echoes_before_its_observers_run(wire):
    """The behaviour replaced: ipywidgets echoes first (if this changes, the mixin may be moot)."""
    slider, box = widgets.FloatSlider(value=0.2), widgets.Text()
    slider.observe(lambda change: setattr(box, "value", str(change["new"])), names="value")
    wire.tap(slider, "slider")
    wire.tap(box, "text")
    slider.set_state({"value": 0.4})
    assert [(who, method) for who, method, _ in wire.messages] == [("slider", "echo_update"), ("text", "update")]


@pytest.mark.parametrize("name", [FLOAT, INT])
def test_a_moved_slider_is_echoed_once_after_what_the_move_changed(wire, name):
    panel, control = panel_with(wire, name)
    seen = []
    panel.observe(lambda p: seen.append(p.controls[name].value))
    up = control.input.value + control.input.step
    target = up if up <= control.input.max else control.input.value - control.input.step
    control.input.set_state({"value": target})
    assert seen == [pytest.approx(target)]  # the move was handled
    assert wire.methods("slider") == ["echo_update"]  # one echo, no echo first
    assert wire.messages[-1] == ("slider", "echo_update", {"value": pytest.approx(target)})
    assert ("text", "update", {"value": control.text.value}) in wire.messages[:-1]  # the box changed before


def test_the_echo_carries_the_kernels_value_not_the_pages(wire):
    """A slider value beyond the range is clamped by the kernel; the page is told the clamped value."""
    _panel, control = panel_with(wire, FLOAT)
    control.input.set_state({"value": 7.0})
    assert control.input.value == control.input.max
    assert wire.messages[-1] == ("slider", "echo_update", {"value": control.input.max})


def test_a_refused_typed_value_is_echoed_as_the_value_in_use(wire):
    _panel, control = panel_with(wire, OIL)
    shown = control.text.value
    control.text.set_state({"value": "abc"})
    assert control.text.value == shown
    assert wire.messages[-1] == ("text", "echo_update", {"value": shown})
    assert wire.methods("text") == ["update", "echo_update"]  # the box restored, then the echo
    assert "is not a number" in control.message.value


def test_an_accepted_typed_value_moves_the_slider_then_is_echoed(wire):
    _panel, control = panel_with(wire, OIL)
    control.text.set_state({"value": "1,000,000"})
    assert control.input.value == 1_000_000
    assert wire.messages[-1] == ("text", "echo_update", {"value": control.text.value})
    assert ("slider", "update", {"value": 1_000_000}) in wire.messages[:-1]


def test_values_the_kernel_sets_still_reach_the_page(wire):
    """A preset or reset moves a slider from the kernel: an ordinary update, no echo."""
    _panel, control = panel_with(wire, FLOAT)
    control.input.value = 0.65
    assert ("slider", "update", {"value": 0.65}) in wire.messages
    assert "echo_update" not in wire.methods("slider")


def test_no_echo_when_ipywidgets_echo_is_switched_off(wire, monkeypatch):
    monkeypatch.setattr(ipywidgets_widget, "JUPYTER_WIDGETS_ECHO", False)
    _panel, control = panel_with(wire, FLOAT)
    control.input.set_state({"value": 0.5})
    assert control.input.value == 0.5
    assert "echo_update" not in wire.methods("slider")
