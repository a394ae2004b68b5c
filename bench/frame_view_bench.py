"""Key press to changed figure with ipympl's page, with the suite's painter and with a page of our own, in turns.

Not a test. Most of what the page does with a lab frame was ipympl's front end: for every frame it copies
its whole canvas to a PNG data URL before it decodes the frame (``toDataURL``, about a third of the page's
work on a move in a JavaScript profile, 2026-12-07), then loads the frame through a blob URL and an image
element and decodes it on the page's main thread. This bench serves versions of the scenario lab with
Voilà, one after the other, and times the browser bench's keyboard moves (``bench/browser_bench.py``: key
press to the first paint that changes the figure's pixels) in each:

* ``ipympl`` - ``notebooks/05_scenario_lab.ipynb`` with the app's :class:`dprk_apps.painting.FramePainter`
  taken out of its page: ipympl paints every frame its own way (as the suite did before 2026-12-07, late;
  the table's numbers still follow the frame by 20 ms, :meth:`dprk_apps.base.SliderApp.update`);
* ``suite`` - the notebook as it is: the painter decodes frames off the main thread and makes the data URL
  only once the figure rests;
* ``own`` - the same :class:`dprk_apps.lab.LabApp` on an Agg canvas, its frames (the same diff frames,
  :func:`dprk_internals.frames.encode_png`) sent to a minimal anywidget that decodes them with
  ``createImageBitmap`` and draws them on its canvas: the most a page of our own could save. A prototype
  made here for the comparison (no resizing, no high-density screens, no export of the page's picture).

All draw the figure at the same size (72 dpi at 1280 x 720, :mod:`dprk_apps.resolution`). Prints each
round and then medians, 95th percentiles and the ratios of the medians; the last line is one JSON object.

Run: ``.venv/bin/python bench/frame_view_bench.py [--rounds 2] [--moves 30] [--pages ipympl suite own]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import browser_bench as bb  # noqa: E402 (the same browser, server, probe and moves)
from results import save  # noqa: E402

# The prototype page: the lab's app on Agg, its frames sent to a minimal canvas widget.
OWN_VIEW_CODE = r'''
import matplotlib

matplotlib.use("Agg")
import anywidget
import numpy as np
import traitlets

from dprk_apps.lab import LabApp
from dprk_internals.frames import encode_png


class FrameView(anywidget.AnyWidget):
    _esm = traitlets.Unicode("""
function render({ model, el }) {
  const canvas = document.createElement('canvas');
  canvas.style.maxWidth = '100%';
  el.appendChild(canvas);
  const context = canvas.getContext('2d');
  let queue = Promise.resolve();  // frames are drawn in the order they came
  model.on('msg:custom', (message, buffers) => {
    const blob = new Blob([buffers[0]], {type: 'image/png'});
    queue = queue.then(() => createImageBitmap(blob)).then(bitmap => {
      if (message.full) { canvas.width = bitmap.width; canvas.height = bitmap.height; }
      context.drawImage(bitmap, 0, 0);  // a diff frame's unchanged pixels are transparent
      bitmap.close();
    });
  });
  model.send({type: 'refresh'});
}
export default { render };
""").tag(sync=True)

    def __init__(self, figure):
        super().__init__()
        self.figure, self._last = figure, None
        self.on_msg(self._handle)

    def _handle(self, _widget, content, _buffers):
        if content.get("type") == "refresh":
            self._last = None
            self.send_frame()

    def send_frame(self):
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        whole = pixels.view(np.uint32).squeeze(2)
        full = self._last is None or self._last.shape != whole.shape
        frame = whole if full else np.where(whole != self._last, whole, 0)
        self._last = whole.copy()
        self.send({"full": bool(full)}, [encode_png(frame.view(np.uint8).reshape(*frame.shape, 4))])


app = LabApp()
app.draw()
view = FrameView(app.figure)
_draw_frame = app.draw


def _draw_and_send():
    _draw_frame()
    view.send_frame()


app.draw = _draw_and_send
app.results_column.children = tuple(view if child is app.canvas else child for child in app.results_column.children)
app.widget
'''
# The lab's notebook as it is, but with the app's painter taken out of its page before it is shown.
WITHOUT_PAINTER = (
    "app.results_column.children = tuple(c for c in app.results_column.children if c is not app.painter)\n"
    "display(app.widget)"
)

FIRST_FRAME_JS = "() => [...document.querySelectorAll('.app-results canvas')].some(c => c.width > 100)"
CANVAS_JS = (
    "() => [...document.querySelectorAll('.app-results canvas:first-child')]"
    ".map(c => [c.width, c.height, c.clientWidth])"
)


PAGES = ("ipympl", "suite", "own")


def write_pages(folder: Path) -> dict[str, Path]:
    """The folder each page is served from: the notebooks as they are, or a variant written into ``folder``."""
    without = nbformat.read(ROOT / "notebooks" / f"{bb.LAB}.ipynb", as_version=4)
    app_cell = next(cell for cell in without.cells if cell.cell_type == "code" and "LabApp()" in cell.source)
    if "display(app.widget)" not in app_cell.source:  # else both pages would be the same, silently
        raise RuntimeError(f"{bb.LAB}: the app cell no longer ends in display(app.widget); update WITHOUT_PAINTER")
    app_cell.source = app_cell.source.replace("display(app.widget)", WITHOUT_PAINTER)
    own = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(OWN_VIEW_CODE)])
    own.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    folders = {"suite": ROOT / "notebooks", "ipympl": folder / "ipympl", "own": folder / "own"}
    for name, notebook in (("ipympl", without), ("own", own)):
        folders[name].mkdir()
        nbformat.write(notebook, folders[name] / f"{bb.LAB}.ipynb")
    return folders


def moves_on(browser, folder: Path, moves: int) -> tuple[list[float], list]:
    """Serve ``folder``'s scenario lab, open it at 1280 x 720 and time ``moves`` keyboard moves (ms)."""
    process, base = bb.voila_server(folder)
    try:
        context = bb.new_context(browser, base)
        try:
            page = context.new_page()
            page.goto(f"{base}/voila/render/{bb.LAB}.ipynb", timeout=180_000)
            page.wait_for_function(FIRST_FRAME_JS, timeout=180_000)
            time.sleep(2.0)
            canvas = page.evaluate(CANVAS_JS)
            bb.key_moves(page, bb.APP_LEVERS[bb.LAB], 4)  # warm-up, not timed
            return bb.key_moves(page, bb.APP_LEVERS[bb.LAB], moves, first_move=4), canvas
        finally:
            context.close()
    finally:
        bb.stop(process)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=2, help="rounds of both pages, in turns")
    parser.add_argument("--moves", type=int, default=30, help="timed moves per page and round")
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=PAGES, help="pages to compare")
    args = parser.parse_args()
    assert bb.CHROMIUM.exists(), "Chromium is missing: apt-get install -y --no-install-recommends chromium"
    from playwright.sync_api import sync_playwright

    result: dict = {"yardstick_render_ms": [bb.yardstick_render_ms()]}
    times: dict[str, list[float]] = {name: [] for name in args.pages}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        folders = write_pages(Path(folder))
        browser = playwright.chromium.launch(executable_path=str(bb.CHROMIUM), args=bb.CHROMIUM_ARGS)
        try:
            for round_ in range(args.rounds):
                for name in args.pages:
                    served = folders[name]
                    moved, canvas = moves_on(browser, served, args.moves)
                    times[name] += moved
                    print(
                        f"round {round_ + 1}, {name}: canvas {canvas}, median {statistics.median(moved):.1f} ms, "
                        f"p95 {np.percentile(moved, 95):.1f} ms",
                        flush=True,
                    )
        finally:
            browser.close()
    for name, moved in times.items():
        result[f"{name}_p50_ms"] = round(statistics.median(moved), 1)
        result[f"{name}_p95_ms"] = round(float(np.percentile(moved, 95)), 1)
        print(f"{name}: median {result[f'{name}_p50_ms']} ms, p95 {result[f'{name}_p95_ms']} ms")
    for slower, faster in (("ipympl", "suite"), ("ipympl", "own"), ("suite", "own")):
        if slower in times and faster in times:
            ratio = round(result[f"{slower}_p50_ms"] / result[f"{faster}_p50_ms"], 2)
            result[f"p50_ratio_{slower}_over_{faster}"] = ratio
    result["yardstick_render_ms"].append(bb.yardstick_render_ms())
    save("frame_view", result)


if __name__ == "__main__":
    main()
