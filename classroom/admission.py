"""First loads one or two at a time: a student's first figure waits its turn, classmates' sliders do not.

When a class opens an app together, every page's kernel does its first-load work at once (every widget's
state, the first frames: about 0.1 CPU-s each in the scenario lab) and the server relays it all. On two
cores the kernels share the processors evenly, so everyone's first figure comes at about the same time,
when all of them are done, and a student who already has a figure waits behind them all for each slider
move (about 0.9-1.0 s a move while thirty classmates arrived, against 0.1-0.2 s afterwards: classroom load
benchmark, 2026-12-04). Admitting ``limit`` first loads at a time serves the arrivals in order (the
median student's figure comes sooner, the last one's no later: the work is the same) and leaves the
cores to the moves of those who are in.

A page's websocket is *admitted* before it passes its first message to the kernel; it holds its slot
until the kernel sends the page its first figure (a PNG), or the page's widget states when they hold no
figure (an app that shows none yet), until it closes, or for at most ``hold_s`` seconds (a page that
never asks for a figure does not hold up the class). Messages a waiting page sends are kept in order and
passed on once it is admitted.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

#: A PNG file's first bytes: an outgoing message carrying them is a figure's frame.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: The widget manager's reply with every widget's state (ipywidgets' control comm), and a figure's model.
STATES_REPLY = b'"update_states"'
FIGURE_MODEL = b'"MPLCanvasModel"'
#: First loads at once by default: of 2, 3, 4 and 6 slots, 2 gave the lowest slider p95 for 30 students on
#: this 2-core machine (classroom load benchmark, 2026-12-04; docs/classroom.md, "Load benchmark").
FIRST_LOADS_DEFAULT = 2
#: Seconds a page may hold its slot without a figure (an assumption: a lab's first load takes well under a
#: second alone and about 0.2 s in turn; 5 s bounds what a page that never asks for a figure costs the class).
FIRST_LOAD_HOLD_S = 5.0


@dataclass
class FirstLoads:
    """The slots for first loads (``limit`` at a time; 0: no limit) and what they saw.

    Parameters
    ----------
    limit : int
        First loads at once (0 admits every page at once, as Voilà alone does).
    hold_s : float
        Seconds a page may hold its slot without getting a figure.
    """

    limit: int
    hold_s: float = FIRST_LOAD_HOLD_S
    admitted: int = 0
    waited: int = 0
    loading: int = 0
    most_at_once: int = 0
    longest_wait_s: float = 0.0
    _slots: asyncio.Semaphore | None = None

    def __post_init__(self):
        if self.limit < 0:
            raise ValueError(f"first loads at once: {self.limit} is negative; give 0 (no limit) or more")
        if not self.hold_s > 0:
            raise ValueError(f"seconds a first load may hold its slot: {self.hold_s} must be above 0")

    async def enter(self) -> float:
        """Wait for a slot; return the seconds waited (created on the server's loop at first use)."""
        began = time.monotonic()
        if self.limit:
            if self._slots is None:
                self._slots = asyncio.Semaphore(self.limit)
            if self._slots.locked():
                self.waited += 1
            await self._slots.acquire()
        self.admitted += 1
        self.loading += 1
        self.most_at_once = max(self.most_at_once, self.loading)
        waited = time.monotonic() - began
        self.longest_wait_s = max(self.longest_wait_s, waited)
        return waited

    def leave(self) -> None:
        """Give a slot back (once per :meth:`enter`)."""
        self.loading -= 1
        if self.limit and self._slots is not None:
            self._slots.release()

    def summary(self) -> dict:
        """What the status API reports."""
        return {
            "limit": self.limit,
            "admitted": self.admitted,
            "waited": self.waited,
            "loading": self.loading,
            "most_at_once": self.most_at_once,
            "longest_wait_s": round(self.longest_wait_s, 3),
        }


class AdmittedWebsocket:
    """Mixin for the kernel websocket handler: hold a page's messages until it has a first-load slot.

    The handler's ``settings["classroom_first_loads"]`` is the server's :class:`FirstLoads`.
    """

    _held: list | None = None
    _slot = False
    _closed = False
    _hold_timer = None
    _admission = None  # the task waiting for a slot (a reference keeps it alive)

    def _first_loads(self) -> FirstLoads | None:
        return self.settings.get("classroom_first_loads")

    async def open(self, kernel_id):
        """Open the websocket as the handler does; its messages wait for a first-load slot."""
        self._held = []
        await super().open(kernel_id)
        first_loads = self._first_loads()
        if first_loads is None:
            self._pass_held()
        else:
            self._admission = asyncio.ensure_future(self._admit(first_loads))

    async def _admit(self, first_loads: FirstLoads) -> None:
        await first_loads.enter()
        self._slot = True
        if self._closed:
            self._release()
            return
        self._hold_timer = asyncio.get_running_loop().call_later(first_loads.hold_s, self._release)
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
            self._first_loads().leave()

    def on_message(self, message):
        """Pass a page's message to the kernel, or keep it (in order) until the page is admitted."""
        if self._held is not None:
            self._held.append(message)  # not admitted yet: kept in order
            return None
        return super().on_message(message)

    def write_message(self, message, binary=False):
        """Send a message to the page; the first one carrying a PNG frame gives the slot back."""
        if self._slot and isinstance(message, bytes | str):
            data = message.encode() if isinstance(message, str) else message
            if PNG_SIGNATURE in data:
                self._release()  # the page has its first figure
            elif STATES_REPLY in data and FIGURE_MODEL not in data:
                self._release()  # every widget's state, and no figure among them: nothing more to wait for
        return super().write_message(message, binary)

    def on_close(self):
        """Give the slot back (or never take it) when the page goes."""
        self._closed = True
        self._release()
        self._held = None
        return super().on_close()


__all__ = [
    "FIGURE_MODEL",
    "FIRST_LOADS_DEFAULT",
    "FIRST_LOAD_HOLD_S",
    "PNG_SIGNATURE",
    "STATES_REPLY",
    "AdmittedWebsocket",
    "FirstLoads",
]
