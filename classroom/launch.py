"""Start a classroom server in a subprocess on loopback and talk to its status API (tests, benchmark)."""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .console import log_path
from .state import class_folder

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")  # Debian's; `playwright install` is never used
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIRST_FIGURE_JS = (
    "() => [...document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas')].some(c => c.width > 100)"
)
#: Console warnings every page of the newest Voilà (0.5.13) logs, harmless (docs/classroom.md, "Front-end
#: versions"). Voilà's page provides JupyterLab 4.2's packages to the front-end extensions it loads, while
#: JupyterLab's extension builder stamps each prebuilt extension with "^" + the JupyterLab version it was
#: built with (4.5 for Voilà's own widget manager, 4.6 for jupyterlab_widgets 3.0.17) whatever its
#: package.json allows. No newer builds match: Voilà's own extension and page disagree in the same release.
#: Module federation then warns and uses the version the page provides; the apps work (these tests move
#: sliders and redraw figures on it). Only JupyterLab's own packages are let through: a mismatch of the
#: widget packages themselves (@jupyter-widgets/*) is not harmless and still fails a test.
HARMLESS_CONSOLE = (
    re.compile(
        r"Unsatisfied version [\d.]+ from _JUPYTERLAB\.CORE_OUTPUT of shared singleton module "
        r"@jupyterlab/[a-z-]+ \(required \^[\d.]+\)"
    ),
    re.compile(
        r"No satisfying version \(\^[\d.]+\) of shared module @jupyterlab/[a-z-]+ found in shared scope default\."
        r"\nAvailable versions: [\d.]+ from _JUPYTERLAB\.CORE_OUTPUT"
    ),
)


def watch_console(page) -> list[str]:
    """The page's console warnings and errors and its uncaught errors, collected as they come.

    Parameters
    ----------
    page : playwright.sync_api.Page

    Returns
    -------
    list of str
        Filled while the page runs: ``"warning: ..."``, ``"error: ..."``, ``"pageerror: ..."``.
    """
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text}") if m.type in ("warning", "error") else None)
    page.on("pageerror", lambda error: seen.append(f"pageerror: {error}"))
    return seen


def unexplained(console: list[str]) -> list[str]:
    """The console messages of :func:`watch_console` that :data:`HARMLESS_CONSOLE` does not explain."""
    return [
        line
        for line in console
        if not (
            line.startswith("warning: ") and any(p.fullmatch(line.removeprefix("warning: ")) for p in HARMLESS_CONSOLE)
        )
    ]


def wait_until_served(url: str, process, timeout: float, what: str, on_exit=lambda: "") -> None:
    """Wait until ``url`` answers 200, failing clearly if ``process`` exits or ``timeout`` seconds pass.

    Parameters
    ----------
    url : str
        A page that answers without side effects (a static file or an API root).
    process : subprocess.Popen
        The server being waited for.
    timeout : float
        Seconds.
    what : str
        The server's name, for the messages.
    on_exit : callable
        Returns extra text (e.g. the end of a log) when the process has exited.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert process.poll() is None, f"{what} exited during start-up {on_exit()}"
        assert time.monotonic() < deadline, f"{what} did not start within {timeout:.0f} s"
        time.sleep(0.3)


def _ephemeral_ports() -> tuple[int, int]:
    """The operating system's range for port-0 binds (Linux's file; the IANA range elsewhere)."""
    try:
        low, high = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()
        return int(low), int(high)
    except (OSError, ValueError):
        return 49152, 65535


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1, below the operating system's ephemeral range.

    Kernels bind their ZeroMQ sockets to port 0, so they take ports from the ephemeral range. A server
    that is stopped and started again on the same port (a restart) could otherwise find that port taken
    by another server's kernel in the meantime.
    """
    low = _ephemeral_ports()[0]
    choices = random.Random()
    for _ in range(200):
        port = choices.randrange(max(1024, low - 12000), low)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free TCP port below the ephemeral range on 127.0.0.1")


class ClassServer:
    """``with ClassServer(students=2) as server:`` serves the class on 127.0.0.1 until the block ends.

    ``plain=True`` starts it with ``DPRK_PLAIN=1`` (Voilà's public settings only), ``plain=False`` with the
    internals on whatever this process's environment says.

    ``log`` receives what the lecturer's terminal shows (the banner and one line per student event);
    :attr:`log_file` is the server's full log in its state folder (:mod:`classroom.console`).
    """

    def __init__(
        self,
        *,
        students: int,
        apps: str = "05_scenario_lab",
        extra: tuple[str, ...] = (),
        log: Path | None = None,
        plain: bool | None = None,
        state: Path | None = None,
        port: int | None = None,
    ):
        self.port = port or free_port()
        self.code = "test-class-code-7q4"
        self.lecturer_code = "test-lecturer-code-9x2"
        self.base = f"http://127.0.0.1:{self.port}"
        self.students = students
        self.args = [
            sys.executable,
            "-m",
            "classroom",
            "serve",
            f"--students={students}",
            f"--apps={apps}",
            f"--port={self.port}",
            f"--code={self.code}",
            f"--lecturer-code={self.lecturer_code}",
            *((f"--state={state}",) if state else ()),
            *extra,
        ]
        self.log_path = log
        self.state = Path(state) if state else class_folder(ROOT, self.port)
        # True: DPRK_PLAIN=1 (Voilà's public settings only); False: the internals on; None: as this process's.
        self.plain = plain
        self.process: subprocess.Popen | None = None

    # -- life cycle -----------------------------------------------------------------------------------
    def __enter__(self) -> ClassServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 240, *, wait_for_pool: bool = True) -> None:
        """Start the server and wait until its pool is warm (at most ``timeout`` seconds).

        ``wait_for_pool=False`` waits only until its health endpoint answers (a restart during a class,
        when students take kernels as they warm and the pool may never look full).
        """
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.plain is not None:
            env["DPRK_PLAIN"] = "1" if self.plain else ""
        if self.log_path:
            with open(self.log_path, "w") as out:  # the child keeps its own copy of the descriptor
                self.process = subprocess.Popen(self.args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
        else:
            self.process = subprocess.Popen(
                self.args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
            )
        deadline = time.monotonic() + timeout
        try:
            while True:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"the classroom server exited during start-up (status {self.process.returncode})"
                    )
                try:
                    if self.pool_ready() if wait_for_pool else self.get("/classroom/api/health", token=False)[0] == 200:
                        return
                except (OSError, http.client.HTTPException):
                    pass  # not listening yet (or, briefly, something else answers on the port)
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the classroom server did not warm its pool within {timeout:.0f} s")
                time.sleep(0.5)
        except BaseException:
            self.stop()  # a server that failed to start must not outlive its caller
            raise

    def stop(self) -> None:
        """Stop the server and its kernels."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # Voilà shuts every kernel down on SIGTERM
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def log_file(self) -> Path:
        """The server's full log (everything but the console's lines is only there), of its latest start."""
        return log_path(self.state)

    def log_text(self) -> str:
        """The full log's text so far ("" before the server wrote it)."""
        try:
            return self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""

    # -- status ---------------------------------------------------------------------------------------
    def get(
        self, path: str, *, token: bool | str = True, method: str = "GET", headers: dict | None = None
    ) -> tuple[int, bytes]:
        """One request, redirects not followed (a refusal is a 403 or a redirect to the login page).

        ``token``: True sends the class code, ``"lecturer"`` the lecturer code, False none.
        """
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            code = self.lecturer_code if token == "lecturer" else self.code
            headers = {**({"Authorization": f"token {code}"} if token else {}), **(headers or {})}
            connection.request(method, path, body=b"" if method == "POST" else None, headers=headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def status(self) -> dict:
        """Return the server's status report (kernels, pool sizes)."""
        code, body = self.get("/classroom/api/status", token="lecturer")
        if code != 200:
            raise OSError(f"status API answered {code}")
        return json.loads(body)

    def pool_ready(self) -> bool:
        """Whether every pooled app has its warm kernels.

        Voilà's own pool (``DPRK_PLAIN=1``) does not say which kernels are warm: before anyone comes,
        the pool is ready when it has all its kernels and each is idle (its notebook has run).
        """
        status = self.status()
        if status["pool_ready"] is None:
            kernels = status["kernels"]
            return len(kernels) >= sum(status["pool_sizes"].values()) and all(
                k["execution_state"] == "idle" for k in kernels
            )
        return all(status["pool_ready"].get(name, 0) >= size for name, size in status["pool_sizes"].items())

    def kernels(self, role: str | None = None) -> list[dict]:
        """Return the live kernels, optionally only those of one role."""
        return [k for k in self.status()["kernels"] if role is None or k["role"] == role]

    def pool_size_total(self) -> int:
        """Return the number of warm kernels the pool holds when full."""
        return sum(self.status()["pool_sizes"].values())

    def wait_for(self, predicate, timeout: float, what: str) -> float:
        """Poll ``predicate()`` until true; returns the seconds it took, raises AssertionError naming ``what``."""
        start = time.monotonic()
        while not predicate():
            if time.monotonic() - start > timeout:
                raise AssertionError(f"{what} did not happen within {timeout:.0f} s; kernels: {self.kernels()}")
            time.sleep(0.25)
        return time.monotonic() - start

    def rss_mb(self) -> float:
        """Resident memory of the server and every kernel it started (sum of RSS; shared pages counted twice)."""
        import psutil

        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0
        for process in processes:
            try:
                total += process.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def kernel_pid(self, kernel_id: str) -> int | None:
        """The process id of a kernel (found by its connection file's name on its command line)."""
        import psutil

        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                if any(kernel_id in part for part in child.cmdline()):
                    return child.pid
            except psutil.Error:
                continue
        return None
