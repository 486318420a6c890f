"""servicesim: a SimPy model of a customer-service queue for coaching workshops.

The public API: build a :class:`Scenario` (or load a preset), then :func:`simulate` one day,
:func:`replicate` it, or :func:`compare` set-ups on common random numbers.
"""

from . import analytic, presets
from .experiment import Comparison, Replications, compare, replicate, simulate
from .results import KPI_INFO, Results
from .scenario import Scenario

__all__ = [
    "KPI_INFO",
    "Comparison",
    "Replications",
    "Results",
    "Scenario",
    "analytic",
    "compare",
    "presets",
    "replicate",
    "simulate",
]
__version__ = "0.1.0"
