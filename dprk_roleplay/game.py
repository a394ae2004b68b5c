"""The role-play's engine: set up a game, play rounds, score them, undo, save and load (notebook 08).

Pure and deterministic: a :class:`Game` is a frozen value; :func:`play` and :func:`undo` return a new
one, so undoing a round gives back exactly the game before it. Nothing here imports widgets or plots.

How a round is computed
-----------------------
Rounds are consecutive blocks of ``years_per_round`` model years from
:data:`model.timeline.FIRST_PROJECTION_YEAR`. Every lever starts at the baseline preset's value and keeps
its value from round to round until it is moved. In round ``r``:

1. each team's choices (its own levers only) and the facilitator's moves are compared with the values
   the levers had at the end of round ``r - 1``; a choice that differs is a **move**;
2. a temporary event (``rounds = N``) played in round ``r - N`` ends: each lever it changed returns to
   the value it had just before the event, unless someone (a team, the facilitator or another event)
   moved that lever after the event was played;
3. the moves are applied;
4. the events played in round ``r`` are applied on top (``set`` replaces a value, ``"round_start"``
   is the round's first year, ``add`` is clipped to the lever's range), from the round's first year;
5. the model runs with the resulting settings, and every objective term's measure is averaged over the
   round's years, in the run and in the baseline preset's run, and scored (:func:`score_term`).

Why one run per round is exact: :func:`model.core.simulate` carries no stock from one year to the next.
Every channel of :mod:`model.flows` and :mod:`model.mechanism` is computed elementwise per year from
that year's parameter values and history series (the only year-dependent rule, the ceasefire, compares
each year with the ``ceasefire_year`` lever); nothing accumulates, lags or sums over years. The
years of a run with a round's settings are therefore exactly the years a path of piecewise-constant
levers would give in that round. (Two levers, ``border_closure`` and ``include_cyber``, also rewrite the
history years; a round reads only its own projection years, so that does not matter here.)

Scoring (the rule of ``roles.toml``): a term earns ``weight * 10 * clip((value - baseline) / scale, -1, 1)``,
sign flipped when lower is better; a team's round score is the sum of its terms (-10 to +10) and its
total the sum of its round scores.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from dprk_roleplay import ROUND_START, Term, council_levers, events, facilitator, holder, teams, veto_teams
from model import datafiles, registry
from model.errors import ModelInputError, ParameterError
from model.timeline import FIRST_PROJECTION_YEAR, LAST_YEAR

KIND = "roleplay_game"
FORMAT = 2  # the game-file format this version writes; it reads 1 (no vetoes) and 2
MAX_BYTES = 2_000_000  # eight rounds of every lever are a few tens of kilobytes
MAX_ROUNDS = 8
MAX_YEARS_PER_ROUND = 5
FACILITATOR = "facilitator"
POINTS = 10.0  # a round scores from -POINTS to +POINTS
TOP_KEYS = ("kind", "format", "setup", "rounds")
SETUP_KEYS = ("teams", "rounds", "years_per_round", "title")
ROUND_KEYS = ("choices", "events", "vetoes")
ROUND_REQUIRED = ("choices", "events")


class GameError(ModelInputError):
    """A game setup, a round's input or a game file is not acceptable; the message says what is allowed."""


#: Game files pass the same first checks as scenario files (:mod:`model.datafiles`).
FILE_KIND = datafiles.FileKind(
    "game file",
    MAX_BYTES,
    GameError,
    when_empty=f"a game file is JSON with kind {KIND!r}.",
    when_not_utf8="a game file is UTF-8 JSON.",
    when_binary="a JSON game file.",
)


# ---------------------------------------------------------------------------------------------- setup
@dataclass(frozen=True)
class Setup:
    """Which teams play, how many rounds and how many model years each round covers.

    Build it with :func:`new_setup`, which checks every field.
    """

    teams: tuple[str, ...]
    rounds: int
    years_per_round: int
    title: str = ""

    def years(self, number: int) -> tuple[int, int]:
        """First and last model year of round ``number`` (1-based)."""
        first = FIRST_PROJECTION_YEAR + (number - 1) * self.years_per_round
        return first, first + self.years_per_round - 1

    def to_data(self) -> dict[str, Any]:
        """The setup as plain data (as saved)."""
        return {
            "teams": list(self.teams),
            "rounds": self.rounds,
            "years_per_round": self.years_per_round,
            "title": self.title,
        }


def _whole(value: Any, name: str, low: int, high: int, where: str = "setup") -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not float(value).is_integer():
        raise GameError(f"{where}: {name} = {value!r} must be a whole number from {low} to {high}.")
    if not low <= value <= high:
        raise GameError(f"{where}: {name} = {value!r} is out of range: allowed {low} to {high}.")
    return int(value)


def new_setup(
    team_keys: Sequence[str], rounds: int, years_per_round: int, title: str = "", where: str = "setup"
) -> Setup:
    """A checked :class:`Setup`.

    Parameters
    ----------
    team_keys : sequence of str
        Keys of ``roles.toml`` teams (at least one, each once), e.g. ``["china", "russia"]``.
    rounds : int
        Number of rounds, 1 to 8.
    years_per_round : int
        Model years each round covers, 1 to 5.
    title : str
        A name for the game (shown on the projector and the handout).
    where : str
        Where the values come from, for error messages (e.g. a file name).

    Raises
    ------
    GameError
        Naming the field, the value and what is allowed, also when the last round would end after
        :data:`model.timeline.LAST_YEAR`.
    """
    known = list(teams())
    if isinstance(team_keys, str) or not isinstance(team_keys, (list, tuple)):
        raise GameError(f"{where}: teams = {team_keys!r} must be a list of team keys ({', '.join(known)}).")
    if not team_keys:
        raise GameError(f"{where}: teams is empty; choose at least one of {', '.join(known)}.")
    for key in team_keys:
        if key not in known:
            raise GameError(f"{where}: teams: {key!r} is not a team; allowed: {', '.join(known)}.")
    if len(set(team_keys)) != len(team_keys):
        raise GameError(f"{where}: teams = {list(team_keys)!r} names a team twice; each team plays once.")
    rounds = _whole(rounds, "rounds", 1, MAX_ROUNDS, where)
    years_per_round = _whole(years_per_round, "years_per_round", 1, MAX_YEARS_PER_ROUND, where)
    if not isinstance(title, str):
        raise GameError(f"{where}: title = {title!r} must be text.")
    last = FIRST_PROJECTION_YEAR + rounds * years_per_round - 1
    if last > LAST_YEAR:
        room = LAST_YEAR - FIRST_PROJECTION_YEAR + 1
        raise GameError(
            f"{where}: rounds = {rounds} of years_per_round = {years_per_round} would end in {last}, after the "
            f"model's last year {LAST_YEAR}; rounds x years_per_round may be at most {room} "
            f"(the game starts in {FIRST_PROJECTION_YEAR})."
        )
    ordered = tuple(k for k in known if k in team_keys)  # card order, whatever order they were ticked in
    return Setup(ordered, rounds, years_per_round, title)


# ---------------------------------------------------------------------------------------------- state
@dataclass(frozen=True)
class Effect:
    """A temporary event's change of one lever, waiting to end."""

    event: str
    lever: str
    played: int  # the round it was played in
    ends: int  # the round at whose start it ends
    restore: float  # the lever's value just before the event (internal form)


@dataclass(frozen=True)
class TermOutcome:
    """One objective term in one round: the measure averaged over the round's years, and its points."""

    label: str
    unit: str
    better: str
    weight: float
    scale: float
    value: float
    baseline: float
    points: float


@dataclass(frozen=True)
class TeamOutcome:
    """A team's round: each term, the round's score (-10 to +10) and the total so far."""

    team: str
    terms: tuple[TermOutcome, ...]
    score: float
    total: float


@dataclass(frozen=True)
class Round:
    """A played round: its input (moves and events), the settings it ran with, and its outcome.

    Attributes
    ----------
    number : int
        1-based.
    years : tuple of int
        First and last model year.
    moves : dict
        ``{team or "facilitator": {lever: user-form value}}``: only the choices that changed a lever.
    events : tuple of str
        Event keys played this round.
    settings : dict
        Every lever's internal value the round ran with.
    effects : tuple of Effect
        Temporary changes still waiting to end after this round.
    moved : dict
        Per lever, the last round in which someone moved it (0: never).
    outcomes : dict
        ``{team: TeamOutcome}`` for the game's teams.
    vetoes : tuple of str
        The teams that vetoed the UN team's proposals this round.
    blocked : dict
        ``{team: {lever: user-form value}}``: proposals on Security Council levers that a veto stopped.
    blocked_events : tuple of str
        Council event cards (e.g. the Panel restored) that a veto stopped.
    """

    number: int
    years: tuple[int, int]
    moves: dict[str, dict[str, Any]]
    events: tuple[str, ...]
    settings: dict[str, float]
    effects: tuple[Effect, ...]
    moved: dict[str, int]
    outcomes: dict[str, TeamOutcome]
    vetoes: tuple[str, ...] = ()
    blocked: dict[str, dict[str, Any]] = field(default_factory=dict)
    blocked_events: tuple[str, ...] = ()

    def entry(self) -> RoundInput:
        """What was entered for this round (also what a vetoed proposal asked for): replaying it gives this round."""
        choices = {who: dict(levers) for who, levers in self.moves.items()}
        for who, levers in self.blocked.items():
            choices.setdefault(who, {}).update(levers)
        return RoundInput(choices, self.events, self.vetoes)


@dataclass(frozen=True)
class RoundInput:
    """A round's entries: each team's (and the facilitator's) choices, the event cards, the vetoes cast."""

    choices: dict[str, dict[str, Any]]
    events: tuple[str, ...] = ()
    vetoes: tuple[str, ...] = ()

    def without(self, who: str) -> RoundInput:
        """These entries less one team's (its choices and its veto) or the facilitator's (choices and events)."""
        choices = {k: dict(v) for k, v in self.choices.items() if k != who}
        played = () if who == FACILITATOR else self.events
        return RoundInput(choices, played, tuple(k for k in self.vetoes if k != who))


@dataclass(frozen=True)
class Game:
    """A game: its setup and the rounds played so far (a value; :func:`play` returns a new one)."""

    setup: Setup
    rounds: tuple[Round, ...] = field(default=())

    @property
    def played(self) -> int:
        """Rounds played."""
        return len(self.rounds)

    @property
    def finished(self) -> bool:
        """Whether every round of the setup has been played."""
        return self.played >= self.setup.rounds

    @property
    def next_years(self) -> tuple[int, int] | None:
        """Years of the next round, ``None`` when the game is finished."""
        return None if self.finished else self.setup.years(self.played + 1)

    def settings(self) -> dict[str, float]:
        """Every lever's internal value now: after the last round, or the baseline's before the first."""
        return dict(self.rounds[-1].settings) if self.rounds else _baseline_settings()

    def values(self) -> dict[str, Any]:
        """Every lever's user-form value now (choice labels, true/false, whole numbers, floats)."""
        return {name: _user_form(name, value) for name, value in self.settings().items()}

    def totals(self) -> dict[str, float]:
        """Each team's total score so far."""
        if not self.rounds:
            return dict.fromkeys(self.setup.teams, 0.0)
        return {k: o.total for k, o in self.rounds[-1].outcomes.items()}


def lever_names() -> list[str]:
    """Every lever of the registry (each on exactly one card of ``roles.toml``)."""
    return registry.names("lever")


@cache
def _baseline_overrides() -> dict[str, Any]:
    from model.scenarios import BASELINE, load_preset

    return dict(load_preset(BASELINE).overrides)


def _baseline_settings() -> dict[str, float]:
    """The levers' internal values in the baseline preset: where every game starts."""
    overrides = _baseline_overrides()
    return {name: registry.get(name).coerce(overrides.get(name, registry.get(name).default)) for name in lever_names()}


def _user_form(name: str, value: float) -> Any:
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return parameter.choices[int(value)]
    if parameter.kind == "bool":
        return bool(value)
    if parameter.kind == "int":
        return int(value)
    return float(value)


def new_game(team_keys: Sequence[str], rounds: int, years_per_round: int, title: str = "") -> Game:
    """A game with no round played yet (see :func:`new_setup` for the checks)."""
    return Game(new_setup(team_keys, rounds, years_per_round, title))


# ---------------------------------------------------------------------------------------------- scoring
def score_term(value: float, baseline: float, term: Term) -> float:
    """Points of one objective term: ``weight * 10 * clip((value - baseline) / scale, -1, 1)``, signed.

    Parameters
    ----------
    value, baseline : float
        The measure averaged over the round's years, in the game and in the baseline (the measure's unit).
    term : dprk_roleplay.Term
        Its ``better`` (``"higher"`` or ``"lower"``), ``weight`` and ``scale`` (the measure's unit).

    Returns
    -------
    float
        From ``-10 * weight`` to ``+10 * weight``.
    """
    change = float(np.clip((value - baseline) / term.scale, -1.0, 1.0))
    sign = 1.0 if term.better == "higher" else -1.0
    return term.weight * POINTS * sign * change + 0.0  # + 0.0: no -0.0 on the scoreboard


@cache
def _baseline_results():
    from model.core import simulate
    from model.params import Params

    return simulate(Params.from_overrides(_baseline_overrides()))


def _mean_over(results: Any, term: Term, years: tuple[int, int]) -> np.ndarray:
    """The term's measure averaged over the round's years, one value per draw."""
    series = term.measure.values(results)
    index = (results.years >= years[0]) & (results.years <= years[1])
    return series[:, index].mean(axis=1)


@cache
def _baseline_means(years: tuple[int, int]) -> dict[str, tuple[float, ...]]:
    baseline = _baseline_results()
    return {key: tuple(float(_mean_over(baseline, t, years)[0]) for t in team.terms) for key, team in teams().items()}


def term_values(
    columns: Mapping[str, Any], years: tuple[int, int], team_keys: Sequence[str]
) -> dict[str, list[tuple[np.ndarray, float, np.ndarray]]]:
    """One model run for many settings at once: every term's measure, baseline and points, per team.

    Parameters
    ----------
    columns : mapping of str to float or array
        Every lever's internal value; arrays of one length N score N settings in one run (the play-test).
    years : tuple of int
    team_keys : sequence of str

    Returns
    -------
    dict
        ``{team: [(values (N,), baseline, points (N,)) per term]}``.
    """
    from model.core import simulate
    from model.params import Params

    results = simulate(Params.from_overrides(dict(columns)))
    base = _baseline_means(tuple(years))
    found = {}
    for key in team_keys:
        rows = []
        for term, baseline in zip(teams()[key].terms, base[key], strict=True):
            value = _mean_over(results, term, years)
            rows.append((value, baseline, score_terms(value, baseline, term)))
        found[key] = rows
    return found


def score_terms(value: np.ndarray, baseline: float, term: Term) -> np.ndarray:
    """:func:`score_term` for an array of values."""
    change = np.clip((np.asarray(value, dtype=float) - baseline) / term.scale, -1.0, 1.0)
    sign = 1.0 if term.better == "higher" else -1.0
    return term.weight * POINTS * sign * change + 0.0


def round_scores(columns: Mapping[str, Any], years: tuple[int, int], team_keys: Sequence[str]) -> dict[str, np.ndarray]:
    """Each team's round score for many settings at once (see :func:`term_values`): ``{team: (N,)}``."""
    return {
        key: np.sum([points for _v, _b, points in rows], axis=0)
        for key, rows in term_values(columns, years, team_keys).items()
    }


def round_outcomes(
    settings: Mapping[str, float], years: tuple[int, int], team_keys: Sequence[str], totals: Mapping[str, float]
) -> dict[str, TeamOutcome]:
    """Run the model with a round's settings and score every team over the round's years.

    Parameters
    ----------
    settings : mapping of str to float
        Every lever's internal value.
    years : tuple of int
        First and last year of the round.
    team_keys : sequence of str
        Teams to score.
    totals : mapping of str to float
        Each team's total before this round.

    Returns
    -------
    dict of str to TeamOutcome
    """
    found = term_values(settings, years, team_keys)
    outcomes = {}
    for key in team_keys:
        rows = []
        for term, (value, base, points) in zip(teams()[key].terms, found[key], strict=True):
            rows.append(
                TermOutcome(
                    term.measure.label,
                    term.measure.unit,
                    term.better,
                    term.weight,
                    term.scale,
                    float(value[0]),
                    base,
                    float(points[0]),
                )
            )
        score = float(sum(r.points for r in rows))
        outcomes[key] = TeamOutcome(key, tuple(rows), score, float(totals.get(key, 0.0)) + score)
    return outcomes


# ---------------------------------------------------------------------------------------------- playing
def _check_choices(game: Game, choices: Mapping[str, Mapping[str, Any]], where: str) -> dict[str, dict[str, float]]:
    """Internal values of every choice, each checked: a team of this game, its own lever, a valid value."""
    if not isinstance(choices, Mapping):
        raise GameError(f"{where}: choices must be a table of team -> {{lever: value}}, not {type(choices).__name__}.")
    allowed_holders = [*game.setup.teams, FACILITATOR]
    checked: dict[str, dict[str, float]] = {}
    for who, levers in choices.items():
        if who not in allowed_holders:
            known = ", ".join(teams()) + f" or {FACILITATOR}"
            if who in teams():
                raise GameError(
                    f"{where}: team {who!r} is not in this game; its teams are {', '.join(game.setup.teams)} "
                    f"(and the {FACILITATOR})."
                )
            raise GameError(f"{where}: {who!r} is not a team; allowed: {known}.")
        if not isinstance(levers, Mapping):
            raise GameError(f"{where}: choices of {who} must be a table of lever -> value.")
        own = facilitator().levers if who == FACILITATOR else teams()[who].levers
        checked[who] = {}
        for lever, value in levers.items():
            if lever not in own:
                if lever not in registry.registry():
                    raise GameError(f"{where}: {who}: {registry.unknown_name_error(lever)}")
                owner = holder(lever) if registry.get(lever).is_lever else None
                whose = f"it is on the {owner} card" if owner else f"its role is {registry.get(lever).role}, not lever"
                raise GameError(f"{where}: {who} cannot set {lever}: {whose}; {who} holds {', '.join(own)}.")
            if isinstance(value, (dict, list)):
                raise GameError(f"{where}: {who}: {lever} must be a single value, not {type(value).__name__}.")
            try:
                checked[who][lever] = registry.get(lever).coerce(value)
            except ParameterError as error:
                raise GameError(f"{where}: {who}: {error}") from None
    return checked


def _check_events(played: Sequence[str], where: str) -> tuple[str, ...]:
    cards = events()
    if isinstance(played, str) or not isinstance(played, (list, tuple)):
        raise GameError(f"{where}: events = {played!r} must be a list of event keys ({', '.join(cards)}).")
    for key in played:
        if key not in cards:
            raise GameError(f"{where}: {key!r} is not an event card; allowed: {', '.join(cards)}.")
    if len(set(played)) != len(played):
        raise GameError(f"{where}: events = {list(played)!r} plays a card twice in one round.")
    return tuple(played)


def _check_vetoes(game: Game, vetoes: Sequence[str], where: str) -> tuple[str, ...]:
    allowed = [k for k in veto_teams() if k in game.setup.teams]
    if isinstance(vetoes, str) or not isinstance(vetoes, (list, tuple)):
        raise GameError(f"{where}: vetoes = {vetoes!r} must be a list of team keys ({', '.join(allowed) or 'none'}).")
    for key in vetoes:
        if key not in allowed:
            who = "no team in this game" if not allowed else ", ".join(allowed)
            raise GameError(f"{where}: {key!r} cannot veto: only a permanent member's team in the game may ({who}).")
    if len(set(vetoes)) != len(vetoes):
        raise GameError(f"{where}: vetoes = {list(vetoes)!r} names a team twice.")
    return tuple(k for k in allowed if k in vetoes)


def event_changes(key: str, settings: Mapping[str, float], first_year: int) -> dict[str, float]:
    """The internal lever values an event card sets, played on ``settings`` in a round starting ``first_year``."""
    card = events()[key]
    changes = {
        name: registry.get(name).coerce(first_year if value == ROUND_START else value)
        for name, value in card.set.items()
    }
    for name, amount in card.add.items():
        parameter = registry.get(name)
        changes[name] = round(float(np.clip(settings[name] + amount, parameter.min, parameter.max)), 10)
    return changes


def check_entry(
    game: Game,
    choices: Mapping[str, Mapping[str, Any]],
    played_events: Sequence[str],
    vetoes: Sequence[str],
    where: str = "entry",
) -> RoundInput:
    """A round's entries checked as :func:`play` checks them (values in user form), without playing them."""
    checked = _check_choices(game, choices, where)
    return RoundInput(
        {who: {lever: _user_form(lever, value) for lever, value in levers.items()} for who, levers in checked.items()},
        _check_events(played_events, where),
        _check_vetoes(game, vetoes, where),
    )


def play(
    game: Game,
    choices: Mapping[str, Mapping[str, Any]] | None = None,
    played_events: Sequence[str] = (),
    where: str = "",
    vetoes: Sequence[str] = (),
) -> Game:
    """Play the next round and return the new game (``game`` itself is unchanged).

    Parameters
    ----------
    game : Game
    choices : mapping, optional
        ``{team key or "facilitator": {lever: value}}``; values in user or internal form (``"msmt"``,
        ``True``, ``0.5``), each checked by the registry. A team may set its own levers only. Levers
        not named keep their value; a value equal to the lever's current value is not a move.
    played_events : sequence of str
        Keys of event cards played this round.
    where : str
        Prefix of error messages (e.g. ``"round 2"`` of a file).
    vetoes : sequence of str
        Teams with a veto (China, Russia) that veto this round's Security Council proposals: the moves
        of Security Council levers (the UN team's caps and monitoring) and council event cards (the Panel
        restored). A proposal passes only if no such team vetoes it, as in the Council.

    Returns
    -------
    Game

    Raises
    ------
    GameError
        For a finished game, an unknown team or event, a lever not on the team's card, a value out of
        range, or a veto by a team without one; the message names it and what is allowed. Nothing is
        played then.
    """
    number = game.played + 1
    where = where or f"round {number}"
    if game.finished:
        raise GameError(f"{where}: the game has {game.setup.rounds} rounds and all are played; undo one or start anew.")
    checked = _check_choices(game, choices or {}, where)
    played_events = _check_events(played_events, where)
    vetoes = _check_vetoes(game, vetoes, where)
    years = game.setup.years(number)
    before = game.settings()
    moved = dict(game.rounds[-1].moved) if game.rounds else dict.fromkeys(lever_names(), 0)
    settings = dict(before)
    council = set(council_levers()) if vetoes else set()

    # 1. Which choices are moves: they differ from the value in force at the end of the last round. A move of a
    #    Security Council lever that a permanent member vetoed is a proposal that did not pass.
    moves: dict[str, dict[str, Any]] = {}
    blocked: dict[str, dict[str, Any]] = {}
    applied: dict[str, float] = {}
    for who, levers in checked.items():
        for lever, value in levers.items():
            if value == before[lever]:
                continue
            if lever in council:
                blocked.setdefault(who, {})[lever] = _user_form(lever, value)
                continue
            moves.setdefault(who, {})[lever] = _user_form(lever, value)
            moved[lever] = number
            applied[lever] = value

    # 2. Temporary events whose rounds are over end, unless their lever was moved since they were played.
    waiting = []
    for effect in game.rounds[-1].effects if game.rounds else ():
        if effect.ends > number:
            waiting.append(effect)
        elif moved[effect.lever] <= effect.played:
            settings[effect.lever] = effect.restore

    # 3. The moves.
    settings.update(applied)

    # 4. This round's events, on top of the moves (a council card only if nobody vetoed).
    stopped = tuple(key for key in played_events if vetoes and events()[key].council)
    for key in played_events:
        if key in stopped:
            continue
        card = events()[key]
        for name, value in event_changes(key, settings, years[0]).items():
            if card.rounds is not None:
                waiting.append(Effect(key, name, number, number + card.rounds, settings[name]))
            moved[name] = number  # an earlier temporary event on this lever no longer ends in a revert
            settings[name] = value
    try:
        outcomes = round_outcomes(settings, years, game.setup.teams, game.totals())
    except ModelInputError as error:  # settings refused as a whole, e.g. all four payment weights at 0
        raise GameError(f"{where}: {error}") from None
    record = Round(
        number, years, moves, played_events, settings, tuple(waiting), moved, outcomes, vetoes, blocked, stopped
    )
    return replace(game, rounds=(*game.rounds, record))


def undo(game: Game) -> Game:
    """The game as it was before its last round (exactly: the same value). Raises for a game with no round."""
    if not game.rounds:
        raise GameError("undo: no round has been played yet.")
    return replace(game, rounds=game.rounds[:-1])


def undo_entry(game: Game, who: str) -> tuple[Game, RoundInput]:
    """Take the last round back and return the entries to play it again, less one team's.

    The other teams' choices, the events and the other vetoes are kept, so the facilitator corrects one
    team's entry (a typo) and plays the round again without re-entering the others.

    Parameters
    ----------
    game : Game
    who : str
        A team of the game or ``"facilitator"`` (the facilitator's levers and the event cards).

    Returns
    -------
    (Game, RoundInput)
        The game before its last round, and the last round's entries without ``who``'s.
    """
    if not game.rounds:
        raise GameError("undo: no round has been played yet.")
    if who not in (*game.setup.teams, FACILITATOR):
        raise GameError(f"undo: {who!r} is not a team of this game ({', '.join(game.setup.teams)}) or {FACILITATOR}.")
    return undo(game), game.rounds[-1].entry().without(who)


# ---------------------------------------------------------------------------------------------- history
def history(game: Game) -> dict[str, Any]:
    """The arrays of the figure of rounds (:func:`dprk_figures.roleplay.draw_rounds`), per team.

    Returns
    -------
    dict
        ``labels``: one per round of the setup (its number over its years); ``names``: short team names;
        ``scores`` and ``totals``: per team, points in each round played; ``changes``: per team and term
        label, ``(value - baseline) / scale`` in each round played; ``better``: per team and term label,
        ``"higher"`` or ``"lower"``.
    """
    labels = []
    for number in range(1, game.setup.rounds + 1):
        first, last = game.setup.years(number)
        labels.append(f"{number}\n{first}" if first == last else f"{number}\n{first}–{str(last)[-2:]}")
    keys = game.setup.teams
    series: dict[str, Any] = {
        "labels": labels,
        "names": {k: teams()[k].short for k in keys},
        "scores": {k: np.array([r.outcomes[k].score for r in game.rounds]) for k in keys},
        "totals": {k: np.array([r.outcomes[k].total for r in game.rounds]) for k in keys},
        "changes": {},
        "better": {},
    }
    for k in keys:
        terms = teams()[k].terms
        series["changes"][k] = {
            t.measure.label: np.array(
                [(r.outcomes[k].terms[i].value - r.outcomes[k].terms[i].baseline) / t.scale for r in game.rounds]
            )
            for i, t in enumerate(terms)
        }
        series["better"][k] = {t.measure.label: t.better for t in terms}
    return series


# ---------------------------------------------------------------------------------------------- end state
def end_state(game: Game) -> Any:
    """The game's end state as a scenario (:class:`model.scenarios.Scenario`) that the lab (05) and 07 load.

    Its overrides hold every lever's value after the last round (all of them, also those at the registry's
    default, so that loading it fixes every lever, including the ones an app does not show); its view is
    the years the rounds covered; its description says who scored what.
    """
    from model.scenarios import Scenario

    values = game.values()
    if game.rounds:
        first, last = game.rounds[0].years[0], game.rounds[-1].years[1]
        standings = ", ".join(f"{teams()[k].short} {t:+.1f}" for k, t in game.totals().items())
        story = f"End state of the role-play after {game.played} of {game.setup.rounds} rounds; totals: {standings}."
    else:
        first, last = game.setup.years(1)
        story = "Start of a role-play game: every lever at the baseline."
    return Scenario(
        name="roleplay-end-state",
        title=f"Role-play end state: {game.setup.title or 'game'} (round {game.played})",
        description=story + " Every lever is set, so loading this file fixes all of them.",
        overrides=dict(values),
        provenance={"reasoning": "Exported from the role-play (notebook 08): the levers as the teams left them."},
        first_year=first,
        last_year=last,
    )


# ---------------------------------------------------------------------------------------------- files
def to_data(game: Game) -> dict[str, Any]:
    """The game file's content: setup and every round's input (outcomes are recomputed on load)."""
    return {
        "kind": KIND,
        "format": FORMAT,
        "setup": game.setup.to_data(),
        "rounds": [
            {"choices": (entry := r.entry()).choices, "events": list(entry.events), "vetoes": list(entry.vetoes)}
            for r in game.rounds
        ],
    }


def dumps(game: Game) -> str:
    """The game file's text (JSON, LF line endings)."""
    return json.dumps(to_data(game), indent=2, ensure_ascii=False) + "\n"


def save_game(game: Game, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write a game file that :func:`load_game` reads back to an equal game.

    Written to a temporary name and moved into place when complete (:func:`model.tidy.write_text`).

    Raises
    ------
    GameError
        For a name not ending in ``.json``, a missing folder, or an existing file without ``overwrite``.
    """
    from model.tidy import write_text

    path = Path(path)
    if path.suffix.lower() != ".json":
        raise GameError(f"{path}: game files end in .json.")
    if path.exists() and not overwrite:
        raise GameError(f"{path} already exists; choose another name or allow overwriting.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise GameError(f"{path}: folder {folder} does not exist.")
    return write_text(path, dumps(game))


def _keys(data: Any, allowed: tuple[str, ...], required: tuple[str, ...], where: str) -> dict[str, Any]:
    import difflib

    if not isinstance(data, dict):
        raise GameError(f"{where} must be a table of keys ({', '.join(allowed)}), not {type(data).__name__}.")
    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise GameError(f"{where}: unknown key {key!r}.{hint} Allowed: {', '.join(allowed)}.")
    missing = [k for k in required if k not in data]
    if missing:
        raise GameError(f"{where}: missing {', '.join(missing)} (a game file has {', '.join(required)}).")
    return data


def loads(raw: bytes | str, where: str = "game file") -> Game:
    """Read a game file's content and replay it (every round recomputed, with the same checks as :func:`play`).

    Raises
    ------
    GameError
        Naming the file, the place and what is allowed: too large, empty, not UTF-8, binary, not JSON, a
        key twice, unknown or missing keys, another kind, a newer format, a bad setup, an unknown team or
        event, a lever not held by the team, a value out of range, more rounds than the setup has.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    text = datafiles.decode(raw, where, FILE_KIND)
    try:
        data = datafiles.json_without_duplicates(text, GameError, parse_constant=_refuse_constant)
    except (json.JSONDecodeError, RecursionError) as error:
        raise GameError(f"{where}: not valid JSON: {error}") from None
    except GameError as error:
        raise GameError(f"{where}: {error}") from None
    data = _keys(data, TOP_KEYS, TOP_KEYS, where)
    if data["kind"] != KIND:
        raise GameError(f"{where}: kind = {data['kind']!r}; a game file has kind {KIND!r}.")
    datafiles.check_format(data["format"], FORMAT, where, FILE_KIND, "update the suite.")
    setup = _keys(data["setup"], SETUP_KEYS, ("teams", "rounds", "years_per_round"), f"{where} setup")
    game = Game(new_setup(setup["teams"], setup["rounds"], setup["years_per_round"], setup.get("title", ""), where))
    rounds = data["rounds"]
    if not isinstance(rounds, list):
        raise GameError(f"{where}: rounds must be a list of rounds, not {type(rounds).__name__}.")
    if len(rounds) > game.setup.rounds:
        raise GameError(f"{where}: {len(rounds)} rounds played but the setup has {game.setup.rounds}.")
    for number, entry in enumerate(rounds, start=1):
        place = f"{where} round {number}"
        entry = _keys(entry, ROUND_KEYS, ROUND_REQUIRED, place)
        game = play(game, entry["choices"], entry["events"], where=place, vetoes=entry.get("vetoes", []))
    return game


def _refuse_constant(name: str) -> float:
    raise GameError(f"{name} is not a number a game file may hold.")


def load_game(path: str | os.PathLike) -> Game:
    """Read a game file saved by :func:`save_game` (see :func:`loads` for the checks)."""
    path = Path(path)
    if not path.is_file():
        raise GameError(f"game file {str(path)!r} does not exist.")
    return loads(path.read_bytes(), str(path))


def is_game_file(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a JSON file whose ``kind`` is a game's (for the command line's choice of reader)."""
    path = Path(path)
    if path.suffix.lower() != ".json" or not path.is_file() or path.stat().st_size > MAX_BYTES:
        return False
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False
    return isinstance(data, dict) and data.get("kind") == KIND


__all__ = [
    "FACILITATOR",
    "FORMAT",
    "KIND",
    "MAX_ROUNDS",
    "MAX_YEARS_PER_ROUND",
    "Effect",
    "Game",
    "GameError",
    "Round",
    "RoundInput",
    "Setup",
    "TeamOutcome",
    "TermOutcome",
    "check_entry",
    "dumps",
    "end_state",
    "event_changes",
    "history",
    "is_game_file",
    "lever_names",
    "load_game",
    "loads",
    "new_game",
    "new_setup",
    "play",
    "round_outcomes",
    "round_scores",
    "save_game",
    "score_term",
    "term_values",
    "to_data",
    "undo",
    "undo_entry",
]
