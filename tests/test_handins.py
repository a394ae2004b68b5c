"""Hand-ins and the lecturer's board, in process: what is kept, what is refused, what the board computes and shows."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from classroom import board
from classroom.handins import HandinError, HandinStore, parse_body, validate
from dprk_apps.handin import FORMAT, HANDIN_JS, NAME_CHARS, TEXT_CHARS, file_name, handin_document
from model import simulate
from model.scenario_code import encode, load_code, scenario_code
from model.scenarios import load_preset
from tests.apps import slider_apps
from tests.bad_codes import BAD_CODES, out_of_range_code

CODE = encode({"china_smuggling_enforcement": 0.9, "war_demand_level": 1.4}, "baseline")
INJECTIONS = (
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</td></tr></table><iframe src=//evil>",
    '=HYPERLINK("http://evil","click")',
)


def _document(**changes) -> dict:
    return {**handin_document(CODE, "Ana Lima", "Enforcement alone moves little.", "Scenario lab"), **changes}


# --- what a hand-in may hold -------------------------------------------------------------------------
def test_a_good_hand_in_is_kept_with_its_canonical_code():
    clean = validate(_document(code=CODE.lower().replace("-", " ")))
    assert clean == {"code": CODE, "name": "Ana Lima", "text": "Enforcement alone moves little.", "app": "Scenario lab"}


@pytest.mark.parametrize(("code", "message"), [*BAD_CODES, out_of_range_code()], ids=lambda v: str(v)[:24])
def test_every_bad_code_of_the_catalogue_is_refused_with_the_codes_own_message(code, message):
    with pytest.raises(HandinError, match=re.escape(message)) as refused:
        validate(_document(code=code))
    assert str(refused.value).startswith("the scenario code cannot be opened") and refused.value.status == 400


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "name is empty"),
        ({"name": "   "}, "name is empty"),
        ({"name": "x" * (NAME_CHARS + 1)}, f"at most {NAME_CHARS}"),
        ({"text": "y" * (TEXT_CHARS + 1)}, f"at most {TEXT_CHARS}"),
        ({"text": 42}, "must be text"),
        ({"name": "Ana\x00"}, "control characters"),
        ({"text": "left\u202eright"}, "control characters"),
        ({"format": "dprk-handin-9"}, "not in the format"),
        ({"extra": 1}, "no field(s) 'extra'"),
        ({"code": None}, "cannot be opened"),
        ({"app": ""}, "app is empty"),
    ],
    ids=str,
)
def test_bad_fields_are_refused_naming_the_field(changes, message):
    with pytest.raises(HandinError, match=re.escape(message)):
        validate(_document(**changes))


def test_bodies_that_are_not_json_or_too_large_are_refused():
    with pytest.raises(HandinError, match="JSON"):
        parse_body(b"\xff\xfe not json")
    with pytest.raises(HandinError) as big:
        parse_body(b"{" + b" " * 9000 + b"}")
    assert big.value.status == 413
    with pytest.raises(HandinError, match="JSON object"):
        validate(parse_body(b"[1, 2]"))


# --- the store ---------------------------------------------------------------------------------------
def test_each_student_reads_only_their_own_and_the_cap_holds(tmp_path):
    store = HandinStore(tmp_path, cap=3)
    for i in range(3):
        store.add("student-a", _document(name=f"A{i}"))
    store.add("student-b", _document(name="B"))
    with pytest.raises(HandinError, match="3 scenarios already") as over:
        store.add("student-a", _document(name="A4"))
    assert over.value.status == 429
    assert [h["name"] for h in store.of("student-a")] == ["A0", "A1", "A2"]
    assert [h["name"] for h in store.of("student-b")] == ["B"]
    assert store.left("student-a") == 0 and store.left("student-b") == 2 and store.of("nobody") == []
    assert all("student" not in h for h in store.all()), "no session ids leave the store"
    assert [h["number"] for h in store.all()] == [1, 2, 3, 4]


def test_hand_ins_survive_a_restart_in_a_private_file_written_whole(tmp_path):
    store = HandinStore(tmp_path)
    store.add("s1", _document(name="One"))
    store.add("s2", _document(name="Two", code=scenario_code(load_preset("max-pressure"))))
    path = tmp_path / "handins.json"
    assert path.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"
    again = HandinStore(tmp_path)
    assert again.all() == store.all() and again.of("s2")[0]["name"] == "Two"
    assert again.add("s1", _document(name="Three"))["number"] == 3


def test_an_unreadable_store_is_kept_aside_not_overwritten(tmp_path, caplog):
    import logging

    (tmp_path / "handins.json").write_text('{"handins": [{"code": "garbage"}]', encoding="utf-8")
    store = HandinStore(tmp_path, log=logging.getLogger("test"))
    assert store.all() == []
    aside = list(tmp_path.glob("handins.json.unreadable-*"))
    assert len(aside) == 1 and "garbage" in aside[0].read_text(encoding="utf-8")
    assert "could not be read" in caplog.text


def test_a_stored_code_that_no_longer_opens_is_kept_but_not_shown(tmp_path, caplog):
    """Records are checked again when read: one that fails is named in the log, kept in the file, shown nowhere."""
    import logging

    store = HandinStore(tmp_path)
    store.add("s1", _document())
    store.add("s1", _document(name="Still good"))
    path = tmp_path / "handins.json"
    path.write_text(path.read_text(encoding="utf-8").replace(CODE, BAD_CODES[6][0], 1), encoding="utf-8")
    again = HandinStore(tmp_path, log=logging.getLogger("test"))
    assert [h["name"] for h in again.all()] == ["Still good"] and [h["name"] for h in again.of("s1")] == ["Still good"]
    assert "hand-in 1 is not shown" in caplog.text and "newer version" in caplog.text
    assert again.left("s1") == 3, "the hidden one still counts against the cap"
    again.add("s2", _document(name="Later"))
    assert BAD_CODES[6][0] in path.read_text(encoding="utf-8"), "the hidden record stays in the file"


# --- the board ---------------------------------------------------------------------------------------
def _rows(*documents: dict) -> list[dict]:
    return board.rows(
        [{**validate(d), "number": i + 1, "time": "2026-12-07T10:00:00+00:00"} for i, d in enumerate(documents)]
    )


def test_the_board_computes_each_hand_in_with_the_model():
    rows = _rows(_document(), _document(code=scenario_code(load_preset("max-pressure"))))
    for row in rows:
        expected = simulate(load_code(row["code"]).params).headline(board.YEAR)
        assert row["results"] == {c.key: expected[c.key] for c in board.COLUMNS}
    assert rows[0]["results"]["net_hard_currency_usd"] != rows[1]["results"]["net_hard_currency_usd"]
    names = [name for name, _title, _values in board.reference_points()]
    assert names[0] == "baseline" and "max-pressure" in names


def test_student_text_cannot_inject_markup_into_the_board_page_or_chart():
    rows = _rows(*(_document(name=text[:NAME_CHARS], text=text) for text in INJECTIONS))
    svg = board.chart(rows).decode("utf-8")
    page = board.page(rows, svg=svg[svg.index("<svg") :])
    assert "<script>alert" not in page and "<img src=x" not in page and "<iframe" not in page
    assert page.count("<script") == 1  # the board's own sorting script, from its file
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "alert" not in svg, "the chart shows numbers only"
    assert board.chart_svg(rows) is board.chart_svg(rows), "drawn once per set of hand-ins"
    assert f"05_scenario_lab.ipynb?s={CODE}" in page


def test_the_csv_has_every_hand_in_and_defuses_formulas():
    rows = _rows(*(_document(text=text) for text in INJECTIONS))
    table = list(csv.reader(io.StringIO(board.to_csv(rows))))
    assert len(table) == 1 + len(INJECTIONS)
    assert table[4][2].startswith("'=HYPERLINK"), "a formula is shown as text"
    net = float(table[1][6])
    assert net == pytest.approx(rows[0]["results"]["net_hard_currency_usd"] / 1e9, abs=0.005)


def test_the_pdf_is_one_page_also_for_a_full_class():
    rows = _rows(_document(name="$\\frac{$", text="costs $5 bn or $\\sqrt{$"), _document(name="a_b^c", text="\\x"))
    rows += _rows(*(_document(name=f"Student {i}") for i in range(28)))
    pdf = board.to_pdf(rows)  # a student's dollar signs are text, not broken maths
    assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1


def test_the_sorting_script_sorts_by_the_exact_values_the_page_holds():
    rows = _rows(_document())
    page = board.page(rows)
    exact = rows[0]["results"]["net_hard_currency_usd"]
    assert f'<td data-value="{exact!r}">{exact / 1e9:.2f}</td>' in page, "exact values to sort, rounded to read"
    script = board.BOARD_JS.read_text(encoding="utf-8")
    assert "data-value" in script and "button.sort" in script and "data-column" in page


# --- the app's control -------------------------------------------------------------------------------
APPS = slider_apps(uncertainty_draws=40)


@pytest.mark.parametrize("number", sorted(APPS))
def test_every_slider_app_hands_in_its_current_state(number):
    app = APPS[number]()
    control = app.panel.controls[next(iter(app.panel.controls))]
    p = control.parameter
    control.value = p.choices[-1] if p.kind == "choice" else (not p.default if p.kind == "bool" else p.max)
    app.handin.name.value, app.handin.sentence.value = "Ana  Lima", "A  sentence."
    assert app.handin.hand_in()
    document = json.loads(app.handin.link.document)
    assert document["format"] == FORMAT and document["code"] == app.share.link.code
    assert validate(document) == {"code": app.share.link.code, "name": "Ana Lima", "text": "A sentence.",
                                  "app": app.title}  # fmt: skip
    assert app.handin.link.filename == f"handin-Ana-Lima-{app.share.link.code}.json"


def test_the_app_refuses_before_sending_and_says_what_the_page_reported():
    app = APPS["05"]()
    handin = app.handin
    assert not handin.hand_in() and "Write your name" in handin.message.value and handin.link.sequence == 0
    handin.name.value = "x" * (NAME_CHARS + 1)
    assert not handin.hand_in() and f"at most {NAME_CHARS}" in handin.message.value
    handin.name.value, handin.sentence.value = "Ana", "Because."
    assert handin.hand_in() and handin.link.sequence == 1
    handin.link.outcome = json.dumps({"sequence": 1, "status": "stored", "left": 4})
    assert "on the class board (4 more" in handin.message.value
    handin.link.outcome = json.dumps({"sequence": 0, "status": "refused", "message": "old answer"})
    assert "old answer" not in handin.message.value, "an answer to an earlier hand-in is ignored"
    handin.link.outcome = json.dumps({"sequence": 1, "status": "refused", "message": "<b>cap</b>"})
    assert "&lt;b&gt;cap&lt;/b&gt;" in handin.message.value and "handin-refused" in handin.message.value
    handin.link.outcome = json.dumps({"sequence": 1, "status": "file"})
    assert handin.link.filename in handin.message.value


def test_file_names_hold_only_safe_characters():
    assert file_name("../../etc/passwd <x>", "1100-0Z") == "handin-etc-passwd-x-1100-0Z.json"
    assert file_name("李", "1100-0Z") == "handin-student-1100-0Z.json"


def test_the_page_posts_to_the_class_server_with_its_xsrf_token_and_reads_no_address():
    source = HANDIN_JS.read_text(encoding="utf-8")
    assert "classroom/api/handins" in source and "'X-XSRFToken': cookie(page, '_xsrf')" in source
    assert "credentials: 'same-origin'" in source
    assert "location" not in source and "searchParams" not in source, "the hand-in never reads the address"
    assert "model.get('document')" in source and "initialize" in source  # once per widget, not per view


def test_the_class_as_a_whole_has_a_cap(tmp_path):
    store = HandinStore(tmp_path, cap=5, class_cap=4)
    for i in range(4):
        store.add(f"session-{i}", _document())
    with pytest.raises(HandinError, match="board is full") as full:
        store.add("session-new", _document())
    assert full.value.status == 429 and len(store.all()) == 4


def test_a_board_from_hand_in_files_names_the_bad_ones_and_writes_csv_pdf_and_page(tmp_path, capsys):
    """Outside the class server (a JupyterHub) the lecturer makes the same board from the students' files."""
    files = []
    for i, text in enumerate(("First argument.", "<script>alert(1)</script>")):
        files.append(tmp_path / f"handin-{i}.json")
        files[-1].write_text(json.dumps(_document(name=f"S{i}", text=text)), encoding="utf-8")
    (tmp_path / "bad.json").write_text(json.dumps(_document(code=BAD_CODES[6][0])), encoding="utf-8")
    (tmp_path / "notes.json").write_bytes(b"\xff not a hand-in")
    out = {kind: tmp_path / f"board.{kind}" for kind in ("csv", "pdf", "html")}
    argv = [str(p) for p in [*files, tmp_path / "bad.json", tmp_path / "notes.json"]]
    argv += [f"--{kind}={path}" for kind, path in out.items()] + ["--base-url=https://hub.example.edu/user/t/"]
    assert board.main(argv) == 0
    captured = capsys.readouterr()
    assert captured.err.count("error: ") == 2 and "bad.json" in captured.err and "newer version" in captured.err
    assert "2 hand-ins on the board (2 files refused)" in captured.out
    assert len(out["csv"].read_text(encoding="utf-8").splitlines()) == 3
    assert out["pdf"].read_bytes().startswith(b"%PDF")
    page = out["html"].read_text(encoding="utf-8")
    assert "https://hub.example.edu/user/t/voila/render/05_scenario_lab.ipynb?s=" in page
    assert "<script>alert" not in page and "button.sort" in page, "the sorting script is in the page"
    assert board.main([str(tmp_path / "notes.json"), f"--csv={tmp_path / 'none.csv'}"]) == 2
    assert not (tmp_path / "none.csv").exists()


# --- fuzzing: anything a page (or a script) can post is kept or refused with a message, never a crash ----
_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**9), 10**9), st.floats(), st.text(max_size=40)),
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=10), children, max_size=3)
    ),
    max_leaves=8,
)
_codes = st.one_of(st.text(max_size=60), st.text(alphabet="0123456789ABCDEFGHJKMNPQRSTVWXYZ-", max_size=40))


@settings(max_examples=50, deadline=None)
@given(
    changes=st.dictionaries(
        st.sampled_from(["format", "code", "name", "text", "app", "made", "x"]), _values, max_size=4
    ),
    code=_codes,
)
def test_fuzzed_hand_ins_are_kept_or_refused_clearly(changes, code):
    document = {**_document(code=code), **changes}
    try:
        clean = validate(document)
    except HandinError as error:
        assert str(error) and error.status == 400
    else:
        assert set(clean) == {"code", "name", "text", "app"} and len(clean["text"]) <= TEXT_CHARS


@settings(max_examples=50, deadline=None)
@given(body=st.one_of(st.binary(max_size=300), _values.map(lambda v: json.dumps(v).encode())))
def test_fuzzed_bodies_are_refused_clearly(body):
    try:
        validate(parse_body(body))
    except HandinError as error:
        assert str(error) and error.status in (400, 413)
