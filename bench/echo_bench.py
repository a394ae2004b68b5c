"""When a lever's echo is sent: key press to changed figure in Chromium, three ways in turns on one page.

ipywidgets 8 answers a value the page sets with an ``echo_update`` of it before the kernel does anything
else; the suite's controls send it once the move is handled (``dprk_apps.controls.EchoAfterHandling``).
This bench opens the scenario lab in Chromium (served by Voilà, as ``bench/browser_bench.py`` does),
attaches a second client to the page's kernel and, for the lever the browser bench moves, switches in
turns between:

* ``after`` - the suite's controls as they are;
* ``first`` - the echo sent first, with the value the page sent (ipywidgets' own order);
* ``none`` - no echo at all.

Each round times ``--moves`` keyboard moves of each, on the same page and kernel, so the three share the
machine's state. Prints each round, then medians and 95th percentiles over all rounds and the ratio of
the p95s; the last line is one JSON object.

Run: ``.venv/bin/python bench/echo_bench.py [--rounds 3] [--moves 30]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import browser_bench as bb  # noqa: E402
from results import save  # noqa: E402

from classroom.launch import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

# Run in the page's kernel: the lab app, its lever's slider, and the two other ways of echoing.
SETUP = """
import gc as _gc
import ipywidgets as _widgets
from dprk_apps.lab import LabApp as _LabApp

_slider = next(o for o in _gc.get_objects() if isinstance(o, _LabApp)).panel.controls[{lever!r}].input


def _echo_first(sync, slider=_slider):
    if "value" in sync:
        slider._send({{"method": "echo_update", "state": {{"value": sync["value"]}}, "buffer_paths": []}})
    _widgets.FloatSlider.set_state(slider, sync)


def _no_echo(sync, slider=_slider):
    _widgets.FloatSlider.set_state(slider, sync)
"""
WAYS = {
    "after": ("", ""),
    "first": ("_slider.set_state = _echo_first", "del _slider.set_state"),
    "none": ("_slider.set_state = _no_echo", "del _slider.set_state"),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--moves", type=int, default=30, help="moves of each way in each round")
    args = parser.parse_args()
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y --no-install-recommends chromium"
    from jupyter_client import BlockingKernelClient
    from playwright.sync_api import sync_playwright

    lever = bb.APP_LEVERS[bb.LAB]
    times: dict[str, list[float]] = {way: [] for way in WAYS}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        process, base = bb.voila_server(ROOT / "notebooks")
        client = None
        try:
            before = {p.pid for p in psutil.Process(process.pid).children(recursive=True)}
            context, page = bb.open_app(browser, base, bb.LAB)
            kernel = bb.kernel_of(process.pid, before)
            connection_file = next(arg for arg in kernel.cmdline() if arg.endswith(".json"))
            client = BlockingKernelClient(connection_file=connection_file)
            client.load_connection_file()
            client.start_channels()

            def run(code: str) -> None:
                if not code:
                    return
                outputs: list[dict] = []
                client.execute_interactive(code, timeout=30, output_hook=outputs.append)
                errors = [m["content"] for m in outputs if m["msg_type"] == "error"]
                if errors:
                    raise RuntimeError(f"{errors[0]['ename']}: {errors[0]['evalue']}")

            run(SETUP.format(lever=lever))
            done = bb.key_moves(page, lever, 8)  # warm up (not counted)
            moved = len(done)
            for round_ in range(args.rounds):
                for way, (switch_on, switch_off) in WAYS.items():
                    run(switch_on)
                    time.sleep(0.3)
                    round_times = bb.key_moves(page, lever, args.moves, first_move=moved)
                    moved += args.moves
                    run(switch_off)
                    times[way] += round_times
                    print(
                        f"round {round_ + 1} {way:5s}: median {bb.percentile(round_times, 50):5.1f} ms, "
                        f"p95 {bb.percentile(round_times, 95):5.1f} ms",
                        flush=True,
                    )
            context.close()
        finally:
            if client is not None:
                client.stop_channels()
            bb.stop(process)
            browser.close()
    result = {
        way: {"p50_ms": round(bb.percentile(t, 50), 1), "p95_ms": round(bb.percentile(t, 95), 1)}
        for way, t in times.items()
    }
    for way, numbers in result.items():
        print(f"{way:5s}: median {numbers['p50_ms']} ms, p95 {numbers['p95_ms']} ms over {len(times[way])} moves")
    result["p95_ratio_first_to_after"] = round(result["first"]["p95_ms"] / result["after"]["p95_ms"], 2)
    result["moves_each"] = len(times["after"])
    print(f"p95 with the echo first / after: {result['p95_ratio_first_to_after']}")
    save("echo", result)


if __name__ == "__main__":
    main()
