"""The SimPy model of a contact centre (in :mod:`.centre` for now), re-exported from here."""

from .centre import (
    ABUSE_DISENGAGE,
    ABUSE_ENDED_MINUTES,
    ASSURE_MINUTES,
    CHECKIN_MINUTES,
    CUT_SHORT,
    LOYAL,
    NEW,
    SEGMENTS,
    Agent,
    Contact,
    ContactCentre,
    Issue,
    RunRecord,
    run_model,
)

__all__ = [
    "ABUSE_DISENGAGE",
    "ABUSE_ENDED_MINUTES",
    "ASSURE_MINUTES",
    "CHECKIN_MINUTES",
    "CUT_SHORT",
    "LOYAL",
    "NEW",
    "SEGMENTS",
    "Agent",
    "Contact",
    "ContactCentre",
    "Issue",
    "RunRecord",
    "run_model",
]
