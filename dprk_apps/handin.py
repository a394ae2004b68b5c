"""*Hand in*: a student sends the app's current scenario, with a name and one sentence of argument, to the class.

The kernel's part (:class:`HandIn`) checks the name and the sentence and makes the hand-in document
(:func:`handin_document`: the scenario code of the app's state, the name, the sentence, the app). The
page's part (:class:`HandinLink`, an anywidget, ``handin.js``) delivers it:

* under ``./suite class`` the page posts it to the class server (``classroom/api/handins``) with the
  student's own session cookie: the kernel never sees the class code, the cookie or the server's address;
* anywhere else (plain Voilà, JupyterLab, Notebook 7, a JupyterHub) the page downloads it as a small JSON
  file, which the student hands in by the hub's usual means (docs/classroom.md).

The page reports back what happened (stored, saved as a file, or refused with the server's reason), and
the app says it in one line. The same limits hold on both sides: :data:`NAME_CHARS`, :data:`TEXT_CHARS`.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path
from typing import Any

import anywidget
import ipywidgets as widgets
import traitlets

from dprk_apps.feedback import ErrorBox
from dprk_apps.sharing import ScenarioShare

HANDIN_JS = Path(__file__).with_name("handin.js")
#: The format of a hand-in document (the class server reads this format only).
FORMAT = "dprk-handin-1"
#: Longest name, in characters.
NAME_CHARS = 60
#: Longest sentence of argument, in characters.
TEXT_CHARS = 280
#: Longest app title, in characters.
APP_CHARS = 80
#: What the control says (one place, for translation).
TEXT = {
    "heading": "Hand in this scenario",
    "name": "Your name",
    "sentence": "One sentence: what does this scenario show?",
    "button": "Hand in",
    "sending": "Handing in scenario {code} …",
    "stored": "Handed in: scenario {code} is on the class board ({left} more hand-ins allowed).",
    "file": (
        "Saved as {filename} in your downloads: hand this file in as your course asks (e.g. upload it to the "
        "course page). Scenario {code}."
    ),
    "refused": "Not handed in: {message}",
    "failed": "Not handed in: the page could not reach the class server ({message}). Try again.",
    "no_name": "Write your name (at most {limit} characters) before handing in.",
    "no_sentence": "Write one sentence of argument (at most {limit} characters) before handing in.",
    "too_long": "The {what} has {count} characters; at most {limit} are allowed.",
    "no_code": "The app's current values are not valid (see the message above): fix them, then hand in.",
}


def handin_document(code: str, name: str, text: str, app: str, made: str | None = None) -> dict:
    """The hand-in document: what the class server keeps, or the file a student hands in.

    Parameters
    ----------
    code : str
        The scenario code of the app's state (:mod:`model.scenario_code`).
    name, text : str
        The student's name and one sentence of argument (plain text; at most :data:`NAME_CHARS` and
        :data:`TEXT_CHARS` characters).
    app : str
        The app's title.
    made : str, optional
        When it was made (UTC, ISO 8601); default now.

    Returns
    -------
    dict
        ``{"format", "code", "name", "text", "app", "made"}``.
    """
    made = made or dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return {"format": FORMAT, "code": code, "name": name, "text": text, "app": app[:APP_CHARS], "made": made}


def file_name(name: str, code: str) -> str:
    """The downloaded file's name: ``handin-<name>-<code>.json`` with only letters, digits and dashes."""
    safe = re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:30] or "student"
    return f"handin-{safe}-{code}.json"


class HandinLink(anywidget.AnyWidget):
    """The page's half: delivers a hand-in document (to the class server, else as a downloaded file).

    Attributes
    ----------
    document : str
        The hand-in document as JSON (kernel → page).
    sequence : int
        Raised by the kernel to ask for one delivery of ``document``.
    filename : str
        The file name used when the page downloads the document.
    outcome : str
        JSON ``{"sequence", "status": "stored" | "file" | "refused" | "failed", "message", "left"}``
        (page → kernel).
    """

    _esm = HANDIN_JS
    document = traitlets.Unicode("").tag(sync=True)
    sequence = traitlets.Int(0).tag(sync=True)
    filename = traitlets.Unicode("handin.json").tag(sync=True)
    outcome = traitlets.Unicode("").tag(sync=True)


class HandIn:
    """*Hand in*: name, one sentence, a button; the page delivers the current scenario's code with them.

    Parameters
    ----------
    share : dprk_apps.sharing.ScenarioShare
        The app's code and link (the code handed in is the link's).
    app : str
        The app's title (kept with the hand-in).
    errors : dprk_apps.feedback.ErrorBox
        Where an unexpected failure is shown.

    Attributes
    ----------
    name, sentence : ipywidgets.Text, ipywidgets.Textarea
    button : ipywidgets.Button
    message : ipywidgets.HTML
        What happened to the last hand-in.
    link : HandinLink
    widget : ipywidgets.VBox
    """

    def __init__(self, share: ScenarioShare, app: str, errors: ErrorBox) -> None:
        self.share, self.app = share, app
        wide = widgets.Layout(width="100%", max_width="340px")
        self.name = widgets.Text(placeholder=TEXT["name"], description="", layout=wide)
        self.sentence = widgets.Textarea(placeholder=TEXT["sentence"], rows=2, layout=wide)
        self.button = widgets.Button(description=TEXT["button"], icon="paper-plane")
        self.message = widgets.HTML()
        self.message.add_class("handin-message")
        self.link = HandinLink()
        self.sent_code = ""
        self.button.on_click(errors.guard(lambda _button: self.hand_in()))
        self.link.observe(errors.guard(self._outcome), names="outcome")
        heading = widgets.HTML(f"<b>{html.escape(TEXT['heading'])}</b>")
        self.widget = widgets.VBox([heading, self.name, self.sentence, self.button, self.message, self.link])
        self.widget.add_class("scenario-handin")

    def _say(self, text: str, refused: bool = False) -> None:
        style = " style='color:#a61b1b'" if refused else ""
        kind = "handin-refused" if refused else "handin-note"
        self.message.value = f"<span class='{kind}'{style}>{html.escape(text)}</span>"

    def _field(self, value: str, what: str, limit: int, empty: str) -> str | None:
        text = " ".join((value or "").split())
        if not text:
            self._say(TEXT[empty].format(limit=limit), refused=True)
            return None
        if len(text) > limit:
            self._say(TEXT["too_long"].format(what=what, count=len(text), limit=limit), refused=True)
            return None
        return text

    def hand_in(self) -> bool:
        """Check the name and sentence and ask the page to deliver the current scenario; False if refused."""
        name = self._field(self.name.value, "name", NAME_CHARS, "no_name")
        text = name and self._field(self.sentence.value, "sentence", TEXT_CHARS, "no_sentence")
        if not (name and text):
            return False
        code = self.share.link.code
        if not code:
            self._say(TEXT["no_code"], refused=True)
            return False
        self.sent_code = code
        self.link.filename = file_name(name, code)
        self.link.document = json.dumps(handin_document(code, name, text, self.app), ensure_ascii=False)
        self._say(TEXT["sending"].format(code=code))
        self.link.sequence += 1
        return True

    def _outcome(self, change: dict[str, Any]) -> None:
        try:
            outcome = json.loads(change["new"] or "{}")
        except ValueError:
            return
        if not isinstance(outcome, dict) or outcome.get("sequence") != self.link.sequence:
            return  # an answer to an earlier hand-in
        status = outcome.get("status")
        message = str(outcome.get("message", ""))[:300]
        if status == "stored":
            self._say(TEXT["stored"].format(code=self.sent_code, left=int(outcome.get("left") or 0)))
        elif status == "file":
            self._say(TEXT["file"].format(filename=self.link.filename, code=self.sent_code))
        elif status == "refused":
            self._say(TEXT["refused"].format(message=message), refused=True)
        else:
            self._say(TEXT["failed"].format(message=message), refused=True)


__all__ = ["FORMAT", "HANDIN_JS", "NAME_CHARS", "TEXT_CHARS", "HandIn", "HandinLink", "file_name", "handin_document"]
