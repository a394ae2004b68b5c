"""Scenario codes: a whole app state in a short, typeable code (``K7M2-…``) that a link can carry.

A code holds a preset, every lever and uncertainty value that differs from that preset, and the view
(first and last year shown). It is written in Crockford's base 32 (digits and capitals without I, L, O
and U, so that nothing is misread), in groups of four, and ends with two check symbols that catch a
mistyped or a missing symbol. Reading is forgiving where that is safe: case, dashes and spaces do not
matter, and I, L and O are read as 1, 1 and 0.

Parameters and presets are written as fixed numbers from ``codes.toml``, never by position, so a code
keeps opening the same state when parameters are added. A code that names a parameter or preset that no
longer exists, or a number this version does not know, is refused with a message saying so; nothing is
guessed.

Layout of the symbols (each number a base-32 varint: four bits per symbol, the fifth says "more"):
``version, preset, flags, [first year − FIRST_YEAR, last year − first year], count, count × (parameter,
mantissa, exponent), check, check``. A value is written as the shortest decimal that reads back as the
same float (``mantissa × 10**exponent``, both zig-zag signed), so a code reproduces a state exactly.

Examples
--------
>>> from model.scenario_code import encode, decode
>>> code = encode({"china_smuggling_enforcement": 0.9})
>>> state = decode(code)
>>> state.preset, state.overrides
('baseline', {'china_smuggling_enforcement': 0.9})
>>> encode(state.overrides, preset=state.preset) == code
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

from model import registry
from model.errors import ModelInputError
from model.params import Params
from model.scenarios import BASELINE, Scenario, load_preset, preset_names
from model.timeline import FIRST_YEAR, LAST_YEAR

#: The code format this version writes and reads; a code from a newer format is refused clearly.
VERSION = 1
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"I": "1", "L": "1", "O": "0"}
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
#: Longest code accepted, in symbols (a state with every parameter changed needs about 600).
MAX_SYMBOLS = 2_000
_FLAG_VIEW = 1


class ScenarioCodeError(ModelInputError):
    """A scenario code that cannot be read exactly; the message says why and what a code looks like."""


@dataclass(frozen=True)
class CodedState:
    """What a code holds: a preset, the values that differ from it (user form) and the years shown."""

    preset: str
    overrides: dict[str, Any] = field(default_factory=dict)
    first_year: int = FIRST_YEAR
    last_year: int = LAST_YEAR

    def values(self) -> dict[str, Any]:
        """Every value that differs from the registry defaults: the preset's, then the code's own."""
        return {**load_preset(self.preset).overrides, **self.overrides}

    def scenario(self, code: str) -> Scenario:
        """The state as a scenario (named after its code) that every app and command can use."""
        preset = load_preset(self.preset)
        changed = f" with {len(self.overrides)} change{'s' if len(self.overrides) != 1 else ''}"
        return Scenario(
            name=f"code-{canonical(code)}",
            title=preset.title + (changed if self.overrides else ""),
            description=f"Opened from scenario code {canonical(code)} ({preset.title}{changed}).",
            overrides=self.values(),
            first_year=self.first_year,
            last_year=self.last_year,
        )


@cache
def _tables() -> dict[str, Any]:
    with resources.files("model").joinpath("codes.toml").open("rb") as handle:
        return tomllib.load(handle)


def parameter_codes() -> dict[str, int]:
    """Parameter name → its fixed code number."""
    return dict(_tables()["parameters"])


def preset_codes() -> dict[str, int]:
    """Preset name → its fixed code number."""
    return dict(_tables()["presets"])


def _retired(kind: str) -> dict[int, str]:
    return {int(number): why for number, why in _tables().get("retired", {}).get(kind, {}).items()}


# ---------------------------------------------------------------------------------------------- symbols
def _varint(number: int) -> str:
    if number < 0:
        raise ValueError("varints are not negative")
    out = []
    while True:
        chunk, number = number & 0xF, number >> 4
        out.append(ALPHABET[chunk | (0x10 if number else 0)])
        if not number:
            return "".join(out)


def _zigzag(number: int) -> int:
    return 2 * number if number >= 0 else -2 * number - 1


def _unzigzag(number: int) -> int:
    return number // 2 if number % 2 == 0 else -(number + 1) // 2


def _check(symbols: str) -> str:
    """Two check symbols: a position-weighted sum that changes when any one symbol changes or moves."""
    total = sum((index + 1) * _VALUE[s] for index, s in enumerate(symbols)) + 7 * len(symbols)
    total %= 32 * 32 - 3  # a prime: a single wrong symbol always changes the sum
    return ALPHABET[total // 32] + ALPHABET[total % 32]


def _grouped(symbols: str) -> str:
    return "-".join(symbols[i : i + 4] for i in range(0, len(symbols), 4))


def canonical(code: str) -> str:
    """The code as it is written: capitals, in groups of four (what the app and the handout show)."""
    return _grouped(_symbols(code))


def _symbols(code: str) -> str:
    if not isinstance(code, str):
        raise ScenarioCodeError(f"a scenario code is text such as 'K7M2-…', not {type(code).__name__}.")
    text = "".join(code.split()).replace("-", "").upper()
    text = "".join(_READ_AS.get(c, c) for c in text)
    if not text:
        raise ScenarioCodeError("the scenario code is empty; a code looks like 'K7M2-0Q4A-…'.")
    if len(text) > MAX_SYMBOLS:
        raise ScenarioCodeError(f"a scenario code has at most {MAX_SYMBOLS} symbols; this one has {len(text)}.")
    bad = sorted({c for c in text if c not in _VALUE})
    if bad:
        shown = ", ".join(repr(c) for c in bad[:5])
        raise ScenarioCodeError(
            f"the scenario code holds {shown}: a code uses only digits and the capitals {ALPHABET[10:]} "
            "(dashes and spaces are ignored)."
        )
    return text


class _Reader:
    def __init__(self, symbols: str):
        self.symbols, self.at = symbols, 0

    def varint(self, what: str) -> int:
        number, shift = 0, 0
        while True:
            if self.at >= len(self.symbols):
                raise ScenarioCodeError(f"the scenario code ends in the middle of {what}: a part of it is missing.")
            value = _VALUE[self.symbols[self.at]]
            self.at += 1
            number |= (value & 0xF) << shift
            shift += 4
            if not value & 0x10:
                return number
            if shift > 64:
                raise ScenarioCodeError(f"the scenario code's {what} is far too long to be a real value.")


# ---------------------------------------------------------------------------------------------- values
def _internal(name: str, value: Any) -> float:
    """A value in the registry's internal number form, validated (range, type, choice) as everywhere."""
    return float(Params.from_overrides({name: value})[name][0])


def _decimal(value: float) -> tuple[int, int]:
    """``value`` as ``(mantissa, exponent)``: the shortest decimal that reads back as the same float."""
    sign, digits, exponent = Decimal(repr(float(value))).normalize().as_tuple()
    mantissa = int("".join(map(str, digits)) or "0")
    return (-mantissa if sign else mantissa), int(exponent)


def _user_form(name: str, internal: float) -> Any:
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return parameter.choices[int(internal)]
    if parameter.kind == "bool":
        return bool(internal)
    if parameter.kind == "int":
        return int(internal)
    return internal


# ---------------------------------------------------------------------------------------------- encode
def differences(values: Mapping[str, Any], preset: str) -> dict[str, float]:
    """Internal values of ``values`` (user or internal form, over the defaults) that differ from ``preset``'s."""
    state = Params.from_overrides(dict(values))
    reference = load_preset(preset).params
    return {
        name: float(state[name][0]) for name in registry.names() if float(state[name][0]) != float(reference[name][0])
    }


def encode(
    values: Mapping[str, Any],
    preset: str | None = None,
    first_year: int = FIRST_YEAR,
    last_year: int = LAST_YEAR,
) -> str:
    """The scenario code of a state.

    Parameters
    ----------
    values : mapping of str to value
        Parameter values that differ from the registry defaults (user form, as a scenario's overrides, or
        the internal number form); every other parameter is at its default.
    preset : str, optional
        The preset the code starts from. Default: the preset that leaves the fewest differences (so a
        preset's own state is a code of a few symbols); among equals, the one with the same view, then the
        baseline.
    first_year, last_year : int
        The years shown (the view).

    Returns
    -------
    str
        E.g. ``"1100-0Q…"``, in groups of four symbols.

    Raises
    ------
    model.errors.ParameterError
        A value out of range or of the wrong kind (as a scenario file's).
    ScenarioCodeError
        A preset or parameter without a code number (a development error: add it to ``codes.toml``).
    """
    if preset is None:
        candidates = [name for name in preset_names() if name in preset_codes()]
        view = (first_year, last_year)

        def closeness(name: str) -> tuple:
            other = load_preset(name)
            return (len(differences(values, name)), view != (other.first_year, other.last_year), name != BASELINE)

        preset = min(candidates, key=closeness)
    if preset not in preset_codes():
        raise ScenarioCodeError(f"preset {preset!r} has no code number in codes.toml.")
    if not FIRST_YEAR <= first_year <= last_year <= LAST_YEAR:
        raise ScenarioCodeError(
            f"view {first_year}-{last_year}: the years shown must lie in {FIRST_YEAR}-{LAST_YEAR}, first before last."
        )
    changed = differences(values, preset)
    codes = parameter_codes()
    missing = sorted(set(changed) - set(codes))
    if missing:
        raise ScenarioCodeError(f"parameter(s) {', '.join(missing)} have no code number in codes.toml.")
    view = (first_year, last_year) != (FIRST_YEAR, LAST_YEAR)
    symbols = _varint(VERSION) + _varint(preset_codes()[preset]) + _varint(_FLAG_VIEW if view else 0)
    if view:
        symbols += _varint(first_year - FIRST_YEAR) + _varint(last_year - first_year)
    symbols += _varint(len(changed))
    for name in sorted(changed, key=codes.get):
        mantissa, exponent = _decimal(changed[name])
        symbols += _varint(codes[name]) + _varint(_zigzag(mantissa)) + _varint(_zigzag(exponent))
    return _grouped(symbols + _check(symbols))


def scenario_code(scenario: Scenario) -> str:
    """The code of a scenario (a preset or a saved file): its overrides and view."""
    preset = scenario.name if scenario.name in preset_codes() else None
    return encode(scenario.overrides, preset, scenario.first_year, scenario.last_year)


# ---------------------------------------------------------------------------------------------- decode
def decode(code: str) -> CodedState:
    """The state a code holds, every value validated as a scenario file's.

    Raises
    ------
    ScenarioCodeError
        Malformed (symbols outside the alphabet, truncated, a wrong check symbol), from a newer version, an
        unknown or retired preset or parameter number, a parameter given twice, a bad view.
    model.errors.ParameterError
        A value out of range or of the wrong kind, naming the parameter, the value and the allowed range.
    """
    symbols = _symbols(code)
    if len(symbols) < 6:
        raise ScenarioCodeError(f"the scenario code {code!r} is too short: a code has at least six symbols.")
    body, check = symbols[:-2], symbols[-2:]
    if _check(body) != check:
        raise ScenarioCodeError(
            f"the scenario code {canonical(code)} does not check out: a symbol is mistyped or missing. "
            "Copy the code again, or type it in groups of four."
        )
    read = _Reader(body)
    version = read.varint("the version")
    if version > VERSION:
        raise ScenarioCodeError(
            f"this scenario code was made by a newer version of the suite (code format {version}; this version "
            f"reads {VERSION}): update the suite to open it."
        )
    if version < 1:
        raise ScenarioCodeError(f"scenario code format {version} does not exist; codes start at format 1.")
    preset_number = read.varint("the preset")
    presets = {number: name for name, number in preset_codes().items()}
    if preset_number not in presets:
        retired = _retired("presets").get(preset_number)
        raise ScenarioCodeError(
            f"the scenario code starts from preset number {preset_number}, "
            + (f"which this version no longer has: {retired}" if retired else "which this version does not know")
            + "; it cannot be opened exactly."
        )
    flags = read.varint("the flags")
    if flags & ~_FLAG_VIEW:
        raise ScenarioCodeError("the scenario code uses features this version does not know: update the suite.")
    first, last = FIRST_YEAR, LAST_YEAR
    if flags & _FLAG_VIEW:
        first = FIRST_YEAR + read.varint("the first year shown")
        last = first + read.varint("the last year shown")
        if last > LAST_YEAR:
            raise ScenarioCodeError(
                f"the scenario code shows years {first}-{last}; the model covers {FIRST_YEAR}-{LAST_YEAR}."
            )
    count = read.varint("the number of changes")
    names = {number: name for name, number in parameter_codes().items()}
    if count > len(names):
        raise ScenarioCodeError(f"the scenario code claims {count} changes; the model has {len(names)} parameters.")
    overrides: dict[str, Any] = {}
    for _ in range(count):
        number = read.varint("a parameter number")
        mantissa = _unzigzag(read.varint("a value"))
        exponent = _unzigzag(read.varint("a value's exponent"))
        if number not in names:
            retired = _retired("parameters").get(number)
            raise ScenarioCodeError(
                f"the scenario code sets parameter number {number}, "
                + (f"which this version no longer has: {retired}" if retired else "which this version does not know")
                + "; it cannot be opened exactly."
            )
        name = names[number]
        if name in overrides:
            raise ScenarioCodeError(f"the scenario code sets {name} twice.")
        if not -350 <= exponent <= 350:
            raise ScenarioCodeError(f"the scenario code's value for {name} has an impossible size (10^{exponent}).")
        value = float(Decimal(mantissa).scaleb(exponent))
        overrides[name] = _user_form(name, _internal(name, value))
    if read.at != len(body):
        raise ScenarioCodeError("the scenario code has symbols left over after its last change: it is not one code.")
    # Every value was validated on its own; together with the preset they must still form a valid state.
    state = CodedState(presets[preset_number], overrides, first, last)
    Params.from_overrides(state.values())
    return state


def load_code(code: str) -> Scenario:
    """The scenario a code opens (see :func:`decode` for the checks)."""
    return decode(code).scenario(code)


__all__ = [
    "ALPHABET",
    "VERSION",
    "CodedState",
    "ScenarioCodeError",
    "canonical",
    "decode",
    "differences",
    "encode",
    "load_code",
    "parameter_codes",
    "preset_codes",
    "scenario_code",
]
