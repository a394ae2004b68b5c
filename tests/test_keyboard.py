"""Keys on an app's controls reach the controls (dprk_apps.keyboard), checked in process.

Every app of the suite carries one :class:`~dprk_apps.keyboard.ControlKeys`, and every control of it that
handles keys lies inside what the page's helper counts as the app (:data:`~dprk_apps.keyboard.APP_SCOPE`),
so that each one is marked when it takes the focus. In Chromium: ``test_browser.py`` checks the marks on
a Voilà page, and ``test_e2e.py::test_notebook_in_notebook7_after_run_all`` moves the controls by keyboard
in Jupyter Notebook 7, where the arrows did not reach a slider before.
"""

import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from dprk_apps.controls import parameter_names
from dprk_apps.exercises import ExerciseApp
from dprk_apps.keyboard import APP_SCOPE, SUPPRESS_ATTRIBUTE, TAKES_KEYS, ControlKeys
from dprk_apps.roleplay import RoleplayApp
from tests.apps import slider_apps

APPS = {**slider_apps(uncertainty_draws=64), "06": lambda: ExerciseApp(parameter_names("lever"))}
#: Widgets whose page element handles keys itself (what TAKES_KEYS selects on the page).
KEYED = (
    widgets.FloatSlider,
    widgets.IntSlider,
    widgets.Dropdown,
    widgets.Checkbox,
    widgets.Button,
    widgets.ToggleButton,
)
SCOPE_CLASSES = set(re.findall(r"\.([\w-]+)", APP_SCOPE))


def tree(root: widgets.Widget, inside: bool = False):
    """Every widget under ``root`` (itself included), each with whether it lies inside an app scope."""
    inside = inside or bool(SCOPE_CLASSES & set(getattr(root, "_dom_classes", ())))
    yield root, inside
    for name in root.keys:
        value = getattr(root, name, None)
        for child in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(child, widgets.Widget) and not isinstance(child, (widgets.Layout, widgets.Style)):
                yield from tree(child, inside)


@pytest.fixture
def agg():
    backend = plt.get_backend()
    plt.switch_backend("Agg")
    try:
        yield
    finally:
        plt.close("all")
        plt.switch_backend(backend)


def open_every_section(app) -> None:
    panel = getattr(app, "panel", None)
    if panel is not None:
        panel.open_assumptions()  # rows made on opening must be inside the scope as well


def check_app(root: widgets.Widget, label: str) -> None:
    found = list(tree(root))
    helpers = [w for w, _ in found if isinstance(w, ControlKeys)]
    assert len(helpers) == 1, f"{label}: {len(helpers)} keyboard helpers"
    keyed = [w for w, _ in found if isinstance(w, KEYED)]
    assert keyed, f"{label} has no controls to check"
    outside = [type(w).__name__ for w, inside in found if isinstance(w, KEYED) and not inside]
    assert not outside, f"{label}: controls outside the app's scope {APP_SCOPE!r}: {outside}"


@pytest.mark.parametrize("notebook", sorted(APPS))
def test_every_control_of_every_app_gets_its_keys(agg, notebook):
    app = APPS[notebook]()
    open_every_section(app)
    check_app(app.widget, notebook)


def test_the_roleplay_gets_its_keys(agg, tmp_path):
    app = RoleplayApp(folder=tmp_path)
    check_app(app.widget, "08")


def test_the_helper_shows_nothing_and_names_what_it_marks():
    helper = ControlKeys()
    assert helper.layout.height == "0px"
    code = helper._esm
    assert repr(SUPPRESS_ATTRIBUTE) in code and repr(TAKES_KEYS) in code and repr(APP_SCOPE) in code
    # Text boxes keep the front end's shortcuts (Ctrl+S, Shift+Enter): they are not among the marked.
    assert "input[type=text]" not in TAKES_KEYS and "textarea" not in TAKES_KEYS
