"""matplotlib's web canvas: render only when the figure changed, encode each frame's PNG fast and once.

ipympl's canvas is matplotlib's ``FigureCanvasWebAggCore``. After every slider move it renders the figure
and sends the page a PNG of the pixels that changed (a "diff" frame: unchanged pixels transparent) or of
the whole figure. Three costs of that path are cut here, each for a class of thirty on two cores:

* **Draw only when changed** (:func:`draw_unless_current`). The page asks for a full ``draw`` on connecting
  and again after its first resize, and pyplot's after-each-message hook asks again for every figure it
  finds stale. When nothing changed since the last frame the canvas sends that frame again instead of
  rendering the whole figure, text and all. :func:`mark_drawn` tells pyplot that an app's frame drawn over a
  cached background (``dprk_figures.blit``) is complete, so the hook does not render it a second time.
* **Encode fast** (:func:`diff_frame`, :func:`encode_png`). matplotlib encodes each frame with Pillow's
  defaults; a diff frame is mostly all-zero rows, so only the changed rows are compressed (zlib's fastest
  level) and a compressed run of zero rows made once is spliced in. Any PNG decoder reads the result, and a
  test checks that it decodes to exactly matplotlib's frame.
* **Encode ahead** (:func:`encode_ahead`). A classroom's warm kernel renders an app's first frame before
  any page is there; its PNG is made then too, so a student's page gets it without an encoding.

Internal names used (matplotlib's ``backend_webagg_core`` and ``backend_agg``, read and written):
``FigureCanvasWebAggCore._png_is_old``, ``._force_full``, ``._last_buff`` (the state of its
``get_diff_image``) and ``FigureCanvasAgg._lastKey`` (the size and resolution of the last render). The
canvas's ``get_diff_image`` and ``draw`` are replaced on the instance (:func:`use_fast_frames`).

Why the public API is not enough: matplotlib offers no hook for a canvas's frame encoding, nor a way to
send the last frame again without rendering; ``draw_idle`` and ``draw`` always render the whole figure.
A figure's ``stale`` flag is public, but that pyplot's IPython hook redraws every stale figure after each
kernel message (and so a blitted frame a second time) is undocumented behaviour.

Upstream: ipympl's issue on the cost of its PNG frames and diff images,
https://github.com/matplotlib/ipympl/issues/103 ("Optimizations"); pyplot's ``post_execute`` redraw of
stale figures after a blit, https://github.com/matplotlib/matplotlib/issues/19633; blitting with ipympl,
https://github.com/matplotlib/ipympl/issues/228.

Fallback: :func:`use_fast_frames` leaves a canvas alone (and returns ``False``) when any internal name is
missing; a replaced method that finds a name gone at call time does what the canvas's own class does
(``type(canvas).get_diff_image(canvas)``, ``type(canvas).draw(canvas)``); :func:`encode_ahead` then
encodes nothing. Nothing here raises for a missing name. With ``DPRK_PLAIN=1`` none of it is called.
"""

from __future__ import annotations

import functools
import struct
import types
import zlib

import numpy as np

from dprk_internals import touches_internals

#: Internal attributes of matplotlib's WebAgg canvas that :func:`diff_frame` reads and writes.
CANVAS_STATE = ("_png_is_old", "_force_full", "_last_buff")
#: Public methods :func:`diff_frame` calls besides them.
CANVAS_METHODS = ("set_image_mode", "get_renderer", "get_diff_image", "get_width_height")
#: Where this module keeps the PNG of the last full frame on a canvas (its own attribute, no library's).
FULL_FRAME_ATTRIBUTE = "_dprk_full_frame"
#: zlib's largest prime below 2**16, the modulus of the Adler-32 checksum a zlib stream ends with.
ADLER_MOD = 65521
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encode_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA image as PNG, fast for frames whose rows are mostly all zero (a diff frame).

    Rows are stored unfiltered and compressed at zlib's fastest level (1). A run of all-zero rows (the
    unchanged part of a diff frame) is not compressed again each frame: its compressed form is made once
    per width and run length (see :func:`_zero_rows`) and spliced into the stream after a full flush,
    which leaves no reference across the splice; the checksum of a zero run is computed directly. Any PNG
    decoder reads the result. Touches no internal (a PNG is a public format).

    Parameters
    ----------
    rgba : ndarray of uint8, shape (height, width, 4)

    Returns
    -------
    bytes
        A PNG file (8-bit RGBA, no interlacing).
    """
    height, width, _channels = rgba.shape
    row_bytes = width * 4
    raw = np.zeros((height, row_bytes + 1), dtype=np.uint8)  # each row: filter byte 0 ("none"), pixels
    raw[:, 1:] = rgba.reshape(height, row_bytes)
    nonzero = raw[:, 1:].any(axis=1)
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY)  # raw deflate: header below
    chunks, adler_a, adler_b = [], 1, 0
    edges = np.flatnonzero(np.diff(nonzero.astype(np.int8))) + 1
    for first, stop in zip(np.r_[0, edges], np.r_[edges, height], strict=True):
        if nonzero[first]:
            data = raw[first:stop].tobytes()
            chunks.append(compressor.compress(data))
            checksum = zlib.adler32(data, (adler_b << 16) | adler_a)
            adler_a, adler_b = checksum & 0xFFFF, checksum >> 16
        else:
            chunks.append(compressor.flush(zlib.Z_FULL_FLUSH))  # nothing after refers to what came before
            count = int(stop - first)
            chunks.extend(_zero_rows(row_bytes + 1, 1 << bit) for bit in range(count.bit_length()) if count >> bit & 1)
            adler_b = (adler_b + count * (row_bytes + 1) * adler_a) % ADLER_MOD  # zeros leave the sum as it is
    chunks.append(compressor.flush(zlib.Z_FINISH))
    stream = b"\x78\x01" + b"".join(chunks) + struct.pack(">I", (adler_b << 16) | adler_a)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, no filter/interlace
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.lru_cache(maxsize=64)
def _zero_rows(row_bytes: int, count: int) -> bytes:
    """Raw deflate of ``count`` zero rows of ``row_bytes`` each, ending byte-aligned (a full flush)."""
    compressor = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_RLE)
    return compressor.compress(bytes(row_bytes * count)) + compressor.flush(zlib.Z_FULL_FLUSH)


def has_frame_state(canvas) -> bool:
    """Whether ``canvas`` has every internal name and method :func:`diff_frame` uses (a WebAgg canvas)."""
    return all(hasattr(canvas, name) for name in (*CANVAS_STATE, *CANVAS_METHODS))


@touches_internals
def diff_frame(canvas) -> bytes | None:
    """The next frame for the page: changed pixels only, or the whole figure when it must be.

    The same frame matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` makes (a full frame after a
    resize, on request or when any pixel is transparent; else the changed pixels, others zero), encoded by
    :func:`encode_png`. A full frame of pixels already encoded is the same PNG again. Without the internal
    names the canvas's own ``get_diff_image`` makes the frame.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore

    Returns
    -------
    bytes or None
        The PNG, or ``None`` when nothing was drawn since the last frame.
    """
    if not has_frame_state(canvas):
        return type(canvas).get_diff_image(canvas)
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    whole = pixels.view(np.uint32).squeeze(2)  # one number a pixel: one comparison per pixel
    last = canvas._last_buff
    full = canvas._force_full or whole.shape != last.shape or bool((pixels[:, :, 3] != 255).any())
    if full:
        canvas.set_image_mode("full")
        encoded = _encoded_full_frame(canvas, whole)
        if encoded is not None:  # these pixels were sent (or encoded ahead) as a full frame: the same PNG
            canvas._force_full = canvas._png_is_old = False
            return encoded
        output = whole
    else:
        canvas.set_image_mode("diff")
        output = np.where(whole != last, whole, 0)
    canvas._last_buff = whole.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    png = encode_png(output.view(np.uint8).reshape((*output.shape, 4)))
    # A full frame's PNG is kept with the very array it encodes (replaced by the next frame's copy).
    setattr(canvas, FULL_FRAME_ATTRIBUTE, (canvas._last_buff, png) if full else None)
    return png


def _encoded_full_frame(canvas, whole: np.ndarray) -> bytes | None:
    """The PNG of the last full frame if ``whole`` (the renderer's pixels) is still exactly that frame."""
    kept = getattr(canvas, FULL_FRAME_ATTRIBUTE, None)
    if kept is None or kept[0] is not getattr(canvas, "_last_buff", None):
        return None
    return kept[1] if np.array_equal(kept[0], whole) else None


def uses_fast_frames(canvas) -> bool:
    """Whether ``canvas`` was prepared by :func:`use_fast_frames` (frames by :func:`diff_frame`)."""
    return getattr(getattr(canvas, "get_diff_image", None), "__func__", None) is diff_frame


@touches_internals
def holds_last_sent_frame(canvas, pixels: np.ndarray) -> bool:
    """Whether ``pixels`` (the renderer's buffer) are the frame the canvas last sent its page.

    A key frame (``dprk_figures.keyframes``) repeats the renderer's buffer; after a background was rendered
    ahead (07's other scales) the buffer holds something the page was never sent. matplotlib keeps the
    frame sent as ``_last_buff`` (read here). Without that name: ``True`` (the buffer is the frame).
    """
    sent = getattr(canvas, "_last_buff", None)
    if not isinstance(sent, np.ndarray) or sent.dtype != np.uint32 or sent.ndim != 2:
        return True
    return sent.shape == pixels.shape[:2] and np.array_equal(sent, pixels.view(np.uint32).squeeze(2))


@touches_internals
def encode_ahead(canvas) -> bool:
    """Encode the full frame of what the canvas's renderer holds now, for the first page that connects.

    Nothing is sent, and the canvas still sends a full frame first: :func:`diff_frame` finds it encoded.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore

    Returns
    -------
    bool
        Whether a frame was encoded (``False`` for a canvas without :func:`diff_frame`, or one whose
        internal names are missing).
    """
    if not uses_fast_frames(canvas) or not has_frame_state(canvas):
        return False
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    canvas._last_buff = pixels.view(np.uint32).squeeze(2).copy()
    setattr(canvas, FULL_FRAME_ATTRIBUTE, (canvas._last_buff, encode_png(pixels)))
    return True


@touches_internals
def draw_unless_current(canvas) -> None:
    """A WebAgg canvas's ``draw``: render the figure only when what it shows changed since the last frame.

    When the figure is not stale (every artist is as last rendered: matplotlib marks the figure stale on
    any change, :func:`mark_drawn` after an app's own complete frame) and the renderer still has the
    figure's size and resolution, the last frame in the renderer's buffer is sent again as a full frame;
    otherwise the canvas's own ``draw`` renders the figure as usual.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
    """
    figure = canvas.figure
    width, height = canvas.get_width_height(physical=True)
    current = getattr(canvas, "_lastKey", None) == (width, height, figure.dpi)
    if figure.stale or not current or not hasattr(canvas, "_png_is_old"):
        type(canvas).draw(canvas)
        return
    # The page gets the frame again, whole: an empty diff frame would replace a full frame the page is still
    # loading, which the page then never paints (dprk_figures.keyframes). Its PNG is kept, not encoded again.
    canvas._png_is_old = True
    canvas._force_full = True
    manager = getattr(canvas, "manager", None)
    if manager is not None and hasattr(manager, "refresh_all"):
        manager.refresh_all()


def draws_only_when_changed(canvas) -> bool:
    """Whether ``canvas.draw`` is :func:`draw_unless_current` (a canvas prepared by :func:`use_fast_frames`)."""
    return getattr(getattr(canvas, "draw", None), "__func__", None) is draw_unless_current


@touches_internals
def use_fast_frames(canvas) -> bool:
    """Make ``canvas`` encode its frames with :func:`diff_frame` and draw only when its figure changed.

    Other canvases (Agg, PDF, a WebAgg canvas of a matplotlib without these internal names) are left alone.

    Parameters
    ----------
    canvas : matplotlib canvas

    Returns
    -------
    bool
        Whether the canvas now uses the faster frames (a WebAgg-based canvas such as ipympl's).
    """
    if not has_frame_state(canvas) or not hasattr(canvas, "_lastKey"):
        return False
    canvas.get_diff_image = types.MethodType(diff_frame, canvas)
    canvas.draw = types.MethodType(draw_unless_current, canvas)
    return True


@touches_internals
def mark_drawn(figure) -> None:
    """Tell pyplot that ``figure``'s shown frame is complete after an app drew it over a cached background.

    IPython runs pyplot's ``post_execute`` hook after every widget message, and the hook asks every
    *stale* figure for a redraw: the page then requests a ``draw`` and the kernel renders the whole
    figure again after the app has already shown its cheap frame. A blit leaves the figure stale; this
    clears the flag. The artists still mark the figure stale again when they next change.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure whose canvas now shows every artist as it is.
    """
    if hasattr(figure, "stale"):
        figure.stale = False


__all__ = [
    "diff_frame",
    "draw_unless_current",
    "draws_only_when_changed",
    "encode_ahead",
    "encode_png",
    "holds_last_sent_frame",
    "mark_drawn",
    "use_fast_frames",
    "uses_fast_frames",
]
