"""bench/report.py turns the benches' result files into docs/performance.md; bench/results.py writes them."""

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _load("report")
MODEL = {
    "bench": "model",
    "measured_at": "2026-12-01T10:15:42Z",
    "command": "python bench/model_bench.py",
    "host": {"cpu_count": 2, "load_average_at_start": [0.42, 0.3, 0.2]},
    "result": {"single_run_ms": 0.8, "ensemble_s": 1.7, "loop_ratio": 145.0, "peak_mb": 1439.0},
}
TOY = {
    "bench": "toy",
    "measured_at": "2026-12-02T08:00:00Z",
    "command": "python bench/toy_bench.py --rounds 2",
    "host": {"cpu_count": 2, "load_average_at_start": [1.5, 1.0, 0.5]},
    "result": {"widgets": 411, "rss_mb": {"lab": 127, "uncertainty": 205}, "yardstick_ms": [90.1, 95.5]},
}


@pytest.fixture
def results_dir(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for record in (MODEL, TOY):
        (folder / f"{record['bench']}.json").write_text(json.dumps(record), encoding="utf-8")
    return folder


def test_each_bench_gets_a_table_with_its_values_targets_and_date(results_dir, tmp_path):
    block = report.render(results_dir, bench_dir=tmp_path)  # no scripts there: only the two results
    lines = block.splitlines()
    assert lines[0] == report.START and lines[-1] == report.END
    assert [line for line in lines if line.startswith("### ")] == ["### model", "### toy"]
    # Values against the targets of bench/report.py: one met, one missed, one at least.
    assert "| `single_run_ms` | 0.8 | ≤ 1 | yes |" in lines
    assert "| `ensemble_s` | 1.7 | ≤ 1 | **no** |" in lines
    assert "| `loop_ratio` | 145 | ≥ 50 | yes |" in lines
    # A target the run did not report is listed as such, not dropped.
    assert "| `import_s` | not reported | ≤ 0.3 |  |" in lines
    # A bench without targets: an empty target column; nested values one row per leaf; lists in one cell.
    assert "| `widgets` | 411 |  |  |" in lines
    assert "| `rss_mb.uncertainty` | 205 |  |  |" in lines
    assert "| `yardstick_ms` | 90.1, 95.5 |  |  |" in lines
    measured = "Measured 2026-12-01 10:15 UTC with `python bench/model_bench.py`"
    assert f"{measured} (2 CPUs, load average 0.42 at start)." in lines
    assert "Measured 2026-12-02 08:00 UTC with `python bench/toy_bench.py --rounds 2`" in block


def test_a_parent_keys_target_applies_to_each_leaf():
    assert report.target_for("browser", "kernel_rss_mb.07_uncertainty") == ("<=", 300)
    assert report.target_for("browser", "key_to_figure_p50_ms") == ("<=", 60)
    assert report.target_for("browser", "key_to_figure_p95_ms") == ("<=", 100)
    assert report.target_for("browser", "first_figure_pool_over_voila_alone") == ("<=", 1.15)
    assert report.target_for("toy", "widgets") is None


def test_a_bench_with_a_script_and_no_result_is_not_measured_yet(tmp_path):
    (tmp_path / "browser_bench.py").write_text('"""The browser bench."""\n', encoding="utf-8")
    block = report.render(tmp_path / "nothing-here", bench_dir=tmp_path)
    assert "Not measured yet: run `python bench/browser_bench.py`." in block
    assert "The browser bench." in block
    assert "| `key_to_figure_p50_ms` | not measured yet | ≤ 60 |  |" in block.splitlines()


def test_the_document_is_rewritten_between_its_markers_only(results_dir, tmp_path):
    document = tmp_path / "performance.md"
    document.write_text(f"# Intro\n\nhand-written\n\n{report.START}\nold\n{report.END}\n\nafter\n", encoding="utf-8")
    assert report.main(["--results", str(results_dir), "--document", str(document), "--check"]) == 1
    assert report.main(["--results", str(results_dir), "--document", str(document)]) == 0
    text = document.read_text(encoding="utf-8")
    assert text.startswith("# Intro\n\nhand-written\n\n") and text.endswith(f"{report.END}\n\nafter\n")
    assert "old" not in text and "| `single_run_ms` | 0.8 | ≤ 1 | yes |" in text
    assert report.main(["--results", str(results_dir), "--document", str(document), "--check"]) == 0
    with pytest.raises(ValueError, match="markers"):
        report.update("no markers here", report.render(results_dir, bench_dir=tmp_path))


def test_performance_document_is_current():
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    assert report.update(text, report.render()) == text, "regenerate with `python bench/report.py`"


def test_save_prints_the_result_and_keeps_it_with_when_and_where(tmp_path, monkeypatch, capsys):
    results = _load("results")
    monkeypatch.setenv("DPRK_BENCH_RESULTS", str(tmp_path))
    monkeypatch.setattr("sys.argv", ["bench/toy_bench.py", "--moves", "5"])
    path = results.save("toy", {"p50_ms": 41.2})
    assert capsys.readouterr().out.splitlines()[-1] == '{"p50_ms": 41.2}'
    record = json.loads(path.read_text(encoding="utf-8"))
    assert path == tmp_path / "toy.json"
    assert record["bench"] == "toy" and record["result"] == {"p50_ms": 41.2}
    assert record["command"] == "python bench/toy_bench.py --moves 5"
    assert record["measured_at"].endswith("Z") and record["measured_at"][:2] == "20"
    assert record["host"]["cpu_count"] >= 1 and len(record["host"]["load_average_at_start"]) == 3
    assert report.load(tmp_path)["toy"]["result"] == {"p50_ms": 41.2}
