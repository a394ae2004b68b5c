"""A scenario in a link: every app can show its state as a code and a link, and open one.

:class:`ScenarioLink` is the page's half (an anywidget): it reads the scenario code from the page's
address (``…/05_scenario_lab.ipynb?s=CODE``) and sends only that code to the kernel, shows the link of
the current state and copies it. Nothing else of the address reaches the kernel: not the class code, not
other query parameters. Reading the address costs the kernel nothing (no import, no request), so a warm
kernel from a classroom's pool opens a link as fast as any page.

:class:`ScenarioShare` is the app's part: it keeps the link's code in step with the controls (the preset
last chosen, every value that differs from it; :mod:`model.scenario_code`), and opens a code given in
the address or typed into *Enter code*. A code that cannot be opened exactly is refused with one
message and changes nothing.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from dprk_apps.controls import ControlPanel
from dprk_apps.feedback import ErrorBox
from model.errors import ModelInputError
from model.scenario_code import canonical, encode, load_code, preset_codes

SHARING_JS = Path(__file__).with_name("sharing.js")


class ScenarioLink(anywidget.AnyWidget):
    """The page's half: reads ``?s=`` from the page's address, shows and copies the current state's link.

    Attributes
    ----------
    code : str
        The current state's code (kernel → page).
    requested : str
        The code the page was opened with (page → kernel), or ``""``.
    """

    _esm = SHARING_JS
    code = traitlets.Unicode("").tag(sync=True)
    requested = traitlets.Unicode("").tag(sync=True)
    button_label = traitlets.Unicode("Copy link").tag(sync=True)
    field_label = traitlets.Unicode("Link to this scenario").tag(sync=True)
    copied_label = traitlets.Unicode("Copied.").tag(sync=True)
    select_label = traitlets.Unicode("Selected: press Ctrl+C (⌘C) to copy.").tag(sync=True)


class ScenarioShare:
    """Code and link of an app's state, and opening a code (from the address or typed).

    Parameters
    ----------
    panel : dprk_apps.controls.ControlPanel
        The controls whose state the code holds (hidden values of the loaded scenario included).
    errors : dprk_apps.feedback.ErrorBox
        Where an unexpected failure is shown.

    Attributes
    ----------
    link : ScenarioLink
    entry : ipywidgets.Text
        *Enter code*.
    open_button : ipywidgets.Button
    message : ipywidgets.HTML
        What happened to the last code opened (or why it was refused).
    widget : ipywidgets.VBox
    """

    def __init__(self, panel: ControlPanel, errors: ErrorBox) -> None:
        self.panel = panel
        self.link = ScenarioLink()
        self.entry = widgets.Text(
            placeholder="e.g. 1102-4J11-E00B-5",
            description="Enter code",
            layout=widgets.Layout(width="250px", max_width="100%"),
            continuous_update=False,
        )
        self.open_button = widgets.Button(description="Open", icon="folder-open", layout=widgets.Layout(width="auto"))
        self.message = widgets.HTML()
        self.message.add_class("scenario-code-message")
        self.open_button.on_click(errors.guard(lambda _button: self.open(self.entry.value)))
        self.entry.observe(errors.guard(lambda change: self.open(change["new"])), names="value")
        self.link.observe(errors.guard(self._requested), names="requested")
        panel.observe(errors.guard(self.refresh))
        self.refresh()
        row = widgets.HBox([self.entry, self.open_button], layout=widgets.Layout(flex_flow="row wrap"))
        self.widget = widgets.VBox([self.link, row, self.message])
        self.widget.add_class("scenario-share")

    @property
    def code(self) -> str:
        """The current state's scenario code."""
        state = self.panel.params().changed()
        loaded = getattr(self.panel.scenario, "name", None)
        preset = loaded if loaded in preset_codes() else None
        return encode(state, preset)

    def refresh(self, _panel: Any = None) -> None:
        """Put the current state's code into the link (after every change of the controls).

        A state the model refuses (the app's error box says why) keeps the last valid code.
        """
        try:
            self.link.code = self.code
        except ModelInputError:
            pass

    def open(self, code: str) -> bool:
        """Show the state a code holds; on a code that cannot be opened exactly, say why and change nothing.

        Returns
        -------
        bool
            Whether the code was opened.
        """
        code = (code or "").strip()
        if not code:
            return False
        try:
            scenario = load_code(code)
        except ModelInputError as error:
            self.message.value = (
                f"<span class='scenario-code-refused' style='color:#a61b1b'>{html.escape(str(error))}</span>"
            )
            return False
        hidden = sorted(set(scenario.params.changed()) - set(self.panel.names))
        self.panel.load(scenario)
        note = (
            f" This app shows {len(self.panel.names)} controls; {len(hidden)} more value(s) of the code are used "
            "but not shown (open the code in the scenario lab, 05, to see them all)."
            if hidden
            else ""
        )
        self.message.value = html.escape(f"Opened scenario {canonical(code)}: {scenario.title}.{note}")
        return True

    def _requested(self, change: Mapping[str, Any]) -> None:
        self.open(change["new"])


__all__ = ["SHARING_JS", "ScenarioLink", "ScenarioShare"]
