"""Who may do what on the class server: students own their kernels, the lecturer sees the class.

Everything here uses jupyter_server's and Voilà's *public* configuration (``Voila.identity_provider_class``,
``Voila.authorizer_class``, ``Voila.kernel_websocket_connection_class``, tornado settings), so it holds
with ``DPRK_PLAIN=1`` too.

Roles
-----
* **Student**: whoever gives the class code (in the join link's ``?token=`` or on the login page). Each
  browser gets its own student session: jupyter_server's signed login cookie holding a random id (the
  cookie secret is kept with the class's state, so sessions survive a restart of the same class). A
  student owns the kernels their pages open (the first request for a kernel claims it; kernel ids are
  never shown to anyone else; with the internals on the page that
  opens a kernel claims it as it is rendered), and nothing else: another student's kernel, websocket, widgets,
  page-close shutdown and page watchdog answer 403; the status API, Voilà's folder listings
  (``/voila/tree``, ``/voila/api/contents``) and ``/voila/query`` are not theirs.
* **Lecturer**: whoever gives the lecturer code, printed only in the lecturer's terminal. The lecturer
  may do everything a student may, for every kernel, and reads the status API. :class:`ClassRoles` is
  the one place that says who is who (:meth:`ClassRoles.is_lecturer`), for later pages such as a class
  board.

The door
--------
Codes are compared in constant time (:func:`hmac.compare_digest`); an address that gives
:data:`WRONG_CODES` wrong codes within :data:`WRONG_WINDOW_S` seconds is refused for
:data:`LOCKOUT_S` seconds (students already in keep their sessions, which are cookies, not codes).
Codes the lecturer chooses must pass :func:`code_weakness`.

Limits
------
A student may hold :data:`STUDENT_KERNELS` kernels (pages) at once; opening one more answers 429 with a
page that says why and when to try again (:mod:`classroom.texts`). One network address may hold
:data:`SESSIONS_PER_ADDRESS` student sessions that were used in the last :data:`SESSION_IDLE_S` seconds
(a machine cannot multiply the per-student limits by opening private windows), and each session's
requests pass a token bucket of :data:`REQUEST_BURST` requests refilled at :data:`REQUESTS_PER_S` a second
(a page's load, its static files included, fits in the burst; a flood gets 429 at once, with one log line
per flood, and does not reach Voilà). Refused requests are logged in one line each (tornado's own access
line for them is dropped, :func:`access_log`). App pages that were served but whose websocket has not come yet
count for :data:`PENDING_S` seconds; an address that served no page (a mistyped or unknown notebook) does not
count once it is answered. Kernel websockets must speak the ``v1`` protocol that browsers speak
(:class:`GuardedConnection`): Voilà's handler misreads any binary message sent on the legacy protocol
(docs/upstream/voila-legacy-websocket.md), and a malformed ``v1`` frame closes that one connection.

Facilitator's apps
------------------
An app that ``apps.toml`` gives the audience ``facilitator`` (the role-play) opens with the lecturer's code
only: a student's request whose path names it in any form (a query, a trailing slash, percent-encoding,
``/voila/tree/``, ``/notebooks/``, another extension) gets the one-line refusal page before Voilà renders
anything or starts a kernel (:meth:`ClassRoles.facilitator_page`).

The lecturer's console
----------------------
Each student event the door sees (a student joined, opened an app, left it, typed a wrong code, was
refused) is one line of the lecturer's console (:func:`classroom.console.event`), naming the student by a
number (:meth:`ClassRoles.who`); the details stay in the log file.
"""

from __future__ import annotations

import hmac
import itertools
import logging
import math
import posixpath
import re
import time
import uuid
from collections import deque
from dataclasses import dataclass
from urllib.parse import unquote

from jupyter_server.auth import Authorizer, User
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado import web
from traitlets import Unicode

from .console import event
from .texts import refused as refused_text
from .texts import who as who_text

#: The tornado setting that holds the server's :class:`ClassRoles`.
ROLES_SETTING = "classroom_roles"
#: The kernel websocket protocol browsers speak; the only one the class server accepts.
V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
#: Kernels (open app pages) one student may hold at once.
STUDENT_KERNELS = 3
#: Seconds an opened page counts against its student's limit before its websocket claims the kernel.
PENDING_S = 90.0
#: Wrong codes from one address within :data:`WRONG_WINDOW_S` seconds before it is locked out.
WRONG_CODES = 5
WRONG_WINDOW_S = 60.0
#: Seconds an address stays locked out.
LOCKOUT_S = 60.0
#: Student sessions one address may hold at once (0: no limit). An assumption: one student uses a laptop, a
#: phone and a private window or two; a campus network that puts a class behind one address (NAT) needs
#: ``--sessions-per-address 0`` or the class size.
SESSIONS_PER_ADDRESS = 10
#: Seconds without a request after which a session no longer counts against its address (the class's
#: default idle limit, ``--idle-minutes 20``: by then its pages' apps have ended too).
SESSION_IDLE_S = 1200.0
#: A session's requests: a bucket of :data:`REQUEST_BURST` refilled at :data:`REQUESTS_PER_S` per second
#: (0: no limit). An assumption with a wide margin: an app page's load makes a few dozen requests (the page,
#: its scripts and styles, its widgets' extensions, the websocket), then one every 5 s (its watchdog).
REQUESTS_PER_S = 20.0
REQUEST_BURST = 200
#: Seconds between two log lines about the same session's flood (the refusals between are counted).
FLOOD_LOG_S = 60.0
#: Most parts a ``v1`` websocket frame may announce (channel, header, parent, metadata, content, buffers).
MAX_FRAME_PARTS = 1024
#: Seconds a student is told to wait after closing a page before opening another (the page-close beacon
#: ends its kernel at once; the reaper ends a page that left without a word within ``--leave-seconds``).
PAGE_CLOSE_S = 10
LECTURER_PREFIX = "lecturer-"
KERNEL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
#: Paths only the lecturer may open (Voilà's folder listings and contents API).
LECTURER_PATHS = re.compile(r"/voila/(tree|api/contents)(/.*)?")
SHUTDOWN_PATH = re.compile(rf"/voila/api/shutdown/(?P<kernel_id>{KERNEL_ID})")
RENDER_PATH = re.compile(r"/voila/render/(?P<notebook>.+)")
#: The handler attribute that holds the app page a request opened (:class:`OpenedPage`), until it is answered.
OPENED = "classroom_opened"
#: Common words and patterns a chosen code must not be built from alone.
WEAK_PARTS = frozenset(
    "class code seminar lecture lesson course student students teacher password secret welcome hello "
    "korea dprk north south test demo voila jupyter python admin letmein qwerty abc abcdef 123 1234 "
    "12345 123456 2024 2025 2026 2027".split()
)


def code_weakness(code: str) -> str | None:
    """Why a lecturer-chosen code is too weak to serve a network, or None when it is strong enough.

    Parameters
    ----------
    code : str
        The code (letters, digits, hyphens).

    Returns
    -------
    str or None
        One phrase naming the weakness: shorter than 10 characters, no digit or no letter, built only
        from common words and numbers, or a single repeated character.
    """
    if len(code) < 10:
        return "it is shorter than 10 characters"
    if not re.search(r"\d", code) or not re.search(r"[A-Za-z]", code):
        return "it needs both letters and digits"
    if len(set(code.lower())) < 5:
        return "it repeats too few characters"
    parts = [p for p in re.split(r"[-\d]+", code.lower()) if p]
    digits = re.findall(r"\d+", code)
    if all(_common_words(p) for p in parts) and all(len(d) <= 4 for d in digits):
        return "it is made of common words and short numbers"
    return None


def _common_words(text: str) -> bool:
    """Whether ``text`` is a run of :data:`WEAK_PARTS` words (``classcode``, ``seminar``)."""
    can_end = [True] + [False] * len(text)
    for end in range(1, len(text) + 1):
        can_end[end] = any(can_end[start] and text[start:end] in WEAK_PARTS for start in range(end))
    return can_end[-1]


def same(given: str, expected: str) -> bool:
    """Constant-time comparison of a given code with the expected one (False when either is empty)."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def _stem(name: str) -> str:
    """A file name's part before its first dot, trimmed and in lower case (``08_roleplay.ipynb/`` names 08_roleplay)."""
    return name.strip().split(".", 1)[0].strip().lower()


@dataclass(eq=False)
class OpenedPage:
    """An app page a student asked for: it counts against their limit until its kernel is claimed."""

    username: str
    notebook: str
    at: float  # monotonic seconds


class ClassRoles:
    """Who owns which kernel, the per-student limits and the lockout, shared by every handler.

    Parameters
    ----------
    student_kernels : int
        Kernels one student may hold at once (0: no limit).
    wrong_codes, wrong_window_s, lockout_s : float
        The lockout: this many wrong codes from one address within the window lock it out this long.
    apps : dict, optional
        Notebook name -> how the lecturer's console names the app (``"05 (Scenario lab)"``).
    facilitator : tuple of str
        Notebook names of the facilitator's apps (the lecturer's code only, :meth:`facilitator_page`).
    """

    def __init__(
        self,
        *,
        student_kernels: int = STUDENT_KERNELS,
        wrong_codes: int = WRONG_CODES,
        wrong_window_s: float = WRONG_WINDOW_S,
        lockout_s: float = LOCKOUT_S,
        sessions_per_address: int = SESSIONS_PER_ADDRESS,
        session_idle_s: float = SESSION_IDLE_S,
        requests_per_s: float = REQUESTS_PER_S,
        request_burst: int = REQUEST_BURST,
        apps: dict[str, str] | None = None,
        facilitator: tuple[str, ...] = (),
    ):
        if requests_per_s < 0 or request_burst < 0 or sessions_per_address < 0:
            raise ValueError(
                f"requests per second {requests_per_s}, burst {request_burst}, sessions per address "
                f"{sessions_per_address}: none may be negative (0 means no limit)"
            )
        self.student_kernels = student_kernels
        self.wrong_codes, self.wrong_window_s, self.lockout_s = wrong_codes, wrong_window_s, lockout_s
        self.sessions_per_address, self.session_idle_s = sessions_per_address, session_idle_s
        self.requests_per_s, self.request_burst = requests_per_s, request_burst
        self.apps = dict(apps or {})  # notebook -> how the console names it ("05 (Scenario lab)")
        self._facilitator = frozenset(_stem(name) for name in facilitator)
        self.owners: dict[str, str] = {}  # kernel id -> student (or lecturer) id
        self.notebooks: dict[str, str] = {}  # kernel id -> the notebook its page opened
        self._numbers: dict[str, int] = {}  # student id -> the number the console calls them by
        self._pending: dict[str, deque] = {}  # student id -> OpenedPage of served pages not yet claimed
        self._wrong: dict[str, deque] = {}  # address -> times of wrong codes
        self._locked: dict[str, float] = {}  # address -> monotonic time the lockout ends
        self._seen: dict[str, tuple[str, float]] = {}  # student id -> (address, monotonic time of last request)
        self._buckets: dict[str, list[float]] = {}  # student id -> [tokens, monotonic time of last refill]
        self._flooding: dict[str, float] = {}  # student id -> monotonic time its last rate refusal was logged
        self.refused = 0
        self.rate_limited = 0
        self.clock = time.monotonic  # seconds; replaceable in tests

    # --- roles ---------------------------------------------------------------------------------------
    @staticmethod
    def is_lecturer(user) -> bool:
        """Whether a jupyter_server user is the lecturer (their id carries the lecturer's prefix)."""
        return user is not None and str(getattr(user, "username", "")).startswith(LECTURER_PREFIX)

    def owner(self, kernel_id: str) -> str | None:
        """The id of the student whose kernel this is (None: not claimed yet)."""
        return self.owners.get(kernel_id)

    def who(self, user=None, address: str = "?") -> str:
        """How the lecturer's console names ``user``: "Student 3", "The lecturer", or a visitor by address."""
        if user is None:
            return who_text("visitor", address=address)
        if self.is_lecturer(user):
            return who_text("lecturer")
        return who_text("student", number=self.number(user.username))

    def number(self, username: str) -> int:
        """The student's number on the console (1, 2, ... in order of their first event in this run)."""
        return self._numbers.setdefault(username, len(self._numbers) + 1)

    def joined(self, user) -> None:
        """A new student session: one console line."""
        number = self.number(user.username)
        event("joined", who=who_text("student", number=number), count=len(self._numbers))

    def app_name(self, notebook: str) -> str:
        """How the console names an app: its number and short title, else the notebook's name."""
        return self.apps.get(notebook) or notebook or "?"

    def facilitator_page(self, path: str) -> bool:
        """Whether a request's path names a facilitator's app, in any form a browser or a person may type it.

        Each decoding of the path (percent-encoding, up to three times over) is split at slashes and backslashes;
        a part whose name before its first dot is a facilitator's notebook's, in any case, names it.
        """
        if not self._facilitator:
            return False
        for _ in range(4):
            if any(_stem(part) in self._facilitator for part in re.split(r"[/\\]", path)):
                return True
            decoded = unquote(path)
            if decoded == path:
                return False
            path = decoded
        return True  # encoded more deeply than any browser does: not served to a student either

    def may_use(self, user, kernel_id: str, kernel_manager, *, claim: bool = False, page=None) -> bool:
        """Whether ``user`` may reach ``kernel_id``; ``claim`` makes an unclaimed live kernel theirs.

        ``page`` is the handler of the page that opened the kernel, when it is the one claiming it (its
        :class:`OpenedPage` stops counting as pending; otherwise the student's oldest pending page does).
        """
        if user is None:
            return False
        if self.is_lecturer(user):
            return True
        owner = self.owners.get(kernel_id)
        if owner is None and claim and kernel_manager is not None and kernel_id in kernel_manager:
            self.owners[kernel_id] = user.username
            pending = self._pending.get(user.username)
            opened = getattr(page, OPENED, None)
            if pending and opened not in pending:
                opened = pending[0]
            if pending and opened is not None:
                pending.remove(opened)
            self.notebooks[kernel_id] = opened.notebook if opened is not None else ""
            event("opened", who=self.who(user), app=self.app_name(self.notebooks[kernel_id]))
            return True
        return owner == user.username

    def sweep(self, kernel_manager) -> None:
        """Forget the kernels that ended; each student's is one "left" line on the console."""
        for kernel_id in [k for k in self.owners if k not in kernel_manager]:
            username = self.owners.pop(kernel_id)
            notebook = self.notebooks.pop(kernel_id, "")
            if not username.startswith(LECTURER_PREFIX):
                event("left", who=who_text("student", number=self.number(username)), app=self.app_name(notebook))

    def kernels_of(self, username: str, kernel_manager) -> int:
        """Live kernels a student holds (forgetting those that ended)."""
        self.sweep(kernel_manager)
        return sum(1 for owner in self.owners.values() if owner == username)

    def may_open(self, user, kernel_manager, notebook: str = ""):
        """Whether a student may open one more page of ``notebook``: None when not, else the page opened.

        The returned :class:`OpenedPage` counts against the student's limit while it is pending: until its
        kernel is claimed, for at most :data:`PENDING_S` seconds, or until :meth:`page_answered` finds that
        the request served no page (a mistyped or unknown notebook).
        """
        now = time.monotonic()
        opened = OpenedPage(str(getattr(user, "username", "")), notebook, now)
        if self.is_lecturer(user):
            return opened
        pending = self._pending.setdefault(user.username, deque())
        while pending and now - pending[0].at > PENDING_S:
            pending.popleft()
        held = self.kernels_of(user.username, kernel_manager) + len(pending)
        if self.student_kernels and held >= self.student_kernels:
            return None
        pending.append(opened)
        return opened

    def page_answered(self, opened: OpenedPage, served: bool) -> None:
        """A page request was answered: a page that was not served (an error, a redirect) stops counting."""
        pending = self._pending.get(opened.username)
        if not served and pending and opened in pending:
            pending.remove(opened)

    def pending(self, username: str) -> int:
        """Pages of a student that count as open until their kernels are claimed."""
        return len(self._pending.get(username, ()))

    # --- sessions and request rates ------------------------------------------------------------------
    def seen(self, username: str, address: str) -> None:
        """Note a request of a student session from ``address`` (it counts against that address)."""
        self._seen[username] = (address, self.clock())

    def sessions_at(self, address: str) -> tuple[int, float]:
        """Student sessions of ``address`` used within the idle window, and seconds until the oldest lapses."""
        now = self.clock()
        for username in [u for u, (_, at) in self._seen.items() if now - at > self.session_idle_s]:
            del self._seen[username]
            self._buckets.pop(username, None)
            self._flooding.pop(username, None)
        times = [at for where, at in self._seen.values() if where == address]
        return len(times), (self.session_idle_s - (now - min(times))) if times else 0.0

    def may_start_session(self, address: str) -> tuple[bool, float]:
        """Whether ``address`` may start one more student session; else the seconds until it may."""
        if not self.sessions_per_address:
            return True, 0.0
        count, wait = self.sessions_at(address)
        return count < self.sessions_per_address, wait

    def take_request(self, username: str) -> tuple[bool, float, bool]:
        """Take one request from a session's bucket.

        Returns
        -------
        tuple of (bool, float, bool)
            Whether the request may go on; if not, the seconds until one token is back and whether this
            refusal is to be logged (one line per session every :data:`FLOOD_LOG_S` seconds at most).
        """
        if not self.requests_per_s or not self.request_burst:
            return True, 0.0, False
        now = self.clock()
        tokens, last = self._buckets.get(username, (float(self.request_burst), now))
        tokens = min(float(self.request_burst), tokens + (now - last) * self.requests_per_s)
        if tokens >= 1.0:
            self._buckets[username] = [tokens - 1.0, now]
            return True, 0.0, False
        self._buckets[username] = [tokens, now]
        self.rate_limited += 1
        first = now - self._flooding.get(username, -math.inf) > FLOOD_LOG_S
        if first:
            self._flooding[username] = now
        return False, (1.0 - tokens) / self.requests_per_s, first

    # --- the door ------------------------------------------------------------------------------------
    def lockout_left(self, address: str) -> float:
        """Seconds until a locked-out address may give a code again (0 when it is not locked out)."""
        return max(0.0, self._locked.get(address, 0.0) - time.monotonic())

    def locked(self, address: str) -> bool:
        """Whether an address is locked out after too many wrong codes."""
        until = self._locked.get(address)
        if until is None:
            return False
        if time.monotonic() >= until:
            del self._locked[address]
            self._wrong.pop(address, None)
            return False
        return True

    def wrong_code(self, address: str) -> int:
        """Count a wrong code from ``address``; return how many it gave in the window (locks at the limit)."""
        now = time.monotonic()
        wrong = self._wrong.setdefault(address, deque())
        wrong.append(now)
        while wrong and now - wrong[0] > self.wrong_window_s:
            wrong.popleft()
        if len(wrong) >= self.wrong_codes:
            self._locked[address] = now + self.lockout_s
        return len(wrong)

    def summary(self) -> dict:
        """What the status API reports about the door and the owners (no ids)."""
        return {
            "students_with_kernels": len(set(self.owners.values())),
            "locked_addresses": sum(1 for a in list(self._locked) if self.locked(a)),
            "refused_requests": self.refused,
            "rate_limited_requests": self.rate_limited,
            "student_kernels_limit": self.student_kernels,
            "sessions_per_address_limit": self.sessions_per_address,
            "requests_per_s_limit": self.requests_per_s,
            "request_burst_limit": self.request_burst,
        }


def roles_of(handler) -> ClassRoles:
    """The server's :class:`ClassRoles` (a default one when the server was started without it)."""
    roles = handler.settings.get(ROLES_SETTING)
    if roles is None:
        roles = handler.settings[ROLES_SETTING] = ClassRoles()
    return roles


#: The handler attribute that marks a request the class server has logged itself (see :func:`access_log`).
LOGGED = "classroom_logged"


def refuse(handler, status: int, why: str, message: str, *, log: bool = True, user=None) -> web.Finish:
    """Answer a refused request with ``message`` and log one line; return the exception to raise.

    The answer is written here (JSON under ``/api/``, else a small page), not left to the handler's error
    page: some of Voilà's and jupyter_server's handlers cannot draw their error page before the user is
    known (a traceback in the lecturer's terminal for every refused request). The log file gets ``why``
    with the request; the lecturer's console one line naming ``user`` (a visitor by address when None)
    and ``message``.
    """
    from http.client import responses

    from .texts import page

    roles = roles_of(handler)
    roles.refused += 1
    setattr(handler, LOGGED, True)
    if log:
        handler.log.warning(
            "Classroom: refused %s %s from %s: %s (%d)", handler.request.method, handler.request.path,
            handler.request.remote_ip, why, status,
        )  # fmt: skip
        event("refused", who=roles.who(user, handler.request.remote_ip or "?"), why=message)
    handler.clear()
    handler.set_status(status, reason=message)
    handler.set_header("Cache-Control", "no-store")
    if "/api/" in handler.request.path:
        handler.set_header("Content-Type", "application/json")
        handler.write({"message": message})
    else:
        handler.set_header("Content-Type", "text/html; charset=utf-8")
        handler.write(page(responses.get(status, "Refused"), message))
    return web.Finish()


def traversal(path: str) -> bool:
    """Whether a request's raw path tries to leave its folder: a ``..`` segment or a NUL, however encoded.

    Parameters
    ----------
    path : str
        The request's path as sent (percent-encoded; decoded up to three times, for double encoding).
    """
    from urllib.parse import unquote

    for _ in range(4):
        if "\0" in path or ".." in re.split(r"[/\\]", path):
            return True
        decoded = unquote(path)
        if decoded == path:
            return False
        path = decoded
    return True


class OneLineErrors(logging.Filter):
    """Keeps tracebacks out of the server's log where they say nothing anyone can act on.

    * a request whose path tries to leave its folder (:func:`traversal`) and made one of Voilà's static
      handlers fail: tornado's "Uncaught exception" traceback is dropped, :func:`access_log` has logged the
      request in one line;
    * an error page that a handler could not draw (tornado's "Uncaught exception in write_error": some of
      Voilà's static handlers have no template settings): one line, the request was answered anyway.

    Every other error keeps its traceback. Installed on tornado's ``tornado.application`` and
    ``tornado.general`` loggers (the second logs a handler's own reason for a refusal, a second line).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Drop or shorten the records described above; let every other record through unchanged."""
        message = record.msg if isinstance(record.msg, str) else ""
        args = record.args if isinstance(record.args, tuple) else ()
        # tornado's "Uncaught exception GET /path (ip)" and its "403 GET /path (ip): reason" lines
        summary = str(args[0]) if message.startswith("Uncaught exception %s") and args else ""
        summary = str(args[1]) if message.startswith("%d %s: ") and len(args) > 1 else summary
        parts = summary.split(" ")
        if len(parts) >= 2 and traversal(parts[1].split("?", 1)[0]):
            return False
        if message == "Uncaught exception in write_error" and record.exc_info:
            error = record.exc_info[1]
            record.msg = "Classroom: an error page could not be drawn (%s: %s); the request was answered without it"
            record.args = (type(error).__name__, str(error).splitlines()[0] if str(error) else "")
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            record.exc_info = record.exc_text = None
        return True


def busy(handler, why: str, log_why: str, retry_s: float, *, log: bool = True, user=None, **values) -> web.Finish:
    """Answer 429 with a page saying what happened and when to retry; log one line; return what to raise.

    Parameters
    ----------
    handler : tornado.web.RequestHandler
    why : str
        The message's key in ``classroom/texts.toml`` (``[busy.why]``).
    log_why : str
        The reason in the lecturer's log line.
    retry_s : float
        Seconds after which the request will be answered (rounded up; the ``Retry-After`` header).
    log : bool
        Log the line (a flood logs its first refusal only), and say it on the lecturer's console.
    user : jupyter_server.auth.User, optional
        Who was refused (None: a visitor, named by address on the console).
    **values
        The message's placeholders.
    """
    from .texts import busy_message, busy_page

    roles = roles_of(handler)
    roles.refused += 1
    setattr(handler, LOGGED, True)
    seconds = max(1, math.ceil(retry_s))
    if log:
        handler.log.warning(
            "Classroom: refused %s %s from %s: %s (429, retry after %d s)", handler.request.method,
            handler.request.path, handler.request.remote_ip, log_why, seconds,
        )  # fmt: skip
        event("refused", who=roles.who(user, handler.request.remote_ip or "?"), why=busy_message(why, **values))
    handler.clear()
    handler.set_status(429)
    handler.set_header("Retry-After", str(seconds))
    handler.set_header("Cache-Control", "no-store")
    if "/api/" in handler.request.path:
        handler.set_header("Content-Type", "application/json")
        handler.write({"message": busy_message(why, **values), "retry_after_s": seconds})
    else:
        handler.set_header("Content-Type", "text/html; charset=utf-8")
        handler.write(busy_page(why, seconds, **values))
    return web.Finish()


def access_log(handler) -> None:
    """Tornado's access log line for a request, except for requests the class server logged itself.

    The class server's ``log_function`` (a public tornado setting): a refused request is logged in one
    line by :func:`refuse` or :func:`busy`, not a second time by tornado; every other request is logged as
    tornado does by default (successes at info level, client errors as warnings, server errors as errors).

    It is also where an app page's request ends: one that served no page (a mistyped or unknown notebook
    answered with a redirect or an error) no longer counts as an open app (:meth:`ClassRoles.page_answered`).
    """
    opened = getattr(handler, OPENED, None)
    if opened is not None:
        roles_of(handler).page_answered(opened, served=handler.get_status() == 200)
    if getattr(handler, LOGGED, False):
        return
    import logging

    tornado_access = logging.getLogger("tornado.access")  # tornado's documented access-log stream
    status = handler.get_status()
    if status >= 400 and traversal(handler.request.path):
        tornado_access.warning(
            "Classroom: refused %s %s from %s: a path outside the app folders (%d)", handler.request.method,
            handler.request.path, handler.request.remote_ip, status,
        )  # fmt: skip
        return
    method = tornado_access.info if status < 400 else tornado_access.warning if status < 500 else tornado_access.error
    request = handler.request
    summary = f"{request.method} {request.uri} ({request.remote_ip})"  # as tornado's own line reads
    method("%d %s %.2fms", status, summary, 1000.0 * request.request_time())


class ClassroomIdentityProvider(PasswordIdentityProvider):
    """jupyter_server's token login with two codes (class, lecturer), constant-time, with a lockout.

    Voilà's handlers for its folder listings and page-close shutdown consult no authorizer, so the path
    rules for them (lecturer only; the kernel's owner only) are applied here, where jupyter_server
    identifies every request (``JupyterHandler.prepare``), as are the per-student page limit and the
    lockout.
    """

    lecturer_token = Unicode("", help="The lecturer's code (status API, every kernel).").tag(config=True)

    def _address(self, handler) -> str:
        return handler.request.remote_ip or "?"

    def _check_code(self, handler, given: str) -> User | None:
        """The user a given code makes (lecturer or a student), None for a wrong one (counted)."""
        roles = roles_of(handler)
        address = self._address(handler)
        if roles.locked(address):
            raise busy(handler, "codes", "locked out after repeated wrong codes", roles.lockout_left(address))
        if same(given, self.lecturer_token):
            cookie_user = self.get_user_cookie(handler)
            if roles.is_lecturer(cookie_user):
                return cookie_user
            return User(LECTURER_PREFIX + uuid.uuid4().hex, "Lecturer", "Lecturer", "L", None, None)
        if same(given, self.token):
            cookie_user = self.get_user_cookie(handler)
            if cookie_user is not None:
                return cookie_user
            allowed, wait = roles.may_start_session(address)
            if not allowed:
                raise busy(
                    handler, "sessions", f"a new student session beyond {roles.sessions_per_address} for one address",
                    wait, limit=roles.sessions_per_address,
                )  # fmt: skip
            user = self.generate_anonymous_user(handler)
            roles.joined(user)
            return user
        count = roles.wrong_code(address)
        handler.log.warning(
            "Classroom: wrong class code from %s (%d of %d before a %.0f s lockout)",
            address, count, roles.wrong_codes, roles.lockout_s,
        )  # fmt: skip
        event(
            "wrong_code", who=roles.who(None, address), count=count, limit=roles.wrong_codes,
            seconds=f"{roles.lockout_s:.0f}",
        )  # fmt: skip
        return None

    async def get_user_token(self, handler):
        """The user of a request carrying a code (``?token=`` or ``Authorization: token``), or None."""
        given = self.get_token(handler)
        if not given:
            return None
        return self._check_code(handler, given)

    def get_handlers(self) -> list:
        """jupyter_server's handlers of the login, with the class-code page at ``/login`` (classroom.login_page).

        Voilà sets ``login_handler_class`` when it makes the identity provider, so the page is swapped here.
        """
        from .login_page import CLASS_CODE_LOGIN

        return [(path, CLASS_CODE_LOGIN if path == r"/login" else handler) for path, handler in super().get_handlers()]

    def process_login_form(self, handler):
        """The login page: the class code makes a student, the lecturer code the lecturer."""
        return self._check_code(handler, handler.get_argument("password", default=""))

    async def get_user(self, handler):
        """Identify the request, then apply the path rules and the per-student page limit."""
        if traversal(handler.request.path):
            raise refuse(handler, 404, "a path outside the app folders", refused_text("no_such_page"))
        user = await self._get_user(handler)
        if user is None:
            return None
        roles = roles_of(handler)
        path = handler.request.path
        if not roles.is_lecturer(user):
            roles.seen(user.username, self._address(handler))
            allowed, wait, first = roles.take_request(user.username)
            if not allowed:
                raise busy(
                    handler, "requests", "a student session over its request rate", wait, log=first, user=user,
                    rate=f"{roles.requests_per_s:g}", burst=roles.request_burst,
                )  # fmt: skip
            if roles.facilitator_page(path):
                raise refuse(
                    handler, 403, "a facilitator's app without the lecturer's code",
                    refused_text("facilitator_only"), user=user,
                )  # fmt: skip
        kernel_manager = handler.settings.get("kernel_manager")
        if LECTURER_PATHS.fullmatch(path) and not roles.is_lecturer(user):
            raise refuse(handler, 403, "folder listing is the lecturer's", refused_text("lecturer_only"), user=user)
        if (match := SHUTDOWN_PATH.fullmatch(path)) and kernel_manager is not None:
            kernel_id = match["kernel_id"]
            if kernel_id in kernel_manager and not roles.may_use(user, kernel_id, kernel_manager):
                raise refuse(handler, 403, "not the kernel's owner", refused_text("not_owner"), user=user)
        render = RENDER_PATH.fullmatch(path)
        if render and handler.request.method == "GET" and kernel_manager is not None:
            notebook = posixpath.normpath(unquote(render["notebook"])).strip("/")  # "./05_x.ipynb/": 05_x.ipynb
            opened = roles.may_open(user, kernel_manager, notebook)
            if opened is None:
                raise busy(
                    handler, "apps", f"more than {roles.student_kernels} apps open", PAGE_CLOSE_S, user=user,
                    limit=roles.student_kernels,
                )  # fmt: skip
            setattr(handler, OPENED, opened)  # answered without a page, it stops counting (access_log)
        return user


class OwnerAuthorizer(Authorizer):
    """Kernels are their owners' (and the lecturer's); contents are the lecturer's; the rest is allowed.

    jupyter_server asks it for Voilà's kernel websocket (``execute`` on ``kernels``) and for
    ``/api/kernels/<id>`` (read, or shut down). The page's own request claims its kernel when the page was
    rendered (the ``pages`` internals); otherwise (``DPRK_PLAIN=1``) the first request for a kernel does.
    """

    def is_authorized(self, handler, user, action, resource) -> bool:
        """Whether ``user`` may do ``action`` on ``resource`` in this request."""
        roles = roles_of(handler)
        if roles.is_lecturer(user):
            return True
        if resource == "contents":
            roles.refused += 1
            handler.log.warning("Classroom: refused %s from %s: contents are the lecturer's", handler.request.path,
                                handler.request.remote_ip)  # fmt: skip
            event("refused", who=roles.who(user, handler.request.remote_ip or "?"), why=refused_text("lecturer_only"))
            return False
        if resource != "kernels":
            return True
        kernel_id = getattr(handler, "kernel_id", None) or handler.path_kwargs.get("kernel_id")
        if not kernel_id and handler.path_args:
            kernel_id = handler.path_args[0]
        kernel_manager = handler.settings.get("kernel_manager")
        if kernel_id and roles.may_use(user, kernel_id, kernel_manager, claim=True):
            return True
        roles.refused += 1
        handler.log.warning(
            "Classroom: refused %s %s from %s: not the kernel's owner", handler.request.method, handler.request.path,
            handler.request.remote_ip,
        )  # fmt: skip
        event("refused", who=roles.who(user, handler.request.remote_ip or "?"), why=refused_text("not_owner"))
        return False


def v1_frame_fault(message) -> str | None:
    """What is wrong with a ``v1`` kernel websocket frame, or None when it can be decoded safely.

    Parameters
    ----------
    message : bytes or str
        A message a page sent.

    Returns
    -------
    str or None
        A short reason: not binary, too short, too many parts, or offsets outside the frame.
    """
    if not isinstance(message, bytes):
        return "a text message on the binary v1 protocol"
    if len(message) < 8:
        return "a frame shorter than its header"
    count = int.from_bytes(message[:8], "little")
    if not 2 <= count <= min(MAX_FRAME_PARTS, len(message) // 8 - 1):
        return f"a frame announcing {count} offsets"
    offsets = [int.from_bytes(message[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
    if offsets[0] < 8 * (count + 1) or any(b < a for a, b in itertools.pairwise(offsets)):
        return "offsets out of order"
    if offsets[-1] > len(message):
        return "offsets beyond the frame"
    return None


class GuardedConnection(ZMQChannelsWebsocketConnection):
    """jupyter_server's kernel websocket connection that speaks ``v1`` only and checks every frame.

    A client that does not offer the ``v1`` subprotocol is refused before the websocket opens (Voilà's
    handler would misread the kernel's binary messages on the legacy protocol and stall the server); a
    frame that cannot be decoded closes that connection, and nothing else.
    """

    async def prepare(self):
        """Refuse a client that does not speak ``v1``, then connect as jupyter_server does."""
        handler = self.websocket_handler
        offered = [p.strip() for p in handler.request.headers.get("Sec-WebSocket-Protocol", "").split(",")]
        if V1_PROTOCOL not in offered:
            raise refuse(
                handler, 400, "kernel websocket without the v1 protocol", refused_text("v1_only"),
                user=handler.current_user,
            )  # fmt: skip
        return await super().prepare()

    def handle_incoming_message(self, incoming_msg) -> None:
        """Pass a well-formed frame on; close this connection on one that cannot be decoded."""
        fault = v1_frame_fault(incoming_msg)
        if fault is None:
            return super().handle_incoming_message(incoming_msg)
        handler = self.websocket_handler
        roles_of(handler).refused += 1
        handler.log.warning("Classroom: closed the kernel websocket of %s: %s", handler.request.remote_ip, fault)
        handler.close(1007, "malformed message")
        return None


__all__ = [
    "LECTURER_PREFIX",
    "OPENED",
    "REQUESTS_PER_S",
    "REQUEST_BURST",
    "ROLES_SETTING",
    "SESSIONS_PER_ADDRESS",
    "STUDENT_KERNELS",
    "V1_PROTOCOL",
    "ClassRoles",
    "ClassroomIdentityProvider",
    "GuardedConnection",
    "OneLineErrors",
    "OpenedPage",
    "OwnerAuthorizer",
    "access_log",
    "busy",
    "code_weakness",
    "roles_of",
    "same",
    "traversal",
    "v1_frame_fault",
]
