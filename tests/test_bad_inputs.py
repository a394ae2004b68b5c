"""A catalogue of bad inputs to the command line and to scenario files, one test per row.

Every row names what is wrong and the words its message must contain (the problem and what is allowed);
every row checks that nothing was written: no CSV appears, an existing file keeps its bytes, and no
temporary file is left behind. Property-based fuzzing at the end: no input crashes or hangs the
scenario loader or the command line.

The typed values of the apps' controls have their own checks with the app layer (tests/test_app*.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import dprk_cli as cli
from model.errors import ScenarioFileError
from model.scenarios import MAX_BYTES, Scenario, load_preset, save_scenario

# ---------------------------------------------------------------------------------------------- CLI
# (kind, arguments after "run baseline --csv OUT", words the one-line message must contain)
CLI_ROWS = [
    ("out of range", ["--set", "china_export_ban_enforcement=1.5"], ["china_export_ban_enforcement", "0 to 1"]),
    ("fraction above 1", ["--set", "detection_panel=1.2"], ["detection_panel", "allowed"]),
    ("NaN", ["--set", "oil_need_bbl=nan"], ["oil_need_bbl", "not a finite number"]),
    ("+inf", ["--set", "oil_need_bbl=inf"], ["oil_need_bbl", "not a finite number"]),
    ("-inf", ["--set", "oil_need_bbl=-inf"], ["oil_need_bbl", "not a finite number"]),
    ("not a number", ["--set", "state_take=abc"], ["state_take", "not a number", "allowed"]),
    ("empty value", ["--set", "state_take="], ["state_take"]),
    ("no equals sign", ["--set", "state_take"], ["NAME=VALUE"]),
    ("negative count", ["--set", "troops_deployed=-5"], ["troops_deployed", "allowed"]),
    ("misspelled name", ["--set", "china_export_ban_enforcment=1"], ["Did you mean", "china_export_ban_enforcement"]),
    ("unknown name", ["--set", "zzz=1"], ["unknown parameter", "zzz"]),
    ("constant changed", ["--set", "first_projection_year=2026"], ["constant", "first_projection_year"]),
    ("unknown choice", ["--set", "monitoring_regime=unicorn"], ["monitoring_regime", "one of"]),
    ("bad switch", ["--set", "include_cyber=maybe"], ["include_cyber", "true or false"]),
    ("fractional whole number", ["--set", "ceasefire_year=2030.5"], ["ceasefire_year", "whole number"]),
    ("zero draws", ["--draws", "0"], ["--draws", "1"]),
    ("negative draws", ["--draws", "-3"], ["--draws", "1"]),
    ("draws not a number", ["--draws", "many"], ["--draws"]),
    ("too many draws", ["--draws", "1000000000"], ["--draws", "1,000,000"]),
    ("negative seed", ["--draws", "10", "--seed", "-1"], ["--seed"]),
    ("seed not a number", ["--draws", "10", "--seed", "x"], ["--seed"]),
]


def _run_cli(argv, capsys):
    try:
        status = cli.main(argv)
    except SystemExit as exit_:  # argparse's own errors: usage line plus one error line, status 2
        status = exit_.code
    captured = capsys.readouterr()
    return status, captured.err


@pytest.mark.parametrize(("kind", "extra", "words"), CLI_ROWS, ids=[r[0] for r in CLI_ROWS])
def test_cli_refuses(tmp_path, capsys, kind, extra, words):
    out = tmp_path / "out.csv"
    status, err = _run_cli(["run", "baseline", "--csv", str(out), *extra], capsys)
    assert status == 2, (kind, err)
    message = err.strip().splitlines()[-1]
    for word in words:
        assert word in message, (kind, message)
    assert "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


ENSEMBLE_ROWS = [
    ("fix an unknown name", ["--fix", "oil_ned_bbl"], ["oil_ned_bbl"]),
    ("fix a lever", ["--fix", "china_export_ban_enforcement"], ["china_export_ban_enforcement", "uncertaint"]),
]


@pytest.mark.parametrize(("kind", "extra", "words"), ENSEMBLE_ROWS, ids=[r[0] for r in ENSEMBLE_ROWS])
def test_ensemble_refuses(tmp_path, capsys, kind, extra, words):
    out = tmp_path / "out.csv"
    status, err = _run_cli(["ensemble", "baseline", "--draws", "10", "--seed", "1", "--csv", str(out), *extra], capsys)
    assert status == 2, (kind, err)
    for word in words:
        assert word in err, (kind, err)
    assert not out.exists()


def test_cli_never_overwrites_a_file_it_cannot_complete(tmp_path, capsys):
    out = tmp_path / "out.csv"
    out.write_text("precious\n", encoding="utf-8")
    status, _ = _run_cli(["run", "baseline", "--csv", str(out), "--set", "state_take=2"], capsys)
    assert status == 2 and out.read_text(encoding="utf-8") == "precious\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_cli_unknown_preset_and_missing_file(tmp_path, capsys):
    for target, word in (("baselin", "neither a preset"), (str(tmp_path / "gone.toml"), "does not exist")):
        status, err = _run_cli(["run", target, "--csv", str(tmp_path / "o.csv")], capsys)
        assert status == 2 and word in err, err


# ---------------------------------------------------------------------------------------------- scenario files
EXPECTED = b'title = "x"\n[[expected]]\noutcome = "%s"\nyear = 2027\nchange = "%s"\nat_least = 0.1\n'
OVERRIDE = b'title = "x"\n[overrides]\nstate_take = %s\n'
# (kind, file name, content as bytes, words the message must contain)
FILE_ROWS = [
    ("empty file", "s.toml", b"", ["empty", "title"]),
    ("only whitespace", "s.toml", b"  \n\n", ["empty"]),
    ("truncated TOML", "s.toml", b'title = "Russia def', ["not valid TOML"]),
    ("malformed TOML", "s.toml", b"title = = 3\n", ["not valid TOML"]),
    ("binary", "s.toml", bytes(range(256)), ["UTF-8"]),
    ("NUL bytes", "s.toml", b'title = "x"\x00\x00', ["binary"]),
    ("not UTF-8", "s.toml", 'title = "Réunion"\n'.encode("latin-1"), ["not UTF-8"]),
    ("malformed JSON", "s.json", b'{"title": "x",}', ["not valid JSON"]),
    ("JSON list at the top", "s.json", b"[1, 2]", ["top level", "table"]),
    ("duplicate keys, TOML", "s.toml", b'title = "a"\ntitle = "b"\n', ["not valid TOML"]),
    ("duplicate keys, JSON", "s.json", b'{"title": "a", "title": "b"}', ["given twice", "title"]),
    ("missing title", "s.toml", b'description = "no title"\n', ["needs a title"]),
    ("unknown top-level key", "s.toml", b'title = "x"\n[overides]\nstate_take = 0.6\n', ["unknown key", "overrides"]),
    ("unknown override", "s.toml", b'title = "x"\n[overrides]\nstate_tak = 0.6\n', ["state_tak", "Did you mean"]),
    ("override out of range", "s.toml", b'title = "x"\n[overrides]\nstate_take = 1.6\n', ["state_take", "allowed"]),
    (
        "override wrong type",
        "s.toml",
        b'title = "x"\n[overrides]\nstate_take = "lots"\n',
        ["state_take", "not a number"],
    ),
    ("override a list", "s.toml", b'title = "x"\n[overrides]\nstate_take = [0.5]\n', ["single value"]),
    ("override null", "s.json", b'{"title": "x", "overrides": {"state_take": null}}', ["state_take", "wrong type"]),
    ("overrides not a table", "s.toml", b'title = "x"\noverrides = 3\n', ["overrides must be a table"]),
    ("view years reversed", "s.toml", b'title = "x"\n[view]\nfirst_year = 2030\nlast_year = 2020\n', ["after"]),
    ("view year outside", "s.toml", b'title = "x"\n[view]\nfirst_year = 1990\n', ["first_year", "2013"]),
    ("newer format", "s.toml", b'format = 2\ntitle = "x"\n', ["newer", "format 2", "reads (1)"]),
    ("bad format", "s.toml", b'format = "one"\ntitle = "x"\n', ["format", "whole number"]),
    ("unknown source key", "s.toml", b'title = "x"\n[provenance]\nsources = ["nobody_2020"]\n', ["nobody_2020"]),
    ("huge file", "s.toml", b'title = "x"\n#' + b"x" * (MAX_BYTES + 10) + b"\n", ["too large", f"{MAX_BYTES:,}"]),
    ("wrong suffix", "s.yaml", b'title: "x"\n', ["neither a preset", ".toml/.json"]),
    ("bad expected change", "s.toml", EXPECTED % (b"oil_supply_bbl", b"sideways"), ["change", "higher, lower"]),
    ("unknown expected outcome", "s.toml", EXPECTED % (b"happiness", b"higher"), ["happiness", "not one of"]),
]


@pytest.mark.parametrize(("kind", "name", "content", "words"), FILE_ROWS, ids=[r[0] for r in FILE_ROWS])
def test_scenario_file_refused_with_a_clear_message(tmp_path, kind, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ScenarioFileError) as caught:
        load_preset(str(path))
    message = str(caught.value)
    for word in words:
        assert word in message, (kind, message)
    assert path.read_bytes() == content  # loading never changes the file


def test_a_bad_scenario_file_through_the_cli_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "x"\n[overrides]\nstate_take = 9\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    status, err = _run_cli(["run", str(bad), "--csv", str(out)], capsys)
    assert status == 2 and "state_take" in err and str(bad) in err
    assert not out.exists()


# ---------------------------------------------------------------------------------------------- saving
def _scenario(**overrides) -> Scenario:
    return Scenario(name="s", title="A scenario", description="", overrides=overrides or {"state_take": 0.6})


SAVE_ROWS = [
    ("into a missing folder", lambda d: d / "missing" / "s.toml", {}, ["does not exist"]),
    ("over an existing file", lambda d: d / "s.toml", {}, ["already exists"]),
    ("wrong suffix", lambda d: d / "s.txt", {}, [".toml or .json"]),
    ("invalid value", lambda d: d / "new.toml", {"state_take": 3.0}, ["not saved", "state_take", "allowed"]),
    ("path through ..", lambda d: d / ".." / "missing_folder_xyz" / "s.toml", {}, ["does not exist"]),
]


@pytest.mark.parametrize(("kind", "where", "overrides", "words"), SAVE_ROWS, ids=[r[0] for r in SAVE_ROWS])
def test_saving_refused_and_nothing_damaged(tmp_path, kind, where, overrides, words):
    existing = tmp_path / "s.toml"
    existing.write_text('title = "kept"\n', encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(ScenarioFileError) as caught:
        save_scenario(_scenario(**overrides), where(tmp_path))
    for word in words:
        assert word in str(caught.value), (kind, str(caught.value))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # no partial or temporary file


def test_saving_then_loading_round_trips(tmp_path):
    path = save_scenario(_scenario(), tmp_path / "ok.json")
    assert load_preset(str(path)).params == _scenario().params
    assert json.loads(path.read_text(encoding="utf-8"))["title"] == "A scenario"


def test_the_catalogue_has_at_least_thirty_kinds():
    kinds = {r[0] for r in CLI_ROWS + ENSEMBLE_ROWS + FILE_ROWS + SAVE_ROWS}
    assert len(kinds) >= 30, len(kinds)


# ---------------------------------------------------------------------------------------------- fuzzing
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    content=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)),
    suffix=st.sampled_from([".toml", ".json"]),
)
def test_fuzzed_scenario_files_load_or_fail_clearly(tmp_path_factory, content, suffix):
    path = Path(tmp_path_factory.mktemp("fuzz")) / f"s{suffix}"
    path.write_bytes(content)
    try:
        scenario = load_preset(str(path))
    except ScenarioFileError as error:
        assert str(error)
    else:
        assert scenario.title


keys = st.sampled_from(["title", "description", "overrides", "view", "provenance", "format", "expected", "x"])
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=True), st.text(max_size=20)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=30), children, max_size=3)
    ),
    max_leaves=10,
)


@FUZZ
@given(data=st.dictionaries(keys, values, max_size=6))
def test_fuzzed_json_structures_load_or_fail_clearly(tmp_path_factory, data):
    path = Path(tmp_path_factory.mktemp("fuzz")) / "s.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        load_preset(str(path))
    except ScenarioFileError as error:
        assert str(error)


words = st.one_of(
    st.sampled_from(["run", "ensemble", "presets", "params", "baseline", "history", "--set", "--draws", "--seed",
                     "--fix", "--csv", "--format", "state_take=0.6", "state_take=x", "-1", "0", "10", "nan"]),
    st.text(max_size=12),
)  # fmt: skip


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],  # capsys is read each time
)
@given(argv=st.lists(words, max_size=7))
def test_fuzzed_command_lines_never_crash(tmp_path_factory, capsys, argv):
    folder = Path(tmp_path_factory.mktemp("cli"))
    if "--csv" in argv:  # keep every output inside the temporary folder
        i = argv.index("--csv")
        argv = [*argv[: i + 1], str(folder / "out.csv"), *argv[i + 1 :]]
    for i, word in enumerate(argv[:-1]):  # a fuzzer's million draws would only measure the machine
        if word == "--draws" and argv[i + 1].strip().lstrip("+").isdigit() and int(argv[i + 1]) > 50:
            argv[i + 1] = "50"
    status, err = _run_cli(argv, capsys)
    assert status in (0, 2), (argv, status, err)
    assert "Traceback" not in err
