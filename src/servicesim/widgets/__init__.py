"""ipywidgets panels built from the Scenario declarations: the only UI in servicesim."""

from .breakdowns import BreakdownScores
from .challenge import ChallengeBoard
from .controls import lever, levers, scenario_from
from .dashboard import Dashboard, erlang_beside
from .lab import Lab
from .prediction import Prediction

__all__ = [
    "BreakdownScores",
    "ChallengeBoard",
    "Dashboard",
    "Lab",
    "Prediction",
    "erlang_beside",
    "lever",
    "levers",
    "scenario_from",
]
