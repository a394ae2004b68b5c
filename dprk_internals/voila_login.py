"""Voilà's login page replaced by the class server's own: the class code, in words for a room.

**Internal names used**: ``LoginFormHandler._render`` (jupyter_server 2, the base of Voilà's
``VoilaLoginHandler``). The login form is drawn, when the page is asked for and again after a refused code,
only through this method, from jupyter_server's own template folder.

**Why the public API is not enough**: Voilà gives jupyter_server's handlers a jinja environment of
jupyter_server's templates only (``voila/app.py``), so neither a setting nor a template path replaces
``login.html``; that page speaks to developers ("Password or token", ``jupyter server list``, a link to set a
password that answers HTTP 500 on the class server). The handler class itself is public: the identity
provider's ``get_handlers`` (``classroom.security``) serves it at ``/login``; the form posts there as
before, so checking the code is unchanged.

**Upstream**: https://github.com/voila-dashboards/voila/issues/1527 (customising Voilà's login page, and
its password form's HTTP 500).

**Fallback**: with ``DPRK_PLAIN=1`` (:func:`dprk_internals.enabled` false), or when ``_render`` is gone,
:func:`login_handler` returns jupyter_server's own handler: Jupyter's page, working as before.
"""

from __future__ import annotations

from collections.abc import Callable

from jupyter_server.auth.login import LoginFormHandler
from tornado.escape import url_escape

import dprk_internals
from dprk_internals import touches_internals


def login_handler(page: Callable[..., str]) -> type:
    """A login handler that draws ``page(action=..., xsrf=..., error=...)`` instead of Jupyter's form.

    Parameters
    ----------
    page : callable
        Returns the page's HTML from the form's address (``action``), the form's hidden XSRF field (``xsrf``)
        and the message after a refused code (``error``, empty when none).

    Returns
    -------
    type
        A subclass of jupyter_server's ``LoginFormHandler``, or that class itself (see the fallback).
    """
    if not dprk_internals.enabled() or not callable(getattr(LoginFormHandler, "_render", None)):
        return LoginFormHandler

    class ClassCodeLoginHandler(LoginFormHandler):
        """jupyter_server's login handler with the class server's page."""

        @touches_internals
        def _render(self, message=None):
            error = (message or {}).get("error", "") if isinstance(message, dict) else ""
            following = url_escape(self.get_argument("next", default=self.base_url))
            self.set_header("Cache-Control", "no-store")
            self.write(page(action=f"{self.base_url}login?next={following}", xsrf=self.xsrf_form_html(), error=error))

    return ClassCodeLoginHandler


__all__ = ["login_handler"]
