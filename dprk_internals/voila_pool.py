"""Voilà's pool of warm kernels, following the class, and the students' kernels, ended with their page.

:func:`pooling_kernel_manager` subclasses the kernel manager class Voilà builds when
``preheat_kernel`` is on, and adds:

* **a pool that follows the class.** Each pooled notebook has a size (:attr:`PoolSettings.pool_sizes`);
  while students hold kernels of it, refills stop at ``max(spare, size - students on it)``, so that a
  class of thirty holds about thirty kernels, not sixty; when they leave it refills to its size.
  Warming runs ``warm_concurrency`` notebooks at once before the class and one at a time during it,
  so that refills do not take the cores from students moving sliders.
* **ownership.** It knows which kernels are students' (taken from the pool or started for a page),
  when each last had a websocket, which died and which are stopping.
* **the reaper** (:meth:`reap`, run every few seconds by :mod:`dprk_internals.voila_app`): a student's
  kernel that has had no websocket for ``leave_grace`` seconds (or never got one within
  ``orphan_grace``), any kernel whose process died, and any student's kernel whose memory passed
  ``kernel_memory_mb`` are shut down (the page's watchdog then says "reload"). A student's kernel is
  stopped at once (its process killed), not asked to shut itself down: it holds nothing to save (exports
  are written whole when made), and a kernel's own orderly shutdown takes about as much CPU as half of a
  student's visit, from the classmates still moving sliders.
* **a report** (:func:`summary`, :func:`kernel_state`) of every kernel's role, for the status API.

Internal names used
-------------------
* Voilà (``voila/voila_kernel_manager.py``, ``voila/app.py``): ``voila.app.voila_kernel_manager_factory``
  (the module global that :mod:`dprk_internals.voila_app` wraps), and members of the class it returns
  with ``preheat_kernel=True``: ``_pools`` (notebook -> list of warm-up tasks, each resolving to
  ``{"kernel_id", "task", "renderer"}``), ``_initialize(notebook, kernel_id)`` (starts a kernel and runs
  the notebook in it; ``content["task"]`` is the run), ``fill_if_needed(delay, notebook_name, ...)`` (the
  refill, which re-reads ``kernel_pools_config`` at each call: it is rewritten here with the class's
  target), ``get_rendered_notebook`` (takes a pool's kernel; its result's third item is the kernel id),
  ``get_pool_size``, ``default_env_variables``, ``shutdown_kernel`` and ``shutdown_all``.
* jupyter_server (``services/kernels/kernelmanager.py``): ``MappingKernelManager._kernel_connections``
  (open websockets per kernel), ``notify_connect`` / ``notify_disconnect`` (called by the websocket
  handler), and the ``env`` that ``start_kernel`` receives, where Voilà puts the page's ``SCRIPT_NAME``.
* jupyter_client: a kernel's ``provisioner.pid``, for its memory.

Why the public API is not enough
--------------------------------
Voilà's public settings (``preheat_kernel``, ``default_pool_size``, ``kernel_pools_config``,
``fill_delay``) give each notebook a fixed pool that refills to its full size after every page, all
kernels at once; nothing public tells a pool's kernels from students' or limits how many warm at once,
and jupyter_server's culler only knows idle time, not pages that left or kernels' memory. Upstream:
"Preloading kernels / enabling a pool of kernels", https://github.com/voila-dashboards/voila/issues/30
(open; the pool of https://github.com/voila-dashboards/voila/pull/936 keeps these members private);
"Add ability to specify maximum number of live kernels", https://github.com/voila-dashboards/voila/issues/617
(open); closed pages leave kernels running, https://github.com/voila-dashboards/voila/issues/1458 (open).

Fallback
--------
:func:`missing` names what the installed Voilà or jupyter_server lacks; the classroom then says so once
at start-up and runs Voilà's own kernel manager with the same public settings: each pooled app keeps a
fixed pool of its size (``kernel_pools_config``), refilled by Voilà, and idle kernels are culled by
jupyter_server (``cull_idle_timeout``). Lost: the pool following the class, gentle warming, the reaper and
the memory bound. :func:`summary` and :func:`kernel_state` then report from jupyter_server's public
kernel list. ``DPRK_PLAIN=1`` does the same.
"""

from __future__ import annotations

import asyncio
import contextvars
import time
from dataclasses import dataclass, field
from pathlib import Path

from jupyter_core.utils import ensure_async

#: Members of Voilà's pooling kernel manager class that :func:`pooling_kernel_manager` relies on.
POOL_MEMBERS = (
    "_initialize",
    "fill_if_needed",
    "get_rendered_notebook",
    "get_pool_size",
    "kernel_pools_config",
    "default_env_variables",
    "shutdown_kernel",
    "shutdown_all",
    "notify_connect",
    "notify_disconnect",
    "_kernel_connections",
)

# True while a kernel is being started to warm the pool (set in the warming task, read in start_kernel).
_WARMING: contextvars.ContextVar[bool] = contextvars.ContextVar("dprk_pool_warming", default=False)
# True in the warm-up tasks of a refill (the class is on), False in the first fill before the class.
_REFILL: contextvars.ContextVar[bool] = contextvars.ContextVar("dprk_pool_refill", default=False)


@dataclass(frozen=True)
class PoolSettings:
    """How the pool follows the class and when a student's kernel is shut down.

    Parameters
    ----------
    pool_sizes : dict
        Warm kernels per notebook (path relative to the notebooks folder).
    spare_kernels : int
        Warm kernels kept ready while a class uses a pool.
    warm_concurrency : int
        Notebooks executing for the pool at once before the class (refills run one at a time).
    warm_timeout : float
        Seconds a warming notebook may hold its place.
    leave_grace : float
        Seconds a student's kernel may be without its page's websocket.
    orphan_grace : float
        Seconds a new student's kernel may wait for its page's websocket.
    kernel_memory_mb : float
        Resident memory (MB) above which a student's kernel is shut down; 0: no bound.
    keep_while_open : tuple of str
        Notebooks whose kernels are never culled for idleness while their page is connected: the role-play's
        facilitator leaves it idle between the test round, the briefing and the rounds for longer than the
        class's idle limit.
    """

    pool_sizes: dict = field(default_factory=dict)
    spare_kernels: int = 2
    warm_concurrency: int = 2
    warm_timeout: float = 180.0
    leave_grace: float = 10.0
    orphan_grace: float = 90.0
    kernel_memory_mb: float = 0.0
    keep_while_open: tuple = ("08_roleplay.ipynb",)


def missing() -> str | None:
    """What the installed Voilà or jupyter_server lacks for :func:`pooling_kernel_manager`, or None."""
    try:
        from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
        from voila import app as voila_app
    except ImportError as error:
        return f"Voilà or jupyter_server cannot be imported ({error})"
    factory = getattr(voila_app, "voila_kernel_manager_factory", None)
    if not callable(factory):
        return "voila.app has no voila_kernel_manager_factory"
    try:
        pooled = factory(AsyncMappingKernelManager, True, 0)
    except Exception as error:  # a changed signature
        return f"voila_kernel_manager_factory(base, preheat_kernel=True, pool_size=0) failed ({error})"
    lacking = [name for name in POOL_MEMBERS if not hasattr(pooled, name)]
    if lacking:
        return f"Voilà's pooling kernel manager lacks {', '.join(lacking)}"
    return None


def pooling_kernel_manager(base: type, settings: PoolSettings) -> type:
    """Subclass Voilà's pooling kernel manager (``base``) with the class's pool, ownership and reaper.

    Parameters
    ----------
    base : type
        The class ``voila_kernel_manager_factory`` returned with ``preheat_kernel=True``.
    settings : PoolSettings

    Returns
    -------
    type
        The subclass; Voilà instantiates it as its kernel manager.
    """

    class ClassPoolKernelManager(base):
        """Voilà's kernel manager, tracking the students' kernels and sizing the refills to the class."""

        pool_settings = settings

        def _state(self) -> dict:
            # Created lazily: Voilà's __init__ fills the pools before this class's own __init__ could run.
            try:
                return self.__dprk_state
            except AttributeError:
                self.__dprk_state = {
                    "students": {},  # kernel id -> {"notebook", "since", "seen", "connected"}
                    "warming": {},  # kernel id -> notebook, started for the pool and not yet taken
                    "dead": set(),
                    "stopping": set(),
                    "slots": asyncio.Semaphore(max(1, settings.warm_concurrency)),
                    "refill_slots": asyncio.Semaphore(1),
                }
                return self.__dprk_state

        def _voila_pools(self) -> dict:
            pools = getattr(self, "_pools", None)
            if not isinstance(pools, dict):  # a later Voilà keeps its pool elsewhere
                if not getattr(self, "_dprk_warned_pools", False):
                    self._dprk_warned_pools = True
                    self.log.warning("Classroom: Voilà keeps no _pools; the status API cannot tell warm kernels")
                return {}
            return pools

        # --- pool sizing ---------------------------------------------------------------------------
        def configured_pool_size(self, notebook_name: str | None) -> int:
            """The pool size the teacher chose for a notebook (0: not pooled)."""
            return int(settings.pool_sizes.get(str(notebook_name), 0))

        def students_on(self, notebook_name: str) -> int:
            """Students holding a kernel of this notebook."""
            return sum(1 for s in self._state()["students"].values() if s["notebook"] == notebook_name)

        def pool_target(self, notebook_name: str | None) -> int:
            """Warm kernels to keep for a notebook now: its size, less what students hold, at least the spares."""
            size = self.configured_pool_size(notebook_name)
            if size <= 0:
                return 0
            return max(min(settings.spare_kernels, size), size - self.students_on(str(notebook_name)))

        def fill_if_needed(self, delay=None, notebook_name=None, extra_kernel_env_variables=None, **kwargs):
            """Refill a notebook's pool up to :meth:`pool_target` (Voilà's refill, with the target set first)."""
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
                await asyncio.wait({content["task"]}, timeout=settings.warm_timeout)
                return content

        # --- who owns which kernel ----------------------------------------------------------------
        async def start_kernel(self, *args, **kwargs):
            """Start a kernel; one started for a page (not for the pool) is a student's."""
            kernel_id = await ensure_async(super().start_kernel(*args, **kwargs))
            if not _WARMING.get():  # started by a page (the pool was empty or the app is not pooled)
                notebook = kwargs.get("path", "") or ""
                self._claim(kernel_id, notebook_from_env(kwargs.get("env", {}), notebook))
            return kernel_id

        async def get_rendered_notebook(self, notebook_name, *args, **kwargs):
            """Take a warm kernel for a page, counting its student before Voilà refills the pool."""
            taken = self._peek_pool(notebook_name)
            if taken is not None:
                self._claim(taken, notebook_name)
            result = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
            kernel_id = result[2]
            if kernel_id != taken:
                self._claim(kernel_id, notebook_name)
            return result

        def _peek_pool(self, notebook_name):
            pool = self._voila_pools().get(notebook_name, [])
            if pool and pool[0].done() and not pool[0].cancelled() and pool[0].exception() is None:
                return pool[0].result()["kernel_id"]
            return None

        def _claim(self, kernel_id: str, notebook_name: str) -> None:
            state = self._state()
            state["warming"].pop(kernel_id, None)
            now = time.monotonic()
            state["students"][kernel_id] = {"notebook": notebook_name, "since": now, "seen": now, "connected": False}

        def notify_connect(self, kernel_id):
            """Count a websocket; from a student's page's first one on, losing them means the page left."""
            super().notify_connect(kernel_id)
            student = self._state()["students"].get(kernel_id)
            if student is not None:
                student["connected"], student["seen"] = True, time.monotonic()

        def notify_disconnect(self, kernel_id):
            """Count a closed websocket, and note when a student's page was last seen."""
            super().notify_disconnect(kernel_id)
            student = self._state()["students"].get(kernel_id)
            if student is not None:
                student["seen"] = time.monotonic()

        def kernel_state(self, kernel_id: str) -> str:
            """``"alive"``, ``"gone"`` (shut down, or never known) or ``"dead"`` (died or over the bound)."""
            if kernel_id in self._state()["dead"]:
                return "dead"
            if kernel_id not in self:
                return "gone"
            return "alive"

        async def shutdown_kernel(self, kernel_id, now=False, restart=False):
            """Shut a kernel down (a student's at once) and refill its notebook's pool."""
            state = self._state()
            student = state["students"].pop(kernel_id, None)
            notebook = state["warming"].pop(kernel_id, None)
            notebook = student["notebook"] if student else notebook
            if student is not None:
                now = True  # nothing to save; an orderly shutdown costs the cores
            state["stopping"].add(kernel_id)
            try:
                return await ensure_async(super().shutdown_kernel(kernel_id, now=now, restart=restart))
            finally:
                state["stopping"].discard(kernel_id)
                if notebook and not getattr(self, "_dprk_stopping", False):
                    self.fill_if_needed(delay=None, notebook_name=notebook)

        async def cull_kernel_if_idle(self, kernel_id):
            """jupyter_server's idle cull, except for a kept app's kernel while its page is connected."""
            student = self._state()["students"].get(kernel_id)
            if (
                student is not None
                and Path(student["notebook"]).name in settings.keep_while_open
                and self._kernel_connections.get(kernel_id, 0) > 0
            ):
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_all(self, *args, **kwargs):
            """Shut every kernel down, without refilling (the server is stopping)."""
            self._dprk_stopping = True
            return await ensure_async(super().shutdown_all(*args, **kwargs))

        # --- the reaper ---------------------------------------------------------------------------
        def pooled_ids(self) -> set[str]:
            """Ids of the warm kernels waiting in the pools."""
            ids = set()
            for pool in self._voila_pools().values():
                for future in pool:
                    if future.done() and not future.cancelled() and future.exception() is None:
                        ids.add(future.result()["kernel_id"])
            return ids

        async def reap(self) -> None:
            """Shut down student kernels whose page has gone or that grew past the bound, and dead kernels."""
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
                limit = settings.kernel_memory_mb
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
                grace = settings.leave_grace if student["connected"] else settings.orphan_grace
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
            """Every kernel with its role (pool, warming, student) and the pools' sizes and readiness."""
            state = self._state()
            pooled = self.pooled_ids()
            kernels = []
            for kernel_id in self.list_kernel_ids():
                try:
                    model = self.kernel_model(kernel_id)
                except Exception:  # a kernel still starting has no model yet (no last_activity)
                    model = {"id": kernel_id, "execution_state": "starting"}
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
                        "connections": model.get("connections", 0),
                        "execution_state": model.get("execution_state"),
                    }
                )
            sizes = {name: size for name, size in settings.pool_sizes.items() if size > 0}
            pools = self._voila_pools()
            return {
                "kernels": kernels,
                "pool_sizes": dict(settings.pool_sizes),
                "pool": {name: self.get_pool_size(name) for name in sizes},
                "pool_ready": {
                    name: sum(1 for f in pools.get(name, []) if f.done() and not f.cancelled()) for name in sizes
                },
                "students": len(state["students"]),
            }

    return ClassPoolKernelManager


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


def summary(kernel_manager, pool_sizes: dict) -> dict:
    """The status report: the pool's own (:func:`pooling_kernel_manager`), or one from public APIs.

    Parameters
    ----------
    kernel_manager : MappingKernelManager
        The server's kernel manager.
    pool_sizes : dict
        Warm kernels per notebook, as configured.

    Returns
    -------
    dict
        ``kernels`` (each with ``id``, ``role``, ``notebook``, ``connections``, ``execution_state``),
        ``pool_sizes``, ``pool``, ``pool_ready`` and ``students``. Without the pool's bookkeeping (Voilà's
        own kernel manager) roles and notebooks are None, and so are ``pool``, ``pool_ready`` and
        ``students``: jupyter_server's public kernel list does not say which kernels are warm.
    """
    if isinstance(getattr(kernel_manager, "pool_settings", None), PoolSettings):
        return kernel_manager.summary()
    kernels = [
        {
            "id": model["id"],
            "role": None,
            "notebook": None,
            "connections": model.get("connections", 0),
            "execution_state": model.get("execution_state"),
        }
        for model in kernel_manager.list_kernels()
    ]
    return {"kernels": kernels, "pool_sizes": dict(pool_sizes), "pool": None, "pool_ready": None, "students": None}


async def kernel_state(kernel_manager, kernel_id: str) -> str:
    """``"alive"``, ``"gone"`` or ``"dead"``: the pool's own account, or jupyter_server's public one.

    Parameters
    ----------
    kernel_manager : MappingKernelManager
    kernel_id : str

    Returns
    -------
    str
        Without the pool's bookkeeping a kernel is ``"gone"`` when the manager no longer has it and
        ``"dead"`` when its process is not alive.
    """
    if isinstance(getattr(kernel_manager, "pool_settings", None), PoolSettings):
        return kernel_manager.kernel_state(kernel_id)
    if kernel_id not in kernel_manager:
        return "gone"
    try:
        alive = await ensure_async(kernel_manager.get_kernel(kernel_id).is_alive())
    except KeyError:  # shut down while we looked
        return "gone"
    return "alive" if alive else "dead"


__all__ = [
    "POOL_MEMBERS",
    "PoolSettings",
    "kernel_memory_mb",
    "kernel_state",
    "missing",
    "notebook_from_env",
    "pooling_kernel_manager",
    "summary",
]
