"""The game saves itself: one file per facilitator session in a state folder, rewritten after every change.

Notebook 08's app writes the game (its rounds, and the entries typed for the next round) after every round
and every change, so that a reloaded page, a restarted ``./suite class`` or a crashed kernel loses nothing:
the next app offers to resume it. Files are data, never code: JSON of kind ``roleplay_autosave`` holding a
game file's content (read back by :func:`dprk_roleplay.game.loads`, with all its checks) and the pending
entries (checked by :func:`dprk_roleplay.game.check_entry`).

* **Where.** A folder of its own (by default ``exports-state/`` beside the exports folder), created with
  mode 700; each file is written with mode 600, atomically (:func:`model.tidy.write_bytes`: a temporary
  name, then moved into place), so a file is always complete.
* **Names.** ``game-YYYYmmdd-HHMMSS-xxxxxx.json``: the session's start and six random hex digits; never
  from anything a user typed.
* **Versions.** ``format`` (this module's file format) and ``revision`` (one more at every write), so a
  reader can tell an older copy from a newer one.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from dprk_roleplay import game as rules
from model import datafiles

KIND = "roleplay_autosave"
FORMAT = 1
NAME = re.compile(r"game-\d{8}-\d{6}-[0-9a-f]{6}\.json")
STATE_VARIABLE = "DPRK_LIFELINES_STATE"
MAX_BYTES = rules.MAX_BYTES + 200_000

FILE_KIND = datafiles.FileKind(
    "saved game state",
    MAX_BYTES,
    rules.GameError,
    when_empty=f"a saved game state is JSON with kind {KIND!r}.",
    when_not_utf8="a saved game state is UTF-8 JSON.",
    when_binary="a JSON saved game state.",
)


def state_folder(exports: str | os.PathLike) -> Path:
    """The state folder for an exports folder: ``DPRK_LIFELINES_STATE`` if set, else ``<exports>-state`` beside it."""
    if os.environ.get(STATE_VARIABLE):
        return Path(os.environ[STATE_VARIABLE])
    exports = Path(exports)
    return exports.with_name(exports.name + "-state")


def new_session(now: _dt.datetime | None = None) -> str:
    """A session name: the start time and six random hex digits (the file name, never user input)."""
    now = now or _dt.datetime.now()
    return f"game-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class Saved:
    """A saved game state: its game, the entries typed for the next round, and when it was written."""

    path: Path
    session: str
    revision: int
    saved: str  # ISO time of writing
    game: rules.Game
    pending: rules.RoundInput

    def label(self) -> str:
        """What the resume control shows, e.g. ``Seminar B: 3 of 4 rounds played (saved 14:05)``."""
        title = self.game.setup.title or "Untitled game"
        when = self.saved[11:16] if len(self.saved) >= 16 else self.saved
        return f"{title}: {self.game.played} of {self.game.setup.rounds} rounds played (saved {self.saved[:10]} {when})"


class Autosave:
    """Writes one session's game to its file in ``folder`` after every change.

    Parameters
    ----------
    folder : str or Path
        The state folder (created with mode 700 at the first write).
    session : str, optional
        Continue an existing session's file (a name of :func:`new_session`); default a new session.
    """

    def __init__(self, folder: str | os.PathLike, session: str | None = None) -> None:
        self.folder = Path(folder)
        self.session = session or new_session()
        if not NAME.fullmatch(self.session + ".json"):
            raise rules.GameError(f"{self.session!r} is not a session name of the autosave.")
        self.revision = 0

    @property
    def path(self) -> Path:
        """The session's file."""
        return self.folder / f"{self.session}.json"

    def save(self, game: rules.Game, pending: rules.RoundInput | None = None) -> Path:
        """Write the game and the pending entries (atomically, mode 600); returns the file."""
        from model.tidy import write_bytes

        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        pending = pending or rules.RoundInput({})
        self.revision += 1
        data = {
            "kind": KIND,
            "format": FORMAT,
            "revision": self.revision,
            "saved": _dt.datetime.now().isoformat(timespec="seconds"),
            "session": self.session,
            "game": rules.to_data(game),
            "pending": {
                "choices": pending.choices,
                "events": list(pending.events),
                "vetoes": list(pending.vetoes),
            },
        }
        path = write_bytes(self.path, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
        os.chmod(path, 0o600)
        return path

    @classmethod
    def resume(cls, saved: Saved) -> Autosave:
        """Continue writing a saved session's file, after its last revision."""
        autosave = cls(saved.path.parent, saved.session)
        autosave.revision = saved.revision
        return autosave


def read(path: str | os.PathLike) -> Saved:
    """Read a saved game state, with the game file's checks for the game and the rules' checks for the entries.

    Raises
    ------
    dprk_roleplay.game.GameError
        Naming the file and what is wrong.
    """
    path = Path(path)
    where = path.name
    if not NAME.fullmatch(path.name):
        raise rules.GameError(f"{where}: not a file name of the autosave.")
    if path.stat().st_size > MAX_BYTES:
        raise rules.GameError(f"{where} is too large for a saved game state.")
    text = datafiles.decode(path.read_bytes(), where, FILE_KIND)
    try:
        data = datafiles.json_without_duplicates(text, rules.GameError)
    except (json.JSONDecodeError, RecursionError) as error:
        raise rules.GameError(f"{where}: not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise rules.GameError(f"{where}: not a saved game state (kind {KIND!r}).")
    datafiles.check_format(data.get("format"), FORMAT, where, FILE_KIND, "update the suite.")
    allowed = {"kind", "format", "revision", "saved", "session", "game", "pending"}
    if set(data) != allowed:
        raise rules.GameError(f"{where}: the keys must be {', '.join(sorted(allowed))}.")
    revision, saved, session = data["revision"], data["saved"], data["session"]
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        raise rules.GameError(f"{where}: revision = {revision!r} must be a whole number from 1.")
    if not isinstance(saved, str) or not isinstance(session, str) or session + ".json" != path.name:
        raise rules.GameError(f"{where}: saved and session must be text, and the session the file's name.")
    game = rules.loads(json.dumps(data["game"]), where)
    pending = data["pending"]
    if not isinstance(pending, dict) or set(pending) != {"choices", "events", "vetoes"}:
        raise rules.GameError(f"{where}: pending must hold choices, events and vetoes.")
    entry = rules.check_entry(game, pending["choices"], pending["events"], pending["vetoes"], f"{where} pending")
    return Saved(path, session, revision, saved, game, entry)


def saved_games(folder: str | os.PathLike) -> list[Saved]:
    """Every readable saved game state in ``folder``, newest first (files that cannot be read are skipped)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if not NAME.fullmatch(path.name) or not path.is_file():
            continue
        try:
            found.append(read(path))
        except (rules.GameError, OSError):
            continue
    return sorted(found, key=lambda s: (s.saved, s.session), reverse=True)


__all__ = ["FORMAT", "KIND", "Autosave", "Saved", "new_session", "read", "saved_games", "state_folder"]
