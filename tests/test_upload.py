"""Loading a saved scenario file from the page: the lab's and the uncertainty app's upload button.

The callback is driven the way the browser drives it (the file button's message with the file's bytes), with
good files (saved by the suite itself, TOML and JSON) and every kind of file the loader refuses; a file above
the limit is refused without being sent, and messages a page should not send are ignored.
"""

import json

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from dprk_apps import uncertainty as ua
from dprk_apps.lab import LabApp
from dprk_teaching.tables import shown_values
from model import uncertainty as u
from model.errors import ScenarioFileError
from model.scenarios import MAX_BYTES, Scenario, load_preset, loads, save_scenario
from tests.test_bad_inputs import FILE_ROWS


def page_sends(picker, content, buffers=()) -> None:
    """A message from the page to a file button, through every handler the widget registered (``on_msg``)."""
    picker._msg_callbacks(picker, content, list(buffers))


def _upload(app, name: str, content: bytes) -> None:
    """What the browser sends when a file is chosen (file_picker.js): its name and size, its bytes."""
    page_sends(app.upload.button, {"kind": "file", "name": name, "size": len(content)}, [memoryview(content)])


@pytest.fixture(scope="module")
def lab():
    return LabApp()


@pytest.fixture(scope="module")
def uncertainty_app():
    baseline = u.run_ensemble("baseline", 256, np.random.default_rng(11), keep="headlines")
    return ua.UncertaintyApp(baseline)


@pytest.fixture(params=["lab", "uncertainty"])
def app(request, lab, uncertainty_app):
    chosen = lab if request.param == "lab" else uncertainty_app
    chosen.panel.reset()
    return chosen


def test_loads_reads_bytes_as_load_preset_reads_files(tmp_path):
    scenario = load_preset("russia-defects")
    for suffix in (".toml", ".json"):
        path = save_scenario(scenario, tmp_path / f"saved{suffix}")
        loaded = loads(path.read_bytes(), path.name, suffix)
        assert loaded.overrides == scenario.overrides and loaded.title == scenario.title
        assert loaded.name == "saved"
    with pytest.raises(ScenarioFileError, match="yaml"):
        loads(b'title = "x"\n', "s.yaml", "yaml")


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_a_saved_scenario_sets_the_controls_and_the_readout(app, tmp_path, suffix):
    preset = load_preset("max-pressure")
    shown = {k: v for k, v in preset.overrides.items() if k in app.panel.controls}
    assert shown, "the preset must move at least one control of this app"
    path = save_scenario(Scenario("mine", "My pressure", "", preset.overrides), tmp_path / f"mine{suffix}")
    before = app.readout.value
    _upload(app, path.name, path.read_bytes())
    assert app.upload.error == "" and "My pressure" in app.upload.message.value
    assert app.panel.params() == preset.params  # shown and hidden values alike
    for name, value in shown.items():
        assert app.panel.controls[name].value == value
    assert app.readout.value != before and app.errors.message == ""
    _upload(app, path.name, path.read_bytes())  # the same file again: loaded again
    assert app.upload.error == "" and "My pressure" in app.upload.message.value


def test_a_lab_upload_changes_the_headline_numbers(lab, tmp_path):
    lab.panel.reset()
    base = shown_values(lab.table.value)
    path = save_scenario(load_preset("war-escalates"), tmp_path / "escalates.toml")
    _upload(lab, path.name, path.read_bytes())
    after = shown_values(lab.table.value)
    assert after["hard_currency_russia_usd"] > base["hard_currency_russia_usd"]


@pytest.mark.parametrize(("kind", "name", "content", "words"), FILE_ROWS, ids=[r[0] for r in FILE_ROWS])
def test_a_refused_file_is_explained_beside_the_button_and_changes_nothing(app, kind, name, content, words):
    app.panel.set_values({"russia_arms_enforcement": 0.5})  # a state that differs from the defaults
    values, readout, scenario = app.panel.values(), app.readout.value, app.panel.scenario
    _upload(app, name, content)
    message = app.upload.error
    assert message and name in message, (kind, message)
    expected = [".toml", ".json"] if kind == "wrong suffix" else words
    for word in expected:
        assert word in message, (kind, message)
    assert "scenario-upload-error" in app.upload.message._dom_classes
    assert app.panel.values() == values and app.panel.scenario is scenario and app.readout.value == readout


def test_a_good_file_after_a_bad_one_clears_the_message(app, tmp_path):
    _upload(app, "bad.toml", b"title = = 3\n")
    assert app.upload.error
    good = json.dumps({"title": "Ceasefire", "overrides": {"ceasefire_year": 2027}}).encode()
    _upload(app, "good.json", good)
    assert app.upload.error == "" and "scenario-upload-error" not in app.upload.message._dom_classes
    assert app.panel.controls["ceasefire_year"].value == 2027


def test_a_file_above_the_limit_is_refused_without_its_bytes(lab):
    """The page sends only the name and size of a file above the limit; the message names both and the limit."""
    before = lab.panel.values()
    size = MAX_BYTES * 20
    page_sends(lab.upload.button, {"kind": "file", "name": "C:/Users/me/huge.toml", "size": size})
    assert (
        lab.upload.error == f"huge.toml: {size:,} bytes is too large for a scenario file (at most {MAX_BYTES:,} bytes)."
    )
    assert lab.panel.values() == before
    assert lab.upload.button.max_bytes == MAX_BYTES  # the page's own limit: it reads no larger file


@pytest.mark.parametrize(
    "content, buffers",
    [
        ("not a dict", []),
        ({"kind": "something else", "name": "x.toml", "size": 3}, [b"a=1"]),
        ({"kind": "file", "name": "x.toml", "size": -5}, []),
        ({"kind": "file", "name": "x.toml"}, []),
        ({"kind": "file", "name": "x.toml", "size": "many"}, []),
    ],
    ids=["not-a-dict", "other-kind", "negative-size", "no-size-no-bytes", "size-not-a-number"],
)
def test_messages_a_page_should_not_send_change_nothing(lab, content, buffers):
    before, message = lab.panel.values(), lab.upload.message.value
    page_sends(lab.upload.button, content, buffers)
    assert lab.panel.values() == before and lab.upload.message.value == message
