"""Unit tests of the Scenario: specs, validation messages, hourly profiles, TOML, presets, seeds.

Every entry point (Python keywords, ``replace``, TOML files, presets) goes through one validation
path, so these tests pin down the messages a learner sees: the field's name, the bad value and
the allowed range, and for a typo the nearest valid name.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pytest

import servicesim.presets
from servicesim import Scenario, load, presets, simulate
from servicesim.parameters import check_value
from servicesim.scenario import GROUPS

NUMERIC_KINDS = ("float", "int", "hourly_float", "hourly_int")
TINY = Scenario(horizon_hours=0.25, arrivals_per_hour=20.0, agents=2)
PRESET_DIR = Path(servicesim.presets.__file__).parent


def message_of(excinfo: pytest.ExceptionInfo[BaseException]) -> str:
    return str(excinfo.value)


# --- defaults and specs ---------------------------------------------------------------------


def test_defaults_form_a_valid_scenario() -> None:
    scenario = Scenario()
    assert scenario == Scenario(**scenario.to_dict()), "defaults do not survive re-validation"
    assert scenario.name == "baseline", f"default name is {scenario.name!r}, expected 'baseline'"


def test_field_names_and_specs_agree() -> None:
    fields = [f.name for f in dataclasses.fields(Scenario)]
    assert list(Scenario.FIELD_NAMES) == fields, "FIELD_NAMES differs from the dataclass fields"
    assert list(Scenario.specs()) == fields, "specs() is not in declaration order"
    for name in fields:
        assert Scenario.spec(name) is Scenario.specs()[name], f"spec({name!r}) differs"


@pytest.mark.parametrize("name", Scenario.FIELD_NAMES)
def test_every_field_has_a_complete_spec(name: str) -> None:
    spec = Scenario.spec(name)
    assert spec.help.strip(), f"{name}: help text is empty"
    assert spec.group in GROUPS, f"{name}: group {spec.group!r} is not one of {list(GROUPS)}"
    if spec.kind in NUMERIC_KINDS:
        assert spec.low is not None, f"{name}: numeric field without a lower bound"
        assert spec.high is not None, f"{name}: numeric field without an upper bound"
        assert spec.low < spec.high, f"{name}: empty range [{spec.low}, {spec.high}]"
        assert spec.step is not None and spec.step > 0, f"{name}: no positive step ({spec.step})"
        assert spec.unit, f"{name}: numeric field without a unit"
    if spec.kind == "choice":
        assert spec.choices, f"{name}: choice field without choices"


@pytest.mark.parametrize("name", Scenario.FIELD_NAMES)
def test_every_default_lies_inside_its_own_range(name: str) -> None:
    spec = Scenario.spec(name)
    default = getattr(Scenario(), name)
    assert check_value(name, spec, default) == default, f"{name}: default changes on re-check"
    if spec.kind in NUMERIC_KINDS:
        values = default if isinstance(default, tuple) else (default,)
        for v in values:
            assert spec.low <= v <= spec.high, f"{name}={v} outside [{spec.low}, {spec.high}]"
            if spec.low_open:
                assert v > spec.low, f"{name}={v} equals its open lower bound"
    if spec.kind == "choice":
        assert default in spec.choices, f"{name}={default!r} not in {spec.choices}"


def test_spec_of_an_unknown_field_suggests_the_nearest() -> None:
    with pytest.raises(ValueError, match="did you mean 'agents'") as excinfo:
        Scenario.spec("agnets")
    assert "agnets" in message_of(excinfo)


# --- immutability ---------------------------------------------------------------------------


def test_replace_returns_a_new_scenario_and_leaves_the_original() -> None:
    original = Scenario()
    before = original.to_dict()
    variant = original.replace(agents=25, bot_share=0.5)
    assert variant is not original, "replace returned the same object"
    assert (variant.agents, variant.bot_share) == (25, 0.5), "replace did not apply the changes"
    assert original.to_dict() == before, "replace changed the original"
    assert original == Scenario(), "the original no longer equals the defaults"
    unchanged = {k: v for k, v in variant.to_dict().items() if k not in ("agents", "bot_share")}
    assert unchanged == {k: v for k, v in before.items() if k not in ("agents", "bot_share")}


def test_scenario_is_frozen() -> None:
    scenario = Scenario()
    with pytest.raises(dataclasses.FrozenInstanceError):
        scenario.agents = 3  # type: ignore[misc]
    assert scenario.agents == 30, "a failed assignment still changed the field"


def test_scenario_is_hashable_and_compares_by_value() -> None:
    a = Scenario(agents=[1, 2] * 4)
    b = Scenario(agents=(1, 2, 1, 2, 1, 2, 1, 2))
    assert a == b and hash(a) == hash(b), "equal scenarios differ in equality or hash"


def test_positional_arguments_are_refused() -> None:
    with pytest.raises(TypeError, match="keyword"):
        Scenario("baseline")  # type: ignore[misc]


# --- error messages -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "shown", "allowed"),
    [
        ({"agents": -1}, "agents=-1", "[0, 2000]"),
        ({"need_minutes": 0}, "need_minutes=0", "[0.1, 240]"),
        ({"bot_share": 1.5}, "bot_share=1.5", "[0, 1]"),
        ({"priority": "vip"}, "priority='vip'", "'none', 'new', 'loyal'"),
        ({"arrivals_per_hour": "many"}, "arrivals_per_hour='many'", "[0, 5000]"),
        ({"max_attempts": 2.5}, "max_attempts=2.5", "a whole number in [1, 20]"),
        ({"agents": True}, "agents=True", "[0, 2000]"),
        ({"bot_share": math.nan}, "bot_share=nan", "[0, 1]"),
        ({"patience_minutes": -math.inf}, "patience_minutes=-inf", "[0.1, inf]"),
        ({"agents": [10, 10, -3, 10]}, "agents=[10, 10, -3, 10]", "[0, 2000]"),
        ({"name": 3}, "name=3", "text"),
    ],
    ids=lambda x: repr(x) if not isinstance(x, str) else None,
)
def test_out_of_range_message_names_field_value_and_range(
    changes: dict, shown: str, allowed: str
) -> None:
    for build in (lambda: Scenario(**changes), lambda: Scenario().replace(**changes)):
        with pytest.raises(ValueError) as excinfo:
            build()
        message = message_of(excinfo)
        assert shown in message, f"message does not show {shown!r}: {message}"
        assert allowed in message, f"message does not state the range {allowed!r}: {message}"
        assert "not allowed" in message, f"message does not say what is wrong: {message}"


def test_empty_hourly_list_names_the_field() -> None:
    with pytest.raises(ValueError, match=r"^agents is an empty list") as excinfo:
        Scenario(agents=[])
    assert "[0, 2000]" in message_of(excinfo), message_of(excinfo)


def test_unit_is_part_of_the_message() -> None:
    with pytest.raises(ValueError, match=r"minutes$"):
        Scenario(need_minutes=-2.0)


@pytest.mark.parametrize("build", [Scenario, Scenario().replace], ids=["init", "replace"])
def test_unknown_name_suggests_the_nearest(build) -> None:
    with pytest.raises(ValueError) as excinfo:
        build(agnets=3)
    message = message_of(excinfo)
    assert "'agnets'" in message, f"message does not name the typo: {message}"
    assert "did you mean 'agents'?" in message, f"no suggestion in: {message}"


def test_unknown_name_far_from_everything_lists_the_valid_names() -> None:
    with pytest.raises(ValueError) as excinfo:
        Scenario(zzzzzz=1)
    message = message_of(excinfo)
    assert "valid names:" in message and "agents" in message, message


def test_warmup_not_before_horizon_is_refused() -> None:
    for warmup in (8.0, 9.0):
        with pytest.raises(ValueError) as excinfo:
            Scenario(horizon_hours=8.0, warmup_hours=warmup)
        message = message_of(excinfo)
        assert f"warmup_hours={warmup!r}" in message, message
        assert "horizon_hours=8.0" in message, message
    assert Scenario(horizon_hours=8.0, warmup_hours=7.75).warmup_hours == 7.75


@pytest.mark.parametrize(("field", "value"), [("horizon_hours", 8.1), ("warmup_hours", 0.3)])
def test_run_lengths_must_be_whole_quarter_hours(field: str, value: float) -> None:
    with pytest.raises(ValueError) as excinfo:
        Scenario(**{field: value})
    message = message_of(excinfo)
    assert f"{field}={value!r}" in message, message
    assert "quarter hours" in message, message


def test_hourly_list_of_the_wrong_length_names_both_lengths() -> None:
    with pytest.raises(ValueError) as excinfo:
        Scenario(agents=[10, 10, 10], horizon_hours=8.0)
    message = message_of(excinfo)
    assert "agents has 3 hourly values" in message, message
    assert "spans 8 hours" in message, message
    with pytest.raises(ValueError, match=r"arrivals_per_hour has 8 hourly values.*spans 9 hours"):
        Scenario(arrivals_per_hour=[100.0] * 8, horizon_hours=8.25)


@pytest.mark.parametrize("agents", [0, [0] * 8, [0, 0]])
def test_all_zero_agents_is_refused(agents) -> None:
    with pytest.raises(ValueError) as excinfo:
        Scenario(agents=agents)
    message = message_of(excinfo)
    assert message.startswith("agents="), message
    assert "at least one hour needs an agent" in message, message


def test_too_many_issues_per_run_is_refused() -> None:
    with pytest.raises(ValueError, match=r"arrivals_per_hour=5000\.0 .* 3,360,000"):
        Scenario(arrivals_per_hour=5000.0, horizon_hours=672.0)


@pytest.mark.parametrize("field", ["need_minutes", "agents", "max_attempts"])
def test_huge_integer_is_a_value_error(field: str) -> None:
    with pytest.raises(ValueError, match=field):
        Scenario(**{field: 10**400})


def test_numpy_integers_are_accepted_like_numpy_floats() -> None:
    assert Scenario(need_minutes=np.float64(5.0)).need_minutes == 5.0
    assert Scenario(agents=np.int64(5)).agents == 5


def test_values_are_converted_to_their_canonical_type() -> None:
    s = Scenario(need_minutes=5, agents=12.0, max_attempts=2.0)
    assert type(s.need_minutes) is float, "float field kept an int"
    assert type(s.agents) is int and type(s.max_attempts) is int, "int field kept a float"


# --- hourly profiles ------------------------------------------------------------------------


def test_hourly_list_of_eight_over_an_eight_hour_day() -> None:
    rates = [100.0, 200.0, 300.0, 250.0, 200.0, 150.0, 120.0, 80.0]
    s = Scenario(arrivals_per_hour=rates, horizon_hours=8.0)
    assert s.arrivals_by_hour() == tuple(rates), s.arrivals_by_hour()
    assert s.expected_issues() == pytest.approx(sum(rates))


def test_hourly_list_repeats_over_a_week() -> None:
    day = [100.0, 200.0, 300.0, 250.0, 200.0, 150.0, 120.0, 80.0]
    s = Scenario(arrivals_per_hour=day, agents=[20, 30, 40, 30, 30, 20, 20, 10], horizon_hours=40)
    by_hour = s.arrivals_by_hour()
    assert len(by_hour) == 40, f"{len(by_hour)} hourly rates for a 40-hour horizon"
    assert by_hour == tuple(day) * 5, "the day does not repeat five times"
    assert s.agents_by_hour() == (20, 30, 40, 30, 30, 20, 20, 10) * 5


def test_hourly_lists_become_tuples() -> None:
    s = Scenario(arrivals_per_hour=[100, 200] * 4, agents=[5, 6] * 4)
    assert s.arrivals_per_hour == (100.0, 200.0) * 4, s.arrivals_per_hour
    assert all(type(v) is float for v in s.arrivals_per_hour), "hourly floats not converted"
    assert s.agents == (5, 6) * 4 and isinstance(s.agents, tuple), s.agents


def test_scalar_hourly_value_expands() -> None:
    s = Scenario(agents=7, arrivals_per_hour=50.0, horizon_hours=3.5)
    assert s.hours == 4, "a part hour counts as an hour"
    assert s.agents_by_hour() == (7, 7, 7, 7)
    assert s.arrivals_by_hour() == (50.0,) * 4
    assert s.expected_issues() == pytest.approx(175.0), "last part hour not prorated"


# --- TOML -----------------------------------------------------------------------------------


def roundtrip(scenario: Scenario, tmp_path: Path, name: str = "s.toml") -> Scenario:
    path = scenario.to_toml(tmp_path / name)
    return load(path)


def test_toml_roundtrip_of_the_defaults(tmp_path: Path) -> None:
    assert roundtrip(Scenario(), tmp_path) == Scenario(), "defaults change through TOML"


@pytest.mark.parametrize("name", presets.names())
def test_toml_roundtrip_of_every_preset(name: str, tmp_path: Path) -> None:
    preset = presets.load(name)
    assert roundtrip(preset, tmp_path) == preset, f"preset {name} changes through TOML"


def test_toml_roundtrip_is_lossless(tmp_path: Path) -> None:
    s = Scenario(
        name='week – «unicode» "quoted"',
        description="line one\nline two\ttab",
        patience_minutes=math.inf,
        arrivals_per_hour=[0.1 + 0.2, 1 / 3, 123.456789012345, 0.0],
        agents=[3, 0, 7, 1],
        need_minutes=math.pi,
        horizon_hours=16.0,
        warmup_hours=0.25,
    )
    back = roundtrip(s, tmp_path)
    lost = {k: (v, back.to_dict()[k]) for k, v in s.to_dict().items() if back.to_dict()[k] != v}
    assert back == s, f"lost in TOML (before, after): {lost}"
    assert back.patience_minutes == math.inf


def test_to_toml_writes_grouped_tables(tmp_path: Path) -> None:
    text = Scenario().to_toml(tmp_path / "s.toml").read_text(encoding="utf-8")
    for group in GROUPS:
        assert f"[{group}]" in text, f"table [{group}] missing from:\n{text}"


def test_flat_and_grouped_files_both_load(tmp_path: Path) -> None:
    flat = tmp_path / "flat.toml"
    flat.write_text('name = "f"\nagents = 12\nbot_share = 0.5\nhorizon_hours = 4.0\n')
    grouped = tmp_path / "grouped.toml"
    grouped.write_text(
        'name = "f"\n[staffing]\nagents = 12\n[bot]\nbot_share = 0.5\n[run]\nhorizon_hours = 4.0\n'
    )
    expected = Scenario(name="f", agents=12, bot_share=0.5, horizon_hours=4.0)
    assert load(flat) == expected, "flat file loads wrongly"
    assert load(grouped) == expected, "grouped file loads wrongly"


def test_field_in_the_wrong_table_names_the_right_table(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[demand]\nagents = 10\n")
    with pytest.raises(ValueError) as excinfo:
        load(path)
    message = message_of(excinfo)
    assert "agents" in message and "[staffing]" in message, message


def test_unknown_table_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[stafing]\nagents = 10\n")
    with pytest.raises(ValueError, match="unknown table 'stafing'; did you mean 'staffing'"):
        load(path)


def test_unknown_field_in_a_file_suggests_the_nearest(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[staffing]\nagnets = 10\n")
    with pytest.raises(ValueError, match="did you mean 'agents'"):
        load(path)


def test_bad_value_in_a_file_names_field_and_range(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("[bot]\nbot_share = 1.5\n")
    with pytest.raises(ValueError, match=re.escape("bot_share=1.5 is not allowed")):
        load(path)


def test_base_preset_is_inherited_and_overridden(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('base = "erlang"\nname = "mine"\n[staffing]\nagents = 16\n')
    s = load(path)
    assert s == presets.load("erlang").replace(name="mine", agents=16), s
    assert s.arrivals_per_hour == 200.0, "base preset not inherited"


def test_base_file_relative_to_the_including_file(tmp_path: Path) -> None:
    Scenario(name="parent", agents=11).to_toml(tmp_path / "parent.toml")
    child = tmp_path / "child.toml"
    child.write_text('base = "parent.toml"\nname = "child"\n')
    s = load(child)
    assert (s.name, s.agents) == ("child", 11), s


def test_base_that_is_not_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("base = 3\n")
    with pytest.raises(ValueError, match="base=3"):
        load(path)


def test_unknown_base_suggests_the_nearest_preset(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('base = "erlnag"\n')
    with pytest.raises(ValueError, match="did you mean 'erlang'"):
        load(path)


def test_base_cycle_is_a_value_error(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text('base = "b.toml"\n')
    (tmp_path / "b.toml").write_text('base = "a.toml"\n')
    with pytest.raises(ValueError, match=re.escape("a.toml")):
        load(tmp_path / "a.toml")


def test_field_given_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text("agents = 5\n[staffing]\nagents = 10\n")
    with pytest.raises(ValueError, match="agents"):
        load(path)


def test_to_toml_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes(b"precious = 'bytes'\n")
    with pytest.raises(FileExistsError) as excinfo:
        Scenario().to_toml(path)
    assert str(path) in message_of(excinfo) and "overwrite=True" in message_of(excinfo)
    assert path.read_bytes() == b"precious = 'bytes'\n", "refused write still changed the file"
    Scenario(agents=9).to_toml(path, overwrite=True)
    assert load(path).agents == 9, "overwrite=True did not replace the file"


def test_to_toml_returns_the_path(tmp_path: Path) -> None:
    target = tmp_path / "out.toml"
    assert Scenario().to_toml(str(target)) == target


def test_missing_file_is_a_value_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ValueError, match=re.escape(str(path))) as excinfo:
        load(path)
    assert "does not exist" in message_of(excinfo)


def test_invalid_toml_is_a_value_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("agents = = 3\n")
    with pytest.raises(ValueError, match=re.escape(str(path))) as excinfo:
        load(path)
    assert "not valid TOML" in message_of(excinfo)


def test_directory_is_a_value_error_naming_the_path(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=re.escape(str(tmp_path))):
        load(tmp_path)


def test_non_utf8_file_is_a_value_error_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ValueError, match=re.escape(str(path))):
        load(path)


# --- presets --------------------------------------------------------------------------------


def test_preset_names_cover_every_file() -> None:
    names = presets.names()
    files = sorted(p.stem for p in PRESET_DIR.glob("*.toml"))
    assert names == files, f"names() {names} differs from the files {files}"
    assert {"baseline", "erlang"} <= set(names), names


@pytest.mark.parametrize("name", presets.names())
def test_each_preset_loads_with_its_own_name(name: str) -> None:
    preset = presets.load(name)
    assert isinstance(preset, Scenario)
    assert preset.name == name, f"preset file {name}.toml has name={preset.name!r}"
    assert preset.description.strip(), f"preset {name} has no description"
    assert load(name) == preset, "resolve(name) differs from load(name)"
    assert presets.describe()[name] == preset.description


def test_baseline_preset_is_the_defaults() -> None:
    """The baseline is Scenario() named as the workbooks' centre: only its description differs."""
    baseline = presets.load("baseline")
    assert baseline.description.startswith("Northbrook Energy's customer service")
    assert baseline.replace(description=Scenario().description) == Scenario()


def test_erlang_preset_is_a_textbook_queue() -> None:
    e = presets.load("erlang")
    expected = {
        "bot_share": 0.0,
        "resolution_probability": 1.0,
        "max_attempts": 1,
        "retry_after_abandon": 0.0,
        "need_cv": 1.0,
    }
    actual = {k: getattr(e, k) for k in expected}
    assert actual == expected, f"erlang preset is not M/M/c+M: {actual}"
    assert isinstance(e.agents, int), f"erlang agents should be one number, got {e.agents!r}"
    assert isinstance(e.arrivals_per_hour, float), "erlang needs a constant arrival rate"


@pytest.mark.parametrize("name", [n for n in presets.names() if n != "baseline"])
def test_each_preset_changes_something_from_baseline(name: str) -> None:
    baseline = presets.load("baseline").to_dict()
    preset = presets.load(name).to_dict()
    changed = {k for k in preset if k not in ("name", "description") and preset[k] != baseline[k]}
    assert changed, f"preset {name} only renames the baseline"


@pytest.mark.parametrize("lookup", [presets.load, load], ids=["presets.load", "load"])
def test_unknown_preset_suggests_the_nearest(lookup) -> None:
    with pytest.raises(ValueError) as excinfo:
        lookup("erlnag")
    message = message_of(excinfo)
    assert "'erlnag'" in message and "did you mean 'erlang'?" in message, message


def test_resolve_accepts_a_file_path(tmp_path: Path) -> None:
    path = Scenario(name="mine", agents=4).to_toml(tmp_path / "mine.toml")
    assert load(str(path)).agents == 4


# --- seeds ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [-1, 1.0, 1.5, True, False, "1", None, [1]], ids=repr)
def test_bad_seed_is_refused_by_simulate(seed) -> None:
    with pytest.raises(ValueError) as excinfo:
        simulate(TINY, seed=seed)
    message = message_of(excinfo)
    assert message.startswith(f"seed={seed!r}"), f"message does not name the seed: {message}"
    assert ">= 0" in message, message


@pytest.mark.parametrize("seed", [0, 7, 2**64, np.int64(3)], ids=repr)
def test_good_seeds_are_accepted(seed) -> None:
    assert simulate(TINY, seed=seed).kpis["contacts"] >= 0


def test_bad_replication_is_refused() -> None:
    with pytest.raises(ValueError, match=r"^replication=-1"):
        simulate(TINY, seed=1, replication=-1)


def test_numpy_replication_is_accepted_like_a_numpy_seed() -> None:
    assert simulate(TINY, seed=np.int64(1), replication=np.int64(1)).replication == 1


def test_simulate_refuses_a_non_scenario() -> None:
    with pytest.raises(ValueError, match="scenario must be a Scenario"):
        simulate({"agents": 3}, seed=1)  # type: ignore[arg-type]
