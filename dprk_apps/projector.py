"""The projector view's switch: a visible button, or ``?projector=1`` in the page's address.

:class:`ProjectorSwitch` is an anywidget: the page shows a button (*Projector view* / *Normal view*) and
reads one query parameter, ``projector``, from the address the page was opened with; its ``on`` trait tells
the kernel. An app (:class:`dprk_apps.base.SliderApp`, the role-play) lays its figure out again when it
changes: fewer, larger panels with the larger text of :func:`dprk_figures.style.app_rc`.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

PROJECTOR_JS = Path(__file__).with_name("projector.js")
#: The CSS class an app's outer box carries while the projector view is on (``layout.css``).
PROJECTOR_CLASS = "app-projector"


class ProjectorSwitch(anywidget.AnyWidget):
    """The projector view's button; ``?projector=1`` (``=0``) in the address turns it on (off) at load.

    Attributes
    ----------
    on : bool
        The projector view is on (page and kernel both set it).
    from_address : bool
        The page has applied the address's ``projector`` parameter (once per page).
    """

    _esm = PROJECTOR_JS
    on = traitlets.Bool(False).tag(sync=True)
    from_address = traitlets.Bool(False).tag(sync=True)
    off_label = traitlets.Unicode("Projector view").tag(sync=True)
    on_label = traitlets.Unicode("Normal view").tag(sync=True)
    hint = traitlets.Unicode("Fewer, larger panels and larger text, to read from the back of the room").tag(sync=True)


__all__ = ["PROJECTOR_CLASS", "ProjectorSwitch"]
