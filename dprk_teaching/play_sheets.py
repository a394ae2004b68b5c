"""Printed play material: a decision sheet per team, the facilitator's round log, event cards four to a page.

For a game played on paper, or beside the app: a team writes its moves on its decision sheet (one row per
lever it holds, one column per round of the seminar plan, a veto box where the team has a veto), the
facilitator keeps the round log (one row per round: the event cards, each team's entries, the vetoes, the
scores) and plays the event cards, printed four to an A4 page with cut marks. Every word comes from
``dprk_teaching/seminar.toml`` (``[sheets]``), the role-play's data (``dprk_roleplay``) and the parameter
registry; the number of rounds from the seminar plan (:func:`dprk_teaching.texts.default_plan`).

Each page is drawn with matplotlib, text measured with :class:`dprk_teaching.pages.Measure`; a page whose
content does not fit at :data:`dprk_teaching.pages.MIN_TEXT_PT` is refused with
:class:`dprk_teaching.pages.PageError`, and every page is checked with the renderer to stay inside its margins.

Examples
--------
>>> from dprk_teaching.play_sheets import sheet_titles
>>> sheet_titles()[-1]
'Round log'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from dprk_teaching.pages import (
    MARGIN_IN,
    MIN_TEXT_PT,
    Measure,
    PageError,
    check_paper,
    check_target,
    inside_page,
    write_pages,
)
from dprk_teaching.texts import default_plan, seminar
from model import registry

#: Text size (points) the sheets start from; smaller only where the content needs it, never below MIN_TEXT_PT.
BODY_PT = 10.0
#: Height (points) of a row to write in by hand: 11 mm, room for a number written with a pen.
WRITE_ROW_PT = 31.0
#: Least height (points) of the notes box under a decision sheet's table (25 mm).
NOTES_MIN_PT = 71.0
#: Event cards on one page (two by two) and the length of a cut mark (inches).
EVENTS_PER_PAGE = 4
CUT_MARK_IN = 0.25
LINE_COLOUR = "#444444"
HEADER_FILL = "#e8e8e8"


def _texts() -> dict[str, Any]:
    return seminar()["sheets"]


class Sheet:
    """One page being drawn from the top: text and ruled tables placed in inches, y measured in points.

    Parameters
    ----------
    size : (float, float)
        Page size in inches.
    measure : Measure
        Shared text measurer.
    """

    def __init__(self, size: tuple[float, float], measure: Measure) -> None:
        from matplotlib.figure import Figure

        self.size = size
        self.measure = measure
        self.figure = Figure(figsize=size, dpi=72)

    def _fx(self, x_in: float) -> float:
        return x_in / self.size[0]

    def _fy(self, y_pt: float) -> float:
        return 1 - y_pt / (self.size[1] * 72)

    def line(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.6, dashed: bool = False) -> None:
        """A line from (x0 in, y0 pt from the top) to (x1, y1)."""
        from matplotlib.lines import Line2D

        self.figure.add_artist(
            Line2D(
                [self._fx(x0), self._fx(x1)],
                [self._fy(y0), self._fy(y1)],
                transform=self.figure.transFigure,
                linewidth=width,
                color=LINE_COLOUR,
                linestyle=(0, (4, 3)) if dashed else "-",
            )
        )

    def box(self, x: float, y: float, width_in: float, height_pt: float, fill: str | None = None) -> None:
        """A rectangle with its top left corner at (x in, y pt from the top)."""
        from matplotlib.patches import Rectangle

        self.figure.add_artist(
            Rectangle(
                (self._fx(x), self._fy(y + height_pt)),
                width_in / self.size[0],
                height_pt / (self.size[1] * 72),
                transform=self.figure.transFigure,
                facecolor=fill or "none",
                edgecolor=LINE_COLOUR,
                linewidth=0.6,
            )
        )

    def text(
        self, text: str, x: float, y: float, width_in: float, size: float, bold: bool = False, colour: str = "#000000"
    ) -> float:
        """``text`` wrapped to ``width_in`` inches, its first line's top at ``y``; returns the height (points)."""
        step = size * 1.28
        lines = self.measure.wrap(text, width_in * 72, size, bold)
        for number, line in enumerate(lines):
            self.figure.text(
                self._fx(x),
                self._fy(y + step * (number + 1) - size * 0.28),
                line,
                fontsize=size,
                fontweight="bold" if bold else "normal",
                color=colour,
                ha="left",
                va="baseline",
                parse_math=False,
            )
        return step * len(lines)

    def text_height(self, text: str, width_in: float, size: float, bold: bool = False) -> float:
        """The height (points) :meth:`text` would take."""
        return size * 1.28 * len(self.measure.wrap(text, width_in * 72, size, bold))

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        x: float,
        y: float,
        size: float,
        min_height: float | Sequence[float] = 0.0,
    ) -> float:
        """A ruled table, its first row the header (shaded, bold); returns its height (points).

        ``widths`` are column widths in inches; ``min_height`` is the least height of the body rows
        (one number, or one per body row), so empty cells are boxes to write in.
        """
        pad_x, pad_y = 0.05, size * 0.35
        top = y
        for number, row in enumerate(rows):
            header = number == 0
            wanted = 0.0 if header else (min_height if isinstance(min_height, float | int) else min_height[number - 1])
            height = max(
                wanted,
                max(self.text_height(cell, w - 2 * pad_x, size, header) for cell, w in zip(row, widths, strict=True))
                + 2 * pad_y,
            )
            left = x
            for cell, width in zip(row, widths, strict=True):
                self.box(left, top, width, height, HEADER_FILL if header else None)
                self.text(cell, left + pad_x, top + pad_y, width - 2 * pad_x, size, bold=header)
                left += width
            top += height
        return top - y


def _fit(build: Callable[[float], tuple[Sheet, float]], what: str) -> Any:
    """The first text scale at which ``build`` fits its page (largest first); :class:`PageError` if none does."""
    for step in range(12):
        scale = 1.0 - 0.05 * step
        if BODY_PT * scale < MIN_TEXT_PT:
            break
        sheet, bottom = build(scale)
        if bottom <= (sheet.size[1] - MARGIN_IN) * 72 and inside_page(sheet.figure):
            return sheet.figure
    raise PageError(f"{what} does not fit on one page even with {MIN_TEXT_PT:g}-point text.")


def unit_and_range(name: str) -> str:
    """What a lever's value may be, for a sheet: its unit and range, its choices, or on/off."""
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return "one of: " + "; ".join(parameter.choice_labels)
    if parameter.kind == "bool":
        return "on or off"
    low, high = (registry.format_value(v, parameter) for v in (parameter.min, parameter.max))
    return f"{parameter.unit}, {low} to {high}" if parameter.unit else f"{low} to {high}"


def start_value(name: str) -> str:
    """A lever's value when a game starts (the baseline's, i.e. the registry default), as a sheet prints it."""
    parameter = registry.get(name)
    if parameter.kind == "choice":
        return parameter.choice_labels[int(parameter.default)]
    if parameter.kind == "bool":
        return "on" if parameter.default else "off"
    return registry.format_value(parameter.default, parameter)


def _round_headers(rounds: int, years_per_round: int) -> list[str]:
    from dprk_roleplay.game import FIRST_PROJECTION_YEAR

    heads = []
    for number in range(1, rounds + 1):
        first = FIRST_PROJECTION_YEAR + (number - 1) * years_per_round
        last = first + years_per_round - 1
        span = f"{first}" if first == last else f"{first}–{last}"
        heads.append(_texts()["round"].format(number=number, years=span))
    return heads


def _paper_size(paper: str, landscape: bool) -> tuple[float, float]:
    width, height = check_paper(paper)
    return (height, width) if landscape else (width, height)


def _set_up(rounds: int | None, years_per_round: int | None) -> tuple[int, int]:
    """The game's rounds and years per round, the seminar's default plan where not given.

    Checked by the game engine (:func:`dprk_roleplay.game.new_setup`): a set-up it would refuse (9 rounds,
    0 years) is refused here, naming the value.
    """
    import dprk_roleplay as roleplay
    from dprk_roleplay.game import new_setup

    plan = default_plan()
    setup = new_setup(tuple(roleplay.teams()), rounds or plan.rounds, years_per_round or plan.years_per_round)
    return setup.rounds, setup.years_per_round


def decision_sheet(
    team_key: str, paper: str = "a4", rounds: int | None = None, years_per_round: int | None = None
) -> Any:
    """One team's decision sheet: a row per lever it holds, a column per round, a veto row if it has a veto.

    Parameters
    ----------
    team_key : str
        A key of :func:`dprk_roleplay.teams`.
    paper : {"a4", "letter"}
    rounds, years_per_round : int, optional
        The game's set-up (default: the seminar's default plan). More than four rounds print in landscape.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import dprk_roleplay as roleplay

    rounds, years_per_round = _set_up(rounds, years_per_round)
    team = roleplay.teams()[team_key]
    text = _texts()
    size = _paper_size(paper, landscape=rounds > 4)
    council = set(roleplay.council_levers())
    measure = Measure()
    council_note = " (a Security Council decision: may be vetoed)"

    def build(scale: float) -> tuple[Sheet, float]:
        sheet = Sheet(size, measure)
        body = BODY_PT * scale
        x, width = MARGIN_IN, size[0] - 2 * MARGIN_IN
        y = MARGIN_IN * 72
        y += sheet.text(text["decision_kind"], x, y, width, max(MIN_TEXT_PT, body * 0.82), colour="#555555")
        y += sheet.text(team.title, x, y, width, body * 1.7, bold=True) + body * 0.4
        y += sheet.text(f"{text['objective']}: {team.objective}", x, y, width, body, bold=True) + body * 0.3
        y += sheet.text(text["decision_intro"], x, y, width, body) + body * 0.8
        fixed = [0.27, 0.19, 0.12]
        # A round's column holds "2025–2026" on one line (at least an inch); the lever columns give way.
        round_width = max(width * (1 - sum(fixed)) / rounds, 1.0)
        shrink = (width - rounds * round_width) / (width * sum(fixed))
        widths = [width * f * shrink for f in fixed] + [round_width] * rounds
        header = [text["lever"], text["unit"], text["start"], *_round_headers(rounds, years_per_round)]
        rows = [header]
        for name in team.levers:
            title = registry.get(name).title + (council_note if name in council else "")
            rows.append([title, unit_and_range(name), start_value(name), *[""] * rounds])
        # Rows as tall as the page allows (up to 16 mm), so a pen has room; the notes box takes what is left.
        room = (size[1] - MARGIN_IN) * 72 - y - NOTES_MIN_PT - 4 * body
        row_height = max(WRITE_ROW_PT, min(46.0, room / (len(rows) + (1 if team.veto else 0))))
        y += sheet.table(rows, widths, x, y, body * 0.92, row_height)
        if team.veto:
            label_width = sum(widths[:3])
            needed = sheet.text_height(text["veto"], label_width - 0.1, body * 0.92, bold=True) + body * 0.7
            height = max(row_height, needed)
            sheet.box(x, y, label_width, height)
            sheet.text(text["veto"], x + 0.05, y + body * 0.35, label_width - 0.1, body * 0.92, bold=True)
            left = x + label_width
            tick = 14.0  # points: a box to tick
            for column in widths[3:]:
                sheet.box(left, y, column, height)
                sheet.box(left + column / 2 - tick / 144, y + (height - tick) / 2, tick / 72, tick)
                left += column
            y += height
        y += body * 1.2
        y += sheet.text(text["notes"], x, y, width, body, bold=True) + body * 0.3
        notes = max(NOTES_MIN_PT, (size[1] - MARGIN_IN) * 72 - y)
        sheet.box(x, y, width, notes)
        return sheet, y + notes

    return _fit(build, f"the decision sheet of {team.title!r}")


def round_log(
    paper: str = "a4",
    rounds: int | None = None,
    years_per_round: int | None = None,
    team_keys: Sequence[str] | None = None,
) -> Any:
    """The facilitator's round log (landscape): a row per round; events, each team's entries, vetoes, scores.

    Parameters
    ----------
    paper : {"a4", "letter"}
    rounds, years_per_round : int, optional
        The game's set-up (default: the seminar's default plan).
    team_keys : sequence of str, optional
        The teams playing (default: all).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import dprk_roleplay as roleplay
    from dprk_roleplay.game import FIRST_PROJECTION_YEAR

    rounds, years_per_round = _set_up(rounds, years_per_round)
    teams = roleplay.teams()
    keys = list(team_keys or teams)
    text = _texts()
    size = _paper_size(paper, landscape=True)
    measure = Measure()

    def build(scale: float) -> tuple[Sheet, float]:
        sheet = Sheet(size, measure)
        body = BODY_PT * scale
        x, width = MARGIN_IN, size[0] - 2 * MARGIN_IN
        y = MARGIN_IN * 72
        y += sheet.text(text["log_kind"], x, y, width, max(MIN_TEXT_PT, body * 0.82), colour="#555555")
        y += sheet.text(text["log_title"], x, y, width, body * 1.7, bold=True) + body * 0.3
        y += sheet.text(text["log_intro"], x, y, width, body) + body * 0.8
        fixed = {"round": 0.08, "events": 0.14, "vetoes": 0.08, "scores": 0.13}
        team_width = width * (1 - sum(fixed.values())) / len(keys)
        widths = [width * fixed["round"], width * fixed["events"], *[team_width] * len(keys)]
        widths += [width * fixed["vetoes"], width * fixed["scores"]]
        header = [text["log_round"], text["log_events"], *(teams[k].short for k in keys)]
        header += [text["log_vetoes"], text["log_scores"]]
        scores = "\n".join(f"{teams[k].short}:" for k in keys)
        rows = [header]
        for number in range(1, rounds + 1):
            first = FIRST_PROJECTION_YEAR + (number - 1) * years_per_round
            span = f"{first}" if years_per_round == 1 else f"{first}–{first + years_per_round - 1}"
            rows.append([f"{number}\n{span}", "", *[""] * len(keys), "", scores])
        header_height = (
            max(sheet.text_height(cell, w - 0.1, body * 0.92, True) for cell, w in zip(header, widths, strict=True))
            + body * 0.7
        )
        room = (size[1] - MARGIN_IN) * 72 - y - header_height - 2
        row_height = max(WRITE_ROW_PT * 2, min(room / rounds, 170.0))
        y += sheet.table(rows, widths, x, y, body * 0.92, row_height)
        return sheet, y

    return _fit(build, "the round log")


def _event_lines(event: Any) -> list[tuple[str, str]]:
    """(style, text) of one event card: kind, title, description, what changes, the council rule, why, sources."""
    from dprk_teaching.cards import _change_text

    lines = [("kind", _texts()["event_kind"]), ("title", event.title), ("body", event.description)]
    lines.append(("bold", _change_text(event)))
    if event.council:
        council = seminar()["events"]["council"]
        lines.append(("body", council[:1].upper() + council[1:] + "."))
    lines.append(("small", f"Why: {event.reasoning}"))
    known = registry.sources()
    for key in event.sources:
        lines.append(("small", f"Source: {known[key].citation()}"))
    return lines


def event_pages(paper: str = "a4") -> list[Any]:
    """The event cards, four to a page (two by two), with cut marks in the margins and a cross at the centre.

    Returns
    -------
    list of matplotlib.figure.Figure
        One page per four cards.
    """
    import dprk_roleplay as roleplay

    size = check_paper(paper)
    measure = Measure()
    cards = list(roleplay.events().values())
    pages = []
    for first in range(0, len(cards), EVENTS_PER_PAGE):
        chunk = cards[first : first + EVENTS_PER_PAGE]
        pages.append(_fit(lambda scale, c=chunk: _event_page(size, measure, c, scale), "a page of event cards"))
    return pages


def _event_page(size: tuple[float, float], measure: Measure, chunk: Sequence[Any], scale: float) -> tuple[Sheet, float]:
    sheet = Sheet(size, measure)
    half_w, half_h = size[0] / 2, size[1] * 72 / 2
    inner = 0.35  # inches between a card's text and a cut line
    body = BODY_PT * scale
    styles = {
        "kind": (max(MIN_TEXT_PT, body * 0.78), False, "#555555"),
        "title": (body * 1.35, True, "#000000"),
        "body": (body, False, "#000000"),
        "bold": (body, True, "#000000"),
        "small": (max(MIN_TEXT_PT, body * 0.8), False, "#333333"),
    }
    worst = 0.0
    for index, event in enumerate(chunk):
        column, row = index % 2, index // 2
        left = MARGIN_IN if column == 0 else half_w + inner
        right = half_w - inner if column == 0 else size[0] - MARGIN_IN
        top = MARGIN_IN * 72 if row == 0 else half_h + inner * 72
        bottom = half_h - inner * 72 if row == 0 else (size[1] - MARGIN_IN) * 72
        y = top
        for style, words in _event_lines(event):
            points, bold, colour = styles[style]
            y += sheet.text(words, left, y, right - left, points, bold, colour) + points * 0.45
        worst = max(worst, y - bottom)  # > 0: this card runs past its quarter
    _cut_marks(sheet)
    return sheet, (size[1] - MARGIN_IN) * 72 + max(worst, 0.0)


def _cut_marks(sheet: Sheet) -> None:
    """Marks where the page is cut in four: at the edges' midpoints (inside the margin) and a cross at the centre."""
    width, height = sheet.size[0], sheet.size[1] * 72
    edge = MARGIN_IN * 0.55  # inches from the paper's edge: inside what printers print
    mark = CUT_MARK_IN
    mid_x, mid_y = width / 2, height / 2
    sheet.line(mid_x, edge * 72, mid_x, (edge + mark) * 72)
    sheet.line(mid_x, height - (edge + mark) * 72, mid_x, height - edge * 72)
    sheet.line(edge, mid_y, edge + mark, mid_y)
    sheet.line(width - edge - mark, mid_y, width - edge, mid_y)
    sheet.line(mid_x - mark / 2, mid_y, mid_x + mark / 2, mid_y)
    sheet.line(mid_x, mid_y - mark * 36, mid_x, mid_y + mark * 36)


def sheet_titles(team_keys: Iterable[str] | None = None) -> list[str]:
    """Titles of the pages :func:`write_sheets` writes, in order: a decision sheet per team, then the round log."""
    import dprk_roleplay as roleplay

    teams = roleplay.teams()
    return [teams[key].title for key in (team_keys or teams)] + [_texts()["log_title"]]


def sheet_pages(paper: str = "a4", rounds: int | None = None, years_per_round: int | None = None) -> list[Any]:
    """The decision sheet of every team, then the round log: one page each."""
    import dprk_roleplay as roleplay

    pages = [decision_sheet(key, paper, rounds, years_per_round) for key in roleplay.teams()]
    return [*pages, round_log(paper, rounds, years_per_round)]


def write_sheets(
    path: str | Path,
    paper: str = "a4",
    rounds: int | None = None,
    years_per_round: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write the decision sheets (one per team) and the round log as one PDF, one page each.

    Parameters
    ----------
    path : str or Path
        Target ending in ``.pdf``; its folder must exist.
    paper : {"a4", "letter"}
    rounds, years_per_round : int, optional
        The game's set-up (default: the seminar's default plan, :func:`dprk_teaching.texts.default_plan`).
    overwrite : bool
        Replace an existing file (only once the new one is complete).

    Returns
    -------
    Path

    Raises
    ------
    dprk_teaching.pages.PageError
        For a bad paper, target, or set-up; nothing is written then.
    """
    check_paper(paper)
    path = check_target(path, overwrite)
    pages = sheet_pages(paper, *_set_up(rounds, years_per_round))
    return write_pages(pages, path, "Role-play decision sheets and round log: North Korea's lifelines", overwrite)


__all__ = [
    "decision_sheet",
    "event_pages",
    "round_log",
    "sheet_pages",
    "sheet_titles",
    "start_value",
    "unit_and_range",
    "write_sheets",
]
