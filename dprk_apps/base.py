"""The one skeleton of every notebook's interactive part: :class:`SliderApp`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import ipywidgets as widgets
import numpy as np

import dprk_internals
from dprk_apps.controls import ControlPanel, PresetChooser
from dprk_apps.exports import ExportBar
from dprk_apps.feedback import ErrorBox
from dprk_apps.handin import HandIn
from dprk_apps.layout import app_layout
from dprk_apps.projector import PROJECTOR_CLASS, ProjectorSwitch
from dprk_apps.sharing import ScenarioShare


class SliderApp:
    """The one skeleton of a notebook's interactive part: controls, error box, readout, figure, exports.

    Every change of a control (or of a widget registered with :meth:`watch`) runs :meth:`evaluate` once
    and hands its result to :meth:`redraw`, which moves the figure's artists and the readout in place;
    :meth:`draw` then shows the frame. The readout's numbers and the frame are sent together. Errors in any
    of these are shown in the error box, never lost.

    An app whose figure has a :class:`dprk_figures.blit.BlitManager` (:attr:`blit`) draws its frames over
    cached backgrounds; otherwise, and always with ``DPRK_PLAIN=1`` (:func:`dprk_internals.enabled`), the
    canvas draws the whole figure (``canvas.draw_idle()``).

    Subclasses draw their figure's artists, call ``super().__init__`` and implement :meth:`redraw`;
    :meth:`evaluate` defaults to one model run of the panel's values (the uncertainty app runs an
    ensemble instead).

    Parameters
    ----------
    names : sequence of str
        Registry names of the controls shown.
    figure : matplotlib.figure.Figure
        The figure the subclass has drawn its artists on (made with :func:`dprk_figures.style.new_figure`,
        at :data:`dprk_figures.style.APP_DPI`).
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
    share : dprk_apps.sharing.ScenarioShare
        The state's code and link (*Copy link*, *Enter code*); a link's code opens when the page loads.
    handin : dprk_apps.handin.HandIn
        *Hand in*: the state's code with a name and one sentence, to the class board (or as a file).
    readout : ipywidgets.HTML
        The numbers shown (tables made with :func:`dprk_teaching.tables.comparison_table`).
    figure : matplotlib.figure.Figure
    exports : dprk_apps.exports.ExportBar or None
    params : model.params.Params
        The values of the latest successful update.
    results : Any
        What :meth:`evaluate` returned last.
    projector : dprk_apps.projector.ProjectorSwitch
        The projector view's button above the numbers (:meth:`set_projector`).
    widget : ipywidgets.VBox
        Everything, to display: controls on the left, numbers above the figure on the right
        (:func:`dprk_apps.layout.app_layout`).
    blit : dprk_figures.blit.BlitManager or None
        Draws the figure's frames over cached backgrounds (set by subclasses before ``super().__init__``;
        ``None``: every frame is a whole draw).
    """

    blit = None

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
        self.share = ScenarioShare(self.panel, self.errors)
        self.handin = HandIn(self.share, title, self.errors)
        self.readout = widgets.HTML()
        self.readout.add_class("app-readout")
        from dprk_figures.style import prepare_canvas  # matplotlib only once an app is built

        self.figure = prepare_canvas(figure)
        self.choosers = list(choosers)
        self.params, self.results = None, None
        # The exports show their own messages under their buttons (next to what was pressed).
        self.exports = ExportBar(self.panel, figure, self.exported_results, title=title) if exports else None
        self.panel.observe(self.errors.guard(self.update))
        self.update(self.panel, draw=False)  # the canvas draws itself when it is first shown
        # ipympl's canvas is a widget; any other canvas (Agg in tests and benchmarks) gets an empty stand-in.
        self.canvas = figure.canvas if isinstance(figure.canvas, widgets.DOMWidget) else widgets.Output()
        # Controls (with the message about them) on the left; numbers, figure and exports on the right.
        controls = [self.presets.widget] if self.presets else []
        controls += [self.errors.widget, self.panel.widget, self.share.widget, self.handin.widget]
        results = [widgets.HBox(self.choosers, layout=widgets.Layout(flex_flow="row wrap"))] if self.choosers else []
        results += [self.readout, self.canvas]
        if self.exports:
            results.append(self.exports.widget)
        # The projector view's switch, above the numbers: a visible button (or ?projector=1 in the address).
        self.projector = ProjectorSwitch()
        self.projector.observe(self.errors.guard(lambda change: self.set_projector(change["new"])), names="on")
        results.insert(0, self.projector)
        self.widget = app_layout(controls, results)
        # The two columns, where add_to_controls and add_to_results put further widgets.
        self.controls_column, self.results_column = self.widget.children[-1].children
        if dprk_internals.enabled():
            from dprk_internals.matplotlib_frames import draws_only_when_changed, encode_ahead

            if draws_only_when_changed(figure.canvas):
                # The page's first draw request then only sends this frame: in a classroom's warm kernel the
                # first render and its PNG are made before the students arrive.
                self.prerender()
                encode_ahead(figure.canvas)

    def set_projector(self, on: bool) -> None:
        """Turn the projector view on or off: the figure laid out again (:meth:`layout_figure`) and drawn.

        Parameters
        ----------
        on : bool
            Fewer, larger panels with larger text (on), or the normal figure (off).
        """
        if on:
            self.widget.add_class(PROJECTOR_CLASS)
        else:
            self.widget.remove_class(PROJECTOR_CLASS)
        self.layout_figure(on)
        if self.results is not None:
            self.redraw(self.results)
        self.draw()

    def layout_figure(self, projector: bool) -> None:
        """Build the figure's artists again for the projector view or the normal one (subclasses do).

        The figure object and its canvas stay (the page keeps its canvas); the artists are made anew.
        """

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
        self.redraw(self.results)
        if draw:
            self.draw()

    def redraw(self, results: Any) -> None:
        """Move the figure's artists and the readout to ``results`` (subclasses implement this)."""
        raise NotImplementedError

    def draw(self) -> None:
        """Show the new frame: over the cached backgrounds of :attr:`blit`, else a whole draw when idle.

        With ``DPRK_PLAIN=1`` always ``canvas.draw_idle()``: blitting is public API, but without the
        workaround that tells pyplot the blitted frame is complete
        (:func:`dprk_internals.matplotlib_frames.mark_drawn`) pyplot would draw every frame a second time.
        """
        if self.blit is not None and dprk_internals.enabled():
            self.blit.render()
        else:
            self.figure.canvas.draw_idle()

    def prerender(self) -> None:
        """Render the first frame into the canvas's buffer without sending it (no page may be there yet).

        By default the whole figure (or, with :attr:`blit`, its first background and frame). The figure is
        then not stale, so a page's ``draw`` request sends this frame
        (:func:`dprk_internals.matplotlib_frames.draw_unless_current`) until something changes. Only called
        while :func:`dprk_internals.enabled`.
        """
        if self.blit is not None:
            self.blit.render(show=False)
            return
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        FigureCanvasAgg.draw(self.figure.canvas)  # a whole render leaves the figure not stale

    def last_frame(self) -> np.ndarray:
        """What the kernel rendered last: a copy of the canvas's RGBA buffer (what its frames show the page).

        Returns
        -------
        ndarray of uint8, shape (height, width, 4)
        """
        return np.asarray(self.figure.canvas.buffer_rgba()).copy()


__all__ = ["SliderApp"]
