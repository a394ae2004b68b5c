"""A scenario in a link, in process: every slider app shows its state's code and opens one exactly."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from dprk_apps.sharing import SHARING_JS
from model import registry
from model.params import Params
from model.scenario_code import decode, encode, scenario_code
from model.scenarios import load_preset
from tests.apps import slider_apps

APPS = slider_apps(uncertainty_draws=40)
CODE = encode({"china_smuggling_enforcement": 0.9, "monitoring_regime": "none", "war_demand_level": 1.4}, "baseline")


def _same(a: Params, b: Params) -> bool:
    return all(np.array_equal(a[n], b[n]) for n in registry.names())


@pytest.fixture(scope="module", params=sorted(APPS))
def app(request):
    return APPS[request.param]()


def test_the_link_holds_the_state_after_every_move(app):
    assert decode(app.share.link.code).preset == "baseline"
    name = next(iter(app.panel.controls))
    control = app.panel.controls[name]
    p = control.parameter
    control.value = p.choices[-1] if p.kind == "choice" else (not p.default if p.kind == "bool" else p.max)
    state = decode(app.share.link.code)
    assert _same(Params.from_overrides(state.values()), app.panel.params())


def test_a_code_in_the_address_opens_exactly_that_state(app):
    app.share.link.requested = CODE  # what the page sends when opened with ?s=CODE
    assert _same(app.panel.params(), decode(CODE).scenario(CODE).params)
    assert app.share.link.code == CODE  # the link now is the code it was opened with
    assert "Opened scenario" in app.share.message.value
    shown = set(app.panel.names) & {"china_smuggling_enforcement", "monitoring_regime", "war_demand_level"}
    hidden = 3 - len(shown)
    assert ("not shown" in app.share.message.value) == bool(hidden)


def test_a_bad_code_says_why_and_changes_nothing(app):
    before = app.panel.params()
    code_before = app.share.link.code
    for bad in ("1102-4J11-E00B-6", "hello!", "9999-9999"):
        app.share.entry.value = bad
        assert "scenario-code-refused" in app.share.message.value
        assert _same(app.panel.params(), before) and app.share.link.code == code_before
    assert app.errors.message == ""


def test_a_typed_code_opens_like_a_link():
    lab = APPS["05"]()
    code = scenario_code(load_preset("max-pressure"))
    lab.share.entry.value = code.lower().replace("-", " ")
    assert _same(lab.panel.params(), load_preset("max-pressure").params)
    assert lab.share.link.code == code


def test_the_page_sends_only_the_scenario_code_to_the_kernel():
    source = SHARING_JS.read_text(encoding="utf-8")
    reads = re.findall(r"searchParams\.get\('([^']*)'\)", source)
    assert reads == ["s"]
    assert "model.set('requested'" in source and source.count("model.set(") == 1
    assert "CODE.test(requested)" in source  # anything that is not code-shaped never leaves the page


def test_opening_links_costs_the_kernel_no_import():
    code = (
        "import sys; from dprk_apps.lab import LabApp; app = LabApp(); app.share.link.requested = "
        f"{CODE!r}; print(sorted(m for m in sys.modules if m.split('.')[0] in ('voila', 'jupyter_server')))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
