"""The model card matches the code: its parameter tables are those the declarations generate."""

from __future__ import annotations

from pathlib import Path

from servicesim import Scenario
from servicesim.modelcard import render

CARD = Path(__file__).resolve().parents[1] / "docs" / "model.md"


def test_parameter_tables_are_up_to_date() -> None:
    card = CARD.read_text(encoding="utf-8")
    assert render(card) == card, (
        "docs/model.md is out of date: run `python -m servicesim.modelcard docs/model.md`"
    )


def test_every_parameter_is_named_in_the_card_text() -> None:
    card = CARD.read_text(encoding="utf-8")
    prose = card.split("<!-- parameters:begin")[0]
    missing = [
        name
        for name in Scenario.FIELD_NAMES
        if name not in ("name", "description") and f"`{name}`" not in prose
    ]
    assert not missing, f"mechanisms in docs/model.md never mention: {missing}"
