"""How sure is a team's score? Each team's objective scored in many plausible worlds (notebook 07's check).

The role-play scores a round in one world, the registry's central values. :func:`objective_uncertainty`
scores every team's objective for a setting of the levers (such as a game's end state) in ``draws`` worlds
sampled as notebook 07 samples them, each world against the baseline in *the same* world, and reports the
spread: the median, the 5th and 95th percentiles and the share of worlds in which the team scores above 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from dprk_roleplay import game as rules
from dprk_roleplay import teams


def objective_uncertainty(
    levers: Mapping[str, Any],
    years: tuple[int, int],
    team_keys: Sequence[str] | None = None,
    draws: int = 2000,
    seed: int = 20240328,
) -> dict[str, dict[str, float]]:
    """Each team's round score for ``levers`` over ``years`` in ``draws`` plausible worlds.

    Parameters
    ----------
    levers : mapping
        Lever values (user or internal form); levers not named are at the baseline.
    years : (int, int)
        First and last year scored (for a game's end state: the years of its rounds).
    team_keys : sequence of str, optional
        Default: every team.
    draws : int
    seed : int
        The same seed gives the same worlds (and the same baseline worlds).

    Returns
    -------
    dict
        ``{team: {"central": score in the central world, "p05", "median", "p95", "above_zero": share}}``.
    """
    from model.core import simulate
    from model.params import Params
    from model.uncertainty.ensemble import run_ensemble

    keys = list(team_keys or teams())
    base_levers = rules.new_game(keys, 1, 1).settings()
    setting = {**base_levers, **{k: v for k, v in levers.items() if k in base_levers}}
    game_worlds = run_ensemble(dict(setting), draws, np.random.default_rng(seed)).results
    base_worlds = run_ensemble(dict(base_levers), draws, np.random.default_rng(seed)).results
    central = simulate(Params.from_overrides(dict(setting)))
    central_base = simulate(Params.from_overrides(dict(base_levers)))
    found = {}
    for key in keys:
        scores = np.zeros(draws)
        centre = 0.0
        for term in teams()[key].terms:
            value = rules._mean_over(game_worlds, term, years)
            base = rules._mean_over(base_worlds, term, years)
            scores += rules.score_terms(value - base, 0.0, term)
            centre += float(
                rules.score_terms(
                    rules._mean_over(central, term, years) - rules._mean_over(central_base, term, years), 0.0, term
                )[0]
            )
        p05, median, p95 = np.percentile(scores, [5, 50, 95])
        found[key] = {
            "central": centre,
            "p05": float(p05),
            "median": float(median),
            "p95": float(p95),
            "above_zero": float(np.mean(scores > 0.05)),
        }
    return found


def uncertainty_html(found: Mapping[str, Mapping[str, float]], years: tuple[int, int]) -> str:
    """A table of :func:`objective_uncertainty`: one row per team."""
    import html

    rows = "".join(
        f"<tr><td style='text-align:left'>{html.escape(teams()[k].short)}</td><td>{r['central']:+.1f}</td>"
        f"<td>{r['median']:+.1f}</td><td>{r['p05']:+.1f} to {r['p95']:+.1f}</td>"
        f"<td>{r['above_zero']:.0%}</td></tr>"
        for k, r in found.items()
    )
    return (
        f"<table class='roleplay-robustness' style='border-collapse:collapse'><caption style='text-align:left'>"
        f"Each team's round score ({years[0]}–{years[1]}) for these levers in plausible worlds, each against the "
        "baseline in the same world</caption><thead><tr><th style='text-align:left'>Team</th><th>Central</th>"
        "<th>Median</th><th>90% of worlds</th><th>Worlds above 0</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


__all__ = ["objective_uncertainty", "uncertainty_html"]
