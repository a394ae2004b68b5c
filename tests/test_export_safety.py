"""Exports never fail a student: unique names, a download even when no copy can be kept, no server path."""

from __future__ import annotations

import base64
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from dprk_apps.controls import ControlPanel
from dprk_apps.exports import SPARE_FOLDER_NAME, ExportBar, unique_path
from model.scenarios import load_preset, loads, save_scenario


def test_eighteen_saves_in_the_same_second_get_eighteen_names(tmp_path):
    scenario = load_preset("max-pressure")
    start = threading.Barrier(18)

    def save(_index: int) -> Path:
        start.wait()  # all at once, as a class pressing the button together
        return save_scenario(scenario, unique_path(tmp_path, "max-pressure", ".toml"), overwrite=True)

    with ThreadPoolExecutor(18) as pool:
        paths = list(pool.map(save, range(18)))
    assert len(set(paths)) == 18
    assert all(load_preset(str(p)).overrides == scenario.overrides for p in paths)


def test_a_reserved_name_is_never_one_that_existed(tmp_path):
    taken = unique_path(tmp_path, "s", ".toml")
    taken.write_text("a student's file", encoding="utf-8")
    again = unique_path(tmp_path, "s", ".toml")
    assert again != taken and taken.read_text(encoding="utf-8") == "a student's file"


def _downloaded(bar: ExportBar) -> dict[str, bytes]:
    links = re.findall(r"<a download='([^']+)' href='data:[^;]+;base64,([^']+)'", bar.status.value)
    return {name: base64.b64decode(data) for name, data in links}


@pytest.mark.parametrize("action", ["save_scenario", "save_figure", "save_csv", "save_handout"])
def test_an_unwritable_exports_folder_still_reaches_the_browser_without_a_server_path(action, tmp_path):
    import matplotlib.pyplot as plt

    from model import simulate

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the exports folder should be", encoding="utf-8")
    panel = ControlPanel(["china_smuggling_enforcement"])
    panel.controls["china_smuggling_enforcement"].value = 0.9
    figure = plt.figure()
    try:
        bar = ExportBar(panel, figure, lambda: simulate(panel.params()), title="Test", folder=blocker / "exports")
        getattr(bar, action)()
    finally:
        plt.close(figure)
    files = _downloaded(bar)
    assert files and all(data for data in files.values())
    text = bar.status.value
    assert "could not keep a copy" in text and str(tmp_path) not in text and "/tmp" not in text
    assert bar.errors.message == ""
    assert all(not p.exists() and p.parent.name == SPARE_FOLDER_NAME for p in bar.last_paths)  # nothing left
    if action == "save_scenario":
        name, data = next(iter(files.items()))
        assert loads(data, name, "toml").overrides == {"china_smuggling_enforcement": 0.9}


def test_a_kept_export_names_no_server_folder(tmp_path):
    panel = ControlPanel(["china_smuggling_enforcement"])
    bar = ExportBar(panel, title="Test", folder=tmp_path / "exports")
    path = bar.save_scenario()
    assert path.is_file() and path.parent == tmp_path / "exports"
    assert "keeps a copy in its exports folder" in bar.status.value
    assert str(tmp_path) not in bar.status.value
