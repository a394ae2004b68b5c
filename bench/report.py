"""Write the tables of ``docs/performance.md`` from what the benches measured (``bench/results/*.json``).

Run ``python bench/report.py`` after running a bench (``./suite bench`` runs it after all of them). It
rewrites the part of ``docs/performance.md`` between the markers ``<!-- performance:start -->`` and
``<!-- performance:end -->``: one section per bench, with when and how it was measured and a table of every
value it reported, its target where one is set (``TARGETS``) and whether the value meets it. A bench with
no result file yet is listed as not measured. ``--check`` only says whether the document is current.

Each result file is what :func:`results.save` wrote: ``{"bench", "measured_at", "command", "host",
"result"}``. Nested values are shown one row per leaf (``kernel_rss_mb.05_scenario_lab``); a target set
for a key applies to every leaf under it. A bench's own ``targets`` entry, if any, is not shown: the
targets are stated here, in one place.
"""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
DOCUMENT = BENCH.parent / "docs" / "performance.md"
START = "<!-- performance:start -->"
END = "<!-- performance:end -->"

# The 07 notebook's memory and move time over a session (the same targets in process and in a kernel).
_UNCERTAINTY_MEMORY = {
    "peak_rss_mb": ("<=", 300),
    "rss_mb": ("<=", 300),
    "move_p50_ms": ("<=", 200),
    "move_p95_ms": ("<=", 200),
}
#: Targets per bench and key: (comparison, value). Nested keys take the target of their parent key.
TARGETS: dict[str, dict[str, tuple[str, float]]] = {
    "model": {
        "single_run_ms": ("<=", 1),
        "ensemble_s": ("<=", 1),
        "loop_ratio": (">=", 50),
        "floor_ratio": ("<=", 15),
        "peak_mb": ("<=", 1500),
        "import_s": ("<=", 0.3),
    },
    "slider": {
        "update_ms_p50": ("<=", 40),
        "update_ms_p95": ("<=", 80),
        "speedup": (">=", 4),
        "notebooks_s": ("<=", 90),
    },
    "uncertainty": {"fan_update_s": ("<=", 1.0), "sobol_s": ("<=", 10), "tornado_s": ("<=", 0.5)},
    "uncertainty_memory": _UNCERTAINTY_MEMORY,
    "uncertainty_memory_kernel": _UNCERTAINTY_MEMORY,
    "browser": {
        "key_to_figure_p50_ms": ("<=", 60),
        "key_to_figure_p95_ms": ("<=", 100),
        "first_figure_pool_over_voila_alone": ("<=", 1.15),
        "kernel_rss_mb": ("<=", 300),  # each app's kernel after 100 moves
    },
    "classroom": {  # for a class of 30 (the bench's default)
        "errors": ("==", 0),
        "first_figure_p95_s": ("<=", 10),
        "slider_p95_ms": ("<=", 300),
        "server_peak_rss_mb": ("<=", 8192),
        "kernels_left_after_close": ("==", 0),
    },
    "classroom_chaos": {  # issue 28: misbehaving clients, kernel kills and a restart during a class of 30
        "errors": ("==", 0),
        "lost_items": ("==", 0),
        "health_p99_ms": ("<=", 1000),
        "health_over_1s": ("==", 0),
        "misbehaving_contained": (">=", 7),
        "request_tracebacks": ("==", 0),
    },
}
#: Benches whose script is not ``bench/<name>_bench.py``: (script, arguments).
SCRIPTS = {
    "classroom_chaos": ("classroom_bench.py", "--chaos"),
    "uncertainty_memory_kernel": ("uncertainty_memory_bench.py", "--kernel"),
    "uncertainty_draws_error": ("uncertainty_draws_error.py", ""),
}
#: The order of the sections; benches not named here follow in alphabetical order.
ORDER = (
    "model",
    "slider",
    "uncertainty",
    "uncertainty_memory_kernel",
    "uncertainty_memory",
    "browser",
    "classroom",
    "classroom_chaos",
    "roleplay",
    "documents",
)
_SYMBOL = {"<=": "≤", ">=": "≥", "==": "="}


def _script(name: str) -> tuple[str, str]:
    return SCRIPTS.get(name, (f"{name}_bench.py", ""))


def _command(name: str) -> str:
    script, arguments = _script(name)
    return f"python bench/{script}" + (f" {arguments}" if arguments else "")


#: Benches run by another bench's script with an option: the module whose docstring describes them.
DESCRIBED_BY = {"classroom_chaos": "classroom_chaos.py"}


def _summary(bench_dir: Path, name: str) -> str:
    """The first line of the bench's docstring (its script's, or :data:`DESCRIBED_BY`), if it is there."""
    path = bench_dir / DESCRIBED_BY.get(name, _script(name)[0])
    if not path.exists():
        return ""
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
    return docstring.strip().splitlines()[0] if docstring.strip() else ""


def _leaves(value: object, key: str = "") -> list[tuple[str, object]]:
    """(dotted key, value) for every leaf of a result; lists of numbers or words stay one leaf."""
    if isinstance(value, dict):
        rows = []
        for name, inner in value.items():
            if not key and name == "targets":
                continue
            rows += _leaves(inner, f"{key}.{name}" if key else str(name))
        return rows
    return [(key, value)]


def _cell(value: object) -> str:
    if value is None:
        text = "—"
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    elif isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, int | str):
        text = str(value)
    elif isinstance(value, list) and all(isinstance(v, int | float | str) and not isinstance(v, bool) for v in value):
        text = ", ".join(_cell(v) for v in value)
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    return text.replace("|", "\\|")


def target_for(bench: str, key: str) -> tuple[str, float] | None:
    """The target of a (dotted) key of a bench: its own, else its nearest parent's; None if there is none."""
    targets = TARGETS.get(bench, {})
    parts = key.split(".")
    while parts:
        found = targets.get(".".join(parts))
        if found is not None:
            return found
        parts.pop()
    return None


def _met(value: object, target: tuple[str, float]) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return ""
    comparison, limit = target
    met = {"<=": value <= limit, ">=": value >= limit, "==": value == limit}[comparison]
    return "yes" if met else "**no**"


def _target_text(target: tuple[str, float] | None) -> str:
    return "" if target is None else f"{_SYMBOL[target[0]]} {target[1]:g}"


def _when(measured_at: str | None) -> str:
    if not measured_at:
        return "at an unrecorded time"
    return measured_at.replace("T", " ").removesuffix("Z")[:16] + " UTC"


def load(results_dir: Path) -> dict[str, dict]:
    """Every result file of a folder, by bench name (a file that is only a result counts too)."""
    records = {}
    for path in sorted(results_dir.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise SystemExit(f"{path}: not JSON ({error})") from error
        if not isinstance(data, dict):
            raise SystemExit(f"{path}: expected a JSON object")
        if "result" not in data:
            data = {"bench": path.stem, "result": data}
        records[path.stem] = data
    return records


def section(name: str, record: dict | None, bench_dir: Path) -> list[str]:
    """One bench's section: heading, what it measures, when and how, and its table."""
    lines = [f"### {name}", ""]
    summary = _summary(bench_dir, name)
    if summary:
        lines += [summary, ""]
    rows: list[tuple[str, str, str, str]] = []
    if record is None:
        lines += [f"Not measured yet: run `{_command(name)}`.", ""]
        rows = [(key, "not measured yet", _target_text(t), "") for key, t in TARGETS.get(name, {}).items()]
    else:
        host = record.get("host") or {}
        facts = []
        if host.get("cpu_count"):
            facts.append(f"{host['cpu_count']} CPUs")
        load_average = host.get("load_average_at_start")
        if load_average:
            facts.append(f"load average {load_average[0]:g} at start")
        where = f" ({', '.join(facts)})" if facts else ""
        command = record.get("command") or _command(name)
        lines += [f"Measured {_when(record.get('measured_at'))} with `{command}`{where}.", ""]
        leaves = _leaves(record["result"])
        reported = {key.split(".")[0] for key, _ in leaves}
        for key, value in leaves:
            target = target_for(name, key)
            rows.append((key, _cell(value), _target_text(target), _met(value, target) if target else ""))
        for key, target in TARGETS.get(name, {}).items():
            if key not in reported:
                rows.append((key, "not reported", _target_text(target), ""))
    if rows:
        lines += ["| key | value | target | met |", "|---|---|---|---|"]
        lines += [f"| `{key}` | {value} | {target} | {met} |" for key, value, target, met in rows]
        lines.append("")
    return lines


def render(results_dir: Path = RESULTS, bench_dir: Path = BENCH) -> str:
    """The generated block, markers included: every bench with a script or a result, in ``ORDER``.

    A bench is listed when ``bench_dir`` holds its script (``<name>_bench.py``, or the script ``SCRIPTS``
    names) or ``results_dir`` holds its result.
    """
    records = load(results_dir) if results_dir.exists() else {}
    names = {p.name.removesuffix("_bench.py") for p in bench_dir.glob("*_bench.py")} | set(records)
    names |= {name for name in (*TARGETS, *SCRIPTS) if (bench_dir / _script(name)[0]).exists()}
    ordered = [n for n in ORDER if n in names] + sorted(names - set(ORDER))
    lines = [START, ""]
    for name in ordered:
        lines += section(name, records.get(name), bench_dir)
    if not ordered:
        lines += ["No bench scripts and no results found.", ""]
    lines.append(END)
    return "\n".join(lines)


def update(document: str, block: str) -> str:
    """The document with the text between its markers (markers included) replaced by ``block``."""
    if START not in document or END not in document:
        raise ValueError(f"the document lacks the markers {START} and {END}")
    start, end = document.index(START), document.index(END) + len(END)
    return document[:start] + block + document[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder of result files (bench/results)")
    parser.add_argument("--document", type=Path, default=DOCUMENT, help="the document to update")
    parser.add_argument("--check", action="store_true", help="only check that the document is current")
    args = parser.parse_args(argv)
    text = args.document.read_text(encoding="utf-8")
    current = update(text, render(args.results))
    if args.check:
        if current != text:
            print(f"{args.document} is stale: run python bench/report.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        args.document.write_text(current, encoding="utf-8")
    print(f"{args.document}: {'updated' if current != text else 'already current'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
