"""A validated, frozen set of parameter values: one scenario, or a batch of N draws.

Every value is stored as a read-only float array of shape ``(N,)``: a single scenario has N = 1, an
ensemble has one row per draw. Choice parameters hold their choice index and switches hold 0 or 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model import registry
from model.errors import ParameterError

PAYMENT_WEIGHTS = (
    "russia_payment_cash_weight",
    "russia_payment_oil_weight",
    "russia_payment_food_weight",
    "russia_payment_technology_weight",
)


@dataclass(frozen=True)
class Params:
    """Validated parameter values for N draws (N = 1 for a single scenario).

    Build it with :meth:`defaults`, :meth:`from_overrides` or :meth:`from_matrix`; never by hand.
    """

    values: Mapping[str, np.ndarray]
    n_draws: int = field(default=1)

    # ------------------------------------------------------------------ construction
    @classmethod
    def defaults(cls, n_draws: int = 1) -> Params:
        """Every parameter at its registry default, repeated for ``n_draws`` draws."""
        return cls._freeze({name: np.full(n_draws, value) for name, value in registry.defaults().items()}, n_draws)

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, Any] | None = None, base: Params | None = None) -> Params:
        """Start from ``base`` (default: registry defaults) and replace the named values.

        Values may be scalars (applied to every draw) or arrays of length N. User forms are accepted:
        choice labels (``"msmt"``), ``true``/``false`` for switches, numeric strings.

        Raises
        ------
        ParameterError
            Naming the parameter, the value and the allowed range, for an unknown name, a wrong type,
            a value that is not finite, or a value out of range.
        """
        base = base if base is not None else cls.defaults()
        values = dict(base.values)
        n_draws = base.n_draws
        for name, raw in (overrides or {}).items():
            parameter = registry.get(name)
            if parameter.role == "constant" and not _is_default(parameter, raw):
                raise ParameterError(
                    f"{name} is a constant ({parameter.title} = {parameter.display(parameter.default)} "
                    f"{parameter.unit}) and cannot be changed.",
                    parameter=name,
                    value=raw,
                )
            column = _validate_column(parameter, raw)
            if column.shape[0] not in (1, n_draws):
                if n_draws == 1:
                    n_draws = column.shape[0]
                    values = {k: np.broadcast_to(v, (n_draws,)) for k, v in values.items()}
                else:
                    raise ParameterError(
                        f"{name} has {column.shape[0]} values but the batch has {n_draws} draws.",
                        parameter=name,
                        value=raw,
                    )
            values[name] = np.broadcast_to(column, (n_draws,))
        return cls._freeze(values, n_draws)

    @classmethod
    def from_matrix(cls, matrix: np.ndarray, columns: Iterable[str], base: Params | None = None) -> Params:
        """Build a batch from an ``(N, K)`` array whose K columns are the named parameters.

        This is the sampling contract (as in SALib): one row per draw, other parameters from ``base``.
        """
        matrix = np.asarray(matrix, dtype=float)
        columns = list(columns)
        if matrix.ndim != 2 or matrix.shape[1] != len(columns):
            raise ParameterError(
                f"matrix of shape {matrix.shape} does not match {len(columns)} named columns.",
                parameter=",".join(columns),
                value=matrix.shape,
            )
        base = base if base is not None else cls.defaults()
        if base.n_draws != 1:
            raise ParameterError("the base of a sampled batch must be a single scenario.", parameter="base", value=None)
        n_draws = matrix.shape[0]
        values = {k: np.broadcast_to(v, (n_draws,)) for k, v in base.values.items()}
        for index, name in enumerate(columns):
            values[name] = _validate_column(registry.get(name), matrix[:, index])
        return cls._freeze(values, n_draws)

    @classmethod
    def _freeze(cls, values: dict[str, np.ndarray], n_draws: int) -> Params:
        frozen = {}
        for name in registry.names():
            array = np.ascontiguousarray(np.broadcast_to(np.asarray(values[name], dtype=float), (n_draws,)))
            array.setflags(write=False)
            frozen[name] = array
        weights = np.stack([frozen[name] for name in PAYMENT_WEIGHTS])
        if np.any(weights.sum(axis=0) <= 0):
            raise ParameterError(
                "the four Russian payment weights (cash, oil, food, technology) are all 0: at least one must be "
                "above 0 (each is 0 to 1; they are normalised to shares).",
                parameter="russia_payment_cash_weight",
                value=0.0,
            )
        return cls(values=frozen, n_draws=n_draws)

    def rows(self, start: int, stop: int) -> Params:
        """The draws ``start:stop`` as a batch of their own (already validated: no checks)."""
        if start == 0 and stop == self.n_draws:
            return self
        return Params(values={k: v[start:stop] for k, v in self.values.items()}, n_draws=stop - start)

    # ------------------------------------------------------------------ access
    def __getitem__(self, name: str) -> np.ndarray:
        if name not in self.values:
            raise registry.unknown_name_error(name)
        return self.values[name]

    def scalar(self, name: str) -> float:
        """The value of a single-scenario parameter as a float."""
        if self.n_draws != 1:
            raise ValueError(f"{name}: this parameter set has {self.n_draws} draws, not one")
        return float(self[name][0])

    def display(self, name: str) -> Any:
        """The user form of a single-scenario value: a label, a bool, an int or a float."""
        parameter = registry.get(name)
        value = self.scalar(name)
        if parameter.kind == "choice":
            return parameter.choices[int(value)]
        if parameter.kind == "bool":
            return bool(value)
        if parameter.kind == "int":
            return int(value)
        return value

    def changed(self) -> dict[str, Any]:
        """User-form values that differ from the registry defaults (single scenario only)."""
        defaults = registry.defaults()
        return {name: self.display(name) for name in registry.names() if self.scalar(name) != defaults[name]}

    def as_dict(self) -> dict[str, Any]:
        """All user-form values of a single scenario."""
        return {name: self.display(name) for name in registry.names()}

    def payment_shares(self) -> dict[str, np.ndarray]:
        """Russia's payment mix as shares summing to one, per draw."""
        weights = {name: self[name] for name in PAYMENT_WEIGHTS}
        total = sum(weights.values())
        return {name.removeprefix("russia_payment_").removesuffix("_weight"): w / total for name, w in weights.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Params):
            return NotImplemented
        return self.n_draws == other.n_draws and all(
            np.array_equal(self.values[k], other.values[k]) for k in registry.names()
        )

    def __hash__(self) -> int:
        return hash((self.n_draws, tuple(self.values[k].tobytes() for k in registry.names())))


def _is_default(parameter: registry.Parameter, raw: Any) -> bool:
    try:
        return np.all(_validate_column(parameter, raw, check_range=False) == parameter.default)
    except ParameterError:
        return False


def _validate_column(parameter: registry.Parameter, raw: Any, check_range: bool = True) -> np.ndarray:
    """Validate a scalar or a 1-D batch of values for one parameter; return a float array."""
    if isinstance(raw, np.ndarray) or (isinstance(raw, (list, tuple)) and not isinstance(raw, str)):
        array = np.asarray(raw)
        if array.ndim != 1:
            raise ParameterError(
                f"{parameter.name} must be a single value or a 1-D list of values, got shape {array.shape}.",
                parameter=parameter.name,
                value=raw,
            )
        if array.dtype.kind not in "fiub":
            return np.array([parameter.coerce(v) for v in array.tolist()], dtype=float)
        array = array.astype(float)
        bad = ~np.isfinite(array)
        if check_range:
            bad |= (array < parameter.min) | (array > parameter.max)
            if parameter.kind in ("int", "choice", "bool"):
                bad |= array != np.round(array)
        if np.any(bad):
            first = array[np.argmax(bad)]
            parameter.coerce(float(first))  # raises the standard message for this value
            raise ParameterError(
                f"{parameter.name} = {first!r} is not allowed: allowed {parameter.allowed()} ({parameter.title}).",
                parameter=parameter.name,
                value=first,
            )
        return array
    if not check_range:
        if parameter.kind == "choice" and isinstance(raw, str) and raw in parameter.choices:
            return np.array([float(parameter.choices.index(raw))])
        if isinstance(raw, bool):
            return np.array([float(raw)])
        if isinstance(raw, (int, float)):
            return np.array([float(raw)])
        raise ParameterError(f"{parameter.name}: bad value {raw!r}", parameter=parameter.name, value=raw)
    return np.array([parameter.coerce(raw)])
