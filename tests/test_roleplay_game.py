"""The role-play's engine: a whole game, save and load, undo, scoring, events, and every bad input refused."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

import dprk_roleplay as roleplay
from dprk_roleplay import game as rules
from dprk_roleplay.game import GameError
from model import registry
from model.timeline import FIRST_PROJECTION_YEAR, LAST_YEAR

ALL = tuple(roleplay.teams())

# Four rounds of two years with all five teams: every team moves at least once, and two events are played
# (a temporary one that ends by itself and a lasting one).
ROUNDS = [
    (
        {
            "china": {"china_smuggling_enforcement": 0.5, "china_labour_enforcement": 0.4},
            "russia": {"russia_payment_oil_weight": 0.2},
            "dprk": {"dprk_workers_sent": 1.2},
        },
        ("border_incident",),
    ),
    (
        {
            "allies": {"maritime_interdiction": 0.5},
            "un": {"monitoring_regime": "panel_of_experts", "refined_oil_cap_bbl": 400_000},
        },
        ("ceasefire",),
    ),
    ({"russia": {"russia_arms_enforcement": 0.3}, "facilitator": {"border_closure": 0.5}}, ()),
    ({"dprk": {"dprk_evasion_effort": 0.8}, "china": {"china_pipeline_cut": 0.25}}, ()),
]


def play_all(game, rounds=ROUNDS):
    for choices, played in rounds:
        game = rules.play(game, choices, played)
    return game


@pytest.fixture(scope="module")
def full_game():
    return play_all(rules.new_game(ALL, 4, 2, "seminar"))


# ---------------------------------------------------------------------------------------------- a whole game
def test_a_four_round_game_saved_loaded_and_continued_gives_identical_outcomes(full_game, tmp_path):
    half = play_all(rules.new_game(ALL, 4, 2, "seminar"), ROUNDS[:2])
    path = rules.save_game(half, tmp_path / "week1.json")
    loaded = rules.load_game(path)
    assert loaded == half  # setup, inputs, settings, effects and outcomes of both rounds
    continued = play_all(loaded, ROUNDS[2:])
    assert continued == full_game
    for mine, theirs in zip(continued.rounds, full_game.rounds, strict=True):
        for key in ALL:
            assert mine.outcomes[key].score == theirs.outcomes[key].score
            assert mine.outcomes[key].total == theirs.outcomes[key].total
    # The finished game round-trips too, and its file is the same text after a load.
    again = rules.load_game(rules.save_game(full_game, tmp_path / "final.json"))
    assert again == full_game and rules.dumps(again) == rules.dumps(full_game)
    assert full_game.finished and full_game.next_years is None


def test_rounds_cover_consecutive_years_and_totals_add_up(full_game):
    years = [r.years for r in full_game.rounds]
    assert years == [(FIRST_PROJECTION_YEAR + 2 * k, FIRST_PROJECTION_YEAR + 2 * k + 1) for k in range(4)]
    for key in ALL:
        scores = [r.outcomes[key].score for r in full_game.rounds]
        totals = [r.outcomes[key].total for r in full_game.rounds]
        assert totals == pytest.approx(np.cumsum(scores).tolist(), abs=1e-12)
        assert all(-10 - 1e-9 <= s <= 10 + 1e-9 for s in scores)
    # Something happened: the rounds do not all score zero.
    assert any(abs(r.outcomes[k].score) > 0.1 for r in full_game.rounds for k in ALL)


def test_levers_keep_their_values_and_events_apply_as_the_cards_say(full_game):
    first, second, third, fourth = (r.settings for r in full_game.rounds)
    # Round 1: the border incident adds 0.2 and 0.1 on top of China's own choices, for this round only.
    assert first["china_smuggling_enforcement"] == pytest.approx(0.7)
    assert first["china_export_ban_enforcement"] == pytest.approx(1.0)  # 0.95 + 0.1, clipped to the range
    # Round 2: nobody moved those levers, so the card's change ends: back to China's choice and the baseline.
    assert second["china_smuggling_enforcement"] == 0.5
    assert second["china_export_ban_enforcement"] == registry.get("china_export_ban_enforcement").default
    # The ceasefire card sets the year lever to the round's first year, and it lasts.
    assert second["ceasefire_year"] == FIRST_PROJECTION_YEAR + 2
    assert third["ceasefire_year"] == fourth["ceasefire_year"] == FIRST_PROJECTION_YEAR + 2
    # Choices persist from round to round until moved.
    assert fourth["dprk_workers_sent"] == 1.2 and fourth["maritime_interdiction"] == 0.5
    assert fourth["monitoring_regime"] == registry.get("monitoring_regime").choices.index("panel_of_experts")
    assert full_game.values()["monitoring_regime"] == "panel_of_experts"
    # Only the choices that changed something are kept as the round's moves.
    assert full_game.rounds[0].moves["china"] == {"china_smuggling_enforcement": 0.5, "china_labour_enforcement": 0.4}


def test_a_lever_moved_while_a_card_lasts_keeps_its_new_value():
    game = rules.play(rules.new_game(ALL, 3, 1), {}, ("border_incident",))
    moved = rules.play(game, {"china": {"china_smuggling_enforcement": 0.6}})
    assert moved.settings()["china_smuggling_enforcement"] == 0.6
    assert moved.settings()["china_export_ban_enforcement"] == registry.get("china_export_ban_enforcement").default
    # A choice equal to the value in force is no move: the card still ends.
    kept = rules.play(game, {"china": {"china_smuggling_enforcement": game.values()["china_smuggling_enforcement"]}})
    assert kept.settings()["china_smuggling_enforcement"] == registry.get("china_smuggling_enforcement").default
    assert kept.rounds[-1].moves == {}


def test_a_card_played_in_the_last_round_may_outlast_the_game():
    game = rules.play(rules.new_game(["dprk"], 1, 1), {"dprk": {"dprk_cyber_intensity": 1.5}}, ("crypto_heist",))
    assert game.settings()["dprk_cyber_intensity"] == 2.0  # the card wins over the team's choice this round
    assert game.finished


# ---------------------------------------------------------------------------------------------- undo
def test_undo_restores_the_previous_round_exactly(full_game):
    game = rules.new_game(ALL, 4, 2, "seminar")
    states = [game]
    for choices, played in ROUNDS:
        game = rules.play(game, choices, played)
        states.append(game)
    assert game == full_game
    for k in range(len(ROUNDS), 0, -1):
        game = rules.undo(game)
        assert game == states[k - 1]
        assert game.settings() == states[k - 1].settings() and game.totals() == states[k - 1].totals()
    assert game.settings() == rules.new_game(ALL, 4, 2).settings()
    with pytest.raises(GameError, match="no round has been played yet"):
        rules.undo(game)
    # Undo, then the same round again: the same game as before the undo.
    assert rules.play(rules.undo(full_game), *ROUNDS[-1]) == full_game


# ---------------------------------------------------------------------------------------------- scoring
TERMS = [term for team in roleplay.teams().values() for term in team.terms]
finite = st.floats(-1e12, 1e12, allow_nan=False)


@given(st.sampled_from(TERMS), finite, finite)
def test_a_term_scores_within_its_weight_and_flips_sign_with_better(term, value, baseline):
    points = rules.score_term(value, baseline, term)
    assert abs(points) <= 10 * term.weight + 1e-9
    flipped = roleplay.Term(term.measure, "lower" if term.better == "higher" else "higher", term.weight, term.scale, "")
    assert rules.score_term(value, baseline, flipped) == pytest.approx(-points, abs=1e-12)
    assert rules.score_term(baseline, baseline, term) == 0.0


@given(st.sampled_from(TERMS), finite, finite, finite)
def test_a_term_is_monotone_in_its_measure(term, a, b, baseline):
    low, high = sorted((a, b))
    if term.better == "higher":
        assert rules.score_term(low, baseline, term) <= rules.score_term(high, baseline, term)
    else:
        assert rules.score_term(low, baseline, term) >= rules.score_term(high, baseline, term)


def test_a_term_earns_its_full_points_at_one_scale_of_change():
    term = roleplay.teams()["china"].terms[0]
    assert rules.score_term(term.scale, 0.0, term) == pytest.approx(10 * term.weight)
    assert rules.score_term(5 * term.scale, 0.0, term) == pytest.approx(10 * term.weight)
    assert rules.score_term(term.scale / 2, 0.0, term) == pytest.approx(5 * term.weight)


def test_a_round_at_the_baseline_scores_zero_for_every_team():
    game = rules.play(rules.new_game(ALL, 2, 3), {})
    assert {k: o.score for k, o in game.rounds[-1].outcomes.items()} == dict.fromkeys(ALL, 0.0)
    # Choosing the baseline's own values is no move either.
    same = {"china": {"china_pipeline_cut": registry.get("china_pipeline_cut").default}}
    assert rules.play(rules.new_game(ALL, 2, 3), same) == game


LEVER_MOVES = st.lists(
    st.tuples(st.sampled_from(registry.names("lever")), st.floats(0, 1)),
    min_size=1,
    max_size=4,
    unique_by=lambda x: x[0],
)


def _value(name, fraction):
    p = registry.get(name)
    if p.kind == "choice":
        return p.choices[round(fraction * (len(p.choices) - 1))]
    if p.kind == "bool":
        return fraction >= 0.5
    value = p.min + fraction * (p.max - p.min)
    return round(value) if p.kind == "int" else value


@hypothesis_settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(LEVER_MOVES, st.integers(1, 5))
def test_any_moves_score_between_minus_and_plus_ten(moves, years):
    choices = {}
    for name, fraction in moves:
        choices.setdefault(roleplay.holder(name), {})[name] = _value(name, fraction)
    russia = choices.get("russia", {})
    weights = [f"russia_payment_{form}_weight" for form in ("cash", "oil", "food", "technology")]
    if sum(russia.get(name, registry.get(name).default) for name in weights) == 0:
        russia["russia_payment_cash_weight"] = 0.5  # the model refuses all four payment weights at 0
    game = rules.play(rules.new_game(ALL, 1, years), choices)
    for outcome in game.rounds[-1].outcomes.values():
        assert -10 - 1e-9 <= outcome.score <= 10 + 1e-9
        assert outcome.score == pytest.approx(sum(t.points for t in outcome.terms))


# ---------------------------------------------------------------------------------------------- bad setups
@pytest.mark.parametrize(
    ("teams", "rounds", "years", "message"),
    [
        ([], 4, 2, "teams is empty; choose at least one of china"),
        (["china", "nato"], 4, 2, "'nato' is not a team; allowed: china, russia, allies, un, dprk"),
        (["china", "china"], 4, 2, "names a team twice"),
        ("china", 4, 2, "must be a list of team keys"),
        (ALL, 0, 2, "rounds = 0 is out of range: allowed 1 to 8"),
        (ALL, 9, 1, "rounds = 9 is out of range: allowed 1 to 8"),
        (ALL, 2.5, 1, "rounds = 2.5 must be a whole number from 1 to 8"),
        (ALL, True, 1, "rounds = True must be a whole number"),
        (ALL, 4, 0, "years_per_round = 0 is out of range: allowed 1 to 5"),
        (ALL, 4, 6, "years_per_round = 6 is out of range: allowed 1 to 5"),
    ],
)
def test_a_bad_setup_is_refused_naming_the_field(teams, rounds, years, message):
    with pytest.raises(GameError, match=message.replace("(", r"\(").replace(")", r"\)")):
        rules.new_game(teams, rounds, years)


def test_a_setup_that_runs_past_the_last_year_is_refused():
    room = LAST_YEAR - FIRST_PROJECTION_YEAR + 1
    rules.new_game(ALL, 1, 5)  # fits
    with pytest.raises(GameError) as error:
        rules.new_game(ALL, 4, 3)
    text = str(error.value)
    assert "rounds = 4" in text and "years_per_round = 3" in text
    assert f"would end in {FIRST_PROJECTION_YEAR + 11}" in text and f"last year {LAST_YEAR}" in text
    assert f"at most {room}" in text
    assert rules.new_game(ALL, 1, 1).setup.years(1) == (FIRST_PROJECTION_YEAR, FIRST_PROJECTION_YEAR)


# ---------------------------------------------------------------------------------------------- bad rounds
@pytest.mark.parametrize(
    ("choices", "played", "message"),
    [
        (
            {"china": {"russia_arms_enforcement": 1.0}},
            (),
            "china cannot set russia_arms_enforcement: it is on the russia card",
        ),
        ({"facilitator": {"dprk_evasion_effort": 1.0}}, (), "facilitator cannot set dprk_evasion_effort"),
        ({"china": {"rounds_per_container": 1.0}}, (), "its role is uncertainty, not lever"),
        ({"china": {"china_pipline_cut": 1.0}}, (), "china_pipline_cut"),
        ({"nato": {}}, (), "'nato' is not a team"),
        (
            {"russia": {"russia_arms_enforcement": 1.5}},
            (),
            r"russia_arms_enforcement = 1.5 is out of range: allowed 0 to 1",
        ),
        ({"un": {"monitoring_regime": "nobody"}}, (), "monitoring_regime = 'nobody' is not a known choice"),
        ({"dprk": {"dprk_workers_sent": float("nan")}}, (), "is not a finite number"),
        ({"dprk": {"dprk_workers_sent": [1, 2]}}, (), "must be a single value"),
        ({}, ("alien_invasion",), "'alien_invasion' is not an event card; allowed: ceasefire"),
        ({}, ("ceasefire", "ceasefire"), "plays a card twice"),
        ({}, "ceasefire", "must be a list of event keys"),
    ],
)
def test_a_bad_round_is_refused_and_nothing_is_played(choices, played, message):
    game = rules.new_game(ALL, 2, 2)
    with pytest.raises(GameError, match=message):
        rules.play(game, choices, played)
    assert game.played == 0


def test_a_team_not_in_the_game_cannot_move_and_a_finished_game_cannot_go_on():
    game = rules.new_game(["china", "russia"], 1, 2)
    with pytest.raises(GameError, match="team 'dprk' is not in this game; its teams are china, russia"):
        rules.play(game, {"dprk": {"dprk_evasion_effort": 1.0}})
    done = rules.play(game, {"facilitator": {"war_demand_level": 1.5}})
    with pytest.raises(GameError, match="the game has 1 rounds and all are played"):
        rules.play(done, {})


# ---------------------------------------------------------------------------------------------- bad files
def _file(**changes):
    data = {
        "kind": "roleplay_game",
        "format": 1,
        "setup": {"teams": ["china", "russia"], "rounds": 2, "years_per_round": 2, "title": ""},
        "rounds": [{"choices": {"china": {"china_pipeline_cut": 0.5}}, "events": ["ceasefire"]}],
    }
    data.update(changes)
    return json.dumps(data).encode()


def _round(choices, played=()):
    return _file(rounds=[{"choices": choices, "events": list(played)}])


BAD_FILES = [
    (b"x" * (rules.MAX_BYTES + 1), "is too large for a game file (at most 2,000,000 bytes)"),
    (b"", "the file is empty"),
    (b"  \n", "the file is empty"),
    (b"\xff\xfe{}", "not UTF-8 text (byte 0)"),
    (b'{"kind": "roleplay_game"\x00}', "a binary file, not a JSON game file"),
    (b'{"kind": "roleplay_game",', "not valid JSON"),
    (b'{"kind": "roleplay_game", "kind": "roleplay_game"}', "the key 'kind' is given twice"),
    (b"[1, 2]", "must be a table of keys"),
    (_file(colour="red"), "unknown key 'colour'. Allowed: kind, format, setup, rounds"),
    (_file(round=[]), "unknown key 'round'. Did you mean 'rounds'?"),
    (json.dumps({"kind": "roleplay_game", "format": 1}).encode(), "missing setup, rounds"),
    (_file(kind="scenario"), "kind = 'scenario'; a game file has kind 'roleplay_game'"),
    (_file(format=3), "written in game format 3, newer than this version reads (2)"),
    (_file(format="1"), "format = '1' must be a whole number"),
    (_file(setup={"teams": ["china"], "rounds": 2}), "setup: missing years_per_round"),
    (_file(setup={"teams": ["china"], "rounds": 2, "years_per_round": 2, "seed": 1}), "setup: unknown key 'seed'"),
    (_file(setup={"teams": ["mars"], "rounds": 2, "years_per_round": 2}), "'mars' is not a team"),
    (_file(setup={"teams": ["china"], "rounds": 9, "years_per_round": 2}), "rounds = 9 is out of range"),
    (_file(setup={"teams": ["china"], "rounds": 6, "years_per_round": 2}), "would end in 2036"),
    (_file(rounds={"1": {}}), "rounds must be a list of rounds"),
    (_file(rounds=[{"choices": {}, "events": []}] * 3), "3 rounds played but the setup has 2"),
    (_file(rounds=[{"choices": {}}]), "round 1: missing events"),
    (_file(rounds=[{"choices": {}, "events": [], "notes": ""}]), "round 1: unknown key 'notes'"),
    (_round({"dprk": {"dprk_evasion_effort": 1.0}}), "round 1: team 'dprk' is not in this game"),
    (_round({"martians": {}}), "round 1: 'martians' is not a team"),
    (_round({"china": {"russia_arms_enforcement": 1.0}}), "round 1: china cannot set russia_arms_enforcement"),
    (_round({"china": {"china_pipeline_cut": 2.0}}), "china_pipeline_cut = 2.0 is out of range: allowed 0 to 1"),
    (_round({"china": {"china_pipeline_cut": "half"}}), "china_pipeline_cut = 'half' is not a number"),
    (_round({}, ["meteor"]), "round 1: 'meteor' is not an event card"),
    (
        _round({"russia": {f"russia_payment_{form}_weight": 0 for form in ("cash", "oil", "food", "technology")}}),
        "round 1: the four Russian payment weights (cash, oil, food, technology) are all 0",
    ),
    (b'{"kind": "roleplay_game", "format": 1, "setup": {"teams": ["china"], "rounds": NaN}}', "NaN is not a number"),
]


@pytest.mark.parametrize(("content", "message"), BAD_FILES, ids=[m[:40] for _, m in BAD_FILES])
def test_a_bad_game_file_is_refused_with_its_message_and_left_as_it_was(content, message, tmp_path):
    path = tmp_path / "game.json"
    path.write_bytes(content)
    with pytest.raises(GameError) as error:
        rules.load_game(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)  # the file is named
    assert path.read_bytes() == content


def test_the_good_file_of_the_bad_file_cases_loads():
    game = rules.loads(_file())
    assert game.played == 1 and game.values()["china_pipeline_cut"] == 0.5
    assert game.values()["ceasefire_year"] == FIRST_PROJECTION_YEAR


def test_saving_never_overwrites_unless_asked_and_names_bad_paths(full_game, tmp_path):
    path = tmp_path / "game.json"
    path.write_text("precious", encoding="utf-8")
    with pytest.raises(GameError, match="already exists"):
        rules.save_game(full_game, path)
    assert path.read_text(encoding="utf-8") == "precious"
    rules.save_game(full_game, path, overwrite=True)
    assert rules.load_game(path) == full_game
    with pytest.raises(GameError, match=r"game files end in \.json"):
        rules.save_game(full_game, tmp_path / "game.toml")
    with pytest.raises(GameError, match="does not exist"):
        rules.save_game(full_game, tmp_path / "missing" / "game.json")
    with pytest.raises(GameError, match="does not exist"):
        rules.load_game(tmp_path / "nothing.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]  # no temporary file left behind


def test_a_game_file_is_told_apart_from_a_scenario_file(full_game, tmp_path):
    game_path = rules.save_game(full_game, tmp_path / "game.json")
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"title": "x", "overrides": {}}), encoding="utf-8")
    assert rules.is_game_file(game_path) and not rules.is_game_file(scenario)
    assert not rules.is_game_file(tmp_path / "nothing.json")
