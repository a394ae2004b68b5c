"""Every contact with another library's private or undocumented internals, in one place, behind one switch.

One module per library:

* :mod:`dprk_internals.matplotlib_frames` - matplotlib's web canvas (the base of ipympl's): the figure
  is rendered only when it changed, its PNG frames are encoded faster and once, and a frame an app drew
  over a cached background is not drawn again by pyplot's after-each-message hook.
* :mod:`dprk_internals.ipympl_frames` - ipympl's canvas: the render ipympl makes for a figure's static
  picture when it is displayed is reused as the page's first frame.
* :mod:`dprk_internals.pptx_bullets` - python-pptx: a paragraph with a real bullet (the slides' deck).
* :mod:`dprk_internals.voila_login` - Voilà's login form: the class server's class-code page.
* :mod:`dprk_internals.voila_app`, :mod:`dprk_internals.voila_pool`, :mod:`dprk_internals.voila_websocket`
  and :mod:`dprk_internals.ipywidgets_wire` - the class server's contacts with Voilà and jupyter_server: its
  pages and routes, the warm kernel pool that follows the class, messages held back while a page loads,
  and the widget messages that tell when a page has its first figure.

Each module's docstring names the internal names it uses, why the public API is not enough, the upstream
issue, and what happens when a name is missing: the public path (e.g. ``canvas.draw_idle()``), never an
exception.

The switch: with ``DPRK_PLAIN=1`` in the environment, :func:`enabled` is false and no code of this package
runs: every seam (``dprk_figures.style.prepare_canvas``, ``dprk_apps.base.SliderApp``, the apps' ``draw``)
asks :func:`enabled` first and takes the public path instead. Use it to tell whether a problem comes from a
workaround, and after upgrading matplotlib, ipympl or ipywidgets. It is read when a seam is reached, so a
test can set it with ``monkeypatch.setenv``; a running kernel keeps the value it started with in practice,
since apps consult it when they are built and when they draw.

:data:`calls` counts the calls of every function here that touches an internal (:func:`touches_internals`),
so a test can show that a plain run called none of them.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from collections.abc import Callable
from typing import ParamSpec, TypeVar

#: The environment variable of the switch.
PLAIN_VARIABLE = "DPRK_PLAIN"
#: Values of :data:`PLAIN_VARIABLE` that turn the internals off (case-insensitive).
PLAIN_VALUES = frozenset({"1", "true", "yes", "on"})

#: How often each function that touches an internal was called in this process, by qualified name.
calls: Counter[str] = Counter()

_P = ParamSpec("_P")
_R = TypeVar("_R")


def enabled() -> bool:
    """Whether the workarounds of this package are in use (``DPRK_PLAIN`` is not set to ``1``).

    Returns
    -------
    bool
        ``False`` when the environment variable :data:`PLAIN_VARIABLE` is one of :data:`PLAIN_VALUES`.

    Examples
    --------
    >>> import os
    >>> os.environ.get("DPRK_PLAIN", "") in PLAIN_VALUES or enabled()
    True
    """
    return os.environ.get(PLAIN_VARIABLE, "").strip().lower() not in PLAIN_VALUES


def touches_internals(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Mark ``function`` as one that reads or writes another library's internals; its calls are counted.

    Parameters
    ----------
    function : callable

    Returns
    -------
    callable
        ``function``, counting each call in :data:`calls` under its module and qualified name.
    """
    name = f"{function.__module__}.{function.__qualname__}"

    @functools.wraps(function)
    def counted(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        calls[name] += 1
        return function(*args, **kwargs)

    return counted


__all__ = ["PLAIN_VALUES", "PLAIN_VARIABLE", "calls", "enabled", "touches_internals"]
