"""Loading a saved scenario file from the page: an upload button that sets the controls.

The file goes through the same loader as files on disk (:func:`model.scenarios.loads`), so every kind of
bad file is refused with the same message; the message is shown beside the button and the controls stay
as they were.
"""

from __future__ import annotations

import html
from pathlib import PurePath

import ipywidgets as widgets

from dprk_apps.controls import ControlPanel
from dprk_apps.file_picker import FilePicker
from model.errors import ModelInputError
from model.scenarios import Scenario, file_kind, loads

#: What the upload button offers in the browser's file dialogue (the loader checks the suffix again).
ACCEPT = ".toml,.json"


class ScenarioUpload:
    """An upload button for a saved scenario (``.toml`` or ``.json``) and a message beside it.

    A good file sets the panel's controls to its overrides (values of parameters the panel does not
    show are kept with the loaded scenario, as presets do) and the panel's observers run once. A bad
    file leaves every control as it was; the loader's message (which names the file and the fault) is
    shown next to the button.

    Parameters
    ----------
    panel : dprk_apps.controls.ControlPanel
        The controls a loaded scenario sets.

    Attributes
    ----------
    button : dprk_apps.file_picker.FilePicker
    message : ipywidgets.HTML
        What happened to the last file; its CSS class is ``scenario-upload-error`` after a refusal.
    error : str
        The last refusal's text, ``""`` after a success.
    loaded : model.scenarios.Scenario or None
        The scenario last loaded.
    widget : ipywidgets.HBox
    """

    def __init__(self, panel: ControlPanel) -> None:
        self.panel = panel
        self.button = FilePicker(
            file_kind(),
            accept=ACCEPT,
            description="Load scenario",
            tooltip="Load a scenario file saved from an app (.toml or .json)",
        )
        self.message = widgets.HTML("")
        self.message.add_class("scenario-upload")
        self.error = ""
        self.loaded: Scenario | None = None
        self.button.on_file(lambda name, content: self.load_bytes(content, name))
        self.button.on_refused(self._refuse)
        self.widget = widgets.HBox([self.button, self.message], layout=widgets.Layout(flex_flow="row wrap"))

    def load_bytes(self, raw: bytes, filename: str) -> bool:
        """Load a scenario from a file's content and name; return whether it was applied.

        Parameters
        ----------
        raw : bytes
            The file's content.
        filename : str
            The file's name; its suffix (``.toml`` or ``.json``) says how to read it.

        Returns
        -------
        bool
            ``True`` if the controls now show the file's scenario, ``False`` if it was refused (the
            message says why and the controls are unchanged).
        """
        name = PurePath(filename).name or "the file"
        try:
            scenario = loads(raw, name, PurePath(name).suffix)
        except ModelInputError as error:
            self._refuse(str(error))
            return False
        before, previous = self.panel.values(), self.panel.scenario
        try:
            self.panel.load(scenario)
        except ModelInputError as error:  # a value a control cannot show: put everything back
            with self.panel.hold():
                self.panel.scenario = previous
                self.panel.set_values(before)
            self._refuse(f"{name}: {error}")
            return False
        self.loaded, self.error = scenario, ""
        hidden = [n for n in scenario.overrides if n not in self.panel.names]
        note = f"; {len(hidden)} value(s) this app has no control for are applied too" if hidden else ""
        if hidden:
            note += hidden_values_html(scenario, hidden)
        self.message.remove_class("scenario-upload-error")
        self.message.value = (
            f"<span style='color:#1d5e20'>Loaded <b>{html.escape(scenario.title)}</b> from "
            f"{html.escape(name)}{note}.</span>"
        )
        return True

    def _refuse(self, text: str) -> None:
        self.error = text
        self.message.add_class("scenario-upload-error")
        self.message.value = (
            "<div style='color:#8a1f11;background:#fdecea;border:1px solid #e0b4b4;padding:2px 6px;"
            f"white-space:normal'>{html.escape(text)}</div>"
        )


__all__ = ["ACCEPT", "ScenarioUpload"]


def hidden_values_html(scenario: Scenario, names: list[str]) -> str:
    """The values a loaded scenario sets that have no control in the app: title and value with its unit."""
    from dprk_teaching.handout import value_text
    from model import registry

    items = "".join(
        f"<li>{html.escape(registry.get(n).title)}: "
        f"{html.escape(value_text(n, registry.get(n).coerce(scenario.overrides[n])))}</li>"
        for n in names
    )
    return (
        "<details class='scenario-hidden-values'><summary>the values</summary>"
        f"<ul style='margin:2px 0;padding-left:18px;color:#333'>{items}</ul></details>"
    )
