"""Frame time of notebook 07's app, three ways of rendering the same lever moves (not a test).

07's figure is a fan chart over a tornado. A lever move changes the fan's bands and the tornado's bars;
the arms levers also move the tornado's centre, so its axis limits and ranking change on most moves.
This compares, on the same sequence of moves of one app (Agg, in process):

* **two caches** - what the app does (:meth:`dprk_apps.uncertainty.UncertaintyApp.draw`): a cached
  figure without the tornado, and that with the tornado's axes drawn on it; a tornado change draws only
  the tornado's axes again;
* **one cache** - one cached background of every static part, rendered again whenever any of them
  changes (the app before the two caches);
* **full draw** - ``canvas.draw()`` of everything on every move.

Each time is the render only (the ensemble re-run is the same for all three and timed separately as
``evaluate_ms``). Prints medians and ratios; the last line is one JSON object.

Run: ``.venv/bin/python bench/uncertainty_frame_bench.py [--moves 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")
import numpy as np
from results import save

from dprk_apps import uncertainty as ua
from dprk_teaching import exercises
from model import uncertainty as u

LEVERS = ("russia_arms_enforcement", "china_smuggling_enforcement", "russia_labour_enforcement")


def one_cache_draw(app: ua.UncertaintyApp, draw) -> None:
    """Render as with a single background: any change of a static part renders everything static again."""
    key = app._static_key()
    if getattr(app, "_one_cache_key", None) != key:
        app._background = app._frame = None
        app._one_cache_key = key
    draw()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=60, help="lever moves per approach (default 60)")
    args = parser.parse_args()

    worlds = u.run_ensemble(
        "baseline", exercises.UNCERTAINTY_DRAWS, np.random.default_rng(exercises.UNCERTAINTY_SEED), keep="headlines"
    )
    app = ua.UncertaintyApp(worlds)
    draw = app.draw  # the app's own frame (two caches)
    renders = {"two caches": draw, "one cache": lambda: one_cache_draw(app, draw), "full draw": app.figure.canvas.draw}
    times: dict[str, list[float]] = {name: [] for name in renders}
    evaluate: list[float] = []
    app.draw = lambda: None  # the moves below only update the artists; each approach renders them itself
    rng = np.random.default_rng(7)
    sequence = []
    for move in range(args.moves):
        name = LEVERS[move % len(LEVERS)] if move % 2 else LEVERS[0]  # every other move an arms move
        positions = app.panel.controls[name].parameter.positions()
        sequence.append((name, float(positions[int(rng.integers(len(positions)))])))
    try:
        # The same moves for each approach, from the same start, each with fresh caches; twice, in turn,
        # so that a slow spell of the shared machine does not fall on one approach only.
        for _ in range(2):
            for approach, render in renders.items():
                app.panel.reset()
                app._background = app._frame = app._one_cache_key = None
                app.figure.canvas.draw()
                render()
                for name, value in sequence:
                    start = time.perf_counter()
                    app.panel.controls[name].input.value = value
                    evaluate.append((time.perf_counter() - start) * 1000)
                    start = time.perf_counter()
                    render()
                    times[approach].append((time.perf_counter() - start) * 1000)
    finally:
        app.close()

    medians = {name: statistics.median(values) for name, values in times.items()}
    p95 = {name: float(np.percentile(values, 95)) for name, values in times.items()}
    for name in renders:
        print(f"{name:>11}: median {medians[name]:6.1f} ms, p95 {p95[name]:6.1f} ms")
    print(f"lever move without rendering (ensemble, fan, tornado, sentences): {statistics.median(evaluate):.1f} ms")
    result = {
        "moves": args.moves,
        "draws": exercises.UNCERTAINTY_DRAWS,
        "two_caches_ms_p50": round(medians["two caches"], 1),
        "two_caches_ms_p95": round(p95["two caches"], 1),
        "one_cache_ms_p50": round(medians["one cache"], 1),
        "one_cache_ms_p95": round(p95["one cache"], 1),
        "full_draw_ms_p50": round(medians["full draw"], 1),
        "evaluate_ms_p50": round(statistics.median(evaluate), 1),
        "one_cache_over_two_caches_p50": round(medians["one cache"] / medians["two caches"], 2),
        "full_over_two_caches_p50": round(medians["full draw"] / medians["two caches"], 2),
    }
    save("uncertainty_frame", result)


if __name__ == "__main__":
    main()
