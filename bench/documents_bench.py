"""Benchmark of the printed documents: a handout page, the role cards, the slides, and the text measure.

Run ``python bench/documents_bench.py``. Machines here are shared and noisy, so every time is a median of
repeated runs. The last line is one JSON object:

* ``handout_s``        one preset's handout written as a PDF (the longest preset, max-pressure; median)
* ``handout_layout_s`` the same page laid out and checked, without the PDF (median)
* ``cards_s``          every role card as one PDF (median)
* ``slides_s``         the deck as one PDF (median)
* ``measure_ratio``    measuring one line with the renderer's text layout / with the glyph advances that
                       :class:`dprk_teaching.pages.Measure` sums (why the layout can try several text sizes)
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from results import save

from dprk_teaching.cards import write_cards
from dprk_teaching.handout import content_for_scenario, handout_page, write_pdf
from dprk_teaching.pages import Measure
from dprk_teaching.slides import write_slides
from model.scenarios import load_preset

REPEATS = 5
LINE = "Security Council Fails to Extend Mandate for Expert Panel Assisting Sanctions Committee, 2024-03-28"


def median_time(function, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    folder = Path(tempfile.mkdtemp())
    content = content_for_scenario(load_preset("max-pressure"))
    results = {
        "handout_s": median_time(lambda: write_pdf(content, folder / "handout.pdf", overwrite=True)),
        "handout_layout_s": median_time(lambda: handout_page(content)),
        "cards_s": median_time(lambda: write_cards(folder / "cards.pdf", overwrite=True), 3),
        "slides_s": median_time(lambda: write_slides(folder / "slides.pdf", overwrite=True), 3),
    }
    renderer, prop, measure = RendererAgg(10, 10, 72), FontProperties(size=9), Measure()
    measure.width(LINE, 9)  # the advances are looked up once, then cached
    layout = median_time(lambda: renderer.get_text_width_height_descent(LINE, prop, ismath=False), 50)
    summed = median_time(lambda: measure.width(LINE, 9), 50)
    results["measure_ratio"] = layout / summed
    for key, value in results.items():
        print(f"{key:18} {value:.3f}")
    save("documents", {key: round(value, 4) for key, value in results.items()})


if __name__ == "__main__":
    main()
