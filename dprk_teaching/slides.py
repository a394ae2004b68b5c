"""The seminar's slides (PDF, 16:9): title, the hook, the presets compared, the debrief questions, sources.

The figures are drawn from the model with the plot helpers of :mod:`dprk_figures`, the questions come from
``dprk_roleplay/debrief.toml`` (through :func:`dprk_teaching.guide.questions`): the hook slides show the hook
questions, one debrief slide per debrief question. The points a good answer makes are the facilitator's
notes and are left off the slides (they are in the facilitator guide).

The hook is the puzzle of the suite: on recorded trade China is North Korea's lifeline, on all flows
Russia has become a second one since 2023. Its numbers are the model's, for the last history year.

Examples
--------
>>> from dprk_teaching.slides import slide_titles
>>> slide_titles()[0]
"North Korea's lifelines"
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from dprk_teaching.pages import (
    SLIDE_SIZE,
    Block,
    Line,
    Measure,
    Slot,
    bullets,
    check_target,
    compose,
    gap,
    paragraph,
    write_pages,
)
from model import registry

MARGIN_IN = 0.5
TITLE_PT = 30.0
BODY_PT = 20.0


@cache
def _model() -> dict[str, Any]:
    """The baseline's results and the headline numbers of every preset that projects (run once)."""
    from model.core import simulate
    from model.scenarios import BASELINE, load_preset, preset_names
    from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR, LAST_HISTORY_YEAR

    baseline = simulate(load_preset(BASELINE).params)
    presets = {}
    for name in preset_names():
        scenario = load_preset(name)
        if scenario.last_year >= FIRST_PROJECTION_YEAR:
            presets[name] = (scenario, simulate(scenario.params).headline(FOCUS_YEAR))
    return {
        "baseline": baseline,
        "history_year": LAST_HISTORY_YEAR,
        "focus_year": FOCUS_YEAR,
        "hook": baseline.headline(LAST_HISTORY_YEAR),
        "presets": presets,
        "provenance": [key for scenario, _ in presets.values() for key in scenario.provenance.get("sources", [])],
    }


def _questions(phase: str) -> list[str]:
    from dprk_teaching.guide import questions

    return [q["text"] for q in questions() if q["phase"] == phase]


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _hook_figure(figure: Any) -> None:
    """China's share of recorded trade against its and Russia's shares of all flows, 2013 to the last year."""
    from dprk_figures import lifelines as lp
    from dprk_figures import style
    from dprk_figures.lab import SHARE_STYLES, lab_series

    data = _model()
    results = data["baseline"]
    series = lab_series(results)
    ax = figure.add_subplot(figure.add_gridspec(1, 1, left=0.07, right=0.72, top=0.93, bottom=0.12)[0, 0])
    style.mark_projection(ax)
    shares = {
        "china_recorded": series["share_recorded"][:, 0],
        "china_all": series["share_all"][:, 0],
        "russia_all": series["share_all"][:, 1],
    }
    lp.series_lines(ax, results.years, shares, styles=SHARE_STYLES, lw=3)
    style.year_axis(ax, results.years)
    style.share_axis(ax)
    ax.set_ylim(0, 1.05)
    ax.tick_params(labelsize=14)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=14, frameon=False)
    ax.set_title("Shares of North Korea's flows (baseline: the status quo continues)", fontsize=15)


def _presets_figure(figure: Any) -> None:
    """Every projecting preset in the focus year: hard currency by partner, and the shares of all flows."""
    import numpy as np
    from matplotlib.ticker import FuncFormatter, MaxNLocator, PercentFormatter

    from dprk_figures import style

    data = _model()
    names = list(data["presets"])
    labels = [name.replace("-", " ") for name in names]
    grid = figure.add_gridspec(1, 2, left=0.17, right=0.99, top=0.88, bottom=0.2, wspace=0.45)
    ax_hc, ax_share = figure.add_subplot(grid[0, 0]), figure.add_subplot(grid[0, 1])
    y = np.arange(len(names))[::-1]
    for partner, key in (("china", "hard_currency_china_usd"), ("russia", "hard_currency_russia_usd")):
        offset = -0.2 if partner == "china" else 0.2
        values = [data["presets"][n][1][key] for n in names]
        ax_hc.barh(y - offset, values, 0.4, color=style.PARTNER_COLOURS[partner], label=style.PARTNER_LABELS[partner])
        shares = [data["presets"][n][1][f"lifeline_share_{partner}"] for n in names]
        ax_share.barh(y - offset, shares, 0.4, color=style.PARTNER_COLOURS[partner])
    for ax in (ax_hc, ax_share):
        ax.set_yticks(y, labels if ax is ax_hc else [""] * len(names))
        ax.tick_params(labelsize=13)
    ax_hc.xaxis.set_major_locator(MaxNLocator(4))
    ax_hc.xaxis.set_major_formatter(FuncFormatter(style.tick_usd))
    ax_share.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax_share.set_xlim(0, 1)
    year = data["focus_year"]
    ax_hc.set_title(f"Hard-currency earnings in {year} (USD/yr)", fontsize=15)
    ax_share.set_title(f"Share of all flows in {year}", fontsize=15)
    ax_hc.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=13, frameon=False)


def _slides() -> list[tuple[str, Callable[[float, Measure], list]]]:
    """(title, build) per slide; ``build(scale, measure)`` returns the slide's blocks."""
    data = _model()
    hook, year = data["hook"], data["history_year"]
    width_in = SLIDE_SIZE[0] - 2 * MARGIN_IN
    x = MARGIN_IN

    def text_slide(title: str, lines: list[str], kicker: str = "", size: float = BODY_PT, mark: str = "•"):
        def build(scale: float, measure: Measure) -> list:
            blocks = []
            if kicker:
                blocks.append(paragraph(measure, kicker, x, width_in, 14 * scale, colour="#555555"))
            blocks += [paragraph(measure, title, x, width_in, TITLE_PT * scale, bold=True), gap(14 * scale)]
            blocks.append(bullets(measure, lines, x, width_in, size * scale, mark=mark))
            return blocks

        return build

    def figure_slide(title: str, text: str, draw: Callable[[Any], None], kicker: str):
        def build(scale: float, measure: Measure) -> list:
            blocks = [
                paragraph(measure, kicker, x, width_in, 14 * scale, colour="#555555"),
                paragraph(measure, title, x, width_in, 26 * scale, bold=True),
                paragraph(measure, text, x, width_in, 17 * scale),
                gap(6),
            ]
            used = sum(block.height for block in blocks)
            blocks.append(Slot((SLIDE_SIZE[1] - 2 * MARGIN_IN) * 72 - used - 1, draw))
            return blocks

        return build

    slides = [
        (
            "North Korea's lifelines",
            text_slide(
                "North Korea's lifelines",
                [
                    "Who keeps North Korea's economy going under sanctions: China or Russia?",
                    "And on which measure: recorded trade, all flows, or hard currency?",
                    "A sanctions-scenario seminar with a simple, sourced model: every input is in "
                    "model/parameters.toml with its source or a stated assumption.",
                ],
                kicker="Seminar",
                mark="",
            ),
        )
    ]
    hook_questions = _questions("hook")
    puzzle = (
        f"In {year} China is {_percent(hook['recorded_trade_share_china'])} of North Korea's recorded trade, "
        f"but {_percent(hook['lifeline_share_china'])} of all its flows; Russia is "
        f"{_percent(hook['lifeline_share_russia'])} of all flows (model, {year})."
    )
    slides.append(
        (
            "Hook: who is the lifeline, on which measure?",
            figure_slide(
                hook_questions[0] if hook_questions else "Who is North Korea's lifeline?",
                puzzle,
                _hook_figure,
                "Hook",
            ),
        )
    )
    for question in hook_questions[1:]:
        slides.append(("Hook", text_slide(question, ["Write your answer down; we come back to it."], kicker="Hook")))
    presets_text = (
        "Each preset moves levers from 2025 (its settings and sources are on its handout); the numbers are the "
        f"model's for {data['focus_year']}."
    )
    slides.append(
        (
            "The presets compared",
            figure_slide("The presets compared", presets_text, _presets_figure, "What the levers do"),
        )
    )
    for number, question in enumerate(_questions("debrief"), start=1):
        slides.append((f"Debrief {number}", text_slide(question, [], kicker=f"Debrief, question {number}")))
    slides.append(("Sources", _sources_slide(width_in)))
    return slides


def _sources_slide(width_in: float) -> Callable[[float, Measure], list]:
    from dprk_teaching.guide import READING

    keys = list(dict.fromkeys([*_model()["provenance"], *READING]))
    known = registry.sources()

    def build(scale: float, measure: Measure) -> list:
        size = 11 * scale
        note = (
            "The presets' provenance and the seminar's reading. Every model input has its own source or stated "
            "assumption in model/parameters.toml (python -m model params lists them)."
        )
        blocks = [
            paragraph(measure, "Sources", MARGIN_IN, width_in, TITLE_PT * scale, bold=True),
            paragraph(measure, note, MARGIN_IN, width_in, 12 * scale, colour="#555555"),
            gap(8 * scale),
        ]
        for number, key in enumerate(keys, start=1):
            block = paragraph(measure, known[key].citation(), MARGIN_IN + 0.4, width_in - 0.4, size)
            blocks.append(Block((Line(MARGIN_IN, block.lines[0].y, f"[{number}]", size), *block.lines), block.height))
        return blocks

    return build


def slide_titles() -> list[str]:
    """The slides' titles in order (the deck's outline)."""
    return [title for title, _build in _slides()]


def slide_pages() -> list[Any]:
    """One matplotlib Figure per slide (16:9), each checked to fit."""
    measure = Measure()
    scales = [1.0 - 0.05 * k for k in range(10)]
    return [
        compose(SLIDE_SIZE, lambda scale, b=build: b(scale, measure), scales, f"the slide {title!r}", MARGIN_IN)
        for title, build in _slides()
    ]


def write_slides(path: str | Path, overwrite: bool = False) -> Path:
    """Write the deck as a PDF of 16:9 pages (13.333 x 7.5 in).

    Parameters
    ----------
    path : str or Path
        Target ending in ``.pdf``; its folder must exist.
    overwrite : bool
        Replace an existing file (only once the new one is complete).

    Returns
    -------
    Path

    Raises
    ------
    dprk_teaching.pages.PageError
        For a bad target; nothing is written then.
    """
    path = check_target(path, overwrite)
    return write_pages(slide_pages(), path, "North Korea's lifelines: seminar slides", overwrite)


__all__ = ["slide_pages", "slide_titles", "write_slides"]
