"""Observed figures shipped with the package (``data/observations.csv``), every row with its source.

Different statistical bases (KOTRA, KITA, GACC, ITC, BOK, ...) are kept apart: select one with
``basis`` when a figure needs a single consistent series.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np


@dataclass(frozen=True)
class Observation:
    """One observed figure, in the base unit named by ``unit`` (USD, bbl, persons, fraction, ...)."""

    year: int
    measure: str
    channel: str
    partner: str
    flow: str
    unit: str
    value: float
    low: float | None
    high: float | None
    basis: str
    derived: bool
    source_title: str
    publisher: str
    source_date: str
    url: str
    note: str

    def citation(self) -> str:
        """Title, publisher, date and address of the observation's source."""
        return f"{self.source_title}, {self.publisher}, {self.source_date}, {self.url}"


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


@cache
def observations() -> tuple[Observation, ...]:
    """All rows of the observations file."""
    text = resources.files("model").joinpath("data/observations.csv").read_text(encoding="utf-8")
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        rows.append(
            Observation(
                year=int(row["year"]),
                measure=row["measure"],
                channel=row["channel"],
                partner=row["partner"],
                flow=row["flow"],
                unit=row["unit"],
                value=float(row["value"]),
                low=_number(row["low"]),
                high=_number(row["high"]),
                basis=row["basis"],
                derived=row["derived"].strip().lower() == "yes",
                source_title=row["source_title"],
                publisher=row["publisher"],
                source_date=row["source_date"],
                url=row["url"],
                note=row["note"],
            )
        )
    return tuple(rows)


def select(
    measure: str,
    partner: str | None = None,
    flow: str | None = None,
    channel: str | None = None,
    basis: str | tuple[str, ...] | None = None,
) -> list[Observation]:
    """Rows matching every given field, sorted by year."""
    bases = (basis,) if isinstance(basis, str) else basis
    return sorted(
        (
            o
            for o in observations()
            if o.measure == measure
            and (partner is None or o.partner == partner)
            and (flow is None or o.flow == flow)
            and (channel is None or o.channel == channel)
            and (bases is None or o.basis in bases)
        ),
        key=lambda o: o.year,
    )


def series(
    measure: str,
    partner: str | None = None,
    flow: str | None = None,
    channel: str | None = None,
    basis: str | tuple[str, ...] | None = None,
) -> tuple[np.ndarray, np.ndarray, list[Observation]]:
    """Years and values of matching rows (for plotting beside the model); years without data are absent."""
    rows = select(measure, partner, flow, channel, basis)
    return np.array([o.year for o in rows]), np.array([o.value for o in rows]), rows
