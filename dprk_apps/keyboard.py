"""Keys pressed on an app's controls reach the controls in every Jupyter front end: :class:`ControlKeys`.

JupyterLab and Jupyter Notebook 7 read every key pressed on their page for their own shortcuts first. In
Notebook 7.6 (Chromium, 2026-12-07) a focused slider handle of an app never saw the arrow keys: the
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

import anywidget
import traitlets

#: The attribute by which Lumino (JupyterLab 4, Notebook 7) leaves an element's keys to the element.
SUPPRESS_ATTRIBUTE = "data-lm-suppress-shortcuts"
#: The controls that handle keys themselves (CSS selector): slider handles, choices, switches, buttons.
TAKES_KEYS = ".noUi-handle, select, button, input[type=checkbox], input[type=range]"
#: What counts as an app on the page (CSS selector): the lab-style apps' columns and the role-play.
APP_SCOPE = ".app-columns, .roleplay-app"

# One listener per page (a page may show several apps; each app's widget would otherwise add its own).
_KEYS_JS = f"""
const ATTRIBUTE = {SUPPRESS_ATTRIBUTE!r};
const TAKES_KEYS = {TAKES_KEYS!r};
const APP_SCOPE = {APP_SCOPE!r};

function markFocused(event) {{
  const target = event.target;
  if (!(target instanceof Element) || target.hasAttribute(ATTRIBUTE)) return;
  if (target.matches(TAKES_KEYS) && target.closest(APP_SCOPE)) target.setAttribute(ATTRIBUTE, 'true');
}}

function render({{ el }}) {{
  const page = el.ownerDocument;
  el.dataset.controlKeys = 'ready';
  if (page.__appControlKeys) return;
  page.__appControlKeys = true;
  // Focus moves before the first key press reaches the control: mark it on the way in (capture phase,
  // so that no front end's handler can stop it first).
  page.addEventListener('focusin', markFocused, true);
}}
export default {{ render }};
"""


class ControlKeys(anywidget.AnyWidget):
    """Leaves the keys pressed on an app's controls to the controls; shows nothing itself.

    Put it anywhere on the app's page: it marks the controls inside elements matching :data:`APP_SCOPE`,
    and one on a page serves every app on it.
    """

    _esm = traitlets.Unicode(_KEYS_JS).tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.layout.height = "0px"
        self.layout.margin = "0px"
        self.add_class("control-keys")


__all__ = ["APP_SCOPE", "SUPPRESS_ATTRIBUTE", "TAKES_KEYS", "ControlKeys"]
