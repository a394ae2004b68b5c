"""Load benchmark of the classroom server.

N students open the scenario lab at once, wait for its first figure, move a slider ten times, and leave.

Students are simulated by a client of the Jupyter websocket protocol, not by browser pages: on this
2-core machine thirty Chromium pages would spend the cores on layout and painting that, in a class,
thirty laptops do, and the benchmark would mostly measure itself. The client does what the page's
JavaScript does on the wire and nothing else, so what is measured is the server's work per student:

* ``GET /voila/render/05_scenario_lab.ipynb`` (the rendered page from a warm kernel), then the page's
  websocket (protocol ``v1.kernel.websocket.jupyter.org``, the one the browser uses), ``kernel_info``,
  the widget manager's ``request_states`` (every widget's state), and for each ipympl canvas the
  ``refresh`` / ``send_image_mode`` / ``initialized`` messages, answering the kernel's ``draw`` and
  ``resize`` messages as ipympl's page does (one ``draw`` reply at a time per canvas: requests that
  arrive while the page waits for an image are dropped; a ``refresh`` after a ``resize``).
  **First figure** = from the GET to the first PNG frame of every canvas.
* **Slider**: a ``comm_msg`` ``update`` of the value of the ``russia_arms_enforcement`` slider (one step
  each time, as an arrow key does), timed to the first PNG frame of the figure it redraws.
* **Leaving**: the page's ``beforeunload`` beacon (``POST /voila/api/shutdown/<kernel>`` with the
  ``_xsrf`` value of the cookie), then the websocket closes.

Not exercised: the page's static JavaScript and CSS (a browser caches them after the first visit;
serving them is file I/O) and in-browser rendering. ``server_peak_rss_mb`` is the peak over the run of
the summed resident memory of the server and all its kernels (shared pages counted once per process,
so it overstates slightly). ``kernels_left_after_close`` counts live kernels beyond the pool size once
every student has left and no student kernel remains (or 120 s have passed).

    python bench/classroom_bench.py --students 30

**A whole session, compressed** (``--visits V``): the class comes V times in a row; after each visit every
student has left (as a reload or a closed laptop does) and the run waits until no student kernel is left
before the next. A 90-minute seminar in which every student reloads or reopens an app every 15 minutes is
``--visits 6``; with ``--moves 30`` each student moves a slider 180 times in all. The pauses of a real
session are left out (an idle kernel costs memory, not CPU, and the idle culler is tested separately), so
the run measures what the session's visits leave behind: ``memory_after_visits_mb`` is the server plus
kernels after each visit, once the students' kernels are gone and the pool is full again, and
``memory_growth_mb`` the last minus the first of these.

**Chaos** (``--chaos``, issue 28): the same students, with misbehaving clients, kernel kills and one
server restart during the class; see ``bench/classroom_chaos.py``.

Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import struct
import sys
import threading
import time
import uuid
from pathlib import Path

import numpy as np
from results import save

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from classroom.launch import ClassServer

LAB = "05_scenario_lab.ipynb"
LEVER = "param-russia_arms_enforcement"
PROTOCOL = "v1.kernel.websocket.jupyter.org"


# --- the v1 websocket framing ---------------------------------------------------------------------------
def encode(
    channel: str, msg_type: str, content: dict, session: str, metadata: dict | None = None, msg_id: str | None = None
) -> bytes:
    header = {
        "msg_id": msg_id or uuid.uuid4().hex,
        "username": "student",
        "session": session,
        "msg_type": msg_type,
        "version": "5.3",
        "date": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
    }
    parts = [channel.encode(), json.dumps(header).encode(), b"{}", json.dumps(metadata or {}).encode()]
    parts.append(json.dumps(content).encode())
    count = len(parts) + 1
    offsets, position = [], 8 * (count + 1)
    for part in parts:
        offsets.append(position)
        position += len(part)
    offsets.append(position)
    return struct.pack(f"<{count + 1}Q", count, *offsets) + b"".join(parts)


def decode(frame: bytes) -> tuple[str, str, dict, list[bytes], str]:
    """A v1 websocket frame: channel, message type, content, buffers and the id of the message it answers."""
    count = struct.unpack_from("<Q", frame, 0)[0]
    offsets = struct.unpack_from(f"<{count}Q", frame, 8)
    parts = [frame[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
    header, parent = json.loads(parts[1]), json.loads(parts[2] or b"{}")
    return parts[0].decode(), header["msg_type"], json.loads(parts[4]), parts[5:], parent.get("msg_id", "")


# --- one student -----------------------------------------------------------------------------------------
class Student:
    def __init__(self, number: int, server: ClassServer, moves: int, pause: float = 0.3, source: str | None = None):
        self.number, self.server, self.moves, self.pause = number, server, moves, pause
        # The address the student connects from (127.0.1.N: each student its own, as laptops in a class).
        self.source = source
        self.timeout = 120.0  # seconds a step may wait for the kernel's answer
        self.direction = 1  # the slider's next step: up (1) or down (-1)
        self.session = uuid.uuid4().hex
        self.first_figure_s: float | None = None
        self.page_s = self.states_s = self.page_kb = None
        self.slider_ms: list[float] = []
        self.slider_sent: list[float] = []  # monotonic time of each key press (moves during others' arrivals)
        self.first_figure_at: float | None = None
        self.visit = 0  # which of the class's visits (--visits) this student belongs to
        self.error: str | None = None
        self._frames: asyncio.Queue = asyncio.Queue()
        self._waiting_for_image: set[str] = set()  # canvases that asked for a draw and got no image yet
        self._sent_ids: list[str] = []  # every message sent, in order (a frame's parent is one of them)

    async def run(self, start: asyncio.Event) -> None:
        from tornado.httpclient import AsyncHTTPClient, HTTPRequest
        from tornado.websocket import websocket_connect

        await start.wait()
        client = AsyncHTTPClient(force_instance=True)
        connection = None
        try:
            began = time.monotonic()
            response = await client.fetch(
                f"{self.server.base}/voila/render/{LAB}?token={self.server.code}",
                request_timeout=300,
                network_interface=self.source,
            )
            cookies = "; ".join(
                value.split(";", 1)[0] for value in response.headers.get_list("Set-Cookie") if "=" in value
            )
            page = response.body.decode()
            self.page_s = time.monotonic() - began
            self.page_kb = len(response.body) / 1024
            config = re.search(r'id="jupyter-config-data"[^>]*>(.*?)</script>', page, re.S)
            if config is None:  # not an app page: say what the student got instead
                text = " ".join(re.sub(r"<[^>]+>", " ", re.sub(r"(?s)<(script|style).*?</\1>", " ", page)).split())
                raise RuntimeError(f"not an app page (HTTP {response.code}, {response.effective_url}): {text[:300]!r}")
            kernel_id = json.loads(config.group(1))["kernelId"]
            self.kernel_id = kernel_id
            ws_url = f"ws://127.0.0.1:{self.server.port}/api/kernels/{kernel_id}/channels?session_id={self.session}"
            connection = await websocket_connect(
                HTTPRequest(ws_url, headers={"Cookie": cookies}, connect_timeout=60, network_interface=self.source),
                subprotocols=[PROTOCOL],
            )
            reader = asyncio.ensure_future(self._read(connection))
            try:
                await self._open_page(connection, began)
                await self._move_slider(connection)
            finally:
                reader.cancel()
            xsrf = re.search(r"_xsrf=([^;]*)", cookies)
            body = f"_xsrf={xsrf.group(1) if xsrf else ''}"
            await client.fetch(
                f"{self.server.base}/voila/api/shutdown/{kernel_id}",
                method="POST",
                body=body,
                headers={"Cookie": cookies, "Content-Type": "application/x-www-form-urlencoded"},
                raise_error=False,
                network_interface=self.source,
            )
        except Exception as error:  # counted, not raised: the run reports how many students failed
            import traceback

            self.error = f"student {self.number}: {type(error).__name__}: {error}\n{traceback.format_exc()}"
        finally:
            if connection is not None:
                connection.close()
            client.close()

    async def _read(self, connection) -> None:
        while True:
            frame = await connection.read_message()
            if frame is None:
                await self._frames.put(None)
                return
            if isinstance(frame, bytes):
                await self._frames.put(decode(frame))

    def _send(self, connection, msg_type: str, content: dict, metadata: dict | None = None) -> str:
        """Send one message on the shell channel; return its id (the kernel's answers name it as parent)."""
        msg_id = uuid.uuid4().hex
        connection.write_message(encode("shell", msg_type, content, self.session, metadata, msg_id), binary=True)
        self._sent_ids.append(msg_id)
        return msg_id

    def _custom(self, connection, comm_id: str, kind: str) -> None:
        self._send(
            connection, "comm_msg", {"comm_id": comm_id, "data": {"method": "custom", "content": {"type": kind}}}
        )

    async def _next(self, timeout: float | None = None):
        message = await asyncio.wait_for(self._frames.get(), timeout or self.timeout)
        if message is None:
            raise ConnectionError("the kernel's websocket closed")
        return message

    def _image_from(self, connection, message) -> str | None:
        """Answers the canvas's messages like ipympl's page; returns the canvas id of a PNG frame.

        As the page does: a ``draw`` request is answered with one ``draw`` unless the canvas is still
        waiting for the image of the last one (requests arriving meanwhile are dropped; the page's
        ``waiting_for_image``), and a ``resize`` is answered with a ``refresh``.
        """
        _channel, msg_type, content, buffers, _parent = message
        if msg_type != "comm_msg" or content.get("data", {}).get("method") != "custom":
            return None
        inner = json.loads(content["data"]["content"].get("data", "{}"))
        canvas = content["comm_id"]
        if inner.get("type") == "draw":
            if canvas not in self._waiting_for_image:
                self._waiting_for_image.add(canvas)
                self._custom(connection, canvas, "draw")
        elif inner.get("type") == "resize":
            self._custom(connection, canvas, "refresh")
        elif inner.get("type") == "binary" and buffers:
            self._waiting_for_image.discard(canvas)
            return canvas
        return None

    async def _open_page(self, connection, began: float) -> None:
        self._send(connection, "kernel_info_request", {})
        control = uuid.uuid4().hex
        opening = {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}}
        self._send(connection, "comm_open", opening, {"version": "1.0.0"})  # the widget control protocol
        self._send(connection, "comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        states = None
        while states is None:
            _, msg_type, content, _, _ = await self._next()
            if msg_type == "comm_msg" and content.get("data", {}).get("method") == "update_states":
                states = content["data"]["states"]
        states_at = time.monotonic()
        self.states = states
        self._send(connection, "comm_close", {"comm_id": control, "data": {}})
        self.canvases = [i for i, s in states.items() if s["model_name"] == "MPLCanvasModel"]
        sliders = [i for i, s in states.items() if LEVER in s["state"].get("_dom_classes", [])]
        if not self.canvases or not sliders:
            raise LookupError(f"the lab's page has {len(self.canvases)} figures and {len(sliders)} {LEVER} sliders")
        self.slider = sliders[0]
        slider = states[self.slider]["state"]
        self.value, self.step, self.maximum = slider["value"], slider["step"], slider["max"]
        for canvas in self.canvases:
            for kind in ("refresh", "send_image_mode", "initialized"):
                self._custom(connection, canvas, kind)
        pending = set(self.canvases)
        while pending:
            pending.discard(self._image_from(connection, await self._next()))
        self.first_figure_at = time.monotonic()
        self.first_figure_s = self.first_figure_at - began
        self.states_s = states_at - began

    async def _move_slider(self, connection) -> None:
        for _ in range(self.moves):
            await self.move(connection)
            await asyncio.sleep(self.pause)  # a student's pause between key presses

    async def move(self, connection) -> None:
        """One key press on the slider, timed to the first frame of the figure it redraws."""
        direction = self.direction
        if self.value + direction * self.step > self.maximum + 1e-9 or self.value + direction * self.step < 0:
            direction = -direction
        self.direction = direction
        self.value = round(self.value + direction * self.step, 6)
        # Drain what arrived since (late frames of the previous move) so the next frame is this move's.
        while not self._frames.empty():
            self._image_from(connection, self._frames.get_nowait())
        sent = time.monotonic()
        state = {"method": "update", "state": {"value": self.value}, "buffer_paths": []}
        first = len(self._sent_ids)
        self._send(connection, "comm_msg", {"comm_id": self.slider, "data": state})
        # The move's time is its first frame's arrival: a frame the kernel sent in answer to this update or
        # to a draw request of the page after it (a key frame of the previous move, sent by a timer,
        # answers an earlier message). ipywidgets echoes
        # the value first and the numbers come before the frame, so once both echo and frame are in, the
        # next move starts with nothing of this one still to come.
        echoed, framed = False, None
        while not (echoed and framed):
            message = await self._next()
            if message[1] == "comm_msg" and message[2].get("data", {}).get("method") == "echo_update":
                echoed = True
            if self._image_from(connection, message) and framed is None and message[4] in self._sent_ids[first:]:
                framed = time.monotonic()
        self.slider_ms.append(1000 * (framed - sent))
        self.slider_sent.append(sent)


async def run_class(server: ClassServer, students: int, moves: int, pause: float = 0.3) -> list[Student]:
    start = asyncio.Event()
    crowd = [Student(n, server, moves, pause, source=student_address(n)) for n in range(students)]
    tasks = [asyncio.ensure_future(s.run(start)) for s in crowd]
    start.set()  # everyone at once
    await asyncio.gather(*tasks)
    return crowd


def student_address(number: int) -> str:
    """The loopback address student ``number`` connects from: ``127.0.1.<number + 1>`` (one per student).

    Linux answers the whole of 127.0.0.0/8 on loopback, so each simulated student has an address of its own
    and the server's per-address limits (``--sessions-per-address``) see a class, not one machine.
    """
    return f"127.0.{1 + number // 250}.{1 + number % 250}"


def percentile(values, q) -> float | None:
    return round(float(np.percentile(values, q)), 3) if values else None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=30, help="students at once (1 to 200; default 30)")
    parser.add_argument("--moves", type=int, default=10, help="slider moves per student (default 10)")
    parser.add_argument(
        "--pause",
        type=float,
        default=0.3,
        help="seconds a student waits after a frame before the next key press (default 0.3: keys pressed "
        "as fast as one reads the figure; 2-5 s is a student who reads the numbers too)",
    )
    parser.add_argument("--visits", type=int, default=1, help="times the class comes, one after another (default 1)")
    parser.add_argument(
        "--first-loads",
        type=int,
        default=None,
        help="the server's --first-loads (pages doing their first load at once; default: the server's, 2)",
    )
    parser.add_argument("--log", type=Path, default=None, help="write the server's log here")
    parser.add_argument(
        "--chaos",
        action="store_true",
        help="the chaos run instead (bench/classroom_chaos.py): misbehaving clients, kernel kills and a server "
        "restart during the class; writes bench/results/classroom_chaos.json",
    )
    parser.add_argument(
        "--kills", type=int, default=None, help="--chaos: kernels killed (default: a tenth of the class, at least 1)"
    )
    parser.add_argument("--seed", type=int, default=28, help="--chaos: seed of the kills' choice and timing")
    args = parser.parse_args(argv)
    if not 1 <= args.students <= 200:
        parser.error(f"--students: {args.students} is outside 1 to 200")
    if not 1 <= args.moves <= 1000:
        parser.error(f"--moves: {args.moves} is outside 1 to 1000")
    if not 0 <= args.pause <= 60:
        parser.error(f"--pause: {args.pause} is outside 0 to 60 seconds")
    if not 1 <= args.visits <= 100:
        parser.error(f"--visits: {args.visits} is outside 1 to 100")

    if args.first_loads is not None and not 0 <= args.first_loads <= 200:
        parser.error(f"--first-loads: {args.first_loads} is outside 0 to 200")
    if args.chaos:
        if args.kills is not None and not 0 <= args.kills <= args.students:
            parser.error(f"--kills: {args.kills} is outside 0 to --students ({args.students})")
        from classroom_chaos import run

        return run(args)
    extra = () if args.first_loads is None else (f"--first-loads={args.first_loads}",)
    server = ClassServer(students=args.students, log=args.log, extra=extra)
    warm_start = time.monotonic()
    server.start(timeout=60 + 15 * args.students)
    warm_s = time.monotonic() - warm_start
    pool = server.pool_size_total()
    idle_mb = server.rss_mb()
    peak = [idle_mb]
    sampling = threading.Event()

    import psutil

    cpu_seen: dict[int, float] = {}  # pid -> user + system seconds, last seen

    def cpu_snapshot():
        root = psutil.Process(server.process.pid)
        for process in [root, *root.children(recursive=True)]:
            try:
                times = process.cpu_times()
                cpu_seen[process.pid] = times.user + times.system
            except psutil.Error:
                pass

    def sample():
        while not sampling.wait(0.5):
            peak[0] = max(peak[0], server.rss_mb())
            cpu_snapshot()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        began = time.monotonic()
        crowd: list[Student] = []
        after_visits_mb: list[float] = []
        settle_s = 0.0
        class_cpu: dict[int, float] = {}  # pid -> CPU seconds spent while students were on (refills excluded)
        for _visit in range(args.visits):
            cpu_snapshot()
            before = dict(cpu_seen)
            visit = asyncio.run(run_class(server, args.students, args.moves, args.pause))
            for student in visit:
                student.visit = _visit
            crowd += visit
            # The students' own cost: CPU while they were on, taken before the pool refills after them.
            cpu_snapshot()
            for pid, seconds in cpu_seen.items():
                class_cpu[pid] = class_cpu.get(pid, 0.0) + seconds - before.get(pid, 0.0)
            settle = time.monotonic()
            # Every student has left: wait until no student kernel is left (the refill back to the pool
            # size runs one kernel at a time after Voilà's fill delay and is not waited for).
            while time.monotonic() - settle < 120:
                kernels = server.kernels()
                if not [k for k in kernels if k["role"] == "student"] and len(kernels) <= pool:
                    break
                time.sleep(1)
            settle_s = max(settle_s, time.monotonic() - settle)
            # Compare like with like: memory once the pool is full again (refills run one at a time).
            refill = time.monotonic()
            while time.monotonic() - refill < 60 + 10 * pool and len(server.kernels("pool")) < pool:
                time.sleep(1)
            after_visits_mb.append(server.rss_mb())
        class_s = time.monotonic() - began
        root_pid = server.process.pid
        server_cpu = class_cpu.get(root_pid, 0.0)
        kernel_cpu = sum(v for pid, v in class_cpu.items() if pid != root_pid)
        in_class_mb = peak[0]
        kernels = server.kernels()
        first_loads = server.status().get("first_loads")
    finally:
        sampling.set()
        sampler.join()
        server.stop()
    errors = [s.error for s in crowd if s.error]
    for error in errors[:10]:
        print(error, file=sys.stderr)
    first = [s.first_figure_s for s in crowd if s.first_figure_s is not None]
    slider = [ms for s in crowd for ms in s.slider_ms]
    page = [s.page_s for s in crowd if s.page_s is not None]
    states = [s.states_s for s in crowd if s.states_s is not None]
    if page and states:
        for q in (50, 95):
            print(
                f"first figure, p{q}: page received {np.percentile(page, q):.2f} s "
                f"({crowd[0].page_kb or 0:.0f} kB), widget states {np.percentile(states, q):.2f} s, "
                f"figures {np.percentile(first, q):.2f} s"
            )
    last_arrival: dict[int, float] = {}  # per visit: when the last student got a first figure
    for s in crowd:
        if s.first_figure_at is not None:
            last_arrival[s.visit] = max(last_arrival.get(s.visit, 0.0), s.first_figure_at)
    if last_arrival and slider:
        # Moves made while a classmate was still waiting for a first figure compete with page loads.
        timed = [
            (ms, at < last_arrival[s.visit]) for s in crowd for ms, at in zip(s.slider_ms, s.slider_sent, strict=True)
        ]
        during = [ms for ms, early in timed if early]
        after = [ms for ms, early in timed if not early]
        for label, values in (("while others were still arriving", during), ("after everyone had arrived", after)):
            if values:
                print(
                    f"slider, {len(values)} moves {label}: p50 {np.percentile(values, 50):.0f} ms, "
                    f"p95 {np.percentile(values, 95):.0f} ms"
                )
    print(f"warm-up of {pool} kernels: {warm_s:.1f} s; server + kernels idle {idle_mb:.0f} MB")
    print(
        f"class of {args.students} × {args.visits} visit(s): {class_s:.1f} s; student kernels all closed within "
        f"{settle_s:.1f} s after each visit"
    )
    print(
        f"CPU while the students were on (not the refills after they left): server {server_cpu:.1f} s, "
        f"kernels {kernel_cpu:.1f} s "
        f"= {(server_cpu + kernel_cpu) / (args.students * args.visits):.2f} CPU-s per student visit "
        f"(of {2 * class_s / (args.students * args.visits):.2f} core-s per visit available on 2 cores)"
    )
    print(f"memory per student above the warm pool: {(in_class_mb - idle_mb) / args.students:.0f} MB")
    result = {
        "students": args.students,
        "errors": len(errors),
        "first_figure_p50_s": percentile(first, 50),
        "first_figure_p95_s": percentile(first, 95),
        "slider_p50_ms": percentile(slider, 50),
        "slider_p95_ms": percentile(slider, 95),
        "server_peak_rss_mb": round(peak[0]),
        "kernels_left_after_close": max(0, len(kernels) - pool),
        "pool_size": pool,
        "warm_up_s": round(warm_s, 1),
        "idle_rss_mb": round(idle_mb),
        "server_cpu_s_per_student": round(server_cpu / (args.students * args.visits), 3),
        "kernel_cpu_s_per_student": round(kernel_cpu / (args.students * args.visits), 3),
        "visits": args.visits,
        "pause_s": args.pause,
        "memory_after_visits_mb": [round(mb) for mb in after_visits_mb],
        "memory_growth_mb": round(after_visits_mb[-1] - after_visits_mb[0]),
        "first_loads": first_loads,
    }
    save("classroom", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
