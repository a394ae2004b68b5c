"""The apps' cosmetic faults stay fixed (issue 10): each test fails on the fault it is named after.

In-process, Agg backend, no kernel: the apps are built and driven the way their widgets drive them.
"""

import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
from matplotlib.patches import Rectangle

from dprk_apps import exports
from dprk_apps import uncertainty as ua
from dprk_apps.channels import ArmsApp, LabourApp, OilApp
from dprk_apps.controls import offered_presets
from dprk_apps.lab import DemoApp, LabApp
from dprk_apps.lifelines import LifelinesApp
from dprk_figures import style
from dprk_teaching.tables import sources_for
from model import registry
from model import uncertainty as u
from model.outcomes import PARTNER_NAMES
from model.results import PARTNERS
from model.scenarios import BASELINE, load_preset, preset_names

SLIDER_APPS = {"00": DemoApp, "01": LifelinesApp, "02": OilApp, "03": LabourApp, "04": ArmsApp, "05": LabApp}


@pytest.fixture(scope="module")
def lab():
    app = LabApp()
    yield app
    plt.close(app.figure)


@pytest.fixture(scope="module")
def baseline_worlds():
    return u.run_ensemble("baseline", 1024, np.random.default_rng(11), keep="headlines")


# ---------------------------------------------------------------------------------------------- difference panel
def _bar_span(app) -> float:
    heights = [abs(r.get_height()) for bars in app.lab.bars.values() for r in bars.patches]
    return max(heights)


def test_difference_scale_fits_the_bars_again_after_a_large_change(lab):
    lab.presets.dropdown.value = "max-pressure"
    low, high = lab.lab.axes["delta"].get_ylim()
    assert high - low > 4 * _bar_span(lab) * 0.3  # a large change: a wide scale
    lab.presets.reset_button.click()
    # A small change after the reset: its bars must not be slivers on the old scale.
    lab.panel.controls["russia_labour_enforcement"].input.value = 0.3
    span = 2 * max(_bar_span(lab), 1e8)  # both signs, and the panel's floor of +-USD 100 m
    low, high = lab.lab.axes["delta"].get_ylim()
    assert span >= 0.3 * (high - low), (span, low, high)
    assert low <= -_bar_span(lab) and _bar_span(lab) <= high  # and they fit


def test_difference_legend_shows_the_bar_colours(lab):
    legend = lab.lab.axes["delta"].get_legend()
    bar_colours = {mcolors.to_hex(r.get_facecolor()[:3]) for bars in lab.lab.bars.values() for r in bars.patches}
    assert [t.get_text() for t in legend.get_texts()] == ["hard currency", "leverage"]
    drawn = [p for p in legend.findobj(Rectangle) if p is not legend.legendPatch]  # the patches the legend shows
    legend_colours = {mcolors.to_hex(p.get_facecolor()[:3]) for p in drawn}
    assert legend_colours == bar_colours == {mcolors.to_hex(style.PARTNER_COLOURS[p]) for p in PARTNERS}


# ---------------------------------------------------------------------------------------------- presets
def test_the_chooser_says_when_the_values_were_edited(lab):
    lab.presets.dropdown.value = "russia-defects"
    described = lab.presets.description.value
    assert "Edited" not in described
    lever = lab.panel.controls["china_export_ban_enforcement"]
    lever.input.value = 0.2 if lever.input.value != 0.2 else 0.4
    edited = lab.presets.description.value
    assert "Edited" in edited and lever.parameter.title in edited
    assert load_preset("russia-defects").title in edited
    lab.presets.reset_button.click()
    assert "Edited" not in lab.presets.description.value
    assert lab.presets.description.value == lab.presets._describe(BASELINE)


def test_every_preset_offered_changes_what_the_lab_shows(lab):
    offered = offered_presets()
    assert BASELINE in offered and "history" not in offered
    assert set(offered) | {"history"} == set(preset_names())
    lab.presets.reset_button.click()
    shown_at_baseline = lab.lab.scenario_data()
    for name in offered:
        if name == BASELINE:
            continue
        lab.presets.dropdown.value = name
        shown = lab.lab.scenario_data()
        assert any(not np.allclose(shown[k], shown_at_baseline[k], equal_nan=True) for k in shown), name
    assert [n for _title, n in lab.presets.dropdown.options] == offered


def test_the_reset_button_is_as_wide_as_its_label(lab):
    layout = lab.presets.reset_button.layout
    assert layout.width == "auto" and int(layout.min_width.removesuffix("px")) >= 170


# ---------------------------------------------------------------------------------------------- tables and labels
CELL = re.compile(r"<(td|th)(?P<attributes>(?:\s[^>]*)?)>")


@pytest.mark.parametrize("key", list(SLIDER_APPS))
def test_every_table_cell_has_room_around_it(key):
    app = SLIDER_APPS[key]()
    try:
        cells = list(CELL.finditer(app.readout.value))
        assert cells, "the readout has a table"
        for cell in cells:
            assert re.search(r"padding:\s*\d+px \d*[1-9]\d*px", cell.group("attributes")), cell.group(0)
    finally:
        plt.close(app.figure)


@pytest.mark.parametrize("key", list(SLIDER_APPS))
def test_partner_names_keep_their_capitals(key):
    app = SLIDER_APPS[key]()
    try:
        texts = [app.readout.value] + [t.get_text() for t in app.figure.findobj(matplotlib.text.Text)]
        for name in PARTNER_NAMES.values():
            if name != name.lower():
                assert not any(re.search(rf"\b{name.lower()}\b", text) for text in texts), name
    finally:
        plt.close(app.figure)


# ---------------------------------------------------------------------------------------------- dollar signs
def test_no_dollar_sign_reaches_mathjax_in_07s_markdown(baseline_worlds):
    rule, figure = ua.discovery(baseline_worlds)
    plt.close(figure)
    table, figure = ua.comparison(5, draws=512)
    plt.close(figure)
    for text in (ua.assumptions_markdown(), ua.statements(baseline_worlds), rule, table):
        assert "$" not in text
    # The notes that had dollar amounts still say them, in USD.
    assert "USD 42" in ua.assumptions_markdown()


# ---------------------------------------------------------------------------------------------- exports
def test_the_sources_footer_takes_a_bounded_share_of_an_exported_figure(lab, tmp_path):
    cited = [exports._cite_short(s) for s in sources_for(lab.panel.names)]
    assert len(cited) > 20  # the lab's parameters cite many sources: the case that went wrong
    added = exports.annotate(lab.figure, "Scenario lab", "baseline", cited)
    try:
        renderer = lab.figure.canvas.get_renderer()
        whole = lab.figure.get_tightbbox(renderer)
        footer = added[1].get_window_extent(renderer).transformed(lab.figure.dpi_scale_trans.inverted())
        assert footer.height <= exports.FOOTER_MAX_SHARE * whole.height
        assert "more (every source: python -m model params)" in added[1].get_text().replace("\n", " ")
    finally:
        for artist in added:
            artist.remove()
    paths = exports.save_figure(lab.figure, tmp_path, "lab", "Scenario lab", "baseline", lab.panel.names)
    assert [p.suffix for p in paths] == [".png", ".pdf"]


def test_a_short_source_list_is_printed_whole(lab):
    cited = ["KOTRA (2024): trade", "BOK (2024): estimates"]
    text = exports.footer_text(lab.figure, cited)
    assert all(c in text for c in cited) and "more" not in text


# ---------------------------------------------------------------------------------------------- 07's threshold
@pytest.mark.parametrize("typed", ["-5", "1e9", "abc", ""])
def test_the_threshold_box_refuses_what_it_cannot_use(baseline_worlds, typed):
    app = ua.UncertaintyApp(baseline_worlds)
    try:
        before, readout = app.threshold_value, app.readout.value
        app.threshold.value = typed
        assert app.threshold_value == before and app.readout.value == readout
        message = app.threshold_message.value
        allowed = app.threshold_parameter()
        assert f"allowed 0 to {registry.format_value(allowed.max)}" in message and "stays" in message
    finally:
        app.close()


def test_a_threshold_in_range_is_used(baseline_worlds):
    app = ua.UncertaintyApp(baseline_worlds)
    try:
        app.outcome.value = "lifeline_share_russia"
        assert app.threshold_parameter().unit == "%"
        inside = app.threshold_parameter().max / 2
        app.threshold.value = f"{inside:g}%"  # a value in percent, with its sign
        assert app.threshold_value == pytest.approx(inside) and app.threshold_message.value == ""
        assert f"{inside:g}" in app.readout.value
    finally:
        app.close()


# ---------------------------------------------------------------------------------------------- links
ADDRESS = re.compile(r"https?://(?:[^\s<>\"';]|;(?!\s|$))+")


def _addresses_are_links(html_text: str) -> int:
    """Assert every web address in ``html_text`` is an ``<a href>`` opening a new tab; return how many."""
    links = re.findall(r'<a href="([^"]+)" target="_blank" rel="noopener noreferrer">([^<]+)</a>', html_text)
    assert all(href == text for href, text in links)
    outside_links = re.sub(r"<a [^>]*>[^<]*</a>", "", html_text)
    assert not ADDRESS.search(outside_links), ADDRESS.search(outside_links)
    return len(links)


def test_every_source_address_the_apps_show_is_a_link(lab):
    from dprk_apps.lifelines import episodes_html
    from dprk_teaching.tables import citations_html

    assert _addresses_are_links(citations_html(sources_for(lab.panel.names))) >= 20
    assert _addresses_are_links(episodes_html()) >= 5
    shown = sum(_addresses_are_links(control.info.value) for control in lab.panel.controls.values())
    assert shown >= 20


def test_linking_keeps_punctuation_and_escapes_text():
    from dprk_teaching.tables import linked

    text = linked("A & B, KOTRA, 2024, https://example.org/a?b=1&c=2.")
    assert text.endswith('">https://example.org/a?b=1&amp;c=2</a>.') and "A &amp; B" in text


# ---------------------------------------------------------------------------------------------- 07's frames
def test_07s_cached_frame_equals_a_full_draw(baseline_worlds):
    app = ua.UncertaintyApp(baseline_worlds)
    try:
        control = app.panel.controls["russia_arms_enforcement"].input
        for value in (0.3, 0.35, 0.9):  # a move within the axes' limits, and one that changes them
            control.value = value
            assert app.errors.message == ""
            framed = np.asarray(app.figure.canvas.buffer_rgba()).copy()
            app.figure.canvas.draw()
            full = np.asarray(app.figure.canvas.buffer_rgba())
            assert np.mean(np.any(framed != full, axis=-1)) < 0.01
    finally:
        app.close()


# ---------------------------------------------------------------------------------------------- offline pages
def test_the_offline_template_removes_every_outside_link_of_voilas_lab_template():
    """The offline template strips Voila's CDN links by their exact text: they must still be Voila's text."""
    from pathlib import Path

    from jupyter_core.paths import jupyter_path

    share = Path(__file__).resolve().parents[1] / "classroom" / "share" / "voila" / "templates"
    offline = (share / "offline" / "index.html.j2").read_text()
    lab = next(Path(p) / "index.html.j2" for p in jupyter_path("voila", "templates", "lab") if Path(p).is_dir())
    outside = re.findall(r'<link [^>]*href="https?://[^"]+"[^>]*/>', lab.read_text())
    assert outside, "Voila's lab template links no outside style sheet any more: drop the offline template"
    stripped = re.findall(r"replace\('([^']+)', ''\)", offline)
    assert sorted(stripped) == sorted(outside)
    classroom = (share / "classroom" / "index.html.j2").read_text()
    assert classroom.startswith("{%- extends 'offline/index.html.j2' -%}")
