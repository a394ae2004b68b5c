"""The role-play's data: teams, their levers and objectives (``roles.toml``) and event cards (``events.toml``).

Both files are data, read and checked here against the parameter registry, so a card can never name a
lever that does not exist and every lever sits on exactly one card (a team's or the facilitator's).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from model import registry
from model.errors import ModelInputError
from model.outcomes import Quantity

FORMAT = 1
BETTER = ("higher", "lower")
ROUND_START = "round_start"  # an event's value for a year lever: the first model year of the round


class RoleplayDataError(ModelInputError):
    """``roles.toml`` or ``events.toml`` is inconsistent with the registry or with itself."""


@dataclass(frozen=True)
class Term:
    """One part of a team's objective: a measure, which direction is better, its weight and its scale."""

    measure: Quantity
    better: str
    weight: float
    scale: float
    scale_reasoning: str


@dataclass(frozen=True)
class Team:
    """One team's card."""

    key: str
    title: str
    briefing: str
    interests: tuple[str, ...]
    red_lines: tuple[str, ...]
    sources: tuple[str, ...]
    levers: tuple[str, ...]
    objective: str
    terms: tuple[Term, ...]
    short: str = ""  # a short name for the scoreboard and legends (default: the title)


@dataclass(frozen=True)
class Facilitator:
    """The facilitator's card: the world events no team decides."""

    title: str
    briefing: str
    levers: tuple[str, ...]


@dataclass(frozen=True)
class Event:
    """An event card: lever changes the facilitator plays between rounds."""

    key: str
    title: str
    description: str
    sources: tuple[str, ...]
    reasoning: str
    set: dict[str, Any]
    add: dict[str, float]
    rounds: int | None  # None: the change lasts until someone moves the lever again


def _read(name: str) -> dict[str, Any]:
    data = tomllib.loads(resources.files("dprk_roleplay").joinpath(name).read_text(encoding="utf-8"))
    if data.get("format") != FORMAT:
        raise RoleplayDataError(f"{name}: format = {data.get('format')!r}; this version reads {FORMAT}.")
    return data


def _check_sources(keys: list[str], where: str) -> tuple[str, ...]:
    known = registry.sources()
    for key in keys:
        if key not in known:
            raise RoleplayDataError(f"{where}: unknown source key {key!r} (see model/sources.toml).")
    return tuple(keys)


def _check_lever(name: str, where: str) -> None:
    params = registry.registry()
    if name not in params:
        raise RoleplayDataError(f"{where}: {registry.unknown_name_error(name)}")
    if not params[name].is_lever:
        raise RoleplayDataError(f"{where}: {name} is a {params[name].role}, not a lever; cards hold levers only.")


@cache
def teams() -> dict[str, Team]:
    """The teams of ``roles.toml`` by key, in card order (checked against the registry)."""
    data = _read("roles.toml")
    result: dict[str, Team] = {}
    for entry in data["team"]:
        where = f"roles.toml team {entry['key']!r}"
        for lever in entry["levers"]:
            _check_lever(lever, where)
        terms = []
        for term in entry["objective"]["terms"]:
            if term["better"] not in BETTER:
                raise RoleplayDataError(f"{where}: better = {term['better']!r} must be one of {', '.join(BETTER)}.")
            if not term["scale"] > 0 or not 0 < term["weight"] <= 1:
                raise RoleplayDataError(f"{where}: a term needs scale > 0 and a weight in (0, 1].")
            try:
                measure = Quantity(**term["measure"])
            except (TypeError, ValueError) as error:
                raise RoleplayDataError(f"{where}: measure {term['measure']!r}: {error}") from None
            terms.append(
                Term(measure, term["better"], float(term["weight"]), float(term["scale"]), term["scale_reasoning"])
            )
        if abs(sum(t.weight for t in terms) - 1) > 1e-9:
            raise RoleplayDataError(f"{where}: the objective's weights must sum to 1.")
        result[entry["key"]] = Team(
            key=entry["key"],
            title=entry["title"],
            briefing=entry["briefing"],
            interests=tuple(entry["interests"]),
            red_lines=tuple(entry["red_lines"]),
            sources=_check_sources(entry.get("sources", []), where),
            levers=tuple(entry["levers"]),
            objective=entry["objective"]["text"],
            terms=tuple(terms),
            short=entry.get("short", entry["title"]),
        )
    return result


@cache
def facilitator() -> Facilitator:
    """The facilitator's card of ``roles.toml``."""
    entry = _read("roles.toml")["facilitator"]
    for lever in entry["levers"]:
        _check_lever(lever, "roles.toml facilitator")
    return Facilitator(entry["title"], entry["briefing"], tuple(entry["levers"]))


def holder(lever: str) -> str:
    """The key of the team that holds ``lever``, or ``"facilitator"``."""
    for team in teams().values():
        if lever in team.levers:
            return team.key
    if lever in facilitator().levers:
        return "facilitator"
    raise RoleplayDataError(f"{lever} is on no card of roles.toml.")


@cache
def events() -> dict[str, Event]:
    """The event cards of ``events.toml`` by key (every change checked against the registry)."""
    params = registry.registry()
    result: dict[str, Event] = {}
    for entry in _read("events.toml")["event"]:
        where = f"events.toml event {entry['key']!r}"
        changes_set = dict(entry.get("set", {}))
        changes_add = dict(entry.get("add", {}))
        for name, value in changes_set.items():
            _check_lever(name, where)
            if value == ROUND_START:
                if params[name].unit != "year":
                    raise RoleplayDataError(f"{where}: {ROUND_START!r} is allowed for year levers only, not {name}.")
            else:
                params[name].coerce(value)  # raises ParameterError naming the lever, value and range
        for name, value in changes_add.items():
            _check_lever(name, where)
            if params[name].kind not in ("float", "int"):
                raise RoleplayDataError(f"{where}: add needs a numeric lever, not {name}.")
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise RoleplayDataError(f"{where}: add {name} = {value!r} must be a number.")
        rounds = entry.get("rounds")
        if rounds is not None and (isinstance(rounds, bool) or not isinstance(rounds, int) or rounds < 1):
            raise RoleplayDataError(f"{where}: rounds = {rounds!r} must be a whole number of at least 1.")
        if not changes_set and not changes_add:
            raise RoleplayDataError(f"{where}: an event must change at least one lever.")
        result[entry["key"]] = Event(
            key=entry["key"],
            title=entry["title"],
            description=entry["description"],
            sources=_check_sources(entry.get("sources", []), where),
            reasoning=entry["reasoning"],
            set=changes_set,
            add={k: float(v) for k, v in changes_add.items()},
            rounds=rounds,
        )
    return result
