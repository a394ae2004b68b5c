"""Play-testing by machine: thousands of games with simple strategies, and what they say about the rules.

``python -m model playtest --games N --seed S --json PATH`` runs :func:`playtest`. Pure and deterministic for
a seed: numpy only, no widgets or plots. Each round of every game is scored by the same rules as
:func:`dprk_roleplay.game.play` (a test replays games through it), but all games are scored together, one
model run with one draw per setting (:func:`dprk_roleplay.game.round_scores`), so 1,000 games take seconds.

The strategies
--------------
Every team, every round, makes at most one move: one of its levers to one of a few values (its range's
ends and middle, every choice of a choice lever) or no move.

* **random**: a move drawn at random (no move as likely as any other); a veto with probability 1/3.
* **greedy**: the move that scores best for the team this round, the others kept where they are (the event
  card of the round included); a veto when the team scores more without the UN's proposals.
* **cooperative**: the move, and the veto, that give the most points to all teams together.
* **spoiler**: the move, and the veto, that give the fewest points to the other teams together.

The facilitator plays one event card, drawn at random, with probability :data:`EVENT_CHANCE` in each round.

What is reported
----------------
``teams``: per team, ``win_rate_random`` (games won when every team plays at random; a tie shares the win),
``win_rate_by_strategy`` (games of mixed strategies), ``own_choice_variance_share`` (the share of the
variance of the team's game total under random play that its own choices explain: each random game is
replayed with only that team's choices drawn anew, the others' choices, the cards and the vetoes as they
were; the mean variance over those replays over the variance across games), ``own_spread`` (the
largest spread of round scores the team's own levers reach, others at their settings: from the baseline
and over states met in play) against ``event_spread`` (the largest change of the team's round score one
event card causes), ``dominant_moves`` (a move greedy play picks in most rounds);
``perverse_moves``: moves of a sanctions team's objective (``aims = "pressure"`` in ``roles.toml``) that
loosen a sanction and raise that team's score, from the baseline and from states met in play (a list;
empty when none).
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from dprk_roleplay import council_levers, events, teams, veto_teams
from dprk_roleplay import game as rules
from model import registry

STRATEGIES = ("random", "greedy", "cooperative", "spoiler")
EVENT_CHANCE = 0.6
VETO_CHANCE = 0.2  # a random permanent member vetoes a proposal this often
ROUNDS = 3  # the 90-minute plan: three rounds of two model years
YEARS_PER_ROUND = 2
TOLERANCE = 0.05  # points: below this a change is noise of the rounding, not a gain
STATES = 60  # states met in play where spreads and perverse moves are checked again
ALTERNATIVES = 3  # replays of each random game with one team's choices drawn anew, for the variance shares


# ---------------------------------------------------------------------------------------------- moves
def lever_levels(name: str) -> list[float]:
    """The values a strategy may move a lever to (internal form): the ends and middle, or every choice."""
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return [float(i) for i in range(len(parameter.choices))]
    if parameter.kind == "bool":
        return [0.0, 1.0]
    middle = parameter.min + round((parameter.max - parameter.min) / 2 / parameter.step) * parameter.step
    return sorted({float(parameter.min), round(float(middle), 10), float(parameter.max)})


def team_moves(key: str) -> list[tuple[str, float]]:
    """Every one-lever move a strategy may make for a team: ``(lever, internal value)``."""
    return [(lever, value) for lever in teams()[key].levers for value in lever_levels(lever)]


_PAYMENTS = [f"russia_payment_{form}_weight" for form in ("cash", "oil", "food", "technology")]


@dataclass
class _Columns:
    """Settings of many rows (games, or a game's candidate moves) as one array per lever: one model run."""

    names: list[str]
    values: np.ndarray  # (rows, levers)

    def column(self, name: str) -> np.ndarray:
        return self.values[:, self.names.index(name)]

    def as_mapping(self) -> dict[str, np.ndarray]:
        return {name: self.values[:, i] for i, name in enumerate(self.names)}


def _valid(values: np.ndarray, names: list[str]) -> np.ndarray:
    """Rows the model accepts (not all four Russian payment weights at 0)."""
    index = [names.index(n) for n in _PAYMENTS]
    return values[:, index].sum(axis=1) > 0


def _apply_events(values: np.ndarray, names: list[str], played: Sequence[str | None], first_year: int) -> np.ndarray:
    """Rows with each row's event card applied on top (``played[i]`` for row ``i``; ``None``: no card)."""
    values = values.copy()
    for key in {k for k in played if k}:
        rows = np.array([k == key for k in played])
        card = events()[key]
        for name, value in card.set.items():
            values[rows, names.index(name)] = registry.get(name).coerce(first_year if value == "round_start" else value)
        for name, amount in card.add.items():
            parameter, column = registry.get(name), names.index(name)
            values[rows, column] = np.round(np.clip(values[rows, column] + amount, parameter.min, parameter.max), 10)
    return values


class _Scorer:
    """Round scores of many rows at once, counting the model runs (for the report)."""

    def __init__(self, team_keys: Sequence[str]) -> None:
        self.team_keys = list(team_keys)
        self.rows = 0

    def __call__(self, values: np.ndarray, names: list[str], years: tuple[int, int]) -> np.ndarray:
        """``(rows, teams)`` round scores."""
        if len(values) == 0:
            return np.zeros((0, len(self.team_keys)))
        self.rows += len(values)
        scores = rules.round_scores({n: values[:, i] for i, n in enumerate(names)}, years, self.team_keys)
        return np.stack([scores[k] for k in self.team_keys], axis=1)


# ---------------------------------------------------------------------------------------------- one block of games
Move = tuple[str, float] | None


def _random_move(options: list[Move], state: np.ndarray, names: list[str], rng: np.random.Generator) -> Move:
    """A move drawn at random among ``options`` (``None``: no move), never one the model refuses."""
    while True:
        pick = options[rng.integers(len(options))]
        if pick is None or pick[0] not in _PAYMENTS:
            return pick
        row = state.copy()
        row[names.index(pick[0])] = pick[1]
        if _valid(row[None, :], names)[0]:
            return pick


def _strategy_value(kind: str, table: np.ndarray, team: int) -> np.ndarray:
    """What a strategy maximises over rows of ``(rows, teams)`` round scores."""
    if kind == "greedy":
        return table[:, team].copy()
    if kind == "cooperative":
        return table.sum(axis=1)
    if kind == "spoiler":
        return -(table.sum(axis=1) - table[:, team])
    raise ValueError(f"strategy {kind!r}: known {', '.join(STRATEGIES)}")


@dataclass
class _Block:
    """The outcome of a block of games: round scores ``(games, rounds, teams)`` and what was played."""

    scores: np.ndarray
    strategies: np.ndarray  # (games, teams) indices into STRATEGIES
    inputs: list[list[dict[str, Any]]]  # per game, per round: choices, events, vetoes (for replays)
    picks: dict[str, list[list[Move]]]  # per team, per round, each game's move
    greedy_choices: dict[str, list[Move]]
    states: list[np.ndarray]  # settings met in play (before a round), for the spread checks
    state_rounds: list[int]


@dataclass
class _Round:
    """One round of every game of a block, being assembled."""

    names: list[str]
    number: int
    years: tuple[int, int]
    before: np.ndarray  # (games, levers): settings at the end of the last round
    start: np.ndarray  # the same with the temporary events that end now reverted (if nobody moves their lever)
    played: list[str | None]  # each game's event card

    def rows(self, picks: Mapping[str, Sequence[Move]], council: bool) -> tuple[np.ndarray, np.ndarray]:
        """Each game's settings before the event card, and which levers were moved.

        Without the Security Council's part (its levers' moves) when ``council`` is false.
        """
        rows = self.start.copy()
        touched = np.zeros(rows.shape, dtype=bool)
        for key_picks in picks.values():
            for g, pick in enumerate(key_picks):
                if pick is None or (not council and pick[0] in _COUNCIL()):
                    continue
                column = self.names.index(pick[0])
                if self.before[g, column] != pick[1]:
                    rows[g, column] = pick[1]
                    touched[g, column] = True
        return rows, touched

    def with_events(self, rows: np.ndarray, council: bool, games: Sequence[int] | None = None) -> np.ndarray:
        index = range(len(rows)) if games is None else games
        played = [self.played[g] for g in index]
        if not council:
            played = [None if (k and events()[k].council) else k for k in played]
        return _apply_events(rows, self.names, played, self.years[0])


def _COUNCIL() -> frozenset[str]:  # a constant, read from the data
    return frozenset(council_levers())


def _play_block(
    games: int,
    strategy_of: np.ndarray,
    rng: np.random.Generator,
    score: _Scorer,
    fixed: _Block | None = None,
    free: str | None = None,
) -> _Block:
    """Play ``games`` games; with ``fixed``, replay its games with only team ``free``'s choices drawn anew."""
    keys = score.team_keys
    names = rules.lever_names()
    base = rules.new_game(keys, ROUNDS, YEARS_PER_ROUND).settings()
    settings = np.tile(np.array([base[n] for n in names]), (games, 1))
    moved = np.zeros((games, len(names)), dtype=int)
    effects: list[list[rules.Effect]] = [[] for _ in range(games)]
    options = {k: [None, *team_moves(k)] for k in keys}
    scores = np.zeros((games, ROUNDS, len(keys)))
    all_picks: dict[str, list[list[Move]]] = {k: [] for k in keys}
    inputs: list[list[dict[str, Any]]] = [[] for _ in range(games)]
    greedy_choices: dict[str, list[Move]] = {k: [] for k in keys}
    vetoers = [k for k in veto_teams() if k in keys]
    states: list[np.ndarray] = []
    state_rounds: list[int] = []
    cards = list(events())
    for number in range(1, ROUNDS + 1):
        first = rules.FIRST_PROJECTION_YEAR + (number - 1) * YEARS_PER_ROUND
        years = (first, first + YEARS_PER_ROUND - 1)
        start = settings.copy()
        for g in range(games):
            for effect in effects[g]:
                column = names.index(effect.lever)
                if effect.ends <= number and moved[g, column] <= effect.played:
                    start[g, column] = effect.restore
        if fixed is None:
            played = [cards[rng.integers(len(cards))] if rng.random() < EVENT_CHANCE else None for _ in range(games)]
        else:
            played = [(fixed.inputs[g][number - 1]["events"] or [None])[0] for g in range(games)]
        now = _Round(names, number, years, settings, start, played)
        if number > 1:
            for g in rng.choice(games, size=min(games, -(-STATES // (ROUNDS - 1))), replace=False):
                states.append(start[g].copy())
                state_rounds.append(number)

        # Each team chooses at once, from the state before the round (the round's event card known).
        chosen: dict[str, list[Move]] = {}
        for t, key in enumerate(keys):
            picks: list[Move] = [None] * games
            evaluate = []
            for g in range(games):
                if fixed is not None and key != free:
                    picks[g] = fixed.picks[key][number - 1][g]
                elif STRATEGIES[strategy_of[g, t]] == "random":
                    picks[g] = _random_move(options[key], start[g], names, rng)
                else:
                    evaluate.append(g)
            if evaluate:
                rows, owner = [], []
                for g in evaluate:
                    for option in options[key]:
                        row = start[g].copy()
                        if option is not None and settings[g, names.index(option[0])] != option[1]:
                            row[names.index(option[0])] = option[1]
                        rows.append(row)
                        owner.append(g)
                table_rows = now.with_events(np.array(rows), True, owner)
                ok = _valid(table_rows, names)
                result = np.full((len(table_rows), len(keys)), -np.inf)
                result[ok] = score(table_rows[ok], names, years)
                width = len(options[key])
                for i, g in enumerate(evaluate):
                    kind = STRATEGIES[strategy_of[g, t]]
                    block = result[i * width : (i + 1) * width]
                    value = _strategy_value(kind, np.where(np.isfinite(block), block, 0.0), t)
                    value[~ok[i * width : (i + 1) * width]] = -np.inf
                    picks[g] = options[key][int(np.argmax(value))]
                    if kind == "greedy":
                        greedy_choices[key].append(picks[g])
            chosen[key] = picks
            all_picks[key].append(picks)

        # The round with and without the UN's council proposals; the permanent members decide on them.
        pre_with, touched = now.rows(chosen, True)
        pre_without = now.rows(chosen, False)[0]
        with_rows = now.with_events(pre_with, True)
        with_scores = score(with_rows, names, years)
        proposal = np.zeros(games, dtype=bool)
        council_columns = [names.index(n) for n in _COUNCIL()]
        proposal |= touched[:, council_columns].any(axis=1)
        proposal |= np.array([bool(k and events()[k].council) for k in played])
        vetoed = np.zeros(games, dtype=bool)
        veto_by: list[list[str]] = [[] for _ in range(games)]
        without_rows, without_scores = with_rows, with_scores
        if vetoers and proposal.any():
            without_rows = now.with_events(pre_without, False)
            without_scores = with_scores.copy()
            without_scores[proposal] = score(without_rows[proposal], names, years)
            for key in vetoers:
                t = keys.index(key)
                for g in np.flatnonzero(proposal):
                    kind = STRATEGIES[strategy_of[g, t]]
                    if fixed is not None:
                        veto = key in fixed.inputs[g][number - 1]["vetoes"]
                    elif kind == "random":
                        veto = rng.random() < VETO_CHANCE
                    else:
                        value = _strategy_value(kind, np.stack([with_scores[g], without_scores[g]]), t)
                        veto = value[1] > value[0] + TOLERANCE
                    if veto:
                        veto_by[g].append(key)
                        vetoed[g] = True
        final_rows = np.where(vetoed[:, None], without_rows, with_rows)
        scores[:, number - 1, :] = np.where(vetoed[:, None], without_scores, with_scores)

        # Bookkeeping as the rules engine does it: moves, the temporary effects, the round's input.
        blocked = np.zeros_like(touched)
        blocked[:, council_columns] = touched[:, council_columns] & vetoed[:, None]
        moves_applied = touched & ~blocked
        moved[moves_applied] = number
        before_events = np.where(vetoed[:, None], pre_without, pre_with)
        for g in range(games):
            effects[g] = [e for e in effects[g] if e.ends > number]
            key = played[g]
            if key and not (vetoed[g] and events()[key].council):
                card = events()[key]
                for name in [*card.set, *card.add]:
                    column = names.index(name)
                    if card.rounds is not None:
                        effects[g].append(
                            rules.Effect(key, name, number, number + card.rounds, float(before_events[g, column]))
                        )
                    moved[g, column] = number
            inputs[g].append(
                {
                    "choices": {
                        k: {chosen[k][g][0]: rules._user_form(*chosen[k][g])} for k in keys if chosen[k][g] is not None
                    },
                    "events": [key] if key else [],
                    "vetoes": veto_by[g],
                }
            )
        settings = final_rows
    return _Block(scores, strategy_of, inputs, all_picks, greedy_choices, states, state_rounds)


# ------------------------------------------------------------------------------ spreads and perverse moves
def _spreads(
    states: Sequence[np.ndarray],
    names: list[str],
    keys: list[str],
    score: _Scorer,
    rng: np.random.Generator,
    combos: int,
) -> list[tuple[dict[str, float], dict[str, float]]]:
    """Per state and team: the spread of round scores its own moves reach, and the largest change one card causes.

    Scored over the first round's years; all states in one model run.
    """
    years = (rules.FIRST_PROJECTION_YEAR, rules.FIRST_PROJECTION_YEAR + YEARS_PER_ROUND - 1)
    cards = list(events())
    rows: list[np.ndarray] = []
    where: list[tuple[int, str, str]] = []  # (state, "event" or team, what)
    for s, state in enumerate(states):
        rows.append(state)
        where.append((s, "none", ""))
        for key in cards:
            rows.append(_apply_events(state[None, :], names, [key], years[0])[0])
            where.append((s, "event", key))
        for key in keys:
            for lever, value in team_moves(key):
                row = state.copy()
                row[names.index(lever)] = value
                rows.append(row)
                where.append((s, key, lever))
            for _ in range(combos):
                row = state.copy()
                for lever in teams()[key].levers:
                    levels = lever_levels(lever)
                    row[names.index(lever)] = levels[rng.integers(len(levels))]
                rows.append(row)
                where.append((s, key, "combination"))
    table_rows = np.array(rows)
    ok = _valid(table_rows, names)
    table = np.full((len(rows), len(keys)), np.nan)
    table[ok] = score(table_rows[ok], names, years)
    found = []
    for s in range(len(states)):
        mine = [i for i, w in enumerate(where) if w[0] == s]
        plain = table[mine[0]]
        own, event = {}, {}
        for t, key in enumerate(keys):
            changes = [table[i, t] - plain[t] for i in mine if where[i][1] == "event"]
            event[key] = float(np.max(np.abs(changes)))
            values = [plain[t]] + [table[i, t] for i in mine if where[i][1] == key]
            own[key] = float(np.nanmax(values) - np.nanmin(values))
        found.append((own, event))
    return found


def _loosening(lever: str, value: float) -> list[float]:
    """The values of a pressure lever looser than ``value`` (``pressure`` and ``pressure_order`` of the registry)."""
    parameter = registry.get(lever)
    if parameter.kind == "choice":
        order = [parameter.choices.index(c) for c in parameter.pressure_order]
        rank = order.index(int(value))
        return [float(i) for i in order[:rank]]
    levels = lever_levels(lever)
    if parameter.pressure == "up":
        return [v for v in levels if v < value - 1e-12]
    return [v for v in levels if v > value + 1e-12]


def _perverse(states: list[np.ndarray], names: list[str], keys: list[str], score: _Scorer) -> list[dict[str, Any]]:
    """Loosening moves that raise a sanctions team's score, from each state (all in one model run)."""
    aims = [t for t, k in enumerate(keys) if teams()[k].aims == "pressure"]
    pressure = [n for n in names if registry.get(n).pressure]
    years = (rules.FIRST_PROJECTION_YEAR, rules.FIRST_PROJECTION_YEAR + YEARS_PER_ROUND - 1)
    rows, what = [], []
    for s, state in enumerate(states):
        rows.append(state)
        what.append((s, None, None))
        for lever in pressure:
            for value in _loosening(lever, state[names.index(lever)]):
                row = state.copy()
                row[names.index(lever)] = value
                rows.append(row)
                what.append((s, lever, value))
    table = score(np.array(rows), names, years)
    found = []
    plain = {}
    for i, (s, lever, value) in enumerate(what):
        if lever is None:
            plain[s] = table[i]
            continue
        for t in aims:
            gain = table[i, t] - plain[s][t]
            if gain > TOLERANCE:
                found.append(
                    {
                        "team": keys[t],
                        "lever": lever,
                        "from": rules._user_form(lever, float(states[s][names.index(lever)])),
                        "to": rules._user_form(lever, value),
                        "gain": round(float(gain), 3),
                        "state": "baseline" if s == 0 else f"met in play ({s})",
                    }
                )
    return found


# ---------------------------------------------------------------------------------------------- the play-test
def playtest(games: int = 1000, seed: int = 20240328) -> dict[str, Any]:
    """Play ``games`` games at random and ``games`` of mixed strategies; report what the rules reward.

    Parameters
    ----------
    games : int
        Games in each block (at least 10).
    seed : int
        The random seed: the same seed gives the same report.

    Returns
    -------
    dict
        The report (see the module docstring); JSON-ready.
    """
    if isinstance(games, bool) or not isinstance(games, int) or games < 10:
        raise rules.GameError(f"games = {games!r}: play at least 10 games.")
    clock = time.perf_counter()
    rng = np.random.default_rng(seed)
    keys = list(teams())
    names = rules.lever_names()
    score = _Scorer(keys)
    at_random = np.zeros((games, len(keys)), dtype=int)
    random_block = _play_block(games, at_random, rng, score)
    # Each team's own choices: the random games replayed with only that team's choices drawn anew.
    replayed = {
        key: [
            _play_block(games, at_random, rng, score, random_block, key).scores[:, :, t].sum(axis=1)
            for _ in range(ALTERNATIVES)
        ]
        for t, key in enumerate(keys)
    }
    mixed = rng.integers(len(STRATEGIES), size=(games, len(keys)))
    mixed_block = _play_block(games, mixed, rng, score)

    base = rules.new_game(keys, ROUNDS, YEARS_PER_ROUND).settings()
    baseline = np.array([base[n] for n in names])
    ((own0, event0),) = _spreads([baseline], names, keys, score, rng, combos=200)
    in_play = _spreads(random_block.states[:STATES], names, keys, score, rng, combos=20)
    perverse = _perverse([baseline, *random_block.states[:STATES]], names, keys, score)

    report: dict[str, Any] = {
        "games": games,
        "seed": seed,
        "rounds": ROUNDS,
        "years_per_round": YEARS_PER_ROUND,
        "event_chance": EVENT_CHANCE,
        "strategies": list(STRATEGIES),
        "perverse_moves": perverse,
        "teams": {},
    }
    for t, key in enumerate(keys):
        totals_random = random_block.scores.sum(axis=1)
        histories = np.stack([totals_random[:, t], *replayed[key]])  # (1 + alternatives, games)
        total_variance = float(np.var(totals_random[:, t]))
        own_variance = float(np.var(histories, axis=0, ddof=1).mean())
        by_strategy = {}
        totals_mixed = mixed_block.scores.sum(axis=1)
        wins_mixed = _wins(totals_mixed)
        for s, name in enumerate(STRATEGIES):
            mask = mixed_block.strategies[:, t] == s
            by_strategy[name] = round(float(wins_mixed[mask, t].mean()), 4) if mask.any() else None
        ratios = [o[key] / e[key] for o, e in in_play if e[key] > TOLERANCE]
        report["teams"][key] = {
            "title": teams()[key].short,
            "objective": teams()[key].objective,
            "win_rate_random": round(float(_wins(totals_random)[:, t].mean()), 4),
            "win_rate_by_strategy": by_strategy,
            "mean_total_random": round(float(totals_random[:, t].mean()), 3),
            "own_choice_variance_share": round(own_variance / total_variance, 4) if total_variance > 0 else 1.0,
            "own_spread": round(own0[key], 3),
            "event_spread": round(event0[key], 3),
            "own_spread_in_play_min": round(min(o[key] for o, _e in in_play), 3) if in_play else None,
            "spread_ratio_in_play_median": round(float(np.median(ratios)), 3) if ratios else None,
            "dominant_moves": _dominant(mixed_block.greedy_choices[key]),
        }
    report["model_rows"] = score.rows
    report["seconds"] = round(time.perf_counter() - clock, 2)
    report["replays"] = [
        {"strategies": ["random"] * len(keys), "rounds": random_block.inputs[g], "totals": _totals(random_block, g)}
        for g in range(min(3, games))
    ] + [
        {
            "strategies": [STRATEGIES[i] for i in mixed_block.strategies[g]],
            "rounds": mixed_block.inputs[g],
            "totals": _totals(mixed_block, g),
        }
        for g in range(min(3, games))
    ]
    return report


def _totals(block: _Block, g: int) -> dict[str, float]:
    return {k: float(block.scores[g, :, t].sum()) for t, k in enumerate(teams())}


def _wins(totals: np.ndarray) -> np.ndarray:
    """``(games, teams)`` shares of each game's win (a tie shares it)."""
    best = totals.max(axis=1, keepdims=True)
    top = np.isclose(totals, best, atol=1e-9)
    return top / top.sum(axis=1, keepdims=True)


def _dominant(choices: list[Move]) -> list[dict[str, Any]]:
    """Moves greedy play picks in at least half of its rounds (excluding no move)."""
    if not choices:
        return []
    counts: dict[Move, int] = {}
    for choice in choices:
        counts[choice] = counts.get(choice, 0) + 1
    found = []
    for move, count in sorted(counts.items(), key=lambda item: -item[1]):
        if move is not None and count / len(choices) >= 0.5:
            lever, value = move
            found.append(
                {
                    "lever": lever,
                    "title": registry.get(lever).title,
                    "value": rules._user_form(lever, value),
                    "share": round(count / len(choices), 3),
                }
            )
    return found


def table(report: Mapping[str, Any]) -> str:
    """A short plain-text table of the report."""
    lines = [
        f"Play-test: {report['games']} random games and {report['games']} of mixed strategies, seed {report['seed']}, "
        f"{report['rounds']} rounds of {report['years_per_round']} years ({report['seconds']} s).",
        "",
        f"{'team':<16}{'win random':>11}{'greedy':>8}{'coop':>7}{'spoiler':>8}{'own var':>9}{'own spread':>11}"
        f"{'event':>7}",
    ]
    for row in report["teams"].values():
        wins = row["win_rate_by_strategy"]
        lines.append(
            f"{row['title']:<16}{row['win_rate_random']:>11.0%}{wins['greedy'] or 0:>8.0%}"
            f"{wins['cooperative'] or 0:>7.0%}"
            f"{wins['spoiler'] or 0:>8.0%}{row['own_choice_variance_share']:>9.0%}{row['own_spread']:>11.1f}"
            f"{row['event_spread']:>7.1f}"
        )
    lines.append("")
    dominant = [
        f"{row['title']}: {m['title']} = {m['value']} ({m['share']:.0%})"
        for row in report["teams"].values()
        for m in row["dominant_moves"]
    ]
    lines.append("Dominant moves (greedy play): " + ("; ".join(dominant) if dominant else "none"))
    perverse = report["perverse_moves"]
    lines.append(
        f"Perverse moves (a sanctions team gains by loosening): {len(perverse)}"
        + "".join(
            f"\n  {p['team']}: {p['lever']} {p['from']} -> {p['to']} (+{p['gain']}, {p['state']})"
            for p in perverse[:10]
        )
    )
    return "\n".join(lines)


def write_json(report: Mapping[str, Any], path: Any) -> Any:
    """Write the report as JSON (atomically)."""
    from model.tidy import write_text

    return write_text(path, json.dumps(report, indent=2, ensure_ascii=False) + "\n")


__all__ = ["STRATEGIES", "lever_levels", "playtest", "table", "team_moves", "write_json"]
