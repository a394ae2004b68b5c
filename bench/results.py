"""Where the benches keep what they measured: ``bench/results/<name>.json``, read by ``bench/report.py``.

Every bench script ends with ``save(name, result)``: it prints ``result`` as one JSON object (the script's
last line, as before) and writes it to ``bench/results/<name>.json`` together with when it was measured,
the command that measured it and a few facts about the machine (its CPU count and its load average when
the bench started). ``python bench/report.py`` turns those files into the tables of ``docs/performance.md``.

Set ``DPRK_BENCH_RESULTS`` to another folder to keep a run out of ``bench/results/`` (the tests that run a
bench do so).

The load average "at start" is read when this module is imported, which the benches do at their top.
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import sys
from datetime import UTC, datetime
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "results"
_LOAD_AT_START = os.getloadavg()


def host() -> dict:
    """Facts about the machine that a reader needs to judge a timing: CPUs and how busy they were."""
    return {
        "cpu_count": os.cpu_count(),
        "load_average_at_start": [round(load, 2) for load in _LOAD_AT_START],
        "load_average_at_end": [round(load, 2) for load in os.getloadavg()],
        "python": platform.python_version(),
        "machine": platform.machine(),
    }


def folder() -> Path:
    """The folder the results go to: ``DPRK_BENCH_RESULTS`` if set, else ``bench/results``."""
    return Path(os.environ.get("DPRK_BENCH_RESULTS") or FOLDER)


def record(name: str, result: dict) -> dict:
    """What ``save`` writes: the bench's result with when, how and where it was measured."""
    script = Path(sys.argv[0])
    command = " ".join(["python", f"bench/{script.name}", *(shlex.quote(arg) for arg in sys.argv[1:])])
    return {
        "bench": name,
        "measured_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "command": command,
        "host": host(),
        "result": result,
    }


def save(name: str, result: dict) -> Path:
    """Print ``result`` as one JSON line and write it, with its record, to ``<folder>/<name>.json``.

    The line is printed first, so it stays the script's last line of output whatever happens to the
    file. The file is written to a temporary name and moved into place, so a bench that is stopped halfway
    leaves the previous result as it was.
    """
    print(json.dumps(result), flush=True)
    target = folder() / f"{name}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(json.dumps(record(name, result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    partial.replace(target)
    return target
