"""Briefs: what a brief file may say, the rules a design keeps, and its scorecard."""

from __future__ import annotations

from pathlib import Path

import pytest

from servicesim import compare, presets, replicate
from servicesim.brief import Brief, load_brief
from servicesim.experiment import SequentialExecutor
from servicesim.tables import scorecard

SHORT = presets.load("baseline").replace(horizon_hours=2.0)

BRIEF = """
name = "The boss's brief"
says = "Cut the cost per resolved issue without losing NPS."
base = "baseline"
objective = "-cost_per_resolution"
levers = ["agents", "care_minutes", "bot_share"]
constraints = ["nps>=28", "service_level>=0.7"]
"""


def write(folder: Path, text: str, name: str = "brief.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_brief_file_reads_with_its_base_relative_to_it(tmp_path: Path) -> None:
    brief = load_brief(write(tmp_path, BRIEF))
    assert brief.base == presets.load("baseline")
    assert brief.objective_kpi == "cost_per_resolution" and not brief.maximize
    assert brief.kpis() == ["cost_per_resolution", "nps", "service_level"]
    write(tmp_path, 'base = "baseline"\n[staffing]\nagents = 26\n', "ours.toml")
    ours = load_brief(write(tmp_path, BRIEF.replace('"baseline"', '"ours.toml"', 1)))
    assert ours.base.agents == 26


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("levers = [", 'levers = ["no_such_field", '), "lever 'no_such_field'"),
        (('objective = "-cost_per_resolution"', 'objective = "happiness"'), "objective KPI"),
        (('"nps>=28"', '"nps>>28"'), "constraint 'nps>>28' is not allowed"),
        (('name = "', 'nmae = "'), "unknown key 'nmae'"),
        (('base = "baseline"', 'base = "nowhere.toml"'), "nowhere.toml"),
        (('levers = ["agents", "care_minutes", "bot_share"]', "levers = []"), "levers must"),
        (('levers = ["agents", "care_minutes", "bot_share"]', 'levers = "agents"'), "list"),
        (('objective = "-cost_per_resolution"\n', ""), "'objective' is missing"),
    ],
)
def test_a_bad_brief_is_one_line_naming_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    path = write(tmp_path, BRIEF.replace(*change, 1))
    with pytest.raises(ValueError, match=message) as err:
        load_brief(path)
    text = str(err.value)
    assert "\n" not in text and str(path) in text


def test_a_design_keeps_to_the_brief_only_by_moving_its_levers() -> None:
    brief = Brief(presets.load("baseline"), "nps", ("agents", "care_minutes"))
    assert brief.rule_breaks(brief.base.replace(agents=33, care_minutes=2.0, name="ours")) == []
    breaks = brief.rule_breaks(brief.base.replace(agents=33, bot_share=0.0))
    assert breaks == ["changes bot_share (0.3 -> 0.0), which is not a lever"]


def test_the_scorecard_shows_the_briefs_kpis_and_whether_each_limit_is_met() -> None:
    brief = Brief(SHORT, "nps", ("agents",), ("service_level>=0.8", "asa_seconds<=20"))
    days = replicate(SHORT, 3, seed=4, executor=SequentialExecutor())
    card = scorecard(days, brief)
    means = days.summary["mean"]
    assert list(card.index) == ["NPS", "Service level", "Average wait to answer", "Meets the brief"]
    level = card.at["Service level", SHORT.name]
    assert level.startswith(f"{100 * means['service_level']:.0f} %")
    assert level.endswith("(meets it)" if means["service_level"] >= 0.8 else "(misses it)")
    every = means["service_level"] >= 0.8 and means["asa_seconds"] <= 20
    assert card.at["Meets the brief", SHORT.name] == ("yes" if every else "no")
    assert card.at["Service level", "the brief asks"] == "at least 80 %"
    assert card.at["NPS", "the brief asks"] == "as high as possible"
    both = compare(
        {"now": SHORT, "fewer": SHORT.replace(agents=22)}, 3, seed=4, executor=SequentialExecutor()
    )
    card = scorecard(both, brief)
    assert list(card.columns) == ["now", "fewer", "the brief asks"]
    fewer = both.summary.loc["fewer", "mean"]
    assert card.at["Meets the brief", "fewer"] == (
        "yes" if fewer["service_level"] >= 0.8 and fewer["asa_seconds"] <= 20 else "no"
    )


def test_the_shipped_brief_starts_from_northbrook_which_misses_it_today() -> None:
    """The workbooks' brief: the baseline centre misses its cost limit and meets the rest."""
    from servicesim import briefs

    assert briefs.names() == ["northbrook"]
    brief = briefs.load("northbrook")
    assert brief.base == presets.load("baseline")
    assert brief.objective == "-cost_per_resolution"
    today = replicate(brief.base, replications=10, seed=1).summary["mean"]
    met = brief.met(today)
    assert met == {"cost_per_resolution<=5.2": False, "nps>=28": True, "service_level>=0.7": True}
    with pytest.raises(ValueError, match=r"brief .nortbrook.+did you mean .northbrook."):
        briefs.load("nortbrook")
