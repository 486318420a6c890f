"""The facilitator's kit: agendas, debrief cards, the assumptions card, an assessment, a
handout and slides, with every number about the model quoted from the lessons ledger.

``ledger.json`` (beside this file) holds every check of the lessons ledger as measured:
written by ``python tests/ledger.py --write`` with ``docs/lessons.md``, and checked against the
model by ``tests/test_ledger.py``. A text in the kit never types a model number: it writes
``{ledger:CLAIM:SCENARIO:KPI}`` and :func:`quote` fills in the measured value.
"""
