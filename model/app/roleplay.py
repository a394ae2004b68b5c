"""Notebook 08's app: the role-play, run by a facilitator in front of a room.

The facilitator sets up a game (teams, rounds, model years per round), enters each team's choices in its
own tab (exactly the levers on its card, as the suite's controls: typed values, validation and sources
work as everywhere), plays event cards from the facilitator's tab, presses **Play round**, and shows the
projector view: the scoreboard (every team's objective, its measures against the baseline, the round's
score and the total) and the figure of rounds. **Undo last round** takes the last round back exactly;
**Save game** writes a JSON file that **Load game** reads back to continue next week; **Handout (PDF)**
writes the game's one-page handout (:func:`model.roleplay.handout.content_for_game`).

The rules live in :mod:`model.roleplay.game`; this module only shows them. Every error is shown in a
message next to the control that caused it, never as a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from model.app import exports
from model.app.controls import ControlPanel
from model.app.exports import export_folder, unique_path
from model.app.feedback import ErrorBox
from model.app.keyboard import ControlKeys
from model.app.layout import fit_style
from model.app.readouts import NO_MATH, solution
from model.formatting import format_quantity
from model.roleplay import events, facilitator, teams
from model.roleplay import game as rules

_ROW = widgets.Layout(width="100%")
_AUTO = widgets.Layout(width="auto")


def _points(value: float) -> str:
    return f"{value:+.1f}" if abs(value) >= 0.05 else "0.0"


def _measure(value: float, unit: str) -> str:
    """A measure for the scoreboard: an index (concentration) as a plain number, else with its unit."""
    return f"{value:.3f}" if unit.startswith("index") else format_quantity(value, unit)


def scoreboard_html(game: rules.Game) -> str:
    """The projector's table: every team's objective, measures against the baseline, round score and total.

    Parameters
    ----------
    game : model.roleplay.game.Game

    Returns
    -------
    str
        HTML; each team's round score and total carry ``data-key`` (``score.TEAM``, ``total.TEAM``) and
        ``data-value`` (the raw number), as the other readouts do.
    """
    if not game.rounds:
        first, last = game.setup.years(1)
        return (
            f"<p class='{NO_MATH}'>No round played yet. Round 1 covers {first}–{last}; every lever starts at the "
            "baseline, so a round in which nobody moves scores 0 for every team.</p>"
        )
    last_round = game.rounds[-1]
    first, last = last_round.years
    head = (
        "<tr><th style='text-align:left'>Team and objective</th>"
        "<th style='text-align:left'>Measure (mean of the round's years)</th><th>Baseline</th><th>Game</th>"
        "<th>Points</th><th>Round score</th><th>Total</th></tr>"
    )
    body = []
    for key in game.setup.teams:
        team, outcome = teams()[key], last_round.outcomes[key]
        span = len(outcome.terms)
        for i, term in enumerate(outcome.terms):
            cells = []
            if i == 0:
                # The objective under the team's name, small: the board stays short enough for a projector.
                cells.append(
                    f"<td rowspan='{span}' style='text-align:left;max-width:260px'><b>{html.escape(team.short)}</b>"
                    f"<div style='font-size:85%;color:#444;line-height:1.25'>{html.escape(team.objective)}</div></td>"
                )
            arrow = "↑" if term.better == "higher" else "↓"
            cells.append(
                f"<td style='text-align:left;white-space:normal'>{html.escape(term.label)} ({arrow} better)</td>"
            )
            cells.append(f"<td>{html.escape(_measure(term.baseline, term.unit))}</td>")
            cells.append(f"<td>{html.escape(_measure(term.value, term.unit))}</td>")
            cells.append(f"<td>{_points(term.points)}</td>")
            if i == 0:
                cells.append(
                    f"<td rowspan='{span}' data-key='score.{key}' data-value='{outcome.score!r}'>"
                    f"<b>{_points(outcome.score)}</b></td>"
                )
                cells.append(
                    f"<td rowspan='{span}' data-key='total.{key}' data-value='{outcome.total!r}'>"
                    f"<b>{_points(outcome.total)}</b></td>"
                )
            body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<h4 style='margin:4px 0'>Round {last_round.number} of {game.setup.rounds} ({first}–{last})</h4>"
        # Room between the columns ("93,357 persons93,357 persons" without), numbers on one line.
        "<style>table.roleplay-scoreboard td, table.roleplay-scoreboard th {padding:1px 6px}"
        " table.roleplay-scoreboard td {white-space:nowrap} table.roleplay-scoreboard td[rowspan] {white-space:normal}"
        "</style>"
        f"<table class='roleplay-scoreboard {NO_MATH}' "
        "style='border-collapse:collapse;font-size:105%;line-height:1.35'>"
        f"<thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"
    )


def history_html(game: rules.Game) -> str:
    """What happened in each round: who moved which lever to what, and the events played."""
    if not game.rounds:
        return ""
    items = []
    for played in game.rounds:
        first, last = played.years
        parts = []
        for who, levers in played.moves.items():
            name = facilitator().title.split(":")[0] if who == rules.FACILITATOR else teams()[who].short
            parts.append(f"{name}: " + ", ".join(f"{lever} = {value}" for lever, value in levers.items()))
        if played.events:
            parts.append("events: " + ", ".join(events()[key].title for key in played.events))
        text = "; ".join(parts) if parts else "no lever moved"
        items.append(f"<li>Round {played.number} ({first}–{last}): {html.escape(text)}</li>")
    return f"<ul class='roleplay-history {NO_MATH}'>" + "".join(items) + "</ul>"


def _size(value: float, unit: str) -> str:
    """A size of change: percentage points for shares, no sign."""
    return format_quantity(value, unit, difference=True).lstrip("+")


def cards_markdown() -> str:
    """A Markdown table of the cards: each team's levers and the terms of its objective (from ``roles.toml``)."""
    from model import registry

    rows = ["| team | levers | objective: terms (weight, the change that earns full points) |", "|---|---|---|"]
    for team in teams().values():
        levers = "; ".join(registry.get(name).title for name in team.levers)
        terms = "; ".join(
            f"{t.measure.label}, {t.better} is better ({t.weight:g}, {_size(t.scale, t.measure.unit)})"
            for t in team.terms
        )
        rows.append(f"| **{team.short}** | {levers} | {terms} |")
    levers = "; ".join(registry.get(name).title for name in facilitator().levers)
    rows.append(f"| **Facilitator** | {levers} and the event cards | none: the facilitator keeps the story going |")
    return "\n".join(rows).replace("$", r"\$")


class RoleplayApp:
    """The role-play: setup, one tab per team and the facilitator's, play and undo, projector, files.

    Parameters
    ----------
    team_keys : sequence of str, optional
        Teams of the first game (default: all five).
    rounds, years_per_round : int
        The first game's setup (default four rounds of two years).
    folder : str or Path, optional
        Where saved games go (default :func:`model.app.exports.export_folder`).

    Attributes
    ----------
    game : model.roleplay.game.Game
        The game now shown.
    team_boxes : dict of str to ipywidgets.Checkbox
    rounds_box, years_box : ipywidgets.IntText
    title_box : ipywidgets.Text
    start_button, play_button, undo_button, save_button, handout_button : ipywidgets.Button
    panels : dict of str to model.app.controls.ControlPanel
        One per team (its levers) and ``"facilitator"``.
    event_chooser : ipywidgets.SelectMultiple
        The event cards to play with the next round.
    tabs : ipywidgets.Tab
    errors : model.app.feedback.ErrorBox
        Setup and round errors, under the buttons.
    file_errors : model.app.feedback.ErrorBox
        Save and load errors, next to those controls.
    upload : ipywidgets.FileUpload
    scoreboard, history, status, file_status : ipywidgets.HTML
    measures_team : ipywidgets.Dropdown
        Whose measures the lower panel of the figure shows.
    figure : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        team_keys: tuple[str, ...] | None = None,
        rounds: int = 4,
        years_per_round: int = 2,
        folder: str | Path | None = None,
    ) -> None:
        from model.plots import roleplay as plots
        from model.plots.style import prepare_canvas

        self.folder = Path(folder) if folder is not None else export_folder()
        self.game = rules.new_game(team_keys or tuple(teams()), rounds, years_per_round)
        self.errors, self.file_errors = ErrorBox(), ErrorBox()
        self.last_path: Path | None = None

        # Setup.
        self.team_boxes = {
            key: widgets.Checkbox(value=key in self.game.setup.teams, description=team.short, indent=False)
            for key, team in teams().items()
        }
        self.rounds_box = widgets.IntText(value=rounds, description="Rounds", layout=widgets.Layout(width="160px"))
        self.years_box = widgets.IntText(
            value=years_per_round, description="Years per round", layout=widgets.Layout(width="200px")
        )
        self.years_box.style.description_width = "110px"
        self.title_box = widgets.Text(value="", description="Title", placeholder="e.g. Seminar group B")
        self.start_button = widgets.Button(description="Start a new game", icon="play-circle", layout=_AUTO)
        self.start_button.on_click(self.errors.guard(lambda _b: self.start()))
        limits = widgets.HTML(
            f"<span style='color:#555'>1–{rules.MAX_ROUNDS} rounds of 1–{rules.MAX_YEARS_PER_ROUND} model years, "
            f"from {rules.FIRST_PROJECTION_YEAR}; the last round must end by {rules.LAST_YEAR}.</span>"
        )
        setup = widgets.VBox(
            [
                widgets.HBox(list(self.team_boxes.values())),
                widgets.HBox([self.rounds_box, self.years_box, self.title_box, self.start_button]),
                limits,
            ]
        )

        # One tab per team, and the facilitator's.
        self.panels = {key: ControlPanel(team.levers) for key, team in teams().items()}
        self.panels[rules.FACILITATOR] = ControlPanel(facilitator().levers)
        self.event_chooser = widgets.SelectMultiple(
            options=[(card.title, key) for key, card in events().items()],
            value=(),
            rows=len(events()),
            description="Events",
            layout=widgets.Layout(width="520px"),
        )
        self.event_text = widgets.HTML("", layout=_ROW)
        self.event_chooser.observe(self.errors.guard(lambda _c: self._describe_events()), names="value")
        self._pages = {key: self._team_page(key) for key in teams()}
        self._pages[rules.FACILITATOR] = self._facilitator_page()
        self.tabs = widgets.Tab()

        # Play and undo.
        self.play_button = widgets.Button(description="Play round", icon="forward", button_style="primary")
        self.undo_button = widgets.Button(description="Undo last round", icon="undo", button_style="warning")
        for button, name in ((self.play_button, "play"), (self.undo_button, "undo")):
            button.add_class(f"roleplay-{name}")  # the browser tests find the controls by these classes
        self.play_button.on_click(self.errors.guard(lambda _b: self.play_round()))
        self.undo_button.on_click(self.errors.guard(lambda _b: self.undo_round()))
        self.status = widgets.HTML("")

        # Projector.
        self.scoreboard = widgets.HTML("")
        self.scoreboard.add_class("roleplay-scoreboard")
        self.history = widgets.HTML("")
        self.measures_team = widgets.Dropdown(description="Measures of", layout=widgets.Layout(width="300px"))
        self._redrawing = False
        self.measures_team.observe(
            self.errors.guard(lambda _c: None if self._redrawing else self._draw()), names="value"
        )
        self.figure, self.axes = plots.rounds_figure()
        prepare_canvas(self.figure)
        self.canvas = self.figure.canvas if isinstance(self.figure.canvas, widgets.DOMWidget) else widgets.Output()

        # Files.
        self.save_button = widgets.Button(description="Save game (JSON)", icon="save", layout=_AUTO)
        self.save_button.on_click(self.file_errors.guard(lambda _b: self.save()))
        self.upload = widgets.FileUpload(accept=".json", multiple=False, description="Load game")
        self.upload.observe(self.file_errors.guard(self._uploaded), names="value")
        self.handout_button = widgets.Button(description="Handout (PDF)", icon="file-pdf-o", layout=_AUTO)
        self.handout_button.on_click(self.file_errors.guard(lambda _b: self.handout()))
        # The saved game and the handout reach the browser as downloads, like every other export.
        self.downloads = exports.Downloads()
        self.file_status = self.downloads.widget
        self.files = widgets.HBox([self.save_button, self.upload, self.handout_button])
        for widget, name in (
            (self.save_button, "save"),
            (self.upload, "load"),
            (self.handout_button, "handout"),
            (self.file_status, "file-status"),
            (self.file_errors.widget, "file-errors"),
            (self.status, "status"),
        ):
            widget.add_class(f"roleplay-{name}")

        self.widget = widgets.VBox(
            [
                fit_style(),  # the figure of rounds (and the notebook's baseline) fits a narrow page
                ControlKeys(),  # the levers take their keys in every front end
                widgets.HTML("<h3 style='margin:4px 0'>Setup</h3>"),
                setup,
                widgets.HTML("<h3 style='margin:4px 0'>Choices for the next round</h3>"),
                self.tabs,
                widgets.HBox([self.play_button, self.undo_button]),
                self.status,
                self.errors.widget,
                widgets.HTML("<h3 style='margin:4px 0'>Projector view</h3>"),
                self.scoreboard,
                self.measures_team,
                self.canvas,
                self.history,
                widgets.HTML("<h3 style='margin:4px 0'>Save and load</h3>"),
                self.files,
                self.file_errors.widget,
                self.file_status,
            ],
            layout=_ROW,
        )
        self.widget.add_class("roleplay-app")  # the page's keyboard helper (ControlKeys) finds the app by it
        self._show_game(draw=False)

    # ------------------------------------------------------------------ pages
    def _team_page(self, key: str) -> widgets.VBox:
        team = teams()[key]
        bullets = "".join(f"<li>{html.escape(t)}</li>" for t in team.interests)
        lines = "".join(f"<li>{html.escape(t)}</li>" for t in team.red_lines)
        card = (
            f"<div class='{NO_MATH}' style='white-space:normal;line-height:1.35'><b>{html.escape(team.title)}</b>"
            f"<p>{html.escape(team.briefing)}</p><b>Objective:</b> {html.escape(team.objective)}"
            f"<br><b>Interests</b><ul>{bullets}</ul><b>Red lines</b><ul>{lines}</ul></div>"
        )
        card_box = widgets.Accordion([widgets.HTML(card, layout=_ROW)], selected_index=None)
        card_box.set_title(0, "Briefing, objective and red lines")
        return widgets.VBox([card_box, self.panels[key].widget], layout=_ROW)

    def _facilitator_page(self) -> widgets.VBox:
        intro = widgets.HTML(
            f"<div style='white-space:normal'>{html.escape(facilitator().briefing)} Event cards apply from the start "
            "of the round they are played in; a card that lasts some rounds ends by itself unless someone moved "
            "its lever meanwhile.</div>",
            layout=_ROW,
        )
        return widgets.VBox([intro, self.panels[rules.FACILITATOR].widget, self.event_chooser, self.event_text])

    def _describe_events(self) -> None:
        cards = [events()[key] for key in self.event_chooser.value]
        self.event_text.value = "".join(
            f"<div style='white-space:normal;font-size:95%'><b>{html.escape(c.title)}.</b> "
            f"{html.escape(c.description)}</div>"
            for c in cards
        )

    # ------------------------------------------------------------------ actions
    def start(self) -> rules.Game:
        """Start a new game from the setup controls (the current game is dropped; save it first)."""
        chosen = [key for key, box in self.team_boxes.items() if box.value]
        game = rules.new_game(chosen, self.rounds_box.value, self.years_box.value, self.title_box.value)
        self.game = game
        self.event_chooser.value = ()
        self._show_game()
        return game

    def choices(self) -> dict[str, dict[str, Any]]:
        """Each team's and the facilitator's values that differ from the lever values of the last round."""
        now = self.game.values()
        found: dict[str, dict[str, Any]] = {}
        for key in [*self.game.setup.teams, rules.FACILITATOR]:
            for lever, value in self.panels[key].values().items():
                if value != self._shown.get(lever, now[lever]):
                    found.setdefault(key, {})[lever] = value
        return found

    def play_round(self) -> rules.Game:
        """Play the next round with the tabs' choices and the chosen events; show the outcome."""
        self.game = rules.play(self.game, self.choices(), tuple(self.event_chooser.value))
        self.event_chooser.value = ()
        self._show_game()
        return self.game

    def undo_round(self) -> rules.Game:
        """Take the last round back: the game, the tabs and the projector as they were before it."""
        self.game = rules.undo(self.game)
        self._show_game()
        return self.game

    def save(self) -> Path:
        """Save the game as a new JSON file in the export folder (never overwriting one); returns its path."""
        stem = "roleplay-" + (self.game.setup.title or "game")
        return self._deliver(rules.save_game(self.game, unique_path(self.folder, stem, ".json")))

    def handout(self, paper: str = "a4") -> Path:
        """Write the game's one-page handout (PDF) as a new file in the export folder; returns its path."""
        from model.handout import write_pdf
        from model.roleplay.handout import content_for_game

        stem = "roleplay-" + (self.game.setup.title or "game") + "-handout"
        return self._deliver(
            write_pdf(content_for_game(self.game), unique_path(self.folder, stem, ".pdf"), paper=paper)
        )

    def _deliver(self, path: Path) -> Path:
        """Download the file written on the server to the browser, and name both."""
        self.last_path = path
        self.downloads.offer([path])
        return path

    def load_bytes(self, content: bytes, name: str = "uploaded file") -> rules.Game:
        """Continue a saved game from a file's bytes (every round replayed and checked)."""
        game = rules.loads(bytes(content), name)
        self.game = game
        self.rounds_box.value, self.years_box.value = game.setup.rounds, game.setup.years_per_round
        self.title_box.value = game.setup.title
        for key, box in self.team_boxes.items():
            box.value = key in game.setup.teams
        self._show_game()
        self.file_status.value = (
            f"Loaded <code>{html.escape(name)}</code>: {game.played} of {game.setup.rounds} rounds."
        )
        return game

    def _uploaded(self, change: Mapping[str, Any]) -> None:
        files = change["new"]
        if not files:
            return  # the upload was cleared (below)
        entry = files[0]
        try:
            self.load_bytes(bytes(entry["content"]), str(entry.get("name", "uploaded file")))
        finally:
            self.upload.value = ()  # so that choosing the same file again loads it again

    # ------------------------------------------------------------------ showing
    def _show_game(self, draw: bool = True) -> None:
        """Tabs for the game's teams with the lever values in force, the status, scoreboard and figure."""
        keys = [*self.game.setup.teams, rules.FACILITATOR]
        self.tabs.children = [self._pages[key] for key in keys]
        self.tabs.titles = tuple(
            teams()[key].short if key != rules.FACILITATOR else "Facilitator: events" for key in keys
        )
        values = self.game.values()
        for key in keys:
            panel = self.panels[key]
            panel.set_values({lever: values[lever] for lever in panel.names})
        self._shown = {lever: value for key in keys for lever, value in self.panels[key].values().items()}
        # The outcome before the status that announces the next round: their messages reach the page in this
        # order, so a page (or a test) that sees the new status finds the new scoreboard with it. The other
        # way round a test once read the old scoreboard under the new status (CI, 2026-12-07).
        self.scoreboard.value = scoreboard_html(self.game)
        self.history.value = history_html(self.game)
        if self.game.finished:
            self.status.value = f"<b>All {self.game.setup.rounds} rounds played.</b> Save the game, or undo a round."
        else:
            first, last = self.game.next_years
            self.status.value = (
                f"Next: round {self.game.played + 1} of {self.game.setup.rounds}, model years {first}–{last}."
            )
        self.play_button.disabled = self.game.finished
        self.undo_button.disabled = not self.game.rounds
        options = [(teams()[key].short, key) for key in self.game.setup.teams]
        if list(self.measures_team.options) != options:
            current = self.measures_team.value
            self._redrawing = True  # one drawing below, not one per change of the dropdown
            try:
                self.measures_team.options = options
                self.measures_team.value = current if current in self.game.setup.teams else options[0][1]
            finally:
                self._redrawing = False
        self._draw(draw)

    def _draw(self, draw: bool = True) -> None:
        from model.plots import roleplay as plots

        team = self.measures_team.value or self.game.setup.teams[0]
        plots.draw_rounds(self.axes, rules.history(self.game), team)
        if draw:
            self.figure.canvas.draw_idle()


# ---------------------------------------------------------------------------------------------- exercises
def _example_round(
    choices: Mapping[str, Mapping[str, Any]], played: tuple[str, ...] = ()
) -> dict[str, rules.TeamOutcome]:
    """The outcomes of a first round of a five-team game with these choices and events."""
    game = rules.play(rules.new_game(tuple(teams()), 4, 2), choices, played)
    return game.rounds[-1].outcomes


def _terms_list(outcomes: Mapping[str, rules.TeamOutcome], changed_only: bool = False) -> str:
    """An HTML list of every team's round score with the points of each of its terms."""
    items = []
    for key, outcome in outcomes.items():
        terms = [t for t in outcome.terms if not changed_only or abs(t.points) >= 0.05]
        if not terms:
            continue
        parts = ", ".join(f"{html.escape(t.label)} {_points(t.points)}" for t in terms)
        items.append(f"<li><b>{html.escape(teams()[key].short)} {_points(outcome.score)}</b>: {parts}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def exercise(number: int) -> Any:
    """The worked solution of exercise ``number`` (1-3) of notebook 08, computed from the game's rules.

    Returns
    -------
    IPython.display.HTML
        Hidden until opened (:func:`model.app.readouts.solution`).
    """
    return solution(exercise_html(number))


def exercise_html(number: int) -> str:
    """The worked solution of exercise ``number`` (1-3) of notebook 08 as HTML (also the answer key's text)."""
    if number == 1:
        outcomes = _example_round({"russia": {"russia_arms_enforcement": 1.0}})
        body = (
            "<p>In the first round (2025–26), Russia stops buying arms (its arms-trade enforcement at 1) and nobody "
            f"else moves. Each team's terms and points:</p>{_terms_list(outcomes)}<p>One team's move scores for "
            "every team, because every objective is measured in the same world; a team that did nothing can "
            "gain or lose most.</p>"
        )
    elif number == 2:
        quiet = _example_round({})
        heist = _example_round({}, ("crypto_heist",))
        body = (
            "<p>A round with no move scores exactly 0 for every team "
            f"({', '.join(f'{teams()[k].short} {_points(o.score)}' for k, o in quiet.items())}): the game starts "
            "from the baseline and is scored against it. With the crypto-theft card alone, the terms that move "
            f"are:</p>{_terms_list(heist, changed_only=True)}<p>Stolen cryptocurrency is hard currency, but it is "
            "not a flow through China or Russia, so the shares, the concentration and the oil terms do not move.</p>"
        )
    elif number == 3:
        first = rules.play(rules.new_game(tuple(teams()), 4, 2), {}, ("border_incident",))
        second = rules.play(first, {}, ())
        lever = "china_smuggling_enforcement"
        body = (
            f"<p>The border incident raises China's smuggling enforcement from "
            f"{rules.new_game(tuple(teams()), 4, 2).values()[lever]:.2f} to {first.values()[lever]:.2f} in round 1; "
            f"in round 2, with nobody moving it, it is back at {second.values()[lever]:.2f}. Had the China team "
            "moved that lever in round 2, its own choice would have stayed: a card that lasts one round does not "
            "overrule a team's later decision.</p>"
        )
    else:
        raise ValueError(f"exercise {number!r}: notebook 08 has exercises 1 to 3")
    return body


__all__ = ["RoleplayApp", "cards_markdown", "exercise", "exercise_html", "history_html", "scoreboard_html"]
