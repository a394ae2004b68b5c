"""Benchmark of the role-play (notebook 08): what the facilitator waits for.

Run ``python bench/roleplay_bench.py``. Times are medians of repeated runs on a shared machine. The last
line is one JSON object:

* ``play_round_ms``      :func:`dprk_roleplay.game.play` of one round with five teams (one model run and
                         the scoring of eleven terms; median)
* ``simulate_ms``        one model run alone, for reference (the rest of a round is the rules and scoring)
* ``load_8_rounds_ms``   :func:`dprk_roleplay.game.loads` of a saved eight-round game (every round replayed)
* ``app_play_ms``        the app's *Play round* button: the round, the tabs, the scoreboard and the figure
                         redrawn (Agg canvas, so without the browser's share; median)
* ``handout_ms``         the game's one-page PDF handout (median)
* ``file_bytes``         size of the saved eight-round game file
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

from results import save

os.environ.setdefault("MPLBACKEND", "Agg")

from dprk_roleplay import game as rules
from dprk_roleplay import teams
from model.core import simulate  # after the backend is chosen (matplotlib comes later, in main)
from model.params import Params

TEAMS = tuple(teams())
MOVES = [
    {"china": {"china_smuggling_enforcement": 0.5}, "russia": {"russia_arms_enforcement": 0.3}},
    {"allies": {"maritime_interdiction": 0.6}, "un": {"monitoring_regime": "panel_of_experts"}},
    {"dprk": {"dprk_workers_sent": 1.2}, "facilitator": {"war_demand_level": 1.5}},
    {"china": {"china_pipeline_cut": 0.2}},
]


def median_ms(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def eight_rounds() -> rules.Game:
    game = rules.new_game(TEAMS, 8, 1, "bench")
    for number in range(8):
        game = rules.play(game, MOVES[number % len(MOVES)], ("border_incident",) if number % 3 == 0 else ())
    return game


def main() -> dict:
    from dprk_apps.roleplay import RoleplayApp
    from dprk_teaching.handout import write_pdf
    from dprk_teaching.roleplay_handout import content_for_game

    start = rules.new_game(TEAMS, 4, 2)
    rules.play(start, MOVES[0])  # warm the baseline's cached run
    params = Params.defaults()
    game = eight_rounds()
    text = rules.dumps(game)
    folder = Path(tempfile.mkdtemp())
    app = RoleplayApp(folder=folder)

    def app_round():
        app.play_round()
        app.undo_round()  # keep the game at one round so every repeat does the same work

    counter = iter(range(10_000))
    result = {
        "play_round_ms": round(median_ms(lambda: rules.play(start, MOVES[0], ("ceasefire",)), 30), 1),
        "simulate_ms": round(median_ms(lambda: simulate(params), 30), 1),
        "load_8_rounds_ms": round(median_ms(lambda: rules.loads(text), 10), 1),
        "app_play_ms": round(median_ms(app_round, 10) / 2, 1),  # half of a play + undo pair, both redraw
        "handout_ms": round(
            median_ms(lambda: write_pdf(content_for_game(game), folder / f"h{next(counter)}.pdf"), 5), 1
        ),
        "file_bytes": len(text.encode()),
    }
    for key, value in result.items():
        print(f"{key:>18}: {value}")
    save("roleplay", result)
    return result


if __name__ == "__main__":
    main()
