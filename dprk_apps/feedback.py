"""Errors raised inside widget callbacks, shown to the user instead of lost in the kernel log."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets

from model.errors import ModelInputError

_ROW = widgets.Layout(width="100%")


class ErrorBox:
    """Shows errors raised in callbacks in the notebook instead of the kernel log.

    Bad-input errors (:class:`~model.errors.ModelInputError`) show their message verbatim; anything
    else a short message with the error type. The figure keeps its last valid state.

    Attributes
    ----------
    widget : ipywidgets.HTML
    message : str
        The text shown, ``""`` when there is no error.
    """

    def __init__(self) -> None:
        self.widget = widgets.HTML("", layout=_ROW)
        self.widget.add_class("model-error")
        self.message = ""

    def show(self, error: BaseException) -> None:
        """Display an error."""
        if isinstance(error, ModelInputError):
            self.message = str(error)
        else:
            text = str(error)
            text = text if len(text) <= 200 else text[:197] + "..."
            self.message = f"Something went wrong ({type(error).__name__}): {text}"
        self.widget.value = (
            "<div style='color:#8a1f11;background:#fdecea;border:1px solid #e0b4b4;padding:4px 8px;"
            f"white-space:normal'>{html.escape(self.message)}</div>"
        )

    def clear(self) -> None:
        """Remove the message."""
        self.message = ""
        self.widget.value = ""

    def guard(self, function: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap a callback: a success clears the message, an exception is shown (and not raised)."""

        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                result = function(*args, **kwargs)
            except Exception as error:  # shown to the user instead of lost in a log
                self.show(error)
                return None
            self.clear()
            return result

        guarded.__wrapped__ = function
        guarded.__doc__ = function.__doc__
        return guarded


__all__ = ["ErrorBox"]
