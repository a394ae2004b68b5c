"""The seminar's fixed texts (``dprk_teaching/seminar.toml``): written once, used by the slides, handouts and guide.

Examples
--------
>>> seminar()["exit_ticket"]["title"]
'Exit ticket'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Plan:
    """One seminar plan of the role-play (``[[plan.seminar]]`` of ``seminar.toml``).

    Attributes
    ----------
    minutes : int
        Length of the whole seminar (minutes).
    rounds : int
        Rounds the game plays.
    years_per_round : int
        Model years a round covers.
    round_minutes : int
        Minutes a round takes in class (team talk, entry, vote, scoreboard).
    """

    minutes: int
    rounds: int
    years_per_round: int
    round_minutes: int

    def years(self) -> tuple[int, int]:
        """First and last model year the plan's game covers."""
        from dprk_roleplay.game import FIRST_PROJECTION_YEAR

        return FIRST_PROJECTION_YEAR, FIRST_PROJECTION_YEAR + self.rounds * self.years_per_round - 1

    def line(self) -> str:
        """The plan in one sentence, e.g. "90-minute seminar: 3 rounds of 2 model years (2025–2030), ..."."""
        first, last = self.years()
        return seminar()["plan"]["text"]["line"].format(
            minutes=self.minutes,
            rounds=self.rounds,
            years=self.years_per_round,
            round_minutes=self.round_minutes,
            first_year=first,
            last_year=last,
        )


def plans() -> dict[int, Plan]:
    """The seminar plans by length in minutes, each checked against the role-play engine's limits."""
    from dprk_roleplay.game import MAX_ROUNDS, MAX_YEARS_PER_ROUND

    result = {}
    for entry in seminar()["plan"]["seminar"]:
        plan = Plan(**entry)
        if not (1 <= plan.rounds <= MAX_ROUNDS and 1 <= plan.years_per_round <= MAX_YEARS_PER_ROUND):
            raise ValueError(
                f"seminar.toml: the {plan.minutes}-minute plan has {plan.rounds} rounds of {plan.years_per_round} "
                f"years; allowed 1-{MAX_ROUNDS} rounds of 1-{MAX_YEARS_PER_ROUND} years."
            )
        result[plan.minutes] = plan
    return result


def default_plan() -> Plan:
    """The plan the role-play app starts with and the decision sheets print for."""
    return plans()[seminar()["plan"]["default"]]


def print_lines(team_count: int) -> list[str]:
    """What to print for a game of ``team_count`` teams, one line per document."""
    return [line.format(teams=team_count) for line in seminar()["plan"]["text"]["print"]]


__all__ = [
    "Plan",
    "default_plan",
    "definition",
    "exit_ticket_lines",
    "limits_lines",
    "plans",
    "print_lines",
    "seminar",
]
