"""The classroom server: Voilà serving every notebook as an app, to a class.

Voilà serves every notebook as a code-free app, with a landing page, a class code, a pool of warm
kernels per chosen app, and kernels that end when their page does. This module holds what the class
server adds through public APIs: the landing page, the status API at ``/classroom/api/status`` (every
kernel, the pools, the first loads) and ``/classroom/api/kernel/<id>`` for the page's watchdog, and the
:class:`~dprk_internals.voila_app.ServerPlan` that :func:`dprk_internals.voila_app.launch` serves.

Everything that reaches into Voilà's or jupyter_server's internals is in :mod:`dprk_internals`:

* :mod:`dprk_internals.voila_pool`: the pool follows the class (refills stop at what the class still
  needs, warming runs a few notebooks at a time), and the reaper shuts down the kernels of pages that
  left without a word, kernels that died and kernels past the memory bound;
* :mod:`dprk_internals.voila_app`: the landing page at ``/``, and every page sets the ``_xsrf`` cookie
  that its page-close shutdown needs (voila-dashboards/voila issue 1458), so the kernel ends with its page;
* :mod:`dprk_internals.voila_websocket`: first loads take turns (:mod:`.admission`).

With ``DPRK_PLAIN=1``, or when the installed Voilà lacks what a feature needs, Voilà's own application
serves the same public configuration (a fixed pool per pooled app, idle culling, the class code, the
classroom template) and the same two APIs, and the server says at start-up, in one line, what is off.
"""

from __future__ import annotations

import html
import json
import logging
import os
import re
from pathlib import Path

import tornado.web
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado.ioloop import PeriodicCallback

from dprk_internals import voila_pool
from dprk_internals.voila_app import TURNS_SETTING, ServerPlan

from . import handin_api
from .admission import FirstLoads
from .catalogue import App
from .console import Console, route
from .handins import HandinStore
from .security import (
    REQUEST_BURST,
    REQUESTS_PER_S,
    ROLES_SETTING,
    SESSIONS_PER_ADDRESS,
    STUDENT_KERNELS,
    ClassRoles,
    OneLineErrors,
    access_log,
    refuse,
    roles_of,
)
from .texts import refused
from .watchdog import Watchdog

#: The tornado setting that holds the server's :class:`~classroom.watchdog.Watchdog`.
WATCHDOG_SETTING = "classroom_watchdog"

#: Seconds between the reaper's checks of the students' kernels.
CHECK_INTERVAL_S = 3.0
KERNEL_ID = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"


def _joined(*parts: str) -> str:
    """URL path parts joined with one slash between them: ``_joined("/base/", "voila/render")``."""
    inner = "/".join(part.strip("/") for part in parts if part.strip("/"))
    lead = "/" if parts and parts[0].startswith("/") else ""
    trail = "/" if parts and parts[-1].endswith("/") and inner else ""
    return lead + inner + trail


class ClassroomAPIHandler(APIHandler):
    """``/classroom/api/health``, ``/classroom/api/status`` and ``/classroom/api/kernel/<id>``.

    Served as tornado's ``default_handler_class`` (a public tornado setting, passed through Voilà's
    public ``tornado_settings``): it receives every request for which Voilà has no route, answers these
    addresses and 404 for anything else. Health needs no code (it says only whether the server's loop
    turns); the status API is the lecturer's; a kernel's state is its owner's (and the lecturer's).
    """

    def initialize(self, pool_sizes: dict):
        """Keep the configured pool sizes (the status report without the pool's own bookkeeping)."""
        self.pool_sizes = pool_sizes

    def _route(self):
        prefix = re.escape(_joined(self.base_url, "classroom/api/"))
        path = self.request.path
        if re.fullmatch(prefix + "health", path):
            return self._health, ()
        if re.fullmatch(prefix + "status", path):
            return self._status, ()
        if match := re.fullmatch(prefix + "kernel/" + KERNEL_ID, path):
            return self._kernel, (match["kernel_id"],)
        if answer := handin_api.route(self, re.escape(_joined(self.base_url, "classroom/"))):
            return (lambda: answer(self)), ()  # hand-ins and the board (each checks who asks)
        return None

    def _is_api(self) -> bool:
        """Whether the address is a programming interface (``/api/…``, ``/classroom/api/…``), not a page."""
        path = self.request.path
        return any(path.startswith(_joined(self.base_url, part)) for part in ("api/", "classroom/api/", "voila/api/"))

    @allow_unauthenticated
    async def get(self, *_args):
        """Answer health, the status API or the watchdog; 404 for another API address.

        Any other address is not a page of the suite (a mistyped path, an old link): it leads to the front
        page, which asks for the class code when the visitor has not given it.
        """
        route = self._route()
        if route is None:
            if self._is_api():
                raise tornado.web.HTTPError(404)
            self.redirect(self.base_url)
            return
        method, args = route
        await method(*args)

    @allow_unauthenticated
    async def post(self, *_args):
        """Hand in (:mod:`classroom.handin_api`); 404 for any other address."""
        route = self._route()
        if route is None:
            raise tornado.web.HTTPError(404)
        method, args = route
        await method(*args)

    async def _health(self):
        """The loop's heartbeat (no code needed, nothing about the class)."""
        self.set_header("Cache-Control", "no-store")
        watchdog = self.settings.get(WATCHDOG_SETTING)
        self.finish(json.dumps(watchdog.health() if watchdog else {"ok": True, "loop_lag_ms": 0, "boot": None}))

    @tornado.web.authenticated
    async def _status(self):
        """Every kernel with its role (pool, warming, student), the pools, the first loads (lecturer only)."""
        roles = roles_of(self)
        if not roles.is_lecturer(self.current_user):
            raise refuse(
                self, 403, "the status API is the lecturer's", refused("lecturer_only"), user=self.current_user
            )
        self.set_header("Cache-Control", "no-store")
        first_loads = self.settings.get(TURNS_SETTING)
        summary = voila_pool.summary(self.kernel_manager, self.pool_sizes)
        for kernel in summary["kernels"]:
            kernel["owner"] = roles.owner(kernel["id"])
        self.finish(
            json.dumps(
                {
                    **summary,
                    "first_loads": first_loads.summary() if first_loads else None,
                    "door": roles.summary(),
                }
            )
        )

    @tornado.web.authenticated
    async def _kernel(self, kernel_id: str):
        """{"state": "alive" | "gone" | "dead", "boot": ...} for the page's watchdog (the kernel's owner only)."""
        roles = roles_of(self)
        if kernel_id in self.kernel_manager and not roles.may_use(self.current_user, kernel_id, self.kernel_manager):
            raise refuse(self, 403, "not the kernel's owner", refused("not_owner"), user=self.current_user)
        self.set_header("Cache-Control", "no-store")
        watchdog = self.settings.get(WATCHDOG_SETTING)
        state = await voila_pool.kernel_state(self.kernel_manager, kernel_id)
        self.finish(json.dumps({"state": state, "boot": watchdog.boot_id if watchdog else None}))


class LandingHandler(JupyterHandler):
    """The class's front page: the apps in teaching order, the join address and its QR code."""

    def initialize(self, page: str, lecturer_page: str | None = None):
        """Keep the rendered landing pages: the students' and the lecturer's (with the facilitator's apps)."""
        self.page, self.lecturer_page = page, lecturer_page or page

    @tornado.web.authenticated
    def get(self):
        """Serve the landing page: the facilitator's apps only to the lecturer (:meth:`ClassRoles.is_lecturer`)."""
        _ = self.xsrf_token
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.lecturer_page if ClassRoles.is_lecturer(self.current_user) else self.page)


def server_plan(
    settings: dict, argv: list[str], config: dict, *, qr_svg: str = "", console: Console | None = None
) -> ServerPlan:
    """What the class server serves, from the command line's settings (:func:`classroom.cli.serve_settings`).

    Parameters
    ----------
    settings : dict
        The validated settings.
    argv : list of str
        Voilà's command line (:func:`classroom.cli.voila_argv`).
    config : dict
        Voilà's public traitlets configuration (:func:`classroom.cli.voila_config`).
    qr_svg : str
        The join address as an SVG QR code, for the landing page (on the LAN).
    console : classroom.console.Console, optional
        The lecturer's console and the log file (:func:`classroom.console.divert`); the application's
        log records are routed to them once it is initialised.

    Returns
    -------
    ServerPlan
    """
    watchdog = Watchdog()
    apps = [App(**app) for app in settings["apps"]]
    roles = ClassRoles(
        student_kernels=int(settings.get("student_kernels", STUDENT_KERNELS)),
        sessions_per_address=int(settings.get("sessions_per_address", SESSIONS_PER_ADDRESS)),
        requests_per_s=float(settings.get("requests_per_second", REQUESTS_PER_S)),
        request_burst=int(settings.get("request_burst", REQUEST_BURST)),
        apps={app.notebook: console_name(app) for app in apps},
        facilitator=tuple(app.notebook for app in apps if app.audience == "facilitator"),
    )
    pages = {
        lecturer: landing_page(
            apps,
            base_url="/",
            join_url=settings["join_url"] if settings["lan"] else "",
            qr_svg=qr_svg,
            class_code=settings["code"],
            pool_sizes=settings["pool_sizes"],
            lecturer=lecturer,
        )
        for lecturer in (False, True)
    }
    return ServerPlan(
        argv=argv,
        config=config,
        tornado_settings={
            "default_handler_class": ClassroomAPIHandler,
            "default_handler_args": {"pool_sizes": dict(settings["pool_sizes"])},
            ROLES_SETTING: roles,
            # Refused requests are logged once, by the class server (classroom.security.access_log).
            "log_function": access_log,
            WATCHDOG_SETTING: watchdog,
            handin_api.HANDINS_SETTING: HandinStore(Path(settings["state"])),
        },
        on_start=lambda app: on_start(app, watchdog, roles, console),
        landing=(LandingHandler, {"page": pages[False], "lecturer_page": pages[True]}),
        pool=voila_pool.PoolSettings(
            pool_sizes=dict(settings["pool_sizes"]),
            leave_grace=float(settings["leave_seconds"]),
            kernel_memory_mb=float(settings["kernel_memory_mb"]),
        ),
        turns=FirstLoads(int(settings["first_loads"])),
        check_interval=CHECK_INTERVAL_S,
    )


def console_name(app: App) -> str:
    """How the lecturer's console names an app: its number and the title's first part (``05 (Scenario lab)``)."""
    return f"{app.number} ({app.title.split(':', 1)[0].strip()})"


def on_start(app, watchdog: Watchdog, roles: ClassRoles, console: Console | None) -> None:
    """Once the Voilà application is initialised: its log to the file and console, the watchdog, the sweep.

    * the application's log records go to the log file, and those for the lecturer to the console
      (:func:`classroom.console.route`);
    * tracebacks that say nothing anyone can act on are shortened (:class:`.security.OneLineErrors`);
    * the watchdog's signals, heartbeat and connection files (:class:`classroom.watchdog.Watchdog`);
    * every :data:`CHECK_INTERVAL_S` seconds the kernels that ended are forgotten, each student's one
      "left" line on the console (:meth:`.security.ClassRoles.sweep`).
    """
    if console is not None:
        route(console, app)
    for name in ("tornado.application", "tornado.general"):
        logging.getLogger(name).addFilter(OneLineErrors())
    watchdog.connection_dir = lambda: getattr(app, "connection_dir", None)
    watchdog.install_signals()
    watchdog.start()
    sweep = PeriodicCallback(lambda: roles.sweep(app.kernel_manager), 1000 * CHECK_INTERVAL_S)
    sweep.start()


def _app_rows(apps: list[App], base_url: str, pool_sizes: dict) -> str:
    """Table rows of ``apps``: the notebook's number and title as the guide names them, level, time, status."""
    esc = html.escape
    rows = []
    for app in apps:
        href = _joined(base_url, "voila/render", app.notebook)
        warm = "ready" if pool_sizes.get(app.notebook, 0) > 0 else "starts on opening (a few seconds)"
        rows.append(
            f'<tr><td class="app-number">{esc(app.number)}</td>'
            f'<td><a class="app-link" href="{esc(href)}">{esc(app.title)}</a></td>'
            f"<td>{esc(app.level_words)}</td><td>{app.minutes} min</td><td>{esc(warm)}</td></tr>"
        )
    return "".join(rows)


def facilitator_section(apps: list[App], base_url: str, pool_sizes: dict, lecturer: bool) -> str:
    """The facilitator's apps: listed for the lecturer; for a student, a note that they need the lecturer's code."""
    chosen = [app for app in apps if app.audience == "facilitator"]
    if not chosen:
        return ""
    heading = '<section class="facilitator"><h2>For the facilitator</h2>'
    if not lecturer:
        names = ", ".join(f"{html.escape(app.number)} {html.escape(app.title)}" for app in chosen)
        return (
            f"{heading}<p>{names}: run by the lecturer for the whole room, on the projector. "
            "Its link is on the lecturer's page (signed in with the lecturer's code).</p></section>"
        )
    return (
        f"{heading}<p>One copy for the room, on the projector (each page that opens it starts its own game).</p>"
        '<table id="facilitator-apps"><thead><tr><th>notebook</th><th>app</th><th>level</th><th>time</th>'
        f"<th>status</th></tr></thead><tbody>{_app_rows(chosen, base_url, pool_sizes)}</tbody></table></section>"
    )


def landing_page(
    apps: list[App],
    *,
    base_url: str,
    join_url: str,
    qr_svg: str,
    class_code: str,
    pool_sizes: dict,
    lecturer: bool = False,
) -> str:
    """The landing page's HTML (static for the server's lifetime): the students' apps, then the facilitator's.

    Parameters
    ----------
    lecturer : bool
        The lecturer's page: the facilitator's apps are listed with their links (a student's page names
        them and says they need the lecturer's code).
    """
    esc = html.escape
    students = [app for app in apps if app.audience == "students"]
    rows = [_app_rows(students, base_url, pool_sizes)]
    facilitator = facilitator_section(apps, base_url, pool_sizes, lecturer)
    join = ""
    if join_url:
        join = (
            '<section class="join"><h2>Join the class</h2>'
            f'<div class="qr">{qr_svg}</div>'
            f'<p>Open <a href="{esc(join_url)}"><code>{esc(join_url)}</code></a> on your laptop or phone '
            f"(same network as the teacher), or scan the code. Typing the address without the part after "
            f"<code>?</code> asks for the class code: <code>{esc(class_code)}</code>.</p></section>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>North Korea's lifelines — class apps</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 16px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #ddd; }}
.join {{ display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: center; margin-top: 2rem; }}
.join h2 {{ width: 100%; margin: 0; }}
.qr svg {{ width: 12rem; height: 12rem; }}
</style></head>
<body>
<h1>North Korea's lifelines: the class apps</h1>
<p>Open the app your teacher names by its notebook number (as the guide numbers them). Each opens in its own
page with its own sliders; closing the page
ends it. Reloading starts the app afresh.</p>
<table id="apps"><thead><tr><th>notebook</th><th>app</th><th>level</th><th>time</th><th>status</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody></table>
{facilitator}
{join}
</body></html>
"""


def jupyter_data_dir() -> Path:
    """Return the Jupyter data folder that holds the ``classroom`` Voilà template.

    The template is ``voila/templates/classroom``; the command line puts the folder on ``JUPYTER_PATH``.
    """
    return Path(__file__).resolve().parent / "share"


def jupyter_path_with_templates() -> str:
    """Return ``JUPYTER_PATH`` with :func:`jupyter_data_dir` first (the suite's Voilà templates)."""
    return os.pathsep.join(p for p in (str(jupyter_data_dir()), os.environ.get("JUPYTER_PATH", "")) if p)
