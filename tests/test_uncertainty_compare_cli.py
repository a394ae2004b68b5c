"""Scenario comparison and the `ensemble` command line."""

import csv

import numpy as np
import pytest

from dprk_cli import main
from model import registry
from model import uncertainty as u
from model.scenarios import load_preset, save_scenario


def test_comparison_table_is_paired_and_complete(tmp_path):
    twin = load_preset("baseline")
    path = save_scenario(twin, tmp_path / "twin.toml")
    comparison = u.compare(["max-pressure", str(path)], 500, np.random.default_rng(1))
    assert comparison.names == ("baseline", "max-pressure", "twin")
    rows = comparison.table(2030, ["hard_currency_total", "lifeline_share_russia"])
    assert len(rows) == 2 * 3
    for row in rows:
        assert row["q05"] <= row["median"] <= row["q95"]
        if row["scenario"] == "baseline":
            assert row["difference"] is None and row["better"] is None
        if row["scenario"] == "twin":  # the same policy on the same worlds: no difference at all
            assert row["difference"] == 0.0
            assert row["better"] in (None, 0.0)
        if row["better"] is not None:
            assert 0.0 <= row["better"] <= 1.0
    assert all(e.draws is comparison.baseline.draws for e in comparison.ensembles[1:])
    text = comparison.markdown(2030, ["hard_currency_total"])
    assert text.count("\n") == 1 + 3 and "Maximum pressure" in text


def test_comparison_differences_are_medians_of_paired_differences():
    comparison = u.compare(["china-crackdown"], 400, np.random.default_rng(2))
    row = next(r for r in comparison.table(2029, ["hard_currency_china"]) if r["scenario"] == "china-crackdown")
    base = comparison.baseline.at("hard_currency_china", 2029).astype(float)
    other = comparison.ensemble("china-crackdown").at("hard_currency_china", 2029).astype(float)
    assert row["difference"] == pytest.approx(float(np.median(other - base)))
    assert row["better"] == pytest.approx(float(np.mean(other < base)))


def test_fans_of_a_comparison_share_the_years():
    comparison = u.compare(["ukraine-ceasefire"], 100, np.random.default_rng(3))
    fans = comparison.fans("munition_rounds")
    assert list(fans) == ["baseline", "ukraine-ceasefire"]
    assert all(np.array_equal(f.years, comparison.baseline.years) for f in fans.values())


# ---------------------------------------------------------------------------------------------- command line
def read(path):
    with open(path, newline="", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_ensemble_csv_is_reproducible_and_ordered(tmp_path):
    paths = [tmp_path / f"{name}.csv" for name in ("a", "b", "c")]
    for path, seed in zip(paths, (5, 5, 6), strict=True):
        assert main(["ensemble", "baseline", "--draws", "300", "--seed", str(seed), "--csv", str(path)]) == 0
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[0].read_bytes() != paths[2].read_bytes()
    rows = read(paths[0])
    assert {"year", "channel", "partner", "measure", "q05", "q25", "q50", "q75", "q95"} <= set(rows[0])
    for row in rows:
        q = [float(row[k]) for k in ("q05", "q25", "q50", "q75", "q95")]
        assert q == sorted(q)


def test_ensemble_with_every_uncertainty_fixed_has_no_spread(tmp_path):
    path = tmp_path / "fixed.csv"
    fix = [arg for name in registry.names("uncertainty") for arg in ("--fix", name)]
    assert main(["ensemble", "max-pressure", "--draws", "50", "--csv", str(path), *fix]) == 0
    assert all(row["q05"] == row["q95"] for row in read(path))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--fix", "war_demand_level"], "war_demand_level is a lever, not an uncertainty"),
        (["--fix", "oil_ned_bbl"], "Did you mean 'oil_need_bbl'"),
        (["--draws", "0"], "--draws 0 must be from 1"),
    ],
)
def test_ensemble_bad_input_exits_2_and_writes_nothing(tmp_path, capsys, extra, message):
    path = tmp_path / "out.csv"
    assert main(["ensemble", "baseline", "--csv", str(path), *extra]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not path.exists() and list(tmp_path.iterdir()) == []
