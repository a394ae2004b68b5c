"""The lecturer's console, the facilitator's app by typed address, and mistyped app addresses (issues 28, 30).

* The terminal of ``./suite class`` shows the banner, one plain line per student event and real errors in
  one line; Voilà's, jupyter_server's, tornado's and the kernels' own lines go to the log file in the
  class's state folder (:mod:`classroom.console`).
* The role-play (``audience = "facilitator"`` in ``apps.toml``) opens with the lecturer's code only, on
  every address that would serve it.
* An address that serves no app page (a mistyped or unknown notebook) does not count as an open app.

One server for the module (127.0.0.1 only); its students may hold two apps each.
"""

from __future__ import annotations

import html
import io
import logging
import re
import time

import pytest

from classroom.console import EVENT, ConsoleFilter, ConsoleFormatter, handlers
from classroom.launch import ClassServer
from classroom.security import ClassRoles
from classroom.texts import refused, texts
from tests.test_class_board import Student, _document
from tests.test_class_security import LAB, websocket_status

ROLEPLAY = "/voila/render/08_roleplay.ipynb"
#: Every form in which a person or a browser may type the role-play's address (each of the first six
#: renders the app for the lecturer: Voilà reads the name through a slash, a dot segment, percent-encoding).
ROLEPLAY_FORMS = (
    ROLEPLAY,
    ROLEPLAY + "?voila-theme=dark",
    ROLEPLAY + "/",
    "/voila/render//08_roleplay.ipynb",
    "/voila/render/./08_roleplay.ipynb",
    "/voila/render/%30%38_roleplay.ipynb",
    "/voila/render/08_roleplay%2Eipynb",
    "/voila/render/%2530%2538_roleplay.ipynb",
    "/voila/render/08_ROLEPLAY.ipynb",
    "/voila/render/08_roleplay.py",
    "/voila/tree/08_roleplay.ipynb",
    "/voila/api/contents/08_roleplay.ipynb",
    "/notebooks/08_roleplay.ipynb",
)
#: Addresses of no app page: Voilà answers them with a redirect to its files (no app) or 404.
MISTYPED = (
    "/voila/render/05_scenario_lab.ipynbx",
    "/voila/render/no_such_app.ipynb",
    "/voila/render/05_Scenario_Lab.ipynb",
    "/voila/render/05_scenario_lab.ipynb/x",
    "/voila/render/05_scenario_lab.py",
)
STAMP = r"\d\d:\d\d:\d\d  "
WHO = r"(Student \d+|The lecturer|A visitor from [0-9a-f.:]+) "


class Kernels:
    """Stands for Voilà's kernel manager where only ``kernel_id in manager`` is asked."""

    def __init__(self):
        self.ids: set[str] = set()

    def __contains__(self, kernel_id):
        return kernel_id in self.ids


class Person:
    def __init__(self, username):
        self.username = username


# --- no server ------------------------------------------------------------------------------------------
def test_the_console_shows_events_and_each_error_once_in_one_line_and_the_file_has_everything(tmp_path):
    out, log = io.StringIO(), tmp_path / "server.log"
    file_handler, console_handler = handlers(out, log)
    logger = logging.getLogger("classroom.test-console")
    logger.propagate, logger.level = False, logging.INFO
    logger.addHandler(file_handler)
    logger.addHandler(console_handler)
    try:
        logger.info("200 GET /voila/render/05_scenario_lab.ipynb (127.0.0.1) 3.1ms")
        logger.warning("Kernel is running over TCP without encryption.")
        logger.info("Student 4 opened app 05 (Scenario lab).", extra={EVENT: "opened"})
        try:
            raise ValueError("the kernel's reply could not be read\nsecond line")
        except ValueError:
            for _ in range(2):  # the same error again within a minute: the console says it once
                logger.exception("Classroom: the kernel check failed")
    finally:
        logger.removeHandler(file_handler)
        logger.removeHandler(console_handler)
        file_handler.close()
    lines = out.getvalue().splitlines()
    assert len(lines) == 2, lines
    assert re.fullmatch(STAMP + r"Student 4 opened app 05 \(Scenario lab\)\.", lines[0]), lines[0]
    error = texts()["console"]["error"].format(
        what="the kernel check failed (ValueError: the kernel's reply could not be read)", log=log
    )
    assert re.fullmatch(STAMP + re.escape(error), lines[1]), lines[1]
    written = log.read_text(encoding="utf-8")
    for text in ("200 GET /voila/render", "Kernel is running over TCP", "Student 4 opened", "second line"):
        assert text in written, text
    assert written.count("Traceback (most recent call last)") == 2, "the file has every traceback"


def test_the_console_filter_lets_through_events_notices_and_errors_only():
    shown = ConsoleFilter()

    def record(level, message, **extra):
        item = logging.LogRecord("ServerApp", level, __file__, 1, message, (), None)
        item.__dict__.update(extra)
        return item

    assert not shown.filter(record(logging.WARNING, "The websocket_ping_timeout (90000) cannot be longer"))
    assert not shown.filter(record(logging.INFO, "Kernel started: 1234"))
    assert shown.filter(record(logging.INFO, "a student event", **{EVENT: "joined"}))
    assert shown.filter(record(logging.WARNING, "Classroom: DPRK_PLAIN is set, so these are off: ...", console=True))
    assert shown.filter(record(logging.ERROR, "Exception in callback"))
    formatted = ConsoleFormatter("server.log").format(record(logging.WARNING, "Classroom: these are off", console=True))
    assert formatted.endswith("  these are off")


def test_every_form_of_a_facilitators_address_is_recognised():
    roles = ClassRoles(facilitator=("08_roleplay.ipynb",))
    for path in ROLEPLAY_FORMS:
        assert roles.facilitator_page(path.split("?", 1)[0]), path
    for path in ("/", LAB, "/voila/render/05_scenario_lab.ipynb/", "/voila/static/voila.js", *MISTYPED):
        assert not roles.facilitator_page(path), path
    assert not ClassRoles().facilitator_page(ROLEPLAY), "no facilitator's app: nothing is refused"


def test_a_page_request_that_served_no_page_stops_counting_and_a_served_one_counts_until_claimed():
    roles, kernels, student = ClassRoles(student_kernels=2), Kernels(), Person("s1")
    for _ in range(5):  # five mistyped addresses: each answered without a page
        opened = roles.may_open(student, kernels, "05_scenario_lab.ipynbx")
        assert opened is not None
        roles.page_answered(opened, served=False)
    assert roles.pending("s1") == 0
    first = roles.may_open(student, kernels, "05_scenario_lab.ipynb")
    roles.page_answered(first, served=True)
    second = roles.may_open(student, kernels, "02_oil.ipynb")
    assert first and second and roles.may_open(student, kernels, "03_labour.ipynb") is None, "the limit holds"
    kernels.ids.add("k1")
    assert roles.may_use(student, "k1", kernels, claim=True)
    assert roles.pending("s1") == 1 and roles.notebooks["k1"] == "05_scenario_lab.ipynb", "the oldest page claims"


# --- a running server -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("console")
    with ClassServer(
        students=1, extra=("--student-kernels=2",), log=folder / "console.txt", state=folder / "state", plain=False
    ) as running:
        yield running


def _console(server: ClassServer) -> list[str]:
    """The console's lines after the banner (its last line says how to stop the server)."""
    lines = server.log_path.read_text(encoding="utf-8").splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Ctrl-C stops the server"))
    return [line for line in lines[end + 1 :] if line.strip()]


@pytest.mark.slow
def test_mistyped_app_addresses_do_not_count_as_open_apps(server):
    """Issue 28: a mistyped notebook address counted as an open app for 90 s (here: the limit is two)."""
    student = Student(server, server.code)
    for path in MISTYPED:
        status, _ = student.request(path)
        assert status in (302, 404), (path, status)
    kernels = [student.open_app(), student.open_app()]  # the two apps the limit allows
    status, body = student.request(LAB)
    assert status == 429 and "You have 2 apps open already" in body.decode(), "the limit still holds"
    for kernel_id in kernels:
        assert student.request(f"/voila/api/shutdown/{kernel_id}", method="POST")[0] == 204


@pytest.mark.slow
def test_the_role_play_opens_with_the_lecturers_code_only_on_every_address(server):
    """Issue 30: the role-play was hidden from the students' page but opened by its typed address."""
    student = Student(server, server.code)
    before = len(server.kernels("student"))
    sentence = refused("facilitator_only")
    for path in ROLEPLAY_FORMS:
        status, body = student.request(path)
        page = html.unescape(body.decode())  # a page, or JSON under /api/
        assert status == 403 and sentence in page, (path, status, page[:300])
        assert "Traceback" not in page and "kernelId" not in page, path
    # Voilà's file handler serves images only (its allowlist) and asks no one's code: never the notebook.
    status, body = student.request("/voila/files/08_roleplay.ipynb")
    assert status == 403 and b"cells" not in body
    assert server.get(ROLEPLAY)[0] == 403, "the class code in the request, without a session: refused too"
    assert server.get(ROLEPLAY, token=False)[0] == 302, "without a code: the class-code page"
    time.sleep(1)
    assert len(server.kernels("student")) == before, "no kernel started for a refused page"
    lecturer = Student(server, server.lecturer_code)
    status, body = lecturer.request(ROLEPLAY)
    assert status == 200 and b'"kernelId"' in body, "the lecturer opens it"
    kernel_id = re.search(rb'"kernelId":\s*"([0-9a-f-]{36})"', body)[1].decode()
    assert lecturer.request(f"/voila/api/shutdown/{kernel_id}", method="POST")[0] == 204
    assert "Traceback" not in server.log_text()


@pytest.mark.slow
def test_the_console_has_one_line_per_student_event_and_the_log_file_the_rest(server):
    """Issue 30: the console showed Voilà's, jupyter_server's, tornado's and the kernels' lines."""
    student = Student(server, server.code)
    number = re.escape(re.findall(r"(Student \d+) joined the class", "\n".join(_console(server)))[-1])
    kernel_id = student.open_app()
    assert websocket_status(server, student, kernel_id) == 101  # the page's websocket: jupyter_server's lines
    assert student.hand_in(_document(1))[0] == 201
    assert student.request(ROLEPLAY)[0] == 403
    assert Student(server, None).request("/?token=not-the-code-42")[0] in (302, 403)
    assert student.request(f"/voila/api/shutdown/{kernel_id}", method="POST")[0] == 204
    expected = [
        number + r" joined the class \(\d+ so far\)\.",
        number + r" opened app 05 \(Scenario lab\)\.",
        number + r" handed in a scenario from .+ \(the class has \d+\)\.",
        number + r" was refused: " + re.escape(refused("facilitator_only")),
        r"A visitor from 127\.0\.0\.1 typed a wrong class code \(\d of 5 before a 60 s lockout\)\.",
        number + r" left app 05 \(Scenario lab\)\.",
    ]
    deadline = time.monotonic() + 20  # "left" comes with the next sweep of ended kernels (every 3 s)
    while not any(re.fullmatch(STAMP + expected[-1], line) for line in _console(server)):
        assert time.monotonic() < deadline, "\n".join(_console(server))
        time.sleep(0.5)
    console = _console(server)
    for pattern in expected:
        assert [line for line in console if re.fullmatch(STAMP + pattern, line)], (pattern, console)
    for line in console:  # nothing but student events: no server, access or kernel lines, no traceback
        assert re.fullmatch(STAMP + WHO + r".+[.:].*", line), line
    banner = server.log_path.read_text(encoding="utf-8")
    assert str(server.log_file) in banner, "the banner says where the full log is"
    for noise in ("[ClassroomVoila]", "Kernel is running over TCP", "websocket_ping_timeout", " GET ", "Traceback"):
        assert noise not in banner, noise
    log = server.log_text()
    for detail in (
        "Kernel is running over TCP without encryption",  # the kernels' own output (ipykernel)
        "The websocket_ping_timeout (90000) cannot be longer",  # tornado, from jupyter_server's settings
        "[tornado.access] 200 GET /voila/render/05_scenario_lab.ipynb",
        "[ClassroomVoila] Kernel started",
        "[ClassroomVoila] Classroom: refused GET /voila/render/08_roleplay.ipynb",
        "[classroom.events]",
    ):
        assert detail in log, detail
