"""Scenario comparison: presets or saved scenarios side by side, on the same plausible worlds.

Every scenario runs on the same draws of the uncertainties (common random numbers), so a difference
from the baseline is the policy's effect in that world, and "better in 80% of worlds" is a paired
statement, not a comparison of two separate clouds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from model.formatting import format_quantity
from model.scenarios import Scenario, load_preset
from model.uncertainty.ensemble import Ensemble, Fan, Keep, fan, quantiles, release_freed_memory, run_ensemble
from model.uncertainty.quantities import Quantity, headline

#: Outcomes of the default comparison table.
TABLE_QUANTITIES = (
    "hard_currency_total",
    "hard_currency_china",
    "hard_currency_russia",
    "lifeline_share_russia",
    "oil_cap_leakage",
    "leverage_china",
    "leverage_russia",
)


@dataclass(frozen=True)
class Comparison:
    """Ensembles of several scenarios over the same worlds.

    Attributes
    ----------
    names, titles : tuple of str
        Scenario names (file stems or preset names) and titles; the baseline comes first.
    ensembles : tuple of Ensemble
    """

    names: tuple[str, ...]
    titles: tuple[str, ...]
    ensembles: tuple[Ensemble, ...]

    @property
    def baseline(self) -> Ensemble:
        """The ensemble the others are compared with (the first)."""
        return self.ensembles[0]

    def ensemble(self, name: str) -> Ensemble:
        """The ensemble of one scenario, by name."""
        if name not in self.names:
            raise KeyError(f"no scenario {name!r} in this comparison; it has {', '.join(self.names)}")
        return self.ensembles[self.names.index(name)]

    def fans(self, quantity: Quantity | str) -> dict[str, Fan]:
        """A fan per scenario for one quantity (small multiples)."""
        return {name: fan(e, quantity) for name, e in zip(self.names, self.ensembles, strict=True)}

    def table(self, year: int, quantities: Sequence[Quantity | str] = TABLE_QUANTITIES) -> list[dict]:
        """Headline outcomes per scenario with paired differences from the baseline.

        Returns
        -------
        list of dict
            One row per scenario and quantity: ``scenario``, ``title``, ``quantity`` (label), ``unit``,
            ``q05``, ``median``, ``q95`` and, except for the baseline, ``difference`` (median over worlds
            of scenario minus baseline) and ``better`` (share of worlds in which the scenario is better
            for the sanctions' aims than the baseline; ``None`` where no direction is better).
        """
        rows = []
        t = self.baseline.year_index(year)
        for quantity in map(headline, quantities):
            base = self.baseline.values(quantity)[:, t]
            for name, title, ensemble in zip(self.names, self.titles, self.ensembles, strict=True):
                values = ensemble.values(quantity)[:, t]
                q05, median, q95 = quantiles(values, (0.05, 0.5, 0.95))
                row = {
                    "scenario": name,
                    "title": title,
                    "quantity": quantity.label,
                    "unit": quantity.unit,
                    "q05": float(q05),
                    "median": float(median),
                    "q95": float(q95),
                    "difference": None,
                    "better": None,
                }
                if ensemble is not self.baseline:
                    row["difference"] = float(quantiles(values.astype(np.float64) - base, (0.5,))[0])
                    if quantity.better != "neither":
                        improved = values < base if quantity.better == "lower" else values > base
                        row["better"] = float(improved.mean())
                rows.append(row)
        return rows

    def markdown(
        self,
        year: int,
        quantities: Sequence[Quantity | str] = TABLE_QUANTITIES,
        fmt: Callable[..., str] = format_quantity,
    ) -> str:
        """The :meth:`table` as a Markdown table, one row per quantity and scenario.

        ``fmt(value, unit, difference=False)`` formats numbers (default :func:`model.formatting.format_quantity`).
        """
        lines = [
            f"| {year} | scenario | median (90% range) | difference from {self.names[0]} | better in |",
            "|---|---|---|---|---|",
        ]
        for row in self.table(year, quantities):
            unit = row["unit"]
            spread = f"{fmt(row['median'], unit)} ({fmt(row['q05'], unit)} to {fmt(row['q95'], unit)})"
            difference = "" if row["difference"] is None else fmt(row["difference"], unit, difference=True)
            better = "" if row["better"] is None else f"{row['better']:.0%} of worlds"
            lines.append(f"| {row['quantity']} | {row['title']} | {spread} | {difference} | {better} |")
        return "\n".join(lines)


def compare(
    scenarios: Sequence[Scenario | str],
    n_draws: int,
    rng: np.random.Generator,
    baseline: Scenario | str = "baseline",
    fixed: Sequence[str] = (),
    keep: Keep = None,
) -> Comparison:
    """Run several scenarios on the same worlds.

    Parameters
    ----------
    scenarios : sequence of Scenario or str
        Presets (by name), scenario files (by path) or :class:`~model.scenarios.Scenario` objects.
    n_draws : int
    rng : numpy.random.Generator
    baseline : Scenario or str
        Compared with; added first if not already in ``scenarios``.
    fixed : sequence of str
        Uncertainties held at their scenario values.
    keep : "headlines", sequence of str or None
        Keep only these outputs (compact ensembles, see :func:`~model.uncertainty.run_ensemble`).

    Returns
    -------
    Comparison
    """
    loaded = [s if isinstance(s, Scenario) else load_preset(s) for s in scenarios]
    base = baseline if isinstance(baseline, Scenario) else load_preset(baseline)
    loaded = [base] + [s for s in loaded if s.name != base.name]
    first = run_ensemble(base, n_draws, rng, fixed=fixed, keep=keep)
    ensembles = [first] + [first.with_levers(s) for s in loaded[1:]]
    release_freed_memory()
    return Comparison(tuple(s.name for s in loaded), tuple(s.title for s in loaded), tuple(ensembles))
