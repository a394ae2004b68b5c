"""The seminar's fixed texts (``dprk_teaching/seminar.toml``): written once, used by the slides, handouts and guide.

Examples
--------
>>> seminar()["exit_ticket"]["title"]
'Exit ticket'
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any

FORMAT = 1


@cache
def seminar() -> dict[str, Any]:
    """The contents of ``seminar.toml`` (read once)."""
    text = resources.files("dprk_teaching").joinpath("seminar.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    if data.get("format") != FORMAT:
        raise ValueError(f"seminar.toml: format = {data.get('format')!r}; this version reads {FORMAT}.")
    return data


def definition(outcome: str) -> str:
    """The one-line definition of an outcome of :data:`model.outcomes.OUTCOMES` (its first sentence if none)."""
    from model.outcomes import OUTCOMES

    written = seminar()["definitions"].get(outcome)
    if written:
        return written
    return OUTCOMES[outcome].description.split(". ")[0].rstrip(".") + "."


def exit_ticket_lines() -> list[str]:
    """The exit ticket: the prompt, the sentence to complete, and what a good ticket does."""
    ticket = seminar()["exit_ticket"]
    return [ticket["prompt"], ticket["template"], ticket["note"]]


def limits_lines() -> tuple[list[str], str]:
    """What the model cannot tell you (one line each), and what it can."""
    limits = seminar()["limits"]
    return list(limits["cannot"]), limits["can"]


__all__ = ["definition", "exit_ticket_lines", "limits_lines", "seminar"]
