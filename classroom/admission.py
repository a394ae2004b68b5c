"""First loads one or two at a time: a student's first figure waits its turn, classmates' sliders do not.

When a class opens an app together, every page's kernel does its first-load work at once (every widget's
state, the first frames: about 0.1 CPU-s each in the scenario lab) and the server relays it all. On two
cores the kernels share the processors evenly, so everyone's first figure comes at about the same time,
when all of them are done, and a student who already has a figure waits behind them all for each slider
move (in the classroom load benchmark, several times longer while thirty classmates arrive than
afterwards). Admitting ``limit`` first loads at a time serves the arrivals in order (the
median student's figure comes sooner, the last one's no later: the work is the same) and leaves the
cores to the moves of those who are in.

A page's websocket is *admitted* before it passes its first message to the kernel; it holds its slot
until the kernel sends the page its first figure (a PNG), or the page's widget states when they hold no
figure (an app that shows none yet), until it closes, or for at most ``hold_s`` seconds (a page that
never asks for a figure does not hold up the class). Messages a waiting page sends are kept in order and
passed on once it is admitted.

This module holds the turns (:class:`FirstLoads`); holding a page's messages and reading them for its
first figure reaches into Voilà's websocket handler and the widgets' messages, so it lives in
:mod:`dprk_internals.voila_websocket` and :mod:`dprk_internals.ipywidgets_wire`. With ``DPRK_PLAIN=1``
every page loads at once.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

#: First loads at once by default: of 2, 3, 4 and 6 slots, 2 gave the lowest slider p95 for 30 students on
#: a 2-core machine in the classroom load benchmark (docs/classroom.md, "Load benchmark").
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


__all__ = ["FIRST_LOADS_DEFAULT", "FIRST_LOAD_HOLD_S", "FirstLoads"]
