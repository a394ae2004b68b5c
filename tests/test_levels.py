"""Every notebook states its level and time in its first cell, exactly as classroom/apps.toml says."""

import re

import jupytext
import pytest

from classroom.catalogue import LEVEL_WORDS, LEVELS, load_apps
from tests.notebook_runner import NOTEBOOK_DIR

APPS = {app.notebook: app for app in load_apps(notebooks=NOTEBOOK_DIR)}
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
STATED = re.compile(r"\*\*Level:\*\* (?P<level>[a-z]+) · \*\*Time:\*\* (?P<minutes>\d+) min")


def test_every_level_has_its_words():
    assert set(LEVEL_WORDS) == set(LEVELS)
    assert len(set(LEVEL_WORDS.values())) == len(LEVELS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_first_cell_states_the_catalogue_level_and_time(path):
    assert path.name in APPS, f"{path.name} is not in classroom/apps.toml"
    app = APPS[path.name]
    first = next(cell for cell in jupytext.read(path).cells if cell.cell_type == "markdown")
    found = STATED.findall(first.source)
    assert len(found) == 1, f"{path.name}: the first markdown cell must say '**Level:** … · **Time:** N min' once"
    level, minutes = found[0]
    assert (level, int(minutes)) == (app.level_words, app.minutes), (
        f"{path.name} says {level}, {minutes} min; apps.toml says {app.level_words}, {app.minutes} min"
    )


def test_start_here_lists_the_catalogue_times():
    # 00's table of notebooks gives each one's time; it must be the catalogue's.
    start = jupytext.read(NOTEBOOK_DIR / "00_start_here.ipynb")
    text = "\n".join(cell.source for cell in start.cells if cell.cell_type == "markdown")
    rows = dict(re.findall(r"^\| \*\*(\d\d_\w+)\*\* \|.*\| (\d+) min \|$", text, flags=re.M))
    listed = {app.name: app for app in APPS.values() if app.name != "00_start_here"}
    assert set(rows) == set(listed)
    for name, minutes in rows.items():
        assert int(minutes) == listed[name].minutes, name


def test_the_class_landing_page_writes_the_same_words():
    from classroom.server import landing_page

    apps = list(APPS.values())
    page = landing_page(apps, base_url="/", join_url="", qr_svg="", class_code="x", pool_sizes={}, lecturer=True)
    for app in APPS.values():
        assert f"<td>{app.level_words}</td><td>{app.minutes} min</td>" in page, app.name
