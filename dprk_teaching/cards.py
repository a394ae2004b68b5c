"""The role-play's cards as a printable PDF: one page per team, the facilitator's card, the event cards four to a page.

Everything on a card comes from :mod:`dprk_roleplay` (``roles.toml``, ``events.toml``) and the parameter
registry: a team's briefing, interests and red lines; exactly the levers it controls, each with its title,
unit, range, default and source; its objective and how the scoreboard measures it (every term with its
weight, its scale and the reasoning for the scale). Sources are cited in full at the foot of each card.

Examples
--------
>>> from dprk_teaching.cards import card_titles
>>> card_titles()[0]
'China'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from dprk_teaching.pages import (
    MARGIN_IN,
    MIN_TEXT_PT,
    Block,
    Line,
    Measure,
    bullets,
    check_paper,
    check_target,
    compose,
    gap,
    paragraph,
    table,
    write_pages,
)
from dprk_teaching.roleplay_text import veto_rule
from dprk_teaching.texts import plans, print_lines, seminar
from model import registry
from model.formatting import format_quantity

#: How a round is scored, as ``dprk_roleplay/roles.toml`` states it (its header comment).
SCORING_RULE = (
    "Each round, every term compares the measure, averaged over the round's model years, with the same years "
    "of the baseline preset, and earns weight × 10 × clip(change ÷ scale, −1, +1), the sign flipped when lower "
    "is better. A round therefore scores from −10 to +10; the scale is the change that earns the full 10 "
    "points (a game-design assumption, sized from the gap between the baseline and the presets)."
)
BODY_PT = 10.0


def card_titles() -> list[str]:
    """Titles of the cards in print order: the teams, the facilitator, the event cards."""
    return [card["title"] for card in cards()]


def _source_refs(keys: Sequence[str], cited: list[str]) -> str:
    """``[1], [3]`` for source keys, adding new ones to ``cited`` (the card's numbered list)."""
    refs = []
    for key in keys:
        if key not in cited:
            cited.append(key)
        refs.append(f"[{cited.index(key) + 1}]")
    return ", ".join(refs)


def lever_rows(levers: Sequence[str], cited: list[str]) -> list[tuple[str, str, str, str, str]]:
    """Rows (title, unit, range, default, source) of a card's lever table; sources as ``[n]`` into ``cited``."""
    rows = []
    for name in levers:
        parameter = registry.get(name)
        if parameter.kind == "choice":
            unit, allowed = "choice", "; ".join(parameter.choice_labels)
            default = parameter.choice_labels[int(parameter.default)]
        elif parameter.kind == "bool":
            unit, allowed, default = "switch", "on or off", "on" if parameter.default else "off"
        else:
            unit = parameter.unit
            low, high = (registry.format_value(v, parameter) for v in (parameter.min, parameter.max))
            allowed = f"{low} to {high}"
            default = registry.format_value(parameter.default, parameter)
        source = _source_refs([s.key for s in parameter.sources], cited)
        if parameter.assumption:
            source = f"{source}; assumption" if source else "assumption (see the parameter table)"
        rows.append((parameter.title, unit, allowed, default, source))
    return rows


def _card_blocks(card: dict[str, Any], width_in: float, scale: float, measure: Measure) -> list[Block]:
    x = MARGIN_IN
    body = BODY_PT * scale
    small = max(MIN_TEXT_PT, body * 0.82)
    heading = body * 1.15
    space = gap(body * 0.7)
    blocks = [
        paragraph(measure, card["kind"], x, width_in, small, colour="#555555"),
        paragraph(measure, card["title"], x, width_in, body * 1.9, bold=True),
        space,
        paragraph(measure, card["briefing"], x, width_in, body),
    ]
    for section, lines in card.get("sections", ()):
        blocks += [space, paragraph(measure, section, x, width_in, heading, bold=True)]
        blocks.append(bullets(measure, lines, x, width_in, body))
    for label in ("Interests", "Red lines"):
        if card.get(label):
            blocks += [space, paragraph(measure, label, x, width_in, heading, bold=True)]
            blocks.append(bullets(measure, card[label], x, width_in, body))
    cited: list[str] = list(card.get("sources", ()))
    if card.get("levers"):
        blocks += [space, paragraph(measure, card["levers_heading"], x, width_in, heading, bold=True)]
        fractions = (0.34, 0.12, 0.24, 0.12, 0.18)
        columns, left = [], x
        for fraction in fractions:
            columns.append((left, width_in * fraction - 0.08))
            left += width_in * fraction
        rows = [("Lever", "Unit", "Range", "Default", "Source"), *lever_rows(card["levers"], cited)]
        blocks.append(table(measure, rows, columns, body * 0.92, header=True))
    if card.get("changes"):
        blocks += [
            space,
            paragraph(measure, card.get("changes_heading", "What changes"), x, width_in, heading, bold=True),
        ]
        blocks.append(bullets(measure, card["changes"], x, width_in, body))
    if card.get("objective"):
        blocks += [space, paragraph(measure, "Your objective", x, width_in, heading, bold=True)]
        blocks.append(paragraph(measure, card["objective"], x, width_in, body, bold=True))
        blocks.append(gap(body * 0.4))
        columns = [(x, width_in * 0.3), (x + width_in * 0.31, width_in * 0.1), (x + width_in * 0.41, width_in * 0.08)]
        columns += [(x + width_in * 0.5, width_in * 0.13), (x + width_in * 0.64, width_in * 0.36)]
        rows = [("Measured by", "Better", "Weight", "Scale", "Why this scale"), *card["terms"]]
        blocks.append(table(measure, rows, columns, body * 0.9, header=True))
        blocks.append(paragraph(measure, SCORING_RULE, x, width_in, small, colour="#333333"))
    if card.get("reasoning"):
        blocks += [space, paragraph(measure, card["reasoning"], x, width_in, small, colour="#333333")]
    blocks += [space, paragraph(measure, "Sources", x, width_in, heading * 0.9, bold=True)]
    if cited:
        indent = 0.3
        known = registry.sources()
        for number, key in enumerate(cited, start=1):
            block = paragraph(measure, known[key].citation(), x + indent, width_in - indent, small)
            blocks.append(Block((Line(x, block.lines[0].y, f"[{number}]", small), *block.lines), block.height))
    else:
        blocks.append(paragraph(measure, card.get("no_sources", "None: a game choice."), x, width_in, small))
    return blocks


def _term_row(term: Any) -> tuple[str, str, str, str, str]:
    scale = format_quantity(term.scale, term.measure.unit)
    if term.measure.unit == "fraction":
        scale = f"{term.scale:g} (= {term.scale * 100:g} points)"
    return (term.measure.label, term.better, f"{term.weight:g}", scale, term.scale_reasoning)


def cards() -> list[dict[str, Any]]:
    """Every card's content as plain data, in print order (see :func:`card_titles`)."""
    import dprk_roleplay as roleplay

    result = []
    for team in roleplay.teams().values():
        result.append(
            {
                "kind": "Role card (team)",
                "title": team.title,
                "briefing": team.briefing,
                "Interests": team.interests,
                "Red lines": team.red_lines,
                "sources": team.sources,
                "levers": team.levers,
                "levers_heading": "The levers your team controls (and no others)",
                "objective": team.objective,
                "terms": [_term_row(term) for term in team.terms],
            }
        )
    host = roleplay.facilitator()
    result.append(
        {
            "kind": "Facilitator's card",
            "title": host.title,
            "briefing": host.briefing,
            "sections": facilitator_sections(),
            "levers": host.levers,
            "levers_heading": "The levers only the facilitator moves",
            "changes_heading": seminar()["facilitator_card"]["events_heading"],
            "changes": [_event_line(event) for event in roleplay.events().values()],
        }
    )
    for event in roleplay.events().values():
        result.append(
            {
                "kind": "Event card (played by the facilitator between rounds)",
                "title": event.title,
                "briefing": event.description,
                "changes": [_change_text(event)],
                "reasoning": f"Why: {event.reasoning}",
                "sources": event.sources,
                "no_sources": "None: a hypothetical event.",
            }
        )
    return result


def _event_line(event: Any) -> str:
    """One line of the facilitator's card per event: its title, what it changes, and whether it can be vetoed."""
    council = (
        f" {seminar()['events']['council'][:1].upper()}{seminar()['events']['council'][1:]}." if event.council else ""
    )
    return f"{event.title}: {_change_text(event)}{council}"


def facilitator_sections() -> list[tuple[str, list[str]]]:
    """The facilitator card's own sections, as (heading, lines).

    What to print, the plans, a round's steps, the veto rule, each team's objective, and what to do when
    something goes wrong: every word from ``seminar.toml`` and the role-play's data.
    """
    import dprk_roleplay as roleplay
    from dprk_roleplay import game

    text = seminar()["facilitator_card"]
    teams = roleplay.teams()
    values = {
        "rounds_max": game.MAX_ROUNDS,
        "years_max": game.MAX_YEARS_PER_ROUND,
        "first_year": game.FIRST_PROJECTION_YEAR,
        "points": f"{game.POINTS:g}",
    }
    return [
        (text["print_heading"], print_lines(len(teams))),
        (text["plans_heading"], [plan.line() for plan in plans().values()]),
        (text["steps_heading"], [step.format(**values) for step in seminar()["rounds"]["steps"]]),
        (text["veto_heading"], [veto_rule()]),
        (text["objectives_heading"], [f"{team.title}: {team.objective}" for team in teams.values()]),
        (text["rescue_heading"], list(text["rescue"])),
    ]


def _change_text(event: Any) -> str:
    parts = []
    for name, value in event.set.items():
        parameter = registry.get(name)
        if value == "round_start":
            shown = "the first year of the round"
        elif parameter.kind == "choice":
            shown = parameter.choice_labels[int(parameter.coerce(value))]
        else:
            shown = f"{parameter.display(parameter.coerce(value))} {parameter.unit}".strip()
        parts.append(f"{parameter.title} becomes {shown}")
    for name, value in event.add.items():
        parameter = registry.get(name)
        parts.append(
            f"{parameter.title} {'+' if value >= 0 else '−'}{abs(value):g} {parameter.unit} (within its range)"
        )
    lasting = f"for {event.rounds} round{'s' if event.rounds != 1 else ''}" if event.rounds else "until a lever moves"
    return "; ".join(parts) + f" ({lasting})."


def card_pages(paper: str = "a4") -> list[Any]:
    """The cards' pages, each checked to fit its page.

    One matplotlib Figure per team card and for the facilitator's, then the event cards four to a page
    (:func:`dprk_teaching.play_sheets.event_pages`).
    """
    size = check_paper(paper)
    width_in = size[0] - 2 * MARGIN_IN
    measure = Measure()
    scales = [1.0 - 0.04 * k for k in range(10) if BODY_PT * (1.0 - 0.04 * k) >= MIN_TEXT_PT]
    from dprk_teaching.play_sheets import event_pages

    whole_pages = [card for card in cards() if not card["kind"].startswith("Event card")]
    pages = [
        compose(
            size, lambda scale, c=card: _card_blocks(c, width_in, scale, measure), scales, f"the card {card['title']!r}"
        )
        for card in whole_pages
    ]
    return [*pages, *event_pages(paper)]


def write_cards(path: str | Path, paper: str = "a4", overwrite: bool = False) -> Path:
    """Write every card (see :func:`card_titles`) as one PDF.

    A page per team and for the facilitator, then the event cards four to a page with cut marks.

    Parameters
    ----------
    path : str or Path
        Target ending in ``.pdf``; its folder must exist.
    paper : {"a4", "letter"}
    overwrite : bool
        Replace an existing file (only once the new one is complete).

    Returns
    -------
    Path

    Raises
    ------
    dprk_teaching.pages.PageError
        For a bad paper or target; nothing is written then.
    """
    check_paper(paper)
    path = check_target(path, overwrite)
    return write_pages(card_pages(paper), path, "Role-play cards: North Korea's lifelines", overwrite)


__all__ = ["SCORING_RULE", "card_pages", "card_titles", "cards", "lever_rows", "write_cards"]
