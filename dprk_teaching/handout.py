"""One-page handouts (PDF): a scenario's headline figure, lever settings, key numbers and sources.

A handout is described by a :class:`HandoutContent` (data and a drawing callable) and written by
:func:`write_pdf`; :func:`content_for_scenario` builds the content of a preset or a saved scenario.
Other content (a finished role-play game) only has to fill a :class:`HandoutContent`.

The page is laid out from the top: title, a line saying what the page is, the description, the headline
figure, the settings, the key numbers and the full citations. Every line of text is measured with the
renderer's font metrics before it is placed; when the content is too long for the page the text is set
smaller (never below :data:`MIN_TEXT_PT`), and content that does not fit even then is refused with a
message rather than cut off or run over the page edge.

Examples
--------
>>> import pathlib, tempfile
>>> from model.scenarios import load_preset
>>> content = content_for_scenario(load_preset("russia-defects"))
>>> content.title
'Russia defects from every cap'
>>> path = write_pdf(content, pathlib.Path(tempfile.mkdtemp()) / "russia.pdf")
>>> path.read_bytes()[:5]
b'%PDF-'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dprk_teaching.pages import (
    MARGIN_IN,
    MIN_TEXT_PT,
    PAPER_SIZES,
    Block,
    Line,
    Measure,
    PageError,
    Slot,
    check_paper,
    check_target,
    compose,
    paragraph,
    stack,
    table,
    write_pages,
)
from dprk_teaching.texts import definition, seminar
from model import registry
from model.formatting import format_quantity
from model.outcomes import HEADLINE_TABLE, HEADLINES, OUTCOMES
from model.scenario_code import scenario_code

#: Body text at full size (points); headings are set relative to it, nothing below MIN_TEXT_PT.
BODY_PT = 9.5
#: Height of the headline figure (inches): at most, and at least (it shrinks first, before the text does).
FIGURE_IN = 3.3
MIN_FIGURE_IN = 1.4
#: The notes area is at least this high (inches); it takes whatever room the page has left.
NOTES_MIN_IN = 0.4
#: What the settings table says when nothing differs from the baseline.
NO_CHANGES = "Every lever at its baseline value."


#: A handout cannot be written: bad paper, bad path, or content that does not fit one page.
HandoutError = PageError


@dataclass(frozen=True)
class Setting:
    """One row of the settings table: a lever's title, its value with the unit, and a note."""

    title: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class KeyNumber:
    """One row of the key numbers: a label and its value; optionally the baseline's value and the change."""

    label: str
    value: str
    baseline: str = ""
    change: str = ""


@dataclass(frozen=True)
class HandoutContent:
    """Everything one handout page shows.

    Parameters
    ----------
    title : str
        The page title (a preset's or scenario's title).
    description : str
        A paragraph under the title.
    settings : sequence of Setting or (title, value, note) tuples
        The levers set differently from the baseline; empty prints :data:`NO_CHANGES`.
    key_numbers : sequence of KeyNumber or (label, value[, baseline, change]) tuples
        The numbers the page reports (the headline table for one year).
    sources : sequence of str
        Keys of ``model/sources.toml``; the page lists each one's full citation (title, publisher, date,
        address) once, in this order.
    draw_figure : callable
        ``draw_figure(figure)`` draws the headline figure into ``figure``, a
        :class:`matplotlib.figure.SubFigure` of the page's full text width and from :data:`MIN_FIGURE_IN`
        to :data:`FIGURE_IN` inches high (it shrinks before the text does). It adds its own axes (e.g.
        with ``figure.add_gridspec(..., left=, right=, top=, bottom=)``, fractions of the subfigure),
        keeps every text inside the subfigure and does not call pyplot. ``None`` leaves the figure out.
    subtitle : str
        One line under the title saying what the page is (e.g. which year the numbers are for).
    key_numbers_heading : str
        The heading of the key numbers.
    key_numbers_columns : (str, str, str)
        The headers of the value, comparison and change columns (e.g. scenario, baseline, change).
    definitions : sequence of (str, str)
        A measure's name and its one-line definition, for every measure the key numbers show.
    question : str
        The student's task, printed above the notes area (default: the general question of
        ``dprk_teaching/seminar.toml``).

    Raises
    ------
    HandoutError
        For an unknown source key or an empty title.
    """

    title: str
    description: str
    settings: tuple[Setting, ...]
    key_numbers: tuple[KeyNumber, ...]
    sources: tuple[str, ...]
    draw_figure: Callable[[Any], None] | None
    subtitle: str = ""
    key_numbers_heading: str = "Key numbers"
    key_numbers_columns: tuple[str, str, str] = ("Scenario", "Baseline", "Change")
    definitions: tuple[tuple[str, str], ...] = ()
    question: str = ""
    _citations: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not str(self.title).strip():
            raise HandoutError("a handout needs a title.")
        object.__setattr__(self, "settings", tuple(_as(Setting, row) for row in self.settings))
        object.__setattr__(self, "key_numbers", tuple(_as(KeyNumber, row) for row in self.key_numbers))
        object.__setattr__(self, "definitions", tuple(tuple(row) for row in self.definitions))
        if not str(self.question).strip():
            object.__setattr__(self, "question", seminar()["handout"]["default_question"])
        known = registry.sources()
        unknown = [key for key in self.sources if key not in known]
        if unknown:
            raise HandoutError(f"unknown source key(s) {', '.join(map(repr, unknown))}: see model/sources.toml.")
        object.__setattr__(self, "sources", tuple(dict.fromkeys(self.sources)))
        object.__setattr__(self, "_citations", tuple(known[key].citation() for key in self.sources))

    @property
    def citations(self) -> tuple[str, ...]:
        """Full citations of :attr:`sources` (``title, publisher, date, address``), in order."""
        return self._citations


def _as(kind: type, row: Any) -> Any:
    return row if isinstance(row, kind) else kind(*row)


# ---------------------------------------------------------------------------------------------- content
def content_for_scenario(scenario: Any, year: int | None = None) -> HandoutContent:
    """The handout of a preset or saved scenario, against the baseline preset.

    Parameters
    ----------
    scenario : model.scenarios.Scenario
        A preset (:func:`model.scenarios.load_preset`) or a scenario file read the same way.
    year : int, optional
        Year of the key numbers: default :data:`model.timeline.FOCUS_YEAR`, or the last year the scenario
        shows when that is earlier (the history preset ends in 2024).

    Returns
    -------
    HandoutContent
        Settings: every parameter whose value differs from the baseline's (lever, or assumption where a
        scenario sets one), with the baseline's value in the note. Key numbers: the headline table
        (:data:`model.outcomes.HEADLINE_TABLE`) in ``year``, scenario and baseline. Sources: the
        scenario's provenance, then every changed parameter's registry sources.
    """
    from model.core import simulate
    from model.scenarios import BASELINE, load_preset
    from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR, LAST_HISTORY_YEAR, span

    baseline = load_preset(BASELINE)
    params, base_params = scenario.params, baseline.params
    if year is None:
        year = max(scenario.first_year, min(FOCUS_YEAR, scenario.last_year))
    results, base_results = simulate(params), simulate(base_params)
    changed = [n for n in registry.names() if params.scalar(n) != base_params.scalar(n)]
    settings = [
        Setting(
            registry.get(n).title,
            value_text(n, params.scalar(n)),
            ("assumption; " if registry.get(n).is_uncertainty else "")
            + f"baseline: {value_text(n, base_params.scalar(n))}",
        )
        for n in changed
    ]
    scenario_numbers, base_numbers = results.headline(year), base_results.headline(year)
    # Nothing changed (the baseline itself): compare the focus year with the last year of observations, so the
    # table tells the baseline's story instead of a column of zeros.
    story = not changed and year >= FIRST_PROJECTION_YEAR
    if story:
        base_numbers = results.headline(LAST_HISTORY_YEAR)
    key_numbers = []
    for key, name in HEADLINE_TABLE.items():
        unit = HEADLINES[name].unit
        value, base = scenario_numbers[key], base_numbers[key]
        key_numbers.append(
            KeyNumber(
                HEADLINES[name].label,
                format_quantity(value, unit),
                format_quantity(base, unit),
                format_quantity(value - base, unit, difference=True),
            )
        )
    measures = [HEADLINES[name].outcome for name in HEADLINE_TABLE.values()]
    definitions = [(OUTCOMES[outcome].title, definition(outcome)) for outcome in dict.fromkeys(measures)]
    questions = seminar()["handout"]["questions"]
    sources = list(scenario.provenance.get("sources", []))
    sources += [source.key for n in changed for source in registry.get(n).sources]
    years = span(scenario.first_year, scenario.last_year)
    return HandoutContent(
        title=scenario.title,
        description=scenario.description,
        settings=tuple(settings),
        key_numbers=tuple(key_numbers),
        sources=tuple(sources),
        draw_figure=_scenario_figure(results, base_results, scenario.first_year, scenario.last_year, bool(changed)),
        subtitle=f"Scenario handout, {years}, code {scenario_code(scenario)}"
        + (": the scenario (solid) against the baseline (dashed)" if changed else "")
        + ". North Korea's lifelines, a sanctions-scenario model.",
        key_numbers_heading=(
            f"Key numbers: {year} against {LAST_HISTORY_YEAR}, the last year with observations"
            if story
            else f"Key numbers in {year}: scenario against the baseline"
        ),
        key_numbers_columns=(str(year), str(LAST_HISTORY_YEAR), f"Change since {LAST_HISTORY_YEAR}")
        if story
        else ("Scenario", "Baseline", "Change"),
        definitions=tuple(definitions),
        question=questions.get(getattr(scenario, "name", ""), ""),
    )


def value_text(name: str, value: float) -> str:
    """A parameter value as people read it: choice label, yes/no, percent for fractions, else with the unit.

    Parameters
    ----------
    name : str
        A registry parameter.
    value : float
        Its value in the registry's (internal) form.

    Returns
    -------
    str
        E.g. ``"none"``, ``"yes"``, ``"50%"``, ``"500,000 bbl/yr"``.
    """
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return parameter.choice_labels[int(value)]
    if parameter.kind == "bool":
        return "yes" if value else "no"
    if parameter.unit == "fraction":
        return f"{value * 100:g}%"
    return f"{registry.format_value(value, parameter)} {parameter.unit}".strip()


def _scenario_figure(results: Any, base_results: Any, first: int, last: int, with_baseline: bool) -> Callable:
    """The headline figure: hard currency by partner and the shares on both measures, over the shown years."""

    def draw(figure: Any) -> None:
        from dprk_figures import lifelines as lp
        from dprk_figures import style
        from dprk_figures.lab import PANELS, lab_series
        from model.timeline import FIRST_PROJECTION_YEAR

        years = results.years
        keep = (years >= first) & (years <= last)
        shown = years[keep]
        scenario_series, base_series = lab_series(results), lab_series(base_results)
        grid = figure.add_gridspec(1, 2, left=0.085, right=0.99, top=0.9, bottom=0.3, wspace=0.28)
        titles = {"hc": "Hard currency (USD/yr)", "share": "Shares of flows"}
        for column, panel in enumerate(("hc", "share")):
            ax = figure.add_subplot(grid[0, column])
            extract, styles = PANELS[panel]
            if last >= FIRST_PROJECTION_YEAR:
                style.mark_projection(ax, FIRST_PROJECTION_YEAR, last)
            if with_baseline:
                base = {k: v[keep] for k, v in extract(base_series).items()}
                for line in lp.series_lines(ax, shown, base, styles=styles, ls="--", lw=1.2, alpha=0.75).values():
                    line.set_label("_" + line.get_label())  # one legend entry per series
            lines = lp.series_lines(ax, shown, {k: v[keep] for k, v in extract(scenario_series).items()}, styles)
            style.year_axis(ax, shown)
            ax.set_title(titles[panel], fontsize=10, loc="left")
            (style.usd_axis if panel == "hc" else style.share_axis)(ax)
            if panel == "hc":
                style.fit_ylim(ax, *(line.get_ydata() for line in ax.get_lines()))
            ax.tick_params(labelsize=8.5)
            ax.legend(
                handles=list(lines.values()),
                loc="upper center",
                bbox_to_anchor=(0.5, -0.13),
                ncols=min(len(lines), 2),
                fontsize=8,
                handlelength=1.4,
                columnspacing=0.9,
            )

    return draw


# ---------------------------------------------------------------------------------------------- layout
def _blocks(
    content: HandoutContent, width_in: float, scale: float, figure_in: float, measure: Measure, available: float
) -> list[Block | Slot]:
    """The page from the top: text blocks, and the headline figure's slot."""
    x = MARGIN_IN
    body = BODY_PT * scale
    small = max(MIN_TEXT_PT, body * 0.84)
    heading = body * 1.15
    gap = Block((), body * 0.6)
    blocks: list[Block | Slot] = [paragraph(measure, content.title, x, width_in, body * 1.75, bold=True)]
    if content.subtitle:
        blocks.append(paragraph(measure, content.subtitle, x, width_in, small, colour="#555555"))
    blocks += [gap, paragraph(measure, content.description, x, width_in, body)]
    if content.draw_figure is not None:
        blocks += [gap, Slot(figure_in * 72, content.draw_figure)]
    blocks += [gap, paragraph(measure, "Settings", x, width_in, heading, bold=True)]
    if content.settings:
        columns = [(x, width_in * 0.46), (x + width_in * 0.48, width_in * 0.2), (x + width_in * 0.7, width_in * 0.3)]
        rows = [("Lever", "Value", "Note")] + [(s.title, s.value, s.note) for s in content.settings]
        blocks.append(table(measure, rows, columns, body, header=True))
    else:
        blocks.append(paragraph(measure, NO_CHANGES, x, width_in, body))
    if content.key_numbers:
        blocks += [gap, paragraph(measure, content.key_numbers_heading, x, width_in, heading, bold=True)]
        with_baseline = any(k.baseline or k.change for k in content.key_numbers)
        if with_baseline:
            columns = [(x, width_in * 0.46)] + [(x + width_in * (0.48 + 0.175 * i), width_in * 0.165) for i in range(3)]
            rows = [("", *content.key_numbers_columns)]
            rows += [(k.label, k.value, k.baseline, k.change) for k in content.key_numbers]
        else:
            columns = [(x, width_in * 0.6), (x + width_in * 0.62, width_in * 0.38)]
            rows = [(k.label, k.value) for k in content.key_numbers]
        blocks.append(table(measure, rows, columns, body, header=with_baseline))
    if content.definitions:
        lines = "; ".join(f"{name}: {text.rstrip('.')}" for name, text in content.definitions)
        blocks.append(paragraph(measure, f"What the numbers measure. {lines}.", x, width_in, small, colour="#333333"))
    blocks += [gap, paragraph(measure, f"Your task: {content.question}", x, width_in, body, bold=True)]
    notes_at = len(blocks)
    blocks += [gap, paragraph(measure, "Sources", x, width_in, heading, bold=True)]
    if content.citations:
        blocks.append(_citation_columns(content.citations, x, width_in, small, measure))
    else:
        blocks.append(paragraph(measure, "No sources cited (see model/sources.toml).", x, width_in, small))
    footer = (
        "Every input has its source or a stated assumption (model/parameters.toml); "
        "results are projections under the settings above, not forecasts."
    )
    blocks += [gap, paragraph(measure, footer, x, width_in, small, colour="#555555")]
    # The notes area takes the room left on the page, and at least NOTES_MIN_IN.
    room = available - sum(block.height for block in blocks) - gap.height - 1
    blocks[notes_at:notes_at] = [gap, Slot(max(NOTES_MIN_IN * 72, room), _notes_area(body))]
    return blocks


def _citation_columns(citations: Sequence[str], x: float, width_in: float, size: float, measure: Measure) -> Block:
    """Numbered citations: in one column, or in two (filled in order) when that makes the list shorter."""

    def column(items: Sequence[tuple[int, str]], left: float, width: float) -> Block:
        parts = []
        for number, citation in items:
            block = paragraph(measure, citation, left + 0.25, width - 0.25, size)
            parts.append(Block((Line(left, block.lines[0].y, f"[{number}]", size), *block.lines), block.height))
        return stack(parts)

    numbered = list(enumerate(citations, start=1))
    best = column(numbered, x, width_in)
    half = (width_in - 0.2) / 2
    for split in range(1, len(numbered)):
        left, right = column(numbered[:split], x, half), column(numbered[split:], x + half + 0.2, half)
        if max(left.height, right.height) < best.height:
            best = Block(left.lines + right.lines, max(left.height, right.height))
    return best


def _notes_area(size: float) -> Callable[[Any], None]:
    """A ruled box headed "Your notes" (the student's space to write)."""

    def draw(figure: Any) -> None:
        from matplotlib.lines import Line2D
        from matplotlib.patches import Rectangle

        height_pt = figure.bbox.height * 72 / figure.dpi
        figure.patches.append(
            Rectangle((0, 0), 1, 1, transform=figure.transSubfigure, fill=False, ec="#999999", lw=0.8)
        )
        figure.text(
            0.01,
            1 - 4 / height_pt,
            seminar()["handout"]["notes_heading"],
            fontsize=size * 0.9,
            color="#555555",
            va="top",
            ha="left",
        )
        step = 22 / height_pt  # a ruled line every 22 points (about 8 mm), under the heading
        y = 1 - (4 + size + 18) / height_pt
        while y > 6 / height_pt:
            figure.add_artist(Line2D([0.01, 0.99], [y, y], transform=figure.transSubfigure, color="#DDDDDD", lw=0.6))
            y -= step

    return draw


def _compose(content: HandoutContent, size: tuple[float, float]) -> Any:
    """The page: the largest figure and text that fit (the figure shrinks first, then the text)."""
    width_in = size[0] - 2 * MARGIN_IN
    available = (size[1] - 2 * MARGIN_IN) * 72
    measure = Measure()
    options = [(1.0, FIGURE_IN - 0.2 * k) for k in range(int((FIGURE_IN - MIN_FIGURE_IN) / 0.2) + 1)]
    options += [(1.0 - 0.03 * k, MIN_FIGURE_IN) for k in range(1, 12) if BODY_PT * (1.0 - 0.03 * k) >= MIN_TEXT_PT]
    return compose(
        size,
        lambda option: _blocks(content, width_in, option[0], option[1], measure, available),
        options,
        f"the handout of {content.title!r}",
    )


# ---------------------------------------------------------------------------------------------- writing
def handout_page(content: HandoutContent, paper: str = "a4") -> Any:
    """The handout as a page-sized matplotlib Figure (what :func:`write_pdf` writes), checked to fit.

    Raises
    ------
    HandoutError
        For an unknown paper or content that does not fit one page.
    """
    return _compose(content, check_paper(paper))


def write_pdf(content: HandoutContent, path: str | Path, paper: str = "a4", overwrite: bool = False) -> Path:
    """Write ``content`` as a one-page PDF handout.

    Parameters
    ----------
    content : HandoutContent
    path : str or Path
        Target file ending in ``.pdf``; its folder must exist.
    paper : {"a4", "letter"}
        Page size (portrait): A4 is 210 x 297 mm, Letter 8.5 x 11 in.
    overwrite : bool
        Replace an existing file (only once the new one is complete).

    Returns
    -------
    Path
        The file written: complete or not at all (written to a temporary name, then moved into place).

    Raises
    ------
    HandoutError
        For an unknown paper, a target that is not a ``.pdf``, a missing folder, an existing file without
        ``overwrite``, or content that does not fit one page; nothing is written then.
    """
    check_paper(paper)
    path = check_target(path, overwrite)
    return write_pages([handout_page(content, paper)], path, content.title, overwrite)


__all__ = [
    "NO_CHANGES",
    "PAPER_SIZES",
    "HandoutContent",
    "HandoutError",
    "KeyNumber",
    "Setting",
    "check_paper",
    "check_target",
    "content_for_scenario",
    "handout_page",
    "value_text",
    "write_pdf",
]
