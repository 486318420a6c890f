"""A brief: what the boss asks of the centre, the levers a design may move, and its limits.

A brief is a small TOML file; the workbooks' story and the table challenge both read one::

    name = "The boss's brief"
    says = "Cut the cost per resolved issue without losing a point of NPS."
    base = "baseline"                                  # the centre every design starts from
    objective = "-cost_per_resolution"                 # maximised; a leading "-" minimises
    levers = ["agents", "care_minutes", "bot_share"]   # what a design may change
    constraints = ["nps>=28", "service_level>=0.7"]    # on the means, as in sweeps

A design is a scenario (a file with ``base = "baseline"`` and its changes); it keeps to the
brief when it changes nothing but the levers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .kpis import KPI_INFO, OPERATORS, parse_constraint
from .loading import load
from .parameters import unknown_name_error
from .reading import parse_toml, read_text
from .scenario import Scenario

#: What a brief file may hold; ``base``, ``objective`` and ``levers`` are required.
BRIEF_KEYS = ("name", "says", "base", "objective", "levers", "constraints")
#: Fields a design may always change: they describe it and change no number.
FREE_FIELDS = ("name", "description")


@dataclass(frozen=True)
class Brief:
    """The boss's brief: an objective, the levers a design may move, and constraints."""

    base: Scenario
    objective: str
    levers: tuple[str, ...]
    constraints: tuple[str, ...] = ()
    name: str = "brief"
    says: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.base, Scenario):
            raise ValueError(f"base must be a Scenario, got {type(self.base).__name__}")
        kpi = self.objective.removeprefix("-")
        if kpi not in KPI_INFO:
            raise unknown_name_error("objective KPI", kpi, list(KPI_INFO))
        if not self.levers:
            raise ValueError("levers must name at least one scenario field a design may change")
        for lever in self.levers:
            if lever not in Scenario.FIELD_NAMES or lever in FREE_FIELDS:
                raise unknown_name_error("lever", lever, Scenario.FIELD_NAMES)
        for text in self.constraints:
            parse_constraint(text)

    @property
    def objective_kpi(self) -> str:
        """The KPI the objective names (without its sign)."""
        return self.objective.removeprefix("-")

    @property
    def maximize(self) -> bool:
        """True when more of the objective is better."""
        return not self.objective.startswith("-")

    def kpis(self) -> list[str]:
        """The objective and every constrained KPI, in that order, each once."""
        names = [self.objective_kpi, *(parse_constraint(c)[0] for c in self.constraints)]
        return list(dict.fromkeys(names))

    def rule_breaks(self, design: Scenario) -> list[str]:
        """Why ``design`` does not keep to the brief: each field it changes that is no lever."""
        mine, base = design.to_dict(), self.base.to_dict()
        return [
            f"changes {field} ({base[field]!r} -> {mine[field]!r}), which is not a lever"
            for field in Scenario.FIELD_NAMES
            if field not in self.levers and field not in FREE_FIELDS and mine[field] != base[field]
        ]

    def met(self, means: Mapping[str, float]) -> dict[str, bool]:
        """Per constraint: whether the means meet it."""
        out = {}
        for text in self.constraints:
            kpi, op, bound = parse_constraint(text)
            out[text] = bool(OPERATORS[op](means[kpi], bound))
        return out


def load_brief(path: str | Path) -> Brief:
    """A brief from its TOML file; ``base`` may be a preset or a file relative to the brief."""
    path = Path(path)
    text = read_text(path, f"brief file {str(path)!r}")  # a regular file of at most 1 MB
    return loads_brief(text, source=f"brief file {path}", relative_to=path)


def loads_brief(text: str, source: str = "brief", relative_to: str | Path | None = None) -> Brief:
    """A brief from its TOML text; ``source`` names it in error messages."""
    data = parse_toml(text, source)
    return brief_from(data, source=source.removeprefix("brief file "), relative_to=relative_to)


def brief_from(
    data: Mapping[str, Any], *, source: str = "brief", relative_to: str | Path | None = None
) -> Brief:
    """A brief from parsed TOML; errors name ``source`` and the key."""
    for key in data:
        if key not in BRIEF_KEYS:
            raise ValueError(f"{source}: {unknown_name_error('key', key, BRIEF_KEYS)}")
    for key in ("base", "objective", "levers"):
        if key not in data:
            raise ValueError(f"{source}: {key!r} is missing; a brief needs base, objective, levers")
    texts = {"name": str, "says": str, "base": str, "objective": str}
    for key, kind in texts.items():
        if key in data and not isinstance(data[key], kind):
            raise ValueError(f"{source}: {key} must be text, got {data[key]!r}")
    for key in ("levers", "constraints"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(f"{source}: {key} must be a list of text, got {value!r}")
    try:
        return Brief(
            base=load(data["base"], relative_to=relative_to),
            objective=data["objective"],
            levers=tuple(data["levers"]),
            constraints=tuple(data.get("constraints", [])),
            name=data.get("name", "brief"),
            says=data.get("says", ""),
        )
    except ValueError as err:
        raise ValueError(f"{source}: {err}") from None


__all__ = ["BRIEF_KEYS", "Brief", "brief_from", "load_brief", "loads_brief"]
