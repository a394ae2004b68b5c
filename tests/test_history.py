"""The history preset against the shipped observations, one statistical basis at a time.

Two kinds of check, kept apart:

* **calibration**: observations that model inputs were set from (KOTRA totals and China shares, the
  per-era level of Russia's trade, reported refined deliveries, yearly cyber theft). Passing them shows
  the calibration was carried out, not that the model is right.
* **validation**: observations no input was set from (the oil inside recorded imports, China customs'
  (GACC) path through the closure, exports and imports of the closure years, and the poorly measured
  series against the model's plausible range).

Every comparison uses one basis (KOTRA, KITA, GACC, ITC, ... never mixed), and every tolerance is tight
enough that a flat series at the observations' mean fails it (``test_a_flat_series_fails_*``). Known
misses are strict expected failures with their reason; observations that measure something else are
excluded, each with its reason.
"""

from collections import defaultdict

import numpy as np
import pytest

from model import Params, simulate
from model.observations import Observation, select
from model.observations import observations as observations_all
from model.results import HARD_CURRENCY_CHANNELS, OIL_ROUTES, PARTNERS, TRADE_FLOWS
from model.sampling import sample
from model.scenarios import load_preset

HISTORY_YEARS = range(2013, 2025)
KOTRA_YEARS = range(2013, 2024)
SHARE_POINTS = 0.02  # China's share of recorded trade, KOTRA: within 2 points
TOTAL_RELATIVE = 0.15  # recorded trade, KOTRA: within 15%
ENVELOPE = (0.005, 0.995)  # plausible range of the ensemble: 0.5th to 99.5th percentile, not widened

EXCLUDED = {
    ("hard_currency_usd", "labour", "UN_investigators_CNBC"): "USD 1.2-2.3 bn likely counts gross earnings, not "
    "the state's take (dossier section 8)",
    ("hard_currency_usd", "it_workers", "UN_PoE", 2020): "USD 20.4 m is one network the Panel studied, not a total",
    ("workers_abroad", "russia", "KBS", 2018): "a stock at the start of 2018, before that year's repatriations; the "
    "model gives the annual average",
    ("workers_abroad", "total", "UN_PoE", 2023, 10000.0): "this row counts IT workers, who are a separate line",
}

# Known misses: strict expected failures, so that a fix shows up as an unexpected pass.
KNOWN_MISSES = {
    ("oil_supply_bbl_partial", 2020, "UN_PoE"): "4.4 m bbl in Jan-Sep 2020 exceeds the model's 99.5th percentile for "
    "the whole year: smuggling is limited by the refined-oil gap (need - pipeline - reported)",
    ("workers_abroad", 2016, "ROK_NIS"): "58,000 in about 50 countries is below the model's range: before 2017 no "
    "repatriation applies and the three hosts' potentials add up to at least 70,000",
    ("workers_abroad", 2023, "RFA_source"): "more than 100,000 in China alone (one RFA source) is above the model's "
    "China range; the UN Panel's 100,000 counts all countries",
    ("hard_currency_usd", 2016, "ROK_NIS"): "USD 250 m a year is below the model's range at the registry's pay and "
    "state-take ranges (the NIS counted 58,000 workers)",
    ("hard_currency_usd", 2023, "US_official"): "'more than USD 500 m' from IT workers is above the model's range "
    "(at most 10,000 workers, up to USD 8,000 a month, 90% taken)",
    ("hard_currency_usd", 2023, "INSS"): "INSS values 2023 arms exports at USD 540 m; the model's lowest payment for "
    "half of 2024's demand is higher",
    ("hard_currency_usd", 2023, "UN_PoE"): "the Panel's USD 500 m from about 100,000 workers in 2023 needs more "
    "workers in Russia than Russia's own statistics allow (1,117 North Koreans entered in all of 2023) at the "
    "state's take of China's wages; the model's 99.5th percentile is about USD 440 m",
}
# Known misses of the yearly KOTRA flows: strict, so that a fix shows up.
KNOWN_FLOW_MISSES = {
    ("exports", 2021): "in 2021 exports (USD 82 m) fell less than non-oil imports (about USD 252 m once KOTRA's oil "
    "bill of USD 379 m is taken out); the model closes both by one border factor, calibrated to the total and "
    "China's share",
}


def _excluded(o: Observation) -> bool:
    keys = [
        (o.measure, o.channel, o.basis),
        (o.measure, o.channel, o.basis, o.year),
        (o.measure, o.partner, o.basis, o.year),
        (o.measure, o.partner, o.basis, o.year, o.value),
    ]
    return any(k in EXCLUDED for k in keys)


def _miss(o: Observation) -> str | None:
    return KNOWN_MISSES.get((o.measure, o.year, o.basis))


@pytest.fixture(scope="module")
def default():
    return simulate(load_preset("history").params)


@pytest.fixture(scope="module")
def ensemble():
    return simulate(sample(20_000, np.random.default_rng(2024), base=load_preset("history").params))


def _t(year):
    return year - 2013


def _checked(rows, years=HISTORY_YEARS):
    rows = [o for o in rows if o.year in years and not _excluded(o)]
    assert rows, "no observations matched: the check would test nothing"
    return rows


def _by_basis(rows) -> dict[str, list[Observation]]:
    grouped = defaultdict(list)
    for o in rows:
        grouped[o.basis].append(o)
    return dict(grouped)


# ---------------------------------------------------------------------------------- the checks
# Each check takes a (T,) model series and returns the rows it fails, so that the same check can be
# shown to reject a flat series.
def _relative_misses(series, rows, tolerance):
    return [
        (o.year, o.value, float(series[_t(o.year)])) for o in rows if abs(series[_t(o.year)] / o.value - 1) > tolerance
    ]


def _absolute_misses(series, rows, tolerance):
    return [(o.year, o.value, float(series[_t(o.year)])) for o in rows if abs(series[_t(o.year)] - o.value) > tolerance]


def _flat(rows):
    return np.full(23, np.mean([o.value for o in rows]))


def _kotra_totals():
    return _checked(select("recorded_trade_usd", "total", "total", basis="KOTRA"), KOTRA_YEARS)


def _kotra_shares():
    return _checked(select("recorded_trade_share", "china", basis="KOTRA"), KOTRA_YEARS)


def _trade(results, flow="total", partner="total"):
    array = results.recorded_trade_usd[0]
    array = array.sum(axis=1) if flow == "total" else array[:, TRADE_FLOWS.index(flow)]
    return array.sum(axis=-1) if partner == "total" else array[:, PARTNERS.index(partner)]


# ---------------------------------------------------------------------------------- calibration
def test_calibration_kotra_total_every_year_within_15_percent(default):
    rows = _kotra_totals()
    assert {o.year for o in rows} >= {2013, 2014, 2015, 2017, 2018, 2020, 2021, 2022, 2023}
    assert not _relative_misses(_trade(default), rows, TOTAL_RELATIVE)


def test_calibration_kotra_china_share_every_year_within_2_points(default):
    rows = _kotra_shares()
    assert {o.year for o in rows} >= {2013, 2014, 2015, 2017, 2018, 2020, 2021, 2022, 2023}
    assert not _absolute_misses(default.recorded_trade_share[0, :, 0], rows, SHARE_POINTS)


def test_a_flat_series_fails_the_kotra_checks():
    assert _relative_misses(_flat(_kotra_totals()), _kotra_totals(), TOTAL_RELATIVE)
    assert _absolute_misses(_flat(_kotra_shares()), _kotra_shares(), SHARE_POINTS)


RUSSIA_RELATIVE = 0.4  # small, differently measured (ITC, TASS, Russian customs): within 40%, one basis at a time


def _russia_rows():
    return _checked(select("recorded_trade_usd", "russia", "total"))


@pytest.mark.parametrize("basis", sorted(_by_basis(_russia_rows())))
def test_calibration_russia_trade_one_basis_at_a_time(default, basis):
    rows = _by_basis(_russia_rows())[basis]
    assert not _relative_misses(_trade(default, partner="russia"), rows, RUSSIA_RELATIVE), basis


def test_russian_trade_follows_the_closure(default):
    russia = _trade(default, partner="russia")
    before = russia[_t(2019)]
    # 'All but evaporated' in 2021, a ninth of 2023 in 2022, back from 2023 (NK News, TASS).
    assert russia[_t(2021)] < 0.1 * before and russia[_t(2022)] < 0.2 * before
    assert russia[_t(2023)] > 3 * russia[_t(2022)]


def test_a_flat_series_fails_the_russia_check():
    rows = _russia_rows()
    assert _relative_misses(_flat(rows), rows, RUSSIA_RELATIVE)


def test_calibration_reported_refined_deliveries_within_10_percent(default):
    route = OIL_ROUTES.index("reported_refined")
    rows = _checked(select("oil_supply_bbl", flow="reported_refined", basis="1718_Committee"))
    for o in rows:
        by_partner = default.oil_supply_bbl[0, _t(o.year), route]
        model = by_partner.sum() if o.partner == "total" else by_partner[PARTNERS.index(o.partner)]
        assert model == pytest.approx(o.value, rel=0.10), (o.year, o.partner, model, o.value)


def test_calibration_cyber_theft_matches_the_yearly_figures(default):
    cyber = HARD_CURRENCY_CHANNELS.index("cyber")
    for o in _checked(select("hard_currency_usd", channel="cyber", basis="Chainalysis")):
        model = default.hard_currency_usd[0, _t(o.year), cyber].sum()
        assert model == pytest.approx(o.value, rel=0.05), (o.year, model, o.value)


def test_calibration_russian_oil_2024_at_least_the_observed_lower_bound(default):
    route = OIL_ROUTES.index("illicit_refined")
    for o in _checked(select("oil_supply_bbl_partial", "russia", basis="OSC_BBC")):
        model = default.oil_supply_bbl[0, _t(o.year), route, 1]
        assert model >= o.value, (o.year, model, o.value)


# ---------------------------------------------------------------------------------- validation
OIL_VALUE_RELATIVE = 0.10
OIL_SHARE_POINTS = 0.03


def test_calibration_oil_inside_recorded_imports(default):
    """KOTRA's oil import bill (2021, 2022) within 10% and its share of 2022 imports within 3 points.

    Calibration since issue 27: the customs value of pipeline crude (``pipeline_customs_value_ratio``) is
    derived from KOTRA's own valuation (PIIE's footnote for 2014) and these two bills.
    """
    values = _checked(select("oil_imports_usd", "total", basis="KOTRA"))
    recorded_oil = default.recorded_oil_usd[0].sum(axis=-1)
    assert not _relative_misses(recorded_oil, values, OIL_VALUE_RELATIVE)
    shares = _checked(select("oil_import_share", "total", basis="KOTRA"))
    share = recorded_oil / _trade(default, "imports")
    assert not _absolute_misses(share, shares, OIL_SHARE_POINTS)
    # Oil is counted once: the pipeline and reported barrels are in recorded imports and nowhere else
    # in recorded trade, and the lifeline's recorded-trade channel holds no oil.
    lifeline_trade = default.by_label("lifeline_usd")
    for k, partner in enumerate(PARTNERS):
        non_oil = default.recorded_trade_usd[0, :, :, k].sum(axis=1) - default.recorded_oil_usd[0, :, k]
        np.testing.assert_allclose(lifeline_trade["recorded_trade", partner][0], non_oil, rtol=1e-9, atol=1e-3)


def test_a_flat_series_fails_the_oil_share_check():
    shares = _checked(select("oil_import_share", "total", basis="KOTRA"))
    assert _absolute_misses(np.full(23, 0.01), shares, OIL_SHARE_POINTS)  # what the old model gave


GACC_POINTS = 0.25  # China customs' path relative to 2019, compared with the model's China trade without crude


def _gacc_rows():
    return _checked(select("recorded_trade_usd", "china", "total", basis="GACC"), range(2020, 2025))


def _gacc_path(results):
    """Model China trade as GACC counts it, relative to 2019.

    China's customs have recorded no pipeline crude since 2014; their refined products are a few
    USD 10 m at most. So the model's China trade without its recorded oil is compared.
    """
    china = _trade(results, partner="china") - results.recorded_oil_usd[0, :, 0]
    return china / china[_t(2019)]


def test_validation_china_customs_path_through_the_closure(default):
    base = select("recorded_trade_usd", "china", "total", basis="GACC")
    reference = next(o.value for o in base if o.year == 2019)
    rows = [Observation(**{**o.__dict__, "value": o.value / reference}) for o in _gacc_rows()]
    assert not _absolute_misses(_gacc_path(default), rows, GACC_POINTS)


def test_a_flat_series_fails_the_gacc_check():
    base = select("recorded_trade_usd", "china", "total", basis="GACC")
    reference = next(o.value for o in base if o.year == 2019)
    rows = [Observation(**{**o.__dict__, "value": o.value / reference}) for o in _gacc_rows()]
    assert _absolute_misses(np.ones(23), rows, GACC_POINTS)


FLOW_RELATIVE = {"exports": 0.40, "imports": 0.15}


@pytest.mark.parametrize("flow", ["exports", "imports"])
def test_validation_exports_and_imports_kotra(default, flow):
    """Exports and imports, KOTRA: 2013-2018 partly set the potentials; the closure years were not used."""
    rows = _checked(select("recorded_trade_usd", "total", flow, basis="KOTRA"), KOTRA_YEARS)
    missed = {(flow, year) for year, _, _ in _relative_misses(_trade(default, flow), rows, FLOW_RELATIVE[flow])}
    assert missed == {k for k in KNOWN_FLOW_MISSES if k[0] == flow}, missed
    assert _relative_misses(_flat(rows), rows, FLOW_RELATIVE[flow])


def _within_envelope(values, o: Observation):
    """Whether an observation fits the plausible range; 'more than X' and 'up to X' rows are one-sided."""
    low, high = np.quantile(values, ENVELOPE)
    lower_ok, upper_ok = low <= o.value, o.value <= high
    if o.low == o.value and o.high is None:  # a lower bound: the model must be able to reach it
        return upper_ok, (low, high)
    if o.high == o.value and o.low is None:  # an upper bound: the model must be able to stay below it
        return lower_ok, (low, high)
    return lower_ok and upper_ok, (low, high)


def _envelope_cases(rows, ident):
    cases = []
    for o in rows:
        reason = _miss(o)
        marks = [pytest.mark.xfail(strict=True, reason=f"known miss: {reason}")] if reason else []
        cases.append(pytest.param(o, marks=marks, id=ident(o)))
    return cases


WORKER_ROWS = _checked(select("workers_abroad"))
EARNING_ROWS = [o for ch in ("labour", "it_workers", "arms") for o in _checked(select("hard_currency_usd", channel=ch))]
SMUGGLING_ROWS = _checked(select("oil_supply_bbl_partial", flow="illicit_refined"))


@pytest.mark.parametrize("o", _envelope_cases(WORKER_ROWS, lambda o: f"{o.year}-{o.partner}-{o.basis}"))
def test_validation_workers_abroad_within_the_plausible_range(ensemble, o):
    by_host = ensemble.workers_abroad[:, _t(o.year)]
    values = by_host.sum(axis=-1) if o.partner == "total" else by_host[:, PARTNERS.index(o.partner)]
    ok, bounds = _within_envelope(values, o)
    assert ok, (o.year, o.partner, o.basis, o.value, bounds)


@pytest.mark.parametrize("o", _envelope_cases(EARNING_ROWS, lambda o: f"{o.year}-{o.channel}-{o.basis}"))
def test_validation_earnings_within_the_plausible_range(ensemble, o):
    c = HARD_CURRENCY_CHANNELS.index(o.channel)
    if o.channel == "arms" and o.partner == "russia":
        # Observers value what was shipped: compare with Russia's whole payment (cash, oil and in kind).
        values = ensemble.russia_payment_usd[:, _t(o.year)].sum(axis=-1)
    else:
        by_partner = ensemble.hard_currency_usd[:, _t(o.year), c]
        values = by_partner.sum(axis=-1) if o.partner == "total" else by_partner[:, PARTNERS.index(o.partner)]
    ok, bounds = _within_envelope(values, o)
    assert ok, (o.year, o.basis, o.value, bounds)


@pytest.mark.parametrize("o", _envelope_cases(SMUGGLING_ROWS, lambda o: f"{o.year}-{o.basis}"))
def test_validation_partial_year_smuggling_within_the_whole_years_range(ensemble, o):
    """Lower bounds for part of a year cannot exceed what the model allows for the whole year."""
    route = OIL_ROUTES.index("illicit_refined")
    annual = ensemble.oil_supply_bbl[:, _t(o.year), route].sum(axis=-1)
    assert o.value <= np.quantile(annual, ENVELOPE[1]), (o.year, o.value, np.quantile(annual, ENVELOPE[1]))


def test_every_check_uses_sourced_rows():
    for o in select("recorded_trade_usd") + select("workers_abroad") + select("oil_imports_usd"):
        assert o.source_title and o.url and o.publisher and o.source_date


def test_every_observation_row_has_exactly_the_headers_fields():
    """An unquoted comma in a title shifts every later field; csv.DictReader would not complain."""
    import csv
    from importlib import resources

    with resources.files("model").joinpath("data/observations.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.reader(handle) if row]
    widths = {number: len(row) for number, row in enumerate(rows[1:], start=2) if len(row) != len(rows[0])}
    assert not widths, f"rows with the wrong number of fields (line: fields): {widths}"
    assert all(o.url.startswith("http") for o in observations_all())


def test_history_is_independent_of_projection_levers(default):
    moved = simulate(
        Params.from_overrides(
            {"china_export_ban_enforcement": 0.0, "russia_arms_enforcement": 1.0, "russia_payment_cash_weight": 0.0}
        )
    )
    for outcome in ("recorded_trade_usd", "hard_currency_usd", "lifeline_usd", "oil_supply_bbl", "workers_abroad"):
        np.testing.assert_allclose(
            getattr(moved, outcome)[:, :12], getattr(default, outcome)[:, :12], rtol=1e-12, err_msg=outcome
        )


def test_russian_workers_follow_russias_own_statistics(default):
    """Repatriation by the 2019 deadline, a thin stock through the closure, a revival from the second half of 2024.

    Russia's entry statistics (RU_FSB, RU_Rosstat rows) count entries, not workers, and miss nothing of the
    direction: 69 entries in 2021 and 1,117 in 2023 leave no room for a revival before 2024; 13,221 in 2024
    (7,887 'for study') do. Official worker counts (511 in March 2020) are a lower bound: they miss workers
    on student and trainee visas, so the model's stock must lie above them.
    """
    workers = default.workers_abroad[0, :, PARTNERS.index("russia")]
    entered = {o.year: o.value for o in select("nationals_entered", "russia", "total")}
    assert workers[_t(2020)] < 0.7 * workers[_t(2019)]  # the deadline of 22 Dec 2019 was applied
    for year in (2021, 2022, 2023):
        assert workers[_t(year)] <= workers[_t(2020)] + entered.get(year, 0), year  # no revival without entries
    revival = workers[_t(2024)] - workers[_t(2023)]
    study = next(o.value for o in select("nationals_entered", "russia", "study") if o.year == 2024)
    assert 0.3 * study <= revival <= entered[2024], (revival, study)  # most entries came in the second half
    official = next(o for o in select("workers_abroad", "russia", basis="RU_official") if o.year == 2020)
    assert workers[_t(2020)] > official.value  # the official count misses disguised workers


def test_reported_refined_deliveries_follow_the_1718_reports_by_year(default):
    """Russia's reports stop after January 2024; China's share varies by year as the reports do."""
    route = OIL_ROUTES.index("reported_refined")
    reported = default.oil_supply_bbl[0, :, route]
    china_share = reported[:, 0] / reported.sum(axis=-1)
    assert china_share[_t(2021)] == pytest.approx(1.0)
    assert china_share[_t(2024)] > 0.85 and china_share[_t(2019)] < 0.5
    assert reported[_t(2024), 1] < 0.2 * reported[_t(2023), 1]  # one month of 2024 reported


def test_russian_workers_and_reported_oil_follow_the_closure(default):
    """The closure shut the Russian border too (first train after it: November 2022)."""
    workers = default.workers_abroad[0, :, PARTNERS.index("russia")]
    reported = default.oil_supply_bbl[0, :, OIL_ROUTES.index("reported_refined"), PARTNERS.index("russia")]
    assert workers[_t(2021)] < workers[_t(2019)] and workers[_t(2022)] < workers[_t(2019)]
    assert reported[_t(2021)] < 0.1 * reported[_t(2019)]
    assert workers[_t(2024)] > workers[_t(2021)] and reported[_t(2024)] > reported[_t(2021)]
