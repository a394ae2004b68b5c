"""Benchmark of the uncertainty tools (not a test: machines are shared and timings are noisy).

Run ``python bench/uncertainty_bench.py [--repeats R]``. The last line printed is one JSON object:

* ``fan_update_s``: a 100,000-draw ensemble re-run after one lever change, its fan quantiles recomputed
  and the fan chart (scenario over baseline) redrawn in place on an Agg canvas;
* ``sobol_s``: first-order and total Sobol' indices of every uncertainty for one outcome and year,
  1,024 base samples (1,024 x (K + 2) model runs) with bootstrap intervals;
* ``tornado_s``: one-at-a-time tornado of every uncertainty for one outcome and year.

Each value is the median of R repeats (default 5). Imports and the first ensemble are not timed.
Targets on the 2-core machines: fan_update_s <= 1.0, sobol_s <= 10, tornado_s <= 0.5.
"""

from __future__ import annotations

import argparse
import statistics
import time

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import SALib.analyze.sobol  # noqa: F401  imported up front: the timing is of the work, not of imports
from results import save

from dprk_figures.uncertainty import FanChart
from model import uncertainty as u

OUTCOME, YEAR = "hard_currency_russia", 2030


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--draws", type=int, default=100_000)
    args = parser.parse_args()

    baseline = u.run_ensemble("baseline", args.draws, np.random.default_rng(1))
    base_fan = u.fan(baseline, OUTCOME)
    fig, ax = plt.subplots(figsize=(7, 4))
    chart = FanChart(ax, base_fan, base_fan)
    fig.canvas.draw()
    state = {"ensemble": baseline}
    settings = iter(np.linspace(0.1, 0.9, 1000))

    def lever_change() -> None:
        state["ensemble"] = state["ensemble"].with_levers({"russia_arms_enforcement": round(next(settings), 3)})
        chart.update(u.fan(state["ensemble"], OUTCOME))
        fig.canvas.draw()

    fan_update = [timed(lever_change) for _ in range(args.repeats)]
    state.clear()
    del baseline
    sobol = [
        timed(lambda: u.sobol("baseline", OUTCOME, YEAR, np.random.default_rng(2), n_base=1024))
        for _ in range(args.repeats)
    ]
    tornado = [timed(lambda: u.tornado("baseline", OUTCOME, YEAR)) for _ in range(args.repeats)]
    result = {
        "fan_update_s": round(statistics.median(fan_update), 3),
        "sobol_s": round(statistics.median(sobol), 3),
        "tornado_s": round(statistics.median(tornado), 3),
        "draws": args.draws,
        "repeats": args.repeats,
        "fan_update_all_s": [round(t, 3) for t in fan_update],
        "sobol_all_s": [round(t, 3) for t in sobol],
        "tornado_all_s": [round(t, 3) for t in tornado],
    }
    save("uncertainty", result)


if __name__ == "__main__":
    main()
