"""The static fallback: every preset's figures and handout, the role cards and the slides, in one folder.

For a room where no kernel can run: ``python -m model static OUT_DIR`` (or ``./suite static OUT_DIR``)
writes PNG figures and PDF handouts of every preset, ``cards.pdf``, ``sheets.pdf``, ``slides.pdf`` and an ``index.html``
that links them all, so a teacher can project the folder from any browser. Everything is rendered in
memory first and written only when complete, so a failure leaves no half-filled folder.

Examples
--------
>>> from dprk_teaching.static import planned_files
>>> "index.html" in planned_files() and "cards.pdf" in planned_files()
True
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

from dprk_teaching.pages import PageError, check_paper

INDEX = "index.html"


def _png(figure: Any) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()


def _figure_files(name: str, scenario: Any, content: Any) -> dict[str, bytes]:
    """The preset's PNG figures: the handout's headline figure, and the lab figure where the preset projects."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from dprk_figures import style
    from dprk_figures.lab import LabFigure
    from model.core import simulate
    from model.scenarios import BASELINE, load_preset
    from model.timeline import FIRST_PROJECTION_YEAR, FOCUS_YEAR

    files = {}
    with mpl.rc_context(style.RC):
        headline = Figure(figsize=(10, 3.6), dpi=100)
        content.draw_figure(headline)
        files[f"{name}-headline.png"] = _png(headline)
        if scenario.last_year >= FIRST_PROJECTION_YEAR:
            baseline = simulate(load_preset(BASELINE).params)
            lab = Figure(figsize=(10, 6.5), dpi=100)
            LabFigure(lab, baseline.years, baseline, simulate(scenario.params), focus_year=FOCUS_YEAR)
            files[f"{name}-lab.png"] = _png(lab)
    return files


def planned_files() -> list[str]:
    """Names of the files :func:`write_static` writes, in index order (without rendering anything)."""
    from model.scenarios import load_preset, preset_names
    from model.timeline import FIRST_PROJECTION_YEAR

    names = []
    for name in preset_names():
        names += [f"{name}-handout.pdf", f"{name}-headline.png"]
        if load_preset(name).last_year >= FIRST_PROJECTION_YEAR:
            names.append(f"{name}-lab.png")
    return [*names, "cards.pdf", "sheets.pdf", "slides.pdf", INDEX]


def _index(entries: list[dict[str, Any]]) -> str:
    """The page linking every file: one section per preset, then the cards and the slides."""
    sections = []
    for entry in entries:
        images = "".join(
            f'<p><a href="{html.escape(f)}"><img src="{html.escape(f)}" alt="{html.escape(entry["title"])}: '
            f'{"lab figure" if f.endswith("-lab.png") else "headline figure"}"></a></p>'
            for f in entry["figures"]
        )
        sections.append(
            f"<section><h2>{html.escape(entry['title'])}</h2><p>{html.escape(entry['description'])}</p>"
            f'<p><a href="{html.escape(entry["handout"])}">Handout (PDF, one page)</a></p>{images}</section>'
        )
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<title>North Korea's lifelines: static materials</title>"
        "<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;padding:0 1em;font-size:18px}"
        "img{max-width:100%;border:1px solid #ddd}section{margin-bottom:2.5em}</style></head><body>"
        "<h1>North Korea's lifelines: static materials</h1>"
        "<p>Figures and handouts of every preset, made by the model (no kernel needed). "
        "Every input's source is in model/parameters.toml.</p>"
        '<ul><li><a href="slides.pdf">Slides (PDF, 16:9)</a></li>'
        '<li><a href="cards.pdf">Role-play cards (PDF: a page per team and for the facilitator, '
        "event cards four to a page)</a></li>"
        '<li><a href="sheets.pdf">Role-play decision sheets and round log (PDF, one page each)</a></li></ul>'
        + "".join(sections)
        + "</body></html>\n"
    )


def write_static(folder: str | Path, paper: str = "a4", overwrite: bool = False) -> list[Path]:
    """Render every preset's figures (PNG) and handout (PDF), the cards, the slides and ``index.html``.

    Parameters
    ----------
    folder : str or Path
        Created if missing (its parent must exist); an existing folder must be empty unless ``overwrite``.
    paper : {"a4", "letter"}
        Paper of the handouts and cards.
    overwrite : bool
        Write into a folder that already holds files (files of the same names are replaced).

    Returns
    -------
    list of Path
        The files written, in :func:`planned_files` order.

    Raises
    ------
    dprk_teaching.pages.PageError
        For a bad paper, a folder whose parent is missing, a path that is a file, or a non-empty folder
        without ``overwrite``; nothing is written then.
    """
    from dprk_teaching.cards import card_pages
    from dprk_teaching.handout import content_for_scenario, handout_page
    from dprk_teaching.pages import pdf_bytes
    from dprk_teaching.play_sheets import sheet_pages
    from dprk_teaching.slides import slide_pages
    from model.scenarios import load_preset, preset_names
    from model.tidy import write_bytes

    check_paper(paper)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise PageError(f"{folder} is a file; give a folder for the static materials.")
    if not folder.exists() and not (folder.parent if str(folder.parent) else Path(".")).is_dir():
        raise PageError(f"{folder}: folder {folder.parent} does not exist.")
    if folder.is_dir() and any(folder.iterdir()) and not overwrite:
        raise PageError(f"{folder} is not empty; choose an empty folder or allow overwriting (--overwrite).")
    files: dict[str, bytes] = {}
    entries = []
    for name in preset_names():
        scenario = load_preset(name)
        content = content_for_scenario(scenario)
        files[f"{name}-handout.pdf"] = pdf_bytes([handout_page(content, paper)], content.title)
        figures = _figure_files(name, scenario, content)
        files.update(figures)
        entries.append(
            {
                "title": scenario.title,
                "description": scenario.description,
                "handout": f"{name}-handout.pdf",
                "figures": list(figures),
            }
        )
    files["cards.pdf"] = pdf_bytes(card_pages(paper), "Role-play cards: North Korea's lifelines")
    files["sheets.pdf"] = pdf_bytes(sheet_pages(paper), "Role-play decision sheets and round log")
    files["slides.pdf"] = pdf_bytes(slide_pages(), "North Korea's lifelines: seminar slides")
    files[INDEX] = _index(entries).encode("utf-8")
    folder.mkdir(exist_ok=True)
    return [write_bytes(folder / name, files[name]) for name in planned_files()]


__all__ = ["INDEX", "planned_files", "write_static"]
