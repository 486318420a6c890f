"""Property-based tests of validation and of the KPI invariants, with strategies built from specs.

Good and bad values are derived from each field's ParamSpec (kind, low, high, low_open, step,
choices), so a parameter added to the Scenario is covered here without touching this file.
Only the combination rules (quarter-hour run lengths, hourly list lengths, at least one agent)
and the caps that keep simulations tiny are stated by hand.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from servicesim import KPI_INFO, Scenario, load, simulate
from servicesim.parameters import ParamSpec
from servicesim.scenario import RENAMED_FIELDS

SPECS: dict[str, ParamSpec] = Scenario.specs()
NUMERIC_KINDS = ("float", "int", "hourly_float", "hourly_int")
RUN_LENGTH_FIELDS = ("horizon_hours", "warmup_hours")  # whole quarter hours, warm-up < horizon

# Upper limits for *valid* draws, so that every simulated run stays tiny; any other field is
# drawn from its whole range (an unbounded one up to UNBOUNDED_CAP, or inf itself).
SMALL_HIGH: dict[str, float] = {
    "arrivals_per_hour": 300.0,
    "agents": 20,
    "horizon_hours": 2.0,
    "warmup_hours": 1.75,
    "max_attempts": 5,
}
UNBOUNDED_CAP = 1000.0
# Out-of-range integers are drawn up to this size (far larger ones have their own unit test).
BIG_INT = 10**15

SHARE_KPIS = [k for k, (unit, _) in KPI_INFO.items() if unit == "share" and k != "occupancy"]
WAIT_KPIS = ["asa_seconds", "mean_wait_seconds"]


def is_whole(spec: ParamSpec) -> bool:
    return spec.kind in ("int", "hourly_int")


# --- strategies: valid values -------------------------------------------------------------


def valid_number(spec: ParamSpec, high: float | None = None) -> st.SearchStrategy[Any]:
    """A number the spec accepts, at most ``high`` (default: the spec's own upper bound)."""
    low = spec.low
    top = spec.high if high is None else min(high, spec.high)
    unbounded = math.isinf(top)
    if unbounded:
        top = max(low + 1.0, UNBOUNDED_CAP)
    if is_whole(spec):
        first = math.floor(low) + 1 if spec.low_open and low.is_integer() else math.ceil(low)
        return st.integers(first, math.floor(top))
    numbers = st.floats(low, top, exclude_min=spec.low_open, allow_nan=False)
    if spec.step:
        steps = int((top - low) // spec.step)
        grid = st.integers(1 if spec.low_open else 0, steps).map(lambda k: low + k * spec.step)
        numbers = st.one_of(numbers, grid.filter(lambda v: v <= top))
    if unbounded:  # neither the spec nor the cap bounds it: inf itself is valid
        numbers = st.one_of(numbers, st.just(math.inf))
    return numbers


def valid_scalar(name: str, spec: ParamSpec) -> st.SearchStrategy[Any]:
    """A valid single value of field ``name`` (an hourly field's single number)."""
    if spec.kind == "bool":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(spec.choices)
    if spec.kind == "text":
        return st.text(max_size=30)
    return valid_number(spec, SMALL_HIGH.get(name))


def divisors(n: int) -> list[int]:
    return [d for d in range(1, n + 1) if n % d == 0]


@st.composite
def small_scenarios(draw: st.DrawFn) -> Scenario:
    """A valid scenario with every field drawn from its spec, small enough to run in a blink."""
    quarters = draw(st.integers(1, round(SMALL_HIGH["horizon_hours"] * 4)))
    horizon = quarters / 4
    warmup = draw(st.integers(0, quarters - 1)) / 4
    hours = math.ceil(horizon)
    values: dict[str, Any] = {"horizon_hours": horizon, "warmup_hours": warmup}
    for name, spec in SPECS.items():
        if name in values:
            continue
        scalar = valid_scalar(name, spec)
        if spec.kind.startswith("hourly"):
            length = draw(st.sampled_from(divisors(hours)))
            values[name] = draw(
                st.one_of(scalar, st.lists(scalar, min_size=length, max_size=length))
            )
        else:
            values[name] = draw(scalar)
    agents = values["agents"]
    if max(agents if isinstance(agents, list) else [agents]) == 0:  # at least one agent on shift
        values["agents"] = [1, *agents[1:]] if isinstance(agents, list) else 1
    return Scenario(**values)


# --- strategies: bad values ---------------------------------------------------------------

WRONG_TYPES = st.one_of(
    st.text(max_size=10),
    st.booleans(),
    st.none(),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.just(math.nan),
    st.just(1j),
)


def bad_number(spec: ParamSpec) -> st.SearchStrategy[Any]:
    """A single value a numeric spec refuses: out of range, not whole, or not a number."""
    low, high = spec.low, spec.high
    options = [WRONG_TYPES]
    if low is not None:
        below = st.floats(max_value=low, exclude_max=not spec.low_open, allow_nan=False)
        options.append(below.filter(lambda v: v < low or (spec.low_open and v == low)))
        options.append(st.integers(-BIG_INT, math.ceil(low) - 1))
        if spec.low_open and low.is_integer():
            options.append(st.just(int(low)))
    if high is not None and not math.isinf(high):
        options.append(st.floats(min_value=high, exclude_min=True, allow_nan=False))
        options.append(st.integers(math.floor(high) + 1, BIG_INT))
    if is_whole(spec):
        inside = st.floats(low, high, allow_nan=False, allow_infinity=False)
        options.append(inside.filter(lambda v: not v.is_integer()))
    return st.one_of(options)


def bad_value(name: str, spec: ParamSpec) -> st.SearchStrategy[Any]:
    """A value of field ``name`` that validation must refuse, whatever the other fields are."""
    if spec.kind == "bool":
        return st.one_of(st.integers(), st.text(max_size=5), st.none(), st.floats())
    if spec.kind == "choice":
        return st.one_of(
            st.text(max_size=10).filter(lambda v: v not in spec.choices),
            st.integers(),
            st.none(),
            st.booleans(),
            st.lists(st.sampled_from(spec.choices), max_size=2),
        )
    if spec.kind == "text":
        return st.one_of(st.integers(), st.floats(), st.none(), st.booleans(), st.just(["x"]))
    bad = bad_number(spec)
    if spec.kind.startswith("hourly"):
        good = valid_number(spec)
        with_bad_entry = st.tuples(st.lists(good, max_size=3), bad, st.lists(good, max_size=3)).map(
            lambda t: [*t[0], t[1], *t[2]]
        )
        return st.one_of(bad, st.just([]), with_bad_entry)
    return st.one_of(bad, st.lists(valid_number(spec), min_size=1, max_size=3))


@st.composite
def field_and_bad_value(draw: st.DrawFn) -> tuple[str, Any]:
    name = draw(st.sampled_from(list(SPECS)))
    return name, draw(bad_value(name, SPECS[name]))


# --- bad values and names -----------------------------------------------------------------


@pytest.mark.parametrize("name", list(SPECS))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_bad_value_is_refused_naming_the_field(name: str, data: st.DataObject) -> None:
    spec = SPECS[name]
    value = data.draw(bad_value(name, spec), label=name)
    with pytest.raises(ValueError) as excinfo:
        Scenario().replace(**{name: value})
    message = str(excinfo.value)
    assert message.startswith(name), f"{name}={value!r}: message does not lead with the field"
    assert spec.allowed() in message, f"{name}={value!r}: range missing from {message!r}"
    if value != []:
        assert f"{name}={value!r}" in message, f"value {value!r} not shown in {message!r}"


@settings(max_examples=150, deadline=None)
@given(field_and_bad_value())
def test_bad_value_is_refused_by_the_constructor_too(case: tuple[str, Any]) -> None:
    name, value = case
    with pytest.raises(ValueError, match=f"^{name}"):
        Scenario(**{name: value})


@settings(max_examples=300, deadline=None)
@given(
    st.text(max_size=30).filter(lambda s: s not in Scenario.FIELD_NAMES and s not in RENAMED_FIELDS)
)
def test_unknown_field_name_is_refused_naming_it(name: str) -> None:
    for build in (lambda: Scenario(**{name: 1}), lambda: Scenario().replace(**{name: 1})):
        with pytest.raises(ValueError) as excinfo:
            build()
        message = str(excinfo.value)
        assert repr(name) in message, f"unknown name {name!r} not shown in {message!r}"
        assert "did you mean" in message or "valid names:" in message, message


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(Scenario.FIELD_NAMES), st.data())
def test_misspelt_field_gets_a_suggestion(name: str, data: st.DataObject) -> None:
    """Dropping one letter of a field name always leaves it close enough to be suggested."""
    i = data.draw(st.integers(0, len(name) - 1))
    typo = name[:i] + name[i + 1 :]
    if typo in Scenario.FIELD_NAMES:
        return
    with pytest.raises(ValueError) as excinfo:
        Scenario(**{typo: 1})
    message = str(excinfo.value)
    assert "did you mean" in message, f"no suggestion for {typo!r}: {message}"
    suggestion = message.rsplit("did you mean ", 1)[1].strip("'?")
    assert suggestion in Scenario.FIELD_NAMES, f"suggested {suggestion!r} is not a field"


# --- valid scenarios ----------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(small_scenarios())
def test_valid_scenario_revalidates_to_itself(scenario: Scenario) -> None:
    assert Scenario(**scenario.to_dict()) == scenario, "validation is not idempotent"
    assert scenario.replace() == scenario
    hours = scenario.hours
    assert len(scenario.arrivals_by_hour()) == hours and len(scenario.agents_by_hour()) == hours
    assert max(scenario.agents_by_hour()) > 0


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(small_scenarios())
def test_valid_scenario_roundtrips_through_toml(scenario: Scenario) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = scenario.to_toml(Path(folder) / "s.toml")
        back = load(path)
    assert back == scenario, f"TOML changed {scenario} into {back}"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(small_scenarios(), st.integers(0, 2**32))
def test_valid_scenario_simulates_with_sane_kpis(scenario: Scenario, seed: int) -> None:
    results = simulate(scenario, seed)
    kpis = results.kpis
    assert list(kpis) == list(KPI_INFO), "KPI names or order differ from KPI_INFO"
    for name in SHARE_KPIS:
        value = kpis[name]
        assert math.isnan(value) or 0.0 <= value <= 1.0, f"{name}={value} outside [0, 1]"
    for name in WAIT_KPIS:
        value = kpis[name]
        assert math.isnan(value) or value >= 0.0, f"{name}={value} negative"
    occupancy = kpis["occupancy"]
    assert math.isnan(occupancy) or 0.0 <= occupancy <= 1.0, f"occupancy={occupancy} outside [0, 1]"
    assert kpis["contacts"] >= kpis["queued"] >= 0, f"contacts < queued: {kpis}"
    assert kpis["contacts"] >= kpis["bot_contacts"] >= 0, f"contacts < bot contacts: {kpis}"
    assert kpis["backlog"] >= 0, f"negative backlog: {kpis}"
    nps = kpis["nps"]
    assert math.isnan(nps) or -100.0 <= nps <= 100.0, f"nps={nps} outside [-100, 100]"
    for name in ("cost_per_contact", "cost_per_resolution", "agents_on_shift"):
        assert math.isnan(kpis[name]) or kpis[name] >= 0.0, f"{name}={kpis[name]} negative"

    contacts = results.contacts
    horizon = scenario.horizon_hours * 60
    after_warmup = contacts[
        (contacts.arrival_minutes >= scenario.warmup_hours * 60)
        & (contacts.arrival_minutes < horizon)
        & (contacts.channel != "checkin")
    ]
    assert kpis["contacts"] == len(after_warmup), (
        f"contacts KPI {kpis['contacts']} but {len(after_warmup)} rows after the warm-up"
    )
    assert (contacts.wait_minutes.dropna() >= 0).all(), "a contact has a negative wait"
    end = horizon + scenario.drain_hours * 60
    assert contacts.arrival_minutes.between(0, end).all(), "a contact arrived outside the run"
    late = contacts[contacts.arrival_minutes >= horizon]
    assert (late.attempt > 1).all(), "only customers coming back arrive during the drain"
    assert (results.issues.score >= 0).all(), "every issue is scored"


def test_overloaded_scenario_finishes_with_a_large_backlog() -> None:
    scenario = Scenario(
        arrivals_per_hour=5000.0, agents=1, patience_minutes=math.inf, horizon_hours=2.0
    )
    kpis = simulate(scenario, seed=3).kpis
    # One agent with 6-minute contacts answers about 20 in two hours; the rest still wait.
    assert kpis["queued"] > 5000, f"too few contacts queued: {kpis['queued']}"
    assert kpis["backlog"] >= kpis["queued"] - 100, f"backlog {kpis['backlog']} too small: {kpis}"
    assert kpis["abandonment_rate"] == 0.0, "nobody may abandon with infinite patience"
    assert kpis["occupancy"] > 0.9, f"the one agent should be busy: {kpis['occupancy']}"


def test_occupancy_never_exceeds_one() -> None:
    scenario = Scenario(arrivals_per_hour=300.0, agents=1, horizon_hours=1.25, warmup_hours=0.25)
    occupancy = simulate(scenario, seed=4).kpis["occupancy"]
    assert occupancy <= 1.0, f"occupancy={occupancy!r} is above 1"
