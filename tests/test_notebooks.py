"""Every notebook executes headless, is paired with its script, and its callbacks move what it shows.

Conventions for notebook authors (see model/ui.py):

* every notebook under ``notebooks/`` is paired with a ``py:percent`` script and committed without
  outputs (``jupytext --sync``, then clear outputs);
* an interactive notebook keeps its :class:`model.ui.ControlPanel` objects and :class:`model.ui.ErrorBox`
  in global names (``panel``, ``errors``) or as attributes of a global object (``app.panel``); the
  generic callback check below finds them by type, moves every numeric control to the far end of its
  range, and expects some figure or readout to follow and no error message to appear. Checks of directions, per
  notebook, live in ``DIRECTION_CHECKS``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import jupytext
import nbformat
import pytest

from tests.notebook_runner import NOTEBOOK_DIR, execute

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]


GENERIC_CALLBACK_CHECK = textwrap.dedent(
    """
    import ipywidgets as _widgets
    import numpy as _np
    from matplotlib._pylab_helpers import Gcf as _Gcf
    from model import app as _ui

    def _figure_data():
        data = []
        for manager in _Gcf.get_all_fig_managers():
            for ax in manager.canvas.figure.axes:
                data += [_np.asarray(line.get_ydata(), dtype=float).copy() for line in ax.get_lines()]
                data += [_np.array([getattr(p, "get_height", lambda: 0.0)()]) for p in ax.patches]
        return data

    def _shown():
        # Figures, plus readouts: HTML widgets held in global names or attributes of a global object.
        return _figure_data() + [w.value for w in _readouts]

    def _same(a, b):
        return len(a) == len(b) and all(
            x == y if isinstance(x, str) else _np.array_equal(x, y, equal_nan=True) for x, y in zip(a, b)
        )

    # Panels and error boxes are found by type, whatever the notebook calls them: global names, or
    # attributes of a global object (an `app`).
    _found = []
    for _value in list(globals().values()):
        _found.append(_value)
        if not isinstance(_value, type) and hasattr(_value, "__dict__"):
            _found.extend(vars(_value).values())
    _panels = list({id(v): v for v in _found if isinstance(v, _ui.ControlPanel)}.values())
    _boxes = list({id(v): v for v in _found if isinstance(v, _ui.ErrorBox)}.values())
    _readouts = list({id(v): v for v in _found if isinstance(v, _widgets.HTML)}.values())
    assert _panels, "an interactive notebook keeps its ControlPanel in a global name or an attribute of one"
    _moved = []
    for _panel in _panels:
        for _name, _control in _panel.controls.items():
            _p = _control.parameter
            if _p.kind not in ("float", "int"):
                continue
            _before = _shown()
            _far = _p.max if abs(_p.max - _p.default) >= abs(_p.min - _p.default) else _p.min
            _control.input.value = _far
            for _box in _boxes:
                assert _box.message == "", (_name, _box.message)
            if not _same(_before, _shown()):
                _moved.append(_name)
            _panel.reset()
    assert _moved, "no control changed any figure or readout"
    print("GENERIC OK", len(_moved), "controls moved a figure")
    """
)

# Directional checks per notebook: the readout and figure data must move the right way.
DIRECTION_CHECKS = {
    "05_scenario_lab": textwrap.dedent(
        """
        import re, tempfile
        from pathlib import Path
        import numpy as np
        from model.scenarios import load_preset

        def shown():
            return {k: float(v) for k, v in re.findall(r"data-key='(\\w+)' data-value='([^']+)'", table.value)}

        t = int(np.flatnonzero(lab.years == FOCUS_YEAR)[0])
        start, start_fig = shown(), lab.scenario_data()
        assert start == baseline_headline

        # Russia stops buying arms: less hard currency via Russia, in the table and in the figure.
        panel.controls["russia_arms_enforcement"].input.value = 1.0
        now, fig_now = shown(), lab.scenario_data()
        assert now["hard_currency_russia_usd"] < start["hard_currency_russia_usd"]
        assert now["lifeline_share_russia"] < start["lifeline_share_russia"]
        assert now["leverage_russia_usd"] < start["leverage_russia_usd"]
        assert fig_now["hc.russia"][t] < start_fig["hc.russia"][t]
        assert fig_now["bars.hc"][1] < 0
        assert errors.message == ""

        # A preset: China cracks down, so less hard currency via China than in the baseline.
        presets.dropdown.value = "china-crackdown"
        now = shown()
        assert panel.params() == load_preset("china-crackdown").params
        assert now["hard_currency_china_usd"] < start["hard_currency_china_usd"]
        assert lab.scenario_data()["hc.china"][t] < start_fig["hc.china"][t]

        # Reset: back to the baseline everywhere.
        presets.reset_button.click()
        assert shown() == start
        assert np.allclose(lab.scenario_data()["hc.total"], start_fig["hc.total"])

        # A bad combination is shown as the model's message; the figure keeps the last valid state.
        panel.set_values({n: 0.0 for n in panel.names if n.startswith("russia_payment_")})
        assert "payment weights" in errors.message
        assert np.allclose(lab.scenario_data()["hc.total"], start_fig["hc.total"])
        panel.reset()
        assert errors.message == ""

        # Exports: the scenario round-trips; figure and CSV are written, nothing overwritten.
        panel.controls["monitoring_regime"].input.value = "none"
        panel.controls["war_demand_level"].input.value = 1.5
        exports.folder = Path(tempfile.mkdtemp())
        saved = exports.save_scenario()
        assert load_preset(str(saved)).params == panel.params()
        pictures = exports.save_figure()
        table_path = exports.save_csv()
        assert {p.suffix for p in pictures} == {".png", ".pdf"} and table_path.stat().st_size > 0
        assert exports.save_scenario() != saved
        print("DIRECTIONS OK")
        """
    ),
    "01_lifelines": textwrap.dedent(
        """
        import re
        import numpy as np

        def shown():
            return {k: float(v) for k, v in re.findall(r"data-key='(\\w+)' data-value='([^']+)'", readout.value)}

        t = int(np.flatnonzero(years == READOUT_YEAR)[0])
        start = shown()
        russia_all = lines["all"]["russia"].get_ydata().copy()
        china_all = lines["all"]["china"].get_ydata().copy()
        china_recorded = lines["recorded"]["china"].get_ydata().copy()

        panel.controls["russia_arms_enforcement"].input.value = 1.0
        now = shown()
        assert now["lifeline_share_russia"] < start["lifeline_share_russia"]
        assert now["lifeline_share_china"] > start["lifeline_share_china"]
        assert lines["all"]["russia"].get_ydata()[t] < russia_all[t]
        assert lines["all"]["china"].get_ydata()[t] > china_all[t]
        assert np.allclose(lines["recorded"]["china"].get_ydata(), china_recorded)  # customs do not see arms

        panel.reset()
        assert shown() == start
        panel.controls["china_export_ban_enforcement"].input.value = 0.0
        assert shown()["recorded_trade_share_china"] > start["recorded_trade_share_china"]
        assert lines["recorded"]["china"].get_ydata()[t] > china_recorded[t]
        assert errors.message == ""
        print("DIRECTIONS OK")
        """
    ),
}


def _is_interactive(path: Path) -> bool:
    return "ui.ControlPanel(" in path.read_text(encoding="utf-8")


def outputs(nb: nbformat.NotebookNode, kind: str) -> list:
    return [o for cell in nb.cells for o in cell.get("outputs", []) if o.output_type == kind]


def test_notebooks_exist():
    assert {"01_lifelines", "05_scenario_lab"} <= set(IDS)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_executes_headless(path):
    extra = (GENERIC_CALLBACK_CHECK,) if _is_interactive(path) else ()
    nb = execute(path, extra)
    assert outputs(nb, "error") == []
    streams = "".join(o.text for o in outputs(nb, "stream"))
    assert "Traceback" not in streams
    if extra:
        assert "GENERIC OK" in streams


@pytest.mark.notebooks
@pytest.mark.parametrize("name", sorted(DIRECTION_CHECKS))
def test_callbacks_move_readouts_and_figures(name):
    nb = execute(NOTEBOOK_DIR / f"{name}.ipynb", (DIRECTION_CHECKS[name],))
    assert "DIRECTIONS OK" in "".join(o.text for o in outputs(nb, "stream"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_paired_and_clean(path):
    script = path.with_suffix(".py")
    assert script.is_file(), f"{path.name} has no paired {script.name} (jupytext --set-formats ipynb,py:percent)"
    from_ipynb = jupytext.read(path)
    from_script = jupytext.read(script)

    def cells(nb):
        return [(c.cell_type, c.source.strip()) for c in nb.cells]

    assert cells(from_ipynb) == cells(from_script), f"{path.name} and {script.name} differ: run jupytext --sync"
    raw = nbformat.read(path, as_version=4)
    for cell in raw.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name} has committed outputs"


def test_jupytext_config_pairs_notebooks():
    assert 'formats = "ipynb,py:percent"' in (NOTEBOOK_DIR / "jupytext.toml").read_text()
