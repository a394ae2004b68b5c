"""Text the apps show: headline and channel tables, citations, and hidden worked solutions.

Every table of numbers is one :func:`comparison_table` (baseline, scenario, difference); each scenario cell
carries ``data-key`` and ``data-value`` so that tests and exercises read back exactly what is shown
(:func:`shown_values`). Solutions are hidden one way everywhere: :func:`solution`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from model import registry as _registry
from model.formatting import format_quantity
from model.outcomes import HEADLINE_TABLE, HEADLINES

#: Class names that keep MathJax away from an HTML output: source titles contain dollar amounts
#: ("$1.34 bn", "US$6 bln"), and two of them in one output would otherwise be typeset as mathematics.
NO_MATH = "tex2jax_ignore mathjax_ignore"
#: Style of every table cell: numbers right-aligned on one line, with room between columns ("$744.29 m$744.29 m"
#: without); labels may wrap. Compact, so that numbers and figure fit one projector screen together.
CELL = "padding:1px 6px;text-align:right;white-space:nowrap"
LABEL_CELL = "padding:1px 6px 1px 0;text-align:left;white-space:normal"


#: A web address inside escaped text: it ends before a space, a quote, an angle bracket or a "; " separator
#: (a ";" inside it, as in the escaped ``&amp;``, belongs to it).
_ADDRESS = re.compile(r"https?://(?:[^\s<>\"';]|;(?!\s|$))+")


def linked(text: str) -> str:
    """Escape ``text`` for HTML and make every web address in it a link that opens in a new tab.

    Parameters
    ----------
    text : str
        Plain text, e.g. a citation ``"Title, Publisher, date, https://..."``.

    Returns
    -------
    str
        HTML.
    """

    def link(match: re.Match) -> str:
        address = match.group(0)
        trail = len(address) - len(address.rstrip(".,)"))  # sentence punctuation after an address
        address, rest = (address[:-trail], address[-trail:]) if trail else (address, "")
        return f'<a href="{address}" target="_blank" rel="noopener noreferrer">{address}</a>{rest}'

    return _ADDRESS.sub(link, html.escape(text, quote=False))


def citations_html(items: Iterable[Any]) -> str:
    """A bulleted HTML list of citations (sources or plain strings), addresses linked, protected from MathJax."""
    rows = "".join(f"<li>{linked(item.citation() if hasattr(item, 'citation') else str(item))}</li>" for item in items)
    return f'<ul class="{NO_MATH}">{rows}</ul>'


def sources_for(names: Iterable[str]) -> list[_registry.Source]:
    """Distinct sources cited by the named parameters, in first-cited order."""
    seen: dict[str, _registry.Source] = {}
    for name in names:
        for source in _registry.get(name).sources:
            seen.setdefault(source.key, source)
    return list(seen.values())


Row = tuple  # (key, label, baseline, scenario, formatter[, difference formatter])


def comparison_table(rows: Iterable[Row], year: int | str, css_class: str = "readout") -> str:
    """An HTML table of numbers for one year: baseline, scenario and difference (the one readout table).

    Parameters
    ----------
    rows : iterable of (key, label, baseline, scenario, formatter[, difference])
        ``formatter`` turns a number into text (e.g. :func:`model.formatting.format_bbl`). The difference
        is written by ``difference`` when given (it writes the sign, e.g. percentage points for shares),
        else as a sign and ``formatter`` of its size.
    year : int or str
        Shown in the header (a year, or a span such as ``"Sum 2025–2035"``).
    css_class : str
        Class of the ``<table>`` (the browser tests find tables by it).

    Returns
    -------
    str
        HTML; each scenario cell carries ``data-key`` and ``data-value`` (the raw number) so that tests
        can read what is shown (:func:`shown_values`).
    """
    body = []
    for key, label, base, value, formatter, *difference in rows:
        delta = value - base
        sign = "+" if delta > 0 else "−" if delta < 0 else "±"
        change = difference[0](delta) if difference else f"{sign}{formatter(abs(delta))}"
        colour = "#0b5394" if abs(delta) > 1e-9 * max(1.0, abs(base)) else "#555"
        body.append(
            f"<tr><td style='{LABEL_CELL}'>{html.escape(label)}</td>"
            f"<td style='{CELL}'>{formatter(base)}</td>"
            f"<td style='{CELL}' data-key='{key}' data-value='{float(value)!r}'><b>{formatter(value)}</b></td>"
            f"<td style='{CELL};color:{colour}'>{change}</td></tr>"
        )
    header = "".join(f"<th style='{CELL}'>{text}</th>" for text in ("Baseline", "Scenario", "Difference"))
    return (
        f"<table class='{css_class}' style='border-collapse:collapse;font-size:100%'>"
        f"<thead><tr><th style='{LABEL_CELL}'>{year}</th>{header}</tr></thead><tbody>"
        + "".join(body)
        + "</tbody></table>"
    )


def headline_rows(baseline: Mapping[str, float], scenario: Mapping[str, float]) -> list[Row]:
    """Rows of :data:`model.outcomes.HEADLINE_TABLE` present in ``scenario``, labelled from the registry.

    Parameters
    ----------
    baseline, scenario : mapping
        Outputs of :meth:`model.results.Results.headline` (or a subset of their keys) for the same year.

    Returns
    -------
    list of (key, label, baseline, scenario, formatter, difference)
    """
    rows: list[Row] = []
    for key, name in HEADLINE_TABLE.items():
        if key in scenario:
            quantity = HEADLINES[name]
            unit = quantity.unit
            rows.append(
                (
                    key,
                    quantity.label,
                    baseline[key],
                    scenario[key],
                    lambda v, u=unit: format_quantity(v, u),
                    lambda v, u=unit: format_quantity(v, u, difference=True),
                )
            )
    return rows


def headline_table(baseline: Mapping[str, float], scenario: Mapping[str, float], year: int) -> str:
    """The headline table: :func:`comparison_table` of :func:`headline_rows`.

    Parameters
    ----------
    baseline, scenario : mapping
        Outputs of :meth:`model.results.Results.headline` for the same year.
    year : int
        Shown in the header.

    Returns
    -------
    str
    """
    return comparison_table(headline_rows(baseline, scenario), year, "headline")


def shown_values(readout: str) -> dict[str, float]:
    """Read the scenario numbers back out of a :func:`comparison_table` (for tests and exercises)."""
    return {key: float(value) for key, value in re.findall(r"data-key='([^']+)' data-value='([^']+)'", readout)}


def solution_html(body: str, summary: str = "Show the solution") -> str:
    """Wrap a worked solution in a collapsed ``<details>`` block: the one way solutions are hidden.

    Parameters
    ----------
    body : str
        HTML of the solution (computed from the model when the notebook runs).
    summary : str
        Text of the toggle.

    Returns
    -------
    str
    """
    toggle = f"<summary><b>{html.escape(summary)}</b></summary>"
    body = f"<div style='margin:6px 0 0 12px'>{body}</div>"
    return f"<details class='{NO_MATH}'>{toggle}{body}</details>"


def solution(body: str, summary: str = "Show the solution") -> Any:
    """Display a worked solution, hidden until the reader opens it (see :func:`solution_html`).

    Parameters
    ----------
    body : str
        HTML of the solution.
    summary : str
        Text of the toggle.

    Returns
    -------
    IPython.display.HTML
        Displayed as a cell's last value.
    """
    from IPython.display import HTML

    return HTML(solution_html(body, summary))


__all__ = [
    "NO_MATH",
    "citations_html",
    "comparison_table",
    "headline_rows",
    "headline_table",
    "linked",
    "shown_values",
    "solution",
    "solution_html",
    "sources_for",
]
