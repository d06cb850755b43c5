"""Citizens' complaints from social media at HQ: intake from the connectors (``take``), the queue and
triage (``queue``), the two-hour clock's sweep (``sweep``) and reply publication (``replies``).

The domain rules live in ``core.complaints`` and ``core.sla``; docs/COMPLAINTS.md describes the whole.
"""
