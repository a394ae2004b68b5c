"""Scenario discovery: which combinations of assumptions lead to a chosen bad outcome.

PRIM (the Patient Rule Induction Method, Friedman and Fisher 1999) peels thin slices off a box in the
space of the uncertainties, each time the slice whose removal most raises the share of bad worlds left
inside. The result is a rule a seminar can read: "if the oil need is at least 7.8 m bbl/yr and Russia
pays more than $700 per round, the cap leaks more than tenfold in 85% of worlds".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from model import registry
from model.formatting import format_quantity
from model.uncertainty.ensemble import Ensemble
from model.uncertainty.quantities import Quantity, headline


@dataclass(frozen=True)
class Box:
    """A box in the space of the uncertainties and how well it captures the bad worlds.

    Attributes
    ----------
    limits : dict of str to (float, float)
        Restricted inputs only: name -> (lowest, highest) value inside, in the parameter's unit.
        ``-inf`` / ``inf`` mark a side left open.
    density : float
        Share of the worlds inside the box that are bad (the rule's precision).
    coverage : float
        Share of all bad worlds that lie inside the box (the rule's recall).
    support : float
        Share of all worlds that lie inside the box.
    """

    limits: dict[str, tuple[float, float]]
    density: float
    coverage: float
    support: float

    def contains(self, x: np.ndarray, names: Sequence[str]) -> np.ndarray:
        """``(N,)`` mask of the rows of ``x`` (columns ``names``) inside the box."""
        inside = np.ones(x.shape[0], dtype=bool)
        for name, (low, high) in self.limits.items():
            column = x[:, list(names).index(name)]
            inside &= (column >= low) & (column <= high)
        return inside

    def rules(self) -> list[str]:
        """One readable condition per restricted input, e.g. ``"Oil need ≥ 7.8 m (bbl/yr)"``."""
        lines = []
        for name, (low, high) in self.limits.items():
            p = registry.get(name)
            unit = f" {p.unit}"
            if np.isfinite(low) and np.isfinite(high):
                lines.append(f"{p.title} between {_nice(low)} and {_nice(high)}{unit}")
            elif np.isfinite(low):
                lines.append(f"{p.title} ≥ {_nice(low)}{unit}")
            else:
                lines.append(f"{p.title} ≤ {_nice(high)}{unit}")
        return lines


def _nice(value: float) -> str:
    """Three significant digits with thousands separators: 7,834,512 -> 7,830,000."""
    if value == 0:
        return "0"
    digits = 3 - int(np.floor(np.log10(abs(value)))) - 1
    return registry.format_value(round(value, digits))


@dataclass(frozen=True)
class Discovery:
    """The result of PRIM: the peeling trajectory and the box chosen from it.

    Attributes
    ----------
    names : tuple of str
        Inputs (columns of the data).
    base_rate : float
        Share of all worlds that are bad.
    trajectory : tuple of Box
        Every box from the whole space to the smallest, as peeled.
    box : Box
        The chosen box, with restrictions that hardly matter removed.
    outcome : str
        The bad outcome in words (for :meth:`describe`).
    """

    names: tuple[str, ...]
    base_rate: float
    trajectory: tuple[Box, ...]
    box: Box
    outcome: str = "the outcome"

    def describe(self) -> str:
        """A paragraph a seminar can read."""
        box = self.box
        if not box.limits:
            return (
                f"{self.outcome[0].upper()}{self.outcome[1:]} happens in {self.base_rate:.0%} of worlds, and no simple "
                "combination of assumptions singles those worlds out."
            )
        conditions = "\n".join(f"  - {rule}" for rule in box.rules())
        return (
            f"{self.outcome[0].upper()}{self.outcome[1:]} happens in {self.base_rate:.0%} of all worlds.\n"
            f"It happens in {box.density:.0%} of the worlds where all of these hold:\n{conditions}\n"
            f"These worlds hold {box.coverage:.0%} of all cases of the outcome and are "
            f"{box.support:.0%} of all worlds."
        )


def prim(
    x: np.ndarray,
    bad: np.ndarray,
    names: Sequence[str],
    alpha: float = 0.05,
    min_support: float = 0.05,
    min_density: float = 0.8,
    tolerance: float = 0.02,
    outcome: str = "the outcome",
) -> Discovery:
    """Find a box of inputs where a bad outcome is concentrated (PRIM peeling, then simplification).

    Parameters
    ----------
    x : numpy.ndarray
        ``(N, K)`` inputs, one row per world.
    bad : numpy.ndarray
        ``(N,)`` bool: whether the outcome is bad in that world.
    names : sequence of str
        The K input names (registry names, for the rule text).
    alpha : float
        Share of the box's worlds peeled off per step.
    min_support : float
        Peeling stops before the box holds fewer than this share of all worlds.
    min_density : float
        The chosen box is the one with the largest coverage among those at least this dense; if none is,
        the densest.
    tolerance : float
        A restriction is dropped if the density falls by less than this without it (fewer, clearer rules).
    outcome : str
        The bad outcome in words.

    Returns
    -------
    Discovery
    """
    x = np.asarray(x, dtype=float)
    bad = np.asarray(bad, dtype=bool)
    if x.ndim != 2 or x.shape != (bad.size, len(names)):
        raise ValueError(f"x has shape {x.shape}; expected ({bad.size}, {len(names)})")
    if not 0 < alpha < 0.5:
        raise ValueError(f"alpha = {alpha} must lie between 0 and 0.5")
    n, k = x.shape
    total_bad = max(int(bad.sum()), 1)
    y = bad.astype(float)
    low, high = np.full(k, -np.inf), np.full(k, np.inf)
    inside = np.ones(n, dtype=bool)

    def summary(mask: np.ndarray, lows: np.ndarray, highs: np.ndarray) -> Box:
        count = int(mask.sum())
        limits = {
            names[j]: (float(lows[j]), float(highs[j])) for j in range(k) if lows[j] > -np.inf or highs[j] < np.inf
        }
        density = float(y[mask].mean()) if count else 0.0
        return Box(limits, density, float(bad[mask].sum()) / total_bad, count / n)

    trajectory = [summary(inside, low, high)]
    while inside.sum() * (1 - alpha) >= min_support * n and trajectory[-1].density < 1.0:
        xb, yb = x[inside], y[inside]
        cut_low, cut_high = np.quantile(xb, [alpha, 1 - alpha], axis=0)
        keep = np.concatenate([xb >= cut_low, xb <= cut_high], axis=1)  # (n_in, 2K) candidate peels
        kept = keep.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            density = (keep * yb[:, None]).sum(axis=0) / kept
        useful = (kept < xb.shape[0]) & (kept > 0)  # a peel that removes nothing (ties) is no peel
        if not useful.any():
            break
        density = np.where(useful, density, -1.0)
        best = int(np.lexsort((-kept, -density))[0])  # densest; among equals the one that keeps more
        column = best % k
        if best < k:
            low[column] = cut_low[column]
            inside &= x[:, column] >= cut_low[column]
        else:
            high[column] = cut_high[column]
            inside &= x[:, column] <= cut_high[column]
        trajectory.append(summary(inside, low, high))

    dense = [b for b in trajectory if b.density >= min_density]
    chosen = max(dense, key=lambda b: b.coverage) if dense else max(trajectory, key=lambda b: (b.density, b.coverage))
    return Discovery(
        tuple(names), float(bad.mean()), tuple(trajectory), _simplify(chosen, x, bad, names, tolerance), outcome
    )


def _simplify(box: Box, x: np.ndarray, bad: np.ndarray, names: Sequence[str], tolerance: float) -> Box:
    """Drop, one at a time, the restriction whose removal costs least density, while it costs < tolerance."""
    limits = dict(box.limits)
    total_bad = max(int(bad.sum()), 1)

    def measure(current: dict[str, tuple[float, float]]) -> Box:
        mask = Box(current, 0, 0, 0).contains(x, names)
        count = int(mask.sum())
        density = float(bad[mask].mean()) if count else 0.0
        return Box(current, density, float(bad[mask].sum()) / total_bad, count / bad.size)

    best = measure(limits)
    while limits:
        options = [measure({k: v for k, v in limits.items() if k != name}) for name in limits]
        candidate = max(options, key=lambda b: b.density)
        if candidate.density < best.density - tolerance:
            break
        limits, best = dict(candidate.limits), candidate
    # Keep the registry order of the inputs, so the rules read the same every time.
    order = [n for n in names if n in limits]
    return Box({n: limits[n] for n in order}, best.density, best.coverage, best.support)


def discover(
    ensemble: Ensemble,
    quantity: Quantity | str,
    year: int,
    threshold: float,
    above: bool = True,
    **options: float,
) -> Discovery:
    """PRIM on an ensemble: which assumptions make a quantity exceed (or fall below) a threshold in a year.

    Parameters
    ----------
    ensemble : Ensemble
    quantity : Quantity or str
    year : int
    threshold : float
        In the quantity's unit.
    above : bool
        ``True``: "bad" means above the threshold.
    **options
        Passed to :func:`prim` (``alpha``, ``min_support``, ``min_density``, ``tolerance``).

    Returns
    -------
    Discovery
    """
    quantity = headline(quantity)
    values = ensemble.at(quantity, year).astype(np.float64)  # compare as probability() does
    bad = values > threshold if above else values < threshold
    words = f"{quantity.label} {'above' if above else 'below'} {format_quantity(threshold, quantity.unit)} in {year}"
    return prim(ensemble.draws, bad, ensemble.names, outcome=words, **options)
