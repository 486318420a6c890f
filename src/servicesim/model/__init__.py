"""The SimPy model of a contact centre: arrivals, bot, queue, agents on a shift plan, repeats,
and the human side (care, corner cutting, trust, engagement, incidents, abuse).

Time is in minutes. Customers are light records moved by events rather than processes of their
own; agents and the generators of arrivals, staffing, incidents, check-ins and measurement are
SimPy processes. Every random input is drawn when the thing it belongs to is created, from a
stream named after its purpose, so two scenarios run on one seed meet the same customers with
the same needs (common random numbers). Behavioural equations live in :mod:`behaviour`.

One module per mechanism, each importing only those listed before it:

- ``records``: Issue, Contact (and CheckIn), Agent, RunRecord: the data a run leaves behind
- ``draws``: every random stream by name, the common-random-numbers contract
- ``measure``: live counts, their time integrals, the 15-minute snapshots
- ``trust``: customers' trust, promises and check-ins
- ``queue``: ranks, joining, abandonment, who was passed over
- ``bot``: bot conversations and how they end
- ``demand``: arrivals, new issues, contacts, repeats and opening hours, check-ins
- ``handling``: time given under pressure, the eroding standard, care, resolution, abuse
- ``floor``: staffing to the shift plan, hiring, the agents' shift loop
- ``incidents``: internal incidents taking agents off the floor
- ``centre``: ContactCentre, which wires them, and :func:`run_model`
"""

from .centre import ContactCentre, run_model
from .demand import CHECKIN_MINUTES
from .handling import ABUSE_DISENGAGE, ABUSE_ENDED_MINUTES, ASSURE_MINUTES
from .records import LOYAL, NEW, NO_ISSUE, SEGMENTS, Agent, CheckIn, Contact, Issue, RunRecord

__all__ = [
    "ABUSE_DISENGAGE",
    "ABUSE_ENDED_MINUTES",
    "ASSURE_MINUTES",
    "CHECKIN_MINUTES",
    "LOYAL",
    "NEW",
    "NO_ISSUE",
    "SEGMENTS",
    "Agent",
    "CheckIn",
    "Contact",
    "ContactCentre",
    "Issue",
    "RunRecord",
    "run_model",
]
