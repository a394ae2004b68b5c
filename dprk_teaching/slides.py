"""The seminar's slides: one deck description, written as a PDF (16:9) and as an editable PowerPoint file.

The deck is a list of :class:`Slide` objects (title, kicker, a lead paragraph, bullets, the title slide's
fields, an optional figure drawn by a function, a numbered source list, speaker notes), built by
:func:`deck`. It is laid out once by :mod:`dprk_teaching.pages` (every line measured; content that does
not fit is refused) and then rendered twice: :func:`write_slides` writes the PDF, :func:`write_pptx` a
PowerPoint file whose text is real text boxes a lecturer can edit and whose charts are pictures
rendered by matplotlib, at the same places and sizes as on the PDF's pages.

Where the content comes from:

* the title slide: ``dprk_teaching/seminar.toml``, with the fields Lecturer, Course and Date;
* the hook: the questions of ``dprk_roleplay/debrief.toml``, each on its own slide; the first is followed by
  a separate slide revealing the model's numbers for the last history year;
* the teams, the round, the veto rule and the event cards: :mod:`dprk_roleplay` (its teams, events and,
  where the engine states them, the Security Council levers and the teams that may veto) and its engine's
  limits; the slides follow any change there;
* the debrief questions (one slide each; the points a good answer makes are the speaker notes, never on the
  slide), the results that surprise (computed by :func:`dprk_teaching.guide.surprises`), the exit ticket and
  what the model cannot tell you (``seminar.toml``, shared with the facilitator guide), and the sources.

Every number on a slide is the model's or the engine's, formatted by :mod:`model.formatting`.

Examples
--------
>>> from dprk_teaching.slides import slide_titles
>>> slide_titles()[0]
"North Korea's lifelines"
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dprk_internals.pptx_bullets import bullet
from dprk_teaching.pages import (
    SLIDE_SIZE,
    Block,
    Line,
    Measure,
    PageError,
    Slot,
    bullets,
    check_target,
    gap,
    height_of,
    inside_page,
    paragraph,
    place,
    write_pages,
)
from dprk_teaching.texts import exit_ticket_lines, limits_lines, seminar
from model import registry
from model.formatting import format_quantity

MARGIN_IN = 0.5
TITLE_PT = 30.0
BODY_PT = 20.0
KICKER_PT = 14.0
GREY = "#555555"
#: Text scales tried for each slide, largest first.
SCALES = tuple(1.0 - 0.05 * k for k in range(10))
DECK_TITLE = "North Korea's lifelines: seminar slides"
#: Citations per sources slide (readable from the back of a room).
SOURCES_PER_SLIDE = 6
#: What a title-slide field shows before it is filled in.
BLANK = "________________"


@dataclass(frozen=True)
class Slide:
    """One slide of the deck, independent of the format it is written in.

    Parameters
    ----------
    title : str
        The slide's title (PowerPoint's title placeholder; the first line of the PDF page).
    kicker : str
        A small grey line above the title (the section).
    lead : str
        A paragraph under the title.
    bullets : tuple of str
        The body, one bullet each.
    fields : tuple of (str, str)
        Label and value lines (the title slide's Lecturer, Course, Date).
    draw : callable, optional
        ``draw(figure)`` draws a chart into a figure (a SubFigure on the PDF page, a Figure rendered to a
        PNG picture for PowerPoint) of the space left under the text.
    references : tuple of str
        Keys of ``model/sources.toml``, listed as numbered full citations.
    footer : str
        A small grey paragraph at the foot of the text.
    notes : str
        Speaker notes (PowerPoint's notes; not printed on the PDF).
    """

    title: str
    kicker: str = ""
    lead: str = ""
    bullets: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    draw: Callable[[Any], None] | None = None
    references: tuple[str, ...] = ()
    footer: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Part:
    """One laid-out piece of a slide: the PDF block and what PowerPoint needs to write the same text."""

    role: str  # "text", "figure" or "gap"
    block: Block | Slot
    paragraphs: tuple[tuple[str, float, bool, str, str], ...] = ()  # (text, size pt, bold, colour, bullet mark)


# ---------------------------------------------------------------------------------------------- the model's numbers
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


#: The hook's reveal: (label, key of Results.headline, unit), for the last history year.
HOOK_NUMBERS = (
    ("China's share of recorded trade", "recorded_trade_share_china", "fraction"),
    ("Russia's share of recorded trade", "recorded_trade_share_russia", "fraction"),
    ("China's share of all flows", "lifeline_share_china", "fraction"),
    ("Russia's share of all flows", "lifeline_share_russia", "fraction"),
    ("Hard currency earned via China", "hard_currency_china_usd", "USD/yr"),
    ("Hard currency earned via Russia", "hard_currency_russia_usd", "USD/yr"),
)


def hook_numbers() -> dict[str, str]:
    """The reveal slide's numbers as shown, by headline key: the model's baseline in the last history year."""
    hook = _model()["hook"]
    return {key: format_quantity(hook[key], unit) for _label, key, unit in HOOK_NUMBERS}


def _questions(phase: str) -> list[dict]:
    from dprk_teaching.guide import questions

    return [q for q in questions() if q["phase"] == phase]


# ---------------------------------------------------------------------------------------------- figures
def _hook_figure(figure: Any) -> None:
    """China's share of recorded trade against its and Russia's shares of all flows, 2013 to the last year."""
    from dprk_figures import lifelines as lp
    from dprk_figures import style
    from dprk_figures.lab import SHARE_STYLES, lab_series

    results = _model()["baseline"]
    series = lab_series(results)
    ax = figure.add_subplot(figure.add_gridspec(1, 1, left=0.07, right=0.72, top=0.9, bottom=0.12)[0, 0])
    style.mark_projection(ax)
    shares = {
        "china_recorded": series["share_recorded"][:, 0],
        "china_all": series["share_all"][:, 0],
        "russia_all": series["share_all"][:, 1],
    }
    lp.series_lines(ax, results.years, shares, styles=SHARE_STYLES, lw=3)
    style.year_axis(ax, results.years)
    style.share_axis(ax)
    ax.tick_params(labelsize=14)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=14, frameon=False)
    ax.set_title("Shares of North Korea's flows (baseline)", fontsize=15, loc="left")


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


# ---------------------------------------------------------------------------------------------- the deck
def _title_slide(lecturer: str, course: str, date: str) -> Slide:
    text = seminar()["title"]
    values = dict(zip(text["fields"], (lecturer, course, date), strict=True))
    return Slide(
        text["title"],
        kicker="Seminar",
        lead=text["subtitle"],
        fields=tuple((label, value.strip() or BLANK) for label, value in values.items()),
        footer=text["tagline"],
        notes="Fill in the lecturer, the course and the date (or give --lecturer, --course and --date).",
    )


def _hook_slides() -> list[Slide]:
    text = seminar()["hook"]
    data = _model()
    questions = _questions("hook")
    slides = []
    for number, question in enumerate(questions, start=1):
        slides.append(
            Slide(
                question["text"],
                kicker=f"Hook, question {number} of {len(questions)}",
                bullets=tuple(text["prompt"]),
                notes="Points a good answer makes:\n" + "\n".join(f"- {p}" for p in question["points"]),
            )
        )
        if number == 1:
            shown, year = hook_numbers(), data["history_year"]
            slides.append(
                Slide(
                    text["reveal_title"],
                    kicker=text["reveal_kicker"],
                    lead=f"The model in {year}, the last year with observations:",
                    bullets=tuple(f"{label}: {shown[key]}" for label, key, _unit in HOOK_NUMBERS),
                    draw=_hook_figure,
                    notes="China dominates what customs record; on all flows Russia is a second lifeline. "
                    "Which measure you count decides the answer.",
                )
            )
    return slides


def _teams_slide() -> Slide:
    import dprk_roleplay as roleplay

    lines = [f"{team.title}: {team.objective}" for team in roleplay.teams().values()]
    host = roleplay.facilitator()
    lines.append(f"{host.title}: plays the world events no team decides.")
    return Slide(
        "The teams and their objectives",
        kicker="The role-play",
        lead="Each team holds exactly the levers on its card, and no others; every lever of the model is on one card.",
        bullets=tuple(lines),
        notes="\n".join(
            f"{team.title}: {', '.join(registry.get(n).title for n in team.levers)}"
            for team in roleplay.teams().values()
        ),
    )


def _round_slide() -> Slide:
    from dprk_roleplay import game
    from dprk_teaching.cards import SCORING_RULE

    text = seminar()["rounds"]
    values = {
        "rounds_max": game.MAX_ROUNDS,
        "years_max": game.MAX_YEARS_PER_ROUND,
        "first_year": game.FIRST_PROJECTION_YEAR,
        "points": f"{game.POINTS:g}",
    }
    return Slide(
        text["title"],
        kicker="The role-play",
        bullets=tuple(step.format(**values) for step in text["steps"]),
        notes=SCORING_RULE,
    )


def _veto_slide() -> Slide:
    import dprk_roleplay as roleplay

    text = seminar()["veto"]
    council = getattr(roleplay, "council_levers", lambda: ())()
    vetoers = getattr(roleplay, "veto_teams", lambda: ())()
    if council and vetoers:
        teams = roleplay.teams()
        rule = text["rule"].format(
            levers=_joined([registry.get(name).title.lower() for name in council]),
            teams=_joined([teams[key].title for key in vetoers]),
        )
    else:
        rule = text["fallback"]
    council_events = [e.title for e in roleplay.events().values() if getattr(e, "council", False)]
    lines = [rule]
    if council_events:
        lines.append(
            f"The same holds for the event card{'s' if len(council_events) > 1 else ''} {_joined(council_events)}."
        )
    lines.append(text["advice"])
    return Slide(text["title"], kicker="The role-play", bullets=tuple(lines))


def _events_slide() -> Slide:
    import dprk_roleplay as roleplay

    text = seminar()["events"]
    lines = []
    for event in roleplay.events().values():
        lasting = "" if event.rounds is None else f" (for {event.rounds} round{'s' if event.rounds != 1 else ''})"
        council = f" ({text['council']})" if getattr(event, "council", False) else ""
        lines.append(f"{event.title}{lasting}{council}")
    return Slide(
        text["title"],
        kicker="The role-play",
        bullets=tuple(lines),
        notes="\n".join(f"{e.title}: {e.description}" for e in roleplay.events().values()),
    )


def _presets_slide() -> Slide:
    data = _model()
    return Slide(
        "The presets compared",
        kicker="What the levers do",
        lead="Each preset moves levers from the first projection year (its settings and sources are on its handout); "
        f"the numbers are the model's for {data['focus_year']}.",
        draw=_presets_figure,
    )


def _debrief_slides() -> list[Slide]:
    prompt = seminar()["debrief"]["prompt"]
    questions = _questions("debrief")
    return [
        Slide(
            question["text"],
            kicker=f"Debrief, question {number} of {len(questions)}",
            bullets=(prompt,),
            notes="Points a good answer makes:\n" + "\n".join(f"- {p}" for p in question["points"]),
        )
        for number, question in enumerate(questions, start=1)
    ]


def _surprise_slides() -> list[Slide]:
    from dprk_teaching.guide import surprises

    title = seminar()["surprises"]["title"]
    found = surprises()
    return [
        Slide(item.heading, kicker=f"{title}, {number} of {len(found)}", lead=item.text, notes=f"How: {item.method}")
        for number, item in enumerate(found, start=1)
    ]


def _closing_slides() -> list[Slide]:
    ticket = seminar()["exit_ticket"]
    prompt, template, note = exit_ticket_lines()
    cannot, can = limits_lines()
    return [
        Slide(seminar()["limits"]["title"], kicker="Before you conclude", bullets=tuple(cannot), footer=can),
        Slide(ticket["title"], kicker="Before you leave", lead=prompt, bullets=(template,), footer=note),
    ]


def _source_slides() -> list[Slide]:
    from dprk_teaching.guide import ACADEMIC, READING

    cited = list(dict.fromkeys([*_model()["provenance"], *READING]))
    chunks = [tuple(cited[start : start + SOURCES_PER_SLIDE]) for start in range(0, len(cited), SOURCES_PER_SLIDE)]
    footer = (
        "The presets' provenance and the seminar's documents. Every model input has its own source or stated "
        "assumption (python -m model params lists them)."
    )
    slides = [
        Slide(
            "Sources" + (f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""),
            references=chunk,
            footer=footer,
        )
        for number, chunk in enumerate(chunks, start=1)
    ]
    reading = [ACADEMIC[start : start + SOURCES_PER_SLIDE] for start in range(0, len(ACADEMIC), SOURCES_PER_SLIDE)]
    further = [
        Slide(
            "Further reading" + (f" ({number} of {len(reading)})" if len(reading) > 1 else ""),
            kicker="Academic work",
            references=tuple(chunk),
        )
        for number, chunk in enumerate(reading, start=1)
    ]
    return [*slides, *further]


def deck(lecturer: str = "", course: str = "", date: str = "") -> list[Slide]:
    """The seminar's slides in order.

    Parameters
    ----------
    lecturer, course, date : str
        The title slide's fields; empty ones are left as a line to fill in.

    Returns
    -------
    list of Slide
    """
    return [
        _title_slide(lecturer, course, date),
        *_hook_slides(),
        _teams_slide(),
        _round_slide(),
        _veto_slide(),
        _events_slide(),
        _presets_slide(),
        *_debrief_slides(),
        *_surprise_slides(),
        *_closing_slides(),
        *_source_slides(),
    ]


def _joined(items: Sequence[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# ---------------------------------------------------------------------------------------------- layout
def _parts(slide: Slide, scale: float, measure: Measure) -> list[Part]:
    """The slide's pieces from the top, at text scale ``scale``."""
    x, width = MARGIN_IN, SLIDE_SIZE[0] - 2 * MARGIN_IN
    body = (BODY_PT if slide.draw else BODY_PT * 1.2) * scale
    parts: list[Part] = []

    def text(content: str, size: float, bold: bool = False, colour: str = "#000000") -> None:
        block = paragraph(measure, content, x, width, size, bold=bold, colour=colour)
        parts.append(Part("text", block, ((content, size, bold, colour, ""),)))

    if slide.kicker:
        text(slide.kicker, KICKER_PT * scale, colour=GREY)
    title_pt = (26 if slide.draw else TITLE_PT * 1.1) * scale
    text(slide.title, title_pt, bold=True)
    parts.append(Part("gap", gap(12 * scale)))
    if slide.lead:
        text(slide.lead, body * (0.9 if slide.draw else 1.0))
        parts.append(Part("gap", gap(8 * scale)))
    if slide.bullets:
        size = body * (0.85 if slide.draw else 1.0)
        block = bullets(measure, slide.bullets, x, width, size)
        parts.append(Part("text", block, tuple((item, size, False, "#000000", "•") for item in slide.bullets)))
    for label, value in slide.fields:
        text(f"{label}: {value}", body * 1.1)
        parts.append(Part("gap", gap(10 * scale)))
    if slide.references:
        size = 14 * scale
        known = registry.sources()
        lines, paragraphs, top = [], [], 0.0
        for number, key in enumerate(slide.references, start=1):
            citation = known[key].citation()
            block = paragraph(measure, citation, x + 0.45, width - 0.45, size)
            lines += [Line(x, block.lines[0].y + top, f"[{number}]", size)]
            lines += [Line(line.x, line.y + top, line.text, size) for line in block.lines]
            top += block.height + size * 0.25
            paragraphs.append((f"[{number}] {citation}", size, False, "#000000", ""))
        parts.append(Part("text", Block(tuple(lines), top), tuple(paragraphs)))
    if slide.footer:
        parts.append(Part("gap", gap(10 * scale)))
        text(slide.footer, max(11.0, body * 0.7), colour=GREY)
    if slide.draw is not None:
        parts.append(Part("gap", gap(6)))
        used = height_of(part.block for part in parts)
        parts.append(Part("figure", Slot((SLIDE_SIZE[1] - 2 * MARGIN_IN) * 72 - used - 1, slide.draw)))
    return parts


@dataclass(frozen=True)
class Laid:
    """A slide laid out: its pieces at the scale that fits, and the PDF page."""

    slide: Slide
    parts: tuple[Part, ...]
    page: Any


def _lay_out(slide: Slide, measure: Measure) -> Laid:
    available = (SLIDE_SIZE[1] - 2 * MARGIN_IN) * 72
    for scale in SCALES:
        parts = _parts(slide, scale, measure)
        if height_of(part.block for part in parts) > available:
            continue
        if any(isinstance(p.block, Slot) and p.block.height < 150 for p in parts):
            continue  # a chart needs at least about two inches
        page = place(SLIDE_SIZE, [part.block for part in parts], MARGIN_IN)
        if inside_page(page, MARGIN_IN):
            return Laid(slide, tuple(parts), page)
    raise PageError(f"the slide {slide.title!r} does not fit on one slide even with smaller text: shorten its text.")


def laid_out(lecturer: str = "", course: str = "", date: str = "") -> list[Laid]:
    """Every slide of :func:`deck` laid out (the one layout both formats are written from)."""
    measure = Measure()
    return [_lay_out(slide, measure) for slide in deck(lecturer, course, date)]


def slide_titles() -> list[str]:
    """The slides' titles in order (the deck's outline)."""
    return [slide.title for slide in deck()]


def slide_pages(lecturer: str = "", course: str = "", date: str = "") -> list[Any]:
    """One matplotlib Figure per slide (16:9), each checked to fit."""
    return [laid.page for laid in laid_out(lecturer, course, date)]


# ---------------------------------------------------------------------------------------------- PowerPoint
def _figure_png(draw: Callable[[Any], None], width_in: float, height_in: float) -> bytes:
    """A chart drawn by ``draw`` into a figure of the given size, as PNG bytes (200 dpi)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from dprk_figures import style

    with mpl.rc_context(style.RC):
        figure = Figure(figsize=(width_in, height_in), dpi=200)
        draw(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=200, facecolor="white")
    return buffer.getvalue()


def _fill(frame: Any, paragraphs: Sequence[tuple[str, float, bool, str, str]]) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    frame.word_wrap = True
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for number, (content, size, bold, colour, mark) in enumerate(paragraphs):
        para = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        para.text = content
        if mark:
            bullet(para, mark, size)
            para.space_after = Pt(size * 0.2)
        for run in para.runs:
            run.font.size = Pt(size)
            run.font.bold = bold
            run.font.color.rgb = RGBColor.from_string(colour.lstrip("#").upper())


def pptx_bytes(laid: Sequence[Laid]) -> bytes:
    """The laid-out deck as a PowerPoint file (16:9): text boxes with the slides' text, charts as pictures."""
    from pptx import Presentation
    from pptx.util import Inches, Pt

    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(SLIDE_SIZE[0]), Inches(SLIDE_SIZE[1])
    presentation.core_properties.title = DECK_TITLE
    presentation.core_properties.author = ""
    layout = presentation.slide_layouts[5]  # "Title Only": the title is the slide's real title placeholder
    width = SLIDE_SIZE[0] - 2 * MARGIN_IN
    for item in laid:
        page = presentation.slides.add_slide(layout)
        top = MARGIN_IN * 72  # points
        title_done = False
        for part in item.parts:
            height = part.block.height
            if part.role == "figure":
                png = _figure_png(part.block.draw, width, height / 72)
                page.shapes.add_picture(io.BytesIO(png), Inches(MARGIN_IN), Pt(top), Inches(width), Pt(height))
            elif part.role == "text":
                is_title = not title_done and part.paragraphs[0][0] == item.slide.title
                if is_title:
                    shape = page.shapes.title
                    shape.left, shape.top, shape.width, shape.height = (
                        Inches(MARGIN_IN),
                        Pt(top),
                        Inches(width),
                        Pt(height),
                    )
                    title_done = True
                else:
                    shape = page.shapes.add_textbox(Inches(MARGIN_IN), Pt(top), Inches(width), Pt(height))
                _fill(shape.text_frame, part.paragraphs)
                if is_title:
                    shape.text_frame.paragraphs[0].alignment = 1  # left
            top += height
        if not title_done:  # every slide has a title placeholder filled (an outline and screen readers need it)
            page.shapes.title.text = item.slide.title
        if item.slide.notes:
            page.notes_slide.notes_text_frame.text = item.slide.notes
        for shape in page.placeholders:
            if shape.has_text_frame and not shape.text_frame.text:
                shape.element.getparent().remove(shape.element)
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- writing
def check_pptx_target(path: str | Path, overwrite: bool = False) -> Path:
    """Refuse a PowerPoint target that cannot or must not be written, before any work is done.

    Raises
    ------
    PageError
        When the name does not end in ``.pptx``, the folder does not exist, the path is a folder, or the
        file exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.suffix.lower() != ".pptx":
        raise PageError(f"{path}: give a file name ending in .pptx.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PageError(f"{path}: folder {folder} does not exist.")
    if path.is_dir():
        raise PageError(f"{path} is a folder; give a file name ending in .pptx.")
    if path.exists() and not overwrite:
        raise PageError(f"{path} already exists; choose another name or allow overwriting.")
    return path


def write_deck(
    pdf: str | Path | None = None,
    pptx: str | Path | None = None,
    overwrite: bool = False,
    lecturer: str = "",
    course: str = "",
    date: str = "",
) -> list[Path]:
    """Write the deck as a PDF, a PowerPoint file, or both, from one layout.

    Parameters
    ----------
    pdf, pptx : str or Path, optional
        Targets ending in ``.pdf`` and ``.pptx``; their folders must exist. At least one.
    overwrite : bool
        Replace existing files (only once the new ones are complete).
    lecturer, course, date : str
        The title slide's fields.

    Returns
    -------
    list of Path
        The files written, each complete or not at all.

    Raises
    ------
    dprk_teaching.pages.PageError
        For a bad target (checked before anything is computed); nothing is written then.
    """
    from model.tidy import write_bytes

    if pdf is None and pptx is None:
        raise PageError("give --pdf PATH, --pptx PATH or both.")
    pdf_path = check_target(pdf, overwrite) if pdf is not None else None
    pptx_path = check_pptx_target(pptx, overwrite) if pptx is not None else None
    laid = laid_out(lecturer, course, date)
    written = []
    if pdf_path is not None:
        written.append(write_pages([item.page for item in laid], pdf_path, DECK_TITLE, overwrite))
    if pptx_path is not None:
        written.append(write_bytes(pptx_path, pptx_bytes(laid)))
    return written


def write_slides(path: str | Path, overwrite: bool = False, **fields: str) -> Path:
    """Write the deck as a PDF of 16:9 pages (13.333 x 7.5 in); ``fields`` are lecturer, course and date."""
    return write_deck(pdf=path, overwrite=overwrite, **fields)[0]


def write_pptx(path: str | Path, overwrite: bool = False, **fields: str) -> Path:
    """Write the deck as an editable PowerPoint file (16:9); ``fields`` are lecturer, course and date."""
    return write_deck(pptx=path, overwrite=overwrite, **fields)[0]


__all__ = [
    "HOOK_NUMBERS",
    "Slide",
    "check_pptx_target",
    "deck",
    "hook_numbers",
    "laid_out",
    "pptx_bytes",
    "slide_pages",
    "slide_titles",
    "write_deck",
    "write_pptx",
    "write_slides",
]
