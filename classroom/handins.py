"""The class's hand-ins: each student hands in scenarios (a code, a name, one sentence); the lecturer sees them all.

A hand-in is what an app's *Hand in* control sends (:func:`dprk_apps.handin.handin_document`): the
scenario code of the app's state, the name the student gives and one sentence of argument. The page
posts it to ``/classroom/api/handins`` with the student's own session cookie; the kernel never takes part
(it knows neither the class code nor the cookie).

Rules (:func:`validate`, :class:`HandinStore`):

* the code is read exactly as any scenario code (:func:`model.scenario_code.decode`): malformed,
  truncated, out-of-range, unknown parameter numbers and codes from a newer version are refused with the
  same message the app would show; the stored code is the canonical one;
* the name has at most ``NAME_CHARS`` characters and the sentence at most ``TEXT_CHARS`` (the app's limits,
  :mod:`dprk_apps.handin`), both
  without control characters (kept as plain text; every page that shows them escapes them);
* a student holds at most :data:`CAP` hand-ins (the board is for comparison, not for a flood);
* a student reads only their own hand-ins; the lecturer reads all (:mod:`classroom.board`).

The hand-ins live in the class's state folder (:mod:`classroom.state`), in ``handins.json`` (mode 600),
written atomically (a temporary file, flushed to disk, then renamed over the old one), so a restart of
the same class keeps them and a crash mid-write never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path

from dprk_apps.handin import APP_CHARS, FORMAT, NAME_CHARS, TEXT_CHARS
from model.errors import ModelInputError
from model.scenario_code import canonical, decode

FILE = "handins.json"
#: Hand-ins one student may hold.
CAP = 5
#: Hand-ins one class may hold (a class of 80 at the cap): a script that joins again and again for new
#: sessions cannot fill the lecturer's disk.
CLASS_CAP = 400
#: Longest request body accepted, in bytes (a code of every parameter plus the longest texts fits).
BODY_BYTES = 8_192
FIELDS = {"format", "code", "name", "text", "app", "made"}


class HandinError(ValueError):
    """A hand-in that cannot be kept; the message says why (shown to the student, escaped).

    Attributes
    ----------
    status : int
        The HTTP status that answers it (400 bad input, 413 too large, 429 over the cap).
    """

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


def plain_text(value, what: str, limit: int) -> str:
    """``value`` as one line of plain text: stripped, spaces collapsed, no control characters, at most ``limit``.

    Raises
    ------
    HandinError
        Not text, empty, too long, or holding control characters other than spaces and line breaks.
    """
    if not isinstance(value, str):
        raise HandinError(f"the {what} must be text, not {type(value).__name__}.")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co") and c not in "\n\r\t" for c in value):
        raise HandinError(f"the {what} holds control characters; write plain text.")
    text = " ".join(value.split())
    if not text:
        raise HandinError(f"the {what} is empty.")
    if len(text) > limit:
        raise HandinError(f"the {what} has {len(text)} characters; at most {limit} are allowed.")
    return text


def validate(document) -> dict:
    """A hand-in document checked field by field; returns its clean fields (``code`` canonical).

    Parameters
    ----------
    document : dict
        ``{"format": FORMAT, "code": ..., "name": ..., "text": ..., "app": ...}`` (``made`` optional).

    Raises
    ------
    HandinError
        Naming the field and what is allowed; a code that cannot be opened exactly gives the scenario
        code's own message.
    """
    if not isinstance(document, dict):
        raise HandinError("a hand-in is a JSON object with code, name, text and app.")
    unknown = sorted(set(document) - FIELDS)
    if unknown:
        raise HandinError(f"a hand-in has no field(s) {', '.join(map(repr, unknown[:5]))}.")
    if document.get("format") != FORMAT:
        raise HandinError(f"this hand-in is not in the format {FORMAT!r}: make it again with the app's Hand in.")
    code = document.get("code")
    try:
        decode(code)
    except ModelInputError as error:
        raise HandinError(f"the scenario code cannot be opened: {error}") from None
    return {
        "code": canonical(code),
        "name": plain_text(document.get("name"), "name", NAME_CHARS),
        "text": plain_text(document.get("text"), "sentence", TEXT_CHARS),
        "app": plain_text(document.get("app"), "app", APP_CHARS),
    }


def parse_body(body: bytes) -> dict:
    """A request body as a hand-in document (JSON, UTF-8, at most :data:`BODY_BYTES`)."""
    if len(body) > BODY_BYTES:
        raise HandinError(f"a hand-in has at most {BODY_BYTES} bytes.", 413)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise HandinError("a hand-in is sent as JSON text.") from None


class HandinStore:
    """The hand-ins of one class, in ``folder/handins.json``.

    Parameters
    ----------
    folder : pathlib.Path
        The class's state folder.
    cap : int
        Hand-ins one student may hold.
    log : logging.Logger, optional
        Where a stored file that cannot be read is reported.
    class_cap : int
        Hand-ins the whole class may hold.

    Notes
    -----
    Stored records: ``number`` (1, 2, … in order of arrival, never reused), ``student`` (the session's
    random id, never shown to anyone), ``code``, ``name``, ``text``, ``app``, ``time`` (UTC, ISO 8601).
    A stored file that cannot be read is kept aside as ``handins.json.unreadable-<time>`` and the class
    starts with none (said in the server's log), never silently overwritten. A single record that no
    longer passes the checks (a code from a parameter a later version retired) stays in the file, is
    shown nowhere, still counts against its student's cap, and is named in the log.
    """

    def __init__(self, folder: Path, cap: int = CAP, log=None, class_cap: int = CLASS_CAP):
        self.folder, self.cap, self.class_cap = Path(folder), cap, class_cap
        self.path = self.folder / FILE
        self.records: list[dict] = []
        self._load(log)

    def _load(self, log) -> None:
        try:
            raw = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        try:
            records = json.loads(raw)["handins"]
            loaded = []
            for record in records:
                meta = _meta(record)
                fields = {k: record[k] for k in ("code", "name", "text", "app")}
                try:
                    loaded.append({**validate({"format": FORMAT, **fields}), **meta})
                except HandinError as error:
                    # E.g. a code whose parameter a later version retired: kept in the file, shown nowhere.
                    loaded.append({**fields, **meta, "unreadable": str(error)})
                    if log is not None:
                        log.warning("Classroom: hand-in %s is not shown: %s", meta["number"], error)
            self.records = loaded
        except (ValueError, KeyError, TypeError) as error:
            stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
            aside = self.path.with_name(f"{FILE}.unreadable-{stamp}")
            os.replace(self.path, aside)
            if log is not None:
                log.warning("Classroom: the stored hand-ins could not be read (%s); kept as %s", error, aside)
            self.records = []

    def _save(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump({"format": FORMAT, "handins": self.records}, out, ensure_ascii=False, indent=0)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o600)
        os.replace(temporary, self.path)
        directory = os.open(self.folder, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def add(self, student: str, document) -> dict:
        """Validate and keep a student's hand-in; return the stored record (without the student's id).

        Raises
        ------
        HandinError
            Bad input (400) or the student already holds :attr:`cap` hand-ins (429).
        """
        clean = validate(document)
        if sum(1 for r in self.records if r["student"] == student) >= self.cap:
            raise HandinError(f"you have handed in {self.cap} scenarios already, the most one student may.", 429)
        if len(self.records) >= self.class_cap:
            raise HandinError(f"the class board is full ({self.class_cap} hand-ins); ask your teacher.", 429)
        number = max((r["number"] for r in self.records), default=0) + 1
        record = {
            **clean,
            "number": number,
            "student": student,
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        }
        self.records.append(record)
        try:
            self._save()
        except OSError:
            self.records.pop()
            raise
        return public(record)

    def of(self, student: str) -> list[dict]:
        """One student's hand-ins, oldest first (without the student's id)."""
        return [public(r) for r in self.records if r["student"] == student and "unreadable" not in r]

    def all(self) -> list[dict]:
        """Every hand-in, oldest first (without the students' ids; for the lecturer)."""
        return [public(r) for r in self.records if "unreadable" not in r]

    def left(self, student: str) -> int:
        """How many more hand-ins a student may make."""
        return max(0, self.cap - sum(1 for r in self.records if r["student"] == student))


def _meta(record: dict) -> dict:
    number = record["number"]
    if not isinstance(number, int) or number < 1:
        raise ValueError(f"hand-in number {number!r}")
    return {"number": number, "student": str(record["student"]), "time": str(record["time"])}


def public(record: dict) -> dict:
    """A record without the student's session id."""
    return {k: v for k, v in record.items() if k != "student"}


__all__ = [
    "BODY_BYTES",
    "CAP",
    "CLASS_CAP",
    "FORMAT",
    "NAME_CHARS",
    "TEXT_CHARS",
    "HandinError",
    "HandinStore",
    "parse_body",
    "plain_text",
    "public",
    "validate",
]
