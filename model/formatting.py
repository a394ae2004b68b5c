"""Numbers with their units, written for people: ``$1.50 bn``, ``45.7%``, ``2.50 m bbl``, ``5.84×``.

Used by the notebooks' readouts and tables, the uncertainty statements and the comparison tables alike.
:func:`format_quantity` picks the style from a unit; :func:`format_usd`, :func:`format_bbl` and
:func:`format_count` format one kind of amount.
"""

from __future__ import annotations


def format_quantity(value: float, unit: str, difference: bool = False) -> str:
    """Format ``value`` in ``unit`` (a registry or outcome unit) for a readout, a sentence or a table.

    ``USD...`` as $ bn or $ m, ``fraction`` as %, ``bbl...`` as m bbl, ``x...`` as a multiple; other
    units as a number followed by the unit. With ``difference=True`` a sign is shown and fractions are
    in percentage points.
    """
    sign = "+" if difference else ""
    if unit.startswith("USD"):
        scale, suffix = (1e9, " bn") if abs(value) >= 1e9 else (1e6, " m")
        text = f"{value / scale:{sign},.2f}{suffix}"
        return text.replace("+", "+$").replace("-", "−$") if difference else f"${text}"
    if unit == "fraction":
        return f"{value * 100:{sign}.1f} pp" if difference else f"{value * 100:.1f}%"
    if unit.startswith("bbl"):
        return f"{value / 1e6:{sign},.2f} m bbl"
    if unit.startswith("x"):
        return f"{value:{sign}.2f}×"
    size = abs(value)
    if size >= 1e6:
        number = f"{value / 1e6:{sign},.2f} m"
    elif size >= 1e4:
        number = f"{value:{sign},.0f}"
    else:
        number = f"{value:{sign}.3g}"
    return f"{number} {unit}"


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
    size = abs(value)
    if size >= 1e9:
        return f"${value / 1e9:.2f} bn"
    if size >= 1e6:
        return f"${value / 1e6:.0f} m"
    return f"${value:,.0f}"


def format_bbl(value: float) -> str:
    """Format barrels: ``4.00 m bbl`` or ``73,000 bbl``.

    Parameters
    ----------
    value : float
        Volume in barrels (bbl).

    Returns
    -------
    str
    """
    if abs(value) >= 1e6:
        return f"{value / 1e6:.2f} m bbl"
    return f"{round(value, -3):,.0f} bbl"


def format_count(value: float) -> str:
    """Format a count of people or things with thousands separators (``12,000``)."""
    return f"{value:,.0f}"
