"""Errors the model raises for bad input: one readable message, never a traceback for people."""

from __future__ import annotations

from typing import Any


class ModelInputError(ValueError):
    """Base class for every bad-input error; its message is meant for people."""


class ParameterError(ModelInputError):
    """A parameter name or value is not acceptable.

    Attributes
    ----------
    parameter : str
        The registry name concerned.
    value : Any
        The value given (``None`` for an unknown name).
    """

    def __init__(self, message: str, parameter: str, value: Any) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.value = value


class ScenarioFileError(ModelInputError):
    """A scenario or preset file cannot be read: malformed, unknown keys, or bad values."""
