"""Reads of cases: the detail, queue pages and counts, police stations, the alarm's rows, refused entries
(and those HQ holds for review).

Each returns a ``QueryOp`` on a reader pool ("read" for what the operator waits on, "bulk" for scans
that take seconds at 100,000 cases); stamped ones deliver only their newest result.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.alarm import mute_in_force, needs_alarm
from core.events import EventType, Tier, parse_time, utcnow
from core.store import QueueFilter
from core.store.schema import HELD_FOR_REVIEW
from ui.operations.base import QueryOp, reading

if TYPE_CHECKING:
    from core.store import UnitOfWork
    from ui.context import ApplicationContext

__all__ = ["QueueFilter", "alarm_rows", "case_with_upstream_ref", "duplicate_of", "find_upstream_ref",
           "is_held_for_review", "load_case", "overdue_case_ids", "queue_count", "queue_page", "refused_entries",
           "stations"]

OVERDUE_QUERY_LIMIT = 2000
# Cases whose searchable text holds an upstream reference, read to find the one case it is the
# reference of: a short reference may also occur in names or post texts.
UPSTREAM_REF_CANDIDATES_MAX = 500
# HQ's push refuses a twin with this code and a reason naming the existing case (hq.push.DUPLICATE).
DUPLICATE_CODE = "duplicate"
_CASE_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# A mute with less than this left is ending (an early unmute records one that ends in a second): not shown.
MUTE_SHOWN_MIN_LEFT = timedelta(seconds=2)
# Who muted a ringing case, why, until when: (case id, subject, author, until, reason).
MuteRow = tuple[str, str, str, datetime, str]


def load_case(
    ctx: ApplicationContext, case_id: str, *, success: Callable[[tuple[Any, list[Any]]], None]
) -> QueryOp[Any]:
    """The case's folded state and its stored history (stamped "detail": the last click wins)."""

    def body(uow: UnitOfWork) -> tuple[Any, list[Any]]:
        return uow.cases.state(case_id), list(uow.events.history(case_id))

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="detail", pool="read")


def queue_page(
    ctx: ApplicationContext,
    flt: QueueFilter,
    *,
    limit: int,
    offset: int,
    success: Callable[[list[Any]], None],
    failure: Callable[[BaseException], None] | None = None,
    stamp: str | None = None,
) -> QueryOp[list[Any]]:
    def body(uow: UnitOfWork) -> list[Any]:
        return list(uow.cases.queue(flt, limit=limit, offset=offset))

    return QueryOp(fn=reading(ctx.store, body), success=success, failure=failure, stamp=stamp, pool="read")


def queue_count(ctx: ApplicationContext, flt: QueueFilter, *, success: Callable[[int], None]) -> QueryOp[int]:
    """The exact count for ``flt``: a scan, so on the bulk reader behind the page."""

    def body(uow: UnitOfWork) -> int:
        return int(uow.cases.count(flt))

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="queue-count", pool="bulk")


def stations(ctx: ApplicationContext, *, success: Callable[[list[str]], None]) -> QueryOp[list[str]]:
    def body(uow: UnitOfWork) -> list[str]:
        return list(uow.cases.stations())

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="stations", pool="bulk")


def refused_entries(ctx: ApplicationContext, *, success: Callable[[list[Any]], None]) -> QueryOp[list[Any]]:
    def body(uow: UnitOfWork) -> list[Any]:
        return list(uow.outbox.held()) + list(uow.outbox.rejected())

    return QueryOp(fn=reading(ctx.store, body), success=success, pool="read")


def overdue_case_ids(ctx: ApplicationContext, *, success: Callable[[set[str]], None]) -> QueryOp[set[str]]:
    """Every acknowledged, undispatched suicide-risk case (a scan of the open cases: bulk reader)."""
    overdue = QueueFilter(statuses=frozenset({"acknowledged"}), kinds=frozenset({"suicide_risk"}))

    def body(uow: UnitOfWork) -> set[str]:
        return {r.case_id for r in uow.cases.queue(overdue, limit=OVERDUE_QUERY_LIMIT, offset=0)}

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="alarm-sweep", pool="bulk")


def alarm_rows(
    ctx: ApplicationContext, watched: frozenset[str], *, success: Callable[[tuple[list[Any], list[MuteRow]]], None]
) -> QueryOp[tuple[list[Any], list[MuteRow]]]:
    """The rows the alarm decides on, and the mutes in force on them (stamped "alarm").

    Unacknowledged cases come from ``cases.alarming()`` (indexed, cheap at any size); the ``watched``
    cases are re-read by id and kept while acknowledged and undispatched (for "dispatch overdue").
    """
    tier = ctx.author.tier

    def body(uow: UnitOfWork) -> tuple[list[Any], list[MuteRow]]:
        now = utcnow()
        rows = list(uow.cases.alarming(tier))
        have = {r.case_id for r in rows}
        for case_id in sorted(watched - have):
            row = uow.cases.get(case_id)
            if row is not None and row.status == "acknowledged" and row.kind == "suicide_risk":
                rows.append(row)
        # Who muted, why, until when: from the case's latest mute entry (few cases are muted).
        mutes: list[MuteRow] = []
        for row in rows:
            if needs_alarm(row, tier) and mute_in_force(row, now, tier):
                until = parse_time(str(row.hq_muted_until if tier is Tier.HQ else row.muted_until))
                last = None
                for stored in uow.events.history(row.case_id):
                    if (
                        stored.event.type is EventType.ALARM_MUTED
                        and str(stored.sync_state) != "rejected"
                        and stored.event.payload.get("tier", str(Tier.DISTRICT)) == str(tier)
                    ):
                        last = stored.event
                if last is not None and until - now > MUTE_SHOWN_MIN_LEFT:
                    mutes.append((row.case_id, row.subject_name or "", last.author_name, until,
                                  str(last.payload.get("reason") or "")))
        mutes.sort(key=lambda m: m[3])
        return rows, mutes

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="alarm", pool="read")


def is_held_for_review(stored: Any) -> bool:
    """An event HQ holds in its review queue (pending, marked ``HELD_FOR_REVIEW``), not refused."""
    return str(stored.sync_state) == "pending" and stored.reject_code == HELD_FOR_REVIEW


def case_with_upstream_ref(uow: UnitOfWork, ref: str) -> str | None:
    """The case this replica holds for the upstream reference ``ref`` (closed ones too), or None.

    An HQ console holds every case, so this is where manual intake finds the twin it must not make.
    The store's search narrows the candidates; the reference itself must match exactly, as at HQ.
    """
    ref = ref.strip()
    if not ref:
        return None
    flt = QueueFilter(search=ref, include_closed=True)
    for row in uow.cases.queue(flt, limit=UPSTREAM_REF_CANDIDATES_MAX, offset=0):
        state = uow.cases.projected(row.case_id)
        if state is not None and state.exists and (state.upstream_ref or "").strip() == ref:
            return row.case_id
    return None


def find_upstream_ref(
    ctx: ApplicationContext, ref: str, *, success: Callable[[tuple[str, Any] | None], None]
) -> QueryOp[tuple[str, Any] | None]:
    """The case already holding ``ref`` and its state, or None (stamped "upstream-ref": the last
    reference typed wins)."""

    def body(uow: UnitOfWork) -> tuple[str, Any] | None:
        case_id = case_with_upstream_ref(uow, ref)
        return None if case_id is None else (case_id, uow.cases.projected(case_id))

    return QueryOp(fn=reading(ctx.store, body), success=success, stamp="upstream-ref", pool="read")


def duplicate_of(stored: Any) -> str | None:
    """For a new case HQ refused as a twin: the id of the case HQ already holds for that alert."""
    if stored.reject_code != DUPLICATE_CODE:
        return None
    found = _CASE_ID.search(stored.reject_reason or "")
    return found.group(0) if found else None
