"""Unit tests of the app layer (dprk_apps/), run in-process without a kernel."""

import base64
import html as html_module
import re
import subprocess
import sys

import matplotlib
import numpy as np
import pytest

import dprk_apps as ui
from dprk_figures.style import prepare_canvas
from dprk_teaching import tables
from model import registry, simulate
from model.errors import ParameterError
from model.formatting import format_quantity
from model.outcomes import HEADLINE_TABLE
from model.params import Params
from model.scenarios import BASELINE, load_preset, preset_names

matplotlib.use("Agg")
import matplotlib.pyplot as plt

LEVERS = ui.parameter_names("lever")
PAYMENT_WEIGHTS = [n for n in LEVERS if n.startswith("russia_payment_")]


def test_import_model_does_not_import_matplotlib():
    code = "import sys, model, dprk_apps; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_parameter_names_filters_role_and_group():
    china = ui.parameter_names("lever", groups=["china"])
    assert china and all(registry.get(n).group == "china" and registry.get(n).is_lever for n in china)
    assert set(china) < set(LEVERS)
    assert all(registry.get(n).is_uncertainty for n in ui.parameter_names("uncertainty"))


@pytest.mark.parametrize("name", LEVERS + ui.parameter_names("uncertainty"))
def test_control_comes_from_registry(name):
    p = registry.get(name)
    control = ui.ParameterControl(name)
    widget = control.input
    if p.kind in ("float", "int"):
        assert (widget.min, widget.max, widget.step) == (p.min, p.max, p.step)
        assert p.coerce(control.value) == p.default
    if p.kind == "float":
        # The readout shows the step's precision: formatting the step gives the step back.
        shown = format(p.step, widget.readout_format).replace(",", "")
        assert float(shown) == pytest.approx(p.step)
    if p.kind == "choice":
        assert list(widget.options) == list(zip(p.choice_labels, p.choices, strict=True))
    assert control.is_default()
    # The unit is shown, and the info toggle reveals description and provenance.
    texts = [getattr(w, "value", "") for w in control.widget.children[1].children]
    assert any(p.unit in str(t) for t in texts)
    assert control.info.layout.display == "none"
    control.toggle.value = True
    assert control.info.layout.display != "none"
    assert p.description[:40] in control.info.value.replace("&#x27;", "'").replace("&quot;", '"')
    for source in p.sources:
        assert source.publisher.split(" ")[0] in control.info.value


def test_decimals_follow_step():
    assert ui.controls._decimals(0.05) == 2
    assert ui.controls._decimals(0.005) == 3
    assert ui.controls._decimals(0.01) == 2
    assert ui.controls._decimals(25000) == 0
    assert format(0.055, f".{ui.controls._decimals(0.005)}f") == "0.055"


def test_constant_has_no_control():
    constant = registry.names("constant")[0]
    with pytest.raises(ValueError, match="constant"):
        ui.ParameterControl(constant)


def test_panel_sections_by_role_and_group():
    names = [*LEVERS, "diversion_share", "oil_need_bbl"]
    panel = ui.ControlPanel(names)
    assert panel.assumptions.selected_index is None
    panel.open_assumptions()  # the collapsed section's rows are made when it is first opened
    html = " ".join(
        w.value for w in _walk(panel.widget) if hasattr(w, "value") and isinstance(w.value, str) and "<h4" in w.value
    )
    headings = re.findall(r"<h4[^>]*>([^<]+)</h4>", html)
    levers = [h for h in headings if h in ui.LEVER_SECTIONS.values()]
    assert levers == list(ui.LEVER_SECTIONS.values())
    assert {"Mechanism", "Oil"} <= set(headings)
    # assumptions live in their own section
    inside = {id(w) for w in _walk(panel.assumptions)}
    assert id(panel.controls["oil_need_bbl"].widget) in inside
    assert id(panel.controls["china_pipeline_cut"].widget) not in inside


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_overrides_follow_controls_and_validate():
    panel = ui.ControlPanel(LEVERS)
    assert panel.overrides() == {}
    assert panel.params() == Params.defaults()
    panel.controls["russia_arms_enforcement"].input.value = 0.5
    panel.controls["monitoring_regime"].input.value = "none"
    assert panel.overrides() == {"russia_arms_enforcement": 0.5, "monitoring_regime": "none"}
    assert panel.params().scalar("russia_arms_enforcement") == 0.5
    assert panel.is_edited()


def test_observe_runs_once_per_batch():
    panel = ui.ControlPanel(LEVERS)
    calls = []
    panel.observe(lambda p: calls.append(p.overrides()))
    panel.controls["china_pipeline_cut"].input.value = 0.25
    assert calls == [{"china_pipeline_cut": 0.25}]
    panel.set_values({"china_pipeline_cut": 0.5, "war_demand_level": 0.5})
    assert len(calls) == 2
    assert calls[-1] == {"china_pipeline_cut": 0.5, "war_demand_level": 0.5}
    with pytest.raises(ParameterError):
        panel.set_values({"not_a_parameter": 1})


@pytest.mark.parametrize("name", preset_names())
def test_load_preset_shows_its_values(name):
    panel = ui.ControlPanel(ui.parameter_names("lever", groups=["china"]))  # hidden values too
    panel.load(name)
    scenario = load_preset(name)
    assert panel.params() == scenario.params
    assert not panel.is_edited()
    panel.reset()
    assert panel.params() == Params.defaults()


def test_preset_chooser_and_reset():
    panel = ui.ControlPanel(LEVERS)
    errors = ui.ErrorBox()
    chooser = ui.PresetChooser(panel, errors=errors)
    calls = []
    panel.observe(lambda p: calls.append(1))
    chooser.dropdown.value = "max-pressure"
    assert panel.params() == load_preset("max-pressure").params
    assert calls == [1]  # one model run per preset, not one per control
    # The description shown is the loaded preset's own (escaped as HTML), not the previous one's.
    import html as _html

    shown = _html.unescape(chooser.description.value)
    assert load_preset("max-pressure").description.strip() in shown
    assert load_preset(BASELINE).description.strip() not in shown
    chooser.reset_button.click()
    assert chooser.dropdown.value == BASELINE
    assert panel.params() == Params.defaults()
    panel.controls["china_pipeline_cut"].input.value = 1.0
    chooser.reset_button.click()  # reset works when the dropdown already shows the baseline
    assert panel.params() == Params.defaults()
    assert errors.message == ""


def test_error_box_shows_model_errors_verbatim():
    panel = ui.ControlPanel(LEVERS)
    errors = ui.ErrorBox()
    results = []
    panel.observe(errors.guard(lambda p: results.append(simulate(p.params()))))
    panel.set_values(dict.fromkeys(PAYMENT_WEIGHTS, 0.0))
    with pytest.raises(ParameterError) as caught:
        panel.params()
    assert errors.message == str(caught.value)
    assert "payment weights" in errors.widget.value
    assert results == []
    panel.controls["russia_payment_cash_weight"].input.value = 0.5
    assert errors.message == "" and errors.widget.value == ""
    assert len(results) == 1


def test_error_box_shortens_other_errors():
    errors = ui.ErrorBox()

    def broken():
        raise RuntimeError("x" * 1000)

    assert errors.guard(broken)() is None
    assert errors.message.startswith("Something went wrong (RuntimeError)")
    assert len(errors.message) < 300


def test_export_scenario_round_trip_and_no_overwrite(tmp_path):
    panel = ui.ControlPanel(LEVERS)
    panel.load("china-crackdown")
    panel.controls["russia_arms_enforcement"].input.value = 0.35
    panel.controls["monitoring_regime"].input.value = "panel_of_experts"
    bar = ui.ExportBar(panel, folder=tmp_path)
    first = bar.save_scenario()
    second = bar.save_scenario()
    assert first != second and first.exists() and second.exists()
    assert "china-crackdown-edited" in first.name
    loaded = load_preset(str(first))
    assert loaded.params == panel.params()
    assert loaded.overrides == panel.params().changed()
    # The student is told the file name they got, and that the server keeps a copy (never where).
    assert second.name in bar.status.value and str(second.parent) not in bar.status.value
    assert "keeps a copy" in bar.status.value
    assert bar.downloads.names == [second.name]


def test_export_download_link_carries_the_file(tmp_path):
    """The status line's link holds exactly the bytes written on the server, under the file's name."""
    panel = ui.ControlPanel(["russia_arms_enforcement"])
    panel.controls["russia_arms_enforcement"].input.value = 0.35
    bar = ui.ExportBar(panel, results=lambda: simulate(panel.params()), folder=tmp_path)
    for save in (bar.save_scenario, bar.save_csv):
        path = save()
        links = re.findall(r"<a download='([^']*)' href='data:([^;]*);base64,([^']*)'", bar.status.value)
        assert [name for name, _mime, _data in links] == [path.name]
        _name, mime, data = links[0]
        assert base64.b64decode(data) == path.read_bytes()
        assert mime == {".toml": "application/toml", ".csv": "text/csv"}[path.suffix]
        assert "onerror=" in bar.status.value  # clicked for the student when shown
        assert html_module.escape(str(tmp_path)) not in bar.status.value  # no server path shown


def test_export_figure_and_csv(tmp_path):
    panel = ui.ControlPanel(["russia_arms_enforcement", "china_pipeline_cut"])
    results = simulate(panel.params())
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    texts_before = len(fig.texts)
    bar = ui.ExportBar(panel, figure=fig, results=lambda: results, title="Test figure", folder=tmp_path)
    png, pdf = bar.save_figure()
    assert png.suffix == ".png" and pdf.suffix == ".pdf"
    assert png.read_bytes()[:4] == b"\x89PNG" and pdf.read_bytes()[:4] == b"%PDF"
    assert len(fig.texts) == texts_before  # title and footer only in the files
    again = bar.save_figure()
    assert set(again).isdisjoint({png, pdf})
    csv_path = bar.save_csv()
    lines = csv_path.read_text().splitlines()
    assert lines[0].startswith("year,channel,partner,measure,unit,value")
    assert len(lines) == len(results.tidy()) + 1
    plt.close(fig)


def test_save_figure_footer_lists_sources(tmp_path, monkeypatch):
    fig, _ax = plt.subplots()
    captured = {}
    original = fig.savefig

    def spy(path, **kwargs):
        captured.setdefault("texts", [t.get_text() for t in fig.texts])
        return original(path, **kwargs)

    monkeypatch.setattr(fig, "savefig", spy)
    ui.save_figure(fig, tmp_path, "x", "Title here", "Baseline", ["russia_arms_enforcement"])
    joined = " ".join(captured["texts"]).replace("\n", " ")
    assert "Title here" in joined and "Scenario: Baseline" in joined
    for source in registry.get("russia_arms_enforcement").sources:
        assert source.publisher in joined
    plt.close(fig)


def test_unique_path_never_returns_existing(tmp_path):
    first = ui.unique_path(tmp_path / "new", "a b/c", ".toml")
    assert first.parent.is_dir() and " " not in first.name and "/" not in first.name
    first.write_text("")
    second = ui.unique_path(tmp_path / "new", "a b/c", ".toml")
    # The new name is reserved (an empty file of the caller's), never the existing one.
    assert second != first and second.stat().st_size == 0 and first.read_text() == ""


def test_headline_table_marks_values_and_differences():
    base = simulate(Params.defaults()).headline(2030)
    scen = simulate(Params.from_overrides({"russia_arms_enforcement": 1.0})).headline(2030)
    html = tables.headline_table(base, scen, 2030)
    values = {k: float(v) for k, v in re.findall(r"data-key='(\w+)' data-value='([^']+)'", html)}
    assert values == pytest.approx({k: scen[k] for k in HEADLINE_TABLE})
    assert "−$" in html  # a fall is shown with a minus sign
    assert set(values) == set(HEADLINE_TABLE)


def test_format_quantity():
    assert format_quantity(1.5e9, "USD/yr") == "$1.50 bn"
    assert format_quantity(-2.5e7, "USD/yr", difference=True) == "−$25.0 m"
    assert format_quantity(0.4567, "fraction") == "45.7%"
    assert format_quantity(0.01, "fraction", difference=True) == "+1.0 pp"
    assert format_quantity(2.5e6, "bbl/yr") == "2.50 m bbl"


def test_prepare_figure_hides_ipympl_chrome():
    class FakeCanvas:
        toolbar_visible = header_visible = footer_visible = resizable = True

    class FakeFigure:
        canvas = FakeCanvas()

    fig = prepare_canvas(FakeFigure())
    assert not any([fig.canvas.toolbar_visible, fig.canvas.header_visible, fig.canvas.footer_visible])
    agg, _ = plt.subplots()
    assert prepare_canvas(agg) is agg  # harmless on other canvases
    plt.close(agg)


def test_sources_for_is_distinct_and_ordered():
    found = tables.sources_for(["russia_oil_cap_enforcement", "russia_payment_oil_weight"])
    keys = [s.key for s in found]
    assert len(keys) == len(set(keys))
    assert keys[: len(registry.get("russia_oil_cap_enforcement").sources)] == [
        s.key for s in registry.get("russia_oil_cap_enforcement").sources
    ]
    assert np.all([s.url.startswith("http") for s in found])


def test_citations_are_escaped_and_kept_from_mathjax():
    from model.registry import Source

    source = Source("k", "Stole $1.34 bn <and> $6 bln", "Pub", "2024", "http://x")
    html_text = tables.citations_html([source, "plain $5 text"])
    assert html_text.startswith(f'<ul class="{tables.NO_MATH}">')
    assert "&lt;and&gt;" in html_text and "plain $5 text" in html_text


def test_exports_are_lf_readable_by_others_and_in_the_scenarios_years(tmp_path):
    import csv
    import os

    panel = ui.ControlPanel(LEVERS)
    panel.load("history")  # a scenario that shows fewer years than are simulated
    scenario = panel.scenario
    old = os.umask(0o022)
    try:
        bar = ui.ExportBar(panel, results=lambda: simulate(panel.params()), folder=tmp_path)
        table, saved = bar.save_csv(), bar.save_scenario()
    finally:
        os.umask(old)
    for path in (table, saved):
        assert path.stat().st_mode & 0o777 == 0o644
        assert b"\r" not in path.read_bytes()
    with table.open(newline="", encoding="utf-8") as stream:
        years = {int(row["year"]) for row in csv.DictReader(stream)}
    assert years == set(range(scenario.first_year, scenario.last_year + 1))


class _TinyApp(ui.SliderApp):
    """A minimal app on an Agg figure: one line of Russia's hard currency, and a switch to fail on purpose."""

    def __init__(self):
        from dprk_figures.style import new_figure

        self.fail = False
        figure, ax = new_figure(show=False)
        (self.line,) = ax.plot([], [])
        super().__init__(["russia_arms_enforcement"], figure, title="tiny", exports=False, presets=False)

    def redraw(self, results):
        if self.fail:
            raise RuntimeError("drawing failed")
        self.line.set_data(results.years, results.hard_currency_usd[0].sum(axis=1)[:, 1])
        self.readout.value = tables.headline_table(results.headline(2030), results.headline(2030), 2030)


def test_slider_app_runs_evaluate_and_redraw_and_shows_callback_errors():
    app = _TinyApp()
    before = app.line.get_ydata().copy()
    app.panel.controls["russia_arms_enforcement"].input.value = 1.0
    assert app.params["russia_arms_enforcement"][0] == 1.0
    assert (app.line.get_ydata() <= before).all() and (app.line.get_ydata() < before).any()
    assert app.errors.message == ""
    app.fail = True
    app.panel.controls["russia_arms_enforcement"].input.value = 0.5  # raises inside the callback
    assert "drawing failed" in app.errors.message and "RuntimeError" in app.errors.message
    app.fail = False
    app.panel.reset()
    assert app.errors.message == ""
    plt.close(app.figure)


def test_slider_app_evaluate_hook_replaces_the_model_run():
    class Counting(_TinyApp):
        calls = 0

        def evaluate(self, panel):
            Counting.calls += 1
            return simulate(panel.params())

    app = Counting()
    app.panel.controls["russia_arms_enforcement"].input.value = 1.0
    assert Counting.calls == 2  # once when built, once per change
    plt.close(app.figure)


def test_assumption_rows_are_made_when_their_section_is_opened_and_work_before():
    """A page creates every widget a kernel holds: the collapsed assumptions' rows wait until opened.

    Until then their values are kept, read, set (presets, scenario files, reset) and observed as if shown.
    """
    import ipywidgets

    before = len(ipywidgets.widgets.widget._instances)
    panel = ui.ControlPanel([*LEVERS, "diversion_share", "oil_need_bbl"])
    made_closed = len(ipywidgets.widgets.widget._instances) - before
    control = panel.controls["diversion_share"]
    assert not control._built and not panel.assumptions.children[0].children
    changes = []
    panel.observe(lambda p: changes.append(p.overrides()))
    parameter = control.parameter
    other = parameter.max if parameter.default != parameter.max else parameter.min
    panel.set_values({"diversion_share": other})
    assert changes[-1] == {"diversion_share": other} and control.value == other
    assert panel.params().scalar("diversion_share") == pytest.approx(other)
    with pytest.raises(ParameterError, match="diversion_share"):
        control.value = parameter.max + 1
    assert control.value == other and not control._built  # refused: kept as it was
    panel.reset()
    assert control.value == parameter.default and panel.overrides() == {}
    control.value = other
    count = len(changes)
    panel.open_assumptions()
    assert control._built and control.input.value == other  # the row shows what was set before
    made_open = len(ipywidgets.widgets.widget._instances) - before
    assert made_open > made_closed + 10
    control.input.value = parameter.default  # and once made, moving it is seen as before
    assert len(changes) == count + 1 and panel.overrides() == {}
    assert {id(panel.controls[n].widget) for n in ("diversion_share", "oil_need_bbl")} <= {
        id(w) for w in _walk(panel.assumptions)
    }
