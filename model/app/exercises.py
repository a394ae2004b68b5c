"""Worked solutions of the problem sets in notebooks 06 (exercises) and 07 (uncertainty).

Each function asks the model the question and returns the answer hidden in a collapsed block
(:func:`model.app.readouts.solution`): one call per notebook cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from model import registry
from model.app.readouts import solution
from model.core import simulate
from model.formatting import format_quantity, format_usd
from model.outcomes import HARD_CURRENCY_CHANNELS, PARTNERS
from model.params import Params
from model.scenarios import BASELINE, load_preset
from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR, LAST_HISTORY_YEAR, NEAR_YEAR, PRESSURE_PEAK_YEAR, span

CHINA_LEVERS = [
    "china_export_ban_enforcement",
    "china_import_ban_enforcement",
    "china_smuggling_enforcement",
    "china_labour_enforcement",
]
#: Each lever at its strictest position (most enforcement, lowest war demand, earliest ceasefire, best monitoring).
STRICT = {
    **dict.fromkeys(CHINA_LEVERS, 1.0),
    "china_pipeline_cut": 1.0,
    "russia_arms_enforcement": 1.0,
    "russia_oil_cap_enforcement": 1.0,
    "russia_labour_enforcement": 1.0,
    "russia_trade_enforcement": 1.0,
    "maritime_interdiction": 1.0,
    "worker_repatriation": 1.0,
    "monitoring_regime": "panel_of_experts",
    "war_demand_level": 0.0,
    "ceasefire_year": FIRST_PROJECTION_YEAR,
}


def _hard_currency(results: Any, year: int = FOCUS_YEAR) -> np.ndarray:
    """Hard-currency earnings per draw in one year (USD/yr)."""
    return results.hard_currency_total_usd[:, results.year_index(year)]


# ---------------------------------------------------------------------------------------------- 06
def china_makes_up() -> Any:
    """Question 1: how strictly must China enforce, Russia defecting, to hold earnings at the peak-pressure level."""
    baseline = simulate(load_preset(BASELINE).params)
    t_peak = baseline.year_index(PRESSURE_PEAK_YEAR)
    level = float(baseline.hard_currency_total_usd[0, t_peak])
    cyber = float(baseline.hard_currency_usd[0, t_peak, HARD_CURRENCY_CHANNELS.index("cyber")].sum())
    levels = registry.get("china_smuggling_enforcement").positions()
    defects = load_preset("russia-defects").params
    parts = []
    for include_cyber in (True, False):
        overrides = dict.fromkeys(CHINA_LEVERS, levels) | {"include_cyber": include_cyber}
        earnings = _hard_currency(simulate(Params.from_overrides(overrides, base=defects)))
        target = level if include_cyber else level - cyber
        hits = np.flatnonzero(earnings <= target)
        label = "with cyber theft" if include_cyber else "without cyber theft"
        answer = (
            f"China must enforce at {float(levels[hits[0]]):.2f} on all four levers."
            if hits.size
            else f"not reachable: even full enforcement leaves {format_usd(earnings[-1])} "
            f"(at zero enforcement {format_usd(earnings[0])})."
        )
        parts.append(f"<li>{label}: {PRESSURE_PEAK_YEAR} level {format_usd(target)}; {answer}</li>")
    return solution(
        "<ul>" + "".join(parts) + "</ul>Russia's cash for arms and troops and the cyber haul lie outside "
        "China's reach: China's enforcement can remove only what passes through China, and part of that is "
        "re-routed through Russia.",
        "Solution 1",
    )


def single_lever() -> Any:
    """Question 2: which lever alone, at its strictest, cuts hard currency in the focus year the most."""
    base_value = float(_hard_currency(simulate(load_preset(BASELINE).params))[0])
    cuts = {
        name: base_value - float(_hard_currency(simulate(Params.from_overrides({name: value})))[0])
        for name, value in STRICT.items()
    }
    ranked = sorted(cuts.items(), key=lambda item: -item[1])
    rows = "".join(f"<tr><td>{registry.get(name).title}</td><td>{format_usd(cut)}</td></tr>" for name, cut in ranked)
    return solution(
        f"Baseline hard currency in {FOCUS_YEAR}: {format_usd(base_value)}. Cut from each lever alone:"
        f"<table>{rows}</table>The largest single cut comes from <b>{registry.get(ranked[0][0]).title}</b>.",
        "Solution 2",
    )


def who_is_the_lifeline() -> Any:
    """Question 3: shares and leverage in the last year of history."""
    h = simulate(load_preset(BASELINE).params).headline(LAST_HISTORY_YEAR)
    return solution(
        f"In {LAST_HISTORY_YEAR} China's share of recorded trade is {h['recorded_trade_share_china']:.0%}, but its "
        f"share of all flows is {h['lifeline_share_china']:.0%}, against {h['lifeline_share_russia']:.0%} for "
        f"Russia. Leverage: China {format_usd(h['leverage_china_usd'])}, Russia "
        f"{format_usd(h['leverage_russia_usd'])} a year. Recorded trade hides Russia's arms-for-oil "
        "barter and cash, so it overstates China's weight.",
        "Solution 3",
    )


def year_of_war() -> Any:
    """Question 4: cash from arms and troops through Russia over the projection, for each ceasefire year."""
    years_of_peace = registry.get("ceasefire_year").positions().astype(int)
    batch = simulate(Params.from_overrides({"ceasefire_year": years_of_peace}))
    projection = batch.years >= FIRST_PROJECTION_YEAR
    arms = [HARD_CURRENCY_CHANNELS.index("arms"), HARD_CURRENCY_CHANNELS.index("troops")]
    russia = PARTNERS.index("russia")
    through_russia = batch.hard_currency_usd[:, projection][:, :, arms, russia].sum(axis=(1, 2))
    rows = "".join(
        f"<tr><td>{year}</td><td>{format_usd(total)}</td></tr>"
        for year, total in zip(years_of_peace, through_russia, strict=True)
    )
    return solution(
        f"Cash from arms and troops through Russia, summed over {span(FIRST_PROJECTION_YEAR)}:<table>{rows}</table>"
        f"Each year of delay adds about {format_usd(float(np.median(np.diff(through_russia))))}.",
        "Solution 4",
    )


def monitoring() -> Any:
    """Question 5: the spread between monitoring regimes, at baseline enforcement and under a crackdown."""
    regimes = list(registry.get("monitoring_regime").choices)
    lines, spreads = [], {}
    for preset in (BASELINE, "china-crackdown"):
        base = load_preset(preset).params
        values = _hard_currency(simulate(Params.from_overrides({"monitoring_regime": regimes}, base=base)))
        spread = spreads[preset] = values.max() - values.min()
        cells = ", ".join(f"{r}: {format_usd(v)}" for r, v in zip(regimes, values, strict=True))
        lines.append(f"<li><b>{preset}</b>: {cells} (spread {format_usd(spread)})</li>")
    return solution(
        "<ul>" + "".join(lines) + "</ul>Monitoring multiplies enforcement: detection only stops a flow where "
        "a partner acts on it, so the regimes differ "
        + ("more" if spreads["china-crackdown"] > spreads[BASELINE] else "less")
        + " when China enforces strictly.",
        "Solution 5",
    )


# ---------------------------------------------------------------------------------------------- 07
def uncertainty(number: int, baseline: Any, indices: Any = None) -> Any:
    """Worked solution ``number`` (1-4) of notebook 07, on the notebook's baseline ensemble.

    Parameters
    ----------
    number : int
        Which solution.
    baseline : model.uncertainty.Ensemble
        The baseline's worlds.
    indices : model.uncertainty.SobolIndices, optional
        Needed for solution 3.
    """
    from model import uncertainty as u

    year = FOCUS_YEAR
    if number == 1:
        pressure = baseline.with_levers("max-pressure")
        text = (
            f"{u.statement_greater(baseline, 'hard_currency_russia', 'hard_currency_china', NEAR_YEAR)} "
            f"Under maximum pressure: "
            f"{u.statement_greater(pressure, 'hard_currency_russia', 'hard_currency_china', NEAR_YEAR)} "
            "Because both runs use the same worlds, the change is the policy's effect, not sampling noise."
        )
    elif number == 2:
        arms = [n for n in registry.names("uncertainty") if registry.get(n).group == "arms"]
        widths = {}
        for label, ensemble in (("all uncertain", baseline), ("arms fixed", baseline.with_levers(None, fixed=arms))):
            low, high = u.fan(ensemble, "hard_currency_russia").band(0.9)
            t = ensemble.year_index(year)
            widths[label] = float(high[t] - low[t])
        text = (
            f"Holding the {len(arms)} arms assumptions ({', '.join(arms)}) at their central values changes the "
            f"90% band of hard currency via Russia in {year} from "
            f"{format_quantity(widths['all uncertain'], 'USD/yr')} to "
            f"{format_quantity(widths['arms fixed'], 'USD/yr')} "
            f"({1 - widths['arms fixed'] / widths['all uncertain']:.0%} narrower). That share of the band is what "
            "better evidence on the arms trade alone could remove."
        )
    elif number == 3:
        gap = indices.total - indices.first
        k = int(np.argmax(gap))
        text = (
            f"For hard currency via Russia in {year} the largest gap is for "
            f"<b>{registry.get(indices.names[k]).title}</b>: total index {indices.total[k]:.2f}, first-order "
            f"{indices.first[k]:.2f}. "
        )
        if gap[k] > 2 * indices.total_conf[k]:
            text += (
                "Its effect depends on other inputs (revenue is a product: containers × rounds × price), so moving "
                "it alone from the central values shows only part of what it does across all worlds."
            )
        else:
            text += (
                "The gap is within the confidence interval: for this outcome the interactions are small, and the "
                "tornado's ranking is a fair guide. Try Russia's share of all flows, a ratio, where interactions "
                "are more likely."
            )
    elif number == 4:
        share = u.discover(baseline, "lifeline_share_russia", year, 0.5)
        text = (
            "<pre style='white-space:pre-wrap'>"
            + share.describe()
            + "</pre>Every input PRIM can name is an uncertain fact, not a policy choice: the levers are held at the "
            "baseline. Better evidence on the named facts would show which side of the box the world is on."
        )
    else:
        raise ValueError(f"notebook 07 has solutions 1-4, not {number}")
    return solution(text, f"Solution {number}")


__all__ = [
    "STRICT",
    "china_makes_up",
    "monitoring",
    "single_lever",
    "uncertainty",
    "who_is_the_lifeline",
    "year_of_war",
]
