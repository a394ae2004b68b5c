"""The role-play in words: the scoreboard, the round log, the cards' summary and notebook 08's worked answers.

Plain HTML and Markdown made from a game (:mod:`dprk_roleplay.game`), shared by the facilitator's app and the
answer key.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from dprk_roleplay import events, facilitator, teams
from dprk_roleplay import game as rules
from dprk_teaching.tables import NO_MATH, solution
from model.formatting import format_quantity


def _points(value: float) -> str:
    return f"{value:+.1f}" if abs(value) >= 0.05 else "0.0"


def _measure(value: float, unit: str) -> str:
    """A measure for the scoreboard: an index (concentration) as a plain number, else with its unit."""
    return f"{value:.3f}" if unit.startswith("index") else format_quantity(value, unit)


def scoreboard_html(game: rules.Game) -> str:
    """The projector's table: every team's objective, measures against the baseline, round score and total.

    Parameters
    ----------
    game : dprk_roleplay.game.Game

    Returns
    -------
    str
        HTML; each team's round score and total carry ``data-key`` (``score.TEAM``, ``total.TEAM``) and
        ``data-value`` (the raw number), as the other readouts do.
    """
    if not game.rounds:
        first, last = game.setup.years(1)
        return (
            f"<p class='{NO_MATH}'>No round played yet. Round 1 covers {first}–{last}; every lever starts at the "
            "baseline, so a round in which nobody moves scores 0 for every team.</p>"
        )
    last_round = game.rounds[-1]
    first, last = last_round.years
    head = (
        "<tr><th style='text-align:left'>Team and objective</th>"
        "<th style='text-align:left'>Measure (mean of the round's years)</th><th>Baseline</th><th>Game</th>"
        "<th>Points</th><th>Round score</th><th>Total</th></tr>"
    )
    body = []
    for key in game.setup.teams:
        team, outcome = teams()[key], last_round.outcomes[key]
        span = len(outcome.terms)
        for i, term in enumerate(outcome.terms):
            cells = []
            if i == 0:
                # The objective under the team's name, small: the board stays short enough for a projector.
                cells.append(
                    f"<td rowspan='{span}' style='text-align:left;max-width:260px'><b>{html.escape(team.short)}</b>"
                    f"<div style='font-size:85%;color:#444;line-height:1.25'>{html.escape(team.objective)}</div></td>"
                )
            arrow = "↑" if term.better == "higher" else "↓"
            cells.append(
                f"<td style='text-align:left;white-space:normal'>{html.escape(term.label)} ({arrow} better)</td>"
            )
            cells.append(f"<td>{html.escape(_measure(term.baseline, term.unit))}</td>")
            cells.append(f"<td>{html.escape(_measure(term.value, term.unit))}</td>")
            cells.append(f"<td>{_points(term.points)}</td>")
            if i == 0:
                cells.append(
                    f"<td rowspan='{span}' data-key='score.{key}' data-value='{outcome.score!r}'>"
                    f"<b>{_points(outcome.score)}</b></td>"
                )
                cells.append(
                    f"<td rowspan='{span}' data-key='total.{key}' data-value='{outcome.total!r}'>"
                    f"<b>{_points(outcome.total)}</b></td>"
                )
            body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<h4 style='margin:4px 0'>Round {last_round.number} of {game.setup.rounds} ({first}–{last})</h4>"
        # Room between the columns ("93,357 persons93,357 persons" without), numbers on one line.
        "<style>table.roleplay-scoreboard td, table.roleplay-scoreboard th {padding:1px 6px}"
        " table.roleplay-scoreboard td {white-space:nowrap} table.roleplay-scoreboard td[rowspan] {white-space:normal}"
        "</style>"
        f"<table class='roleplay-scoreboard {NO_MATH}' "
        "style='border-collapse:collapse;font-size:105%;line-height:1.35'>"
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


def move_text(lever: str, value: Any) -> str:
    """A move as people read it: the lever's title and its new value with the unit (never a parameter name)."""
    from dprk_teaching.handout import value_text
    from model import registry

    return f"{registry.get(lever).title}: {value_text(lever, registry.get(lever).coerce(value))}"


def who_text(who: str) -> str:
    """A team's short name, or "Facilitator"."""
    return facilitator().title.split(":")[0] if who == rules.FACILITATOR else teams()[who].short


def round_lines(played: rules.Round) -> list[str]:
    """What happened in a round, one line per team that moved, the vetoes and the event cards (plain text)."""
    lines = []
    for who, levers in played.moves.items():
        lines.append(f"{who_text(who)}: " + "; ".join(move_text(lever, value) for lever, value in levers.items()))
    for who, levers in played.blocked.items():
        by = " and ".join(teams()[k].short for k in played.vetoes)
        lines.append(
            f"{who_text(who)} proposed, vetoed by {by}: "
            + "; ".join(move_text(lever, value) for lever, value in levers.items())
        )
    if played.vetoes and not played.blocked and not played.blocked_events:
        names = " and ".join(teams()[k].short for k in played.vetoes)
        lines.append(f"Veto cast by {names} (nothing was proposed)")
    if played.events:
        cards = [events()[key].title + (" (vetoed)" if key in played.blocked_events else "") for key in played.events]
        lines.append("Event cards: " + ", ".join(cards))
    return lines or ["No lever moved."]


def history_html(game: rules.Game) -> str:
    """The round log: who moved which lever to what (titles and units), the vetoes and the event cards."""
    if not game.rounds:
        return ""
    items = []
    for played in game.rounds:
        first, last = played.years
        lines = "".join(f"<li>{html.escape(line)}</li>" for line in round_lines(played))
        items.append(f"<li>Round {played.number} ({first}–{last})<ul>{lines}</ul></li>")
    return f"<ul class='roleplay-history {NO_MATH}'>" + "".join(items) + "</ul>"


def _size(value: float, unit: str) -> str:
    """A size of change: percentage points for shares, no sign."""
    return format_quantity(value, unit, difference=True).lstrip("+")


def cards_markdown() -> str:
    """A Markdown table of the cards: each team's levers and the terms of its objective (from ``roles.toml``)."""
    from model import registry

    rows = ["| team | levers | objective: terms (weight, the change that earns full points) |", "|---|---|---|"]
    for team in teams().values():
        levers = "; ".join(registry.get(name).title for name in team.levers)
        terms = "; ".join(
            f"{t.measure.label}, {t.better} is better ({t.weight:g}, {_size(t.scale, t.measure.unit)})"
            for t in team.terms
        )
        rows.append(f"| **{team.short}** | {levers} | {terms} |")
    levers = "; ".join(registry.get(name).title for name in facilitator().levers)
    rows.append(f"| **Facilitator** | {levers} and the event cards | none: the facilitator keeps the story going |")
    return "\n".join(rows).replace("$", r"\$")


# ---------------------------------------------------------------------------------------------- plans and controls
def _joined(items: list[str]) -> str:
    """Items joined as in prose: ``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _in_sentence(title: str) -> str:
    """A title inside a sentence: its first letter small unless it starts an abbreviation ("UN cap" stays)."""
    return title if title[:2].isupper() else title[:1].lower() + title[1:]


def veto_rule() -> str:
    """The veto rule in the words of ``seminar.toml``, the levers and teams filled from the role-play's data."""
    from dprk_roleplay import council_levers, veto_teams
    from dprk_teaching.texts import seminar
    from model import registry

    text = seminar()["veto"]
    council, vetoers = council_levers(), veto_teams()
    if not (council and vetoers):
        return text["fallback"]
    rule = text["rule"].format(
        levers=_joined([_in_sentence(registry.get(name).title) for name in council]),
        teams=_joined([teams()[key].title for key in vetoers]),
    )
    cards = [f"“{event.title}”" for event in events().values() if event.council]
    if cards:
        rule += f" The same holds for the event card{'s' if len(cards) > 1 else ''} {_joined(cards)}."
    return rule


def plan_lines() -> list[str]:
    """Every seminar plan in one sentence, and which one the app starts with (``seminar.toml``'s ``[plan]``)."""
    from dprk_teaching.texts import default_plan, plans, seminar

    lines = [plan.line() for plan in plans().values()]
    return [*lines, seminar()["plan"]["text"]["app_default"].format(minutes=default_plan().minutes)]


def controls_markdown() -> str:
    """Notebook 08's guide to the game's controls: the plans, the veto, undo, saving itself, export to 07."""
    from dprk_teaching.texts import seminar

    text = seminar()["roleplay_help"]
    parts = [f"**{text['plans_heading']}.**", "", *(f"* {line}" for line in plan_lines()), ""]
    parts += [f"**{text['veto_heading']}.** {veto_rule()} {text['veto_how']}", ""]
    parts += [f"**{text['undo_heading']}.**", "", *(f"* {line}" for line in text["undo"]), ""]
    parts += [f"**{text['autosave_heading']}.** {text['autosave']}", ""]
    parts += [f"**{text['export_heading']}.** {text['export']}"]
    return "\n".join(parts).replace("$", r"\$")


# ---------------------------------------------------------------------------------------------- exercises
def _example_round(
    choices: Mapping[str, Mapping[str, Any]], played: tuple[str, ...] = ()
) -> dict[str, rules.TeamOutcome]:
    """The outcomes of a first round of a five-team game with these choices and events."""
    game = rules.play(rules.new_game(tuple(teams()), 4, 2), choices, played)
    return game.rounds[-1].outcomes


def _terms_list(outcomes: Mapping[str, rules.TeamOutcome], changed_only: bool = False) -> str:
    """An HTML list of every team's round score with the points of each of its terms."""
    items = []
    for key, outcome in outcomes.items():
        terms = [t for t in outcome.terms if not changed_only or abs(t.points) >= 0.05]
        if not terms:
            continue
        parts = ", ".join(f"{html.escape(t.label)} {_points(t.points)}" for t in terms)
        items.append(f"<li><b>{html.escape(teams()[key].short)} {_points(outcome.score)}</b>: {parts}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def exercise(number: int) -> Any:
    """The worked solution of exercise ``number`` (1-3) of notebook 08, computed from the game's rules.

    Returns
    -------
    IPython.display.HTML
        Hidden until opened (:func:`dprk_teaching.tables.solution`).
    """
    return solution(exercise_html(number))


def exercise_html(number: int) -> str:
    """The worked solution of exercise ``number`` (1-3) of notebook 08 as HTML (also the answer key's text)."""
    if number == 1:
        outcomes = _example_round({"russia": {"russia_arms_enforcement": 1.0}})
        body = (
            "<p>In the first round (2025–26), Russia stops buying arms (its arms-trade enforcement at 1) and nobody "
            f"else moves. Each team's terms and points:</p>{_terms_list(outcomes)}<p>One team's move scores for "
            "every team, because every objective is measured in the same world; a team that did nothing can "
            "gain or lose most.</p>"
        )
    elif number == 2:
        quiet = _example_round({})
        heist = _example_round({}, ("crypto_heist",))
        body = (
            "<p>A round with no move scores exactly 0 for every team "
            f"({', '.join(f'{teams()[k].short} {_points(o.score)}' for k, o in quiet.items())}): the game starts "
            "from the baseline and is scored against it. With the crypto-theft card alone, the terms that move "
            f"are:</p>{_terms_list(heist, changed_only=True)}<p>Stolen cryptocurrency is hard currency, but it is "
            "not a flow through China or Russia, so the shares, the concentration and the oil terms do not move.</p>"
        )
    elif number == 3:
        first = rules.play(rules.new_game(tuple(teams()), 4, 2), {}, ("border_incident",))
        second = rules.play(first, {}, ())
        lever = "china_smuggling_enforcement"
        body = (
            f"<p>The border incident raises China's smuggling enforcement from "
            f"{rules.new_game(tuple(teams()), 4, 2).values()[lever]:.2f} to {first.values()[lever]:.2f} in round 1; "
            f"in round 2, with nobody moving it, it is back at {second.values()[lever]:.2f}. Had the China team "
            "moved that lever in round 2, its own choice would have stayed: a card that lasts one round does not "
            "overrule a team's later decision.</p>"
        )
    else:
        raise ValueError(f"exercise {number!r}: notebook 08 has exercises 1 to 3")
    return body


__all__ = [
    "cards_markdown",
    "controls_markdown",
    "exercise",
    "exercise_html",
    "history_html",
    "move_text",
    "plan_lines",
    "round_lines",
    "scoreboard_html",
    "veto_rule",
    "who_text",
]
