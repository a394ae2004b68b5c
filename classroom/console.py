"""The lecturer's console and the server's log file (issue 30).

The terminal that runs ``./suite class`` shows the start banner (:func:`classroom.cli.serve`), one plain
line per student event (joined, opened an app, left it, handed in, typed a wrong code, was refused: see
:func:`event`, worded in ``classroom/texts.toml``), and a real error in one line that says where its
details are. Everything else (Voilà's, jupyter_server's and tornado's lines, access lines, the kernels'
own output, tracebacks) goes to the log file, :data:`LOG_NAME` in the class's state folder; the previous
run's log is kept beside it as :data:`PREVIOUS_LOG_NAME`.

How
---
* :func:`divert`, after the banner: the process's standard output and error (file descriptors 1 and 2)
  are pointed at the log file, and the console keeps a copy of the terminal. Kernels are child processes
  that write to the descriptors they inherit (ipykernel's "Kernel is running over TCP without
  encryption"), and some libraries print; no logging setting reaches those, the descriptors do. The root
  logger gets two handlers: the log file's and the console's (:class:`ConsoleFilter`,
  :class:`ConsoleFormatter`).
* :func:`route`, once the application is initialised: the application's logger (``Voila``, or
  ``ClassroomVoila`` with the internals on), to which traitlets gives a handler of its own and no
  propagation, gives its records to the root logger instead. Tornado's loggers (``tornado.access``,
  ``tornado.application``, ``tornado.general``), jupyter_server's (``ServerApp`` and its modules') and the
  suite's propagate to the root logger already. Python's logging API only: handlers, a filter, a formatter.
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from .texts import console_error, console_line

#: The log file in the class's state folder, and the previous run's.
LOG_NAME = "server.log"
PREVIOUS_LOG_NAME = "server.previous.log"
#: The logger of the student events.
EVENTS_LOGGER = "classroom.events"
#: The attribute of a log record that makes it a student event (its ``[console.events]`` key).
EVENT = "classroom_event"
#: The attribute of a log record that the console shows as it is (a start-up notice, e.g. what is off).
NOTICE = "console"
#: Seconds during which the console does not repeat an error it has shown (the log file has every one).
ERROR_REPEAT_S = 60.0
#: The longest error summary the console shows (characters).
ERROR_CHARS = 240
FILE_FORMAT = "%(asctime)s %(levelname)s [%(name)s] %(message)s"

events = logging.getLogger(EVENTS_LOGGER)


def log_path(state: Path) -> Path:
    """The log file of the class whose state folder is ``state``."""
    return Path(state) / LOG_NAME


def event(key: str, **values: Any) -> None:
    """Log one student event: the console's line for ``key`` (``[console.events]`` in ``texts.toml``).

    Parameters
    ----------
    key : str
        ``joined``, ``opened``, ``left``, ``handed_in``, ``wrong_code`` or ``refused``.
    **values
        The line's placeholders (``who``, ``app``, ``count``, ...).
    """
    events.info("%s", console_line(key, **values), extra={EVENT: key})


def _summary(record: logging.LogRecord) -> str:
    """One line saying what an error record is about (its message's first line, and its exception's)."""
    try:
        message = record.getMessage()
    except Exception:  # a record whose arguments do not fit its message: its template says enough
        message = str(record.msg)
    lines = message.strip().splitlines() or [""]
    text = lines[0].removeprefix("Classroom: ").strip()
    if record.exc_info and record.exc_info[1] is not None:
        error = record.exc_info[1]
        first = (str(error).splitlines() or [""])[0]
        text = f"{text} ({type(error).__name__}{': ' + first if first else ''})"
    return text if len(text) <= ERROR_CHARS else text[: ERROR_CHARS - 1] + "…"


class ConsoleFilter(logging.Filter):
    """What the console shows: student events, start-up notices, and errors (each once a minute at most).

    Everything below ``ERROR`` that is neither an event nor a notice (access lines, kernels starting,
    warnings the lecturer cannot act on) is the log file's only.
    """

    def __init__(self, repeat_s: float = ERROR_REPEAT_S):
        super().__init__()
        self.repeat_s = repeat_s
        self._shown: dict[str, float] = {}  # error summary -> monotonic time it was last shown

    def filter(self, record: logging.LogRecord) -> bool:
        """Whether the console shows ``record``."""
        if getattr(record, EVENT, None) or getattr(record, NOTICE, False):
            return True
        if record.levelno < logging.ERROR:
            return False
        summary, now = _summary(record), time.monotonic()
        if now - self._shown.get(summary, -math.inf) < self.repeat_s:
            return False
        if len(self._shown) > 1000:  # a long class with many different errors: keep the recent ones
            self._shown = {k: t for k, t in self._shown.items() if now - t < self.repeat_s}
        self._shown[summary] = now
        return True


class ConsoleFormatter(logging.Formatter):
    """One line per record: the time, then the event's line, or the error in one line with the log's path."""

    def __init__(self, log: Path):
        super().__init__()
        self.log = str(log)

    def format(self, record: logging.LogRecord) -> str:
        """``HH:MM:SS  <line>``; never a traceback."""
        stamp = time.strftime("%H:%M:%S", time.localtime(record.created))
        if getattr(record, EVENT, None) or (getattr(record, NOTICE, False) and record.levelno < logging.ERROR):
            text = record.getMessage().removeprefix("Classroom: ")
        else:
            text = console_error(_summary(record), self.log)
        return f"{stamp}  {text}"


@dataclass
class Console:
    """The console's stream (a copy of the terminal) and the log file, with the handlers that write them."""

    out: TextIO
    log: Path
    file_handler: logging.Handler
    console_handler: logging.Handler

    def install(self) -> None:
        """Give the root logger the two handlers (again, if something removed them) and level INFO."""
        root = logging.getLogger()
        for handler in (self.file_handler, self.console_handler):
            if handler not in root.handlers:
                root.addHandler(handler)
        if root.level == logging.NOTSET or root.level > logging.INFO:
            root.setLevel(logging.INFO)


def handlers(out: TextIO, log: Path) -> tuple[logging.Handler, logging.Handler]:
    """The log file's handler (every record from INFO, with tracebacks) and the console's (filtered)."""
    file_handler = logging.FileHandler(log, mode="a", encoding="utf-8", delay=True)
    file_handler.setLevel(logging.INFO)
    file_handler.setFormatter(logging.Formatter(FILE_FORMAT))
    console_handler = logging.StreamHandler(out)
    console_handler.setLevel(logging.INFO)
    console_handler.addFilter(ConsoleFilter())
    console_handler.setFormatter(ConsoleFormatter(log))
    return file_handler, console_handler


def divert(state: Path) -> Console:
    """Send this process's output to the class's log file; return the console (a copy of the terminal).

    The previous run's log becomes :data:`PREVIOUS_LOG_NAME`. Call after the banner is printed.

    Parameters
    ----------
    state : pathlib.Path
        The class's state folder (it exists: the codes were stored there).
    """
    log = log_path(state)
    if log.exists():
        os.replace(log, log.with_name(PREVIOUS_LOG_NAME))
    sys.stdout.flush()
    sys.stderr.flush()
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", errors="replace", buffering=1)
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(descriptor, sys.stdout.fileno())
        os.dup2(descriptor, sys.stderr.fileno())
    finally:
        os.close(descriptor)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(line_buffering=True)  # whatever a library prints reaches the file in order
    file_handler, console_handler = handlers(out, log)
    console = Console(out=out, log=log, file_handler=file_handler, console_handler=console_handler)
    console.install()
    logging.getLogger("classroom").info("Classroom: the class server starts (process %d)", os.getpid())
    return console


def route(console: Console, app) -> None:
    """Hand the application's log records to the root logger's handlers (the file and the console).

    Parameters
    ----------
    console : Console
    app : traitlets.config.Application
        The Voilà application, initialised (traitlets has configured its logger).
    """
    console.install()
    level = getattr(app, "log_level", logging.INFO)
    if isinstance(level, int):  # Voilà's --debug writes its debug lines to the file too
        console.file_handler.setLevel(min(level, logging.INFO))
    app_log = app.log
    for handler in list(app_log.handlers):
        app_log.removeHandler(handler)  # traitlets' own stderr handler: the file has these records now
    app_log.propagate = True


__all__ = [
    "EVENT",
    "EVENTS_LOGGER",
    "LOG_NAME",
    "NOTICE",
    "PREVIOUS_LOG_NAME",
    "Console",
    "ConsoleFilter",
    "ConsoleFormatter",
    "divert",
    "event",
    "handlers",
    "log_path",
    "route",
]
