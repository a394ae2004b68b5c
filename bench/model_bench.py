"""Benchmark of the model: one scenario, a 100,000-draw ensemble, and the approaches it replaces.

Run ``python bench/model_bench.py``. Machines here are shared and noisy, so every time is a median of
repeated runs and comparisons are ratios measured in the same run. The last line is one JSON object:

* ``single_run_ms``   one parameter set, all 23 years (median)
* ``ensemble_draws``  100,000
* ``ensemble_s``      that many draws x all years in one vectorised call (float32 results; median)
* ``ensemble_f64_s``  the same in float64, for reference
* ``ensemble_one_thread_s`` the same with one thread instead of the default two
* ``loop_ratio``      a Python loop calling the single-run model once per draw (as general experiment
                      runners do), timed on a subsample and scaled to 100,000 draws, / ``ensemble_s``
* ``floor_ratio``     ``ensemble_s`` / the time to fill the output arrays once (the memory floor)
* ``peak_mb``         peak resident memory (VmHWM) of a fresh process that samples and runs the ensemble
* ``import_s``        ``import model`` in a fresh interpreter (median)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import numpy as np
from results import save

from model import Params, simulate
from model.results import Results
from model.sampling import sample

DRAWS = 100_000
LOOP_SUBSAMPLE = 400


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def fill_outputs(n_draws: int, dtype) -> None:
    results = Results.allocate(n_draws, dtype)
    for value in results.__dict__.values():
        if isinstance(value, np.ndarray) and value.ndim >= 2:
            value.fill(1.0)


# The child reads its own high-water mark (VmHWM) from /proc: getrusage's ru_maxrss survives exec on Linux,
# so a child started from this process (which then holds the 100,000-draw batch and its results) would
# report this process's memory instead of its own. Elsewhere than Linux it falls back to ru_maxrss.
CHILD = """
import resource, numpy as np
from model import simulate
from model.sampling import sample
results = simulate(sample({draws}, np.random.default_rng(1)), dtype=np.float32)
try:
    with open("/proc/self/status") as status:
        print(next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024)
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""

IMPORT = "import time; t = time.perf_counter(); import model; print(time.perf_counter() - t)"


def main() -> dict:
    defaults = Params.defaults()
    simulate(defaults)  # warm caches (history, registry)
    single = statistics.median(timed(lambda: simulate(defaults), 300))

    batch = sample(DRAWS, np.random.default_rng(1))
    simulate(batch, dtype=np.float32)
    ensemble = statistics.median(timed(lambda: simulate(batch, dtype=np.float32), 7))
    ensemble_f64 = statistics.median(timed(lambda: simulate(batch), 5))
    one_thread = statistics.median(timed(lambda: simulate(batch, dtype=np.float32, threads=1), 5))

    rows = [batch.rows(i, i + 1) for i in range(LOOP_SUBSAMPLE)]
    loop = statistics.median(timed(lambda: [simulate(row) for row in rows], 3)) * DRAWS / LOOP_SUBSAMPLE

    floor = statistics.median(timed(lambda: fill_outputs(DRAWS, np.float32), 7))

    peak = float(
        subprocess.run(
            [sys.executable, "-c", CHILD.format(draws=DRAWS)], capture_output=True, text=True, check=True
        ).stdout
    )
    imports = [
        float(subprocess.run([sys.executable, "-c", IMPORT], capture_output=True, text=True, check=True).stdout)
        for _ in range(7)
    ]

    report = {
        "single_run_ms": round(single * 1000, 3),
        "ensemble_draws": DRAWS,
        "ensemble_s": round(ensemble, 3),
        "ensemble_f64_s": round(ensemble_f64, 3),
        "ensemble_one_thread_s": round(one_thread, 3),
        "loop_ratio": round(loop / ensemble, 1),
        "floor_ratio": round(ensemble / floor, 2),
        "peak_mb": round(peak, 1),
        "import_s": round(statistics.median(imports), 3),
    }
    print(f"single run           {report['single_run_ms']:8.3f} ms   (target <= 1)")
    print(
        f"ensemble {DRAWS:,} draws {report['ensemble_s']:8.3f} s    (target <= 1; float64 {ensemble_f64:.3f} s; "
        f"one thread {one_thread:.3f} s)"
    )
    print(f"python loop          {loop:8.1f} s    -> loop_ratio {report['loop_ratio']} (target >= 50)")
    print(f"memory floor         {floor:8.3f} s    -> floor_ratio {report['floor_ratio']} (target <= 15)")
    print(f"peak memory          {report['peak_mb']:8.1f} MB   (target <= 1500)")
    print(f"import model         {report['import_s']:8.3f} s    (target <= 0.3)")
    save("model", report)
    return report


if __name__ == "__main__":
    main()
