"""Notebook controls built from the parameter registry (ipywidgets). Imported only by notebooks.

Every default, range, step and unit comes from :func:`model.registry.registry`; nothing here repeats one.
The public pieces, each with a ``.widget`` to display:

* :class:`ControlPanel` - controls for chosen parameters, grouped by role and group; ``overrides()`` and
  ``params()`` read the values back, ``observe(fn)`` runs ``fn(panel)`` after every change.
* :class:`PresetChooser` - a preset dropdown and a reset-to-baseline button for a panel.
* :class:`ErrorBox` - shows callback errors in the notebook (``guard(fn)`` wraps a callback).
* :class:`ExportBar` - buttons that save the scenario (TOML), the figure (PNG + PDF) and the results (CSV).
* :class:`SliderApp` - all of the above around one figure: the skeleton of a notebook's interactive part.

Helpers: :func:`parameter_names`, :func:`prepare_figure` (hides ipympl's toolbar), :func:`headline_table`,
:func:`export_folder`, :func:`unique_path`, :func:`save_figure`, :func:`save_results_csv`,
:func:`sources_for`.

Typical use in a notebook::

    panel = ui.ControlPanel(ui.parameter_names("lever", groups=["china"]))
    errors = ui.ErrorBox()
    panel.observe(errors.guard(lambda p: redraw(simulate(p.params()))))
    display(panel.widget, errors.widget)
"""

from __future__ import annotations

import contextlib
import csv
import html
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from model import registry as _registry
from model.errors import ModelInputError
from model.formatting import format_quantity
from model.params import Params
from model.scenarios import Scenario, from_params, load_preset, preset_names, save_scenario

#: Section titles, in display order: levers by who pulls them, then assumptions by topic.
LEVER_SECTIONS = {"china": "China", "russia": "Russia", "un": "UN and monitoring", "world": "World"}
ASSUMPTION_SECTIONS = {
    "oil": "Oil",
    "labour": "Labour",
    "arms": "Arms",
    "trade": "Trade",
    "mechanism": "Mechanism",
    "cyber": "Cyber",
}
BASELINE = "baseline"

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


#: Class names that keep MathJax away from an HTML output: source titles contain dollar amounts
#: ("$1.34 bn", "US$6 bln"), and two of them in one output would otherwise be typeset as mathematics.
NO_MATH = "tex2jax_ignore mathjax_ignore"


def citations_html(items: Iterable[Any]) -> str:
    """A bulleted HTML list of citations (sources or plain strings), protected from MathJax."""
    rows = "".join(
        f"<li>{html.escape(item.citation() if hasattr(item, 'citation') else str(item))}</li>" for item in items
    )
    return f'<ul class="{NO_MATH}">{rows}</ul>'


def sources_for(names: Iterable[str]) -> list[_registry.Source]:
    """Distinct sources cited by the named parameters, in first-cited order."""
    seen: dict[str, _registry.Source] = {}
    for name in names:
        for source in _registry.get(name).sources:
            seen.setdefault(source.key, source)
    return list(seen.values())


# ---------------------------------------------------------------------------------------------- one control
def _decimals(step: float) -> int:
    """Decimals needed to show a step exactly (0.05 -> 2, 0.005 -> 3, 25000 -> 0)."""
    return max(0, -Decimal(repr(float(step))).normalize().as_tuple().exponent)


def _readout_format(parameter: _registry.Parameter) -> str:
    digits = _decimals(parameter.step)
    # Thousands separators for barrels and dollars; otherwise exactly the step's precision.
    return f",.{digits}f" if parameter.max >= 10_000 else f".{digits}f"


class ParameterControl:
    """One registry parameter as a widget row: title, value widget, unit and an info toggle.

    Attributes
    ----------
    parameter : model.registry.Parameter
    input : ipywidgets.ValueWidget
        ``FloatSlider``, ``IntSlider``, ``Dropdown`` (choice labels) or ``Checkbox``.
    info : ipywidgets.HTML
        Description and provenance, hidden until the ``i`` toggle is pressed.
    widget : ipywidgets.VBox
        The whole row, to display.
    """

    def __init__(self, name: str) -> None:
        p = self.parameter = _registry.get(name)
        if p.role == "constant":
            raise ValueError(f"{name} is a constant and has no control")
        common = {"layout": widgets.Layout(width="250px"), "style": {"description_width": "0px"}}
        if p.kind == "choice":
            options = list(zip(p.choice_labels, p.choices, strict=True))  # people read labels; values stay names
            self.input = widgets.Dropdown(options=options, value=p.choices[int(p.default)], **common)
        elif p.kind == "bool":
            self.input = widgets.Checkbox(value=bool(p.default), indent=False, **common)
        elif p.kind == "int":
            self.input = widgets.IntSlider(
                value=int(p.default),
                min=int(p.min),
                max=int(p.max),
                step=int(p.step),
                continuous_update=False,
                **common,
            )
        else:
            self.input = widgets.FloatSlider(
                value=p.default,
                min=p.min,
                max=p.max,
                step=p.step,
                readout_format=_readout_format(p),
                continuous_update=False,  # one model run per release, not a queue of them while dragging
                **common,
            )
        self.input.add_class(f"param-{name}")
        self.input.tooltip = p.title
        unit = widgets.HTML(f"<span style='color:#555'>{html.escape(p.unit)}</span>")
        self.toggle = widgets.ToggleButton(
            value=False, description="i", tooltip="Show description and sources", layout=widgets.Layout(width="28px")
        )
        self.info = widgets.HTML(self._info_html(), layout=widgets.Layout(display="none", width="100%"))
        self.toggle.observe(self._toggle_info, names="value")
        title = widgets.HTML(f"<b>{html.escape(p.title)}</b>", layout=_ROW)
        self.widget = widgets.VBox([title, widgets.HBox([self.input, unit, self.toggle]), self.info], layout=_ROW)

    def _info_html(self) -> str:
        p = self.parameter
        provenance = html.escape(p.provenance() or "no source: see the description.")
        return (
            f"<div style='font-size:90%;line-height:1.3;white-space:normal'>{html.escape(p.description)}"
            f"<br><i>Default {html.escape(p.display(p.default))} {html.escape(p.unit)}; "
            f"allowed {html.escape(p.allowed())}.</i><br><span style='color:#555'>Provenance: {provenance}</span></div>"
        )

    def _toggle_info(self, change: Mapping[str, Any]) -> None:
        self.info.layout.display = "" if change["new"] else "none"

    @property
    def value(self) -> Any:
        """The user-form value: float rounded to the step's precision, int, bool or choice label."""
        raw = self.input.value
        if self.parameter.kind == "float":
            # Front-end sliders send values like 0.9500000000000001; keep exports clean.
            return round(float(raw), _decimals(self.parameter.step) + 2)
        return raw

    @value.setter
    def value(self, value: Any) -> None:
        internal = self.parameter.coerce(value)  # raises ParameterError for a bad value
        p = self.parameter
        if p.kind == "choice":
            self.input.value = p.choices[int(internal)]
        elif p.kind == "bool":
            self.input.value = bool(internal)
        elif p.kind == "int":
            self.input.value = int(internal)
        else:
            self.input.value = internal

    def is_default(self) -> bool:
        """Whether the control shows the registry default."""
        p = self.parameter
        return abs(p.coerce(self.value) - p.default) <= 1e-9 * max(1.0, abs(p.default))


# ---------------------------------------------------------------------------------------------- panel
class ControlPanel:
    """Controls for the named parameters, grouped into sections, read back as an overrides dict.

    Levers are grouped China / Russia / UN and monitoring / World; uncertainties go in a separate
    "Assumptions" section (collapsed), grouped by topic.

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
        self.controls = {name: ParameterControl(name) for name in names}
        self.scenario: Scenario = load_preset(BASELINE)
        self._callbacks: list[Callable[[ControlPanel], None]] = []
        self._holding = 0
        self._pending = False
        for control in self.controls.values():
            control.input.observe(self._changed, names="value")
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
        assumptions = sections(ASSUMPTION_SECTIONS, "uncertainty")
        if assumptions:
            self.assumptions = widgets.Accordion([widgets.Box(assumptions, layout=wrap)], selected_index=None)
            self.assumptions.set_title(0, "Assumptions (uncertain facts, not policy choices)")
            parts.append(self.assumptions)
        return widgets.VBox(parts, layout=_ROW)

    # ------------------------------------------------------------------ reading values
    @property
    def names(self) -> list[str]:
        """Names of the parameters shown."""
        return list(self.controls)

    def overrides(self) -> dict[str, Any]:
        """User-form values that differ from the registry defaults: the loaded scenario's values for
        parameters not shown, and the shown controls' values."""
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
        options = [(load_preset(n).title, n) for n in (names if names is not None else preset_names())]
        self.dropdown = widgets.Dropdown(
            options=options,
            value=BASELINE if BASELINE in [n for _, n in options] else options[0][1],
            description="Preset",
            layout=widgets.Layout(width="420px"),
        )
        self.reset_button = widgets.Button(description="Reset to baseline", icon="undo", button_style="warning")
        self.description = widgets.HTML(self._describe(self.dropdown.value), layout=_ROW)
        load = errors.guard(self._load) if errors else self._load
        reset = errors.guard(self._reset) if errors else self._reset
        self.dropdown.observe(load, names="value")
        self.reset_button.on_click(reset)
        self.widget = widgets.VBox([widgets.HBox([self.dropdown, self.reset_button]), self.description])

    @staticmethod
    def _describe(name: str) -> str:
        scenario = load_preset(name)
        return f"<div style='font-size:90%;color:#444;white-space:normal'>{html.escape(scenario.description)}</div>"

    def _load(self, change: Mapping[str, Any]) -> None:
        self.panel.load(change["new"])
        self.description.value = self._describe(change["new"])

    def _reset(self, _button: Any = None) -> None:
        if self.dropdown.value == BASELINE:
            self.panel.reset()  # the dropdown does not fire when its value stays the same
        else:
            self.dropdown.value = BASELINE


# ---------------------------------------------------------------------------------------------- errors
class ErrorBox:
    """Shows errors raised in callbacks in the notebook instead of the kernel log.

    Bad-input errors (:class:`~model.errors.ModelInputError`) show their message verbatim; anything
    else a short message with the error type. The figure keeps its last valid state.

    Attributes
    ----------
    widget : ipywidgets.HTML
    message : str
        The text shown, ``""`` when there is no error.
    """

    def __init__(self) -> None:
        self.widget = widgets.HTML("", layout=_ROW)
        self.widget.add_class("model-error")
        self.message = ""

    def show(self, error: BaseException) -> None:
        """Display an error."""
        if isinstance(error, ModelInputError):
            self.message = str(error)
        else:
            text = str(error)
            text = text if len(text) <= 200 else text[:197] + "..."
            self.message = f"Something went wrong ({type(error).__name__}): {text}"
        self.widget.value = (
            "<div style='color:#8a1f11;background:#fdecea;border:1px solid #e0b4b4;padding:4px 8px;"
            f"white-space:normal'>{html.escape(self.message)}</div>"
        )

    def clear(self) -> None:
        """Remove the message."""
        self.message = ""
        self.widget.value = ""

    def guard(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: a success clears the message, an exception is shown (and not raised)."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                result = function(*args, **kwargs)
            except Exception as error:  # shown to the user instead of lost in a log
                self.show(error)
                return None
            self.clear()
            return result

        guarded.__wrapped__ = function
        guarded.__doc__ = function.__doc__
        return guarded


# ---------------------------------------------------------------------------------------------- figures
def prepare_figure(fig: Any) -> Any:
    """Hide ipympl's toolbar, header and footer (the toolbar icons load from an unreachable CDN).

    Harmless for other canvases. Returns ``fig``.
    """
    for attribute in ("toolbar_visible", "header_visible", "footer_visible", "resizable"):
        if hasattr(fig.canvas, attribute):
            setattr(fig.canvas, attribute, False)
    return fig


def _cite_short(source: _registry.Source) -> str:
    return f"{source.publisher} ({source.date}): {source.title}"


def save_figure(
    fig: Any,
    folder: str | Path,
    stem: str,
    title: str,
    scenario: str,
    names: Iterable[str] = (),
    extra_sources: Iterable[str] = (),
) -> list[Path]:
    """Save ``fig`` as PNG and PDF with a title, the scenario name and a sources footer.

    The texts are added for the saving only and removed afterwards, so the live figure is unchanged.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    folder : str or Path
        Created if missing.
    stem : str
        File name start; a timestamp (and a counter if needed) keeps every file new.
    title, scenario : str
        Printed above the figure.
    names : iterable of str
        Parameters shown; their registry sources are listed in the footer.
    extra_sources : iterable of str
        Further citations (e.g. of observations drawn), listed after the parameters' sources.

    Returns
    -------
    list of Path
        The PNG and the PDF written.
    """
    cited = [_cite_short(s) for s in sources_for(names)] + list(extra_sources)
    footer = "Sources: " + ("; ".join(dict.fromkeys(cited)) if cited else "see model/sources.toml") + "."
    footer += " Model: dprk-lifelines (scenario values in the matching TOML export)."
    width = max(60, int(fig.get_figwidth() * 19))  # characters per line at 6 pt
    added = [
        fig.text(0.01, 1.0, f"{title}\nScenario: {scenario}", ha="left", va="bottom", fontsize=10, weight="bold"),
        fig.text(0.01, -0.01, textwrap.fill(footer, width), ha="left", va="top", fontsize=6, color="#333"),
    ]
    paths = []
    try:
        for suffix in (".png", ".pdf"):
            path = unique_path(folder, stem, suffix)
            fig.savefig(path, dpi=150, bbox_inches="tight")
            paths.append(path)
    finally:
        for artist in added:
            artist.remove()
    return paths


def save_results_csv(results: Any, folder: str | Path, stem: str) -> Path:
    """Write ``results.tidy()`` as CSV (one row per year, channel, partner and measure); returns the path."""
    rows = results.tidy()
    path = unique_path(folder, stem, ".csv")
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


# ---------------------------------------------------------------------------------------------- exports
def export_folder() -> Path:
    """``exports/`` at the repository root when running from a checkout, else in the working directory."""
    root = Path(__file__).resolve().parent.parent
    base = root if (root / "pyproject.toml").is_file() else Path.cwd()
    return base / "exports"


def unique_path(folder: str | Path, stem: str, suffix: str) -> Path:
    """A new file path ``folder/stem-YYYYmmdd-HHMMSS[-n]suffix`` that does not exist yet (folder created).

    Never returns an existing file, so an export never overwrites one.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem).strip("-") or "scenario"
    base = f"{safe}-{datetime.now():%Y%m%d-%H%M%S}"
    path, counter = folder / f"{base}{suffix}", 1
    while path.exists():
        counter += 1
        path = folder / f"{base}-{counter}{suffix}"
    return path


class ExportBar:
    """Buttons that save the current scenario (TOML), figure (PNG + PDF) and results (CSV).

    Parameters
    ----------
    panel : ControlPanel
        Source of the scenario values.
    figure : matplotlib.figure.Figure, optional
        Figure to save; without it the figure button is not shown.
    results : callable, optional
        Returns the current :class:`~model.results.Results`; without it the CSV button is not shown.
    title : str
        Figure title used in saved figures and as the scenario description.
    folder : str or Path, optional
        Default :func:`export_folder`.
    errors : ErrorBox, optional
        Where failures are shown.
    extra_sources : iterable of str
        Citations added to the figure footer (e.g. observations drawn).

    Attributes
    ----------
    status : ipywidgets.HTML
        Names the files last written.
    last_paths : list of Path
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        panel: ControlPanel,
        figure: Any = None,
        results: Callable[[], Any] | None = None,
        title: str = "",
        folder: str | Path | None = None,
        errors: ErrorBox | None = None,
        extra_sources: Iterable[str] = (),
    ) -> None:
        self.panel, self.figure, self.results, self.title = panel, figure, results, title
        self.folder = Path(folder) if folder is not None else export_folder()
        self.extra_sources = list(extra_sources)
        self.errors = errors or ErrorBox()
        self.status = widgets.HTML("")
        self.last_paths: list[Path] = []
        buttons = [self._button("Save scenario (TOML)", "save", self.save_scenario)]
        if figure is not None:
            buttons.append(self._button("Save figure (PNG + PDF)", "image", self.save_figure))
        if results is not None:
            buttons.append(self._button("Save results (CSV)", "table", self.save_csv))
        parts = [widgets.HBox(buttons), self.status]
        if errors is None:
            parts.append(self.errors.widget)
        self.widget = widgets.VBox(parts)

    def _button(self, label: str, icon: str, action: Callable[[], Any]) -> widgets.Button:
        button = widgets.Button(description=label, icon=icon, layout=widgets.Layout(width="auto"))
        button.on_click(self.errors.guard(lambda _b: action()))
        return button

    @property
    def stem(self) -> str:
        """File-name start: the loaded scenario's name, marked ``-edited`` when values were changed."""
        return self.panel.scenario.name + ("-edited" if self.panel.is_edited() else "")

    def _done(self, paths: list[Path]) -> list[Path]:
        self.last_paths = paths
        self.status.value = "Saved " + ", ".join(f"<code>{html.escape(str(p))}</code>" for p in paths)
        return paths

    def save_scenario(self) -> Path:
        """Save the current values as a scenario file that ``load_preset(path)`` reads back identically."""
        base = self.panel.scenario
        scenario = from_params(
            self.panel.params(),
            name=self.stem,
            title=f"{base.title} (edited)" if self.stem.endswith("-edited") else base.title,
            description=self.title or base.description,
            provenance={k: v for k, v in base.provenance.items() if k in ("sources", "reasoning")},
        )
        path = unique_path(self.folder, self.stem, ".toml")
        save_scenario(scenario, path)
        return self._done([path])[0]

    def save_figure(self) -> list[Path]:
        """Save the figure as PNG and PDF with title, scenario name and sources."""
        paths = save_figure(
            self.figure,
            self.folder,
            self.stem,
            self.title,
            self._scenario_label(),
            self.panel.names,
            self.extra_sources,
        )
        return self._done(paths)

    def save_csv(self) -> Path:
        """Save the current results as a tidy CSV."""
        return self._done([save_results_csv(self.results(), self.folder, self.stem)])[0]

    def _scenario_label(self) -> str:
        changed = self.panel.overrides()
        label = self.panel.scenario.title
        if self.panel.is_edited():
            label += " (edited: " + ", ".join(f"{k} = {v}" for k, v in changed.items()) + ")"
        return textwrap.shorten(label, 220, placeholder=" ...")


# ---------------------------------------------------------------------------------------------- readouts
class SliderApp:
    """The common skeleton of a notebook's interactive section.

    Controls for ``names`` (with a preset chooser and reset), an error box, a readout (HTML), one
    figure updated in place and the export buttons; every change runs the model once and hands the
    results to :meth:`redraw`. Subclasses build their figure's artists, then call ``super().__init__``,
    and implement :meth:`redraw` (update artists and the readout; no new figure).

    Parameters
    ----------
    names : sequence of str
        Registry names of the controls shown.
    figure : matplotlib.figure.Figure
        The figure the subclass has drawn its artists on.
    title : str
        Title written on exported figures.
    panel_title : str
        Heading of the controls.

    Attributes
    ----------
    panel, errors, presets, readout, figure, exports, widget
        The parts, for display and for tests; ``results`` holds the latest model results.
    """

    def __init__(self, names: Iterable[str], figure: Any, title: str, panel_title: str = "") -> None:
        from model.core import simulate  # the model runs on every change; imported here to keep ui light

        self._simulate = simulate
        self.panel = ControlPanel(list(names), title=panel_title)
        self.errors = ErrorBox()
        self.presets = PresetChooser(self.panel, errors=self.errors)
        self.readout = widgets.HTML()
        self.figure = prepare_figure(figure)
        self.params, self.results = None, None
        self.exports = ExportBar(self.panel, figure, lambda: self.results, title=title, errors=self.errors)
        self.panel.observe(self.errors.guard(self.update))
        self.update(self.panel)
        self.widget = widgets.VBox(
            [
                self.presets.widget,
                self.panel.widget,
                self.errors.widget,
                self.readout,
                figure.canvas,
                self.exports.widget,
            ]
        )

    def update(self, panel: ControlPanel) -> None:
        """Run the model for the panel's values (kept in ``params``), :meth:`redraw`, then :meth:`draw`."""
        self.params = panel.params()  # a bad value raises a readable error, shown by the error box
        self.results = self._simulate(self.params)
        self.redraw(self.results)
        self.draw()

    def redraw(self, results: Any) -> None:
        """Move the figure's artists and the readout to ``results`` (subclasses implement this)."""
        raise NotImplementedError

    def draw(self) -> None:
        """Show the new frame; by default the canvas redraws when the kernel is idle."""
        self.figure.canvas.draw_idle()


#: Labels and units of :meth:`model.results.Results.headline` keys.
HEADLINE = {
    "hard_currency_total_usd": ("Hard currency, total", "USD/yr"),
    "hard_currency_china_usd": ("Hard currency via China", "USD/yr"),
    "hard_currency_russia_usd": ("Hard currency via Russia", "USD/yr"),
    "recorded_trade_share_china": ("China's share of recorded trade", "fraction"),
    "lifeline_share_china": ("China's share of all flows", "fraction"),
    "lifeline_share_russia": ("Russia's share of all flows", "fraction"),
    "oil_supply_bbl": ("Oil supply", "bbl/yr"),
    "oil_cap_leakage_ratio": ("Refined oil / UN cap", "x cap"),
    "leverage_china_usd": ("China's leverage", "USD/yr"),
    "leverage_russia_usd": ("Russia's leverage", "USD/yr"),
}


def headline_table(baseline: Mapping[str, float], scenario: Mapping[str, float], year: int) -> str:
    """An HTML table of headline numbers: baseline, scenario and difference.

    Parameters
    ----------
    baseline, scenario : mapping
        Outputs of :meth:`model.results.Results.headline` for the same year.
    year : int
        Shown in the header.

    Returns
    -------
    str
        HTML; each scenario cell has ``data-key`` and ``data-value`` attributes (the raw number) for tests.
    """
    rows = []
    for key, (label, unit) in HEADLINE.items():
        if key not in scenario:
            continue
        base, value = baseline[key], scenario[key]
        delta = value - base
        colour = "#555" if abs(delta) <= 1e-9 * max(1.0, abs(base)) else "#0b5394"
        rows.append(
            f"<tr><td style='text-align:left'>{html.escape(label)}</td>"
            f"<td>{format_quantity(base, unit)}</td>"
            f"<td data-key='{key}' data-value='{value!r}'><b>{format_quantity(value, unit)}</b></td>"
            f"<td style='color:{colour}'>{format_quantity(delta, unit, difference=True)}</td></tr>"
        )
    return (
        "<table class='headline' style='border-collapse:collapse;font-size:95%'>"
        f"<thead><tr><th style='text-align:left'>{year}</th><th>Baseline</th><th>Scenario</th><th>Difference</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
    )


__all__ = [
    "ASSUMPTION_SECTIONS",
    "BASELINE",
    "HEADLINE",
    "LEVER_SECTIONS",
    "ControlPanel",
    "ErrorBox",
    "ExportBar",
    "ParameterControl",
    "PresetChooser",
    "export_folder",
    "format_quantity",
    "headline_table",
    "parameter_names",
    "prepare_figure",
    "save_figure",
    "save_results_csv",
    "sources_for",
    "unique_path",
]
