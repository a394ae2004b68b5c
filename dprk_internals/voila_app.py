"""Voilà's standalone application, with the classroom's pool, page handlers and first loads in turn.

:func:`launch` serves a :class:`ServerPlan`. What the plan asks of Voilà's *public* configuration (the
command line, traitlets configuration, tornado settings, the template) is always applied. Three
features go further and reach into Voilà's internals; each is on only when :func:`features` finds what
it needs and ``DPRK_PLAIN`` is not set:

``pool``
    the pool that follows the class, gentle warming, the reaper and the memory bound
    (:mod:`dprk_internals.voila_pool`);
``pages``
    the landing page at ``/`` instead of Voilà's list of notebooks, every page setting the ``_xsrf``
    cookie so that its kernel ends with it, a page-close shutdown that accepts a kernel already gone,
    and ``/voila/query/<kernel>`` closed (it needs no login and relays a page's address, class code
    included, to whoever asks; the suite's apps read their address with an anywidget instead);
``admission``
    first loads in turn (:mod:`dprk_internals.voila_websocket`).

Internal names used
-------------------
Voilà (``voila/app.py``): the application class ``voila.app.Voila`` is subclassed and three of its
undocumented methods overridden: ``init_settings`` (while it runs, the module global
``voila.app.voila_kernel_manager_factory`` is wrapped so that the pooling class it builds gets
:func:`dprk_internals.voila_pool.pooling_kernel_manager`), ``init_handlers`` (its list of routes is
rewritten: entries are recognised by their handler classes ``TornadoVoilaHandler``,
``TornadoVoilaTreeHandler``, ``VoilaShutdownKernelHandler`` and ``VoilaKernelWebsocketHandler``, all
imported into ``voila.app``; ``RequestInfoSocketHandler`` is replaced by a refusal) and
``listen`` (wrapped to start the reaper on the server's loop). The page
handler's ``prepare`` and the shutdown handler's ``post`` are overridden. The application's
``kernel_manager`` and ``log`` attributes are read.

Why the public API is not enough
--------------------------------
Voilà's standalone application has no public way to add or replace routes or handlers, or to choose its
pooling kernel manager's class. Its page sends the kernel's shutdown with the ``_xsrf`` value of a cookie
that a page rendered from the pool never receives, so the shutdown is refused with 403 and the kernel
runs on.

Upstream
--------
"Voila plugin", https://github.com/voila-dashboards/voila/issues/198; "Handler customization / hooks",
https://github.com/voila-dashboards/voila/issues/644; "can we use notebook server extension with voilà
standalone?", https://github.com/voila-dashboards/voila/issues/495 (all open); "403 POST: '_xsrf' argument
missing from POST when closing kernel", https://github.com/voila-dashboards/voila/issues/1458 (open).

Fallback
--------
A feature whose internal names are missing from the installed Voilà is left off, and :func:`launch` logs
one line naming the feature, what is missing and what serves instead. With ``DPRK_PLAIN=1`` (or when the
application itself cannot be extended) Voilà's own application serves the plan's public configuration
alone: a fixed pool per pooled app, culling of idle kernels by jupyter_server, Voilà's list of notebooks
at ``/``, and the plan's public routes (the status API and the page's watchdog, served through tornado's
public ``default_handler_class`` setting, which answers every address Voilà has no route for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import enabled, voila_pool, voila_websocket

#: The features that use Voilà's internals, and what each gives a class.
FEATURES = {
    "pool": "the pool that follows the class, gentle warming, the reaper and the kernel memory bound",
    "pages": "the landing page and kernels that end with their page",
    "admission": "first loads in turn",
}
#: What serves when a feature is off.
INSTEAD = {
    "pool": "a fixed pool per pooled app and jupyter_server's idle culling",
    "pages": "Voilà's list of notebooks at /, and idle culling for the kernels of closed pages",
    "admission": "every page loads at once",
}
#: Methods of ``voila.app.Voila`` that the extended application overrides.
APP_METHODS = ("init_settings", "init_handlers", "listen", "start")
#: Handler classes imported into ``voila.app`` that the ``pages`` feature finds in its routes.
PAGE_HANDLERS = (
    ("TornadoVoilaHandler", "prepare"),
    ("TornadoVoilaTreeHandler", "get"),
    ("VoilaShutdownKernelHandler", "post"),
)
#: The tornado setting that holds the turns for first loads (:class:`dprk_internals.voila_websocket.Turns`).
TURNS_SETTING = voila_websocket.AdmittedWebsocket.turns_setting


@dataclass
class ServerPlan:
    """What the class server serves: public configuration, and what the internals features add.

    Parameters
    ----------
    argv : list of str
        Voilà's command line (public options only).
    config : dict
        Traitlets configuration sections (public settings that a command line cannot give, such as
        ``VoilaKernelManager.kernel_pools_config``).
    tornado_settings : dict
        Public tornado settings, e.g. ``default_handler_class`` for the plan's own routes.
    landing : tuple or None
        ``(handler class, kwargs)`` served at ``/`` by the ``pages`` feature.
    pool : PoolSettings
        For the ``pool`` feature.
    turns : Turns or None
        For the ``admission`` feature.
    check_interval : float
        Seconds between the reaper's checks.
    on_start : callable or None
        Called with the application once it is initialised, before it serves (public: signals, timers).
    """

    argv: list[str]
    config: dict = field(default_factory=dict)
    tornado_settings: dict = field(default_factory=dict)
    landing: tuple | None = None
    pool: voila_pool.PoolSettings = field(default_factory=voila_pool.PoolSettings)
    turns: object | None = None
    check_interval: float = 3.0
    on_start: object | None = None


def _app_missing() -> str | None:
    try:
        from voila import app as voila_app
    except ImportError as error:
        return f"Voilà cannot be imported ({error})"
    lacking = [name for name in APP_METHODS if not callable(getattr(getattr(voila_app, "Voila", None), name, None))]
    return f"voila.app.Voila lacks {', '.join(lacking)}" if lacking else None


def _pages_missing() -> str | None:
    from voila import app as voila_app

    lacking = [
        f"{name}.{method}" if hasattr(voila_app, name) else name
        for name, method in PAGE_HANDLERS
        if not callable(getattr(getattr(voila_app, name, None), method, None))
    ]
    return f"voila.app lacks {', '.join(lacking)}" if lacking else None


def features() -> dict[str, str | None]:
    """Each internals feature, with the reason it is off (None: on).

    Returns
    -------
    dict
        ``{"pool": ..., "pages": ..., "admission": ...}``; a reason is ``"DPRK_PLAIN is set"`` or names
        what the installed Voilà lacks.
    """
    if not enabled():
        return dict.fromkeys(FEATURES, "DPRK_PLAIN is set")
    app_missing = _app_missing()
    if app_missing:
        return dict.fromkeys(FEATURES, app_missing)
    return {"pool": voila_pool.missing(), "pages": _pages_missing(), "admission": voila_websocket.missing()}


def off_lines(state: dict[str, str | None]) -> list[str]:
    """One line per reason, naming the features it turns off and what serves instead (none when all are on)."""
    by_reason: dict[str, list[str]] = {}
    for name, reason in state.items():
        if reason is not None:
            by_reason.setdefault(reason, []).append(name)
    return [
        f"Classroom: {reason}, so these are off: {'; '.join(FEATURES[n] for n in names)}. "
        f"Serving instead, on Voilà's public settings: {'; '.join(INSTEAD[n] for n in names)}."
        for reason, names in by_reason.items()
    ]


#: The page's own kernel, as Voilà's page template names it in its configuration.
KERNEL_IN_PAGE = re.compile(r'"kernelId":\s*"([0-9a-f-]{36})"')
#: The tornado setting with the class's roles (``classroom.security.ClassRoles``): who owns which kernel.
ROLES_SETTING = "classroom_roles"
#: The log record attribute of a start-up notice for the lecturer's console (``classroom.console.NOTICE``):
#: the lines saying which features are off are shown there, not only in the log file.
NOTICE = {"console": True}


def _page_handlers() -> tuple[type, type]:
    import tornado.web
    from jupyter_core.utils import ensure_async
    from voila.app import TornadoVoilaHandler, VoilaShutdownKernelHandler

    class CookiePageHandler(TornadoVoilaHandler):
        """Voilà's page handler, setting the ``_xsrf`` cookie that the page's shutdown beacon sends back."""

        _dprk_claimed = False

        async def prepare(self):
            """Set the ``_xsrf`` cookie before rendering the page."""
            await super().prepare()
            _ = self.xsrf_token  # sets the cookie (tornado does so on first access)

        def write(self, chunk):
            """Write a piece of the page; the first one naming the page's kernel makes it the student's."""
            if not self._dprk_claimed and isinstance(chunk, str | bytes):
                text = chunk.decode("utf-8", "replace") if isinstance(chunk, bytes) else chunk
                found = KERNEL_IN_PAGE.search(text)
                roles = self.settings.get(ROLES_SETTING)
                if found and roles is not None and self.current_user is not None:
                    self._dprk_claimed = True
                    roles.may_use(self.current_user, found[1], self.kernel_manager, claim=True, page=self)
            return super().write(chunk)

    class GoneIsFineShutdownHandler(VoilaShutdownKernelHandler):
        """The beacon's target: a kernel that is already gone is not an error (the reaper may have been first)."""

        @tornado.web.authenticated
        async def post(self, kernel_id):
            """Shut the page's kernel down (the page's beacon on leaving)."""
            if kernel_id in self.kernel_manager:
                await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
            self.set_status(204)
            self.finish()

    return CookiePageHandler, GoneIsFineShutdownHandler


def _closed_query_handler() -> type:
    import tornado.web
    from tornado.log import app_log

    class ClosedQueryHandler(tornado.web.RequestHandler):
        """``/voila/query/<kernel>`` refused: Voilà serves it without a login (see the module's docstring)."""

        def get(self, *_args, **_kwargs):
            """Refuse, with one line in the log."""
            app_log.warning(
                "Classroom: refused %s from %s: /voila/query is closed", self.request.path, self.request.remote_ip
            )
            raise tornado.web.HTTPError(403)

    return ClosedQueryHandler


def _extended_app(plan: ServerPlan, on: set[str]) -> type:
    """``voila.app.Voila`` with the features in ``on``."""
    from jupyter_server.utils import url_path_join
    from tornado.ioloop import PeriodicCallback
    from voila import app as voila_app

    class ClassroomVoila(voila_app.Voila):
        """Voilà with the classroom's pool, page handlers and first loads in turn (as far as ``on`` says)."""

        name = "classroom"

        def init_settings(self):
            """Set up Voilà's settings; its pooling kernel manager class gets the classroom's pool."""
            original = voila_app.voila_kernel_manager_factory
            if "pool" in on:

                def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
                    pooled = original(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
                    return voila_pool.pooling_kernel_manager(pooled, plan.pool) if preheat_kernel else pooled

                voila_app.voila_kernel_manager_factory = factory
            try:
                return super().init_settings()
            finally:
                voila_app.voila_kernel_manager_factory = original

        def init_handlers(self):
            """Voilà's routes, with the classroom's handlers in place of some of Voilà's."""
            root = url_path_join(self.server_url, "/")
            replace = {}
            if "pages" in on:
                page, shutdown = _page_handlers()
                replace[voila_app.TornadoVoilaHandler] = page
                replace[voila_app.VoilaShutdownKernelHandler] = shutdown
                query = getattr(voila_app, "RequestInfoSocketHandler", None)
                if query is not None:
                    replace[query] = _closed_query_handler()
            if "admission" in on:
                replace[voila_app.VoilaKernelWebsocketHandler] = voila_websocket.admitted_handler()
            landing = plan.landing if "pages" in on else None
            handlers = []
            for handler in super().init_handlers():
                pattern, target = handler[0], handler[1]
                if landing and pattern in (self.server_url, root) and target is voila_app.TornadoVoilaTreeHandler:
                    continue  # replaced by the landing page below
                handlers.append((pattern, replace.get(target, target), *handler[2:]))
            # Tornado picks the first match: the landing page goes before Voilà's routes.
            return ([(root, *landing)] if landing else []) + handlers

        def start(self):
            """Start the server, with the reaper of kernels without a page running on its loop."""
            if "pool" not in on:
                return super().start()
            # The reaper runs on the server's loop from its first iteration; listen() starts the loop.
            original_listen = self.listen

            def listen():
                self._dprk_reaper = PeriodicCallback(self._dprk_reap, 1000 * plan.check_interval)
                self._dprk_reaper.start()
                original_listen()

            self.listen = listen
            return super().start()

        async def _dprk_reap(self):
            try:
                await self.kernel_manager.reap()
            except Exception:
                self.log.exception("Classroom: the kernel check failed")

    return ClassroomVoila


def launch(plan: ServerPlan) -> None:
    """Serve ``plan`` until interrupted: Voilà extended by the features that are on, else Voilà itself.

    Parameters
    ----------
    plan : ServerPlan
    """
    from traitlets.config import Config
    from voila.app import Voila

    state = features()
    on = {name for name, reason in state.items() if reason is None}
    settings = dict(plan.tornado_settings)
    if "admission" in on and plan.turns is not None:
        settings[TURNS_SETTING] = plan.turns
    app_class = _extended_app(plan, on) if on else Voila
    app = app_class.instance(config=Config(plan.config), tornado_settings=settings)
    app.initialize(plan.argv)
    if plan.on_start is not None:
        plan.on_start(app)  # first: it may route the application's log (classroom.console)
    for line in off_lines(state):
        app.log.warning(line, extra=NOTICE)
    app.start()


__all__ = ["FEATURES", "INSTEAD", "TURNS_SETTING", "ServerPlan", "features", "launch", "off_lines"]
