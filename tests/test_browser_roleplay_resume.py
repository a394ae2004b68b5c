"""A role-play game that never dies, in Chromium on the class server (``./suite class``, ``ClassServer``).

Three rounds played in the facilitator's app (08); the page reloaded and the class server restarted, each time
the game resumed at round 3 with the same scoreboard; one team's entry of round 3 undone without touching the
others; the end state exported and loaded in 07 with every lever of the model (all 27) at the game's values. The
expected scores and values are computed here with the role-play engine from the same entries.

Browser tests drive Debian's Chromium (never ``playwright install``) and fail, never skip, without it.
"""

from __future__ import annotations

import pytest

from classroom.launch import ClassServer
from dprk_apps.controls import _readout_format
from dprk_apps.exports import EXPORT_FOLDER_VARIABLE
from dprk_apps.uncertainty import LEVERS as LEVERS_07
from dprk_roleplay import game as rules
from dprk_roleplay import teams
from dprk_roleplay.autosave import STATE_VARIABLE, saved_games
from dprk_teaching.handout import value_text
from dprk_teaching.texts import default_plan
from model import registry
from model.scenarios import loads

ROLEPLAY = "/voila/render/08_roleplay.ipynb"
UNCERTAINTY = "/voila/render/07_uncertainty.ipynb"
#: What the teams type, round by round (as a facilitator types it into the value boxes).
ENTRIES = (
    {"russia": {"russia_arms_enforcement": 1.0}},
    {"china": {"china_smuggling_enforcement": 0.5}},
    {"china": {"china_pipeline_cut": 0.5}, "russia": {"russia_labour_enforcement": 0.5}},
)
#: China's corrected entry of round 3, after its first one is undone.
CORRECTED = {"china": {"china_pipeline_cut": 0.25}}
WAIT_MS = 120_000


def shown(name: str, value: float) -> str:
    """A lever's value as its value box shows it (the controls' own format)."""
    parameter = registry.get(name)
    return str(int(value)) if parameter.kind == "int" else format(float(value), _readout_format(parameter))


def expected_game(entries) -> rules.Game:
    game = rules.new_game(tuple(teams()), default_plan().rounds, default_plan().years_per_round)
    for choices in entries:
        game = rules.play(game, choices)
    return game


def scoreboard(page) -> dict[str, float]:
    """Every round score and total on the page, by ``data-key`` (``score.china``, ``total.china`` ...)."""
    return page.evaluate(
        "() => Object.fromEntries([...document.querySelectorAll('.roleplay-scoreboard td[data-key]')]"
        ".map(td => [td.dataset.key, parseFloat(td.dataset.value)]))"
    )


def status_has(page, text: str) -> None:
    page.wait_for_function(
        "t => (document.querySelector('.roleplay-status') || {innerText: ''}).innerText.includes(t)",
        arg=text,
        timeout=WAIT_MS,
    )


def open_roleplay(page, server: ClassServer) -> None:
    # The role-play is the facilitator's: it opens with the lecturer's code (a student's is refused).
    page.goto(f"{server.base}{ROLEPLAY}?token={server.lecturer_code}", timeout=WAIT_MS)
    page.locator(".roleplay-play").wait_for(state="visible", timeout=WAIT_MS)


def type_lever(page, team: str, name: str, value: float) -> None:
    page.locator(".lm-TabBar-tab", has_text=teams()[team].short).first.click()
    box = page.locator(f".param-{name}-text input")
    box.wait_for(state="visible", timeout=30_000)
    box.fill(str(value))
    box.press("Enter")
    page.wait_for_function(
        "([cls, v]) => document.querySelector(cls).value === v",
        arg=[f".param-{name}-text input", shown(name, value)],
        timeout=30_000,
    )


def play_round(page, number: int, rounds: int) -> None:
    page.locator(".roleplay-play").click()
    status_has(page, f"round {number + 1} of {rounds}" if number < rounds else f"All {rounds} rounds played")


def resume(page, played: int) -> None:
    """Press "Resume game from round N" (the newest saved game); fails naming what the page shows instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            "t => { const b = document.querySelector('.roleplay-resume');"
            " return b && b.offsetParent !== null && b.innerText.includes(t); }",
            arg=f"Resume game from round {played}",
            timeout=WAIT_MS,
        )
    except PlaywrightTimeout:
        shown = page.evaluate(
            "() => [...document.querySelectorAll('.roleplay-resume-box, .roleplay-status, .roleplay-file-errors')]"
            ".map(e => e.className + ': ' + (e.offsetParent === null ? '(hidden) ' : '') + e.innerText)"
        )
        raise AssertionError(f"no 'Resume game from round {played}' on the page: {shown}") from None
    page.locator(".roleplay-resume").click()
    page.wait_for_function(
        "() => document.querySelectorAll('.roleplay-scoreboard td[data-key]').length > 0", timeout=WAIT_MS
    )


@pytest.mark.browser
def test_a_game_resumes_after_reload_and_restart_undoes_one_entry_and_loads_in_07(browser, tmp_path, monkeypatch):
    plan = default_plan()
    assert plan.rounds == len(ENTRIES), "the test plays the default plan's rounds"
    monkeypatch.setenv(EXPORT_FOLDER_VARIABLE, str(tmp_path / "exports"))
    monkeypatch.setenv(STATE_VARIABLE, str(tmp_path / "state"))
    (tmp_path / "exports").mkdir()
    server = ClassServer(students=1, apps="08_roleplay", log=tmp_path / "class.log", plain=False)
    server.start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    try:
        page = context.new_page()
        open_roleplay(page, server)
        status_has(page, f"Next: round 1 of {plan.rounds}")
        for number, choices in enumerate(ENTRIES, start=1):
            for team, levers in choices.items():
                for name, value in levers.items():
                    type_lever(page, team, name, value)
            play_round(page, number, plan.rounds)
        played = scoreboard(page)
        three = expected_game(ENTRIES)
        assert played == {
            **{f"total.{k}": v for k, v in three.totals().items()},
            **{f"score.{k}": o.score for k, o in three.rounds[-1].outcomes.items()},
        }

        # The round is on the server's disk (it is saved before the page shows it).
        saved = saved_games(tmp_path / "state")
        assert len(saved) == 1 and saved[0].game.played == plan.rounds
        assert saved[0].game.totals() == three.totals()

        # A reloaded page: a new kernel, the game offered from round 3 with the same scoreboard.
        page.reload(timeout=WAIT_MS)
        page.locator(".roleplay-play").wait_for(state="visible", timeout=WAIT_MS)
        resume(page, plan.rounds)
        assert scoreboard(page) == played
        status_has(page, f"All {plan.rounds} rounds played")

        # The class server restarted (same port, code and folders): the same again.
        server.stop()
        server.start()
        open_roleplay(page, server)
        resume(page, plan.rounds)
        assert scoreboard(page) == played

        # China's entry of round 3 undone: Russia's entry of that round stays in its tab.
        page.locator(".roleplay-undo-team select").select_option(label=teams()["china"].short)
        page.locator(".roleplay-undo-entry").click()
        status_has(page, f"Round {plan.rounds} taken back")
        page.locator(".lm-TabBar-tab", has_text=teams()["russia"].short).first.click()
        assert page.locator(".param-russia_labour_enforcement-text input").input_value() == shown(
            "russia_labour_enforcement", 0.5
        )
        page.locator(".lm-TabBar-tab", has_text=teams()["china"].short).first.click()
        assert page.locator(".param-china_pipeline_cut-text input").input_value() == shown("china_pipeline_cut", 0.0)
        assert page.locator(".param-china_smuggling_enforcement-text input").input_value() == shown(
            "china_smuggling_enforcement", 0.5
        )
        type_lever(page, "china", "china_pipeline_cut", CORRECTED["china"]["china_pipeline_cut"])
        play_round(page, plan.rounds, plan.rounds)
        corrected = expected_game([*ENTRIES[:-1], {**ENTRIES[-1], **CORRECTED}])
        final = scoreboard(page)
        assert final == {
            **{f"total.{k}": v for k, v in corrected.totals().items()},
            **{f"score.{k}": o.score for k, o in corrected.rounds[-1].outcomes.items()},
        }
        assert final != played  # the corrected entry counts; Russia's kept entry is in the scores above

        # The end state exported, as a download, and loaded in 07: every lever at the game's values.
        with page.expect_download(timeout=WAIT_MS) as download:
            page.locator(".roleplay-export").click()
        exported = tmp_path / download.value.suggested_filename
        download.value.save_as(exported)
        scenario = loads(exported.read_bytes(), exported.name, exported.suffix)
        values = corrected.values()
        levers = registry.names("lever")
        assert set(scenario.overrides) == set(values) == set(levers)
        for name in levers:
            assert registry.get(name).coerce(scenario.overrides[name]) == registry.get(name).coerce(values[name])
        analysis = context.new_page()
        analysis.goto(f"{server.base}{UNCERTAINTY}?token={server.code}", timeout=WAIT_MS)
        upload = analysis.locator(".file-picker-button")
        upload.wait_for(state="visible", timeout=2 * WAIT_MS)
        with analysis.expect_file_chooser(timeout=WAIT_MS) as chooser:
            upload.click()
        chooser.value.set_files(str(exported))
        analysis.wait_for_function(
            "n => document.querySelector('.scenario-upload').innerText.includes(n)", arg=exported.name, timeout=WAIT_MS
        )
        assert "scenario-upload-error" not in (analysis.locator(".scenario-upload").get_attribute("class") or "")
        for name in LEVERS_07:  # the levers 07 has a control for
            parameter = registry.get(name)
            if parameter.kind == "choice":
                got = analysis.evaluate(
                    "c => { const s = document.querySelector(c); return s.options[s.selectedIndex].text; }",
                    f".param-{name} select",
                )
                assert got.replace("\xa0", " ") == parameter.choice_labels[int(parameter.coerce(values[name]))], name
            else:
                got = analysis.locator(f".param-{name}-text input").input_value()
                assert got == shown(name, parameter.coerce(values[name])), name
        hidden = analysis.evaluate(
            "() => [...document.querySelectorAll('.scenario-hidden-values li')].map(li => li.textContent.trim())"
        )
        rest = [name for name in levers if name not in LEVERS_07]
        assert sorted(hidden) == sorted(
            f"{registry.get(n).title}: {value_text(n, registry.get(n).coerce(values[n]))}" for n in rest
        )
        assert len(LEVERS_07) + len(hidden) == len(levers)
    finally:
        context.close()
        server.stop()
