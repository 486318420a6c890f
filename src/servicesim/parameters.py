"""Parameter declarations: unit, range, step and help text, stated once for every consumer.

Validation, the CLI, the widgets and the model card all read these specs, so a new lever is
declared here (through :func:`param`) and nowhere else.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, SupportsInt, cast

Kind = Literal["float", "int", "bool", "choice", "text", "hourly_float", "hourly_int"]


@dataclass(frozen=True)
class ParamSpec:
    """What one scenario field means and which values it accepts."""

    kind: Kind
    unit: str
    help: str
    group: str
    low: float | None = None
    high: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    low_open: bool = False  # True: the lower bound itself is not allowed
    label: str = ""

    def allowed(self) -> str:
        """Human wording of the allowed values (with the unit), used in every error message."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "text":
            return "text"
        low = "" if self.low is None else f"{_fmt(self.low)}"
        high = "" if self.high is None else f"{_fmt(self.high)}"
        left = "(" if self.low_open else "["
        span = f"{left}{low}, {high}]"
        whole = "a whole number" if self.kind in ("int", "hourly_int") else "a number"
        unit = f" {self.unit}" if self.unit else ""
        text = f"{whole} in {span}{unit}"
        if self.kind.startswith("hourly"):
            text += ", or a list of such numbers, one per hour"
        return text


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf"
    return f"{x:g}"


def param(
    default: Any,
    *,
    kind: Kind,
    group: str,
    help: str,
    unit: str = "",
    low: float | None = None,
    high: float | None = None,
    step: float | None = None,
    choices: Iterable[str] = (),
    low_open: bool = False,
    label: str = "",
) -> Any:
    """A dataclass field carrying its :class:`ParamSpec` in the metadata."""
    spec = ParamSpec(
        kind=kind,
        unit=unit,
        help=help,
        group=group,
        low=low,
        high=high,
        step=step,
        choices=tuple(choices),
        low_open=low_open,
        label=label,
    )
    return field(default=default, metadata={"spec": spec})


#: Most characters of a value an error message repeats (a file may hold a huge one).
MAX_SHOWN_CHARS = 200


def short_repr(value: Any) -> str:
    """``repr(value)``, cut to :data:`MAX_SHOWN_CHARS` characters for an error message."""
    try:
        text = repr(value)
    except ValueError:  # a whole number of more digits than Python converts to text
        return "(a number too long to show)"
    return text if len(text) <= MAX_SHOWN_CHARS else text[:MAX_SHOWN_CHARS] + "…"


def nearest_name(name: str, valid: Sequence[str]) -> str | None:
    """The valid name closest to a misspelt one, or None when nothing is close."""
    if len(name) > MAX_SHOWN_CHARS:
        return None
    matches = difflib.get_close_matches(name, valid, n=1, cutoff=0.6)
    return matches[0] if matches else None


def unknown_name_error(what: str, name: str, valid: Sequence[str]) -> ValueError:
    """A ValueError for an unknown name that suggests the nearest valid one."""
    hint = nearest_name(name, valid)
    suggestion = f"; did you mean {hint!r}?" if hint else f"; valid names: {', '.join(valid)}"
    return ValueError(f"unknown {what} {short_repr(name)}{suggestion}")


def check_value(name: str, spec: ParamSpec, value: Any) -> Any:
    """Return ``value`` in its canonical type, or raise ValueError naming field, value and range."""
    if spec.kind == "bool":
        if isinstance(value, bool):
            return value
        raise _bad(name, value, spec)
    if spec.kind == "choice":
        if isinstance(value, str) and value in spec.choices:
            return value
        raise _bad(name, value, spec)
    if spec.kind == "text":
        if isinstance(value, str):
            return value
        raise _bad(name, value, spec)
    if spec.kind.startswith("hourly"):
        if hasattr(value, "tolist") and not isinstance(value, numbers.Number):
            value = value.tolist()  # a numpy array
        if isinstance(value, list | tuple):
            if not value:
                raise ValueError(f"{name} is an empty list; allowed: {spec.allowed()}")
            return tuple(_check_number(name, spec, v, value) for v in value)
        return _check_number(name, spec, value, value)
    return _check_number(name, spec, value, value)


def _check_number(name: str, spec: ParamSpec, value: Any, shown: Any) -> float | int:
    whole = spec.kind in ("int", "hourly_int")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise _bad(name, shown, spec)
    try:
        number = float(value)
    except OverflowError:  # an integer beyond any float: surely out of range
        raise _bad(name, shown, spec) from None
    if math.isnan(number):
        raise _bad(name, shown, spec)
    if whole:
        if not number.is_integer():
            raise _bad(name, shown, spec)
        value = int(cast(SupportsInt, value))  # a Real that is whole: int, float, numpy
    else:
        value = number
    too_low = spec.low is not None and (value < spec.low or (spec.low_open and value == spec.low))
    too_high = spec.high is not None and value > spec.high
    if too_low or too_high:
        raise _bad(name, shown, spec)
    return value


def _bad(name: str, value: Any, spec: ParamSpec) -> ValueError:
    return ValueError(f"{name}={short_repr(value)} is not allowed; expected {spec.allowed()}")
