"""The class's state on disk: its codes and cookie secret, kept across restarts of the same class.

A class is known by its port (``./suite class --port``). Its folder, ``build/classroom/class-<port>/``
(``--state`` chooses another), is readable by the lecturer's account only (mode 700) and holds
``secrets.json`` (mode 600): the class code, the lecturer code and the secret that signs the students'
session cookies. Restarting the same class therefore keeps the code the students typed and their
sessions: an open page's reload does not ask for the code again. Later features that keep the class's
work (autosaves, hand-ins) belong in the same folder.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

FILE = "secrets.json"


def class_folder(root: Path, port: int) -> Path:
    """The default state folder of the class served on ``port``."""
    return root / "build" / "classroom" / f"class-{port}"


def read(folder: Path) -> dict:
    """The stored secrets (``code``, ``lecturer_code``, ``cookie_secret``), or {} when there are none."""
    try:
        return json.loads((Path(folder) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write(folder: Path, values: dict) -> dict:
    """Store ``values`` (with a new cookie secret if none is given) readable by this account only."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    values = {"cookie_secret": secrets.token_hex(32), **{k: v for k, v in values.items() if v}}
    path = folder / FILE
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        json.dump(values, out)
    os.chmod(temporary, 0o600)
    os.replace(temporary, path)
    return values


__all__ = ["class_folder", "read", "write"]
