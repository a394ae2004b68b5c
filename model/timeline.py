"""The one timeline of the suite: the years simulated and where the projection starts.

Every module, plot, app and notebook reads its years from here; no other module writes a year as a
literal. The history runs from :data:`FIRST_YEAR` to the year before :data:`FIRST_PROJECTION_YEAR`
(the registry's constant ``first_projection_year``); levers act from then to :data:`LAST_YEAR`.

Examples
--------
>>> from model import timeline
>>> int(timeline.YEARS[0]) == timeline.FIRST_YEAR and int(timeline.YEARS[-1]) == timeline.LAST_YEAR
True
>>> timeline.LAST_HISTORY_YEAR == timeline.FIRST_PROJECTION_YEAR - 1
True
"""

from __future__ import annotations

import numpy as np

from model import registry

FIRST_YEAR = 2013
LAST_YEAR = 2035
#: Levers apply from this year; earlier years follow the history episodes.
FIRST_PROJECTION_YEAR = int(registry.get("first_projection_year").default)
LAST_HISTORY_YEAR = FIRST_PROJECTION_YEAR - 1
YEARS = np.arange(FIRST_YEAR, LAST_YEAR + 1)
YEARS.setflags(write=False)
#: ``True`` for the history years of :data:`YEARS`.
HISTORY = YEARS < FIRST_PROJECTION_YEAR
HISTORY.setflags(write=False)
#: The year the apps and readouts describe unless told otherwise: five years into the projection.
FOCUS_YEAR = FIRST_PROJECTION_YEAR + 5
#: Dated events drawn on the time axis or asked about in exercises.
#: The UN deadline for sending all workers home (resolution 2397): 22 December 2019, as a decimal year.
REPATRIATION_DEADLINE = 2019 + 356 / 365
#: The last year of "maximum pressure" before the border closure, the reference of exercise questions.
PRESSURE_PEAK_YEAR = 2019
#: The year the side-by-side probability statements compare (two years into the projection).
NEAR_YEAR = FIRST_PROJECTION_YEAR + 2


def tick_years(step: int = 5) -> list[int]:
    """Round years for an x axis: every multiple of ``step`` within the timeline.

    Parameters
    ----------
    step : int
        Years between ticks.

    Returns
    -------
    list of int
    """
    first = -(-FIRST_YEAR // step) * step
    return list(range(first, LAST_YEAR + 1, step))


def projection_years() -> np.ndarray:
    """The projection's years, :data:`FIRST_PROJECTION_YEAR` to :data:`LAST_YEAR`."""
    return YEARS[~HISTORY]


def span(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> str:
    """Years as written in prose and titles, e.g. ``2013–2035``."""
    return f"{first}–{last}"


__all__ = [
    "FIRST_PROJECTION_YEAR",
    "FIRST_YEAR",
    "FOCUS_YEAR",
    "HISTORY",
    "LAST_HISTORY_YEAR",
    "LAST_YEAR",
    "NEAR_YEAR",
    "PRESSURE_PEAK_YEAR",
    "REPATRIATION_DEADLINE",
    "YEARS",
    "projection_years",
    "span",
    "tick_years",
]
