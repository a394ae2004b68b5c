"""The command line: listings, tidy CSV output, and bad input refused with status 2 and nothing written."""

import csv
import subprocess
import sys

import pytest

from dprk_cli import main
from model import registry
from model.scenarios import preset_names


def run(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "model", *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_presets_lists_name_and_title():
    result = run("presets")
    assert result.returncode == 0
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == preset_names()
    assert all(len(line.split("\t")) == 2 and line.split("\t")[1] for line in lines)


@pytest.mark.parametrize("fmt", ["text", "markdown", "csv"])
def test_params_prints_the_whole_registry(fmt, capsys):
    assert main(["params", "--format", fmt]) == 0
    out = capsys.readouterr().out
    for name in registry.names():
        assert name in out


def _read(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_run_writes_a_tidy_csv(tmp_path, capsys):
    target = tmp_path / "out.csv"
    assert main(["run", "baseline", "--csv", str(target)]) == 0
    rows = _read(target)
    assert {"year", "channel", "partner", "measure", "unit", "value"} <= set(rows[0])
    measures = {r["measure"] for r in rows}
    assert {"hard_currency_usd", "oil_supply_bbl", "recorded_trade_share", "lifeline_share", "leverage_usd"} <= measures
    totals = [r for r in rows if r["measure"] == "hard_currency_usd" and r["year"] == "2027"]
    grand = next(float(r["value"]) for r in totals if r["channel"] == "total" and r["partner"] == "total")
    parts = sum(float(r["value"]) for r in totals if r["channel"] != "total" and r["partner"] != "total")
    assert grand == pytest.approx(parts, rel=1e-12)


def test_run_with_overrides_and_a_scenario_file(tmp_path):
    scenario = tmp_path / "mine.toml"
    scenario.write_text('title = "Mine"\n[overrides]\nceasefire_year = 2026\n', encoding="utf-8")
    base, mine = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["run", "baseline", "--csv", str(base)]) == 0
    assert main(["run", str(scenario), "--set", "russia_arms_enforcement=0.5", "--csv", str(mine)]) == 0

    def troops(path):
        return [float(r["value"]) for r in _read(path) if r["measure"] == "troops_in_russia" and r["year"] == "2030"]

    assert troops(mine) == [0.0] and troops(base)[0] > 0


def test_history_preset_writes_only_its_years(tmp_path):
    target = tmp_path / "h.csv"
    assert main(["run", "history", "--csv", str(target)]) == 0
    assert {int(r["year"]) for r in _read(target)} == set(range(2013, 2025))


def test_draws_are_reproducible_and_add_quantiles(tmp_path):
    first, second, third = (tmp_path / f"{k}.csv" for k in "abc")
    for path, seed in ((first, "7"), (second, "7"), (third, "8")):
        assert main(["run", "baseline", "--draws", "200", "--seed", seed, "--csv", str(path)]) == 0
    assert first.read_text() == second.read_text()
    assert first.read_text() != third.read_text()
    row = _read(first)[0]
    assert float(row["q05"]) <= float(row["q50"]) <= float(row["q95"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "baseline", "--set", "china_export_ban_enforcment=1"], "Did you mean 'china_export_ban_enforcement'"),
        (["run", "baseline", "--set", "china_export_ban_enforcement=1.5"], "= '1.5' is out of range: allowed 0 to 1"),
        (["run", "baseline", "--set", "oil_need_bbl=inf"], "not a finite number"),
        (["run", "baseline", "--set", "oil_need_bbl"], "write NAME=VALUE"),
        (["run", "nowhere"], "neither a preset"),
        (["run", "baseline", "--draws", "0"], "--draws 0 must be from 1"),
    ],
)
def test_bad_input_exits_2_with_one_message_and_writes_nothing(tmp_path, args, message):
    target = tmp_path / "out.csv"
    result = run(*args, "--csv", str(target))
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_failed_run_leaves_an_existing_file_untouched(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("keep me", encoding="utf-8")
    result = run("run", "baseline", "--set", "state_take=2", "--csv", str(target))
    assert result.returncode == 2
    assert target.read_text(encoding="utf-8") == "keep me"


def test_unknown_command_exits_non_zero():
    assert run("fly").returncode == 2


def _by_key(rows, *columns):
    return {(r["year"], r["channel"], r["partner"], r["measure"]): tuple(r[c] for c in columns) for r in rows}


def test_run_with_draws_honours_set_values(tmp_path):
    # Every uncertainty held with --set: all draws are the same world, so the quantiles collapse.
    held = [f"{n}={registry.get(n).default!r}" for n in registry.names("uncertainty")]
    target = tmp_path / "held.csv"
    args = ["run", "baseline", "--draws", "50", "--seed", "3", "--fix", "payment_mix", "--csv", str(target)]
    assert main([*args[:2], *(x for item in held for x in ("--set", item)), *args[2:]]) == 0
    rows = [r for r in _read(target) if r["measure"] == "hard_currency_usd" and r["partner"] == "total"]
    assert rows and all(r["q05"] == r["q95"] for r in rows)


def test_run_and_ensemble_share_one_sampling_path(tmp_path):
    name = registry.names("uncertainty")[0]
    value = repr(registry.get(name).max)
    ran, ensembled = tmp_path / "run.csv", tmp_path / "ensemble.csv"
    common = ["baseline", "--set", f"{name}={value}", "--draws", "120", "--seed", "11"]
    assert main(["run", *common, "--csv", str(ran)]) == 0
    assert main(["ensemble", *common, "--csv", str(ensembled)]) == 0
    assert _by_key(_read(ran), "q05", "q50", "q95") == _by_key(_read(ensembled), "q05", "q50", "q95")


def test_csv_is_lf_and_readable_by_others(tmp_path):
    import os

    target = tmp_path / "out.csv"
    old = os.umask(0o022)
    try:
        assert main(["run", "baseline", "--csv", str(target)]) == 0
    finally:
        os.umask(old)
    assert b"\r" not in target.read_bytes()
    assert target.stat().st_mode & 0o777 == 0o644
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "baseline", "--draws", "10", "--seed", "-1"], "--seed -1 must be a whole number"),
        (["ensemble", "baseline", "--draws", "10", "--seed", "-1"], "--seed -1 must be a whole number"),
        (["ensemble", "baseline", "--draws", "-5"], "--draws -5 must be from 1"),
        (["run", "baseline", "--draws", "ten"], "invalid int value: 'ten'"),
        (["ensemble", "baseline", "--draws", "10", "--fix", "price_per_rnd"], "unknown parameter 'price_per_rnd'"),
        (["ensemble", "baseline", "--draws", "10", "--fix", "russia_arms_enforcement"], "not an uncertainty"),
        (["run", "baseline", "--draws", "10", "--fix", "nonsense"], "unknown parameter 'nonsense'"),
    ],
)
def test_bad_seed_draws_or_fix_gets_one_line(tmp_path, args, message):
    target = tmp_path / "out.csv"
    result = run(*args, "--csv", str(target))
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not target.exists()


@pytest.mark.parametrize("command", ["run", "ensemble"])
def test_csv_writers_never_replace_a_file_without_overwrite(command, tmp_path, capsys):
    target = tmp_path / "notes.ipynb"  # e.g. a student's notebook, typed by mistake
    target.write_text("precious", encoding="utf-8")
    args = [command, "baseline", "--draws", "20", "--seed", "1", "--csv", str(target)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "already exists" in err and "--overwrite" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "precious"
    assert main([*args, "--overwrite"]) == 0
    assert target.read_text(encoding="utf-8").startswith("year,")


@pytest.mark.parametrize(
    ("where", "message"),
    [("folder", "that is a folder"), ("file-as-folder", "does not exist"), ("read-only", "permission denied")],
)
def test_os_errors_become_one_line_naming_the_path(where, message, tmp_path, capsys, monkeypatch):
    if where == "folder":
        target = tmp_path
    elif where == "file-as-folder":
        (tmp_path / "plain").write_text("x", encoding="utf-8")
        target = tmp_path / "plain" / "out.csv"
    else:
        target = tmp_path / "out.csv"

        def refuse(*_args, **_kwargs):
            raise PermissionError(13, "Permission denied", str(target))

        monkeypatch.setattr("model.tidy.write_csv", refuse)
    assert main(["run", "baseline", "--csv", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err
    assert message in err and str(target) in err
