"""Levers judged on the totals their titles imply, at many base points at once.

``tests/test_levers.py`` holds each pressure lever to the flows it acts on. These tests hold them to the
totals a seminar reads: more pressure never raises **net hard currency** (earnings less oil purchases),
the **lifeline** or **oil supply**, unless the registry's ``totals_note`` says why it can (and then the
apps and ``docs/levers.md`` show that sentence). They also pin down the oil and labour accounting of
issue 27: smuggled barrels cost money, reported deliveries are capped by the cap rather than scaled by it,
a lower crude cap binds the pipeline only as far as China complies, and a worker China sends away never
earns more where he lands.

The base points are one batch: ``BASE_POINTS`` draws in which every uncertainty follows its registry
distribution and every lever is drawn across its range; ``simulate`` is vectorised over draws, so each
comparison is two runs, not hundreds. Hypothesis is used only for the corners (every parameter at one end).
"""

import numpy as np
import pytest

from model import Params, registry, simulate
from model.params import PAYMENT_WEIGHTS
from model.results import HARD_CURRENCY_CHANNELS, OIL_ROUTES
from model.sampling import sample
from model.timeline import HISTORY

BASE_POINTS = 600
TOTALS = ("net_hard_currency_usd", "lifeline_total_usd", "oil_supply_bbl")
RELATIVE_TOLERANCE = 1e-9
PRESSURE_LEVERS = [n for n in registry.names("lever") if registry.get(n).pressure]


def _random_levers(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    values = {}
    for name in registry.names("lever"):
        p = registry.get(name)
        if p.kind == "choice":
            values[name] = rng.integers(0, len(p.choices), n).astype(float)
        elif p.kind == "bool":
            values[name] = rng.integers(0, 2, n).astype(float)
        elif p.kind == "int":
            values[name] = rng.integers(int(p.min), int(p.max) + 1, n).astype(float)
        else:
            values[name] = p.min + rng.random(n) * (p.max - p.min)
    # Ends come up as often as the middle: a fifth of the draws at each end for every lever.
    for name, column in values.items():
        p = registry.get(name)
        if p.kind == "float":
            u = rng.random(n)
            column[u < 0.2], column[u > 0.8] = p.min, p.max
    weights = np.stack([values[w] for w in PAYMENT_WEIGHTS])
    values["russia_payment_cash_weight"][weights.sum(axis=0) <= 0] = 1.0  # all four at zero is refused
    return values


@pytest.fixture(scope="module")
def base_points() -> Params:
    rng = np.random.default_rng(27)
    return Params.from_overrides(_random_levers(rng, BASE_POINTS), base=sample(BASE_POINTS, rng))


def _ends(name: str) -> tuple[float, float]:
    """The lever's least and most pressing values."""
    p = registry.get(name)
    if p.pressure_order:
        return tuple(float(p.choices.index(c)) for c in (p.pressure_order[0], p.pressure_order[-1]))
    return (p.min, p.max) if p.pressure == "up" else (p.max, p.min)


def _pair(base: Params, name: str, low: float, high: float):
    n = base.n_draws
    return (
        simulate(Params.from_overrides({name: np.full(n, low)}, base=base)),
        simulate(Params.from_overrides({name: np.full(n, high)}, base=base)),
    )


def _rises(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Per draw: whether ``after`` exceeds ``before`` in any projection year, beyond rounding."""
    before, after = before[:, ~HISTORY], after[:, ~HISTORY]
    scale = max(float(np.abs(before).max()), 1.0)
    return np.any(after - before > RELATIVE_TOLERANCE * scale, axis=1)


@pytest.fixture(scope="module")
def swept(base_points):
    """Every pressure lever from least to most pressure at every base point: the totals before and after."""
    result = {}
    for name in PRESSURE_LEVERS:
        low, high = _ends(name)
        free, pressed = _pair(base_points, name, low, high)
        before, after = free.headline_series(), pressed.headline_series()
        result[name] = {key: (before[key], after[key]) for key in ("hard_currency_total_usd", *TOTALS)}
    return result


# ---------------------------------------------------------------------------------------------- totals
@pytest.mark.parametrize("name", PRESSURE_LEVERS)
@pytest.mark.parametrize("total", TOTALS)
def test_more_pressure_never_raises_a_total_unless_the_registry_says_why(swept, name, total):
    before, after = swept[name][total]
    rises = _rises(before, after)
    note = registry.get(name).totals_note
    if not note:
        assert not rises.any(), f"{name} raises {total} at {rises.mean():.1%} of base points and has no totals_note"


@pytest.mark.parametrize("name", [n for n in PRESSURE_LEVERS if registry.get(n).totals_note])
def test_a_totals_note_is_needed_where_it_is_given(swept, name):
    """A note that explains nothing is stale: some total must rise at some base point."""
    assert any(_rises(*swept[name][total]).any() for total in (*TOTALS, "hard_currency_total_usd")), name


def test_every_totals_note_is_in_the_lever_atlas():
    text = (registry.__file__.rsplit("/model/", 1)[0] + "/docs/levers.md").strip()
    with open(text, encoding="utf-8") as handle:
        atlas = handle.read()
    for name in PRESSURE_LEVERS:
        note = registry.get(name).totals_note
        if note:
            assert note in atlas, name


# ---------------------------------------------------------------------------------------------- oil
def test_russian_compliance_with_the_refined_cap_never_raises_net_hard_currency(swept):
    before, after = swept["russia_oil_cap_enforcement"]["net_hard_currency_usd"]
    assert not _rises(before, after).any()
    assert np.all(after[:, ~HISTORY] <= before[:, ~HISTORY] + 1.0)


def test_russian_compliance_at_the_defaults_lowers_net_hard_currency():
    free, pressed = _pair(Params.defaults(), "russia_oil_cap_enforcement", 0.0, 1.0)
    assert np.all(pressed.net_hard_currency_usd[0, ~HISTORY] < free.net_hard_currency_usd[0, ~HISTORY])
    # Gross earnings rise (Russia pays part of the withheld oil in cash): the reason net is the headline.
    assert np.all(pressed.hard_currency_total_usd[0, ~HISTORY] > free.hard_currency_total_usd[0, ~HISTORY])


def test_raising_the_refined_cap_ninefold_leaves_reported_deliveries_unchanged(base_points):
    at_500k, at_4_5m = _pair(base_points, "refined_oil_cap_bbl", 500_000.0, 4_500_000.0)
    route = OIL_ROUTES.index("reported_refined")
    np.testing.assert_allclose(
        at_4_5m.oil_supply_bbl[:, ~HISTORY, route], at_500k.oil_supply_bbl[:, ~HISTORY, route], rtol=1e-12
    )


def test_a_lower_crude_cap_without_chinas_compliance_leaves_the_pipeline_unchanged(base_points):
    base = Params.from_overrides({"china_crude_cap_compliance": np.zeros(base_points.n_draws)}, base=base_points)
    wide, narrow = _pair(base, "crude_oil_cap_bbl", 4_000_000.0, 1_000_000.0)
    route = OIL_ROUTES.index("pipeline_crude")
    np.testing.assert_array_equal(narrow.oil_supply_bbl[:, :, route], wide.oil_supply_bbl[:, :, route])
    # With compliance the same cap binds wherever the pipeline runs above it.
    complying = Params.from_overrides({"china_crude_cap_compliance": np.ones(base_points.n_draws)}, base=base_points)
    _, bound = _pair(complying, "crude_oil_cap_bbl", 4_000_000.0, 1_000_000.0)
    assert np.all(bound.oil_supply_bbl[:, ~HISTORY, route].sum(axis=-1) <= 1_000_000.0 + 1e-6)


def test_oil_purchases_are_what_the_headline_subtracts(base_points):
    results = simulate(base_points)
    np.testing.assert_allclose(
        results.net_hard_currency_usd,
        results.hard_currency_total_usd - results.oil_purchases_usd.sum(axis=(2, 3)),
        rtol=1e-12,
    )
    assert np.all(results.oil_purchases_usd >= 0)
    # China's pipeline crude is aid: never a purchase.
    assert np.all(results.oil_purchases_usd[:, :, OIL_ROUTES.index("pipeline_crude")] == 0)


# ---------------------------------------------------------------------------------------------- labour
def test_chinas_labour_enforcement_never_raises_total_labour_hard_currency(base_points):
    low, high = _ends("china_labour_enforcement")
    free, pressed = _pair(base_points, "china_labour_enforcement", low, high)
    c = HARD_CURRENCY_CHANNELS.index("labour")
    assert not _rises(free.hard_currency_usd[:, :, c].sum(-1), pressed.hard_currency_usd[:, :, c].sum(-1)).any()


# ---------------------------------------------------------------------------------------------- corners
@pytest.mark.parametrize("name", [n for n in PRESSURE_LEVERS if not registry.get(n).totals_note])
@pytest.mark.parametrize("end", ["min", "max"])
def test_totals_at_the_corners(name, end):
    """Every other parameter at its minimum, or at its maximum: the totals still hold.

    Levers whose registry ``totals_note`` says why they can raise a total are held to that note by
    :func:`test_a_totals_note_is_needed_where_it_is_given` instead.
    """
    base = {n: getattr(registry.get(n), end) for n in registry.names() if registry.get(n).role != "constant"}
    base.pop(name)
    if not any(base[w] > 0 for w in PAYMENT_WEIGHTS):
        base["russia_payment_cash_weight"] = 1.0
    free, pressed = _pair(Params.from_overrides(base), name, *_ends(name))
    before, after = free.headline_series(), pressed.headline_series()
    for key in TOTALS:
        assert not _rises(before[key], after[key]).any(), (name, key, end)
