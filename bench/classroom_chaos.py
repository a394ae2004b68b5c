"""Chaos run of the classroom server (``python bench/classroom_bench.py --chaos``, issue 28).

The load benchmark's simulated students (:class:`classroom_bench.Student`, each from its own loopback
address) open the scenario lab, move a slider until the run ends and save the scenario twice (the lab's
"Save scenario (TOML)" button, clicked through the widget protocol; the file reaches them as a download
link). Meanwhile:

* one **misbehaving client per finding** of issue 28, each from its own address: a kernel websocket on the
  legacy protocol, garbage frames, requests for another student's kernel (read, watch, shut down, query,
  list), brute-force code guesses, more apps and a larger upload than the limits, a request flood, and
  path traversal. Each reports whether the server contained it (refused it as designed);
* **kernel kills**: ``--kills`` students' kernels are killed (SIGKILL) at random moments;
* **one server restart** (SIGTERM, then the same class started again on the same port and state folder).

A student does what the page's watchdog makes a person do: when its connection fails it asks the server
about its kernel (``/classroom/api/kernel/<id>``, as the page does every 5 s); if the answer is one the page
turns into a clear message ("the server restarted", "this app has stopped") it reloads, with its session
cookie only (no class code), and carries on. Such a recovery is counted apart from errors, by cause.

* ``errors``: well-behaved students who met anything else: an unexpected status, a connection that failed
  while its kernel was alive, no message to act on, a reload that asked for the code again, a timeout;
* ``lost_items``: files a student received from a save whose server copy is missing or differs at the end
  (after the restart);
* ``health_p99_ms``: ``/classroom/api/health`` sampled every 200 ms (timeout 2 s) from its own address,
  outside the restart (from SIGTERM until the new server answers, when no server is there to answer).

Last line: one JSON object; also written to ``bench/results/classroom_chaos.json``.
"""

from __future__ import annotations

import asyncio
import base64
import http.client
import json
import os
import random
import re
import signal
import tempfile
import threading
import time
import uuid
from pathlib import Path

from classroom_bench import LAB, PROTOCOL, Student, encode, percentile, student_address
from results import save
from tornado.httpclient import HTTPClientError
from tornado.websocket import WebSocketClosedError

from classroom.console import PREVIOUS_LOG_NAME
from classroom.launch import ClassServer

SAVE_BUTTON = "Save scenario (TOML)"
#: Paths that try to leave the served folders, plainly and encoded (finding 4).
TRAVERSALS = (
    "/voila/render/../../etc/passwd",
    "/voila/render/%2e%2e/%2e%2e/pyproject.toml",
    "/voila/render/%252e%252e%252fpyproject.toml",
    "/voila/files/..%2f..%2fpyproject.toml",
    "/voila/static/..%2f..%2fpyproject.toml",
    "/voila/templates/..%2f..%2f..%2fpyproject.toml",
    "/voila/labextensions/..%2f..%2fpyproject.toml",
)
#: Messages a failed step may raise before the student asks the server what happened.
FAILURES = (
    ConnectionError, TimeoutError, asyncio.TimeoutError, OSError, LookupError, ValueError, HTTPClientError,
    WebSocketClosedError,
)  # fmt: skip


class Jar:
    """A browser's cookies for one site."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def take(self, response) -> None:
        for value in response.headers.get_list("Set-Cookie"):
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def header(self) -> dict:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}


async def fetch(client, server, path, source, jar=None, method="GET", body=None, timeout=30.0):
    """One request without raising on HTTP errors: (status, body); 599 when nothing answered."""
    headers = dict(jar.header()) if jar else {}
    if method not in ("GET", "HEAD") and jar and "_xsrf" in jar.cookies:
        headers["X-XSRFToken"] = jar.cookies["_xsrf"]  # as the page's own requests do
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = body if body is not None else f"_xsrf={(jar.cookies if jar else {}).get('_xsrf', '')}"
    try:
        response = await client.fetch(
            f"{server.base}{path}",
            method=method,
            body=body,
            headers=headers,
            raise_error=False,
            follow_redirects=False,
            request_timeout=timeout,
            network_interface=source,
            allow_nonstandard_methods=True,
        )
    except (OSError, HTTPClientError):  # nothing answered (the server is away): as a browser's failed fetch
        return 599, b""
    if jar is not None:
        jar.take(response)
    return response.code, response.body or b""


def kernel_of(page: bytes) -> str:
    found = re.search(rb'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)
    if not found:
        raise LookupError("the page holds no kernel")
    return json.loads(found.group(1))["kernelId"]


async def websocket(server, kernel_id, source, jar, subprotocols=(PROTOCOL,)):
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    url = f"ws://127.0.0.1:{server.port}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
    request = HTTPRequest(url, headers=jar.header(), connect_timeout=30, request_timeout=30, network_interface=source)
    return await websocket_connect(request, subprotocols=list(subprotocols) or None)


# --- a well-behaved student -------------------------------------------------------------------------------
class ChaosStudent(Student):
    """A student who keeps moving the slider, saves twice, and recovers as the page tells them to."""

    def __init__(self, number: int, server: ClassServer, pause: float):
        super().__init__(number, server, moves=0, pause=pause, source=student_address(number))
        self.timeout = 90.0  # a step that waits longer with a live kernel is an error
        self.jar = Jar()
        self.kernel_id: str | None = None
        self.boot: str | None = None
        self.saved: list[tuple[str, bytes]] = []
        self.saves_wanted = 1  # one save before the disruptions, one after the restart
        self.recoveries: list[tuple[str, float]] = []  # (cause, seconds from the failure to the next figure)
        self.opened = asyncio.Event()
        self.moved_since_open = 0
        self.connection = None
        self._reader = None

    async def attend(self, start: asyncio.Event, conductor: Conductor) -> None:
        from tornado.httpclient import AsyncHTTPClient

        await start.wait()
        self.client = AsyncHTTPClient(force_instance=True)
        watchdog = asyncio.ensure_future(self._watch())
        first, failed_at, cause = True, None, None
        try:
            while True:
                self.connection = None
                try:
                    self.connection = await self._open(first)
                    first = False
                    if failed_at is not None:
                        self.recoveries.append((cause, time.monotonic() - failed_at))
                        failed_at = cause = None
                    self.opened.set()
                    while not (conductor.finished.is_set() and len(self.saved) >= self.saves_wanted):
                        await self.move(self.connection)
                        self.moved_since_open += 1
                        if len(self.saved) < self.saves_wanted and self.moved_since_open >= 2:
                            await self._save(self.connection)
                        await asyncio.sleep(self.pause)
                    await self._leave()
                    return
                except FAILURES as failure:
                    if self.error:
                        return
                    failed_at = failed_at or time.monotonic()
                    cause = await self._diagnose(failure)
                    if cause is None:
                        return
                finally:
                    if self.connection is not None:
                        self.connection.close()
                        self._reader.cancel()  # before it can report this connection's end to the next page
        except Exception as error:  # counted, not raised: the run reports how many students failed
            import traceback

            self.error = f"student {self.number}: {type(error).__name__}: {error}\n{traceback.format_exc()}"
        finally:
            watchdog.cancel()
            self.client.close()

    def _send(self, connection, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        """As the page sends; a message written as its connection closes fails quietly (the next read says so).

        Returns the message's id, kept as the base class keeps it (a move is timed to a frame answering it).
        """
        msg_id = uuid.uuid4().hex
        written = connection.write_message(
            encode("shell", msg_type, content, self.session, metadata, msg_id), binary=True
        )
        written.add_done_callback(lambda done: done.cancelled() or done.exception())
        self._sent_ids.append(msg_id)
        return msg_id

    async def _watch(self) -> None:
        """The page's watchdog: every 5 s, ask about the kernel; on a message, the student acts (reloads)."""
        while True:
            await asyncio.sleep(5)
            if not (self.kernel_id and self.boot and self.connection is not None):
                continue
            try:
                path = f"/classroom/api/kernel/{self.kernel_id}"
                status, body = await fetch(self.client, self.server, path, self.source, self.jar, timeout=5)
            except Exception:
                continue
            if status != 200:
                continue
            info = json.loads(body)
            if (info.get("boot") and info["boot"] != self.boot) or info.get("state") in ("gone", "dead"):
                self.connection.close()  # the student reads the message and reloads

    async def _open(self, first: bool):
        """The page (the class code only the first time, then the session cookie), its websocket, its figure."""
        self._frames = asyncio.Queue()
        self._waiting_for_image = set()
        self.moved_since_open = 0
        began = time.monotonic()
        path = f"/voila/render/{LAB}" + (f"?token={self.server.code}" if first else "")
        status, page = await fetch(self.client, self.server, path, self.source, self.jar, timeout=300)
        if status in (302, 303) and not first:
            self.error = f"student {self.number}: the reload asked for the class code again ({status})"
            raise ConnectionError(self.error)
        if status != 200:
            raise ConnectionError(f"the page answered {status}")
        self.kernel_id = kernel_of(page)
        connection = await websocket(self.server, self.kernel_id, self.source, self.jar)
        self._reader = asyncio.ensure_future(self._read(connection))
        await self._open_page(connection, began)
        status, body = await fetch(
            self.client, self.server, f"/classroom/api/kernel/{self.kernel_id}", self.source, self.jar
        )
        if status != 200:
            raise ConnectionError(f"the page's watchdog was answered {status}")
        self.boot = json.loads(body)["boot"]
        states = self.states
        self.save_button = next(
            i for i, s in states.items()
            if s["model_name"] == "ButtonModel" and s["state"].get("description") == SAVE_BUTTON
        )  # fmt: skip
        self.export_status = next(
            i for i, s in states.items() if "export-status" in s["state"].get("_dom_classes", [])
        )  # fmt: skip
        return connection

    async def _save(self, connection) -> None:
        """Click "Save scenario (TOML)" and keep the file the page downloads."""
        click = {"comm_id": self.save_button, "data": {"method": "custom", "content": {"event": "click"}}}
        self._send(connection, "comm_msg", click)
        while True:
            message = await self._next()
            _, msg_type, content, _, _ = message
            data = content.get("data", {}) if msg_type == "comm_msg" else {}
            value = data.get("state", {}).get("value", "") if data.get("method") == "update" else ""
            if content.get("comm_id") == self.export_status and "export-download" in value:
                links = re.findall(r"<a download='([^']+)' href='data:[^;]+;base64,([^']+)'", value)
                self.saved += [(name, base64.b64decode(data)) for name, data in links]
                return
            self._image_from(connection, message)

    async def _diagnose(self, failure) -> str | None:
        """What the page's watchdog would tell the student: "restart", "stopped", or None (then an error)."""
        alive_since = None
        deadline = time.monotonic() + 400
        while time.monotonic() < deadline:
            if self.kernel_id is None:
                return "page"  # the page itself did not come (the server was away): reload
            status, body = await fetch(
                self.client, self.server, f"/classroom/api/kernel/{self.kernel_id}", self.source, self.jar, timeout=5
            )
            if status == 200:
                info = json.loads(body)
                if self.boot and info.get("boot") and info["boot"] != self.boot:
                    return "restart"
                if info.get("state") in ("gone", "dead"):
                    return "stopped"
                alive_since = alive_since or time.monotonic()
                if time.monotonic() - alive_since > 20:  # the kernel lives on, yet the page failed
                    self.error = f"student {self.number}: {type(failure).__name__}: {failure} (its kernel is alive)"
                    return None
            elif status in (302, 303):
                self.error = f"student {self.number}: the page's watchdog was sent to the login page ({status})"
                return None
            elif status not in (599, 429):
                self.error = f"student {self.number}: the page's watchdog was answered {status}"
                return None
            await asyncio.sleep(1.0)
        self.error = f"student {self.number}: no message to act on within 400 s after {failure!r}"
        return None

    async def _leave(self) -> None:
        if self.kernel_id:
            path = f"/voila/api/shutdown/{self.kernel_id}"
            await fetch(self.client, self.server, path, self.source, self.jar, "POST")


# --- the misbehaving clients --------------------------------------------------------------------------------
async def legacy_protocol(server, client, source, victims) -> str:

    jar = Jar()
    _, page = await fetch(client, server, f"/voila/render/{LAB}?token={server.code}", source, jar, timeout=300)
    kernel_id = kernel_of(page)
    try:
        connection = await websocket(server, kernel_id, source, jar, subprotocols=())
        connection.close()
        verdict = "NOT contained: a legacy-protocol websocket was accepted"
    except HTTPClientError as error:
        verdict = "contained" if error.code == 400 else f"NOT contained: answered {error.code}"
    await fetch(client, server, f"/voila/api/shutdown/{kernel_id}", source, jar, "POST")
    return verdict


async def garbage_frames(server, client, source, victims) -> str:
    jar = Jar()
    _, page = await fetch(client, server, f"/voila/render/{LAB}?token={server.code}", source, jar, timeout=300)
    kernel_id = kernel_of(page)
    codes = []
    rng = random.Random(7)
    for garbage in ((10**17).to_bytes(8, "little") + b"\0" * 64, rng.randbytes(4096), b"\1", "text, not binary"):
        connection = await websocket(server, kernel_id, source, jar)
        connection.write_message(garbage, binary=isinstance(garbage, bytes))
        while await asyncio.wait_for(connection.read_message(), 30) is not None:
            pass
        codes.append(connection.close_code)
    await fetch(client, server, f"/voila/api/shutdown/{kernel_id}", source, jar, "POST")
    return "contained" if codes == [1007] * len(codes) else f"NOT contained: close codes {codes}"


async def cross_student(server, client, source, victims) -> str:

    jar = Jar()
    await fetch(client, server, f"/?token={server.code}", source, jar)
    victim = next(v for v in victims if v.kernel_id)
    kernel_id = victim.kernel_id
    answers = {}
    try:
        connection = await websocket(server, kernel_id, source, jar)
        connection.close()
        answers["websocket"] = 101
    except HTTPClientError as error:
        answers["websocket"] = error.code
    for name, path, method in (
        ("read", f"/api/kernels/{kernel_id}", "GET"),
        ("delete", f"/api/kernels/{kernel_id}", "DELETE"),
        ("shut down", f"/voila/api/shutdown/{kernel_id}", "POST"),
        ("watch", f"/classroom/api/kernel/{kernel_id}", "GET"),
        ("status", "/classroom/api/status", "GET"),
        ("list", "/voila/tree", "GET"),
        ("contents", "/voila/api/contents", "GET"),
    ):
        answers[name] = (await fetch(client, server, path, source, jar, method))[0]
    answers["query"] = (await fetch(client, server, f"/voila/query/{kernel_id}", source))[0]
    let_through = {k: v for k, v in answers.items() if v not in (403, 405)}
    return "contained" if not let_through else f"NOT contained: {let_through}"


async def brute_force(server, client, source, victims) -> str:
    statuses = [(await fetch(client, server, f"/?token=guess-{n:05d}-x", source))[0] for n in range(30)]
    right = (await fetch(client, server, f"/?token={server.code}", source))[0]
    return "contained" if 429 in statuses and right == 429 else f"NOT contained: {statuses[-5:]}, then {right}"


async def over_limits(server, client, source, victims) -> str:
    """Four pages (each with its websocket open, as a browser keeps it) with a limit of three, then a 20 MB upload."""
    jar = Jar()
    statuses, kernels, connections = [], [], []
    for n in range(4):
        path = f"/voila/render/{LAB}" + ("" if n else f"?token={server.code}")
        status, page = await fetch(client, server, path, source, jar, timeout=300)
        statuses.append(status)
        if status == 200:
            kernels.append(kernel_of(page))
            connections.append(await websocket(server, kernels[-1], source, jar))  # the page keeps its app
    closed = False
    if connections:
        connections[0].write_message(b"\0" * (20 * 2**20), binary=True)  # a 20 MB upload in one message
        while await asyncio.wait_for(connections[0].read_message(), 60) is not None:
            pass
        closed = True  # the server ended that connection (tornado's message size limit), and only that one
    for connection in connections:
        connection.close()
    for kernel_id in kernels:
        await fetch(client, server, f"/voila/api/shutdown/{kernel_id}", source, jar, "POST")
    if statuses == [200, 200, 200, 429] and closed:
        return "contained"
    return f"NOT contained: pages {statuses}, upload connection closed: {closed}"


async def flood(server, client, source, victims) -> str:
    jar = Jar()
    await fetch(client, server, f"/?token={server.code}", source, jar)
    statuses: list[int] = []

    async def worker():
        for _ in range(40):
            statuses.append((await fetch(client, server, "/", source, jar))[0])

    await asyncio.gather(*(worker() for _ in range(15)))
    refused = statuses.count(429)
    other = [s for s in statuses if s not in (200, 429)]
    return "contained" if refused and not other else f"NOT contained: {refused} of {len(statuses)} refused, {other[:5]}"


async def traversal(server, client, source, victims) -> str:
    jar = Jar()
    await fetch(client, server, f"/?token={server.code}", source, jar)
    answered = {path: (await fetch(client, server, path, source, jar))[0] for path in TRAVERSALS}
    served = {path: status for path, status in answered.items() if status == 200}
    return "contained" if not served else f"NOT contained: {served}"


MISBEHAVING = {
    "legacy_protocol_websocket": legacy_protocol,
    "garbage_frames": garbage_frames,
    "cross_student_requests": cross_student,
    "brute_force_codes": brute_force,
    "over_limit_apps_and_upload": over_limits,
    "request_flood": flood,
    "path_traversal": traversal,
}


# --- the conductor -----------------------------------------------------------------------------------------
class Conductor:
    """Starts the misbehaving clients, kills kernels, restarts the server, and ends the run."""

    def __init__(self, server: ClassServer, crowd: list[ChaosStudent], kills: int, seed: int, logs: Path):
        self.server, self.crowd, self.kills, self.logs = server, crowd, kills, logs
        self.rng = random.Random(seed)
        self.finished = asyncio.Event()
        self.misbehaving: dict[str, str] = {}
        self.killed: list[int] = []
        self.restart_window: tuple[float, float] | None = None
        self.door_before_restart: dict = {}
        self.timeline: list[str] = []

    def note(self, what: str) -> None:
        self.timeline.append(f"{time.monotonic() - self.began:7.1f} s  {what}")

    async def run(self) -> None:
        from tornado.httpclient import AsyncHTTPClient

        self.began = time.monotonic()
        loop = asyncio.get_running_loop()
        await self._all(lambda s: s.opened.is_set() and s.moved_since_open >= 2, 600, "every student in")
        self.note("every student has a figure and has moved the slider")
        client = AsyncHTTPClient(force_instance=True)
        bad = [
            asyncio.ensure_future(self._misbehave(name, act, client, f"127.0.0.{200 + n}"))
            for n, (name, act) in enumerate(MISBEHAVING.items())
        ]
        await self._all(lambda s: s.saved or s.error, 300, "every student saved once")
        # Kernel kills at random moments over ten seconds.
        healthy = [s for s in self.crowd if not s.error]  # a student who failed is reported, not sampled
        targets = self.rng.sample(healthy, min(self.kills, len(healthy)))
        for student in targets:
            await asyncio.sleep(self.rng.uniform(0, 10 / max(1, len(targets))))
            pid = await loop.run_in_executor(None, self.server.kernel_pid, student.kernel_id)
            if pid:
                os.kill(pid, signal.SIGKILL)
                self.killed.append(student.number)
                self.note(f"killed student {student.number}'s kernel")
        await self._all(lambda s: s.number not in self.killed or s.recoveries or s.error, 300, "the killed recover")
        await asyncio.gather(*bad)
        self.note("the misbehaving clients are done")
        # One restart: SIGTERM, then the same class on the same port and state folder.
        self.door_before_restart = await loop.run_in_executor(None, lambda: self.server.status()["door"])
        began = time.monotonic()
        self.note("restart: SIGTERM")
        await loop.run_in_executor(None, self._restart)
        self.restart_window = (began, time.monotonic())
        self.note(f"restart: the server answers again after {self.restart_window[1] - began:.1f} s")
        for student in self.crowd:
            student.saves_wanted = 2  # one more save once back
        await self._all(lambda s: any(c == "restart" for c, _ in s.recoveries) or s.error, 600, "all recover")
        await self._all(lambda s: len(s.saved) >= 2 or s.error, 300, "every student saved again")
        self.note("every student is back and saved again")
        self.finished.set()
        client.close()

    def _restart(self) -> None:
        self.server.stop()
        self.server.log_path = self.logs / "server-after-restart.log"
        self.server.start(timeout=300, wait_for_pool=False)

    async def _misbehave(self, name, act, client, source) -> None:
        try:
            self.misbehaving[name] = await act(self.server, client, source, self.crowd)
        except Exception as error:
            self.misbehaving[name] = f"NOT contained: {type(error).__name__}: {error}"
        self.note(f"{name}: {self.misbehaving[name]}")

    async def _all(self, done, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not all(done(s) for s in self.crowd):
            if time.monotonic() > deadline:
                self.note(f"gave up waiting for {what} after {timeout:.0f} s")
                return
            await asyncio.sleep(0.5)


def sample_health(port: int, stop: threading.Event, samples: list) -> None:
    """``/classroom/api/health`` every 200 ms: (monotonic time, milliseconds or None when unanswered)."""
    while not stop.wait(0.2):
        began = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2, source_address=("127.0.0.250", 0))
            connection.request("GET", "/classroom/api/health")
            response = connection.getresponse()
            response.read()
            connection.close()
            samples.append((began, 1000 * (time.monotonic() - began) if response.status == 200 else None))
        except OSError:
            samples.append((began, None))


async def _play(server, crowd, conductor) -> None:
    start = asyncio.Event()
    students = [asyncio.ensure_future(s.attend(start, conductor)) for s in crowd]
    start.set()
    await asyncio.gather(conductor.run(), *students)


def run(args) -> int:
    """The chaos run for ``args`` of :func:`classroom_bench.main` (``--students``, ``--kills``, ``--seed``)."""
    work = Path(tempfile.mkdtemp(prefix="classroom-chaos-"))
    exports = work / "exports"
    os.environ["DPRK_LIFELINES_EXPORTS"] = str(exports)  # the kernels' exports folder (inherited)
    server = ClassServer(students=args.students, log=work / "server.log", state=work / "state")
    began = time.monotonic()
    server.start(timeout=60 + 15 * args.students)
    warm_s = time.monotonic() - began
    crowd = [ChaosStudent(n, server, args.pause) for n in range(args.students)]
    kills = args.kills if args.kills is not None else max(1, args.students // 10)
    conductor = Conductor(server, crowd, kills, args.seed, work)
    samples: list = []
    stop = threading.Event()
    sampler = threading.Thread(target=sample_health, args=(server.port, stop, samples), daemon=True)
    sampler.start()
    try:
        asyncio.run(_play(server, crowd, conductor))
        door_after = server.status()["door"]
    finally:
        stop.set()
        sampler.join()
        server.stop()
    for line in conductor.timeline:
        print(line)
    errors = [s.error for s in crowd if s.error]
    for error in errors[:10]:
        print(error)
    saved = [(name, data) for s in crowd for name, data in s.saved]
    lost = [name for name, data in saved if not (exports / name).is_file() or (exports / name).read_bytes() != data]
    window = conductor.restart_window or (float("inf"), float("inf"))
    # A sample sent up to its timeout (2 s) before SIGTERM may find no server to finish it: inside the window.
    outside = [(t, ms) for t, ms in samples if not window[0] - 2.0 <= t <= window[1] + 1.0]
    for t, ms in outside:
        if ms is None or ms > 1000:
            print(f"{t - conductor.began:7.1f} s  health {'unanswered' if ms is None else f'{ms:.0f} ms'}")
    answered = [ms for _, ms in outside if ms is not None]
    # The consoles (the lecturer's lines) and the full logs of both starts (classroom.console).
    consoles = [work / "server.log", work / "server-after-restart.log"]
    logs = [*consoles, server.log_file.with_name(PREVIOUS_LOG_NAME), server.log_file]
    log_text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in logs if p.exists())
    blocks = ["\n".join(b.splitlines()[:6]) for b in log_text.split("Traceback (most recent call last):")[1:]]
    recovered = [(s.number, cause, seconds) for s in crowd for cause, seconds in s.recoveries]
    slider = [ms for s in crowd for ms in s.slider_ms]
    first = [s.first_figure_s for s in crowd if s.first_figure_s is not None]
    contained = sum(1 for verdict in conductor.misbehaving.values() if verdict == "contained")
    result = {
        "students": args.students,
        "errors": len(errors),
        "lost_items": len(lost),
        "health_p99_ms": percentile(answered, 99),
        "health_max_ms": round(max(answered), 1) if answered else None,
        "health_samples": len(outside),
        "health_over_1s": sum(1 for ms in answered if ms > 1000),
        "health_unanswered": sum(1 for _, ms in outside if ms is None),
        "saved_items": len(saved),
        "kernel_kills": len(conductor.killed),
        "killed_students_recovered": len({n for n, cause, _ in recovered if cause == "stopped"}),
        "restart_recovered": len({n for n, cause, _ in recovered if cause in ("restart", "page")}),
        "recovery_p95_s": percentile([seconds for _, _, seconds in recovered], 95),
        "restart_down_s": round(window[1] - window[0], 1) if conductor.restart_window else None,
        "misbehaving_contained": contained,
        "misbehaving_clients": len(MISBEHAVING),
        "misbehaving": conductor.misbehaving,
        "refused_requests": conductor.door_before_restart.get("refused_requests", 0)
        + door_after.get("refused_requests", 0),
        "tracebacks_in_server_log": len(blocks),
        # A kernel prints its own tracebacks into the server's output: one that was starting as SIGTERM came
        # (its connection file is gone), or whose heartbeat lost a race for its port to another process
        # (jupyter_client picks free ports before the kernel binds them). Neither is a request's.
        "kernel_start_tracebacks": sum(1 for block in blocks if "ipykernel" in block),
        "request_tracebacks": sum(1 for block in blocks if "ipykernel" not in block),
        "first_figure_p95_s": percentile(first, 95),
        "slider_p50_ms": percentile(slider, 50),
        "slider_p95_ms": percentile(slider, 95),
        "slider_moves": len(slider),
        "warm_up_s": round(warm_s, 1),
        "seed": args.seed,
    }
    if lost:
        print("lost:", lost[:10])
    print(
        f"chaos: {len(errors)} errors, {len(lost)} of {len(saved)} saved items lost, health p99 "
        f"{result['health_p99_ms']} ms (max {result['health_max_ms']} ms, {result['health_unanswered']} unanswered "
        f"of {len(outside)}); {contained} of {len(MISBEHAVING)} misbehaving clients contained; "
        f"{result['killed_students_recovered']} of {len(conductor.killed)} killed and "
        f"{result['restart_recovered']} of {args.students} restarted students recovered by reload "
        f"(p95 {result['recovery_p95_s']} s)"
    )
    print(f"server logs: {work}")
    save("classroom_chaos", result)
    return 0


__all__ = ["MISBEHAVING", "ChaosStudent", "Conductor", "run"]
