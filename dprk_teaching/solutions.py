"""Worked solutions of the exercises in notebooks 00 to 05, computed from the model when shown.

Each function asks the model the exercise's question and returns the answer hidden in a collapsed block
(:func:`dprk_teaching.tables.solution`), so a notebook cell holds one call, e.g. ``solutions.oil(1)``;
``…_html`` gives the same text unhidden (the answer key, ``dprk_teaching.answer_key``, reads it).
The exercise sets of 06 and 07 are in :mod:`dprk_apps.exercises`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dprk_figures import views
from dprk_teaching.tables import solution
from model import registry
from model.core import simulate
from model.formatting import format_bbl, format_count, format_quantity, format_usd
from model.observations import select
from model.outcomes import HEADLINE_TABLE, HEADLINES
from model.params import Params
from model.sampling import sample
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR


def _answer(notebook: str, answers: tuple, number: int) -> str:
    """Worked solution ``number`` of a notebook's answers (one function per exercise), as HTML."""
    if not 1 <= number <= len(answers):
        raise ValueError(f"notebook {notebook} has solutions 1-{len(answers)}, not {number}")
    return answers[number - 1]()


def _oil(overrides: dict | None = None) -> dict[str, float]:
    return views.oil_series(simulate(Params.from_overrides(overrides or {}))).at(FOCUS_YEAR)


def _oil_bill(overrides: dict | None = None) -> float:
    """What North Korea pays for oil in the focus year (USD)."""
    results = simulate(Params.from_overrides(overrides or {}))
    return float(results.oil_purchases_total_usd[0, results.year_index(FOCUS_YEAR)])


def _labour(overrides: dict | None = None) -> dict[str, float]:
    return views.labour_series(simulate(Params.from_overrides(overrides or {}))).at(FOCUS_YEAR)


def _arms(params: Params) -> dict[str, float]:
    return views.arms_series(simulate(params)).at(FOCUS_YEAR)


def _first(levels: np.ndarray, hits: np.ndarray) -> float | None:
    """The first slider position where ``hits`` holds, or ``None``."""
    found = np.flatnonzero(hits)
    return float(levels[found[0]]) if found.size else None


def _sweep(name: str, base: Params | None = None) -> tuple[np.ndarray, Any, Params]:
    """Every slider position of one lever, simulated at once: ``(levels, results, params)``."""
    levels = registry.get(name).positions()
    params = Params.from_overrides({name: levels}, base=base)
    return levels, simulate(params), params


# ---------------------------------------------------------------------------------------------- 00
def start_here() -> Any:
    """Notebook 00's exercise, hidden until opened (see :func:`start_here_html`)."""
    return solution(start_here_html())


def start_here_html() -> str:
    """Russia stops buying arms: how much hard currency through Russia and China changes."""
    year = FOCUS_YEAR
    base = simulate(load_preset(BASELINE).params).headline(year)
    no_arms = simulate(Params.from_overrides({"russia_arms_enforcement": 1.0})).headline(year)
    fall = base["hard_currency_russia_usd"] - no_arms["hard_currency_russia_usd"]
    china_change = no_arms["hard_currency_china_usd"] - base["hard_currency_china_usd"]
    return (
        f"Hard currency through Russia falls by {format_quantity(fall, 'USD/yr')} in {year}; through China it "
        f"changes by {format_quantity(china_change, 'USD/yr', difference=True)}: arms have no other buyer, so "
        "nothing is re-routed. Russia's cash for shells, missiles and troops is most of what it pays."
    )


# ---------------------------------------------------------------------------------------------- 01 lifelines
def _headline(overrides: dict | None = None, preset: str | None = None, year: int = FOCUS_YEAR) -> dict[str, float]:
    params = load_preset(preset).params if preset else Params.from_overrides(overrides or {})
    return simulate(params).headline(year)


def _points(change: float) -> str:
    return format_quantity(change, "fraction", difference=True)


def _moves(before: float, after: float, unit: str) -> str:
    """A change in words: rises by …, falls by … or does not change (shares in percentage points)."""
    change = after - before
    if abs(change) <= 1e-9 * max(1.0, abs(before)):
        return "does not change"
    size = format_quantity(abs(change), unit)
    if unit == "fraction":
        size = size.removesuffix("%") + " percentage points"
    return f"{'rises' if change > 0 else 'falls'} by {size}"


def lifelines(number: int) -> Any:
    """Worked solution ``number`` (1-3) of notebook 01, hidden until opened."""
    return solution(lifelines_html(number), f"Solution {number}")


def _lifelines_1() -> str:
    year = FOCUS_YEAR
    low, high = (_headline({"china_export_ban_enforcement": v}) for v in (0.0, 1.0))
    recorded = high["recorded_trade_share_china"] - low["recorded_trade_share_china"]
    flows = high["lifeline_share_china"] - low["lifeline_share_china"]
    return (
        f"From 0 to 1, China's share of recorded trade in {year} moves from "
        f"{low['recorded_trade_share_china']:.1%} to {high['recorded_trade_share_china']:.1%} "
        f"({_points(recorded)}); its share of all flows from {low['lifeline_share_china']:.1%} to "
        f"{high['lifeline_share_china']:.1%} ({_points(flows)}). The bans cut recorded trade with every "
        "partner, so the customs ratio hardly moves; on all flows the exports China lets through add to "
        "China's side while Russia's arms flows stay as they are."
    )


def _lifelines_2() -> str:
    year = FOCUS_YEAR
    base = _headline()
    stop = _headline({"russia_arms_enforcement": 1.0})
    from model.episodes import history

    turn = next(e for e in history().episodes if e.name == "russia_turn").first_year
    before = _headline(year=turn - 1)  # the last year before the arms trade with Russia began
    recorded = _moves(base["recorded_trade_share_russia"], stop["recorded_trade_share_russia"], "fraction")
    china = _moves(base["lifeline_share_china"], stop["lifeline_share_china"], "fraction")
    return (
        f"Russia's share of recorded trade in {year} {recorded}; its share of all flows falls from "
        f"{base['lifeline_share_russia']:.1%} to {stop['lifeline_share_russia']:.1%}, back towards its "
        f"{turn - 1} level of {before['lifeline_share_russia']:.1%}, before the arms trade. "
        f"China's share of all flows {china} although China did nothing: recorded trade does not record arms "
        "sales, and a share is relative."
    )


def _lifelines_3() -> str:
    by_year: dict[int, dict[str, float]] = {}
    for o in select("recorded_trade_share", "china"):
        by_year.setdefault(o.year, {})[o.basis] = o.value
    both = {y: v for y, v in by_year.items() if len(v) > 1}
    rows = "".join(
        f"<li>{y}: " + ", ".join(f"{basis} {value:.1%}" for basis, value in v.items()) + "</li>"
        for y, v in sorted(both.items())
    )
    return (
        "The bases differ in coverage and method (KOTRA uses partner mirror data and excludes inter-Korean "
        "trade; KITA and ITC compile their own series), so a change from one basis to another is not a "
        "change in the economy. Where two bases report the same year they disagree:"
        f"<ul>{rows}</ul>Compare within one basis."
    )


LIFELINES = (
    _lifelines_1,
    _lifelines_2,
    _lifelines_3,
)


def lifelines_html(number: int) -> str:
    """Worked solution ``number`` (1-3) of notebook 01 as HTML."""
    return _answer("01", LIFELINES, number)


# ---------------------------------------------------------------------------------------------- 02 oil
def oil(number: int) -> Any:
    """Worked solution ``number`` (1-3) of notebook 02, hidden until opened."""
    return solution(oil_html(number), f"Solution {number}")


def _oil_1() -> str:
    base = _oil()
    strict = _oil({"china_smuggling_enforcement": 1.0})
    drop = base["illicit_china_bbl"] - strict["illicit_china_bbl"]
    elsewhere = (strict["illicit_russia_bbl"] + strict["illicit_other_bbl"]) - (
        base["illicit_russia_bbl"] + base["illicit_other_bbl"]
    )
    text = (
        f"Smuggling through Chinese waters falls from {format_bbl(base['illicit_china_bbl'])} "
        f"to {format_bbl(strict['illicit_china_bbl'])} ({format_bbl(drop)} less). "
        f"Deliveries through Russia and elsewhere rise by {format_bbl(elsewhere)}: "
        "part of what China blocks is re-routed through Russian ports. Only detected transfers can be "
        "stopped, so even full enforcement leaves some smuggling."
    )
    return text


def _oil_2() -> str:
    year, base = FOCUS_YEAR, _oil()
    respect = _oil({"russia_oil_cap_enforcement": 1.0})
    text = (
        f"Supply in {year} is {format_bbl(respect['supply_bbl'])}, "
        f"{respect['supply_bbl'] / respect['need_bbl']:.0%} of the need of "
        f"{format_bbl(respect['need_bbl'])} (baseline: "
        f"{base['supply_bbl'] / base['need_bbl']:.0%}). Russian oil above the cap falls from "
        f"{format_bbl(base['illicit_russia_bbl'])} to "
        f"{format_bbl(respect['illicit_russia_bbl'])}. The oil Russia withholds is not re-routed: the need it "
        "leaves unmet is filled by ship-to-ship smuggling, up to the network's capacity, and North Korea buys "
        f"those barrels. Smuggling through Chinese waters changes from {format_bbl(base['illicit_china_bbl'])} "
        f"to {format_bbl(respect['illicit_china_bbl'])}, and North Korea's oil bill from "
        f"{format_usd(_oil_bill())} to {format_usd(_oil_bill({'russia_oil_cap_enforcement': 1.0}))} a year."
    )
    return text


def _oil_3() -> str:
    year = FOCUS_YEAR
    levels, grid, _params = _sweep("china_pipeline_cut")
    ratio = grid.oil_supply_ratio[:, grid.year_index(year)]
    cut = _first(levels, ratio < 0.8)
    text = (
        f"The first slider position that takes supply below 80% of need is a cut of {cut:.0%} "
        f"(supply {ratio[list(levels).index(cut)]:.0%} of need)."
        if cut is not None
        else f"No cut is enough: even a full cut leaves supply at {ratio[-1]:.0%} of need."
    )
    text += " Smuggling and Russian deliveries refill part of the gap, up to their capacity."
    return text


OIL = (
    _oil_1,
    _oil_2,
    _oil_3,
)


def oil_html(number: int) -> str:
    """Worked solution ``number`` (1-3) of notebook 02 as HTML."""
    return _answer("02", OIL, number)


# ---------------------------------------------------------------------------------------------- 03 labour
def labour(number: int) -> Any:
    """Worked solution ``number`` (1-3) of notebook 03, hidden until opened."""
    return solution(labour_html(number), f"Solution {number}")


def _labour_1() -> str:
    year, base = FOCUS_YEAR, _labour()
    strict = _labour({"china_labour_enforcement": 1.0})
    lost = base["revenue_china_usd"] - strict["revenue_china_usd"]
    regained = strict["revenue_russia_usd"] - base["revenue_russia_usd"]
    text = (
        f"Revenue from workers in China falls by {format_usd(lost)} in {year}; revenue from Russia "
        f"rises by {format_usd(regained)} because part of the workers sent home go to Russia, where they earn "
        "the lower of the two hosts' wages (a diverted worker is marginal). China's count falls from "
        f"{format_count(base['workers_china'])} to {format_count(strict['workers_china'])}: hosting workers is "
        "China's own choice, so no detection factor limits it."
    )
    return text


def _labour_2() -> str:
    year, base = FOCUS_YEAR, _labour()
    # Workers with valid permits in Russia at the end of 2018, in Russia's report to the 1718 Committee (March
    # 2019; Reuters and CNN, 2019-03-26).
    target = 11_490
    levels, grid, _params = _sweep("russia_labour_enforcement")
    in_russia = grid.workers_abroad[:, grid.year_index(year), 1]
    level = _first(levels, in_russia <= target)
    text = (
        f"Russia's enforcement must reach {level:.2f} "
        f"({format_count(in_russia[list(levels).index(level)])} workers in {year}; "
        f"baseline {format_count(base['workers_russia'])})."
        if level is not None
        else f"Not reachable: even full enforcement leaves {format_count(in_russia[-1])} workers, because "
        "workers China sends home are diverted to Russia."
    )
    return text


def _labour_3() -> str:
    year, base = FOCUS_YEAR, _labour()
    back = _labour({"monitoring_regime": "panel_of_experts"})
    workers_loss = sum(base[f"revenue_{p}_usd"] - back[f"revenue_{p}_usd"] for p in ("china", "russia", "other"))
    it_loss = base["revenue_it_usd"] - back["revenue_it_usd"]
    text = (
        f"With the panel back, revenue from ordinary workers falls by {format_usd(workers_loss)} and "
        f"from IT workers by {format_usd(it_loss)} in {year}. Better detection only helps where a "
        "host acts on it: Russia's enforcement does not depend on monitoring in this model."
    )
    return text


LABOUR = (
    _labour_1,
    _labour_2,
    _labour_3,
)


def labour_html(number: int) -> str:
    """Worked solution ``number`` (1-3) of notebook 03 as HTML."""
    return _answer("03", LABOUR, number)


# ---------------------------------------------------------------------------------------------- 04 arms
def arms(number: int) -> Any:
    """Worked solution ``number`` (1-3) of notebook 04, hidden until opened."""
    return solution(arms_html(number), f"Solution {number}")


def _arms_1() -> str:
    year, base = FOCUS_YEAR, _arms(load_preset(BASELINE).params)
    after = _arms(load_preset("ukraine-ceasefire").params)
    text = (
        f"Russia's cash payment in {year} falls from {format_usd(base['payment_cash_usd'])} to "
        f"{format_usd(after['payment_cash_usd'])}: munitions drop to the restocking share and the "
        "troops come home. Oil paid in kind falls too, which lowers the oil above the cap (notebook 02)."
    )
    return text


INSS_ARMS_2023_USD = 540e6  # INSS, North Korea's arms exports to Russia in 2023 (Cambodia Tribune/Yonhap, 2024)


def _arms_2() -> str:
    year = FOCUS_YEAR
    target = INSS_ARMS_2023_USD
    # INSS counts arms exports, not troops: the payment for munitions and missiles alone, in every form.
    levels, grid, _batch = _sweep("war_demand_level")
    troop_pay = 12 * registry.get("troop_monthly_pay_usd").default
    at_year = [views.arms_series(grid, draw=i).at(year) for i in range(levels.size)]
    paid = np.array([v["payment_total_usd"] - v["troops"] * troop_pay for v in at_year])
    fits = np.flatnonzero(paid <= target)
    text = (
        f"War demand must fall to {levels[fits[-1]]:.2f} × the 2024 level (Russia's whole payment for munitions "
        f"and missiles {format_usd(paid[fits[-1]])} a year, cash and kind together: INSS's figure is the value "
        "of the exports, not the cash part)."
        if fits.size
        else "Not reachable within the slider range."
    )
    return text + " " + arms_2023_discrepancy()


def arms_2023_payment(n_draws: int = 2000, seed: int = 2023) -> dict[str, float]:
    """The model's 2023 payment for arms (all forms, USD) at the defaults and its 5-95% band over the uncertainties.

    Also the price per round (USD) at which the model's 2023 rounds and missiles would sum to INSS's figure.
    """
    year = 2023
    base = simulate(Params.from_overrides({}))
    worlds = simulate(sample(n_draws, np.random.default_rng(seed)))
    i = base.year_index(year)
    central = float(base.russia_payment_usd_fnt[:, 0, i].sum())
    band = np.percentile(worlds.russia_payment_usd_fnt[:, :, i].sum(axis=0), [5, 95])
    missiles = float(base.missiles_sold[0, i]) * registry.get("missile_price_usd").default
    implied = (INSS_ARMS_2023_USD - missiles) / float(base.munition_rounds[0, i])
    return {"central_usd": central, "low_usd": float(band[0]), "high_usd": float(band[1]), "implied_round_usd": implied}


def arms_2023_discrepancy() -> str:
    """One sentence setting the model's 2023 arms payment beside INSS's estimate, both with their sources."""
    v = arms_2023_payment()
    inside = v["low_usd"] <= INSS_ARMS_2023_USD <= v["high_usd"]
    return (
        f"For 2023 the model's payment is {format_usd(v['central_usd'])} (5-95% of plausible worlds: "
        f"{format_usd(v['low_usd'])} to {format_usd(v['high_usd'])}), "
        + ("a band that includes " if inside else "above ")
        + f"INSS's {format_usd(INSS_ARMS_2023_USD)} (Cambodia Tribune/Yonhap, 2024). The model values the "
        "roughly 5,000 containers Seoul counted by December 2023 (Pledge Times/EFE, 2023-12-29) at an assumed, "
        f"unsourced {format_usd(registry.get('price_per_round_usd').default)} a round; INSS's total would mean "
        f"about {format_usd(v['implied_round_usd'])} a round. The two sources disagree, and the model follows "
        "the container counts."
    )


def _arms_3() -> str:
    base = _arms(load_preset(BASELINE).params)
    swapped = _arms(
        Params.from_overrides({"russia_payment_cash_weight": 0.0, "russia_payment_technology_weight": 0.74})
    )
    text = (
        f"The total Russia pays stays {format_usd(swapped['payment_total_usd'])} (baseline "
        f"{format_usd(base['payment_total_usd'])}), but the cash part falls from "
        f"{format_usd(base['payment_cash_usd'])} to {format_usd(swapped['payment_cash_usd'])}. "
        "Payment in kind is invisible to measures of hard currency, yet it still strengthens North Korea."
    )
    return text


ARMS = (
    _arms_1,
    _arms_2,
    _arms_3,
)


def arms_html(number: int) -> str:
    """Worked solution ``number`` (1-3) of notebook 04 as HTML."""
    return _answer("04", ARMS, number)


# ---------------------------------------------------------------------------------------------- 05 lab
def lab(number: int) -> Any:
    """Worked solution ``number`` (1-4) of notebook 05, hidden until opened."""
    return solution(lab_html(number), f"Solution {number}")


def _lab_1() -> str:
    year = FOCUS_YEAR
    defects, pressure = _headline(preset="russia-defects"), _headline(preset="max-pressure")
    usd = [k for k, name in HEADLINE_TABLE.items() if HEADLINES[name].unit.startswith("USD")]
    ranked = sorted(usd, key=lambda k: -abs(defects[k] - pressure[k]))
    rows = "".join(
        f"<tr><td>{HEADLINES[HEADLINE_TABLE[k]].label}</td><td>{format_usd(defects[k])}</td>"
        f"<td>{format_usd(pressure[k])}</td></tr>"
        for k in ranked
    )
    share = "lifeline_share_russia"
    return (
        f"In {year} (Russia defects / Max pressure):<table>{rows}</table>The largest gap is "
        f"<b>{HEADLINES[HEADLINE_TABLE[ranked[0]]].label}</b>; Russia's share of all flows is "
        f"{defects[share]:.1%} against {pressure[share]:.1%}. <i>Russia defects</i> keeps the arms trade, "
        "<i>Max pressure</i> has Russia stop buying arms, so the Russian channel almost disappears while the "
        "numbers through China change much less."
    )


def _lab_2() -> str:
    year, base = FOCUS_YEAR, _headline()
    ban = _headline({"china_export_ban_enforcement": 1.0})
    share = _moves(base["recorded_trade_share_china"], ban["recorded_trade_share_china"], "fraction")
    cash = _moves(base["hard_currency_china_usd"], ban["hard_currency_china_usd"], "USD/yr")
    return (
        f"China's share of recorded trade in {year} {share}, while hard currency through China {cash}. "
        "Customs shares are ratios: when China blocks banned exports, recorded trade with every "
        "partner falls (the bans apply to all), so China's share of what is left changes little even though "
        "the dollar amounts fall."
    )


def _lab_3() -> str:
    year, base = FOCUS_YEAR, _headline()
    stop = _headline({"russia_arms_enforcement": 1.0})
    oil = _moves(base["oil_supply_bbl"], stop["oil_supply_bbl"], "bbl/yr")
    china = _moves(base["lifeline_share_china"], stop["lifeline_share_china"], "fraction")
    return (
        f"Oil supply in {year} {oil} and China's share of all flows {china}. Russia pays for munitions and "
        "troops partly in refined oil (the payment-weight levers); with no purchases that oil stops too, "
        "and the oil-cap leakage falls with it. A share is "
        "relative: when the Russian flows shrink, China's part of what is left grows."
    )


def _lab_4() -> str:
    year, base = FOCUS_YEAR, _headline()
    blind = _headline({"monitoring_regime": "none"})
    china = _moves(base["hard_currency_china_usd"], blind["hard_currency_china_usd"], "USD/yr")
    russia = _moves(base["hard_currency_russia_usd"], blind["hard_currency_russia_usd"], "USD/yr")
    return (
        f"With no monitoring, hard currency via China in {year} {china} and via Russia {russia}. Fewer covert "
        "flows are caught (smuggling, workers, ship transfers through China and third states), so less is "
        "blocked and less needs re-routing through Russia. Russia's own decisions, such as buying arms, do "
        "not depend on detection at all."
    )


LAB = (
    _lab_1,
    _lab_2,
    _lab_3,
    _lab_4,
)


def lab_html(number: int) -> str:
    """Worked solution ``number`` (1-4) of notebook 05 as HTML."""
    return _answer("05", LAB, number)


__all__ = [
    "arms",
    "arms_html",
    "lab",
    "lab_html",
    "labour",
    "labour_html",
    "lifelines",
    "lifelines_html",
    "oil",
    "oil_html",
    "start_here",
    "start_here_html",
]
