"""The hand-in and board addresses of the class server (hooked into :class:`classroom.server.ClassroomAPIHandler`).

==============================  ======  ==============================================================
address                         method  who and what
==============================  ======  ==============================================================
``/classroom/api/handins``      GET     a student: their own hand-ins and how many more they may make
``/classroom/api/handins``      POST    a student: hand in (JSON, :func:`classroom.handins.validate`)
``/classroom/board``            GET     the lecturer: the board page (chart, sortable table, links)
``/classroom/board.csv``        GET     the lecturer: every hand-in with its headlines
``/classroom/board.pdf``        GET     the lecturer: one page, chart and table
``/classroom/board.js``         GET     the lecturer: the table's sorting
``/classroom/api/board``        GET     the lecturer: the board as JSON
==============================  ======  ==============================================================

A POST carries the page's ``_xsrf`` cookie in the ``X-XSRFToken`` header (jupyter_server checks it), so
another site cannot hand in for a student; a POST that carries a code instead of a session is refused
(it would be a new student each time, past the per-student cap). Nothing here answers without a session, and a student's
requests never name or return another student's hand-ins; students' ids are never sent.
"""

from __future__ import annotations

import asyncio
import json
import re

from . import board
from .console import event
from .handins import HandinError, HandinStore, parse_body
from .security import refuse, roles_of

#: The tornado setting that holds the class's :class:`~classroom.handins.HandinStore`.
HANDINS_SETTING = "classroom_handins"


def _store(handler) -> HandinStore:
    store = handler.settings.get(HANDINS_SETTING)
    if store is None:
        raise refuse(handler, 404, "no hand-in store", "This server keeps no hand-ins.", user=handler.current_user)
    return store


def route(handler, prefix: str):
    """The coroutine answering this request (``prefix``: the escaped ``<base>/classroom/``), or None."""
    path, method = handler.request.path, handler.request.method
    if re.fullmatch(prefix + "api/handins", path):
        return {"GET": own, "POST": hand_in}.get(method)
    if method != "GET":
        return None
    if match := re.fullmatch(prefix + r"board(?P<kind>\.csv|\.pdf|\.js|)", path):
        return {"": board_page, ".csv": board_csv, ".pdf": board_pdf, ".js": board_js}[match["kind"]]
    if re.fullmatch(prefix + "api/board", path):
        return board_json
    return None


def _student(handler) -> str:
    user = handler.current_user
    if user is None:
        raise refuse(handler, 403, "hand-in without a session", "Join the class first.")
    return str(user.username)


def _lecturer(handler) -> None:
    if not roles_of(handler).is_lecturer(handler.current_user):
        raise refuse(
            handler, 403, "the board is the lecturer's", "This address is for the lecturer only.",
            user=handler.current_user,
        )  # fmt: skip


def _json(handler, status: int, answer: dict) -> None:
    handler.set_status(status)
    handler.set_header("Cache-Control", "no-store")
    handler.finish(json.dumps(answer))


async def own(handler) -> None:
    """A student's own hand-ins, the cap and how many are left; sets the ``_xsrf`` cookie the page's POST sends.

    The page asks this before every hand-in, so the POST has its token even on a page that did not set
    the cookie (Voilà's pooled pages with ``DPRK_PLAIN=1``).
    """
    student = _student(handler)
    store = _store(handler)
    _ = handler.xsrf_token  # sets the cookie when the browser has none
    _json(handler, 200, {"handins": store.of(student), "cap": store.cap, "left": store.left(student)})


async def hand_in(handler) -> None:
    """Keep a hand-in; answer 201 with it, or the reason it was refused (400, 413, 429) in ``message``."""
    student = _student(handler)
    store = _store(handler)
    if handler.token_authenticated:
        # The page posts with its session cookie; a request carrying the class code would be a new student
        # each time (and needs no _xsrf token): hand-ins come from a joined browser only.
        raise refuse(
            handler, 403, "hand-in with a code instead of a session", "Hand in from the app's page.",
            user=handler.current_user,
        )  # fmt: skip
    try:
        record = store.add(student, parse_body(handler.request.body))
    except HandinError as error:
        handler.log.info("Classroom: hand-in refused (%s): %s", error.status, error)
        event("refused", who=roles_of(handler).who(handler.current_user), why=str(error))
        _json(handler, error.status, {"message": str(error), "left": store.left(student)})
        return
    event("handed_in", who=roles_of(handler).who(handler.current_user), app=record["app"], count=len(store.all()))
    _json(handler, 201, {"handin": record, "cap": store.cap, "left": store.left(student)})


async def _rows(handler) -> list[dict]:
    _lecturer(handler)
    handins = _store(handler).all()
    return await asyncio.get_running_loop().run_in_executor(None, board.rows, handins)


async def board_json(handler) -> None:
    """Every hand-in with its headlines (lecturer)."""
    _json(handler, 200, {"year": board.YEAR, "handins": await _rows(handler)})


async def board_page(handler) -> None:
    """The board's page (lecturer)."""
    rows = await _rows(handler)
    svg = await asyncio.get_running_loop().run_in_executor(None, board.chart_svg, rows)
    svg_text = svg.decode("utf-8")
    svg_text = svg_text[svg_text.index("<svg") :]  # inline: without the XML declaration and doctype
    handler.set_header("Cache-Control", "no-store")
    handler.set_header("Content-Security-Policy", "default-src 'self'; style-src 'self' 'unsafe-inline'")
    page = board.page(rows, base_url=handler.base_url, svg=svg_text)
    handler.finish(page, set_content_type="text/html; charset=utf-8")


async def board_csv(handler) -> None:
    """The board as CSV (lecturer), downloaded as ``class-board.csv``."""
    rows = await _rows(handler)
    handler.set_header("Content-Disposition", 'attachment; filename="class-board.csv"')
    handler.set_header("Cache-Control", "no-store")
    handler.finish(board.to_csv(rows).encode("utf-8"), set_content_type="text/csv; charset=utf-8")


async def board_pdf(handler) -> None:
    """The board as one PDF page (lecturer), downloaded as ``class-board.pdf``."""
    rows = await _rows(handler)
    pdf = await asyncio.get_running_loop().run_in_executor(None, board.to_pdf, rows)
    handler.set_header("Content-Disposition", 'attachment; filename="class-board.pdf"')
    handler.set_header("Cache-Control", "no-store")
    handler.finish(pdf, set_content_type="application/pdf")


async def board_js(handler) -> None:
    """The board's table sorting (lecturer)."""
    _lecturer(handler)
    handler.finish(board.BOARD_JS.read_bytes(), set_content_type="text/javascript; charset=utf-8")


__all__ = ["HANDINS_SETTING", "route"]
