"""The checks every data file the suite reads goes through first (scenario files, game files).

A file from a student is untrusted: it may be huge, empty, not text, binary, or JSON with a key given twice.
These helpers turn each case into one message that names the file and says what a good file looks like,
raised as the caller's own error class, so that scenario and game files are refused the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FileKind:
    """What a kind of data file is called and how its messages end.

    Attributes
    ----------
    name : str
        As in "too large for a {name}", e.g. ``"scenario file"``.
    max_bytes : int
        Largest accepted size, bytes.
    error : type
        The exception raised (a subclass of :class:`model.errors.ModelInputError`).
    when_empty, when_not_utf8, when_binary : str
        The end of each message: what a good file holds.
    """

    name: str
    max_bytes: int
    error: type[Exception]
    when_empty: str
    when_not_utf8: str
    when_binary: str


def too_large(where: str, size: int, kind: FileKind) -> str:
    """The message for a file of ``size`` bytes above ``kind.max_bytes`` (also for one never read whole)."""
    return f"{where}: {size:,} bytes is too large for a {kind.name} (at most {kind.max_bytes:,} bytes)."


def decode(raw: bytes, where: str, kind: FileKind) -> str:
    """The file's text, after the checks of size, emptiness, encoding and binary content.

    Parameters
    ----------
    raw : bytes
        The file's content.
    where : str
        How messages name the file (its path or upload name).
    kind : FileKind

    Raises
    ------
    kind.error
        Too large, empty, not UTF-8, or binary.
    """
    if len(raw) > kind.max_bytes:
        raise kind.error(too_large(where, len(raw), kind))
    if not raw.strip():
        raise kind.error(f"{where}: the file is empty; {kind.when_empty}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise kind.error(f"{where}: not UTF-8 text (byte {error.start}); {kind.when_not_utf8}") from None
    if "\x00" in text:
        raise kind.error(f"{where}: a binary file, not {kind.when_binary}")
    return text


def json_without_duplicates(text: str, error: type[Exception], parse_constant: Callable | None = None) -> Any:
    """Parse JSON, refusing a key given twice in one object (TOML refuses that by itself).

    Raises
    ------
    error
        ``"the key 'x' is given twice; each key may appear once."``; JSON syntax errors propagate as
        :class:`json.JSONDecodeError` for the caller to name the file.
    """

    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        seen: dict[str, Any] = {}
        for key, value in pairs:
            if key in seen:
                raise error(f"the key {key!r} is given twice; each key may appear once.")
            seen[key] = value
        return seen

    return json.loads(text, object_pairs_hook=no_duplicates, parse_constant=parse_constant)


def check_format(version: Any, reads: int, where: str, kind: FileKind, when_newer: str) -> int:
    """A file's ``format`` number: a whole number ≥ 1, not newer than this version ``reads``.

    Raises
    ------
    kind.error
        Not a whole number, or newer (the message ends with ``when_newer``: what the user can do).
    """
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise kind.error(f"{where}: format = {version!r} must be a whole number (this version reads {reads}).")
    if version > reads:
        raise kind.error(
            f"{where}: written in {kind.name.removesuffix(' file')} format {version}, newer than this version "
            f"reads ({reads}); {when_newer}"
        )
    return version
