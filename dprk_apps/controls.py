"""Controls built from the parameter registry: one row per parameter, panels, presets.

Every default, range, step and unit comes from :func:`model.registry.registry`; nothing here repeats one.

* :class:`ParameterControl` - one registry parameter as a widget row (slider, dropdown or checkbox).
* :class:`ControlPanel` - controls for chosen parameters, grouped by role and group; ``overrides()`` and
  ``params()`` read the values back, ``observe(fn)`` runs ``fn(panel)`` after every change.
* :class:`PresetChooser` - a preset dropdown and a reset-to-baseline button for a panel.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from functools import cache
from typing import Any

import ipywidgets as widgets

from dprk_apps.feedback import ErrorBox
from dprk_apps.typed import parse_typed
from dprk_teaching.tables import linked
from model import registry as _registry
from model.errors import ParameterError
from model.params import Params
from model.scenarios import BASELINE, Scenario, load_preset, preset_names

#: Section titles, in display order: levers by who pulls them, then assumptions by topic.
LEVER_SECTIONS = {
    "china": "China",
    "russia": "Russia",
    "un": "UN and monitoring",
    "world": "World",
    "dprk": "North Korea",
}
ASSUMPTION_SECTIONS = {
    "oil": "Oil",
    "labour": "Labour",
    "arms": "Arms",
    "trade": "Trade",
    "mechanism": "Mechanism",
    "cyber": "Cyber",
}

_ROW = widgets.Layout(width="100%")
_SECTION = widgets.Layout(width="370px", margin="0 12px 8px 0")


# ---------------------------------------------------------------------------------------------- names
def parameter_names(role: str = "lever", groups: Iterable[str] | None = None) -> list[str]:
    """Registry names of one role, optionally only those of some groups, in registry order.

    Parameters
    ----------
    role : {"lever", "uncertainty"}
        Policy levers or uncertain assumptions (constants have no controls).
    groups : iterable of str, optional
        Registry groups to keep, e.g. ``["china", "russia"]``.

    Returns
    -------
    list of str
    """
    wanted = None if groups is None else set(groups)
    return [n for n in _registry.names(role) if wanted is None or _registry.get(n).group in wanted]


def _decimals(step: float) -> int:
    """Decimals needed to show a step exactly (0.05 -> 2, 0.005 -> 3, 25000 -> 0)."""
    return max(0, -Decimal(repr(float(step))).normalize().as_tuple().exponent)


def _readout_format(parameter: _registry.Parameter) -> str:
    digits = _decimals(parameter.step)
    # Thousands separators for barrels and dollars; otherwise exactly the step's precision.
    return f",.{digits}f" if parameter.max >= 10_000 else f".{digits}f"


@cache
def _shared(kind: str) -> widgets.Widget:
    """Layouts and styles that every control row uses alike, one model each for the whole page.

    A page with the lab's 71 controls had about 1,800 widget models, most of them a layout or a style per
    widget; each is created, sent and rendered before the first figure shows. Only layouts that are never
    changed are shared (the message's and the info's are shown and hidden, so each row keeps its own).
    """
    factories = {
        "slider_layout": lambda: widgets.Layout(width="165px"),
        "slider_style": lambda: widgets.SliderStyle(description_width="0px"),
        "text_layout": lambda: widgets.Layout(width="95px"),
        "text_style": lambda: _style_class(widgets.Text)(),
        "html_style": lambda: _style_class(widgets.HTML)(),
        "auto_layout": lambda: widgets.Layout(),
        "toggle_layout": lambda: widgets.Layout(width="28px"),
        "toggle_style": lambda: _style_class(widgets.ToggleButton)(),
    }
    return factories[kind]()


def _style_class(widget_class: type[widgets.DOMWidget]) -> type[widgets.Widget]:
    """The style class a widget class takes, read from its public ``style`` trait (traitlets' ``klass``).

    ipywidgets exports ``SliderStyle`` but not the text, HTML and toggle styles; their classes are what the
    widget's own ``style`` trait makes, so no module of ipywidgets' is imported for them.
    """
    return widget_class.class_traits()["style"].klass


class ParameterControl:
    """One registry parameter as a widget row: title, value widget, unit and an info toggle.

    Attributes
    ----------
    parameter : model.registry.Parameter
    input : ipywidgets.ValueWidget
        ``FloatSlider``, ``IntSlider``, ``Dropdown`` (choice labels) or ``Checkbox``.
    text : ipywidgets.Text or None
        For numeric parameters, the box beside the slider that shows its value and takes typed
        values (the slider's own readout is hidden: it clamps what is typed without a word). A typed
        value is read by :func:`dprk_apps.typed.parse_typed`; a valid one moves the slider (rounded
        to its step, with a note), a bad one leaves the slider as it was. ``None`` for choices and
        switches.
    message : ipywidgets.HTML
        The note or refusal about the last typed value, shown under the slider; empty otherwise.
    info : ipywidgets.HTML
        Description and provenance, hidden until the ``i`` toggle is pressed.
    widget : ipywidgets.VBox
        The whole row, to display.

    Parameters
    ----------
    name : str
        Registry name (not a constant).
    build : bool
        Make the widgets now (default). With ``False`` they are made when one of them is first used
        (``input``, ``text``, ``message``, ``info``, ``toggle``, ``widget``, or :meth:`build`); until then
        :attr:`value` is kept here and observers of :meth:`observe_value` are told of changes. A page
        creates every widget a kernel has before it shows anything, so rows in a collapsed section
        are made when the section is opened.
    """

    #: Attributes that exist once the widgets are made; using one makes them.
    WIDGETS = frozenset({"input", "text", "message", "_info", "toggle", "widget"})

    def __init__(self, name: str, build: bool = True) -> None:
        p = self.parameter = _registry.get(name)
        if p.role == "constant":
            raise ValueError(f"{name} is a constant and has no control")
        self._built = False
        self._observers: list[Callable[[Mapping[str, Any]], None]] = []
        self._value: Any = self._widget_value(p.default)
        if build:
            self.build()

    def __getattr__(self, attribute: str) -> Any:
        # Only called for attributes not found: the widgets of a row not yet made.
        if attribute in ParameterControl.WIDGETS and not self.__dict__.get("_built", True):
            self.build()
            return getattr(self, attribute)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {attribute!r}")

    def observe_value(self, callback: Callable[[Mapping[str, Any]], None]) -> None:
        """Call ``callback(change)`` when the value changes (made or not; ``change["new"]`` is the value)."""
        self._observers.append(callback)
        if self._built:
            self.input.observe(callback, names="value")

    def build(self) -> None:
        """Make the row's widgets (once), showing the value kept so far."""
        if self._built:
            return
        self._built = True
        p, name = self.parameter, self.parameter.name
        common = {"layout": widgets.Layout(width="250px"), "style": {"description_width": "0px"}}
        slider = {"layout": _shared("slider_layout"), "style": _shared("slider_style"), "readout": False}
        if p.kind == "choice":
            options = list(zip(p.choice_labels, p.choices, strict=True))  # people read labels; values stay names
            self.input = widgets.Dropdown(options=options, value=self._value, **common)
        elif p.kind == "bool":
            self.input = widgets.Checkbox(value=self._value, indent=False, **common)
        elif p.kind == "int":
            self.input = widgets.IntSlider(
                value=self._value,
                min=int(p.min),
                max=int(p.max),
                step=int(p.step),
                continuous_update=False,
                **slider,
            )
        else:
            self.input = widgets.FloatSlider(
                value=self._value,
                min=p.min,
                max=p.max,
                step=p.step,
                readout_format=_readout_format(p),
                continuous_update=False,  # one model run per release, not a queue of them while dragging
                **slider,
            )
        self.input.add_class(f"param-{name}")
        self.input.tooltip = p.title
        message_layout = widgets.Layout(display="none", width="100%")
        self.message = widgets.HTML("", layout=message_layout, style=_shared("html_style"))
        self.message.add_class(f"param-{name}-message")
        self.text: widgets.Text | None = None
        self._syncing = False
        if p.kind in ("float", "int"):
            self.text = widgets.Text(
                value=self._shown(self.input.value),
                continuous_update=False,  # read on Enter or leaving the box, not on every key
                tooltip=f"{p.title}: type a value ({p.allowed()})",
                layout=_shared("text_layout"),
                style=_shared("text_style"),
            )
            self.text.add_class(f"param-{name}-text")
            self.input.observe(self._slider_moved, names="value")
            self.text.observe(self._typed, names="value")
        html_style = _shared("html_style")
        unit = widgets.HTML(
            f"<span style='color:#555'>{html.escape(p.unit)}</span>", layout=_shared("auto_layout"), style=html_style
        )
        self.toggle = widgets.ToggleButton(
            value=False,
            description="i",
            tooltip="Show description and sources",
            layout=_shared("toggle_layout"),
            style=_shared("toggle_style"),
        )
        # The description and sources are filled in when first shown: most rows are never opened, and the
        # page then loads without them (a property below returns them either way).
        self._info = widgets.HTML("", layout=widgets.Layout(display="none", width="100%"), style=html_style)
        self.toggle.observe(self._toggle_info, names="value")
        title = widgets.HTML(f"<b>{html.escape(p.title)}</b>", layout=_ROW, style=html_style)
        value_row = [self.input, unit, self.toggle] if self.text is None else [self.input, self.text, unit, self.toggle]
        row = widgets.HBox(value_row, layout=_shared("auto_layout"))
        self.widget = widgets.VBox([title, row, self.message, self._info], layout=_ROW)
        for callback in self._observers:
            self.input.observe(callback, names="value")

    @property
    def info(self) -> widgets.HTML:
        """The row's description and provenance (hidden until the ``i`` toggle is pressed)."""
        if not self._info.value:
            self._info.value = self._info_html()
        return self._info

    # ------------------------------------------------------------------ typed values
    def _shown(self, value: float) -> str:
        """The text box's form of a slider value (the readout format the slider would use)."""
        p = self.parameter
        return str(int(value)) if p.kind == "int" else format(float(value), _readout_format(p))

    def _say(self, text: str, refused: bool) -> None:
        """Show (or, with ``text=""``, hide) the message under the slider."""
        if not text:
            self.message.value, self.message.layout.display = "", "none"
            return
        colour = "#b00020" if refused else "#555"
        self.message.value = (
            f"<div style='font-size:90%;color:{colour};white-space:normal;line-height:1.3'>{html.escape(text)}</div>"
        )
        self.message.layout.display = ""

    def _show_value(self) -> None:
        assert self.text is not None
        self._syncing = True
        try:
            self.text.value = self._shown(self.input.value)
        finally:
            self._syncing = False

    def _slider_moved(self, _change: Mapping[str, Any]) -> None:
        self._show_value()
        self._say("", refused=False)  # a moved slider makes any earlier note stale

    def _typed(self, change: Mapping[str, Any]) -> None:
        if self._syncing:
            return
        typed = str(change["new"])
        try:
            internal, note = parse_typed(self.parameter, typed)
        except ParameterError as error:
            self._show_value()  # the box shows the value in use again; the message quotes what was typed
            self._say(f"{error} The value stays {self._shown(self.input.value)}.", refused=True)
            return
        self.input.value = int(internal) if self.parameter.kind == "int" else internal
        self._show_value()
        self._say(note, refused=False)

    def type_value(self, text: str) -> None:
        """Type ``text`` into the value box, as a person would (for tests and scripts).

        Parameters
        ----------
        text : str

        Raises
        ------
        ValueError
            For a choice or switch control, which has no value box.
        """
        if self.text is None:
            raise ValueError(f"{self.parameter.name} has no value box")
        if self.text.value == text:
            self._typed({"new": text})  # the same text again: no trait change, so read it directly
        else:
            self.text.value = text

    def _info_html(self) -> str:
        p = self.parameter
        provenance = linked(p.provenance() or "no source: see the description.")
        totals = f"<br><b>Totals:</b> {html.escape(p.totals_note)}" if p.totals_note else ""
        return (
            f"<div style='font-size:90%;line-height:1.3;white-space:normal'>{html.escape(p.description)}{totals}"
            f"<br><i>Default {html.escape(p.display(p.default))} {html.escape(p.unit)}; "
            f"allowed {html.escape(p.allowed())}.</i><br><span style='color:#555'>Provenance: {provenance}</span></div>"
        )

    def _toggle_info(self, change: Mapping[str, Any]) -> None:
        self.info.layout.display = "" if change["new"] else "none"  # ``info`` fills the text on first use

    @property
    def value(self) -> Any:
        """The user-form value: float rounded to the step's precision, int, bool or choice label."""
        raw = self.input.value if self._built else self._value
        if self.parameter.kind == "float":
            # Front-end sliders send values like 0.9500000000000001; keep exports clean.
            return round(float(raw), _decimals(self.parameter.step) + 2)
        return raw

    @value.setter
    def value(self, value: Any) -> None:
        new = self._widget_value(self.parameter.coerce(value))  # raises ParameterError for a bad value
        if self._built:
            self.input.value = new
            return
        old, self._value = self._value, new
        if new != old:  # what the widget's own observers would be told
            for callback in self._observers:
                callback({"name": "value", "old": old, "new": new, "owner": self, "type": "change"})

    def _widget_value(self, internal: float) -> Any:
        """The value widget's form of an internal value: choice name, bool, int or float."""
        p = self.parameter
        if p.kind == "choice":
            return p.choices[int(internal)]
        if p.kind == "bool":
            return bool(internal)
        return int(internal) if p.kind == "int" else internal

    def is_default(self) -> bool:
        """Whether the control shows the registry default."""
        p = self.parameter
        return abs(p.coerce(self.value) - p.default) <= 1e-9 * max(1.0, abs(p.default))


# ---------------------------------------------------------------------------------------------- panel
class ControlPanel:
    """Controls for the named parameters, grouped into sections, read back as an overrides dict.

    Levers are grouped China / Russia / UN and monitoring / World; uncertainties go in a separate
    "Assumptions" section (collapsed, its rows made when it is first opened), grouped by topic.

    Parameters
    ----------
    names : iterable of str
        Registry names to show (levers and/or uncertainties), e.g. from :func:`parameter_names`.
    title : str, optional
        Heading shown above the controls.

    Attributes
    ----------
    controls : dict of str to ParameterControl
        One per name; ``controls[name].input`` is the ipywidget (tests set ``.value`` on it).
    widget : ipywidgets.VBox
    scenario : model.scenarios.Scenario
        The scenario last loaded (presets, reset); values of parameters not shown come from it.
    """

    def __init__(self, names: Iterable[str], title: str = "") -> None:
        # Assumption rows are made when their collapsed section is first opened (see ParameterControl).
        self.controls = {
            name: ParameterControl(name, build=_registry.get(name).role != "uncertainty") for name in names
        }
        self.scenario: Scenario = load_preset(BASELINE)
        self._callbacks: list[Callable[[ControlPanel], None]] = []
        self._holding = 0
        self._pending = False
        for control in self.controls.values():
            control.observe_value(self._changed)
        self.widget = self._layout(title)

    def _layout(self, title: str) -> widgets.VBox:
        def section(heading: str, names: list[str]) -> widgets.VBox:
            rows = [self.controls[n].widget for n in names]
            return widgets.VBox(
                [widgets.HTML(f"<h4 style='margin:4px 0'>{html.escape(heading)}</h4>"), *rows], layout=_SECTION
            )

        def sections(kind: dict[str, str], role: str) -> list[widgets.VBox]:
            names = [n for n, c in self.controls.items() if c.parameter.role == role]
            groups = list(kind) + sorted({self.controls[n].parameter.group for n in names} - set(kind))
            found = []
            for group in groups:
                members = [n for n in names if self.controls[n].parameter.group == group]
                if members:
                    found.append(section(kind.get(group, group.capitalize()), members))
            return found

        wrap = widgets.Layout(display="flex", flex_flow="row wrap", width="100%")
        parts: list[widgets.Widget] = []
        if title:
            parts.append(widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(title)}</h3>"))
        levers = sections(LEVER_SECTIONS, "lever")
        if levers:
            parts.append(widgets.Box(levers, layout=wrap))
        if any(c.parameter.role == "uncertainty" for c in self.controls.values()):
            # Filled when first opened: about half of the lab's widgets are these rows.
            content = widgets.Box([], layout=wrap)
            self.assumptions = widgets.Accordion([content], selected_index=None)
            self.assumptions.set_title(0, "Assumptions (uncertain facts, not policy choices)")

            def fill(change: Mapping[str, Any]) -> None:
                if change["new"] is not None and not content.children:
                    content.children = tuple(sections(ASSUMPTION_SECTIONS, "uncertainty"))

            self.assumptions.observe(fill, names="selected_index")
            parts.append(self.assumptions)
        return widgets.VBox(parts, layout=_ROW)

    def open_assumptions(self) -> None:
        """Open the collapsed assumptions section (its rows are made now if they were not yet)."""
        if hasattr(self, "assumptions"):
            self.assumptions.selected_index = 0

    # ------------------------------------------------------------------ reading values
    @property
    def names(self) -> list[str]:
        """Names of the parameters shown."""
        return list(self.controls)

    def overrides(self) -> dict[str, Any]:
        """User-form values that differ from the registry defaults.

        The loaded scenario's values for parameters not shown, and the shown controls' values.
        """
        result = {k: v for k, v in self.scenario.overrides.items() if k not in self.controls}
        result.update({n: c.value for n, c in self.controls.items() if not c.is_default()})
        return result

    def params(self) -> Params:
        """The validated parameter set of the current values.

        Raises
        ------
        model.errors.ParameterError
            When the values together are not valid (e.g. all four Russian payment weights at 0).
        """
        return Params.from_overrides(self.overrides())

    def is_edited(self) -> bool:
        """Whether the values differ from the scenario last loaded."""
        return self.params() != self.scenario.params

    def values(self) -> dict[str, Any]:
        """User-form values of every shown control."""
        return {n: c.value for n, c in self.controls.items()}

    # ------------------------------------------------------------------ changing values
    def observe(self, callback: Callable[[ControlPanel], None]) -> None:
        """Call ``callback(panel)`` after every change (once per :meth:`hold` block)."""
        self._callbacks.append(callback)

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Change several values and notify observers once, at the end."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1
            if not self._holding and self._pending:
                self._pending = False
                self._notify()

    def set_values(self, values: Mapping[str, Any]) -> None:
        """Set shown controls (user or internal form); observers run once. Unknown names raise."""
        with self.hold():
            for name, value in values.items():
                if name not in self.controls:
                    raise _registry.unknown_name_error(name, "this panel has no control for it")
                self.controls[name].value = value

    def load(self, scenario: Scenario | str) -> None:
        """Show a scenario (a :class:`~model.scenarios.Scenario`, a preset name or a file path)."""
        scenario = load_preset(scenario) if isinstance(scenario, str) else scenario
        with self.hold():
            self.scenario = scenario
            for name, control in self.controls.items():
                p = control.parameter
                control.value = scenario.overrides.get(name, p.default)
            self._pending = True  # hidden values may have changed even if no control moved

    def reset(self) -> None:
        """Back to the baseline preset."""
        self.load(BASELINE)

    def _changed(self, _change: Mapping[str, Any]) -> None:
        if self._holding:
            self._pending = True
        else:
            self._notify()

    def _notify(self) -> None:
        for callback in self._callbacks:
            callback(self)


# ---------------------------------------------------------------------------------------------- presets
def offered_presets() -> list[str]:
    """The presets a chooser offers: every shipped one whose levers differ from the baseline's, and the baseline.

    A preset with the baseline's values (``history``: it describes 2013-2024, which no lever changes)
    would change nothing visible when chosen in an app, so it is left out of the choosers.
    """
    baseline = load_preset(BASELINE).params
    return [n for n in preset_names() if n == BASELINE or load_preset(n).params != baseline]


# The preset's description and the "edited" note: wrapped lines at text spacing (the widget's own line height
# is a control's, 28 px, which set a three-line note a blank line apart).
_NOTE_STYLE = "font-size:90%;color:#444;white-space:normal;line-height:1.35"


class PresetChooser:
    """A dropdown of the shipped presets and a reset-to-baseline button, driving a panel.

    Parameters
    ----------
    panel : ControlPanel
    names : iterable of str, optional
        Presets offered (default: all shipped ones, in teaching order).
    errors : ErrorBox, optional
        Where a failing load is reported.

    Attributes
    ----------
    dropdown : ipywidgets.Dropdown
        Options are ``(title, name)``; setting ``dropdown.value = "max-pressure"`` loads that preset.
    reset_button : ipywidgets.Button
    widget : ipywidgets.HBox
    """

    def __init__(self, panel: ControlPanel, names: Iterable[str] | None = None, errors: ErrorBox | None = None):
        self.panel = panel
        options = [(load_preset(n).title, n) for n in (names if names is not None else offered_presets())]
        self.dropdown = widgets.Dropdown(
            options=options,
            value=BASELINE if BASELINE in [n for _, n in options] else options[0][1],
            description="Preset",
            layout=widgets.Layout(width="370px", max_width="100%"),  # fits the controls column
        )
        # Wide enough for its whole label with the icon (ipywidgets' default 148 px cut it to "Reset to baseli…").
        self.reset_button = widgets.Button(
            description="Reset to baseline",
            icon="undo",
            button_style="warning",
            layout=widgets.Layout(width="auto", min_width="170px"),
        )
        self.description = widgets.HTML(self._describe(self.dropdown.value), layout=_ROW)
        load = errors.guard(self._load) if errors else self._load
        reset = errors.guard(self._reset) if errors else self._reset
        self.dropdown.observe(load, names="value")
        self.reset_button.on_click(reset)
        panel.observe(self._refresh)
        row = widgets.HBox([self.dropdown, self.reset_button], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([row, self.description])

    @staticmethod
    def _describe(scenario: Scenario | str) -> str:
        scenario = load_preset(scenario) if isinstance(scenario, str) else scenario
        return f"<div style='{_NOTE_STYLE}'>{html.escape(scenario.description)}</div>"

    def edited(self) -> list[str]:
        """Titles of the shown parameters whose values differ from the preset last loaded (empty: not edited)."""
        loaded = self.panel.scenario.overrides
        changed = []
        for name, control in self.panel.controls.items():
            p = control.parameter
            if p.coerce(control.value) != p.coerce(loaded.get(name, p.default)):
                changed.append(p.title)
        return changed

    def _refresh(self, _panel: ControlPanel) -> None:
        """After every change: the preset's description, or an "edited" note naming what was changed."""
        changed = self.edited()
        if not changed:
            self.description.value = self._describe(self.panel.scenario)
            return
        shown = ", ".join(changed[:4]) + (f" and {len(changed) - 4} more" if len(changed) > 4 else "")
        title = html.escape(self.panel.scenario.title)
        self.description.value = (
            f"<div class='preset-edited' style='{_NOTE_STYLE}'>"
            f"<b>Edited:</b> {title} with {len(changed)} change{'s' if len(changed) > 1 else ''} "
            f"({html.escape(shown)}). Choose a preset or <i>Reset to baseline</i> to start again.</div>"
        )

    def _load(self, change: Mapping[str, Any]) -> None:
        self.panel.load(change["new"])
        self.description.value = self._describe(change["new"])

    def _reset(self, _button: Any = None) -> None:
        if self.dropdown.value == BASELINE:
            self.panel.reset()  # the dropdown does not fire when its value stays the same
        else:
            self.dropdown.value = BASELINE


__all__ = [
    "ASSUMPTION_SECTIONS",
    "LEVER_SECTIONS",
    "ControlPanel",
    "ParameterControl",
    "PresetChooser",
    "offered_presets",
    "parameter_names",
]
