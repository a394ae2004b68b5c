"""The facilitator guide's computed parts: the results that surprise, and the debrief bank with its numbers.

``seminar/facilitator_guide.md`` is prose written for teachers; the blocks between its ``guide:`` markers
are written by this module from the model, so no number in the guide is typed. Regenerate with
``python -m dprk_teaching.guide``; ``tests/test_guide.py`` fails when the guide is stale.
"""

from __future__ import annotations

import sys
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from dprk_teaching.texts import exit_ticket_lines, limits_lines
from model import registry
from model.core import simulate
from model.formatting import format_quantity, format_usd, significant
from model.params import Params
from model.scenarios import BASELINE, load_preset
from model.timeline import FOCUS_YEAR, LAST_HISTORY_YEAR

GUIDE = Path("seminar") / "facilitator_guide.md"
BLOCKS = ("surprises", "debrief", "exit_ticket", "limits", "reading", "print", "plans")
#: Further reading, by key of model/sources.toml: the resolutions, the vetoes, the monitoring reports, the flows.
READING = (
    "un_2017_res2397",
    "usun_2017_res2397",
    "scmp_2022_veto",
    "un_2024_poe_veto",
    "dpa_2025_msmt",
    "kbs_2025_msmt",
    "politico_2024_containers",
    "un_2024_poe_final",
    "rfa_2024_poe_workers",
    "pravda_2025_troops",
    "kbs_2025_bok",
    "kbs_2024_gacc",
    "nknews_2025_russia_trade",
    "fintechgarden_2025_bybit",
)
#: Academic work for a master's seminar, by key of model/sources.toml: books from university presses and
#: peer-reviewed articles on North Korea's economy, its trade with China and the sanctions.
ACADEMIC = (
    "haggard_noland_2017_hard_target",
    "haggard_noland_2007_famine",
    "kim_2017_unveiling",
    "hastings_2016_enterprising",
    "lankov_2013_real_north_korea",
    "haggard_noland_2018_networks",
    "berger_2016_military_markets",
    "jung_2016_diversion",
)

#: Russia enforcing every sanction it voted for: the counterfactual that measures how far it has moved.
RUSSIA_COMPLIES = {
    "russia_arms_enforcement": 1.0,
    "russia_oil_cap_enforcement": 1.0,
    "russia_labour_enforcement": 1.0,
    "russia_trade_enforcement": 1.0,
}
#: China enforcing every ban and cutting the pipeline, everything else as in the baseline.
CHINA_STRICT = {
    "china_pipeline_cut": 1.0,
    "china_export_ban_enforcement": 1.0,
    "china_import_ban_enforcement": 1.0,
    "china_smuggling_enforcement": 1.0,
    "china_labour_enforcement": 1.0,
}


@dataclass(frozen=True)
class Surprise:
    """One computed result: a heading, the sentence with its numbers, and how it was computed."""

    heading: str
    text: str
    method: str


def _headline(overrides: dict, year: int = FOCUS_YEAR) -> dict[str, float]:
    return simulate(Params.from_overrides(overrides)).headline(year)


def _preset(name: str, year: int = FOCUS_YEAR) -> dict[str, float]:
    return simulate(load_preset(name).params).headline(year)


def _usd_change(value: float) -> str:
    return format_quantity(value, "USD", difference=True)


def _pct(value: float) -> str:
    return f"{significant(value * 100, max_decimals=0)}%"


def _relative(value: float, base: float) -> str:
    return f"{significant((value - base) / base * 100, sign=True, max_decimals=1)}%"


def _points(change: float) -> str:
    return significant(change * 100, sign=True, max_decimals=1)


def _china_strict_levers() -> str:
    """The levers of China's strict enforcement, by title.

    Crude-cap compliance is left out: with the pipeline cut it changes nothing.
    """
    return "China's levers (" + "; ".join(registry.registry()[name].title for name in CHINA_STRICT) + ")"


def china_strict_flows() -> dict[str, float]:
    """Change in China's and Russia's flows (USD/yr, all flows) in the focus year with :data:`CHINA_STRICT`."""
    base, strict = _headline({}), _headline(CHINA_STRICT)
    return {
        partner: strict[f"lifeline_share_{partner}"] * strict["lifeline_total_usd"]
        - base[f"lifeline_share_{partner}"] * base["lifeline_total_usd"]
        for partner in ("china", "russia")
    }


def surprises() -> list[Surprise]:
    """The results a seminar finds surprising, each computed from the model now."""
    base = _preset(BASELINE)
    history = _preset("history", LAST_HISTORY_YEAR)
    result = []

    result.append(
        Surprise(
            "China is almost all of recorded trade, but not of the lifeline",
            f"In {LAST_HISTORY_YEAR} China holds {_pct(history['recorded_trade_share_china'])} of North Korea's "
            f"recorded trade but {_pct(history['lifeline_share_china'])} of all flows; Russia "
            f"{_pct(history['recorded_trade_share_russia'])} of recorded trade and "
            f"{_pct(history['lifeline_share_russia'])} of all flows. In the baseline's {FOCUS_YEAR} the figures are "
            f"{_pct(base['recorded_trade_share_china'])} and {_pct(base['lifeline_share_china'])} for China, "
            f"{_pct(base['recorded_trade_share_russia'])} and {_pct(base['lifeline_share_russia'])} for Russia.",
            "The history preset in its last history year, and the baseline preset in the focus year.",
        )
    )

    panel = _preset("monitoring-restored")
    result.append(
        Surprise(
            "Restoring the Panel of Experts moves little",
            f"With the Panel back, hard currency in {FOCUS_YEAR} is {format_usd(panel['hard_currency_total_usd'])} "
            f"against {format_usd(base['hard_currency_total_usd'])} in the baseline "
            f"({_relative(panel['hard_currency_total_usd'], base['hard_currency_total_usd'])}); China's share of all "
            f"flows changes by {_points(panel['lifeline_share_china'] - base['lifeline_share_china'])} points. "
            "Detection only matters where somebody then enforces.",
            "The monitoring-restored preset against the baseline, focus year.",
        )
    )

    complies = _headline(RUSSIA_COMPLIES)
    defects = _preset("russia-defects")
    key = "net_hard_currency_usd"
    span = defects[key] - complies[key]
    crossed = (base[key] - complies[key]) / span if span else float("nan")
    result.append(
        Surprise(
            'Russia\'s stance today already is most of "Russia defects"',
            f"North Korea's net hard currency (earnings less oil purchases) in {FOCUS_YEAR}: "
            f"{format_usd(complies[key])} if Russia enforced every sanction, {format_usd(base[key])} in the baseline, "
            f"{format_usd(defects[key])} in the russia-defects preset, all at today's war demand. Today's Russia has "
            f"crossed {_pct(crossed)} of the way from compliance to full defection.",
            "Russia's four enforcement levers at 1 (everything else at baseline) against the baseline and the "
            "russia-defects preset, which moves only Russia's own levers: the war's demand is the same at both ends.",
        )
    )

    strict = _headline(CHINA_STRICT)
    moved = china_strict_flows()
    result.append(
        Surprise(
            "China's strict enforcement lowers China's own weight",
            f"If China enforces every ban and cuts the pipeline, China's share of all flows in {FOCUS_YEAR} goes from "
            f"{_pct(base['lifeline_share_china'])} to {_pct(strict['lifeline_share_china'])} and Russia's from "
            f"{_pct(base['lifeline_share_russia'])} to {_pct(strict['lifeline_share_russia'])}; hard currency "
            f"changes by {_relative(strict['hard_currency_total_usd'], base['hard_currency_total_usd'])}. The flows "
            f"do not move to Russia: China's flows change by {_usd_change(moved['china'])} a year, Russia's by "
            f"{_usd_change(moved['russia'])}; most of what China blocks is lost.",
            f"{_china_strict_levers()} at 1, everything else at baseline; flows are each partner's share of all "
            "flows times their total.",
        )
    )

    ceasefire = _preset("ukraine-ceasefire")
    result.append(
        Surprise(
            "The war matters more than any single enforcer",
            f"A ceasefire changes hard currency in {FOCUS_YEAR} by "
            f"{_relative(ceasefire['hard_currency_total_usd'], base['hard_currency_total_usd'])}, China's strict "
            f"enforcement by {_relative(strict['hard_currency_total_usd'], base['hard_currency_total_usd'])}, "
            "restoring the Panel by "
            f"{_relative(panel['hard_currency_total_usd'], base['hard_currency_total_usd'])}.",
            f"The ukraine-ceasefire preset, {_china_strict_levers()} at 1, and monitoring-restored, each against "
            "the baseline.",
        )
    )
    return result


def surprises_markdown() -> str:
    """The "results that surprise" block of the guide."""
    lines = [
        f"Computed from the model (`python -m dprk_teaching.guide`); years: {LAST_HISTORY_YEAR} and {FOCUS_YEAR}.",
        "",
    ]
    for number, item in enumerate(surprises(), start=1):
        lines += [f"{number}. **{item.heading}.** {item.text} *How: {item.method}*", ""]
    return "\n".join(lines).rstrip()


def questions() -> list[dict]:
    """The hook and debrief questions of ``dprk_roleplay/debrief.toml``."""
    text = resources.files("dprk_roleplay").joinpath("debrief.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)["question"]


def debrief_markdown() -> str:
    """The question bank: every hook and debrief question with the points a good answer makes."""
    lines = []
    for phase, title in (("hook", "Hook (opening)"), ("debrief", "Debrief")):
        lines += [f"**{title}**", ""]
        for item in (q for q in questions() if q["phase"] == phase):
            lines.append(f"- *{item['text']}*")
            lines += [f"  - {point}" for point in item["points"]]
        lines.append("")
    return "\n".join(lines).rstrip()


def exit_ticket_markdown() -> str:
    """The exit ticket, in the words of ``dprk_teaching/seminar.toml`` (the slides show the same)."""
    prompt, template, note = exit_ticket_lines()
    return f'{prompt} *"{template}"* Collect them. {note}'


def limits_markdown() -> str:
    """What the model cannot tell you, in the words of ``dprk_teaching/seminar.toml`` (the slides show the same)."""
    cannot, can = limits_lines()
    return "\n".join([*(f"- {line}" for line in cannot), "", can])


def print_markdown() -> str:
    """What to print for the role-play, with the command that writes each (``seminar.toml``'s ``[plan]``)."""
    from dprk_roleplay import teams
    from dprk_teaching.texts import print_lines, seminar

    commands = seminar()["plan"]["text"]["print_commands"]
    lines = [f"- {line} `{command}`" for line, command in zip(print_lines(len(teams())), commands, strict=True)]
    return "\n".join(lines)


def plans_markdown() -> str:
    """The seminar plans (rounds, model years, minutes a round): the app and the timetables below follow them."""
    from dprk_teaching.roleplay_text import plan_lines

    return "\n".join(f"- {line}" for line in plan_lines())


def _reference(key: str) -> str:
    source = registry.sources()[key]
    return f"- {source.title}. *{source.publisher}*, {source.date}. <{source.url}>"


def reading_markdown() -> str:
    """Further reading: the documents, then the academic work; full citations from the bibliography."""
    lines = ["*The documents and the reporting on them:*", "", *map(_reference, READING), ""]
    lines += ["*Academic work:*", "", *map(_reference, ACADEMIC)]
    return "\n".join(lines)


def _markers(block: str) -> tuple[str, str]:
    return (
        f"<!-- guide:{block}:start (generated by python -m dprk_teaching.guide; do not edit) -->",
        f"<!-- guide:{block}:end -->",
    )


def render(text: str) -> str:
    """``text`` (the guide) with every generated block replaced by its current content."""
    makers = {
        "print": print_markdown,
        "plans": plans_markdown,
        "surprises": surprises_markdown,
        "debrief": debrief_markdown,
        "exit_ticket": exit_ticket_markdown,
        "limits": limits_markdown,
        "reading": reading_markdown,
    }
    for block in BLOCKS:
        start, end = _markers(block)
        head, found, rest = text.partition(start)
        if not found or end not in rest:
            raise ValueError(f"the guide has no {start} ... {end} block")
        _, _, tail = rest.partition(end)
        text = f"{head}{start}\n{makers[block]()}\n{end}{tail}"
    return text


def main(root: Path | None = None) -> int:
    """Rewrite the generated blocks of ``seminar/facilitator_guide.md``."""
    path = (root or Path.cwd()) / GUIDE
    from model.tidy import write_text

    write_text(path, render(path.read_text(encoding="utf-8")))
    registry.sources()  # fail here, not in a reader's browser, if the bibliography is broken
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
