"""The lessons ledger's measured numbers, and texts that quote them instead of typing them.

A quote is ``{ledger:CLAIM:SCENARIO:KPI}`` (``SCENARIO`` as the ledger names the check:
``24 agents``, or ``care 3, 26 agents-care 1, 26 agents`` for a difference to another than
the claim's first scenario). It becomes the measured mean in plain words: ``58 s``,
``+4.4`` for a difference. ``{ledger:CLAIM:SCENARIO:KPI:range}`` gives the 95 % interval
as well ("58 s (likely between 55 s and 61 s)").
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ..tables import plain_value

#: A quote in a kit text.
QUOTE = re.compile(r"\{ledger:([a-z0-9-]+):([^:{}]+):([a-z_]+)(:range)?\}")


@cache
def ledger() -> dict[str, Any]:
    """Every claim of the lessons ledger with its checks as measured (``ledger.json``)."""
    text = resources.files(__package__).joinpath("ledger.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def measured(claim: str, scenario: str, kpi: str) -> dict[str, Any]:
    """One check of the ledger as measured: mean, ci_low, ci_high, difference, holds."""
    claims = ledger()
    if claim not in claims:
        raise ValueError(f"the lessons ledger has no claim {claim!r}")
    checks = claims[claim]["checks"]
    key = f"{scenario}:{kpi}"
    if key not in checks:
        raise ValueError(
            f"claim {claim!r} has no check {key!r}; it has: {', '.join(sorted(checks))}"
        )
    found: dict[str, Any] = checks[key]
    return found


def quote(text: str) -> str:
    """``text`` with every ``{ledger:...}`` quote replaced by the measured value."""

    def one(match: re.Match[str]) -> str:
        claim, scenario, kpi, with_range = match.groups()
        check = measured(claim, scenario, kpi)
        signed = bool(check["difference"])
        value = plain_value(kpi, check["mean"], signed=signed)
        if not with_range:
            return value
        low = plain_value(kpi, check["ci_low"], signed=signed)
        high = plain_value(kpi, check["ci_high"], signed=signed)
        return f"{value} (likely between {low} and {high})"

    return QUOTE.sub(one, text)


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where ``quote(text)`` puts measured values: (start, end) in the quoted text."""
    spans, shift = [], 0
    for match in QUOTE.finditer(text):
        value = quote(match.group())
        start = match.start() + shift
        spans.append((start, start + len(value)))
        shift += len(value) - (match.end() - match.start())
    return spans


__all__ = ["QUOTE", "ledger", "measured", "quote", "quoted_spans"]
