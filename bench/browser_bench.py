"""The scenario lab as a student sees it: timings in headless Chromium, kernel memory per app.

Measures, in Debian's Chromium driven by Playwright against a local Voilà server:

* ``key_to_figure_p50_ms`` / ``key_to_figure_p95_ms`` - 30 keyboard moves of a lever in the scenario
  lab: from the key press (the ``keydown`` event's time stamp) to the first time the figure's canvas
  shows changed pixels. The page's own canvas context is instrumented: every ``drawImage`` on the figure
  (ipympl paints each frame the kernel sends that way) is followed by a comparison with the picture
  before the key; the time is taken right after the paint, before the comparison. The bench waits for
  the page to report the changed paint (one call that returns when it happens), so nothing of the
  bench runs while the move is under way.
* ``key_to_figure_polling_p50_ms`` / ``..._p95_ms`` - the same 30 moves on a fresh page, timed the way
  this bench did at first: the bench asks the page every 5 ms whether the paint has happened. Those
  questions run on the page's main thread while it works on the move, so they add to what they measure
  (docs/performance.md); kept to compare with earlier figures.
* ``first_figure_s`` - navigation start to the first drawn figure of the lab, median of 5 visits; once
  on a plain Voilà server (every visit starts and runs a kernel) and once on the classroom server
  (``classroom/``) with a pool of warm kernels (``first_figure_pool_s``).
* ``first_figure_voila_alone_s`` - the same from Voilà alone: a notebook of one ipympl figure the size of
  the lab's, served with the classroom's template from a pool of warm kernels, median of 5 visits; and
  ``first_figure_pool_over_voila_alone``, the lab's pooled first figure as a multiple of it. What the
  page costs before the suite adds anything (its measured medians are in docs/performance.md).
* ``kernel_rss_mb`` - resident memory of each app's kernel after 100 keyboard moves of one of its
  levers, one app at a time (the page then closes and its kernel is shut down).
* ``yardstick_render_ms`` - the machine's speed at the time: a full Agg render of the scenario lab's
  figure at 100 dpi in the bench's own process, median of 15, taken before and after the browser work
  (both printed). A shared machine's speed swings from hour to hour, so compare runs by this yardstick.
* ``versions`` - the versions of Chromium, Voilà, ipywidgets and ipympl: the page's own time depends on them as
  much as on the suite (the machine's Chromium is reinstalled from Debian with each new machine).

Targets (kept in ``bench/report.py``): p50 <= 60 ms, p95 <= 100 ms, the pooled first figure at most 1.15
times Voilà alone's, every kernel <= 300 MB after 100 moves. The last line printed is one JSON object,
also kept in ``bench/results/browser.json``.

Run: ``.venv/bin/python bench/browser_bench.py [--moves 30] [--visits 5] [--rss-moves 100] [--apps ...]``.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import psutil
from results import save

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from classroom.launch import CHROMIUM, CHROMIUM_ARGS, FIRST_FIGURE_JS, ClassServer, free_port, wait_until_served  # noqa: E402
from classroom.server import jupyter_path_with_templates  # noqa: E402

LAB = "05_scenario_lab"
#: A lever of each app moved for the memory measure (two steps up, two down: always inside its range).
APP_LEVERS = {
    "00_start_here": "russia_arms_enforcement",
    "01_lifelines": "russia_arms_enforcement",  # a step of the export ban can move no pixel of the shares
    "02_oil": "china_pipeline_cut",
    "03_labour": "china_labour_enforcement",
    "04_arms": "russia_arms_enforcement",
    "05_scenario_lab": "russia_arms_enforcement",
    "06_exercises": "russia_arms_enforcement",
    "07_uncertainty": "russia_arms_enforcement",
}

# Installed once per page: remembers the last keydown's time and, while armed, the first paint of the
# app's figure that changes its pixels.
PROBE_JS = """() => {
  if (window.__probe) return;  // installed once per page
  const canvas = document.querySelector('.app-results canvas:first-child');
  const context = canvas.getContext('2d');
  const paint = context.drawImage.bind(context);
  window.__probe = {key: null, changed: null, before: null, paints: 0, report: null};
  document.addEventListener('keydown', e => { window.__probe.key = e.timeStamp; }, true);
  context.drawImage = (...args) => {
    paint(...args);
    const now = performance.now(), probe = window.__probe;
    probe.paints += 1;
    if (probe.before !== null && probe.changed === null && canvas.toDataURL() !== probe.before) {
      probe.changed = now;
      if (probe.report !== null) probe.report();
    }
  };
}"""
# Before each move: the picture to compare with, and a promise the changed paint resolves.
ARM_JS = """() => { const c = document.querySelector('.app-results canvas:first-child'), probe = window.__probe;
  Object.assign(probe, {before: c.toDataURL(), changed: null, key: null});
  probe.done = new Promise(resolve => { probe.report = resolve; }); }"""
# Returns the move's time once the page has painted it (or null after the timeout, in ms).
WAIT_JS = """timeout => { const probe = window.__probe;
  return Promise.race([probe.done, new Promise(resolve => setTimeout(resolve, timeout))])
    .then(() => (probe.changed !== null && probe.key !== null) ? probe.changed - probe.key : null); }"""


def voila_server(
    folder: Path, extra: tuple[str, ...] = (), env: dict | None = None, log=subprocess.DEVNULL
) -> tuple[subprocess.Popen, str]:
    """A plain Voilà server on a free port (no pool unless ``extra`` asks for one), started and ready."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("voila")),
            str(folder),
            "--no-browser",
            f"--port={port}",
            "--Voila.ip=127.0.0.1",
            "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
            *extra,
        ],
        cwd=ROOT,
        env={**os.environ, "DPRK_LIFELINES_EXPORTS": str(ROOT / "build" / "bench-exports"), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT if log is not subprocess.DEVNULL else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until_served(f"{base}/voila/static/voila.js", process, 90, "voila")
    return process, base


# Voilà alone: one ipympl figure the size of the lab's, nothing else on the page.
FLOOR_SOURCE = """%matplotlib widget
import matplotlib.pyplot as plt
figure, ax = plt.subplots(figsize=(10, 6.5))
ax.plot([2013, 2035], [0, 1])
figure.canvas.header_visible = False
figure.canvas.toolbar_visible = False
display(figure.canvas)
"""


def floor_first_figure(browser, visits: int) -> list[float]:
    """First figure of a one-figure notebook from a pool of warm kernels, on the classroom's template.

    What Voilà's page costs on this machine before any app of the suite adds to it: the same server
    options as the classroom (pre-heated kernels, the ``classroom`` template), one pooled kernel per
    visit, none refilled while the visits run. (The template's watchdog asks the classroom server about
    the kernel 5 s after the page loads, long after the figure; plain Voilà answers 404 then.)
    """
    import nbformat

    with tempfile.TemporaryDirectory() as folder:
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR_SOURCE)])
        notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(notebook, Path(folder) / "floor.ipynb")
        log_path = Path(folder) / "voila.log"
        with open(log_path, "w") as log:
            process, base = voila_server(
                Path(folder),
                extra=(
                    "--preheat_kernel=True",
                    f"--pool_size={visits}",
                    "--VoilaKernelManager.fill_delay=3600",
                    "--VoilaConfiguration.template=classroom",
                ),
                env={"JUPYTER_PATH": jupyter_path_with_templates()},
                log=log,
            )
        try:
            deadline = time.monotonic() + 120
            while "is filled with" not in log_path.read_text():
                assert time.monotonic() < deadline, f"Voilà did not fill its pool: {log_path.read_text()[-2000:]}"
                time.sleep(0.5)
            time.sleep(5.0)  # the pool's kernels run the one-cell notebook after they start
            return [first_figure(browser, f"{base}/voila/render/floor.ipynb", base) for _ in range(visits)]
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def new_context(browser, base: str):
    """A browser context with the ``_xsrf`` cookie, so a closed page shuts its kernel down (Voilà 0.5)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    context.add_cookies([{"name": "_xsrf", "value": secrets.token_hex(16), "url": base}])
    return context


def first_figure(browser, url: str, base: str) -> float:
    """Seconds from navigation start to the first drawn figure, in a fresh context."""
    context = new_context(browser, base)
    try:
        page = context.new_page()
        page.goto(url, timeout=180_000, wait_until="commit")
        page.wait_for_function(FIRST_FIGURE_JS, timeout=180_000, polling=20)
        return page.evaluate("() => performance.now()") / 1000  # navigation start is time 0
    finally:
        context.close()
        time.sleep(1.0)  # the kernel's shutdown, before the next visit


def open_app(browser, base: str, notebook: str, query: str = ""):
    context = new_context(browser, base)
    page = context.new_page()
    page.goto(f"{base}/voila/render/{notebook}.ipynb{query}", timeout=180_000)
    try:
        page.locator(".app-results canvas").first.wait_for(state="attached", timeout=180_000)
        page.wait_for_function(FIRST_FIGURE_JS, timeout=180_000)
    except Exception:
        page.screenshot(path=str(ROOT / "build" / f"browser-bench-failure-{notebook}.png"))
        raise
    time.sleep(1.5)
    return context, page


def key_moves(
    page, lever: str, moves: int, timeout: float = 30.0, polling: bool = False, first_move: int = 0
) -> list[float]:
    """Key press to changed figure pixels (ms), one value per move; alternately up and down two steps.

    With ``polling`` the bench asks the page every 5 ms instead of waiting for its report (the way of
    earlier runs; see the module's docstring). ``first_move`` continues the up-and-down pattern of
    earlier calls on the same page.
    """
    page.evaluate(PROBE_JS)
    handle = page.locator(f".param-{lever} .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    times = []
    for move in range(first_move, first_move + moves):
        page.evaluate(ARM_JS)
        handle.press("ArrowRight" if (move // 2) % 2 == 0 else "ArrowLeft")
        elapsed = _polled(page, timeout) if polling else page.evaluate(WAIT_JS, timeout * 1000)
        if elapsed is None:
            raise RuntimeError(f"move {move}: the figure did not change within {timeout:.0f} s")
        times.append(elapsed)
        time.sleep(0.15)  # a student's pace, and the kernel idle again
    return times


def _polled(page, timeout: float) -> float | None:
    deadline = time.monotonic() + timeout
    while time.monotonic() <= deadline:
        probe = page.evaluate("() => window.__probe")
        if probe["changed"] is not None and probe["key"] is not None:
            return probe["changed"] - probe["key"]
        time.sleep(0.005)
    return None


def kernel_of(server_pid: int, before: set[int]) -> psutil.Process:
    """The kernel process the server started since ``before`` (the newest one)."""
    children = [p for p in psutil.Process(server_pid).children(recursive=True) if p.pid not in before]
    kernels = [p for p in children if "ipykernel" in " ".join(p.cmdline())]
    if not kernels:
        raise RuntimeError("no new kernel found")
    return max(kernels, key=lambda p: p.create_time())


def yardstick_render_ms(repeats: int = 15) -> float:
    """Median time (ms) of a full Agg render of the scenario lab's figure at 100 dpi: the machine's speed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dprk_apps.lab import LabApp

    app = LabApp()
    app.figure.set_dpi(100)  # the yardstick stays the figure at 100 dpi, whatever the apps' resolution
    times = []
    for _ in range(repeats + 2):
        start = time.perf_counter()
        app.figure.canvas.draw()
        times.append((time.perf_counter() - start) * 1000)
    plt.close(app.figure)
    return round(statistics.median(times[2:]), 1)  # the first two warm the font and text caches


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--moves", type=int, default=30, help="keyboard moves timed in the lab")
    parser.add_argument("--visits", type=int, default=5, help="visits for the first-figure median")
    parser.add_argument("--rss-moves", type=int, default=100, help="moves before each kernel's memory is read")
    parser.add_argument("--apps", default=",".join(APP_LEVERS), help="apps whose kernel memory is measured")
    parser.add_argument("--pool", type=int, default=6, help="warm kernels of the classroom server's pool")
    args = parser.parse_args()
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y --no-install-recommends chromium"
    from playwright.sync_api import sync_playwright

    result: dict = {"yardstick_render_ms": [yardstick_render_ms()]}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        result["versions"] = {
            "chromium": browser.version,
            **{package: importlib.metadata.version(package) for package in ("voila", "ipywidgets", "ipympl")},
        }
        try:
            process, base = voila_server(ROOT / "notebooks")
            try:
                # 1. Key press to changed figure in the lab.
                context, page = open_app(browser, base, LAB)
                try:
                    times = key_moves(page, APP_LEVERS[LAB], args.moves)
                finally:
                    context.close()
                result["key_to_figure_p50_ms"] = round(percentile(times, 50), 1)
                result["key_to_figure_p95_ms"] = round(percentile(times, 95), 1)
                result["key_to_figure_max_ms"] = round(max(times), 1)
                print(
                    f"key -> figure: median {result['key_to_figure_p50_ms']} ms, p95 {result['key_to_figure_p95_ms']}"
                )
                # The same on a fresh page, the bench polling the page as it did at first.
                context, page = open_app(browser, base, LAB)
                try:
                    polled = key_moves(page, APP_LEVERS[LAB], args.moves, polling=True)
                finally:
                    context.close()
                result["key_to_figure_polling_p50_ms"] = round(percentile(polled, 50), 1)
                result["key_to_figure_polling_p95_ms"] = round(percentile(polled, 95), 1)
                print(
                    f"key -> figure, bench polling: median {result['key_to_figure_polling_p50_ms']} ms, "
                    f"p95 {result['key_to_figure_polling_p95_ms']}"
                )
                # 2. First figure without a pool (each visit starts and runs a kernel).
                url = f"{base}/voila/render/{LAB}.ipynb"
                visits = [first_figure(browser, url, base) for _ in range(args.visits)]
                result["first_figure_s"] = round(statistics.median(visits), 2)
                print(f"first figure, no pool: {[round(v, 2) for v in visits]} s")
                # 3. Kernel memory per app after the moves.
                rss = {}
                for notebook in args.apps.split(","):
                    before = {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
                    context, page = open_app(browser, base, notebook)
                    try:
                        kernel = kernel_of(process.pid, before)
                        key_moves(page, APP_LEVERS[notebook], args.rss_moves, timeout=60)
                        time.sleep(1.0)
                        rss[notebook] = round(kernel.memory_info().rss / 2**20)
                    finally:
                        context.close()
                    print(f"kernel of {notebook} after {args.rss_moves} moves: {rss[notebook]} MB")
                    time.sleep(2.0)
                result["kernel_rss_mb"] = rss
            finally:
                stop(process)
            # 4. First figure from the classroom server's pool of warm kernels.
            with ClassServer(students=args.pool, apps=LAB) as server:
                url = f"{server.base}/voila/render/{LAB}.ipynb?token={server.code}"
                pooled = []
                for _ in range(args.visits):
                    pooled.append(first_figure(browser, url, server.base))
                    # Let the pool hand out a warm kernel each time (it refills 20 s after one is taken).
                result["first_figure_pool_s"] = round(statistics.median(pooled), 2)
                print(f"first figure, classroom pool of {args.pool}: {[round(v, 2) for v in pooled]} s")
            # 5. The same for Voilà alone (one figure, nothing of the suite): the part the suite cannot change.
            floor = floor_first_figure(browser, args.visits)
            result["first_figure_voila_alone_s"] = round(statistics.median(floor), 2)
            result["first_figure_pool_over_voila_alone"] = round(
                result["first_figure_pool_s"] / result["first_figure_voila_alone_s"], 2
            )
            print(f"first figure, Voilà alone (one figure, warm pool): {[round(v, 2) for v in floor]} s")
        finally:
            browser.close()
    result["yardstick_render_ms"].append(yardstick_render_ms())
    result["load_average"] = round(os.getloadavg()[0], 2)
    save("browser", result)


if __name__ == "__main__":
    main()
