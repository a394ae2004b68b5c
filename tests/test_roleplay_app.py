"""The role-play app, driven in-process through its widgets (notebook 08 runs headless in test_notebooks.py)."""

from __future__ import annotations

import re

import pytest

import dprk_roleplay as roleplay
from dprk_apps.roleplay import RoleplayApp
from dprk_roleplay import game as rules
from dprk_teaching.roleplay_text import cards_markdown, exercise, history_html, scoreboard_html


@pytest.fixture(autouse=True)
def _close_figures():
    """Each app holds a figure of rounds: close them, so that many apps in one session do not pile up."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture
def app(tmp_path):
    return RoleplayApp(folder=tmp_path, rounds=4)  # a four-round game: more than the default plan's


def totals(html_text):
    return {k: float(v) for k, v in re.findall(r"data-key='total\.(\w+)' data-value='([^']+)'", html_text)}


def upload(app, name, content):
    """What the page sends when a game file is chosen (dprk_apps/file_picker.js): name and size, then the bytes."""
    app.upload._msg_callbacks(app.upload, {"kind": "file", "name": name, "size": len(content)}, [memoryview(content)])


def test_each_tab_holds_exactly_its_cards_levers(app):
    for key, team in roleplay.teams().items():
        assert app.panels[key].names == list(team.levers)
    assert app.panels[rules.FACILITATOR].names == list(roleplay.facilitator().levers)
    assert list(app.tabs.titles) == [t.short for t in roleplay.teams().values()] + ["Facilitator: events"]


def test_the_tabs_follow_the_setup_and_show_the_levers_in_force(app):
    app.team_boxes["china"].value = False
    app.team_boxes["un"].value = False
    app.rounds_box.value, app.years_box.value = 3, 3
    app.start_button.click()
    assert app.errors.message == ""
    assert app.game.setup.teams == ("russia", "allies", "dprk") and app.game.setup.years(3) == (2031, 2033)
    assert list(app.tabs.titles) == ["Russia", "US, ROK, Japan", "North Korea", "Facilitator: events"]
    assert set(totals(app.scoreboard.value)) == set()  # nothing played yet
    app.event_chooser.value = ("war_escalates",)
    app.play_button.click()
    assert set(totals(app.scoreboard.value)) == {"russia", "allies", "dprk"}
    # The facilitator's tab shows the card's value, now in force.
    assert app.panels[rules.FACILITATOR].controls["war_demand_level"].value == 1.5
    assert app.event_chooser.value == ()  # a card is played once


def test_the_figures_fit_a_narrow_page(app):
    # Without the fit style the figure of rounds (about 1,000 px) was cut off on an 800 px page (test_e2e).
    from dprk_apps.layout import FIT_CSS

    assert any(FIT_CSS in getattr(w, "value", "") for w in app.widget.children)


def test_the_scoreboard_shows_the_engines_outcomes(app):
    app.panels["russia"].controls["russia_arms_enforcement"].input.value = 1.0
    app.play_button.click()
    expected = rules.play(rules.new_game(tuple(roleplay.teams()), 4, 2), {"russia": {"russia_arms_enforcement": 1.0}})
    assert app.game == expected
    assert totals(app.scoreboard.value) == {k: o.total for k, o in expected.rounds[-1].outcomes.items()}
    assert scoreboard_html(app.game) == app.scoreboard.value
    assert "Russia: Russia stops buying North Korean arms: 100%" in history_html(app.game)  # titles, not names


def test_only_changed_controls_are_moves_and_a_refused_typed_value_moves_nothing(app):
    control = app.panels["china"].controls["china_pipeline_cut"]
    control.type_value("150%")
    assert "out of range" in control.message.value
    assert app.choices() == {}
    control.type_value("25%")
    assert app.choices() == {"china": {"china_pipeline_cut": 0.25}}
    app.play_button.click()
    assert app.choices() == {}  # the tab now shows the value in force


def test_errors_are_messages_never_tracebacks(app):
    app.panels["russia"].set_values({f"russia_payment_{f}_weight": 0.0 for f in ("cash", "oil", "food", "technology")})
    app.play_button.click()
    assert "payment weights" in app.errors.message and app.game.played == 0
    app.panels["russia"].set_values({"russia_payment_cash_weight": 0.5})
    app.play_button.click()
    assert app.errors.message == "" and app.game.played == 1
    for key in roleplay.teams():
        app.team_boxes[key].value = False
    app.start_button.click()
    assert "teams is empty" in app.errors.message and app.game.played == 1
    app.undo_button.click()
    app.undo_button.click()  # nothing left to undo: the button is disabled, a call is refused with a message
    assert app.undo_button.disabled and "no round has been played yet" in app.errors.message


def test_a_finished_game_cannot_be_played_on_and_undo_goes_back(app):
    for _ in range(4):
        app.play_button.click()
    assert app.game.finished and app.play_button.disabled and "All 4 rounds played" in app.status.value
    app.play_button.click()
    assert "all are played" in app.errors.message
    app.undo_button.click()
    assert not app.game.finished and not app.play_button.disabled


def test_saving_twice_makes_two_files_and_loading_continues_the_game(app, tmp_path):
    app.panels["dprk"].controls["dprk_workers_sent"].input.value = 1.5
    app.event_chooser.value = ("border_incident",)
    app.play_button.click()
    first = app.save()
    second = app.save()
    assert first != second and first.read_bytes() == second.read_bytes()
    game = app.game
    app.start_button.click()  # a new game
    assert app.game.played == 0
    upload(app, first.name, first.read_bytes())
    assert app.file_errors.message == "" and app.game == game
    assert app.panels["dprk"].controls["dprk_workers_sent"].value == 1.5
    assert "1 of 4 rounds" in app.file_status.value
    app.play_button.click()
    assert app.game == rules.play(game, {}, ())
    # The same file again: loaded again.
    upload(app, first.name, first.read_bytes())
    assert app.game == game


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text"),
        (b'{"kind": "scenario", "format": 1, "setup": {}, "rounds": []}', "a game file has kind 'roleplay_game'"),
    ],
)
def test_a_bad_upload_is_refused_beside_the_control(app, content, message):
    app.play_button.click()
    game = app.game
    upload(app, "bad.json", content)
    assert message in app.file_errors.message and "bad.json" in app.file_errors.message
    assert app.game == game and app.errors.message == ""


def test_cards_and_solutions_come_from_the_data():
    shorts = [team.short for team in roleplay.teams().values()]
    assert all(shorts) and len(set(shorts)) == len(shorts)
    assert all(len(team.short) <= len(team.title) for team in roleplay.teams().values())
    table = cards_markdown()
    for team in roleplay.teams().values():
        assert f"**{team.short}**" in table
    for number in (1, 2, 3):
        assert "<details" in exercise(number).data
    with pytest.raises(ValueError, match="exercises 1 to 3"):
        exercise(4)


# ---------------------------------------------------------------------------------------------- handout
def test_the_handout_button_writes_a_new_one_page_pdf_of_the_game(app):
    import pypdf

    app.panels["russia"].controls["russia_arms_enforcement"].input.value = 1.0
    app.event_chooser.value = ("ceasefire",)
    app.play_button.click()
    app.handout_button.click()
    assert app.file_errors.message == ""
    first = app.last_path
    app.handout_button.click()
    assert app.last_path != first and first.is_file()  # a new file, never an overwrite
    reader = pypdf.PdfReader(first)
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())  # a long objective may wrap a title onto two lines
    for team in roleplay.teams().values():
        assert team.short in text
    assert "Russia stops buying North Korean arms" in text and "Ceasefire in Ukraine" in text
    total = app.game.totals()["russia"]
    assert (f"{total:+.1f}" if abs(total) >= 0.05 else "0.0") + " points" in text  # the handout writes zero as 0.0


def test_the_handout_says_what_happened_in_the_game():
    from dprk_teaching.roleplay_handout import content_for_game

    empty = content_for_game(rules.new_game(["china", "dprk"], 3, 2, "Group A"))
    assert empty.title == "Group A" and "no round played yet" in empty.description and empty.draw_figure is None
    assert empty.settings == ()
    game = rules.play(rules.new_game(["china", "dprk"], 3, 2), {"china": {"china_pipeline_cut": 0.5}}, ("ceasefire",))
    content = content_for_game(game)
    rows = {s.title: s for s in content.settings}
    assert set(rows) == {"China withholds pipeline crude", "Year of a ceasefire in Ukraine"}
    assert rows["China withholds pipeline crude"].value == "50%"
    assert "baseline: 0%" in rows["China withholds pipeline crude"].note
    assert "China, round 1" in rows["China withholds pipeline crude"].note
    assert "After round 1" in content.description and "Ceasefire in Ukraine" in content.description
    assert [k.value for k in content.key_numbers] == [f"{game.totals()[k]:+.1f} points" for k in ("china", "dprk")]
    assert set(roleplay.teams()["china"].sources) <= set(content.sources)


def test_the_handout_command_reads_a_saved_game(tmp_path, capsys):
    import pypdf

    from dprk_cli import main

    game = rules.play(rules.new_game(["un"], 2, 2, "UN alone"), {"un": {"refined_oil_cap_bbl": 1_000_000}})
    saved = rules.save_game(game, tmp_path / "game.json")
    assert main(["handout", str(saved), "--pdf", str(tmp_path / "game.pdf")]) == 0
    assert "UN alone" in pypdf.PdfReader(tmp_path / "game.pdf").pages[0].extract_text()
    broken = tmp_path / "broken.json"
    broken.write_text(saved.read_text(encoding="utf-8").replace('"un"', '"nato"'), encoding="utf-8")
    assert main(["handout", str(broken), "--pdf", str(tmp_path / "broken.pdf")]) == 2
    assert "'nato' is not a team" in capsys.readouterr().err
    assert not (tmp_path / "broken.pdf").exists()


# ------------------------------------------------------------------- the veto, one entry undone, the log
def test_a_veto_ticked_in_the_app_stops_the_uns_proposal_and_the_log_says_so(app):
    app.panels["un"].controls["refined_oil_cap_bbl"].input.value = 375_000
    app.veto_boxes["china"].value = True
    app.play_button.click()
    assert app.errors.message == ""
    played = app.game.rounds[-1]
    assert played.vetoes == ("china",) and app.game.values()["refined_oil_cap_bbl"] == 500_000
    assert "vetoed by China: UN cap on refined-oil deliveries: 375,000 bbl/yr" in app.history.value
    assert app.veto_boxes["china"].value is False  # a vote is cast for one round


def test_undoing_one_teams_entry_keeps_every_other_entry(app):
    app.panels["china"].controls["china_smuggling_enforcement"].input.value = 0.5
    app.panels["russia"].controls["russia_payment_food_weight"].input.value = 0.5
    app.panels["dprk"].controls["dprk_workers_sent"].input.value = 1.4  # the typo: 1.4 for 0.4
    app.panels["un"].controls["crude_oil_cap_bbl"].input.value = 3_000_000
    app.veto_boxes["russia"].value = True
    app.event_chooser.value = ("crypto_heist",)
    app.play_button.click()
    played = app.game
    app.undo_team.value = "dprk"
    app.undo_entry_button.click()
    assert app.errors.message == "" and app.game.played == 0
    assert "North Korea's entry is cleared" in app.status.value
    # The others' entries are back in their tabs, the cards and the vetoes too; North Korea's tab is as before.
    assert app.panels["china"].controls["china_smuggling_enforcement"].value == 0.5
    assert app.panels["russia"].controls["russia_payment_food_weight"].value == 0.5
    assert app.panels["un"].controls["crude_oil_cap_bbl"].value == 3_000_000
    assert app.panels["dprk"].controls["dprk_workers_sent"].value == 1.0
    assert app.event_chooser.value == ("crypto_heist",) and app.veto_boxes["russia"].value is True
    app.panels["dprk"].controls["dprk_workers_sent"].input.value = 0.4
    app.play_button.click()
    again = app.game.rounds[-1]
    assert again.moves == {**played.rounds[-1].moves, "dprk": {"dprk_workers_sent": 0.4}}
    assert again.events == ("crypto_heist",) and again.vetoes == ("russia",)


def test_the_round_log_and_scoreboard_speak_in_titles_and_units_never_parameter_names(app):
    app.panels["china"].controls["china_smuggling_enforcement"].input.value = 0.5
    app.panels["un"].controls["refined_oil_cap_bbl"].input.value = 400_000
    app.play_button.click()
    log = app.history.value
    assert "China polices smuggling in its waters: 50%" in log
    assert "UN cap on refined-oil deliveries: 400,000 bbl/yr" in log
    for name in rules.lever_names():
        assert name not in log and name not in app.scoreboard.value
    for team in roleplay.teams().values():
        assert team.objective in app.scoreboard.value.replace("&#x27;", "'")
