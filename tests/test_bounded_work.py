"""Bounded work: a run that could make more contacts than the per-run limit is refused before
it starts, naming the lever that drives it; the bound it is checked against holds in a run."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from servicesim import presets, simulate
from servicesim.scenario import MAX_CONTACTS_PER_RUN, MAX_ISSUES_PER_RUN

BASE = presets.load("baseline")

#: A retry storm a tester ran: a week of a busy line where nothing gets solved and everyone
#: calls back within minutes, up to 20 times (6.1 million contacts before the limit counted them).
STORM = {
    "arrivals_per_hour": 3000.0,
    "agents": 400,
    "horizon_hours": 100.0,
    "resolution_probability": 0.05,
    "max_attempts": 20,
    "repeat_delay_minutes": 2.0,
    "retry_after_abandon": 1.0,
}


def test_a_retry_storm_is_refused_before_it_runs_naming_max_attempts() -> None:
    with pytest.raises(ValueError) as error:
        BASE.replace(**STORM)
    message = str(error.value)
    assert message.startswith("max_attempts=20 with arrivals_per_hour=3000.0 over horizon_hours"), (
        message
    )
    assert "6,000,000 contacts" in message and f"{MAX_CONTACTS_PER_RUN:,}" in message, message
    assert "\n" not in message


def test_the_command_line_refuses_it_in_one_line_at_once() -> None:
    sets = [arg for k, v in STORM.items() for arg in ("--set", f"{k}={v}")]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "servicesim.cli", "run", "baseline", *sets],
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "max_attempts=20" in lines[0], done.stderr
    assert seconds < 20, f"refused only after {seconds:.1f} s"


def test_too_many_new_issues_name_the_rate_and_the_horizon() -> None:
    with pytest.raises(
        ValueError, match=rf"1,500,000 new issues .* at most {MAX_ISSUES_PER_RUN:,}"
    ):
        BASE.replace(arrivals_per_hour=5000.0, agents=600, horizon_hours=300.0, max_attempts=1)


def test_the_limit_itself_is_allowed_and_one_contact_more_is_not() -> None:
    # 2,000,000 contacts exactly: 100,000 new issues of up to 20 contacts.
    at_limit = BASE.replace(arrivals_per_hour=1000.0, horizon_hours=100.0, max_attempts=20)
    assert at_limit.contact_bound() == MAX_CONTACTS_PER_RUN
    with pytest.raises(ValueError, match=r"^max_attempts=20 .* 2,000,040 contacts"):
        at_limit.replace(checkins_per_hour=0.4)


def test_no_issue_makes_more_contacts_than_its_attempts() -> None:
    """The bound counts each issue at max_attempts contacts: in a storm some issues reach it
    (by abandoning, failing or a false containment) and none passes it."""
    storm = BASE.replace(
        horizon_hours=3.0,
        warmup_hours=0.0,
        arrivals_per_hour=300.0,
        resolution_probability=0.1,
        max_attempts=4,
        repeat_delay_minutes=5.0,
        retry_after_abandon=1.0,
        bot_share=0.5,
    )
    record = simulate(storm, seed=3).record
    attempts = [issue.attempts for issue in record.issues]
    assert max(attempts) == 4
    per_issue: dict[int, int] = {}
    for contact in record.contacts:
        per_issue[contact.issue.id] = per_issue.get(contact.issue.id, 0) + 1
    assert max(per_issue.values()) == 4
    assert len(record.contacts) <= len(record.issues) * storm.max_attempts
