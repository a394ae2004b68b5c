"""The role-play is worth playing: objectives that cannot be gamed, a real choice for every team, the veto.

The play-test (:mod:`dprk_roleplay.playtest`) plays 1,000 games with a fixed seed; these tests hold its
report to the thresholds of issue 29 and check that it plays by the rules engine's rules.
"""

from __future__ import annotations

import json
import time

import pytest

import dprk_roleplay as roleplay
from dprk_roleplay import game as rules
from dprk_roleplay.playtest import playtest

#: A thousand machine-played games: the full tier (./suite test), not the inner loop.
pytestmark = pytest.mark.slow

GAMES, SEED = 1000, 20240328
ALL = tuple(roleplay.teams())


@pytest.fixture(scope="module")
def report():
    clock = time.perf_counter()
    found = playtest(GAMES, SEED)
    found["_wall_seconds"] = time.perf_counter() - clock
    return found


def test_a_fixed_seed_playtest_of_1000_games_runs_in_under_a_minute(report):
    assert report["games"] == GAMES
    assert report["_wall_seconds"] < 60


def test_no_sanctions_team_gains_by_loosening_a_sanction(report):
    assert report["perverse_moves"] == []
    assert {k for k, t in roleplay.teams().items() if t.aims == "pressure"} == {"allies", "un"}


@pytest.mark.parametrize("team", ALL)
def test_under_random_play_every_team_wins_between_5_and_50_percent(report, team):
    assert 0.05 <= report["teams"][team]["win_rate_random"] <= 0.50


def test_win_rates_under_random_play_share_the_games(report):
    assert sum(t["win_rate_random"] for t in report["teams"].values()) == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize("team", ALL)
def test_every_teams_own_choices_explain_at_least_a_third_of_its_score_variance(report, team):
    assert report["teams"][team]["own_choice_variance_share"] >= 1 / 3


@pytest.mark.parametrize("team", ALL)
def test_every_teams_own_levers_move_its_score_at_least_half_as_far_as_one_event_card(report, team):
    row = report["teams"][team]
    assert row["own_spread"] >= 0.5 * row["event_spread"]
    assert row["own_spread"] >= 3.0  # points: a choice that matters on the scoreboard


def test_the_report_is_json_with_the_keys_the_issue_names(report, tmp_path):
    from dprk_roleplay.playtest import table, write_json

    path = write_json(report, tmp_path / "playtest.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data["perverse_moves"], list)
    for row in data["teams"].values():
        for key in ("win_rate_random", "own_choice_variance_share", "own_spread", "event_spread"):
            assert isinstance(row[key], float)
        assert set(row["win_rate_by_strategy"]) == {"random", "greedy", "cooperative", "spoiler"}
    text = table(report)
    assert "win random" in text and "Perverse moves" in text


def test_the_playtest_plays_by_the_rules_engines_rules(report):
    """Replayed through :func:`dprk_roleplay.game.play`, every recorded game gives the play-test's totals."""
    assert report["replays"]
    for replay in report["replays"]:
        game = rules.new_game(ALL, len(replay["rounds"]), 2)
        for entry in replay["rounds"]:
            game = rules.play(game, entry["choices"], entry["events"], vetoes=entry["vetoes"])
        for key, total in replay["totals"].items():
            assert game.totals()[key] == pytest.approx(total, abs=1e-6)


def test_the_same_seed_gives_the_same_report():
    first, second = playtest(10, 7), playtest(10, 7)
    for report in (first, second):
        report.pop("seconds")
    assert first == second


# ---------------------------------------------------------------------------------------------- the UN's moves
def _round_one(choices, played=(), vetoes=()):
    return rules.play(rules.new_game(ALL, 3, 2), choices, played, vetoes=vetoes).rounds[-1].outcomes


@pytest.mark.parametrize(
    "move",
    [{"refined_oil_cap_bbl": 4_500_000}, {"refined_oil_cap_bbl": 2_000_000}, {"monitoring_regime": "none"}],
    ids=["refined cap 4.5 m", "refined cap 2 m", "no monitoring"],
)
def test_loosening_moves_of_the_un_score_at_most_zero_for_the_un_and_the_allies(move):
    outcomes = _round_one({"un": move})
    assert outcomes["un"].score <= 0 and outcomes["allies"].score <= 0


@pytest.mark.parametrize(
    "move",
    [
        {"refined_oil_cap_bbl": 375_000, "crude_oil_cap_bbl": 3_000_000},  # the vetoed draft of May 2022
        {"refined_oil_cap_bbl": 100_000},
        {"refined_oil_cap_bbl": 300_000},
        {"crude_oil_cap_bbl": 1_000_000},
        {"monitoring_regime": "panel_of_experts"},
    ],
    ids=["May 2022 draft", "refined cap 100,000", "refined cap 300,000", "crude cap 1 m", "Panel restored"],
)
def test_tightening_moves_of_the_un_score_at_least_zero_for_the_un_and_the_allies(move):
    outcomes = _round_one({"un": move})
    assert outcomes["un"].score >= 0 and outcomes["allies"].score >= 0


def test_no_objective_measures_a_ratio_to_a_lever():
    for team in roleplay.teams().values():
        for term in team.terms:
            assert all(part.outcome not in roleplay.LEVER_RATIOS for part in term.measure.parts)


def test_a_term_measuring_the_leakage_ratio_is_refused(monkeypatch):
    bad = {"measure": {"outcome": "oil_cap_leakage_ratio"}, "better": "lower"}
    with pytest.raises(roleplay.RoleplayDataError, match="divides by a lever's own value"):
        roleplay._measure(bad, "roles.toml team 'un'")


def test_a_benchmark_is_fixed_so_raising_a_cap_cannot_make_deliveries_look_smaller():
    term = next(t for t in roleplay.teams()["un"].terms if t.measure.benchmark)
    assert term.measure.benchmark == 4_500_000  # resolution 2397: 4 m bbl crude + 500,000 bbl refined
    assert "usun_2017_res2397" in term.sources


# ---------------------------------------------------------------------------------------------- the veto
def test_a_un_proposal_passes_only_if_neither_china_nor_russia_vetoes():
    assert roleplay.veto_teams() == ("china", "russia")
    proposal = {"un": {"crude_oil_cap_bbl": 1_000_000}}
    passed = rules.play(rules.new_game(ALL, 3, 2), proposal)
    assert passed.values()["crude_oil_cap_bbl"] == 1_000_000
    for vetoes in (["china"], ["russia"], ["china", "russia"]):
        vetoed = rules.play(rules.new_game(ALL, 3, 2), proposal, vetoes=vetoes)
        assert vetoed.values()["crude_oil_cap_bbl"] == 4_000_000
        assert vetoed.rounds[-1].blocked == {"un": {"crude_oil_cap_bbl": 1_000_000.0}}
        assert vetoed.rounds[-1].outcomes["un"].score == pytest.approx(0.0)


def test_a_veto_stops_the_councils_event_card_but_no_other_move():
    game = rules.play(
        rules.new_game(ALL, 3, 2),
        {"russia": {"russia_labour_enforcement": 0.0}},
        ["panel_restored", "crypto_heist"],
        vetoes=["russia"],
    )
    played = game.rounds[-1]
    assert game.values()["monitoring_regime"] == "msmt"
    assert played.blocked_events == ("panel_restored",)
    assert game.values()["russia_labour_enforcement"] == 0.0 and game.values()["dprk_cyber_intensity"] == 2.0


@pytest.mark.parametrize("vetoes", [["un"], ["allies"], ["mars"], "china"])
def test_only_a_permanent_members_team_may_veto(vetoes):
    with pytest.raises(rules.GameError, match="veto"):
        rules.play(rules.new_game(ALL, 3, 2), {}, vetoes=vetoes)


def test_vetoes_are_saved_and_replayed_and_a_format_1_file_still_loads(tmp_path):
    game = rules.play(rules.new_game(ALL, 3, 2), {"un": {"refined_oil_cap_bbl": 375_000}}, vetoes=["china"])
    again = rules.loads(rules.dumps(game))
    assert again == game and again.rounds[-1].vetoes == ("china",)
    old = {
        "kind": "roleplay_game",
        "format": 1,
        "setup": {"teams": ["china", "un"], "rounds": 2, "years_per_round": 2, "title": ""},
        "rounds": [{"choices": {"un": {"refined_oil_cap_bbl": 400_000}}, "events": []}],
    }
    loaded = rules.loads(json.dumps(old))
    assert loaded.values()["refined_oil_cap_bbl"] == 400_000


# ------------------------------------------------------------------------------ Russia and North Korea decide
def test_russias_own_decisions_move_its_score_both_ways():
    gains = _round_one({"russia": {"russia_payment_food_weight": 1.0}})["russia"].score  # paid in food, not cash
    losses = _round_one({"russia": {"russia_payment_oil_weight": 1.0}})["russia"].score  # oil above the cap, seen
    assert gains > 1 and losses < -1
    stops = _round_one({"russia": {"russia_arms_enforcement": 1.0}})["russia"]
    assert stops.score < -1  # no shells for the war: cash saved does not make up for it
    assert min(t.points for t in stops.terms) < -1 < 1 < max(t.points for t in stops.terms)  # shells against cash


def test_north_korea_trades_hard_currency_against_its_own_arsenal():
    outcome = _round_one({"dprk": {"dprk_munitions_offered": 0.5}})["dprk"]
    points = {t.label: t.points for t in outcome.terms}
    assert points["Hard-currency earnings, total"] < 0
    assert points["Artillery rounds shipped to Russia (shells not kept for your own army)"] > 0


def test_the_russia_card_says_russia_vetoed_the_panel_alone():
    briefing = roleplay.teams()["russia"].briefing
    assert "you alone vetoed" in briefing and "China abstaining" in briefing
    assert "With China you vetoed" not in briefing
