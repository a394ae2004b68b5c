"""Numbers with their units, written for people: ``$1.50 bn``, ``45.7%``, ``2.50 m bbl``, ``5.84×``.

One precision rule for everything the suite shows (tables, readouts, scoreboards, handouts, cards, slides):
at most three significant figures, with a unit chosen so that the number stays short. The model is a
teaching model with wide uncertainty; "$701.16 m" would read as a forecast to the dollar.
:func:`format_quantity` picks the style from a unit; :func:`format_usd`, :func:`format_bbl` and
:func:`format_count` format one kind of amount; :func:`significant` is the rule itself.
"""

from __future__ import annotations

import math

#: Significant figures of every number the suite shows.
DIGITS = 3


def significant(value: float, digits: int = DIGITS, sign: bool = False, max_decimals: int | None = None) -> str:
    """``value`` rounded to ``digits`` significant figures, with thousands separators and no exponent.

    Parameters
    ----------
    value : float
    digits : int
        Significant figures (three by the suite's rule).
    sign : bool
        Write ``+`` before positive numbers (for differences).
    max_decimals : int, optional
        At most this many decimals (e.g. one for percentages), even if that leaves fewer figures.

    Returns
    -------
    str
        E.g. ``"701"``, ``"2.17"``, ``"12,300"``, ``"0.0457"``; ``"0"`` for zero, ``"n/a"`` for NaN.

    Examples
    --------
    >>> significant(701.16), significant(2.1749), significant(12345), significant(-0.04567, sign=True)
    ('701', '2.17', '12,300', '-0.0457')
    """
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return ("+" if sign and value > 0 else "") + ("∞" if value > 0 else "−∞")
    decimals = 0
    if value != 0:
        for _ in range(2):  # rounding can carry into the next power of ten (9.996 -> 10.0): measure again
            magnitude = math.floor(math.log10(abs(value)))
            places = digits - 1 - magnitude
            if max_decimals is not None:
                places = min(places, max_decimals)
            value = round(value, places)
            if value == 0:
                break
        decimals = max(0, places)
    text = f"{value:{'+' if sign else ''},.{decimals}f}"
    return "0" if text in ("-0", "+0", "0") and not sign else text


def _rounded(value: float, digits: int = DIGITS) -> float:
    """``value`` rounded to ``digits`` significant figures (so that the unit is chosen after rounding)."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _signed(text: str, prefix: str = "") -> str:
    """Typographic minus, and a currency prefix after the sign: ``-$2.17`` -> ``−$2.17``; no sign on zero."""
    if not any(c in "123456789" for c in text):
        text = text.lstrip("+-")  # a change that rounds to nothing reads "0", not "+0"
    if text.startswith("-"):
        return "−" + prefix + text[1:]
    if text.startswith("+"):
        return "+" + prefix + text[1:]
    return prefix + text


def format_quantity(value: float, unit: str, difference: bool = False) -> str:
    """Format ``value`` in ``unit`` (a registry or outcome unit) for a readout, a sentence or a table.

    ``USD...`` as $ bn, $ m or $, ``fraction`` as %, ``bbl...`` as m bbl or bbl, ``x...`` as a multiple;
    other units as a number followed by the unit. At most three significant figures. With
    ``difference=True`` a sign is shown and fractions are in percentage points.

    Examples
    --------
    >>> format_quantity(7.0116e8, "USD/yr"), format_quantity(-2.17e6, "USD/yr", difference=True)
    ('$701 m', '−$2.17 m')
    """
    value = _rounded(value)
    if unit.startswith("USD"):
        size = abs(value)
        scale, suffix = (1e9, " bn") if size >= 1e9 else (1e6, " m") if size >= 1e6 else (1, "")
        cents = 0 if scale == 1 else None  # below a million, whole dollars
        return _signed(significant(value / scale, sign=difference, max_decimals=cents), "$") + suffix
    if unit == "fraction":
        number = _signed(significant(value * 100, sign=difference, max_decimals=1))
        return f"{number} pp" if difference else f"{number}%"
    if unit.startswith("bbl"):
        if abs(value) >= 1e6:
            return _signed(significant(value / 1e6, sign=difference)) + " m bbl"
        return _signed(significant(round(value, -3), sign=difference)) + " bbl"
    if unit.startswith("x"):
        return _signed(significant(value, sign=difference)) + "×"
    if abs(value) >= 1e6:
        return _signed(significant(value / 1e6, sign=difference)) + f" m {unit}".rstrip()
    return f"{_signed(significant(value, sign=difference))} {unit}".rstrip()


def format_usd(value: float) -> str:
    """Format US dollars for people: ``$1.36 bn``, ``$290 m``, ``$4,500``.

    Parameters
    ----------
    value : float
        Amount in USD (per year where the caller means a flow).

    Returns
    -------
    str
    """
    return format_quantity(value, "USD")


def format_bbl(value: float) -> str:
    """Format barrels: ``4.00 m bbl`` or ``73,000 bbl`` (below a million, to the thousand).

    Parameters
    ----------
    value : float
        Volume in barrels (bbl).

    Returns
    -------
    str
    """
    return format_quantity(value, "bbl")


def format_count(value: float) -> str:
    """Format a count of people or things: ``12,000``, ``12,300`` (three significant figures)."""
    return _signed(significant(value))
