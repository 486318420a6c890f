"""servicesim: a SimPy model of a customer-service queue for coaching workshops.

The public API: build a :class:`Scenario` (or load a preset), then :func:`simulate` one day,
:func:`replicate` it, :func:`compare` set-ups on common random numbers, or :func:`sweep` a grid
of parameter values.
"""

from . import analytic, presets
from .experiment import Comparison, Replications, compare, replicate, simulate
from .results import KPI_INFO, Results
from .scenario import Scenario
from .sweeps import Sweep, load_sweep, sweep

__all__ = [
    "KPI_INFO",
    "Comparison",
    "Replications",
    "Results",
    "Scenario",
    "Sweep",
    "analytic",
    "compare",
    "load_sweep",
    "presets",
    "replicate",
    "simulate",
    "sweep",
]
__version__ = "0.1.0"
