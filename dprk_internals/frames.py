"""The PNG frames an interactive canvas (ipympl, matplotlib's WebAgg) sends to the page, encoded faster.

After every slider move the kernel sends the page a PNG of the pixels that changed (a "diff" frame:
unchanged pixels transparent) or of the whole figure. matplotlib encodes it with Pillow's defaults
(zlib level 6, default strategy), which was the largest single cost of a move in the scenario lab's
kernel with a page attached (py-spy, 2026-12-02). A diff frame is mostly rows that did not change at
all: :func:`encode_png` compresses only the changed rows (zlib's fastest level), and splices in a
compressed form of the unchanged rows made once (``bench/frame_encoding_bench.py`` compares it with
matplotlib's encoding). The page decodes any valid PNG, so nothing else changes; a test checks that
the decoded frames are identical to matplotlib's. A canvas also skips a full render the page asks for
when nothing changed since its last frame (:func:`draw_unless_current`), and a full frame of pixels it
has already encoded is sent again as it was: a page asks for the whole figure on connecting and again
after its first resize, and a classroom's warm kernel encodes that frame before the students come
(:func:`encode_ahead`).

:func:`use_fast_frames` replaces the canvas's ``get_diff_image`` with :func:`diff_frame`, which does what
matplotlib 3.11's method does apart from the encoding. It relies on that method's private
attributes (``_png_is_old``, ``_force_full``, ``_last_buff``); when a canvas lacks any of them (another
matplotlib), the canvas is left as it is.
"""

from __future__ import annotations

import functools
import struct
import types
import zlib

import numpy as np

#: Attributes of matplotlib's WebAgg canvas that :func:`diff_frame` reads and writes.
CANVAS_STATE = ("_png_is_old", "_force_full", "_last_buff", "set_image_mode", "get_renderer")
#: zlib's largest prime below 2**16, the modulus of the Adler-32 checksum a zlib stream ends with.
ADLER_MOD = 65521
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def encode_png(rgba: np.ndarray) -> bytes:
    """Encode an RGBA image as PNG, fast for frames whose rows are mostly all zero (a diff frame).

    Rows are stored unfiltered and compressed at zlib's fastest level (1). A run of all-zero rows
    (the unchanged part of a diff frame: 79-87% of the scenario lab's rows after a lever move) is not
    compressed again each frame: its compressed form is made once per width and run length (see
    :func:`_zero_rows`) and spliced into the stream after a full flush, which leaves no reference
    across the splice; the checksum of a zero run is computed directly. Any PNG decoder reads the
    result.

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


def diff_frame(canvas) -> bytes | None:
    """The next frame for the page: changed pixels only, or the whole figure when it must be.

    The same frame matplotlib's ``FigureCanvasWebAggCore.get_diff_image`` makes (a full frame after a
    resize, on request or when any pixel is transparent; else the changed pixels, others zero), encoded
    by :func:`encode_png`.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore

    Returns
    -------
    bytes or None
        The PNG, or ``None`` when nothing was drawn since the last frame.
    """
    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    whole = pixels.view(np.uint32).squeeze(2)  # one number a pixel: one comparison per pixel
    full = canvas._force_full or whole.shape != canvas._last_buff.shape or bool((pixels[:, :, 3] != 255).any())
    if full:
        canvas.set_image_mode("full")
        encoded = _encoded_full_frame(canvas, whole)
        if encoded is not None:  # these pixels were sent (or encoded ahead) as a full frame: the same PNG
            canvas._force_full = canvas._png_is_old = False
            return encoded
        output = whole
    else:
        canvas.set_image_mode("diff")
        output = np.where(whole != canvas._last_buff, whole, 0)
    canvas._last_buff = whole.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    png = encode_png(output.view(np.uint8).reshape((*output.shape, 4)))
    # A full frame's PNG is kept with the very array it encodes (replaced by the next frame's copy).
    canvas._full_frame = (canvas._last_buff, png) if full else None
    return png


def _encoded_full_frame(canvas, whole: np.ndarray) -> bytes | None:
    """The PNG of the last full frame if ``whole`` (the renderer's pixels) is still exactly that frame."""
    kept = getattr(canvas, "_full_frame", None)
    if kept is None or kept[0] is not canvas._last_buff:
        return None
    return kept[1] if np.array_equal(kept[0], whole) else None


def encode_ahead(canvas) -> bool:
    """Encode the full frame of what the canvas's renderer holds now, for the first page that connects.

    In a classroom's warm kernel the app's first frame is rendered before any page is there
    (:meth:`dprk_apps.base.SliderApp.prerender`); its PNG is made then too, so a student's page gets it
    without an encoding. Nothing is sent and the canvas still sends a full frame first.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore

    Returns
    -------
    bool
        Whether a frame was encoded (``False`` for a canvas without :func:`diff_frame`).
    """
    if getattr(getattr(canvas, "get_diff_image", None), "__func__", None) is not diff_frame:
        return False
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    canvas._last_buff = pixels.view(np.uint32).squeeze(2).copy()
    canvas._full_frame = (canvas._last_buff, encode_png(pixels))
    return True


def draw_unless_current(canvas) -> None:
    """A WebAgg canvas's ``draw``: render the figure only when what it shows changed since the last frame.

    The page asks for a full ``draw`` whenever pyplot's hook finds a figure stale and again after every
    ``refresh`` (a page connecting, a resize acknowledged): on connecting, ipympl's page sends one
    ``refresh`` of its own and one more after the kernel's ``resize``, so a student's first figure was
    rendered twice in full, text and all (about 250 ms each for the scenario lab; the classroom's
    load benchmark, 2026-12-03). When the figure is not stale (every artist is as last rendered:
    matplotlib marks the figure stale on any change, :func:`dprk_figures.style.mark_drawn` after an app's
    own complete frame) and the renderer still has the figure's size and resolution, the last frame
    in the renderer's buffer is sent again instead; otherwise the figure is rendered as before.

    Parameters
    ----------
    canvas : matplotlib.backends.backend_webagg_core.FigureCanvasWebAggCore
    """
    figure = canvas.figure
    width, height = canvas.get_width_height(physical=True)
    if figure.stale or getattr(canvas, "_lastKey", None) != (width, height, figure.dpi):
        type(canvas).draw(canvas)
        return
    canvas._png_is_old = True  # the page gets the frame again (a full one after a refresh)
    if canvas.manager is not None:
        canvas.manager.refresh_all()


def _display_keeping_the_frame(canvas, display, **kwargs):
    """Show a canvas as ipympl does (``display(fig.canvas)``), leaving the figure marked drawn.

    ipympl renders the figure for the bundle's static image (``savefig`` into this canvas's renderer)
    and then restores the figure's colours, which marks it stale although the renderer holds what a
    draw would give; the page's first ``draw`` then rendered the figure once more (the scenario lab's
    baseline figure, 2026-12-03). When the renderer has the figure's size and resolution the figure is
    marked drawn, so :func:`draw_unless_current` sends that frame (a test compares it with a draw).
    """
    bundle = display(**kwargs)
    width, height = canvas.get_width_height(physical=True)
    if getattr(canvas, "_lastKey", None) == (width, height, canvas.figure.dpi):
        canvas.figure.stale = False
    return bundle


def draws_only_when_changed(canvas) -> bool:
    """Whether ``canvas.draw`` is :func:`draw_unless_current` (a canvas prepared by :func:`use_fast_frames`)."""
    return getattr(getattr(canvas, "draw", None), "__func__", None) is draw_unless_current


def use_fast_frames(canvas) -> bool:
    """Make ``canvas`` encode its frames with :func:`diff_frame` and draw only when its figure changed.

    Other canvases are left alone. See :func:`diff_frame` and :func:`draw_unless_current`.

    Parameters
    ----------
    canvas : matplotlib canvas

    Returns
    -------
    bool
        Whether the canvas now uses the faster frames (a WebAgg-based canvas such as ipympl's).
    """
    if not hasattr(canvas, "get_diff_image") or not all(hasattr(canvas, name) for name in CANVAS_STATE):
        return False
    canvas.get_diff_image = types.MethodType(diff_frame, canvas)
    canvas.draw = types.MethodType(draw_unless_current, canvas)
    display = getattr(canvas, "_repr_mimebundle_", None)
    if display is not None:
        canvas._repr_mimebundle_ = functools.partial(_display_keeping_the_frame, canvas, display)
    return True


__all__ = [
    "diff_frame",
    "draw_unless_current",
    "draws_only_when_changed",
    "encode_ahead",
    "encode_png",
    "use_fast_frames",
]
