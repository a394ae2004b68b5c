"""A full frame after every burst of frames, so the page's figure always ends as the kernel drew it.

ipympl's canvas sends the page a PNG after every change, usually a *diff* frame: only the pixels that
changed since the previous frame, the rest transparent. The page paints each frame when its image has
loaded, and it loads one image at a time: a frame that arrives while the one before is still loading
replaces it, and the one before is never painted. Its changed pixels are then missing from the page until
they change again. A diff frame painted when the mode last announced is "full" clears the picture first,
leaving only the changed pixels. Both happen when frames come close together: a scenario link that changes
the app right after its first frame, two keyboard moves on a busy machine. The page then shows a figure
with titles, legends or whole panels missing while the kernel's figure is right. Diff frames have no
key frames upstream (matplotlib's issue "Stale information drawn by nbAgg",
https://github.com/matplotlib/matplotlib/issues/19116).

:func:`keep_in_step` repairs this from the kernel: once a canvas has sent no frame for :data:`REST_S`,
it sends the page one full frame of what its renderer holds. A full frame replaces the page's picture
whatever the page painted before, and it is the last frame of the burst, so nothing replaces it before it
loads. One extra frame per burst of moves, none while the sliders move.

Only public API: ipywidgets' ``Widget.on_msg`` (a message from the page), matplotlib's ``draw_event``,
``FigureCanvasAgg.buffer_rgba``, ``FigureCanvasWebAggCore.set_image_mode`` and ipympl's ``send_binary``
(the method its canvas sends every frame with); the delay runs on the kernel's asyncio loop. So it is on
with ``DPRK_PLAIN=1`` too. A canvas without these methods, or a process without a running event loop
(a test, a script), sends no key frame.
"""

from __future__ import annotations

import asyncio
import io

import numpy as np
from matplotlib.figure import Figure

#: Seconds without a frame after which the page gets a full frame. Longer than the gap between a
#: person's keyboard repeats (so a held key sends none), shorter than anyone's wait for a figure.
REST_S = 0.35
#: This module's attribute on a canvas: its pending key frame (an ``asyncio.TimerHandle``) and counts.
STATE_ATTRIBUTE = "_dprk_keyframes"
#: Methods a canvas must have to send key frames (ipympl's ``Canvas``).
CANVAS_METHODS = ("send_binary", "set_image_mode", "buffer_rgba", "get_width_height", "on_msg", "mpl_connect")


class _State:
    """A canvas's pending key frame, and how many were sent (read by the tests)."""

    def __init__(self) -> None:
        self.pending: asyncio.TimerHandle | None = None
        #: Whether a page has said it is ready for frames (ipympl's "initialized"; "closing" ends it).
        self.page = False
        self.sent = 0


def can_keep_in_step(canvas) -> bool:
    """Whether ``canvas`` sends frames to a page and can send a key frame (an ipympl canvas)."""
    return all(callable(getattr(canvas, name, None)) for name in CANVAS_METHODS)


def keep_in_step(figure: Figure) -> bool:
    """Send ``figure``'s page a full frame after every burst of frames (see the module's docstring).

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure on an ipympl canvas; other canvases are left alone.

    Returns
    -------
    bool
        Whether key frames are now sent (repeated calls add nothing).
    """
    canvas = figure.canvas
    if not can_keep_in_step(canvas):
        return False
    if getattr(canvas, STATE_ATTRIBUTE, None) is not None:
        return True
    setattr(canvas, STATE_ATTRIBUTE, _State())
    # A whole render (the kernel's or one a page asked for) fires draw_event; the page's messages (its
    # draw and refresh requests, which may send a frame without a render) come through on_msg; an app's
    # blitted frame calls after_frame itself.
    canvas.mpl_connect("draw_event", lambda _event: after_frame(figure))
    canvas.on_msg(lambda _widget, content, _buffers: _page_message(figure, content))
    return True


def _page_message(figure: Figure, content) -> None:
    """Note whether a page is there, and restart the delay after any message from it."""
    state = getattr(figure.canvas, STATE_ATTRIBUTE)
    kind = content.get("type") if isinstance(content, dict) else None
    if kind == "initialized":
        state.page = True
    elif kind == "closing":
        state.page = False
    after_frame(figure)


def after_frame(figure: Figure) -> None:
    """(Re)start ``figure``'s key-frame delay: a full frame follows once no frame came for :data:`REST_S`.

    Does nothing for a canvas not prepared by :func:`keep_in_step`, before a page is there (it gets a full
    frame when it connects) or outside a running event loop.
    """
    state = getattr(figure.canvas, STATE_ATTRIBUTE, None)
    if state is None or not state.page:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return  # no kernel loop (a test or a script): nothing is shown on a page either
    if state.pending is not None:
        state.pending.cancel()
    state.pending = loop.call_later(REST_S, send_keyframe, figure)


def full_frame_png(canvas) -> bytes | None:
    """The canvas's last render as a PNG, or ``None`` when it has none of the figure's current size."""
    try:
        pixels = np.asarray(canvas.buffer_rgba())
    except AttributeError:  # never rendered: the canvas has no renderer yet
        return None
    width, height = canvas.get_width_height(physical=True)
    if pixels.shape[:2] != (height, width):
        return None  # resized since: the render that follows sends a full frame of its own
    import dprk_internals

    if dprk_internals.enabled():
        from dprk_internals.matplotlib_frames import encode_png, holds_last_sent_frame

        if not holds_last_sent_frame(canvas, pixels):
            return None  # a background rendered ahead, not the page's frame: no key frame this time
        return encode_png(np.ascontiguousarray(pixels))  # the diff frames' encoder, 3-4 times Pillow's speed
    from PIL import Image

    with io.BytesIO() as png:
        Image.fromarray(np.ascontiguousarray(pixels)).save(png, format="png", compress_level=1)
        return png.getvalue()


def send_keyframe(figure: Figure) -> bool:
    """Send the page a full frame of the canvas's last render now.

    Returns
    -------
    bool
        Whether a frame was sent.
    """
    canvas = figure.canvas
    state = getattr(canvas, STATE_ATTRIBUTE, None)
    if state is not None:
        state.pending = None
        if not state.page:
            return False
    png = full_frame_png(canvas)
    if png is None:
        return False
    canvas.set_image_mode("full")
    canvas.send_binary(png)
    if state is not None:
        state.sent += 1
    return True


__all__ = ["REST_S", "after_frame", "can_keep_in_step", "full_frame_png", "keep_in_step", "send_keyframe"]
