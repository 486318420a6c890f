"""servicesim: a SimPy model of a customer-service queue for coaching workshops.

The public API: build a :class:`Scenario` or :func:`load` a preset or file, then
:func:`simulate` one day, :func:`replicate` it, :func:`compare` set-ups on common random
numbers, :func:`sweep` a grid of parameter values or find the :func:`staffing_curve`. Every
result saves itself (``.save(folder)``) and reads as a rounded table (:func:`kpi_table`).
"""

from . import analytic, presets
from .checks import DEFAULT_SEED
from .days import TrustByDay, trust_by_day, working_days
from .experiment import Comparison, Replications, compare, replicate, simulate
from .kpis import HEADLINE_KPIS, KPI_INFO
from .loading import load, loads
from .results import Results
from .scenario import Scenario
from .staffing import StaffingCurve, staffing_curve
from .sweeps import Sweep, SweepResult, load_sweep, sweep
from .tables import kpi_table

__all__ = [
    "DEFAULT_SEED",
    "HEADLINE_KPIS",
    "KPI_INFO",
    "Comparison",
    "Replications",
    "Results",
    "Scenario",
    "StaffingCurve",
    "Sweep",
    "SweepResult",
    "TrustByDay",
    "analytic",
    "compare",
    "kpi_table",
    "load",
    "load_sweep",
    "loads",
    "presets",
    "replicate",
    "simulate",
    "staffing_curve",
    "sweep",
    "trust_by_day",
    "working_days",
]
__version__ = "0.1.0"
