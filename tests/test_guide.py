"""The facilitator guide's computed blocks are current, and the claims in their headings hold in the model."""

from pathlib import Path

from dprk_teaching import guide
from model import registry
from model.core import simulate
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR

ROOT = Path(__file__).resolve().parent.parent


def test_guide_is_current():
    text = (ROOT / guide.GUIDE).read_text(encoding="utf-8")
    assert guide.render(text) == text, "regenerate with `python -m dprk_teaching.guide`"


def _hc(overrides=None, preset=None):
    params = load_preset(preset).params if preset else guide.Params.from_overrides(overrides)
    return simulate(params).headline(FOCUS_YEAR)


def test_the_headings_claims_hold():
    base = _hc(preset=BASELINE)
    panel = _hc(preset="monitoring-restored")
    strict = _hc(guide.CHINA_STRICT)
    ceasefire = _hc(preset="ukraine-ceasefire")
    complies = _hc(guide.RUSSIA_COMPLIES)
    defects = _hc(preset="russia-defects")
    key = "hard_currency_total_usd"
    # "Restoring the Panel moves little": under 2% of hard currency.
    assert abs(panel[key] / base[key] - 1) < 0.02
    # "Russia's stance today already is most of Russia defects": over half the way.
    russia = "hard_currency_russia_usd"
    assert (base[russia] - complies[russia]) / (defects[russia] - complies[russia]) > 0.5
    # "China's strict enforcement lowers China's own weight".
    assert strict["lifeline_share_china"] < base["lifeline_share_china"]
    # "The war matters more than any single enforcer".
    assert abs(ceasefire[key] - base[key]) > abs(strict[key] - base[key]) > abs(panel[key] - base[key])
    # "almost all of recorded trade, but not of the lifeline".
    assert base["recorded_trade_share_china"] > 0.9 > 0.6 > base["lifeline_share_china"]


def test_debrief_bank_has_hook_and_debrief_questions_with_points():
    phases = [q["phase"] for q in guide.questions()]
    assert "hook" in phases and "debrief" in phases
    assert set(phases) == {"hook", "debrief"}
    assert all(q["points"] for q in guide.questions())


def test_reading_names_real_sources_with_addresses():
    text = guide.reading_markdown()
    for key in guide.READING:
        assert registry.sources()[key].url in text


def test_a_guide_without_its_markers_is_refused():
    import pytest

    with pytest.raises(ValueError, match="guide:surprises"):
        guide.render("no markers here")


def test_every_command_the_guide_names_exists():
    import re

    from dprk_cli import build_parser

    text = (ROOT / guide.GUIDE).read_text(encoding="utf-8")
    named = set(re.findall(r"python -m model (\w+)", text))
    assert {"cards", "slides", "handout", "static"} <= named
    commands = build_parser()._subparsers._group_actions[0].choices
    assert named <= set(commands), named - set(commands)
