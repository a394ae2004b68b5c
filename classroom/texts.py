"""The class server's messages to students (``classroom/texts.toml``), kept in one place for translation.

Examples
--------
>>> busy_message("requests", rate=20, burst=200)[:40]
'This browser sent more requests in a few'
"""

from __future__ import annotations

import html
import tomllib
from functools import cache
from importlib import resources
from typing import Any

FORMAT = 1


@cache
def texts() -> dict[str, Any]:
    """The contents of ``texts.toml`` (read once)."""
    data = tomllib.loads(resources.files("classroom").joinpath("texts.toml").read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise ValueError(f"classroom/texts.toml: format = {data.get('format')!r}; this version reads {FORMAT}.")
    return data


def busy_message(why: str, **values: Any) -> str:
    """One sentence saying why a request was refused with 429 (``why``: a key of ``[busy.why]``)."""
    return texts()["busy"]["why"][why].format(**values)


def refused(key: str) -> str:
    """The sentence for a refusal (``key``: a key of ``[refused]``)."""
    return texts()["refused"][key]


def console_line(key: str, **values: Any) -> str:
    """One line of the lecturer's console for a student event (``key``: a key of ``[console.events]``)."""
    return texts()["console"]["events"][key].format(**values)


def who(kind: str, **values: Any) -> str:
    """How the console names a person (``kind``: ``student``, ``lecturer`` or ``visitor``, ``[console.who]``)."""
    return texts()["console"]["who"][kind].format(**values)


def console_error(what: str, log: str) -> str:
    """The console's one line for an error: what went wrong and where the details are."""
    return texts()["console"]["error"].format(what=what, log=log)


def page(title: str, *paragraphs: str) -> str:
    """A minimal HTML page with a title and paragraphs (escaped), for the server's refusals."""
    body = "".join(f"<p>{html.escape(text)}</p>" for text in paragraphs)
    title = html.escape(title)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title></head>"
        '<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">'
        f"<h1>{title}</h1>{body}</body></html>"
    )


def busy_page(why: str, retry_s: int, **values: Any) -> str:
    """The HTML page of a 429 answer: what happened and when to try again (no server path, no code).

    Parameters
    ----------
    why : str
        A key of ``[busy.why]`` in ``texts.toml``.
    retry_s : int
        Seconds after which the request will be answered (also the ``Retry-After`` header).
    **values
        The placeholders of the message.
    """
    busy = texts()["busy"]
    return page(busy["title"], busy_message(why, **values), busy["retry"].format(seconds=retry_s))


__all__ = ["busy_message", "busy_page", "console_error", "console_line", "page", "refused", "texts", "who"]
