"""Numbers with their units, written for people: ``$1.50 bn``, ``45.7%``, ``2.50 m bbl``, ``5.84×``.

Used by the notebooks' readouts, the uncertainty statements and the comparison tables alike.
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
