"""The lessons ledger (docs/lessons.md): every claim holds, and the file says what the model does.

The claims, their scenarios and their bounds live in ``tests/ledger.py``; each check is a 95 %
confidence interval over replications on common random numbers at a fixed seed, which must lie
inside the claim's bounds. The file is written from the same measurements, so a model change
that moves a number fails here until ``python tests/ledger.py --write`` is run and the moved
claims are reread.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import ledger

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("claim", ledger.CLAIMS, ids=[c.key for c in ledger.CLAIMS])
def test_claim_holds(claim: ledger.Claim) -> None:
    failed = []
    for check in claim.checks:
        row = ledger.statistics(claim, check)
        if not ledger.holds(claim, check):
            failed.append(
                f"{check.describe()}: {row['mean']:.4g} [{row['ci_low']:.4g}, {row['ci_high']:.4g}]"
            )
    assert not failed, f"{claim.key}: " + "; ".join(failed)


def test_the_ledger_file_says_what_the_model_measures() -> None:
    written = ledger.LEDGER.read_text(encoding="utf-8")
    assert written == ledger.render(), (
        "docs/lessons.md differs from the model: run `python tests/ledger.py --write`, then "
        "reread the claims whose numbers moved"
    )


def test_the_kits_numbers_are_the_ledgers() -> None:
    written = ledger.VALUES.read_text(encoding="utf-8")
    assert written == ledger.render_values(), (
        "src/servicesim/kit/ledger.json differs from the model: run `python tests/ledger.py "
        "--write`, then reread the kit's texts that quote the claims whose numbers moved"
    )


def test_every_claim_names_where_it_is_made_and_checks_something() -> None:
    keys = [c.key for c in ledger.CLAIMS]
    assert len(keys) == len(set(keys)), "claim keys must be unique"
    for claim in ledger.CLAIMS:
        assert claim.where and claim.conditions and claim.checks, claim.key
        for check in claim.checks:
            assert check.scenario in claim.scenarios, (claim.key, check.scenario)
            assert check.low < check.high, (claim.key, check)
            against = check.against or claim.reference
            assert against in claim.scenarios, (claim.key, check)
            assert not (check.diff and check.scenario == against), (claim.key, check)
