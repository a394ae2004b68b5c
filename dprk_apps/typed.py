"""Numbers typed by people into a control: read generously, checked strictly, never silently changed.

:func:`parse_typed` turns the text of a control's box into the value its slider takes, or raises a
:class:`~model.errors.ParameterError` whose message names the parameter, what was typed and what is
allowed. It needs no widgets.

What is accepted
----------------
* Surrounding spaces and a leading ``+`` (``" +0.5 "``).
* Thousands separators grouping three digits: ``,``, a space (also no-break and narrow no-break),
  ``_`` or ``'`` — ``"1,000,000"``, ``"1 000 000"``, ``"1_000_000"``. One kind per number; a separator
  that does not group three digits (``"1,5"``) is refused, because it may be a decimal comma.
* A decimal point and an exponent (``"2.5e6"``).
* The parameter's unit after the number: the whole unit (``"500000 bbl/yr"``) or its first word
  (``"500,000 bbl"``, ``"300 USD"``), case-insensitive; ``$`` before the number for dollar units.
* A percent sign for ratio parameters (unit ``fraction`` or ``weight``, or a multiple such as
  ``x today``): ``"95%"`` means 0.95; for a value in percent (unit ``%``) ``"95%"`` is 95. Elsewhere a
  percent sign is refused.

What is refused
---------------
Empty text, text that is not a number (``"abc"``), ``nan`` and ``inf``, another unit, values
outside the registry range (``"-5"``, ``"1e9"``) and, for whole-number parameters, fractions
(``"2030.5"``: whole numbers are not rounded, they are asked for).

A valid value between two slider positions (:meth:`model.registry.Parameter.positions`) is rounded to
the nearest one, and the returned note says so.
"""

from __future__ import annotations

import math
import re

import numpy as np

from model.errors import ParameterError
from model.registry import Parameter, format_value

#: Thousands separators a person may type: comma, space, no-break space, narrow no-break space, _, '.
SEPARATORS = ", \u00a0\u202f_'"
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)\s*"
    r"(?P<whole>[0-9](?:[0-9, \u00a0\u202f_']*[0-9])?)?"
    r"(?P<fraction>\.[0-9]*)?"
    r"(?:[eE](?P<exponent>[+-]?[0-9]+))?"
    r"\s*(?P<suffix>.*)",
    re.DOTALL,
)
_NOT_FINITE = re.compile(r"[+-]?\s*(nan|inf|infinity)", re.IGNORECASE)
_RATIO_UNITS = ("fraction", "weight")


def takes_percent(parameter: Parameter) -> bool:
    """Whether a percent sign makes sense for the parameter (a fraction, weight or multiple).

    Parameters
    ----------
    parameter : model.registry.Parameter

    Returns
    -------
    bool
    """
    return parameter.unit in _RATIO_UNITS or parameter.unit.startswith("x ")


def unit_words(parameter: Parameter) -> set[str]:
    """The unit texts accepted after a number, lower case and without spaces.

    Parameters
    ----------
    parameter : model.registry.Parameter

    Returns
    -------
    set of str
        The whole unit and its first word (``bbl/yr`` gives ``bbl/yr`` and ``bbl``), each also
        with or without a plural ``s``.
    """
    unit = parameter.unit.lower()
    head = re.split(r"[/ ]", unit)[0]
    words = {unit.replace(" ", ""), head}
    return words | {w + "s" for w in words} | {w.removesuffix("s") for w in words if len(w) > 1}


def refusal(parameter: Parameter, text: str, problem: str) -> ParameterError:
    """The error for a typed text that cannot be used.

    Parameters
    ----------
    parameter : model.registry.Parameter
    text : str
        What was typed, quoted in the message.
    problem : str
        What is wrong, e.g. ``"is not a number"``.

    Returns
    -------
    model.errors.ParameterError
        Message ``"<title> (<name>): '<text>' <problem>; allowed <range>."``.
    """
    return ParameterError(
        f"{parameter.title} ({parameter.name}): {text!r} {problem}; allowed {parameter.allowed()}.",
        parameter=parameter.name,
        value=text,
    )


def _grouped(whole: str) -> str | None:
    """Digits of an integer part, or None if its separators do not group by three."""
    used = {c for c in whole if c in SEPARATORS}
    if not used:
        return whole
    if len(used) > 1:
        return None
    groups = whole.split(used.pop())
    if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
        return None
    if not all(g.isdigit() for g in groups):
        return None
    return "".join(groups)


def _number(parameter: Parameter, text: str) -> float:
    """The number a text states, in the parameter's internal unit (percent divided by 100)."""
    stripped = text.strip()
    if not stripped:
        raise refusal(parameter, text, "is empty")
    if _NOT_FINITE.fullmatch(stripped):
        raise refusal(parameter, text, "is not a finite number")
    dollar_unit = parameter.unit.upper().startswith("USD")
    body = stripped
    if dollar_unit:
        body = re.sub(r"^([+-]?)\s*\$\s*", r"\1", body)
    match = _NUMBER.fullmatch(body)
    whole = match.group("whole") if match else None
    fraction = match.group("fraction") if match else None
    if match is None or (whole is None and fraction in (None, ".")):
        raise refusal(parameter, text, "is not a number")
    digits = _grouped(whole or "0")
    if digits is None:
        raise refusal(
            parameter, text, "is not a number (thousands separators group three digits; decimals take a point)"
        )
    exponent = match.group("exponent")
    number = float(f"{match.group('sign')}{digits}{fraction or ''}{'e' + exponent if exponent else ''}")
    suffix = match.group("suffix").strip()
    if suffix == "%":
        if parameter.unit != "%":  # a value in percent takes its sign as it is
            if not takes_percent(parameter):
                raise refusal(parameter, text, f"has a percent sign, which does not fit a value in {parameter.unit}")
            number /= 100
    elif suffix:
        if suffix.lower().replace(" ", "") not in unit_words(parameter):
            raise refusal(parameter, text, f"has the unit {suffix!r}, but this value is in {parameter.unit}")
    if not math.isfinite(number):
        raise refusal(parameter, text, "is not a finite number")
    return number


def parse_typed(parameter: Parameter, text: str) -> tuple[float, str]:
    """Read a number typed into a control's box.

    Parameters
    ----------
    parameter : model.registry.Parameter
        A ``float`` or ``int`` registry parameter.
    text : str
        What the person typed (see the module docstring for what is accepted).

    Returns
    -------
    value : float
        The internal value, on the slider's step grid.
    note : str
        ``""``, or a sentence saying that the value was rounded to the nearest step, e.g.
        ``"Export ban enforcement: '0.93' rounded to 0.95 (the slider's step is 0.05)."``.

    Raises
    ------
    model.errors.ParameterError
        When the text is not a number, not finite, in another unit, out of range, or (for a
        whole-number parameter) not whole. The message names the parameter, the text and the range.
    ValueError
        When the parameter is a choice or a switch, which take no typed numbers.
    """
    if parameter.kind not in ("float", "int"):
        raise ValueError(f"{parameter.name} is a {parameter.kind} parameter; only numbers are typed")
    number = _number(parameter, text)
    if parameter.kind == "int" and not number.is_integer():
        raise refusal(parameter, text, "is not a whole number")
    if number < parameter.min or number > parameter.max:
        raise refusal(parameter, text, "is out of range")
    positions = parameter.positions()
    nearest = float(positions[int(np.argmin(np.abs(positions - number)))])
    if abs(nearest - number) <= 1e-9 * max(1.0, abs(number)):
        return nearest, ""
    step = format_value(parameter.step, parameter)
    return nearest, (
        f"{parameter.title}: {text.strip()!r} rounded to {format_value(nearest, parameter)} "
        f"(the slider's step is {step})."
    )


__all__ = ["SEPARATORS", "parse_typed", "refusal", "takes_percent", "unit_words"]
