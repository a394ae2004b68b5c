"""The server's watchdog: a heartbeat on its loop, a health answer, and a SIGTERM that always ends it.

The class server runs on one thread. If that thread ever stops answering (a bug in a library, a message
it cannot digest), students see nothing and the lecturer's Ctrl-C or SIGTERM waits on the very loop that
is stuck. The watchdog is a second thread that does not need the loop:

* the loop beats every :data:`BEAT_S` seconds; :meth:`Watchdog.health` (``/classroom/api/health``) reports
  the age of the last beat, so anyone can tell a stalled server from a slow one;
* after SIGTERM (or SIGINT) the server has :data:`TERM_GRACE_S` seconds to stop in order; after that the
  watchdog kills every kernel process it started, removes their connection files and ends the process;
* a loop stalled for :data:`STALL_EXIT_S` seconds is logged with the stuck thread's frame and ended the
  same way, so that ``./suite class`` can be started again (the class code and sessions persist).

Public APIs only (``signal``, ``threading``, ``psutil``, tornado's ``PeriodicCallback``).
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import sys
import threading
import time
import traceback

#: Seconds between heartbeats of the server's loop.
BEAT_S = 0.25
#: Seconds the server has to stop in order after SIGTERM before it and its kernels are killed.
TERM_GRACE_S = 5.0
#: Seconds of a stalled loop after which the watchdog logs the stuck frame.
STALL_LOG_S = 5.0
#: Seconds of a stalled loop after which the watchdog ends the server and its kernels.
STALL_EXIT_S = 60.0

log = logging.getLogger("classroom.watchdog")


class Watchdog:
    """The heartbeat, the health report and the forced exit.

    Parameters
    ----------
    connection_dir : callable
        Returns the folder of the kernels' connection files (removed on a forced exit), or None.
    term_grace_s, stall_exit_s : float
        See :data:`TERM_GRACE_S` and :data:`STALL_EXIT_S`.
    """

    def __init__(self, connection_dir=lambda: None, *, term_grace_s=TERM_GRACE_S, stall_exit_s=STALL_EXIT_S):
        self.connection_dir = connection_dir
        self.term_grace_s, self.stall_exit_s = term_grace_s, stall_exit_s
        self.last_beat = time.monotonic()
        self.started = time.time()
        self.boot_id = os.urandom(6).hex()
        self._stopping_since: float | None = None
        self._logged_stall = False
        self._thread: threading.Thread | None = None
        self._beat = None

    # --- on the server's loop -----------------------------------------------------------------------
    def start(self) -> None:
        """Start the heartbeat (call on the server's loop thread, before or as the loop starts) and the thread."""
        from tornado.ioloop import PeriodicCallback

        self._beat = PeriodicCallback(self.beat, 1000 * BEAT_S)
        self._beat.start()
        self._thread = threading.Thread(target=self._watch, name="classroom-watchdog", daemon=True)
        self._thread.start()

    def beat(self) -> None:
        """Note that the loop is turning."""
        self.last_beat = time.monotonic()

    def health(self) -> dict:
        """``{"ok", "loop_lag_ms", "boot"}``: the loop's last beat and this server run's id."""
        lag = max(0.0, time.monotonic() - self.last_beat - BEAT_S)
        return {"ok": lag < STALL_LOG_S, "loop_lag_ms": round(1000 * lag), "boot": self.boot_id}

    # --- signals ------------------------------------------------------------------------------------
    def install_signals(self) -> None:
        """Wrap the SIGTERM and SIGINT handlers: each still runs, and the forced exit is armed."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            previous = signal.getsignal(sig)

            def handler(number, frame, previous=previous):
                self.arm()
                if callable(previous):
                    previous(number, frame)
                elif previous == signal.SIG_DFL and number == signal.SIGINT:
                    raise KeyboardInterrupt

            signal.signal(sig, handler)

    def arm(self) -> None:
        """Start the grace period after which the server is ended whatever its loop is doing."""
        if self._stopping_since is None:
            self._stopping_since = time.monotonic()

    # --- the watching thread ------------------------------------------------------------------------
    def _watch(self) -> None:
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            if self._stopping_since is not None and now - self._stopping_since > self.term_grace_s:
                self.force_exit(f"the server did not stop within {self.term_grace_s:.0f} s of the signal")
            stalled = now - self.last_beat
            if stalled > STALL_LOG_S and not self._logged_stall:
                self._logged_stall = True
                log.warning("Classroom: the server's loop has not turned for %.0f s; at %s", stalled, _main_frame())
            elif stalled <= STALL_LOG_S:
                self._logged_stall = False
            if stalled > self.stall_exit_s:
                self.force_exit(f"the server's loop was stuck for {stalled:.0f} s")

    def force_exit(self, why: str) -> None:
        """Kill every kernel this process started, remove their connection files, and end the process."""
        log.critical("Classroom: %s; ending the server and its kernels.", why)  # the console shows it too
        kill_children()
        folder = self.connection_dir()
        if folder:
            shutil.rmtree(folder, ignore_errors=True)
        os._exit(1)


def kill_children() -> int:
    """SIGKILL every process this one started (kernels and their children); return how many."""
    import psutil

    try:
        children = psutil.Process().children(recursive=True)
    except psutil.Error:
        return 0
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.kill()
    psutil.wait_procs(children, timeout=3)
    return len(children)


def _main_frame() -> str:
    frame = sys._current_frames().get(threading.main_thread().ident)
    if frame is None:
        return "an unknown place"
    last = traceback.extract_stack(frame)[-1]
    return f"{last.filename}:{last.lineno} ({last.name})"


__all__ = ["BEAT_S", "STALL_EXIT_S", "TERM_GRACE_S", "Watchdog", "kill_children"]
