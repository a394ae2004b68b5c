"""From game to analysis: the end state as a scenario, loaded in 07 with every lever.

And each team's objective checked across the plausible worlds (the robustness check of the 90-minute plan).
"""

from __future__ import annotations

import numpy as np
import pytest

from dprk_apps.roleplay import RoleplayApp
from dprk_roleplay import game as rules
from dprk_roleplay.robustness import objective_uncertainty
from model import registry
from model.scenarios import loads


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def played(tmp_path):
    app = RoleplayApp(folder=tmp_path / "exports", state_folder=tmp_path / "state", rounds=3)
    app.panels["china"].controls["china_pipeline_cut"].input.value = 0.5
    app.panels["russia"].controls["russia_payment_food_weight"].input.value = 0.6
    app.play_button.click()
    app.panels["un"].controls["crude_oil_cap_bbl"].input.value = 3_000_000
    app.panels["dprk"].controls["dprk_cyber_intensity"].input.value = 1.5
    app.play_button.click()
    return app


def test_the_end_state_is_a_scenario_file_that_sets_every_lever(played):
    played.export_button.click()
    assert played.file_errors.message == ""
    path = played.last_path
    assert path.suffix == ".json" and path.parent == played.folder
    scenario = loads(path.read_bytes(), path.name, ".json")
    assert set(scenario.overrides) == set(rules.lever_names()) and len(scenario.overrides) == len(
        registry.names("lever")
    )
    for name, value in played.game.values().items():
        assert registry.get(name).coerce(scenario.overrides[name]) == registry.get(name).coerce(value)
    assert (scenario.first_year, scenario.last_year) == (2025, 2028)


def test_07_loads_the_end_state_with_every_lever_at_the_games_values(played):
    from dprk_apps import uncertainty as ua
    from model import uncertainty as u

    played.export_button.click()
    path = played.last_path
    app = ua.UncertaintyApp(u.run_ensemble("baseline", 256, np.random.default_rng(3), keep="headlines"))
    assert len(app.panel.names) < len(registry.names("lever"))  # its Try it shows a short list
    assert app.upload.load_bytes(path.read_bytes(), path.name)
    params = app.panel.params()
    for name, value in played.game.settings().items():
        assert params.scalar(name) == pytest.approx(value)
    assert "UN cap on crude-oil deliveries: 3,000,000 bbl/yr" in app.upload.message.value  # not a control of 07
    found = app.show_team_objectives(draws=200)
    assert set(found) == set(played.game.setup.teams)
    assert "Worlds above 0" in app.team_scores.value


def test_the_robustness_check_is_centred_on_the_games_own_score(played):
    settings, years = played.game.settings(), played.game.rounds[-1].years
    found = objective_uncertainty(settings, years, draws=300, seed=5)
    for key, outcome in played.game.rounds[-1].outcomes.items():
        assert found[key]["central"] == pytest.approx(outcome.score, abs=1e-6)
        assert found[key]["p05"] <= found[key]["median"] <= found[key]["p95"]
        assert 0.0 <= found[key]["above_zero"] <= 1.0


@pytest.mark.parametrize("button", ["save_button", "export_button", "handout_button"])
def test_an_unwritable_exports_folder_still_delivers_the_roleplay_files_without_a_server_path(button, tmp_path):
    """Issue 28: the role-play's saved game, end state and handout use the fallback every export uses."""
    import base64
    import re

    from dprk_apps.exports import SPARE_FOLDER_NAME

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the exports folder should be", encoding="utf-8")
    app = RoleplayApp(folder=blocker / "exports", state_folder=tmp_path / "state", rounds=2)
    app.play_button.click()
    getattr(app, button).click()
    assert app.file_errors.message == ""
    text = app.file_status.value
    links = re.findall(r"<a download='([^']+)' href='data:[^;]+;base64,([^']+)'", text)
    assert len(links) == 1 and base64.b64decode(links[0][1]), "the file reached the browser"
    assert "could not keep a copy" in text and str(tmp_path) not in text and "/tmp" not in text
    assert app.last_path.parent.name == SPARE_FOLDER_NAME and not app.last_path.exists()
    if button == "save_button":
        assert rules.loads(base64.b64decode(links[0][1]), links[0][0]).played == 1
