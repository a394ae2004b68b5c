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
A student may hold :data:`STUDENT_KERNELS` kernels (pages) at once; opening one more answers 429 with one
sentence. Pages that were opened but whose websocket has not come yet count for
:data:`PENDING_S` seconds. Kernel websockets must speak the ``v1`` protocol that browsers speak
(:class:`GuardedConnection`): Voilà's handler misreads any binary message sent on the legacy protocol
(docs/upstream/voila-legacy-websocket.md), and a malformed ``v1`` frame closes that one connection.
"""

from __future__ import annotations

import hmac
import itertools
import re
import time
import uuid
from collections import deque

from jupyter_server.auth import Authorizer, User
from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection
from tornado import web
from traitlets import Unicode

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
#: Most parts a ``v1`` websocket frame may announce (channel, header, parent, metadata, content, buffers).
MAX_FRAME_PARTS = 1024
LECTURER_PREFIX = "lecturer-"
KERNEL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
#: Paths only the lecturer may open (Voilà's folder listings and contents API).
LECTURER_PATHS = re.compile(r"/voila/(tree|api/contents)(/.*)?")
SHUTDOWN_PATH = re.compile(rf"/voila/api/shutdown/(?P<kernel_id>{KERNEL_ID})")
RENDER_PATH = re.compile(r"/voila/render/.+")
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


class ClassRoles:
    """Who owns which kernel, the per-student limits and the lockout, shared by every handler.

    Parameters
    ----------
    student_kernels : int
        Kernels one student may hold at once (0: no limit).
    wrong_codes, wrong_window_s, lockout_s : float
        The lockout: this many wrong codes from one address within the window lock it out this long.
    """

    def __init__(
        self,
        *,
        student_kernels: int = STUDENT_KERNELS,
        wrong_codes: int = WRONG_CODES,
        wrong_window_s: float = WRONG_WINDOW_S,
        lockout_s: float = LOCKOUT_S,
    ):
        self.student_kernels = student_kernels
        self.wrong_codes, self.wrong_window_s, self.lockout_s = wrong_codes, wrong_window_s, lockout_s
        self.owners: dict[str, str] = {}  # kernel id -> student (or lecturer) id
        self._pending: dict[str, deque] = {}  # student id -> times of opened pages not yet claimed
        self._wrong: dict[str, deque] = {}  # address -> times of wrong codes
        self._locked: dict[str, float] = {}  # address -> monotonic time the lockout ends
        self.refused = 0

    # --- roles ---------------------------------------------------------------------------------------
    @staticmethod
    def is_lecturer(user) -> bool:
        """Whether a jupyter_server user is the lecturer (their id carries the lecturer's prefix)."""
        return user is not None and str(getattr(user, "username", "")).startswith(LECTURER_PREFIX)

    def owner(self, kernel_id: str) -> str | None:
        """The id of the student whose kernel this is (None: not claimed yet)."""
        return self.owners.get(kernel_id)

    def may_use(self, user, kernel_id: str, kernel_manager, *, claim: bool = False) -> bool:
        """Whether ``user`` may reach ``kernel_id``; ``claim`` makes an unclaimed live kernel theirs."""
        if user is None:
            return False
        if self.is_lecturer(user):
            return True
        owner = self.owners.get(kernel_id)
        if owner is None and claim and kernel_manager is not None and kernel_id in kernel_manager:
            self.owners[kernel_id] = user.username
            pending = self._pending.get(user.username)
            if pending:
                pending.popleft()
            return True
        return owner == user.username

    def kernels_of(self, username: str, kernel_manager) -> int:
        """Live kernels a student holds (forgetting those that ended)."""
        for kernel_id in [k for k in self.owners if k not in kernel_manager]:
            del self.owners[kernel_id]
        return sum(1 for owner in self.owners.values() if owner == username)

    def may_open(self, user, kernel_manager) -> bool:
        """Whether a student may open one more page; if so, count it as pending until its websocket comes."""
        if self.is_lecturer(user) or not self.student_kernels:
            return True
        now = time.monotonic()
        pending = self._pending.setdefault(user.username, deque())
        while pending and now - pending[0] > PENDING_S:
            pending.popleft()
        if self.kernels_of(user.username, kernel_manager) + len(pending) >= self.student_kernels:
            return False
        pending.append(now)
        return True

    # --- the door ------------------------------------------------------------------------------------
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
            "student_kernels_limit": self.student_kernels,
        }


def roles_of(handler) -> ClassRoles:
    """The server's :class:`ClassRoles` (a default one when the server was started without it)."""
    roles = handler.settings.get(ROLES_SETTING)
    if roles is None:
        roles = handler.settings[ROLES_SETTING] = ClassRoles()
    return roles


def refuse(handler, status: int, why: str, message: str):
    """Log one line for a refused request and return the HTTP error that answers it with ``message``."""
    roles_of(handler).refused += 1
    handler.log.warning(
        "Classroom: refused %s %s from %s: %s", handler.request.method, handler.request.path,
        handler.request.remote_ip, why,
    )  # fmt: skip
    return web.HTTPError(status, reason=message)


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
            raise refuse(
                handler, 429, "locked out after repeated wrong codes",
                "Too many wrong codes from this address; wait a minute and try again.",
            )  # fmt: skip
        if same(given, self.lecturer_token):
            cookie_user = self.get_user_cookie(handler)
            if roles.is_lecturer(cookie_user):
                return cookie_user
            return User(LECTURER_PREFIX + uuid.uuid4().hex, "Lecturer", "Lecturer", "L", None, None)
        if same(given, self.token):
            cookie_user = self.get_user_cookie(handler)
            return cookie_user if cookie_user is not None else self.generate_anonymous_user(handler)
        count = roles.wrong_code(address)
        handler.log.warning(
            "Classroom: wrong class code from %s (%d of %d before a %.0f s lockout)",
            address, count, roles.wrong_codes, roles.lockout_s,
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
        user = await self._get_user(handler)
        if user is None:
            return None
        roles = roles_of(handler)
        path = handler.request.path
        kernel_manager = handler.settings.get("kernel_manager")
        if LECTURER_PATHS.fullmatch(path) and not roles.is_lecturer(user):
            raise refuse(handler, 403, "folder listing is the lecturer's", "This address is for the lecturer only.")
        if (match := SHUTDOWN_PATH.fullmatch(path)) and kernel_manager is not None:
            kernel_id = match["kernel_id"]
            if kernel_id in kernel_manager and not roles.may_use(user, kernel_id, kernel_manager):
                raise refuse(handler, 403, "not the kernel's owner", "This app belongs to another student.")
        if RENDER_PATH.fullmatch(path) and handler.request.method == "GET" and kernel_manager is not None:
            if not roles.may_open(user, kernel_manager):
                raise refuse(
                    handler, 429, f"more than {roles.student_kernels} apps open",
                    f"You have {roles.student_kernels} apps open already; close one of their pages and try again.",
                )  # fmt: skip
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
                handler, 400, "kernel websocket without the v1 protocol",
                "This server speaks only the v1.kernel.websocket.jupyter.org protocol.",
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
    "ROLES_SETTING",
    "STUDENT_KERNELS",
    "V1_PROTOCOL",
    "ClassRoles",
    "ClassroomIdentityProvider",
    "GuardedConnection",
    "OwnerAuthorizer",
    "code_weakness",
    "roles_of",
    "same",
    "v1_frame_fault",
]
