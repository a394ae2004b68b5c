"""Voilà's kernel websocket, holding a page's messages until the page's turn for its first load comes.

A page's websocket is *admitted* before it passes its first message to the kernel; it holds its turn
until the kernel sends it its first figure (:func:`dprk_internals.ipywidgets_wire.ends_first_load`), until it
closes, or for at most the turns' ``hold_s`` seconds. Messages a waiting page sends are kept in order and
passed on once it is admitted. Who waits for whom is the classroom's business (``classroom.admission``):
this module only holds and releases.

Internal names used
-------------------
* Voilà: ``voila.app.VoilaKernelWebsocketHandler`` (``voila/tornado/kernel_websocket_handler.py``), the
  class Voilà's application routes ``/api/kernels/<id>/channels`` to; undocumented. The subclass made by
  :func:`admitted_handler` replaces it in that route (:mod:`dprk_internals.voila_app`).
* jupyter_server: the methods of its ``KernelWebsocketHandler`` that the connection object calls and this
  mixin overrides: ``open(kernel_id)``, ``on_message(message)`` (a message from the page),
  ``write_message(message, binary)`` (a message to the page) and ``on_close()``; and the handler's
  ``settings`` (tornado's application settings), where the turns are found. jupyter_server's public seam
  for websockets is the connection class (``kernel_websocket_connection_class``), but the order of
  messages and the moment of the first figure are only seen here.

Why the public API is not enough
--------------------------------
Neither Voilà nor jupyter_server can limit how many pages do their first load at once, or lets a server
extension hold and watch a kernel's websocket messages. Upstream: "Add ability to specify maximum number
of live kernels", https://github.com/voila-dashboards/voila/issues/617 (open; limits kernels, not first
loads), "Handler customization / hooks", https://github.com/voila-dashboards/voila/issues/644 (open),
and "Add configurable transformer for kernel messages", https://github.com/jupyter/notebook/issues/1068.

Fallback
--------
:func:`missing` names what the installed Voilà lacks; the classroom then serves Voilà's own websocket
handler and says once, at start-up, that first loads no longer take turns. ``DPRK_PLAIN=1`` does the
same. Pages then do their first loads all at once, as with Voilà alone.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from .ipywidgets_wire import ends_first_load

#: What a websocket handler must have for :class:`AdmittedWebsocket` to sit in front of it.
HANDLER_METHODS = ("open", "on_message", "write_message", "on_close")


class Turns(Protocol):
    """The turns for first loads, as the websocket handler sees them (``classroom.admission.FirstLoads``)."""

    hold_s: float

    async def enter(self) -> float:
        """Wait for a turn; return the seconds waited."""

    def leave(self) -> None:
        """Give a turn back (once per :meth:`enter`)."""


class AdmittedWebsocket:
    """Mixin for the kernel websocket handler: hold a page's messages until it has a turn.

    The handler's ``settings[turns_setting]`` holds the server's :class:`Turns`; without it every message
    passes at once.
    """

    turns_setting = "classroom_first_loads"
    _held: list | None = None
    _slot = False
    _closed = False
    _hold_timer = None
    _admission = None  # the task waiting for a turn (a reference keeps it alive)

    def _turns(self) -> Turns | None:
        return self.settings.get(self.turns_setting)

    async def open(self, kernel_id):
        """Open the websocket as the handler does; its messages wait for a turn."""
        self._held = []
        await super().open(kernel_id)
        turns = self._turns()
        if turns is None:
            self._pass_held()
        else:
            self._admission = asyncio.ensure_future(self._admit(turns))

    async def _admit(self, turns: Turns) -> None:
        await turns.enter()
        self._slot = True
        if self._closed:
            self._release()
            return
        self._hold_timer = asyncio.get_running_loop().call_later(turns.hold_s, self._release)
        self._pass_held()

    def _pass_held(self) -> None:
        held, self._held = self._held or [], None
        for message in held:
            super().on_message(message)

    def _release(self) -> None:
        if self._slot:
            self._slot = False
            if self._hold_timer is not None:
                self._hold_timer.cancel()
            self._turns().leave()

    def on_message(self, message):
        """Pass a page's message to the kernel, or keep it (in order) until the page is admitted."""
        if self._held is not None:
            self._held.append(message)  # not admitted yet: kept in order
            return None
        return super().on_message(message)

    def write_message(self, message, binary=False):
        """Send a message to the page; the first one that ends its first load gives the turn back."""
        if self._slot and isinstance(message, bytes | str) and ends_first_load(message):
            self._release()
        return super().write_message(message, binary)

    def on_close(self):
        """Give the turn back (or never take it) when the page goes."""
        self._closed = True
        self._release()
        self._held = None
        return super().on_close()


def missing() -> str | None:
    """What the installed Voilà lacks for :func:`admitted_handler`, or None when nothing is missing."""
    try:
        from voila import app as voila_app
    except ImportError as error:
        return f"Voilà cannot be imported ({error})"
    handler = getattr(voila_app, "VoilaKernelWebsocketHandler", None)
    if handler is None:
        return "voila.app has no VoilaKernelWebsocketHandler"
    lacking = [name for name in HANDLER_METHODS if not callable(getattr(handler, name, None))]
    if lacking:
        return f"VoilaKernelWebsocketHandler lacks {', '.join(lacking)}"
    return None


def admitted_handler() -> type:
    """Voilà's kernel websocket handler with :class:`AdmittedWebsocket` in front (check :func:`missing` first)."""
    from voila.app import VoilaKernelWebsocketHandler

    return type("AdmittedKernelWebsocketHandler", (AdmittedWebsocket, VoilaKernelWebsocketHandler), {})


__all__ = ["HANDLER_METHODS", "AdmittedWebsocket", "Turns", "admitted_handler", "missing"]
