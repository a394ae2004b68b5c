"""Memory and slider time of notebook 07 over a session (not a test: machines are shared, timings noisy).

Run ``python bench/uncertainty_memory_bench.py [--runs R] [--moves M]`` in a fresh process. It executes
the code cells of ``notebooks/07_uncertainty.py`` the way Run All does (``R`` times, default 2: a fresh
run and a second Run All), on the Agg backend with ``display`` a no-op, then moves one lever of the
notebook's ``app`` ``M`` times (default 100) by setting its control's value, as a slider does. Each
move's time is kernel-side work: the ensemble re-run, quantiles, tornado, sentences and one Agg render.

With ``--kernel`` the same session runs in a real Jupyter kernel instead (nbclient, ``%matplotlib
widget``: ipympl canvases): the notebook is executed, then a cell runs every code cell again and moves the
lever. Each move renders its frame itself (the app's ``draw``: the static parts from a cached background,
rendered again when an axis's limits or a label change, then the bands, lines and bars; ipympl sends it).

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

import IPython.display
import jupytext
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from results import save

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


def session(namespace: dict, runs: int, moves: int, run_cell, render) -> dict:
    """Run All ``runs`` times (the first already done when ``namespace`` has ``app``), then ``moves`` moves."""
    rss = {}
    for run in range(1, runs + 1):
        if run > 1 or "app" not in namespace:
            for source in code_cells():
                run_cell(source)
        rss[f"after_run_{run}"] = round(status_mb("VmRSS"), 1)
    app = namespace["app"]
    control = app.panel.controls[LEVER].input
    values = np.round(np.linspace(control.min, control.max, 21), 2)
    times = []
    for move in range(moves):
        value = float(values[(move + 1) % len(values)])
        if value == control.value:
            value = float(values[(move + 2) % len(values)])
        start = time.perf_counter()
        control.value = value
        render(app)
        times.append(1000 * (time.perf_counter() - start))
    rss["after_moves"] = round(status_mb("VmRSS"), 1)
    times.sort()
    return {
        "rss_mb": rss,
        "peak_rss_mb": round(status_mb("VmHWM"), 1),
        "move_p50_ms": round(statistics.median(times), 1),
        "move_p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
        "moves": moves,
        "runs": runs,
        "draws": int(app.base.n_draws),
        "open_figures": len(plt.get_fignums()),
        "error": app.errors.message,
    }


KERNEL_PROBE = """
import json as _json
import sys as _sys
_sys.path.insert(0, {bench!r})
import uncertainty_memory_bench as _bench
_result = _bench.session(globals(), {runs}, {moves}, get_ipython().run_cell, lambda app: None)
print("MEASURED:" + _json.dumps(_result))
"""


def in_kernel(runs: int, moves: int) -> dict:
    """The session in a Jupyter kernel: execute the notebook, then the probe cell; its measurements."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOK.with_suffix(".ipynb"), as_version=4)
    probe = KERNEL_PROBE.format(bench=str(Path(__file__).resolve().parent), runs=runs, moves=moves)
    nb.cells.append(nbformat.v4.new_code_cell(probe))
    resources = {"metadata": {"path": str(NOTEBOOK.parent)}}
    NotebookClient(nb, timeout=1800, kernel_name="python3", resources=resources).execute()
    for output in nb.cells[-1].outputs:
        if output.get("name") == "stdout" and "MEASURED:" in output.text:
            return json.loads(output.text.split("MEASURED:", 1)[1])
    raise RuntimeError(f"the probe printed no measurements: {nb.cells[-1].outputs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--moves", type=int, default=100)
    parser.add_argument("--kernel", action="store_true", help="run the session in a Jupyter kernel (ipympl)")
    args = parser.parse_args()
    if args.kernel:
        save("uncertainty_memory_kernel", {**in_kernel(args.runs, args.moves), "where": "kernel"})
        return

    matplotlib.use("Agg")  # here, not at import: the kernel probe imports this module under ipympl
    IPython.display.display = lambda *objects, **options: None  # the notebook's display() shows nothing here
    namespace: dict = {"__name__": "__main__"}

    def run_cell(source: str) -> None:
        exec(compile(source, str(NOTEBOOK), "exec"), namespace)  # the notebook's own code

    result = session(namespace, args.runs, args.moves, run_cell, lambda app: None)  # Agg draws synchronously
    result["where"] = "process (Agg)"
    save("uncertainty_memory", result)


if __name__ == "__main__":
    main()
