"""The Scenario: every parameter of a simulated service desk, validated, immutable, TOML-backed.

Defaults describe the ``baseline`` preset: a mid-size team of 30 agents taking about 300
contacts an hour over an 8-hour day. Each field's unit, range and help text live in its
metadata (see :mod:`servicesim.parameters`) and are reused by validation, CLI, widgets and docs.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, ClassVar

import tomli_w

from .deprecation import rename_keys, warn_renamed
from .files import check_file_free
from .parameters import ParamSpec, check_value, param, unknown_name_error

INTERVAL_MINUTES = 15.0
MAX_ISSUES_PER_RUN = 1_000_000
#: Contacts (first, repeat and check-in) one run may expect at most: each takes about 1 KB and
#: a few microseconds, so a run stays within a few GB and minutes.
MAX_CONTACTS_PER_RUN = 2_000_000

GROUPS: dict[str, str] = {
    "demand": "Demand and customers",
    "staffing": "Staffing and handling",
    "repeats": "Resolution and repeat contacts",
    "care": "Caring and work pressure",
    "bot": "Bot channel",
    "trust": "Promises and customer trust",
    "team": "The team: trust, skill, internal service, abuse",
    "product": "Product",
    "costs": "Costs",
    "run": "Run length and reporting",
}


#: Old field name -> its name now. The old names still work everywhere a field is named
#: (keywords, ``replace``, TOML, ``--set``, sweeps, levers), with a DeprecationWarning.
RENAMED_FIELDS: dict[str, str] = {"handle_minutes": "need_minutes", "handle_cv": "need_cv"}


def current_name(name: str, where: str = "scenario field") -> str:
    """``name``, or the name it has now if it was renamed (with a DeprecationWarning)."""
    if name in RENAMED_FIELDS:
        warn_renamed(f"{where} {name!r}", repr(RENAMED_FIELDS[name]), stacklevel=4)
        return RENAMED_FIELDS[name]
    return name


class _Renaming(type):
    """Lets ``Scenario(handle_minutes=...)`` (an old name) through, with a warning."""

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        if RENAMED_FIELDS.keys() & kwargs.keys():
            kwargs = rename_keys(kwargs, RENAMED_FIELDS, where="Scenario(...)", stacklevel=5)
        return super().__call__(*args, **kwargs)


@dataclass(frozen=True)
class Scenario(metaclass=_Renaming):
    """All parameters of one contact-centre set-up. Make variants with :meth:`replace`."""

    name: str = param("baseline", kind="text", group="run", help="Short name of the scenario")
    description: str = param(
        "A mid-size team: about 350 contacts an hour (265 new issues and their repeats), "
        "30 agents, an 8-hour day.",
        kind="text",
        group="run",
        help="What this scenario shows",
    )

    # Demand and customers
    arrivals_per_hour: float | tuple[float, ...] = param(
        265.0,
        kind="hourly_float",
        group="demand",
        unit="issues/hour",
        low=0.0,
        high=5000.0,
        step=5.0,
        label="New issues",
        help="New issues arriving per hour (repeat contacts come on top); one number, "
        "or a list with one rate per hour of the day",
    )
    loyal_share: float = param(
        0.6,
        kind="float",
        group="demand",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Issues from loyal customers",
        help="Share of new issues raised by loyal (existing) customers; the rest are new customers",
    )
    priority: str = param(
        "none",
        kind="choice",
        group="demand",
        choices=("none", "new", "loyal"),
        label="Serve first",
        help="Which customer segment the queue serves first ('none' = first come, first served)",
    )

    # Staffing and handling
    agents: int | tuple[int, ...] = param(
        30,
        kind="hourly_int",
        group="staffing",
        unit="agents",
        low=0,
        high=2000,
        step=1,
        label="Agents",
        help="Agents on shift; one number, or a list with one head count per hour (a shift plan)",
    )
    need_minutes: float = param(
        4.5,
        kind="float",
        group="staffing",
        unit="minutes",
        low=0.1,
        high=240.0,
        step=0.1,
        label="Time the issue needs",
        help="Mean time an issue needs from an agent (care, the assure step and re-explaining "
        "after the bot come on top)",
    )
    need_cv: float = param(
        1.0,
        kind="float",
        group="staffing",
        unit="ratio",
        low=0.0,
        high=4.0,
        step=0.05,
        label="Spread of the time needed",
        help="Coefficient of variation of the time an issue needs: 0 = always the mean, "
        "1 = exponential, other values lognormal",
    )
    patience_minutes: float = param(
        5.0,
        kind="float",
        group="staffing",
        unit="minutes",
        low=0.1,
        high=math.inf,
        step=0.5,
        label="Patience",
        help="Mean time a customer waits before hanging up (exponential); inf = never abandons",
    )

    # Resolution and repeat contacts
    resolution_probability: float = param(
        0.75,
        kind="float",
        group="repeats",
        unit="probability",
        low=0.0,
        high=1.0,
        step=0.01,
        label="Resolved at contact",
        help="Probability that an average agent resolves the issue when giving it the time it "
        "needs, with no extra care (care, skill, engagement, fatigue and rushing shift it)",
    )
    max_attempts: int = param(
        3,
        kind="int",
        group="repeats",
        unit="contacts",
        low=1,
        high=20,
        step=1,
        label="Attempts before giving up",
        help="Most contacts a customer makes about one issue before giving up unresolved",
    )
    repeat_delay_minutes: float = param(
        60.0,
        kind="float",
        group="repeats",
        unit="minutes",
        low=0.0,
        high=10080.0,
        step=5.0,
        label="Time before calling back",
        help="Mean time (exponential) before an unresolved or abandoning customer contacts again",
    )
    retry_after_abandon: float = param(
        0.5,
        kind="float",
        group="repeats",
        unit="probability",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Retry after hanging up",
        help="Probability that a customer who abandoned the queue tries again later",
    )

    # Caring and work pressure
    care_minutes: float = param(
        1.0,
        kind="float",
        group="care",
        unit="minutes",
        low=0.0,
        high=15.0,
        step=0.25,
        label="Caring",
        help="Minutes per contact spent exploring the need and assuring the result, on top of "
        "the time the issue needs",
    )
    handle_target_minutes: float = param(
        3.5,
        kind="float",
        group="care",
        unit="minutes",
        low=0.5,
        high=240.0,
        step=0.25,
        label="Handle-time target",
        help="Productivity target the manager sets; under pressure agents cut contacts toward it",
    )
    pressure_sensitivity: float = param(
        0.5,
        kind="float",
        group="care",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Corner cutting",
        help="Share of the gap between the team's standard and the target that agents close "
        "when the queue is long (0 = never cut corners)",
    )
    standards_erode: bool = param(
        False,
        kind="bool",
        group="care",
        label="Standards erode",
        help="Let the team's standard handle time drift down toward the time actually given; "
        "it does not recover by itself",
    )
    erosion_hours: float = param(
        2.0,
        kind="float",
        group="care",
        unit="hours",
        low=0.1,
        high=200.0,
        step=0.1,
        label="Erosion time",
        help="Time constant of the drift of the standard toward the time actually given",
    )

    # Bot channel
    bot_share: float = param(
        0.3,
        kind="float",
        group="bot",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Sent to the bot first",
        help="Share of contacts that meet the bot before any agent",
    )
    bot_containment: float = param(
        0.7,
        kind="float",
        group="bot",
        unit="probability",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Bot containment",
        help="Probability the bot conversation ends without an agent (the rest escalate)",
    )
    bot_false_containment: float = param(
        0.25,
        kind="float",
        group="bot",
        unit="probability",
        low=0.0,
        high=1.0,
        step=0.05,
        label="False containment",
        help="Share of contained bot conversations where the issue is not really solved: "
        "the customer leaves and comes back later",
    )
    bot_handle_minutes: float = param(
        3.0,
        kind="float",
        group="bot",
        unit="minutes",
        low=0.1,
        high=60.0,
        step=0.5,
        label="Bot conversation time",
        help="Mean length of a bot conversation (exponential)",
    )
    bot_reexplain_minutes: float = param(
        1.5,
        kind="float",
        group="bot",
        unit="minutes",
        low=0.0,
        high=30.0,
        step=0.5,
        label="Re-explain time",
        help="Extra agent time when an escalated customer has to repeat what they told the bot",
    )

    always_offer_human: bool = param(
        False,
        kind="bool",
        group="bot",
        label="Always offer a human",
        help="Customers who would rather talk to a person may skip the bot (answer the phone) "
        "instead of being screened by it",
    )
    human_preference: float = param(
        0.4,
        kind="float",
        group="bot",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Prefer a human",
        help="Share of customers sent to the bot who would rather talk to a person",
    )

    # Promises and customer trust
    promise_share: float = param(
        0.3,
        kind="float",
        group="trust",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Contacts ending in a promise",
        help="Share of agent contacts that end with a promise (a follow-up, a callback)",
    )
    accountability: str = param(
        "committed",
        kind="choice",
        group="trust",
        choices=("heard", "decided", "committed", "appointment"),
        label="Accountability",
        help="How promises are followed up: heard 10 %, decided 25 %, committed to someone "
        "65 %, a set accountability appointment 95 % kept",
    )
    assure_step: bool = param(
        True,
        kind="bool",
        group="trust",
        label="Assure step",
        help="Agents confirm the result with the customer before closing a resolved contact",
    )
    checkins_per_hour: float = param(
        0.0,
        kind="float",
        group="trust",
        unit="calls/hour",
        low=0.0,
        high=500.0,
        step=5.0,
        label="Proactive check-ins",
        help="Calls per hour to loyal customers who have no problem; they use agent time "
        "and raise trust",
    )
    customer_base: int = param(
        1000,
        kind="int",
        group="trust",
        unit="customers",
        low=1,
        high=10_000_000,
        step=100,
        label="Loyal customer base",
        help="Number of loyal customers; each keeps its trust from one issue to the next",
    )

    # The team
    team_trust: float = param(
        0.5,
        kind="float",
        group="team",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Team trusts the manager",
        help="How far the team trusts its manager to keep commitments: engaged agents go from "
        "1 in 12 (0) to 1 in 2 (1)",
    )
    skill_mean: float = param(
        1.0,
        kind="float",
        group="team",
        unit="ratio",
        low=0.5,
        high=1.5,
        step=0.05,
        label="Hiring profile: skill",
        help="Average skill and service orientation of the agents hired (1 = typical)",
    )
    skill_spread: float = param(
        0.15,
        kind="float",
        group="team",
        unit="ratio",
        low=0.0,
        high=0.5,
        step=0.05,
        label="Skill spread",
        help="Standard deviation of skill between agents",
    )
    incidents_per_agent_day: float = param(
        0.25,
        kind="float",
        group="team",
        unit="incidents/8 h",
        low=0.0,
        high=20.0,
        step=0.1,
        label="Internal incidents",
        help="Internal-support incidents (a broken computer, a locked account) per agent per "
        "8 hours on shift; each takes the agent off the floor until repaired",
    )
    repair_minutes: float = param(
        45.0,
        kind="float",
        group="team",
        unit="minutes",
        low=1.0,
        high=480.0,
        step=5.0,
        label="Repair time",
        help="Mean time internal support takes to get an agent working again (exponential)",
    )
    repair_sla_minutes: float = param(
        math.inf,
        kind="float",
        group="team",
        unit="minutes",
        low=1.0,
        high=math.inf,
        step=5.0,
        label="Internal service agreement",
        help="Longest any agent stays down (e.g. 60: no one down more than an hour); inf = none",
    )
    hostile_share: float = param(
        0.03,
        kind="float",
        group="team",
        unit="share",
        low=0.0,
        high=0.5,
        step=0.01,
        label="Abusive contacts",
        help="Share of contacts in which the customer is abusive",
    )
    rude_share: float = param(
        0.10,
        kind="float",
        group="team",
        unit="share",
        low=0.0,
        high=0.5,
        step=0.01,
        label="Rude contacts",
        help="Share of contacts in which the customer is rude but not abusive: always "
        "tolerated, at a small cost to the agent",
    )
    abuse_policy: str = param(
        "tolerate",
        kind="choice",
        group="team",
        choices=("tolerate", "end_politely"),
        label="Abuse policy",
        help="Tolerate abuse, or end abusive contacts politely (protects the agent, loses "
        "that customer)",
    )

    # Product
    defect_share: float = param(
        0.1,
        kind="float",
        group="product",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.05,
        label="Issues from product defects",
        help="Share of issues caused by a product defect; a defect lowers the customer's "
        "satisfaction whatever the service (charged to Product)",
    )
    defect_recovery: float = param(
        0.0,
        kind="float",
        group="product",
        unit="share",
        low=0.0,
        high=1.0,
        step=0.1,
        label="Service recovery of defects",
        help="How much of a defect's cost excellent service wins back: 0 = none (the best rep "
        "cannot fix a bad product), 1 = all of it when the issue is resolved at the first "
        "contact with full care",
    )

    # Costs
    cost_per_agent_hour: float = param(
        45.0,
        kind="float",
        group="costs",
        unit="currency/hour",
        low=0.0,
        high=1000.0,
        step=1.0,
        label="Cost per agent hour",
        help="Fully loaded cost of one agent hour on shift",
    )
    cost_per_bot_contact: float = param(
        0.10,
        kind="float",
        group="costs",
        unit="currency/contact",
        low=0.0,
        high=100.0,
        step=0.05,
        label="Cost per bot contact",
        help="Cost of one bot conversation",
    )

    # Run length and reporting
    horizon_hours: float = param(
        8.0,
        kind="float",
        group="run",
        unit="hours",
        low=0.25,
        high=24.0 * 28,
        step=0.25,
        label="Hours simulated",
        help="Length of the simulated period, in whole quarter hours",
    )
    warmup_hours: float = param(
        0.0,
        kind="float",
        group="run",
        unit="hours",
        low=0.0,
        high=24.0 * 28,
        step=0.25,
        label="Warm-up",
        help="Opening period left out of the KPIs (0 for a day that starts empty, as real days do)",
    )
    drain_hours: float = param(
        24.0,
        kind="float",
        group="run",
        unit="hours",
        low=0.0,
        high=24.0 * 7,
        step=1.0,
        label="Scoring drain",
        help="After the horizon, no new issues arrive and the last open hour's agents finish "
        "the issues still open, for at most this long, so that every customer is scored; "
        "issues open after it are scored as they stand (0 = score them at the horizon)",
    )
    service_level_seconds: float = param(
        20.0,
        kind="float",
        group="run",
        unit="seconds",
        low=1.0,
        high=3600.0,
        step=1.0,
        label="Service-level threshold",
        help="A contact answered within this many seconds counts towards the service level",
    )

    FIELD_NAMES: ClassVar[tuple[str, ...]]

    def __new__(cls, *args: Any, **kwargs: Any) -> Scenario:
        if args:
            raise TypeError("Scenario takes keyword arguments only, e.g. Scenario(agents=25)")
        for key in kwargs:
            if key not in cls.FIELD_NAMES:
                raise unknown_name_error("scenario field", key, cls.FIELD_NAMES)
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for f in fields(self):
            value = check_value(f.name, f.metadata["spec"], getattr(self, f.name))
            object.__setattr__(self, f.name, value)
        self._check_combinations()

    def _check_combinations(self) -> None:
        quarters = self.horizon_hours * 4
        if not quarters.is_integer():
            raise ValueError(
                f"horizon_hours={self.horizon_hours!r} is not allowed; "
                "expected a whole number of quarter hours (e.g. 8, 8.25, 8.5)"
            )
        if not (self.warmup_hours * 4).is_integer():
            raise ValueError(
                f"warmup_hours={self.warmup_hours!r} is not allowed; "
                "expected a whole number of quarter hours (e.g. 0, 0.25, 1)"
            )
        if self.warmup_hours >= self.horizon_hours:
            raise ValueError(
                f"warmup_hours={self.warmup_hours!r} is not allowed; expected less than "
                f"horizon_hours={self.horizon_hours!r}"
            )
        for name in ("arrivals_per_hour", "agents"):
            self._check_hourly_length(name)
        self._check_work()
        if max(self.agents_by_hour()) == 0:
            raise ValueError(
                f"agents={self.agents!r} is not allowed; at least one hour needs an agent on shift"
            )

    def _check_work(self) -> None:
        """Refuse a run whose contacts could pass the limit, naming the lever that drives it."""
        issues = self.expected_issues()
        horizon = f"horizon_hours={self.horizon_hours!r}"
        rate = f"arrivals_per_hour={self.arrivals_per_hour!r} over {horizon}"
        if issues > MAX_ISSUES_PER_RUN:
            raise ValueError(
                f"{rate} means about {issues:,.0f} new issues in one run; expected at most "
                f"{MAX_ISSUES_PER_RUN:,} (shorten the horizon or lower the rate)"
            )
        bound = self.contact_bound()
        if bound <= MAX_CONTACTS_PER_RUN:
            return
        checkins = self.checkins_per_hour * self.horizon_hours
        raise ValueError(
            f"max_attempts={self.max_attempts!r} with {rate} allows up to {bound:,.0f} "
            f"contacts ({issues:,.0f} new issues, each up to {self.max_attempts} contacts, and "
            f"{checkins:,.0f} check-ins); expected at most "
            f"{MAX_CONTACTS_PER_RUN:,} contacts in one run (fewer attempts, a shorter horizon "
            "or a lower rate)"
        )

    def contact_bound(self) -> float:
        """The most contacts a run can expect: every new issue using all its attempts, plus
        the check-in calls (the number the per-run limit applies to)."""
        return (
            self.expected_issues() * self.max_attempts + self.checkins_per_hour * self.horizon_hours
        )

    def _check_hourly_length(self, name: str) -> None:
        value = getattr(self, name)
        if not isinstance(value, tuple):
            return
        hours = self.hours
        if len(value) == hours or hours % len(value) == 0:
            return
        raise ValueError(
            f"{name} has {len(value)} hourly values but horizon_hours={self.horizon_hours!r} "
            f"spans {hours} hours; give {hours} values, or a list whose length divides {hours} "
            "(it then repeats, e.g. one 8-hour day over a 40-hour week)"
        )

    # --- derived views -------------------------------------------------------------------

    @property
    def hours(self) -> int:
        """Number of clock hours the horizon touches (a part hour counts as one)."""
        return math.ceil(self.horizon_hours)

    def arrivals_by_hour(self) -> tuple[float, ...]:
        """Arrival rate (new issues per hour) for each hour of the horizon."""
        return _expand(self.arrivals_per_hour, self.hours)

    def expected_issues(self) -> float:
        """Mean number of new issues over the horizon (the last hour may be part of one)."""
        rates = self.arrivals_by_hour()
        last_fraction = self.horizon_hours - (self.hours - 1)
        return sum(rates[:-1]) + rates[-1] * last_fraction

    def agents_by_hour(self) -> tuple[int, ...]:
        """Agents on shift for each hour of the horizon."""
        return _expand(self.agents, self.hours)

    # --- variants and conversion ---------------------------------------------------------

    @property
    def handle_minutes(self) -> float:
        """Deprecated: the field is called ``need_minutes`` (the time the issue needs)."""
        warn_renamed("Scenario.handle_minutes", "Scenario.need_minutes")
        return self.need_minutes

    @property
    def handle_cv(self) -> float:
        """Deprecated: the field is called ``need_cv``."""
        warn_renamed("Scenario.handle_cv", "Scenario.need_cv")
        return self.need_cv

    def replace(self, **changes: Any) -> Scenario:
        """A copy with some fields changed; the original never changes."""
        if RENAMED_FIELDS.keys() & changes.keys():
            changes = rename_keys(changes, RENAMED_FIELDS, where="replace(...)")
        for key in changes:
            if key not in self.FIELD_NAMES:
                raise unknown_name_error("scenario field", key, self.FIELD_NAMES)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Flat field -> value mapping (hourly lists as lists)."""
        return {
            f.name: list(v) if isinstance(v := getattr(self, f.name), tuple) else v
            for f in fields(self)
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scenario:
        """Build from a flat mapping, or one grouped into tables named after GROUPS."""
        return cls(**flatten_groups(data))

    @classmethod
    def spec(cls, name: str) -> ParamSpec:
        """The declaration (unit, range, help) of one field."""
        name = current_name(name)
        if name not in cls.FIELD_NAMES:
            raise unknown_name_error("scenario field", name, cls.FIELD_NAMES)
        return _SPECS[name]

    @classmethod
    def specs(cls) -> dict[str, ParamSpec]:
        """Every field's declaration, in declaration order."""
        return dict(_SPECS)

    def to_toml(self, path: str | Path, *, overwrite: bool = False) -> Path:
        """Write the scenario as TOML grouped by topic; never replaces a file unless asked."""
        path = check_file_free(path, overwrite)
        path.write_text(self.toml_text(), encoding="utf-8")
        return path

    def toml_text(self) -> str:
        """The scenario as the TOML text :meth:`to_toml` writes (grouped by topic)."""
        data = self.to_dict()
        doc: dict[str, Any] = {"name": data.pop("name"), "description": data.pop("description")}
        for group in GROUPS:
            table = {k: v for k, v in data.items() if _SPECS[k].group == group}
            if table:
                doc[group] = table
        return tomli_w.dumps(doc)

    @classmethod
    def from_toml(cls, path: str | Path) -> Scenario:
        """Deprecated: use ``servicesim.load(path)``, the one loader for presets and files."""
        warn_renamed("Scenario.from_toml(path)", "servicesim.load(path)")
        from .loading import load  # the deprecated shim only: the loader builds on this module

        return load(Path(path))


def field_label(name: str) -> str:
    """A scenario field as a participant reads it: its declared label ("Caring"), else its
    name in words."""
    spec = Scenario.specs().get(name)
    return (spec.label if spec is not None else "") or name.replace("_", " ")


def _expand(value: float | int | tuple, hours: int) -> tuple:
    if isinstance(value, tuple):
        return tuple(value[i % len(value)] for i in range(hours))
    return (value,) * hours


def flatten_groups(data: Mapping[str, Any]) -> dict[str, Any]:
    """Turn ``{"staffing": {"agents": 30}}`` into ``{"agents": 30}``; reject unknown tables."""
    flat: dict[str, Any] = {}
    where: dict[str, str] = {}

    def put(name: str, value: Any, place: str) -> None:
        name = current_name(name, f"{place}:")
        if name in flat:
            raise ValueError(f"{name} is given twice: {where[name]} and {place}")
        flat[name] = value
        where[name] = place

    for key, value in data.items():
        if isinstance(value, Mapping) and key not in _SPECS:
            if key not in GROUPS:
                raise unknown_name_error("table", key, tuple(GROUPS))
            for inner, inner_value in value.items():
                if inner in ("name", "description"):
                    raise ValueError(f"[{key}] {inner} belongs at the top of the file")
                now = RENAMED_FIELDS.get(inner, inner)
                if now in _SPECS and _SPECS[now].group != key:
                    raise ValueError(f"[{key}] {inner} belongs in table [{_SPECS[now].group}]")
                put(inner, inner_value, f"in [{key}]")
        else:
            put(key, value, "at the top of the file")
    return flat


_SPECS: dict[str, ParamSpec] = {f.name: f.metadata["spec"] for f in fields(Scenario)}
Scenario.FIELD_NAMES = tuple(_SPECS)
