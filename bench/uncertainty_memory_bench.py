"""Memory and slider time of notebook 07 over a session (not a test: machines are shared, timings noisy).

Run ``python bench/uncertainty_memory_bench.py [--runs R] [--moves M]`` in a fresh process. It executes
the code cells of ``notebooks/07_uncertainty.py`` the way Run All does (``R`` times, default 2: a fresh
run and a second Run All), on the Agg backend with ``display`` a no-op, then moves one lever of the
notebook's ``app`` ``M`` times (default 100) by setting its control's value, as a slider does. Each
move's time is kernel-side work: the ensemble re-run, quantiles, tornado, sentences and one Agg render.

The last line printed is one JSON object: ``rss_mb`` after each Run All and after the moves,
``peak_rss_mb`` (the process's high-water mark, VmHWM), ``move_p50_ms`` and ``move_p95_ms``, ``draws``
and ``open_figures``. Targets: peak_rss_mb <= 300, move_p50_ms and move_p95_ms <= 200.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import IPython.display
import jupytext
import matplotlib.pyplot as plt
import numpy as np

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "07_uncertainty.py"
LEVER = "russia_arms_enforcement"


def status_mb(field: str) -> float:
    """A memory figure of this process from ``/proc/self/status`` (``VmRSS`` or ``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise KeyError(field)


def code_cells() -> list[str]:
    """The notebook's code cells, without IPython magics (the backend is Agg here)."""
    notebook = jupytext.read(NOTEBOOK)
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines = [line for line in cell.source.splitlines() if not line.lstrip().startswith("%")]
            cells.append("\n".join(lines))
    return cells


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--moves", type=int, default=100)
    args = parser.parse_args()

    IPython.display.display = lambda *objects, **options: None  # the notebook's display() shows nothing here
    namespace: dict = {"__name__": "__main__"}
    rss = {}
    for run in range(1, args.runs + 1):
        for source in code_cells():
            exec(compile(source, str(NOTEBOOK), "exec"), namespace)  # the notebook's own code
        rss[f"after_run_{run}"] = round(status_mb("VmRSS"), 1)
    app = namespace["app"]
    control = app.panel.controls[LEVER].input
    values = np.round(np.linspace(control.min, control.max, 21), 2)
    times = []
    for move in range(args.moves):
        value = float(values[(move + 1) % len(values)])
        if value == control.value:
            value = float(values[(move + 2) % len(values)])
        start = time.perf_counter()
        control.value = value
        times.append(1000 * (time.perf_counter() - start))
    rss["after_moves"] = round(status_mb("VmRSS"), 1)
    times.sort()
    result = {
        "rss_mb": rss,
        "peak_rss_mb": round(status_mb("VmHWM"), 1),
        "move_p50_ms": round(statistics.median(times), 1),
        "move_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "moves": args.moves,
        "runs": args.runs,
        "draws": int(app.base.n_draws),
        "open_figures": len(plt.get_fignums()),
        "error": app.errors.message,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
