"""Encoding the scenario lab's frames for the page: matplotlib's PNG against the suite's, in one run.

Each move of a lever (the browser bench's pattern: two steps up, two down) renders the lab as the app
does, then both encoders make the frame the page would receive from the same pixels: matplotlib's own
``get_diff_image`` (Pillow, zlib level 6) and :func:`dprk_internals.matplotlib_frames.diff_frame` (changed rows only,
level 1, unchanged rows spliced from a cache). Prints medians, the ratio and the frames' sizes; the
last line is one JSON object.

Run: ``.venv/bin/python bench/frame_encoding_bench.py [--moves 60]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import numpy as np
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
from results import save

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dprk_apps.lab import LabApp  # noqa: E402
from dprk_internals import matplotlib_frames as frames  # noqa: E402


class Pixels:
    """A stand-in renderer: the lab's rendered pixels, as a WebAgg canvas reads them."""

    def __init__(self, rgba: np.ndarray) -> None:
        self.rgba = rgba

    def buffer_rgba(self) -> np.ndarray:
        return self.rgba


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=60)
    args = parser.parse_args()
    app = LabApp()
    control = app.panel.controls["russia_arms_enforcement"].input
    # Two WebAgg canvases share the lab's pixels: one encodes as matplotlib does, one as the suite does.
    agg = app.figure.canvas
    theirs, ours = FigureCanvasWebAggCore(app.figure), FigureCanvasWebAggCore(app.figure)
    app.figure.set_canvas(agg)  # the Agg canvas renders (as the app does); the two only encode
    frames.use_fast_frames(ours)
    times = {"matplotlib": [], "suite": []}
    sizes = {"matplotlib": [], "suite": []}
    for move in range(args.moves + 1):
        step = control.step if (move // 2) % 2 == 0 else -control.step
        control.value = round(min(max(control.value + step, control.min), control.max), 6)
        pixels = Pixels(np.asarray(agg.buffer_rgba()))
        for name, canvas in (("matplotlib", theirs), ("suite", ours)):
            canvas.get_renderer = lambda pixels=pixels: pixels
            canvas._png_is_old = True
            start = time.perf_counter()
            png = canvas.get_diff_image()
            elapsed = time.perf_counter() - start
            if move:  # the first frame is a full frame for both
                times[name].append(elapsed * 1000)
                sizes[name].append(len(png) / 1024)
    result = {
        "matplotlib_ms": round(statistics.median(times["matplotlib"]), 2),
        "suite_ms": round(statistics.median(times["suite"]), 2),
        "matplotlib_kb": round(statistics.median(sizes["matplotlib"]), 1),
        "suite_kb": round(statistics.median(sizes["suite"]), 1),
        "moves": args.moves,
    }
    result["speedup"] = round(result["matplotlib_ms"] / result["suite_ms"], 1)
    print(
        f"diff frame of a move, median of {args.moves}: matplotlib {result['matplotlib_ms']} ms "
        f"({result['matplotlib_kb']} kB), suite {result['suite_ms']} ms ({result['suite_kb']} kB): "
        f"{result['speedup']}x faster"
    )
    save("frame_encoding", result)


if __name__ == "__main__":
    main()
