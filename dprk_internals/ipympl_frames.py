"""ipympl's canvas: the render made for a displayed figure's static picture is the page's first frame.

``display(fig.canvas)`` calls ipympl's ``Canvas._repr_mimebundle_``, which renders the figure (``savefig``
into the canvas's own renderer, for the picture a saved notebook shows) and then restores the figure's
colours, which marks the figure stale although the renderer holds exactly what a draw would give. The
page's first ``draw`` request then rendered the whole figure once more. :func:`keep_frame_on_display`
wraps the canvas's ``_repr_mimebundle_`` so that, after ipympl's own, a figure whose renderer has its size
and resolution is marked drawn; :func:`dprk_internals.matplotlib_frames.draw_unless_current` then sends
that frame (a test compares it with a draw).

Internal names used: ``Canvas._repr_mimebundle_`` (IPython's display protocol, replaced on the instance)
and ``FigureCanvasAgg._lastKey`` (the size and resolution of the last render, read).

Why the public API is not enough: ipympl renders for the static picture inside ``_repr_mimebundle_`` and
offers no option to keep that render as the first frame, nor a hook after it.

Upstream: ipympl's static picture in the display bundle and its render before the page connects,
https://github.com/matplotlib/ipympl/pull/343 ("Implement image/png repr").

Fallback: a canvas without ``_repr_mimebundle_`` or ``_lastKey`` is left alone (:func:`keep_frame_on_display`
returns ``False``) and ipympl renders the first frame again, as it does without this module. With
``DPRK_PLAIN=1`` nothing here is called.
"""

from __future__ import annotations

import functools

from dprk_internals import touches_internals


@touches_internals
def _display_keeping_the_frame(canvas, display, **kwargs):
    """Show a canvas as ipympl does, then leave the figure marked drawn if its renderer holds its frame."""
    bundle = display(**kwargs)
    width, height = canvas.get_width_height(physical=True)
    if getattr(canvas, "_lastKey", None) == (width, height, canvas.figure.dpi):
        canvas.figure.stale = False
    return bundle


@touches_internals
def keep_frame_on_display(canvas) -> bool:
    """Make displaying ``canvas`` leave its figure marked drawn when the display rendered it.

    Parameters
    ----------
    canvas : matplotlib canvas

    Returns
    -------
    bool
        Whether the canvas's display was wrapped (an ipympl canvas of a known kind).
    """
    display = getattr(canvas, "_repr_mimebundle_", None)
    if display is None or not hasattr(canvas, "_lastKey") or not hasattr(canvas, "get_width_height"):
        return False
    canvas._repr_mimebundle_ = functools.partial(_display_keeping_the_frame, canvas, display)
    return True


__all__ = ["keep_frame_on_display"]
