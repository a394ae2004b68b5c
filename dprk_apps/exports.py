"""Saving what a student made: the scenario (TOML), the figure (PNG + PDF with sources), the results (CSV).

Every file gets a new name (:func:`unique_path`), so an export never overwrites one; the CSV is written
by the one tidy-CSV writer (:func:`model.tidy.write_csv`) in the scenario's years.

**Downloads.** In a classroom the student's browser is not the server, so a file saved on the server is
out of the student's reach. After the server copy is written, :class:`Downloads` puts a download link
for each file next to the button that made it (the file's bytes inside the link, so it needs no route
on the server and works the same in Voilà and JupyterLab) and clicks it for the student: the file lands
in the browser's downloads folder, and the link stays for another click. Any export (the handout, the
role-play game file) delivers its files through :meth:`Downloads.offer`.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import mimetypes
import os
import secrets
import textwrap
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dprk_apps.controls import ControlPanel
from dprk_apps.feedback import ErrorBox
from dprk_teaching.tables import sources_for
from model import registry as _registry
from model.scenarios import from_params, save_scenario
from model.tidy import scenario_rows, write_csv


def _cite_short(source: _registry.Source) -> str:
    return f"{source.publisher} ({source.date}): {source.title}"


#: The sources footer takes at most this share of an exported image's height (all of it took ~40%).
FOOTER_MAX_SHARE = 0.15
FOOTER_FONT_PT = 8
_LINE_HEIGHT = 1.35  # a footer line, in font sizes (matplotlib spaces lines 1.2 apart; with margin)


def footer_text(fig: Any, cited: Iterable[str]) -> str:
    """The sources footer for ``fig``, wrapped, and shortened to fit :data:`FOOTER_MAX_SHARE` of it.

    Citations that do not fit are counted ("and 12 more") and pointed to where all of them are listed.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    cited : iterable of str
        Citations in order of importance (the parameters shown first).

    Returns
    -------
    str
    """
    cited = list(dict.fromkeys(cited))
    width = max(60, int(fig.get_figwidth() * 72 / (0.58 * FOOTER_FONT_PT)))  # characters about 0.58 em wide
    line_in = FOOTER_FONT_PT * _LINE_HEIGHT / 72
    # The saved image is the figure plus a title (two lines at 12 pt) and this footer.
    title_in = 2 * 12 * 1.2 / 72
    max_lines = max(2, int(FOOTER_MAX_SHARE * (fig.get_figheight() + title_in) / ((1 - FOOTER_MAX_SHARE) * line_in)))
    tail = " Model: dprk-lifelines (scenario values in the matching TOML export)."
    for shown in range(len(cited), -1, -1):
        rest = len(cited) - shown
        listed = "; ".join(cited[:shown]) if shown else "see model/sources.toml"
        more = f"; and {rest} more (every source: python -m model params)" if rest and shown else ""
        text = textwrap.fill(f"Sources: {listed}{more}.{tail}", width)
        if text.count("\n") + 1 <= max_lines:
            return text
    return textwrap.fill(f"Sources: see model/sources.toml.{tail}", width)


def annotate(fig: Any, title: str, scenario: str, cited: Iterable[str]) -> list:
    """Add the export's title (above) and sources footer (below) to ``fig``; returns the added texts."""
    return [
        fig.text(0.01, 1.0, f"{title}\nScenario: {scenario}", ha="left", va="bottom", fontsize=12, weight="bold"),
        fig.text(0.01, -0.01, footer_text(fig, cited), ha="left", va="top", fontsize=FOOTER_FONT_PT, color="#333"),
    ]


def save_figure(
    fig: Any,
    folder: str | Path,
    stem: str,
    title: str,
    scenario: str,
    names: Iterable[str] = (),
    extra_sources: Iterable[str] = (),
) -> list[Path]:
    """Save ``fig`` as PNG and PDF with a title, the scenario name and a sources footer.

    The texts are added for the saving only and removed afterwards, so the live figure is unchanged.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    folder : str or Path
        Created if missing.
    stem : str
        File name start; a timestamp (and a counter if needed) keeps every file new.
    title, scenario : str
        Printed above the figure.
    names : iterable of str
        Parameters shown; their registry sources are listed in the footer.
    extra_sources : iterable of str
        Further citations (e.g. of observations drawn), listed after the parameters' sources.

    Returns
    -------
    list of Path
        The PNG and the PDF written.
    """
    cited = [_cite_short(s) for s in sources_for(names)] + list(extra_sources)
    added = annotate(fig, title, scenario, cited)
    paths = []
    try:
        for suffix in (".png", ".pdf"):
            path = unique_path(folder, stem, suffix)
            fig.savefig(path, dpi=150, bbox_inches="tight")
            paths.append(path)
    finally:
        for artist in added:
            artist.remove()
    return paths


def save_results_csv(results: Any, folder: str | Path, stem: str, scenario: Any = None) -> Path:
    """Write results as a tidy CSV (the same writer as ``python -m model run``); returns the path.

    Parameters
    ----------
    results : model.results.Results
    folder : str or Path
        Created if missing.
    stem : str
        File name start; a timestamp keeps every file new.
    scenario : model.scenarios.Scenario, optional
        Its years bound the rows.

    Returns
    -------
    Path
    """
    path = unique_path(folder, stem, ".csv")
    return write_csv(path, scenario_rows(results, scenario))


#: Environment variable naming the folder for the server copies (the browser tests point it elsewhere).
EXPORT_FOLDER_VARIABLE = "DPRK_LIFELINES_EXPORTS"


def export_folder() -> Path:
    """``exports/`` at the repository root when running from a checkout, else in the working directory.

    The environment variable :data:`EXPORT_FOLDER_VARIABLE`, when set, names another folder.
    """
    if os.environ.get(EXPORT_FOLDER_VARIABLE):
        return Path(os.environ[EXPORT_FOLDER_VARIABLE])
    root = Path(__file__).resolve().parents[1]
    base = root if (root / "pyproject.toml").is_file() else Path.cwd()
    return base / "exports"


def unique_path(folder: str | Path, stem: str, suffix: str) -> Path:
    """A new file path ``folder/stem-YYYYmmdd-HHMMSS[-n]suffix``, reserved for the caller (folder created).

    The name is taken by creating an empty file with ``O_EXCL``, so two students saving in the same second,
    in two kernels, get two names and neither is refused; the caller then writes over its own empty file.
    Never returns a file that existed before.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in stem).strip("-") or "scenario"
    base = f"{safe}-{datetime.now():%Y%m%d-%H%M%S}"
    path, counter = folder / f"{base}{suffix}", 1
    while True:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
            return path
        except FileExistsError:
            counter += 1
            path = folder / f"{base}-{counter}{suffix}"


#: MIME types of the files the suite exports (``mimetypes`` does not know all of them everywhere).
MIME_TYPES = {
    ".toml": "application/toml",
    ".json": "application/json",
    ".csv": "text/csv",
    ".png": "image/png",
    ".pdf": "application/pdf",
}

#: The download links' inline handler (``download_click.js`` beside this module, read once): each link is
#: clicked once when shown, a batch at most once per browser. Its comment lines are dropped and the rest is
#: joined into one line, for an ``onerror`` attribute.
CLICK_JS_FILE = Path(__file__).with_name("download_click.js")
_CLICK_JS = " ".join(
    line.strip()
    for line in CLICK_JS_FILE.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.strip().startswith("//")
)


def mime_type(path: str | Path) -> str:
    """The MIME type a browser is told for ``path`` (by suffix; unknown suffixes are plain bytes)."""
    suffix = Path(path).suffix.lower()
    return MIME_TYPES.get(suffix) or mimetypes.guess_type(str(path))[0] or "application/octet-stream"


def download_links_html(paths: Iterable[Path], batch: str | None = None, click: bool = True) -> str:
    """HTML of one download link per file (the bytes inside the link), clicked once when shown.

    Parameters
    ----------
    paths : iterable of Path
        Files already written on the server.
    batch : str, optional
        Id of this set of links (default: a new random one); the browser downloads a batch at most once.
    click : bool
        Click the links for the student when shown (otherwise the links only wait to be clicked).

    Returns
    -------
    str
    """
    batch = batch or f"dprk-download-{secrets.token_hex(8)}"
    links = []
    for path in paths:
        path = Path(path)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        links.append(
            f"<a download='{html.escape(path.name, quote=True)}' href='data:{mime_type(path)};base64,{data}'"
            f" class='export-download'>{html.escape(path.name)}</a>"
        )
    clicker = f"<img src='' alt='' style='display:none' onerror=\"{html.escape(_CLICK_JS, quote=True)}\">"
    return (
        f"<span class='export-downloads' data-batch='{batch}'>Downloaded to your browser: "
        + ", ".join(links)
        + (clicker if click else "")
        + "</span>"
    )


#: Name of the private temporary folder an export is written to when the exports folder cannot be written.
SPARE_FOLDER_NAME = "dprk-export-spare"


def _spare_folder() -> Path:
    """A private folder (mode 700) for exports that cannot be kept: written, delivered, then removed."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="dprk-")) / SPARE_FOLDER_NAME
    folder.mkdir(mode=0o700)
    return folder


def write_or_spare(folder: str | Path, make: Callable[[Path], list[Path]]) -> list[Path]:
    """Write an export with ``make(folder)``, or, if the folder cannot be written, into a spare folder.

    Every export of the suite goes through here, so a student always gets the file (the caller hands the
    paths to :meth:`Downloads.offer`, which names no server folder and removes a spare copy once delivered).

    Parameters
    ----------
    folder : str or Path
        The exports folder.
    make : callable
        Writes the export into the folder it is given; returns the paths written.

    Returns
    -------
    list of Path
        The files written (in the spare folder when the exports folder could not be written).
    """
    try:
        return make(Path(folder))
    except OSError:
        return make(_spare_folder())


class Downloads:
    """Delivers files written on the server to the student's browser, next to the buttons that made them.

    Attributes
    ----------
    widget : ipywidgets.HTML
        The links of the last delivery and where the server copies are.
    names : list of str
        File names of the last delivery (what the student's browser received).
    """

    def __init__(self) -> None:
        self.widget = widgets.HTML("", layout=widgets.Layout(width="100%"))
        self.widget.add_class("export-status")
        self.names: list[str] = []

    def offer(self, paths: Iterable[Path], click: bool = True) -> list[Path]:
        """Show a download link for each file and click them once in the browser; returns the paths.

        Parameters
        ----------
        paths : iterable of Path
            Files already written (their server copies stay where they are).
        click : bool
            Start the downloads at once (default) or only show the links.
        """
        paths = [Path(p) for p in paths]
        self.names = [p.name for p in paths]
        kept = all(p.parent.name != SPARE_FOLDER_NAME for p in paths)
        # Never a server path: a student needs to know where the file is (the browser), not the server's folders.
        where = (
            "The server keeps a copy in its exports folder."
            if kept
            else "The server could not keep a copy (its exports folder cannot be written); your browser has the file."
        )
        self.widget.value = (
            "<div style='white-space:normal;line-height:1.4'>"
            + download_links_html(paths, click=click)
            + f"<br><span style='color:#555;font-size:90%'>{where}</span></div>"
        )
        if not kept:
            for path in paths:
                path.unlink(missing_ok=True)  # delivered; nothing stays in the spare folder
        return paths


class ExportBar:
    """Buttons that save the current scenario (TOML), figure (PNG + PDF) and results (CSV).

    Parameters
    ----------
    panel : ControlPanel
        Source of the scenario values.
    figure : matplotlib.figure.Figure, optional
        Figure to save; without it the figure button is not shown.
    results : callable, optional
        Returns the current :class:`~model.results.Results`; without it the CSV button is not shown.
    title : str
        Figure title used in saved figures and as the scenario description.
    folder : str or Path, optional
        Default :func:`export_folder`.
    errors : ErrorBox, optional
        Where failures are shown; by default a box of its own under the buttons (next to them).
    extra_sources : iterable of str
        Citations added to the figure footer (e.g. observations drawn).

    Attributes
    ----------
    downloads : Downloads
        Delivers each export to the browser (a download) and names the files; ``downloads.widget``
        is the status line under the buttons.
    status : ipywidgets.HTML
        The status line (``downloads.widget``).
    last_paths : list of Path
    widget : ipywidgets.VBox
        Buttons, status line and error box, together.
    """

    def __init__(
        self,
        panel: ControlPanel,
        figure: Any = None,
        results: Callable[[], Any] | None = None,
        title: str = "",
        folder: str | Path | None = None,
        errors: ErrorBox | None = None,
        extra_sources: Iterable[str] = (),
    ) -> None:
        self.panel, self.figure, self.results, self.title = panel, figure, results, title
        self.folder = Path(folder) if folder is not None else export_folder()
        self.extra_sources = list(extra_sources)
        self.errors = errors or ErrorBox()
        self.downloads = Downloads()
        self.status = self.downloads.widget
        self.last_paths: list[Path] = []
        buttons = [self._button("Save scenario (TOML)", "save", self.save_scenario)]
        if figure is not None:
            buttons.append(self._button("Save figure (PNG + PDF)", "image", self.save_figure))
        if results is not None:
            buttons.append(self._button("Save results (CSV)", "table", self.save_csv))
        parts = [widgets.HBox(buttons), self.status]
        if errors is None:
            parts.append(self.errors.widget)
        self.widget = widgets.VBox(parts)
        self.widget.add_class("export-bar")

    def _button(self, label: str, icon: str, action: Callable[[], Any]) -> widgets.Button:
        button = widgets.Button(description=label, icon=icon, layout=widgets.Layout(width="auto"))
        button.on_click(self.errors.guard(lambda _b: action()))
        return button

    @property
    def stem(self) -> str:
        """File-name start: the loaded scenario's name, marked ``-edited`` when values were changed."""
        return self.panel.scenario.name + ("-edited" if self.panel.is_edited() else "")

    def _done(self, paths: list[Path]) -> list[Path]:
        self.last_paths = paths
        return self.downloads.offer(paths)

    def add_button(self, label: str, icon: str, action: Callable[[], Any]) -> widgets.Button:
        """Add a button beside the others; ``action`` runs with its errors shown in the error box."""
        button = self._button(label, icon, action)
        row = self.widget.children[0]
        row.children = (*row.children, button)
        return button

    def current_scenario(self) -> Any:
        """The current values as a :class:`~model.scenarios.Scenario` (what the scenario file holds)."""
        base = self.panel.scenario
        return from_params(
            self.panel.params(),
            name=self.stem,
            title=f"{base.title} (edited)" if self.stem.endswith("-edited") else base.title,
            description=self.title or base.description,
            provenance={k: v for k, v in base.provenance.items() if k in ("sources", "reasoning")},
        )

    def _write(self, make: Callable[[Path], list[Path]]) -> list[Path]:
        """Write an export into the exports folder, or, if that cannot be written, into a spare folder.

        Either way the files reach the browser; the student is never shown a server path or an OS error.
        """
        return self._done(write_or_spare(self.folder, make))

    def save_scenario(self) -> Path:
        """Save the current values as a scenario file that ``load_preset(path)`` reads back identically."""
        scenario = self.current_scenario()

        def make(folder: Path) -> list[Path]:
            path = unique_path(folder, self.stem, ".toml")
            return [save_scenario(scenario, path, overwrite=True)]  # overwrites only its own reserved name

        return self._write(make)[0]

    def save_handout(self, paper: str = "a4") -> Path:
        """Save a one-page handout (PDF) of the current values: figure, settings, key numbers, sources."""
        from dprk_teaching.handout import content_for_scenario, write_pdf

        base = self.panel.scenario
        scenario = base  # unedited: the preset itself, with its own title, description and years
        if self.panel.is_edited():
            note = "Edited in the app: the settings below are every value that differs from the baseline."
            scenario = dataclasses.replace(
                self.current_scenario(),
                description=f"{base.description} {note}".strip(),
                first_year=base.first_year,
                last_year=base.last_year,
            )
        content = content_for_scenario(scenario)

        def make(folder: Path) -> list[Path]:
            path = unique_path(folder, self.stem + "-handout", ".pdf")
            return [write_pdf(content, path, paper=paper, overwrite=True)]

        return self._write(make)[0]

    def save_figure(self) -> list[Path]:
        """Save the figure as PNG and PDF with title, scenario name and sources."""
        label = self._scenario_label()
        return self._write(
            lambda folder: save_figure(
                self.figure, folder, self.stem, self.title, label, self.panel.names, self.extra_sources
            )
        )

    def save_csv(self) -> Path:
        """Save the current results as a tidy CSV."""
        results = self.results()
        return self._write(lambda folder: [save_results_csv(results, folder, self.stem, self.panel.scenario)])[0]

    def _scenario_label(self) -> str:
        changed = self.panel.overrides()
        label = self.panel.scenario.title
        if self.panel.is_edited():
            label += " (edited: " + ", ".join(f"{k} = {v}" for k, v in changed.items()) + ")"
        return textwrap.shorten(label, 220, placeholder=" ...")


__all__ = [
    "EXPORT_FOLDER_VARIABLE",
    "FOOTER_MAX_SHARE",
    "MIME_TYPES",
    "SPARE_FOLDER_NAME",
    "Downloads",
    "ExportBar",
    "annotate",
    "download_links_html",
    "export_folder",
    "footer_text",
    "mime_type",
    "save_figure",
    "save_results_csv",
    "unique_path",
    "write_or_spare",
]
