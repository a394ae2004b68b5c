"""Keys pressed on an app's controls reach the controls in every Jupyter front end: :class:`ControlKeys`.

JupyterLab and Jupyter Notebook 7 read every key pressed on their page for their own shortcuts first. In
Notebook 7.6 (Chromium) a focused slider handle of an app never saw the arrow keys: the
page's shortcut handling took ``ArrowRight`` away from it and put the focus on a notebook cell, so a
student could not move a lever by keyboard there (JupyterLab 4.6 and Voilà passed the keys on). The
shortcut handling of both front ends (Lumino's command registry) skips every element marked
``data-lm-suppress-shortcuts`` and what lies inside it; :class:`ControlKeys`, a widget of no size in each
app, marks a control of the app when it takes the focus, so its keys are its own: a slider's arrows,
Home and End, a choice's arrows, a switch's or button's space bar.

Text boxes are not marked: the front ends leave typing in them alone already, and there a teacher's
Ctrl+S and Shift+Enter keep working. While a marked control has the focus the front end's shortcuts do
not act; moving the focus away from it (Tab, or a click outside the control) gives them back.
"""

from __future__ import annotations

from pathlib import Path

import anywidget

#: The attribute by which Lumino (JupyterLab 4, Notebook 7) leaves an element's keys to the element.
SUPPRESS_ATTRIBUTE = "data-lm-suppress-shortcuts"
#: The controls that handle keys themselves (CSS selector): slider handles, choices, switches, buttons.
TAKES_KEYS = ".noUi-handle, select, button, input[type=checkbox], input[type=range]"
#: What counts as an app on the page (CSS selector): the lab-style apps' columns and the role-play.
APP_SCOPE = ".app-columns, .roleplay-app"
#: The page's half (one listener per page; it uses the three values above, which a test keeps in step).
KEYS_JS = Path(__file__).with_name("keyboard.js")


class ControlKeys(anywidget.AnyWidget):
    """Leaves the keys pressed on an app's controls to the controls; shows nothing itself.

    Put it anywhere on the app's page: it marks the controls inside elements matching :data:`APP_SCOPE`,
    and one on a page serves every app on it. Its JavaScript is :data:`KEYS_JS`.
    """

    _esm = KEYS_JS

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.layout.height = "0px"
        self.layout.margin = "0px"
        self.add_class("control-keys")


__all__ = ["APP_SCOPE", "KEYS_JS", "SUPPRESS_ATTRIBUTE", "TAKES_KEYS", "ControlKeys"]
