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


# ---------------------------------------------------------------------------------------------- one set of numbers
def _timetable(text: str, minutes: int) -> list[tuple[int, int, int, int]]:
    """The role-play rounds of the guide's timetable for a seminar of ``minutes``: (start, end, first, last year)."""
    import re

    section = text.split(f"## The {minutes}-minute seminar", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+)–(\d+) \| Round (\d+) \((\d{4})–(\d{4})\)", section, flags=re.M)
    assert [int(row[2]) for row in rows] == list(range(1, len(rows) + 1)), rows
    return [(int(a), int(b), int(first), int(last)) for a, b, _, first, last in rows]


def test_the_guide_the_app_and_the_notebooks_agree_on_rounds_years_and_minutes(tmp_path):
    import jupytext

    from dprk_apps.roleplay import RoleplayApp
    from dprk_roleplay.game import FIRST_PROJECTION_YEAR
    from dprk_teaching.texts import default_plan, plans

    text = (ROOT / guide.GUIDE).read_text(encoding="utf-8")
    assert len(plans()) >= 2
    for plan in plans().values():
        rounds = _timetable(text, plan.minutes)
        assert len(rounds) == plan.rounds, plan
        for number, (start, end, first, last) in enumerate(rounds):
            assert end - start == plan.round_minutes, (plan, number)
            assert first == FIRST_PROJECTION_YEAR + number * plan.years_per_round, (plan, number)
            assert last - first + 1 == plan.years_per_round, (plan, number)
        assert end <= plan.minutes
    # The app starts with the default plan, and says so.
    app = RoleplayApp(folder=tmp_path / "exports", state_folder=tmp_path / "state")
    plan = default_plan()
    assert (app.rounds_box.value, app.years_box.value) == (plan.rounds, plan.years_per_round)
    assert (app.game.setup.rounds, app.game.setup.years_per_round) == (plan.rounds, plan.years_per_round)
    # Notebook 00's outline: "N rounds, M min" per plan; notebook 08 states no count of its own.
    start = jupytext.read(ROOT / "notebooks" / "00_start_here.ipynb")
    outline = "\n".join(cell.source for cell in start.cells if cell.cell_type == "markdown")
    row = next(line for line in outline.splitlines() if "Role-play rounds" in line)
    cells = [cell.strip() for cell in row.strip("|").split("|")][1:]
    expected = [
        f"{p.rounds} rounds, {p.rounds * p.round_minutes} min"
        for p in sorted(plans().values(), key=lambda p: p.minutes)
    ]
    assert cells == expected
    roleplay = jupytext.read(ROOT / "notebooks" / "08_roleplay.ipynb")
    prose = "\n".join(cell.source for cell in roleplay.cells if cell.cell_type == "markdown").lower()
    for word in ("two", "three", "four", "five", "six", "eight", "ten", "twelve"):
        assert f"{word} rounds" not in prose and f"about {word} minutes" not in prose, word
    assert "roleplay_text.controls_markdown()" in "\n".join(c.source for c in roleplay.cells if c.cell_type == "code")
