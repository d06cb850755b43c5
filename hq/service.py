"""HQ's operations, gathered for their callers (``hq/api.py``, the demo).

Each operation takes a ``Database`` and a ``Principal`` (who is asking), knows no HTTP, and refuses
with an ``hq.errors.HQError`` that the API maps to a status code. They live in modules a reader
can hold, one job each:

- ``hq.principals``: roles, actions, ``Principal`` and ``require``;
- ``hq.audit``: audit rows;
- ``hq.feed``: ``Batch``, the one writer of events and feed positions, and case rows;
- ``hq.intake``: intake and assignment (the events HQ itself makes);
- ``hq.push``, ``hq.scope``, ``hq.authors``, ``hq.review``: push with its scope and state rules,
  earlier operators of a console, and the review queue;
- ``hq.reads``, ``hq.presence``: pull pages, case reads, districts; heartbeats and the board.

Threading: operations run on worker threads (FastAPI's threadpool) and share the ``Database``.
"""

from __future__ import annotations

from hq.intake import IntakeResult, assign, intake
from hq.presence import heartbeat, list_presence
from hq.push import MAX_PUSH_EVENTS, PushResult, held_verdicts, push
from hq.reads import MAX_PULL_LIMIT, Page, count, list_districts, pull_audit_row, pull_page, read_case, read_stream
from hq.review import REVIEW_LIST_MAX, decide_review, list_review

__all__ = [
    "MAX_PULL_LIMIT",
    "MAX_PUSH_EVENTS",
    "REVIEW_LIST_MAX",
    "IntakeResult",
    "Page",
    "PushResult",
    "assign",
    "count",
    "decide_review",
    "heartbeat",
    "held_verdicts",
    "intake",
    "list_districts",
    "list_presence",
    "list_review",
    "pull_audit_row",
    "pull_page",
    "push",
    "read_case",
    "read_stream",
]
