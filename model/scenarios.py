"""Scenarios as small data files (TOML or JSON): title, description, provenance and overrides.

A scenario file looks like::

    title = "Russia defects"
    description = "Russia ignores every cap; China enforces as today."

    [provenance]
    sources = ["kbs_2025_msmt"]          # keys into model/sources.toml
    reasoning = "why these values"

    [view]                               # optional: years a figure should show
    first_year = 2013
    last_year = 2035

    [overrides]
    russia_arms_enforcement = 0.0

    [[expected]]                         # optional: the change the scenario is meant to show
    outcome = "hard_currency_total_usd"  # a key of Results.headline()
    year = 2027
    change = "higher"                    # than the baseline: higher | lower
    at_least = 0.05                      # relative change (0.05 = 5%)

Files are data, never code: only these keys are read, and every override is validated against the
registry. Saving writes to a temporary file first and replaces the target only on success.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w

from model import datafiles, registry
from model.errors import ModelInputError, ParameterError, ScenarioFileError
from model.params import Params
from model.timeline import FIRST_YEAR, LAST_YEAR

#: The preset every comparison starts from (the status quo carried forward).
BASELINE = "baseline"

TOP_LEVEL_KEYS = ("format", "title", "description", "provenance", "view", "overrides", "expected")
FORMAT = 1  # the scenario-file format this version reads and writes (optional key ``format``)
MAX_BYTES = 1_000_000  # a scenario is a few hundred bytes; anything near a megabyte is not one
EXPECTED_KEYS = ("outcome", "year", "change", "at_least")
CHANGES = ("higher", "lower")
PROVENANCE_KEYS = ("sources", "reasoning", "author", "created")
VIEW_KEYS = ("first_year", "last_year")


@dataclass(frozen=True)
class Scenario:
    """A named set of lever (and assumption) overrides with its story and provenance."""

    name: str
    title: str
    description: str
    overrides: dict[str, Any]
    provenance: dict[str, Any] = field(default_factory=dict)
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR
    expected: tuple[dict[str, Any], ...] = ()

    @property
    def params(self) -> Params:
        """The validated parameter set of this scenario."""
        return Params.from_overrides(self.overrides)

    def to_data(self) -> dict[str, Any]:
        """The file content as plain data (what :func:`save_scenario` writes)."""
        data: dict[str, Any] = {"title": self.title, "description": self.description}
        if self.provenance:
            data["provenance"] = dict(self.provenance)
        if (self.first_year, self.last_year) != (FIRST_YEAR, LAST_YEAR):
            data["view"] = {"first_year": self.first_year, "last_year": self.last_year}
        data["overrides"] = dict(self.overrides)
        if self.expected:
            data["expected"] = [dict(e) for e in self.expected]
        return data


def from_params(
    params: Params, name: str, title: str, description: str = "", provenance: dict[str, Any] | None = None
) -> Scenario:
    """A scenario holding every value of ``params`` that differs from the registry default."""
    return Scenario(
        name=name, title=title, description=description, overrides=params.changed(), provenance=dict(provenance or {})
    )


def preset_names() -> list[str]:
    """Names of the presets shipped with the package, in a teaching order."""
    order = [
        "history",
        "baseline",
        "max-pressure",
        "russia-defects",
        "war-escalates",
        "china-crackdown",
        "ukraine-ceasefire",
        "monitoring-restored",
    ]
    shipped = sorted(
        p.name.removesuffix(".toml") for p in resources.files("model.presets").iterdir() if p.name.endswith(".toml")
    )
    return [n for n in order if n in shipped] + [n for n in shipped if n not in order]


def load_preset(name_or_path: str | os.PathLike) -> Scenario:
    """Load a shipped preset by name, or a scenario file by path (``.toml`` or ``.json``).

    Raises
    ------
    ScenarioFileError
        Naming the file and what is wrong in it (malformed, unknown key, bad value).
    """
    text = str(name_or_path)
    if text in preset_names():
        resource = resources.files("model.presets").joinpath(f"{text}.toml")
        return _parse(resource.read_bytes(), f"preset {text!r}", text, "toml")
    path = Path(text)
    if path.suffix.lower() not in (".toml", ".json"):
        known = ", ".join(preset_names())
        raise ScenarioFileError(f"{text!r} is neither a preset ({known}) nor a .toml/.json scenario file.")
    if not path.is_file():
        raise ScenarioFileError(f"scenario file {text!r} does not exist.")
    return _parse(path.read_bytes(), str(path), path.stem, path.suffix.lower().lstrip("."))


def loads(raw: bytes, name: str, fmt: str) -> Scenario:
    """Read a scenario from the bytes of a file (an upload), checked exactly as :func:`load_preset` checks files.

    Parameters
    ----------
    raw : bytes
        The file's content.
    name : str
        The file's name as the user knows it (``my_scenario.toml``); messages name it, and its stem
        becomes the scenario's name.
    fmt : str
        ``"toml"`` or ``"json"``.

    Raises
    ------
    ScenarioFileError
        Naming the file and what is wrong in it (format, malformed, unknown key, bad value).
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("toml", "json"):
        raise ScenarioFileError(f"{name}: scenario files are .toml or .json, not {fmt or 'a file without a suffix'}.")
    return _parse(bytes(raw), name, Path(name).stem or name, fmt)


def file_kind(fmt: str = "toml") -> datafiles.FileKind:
    """What a scenario file is for the first checks of :mod:`model.datafiles` (``fmt``: toml or json)."""
    return datafiles.FileKind(
        "scenario file",
        MAX_BYTES,
        ScenarioFileError,
        "a scenario needs at least a title.",
        "save the file as UTF-8.",
        f"a {fmt.upper()} scenario.",
    )


def _parse(raw: bytes, where: str, name: str, fmt: str) -> Scenario:
    kind = file_kind(fmt)
    text = datafiles.decode(raw, where, kind)
    try:
        data = tomllib.loads(text) if fmt == "toml" else datafiles.json_without_duplicates(text, ScenarioFileError)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError) as error:
        raise ScenarioFileError(f"{where}: not valid {fmt.upper()}: {error}") from None
    except ScenarioFileError as error:
        raise ScenarioFileError(f"{where}: {error}") from None
    if not isinstance(data, dict):
        raise ScenarioFileError(f"{where}: the top level must be a table of keys, not {type(data).__name__}.")
    _check_keys(data, TOP_LEVEL_KEYS, where)
    datafiles.check_format(
        data.get("format", FORMAT),
        FORMAT,
        where,
        kind,
        "update the suite or save the scenario again from an older copy.",
    )
    for key in ("title", "description"):
        if not isinstance(data.get(key, ""), str):
            raise ScenarioFileError(f"{where}: {key} must be text.")
    if not data.get("title"):
        raise ScenarioFileError(f"{where}: a scenario needs a title.")
    provenance = _table(data, "provenance", where)
    _check_keys(provenance, PROVENANCE_KEYS, f"{where} [provenance]")
    for key in provenance.get("sources", []):
        if key not in registry.sources():
            raise ScenarioFileError(f"{where} [provenance]: unknown source key {key!r} (see model/sources.toml).")
    view = _table(data, "view", where)
    _check_keys(view, VIEW_KEYS, f"{where} [view]")
    first, last = view.get("first_year", FIRST_YEAR), view.get("last_year", LAST_YEAR)
    for key, year in (("first_year", first), ("last_year", last)):
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ScenarioFileError(
                f"{where} [view]: {key} = {year!r} must be a year from {FIRST_YEAR} to {LAST_YEAR}."
            )
    if first > last:
        raise ScenarioFileError(f"{where} [view]: first_year {first} is after last_year {last}.")
    overrides = _table(data, "overrides", where)
    for key, value in overrides.items():
        if key not in registry.registry():
            raise ScenarioFileError(f"{where} [overrides]: {registry.unknown_name_error(key)}")
        if isinstance(value, (dict, list)):
            raise ScenarioFileError(f"{where} [overrides]: {key} must be a single value, not {type(value).__name__}.")
    scenario = Scenario(
        name=name,
        title=data["title"],
        description=data.get("description", ""),
        overrides=dict(overrides),
        provenance=dict(provenance),
        first_year=first,
        last_year=last,
        expected=_expected(data.get("expected", []), where),
    )
    try:
        scenario.params  # noqa: B018 - validate every value now, with the file named
    except ModelInputError as error:
        raise ScenarioFileError(f"{where} [overrides]: {error}") from None
    return scenario


def _expected(entries: Any, where: str) -> tuple[dict[str, Any], ...]:
    """Validate the ``[[expected]]`` statements: the change a scenario is meant to show against the baseline."""
    from model.results import HEADLINE_KEYS

    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ScenarioFileError(f"{where}: expected must be a list of tables ([[expected]]).")
    for number, entry in enumerate(entries, start=1):
        place = f"{where} [[expected]] #{number}"
        _check_keys(entry, EXPECTED_KEYS, place)
        missing = [k for k in EXPECTED_KEYS if k not in entry]
        if missing:
            raise ScenarioFileError(f"{place}: missing {', '.join(missing)}.")
        if entry["outcome"] not in HEADLINE_KEYS:
            raise ScenarioFileError(f"{place}: outcome {entry['outcome']!r} is not one of {', '.join(HEADLINE_KEYS)}.")
        year = entry["year"]
        if isinstance(year, bool) or not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
            raise ScenarioFileError(f"{place}: year = {year!r} must be a year from {FIRST_YEAR} to {LAST_YEAR}.")
        if entry["change"] not in CHANGES:
            raise ScenarioFileError(f"{place}: change = {entry['change']!r} must be one of {', '.join(CHANGES)}.")
        at_least = entry["at_least"]
        if isinstance(at_least, bool) or not isinstance(at_least, (int, float)) or not 0 <= at_least <= 10:
            raise ScenarioFileError(f"{place}: at_least = {at_least!r} must be a relative change from 0 to 10.")
    return tuple(dict(e) for e in entries)


def _table(data: dict, key: str, where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise ScenarioFileError(f"{where}: {key} must be a table ([{key}]), not {type(value).__name__}.")
    return value


def _check_keys(data: dict, allowed: tuple[str, ...], where: str) -> None:
    import difflib

    for key in data:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise ScenarioFileError(f"{where}: unknown key {key!r}.{hint} Allowed: {', '.join(allowed)}.")


def save_scenario(scenario: Scenario, path: str | os.PathLike, overwrite: bool = False) -> Path:
    """Write a scenario file (``.toml`` or ``.json``) that :func:`load_preset` reads back identically.

    The scenario is validated first; the file is written to a temporary name in the same folder and
    moved into place only when complete, so a failure never leaves a damaged or half-written file.

    Raises
    ------
    ScenarioFileError
        For a bad path, an existing file without ``overwrite=True``, or invalid values.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise ScenarioFileError(f"{path}: scenario files end in .toml or .json.")
    if path.exists() and not overwrite:
        raise ScenarioFileError(f"{path} already exists; choose another name or allow overwriting.")
    try:
        scenario.params  # noqa: B018 - validate before anything is written
    except ParameterError as error:
        raise ScenarioFileError(f"{path}: not saved: {error}") from None
    data = scenario.to_data()
    if suffix == ".toml":
        from model.scenario_code import scenario_code

        # A comment, not a key: the file stays the scenario's data, and the code opens the same state.
        code = (
            f"# Scenario code: {scenario_code(scenario)} (python -m model run --code CODE, or Enter code in an app)\n"
        )
        text = code + tomli_w.dumps(data)
    else:
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ScenarioFileError(f"{path}: folder {folder} does not exist.")
    from model.tidy import write_text

    return write_text(path, text)
