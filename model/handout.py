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

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from model import registry
from model.errors import ModelInputError
from model.formatting import format_quantity
from model.outcomes import HEADLINE_TABLE, HEADLINES

#: Paper sizes (width, height) in inches, portrait.
PAPER_SIZES = {"a4": (210 / 25.4, 297 / 25.4), "letter": (8.5, 11.0)}
#: Margin on every side of the page (inches): inside what office printers can print.
MARGIN_IN = 0.6
#: The largest and smallest body text (points); headings are set relative to it.
BODY_PT = 9.5
MIN_TEXT_PT = 6.5
#: Height of the headline figure (inches): at most, and at least (it shrinks first, before the text does).
FIGURE_IN = 3.3
MIN_FIGURE_IN = 2.5
#: What the settings table says when nothing differs from the baseline.
NO_CHANGES = "Every lever at its baseline value."


class HandoutError(ModelInputError):
    """A handout cannot be written: bad paper, bad path, or content that does not fit one page."""


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
        :class:`matplotlib.figure.SubFigure` of the page's full text width and about
        :data:`FIGURE_IN` inches high: it adds its own axes (e.g. with ``figure.add_gridspec(...,
        left=, right=, top=, bottom=)``, fractions of the subfigure) and keeps every text inside the
        subfigure. It must not call pyplot. ``None`` leaves the figure out.
    subtitle : str
        One line under the title saying what the page is (e.g. which year the numbers are for).
    key_numbers_heading : str
        The heading of the key numbers.

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
    _citations: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not str(self.title).strip():
            raise HandoutError("a handout needs a title.")
        object.__setattr__(self, "settings", tuple(_as(Setting, row) for row in self.settings))
        object.__setattr__(self, "key_numbers", tuple(_as(KeyNumber, row) for row in self.key_numbers))
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
    from model.timeline import FOCUS_YEAR

    baseline = load_preset(BASELINE)
    params, base_params = scenario.params, baseline.params
    if year is None:
        year = max(scenario.first_year, min(FOCUS_YEAR, scenario.last_year))
    results, base_results = simulate(params), simulate(base_params)
    changed = [n for n in registry.names() if params.scalar(n) != base_params.scalar(n)]
    settings = [
        Setting(
            registry.get(n).title,
            _value_text(n, params.scalar(n)),
            ("assumption; " if registry.get(n).is_uncertainty else "")
            + f"baseline: {_value_text(n, base_params.scalar(n))}",
        )
        for n in changed
    ]
    scenario_numbers, base_numbers = results.headline(year), base_results.headline(year)
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
    sources = list(scenario.provenance.get("sources", []))
    sources += [source.key for n in changed for source in registry.get(n).sources]
    years = f"{scenario.first_year}–{scenario.last_year}"
    return HandoutContent(
        title=scenario.title,
        description=scenario.description,
        settings=tuple(settings),
        key_numbers=tuple(key_numbers),
        sources=tuple(sources),
        draw_figure=_scenario_figure(results, base_results, scenario.first_year, scenario.last_year, bool(changed)),
        subtitle=f"Scenario handout, {years}: the scenario (solid) against the baseline (dashed). "
        "North Korea's lifelines, a sanctions-scenario model.",
        key_numbers_heading=f"Key numbers in {year}: scenario against the baseline",
    )


def _value_text(name: str, value: float) -> str:
    """A parameter value as people read it: choice label, yes/no, percent for fractions, else with the unit."""
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
        from model.plots import lifelines as lp
        from model.plots import style
        from model.plots.lab import PANELS, lab_series
        from model.timeline import FIRST_PROJECTION_YEAR

        years = results.years
        keep = (years >= first) & (years <= last)
        shown = years[keep]
        scenario_series, base_series = lab_series(results), lab_series(base_results)
        grid = figure.add_gridspec(1, 2, left=0.085, right=0.99, top=0.9, bottom=0.3, wspace=0.28)
        titles = {"hc": "Hard-currency earnings (USD/yr)", "share": "Shares of flows (fraction)"}
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
            ax.set_title(titles[panel], fontsize=10)
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
class _Measure:
    """Text widths in points, from the font's glyph advances, and greedy line wrapping.

    A line's width is the sum of its characters' advance widths at the size asked for (advances scale
    with the size; hinting is off, as in a PDF). Laying a string out with the renderer costs about 2 ms
    here, a glyph advance 20 µs once, so a page of a thousand words is measured in milliseconds.
    Kerning only narrows a line, so the sum never under-measures; :func:`_inside_page` checks the result.
    """

    REFERENCE_PT = 100.0

    def __init__(self) -> None:
        self._advances: dict[tuple[str, bool], float] = {}
        self._fonts: dict[bool, Any] = {}

    def _font(self, bold: bool) -> Any:
        if bold not in self._fonts:
            from matplotlib.font_manager import FontProperties, findfont, get_font

            font = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
            font.set_size(self.REFERENCE_PT, 72)
            self._fonts[bold] = font
        return self._fonts[bold]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of ``text`` in points at ``size`` points."""
        from matplotlib.ft2font import LoadFlags

        total = 0.0
        for char in text:
            key = (char, bold)
            if key not in self._advances:
                font = self._font(bold)
                glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
                self._advances[key] = glyph.linearHoriAdvance / 65536
            total += self._advances[key]
        return total * size / self.REFERENCE_PT

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Lines of ``text`` no wider than ``width`` points; words too long (addresses) break at ``/`` etc."""
        lines: list[str] = []
        for paragraph in str(text).split("\n"):
            line = ""
            for word in paragraph.split():
                trial = f"{line} {word}" if line else word
                if self.width(trial, size, bold) <= width:
                    line = trial
                    continue
                if line:
                    lines.append(line)
                line = word
                while self.width(line, size, bold) > width:
                    head, line = self._split_long(line, width, size, bold)
                    lines.append(head)
            lines.append(line)
        return lines

    def _split_long(self, word: str, width: float, size: float, bold: bool) -> tuple[str, str]:
        cut = 1
        while cut < len(word) and self.width(word[: cut + 1], size, bold) <= width:
            cut += 1
        breaks = [i + 1 for i in range(cut) if word[i] in "/-_.?&=" and i + 1 < cut]
        if breaks and breaks[-1] > cut // 2:
            cut = breaks[-1]
        return word[:cut], word[cut:]


@dataclass
class _Line:
    x: float  # inches from the left edge of the page
    y: float  # points below the top of the block
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"


@dataclass
class _Block:
    lines: list[_Line]
    height: float  # points


def _paragraph(measure: _Measure, text: str, x: float, width_in: float, size: float, **style: Any) -> _Block:
    step = size * 1.28
    wrapped = measure.wrap(text, width_in * 72, size, style.get("bold", False))
    lines = [_Line(x, step * (i + 1) - size * 0.28, t, size, **style) for i, t in enumerate(wrapped)]
    return _Block(lines, step * len(wrapped))


def _table(
    measure: _Measure, rows: Sequence[Sequence[str]], columns: Sequence[tuple[float, float]], size: float, header: bool
) -> _Block:
    """Rows of cells; ``columns`` are (x, width) in inches; each row as tall as its tallest wrapped cell."""
    lines, top = [], 0.0
    for number, row in enumerate(rows):
        bold = header and number == 0
        colour = "#444444" if bold else "#000000"
        cells = [
            _paragraph(measure, cell, x, w, size, bold=bold, colour=colour)
            for cell, (x, w) in zip(row, columns, strict=True)
        ]
        for cell in cells:
            lines += [_Line(line.x, line.y + top, line.text, line.size, line.bold, line.colour) for line in cell.lines]
        top += max(cell.height for cell in cells) + size * 0.25
    return _Block(lines, top)


def _blocks(
    content: HandoutContent, width_in: float, scale: float, figure_in: float, measure: _Measure
) -> list[_Block | float]:
    """The page from the top: text blocks, and one float (the figure's height in points) where it goes."""
    x = MARGIN_IN
    body = BODY_PT * scale
    small = max(MIN_TEXT_PT, body * 0.84)
    heading = body * 1.15
    gap = _Block([], body * 0.6)
    blocks: list[_Block | float] = [_paragraph(measure, content.title, x, width_in, body * 1.75, bold=True)]
    if content.subtitle:
        blocks.append(_paragraph(measure, content.subtitle, x, width_in, small, colour="#555555"))
    blocks += [gap, _paragraph(measure, content.description, x, width_in, body)]
    if content.draw_figure is not None:
        blocks += [gap, figure_in * 72]
    blocks += [gap, _paragraph(measure, "Settings", x, width_in, heading, bold=True)]
    if content.settings:
        columns = [(x, width_in * 0.46), (x + width_in * 0.48, width_in * 0.2), (x + width_in * 0.7, width_in * 0.3)]
        rows = [("Lever", "Value", "Note")] + [(s.title, s.value, s.note) for s in content.settings]
        blocks.append(_table(measure, rows, columns, body, header=True))
    else:
        blocks.append(_paragraph(measure, NO_CHANGES, x, width_in, body))
    if content.key_numbers:
        blocks += [gap, _paragraph(measure, content.key_numbers_heading, x, width_in, heading, bold=True)]
        with_baseline = any(k.baseline or k.change for k in content.key_numbers)
        if with_baseline:
            columns = [(x, width_in * 0.46)] + [(x + width_in * (0.48 + 0.175 * i), width_in * 0.165) for i in range(3)]
            rows = [("", "Scenario", "Baseline", "Change")]
            rows += [(k.label, k.value, k.baseline, k.change) for k in content.key_numbers]
        else:
            columns = [(x, width_in * 0.6), (x + width_in * 0.62, width_in * 0.38)]
            rows = [(k.label, k.value) for k in content.key_numbers]
        blocks.append(_table(measure, rows, columns, body, header=with_baseline))
    blocks += [gap, _paragraph(measure, "Sources", x, width_in, heading, bold=True)]
    if content.citations:
        indent = 0.25
        for number, citation in enumerate(content.citations, start=1):
            block = _paragraph(measure, citation, x + indent, width_in - indent, small)
            block.lines.append(_Line(x, block.lines[0].y, f"[{number}]", small))
            blocks.append(block)
    else:
        blocks.append(_paragraph(measure, "No sources cited (see model/sources.toml).", x, width_in, small))
    footer = (
        "Every number comes from the model's parameter registry (model/parameters.toml, each value with its "
        "source or a stated assumption); model results are projections under the settings above, not forecasts."
    )
    blocks += [gap, _paragraph(measure, footer, x, width_in, small, colour="#555555")]
    return blocks


def _fits(blocks: list[_Block | float], available: float) -> bool:
    return sum(b if isinstance(b, float) else b.height for b in blocks) <= available


def _compose(content: HandoutContent, size: tuple[float, float]) -> Any:
    """A page-sized matplotlib Figure with every block placed; the largest text scale that fits is used."""
    from matplotlib.figure import Figure

    from model.plots import style

    width, height = size
    width_in = width - 2 * MARGIN_IN
    available = (height - 2 * MARGIN_IN) * 72
    measure = _Measure()
    # Largest first: the figure shrinks to its minimum, then the text in steps down to MIN_TEXT_PT.
    sizes = [(1.0, FIGURE_IN - 0.2 * k) for k in range(int((FIGURE_IN - MIN_FIGURE_IN) / 0.2) + 1)]
    sizes += [(1.0 - 0.03 * k, MIN_FIGURE_IN) for k in range(1, 12) if BODY_PT * (1.0 - 0.03 * k) >= MIN_TEXT_PT]
    for scale, figure_in in sizes:
        blocks = _blocks(content, width_in, scale, figure_in, measure)
        if not _fits(blocks, available):
            continue
        figure = Figure(figsize=size, dpi=72)
        top = MARGIN_IN * 72
        for block in blocks:
            if isinstance(block, float):
                # Subfigures ignore a gridspec's margins: place this one by the rows and columns of a grid.
                below = height * 72 - top - block
                grid = figure.add_gridspec(
                    3, 3, width_ratios=(MARGIN_IN, width_in, MARGIN_IN), height_ratios=(top, block, below)
                )
                sub = figure.add_subfigure(grid[1, 1])
                with _style_context(style):
                    content.draw_figure(sub)
                top += block
                continue
            for line in block.lines:
                figure.text(
                    line.x / width,
                    1 - (top + line.y) / (height * 72),
                    line.text,
                    fontsize=line.size,
                    fontweight="bold" if line.bold else "normal",
                    color=line.colour,
                    ha="left",
                    va="baseline",
                    parse_math=False,
                )
            top += block.height
        if _inside_page(figure):
            return figure
    raise HandoutError(
        f"the handout of {content.title!r} does not fit on one page even with {MIN_TEXT_PT:g}-point text: "
        "shorten its description or cite fewer sources."
    )


def _style_context(style: Any) -> Any:
    import matplotlib as mpl

    return mpl.rc_context(style.RC)


def _inside_page(figure: Any) -> bool:
    """Whether every artist drawn (text, axes, legends) lies inside the page's margins."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    renderer = canvas.get_renderer()
    figure.draw(renderer)
    box = figure.get_tightbbox(renderer)  # inches
    slack = MARGIN_IN * 0.5  # ticks and legends may use part of the margin, never the page edge
    width, height = figure.get_size_inches()
    return box.x0 >= slack and box.y0 >= slack and box.x1 <= width - slack and box.y1 <= height - slack


# ---------------------------------------------------------------------------------------------- writing
def check_target(path: str | Path, overwrite: bool = False) -> Path:
    """Refuse a PDF target that cannot or must not be written, before any work is done.

    Raises
    ------
    HandoutError
        When the name does not end in ``.pdf``, the folder does not exist, the path is a folder, or
        the file exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise HandoutError(f"{path}: a handout is a PDF; give a file name ending in .pdf.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise HandoutError(f"{path}: folder {folder} does not exist.")
    if path.is_dir():
        raise HandoutError(f"{path} is a folder; give a file name ending in .pdf.")
    if path.exists() and not overwrite:
        raise HandoutError(f"{path} already exists; choose another name or allow overwriting.")
    return path


def check_paper(paper: str) -> tuple[float, float]:
    """The (width, height) in inches of a paper name; :class:`HandoutError` for an unknown one."""
    if paper not in PAPER_SIZES:
        raise HandoutError(f"paper = {paper!r} is not a known paper size: allowed {', '.join(PAPER_SIZES)}.")
    return PAPER_SIZES[paper]


def render_pdf(figure: Any, title: str) -> bytes:
    """A figure as PDF bytes with TrueType fonts embedded (so the text can be selected and read back)."""
    import matplotlib as mpl

    buffer = io.BytesIO()
    with mpl.rc_context({"pdf.fonttype": 42}):
        figure.savefig(buffer, format="pdf", metadata={"Title": title, "Creator": "dprk-lifelines"})
    return buffer.getvalue()


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
    from model.tidy import write_bytes

    size = check_paper(paper)
    path = check_target(path, overwrite)
    return write_bytes(path, render_pdf(_compose(content, size), content.title))


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
    "render_pdf",
    "write_pdf",
]
