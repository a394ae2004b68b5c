"""The class server on a campus network (issue 28): one student cannot stop the class or touch another's work.

Each test stands for one finding: a legacy-protocol websocket client, malformed frames, cross-student
requests (read, move, shut down, query, list), the per-student kernel limit, the lockout after wrong
codes, weak chosen codes, SIGTERM, and a restart of the same class. Servers run on 127.0.0.1 only.
"""

from __future__ import annotations

import asyncio
import html
import http.client
import json
import re
import signal
import time

import pytest

from classroom.cli import main
from classroom.launch import ClassServer
from classroom.security import ClassRoles, code_weakness, same, v1_frame_fault

LAB = "/voila/render/05_scenario_lab.ipynb"
V1 = "v1.kernel.websocket.jupyter.org"


# --- helpers ---------------------------------------------------------------------------------------------
class Browser:
    """One student's (or the lecturer's) cookies, as a browser keeps them."""

    def __init__(self, server: ClassServer, code: str | None = None, source: str = "127.0.0.1"):
        self.server, self.cookies, self.source = server, {}, source  # source: the address it connects from
        if code is not None:
            status, _ = self.request(f"/?token={code}")
            assert status in (200, 302), status

    def header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, path: str, method: str = "GET", body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(
            "127.0.0.1", self.server.port, timeout=60, source_address=(self.source, 0)
        )
        try:
            headers = {"Cookie": self.header()} if self.cookies else {}
            if method == "POST":
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = body if body is not None else f"_xsrf={self.cookies.get('_xsrf', '')}".encode()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            self.reason, self.headers = response.reason, response.headers
            for value in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.read()
        finally:
            connection.close()

    def open_app(self) -> str:
        status, body = self.request(LAB)
        assert status == 200, (status, body[:300])
        return json.loads(re.search(rb'id="jupyter-config-data"[^>]*>(.*?)</script>', body, re.S).group(1))["kernelId"]


async def _websocket(server, browser, kernel_id, subprotocols):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id=s{time.monotonic_ns()}"
    request = HTTPRequest(url, headers={"Cookie": browser.header()}, connect_timeout=30, request_timeout=30)
    return await websocket_connect(request, subprotocols=subprotocols)


def websocket_status(server, browser, kernel_id, subprotocols=(V1,)) -> int:
    """Open a kernel websocket and close it; the handshake's status (101 when it opened)."""
    from tornado.httpclient import HTTPClientError

    async def attempt():
        try:
            connection = await _websocket(server, browser, kernel_id, list(subprotocols) or None)
        except HTTPClientError as error:
            return error.code
        connection.close()
        while await asyncio.wait_for(connection.read_message(), 10) is not None:
            pass
        return 101

    return asyncio.run(attempt())


def health_ms(server) -> float:
    began = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        connection.request("GET", "/classroom/api/health")
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["ok"]
    finally:
        connection.close()
    return 1000 * (time.monotonic() - began)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """Two warm kernels; each student may hold two apps (so that the limit shows with few kernels)."""
    folder = tmp_path_factory.mktemp("security")
    with ClassServer(
        students=2, extra=("--student-kernels=2",), log=folder / "server.log", state=folder / "state", plain=False
    ) as running:
        yield running


# --- no server ------------------------------------------------------------------------------------------
def test_codes_are_compared_in_constant_time_and_weak_chosen_codes_are_refused(capsys):
    assert same("k7m-q2x-9pa-h", "k7m-q2x-9pa-h") and not same("k7m-q2x-9pa-x", "k7m-q2x-9pa-h")
    assert not same("", "")
    for weak in ("seminar-7", "seminar-2026", "classcode123", "aaaaaaaaa1"):
        assert code_weakness(weak), weak
    assert code_weakness("k7m-q2x-9pa-h") is None and code_weakness("test-class-code-7q4") is None
    with pytest.raises(SystemExit):
        main(["serve", "--dry-run", "--code", "seminar-2026"])
    assert "is too easy to guess (it is made of common words and short numbers)" in capsys.readouterr().err


def test_a_frame_that_cannot_be_decoded_is_named_without_reading_it():
    huge = (10**17).to_bytes(8, "little") + b"\0" * 64
    assert "announcing" in v1_frame_fault(huge)
    assert v1_frame_fault("text") and v1_frame_fault(b"\1")
    parts = [b"shell", b"{}", b"{}", b"{}", b"{}"]
    offsets, position = [], 8 * (len(parts) + 2)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    good = (len(offsets)).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets) + b"".join(parts)
    assert v1_frame_fault(good) is None
    assert v1_frame_fault(good[:-3]) == "offsets beyond the frame"


def test_the_lockout_counts_wrong_codes_per_address_and_ends():
    roles = ClassRoles(wrong_codes=3, wrong_window_s=60, lockout_s=0.2)
    assert [roles.wrong_code("10.0.0.5") for _ in range(2)] == [1, 2] and not roles.locked("10.0.0.5")
    roles.wrong_code("10.0.0.5")
    assert roles.locked("10.0.0.5") and not roles.locked("10.0.0.6")
    time.sleep(0.25)
    assert not roles.locked("10.0.0.5")


def test_lan_binds_only_the_address_it_prints(capsys, monkeypatch):
    import classroom.cli as cli

    monkeypatch.setattr(cli, "lan_address", lambda: "192.168.1.20")
    assert main(["serve", "--dry-run", "--lan", "--code", "k7m-q2x-9pa-h"]) == 0
    settings = json.loads(capsys.readouterr().out)
    assert settings["bind"] == "192.168.1.20" and settings["join_url"].startswith("http://192.168.1.20:")


def test_a_sessions_requests_pass_a_token_bucket_and_a_flood_is_logged_once():
    """Item 2: a burst of 3 then 2 a second; the first refusal of a flood is the one logged."""
    roles = ClassRoles(requests_per_s=2, request_burst=3)
    now = [100.0]
    roles.clock = lambda: now[0]
    assert [roles.take_request("s1")[0] for _ in range(3)] == [True] * 3
    allowed, wait, first = roles.take_request("s1")
    assert not allowed and first and wait == pytest.approx(0.5)
    assert roles.take_request("s1")[2] is False, "the flood's later refusals are counted, not logged"
    now[0] += 0.5
    assert roles.take_request("s1")[0] and roles.take_request("s1")[2] is False, "one line per minute at most"
    assert roles.take_request("s2")[0], "another session has its own bucket"
    now[0] += 0.5
    assert roles.take_request("s1")[0] and roles.rate_limited == 3
    now[0] += 60
    assert [roles.take_request("s1")[0] for _ in range(4)] == [True, True, True, False], "the burst refills, no more"
    assert ClassRoles(requests_per_s=0).take_request("s")[0], "0: no limit"


def test_an_address_holds_at_most_its_limit_of_recent_sessions():
    roles = ClassRoles(sessions_per_address=2, session_idle_s=60)
    now = [0.0]
    roles.clock = lambda: now[0]
    roles.seen("a", "10.0.0.5")
    now[0] = 10.0
    roles.seen("b", "10.0.0.5")
    assert roles.may_start_session("10.0.0.5") == (False, 50.0) and roles.may_start_session("10.0.0.6")[0]
    now[0] = 61.0
    assert roles.may_start_session("10.0.0.5")[0], "a session unused for the idle time no longer counts"
    with pytest.raises(ValueError, match="none may be negative"):
        ClassRoles(requests_per_s=-1)


def test_the_busy_page_says_what_happened_and_when_to_retry_without_a_server_path():
    from classroom.texts import busy_page, texts

    page = busy_page("requests", 7, rate=20, burst=200)
    assert "20 a second" in page and "Try again after 7 s" in page and "Nothing you saved" in page
    text = re.sub(r"<[^>]+>", " ", page)
    assert not re.search(r"(^|\s)/\w", text) and "build/classroom" not in text, "no server path"
    for why in texts()["busy"]["why"]:
        assert busy_page(why, 1, rate=1, burst=1, limit=3)


# --- a running server -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_a_legacy_protocol_client_is_refused_and_the_server_keeps_answering(server):
    """Finding 1: a kernel websocket without the v1 subprotocol froze the server; now it is refused."""
    student = Browser(server, server.code)
    kernel_id = student.open_app()
    assert websocket_status(server, student, kernel_id, subprotocols=()) == 400
    assert websocket_status(server, student, kernel_id, subprotocols=("not-a-protocol",)) == 400

    async def malformed():
        connection = await _websocket(server, student, kernel_id, [V1])
        connection.write_message((10**17).to_bytes(8, "little") + b"\0" * 64, binary=True)
        message = await asyncio.wait_for(connection.read_message(), 10)
        while message is not None:  # the kernel's status messages may come first
            message = await asyncio.wait_for(connection.read_message(), 10)
        code = connection.close_code
        connection.close()
        await asyncio.sleep(0.1)  # let the stream close
        return code

    assert asyncio.run(malformed()) == 1007
    assert max(health_ms(server) for _ in range(5)) < 1000
    assert websocket_status(server, student, kernel_id) == 101, "a well-formed client still gets in"
    assert "Classroom: refused GET /api/kernels/" in server.log_text()
    student.request(f"/voila/api/shutdown/{kernel_id}", method="POST")


@pytest.mark.slow
def test_one_student_cannot_reach_another_students_app(server):
    """Finding 2: read, move, shut down, watch, query another's kernel; list kernels or folders."""
    owner, other = Browser(server, server.code), Browser(server, server.code)
    kernel_id = owner.open_app()
    assert websocket_status(server, owner, kernel_id) == 101  # the owner's page claims its kernel
    assert websocket_status(server, other, kernel_id) == 403  # no reading the widgets, no moving sliders
    assert other.request(f"/api/kernels/{kernel_id}")[0] == 403
    assert other.request(f"/api/kernels/{kernel_id}", method="DELETE")[0] in (403, 405)
    assert other.request(f"/voila/api/shutdown/{kernel_id}", method="POST")[0] == 403
    assert other.request(f"/classroom/api/kernel/{kernel_id}")[0] == 403
    assert other.request("/classroom/api/status")[0] == 403
    assert other.request("/voila/tree")[0] == 403 and other.request("/voila/api/contents")[0] == 403
    assert Browser(server).request(f"/voila/query/{kernel_id}")[0] == 403
    assert kernel_id not in owner.request("/")[1].decode(), "no kernel id on the landing page"
    status = server.status()  # the lecturer's
    assert kernel_id in {k["id"] for k in status["kernels"]}
    assert owner.request(f"/classroom/api/kernel/{kernel_id}")[0] == 200
    assert owner.request(f"/voila/api/shutdown/{kernel_id}", method="POST")[0] == 204
    server.wait_for(lambda: kernel_id not in {k["id"] for k in server.kernels()}, 10, "the owner's shutdown")


@pytest.mark.slow
def test_a_student_holds_at_most_the_limit_of_apps(server):
    """Finding 3: eight requests started eight kernels; now the third of a two-app limit is refused."""
    student = Browser(server, server.code)
    kernels = [student.open_app(), student.open_app()]
    status, body = student.request(LAB)
    assert status == 429 and "You have 2 apps open already" in (body.decode() + student.reason)
    assert len([k for k in server.kernels() if k["id"] in kernels]) == 2
    for kernel_id in kernels:
        student.request(f"/voila/api/shutdown/{kernel_id}", method="POST")
    assert student.open_app(), "closing a page frees its place"


@pytest.mark.slow
def test_repeated_wrong_codes_lock_the_address_out(server):
    """Finding 5: 289 wrong guesses a second were answered; now five wrong codes lock the address."""
    statuses = [Browser(server).request("/?token=wrong-guess-1")[0] for _ in range(5)]
    assert all(s in (302, 403) for s in statuses)
    assert Browser(server).request(f"/?token={server.code}")[0] == 429
    log = server.log_text()
    assert "wrong class code from 127.0.0.1 (5 of 5" in log and "locked out" in log


@pytest.mark.slow
def test_sigterm_ends_the_server_and_its_kernels_within_seconds(tmp_path):
    """Finding 1/4: SIGTERM must always end the server and its kernels (the watchdog enforces it)."""
    import psutil

    with ClassServer(students=1, log=tmp_path / "term.log", state=tmp_path / "state", plain=False) as running:
        kernels = [c for c in psutil.Process(running.process.pid).children(recursive=True)]
        assert kernels
        began = time.monotonic()
        running.process.send_signal(signal.SIGTERM)
        running.process.wait(timeout=15)
        assert time.monotonic() - began < 10
        _gone, alive = psutil.wait_procs(kernels, timeout=5)
        assert not alive


@pytest.mark.slow
def test_a_restarted_class_keeps_its_code_and_its_students_sessions(tmp_path):
    """Finding 4: a reload after a restart asked for a new code; now the code and sessions persist."""
    state = tmp_path / "state"
    first = ClassServer(students=1, log=tmp_path / "a.log", state=state, plain=False)
    first.start()
    try:
        student = Browser(first, first.code)
        kernel_id = student.open_app()
    finally:
        first.stop()
    assert (state / "secrets.json").stat().st_mode & 0o777 == 0o600
    again = ClassServer(students=1, log=tmp_path / "b.log", state=state, plain=False, port=first.port)
    again.args = [a for a in again.args if not a.startswith(("--code=", "--lecturer-code="))]
    again.lecturer_code = first.lecturer_code
    again.start()
    try:
        student.server = again
        assert student.request("/")[0] == 200, "the student's session survived the restart"
        status, body = student.request(f"/classroom/api/kernel/{kernel_id}")
        answer = json.loads(body)
        assert status == 200 and answer["state"] == "gone" and answer["boot"], "the page learns its app is gone"
        assert Browser(again, first.code).request("/")[0] == 200, "the same class code"
    finally:
        again.stop()


# --- limits and one-line refusals (a server with test-size limits) ------------------------------------------
@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    """One warm kernel; 2 requests a second in bursts of 10 per session, 2 sessions per address."""
    folder = tmp_path_factory.mktemp("limits")
    extra = ("--requests-per-second=2", "--request-burst=10", "--sessions-per-address=2")
    with ClassServer(
        students=1, extra=extra, log=folder / "server.log", state=folder / "state", plain=False
    ) as running:
        yield running


@pytest.mark.slow
def test_a_request_flood_gets_a_429_page_with_when_to_retry_and_one_log_line(limited):
    """Item 2: a session's flood is answered 429 with a page (why, when), logged once; classmates unaffected."""
    flooder, classmate = Browser(limited, limited.code, "127.0.0.2"), Browser(limited, limited.code, "127.0.0.3")
    statuses = [flooder.request("/")[0] for _ in range(30)]
    assert statuses[:5] == [200] * 5 and statuses.count(429) >= 15, statuses
    status, body = flooder.request("/")
    page = body.decode()
    assert status == 429 and "Slow down a moment" in page and "2 a second, in bursts of up to 10" in page
    assert f"Try again after {flooder.headers['Retry-After']} s" in page and limited.lecturer_code not in page
    assert classmate.request("/")[0] == 200, "another student's session has its own requests"
    log = limited.log_text()
    assert log.count("a student session over its request rate (429") == 1, "one line for the whole flood"
    assert "429 GET" not in log, "tornado's own access line for the refusals is dropped"
    assert limited.status()["door"]["rate_limited_requests"] >= 15


@pytest.mark.slow
def test_one_address_holds_at_most_its_limit_of_student_sessions(limited):
    """Item 2: private windows cannot multiply a student's limits: a third session from one address is refused."""
    assert Browser(limited, limited.code, "127.0.0.4").request("/")[0] == 200
    assert Browser(limited, limited.code, "127.0.0.4").request("/")[0] == 200
    third = Browser(limited, source="127.0.0.4")
    status, body = third.request(f"/?token={limited.code}")
    assert status == 429 and "already has 2 students' sessions open" in html.unescape(body.decode())
    assert Browser(limited, limited.code, "127.0.0.5").request("/")[0] == 200, "other addresses are not affected"
    assert "a new student session beyond 2 for one address" in limited.log_text()


TRAVERSALS = (
    "/voila/render/../../etc/passwd",
    "/voila/render/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/render/%252e%252e%252fpyproject.toml",
    "/voila/render/..%5c..%5cpyproject.toml",
    "/voila/render/a%00b.ipynb",
    "/voila/files/..%2f..%2fpyproject.toml",
    "/voila/static/..%2f..%2fpyproject.toml",
    "/voila/templates/..%2f..%2f..%2fpyproject.toml",
    "/voila/tree/..%2f..%2f",
    "/voila/api/contents/..%2f..%2f",
    "/voila/labextensions/..%2f..%2fpyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
)


@pytest.mark.slow
def test_traversal_attempts_log_one_line_each_and_no_traceback(limited):
    """Item 3: some traversal attempts printed long tracebacks in the lecturer's terminal; now one line each."""
    student = Browser(limited, limited.code, "127.0.0.6")
    before = len(limited.log_text().splitlines())
    for path in TRAVERSALS:
        status, body = student.request(path)
        assert status in (403, 404, 500) and b"[tool" not in body and b"root:" not in body, (path, status)
        time.sleep(0.6)  # within the session's request rate (2 a second)
    time.sleep(0.5)
    lines = limited.log_text().splitlines()[before:]
    assert not [line for line in lines if "Traceback" in line or line.startswith("  File ")], "\n".join(lines)
    for path in TRAVERSALS:
        mentions = [line for line in lines if f" {path} " in line or f" {path}?" in line]
        assert len(mentions) == 1 and "a path outside the app folders" in mentions[0], (path, mentions)
    assert student.request("/voila/tree")[0] == 403
    refusal = limited.log_text().splitlines()[-3:]
    assert not any("Traceback" in line for line in refusal), "a refused folder listing draws no broken error page"


@pytest.mark.slow
def test_the_chaos_run_works_for_three_students(tmp_path):
    """Issue 28: the chaos bench end to end, as a smoke (three students, one kernel kill, one restart).

    Its timings are the bench's business; what is asserted is what the run is for: no well-behaved student
    met an error or lost a saved file, every misbehaving client was contained, and the JSON has its keys.
    """
    import os
    import subprocess
    import sys

    from classroom.launch import ROOT

    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "classroom_bench.py"), "--chaos", "--students", "3", "--kills", "1"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "DPRK_BENCH_RESULTS": str(tmp_path), "DPRK_PLAIN": ""},  # not into bench/results/
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert json.loads((tmp_path / "classroom_chaos.json").read_text(encoding="utf-8"))["result"] == report
    for key in ("errors", "lost_items", "health_p99_ms", "misbehaving", "restart_recovered", "kernel_kills"):
        assert key in report, key
    assert report["errors"] == 0 and report["lost_items"] == 0, result.stdout[-3000:]
    assert report["saved_items"] >= 6, "each student saved before and after the restart"
    assert report["kernel_kills"] == 1 == report["killed_students_recovered"]
    assert report["restart_recovered"] == 3 and report["health_p99_ms"] is not None
    assert report["misbehaving_contained"] == report["misbehaving_clients"] == 7, report["misbehaving"]
    assert report["request_tracebacks"] == 0, "no request logged a traceback (terminal or log file)"
