"""The classroom server.

Voilà serves every notebook as a code-free app, with a landing page, a class code, a pool of warm
kernels per chosen app, and kernels that end when their page does.

It is Voilà's own application with five changes:

* **Page-close shutdown works.** Voilà's page sends ``POST /voila/api/shutdown/<kernel>`` on
  ``beforeunload`` with the ``_xsrf`` value it reads from the ``_xsrf`` cookie, but Voilà never sets that
  cookie, so the request is refused (403 "'_xsrf' argument missing from POST", voila-dashboards/voila
  issue 1458) and the kernel keeps running. Here every page sets the cookie, so the XSRF check passes
  and the shutdown happens; the check itself stays on.
* **Kernels without a page are reaped.** A page that never sends its beacon (a crashed browser, a laptop
  closed, a lost network) leaves a kernel whose websocket closed. A periodic check shuts down every
  student kernel that has had no websocket for ``leave_grace`` seconds (or never got one within
  ``orphan_grace`` seconds), any kernel whose process died, and any kernel whose memory passed
  ``kernel_memory_mb`` (its page is told to reload, as for a dead kernel).
  A student's kernel is stopped at once (its process killed), not asked to shut itself down: it holds
  nothing to save (exports are written whole when made), and a kernel's own orderly shutdown cost about
  0.7 CPU-seconds (measured 2026-12-03: half of a visit's kernel work), taken from the classmates still
  moving sliders.
* **The pool follows the class.** Refills wait ``fill_delay`` seconds (Voilà's setting; 20 here) and
  run one at a time. ``pool_sizes`` gives each pooled app a number of warm kernels. When
  students take kernels the pool refills only down to what the class still needs
  (``max(spare, pool size - students on that app)``), so thirty students hold about thirty kernels, not
  sixty; when they leave it refills to its size. Warming runs ``warm_concurrency`` kernels at a time so
  that refills do not starve the students' kernels of the two cores.
* **First loads take turns.** A page's websocket passes its messages to the kernel once it has one of
  ``first_loads`` slots (2: the cores), held until its first figure is sent; classmates who are already
  in keep the cores for their sliders (:mod:`.admission`).
* **A landing page** at ``/`` lists the apps (title, level, time) in teaching order, with the join
  address and its QR code, and ``/classroom/api/...`` reports kernel states for the page's watchdog,
  the tests and the benchmark.
"""

from __future__ import annotations

import asyncio
import contextvars
import html
import json
import os
import time
from pathlib import Path

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler, JupyterHandler
from tornado.ioloop import PeriodicCallback
from traitlets import Dict, Float, Int, List, Unicode
from voila import app as voila_app
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from .admission import FIRST_LOAD_HOLD_S, FIRST_LOADS_DEFAULT, AdmittedWebsocket, FirstLoads
from .catalogue import App

# True while a kernel is being started to warm the pool (set in the warming task, read in start_kernel).
_WARMING: contextvars.ContextVar[bool] = contextvars.ContextVar("classroom_warming", default=False)
# True in the warm-up tasks of a refill (the class is on), False in the first fill before the class.
_REFILL: contextvars.ContextVar[bool] = contextvars.ContextVar("classroom_refill", default=False)


def classroom_kernel_manager(base: type) -> type:
    """Subclass Voilà's pooling kernel manager (``base``) with the classroom's bookkeeping."""

    class ClassroomKernelManager(base):
        """Voilà's kernel manager, tracking the students' kernels.

        It knows which kernels are students' (taken from the pool or started for a page) and when each
        last had a websocket, and it sizes the pool refills to the class.
        """

        def _state(self) -> dict:
            # Created lazily: Voilà's __init__ fills the pools before this class's own __init__ could run.
            try:
                return self.__classroom_state
            except AttributeError:
                self.__classroom_state = {
                    "students": {},  # kernel id -> {"notebook", "since", "seen", "connected"}
                    "warming": {},  # kernel id -> notebook, started for the pool and not yet taken
                    "dead": set(),
                    "stopping": set(),
                    "slots": asyncio.Semaphore(max(1, self.parent.warm_concurrency)),
                    "refill_slots": asyncio.Semaphore(1),
                }
                return self.__classroom_state

        # --- pool sizing ---------------------------------------------------------------------------
        def configured_pool_size(self, notebook_name: str | None) -> int:
            return int(self.parent.pool_sizes.get(str(notebook_name), 0))

        def students_on(self, notebook_name: str) -> int:
            return sum(1 for s in self._state()["students"].values() if s["notebook"] == notebook_name)

        def pool_target(self, notebook_name: str | None) -> int:
            size = self.configured_pool_size(notebook_name)
            if size <= 0:
                return 0
            return max(min(self.parent.spare_kernels, size), size - self.students_on(str(notebook_name)))

        def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
            target = self.pool_target(notebook_name)
            config = dict(self.kernel_pools_config)
            config[notebook_name] = {"pool_size": target, "kernel_env_variables": self.default_env_variables}
            self.kernel_pools_config = config
            if target > 0:
                # The warm-up tasks are created inside, and copy this context: they know they are refills.
                token = _REFILL.set(delay is None)
                try:
                    super().fill_if_needed(
                        delay=delay,
                        notebook_name=notebook_name,
                        extra_kernel_env_variables=extra_kernel_env_variables or {},
                        **kwargs,
                    )
                finally:
                    _REFILL.reset(token)

        async def _initialize(self, notebook_path, kernel_id=None, **kwargs):
            if kernel_id is not None:  # a restart of an existing kernel, not a warm-up
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            # Before the class, warm_concurrency notebooks run at once; during it, refills run one at a
            # time, so that a core stays free for the students' sliders.
            slots = self._state()["refill_slots" if _REFILL.get() else "slots"]
            async with slots:
                _WARMING.set(True)
                content = await super()._initialize(notebook_path, None, **kwargs)
                self._state()["warming"][content["kernel_id"]] = notebook_path
                # Hold the slot until the notebook has run, so that at most warm_concurrency kernels
                # are executing their notebook at once.
                await asyncio.wait({content["task"]}, timeout=self.parent.warm_timeout)
                return content

        # --- who owns which kernel ----------------------------------------------------------------
        async def start_kernel(self, *args, **kwargs):
            kernel_id = await ensure_async(super().start_kernel(*args, **kwargs))
            if not _WARMING.get():  # started by a page (the pool was empty or the app is not pooled)
                notebook = kwargs.get("path", "") or ""
                self._claim(kernel_id, notebook_from_env(kwargs.get("env", {}), notebook))
            return kernel_id

        async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
            # Claim before Voilà refills the pool, so that the refill counts this student.
            taken = self._peek_pool(notebook_name)
            if taken is not None:
                self._claim(taken, notebook_name)
            result = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
            kernel_id = result[2]
            if kernel_id != taken:
                self._claim(kernel_id, notebook_name)
            return result

        def _peek_pool(self, notebook_name):
            pool = self._pools.get(notebook_name, [])
            if pool and pool[0].done() and not pool[0].cancelled() and pool[0].exception() is None:
                return pool[0].result()["kernel_id"]
            return None

        def _claim(self, kernel_id: str, notebook_name: str) -> None:
            state = self._state()
            state["warming"].pop(kernel_id, None)
            now = time.monotonic()
            state["students"][kernel_id] = {"notebook": notebook_name, "since": now, "seen": now, "connected": False}

        def notify_connect(self, kernel_id):
            super().notify_connect(kernel_id)
            student = self._state()["students"].get(kernel_id)
            if student is not None:  # a page's websocket: from now on, losing it means the page left
                student["connected"], student["seen"] = True, time.monotonic()

        def notify_disconnect(self, kernel_id):
            super().notify_disconnect(kernel_id)
            student = self._state()["students"].get(kernel_id)
            if student is not None:
                student["seen"] = time.monotonic()

        def kernel_state(self, kernel_id: str) -> str:
            if kernel_id in self._state()["dead"]:
                return "dead"
            if kernel_id not in self:
                return "gone"
            return "alive"

        async def shutdown_kernel(self, kernel_id, now=False, restart=False):
            state = self._state()
            student = state["students"].pop(kernel_id, None)
            notebook = state["warming"].pop(kernel_id, None)
            notebook = student["notebook"] if student else notebook
            if student is not None:
                now = True  # nothing to save; an orderly shutdown costs the cores ~0.7 s
            state["stopping"].add(kernel_id)
            try:
                return await ensure_async(super().shutdown_kernel(kernel_id, now=now, restart=restart))
            finally:
                state["stopping"].discard(kernel_id)
                if notebook and not getattr(self, "_classroom_stopping", False):
                    self.fill_if_needed(delay=None, notebook_name=notebook)

        async def shutdown_all(self, *args, **kwargs):
            self._classroom_stopping = True
            return await ensure_async(super().shutdown_all(*args, **kwargs))

        async def cull_kernel_if_idle(self, kernel_id):
            # The facilitator's app (the role-play) is never culled while its page is open: a seminar leaves it
            # idle between the test round, the briefing and the rounds for longer than the class's idle limit.
            student = self._state()["students"].get(kernel_id)
            if (
                student is not None
                and student["notebook"] in self.parent.keep_while_open
                and self._kernel_connections.get(kernel_id, 0) > 0
            ):
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        # --- the reaper ---------------------------------------------------------------------------
        def pooled_ids(self) -> set[str]:
            ids = set()
            for pool in self._pools.values():
                for future in pool:
                    if future.done() and not future.cancelled() and future.exception() is None:
                        ids.add(future.result()["kernel_id"])
            return ids

        async def reap(self) -> None:
            """Shut down student kernels whose page has gone and kernels whose process died."""
            state = self._state()
            now = time.monotonic()
            for kernel_id in list(self.list_kernel_ids()):
                if kernel_id in state["stopping"]:
                    continue
                try:
                    alive = await ensure_async(self.get_kernel(kernel_id).is_alive())
                except Exception:  # the kernel vanished while we looked
                    continue
                if not alive:
                    self.log.warning(
                        "Classroom: kernel %s died; shutting it down (its page is told to reload)", kernel_id
                    )
                    state["dead"].add(kernel_id)
                    await self._quietly_shutdown(kernel_id)
                    continue
                student = state["students"].get(kernel_id)
                if student is None:
                    continue
                # Students' kernels only: a warm kernel over the bound would be warmed and shut down in a loop.
                limit = self.parent.kernel_memory_mb
                if limit > 0 and (used := kernel_memory_mb(self.get_kernel(kernel_id))) > limit:
                    self.log.warning(
                        "Classroom: kernel %s uses %.0f MB, above the bound of %.0f MB; shutting it down "
                        "(its page is told to reload)",
                        kernel_id,
                        used,
                        limit,
                    )
                    state["dead"].add(kernel_id)
                    await self._quietly_shutdown(kernel_id)
                    continue
                if self._kernel_connections.get(kernel_id, 0) > 0:
                    student["seen"], student["connected"] = now, True
                    continue
                grace = self.parent.leave_grace if student["connected"] else self.parent.orphan_grace
                if now - student["seen"] > grace:
                    self.log.info("Classroom: kernel %s has had no page for %.0f s; shutting it down", kernel_id, grace)
                    await self._quietly_shutdown(kernel_id)
            if len(state["dead"]) > 10_000:
                state["dead"].clear()

        async def _quietly_shutdown(self, kernel_id: str) -> None:
            try:
                await ensure_async(self.shutdown_kernel(kernel_id, now=True))
            except Exception as error:  # already gone
                self.log.debug("Classroom: shutting down %s: %s", kernel_id, error)

        def summary(self) -> dict:
            state = self._state()
            pooled = self.pooled_ids()
            kernels = []
            for kernel_id in self.list_kernel_ids():
                if kernel_id in pooled:
                    role = "pool"
                elif kernel_id in state["students"]:
                    role = "student"
                else:
                    role = "warming"
                kernels.append(
                    {
                        "id": kernel_id,
                        "role": role,
                        "notebook": state["students"].get(kernel_id, {}).get("notebook")
                        or state["warming"].get(kernel_id),
                        "connections": self._kernel_connections.get(kernel_id, 0),
                    }
                )
            pools = {name: self.get_pool_size(name) for name, size in self.parent.pool_sizes.items() if size > 0}
            ready = {
                name: sum(1 for f in self._pools.get(name, []) if f.done() and not f.cancelled()) for name in pools
            }
            return {
                "kernels": kernels,
                "pool_sizes": dict(self.parent.pool_sizes),
                "pool": pools,
                "pool_ready": ready,
                "students": len(state["students"]),
            }

    return ClassroomKernelManager


def kernel_memory_mb(kernel) -> float:
    """Resident memory of a kernel's process in MB (0 when it cannot be read, e.g. a remote kernel)."""
    import psutil

    pid = getattr(getattr(kernel, "provisioner", None), "pid", None)
    if not pid:
        return 0.0
    try:
        return psutil.Process(pid).memory_info().rss / 2**20
    except psutil.Error:
        return 0.0


def notebook_from_env(env: dict, cwd: str) -> str:
    """The notebook a page-started kernel serves, from the SCRIPT_NAME Voilà passes (``/voila/render/x``)."""
    script = env.get("SCRIPT_NAME", "") if isinstance(env, dict) else ""
    marker = "/voila/render/"
    return script.split(marker, 1)[1] if marker in script else cwd


class ClassroomRenderHandler(TornadoVoilaHandler):
    """Voilà's page handler, setting the ``_xsrf`` cookie that the page's shutdown beacon sends back."""

    async def prepare(self):
        """Set the ``_xsrf`` cookie before rendering the page."""
        await super().prepare()
        _ = self.xsrf_token  # sets the cookie (tornado does so on first access)


class ClassroomShutdownHandler(VoilaShutdownKernelHandler):
    """The beacon's target: a kernel that is already gone is not an error (the reaper may have been first)."""

    @tornado.web.authenticated
    async def post(self, kernel_id):
        """Shut the page's kernel down (the page's beacon on leaving)."""
        if kernel_id in self.kernel_manager:
            await ensure_async(self.kernel_manager.shutdown_kernel(kernel_id))
        self.set_status(204)
        self.finish()


class KernelStateHandler(APIHandler):
    """``GET /classroom/api/kernel/<id>`` -> {"state": "alive" | "gone" | "dead"} for the page's watchdog."""

    @tornado.web.authenticated
    def get(self, kernel_id):
        """Report one kernel's state (for the page's watchdog)."""
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps({"state": self.kernel_manager.kernel_state(kernel_id)}))


class ClassroomKernelWebsocketHandler(AdmittedWebsocket, VoilaKernelWebsocketHandler):
    """Voilà's kernel websocket, admitted to its first load a few pages at a time (see :mod:`.admission`)."""


class StatusHandler(APIHandler):
    """``GET /classroom/api/status``: every kernel with its role (pool, warming, student), the pools."""

    @tornado.web.authenticated
    def get(self):
        """Report every kernel with its role and the pools."""
        self.set_header("Cache-Control", "no-store")
        first_loads = self.settings.get("classroom_first_loads")
        summary = {**self.kernel_manager.summary(), "first_loads": first_loads.summary() if first_loads else None}
        self.finish(json.dumps(summary))


class LandingHandler(JupyterHandler):
    """The class's front page: the apps in teaching order, the join address and its QR code."""

    def initialize(self, page: str):
        """Keep the rendered landing page."""
        self.page = page

    @tornado.web.authenticated
    def get(self):
        """Serve the landing page."""
        _ = self.xsrf_token
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(self.page)


class ClassroomApp(voila_app.Voila):
    """Voilà with the classroom's pool, reaper, landing page and fixed page-close shutdown."""

    name = "classroom"
    pool_sizes = Dict(config=True, help="Warm kernels per notebook (path relative to the notebooks folder).")
    spare_kernels = Int(2, config=True, help="Warm kernels kept ready while a class uses its pool.")
    warm_concurrency = Int(2, config=True, help="Kernels executing their notebook for the pool at once.")
    warm_timeout = Float(180.0, config=True, help="Seconds a warming notebook may hold a slot.")
    leave_grace = Float(10.0, config=True, help="Seconds a student kernel may be without a page.")
    orphan_grace = Float(90.0, config=True, help="Seconds a new student kernel may wait for its page.")
    check_interval = Float(3.0, config=True, help="Seconds between checks for kernels without a page.")
    kernel_memory_mb = Float(
        0.0,
        config=True,
        help="A kernel using more memory (resident, MB) is shut down and its page told to reload; 0: no bound.",
    )
    first_loads = Int(
        FIRST_LOADS_DEFAULT,
        config=True,
        help="Pages doing their first load (widget states, first figure) at once; 0: no limit.",
    )
    first_load_hold = Float(
        FIRST_LOAD_HOLD_S, config=True, help="Seconds a page may hold its first-load slot without a figure."
    )
    keep_while_open = List(
        ["08_roleplay.ipynb"], config=True, help="Apps never culled for idleness while their page is open."
    )
    landing_apps = List(config=True, help="The apps of the landing page (dicts of catalogue.App).")
    join_url = Unicode("", config=True, help="The address students open (with the class code).")
    join_qr_svg = Unicode("", config=True, help="The join address as an SVG QR code.")
    class_code = Unicode("", config=True, help="The class code, shown on the landing page.")

    def init_settings(self):
        """Set up Voilà's settings with the classroom kernel manager."""
        original = voila_app.voila_kernel_manager_factory

        def factory(base_class, preheat_kernel, default_pool_size, page_config_hook=None):
            pooled = original(base_class, preheat_kernel, default_pool_size, page_config_hook=page_config_hook)
            return classroom_kernel_manager(pooled)

        voila_app.voila_kernel_manager_factory = factory
        self.tornado_settings = {
            **self.tornado_settings,
            "classroom_first_loads": FirstLoads(self.first_loads, self.first_load_hold),
        }
        try:
            return super().init_settings()
        finally:
            voila_app.voila_kernel_manager_factory = original

    def init_handlers(self):
        """Add the classroom's handlers (landing page, status API, shutdown) to Voilà's."""
        handlers = []
        root = voila_app.url_path_join(self.server_url, "/")
        for handler in super().init_handlers():
            pattern, target = handler[0], handler[1]
            if target is VoilaShutdownKernelHandler:
                handler = (pattern, ClassroomShutdownHandler, *handler[2:])
            elif target is TornadoVoilaHandler:
                handler = (pattern, ClassroomRenderHandler, *handler[2:])
            elif target is VoilaKernelWebsocketHandler:
                handler = (pattern, ClassroomKernelWebsocketHandler, *handler[2:])
            elif pattern in (self.server_url, root) and target.__name__ == "TornadoVoilaTreeHandler":
                continue  # replaced by the landing page below
            handlers.append(handler)
        page = landing_page(
            [App(**app) for app in self.landing_apps],
            base_url=self.base_url,
            join_url=self.join_url,
            qr_svg=self.join_qr_svg,
            class_code=self.class_code,
            pool_sizes=dict(self.pool_sizes),
        )
        join = voila_app.url_path_join
        kernel = r"(?P<kernel_id>\w+-\w+-\w+-\w+-\w+)"
        extra = [
            (root, LandingHandler, {"page": page}),
            (join(self.server_url, rf"/classroom/api/kernel/{kernel}"), KernelStateHandler),
            (join(self.server_url, r"/classroom/api/status"), StatusHandler),
        ]
        # Tornado picks the first match: the classroom's routes go before Voilà's catch-alls.
        return extra + handlers

    def start(self):
        """Start the server with the reaper of kernels without a page running on its loop."""
        # The reaper runs on the server's loop from its first iteration; listen() starts the loop.
        original_listen = self.listen

        def listen():
            self._reaper = PeriodicCallback(self._reap, 1000 * self.check_interval)
            self._reaper.start()
            original_listen()

        self.listen = listen
        super().start()

    async def _reap(self):
        try:
            await self.kernel_manager.reap()
        except Exception:
            self.log.exception("Classroom: the kernel check failed")


def landing_page(
    apps: list[App], *, base_url: str, join_url: str, qr_svg: str, class_code: str, pool_sizes: dict
) -> str:
    """The landing page's HTML (static for the server's lifetime)."""
    esc = html.escape
    rows = []
    for number, app in enumerate(apps, start=1):
        href = voila_app.url_path_join(base_url, "voila/render", app.notebook)
        warm = "ready" if pool_sizes.get(app.notebook, 0) > 0 else "starts on opening (a few seconds)"
        rows.append(
            f'<tr><td>{number}</td><td><a class="app-link" href="{esc(href)}">{esc(app.title)}</a></td>'
            f"<td>{esc(app.level_words)}</td><td>{app.minutes} min</td><td>{esc(warm)}</td></tr>"
        )
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
<p>Open the app your teacher names. Each opens in its own page with its own sliders; closing the page
ends it. Reloading starts the app afresh.</p>
<table id="apps"><thead><tr><th>#</th><th>app</th><th>level</th><th>time</th><th>status</th></tr></thead>
<tbody>
{"".join(rows)}
</tbody></table>
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
