"""The parameter registry: one declaration per model input, read from ``parameters.toml``.

Everything else — validation, sliders, sampling bounds and the parameter table — reads from here,
so a default or a range is written exactly once.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from model.errors import ParameterError

ROLES = ("lever", "uncertainty", "constant")
KINDS = ("float", "int", "bool", "choice")
DISTRIBUTIONS = ("uniform", "triangular", "lognormal")
GROUPS = ("china", "russia", "un", "world", "dprk", "oil", "labour", "arms", "trade", "mechanism", "cyber")


#: What a source is: the document itself (a UN report, a resolution, an official statement or statistic),
#: news or analysis reporting on one, or academic work.
SOURCE_KINDS = ("primary", "secondary", "academic")


@dataclass(frozen=True)
class Source:
    """A public page a figure comes from.

    ``kind`` is one of :data:`SOURCE_KINDS` (default ``"secondary"``); ``symbol`` is a UN document symbol
    where there is one; ``note`` says, for example, that only secondary coverage of a document exists.
    """

    key: str
    title: str
    publisher: str
    date: str
    url: str
    kind: str = "secondary"
    symbol: str = ""
    note: str = ""

    def citation(self) -> str:
        """Return ``Title, Publisher, date, url`` on one line."""
        return f"{self.title}, {self.publisher}, {self.date}, {self.url}"


@dataclass(frozen=True)
class Parameter:
    """One registry entry.

    Numeric values (``default``, ``min``, ``max``, ``step``) are floats in the parameter's
    ``unit``; a ``choice`` parameter stores the index of its choice, a ``bool`` stores 0 or 1.
    """

    name: str
    title: str
    description: str
    unit: str
    default: float
    min: float
    max: float
    step: float
    role: str
    group: str
    kind: str = "float"
    choices: tuple[str, ...] = ()
    choice_labels: tuple[str, ...] = ()
    distribution: str = ""
    distribution_note: str = ""
    sources: tuple[Source, ...] = ()
    derivation: str = ""
    assumption: str = ""
    history_min: float | None = None
    history_max: float | None = None
    history_note: str = ""
    pressure: str = ""
    pressure_order: tuple[str, ...] = ()
    constrains: tuple[str, ...] = ()
    sampled: bool = False
    totals_note: str = ""

    @property
    def is_lever(self) -> bool:
        """Whether this is a policy lever."""
        return self.role == "lever"

    @property
    def is_uncertainty(self) -> bool:
        """Whether this is an uncertain assumption (sampled in ensembles)."""
        return self.role == "uncertainty"

    def positions(self) -> np.ndarray:
        """Every value its slider can take: ``min`` to ``max`` in steps of ``step`` (internal units).

        Rounded to 10 decimals so that values such as 0.35 come out exactly as the slider shows them.
        """
        return np.round(np.arange(self.min, self.max + self.step / 2, self.step), 10)

    def provenance(self) -> str:
        """A short provenance text: sources, derivation and assumption, as available."""
        parts = [s.citation() for s in self.sources]
        if self.derivation:
            parts.append(self.derivation)
        if self.assumption:
            parts.append(self.assumption)
        return "; ".join(parts)

    def allowed(self) -> str:
        """Describe the allowed values, for error messages and tables."""
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "bool":
            return "true or false"
        return f"{format_value(self.min, self)} to {format_value(self.max, self)} {self.unit}"

    def display(self, value: float) -> str:
        """Format an internal value for people (choice label, true/false, or a number)."""
        if self.kind == "choice":
            return self.choices[int(value)]
        if self.kind == "bool":
            return "true" if value else "false"
        return format_value(value, self)

    def coerce(self, value: Any) -> float:
        """Convert a user value (number, string, bool, choice label) to the internal float.

        Raises
        ------
        ParameterError
            If the value has the wrong type, is not finite, or lies outside the allowed range.
        """
        if self.kind == "choice":
            if isinstance(value, str):
                if value in self.choices:
                    return float(self.choices.index(value))
                raise self._error(value, "is not a known choice")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise self._error(value, "has the wrong type")
            if float(value).is_integer() and 0 <= value < len(self.choices):
                return float(value)
            raise self._error(value, "is not a known choice")
        if self.kind == "bool":
            if isinstance(value, bool):
                return 1.0 if value else 0.0
            if isinstance(value, str) and value.strip().lower() in (
                "true",
                "false",
                "1",
                "0",
                "yes",
                "no",
                "on",
                "off",
            ):
                return 1.0 if value.strip().lower() in ("true", "1", "yes", "on") else 0.0
            if isinstance(value, (int, float)) and value in (0, 1):
                return float(value)
            raise self._error(value, "is not true or false")
        raw = value  # error messages show what the user wrote
        if isinstance(value, str):
            try:
                value = float(value.replace("_", ""))
            except ValueError:
                raise self._error(raw, "is not a number") from None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self._error(raw, "has the wrong type")
        number = float(value)
        if not math.isfinite(number):
            raise self._error(raw, "is not a finite number")
        if self.kind == "int" and not number.is_integer():
            raise self._error(raw, "is not a whole number")
        if number < self.min or number > self.max:
            raise self._error(raw, "is out of range")
        return number

    def coerce_history(self, value: Any) -> float:
        """Like :meth:`coerce`, for a value a history episode sets.

        A parameter may declare a wider ``history_min``/``history_max`` for the past (cyber theft before
        2017 was far below today's range); ``history_note`` says why. Elsewhere the range is the same.
        """
        if self.history_min is None and self.history_max is None:
            return self.coerce(value)
        wider = Parameter(
            **{
                **self.__dict__,
                "min": self.min if self.history_min is None else self.history_min,
                "max": self.max if self.history_max is None else self.history_max,
            }
        )
        return wider.coerce(value)

    def _error(self, value: Any, problem: str) -> ParameterError:
        return ParameterError(
            f"{self.name} = {value!r} {problem}: allowed {self.allowed()} ({self.title}).",
            parameter=self.name,
            value=value,
        )


def format_value(value: float, parameter: Parameter | None = None) -> str:
    """Format a number compactly: thousands separators, no trailing zeros."""
    if parameter is not None and parameter.kind in ("int",):
        return f"{int(value)}"
    if value != 0 and (abs(value) >= 1000):
        return f"{value:,.0f}"
    return f"{value:g}"


def _read_toml(name: str) -> dict[str, Any]:
    with resources.files("model").joinpath(name).open("rb") as handle:
        return tomllib.load(handle)


@cache
def sources() -> dict[str, Source]:
    """All bibliography entries, by key."""
    return {key: Source(key=key, **entry) for key, entry in _read_toml("sources.toml").items()}


@cache
def registry() -> dict[str, Parameter]:
    """All parameters in declaration order, by name."""
    bibliography = sources()
    result: dict[str, Parameter] = {}
    for name, entry in _read_toml("parameters.toml").items():
        entry = dict(entry)
        kind = entry.pop("kind", "float")
        choices = tuple(entry.pop("choices", ()))
        labels = tuple(entry.pop("choice_labels", choices))
        default = entry.pop("default")
        for bound in ("history_min", "history_max"):
            if bound in entry:
                entry[bound] = float(entry[bound])
        for listed in ("pressure_order", "constrains"):
            if listed in entry:
                entry[listed] = tuple(entry[listed])
        if kind == "choice":
            default, low, high, step = float(choices.index(default)), 0.0, float(len(choices) - 1), 1.0
        elif kind == "bool":
            default, low, high, step = float(default), 0.0, 1.0, 1.0
        else:
            low, high, step = float(entry.pop("min")), float(entry.pop("max")), float(entry.pop("step"))
            default = float(default)
        entry.pop("min", None), entry.pop("max", None), entry.pop("step", None)
        cited = tuple(bibliography[key] for key in entry.pop("sources", ()))
        result[name] = Parameter(
            name=name,
            default=default,
            min=low,
            max=high,
            step=step,
            kind=kind,
            choices=choices,
            choice_labels=labels,
            sources=cited,
            **entry,
        )
    return result


@dataclass(frozen=True)
class SharedDraw:
    """Uncertainties that evidence ties together and that are therefore drawn from one factor.

    Every member takes the same probability ``u`` and maps it through its own distribution (a
    comonotonic dependence): with ordered ranges, the members keep their order in every draw.
    """

    name: str
    title: str
    members: tuple[str, ...]
    reasoning: str


@cache
def shared_draws() -> dict[str, SharedDraw]:
    """The dependence declarations of ``dependence.toml``, by factor name."""
    table = registry()
    result = {}
    for name, entry in _read_toml("dependence.toml").items():
        members = tuple(entry["members"])
        for member in members:
            if member not in table or table[member].role != "uncertainty":
                raise ParameterError(
                    f"dependence.toml [{name}]: {member!r} is not an uncertainty of the registry.",
                    parameter=member,
                    value=None,
                )
        result[name] = SharedDraw(name=name, title=entry["title"], members=members, reasoning=entry["reasoning"])
    return result


def factor_of(name: str) -> str:
    """The sampling factor an uncertainty belongs to: its shared draw's name, or its own name."""
    for draw in shared_draws().values():
        if name in draw.members:
            return draw.name
    return name


def factors(uncertainties: list[str] | None = None) -> list[str]:
    """Independent sampling factors behind ``uncertainties`` (default: all), in registry order."""
    result: list[str] = []
    for name in uncertainties if uncertainties is not None else names("uncertainty"):
        factor = factor_of(name)
        if factor not in result:
            result.append(factor)
    return result


def factor_title(factor: str) -> str:
    """What people read for a sampling factor: a shared draw's title or the parameter's title."""
    draw = shared_draws().get(factor)
    return draw.title if draw is not None else get(factor).title


def get(name: str) -> Parameter:
    """Look a parameter up by name, suggesting the nearest names when it is unknown."""
    table = registry()
    if name in table:
        return table[name]
    raise unknown_name_error(name)


def unknown_name_error(name: str, where: str = "") -> ParameterError:
    """The error for an unknown parameter name, with the closest registry names suggested."""
    close = difflib.get_close_matches(str(name), list(registry()), n=3, cutoff=0.5)
    hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    prefix = f"{where}: " if where else ""
    return ParameterError(
        f"{prefix}unknown parameter {name!r}.{hint} Run `python -m model params` for the list.",
        parameter=str(name),
        value=None,
    )


def names(role: str | None = None) -> list[str]:
    """Parameter names in registry order, optionally only those of one role."""
    return [p.name for p in registry().values() if role is None or p.role == role]


def defaults() -> dict[str, float]:
    """Internal default values of every parameter."""
    return {p.name: p.default for p in registry().values()}


def table_rows() -> list[dict[str, str]]:
    """The registry as rows of text for a documentation table."""
    rows = []
    for p in registry().values():
        rows.append(
            {
                "name": p.name,
                "title": p.title,
                "role": p.role,
                "group": p.group,
                "unit": p.unit,
                "default": p.display(p.default),
                "range": p.allowed(),
                "distribution": p.distribution,
                "provenance": p.provenance(),
            }
        )
    return rows
