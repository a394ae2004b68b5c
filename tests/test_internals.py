"""Other libraries' internals are touched only in ``dprk_internals/``, and ``DPRK_PLAIN=1`` turns that off.

* An AST scan of the suite's own packages (``dprk_*``, ``model``, ``classroom``) finds no attribute
  ``obj._name`` on an object other than ``self``/``cls`` whose ``_name`` the suite does not define itself,
  and no import of a private or undocumented module (``from x._y import``, ``from ipywidgets.widgets import
  widget_int``); ``dprk_internals/`` is exempt. It bites on a planted snippet.
* Each internals module says what its docstring must: the names it uses, why, the upstream issue, the
  fallback. Without the internal names every workaround falls back to the public path, without an error.
* With ``DPRK_PLAIN=1`` every app of notebooks 00-08 builds, a move changes its figure and its numbers,
  and no function of ``dprk_internals`` that touches an internal is called.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from pathlib import Path

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
from matplotlib.figure import Figure

import dprk_internals
from tests.apps import slider_apps

ROOT = Path(__file__).resolve().parent.parent
INTERNALS = ROOT / "dprk_internals"
#: The suite's own top-level packages: every import of them is fine.
OWN_PACKAGES = {"model", "classroom", *(path.name for path in ROOT.glob("dprk_*") if path.is_dir())}
#: The packages scanned (dprk_internals/ itself is exempt).
SCANNED = sorted(name for name in OWN_PACKAGES if name != "dprk_internals")
#: Submodules of other libraries that their documentation presents as public API (a top-level package
#: is always fine). Anything else imported from another library's inside counts as internal.
PUBLIC_MODULES = frozenset(
    {
        "IPython.display",
        "SALib.analyze",
        "SALib.sample",
        "jupyter_server.base.handlers",  # the server-extension API (JupyterHandler, APIHandler)
        "jupyter_server.auth",  # Authorizer, User, IdentityProvider: the documented authentication API
        "jupyter_server.auth.identity",  # PasswordIdentityProvider (documented, configurable)
        "jupyter_server.auth.decorator",  # allow_unauthenticated (documented for extension handlers)
        # The class ServerApp.kernel_websocket_connection_class names by default: subclassing the configured
        # class is the documented way to change how kernel websockets are served.
        "jupyter_server.services.kernels.connection.channels",
        "PIL.Image",  # Pillow's documented Image module (fromarray, save)
        "pptx.util",  # Pt, Inches, Emu
        "pptx.dml.color",  # RGBColor
        "pptx.enum.text",
        "tornado.ioloop",
        "tornado.web",
        *(
            f"matplotlib.{name}"
            for name in (
                "artist",
                "axes",
                "backends.backend_agg",
                "backends.backend_pdf",
                "collections",
                "colors",
                "container",
                "figure",
                "font_manager",
                "ft2font",
                "legend_handler",
                "lines",
                "patches",
                "pyplot",
                "text",
                "ticker",
                "transforms",
            )
        ),
    }
)
#: Packages whose every submodule is public (SALib documents ``from SALib.sample import morris`` and the like).
PUBLIC_PACKAGES = ("SALib.analyze.", "SALib.sample.")
#: Underscore names that are public by Python's own convention (namedtuple's API).
PUBLIC_UNDERSCORE = frozenset(
    {
        "_replace", "_asdict", "_fields", "_make", "_field_defaults",
        # Documented in Python's own library reference (os._exit: exit without cleanup, for a watchdog;
        # sys._current_frames: every thread's stack, for a hung server's log).
        "_exit", "_current_frames",
    }
)  # fmt: skip


def python_files(root: Path, packages) -> list[Path]:
    return sorted(path for package in packages for path in (root / package).rglob("*.py"))


def defined_underscore_names(files) -> set[str]:
    """Underscore names the suite defines itself: functions, classes, and attributes set on self/cls or a class."""
    names = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
                    names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
    return {name for name in names if name.startswith("_")}


def _private_module(module: str) -> bool:
    """Whether ``module`` (dotted) is another library's private or undocumented module."""
    parts = module.split(".")
    if parts[0] in OWN_PACKAGES or parts[0] == "__future__":
        return False
    if any(part.startswith("_") for part in parts):
        return True
    if parts[0] in sys.stdlib_module_names:
        return False
    return len(parts) > 1 and module not in PUBLIC_MODULES and not module.startswith(PUBLIC_PACKAGES)


def _owner(node: ast.expr) -> str:
    """What an attribute is read from, as the report names it (``super()``, ``canvas``, ``a.b``)."""
    if isinstance(node, ast.Call):
        return f"{_owner(node.func)}()"
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_owner(node.value)}.{node.attr}"
    return type(node).__name__


def internals_touched(root: Path, packages, defined: set[str] | None = None) -> set[tuple[str, str]]:
    """Every contact with another library's internals outside ``dprk_internals/``: ``(file, what)`` pairs.

    Parameters
    ----------
    root : Path
        The folder holding the packages.
    packages : iterable of str
        Top-level packages to scan.
    defined : set of str, optional
        Underscore names the suite defines (default: those defined in ``packages`` and ``dprk_internals``).
    """
    files = [path for path in python_files(root, packages) if "dprk_internals" not in path.relative_to(root).parts]
    if defined is None:
        defined = defined_underscore_names(python_files(root, packages))
        defined |= defined_underscore_names(python_files(ROOT, ["dprk_internals"]))
    found = set()
    for path in files:
        where = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {(where, f"import {alias.name}") for alias in node.names if _private_module(alias.name)}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                # from package import submodule: the submodule is a module of its own
                modules = [f"{node.module}.{alias.name}" for alias in node.names]
                modules = [module for module in modules if _is_module(module)] or [node.module]
                found |= {(where, f"import {module}") for module in modules if _private_module(module)}
            elif isinstance(node, ast.Attribute):
                name = node.attr
                if not name.startswith("_") or (name.startswith("__") and name.endswith("__")):
                    continue
                if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
                    continue
                parent = isinstance(node.value, ast.Call) and _owner(node.value) == "super()"
                if not parent and (name in defined or name in PUBLIC_UNDERSCORE):
                    continue  # super()._name is the parent class's, another library's, even when overridden
                found.add((where, f"{_owner(node.value)}.{name}"))
    return found


def _is_module(dotted: str) -> bool:
    """Whether ``dotted`` names an importable module (not a class or function of its parent)."""
    try:
        return importlib.util.find_spec(dotted) is not None
    except (ImportError, ValueError):
        return False


def test_only_dprk_internals_touches_other_libraries_internals():
    found = sorted(internals_touched(ROOT, SCANNED))
    assert found == [], "move these into dprk_internals/ (with reason, issue and fallback):\n" + "\n".join(
        f"  {where}: {what}" for where, what in found
    )


PLANTED = """
import matplotlib._pylab_helpers
from matplotlib._pylab_helpers import Gcf
from ipywidgets.widgets import widget_int
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore


class Mine:
    def __init__(self):
        self._own = 1

    def _helper(self):
        return self._own


def resize(fig, other: Mine):
    fig._set_dpi(72)
    fig.canvas._png_is_old = True
    other._helper()  # defined by the suite itself: fine
    return widget_int.SliderStyle, Gcf, FigureCanvasWebAggCore
"""


def test_the_scan_bites_on_a_planted_snippet(tmp_path):
    package = tmp_path / "dprk_planted"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "snippet.py").write_text(PLANTED)
    exempt = tmp_path / "dprk_internals"
    exempt.mkdir()
    (exempt / "__init__.py").write_text(PLANTED)  # the same code in the internals folder is allowed
    found = internals_touched(tmp_path, ["dprk_planted", "dprk_internals"])
    assert found == {
        ("dprk_planted/snippet.py", "import matplotlib._pylab_helpers"),
        ("dprk_planted/snippet.py", "import ipywidgets.widgets.widget_int"),
        ("dprk_planted/snippet.py", "import matplotlib.backends.backend_webagg_core"),
        ("dprk_planted/snippet.py", "fig._set_dpi"),
        ("dprk_planted/snippet.py", "fig.canvas._png_is_old"),
    }


# ---------------------------------------------------------------------------------------------- the modules
INTERNALS_MODULES = sorted(path.stem for path in INTERNALS.glob("*.py") if path.stem != "__init__")


@pytest.mark.parametrize("name", INTERNALS_MODULES)
def test_each_internals_module_says_what_it_uses_why_the_issue_and_the_fallback(name):
    module = importlib.import_module(f"dprk_internals.{name}")
    text = module.__doc__ or ""
    for heading in ("Internal names used", "Why the public API is not enough", "Upstream", "Fallback"):
        assert heading in text, f"dprk_internals.{name}: no {heading!r} in its docstring"
    assert re.search(r"https://github\.com/[\w.-]+/[\w.-]+/(issues|pull)/\d+", text), f"{name}: no upstream issue"
    assert "DPRK_PLAIN=1" in text, name
    library = name.split("_")[0]
    assert library in {"matplotlib", "ipympl", "ipywidgets", "voila", "pptx"}, f"{name}: one module per library"


def test_the_switch_reads_the_environment(monkeypatch):
    monkeypatch.delenv("DPRK_PLAIN", raising=False)
    assert dprk_internals.enabled()
    for value in ("1", "true", " YES "):
        monkeypatch.setenv("DPRK_PLAIN", value)
        assert not dprk_internals.enabled()
    monkeypatch.setenv("DPRK_PLAIN", "0")
    assert dprk_internals.enabled()


def webagg_canvas():
    from matplotlib.backends.backend_webagg_core import FigureManagerWebAgg

    figure = Figure(figsize=(3, 2), dpi=50)
    canvas = FigureCanvasWebAggCore(figure)
    FigureManagerWebAgg(canvas, 1)  # no page connected: frames go nowhere
    figure.add_subplot().plot([0, 1, 2], [0, 1, 0])
    return canvas


def test_without_the_internal_names_the_canvas_keeps_its_own_public_path():
    from dprk_internals import ipympl_frames, matplotlib_frames

    assert not matplotlib_frames.use_fast_frames(FigureCanvasAgg(Figure()))  # no WebAgg state: left alone
    assert not ipympl_frames.keep_frame_on_display(FigureCanvasAgg(Figure()))
    canvas = webagg_canvas()
    del canvas._last_buff  # as if another matplotlib had renamed it
    assert not matplotlib_frames.use_fast_frames(canvas)
    assert canvas.get_diff_image.__func__ is FigureCanvasWebAggCore.get_diff_image


def test_a_name_gone_after_installing_falls_back_to_the_canvas_class(monkeypatch):
    from dprk_internals import matplotlib_frames

    canvas = webagg_canvas()
    assert matplotlib_frames.use_fast_frames(canvas)
    FigureCanvasAgg.draw(canvas)
    canvas._png_is_old = True
    reference = webagg_canvas()
    FigureCanvasAgg.draw(reference)
    reference._png_is_old = True
    monkeypatch.delattr(FigureCanvasWebAggCore, "_last_buff", raising=False)
    del canvas._last_buff
    monkeypatch.setattr(FigureCanvasWebAggCore, "get_diff_image", lambda self: b"class path")
    assert canvas.get_diff_image() == b"class path"  # the class's own method, no exception
    assert not matplotlib_frames.encode_ahead(canvas)
    canvas.figure.stale = True
    canvas.draw()  # draw_unless_current: the class's own draw
    assert not canvas.figure.stale


# ---------------------------------------------------------------------------------------------- DPRK_PLAIN=1
APPS = slider_apps(uncertainty_draws=128)


@pytest.fixture
def plain(monkeypatch):
    """``DPRK_PLAIN=1`` for one test, with :data:`dprk_internals.calls` counted from zero."""
    monkeypatch.setenv("DPRK_PLAIN", "1")
    monkeypatch.setattr(dprk_internals, "calls", type(dprk_internals.calls)())
    assert not dprk_internals.enabled()
    return dprk_internals.calls


def first_slider(panel) -> widgets.ValueWidget:
    for control in panel.controls.values():
        if isinstance(control.input, widgets.FloatSlider | widgets.IntSlider):
            return control.input
    raise AssertionError("no slider")


@pytest.mark.parametrize("key", [*APPS, "06"])
def test_plain_every_slider_app_builds_and_a_move_changes_figure_and_numbers(plain, key):
    from dprk_apps.exercises import ExerciseApp

    app = ExerciseApp() if key == "06" else APPS[key]()
    try:
        assert app.errors.message == ""
        app.figure.canvas.draw()
        before, numbers = app.last_frame(), app.readout.value
        slider = first_slider(app.panel)
        slider.value = slider.max if slider.value != slider.max else slider.min
        assert app.errors.message == ""
        assert app.readout.value != numbers, f"{key}: the numbers did not change"
        after = app.last_frame()
        assert not np.array_equal(after, before), f"{key}: the figure did not change"
        assert app.figure.dpi == 72
    finally:
        if hasattr(app, "close"):
            app.close()
        plt.close(app.figure)
    assert dict(plain) == {}, f"internals touched under DPRK_PLAIN=1: {dict(plain)}"


def test_plain_roleplay_builds_and_a_round_changes_figure_and_scoreboard(plain, tmp_path):
    from dprk_apps.roleplay import RoleplayApp

    app = RoleplayApp(folder=tmp_path)
    try:
        app.figure.canvas.draw()
        before, board = np.asarray(app.figure.canvas.buffer_rgba()).copy(), app.scoreboard.value
        slider = first_slider(app.panels["russia"])
        slider.value = slider.max if slider.value != slider.max else slider.min
        app.play_round()
        assert app.errors.message == ""
        assert app.scoreboard.value != board
        app.figure.canvas.draw()
        assert not np.array_equal(np.asarray(app.figure.canvas.buffer_rgba()), before)
    finally:
        plt.close(app.figure)
    assert dict(plain) == {}, f"internals touched under DPRK_PLAIN=1: {dict(plain)}"


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_plain_ipympl_canvas_is_left_as_ipympl_made_it(plain, ipympl_backend):
    from ipympl.backend_nbagg import Canvas

    from dprk_apps.lab import LabApp

    app = LabApp()
    canvas = app.figure.canvas
    assert isinstance(canvas, Canvas)
    for name in ("draw", "get_diff_image", "_repr_mimebundle_"):
        assert name not in vars(canvas), f"{name} replaced on the canvas under DPRK_PLAIN=1"
    assert app.figure.stale or canvas.get_renderer() is not None
    requests = []
    canvas.draw_idle = lambda *args, **kwargs: requests.append(1)  # what asks the page for a whole draw
    app.panel.controls["russia_arms_enforcement"].input.value = 0.5
    assert requests == [1]
    assert dict(plain) == {}
