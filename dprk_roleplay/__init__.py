"""The role-play's data: teams, their levers and objectives (``roles.toml``) and event cards (``events.toml``).

Both files are data, read and checked here against the parameter registry, so a card can never name a
lever that does not exist and every lever sits on exactly one card (a team's or the facilitator's).

An objective term measures something in the world (:class:`Measure`): one model quantity, or a sum of
them (``measure = [{...}, {...}]``), against a fixed ``benchmark`` such as resolution 2397's caps. A
measure never divides by a lever: a term that did (the old "oil-cap leakage ratio", refined oil over the
cap in force) rewarded the UN for raising the cap. Outcomes are named by their key in
:mod:`model.outcomes`, so a term can use any outcome the model reports, including ones added later.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from model import registry
from model.errors import ModelInputError
from model.outcomes import Quantity

FORMAT = 1
BETTER = ("higher", "lower")
ROUND_START = "round_start"  # an event's value for a year lever: the first model year of the round


class RoleplayDataError(ModelInputError):
    """``roles.toml`` or ``events.toml`` is inconsistent with the registry or with itself."""


#: Outcomes a term may not measure: each divides by a lever's own value, so moving the lever scores by arithmetic.
LEVER_RATIOS = ("oil_cap_leakage_ratio",)


@dataclass(frozen=True)
class Measure:
    """What a term measures: the sum of one or more model quantities, less a fixed benchmark.

    Attributes
    ----------
    parts : tuple of model.outcomes.Quantity
        Summed (all in one unit).
    benchmark : float
        A fixed figure the sum is read against (0: none), e.g. resolution 2397's 500,000 bbl.
    label : str
        What the scoreboard and the card call it.
    """

    parts: tuple[Quantity, ...]
    benchmark: float = 0.0
    label: str = ""

    @property
    def unit(self) -> str:
        """The parts' common unit."""
        return self.parts[0].unit

    def values(self, results: Any) -> np.ndarray:
        """The ``(draws, years)`` array: the parts' sum less the benchmark."""
        total = sum(part.values(results) for part in self.parts)
        return total - self.benchmark


@dataclass(frozen=True)
class Term:
    """One part of a team's objective: a measure, which direction is better, its weight and its scale."""

    measure: Measure
    better: str
    weight: float
    scale: float
    scale_reasoning: str
    benchmark_reasoning: str = ""
    sources: tuple[str, ...] = ()


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
    veto: bool = False  # a permanent member of the Security Council: may veto the UN team's proposals
    council_levers: tuple[str, ...] = ()  # levers whose moves are Security Council decisions (subject to veto)
    aims: str = ""  # "pressure": a sanctions team, which must never gain by loosening a sanction


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
    council: bool = False  # a Security Council decision: a veto of the China or Russia team stops it


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
            terms.append(
                Term(
                    _measure(term, where),
                    term["better"],
                    float(term["weight"]),
                    float(term["scale"]),
                    term["scale_reasoning"],
                    term.get("benchmark_reasoning", ""),
                    _check_sources(term.get("sources", []), where),
                )
            )
        if abs(sum(t.weight for t in terms) - 1) > 1e-9:
            raise RoleplayDataError(f"{where}: the objective's weights must sum to 1.")
        council = tuple(entry.get("council_levers", []))
        for lever in council:
            if lever not in entry["levers"]:
                raise RoleplayDataError(f"{where}: council lever {lever} is not one of the team's levers.")
        if entry.get("aims", "") not in ("", "pressure"):
            raise RoleplayDataError(f"{where}: aims = {entry['aims']!r} must be 'pressure' or left out.")
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
            veto=bool(entry.get("veto", False)),
            council_levers=council,
            aims=entry.get("aims", ""),
        )
    return result


def _measure(term: dict[str, Any], where: str) -> Measure:
    """A term's :class:`Measure` from ``measure`` (one table or a list of them) and ``benchmark``."""
    raw = term["measure"]
    parts_raw = raw if isinstance(raw, list) else [raw]
    if not parts_raw:
        raise RoleplayDataError(f"{where}: a measure needs at least one quantity.")
    parts = []
    for part in parts_raw:
        try:
            quantity = Quantity(**part)
        except (TypeError, ValueError) as error:
            raise RoleplayDataError(f"{where}: measure {part!r}: {error}") from None
        if quantity.outcome in LEVER_RATIOS:
            raise RoleplayDataError(
                f"{where}: {quantity.outcome} divides by a lever's own value, so moving that lever would score by "
                "arithmetic; measure the quantity itself against a fixed benchmark instead."
            )
        parts.append(quantity)
    if len({p.unit for p in parts}) != 1:
        raise RoleplayDataError(f"{where}: the parts of a measure must share one unit.")
    benchmark = term.get("benchmark", 0.0)
    if isinstance(benchmark, bool) or not isinstance(benchmark, (int, float)):
        raise RoleplayDataError(f"{where}: benchmark = {benchmark!r} must be a number.")
    label = term.get("label") or (parts[0].label if len(parts) == 1 else "")
    if not label:
        raise RoleplayDataError(f"{where}: a measure of several quantities needs a label.")
    return Measure(tuple(parts), float(benchmark), label)


@cache
def facilitator() -> Facilitator:
    """The facilitator's card of ``roles.toml``."""
    entry = _read("roles.toml")["facilitator"]
    for lever in entry["levers"]:
        _check_lever(lever, "roles.toml facilitator")
    return Facilitator(entry["title"], entry["briefing"], tuple(entry["levers"]))


def veto_teams() -> tuple[str, ...]:
    """Keys of the teams that may veto the UN team's proposals (the permanent members among the teams)."""
    return tuple(key for key, team in teams().items() if team.veto)


def council_levers() -> tuple[str, ...]:
    """Levers whose moves are Security Council decisions: they pass only if no permanent member's team vetoes."""
    return tuple(lever for team in teams().values() for lever in team.council_levers)


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
            council=bool(entry.get("council", False)),
        )
    return result
