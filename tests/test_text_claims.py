"""Sentences in the notebooks, the answer key, the guide and the registry checked against the model.

Each test reads the claim where it is written and recomputes what makes it true, so that a change of the
model that falsifies a sentence fails here (issue 27, part 8).
"""

import csv
import re
from importlib import resources

import numpy as np

from dprk_teaching import guide, solutions
from model import Params, registry, simulate
from model.formatting import format_count
from model.results import OIL_ROUTES
from model.sampling import sample
from model.scenarios import load_preset
from model.timeline import FOCUS_YEAR, HISTORY, YEARS
from tests.notebook_runner import NOTEBOOK_DIR

CHINA_LEVERS = [n for n in registry.names("lever") if registry.get(n).group == "china"]
ARMS_LEVERS = ("russia_arms_enforcement", "war_demand_level", "ceasefire_year", "dprk_munitions_offered")


def _prose(stem: str) -> str:
    """A notebook's text (the jupytext twin), with comment markers and line breaks removed."""
    text = (NOTEBOOK_DIR / f"{stem}.py").read_text(encoding="utf-8")
    return " ".join(line.lstrip("# ").strip() for line in text.splitlines())


def _swing(name: str, key: str, year: int = FOCUS_YEAR) -> float:
    """Largest change of a headline from the baseline with the lever at either end of its range."""
    p = registry.get(name)
    ends = (
        [float(p.choices.index(c)) for c in (p.pressure_order[0], p.pressure_order[-1])]
        if p.pressure_order
        else [p.min, p.max]
    )
    base = simulate(Params.defaults()).headline(year)[key]
    series = simulate(Params.from_overrides({name: np.array(ends)})).headline_series()[key]
    t = int(np.flatnonzero(YEARS == year)[0])
    return float(np.max(np.abs(series[:, t] - base)))


# ---------------------------------------------------------------------------------------------- 01
def test_notebook_01_customs_bans_move_the_all_flows_share_second_only_to_the_arms_trade():
    text = _prose("01_lifelines")
    assert "not the customs bans" not in text
    assert "China's ban on North Korean exports moves China's all-flows share more than any other Chinese lever" in text
    china = {name: _swing(name, "lifeline_share_china") for name in CHINA_LEVERS}
    assert max(china, key=china.get) == "china_export_ban_enforcement", china
    # "several times more than its tolerance of workers or smuggling"
    for name in ("china_labour_enforcement", "china_smuggling_enforcement"):
        assert china["china_export_ban_enforcement"] > 3 * china[name], china
    # "move the all-flows share most are the arms trade's": each arms lever above the export ban
    russia_ban = _swing("china_export_ban_enforcement", "lifeline_share_russia")
    for name in ARMS_LEVERS:
        assert _swing(name, "lifeline_share_russia") > russia_ban, name


# ---------------------------------------------------------------------------------------------- 02
def test_notebook_02_refined_cap_matters_little_because_deliveries_sit_below_it_and_barrels_return_at_a_price():
    text = _prose("02_oil")
    level, cap = registry.get("reported_refined_bbl"), registry.get("refined_oil_cap_bbl")
    assert f"about {format_count(level.default)} bbl a year" in text
    assert f"cap of {format_count(cap.default)} bbl" in text
    assert f"cap of {format_count(cap.min)} bbl moves oil supply and net hard currency by less than 1%" in text
    assert level.default < cap.default
    t = ~HISTORY
    base = simulate(Params.defaults())
    runs = simulate(Params.from_overrides({"refined_oil_cap_bbl": np.array([cap.min, cap.max])}))
    reported = runs.oil_supply_bbl[:, :, OIL_ROUTES.index("reported_refined")].sum(axis=-1)
    reported_base = base.oil_supply_bbl[:, :, OIL_ROUTES.index("reported_refined")].sum(axis=-1)
    # a higher cap changes nothing; a lower cap removes reported barrels
    np.testing.assert_allclose(reported[1, t], reported_base[0, t])
    np.testing.assert_allclose(runs.net_hard_currency_usd[1, t], base.net_hard_currency_usd[0, t])
    assert np.all(reported[0, t] < reported_base[0, t])
    for key in ("oil_supply_bbl", "net_hard_currency_usd"):
        low, ref = runs.headline_series()[key][0, t], base.headline_series()[key][0, t]
        assert np.all(np.abs(low / ref - 1.0) < 0.01), key
    # "not for free": the barrels that replace them are bought
    assert np.all(runs.oil_purchases_total_usd[0, t] > 0)


def test_notebook_02_equations_follow_the_code():
    text = _prose("02_oil")
    assert r"\text{refined cap} \times \text{fill}" not in text
    assert r"\min\big(P\,(1 - \text{cut}_\text{China}),\ \text{crude cap}\big)" not in text
    assert r"c_\text{China} \times \max(\text{sent} - \text{crude cap},\ 0)" in text


def test_answer_02_2_says_smuggling_fills_the_need_and_is_bought_not_re_routed():
    answer = solutions.oil_html(2)
    assert "re-routed through Chinese waters" not in answer
    assert "North Korea buys those barrels" in answer
    base = simulate(Params.defaults())
    respect = simulate(Params.from_overrides({"russia_oil_cap_enforcement": 1.0}))
    t = base.year_index(FOCUS_YEAR)
    assert respect.oil_purchases_total_usd[0, t] > base.oil_purchases_total_usd[0, t]
    china = OIL_ROUTES.index("illicit_refined"), 0
    assert respect.oil_supply_bbl[0, t][china] > base.oil_supply_bbl[0, t][china]


# ---------------------------------------------------------------------------------------------- 03
def test_notebook_03_and_answer_03_1_china_sends_every_worker_home_without_detection():
    text = _prose("03_labour")
    assert r"b_\text{China} = e_\text{China} \times d" not in text
    assert r"b_\text{China} = e_\text{China}," in text
    answer = solutions.labour_html(1)
    assert "monitoring finds" not in answer and "does not fall to zero" not in answer
    # at random base points (every monitoring regime included), China's count falls to zero
    points = Params.from_overrides(
        {"china_labour_enforcement": np.ones(200)}, base=sample(200, np.random.default_rng(8))
    )
    in_china = simulate(points).workers_abroad[:, ~HISTORY, 0]
    assert np.all(in_china == 0.0)
    assert "to 0:" in answer


# ---------------------------------------------------------------------------------------------- 04
def test_answer_04_2_compares_insss_whole_export_value_and_shows_the_2023_discrepancy():
    answer = solutions.arms_html(2)
    assert "whole payment for munitions and missiles" in answer
    assert "Cambodia Tribune/Yonhap" in answer and "Pledge Times/EFE" in answer
    v = solutions.arms_2023_payment()
    inside = v["low_usd"] <= solutions.INSS_ARMS_2023_USD <= v["high_usd"]
    assert ("a band that includes" in answer) == inside
    assert ("above INSS" in answer) == (v["low_usd"] > solutions.INSS_ARMS_2023_USD)
    # the price INSS would imply lies outside the model's own range for the price of a round
    assert v["implied_round_usd"] < registry.get("price_per_round_usd").min
    assert "whole payment for munitions and missiles" in _prose("04_arms")


# ---------------------------------------------------------------------------------------------- guide
def test_guide_china_strict_enforcement_flows_do_not_move_to_russia():
    moved = guide.china_strict_flows()
    assert moved["china"] < 0 < moved["russia"]
    assert -moved["china"] > 5 * moved["russia"]  # "most of what China blocks is lost"
    text = guide.surprises()[3].text
    assert "The flows do not move to Russia" in text
    points = resources.files("dprk_roleplay").joinpath("debrief.toml").read_text(encoding="utf-8")
    assert "China's flows fall far more than Russia's rise" in points


def test_guide_share_of_the_way_uses_the_same_war_demand_at_both_ends():
    assert "war_demand_level" not in load_preset("russia-defects").overrides
    item = guide.surprises()[2]
    assert "the war's demand is the same at both ends" in item.method


# ---------------------------------------------------------------------------------------------- registry
def _route_russia(results, t):
    return float(results.oil_supply_bbl[0, t, OIL_ROUTES.index("illicit_refined"), 1])


def test_oil_weight_derivation_states_the_model_s_barrels():
    derivation = registry.get("russia_payment_oil_weight").derivation
    base = simulate(Params.defaults())
    refined = registry.get("crude_price_usd_per_bbl").default * registry.get("refined_premium").default
    stated = ((2024, "1.46 m bbl in 2024", "1.50 m bbl (2024)"), (2025, "1.59 m bbl", "1.63 m bbl"))
    for year, own_text, route_text in stated:
        t = base.year_index(year)
        own = float(base.russia_payment_usd_fnt[1, 0, t]) / refined
        assert f"{own / 1e6:.2f} m bbl" in own_text
        assert f"{_route_russia(base, t) / 1e6:.2f} m bbl" in route_text
        assert own_text in derivation and route_text in derivation


def _observation(year: int, measure: str, flow: str) -> float:
    """The largest observed value of one measure and flow in one year (observations.csv)."""
    with resources.files("model").joinpath("data/observations.csv").open(encoding="utf-8") as handle:
        values = [
            float(row["value"])
            for row in csv.DictReader(handle)
            if int(row["year"]) == year and row["measure"] == measure and row["flow"] == flow
        ]
    if not values:
        raise LookupError((year, measure, flow))
    return max(values)


def test_oil_need_note_states_what_the_2016_and_2020_markers_imply():
    note = registry.get("oil_need_bbl").distribution_note
    need = registry.get("oil_need_bbl").default
    pipeline = _observation(2016, "oil_supply_bbl", "pipeline_crude")
    y2016 = _observation(2016, "oil_supply_bbl", "refined_total") + pipeline
    # the Panel's January-September smuggling, the pipeline, and the year's reported deliveries (episodes.toml)
    y2020 = _observation(2020, "oil_supply_bbl_partial", "illicit_refined") + pipeline + 135_000
    assert f"{y2016 / 1e6:.1f} m bbl in 2016" in note
    assert f"at least {np.floor(y2020 / 1e5) / 10:.1f} m bbl in 2020" in note
    assert y2016 > need and y2020 > need
    prose = _prose("02_oil")
    assert f"about {y2016 / 1e6:.1f} m bbl in 2016" in prose
    assert f"at least {np.floor(y2020 / 1e5) / 10:.1f} m bbl in 2020" in prose
    assert f"central {need / 1e6:.0f} m bbl" in note
    # "the model uses no more than need": supply never exceeds need in those years
    results = simulate(Params.defaults())
    for year in (2016, 2020):
        t = results.year_index(year)
        assert results.oil_supply_bbl[0, t].sum() <= results.oil_need_bbl[0, t] * (1 + 1e-9)


def test_history_preset_says_which_levers_rewrite_history_and_they_do():
    description = load_preset("history").description
    assert "include_cyber" in description and "border-closure" in description
    h = HISTORY
    on = simulate(Params.from_overrides({"include_cyber": np.array([0.0, 1.0])})).hard_currency_total_usd
    assert np.all(on[1, h][YEARS[h] >= 2017] > on[0, h][YEARS[h] >= 2017])
    closed = simulate(Params.from_overrides({"border_closure": np.array([0.0, 1.0])}))
    trade = closed.recorded_trade_usd.sum(axis=(-2, -1))  # (draw, year)
    assert np.all(trade[0, YEARS == 2021] > trade[1, YEARS == 2021])


def test_border_closure_title_and_description_own_the_closure_that_remains():
    p = registry.get("border_closure")
    assert "2020-2022 border closure" not in p.title
    assert "since 2023" in p.description and "to 2035" in p.description
    runs = simulate(Params.from_overrides({"border_closure": np.array([0.0, 1.0])}))
    china_trade = runs.recorded_trade_usd[:, :, :, 0].sum(axis=-1)
    assert np.all(china_trade[0, ~HISTORY] > china_trade[1, ~HISTORY])  # at 0 the projection gains the tenth


def test_it_workers_start_with_the_first_evidence():
    p = registry.get("it_workers")
    assert "upi_2020_it" in {source.key for source in p.sources}
    match = re.search(r"starts IT workers in (\d{4})", p.history_note)
    assert match
    first = int(match.group(1))
    it = simulate(sample(50, np.random.default_rng(3))).it_workers_abroad
    assert np.all(it[:, YEARS < first] == 0.0)
    assert np.all(it[:, YEARS == first] > 0.0)


def test_notebook_01_china_stays_above_90_percent_of_recorded_trade_at_every_lever_end():
    assert "On recorded trade China stays above 90% whatever happens to the totals" in _prose("01_lifelines")
    t = int(np.flatnonzero(YEARS == FOCUS_YEAR)[0])
    for name in registry.names("lever"):
        p = registry.get(name)
        ends = [0.0, float(len(p.choices) - 1)] if p.kind == "choice" else [p.min, p.max]
        share = simulate(Params.from_overrides({name: np.array(ends)})).headline_series()["recorded_trade_share_china"]
        assert np.all(share[:, t] > 0.9), name


def test_notebook_02_a_pipeline_cut_lowers_supply_by_less_than_the_cut():
    assert "so the fall in supply is smaller than the cut" in _prose("02_oil")
    runs = simulate(Params.from_overrides({"china_pipeline_cut": np.array([0.0, 1.0])}))
    t = ~HISTORY
    pipeline = runs.oil_supply_bbl[:, :, OIL_ROUTES.index("pipeline_crude"), 0]
    supply = runs.oil_supply_bbl.sum(axis=(-2, -1))
    assert np.all(supply[0, t] - supply[1, t] < pipeline[0, t] - pipeline[1, t])
    assert np.all(supply[0, t] - supply[1, t] > 0)


def test_guide_dates_china_s_nine_tenths_from_the_first_year_of_the_record():
    text = (NOTEBOOK_DIR.parent / "seminar" / "facilitator_guide.md").read_text(encoding="utf-8")
    assert "two decades" not in text
    assert "about nine-tenths of North Korea's recorded trade since at least 2013" in text
    with resources.files("model").joinpath("data/observations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    shares = [
        float(r["value"])
        for r in rows
        if r["measure"] == "recorded_trade_share" and r["partner"] == "china" and r["basis"] == "KOTRA"
    ]
    first = min(int(r["year"]) for r in rows)
    assert first == 2013  # the record starts in 2013: nothing supports "two decades"
    assert shares and min(shares) >= 0.85  # "about nine-tenths" in every KOTRA year
