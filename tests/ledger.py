"""The lessons ledger: every claim about model behaviour the project makes, checked and written.

Each :class:`Claim` names where it is made, the scenarios it compares (on common random
numbers, a fixed seed), and the checks that must hold: a scenario's KPI mean, or its paired
difference to the claim's first scenario, with its 95 % confidence interval inside stated
bounds. ``tests/test_ledger.py`` runs every check; this script writes ``docs/lessons.md`` from
the same measurements, and the test fails when the file and the model disagree::

    python tests/ledger.py --write
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pandas as pd

from servicesim import Scenario, compare, presets, replicate
from servicesim.experiment import confidence_table

LEDGER = Path(__file__).resolve().parents[1] / "docs" / "lessons.md"
#: The same measurements for the facilitator's kit to quote (servicesim.kit.quote).
VALUES = Path(__file__).resolve().parents[1] / "src" / "servicesim" / "kit" / "ledger.json"
CAUSES = ("process", "rules", "presentation", "product", "people")

BASELINE = presets.load("baseline")
SPIKE = presets.load("erosion-spike")


def days(n: int, spike: bool, **changes: object) -> Scenario:
    """``n`` baseline days open 8 hours (nights closed) with eroding standards, KPIs of the last;
    with ``spike``, hours 3 and 4 of the first day get the erosion-spike preset's 420 an hour."""
    rates: list[float] = []
    for day in range(n):
        hours = [265.0] * 8 + [0.0] * 16
        if spike and day == 0:
            hours[2] = hours[3] = 420.0
        rates += hours
    return SPIKE.replace(
        arrivals_per_hour=tuple(rates),
        horizon_hours=24.0 * n,
        warmup_hours=24.0 * (n - 1),
        **changes,
    )


def small_desk(**changes: object) -> Scenario:
    """Five days of a desk of 11 agents serving 100 loyal customers (60 issues an hour, open 8
    hours): no bot and no defects, so what trust does is all that differs."""
    return BASELINE.replace(
        arrivals_per_hour=tuple(([60.0] * 8 + [0.0] * 16) * 5),
        agents=tuple([11] * 8 + [0] * 16),
        horizon_hours=24.0 * 5,
        warmup_hours=24.0 * 4,
        customer_base=100,
        loyal_share=1.0,
        promise_share=0.8,
        bot_share=0.0,
        defect_share=0.0,
        **changes,
    )


#: The presets that each teach one lesson (the others: the baseline, the textbook queue, a
#: shift plan).
LESSON_PRESETS = tuple(n for n in presets.names() if n not in ("baseline", "erlang", "shift-plan"))

#: Many agents for one hour: engagement shares measured over 200 agents at a time.
BIG_TEAM = BASELINE.replace(agents=200, horizon_hours=1.0, hostile_share=0.0)


def chased(target: float) -> Scenario:
    """The baseline with a handle-time target that agents chase whenever a queue forms."""
    return BASELINE.replace(handle_target_minutes=target, pressure_sensitivity=1.0)


BEST_SERVICE = BASELINE.replace(
    agents=40,
    care_minutes=3.0,
    accountability="appointment",
    skill_mean=1.3,
    team_trust=1.0,
    bot_share=0.0,
    hostile_share=0.0,
    incidents_per_agent_day=0.0,
    pressure_sensitivity=0.0,
    defect_share=0.0,
)


def margin(cause: str) -> Callable[[pd.DataFrame], pd.Series]:
    """Per run: the share of detractors whose main cause is ``cause`` minus the largest other."""
    others = [f"detractors_{c}" for c in (*CAUSES, "none") if c != cause]

    def compute(runs: pd.DataFrame) -> pd.Series:
        return runs[f"detractors_{cause}"] - runs[others].max(axis=1)

    return compute


@dataclass(frozen=True)
class Check:
    """A bound on one KPI: of a scenario's mean (``diff=False``) or of its paired difference to
    the claim's first scenario; the whole 95 % interval must lie in [low, high]."""

    scenario: str
    kpi: str
    low: float = -math.inf
    high: float = math.inf
    diff: bool = True
    against: str = ""  # the scenario the difference is taken to, if not the claim's first

    def describe(self) -> str:
        minus = f" minus '{self.against}'" if self.against else " minus the reference"
        what = f"{self.kpi} of '{self.scenario}'" + (minus if self.diff else "")
        if math.isinf(self.low):
            return f"{what} < {self.high:g}"
        if math.isinf(self.high):
            return f"{what} > {self.low:g}"
        return f"{self.low:g} ≤ {what} ≤ {self.high:g}"


@dataclass(frozen=True)
class Claim:
    """One claim: what is said, where, the scenarios that show it and the checks that hold."""

    key: str
    says: str
    where: str
    conditions: str
    scenarios: dict[str, Scenario]
    checks: tuple[Check, ...]
    replications: int = 20
    seed: int = 1
    derived: dict[str, Callable[[pd.DataFrame], pd.Series]] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return next(iter(self.scenarios))


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "baseline-nps",
        "The baseline day's NPS is plausible: between 15 and 35 (published US industry averages "
        "run from about 0 to 43).",
        "docs/model.md (mechanism 15); workbook 00",
        "baseline preset",
        {"baseline": BASELINE},
        (Check("baseline", "nps", 15.0, 35.0, diff=False),),
    ),
    Claim(
        "northbrook-today",
        "Northbrook today, on the numbers of Dana's brief: an NPS of about 28, a cost per "
        "resolved issue of about 5.80 (4.10 per contact), and about three in four calls answered "
        "within 20 seconds: it misses the brief on cost only.",
        "the facilitator's kit (slides, handout, assessment); workbook 00's scorecard",
        "baseline preset",
        {"Northbrook today": BASELINE},
        (
            Check("Northbrook today", "nps", 24.0, 33.0, diff=False),
            Check("Northbrook today", "cost_per_resolution", 5.2, 6.2, diff=False),
            Check("Northbrook today", "cost_per_contact", 3.8, 4.4, diff=False),
            Check("Northbrook today", "service_level", 0.65, 0.85, diff=False),
        ),
    ),
    Claim(
        "best-service-nps",
        "Even the best service the levers allow stays below the best companies' scores: NPS "
        "between 50 and 80.",
        "docs/model.md (mechanism 15)",
        "40 agents, 3 care minutes, accountability appointment, skill 1.3, team trust 1, no bot, "
        "no hostility, incidents, pressure or defects",
        {"best service": BEST_SERVICE},
        (Check("best service", "nps", 50.0, 80.0, diff=False),),
        replications=10,
    ),
    Claim(
        "half-minute-of-care",
        "Half a minute of care moves the baseline NPS by at most 10 points: care matters, but "
        "it does not swamp resolution.",
        "docs/model.md (mechanism 15)",
        "baseline with care 0 against care 0.5",
        {
            "care 0": BASELINE.replace(care_minutes=0.0),
            "care 0.5": BASELINE.replace(care_minutes=0.5),
        },
        (Check("care 0.5", "nps", 0.0, 10.0),),
    ),
    Claim(
        "causes-process",
        "A team too small for its demand makes Process the largest cause of detractors.",
        "workbook 06; docs/facilitator.md",
        "baseline with 26 agents",
        {"understaffed": BASELINE.replace(agents=26)},
        (Check("understaffed", "process_margin", 0.0, diff=False),),
        replications=10,
        derived={"process_margin": margin("process")},
    ),
    Claim(
        "causes-rules",
        "Pushing customers through a bot they did not want makes Rules the largest cause.",
        "workbooks 03 and 06",
        "every contact sent to the bot, 80 % of customers would rather talk to a person, no "
        "human offered",
        {"forced bot": BASELINE.replace(bot_share=1.0, human_preference=0.8)},
        (Check("forced bot", "rules_margin", 0.0, diff=False),),
        replications=10,
        derived={"rules_margin": margin("rules")},
    ),
    Claim(
        "causes-presentation",
        "Competent but uncaring service makes Presentation the largest cause.",
        "workbooks 04 and 06",
        "no care minutes, resolution 0.95, no bot, no defects, 36 agents",
        {
            "no care": BASELINE.replace(
                care_minutes=0.0,
                resolution_probability=0.95,
                defect_share=0.0,
                bot_share=0.0,
                agents=36,
            )
        },
        (Check("no care", "presentation_margin", 0.0, diff=False),),
        replications=10,
        derived={"presentation_margin": margin("presentation")},
    ),
    Claim(
        "causes-product",
        "A bad product makes Product the largest cause, whatever the service.",
        "workbook 06",
        "60 % of issues from product defects",
        {"bad product": BASELINE.replace(defect_share=0.6)},
        (Check("bad product", "product_margin", 0.0, diff=False),),
        replications=10,
        derived={"product_margin": margin("product")},
    ),
    Claim(
        "causes-people",
        "Promises broken by low accountability make People the largest cause for a small loyal "
        "customer base over days, and keeping them is worth more than 20 NPS points there; at "
        "baseline People stays small.",
        "workbooks 04 and 06; docs/facilitator.md",
        "five days of 11 agents and 100 loyal customers, 80 % of contacts end in a promise, "
        "accountability 'heard'; the baseline day",
        {
            "committed": small_desk(),
            "heard": small_desk(accountability="heard"),
            "baseline": BASELINE,
        },
        (
            Check("heard", "people_margin", 0.0, diff=False),
            Check("heard", "detractors_people", 0.3),
            Check("heard", "nps", high=-20.0),
            Check("baseline", "detractors_people", high=0.05, diff=False),
        ),
        replications=10,
        derived={"people_margin": margin("people")},
    ),
    Claim(
        "erosion-needs-a-spike",
        "With eroding standards, days at normal pressure keep their standard (at least 95 % of it "
        "after five days), and a demand spike leaves a lasting mark on the standard, FCR and NPS "
        "of day 3; without erosion the team recovers (day 3's NPS within 2.5 points of a day 3 "
        "without the spike, and its FCR above the eroding team's after the same spike).",
        "workbook 02; docs/model.md (mechanism 7); docs/facilitator.md",
        "baseline days open 8 hours, nights closed, erosion time 1 hour; the spike is 420 "
        "issues an hour in hours 3-4 of day 1",
        {
            "no spike, 5 days": days(5, False),
            "no spike, 3 days": days(3, False),
            "spike, 3 days": days(3, True),
            "no spike, no erosion": days(3, False, standards_erode=False),
            "spike, no erosion": days(3, True, standards_erode=False),
        },
        (
            Check("no spike, 5 days", "standard_minutes", 0.95 * 4.5, diff=False),
            Check("spike, 3 days", "standard_minutes", high=0.0),
            Check("spike, 3 days", "fcr", high=0.0),
            Check("spike, 3 days", "nps", high=0.0),
            Check("spike, no erosion", "fcr", 0.0, against="spike, 3 days"),
            Check("spike, no erosion", "nps", -2.5, 2.5, against="no spike, no erosion"),
        ),
    ),
    Claim(
        "rework",
        "Chasing a tight target costs more agent work per resolved issue than not cutting at all.",
        "workbooks 01 and 02; CONCEPTS idea 1",
        "baseline with no corner cutting against a 1-minute target chased fully",
        {
            "no cutting": BASELINE.replace(pressure_sensitivity=0.0),
            "target 1, chased": BASELINE.replace(
                handle_target_minutes=1.0, pressure_sensitivity=1.0
            ),
        },
        (Check("target 1, chased", "work_per_resolution_minutes", 0.0),),
    ),
    Claim(
        "rework-near-capacity",
        "Near capacity, the rework of cut corners lengthens waits.",
        "workbook 02",
        "27 agents: no cutting against a 2.5-minute target chased fully",
        {
            "no cutting, 27": BASELINE.replace(pressure_sensitivity=0.0, agents=27),
            "target 2.5, 27": BASELINE.replace(
                agents=27, handle_target_minutes=2.5, pressure_sensitivity=1.0
            ),
        },
        (
            Check("target 2.5, 27", "asa_seconds", 0.0),
            Check("target 2.5, 27", "work_per_resolution_minutes", 0.0),
        ),
    ),
    Claim(
        "care-costs-work",
        "At the defaults caring costs capacity: more care means more agent work per resolved "
        "issue.",
        "workbook 04; CONCEPTS idea 4",
        "baseline, care 1 against 2 minutes",
        {
            "care 1": BASELINE.replace(care_minutes=1.0),
            "care 2": BASELINE.replace(care_minutes=2.0),
        },
        (Check("care 2", "work_per_resolution_minutes", 0.0),),
    ),
    Claim(
        "care-pays-on-long-poor-contacts",
        "On long contacts that resolve poorly, caring lowers the work per resolved issue.",
        "workbook 04",
        "a 12-minute desk resolving half its contacts (50 issues an hour, 16 agents, no bot), "
        "care 1 against 2 minutes",
        {
            "long, care 1": BASELINE.replace(
                need_minutes=12.0,
                resolution_probability=0.5,
                arrivals_per_hour=50.0,
                agents=16,
                bot_share=0.0,
                care_minutes=1.0,
            ),
            "long, care 2": BASELINE.replace(
                need_minutes=12.0,
                resolution_probability=0.5,
                arrivals_per_hour=50.0,
                agents=16,
                bot_share=0.0,
                care_minutes=2.0,
            ),
        },
        (Check("long, care 2", "work_per_resolution_minutes", high=0.0),),
    ),
    Claim(
        "enps",
        "The team's eNPS sits below the all-industry benchmark of +27 at baseline, is negative "
        "when the team does not trust its manager and positive when it does.",
        "docs/model.md (mechanism 10); workbook 05",
        "baseline, team trust 0.5 (baseline), 0 and 1",
        {
            "baseline": BASELINE,
            "no trust": BASELINE.replace(team_trust=0.0),
            "full trust": BASELINE.replace(team_trust=1.0),
        },
        (
            Check("baseline", "enps", high=27.0, diff=False),
            Check("no trust", "enps", high=0.0, diff=False),
            Check("full trust", "enps", 0.0, diff=False),
        ),
        replications=30,
    ),
    Claim(
        "bot-cost",
        "Sending more contacts to the bot without cutting staff does not lower cost per "
        "contact (cost is agent hours: the agents are paid either way, now with less to do); "
        "the bot saves money only when staff are cut to match, as in bots-first.",
        "workbook 03; docs/facilitator.md",
        "baseline (30 % to the bot, 30 agents) against bots-first with its 16 agents and with "
        "the baseline's 30",
        {
            "baseline": BASELINE,
            "bots first, 30 agents": presets.load("bots-first").replace(agents=30),
            "bots first": presets.load("bots-first"),
        },
        (
            Check("bots first, 30 agents", "cost_per_contact", 0.0),
            Check("bots first, 30 agents", "occupancy", high=0.0),
            Check("bots first", "cost_per_contact", high=0.0),
        ),
    ),
    Claim(
        "waits-explode",
        "Waits grow slowly and then explode as occupancy nears 1: near full load, each agent "
        "removed adds more wait than the one before.",
        "appendix workbook 08; docs/facilitator.md (debrief 1)",
        "the erlang preset (200 calls an hour, 3 minutes, no behaviour) with 16, 14, 13 and 12 "
        "agents",
        {
            "16 agents": presets.load("erlang").replace(agents=16),
            "14 agents": presets.load("erlang").replace(agents=14),
            "12 agents": presets.load("erlang").replace(agents=12),
        },
        (
            Check("14 agents", "asa_seconds", 0.0),
            Check("12 agents", "asa_seconds", 0.0),
        ),
        replications=10,
    ),
    Claim(
        "bare-queue-presentation",
        "With the human side switched off (the erlang preset: every call solved, no care "
        "minutes), most detractors are under Presentation: solved, but rushed and impersonal.",
        "appendix workbook 08",
        "the erlang preset",
        {"erlang": presets.load("erlang")},
        (Check("erlang", "detractors_presentation", 0.5, diff=False),),
        replications=10,
    ),
    Claim(
        "caring-needs-capacity",
        "More care raises first-contact resolution whatever the staffing, but raises NPS only "
        "with agents to spare; with too few, the queue eats the gain.",
        "workbook 04; docs/facilitator.md (debrief 5)",
        "care 1 against 3 minutes with 36 agents and with 26",
        {
            "care 1, 36 agents": BASELINE.replace(agents=36),
            "care 3, 36 agents": BASELINE.replace(agents=36, care_minutes=3.0),
            "care 1, 26 agents": BASELINE.replace(agents=26),
            "care 3, 26 agents": BASELINE.replace(agents=26, care_minutes=3.0),
        },
        (
            Check("care 3, 36 agents", "fcr", 0.0),
            Check("care 3, 36 agents", "nps", 0.0),
            Check("care 3, 26 agents", "fcr", 0.0, against="care 1, 26 agents"),
            Check("care 3, 26 agents", "asa_seconds", 20.0, against="care 1, 26 agents"),
            Check("care 3, 26 agents", "nps", high=0.0, against="care 1, 26 agents"),
        ),
        replications=10,
    ),
    Claim(
        "accountability-ladder",
        "Higher accountability keeps more promises and raises NPS at every step of the ladder.",
        "workbook 04; docs/facilitator.md (debrief 6)",
        "baseline at each accountability level",
        {
            level: BASELINE.replace(accountability=level)
            for level in ("heard", "committed", "appointment")
        },
        (
            Check("committed", "nps", 0.0),
            Check("appointment", "nps", 0.0),
            Check("appointment", "broken_promises", high=-0.5),
        ),
        replications=10,
    ),
    Claim(
        "team-trust",
        "When the team trusts its manager, more agents are engaged, the customers' NPS is "
        "higher and so is the eNPS.",
        "workbook 05; docs/facilitator.md (debrief 7)",
        "baseline with team trust 0 against 1",
        {
            "no trust": BASELINE.replace(team_trust=0.0),
            "full trust": BASELINE.replace(team_trust=1.0),
        },
        (
            Check("full trust", "engaged_share", 0.2),
            Check("full trust", "nps", 0.0),
            Check("full trust", "enps", 0.0),
        ),
        replications=20,
    ),
    Claim(
        "bad-product",
        "Service cannot fully make up for a bad product: the best service wins back part of "
        "what the defects cost, but the bad product stays below the good product's NPS with "
        "ordinary service.",
        "workbook 06; docs/facilitator.md (debrief 9)",
        "the bad-product preset, with and without 45 agents and 4 care minutes, against the "
        "baseline",
        {
            "baseline": BASELINE,
            "bad product": presets.load("bad-product"),
            "bad product, best service": presets.load("bad-product").replace(
                agents=45, care_minutes=4.0
            ),
        },
        (
            Check("bad product", "nps", high=0.0),
            Check("bad product, best service", "nps", high=0.0),
            Check("bad product, best service", "nps", 0.0, against="bad product"),
        ),
        replications=10,
    ),
    Claim(
        "new-customers-first",
        "Serving new customers first costs the loyal customers' NPS.",
        "workbook 06; docs/facilitator.md (debrief 10)",
        "the new-customers-first preset against the baseline",
        {"baseline": BASELINE, "new customers first": presets.load("new-customers-first")},
        (Check("new customers first", "nps_loyal", high=0.0),),
        replications=10,
    ),
    Claim(
        "fewer-agents",
        "With 25 agents instead of 30, waits grow and the NPS falls below 20.",
        "workbook 00 (exercise)",
        "baseline with 30 and with 25 agents",
        {"30 agents": BASELINE, "25 agents": BASELINE.replace(agents=25)},
        (
            Check("25 agents", "nps", high=0.0),
            Check("25 agents", "nps", high=20.0, diff=False),
            Check("25 agents", "asa_seconds", 0.0),
        ),
        replications=10,
    ),
    Claim(
        "protect-quality",
        "In cut-corners, loosening the target to the time issues need, or not chasing it, "
        "brings the NPS back above 25; more caring does not help there.",
        "workbook 02 (exercise)",
        "cut-corners against the same with a 4.5-minute target, with corner cutting 0, and "
        "with 2 care minutes",
        {
            "cut-corners": presets.load("cut-corners"),
            "target 4.5": presets.load("cut-corners").replace(handle_target_minutes=4.5),
            "no cutting": presets.load("cut-corners").replace(pressure_sensitivity=0.0),
            "care 2": presets.load("cut-corners").replace(care_minutes=2.0),
        },
        (
            Check("target 4.5", "nps", 25.0, diff=False),
            Check("no cutting", "nps", 25.0, diff=False),
            Check("care 2", "nps", high=0.0),
        ),
        replications=10,
    ),
    Claim(
        "offer-a-human-needs-agents",
        "Offering a human in a bot-first centre lowers the NPS when the few agents cannot "
        "answer the callers it brings (waits grow by more than 30 seconds and more than a "
        "quarter of those who queue hang up); with 24 agents it wins back NPS.",
        "workbook 03; docs/facilitator.md (debrief 4)",
        "bots-first with 16 and with 24 agents, a human offered or not",
        {
            "bots-first": presets.load("bots-first"),
            "human offered": presets.load("bots-first").replace(always_offer_human=True),
            "24 agents": presets.load("bots-first").replace(agents=24),
            "24 agents, human offered": presets.load("bots-first").replace(
                agents=24, always_offer_human=True
            ),
        },
        (
            Check("human offered", "nps", high=0.0),
            Check("human offered", "asa_seconds", 30.0),
            Check("human offered", "abandonment_rate", 0.25, diff=False),
            Check("24 agents, human offered", "nps", 5.0, against="24 agents"),
        ),
        replications=10,
    ),
    Claim(
        "better-bot",
        "A bot that keeps more conversations, or that less often only seems to solve the "
        "problem, lifts the NPS; fewer false containments also lift first-contact resolution.",
        "workbook 03 (exercise)",
        "baseline against containment 0.9 and against false containment 0.05",
        {
            "baseline": BASELINE,
            "containment 0.9": BASELINE.replace(bot_containment=0.9),
            "false containment 0.05": BASELINE.replace(bot_false_containment=0.05),
        },
        (
            Check("containment 0.9", "nps", 0.0),
            Check("containment 0.9", "mean_wait_seconds", high=0.0),
            Check("false containment 0.05", "nps", 0.0),
            Check("false containment 0.05", "fcr", 0.0),
        ),
        replications=10,
    ),
    Claim(
        "checkins-need-spare-time",
        "Proactive check-ins raise trust but, with a team without spare time, lengthen the waits "
        "of customers with real problems and lower the NPS.",
        "workbook 04",
        "baseline against proactive-checkins",
        {"baseline": BASELINE, "check-ins": presets.load("proactive-checkins")},
        (
            Check("check-ins", "mean_trust", 0.0),
            Check("check-ins", "asa_seconds", 0.0),
            Check("check-ins", "nps", high=0.0),
        ),
        replications=10,
    ),
    Claim(
        "inside-out",
        "A team that does not trust its manager has fewer engaged agents, a lower eNPS and "
        "NPS; internal outages become customer waits; tolerated abuse wears the team down and "
        "lowers the customers' NPS too.",
        "workbook 05",
        "baseline against low-trust-team, internal-outages and hostile-customers",
        {
            name: presets.load(name)
            for name in ("baseline", "low-trust-team", "internal-outages", "hostile-customers")
        },
        (
            Check("low-trust-team", "engaged_share", high=0.0),
            Check("low-trust-team", "enps", high=0.0),
            Check("low-trust-team", "nps", high=0.0),
            Check("internal-outages", "asa_seconds", 0.0),
            Check("internal-outages", "nps", high=0.0),
            Check("hostile-customers", "enps", high=0.0),
            Check("hostile-customers", "nps", high=0.0),
        ),
        replications=10,
    ),
    Claim(
        "internal-service-agreement",
        "A one-hour repair agreement (no one down more than an hour) gives the internal-outages "
        "team back about one agent on the floor, shortens waits by about 12 seconds, and raises "
        "the NPS by about 5 points.",
        "workbook 05",
        "the internal-outages preset with and without a 60-minute repair cap",
        {
            "no agreement": presets.load("internal-outages"),
            "one-hour agreement": presets.load("internal-outages").replace(repair_sla_minutes=60.0),
        },
        (
            Check("one-hour agreement", "agents_down", -2.0, -0.5),
            Check("one-hour agreement", "asa_seconds", -20.0, -5.0),
            Check("one-hour agreement", "abandonment_rate", high=0.0),
            Check("one-hour agreement", "nps", 2.0, 9.0),
        ),
        replications=10,
    ),
    Claim(
        "end-abuse-politely",
        "Ending abusive contacts politely protects the team (eNPS up, waits down) and raises "
        "the NPS of everyone else; only the abusive customers' own score falls, and the "
        "overall NPS moves little.",
        "workbook 05 (exercise)",
        "baseline (3 % abusive contacts), tolerated against ended politely",
        {
            "tolerate": BASELINE,
            "end politely": BASELINE.replace(abuse_policy="end_politely"),
        },
        (
            Check("end politely", "enps", 0.0),
            Check("end politely", "asa_seconds", high=0.0),
            Check("end politely", "nps_others", 0.0),
            Check("end politely", "nps_abusive", high=-50.0),
            Check("end politely", "nps", -3.0, 3.0),
        ),
        replications=20,
    ),
    Claim(
        "rudeness-or-abuse",
        "Tolerating rudeness costs the team little; tolerating abuse costs it much more.",
        "workbook 05; docs/model.md (mechanism 13)",
        "baseline without difficult customers, with only its 10 % rude contacts, and with only "
        "its 3 % abusive ones (tolerated)",
        {
            "calm": BASELINE.replace(hostile_share=0.0, rude_share=0.0),
            "rude only": BASELINE.replace(hostile_share=0.0),
            "abusive only": BASELINE.replace(rude_share=0.0),
        },
        (
            Check("rude only", "enps", -8.0, 8.0),
            Check("abusive only", "enps", high=-5.0),
            Check("abusive only", "enps", high=0.0, against="rude only"),
            Check("abusive only", "enps", -22.0, -9.0),
        ),
        replications=20,
    ),
    Claim(
        "product-recovery",
        "If excellent service could win back a defect's damage (service recovery 1), the best "
        "service would recover most of what a bad product costs; with no recovery (the "
        "default) it wins back only part.",
        "workbook 06; docs/model.md (mechanism 12)",
        "the bad-product preset with 45 agents and 4 care minutes, service recovery 0 and 1, "
        "against the baseline with the same service",
        {
            "good product, best service": BASELINE.replace(agents=45, care_minutes=4.0),
            "bad product, best service": presets.load("bad-product").replace(
                agents=45, care_minutes=4.0
            ),
            "bad product, best service, recovery 1": presets.load("bad-product").replace(
                agents=45, care_minutes=4.0, defect_recovery=1.0
            ),
        },
        (
            Check("bad product, best service", "nps", high=-15.0),
            Check("bad product, best service, recovery 1", "nps", -10.0, 0.0),
            Check(
                "bad product, best service, recovery 1",
                "nps",
                15.0,
                against="bad product, best service",
            ),
        ),
        replications=10,
    ),
    Claim(
        "more-care-in-the-lab",
        "Raising care from 1 to 2 minutes in the baseline raises first-contact resolution, "
        "lowers repeat contacts, lengthens the wait to answer and raises the NPS; the cost per "
        "resolved issue rises less than the cost per contact.",
        "workbook 07 (exercise)",
        "baseline with care 1 against 2 minutes",
        {"now": BASELINE, "more care": BASELINE.replace(care_minutes=2.0)},
        (
            Check("more care", "fcr", 0.0),
            Check("more care", "repeat_rate", high=0.0),
            Check("more care", "asa_seconds", 0.0),
            Check("more care", "nps", 0.0),
            Check("more care", "cost_per_resolution", 0.0),
            Check("more care", "contact_minus_resolution_cost", 0.0),
        ),
        replications=10,
        derived={
            "contact_minus_resolution_cost": lambda runs: (
                runs["cost_per_contact"] - runs["cost_per_resolution"]
            )
        },
    ),
    Claim(
        "presets",
        "Each lesson preset moves its headline the way its description says: cut-corners gives "
        "shorter contacts, more repeats and lower FCR; erosion-spike a lower standard and FCR on "
        "day 3; bots-first a lower cost per contact; caring-culture a higher FCR; "
        "low-trust-team about 1 agent in 12 engaged; broken-promises about 1 promise in 10 "
        "kept; bad-product a lower NPS; new-customers-first a lower loyal NPS; "
        "internal-outages agents down; hostile-customers a lower eNPS; proactive-checkins about "
        "60 check-ins an hour and more trust. The baseline has about 350 contacts an hour.",
        "README (Lessons as presets; Run it); the presets' descriptions (`servicesim presets`)",
        "every lesson preset against the baseline (8-hour days, erosion-spike's day 3)",
        {"baseline": BASELINE, **{name: presets.load(name) for name in LESSON_PRESETS}},
        (
            Check("baseline", "contacts", 8 * 325.0, 8 * 375.0, diff=False),
            Check("cut-corners", "mean_handle_minutes", high=0.0),
            Check("cut-corners", "repeat_rate", 0.0),
            Check("cut-corners", "fcr", high=0.0),
            Check("erosion-spike", "standard_minutes", high=0.0),
            Check("erosion-spike", "fcr", high=0.0),
            Check("bots-first", "cost_per_contact", high=0.0),
            Check("caring-culture", "fcr", 0.0),
            Check("low-trust-team", "engaged_share", 0.04, 0.13, diff=False),
            Check("broken-promises", "broken_promises", 0.85, 0.95, diff=False),
            Check("bad-product", "nps", high=0.0),
            Check("new-customers-first", "nps_loyal", high=0.0),
            Check("internal-outages", "agents_down", 0.0),
            Check("hostile-customers", "enps", high=0.0),
            Check("proactive-checkins", "checkins", 8 * 48.0, 8 * 66.0, diff=False),
            Check("proactive-checkins", "mean_trust", 0.0),
        ),
        replications=10,
    ),
    Claim(
        "every-cut-adds-work",
        "Cutting time costs more work than it saves from the first cut on: every tighter "
        "target shortens contacts, adds repeats and work per resolved issue, and lowers NPS.",
        "workbook 02 (summary)",
        "baseline, targets chased fully (corner cutting 1): 4.5, 3.5, 2.5 and 1.5 minutes",
        {f"target {t:g}": chased(t) for t in (4.5, 3.5, 2.5, 1.5)},
        tuple(
            Check(f"target {tight:g}", kpi, *bounds, against=f"target {loose:g}")
            for loose, tight in ((4.5, 3.5), (3.5, 2.5), (2.5, 1.5))
            for kpi, bounds in (
                ("mean_handle_minutes", (-math.inf, 0.0)),
                ("repeat_rate", (0.0, math.inf)),
                ("work_per_resolution_minutes", (0.0, math.inf)),
                ("nps", (-math.inf, 0.0)),
            )
        ),
    ),
    Claim(
        "engagement-follows-trust",
        "About 1 agent in 2 is engaged when the team trusts its manager to keep commitments, "
        "about 1 in 12 when it does not.",
        "workbook 05",
        "a one-hour shift of 200 agents (so shares are measured finely), no hostile contacts, "
        "team trust 1 and 0",
        {
            "full trust": BIG_TEAM.replace(team_trust=1.0),
            "no trust": BIG_TEAM.replace(team_trust=0.0),
        },
        (
            Check("full trust", "engaged_share", 0.45, 0.55, diff=False),
            Check("no trust", "engaged_share", 0.05, 0.12, diff=False),
        ),
    ),
    Claim(
        "every-issue-scored",
        "Every issue is scored: the default drain gives the same NPS as scoring every issue "
        "however long it takes (within 1 point), while scoring open issues at the horizon "
        "would not.",
        "docs/model.md (mechanism 5)",
        "baseline and cut-corners with the default 24-hour drain, a 168-hour drain and none",
        {
            "cut-corners, 168 h": presets.load("cut-corners").replace(drain_hours=168.0),
            "cut-corners": presets.load("cut-corners"),
            "cut-corners, no drain": presets.load("cut-corners").replace(drain_hours=0.0),
            "baseline": BASELINE,
            "baseline, 168 h": BASELINE.replace(drain_hours=168.0),
        },
        (
            Check("cut-corners", "nps", -1.0, 1.0),
            Check("cut-corners, no drain", "nps", high=-1.0),
            Check("baseline", "nps", -1.0, 1.0, against="baseline, 168 h"),
        ),
        replications=10,
    ),
    Claim(
        "northbrook-waits-explode",
        "At Northbrook each step of two agents cut costs more waiting than the step before: "
        "32 to 30 agents adds about 6 seconds, 28 to 26 about 15, 24 to 22 about 22; and "
        "hang-ups grow from about 1 caller in 100 (34 agents) to 1 in 4 (22).",
        "workbook 01",
        "baseline with 34 down to 22 agents",
        {f"{n} agents": BASELINE.replace(agents=n) for n in (34, 32, 30, 28, 26, 24, 22)},
        (
            Check("30 agents", "asa_seconds", 4.0, 8.0, against="32 agents"),
            Check("26 agents", "asa_seconds", 10.0, 20.0, against="28 agents"),
            Check("22 agents", "asa_seconds", 17.0, 28.0, against="24 agents"),
            Check("34 agents", "abandonment_rate", high=0.02, diff=False),
            Check("22 agents", "abandonment_rate", 0.22, 0.30, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "nobody-hangs-up",
        "If nobody hung up, Northbrook's queue would run away below about 30 agents: the "
        "average wait to answer is about 1.5 minutes with 30, 6 with 28 and more than 20 with "
        "24 agents, against under 40 seconds with 32 or more.",
        "workbook 01",
        "baseline with patience infinite, 34 down to 24 agents",
        {
            f"{n} agents": BASELINE.replace(agents=n, patience_minutes=math.inf)
            for n in (34, 32, 30, 28, 24)
        },
        (
            Check("32 agents", "asa_seconds", high=40.0, diff=False),
            Check("30 agents", "asa_seconds", 60.0, 140.0, diff=False),
            Check("28 agents", "asa_seconds", 200.0, 520.0, diff=False),
            Check("24 agents", "asa_seconds", 1200.0, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "staff-for-a-service-level",
        "Northbrook needs 32 agents for 80 % of calls answered within 20 seconds (30 answer "
        "about 74 %); if issues need 5 minutes instead of 4.5, it needs 34 (33 answer about "
        "78 %).",
        "workbook 01 (exercise)",
        "baseline with 30 and 32 agents; with 5-minute issues, 33 and 34 agents",
        {
            "30 agents": BASELINE.replace(agents=30),
            "32 agents": BASELINE.replace(agents=32),
            "33 agents, 5 min": BASELINE.replace(agents=33, need_minutes=5.0),
            "34 agents, 5 min": BASELINE.replace(agents=34, need_minutes=5.0),
        },
        (
            Check("30 agents", "service_level", high=0.8, diff=False),
            Check("32 agents", "service_level", 0.8, diff=False),
            Check("33 agents, 5 min", "service_level", high=0.8, diff=False),
            Check("34 agents, 5 min", "service_level", 0.8, diff=False),
        ),
        replications=20,
    ),
    Claim(
        "staffing-alone-misses-the-brief",
        "Staffing alone cannot meet Dana's brief: two more agents raise the cost per resolved "
        "issue further above 5.20, two fewer cost NPS below 28.",
        "workbook 01 (scorecard)",
        "baseline with 30, 32 and 28 agents",
        {
            "30 agents": BASELINE,
            "32 agents": BASELINE.replace(agents=32),
            "28 agents": BASELINE.replace(agents=28),
        },
        (
            Check("32 agents", "cost_per_resolution", 5.2, diff=False),
            Check("28 agents", "nps", high=28.0, diff=False),
            Check("28 agents", "cost_per_resolution", 5.2, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "erosion-spike-day-3",
        "In the erosion-spike preset, two days after the spike the eroding team's standard is "
        "about 0.4 minutes lower, its calls about 0.3 minutes shorter, its first-contact "
        "resolution about 7 points and its NPS about 7 points lower than without erosion.",
        "workbook 02",
        "the erosion-spike preset with and without erosion (day 3)",
        {
            "no erosion": SPIKE.replace(standards_erode=False),
            "erosion": SPIKE,
        },
        (
            Check("erosion", "standard_minutes", -0.5, -0.25),
            Check("erosion", "mean_handle_minutes", -0.45, -0.15),
            Check("erosion", "fcr", -0.10, -0.04),
            Check("erosion", "nps", -10.0, -4.0),
        ),
        replications=10,
    ),
    Claim(
        "corner-cutting-scorecard",
        "Against Dana's brief: agents who never cut corners lower Northbrook's cost per "
        "resolved issue and raise its NPS; a tight target chased fully (cut-corners) makes each "
        "contact cheaper but each resolved issue dearer, and misses every limit.",
        "workbook 02 (scorecard)",
        "baseline, baseline with corner cutting 0, the cut-corners preset",
        {
            "now": BASELINE,
            "no corner cutting": BASELINE.replace(pressure_sensitivity=0.0),
            "cut-corners": presets.load("cut-corners"),
        },
        (
            Check("no corner cutting", "cost_per_resolution", high=0.0),
            Check("no corner cutting", "nps", 0.0),
            Check("cut-corners", "cost_per_contact", high=0.0),
            Check("cut-corners", "cost_per_resolution", 0.0),
            Check("cut-corners", "cost_per_resolution", 5.2, diff=False),
            Check("cut-corners", "nps", high=28.0, diff=False),
            Check("cut-corners", "service_level", high=0.7, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "keep-the-saving",
        "Bots first with a human offered keeps the saving and the NPS with about 26 agents: "
        "NPS 28 or more, a contact about 13 % cheaper than today, a resolved issue below 5.20 "
        "and 90 % answered within 20 seconds, so it meets Dana's brief; with 22 agents the NPS "
        "falls below 28.",
        "workbook 03 (exercise and scorecard)",
        "baseline against bots-first with always_offer_human and 26 or 22 agents",
        {
            "now": BASELINE,
            "offered, 26": presets.load("bots-first").replace(always_offer_human=True, agents=26),
            "offered, 22": presets.load("bots-first").replace(always_offer_human=True, agents=22),
        },
        (
            Check("offered, 26", "nps", 28.0, diff=False),
            Check("offered, 26", "cost_per_contact", -0.7, -0.4),
            Check("offered, 26", "cost_per_resolution", high=5.2, diff=False),
            Check("offered, 26", "service_level", 0.85, diff=False),
            Check("offered, 22", "nps", high=28.0, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "retailer-nobody-calls",
        "A bot that really solves (95 % contained, 2 % falsely) for customers of whom few want "
        "a person (1 in 10) gives a bot-first centre with 16 agents a higher NPS than Northbrook "
        "today, at about two thirds of its cost per contact.",
        "workbook 03 (debrief question)",
        "baseline against bots-first with bot_containment 0.95, bot_false_containment 0.02, "
        "human_preference 0.1",
        {
            "now": BASELINE,
            "retailer": presets.load("bots-first").replace(
                bot_containment=0.95, bot_false_containment=0.02, human_preference=0.1
            ),
        },
        (
            Check("retailer", "nps", 3.0),
            Check("retailer", "cost_per_contact", -1.6, -1.1),
        ),
        replications=10,
    ),
    Claim(
        "hire-people-who-like-people",
        "Stronger hires (skill 1.15) solve more at the first contact, shorten the wait, lift "
        "the NPS by more than five points and lower the cost per resolved issue; weaker hires "
        "(0.85) do the opposite.",
        "workbook 04",
        "baseline with skill_mean 1, 0.85 and 1.15",
        {
            "hired as today": BASELINE,
            "weaker hires": BASELINE.replace(skill_mean=0.85),
            "stronger hires": BASELINE.replace(skill_mean=1.15),
        },
        (
            Check("stronger hires", "fcr", 0.0),
            Check("stronger hires", "asa_seconds", high=0.0),
            Check("stronger hires", "nps", 5.0),
            Check("stronger hires", "cost_per_resolution", high=0.0),
            Check("weaker hires", "fcr", high=0.0),
            Check("weaker hires", "nps", high=0.0),
            Check("weaker hires", "cost_per_resolution", 0.0),
        ),
        replications=10,
    ),
    Claim(
        "people-scorecard",
        "Against Dana's brief: the huddle (accountability 'appointment') raises the NPS with "
        "no change in cost per resolved issue; stronger hires raise it and lower the cost; "
        "neither alone brings the cost per resolved issue to 5.20.",
        "workbook 04 (scorecard)",
        "baseline, accountability appointment, skill_mean 1.15",
        {
            "now": BASELINE,
            "huddle": BASELINE.replace(accountability="appointment"),
            "stronger hires": BASELINE.replace(skill_mean=1.15),
        },
        (
            Check("huddle", "nps", 0.0),
            Check("huddle", "cost_per_resolution", -0.02, 0.02),
            Check("huddle", "cost_per_resolution", 5.2, diff=False),
            Check("stronger hires", "cost_per_resolution", 5.2, diff=False),
        ),
        replications=10,
    ),
    Claim(
        "tools-cost-the-most",
        "Of a team that distrusts its manager, tools that break twice a day and 15 % abusive "
        "customers, the broken tools cost Northbrook's customers the most NPS.",
        "workbook 05 (prediction)",
        "the baseline, low-trust-team, internal-outages and hostile-customers presets",
        {
            name: presets.load(name)
            for name in ("baseline", "low-trust-team", "internal-outages", "hostile-customers")
        },
        (
            Check("internal-outages", "nps", high=0.0, against="low-trust-team"),
            Check("internal-outages", "nps", high=0.0, against="hostile-customers"),
        ),
        replications=10,
    ),
    Claim(
        "inside-out-scorecard",
        "Against Dana's brief: a team that fully trusts its manager raises the NPS and lowers "
        "the cost per resolved issue a little; ending abuse politely lowers the overall NPS "
        "by about a point, to about 28, and raises the cost per resolved issue (ended "
        "contacts are not resolved).",
        "workbook 05 (scorecard)",
        "baseline, team_trust 1, abuse_policy end_politely",
        {
            "now": BASELINE,
            "trusting team": BASELINE.replace(team_trust=1.0),
            "abuse ended politely": BASELINE.replace(abuse_policy="end_politely"),
        },
        (
            Check("trusting team", "nps", 0.0),
            Check("trusting team", "cost_per_resolution", high=0.0),
            Check("abuse ended politely", "nps", high=0.0),
            Check("abuse ended politely", "cost_per_resolution", 0.0),
            Check("abuse ended politely", "nps", -2.5, 0.0),
        ),
        replications=20,
    ),
    Claim(
        "service-on-a-bad-product",
        "The best service (36 agents, 3 care minutes, appointments) lifts the bad product's NPS "
        "by about 14 points; even with full service recovery of defects it stays clearly below "
        "the same service on Northbrook's own product (about +33 against +42).",
        "workbook 06",
        "the bad-product preset with and without the best service, with defect_recovery 1, and "
        "the baseline with the best service",
        {
            "bad product": presets.load("bad-product"),
            "bad product, best service": presets.load("bad-product").replace(
                agents=36, care_minutes=3.0, accountability="appointment"
            ),
            "same, full recovery": presets.load("bad-product").replace(
                agents=36, care_minutes=3.0, accountability="appointment", defect_recovery=1.0
            ),
            "good product, best service": BASELINE.replace(
                agents=36, care_minutes=3.0, accountability="appointment"
            ),
        },
        (
            Check("bad product, best service", "nps", 10.0, 18.0),
            Check("same, full recovery", "nps", 15.0, against="bad product, best service"),
            Check("same, full recovery", "nps", high=-4.0, against="good product, best service"),
        ),
        replications=10,
    ),
    Claim(
        "fix-the-product-scorecard",
        "Against Dana's brief: fixing Northbrook's product lifts the NPS by about 4 points (half "
        "the defects) to 8 (none), but leaves the cost per resolved issue where it was.",
        "workbook 06 (scorecard)",
        "baseline with defect_share 0.1, 0.05 and 0",
        {
            "now": BASELINE,
            "half the defects": BASELINE.replace(defect_share=0.05),
            "no defects": BASELINE.replace(defect_share=0.0),
        },
        (
            Check("half the defects", "nps", 2.0),
            Check("no defects", "nps", 5.0),
            Check("half the defects", "cost_per_resolution", -0.03, 0.03),
            Check("no defects", "cost_per_resolution", -0.03, 0.03),
        ),
        replications=10,
    ),
    Claim(
        "two-answers-to-the-brief",
        "Two different designs meet Dana's brief (cost per resolved issue at most 5.20, NPS 28 "
        "or more, service level 70 % or more): bot first with a human offered and 26 agents; "
        "and the bot for 60 % with no corner cutting, 2 care minutes, appointments and 27 "
        "agents. Neither cuts the cost per contact by much (about 3.57 and 3.95 against 4.10).",
        "workbook 07 (exercise and scorecard)",
        "baseline against the two designs",
        {
            "now": BASELINE,
            "bot first, human offered": BASELINE.replace(
                bot_share=1.0, always_offer_human=True, agents=26
            ),
            "solve it first": BASELINE.replace(
                agents=27,
                care_minutes=2.0,
                bot_share=0.6,
                pressure_sensitivity=0.0,
                accountability="appointment",
            ),
        },
        tuple(
            check
            for design in ("bot first, human offered", "solve it first")
            for check in (
                Check(design, "cost_per_resolution", high=5.2, diff=False),
                Check(design, "nps", 28.0, diff=False),
                Check(design, "service_level", 0.7, diff=False),
                Check(design, "cost_per_contact", -0.7, 0.0),
            )
        ),
        replications=10,
    ),
)


@cache
def measured(key: str) -> pd.DataFrame:
    """The claim's runs, indexed by (scenario, replication), on common random numbers (once
    per process)."""
    claim = next(c for c in CLAIMS if c.key == key)
    if len(claim.scenarios) == 1:
        ((name, scenario),) = claim.scenarios.items()
        days = replicate(scenario, replications=claim.replications, seed=claim.seed)
        return pd.concat({name: days.runs}, names=["scenario"])
    return compare(claim.scenarios, replications=claim.replications, seed=claim.seed).runs


def statistics(claim: Claim, check: Check) -> pd.Series:
    """Mean and 95 % CI of what ``check`` bounds."""
    runs = measured(claim.key)
    extra = {name: fn(runs) for name, fn in claim.derived.items()}
    runs = runs.assign(**extra)
    mine = runs.loc[check.scenario]
    if check.diff:
        mine = mine - runs.loc[check.against or claim.reference].to_numpy()
    return confidence_table(mine[[check.kpi]]).loc[check.kpi]


def holds(claim: Claim, check: Check) -> bool:
    """Whether the whole interval lies inside the check's bounds."""
    row = statistics(claim, check)
    return bool(check.low < row["ci_low"] and row["ci_high"] < check.high)


def number(x: float) -> str:
    return f"{x:+.3g}" if abs(x) >= 0.001 else "0"


def render() -> str:
    """docs/lessons.md, from the measurements."""
    lines = [
        "# The lessons ledger",
        "",
        "Every claim about model behaviour that the workbooks, the facilitator guide, the README",
        "and the model card make, with the scenario that shows it, the number measured (mean",
        "and 95 % confidence interval over replications on common random numbers, fixed seed),",
        "the conditions under which it holds, and the test that checks it. Written by",
        "`python tests/ledger.py --write` from the code `tests/test_ledger.py` runs; that test",
        "fails when this file and the model disagree. Do not edit it by hand.",
        "",
    ]
    for claim in CLAIMS:
        lines += [
            f"## {claim.key}",
            "",
            claim.says,
            "",
            f"- Said in: {claim.where}",
            f"- Conditions: {claim.conditions}",
            f"- Runs: {claim.replications} replications, seed {claim.seed}; reference "
            f"'{claim.reference}'",
            f"- Test: `tests/test_ledger.py::test_claim_holds[{claim.key}]`",
            "",
            "| check | measured | 95 % CI | holds |",
            "|---|---|---|---|",
        ]
        for check in claim.checks:
            row = statistics(claim, check)
            lines.append(
                f"| {check.describe()} | {number(row['mean'])} | "
                f"[{number(row['ci_low'])}, {number(row['ci_high'])}] | "
                f"{'yes' if holds(claim, check) else 'NO'} |"
            )
        lines.append("")
    return "\n".join(lines)


def check_id(check: Check) -> str:
    """How the kit names a check: ``scenario:kpi``, or ``scenario-against:kpi`` for a
    difference to another than the claim's first scenario."""
    scenario = f"{check.scenario}-{check.against}" if check.against else check.scenario
    return f"{scenario}:{check.kpi}"


def render_values() -> str:
    """src/servicesim/kit/ledger.json: every check's measured mean and 95 % CI, by claim."""
    claims = {}
    for claim in CLAIMS:
        checks = {}
        for check in claim.checks:
            row = statistics(claim, check)
            checks[check_id(check)] = {
                "kpi": check.kpi,
                "difference": check.diff,
                "mean": round(float(row["mean"]), 6),
                "ci_low": round(float(row["ci_low"]), 6),
                "ci_high": round(float(row["ci_high"]), 6),
                "holds": holds(claim, check),
            }
        claims[claim.key] = {"says": claim.says, "where": claim.where, "checks": checks}
    return json.dumps(claims, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"rewrite {LEDGER}")
    args = parser.parse_args(argv)
    text = render()
    if args.write:
        LEDGER.write_text(text, encoding="utf-8")
        VALUES.write_text(render_values(), encoding="utf-8")
        print(f"wrote {LEDGER}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
