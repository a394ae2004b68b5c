"""A game that never dies.

It saves itself after every change, a new page offers to resume it, and the class server never culls the
facilitator's app while its page is open.
"""

from __future__ import annotations

import asyncio
import json
import os
import stat

import pytest

import dprk_roleplay as roleplay
from dprk_apps.roleplay import RoleplayApp
from dprk_roleplay import autosave
from dprk_roleplay import game as rules


@pytest.fixture(autouse=True)
def _close_figures():
    """Each app holds a figure of rounds: close them, so that many apps in one session do not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def folders(tmp_path):
    return tmp_path / "exports", tmp_path / "state"


def _app(folders):
    exports, state = folders
    return RoleplayApp(folder=exports, state_folder=state, rounds=4)  # more rounds than the default plan's


def test_a_fresh_page_writes_nothing_and_offers_nothing(folders):
    app = _app(folders)
    assert not folders[1].exists()
    assert app.resume_box.layout.display == "none"


def test_every_round_and_every_entry_is_saved_atomically_with_private_permissions(folders):
    app = _app(folders)
    app.panels["china"].controls["china_smuggling_enforcement"].input.value = 0.5
    path = app.autosave.path
    assert path.is_file() and autosave.NAME.fullmatch(path.name)
    assert stat.S_IMODE(os.stat(folders[1]).st_mode) == 0o700 and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert autosave.read(path).pending.choices == {"china": {"china_smuggling_enforcement": 0.5}}
    app.play_button.click()
    saved = autosave.read(path)
    assert saved.game == app.game and saved.revision >= 2
    assert [p.name for p in folders[1].iterdir()] == [path.name]  # no temporary file left behind


def test_a_kernel_warmed_before_the_game_offers_it_once_a_page_draws_the_app(folders):
    """A Voila pool runs the notebook before anyone opens it: the list of saved games is read again on drawing."""
    warmed = _app(folders)  # warmed in the pool while no game had been saved
    first = _app(folders)
    first.play_button.click()
    assert warmed.resume_box.layout.display == "none"  # what the warm kernel saw
    warmed.page_views.views += 1  # what the page's JavaScript sends when it draws the app
    assert warmed.resume_box.layout.display == ""
    assert warmed.resume_button.description == "Resume game from round 1"


def test_a_new_page_resumes_the_game_with_the_same_scoreboard_and_the_entries_typed(folders):
    first = _app(folders)
    first.title_box.value = "Seminar B"
    first.start_button.click()
    for _ in range(3):
        first.panels["dprk"].controls["dprk_cyber_intensity"].input.value = 0.5 + first.game.played * 0.25
        first.play_button.click()
    first.panels["russia"].controls["russia_payment_food_weight"].input.value = 0.6
    again = _app(folders)  # a reloaded page, or a restarted server: a new kernel
    assert again.resume_box.layout.display == ""
    assert again.resume_button.description == "Resume game from round 3"
    assert "Seminar B: 3 of 4 rounds played" in again.resume_choice.label
    again.resume_button.click()
    assert again.file_errors.message == ""
    assert again.game == first.game and again.scoreboard.value == first.scoreboard.value
    assert again.panels["russia"].controls["russia_payment_food_weight"].value == 0.6
    assert again.autosave.session == first.autosave.session  # it goes on writing the same file
    again.play_button.click()
    assert autosave.read(first.autosave.path).game.played == 4


def test_a_broken_or_foreign_file_in_the_state_folder_is_never_offered(folders):
    app = _app(folders)
    app.play_button.click()
    state = folders[1]
    (state / "game-20260101-000000-abcdef.json").write_text('{"kind": "roleplay_autosave", "format": 1}')
    (state / "notes.json").write_text("{}")
    good = json.loads(app.autosave.path.read_text())
    good["game"]["rounds"][0]["choices"] = {"china": {"not_a_lever": 1}}
    good["session"] = "game-20260101-000001-abcdef"
    (state / "game-20260101-000001-abcdef.json").write_text(json.dumps(good))
    assert [s.session for s in autosave.saved_games(state)] == [app.autosave.session]
    with pytest.raises(rules.GameError, match="not_a_lever"):
        autosave.read(state / "game-20260101-000001-abcdef.json")


def test_session_names_never_come_from_user_input(folders):
    with pytest.raises(rules.GameError):
        autosave.Autosave(folders[1], "../../etc/passwd")
    app = _app(folders)
    app.title_box.value = "../../evil"
    app.start_button.click()
    assert app.autosave.path.parent == folders[1] and "evil" not in app.autosave.path.name


def test_the_state_folder_sits_beside_the_exports(tmp_path, monkeypatch):
    monkeypatch.delenv(autosave.STATE_VARIABLE, raising=False)
    assert autosave.state_folder(tmp_path / "exports") == tmp_path / "exports-state"
    monkeypatch.setenv(autosave.STATE_VARIABLE, str(tmp_path / "elsewhere"))
    assert autosave.state_folder(tmp_path / "exports") == tmp_path / "elsewhere"


# ---------------------------------------------------------------------------------------------- the class server
def _manager(notebook: str, connections: int):
    """The class pool's kernel manager on a stand-in for Voilà's, with one student's kernel."""
    from dprk_internals.voila_pool import PoolSettings, pooling_kernel_manager

    culled = []

    class Base:
        async def cull_kernel_if_idle(self, kernel_id):
            culled.append(kernel_id)

    manager = pooling_kernel_manager(Base, PoolSettings())()
    manager._kernel_connections = {"k": connections}
    manager._state()["students"]["k"] = {"notebook": notebook, "since": 0, "seen": 0, "connected": True}
    return manager, culled


@pytest.mark.parametrize(
    ("notebook", "connections", "culled"),
    [("08_roleplay.ipynb", 1, False), ("08_roleplay.ipynb", 0, True), ("05_scenario_lab.ipynb", 1, True)],
)
def test_the_facilitators_app_is_never_culled_while_its_page_is_open(notebook, connections, culled):
    manager, calls = _manager(notebook, connections)
    asyncio.run(manager.cull_kernel_if_idle("k"))
    assert (calls == ["k"]) is culled


def test_the_class_server_keeps_the_role_play_open_by_default():
    from dprk_internals.voila_pool import PoolSettings

    assert PoolSettings().keep_while_open == ("08_roleplay.ipynb",)
    assert "08_roleplay.ipynb" in [app["notebook"] for app in _catalogue()]


def _catalogue():
    from classroom.catalogue import load_apps

    return [a.as_dict() for a in load_apps()]


def test_every_team_of_the_saved_game_is_a_team_of_the_cards(folders):
    app = _app(folders)
    app.play_button.click()
    assert set(autosave.read(app.autosave.path).game.setup.teams) <= set(roleplay.teams())
