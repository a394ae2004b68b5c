"""The worked solutions of the problem sets in 06 (exercises) and 07 (uncertainty).

Each question has three functions: ``…_answer`` asks the model and returns the numbers (the answer key
and the tests read them), ``…_html`` writes them with the reasoning, and the bare name shows that text
hidden in a collapsed block (:func:`dprk_teaching.tables.solution`): one call per notebook cell.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dprk_teaching.tables import comparison_table, solution
from model import registry
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
#: The channels whose cash Russia pays for the war: munitions and missiles, and troops.
WAR_CHANNELS = ("arms", "troops")


def projection_totals(results: Any) -> dict[str, np.ndarray]:
    """Hard currency via Russia summed over the projection years, per draw (USD over the whole span).

    The quantity of question 4 of notebook 06, and of the workbench's totals readout.

    Returns
    -------
    dict of str to numpy.ndarray
        ``hard_currency_russia_projection_usd`` (every channel) and ``war_cash_russia_projection_usd``
        (arms and troops only), each of shape ``(draws,)``.
    """
    projection = results.years >= FIRST_PROJECTION_YEAR
    russia = PARTNERS.index("russia")
    # Two steps: a mask and an index split by a slice would move the selected axes to the front.
    through_russia = results.hard_currency_usd[:, projection][..., russia]  # (draw, year, channel)
    war = [HARD_CURRENCY_CHANNELS.index(c) for c in WAR_CHANNELS]
    return {
        "hard_currency_russia_projection_usd": through_russia.sum(axis=(1, 2)),
        "war_cash_russia_projection_usd": through_russia[:, :, war].sum(axis=(1, 2)),
    }


PROJECTION_LABELS = {
    "hard_currency_russia_projection_usd": "Hard currency via Russia, all channels",
    "war_cash_russia_projection_usd": "of which cash for arms and troops",
}


def projection_table(baseline: Any, scenario: Any) -> str:
    """The workbench's second table: :func:`projection_totals` of baseline and scenario (HTML)."""
    base, value = projection_totals(baseline), projection_totals(scenario)
    rows = [
        (key, label, float(base[key][0]), float(value[key][0]), format_usd) for key, label in PROJECTION_LABELS.items()
    ]
    return comparison_table(rows, f"Sum {span(FIRST_PROJECTION_YEAR)}", "projection-totals")


def china_makes_up_answer() -> list[dict[str, Any]]:
    """Question 1 as data: per cyber setting, the peak-pressure level and the first China level that reaches it.

    Returns
    -------
    list of dict
        ``include_cyber``, ``target`` (USD/yr, the baseline's level in the peak-pressure year),
        ``level`` (the first slider position of all four China levers that holds earnings in the focus
        year at or below the target, or ``None``), ``at_zero`` and ``at_full`` (USD/yr in the focus year).
    """
    baseline = simulate(load_preset(BASELINE).params)
    t_peak = baseline.year_index(PRESSURE_PEAK_YEAR)
    level = float(baseline.hard_currency_total_usd[0, t_peak])
    cyber = float(baseline.hard_currency_usd[0, t_peak, HARD_CURRENCY_CHANNELS.index("cyber")].sum())
    levels = registry.get("china_smuggling_enforcement").positions()
    defects = load_preset("russia-defects").params
    answers = []
    for include_cyber in (True, False):
        overrides = dict.fromkeys(CHINA_LEVERS, levels) | {"include_cyber": include_cyber}
        earnings = _hard_currency(simulate(Params.from_overrides(overrides, base=defects)))
        target = level if include_cyber else level - cyber
        hits = np.flatnonzero(earnings <= target)
        answers.append(
            {
                "include_cyber": include_cyber,
                "target": target,
                "level": float(levels[hits[0]]) if hits.size else None,
                "at_zero": float(earnings[0]),
                "at_full": float(earnings[-1]),
            }
        )
    return answers


def china_makes_up_html() -> str:
    """Question 1: how strictly must China enforce, Russia defecting, to hold earnings at the peak-pressure level."""
    parts = []
    for answer in china_makes_up_answer():
        label = "with cyber theft" if answer["include_cyber"] else "without cyber theft"
        text = (
            f"China must enforce at {answer['level']:.2f} on all four levers."
            if answer["level"] is not None
            else f"not reachable: even full enforcement leaves {format_usd(answer['at_full'])} "
            f"(at zero enforcement {format_usd(answer['at_zero'])})."
        )
        parts.append(f"<li>{label}: {PRESSURE_PEAK_YEAR} level {format_usd(answer['target'])}; {text}</li>")
    return (
        "<ul>" + "".join(parts) + "</ul>Russia's cash for arms and troops and the cyber haul lie outside "
        "China's reach: China's enforcement can remove only what passes through China, and part of that is "
        "re-routed through Russia."
    )


def china_makes_up() -> Any:
    """Question 1, hidden until opened."""
    return solution(china_makes_up_html(), "Solution 1")


def single_lever_answer() -> tuple[float, list[tuple[str, float]]]:
    """Question 2 as data: the baseline's hard currency in the focus year and each lever's cut, largest first."""
    base_value = float(_hard_currency(simulate(load_preset(BASELINE).params))[0])
    cuts = {
        name: base_value - float(_hard_currency(simulate(Params.from_overrides({name: value})))[0])
        for name, value in STRICT.items()
    }
    return base_value, sorted(cuts.items(), key=lambda item: -item[1])


def single_lever_html() -> str:
    """Question 2: which lever alone, at its strictest, cuts hard currency in the focus year the most."""
    base_value, ranked = single_lever_answer()
    rows = "".join(f"<tr><td>{registry.get(name).title}</td><td>{format_usd(cut)}</td></tr>" for name, cut in ranked)
    return (
        f"Baseline hard currency in {FOCUS_YEAR}: {format_usd(base_value)}. Cut from each lever alone:"
        f"<table>{rows}</table>The largest single cut comes from <b>{registry.get(ranked[0][0]).title}</b>."
    )


def single_lever() -> Any:
    """Question 2, hidden until opened."""
    return solution(single_lever_html(), "Solution 2")


def who_is_the_lifeline_answer() -> dict[str, float]:
    """Question 3 as data: the baseline's headline numbers in the last year of history."""
    return simulate(load_preset(BASELINE).params).headline(LAST_HISTORY_YEAR)


def who_is_the_lifeline_html() -> str:
    """Question 3: shares and leverage in the last year of history."""
    h = who_is_the_lifeline_answer()
    return (
        f"In {LAST_HISTORY_YEAR} China's share of recorded trade is {h['recorded_trade_share_china']:.0%}, but its "
        f"share of all flows is {h['lifeline_share_china']:.0%}, against {h['lifeline_share_russia']:.0%} for "
        f"Russia. Leverage: China {format_usd(h['leverage_china_usd'])}, Russia "
        f"{format_usd(h['leverage_russia_usd'])} a year. Recorded trade hides Russia's arms-for-oil "
        "barter and cash, so it overstates China's weight."
    )


def who_is_the_lifeline() -> Any:
    """Question 3, hidden until opened."""
    return solution(who_is_the_lifeline_html(), "Solution 3")


def year_of_war_answer() -> dict[str, np.ndarray]:
    """Question 4 as data: :func:`projection_totals` for every ceasefire year of the slider (``years`` too)."""
    years = registry.get("ceasefire_year").positions().astype(int)
    return {"years": years, **projection_totals(simulate(Params.from_overrides({"ceasefire_year": years})))}


def year_of_war_html() -> str:
    """Question 4: hard currency via Russia over the projection, for each ceasefire year."""
    answer = year_of_war_answer()
    total, war = answer["hard_currency_russia_projection_usd"], answer["war_cash_russia_projection_usd"]
    rows = "".join(
        f"<tr><td>{year}</td><td>{format_usd(a)}</td><td>{format_usd(b)}</td></tr>"
        for year, a, b in zip(answer["years"], total, war, strict=True)
    )
    return (
        f"Hard currency via Russia summed over {span(FIRST_PROJECTION_YEAR)} (all channels; of which cash for "
        f"arms and troops), by ceasefire year:<table>{rows}</table>Each year of delay adds about "
        f"{format_usd(float(np.median(np.diff(total))))} in all, of which "
        f"{format_usd(float(np.median(np.diff(war))))} is cash for arms and troops."
    )


def year_of_war() -> Any:
    """Question 4, hidden until opened."""
    return solution(year_of_war_html(), "Solution 4")


def monitoring_answer() -> dict[str, dict[str, float]]:
    """Question 5 as data: hard currency in the focus year per monitoring regime, for baseline and crackdown."""
    regimes = list(registry.get("monitoring_regime").choices)
    answer = {}
    for preset in (BASELINE, "china-crackdown"):
        base = load_preset(preset).params
        values = _hard_currency(simulate(Params.from_overrides({"monitoring_regime": regimes}, base=base)))
        answer[preset] = {r: float(v) for r, v in zip(regimes, values, strict=True)}
    return answer


def monitoring_html() -> str:
    """Question 5: the spread between monitoring regimes, at baseline enforcement and under a crackdown."""
    lines, spreads = [], {}
    for preset, values in monitoring_answer().items():
        spread = spreads[preset] = max(values.values()) - min(values.values())
        cells = ", ".join(f"{r}: {format_usd(v)}" for r, v in values.items())
        lines.append(f"<li><b>{preset}</b>: {cells} (spread {format_usd(spread)})</li>")
    return (
        "<ul>" + "".join(lines) + "</ul>Monitoring multiplies enforcement: detection only stops a flow where "
        "a partner acts on it, so the regimes differ "
        + ("more" if spreads["china-crackdown"] > spreads[BASELINE] else "less")
        + " when China enforces strictly."
    )


def monitoring() -> Any:
    """Question 5, hidden until opened."""
    return solution(monitoring_html(), "Solution 5")


# ---------------------------------------------------------------------------------------------- 07
#: Notebook 07's worlds: its seed and number of draws (the notebook and the answer key use these).
UNCERTAINTY_SEED = 20240328
UNCERTAINTY_DRAWS = 5_000
#: Question 4's bad outcome: Russia's share of all flows above this fraction in the focus year.
RUSSIA_MAJORITY = 0.5


def sensitivity_indices(seed: int, key: str = "hard_currency_russia", year: int = FOCUS_YEAR) -> Any:
    """Sobol' indices of one headline in one year (notebook 07's Figure 2, and the answer key's numbers).

    Returns
    -------
    model.uncertainty.SobolIndices
    """
    from model import uncertainty as u

    return u.sobol("baseline", key, year, np.random.default_rng(seed), n_base=1024)


def arms_assumptions() -> list[str]:
    """The uncertainties of the arms group (containers, rounds, prices, missiles, troops, pay)."""
    return [n for n in registry.names("uncertainty") if registry.get(n).group == "arms"]


def band_width(ensemble: Any, key: str, year: int, width: float = 0.9) -> float:
    """Width of the central band holding ``width`` of the worlds, in the quantity's unit."""
    from model import uncertainty as u

    low, high = u.fan(ensemble, key).band(width)
    t = ensemble.year_index(year)
    return float(high[t] - low[t])


def uncertainty_answer(number: int, baseline: Any, indices: Any = None) -> dict[str, Any]:
    """Question ``number`` (1-4) of notebook 07 as data, on the notebook's baseline ensemble.

    Parameters
    ----------
    number : int
        Which question.
    baseline : model.uncertainty.Ensemble
        The baseline's worlds.
    indices : model.uncertainty.SobolIndices, optional
        Needed for question 3.

    Returns
    -------
    dict
        1: ``baseline`` and ``max-pressure``, the shares of worlds in which Russia supplies more hard
        currency than China in the near year. 2: ``arms`` (names), ``all uncertain`` and ``arms fixed``,
        widths of the 90% band (USD/yr). 3: ``name``, ``first``, ``total``, ``total_conf`` of the input
        with the largest gap. 4: ``discovery`` (a :class:`model.uncertainty.Discovery`).
    """
    from model import uncertainty as u

    if number == 1:
        return {
            label: u.probability_greater(ensemble, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
            for label, ensemble in (("baseline", baseline), ("max-pressure", baseline.with_levers("max-pressure")))
        }
    if number == 2:
        arms = arms_assumptions()
        return {
            "arms": arms,
            "all uncertain": band_width(baseline, "hard_currency_russia", FOCUS_YEAR),
            "arms fixed": band_width(baseline.with_levers(None, fixed=arms), "hard_currency_russia", FOCUS_YEAR),
        }
    if number == 3:
        if indices is None:
            raise ValueError("solution 3 of notebook 07 needs the Sobol' indices (indices=...)")
        first, total, _clipped = possible_indices(indices)
        k = int(np.argmax(total - first))
        return {
            "name": indices.names[k],
            "first": float(first[k]),
            "total": float(total[k]),
            "total_conf": float(indices.total_conf[k]),
        }
    if number == 4:
        return {"discovery": u.discover(baseline, "lifeline_share_russia", FOCUS_YEAR, RUSSIA_MAJORITY)}
    raise ValueError(f"notebook 07 has solutions 1-4, not {number}")


def possible_indices(indices: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sobol' estimates clipped to what the true indices can be: ``0 <= first <= total <= 1``.

    At a small number of base samples an estimate can fall outside (a negative index, first order above
    total): that is sampling error. Returns the clipped first-order and total indices and, per input,
    whether anything was clipped.
    """
    total = np.clip(np.asarray(indices.total, dtype=float), 0.0, 1.0)
    first = np.minimum(np.clip(np.asarray(indices.first, dtype=float), 0.0, 1.0), total)
    clipped = (first != np.asarray(indices.first)) | (total != np.asarray(indices.total))
    return first, total, clipped


def uncertainty_html(number: int, baseline: Any, indices: Any = None) -> str:
    """Worked solution ``number`` (1-4) of notebook 07 as HTML (see :func:`uncertainty_answer`)."""
    from model import uncertainty as u

    answer = uncertainty_answer(number, baseline, indices)
    year = FOCUS_YEAR
    if number == 1:
        pressure = baseline.with_levers("max-pressure")
        held_mix = baseline.with_levers(
            None, fixed=[u.PAYMENT_MIX], keep=["hard_currency_russia", "hard_currency_china"]
        )
        mix = "held at the default weights" if u.PAYMENT_MIX in baseline.fixed else "sampled in every world"
        fixed_share = u.probability_greater(held_mix, "hard_currency_russia", "hard_currency_china", NEAR_YEAR)
        return (
            f"With Russia's payment mix (cash, food, technology) {mix}, as nothing measures it: "
            f"{u.statement_greater(baseline, 'hard_currency_russia', 'hard_currency_china', NEAR_YEAR)} "
            f"Under maximum pressure: "
            f"{u.statement_greater(pressure, 'hard_currency_russia', 'hard_currency_china', NEAR_YEAR)} "
            "Because both runs use the same worlds, the change is the policy's effect, not sampling noise. "
            "Held at the default mix (the *Payment mix* control in *Try it*): "
            f"{u.statement_greater(held_mix, 'hard_currency_russia', 'hard_currency_china', NEAR_YEAR)}"
            + (
                " Much of the answer rests on the unmeasured mix."
                if abs(fixed_share - answer["baseline"]) > 0.1
                else " The mix changes the answer little."
            )
        )
    if number == 2:
        arms, wide, narrow = answer["arms"], answer["all uncertain"], answer["arms fixed"]
        return (
            f"Holding the {len(arms)} arms assumptions ({', '.join(arms)}) at their central values changes the "
            f"90% band of hard currency via Russia in {year} from {format_quantity(wide, 'USD/yr')} to "
            f"{format_quantity(narrow, 'USD/yr')} ({1 - narrow / wide:.0%} narrower). That share of the band is "
            "what better evidence on the arms trade alone could remove."
        )
    if number == 3:
        text = (
            f"For hard currency via Russia in {year} the largest gap is for "
            f"<b>{registry.factor_title(answer['name'])}</b>: total index {answer['total']:.2f}, first-order "
            f"{answer['first']:.2f}. "
        )
        if answer["total"] - answer["first"] > 2 * answer["total_conf"]:
            return text + (
                "Its effect depends on other inputs (revenue is a product: containers × rounds × price), so moving "
                "it alone from the central values shows only part of what it does across all worlds."
            )
        return text + (
            "The gap is within the confidence interval: for this outcome the interactions are small, and the "
            "tornado's ranking is a fair guide. Try Russia's share of all flows, a ratio, where interactions "
            "are more likely."
        )
    return (
        "<pre style='white-space:pre-wrap'>"
        + answer["discovery"].describe()
        + "</pre>Every input PRIM can name is an uncertain fact, not a policy choice: the levers are held at the "
        "baseline. Better evidence on the named facts would show which side of the box the world is on."
    )


def uncertainty(number: int, baseline: Any, indices: Any = None) -> Any:
    """Worked solution ``number`` (1-4) of notebook 07, hidden until opened (see :func:`uncertainty_html`)."""
    return solution(uncertainty_html(number, baseline, indices), f"Solution {number}")


__all__ = [
    "STRICT",
    "UNCERTAINTY_DRAWS",
    "UNCERTAINTY_SEED",
    "arms_assumptions",
    "band_width",
    "china_makes_up",
    "china_makes_up_answer",
    "monitoring",
    "monitoring_answer",
    "projection_table",
    "projection_totals",
    "sensitivity_indices",
    "single_lever",
    "single_lever_answer",
    "uncertainty",
    "uncertainty_answer",
    "who_is_the_lifeline",
    "who_is_the_lifeline_answer",
    "year_of_war",
    "year_of_war_answer",
]
