"""Notebook 08's app: the role-play, run by a facilitator in front of a room.

The facilitator sets up a game (teams, rounds, model years per round), enters each team's choices in its
own tab (exactly the levers on its card, as the suite's controls: typed values, validation and sources
work as everywhere), plays event cards from the facilitator's tab, presses **Play round**, and shows the
projector view: the scoreboard (every team's objective, its measures against the baseline, the round's
score and the total) and the figure of rounds. **Undo last round** takes the last round back exactly,
**Undo one team's entry** takes it back keeping every other team's entry in its tab (to fix one typo); the
China and Russia teams' vetoes of the UN team's proposals are ticked before the round;
**Save game** writes a JSON file that **Load game** reads back to continue next week; **Handout (PDF)**
writes the game's one-page handout (:func:`dprk_teaching.roleplay_handout.content_for_game`).

The rules live in :mod:`dprk_roleplay.game`; this module only shows them. Every error is shown in a
message next to the control that caused it, never as a traceback.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from dprk_apps import exports
from dprk_apps.controls import ControlPanel
from dprk_apps.exports import export_folder, unique_path
from dprk_apps.feedback import ErrorBox
from dprk_apps.file_picker import FilePicker
from dprk_apps.keyboard import ControlKeys
from dprk_apps.layout import fit_style
from dprk_apps.page_views import PageViews
from dprk_apps.projector import PROJECTOR_CLASS, ProjectorSwitch
from dprk_roleplay import events, facilitator, teams, veto_teams
from dprk_roleplay import game as rules
from dprk_teaching.roleplay_text import history_html, plan_lines, scoreboard_html
from dprk_teaching.tables import NO_MATH
from dprk_teaching.texts import default_plan

_ROW = widgets.Layout(width="100%")
_AUTO = widgets.Layout(width="auto")


class RoleplayApp:
    """The role-play: setup, one tab per team and the facilitator's, play and undo, projector, files.

    Parameters
    ----------
    team_keys : sequence of str, optional
        Teams of the first game (default: all five).
    rounds, years_per_round : int, optional
        The first game's setup (default: the seminar's default plan, :func:`dprk_teaching.texts.default_plan`).
    folder : str or Path, optional
        Where saved games go (default :func:`dprk_apps.exports.export_folder`).

    Attributes
    ----------
    game : dprk_roleplay.game.Game
        The game now shown.
    team_boxes : dict of str to ipywidgets.Checkbox
    rounds_box, years_box : ipywidgets.IntText
    title_box : ipywidgets.Text
    start_button, play_button, undo_button, save_button, handout_button : ipywidgets.Button
    panels : dict of str to dprk_apps.controls.ControlPanel
        One per team (its levers) and ``"facilitator"``.
    event_chooser : ipywidgets.SelectMultiple
        The event cards to play with the next round.
    tabs : ipywidgets.Tab
    errors : dprk_apps.feedback.ErrorBox
        Setup and round errors, under the buttons.
    file_errors : dprk_apps.feedback.ErrorBox
        Save and load errors, next to those controls.
    upload : dprk_apps.file_picker.FilePicker
    scoreboard, history, status, file_status : ipywidgets.HTML
    measures_team : ipywidgets.Dropdown
        Whose measures the lower panel of the figure shows.
    figure : matplotlib.figure.Figure
    widget : ipywidgets.VBox
    """

    def __init__(
        self,
        team_keys: tuple[str, ...] | None = None,
        rounds: int | None = None,
        years_per_round: int | None = None,
        folder: str | Path | None = None,
        state_folder: str | Path | None = None,
    ) -> None:
        from dprk_figures import roleplay as plots
        from dprk_figures.style import APP_DPI, prepare_canvas

        self.folder = Path(folder) if folder is not None else export_folder()
        from dprk_roleplay import autosave

        self.autosave = autosave.Autosave(
            Path(state_folder) if state_folder is not None else autosave.state_folder(self.folder)
        )
        self._quiet = 0  # > 0 while the app itself sets controls: not a change to save
        plan = default_plan()  # the seminar plan of seminar.toml: the guide's timetable says the same
        rounds = rounds or plan.rounds
        years_per_round = years_per_round or plan.years_per_round
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
            f"from {rules.FIRST_PROJECTION_YEAR}; the last round must end by {rules.LAST_YEAR}. "
            f"{html.escape(' '.join(plan_lines()))}</span>"
        )
        self._build_resume()
        self.page_views = PageViews()
        self.page_views.observe(self.file_errors.guard(lambda _c: self.refresh_saved()), names="views")
        setup = widgets.VBox(
            [
                self.resume_box,
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
        self._build_council_and_entry_undo()
        self._hook_autosave()

        # Projector.
        self.scoreboard = widgets.HTML("")
        self.scoreboard.add_class("roleplay-scoreboard")
        self.history = widgets.HTML("")
        self.measures_team = widgets.Dropdown(description="Measures of", layout=widgets.Layout(width="300px"))
        self._redrawing = False
        self.measures_team.observe(
            self.errors.guard(lambda _c: None if self._redrawing else self._draw()), names="value"
        )
        self.figure, self.axes = plots.rounds_figure(dpi=APP_DPI)
        prepare_canvas(self.figure)
        # The projector view: setup and choices hidden, the figure's panels fewer and larger, larger text.
        self.projector, self._projector_view = ProjectorSwitch(), False
        self.projector.observe(self.errors.guard(lambda change: self.set_projector(change["new"])), names="on")
        self.canvas = self.figure.canvas if isinstance(self.figure.canvas, widgets.DOMWidget) else widgets.Output()

        # Files.
        self.save_button = widgets.Button(description="Save game (JSON)", icon="save", layout=_AUTO)
        self.save_button.on_click(self.file_errors.guard(lambda _b: self.save()))
        self.upload = FilePicker(
            rules.FILE_KIND, accept=".json", description="Load game", tooltip="Continue a game saved with Save game"
        )
        self.upload.on_file(self.file_errors.guard(lambda name, content: self.load_bytes(content, name)))
        self.upload.on_refused(self.file_errors.guard(self._refuse_file))
        self.handout_button = widgets.Button(description="Handout (PDF)", icon="file-pdf-o", layout=_AUTO)
        self.handout_button.on_click(self.file_errors.guard(lambda _b: self.handout()))
        # The saved game and the handout reach the browser as downloads, like every other export.
        self.downloads = exports.Downloads()
        self.file_status = self.downloads.widget
        self.export_button = widgets.Button(description="Export end state as scenario", icon="share", layout=_AUTO)
        self.export_button.add_class("roleplay-export")
        self.export_button.on_click(self.file_errors.guard(lambda _b: self.export_end_state()))
        self.files = widgets.HBox([self.save_button, self.upload, self.handout_button, self.export_button])
        for widget, name in (
            (self.save_button, "save"),
            (self.upload, "load"),
            (self.handout_button, "handout"),
            (self.file_status, "file-status"),
            (self.file_errors.widget, "file-errors"),
            (self.status, "status"),
        ):
            widget.add_class(f"roleplay-{name}")

        setup_parts = [
            widgets.HTML("<h3 style='margin:4px 0'>Setup</h3>"),
            setup,
            widgets.HTML("<h3 style='margin:4px 0'>Choices for the next round</h3>"),
            self.tabs,
            self.council,
        ]
        file_parts = [widgets.HTML("<h3 style='margin:4px 0'>Save and load</h3>"), self.files]
        #: What the projector view hides (the facilitator's setup, the teams' choices, the files).
        self._facilitator_parts = [*setup_parts, self.measures_team, *file_parts]
        self.widget = widgets.VBox(
            [
                fit_style(),  # the figure of rounds (and the notebook's baseline) fits a narrow page
                ControlKeys(),  # the levers take their keys in every front end
                self.page_views,  # a page drew the app: list the saved games again (a warmed kernel is older)
                self.projector,
                *setup_parts,
                widgets.HBox([self.play_button, self.undo_button, self.undo_team, self.undo_entry_button]),
                self.status,
                self.errors.widget,
                widgets.HTML("<h3 style='margin:4px 0'>Projector view</h3>"),
                self.scoreboard,
                self.measures_team,
                self.canvas,
                self.history,
                *file_parts,
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
        from dprk_roleplay.autosave import Autosave

        game = rules.new_game(chosen, self.rounds_box.value, self.years_box.value, self.title_box.value)
        self.game = game
        with self._setting():
            self.event_chooser.value = ()
        self._show_game()
        self.autosave = Autosave(self.autosave.folder)  # a new game, a new session file
        self.save_state()
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
        self.game = rules.play(self.game, self.choices(), tuple(self.event_chooser.value), vetoes=self.vetoes())
        with self._setting():
            self.event_chooser.value = ()
        self.save_state()  # first: the round is on disk before the page hears of it (a reload may follow at once)
        self._show_game()
        return self.game

    def undo_round(self) -> rules.Game:
        """Take the last round back: the game, the tabs and the projector as they were before it."""
        self.game = rules.undo(self.game)
        self._show_game()
        self.save_state()
        return self.game

    # ------------------------------------------------------------------ the veto and undoing one entry
    def _build_council_and_entry_undo(self) -> None:
        """The Security Council vote of the round (a veto box per permanent member) and "Undo one team's entry"."""
        self.veto_boxes = {
            key: widgets.Checkbox(value=False, description=f"{teams()[key].short} vetoes", indent=False)
            for key in veto_teams()
        }
        for key, box in self.veto_boxes.items():
            box.add_class(f"roleplay-veto-{key}")
        self.council = widgets.HBox(
            [
                widgets.HTML(
                    "<b>Security Council vote</b> on the UN team's caps and monitoring (and the Panel card) this "
                    "round:&nbsp;",
                    layout=_AUTO,
                ),
                *self.veto_boxes.values(),
            ]
        )
        self.undo_team = widgets.Dropdown(description="Entry of", layout=widgets.Layout(width="230px"))
        self.undo_team.style.description_width = "60px"
        self.undo_entry_button = widgets.Button(
            description="Undo one team's entry", icon="eraser", button_style="warning", layout=_AUTO
        )
        self.undo_entry_button.add_class("roleplay-undo-entry")
        self.undo_team.add_class("roleplay-undo-team")
        self.undo_entry_button.on_click(self.errors.guard(lambda _b: self.undo_entry(self.undo_team.value)))

    def vetoes(self) -> tuple[str, ...]:
        """The permanent members' teams of this game whose veto box is ticked."""
        return tuple(k for k, box in self.veto_boxes.items() if box.value and k in self.game.setup.teams)

    def undo_entry(self, who: str) -> rules.Game:
        """Take the last round back, keeping every other team's entry in its tab; clear ``who``'s to correct it.

        The events and the vetoes of the round are kept too (the facilitator's entry is its levers and the
        cards). Press **Play round** to play the round again.
        """
        game, entry = rules.undo_entry(self.game, who)
        self.game = game
        self._show_game()
        self._show_entry(entry)
        self.save_state()
        name = "the facilitator" if who == rules.FACILITATOR else teams()[who].short
        self.status.value = (
            f"Round {game.played + 1} taken back: {html.escape(name)}'s entry is cleared, every other entry is kept. "
            f"Correct it and press <b>Play round</b>."
        )
        return game

    # ------------------------------------------------------------------ saving itself, resuming
    def _build_resume(self) -> None:
        """The control that resumes a saved session of the state folder (newest first)."""
        self.resume_choice = widgets.Dropdown(description="Saved games", layout=widgets.Layout(width="520px"))
        self.resume_choice.style.description_width = "90px"
        self.resume_button = widgets.Button(description="Resume game", icon="history", button_style="success")
        self.resume_button.add_class("roleplay-resume")
        self.resume_choice.add_class("roleplay-resume-choice")
        self.resume_button.on_click(self.file_errors.guard(lambda _b: self.resume(self.resume_choice.value)))
        self.resume_choice.observe(lambda _c: self._label_resume(), names="value")
        self.resume_note = widgets.HTML(
            "<span style='color:#555'>The game saves itself on this server after every round and every change; "
            "a reloaded page or a restarted server offers it here.</span>"
        )
        self.resume_box = widgets.VBox([widgets.HBox([self.resume_choice, self.resume_button]), self.resume_note])
        self.resume_box.add_class("roleplay-resume-box")
        self._saved: dict[str, Any] = {}
        self.refresh_saved()

    def _hook_autosave(self) -> None:
        """Every entry typed for the next round is saved as it changes."""
        for key in [*teams(), rules.FACILITATOR]:
            self.panels[key].observe(lambda _panel: self._entries_changed())
        self.event_chooser.observe(lambda _c: self._entries_changed(), names="value")
        for box in self.veto_boxes.values():
            box.observe(lambda _c: self._entries_changed(), names="value")

    def refresh_saved(self) -> list[Any]:
        """List the saved sessions of the state folder (other than this one) in the resume control."""
        from dprk_roleplay.autosave import saved_games

        found = [s for s in saved_games(self.autosave.folder) if s.session != self.autosave.session]
        self._saved = {s.session: s for s in found}
        self.resume_choice.options = [(s.label(), s.session) for s in found]
        self.resume_choice.value = found[0].session if found else None  # the newest
        self.resume_box.layout.display = "" if found else "none"
        self._label_resume()
        return found

    def _label_resume(self) -> None:
        saved = self._saved.get(self.resume_choice.value)
        self.resume_button.description = (
            f"Resume game from round {saved.game.played}" if saved and saved.game.played else "Resume game"
        )
        self.resume_button.disabled = saved is None

    def resume(self, session: str) -> rules.Game:
        """Continue a saved session: its rounds, the entries typed for the next round, and its file."""
        from dprk_roleplay.autosave import Autosave, read

        saved = read(self._saved[session].path)  # read again: the newest revision, checked
        self.game = saved.game
        with self._setting():
            self.rounds_box.value, self.years_box.value = saved.game.setup.rounds, saved.game.setup.years_per_round
            self.title_box.value = saved.game.setup.title
            for key, box in self.team_boxes.items():
                box.value = key in saved.game.setup.teams
        self._show_game()
        self._show_entry(saved.pending)
        self.autosave = Autosave.resume(saved)
        self.refresh_saved()
        # What the game's own status says (the next round, or all N rounds played), after the resumed file.
        self.status.value = f"Resumed {html.escape(saved.label())}. " + self.status.value
        return self.game

    def _show_entry(self, entry: rules.RoundInput) -> None:
        """Put a round's entries (choices, cards, vetoes) into the tabs, as typed before the round."""
        with self._setting():
            for key, levers in entry.choices.items():
                self.panels[key].set_values(dict(levers))
            self.event_chooser.value = tuple(entry.events)
            for key, box in self.veto_boxes.items():
                box.value = key in entry.vetoes

    def pending(self) -> rules.RoundInput:
        """The entries typed for the next round (choices that differ, cards, vetoes)."""
        return rules.RoundInput(self.choices(), tuple(self.event_chooser.value), self.vetoes())

    def save_state(self) -> Path | None:
        """Save the game and the next round's entries to this session's file; a failure is shown, never raised."""
        try:
            return self.autosave.save(self.game, self.pending())
        except (OSError, rules.GameError) as error:
            self.file_errors.show(rules.GameError(f"The game could not save itself on the server: {error}"))
            return None

    def _entries_changed(self) -> None:
        if not self._quiet:
            self.save_state()

    @contextlib.contextmanager
    def _setting(self) -> Iterator[None]:
        """The app sets controls itself: their observers do not save (the caller saves once)."""
        self._quiet += 1
        try:
            yield
        finally:
            self._quiet -= 1

    def save(self) -> Path:
        """Save the game as a new JSON file in the export folder (never overwriting one); returns its path."""
        stem = "roleplay-" + (self.game.setup.title or "game")
        return self._deliver(
            lambda folder: rules.save_game(self.game, unique_path(folder, stem, ".json"), overwrite=True)
        )

    def export_end_state(self) -> Path:
        """Write the levers as the game left them as a scenario file (JSON) that 05 and 07 load; returns its path.

        Every lever is in the file, so loading it in 07 fixes all of them, also those its controls do not show.
        """
        from model.scenarios import save_scenario

        stem = "roleplay-" + (self.game.setup.title or "game") + f"-end-state-round-{self.game.played}"
        scenario = rules.end_state(self.game)
        return self._deliver(lambda folder: save_scenario(scenario, unique_path(folder, stem, ".json"), overwrite=True))

    def handout(self, paper: str = "a4") -> Path:
        """Write the game's one-page handout (PDF) as a new file in the export folder; returns its path."""
        from dprk_teaching.handout import write_pdf
        from dprk_teaching.roleplay_handout import content_for_game

        stem = "roleplay-" + (self.game.setup.title or "game") + "-handout"
        content = content_for_game(self.game)
        return self._deliver(
            lambda folder: write_pdf(content, unique_path(folder, stem, ".pdf"), paper=paper, overwrite=True)
        )

    def _deliver(self, write: Callable[[Path], Path]) -> Path:
        """Write a file into the export folder (a spare one if it cannot be written) and download it to the browser.

        As every export (:func:`dprk_apps.exports.write_or_spare`): the student gets the file whatever the
        server's folder allows, and no message names a server path.
        """
        (path,) = exports.write_or_spare(self.folder, lambda folder: [write(folder)])
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
        self.save_state()
        self.file_status.value = (
            f"Loaded <code>{html.escape(name)}</code>: {game.played} of {game.setup.rounds} rounds."
        )
        return game

    def _refuse_file(self, message: str) -> None:
        raise rules.GameError(message)  # shown by the files' error box, as any refused file

    # ------------------------------------------------------------------ showing
    def _show_game(self, draw: bool = True) -> None:
        """Tabs for the game's teams with the lever values in force, the status, scoreboard and figure."""
        keys = [*self.game.setup.teams, rules.FACILITATOR]
        self.tabs.children = [self._pages[key] for key in keys]
        self.tabs.titles = tuple(
            teams()[key].short if key != rules.FACILITATOR else "Facilitator: events" for key in keys
        )
        values = self.game.values()
        with self._setting():
            for key in keys:
                panel = self.panels[key]
                panel.set_values({lever: values[lever] for lever in panel.names})
        self._shown = {lever: value for key in keys for lever, value in self.panels[key].values().items()}
        # The outcome before the status that announces the next round: their messages reach the page in this
        # order, so a page (or a test) that sees the new status finds the new scoreboard with it (the other
        # way round, a page can briefly show the old scoreboard under the new status).
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
        for key, box in self.veto_boxes.items():
            box.layout.display = "" if key in self.game.setup.teams else "none"
            with self._setting():
                box.value = False
        self.council.layout.display = "" if any(k in self.game.setup.teams for k in self.veto_boxes) else "none"
        entries = [(teams()[key].short, key) for key in self.game.setup.teams]
        entries.append(("Facilitator (levers, cards)", rules.FACILITATOR))
        if list(self.undo_team.options) != entries:
            self.undo_team.options = entries
        self.undo_entry_button.disabled = not self.game.rounds
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

    def set_projector(self, on: bool) -> None:
        """The projector view on or off: setup and team choices hidden, the figure's panels fewer and larger.

        Parameters
        ----------
        on : bool
        """
        from dprk_figures import roleplay as plots

        self._projector_view = on
        for part in self._facilitator_parts:
            part.layout.display = "none" if on else ""
        if on:
            self.widget.add_class(PROJECTOR_CLASS)
        else:
            self.widget.remove_class(PROJECTOR_CLASS)
        self.axes = plots.layout_rounds(self.figure, projector=on)
        self._draw()

    def _draw(self, draw: bool = True) -> None:
        import matplotlib as mpl

        from dprk_figures import roleplay as plots
        from dprk_figures.style import app_rc

        team = self.measures_team.value or self.game.setup.teams[0]
        with mpl.rc_context(app_rc(self._projector_view)):
            plots.draw_rounds(self.axes, rules.history(self.game), team)
        if draw:
            self.figure.canvas.draw_idle()


__all__ = ["RoleplayApp"]
