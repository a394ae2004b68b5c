"""The class board on a running class server: ten students hand in, the server restarts, the lecturer sees all ten.

Students are HTTP clients with their own cookies (as browsers keep them), posting what the app's page
posts (``dprk_apps/handin.js``): JSON with the page's ``_xsrf`` token in ``X-XSRFToken``. Servers run on
127.0.0.1 only.
"""

from __future__ import annotations

import csv
import http.client
import io
import json

import pytest

from classroom import board
from classroom.launch import ClassServer
from dprk_apps.handin import handin_document
from model.scenario_code import canonical, encode
from tests.bad_codes import BAD_CODES
from tests.test_class_security import Browser

pytestmark = pytest.mark.slow
API = "/classroom/api/handins"
LEVER = "china_smuggling_enforcement"


class Student(Browser):
    """A student's browser: joins with the class code, then posts hand-ins as the app's page does."""

    def __init__(self, server: ClassServer, code: str | None):
        super().__init__(server, code)
        if code is not None:
            assert self.request("/")[0] == 200  # the landing page gives the page's _xsrf cookie
            assert "_xsrf" in self.cookies

    def hand_in(self, document: dict, *, xsrf: bool = True) -> tuple[int, dict]:
        connection = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            headers = {"Cookie": self.header(), "Content-Type": "application/json"}
            if xsrf:
                headers["X-XSRFToken"] = self.cookies.get("_xsrf", "")
            connection.request("POST", API, body=json.dumps(document).encode(), headers=headers)
            response = connection.getresponse()
            body = response.read()
            try:
                return response.status, json.loads(body)
            except ValueError:
                return response.status, {"raw": body[:200].decode(errors="replace")}
        finally:
            connection.close()

    def json(self, path: str) -> tuple[int, dict]:
        status, body = self.request(path)
        return status, (json.loads(body) if status == 200 else {})


def _document(i: int) -> dict:
    code = encode({LEVER: round(0.3 + 0.05 * i, 2)}, "baseline")
    text = "<script>alert('board')</script> tighter smuggling" if i == 3 else f"Argument number {i}."
    return handin_document(code, f"Student {i:02d}", text, "Scenario lab")


def test_ten_students_hand_in_the_server_restarts_and_the_board_shows_all_ten(tmp_path):
    state = tmp_path / "state"
    first = ClassServer(students=1, log=tmp_path / "a.log", state=state, plain=False)
    first.start()
    try:
        students = [Student(first, first.code) for _ in range(10)]
        for i, student in enumerate(students):
            status, answer = student.hand_in(_document(i))
            assert status == 201, answer
            assert answer["left"] == 4 and answer["handin"]["code"] == canonical(_document(i)["code"])
    finally:
        first.stop()
    log = (tmp_path / "a.log").read_text(encoding="utf-8")
    assert f"The class board of the students' hand-ins: {first.base}/classroom/board?token=..." in log
    again = ClassServer(students=1, log=tmp_path / "b.log", state=state, plain=False, port=first.port)
    again.args = [a for a in again.args if not a.startswith(("--code=", "--lecturer-code="))]
    again.lecturer_code = first.lecturer_code
    again.start()
    try:
        # The lecturer's board: all ten, each computed by the model from its code.
        lecturer = Student(again, first.lecturer_code)
        status, answer = lecturer.json("/classroom/api/board")
        assert status == 200 and len(answer["handins"]) == 10
        assert {h["name"] for h in answer["handins"]} == {f"Student {i:02d}" for i in range(10)}
        for handin in answer["handins"]:
            assert handin["results"] == pytest.approx(board.results_of(handin["code"]), rel=1e-12)
            assert "student" not in handin, "no session ids on the board"
        status, page = lecturer.request("/classroom/board")
        text = page.decode()
        assert status == 200 and all(f"Student {i:02d}" in text for i in range(10))
        assert "<script>alert" not in text and "&lt;script&gt;alert(&#x27;board&#x27;)" in text
        assert text.count("05_scenario_lab.ipynb?s=") == 10 and "<svg" in text
        status, data = lecturer.request("/classroom/board.csv")
        assert status == 200 and len(list(csv.reader(io.StringIO(data.decode())))) == 11
        status, pdf = lecturer.request("/classroom/board.pdf")
        assert status == 200 and pdf.startswith(b"%PDF")
        assert lecturer.request("/classroom/board.js")[0] == 200

        # A student (their session survived the restart) sees only their own hand-in, never the board.
        student = students[3]
        student.server = again
        status, own = student.json(API)
        assert status == 200 and [h["name"] for h in own["handins"]] == ["Student 03"] and own["left"] == 4
        for path in ("/classroom/board", "/classroom/api/board", "/classroom/board.csv", "/classroom/board.pdf"):
            assert student.request(path)[0] == 403, path
            assert Student(again, None).request(path)[0] == 403, f"{path} without a session"
        assert Student(again, None).request(API)[0] == 403
        assert "Student 00" not in student.request(API)[1].decode()
    finally:
        again.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("board")
    with ClassServer(students=1, log=folder / "server.log", state=folder / "state", plain=False) as running:
        yield running


def test_the_cap_bad_codes_forged_requests_and_codes_instead_of_sessions_are_refused(server):
    student = Student(server, server.code)
    for i in range(5):
        assert student.hand_in(_document(i))[0] == 201
    status, answer = student.hand_in(_document(5))
    assert status == 429 and "5 scenarios already" in answer["message"] and answer["left"] == 0
    other = Student(server, server.code)
    for code, message in BAD_CODES[:3] + BAD_CODES[6:12]:
        status, answer = other.hand_in({**_document(0), "code": code})
        assert status == 400 and message in answer["message"], (code, answer)
    status, answer = other.hand_in({**_document(0), "name": "x" * 500})
    assert status == 400 and "at most 60" in answer["message"]
    assert other.hand_in(_document(0), xsrf=False)[0] == 403, "another site's form cannot hand in"
    status, _ = server.get(API, method="POST", headers={"Content-Type": "application/json"})
    assert status == 403, "a request with the class code instead of a session is refused"
    assert other.json(API)[1]["handins"] == [], "nothing refused was kept"
    without = Student(server, server.code)
    without.cookies.pop("_xsrf")
    assert without.hand_in(_document(0))[0] == 403
    assert without.json(API)[0] == 200 and "_xsrf" in without.cookies, "the page's question gives it the token"
    assert without.hand_in(_document(0))[0] == 201


def test_the_board_works_with_voilas_public_settings_only(tmp_path):
    """``DPRK_PLAIN=1``: the same addresses through Voilà's own application."""
    with ClassServer(students=1, log=tmp_path / "p.log", state=tmp_path / "state", plain=True) as plain:
        student = Student(plain, plain.code)
        assert student.hand_in(_document(1))[0] == 201
        lecturer = Student(plain, plain.lecturer_code)
        status, answer = lecturer.json("/classroom/api/board")
        assert status == 200 and [h["name"] for h in answer["handins"]] == ["Student 01"]
        assert student.request("/classroom/api/board")[0] == 403
