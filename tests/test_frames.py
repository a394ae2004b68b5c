"""The frames a slider move sends to the page: one frame a move, encoded fast, decoded as matplotlib's.

* :func:`dprk_internals.matplotlib_frames.encode_png` is a valid PNG of exactly the pixels it is given (any
  shape, any pattern of all-zero rows), and :func:`~dprk_internals.matplotlib_frames.diff_frame` decodes to
  the same frames as matplotlib's own ``get_diff_image`` over a sequence of moves.
* After an app renders a move over its cached background, pyplot's after-message hook (which IPython
  runs after every widget message) asks for no second, full render
  (:func:`dprk_internals.matplotlib_frames.mark_drawn`).
* The lab's blit manager (:class:`dprk_figures.blit.BlitManager`) renders only the panels whose limits
  changed, pixel for pixel as a whole render; the difference panel's scale holds when nothing differs.
* The page shows what the kernel drew: the frames sent, painted as the page paints them, add up to the
  app's last render byte for byte, with the internals on and with ``DPRK_PLAIN=1``.
"""

from __future__ import annotations

import asyncio
import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib._pylab_helpers import Gcf
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.backends.backend_webagg_core import FigureCanvasWebAggCore
from matplotlib.figure import Figure
from PIL import Image

from dprk_apps.lab import LabApp
from dprk_figures import blit as blit_module
from dprk_figures import keyframes
from dprk_internals import matplotlib_frames as frames


def decode(png: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(png)) as image:
        assert image.mode == "RGBA"
        return np.asarray(image)


@settings(max_examples=60, deadline=None)
@given(
    height=st.integers(1, 40),
    width=st.integers(1, 40),
    seed=st.integers(0, 2**32 - 1),
    zero_share=st.floats(0.0, 1.0),
)
def test_encode_png_round_trips_any_pattern_of_zero_rows(height, width, seed, zero_share):
    rng = np.random.default_rng(seed)
    rgba = rng.integers(0, 256, (height, width, 4), dtype=np.uint8)
    rgba[rng.random(height) < zero_share] = 0  # runs of all-zero rows, spliced in from the cache
    assert np.array_equal(decode(frames.encode_png(rgba)), rgba)


@pytest.mark.parametrize("fill", [0, 255])
def test_encode_png_of_a_uniform_frame(fill):
    rgba = np.full((650, 1000, 4), fill, dtype=np.uint8)  # the lab's size: long zero runs use every cached length
    assert np.array_equal(decode(frames.encode_png(rgba)), rgba)


def webagg_figure():
    figure = Figure(figsize=(4, 3), dpi=50)
    canvas = FigureCanvasWebAggCore(figure)
    ax = figure.add_subplot()
    (line,) = ax.plot([0, 1, 2], [0, 1, 0])
    return canvas, line


def test_diff_frames_decode_as_matplotlibs_own():
    """Same frames, same modes, over a first full frame and several moves (one of them with no change)."""
    ours, ours_line = webagg_figure()
    theirs, theirs_line = webagg_figure()
    assert frames.use_fast_frames(ours)
    modes = []
    for step, y in enumerate([None, 0.5, 0.5, 2.0, -1.0]):
        for line in (ours_line, theirs_line):
            if y is not None:
                line.set_ydata([0, y, 0])
        for canvas in (ours, theirs):
            FigureCanvasAgg.draw(canvas)  # render only: the canvas has no page (no manager) to send to
            canvas._png_is_old = True  # what the WebAgg canvas's own draw marks
        if step == 2:  # the first frame was full; force another, as a resize does
            ours._force_full = theirs._force_full = True
        mine, reference = ours.get_diff_image(), theirs.get_diff_image()
        assert np.array_equal(decode(mine), decode(reference)), step
        assert ours._current_image_mode == theirs._current_image_mode
        modes.append(ours._current_image_mode)
        assert ours.get_diff_image() is None and theirs.get_diff_image() is None  # nothing new drawn
    assert modes == ["full", "diff", "full", "diff", "diff"]


def test_other_canvases_are_left_alone():
    assert not frames.use_fast_frames(FigureCanvasAgg(Figure()))


@pytest.fixture
def lab():
    app = LabApp()
    yield app
    plt.close(app.figure)


def test_a_move_asks_for_no_second_full_render(lab, monkeypatch):
    """IPython runs pyplot's hook after every widget message: it must find the lab's figure drawn."""
    requests = []
    monkeypatch.setattr(lab.figure.canvas, "draw_idle", lambda: requests.append(1))
    assert any(manager.canvas.figure is lab.figure for manager in Gcf.get_all_fig_managers())
    control = lab.panel.controls["russia_arms_enforcement"].input
    for value in (0.05, 0.1, 0.05, 0.6):
        control.value = value
        assert not lab.figure.stale
        Gcf.draw_all()  # what pyplot's post_execute hook does
    assert requests == []
    lab.lab.lines["hc"]["russia"].set_ydata(lab.lab.lines["hc"]["russia"].get_ydata() * 2)
    assert lab.figure.stale  # a change outside the app's frame still marks the figure for a redraw


@pytest.mark.parametrize(
    ("lever", "base"),
    [
        ("russia_arms_enforcement", None),
        ("russia_arms_enforcement", 0.5),
        ("china_export_ban_enforcement", None),
        ("russia_labour_enforcement", None),
    ],
)
def test_moves_around_a_point_keep_the_background(lab, monkeypatch, lever, base):
    """Two steps up, two down, over and over: after the first round the background is never rendered again."""
    control = lab.panel.controls[lever].input
    if base is not None:
        control.value = base
    renders = count_whole_renders(monkeypatch)
    start = control.value
    direction = 1 if start + 2 * control.step <= control.max else -1
    pattern = [start + direction * control.step, start + 2 * direction * control.step]
    pattern += [pattern[0], start]
    for value in pattern:  # the first round may widen an axis
        control.value = round(value, 6)
    first_round = len(renders)
    for _round in range(5):
        for value in pattern:
            control.value = round(value, 6)
    assert len(renders) == first_round, (lever, first_round, len(renders))


class Page:
    """What a connected page receives from a WebAgg canvas (frames only)."""

    def __init__(self):
        self.frames = []

    def send_json(self, content):
        pass

    def send_binary(self, blob):
        self.frames.append(decode(blob))


def test_a_draw_renders_only_what_changed_since_the_last_frame():
    """The page's draw requests after a refresh or a repeated request resend the frame; changes render."""
    from matplotlib.backends.backend_webagg_core import FigureManagerWebAgg

    canvas, line = webagg_figure()
    manager = FigureManagerWebAgg(canvas, 1)
    page = Page()
    manager.add_web_socket(page)
    assert frames.use_fast_frames(canvas)
    renders = []
    figure_draw = canvas.figure.draw
    canvas.figure.draw = lambda renderer: (renders.append(1), figure_draw(renderer))[1]

    canvas.draw()  # the first frame: never rendered before
    assert len(renders) == 1 and canvas._current_image_mode == "full"
    first = page.frames[-1]
    canvas._force_full = True  # what a refresh does before asking for a draw
    canvas.draw()
    assert len(renders) == 1, "nothing changed: the frame is sent again, not rendered again"
    assert canvas._current_image_mode == "full" and np.array_equal(page.frames[-1], first)

    line.set_ydata([0, 2, 0])  # a change marks the figure stale: rendered
    canvas.draw()
    assert len(renders) == 2 and not np.array_equal(page.frames[-1][..., :3], first[..., :3])
    canvas.figure.set_size_inches(5, 3, forward=False)  # a resize: rendered at the new size
    canvas.draw()
    assert len(renders) == 3 and page.frames[-1].shape[:2] == canvas.get_width_height(physical=True)[::-1]
    canvas.figure.set_dpi(100)  # a new resolution (a high-density screen): rendered
    canvas.figure.stale = False  # even if nothing marked it stale, the renderer's resolution differs
    canvas.draw()
    assert len(renders) == 4


def sweep(app, lever):
    """Every value of ``lever``'s slider, bottom to top, then back to the default."""
    control = app.panel.controls[lever].input
    default = control.value
    values = [
        round(control.min + k * control.step, 6) for k in range(round((control.max - control.min) / control.step) + 1)
    ]
    return control, [*values, default]


def count_whole_renders(monkeypatch) -> list:
    """A list that gets one item for every whole Agg render of any figure from now on."""
    wholes = []
    draw = blit_module.FigureCanvasAgg.draw
    monkeypatch.setattr(blit_module.FigureCanvasAgg, "draw", lambda canvas: (wholes.append(1), draw(canvas))[1])
    return wholes


def count_panel_renders(lab_figure) -> list:
    """The lab's list of single-panel renders from now on (the sorted names of the panels, one list each)."""
    lab_figure.blit.panel_renders.clear()
    return lab_figure.blit.panel_renders


def watch_page(monkeypatch, figure) -> tuple[list, list]:
    """The frames an ipympl figure sends to its page (decoded) and one item per render of the figure."""
    sent, renders = [], []
    monkeypatch.setattr(figure.canvas, "send_binary", lambda blob: sent.append(decode(blob)))
    figure_draw = figure.draw
    monkeypatch.setattr(figure, "draw", lambda renderer: (renders.append(1), figure_draw(renderer))[1])
    return sent, renders


def whole_background_frame(lab_figure) -> np.ndarray:
    """The frame the lab renders when its whole background is rendered again (the reference)."""
    canvas = lab_figure.fig.canvas
    shown = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    lab_figure.blit.invalidate()
    lab_figure.render()
    reference = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    return shown, reference


@pytest.mark.parametrize("lever", ["russia_arms_enforcement", "china_export_ban_enforcement", "war_demand_level"])
def test_a_panel_whose_limits_change_is_rendered_alone_and_matches_a_whole_render(lab, monkeypatch, lever):
    """Sweeping a lever end to end, each change of a panel's limits renders that panel alone.

    Pixel for pixel as a whole background render would have it; the whole background is not rendered again.
    """
    if lever not in lab.panel.controls:
        pytest.fail(f"the lab has no {lever} control")
    lab.lab.render()  # the first frame renders the whole background
    wholes, panels = count_whole_renders(monkeypatch), count_panel_renders(lab.lab)
    wholes.clear()
    control, values = sweep(lab, lever)
    for value in values:
        control.value = value
        before = len(wholes)
        shown, reference = whole_background_frame(lab.lab)
        del wholes[before:]  # the reference's own render is not the app's
        assert np.array_equal(shown, reference), (lever, value)
    assert panels, f"sweeping {lever} never changed a panel's limits: the test shows nothing"
    assert wholes == [], f"the whole background was rendered {len(wholes)} times"


def test_a_panel_whose_text_would_reach_another_renders_the_whole_background(lab, monkeypatch):
    """When a changed panel's extent meets another's the whole background is rendered (and still matches)."""
    monkeypatch.setattr(lab.lab.blit, "margin_px", 400)  # every panel's extent now meets the others
    wholes = count_whole_renders(monkeypatch)
    lab.lab.blit.invalidate()
    lab.lab.render()  # extents measured with the wide margin
    wholes.clear()
    panels = count_panel_renders(lab.lab)
    control, values = sweep(lab, "russia_arms_enforcement")
    for value in values:
        control.value = value
    assert len(wholes) >= 1 and panels == []
    shown, reference = whole_background_frame(lab.lab)
    assert np.array_equal(shown, reference)


def test_presets_and_reset_render_only_the_panels_that_changed(lab, monkeypatch):
    """Every preset and a reset after each: only changed panels rendered, as a whole render would have it."""
    from dprk_apps.controls import offered_presets

    lab.lab.render()
    wholes, panels = count_whole_renders(monkeypatch), count_panel_renders(lab.lab)
    for name in offered_presets():
        for preset in (name, None):
            if preset is None:
                lab.panel.reset()
            else:
                lab.presets.dropdown.value = preset
            before = len(wholes)
            shown, reference = whole_background_frame(lab.lab)
            del wholes[before:]
            assert np.array_equal(shown, reference), name
    assert panels, "no preset changed a panel's limits: the test shows nothing"
    assert wholes == []


def test_several_panels_at_once_match_a_whole_render(lab, monkeypatch):
    """All four panels' limits changed together (by hand): each is rendered again in place, none disturbed."""
    lab.lab.render()
    wholes, panels = count_whole_renders(monkeypatch), count_panel_renders(lab.lab)
    for ax in lab.lab.axes.values():
        low, high = ax.get_ylim()
        ax.set_ylim(low, high * 3.7 if high > 0 else high + 1)  # new ticks, wider labels
    assert sorted(lab.lab.blit.stale_panels()) == sorted(lab.lab.axes)
    lab.lab.render()
    assert wholes == [] and panels == [sorted(lab.lab.axes)] and not lab.lab.blit.stale_panels()
    shown, reference = whole_background_frame(lab.lab)
    assert np.array_equal(shown, reference)


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_an_app_renders_its_first_frame_when_built_and_a_page_gets_it_without_a_render(monkeypatch, ipympl_backend):
    """In a warm kernel the lab is built before any page: a page's refresh and draw then only send that frame."""
    app = LabApp()
    canvas = app.figure.canvas
    assert frames.draws_only_when_changed(canvas) and not app.figure.stale
    built = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    sent, renders = watch_page(monkeypatch, app.figure)
    for event in ("refresh", "send_image_mode", "initialized", "draw", "draw"):  # what a connecting page sends
        canvas.handle_event({"type": event})
    assert renders == [], "the page's draw rendered the figure again"
    assert np.array_equal(sent[0], built)  # a full frame first (after the refresh) ...
    assert len(sent) == 2 and np.array_equal(sent[1], built)  # ... then that full frame again, for its draw
    canvas.draw()  # a whole render of the same figure: the frame sent is what it shows
    assert np.any(sent[0] != 0) and np.any(built[..., :3] != 255)
    differing = np.any(sent[0] != np.asarray(canvas.get_renderer().buffer_rgba()), axis=-1).mean()
    assert differing < 0.01  # lines over legend text, as for every cached frame
    count = len(sent)
    app.panel.controls["russia_arms_enforcement"].input.value = 0.6
    assert len(sent) == count + 1 and canvas._current_image_mode == "diff"


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_a_displayed_figure_is_sent_as_displayed_without_a_second_render(monkeypatch, ipympl_backend):
    """``display(fig.canvas)``: ipympl renders the figure for its static image; the page's draw reuses that."""
    from dprk_apps.lab import baseline_figure

    figure = baseline_figure()
    canvas = figure.canvas
    assert figure.stale
    canvas._repr_mimebundle_()  # what display() calls
    assert not figure.stale
    shown = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    sent, renders = watch_page(monkeypatch, figure)
    for event in ("refresh", "send_image_mode", "initialized", "draw"):
        canvas.handle_event({"type": event})
    assert renders == [] and len(sent) == 1 and np.array_equal(sent[0], shown)
    FigureCanvasAgg.draw(canvas)  # a draw of the same figure gives the very frame that was sent
    assert len(renders) == 1 and np.array_equal(np.asarray(canvas.get_renderer().buffer_rgba()), shown)


def test_scales_rendered_ahead_are_restored_not_rendered_and_match_a_whole_render(lab, monkeypatch):
    """After prerender_scales, moving the arms lever up to the larger difference scales renders no panel.

    The frames shown are what a whole render gives, at every step (the cache is compared, then kept).
    """
    lab.lab.prerender_scales()
    assert len(lab.lab.blit.backgrounds) >= 3
    wholes, panels = count_whole_renders(monkeypatch), count_panel_renders(lab.lab)
    control = lab.panel.controls["russia_arms_enforcement"].input
    scales, frames = set(), []
    for step in range(1, 21):
        control.value = round(step * control.step, 6)
        scales.add(lab.lab.axes["delta"].get_ylim())
        frames.append((control.value, np.asarray(lab.figure.canvas.get_renderer().buffer_rgba()).copy()))
    assert len(scales) >= 3, "the sweep never changed the difference scale: the test shows nothing"
    assert panels == [] and wholes == []
    for value, shown in frames[-1:]:
        _, reference = whole_background_frame(lab.lab)
        assert np.array_equal(shown, reference), value
    # and one earlier scale, rendered again from scratch
    control.value = frames[2][0]
    _, reference = whole_background_frame(lab.lab)
    assert np.array_equal(frames[2][1], reference)


def count_encodings(monkeypatch) -> list:
    """One item per PNG encoded by :func:`dprk_internals.matplotlib_frames.encode_png` (the module's own calls)."""
    encoded, encode = [], frames.encode_png
    monkeypatch.setattr(frames, "encode_png", lambda rgba: (encoded.append(1), encode(rgba))[1])
    return encoded


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
def test_a_connecting_page_gets_the_frame_encoded_ahead_and_a_changed_figure_is_encoded_again(
    monkeypatch, ipympl_backend
):
    """The lab's first PNG is made when the app is built; connecting twice (refresh, resize) encodes nothing.

    Once a lever moved, a page's refresh encodes the pixels shown now, not the frame kept from before.
    """
    app = LabApp()
    canvas = app.figure.canvas
    built = np.asarray(canvas.get_renderer().buffer_rgba()).copy()
    encoded = count_encodings(monkeypatch)
    sent, renders = watch_page(monkeypatch, app.figure)
    for _page in range(2):  # a page connects, then another (or the same after a resize asks for a refresh)
        for event in ("refresh", "send_image_mode", "initialized", "draw"):
            canvas.handle_event({"type": event})
    full = [frame for frame in sent if np.any(frame)]
    assert len(full) == 2 and all(np.array_equal(frame, built) for frame in full)
    assert encoded.count(1) == sum(not np.any(frame) for frame in sent), "a full frame was encoded again"
    app.panel.controls["russia_arms_enforcement"].input.value = 0.7
    canvas.handle_event({"type": "refresh"})
    canvas.handle_event({"type": "draw"})
    now = np.asarray(canvas.get_renderer().buffer_rgba())
    assert not np.array_equal(now, built), "the move changed nothing: the test shows nothing"
    assert np.array_equal(sent[-1], now) and canvas._current_image_mode == "full"
    assert renders == []


def test_full_frames_of_the_same_pixels_are_the_same_png_and_new_pixels_are_encoded():
    """:func:`diff_frame` reuses a full frame's PNG only while the renderer holds exactly those pixels."""
    canvas, line = webagg_figure()
    assert frames.use_fast_frames(canvas)

    def frame(y, full):
        if y is not None:
            line.set_ydata([y, 0, y])
        FigureCanvasAgg.draw(canvas)
        canvas._png_is_old, canvas._force_full = True, full
        return canvas.get_diff_image()

    first = frame(None, True)
    assert frame(None, True) is first  # nothing changed: the very bytes
    changed = frame(1.5, True)  # new pixels asked for in full straight away (a refresh right after a move)
    assert np.array_equal(decode(changed), np.asarray(canvas.get_renderer().buffer_rgba()))
    diff = frame(-1.0, False)  # a diff frame replaces the pixels kept
    assert np.any(decode(diff))
    again = frame(None, True)
    assert again is not changed and np.array_equal(decode(again), np.asarray(canvas.get_renderer().buffer_rgba()))


class PaintedPage:
    """A page's figure as ipympl paints it, and the page's side of the draw requests.

    A full frame replaces the picture; a diff frame is painted over it (its unchanged pixels are
    transparent). A ``draw`` the kernel asks for (``draw_idle``) is answered with the page's own draw
    request, as ipympl's page does, when :meth:`settle` runs (the kernel's next message).
    """

    def __init__(self, monkeypatch, canvas):
        self.canvas, self.picture, self.frames, self.asked = canvas, None, 0, 0
        monkeypatch.setattr(canvas, "send_binary", self.paint)
        send_json = canvas.send_json

        def json(content):
            if content.get("type") == "draw":
                self.asked += 1
            else:
                send_json(content)

        monkeypatch.setattr(canvas, "send_json", json)

    def paint(self, blob):
        frame = decode(blob)
        self.frames += 1
        if self.canvas._current_image_mode == "full" or self.picture is None or self.picture.shape != frame.shape:
            self.picture = frame.copy()
        else:
            changed = frame[..., 3] != 0
            self.picture[changed] = frame[changed]

    def connect(self):
        for event in ("refresh", "send_image_mode", "initialized", "draw"):  # what a connecting page sends
            self.canvas.handle_event({"type": event})

    def settle(self):
        """Run pyplot's after-message hook (IPython runs it after every widget message), then the page's draws."""
        Gcf.draw_all()
        while self.asked:
            self.asked -= 1
            self.canvas.handle_event({"type": "draw"})


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
@pytest.mark.parametrize("plain", [False, True], ids=["internals", "plain"])
def test_the_page_shows_exactly_what_the_kernel_drew(monkeypatch, ipympl_backend, plain):
    """Frames sent over moves, a panel's new limits, a preset and a reset add up to the app's last render.

    Byte for byte after decoding, with the internals on and with ``DPRK_PLAIN=1``: a frame lost, painted
    out of order or over the wrong picture (the frame painter's bug) would leave a difference.
    """
    if plain:
        monkeypatch.setenv("DPRK_PLAIN", "1")
    else:
        monkeypatch.delenv("DPRK_PLAIN", raising=False)
    app = LabApp()
    canvas = app.figure.canvas
    assert frames.draws_only_when_changed(canvas) != plain
    page = PaintedPage(monkeypatch, canvas)
    page.connect()
    page.settle()
    assert np.array_equal(page.picture, app.last_frame())
    control = app.panel.controls["russia_arms_enforcement"].input
    shown = [page.picture.copy()]
    for change in (0.05, 0.6, 1.0, 0.95, "max-pressure", "reset", 0.3):
        if change == "reset":
            app.presets.reset_button.click()
        elif isinstance(change, str):
            app.presets.dropdown.value = change
        else:
            control.value = change
        page.settle()
        assert app.errors.message == ""
        assert np.array_equal(page.picture, app.last_frame()), change
        assert not np.array_equal(page.picture, shown[-1]), f"{change}: the figure did not change"
        shown.append(page.picture.copy())
    assert page.frames >= len(shown)


class LoadingPage(PaintedPage):
    """A page that paints as ipympl's does when frames come faster than its images load.

    The page loads one image at a time: a frame that arrives while the previous one is still loading
    replaces it (the previous one is never painted), and a frame is painted with the image mode last
    announced when it has loaded (a diff frame under "full" clears the picture first). :meth:`load`
    is the moment the browser's image has loaded.
    """

    def __init__(self, monkeypatch, canvas):
        super().__init__(monkeypatch, canvas)
        self.loading, self.dropped = None, 0

    def paint(self, blob):
        self.dropped += self.loading is not None
        self.loading = decode(blob)
        self.frames += 1

    def load(self):
        if self.loading is None:
            return
        frame, self.loading = self.loading, None
        if self.picture is None or self.picture.shape != frame.shape or self.canvas._current_image_mode == "full":
            self.picture = np.zeros_like(frame)  # a new size, or a full frame: the picture is cleared first
        changed = frame[..., 3] != 0  # painted over: a diff frame's unchanged pixels are transparent
        self.picture[changed] = frame[changed]

    def connect(self):
        """A page that connects while the browser is idle: each frame loads before the next comes.

        Its messages reach every handler the widget registered with ``on_msg`` (ipympl's and the key
        frames'), as a message from a page does.
        """
        for event in ("refresh", "send_image_mode", "initialized", "draw"):
            self.canvas._msg_callbacks(self.canvas, {"type": event}, [])
            self.load()
        self.settle()
        self.load()


def burst_of_moves(app, page, values) -> None:
    """Moves one after another, each frame arriving before the one before has loaded."""
    control = app.panel.controls["russia_arms_enforcement"].input
    for value in values:
        control.value = value
        page.settle()
        assert app.errors.message == ""


@pytest.mark.filterwarnings(r"ignore:Passing unrecognized arguments to super\(Toolbar\):DeprecationWarning")
@pytest.mark.parametrize("plain", [False, True], ids=["internals", "plain"])
def test_frames_faster_than_the_page_loads_them_end_in_a_full_frame_of_the_kernels_figure(
    monkeypatch, ipympl_backend, plain
):
    """A burst of frames the page cannot paint in time ends, once the figure rests, as the kernel drew it.

    Without the key frame (no event loop: :func:`dprk_figures.keyframes.after_frame` schedules none) the
    same burst leaves the page's figure wrong: the race is real in this model of the page, and the key
    frame is what repairs it.
    """
    if plain:
        monkeypatch.setenv("DPRK_PLAIN", "1")
    else:
        monkeypatch.delenv("DPRK_PLAIN", raising=False)

    def visit(with_loop: bool) -> tuple[LabApp, LoadingPage]:
        app = LabApp()
        assert keyframes.can_keep_in_step(app.figure.canvas)
        page = LoadingPage(monkeypatch, app.figure.canvas)
        page.connect()
        assert np.array_equal(page.picture, app.last_frame())
        burst_of_moves(app, page, (0.05, 0.9, 0.4))
        page.load()
        if with_loop:
            return app, page
        assert page.dropped >= 1
        return app, page

    app, page = visit(with_loop=False)
    assert not np.array_equal(page.picture, app.last_frame()), "the race left no wrong picture to repair"

    async def with_key_frames():
        app, page = visit(with_loop=True)
        state = getattr(app.figure.canvas, keyframes.STATE_ATTRIBUTE)
        sent = state.sent
        await asyncio.sleep(keyframes.REST_S * 2)
        page.load()
        assert state.sent == sent + 1, "one key frame after the burst"
        assert np.array_equal(page.picture, app.last_frame())
        frames_before = page.frames
        await asyncio.sleep(keyframes.REST_S * 2)
        assert page.frames == frames_before, "a resting figure sends nothing more"

    asyncio.run(with_key_frames())


def test_no_key_frame_for_a_canvas_that_cannot_send_one():
    figure = Figure()
    FigureCanvasAgg(figure)
    assert not keyframes.keep_in_step(figure)
    keyframes.after_frame(figure)  # nothing scheduled, nothing raised
    assert getattr(figure.canvas, keyframes.STATE_ATTRIBUTE, None) is None
