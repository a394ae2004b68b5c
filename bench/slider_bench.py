"""Slider latency of the scenario lab: update artists in place vs re-plot a new figure each time.

Measures, kernel-side, the time from a lever change (setting an ipywidgets slider's value) to a fully
rendered frame of the lab's main figure:

* **update** - the notebook's own app, :class:`dprk_apps.lab.LabApp`: its callback runs the model, moves
  the artists of one long-lived :class:`dprk_figures.lab.LabFigure`, refreshes the headline table and
  renders a frame (Agg).
* **naive** - ``ipywidgets.interactive_output`` re-running a function that builds a new figure with
  the same panels and renders it to PNG, as the inline backend does for every change.

Both use the same sliders and the same sequence of moves. Prints medians and ratios; the last line is
one JSON object with ``update_ms_p50``, ``update_ms_p95``, ``naive_ms_p50``, ``speedup``.

Run: ``.venv/bin/python bench/slider_bench.py [--moves 60] [--notebooks]``; ``--notebooks`` also times
the headless execution of every notebook (reported before the JSON line and inside it).
"""

from __future__ import annotations

import argparse
import io
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
from results import save

import dprk_apps as ui
from dprk_apps.lab import LabApp
from dprk_figures.lab import LabFigure
from dprk_figures.style import new_figure
from model import simulate
from model.scenarios import load_preset
from model.timeline import FOCUS_YEAR

LEVERS = ("russia_arms_enforcement", "china_export_ban_enforcement", "war_demand_level")


def moves(n: int) -> list[tuple[str, float]]:
    """A fixed sequence of slider moves: each lever walks its range step by step, round-robin."""
    panel = ui.ControlPanel(LEVERS)
    sequence = []
    for i in range(n):
        control = panel.controls[LEVERS[i % len(LEVERS)]]
        p = control.parameter
        positions = p.positions()
        sequence.append((p.name, float(positions[(i // len(LEVERS) * 3 + 1) % positions.size])))
    return sequence


def bench_update(sequence: list[tuple[str, float]], full_redraw: bool = False) -> np.ndarray:
    """Milliseconds per move of the notebook's own app (:class:`dprk_apps.lab.LabApp`) on an Agg canvas.

    Each move runs the app's callback: one model run, the artists moved in place, the headline table
    refreshed and a frame rendered over the cached background. ``full_redraw`` renders every artist each
    time (``canvas.draw()``) instead, for comparison.
    """
    app = LabApp(LEVERS, year=FOCUS_YEAR)
    app.figure.canvas.draw()
    if full_redraw:
        app.draw = app.figure.canvas.draw  # every artist, text included
    times = []
    for name, value in sequence:
        start = time.perf_counter()
        app.panel.controls[name].input.value = value
        times.append(time.perf_counter() - start)
    assert app.errors.message == "", app.errors.message
    plt.close(app.figure)
    return np.array(times) * 1e3


def bench_naive(sequence: list[tuple[str, float]]) -> np.ndarray:
    """Milliseconds per move with ``interactive_output`` building and rendering a new figure each time."""
    baseline = simulate(load_preset("baseline").params)
    panel = ui.ControlPanel(LEVERS)

    def plot(**values) -> None:
        results = simulate(panel.params())  # the panel's controls are the ones interactive_output watches
        fig = new_figure(0, 0, height=6.5, show=False, layout=None)[0]  # the same figure as the app's
        LabFigure(fig, baseline.years, baseline, results, focus_year=FOCUS_YEAR)
        fig.savefig(io.BytesIO(), format="png")  # what the inline backend sends for every change
        plt.close(fig)

    widgets.interactive_output(plot, {name: c.input for name, c in panel.controls.items()})
    times = []
    for name, value in sequence:
        start = time.perf_counter()
        panel.controls[name].input.value = value
        times.append(time.perf_counter() - start)
    return np.array(times) * 1e3


def time_notebooks() -> dict[str, float]:
    """Seconds to execute each notebook headless (nbclient), and the total."""
    import nbformat
    from nbclient import NotebookClient

    folder = Path(__file__).resolve().parent.parent / "notebooks"
    seconds = {}
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(folder)}}).execute()
        seconds[path.stem] = time.perf_counter() - start
    seconds["total"] = sum(seconds.values())
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--moves", type=int, default=60, help="slider moves per approach (at least 50)")
    parser.add_argument("--notebooks", action="store_true", help="also time headless execution of all notebooks")
    args = parser.parse_args()
    sequence = moves(max(args.moves, 50))
    load = os.getloadavg()[0]

    update = bench_update(sequence)
    full = bench_update(sequence, full_redraw=True)
    naive = bench_naive(sequence)
    p50, p95, naive_p50 = np.percentile(update, 50), np.percentile(update, 95), np.percentile(naive, 50)
    full_p50 = np.percentile(full, 50)
    print(f"moves per approach: {len(sequence)}; load average at start: {load:.2f} on {os.cpu_count()} cores")
    print(f"update in place: median {p50:.1f} ms, p95 {p95:.1f} ms (target <= 40 / 80 ms)")
    print(f"  same, full redraw of every artist: median {full_p50:.1f} ms ({full_p50 / p50:.2f}x the cached render)")
    print(f"naive re-plot:   median {naive_p50:.1f} ms, p95 {np.percentile(naive, 95):.1f} ms")
    print(f"speedup (naive median / update median): {naive_p50 / p50:.2f}x (target >= 4)")
    result = {
        "update_ms_p50": round(float(p50), 2),
        "update_ms_p95": round(float(p95), 2),
        "naive_ms_p50": round(float(naive_p50), 2),
        "speedup": round(float(naive_p50 / p50), 2),
        "full_redraw_ms_p50": round(float(full_p50), 2),
    }
    if args.notebooks:
        seconds = time_notebooks()
        for name, value in seconds.items():
            print(f"notebook {name}: {value:.1f} s")
        result["notebooks_s"] = round(seconds["total"], 2)
    save("slider", result)


if __name__ == "__main__":
    main()
