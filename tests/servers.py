"""The one way the browser tests start what they drive: Chromium, Voilà, JupyterLab, Notebook 7, any server.

Every server runs on 127.0.0.1 on a free port, is waited for on a page that answers without side effects,
and is stopped (SIGTERM, then SIGKILL) when its ``with`` block ends, pass or fail. Chromium is Debian's
(``classroom.launch.CHROMIUM``, never ``playwright install``); a missing browser or server fails the test,
never skips it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from classroom.launch import CHROMIUM, CHROMIUM_ARGS, free_port, wait_until_served

ROOT = Path(__file__).resolve().parent.parent
#: Voilà's options in every test: the jupytext extension fails to load in Voilà 0.5's front end (noise only).
VOILA_OPTIONS = ("--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",)


def executable(name: str) -> str:
    """The path of ``name`` in this environment's ``bin`` folder (fails if it is not installed)."""
    found = Path(sys.executable).with_name(name)
    assert found.exists(), f"{name} is not installed in this environment"
    return str(found)


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop ``process``: SIGTERM, then SIGKILL if it has not exited after ``timeout`` seconds."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@contextlib.contextmanager
def serve(
    argv: list[str],
    ready: str,
    what: str,
    *,
    cwd: Path,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 90,
    stop_timeout: float = 15,
) -> Iterator[subprocess.Popen]:
    """Run a server until the block ends; yield its process once ``ready`` answers 200.

    Parameters
    ----------
    argv : list of str
        The command.
    ready : str
        A URL that answers 200 once the server is up, without side effects (a static file, an API root).
    what : str
        The server's name, for messages.
    cwd : pathlib.Path
        Its working folder.
    env : dict, optional
        Its environment (default: this process's).
    log : pathlib.Path, optional
        Where its output goes (default: nowhere); its end is shown if it exits during start-up.
    timeout : float
        Seconds it may take to start.
    stop_timeout : float
        Seconds it may take to stop after SIGTERM before it is killed.
    """
    with contextlib.ExitStack() as stack:
        out = stack.enter_context(open(log, "w")) if log else subprocess.DEVNULL
        process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            tail = (lambda: log.read_text(errors="replace")[-3000:]) if log else (lambda: "")
            wait_until_served(ready, process, timeout, what, tail)
            yield process
        finally:
            stop(process, stop_timeout)


@contextlib.contextmanager
def voila(notebooks: Path, *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Voilà serving the folder ``notebooks`` (``/voila/render/<name>.ipynb``); yield its address."""
    port = free_port()
    argv = [
        executable("voila"),
        str(notebooks.resolve()),  # folder mode needs an absolute path
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        *VOILA_OPTIONS,
    ]
    base = f"http://127.0.0.1:{port}"
    # voila.js is static: probing it does not start a kernel, unlike a notebook page.
    with serve(argv, f"{base}/voila/static/voila.js", "voila", cwd=cwd or notebooks, env=env):
        yield base


@contextlib.contextmanager
def jupyter(
    command: str, root: Path, *options: str, cwd: Path, env: dict[str, str] | None = None
) -> Iterator[tuple[str, str]]:
    """``jupyter lab`` or ``jupyter notebook`` on ``root`` with a fresh token; yield its address and token."""
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        executable("jupyter"),
        command,
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        *options,
    ]
    base = f"http://127.0.0.1:{port}"
    with serve(argv, f"{base}/api/status?token={token}", f"jupyter {command}", cwd=cwd, env=env):
        yield base, token


@contextlib.contextmanager
def chromium():
    """Debian's Chromium through Playwright, closed when the block ends; yield the browser."""
    assert CHROMIUM.exists(), "Chromium is missing: apt-get install -y --no-install-recommends chromium"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            if browser.is_connected():  # a test may have closed it itself
                browser.close()


def with_environment(**variables: str) -> dict[str, str]:
    """The test process's environment with ``variables`` added (for a server's ``env``)."""
    return {**os.environ, **variables}


_BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextlib.contextmanager
def cpu_hog(processes: int = 2, seconds: float = 120) -> Iterator[list[subprocess.Popen]]:
    """``processes`` busy Python processes beside the test, as a loaded machine has; killed when the block ends.

    Each stops by itself after ``seconds`` even if the block never ends (a killed test run).
    """
    started = []
    try:
        for _ in range(processes):
            started.append(subprocess.Popen([sys.executable, "-c", _BUSY.format(seconds=seconds)]))
        yield started
    finally:
        for process in started:
            process.kill()
            process.wait(timeout=10)
