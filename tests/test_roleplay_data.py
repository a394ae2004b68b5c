"""The role-play's cards and events agree with the registry: every lever on exactly one card."""

from collections import Counter

import pytest

import dprk_roleplay as roleplay
from model import registry
from model.params import Params


def test_every_lever_is_on_exactly_one_card():
    held = [lever for team in roleplay.teams().values() for lever in team.levers]
    held += list(roleplay.facilitator().levers)
    counts = Counter(held)
    assert {name for name, n in counts.items() if n > 1} == set()
    assert set(counts) == set(registry.names("lever"))


def test_five_teams_each_with_levers_and_an_objective():
    teams = roleplay.teams()
    assert list(teams) == ["china", "russia", "allies", "un", "dprk"]
    for team in teams.values():
        assert team.levers and team.terms and team.interests and team.red_lines
        assert sum(t.weight for t in team.terms) == pytest.approx(1.0)


def test_holder_names_the_card():
    for lever in registry.names("lever"):
        key = roleplay.holder(lever)
        cards = {**{k: t.levers for k, t in roleplay.teams().items()}, "facilitator": roleplay.facilitator().levers}
        assert lever in cards[key]


def test_events_change_real_levers_within_range():
    events = roleplay.events()
    assert {"ceasefire", "crypto_heist", "panel_restored", "border_incident"} <= set(events)
    for event in events.values():
        values = {k: v for k, v in event.set.items() if v != roleplay.ROUND_START}
        Params.from_overrides(values)  # raises on a value outside its range
        for name in event.add:
            assert registry.get(name).is_lever


def test_an_unknown_lever_on_a_card_is_refused():
    with pytest.raises(roleplay.RoleplayDataError, match="china_pipline_cut"):
        roleplay._check_lever("china_pipline_cut", "roles.toml team 'china'")
    with pytest.raises(roleplay.RoleplayDataError, match="not a lever"):
        roleplay._check_lever(registry.names("uncertainty")[0], "roles.toml team 'china'")
