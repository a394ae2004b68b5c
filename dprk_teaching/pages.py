"""Pages of measured text and figures: the one layout engine of the suite's PDFs (handouts, cards, slides).

A page is built from the top as a list of blocks: :class:`Block` (lines of text, each measured with the
font's glyph advances and wrapped to its column) and :class:`Slot` (an area a drawing callable fills,
e.g. a figure made with the plot helpers of :mod:`dprk_figures`). :func:`compose` tries a sequence of
options (larger text first) until the blocks fit the page, then checks with the renderer that nothing
lies outside the page's margins; content that fits no option is refused with :class:`PageError`.
:func:`write_pages` writes one or many pages as one PDF, atomically, with the fonts embedded as
TrueType so that the text can be selected, searched and read back.

Examples
--------
>>> measure = Measure()
>>> measure.wrap("a few words to wrap", 40, 10)
['a few', 'words', 'to wrap']
>>> measure.width("ab", 20) == 2 * measure.width("ab", 10)
True
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from model.errors import ModelInputError

#: Paper sizes (width, height) in inches, portrait.
PAPER_SIZES = {"a4": (210 / 25.4, 297 / 25.4), "letter": (8.5, 11.0)}
#: A 16:9 slide (inches): PowerPoint's widescreen size.
SLIDE_SIZE = (13.333, 7.5)
#: Margin on every side of a printed page (inches): inside what office printers can print.
MARGIN_IN = 0.6
#: No text on a page smaller than this (points).
MIN_TEXT_PT = 6.5


class PageError(ModelInputError):
    """A document cannot be written: bad paper, bad path, or content that does not fit its page."""


class Measure:
    """Text widths in points, from the font's glyph advances, and greedy line wrapping.

    A line's width is the sum of its characters' advance widths at the size asked for (advances scale
    with the size; hinting is off, as in a PDF). Laying a string out with the renderer costs about 2 ms
    here, a glyph advance 20 µs once, so a page of a thousand words is measured in milliseconds.
    Kerning only narrows a line, so the sum never under-measures; :func:`inside_page` checks the result.
    """

    REFERENCE_PT = 100.0

    def __init__(self) -> None:
        self._advances: dict[tuple[str, bool], float] = {}
        self._widths: dict[tuple[str, bool], float] = {}
        self._fonts: dict[bool, Any] = {}

    def _font(self, bold: bool) -> Any:
        if bold not in self._fonts:
            from matplotlib.font_manager import FontProperties, findfont, get_font

            self._fonts[bold] = get_font(findfont(FontProperties(weight="bold" if bold else "normal")))
        return self._fonts[bold]

    def _advance(self, char: str, bold: bool) -> float:
        """Advance of one character in points at :attr:`REFERENCE_PT` (measured once, then remembered)."""
        key = (char, bold)
        if key not in self._advances:
            from matplotlib.ft2font import LoadFlags

            font = self._font(bold)
            font.set_size(self.REFERENCE_PT, 72)  # the font object is shared with the renderers
            glyph = font.load_char(ord(char), flags=LoadFlags.NO_HINTING)
            self._advances[key] = glyph.linearHoriAdvance / 65536
        return self._advances[key]

    def width(self, text: str, size: float, bold: bool = False) -> float:
        """Width of ``text`` in points at ``size`` points."""
        key = (text, bold)
        if key not in self._widths:  # pages are laid out several times over (columns tried, then drawn)
            self._widths[key] = sum(self._advance(char, bold) for char in text)
        return self._widths[key] * size / self.REFERENCE_PT

    def wrap(self, text: str, width: float, size: float, bold: bool = False) -> list[str]:
        """Lines of ``text`` no wider than ``width`` points; words too long (addresses) break at ``/`` etc.

        Widths add up character by character (no kerning), so a line's width grows by the space and the next
        word's width: each word is measured once.
        """
        lines: list[str] = []
        space = self.width(" ", size, bold)
        for paragraph in str(text).split("\n"):
            line, line_width = "", 0.0
            for word in paragraph.split():
                word_width = self.width(word, size, bold)
                trial_width = line_width + space + word_width if line else word_width
                if trial_width <= width:
                    line, line_width = (f"{line} {word}" if line else word), trial_width
                    continue
                if line:
                    lines.append(line)
                line, line_width = word, word_width
                while line_width > width:
                    head, line = self._split_long(line, width, size, bold)
                    lines.append(head)
                    line_width = self.width(line, size, bold)
            lines.append(line)
        return lines

    def _split_long(self, word: str, width: float, size: float, bold: bool) -> tuple[str, str]:
        scale = size / self.REFERENCE_PT
        cut, used = 1, self._advance(word[0], bold) * scale
        while cut < len(word) and used + self._advance(word[cut], bold) * scale <= width:
            used += self._advance(word[cut], bold) * scale
            cut += 1
        breaks = [i + 1 for i in range(cut) if word[i] in "/-_.?&=" and i + 1 < cut]
        if breaks and breaks[-1] > cut // 2:
            cut = breaks[-1]
        return word[:cut], word[cut:]


@dataclass(frozen=True)
class Line:
    """One line of text: ``x`` inches from the page's left edge, baseline ``y`` points below the block's top."""

    x: float
    y: float
    text: str
    size: float
    bold: bool = False
    colour: str = "#000000"


@dataclass(frozen=True)
class Block:
    """Lines of text and the height (points) they take on the page."""

    lines: tuple[Line, ...]
    height: float


@dataclass(frozen=True)
class Slot:
    """An area ``height`` points high across the text width, filled by ``draw(subfigure)``."""

    height: float
    draw: Callable[[Any], None]


def gap(points: float) -> Block:
    """Empty space of ``points`` height."""
    return Block((), points)


def paragraph(measure: Measure, text: str, x: float, width_in: float, size: float, **style: Any) -> Block:
    """``text`` wrapped to ``width_in`` inches at ``x`` inches, ``size`` points (``bold``, ``colour``)."""
    step = size * 1.28
    wrapped = measure.wrap(text, width_in * 72, size, style.get("bold", False))
    lines = tuple(Line(x, step * (i + 1) - size * 0.28, t, size, **style) for i, t in enumerate(wrapped))
    return Block(lines, step * len(wrapped))


def bullets(measure: Measure, items: Iterable[str], x: float, width_in: float, size: float, mark: str = "•") -> Block:
    """A list, one wrapped paragraph per item with ``mark`` hanging in front."""
    indent = size * 1.2 / 72
    parts = []
    for item in items:
        block = paragraph(measure, item, x + indent, width_in - indent, size)
        first = block.lines[0].y if block.lines else size
        parts.append(Block((Line(x, first, mark, size), *block.lines), block.height + size * 0.2))
    return stack(parts)


def stack(blocks: Sequence[Block]) -> Block:
    """Blocks one below the other, as one block."""
    lines, top = [], 0.0
    for block in blocks:
        lines += [Line(line.x, line.y + top, line.text, line.size, line.bold, line.colour) for line in block.lines]
        top += block.height
    return Block(tuple(lines), top)


def table(
    measure: Measure, rows: Sequence[Sequence[str]], columns: Sequence[tuple[float, float]], size: float, header: bool
) -> Block:
    """Rows of cells; ``columns`` are (x, width) in inches; each row as tall as its tallest wrapped cell."""
    lines, top = [], 0.0
    for number, row in enumerate(rows):
        bold = header and number == 0
        colour = "#444444" if bold else "#000000"
        cells = [
            paragraph(measure, cell, x, w, size, bold=bold, colour=colour)
            for cell, (x, w) in zip(row, columns, strict=True)
        ]
        for cell in cells:
            lines += [Line(line.x, line.y + top, line.text, line.size, line.bold, line.colour) for line in cell.lines]
        top += max(cell.height for cell in cells) + size * 0.25
    return Block(tuple(lines), top)


def height_of(blocks: Iterable[Block | Slot]) -> float:
    """Total height (points) of blocks and slots."""
    return sum(block.height for block in blocks)


def place(size: tuple[float, float], blocks: Sequence[Block | Slot], margin_in: float = MARGIN_IN) -> Any:
    """A matplotlib Figure of ``size`` inches with the blocks placed from the top margin down."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from dprk_figures import style

    width, height = size
    figure = Figure(figsize=size, dpi=72)
    top = margin_in * 72
    for block in blocks:
        if isinstance(block, Slot):
            # Subfigures ignore a gridspec's margins: place this one by the rows and columns of a grid.
            below = max(height * 72 - top - block.height, 1e-6)
            grid = figure.add_gridspec(
                3,
                3,
                width_ratios=(margin_in, width - 2 * margin_in, margin_in),
                height_ratios=(max(top, 1e-6), block.height, below),
            )
            with mpl.rc_context(style.RC):
                block.draw(figure.add_subfigure(grid[1, 1]))
        else:
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
                    parse_math=False,  # dollar amounts are text, not mathematics
                )
        top += block.height
    return figure


def inside_page(figure: Any, margin_in: float = MARGIN_IN) -> bool:
    """Whether everything drawn (text, axes, legends) lies inside the page, at most half into its margins."""
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    # Measured as the PDF sets it: without hinting (at 72 dpi hinting rounds small glyphs narrower).
    with mpl.rc_context({"text.hinting": "none"}):
        renderer = FigureCanvasAgg(figure).get_renderer()
        figure.draw_without_rendering()  # lays everything out as a draw does, without painting a pixel
        box = figure.get_tightbbox(renderer)  # inches
    slack = margin_in * 0.5  # ticks and legends may use part of the margin, never the page edge
    width, height = figure.get_size_inches()
    return box.x0 >= slack and box.y0 >= slack and box.x1 <= width - slack and box.y1 <= height - slack


def compose(
    size: tuple[float, float],
    build: Callable[[Any], Sequence[Block | Slot]],
    options: Iterable[Any],
    what: str,
    margin_in: float = MARGIN_IN,
) -> Any:
    """The first option whose blocks fit the page, placed and checked.

    Parameters
    ----------
    size : (float, float)
        Page size in inches.
    build : callable
        ``build(option)`` returns the page's blocks for one option (e.g. a text scale).
    options : iterable
        Tried in order, preferred (largest text) first.
    what : str
        Names the page in the error message.
    margin_in : float
        Margin on every side (inches).

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    PageError
        When no option fits.
    """
    available = (size[1] - 2 * margin_in) * 72
    for option in options:
        blocks = build(option)
        if height_of(blocks) > available:
            continue
        figure = place(size, blocks, margin_in)
        if inside_page(figure, margin_in):
            return figure
    raise PageError(
        f"{what} does not fit on one page even with {MIN_TEXT_PT:g}-point text: shorten its text or cite fewer sources."
    )


def check_target(path: str | Path, overwrite: bool = False) -> Path:
    """Refuse a PDF target that cannot or must not be written, before any work is done.

    Raises
    ------
    PageError
        When the name does not end in ``.pdf``, the folder does not exist, the path is a folder, or
        the file exists and ``overwrite`` is false.
    """
    path = Path(path)
    if path.suffix.lower() != ".pdf":
        raise PageError(f"{path}: give a file name ending in .pdf.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise PageError(f"{path}: folder {folder} does not exist.")
    if path.is_dir():
        raise PageError(f"{path} is a folder; give a file name ending in .pdf.")
    if path.exists() and not overwrite:
        raise PageError(f"{path} already exists; choose another name or allow overwriting.")
    return path


def check_paper(paper: str) -> tuple[float, float]:
    """The (width, height) in inches of a paper name; :class:`PageError` for an unknown one."""
    if paper not in PAPER_SIZES:
        raise PageError(f"paper = {paper!r} is not a known paper size: allowed {', '.join(PAPER_SIZES)}.")
    return PAPER_SIZES[paper]


def pdf_bytes(figures: Sequence[Any], title: str) -> bytes:
    """Figures as the pages of one PDF, with TrueType fonts embedded (text can be selected and read back)."""
    import matplotlib as mpl
    from matplotlib.backends.backend_pdf import PdfPages

    buffer = io.BytesIO()
    with mpl.rc_context({"pdf.fonttype": 42}):
        with PdfPages(buffer, metadata={"Title": title, "Creator": "dprk-lifelines"}) as pdf:
            for figure in figures:
                pdf.savefig(figure)
    return buffer.getvalue()


def write_pages(figures: Sequence[Any], path: str | Path, title: str, overwrite: bool = False) -> Path:
    """Write figures as a PDF, one page each: complete or not at all (see :func:`model.tidy.write_bytes`).

    Raises
    ------
    PageError
        For a bad target (see :func:`check_target`).
    """
    from model.tidy import write_bytes

    path = check_target(path, overwrite)
    return write_bytes(path, pdf_bytes(figures, title))
