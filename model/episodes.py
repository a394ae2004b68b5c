"""History 2013-2024 as episodes (``data/episodes.toml``), turned into per-year value paths."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from model import registry
from model.errors import ParameterError, ScenarioFileError

# The years come from the one timeline (the registry's first_projection_year sets the split); they are
# re-exported here for older imports.
from model.timeline import FIRST_PROJECTION_YEAR, FIRST_YEAR, HISTORY, LAST_YEAR, YEARS

__all__ = ["FIRST_PROJECTION_YEAR", "FIRST_YEAR", "HISTORY", "LAST_YEAR", "YEARS", "History", "history"]

SERIES = (
    "export_bans_in_force",
    "import_bans_in_force",
    "refined_cap_in_force",
    "closure_china",
    "closure_russia",
    "closure_other",
    "troop_presence",
    "panel_share_of_year",
    "msmt_share_of_year",
)

# Levers whose scenario value applies to every year, history included: a counterfactual strength of the
# 2020-2022 closure, and the choice of whether cyber theft is counted. Every other lever acts from
# FIRST_PROJECTION_YEAR.
ALL_YEAR_LEVERS = ("border_closure", "include_cyber")


@dataclass(frozen=True)
class Episode:
    """One stretch of history with its title, years, description and provenance."""

    name: str
    title: str
    first_year: int
    last_year: int
    description: str
    sources: tuple[registry.Source, ...]
    reasoning: str


@dataclass(frozen=True)
class History:
    """Per-year history values.

    Attributes
    ----------
    overrides : dict of str to ndarray
        For each parameter an episode sets, a ``(T,)`` array with the history value, NaN where the
        scenario's value applies (all projection years, and history years an episode leaves open).
    series : dict of str to ndarray
        The history series over all years, projection values included.
    episodes : tuple of Episode
    """

    overrides: dict[str, np.ndarray]
    series: dict[str, np.ndarray]
    episodes: tuple[Episode, ...]


def _split(entries: dict, where: str) -> tuple[dict[str, float], dict[str, float]]:
    values, series = {}, {}
    for key, raw in entries.items():
        if key in SERIES:
            if not isinstance(raw, (int, float)) or not 0.0 <= float(raw) <= 1.0:
                raise ScenarioFileError(f"{where}: series {key} = {raw!r} must be a number from 0 to 1.")
            series[key] = float(raw)
        else:
            try:
                values[key] = registry.get(key).coerce_history(raw)
            except ParameterError as error:
                raise ScenarioFileError(f"{where}: {error}") from None
    return values, series


@cache
def history() -> History:
    """Read and validate the episodes file once."""
    with resources.files("model").joinpath("data/episodes.toml").open("rb") as handle:
        data = tomllib.load(handle)
    bibliography = registry.sources()
    overrides: dict[str, np.ndarray] = {}
    series = {name: np.full(YEARS.shape, np.nan) for name in SERIES}
    _, projection = _split(data["projection"], "episodes.toml [projection]")
    for name, value in projection.items():
        series[name][~HISTORY] = value
    episodes = []
    for entry in data["episode"]:
        where = f"episodes.toml episode {entry['name']!r}"
        years = (YEARS >= entry["first_year"]) & (YEARS <= entry["last_year"])
        values, episode_series = _split(entry.get("values", {}) | entry.get("series", {}), where)
        for name, value in values.items():
            overrides.setdefault(name, np.full(YEARS.shape, np.nan))[years] = value
        for name, value in episode_series.items():
            series[name][years] = value
        for year, by_year in entry.get("years", {}).items():
            values, year_series = _split(by_year, f"{where} year {year}")
            mask = YEARS == int(year)
            for name, value in values.items():
                overrides.setdefault(name, np.full(YEARS.shape, np.nan))[mask] = value
            for name, value in year_series.items():
                series[name][mask] = value
        episodes.append(
            Episode(
                name=entry["name"],
                title=entry["title"],
                first_year=entry["first_year"],
                last_year=entry["last_year"],
                description=entry["description"],
                sources=tuple(bibliography[key] for key in entry.get("sources", ())),
                reasoning=entry.get("reasoning", ""),
            )
        )
    # A lever an episode leaves open keeps its status-quo (registry) value in history.
    for parameter in registry.registry().values():
        if parameter.role != "lever" or parameter.name in ALL_YEAR_LEVERS:
            continue
        path = overrides.setdefault(parameter.name, np.full(YEARS.shape, np.nan))
        path[HISTORY & np.isnan(path)] = parameter.default
    for name, path in series.items():
        if np.isnan(path).any():
            raise ScenarioFileError(f"episodes.toml: series {name} has no value for {YEARS[np.isnan(path)].tolist()}")
    for array in (*overrides.values(), *series.values()):
        array.setflags(write=False)
    return History(overrides=overrides, series=series, episodes=tuple(episodes))
