"""The one skeleton of every notebook's interactive part: :class:`SliderApp`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import ipywidgets as widgets

from dprk_apps.controls import ControlPanel, PresetChooser
from dprk_apps.exports import ExportBar
from dprk_apps.feedback import ErrorBox
from dprk_apps.layout import app_layout
from dprk_apps.painting import NUMBERS_AFTER_FRAME_S, FramePainter, paints_over
from dprk_apps.resolution import DESIGN_ROOM_PX, ShownSize, dpi_for_room, set_resolution


class SliderApp:
    """The one skeleton of a notebook's interactive part: controls, error box, readout, figure, exports.

    Every change of a control (or of a widget registered with :meth:`watch`) runs :meth:`evaluate` once
    and hands its result to :meth:`redraw`, which moves the figure's artists and the readout in place;
    :meth:`draw` then shows the frame. Errors in any of these are shown in the error box, never lost.

    Subclasses draw their figure's artists, call ``super().__init__`` and implement :meth:`redraw`;
    :meth:`evaluate` defaults to one model run of the panel's values (the uncertainty app runs an
    ensemble instead).

    Parameters
    ----------
    names : sequence of str
        Registry names of the controls shown.
    figure : matplotlib.figure.Figure
        The figure the subclass has drawn its artists on (made with :func:`dprk_figures.style.new_figure`).
    title : str
        Title written on exported figures.
    panel_title : str
        Heading of the controls.
    choosers : sequence of ipywidgets.Widget
        Further controls shown above the readout (e.g. an outcome dropdown); register them with :meth:`watch`.
    presets : bool
        Show the preset chooser and the reset button.
    exports : bool
        Show the export buttons.

    Attributes
    ----------
    panel : dprk_apps.controls.ControlPanel
    errors : dprk_apps.feedback.ErrorBox
    presets : dprk_apps.controls.PresetChooser or None
    readout : ipywidgets.HTML
        The numbers shown (tables made with :func:`dprk_teaching.tables.comparison_table`).
    figure : matplotlib.figure.Figure
    exports : dprk_apps.exports.ExportBar or None
    params : model.params.Params
        The values of the latest successful update.
    results : Any
        What :meth:`evaluate` returned last.
    widget : ipywidgets.VBox
        Everything, to display: controls on the left, numbers above the figure on the right
        (:func:`dprk_apps.layout.app_layout`).
    shown_size : dprk_apps.resolution.ShownSize
        The room the page gives the figure; the figure is drawn at the resolution that fits it
        (:meth:`fit_to_page`).
    painter : dprk_apps.painting.FramePainter or None
        Paints the figure's frames on its page (``None`` when the figure is not an ipympl widget or not
        opaque).
    """

    def __init__(
        self,
        names: Iterable[str],
        figure: Any,
        title: str,
        panel_title: str = "",
        choosers: Sequence[widgets.Widget] = (),
        presets: bool = True,
        exports: bool = True,
    ) -> None:
        self.title = title
        self.panel = ControlPanel(list(names), title=panel_title)
        self.errors = ErrorBox()
        self.presets = PresetChooser(self.panel, errors=self.errors) if presets else None
        self.readout = widgets.HTML()
        self.readout.add_class("app-readout")
        from dprk_figures.style import prepare_canvas  # matplotlib only once an app is built

        self.figure = prepare_canvas(figure)
        # Drawn for a projector's page until a page says what room it gives (dprk_apps.resolution).
        set_resolution(figure, dpi_for_room(tuple(figure.get_size_inches()), DESIGN_ROOM_PX))
        self.choosers = list(choosers)
        self.params, self.results = None, None
        self._held_numbers: contextlib.ExitStack | None = None  # the readout's changes not yet sent
        # The exports show their own messages under their buttons (next to what was pressed).
        self.exports = ExportBar(self.panel, figure, self.exported_results, title=title) if exports else None
        self.panel.observe(self.errors.guard(self.update))
        self.update(self.panel, draw=False)  # the canvas draws itself when it is first shown
        # ipympl's canvas is a widget; any other canvas (Agg in tests and benchmarks) gets an empty stand-in.
        self.canvas = figure.canvas if isinstance(figure.canvas, widgets.DOMWidget) else widgets.Output()
        # Controls (with the message about them) on the left; numbers, figure and exports on the right.
        controls = [self.presets.widget] if self.presets else []
        controls += [self.errors.widget, self.panel.widget]
        results = [widgets.HBox(self.choosers, layout=widgets.Layout(flex_flow="row wrap"))] if self.choosers else []
        results += [self.readout, self.canvas]
        if self.exports:
            results.append(self.exports.widget)
        self.shown_size = ShownSize()
        self.shown_size.observe(self.errors.guard(self.fit_to_page), names=["width", "height"])
        results.append(self.shown_size)
        # ipympl's page paints the frames cheaper with it (dprk_apps.painting); an Agg canvas has no page, and a
        # see-through figure keeps ipympl's painting (the painter paints each frame over the last).
        painted = self.canvas is figure.canvas and paints_over(figure)
        self.painter = FramePainter(self.canvas) if painted else None
        if self.painter is not None:
            results.append(self.painter)
        self.widget = app_layout(controls, results)
        # The two columns, where add_to_controls and add_to_results put further widgets.
        self.controls_column, self.results_column = self.widget.children[-1].children
        from dprk_internals.frames import draws_only_when_changed, encode_ahead

        if draws_only_when_changed(figure.canvas):
            # The page's first draw request then only sends this frame: in a classroom's warm kernel the
            # rendering (about half of a student's first figure in the kernel: py-spy, classroom load
            # benchmark, 2026-12-03) and the frame's PNG are made before the students arrive.
            self.prerender()
            encode_ahead(figure.canvas)

    def fit_to_page(self, _change=None) -> None:
        """Draw the figure at the resolution that fits the room the page reports (:attr:`shown_size`).

        Nothing happens until a page has measured the room, or when the resolution stays the same.
        """
        room = (self.shown_size.width, self.shown_size.height)
        if room[0] <= 0:
            return
        if set_resolution(self.figure, dpi_for_room(tuple(self.figure.get_size_inches()), room)):
            self.draw()

    def add_to_controls(self, widget: widgets.Widget, position: int | None = None) -> None:
        """Put a widget into the controls column (by default under the preset chooser).

        Parameters
        ----------
        widget : ipywidgets.Widget
        position : int, optional
            Index among the column's children; default: right after the presets (first without them).
        """
        children = list(self.controls_column.children)
        children.insert((1 if self.presets else 0) if position is None else position, widget)
        self.controls_column.children = tuple(children)

    def add_to_results(self, widget: widgets.Widget, position: int) -> None:
        """Put a widget into the results column (choosers, readout, figure, exports) at ``position``."""
        children = list(self.results_column.children)
        children.insert(position, widget)
        self.results_column.children = tuple(children)

    def watch(self, widget: widgets.Widget, callback: Callable[[], None] | None = None) -> None:
        """Run ``callback()`` (default: a full :meth:`update`) when ``widget``'s value changes; errors are shown."""
        action = callback or (lambda: self.update(self.panel))
        widget.observe(self.errors.guard(lambda _change: action()), names="value")

    def evaluate(self, panel: ControlPanel) -> Any:
        """What the figure shows for the panel's values: by default one model run (``Results``).

        Parameters
        ----------
        panel : dprk_apps.controls.ControlPanel

        Returns
        -------
        Any
            Handed to :meth:`redraw`; kept in ``results``.
        """
        from model.core import simulate  # imported here: building controls needs no model run

        return simulate(self.params)

    def exported_results(self) -> Any:
        """The :class:`~model.results.Results` the CSV export writes (by default ``results``)."""
        return self.results

    def update(self, panel: ControlPanel, draw: bool = True) -> None:
        """Validate the panel's values (kept in ``params``), :meth:`evaluate`, :meth:`redraw`, :meth:`draw`.

        Parameters
        ----------
        panel : dprk_apps.controls.ControlPanel
        draw : bool
            Show the new frame (``False`` before the figure is displayed).
        """
        params = panel.params()  # a bad value raises a readable error, shown by the error box
        self.params = params
        self.results = self.evaluate(panel)
        with self._numbers_after_frame(later=draw):
            self.redraw(self.results)
            if draw:
                self.draw()

    @contextlib.contextmanager
    def _numbers_after_frame(self, later: bool) -> Iterator[None]:
        """Send the readout's new numbers to the page after the figure's new frame, not with it.

        Inside, the readout's changes are held (its Python value changes at once). With ``later`` and a
        running event loop (a kernel), they are sent :data:`~dprk_apps.painting.NUMBERS_AFTER_FRAME_S`
        after the block: when the table and the frame arrived together, the page laid out the table before
        it painted the frame, about 6 ms later for each move (``bench/frame_view_bench.py``, 2026-12-07).
        Moves within that time join the numbers held; otherwise (tests, no kernel) they are sent at the
        end of the block.
        """
        if self._held_numbers is not None:  # a move while numbers wait: the page gets the latest with them
            yield
            return
        held = contextlib.ExitStack()
        held.enter_context(self.readout.hold_sync())
        try:
            yield
        finally:
            loop = _running_loop() if later else None
            if loop is None:
                held.close()
            else:
                self._held_numbers = held
                loop.call_later(NUMBERS_AFTER_FRAME_S, self._send_held_numbers)

    def _send_held_numbers(self) -> None:
        held, self._held_numbers = self._held_numbers, None
        if held is not None:
            try:
                held.close()
            except Exception as error:  # shown to the student, not lost in the kernel's log
                self.errors.show(error)

    def redraw(self, results: Any) -> None:
        """Move the figure's artists and the readout to ``results`` (subclasses implement this)."""
        raise NotImplementedError

    def draw(self) -> None:
        """Show the new frame; by default the canvas redraws when the kernel is idle."""
        self.figure.canvas.draw_idle()

    def prerender(self) -> None:
        """Render the first frame into the canvas's buffer without sending it (no page may be there yet).

        By default the whole figure; an app that draws over cached backgrounds makes its caches here too.
        The figure is then marked drawn, so a page's ``draw`` request sends this frame
        (:func:`dprk_internals.frames.draw_unless_current`) until something changes.
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        from dprk_figures.style import mark_drawn

        FigureCanvasAgg.draw(self.figure.canvas)
        mark_drawn(self.figure)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running this code (a kernel handling a message), or ``None``."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["SliderApp"]
