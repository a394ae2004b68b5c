"""The one-page handout of a role-play game (finished or not): standings, the rounds, where the levers ended.

:func:`content_for_game` fills a :class:`dprk_teaching.handout.HandoutContent`, which
:func:`dprk_teaching.handout.write_pdf` lays out on one page: the figure of rounds (each round's scores and the
totals), the levers that ended away from the baseline (who moved them, in which round), each team's total
with its round scores, and the sources of the teams' cards and the events played.
"""

from __future__ import annotations

from typing import Any

from dprk_roleplay import events, teams
from dprk_roleplay import game as rules
from dprk_teaching.handout import HandoutContent, KeyNumber, Setting, value_text
from model import registry


def _points(value: float) -> str:
    return f"{value:+.1f}" if abs(value) >= 0.05 else "0.0"


def _who(key: str) -> str:
    return "the facilitator" if key == rules.FACILITATOR else teams()[key].short


def _history_note(game: rules.Game, lever: str) -> str:
    """Who changed a lever in which round (moves and event cards)."""
    changes = []
    for played in game.rounds:
        for who, levers in played.moves.items():
            if lever in levers:
                changes.append(f"{_who(who)}, round {played.number}")
        for key in played.events:
            card = events()[key]
            if lever in card.set or lever in card.add:
                changes.append(f"card '{card.title}', round {played.number}")
    return "; ".join(changes)


def content_for_game(game: rules.Game) -> HandoutContent:
    """The handout of a role-play game.

    Parameters
    ----------
    game : dprk_roleplay.game.Game
        A game as played or loaded (:func:`dprk_roleplay.game.load_game`); a game with no round yet gives
        a page that says so.

    Returns
    -------
    dprk_teaching.handout.HandoutContent
        Settings: every lever whose value after the last round differs from the baseline's, with the
        baseline's value and who changed it when. Key numbers: each team's total (points) with its round
        scores. Sources: the cards of the game's teams and the events played.
    """
    setup = game.setup
    baseline = rules.new_game(setup.teams, setup.rounds, setup.years_per_round).settings()
    now = game.settings()
    settings = [
        Setting(
            registry.get(name).title,
            value_text(name, now[name]),
            f"baseline: {value_text(name, baseline[name])}"
            + (f"; {note}" if (note := _history_note(game, name)) else ""),
        )
        for name in rules.lever_names()
        if now[name] != baseline[name]
    ]
    names = ", ".join(teams()[key].short for key in setup.teams)
    first = setup.years(1)[0]
    if game.rounds:
        last = game.rounds[-1].years[1]
        ranking = sorted(game.totals().items(), key=lambda item: -item[1])
        standings = ", ".join(f"{teams()[key].short} {_points(total)}" for key, total in ranking)
        state = "Final" if game.finished else f"After round {game.played}"
        played = sorted({key for r in game.rounds for key in r.events}, key=list(events()).index)
        cards = "; events played: " + ", ".join(events()[k].title for k in played) if played else "; no event played"
        description = (
            f"Teams: {names}. {game.played} of {setup.rounds} rounds of {setup.years_per_round} model years "
            f"played ({first}–{last}). {state} standings (points): {standings}{cards}. Each round scores every "
            "team from -10 to +10 on its objective, against the baseline over the round's years."
        )
    else:
        description = (
            f"Teams: {names}. {setup.rounds} rounds of {setup.years_per_round} model years from {first}; "
            "no round played yet."
        )
    key_numbers = [
        KeyNumber(
            f"{teams()[key].short}: {teams()[key].objective} Rounds: "
            + (", ".join(_points(r.outcomes[key].score) for r in game.rounds) or "none"),
            f"{_points(game.totals()[key])} points",
        )
        for key in setup.teams
    ]
    sources = [s for key in setup.teams for s in teams()[key].sources]
    sources += [s for r in game.rounds for key in r.events for s in events()[key].sources]
    return HandoutContent(
        title=setup.title or "Role-play game",
        description=description,
        settings=tuple(settings),
        key_numbers=tuple(key_numbers),
        sources=tuple(sources),
        draw_figure=_figure(game) if game.rounds else None,
        subtitle="Role-play handout: the rounds played, each team's score, and where the levers ended. "
        "North Korea's lifelines, a sanctions-scenario model.",
        key_numbers_heading="Totals (points) and each round's score",
    )


def _figure(game: rules.Game) -> Any:
    """Draw each round's scores and the running totals into a handout's subfigure."""

    def draw(figure: Any) -> None:
        from dprk_figures import roleplay as plots

        series = rules.history(game)
        grid = figure.add_gridspec(1, 2, left=0.07, right=0.8, top=0.9, bottom=0.22, wspace=0.3)
        scores, totals = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
        plots.round_scores(scores, series["labels"], series["scores"], series["names"])
        plots.total_scores(totals, series["labels"], series["totals"], series["names"])
        totals.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
        for ax in (scores, totals):
            ax.title.set_fontsize(10)
            ax.xaxis.label.set_fontsize(8.5)
            ax.yaxis.label.set_fontsize(8.5)
            ax.tick_params(labelsize=8)

    return draw


__all__ = ["content_for_game"]
