"""A page drew the app: :class:`PageViews` counts it, so a kernel warmed in advance can refresh what it shows.

A Voilà pool (``./suite class --apps ...``) runs a notebook before anyone opens it. Whatever the app read from
the server's disk then (the role-play's list of games that saved themselves) is as old as the kernel, not as
the page: a page reloaded after three rounds was offered no game to resume. The role-play reads the list
again whenever :attr:`PageViews.views` changes, which its JavaScript (:data:`VIEWS_JS`) does each time the
widget is drawn on a page.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

#: The page's half: on drawing, ``views`` += 1 (nothing else is sent).
VIEWS_JS = Path(__file__).with_name("page_views.js")


class PageViews(anywidget.AnyWidget):
    """Counts the times a page drew it (``views``, synced from the page); shows nothing."""

    _esm = VIEWS_JS
    views = traitlets.Int(0).tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.layout.height = "0px"
        self.layout.margin = "0px"
        self.add_class("page-views")


__all__ = ["VIEWS_JS", "PageViews"]
