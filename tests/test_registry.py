"""The registry's metadata: every entry complete, sourced or reasoned, and internally consistent."""

import re

import numpy as np
import pytest

from model import registry
from model.episodes import history

PARAMETERS = list(registry.registry().values())


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.name)
def test_entry_is_complete(parameter):
    assert re.fullmatch(r"[a-z][a-z0-9_]*", parameter.name)
    for text in (parameter.title, parameter.description, parameter.unit):
        assert text.strip(), f"{parameter.name}: empty title, description or unit"
    assert parameter.role in registry.ROLES
    assert parameter.group in registry.GROUPS
    assert parameter.kind in registry.KINDS


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.name)
def test_default_within_range_and_step_fits(parameter):
    assert parameter.min <= parameter.default <= parameter.max
    assert parameter.step > 0
    if parameter.min < parameter.max:
        assert parameter.step <= parameter.max - parameter.min
    if parameter.kind in ("int", "choice", "bool"):
        assert float(parameter.default).is_integer()


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.name)
def test_every_number_has_a_provenance(parameter):
    if parameter.kind == "choice" and parameter.sources:
        return
    assert parameter.sources or parameter.assumption, f"{parameter.name} has neither a source nor an assumption"
    if parameter.assumption:
        assert parameter.assumption.startswith("assumption:"), parameter.name
        assert len(parameter.assumption) > len("assumption: ") + 20, f"{parameter.name}: give the reasoning"
    if parameter.derivation:
        assert parameter.derivation.startswith("derived"), parameter.name


@pytest.mark.parametrize("parameter", PARAMETERS, ids=lambda p: p.name)
def test_shares_are_fractions(parameter):
    if parameter.unit == "fraction" or parameter.name.endswith(("_share", "_weight")):
        assert 0.0 <= parameter.min <= parameter.max <= 1.0, parameter.name


@pytest.mark.parametrize("parameter", [p for p in PARAMETERS if p.is_uncertainty], ids=lambda p: p.name)
def test_uncertainties_declare_a_distribution(parameter):
    assert parameter.distribution in registry.DISTRIBUTIONS
    assert parameter.distribution_note.strip()
    assert parameter.min < parameter.max, "an uncertainty needs a range to sample"
    if parameter.distribution == "lognormal":
        assert parameter.min > 0


@pytest.mark.parametrize("parameter", [p for p in PARAMETERS if not p.is_uncertainty], ids=lambda p: p.name)
def test_only_uncertainties_have_distributions(parameter):
    assert parameter.distribution == ""


@pytest.mark.parametrize("parameter", [p for p in PARAMETERS if p.role != "constant"], ids=lambda p: p.name)
def test_slider_positions_span_the_range_in_steps(parameter):
    positions = parameter.positions()
    assert positions[0] == parameter.min and positions[-1] == pytest.approx(parameter.max)
    # A default off the slider's grid would snap to a neighbour the moment a slider is shown.
    assert np.isclose(positions, parameter.default, rtol=0, atol=parameter.step * 1e-6).any()
    assert all(parameter.coerce(float(v)) == float(v) for v in positions)  # every position is valid input


def test_choice_parameters_name_their_choices():
    choices = [p for p in PARAMETERS if p.kind == "choice"]
    assert choices
    for parameter in choices:
        assert len(parameter.choices) >= 2
        assert len(parameter.choice_labels) == len(parameter.choices)
        assert parameter.max == len(parameter.choices) - 1


def test_every_source_is_complete_and_used():
    used = {s.key for p in PARAMETERS for s in p.sources}
    used |= {s.key for e in history().episodes for s in e.sources}
    used |= {key for key, source in registry.sources().items() if source.kind == "academic"}  # the reading list
    for key, source in registry.sources().items():
        for field in (source.title, source.publisher, source.date, source.url):
            assert field.strip(), f"source {key} has an empty field"
        assert key in used or _used_by_presets(key), f"source {key} is cited nowhere"


def _used_by_presets(key):
    from model.scenarios import load_preset, preset_names

    return any(key in load_preset(name).provenance.get("sources", []) for name in preset_names())


def test_roles_cover_levers_and_uncertainties():
    assert registry.names("lever") and registry.names("uncertainty") and registry.names("constant")
    assert len(registry.names()) == len(set(registry.names()))


def test_table_rows_list_every_parameter_with_provenance():
    rows = registry.table_rows()
    assert [r["name"] for r in rows] == registry.names()
    assert all(r["provenance"] for r in rows if r["role"] != "lever" or r["name"] != "monitoring_regime")


def test_unknown_name_suggests_the_nearest():
    with pytest.raises(registry.ParameterError, match="china_export_ban_enforcement"):
        registry.get("china_expot_ban_enforcement")


def test_generated_parameter_table_is_current():
    """docs/parameters.md is generated: `python -m model params --format markdown > docs/parameters.md`."""
    import subprocess
    import sys
    from pathlib import Path

    table = Path(__file__).resolve().parent.parent / "docs" / "parameters.md"
    result = subprocess.run(
        [sys.executable, "-m", "model", "params", "--format", "markdown"], capture_output=True, text=True, check=True
    )
    assert table.read_text(encoding="utf-8") == result.stdout, "regenerate docs/parameters.md"


def test_every_uncertainty_changes_the_results_between_its_ends():
    """No dead input: each uncertainty, moved from its minimum to its maximum, changes some result.

    In the baseline or, where it only matters then, in a preset (restocking demand needs a ceasefire).
    """
    import numpy as np

    from model import Params, simulate
    from model.scenarios import load_preset, preset_names

    arrays = (
        "hard_currency_usd",
        "lifeline_usd",
        "oil_supply_bbl",
        "recorded_trade_usd",
        "workers_abroad",
        "oil_purchases_usd",
    )
    bases = [load_preset(name).params for name in preset_names()]
    for name in registry.names("uncertainty"):
        parameter = registry.get(name)
        moved = False
        for base in bases:
            low, high = (simulate(Params.from_overrides({name: v}, base=base)) for v in (parameter.min, parameter.max))
            moved = any(not np.array_equal(getattr(low, a), getattr(high, a)) for a in arrays)
            if moved:
                break
        assert moved, f"{name} changes nothing between {parameter.min} and {parameter.max} in any preset"


def test_every_constant_is_read_by_the_model():
    from pathlib import Path

    code = "\n".join(p.read_text(encoding="utf-8") for p in (Path(__file__).parent.parent / "model").rglob("*.py"))
    for name in registry.names("constant"):
        assert f'"{name}"' in code, f"constant {name} is read by nothing"


#: Outlets retired from the bibliography: a stronger source states the same (issue 30).
RETIRED_PUBLISHERS = (
    "Fintech Garden",
    "finanznachrichten",
    "Binance Square",
    "nhub.news",
    "Sputnik",
    "newsbulletin247",
    "mingooland",
    "infosurhoy",
    "ckhq",
)
#: Addresses a primary document may have: the UN's document and press systems, a government, the MSMT.
OFFICIAL = ("undocs.org", "documents.un.org", "press.un.org", "un.org/", ".gov", "msmt.info", "mofa.go.kr")


def test_no_source_is_a_retired_outlet_and_primary_documents_are_official():
    sources = registry.sources()
    for source in sources.values():
        assert not any(weak.lower() in source.publisher.lower() for weak in RETIRED_PUBLISHERS), source.key
        assert source.kind in registry.SOURCE_KINDS, source.key
        if source.kind == "primary":
            assert source.symbol or any(host in source.url for host in OFFICIAL), source.key
        if source.symbol.startswith("S/"):
            assert source.symbol.split(" ")[0] in source.url, source.key  # the address names the symbol
    from dprk_teaching.guide import ACADEMIC

    assert all(sources[key].kind == "academic" for key in ACADEMIC)
    assert 5 <= len(ACADEMIC) <= 8 and len(set(ACADEMIC)) == len(ACADEMIC)  # a reading list, not a bibliography


def test_the_panel_of_experts_is_cited_by_its_reports_not_only_through_coverage():
    """Every parameter or episode citing coverage of a Panel report also cites the report by its symbol."""
    sources = registry.sources()
    coverage = {key for key in sources if "_poe_" in key and sources[key].kind == "secondary"}
    coverage |= {"upi_2021_sts", "upi_2020_it", "nknews_2023_it"}  # coverage of Panel reports, named otherwise
    citing = [(p.name, {s.key for s in p.sources}) for p in PARAMETERS]
    citing += [(e.name, {s.key for s in e.sources}) for e in history().episodes]
    checked = 0
    for name, keys in citing:
        if keys & coverage:
            checked += 1
            reports = [sources[k] for k in keys if sources[k].kind == "primary" and sources[k].symbol.startswith("S/")]
            assert reports, f"{name} cites coverage of a Panel report but not the report"
    assert checked >= 5
