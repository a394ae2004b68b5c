"""The lecturer's board: every hand-in of the class on one chart and in one table, with CSV and PDF exports.

Each hand-in's scenario code is run through the model on the server (:func:`results_of`; numpy only, a
few milliseconds a code, cached), so the board shows what the model says of each scenario, never what
a page claims. The chart puts every hand-in at its net hard currency in :data:`YEAR` against Russia's
share of North Korea's lifeline flows in that year, numbered as in the table; the presets (the baseline
first) are marked for reference. The table can be sorted by any headline (``board.js``), and each row
opens the hand-in in the scenario lab (``…/voila/render/05_scenario_lab.ipynb?s=CODE``).

Names and sentences are the students' own text: every page escapes them (:func:`html.escape`), the chart
shows only numbers, and the CSV prefixes a cell that a spreadsheet would read as a formula with ``'``.
"""

from __future__ import annotations

import argparse
import csv
import html
import io
import json
import re
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from model import simulate
from model.scenario_code import decode, preset_codes
from model.scenarios import BASELINE, load_preset

#: The year the board compares (the horizon of the seminar's question).
YEAR = 2030
BOARD_JS = Path(__file__).with_name("board.js")
BOARD_CSS = Path(__file__).with_name("board.css")
#: The lab a hand-in opens in.
LAB = "05_scenario_lab.ipynb"
#: One drawing at a time: the server draws in worker threads, and matplotlib's text and font caches are
#: shared by all figures.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class Column:
    """One headline of the board: the model's key, a heading, its unit and how a value is written."""

    key: str
    heading: str
    unit: str
    scale: float
    digits: int

    def shown(self, value: float) -> str:
        """``value`` in the column's unit, as the table writes it."""
        return f"{value / self.scale:.{self.digits}f}"


#: The headlines the board shows (keys of :meth:`model.results.Results.headline`), in the year :data:`YEAR`.
COLUMNS = (
    Column("net_hard_currency_usd", f"Net hard currency {YEAR}", "USD bn/yr", 1e9, 2),
    Column("lifeline_share_russia", f"Russia's share of lifeline flows {YEAR}", "%", 0.01, 1),
    Column("lifeline_share_china", f"China's share of lifeline flows {YEAR}", "%", 0.01, 1),
    Column("hard_currency_total_usd", f"Hard currency earned {YEAR}", "USD bn/yr", 1e9, 2),
    Column("leverage_china_usd", f"China's leverage {YEAR}", "USD bn/yr", 1e9, 2),
    Column("leverage_russia_usd", f"Russia's leverage {YEAR}", "USD bn/yr", 1e9, 2),
)
X, Y = COLUMNS[1], COLUMNS[0]
TEXT = {
    "title": "Class board: the scenarios handed in",
    "lede": (
        "Each number is a hand-in, placed where the model puts its scenario in {year}; grey diamonds are the "
        "presets, the star the baseline. Sort the table by any heading; a code opens the scenario in the lab."
    ),
    "none": "No hand-ins yet.",
    "csv": "Download CSV",
    "pdf": "Download PDF (one page)",
    "number": "#",
    "name": "name",
    "argument": "argument",
    "code": "scenario code",
    "time": "handed in (UTC)",
    "pdf_more": "… and {more} more hand-ins (the CSV has them all).",
    "preset": "preset",
}


@lru_cache(maxsize=4096)
def results_of(code: str) -> dict[str, float]:
    """The board's headlines (:data:`COLUMNS`) of the scenario a code holds, in :data:`YEAR`.

    Parameters
    ----------
    code : str
        A scenario code (validated as everywhere: :func:`model.scenario_code.decode`).

    Returns
    -------
    dict of str to float
        Headline key → value in the model's unit (USD/yr, fraction).
    """
    state = decode(code)
    headline = simulate(state.scenario(code).params).headline(YEAR)
    return {column.key: headline[column.key] for column in COLUMNS}


@lru_cache(maxsize=1)
def reference_points() -> tuple[tuple[str, str, dict], ...]:
    """``(preset name, title, headlines)`` for every preset with a code number, the baseline first."""
    names = sorted(preset_codes(), key=lambda n: (n != BASELINE, preset_codes()[n]))
    out = []
    for name in names:
        preset = load_preset(name)
        headline = simulate(preset.params).headline(YEAR)
        out.append((name, preset.title, {c.key: headline[c.key] for c in COLUMNS}))
    return tuple(out)


def rows(handins: list[dict]) -> list[dict]:
    """Every hand-in with its headlines (``results``), in the order given."""
    return [{**h, "results": results_of(h["code"])} for h in handins]


def chart(board_rows: list[dict], fmt: str = "svg", *, width: float = 13.33, height: float = 7.5) -> bytes:
    """The projector chart: every hand-in (by number) and the presets, net hard currency against Russia's share.

    Parameters
    ----------
    board_rows : list of dict
        From :func:`rows`.
    fmt : {"svg", "pdf", "png"}
    width, height : float
        Inches (16:9 by default, a projector's shape).

    Returns
    -------
    bytes
    """
    from matplotlib.figure import Figure  # no pyplot: the server draws in a worker thread

    with _DRAWING:
        figure = Figure(figsize=(width, height), layout="constrained")
        _plot(figure.add_subplot(), board_rows, size=1.0)
        out = io.BytesIO()
        figure.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    return out.getvalue()


@lru_cache(maxsize=8)
def _svg_of(points: tuple[tuple[int, str], ...]) -> bytes:
    return chart([{"number": number, "code": code, "results": results_of(code)} for number, code in points])


def chart_svg(board_rows: list[dict]) -> bytes:
    """:func:`chart` as SVG, drawn once per set of hand-ins (the board is reloaded far more often than it changes)."""
    return _svg_of(tuple((row["number"], row["code"]) for row in board_rows))


def _plot(axes, board_rows: list[dict], size: float) -> None:
    """Draw the presets (grey diamonds, the baseline a star) and the hand-ins (numbered discs) on ``axes``.

    ``size`` scales markers and text: 1 for the projector, about 0.5 for the PDF page.
    """
    seen: list[tuple[float, float]] = []
    for index, (name, title, values) in enumerate(reference_points()):
        baseline = name == BASELINE
        x, y = values[X.key] / X.scale, values[Y.key] / Y.scale
        if any(abs(x - a) < 1e-9 and abs(y - b) < 1e-9 for a, b in seen):
            continue  # the same point as a preset already marked (the history preset is the baseline's past)
        seen.append((x, y))
        axes.scatter(x, y, marker="*" if baseline else "D", s=(260 if baseline else 70) * size**2,
                     color="#444444" if baseline else "#aaaaaa", zorder=5 if baseline else 2)  # fmt: skip
        axes.annotate(title, (x, y), xytext=(8 * size, (8 if index % 2 else -14) * size), textcoords="offset points",
                      fontsize=10 * size + 1, color="#555555")  # fmt: skip
    for row in board_rows:
        x, y = row["results"][X.key] / X.scale, row["results"][Y.key] / Y.scale
        axes.scatter(x, y, s=420 * size**2, color="#1f5fa8", alpha=0.8, zorder=3)
        axes.annotate(str(row["number"]), (x, y), ha="center", va="center", fontsize=11 * size + 1, color="white",
                      weight="bold", zorder=4)  # fmt: skip
    axes.set_xlabel(f"{X.heading} ({X.unit})", fontsize=15 * size + 1)
    axes.set_ylabel(f"{Y.heading} ({Y.unit})", fontsize=15 * size + 1)
    axes.tick_params(labelsize=13 * size + 1)
    axes.grid(alpha=0.3)
    axes.set_title(TEXT["title"], fontsize=18 * size + 2)


def _safe_cell(value) -> str:
    """A CSV cell a spreadsheet shows as text (a leading ``=``, ``+``, ``-``, ``@`` or tab gets a ``'``)."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(text) else text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def to_csv(board_rows: list[dict]) -> str:
    """The whole board as CSV: number, name, argument, code, app, time, then every headline (with unit)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["number", "name", "argument", "code", "app", "time_utc", *(f"{c.heading} [{c.unit}]" for c in COLUMNS)]
    )
    for row in board_rows:
        writer.writerow(
            [
                row["number"],
                *(_safe_cell(row[k]) for k in ("name", "text", "code", "app", "time")),
                *(c.shown(row["results"][c.key]) for c in COLUMNS),
            ]
        )
    return out.getvalue()


def to_pdf(board_rows: list[dict], max_rows: int = 18) -> bytes:
    """One A4-landscape page: the chart above, the table (first ``max_rows`` hand-ins) below."""
    with _DRAWING:
        return _pdf(board_rows, max_rows)


def _pdf(board_rows: list[dict], max_rows: int) -> bytes:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    figure = Figure(figsize=(11.69, 8.27))
    top, bottom = figure.subfigures(2, 1, height_ratios=[1.25, 1])
    _plot(top.add_subplot(), board_rows, size=0.5)
    axes = bottom.add_subplot()
    axes.axis("off")
    shown = board_rows[:max_rows]
    table_columns = COLUMNS[:3]
    cells = [
        [str(r["number"]), _clip(r["name"], 24), _clip(r["text"], 70)]
        + [c.shown(r["results"][c.key]) for c in table_columns]
        for r in shown
    ]
    headings = [TEXT["number"], TEXT["name"], TEXT["argument"], *(f"{c.heading} ({c.unit})" for c in table_columns)]
    if cells:
        table = axes.table(cellText=cells, colLabels=headings, loc="upper center", cellLoc="left",
                           colWidths=[0.03, 0.15, 0.46, 0.12, 0.12, 0.12])  # fmt: skip
        table.auto_set_font_size(False)
        table.set_fontsize(6.5)
    else:
        axes.text(0.5, 0.9, TEXT["none"], ha="center", fontsize=12)
    if len(board_rows) > max_rows:
        axes.text(0.0, 0.0, TEXT["pdf_more"].format(more=len(board_rows) - max_rows), fontsize=8)
    out = io.BytesIO()
    with PdfPages(out, metadata={"CreationDate": None}) as pdf:
        pdf.savefig(figure)
    return out.getvalue()


def _clip(text: str, limit: int) -> str:
    """A student's text for the PDF: shortened, and with ``$`` written as itself (not as maths to typeset)."""
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def page(board_rows: list[dict], *, base_url: str = "/", svg: str = "") -> str:
    """The board's HTML page: chart, sortable table, export links (every student text escaped)."""
    esc = html.escape
    lab = base_url.rstrip("/") + "/voila/render/" + LAB
    body = []
    for row in board_rows:
        values = "".join(
            f'<td data-value="{row["results"][c.key]!r}">{esc(c.shown(row["results"][c.key]))}</td>' for c in COLUMNS
        )
        body.append(
            f'<tr><td data-value="{row["number"]}">{row["number"]}</td><td>{esc(row["name"])}</td>'
            f'<td class="argument">{esc(row["text"])}</td>{values}'
            f'<td class="code"><a class="open-code" href="{esc(lab)}?s={esc(row["code"])}" target="_blank" '
            'rel="noopener">'
            f"{esc(row['code'])}</a></td><td>{esc(row['time'])}</td></tr>"
        )
    for _name, title, values in reference_points():
        cells = "".join(f'<td data-value="{values[c.key]!r}">{esc(c.shown(values[c.key]))}</td>' for c in COLUMNS)
        body.append(
            f'<tr class="preset"><td data-value="0">{esc(TEXT["preset"])}</td><td>{esc(title)}</td>'
            f"<td></td>{cells}<td></td><td></td></tr>"
        )
    headings = [TEXT["number"], TEXT["name"], TEXT["argument"], *(f"{c.heading} ({c.unit})" for c in COLUMNS)]
    heads = "".join(
        f'<th scope="col"><button type="button" class="sort" data-column="{i}">{esc(h)}</button></th>'
        for i, h in enumerate(headings)
    )
    heads += f'<th scope="col">{esc(TEXT["code"])}</th><th scope="col">{esc(TEXT["time"])}</th>'
    empty = "" if board_rows else f'<p class="none">{esc(TEXT["none"])}</p>'
    board = base_url.rstrip("/") + "/classroom/board"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{esc(TEXT["title"])}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
{BOARD_CSS.read_text(encoding="utf-8")}</style></head>
<body>
<h1>{esc(TEXT["title"])}</h1>
<p>{esc(TEXT["lede"].format(year=YEAR))}</p>
<p><a id="board-csv" href="{esc(board)}.csv">{esc(TEXT["csv"])}</a> ·
<a id="board-pdf" href="{esc(board)}.pdf">{esc(TEXT["pdf"])}</a></p>
<div class="chart">{svg}</div>
{empty}
<table id="board"><thead><tr>{heads}</tr></thead>
<tbody>
{"".join(body)}
</tbody></table>
<script src="{esc(board)}.js"></script>
</body></html>
"""


def from_files(paths: list[Path]) -> tuple[list[dict], list[str]]:
    """Hand-in files (downloaded by the apps outside the class server) as board rows, and why others were refused.

    Each file is validated as the class server validates a hand-in (:func:`classroom.handins.validate`);
    a student's several files all count (there is no session to cap them by).
    """
    from .handins import HandinError, validate

    handins, refused = [], []
    for path in paths:
        try:
            raw = Path(path).read_bytes()
            if len(raw) > 8_192:
                raise HandinError("larger than a hand-in can be")
            document = validate(json.loads(raw.decode("utf-8")))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            refused.append(f"{path}: {error}")
            continue
        handins.append({**document, "number": len(handins) + 1, "time": ""})
    return rows(handins), refused


def main(argv: list[str] | None = None) -> int:
    """``python -m classroom.board FILE … [--csv F] [--pdf F] [--html F]``: a board from hand-in files.

    For a course on a JupyterHub (no class server): the lecturer collects the students' hand-in files and
    makes the same board, CSV and one-page PDF. Files that are not valid hand-ins are named on stderr, one
    line each, and left out; the exit status is 2 when none was valid.
    """
    parser = argparse.ArgumentParser(prog="python -m classroom.board", description=main.__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="hand-in files (handin-….json)")
    parser.add_argument("--csv", type=Path, help="write the board as CSV here")
    parser.add_argument("--pdf", type=Path, help="write the board as a one-page PDF here")
    parser.add_argument("--html", type=Path, help="write the board's page here")
    parser.add_argument(
        "--base-url", default="/", help="where the lab links open, e.g. https://hub.example.edu/user/NAME/ (default /)"
    )
    args = parser.parse_args(argv)
    board_rows, refused = from_files(args.files)
    for line in refused:
        print(f"error: {line}", file=sys.stderr)
    if not board_rows:
        print("error: none of the files is a hand-in; nothing written.", file=sys.stderr)
        return 2
    if args.csv:
        args.csv.write_text(to_csv(board_rows), encoding="utf-8")
    if args.pdf:
        args.pdf.write_bytes(to_pdf(board_rows))
    if args.html:
        svg = chart(board_rows).decode("utf-8")
        page_text = page(board_rows, base_url=args.base_url, svg=svg[svg.index("<svg") :])
        script = BOARD_JS.read_text(encoding="utf-8")
        page_text = re.sub(
            r'<script src="[^"]*board\.js"></script>', lambda _m: f"<script>\n{script}</script>", page_text
        )
        args.html.write_text(page_text, encoding="utf-8")
    print(f"{len(board_rows)} hand-ins on the board ({len(refused)} files refused).")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = [
    "BOARD_JS",
    "COLUMNS",
    "YEAR",
    "chart",
    "from_files",
    "main",
    "page",
    "reference_points",
    "results_of",
    "rows",
    "to_csv",
    "to_pdf",
]
